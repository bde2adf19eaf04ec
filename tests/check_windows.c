/* Investment windows (MODEL.md §13, second part): a technology with
 * `major: true` is newly installed at a plant that declares windows
 * (`reline_every` + `last_reline`, and/or `windows: [years]`) only in its
 * window years, replacements at the end of life included:
 *     n[p,k,y] = 0 for every year y that is not a window year of p.
 * Hand-solved delay, the bound in every non-window year, replacement,
 * whole LP = decomposition = myopic's respect of the bound, the lock-in of
 * a window, a CSV plant table, the audit's count and bad input. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixtures.h"

static tr_result *solve_opts(const tr_scenario *sc, int structure, int foresight)
{
    tr_solve_opts o;
    tr_solve_opts_init(&o);
    o.structure = structure;
    o.threads = 1;
    o.foresight = foresight;
    tr_result *r = NULL;
    tr_status st = tr_scenario_solve(sc, &o, &r);
    ck_assert_msg(st == TR_OK, "solve failed: %s", tr_last_error());
    ck_assert_msg(tr_result_status(r) == TR_SOL_OPTIMAL, "status %s", tr_result_status_name(r));
    return r;
}

static tr_result *solve_as(const tr_scenario *sc, int structure) { return solve_opts(sc, structure, 0); }

static double installed(const tr_result *r, size_t p, size_t k, size_t t)
{
    double v[64];
    size_t Y = tr_result_year_count(r);
    ck_assert_uint_le(Y, 64);
    ck_assert_int_eq(tr_result_get_installed(r, p, k, v, Y), TR_OK);
    return v[t];
}

static double equipped(const tr_result *r, size_t p, size_t k, size_t t)
{
    double v[64];
    size_t Y = tr_result_year_count(r);
    ck_assert_int_eq(tr_result_get_equipped(r, p, k, v, Y), TR_OK);
    return v[t];
}

/* ------------------------------------------------------------ hand-solved delay */

/* One plant, 2020-2022, r = 0: cap = x = 1000 t, 1 MWh/t at 100 $/MWh.
 * Measure M saves 0.1 MWh/t (10 $/t a year on its share); capex 50 per
 * t/yr, lifetime 10, hurdle 0: CRF = 1/10, a charge of 5 per t/yr in each
 * year from its installation to 2022. Each year with M equipped nets
 * 10 - 5 = 5 per t/yr, so it goes in as early as it may, all of it
 * (max_uptake 1):
 *   no windows:      n[2020] = 1000; NPV = 3 x 1000 x 0.9 x 100 + 3 x 5 x 1000
 *                    = 270,000 + 15,000 = 285,000
 *   window in 2021:  n[2021] = 1000; NPV = 100,000 + 2 x 90,000 + 2 x 5,000
 *                    = 290,000
 * The window costs one year of M's net benefit, 5 x 1000 = 5,000. */
static const char *hand(const char *plant_extra, const char *major)
{
    static char plant[256], tech[256];
    snprintf(plant, sizeof plant, "plants: {p1: {capacity: 1000, production: 1000, intensity: {electricity: 1.0}%s}}",
             plant_extra);
    snprintf(tech, sizeof tech,
             "technologies: {M: {effects: {electricity: -0.1}, capex: 50, lifetime: 10, hurdle_rate: 0%s}}", major);
    return fx_yaml("format: techroad/1", "name: hand", "horizon: {start: 2020, end: 2022}", "discount_rate: 0",
                   "species: {CO2: {unit: t}}", "carriers: {electricity: {unit: MWh, price: 100}}", plant, tech, NULL);
}

