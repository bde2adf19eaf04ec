/* Model tests: tiny LPs solved by hand, every policy type binding with its
 * shadow price checked against a finite difference, invariants, and energy /
 * emission / cost balances recomputed from the solution on every shipped
 * scenario. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixtures.h"

/* The hand-solved case. One plant (1000 t/yr, fully used), electricity
 * 1 MWh/t at 100 USD/MWh, grid factor 1 tCO2/MWh, r = 10 %, 2020-2022.
 * One technology saves 0.2 MWh/t, lifetime 10, hurdle 0 (CRF = 0.1),
 * at most half the capacity newly equipped per year. */
static char yaml[8192];
static const double DF[3] = {1.0, 1.0 / 1.1, 1.0 / 1.21};

static const char *tiny(double capex, const char *tech_extra, const char *policies)
{
    snprintf(yaml, sizeof yaml,
             "format: techroad/1\n"
             "name: tiny\n"
             "horizon: {start: 2020, end: 2022}\n"
             "discount_rate: 0.1\n"
             "currency: USD\n"
             "species: {CO2: {unit: t}}\n"
             "carriers:\n"
             "  electricity: {unit: MWh, energy_content: 3.6, price: 100, emission_factors: {CO2: 1.0}}\n"
             "plants:\n"
             "  p1: {capacity: 1000, production: 1000, intensity: {electricity: 1.0}}\n"
             "technologies:\n"
             "  eff:\n"
             "    effects: {electricity: -0.2}\n"
             "    capex: %.17g\n"
             "    lifetime: 10\n"
             "    hurdle_rate: 0\n"
             "    max_uptake: 0.5\n"
             "%s"
             "%s%s",
             capex, tech_extra ? tech_extra : "", policies ? "policies:\n" : "", policies ? policies : "");
    return yaml;
}

static tr_result *solve_text(const char *text)
{
    tr_scenario *sc = fx_load_text(text);
    tr_result *r = fx_solve(sc);
    tr_scenario_free(sc);
    return r;
}

static double npv_of(const char *text)
{
    tr_result *r = solve_text(text);
    ck_assert_msg(tr_result_status(r) == TR_SOL_OPTIMAL, "not optimal: %s", tr_result_status_name(r));
    double v = tr_result_npv(r);
    tr_result_free(r);
    return v;
}

#define NEAR(a, b, rel) ck_assert_msg(fabs((double)(a) - (double)(b)) <= (rel) * fmax(1.0, fabs((double)(b))), "%s = %.12g, expected %.12g", #a, (double)(a), (double)(b))

/* capex 30: each unit of a saves 0.2 MWh x 100 = 20 USD/yr and costs a
 * charge of 30 x 0.1 = 3 USD/yr from its year of installation, so the
 * earliest installation pays: n = 500 in 2020 and 500 in 2021 (diffusion
 * limit), adoption 50 % / 100 % / 100 %.
 * Energy cost: 90,000 / 80,000 / 80,000; charges 1,500 / 3,000 / 3,000.
 * NPV = 91,500 + 83,000/1.1 + 83,000/1.21 = 235,549.5868. */
START_TEST(hand_solved_profitable)
{
    tr_result *r = solve_text(tiny(30, NULL, NULL));
    ck_assert_int_eq(tr_result_status(r), TR_SOL_OPTIMAL);
    double npv = 91500 + 83000 / 1.1 + 83000 / 1.21;
    NEAR(tr_result_npv(r), npv, 1e-9);
    NEAR(fx_series(r, "adoption.eff", 0), 0.5, 1e-9);
    NEAR(fx_series(r, "adoption.eff", 1), 1.0, 1e-9);
    NEAR(fx_series(r, "adoption.eff", 2), 1.0, 1e-9);
    NEAR(fx_series(r, "energy.electricity", 0), 900, 1e-9);
    NEAR(fx_series(r, "energy.electricity", 2), 800, 1e-9);
    NEAR(fx_series(r, "energy.total", 2), 800 * 3.6, 1e-9);
    NEAR(fx_series(r, "emissions.CO2", 1), 800, 1e-9);
    NEAR(fx_series(r, "investment", 0), 15000, 1e-9);
    NEAR(fx_series(r, "investment", 1), 15000, 1e-9);
    NEAR(fx_series(r, "investment", 2), 0, 1e-9);
    NEAR(fx_series(r, "cost.capital", 2), 3000, 1e-9);
    NEAR(fx_series(r, "cost.energy", 0), 90000, 1e-9);
    NEAR(fx_total(r, "cumulative.emissions.CO2"), 2500, 1e-9);
    double inst[3];
    ck_assert_int_eq(tr_result_get_installed(r, 0, 0, inst, 3), TR_OK);
    NEAR(inst[0], 500, 1e-9);
    NEAR(inst[1], 500, 1e-9);
    tr_result_free(r);
}
END_TEST

