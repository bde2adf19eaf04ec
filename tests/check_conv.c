/* Conventions of the outputs (issue 18 part 3): materials are not energy
 * (kind: material), IAMC variable names, a price policy's level as its
 * value, and relative targets (reduction against relative_to) whose
 * reference is computed from the data alone (docs/MODEL.md). Small
 * hand-solved cases only. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fixtures.h"

static int has_series(const tr_result *r, const char *name)
{
    size_t i;
    return tr_result_series_find(r, name, &i) == TR_OK;
}

static char *wr(const tr_result *r, tr_result_format f)
{
    char *s = NULL;
    ck_assert_int_eq(tr_result_write_string(r, f, &s), TR_OK);
    return s;
}

static void expect_error(const char *yaml, tr_status want, const char *part)
{
    char got[2048];
    tr_status st = fx_load_error(yaml, got, sizeof got);
    ck_assert_msg(st == want, "expected %d, got %d: %s", (int)want, (int)st, got);
    ck_assert_msg(strstr(got, part), "message lacks [%s]: %s", part, got);
}

/* ------------------------------------------------------------ materials */

/* One plant, 1000 t, 0.5 MWh/t of electricity (3.6 GJ/MWh) and 2 kg/t of
 * electrodes, a material: energy.total = 1800 GJ, the electrodes 2000 kg
 * reported as material.electrodes and Material Use|Electrodes. */
static const char *mat(const char *electrodes, const char *policies)
{
    static char line[512];
    snprintf(line, sizeof line, "  electrodes: {unit: kg, price: 3, %s}", electrodes);
    return fx_yaml("format: techroad/1", "name: mat", "horizon: {start: 2020, end: 2021}", "discount_rate: 0",
                   "species: {CO2: {unit: t}}", "carriers:",
                   "  electricity: {unit: MWh, energy_content: 3.6, price: 100, emission_factors: {CO2: 0.5}}", line,
                   "plants: {p1: {capacity: 1000, production: 1000, intensity: {electricity: 0.5, electrodes: 2}}}",
                   policies, NULL);
}

START_TEST(materials_are_not_energy)
{
    tr_scenario *sc = fx_load_text(mat("kind: material", "notes: none"));
    tr_result *r = fx_solve(sc);
    ck_assert(has_series(r, "material.electrodes") && !has_series(r, "energy.electrodes"));
    ck_assert(has_series(r, "intensity.material.electrodes") && !has_series(r, "intensity.energy.electrodes"));
    ck_assert_double_eq_tol(fx_series(r, "material.electrodes", 0), 2000, 1e-9);
    ck_assert_double_eq_tol(fx_series(r, "intensity.material.electrodes", 1), 2, 1e-12);
    ck_assert_double_eq_tol(fx_series(r, "energy.total", 0), 1800, 1e-9);
    ck_assert_double_eq_tol(fx_total(r, "cumulative.material.electrodes"), 4000, 1e-9);
    ck_assert(isnan(fx_total(r, "cumulative.energy.electrodes")));
    double v[2];
    ck_assert_int_eq(tr_result_plant_series(r, 0, "material.electrodes", v, 2), TR_OK);
    ck_assert_double_eq_tol(v[0], 2000, 1e-9);
    char *iamc = wr(r, TR_FMT_IAMC);
    ck_assert_ptr_nonnull(strstr(iamc, ",Material Use|Electrodes,kg,2020,2000\n"));
    ck_assert_ptr_null(strstr(iamc, "Final Energy|Electrodes"));
    /* the children of Final Energy add up to it: electricity in GJ */
    ck_assert_ptr_nonnull(strstr(iamc, ",Final Energy|Electricity,GJ,2020,1800\n"));
    ck_assert_ptr_nonnull(strstr(iamc, ",Final Energy,GJ,2020,1800\n"));
    tr_string_free(iamc);
    tr_result_free(r);
    tr_scenario_free(sc);

    /* a policy on the material's old name points to the new one */
    expect_error(mat("kind: material", "policies: {e: {type: cap, indicator: energy.electrodes, limit: 1}}"),
                 TR_E_NOTFOUND, "policies.e.indicator: \"electrodes\" is a material (kind: material), not energy; "
                                "did you mean \"material.electrodes\"?");
    expect_error(mat("kind: energy", "policies: {e: {type: cap, indicator: material.electrodes, limit: 1}}"),
                 TR_E_NOTFOUND, "did you mean \"energy.electrodes\"?");
    expect_error(mat("kind: material, energy_content: 1", "notes: x"), TR_E_INVAL,
                 "carriers.electrodes.energy_content: a material (kind: material) does not count in energy.total");
    expect_error(mat("kind: fuel", "notes: x"), TR_E_INVAL, "carriers.electrodes.kind: expected energy or material, "
                                                            "got \"fuel\"");
    /* a cap on the material works under its own name: 1500 kg is out of reach */
    sc = fx_load_text(mat("kind: material", "policies: {e: {type: cap, indicator: material.electrodes, limit: 1500}}"));
    r = fx_solve(sc);
    ck_assert_int_eq(tr_result_status(r), TR_SOL_INFEASIBLE);
    tr_result_free(r);
    tr_scenario_free(sc);
}
END_TEST

