/* Technical floors (MODEL.md §13, first part): for each plant p, floored
 * carrier c and year y,
 *     int0[p,c]*x[p,y] + sum_k d[k,p,c]*u[p,y]*a[p,k,y] >= floor[p,c,y]*x[p,y]
 * (process emissions of a species likewise); a floor above the baseline is
 * bad input; no shadow price in the result; the rows are plant rows, so a
 * decomposed solve agrees with the whole LP. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixtures.h"

static tr_result *solve_as(const tr_scenario *sc, int structure)
{
    tr_solve_opts o;
    tr_solve_opts_init(&o);
    o.structure = structure;
    o.threads = 1;
    tr_result *r = NULL;
    tr_status st = tr_scenario_solve(sc, &o, &r);
    ck_assert_msg(st == TR_OK, "solve failed: %s", tr_last_error());
    ck_assert_msg(tr_result_status(r) == TR_SOL_OPTIMAL, "status %s", tr_result_status_name(r));
    return r;
}

static double equipped(const tr_result *r, size_t p, size_t k, size_t t)
{
    double v[64];
    size_t Y = tr_result_year_count(r);
    ck_assert_uint_le(Y, 64);
    ck_assert_int_eq(tr_result_get_equipped(r, p, k, v, Y), TR_OK);
    return v[t];
}

static double produced(const tr_result *r, size_t p, size_t t)
{
    double v[64];
    size_t Y = tr_result_year_count(r);
    ck_assert_int_eq(tr_result_get_production(r, p, v, Y), TR_OK);
    return v[t];
}

/* ------------------------------------------------------------ hand-solved */

/* One plant, one year, r = 0: cap = x = 1000 t, int0 = 1 MWh/t at
 * 100 $/MWh. Two free measures A and B save 0.3 MWh/t each on their share
 * (variable O&M 1 and 2 $/t): each saves 30 $/t, so without a floor both
 * go to 100 %: 0.4 MWh/t, NPV = 100*400 + 1*1000 + 2*1000 = 43,000.
 * A floor of 0.5 MWh/t allows 0.3*(sA + sB) <= 0.5, sA + sB <= 5/3; the
 * cheaper A takes 100 %, B 2/3: energy 500 MWh, equipped 1000 and 666.67,
 * NPV = 100*500 + 1*1000 + 2*666.67 = 52,333.33. */
static const char *hand(const char *floors)
{
    return fx_yaml("format: techroad/1", "name: hand", "horizon: {start: 2020, end: 2020}", "discount_rate: 0",
                   "species: {CO2: {unit: t}}", "carriers: {electricity: {unit: MWh, price: 100}}", floors,
                   "plants: {p1: {capacity: 1000, production: 1000, intensity: {electricity: 1.0}}}",
                   "technologies:",
                   "  A: {effects: {electricity: -0.3}, capex: 0, variable_om: 1, lifetime: 10}",
                   "  B: {effects: {electricity: -0.3}, capex: 0, variable_om: 2, lifetime: 10}", NULL);
}

START_TEST(hand_solved_floor_binds)
{
    tr_scenario *sc = fx_load_text(hand("notes: no floor"));
    tr_result *r = solve_as(sc, TR_STRUCTURE_MONOLITHIC);
    ck_assert_double_eq_tol(fx_series(r, "energy.electricity", 0), 400, 1e-6);
    ck_assert_double_eq_tol(tr_result_npv(r), 43000, 1e-6);
    tr_result_free(r);
    tr_scenario_free(sc);

    sc = fx_load_text(hand("floors: {electricity: 0.5}"));
    r = solve_as(sc, TR_STRUCTURE_MONOLITHIC);
    ck_assert_double_eq_tol(fx_series(r, "energy.electricity", 0), 500, 1e-6);
    ck_assert_double_eq_tol(equipped(r, 0, 0, 0), 1000, 1e-6);
    ck_assert_double_eq_tol(equipped(r, 0, 1, 0), 2000.0 / 3, 1e-6);
    ck_assert_double_eq_tol(tr_result_npv(r), 50000 + 1000 + 4000.0 / 3, 1e-6);
    /* a technical limit, not a policy: nothing of it in the result */
    for (size_t i = 0; i < tr_result_series_count(r); i++)
        ck_assert_msg(!strstr(tr_result_series_name(r, i), "floor"), "series %s", tr_result_series_name(r, i));
    char *json = NULL;
    ck_assert_int_eq(tr_result_write_string(r, TR_FMT_JSON, &json), TR_OK);
    ck_assert_ptr_null(strstr(json, "floor"));
    tr_string_free(json);
    tr_result_free(r);
    tr_scenario_free(sc);
}
END_TEST

