/* MODEL.md §12: products and demand with priced imports, closable plants,
 * candidate plants, other cost, declared indicators and intensity targets
 * per any indicator, each on a tiny case solved by hand. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixtures.h"

#define NEAR(a, b, rel) \
    ck_assert_msg(fabs((double)(a) - (double)(b)) <= (rel) * fmax(1.0, fabs((double)(b))), "%s = %.12g, expected %.12g", #a, (double)(a), (double)(b))

static char yaml[16384];

/* Cookware: demand 1000 t/yr, imports at 500 USD/t. A household furnace
 * (closable, 1000 t/yr) costs `other_cost` 310 USD/t in 2020, rising by 50 a
 * year (no energy price), and employs 0.01 FTE per t. Discount rate 0. */
static const char *village(const char *plant_extra, const char *extra)
{
    snprintf(yaml, sizeof yaml,
             "format: techroad/1\n"
             "name: village\n"
             "horizon: {start: 2020, end: 2030}\n"
             "discount_rate: 0\n"
             "currency: USD\n"
             "products: {cookware: {name: Aluminium cookware, unit: t}}\n"
             "indicators: {jobs: {unit: FTE}}\n"
             "demand: {cookware: 1000}\n"
             "imports: {cookware: {price: 500}}\n"
             "species: {PM: {unit: kg}}\n"
             "carriers: {coal: {unit: t, price: 0}}\n"
             "plants:\n"
             "  hh:\n"
             "    product: cookware\n"
             "    capacity: 1000\n"
             "    production: 1000\n"
             "    intensity: {coal: 0.5}\n"
             "    process_emissions: {PM: 2}\n"
             "    other_cost: {2020: 310, 2030: 810}\n"
             "    indicators: {jobs: 0.01}\n"
             "    closable: true\n"
             "%s"
             "%s",
             plant_extra ? plant_extra : "", extra ? extra : "");
    return yaml;
}

static tr_result *solve_text(const char *text)
{
    tr_scenario *sc = fx_load_text(text);
    tr_result *r = fx_solve(sc);
    tr_scenario_free(sc);
    ck_assert_msg(tr_result_status(r) == TR_SOL_OPTIMAL, "status %s", tr_result_status_name(r));
    return r;
}

/* The furnace runs while 310 + 50 (y - 2020) < 500, i.e. to 2023, and
 * closes in 2024 (510 > 500); imports take over; the product's marginal
 * cost is the import price throughout. */
START_TEST(closable_closes_when_costs_exceed_imports)
{
    tr_result *r = solve_text(village(NULL, NULL));
    for (size_t t = 0; t < 11; t++) {
        double want = t <= 3 ? 1.0 : 0.0;
        NEAR(fx_series(r, "operating.hh", t), want, 1e-9);
        NEAR(fx_series(r, "production.cookware", t), 1000 * want, 1e-9);
        NEAR(fx_series(r, "imports.cookware", t), 1000 * (1 - want), 1e-9);
        NEAR(fx_series(r, "prices.cookware", t), 500, 1e-9);
        NEAR(fx_series(r, "jobs", t), 10 * want, 1e-9);
        NEAR(fx_series(r, "emissions.PM", t), 2000 * want, 1e-9);
        NEAR(fx_series(r, "energy.coal", t), 500 * want, 1e-9);
    }
    /* NPV: other cost 2020-23 (310+360+410+460) x 1000 + imports 7 x 500,000 */
    NEAR(tr_result_npv(r), (310 + 360 + 410 + 460) * 1000.0 + 7 * 500000.0, 1e-12);
    tr_result_free(r);
}
END_TEST

/* A closure cost of 100 USD per t/yr is paid once, in the closing year. */
START_TEST(closure_cost_is_paid_once)
{
    tr_result *r = solve_text(village("    closure_cost: 100\n", NULL));
    NEAR(fx_series(r, "operating.hh", 3), 1, 1e-9);
    NEAR(fx_series(r, "operating.hh", 4), 0, 1e-9);
    NEAR(fx_series(r, "cost.closure", 4), 100000, 1e-9);
    NEAR(fx_series(r, "cost.closure", 5), 0, 1e-9);
    NEAR(fx_total(r, "npv"), (310 + 360 + 410 + 460) * 1000.0 + 7 * 500000.0 + 100000, 1e-12);
    tr_result_free(r);
}
END_TEST