/* ------------------------------------------------------------ IAMC names */

START_TEST(iamc_names_follow_common_definitions)
{
    tr_scenario *sc = fx_load_text(fx_yaml(
        "format: techroad/1", "name: names", "horizon: {start: 2020, end: 2020}", "discount_rate: 0",
        "product: {name: liquid steel, unit: t}",
        "species: {CO2: {unit: t}, SO2: {unit: kg}, PM25: {unit: kg, iamc: Emissions|PM2.5|Stack}}",
        "carriers:",
        "  natural_gas: {unit: GJ, energy_content: 1, price: 8, name: Natural gas (all burners)}",
        "  coal: {unit: GJ, energy_content: 1, price: 3}",
        "  firewood: {unit: GJ, energy_content: 1, price: 2}",
        "  grid: {unit: MWh, energy_content: 3.6, price: 90, iamc: Final Energy|Electricity}",
        "plants: {p1: {capacity: 100, production: 100, intensity: {natural_gas: 1, coal: 2, firewood: 3, grid: 0.5},",
        "              process_emissions: {CO2: 0.1, SO2: 1, PM25: 2}}}",
        "policies: {tax: {type: price, species: CO2, value: 25}}", NULL));
    tr_result *r = fx_solve(sc);
    char *iamc = wr(r, TR_FMT_IAMC);
    static const char *const want[] = {
        ",Final Energy|Gases,GJ,2020,100\n", ",Final Energy|Solids|Coal,GJ,2020,200\n",
        ",Final Energy|Solids|Firewood,GJ,2020,300\n", ",Final Energy|Electricity,GJ,2020,180\n",
        ",Final Energy,GJ,2020,780\n", ",Emissions|CO2,t,2020,", ",Emissions|Sulfur,kg,2020,100\n",
        ",Emissions|PM2.5|Stack,kg,2020,200\n", ",Production|Iron and Steel|Steel,t,2020,100\n",
        ",Capacity|Iron and Steel|Steel,t,2020,100\n", ",Price|Carbon,USD/t,2020,25\n", NULL};
    for (const char *const *w = want; *w; w++)
        ck_assert_msg(strstr(iamc, *w), "IAMC lacks [%s]:\n%s", *w, iamc);
    ck_assert_ptr_null(strstr(iamc, "Natural gas (all burners)"));   /* display names are not variables */
    ck_assert_ptr_null(strstr(iamc, "Policy|tax|Limit"));            /* the level is Price|Carbon */
    /* Python and the CLI read the price as the policy's value */
    ck_assert_double_eq(fx_series(r, "policy.tax.value", 0), 25);
    char *table = wr(r, TR_FMT_TABLE);
    ck_assert_ptr_nonnull(strstr(table, "policy.tax.value"));
    ck_assert_ptr_nonnull(strstr(table, "USD per USD/t"));           /* the shadow-price unit, whole */
    tr_string_free(table);
    tr_string_free(iamc);
    tr_result_free(r);
    tr_scenario_free(sc);
}
END_TEST

/* ------------------------------------------------------------ relative targets */