/* The diagnosis of an infeasible scenario relaxes policies, never floors:
 * an intensity cap of 0.45 MWh/t under the floor of 0.5 is named, with
 * 0.5 MWh/t reachable (the floor), in the whole LP and decomposed alike. */
START_TEST(diagnosis_keeps_floors)
{
    char text[4096];
    snprintf(text, sizeof text, "%s\n%s", hand("floors: {electricity: 0.5}"),
             "policies: {va: {type: intensity_cap, indicator: energy.electricity, limit: 0.45}}");
    tr_scenario *sc = fx_load_text(text);
    for (int structure = TR_STRUCTURE_MONOLITHIC; structure <= TR_STRUCTURE_DECOMPOSED; structure++) {
        tr_solve_opts o;
        tr_solve_opts_init(&o);
        o.structure = structure;
        o.threads = 1;
        tr_result *r = NULL;
        ck_assert_int_eq(tr_scenario_solve(sc, &o, &r), TR_OK);
        ck_assert_int_eq(tr_result_status(r), TR_SOL_INFEASIBLE);
        ck_assert_uint_eq(tr_result_diagnosis_count(r), 1);
        tr_diagnosis dg;
        ck_assert_int_eq(tr_result_get_diagnosis(r, 0, &dg), TR_OK);
        ck_assert_str_eq(dg.policy, "va");
        ck_assert_int_eq(dg.year, 2020);
        ck_assert_double_eq_tol(dg.reachable, 0.5, 1e-7);
        ck_assert_double_eq_tol(dg.limit, 0.45, 1e-12);
        tr_result_free(r);
    }
    tr_scenario_free(sc);
}
END_TEST

/* ------------------------------------------------------------ full adoption */

/* Two plants, six years, measures worth far more than they cost (a CO2
 * price of 1,000 $/t): every measure would go to 100 % (1.0 - 0.85 = 0.15
 * MWh/t; process CO2 0.10 - 0.09 = 0.01 t/t). The top-level floors (0.36
 * MWh/t of electricity, 0.04 t/t of CO2 from 2022, 0.05 before) hold p1 at
 * exactly its floor; p2's own electricity floor (0.5, then 0.45 from 2025)
 * replaces the top level's, its CO2 floor is the top level's. */
static const char *SECTOR =
    "format: techroad/1\nname: floors\nhorizon: {start: 2020, end: 2025}\ndiscount_rate: 0.05\n"
    "species: {CO2: {unit: t}}\n"
    "carriers: {electricity: {unit: MWh, price: 80, emission_factors: {CO2: 0.5}}}\n"
    "floors: {electricity: 0.36, CO2: {2020: 0.05, 2021: 0.05, 2022: 0.04}}\n"
    "plants:\n"
    "  p1: {capacity: 1000, production: 800, intensity: {electricity: 1.0}, process_emissions: {CO2: 0.1}}\n"
    "  p2: {capacity: 2000, production: 1500, intensity: {electricity: 0.9}, process_emissions: {CO2: 0.1},\n"
    "       floors: {electricity: {2020: 0.5, 2024: 0.5, 2025: 0.45}}}\n"
    "technologies:\n"
    "  m1: {effects: {electricity: -0.3}, capex: 1, lifetime: 20}\n"
    "  m2: {effects: {electricity: -0.25}, capex: 1, lifetime: 20}\n"
    "  m3: {effects: {electricity: {relative: -0.3}}, capex: 1, lifetime: 20, process_emissions: {CO2: -0.05}}\n"
    "  m4: {effects: {electricity: -0.01}, capex: 1, lifetime: 20, process_emissions: {CO2: -0.04}}\n"
    "policies:\n  tax: {type: price, species: CO2, value: 1000}\n";

