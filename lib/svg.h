/* Inline SVG charts and HTML text for the roadmap page (svg.c): line charts
 * of yearly series, grouped bars, the benchmark's step curve; readable units
 * for axes; HTML escaping. Fixed number formats, no dates: the same inputs
 * give the same bytes. Never installed. */
#ifndef TRI_SVG_H
#define TRI_SVG_H

#include "tr_internal.h"

/* one series of a chart */
typedef struct tri_svg_line {
    const char *name;     /* legend text */
    const double *v;      /* values, NaN = gap */
    int colour;           /* index into the palette; -1: grey (the baseline) */
    int dashed;
} tri_svg_line;

/* a horizontal reference line (best practice, sector average) */
typedef struct tri_svg_ref {
    const char *name;
    double y;
    int colour;
} tri_svg_ref;

typedef struct tri_svg_axes {
    const char *title;    /* the chart's accessible name */
    const char *xlabel, *ylabel;
    int width, height;    /* of the plot, in SVG units; the legend adds rows */
    double ymin, ymax;    /* NaN: from the data */
    int from_zero;        /* the y axis includes 0 */
    int legend;           /* a legend below the axes */
} tri_svg_axes;

/* number of distinguishable colours in the palette */
#define TRI_SVG_COLOURS 10
const char *tri_svg_colour(int i);

/* values[t]*scale against the years start..start+Y-1 */
void tri_svg_lines(tri_buf *b, const tri_svg_axes *ax, int start, size_t Y, const tri_svg_line *l, size_t nl,
                   double scale);
/* grouped bars, one group per year */
void tri_svg_bars(tri_buf *b, const tri_svg_axes *ax, int start, size_t Y, const tri_svg_line *l, size_t nl,
                  double scale);
/* horizontal bars, one per category (@names), values v[i]*scale from zero;
 * positive blue, negative orange-red */
void tri_svg_hbars(tri_buf *b, const tri_svg_axes *ax, const char *const *names, const double *v, size_t n,
                   double scale);
/* a step curve: @n blocks of width w[i]*xscale side by side, height h[i],
 * with horizontal reference lines (named in the legend) */
void tri_svg_steps(tri_buf *b, const tri_svg_axes *ax, const double *w, const double *h, size_t n, double xscale,
                   const tri_svg_ref *ref, size_t nref);

/* an abatement cost curve: @n blocks side by side, each as wide as
 * w[i]*xscale and as high as h[i] (below zero, in green: it saves money),
 * labelled @labels[i] (short: a rank or a step) where the block is wide
 * enough; a legend "saves money" / "costs money" */
void tri_svg_macc(tri_buf *b, const tri_svg_axes *ax, const double *w, const double *h, const char *const *labels,
                  size_t n, double xscale);

/* a point of an x-y chart, drawn as a marker with its label */
typedef struct tri_svg_point {
    const char *label;
    double x, y;
    int colour;
} tri_svg_point;

/* a front: the line through x[i]*xscale, y[i]*yscale with a dot at each
 * point (@line_name in the legend), and @np labelled markers at
 * pts[i].x*xscale, pts[i].y*yscale (their colours named by @mark_names[c]
 * for c in 0..@nmark-1 with colours @mark_colours) */
void tri_svg_xy(tri_buf *b, const tri_svg_axes *ax, const double *x, const double *y, size_t n, double xscale,
                double yscale, const char *line_name, const tri_svg_point *pts, size_t np, const char *const *mark_names,
                const int *mark_colours, size_t nmark);

/* A readable unit for values up to @maxabs in @unit: "t" becomes kt or Mt,
 * "GJ" TJ or PJ, "MWh" GWh or TWh, money "thousand"/"M"/"bn"; the factor to
 * multiply by is returned and the unit's name written to @out. */
/* exported for check_report (the rule is shared with the Python plots) */
TR_API double tri_unit_scale(const char *unit, double maxabs, char *out, size_t n);

/* @s escaped for HTML text and attribute values */
void tri_html_esc(tri_buf *b, const char *s);
/* @s escaped, with `...` spans as <code> */
void tri_html_text(tri_buf *b, const char *s);

#endif
