/* Internal header of the analyses (Monte Carlo, sweeps, tornado and Morris
 * sensitivity, MACCs, epsilon-constraint fronts), split by concern:
 *   table.c        result tables (tr_table) and the tr_analysis that holds them
 *   pool.c         document edits and parameter runs on a pool of threads
 *   montecarlo.c   Monte Carlo sampling, its statistics and merges of parts
 *   sensitivity.c  sweeps, tornado and Morris elementary effects
 *   macc.c         static and model marginal abatement cost curves
 *   pareto.c       epsilon-constraint fronts of two objectives
 * Never installed. */
#ifndef TRI_ANALYSIS_H
#define TRI_ANALYSIS_H

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "result.h"

/* ------------------------------------------------------------ tables (table.c) */

struct tr_table {
    char *name;
    size_t nc, nr, rcap;
    char **cols;
    unsigned char *txt;
    double *num;   /* [nr*nc] */
    char **str;    /* [nr*nc] */
};

struct tr_analysis {
    tr_table **tab;
    size_t nt;
    size_t done, total;
    int cancelled;
};

/* a new table of @nc columns called @name (NULL on OOM); free with tri_tbl_free() */
tr_table *tri_tbl_new(const char *name, size_t nc);
void tri_tbl_free(tr_table *t);
/* a new table @name with the @nc columns @cols, column c holding strings
 * when @text[c] (@text NULL: all numbers); NULL on OOM */
tr_table *tri_tbl_new_cols(const char *name, size_t nc, const char *const *cols, const int *text);
/* the end of a table builder: @t when @ok, else @t freed and NULL (out of
 * memory) */
tr_table *tri_tbl_done(tr_table *t, int ok);
/* name column @c; @text: it holds strings. 0 on OOM */
int tri_tbl_col(tr_table *t, size_t c, const char *name, int text);
/* append a row of NaNs / NULL strings; its index, -1 on OOM */
long tri_tbl_row(tr_table *t);
void tri_tbl_num(tr_table *t, long r, size_t c, double v);
/* 0 on OOM */
int tri_tbl_txt(tr_table *t, long r, size_t c, const char *s);
/* add @t to @a, which owns it from then on (freed also when this fails: 0) */
int tri_an_add(tr_analysis *a, tr_table *t);
/* The analyses' one way out: on failure free the half-built analysis in
 * *@out (if any) and set *@out to NULL; @st is returned as it is (TR_OK
 * keeps it) */
tr_status tri_an_finish(tr_analysis **out, tr_status st);
/* common checks of an analysis' scenario and options: defaults into @oo, a
 * new empty analysis into *@out; @unc_for names the analysis that needs an
 * `uncertainty:` section (NULL: none needed) (montecarlo.c) */
tr_status tri_an_check_args(const tr_scenario *sc, const tr_analysis_opts *o, tr_analysis_opts *oo, tr_analysis **out, const char *unc_for);
/* the prologue of the analyses that work on one built LP (macc, mga,
 * pareto): build @sc's model into *@m and solve it (the whole LP when
 * @monolithic, so that its basis can be reused); an error unless the
 * scenario itself is optimal ("@what: the scenario itself is ...").
 * On TR_OK *@m is the solved model and, if @r, *@r its result (the caller
 * frees both); on failure *@m may still be set (the caller frees it). */
tr_status tri_an_base_solve(const tr_scenario *sc, const char *what, int monolithic, tr_model **m, tr_result **r);

/* Text from the user (names, units, currencies) in a cell of a text table
 * or a Markdown table (table.c): a newline or other control character, or
 * in Markdown a '|', would break the table. @s itself when nothing needs
 * escaping, else @buf (of @n bytes, cut to fit): text tables show "\n",
 * "\t", "\r" (other controls as '?'), Markdown "\|" and a space for a
 * line break. */
const char *tri_cell_text(const char *s, char *buf, size_t n);
const char *tri_cell_md(const char *s, char *buf, size_t n);

/* ------------------------------------------------------------ runs (pool.c) */

typedef struct tri_edit {
    const char *path;
    int scale;
    double v;
} tri_edit;

/* a copy of @sc's scenario with the @ne edits applied, compiled */
tr_status tri_edited_scen(const tr_scenario *sc, const tri_edit *e, size_t ne, tri_scen **out);