/* Two plants of 1000 t/yr: p1 makes 1000 t at 1 MWh/t, p2 500 t (2020)
 * to 600 t (2022) at 1.5 MWh/t. Measure A saves 0.5 MWh/t, is already on
 * half of p1 (existing: 0.5) and costs 10 $/t of variable O&M against
 * 7.5 $/t saved at 15 $/MWh: only a target makes it spread. With no
 * decisions, 2020's electricity is 1000 - 0.5*500 + 750 = 1500 MWh: the
 * reference. A 10 % reduction from 2021 is the absolute limit 1350 MWh. */
static const char *rel_with(const char *policy, const char *carriers)
{
    return fx_yaml("format: techroad/1", "name: rel", "horizon: {start: 2020, end: 2022}", "discount_rate: 0.05",
                   "species: {CO2: {unit: t}}", carriers,
                   "plants:", "  p1: {capacity: 1000, production: 1000, intensity: {electricity: 1.0}}",
                   "  p2: {capacity: 1000, production: {2020: 500, 2022: 600}, intensity: {electricity: 1.5}}",
                   "technologies: {A: {effects: {electricity: -0.5}, capex: 0, variable_om: 10,",
                   "                   lifetime: 20, existing: {p1: 0.5}}}",
                   "policies:", policy, NULL);
}

static const char *rel(const char *policy)
{
    return rel_with(policy, "carriers: {electricity: {unit: MWh, energy_content: 3.6, price: 15}}");
}

static void same_roadmap(const char *relative, const char *absolute, double ref, int year)
{
    tr_scenario *a = fx_load_text(rel(relative));
    tr_scenario *b = fx_load_text(rel(absolute));
    tr_result *ra = fx_solve(a), *rb = fx_solve(b);
    ck_assert_int_eq(tr_result_status(ra), TR_SOL_OPTIMAL);
    ck_assert_double_eq_tol(tr_result_npv(ra), tr_result_npv(rb), 1e-9 * fabs(tr_result_npv(rb)));
    for (size_t t = 0; t < 3; t++) {
        ck_assert_double_eq_tol(fx_series(ra, "energy.electricity", t), fx_series(rb, "energy.electricity", t), 1e-9);
        double la = fx_series(ra, "policy.t.limit", t), lb = fx_series(rb, "policy.t.limit", t);
        ck_assert_msg(isnan(la) ? isnan(lb) : fabs(la - lb) <= 1e-12 * fabs(lb), "limit %g against %g", la, lb);
    }
    /* the reference is in the JSON result and the run table */
    char *js = wr(ra, TR_FMT_JSON);
    json_t *j = json_loads(js, 0, NULL);
    json_t *p = json_object_get(json_object_get(j, "policies"), "t");
    ck_assert_double_eq_tol(json_real_value(json_object_get(p, "reference")), ref, 1e-12);
    ck_assert_int_eq(json_integer_value(json_object_get(p, "reference_year")), year);
    json_decref(j);
    tr_string_free(js);
    js = wr(rb, TR_FMT_JSON);   /* an absolute limit has no reference */
    j = json_loads(js, 0, NULL);
    ck_assert_ptr_null(json_object_get(json_object_get(json_object_get(j, "policies"), "t"), "reference"));
    json_decref(j);
    tr_string_free(js);
    char *tb = wr(ra, TR_FMT_TABLE);
    ck_assert_ptr_nonnull(strstr(tb, "t: limit = (1 - reduction) x reference"));
    tr_string_free(tb);
    tr_result_free(ra);
    tr_result_free(rb);
    tr_scenario_free(a);
    tr_scenario_free(b);
}

