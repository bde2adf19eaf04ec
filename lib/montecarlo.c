/* Monte Carlo: correlated draws of the uncertain parameters (plain or Latin
 * hypercube), runs on the pool, statistics per total and series, the
 * probability each target is met, and merges of runs made in parts. */
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>

#include <time.h>

#include "analysis.h"

/* runs that set every uncertain parameter: Monte Carlo, tornado, Morris */

void tri_mc_edits(const tri_runs *p, size_t run, tri_edit *e, size_t *ne)
{
    const tri_mcdata *d = p->user;
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
/* a cancel through the progress callback while the samples are drawn
 * (0 runs done), asked at most every 100 ms: a large draw takes seconds */
typedef struct drawcancel {
    const tr_analysis_opts *o;
    size_t todo;
    struct timespec last;
    int cancelled;
} drawcancel;

static int draw_cancelled(drawcancel *c)
{
    if (!c || !c->o->progress)
        return 0;
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    if ((double)(t.tv_sec - c->last.tv_sec) + (double)(t.tv_nsec - c->last.tv_nsec) * 1e-9 < 0.1)
        return 0;
    c->last = t;
    if (c->o->progress(0, c->todo, c->o->userdata))
        c->cancelled = 1;
    return c->cancelled;
}

#define DRAW_CHUNK 65536   /* draws between two looks at the clock */
#define CANCEL_CHECK(c, i) ((i) % DRAW_CHUNK == DRAW_CHUNK - 1 && draw_cancelled(c))

static tr_status draw(const tri_scen *s, size_t n, unsigned long seed, int lhs, double *x, drawcancel *dc)
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
            /* gsl_ran_shuffle's Fisher-Yates (the same draws), in chunks
             * between which a cancel is seen */
            for (size_t i = n; i-- > 1;) {
                size_t j = gsl_rng_uniform_int(rng, i + 1), tmp = perm[i];
                perm[i] = perm[j];
                perm[j] = tmp;
                if (CANCEL_CHECK(dc, i))
                    goto cancelled;
            }
            for (size_t i = 0; i < n; i++) {
                u[i * K + k] = ((double)perm[i] + gsl_rng_uniform_pos(rng)) / (double)n;
                if (CANCEL_CHECK(dc, i))
                    goto cancelled;
            }
        } else {
            for (size_t i = 0; i < n; i++) {
                u[i * K + k] = gsl_rng_uniform_pos(rng);
                if (CANCEL_CHECK(dc, i))
                    goto cancelled;
            }
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
            st = tri_fail_at(TR_E_INVAL, NULL, 0, 0, "uncertainty.correlation",
                             "expected a positive definite correlation matrix (%s)", gsl_strerror(gs));
            goto out;
        }
        double z[256], w[256];
        if (K > 256) {
            st = tri_fail_at(TR_E_INVAL, NULL, 0, 0, "uncertainty", "at most 256 correlated parameters, got %zu", K);
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
            if (CANCEL_CHECK(dc, i))
                goto cancelled;
        }
    }
    for (size_t i = 0; i < n * K; i++) {
        double v = u[i];
        v = v < 1e-12 ? 1e-12 : v > 1 - 1e-12 ? 1 - 1e-12 : v;
        x[i] = tri_param_quantile(&s->unc[i % K], v);
        if (CANCEL_CHECK(dc, i))
            goto cancelled;
    }
    goto out;
cancelled:
    st = TR_FAIL(TR_E_STATE, "cancelled while the samples were being drawn: no run was made");
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
    tri_tbl_num(t, row, c0, (double)m);
    if (m == 0)
        return;
    gsl_sort(v, 1, m);
    tri_tbl_num(t, row, c0 + 1, gsl_stats_mean(v, 1, m));
    tri_tbl_num(t, row, c0 + 2, m > 1 ? gsl_stats_sd(v, 1, m) : 0);
    static const double q[] = {0.05, 0.25, 0.5, 0.75, 0.95};
    for (size_t k = 0; k < 5; k++)
        tri_tbl_num(t, row, c0 + 3 + k, gsl_stats_quantile_from_sorted_data(v, 1, m, q[k]));
}

