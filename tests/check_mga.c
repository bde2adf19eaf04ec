/* MGA (tr_analysis_mga): near-optimal ranges against min/max LPs solved by
 * hand, alternatives within the slack, slack 0, bad arguments, and the
 * shipped Viet Nam case against a cold re-solve of each range. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixtures.h"

#define NEAR(a, b, tol) \
    ck_assert_msg(fabs((double)(a) - (double)(b)) <= (tol), "%s = %.12g, expected %.12g", #a, (double)(a), (double)(b))

/* One plant, 1,000 t/yr, 1 MWh/t at 100 USD, one year (df = 1), so the
 * base NPV is 100,000. a and b are exclusive (group g: a + b <= 1000), c is
 * not (applicability 0.5: c <= 500). Each capital charge is capex x CRF(0,
 * 10) = capex / 10 per t/yr in the one year:
 *   a: saves 0.2 MWh/t = 20 USD, costs 3  -> net -17 per t/yr
 *   b: saves 0.1 MWh/t = 10 USD, costs 5  -> net  -5
 *   c: saves 0.05 MWh/t = 5 USD, costs 10 -> net  +5
 * NPV = 100,000 - 17 a - 5 b + 5 c; the optimum a = 1000, b = c = 0, NPV*
 * = 83,000 (unique). Within slack S: 17 a + 5 b - 5 c >= 17,000 - 83,000 S.
 *   min a: b = 1000 - a, c = 0: 12 a + 5,000 >= 17,000 - 83,000 S,
 *          a >= 1000 - 83,000 S / 12  (S = 1 %: 930.8333, share 0.9308333)
 *   max a: 1000; min b = min c = 0
 *   max b: the same bound on a with b = 1000 - a: 69.1667 (0.0691667)
 *   max c: a = 1000, 5 c <= 830: c = 166, share 166 / 500 = 0.332 */
static const char *TINY =
    "format: techroad/1\nname: t\nhorizon: {start: 2020, end: 2020}\ndiscount_rate: 0.1\n"
    "species: {CO2: {unit: t}}\n"
    "carriers: {electricity: {unit: MWh, energy_content: 3.6, price: 100, emission_factors: {CO2: 1}}}\n"
    "plants: {p: {capacity: 1000, production: 1000, intensity: {electricity: 1}}}\n"
    "technologies:\n"
    "  a: {group: g, effects: {electricity: -0.2}, capex: 30, lifetime: 10, hurdle_rate: 0, max_uptake: 1}\n"
    "  b: {group: g, effects: {electricity: -0.1}, capex: 50, lifetime: 10, hurdle_rate: 0, max_uptake: 1}\n"
    "  c: {effects: {electricity: -0.05}, capex: 100, lifetime: 10, hurdle_rate: 0, max_uptake: 1, "
    "applicability: 0.5}\n";

static size_t col_of(const tr_table *t, const char *name)
{
    for (size_t c = 0; c < tr_table_col_count(t); c++)
        if (!strcmp(tr_table_col_name(t, c), name))
            return c;
    ck_abort_msg("no column %s in %s", name, tr_table_name(t));
    return 0;
}

static long row_of(const tr_table *t, const char *tech)
{
    for (size_t r = 0; r < tr_table_row_count(t); r++)
        if (!strcmp(tr_table_text(t, r, 0), tech))
            return (long)r;
    ck_abort_msg("no row %s", tech);
    return -1;
}

static void check_range(const tr_table *t, const char *tech, double lo, double hi, double opt, const char *needed)
{
    long r = row_of(t, tech);
    NEAR(tr_table_num(t, (size_t)r, col_of(t, "min")), lo, 1e-7);
    NEAR(tr_table_num(t, (size_t)r, col_of(t, "max")), hi, 1e-7);
    NEAR(tr_table_num(t, (size_t)r, col_of(t, "optimum")), opt, 1e-9);
    ck_assert_str_eq(tr_table_text(t, (size_t)r, col_of(t, "needed")), needed);
}

