/* solve: the model handle, the choice between the whole LP (simplex or
 * interior point, through lp.h) and the decomposition (decomp.c), the check
 * of every optimal solution against the rows, and the elastic re-solve that
 * diagnoses infeasible scenarios. tr_model_solve reads as its steps:
 * validate the options, choose the method, solve, verify, then extract the
 * results or diagnose. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decomp.h"
#include "lp.h"
#include "model.h"

/* solver noise: |x| below it is zero (shares of 1e-16, capacities of 1e-12 t/yr) */
#define NOISE 1e-9

void tr_solve_opts_init(tr_solve_opts *o)
{
    if (!o)
        return;
    memset(o, 0, sizeof *o);
    o->method = TR_METHOD_DUAL;
    o->presolve = 1;
    o->time_limit_s = 0;
    o->verbosity = 0;
    o->diagnose = 1;
    o->verify = 1;
    o->tol_primal = 1e-7;
    o->tol_dual = 1e-7;
    o->structure = TR_STRUCTURE_AUTO;
    o->threads = 0;
    o->gap = 1e-9;
    o->aggregate = 1;
}

/* ------------------------------------------------------------ the model handle */

static void reload(void *m) { tri_model_reload(m); }

/* A model used by another thread than the one that built it moves to the
 * calling thread: its LP is built again here from the model's data (the
 * backend's problems belong to the thread that made them; the old one is
 * left to that thread), also when that thread has ended. */
static tr_status model_adopt(tr_model *m)
{
    if (!tri_lphold_foreign(&m->hold))
        return TR_OK;
    tri_lphold_release(&m->hold, 1);
    if (tri_lp_guard(reload, m) != 0) {
        m->hold.lp = NULL;
        return TR_FAIL(TR_E_SOLVER, "GLPK failed while moving the model to this thread");
    }
    return TR_OK;
}

/* The LP of a model built without it, at its first use (under a guard: the
 * backend may fail). */
static void model_need_lp(tr_model *m)
{
    if (m->hold.lp || !m->lp_wait)
        return;
    m->lp_wait = 0;
    tri_model_reload(m);
}

/* the start of every call that uses a model's LP */
static tr_status model_ready(tr_model *m)
{
    tr_library_init();
    tr_status st = model_adopt(m);
    if (st == TR_OK && !m->hold.lp && !m->lp_wait)
        st = TR_FAIL(TR_E_STATE, "the model is unusable after an earlier GLPK failure");
    return st;
}

static void model_free(tr_model *m)
{
    if (!m)
        return;
    /* release while still registered: a thread ending meanwhile either
     * took the problem with its environment first (hold.lp is NULL) or
     * finds and drops the orphan; after tri_lphold_del an orphan could
     * outlive its thread, and a new thread with the same id would delete a
     * dangling problem */
    tri_lphold_release(&m->hold, 0);
    tri_lphold_del(&m->hold);
    tri_scen_free(m->s);
    tri_model_release_maps(m);
    tri_free(m);
}

void tr_model_free(tr_model *m) { model_free(m); }

tr_status tr_model_new(const tr_scenario *sc, tr_model **out)
{
    if (!out)
        return TR_FAIL(TR_E_INVAL, "tr_model_new: out is NULL");
    *out = NULL;
    if (!sc)
        return TR_FAIL(TR_E_INVAL, "tr_model_new: scenario is NULL");
    return tri_model_from_scen(tri_scen_ref(sc->scen), sc->sha, 0, out);
}

typedef struct build_call {
    tr_model *m;
    int lazy;
    tr_status st;
} build_call;

static void build(void *arg)
{
    build_call *b = arg;
    b->st = tri_build(b->m, b->lazy);
}

/* Takes a reference to @s. @lazy: a model solved once, whose LP is built
 * in the backend only if that solve needs it (not when it is decomposed). */
tr_status tri_model_from_scen(tri_scen *s, const char *sha, int lazy, tr_model **out)
{
    tr_library_init();
    *out = NULL;
    tr_model *m = tri_calloc(1, sizeof *m);
    if (!m) {
        tri_scen_free(s);
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    }
    m->s = s;
    snprintf(m->sha, sizeof m->sha, "%s", sha);
    tri_lphold_add(&m->hold);
    build_call b = {m, lazy, TR_OK};
    if (tri_lp_guard(build, &b) != 0) {
        m->hold.lp = NULL;
        model_free(m);
        return TR_FAIL(TR_E_SOLVER, "GLPK failed while building the LP");
    }
    if (b.st != TR_OK) {
        model_free(m);
        return b.st;
    }
    *out = m;
    return TR_OK;
}

size_t tr_model_row_count(const tr_model *m) { return m ? m->nrows : 0; }
size_t tr_model_col_count(const tr_model *m) { return m ? m->ncols : 0; }
size_t tr_model_nonzero_count(const tr_model *m) { return m ? m->nnz : 0; }

typedef struct write_call {
    tr_model *m;
    tri_lp_file f;
    const char *path;
    tr_status st;
    int rc;
} write_call;

static void write_lp(void *arg)
{
    write_call *w = arg;
    w->st = tri_model_name(w->m);
    if (w->st == TR_OK)
        w->rc = tri_lp_write(w->m->hold.lp, w->f, w->path);
}

tr_status tr_model_write_lp(tr_model *m, tr_lp_format format, const char *path)
{
    if (!m || !path)
        return TR_FAIL(TR_E_INVAL, "tr_model_write_lp: model and path must not be NULL");
    tr_status ast = model_ready(m);
    if (ast != TR_OK)
        return ast;
    if ((int)format < TR_LP_CPLEX || format > TR_LP_GLPK)
        return TR_FAIL(TR_E_INVAL, "tr_model_write_lp: unknown format %d", (int)format);
    tr_status pst = tri_mkparents(path);
    if (pst != TR_OK)
        return pst;
    tri_lp_file f = format == TR_LP_CPLEX ? TRI_LP_FILE_CPLEX : format == TR_LP_MPS ? TRI_LP_FILE_MPS : TRI_LP_FILE_NATIVE;
    tri_lp_spool sp;
    tr_status st = tri_lp_spool_open(&sp);
    if (st != TR_OK)
        return st;
    write_call w = {m, f, sp.name, TR_OK, 0};
    if (tri_lp_guard(write_lp, &w) != 0) {
        m->hold.lp = NULL;
        tri_lp_spool_finish(&sp, f, 0, NULL);
        return TR_FAIL(TR_E_SOLVER, "GLPK failed writing %s", path);
    }
    if (w.st != TR_OK) {
        tri_lp_spool_finish(&sp, f, 0, NULL);
        return w.st;
    }
    return tri_lp_spool_finish(&sp, f, w.rc, path);
}

