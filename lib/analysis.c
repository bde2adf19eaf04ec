/* Analyses on top of compile/build/solve: Monte Carlo, sweeps, tornado and
 * Morris sensitivity, static and model MACCs, epsilon-constraint fronts.
 *
 * Parameter analyses run on a pool of threads, one GLPK problem per thread
 * (Debian's GLPK keeps its environment in thread-local storage). Each run
 * edits a copy of the effective document, compiles it, updates the built LP
 * in place (only what differs) and warm-starts from the base solution's
 * basis — the same start for every run, so results do not depend on which
 * thread ran what: same seed, same bytes. */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <jansson.h>

#include "model.h"
#include "result.h"

/* ------------------------------------------------------------ tables */

struct tr_table {
    char *name;
    size_t nc, nr, rcap;
    char **cols;
    unsigned char *txt;
    double *num;   /* [nr*nc] */
    char **str;    /* [nr*nc] */
};

static void tbl_free(tr_table *t)
{
    if (!t)
        return;
    for (size_t c = 0; c < t->nc; c++)
        tri_free(t->cols[c]);
    for (size_t i = 0; i < t->nr * t->nc; i++)
        tri_free(t->str[i]);
    tri_free(t->cols);
    tri_free(t->txt);
    tri_free(t->num);
    tri_free(t->str);
    tri_free(t->name);
    tri_free(t);
}

static tr_table *tbl_new(const char *name, size_t nc)
{
    tr_table *t = tri_calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->nc = nc;
    t->name = tri_strdup(name);
    t->cols = tri_calloc(nc, sizeof *t->cols);
    t->txt = tri_calloc(nc, 1);
    if (!t->name || !t->cols || !t->txt) {
        tbl_free(t);
        return NULL;
    }
    return t;
}

static int tbl_col(tr_table *t, size_t c, const char *name, int text)
{
    t->cols[c] = tri_strdup(name);
    t->txt[c] = (unsigned char)text;
    return t->cols[c] != NULL;
}

/* new row (cells NaN / NULL); -1 on OOM */
static long tbl_row(tr_table *t)
{
    if (t->nr == t->rcap) {
        size_t cap = t->rcap ? t->rcap * 2 : 16;
        double *n = tri_realloc(t->num, cap * t->nc * sizeof *n);
        if (!n)
            return -1;
        t->num = n;
        char **s = tri_realloc(t->str, cap * t->nc * sizeof *s);
        if (!s)
            return -1;
        t->str = s;
        t->rcap = cap;
    }
    for (size_t c = 0; c < t->nc; c++) {
        t->num[t->nr * t->nc + c] = NAN;
        t->str[t->nr * t->nc + c] = NULL;
    }
    return (long)t->nr++;
}

static void tbl_num(tr_table *t, long r, size_t c, double v) { t->num[(size_t)r * t->nc + c] = v; }

static int tbl_txt(tr_table *t, long r, size_t c, const char *s)
{
    char **p = &t->str[(size_t)r * t->nc + c];
    tri_free(*p);
    *p = tri_strdup(s ? s : "");
    return *p != NULL;
}

const char *tr_table_name(const tr_table *t) { return t ? t->name : ""; }
size_t tr_table_row_count(const tr_table *t) { return t ? t->nr : 0; }
size_t tr_table_col_count(const tr_table *t) { return t ? t->nc : 0; }
const char *tr_table_col_name(const tr_table *t, size_t c) { return t && c < t->nc ? t->cols[c] : NULL; }
int tr_table_col_is_text(const tr_table *t, size_t c) { return t && c < t->nc ? t->txt[c] : 0; }

double tr_table_num(const tr_table *t, size_t r, size_t c)
{
    return t && r < t->nr && c < t->nc && !t->txt[c] ? t->num[r * t->nc + c] : NAN;
}

const char *tr_table_text(const tr_table *t, size_t r, size_t c)
{
    if (!t || r >= t->nr || c >= t->nc || !t->txt[c])
        return "";
    const char *s = t->str[r * t->nc + c];
    return s ? s : "";
}

tr_status tr_table_write_string(const tr_table *t, tr_result_format format, char **out)
{
    if (!out)
        return TR_FAIL(TR_E_INVAL, "tr_table_write_string: out is NULL");
    *out = NULL;
    if (!t)
        return TR_FAIL(TR_E_INVAL, "tr_table_write_string: table is NULL");
    tri_buf b = {0};
    if (format == TR_FMT_CSV || format == TR_FMT_IAMC) {
        for (size_t c = 0; c < t->nc; c++)
            tri_buf_printf(&b, "%s%s", c ? "," : "", t->cols[c]);
        tri_buf_puts(&b, "\n");
        for (size_t r = 0; r < t->nr; r++) {
            for (size_t c = 0; c < t->nc; c++) {
                if (c)
                    tri_buf_puts(&b, ",");
                if (t->txt[c])
                    tri_csv_field(&b, tr_table_text(t, r, c));
                else if (isfinite(t->num[r * t->nc + c]))
                    tri_buf_printf(&b, "%.12g", t->num[r * t->nc + c] == 0 ? 0.0 : t->num[r * t->nc + c]);
            }
            tri_buf_puts(&b, "\n");
        }
    } else if (format == TR_FMT_JSON) {
        json_t *rows = json_array();
        for (size_t r = 0; r < t->nr; r++) {
            json_t *o = json_object();
            for (size_t c = 0; c < t->nc; c++) {
                double v = t->num[r * t->nc + c];
                json_object_set_new(o, t->cols[c], t->txt[c]     ? json_string(tr_table_text(t, r, c))
                                                    : isfinite(v) ? json_real(v)
                                                                  : json_null());
            }
            json_array_append_new(rows, o);
        }
        json_t *j = json_object();
        json_object_set_new(j, "table", json_string(t->name));
        json_object_set_new(j, "rows", rows);
        char *s = json_dumps(j, JSON_INDENT(1) | JSON_REAL_PRECISION(15));
        json_decref(j);
        if (!s)
            return TR_FAIL(TR_E_NOMEM, "out of memory writing JSON");
        tri_buf_puts(&b, s);
        tri_buf_puts(&b, "\n");
        free(s);
    } else if (format == TR_FMT_TABLE) {
        size_t *w = tri_calloc(t->nc, sizeof *w);
        char cell[64];
        if (!w)
            return TR_FAIL(TR_E_NOMEM, "out of memory");
        for (size_t c = 0; c < t->nc; c++) {
            w[c] = strlen(t->cols[c]);
            for (size_t r = 0; r < t->nr; r++) {
                size_t l = t->txt[c] ? strlen(tr_table_text(t, r, c)) : (size_t)snprintf(cell, sizeof cell, "%.6g", t->num[r * t->nc + c]);
                if (l > w[c])
                    w[c] = l;
            }
            if (w[c] > 40)
                w[c] = 40;
        }
        tri_buf_printf(&b, "%s\n", t->name);
        for (size_t c = 0; c < t->nc; c++)
            tri_buf_printf(&b, "%s%*s", c ? "  " : "", -(int)w[c], t->cols[c]);
        tri_buf_puts(&b, "\n");
        for (size_t r = 0; r < t->nr; r++) {
            for (size_t c = 0; c < t->nc; c++) {
                if (t->txt[c])
                    tri_buf_printf(&b, "%s%-*.*s", c ? "  " : "", (int)w[c], (int)w[c], tr_table_text(t, r, c));
                else {
                    double v = t->num[r * t->nc + c];
                    if (isfinite(v))
                        snprintf(cell, sizeof cell, "%.6g", v);
                    else
                        snprintf(cell, sizeof cell, "-");
                    tri_buf_printf(&b, "%s%*s", c ? "  " : "", (int)w[c], cell);
                }
            }
            tri_buf_puts(&b, "\n");
        }
        tri_free(w);
    } else {
        return TR_FAIL(TR_E_INVAL, "tr_table_write_string: unknown format %d", (int)format);
    }
    *out = tri_buf_take(&b);
    return *out ? TR_OK : TR_FAIL(TR_E_NOMEM, "out of memory");
}

/* ------------------------------------------------------------ analysis */

struct tr_analysis {
    tr_table **tab;
    size_t nt;
    size_t done, total;
    int cancelled;
};

void tr_analysis_free(tr_analysis *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->nt; i++)
        tbl_free(a->tab[i]);
    tri_free(a->tab);
    tri_free(a);
}

static int an_add(tr_analysis *a, tr_table *t)
{
    if (!t)
        return 0;
    tr_table **n = tri_realloc(a->tab, (a->nt + 1) * sizeof *n);
    if (!n) {
        tbl_free(t);
        return 0;
    }
    a->tab = n;
    a->tab[a->nt++] = t;
    return 1;
}

size_t tr_analysis_table_count(const tr_analysis *a) { return a ? a->nt : 0; }
const tr_table *tr_analysis_table(const tr_analysis *a, size_t i) { return a && i < a->nt ? a->tab[i] : NULL; }
size_t tr_analysis_runs_done(const tr_analysis *a) { return a ? a->done : 0; }
size_t tr_analysis_runs_total(const tr_analysis *a) { return a ? a->total : 0; }
int tr_analysis_cancelled(const tr_analysis *a) { return a ? a->cancelled : 0; }

const tr_table *tr_analysis_find(const tr_analysis *a, const char *name)
{
    for (size_t i = 0; a && name && i < a->nt; i++)
        if (strcmp(a->tab[i]->name, name) == 0)
            return a->tab[i];
    return NULL;
}

void tr_analysis_opts_init(tr_analysis_opts *o)
{
    if (!o)
        return;
    memset(o, 0, sizeof *o);
    o->threads = 0;
    o->seed = -1;
    o->samples = 0;
    o->method = -1;
    o->warm = 1;
}

/* ------------------------------------------------------------ document edits */

typedef struct edit {
    const char *path;
    int scale;
    double v;
} edit;

static void scale_numbers(tri_node *n, double f)
{
    if (n->kind == TRI_SCALAR) {
        char *end;
        double v = strtod(n->str, &end);
        if (end != n->str && *end == '\0' && n->plain) {
            char *s = tri_asprintf("%.17g", v * f);
            if (s) {
                tri_free(n->str);
                n->str = s;
            }
        }
        return;
    }
    for (size_t i = 0; i < n->n; i++)
        if (n->kind == TRI_SEQ || strcmp(n->keys[i]->str, "interp") != 0)
            scale_numbers(n->vals[i], f);
}

static tr_status apply_edit(tri_node *doc, const edit *e)
{
    tri_node *cur = doc;
    char *p = tri_strdup(e->path);
    if (!p)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    char *seg = p, *dot;
    tri_node *parent = NULL;
    long at = -1;
    while (cur && cur->kind == TRI_MAP) {
        dot = strchr(seg, '.');
        if (dot)
            *dot = '\0';
        at = tri_map_index(cur, seg);
        parent = cur;
        cur = at >= 0 ? cur->vals[at] : NULL;
        if (!dot)
            break;
        seg = dot + 1;
    }
    tri_free(p);
    if (!cur || !parent || at < 0)
        return TR_FAIL(TR_E_NOTFOUND, "%s: no such value in the scenario", e->path);
    if (e->scale) {
        scale_numbers(cur, e->v);
        return TR_OK;
    }
    tri_node *n = tri_node_new(TRI_SCALAR, cur->file, cur->line, cur->col);
    if (!n || !(n->str = tri_asprintf("%.17g", e->v))) {
        tri_node_free(n);
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    }
    n->plain = 1;
    tri_node_free(parent->vals[at]);
    parent->vals[at] = n;
    return TR_OK;
}

