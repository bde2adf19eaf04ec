/* Dantzig-Wolfe decomposition of a block-angular LP (decomp.c). No solver
 * types: the LP comes in as arrays, the solution goes out as lp.h's
 * solution type. */
#ifndef TRI_DECOMP_H
#define TRI_DECOMP_H
#include <stddef.h>

#include "lp.h"

/* The LP: min obj0 + obj.x  s.t. row bounds on A x, column bounds.
 * Columns are 1-based (1..n) as in lp.h; rows 0-based (0..nr-1).
 * A is given column-wise: column j's entries are cbeg[j]..cbeg[j+1]-1 of
 * crow (0-based rows, increasing) and cval. colblk[j] is the block (plant)
 * of column j, or -1 for a column that stays in the master (imports). */
typedef struct tri_dwlp {
    int n, nr;
    const tri_lp_bound *ctype;
    const double *clb, *cub, *obj;
    double obj0;
    const tri_lp_bound *rtype;
    const double *rlb, *rub;
    const int *cbeg, *crow;
    const double *cval;
    const int *colblk;
    int nblk;
} tri_dwlp;

typedef struct tri_dwopts {
    int threads;          /* worker threads (>= 1) */
    double gap;           /* relative gap at which to stop */
    double time_limit_s;  /* <= 0: none */
    int aggregate;        /* 1: identical blocks share one subproblem */
    double tol_primal, tol_dual;
    int (*progress)(int round, double gap, void *ud);   /* non-zero: cancel (TRI_LP_LIMIT) */
    void *ud;
} tri_dwopts;

typedef struct tri_dwres {
    /* status OPTIMAL, INFEASIBLE, LIMIT, FAILED or NOMEM; when optimal
     * x[1..n], rowdual[1..nr], obj = obj0 + obj.x, and rowprim[1..nr]
     * zero (the caller has the matrix in its own order) */
    tri_lp_sol sol;
    int iters;            /* master solves */
    int blocks, classes;  /* decomposed blocks; distinct subproblems */
    int resident;         /* blocks kept whole in the master (unbounded subproblems) */
    int linking;          /* rows in the master */
    size_t columns;       /* columns generated */
    double gap;           /* relative gap proven at the end */
    int lp_lost;          /* the backend failed in the calling thread: its problems are gone */
} tri_dwres;

/* Solve @lp; fills @res (free with tri_dw_res_free). Never aborts. */
void tri_dw_solve(const tri_dwlp *lp, const tri_dwopts *o, tri_dwres *res);
void tri_dw_res_free(tri_dwres *res);

struct tr_model;
struct tri_elastic;
/* the model's LP (its lpd arrays), blocks by plant; the outcome in @res */
void tri_decomp_model(const struct tr_model *m, const tri_dwopts *o, tri_dwres *res);
/* the elastic copy (diagnosis of an infeasible scenario): the model's LP
 * without costs plus the slack columns @e; @slack [nprow], and the model's
 * columns at the solution in @x [1..lpd.ncols] */
tri_lp_status tri_decomp_elastic(const struct tr_model *m, const struct tri_elastic *e, const tri_dwopts *o,
                                 double *slack, double *x, int *lost);

#endif
