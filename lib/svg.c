/* Inline SVG charts for the roadmap page: yearly lines, grouped bars and
 * the benchmark's step curve, with "nice" ticks, readable units and a
 * legend below the axes (never on the data). Every coordinate is printed
 * with one decimal and every tick with the decimals of its step, so the
 * same numbers give the same bytes. */
#include <ctype.h>
#include <math.h>
#include <string.h>

#include "svg.h"

/* Okabe-Ito's colour-blind-safe set, then darker tones of the same hues:
 * distinguishable by most readers in print and on screen */
static const char *const palette[TRI_SVG_COLOURS] = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00",
                                                     "#56B4E9", "#000000", "#8C510A", "#5E3C99", "#B2182B"};

const char *tri_svg_colour(int i)
{
    return i < 0 ? "#7F7F7F" : palette[i % TRI_SVG_COLOURS];
}

/* ------------------------------------------------------------ text */

void tri_html_esc(tri_buf *b, const char *s)
{
    for (const char *p = s ? s : ""; *p; p++) {
        switch (*p) {
        case '&': tri_buf_puts(b, "&amp;"); break;
        case '<': tri_buf_puts(b, "&lt;"); break;
        case '>': tri_buf_puts(b, "&gt;"); break;
        case '"': tri_buf_puts(b, "&quot;"); break;
        case '\'': tri_buf_puts(b, "&#39;"); break;
        default: tri_buf_put(b, p, 1);
        }
    }
}

void tri_html_text(tri_buf *b, const char *s)
{
    int code = 0;
    const char *p = s ? s : "", *q;
    while ((q = strchr(p, '`')) != NULL) {
        char *part = tri_strndup(p, (size_t)(q - p));
        if (!part) {
            b->failed = 1;
            return;
        }
        tri_html_esc(b, part);
        tri_free(part);
        tri_buf_puts(b, code ? "</code>" : "<code>");
        code = !code;
        p = q + 1;
    }
    tri_html_esc(b, p);
    if (code)
        tri_buf_puts(b, "</code>");
}

/* ------------------------------------------------------------ units */

double tri_unit_scale(const char *unit, double maxabs, char *out, size_t n)
{
    static const struct {
        const char *unit, *up[3];
    } fam[] = {{"t", {"kt", "Mt", "Gt"}},     {"kg", {"t", "kt", "Mt"}},       {"GJ", {"TJ", "PJ", "EJ"}},
               {"MJ", {"GJ", "TJ", "PJ"}},    {"MWh", {"GWh", "TWh", "PWh"}}, {"kWh", {"MWh", "GWh", "TWh"}},
               {"Nm3", {"thousand Nm3", "million Nm3", "billion Nm3"}}};
    const char *u = unit ? unit : "";
    int k = isfinite(maxabs) && maxabs >= 1000 ? (int)floor(log10(maxabs) / 3 + 1e-12) : 0;
    if (k > 3)
        k = 3;
    if (k == 0) {
        snprintf(out, n, "%s", u);
        return 1;
    }
    double f = pow(10, -3.0 * k);
    /* in a rate ("t/yr") only the part before the slash is scaled; the same
     * rule as scale_unit() in bindings/python/techroad/_units.py */
    const char *slash = strchr(u, '/');
    size_t head = slash ? (size_t)(slash - u) : strlen(u);
    for (size_t i = 0; i < sizeof fam / sizeof *fam; i++)
        if (strlen(fam[i].unit) == head && !strncmp(u, fam[i].unit, head)) {
            snprintf(out, n, "%s%s", fam[i].up[k - 1], slash ? slash : "");
            return f;
        }
    /* money: a currency code (USD2020, EUR) takes M and bn */
    int money = strlen(u) >= 3 && isupper((unsigned char)u[0]) && isupper((unsigned char)u[1]) &&
                isupper((unsigned char)u[2]);
    static const char *const words[3] = {"thousand", "million", "billion"};
    static const char *const money_words[3] = {"thousand", "M", "bn"};
    if (*u)
        snprintf(out, n, "%s %s", (money ? money_words : words)[k - 1], u);
    else
        snprintf(out, n, "%s", words[k - 1]);
    return f;
}

/* ------------------------------------------------------------ axes */

enum { ML = 74, MR = 14, MT = 12, MB = 46, ROW = 18 };