/* d of measure k on plant p (relative effects resolved by hand) */
static double d_el(size_t p, size_t k)
{
    static const double base[2] = {1.0, 0.9};
    const double d[4] = {-0.3, -0.25, -0.3 * base[p], -0.01};
    return d[k];
}
static const double D_CO2[4] = {0, 0, -0.05, -0.04};

static void intensities(const tr_result *r, size_t p, size_t t, double cap, double *el, double *co2)
{
    static const double int0[2] = {1.0, 0.9};
    double x = produced(r, p, t), u = x / cap;
    *el = int0[p];
    *co2 = 0.1;
    for (size_t k = 0; k < 4; k++) {
        double a = equipped(r, p, k, t);
        *el += d_el(p, k) * u * a / x;
        *co2 += D_CO2[k] * u * a / x;
    }
}

START_TEST(full_adoption_never_below_floor)
{
    tr_scenario *sc = fx_load_text(SECTOR);
    tr_result *r = solve_as(sc, TR_STRUCTURE_MONOLITHIC);
    const double cap[2] = {1000, 2000};
    for (size_t t = 0; t < 6; t++)
        for (size_t p = 0; p < 2; p++) {
            double el, co2;
            intensities(r, p, t, cap[p], &el, &co2);
            double fel = p == 0 ? 0.36 : (t == 5 ? 0.45 : 0.5), fco2 = t < 2 ? 0.05 : 0.04;
            /* at the floor exactly: every measure is worth more than it costs */
            ck_assert_msg(fabs(el - fel) < 1e-7, "p%zu %zu: electricity %.9g, floor %g", p + 1, 2020 + t, el, fel);
            ck_assert_msg(fabs(co2 - fco2) < 1e-7, "p%zu %zu: CO2 %.9g, floor %g", p + 1, 2020 + t, co2, fco2);
        }
    /* and the sector totals follow: 2025 = 0.36*800 + 0.45*1500 MWh */
    ck_assert_double_eq_tol(fx_series(r, "energy.electricity", 5), 0.36 * 800 + 0.45 * 1500, 1e-6);
    tr_result_free(r);
    tr_scenario_free(sc);
}
END_TEST

/* The decomposition puts each plant's floor rows in its subproblem: the
 * same answer as the whole LP, with the floors binding. Three identical
 * plants share one subproblem; a sector CO2 cap couples them. */
START_TEST(decomposed_agrees_with_floors)
{
    char text[4096];
    snprintf(text, sizeof text, "%s%s", SECTOR,
             "  cap: {type: cap, indicator: emissions.CO2, limit: 1400}\n");
    /* more plants: three copies of p1 */
    char *at = strstr(text, "  p2:");
    char plants[512];
    snprintf(plants, sizeof plants, "%s",
             "  p3: {capacity: 1000, production: 800, intensity: {electricity: 1.0}, process_emissions: {CO2: 0.1}}\n"
             "  p4: {capacity: 1000, production: 800, intensity: {electricity: 1.0}, process_emissions: {CO2: 0.1}}\n");
    char full[8192];
    snprintf(full, sizeof full, "%.*s%s%s", (int)(at - text), text, plants, at);
    tr_scenario *sc = fx_load_text(full);
    tr_result *m = solve_as(sc, TR_STRUCTURE_MONOLITHIC), *d = solve_as(sc, TR_STRUCTURE_DECOMPOSED);
    ck_assert_ptr_nonnull(strstr(tr_result_method(d), "ecompos"));
    double a = tr_result_npv(m), b = tr_result_npv(d);
    ck_assert_msg(fabs(a - b) <= 1e-7 * fabs(a), "NPV %.12g vs %.12g", a, b);
    for (size_t t = 0; t < 6; t++) {
        double em = fx_series(m, "energy.electricity", t), ed = fx_series(d, "energy.electricity", t);
        ck_assert_msg(fabs(em - ed) <= 1e-6 * em, "%zu: %.9g vs %.9g", t, em, ed);
        /* binding in both: p1, p3, p4 at 0.36, p2 at its own floor */
        double want = 3 * 0.36 * 800 + (t == 5 ? 0.45 : 0.5) * 1500;
        ck_assert_msg(fabs(ed - want) < 1e-5, "%zu: decomposed %.9g, at the floors %.9g", t, ed, want);
    }
    tr_result_free(m);
    tr_result_free(d);
    tr_scenario_free(sc);
}
END_TEST

