/* gen_synthetic — write a synthetic EAF-like techroad/1 scenario for the
 * speed benchmark (docs/BENCH.md).
 *
 *   gen_synthetic PLANTS SEED OUT.yaml
 *
 * Every random number comes from GSL's gsl_rng_mt19937 seeded with SEED
 * (GSL maps seed 0 to its default seed 4357), drawn in a fixed order, and
 * every number is printed with a fixed format: the same arguments give the
 * same bytes. The data are plausible for scrap EAF melt shops (orders of
 * magnitude of scenarios/vn-eaf/base.yaml) but are NOT a description of any
 * real sector.
 *
 * Shape: horizon 2020-2030 (11 years); carriers electricity (energy content,
 * CO2 emission-factor series), natural_gas, oxygen, electrodes; species CO2;
 * PLANTS plants with random capacity paths (3 points), yearly production
 * (utilisation 0.45-0.95) and random intensities; 12 technologies (two
 * exclusive groups of 3, absolute and relative effects, capex series,
 * lifetimes 10-25, hurdle rates, available_from, max_uptake < 1, existing
 * shares on part of the plants, three of them restricted to the larger
 * plants); policies: an intensity cap on CO2, a cap on energy.electricity, a
 * mandate on the scrap-preheating group, a capex subsidy and an investment
 * budget. The caps are set relative to the "reference" path (existing stock
 * only, no new installation), computed here with the same formulas as
 * MODEL.md §7, and loose enough that the scenario stays feasible.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#define Y0 2020
#define NY 11
#define NC 4      /* carriers */
#define NK 12     /* technologies */
#define MAX_PLANTS 100000

enum { ELEC = 0, GAS, OXY, ELECTRODES };
static const char *const car_id[NC] = {"electricity", "natural_gas", "oxygen", "electrodes"};

/* one effect of a technology on a carrier; rel: share of the plant's baseline */
typedef struct effect {
    int c;
    double v;
    int rel;
} effect;

typedef struct tech_tpl {
    const char *id, *name, *group;
    int large_only;      /* applies only to plants of >= LARGE t/yr in 2020 */
    double appl;
    effect eff[4];
    int neff;
    double pe_co2;       /* process CO2 change, t/t (absolute) */
    double capex, capex_drift, fom, vom;
    int life;
    double hurdle;
    int from;
    double uptake;
    double exist_p;      /* probability that a plant has some existing stock */
} tech_tpl;