static void num(tri_buf *b, double v)
{
    if (fabs(v) < 0.05)
        v = 0;
    tri_buf_printf(b, "%.1f", v);
}

/* a filled rectangle (@cls: its class, or NULL), one line */
static void rect(tri_buf *b, const char *cls, double x, double y, double w, double h, const char *fill)
{
    tri_buf_puts(b, cls ? "<rect class=\"" : "<rect");
    if (cls) {
        tri_buf_puts(b, cls);
        tri_buf_puts(b, "\"");
    }
    tri_buf_puts(b, " x=\"");
    num(b, x);
    tri_buf_puts(b, "\" y=\"");
    num(b, y);
    tri_buf_puts(b, "\" width=\"");
    num(b, w);
    tri_buf_puts(b, "\" height=\"");
    num(b, h);
    tri_buf_printf(b, "\" fill=\"%s\"/>\n", fill);
}

static double nice_step(double range, int nticks)
{
    double raw = range / nticks;
    if (!(raw > 0) || !isfinite(raw))
        return 1;
    double p = pow(10, floor(log10(raw)));
    double m = raw / p;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 2.5 ? 2.5 : m <= 5 ? 5 : 10) * p;
}

static int decimals(double step)
{
    int d = 0;
    while (d < 6 && fabs(step * pow(10, d) - round(step * pow(10, d))) > 1e-6)
        d++;
    return d;
}

typedef struct frame {
    double lo, hi, step;   /* y range */
    double x0, x1;         /* x range (steps) */
    int w, h, legend_rows;
} frame;

static double ypos(const frame *f, double v) { return MT + f->h * (f->hi - v) / (f->hi - f->lo); }

static void yrange(frame *f, const tri_svg_axes *ax, double dmin, double dmax)
{
    if (!isfinite(dmin) || !isfinite(dmax))
        dmin = 0, dmax = 1;
    if (ax->from_zero) {
        dmin = fmin(dmin, 0);
        dmax = fmax(dmax, 0);
    }
    if (isfinite(ax->ymin))
        dmin = ax->ymin;
    if (isfinite(ax->ymax))
        dmax = ax->ymax;
    if (dmax - dmin < 1e-12 * fmax(1, fabs(dmax)))
        dmax = dmin + (dmin == 0 ? 1 : fabs(dmin) * 0.1);
    f->step = nice_step(dmax - dmin, f->h >= 160 ? 5 : 3);
    f->lo = isfinite(ax->ymin) ? ax->ymin : floor(dmin / f->step + 1e-9) * f->step;
    f->hi = isfinite(ax->ymax) ? ax->ymax : ceil(dmax / f->step - 1e-9) * f->step;
    if (f->hi <= f->lo)
        f->hi = f->lo + f->step;
}

static double text_width(const char *s) { return 6.6 * (double)strlen(s ? s : ""); }

/* the legend's rows, and where each entry goes */
static int legend_layout(int w, const char *const *names, size_t n, double *x, int *row)
{
    double cx = 0;
    int r = 0;
    for (size_t i = 0; i < n; i++) {
        double ew = 24 + text_width(names[i]) + 14;
        if (cx > 0 && cx + ew > w)
            cx = 0, r++;
        if (x)
            x[i] = cx, row[i] = r;
        cx += ew;
    }
    return n ? r + 1 : 0;
}

/* the <svg> element of @W x @H pixels and its title (also its accessible name) */
static void svg_start(tri_buf *b, const char *title, int W, int H)
{
    tri_buf_printf(b, "<svg class=\"chart\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"",
                   W, H, W, H);
    tri_html_esc(b, title);
    tri_buf_puts(b, "\"><title>");
    tri_html_esc(b, title);
    tri_buf_puts(b, "</title>\n");
}

static void open_svg(tri_buf *b, const tri_svg_axes *ax, frame *f)
{
    svg_start(b, ax->title, ML + f->w + MR, MT + f->h + MB + f->legend_rows * ROW + (f->legend_rows ? 6 : 0));
}

