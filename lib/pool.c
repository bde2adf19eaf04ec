/* Parameter runs on a pool of threads, one GLPK problem per thread (Debian's
 * GLPK keeps its environment in thread-local storage). Each run edits a copy
 * of the effective document, compiles it, builds a fresh model of the base
 * scenario, updates it in place to the run's values (only what differs)
 * and warm-starts from the base solution's basis: every run starts from the
 * same state, so results do not depend on which thread ran what or on the
 * number of threads: same seed, same bytes. */
#include <ctype.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "analysis.h"
#include "lp.h"
#include "tr_series.h"

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

static tr_status apply_edit(tri_node *doc, const tri_edit *e)
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
        return tri_fail_at(TR_E_NOTFOUND, NULL, 0, 0, e->path, "no such value in the scenario");
    if (!isfinite(e->v))   /* no analysis makes one; never blame the file for it */
        return tri_fail_at(TR_E_INVAL, NULL, 0, 0, e->path, "the analysis set %g; expected a finite number", e->v);
    /* a text field (name, currency) took the value, changed nothing and was
     * listed as a swept parameter: a value replaces a number or series, a
     * scale multiplies numbers */
    if (!(e->scale ? tri_is_numbers(cur) : tri_is_series(cur))) {
        char *why = tri_target_why(cur);
        tr_status st = tri_fail_at(TR_E_INVAL, NULL, 0, 0, e->path,
                                   "holds %s, not a number or a series of numbers%s; expected the path of one",
                                   why ? why : "something else", e->scale ? " (or a map of numbers)" : "");
        tri_free(why);
        return st;
    }
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
    tri_map_set_at(parent, at, n);
    return TR_OK;
}

tr_status tri_edited_scen(const tr_scenario *sc, const tri_edit *e, size_t ne, tri_scen **out)
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

/* ------------------------------------------------------------ runs on a tri_runs */



static void keep(const tri_runs *p, tri_runres *rr, const tr_result *r)
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

static void fail(tri_runs *p, tr_status st)
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
    tri_runs *p = arg;
    tr_library_init();
    tr_model *m = NULL;
    int *rs = NULL, *cs = NULL;
    tri_edit *e = tri_calloc(p->nedit ? p->nedit : 1, sizeof *e);
    tr_solve_opts so;
    tr_solve_opts_init(&so);
    tr_status st = e ? TR_OK : TR_FAIL(TR_E_NOMEM, "out of memory");
    if (st == TR_OK && p->o->warm) {
        /* the base solution's basis (solved once, by the calling thread)
         * starts every run */
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
        st = tri_edited_scen(fresh ? fresh : p->sc, e, ne, &s);
        tr_scenario_free(fresh);
        tr_result *r = NULL;
        if (st == TR_OK && p->o->warm) {
            /* A fresh model of the base scenario for every run, updated to
             * this run's values: the LP GLPK solves (the order of its matrix
             * elements too, which tri_model_update's row replacements
             * change) then depends on the run alone, not on which runs this
             * thread made before, so results do not depend on the number of
             * threads or their timing (Morris' last digits did). */
            int reloaded = 0;
            tr_model_free(m);
            m = NULL;
            st = tr_model_new(p->sc, &m);
            if (st == TR_OK) {
                tri_model_scale(m);
                m->flip = 1;
                st = tri_model_update(m, s, &reloaded);
            }
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
            p->res[i].why = tri_strdup(tr_last_error());   /* NULL on OOM: the status says enough */
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
    tri_lp_thread_done();
    return NULL;
}

void tri_runs_setup(tri_runs *p, const tr_scenario *sc, const tr_analysis_opts *o, size_t n, size_t nedit,
                       tri_edits_fn edits, const void *user)
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
    tri_runs *p = ud;
    if (!p->o->progress(0, p->end - p->first, p->o->userdata))
        return 0;
    p->base_cancelled = 1;
    return 1;
}

/* The memory this machine can give a process: the physical memory, or
 * less under an address-space limit or a cgroup (container) limit. */
