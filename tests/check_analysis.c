/* Analyses: static MACC against hand-computed costs of conserved energy,
 * model MACC steps against finite differences, Monte Carlo percentiles of a
 * known distribution, byte-identical results with 1 and 2 threads, fronts,
 * sweeps, tornado, Morris, progress and cancellation. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fixtures.h"

#define NEAR(a, b, rel) \
    ck_assert_msg(fabs((double)(a) - (double)(b)) <= (rel) * fmax(1.0, fabs((double)(b))), "%s = %.12g, expected %.12g", #a, (double)(a), (double)(b))

static const double S3 = 1 + 1 / 1.1 + 1 / 1.21;   /* sum of discount factors, r = 10 %, 3 years */

static char buf[16384];

/* one plant 1000 t, 1 MWh/t at 100 USD, 1 tCO2/MWh, r = 10 %, 2020-2022 */
static const char *tiny(const char *techs, const char *extra)
{
    snprintf(buf, sizeof buf,
             "format: techroad/1\nname: t\nhorizon: {start: 2020, end: 2022}\ndiscount_rate: 0.1\n"
             "species: {CO2: {unit: t}}\n"
             "carriers: {electricity: {unit: MWh, energy_content: 3.6, price: 100, emission_factors: {CO2: 1}}}\n"
             "plants: {p: {capacity: 1000, production: 1000, intensity: {electricity: 1}}}\n"
             "technologies:\n%s%s",
             techs, extra ? extra : "");
    return buf;
}

static const char *T_A = "  a: {effects: {electricity: -0.2}, capex: 30, lifetime: 10, hurdle_rate: 0, max_uptake: 0.5}\n";
static const char *T_B = "  b: {effects: {electricity: -0.1}, capex: 100, lifetime: 10, hurdle_rate: 0}\n";
static const char *T_X = "  x: {effects: {electricity: -0.2}, capex: 300, lifetime: 10, hurdle_rate: 0, max_uptake: 0.5}\n";

static long row_of(const tr_table *t, size_t col, const char *text)
{
    for (size_t r = 0; r < tr_table_row_count(t); r++)
        if (!strcmp(tr_table_text(t, r, col), text))
            return (long)r;
    return -1;
}

static size_t col_of(const tr_table *t, const char *name)
{
    for (size_t c = 0; c < tr_table_col_count(t); c++)
        if (!strcmp(tr_table_col_name(t, c), name))
            return c;
    ck_abort_msg("no column %s in %s", name, tr_table_name(t));
    return 0;
}

/* a: 3 USD/yr per t/yr (capex 30 x CRF 0.1), saves 0.2 MWh/t = 0.72 GJ/t:
 *    1,000 t/yr -> 3,000 USD/yr, 720 GJ, 200 t; CCE 4.1667 USD/GJ;
 *    (3,000 - 20,000) / 200 = -85 USD/t.
 * b: 10 USD/yr per t/yr, saves 0.1 MWh/t; after a, only 80 % of the
 *    electricity is left: 80 MWh = 288 GJ, 80 t; CCE 10,000/288 = 34.72;
 *    (10,000 - 8,000) / 80 = 25 USD/t. */
START_TEST(measure_macc_by_hand)
{
    char techs[1024];
    snprintf(techs, sizeof techs, "%s%s", T_A, T_B);
    tr_scenario *sc = fx_load_text(tiny(techs, NULL));
    tr_analysis *a = NULL;
    ck_assert_int_eq(tr_analysis_macc_measures(sc, 2020, "CO2", &a), TR_OK);
    const tr_table *t = tr_analysis_find(a, "measure_macc");
    ck_assert_ptr_nonnull(t);
    ck_assert_uint_eq(tr_table_row_count(t), 2);
    ck_assert_str_eq(tr_table_text(t, 0, col_of(t, "technology")), "a");
    NEAR(tr_table_num(t, 0, col_of(t, "annualised_cost")), 3000, 1e-12);
    NEAR(tr_table_num(t, 0, col_of(t, "energy_saved_gj")), 720, 1e-12);
    NEAR(tr_table_num(t, 0, col_of(t, "cost_of_conserved_energy")), 3000.0 / 720, 1e-12);
    NEAR(tr_table_num(t, 0, col_of(t, "cost_per_unit_avoided")), -85, 1e-12);
    NEAR(tr_table_num(t, 1, col_of(t, "energy_saved_gj")), 288, 1e-12);
    NEAR(tr_table_num(t, 1, col_of(t, "avoided")), 80, 1e-12);
    NEAR(tr_table_num(t, 1, col_of(t, "cost_of_conserved_energy")), 10000.0 / 288, 1e-12);
    NEAR(tr_table_num(t, 1, col_of(t, "cost_per_unit_avoided")), 25, 1e-12);
    NEAR(tr_table_num(t, 1, col_of(t, "cumulative_avoided")), 280, 1e-12);
    tr_analysis_free(a);
    /* exclusive group: only the better member counts */
    char g[1024];
    snprintf(g, sizeof g,
             "  a: {group: g, effects: {electricity: -0.2}, capex: 30, lifetime: 10, hurdle_rate: 0}\n"
             "  b: {group: g, effects: {electricity: -0.1}, capex: 100, lifetime: 10, hurdle_rate: 0}\n");
    tr_scenario *sg = fx_load_text(tiny(g, NULL));
    ck_assert_int_eq(tr_analysis_macc_measures(sg, 2020, "CO2", &a), TR_OK);
    t = tr_analysis_find(a, "measure_macc");
    long rb = row_of(t, col_of(t, "technology"), "b");
    ck_assert_ptr_nonnull(strstr(tr_table_text(t, (size_t)rb, col_of(t, "note")), "exclusive group"));
    tr_analysis_free(a);
    tr_scenario_free(sg);
    ck_assert_int_eq(tr_analysis_macc_measures(sc, 2040, "CO2", &a), TR_E_INVAL);
    ck_assert_int_eq(tr_analysis_macc_measures(sc, 2020, "SO2", &a), TR_E_NOTFOUND);
    tr_scenario_free(sc);
}
END_TEST