/* capex 300: the charge (30/yr) exceeds the saving (20/yr): nothing is
 * installed and the NPV is the baseline 100,000 x (1 + 1/1.1 + 1/1.21). */
START_TEST(hand_solved_unprofitable)
{
    tr_result *r = solve_text(tiny(300, NULL, NULL));
    NEAR(tr_result_npv(r), 100000 * (DF[0] + DF[1] + DF[2]), 1e-9);
    NEAR(fx_series(r, "adoption.eff", 2), 0, 1e-9);
    tr_result_free(r);
}
END_TEST

/* A CO2 cap of 950 t in 2022 with the unprofitable technology: the
 * cheapest way is to install 250 t/yr in 2022 only (charge 30, saving 20:
 * net 10 USD per t/yr), each saving 0.2 tCO2: the cap's shadow price is
 * 10 / 0.2 = 50 USD/tCO2 in money of 2022, and the NPV rises by
 * 250 x 10 / 1.21 = 2,066.12. */
START_TEST(hand_solved_cap_shadow_price)
{
    const char *pol = "  co2: {type: cap, indicator: emissions.CO2, limit: 950, years: [2022, 2022]}\n";
    tr_result *r = solve_text(tiny(300, NULL, pol));
    ck_assert_int_eq(tr_result_status(r), TR_SOL_OPTIMAL);
    NEAR(tr_result_npv(r), 100000 * (DF[0] + DF[1] + DF[2]) + 2500 / 1.21, 1e-9);
    NEAR(fx_series(r, "policy.co2.shadow_price", 2), 50, 1e-7);
    NEAR(fx_series(r, "policy.co2.binding", 2), 1, 0);
    ck_assert(isnan(fx_series(r, "policy.co2.binding", 0)));
    NEAR(fx_series(r, "emissions.CO2", 2), 950, 1e-9);
    NEAR(fx_series(r, "investment", 2), 250 * 300, 1e-9);
    tr_result_free(r);
}
END_TEST

/* ---------------------------------------------------------- every policy
 * Each case: a policy block, the year index where it binds, and the
 * perturbation that tightens it by one unit of its indicator. The shadow
 * price must equal (NPV(tightened) - NPV) / df[y], and be >= 0. */
typedef struct pcase {
    const char *name;
    double capex;
    const char *fmt;       /* policy with %g for the limit */
    double limit, tighter; /* limit, and limit tightened by one unit */
    int t;
    double expect;         /* hand value of the shadow price, or NAN */
} pcase;

static const pcase cases[] = {
    {"cap", 300, "  pol: {type: cap, indicator: emissions.CO2, limit: %.17g, years: [2022, 2022]}\n", 950, 949, 2, 50},
    /* intensity: 0.95 t/t x 1000 t; one unit of the indicator = 1 t */
    {"intensity_cap", 300, "  pol: {type: intensity_cap, indicator: emissions.CO2, limit: %.17g, years: [2022, 2022]}\n",
     0.95, 0.949, 2, 50},
    /* standard on the plant's electricity per t: 0.95 MWh/t; 1 MWh costs 10/0.2 = 50 */
    {"standard", 300, "  pol: {type: standard, indicator: energy.electricity, limit: %.17g, years: [2022, 2022]}\n",
     0.95, 0.949, 2, 50},
    /* floor on electricity with the profitable technology: each MWh more
     * means retiring 5 t/yr of equipment, losing 100 USD of saving */
    {"floor", 30, "  pol: {type: floor, indicator: energy.electricity, limit: %.17g, years: [2022, 2022]}\n", 900, 901, 2,
     100},
    /* mandate 40 % of capacity in 2022: one more t/yr installed in 2022
     * costs 30 - 20 = 10 (within the diffusion limit of 500 t/yr) */
    {"mandate", 300, "  pol: {type: mandate, technology: eff, share: %.17g, years: [2022, 2022]}\n", 0.4, 0.401, 2, 10},
    {"mandate_per_plant", 300,
     "  pol: {type: mandate, technology: eff, share: %.17g, per_plant: true, years: [2022, 2022]}\n", 0.4, 0.401, 2, 10},
    /* beyond the diffusion limit the extra t/yr must come a year earlier:
     * 10 x (df[2021] + df[2022]) / df[2022] = 21 */
    {"mandate_beyond_diffusion", 300, "  pol: {type: mandate, technology: eff, share: %.17g, years: [2022, 2022]}\n",
     0.8, 0.801, 2, 21},
    /* budget 6,000 USD in 2020 with the profitable technology */
    {"budget", 30, "  pol: {type: budget, limit: %.17g, years: [2020, 2020]}\n", 6000, 5999, 0, NAN},
    {"budget_subsidy", 100,
     "  sub: {type: subsidy, technologies: [eff], share: 0.9}\n"
     "  pol: {type: budget, on: subsidy, limit: %.17g, years: [2020, 2020]}\n",
     9000, 8999, 0, NAN},
};