static tr_status edited_scen(const tr_scenario *sc, const edit *e, size_t ne, tri_scen **out)
{
    *out = NULL;
    tri_node *doc = tri_node_copy(sc->doc);
    if (!doc)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    tr_status st = TR_OK;
    for (size_t i = 0; i < ne && st == TR_OK; i++)
        st = apply_edit(doc, &e[i]);
    if (st == TR_OK)
        st = tri_compile(doc, out);
    tri_node_free(doc);
    return st;
}

/* ------------------------------------------------------------ runs on a pool */

typedef struct runres {
    int status;            /* tr_sol_status, or -1 when not run */
    double *tot;           /* [NT] */
    double *ser;           /* [NS*Y] */
    char *failed;          /* infeasible: ",a,b," policies that cannot be met */
} runres;

typedef struct pool pool;
typedef void (*edits_fn)(const pool *p, size_t run, edit *e, size_t *ne);

struct pool {
    const tr_scenario *sc;
    const tr_analysis_opts *o;
    size_t n, nedit;
    size_t first, end;        /* the runs [first, end) of the n planned (a part of a Monte Carlo) */
    edits_fn edits;
    const void *user;
    /* result layout from the base run */
    size_t NT, NS, Y;
    char **tname, **sname;
    runres *res;
    int *base_rs, *base_cs;   /* basis of the base solution (read-only for workers) */
    int base_cancelled;       /* the progress callback cancelled during the base solve */
    /* shared state */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    size_t next, done;
    int cancel, running;
    tr_status err;
    char errmsg[1024];
};

static void keep(const pool *p, runres *rr, const tr_result *r)
{
    rr->status = r->status;
    if (r->status == TR_SOL_OPTIMAL) {
        rr->tot = tri_malloc((p->NT ? p->NT : 1) * sizeof *rr->tot);
        rr->ser = tri_malloc((p->NS * p->Y > 0 ? p->NS * p->Y : 1) * sizeof *rr->ser);
        if (!rr->tot || !rr->ser)
            return;
        for (size_t i = 0; i < p->NT; i++)
            rr->tot[i] = i < r->nt && !strcmp(r->tname[i], p->tname[i]) ? r->tval[i] : NAN;
        for (size_t i = 0; i < p->NS; i++) {
            const tri_series *se = i < r->ns && !strcmp(r->ser[i].name, p->sname[i]) ? &r->ser[i] : NULL;
            for (size_t t = 0; t < p->Y; t++)
                rr->ser[i * p->Y + t] = se ? se->v[t] : NAN;
        }
    } else if (r->status == TR_SOL_INFEASIBLE) {
        tri_buf b = {0};
        tri_buf_puts(&b, ",");
        for (size_t d = 0; d < r->nd; d++)
            tri_buf_printf(&b, "%s,", r->diag[d].policy);
        rr->failed = tri_buf_take(&b);
    }
}

static void fail(pool *p, tr_status st)
{
    pthread_mutex_lock(&p->mu);
    if (p->err == TR_OK) {
        p->err = st;
        snprintf(p->errmsg, sizeof p->errmsg, "%s", tr_last_error());
    }
    p->cancel = 1;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
}

static void *worker(void *arg)
{
    pool *p = arg;
    tr_library_init();
    tr_model *m = NULL;
    int *rs = NULL, *cs = NULL;
    edit *e = tri_calloc(p->nedit ? p->nedit : 1, sizeof *e);
    tr_solve_opts so;
    tr_solve_opts_init(&so);
    tr_status st = e ? TR_OK : TR_FAIL(TR_E_NOMEM, "out of memory");
    if (st == TR_OK && p->o->warm) {
        /* this thread's model; the base solution's basis (solved once, by
         * the calling thread) starts every run */
        st = tr_model_new(p->sc, &m);
        if (st == TR_OK) {
            tri_model_scale(m);
            m->flip = 1;
        }
        rs = p->base_rs;
        cs = p->base_cs;
    }
    if (st != TR_OK)
        fail(p, st);
    so.presolve = 0;   /* warm starts need the basis */
    so.threads = 1;    /* a decomposed run prices in this worker: the pool is the parallelism */
    while (st == TR_OK) {
        pthread_mutex_lock(&p->mu);
        size_t i = p->next;
        int stop = p->cancel || i >= p->end;
        if (!stop)
            p->next++;
        pthread_mutex_unlock(&p->mu);
        if (stop)
            break;
        size_t ne = 0;
        p->edits(p, i, e, &ne);
        tri_scen *s = NULL;
        tr_scenario *fresh = NULL;
        if (!p->o->warm && tr_scenario_load(p->sc->path, &fresh) != TR_OK)
            fresh = NULL;   /* loaded from text: start from the document instead */
        /* cold runs start from the file, as a loop of load-edit-solve would */
        st = edited_scen(fresh ? fresh : p->sc, e, ne, &s);
        tr_scenario_free(fresh);
        tr_result *r = NULL;
        if (st == TR_OK && p->o->warm) {
            int reloaded = 0;
            st = tri_model_update(m, s, &reloaded);
            if (st == TR_OK) {
                if (reloaded || !tri_basis_load(m, rs, cs))
                    m->solved_basis = 0;
                so.method = m->upd_primal && m->solved_basis ? TR_METHOD_PRIMAL : TR_METHOD_DUAL;
                st = tr_model_solve(m, &so, &r);
            } else
                tri_scen_free(s);
        } else if (st == TR_OK) {
            /* cold: build and solve from scratch, as a user without analyses would */
            tr_model *cm = NULL;
            tr_solve_opts co;
            tr_solve_opts_init(&co);
            co.threads = 1;
            st = tri_model_from_scen(s, p->sc->sha, 1, &cm);
            if (st == TR_OK)
                st = tr_model_solve(cm, &co, &r);
            tr_model_free(cm);
        } else if (st == TR_E_INVAL || st == TR_E_NOTFOUND) {
            /* a sampled value the scenario rejects (e.g. a negative price): a failed run, not an error */
            st = TR_OK;
            p->res[i].status = TR_SOL_FAILED;
        }
        if (st == TR_OK && r) {
            keep(p, &p->res[i], r);
            if (r->status == TR_SOL_OPTIMAL && (!p->res[i].tot || !p->res[i].ser))
                st = TR_FAIL(TR_E_NOMEM, "out of memory");
        }
        tr_result_free(r);
        if (st != TR_OK) {
            fail(p, st);
            break;
        }
        pthread_mutex_lock(&p->mu);
        p->done++;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
    }
    tr_model_free(m);
    tri_free(e);
    pthread_mutex_lock(&p->mu);
    p->running--;
    pthread_cond_broadcast(&p->cv);
    pthread_mutex_unlock(&p->mu);
    tri_glpk_thread_done();
    return NULL;
}

static void pool_setup(pool *p, const tr_scenario *sc, const tr_analysis_opts *o, size_t n, size_t nedit,
                       edits_fn edits, const void *user)
{
    memset(p, 0, sizeof *p);
    p->sc = sc;
    p->o = o;
    p->n = n;
    p->first = p->next = 0;
    p->end = n;
    p->nedit = nedit;
    p->edits = edits;
    p->user = user;
}

/* the base solve's rounds (a decomposed sector) as "0 runs done", so that
 * a cancel is seen before the first run */
static int base_progress(int round, double gap, void *ud)
{
    (void)round;
    (void)gap;
    pool *p = ud;
    if (!p->o->progress(0, p->end - p->first, p->o->userdata))
        return 0;
    p->base_cancelled = 1;
    return 1;
}

/* Run p->n runs; fills p->res. Returns TR_OK (also when cancelled during
 * the runs; TR_E_STATE when cancelled during the base solve). */
static tr_status run_pool(pool *p, tr_analysis *a)
{
    /* the base solution: its basis starts every run, its result fixes the
     * names of totals and series */
    tr_result *base = NULL;
    tr_model *bm = NULL;
    tr_status st = tr_model_new(p->sc, &bm);
    tr_solve_opts bo;
    tr_solve_opts_init(&bo);
    if (p->o->progress) {
        bo.progress = base_progress;
        bo.userdata = p;
    }
    if (st == TR_OK)
        st = tr_model_solve(bm, &bo, &base);
    if (st == TR_OK && p->base_cancelled) {
        tr_model_free(bm);
        tr_result_free(base);
        return TR_FAIL(TR_E_STATE, "cancelled while the base case was being solved: no run was made");
    }
    if (st == TR_OK && base->status == TR_SOL_OPTIMAL)
        st = tri_basis_save(bm, &p->base_rs, &p->base_cs);
    tr_model_free(bm);
    if (st != TR_OK) {
        tr_result_free(base);
        return st;
    }
    if (base->status != TR_SOL_OPTIMAL) {
        st = TR_FAIL(TR_E_INVAL, "the scenario itself is %s; analyses start from a solved scenario",
                     tr_result_status_name(base));
        tr_result_free(base);
        return st;
    }
    p->NT = base->nt;
    p->Y = base->Y;
    p->tname = tri_calloc(p->NT + 1, sizeof *p->tname);
    size_t ns = 0;
    for (size_t i = 0; i < base->ns; i++)
        ns += base->ser[i].kind != TRI_SER_POLICY;
    p->NS = ns;
    p->sname = tri_calloc(ns + 1, sizeof *p->sname);
    p->res = tri_calloc(p->n ? p->n : 1, sizeof *p->res);
    if (!p->tname || !p->sname || !p->res) {
        tr_result_free(base);
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < p->NT; i++)
        if (!(p->tname[i] = tri_strdup(base->tname[i])))
            st = TR_FAIL(TR_E_NOMEM, "out of memory");
    for (size_t i = 0, k = 0; i < base->ns; i++)
        if (base->ser[i].kind != TRI_SER_POLICY && !(p->sname[k++] = tri_strdup(base->ser[i].name)))
            st = TR_FAIL(TR_E_NOMEM, "out of memory");
    tr_result_free(base);
    if (st != TR_OK)
        return st;
    for (size_t i = 0; i < p->n; i++)
        p->res[i].status = -1;
    int nt = p->o->threads > 0 ? p->o->threads : tri_ncores();
    size_t todo = p->end - p->first;
    if ((size_t)nt > todo)
        nt = todo ? (int)todo : 1;
    p->next = p->first;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    pthread_t th[64];
    if (nt > 64)
        nt = 64;
    int started = 0;
    for (int i = 0; i < nt; i++) {
        pthread_mutex_lock(&p->mu);
        p->running++;
        pthread_mutex_unlock(&p->mu);
        if (pthread_create(&th[i], NULL, worker, p) != 0) {
            pthread_mutex_lock(&p->mu);
            p->running--;
            pthread_mutex_unlock(&p->mu);
            break;
        }
        started++;
    }
    if (!started) {
        pthread_mutex_destroy(&p->mu);
        pthread_cond_destroy(&p->cv);
        return TR_FAIL(TR_E_STATE, "cannot start worker threads");
    }
    /* report progress from this thread (the caller's: Python's GIL, tqdm) */
    size_t reported = (size_t)-1;
    pthread_mutex_lock(&p->mu);
    while (p->running > 0) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 100000000L;
        if (ts.tv_nsec >= 1000000000L) {
            ts.tv_sec++;
            ts.tv_nsec -= 1000000000L;
        }
        int timedout = pthread_cond_timedwait(&p->cv, &p->mu, &ts) != 0;
        size_t d = p->done;
        if (p->o->progress && (d != reported || timedout)) {
            reported = d;
            pthread_mutex_unlock(&p->mu);
            int c = p->o->progress(d, todo, p->o->userdata);
            pthread_mutex_lock(&p->mu);
            if (c && !p->cancel) {
                p->cancel = 1;
                a->cancelled = 1;
            }
        }
    }
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    pthread_mutex_destroy(&p->mu);
    pthread_cond_destroy(&p->cv);
    if (p->o->progress && reported != p->done)
        p->o->progress(p->done, todo, p->o->userdata);
    a->done = p->done;
    a->total = todo;
    if (p->err != TR_OK)
        return TR_FAIL(p->err, "%s", p->errmsg);
    return TR_OK;
}