static double npv_with_cap(double cap)
{
    char pol[256];
    snprintf(pol, sizeof pol, "policies: {c: {type: cap, indicator: emissions.CO2, limit: %.17g, years: [2022, 2022]}}\n",
             cap);
    tr_scenario *sc = fx_load_text(tiny(T_X, pol));
    tr_result *r = fx_solve(sc);
    ck_assert_int_eq(tr_result_status(r), TR_SOL_OPTIMAL);
    double v = tr_result_npv(r);
    tr_result_free(r);
    tr_scenario_free(sc);
    return v;
}

/* The cap on 2022's CO2 goes from 1,000 t (no measure pays) to 800 t (the
 * most the diffusion limit allows) in 4 steps. Each step's cost per tonne
 * equals the NPV difference of two independent solves with that cap, and
 * the shadow price: 50 USD/t while 2022 installations suffice (to 900 t),
 * 105 USD/t beyond (installing a year earlier). */
START_TEST(model_macc_matches_finite_differences)
{
    tr_scenario *sc = fx_load_text(tiny(T_X, NULL));
    tr_analysis *a = NULL;
    ck_assert_int_eq(tr_analysis_macc_model(sc, 2022, "CO2", 4, NULL, &a), TR_OK);
    const tr_table *t = tr_analysis_find(a, "model_macc");
    ck_assert_uint_eq(tr_table_row_count(t), 5);
    size_t cc = col_of(t, "cap"), ca = col_of(t, "abatement"), cs = col_of(t, "step_cost"), cp = col_of(t, "shadow_price");
    NEAR(tr_table_num(t, 0, cc), 1000, 1e-9);
    NEAR(tr_table_num(t, 4, cc), 800, 1e-9);
    NEAR(tr_table_num(t, 4, ca), 200, 1e-9);
    for (size_t i = 1; i <= 4; i++) {
        double c1 = tr_table_num(t, i - 1, cc), c2 = tr_table_num(t, i, cc);
        double fd = (npv_with_cap(c2) - npv_with_cap(c1)) / (c1 - c2) * 1.21;
        NEAR(tr_table_num(t, i, cs), fd, 1e-7);
    }
    NEAR(tr_table_num(t, 1, cs), 50, 1e-7);
    NEAR(tr_table_num(t, 4, cs), 105, 1e-7);
    NEAR(tr_table_num(t, 1, cp), 50, 1e-7);
    tr_analysis_free(a);
    tr_scenario_free(sc);
}
END_TEST

static const char *MC_UNC = "uncertainty:\n  samples: 2000\n  seed: 11\n  method: lhs\n  parameters:\n"
                            "    price: {path: carriers.electricity.price, distribution: normal, mean: 100, sd: 10}\n";

/* With the measure never worth it, NPV = price x 1,000 MWh x sum of df:
 * mean 100 x 1000 x S3, sd 10 x 1000 x S3, quantiles of the normal. */
START_TEST(montecarlo_known_distribution)
{
    tr_scenario *sc = fx_load_text(tiny("  x: {effects: {electricity: -0.2}, capex: 30000, lifetime: 10}\n", MC_UNC));
    tr_analysis_opts o;
    tr_analysis_opts_init(&o);
    o.threads = 2;
    tr_analysis *a = NULL;
    ck_assert_int_eq(tr_analysis_montecarlo(sc, &o, &a), TR_OK);
    ck_assert_uint_eq(tr_analysis_runs_done(a), 2000);
    const tr_table *t = tr_analysis_find(a, "totals");
    long r = row_of(t, 0, "npv");
    ck_assert_int_ge(r, 0);
    double mean = 100000 * S3, sd = 10000 * S3;
    NEAR(tr_table_num(t, (size_t)r, col_of(t, "mean")), mean, 2e-4);
    NEAR(tr_table_num(t, (size_t)r, col_of(t, "sd")), sd, 2e-2);
    NEAR(tr_table_num(t, (size_t)r, col_of(t, "p50")), mean, 1e-3);
    NEAR(tr_table_num(t, (size_t)r, col_of(t, "p95")), mean + 1.6448536 * sd, 2e-3);
    NEAR(tr_table_num(t, (size_t)r, col_of(t, "p5")), mean - 1.6448536 * sd, 2e-3);
    const tr_table *g = tr_analysis_find(a, "targets");
    NEAR(tr_table_num(g, 0, 1), 1.0, 0);
    const tr_table *ad = tr_analysis_find(a, "adoption");
    NEAR(tr_table_num(ad, 0, 1), 0.0, 0);
    tr_analysis_free(a);
    tr_scenario_free(sc);
}
END_TEST