static double tighten_scale(const pcase *c)
{
    /* the tightening in units of the indicator */
    if (!strcmp(c->name, "intensity_cap") || !strcmp(c->name, "standard"))
        return fabs(c->limit - c->tighter) * 1000;   /* x production */
    if (!strncmp(c->name, "mandate", 7))
        return fabs(c->limit - c->tighter) * 1000;   /* x appl x capacity */
    return fabs(c->limit - c->tighter);
}

START_TEST(policy_shadow_matches_finite_difference)
{
    const pcase *c = &cases[_i];
    char pol[1024], pol2[1024];
    snprintf(pol, sizeof pol, c->fmt, c->limit);
    snprintf(pol2, sizeof pol2, c->fmt, c->tighter);
    char text[8192];
    snprintf(text, sizeof text, "%s", tiny(c->capex, NULL, pol));
    tr_result *r = solve_text(text);
    ck_assert_msg(tr_result_status(r) == TR_SOL_OPTIMAL, "%s: %s", c->name, tr_result_status_name(r));
    double sp = fx_series(r, "policy.pol.shadow_price", (size_t)c->t);
    ck_assert_msg(fx_series(r, "policy.pol.binding", (size_t)c->t) == 1, "%s does not bind", c->name);
    ck_assert_msg(sp > 0, "%s: shadow price %g not > 0", c->name, sp);
    double npv = tr_result_npv(r);
    tr_result_free(r);
    double npv2 = npv_of(tiny(c->capex, NULL, pol2));
    double fd = (npv2 - npv) / tighten_scale(c) / DF[c->t];
    ck_assert_msg(fabs(fd - sp) <= 1e-6 * fmax(1, fabs(sp)), "%s: shadow price %.10g, finite difference %.10g", c->name,
                  sp, fd);
    if (!isnan(c->expect))
        NEAR(sp, c->expect, 1e-7);
}
END_TEST

/* price: 60 USD/tCO2 makes the technology pay (0.2 x 60 + 20 > 30);
 * subsidy: 50 %% of capex does too (15 < 20); ban from 2021 stops new
 * installations. */
START_TEST(price_subsidy_ban)
{
    tr_result *r = solve_text(tiny(300, NULL, "  tax: {type: price, species: CO2, value: 60}\n"));
    NEAR(fx_series(r, "adoption.eff", 2), 1.0, 1e-9);
    NEAR(fx_series(r, "cost.emission_tax", 2), 800 * 60, 1e-9);
    ck_assert(isnan(fx_series(r, "policy.tax.binding", 2)));
    NEAR(fx_series(r, "policy.tax.limit", 2), 60, 0);
    tr_result_free(r);

    r = solve_text(tiny(300, NULL, "  sub: {type: subsidy, technologies: [eff], share: 0.5}\n"));
    NEAR(fx_series(r, "adoption.eff", 2), 1.0, 1e-9);
    NEAR(fx_series(r, "subsidy", 0), 0.5 * 300 * 500, 1e-9);
    /* private NPV: charges at 15/yr instead of 30 */
    double npv = 100000 * (DF[0] + DF[1] + DF[2]) - 500 * 5 * (DF[0] + DF[1] + DF[2]) - 500 * 5 * (DF[1] + DF[2]);
    NEAR(tr_result_npv(r), npv, 1e-9);
    NEAR(fx_total(r, "pv.subsidy"), 0.5 * 300 * 500 * (DF[0] + DF[1]), 1e-9);
    tr_result_free(r);

    r = solve_text(tiny(30, NULL, "  stop: {type: ban, technologies: [eff], from: 2021}\n"));
    NEAR(fx_series(r, "adoption.eff", 2), 0.5, 1e-9);
    NEAR(fx_series(r, "investment", 1), 0, 1e-9);
    tr_result_free(r);
}
END_TEST

