/* One- and two-way sweeps of a scenario value, tornado (5th/95th
 * percentiles of each uncertain parameter) and Morris elementary effects;
 * their runs are points of the uncertain parameters, like Monte Carlo's. */
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>

#include "analysis.h"

/* ------------------------------------------------------------ sweeps */

typedef struct swdata {
    const char *path1, *path2;
    const double *v1, *v2;
    size_t n1, n2;
    int scale1, scale2;
} swdata;

static void sw_edits(const tri_runs *p, size_t run, tri_edit *e, size_t *ne)
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
static tr_table *runs_table(const char *name, const tri_runs *p, size_t nin, const char *const *inames,
                            const double *inputs)
{
    tr_table *t = tri_tbl_new(name, nin + 1 + p->NT);
    int ok = t != NULL;
    for (size_t k = 0; ok && k < nin; k++)
        ok = tri_tbl_col(t, k, inames[k], 0);
    ok = ok && tri_tbl_col(t, nin, "status", 1);
    for (size_t k = 0; ok && k < p->NT; k++)
        ok = tri_tbl_col(t, nin + 1 + k, p->tname[k], 0);
    for (size_t i = 0; ok && i < p->n; i++) {
        if (p->res[i].status < 0)
            continue;
        long r = tri_tbl_row(t);
        ok = r >= 0 && tri_tbl_txt(t, r, nin, tri_run_status_name(p->res[i].status));
        for (size_t k = 0; ok && k < nin; k++)
            tri_tbl_num(t, r, k, inputs[i * nin + k]);
        for (size_t k = 0; ok && p->res[i].tot && k < p->NT; k++)
            tri_tbl_num(t, r, nin + 1 + k, p->res[i].tot[k]);
    }
    return tri_tbl_done(t, ok);
}

/* the sweep's own arguments: a path and at least one value per swept
 * parameter, and finite values (a value that is not a number is the
 * caller's, the --param option's or Python's list's, not a fault of the
 * scenario file it would be written to) */
static tr_status sweep_check(const char *path1, const double *values1, size_t n1, const char *path2,
                             const double *values2, size_t n2)
{
    if (!path1 || !values1 || n1 == 0 || (path2 && (!values2 || n2 == 0)))
        return TR_FAIL(TR_E_INVAL, "tr_analysis_sweep: expected a path and at least one value per swept parameter");
    for (int k = 0; k < (path2 ? 2 : 1); k++) {
        const double *v = k ? values2 : values1;
        for (size_t i = 0; i < (k ? n2 : n1); i++)
            if (!isfinite(v[i]))
                return TR_FAIL(TR_E_INVAL, "sweep: values for %s: value %zu of %zu is %s; expected finite numbers",
                               k ? path2 : path1, i + 1, k ? n2 : n1, isnan(v[i]) ? "nan" : v[i] > 0 ? "inf" : "-inf");
    }
    return TR_OK;
}

tr_status tr_analysis_sweep(const tr_scenario *sc, const char *path1, const double *values1, size_t n1, int scale1,
                            const char *path2, const double *values2, size_t n2, int scale2,
                            const tr_analysis_opts *o, tr_analysis **out)
{
    tr_analysis_opts oo;
    tr_status st = tri_an_check_args(sc, o, &oo, out, NULL);
    if (st == TR_OK)
        st = sweep_check(path1, values1, n1, path2, values2, n2);
    if (st != TR_OK)
        return tri_an_finish(out, st);
    tr_analysis *a = *out;
    swdata d = {path1, path2, values1, values2, n1, path2 ? n2 : 1, scale1, scale2};
    tri_runs p;
    tri_runs_setup(&p, sc, &oo, n1 * d.n2, 2, sw_edits, &d);
    p.what = "sweep";
    p.extra_bytes = (double)p.n * 16.0;   /* the table's inputs */
    /* check the paths before solving anything */
    tri_edit e[2];
    size_t ne;
    sw_edits(&p, 0, e, &ne);
    tri_scen *probe = NULL;
    st = tri_edited_scen(sc, e, ne, &probe);
    tri_scen_free(probe);
    if (st == TR_OK)
        st = tri_runs_run(&p, a);
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
    if (st == TR_OK && !tri_an_add(a, runs_table("sweep", &p, path2 ? 2 : 1, names, in)))
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
    if (st == TR_OK)
        st = tri_failures_add(&p, a, NULL, NULL);
    tri_free(in);
    tri_runs_free(&p);
    return tri_an_finish(out, st);
}