static char *all_csv(const tr_analysis *a)
{
    size_t cap = 1 << 16, len = 0;
    char *s = malloc(cap);
    s[0] = '\0';
    for (size_t i = 0; i < tr_analysis_table_count(a); i++) {
        char *c = NULL;
        ck_assert_int_eq(tr_table_write_string(tr_analysis_table(a, i), TR_FMT_CSV, &c), TR_OK);
        size_t n = strlen(c);
        while (len + n + 1 > cap)
            s = realloc(s, cap *= 2);
        memcpy(s + len, c, n + 1);
        len += n;
        tr_string_free(c);
    }
    return s;
}

/* Same seed, same bytes, with 1 and 2 threads, on a scenario where
 * adoption, a target and correlated parameters all vary. */
START_TEST(montecarlo_same_bytes_any_threads)
{
    const char *unc = "policies: {cap: {type: cap, indicator: emissions.CO2, limit: 850, years: [2022, 2022]}}\n"
                      "uncertainty:\n  samples: 60\n  seed: 5\n  parameters:\n"
                      "    price: {path: carriers.electricity.price, distribution: lognormal, median: 100, sigma: 0.3}\n"
                      "    capex: {path: technologies.a.capex, mode: scale, distribution: triangular, low: 0.5,"
                      " mode_value: 1, high: 12}\n"
                      "    lim: {path: policies.cap.limit, distribution: empirical, values: [780, 850, 900]}\n"
                      "    rate: {path: technologies.a.max_uptake, distribution: beta, a: 2, b: 2, low: 0.2, high: 0.6}\n"
                      "  correlation: [[price, capex, -0.4]]\n";
    tr_scenario *sc = fx_load_text(tiny(T_A, unc));
    char *out[3];
    for (int k = 0; k < 3; k++) {
        tr_analysis_opts o;
        tr_analysis_opts_init(&o);
        o.threads = k == 0 ? 1 : 2;
        o.keep_samples = 1;
        tr_analysis *a = NULL;
        ck_assert_int_eq(tr_analysis_montecarlo(sc, &o, &a), TR_OK);
        out[k] = all_csv(a);
        if (k == 2) {
            /* some runs are infeasible (cap 780 t) and the target's probability says so */
            const tr_table *g = tr_analysis_find(a, "targets");
            long r = row_of(g, 0, "cap");
            ck_assert_int_ge(r, 0);
            double pm = tr_table_num(g, (size_t)r, 1);
            ck_assert_msg(pm > 0.3 && pm < 1.0, "probability met %g", pm);
        }
        tr_analysis_free(a);
    }
    ck_assert_msg(strcmp(out[0], out[1]) == 0, "1 and 2 threads differ");
    ck_assert_msg(strcmp(out[1], out[2]) == 0, "two runs with 2 threads differ");
    for (int k = 0; k < 3; k++)
        free(out[k]);
    /* warm-started runs agree with runs from scratch */
    tr_analysis_opts o;
    tr_analysis_opts_init(&o);
    o.threads = 1;
    tr_analysis *w = NULL, *c = NULL;
    ck_assert_int_eq(tr_analysis_montecarlo(sc, &o, &w), TR_OK);
    o.warm = 0;
    ck_assert_int_eq(tr_analysis_montecarlo(sc, &o, &c), TR_OK);
    const tr_table *tw = tr_analysis_find(w, "totals"), *tc = tr_analysis_find(c, "totals");
    long r = row_of(tw, 0, "npv");
    for (size_t col = 1; col < tr_table_col_count(tw); col++)
        NEAR(tr_table_num(tw, (size_t)r, col), tr_table_num(tc, (size_t)r, col), 1e-7);
    tr_analysis_free(w);
    tr_analysis_free(c);
    tr_scenario_free(sc);
}
END_TEST

/* A Monte Carlo run in parts (first/count) and merged gives the tables of
 * one run, to the byte; a missing or repeated sample is an error. */