START_TEST(relative_equals_absolute)
{
    /* cap: 2020 electricity with the existing stock = 750 (p1) + 750 (p2) = 1500 MWh; -10 % from 2021 */
    same_roadmap("  t: {type: cap, indicator: energy.electricity, reduction: {2021: 0.1}, relative_to: 2020}",
                 "  t: {type: cap, indicator: energy.electricity, limit: {2021: 1350}}", 1500, 2020);
    /* in 2022 p2 makes 600 t: 750 + 900 = 1650 MWh; -20 % = 1320 */
    same_roadmap("  t: {type: cap, indicator: energy.electricity, reduction: 0.2, relative_to: 2022}",
                 "  t: {type: cap, indicator: energy.electricity, limit: 1320}", 1650, 2022);
    /* intensity cap: 1500 MWh / 1500 t = 1 MWh/t; -5 % = 0.95 */
    same_roadmap("  t: {type: intensity_cap, indicator: energy.electricity, reduction: 0.05, relative_to: 2020}",
                 "  t: {type: intensity_cap, indicator: energy.electricity, limit: 0.95}", 1, 2020);
    /* standard on p1 alone: 750 MWh / 1000 t = 0.75 MWh/t; -10 % = 0.675 */
    same_roadmap("  t: {type: standard, indicator: energy.electricity, plants: [p1], reduction: 0.1, relative_to: 2020}",
                 "  t: {type: standard, indicator: energy.electricity, plants: [p1], limit: 0.675}", 0.75, 2020);
    /* floor on energy.total: 1500 MWh * 3.6 = 5400 GJ; may fall 50 % at most */
    same_roadmap("  t: {type: floor, indicator: energy.total, reduction: 0.5, relative_to: 2020}",
                 "  t: {type: floor, indicator: energy.total, limit: 2700}", 5400, 2020);
}
END_TEST

/* §12: the reference counts the existing plants' production (a closable
 * one fully operating), no candidate plant and no imports. */
START_TEST(relative_reference_with_products)
{
    tr_scenario *sc = fx_two_candidates("relx", "1500");
    /* the old plant makes 900 t at 0.6 MWh/t (fixtures.c): 900 t and 900*0.6*0.8 = 432 t CO2 */
    ck_assert_int_eq(tr_scenario_set(sc, "policies.t", "{type: cap, indicator: production.steel, reduction: 0.1, "
                                                       "relative_to: 2020}"), TR_OK);
    ck_assert_msg(tr_scenario_set(sc, "policies.co2", "{type: cap, indicator: emissions.CO2, reduction: 0.5, "
                                                      "relative_to: 2021}") == TR_OK, "%s", tr_last_error());
    tr_result *r = fx_solve(sc);
    ck_assert_int_eq(tr_result_status(r), TR_SOL_OPTIMAL);
    ck_assert_double_eq_tol(fx_series(r, "policy.t.limit", 0), 810, 1e-9);
    ck_assert_double_eq_tol(fx_series(r, "policy.co2.limit", 4), 216, 1e-9);
    ck_assert_double_eq_tol(fx_series(r, "policy.co2.limit", 0), 216, 1e-9);   /* constant: every year */
    ck_assert_double_eq_tol(fx_series(r, "production.steel", 0) + fx_series(r, "imports.steel", 0), 1500, 1e-6);
    ck_assert_double_eq_tol(fx_series(r, "emissions.CO2", 0), 216, 1e-6);        /* it binds */
    tr_result_free(r);
    tr_scenario_free(sc);
}
END_TEST

START_TEST(relative_bad_input)
{
    expect_error(rel("  t: {type: cap, indicator: energy.electricity, limit: 1, reduction: 0.1, relative_to: 2020}"),
                 TR_E_INVAL, "policies.t.reduction: expected either limit or reduction with relative_to, not both");
    expect_error(rel("  t: {type: cap, indicator: energy.electricity, reduction: 0.1, relative_to: 2019}"), TR_E_INVAL,
                 "policies.t.relative_to: expected a year of the horizon 2020..2022 (the reference is computed "
                 "from that year's data), got 2019");
    expect_error(rel("  t: {type: cap, indicator: energy.electricity, reduction: 0.1, relative_to: 2023}"), TR_E_INVAL,
                 "got 2023");
    expect_error(rel("  t: {type: cap, indicator: energy.electricity, reduction: 1, relative_to: 2020}"), TR_E_INVAL,
                 "policies.t.reduction: expected a share in [0, 1), got 1");
    expect_error(rel("  t: {type: cap, indicator: energy.electricity, reduction: {2021: -0.1}, relative_to: 2020}"),
                 TR_E_INVAL, "policies.t.reduction.2021: expected a share in [0, 1), got -0.1");
    expect_error(rel("  t: {type: cap, indicator: energy.electricity, reduction: 0.1}"), TR_E_INVAL,
                 "policies.t.relative_to: required field is missing");
    expect_error(rel("  t: {type: cap, indicator: energy.electricity, relative_to: 2020}"), TR_E_INVAL,
                 "policies.t.reduction: required field is missing");
    expect_error(rel("  t: {type: price, species: CO2, value: 1, relative_to: 2020}"), TR_E_INVAL,
                 "policies.t.relative_to: unknown key");
    /* a reference that is zero: investment with no decisions */
    expect_error(rel("  t: {type: cap, indicator: investment, reduction: 0.1, relative_to: 2020}"), TR_E_INVAL,
                 "the reference value of investment in 2020 (existing stock at baseline intensities, no decisions) "
                 "is 0");
}
END_TEST