/* horizontal grid and y ticks, the y label, the x label */
static void draw_yaxis(tri_buf *b, const tri_svg_axes *ax, const frame *f)
{
    int d = decimals(f->step);
    long nt = lround((f->hi - f->lo) / f->step);
    for (long i = 0; i <= nt && nt < 100; i++) {
        double v = f->lo + (double)i * f->step, y = ypos(f, v);
        if (fabs(v) < 1e-9 * f->step)
            v = 0;
        tri_buf_printf(b, "<line class=\"grid%s\" x1=\"%d\" x2=\"%d\" y1=\"", v == 0 ? " zero" : "", ML, ML + f->w);
        num(b, y);
        tri_buf_puts(b, "\" y2=\"");
        num(b, y);
        tri_buf_printf(b, "\"/><text class=\"tick\" x=\"%d\" y=\"", ML - 6);
        num(b, y + 4);
        tri_buf_printf(b, "\" text-anchor=\"end\">%.*f</text>\n", d, v);
    }
    /* a label longer than the axis gets a smaller font, never cut */
    double room = f->h + MB - 8, need = text_width(ax->ylabel) * 12.0 / 11.0;
    tri_buf_printf(b, "<text class=\"label\" transform=\"translate(14 %.1f) rotate(-90)\" text-anchor=\"middle\"",
                   MT + f->h / 2.0 + (need > f->h ? MB / 2.0 - 4 : 0));
    if (need > room)
        tri_buf_printf(b, " style=\"font-size:%.1fpx\"", fmax(7, 12 * room / need));
    tri_buf_puts(b, ">");
    tri_html_esc(b, ax->ylabel);
    tri_buf_puts(b, "</text>\n");
    if (ax->xlabel && *ax->xlabel) {
        tri_buf_printf(b, "<text class=\"label\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">", ML + f->w / 2.0,
                       MT + f->h + 36);
        tri_html_esc(b, ax->xlabel);
        tri_buf_puts(b, "</text>\n");
    }
    tri_buf_printf(b, "<line class=\"axis\" x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\"/>\n", ML, ML + f->w, MT + f->h,
                   MT + f->h);
}

static void draw_years(tri_buf *b, const frame *f, int start, size_t Y)
{
    double slot = (double)f->w / (double)Y;
    size_t every = (size_t)ceil(34.0 / slot);
    if (every < 1)
        every = 1;
    for (size_t t = 0; t < Y; t++) {
        if (t % every)
            continue;
        double x = ML + ((double)t + 0.5) * slot;
        tri_buf_puts(b, "<text class=\"tick\" x=\"");
        num(b, x);
        tri_buf_printf(b, "\" y=\"%d\" text-anchor=\"middle\">%d</text>\n", MT + f->h + 16, start + (int)t);
    }
}

/* the legend's entries: a line (0), a block (1) or a dashed line (2) */
static void draw_legend(tri_buf *b, const frame *f, const char *const *names, const char *const *colours,
                        const int *kind, size_t n)
{
    double x[64];
    int row[64];
    if (n > 64)
        n = 64;
    legend_layout(f->w, names, n, x, row);
    for (size_t i = 0; i < n; i++) {
        double lx = ML + x[i], ly = MT + f->h + MB + row[i] * ROW + 6;
        if (kind[i] == 1) {
            tri_buf_puts(b, "<rect x=\"");
            num(b, lx);
            tri_buf_puts(b, "\" y=\"");
            num(b, ly - 9);
            tri_buf_printf(b, "\" width=\"18\" height=\"10\" fill=\"%s\"/>", colours[i]);
        } else {
            tri_buf_puts(b, "<line x1=\"");
            num(b, lx);
            tri_buf_puts(b, "\" x2=\"");
            num(b, lx + 18);
            tri_buf_puts(b, "\" y1=\"");
            num(b, ly - 4);
            tri_buf_puts(b, "\" y2=\"");
            num(b, ly - 4);
            tri_buf_printf(b, "\" stroke=\"%s\" stroke-width=\"2.5\"%s/>", colours[i],
                           kind[i] == 2 ? " stroke-dasharray=\"6 3\"" : "");
        }
        tri_buf_puts(b, "<text class=\"legend\" x=\"");
        num(b, lx + 24);
        tri_buf_puts(b, "\" y=\"");
        num(b, ly);
        tri_buf_puts(b, "\">");
        tri_html_esc(b, names[i]);
        tri_buf_puts(b, "</text>\n");
    }
}

static void data_range(const tri_svg_line *l, size_t nl, size_t Y, double scale, double *mn, double *mx)
{
    *mn = INFINITY, *mx = -INFINITY;
    for (size_t i = 0; i < nl; i++)
        for (size_t t = 0; l[i].v && t < Y; t++)
            if (isfinite(l[i].v[t])) {
                *mn = fmin(*mn, l[i].v[t] * scale);
                *mx = fmax(*mx, l[i].v[t] * scale);
            }
}