START_TEST(montecarlo_parts_merge)
{
    const char *unc = "policies: {cap: {type: cap, indicator: emissions.CO2, limit: 850, years: [2022, 2022]}}\n"
                      "uncertainty:\n  samples: 50\n  seed: 9\n  parameters:\n"
                      "    price: {path: carriers.electricity.price, distribution: lognormal, median: 100, sigma: 0.3}\n"
                      "    lim: {path: policies.cap.limit, distribution: empirical, values: [780, 850, 900]}\n";
    tr_scenario *sc = fx_load_text(tiny(T_A, unc));
    tr_analysis_opts o;
    tr_analysis_opts_init(&o);
    o.threads = 2;
    o.keep_samples = 1;
    tr_analysis *whole = NULL;
    ck_assert_int_eq(tr_analysis_montecarlo(sc, &o, &whole), TR_OK);
    char *ref = all_csv(whole);
    tr_analysis_free(whole);
    /* three parts, the last first */
    static const long cut[][2] = {{35, 15}, {0, 20}, {20, 15}};
    long sample[50];
    const char *status[50], *failed[50];
    double *values = NULL;
    const char **names = NULL;
    size_t ncols = 0, nr = 0;
    tr_analysis *parts[3];
    for (int k = 0; k < 3; k++) {
        o.first = cut[k][0];
        o.count = cut[k][1];
        ck_assert_int_eq(tr_analysis_montecarlo(sc, &o, &parts[k]), TR_OK);
        const tr_table *t = tr_analysis_find(parts[k], "runs");
        ck_assert_ptr_nonnull(t);
        ck_assert_ptr_null(tr_analysis_find(parts[k], "percentiles"));
        ck_assert_uint_eq(tr_table_row_count(t), (size_t)cut[k][1]);
        if (!names) {
            ncols = tr_table_col_count(t) - 3;
            names = malloc(ncols * sizeof *names);
            values = malloc(50 * ncols * sizeof *values);
            for (size_t c = 0; c < ncols; c++)
                names[c] = tr_table_col_name(t, c + 3);
            ck_assert_str_eq(names[0], "t:npv");
        }
        for (size_t r = 0; r < tr_table_row_count(t); r++, nr++) {
            sample[nr] = (long)tr_table_num(t, r, 0);
            status[nr] = tr_table_text(t, r, 1);
            failed[nr] = tr_table_text(t, r, 2);
            for (size_t c = 0; c < ncols; c++)
                values[nr * ncols + c] = tr_table_num(t, r, c + 3);
        }
    }
    ck_assert_uint_eq(nr, 50);
    o.first = o.count = 0;
    tr_analysis *m = NULL;
    ck_assert_int_eq(tr_analysis_montecarlo_merge(sc, &o, nr, sample, status, failed, ncols, names, values, &m),
                     TR_OK);
    char *got = all_csv(m);
    ck_assert_msg(strcmp(ref, got) == 0, "merged parts differ from one run");
    ck_assert_uint_eq(tr_analysis_runs_done(m), 50);
    tr_analysis_free(m);
    /* a sample missing, a sample twice */
    ck_assert_int_eq(tr_analysis_montecarlo_merge(sc, &o, nr - 1, sample, status, failed, ncols, names, values, &m),
                     TR_E_INVAL);
    ck_assert_ptr_nonnull(strstr(tr_last_error(), "is missing"));
    long keep1 = sample[1];
    sample[1] = sample[0];
    ck_assert_int_eq(tr_analysis_montecarlo_merge(sc, &o, nr, sample, status, failed, ncols, names, values, &m),
                     TR_E_INVAL);
    ck_assert_ptr_nonnull(strstr(tr_last_error(), "given twice"));
    ck_assert_ptr_null(m);
    sample[1] = keep1;
    /* an unknown status, a series column out of its place, NULL arrays */
    const char *keep_status = status[3];
    status[3] = "solved";
    ck_assert_int_eq(tr_analysis_montecarlo_merge(sc, &o, nr, sample, status, failed, ncols, names, values, &m),
                     TR_E_INVAL);
    ck_assert_msg(strstr(tr_last_error(), "unknown status \"solved\""), "%s", tr_last_error());
    status[3] = keep_status;
    const char *keep_name = names[ncols - 1];
    names[ncols - 1] = names[ncols - 2];   /* two columns for the same year */
    ck_assert_int_eq(tr_analysis_montecarlo_merge(sc, &o, nr, sample, status, failed, ncols, names, values, &m),
                     TR_E_INVAL);
    ck_assert_msg(strstr(tr_last_error(), "expected \"s:NAME@"), "%s", tr_last_error());
    names[ncols - 1] = keep_name;
    ck_assert_int_eq(tr_analysis_montecarlo_merge(sc, &o, nr, NULL, status, failed, ncols, names, values, &m),
                     TR_E_INVAL);
    /* and, restored, they merge again */
    ck_assert_int_eq(tr_analysis_montecarlo_merge(sc, &o, nr, sample, status, failed, ncols, names, values, &m),
                     TR_OK);
    tr_analysis_free(m);
    m = NULL;
    /* a range outside the samples */
    o.first = 45;
    o.count = 10;
    ck_assert_int_eq(tr_analysis_montecarlo(sc, &o, &m), TR_E_INVAL);
    for (int k = 0; k < 3; k++)
        tr_analysis_free(parts[k]);
    free(names);
    free(values);
    free(ref);
    free(got);
    tr_scenario_free(sc);
}
END_TEST

/* The front between cost and cumulative CO2: every point non-dominated,
 * the ends are the two single-objective optima (cost: no measure, 3,000 t;
 * CO2: as much as diffusion allows, 900 + 800 + 800 = 2,500 t). */