/* A floor of 5 jobs in 2025, with the furnace reopenable: it runs at half
 * its capacity in 2025 only. Each job needs 100 t made at 560 instead of
 * imported at 500: shadow price 6,000 USD per FTE, checked by a finite
 * difference. */
START_TEST(jobs_floor_shadow_price)
{
    const char *pol = "policies:\n  jobs_floor: {type: floor, indicator: jobs, limit: %g, years: [2025, 2025]}\n";
    char p1[256], p2[256], text[16384];
    snprintf(p1, sizeof p1, pol, 5.0);
    snprintf(p2, sizeof p2, pol, 6.0);
    snprintf(text, sizeof text, "%s", village("    reopenable: true\n", p1));
    tr_result *r = solve_text(text);
    NEAR(fx_series(r, "operating.hh", 5), 0.5, 1e-9);
    NEAR(fx_series(r, "operating.hh", 4), 0, 1e-9);
    NEAR(fx_series(r, "operating.hh", 6), 0, 1e-9);
    NEAR(fx_series(r, "jobs", 5), 5, 1e-9);
    double sp = fx_series(r, "policy.jobs_floor.shadow_price", 5);
    NEAR(sp, 6000, 1e-9);
    double npv1 = tr_result_npv(r);
    tr_result_free(r);
    r = solve_text(village("    reopenable: true\n", p2));
    double fd = (tr_result_npv(r) - npv1) / 1.0;
    tr_result_free(r);
    NEAR(fd, sp, 1e-9);
}
END_TEST

/* A candidate cluster smelter: capex 1,000 USD per t/yr, 10 years, hurdle
 * 0 (charge 100 per t/yr and year), utilisation 1, other cost 300 USD/t;
 * import price 385 in 2020 rising by 10 a year. A tonne made there costs
 * 400: it pays from 2022 (405), not in 2021 (395): built in 2022. */
START_TEST(candidate_built_when_it_pays)
{
    const char *extra =
        "  smelter:\n"
        "    product: cookware\n"
        "    other_cost: 300\n"
        "    indicators: {jobs: 0.002}\n"
        "    build: {capex: 1000, lifetime: 10, hurdle_rate: 0, utilisation: 1.0, max_capacity: 1000}\n";
    snprintf(yaml, sizeof yaml,
             "format: techroad/1\nname: cluster\nhorizon: {start: 2020, end: 2030}\ndiscount_rate: 0\n"
             "products: {cookware: {unit: t}}\nindicators: {jobs: {unit: FTE}}\n"
             "demand: {cookware: 1000}\nimports: {cookware: {price: {2020: 385, 2030: 485}}}\n"
             "carriers: {electricity: {unit: MWh, price: 100}}\n"
             "plants:\n%s",
             extra);
    tr_result *r = solve_text(yaml);
    NEAR(fx_series(r, "built.smelter", 1), 0, 1e-9);
    NEAR(fx_series(r, "built.smelter", 2), 1000, 1e-9);
    NEAR(fx_series(r, "built.smelter", 10), 1000, 1e-9);
    NEAR(fx_series(r, "imports.cookware", 1), 1000, 1e-9);
    NEAR(fx_series(r, "imports.cookware", 2), 0, 1e-9);
    NEAR(fx_series(r, "investment", 2), 1000000, 1e-9);
    NEAR(fx_series(r, "cost.capital", 5), 100000, 1e-9);
    NEAR(fx_series(r, "jobs", 5), 2, 1e-9);
    /* NPV: imports 2020-21 (385 + 395) x 1000 + 9 years x (300 + 100) x 1000 */
    NEAR(tr_result_npv(r), (385 + 395) * 1000.0 + 9 * 400000.0, 1e-12);
    tr_result_free(r);
}
END_TEST

/* The product's marginal cost (prices.<product>) equals the finite
 * difference of the NPV in the demand of that year. */