static void pool_free(pool *p)
{
    tri_free(p->base_rs);
    tri_free(p->base_cs);
    for (size_t i = 0; p->res && i < p->n; i++) {
        tri_free(p->res[i].tot);
        tri_free(p->res[i].ser);
        tri_free(p->res[i].failed);
    }
    tri_free(p->res);
    for (size_t i = 0; p->tname && i < p->NT; i++)
        tri_free(p->tname[i]);
    for (size_t i = 0; p->sname && i < p->NS; i++)
        tri_free(p->sname[i]);
    tri_free(p->tname);
    tri_free(p->sname);
}

static long find_total(const pool *p, const char *name)
{
    for (size_t i = 0; i < p->NT; i++)
        if (!strcmp(p->tname[i], name))
            return (long)i;
    return -1;
}

static const char *status_name(int st)
{
    static const char *const n[] = {"optimal", "infeasible", "unbounded", "failed", "limit"};
    return st >= 0 && st <= 4 ? n[st] : "not run";
}

/* ------------------------------------------------------------ Monte Carlo */

/* runs that set every uncertain parameter: Monte Carlo, tornado, Morris */
typedef struct mcdata {
    const tri_scen *s;
    double *x;   /* [n*NU] the parameters' values, run by run */
} mcdata;

static void mc_edits(const pool *p, size_t run, edit *e, size_t *ne)
{
    const mcdata *d = p->user;
    for (size_t k = 0; k < d->s->NU; k++) {
        e[k].path = d->s->unc[k].path;
        e[k].scale = d->s->unc[k].scale;
        e[k].v = d->x[run * d->s->NU + k];
    }
    *ne = d->s->NU;
}

/* Draw n points: uniforms by plain sampling or Latin hypercube, correlated
 * through a Gaussian copula (Cholesky of the correlation matrix), then each
 * marginal's inverse distribution function. */
static tr_status draw(const tri_scen *s, size_t n, unsigned long seed, int lhs, double *x)
{
    size_t K = s->NU;
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    double *u = tri_calloc(n * K + 1, sizeof *u);
    size_t *perm = tri_calloc(n + 1, sizeof *perm);
    gsl_matrix *L = NULL;
    tr_status st = TR_OK;
    if (!rng || !u || !perm) {
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
        goto out;
    }
    gsl_rng_set(rng, seed);
    for (size_t k = 0; k < K; k++) {
        if (lhs) {
            for (size_t i = 0; i < n; i++)
                perm[i] = i;
            gsl_ran_shuffle(rng, perm, n, sizeof *perm);
            for (size_t i = 0; i < n; i++)
                u[i * K + k] = ((double)perm[i] + gsl_rng_uniform_pos(rng)) / (double)n;
        } else {
            for (size_t i = 0; i < n; i++)
                u[i * K + k] = gsl_rng_uniform_pos(rng);
        }
    }
    int corr = 0;
    for (size_t a = 0; a < K; a++)
        for (size_t b = 0; b < K; b++)
            corr |= a != b && s->ucorr[a * K + b] != 0;
    if (corr) {
        L = gsl_matrix_alloc(K, K);
        if (!L) {
            st = TR_FAIL(TR_E_NOMEM, "out of memory");
            goto out;
        }
        for (size_t a = 0; a < K; a++)
            for (size_t b = 0; b < K; b++)
                gsl_matrix_set(L, a, b, s->ucorr[a * K + b]);
        int gs = gsl_linalg_cholesky_decomp1(L);
        if (gs != GSL_SUCCESS) {
            st = TR_FAIL(TR_E_INVAL, "uncertainty.correlation: expected a positive definite correlation matrix (%s)",
                         gsl_strerror(gs));
            goto out;
        }
        double z[256], w[256];
        if (K > 256) {
            st = TR_FAIL(TR_E_INVAL, "uncertainty: at most 256 correlated parameters, got %zu", K);
            goto out;
        }
        for (size_t i = 0; i < n; i++) {
            for (size_t k = 0; k < K; k++)
                z[k] = gsl_cdf_ugaussian_Pinv(u[i * K + k]);
            for (size_t a = 0; a < K; a++) {
                w[a] = 0;
                for (size_t b = 0; b <= a; b++)
                    w[a] += gsl_matrix_get(L, a, b) * z[b];
            }
            for (size_t k = 0; k < K; k++)
                u[i * K + k] = gsl_cdf_ugaussian_P(w[k]);
        }
    }
    for (size_t i = 0; i < n * K; i++) {
        double v = u[i];
        v = v < 1e-12 ? 1e-12 : v > 1 - 1e-12 ? 1 - 1e-12 : v;
        x[i] = tri_param_quantile(&s->unc[i % K], v);
    }
out:
    if (L)
        gsl_matrix_free(L);
    if (rng)
        gsl_rng_free(rng);
    tri_free(u);
    tri_free(perm);
    return st;
}

/* mean, sd and percentiles of the finite values; columns from @c0 */
static void stats_row(tr_table *t, long row, size_t c0, double *v, size_t n)
{
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (isfinite(v[i]))
            v[m++] = v[i];
    tbl_num(t, row, c0, (double)m);
    if (m == 0)
        return;
    gsl_sort(v, 1, m);
    tbl_num(t, row, c0 + 1, gsl_stats_mean(v, 1, m));
    tbl_num(t, row, c0 + 2, m > 1 ? gsl_stats_sd(v, 1, m) : 0);
    static const double q[] = {0.05, 0.25, 0.5, 0.75, 0.95};
    for (size_t k = 0; k < 5; k++)
        tbl_num(t, row, c0 + 3 + k, gsl_stats_quantile_from_sorted_data(v, 1, m, q[k]));
}

static tr_table *stats_table(const char *name, int with_year)
{
    static const char *const cols[] = {"runs", "mean", "sd", "p5", "p25", "p50", "p75", "p95"};
    size_t base = with_year ? 2 : 1;
    tr_table *t = tbl_new(name, base + 8);
    if (!t)
        return NULL;
    int ok = tbl_col(t, 0, with_year ? "indicator" : "total", 1);
    if (with_year)
        ok = ok && tbl_col(t, 1, "year", 0);
    for (size_t i = 0; i < 8; i++)
        ok = ok && tbl_col(t, base + i, cols[i], 0);
    if (!ok) {
        tbl_free(t);
        return NULL;
    }
    return t;
}

static tr_status need_unc(const tr_scenario *sc, const char *what)
{
    if (sc->scen->NU == 0)
        return TR_FAIL(TR_E_INVAL, "%s: uncertainty: the scenario has no `uncertainty:` section with parameters; "
                                   "expected one for %s",
                       sc->path, what);
    return TR_OK;
}

/* The common start of an analysis: arguments and options checked, the
 * scenario's uncertainty: section required when @unc_for names the analysis,
 * then *out allocated. */
static tr_status check_args(const tr_scenario *sc, const tr_analysis_opts *o, tr_analysis_opts *oo, tr_analysis **out,
                            const char *unc_for)
{
    if (!out)
        return TR_FAIL(TR_E_INVAL, "analysis: out is NULL");
    *out = NULL;
    if (!sc)
        return TR_FAIL(TR_E_INVAL, "analysis: scenario is NULL");
    tr_analysis_opts_init(oo);
    if (o)
        *oo = *o;
    if (oo->threads < 0 || oo->threads > 64)
        return TR_FAIL(TR_E_INVAL, "analysis options: threads: expected 0..64, got %d", oo->threads);
    if (unc_for) {
        tr_status st = need_unc(sc, unc_for);
        if (st != TR_OK)
            return st;
    }
    tr_library_init();
    *out = tri_calloc(1, sizeof **out);
    return *out ? TR_OK : TR_FAIL(TR_E_NOMEM, "out of memory");
}

/* The Monte Carlo tables from the runs in p->res (a local run, or parts
 * merged): percentiles, totals, targets, adoption and, with keep_samples,
 * samples (@x: the drawn values [n * NU]). */