START_TEST(front_ends_and_dominance)
{
    tr_scenario *sc = fx_load_text(tiny(T_X, NULL));
    tr_analysis *a = NULL;
    ck_assert_int_eq(tr_analysis_pareto(sc, "npv", "emissions.CO2", 6, NULL, &a), TR_OK);
    const tr_table *t = tr_analysis_find(a, "front");
    ck_assert_uint_eq(tr_table_row_count(t), 6);
    size_t cx = col_of(t, "npv"), cy = col_of(t, "emissions.CO2"), cd = col_of(t, "dominated");
    NEAR(tr_table_num(t, 0, cx), 100000 * S3, 1e-9);
    NEAR(tr_table_num(t, 0, cy), 3000, 1e-8);   /* lexicographic: x held within 1e-9 of its optimum */
    NEAR(tr_table_num(t, 5, cy), 2500, 1e-7);
    for (size_t i = 0; i < 6; i++) {
        NEAR(tr_table_num(t, i, cd), 0, 0);
        if (i)
            ck_assert(tr_table_num(t, i, cx) >= tr_table_num(t, i - 1, cx) - 1e-6 &&
                      tr_table_num(t, i, cy) <= tr_table_num(t, i - 1, cy) + 1e-6);
    }
    tr_analysis_free(a);
    /* the cost end equals the plain solve */
    tr_result *r = fx_solve(sc);
    ck_assert_int_eq(tr_analysis_pareto(sc, "npv", "emissions.CO2", 2, NULL, &a), TR_OK);
    NEAR(tr_table_num(tr_analysis_find(a, "front"), 0, 1), tr_result_npv(r), 1e-9);
    tr_analysis_free(a);
    tr_result_free(r);
    ck_assert_int_eq(tr_analysis_pareto(sc, "npv", "emissions.SO2", 3, NULL, &a), TR_E_NOTFOUND);
    tr_scenario_free(sc);
}
END_TEST

START_TEST(sweep_matches_single_solves)
{
    tr_scenario *sc = fx_load_text(tiny(T_A, NULL));
    double v[] = {50, 100, 150};
    tr_analysis *a = NULL;
    ck_assert_int_eq(tr_analysis_sweep(sc, "carriers.electricity.price", v, 3, 0, NULL, NULL, 0, 0, NULL, &a), TR_OK);
    const tr_table *t = tr_analysis_find(a, "sweep");
    ck_assert_uint_eq(tr_table_row_count(t), 3);
    for (size_t i = 0; i < 3; i++) {
        tr_scenario *c = NULL;
        ck_assert_int_eq(tr_scenario_copy(sc, &c), TR_OK);
        char val[64];
        snprintf(val, sizeof val, "%g", v[i]);
        ck_assert_int_eq(tr_scenario_set(c, "carriers.electricity.price", val), TR_OK);
        tr_result *r = fx_solve(c);
        NEAR(tr_table_num(t, i, col_of(t, "npv")), tr_result_npv(r), 1e-9);
        NEAR(tr_table_num(t, i, 0), v[i], 0);
        tr_result_free(r);
        tr_scenario_free(c);
    }
    tr_analysis_free(a);
    /* two parameters: a 3 x 2 grid, the second scaling capex */
    double w[] = {1, 20};
    ck_assert_int_eq(tr_analysis_sweep(sc, "carriers.electricity.price", v, 3, 0, "technologies.a.capex", w, 2, 1, NULL, &a),
                     TR_OK);
    ck_assert_uint_eq(tr_table_row_count(tr_analysis_find(a, "sweep")), 6);
    tr_analysis_free(a);
    ck_assert_int_eq(tr_analysis_sweep(sc, "carriers.nothing.price", v, 3, 0, NULL, NULL, 0, 0, NULL, &a), TR_E_NOTFOUND);
    tr_scenario_free(sc);
}
END_TEST

/* Morris on the Viet Nam uncertainty case: the same bytes with 1 and 2
 * threads and in repeated runs. Its grid-emission-factor parameter changes
 * matrix rows; a worker's model updated run after run in place used to
 * carry the previous runs' element order into GLPK, and sigma's last digit
 * ("175823.61646" or "175823.616461") depended on which thread ran what. */
START_TEST(morris_same_bytes_any_threads)
{
    tr_scenario *sc = fx_load_file("vn-eaf/uncertainty.yaml");
    char *out[4];
    for (int k = 0; k < 4; k++) {
        tr_analysis_opts o;
        tr_analysis_opts_init(&o);
        o.threads = k == 0 ? 1 : 2;
        tr_analysis *a = NULL;
        ck_assert_int_eq(tr_analysis_morris(sc, 4, 4, &o, &a), TR_OK);
        out[k] = all_csv(a);
        tr_analysis_free(a);
    }
    for (int k = 1; k < 4; k++)
        ck_assert_msg(strcmp(out[0], out[k]) == 0, "1 thread and run %d with 2 threads differ:\n%s\n%s", k, out[0],
                      out[k]);
    for (int k = 0; k < 4; k++)
        free(out[k]);
    tr_scenario_free(sc);
}
END_TEST