static void series_legend(tri_buf *b, const frame *f, const tri_svg_line *l, size_t nl, int bars)
{
    const char *names[64], *colours[64];
    int kind[64];
    size_t n = nl < 64 ? nl : 64;
    for (size_t i = 0; i < n; i++) {
        names[i] = l[i].name;
        colours[i] = tri_svg_colour(l[i].colour);
        kind[i] = bars ? 1 : l[i].dashed ? 2 : 0;
    }
    draw_legend(b, f, names, colours, kind, n);
}

static int legend_rows_of(const tri_svg_axes *ax, int w, const tri_svg_line *l, size_t nl, const tri_svg_ref *r,
                          size_t nr)
{
    const char *names[64];
    size_t n = 0;
    for (size_t i = 0; i < nl && n < 64; i++)
        names[n++] = l[i].name;
    for (size_t i = 0; i < nr && n < 64; i++)
        names[n++] = r[i].name;
    return ax->legend ? legend_layout(w, names, n, NULL, NULL) : 0;
}

/* ------------------------------------------------------------ charts */

void tri_svg_lines(tri_buf *b, const tri_svg_axes *ax, int start, size_t Y, const tri_svg_line *l, size_t nl,
                   double scale)
{
    frame f = {.w = ax->width, .h = ax->height};
    double mn, mx;
    if (Y == 0)
        return;
    data_range(l, nl, Y, scale, &mn, &mx);
    yrange(&f, ax, mn, mx);
    f.legend_rows = legend_rows_of(ax, f.w, l, nl, NULL, 0);
    open_svg(b, ax, &f);
    draw_yaxis(b, ax, &f);
    draw_years(b, &f, start, Y);
    double slot = (double)f.w / (double)Y;
    for (size_t i = 0; i < nl; i++) {
        const char *col = tri_svg_colour(l[i].colour);
        int open = 0;
        for (size_t t = 0; l[i].v && t < Y; t++) {
            double v = l[i].v[t];
            if (!isfinite(v)) {
                if (open)
                    tri_buf_puts(b, "\"/>\n");
                open = 0;
                continue;
            }
            if (!open)
                tri_buf_printf(b, "<polyline class=\"series\" stroke=\"%s\"%s points=\"", col,
                               l[i].dashed ? " stroke-dasharray=\"6 3\"" : "");
            else
                tri_buf_puts(b, " ");
            num(b, ML + ((double)t + 0.5) * slot);
            tri_buf_puts(b, ",");
            num(b, ypos(&f, fmin(fmax(v * scale, f.lo), f.hi)));
            open = 1;
        }
        if (open)
            tri_buf_puts(b, "\"/>\n");
    }
    if (ax->legend)
        series_legend(b, &f, l, nl, 0);
    tri_buf_puts(b, "</svg>\n");
}

void tri_svg_bars(tri_buf *b, const tri_svg_axes *ax, int start, size_t Y, const tri_svg_line *l, size_t nl,
                  double scale)
{
    frame f = {.w = ax->width, .h = ax->height};
    double mn, mx;
    if (Y == 0 || nl == 0)
        return;
    data_range(l, nl, Y, scale, &mn, &mx);
    tri_svg_axes a = *ax;
    a.from_zero = 1;
    yrange(&f, &a, mn, mx);
    f.legend_rows = legend_rows_of(ax, f.w, l, nl, NULL, 0);
    open_svg(b, ax, &f);
    draw_yaxis(b, ax, &f);
    draw_years(b, &f, start, Y);
    double slot = (double)f.w / (double)Y, bw = slot * 0.8 / (double)nl;
    for (size_t i = 0; i < nl; i++)
        for (size_t t = 0; l[i].v && t < Y; t++) {
            double v = l[i].v[t] * scale;
            if (!isfinite(v) || v == 0)
                continue;
            double y0 = ypos(&f, 0), y1 = ypos(&f, fmin(fmax(v, f.lo), f.hi));
            rect(b, NULL, ML + (double)t * slot + slot * 0.1 + (double)i * bw, fmin(y0, y1), bw, fabs(y1 - y0),
                 tri_svg_colour(l[i].colour));
        }
    if (ax->legend)
        series_legend(b, &f, l, nl, 1);
    tri_buf_puts(b, "</svg>\n");
}