/* ------------------------------------------------------------ tornado and Morris
 * (their runs are points of the uncertain parameters, like Monte Carlo's) */

/* the runs of a tornado or Morris: @n points of the uncertain parameters */
typedef struct sens {
    tri_mcdata d;          /* the points: d.x[i * NU + k] */
    tri_runs p;
    const char *outname;   /* the total the sensitivity is about (the option output, npv by default) */
    long oi;               /* its index in the runs' totals */
} sens;

/* plan @v's @n runs (always: sens_free follows) and allocate their points */
static tr_status sens_setup(sens *v, const tr_scenario *sc, const tr_analysis_opts *oo, size_t n)
{
    const tri_scen *s = sc->scen;
    v->d = (tri_mcdata){s, tri_calloc(n * s->NU, sizeof(double))};
    tri_runs_setup(&v->p, sc, oo, n, s->NU, tri_mc_edits, &v->d);
    v->outname = oo->output ? oo->output : "npv";
    v->oi = 0;
    return v->d.x ? TR_OK : TR_FAIL(TR_E_NOMEM, "out of memory");
}

/* Run the pool, then find the total the sensitivity is about. */
static tr_status sens_run(sens *v, tr_analysis *a, const char *what)
{
    v->p.what = what;
    tr_status st = tri_runs_run(&v->p, a);
    if (st != TR_OK)
        return st;
    v->oi = tri_runs_find_total(&v->p, v->outname);
    if (v->oi < 0)
        return TR_FAIL(TR_E_NOTFOUND, "%s: no total called \"%s\"; expected npv or a cumulative total", what,
                       v->outname);
    return TR_OK;
}

static void sens_free(sens *v)
{
    tri_free(v->d.x);
    tri_runs_free(&v->p);
}

tr_status tr_analysis_tornado(const tr_scenario *sc, const tr_analysis_opts *o, tr_analysis **out)
{
    tr_analysis_opts oo;
    tr_status st = tri_an_check_args(sc, o, &oo, out, "a tornado");
    if (st != TR_OK)
        return st;
    tr_analysis *a = *out;
    const tri_scen *s = sc->scen;
    size_t K = s->NU, n = 1 + 2 * K;
    sens v;
    st = sens_setup(&v, sc, &oo, n);
    for (size_t i = 0; st == TR_OK && i < n; i++)
        for (size_t k = 0; k < K; k++) {
            double u = 0.5;
            if (i > 0 && (i - 1) / 2 == k)
                u = (i - 1) % 2 == 0 ? 0.05 : 0.95;
            v.d.x[i * K + k] = tri_param_quantile(&s->unc[k], u);
        }
    if (st == TR_OK)
        st = sens_run(&v, a, "tornado");
    static const char *const cols[] = {"parameter", "low", "high", "output_low", "output_high", "output_base", "swing",
                                       "output"};
    static const int text[] = {1, 0, 0, 0, 0, 0, 0, 1};
    tr_table *t = st == TR_OK ? tri_tbl_new_cols("tornado", 8, cols, text) : NULL;
    int ok = t != NULL;
    if (st == TR_OK && !ok)
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
    if (st == TR_OK) {
        /* order by swing, largest first (stable) */
        size_t *ord = tri_calloc(K + 1, sizeof *ord);
        double *sw = tri_calloc(K + 1, sizeof *sw);
        double base = v.p.res[0].tot ? v.p.res[0].tot[v.oi] : NAN;
        for (size_t k = 0; ord && sw && k < K; k++) {
            ord[k] = k;
            double lo = v.p.res[1 + 2 * k].tot ? v.p.res[1 + 2 * k].tot[v.oi] : NAN;
            double hi = v.p.res[2 + 2 * k].tot ? v.p.res[2 + 2 * k].tot[v.oi] : NAN;
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
            long r = tri_tbl_row(t);
            ok = r >= 0 && tri_tbl_txt(t, r, 0, s->unc[k].id) && tri_tbl_txt(t, r, 7, v.outname);
            if (!ok)
                break;
            tri_tbl_num(t, r, 1, v.d.x[(1 + 2 * k) * K + k]);
            tri_tbl_num(t, r, 2, v.d.x[(2 + 2 * k) * K + k]);
            tri_tbl_num(t, r, 3, v.p.res[1 + 2 * k].tot ? v.p.res[1 + 2 * k].tot[v.oi] : NAN);
            tri_tbl_num(t, r, 4, v.p.res[2 + 2 * k].tot ? v.p.res[2 + 2 * k].tot[v.oi] : NAN);
            tri_tbl_num(t, r, 5, base);
            tri_tbl_num(t, r, 6, sw[k]);
        }
        if (!ord || !sw || !ok)
            st = TR_FAIL(TR_E_NOMEM, "out of memory");
        tri_free(ord);
        tri_free(sw);
    }
    if (st == TR_OK && !tri_an_add(a, t))
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
    else if (st != TR_OK)
        tri_tbl_free(t);
    if (st == TR_OK)
        st = tri_failures_add(&v.p, a, NULL, NULL);
    sens_free(&v);
    return tri_an_finish(out, st);
}