START_TEST(ranges_by_hand)
{
    tr_scenario *sc = fx_load_text(TINY);
    tr_analysis *a = NULL;
    ck_assert_int_eq(tr_analysis_mga(sc, 0.01, 0, 0, NULL, &a), TR_OK);
    const tr_table *t = tr_analysis_find(a, "ranges");
    ck_assert_ptr_nonnull(t);
    ck_assert_uint_eq(tr_table_row_count(t), 3);
    NEAR(tr_table_num(t, 0, col_of(t, "year")), 2020, 0);
    check_range(t, "a", 1 - 830.0 / 12 / 1000, 1, 1, "yes");
    check_range(t, "b", 0, 830.0 / 12 / 1000, 0, "");
    check_range(t, "c", 0, 0.332, 0, "");
    /* N = 0: the alternatives table holds the least-cost roadmap alone */
    const tr_table *al = tr_analysis_find(a, "alternatives");
    ck_assert_uint_eq(tr_table_row_count(al), 1);
    NEAR(tr_table_num(al, 0, col_of(al, "npv")), 83000, 1e-6);
    tr_analysis_free(a);
    /* 5 %: min a = 1000 - 4150 / 12 = 654.1667; max c = 4150 / 5 = 830 > 500: c = 500 (share 1) */
    ck_assert_int_eq(tr_analysis_mga(sc, 0.05, 2020, 0, NULL, &a), TR_OK);
    t = tr_analysis_find(a, "ranges");
    check_range(t, "a", 1 - 4150.0 / 12 / 1000, 1, 1, "yes");
    check_range(t, "c", 0, 1, 0, "");
    tr_analysis_free(a);
    tr_scenario_free(sc);
}
END_TEST

/* slack 0: the optimum is unique, so min = max = the optimum's share */
START_TEST(slack_zero_is_the_optimum)
{
    tr_scenario *sc = fx_load_text(TINY);
    tr_result *r = fx_solve(sc);
    tr_analysis *a = NULL;
    ck_assert_int_eq(tr_analysis_mga(sc, 0, 0, 2, NULL, &a), TR_OK);
    const tr_table *t = tr_analysis_find(a, "ranges");
    const char *techs[] = {"a", "b", "c"};
    for (int k = 0; k < 3; k++) {
        char nm[64];
        snprintf(nm, sizeof nm, "adoption.%s", techs[k]);
        double s = fx_series(r, nm, 0);
        check_range(t, techs[k], s, s, s, k == 0 ? "yes" : "");
    }
    const tr_table *al = tr_analysis_find(a, "alternatives");
    for (size_t i = 0; i < tr_table_row_count(al); i++)
        NEAR(tr_table_num(al, i, col_of(al, "npv")), tr_result_npv(r), 1e-3);
    tr_analysis_free(a);
    tr_result_free(r);
    tr_scenario_free(sc);
}
END_TEST

/* every alternative is optimal (checked against the rows), inside the
 * slack, and its shares inside the ranges; they are not all the same */
static void check_alternatives(const tr_scenario *sc, double slack, long n)
{
    tr_analysis *a = NULL;
    ck_assert_int_eq(tr_analysis_mga(sc, slack, 0, n, NULL, &a), TR_OK);
    const tr_table *al = tr_analysis_find(a, "alternatives"), *rg = tr_analysis_find(a, "ranges");
    ck_assert_uint_eq(tr_table_row_count(al), (size_t)n + 1);
    double npv0 = tr_table_num(al, 0, col_of(al, "npv"));
    size_t distinct = 0;
    for (size_t i = 0; i < tr_table_row_count(al); i++) {
        ck_assert_str_eq(tr_table_text(al, i, col_of(al, "status")), "optimal");
        double npv = tr_table_num(al, i, col_of(al, "npv"));
        ck_assert_msg(npv <= npv0 + slack * fabs(npv0) + 1e-6 * fabs(npv0), "alternative %zu: npv %.10g", i, npv);
        ck_assert(npv >= npv0 - 1e-6 * fabs(npv0));
        NEAR(tr_table_num(al, i, col_of(al, "within_slack")), 1, 0);
        if (i && tr_table_num(al, i, col_of(al, "distance")) > 1e-3)
            distinct++;
        for (size_t k = 0; k < tr_table_row_count(rg); k++) {
            char nm[300];
            snprintf(nm, sizeof nm, "adoption.%s", tr_table_text(rg, k, 0));
            double v = tr_table_num(al, i, col_of(al, nm));
            ck_assert(v >= tr_table_num(rg, k, col_of(rg, "min")) - 1e-6);
            ck_assert(v <= tr_table_num(rg, k, col_of(rg, "max")) + 1e-6);
        }
    }
    ck_assert_uint_ge(distinct, n > 3 ? 3 : (size_t)n - 1);
    tr_analysis_free(a);
}