/* price matters, the unused measure's capex does not */
START_TEST(tornado_and_morris)
{
    const char *unc = "uncertainty:\n  seed: 3\n  parameters:\n"
                      "    price: {path: carriers.electricity.price, distribution: uniform, low: 80, high: 120}\n"
                      "    dud: {path: technologies.x.capex, mode: scale, distribution: uniform, low: 0.9, high: 1.1}\n";
    tr_scenario *sc = fx_load_text(tiny("  x: {effects: {electricity: -0.2}, capex: 30000, lifetime: 10}\n", unc));
    tr_analysis *a = NULL;
    ck_assert_int_eq(tr_analysis_tornado(sc, NULL, &a), TR_OK);
    const tr_table *t = tr_analysis_find(a, "tornado");
    ck_assert_str_eq(tr_table_text(t, 0, 0), "price");
    /* 5th and 95th percentiles of U(80,120): 82 and 118 */
    NEAR(tr_table_num(t, 0, col_of(t, "swing")), 36 * 1000 * S3, 1e-9);
    NEAR(tr_table_num(t, 1, col_of(t, "swing")), 0, 0);
    tr_analysis_free(a);
    ck_assert_int_eq(tr_analysis_morris(sc, 5, 4, NULL, &a), TR_OK);
    t = tr_analysis_find(a, "morris");
    long rp = row_of(t, 0, "price"), rd = row_of(t, 0, "dud");
    /* NPV is linear in price: every elementary effect is the same, sigma 0 */
    ck_assert(tr_table_num(t, (size_t)rp, col_of(t, "mu_star")) > 0);
    NEAR(tr_table_num(t, (size_t)rp, col_of(t, "sigma")), 0, 1e-6);
    NEAR(tr_table_num(t, (size_t)rd, col_of(t, "mu_star")), 0, 0);
    tr_analysis_free(a);
    tr_scenario_free(sc);
    /* no uncertainty section */
    sc = fx_load_file(TR_TEST_DATA "/tiny.yaml");
    ck_assert_int_eq(tr_analysis_montecarlo(sc, NULL, &a), TR_E_INVAL);
    ck_assert_ptr_nonnull(strstr(tr_last_error(), "uncertainty"));
    ck_assert_int_eq(tr_analysis_tornado(sc, NULL, &a), TR_E_INVAL);
    tr_scenario_free(sc);
}
END_TEST

static int calls;
static int cancel_at_first(size_t done, size_t total, void *ud)
{
    (void)done;
    (void)total;
    (void)ud;
    calls++;
    return 1;
}

START_TEST(progress_and_cancel)
{
    tr_scenario *sc = fx_load_text(tiny(T_A, MC_UNC));
    tr_analysis_opts o;
    tr_analysis_opts_init(&o);
    o.threads = 1;
    o.progress = cancel_at_first;
    calls = 0;
    tr_analysis *a = NULL;
    ck_assert_int_eq(tr_analysis_montecarlo(sc, &o, &a), TR_OK);
    ck_assert_int_ge(calls, 1);
    ck_assert_int_eq(tr_analysis_cancelled(a), 1);
    ck_assert_uint_lt(tr_analysis_runs_done(a), 2000);
    ck_assert_uint_eq(tr_analysis_runs_total(a), 2000);
    /* partial results are kept: the totals table counts the runs done */
    const tr_table *t = tr_analysis_find(a, "totals");
    ck_assert_ptr_nonnull(t);
    NEAR(tr_table_num(t, 0, 1), (double)tr_analysis_runs_done(a), 0);
    tr_analysis_free(a);
    tr_scenario_free(sc);
}
END_TEST

/* Issue 17 item 7: the memory an analysis needs is estimated before anything
 * large is drawn or allocated, and a cancel is seen while samples are drawn. */
START_TEST(analysis_memory_refused_and_draw_cancelled)
{
    tr_scenario *sc = fx_load_text(tiny(T_A, MC_UNC));
    tr_analysis_opts o;
    tr_analysis_opts_init(&o);
    o.threads = 1;
    o.samples = 100000000;   /* the CLI's maximum: results of 1e8 runs fit no machine's memory */
    tr_analysis *a = NULL;
    ck_assert_int_eq(tr_analysis_montecarlo(sc, &o, &a), TR_E_INVAL);
    ck_assert_ptr_null(a);
    ck_assert_msg(strstr(tr_last_error(), "montecarlo: 100000000 runs need about") &&
                      strstr(tr_last_error(), "GB of memory"),
                  "%s", tr_last_error());
    /* a part is checked against the results of its own runs: all 1e8 */
    o.first = 0;
    o.count = 100000000;
    ck_assert_int_eq(tr_analysis_montecarlo(sc, &o, &a), TR_E_INVAL);
    o.count = 0;
    /* a sweep of 1e5 x 1e5 values: 1e10 runs, refused the same way (it
     * said "out of memory" from calloc) */
    size_t nv = 100000;
    double *v = calloc(nv, sizeof *v);
    for (size_t i = 0; i < nv; i++)
        v[i] = 90 + (double)i * 1e-4;
    ck_assert_int_eq(tr_analysis_sweep(sc, "carriers.electricity.price", v, nv, 0, "carriers.electricity.price", v,
                                       nv, 0, &o, &a),
                     TR_E_INVAL);
    ck_assert_msg(strstr(tr_last_error(), "sweep: 10000000000 runs need about"), "%s", tr_last_error());
    free(v);
    /* 2e6 samples fit; a cancel while they are drawn returns at once */
    o.samples = 2000000;
    o.progress = cancel_at_first;
    calls = 0;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    ck_assert_int_eq(tr_analysis_montecarlo(sc, &o, &a), TR_E_STATE);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    ck_assert_ptr_null(a);
    ck_assert_msg(strstr(tr_last_error(), "cancelled while the samples were being drawn"), "%s", tr_last_error());
    ck_assert_int_eq(calls, 1);
    double dt = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
    ck_assert_msg(dt < 5, "cancelled draw returned after %.2f s", dt);
    tr_scenario_free(sc);
}
END_TEST