void tri_svg_steps(tri_buf *b, const tri_svg_axes *ax, const double *w, const double *h, size_t n, double xscale,
                   const tri_svg_ref *ref, size_t nref)
{
    frame f = {.w = ax->width, .h = ax->height};
    double mn = INFINITY, mx = -INFINITY, total = 0;
    for (size_t i = 0; i < n; i++) {
        if (isfinite(h[i]))
            mn = fmin(mn, h[i]), mx = fmax(mx, h[i]);
        if (isfinite(w[i]) && w[i] > 0)
            total += w[i] * xscale;
    }
    for (size_t i = 0; i < nref; i++)
        if (isfinite(ref[i].y))
            mn = fmin(mn, ref[i].y), mx = fmax(mx, ref[i].y);
    yrange(&f, ax, mn, mx);
    f.legend_rows = legend_rows_of(ax, f.w, NULL, 0, ref, nref) + (ax->legend ? 0 : 0);
    open_svg(b, ax, &f);
    draw_yaxis(b, ax, &f);
    /* x ticks: cumulative production */
    double xs = nice_step(total > 0 ? total : 1, 5);
    int d = decimals(xs);
    for (long i = 0; total > 0 && i <= lround(floor(total / xs + 1e-9)) && i < 100; i++) {
        double x = ML + f.w * ((double)i * xs) / total;
        tri_buf_puts(b, "<text class=\"tick\" x=\"");
        num(b, x);
        tri_buf_printf(b, "\" y=\"%d\" text-anchor=\"middle\">%.*f</text>\n", MT + f.h + 16, d, (double)i * xs);
    }
    double cx = 0;
    for (size_t i = 0; i < n && total > 0; i++) {
        if (!isfinite(w[i]) || w[i] <= 0 || !isfinite(h[i]))
            continue;
        double x0 = ML + f.w * cx / total, x1 = ML + f.w * (cx + w[i] * xscale) / total;
        double y0 = ypos(&f, fmax(f.lo, 0)), y1 = ypos(&f, fmin(h[i], f.hi));
        rect(b, "block", x0, fmin(y0, y1), x1 - x0, fabs(y0 - y1), tri_svg_colour(5));
        cx += w[i] * xscale;
    }
    const char *names[16], *colours[16];
    int kind[16];
    size_t nr = nref < 16 ? nref : 16;
    for (size_t i = 0; i < nr; i++) {
        if (!isfinite(ref[i].y))
            continue;
        tri_buf_printf(b, "<line class=\"ref\" x1=\"%d\" x2=\"%d\" y1=\"", ML, ML + f.w);
        num(b, ypos(&f, ref[i].y));
        tri_buf_puts(b, "\" y2=\"");
        num(b, ypos(&f, ref[i].y));
        tri_buf_printf(b, "\" stroke=\"%s\" stroke-dasharray=\"6 3\"/>\n", tri_svg_colour(ref[i].colour));
    }
    for (size_t i = 0; i < nr; i++) {
        names[i] = ref[i].name;
        colours[i] = tri_svg_colour(ref[i].colour);
        kind[i] = 2;
    }
    if (ax->legend)
        draw_legend(b, &f, names, colours, kind, nr);
    tri_buf_puts(b, "</svg>\n");
}