/* ------------------------------------------------------------ checks */

/* Recompute every row's activity from the column values and check its
 * bounds and the columns' bounds; a violation beyond tolerance makes the
 * result "failed" instead of optimal. The model's rows and columns as built
 * (m->lpd; the backend's problem has the same ones, and a decomposed solve
 * may have none). */
static int verify(const tr_model *m, const double *x, char *why, size_t nwhy)
{
    const tri_lpd *d = &m->lpd;
    int n = (int)m->ncols, nr = (int)m->nrows;
    double *act = tri_calloc((size_t)nr + 1, sizeof *act), *mag = tri_calloc((size_t)nr + 1, sizeof *mag);
    int ok = act && mag;
    if (!ok)
        snprintf(why, nwhy, "out of memory while checking the solution");
    for (int j = 1; ok && j <= n; j++) {
        double lb = d->clb[j], ub = d->cub[j];
        int type = d->ctype[j];
        double tol = 1e-6 * fmax(1.0, fabs(x[j]));
        if ((tri_lp_has_lower(type) && x[j] < lb - tol) ||
            (tri_lp_has_upper(type) && x[j] > ub + tol) || !isfinite(x[j])) {
            snprintf(why, nwhy, "column %d = %g violates its bounds [%g, %g]", j, x[j], lb, ub);
            ok = 0;
        }
    }
    for (size_t k = 1; ok && k <= d->nnz; k++) {
        int i = d->ia[k];
        double v = d->ar[k] * x[d->ja[k]];
        act[i] += v;
        mag[i] += fabs(v);
    }
    for (int i = 1; ok && i <= nr; i++) {
        int type = d->rtype[i - 1];
        double lb = d->rlb[i - 1], ub = d->rub[i - 1];
        double tol = 1e-6 * fmax(1.0, fmax(mag[i], fmax(fabs(lb), fabs(ub))));
        if (!isfinite(act[i]) || (tri_lp_has_lower(type) && act[i] < lb - tol) ||
            (tri_lp_has_upper(type) && act[i] > ub + tol)) {
            snprintf(why, nwhy, "row %d = %.9g violates its bounds [%.9g, %.9g]", i, act[i], lb, ub);
            ok = 0;
        }
    }
    tri_free(act);
    tri_free(mag);
    return ok;
}

/* The duals of a decomposed solve are checked too: with the columns, they
 * must satisfy dual feasibility and complementary slackness (reduced costs
 * of columns inside their bounds are zero, at a bound they have the sign
 * that bound allows; rows likewise). Then they are an optimal dual solution
 * of the whole LP, whichever of several it is at a kink. */
static int verify_duals(const tr_model *m, const double *x, const double *rp, const double *rd, double obj,
                        char *why, size_t nwhy)
{
    const tri_lpd *d = &m->lpd;
    size_t n = d->ncols;
    double *dj = tri_calloc(n + 1, sizeof *dj), *mag = tri_calloc(n + 1, sizeof *mag);
    if (!dj || !mag) {
        tri_free(dj);
        tri_free(mag);
        snprintf(why, nwhy, "out of memory while checking the duals");
        return 0;
    }
    double ymax = 0;
    for (size_t i = 1; i <= d->nrows; i++)
        ymax = fmax(ymax, fabs(rd[i]));
    for (size_t j = 1; j <= n; j++) {
        dj[j] = d->obj[j];
        mag[j] = fabs(d->obj[j]);
    }
    for (size_t k = 1; k <= d->nnz; k++) {
        double v = d->ar[k] * rd[d->ia[k]];
        dj[d->ja[k]] -= v;
        mag[d->ja[k]] += fabs(v);
    }
    /* signs column by column; complementary slackness in sum (the duality
     * gap it leaves must be within the solve's gap) */
    int ok = 1;
    double comp = 0;
    for (size_t j = 1; ok && j <= n; j++) {
        int t = d->ctype[j];
        if (t == TRI_LP_FIXED)
            continue;
        int haslb = t == TRI_LP_LOWER || t == TRI_LP_DOUBLE, hasub = t == TRI_LP_UPPER || t == TRI_LP_DOUBLE;
        double tolx = 1e-7 * fmax(1.0, fabs(x[j])), told = 1e-6 * fmax(1.0, mag[j]);
        int atlb = haslb && x[j] <= d->clb[j] + tolx, atub = hasub && x[j] >= d->cub[j] - tolx;
        if ((atlb && dj[j] < -told) || (atub && dj[j] > told)) {
            /* the wrong sign: noise when small (it costs at most |dj| times
             * the column's range), an error when large */
            double range = haslb && hasub ? d->cub[j] - d->clb[j] : fabs(x[j]);
            if (fabs(dj[j]) > 1e-3 * fmax(1.0, mag[j]) || !isfinite(range)) {
                snprintf(why, nwhy, "column %zu (value %g, at a bound) has reduced cost %g", j, x[j], dj[j]);
                ok = 0;
            }
            comp += fabs(dj[j]) * range;
        } else if (!atlb && !atub) {
            double dist = fabs(x[j]);
            if (haslb)
                dist = x[j] - d->clb[j];
            if (hasub)
                dist = fmin(haslb ? dist : INFINITY, d->cub[j] - x[j]);
            comp += fabs(dj[j]) * dist;
        }
    }
    for (size_t i = 0; ok && i < d->nrows; i++) {
        int t = d->rtype[i];
        if (t == TRI_LP_FIXED)
            continue;
        double a = rp[i + 1], y = rd[i + 1];
        int haslb = t == TRI_LP_LOWER || t == TRI_LP_DOUBLE, hasub = t == TRI_LP_UPPER || t == TRI_LP_DOUBLE;
        double tolx = 1e-7 * fmax(1.0, fmax(fabs(a), fmax(haslb ? fabs(d->rlb[i]) : 0, hasub ? fabs(d->rub[i]) : 0)));
        double toly = 1e-9 * fmax(1.0, ymax);
        int atlb = haslb && a <= d->rlb[i] + tolx, atub = hasub && a >= d->rub[i] - tolx;
        if ((atlb && !atub && y < -toly) || (atub && !atlb && y > toly) || (!haslb && y > toly) ||
            (!hasub && y < -toly)) {
            snprintf(why, nwhy, "row %zu (activity %g in [%g, %g]) has dual %g of the wrong sign", i + 1, a,
                     d->rlb[i], d->rub[i], y);
            ok = 0;
        } else if (!atlb && !atub) {
            double dist = INFINITY;
            if (haslb)
                dist = a - d->rlb[i];
            if (hasub)
                dist = fmin(dist, d->rub[i] - a);
            comp += fabs(y) * (isfinite(dist) ? dist : fabs(a));
        }
    }
    if (ok && comp > 1e-7 * fmax(1.0, fabs(obj))) {
        snprintf(why, nwhy, "the duals leave a complementarity gap of %g on an objective of %g", comp, obj);
        ok = 0;
    }
    tri_free(dj);
    tri_free(mag);
    return ok;
}

