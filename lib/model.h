/* The built LP and its index maps (build.c, solve.c, extract.c). No solver
 * types: the LP lives behind lp.h (glpk_backend.c). */
#ifndef TRI_MODEL_H
#define TRI_MODEL_H
#include "tr_internal.h"
#include "lp.h"
#include "result.h"

typedef enum { TRI_ROW_STOCK, TRI_ROW_EXCL, TRI_ROW_POLICY } tri_row_kind;

/* One policy row: which policy, year and plant it stands for. */
typedef struct tri_prow {
    int row;               /* LP row (1-based, lp.h) */
    size_t pol;
    size_t t;              /* year index */
    long plant;            /* -1: sector-wide */
    int ge;                /* 1: >= row (floor, mandate) */
    double konst;          /* constant part of the indicator moved to the rhs */
    double rhs;            /* bound of the variable part */
    double denom;          /* production the intensity is per (1 for absolute rows) */
} tri_prow;

/* The LP as plain arrays (1-based columns and triplets as in lp.h; rows 0-based;
 * ctype and rtype hold tri_lp_bound values). */
typedef struct tri_lpd {
    size_t ncols, nrows, nnz;
    tri_lp_bound *ctype;
    double *clb, *cub, *obj;
    char **cname;          /* only while loading */
    tri_lp_bound *rtype;
    double *rlb, *rub;
    char **rname;          /* only while loading */
    int *ia, *ja;
    double *ar;
    double obj0;
} tri_lpd;

/* The elastic LP's slack columns (solve.c defines them; decomp.c adds them
 * to its arrays): slack i enters LP row row[i] with coefficient coef[i],
 * is at least 0 and costs cost[i]. */
typedef struct tri_elastic {
    size_t n;
    int *row;
    double *coef, *cost;
} tri_elastic;

/* A sparse row under construction: dense accumulator + touched list. */
typedef struct tri_rowacc {
    double *val;           /* [ncols+1] */
    int *idx;              /* touched columns */
    unsigned char *on;     /* [ncols+1] touched flags */
    size_t n;
} tri_rowacc;

struct tr_model {
    tri_scen *s;
    char sha[65];
    tri_lphold hold;       /* the backend's problem (hold.lp), registered per thread */
    size_t J;              /* (plant, technology) pairs */
    size_t *jp, *jk;
    int *acol, *ncol, *qcol;   /* [J*Y], 0 = no column */
    size_t ncols, nrows, nnz;
    double obj0;           /* constant of the objective */
    tri_prow *prow;
    size_t nprow;
    /* §12 columns ([P*Y] / [R*Y], 0 = none) and demand rows */
    int *ocol, *kcol, *bcol, *Ccol, *mcol, *drow;
    int solved_basis;      /* a valid basis from the last simplex exists */
    int names;             /* name rows and columns while building */
    int named;             /* the backend's problem has its row and column names */
    tri_lpd lpd;           /* the LP as loaded (for in-place updates) */
    int obj_swapped;       /* an analysis replaced the objective */
    int upd_primal;        /* the last update changed costs only: warm-start the primal simplex */
    int flip;              /* dual simplex with the bound-flipping ratio test (warm re-solves of
                            * analyses: ~25 % faster there, slower on a whole large LP from scratch) */
    int lp_wait;           /* lp is built at its first use (a model solved once: a decomposed
                            * solve never needs it) */
};

/* indicator as linear form in the columns: adds w*coef*col into @acc and
 * returns the constant (not scaled by @w); plant < 0 means the whole
 * sector, product >= 0 only that product's plants. */
double tri_ind_terms(const tr_model *m, tri_indicator ind, size_t t, long plant, long product, double w,
                     tri_rowacc *acc);
/* production x[p,y] = constant + coef * column (column 0: fixed) */
double tri_x_part(const tr_model *m, size_t p, size_t t, int *col, double *coef);
/* the (plant, technology) pairs of plant p, contiguous: [*j0, *j1) */
void tri_plant_pairs(const tr_model *m, size_t p, size_t *j0, size_t *j1);
void tri_acc_add(tri_rowacc *acc, int col, double v);
tr_status tri_acc_init(tri_rowacc *acc, size_t ncols);
void tri_acc_free(tri_rowacc *acc);

tr_status tri_build(tr_model *m, int lazy);
void tri_model_reload(tr_model *m);
tr_status tri_model_name(tr_model *m);
tr_status tri_model_update(tr_model *m, tri_scen *s, int *reloaded);
void tri_model_release_maps(tr_model *m);
void tri_lpd_free(tri_lpd *d);

/* solve.c: helpers for analyses */
tr_status tri_basis_save(const tr_model *m, int **rs, int **cs);
int tri_basis_load(tr_model *m, const int *rs, const int *cs);
int tri_model_add_row(tr_model *m, const int *ind, const double *val, int len, const char *name);
void tri_model_row_bound(tr_model *m, int row, int upper, double rhs);
double tri_model_row_dual(const tr_model *m, int row);
double tri_model_col_value(const tr_model *m, int col);
void tri_model_objective(tr_model *m, const double *coef, double c0);
void tri_model_scale(tr_model *m);
tr_status tri_parse_indicator(const tri_scen *s, const char *name, tri_indicator *out);
tr_status tri_model_from_scen(tri_scen *s, const char *sha, int lazy, tr_model **out);

/* extract.c: results from the solution's plain arrays (1-based like the LP:
 * xcol[1..ncols], rowprim/rowdual[1..nrows]). */
tr_status tri_extract(const tr_model *m, const double *xcol, const double *rowprim, const double *rowdual,
                      tr_result *r);
tr_result *tri_result_new(const tr_model *m);
/* a diagnosis of the unmet row @pr; @act: the row's activity (the
 * indicator's variable part) at the elastic solution */
tr_status tri_result_add_diag(tr_result *r, const tr_model *m, const tri_prow *pr, double act);

/* myopic.c: the rolling horizon's windows on the model's LP (solve.c runs
 * them): tri_myopic_next loads the next window into the backend's problem
 * (the years before it fixed at @x) and returns 0 when every year is kept;
 * tri_myopic_keep copies the kept years' columns and row duals of a
 * window's solution into @out; tri_myopic_restore puts back the model's own
 * bounds and costs; tri_myopic_label names the window in an unsolved
 * result's diagnosis and message. */
typedef struct tri_myopic tri_myopic;
tr_status tri_myopic_new(const tr_model *m, int N, int K, tri_myopic **out);
void tri_myopic_free(tri_myopic *w);
int tri_myopic_next(tri_myopic *w, tr_model *m, const double *x);
int tri_myopic_windows(const tri_myopic *w);
void tri_myopic_keep(const tri_myopic *w, const tr_model *m, const tri_lp_sol *win, tri_lp_sol *out);
void tri_myopic_restore(tr_model *m);
tr_status tri_myopic_label(const tri_myopic *w, const tr_model *m, tr_result *r);

#endif