static tr_status mc_summarize(const tri_scen *s, const tr_analysis_opts *o, pool *pp, size_t n, const double *x,
                              tr_analysis *a)
{
    tr_status st = TR_OK;
    pool p = *pp;
    tr_analysis_opts oo = *o;
    struct {
        const double *x;
    } d = {x};
    double *v = st == TR_OK ? tri_calloc(n + 1, sizeof *v) : NULL;
    if (st == TR_OK && !v)
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
    /* percentiles per indicator and year, and per total */
    tr_table *pt = st == TR_OK ? stats_table("percentiles", 1) : NULL, *tt = st == TR_OK ? stats_table("totals", 0) : NULL;
    if (st == TR_OK && (!pt || !tt))
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
    for (size_t k = 0; st == TR_OK && k < p.NS; k++)
        for (size_t t = 0; t < p.Y; t++) {
            for (size_t i = 0; i < n; i++)
                v[i] = p.res[i].status == TR_SOL_OPTIMAL ? p.res[i].ser[k * p.Y + t] : NAN;
            long r = tbl_row(pt);
            if (r < 0 || !tbl_txt(pt, r, 0, p.sname[k])) {
                st = TR_FAIL(TR_E_NOMEM, "out of memory");
                break;
            }
            tbl_num(pt, r, 1, s->start + (int)t);
            stats_row(pt, r, 2, v, n);
        }
    for (size_t k = 0; st == TR_OK && k < p.NT; k++) {
        for (size_t i = 0; i < n; i++)
            v[i] = p.res[i].status == TR_SOL_OPTIMAL ? p.res[i].tot[k] : NAN;
        long r = tbl_row(tt);
        if (r < 0 || !tbl_txt(tt, r, 0, p.tname[k])) {
            st = TR_FAIL(TR_E_NOMEM, "out of memory");
            break;
        }
        stats_row(tt, r, 1, v, n);
    }
    /* probability that each policy target is met */
    tr_table *tg = st == TR_OK ? tbl_new("targets", 3) : NULL;
    if (st == TR_OK && (!tg || !tbl_col(tg, 0, "policy", 1) || !tbl_col(tg, 1, "probability_met", 0) ||
                        !tbl_col(tg, 2, "runs", 0)))
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
    size_t ran = 0, feasible = 0;
    for (size_t i = 0; i < n; i++) {
        ran += p.res[i].status >= 0;
        feasible += p.res[i].status == TR_SOL_OPTIMAL;
    }
    if (st == TR_OK) {
        long r = tbl_row(tg);
        if (r < 0 || !tbl_txt(tg, r, 0, "(all targets: feasible)"))
            st = TR_FAIL(TR_E_NOMEM, "out of memory");
        else {
            tbl_num(tg, r, 1, ran ? (double)feasible / (double)ran : NAN);
            tbl_num(tg, r, 2, (double)ran);
        }
    }
    for (size_t k = 0; st == TR_OK && k < s->N; k++) {
        const tri_policy *po = &s->pol[k];
        if (po->type == TRI_POL_PRICE || po->type == TRI_POL_SUBSIDY || po->type == TRI_POL_BAN)
            continue;
        char key[200];
        snprintf(key, sizeof key, ",%s,", po->id);
        size_t met = 0;
        for (size_t i = 0; i < n; i++)
            met += p.res[i].status == TR_SOL_OPTIMAL ||
                   (p.res[i].status == TR_SOL_INFEASIBLE && p.res[i].failed && !strstr(p.res[i].failed, key));
        long r = tbl_row(tg);
        if (r < 0 || !tbl_txt(tg, r, 0, po->id)) {
            st = TR_FAIL(TR_E_NOMEM, "out of memory");
            break;
        }
        tbl_num(tg, r, 1, ran ? (double)met / (double)ran : NAN);
        tbl_num(tg, r, 2, (double)ran);
    }
    /* share of runs in which each technology is adopted */
    tr_table *ad = st == TR_OK ? tbl_new("adoption", 4) : NULL;
    if (st == TR_OK && (!ad || !tbl_col(ad, 0, "technology", 1) || !tbl_col(ad, 1, "share_of_runs_adopted", 0) ||
                        !tbl_col(ad, 2, "mean_final_adoption", 0) || !tbl_col(ad, 3, "runs", 0)))
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
    for (size_t k = 0; st == TR_OK && k < p.NS; k++) {
        if (strncmp(p.sname[k], "adoption.", 9) != 0)
            continue;
        size_t used = 0;
        double sum = 0;
        for (size_t i = 0; i < n; i++) {
            if (p.res[i].status != TR_SOL_OPTIMAL)
                continue;
            double mx = 0;
            for (size_t t = 0; t < p.Y; t++)
                mx = fmax(mx, p.res[i].ser[k * p.Y + t]);
            used += mx > 1e-6;
            sum += p.res[i].ser[k * p.Y + p.Y - 1];
        }
        long r = tbl_row(ad);
        if (r < 0 || !tbl_txt(ad, r, 0, p.sname[k] + 9)) {
            st = TR_FAIL(TR_E_NOMEM, "out of memory");
            break;
        }
        tbl_num(ad, r, 1, feasible ? (double)used / (double)feasible : NAN);
        tbl_num(ad, r, 2, feasible ? sum / (double)feasible : NAN);
        tbl_num(ad, r, 3, (double)feasible);
    }
    tr_table *sm = NULL;
    if (st == TR_OK && oo.keep_samples) {
        long inpv = find_total(&p, "npv");
        sm = tbl_new("samples", 2 + s->NU + p.NT);
        int ok = sm && tbl_col(sm, 0, "sample", 0) && tbl_col(sm, 1, "status", 1);
        for (size_t k = 0; ok && k < s->NU; k++)
            ok = tbl_col(sm, 2 + k, s->unc[k].id, 0);
        for (size_t k = 0; ok && k < p.NT; k++)
            ok = tbl_col(sm, 2 + s->NU + k, p.tname[k], 0);
        (void)inpv;
        for (size_t i = 0; ok && i < n; i++) {
            if (p.res[i].status < 0)
                continue;
            long r = tbl_row(sm);
            ok = r >= 0 && tbl_txt(sm, r, 1, status_name(p.res[i].status));
            if (!ok)
                break;
            tbl_num(sm, r, 0, (double)i);
            for (size_t k = 0; k < s->NU; k++)
                tbl_num(sm, r, 2 + k, d.x[i * s->NU + k]);
            for (size_t k = 0; p.res[i].tot && k < p.NT; k++)
                tbl_num(sm, r, 2 + s->NU + k, p.res[i].tot[k]);
        }
        if (!ok)
            st = TR_FAIL(TR_E_NOMEM, "out of memory");
    }
    if (st == TR_OK && !(an_add(a, pt) && an_add(a, tt) && an_add(a, tg) && an_add(a, ad) && (!sm || an_add(a, sm))))
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
    else if (st != TR_OK) {
        tbl_free(pt);
        tbl_free(tt);
        tbl_free(tg);
        tbl_free(ad);
        tbl_free(sm);
    }
    tri_free(v);
    return st;
}

/* A part of a Monte Carlo: the table "runs" (sample, status, failed
 * policies, every total "t:NAME" and every series value "s:NAME@YEAR"). */
static tr_status mc_runs_table(const pool *p, const tri_scen *s, tr_analysis *a)
{
    size_t nc = 3 + p->NT + p->NS * p->Y;
    tr_table *t = tbl_new("runs", nc);
    int ok = t && tbl_col(t, 0, "sample", 0) && tbl_col(t, 1, "status", 1) && tbl_col(t, 2, "failed", 1);
    char name[300];
    for (size_t k = 0; ok && k < p->NT; k++) {
        snprintf(name, sizeof name, "t:%s", p->tname[k]);
        ok = tbl_col(t, 3 + k, name, 0);
    }
    for (size_t k = 0; ok && k < p->NS; k++)
        for (size_t y = 0; ok && y < p->Y; y++) {
            snprintf(name, sizeof name, "s:%s@%d", p->sname[k], s->start + (int)y);
            ok = tbl_col(t, 3 + p->NT + k * p->Y + y, name, 0);
        }
    for (size_t i = p->first; ok && i < p->end; i++) {
        const runres *rr = &p->res[i];
        if (rr->status < 0)
            continue;   /* cancelled before it ran */
        long r = tbl_row(t);
        ok = r >= 0 && tbl_txt(t, r, 1, status_name(rr->status)) && tbl_txt(t, r, 2, rr->failed ? rr->failed : "");
        if (!ok)
            break;
        tbl_num(t, r, 0, (double)i);
        for (size_t k = 0; k < p->NT; k++)
            tbl_num(t, r, 3 + k, rr->tot ? rr->tot[k] : NAN);
        for (size_t k = 0; k < p->NS * p->Y; k++)
            tbl_num(t, r, 3 + p->NT + k, rr->ser ? rr->ser[k] : NAN);
    }
    if (!ok || !an_add(a, t)) {
        tbl_free(t);
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    }
    return TR_OK;
}

tr_status tr_analysis_montecarlo(const tr_scenario *sc, const tr_analysis_opts *o, tr_analysis **out)
{
    tr_analysis_opts oo;
    tr_status st = check_args(sc, o, &oo, out, "a Monte Carlo analysis");
    if (st != TR_OK)
        return st;
    const tri_scen *s = sc->scen;
    tr_analysis *a = *out;
    size_t n = oo.samples > 0 ? (size_t)oo.samples : s->usamples;
    unsigned long seed = oo.seed >= 0 ? (unsigned long)oo.seed : s->useed;
    int lhs = oo.method >= 0 ? oo.method == 1 : s->ulhs;
    mcdata d = {s, tri_calloc(n * s->NU + 1, sizeof(double))};
    pool p;
    pool_setup(&p, sc, &oo, n, s->NU, mc_edits, &d);
    if (!d.x)
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
    if (st == TR_OK)
        st = draw(s, n, seed, lhs, d.x);
    if (st == TR_OK && oo.count > 0) {
        /* a part: only the runs [first, first + count) of the n, for merging */
        if (oo.first < 0 || (size_t)oo.first >= n || (size_t)oo.count > n - (size_t)oo.first)
            st = TR_FAIL(TR_E_INVAL,
                         "analysis options: first %ld, count %ld: expected a range within the %zu samples", oo.first,
                         oo.count, n);
        p.first = st == TR_OK ? (size_t)oo.first : 0;
        p.end = st == TR_OK ? p.first + (size_t)oo.count : n;
    }
    if (st == TR_OK)
        st = run_pool(&p, a);
    if (st == TR_OK)
        st = oo.count > 0 ? mc_runs_table(&p, s, a) : mc_summarize(s, &oo, &p, n, d.x, a);
    tri_free(d.x);
    pool_free(&p);
    if (st != TR_OK) {
        tr_analysis_free(a);
        *out = NULL;
    }
    return st;
}