/* ------------------------------------------------------------ diagnosis */

/* The elastic LP that diagnoses an infeasible scenario, defined once: the
 * model's LP without costs plus one slack column per policy row (+1 in a
 * >= row, -1 in a <= row, at least 0). A unit of relative shortfall costs
 * the same in every row, scaled so that the smallest weight is 1 (weights
 * of 1/limit alone put the reduced costs under the simplex tolerance and
 * stop it early). Slack > 0 names the unmet policy. The whole-LP diagnosis
 * adds these columns to a copy of the model's problem, the decomposed one
 * to the decomposition's arrays (decomp.c). */
static int elastic_make(const tr_model *m, tri_elastic *e)
{
    e->n = m->nprow;
    e->row = tri_calloc(e->n + 1, sizeof *e->row);
    e->coef = tri_calloc(e->n + 1, sizeof *e->coef);
    e->cost = tri_calloc(e->n + 1, sizeof *e->cost);
    if (!e->row || !e->coef || !e->cost)
        return -1;
    double S = 1;
    for (size_t i = 0; i < m->nprow; i++)
        S = fmax(S, fabs(m->prow[i].rhs + m->prow[i].konst));
    for (size_t i = 0; i < m->nprow; i++) {
        const tri_prow *pr = &m->prow[i];
        e->row[i] = pr->row;
        e->coef[i] = pr->ge ? 1.0 : -1.0;
        e->cost[i] = S / fmax(1.0, fabs(pr->rhs + pr->konst));
    }
    return 0;
}

static void elastic_free(tri_elastic *e)
{
    tri_free(e->row);
    tri_free(e->coef);
    tri_free(e->cost);
}

/* a diagnosis line for every policy row whose slack is beyond noise, with
 * the reachable value from the row's activity at the elastic solution @x
 * (the model's columns, without the slacks): limit - slack loses every digit
 * of the reachable value once the limit is past about 1e16 (a floor of 1e20
 * "reached" 0 t where 1,000 t were reachable) */
static tr_status add_diagnoses(const tr_model *m, tr_result *r, const double *slack, const double *x)
{
    const tri_lpd *d = &m->lpd;
    double *act = tri_calloc(d->nrows + 1, sizeof *act);
    if (!act)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    for (size_t k = 1; k <= d->nnz; k++)
        if ((size_t)d->ia[k] <= d->nrows)
            act[d->ia[k]] += d->ar[k] * x[d->ja[k]];
    tr_status st = TR_OK;
    for (size_t i = 0; i < m->nprow && st == TR_OK; i++) {
        const tri_prow *pr = &m->prow[i];
        if (slack[i] > 1e-7 * fmax(1.0, fabs(pr->rhs + pr->konst)))
            st = tri_result_add_diag(r, m, pr, act[pr->row]);
    }
    tri_free(act);
    return st;
}

static const char NO_RELAXATION[] = "infeasible even with every policy relaxed: check capacities and "
                                    "existing shares";

/* the elastic LP on a copy of the model's whole problem (under a guard):
 * 0 solved, slacks in @slack, the model's columns in @x; -1 not solved */
static int elastic_whole(const tr_model *m, const tri_elastic *e, const tr_solve_opts *o, double *slack, double *x)
{
    tri_lp *lp = tri_lp_copy(m->hold.lp);
    int n0 = tri_lp_ncols(lp);
    for (int j = 0; j <= n0; j++)
        tri_lp_set_obj(lp, j, 0);
    tri_lp_add_cols(lp, (int)e->n);
    for (size_t i = 0; i < e->n; i++) {
        int col = n0 + (int)i + 1;
        int ind[2] = {0, e->row[i]};
        double val[2] = {0, e->coef[i]};
        tri_lp_set_mat_col(lp, col, 1, ind, val);
        tri_lp_set_col_bounds(lp, col, TRI_LP_LOWER, 0, 0);
        tri_lp_set_obj(lp, col, e->cost[i]);
    }
    tri_lp_params p;
    tri_lp_params_init(&p);
    p.verbosity = o->verbosity > 0;
    tri_lp_scale(lp);
    int ok = tri_lp_simplex(lp, &p, NULL) == TRI_LP_DONE && tri_lp_get_status(lp, 0) == TRI_LP_OPTIMAL;
    if (!ok) {
        /* From the basis the infeasible solve left, GLPK's dual simplex can
         * call the elastic LP infeasible when the policies alone conflict
         * (seen on a myopic window of the Viet Nam case: "infeasible even
         * with every policy relaxed" where va_electricity was 0.014 MWh/t
         * out of reach): "no relaxation helps" is said only once the primal
         * simplex from the standard basis agrees. */
        tri_lp_std_basis(lp);
        p.method = TRI_LP_PRIMAL_SIMPLEX;
        ok = tri_lp_simplex(lp, &p, NULL) == TRI_LP_DONE && tri_lp_get_status(lp, 0) == TRI_LP_OPTIMAL;
    }
    for (size_t i = 0; ok && i < e->n; i++)
        slack[i] = tri_lp_col_value(lp, 0, n0 + (int)i + 1);
    for (int j = 1; ok && j <= n0 && (size_t)j <= m->lpd.ncols; j++)
        x[j] = tri_lp_col_value(lp, 0, j);
    tri_lp_free(lp);
    return ok ? 0 : -1;
}