/* social objective: a damage cost of 60 USD/t counts like a tax */
START_TEST(social_objective_counts_damage)
{
    char text[8192];
    snprintf(text, sizeof text, "%s", tiny(300, NULL, NULL));
    char *p = strstr(text, "species: {CO2: {unit: t}}");
    ck_assert_ptr_nonnull(p);
    const char *rest = p + strlen("species: {CO2: {unit: t}}");
    char out[8192];
    snprintf(out, sizeof out, "%.*sobjective: social\nspecies: {CO2: {unit: t, damage_cost: 60}}%s", (int)(p - text), text,
             rest);
    tr_result *r = solve_text(out);
    NEAR(fx_series(r, "adoption.eff", 2), 1.0, 1e-9);
    NEAR(fx_series(r, "cost.damage", 2), 800 * 60, 1e-9);
    tr_result_free(r);
    /* private: the damage is reported but does not drive adoption */
    p = strstr(out, "objective: social\n");
    memmove(p, p + strlen("objective: social\n"), strlen(p + strlen("objective: social\n")) + 1);
    r = solve_text(out);
    NEAR(fx_series(r, "adoption.eff", 2), 0, 1e-9);
    NEAR(fx_series(r, "cost.damage", 2), 1000 * 60, 1e-9);
    tr_result_free(r);
}
END_TEST

/* existing stock and lifetime retirement: 30 %% equipped before 2020 stays;
 * a 2-year lifetime installation retires after two years */
START_TEST(existing_and_lifetime)
{
    tr_result *r = solve_text(tiny(300, "    existing: {p1: 0.3}\n", NULL));
    NEAR(fx_series(r, "adoption.eff", 0), 0.3, 1e-9);
    NEAR(fx_series(r, "adoption.eff", 2), 0.3, 1e-9);
    NEAR(fx_series(r, "investment", 0), 0, 1e-9);
    tr_result_free(r);
    char text[8192];
    snprintf(text, sizeof text, "%s", tiny(30, NULL, NULL));
    char *p = strstr(text, "lifetime: 10");
    memcpy(p, "lifetime: 1 ", 12);
    /* lifetime 1: installations last one year: a charge of 30 per year of
     * use against a saving of 20: not worth it */
    r = solve_text(text);
    NEAR(fx_series(r, "adoption.eff", 1), 0, 1e-9);
    tr_result_free(r);
}
END_TEST

/* exclusive groups: two preheating options cannot together exceed capacity */
START_TEST(exclusive_group)
{
    tr_result *r = solve_text(tiny(30, "    group: g\n    applicability: 0.8\n"
                                       "  eff2:\n    group: g\n    effects: {electricity: -0.1}\n    capex: 10\n"
                                       "    lifetime: 10\n    hurdle_rate: 0\n    applicability: 0.8\n",
                                   NULL));
    double a1 = fx_series(r, "equipped.eff", 2), a2 = fx_series(r, "equipped.eff2", 2);
    ck_assert_msg(a1 + a2 <= 1000 + 1e-6, "group exceeds capacity: %g + %g", a1, a2);
    NEAR(a1, 800, 1e-9);   /* the better one fills its applicability */
    NEAR(a2, 200, 1e-9);   /* the other takes the rest of the capacity */
    tr_result_free(r);
}
END_TEST

/* ---------------------------------------------------------- invariants */

START_TEST(tighter_cap_never_lowers_npv)
{
    double prev = -HUGE_VAL;
    for (double lim = 1000; lim >= 810; lim -= 10) {
        char pol[256];
        snprintf(pol, sizeof pol, "  c: {type: cap, indicator: emissions.CO2, limit: %g}\n", lim);
        /* 2020 can reach 900 at best (diffusion); cap only from 2021 */
        char pol2[300];
        snprintf(pol2, sizeof pol2, "%.*s, years: [2021, 2022]}\n", (int)strlen(pol) - 2, pol);
        double v = npv_of(tiny(300, NULL, pol2));
        ck_assert_msg(v >= prev - 1e-6 * fabs(prev), "cap %g: NPV %g < %g", lim, v, prev);
        prev = v;
    }
}
END_TEST

START_TEST(subsidy_never_raises_npv)
{
    double prev = HUGE_VAL;
    for (double share = 0; share <= 1.0001; share += 0.1) {
        char pol[256];
        snprintf(pol, sizeof pol, "  s: {type: subsidy, technologies: [eff], share: %g}\n", share > 1 ? 1 : share);
        double v = npv_of(tiny(300, NULL, pol));
        ck_assert_msg(v <= prev + 1e-6 * fabs(prev), "subsidy %g: NPV %g > %g", share, v, prev);
        prev = v;
    }
}
END_TEST

START_TEST(extends_identical_changes_nothing)
{
    tr_scenario *a = fx_load_file(TR_TEST_DATA "/tiny.yaml");
    tr_scenario *b = fx_load_file(TR_TEST_DATA "/extends_tiny.yaml");
    ck_assert_str_eq(tr_scenario_sha256(a), tr_scenario_sha256(b));
    tr_result *ra = fx_solve(a), *rb = fx_solve(b);
    char *ja = NULL, *jb = NULL;
    ck_assert_int_eq(tr_result_write_string(ra, TR_FMT_JSON, &ja), TR_OK);
    ck_assert_int_eq(tr_result_write_string(rb, TR_FMT_JSON, &jb), TR_OK);
    ck_assert_str_eq(ja, jb);
    tr_string_free(ja);
    tr_string_free(jb);
    tr_result_free(ra);
    tr_result_free(rb);
    tr_scenario_free(a);
    tr_scenario_free(b);
}
END_TEST