START_TEST(window_delays_investment)
{
    static const struct {
        const char *plant, *major;
        double npv;
        int year;   /* year of the installation */
    } cases[] = {
        {"", ", major: true", 285000, 2020},                                /* no windows: no restriction */
        {", windows: [2021]", "", 285000, 2020},                            /* not major: no restriction */
        {", windows: [2021]", ", major: true", 290000, 2021},
        {", reline_every: 5, last_reline: 2016", ", major: true", 290000, 2021},   /* 2021, 2026 */
        {", windows: [2021, 2040]", ", major: false", 285000, 2020},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        tr_scenario *sc = fx_load_text(hand(cases[i].plant, cases[i].major));
        tr_result *r = solve_as(sc, TR_STRUCTURE_MONOLITHIC);
        ck_assert_msg(fabs(tr_result_npv(r) - cases[i].npv) < 1e-6, "case %zu: NPV %.9g, expected %g", i,
                      tr_result_npv(r), cases[i].npv);
        for (size_t t = 0; t < 3; t++)
            ck_assert_double_eq_tol(installed(r, 0, 0, t), 2020 + (int)t == cases[i].year ? 1000 : 0, 1e-6);
        tr_result_free(r);
        tr_scenario_free(sc);
    }
}
END_TEST

/* The window years in the result, and the result of a plant without them */
START_TEST(windows_in_result)
{
    tr_scenario *sc = fx_load_text(hand(", reline_every: 5, last_reline: 2016, windows: [2022, 2019]", ", major: true"));
    tr_result *r = solve_as(sc, TR_STRUCTURE_MONOLITHIC);
    /* 2021 and 2022 in the horizon (2019 before it is ignored), then 2026 */
    ck_assert_uint_eq(tr_result_window_count(r), 3);
    tr_window w;
    const int years[3] = {2021, 2022, 2026}, in[3] = {1, 1, 0};
    const double inst[3] = {1000, 0, NAN};
    for (size_t i = 0; i < 3; i++) {
        ck_assert_int_eq(tr_result_get_window(r, i, &w), TR_OK);
        ck_assert_str_eq(w.plant, "p1");
        ck_assert_int_eq(w.year, years[i]);
        ck_assert_int_eq(w.in_horizon, in[i]);
        if (isnan(inst[i]))
            ck_assert(isnan(w.installed));
        else
            ck_assert_double_eq_tol(w.installed, inst[i], 1e-6);
    }
    ck_assert_int_eq(tr_result_get_window(r, 3, &w), TR_E_NOTFOUND);
    char *json = NULL;
    ck_assert_int_eq(tr_result_write_string(r, TR_FMT_JSON, &json), TR_OK);
    const char *iw = strstr(json, "\"investment_windows\": {\n  \"plants\": {\n   \"p1\": {\n    \"windows\": [\n"
                                  "     2021,\n     2022\n    ],\n    \"next_after_horizon\": 2026,\n"
                                  "    \"major_installed\": [\n     1000.0,\n     0.0\n    ]");
    ck_assert_msg(iw != NULL, "%s", json);
    ck_assert_ptr_nonnull(strstr(iw, "\"lock_in\": []"));
    tr_string_free(json);
    tr_result_free(r);
    tr_scenario_free(sc);
    /* no plant with windows: nothing in the result, the JSON unchanged */
    sc = fx_load_text(hand("", ", major: true"));
    r = solve_as(sc, TR_STRUCTURE_MONOLITHIC);
    ck_assert_uint_eq(tr_result_window_count(r), 0);
    ck_assert_uint_eq(tr_result_lockin_count(r), 0);
    ck_assert_int_eq(tr_result_write_string(r, TR_FMT_JSON, &json), TR_OK);
    ck_assert_ptr_null(strstr(json, "investment_windows"));
    tr_string_free(json);
    tr_result_free(r);
    tr_scenario_free(sc);
}
END_TEST

/* ------------------------------------------------------------ the bound and replacement */

/* One plant, 2020-2025, a measure worth far more than it costs with a
 * lifetime of 2 years and max_uptake 1. Without windows it is installed
 * in 2020 and replaced in 2022 and 2024 (n at the end of life). With
 * windows [2021, 2024] it goes in in 2021, retires at the end of 2022,
 * cannot be replaced in 2023 (no window: a = 0 that year) and is
 * installed again in 2024; n = 0 in every other year. */