static void dw_opts(const tr_solve_opts *o, tri_dwopts *d)
{
    memset(d, 0, sizeof *d);
    d->threads = o->threads > 0 ? o->threads : tri_ncores();
    d->gap = o->gap;
    d->time_limit_s = o->time_limit_s;
    d->aggregate = o->aggregate;
    d->tol_primal = o->tol_primal;
    d->tol_dual = o->tol_dual;
    d->progress = o->progress;
    d->ud = o->userdata;
}

typedef struct elastic_call {
    tr_model *m;
    const tri_elastic *e;
    const tr_solve_opts *o;
    double *slack, *x;
    int rc;
} elastic_call;

static void elastic_whole_call(void *arg)
{
    elastic_call *c = arg;
    model_need_lp(c->m);
    c->rc = elastic_whole(c->m, c->e, c->o, c->slack, c->x);
}

/* the elastic LP by decomposition: TR_OK with @solved set or not
 * (infeasible even relaxed), TR_E_STATE when it could not run (the caller
 * then diagnoses on the whole LP), else an error */
static tr_status elastic_decomposed(const tr_model *m, const tri_elastic *e, const tr_solve_opts *o,
                                    double *slack, double *x, int *solved)
{
    tri_dwopts d;
    dw_opts(o, &d);
    d.progress = NULL;   /* the diagnosis is not the solve the caller follows */
    int lost = 0;
    tri_lp_status ds = tri_decomp_elastic(m, e, &d, slack, x, &lost);
    *solved = ds == TRI_LP_OPTIMAL;
    if (lost)
        return TR_FAIL(TR_E_SOLVER, "GLPK failed while diagnosing %s", m->s->name);
    if (ds == TRI_LP_NOMEM)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    return ds == TRI_LP_OPTIMAL || ds == TRI_LP_INFEASIBLE ? TR_OK : TR_E_STATE;
}

/* Diagnose an infeasible scenario by the elastic LP: decomposed when the
 * solve was (@decomposed), else, or when the decomposition cannot run it,
 * on the whole LP. */
static tr_status diagnose(tr_model *m, tr_result *r, const tr_solve_opts *o, int decomposed)
{
    if (m->nprow == 0)
        return TR_OK;
    tri_elastic e = {0};
    double *slack = tri_calloc(m->nprow, sizeof *slack), *x = tri_calloc(m->lpd.ncols + 1, sizeof *x);
    if (!slack || !x || elastic_make(m, &e) != 0) {
        tri_free(slack);
        tri_free(x);
        elastic_free(&e);
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    }
    int solved = 0;
    tr_status st = decomposed ? elastic_decomposed(m, &e, o, slack, x, &solved) : TR_E_STATE;
    if (st == TR_E_STATE) {
        elastic_call c = {m, &e, o, slack, x, -1};
        if (tri_lp_guard(elastic_whole_call, &c) != 0) {
            m->hold.lp = NULL;
            st = TR_FAIL(TR_E_SOLVER, "GLPK failed while solving %s", m->s->name);
        } else {
            st = TR_OK;
            solved = c.rc == 0;
        }
    }
    if (st == TR_OK && solved)
        st = add_diagnoses(m, r, slack, x);
    else if (st == TR_OK)
        r->solver_message = tri_strdup(NO_RELAXATION);
    tri_free(slack);
    tri_free(x);
    elastic_free(&e);
    return st;
}
/* ------------------------------------------------------------ solve */

static const char *method_name(int method)
{
    return method == TR_METHOD_PRIMAL ? "primal simplex" : method == TR_METHOD_INTERIOR ? "interior point"
                                                                                        : "dual simplex";
}

/* every option checked before anything is solved (OSQP's validate_settings) */
static tr_status validate_opts(const tr_solve_opts *o)
{
    if (o->method < TR_METHOD_DUAL || o->method > TR_METHOD_INTERIOR)
        return TR_FAIL(TR_E_INVAL, "solve options: method: expected 0 (dual), 1 (primal) or 2 (interior), got %d",
                       o->method);
    if (!(o->tol_primal > 0 && o->tol_primal < 1e-3) || !(o->tol_dual > 0 && o->tol_dual < 1e-3))
        return TR_FAIL(TR_E_INVAL, "solve options: tolerances: expected numbers in (0, 0.001), got %g and %g",
                       o->tol_primal, o->tol_dual);
    if (o->structure < TR_STRUCTURE_AUTO || o->structure > TR_STRUCTURE_DECOMPOSED)
        return TR_FAIL(TR_E_INVAL,
                       "solve options: structure: expected 0 (auto), 1 (monolithic) or 2 (decomposed), got %d",
                       o->structure);
    if (o->threads < 0 || o->threads > TR_MAX_THREADS)
        return TR_FAIL(TR_E_INVAL, "solve options: threads: expected 0 (one per CPU) to %d, got %d", TR_MAX_THREADS,
                       o->threads);
    if (!(o->gap > 0 && o->gap < 0.1))
        return TR_FAIL(TR_E_INVAL, "solve options: gap: expected a number in (0, 0.1), got %g", o->gap);
    if (!isfinite(o->time_limit_s) || o->verbosity < 0 || o->verbosity > 3)
        return TR_FAIL(TR_E_INVAL, "solve options: expected a finite time limit and verbosity 0..3");
    if (o->foresight < 0)
        return TR_FAIL(TR_E_INVAL, "solve options: foresight: expected 0 (perfect foresight) or a number of "
                                   "years >= 1, got %d", o->foresight);
    if (o->foresight == 0 && o->foresight_step != 0)
        return TR_FAIL(TR_E_INVAL, "solve options: foresight_step %d without foresight: a step needs a myopic "
                                   "foresight (foresight >= 1)", o->foresight_step);
    if (o->foresight > 0 && (o->foresight_step < 0 || o->foresight_step > o->foresight))
        return TR_FAIL(TR_E_INVAL, "solve options: foresight_step: expected 1..%d (at most the foresight), got %d",
                       o->foresight, o->foresight_step);
    if (o->foresight > 0 && o->structure == TR_STRUCTURE_DECOMPOSED)
        return TR_FAIL(TR_E_INVAL, "solve options: myopic foresight with the decomposition is not supported: solve "
                                   "the whole LP (structure monolithic or auto)");
    if (o->foresight > 0 && o->method == TR_METHOD_INTERIOR)
        return TR_FAIL(TR_E_INVAL, "solve options: myopic foresight needs the simplex (each window is warm-started "
                                   "from the previous one's basis): method dual or primal, not interior");
    return TR_OK;
}

