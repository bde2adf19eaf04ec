/* The LP backend: the one boundary between techroad and its LP solver.
 * glpk_backend.c implements it with GLPK and is the only file of lib/ that
 * includes GLPK's header; a second backend implements these functions again.
 *
 * Numbering: an LP's columns are 1..ncols and its rows 1..nrows, index 0 of
 * the objective being its constant (the numbering of the model's arrays,
 * tri_lpd, and of the solution arrays extract.c reads). Index lists of
 * tri_lp_set_mat_row/col and tri_lp_load use entries 1..len (entry 0
 * unused).
 *
 * Threads: a backend's problems belong to the thread that made them. Every
 * call that can fail inside the solver runs under tri_lp_guard(), which turns
 * the solver's internal error into a return value; the thread's problems are
 * then gone, and every tri_lphold of the thread loses its LP. */
#ifndef TRI_LP_H
#define TRI_LP_H
#include <stddef.h>

#include "techroad/tr_errors.h"

typedef struct tri_lp tri_lp;

/* bounds of a row or a column */
typedef enum {
    TRI_LP_FREE = 1,   /* -inf < v < +inf */
    TRI_LP_LOWER,      /* lb <= v */
    TRI_LP_UPPER,      /* v <= ub */
    TRI_LP_DOUBLE,     /* lb <= v <= ub */
    TRI_LP_FIXED       /* v = lb */
} tri_lp_bound;

static inline int tri_lp_has_lower(int t) { return t == TRI_LP_LOWER || t == TRI_LP_DOUBLE || t == TRI_LP_FIXED; }
static inline int tri_lp_has_upper(int t) { return t == TRI_LP_UPPER || t == TRI_LP_DOUBLE || t == TRI_LP_FIXED; }

/* what a solve found */
typedef enum {
    TRI_LP_OPTIMAL,
    TRI_LP_INFEASIBLE,
    TRI_LP_UNBOUNDED,
    TRI_LP_LIMIT,      /* stopped by a time or iteration limit, or cancelled */
    TRI_LP_FAILED,     /* numerical failure or an unexpected answer */
    TRI_LP_NOMEM
} tri_lp_status;

/* One solution type for every way of solving the model's LP (the whole LP
 * by simplex or interior point, the decomposition): x[1..ncols],
 * rowprim[1..nrows], rowdual[1..nrows]; obj includes the constant. */
typedef struct tri_lp_sol {
    tri_lp_status status;
    double *x, *rowprim, *rowdual;
    double obj;
    char msg[256];     /* why, when not optimal ("" if nothing to say) */
} tri_lp_sol;

/* allocate the three arrays (zeroed); 0, or -1 out of memory */
int tri_lp_sol_alloc(tri_lp_sol *s, size_t ncols, size_t nrows);
void tri_lp_sol_free(tri_lp_sol *s);

/* ------------------------------------------------------------ threads and errors */

/* per thread, from tr_library_init(): the solver's terminal output goes to
 * the library's log callback; problems other threads left to this one are
 * deleted; the thread's solver environment is freed when the thread ends */
void tri_lp_thread_init(void);
/* free this thread's solver environment now (a worker thread that ends) */
void tri_lp_thread_done(void);
const char *tri_lp_version(void);

/* Run @fn(@arg) guarded: 0 when it returned, -1 when the solver failed
 * inside it (its problems in this thread are gone, every hold of the thread
 * has lost its LP, and the environment is fresh). Guards nest. */
int tri_lp_guard(void (*fn)(void *arg), void *arg);

/* A model's hold on its LP: registered, so that a solver failure or the end
 * of the thread that built the LP sets lp to NULL instead of leaving it
 * dangling, and an LP freed by another thread is deleted by its own. */
typedef struct tri_lphold {
    tri_lp *lp;
    unsigned long owner;        /* the thread that made lp */
    int thread_gone;            /* lp was lost because its thread ended (not a failure) */
    struct tri_lphold *next, *prev;
} tri_lphold;
void tri_lphold_add(tri_lphold *h);   /* owner: this thread */
void tri_lphold_del(tri_lphold *h);
/* take h->lp away for deletion: at once when this thread made it, else by
 * its own thread; @adopt: this thread owns the hold afterwards. 0, or -1
 * when the LP could not be handed over (it stays until its thread ends) */
int tri_lphold_release(tri_lphold *h, int adopt);
/* the hold's LP belongs to another thread or that thread has ended */
int tri_lphold_foreign(const tri_lphold *h);

/* ------------------------------------------------------------ problems */

/* minimisation, no rows or columns; @name (may be NULL) is free text: the
 * backend makes of it a name it takes */
tri_lp *tri_lp_new(const char *name);
void tri_lp_free(tri_lp *lp);
void tri_lp_clear(tri_lp *lp);          /* back to tri_lp_new's state, unnamed */
tri_lp *tri_lp_copy(const tri_lp *lp);  /* without names; the basis comes along */
int tri_lp_add_rows(tri_lp *lp, int n); /* the first new row */
int tri_lp_add_cols(tri_lp *lp, int n); /* the first new column */
void tri_lp_del_cols(tri_lp *lp, int n, const int *cols);   /* cols[1..n] */
int tri_lp_nrows(const tri_lp *lp);
int tri_lp_ncols(const tri_lp *lp);
void tri_lp_set_obj_name(tri_lp *lp, const char *name);
void tri_lp_set_row_name(tri_lp *lp, int i, const char *name);
void tri_lp_set_col_name(tri_lp *lp, int j, const char *name);
void tri_lp_set_row_bounds(tri_lp *lp, int i, tri_lp_bound t, double lb, double ub);
void tri_lp_set_col_bounds(tri_lp *lp, int j, tri_lp_bound t, double lb, double ub);
void tri_lp_set_obj(tri_lp *lp, int j, double c);   /* j = 0: the constant */
void tri_lp_set_mat_row(tri_lp *lp, int i, int len, const int *ind, const double *val);
void tri_lp_set_mat_col(tri_lp *lp, int j, int len, const int *ind, const double *val);
/* the whole matrix as triplets ia[k], ja[k], ar[k], k = 1..nnz */
void tri_lp_load(tri_lp *lp, size_t nnz, const int *ia, const int *ja, const double *ar);