tr_status tr_analysis_montecarlo_merge(const tr_scenario *sc, const tr_analysis_opts *o, size_t nruns,
                                       const long *sample, const char *const *status, const char *const *failed,
                                       size_t ncols, const char *const *names, const double *values,
                                       tr_analysis **out)
{
    tr_analysis_opts oo;
    tr_status st = check_args(sc, o, &oo, out, "a Monte Carlo analysis");
    if (st != TR_OK)
        return st;
    if ((nruns && (!sample || !status || !failed || !values)) || (ncols && !names)) {
        tr_analysis_free(*out);
        *out = NULL;
        return TR_FAIL(TR_E_INVAL, "montecarlo merge: NULL arrays");
    }
    const tri_scen *s = sc->scen;
    tr_analysis *a = *out;
    size_t n = oo.samples > 0 ? (size_t)oo.samples : s->usamples;
    unsigned long seed = oo.seed >= 0 ? (unsigned long)oo.seed : s->useed;
    int lhs = oo.method >= 0 ? oo.method == 1 : s->ulhs;
    pool p;
    pool_setup(&p, sc, &oo, n, s->NU, NULL, NULL);
    double *x = tri_calloc(n * s->NU + 1, sizeof *x);
    p.res = tri_calloc(n + 1, sizeof *p.res);
    if (!x || !p.res)
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
    if (st == TR_OK)
        st = draw(s, n, seed, lhs, x);
    /* the columns: totals "t:NAME", then series "s:NAME@YEAR", years in order */
    size_t nt = 0;
    while (nt < ncols && strncmp(names[nt], "t:", 2) == 0)
        nt++;
    size_t Y = s->Y, ns = Y ? (ncols - nt) / Y : 0;
    if (st == TR_OK && (ncols - nt) % (Y ? Y : 1) != 0)
        st = TR_FAIL(TR_E_INVAL, "montecarlo merge: %zu series columns are not a whole number of %zu-year series",
                     ncols - nt, Y);
    p.NT = nt;
    p.NS = ns;
    p.Y = Y;
    p.tname = st == TR_OK ? tri_calloc(nt + 1, sizeof *p.tname) : NULL;
    p.sname = st == TR_OK ? tri_calloc(ns + 1, sizeof *p.sname) : NULL;
    if (st == TR_OK && (!p.tname || !p.sname))
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
    for (size_t k = 0; st == TR_OK && k < nt; k++)
        if (!(p.tname[k] = tri_strdup(names[k] + 2)))
            st = TR_FAIL(TR_E_NOMEM, "out of memory");
    for (size_t k = 0; st == TR_OK && k < ns; k++) {
        for (size_t y = 0; st == TR_OK && y < Y; y++) {
            const char *nm = names[nt + k * Y + y], *at = strrchr(nm, '@');
            if (strncmp(nm, "s:", 2) != 0 || !at || atoi(at + 1) != s->start + (int)y ||
                (y > 0 && strncmp(nm, names[nt + k * Y], (size_t)(at - nm) + 1) != 0))
                st = TR_FAIL(TR_E_INVAL, "montecarlo merge: column %zu \"%s\": expected \"s:NAME@%d\"", nt + k * Y + y,
                             nm, s->start + (int)y);
        }
        if (st == TR_OK) {
            const char *nm = names[nt + k * Y];
            if (!(p.sname[k] = tri_strndup(nm + 2, (size_t)(strrchr(nm, '@') - nm) - 2)))
                st = TR_FAIL(TR_E_NOMEM, "out of memory");
        }
    }
    for (size_t i = 0; i < n && p.res; i++)
        p.res[i].status = -1;
    static const char *const stnames[] = {"optimal", "infeasible", "unbounded", "failed", "limit"};
    for (size_t r = 0; st == TR_OK && r < nruns; r++) {
        long i = sample[r];
        if (i < 0 || (size_t)i >= n || p.res[i].status >= 0) {
            st = TR_FAIL(TR_E_INVAL, "montecarlo merge: sample %ld is %s", i,
                         i < 0 || (size_t)i >= n ? "outside the planned samples" : "given twice");
            break;
        }
        int code = -1;
        for (int c = 0; c < 5; c++)
            if (status[r] && strcmp(status[r], stnames[c]) == 0)
                code = c;
        if (code < 0) {
            st = TR_FAIL(TR_E_INVAL, "montecarlo merge: sample %ld: unknown status \"%s\"", i,
                         status[r] ? status[r] : "(null)");
            break;
        }
        runres *rr = &p.res[i];
        rr->status = code;
        const double *row = values + r * ncols;
        if (code == TR_SOL_OPTIMAL) {
            rr->tot = tri_malloc((nt ? nt : 1) * sizeof *rr->tot);
            rr->ser = tri_malloc((ns * Y > 0 ? ns * Y : 1) * sizeof *rr->ser);
            if (!rr->tot || !rr->ser) {
                st = TR_FAIL(TR_E_NOMEM, "out of memory");
                break;
            }
            memcpy(rr->tot, row, nt * sizeof *rr->tot);
            memcpy(rr->ser, row + nt, ns * Y * sizeof *rr->ser);
        } else if (code == TR_SOL_INFEASIBLE && failed[r] && failed[r][0]) {
            if (!(rr->failed = tri_strdup(failed[r])))
                st = TR_FAIL(TR_E_NOMEM, "out of memory");
        }
    }
    for (size_t i = 0; st == TR_OK && i < n; i++)
        if (p.res[i].status < 0)
            st = TR_FAIL(TR_E_INVAL, "montecarlo merge: sample %zu is missing (the parts have %zu runs of %zu)", i,
                         nruns, n);
    if (st == TR_OK)
        st = mc_summarize(s, &oo, &p, n, x, a);
    if (st == TR_OK) {
        a->done = nruns;
        a->total = n;
    }
    tri_free(x);
    pool_free(&p);
    if (st != TR_OK) {
        tr_analysis_free(a);
        *out = NULL;
    }
    return st;
}

/* ------------------------------------------------------------ sweeps */

typedef struct swdata {
    const char *path1, *path2;
    const double *v1, *v2;
    size_t n1, n2;
    int scale1, scale2;
} swdata;

static void sw_edits(const pool *p, size_t run, edit *e, size_t *ne)
{
    const swdata *d = p->user;
    e[0].path = d->path1;
    e[0].scale = d->scale1;
    e[0].v = d->v1[d->path2 ? run / d->n2 : run];
    *ne = 1;
    if (d->path2) {
        e[1].path = d->path2;
        e[1].scale = d->scale2;
        e[1].v = d->v2[run % d->n2];
        *ne = 2;
    }
}

/* table with the run's inputs, status and every total */
static tr_table *runs_table(const char *name, const pool *p, size_t nin, const char *const *inames,
                            const double *inputs)
{
    tr_table *t = tbl_new(name, nin + 1 + p->NT);
    int ok = t != NULL;
    for (size_t k = 0; ok && k < nin; k++)
        ok = tbl_col(t, k, inames[k], 0);
    ok = ok && tbl_col(t, nin, "status", 1);
    for (size_t k = 0; ok && k < p->NT; k++)
        ok = tbl_col(t, nin + 1 + k, p->tname[k], 0);
    for (size_t i = 0; ok && i < p->n; i++) {
        if (p->res[i].status < 0)
            continue;
        long r = tbl_row(t);
        ok = r >= 0 && tbl_txt(t, r, nin, status_name(p->res[i].status));
        for (size_t k = 0; ok && k < nin; k++)
            tbl_num(t, r, k, inputs[i * nin + k]);
        for (size_t k = 0; ok && p->res[i].tot && k < p->NT; k++)
            tbl_num(t, r, nin + 1 + k, p->res[i].tot[k]);
    }
    if (!ok) {
        tbl_free(t);
        return NULL;
    }
    return t;
}

tr_status tr_analysis_sweep(const tr_scenario *sc, const char *path1, const double *values1, size_t n1, int scale1,
                            const char *path2, const double *values2, size_t n2, int scale2,
                            const tr_analysis_opts *o, tr_analysis **out)
{
    tr_analysis_opts oo;
    tr_status st = check_args(sc, o, &oo, out, NULL);
    if (st != TR_OK)
        return st;
    tr_analysis *a = *out;
    if (!path1 || !values1 || n1 == 0 || (path2 && (!values2 || n2 == 0))) {
        tr_analysis_free(a);
        *out = NULL;
        return TR_FAIL(TR_E_INVAL, "tr_analysis_sweep: expected a path and at least one value per swept parameter");
    }
    swdata d = {path1, path2, values1, values2, n1, path2 ? n2 : 1, scale1, scale2};
    pool p;
    pool_setup(&p, sc, &oo, n1 * d.n2, 2, sw_edits, &d);
    /* check the paths before solving anything */
    edit e[2];
    size_t ne;
    sw_edits(&p, 0, e, &ne);
    tri_scen *probe = NULL;
    st = edited_scen(sc, e, ne, &probe);
    tri_scen_free(probe);
    if (st == TR_OK)
        st = run_pool(&p, a);
    double *in = st == TR_OK ? tri_calloc(p.n * 2 + 1, sizeof *in) : NULL;
    if (st == TR_OK && !in)
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
    for (size_t i = 0; st == TR_OK && i < p.n; i++) {
        sw_edits(&p, i, e, &ne);
        in[i * (path2 ? 2 : 1)] = e[0].v;
        if (path2)
            in[i * 2 + 1] = e[1].v;
    }
    const char *names[2] = {path1, path2};
    if (st == TR_OK && !an_add(a, runs_table("sweep", &p, path2 ? 2 : 1, names, in)))
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
    tri_free(in);
    pool_free(&p);
    if (st != TR_OK) {
        tr_analysis_free(a);
        *out = NULL;
    }
    return st;
}

/* ------------------------------------------------------------ tornado and Morris
 * (their runs are points of the uncertain parameters, like Monte Carlo's) */

/* Run the pool, then find the total the sensitivity is about. */
static tr_status run_for_output(pool *p, tr_analysis *a, const char *what, const char *outname, long *oi)
{
    tr_status st = run_pool(p, a);
    if (st != TR_OK)
        return st;
    *oi = find_total(p, outname);
    if (*oi < 0)
        return TR_FAIL(TR_E_NOTFOUND, "%s: no total called \"%s\"; expected npv or a cumulative total", what, outname);
    return TR_OK;
}

tr_status tr_analysis_tornado(const tr_scenario *sc, const tr_analysis_opts *o, tr_analysis **out)
{
    tr_analysis_opts oo;
    tr_status st = check_args(sc, o, &oo, out, "a tornado");
    if (st != TR_OK)
        return st;
    tr_analysis *a = *out;
    const tri_scen *s = sc->scen;
    size_t K = s->NU, n = 1 + 2 * K;
    mcdata d = {s, tri_calloc(n * K, sizeof(double))};
    if (!d.x)
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
    for (size_t i = 0; st == TR_OK && i < n; i++)
        for (size_t k = 0; k < K; k++) {
            double u = 0.5;
            if (i > 0 && (i - 1) / 2 == k)
                u = (i - 1) % 2 == 0 ? 0.05 : 0.95;
            d.x[i * K + k] = tri_param_quantile(&s->unc[k], u);
        }
    pool p;
    pool_setup(&p, sc, &oo, n, K, mc_edits, &d);
    const char *outname = oo.output ? oo.output : "npv";
    long oi = 0;
    if (st == TR_OK)
        st = run_for_output(&p, a, "tornado", outname, &oi);
    tr_table *t = st == TR_OK ? tbl_new("tornado", 8) : NULL;
    static const char *const cols[] = {"parameter", "low", "high", "output_low", "output_high", "output_base", "swing",
                                       "output"};
    int ok = t != NULL;
    for (size_t c = 0; ok && c < 8; c++)
        ok = tbl_col(t, c, cols[c], c == 0 || c == 7);
    if (st == TR_OK && !ok)
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
    if (st == TR_OK) {
        /* order by swing, largest first (stable) */
        size_t *ord = tri_calloc(K + 1, sizeof *ord);
        double *sw = tri_calloc(K + 1, sizeof *sw);
        double base = p.res[0].tot ? p.res[0].tot[oi] : NAN;
        for (size_t k = 0; ord && sw && k < K; k++) {
            ord[k] = k;
            double lo = p.res[1 + 2 * k].tot ? p.res[1 + 2 * k].tot[oi] : NAN;
            double hi = p.res[2 + 2 * k].tot ? p.res[2 + 2 * k].tot[oi] : NAN;
            sw[k] = fabs(hi - lo);
        }
        for (size_t i = 1; ord && sw && i < K; i++)
            for (size_t j = i; j > 0 && (sw[ord[j]] > sw[ord[j - 1]] || (isnan(sw[ord[j - 1]]) && !isnan(sw[ord[j]]))); j--) {
                size_t tmp = ord[j];
                ord[j] = ord[j - 1];
                ord[j - 1] = tmp;
            }
        for (size_t q = 0; ord && sw && q < K && ok; q++) {
            size_t k = ord[q];
            long r = tbl_row(t);
            ok = r >= 0 && tbl_txt(t, r, 0, s->unc[k].id) && tbl_txt(t, r, 7, outname);
            if (!ok)
                break;
            tbl_num(t, r, 1, d.x[(1 + 2 * k) * K + k]);
            tbl_num(t, r, 2, d.x[(2 + 2 * k) * K + k]);
            tbl_num(t, r, 3, p.res[1 + 2 * k].tot ? p.res[1 + 2 * k].tot[oi] : NAN);
            tbl_num(t, r, 4, p.res[2 + 2 * k].tot ? p.res[2 + 2 * k].tot[oi] : NAN);
            tbl_num(t, r, 5, base);
            tbl_num(t, r, 6, sw[k]);
        }
        if (!ord || !sw || !ok)
            st = TR_FAIL(TR_E_NOMEM, "out of memory");
        tri_free(ord);
        tri_free(sw);
    }
    if (st == TR_OK && !an_add(a, t))
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
    else if (st != TR_OK)
        tbl_free(t);
    tri_free(d.x);
    pool_free(&p);
    if (st != TR_OK) {
        tr_analysis_free(a);
        *out = NULL;
    }
    return st;
}