START_TEST(infeasible_gets_diagnosis)
{
    /* 2020 can reach 900 t at best: a cap of 850 t cannot be met */
    tr_result *r = solve_text(tiny(300, NULL, "  co2_cap: {type: cap, indicator: emissions.CO2, limit: 850}\n"));
    ck_assert_int_eq(tr_result_status(r), TR_SOL_INFEASIBLE);
    ck_assert(isnan(tr_result_npv(r)));
    ck_assert_uint_ge(tr_result_diagnosis_count(r), 1);
    tr_diagnosis d;
    ck_assert_int_eq(tr_result_get_diagnosis(r, 0, &d), TR_OK);
    ck_assert_str_eq(d.policy, "co2_cap");
    ck_assert_int_eq(d.year, 2020);
    NEAR(d.reachable, 900, 1e-7);
    NEAR(d.limit, 850, 0);
    ck_assert_msg(strstr(d.message, "policy co2_cap cannot be met in 2020: lowest reachable emissions.CO2 is 900 t, "
                                    "limit 850 t") != NULL,
                  "message: %s", d.message);
    ck_assert_int_eq(tr_result_get_diagnosis(r, 99, &d), TR_E_NOTFOUND);
    tr_result_free(r);
}
END_TEST

/* Issue 17 item 12: the reachable value is the policy row's activity at the
 * elastic solution; limit - slack lost every digit once the limit passed
 * about 1e16 ("highest reachable production is 0 t" for a floor of 1e20).
 * 2020 reaches 900 t of CO2 at best (half the capacity equipped), later years
 * 800 t; production is 1,000 t and electricity at most 1,000 MWh. Whole LP and
 * decomposed alike. */
