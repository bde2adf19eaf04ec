/* solve: the model handle, GLPK simplex / interior point, the elastic
 * re-solve that diagnoses infeasible scenarios, and the check of every
 * optimal solution against the rows. GLPK's error hook turns its internal
 * errors (which would abort the process) into TR_E_SOLVER. */
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glpk.h>

#include "decomp.h"
#include "model.h"

/* ------------------------------------------------------------ model registry
 * GLPK keeps its objects in an environment per thread. When GLPK fails (the
 * environment must then be freed) or when the thread ends, every model built
 * in that thread loses its LP: the registry marks them unusable (TR_E_STATE)
 * instead of leaving dangling pointers. */

static pthread_mutex_t reg_mu = PTHREAD_MUTEX_INITIALIZER;
static tr_model *reg_head;
static pthread_once_t reg_once = PTHREAD_ONCE_INIT;
static pthread_key_t reg_key;

static unsigned long self_id(void) { return (unsigned long)pthread_self(); }

static void reg_add(tr_model *m)
{
    m->owner = self_id();
    pthread_mutex_lock(&reg_mu);
    m->rprev = NULL;
    m->rnext = reg_head;
    if (reg_head)
        reg_head->rprev = m;
    reg_head = m;
    pthread_mutex_unlock(&reg_mu);
}

static void reg_del(tr_model *m)
{
    pthread_mutex_lock(&reg_mu);
    if (m->rprev)
        m->rprev->rnext = m->rnext;
    else if (reg_head == m)
        reg_head = m->rnext;
    if (m->rnext)
        m->rnext->rprev = m->rprev;
    m->rnext = m->rprev = NULL;
    pthread_mutex_unlock(&reg_mu);
}

/* GLPK problems whose model was freed, or moved, by another thread than
 * the one that built them: only their own thread's GLPK environment may
 * delete them (GLPK aborts otherwise), at its next library call; when the
 * thread ends, its environment takes them along. Under reg_mu. */
typedef struct orphan {
    unsigned long owner;
    glp_prob *lp;
    struct orphan *next;
} orphan;
static orphan *orphans;

/* the thread's GLPK environment is about to go: its models lose their LP,
 * its orphans go with the environment */
static void reg_invalidate_thread(int exiting)
{
    unsigned long me = self_id();
    pthread_mutex_lock(&reg_mu);
    for (tr_model *m = reg_head; m; m = m->rnext)
        if (m->owner == me && m->lp) {
            m->lp = NULL;
            m->thread_gone = exiting;   /* else a GLPK failure: unusable */
        }
    for (orphan **o = &orphans; *o;) {
        orphan *x = *o;
        if (x->owner == me) {
            *o = x->next;
            free(x);
        } else {
            o = &x->next;
        }
    }
    pthread_mutex_unlock(&reg_mu);
}

/* delete the GLPK problems other threads left to this one */
static void orphans_delete(void)
{
    unsigned long me = self_id();
    orphan *mine = NULL;
    pthread_mutex_lock(&reg_mu);
    for (orphan **o = &orphans; *o;) {
        orphan *x = *o;
        if (x->owner == me) {
            *o = x->next;
            x->next = mine;
            mine = x;
        } else {
            o = &x->next;
        }
    }
    pthread_mutex_unlock(&reg_mu);
    while (mine) {
        orphan *x = mine;
        mine = x->next;
        glp_delete_prob(x->lp);
        free(x);
    }
}

/* Take @m's GLPK problem away from it for deletion: at once when this
 * thread built it, else by its own thread (an orphan). Returns 0, or -1
 * when the orphan could not be recorded (the problem then stays until its
 * thread ends). */
static int model_release_lp(tr_model *m, int adopt)
{
    unsigned long me = self_id();
    orphan *x = malloc(sizeof *x);   /* not tri_malloc: no injected failure here */
    glp_prob *mine = NULL;
    int rc = 0;
    pthread_mutex_lock(&reg_mu);
    if (m->lp && m->owner == me) {
        mine = m->lp;
    } else if (m->lp) {
        if (x) {
            x->owner = m->owner;
            x->lp = m->lp;
            x->next = orphans;
            orphans = x;
            x = NULL;
        } else {
            rc = -1;
        }
    }
    m->lp = NULL;
    if (adopt)
        m->owner = me;
    pthread_mutex_unlock(&reg_mu);
    free(x);
    if (mine)
        glp_delete_prob(mine);
    return rc;
}