START_TEST(product_price_is_marginal_cost)
{
    const char *base = "format: techroad/1\nname: two\nhorizon: {start: 2020, end: 2021}\ndiscount_rate: 0.1\n"
                       "products: {a: {unit: t}, b: {unit: t}}\n"
                       "demand: {a: {2020: %g, 2021: 900}, b: 50}\n"
                       "imports: {a: {price: 700, max: 2000}, b: {price: 40}}\n"
                       "carriers: {e: {unit: MWh, price: 100}}\n"
                       "plants:\n"
                       "  pa: {product: a, capacity: 800, production: 800, intensity: {e: 1}}\n"
                       "  pb: {product: b, capacity: 100, production: 20, intensity: {e: 0.1}}\n";
    char t1[2048], t2[2048];
    snprintf(t1, sizeof t1, base, 1000.0);
    snprintf(t2, sizeof t2, base, 1001.0);
    tr_result *r = solve_text(t1);
    double price = fx_series(r, "prices.a", 0), npv = tr_result_npv(r);
    NEAR(fx_series(r, "imports.a", 0), 200, 1e-9);
    NEAR(fx_series(r, "production.b", 0), 20, 1e-9);
    NEAR(fx_series(r, "production", 0), 820, 1e-9);
    tr_result_free(r);
    r = solve_text(t2);
    NEAR(price, (tr_result_npv(r) - npv) / 1.0, 1e-9);
    NEAR(price, 700, 1e-9);
    tr_result_free(r);
}
END_TEST

/* Energy per value added (a resource-productivity target): value added
 * 200 USD/t; the cap of 0.004 MWh per USD needs 0.8 MWh/t, i.e. the
 * 0.2 MWh/t saving on the whole capacity. */
START_TEST(intensity_per_value_added)
{
    const char *t = "format: techroad/1\nname: va\nhorizon: {start: 2020, end: 2021}\ndiscount_rate: 0\n"
                    "indicators: {value_added: {unit: USD}}\n"
                    "carriers: {electricity: {unit: MWh, price: 100}}\n"
                    "plants: {p: {capacity: 1000, production: 1000, intensity: {electricity: 1}, "
                    "indicators: {value_added: 200}}}\n"
                    "technologies: {eff: {effects: {electricity: -0.2}, capex: 300, lifetime: 10, hurdle_rate: 0}}\n"
                    "policies: {rp: {type: intensity_cap, indicator: energy.electricity, per: value_added, "
                    "limit: 0.004, years: [2021, 2021]}}\n";
    tr_result *r = solve_text(t);
    NEAR(fx_series(r, "adoption.eff", 1), 1, 1e-9);
    NEAR(fx_series(r, "policy.rp.value", 1), 0.004, 1e-9);
    NEAR(fx_series(r, "value_added", 1), 200000, 1e-9);
    /* one more MWh per year costs (30 - 20) / 0.2 = 50 USD */
    NEAR(fx_series(r, "policy.rp.shadow_price", 1), 50, 1e-9);
    tr_result_free(r);
}
END_TEST

/* A scenario that declares none of §12 has none of its outputs. */
START_TEST(no_extension_no_extra_outputs)
{
    tr_scenario *sc = fx_load_file(TR_TEST_DATA "/tiny.yaml");
    tr_result *r = fx_solve(sc);
    size_t i;
    ck_assert_int_eq(tr_result_series_find(r, "prices.main", &i), TR_E_NOTFOUND);
    ck_assert_int_eq(tr_result_series_find(r, "cost.other", &i), TR_E_NOTFOUND);
    tr_result_free(r);
    tr_scenario_free(sc);
}
END_TEST

/* ---------------------------------------------------------- bad §12 input
 * Each case edits the village scenario; the message names file:line:col,
 * the field path and what was expected. */
typedef struct bad {
    const char *what, *plant_extra, *extra;
    tr_status code;
    const char *msg[3];
} bad;