START_TEST(replacement_only_in_windows)
{
    const char *base = "format: techroad/1\nname: repl\nhorizon: {start: 2020, end: 2025}\ndiscount_rate: 0.05\n"
                       "carriers: {electricity: {unit: MWh, price: 100}}\n"
                       "plants: {p1: {capacity: 1000, production: 800, intensity: {electricity: 1.0}%s}}\n"
                       "technologies: {M: {effects: {electricity: -0.2}, capex: 1, lifetime: 2, major: true}}\n";
    char text[1024];
    snprintf(text, sizeof text, base, "");
    tr_scenario *sc = fx_load_text(text);
    tr_result *r = solve_as(sc, TR_STRUCTURE_MONOLITHIC);
    for (size_t t = 0; t < 6; t++) {
        ck_assert_double_eq_tol(installed(r, 0, 0, t), t % 2 == 0 ? 1000 : 0, 1e-6);
        ck_assert_double_eq_tol(equipped(r, 0, 0, t), 1000, 1e-6);
    }
    tr_result_free(r);
    tr_scenario_free(sc);

    snprintf(text, sizeof text, base, ", windows: [2021, 2024]");
    sc = fx_load_text(text);
    static const double n[6] = {0, 1000, 0, 0, 1000, 0}, a[6] = {0, 1000, 1000, 0, 1000, 1000};
    for (int structure = TR_STRUCTURE_MONOLITHIC; structure <= TR_STRUCTURE_DECOMPOSED; structure++) {
        r = solve_as(sc, structure);
        for (size_t t = 0; t < 6; t++) {
            ck_assert_msg(fabs(installed(r, 0, 0, t) - n[t]) < 1e-6, "%d: n[%zu] = %g", structure, 2020 + t,
                          installed(r, 0, 0, t));
            ck_assert_msg(fabs(equipped(r, 0, 0, t) - a[t]) < 1e-6, "%d: a[%zu] = %g", structure, 2020 + t,
                          equipped(r, 0, 0, t));
        }
        tr_result_free(r);
    }
    tr_scenario_free(sc);
}
END_TEST

/* The sector of tests/data/windows: four plants from a CSV table (p1 with
 * windows 2021 and 2024 as "2021;2024", p2 with reline_every 3 from 2018:
 * 2021 and 2024, p3 with [2022], p4 without windows), a major measure
 * (max_uptake 0.5) and a free one, and a sector CO2 cap that binds. The
 * bound holds in every non-window year of every solve: whole LP,
 * decomposed (the same NPV and installations) and myopic (N = 2). */
START_TEST(bound_whole_decomposed_myopic)
{
    char text[2048];
    snprintf(text, sizeof text, "%s",
             "extends: windows/sector.yaml\nformat: techroad/1\n"
             "policies: {cap: {type: cap, indicator: emissions.CO2, limit: {2020: 3200, 2025: 2900}}}\n");
    tr_scenario *sc = fx_load_text(text);
    static const int win[4][6] = {{0, 1, 0, 0, 1, 0}, {0, 1, 0, 0, 1, 0}, {0, 0, 1, 0, 0, 0}, {1, 1, 1, 1, 1, 1}};
    tr_result *m = solve_as(sc, TR_STRUCTURE_MONOLITHIC), *d = solve_as(sc, TR_STRUCTURE_DECOMPOSED);
    tr_result *my = solve_opts(sc, TR_STRUCTURE_MONOLITHIC, 2);
    ck_assert_ptr_nonnull(strstr(tr_result_method(d), "ecompos"));
    double a = tr_result_npv(m), b = tr_result_npv(d);
    ck_assert_msg(fabs(a - b) <= 1e-7 * fabs(a), "NPV %.12g vs %.12g", a, b);
    ck_assert_msg(tr_result_npv(my) >= a - 1e-7 * fabs(a), "myopic %.12g below %.12g", tr_result_npv(my), a);
    int positive = 0;
    for (size_t p = 0; p < 4; p++)
        for (size_t t = 0; t < 6; t++) {
            double nm = installed(m, p, 0, t), nd = installed(d, p, 0, t), ny = installed(my, p, 0, t);
            if (!win[p][t]) {
                ck_assert_msg(nm == 0 && nd == 0 && ny == 0, "p%zu %zu: n = %g, %g, %g outside a window", p + 1,
                              2020 + t, nm, nd, ny);
            }
            ck_assert_msg(fabs(nm - nd) < 1e-5, "p%zu %zu: n %g vs %g", p + 1, 2020 + t, nm, nd);
            positive += nm > 1;
        }
    /* the windows are used: p1/p2 in 2021 (and 2024), p3 in 2022, p4 early */
    ck_assert_msg(positive >= 5, "%d installations", positive);
    ck_assert_double_eq_tol(installed(m, 2, 0, 2), 500, 1e-6);
    tr_result_free(m);
    tr_result_free(d);
    tr_result_free(my);
    tr_scenario_free(sc);
}
END_TEST