/* ------------------------------------------------------------ fronts on resource cost */

/* The relative-target case with 0.5 t CO2/MWh, taxed at 50 $/t or not:
 * minimising the resource cost leaves the tax out, so the front's cheapest
 * end costs what the untaxed scenario's optimum does. */
START_TEST(pareto_on_resource_cost)
{
    static const char *car = "carriers: {electricity: {unit: MWh, price: 15, emission_factors: {CO2: 0.5}}}";
    tr_scenario *taxed = fx_load_text(rel_with("  tax: {type: price, species: CO2, value: 50}", car));
    tr_scenario *plain = fx_load_text(rel_with("  none: {type: budget, limit: 1e12}", car));
    ck_assert_str_eq(tr_analysis_pareto_cost(taxed, (const tr_scenario *const *)&plain, 1), "resource_cost");
    ck_assert_str_eq(tr_analysis_pareto_cost(taxed, (const tr_scenario *const *)&taxed, 1), "npv");
    ck_assert_str_eq(tr_analysis_pareto_cost(taxed, NULL, 0), "npv");
    tr_result *rp = fx_solve(plain), *rt = fx_solve(taxed);
    /* no tax, no subsidy: resource cost = NPV; with the tax: NPV - PV(tax) */
    ck_assert_double_eq_tol(tr_result_resource_cost(rp), tr_result_npv(rp), 1e-9 * tr_result_npv(rp));
    ck_assert_double_eq_tol(tr_result_resource_cost(rt), tr_result_npv(rt) - fx_total(rt, "pv.emission_tax"),
                            1e-9 * tr_result_npv(rt));
    tr_analysis *a = NULL;
    ck_assert_msg(tr_analysis_pareto(taxed, "resource_cost", "emissions.CO2", 3, NULL, &a) == TR_OK, "%s",
                  tr_last_error());
    const tr_table *f = tr_analysis_find(a, "front");
    ck_assert_str_eq(tr_table_col_name(f, 1), "resource_cost");
    /* the cheapest end: the untaxed optimum (the electricity use of the plain solve) */
    ck_assert_double_eq_tol(tr_table_num(f, 0, 1), tr_result_npv(rp), 1e-6 * tr_result_npv(rp));
    const tr_scenario *vs[1] = {taxed};
    const tr_result *rs[1] = {rt};
    ck_assert_int_eq(tr_analysis_pareto_place(a, "resource_cost", "emissions.CO2", vs, rs, 1), TR_OK);
    const tr_table *v = tr_analysis_find(a, "variants");
    ck_assert_double_eq_tol(tr_table_num(v, 0, 1), tr_result_resource_cost(rt), 1e-9 * tr_result_npv(rt));
    tr_analysis_free(a);
    tr_result_free(rp);
    tr_result_free(rt);
    tr_scenario_free(taxed);
    tr_scenario_free(plain);
}
END_TEST

Suite *conv_suite(void)
{
    Suite *s = suite_create("conv");
    TCase *tc = tcase_create("conventions");
    tcase_add_test(tc, materials_are_not_energy);
    tcase_add_test(tc, iamc_names_follow_common_definitions);
    tcase_add_test(tc, relative_equals_absolute);
    tcase_add_test(tc, relative_reference_with_products);
    tcase_add_test(tc, relative_bad_input);
    tcase_add_test(tc, pareto_on_resource_cost);
    suite_add_tcase(s, tc);
    return s;
}