/* decompose? Only the model's LP as built (an analysis may have replaced
 * the objective or added rows in the backend's problem alone) */
static int use_decomposition(const tr_model *m, const tr_solve_opts *o)
{
    if (m->obj_swapped || (m->hold.lp && (size_t)tri_lp_nrows(m->hold.lp) != m->lpd.nrows) || m->ncols == 0 ||
        o->method == TR_METHOD_INTERIOR)
        return 0;
    if (o->foresight > 0)
        return 0;   /* the rolling horizon runs on the whole LP */
    if (o->structure == TR_STRUCTURE_DECOMPOSED)
        return 1;
    return o->structure == TR_STRUCTURE_AUTO && m->s->P >= TR_DECOMPOSE_MIN_PLANTS;
}

/* one solve: its inputs, the solution, and the result being filled */
typedef struct solve_run {
    tr_model *m;
    const tr_solve_opts *o;
    tr_result *r;
    int decomposed, interior;
    tri_lp_sol sol;
    char why[512];        /* the check's complaint */
    int bad;              /* the solution fails the check against the rows */
    tri_myopic *my;       /* myopic foresight: the windows (NULL: perfect foresight) */
    int my_stop;          /* a window was not solved: the LP holds it (for the diagnosis) */
} solve_run;

/* the whole LP's simplex parameters from the options */
static void simplex_params(const tr_model *m, const tr_solve_opts *o, tri_lp_params *p)
{
    tri_lp_params_init(p);
    p->verbosity = o->verbosity;
    p->method = o->method == TR_METHOD_PRIMAL ? TRI_LP_PRIMAL_SIMPLEX : TRI_LP_DUAL_SIMPLEX;
    p->presolve = o->presolve;
    p->tol_primal = o->tol_primal;
    p->tol_dual = o->tol_dual;
    p->flip = m->flip;
    p->time_limit_s = o->time_limit_s;
}

/* the simplex on the whole LP, once more from a fresh scaled basis without
 * presolve after numerical trouble */
static tri_lp_end simplex(solve_run *u, int *code)
{
    tri_lp *lp = u->m->hold.lp;
    tri_lp_params p;
    simplex_params(u->m, u->o, &p);
    if (!u->o->presolve && !u->m->solved_basis) {
        tri_lp_scale(lp);
        tri_lp_fresh_basis(lp);
    }
    tri_lp_end end = tri_lp_simplex(lp, &p, code);
    if (end == TRI_LP_NUMERIC) {
        p.presolve = 0;
        tri_lp_scale(lp);
        tri_lp_fresh_basis(lp);
        end = tri_lp_simplex(lp, &p, code);
        u->r->presolve = 0;
    }
    u->m->solved_basis = end == TRI_LP_DONE && tri_lp_get_status(lp, 0) == TRI_LP_OPTIMAL;
    return end;
}

/* what a whole-LP solve that ended with @end found; the message when it is
 * a stop */
static tri_lp_status whole_status(const tri_lp *lp, int interior, tri_lp_end end, int code, char *msg, size_t n)
{
    tri_lp_status s = end == TRI_LP_DONE        ? tri_lp_get_status(lp, interior)
                      : end == TRI_LP_NO_PRIMAL ? TRI_LP_INFEASIBLE
                      : end == TRI_LP_NO_DUAL   ? TRI_LP_UNBOUNDED
                      : end == TRI_LP_TIME || end == TRI_LP_ITERATIONS ? TRI_LP_LIMIT
                                                                       : TRI_LP_FAILED;
    if (s == TRI_LP_LIMIT)
        snprintf(msg, n, "%s", end == TRI_LP_TIME ? "time limit reached" : "iteration limit reached");
    else if (s == TRI_LP_FAILED)
        tri_lp_stop_message(lp, interior, code, msg, n);
    return s;
}

/* nothing to decide: the baseline is the answer if every row holds at 0 */
static void solve_empty(const tr_model *m, tri_lp_sol *sol)
{
    const tri_lpd *d = &m->lpd;
    sol->status = TRI_LP_OPTIMAL;
    sol->obj = m->obj0;
    for (size_t i = 0; i < m->nrows; i++) {
        int type = d->rtype[i];
        double lb = d->rlb[i], ub = d->rub[i];
        double tol = 1e-9 * fmax(1.0, fmax(fabs(lb), fabs(ub)));
        if ((tri_lp_has_lower(type) && lb > tol) || (tri_lp_has_upper(type) && ub < -tol))
            sol->status = TRI_LP_INFEASIBLE;
    }
}

/* the solution of the whole LP; solver noise in the columns is zero */
static void read_solution(solve_run *u)
{
    tri_lp_read(u->m->hold.lp, u->interior, u->m->ncols, u->m->nrows, &u->sol);
    for (size_t j = 1; j <= u->m->ncols; j++)
        if (fabs(u->sol.x[j]) < NOISE)
            u->sol.x[j] = 0;
}