typedef struct tri_runres {
    int status;            /* tr_sol_status, or -1 when not run */
    double *tot;           /* [NT] */
    double *ser;           /* [NS*Y] */
    char *failed;          /* infeasible: ",a,b," policies that cannot be met */
    char *why;             /* failed: the message that rejected the run's values */
} tri_runres;

typedef struct tri_runs tri_runs;
typedef void (*tri_edits_fn)(const tri_runs *p, size_t run, tri_edit *e, size_t *ne);

struct tri_runs {
    const tr_scenario *sc;
    const tr_analysis_opts *o;
    size_t n, nedit;
    size_t first, end;        /* the runs [first, end) of the n planned (a part of a Monte Carlo) */
    tri_edits_fn edits;
    const void *user;
    /* result layout from the base run */
    size_t NT, NS, Y;
    char **tname, **sname;
    tri_runres *res;
    int *base_rs, *base_cs;   /* basis of the base solution (read-only for workers) */
    int base_cancelled;       /* the progress callback cancelled during the base solve */
    const char *what;         /* the analysis, for messages ("montecarlo") */
    double extra_bytes;       /* memory the analysis holds besides the runs (the draws) */
    /* shared state */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    size_t next, done;
    int cancel, running;
    tr_status err;
    char errmsg[1024];
};

/* plan @n runs of @nedit edits each, made by @edits from @user */
void tri_runs_setup(tri_runs *p, const tr_scenario *sc, const tr_analysis_opts *o, size_t n, size_t nedit, tri_edits_fn edits, const void *user);
/* Solve the base case once (names of totals and series, the basis); a
 * no-op when done. TR_E_STATE when cancelled. */
tr_status tri_runs_base(tri_runs *p);
/* the memory p's runs need once p->NT, NS, Y are known (tri_runs_base) */
double tri_runs_bytes(const tri_runs *p);
/* TR_E_INVAL, saying so, when @bytes for @n runs of @what exceed the memory
 * this machine gives the process (physical memory, RLIMIT_AS, cgroup) */
tr_status tri_mem_check(const char *what, size_t n, double bytes);
/* Solve the base case (if not done), check the memory, then the runs on worker threads (fills p->res).
 * TR_OK also when cancelled during the runs; TR_E_STATE when cancelled
 * during the base solve. */
tr_status tri_runs_run(tri_runs *p, tr_analysis *a);
void tri_runs_free(tri_runs *p);
/* Add the table "failures" to @a when some of p's runs failed (values the
 * scenario rejects, solver failures): reason (the message without the
 * rejected value), runs, first_run, first_message; most frequent first.
 * *@nfailed: runs that failed; *@nok: optimal runs. */
tr_status tri_failures_add(const tri_runs *p, tr_analysis *a, size_t *nfailed, size_t *nok);
/* index of the total called @name in the runs' results, -1 if none */
long tri_runs_find_total(const tri_runs *p, const char *name);
/* tr_sol_status_name() of a run's status, "not run" for -1 */
const char *tri_run_status_name(int st);

/* ------------------------------------------------------------ Monte Carlo points (montecarlo.c) */

/* runs that set every uncertain parameter: Monte Carlo, tornado, Morris */
typedef struct tri_mcdata {
    const tri_scen *s;
    double *x;   /* [n*NU] the parameters' values, run by run */
} tri_mcdata;
void tri_mc_edits(const tri_runs *p, size_t run, tri_edit *e, size_t *ne);

/* ------------------------------------------------------------ objectives (macc.c) */

/* coef[1..ncols] and *c0 of @sense times the indicator summed over years @t0..@t1 */
tr_status tri_ind_objective(const tr_model *m, tri_indicator ind, size_t t0, size_t t1, double sense, double *coef, double *c0);
/* an extra row sum coef*x named @name; its number, 0 on OOM */
int tri_coef_row(tr_model *m, const double *coef, const char *name);
/* coef*x + c0 at the model's last solution */
double tri_fvalue(const tr_model *m, const double *coef, double c0);
/* solve @m (dual simplex, warm); *optimal says whether it was */
tr_status tri_solve_opt(tr_model *m, tr_result **r, int *optimal);

#endif