void tri_svg_hbars(tri_buf *b, const tri_svg_axes *ax, const char *const *names, const double *v, size_t n,
                   double scale)
{
    if (n == 0)
        return;
    double lw = 0, mn = 0, mx = 0;
    for (size_t i = 0; i < n; i++) {
        lw = fmax(lw, text_width(names[i]));
        if (isfinite(v[i]))
            mn = fmin(mn, v[i] * scale), mx = fmax(mx, v[i] * scale);
    }
    if (lw > 260)
        lw = 260;
    int left = (int)lw + 12, bar = 22, w = ax->width, h = (int)n * bar;
    frame f = {.w = w, .h = 200};   /* .h: as many ticks as a full chart */
    tri_svg_axes a = *ax;
    a.from_zero = 1;
    yrange(&f, &a, mn, mx);   /* the value axis, drawn horizontally */
    svg_start(b, ax->title, left + w + MR + 40, MT + h + MB);
    int d = decimals(f.step);
    long nt = lround((f.hi - f.lo) / f.step);
    for (long i = 0; i <= nt && nt < 100; i++) {
        double val = f.lo + (double)i * f.step, x = left + w * (val - f.lo) / (f.hi - f.lo);
        if (fabs(val) < 1e-9 * f.step)
            val = 0;
        tri_buf_printf(b, "<line class=\"grid%s\" y1=\"%d\" y2=\"%d\" x1=\"", val == 0 ? " zero" : "", MT, MT + h);
        num(b, x);
        tri_buf_puts(b, "\" x2=\"");
        num(b, x);
        tri_buf_printf(b, "\"/><text class=\"tick\" y=\"%d\" x=\"", MT + h + 16);
        num(b, x);
        tri_buf_printf(b, "\" text-anchor=\"middle\">%.*f</text>\n", d, val);
    }
    tri_buf_printf(b, "<text class=\"label\" x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">", left + w / 2.0,
                   MT + h + 36);
    tri_html_esc(b, ax->xlabel);
    tri_buf_puts(b, "</text>\n");
    double x0 = left + w * (0 - f.lo) / (f.hi - f.lo);
    for (size_t i = 0; i < n; i++) {
        double y = MT + (double)i * bar;
        tri_buf_printf(b, "<text class=\"tick\" x=\"%d\" y=\"", left - 6);
        num(b, y + bar / 2.0 + 4);
        tri_buf_puts(b, "\" text-anchor=\"end\">");
        tri_html_esc(b, names[i]);
        tri_buf_puts(b, "</text>");
        if (isfinite(v[i]) && v[i] != 0) {
            double x1 = left + w * (fmin(fmax(v[i] * scale, f.lo), f.hi) - f.lo) / (f.hi - f.lo);
            tri_buf_puts(b, "<rect x=\"");
            num(b, fmin(x0, x1));
            tri_buf_puts(b, "\" y=\"");
            num(b, y + 4);
            tri_buf_puts(b, "\" width=\"");
            num(b, fabs(x1 - x0));
            tri_buf_printf(b, "\" height=\"%d\" fill=\"%s\"/>", bar - 8, tri_svg_colour(v[i] < 0 ? 1 : 0));
        }
        tri_buf_puts(b, "\n");
    }
    tri_buf_puts(b, "</svg>\n");
}

/* x ticks of a numeric axis over [lo, hi] (the plot's width) */
static void draw_xticks(tri_buf *b, const frame *f, double lo, double hi)
{
    double xs = nice_step(hi - lo > 0 ? hi - lo : 1, 5);
    int d = decimals(xs);
    double first = ceil(lo / xs - 1e-9) * xs;
    for (long i = 0; first + (double)i * xs <= hi + 1e-9 * xs && i < 100; i++) {
        double v = first + (double)i * xs, x = ML + f->w * (v - lo) / (hi - lo);
        if (fabs(v) < 1e-9 * xs)
            v = 0;
        tri_buf_puts(b, "<text class=\"tick\" x=\"");
        num(b, x);
        tri_buf_printf(b, "\" y=\"%d\" text-anchor=\"middle\">%.*f</text>\n", MT + f->h + 16, d, v);
    }
}

void tri_svg_macc(tri_buf *b, const tri_svg_axes *ax, const double *w, const double *h, const char *const *labels,
                  size_t n, double xscale)
{
    frame f = {.w = ax->width, .h = ax->height};
    double mn = 0, mx = 0, total = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(w[i]) || w[i] <= 0 || !isfinite(h[i]))
            continue;
        mn = fmin(mn, h[i]), mx = fmax(mx, h[i]);
        total += w[i] * xscale;
    }
    tri_svg_axes a = *ax;
    a.from_zero = 1;
    /* room above the tallest block (and below the lowest) for its label */
    double pad = 0.08 * (mx - mn > 0 ? mx - mn : 1);
    yrange(&f, &a, mn < 0 ? mn - pad : mn, mx + pad);
    const char *names[2] = {"saves money", "costs money"}, *colours[2] = {tri_svg_colour(2), tri_svg_colour(0)};
    int kind[2] = {1, 1};
    f.legend_rows = ax->legend ? legend_layout(f.w, names, 2, NULL, NULL) : 0;
    open_svg(b, ax, &f);
    draw_yaxis(b, ax, &f);
    if (total > 0)
        draw_xticks(b, &f, 0, total);
    double cx = 0, y0 = ypos(&f, 0);
    for (size_t i = 0; i < n && total > 0; i++) {
        if (!isfinite(w[i]) || w[i] <= 0 || !isfinite(h[i]))
            continue;
        double x0 = ML + f.w * cx / total, x1 = ML + f.w * (cx + w[i] * xscale) / total;
        double y1 = ypos(&f, fmin(fmax(h[i], f.lo), f.hi));
        rect(b, "block", x0, fmin(y0, y1), x1 - x0, fabs(y0 - y1), h[i] < 0 ? colours[0] : colours[1]);
        if (labels && labels[i] && x1 - x0 >= text_width(labels[i]) * 0.9 + 2) {
            tri_buf_puts(b, "<text class=\"tick\" x=\"");
            num(b, (x0 + x1) / 2);
            tri_buf_puts(b, "\" y=\"");
            num(b, h[i] < 0 ? y1 + 12 : y1 - 3);
            tri_buf_puts(b, "\" text-anchor=\"middle\">");
            tri_html_esc(b, labels[i]);
            tri_buf_puts(b, "</text>\n");
        }
        cx += w[i] * xscale;
    }
    if (ax->legend)
        draw_legend(b, &f, names, colours, kind, 2);
    tri_buf_puts(b, "</svg>\n");
}