/* the catalogue (nominal values; each run jitters them with the RNG) */
static const tech_tpl tpl[NK] = {
    {"scrap_preheat_bucket", "Scrap preheating in the charging bucket", "scrap_preheating", 0, 0.50,
     {{ELEC, -0.020, 0}}, 1, 0, 6, 0.95, 0.2, 0.1, 15, 0.25, 2021, 0.2, 0},
    {"scrap_preheat_shaft", "Shaft scrap preheating", "scrap_preheating", 1, 0.60,
     {{ELEC, -0.070, 0}, {ELECTRODES, -0.30, 0}}, 2, -0.0009, 45, 0.85, 1.0, 0, 20, 0.30, 2022, 0.1, 0},
    {"scrap_preheat_tunnel", "Continuous tunnel scrap preheating", "scrap_preheating", 1, 0.60,
     {{ELEC, -0.050, 0}, {ELECTRODES, -0.20, 0}}, 2, -0.0006, 35, 0.9, 1.0, 0, 20, 0.30, 2022, 0.1, 0.3},
    {"electrode_control", "Electrode regulation and process control", "furnace_power", 0, 0.90,
     {{ELEC, -0.03, 1}, {ELECTRODES, -0.08, 1}}, 2, 0, 4, 0.9, 0.2, 0, 12, 0.20, 2020, 0.3, 0.4},
    {"uhp_upgrade", "Ultra-high-power transformer upgrade", "furnace_power", 0, 0.70,
     {{ELEC, -0.040, 0}, {ELECTRODES, -0.25, 0}}, 2, -0.00075, 20, 0.95, 0.6, 0, 20, 0.25, 2021, 0.15, 0},
    {"dc_conversion", "Conversion to a DC furnace", "furnace_power", 1, 0.50,
     {{ELEC, -0.030, 0}, {ELECTRODES, -0.40, 1}}, 2, -0.003, 60, 0.9, 1.5, 0, 25, 0.30, 2023, 0.08, 0},
    {"oxy_fuel_burners", "Oxy-fuel burners", NULL, 0, 0.90,
     {{ELEC, -0.040, 0}, {GAS, 0.20, 0}, {OXY, 11, 0}, {ELECTRODES, -0.10, 0}}, 4, -0.0003, 5, 1.0, 0.2, 0, 10,
     0.25, 2020, 0.25, 0.5},
    {"post_combustion", "Post-combustion of CO in the furnace", NULL, 0, 0.80,
     {{ELEC, -0.03, 1}, {OXY, 6, 0}}, 2, 0, 3, 1.0, 0.2, 0, 10, 0.25, 2021, 0.2, 0.3},
    {"foamy_slag", "Foamy slag practice", NULL, 0, 0.90,
     {{ELEC, -0.08, 1}, {ELECTRODES, -0.10, 1}, {OXY, 5, 0}}, 3, 0.0175, 3, 1.0, 0.2, 1.5, 10, 0.25, 2020, 0.3,
     0.5},
    {"eccentric_bottom_tapping", "Eccentric bottom tapping", NULL, 0, 0.95,
     {{ELEC, -0.015, 0}}, 1, 0, 8, 1.0, 0, 0, 20, 0.30, 2021, 0.1, 0.4},
    {"ladle_preheating", "Regenerative ladle preheaters", NULL, 0, 0.90,
     {{GAS, -0.30, 1}}, 1, 0, 2, 1.0, 0.1, 0, 15, 0.20, 2020, 0.3, 0},
    {"vsd_fume_fans", "Variable-speed drives on fume-extraction fans", NULL, 0, 0.90,
     {{ELEC, -0.012, 0}}, 1, 0, 2.5, 0.95, 0.05, 0, 15, 0.20, 2020, 0.3, 0},
};

/* policy strength, relative to the reference path (existing stock, no new
 * installation): loose enough for every plant count and seed tried (see
 * docs/BENCH.md), tight enough that some rows bind */
#define CO2_FROM 0.98    /* CO2 intensity cap, 2022, x reference intensity */
#define CO2_TO 0.92      /* ... 2030 */
#define EL_FROM 1.00     /* electricity cap, 2023, x reference use */
#define EL_TO 0.87       /* ... 2030 */
#define BUDGET 2.0       /* investment budget, USD per t/yr of 2020 capacity, per year */

#define LARGE 400000.0   /* t/yr in 2020: plants that can take the large-furnace retrofits */

typedef struct plant {
    double cap_pt[3];       /* capacity at 2020, 2025, 2030 */
    double cap[NY], prod[NY];
    double int0[NC], pe0;
} plant;

typedef struct tech {
    double appl, capex0, capex1, fom, vom, hurdle, uptake, pe_co2;
    effect eff[4];
    int neff, life, from;
    double *e0;             /* per plant, 0 when none */
    unsigned char *applies; /* per plant */
} tech;

static double unif(gsl_rng *r, double a, double b) { return a + (b - a) * gsl_rng_uniform(r); }
static double round_to(double v, double step) { return floor(v / step + 0.5) * step; }

/* linear interpolation of points (years[i], v[i]), flat outside (MODEL.md §3) */
static double interp(const int *years, const double *v, int n, int y)
{
    if (y <= years[0])
        return v[0];
    for (int i = 1; i < n; i++)
        if (y <= years[i])
            return v[i - 1] + (v[i] - v[i - 1]) * (double)(y - years[i - 1]) / (double)(years[i] - years[i - 1]);
    return v[n - 1];
}

static void print_series(FILE *f, const int *years, const double *v, int n, const char *fmt)
{
    fputc('{', f);
    for (int i = 0; i < n; i++) {
        fprintf(f, "%s%d: ", i ? ", " : "", years[i]);
        fprintf(f, fmt, v[i]);
    }
    fputc('}', f);
}