/* ------------------------------------------------------------ lock-in */

/* One plant, 2020-2024, r = 0, windows [2021, 2023]. Electricity costs 10
 * $/MWh until 2022 and 200 from 2023. Measure L (major, saves 0.1 MWh/t,
 * capex 50, lifetime 10, hurdle 0: 5 per t/yr a year) pays in 2021 (charges
 * 2021-2024 = 20, savings 1 + 1 + 20 + 20 = 42: net 22 per t/yr) but more
 * in 2023 (charges 10, savings 40: net 30): it goes in in 2023, so the 2021
 * window passes without it, locked in until 2023; the window would have
 * needed the 1000 t/yr installed in 2023. Measure X (major, applicability
 * 0.5, capex 1000) never pays: both windows pass without it, each needing
 * the 500 t/yr it could hold. */
START_TEST(lock_in_of_a_window)
{
    tr_scenario *sc = fx_load_text(fx_yaml(
        "format: techroad/1", "name: lock", "horizon: {start: 2020, end: 2024}", "discount_rate: 0",
        "carriers: {electricity: {unit: MWh, price: {2020: 10, 2022: 10, 2023: 200}}}",
        "plants: {p1: {capacity: 1000, production: 1000, intensity: {electricity: 1.0}, windows: [2021, 2023]}}",
        "technologies:",
        "  L: {effects: {electricity: -0.1}, capex: 50, lifetime: 10, hurdle_rate: 0, major: true}",
        "  X: {effects: {electricity: -0.1}, capex: 1000, lifetime: 10, applicability: 0.5, major: true}", NULL));
    tr_result *r = solve_as(sc, TR_STRUCTURE_MONOLITHIC);
    ck_assert_double_eq_tol(installed(r, 0, 0, 3), 1000, 1e-6);
    ck_assert_uint_eq(tr_result_lockin_count(r), 3);
    static const struct {
        const char *tech;
        int window, later, next;
        double needed, share;
    } want[3] = {{"L", 2021, 2023, 2023, 1000, 1}, {"X", 2021, 0, 2023, 500, 0.5}, {"X", 2023, 0, 0, 500, 0.5}};
    for (size_t i = 0; i < 3; i++) {
        tr_lockin l;
        ck_assert_int_eq(tr_result_get_lockin(r, i, &l), TR_OK);
        ck_assert_str_eq(l.plant, "p1");
        ck_assert_str_eq(l.technology, want[i].tech);
        ck_assert_int_eq(l.window, want[i].window);
        ck_assert_int_eq(l.later, want[i].later);
        ck_assert_int_eq(l.next, want[i].next);
        ck_assert_double_eq_tol(l.needed, want[i].needed, 1e-6);
        ck_assert_double_eq_tol(l.share, want[i].share, 1e-9);
    }
    tr_lockin l;
    ck_assert_int_eq(tr_result_get_lockin(r, 3, &l), TR_E_NOTFOUND);
    /* the report's section, in Markdown and HTML */
    const tr_scenario *scs[1] = {sc};
    const tr_result *rs[1] = {r};
    ck_assert_int_eq(tr_report_write(scs, rs, 1, NULL, NULL, "/tmp/techroad-windows-report"), TR_OK);
    ck_assert_int_eq(tr_report_write_html(scs, rs, 1, NULL, NULL, "/tmp/techroad-windows-report"), TR_OK);
    static const char *const md[] = {
        "### Investment windows", "| p1 | 2021, 2023 | 2021 | L, X | 2023: 1,000 t/yr |",
        "| p1 | 2021 | L | takes it in 2023 | 1,000 | 100% | 2023 |",
        "| p1 | 2021 | X | never in the horizon | 500 | 50% | 2023 |",
        "| p1 | 2023 | X | never in the horizon | 500 | 50% | none known |"};
    static const char *const html[] = {
        "<h3>Investment windows</h3>", "<tr><th><code>p1</code></th><td>2021, 2023</td><td>2021</td><td>L, X</td>",
        "<tr><th><code>p1</code></th><td class=\"n\">2021</td><td><code>L</code></td><td>takes it in 2023</td>"};
    for (int which = 0; which < 2; which++) {
        FILE *f = fopen(which ? "/tmp/techroad-windows-report/report.html" : "/tmp/techroad-windows-report/report.md",
                        "r");
        ck_assert_ptr_nonnull(f);
        static char text[1 << 20];
        size_t len = fread(text, 1, sizeof text - 1, f);
        text[len] = '\0';
        fclose(f);
        for (size_t i = 0; i < (which ? 3 : 5); i++)
            ck_assert_msg(strstr(text, which ? html[i] : md[i]), "lacks %s", which ? html[i] : md[i]);
    }
    tr_result_free(r);
    tr_scenario_free(sc);
}
END_TEST