static double machine_bytes(void)
{
    double b = 0;
    long pages = sysconf(_SC_PHYS_PAGES), psz = sysconf(_SC_PAGESIZE);
    if (pages > 0 && psz > 0)
        b = (double)pages * (double)psz;
    struct rlimit rl;
    if (getrlimit(RLIMIT_AS, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY && (b == 0 || (double)rl.rlim_cur < b))
        b = (double)rl.rlim_cur;
    static const char *const cg[] = {"/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"};
    for (size_t i = 0; i < sizeof cg / sizeof *cg; i++) {
        FILE *f = fopen(cg[i], "r");
        if (!f)
            continue;
        char line[64];
        if (fgets(line, sizeof line, f)) {
            char *end;
            double v = strtod(line, &end);
            if (end != line && v > 0 && (b == 0 || v < b))
                b = v;
        }
        fclose(f);
    }
    return b;
}

tr_status tri_mem_check(const char *what, size_t n, double bytes)
{
    double have = machine_bytes();
    if (!(bytes <= 9e18) || (have > 0 && bytes > have))
        return TR_FAIL(TR_E_INVAL,
                       "%s: %zu runs need about %.3g GB of memory for their draws and results, more than this machine "
                       "has (%.3g GB); expected fewer samples or values (or a Monte Carlo run in parts: first/count, "
                       "then merged)",
                       what, n, bytes / 1e9, have / 1e9);
    return TR_OK;
}

double tri_runs_bytes(const tri_runs *p)
{
    /* every planned run's record, the kept runs' totals and series, and the
     * summary's buffers (one value and one index per run) */
    return (double)p->n * ((double)sizeof(tri_runres) + 16.0) +
           (double)(p->end - p->first) * 8.0 * ((double)p->NT + (double)p->NS * (double)p->Y + 1.0);
}

tr_status tri_runs_base(tri_runs *p)
{
    if (p->tname)
        return TR_OK;   /* already solved */
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
    if (!p->tname || !p->sname) {
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
    return st;
}

/* Run p->n runs; fills p->res. Returns TR_OK (also when cancelled during
 * the runs; TR_E_STATE when cancelled during the base solve). */
tr_status tri_runs_run(tri_runs *p, tr_analysis *a)
{
    tr_status st = tri_runs_base(p);
    if (st == TR_OK)
        st = tri_mem_check(p->what ? p->what : "analysis", p->end - p->first, tri_runs_bytes(p) + p->extra_bytes);
    if (st != TR_OK)
        return st;
    p->res = tri_calloc(p->n ? p->n : 1, sizeof *p->res);
    if (!p->res)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    for (size_t i = 0; i < p->n; i++)
        p->res[i].status = -1;
    int nt = p->o->threads > 0 ? p->o->threads : tri_ncores();
    size_t todo = p->end - p->first;
    if ((size_t)nt > todo)
        nt = todo ? (int)todo : 1;
    p->next = p->first;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    pthread_t th[TR_MAX_THREADS];
    if (nt > TR_MAX_THREADS)
        nt = TR_MAX_THREADS;
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

void tri_runs_free(tri_runs *p)
{
    tri_free(p->base_rs);
    tri_free(p->base_cs);
    for (size_t i = 0; p->res && i < p->n; i++) {
        tri_free(p->res[i].tot);
        tri_free(p->res[i].ser);
        tri_free(p->res[i].failed);
        tri_free(p->res[i].why);
    }
    tri_free(p->res);
    tri_free_strv(p->tname, p->NT);
    tri_free_strv(p->sname, p->NS);
}

/* a failure's reason: its message without the value that differs run by
 * run (", got ..." at the end) */
static size_t reason_len(const char *m)
{
    const char *g = strstr(m, ", got ");
    return g ? (size_t)(g - m) : strlen(m);
}

/* the message after its "FILE:LINE:COL: " (the reason names the field) */
static const char *after_where(const char *m)
{
    for (const char *c = strchr(m, ':'); c; c = strchr(c + 1, ':')) {
        const char *d = c + 1;
        if (!isdigit((unsigned char)*d))
            continue;
        while (isdigit((unsigned char)*d))
            d++;
        if (*d++ != ':' || !isdigit((unsigned char)*d))
            continue;
        while (isdigit((unsigned char)*d))
            d++;
        if (d[0] == ':' && d[1] == ' ')
            return d + 2;
    }
    return m;
}

tr_status tri_failures_add(const tri_runs *p, tr_analysis *a, size_t *nfailed, size_t *nok)
{
    size_t nf = 0, no = 0, nr = 0;
    for (size_t i = 0; i < p->n; i++) {
        int st = p->res ? p->res[i].status : -1;
        no += st == TR_SOL_OPTIMAL;
        nf += st >= 0 && st != TR_SOL_OPTIMAL && st != TR_SOL_INFEASIBLE;
    }
    if (nfailed)
        *nfailed = nf;
    if (nok)
        *nok = no;
    if (nf == 0)
        return TR_OK;
    /* group by reason, in order of first appearance, then by count */
    size_t *first = tri_calloc(nf, sizeof *first), *count = tri_calloc(nf, sizeof *count);
    if (!first || !count) {
        tri_free(first);
        tri_free(count);
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < p->n; i++) {
        int st = p->res[i].status;
        if (st < 0 || st == TR_SOL_OPTIMAL || st == TR_SOL_INFEASIBLE)
            continue;
        const char *m = after_where(p->res[i].why ? p->res[i].why : tri_run_status_name(st));
        size_t l = reason_len(m), g = 0;
        for (; g < nr; g++) {
            const tri_runres *f = &p->res[first[g]];
            const char *fm = after_where(f->why ? f->why : tri_run_status_name(f->status));
            if (reason_len(fm) == l && !strncmp(fm, m, l))
                break;
        }
        if (g == nr)
            first[nr++] = i;
        count[g]++;
    }
    for (size_t g = 1; g < nr; g++)   /* stable insertion sort: most frequent first */
        for (size_t h = g; h > 0 && count[h] > count[h - 1]; h--) {
            size_t t = count[h];
            count[h] = count[h - 1];
            count[h - 1] = t;
            t = first[h];
            first[h] = first[h - 1];
            first[h - 1] = t;
        }
    tr_table *t = tri_tbl_new("failures", 4);
    int ok = t && tri_tbl_col(t, 0, "reason", 1) && tri_tbl_col(t, 1, "runs", 0) && tri_tbl_col(t, 2, "first_run", 0) &&
             tri_tbl_col(t, 3, "first_message", 1);
    for (size_t g = 0; ok && g < nr; g++) {
        const tri_runres *f = &p->res[first[g]];
        const char *fm = f->why ? f->why : tri_run_status_name(f->status);
        const char *rm = after_where(fm);
        char *reason = tri_strndup(rm, reason_len(rm));
        long r = tri_tbl_row(t);
        ok = reason && r >= 0 && tri_tbl_txt(t, r, 0, reason) && tri_tbl_txt(t, r, 3, fm);
        tri_free(reason);
        if (ok) {
            tri_tbl_num(t, r, 1, (double)count[g]);
            tri_tbl_num(t, r, 2, (double)first[g]);
        }
    }
    tri_free(first);
    tri_free(count);
    return tri_an_add(a, tri_tbl_done(t, ok)) ? TR_OK : TR_FAIL(TR_E_NOMEM, "out of memory");
}

long tri_runs_find_total(const tri_runs *p, const char *name)
{
    for (size_t i = 0; i < p->NT; i++)
        if (!strcmp(p->tname[i], name))
            return (long)i;
    return -1;
}

const char *tri_run_status_name(int st) { return st < 0 ? "not run" : tr_sol_status_name((tr_sol_status)st); }


tr_status tri_an_base_solve(const tr_scenario *sc, const char *what, int monolithic, tr_model **m, tr_result **r)
{
    tr_result *res = NULL;
    if (r)
        *r = NULL;
    tr_status st = tr_model_new(sc, m);
    if (st != TR_OK)
        return st;
    tr_solve_opts so;
    tr_solve_opts_init(&so);
    if (monolithic)
        so.structure = TR_STRUCTURE_MONOLITHIC;
    if ((st = tr_model_solve(*m, &so, &res)) != TR_OK)
        return st;
    if (res->status != TR_SOL_OPTIMAL) {
        st = TR_FAIL(TR_E_INVAL, "%s: the scenario itself is %s", what, tr_result_status_name(res));
        tr_result_free(res);
        return st;
    }
    if (r)
        *r = res;
    else
        tr_result_free(res);
    return TR_OK;
}