/* ------------------------------------------------------------ solving */

typedef enum { TRI_LP_DUAL_SIMPLEX, TRI_LP_PRIMAL_SIMPLEX } tri_lp_method;

typedef struct tri_lp_params {
    tri_lp_method method;
    int verbosity;             /* 0 silent, 1 the solver's messages, 2 all of them */
    int presolve;
    double tol_primal, tol_dual;   /* 0: the solver's defaults */
    double time_limit_s;       /* <= 0: none */
    int iter_limit;            /* 0: none */
    int flip;                  /* bound-flipping ratio test (dual simplex) */
    int textbook_pricing;      /* Dantzig's rule instead of steepest edge */
} tri_lp_params;
void tri_lp_params_init(tri_lp_params *p);   /* dual simplex, silent, no presolve, defaults */

/* how one simplex call ended */
typedef enum {
    TRI_LP_DONE,           /* ended normally: tri_lp_get_status tells what it found */
    TRI_LP_NUMERIC,        /* singular or ill-conditioned basis, numerical failure */
    TRI_LP_NO_PRIMAL,      /* presolve: no primal feasible solution */
    TRI_LP_NO_DUAL,        /* presolve: no dual feasible solution */
    TRI_LP_TIME,           /* time limit */
    TRI_LP_ITERATIONS,     /* iteration limit */
    TRI_LP_OTHER           /* anything else */
} tri_lp_end;

/* @code (may be NULL) receives the solver's own return code, for messages */
tri_lp_end tri_lp_simplex(tri_lp *lp, const tri_lp_params *p, int *code);
/* interior point; @verbosity as in tri_lp_params */
tri_lp_end tri_lp_interior(tri_lp *lp, int verbosity, int *code);
/* the status of the last simplex (or interior) solution: OPTIMAL,
 * INFEASIBLE, UNBOUNDED, else FAILED (undefined or only feasible) */
tri_lp_status tri_lp_get_status(const tri_lp *lp, int interior);
/* "<solver> stopped with code C, status S": a stop of no other kind */
void tri_lp_stop_message(const tri_lp *lp, int interior, int code, char *buf, size_t n);
void tri_lp_scale(tri_lp *lp);          /* automatic scaling (kept with the problem) */
void tri_lp_fresh_basis(tri_lp *lp);    /* an advanced (crash) basis */
void tri_lp_std_basis(tri_lp *lp);      /* every row basic */

double tri_lp_obj(const tri_lp *lp, int interior);
double tri_lp_col_value(const tri_lp *lp, int interior, int j);
double tri_lp_col_dual(const tri_lp *lp, int j);
double tri_lp_row_value(const tri_lp *lp, int interior, int i);
double tri_lp_row_dual(const tri_lp *lp, int interior, int i);
int tri_lp_col_basic(const tri_lp *lp, int j);
/* x[1..ncols], rowprim and rowdual[1..nrows] and obj of @s from the last
 * solution (the first rows and columns: the problem may have more) */
void tri_lp_read(const tri_lp *lp, int interior, size_t ncols, size_t nrows, tri_lp_sol *s);

/* a basis: rows[0] = nrows, cols[0] = ncols, then one opaque status each */
int tri_lp_row_stat(const tri_lp *lp, int i);
int tri_lp_col_stat(const tri_lp *lp, int j);
void tri_lp_set_row_stat(tri_lp *lp, int i, int stat);
void tri_lp_set_col_stat(tri_lp *lp, int j, int stat);
void tri_lp_set_row_basic(tri_lp *lp, int i);

/* ------------------------------------------------------------ files */

typedef enum { TRI_LP_FILE_CPLEX, TRI_LP_FILE_MPS, TRI_LP_FILE_NATIVE } tri_lp_file;

/* GLPK writes by file name and does not check its last flush or close (a
 * small LP on a full disk or /dev/full "succeeded", leaving an empty file).
 * So it writes to a spool, a temporary file already unlinked where /proc
 * allows (nothing outlives the process), whose status and last line
 * (the format's end marker) are checked before its bytes go to @path
 * through tri_write_file(): whole file or none, every write checked.
 * tri_lp_spool_open() outside the guard, tri_lp_write(lp, f, s->name) in it,
 * tri_lp_spool_finish() outside it (always, to close the spool; with @path
 * NULL it only closes it). */
typedef struct tri_lp_spool {
    int fd;
    int unlinked;      /* name is /proc/self/fd/N; else the temporary file's path */
    char name[4096];
} tri_lp_spool;
tr_status tri_lp_spool_open(tri_lp_spool *s);
int tri_lp_write(const tri_lp *lp, tri_lp_file f, const char *path);   /* 0, or errno (or -1) */
tr_status tri_lp_spool_finish(tri_lp_spool *s, tri_lp_file f, int rc, const char *path);

/* ------------------------------------------------------------ test hook */

/* provoke the solver's internal error handling (an index out of range) */
void tri_lp_test_error(tri_lp *lp);

#endif