/* the whole LP by simplex or interior point (under a guard) */
static void solve_whole(void *arg)
{
    solve_run *u = arg;
    model_need_lp(u->m);
    if (u->m->ncols == 0) {
        solve_empty(u->m, &u->sol);
        return;
    }
    tri_lp *lp = u->m->hold.lp;
    int code = 0;
    tri_lp_end end = u->interior ? tri_lp_interior(lp, u->o->verbosity, &code) : simplex(u, &code);
    u->sol.status = whole_status(lp, u->interior, end, code, u->sol.msg, sizeof u->sol.msg);
    if (u->sol.status == TRI_LP_OPTIMAL)
        read_solution(u);
}

/* Myopic foresight (myopic.c, under a guard): each window solved on the
 * model's problem in place, with the options of a perfect-foresight solve
 * (a window that is the whole horizon gives the same solution). With
 * presolve (the default) GLPK removes the fixed years outside the window
 * and solves the window's years alone; a warm start from the previous
 * window's basis (neither primal nor dual feasible once the window moves)
 * measured slower with either simplex (docs/BENCH.md). The kept years are
 * stitched into u->sol. A window that is not solved stops the run with the
 * LP still holding it, for the diagnosis. */
static void solve_myopic(void *arg)
{
    solve_run *u = arg;
    tr_model *m = u->m;
    model_need_lp(m);
    if (m->ncols == 0) {
        solve_empty(m, &u->sol);
        return;
    }
    tri_lp *lp = m->hold.lp;
    tri_lp_sol win;
    if (tri_lp_sol_alloc(&win, m->ncols, m->nrows) != 0) {
        u->sol.status = TRI_LP_NOMEM;
        return;
    }
    while (tri_myopic_next(u->my, m, u->sol.x)) {
        int code = 0;
        tri_lp_end end = simplex(u, &code);
        win.msg[0] = '\0';   /* whole_status writes no message for an infeasible window */
        win.status = whole_status(lp, 0, end, code, win.msg, sizeof win.msg);
        if (win.status != TRI_LP_OPTIMAL) {
            u->sol.status = win.status;
            snprintf(u->sol.msg, sizeof u->sol.msg, "%s", win.msg);
            u->my_stop = 1;
            tri_lp_sol_free(&win);
            return;
        }
        tri_lp_read(lp, 0, m->ncols, m->nrows, &win);
        for (size_t j = 1; j <= m->ncols; j++)
            if (fabs(win.x[j]) < NOISE)
                win.x[j] = 0;
        tri_myopic_keep(u->my, m, &win, &u->sol);
    }
    int whole = tri_myopic_windows(u->my) == 1;
    if (whole) {   /* one window, the whole horizon: the perfect-foresight solution as the solver gave it */
        memcpy(u->sol.rowprim, win.rowprim, (m->nrows + 1) * sizeof *win.rowprim);
        u->sol.obj = win.obj;
    }
    tri_lp_sol_free(&win);
    tri_myopic_restore(m);
    m->solved_basis = 0;
    u->sol.status = TRI_LP_OPTIMAL;
    if (whole)
        return;
    /* the stitched roadmap under the ordinary objective; row activities from it */
    const tri_lpd *d = &m->lpd;
    u->sol.obj = d->obj0;
    for (size_t j = 1; j <= m->ncols; j++)
        u->sol.obj += d->obj[j] * u->sol.x[j];
    for (size_t i = 1; i <= m->nrows; i++)
        u->sol.rowprim[i] = 0;
    for (size_t k = 1; k <= d->nnz; k++)
        u->sol.rowprim[d->ia[k]] += d->ar[k] * u->sol.x[d->ja[k]];
}

static void restore_lp(void *m) { tri_myopic_restore(m); }

/* the decomposition (decomp.c); the method names what ran */
static tr_status solve_decomposed(solve_run *u)
{
    tr_model *m = u->m;
    tri_dwopts d;
    dw_opts(u->o, &d);
    tri_dwres res;
    tri_decomp_model(m, &d, &res);
    tri_free(u->r->method);
    if (res.sol.status == TRI_LP_OPTIMAL)
        u->r->method = tri_asprintf("Dantzig-Wolfe decomposition (%d plants, %d subproblems, %d in the master; "
                                    "%d master solves, gap %.1e)",
                                    res.blocks, res.classes, res.resident, res.iters, res.gap > 0 ? res.gap : 0);
    else   /* infeasible, stopped or failed: the method still says what ran */
        u->r->method = tri_asprintf("Dantzig-Wolfe decomposition (%d plants, %d master solves)", res.blocks,
                                    res.iters);
    u->sol = res.sol;
    if (res.lp_lost) {
        m->hold.lp = NULL;
        return TR_FAIL(TR_E_SOLVER, "GLPK failed while solving %s", m->s->name);
    }
    if (u->sol.status == TRI_LP_NOMEM)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    if (u->sol.status == TRI_LP_LIMIT || u->sol.status == TRI_LP_FAILED) {
        char msg[sizeof u->sol.msg];
        snprintf(msg, sizeof msg, "%s", u->sol.msg);
        snprintf(u->sol.msg, sizeof u->sol.msg, "decomposition: %s", msg);
    } else if (u->sol.status == TRI_LP_OPTIMAL) {
        /* row activities from the solution; the duals came with it */
        const tri_lpd *dd = &m->lpd;
        for (size_t j = 1; j <= m->ncols; j++)
            if (fabs(u->sol.x[j]) < NOISE)
                u->sol.x[j] = 0;
        for (size_t k = 1; k <= dd->nnz; k++)
            u->sol.rowprim[dd->ia[k]] += dd->ar[k] * u->sol.x[dd->ja[k]];
    }
    return TR_OK;
}

/* GLPK's presolver can hand back a point outside a bound (seen: an import
 * column at -0.9 when demand falls just below a closable plant's
 * production): solve again without it (under a guard) */