tr_status tr_analysis_morris(const tr_scenario *sc, size_t trajectories, size_t levels, const tr_analysis_opts *o,
                             tr_analysis **out)
{
    tr_analysis_opts oo;
    tr_status st = tri_an_check_args(sc, o, &oo, out, "Morris elementary effects");
    if (st == TR_OK && (trajectories < 1 || levels < 2 || levels > 1000))
        st = TR_FAIL(TR_E_INVAL, "morris: expected at least 1 trajectory and 2..1000 levels, got %zu and %zu",
                     trajectories, levels);
    if (st != TR_OK)
        return tri_an_finish(out, st);
    tr_analysis *a = *out;
    const tri_scen *s = sc->scen;
    size_t K = s->NU, R = trajectories, n = R * (K + 1);
    double delta = (double)levels / (2.0 * (double)(levels - 1));
    sens v;
    st = sens_setup(&v, sc, &oo, n);
    double *grid = tri_calloc(n * K, sizeof(double));   /* positions in [0,1] */
    int *dir = tri_calloc(n, sizeof(int));               /* which parameter moved, +1/-1 */
    size_t *moved = tri_calloc(n, sizeof(size_t));
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    if (st == TR_OK && (!grid || !dir || !moved || !rng))
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
            v.d.x[i] = tri_param_quantile(&s->unc[i % K], 0.01 + 0.98 * grid[i]);
    }
    if (st == TR_OK)
        st = sens_run(&v, a, "morris");
    static const char *const cols[] = {"parameter", "mu", "mu_star", "sigma", "effects", "output"};
    static const int text[] = {1, 0, 0, 0, 0, 1};
    tr_table *t = st == TR_OK ? tri_tbl_new_cols("morris", 6, cols, text) : NULL;
    int ok = t != NULL;
    double *ee = tri_calloc(R + 1, sizeof *ee), *abse = tri_calloc(R + 1, sizeof *abse);
    for (size_t k = 0; st == TR_OK && ok && ee && abse && k < K; k++) {
        size_t m = 0;
        for (size_t r = 0; r < R; r++)
            for (size_t j = 1; j <= K; j++) {
                size_t i = r * (K + 1) + j;
                if (moved[i] != k)
                    continue;
                const tri_runres *y1 = &v.p.res[i], *y0 = &v.p.res[i - 1];
                if (!y1->tot || !y0->tot)
                    continue;
                ee[m] = (y1->tot[v.oi] - y0->tot[v.oi]) / (dir[i] * delta);
                abse[m] = fabs(ee[m]);
                m++;
            }
        long r = tri_tbl_row(t);
        ok = r >= 0 && tri_tbl_txt(t, r, 0, s->unc[k].id) && tri_tbl_txt(t, r, 5, v.outname);
        if (!ok)
            break;
        tri_tbl_num(t, r, 4, (double)m);
        if (m) {
            tri_tbl_num(t, r, 1, gsl_stats_mean(ee, 1, m));
            tri_tbl_num(t, r, 2, gsl_stats_mean(abse, 1, m));
            tri_tbl_num(t, r, 3, m > 1 ? gsl_stats_sd(ee, 1, m) : 0);
        }
    }
    if (st == TR_OK && (!ok || !ee || !abse || !tri_an_add(a, t)))
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
    else if (st != TR_OK)
        tri_tbl_free(t);
    if (st == TR_OK)
        st = tri_failures_add(&v.p, a, NULL, NULL);
    tri_free(ee);
    tri_free(abse);
    tri_free(grid);
    tri_free(dir);
    tri_free(moved);
    if (rng)
        gsl_rng_free(rng);
    sens_free(&v);
    return tri_an_finish(out, st);
}