static const bad bads[] = {
    {"product and products", NULL, "product: {name: x, unit: t}\n", TR_E_INVAL,
     {"test.yaml:6:11: products: ", "expected either `product` or `products`, not both"}},
    {"unknown product on a plant", "    reopenable: false\n", NULL, TR_E_INVAL, {"test.yaml:", "", ""}},
    {"demand of an unknown product", NULL, "demand: {pans: 10}\n", TR_E_NOTFOUND,
     {"test.yaml:", "demand.pans: ", "unknown product \"pans\""}},
    {"negative demand", NULL, "demand: {cookware: -5}\n", TR_E_INVAL,
     {"test.yaml:", "demand.cookware: ", "expected a demand >= 0, got -5"}},
    {"imports without demand (second product)", NULL,
     "imports: {cookware: {price: 500}, trays: {price: 100}}\n", TR_E_NOTFOUND,
     {"test.yaml:", "imports.trays: ", "unknown product \"trays\""}},
    {"unknown key in imports", NULL, "imports: {cookware: {price: 500, maximum: 10}}\n", TR_E_INVAL,
     {"test.yaml:", "imports.cookware.maximum: ", "expected one of: price, max"}},
    {"min_operating above 1", "    min_operating: 1.5\n", NULL, TR_E_INVAL,
     {"test.yaml:", "plants.hh.min_operating: ", "expected a share in [0, 1], got 1.5"}},
    {"closable not a boolean", NULL, NULL, TR_E_INVAL, {"", "", ""}},
    {"unknown indicator on a plant", NULL,
     "  p2: {product: cookware, capacity: 10, production: 5, indicators: {health: 1}}\n", TR_E_NOTFOUND,
     {"test.yaml:", "plants.p2.indicators.health: ", "unknown indicator \"health\""}},
    {"candidate with a capacity", NULL,
     "  c: {product: cookware, capacity: 10, build: {capex: 1, lifetime: 5}}\n", TR_E_INVAL,
     {"test.yaml:", "plants.c.capacity: ", "a candidate plant (with `build`) has no capacity"}},
    {"candidate without lifetime", NULL, "  c: {product: cookware, build: {capex: 1}}\n", TR_E_INVAL,
     {"test.yaml:", "plants.c.build.lifetime: ", "required field is missing; expected an integer >= 1 (years)"}},
    {"candidate utilisation above 1", NULL,
     "  c: {product: cookware, build: {capex: 1, lifetime: 5, utilisation: 1.2}}\n", TR_E_INVAL,
     {"test.yaml:", "plants.c.build.utilisation: ", "expected a share in [0, 1], got 1.2"}},
    {"candidate build after the horizon", NULL,
     "  c: {product: cookware, build: {capex: 1, lifetime: 5, available_from: 2040}}\n", TR_E_INVAL,
     {"test.yaml:", "plants.c.build.available_from: ", "expected a year within the horizon 2020..2030, got 2040"}},
    {"intensity per an unknown indicator", NULL,
     "policies: {rp: {type: intensity_cap, indicator: energy.coal, per: value_added, limit: 1}}\n", TR_E_NOTFOUND,
     {"test.yaml:", "policies.rp.per: ", "unknown indicator \"value_added\""}},
    {"intensity for an unknown product", NULL,
     "policies: {rp: {type: intensity_cap, indicator: energy.coal, product: pans, limit: 1}}\n", TR_E_NOTFOUND,
     {"test.yaml:", "policies.rp.product: ", "unknown product \"pans\""}},
    {"floor on production of an unknown product", NULL,
     "policies: {f: {type: floor, indicator: production.pans, limit: 1}}\n", TR_E_NOTFOUND,
     {"test.yaml:", "policies.f.indicator: ", "unknown product \"pans\""}},
};