START_TEST(diagnosis_reachable_with_huge_limits)
{
    static const struct {
        const char *policy;
        double reach[3];
        const char *message;
    } cases[] = {
        {"  f: {type: floor, indicator: production, limit: 1e20}\n", {1000, 1000, 1000},
         "policy f cannot be met in 2020: highest reachable production is 1,000 t, limit 1e+20 t"},
        {"  f: {type: cap, indicator: emissions.CO2, limit: -1e20}\n", {900, 800, 800},
         "policy f cannot be met in 2020: lowest reachable emissions.CO2 is 900 t, limit -1e+20 t"},
        {"  f: {type: intensity_cap, indicator: emissions.CO2, limit: -1e18}\n", {0.9, 0.8, 0.8},
         "policy f cannot be met in 2020: lowest reachable emissions.CO2 per t is 0.9 t/t, limit -1e+18 t/t"},
        {"  f: {type: floor, indicator: energy.electricity, limit: 3e17}\n", {1000, 1000, 1000},
         "policy f cannot be met in 2020: highest reachable energy.electricity is 1,000 MWh, limit 3e+17 MWh"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        for (int dec = 0; dec < 2; dec++) {
            tr_scenario *sc = fx_load_text(tiny(300, NULL, cases[i].policy));
            tr_solve_opts o;
            tr_solve_opts_init(&o);
            o.structure = dec ? TR_STRUCTURE_DECOMPOSED : TR_STRUCTURE_MONOLITHIC;
            tr_result *r = NULL;
            ck_assert_int_eq(tr_scenario_solve(sc, &o, &r), TR_OK);
            ck_assert_int_eq(tr_result_status(r), TR_SOL_INFEASIBLE);
            ck_assert_uint_eq(tr_result_diagnosis_count(r), 3);
            for (size_t k = 0; k < 3; k++) {
                tr_diagnosis d;
                ck_assert_int_eq(tr_result_get_diagnosis(r, k, &d), TR_OK);
                ck_assert_int_eq(d.year, 2020 + (int)k);
                ck_assert_msg(fabs(d.reachable - cases[i].reach[k]) <= 1e-6 * cases[i].reach[k],
                              "case %zu (%s) %d: reachable %.17g, expected %g", i, dec ? "decomposed" : "whole", d.year,
                              d.reachable, cases[i].reach[k]);
                if (k == 0)
                    ck_assert_msg(strstr(d.message, cases[i].message), "%s", d.message);
            }
            tr_result_free(r);
            tr_scenario_free(sc);
        }
}
END_TEST

START_TEST(interior_point_agrees)
{
    tr_scenario *sc = fx_load_text(tiny(30, NULL, NULL));
    tr_solve_opts o;
    tr_solve_opts_init(&o);
    tr_result *a = NULL, *b = NULL, *c = NULL;
    ck_assert_int_eq(tr_scenario_solve(sc, &o, &a), TR_OK);
    o.method = TR_METHOD_INTERIOR;
    ck_assert_int_eq(tr_scenario_solve(sc, &o, &b), TR_OK);
    o.method = TR_METHOD_PRIMAL;
    o.presolve = 0;
    ck_assert_int_eq(tr_scenario_solve(sc, &o, &c), TR_OK);
    NEAR(tr_result_npv(b), tr_result_npv(a), 1e-6);
    NEAR(tr_result_npv(c), tr_result_npv(a), 1e-9);
    o.method = 7;
    tr_result *bad = NULL;
    ck_assert_int_eq(tr_scenario_solve(sc, &o, &bad), TR_E_INVAL);
    ck_assert_ptr_nonnull(strstr(tr_last_error(), "method"));
    tr_result_free(a);
    tr_result_free(b);
    tr_result_free(c);
    tr_scenario_free(sc);
}
END_TEST

/* ---------------------------------------------------------- balances
 * On every shipped scenario: recompute energy per carrier, emissions per
 * species, investment and the NPV from the per-plant solution and the
 * scenario's own numbers (read back through tr_scenario_value), without
 * the LP rows or the library's extraction code. */

static double val_or(const tr_scenario *sc, const char *path, int year, double dflt)
{
    double v;
    return tr_scenario_value(sc, path, year, &v) == TR_OK ? v : dflt;
}

static double eff(const tr_scenario *sc, const char *tech, const char *kind, const char *item, const char *plant,
                  const char *basekind, int year)
{
    char path[512];
    double v;
    snprintf(path, sizeof path, "technologies.%s.%s.%s", tech, kind, item);
    if (tr_scenario_value(sc, path, year, &v) == TR_OK)
        return v;
    snprintf(path, sizeof path, "technologies.%s.%s.%s.relative", tech, kind, item);
    if (tr_scenario_value(sc, path, year, &v) != TR_OK)
        return 0;
    snprintf(path, sizeof path, "plants.%s.%s.%s", plant, basekind, item);
    return v * val_or(sc, path, year, 0);
}

START_TEST(balances_on_every_scenario)
{
    const char *const *all = fx_all_scenarios();
    const char *file = all[_i];
    if (!file)
        return;
    tr_scenario *sc = fx_load_file(file);
    tr_result *r = fx_solve(sc);
    if (tr_result_status(r) != TR_SOL_OPTIMAL) {
        /* shipped scenarios must all solve */
        ck_abort_msg("%s: %s", file, tr_result_status_name(r));
    }
    size_t Y = tr_result_year_count(r), P = tr_scenario_count(sc, TR_ITEM_PLANT),
           K = tr_scenario_count(sc, TR_ITEM_TECHNOLOGY), C = tr_scenario_count(sc, TR_ITEM_CARRIER),
           S = tr_scenario_count(sc, TR_ITEM_SPECIES);
    double rate = val_or(sc, "discount_rate", 2020, 0);
    double *a = malloc(Y * sizeof *a), *n = malloc(Y * sizeof *n), *xs = malloc(P * Y * sizeof *xs);
    double npv = 0;
    /* production per plant: given, or (closable / candidate plants, §12) solved */
    for (size_t p = 0; p < P; p++)
        ck_assert_int_eq(tr_result_get_production(r, p, xs + p * Y, Y), TR_OK);
    for (size_t t = 0; t < Y; t++) {
        int y = tr_result_year(r, t);
        double E[64] = {0}, M[64] = {0}, inv = 0, prod = 0;
        ck_assert(C < 64 && S < 64);
        for (size_t p = 0; p < P; p++) {
            const char *pid = tr_scenario_id(sc, TR_ITEM_PLANT, p);
            char path[512];
            snprintf(path, sizeof path, "plants.%s.production", pid);
            double xn = val_or(sc, path, y, 0), x = xs[p * Y + t];
            snprintf(path, sizeof path, "plants.%s.capacity", pid);
            double cap = val_or(sc, path, y, 0), u = cap > 0 ? xn / cap : 0;
            snprintf(path, sizeof path, "plants.%s.build", pid);
            char *b = NULL;
            if (tr_scenario_get(sc, path, &b) == TR_OK) {   /* candidate: u = utilisation */
                snprintf(path, sizeof path, "plants.%s.build.utilisation", pid);
                u = val_or(sc, path, y, 0.85);
                tr_string_free(b);
                /* built capacity: investment from its increase (lifetimes outlast the horizon here) */
                char nm[300];
                snprintf(nm, sizeof nm, "built.%s", pid);
                double c1 = fx_series(r, nm, t), c0 = t ? fx_series(r, nm, t - 1) : 0;
                snprintf(path, sizeof path, "plants.%s.build.capex", pid);
                inv += val_or(sc, path, y, 0) * (c1 - c0);
            }
            prod += x;
            for (size_t c = 0; c < C; c++) {
                snprintf(path, sizeof path, "plants.%s.intensity.%s", pid, tr_scenario_id(sc, TR_ITEM_CARRIER, c));
                E[c] += val_or(sc, path, y, 0) * x;
            }
            for (size_t s = 0; s < S; s++) {
                snprintf(path, sizeof path, "plants.%s.process_emissions.%s", pid, tr_scenario_id(sc, TR_ITEM_SPECIES, s));
                M[s] += val_or(sc, path, y, 0) * x;
            }
            for (size_t k = 0; k < K; k++) {
                const char *kid = tr_scenario_id(sc, TR_ITEM_TECHNOLOGY, k);
                ck_assert_int_eq(tr_result_get_equipped(r, p, k, a, Y), TR_OK);
                ck_assert_int_eq(tr_result_get_installed(r, p, k, n, Y), TR_OK);
                if (a[t] == 0 && n[t] == 0)
                    continue;
                for (size_t c = 0; c < C; c++)
                    E[c] += eff(sc, kid, "effects", tr_scenario_id(sc, TR_ITEM_CARRIER, c), pid, "intensity", y) * u * a[t];
                for (size_t s = 0; s < S; s++)
                    M[s] += eff(sc, kid, "process_emissions", tr_scenario_id(sc, TR_ITEM_SPECIES, s), pid,
                                "process_emissions", y) *
                            u * a[t];
                snprintf(path, sizeof path, "technologies.%s.capex", kid);
                inv += val_or(sc, path, y, 0) * n[t];
            }
        }
        double ecost = 0;
        for (size_t c = 0; c < C; c++) {
            const char *cid = tr_scenario_id(sc, TR_ITEM_CARRIER, c);
            char path[512], name[300];
            size_t at;   /* a material (kind: material) is material.<id>, never energy.<id> */
            snprintf(name, sizeof name, "energy.%s", cid);
            if (tr_result_series_find(r, name, &at) != TR_OK)
                snprintf(name, sizeof name, "material.%s", cid);
            NEAR(fx_series(r, name, t), E[c], 1e-7);
            snprintf(path, sizeof path, "carriers.%s.price", cid);
            ecost += val_or(sc, path, y, 0) * E[c];
            for (size_t s = 0; s < S; s++) {
                snprintf(path, sizeof path, "carriers.%s.emission_factors.%s", cid, tr_scenario_id(sc, TR_ITEM_SPECIES, s));
                M[s] += val_or(sc, path, y, 0) * E[c];
            }
        }
        for (size_t s = 0; s < S; s++) {
            char name[300];
            snprintf(name, sizeof name, "emissions.%s", tr_scenario_id(sc, TR_ITEM_SPECIES, s));
            NEAR(fx_series(r, name, t), M[s], 1e-7);
        }
        NEAR(fx_series(r, "investment", t), inv, 1e-7);
        NEAR(fx_series(r, "production", t), prod, 1e-9);
        NEAR(fx_series(r, "cost.energy", t), ecost, 1e-7);
        npv += pow(1 + rate, -(double)t) * fx_series(r, "cost.total", t);
        (void)0;
    }
    NEAR(tr_result_npv(r), npv, 1e-9);
    free(a);
    free(n);
    free(xs);
    tr_result_free(r);
    tr_scenario_free(sc);
}
END_TEST

START_TEST(determinism_same_bytes)
{
    const char *const *all = fx_all_scenarios();
    for (size_t i = 0; all[i]; i++) {
        char *out[2][3];
        for (int rep = 0; rep < 2; rep++) {
            tr_scenario *sc = fx_load_file(all[i]);
            tr_result *r = fx_solve(sc);
            ck_assert_int_eq(tr_result_write_string(r, TR_FMT_JSON, &out[rep][0]), TR_OK);
            ck_assert_int_eq(tr_result_write_string(r, TR_FMT_IAMC, &out[rep][1]), TR_OK);
            ck_assert_int_eq(tr_result_write_string(r, TR_FMT_TABLE, &out[rep][2]), TR_OK);
            tr_result_free(r);
            tr_scenario_free(sc);
        }
        for (int f = 0; f < 3; f++) {
            ck_assert_msg(strcmp(out[0][f], out[1][f]) == 0, "%s: format %d differs between runs", all[i], f);
            tr_string_free(out[0][f]);
            tr_string_free(out[1][f]);
        }
    }
}
END_TEST

/* Results of scenarios that use no §12 feature stay byte-identical to the
 * golden files made before §12 existed (tests/data/golden/regen.sh). */
static const char *const golden[][2] = {
    {"scenarios_vn-eaf_bau.json", TR_SCENARIO_DIR "/vn-eaf/bau.yaml"},
    {"scenarios_vn-eaf_voluntary-agreement.json", TR_SCENARIO_DIR "/vn-eaf/voluntary-agreement.yaml"},
    {"scenarios_vn-eaf_green-industry.json", TR_SCENARIO_DIR "/vn-eaf/green-industry.yaml"},
    {"scenarios_vn-eaf_command-and-control.json", TR_SCENARIO_DIR "/vn-eaf/command-and-control.yaml"},
    {"tests_data_tiny.json", TR_TEST_DATA "/tiny.yaml"},
    {"tests_data_csv_scenario.json", TR_TEST_DATA "/csv/scenario.yaml"},
};

START_TEST(golden_outputs)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/golden/%s", TR_TEST_DATA, golden[_i][0]);
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "missing %s", path);
    static char want[1 << 22];
    size_t n = fread(want, 1, sizeof want - 1, f);
    want[n] = '\0';
    fclose(f);
    tr_scenario *sc = fx_load_file(golden[_i][1]);
    tr_result *r = fx_solve(sc);
    char *got = NULL;
    ck_assert_int_eq(tr_result_write_string(r, TR_FMT_JSON, &got), TR_OK);
    ck_assert_msg(strcmp(got, want) == 0, "%s: result differs from the golden file (run tests/data/golden/regen.sh "
                                          "only for a deliberate change)", golden[_i][1]);
    tr_string_free(got);
    tr_result_free(r);
    tr_scenario_free(sc);
}
END_TEST