static tr_table *stats_table(const char *name, int with_year)
{
    static const char *const cols[] = {"runs", "mean", "sd", "p5", "p25", "p50", "p75", "p95"};
    size_t base = with_year ? 2 : 1;
    tr_table *t = tri_tbl_new(name, base + 8);
    if (!t)
        return NULL;
    int ok = tri_tbl_col(t, 0, with_year ? "indicator" : "total", 1);
    if (with_year)
        ok = ok && tri_tbl_col(t, 1, "year", 0);
    for (size_t i = 0; i < 8; i++)
        ok = ok && tri_tbl_col(t, base + i, cols[i], 0);
    return tri_tbl_done(t, ok);
}

static tr_status need_unc(const tr_scenario *sc, const char *what)
{
    if (sc->scen->NU == 0)
        return tri_fail_at(TR_E_INVAL, sc->path, 0, 0, "uncertainty",
                           "the scenario has no `uncertainty:` section with parameters; expected one for %s", what);
    return TR_OK;
}

/* The common start of an analysis: arguments and options checked, the
 * scenario's uncertainty: section required when @unc_for names the analysis,
 * then *out allocated. */
tr_status tri_an_check_args(const tr_scenario *sc, const tr_analysis_opts *o, tr_analysis_opts *oo, tr_analysis **out,
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
    if (oo->threads < 0 || oo->threads > TR_MAX_THREADS)
        return TR_FAIL(TR_E_INVAL, "analysis options: threads: expected 0 (one per CPU) to %d, got %d", TR_MAX_THREADS,
                       oo->threads);
    if (oo->samples > TR_MAX_SAMPLES)
        return TR_FAIL(TR_E_INVAL, "analysis options: samples: expected an integer from 1 to %ld, got %ld", TR_MAX_SAMPLES,
                       oo->samples);
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
static tr_status mc_summarize(const tri_scen *s, const tr_analysis_opts *o, tri_runs *pp, size_t n, const double *x,
                              tr_analysis *a)
{
    tr_status st = TR_OK;
    tri_runs p = *pp;
    tr_analysis_opts oo = *o;
    struct {
        const double *x;
    } d = {x};
    /* the optimal runs, in order: the statistics loop over them only (a
     * run cancelled early leaves most of a large n not run) */
    size_t nok = 0;
    size_t *ok = tri_calloc(n + 1, sizeof *ok);
    double *v = tri_calloc(n + 1, sizeof *v);
    if (!v || !ok)
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
    for (size_t i = 0; st == TR_OK && i < n; i++)
        if (p.res[i].status == TR_SOL_OPTIMAL)
            ok[nok++] = i;
    /* percentiles per indicator and year, and per total */
    tr_table *pt = st == TR_OK ? stats_table("percentiles", 1) : NULL, *tt = st == TR_OK ? stats_table("totals", 0) : NULL;
    if (st == TR_OK && (!pt || !tt))
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
    for (size_t k = 0; st == TR_OK && k < p.NS; k++)
        for (size_t t = 0; t < p.Y; t++) {
            for (size_t j = 0; j < nok; j++)
                v[j] = p.res[ok[j]].ser[k * p.Y + t];
            long r = tri_tbl_row(pt);
            if (r < 0 || !tri_tbl_txt(pt, r, 0, p.sname[k])) {
                st = TR_FAIL(TR_E_NOMEM, "out of memory");
                break;
            }
            tri_tbl_num(pt, r, 1, s->start + (int)t);
            stats_row(pt, r, 2, v, nok);
        }
    for (size_t k = 0; st == TR_OK && k < p.NT; k++) {
        for (size_t j = 0; j < nok; j++)
            v[j] = p.res[ok[j]].tot[k];
        long r = tri_tbl_row(tt);
        if (r < 0 || !tri_tbl_txt(tt, r, 0, p.tname[k])) {
            st = TR_FAIL(TR_E_NOMEM, "out of memory");
            break;
        }
        stats_row(tt, r, 1, v, nok);
    }
    /* probability that each policy target is met */
    tr_table *tg = st == TR_OK ? tri_tbl_new("targets", 3) : NULL;
    if (st == TR_OK && (!tg || !tri_tbl_col(tg, 0, "policy", 1) || !tri_tbl_col(tg, 1, "probability_met", 0) ||
                        !tri_tbl_col(tg, 2, "runs", 0)))
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
    size_t ran = 0, feasible = 0;
    for (size_t i = 0; i < n; i++) {
        ran += p.res[i].status >= 0;
        feasible += p.res[i].status == TR_SOL_OPTIMAL;
    }
    if (st == TR_OK) {
        long r = tri_tbl_row(tg);
        if (r < 0 || !tri_tbl_txt(tg, r, 0, "(all targets: feasible)"))
            st = TR_FAIL(TR_E_NOMEM, "out of memory");
        else {
            tri_tbl_num(tg, r, 1, ran ? (double)feasible / (double)ran : NAN);
            tri_tbl_num(tg, r, 2, (double)ran);
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
        long r = tri_tbl_row(tg);
        if (r < 0 || !tri_tbl_txt(tg, r, 0, po->id)) {
            st = TR_FAIL(TR_E_NOMEM, "out of memory");
            break;
        }
        tri_tbl_num(tg, r, 1, ran ? (double)met / (double)ran : NAN);
        tri_tbl_num(tg, r, 2, (double)ran);
    }
    /* share of runs in which each technology is adopted */
    tr_table *ad = st == TR_OK ? tri_tbl_new("adoption", 4) : NULL;
    if (st == TR_OK && (!ad || !tri_tbl_col(ad, 0, "technology", 1) || !tri_tbl_col(ad, 1, "share_of_runs_adopted", 0) ||
                        !tri_tbl_col(ad, 2, "mean_final_adoption", 0) || !tri_tbl_col(ad, 3, "runs", 0)))
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
    for (size_t k = 0; st == TR_OK && k < p.NS; k++) {
        if (strncmp(p.sname[k], "adoption.", 9) != 0)
            continue;
        size_t used = 0;
        double sum = 0;
        for (size_t j = 0; j < nok; j++) {
            size_t i = ok[j];
            double mx = 0;
            for (size_t t = 0; t < p.Y; t++)
                mx = fmax(mx, p.res[i].ser[k * p.Y + t]);
            used += mx > 1e-6;
            sum += p.res[i].ser[k * p.Y + p.Y - 1];
        }
        long r = tri_tbl_row(ad);
        if (r < 0 || !tri_tbl_txt(ad, r, 0, p.sname[k] + 9)) {
            st = TR_FAIL(TR_E_NOMEM, "out of memory");
            break;
        }
        tri_tbl_num(ad, r, 1, feasible ? (double)used / (double)feasible : NAN);
        tri_tbl_num(ad, r, 2, feasible ? sum / (double)feasible : NAN);
        tri_tbl_num(ad, r, 3, (double)feasible);
    }
    tr_table *sm = NULL;
    if (st == TR_OK && oo.keep_samples) {
        long inpv = tri_runs_find_total(&p, "npv");
        sm = tri_tbl_new("samples", 2 + s->NU + p.NT);
        int ok = sm && tri_tbl_col(sm, 0, "sample", 0) && tri_tbl_col(sm, 1, "status", 1);
        for (size_t k = 0; ok && k < s->NU; k++)
            ok = tri_tbl_col(sm, 2 + k, s->unc[k].id, 0);
        for (size_t k = 0; ok && k < p.NT; k++)
            ok = tri_tbl_col(sm, 2 + s->NU + k, p.tname[k], 0);
        (void)inpv;
        for (size_t i = 0; ok && i < n; i++) {
            if (p.res[i].status < 0)
                continue;
            long r = tri_tbl_row(sm);
            ok = r >= 0 && tri_tbl_txt(sm, r, 1, tri_run_status_name(p.res[i].status));
            if (!ok)
                break;
            tri_tbl_num(sm, r, 0, (double)i);
            for (size_t k = 0; k < s->NU; k++)
                tri_tbl_num(sm, r, 2 + k, d.x[i * s->NU + k]);
            for (size_t k = 0; p.res[i].tot && k < p.NT; k++)
                tri_tbl_num(sm, r, 2 + s->NU + k, p.res[i].tot[k]);
        }
        if (!ok)
            st = TR_FAIL(TR_E_NOMEM, "out of memory");
    }
    if (st == TR_OK && !(tri_an_add(a, pt) && tri_an_add(a, tt) && tri_an_add(a, tg) && tri_an_add(a, ad) && (!sm || tri_an_add(a, sm))))
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
    else if (st != TR_OK) {
        tri_tbl_free(pt);
        tri_tbl_free(tt);
        tri_tbl_free(tg);
        tri_tbl_free(ad);
        tri_tbl_free(sm);
    }
    if (st == TR_OK)
        st = tri_failures_add(&p, a, NULL, NULL);
    tri_free(v);
    tri_free(ok);
    return st;
}

/* A part of a Monte Carlo: the table "runs" (sample, status, failed
 * policies, every total "t:NAME" and every series value "s:NAME@YEAR"). */
static tr_status mc_runs_table(const tri_runs *p, const tri_scen *s, tr_analysis *a)
{
    size_t nc = 3 + p->NT + p->NS * p->Y;
    tr_table *t = tri_tbl_new("runs", nc);
    int ok = t && tri_tbl_col(t, 0, "sample", 0) && tri_tbl_col(t, 1, "status", 1) && tri_tbl_col(t, 2, "failed", 1);
    char name[300];
    for (size_t k = 0; ok && k < p->NT; k++) {
        snprintf(name, sizeof name, "t:%s", p->tname[k]);
        ok = tri_tbl_col(t, 3 + k, name, 0);
    }
    for (size_t k = 0; ok && k < p->NS; k++)
        for (size_t y = 0; ok && y < p->Y; y++) {
            snprintf(name, sizeof name, "s:%s@%d", p->sname[k], s->start + (int)y);
            ok = tri_tbl_col(t, 3 + p->NT + k * p->Y + y, name, 0);
        }
    for (size_t i = p->first; ok && i < p->end; i++) {
        const tri_runres *rr = &p->res[i];
        if (rr->status < 0)
            continue;   /* cancelled before it ran */
        long r = tri_tbl_row(t);
        ok = r >= 0 && tri_tbl_txt(t, r, 1, tri_run_status_name(rr->status)) && tri_tbl_txt(t, r, 2, rr->failed ? rr->failed : rr->why ? rr->why : "");
        if (!ok)
            break;
        tri_tbl_num(t, r, 0, (double)i);
        for (size_t k = 0; k < p->NT; k++)
            tri_tbl_num(t, r, 3 + k, rr->tot ? rr->tot[k] : NAN);
        for (size_t k = 0; k < p->NS * p->Y; k++)
            tri_tbl_num(t, r, 3 + p->NT + k, rr->ser ? rr->ser[k] : NAN);
    }
    if (!tri_an_add(a, tri_tbl_done(t, ok)))
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    return TR_OK;
}

tr_status tr_analysis_montecarlo(const tr_scenario *sc, const tr_analysis_opts *o, tr_analysis **out)
{
    tr_analysis_opts oo;
    tr_status st = tri_an_check_args(sc, o, &oo, out, "a Monte Carlo analysis");
    if (st != TR_OK)
        return st;
    const tri_scen *s = sc->scen;
    tr_analysis *a = *out;
    size_t n = oo.samples > 0 ? (size_t)oo.samples : s->usamples;
    unsigned long seed = oo.seed >= 0 ? (unsigned long)oo.seed : s->useed;
    int lhs = oo.method >= 0 ? oo.method == 1 : s->ulhs;
    tri_mcdata d = {s, NULL};
    tri_runs p;
    tri_runs_setup(&p, sc, &oo, n, s->NU, tri_mc_edits, &d);
    p.what = "montecarlo";
    /* the draws: x, and while drawing the uniforms and a permutation */
    p.extra_bytes = (double)n * (16.0 * (double)s->NU + 8.0);
    if (oo.count > 0) {
        /* a part: only the runs [first, first + count) of the n, for merging */
        if (oo.first < 0 || (size_t)oo.first >= n || (size_t)oo.count > n - (size_t)oo.first)
            st = TR_FAIL(TR_E_INVAL,
                         "analysis options: first %ld, count %ld: expected a range within the %zu samples", oo.first,
                         oo.count, n);
        p.first = st == TR_OK ? (size_t)oo.first : 0;
        p.end = st == TR_OK ? p.first + (size_t)oo.count : n;
    }
    /* the base case first: the size of a run's results, then the memory
     * all the runs need, refused before anything large is drawn */
    if (st == TR_OK)
        st = tri_runs_base(&p);
    if (st == TR_OK)
        st = tri_mem_check(p.what, p.end - p.first, tri_runs_bytes(&p) + p.extra_bytes);
    if (st == TR_OK && !(d.x = tri_calloc(n * s->NU + 1, sizeof(double))))
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
    drawcancel dc = {&oo, p.end - p.first, {0, 0}, 0};
    if (st == TR_OK)
        st = draw(s, n, seed, lhs, d.x, &dc);
    if (dc.cancelled)
        a->cancelled = 1;
    if (st == TR_OK)
        st = tri_runs_run(&p, a);
    if (st == TR_OK)
        st = oo.count > 0 ? mc_runs_table(&p, s, a) : mc_summarize(s, &oo, &p, n, d.x, a);
    tri_free(d.x);
    tri_runs_free(&p);
    return tri_an_finish(out, st);
}


tr_status tr_analysis_montecarlo_merge(const tr_scenario *sc, const tr_analysis_opts *o, size_t nruns,
                                       const long *sample, const char *const *status, const char *const *failed,
                                       size_t ncols, const char *const *names, const double *values,
                                       tr_analysis **out)
{
    tr_analysis_opts oo;
    tr_status st = tri_an_check_args(sc, o, &oo, out, "a Monte Carlo analysis");
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
    tri_runs p;
    tri_runs_setup(&p, sc, &oo, n, s->NU, NULL, NULL);
    st = tri_mem_check("montecarlo merge", nruns,
                       (double)n * (16.0 * (double)s->NU + 8.0 + (double)sizeof *p.res + 16.0) +
                           (double)nruns * 8.0 * ((double)ncols + 1.0));
    double *x = st == TR_OK ? tri_calloc(n * s->NU + 1, sizeof *x) : NULL;
    p.res = st == TR_OK ? tri_calloc(n + 1, sizeof *p.res) : NULL;
    if (st == TR_OK && (!x || !p.res))
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
    if (st == TR_OK)
        st = draw(s, n, seed, lhs, x, NULL);
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
    for (size_t r = 0; st == TR_OK && r < nruns; r++) {
        long i = sample[r];
        if (i < 0 || (size_t)i >= n || p.res[i].status >= 0) {
            st = TR_FAIL(TR_E_INVAL, "montecarlo merge: sample %ld is %s", i,
                         i < 0 || (size_t)i >= n ? "outside the planned samples" : "given twice");
            break;
        }
        int code = -1;
        for (int c = 0; c <= TR_SOL_LIMIT; c++)
            if (status[r] && strcmp(status[r], tr_sol_status_name((tr_sol_status)c)) == 0)
                code = c;
        if (code < 0) {
            st = TR_FAIL(TR_E_INVAL, "montecarlo merge: sample %ld: unknown status \"%s\"", i,
                         status[r] ? status[r] : "(null)");
            break;
        }
        tri_runres *rr = &p.res[i];
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
        } else if (failed[r] && failed[r][0]) {
            /* infeasible: the policies not met; failed: why (a part's "failed" column) */
            if (!(code == TR_SOL_INFEASIBLE ? (rr->failed = tri_strdup(failed[r])) : (rr->why = tri_strdup(failed[r]))))
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
    tri_runs_free(&p);
    return tri_an_finish(out, st);
}