/* ------------------------------------------------------------ provenance */

/* tests/data/windows/plants.csv: 4 x 3 numbers of the usual columns, p1's
 * two window years (assumption, source.windows), p2's reline_every and
 * last_reline (neither), p3's window [2022] (neither): 17 numbers in the CSV. */
START_TEST(audit_counts_windows)
{
    tr_scenario *sc = fx_load_file(TR_TEST_DATA "/windows/sector.yaml");
    tr_analysis *a = NULL;
    ck_assert_int_eq(tr_scenario_audit(sc, &a), TR_OK);
    const tr_table *t = tr_analysis_find(a, "evidence");
    ck_assert_ptr_nonnull(t);
    int found = 0;
    for (size_t r = 0; r < tr_table_row_count(t); r++) {
        if (!strstr(tr_table_text(t, r, 0), "windows/plants.csv"))
            continue;
        found = 1;
        ck_assert_double_eq(tr_table_num(t, r, 1), 17);   /* numbers */
        ck_assert_double_eq(tr_table_num(t, r, 3), 2);    /* assumption: p1's windows */
    }
    ck_assert(found);
    const tr_table *n = tr_analysis_find(a, "numbers");
    int seen = 0;
    for (size_t r = 0; r < tr_table_row_count(n); r++) {
        const char *path = tr_table_text(n, r, 3);
        seen += !strcmp(path, "plants.p1.windows.1") && tr_table_num(n, r, 4) == 2024;
        seen += !strcmp(path, "plants.p2.reline_every") && tr_table_num(n, r, 4) == 3;
        seen += !strcmp(path, "plants.p2.last_reline") && tr_table_num(n, r, 4) == 2018;
    }
    ck_assert_int_eq(seen, 3);
    tr_analysis_free(a);
    tr_scenario_free(sc);
}
END_TEST

/* ------------------------------------------------------------ bad input */