static int count_scenarios(void)
{
    int n = 0;
    for (const char *const *p = fx_all_scenarios(); *p; p++)
        n++;
    return n;
}

/* GLPK's internal errors would abort the process; the library's error hook
 * turns them into TR_E_SOLVER and leaves the model unusable, not the process. */
tr_status tri_test_glpk_error(tr_model *m);
START_TEST(glpk_error_hook_contains_aborts)
{
    tr_scenario *sc = fx_load_file(TR_TEST_DATA "/tiny.yaml");
    tr_model *m = NULL;
    ck_assert_int_eq(tr_model_new(sc, &m), TR_OK);
    ck_assert_int_eq(tri_test_glpk_error(m), TR_E_SOLVER);
    ck_assert_ptr_nonnull(strstr(tr_last_error(), "GLPK failed"));
    tr_result *r = NULL;
    ck_assert_int_eq(tr_model_solve(m, NULL, &r), TR_E_STATE);
    ck_assert_ptr_nonnull(strstr(tr_last_error(), "unusable"));
    ck_assert_int_eq(tr_model_write_lp(m, TR_LP_CPLEX, "/tmp/x.lp"), TR_E_STATE);
    tr_model_free(m);
    /* GLPK works again for new models in this thread */
    r = fx_solve(sc);
    ck_assert_int_eq(tr_result_status(r), TR_SOL_OPTIMAL);
    tr_result_free(r);
    tr_scenario_free(sc);
}
END_TEST

