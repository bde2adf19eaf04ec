/* Internal header of the roadmap report: what report.c computes once from
 * the scenarios and their results, read by its Markdown and CSV writers and
 * by the HTML page (report_html.c). Never installed. */
#ifndef TRI_REPORT_H
#define TRI_REPORT_H

#include "result.h"

/* the policy-coherence warnings, collected once for every output */
typedef struct tri_warn {
    tri_buf csv, md;
    tri_buf *html;     /* [nhtml]: each scenario's warnings as HTML list items */
    size_t nhtml, cur; /* cur: the scenario being checked */
    size_t n;
} tri_warn;

/* the report's inputs */
typedef struct tri_report {
    const tr_scenario *const *sc;
    const tr_result *const *res;
    size_t n;
    const tri_scen *bs;              /* the baseline's, or NULL */
    const tr_scenario *base_sc;      /* the baseline scenario, or NULL */
    const tr_result *base;           /* the baseline's result, or NULL */
    const char *extra[32];           /* more summary columns: damage, other species, declared indicators */
    size_t nex;
    tri_warn w;
    char **label;                    /* [n] each scenario's name, with its file when two share it */
    const tr_analysis *audit;        /* an influence ranking (tr_audit_ranking), or NULL */
    /* the abatement cost curves, the front and MGA (tr_report_opts), run before writing */
    tr_analysis **macc;              /* [n] each scenario's measure curve in its last year, or NULL */
    size_t *macc_first;              /* [n] the first scenario whose curve is the same (itself if none) */
    const tr_scenario *subj_sc;      /* the subject of the model curve and the front: the baseline, or */
    const tr_result *subj;           /*   the first scenario */
    tr_analysis *macc_model;         /* the subject's model curve, or NULL */
    const char *macc_model_why;      /* why there is none though it was asked for, or NULL */
    tr_analysis *front;              /* the subject's front with "variants", or NULL */
    tr_analysis **mga;               /* [n] near-optimal ranges, or NULL */
    double mga_slack;
} tri_report;

/* the columns of a measure curve (tr_analysis_macc_measures' table), -1 when missing */
typedef struct tri_macc_cols {
    long rank, tech, group, cost, gj, avoided, cce, cpt, cum, note;
} tri_macc_cols;
/* the measure curve of scenario @i, or NULL; @cols filled */
const tr_table *tri_report_macc(const tri_report *rp, size_t i, tri_macc_cols *cols);
/* the member of @row's exclusive group the curve takes (ranked), or NULL */
const char *tri_report_macc_taken(const tr_table *t, const tri_macc_cols *c, size_t row);
/* column @name of @t, or -1 */
long tri_report_col(const tr_table *t, const char *name);
/* the label of scenario @i: its name, with its file when two share it */
const char *tri_report_label(const tri_report *rp, size_t i);
/* the year of the measure curve of scenario @i (its last) and the CO2 unit */
int tri_report_macc_year(const tri_report *rp, size_t i);
/* an objective of the front in words with its unit ("resource cost", the currency) */
void tri_report_objective(const tri_report *rp, const char *obj, char *words, size_t nw, const char **unit);

/* one scenario's line of the summary, against the baseline */
typedef struct tri_summary {
    int ok;
    double co2, abated, saved, rc, cpt;
} tri_summary;

/* the four series of a policy in a result (any may be NULL) */
typedef struct tri_polser {
    const tri_series *bind, *shadow, *value, *limit;
} tri_polser;

/* the series @name of @r, or NULL */
const tri_series *tri_report_series(const tr_result *r, const char *name);
/* the total @name of @r, or NaN */
double tri_report_total(const tr_result *r, const char *name);
/* a readable number with the report's fixed rules ("–" for NaN) */
const char *tri_report_num(double v, char *buf, size_t n);
tri_summary tri_report_summary(const tri_report *rp, const tr_result *r);
/* @r is optimal and has the years of an optimal baseline */
int tri_report_comparable(const tri_report *rp, const tr_result *r);
/* energy saved, CO2 abated and extra investment per year against the
 * baseline, into @d[3*Y] (NaN where a series is missing) */
void tri_report_against_baseline(const tri_report *rp, const tr_result *r, double *d);
tri_polser tri_report_policy_series(const tr_result *r, const char *id);

/* the section "What these results rest on": the first @top rows of the
 * audit's ranking, as read by both writers (report.c) */
typedef struct tri_rests {
    const tr_table *t;
    size_t rows;
    long path, value, low, high, out_low[3], out_high[3], where, searched, note;
    double base[3];
    const char *scenario;
} tri_rests;
/* 0 when the report has no ranking */
int tri_report_rests(const tri_report *rp, size_t top, tri_rests *out);

/* the explanations both writers print (report.c) */
extern const char tri_report_macc_intro[], tri_report_model_macc_intro[], tri_report_front_intro[];
/* 1 when a later scenario has the measure curve of @i; their labels as a list into @b */
int tri_report_macc_shared(const tri_report *rp, size_t i);
void tri_report_same_curve(tri_buf *b, const tri_report *rp, size_t i, int html);

/* report_html.c: the page, and one warning as a list item into @b */
void tri_report_html(tri_buf *b, const tri_report *rp);
void tri_report_html_warning(tri_buf *b, const char *msg);

#endif