START_TEST(alternatives_within_slack)
{
    tr_scenario *sc = fx_load_text(TINY);
    check_alternatives(sc, 0.01, 4);
    tr_scenario_free(sc);
    char path[4096];
    snprintf(path, sizeof path, "%s/vn-eaf/voluntary-agreement.yaml", TR_SCENARIO_DIR);
    sc = fx_load_file(path);
    check_alternatives(sc, 0.01, 10);
    tr_scenario_free(sc);
}
END_TEST

START_TEST(bad_arguments)
{
    tr_scenario *sc = fx_load_text(TINY);
    tr_analysis *a = (tr_analysis *)1;
    ck_assert_int_eq(tr_analysis_mga(sc, -0.01, 0, 10, NULL, &a), TR_E_INVAL);
    ck_assert_ptr_null(a);
    ck_assert_str_eq(tr_last_error(), "mga: slack: expected a number in 0..100 (0.01 = 1 % above the least cost), got -0.01");
    ck_assert_int_eq(tr_analysis_mga(sc, NAN, 0, 10, NULL, &a), TR_E_INVAL);
    ck_assert_int_eq(tr_analysis_mga(sc, 0.01, 2019, 10, NULL, &a), TR_E_INVAL);
    ck_assert_str_eq(tr_last_error(), "mga: year: expected a year within 2020..2020, got 2019");
    ck_assert_int_eq(tr_analysis_mga(sc, 0.01, 2021, 10, NULL, &a), TR_E_INVAL);
    ck_assert_int_eq(tr_analysis_mga(sc, 0.01, 0, -1, NULL, &a), TR_E_INVAL);
    ck_assert_str_eq(tr_last_error(), "mga: alternatives: expected 0..10000, got -1");
    ck_assert_int_eq(tr_analysis_mga(NULL, 0.01, 0, 1, NULL, &a), TR_E_INVAL);
    ck_assert_int_eq(tr_analysis_mga(sc, 0.01, 0, 1, NULL, NULL), TR_E_INVAL);
    tr_scenario_free(sc);
    /* an infeasible scenario has no least cost to measure the slack from */
    char yaml[4096];
    snprintf(yaml, sizeof yaml, "%spolicies: {cap: {type: intensity_cap, indicator: energy.electricity, limit: 0.1}}\n",
             TINY);
    sc = fx_load_text(yaml);
    ck_assert_int_eq(tr_analysis_mga(sc, 0.01, 0, 1, NULL, &a), TR_E_INVAL);
    ck_assert_str_eq(tr_last_error(), "mga: the scenario itself is infeasible");
    tr_scenario_free(sc);
}
END_TEST

/* the report's section: the tiny case at 1 % */
START_TEST(markdown_section)
{
    tr_scenario *sc = fx_load_text(TINY);
    tr_analysis *a = NULL;
    char *md = NULL;
    ck_assert_int_eq(tr_analysis_mga(sc, 0.01, 0, 0, NULL, &a), TR_OK);
    ck_assert_int_eq(tr_analysis_mga_markdown(a, "`t`", 0.01, &md), TR_OK);
    ck_assert_str_eq(md, "### Near-optimal ranges: `t`\n\n"
                         "Every roadmap whose NPV is within 1 % of the least cost, and the least and greatest "
                         "adoption share each technology has among them in 2020. Needed in every such roadmap "
                         "(a least share of at least 50 %): **a** (93.1% or more).\n\n"
                         "| technology | least | greatest | least-cost roadmap |\n|---|---:|---:|---:|\n"
                         "| **a** | 93.1% | 100.0% | 100.0% |\n| b | 0.0% | 6.9% | 0.0% |\n"
                         "| c | 0.0% | 33.2% | 0.0% |\n\n");
    tr_string_free(md);
    tr_analysis_free(a);
    ck_assert_int_eq(tr_analysis_mga_markdown(NULL, "x", 0.01, &md), TR_E_INVAL);
    ck_assert_str_eq(tr_last_error(), "tr_analysis_mga_markdown: expected the analysis of tr_analysis_mga()");
    tr_scenario_free(sc);
}
END_TEST

Suite *mga_suite(void)
{
    Suite *s = suite_create("mga");
    TCase *tc = tcase_create("mga");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, ranges_by_hand);
    tcase_add_test(tc, slack_zero_is_the_optimum);
    tcase_add_test(tc, alternatives_within_slack);
    tcase_add_test(tc, bad_arguments);
    tcase_add_test(tc, markdown_section);
    suite_add_tcase(s, tc);
    return s;
}