Suite *model_suite(void)
{
    Suite *s = suite_create("model");
    TCase *tc = tcase_create("hand_solved");
    tcase_add_test(tc, hand_solved_profitable);
    tcase_add_test(tc, hand_solved_unprofitable);
    tcase_add_test(tc, hand_solved_cap_shadow_price);
    tcase_add_test(tc, price_subsidy_ban);
    tcase_add_test(tc, social_objective_counts_damage);
    tcase_add_test(tc, existing_and_lifetime);
    tcase_add_test(tc, exclusive_group);
    tcase_add_test(tc, infeasible_gets_diagnosis);
    tcase_add_test(tc, diagnosis_reachable_with_huge_limits);
    tcase_add_test(tc, interior_point_agrees);
    tcase_add_test(tc, glpk_error_hook_contains_aborts);
    suite_add_tcase(s, tc);
    tc = tcase_create("policies");
    tcase_add_loop_test(tc, policy_shadow_matches_finite_difference, 0, (int)(sizeof cases / sizeof *cases));
    suite_add_tcase(s, tc);
    tc = tcase_create("invariants");
    tcase_add_test(tc, tighter_cap_never_lowers_npv);
    tcase_add_test(tc, subsidy_never_raises_npv);
    tcase_add_test(tc, extends_identical_changes_nothing);
    suite_add_tcase(s, tc);
    tc = tcase_create("scenarios");
    tcase_set_timeout(tc, 300);
    tcase_add_loop_test(tc, balances_on_every_scenario, 0, count_scenarios());
    tcase_add_test(tc, determinism_same_bytes);
    tcase_add_loop_test(tc, golden_outputs, 0, (int)(sizeof golden / sizeof *golden));
    suite_add_tcase(s, tc);
    return s;
}