static void expect(const char *plant_extra, const char *major, const char *part1, const char *part2)
{
    char got[2048];
    tr_status st = fx_load_error(hand(plant_extra, major), got, sizeof got);
    ck_assert_msg(st == TR_E_INVAL, "expected TR_E_INVAL, got %d: %s", (int)st, got);
    const char *q = strstr(got, part1);
    ck_assert_msg(q, "message lacks [%s]: %s", part1, got);
    ck_assert_msg(strstr(q, part2), "message lacks [%s] after [%s]: %s", part2, part1, got);
}

START_TEST(bad_input)
{
    /* the plant is on line 7 of the text, the technology on line 8 */
    expect(", last_reline: 2015", "", "test.yaml:7:93: plants.p1.last_reline: ",
           "given without reline_every; expected reline_every (years between relinings) and last_reline");
    expect(", reline_every: 8", "", "test.yaml:7:94: plants.p1.reline_every: ", "given without last_reline");
    expect(", reline_every: 2.5, last_reline: 2015", "", "test.yaml:7:94: plants.p1.reline_every: ",
           "expected the years between relinings, an integer from 1 to 1000, got \"2.5\"");
    expect(", reline_every: -3, last_reline: 2015", "", "plants.p1.reline_every: ", "got \"-3\"");
    expect(", reline_every: 0, last_reline: 2015", "", "plants.p1.reline_every: ", "got \"0\"");
    expect(", reline_every: 8, last_reline: -2015", "", "test.yaml:7:110: plants.p1.last_reline: ",
           "expected a year from 1 to 9999, got \"-2015\"");
    expect(", reline_every: 8, last_reline: 2015.5", "", "plants.p1.last_reline: ", "got \"2015.5\"");
    expect(", windows: [2021, soon]", "", "test.yaml:7:96: plants.p1.windows.1: ",
           "expected a year from 1 to 9999, got \"soon\"");
    expect(", windows: [2021.5]", "", "plants.p1.windows.0: ", "got \"2021.5\"");
    expect(", windows: 2021", "", "test.yaml:7:89: plants.p1.windows: ",
           "expected a list of years, e.g. [2024, 2032], got \"2021\"");
    expect(", windows: []", "", "plants.p1.windows: ", "expected at least one year");
    expect(", windows: {2021: 1}", "", "plants.p1.windows: ", "expected a list of years");
    expect("", ", major: sometimes", "test.yaml:8:98: technologies.M.major: ", "expected true or false, got \"sometimes\"");
    expect(", reline_evry: 8", "", "plants.p1.reline_evry: ", "did you mean \"reline_every\"?");
    /* the same checks on a CSV cell, with the cell's line and column */
    char got[2048];
    FILE *f = fopen("/tmp/techroad-windows-bad.csv", "w");
    ck_assert_ptr_nonnull(f);
    fputs("id,capacity,production,windows\np1,1000,1000,2021;later\n", f);
    fclose(f);
    tr_status st = fx_load_error(fx_yaml("format: techroad/1", "name: bad", "horizon: {start: 2020, end: 2022}", "discount_rate: 0",
                                         "carriers: {electricity: {unit: MWh, price: 100}}",
                                         "plants: {csv: /tmp/techroad-windows-bad.csv}", NULL),
                                 got, sizeof got);
    remove("/tmp/techroad-windows-bad.csv");
    ck_assert_int_eq(st, TR_E_INVAL);
    ck_assert_msg(strstr(got, "techroad-windows-bad.csv:2:4: plants.p1.windows.1: expected a year"), "%s", got);
}
END_TEST

Suite *windows_suite(void)
{
    Suite *s = suite_create("windows");
    TCase *tc = tcase_create("windows");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, window_delays_investment);
    tcase_add_test(tc, windows_in_result);
    tcase_add_test(tc, replacement_only_in_windows);
    tcase_add_test(tc, bound_whole_decomposed_myopic);
    tcase_add_test(tc, lock_in_of_a_window);
    tcase_add_test(tc, audit_counts_windows);
    tcase_add_test(tc, bad_input);
    suite_add_tcase(s, tc);
    return s;
}