START_TEST(bad_section12_input)
{
    const bad *b = &bads[_i];
    char text[16384];
    if (!strcmp(b->what, "unknown product on a plant")) {
        snprintf(text, sizeof text, "%s", village(NULL, NULL));
        char *p = strstr(text, "    product: cookware\n");
        memcpy(p, "    product: saucepan", 21);
        char msg[2048];
        ck_assert_int_eq(fx_load_error(text, msg, sizeof msg), TR_E_NOTFOUND);
        ck_assert_msg(strstr(msg, "test.yaml:14:14: plants.hh.product: unknown product \"saucepa"), "%s", msg);
        return;
    }
    if (!strcmp(b->what, "closable not a boolean")) {
        snprintf(text, sizeof text, "%s", village(NULL, NULL));
        char *p = strstr(text, "closable: true");
        memcpy(p, "closable: yeah", 14);
        char msg[2048];
        ck_assert_int_eq(fx_load_error(text, msg, sizeof msg), TR_E_INVAL);
        ck_assert_msg(strstr(msg, "test.yaml:21:15: plants.hh.closable: expected true or false, got \"yeah\""), "%s", msg);
        return;
    }
    if (!strcmp(b->what, "product and products")) {
        snprintf(text, sizeof text, "%s", village(NULL, NULL));
        /* put `product:` right after `currency:` */
        char *p = strstr(text, "products:");
        char tail[16384];
        snprintf(tail, sizeof tail, "%s", p);
        snprintf(p, sizeof text - (size_t)(p - text), "product: {name: x, unit: t}\n%s", tail);
        char msg[2048];
        ck_assert_int_eq(fx_load_error(text, msg, sizeof msg), TR_E_INVAL);
        ck_assert_msg(strstr(msg, "products: expected either `product` or `products`, not both"), "%s", msg);
        return;
    }
    const char *extra = b->extra;
    char plants_extra[2048] = "";
    if (extra && !strncmp(extra, "  ", 2)) {
        /* a second plant goes after the household furnace */
        snprintf(plants_extra, sizeof plants_extra, "%s", extra);
        extra = NULL;
    }
    snprintf(text, sizeof text, "%s", village(b->plant_extra, NULL));
    strncat(text, plants_extra, sizeof text - strlen(text) - 1);
    if (extra) {
        /* replace the line of the same top-level key, or append */
        const char *colon = strchr(extra, ':');
        char key[64];
        snprintf(key, sizeof key, "\n%.*s:", (int)(colon - extra), extra);
        char *at = strstr(text, key);
        if (at) {
            char *eol = strchr(at + 1, '\n');
            char tail[16384];
            snprintf(tail, sizeof tail, "%s", eol + 1);
            snprintf(at + 1, sizeof text - (size_t)(at + 1 - text), "%s%s", extra, tail);
        } else {
            strncat(text, extra, sizeof text - strlen(text) - 1);
        }
    }
    char msg[2048];
    tr_status st = fx_load_error(text, msg, sizeof msg);
    ck_assert_msg(st == b->code, "%s: status %d, expected %d: %s", b->what, (int)st, (int)b->code, msg);
    const char *from = msg;
    for (int k = 0; k < 3; k++) {
        if (!b->msg[k] || !*b->msg[k])
            continue;
        const char *hit = strstr(from, b->msg[k]);
        ck_assert_msg(hit != NULL, "%s: message lacks [%s]: %s", b->what, b->msg[k], msg);
        from = hit;
    }
}
END_TEST

/* FIXED BUG: demand 0.9 t below a closable plant's production, candidate
 * plants without limits: GLPK's primal simplex with presolve answered
 * "optimal" with the import column at -0.9 (outside its bound), which the
 * check turned into "failed". Such an answer is now solved again without
 * presolve: the plant runs at 899.1 / 900 and nothing is imported. */
START_TEST(presolve_answer_outside_a_bound)
{
    tr_scenario *sc = fx_two_candidates("presolve", "{2020: 899.1, 2021: 1050, 2022: 1200, 2023: 1350, 2024: 1500}");
    for (int meth = TR_METHOD_DUAL; meth <= TR_METHOD_PRIMAL; meth++) {
        tr_solve_opts o;
        tr_solve_opts_init(&o);
        o.method = meth;
        tr_result *r = NULL;
        ck_assert_int_eq(tr_scenario_solve(sc, &o, &r), TR_OK);
        ck_assert_msg(tr_result_status(r) == TR_SOL_OPTIMAL, "method %d: %s", meth, tr_result_status_name(r));
        ck_assert_double_eq_tol(fx_series(r, "production", 0), 899.1, 1e-6);
        ck_assert_double_eq_tol(fx_series(r, "imports.steel", 0), 0, 1e-6);
        tr_result_free(r);
    }
    tr_scenario_free(sc);
}
END_TEST

Suite *ext_suite(void)
{
    Suite *s = suite_create("ext");
    TCase *tc = tcase_create("section12");
    tcase_add_test(tc, closable_closes_when_costs_exceed_imports);
    tcase_add_test(tc, closure_cost_is_paid_once);
    tcase_add_test(tc, jobs_floor_shadow_price);
    tcase_add_test(tc, candidate_built_when_it_pays);
    tcase_add_test(tc, product_price_is_marginal_cost);
    tcase_add_test(tc, intensity_per_value_added);
    tcase_add_test(tc, no_extension_no_extra_outputs);
    tcase_add_test(tc, presolve_answer_outside_a_bound);
    suite_add_tcase(s, tc);
    tc = tcase_create("bad_input");
    tcase_add_loop_test(tc, bad_section12_input, 0, (int)(sizeof bads / sizeof *bads));
    suite_add_tcase(s, tc);
    return s;
}