tr_status tr_analysis_morris(const tr_scenario *sc, size_t trajectories, size_t levels, const tr_analysis_opts *o,
                             tr_analysis **out)
{
    tr_analysis_opts oo;
    tr_status st = check_args(sc, o, &oo, out, "Morris elementary effects");
    if (st != TR_OK)
        return st;
    tr_analysis *a = *out;
    const tri_scen *s = sc->scen;
    if (trajectories < 1 || levels < 2 || levels > 1000) {
        st = TR_FAIL(TR_E_INVAL, "morris: expected at least 1 trajectory and 2..1000 levels, got %zu and %zu",
                     trajectories, levels);
        tr_analysis_free(a);
        *out = NULL;
        return st;
    }
    size_t K = s->NU, R = trajectories, n = R * (K + 1);
    double delta = (double)levels / (2.0 * (double)(levels - 1));
    mcdata d = {s, tri_calloc(n * K, sizeof(double))};
    double *grid = tri_calloc(n * K, sizeof(double));   /* positions in [0,1] */
    int *dir = tri_calloc(n, sizeof(int));               /* which parameter moved, +1/-1 */
    size_t *moved = tri_calloc(n, sizeof(size_t));
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (!d.x || !grid || !dir || !moved || !rng)
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
    if (st == TR_OK) {
        gsl_rng_set(rng, oo.seed >= 0 ? (unsigned long)oo.seed : s->useed);
        size_t *order = tri_calloc(K, sizeof *order);
        if (!order)
            st = TR_FAIL(TR_E_NOMEM, "out of memory");
        size_t nbase = levels / 2;   /* base points on the grid where +delta stays inside */
        for (size_t r = 0; st == TR_OK && r < R; r++) {
            double *x0 = &grid[r * (K + 1) * K];
            for (size_t k = 0; k < K; k++)
                x0[k] = (double)gsl_rng_uniform_int(rng, nbase ? nbase : 1) / (double)(levels - 1);
            for (size_t k = 0; k < K; k++)
                order[k] = k;
            gsl_ran_shuffle(rng, order, K, sizeof *order);
            for (size_t j = 1; j <= K; j++) {
                double *prev = &grid[(r * (K + 1) + j - 1) * K], *cur = &grid[(r * (K + 1) + j) * K];
                memcpy(cur, prev, K * sizeof *cur);
                size_t k = order[j - 1];
                int up = prev[k] + delta <= 1 + 1e-12;
                cur[k] = prev[k] + (up ? delta : -delta);
                dir[r * (K + 1) + j] = up ? 1 : -1;
                moved[r * (K + 1) + j] = k;
            }
        }
        tri_free(order);
        for (size_t i = 0; st == TR_OK && i < n * K; i++)
            d.x[i] = tri_param_quantile(&s->unc[i % K], 0.01 + 0.98 * grid[i]);
    }
    pool p;
    pool_setup(&p, sc, &oo, n, K, mc_edits, &d);
    const char *outname = oo.output ? oo.output : "npv";
    long oi = 0;
    if (st == TR_OK)
        st = run_for_output(&p, a, "morris", outname, &oi);
    tr_table *t = st == TR_OK ? tbl_new("morris", 6) : NULL;
    static const char *const cols[] = {"parameter", "mu", "mu_star", "sigma", "effects", "output"};
    int ok = t != NULL;
    for (size_t c = 0; ok && c < 6; c++)
        ok = tbl_col(t, c, cols[c], c == 0 || c == 5);
    double *ee = tri_calloc(R + 1, sizeof *ee), *abse = tri_calloc(R + 1, sizeof *abse);
    for (size_t k = 0; st == TR_OK && ok && ee && abse && k < K; k++) {
        size_t m = 0;
        for (size_t r = 0; r < R; r++)
            for (size_t j = 1; j <= K; j++) {
                size_t i = r * (K + 1) + j;
                if (moved[i] != k)
                    continue;
                const runres *y1 = &p.res[i], *y0 = &p.res[i - 1];
                if (!y1->tot || !y0->tot)
                    continue;
                ee[m] = (y1->tot[oi] - y0->tot[oi]) / (dir[i] * delta);
                abse[m] = fabs(ee[m]);
                m++;
            }
        long r = tbl_row(t);
        ok = r >= 0 && tbl_txt(t, r, 0, s->unc[k].id) && tbl_txt(t, r, 5, outname);
        if (!ok)
            break;
        tbl_num(t, r, 4, (double)m);
        if (m) {
            tbl_num(t, r, 1, gsl_stats_mean(ee, 1, m));
            tbl_num(t, r, 2, gsl_stats_mean(abse, 1, m));
            tbl_num(t, r, 3, m > 1 ? gsl_stats_sd(ee, 1, m) : 0);
        }
    }
    if (st == TR_OK && (!ok || !ee || !abse || !an_add(a, t)))
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
    else if (st != TR_OK)
        tbl_free(t);
    tri_free(ee);
    tri_free(abse);
    tri_free(d.x);
    tri_free(grid);
    tri_free(dir);
    tri_free(moved);
    if (rng)
        gsl_rng_free(rng);
    pool_free(&p);
    if (st != TR_OK) {
        tr_analysis_free(a);
        *out = NULL;
    }
    return st;
}

/* ------------------------------------------------------------ MACCs */

tr_status tr_analysis_macc_measures(const tr_scenario *sc, int year, const char *species, tr_analysis **out)
{
    tr_analysis_opts oo;
    tr_status st = check_args(sc, NULL, &oo, out, NULL);
    if (st != TR_OK)
        return st;
    tr_analysis *a = *out;
    const tri_scen *s = sc->scen;
    long si = -1;
    for (size_t i = 0; i < s->S; i++)
        if (!strcmp(s->spe[i].id, species ? species : "CO2"))
            si = (long)i;
    if (si < 0 || year < s->start || year > s->end) {
        tr_analysis_free(a);
        *out = NULL;
        if (si < 0)
            return TR_FAIL(TR_E_NOTFOUND, "macc: unknown species \"%s\"", species ? species : "CO2");
        return TR_FAIL(TR_E_INVAL, "macc: expected a year within the horizon %d..%d, got %d", s->start, s->end, year);
    }
    size_t t = (size_t)(year - s->start), Y = s->Y, C = s->C, K = s->K;
    /* per technology: remaining potential at full applicability (capacity not yet equipped) */
    double *cost = tri_calloc(K + 1, sizeof *cost), *esav = tri_calloc((K + 1) * (C + 1), sizeof *esav);
    double *psav = tri_calloc(K + 1, sizeof *psav), *score = tri_calloc(K + 1, sizeof *score);
    double *base = tri_calloc(C + 1, sizeof *base), *left = tri_calloc(C + 1, sizeof *left);
    size_t *ord = tri_calloc(K + 1, sizeof *ord);
    unsigned char *taken_group = tri_calloc(s->G + 1, 1);
    if (!cost || !esav || !psav || !score || !base || !left || !ord || !taken_group)
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
    for (size_t p = 0; st == TR_OK && p < s->P; p++)
        for (size_t c = 0; c < C; c++)
            base[c] += s->pl[p].int0[c] * s->pl[p].prod[t];
    for (size_t k = 0; st == TR_OK && k < K; k++) {
        const tri_tech *te = &s->tech[k];
        double crf = tri_crf(te->hurdle, te->life);
        for (size_t p = 0; p < s->P; p++) {
            if (!te->applies[p] || s->pl[p].candidate)
                continue;
            double u = s->pl[p].u[t], capq = (te->appl - te->e0[p]) * s->pl[p].cap[t];
            if (capq <= 0)
                continue;
            cost[k] += capq * (te->capex[t] * crf + te->fom[t] + te->vom[t] * u);
            for (size_t c = 0; c < C; c++)
                esav[k * C + c] -= te->d[p * C + c] * u * capq;
            psav[k] -= te->dpe[p * s->S + (size_t)si] * u * capq;
        }
        /* net cost per unit avoided, for the order */
        double en = 0, av = psav[k];
        for (size_t c = 0; c < C; c++) {
            en += s->car[c].price[t] * esav[k * C + c];
            av += s->car[c].ef[(size_t)si * Y + t] * esav[k * C + c];
        }
        score[k] = av > 0 ? (cost[k] - en) / av : HUGE_VAL;
        ord[k] = k;
    }
    for (size_t i = 1; st == TR_OK && i < K; i++)
        for (size_t j = i; j > 0 && score[ord[j]] < score[ord[j - 1]]; j--) {
            size_t tmp = ord[j];
            ord[j] = ord[j - 1];
            ord[j - 1] = tmp;
        }
    static const char *const cols[] = {"rank", "technology", "group", "annualised_cost", "energy_saved_gj",
                                       "avoided", "cost_of_conserved_energy", "cost_per_unit_avoided",
                                       "cumulative_avoided", "note"};
    tr_table *tb = st == TR_OK ? tbl_new("measure_macc", 10) : NULL;
    int ok = tb != NULL;
    for (size_t c = 0; ok && c < 10; c++)
        ok = tbl_col(tb, c, cols[c], c == 1 || c == 2 || c == 9);
    if (st == TR_OK && !ok)
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
    for (size_t c = 0; c < C && left; c++)
        left[c] = 1;
    double cum = 0;
    size_t rank = 0;
    for (size_t q = 0; st == TR_OK && q < K; q++) {
        size_t k = ord[q];
        const tri_tech *te = &s->tech[k];
        long r = tbl_row(tb);
        if (r < 0 || !tbl_txt(tb, r, 1, te->id) || !tbl_txt(tb, r, 2, te->group >= 0 ? s->group[te->group] : "")) {
            st = TR_FAIL(TR_E_NOMEM, "out of memory");
            break;
        }
        tbl_num(tb, r, 3, cost[k]);
        const char *note = "";
        if (te->group >= 0 && taken_group[te->group])
            note = "excluded: another member of its exclusive group is taken";
        else if (!isfinite(score[k]))
            note = "excluded: avoids nothing";
        if (*note) {
            tbl_txt(tb, r, 9, note);
            continue;
        }
        if (te->group >= 0)
            taken_group[te->group] = 1;
        /* savings against the intensity left by the measures already taken */
        double en = 0, gj = 0, av = psav[k];
        for (size_t c = 0; c < C; c++) {
            double sv = esav[k * C + c];
            if (sv > 0)
                sv *= left[c];
            en += s->car[c].price[t] * sv;
            if (s->car[c].has_ec)
                gj += s->car[c].ec * sv;
            av += s->car[c].ef[(size_t)si * Y + t] * sv;
        }
        for (size_t c = 0; c < C; c++)
            if (esav[k * C + c] > 0 && base[c] > 0)
                left[c] = fmax(0, left[c] - esav[k * C + c] * left[c] / base[c]);
        cum += av;
        tbl_num(tb, r, 0, (double)++rank);
        tbl_num(tb, r, 4, gj);
        tbl_num(tb, r, 5, av);
        tbl_num(tb, r, 6, gj > 0 ? cost[k] / gj : NAN);
        tbl_num(tb, r, 7, av > 0 ? (cost[k] - en) / av : NAN);
        tbl_num(tb, r, 8, cum);
        tbl_txt(tb, r, 9, "");
    }
    if (st == TR_OK && !an_add(a, tb))
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
    else if (st != TR_OK)
        tbl_free(tb);
    tri_free(cost);
    tri_free(esav);
    tri_free(psav);
    tri_free(score);
    tri_free(base);
    tri_free(left);
    tri_free(ord);
    tri_free(taken_group);
    if (st != TR_OK) {
        tr_analysis_free(a);
        *out = NULL;
    }
    return st;
}