static void resolve_without_presolve(void *arg)
{
    solve_run *u = arg;
    tri_lp *lp = u->m->hold.lp;
    tri_lp_params p;
    simplex_params(u->m, u->o, &p);
    p.presolve = 0;
    p.flip = 0;
    p.time_limit_s = 0;
    tri_lp_scale(lp);
    tri_lp_fresh_basis(lp);
    u->r->presolve = 0;
    if (tri_lp_simplex(lp, &p, NULL) == TRI_LP_DONE && tri_lp_get_status(lp, 0) == TRI_LP_OPTIMAL) {
        read_solution(u);
        u->bad = !verify(u->m, u->sol.x, u->why, sizeof u->why);
    }
    u->m->solved_basis = !u->bad;
}

/* an optimal solution: check it against the rows, then extract the results */
static tr_status conclude_optimal(solve_run *u)
{
    tr_model *m = u->m;
    tr_result *r = u->r;
    const tr_solve_opts *o = u->o;
    u->bad = o->verify && !verify(m, u->sol.x, u->why, sizeof u->why);
    if (u->bad && !u->decomposed && !u->interior && r->presolve &&
        tri_lp_guard(resolve_without_presolve, u) != 0) {
        m->hold.lp = NULL;
        return TR_FAIL(TR_E_SOLVER, "GLPK failed while solving %s", m->s->name);
    }
    if (u->bad) {
        r->status = TR_SOL_FAILED;
        r->solver_message = tri_asprintf("the solver's answer fails the check against the rows: %s", u->why);
        return TR_OK;
    }
    if (o->verify && u->decomposed &&
        !verify_duals(m, u->sol.x, u->sol.rowprim, u->sol.rowdual, u->sol.obj, u->why, sizeof u->why)) {
        r->status = TR_SOL_FAILED;
        r->solver_message = tri_asprintf("the decomposition's duals fail the optimality check: %s", u->why);
        return TR_OK;
    }
    r->status = TR_SOL_OPTIMAL;
    tr_status st = tri_extract(m, u->sol.x, u->sol.rowprim, u->sol.rowdual, r);
    if (st == TR_OK && !isfinite(r->npv)) {
        r->status = TR_SOL_FAILED;
        r->solver_message = tri_asprintf("the NPV recomputed from the solution is not finite (%g): the "
                                         "scenario's numbers overflow; rescale them",
                                         r->npv);
    } else if (st == TR_OK && o->verify && !m->obj_swapped &&
               fabs(u->sol.obj - r->npv) > 1e-6 * fmax(1.0, fabs(r->npv)) + 1e-6) {
        r->status = TR_SOL_FAILED;
        r->solver_message = tri_asprintf("the NPV recomputed from the solution (%.10g) differs from the "
                                         "solver's objective (%.10g)", r->npv, u->sol.obj);
    }
    return st;
}

/* the result from the solution's status: extracted, diagnosed, or why not */
static tr_status conclude(solve_run *u)
{
    tr_result *r = u->r;
    switch (u->sol.status) {
    case TRI_LP_OPTIMAL:
        return conclude_optimal(u);
    case TRI_LP_INFEASIBLE:
        r->status = TR_SOL_INFEASIBLE;
        return u->o->diagnose ? diagnose(u->m, r, u->o, u->decomposed) : TR_OK;
    case TRI_LP_UNBOUNDED:
        r->status = TR_SOL_UNBOUNDED;
        return TR_OK;
    default:
        r->status = u->sol.status == TRI_LP_LIMIT ? TR_SOL_LIMIT : TR_SOL_FAILED;
        if (u->sol.msg[0])
            r->solver_message = tri_strdup(u->sol.msg);
        return TR_OK;
    }
}

/* the result before the solve: what will run, with which settings */
static tr_result *result_start(const tr_model *m, const tr_solve_opts *o)
{
    tr_result *r = tri_result_new(m);
    if (!r)
        return NULL;
    r->method = tri_strdup(method_name(o->method));
    r->presolve = o->presolve && o->method != TR_METHOD_INTERIOR;
    r->tol_primal = o->tol_primal;
    r->tol_dual = o->tol_dual;
    if (!r->method) {
        tr_result_free(r);
        return NULL;
    }
    return r;
}

/* the rolling horizon's start: its windows, then the run (under a guard) */
static tr_status myopic_start(solve_run *u)
{
    tr_model *m = u->m;
    const tr_solve_opts *o = u->o;
    if (m->obj_swapped || (m->hold.lp && (size_t)tri_lp_nrows(m->hold.lp) != m->lpd.nrows))
        return TR_FAIL(TR_E_STATE, "myopic foresight needs the model's own LP (an analysis has changed it)");
    tr_status st = tri_myopic_new(m, o->foresight, o->foresight_step > 0 ? o->foresight_step : 1, &u->my);
    if (st != TR_OK)
        return st;
    u->r->foresight = o->foresight;
    u->r->foresight_step = o->foresight_step > 0 ? o->foresight_step : 1;
    if (tri_lp_guard(solve_myopic, u) != 0) {
        m->hold.lp = NULL;
        return TR_FAIL(TR_E_SOLVER, "GLPK failed while solving %s", m->s->name);
    }
    if (u->sol.status == TRI_LP_NOMEM)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    return TR_OK;
}

/* after the conclusion (a stopped window diagnosed on the LP that holds
 * it): the model's own LP back, the window named in the result */
static tr_status myopic_end(solve_run *u, tr_status st)
{
    tr_model *m = u->m;
    u->r->windows = tri_myopic_windows(u->my);
    if (u->my_stop && m->hold.lp) {
        if (tri_lp_guard(restore_lp, m) != 0) {
            m->hold.lp = NULL;
            if (st == TR_OK)
                st = TR_FAIL(TR_E_SOLVER, "GLPK failed while solving %s", m->s->name);
        }
        m->solved_basis = 0;
        if (st == TR_OK)
            st = tri_myopic_label(u->my, m, u->r);
    }
    tri_myopic_free(u->my);
    u->my = NULL;
    return st;
}