static void thread_exit(void *unused)
{
    (void)unused;
    reg_invalidate_thread(1);
    glp_free_env();   /* returns 1, harmlessly, when the thread has none */
}

static void reg_key_make(void) { pthread_key_create(&reg_key, thread_exit); }

/* Called by tr_library_init() on every thread: frees the thread's GLPK
 * environment when the thread ends. */
void tri_thread_register(void)
{
    pthread_once(&reg_once, reg_key_make);
    if (!pthread_getspecific(reg_key))
        pthread_setspecific(reg_key, (void *)1);
    orphans_delete();
}

/* ------------------------------------------------------------ error guard
 * GLPK calls the hook instead of abort(); we jump back to the guarded call,
 * free GLPK's environment of this thread (every GLPK object of the thread
 * becomes invalid, so the model is marked unusable) and report. */

typedef struct guard {
    jmp_buf jb;
} guard;

static void glpk_hook(void *info)
{
    longjmp(((guard *)info)->jb, 1);
}

#define GUARD(g, on_error)                                          \
    do {                                                            \
        glp_error_hook(glpk_hook, &(g));                            \
        if (setjmp((g).jb)) {                                       \
            glp_error_hook(NULL, NULL);                             \
            reg_invalidate_thread(0);                               \
            glp_free_env();                                         \
            tr_library_init();                                      \
            on_error;                                               \
        }                                                           \
    } while (0)
#define UNGUARD() glp_error_hook(NULL, NULL)

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

/* A model used by another thread than the one that built it moves to the
 * calling thread: its GLPK problem is built again here from the model's
 * data (GLPK's objects belong to the thread that made them; the old one is
 * left to that thread), also when that thread has ended. */
static tr_status model_adopt(tr_model *m)
{
    pthread_mutex_lock(&reg_mu);
    /* (thread ids are reused: a gone thread's id may be this one's) */
    int move = m->thread_gone || (m->lp && m->owner != self_id());
    pthread_mutex_unlock(&reg_mu);
    if (!move)
        return TR_OK;
    model_release_lp(m, 1);
    m->thread_gone = 0;
    guard g;
    GUARD(g, {
        m->lp = NULL;
        return TR_FAIL(TR_E_SOLVER, "GLPK failed while moving the model to this thread");
    });
    tri_model_reload(m);
    UNGUARD();
    return TR_OK;
}

/* The GLPK problem of a model built without it, at its first use (under a
 * GUARD: GLPK may fail). */
static void model_need_lp(tr_model *m)
{
    if (m->lp || !m->lp_wait)
        return;
    m->lp_wait = 0;
    tri_model_reload(m);
}

/* the start of every call that uses a model's GLPK problem */
static tr_status model_ready(tr_model *m)
{
    tr_library_init();
    tr_status st = model_adopt(m);
    if (st == TR_OK && !m->lp && !m->lp_wait)
        st = TR_FAIL(TR_E_STATE, "the model is unusable after an earlier GLPK failure");
    return st;
}

static void model_free(tr_model *m)
{
    if (!m)
        return;
    /* release while still registered: a thread ending meanwhile either
     * took the problem with its environment first (m->lp is NULL) or finds
     * and drops the orphan (both under reg_mu); after reg_del an orphan
     * could outlive its thread, and a new thread with the same id would
     * delete a dangling problem */
    model_release_lp(m, 0);
    reg_del(m);
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

/* Takes a reference to @s. @lazy: a model solved once, whose GLPK problem
 * is built only if that solve needs it (not when it is decomposed). */
tr_status tri_model_from_scen(tri_scen *s, const char *sha, int lazy, tr_model **out)
{
    tr_library_init();
    *out = NULL;
    tr_model *volatile m = tri_calloc(1, sizeof *m);
    if (!m) {
        tri_scen_free(s);
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    }
    m->s = s;
    snprintf(m->sha, sizeof m->sha, "%s", sha);
    reg_add(m);
    guard g;
    GUARD(g, {
        m->lp = NULL;
        model_free(m);
        return TR_FAIL(TR_E_SOLVER, "GLPK failed while building the LP");
    });
    tr_status st = tri_build(m, lazy);
    UNGUARD();
    if (st != TR_OK) {
        model_free(m);
        return st;
    }
    *out = m;
    return TR_OK;
}

size_t tr_model_row_count(const tr_model *m) { return m ? m->nrows : 0; }
size_t tr_model_col_count(const tr_model *m) { return m ? m->ncols : 0; }
size_t tr_model_nonzero_count(const tr_model *m) { return m ? m->nnz : 0; }

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
    guard g;
    GUARD(g, {
        m->lp = NULL;
        return TR_FAIL(TR_E_SOLVER, "GLPK failed writing %s", path);
    });
    tr_status nst = tri_model_name(m);
    if (nst != TR_OK) {
        UNGUARD();
        return nst;
    }
    int rc = format == TR_LP_CPLEX ? glp_write_lp(m->lp, NULL, path)
             : format == TR_LP_MPS ? glp_write_mps(m->lp, GLP_MPS_FILE, NULL, path)
                                   : glp_write_prob(m->lp, 0, path);
    UNGUARD();
    if (rc != 0)
        return TR_FAIL(TR_E_IO, "%s: cannot write the LP", path);
    return TR_OK;
}