/* objective vector of an indicator summed over years @t0..@t1 (sense +1 min, -1 max) */
static tr_status ind_objective(const tr_model *m, tri_indicator ind, size_t t0, size_t t1, double sense, double *coef,
                               double *c0)
{
    tri_rowacc acc;
    if (tri_acc_init(&acc, m->ncols) != TR_OK)
        return TR_E_NOMEM;
    memset(coef, 0, (m->ncols + 1) * sizeof *coef);
    *c0 = 0;
    for (size_t t = t0; t <= t1; t++) {
        *c0 += sense * tri_ind_terms(m, ind, t, -1, -1, sense, &acc);
        for (size_t i = 0; i < acc.n; i++) {
            int c = acc.idx[i];
            coef[c] += acc.val[c];
            acc.val[c] = 0;
            acc.on[c] = 0;
        }
        acc.n = 0;
    }
    tri_acc_free(&acc);
    return TR_OK;
}

static double fvalue(const tr_model *m, const double *coef, double c0)
{
    double v = c0;
    for (size_t j = 1; j <= m->ncols; j++)
        if (coef[j] != 0)
            v += coef[j] * tri_model_col_value(m, (int)j);
    return v;
}

/* an extra row with the nonzero coefficients of @coef */
static int coef_row(tr_model *m, const double *coef, const char *name)
{
    int *ind = tri_calloc(m->ncols + 1, sizeof *ind);
    double *val = tri_calloc(m->ncols + 1, sizeof *val);
    if (!ind || !val) {
        tri_free(ind);
        tri_free(val);
        return 0;
    }
    int n = 0;
    for (size_t j = 1; j <= m->ncols; j++)
        if (coef[j] != 0) {
            n++;
            ind[n] = (int)j;
            val[n] = coef[j];
        }
    int row = tri_model_add_row(m, ind, val, n, name);
    tri_free(ind);
    tri_free(val);
    return row;
}

static tr_status solve_opt(tr_model *m, tr_result **r, int *optimal)
{
    tr_solve_opts so;
    tr_solve_opts_init(&so);
    so.presolve = 0;
    so.diagnose = 0;
    *r = NULL;
    tr_status st = tr_model_solve(m, &so, r);
    *optimal = st == TR_OK && (*r)->status == TR_SOL_OPTIMAL;
    return st;
}

tr_status tr_analysis_macc_model(const tr_scenario *sc, int year, const char *species, size_t steps,
                                 const tr_analysis_opts *o, tr_analysis **out)
{
    tr_analysis_opts oo;
    tr_status st = check_args(sc, o, &oo, out, NULL);
    if (st != TR_OK)
        return st;
    tr_analysis *a = *out;
    const tri_scen *s = sc->scen;
    char iname[200];
    snprintf(iname, sizeof iname, "emissions.%s", species ? species : "CO2");
    tri_indicator ind;
    if ((st = tri_parse_indicator(s, iname, &ind)) != TR_OK || year < s->start || year > s->end || steps < 1) {
        if (st == TR_OK)
            st = TR_FAIL(TR_E_INVAL, "macc: expected a year within %d..%d and at least one step", s->start, s->end);
        tr_analysis_free(a);
        *out = NULL;
        return st;
    }
    size_t t = (size_t)(year - s->start);
    tr_model *m = NULL;
    double *coef = NULL;
    tr_result *r = NULL;
    tr_table *tb = NULL;
    int opt = 0;
    if ((st = tr_model_new(sc, &m)) != TR_OK)
        goto out;
    tr_solve_opts so;
    tr_solve_opts_init(&so);
    if ((st = tr_model_solve(m, &so, &r)) != TR_OK)
        goto out;
    if (r->status != TR_SOL_OPTIMAL) {
        st = TR_FAIL(TR_E_INVAL, "macc: the scenario itself is %s", tr_result_status_name(r));
        goto out;
    }
    double npv0 = r->npv;
    tr_result_free(r);
    r = NULL;
    coef = tri_calloc(m->ncols + 1, sizeof *coef);
    if (!coef) {
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
        goto out;
    }
    double c0;
    if ((st = ind_objective(m, ind, t, t, 1, coef, &c0)) != TR_OK)
        goto out;
    double e0 = fvalue(m, coef, c0);
    /* least reachable emissions in that year */
    tri_model_objective(m, coef, c0);
    if ((st = solve_opt(m, &r, &opt)) != TR_OK)
        goto out;
    double emin = opt ? fvalue(m, coef, c0) : e0;
    tr_result_free(r);
    r = NULL;
    tri_model_objective(m, NULL, 0);
    int row = coef_row(m, coef, "macc_cap");
    if (!row) {
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
        goto out;
    }
    static const char *const cols[] = {"step", "cap", "emissions", "abatement", "shadow_price", "npv",
                                       "npv_increase", "step_cost"};
    tb = tbl_new("model_macc", 8);
    int ok = tb != NULL;
    for (size_t c = 0; ok && c < 8; c++)
        ok = tbl_col(tb, c, cols[c], 0);
    if (!ok) {
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
        goto out;
    }
    double prev_npv = npv0, prev_ab = 0;
    for (size_t i = 0; i <= steps; i++) {
        double cap = e0 - (e0 - emin) * (double)i / (double)steps;
        tri_model_row_bound(m, row, 1, cap - c0);
        if ((st = solve_opt(m, &r, &opt)) != TR_OK)
            goto out;
        long rr = tbl_row(tb);
        if (rr < 0) {
            st = TR_FAIL(TR_E_NOMEM, "out of memory");
            goto out;
        }
        tbl_num(tb, rr, 0, (double)i);
        tbl_num(tb, rr, 1, cap);
        if (opt) {
            double em = fvalue(m, coef, c0), ab = e0 - em;
            tbl_num(tb, rr, 2, em);
            tbl_num(tb, rr, 3, ab);
            double sp = -tri_model_row_dual(m, row) / s->df[t];
            tbl_num(tb, rr, 4, fabs(sp) < 1e-9 ? 0 : sp);
            tbl_num(tb, rr, 5, r->npv);
            tbl_num(tb, rr, 6, r->npv - npv0);
            tbl_num(tb, rr, 7, ab - prev_ab > 1e-9 ? (r->npv - prev_npv) / (ab - prev_ab) / s->df[t] : NAN);
            prev_npv = r->npv;
            prev_ab = ab;
        }
        tr_result_free(r);
        r = NULL;
        a->done = i + 1;
        if (oo.progress && oo.progress(i + 1, steps + 1, oo.userdata)) {
            a->cancelled = 1;
            break;
        }
    }
    a->total = steps + 1;
    if (!an_add(a, tb)) {
        tb = NULL;
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
    }
    tb = NULL;
out:
    tbl_free(tb);
    tr_result_free(r);
    tri_free(coef);
    tr_model_free(m);
    if (st != TR_OK) {
        tr_analysis_free(a);
        *out = NULL;
    }
    return st;
}

/* ------------------------------------------------------------ fronts */

typedef struct objective {
    char name[200];
    double sense;     /* +1 minimise, -1 maximise */
    double *coef, c0;
} objective;

static tr_status objective_parse(const tr_model *m, const char *spec, objective *ob)
{
    ob->sense = 1;
    int explicit_sense = 1;
    if (!strncmp(spec, "max:", 4)) {
        ob->sense = -1;
        spec += 4;
    } else if (!strncmp(spec, "min:", 4))
        spec += 4;
    else
        explicit_sense = 0;
    snprintf(ob->name, sizeof ob->name, "%s", spec);
    ob->coef = tri_calloc(m->ncols + 1, sizeof *ob->coef);
    if (!ob->coef)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    if (!strcmp(spec, "npv") || !strcmp(spec, "cost")) {
        for (size_t j = 1; j <= m->ncols; j++)
            ob->coef[j] = ob->sense * m->lpd.obj[j];
        ob->c0 = ob->sense * m->lpd.obj0;
        return TR_OK;
    }
    tri_indicator ind;
    tr_status st = tri_parse_indicator(m->s, spec, &ind);
    if (st != TR_OK) {
        char why[1024];
        snprintf(why, sizeof why, "%s", tr_last_error());
        return TR_FAIL(st, "pareto: %s", why);
    }
    if (!explicit_sense) {
        /* more is better for production and for declared indicators unless `better: lower` */
        if (ind.kind == TRI_IND_PRODUCTION || (ind.kind == TRI_IND_CUSTOM && !m->s->cind[ind.idx].lower_better))
            ob->sense = -1;
    }
    return ind_objective(m, ind, 0, m->s->Y - 1, ob->sense, ob->coef, &ob->c0);
}

typedef struct front {
    double *fx, *fy, *npv, *mix;
    int *ok;
    size_t K;
} front;

/* Solve one point of the front. mode 0: minimise x, then y with x at its
 * optimum; mode 1: the same with x and y swapped; mode 2: minimise x with
 * y <= eps. */