/* Issue 17 item 11: runs whose drawn values the scenario rejects are counted
 * by reason in the table "failures" (it said nothing, and "0 over 10 runs"
 * looked like infeasible). Every run failing: an integer drawn as a real;
 * some failing: a capex drawn below 0 in the runs the samples table shows. */
START_TEST(montecarlo_failed_runs_say_why)
{
    tr_scenario *sc = fx_load_text(tiny(T_A, "uncertainty:\n  samples: 12\n  seed: 5\n  parameters:\n"
                                             "    life: {path: technologies.a.lifetime, distribution: uniform, low: 1, "
                                             "high: 20}\n"));
    tr_analysis_opts o;
    tr_analysis_opts_init(&o);
    o.threads = 2;
    tr_analysis *a = NULL;
    ck_assert_int_eq(tr_analysis_montecarlo(sc, &o, &a), TR_OK);
    const tr_table *f = tr_analysis_find(a, "failures");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(tr_table_row_count(f), 1);
    ck_assert_str_eq(tr_table_text(f, 0, 0), "technologies.a.lifetime: expected an integer from 1 to 1000");
    NEAR(tr_table_num(f, 0, col_of(f, "runs")), 12, 0);
    NEAR(tr_table_num(f, 0, col_of(f, "first_run")), 0, 0);
    ck_assert_ptr_nonnull(strstr(tr_table_text(f, 0, col_of(f, "first_message")), ", got \""));
    tr_analysis_free(a);
    /* tornado runs fail the same way and say so */
    ck_assert_int_eq(tr_analysis_tornado(sc, &o, &a), TR_OK);
    f = tr_analysis_find(a, "failures");
    ck_assert_ptr_nonnull(f);
    NEAR(tr_table_num(f, 0, col_of(f, "runs")), 3, 0);   /* median, 5th, 95th percentile */
    tr_analysis_free(a);
    tr_scenario_free(sc);

    sc = fx_load_text(tiny(T_A, "uncertainty:\n  samples: 40\n  seed: 1\n  parameters:\n"
                                "    cap: {path: technologies.a.capex, distribution: normal, mean: 10, sd: 20}\n"));
    o.keep_samples = 1;
    ck_assert_int_eq(tr_analysis_montecarlo(sc, &o, &a), TR_OK);
    const tr_table *sm = tr_analysis_find(a, "samples");
    size_t neg = 0, firstneg = 1000;
    for (size_t r = 0; r < tr_table_row_count(sm); r++)
        if (tr_table_num(sm, r, col_of(sm, "cap")) < 0) {
            ck_assert_str_eq(tr_table_text(sm, r, 1), "failed");
            firstneg = neg++ ? firstneg : (size_t)tr_table_num(sm, r, 0);
        }
    ck_assert_uint_gt(neg, 0);
    ck_assert_uint_lt(neg, 40);
    f = tr_analysis_find(a, "failures");
    ck_assert_uint_eq(tr_table_row_count(f), 1);
    ck_assert_str_eq(tr_table_text(f, 0, 0), "technologies.a.capex: expected a capex >= 0 (money per t/yr)");
    NEAR(tr_table_num(f, 0, 1), (double)neg, 0);
    NEAR(tr_table_num(f, 0, 2), (double)firstneg, 0);
    /* the runs that did not fail are the percentiles' runs */
    const tr_table *tt = tr_analysis_find(a, "totals");
    NEAR(tr_table_num(tt, (size_t)row_of(tt, 0, "npv"), 1), 40.0 - (double)neg, 0);
    tr_analysis_free(a);
    /* no failure: no table */
    o.samples = 3;
    tr_scenario_free(sc);
    sc = fx_load_text(tiny(T_A, MC_UNC));
    ck_assert_int_eq(tr_analysis_montecarlo(sc, &o, &a), TR_OK);
    ck_assert_ptr_null(tr_analysis_find(a, "failures"));
    tr_analysis_free(a);
    tr_scenario_free(sc);
}
END_TEST

/* Issue 17 item 15: a sweep value that is not a finite number is the
 * caller's fault: the message names the values, not the scenario file (it
 * said "FILE:12:12: ... got \"-nan\""), in either swept parameter. */
START_TEST(sweep_non_finite_values_blame_the_argument)
{
    tr_scenario *sc = fx_load_text(tiny(T_A, NULL));
    tr_analysis *a = NULL;
    double v1[] = {50, NAN}, v2[] = {1, 2, -INFINITY}, ok[] = {50, 100};
    ck_assert_int_eq(tr_analysis_sweep(sc, "carriers.electricity.price", v1, 2, 0, NULL, NULL, 0, 0, NULL, &a),
                     TR_E_INVAL);
    ck_assert_ptr_null(a);
    ck_assert_str_eq(tr_last_error(), "sweep: values for carriers.electricity.price: value 2 of 2 is nan; expected "
                                      "finite numbers");
    ck_assert_int_eq(tr_analysis_sweep(sc, "carriers.electricity.price", ok, 2, 0, "technologies.a.capex", v2, 3, 1,
                                       NULL, &a),
                     TR_E_INVAL);
    ck_assert_str_eq(tr_last_error(),
                     "sweep: values for technologies.a.capex: value 3 of 3 is -inf; expected finite numbers");
    tr_scenario_free(sc);
}
END_TEST