tr_status tr_model_solve(tr_model *m, const tr_solve_opts *opts, tr_result **out)
{
    if (!out)
        return TR_FAIL(TR_E_INVAL, "tr_model_solve: out is NULL");
    *out = NULL;
    if (!m)
        return TR_FAIL(TR_E_INVAL, "tr_model_solve: model is NULL");
    tr_status st = model_ready(m);
    if (st != TR_OK)
        return st;
    tr_solve_opts o;
    tr_solve_opts_init(&o);
    if (opts)
        o = *opts;
    st = validate_opts(&o);
    if (st != TR_OK)
        return st;
    solve_run u;
    memset(&u, 0, sizeof u);
    u.m = m;
    u.o = &o;
    u.r = result_start(m, &o);
    u.decomposed = use_decomposition(m, &o);
    u.interior = o.method == TR_METHOD_INTERIOR;
    if (!u.r || (!u.decomposed && tri_lp_sol_alloc(&u.sol, m->ncols, m->nrows) != 0)) {
        tr_result_free(u.r);
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    }
    if (o.foresight > 0) {
        st = myopic_start(&u);
    } else if (u.decomposed) {
        st = solve_decomposed(&u);
    } else if (tri_lp_guard(solve_whole, &u) != 0) {
        m->hold.lp = NULL;
        st = TR_FAIL(TR_E_SOLVER, "GLPK failed while solving %s", m->s->name);
    }
    if (st == TR_OK)
        st = conclude(&u);
    if (u.my)
        st = myopic_end(&u, st);
    tri_lp_sol_free(&u.sol);
    if (st != TR_OK) {
        tr_result_free(u.r);
        return st;
    }
    *out = u.r;
    return TR_OK;
}

/* ------------------------------------------------------------ for analyses */

tr_status tri_basis_save(const tr_model *m, int **rs, int **cs)
{
    const tri_lp *lp = m->hold.lp;
    int nr = tri_lp_nrows(lp), nc = tri_lp_ncols(lp);
    *rs = tri_malloc(((size_t)nr + 1) * sizeof **rs);
    *cs = tri_malloc(((size_t)nc + 1) * sizeof **cs);
    if (!*rs || !*cs) {
        tri_free(*rs);
        tri_free(*cs);
        *rs = *cs = NULL;
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    }
    for (int i = 1; i <= nr; i++)
        (*rs)[i] = tri_lp_row_stat(lp, i);
    for (int j = 1; j <= nc; j++)
        (*cs)[j] = tri_lp_col_stat(lp, j);
    (*rs)[0] = nr;
    (*cs)[0] = nc;
    return TR_OK;
}

/* Restore a saved basis (same sizes only); the next simplex starts from it. */
int tri_basis_load(tr_model *m, const int *rs, const int *cs)
{
    tri_lp *lp = m->hold.lp;
    if (!rs || !cs || rs[0] != tri_lp_nrows(lp) || cs[0] != tri_lp_ncols(lp))
        return 0;
    for (int i = 1; i <= rs[0]; i++)
        tri_lp_set_row_stat(lp, i, rs[i]);
    for (int j = 1; j <= cs[0]; j++)
        tri_lp_set_col_stat(lp, j, cs[j]);
    m->solved_basis = 1;
    return 1;
}

/* An extra row sum coef*col (free until bounded); returns its number. */
int tri_model_add_row(tr_model *m, const int *ind, const double *val, int len, const char *name)
{
    tri_lp *lp = m->hold.lp;
    int row = tri_lp_add_rows(lp, 1);
    tri_lp_set_row_name(lp, row, name);
    tri_lp_set_mat_row(lp, row, len, ind, val);
    tri_lp_set_row_bounds(lp, row, TRI_LP_FREE, 0, 0);
    tri_lp_set_row_basic(lp, row);
    return row;
}

void tri_model_row_bound(tr_model *m, int row, int upper, double rhs)
{
    tri_lp_set_row_bounds(m->hold.lp, row, upper > 0 ? TRI_LP_UPPER : upper < 0 ? TRI_LP_LOWER : TRI_LP_FREE, rhs,
                          rhs);
}

double tri_model_row_dual(const tr_model *m, int row) { return tri_lp_row_dual(m->hold.lp, 0, row); }
double tri_model_col_value(const tr_model *m, int col) { return tri_lp_col_value(m->hold.lp, 0, col); }

/* Replace the objective by coef (1-based, ncols) and constant; NULL restores the model's own. */
void tri_model_objective(tr_model *m, const double *coef, double c0)
{
    m->obj_swapped = coef != NULL;
    tri_lp_set_obj(m->hold.lp, 0, coef ? c0 : m->lpd.obj0);
    for (size_t j = 1; j <= m->lpd.ncols; j++)
        tri_lp_set_obj(m->hold.lp, (int)j, coef ? coef[j] : m->lpd.obj[j]);
}

static void provoke_error(void *m) { tri_lp_test_error(((tr_model *)m)->hold.lp); }

/* Test hook: make the backend report an internal error (a bad column
 * index) inside a guarded call, to prove the guard turns it into
 * TR_E_SOLVER instead of an abort. The model is unusable afterwards
 * (TR_E_STATE). */
TR_API tr_status tri_test_glpk_error(tr_model *m);
tr_status tri_test_glpk_error(tr_model *m)
{
    if (!m || !m->hold.lp)
        return TR_FAIL(TR_E_STATE, "the model is unusable after an earlier GLPK failure");
    if (tri_lp_guard(provoke_error, m) != 0) {
        m->hold.lp = NULL;
        return TR_FAIL(TR_E_SOLVER, "GLPK failed (error hook): the model is unusable");
    }
    return TR_OK;
}

/* Scale the problem once (the backend keeps the factors with it): warm
 * starts without presolve then run on a well-scaled matrix. */
void tri_model_scale(tr_model *m) { tri_lp_scale(m->hold.lp); }

/* the end of a worker thread of analysis.c */

tr_status tr_scenario_solve(const tr_scenario *sc, const tr_solve_opts *opts, tr_result **out)
{
    if (out)
        *out = NULL;
    if (!sc)
        return TR_FAIL(TR_E_INVAL, "tr_scenario_solve: scenario is NULL");
    /* a model solved once: its backend problem only if the solve needs it */
    tr_model *m = NULL;
    tr_status st = tri_model_from_scen(tri_scen_ref(sc->scen), sc->sha, 1, &m);
    if (st != TR_OK)
        return st;
    st = tr_model_solve(m, opts, out);
    tr_model_free(m);
    return st;
}