static tr_status front_point(tr_model *m, objective *ox, objective *oy, int rowx, int rowy, int mode, double eps,
                             front *f, size_t idx)
{
    tr_result *r = NULL;
    int opt = 0;
    tr_status st;
    tri_model_row_bound(m, rowx, 0, 0);
    tri_model_row_bound(m, rowy, 0, 0);
    if (mode < 2) {
        objective *first = mode == 0 ? ox : oy, *then = mode == 0 ? oy : ox;
        tri_model_objective(m, first->coef, first->c0);
        if ((st = solve_opt(m, &r, &opt)) != TR_OK || !opt) {
            tr_result_free(r);
            return st;
        }
        tr_result_free(r);
        r = NULL;
        double best = fvalue(m, first->coef, first->c0);
        tri_model_row_bound(m, mode == 0 ? rowx : rowy, 1, best - first->c0 + 1e-9 * fmax(1, fabs(best)));
        tri_model_objective(m, then->coef, then->c0);
    } else {
        tri_model_row_bound(m, rowy, 1, eps - oy->c0);
        tri_model_objective(m, ox->coef, ox->c0);
    }
    if ((st = solve_opt(m, &r, &opt)) != TR_OK) {
        tr_result_free(r);
        return st;
    }
    if (opt) {
        f->ok[idx] = 1;
        f->fx[idx] = fvalue(m, ox->coef, ox->c0);
        f->fy[idx] = fvalue(m, oy->coef, oy->c0);
        f->npv[idx] = r->npv;
        const tri_scen *s = m->s;
        for (size_t k = 0; k < s->K; k++) {
            char nm[200];
            snprintf(nm, sizeof nm, "adoption.%s", s->tech[k].id);
            for (size_t q = 0; q < r->ns; q++)
                if (!strcmp(r->ser[q].name, nm))
                    f->mix[idx * f->K + k] = r->ser[q].v[r->Y - 1];
        }
    }
    tr_result_free(r);
    return TR_OK;
}

tr_status tr_analysis_pareto(const tr_scenario *sc, const char *x, const char *y, size_t points,
                             const tr_analysis_opts *o, tr_analysis **out)
{
    tr_analysis_opts oo;
    tr_status st = check_args(sc, o, &oo, out, NULL);
    if (st != TR_OK)
        return st;
    tr_analysis *a = *out;
    if (!x || !y || points < 2 || points > 100000) {
        tr_analysis_free(a);
        *out = NULL;
        return TR_FAIL(TR_E_INVAL, "pareto: expected two objectives and 2..100000 points");
    }
    const tri_scen *s = sc->scen;
    size_t K = s->K ? s->K : 1;
    objective ox = {{0}, 1, NULL, 0}, oy = {{0}, 1, NULL, 0};
    tr_model *m = NULL;
    tr_result *r = NULL;
    tr_table *tb = NULL;
    front f = {tri_calloc(points, sizeof(double)), tri_calloc(points, sizeof(double)),
               tri_calloc(points, sizeof(double)), tri_calloc(points * K, sizeof(double)),
               tri_calloc(points, sizeof(int)), K};
    if (!f.fx || !f.fy || !f.npv || !f.mix || !f.ok) {
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
        goto out;
    }
    if ((st = tr_model_new(sc, &m)) != TR_OK)
        goto out;
    tr_solve_opts so;
    tr_solve_opts_init(&so);
    if ((st = tr_model_solve(m, &so, &r)) != TR_OK)
        goto out;
    if (r->status != TR_SOL_OPTIMAL) {
        st = TR_FAIL(TR_E_INVAL, "pareto: the scenario itself is %s", tr_result_status_name(r));
        goto out;
    }
    tr_result_free(r);
    r = NULL;
    if ((st = objective_parse(m, x, &ox)) != TR_OK || (st = objective_parse(m, y, &oy)) != TR_OK)
        goto out;
    int rowx = coef_row(m, ox.coef, "pareto_x"), rowy = coef_row(m, oy.coef, "pareto_y");
    if (!rowx || !rowy) {
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
        goto out;
    }
    a->total = points;
    /* the two ends first: they set the range of the epsilon grid on y */
    for (size_t i = 0; i < points; i++) {
        size_t idx = i == 0 ? 0 : i == 1 ? points - 1 : i - 1;
        int mode = i == 0 ? 0 : i == 1 ? 1 : 2;
        double eps = 0;
        if (mode == 2) {
            if (!f.ok[0] || !f.ok[points - 1])
                break;
            eps = f.fy[0] + (f.fy[points - 1] - f.fy[0]) * (double)idx / (double)(points - 1);
        }
        if ((st = front_point(m, &ox, &oy, rowx, rowy, mode, eps, &f, idx)) != TR_OK)
            goto out;
        a->done = i + 1;
        if (oo.progress && oo.progress(a->done, points, oo.userdata)) {
            a->cancelled = 1;
            break;
        }
    }
    tb = tbl_new("front", 6 + s->K);
    int ok = tb && tbl_col(tb, 0, "point", 0) && tbl_col(tb, 1, ox.name, 0) && tbl_col(tb, 2, oy.name, 0) &&
             tbl_col(tb, 3, "npv", 0) && tbl_col(tb, 4, "dominated", 0) && tbl_col(tb, 5, "end_point", 1);
    for (size_t k = 0; ok && k < s->K; k++) {
        char nm[200];
        snprintf(nm, sizeof nm, "adoption.%s", s->tech[k].id);
        ok = tbl_col(tb, 6 + k, nm, 0);
    }
    for (size_t i = 0; ok && i < points; i++) {
        if (!f.ok[i])
            continue;
        int dom = 0;
        double tx = 1e-6 * fmax(1, fabs(f.fx[i])), ty = 1e-6 * fmax(1, fabs(f.fy[i]));
        for (size_t j = 0; j < points; j++)
            if (j != i && f.ok[j] && f.fx[j] <= f.fx[i] + tx && f.fy[j] <= f.fy[i] + ty &&
                (f.fx[j] < f.fx[i] - tx || f.fy[j] < f.fy[i] - ty))
                dom = 1;
        long rr = tbl_row(tb);
        ok = rr >= 0 && tbl_txt(tb, rr, 5, i == 0 ? ox.name : i == points - 1 ? oy.name : "");
        if (!ok)
            break;
        tbl_num(tb, rr, 0, (double)i);
        tbl_num(tb, rr, 1, ox.sense * f.fx[i]);
        tbl_num(tb, rr, 2, oy.sense * f.fy[i]);
        tbl_num(tb, rr, 3, f.npv[i]);
        tbl_num(tb, rr, 4, dom);
        for (size_t k = 0; k < s->K; k++)
            tbl_num(tb, rr, 6 + k, f.mix[i * K + k]);
    }
    if (!ok || !an_add(a, tb))
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
    tb = NULL;
out:
    tbl_free(tb);
    tr_result_free(r);
    tr_model_free(m);
    tri_free(ox.coef);
    tri_free(oy.coef);
    tri_free(f.fx);
    tri_free(f.fy);
    tri_free(f.npv);
    tri_free(f.mix);
    tri_free(f.ok);
    if (st != TR_OK) {
        tr_analysis_free(a);
        *out = NULL;
    }
    return st;
}

/* value of an objective for a solved result, in its natural sign; *sense: +1 min, -1 max */
static tr_status result_objective(const tri_scen *s, const tr_result *r, const char *spec, double *v, double *sense)
{
    *sense = 1;
    int expl = 1;
    if (!strncmp(spec, "max:", 4)) {
        *sense = -1;
        spec += 4;
    } else if (!strncmp(spec, "min:", 4))
        spec += 4;
    else
        expl = 0;
    if (!strcmp(spec, "npv") || !strcmp(spec, "cost")) {
        *v = r->npv;
        return TR_OK;
    }
    tri_indicator ind;
    tr_status st = tri_parse_indicator(s, spec, &ind);
    if (st != TR_OK)
        return st;
    if (!expl && (ind.kind == TRI_IND_PRODUCTION || (ind.kind == TRI_IND_CUSTOM && !s->cind[ind.idx].lower_better)))
        *sense = -1;
    for (size_t i = 0; i < r->ns; i++)
        if (!strcmp(r->ser[i].name, spec)) {
            *v = 0;
            for (size_t t = 0; t < r->Y; t++)
                *v += r->ser[i].v[t];
            return TR_OK;
        }
    return TR_FAIL(TR_E_NOTFOUND, "pareto: the result of %s has no series \"%s\"", r->scenario, spec);
}

tr_status tr_analysis_pareto_place(tr_analysis *a, const char *x, const char *y, const tr_scenario *const *scenarios,
                                   const tr_result *const *results, size_t n)
{
    const tr_table *f = tr_analysis_find(a, "front");
    if (!f || !x || !y || (n && (!scenarios || !results)))
        return TR_FAIL(TR_E_INVAL, "tr_analysis_pareto_place: expected a front and its two objectives");
    tr_table *t = tbl_new("variants", 5);
    if (!t || !tbl_col(t, 0, "variant", 1) || !tbl_col(t, 1, f->cols[1], 0) || !tbl_col(t, 2, f->cols[2], 0) ||
        !tbl_col(t, 3, "npv", 0) || !tbl_col(t, 4, "dominated", 0)) {
        tbl_free(t);
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        const tr_result *r = results[i];
        long row = tbl_row(t);
        if (row < 0 || !tbl_txt(t, row, 0, r->scenario)) {
            tbl_free(t);
            return TR_FAIL(TR_E_NOMEM, "out of memory");
        }
        if (r->status != TR_SOL_OPTIMAL)
            continue;
        double vx, vy, sx, sy;
        tr_status st = result_objective(scenarios[i]->scen, r, x, &vx, &sx);
        if (st == TR_OK)
            st = result_objective(scenarios[i]->scen, r, y, &vy, &sy);
        if (st != TR_OK) {
            tbl_free(t);
            return st;
        }
        tbl_num(t, row, 1, vx);
        tbl_num(t, row, 2, vy);
        tbl_num(t, row, 3, r->npv);
        int dom = 0;
        for (size_t k = 0; k < f->nr; k++) {
            double fx = sx * f->num[k * f->nc + 1], fy = sy * f->num[k * f->nc + 2];
            double px = sx * vx, py = sy * vy;
            double tx = 1e-6 * fmax(1, fabs(px)), ty = 1e-6 * fmax(1, fabs(py));
            if (fx <= px + tx && fy <= py + ty && (fx < px - tx || fy < py - ty))
                dom = 1;
        }
        tbl_num(t, row, 4, dom);
    }
    if (!an_add(a, t))
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    return TR_OK;
}

/* ------------------------------------------------------------ tables built elsewhere (audit.c) */

tr_analysis *tri_an_new(void) { return tri_calloc(1, sizeof(tr_analysis)); }
int tri_an_add(tr_analysis *a, tr_table *t) { return an_add(a, t); }
tr_table *tri_tbl_new(const char *name, size_t nc) { return tbl_new(name, nc); }
int tri_tbl_col(tr_table *t, size_t c, const char *name, int text) { return tbl_col(t, c, name, text); }
long tri_tbl_row(tr_table *t) { return tbl_row(t); }
void tri_tbl_num(tr_table *t, long r, size_t c, double v) { tbl_num(t, r, c, v); }
int tri_tbl_txt(tr_table *t, long r, size_t c, const char *s) { return tbl_txt(t, r, c, s); }
void tri_tbl_free(tr_table *t) { tbl_free(t); }