/* ------------------------------------------------------------ checks */

/* Recompute every row's activity from the column values and check its
 * bounds and the columns' bounds; a violation beyond tolerance makes the
 * result "failed" instead of optimal. The model's rows and columns as built
 * (m->lpd; the GLPK problem has the same ones, and a decomposed solve may
 * have none). */
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
        if ((type != GLP_FR && type != GLP_UP && x[j] < lb - tol) ||
            ((type == GLP_UP || type == GLP_DB || type == GLP_FX) && x[j] > ub + tol) || !isfinite(x[j])) {
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
        if (!isfinite(act[i]) || ((type == GLP_LO || type == GLP_DB || type == GLP_FX) && act[i] < lb - tol) ||
            ((type == GLP_UP || type == GLP_DB || type == GLP_FX) && act[i] > ub + tol)) {
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
        if (t == GLP_FX)
            continue;
        int haslb = t == GLP_LO || t == GLP_DB, hasub = t == GLP_UP || t == GLP_DB;
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
        if (t == GLP_FX)
            continue;
        double a = rp[i + 1], y = rd[i + 1];
        int haslb = t == GLP_LO || t == GLP_DB, hasub = t == GLP_UP || t == GLP_DB;
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

/* Elastic copy: every policy row gets a penalised slack; minimise the sum
 * of shortfalls relative to each limit. Slack > 0 names the unmet policy. */
/* The elastic LP's penalty on each policy row's slack: a unit of relative
 * shortfall costs the same in every row, scaled so that the smallest weight
 * is 1 (weights of 1/limit alone put the reduced costs under the simplex
 * tolerance and stop it early). Both diagnoses use it. */
void tri_elastic_weights(const tr_model *m, double *w)
{
    double S = 1;
    for (size_t i = 0; i < m->nprow; i++)
        S = fmax(S, fabs(m->prow[i].rhs + m->prow[i].konst));
    for (size_t i = 0; i < m->nprow; i++)
        w[i] = S / fmax(1.0, fabs(m->prow[i].rhs + m->prow[i].konst));
}

/* a diagnosis line for every policy row whose slack is beyond noise */
static tr_status add_diagnoses(const tr_model *m, tr_result *r, const double *slack)
{
    tr_status st = TR_OK;
    for (size_t i = 0; i < m->nprow && st == TR_OK; i++) {
        const tri_prow *pr = &m->prow[i];
        if (slack[i] > 1e-7 * fmax(1.0, fabs(pr->rhs + pr->konst)))
            st = tri_result_add_diag(r, m, pr, slack[i]);
    }
    return st;
}

static tr_status diagnose(const tr_model *m, tr_result *r, const tr_solve_opts *o)
{
    if (m->nprow == 0)
        return TR_OK;
    double *w = tri_calloc(m->nprow, sizeof *w);
    if (!w)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    tri_elastic_weights(m, w);
    glp_prob *e = glp_create_prob();
    glp_copy_prob(e, m->lp, GLP_OFF);
    int n0 = glp_get_num_cols(e);
    for (int j = 0; j <= n0; j++)
        glp_set_obj_coef(e, j, 0);
    glp_add_cols(e, (int)m->nprow);
    for (size_t i = 0; i < m->nprow; i++) {
        const tri_prow *pr = &m->prow[i];
        int col = n0 + (int)i + 1;
        int ind[2] = {0, pr->row};
        double val[2] = {0, pr->ge ? 1.0 : -1.0};
        glp_set_mat_col(e, col, 1, ind, val);
        glp_set_col_bnds(e, col, GLP_LO, 0, 0);
        glp_set_obj_coef(e, col, w[i]);
    }
    glp_smcp p;
    glp_init_smcp(&p);
    p.msg_lev = o->verbosity > 0 ? GLP_MSG_ON : GLP_MSG_OFF;
    p.presolve = GLP_OFF;
    glp_scale_prob(e, GLP_SF_AUTO);
    int rc = glp_simplex(e, &p);
    tr_status st = TR_OK;
    if (rc == 0 && glp_get_status(e) == GLP_OPT) {
        /* the weights' array takes the slacks */
        for (size_t i = 0; i < m->nprow; i++)
            w[i] = glp_get_col_prim(e, n0 + (int)i + 1);
        st = add_diagnoses(m, r, w);
    } else {
        r->solver_message = tri_strdup("infeasible even with every policy relaxed: check capacities and "
                                       "existing shares");
    }
    glp_delete_prob(e);
    tri_free(w);
    return st;
}

/* ------------------------------------------------------------ solve */

/* the column values, row activities and duals of GLPK's solution;
 * solver noise (|x| < 1e-9: shares of 1e-16, capacities of 1e-12 t/yr) is zero */
static void read_solution(const tr_model *m, int interior, double *x, double *rp, double *rd)
{
    glp_prob *lp = m->lp;
    for (size_t j = 1; j <= m->ncols; j++) {
        x[j] = interior ? glp_ipt_col_prim(lp, (int)j) : glp_get_col_prim(lp, (int)j);
        if (fabs(x[j]) < 1e-9)
            x[j] = 0;
    }
    for (size_t i = 1; i <= m->nrows; i++) {
        rp[i] = interior ? glp_ipt_row_prim(lp, (int)i) : glp_get_row_prim(lp, (int)i);
        rd[i] = interior ? glp_ipt_row_dual(lp, (int)i) : glp_get_row_dual(lp, (int)i);
    }
}

void tri_glpk_reset_thread(void)
{
    reg_invalidate_thread(0);
    glp_free_env();
    tr_library_init();
}

/* decompose? Only the model's LP as built (an analysis may have replaced
 * the objective or added rows in GLPK alone) */
static int use_decomposition(const tr_model *m, const tr_solve_opts *o)
{
    if (m->obj_swapped || (m->lp && (size_t)glp_get_num_rows(m->lp) != m->lpd.nrows) || m->ncols == 0 ||
        o->method == TR_METHOD_INTERIOR)
        return 0;
    if (o->structure == TR_STRUCTURE_DECOMPOSED)
        return 1;
    return o->structure == TR_STRUCTURE_AUTO && m->s->P >= TR_DECOMPOSE_MIN_PLANTS;
}

/* Decomposed solve: status as GLPK's, solution into @x and @rd */
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

/* the elastic diagnosis by decomposition; TR_E_STATE when it could not run
 * (the caller then diagnoses on the monolithic LP) */
static tr_status diagnose_decomposed(const tr_model *m, tr_result *r, const tr_solve_opts *o)
{
    if (m->nprow == 0)
        return TR_OK;
    double *sl = tri_calloc(m->nprow, sizeof *sl);
    if (!sl)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    tri_dwopts d;
    dw_opts(o, &d);
    d.progress = NULL;   /* the diagnosis is not the solve the caller follows */
    int lost = 0;
    tri_dw_status ds = tri_decomp_elastic(m, &d, sl, &lost);
    tr_status st = TR_OK;
    if (lost)
        st = TR_FAIL(TR_E_SOLVER, "GLPK failed while diagnosing %s", m->s->name);
    else if (ds == TRI_DW_NOMEM)
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
    else if (ds == TRI_DW_INFEASIBLE)
        r->solver_message = tri_strdup("infeasible even with every policy relaxed: check capacities and "
                                       "existing shares");
    else if (ds != TRI_DW_OPTIMAL)
        st = TR_E_STATE;
    if (ds == TRI_DW_OPTIMAL && st == TR_OK)
        st = add_diagnoses(m, r, sl);
    tri_free(sl);
    return st;
}

static int solve_decomposed(tr_model *m, const tr_solve_opts *o, tr_result *r, double *x, double *rd, double *obj,
                            int *lost)
{
    tri_dwopts d;
    dw_opts(o, &d);
    tri_dwres res;
    tri_decomp_model(m, &d, &res);
    *lost = res.glpk_lost;
    int status = GLP_UNDEF;
    if (res.status == TRI_DW_OPTIMAL) {
        status = GLP_OPT;
        memcpy(x, res.x, (m->ncols + 1) * sizeof *x);
        for (size_t i = 0; i < m->nrows; i++)
            rd[i + 1] = res.rowdual[i];
        *obj = res.obj;
        tri_free(r->method);
        r->method = tri_asprintf("Dantzig-Wolfe decomposition (%d plants, %d subproblems, %d in the master; "
                                 "%d master solves, gap %.1e)",
                                 res.blocks, res.classes, res.resident, res.iters, res.gap > 0 ? res.gap : 0);
    } else {
        /* infeasible, stopped or failed: the method still says what ran */
        tri_free(r->method);
        r->method = tri_asprintf("Dantzig-Wolfe decomposition (%d plants, %d master solves)", res.blocks, res.iters);
        if (res.status == TRI_DW_INFEASIBLE) {
            status = GLP_NOFEAS;
        } else {
            r->solver_message = tri_asprintf("decomposition: %s", res.msg);
            status = res.status == TRI_DW_LIMIT ? -1 : res.status == TRI_DW_NOMEM ? -2 : -3;
        }
    }
    tri_dw_res_free(&res);
    return status;
}

static const char *method_name(int method)
{
    return method == TR_METHOD_PRIMAL ? "primal simplex" : method == TR_METHOD_INTERIOR ? "interior point"
                                                                                        : "dual simplex";
}

tr_status tr_model_solve(tr_model *m, const tr_solve_opts *opts, tr_result **out)
{
    if (!out)
        return TR_FAIL(TR_E_INVAL, "tr_model_solve: out is NULL");
    *out = NULL;
    if (!m)
        return TR_FAIL(TR_E_INVAL, "tr_model_solve: model is NULL");
    tr_status ast = model_ready(m);
    if (ast != TR_OK)
        return ast;
    tr_solve_opts o;
    tr_solve_opts_init(&o);
    if (opts)
        o = *opts;
    if (o.method < TR_METHOD_DUAL || o.method > TR_METHOD_INTERIOR)
        return TR_FAIL(TR_E_INVAL, "solve options: method: expected 0 (dual), 1 (primal) or 2 (interior), got %d",
                       o.method);
    if (!(o.tol_primal > 0 && o.tol_primal < 1e-3) || !(o.tol_dual > 0 && o.tol_dual < 1e-3))
        return TR_FAIL(TR_E_INVAL, "solve options: tolerances: expected numbers in (0, 0.001), got %g and %g",
                       o.tol_primal, o.tol_dual);
    if (o.structure < TR_STRUCTURE_AUTO || o.structure > TR_STRUCTURE_DECOMPOSED)
        return TR_FAIL(TR_E_INVAL,
                       "solve options: structure: expected 0 (auto), 1 (monolithic) or 2 (decomposed), got %d",
                       o.structure);
    if (o.threads < 0 || o.threads > 64)
        return TR_FAIL(TR_E_INVAL, "solve options: threads: expected 0 (one per CPU) to 64, got %d", o.threads);
    if (!(o.gap > 0 && o.gap < 0.1))
        return TR_FAIL(TR_E_INVAL, "solve options: gap: expected a number in (0, 0.1), got %g", o.gap);
    if (!isfinite(o.time_limit_s) || o.verbosity < 0 || o.verbosity > 3)
        return TR_FAIL(TR_E_INVAL, "solve options: expected a finite time limit and verbosity 0..3");
    tr_library_init();
    tr_result *volatile r = tri_result_new(m);
    if (!r)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    r->method = tri_strdup(method_name(o.method));
    r->presolve = o.presolve && o.method != TR_METHOD_INTERIOR;
    r->tol_primal = o.tol_primal;
    r->tol_dual = o.tol_dual;
    size_t nc = m->ncols, nr = m->nrows;
    double *volatile x = tri_calloc(nc + 1, sizeof *x);
    double *volatile rp = tri_calloc(nr + 1, sizeof *rp);
    double *volatile rd = tri_calloc(nr + 1, sizeof *rd);
    if (!r->method || !x || !rp || !rd) {
        tri_free(x);
        tri_free(rp);
        tri_free(rd);
        tr_result_free(r);
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    }
    const int dw = use_decomposition(m, &o);
    double dw_obj = 0;
    int dw_status = 0;
    if (dw) {
        int lost = 0;
        dw_status = solve_decomposed(m, &o, r, x, rd, &dw_obj, &lost);
        if (lost || dw_status == -2) {
            if (lost)
                m->lp = NULL;
            tri_free(x);
            tri_free(rp);
            tri_free(rd);
            tr_result_free(r);
            return lost ? TR_FAIL(TR_E_SOLVER, "GLPK failed while solving %s", m->s->name)
                        : TR_FAIL(TR_E_NOMEM, "out of memory");
        }
    }
    guard g;
    GUARD(g, {
        m->lp = NULL;
        tri_free(x);
        tri_free(rp);
        tri_free(rd);
        tr_result_free(r);
        return TR_FAIL(TR_E_SOLVER, "GLPK failed while solving %s", m->s->name);
    });
    if (!dw)
        model_need_lp(m);
    glp_prob *lp = m->lp;
    int status = dw ? dw_status : GLP_UNDEF, rc = dw && dw_status == -1 ? GLP_ETMLIM : 0;
    int interior = o.method == TR_METHOD_INTERIOR;
    if (dw) {
        /* solved above */
    } else if (nc == 0) {
        /* nothing to decide: the baseline is the answer if every row holds at 0 */
        status = GLP_OPT;
        for (int i = 1; i <= (int)nr; i++) {
            int type = glp_get_row_type(lp, i);
            double lb = glp_get_row_lb(lp, i), ub = glp_get_row_ub(lp, i);
            double tol = 1e-9 * fmax(1.0, fmax(fabs(lb), fabs(ub)));
            if (((type == GLP_LO || type == GLP_DB || type == GLP_FX) && lb > tol) ||
                ((type == GLP_UP || type == GLP_DB || type == GLP_FX) && ub < -tol))
                status = GLP_NOFEAS;
        }
    } else if (interior) {
        glp_iptcp p;
        glp_init_iptcp(&p);
        p.msg_lev = o.verbosity > 0 ? GLP_MSG_ON : GLP_MSG_OFF;
        rc = glp_interior(lp, &p);
        status = rc == 0 ? glp_ipt_status(lp) : GLP_UNDEF;
        if (rc == GLP_ENOFEAS)
            status = GLP_NOFEAS;
    } else {
        glp_smcp p;
        glp_init_smcp(&p);
        p.msg_lev = o.verbosity > 1 ? GLP_MSG_ALL : o.verbosity > 0 ? GLP_MSG_ON : GLP_MSG_OFF;
        p.meth = o.method == TR_METHOD_PRIMAL ? GLP_PRIMAL : GLP_DUALP;
        p.presolve = o.presolve ? GLP_ON : GLP_OFF;
        p.tol_bnd = o.tol_primal;
        p.tol_dj = o.tol_dual;
        if (m->flip)
            p.r_test = GLP_RT_FLIP;
        if (o.time_limit_s > 0)
            p.tm_lim = o.time_limit_s * 1000 > 2e9 ? 2000000000 : (int)(o.time_limit_s * 1000);
        if (!o.presolve && !m->solved_basis) {
            glp_scale_prob(lp, GLP_SF_AUTO);
            glp_adv_basis(lp, 0);
        }
        rc = glp_simplex(lp, &p);
        if (rc == GLP_EFAIL || rc == GLP_ESING || rc == GLP_ECOND || rc == GLP_EBADB) {
            /* numerical trouble: retry once from a fresh scaled basis without presolve */
            p.presolve = GLP_OFF;
            glp_scale_prob(lp, GLP_SF_AUTO);
            glp_adv_basis(lp, 0);
            rc = glp_simplex(lp, &p);
            r->presolve = 0;
        }
        if (rc == 0)
            status = glp_get_status(lp);
        else if (rc == GLP_ENOPFS)
            status = GLP_NOFEAS;
        else if (rc == GLP_ENODFS)
            status = GLP_UNBND;
        m->solved_basis = rc == 0 && glp_get_status(lp) == GLP_OPT;
    }
    tr_status st = TR_OK;
    if (status == GLP_OPT) {
        if (dw) {
            /* row activities from the solution; duals came with it */
            const tri_lpd *d = &m->lpd;
            for (size_t j = 1; j <= nc; j++)
                if (fabs(x[j]) < 1e-9)
                    x[j] = 0;
            for (size_t k = 1; k <= d->nnz; k++)
                rp[d->ia[k]] += d->ar[k] * x[d->ja[k]];
        } else {
            read_solution(m, interior, x, rp, rd);
        }
        char why[512] = "";
        int bad = o.verify && !verify(m, x, why, sizeof why);
        if (bad && !dw && !interior && r->presolve) {
            /* GLPK's presolver can hand back a point outside a bound (seen:
             * an import column at -0.9 when demand falls just below a
             * closable plant's production): solve again without it */
            glp_smcp p;
            glp_init_smcp(&p);
            p.msg_lev = o.verbosity > 1 ? GLP_MSG_ALL : o.verbosity > 0 ? GLP_MSG_ON : GLP_MSG_OFF;
            p.meth = o.method == TR_METHOD_PRIMAL ? GLP_PRIMAL : GLP_DUALP;
            p.tol_bnd = o.tol_primal;
            p.tol_dj = o.tol_dual;
            glp_scale_prob(lp, GLP_SF_AUTO);
            glp_adv_basis(lp, 0);
            r->presolve = 0;
            if (glp_simplex(lp, &p) == 0 && glp_get_status(lp) == GLP_OPT) {
                read_solution(m, 0, x, rp, rd);
                bad = !verify(m, x, why, sizeof why);
            }
            m->solved_basis = !bad;
        }
        if (bad) {
            r->status = TR_SOL_FAILED;
            r->solver_message = tri_asprintf("the solver's answer fails the check against the rows: %s", why);
        } else if (o.verify && dw && !verify_duals(m, x, rp, rd, dw_obj, why, sizeof why)) {
            r->status = TR_SOL_FAILED;
            r->solver_message = tri_asprintf("the decomposition's duals fail the optimality check: %s", why);
        } else {
            r->status = TR_SOL_OPTIMAL;
            st = tri_extract(m, x, rp, rd, r);
            double glpk_obj = dw ? dw_obj : nc == 0 ? m->obj0 : interior ? glp_ipt_obj_val(lp) : glp_get_obj_val(lp);
            if (st == TR_OK && !isfinite(r->npv)) {
                r->status = TR_SOL_FAILED;
                r->solver_message = tri_asprintf("the NPV recomputed from the solution is not finite (%g): the "
                                                 "scenario's numbers overflow; rescale them",
                                                 r->npv);
            } else if (st == TR_OK && o.verify && !m->obj_swapped &&
                       fabs(glpk_obj - r->npv) > 1e-6 * fmax(1.0, fabs(r->npv)) + 1e-6) {
                r->status = TR_SOL_FAILED;
                r->solver_message = tri_asprintf("the NPV recomputed from the solution (%.10g) differs from the "
                                                 "solver's objective (%.10g)", r->npv, glpk_obj);
            }
        }
    } else if (status == GLP_NOFEAS || status == GLP_INFEAS) {
        r->status = TR_SOL_INFEASIBLE;
        if (o.diagnose && dw) {
            /* the decomposition installs and removes its own error hooks */
            UNGUARD();
            st = diagnose_decomposed(m, r, &o);
            glp_error_hook(glpk_hook, &g);
            if (st == TR_E_STATE) {
                model_need_lp(m);
                st = diagnose(m, r, &o);
            }
        } else if (o.diagnose) {
            st = diagnose(m, r, &o);
        }
    } else if (status == GLP_UNBND) {
        r->status = TR_SOL_UNBOUNDED;
    } else if (dw && status != GLP_UNBND) {
        r->status = rc == GLP_ETMLIM ? TR_SOL_LIMIT : TR_SOL_FAILED;
    } else if (rc == GLP_ETMLIM || rc == GLP_EITLIM) {
        r->status = TR_SOL_LIMIT;
        r->solver_message = tri_strdup(rc == GLP_ETMLIM ? "time limit reached" : "iteration limit reached");
    } else {
        r->status = TR_SOL_FAILED;
        r->solver_message = tri_asprintf("GLPK stopped with code %d, status %d", rc, status);
    }
    UNGUARD();
    tri_free(x);
    tri_free(rp);
    tri_free(rd);
    if (st != TR_OK) {
        tr_result_free(r);
        return st;
    }
    *out = r;
    return TR_OK;
}

/* ------------------------------------------------------------ for analyses */

tr_status tri_basis_save(const tr_model *m, int **rs, int **cs)
{
    int nr = glp_get_num_rows(m->lp), nc = glp_get_num_cols(m->lp);
    *rs = tri_malloc(((size_t)nr + 1) * sizeof **rs);
    *cs = tri_malloc(((size_t)nc + 1) * sizeof **cs);
    if (!*rs || !*cs) {
        tri_free(*rs);
        tri_free(*cs);
        *rs = *cs = NULL;
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    }
    for (int i = 1; i <= nr; i++)
        (*rs)[i] = glp_get_row_stat(m->lp, i);
    for (int j = 1; j <= nc; j++)
        (*cs)[j] = glp_get_col_stat(m->lp, j);
    (*rs)[0] = nr;
    (*cs)[0] = nc;
    return TR_OK;
}

/* Restore a saved basis (same sizes only); the next simplex starts from it. */
int tri_basis_load(tr_model *m, const int *rs, const int *cs)
{
    if (!rs || !cs || rs[0] != glp_get_num_rows(m->lp) || cs[0] != glp_get_num_cols(m->lp))
        return 0;
    for (int i = 1; i <= rs[0]; i++)
        glp_set_row_stat(m->lp, i, rs[i]);
    for (int j = 1; j <= cs[0]; j++)
        glp_set_col_stat(m->lp, j, cs[j]);
    m->solved_basis = 1;
    return 1;
}

/* An extra row sum coef*col (free until bounded); returns its number. */
int tri_model_add_row(tr_model *m, const int *ind, const double *val, int len, const char *name)
{
    int row = glp_add_rows(m->lp, 1);
    glp_set_row_name(m->lp, row, name);
    glp_set_mat_row(m->lp, row, len, ind, val);
    glp_set_row_bnds(m->lp, row, GLP_FR, 0, 0);
    glp_set_row_stat(m->lp, row, GLP_BS);
    return row;
}

void tri_model_row_bound(tr_model *m, int row, int upper, double rhs)
{
    glp_set_row_bnds(m->lp, row, upper > 0 ? GLP_UP : upper < 0 ? GLP_LO : GLP_FR, rhs, rhs);
}

double tri_model_row_dual(const tr_model *m, int row) { return glp_get_row_dual(m->lp, row); }
double tri_model_col_value(const tr_model *m, int col) { return glp_get_col_prim(m->lp, col); }

/* Replace the objective by coef (1-based, ncols) and constant; NULL restores the model's own. */
void tri_model_objective(tr_model *m, const double *coef, double c0)
{
    m->obj_swapped = coef != NULL;
    glp_set_obj_coef(m->lp, 0, coef ? c0 : m->lpd.obj0);
    for (size_t j = 1; j <= m->lpd.ncols; j++)
        glp_set_obj_coef(m->lp, (int)j, coef ? coef[j] : m->lpd.obj[j]);
}

/* Test hook: make GLPK report an internal error (a bad column index) inside
 * a guarded call, to prove the error hook turns it into TR_E_SOLVER
 * instead of an abort. The model is unusable afterwards (TR_E_STATE). */
TR_API tr_status tri_test_glpk_error(tr_model *m);
tr_status tri_test_glpk_error(tr_model *m)
{
    if (!m || !m->lp)
        return TR_FAIL(TR_E_STATE, "the model is unusable after an earlier GLPK failure");
    guard g;
    GUARD(g, {
        m->lp = NULL;
        return TR_FAIL(TR_E_SOLVER, "GLPK failed (error hook): the model is unusable");
    });
    glp_set_col_bnds(m->lp, glp_get_num_cols(m->lp) + 7, GLP_FR, 0, 0);   /* out of range: glp_error */
    UNGUARD();
    return TR_OK;
}

/* Scale the problem once (GLPK keeps the factors with it): warm starts
 * without presolve then run on a well-scaled matrix. */
void tri_model_scale(tr_model *m) { glp_scale_prob(m->lp, GLP_SF_AUTO); }

/* Free this thread's GLPK environment (worker threads, when they end). */
void tri_glpk_thread_done(void)
{
    reg_invalidate_thread(1);
    glp_free_env();
}

tr_status tr_scenario_solve(const tr_scenario *sc, const tr_solve_opts *opts, tr_result **out)
{
    if (out)
        *out = NULL;
    if (!sc)
        return TR_FAIL(TR_E_INVAL, "tr_scenario_solve: scenario is NULL");
    /* a model solved once: its GLPK problem only if the solve needs it */
    tr_model *m = NULL;
    tr_status st = tri_model_from_scen(tri_scen_ref(sc->scen), sc->sha, 1, &m);
    if (st != TR_OK)
        return st;
    st = tr_model_solve(m, opts, out);
    tr_model_free(m);
    return st;
}