static int usage(void)
{
    fprintf(stderr, "usage: gen_synthetic PLANTS SEED OUT.yaml\n"
                    "  PLANTS  number of plants, 1..%d\n"
                    "  SEED    seed of gsl_rng_mt19937 (unsigned integer)\n"
                    "  OUT     output file (\"-\" for standard output)\n",
            MAX_PLANTS);
    return 2;
}

int main(int argc, char **argv)
{
    if (argc != 4)
        return usage();
    char *end;
    errno = 0;
    long P = strtol(argv[1], &end, 10);
    if (errno || *end || P < 1 || P > MAX_PLANTS)
        return usage();
    errno = 0;
    unsigned long seed = strtoul(argv[2], &end, 10);
    if (errno || *end || argv[2][0] == '-')
        return usage();

    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    plant *pl = calloc((size_t)P, sizeof *pl);
    tech *te = calloc(NK, sizeof *te);
    if (!r || !pl || !te) {
        fprintf(stderr, "gen_synthetic: out of memory\n");
        return 1;
    }
    gsl_rng_set(r, seed);

    /* ---- carriers: prices and emission factors (points) */
    static const int yp3[3] = {2020, 2025, 2030};
    static const int yef[4] = {2020, 2022, 2025, 2030};
    double el_price[3], gas_price[2], el_ef[4], oxy_ef[2];
    el_price[0] = round_to(unif(r, 70, 85), 0.01);
    el_price[1] = round_to(el_price[0] * unif(r, 0.98, 1.06), 0.01);
    el_price[2] = round_to(el_price[1] * unif(r, 1.00, 1.10), 0.01);
    gas_price[0] = round_to(unif(r, 8, 10), 0.01);
    gas_price[1] = round_to(gas_price[0] * unif(r, 1.0, 1.2), 0.01);
    el_ef[0] = round_to(unif(r, 0.75, 0.85), 0.0001);
    el_ef[1] = round_to(el_ef[0] * unif(r, 0.85, 0.95), 0.0001);
    el_ef[2] = round_to(el_ef[1] * unif(r, 0.92, 1.0), 0.0001);
    el_ef[3] = round_to(el_ef[2] * unif(r, 0.85, 0.95), 0.0001);
    oxy_ef[0] = round_to(0.0005 * el_ef[0], 0.000001);   /* 0.5 kWh per Nm3 of ASU power */
    oxy_ef[1] = round_to(0.0005 * el_ef[3], 0.000001);
    double oxy_price = round_to(unif(r, 0.06, 0.08), 0.001);
    double electrode_price = round_to(unif(r, 3.0, 4.0), 0.01);
    double gas_ef = 0.0561;   /* t CO2/GJ, IPCC 2006 default for natural gas */
    double ef[NC][NY];        /* t CO2 per unit of carrier, per year */
    static const int y2[2] = {2020, 2030};
    for (int t = 0; t < NY; t++) {
        ef[ELEC][t] = interp(yef, el_ef, 4, Y0 + t);
        ef[GAS][t] = gas_ef;
        ef[OXY][t] = interp(y2, oxy_ef, 2, Y0 + t);
        ef[ELECTRODES][t] = 0;
    }

    /* ---- plants */
    long largest = 0;
    for (long p = 0; p < P; p++) {
        plant *q = &pl[p];
        q->cap_pt[0] = round_to(unif(r, 100000, 1200000), 10000);
        q->cap_pt[1] = round_to(q->cap_pt[0] * unif(r, 0.90, 1.25), 10000);
        q->cap_pt[2] = round_to(q->cap_pt[1] * unif(r, 0.90, 1.30), 10000);
        double u = unif(r, 0.55, 0.90);
        for (int t = 0; t < NY; t++) {
            if (t > 0)
                u += gsl_ran_gaussian(r, 0.03);
            u = u < 0.45 ? 0.45 : u > 0.95 ? 0.95 : u;
            q->cap[t] = interp(yp3, q->cap_pt, 3, Y0 + t);
            q->prod[t] = floor(u * q->cap[t] / 100) * 100;   /* rounded down: x <= cap */
        }
        q->int0[ELEC] = round_to(unif(r, 0.40, 0.75), 0.001);
        q->int0[GAS] = round_to(unif(r, 0.10, 0.40), 0.001);
        q->int0[OXY] = round_to(unif(r, 10, 45), 0.1);
        q->int0[ELECTRODES] = round_to(unif(r, 1.5, 3.5), 0.01);
        /* electrode oxidation (3.007 kg CO2 per kg) + charge carbon */
        q->pe0 = round_to(q->int0[ELECTRODES] * 0.003007 + unif(r, 0.025, 0.045), 0.0001);
        if (q->cap_pt[0] > pl[largest].cap_pt[0])
            largest = p;
    }

    /* ---- technologies */
    for (int k = 0; k < NK; k++) {
        const tech_tpl *tp = &tpl[k];
        tech *tk = &te[k];
        tk->appl = round_to(fmin(0.95, tp->appl * unif(r, 0.9, 1.1)), 0.01);
        tk->neff = tp->neff;
        for (int e = 0; e < tp->neff; e++) {
            tk->eff[e] = tp->eff[e];
            tk->eff[e].v = round_to(tp->eff[e].v * unif(r, 0.85, 1.15), tp->eff[e].rel ? 0.001 : 0.0001);
        }
        tk->pe_co2 = round_to(tp->pe_co2 * unif(r, 0.85, 1.15), 0.00001);
        tk->capex0 = round_to(tp->capex * unif(r, 0.8, 1.2), 0.1);
        tk->capex1 = round_to(tk->capex0 * tp->capex_drift, 0.1);
        tk->fom = round_to(tp->fom * unif(r, 0.8, 1.2), 0.01);
        tk->vom = round_to(tp->vom * unif(r, 0.8, 1.2), 0.01);
        int life = tp->life + (int)gsl_rng_uniform_int(r, 5) - 2;
        tk->life = life < 10 ? 10 : life > 25 ? 25 : life;
        tk->hurdle = round_to(tp->hurdle * unif(r, 0.8, 1.2), 0.01);
        tk->from = tp->from + (int)gsl_rng_uniform_int(r, 2);
        tk->uptake = round_to(fmin(0.9, tp->uptake * unif(r, 0.8, 1.2)), 0.01);
        tk->applies = calloc((size_t)P, 1);
        tk->e0 = calloc((size_t)P, sizeof *tk->e0);
        if (!tk->applies || !tk->e0) {
            fprintf(stderr, "gen_synthetic: out of memory\n");
            return 1;
        }
        for (long p = 0; p < P; p++) {
            tk->applies[p] = !tp->large_only || pl[p].cap_pt[0] >= LARGE || p == largest;
            /* the draws are made for every plant, so that the stream does not
             * depend on which plants the technology applies to */
            double dice = gsl_rng_uniform(r), share = unif(r, 0.05, 0.9);
            if (tk->applies[p] && dice < tp->exist_p)
                tk->e0[p] = floor(share * tk->appl * 100) / 100;   /* <= applicability */
        }
    }

    /* ---- reference path: existing stock only (MODEL.md §7) */
    double X[NY] = {0}, Eref[NC][NY] = {{0}}, Mref[NY] = {0}, totcap0 = 0;
    for (long p = 0; p < P; p++) {
        const plant *q = &pl[p];
        totcap0 += q->cap[0];
        for (int t = 0; t < NY; t++) {
            double x = q->prod[t], u = x / q->cap[t];
            X[t] += x;
            Mref[t] += q->pe0 * x;
            for (int c = 0; c < NC; c++)
                Eref[c][t] += q->int0[c] * x;
            for (int k = 0; k < NK; k++) {
                const tech *tk = &te[k];
                if (!tk->applies[p] || tk->e0[p] <= 0)
                    continue;
                double a = fmin(tk->e0[p] * q->cap[0], tk->appl * q->cap[t]);
                for (int e = 0; e < tk->neff; e++) {
                    double d = tk->eff[e].rel ? tk->eff[e].v * q->int0[tk->eff[e].c] : tk->eff[e].v;
                    Eref[tk->eff[e].c][t] += d * u * a;
                }
                Mref[t] += tk->pe_co2 * u * a;
            }
        }
    }
    for (int t = 0; t < NY; t++)
        for (int c = 0; c < NC; c++)
            Mref[t] += ef[c][t] * Eref[c][t];

    /* ---- write */
    FILE *f = strcmp(argv[3], "-") == 0 ? stdout : fopen(argv[3], "w");
    if (!f) {
        fprintf(stderr, "gen_synthetic: %s: %s\n", argv[3], strerror(errno));
        return 1;
    }
    int w = P < 10 ? 1 : P < 100 ? 2 : P < 1000 ? 3 : P < 10000 ? 4 : 5;
    fprintf(f, "# Synthetic EAF-like scenario for the speed benchmark, written by\n"
               "# tests/bench/gen_synthetic %ld %lu (GSL mt19937). Not real data.\n",
            P, seed);
    fprintf(f, "format: techroad/1\n"
               "name: synthetic-%ld-%lu\n"
               "description: Synthetic benchmark scenario, %ld plants x %d technologies x %d years (seed %lu)\n"
               "horizon: {start: %d, end: %d}\n"
               "currency: USD2020\n"
               "discount_rate: 0.06\n"
               "objective: private\n"
               "product: {name: liquid steel, unit: t}\n",
            P, seed, P, NK, NY, seed, Y0, Y0 + NY - 1);
    fprintf(f, "species:\n  CO2: {unit: t, damage_cost: {2020: 51, 2025: 56, 2030: 62}, "
               "source: \"synthetic (gen_synthetic)\"}\n");
    fprintf(f, "carriers:\n");
    fprintf(f, "  electricity:\n    unit: MWh\n    energy_content: 3.6\n    price: ");
    print_series(f, yp3, el_price, 3, "%.2f");
    fprintf(f, "\n    emission_factors: {CO2: ");
    print_series(f, yef, el_ef, 4, "%.4f");
    fprintf(f, "}\n    source: \"synthetic (gen_synthetic)\"\n");
    fprintf(f, "  natural_gas:\n    unit: GJ\n    energy_content: 1\n    price: ");
    print_series(f, y2, gas_price, 2, "%.2f");
    fprintf(f, "\n    emission_factors: {CO2: %.4f}\n", gas_ef);
    fprintf(f, "  oxygen:\n    unit: Nm3\n    price: %.3f\n    emission_factors: {CO2: ", oxy_price);
    print_series(f, y2, oxy_ef, 2, "%.6f");
    fprintf(f, "}\n");
    fprintf(f, "  electrodes:\n    unit: kg\n    price: %.2f\n", electrode_price);

    fprintf(f, "plants:\n");
    for (long p = 0; p < P; p++) {
        const plant *q = &pl[p];
        fprintf(f, "  p%0*ld:\n    name: Synthetic plant %ld\n    capacity: ", w, p + 1, p + 1);
        print_series(f, yp3, q->cap_pt, 3, "%.0f");
        fprintf(f, "\n    production: {");
        for (int t = 0; t < NY; t++)
            fprintf(f, "%s%d: %.0f", t ? ", " : "", Y0 + t, q->prod[t]);
        fprintf(f, "}\n    intensity: {electricity: %.3f, natural_gas: %.3f, oxygen: %.1f, electrodes: %.2f}\n",
                q->int0[ELEC], q->int0[GAS], q->int0[OXY], q->int0[ELECTRODES]);
        fprintf(f, "    process_emissions: {CO2: %.4f}\n", q->pe0);
    }

    fprintf(f, "technologies:\n");
    for (int k = 0; k < NK; k++) {
        const tech_tpl *tp = &tpl[k];
        const tech *tk = &te[k];
        fprintf(f, "  %s:\n    name: %s\n", tp->id, tp->name);
        if (tp->group)
            fprintf(f, "    group: %s\n", tp->group);
        if (!tp->large_only) {
            fprintf(f, "    applies_to: all\n");
        } else {
            fprintf(f, "    applies_to: [");
            int first = 1;
            for (long p = 0; p < P; p++)
                if (tk->applies[p]) {
                    fprintf(f, "%sp%0*ld", first ? "" : ", ", w, p + 1);
                    first = 0;
                }
            fprintf(f, "]\n");
        }
        fprintf(f, "    applicability: %.2f\n    effects: {", tk->appl);
        for (int e = 0; e < tk->neff; e++) {
            if (tk->eff[e].rel)
                fprintf(f, "%s%s: {relative: %.3f}", e ? ", " : "", car_id[tk->eff[e].c], tk->eff[e].v);
            else
                fprintf(f, "%s%s: %.4f", e ? ", " : "", car_id[tk->eff[e].c], tk->eff[e].v);
        }
        fprintf(f, "}\n");
        if (tk->pe_co2 != 0)
            fprintf(f, "    process_emissions: {CO2: %.5f}\n", tk->pe_co2);
        fprintf(f, "    capex: {2020: %.1f, 2030: %.1f}\n", tk->capex0, tk->capex1);
        fprintf(f, "    fixed_om: %.2f\n    variable_om: %.2f\n", tk->fom, tk->vom);
        fprintf(f, "    lifetime: %d\n    hurdle_rate: %.2f\n    available_from: %d\n    max_uptake: %.2f\n",
                tk->life, tk->hurdle, tk->from, tk->uptake);
        int any = 0;
        for (long p = 0; p < P; p++)
            if (tk->e0[p] > 0) {
                fprintf(f, "%sp%0*ld: %.2f", any ? ", " : "    existing: {", w, p + 1, tk->e0[p]);
                any = 1;
            }
        if (any)
            fprintf(f, "}\n");
        fprintf(f, "    source: \"synthetic (gen_synthetic), orders of magnitude of scenarios/vn-eaf\"\n");
    }

    /* ---- policies, relative to the reference path */
    fprintf(f, "policies:\n");
    fprintf(f, "  co2_intensity:\n    type: intensity_cap\n    indicator: emissions.CO2\n    limit: {");
    for (int t = 2; t < NY; t++) {
        /* -2 % of the reference intensity in 2022 down to -8 % in 2030 */
        double fac = CO2_FROM + (CO2_TO - CO2_FROM) * (double)(t - 2) / (NY - 3);
        fprintf(f, "%s%d: %.5f", t > 2 ? ", " : "", Y0 + t, Mref[t] / X[t] * fac);
    }
    fprintf(f, "}\n    source: \"synthetic: %.0f-%.0f %% below the reference path\"\n", 100 * (1 - CO2_FROM),
            100 * (1 - CO2_TO));
    fprintf(f, "  electricity_cap:\n    type: cap\n    indicator: energy.electricity\n    limit: {");
    for (int t = 3; t < NY; t++) {
        /* the reference use in 2023 down to -13 % in 2030 */
        double fac = EL_FROM + (EL_TO - EL_FROM) * (double)(t - 3) / (NY - 4);
        fprintf(f, "%s%d: %.0f", t > 3 ? ", " : "", Y0 + t, Eref[ELEC][t] * fac);
    }
    fprintf(f, "}\n    source: \"synthetic: %.0f-%.0f %% below the reference path\"\n", 100 * (1 - EL_FROM),
            100 * (1 - EL_TO));
    fprintf(f, "  preheating_mandate:\n    type: mandate\n    group: scrap_preheating\n"
               "    share: {2025: 0.05, 2030: 0.2}\n    source: \"synthetic\"\n");
    fprintf(f, "  retrofit_subsidy:\n    type: subsidy\n    technologies: [scrap_preheat_shaft, dc_conversion]\n"
               "    share: 0.3\n    years: [2022, 2030]\n    source: \"synthetic\"\n");
    fprintf(f, "  investment_budget:\n    type: budget\n    limit: %.0f\n"
               "    source: \"synthetic: %.1f USD per t/yr of 2020 capacity and year\"\n",
            round_to(BUDGET * totcap0, 1000), BUDGET);

    int bad = ferror(f);
    if (f != stdout)
        bad |= fclose(f) != 0;
    else
        bad |= fflush(f) != 0;
    for (int k = 0; k < NK; k++) {
        free(te[k].applies);
        free(te[k].e0);
    }
    free(te);
    free(pl);
    gsl_rng_free(r);
    if (bad) {
        fprintf(stderr, "gen_synthetic: %s: write error\n", argv[3]);
        return 1;
    }
    return 0;
}