/* Labels of an x-y chart's markers placed so that they cover no other label,
 * marker or dot: beside the marker (to its left in the chart's right third,
 * else to its right), then 12 and 24 px above or below that, then on the
 * other side; when every place is taken, the first. At most XY_BOXES
 * obstacles are remembered (a chart with more markers keeps the rule for
 * the first ones). */
#define XY_BOXES 128
typedef struct xy_box {
    double x0, y0, x1, y1;
} xy_box;

typedef struct xy_boxes {
    xy_box b[XY_BOXES];
    size_t n;
} xy_boxes;

static void xy_box_add(xy_boxes *o, double x0, double y0, double x1, double y1)
{
    if (o->n < XY_BOXES)
        o->b[o->n++] = (xy_box){x0, y0, x1, y1};
}

static int xy_box_free(const xy_boxes *o, xy_box a)
{
    for (size_t i = 0; i < o->n; i++)
        if (a.x0 < o->b[i].x1 && o->b[i].x0 < a.x1 && a.y0 < o->b[i].y1 && o->b[i].y0 < a.y1)
            return 0;
    return 1;
}

/* the label's anchor point (text baseline) and side; the label joins @o */
static void xy_place_label(xy_boxes *o, const char *label, double px, double py, int left_first, double *tx,
                           double *ty, int *left)
{
    static const double dys[] = {4, -8, 16, -20, 28};
    double w = text_width(label);
    for (int side = 0; side < 2; side++) {
        int l = side ? !left_first : left_first;
        for (size_t k = 0; k < sizeof dys / sizeof dys[0]; k++) {
            double x = l ? px - 8 : px + 8, y = py + dys[k];
            xy_box a = {l ? x - w : x, y - 9, l ? x : x + w, y + 2};
            if (xy_box_free(o, a)) {
                *tx = x, *ty = y, *left = l;
                xy_box_add(o, a.x0, a.y0, a.x1, a.y1);
                return;
            }
        }
    }
    *tx = left_first ? px - 8 : px + 8, *ty = py + 4, *left = left_first;
}