/* ------------------------------------------------------------ §12 plants */

/* A closable plant (floor 0.45 of its own) and a candidate (the top-level
 * 0.3): the floor row uses x = production*o and x = utilisation*C. The new
 * plant (900 t from 1000 t/yr built in 2021) and then the old one at
 * o = 600/900 meet the demand of 1,500 t; both cut electricity to their
 * floors (the two measures could reach 0.4 and 0.2) in every year they
 * run, in the whole LP and in the decomposed solve alike. */
START_TEST(floors_closable_and_candidate)
{
    const char *text = fx_yaml(
        "format: techroad/1", "name: floors-ext", "horizon: {start: 2020, end: 2024}", "discount_rate: 0.05",
        "products: {steel: {name: steel, unit: t}}", "species: {CO2: {unit: t}}",
        "carriers: {electricity: {unit: MWh, price: 80, emission_factors: {CO2: 0.8}}}",
        "floors: {electricity: 0.3}",
        "plants:",
        "  old: {product: steel, capacity: 1000, production: 900, intensity: {electricity: 0.6}, other_cost: 300,",
        "        closable: true, closure_cost: 10, floors: {electricity: 0.45}}",
        "  new: {product: steel, intensity: {electricity: 0.4}, other_cost: 290,",
        "        build: {capex: 200, fixed_om: 5, lifetime: 20, available_from: 2021, utilisation: 0.9,",
        "        max_capacity: 1000}}",
        "demand: {steel: 1500}", "imports: {steel: {price: 700, max: 100000}}",
        "technologies:",
        "  vsd: {effects: {electricity: -0.1}, capex: 1, lifetime: 10}",
        "  ctrl: {effects: {electricity: -0.1}, capex: 1, lifetime: 10}",
        "policies: {tax: {type: price, species: CO2, value: 100}}", NULL);
    tr_scenario *sc = fx_load_text(text);
    tr_result *m = solve_as(sc, TR_STRUCTURE_MONOLITHIC), *d = solve_as(sc, TR_STRUCTURE_DECOMPOSED);
    double a = tr_result_npv(m), b = tr_result_npv(d);
    ck_assert_msg(fabs(a - b) <= 1e-7 * fabs(a), "NPV %.12g vs %.12g", a, b);
    const double int0[2] = {0.6, 0.4}, fl[2] = {0.45, 0.3};
    int binding = 0, partial = 0;
    for (int which = 0; which < 2; which++) {
        const tr_result *r = which ? d : m;
        for (size_t t = 0; t < 5; t++)
            for (size_t p = 0; p < 2; p++) {
                double x = produced(r, p, t);
                if (x < 1e-6)
                    continue;
                /* u = production/capacity (old), utilisation (new) */
                double u = p == 0 ? 0.9 : 0.9, el = int0[p];
                for (size_t k = 0; k < 2; k++)
                    el += -0.1 * u * equipped(r, p, k, t) / x;
                ck_assert_msg(el >= fl[p] - 1e-7, "%s p%zu %zu: %.9g below the floor %g", which ? "dw" : "lp", p,
                              2020 + t, el, fl[p]);
                binding += fabs(el - fl[p]) < 1e-7;
                partial += p == 0 && x > 1 && x < 899;
            }
    }
    /* both plants at their floors once the new one runs (2021-2024), in both solves */
    ck_assert_msg(binding == 2 * 9, "%d plant-years at the floor", binding);
    /* the old plant runs at o = 600/900 once the new one makes 900 t */
    ck_assert_msg(partial == 2 * 4, "%d years of partial operation", partial);
    tr_result_free(m);
    tr_result_free(d);
    tr_scenario_free(sc);
}
END_TEST