/* Issue 17 item 10: an uncertain parameter or a swept path on a text field
 * (name, currency) was drawn, listed in the samples and changed nothing. A
 * value must replace a number or a series, a scale multiply numbers only:
 * anything else is bad input that names the path. */
START_TEST(uncertain_and_swept_paths_must_be_numbers)
{
    static const struct {
        const char *param, *message;
    } bad[] = {
        {"    nm: {path: name, distribution: uniform, low: 1, high: 2}\n",
         "uncertainty.parameters.nm.path: \"name\" holds \"t\", not a number or a series of numbers; expected the "
         "path of one"},
        {"    cur: {path: currency, mode: scale, distribution: uniform, low: 1, high: 2}\n",
         "uncertainty.parameters.cur.path: \"currency\" holds \"USD\", not a number or a series of numbers (or a map "
         "of numbers); expected the path of one"},
        /* a map with a text in it (unit): not all numbers */
        {"    el: {path: carriers.electricity, mode: scale, distribution: uniform, low: 1, high: 2}\n",
         "\"carriers.electricity\" holds a map, not a number or a series of numbers (or a map of numbers)"},
        /* a map of numbers cannot be replaced by one number */
        {"    in: {path: plants.p.intensity, distribution: uniform, low: 1, high: 2}\n",
         "\"plants.p.intensity\" holds a map, not a number or a series of numbers;"},
    };
    static char text[20000];
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        snprintf(text, sizeof text, "%scurrency: USD\nuncertainty:\n  samples: 4\n  parameters:\n%s",
                 tiny(T_A, NULL), bad[i].param);
        tr_scenario *sc = (tr_scenario *)&sc;
        ck_assert_int_eq(tr_scenario_loads(text, NULL, "u.yaml", &sc), TR_E_INVAL);
        ck_assert_ptr_null(sc);
        ck_assert_msg(strstr(tr_last_error(), bad[i].message), "%zu: %s", i, tr_last_error());
    }
    /* a scale of a map of numbers (every intensity of p) is fine: the
     * electricity use, and so the cost, doubles at 2 */
    snprintf(text, sizeof text, "%suncertainty:\n  samples: 2\n  parameters:\n"
                                "    in: {path: plants.p.intensity, mode: scale, distribution: empirical, values: [2]}\n",
             tiny("  a: {effects: {electricity: -0.2}, capex: 1e9, lifetime: 10, hurdle_rate: 0}\n", NULL));
    tr_scenario *sc = fx_load_text(text);
    tr_analysis *a = NULL;
    ck_assert_int_eq(tr_analysis_montecarlo(sc, NULL, &a), TR_OK);
    const tr_table *tt = tr_analysis_find(a, "totals");
    NEAR(tr_table_num(tt, (size_t)row_of(tt, 0, "npv"), col_of(tt, "mean")), 2 * 1000 * 100 * S3, 1e-9);
    tr_analysis_free(a);
    tr_scenario_free(sc);
    /* sweeps: the same rule, the path in the message */
    sc = fx_load_text(tiny(T_A, "currency: USD\n"));
    double v[] = {1, 2};
    a = (tr_analysis *)&a;
    ck_assert_int_eq(tr_analysis_sweep(sc, "name", v, 2, 0, NULL, NULL, 0, 0, NULL, &a), TR_E_INVAL);
    ck_assert_ptr_null(a);
    ck_assert_str_eq(tr_last_error(), "name: holds \"t\", not a number or a series of numbers; expected the path of one");
    ck_assert_int_eq(tr_analysis_sweep(sc, "carriers.electricity.price", v, 2, 0, "currency", v, 2, 1, NULL, &a),
                     TR_E_INVAL);
    ck_assert_str_eq(tr_last_error(), "currency: holds \"USD\", not a number or a series of numbers (or a map of "
                                      "numbers); expected the path of one");
    ck_assert_int_eq(tr_analysis_sweep(sc, "horizon", v, 2, 0, NULL, NULL, 0, 0, NULL, &a), TR_E_INVAL);
    ck_assert_str_eq(tr_last_error(), "horizon: holds a map, not a number or a series of numbers; expected the path "
                                      "of one");
    tr_scenario_free(sc);
}
END_TEST

Suite *analysis_suite(void)
{
    Suite *s = suite_create("analysis");
    TCase *tc = tcase_create("analysis");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, measure_macc_by_hand);
    tcase_add_test(tc, model_macc_matches_finite_differences);
    tcase_add_test(tc, montecarlo_known_distribution);
    tcase_add_test(tc, montecarlo_same_bytes_any_threads);
    tcase_add_test(tc, montecarlo_parts_merge);
    tcase_add_test(tc, front_ends_and_dominance);
    tcase_add_test(tc, sweep_matches_single_solves);
    tcase_add_test(tc, tornado_and_morris);
    tcase_add_test(tc, morris_same_bytes_any_threads);
    tcase_add_test(tc, progress_and_cancel);
    tcase_add_test(tc, analysis_memory_refused_and_draw_cancelled);
    tcase_add_test(tc, montecarlo_failed_runs_say_why);
    tcase_add_test(tc, sweep_non_finite_values_blame_the_argument);
    tcase_add_test(tc, uncertain_and_swept_paths_must_be_numbers);
    suite_add_tcase(s, tc);
    return s;
}