void tri_svg_xy(tri_buf *b, const tri_svg_axes *ax, const double *x, const double *y, size_t n, double xscale,
                double yscale, const char *line_name, const tri_svg_point *pts, size_t np, const char *const *mark_names,
                const int *mark_colours, size_t nmark)
{
    frame f = {.w = ax->width, .h = ax->height};
    double xlo = INFINITY, xhi = -INFINITY, ylo = INFINITY, yhi = -INFINITY;
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i]) && isfinite(y[i])) {
            xlo = fmin(xlo, x[i] * xscale), xhi = fmax(xhi, x[i] * xscale);
            ylo = fmin(ylo, y[i] * yscale), yhi = fmax(yhi, y[i] * yscale);
        }
    for (size_t i = 0; i < np; i++)
        if (isfinite(pts[i].x) && isfinite(pts[i].y)) {
            xlo = fmin(xlo, pts[i].x * xscale), xhi = fmax(xhi, pts[i].x * xscale);
            ylo = fmin(ylo, pts[i].y * yscale), yhi = fmax(yhi, pts[i].y * yscale);
        }
    if (!isfinite(xlo))
        xlo = 0, xhi = 1;
    /* the x axis: nice bounds around the data, like the y axis */
    double xs = nice_step(xhi - xlo > 0 ? xhi - xlo : fmax(1, fabs(xlo) * 0.1), 5);
    double x0 = floor(xlo / xs + 1e-9) * xs, x1 = ceil(xhi / xs - 1e-9) * xs;
    if (x1 <= x0)
        x1 = x0 + xs;
    yrange(&f, ax, ylo, yhi);
    const char *names[18], *colours[18];
    int kind[18];
    size_t nl = 0;
    names[nl] = line_name, colours[nl] = tri_svg_colour(0), kind[nl++] = 0;
    for (size_t i = 0; i < nmark && nl < 18; i++)
        names[nl] = mark_names[i], colours[nl] = tri_svg_colour(mark_colours[i]), kind[nl++] = 1;
    f.legend_rows = ax->legend ? legend_layout(f.w, names, nl, NULL, NULL) : 0;
    open_svg(b, ax, &f);
    draw_yaxis(b, ax, &f);
    draw_xticks(b, &f, x0, x1);
#define XPOS(v) (ML + f.w * ((v) - x0) / (x1 - x0))
    int open = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i]) || !isfinite(y[i]))
            continue;
        if (open)
            tri_buf_puts(b, " ");
        else
            tri_buf_printf(b, "<polyline class=\"series\" stroke=\"%s\" points=\"", tri_svg_colour(0));
        num(b, XPOS(x[i] * xscale));
        tri_buf_puts(b, ",");
        num(b, ypos(&f, y[i] * yscale));
        open = 1;
    }
    if (open)
        tri_buf_puts(b, "\"/>\n");
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i]) || !isfinite(y[i]))
            continue;
        tri_buf_puts(b, "<circle cx=\"");
        num(b, XPOS(x[i] * xscale));
        tri_buf_puts(b, "\" cy=\"");
        num(b, ypos(&f, y[i] * yscale));
        tri_buf_printf(b, "\" r=\"3\" fill=\"%s\"/>\n", tri_svg_colour(0));
    }
    xy_boxes obst = {.n = 0};   /* the markers and dots, then each label as it is placed */
    for (size_t i = 0; i < n; i++)
        if (isfinite(x[i]) && isfinite(y[i])) {
            double px = XPOS(x[i] * xscale), py = ypos(&f, y[i] * yscale);
            xy_box_add(&obst, px - 3, py - 3, px + 3, py + 3);
        }
    for (size_t i = 0; i < np; i++)
        if (isfinite(pts[i].x) && isfinite(pts[i].y)) {
            double px = XPOS(pts[i].x * xscale), py = ypos(&f, pts[i].y * yscale);
            xy_box_add(&obst, px - 6, py - 6, px + 6, py + 6);
        }
    for (size_t i = 0; i < np; i++) {
        if (!isfinite(pts[i].x) || !isfinite(pts[i].y))
            continue;
        double px = XPOS(pts[i].x * xscale), py = ypos(&f, pts[i].y * yscale);
        tri_buf_puts(b, "<rect x=\"");
        num(b, px - 4.5);
        tri_buf_puts(b, "\" y=\"");
        num(b, py - 4.5);
        tri_buf_printf(b, "\" width=\"9\" height=\"9\" fill=\"%s\" transform=\"rotate(45 ", tri_svg_colour(pts[i].colour));
        num(b, px);
        tri_buf_puts(b, " ");
        num(b, py);
        tri_buf_puts(b, ")\"/>");
        if (pts[i].label) {
            double tx, ty;
            int left;
            xy_place_label(&obst, pts[i].label, px, py, px > ML + f.w * 2.0 / 3, &tx, &ty, &left);
            tri_buf_puts(b, "<text class=\"tick\" x=\"");
            num(b, tx);
            tri_buf_puts(b, "\" y=\"");
            num(b, ty);
            tri_buf_printf(b, "\" text-anchor=\"%s\">", left ? "end" : "start");
            tri_html_esc(b, pts[i].label);
            tri_buf_puts(b, "</text>");
        }
        tri_buf_puts(b, "\n");
    }
#undef XPOS
    if (ax->legend)
        draw_legend(b, &f, names, colours, kind, nl);
    tri_buf_puts(b, "</svg>\n");
}