/* ------------------------------------------------------------ bad input */

static void expect(const char *floors, const char *plant_extra, tr_status want, const char *part1, const char *part2)
{
    char line[512];
    snprintf(line, sizeof line, "plants: {p1: {capacity: 1000, production: 1000, intensity: {electricity: 1.0}%s}}",
             plant_extra);
    const char *y = fx_yaml("format: techroad/1", "name: bad", "horizon: {start: 2020, end: 2030}",
                            "discount_rate: 0", "species: {CO2: {unit: t}}",
                            "carriers: {electricity: {unit: MWh, price: 100}}", floors, line,
                            "technologies: {A: {effects: {electricity: -0.3}, capex: 0, lifetime: 10}}", NULL);
    char got[2048];
    tr_status st = fx_load_error(y, got, sizeof got);
    ck_assert_msg(st == want, "expected %d, got %d: %s", (int)want, (int)st, got);
    const char *q = strstr(got, part1);
    ck_assert_msg(q, "message lacks [%s]: %s", part1, got);
    ck_assert_msg(strstr(q, part2), "message lacks [%s] after [%s]: %s", part2, part1, got);
}

START_TEST(floor_above_baseline_rejected)
{
    expect("floors: {electricity: 1.2}", "", TR_E_INVAL, "test.yaml:7:23: floors.electricity: ",
           "expected a floor at most plant \"p1\"'s baseline intensity 1 per unit of product, got 1.2 in 2020");
    /* a series above the baseline only at its end */
    expect("floors: {electricity: {2020: 0.5, 2030: 1.1}}", "", TR_E_INVAL, "test.yaml:7:23: floors.electricity: ",
           "got 1.04 in 2029");
    /* on the plant */
    expect("notes: none", ", floors: {electricity: 1.5}", TR_E_INVAL,
           "test.yaml:8:102: plants.p1.floors.electricity: ", "baseline intensity 1 per unit of product, got 1.5");
    /* process emissions of a species (baseline 0 here) */
    expect("floors: {CO2: 0.1}", "", TR_E_INVAL, "floors.CO2: ",
           "at most plant \"p1\"'s baseline process emissions 0 per unit of product, got 0.1 in 2020");
    expect("floors: {electrodes: 1}", "", TR_E_NOTFOUND, "test.yaml:7:10: floors.electrodes: ",
           "unknown carrier or species \"electrodes\"");
    expect("floors: {electricity: -0.1}", "", TR_E_INVAL, "floors.electricity: ",
           "expected a floor >= 0 per unit of product, got -0.1 in 2020");
    expect("floors: 0.3", "", TR_E_INVAL, "test.yaml:7:9: floors: ",
           "expected a map {carrier or species: floor per unit of product}");
    /* the plant's own floor replaces the top level's: a plant at 1.0 with a
     * top-level floor of 1.2 loads when its own floor is 0.8 */
    char got[2048];
    const char *y = fx_yaml("format: techroad/1", "name: ok", "discount_rate: 0",
                            "carriers: {electricity: {unit: MWh, price: 100}}", "floors: {electricity: 1.2}",
                            "plants: {p1: {capacity: 1, production: 1, intensity: {electricity: 1.5}},",
                            "         p2: {capacity: 1, production: 1, intensity: {electricity: 1.0},"
                            " floors: {electricity: 0.8}}}",
                            "technologies: {A: {effects: {electricity: -0.3}, capex: 0, lifetime: 10}}", NULL);
    ck_assert_msg(fx_load_error(y, got, sizeof got) == TR_OK, "%s", got);
}
END_TEST

Suite *floors_suite(void)
{
    Suite *s = suite_create("floors");
    TCase *tc = tcase_create("floors");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, hand_solved_floor_binds);
    tcase_add_test(tc, diagnosis_keeps_floors);
    tcase_add_test(tc, full_adoption_never_below_floor);
    tcase_add_test(tc, decomposed_agrees_with_floors);
    tcase_add_test(tc, floors_closable_and_candidate);
    tcase_add_test(tc, floor_above_baseline_rejected);
    suite_add_tcase(s, tc);
    return s;
}
