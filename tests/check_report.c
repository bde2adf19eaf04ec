/* Benchmarking, roadmap reports and the Viet Nam variants' economics. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixtures.h"
#include "tr_internal.h"   /* tri_set_alloc_fail_after(): the OOM test hook */
#include "svg.h"           /* tri_unit_scale(): the charts' unit rule */

#define NEAR(a, b, rel) \
    ck_assert_msg(fabs((double)(a) - (double)(b)) <= (rel) * fmax(1.0, fabs((double)(b))), "%s = %.12g, expected %.12g", #a, (double)(a), (double)(b))

/* Two plants at 1.0 and 1.2 MWh/t (3.6 GJ/MWh), best practice 0.8 MWh/t =
 * 2.88 GJ/t final; primary factor 9 GJ/MWh (best 7.2 GJ/t). The saving
 * technology (0.2 MWh/t, profitable) goes on half of each plant in 2020 and
 * on all of it from 2021. */
static const char *bench_yaml =
    "format: techroad/1\nname: bench\nhorizon: {start: 2020, end: 2022}\ndiscount_rate: 0.1\n"
    "carriers: {electricity: {unit: MWh, energy_content: 3.6, price: 100}}\n"
    "benchmark: {best_practice: {electricity: 0.8}, primary_factors: {electricity: 9}}\n"
    "plants:\n"
    "  a: {capacity: 1000, production: 1000, intensity: {electricity: 1.0}}\n"
    "  b: {capacity: 500, production: 500, intensity: {electricity: 1.2}}\n"
    "technologies: {eff: {effects: {electricity: -0.2}, capex: 30, lifetime: 10, hurdle_rate: 0, max_uptake: 0.5,"
    " existing: {b: 0.5}}}\n";

START_TEST(benchmark_by_hand)
{
    tr_scenario *sc = fx_load_text(bench_yaml);
    tr_benchmark *b = NULL;
    /* base year: a at 1.0 MWh/t, b at 1.2 - 0.5 x 0.2 = 1.1 MWh/t */
    ck_assert_int_eq(tr_benchmark_new(sc, NULL, &b), TR_OK);
    ck_assert_uint_eq(tr_benchmark_year_count(b), 1);
    ck_assert_uint_eq(tr_benchmark_plant_count(b, 0), 2);
    tr_benchmark_row r;
    ck_assert_int_eq(tr_benchmark_get(b, 0, 0, &r), TR_OK);
    ck_assert_str_eq(r.plant, "a");
    NEAR(r.sec_final, 3.6, 1e-12);
    NEAR(r.eei_final, 3.6 / 2.88, 1e-12);
    NEAR(r.sec_primary, 9.0, 1e-12);
    NEAR(r.eei_primary, 9.0 / 7.2, 1e-12);
    NEAR(r.saving_final, (3.6 - 2.88) * 1000, 1e-9);
    ck_assert_int_eq(tr_benchmark_get(b, 0, 1, &r), TR_OK);
    ck_assert_str_eq(r.plant, "b");
    NEAR(r.sec_final, 1.1 * 3.6, 1e-12);
    NEAR(r.cumulative, 1500, 1e-12);
    tr_benchmark_totals T;
    ck_assert_int_eq(tr_benchmark_get_totals(b, 0, &T), TR_OK);
    NEAR(T.production, 1500, 1e-12);
    NEAR(T.energy_final, 3.6 * 1000 + 3.96 * 500, 1e-9);
    NEAR(T.eei_final, (3.6 * 1000 + 3.96 * 500) / 1500 / 2.88, 1e-12);
    NEAR(T.saving_final, (3.6 - 2.88) * 1000 + (3.96 - 2.88) * 500, 1e-9);
    ck_assert_int_eq(tr_benchmark_get(b, 0, 2, &r), TR_E_NOTFOUND);
    tr_benchmark_free(b);
    /* solved: the index falls as the technology spreads */
    tr_result *res = fx_solve(sc);
    ck_assert_int_eq(tr_benchmark_new(sc, res, &b), TR_OK);
    ck_assert_uint_eq(tr_benchmark_year_count(b), 3);
    double prev = HUGE_VAL;
    for (size_t t = 0; t < 3; t++) {
        ck_assert_int_eq(tr_benchmark_get_totals(b, t, &T), TR_OK);
        ck_assert_msg(T.eei_final <= prev + 1e-12, "EEI rises in year %zu", t);
        prev = T.eei_final;
    }
    ck_assert_int_eq(tr_benchmark_get(b, 2, 0, &r), TR_OK);
    ck_assert_str_eq(r.plant, "a");
    NEAR(r.sec_final, 0.8 * 3.6, 1e-9);   /* a reaches best practice */
    NEAR(r.saving_final, 0, 1e-9);
    char *txt = NULL;
    ck_assert_int_eq(tr_benchmark_write_string(b, TR_FMT_CSV, &txt), TR_OK);
    ck_assert_ptr_nonnull(strstr(txt, "year,rank,plant,production"));
    tr_string_free(txt);
    ck_assert_int_eq(tr_benchmark_write_string(b, TR_FMT_JSON, &txt), TR_OK);
    ck_assert_ptr_nonnull(strstr(txt, "techroad-benchmark/1"));
    tr_string_free(txt);
    tr_benchmark_free(b);
    tr_result_free(res);
    /* errors: no benchmark section; a result of another scenario */
    tr_scenario *other = fx_load_file(TR_TEST_DATA "/tiny.yaml");
    ck_assert_int_eq(tr_benchmark_new(other, NULL, &b), TR_E_INVAL);
    ck_assert_ptr_nonnull(strstr(tr_last_error(), "benchmark"));
    tr_result *ro = fx_solve(other);
    ck_assert_int_eq(tr_benchmark_new(sc, ro, &b), TR_E_INVAL);
    ck_assert_ptr_nonnull(strstr(tr_last_error(), "another scenario"));
    tr_result_free(ro);
    tr_scenario_free(other);
    tr_scenario_free(sc);
}
END_TEST

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    size_t got = fread(s, 1, (size_t)n, f);
    s[got] = '\0';
    fclose(f);
    return s;
}

static const char *const variants[] = {"frozen", "bau", "voluntary-agreement", "carbon-price",
                                       "command-and-control", "green-industry", "social-optimum"};
#define NV (sizeof variants / sizeof *variants)

/* Cut the sections regen.sh asks for out of the committed report: "What
 * these results rest on" (--audit solves the Viet Nam case some 500 times:
 * too much for a Check test under valgrind), the model abatement cost curve
 * (--macc-model) and the trade-off front (--pareto). pytest's
 * test_audit.py::test_vn_report_section compares report.md whole, and
 * test_html_report.py the page's curves and front. Each cut runs from its
 * start to its end marker, the marker kept (1) or cut too (0). */
static void cut_rests_on(char *s)
{
    static const struct {
        const char *from, *to;
        int keep_end;
    } cuts[] = {{"\n## What these results rest on\n", "\n## ", 1},
                {"\n### The model under a tightening cap", "\n## ", 1},
                {"\n## Trade-off front", "\n## ", 1},
                {"<li><a href=\"#rests-on\">", "</li>\n", 0},
                {"<li><a href=\"#front\">", "</li>\n", 0},
                {"\n<section id=\"rests-on\">", "</section>\n", 0},
                {"\n<section id=\"front\">", "</section>\n", 0},
                {"<h3>The model under a tightening cap", "</section>\n", 1}};
    for (size_t k = 0; k < sizeof cuts / sizeof *cuts; k++) {
        char *a = strstr(s, cuts[k].from);
        if (!a)
            continue;
        char *e = strstr(a + 1, cuts[k].to);
        /* up to the next section (kept) or the end; or through the closing tag */
        char *end = !e ? a + strlen(a) : cuts[k].keep_end ? e : e + strlen(cuts[k].to);
        memmove(a, end, strlen(end) + 1);
    }
}

/* The committed tables in examples/vn-eaf are what the library makes now. */
START_TEST(vn_eaf_tables_regenerate_identically)
{
    tr_scenario *sc[NV];
    tr_result *res[NV];
    for (size_t i = 0; i < NV; i++) {
        char p[512];
        snprintf(p, sizeof p, "vn-eaf/%s.yaml", variants[i]);
        sc[i] = fx_load_file(p);
        res[i] = fx_solve(sc[i]);
        ck_assert_msg(tr_result_status(res[i]) == TR_SOL_OPTIMAL, "%s: %s", variants[i], tr_result_status_name(res[i]));
    }
    char dir[] = "/tmp/techroad-report-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    ck_assert_int_eq(tr_report_write((const tr_scenario *const *)sc, (const tr_result *const *)res, NV, sc[1], res[1], dir),
                     TR_OK);
    ck_assert_int_eq(
        tr_report_write_html((const tr_scenario *const *)sc, (const tr_result *const *)res, NV, sc[1], res[1], dir),
        TR_OK);
    const char *files[] = {"report.md", "summary.csv", "roadmap.csv", "adoption.csv", "policies.csv", "baseline.csv",
                           "warnings.csv", "benchmark.csv", "macc.csv", "report.html"};
    for (size_t f = 0; f < sizeof files / sizeof *files; f++) {
        char a[600], b[600];
        snprintf(a, sizeof a, "%s/%s", dir, files[f]);
        snprintf(b, sizeof b, "%s/../examples/vn-eaf/%s", TR_SCENARIO_DIR, files[f]);
        char *x = slurp(a), *y = slurp(b);
        ck_assert_msg(x && y, "missing %s or %s", a, b);
        cut_rests_on(y);
        ck_assert_msg(strcmp(x, y) == 0, "%s differs from the committed table: run examples/vn-eaf/regen.sh", files[f]);
        free(x);
        free(y);
        remove(a);
    }
    rmdir(dir);
    for (size_t i = 0; i < NV; i++) {
        tr_result_free(res[i]);
        tr_scenario_free(sc[i]);
    }
}
END_TEST

static double tot(const tr_result *r, const char *name) { return fx_total(r, name); }

/* The variants rank as economics says they must. */
START_TEST(vn_eaf_variants_rank)
{
    tr_scenario *sc[NV];
    tr_result *r[NV];
    for (size_t i = 0; i < NV; i++) {
        char p[512];
        snprintf(p, sizeof p, "vn-eaf/%s.yaml", variants[i]);
        sc[i] = fx_load_file(p);
        r[i] = fx_solve(sc[i]);
        ck_assert_int_eq(tr_result_status(r[i]), TR_SOL_OPTIMAL);
    }
    const tr_result *frozen = r[0], *bau = r[1], *va = r[2], *cc = r[4], *soc = r[6];
    /* bau is least cost without policy: freezing technology cannot be cheaper */
    ck_assert(tr_result_npv(frozen) >= tr_result_npv(bau));
    /* binding targets cost more than bau */
    ck_assert(tr_result_npv(va) > tr_result_npv(bau));
    ck_assert(tr_result_npv(cc) > tr_result_npv(bau));
    /* ... and cut emissions */
    ck_assert(tot(va, "cumulative.emissions.CO2") < tot(bau, "cumulative.emissions.CO2"));
    /* social optimum emits no more than bau */
    ck_assert(tot(soc, "cumulative.emissions.CO2") <= tot(bau, "cumulative.emissions.CO2"));
    /* a subsidy lowers private cost and raises public cost: green-industry with and without its subsidy */
    tr_scenario *gi = NULL;
    ck_assert_int_eq(tr_scenario_copy(sc[5], &gi), TR_OK);
    ck_assert_int_eq(tr_scenario_remove(gi, "policies.retrofit_subsidy"), TR_OK);
    ck_assert_int_eq(tr_scenario_remove(gi, "policies.subsidy_budget"), TR_OK);
    tr_result *nosub = fx_solve(gi);
    ck_assert_int_eq(tr_result_status(nosub), TR_SOL_OPTIMAL);
    ck_assert(tr_result_npv(r[5]) < tr_result_npv(nosub));
    ck_assert(tot(r[5], "pv.subsidy") > 0);
    ck_assert(tot(nosub, "pv.subsidy") == 0);
    tr_result_free(nosub);
    tr_scenario_free(gi);
    for (size_t i = 0; i < NV; i++) {
        tr_result_free(r[i]);
        tr_scenario_free(sc[i]);
    }
}
END_TEST

/* Instruments that do nothing get a plain-words warning. */
START_TEST(report_warns_about_idle_instruments)
{
    const char *t = "format: techroad/1\nname: idle\nhorizon: {start: 2020, end: 2022}\ndiscount_rate: 0.1\n"
                    "species: {CO2: {unit: t}}\n"
                    "carriers: {electricity: {unit: MWh, energy_content: 3.6, price: 100, emission_factors: {CO2: 1}}}\n"
                    "plants: {p: {capacity: 1000, production: 1000, intensity: {electricity: 1}}}\n"
                    "technologies:\n"
                    "  eff: {effects: {electricity: -0.2}, capex: 30, lifetime: 10, hurdle_rate: 0}\n"
                    "  dud: {effects: {electricity: -0.01}, capex: 500, lifetime: 10, hurdle_rate: 0}\n"
                    "policies:\n"
                    "  loose_cap: {type: cap, indicator: emissions.CO2, limit: 5000}\n"
                    "  easy_mandate: {type: mandate, technology: eff, share: 0.5}\n"
                    "  dud_subsidy: {type: subsidy, technologies: [dud], share: 0.2}\n";
    tr_scenario *sc = fx_load_text(t);
    tr_result *r = fx_solve(sc);
    char dir[] = "/tmp/techroad-idle-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    const tr_scenario *scs[1] = {sc};
    const tr_result *rs[1] = {r};
    ck_assert_int_eq(tr_report_write(scs, rs, 1, NULL, NULL, dir), TR_OK);
    char p[600];
    snprintf(p, sizeof p, "%s/warnings.csv", dir);
    char *w = slurp(p);
    ck_assert_ptr_nonnull(w);
    ck_assert_msg(strstr(w, "idle,loose_cap,never binds,"), "%s", w);
    ck_assert_msg(strstr(w, "idle,easy_mandate,met anyway,"), "%s", w);
    ck_assert_msg(strstr(w, "idle,dud_subsidy,never adopted,"), "%s", w);
    free(w);
    snprintf(p, sizeof p, "%s/report.md", dir);
    char *md = slurp(p);
    ck_assert_ptr_nonnull(strstr(md, "## Policy coherence"));
    ck_assert_ptr_nonnull(strstr(md, "never binds in any year"));
    /* no benchmark section: no empty benchmark.csv, and report.md says why */
    ck_assert_ptr_nonnull(strstr(md, "No `benchmark.csv`: no scenario with an optimal result has a `benchmark:` section."));
    snprintf(p, sizeof p, "%s/benchmark.csv", dir);
    ck_assert_int_ne(access(p, F_OK), 0);
    /* every summary column names its unit */
    ck_assert_ptr_nonnull(strstr(md, "| energy saved [GJ] | cost per t CO2 abated ["));
    free(md);
    /* a baseline result must belong to the baseline scenario */
    ck_assert_int_eq(tr_report_write(scs, rs, 1, sc, NULL, dir), TR_E_INVAL);
    ck_assert_int_eq(tr_report_write(scs, rs, 1, NULL, NULL, "/proc/no/such/dir"), TR_E_IO);
    const char *files[] = {"report.md", "summary.csv", "roadmap.csv", "adoption.csv", "policies.csv", "baseline.csv",
                           "warnings.csv", "benchmark.csv"};
    for (size_t f = 0; f < sizeof files / sizeof *files; f++) {
        snprintf(p, sizeof p, "%s/%s", dir, files[f]);
        remove(p);
    }
    rmdir(dir);
    tr_result_free(r);
    tr_scenario_free(sc);
}
END_TEST

/* bench_yaml's plants, renamed with markup, a CO2 factor of 1 t/MWh, an
 * idle cap and a source that is a URL */
static const char *html_yaml =
    "format: techroad/1\nname: \"a<b> & 'c'\"\ndescription: \"<script>alert(1)</script> `x<y`\"\n"
    "horizon: {start: 2020, end: 2022}\ndiscount_rate: 0.1\n"
    "species: {CO2: {unit: t}}\n"
    "carriers: {electricity: {unit: MWh, energy_content: 3.6, price: 100, emission_factors: {CO2: 1},"
    " source: \"https://example.org/prices?a=1&b=2\"}}\n"
    "benchmark: {best_practice: {electricity: 0.8}, primary_factors: {electricity: 9}}\n"
    "plants:\n"
    "  a: {name: \"Plant <A>\", capacity: 1000, production: 1000, intensity: {electricity: 1.0}}\n"
    "  b: {capacity: 500, production: 500, intensity: {electricity: 1.2}}\n"
    "technologies: {eff: {name: \"Drives & <motors>\", effects: {electricity: -0.2}, capex: 30, lifetime: 10,"
    " hurdle_rate: 0, max_uptake: 0.5, existing: {b: 0.5}}}\n"
    "policies: {loose: {type: cap, indicator: emissions.CO2, limit: 1e9}}\n";

/* The HTML page: scenario text escaped, no script and no resource from the
 * network, readable units worked out by hand, the same bytes twice. */
START_TEST(report_html_by_hand)
{
    tr_scenario *sc = fx_load_text(html_yaml);
    tr_result *r = fx_solve(sc);
    ck_assert_int_eq(tr_result_status(r), TR_SOL_OPTIMAL);
    char d1[] = "/tmp/techroad-html-XXXXXX", d2[] = "/tmp/techroad-html-XXXXXX", p[600];
    ck_assert_ptr_nonnull(mkdtemp(d1));
    ck_assert_ptr_nonnull(mkdtemp(d2));
    const tr_scenario *scs[1] = {sc};
    const tr_result *rs[1] = {r};
    ck_assert_int_eq(tr_report_write_html(scs, rs, 1, NULL, NULL, d1), TR_OK);
    ck_assert_int_eq(tr_report_write_html(scs, rs, 1, NULL, NULL, d2), TR_OK);
    snprintf(p, sizeof p, "%s/report.html", d1);
    char *h = slurp(p);
    snprintf(p, sizeof p, "%s/report.html", d2);
    char *h2 = slurp(p);
    ck_assert_ptr_nonnull(h);
    ck_assert_ptr_nonnull(h2);
    ck_assert_str_eq(h, h2);                      /* deterministic, and no folder name in it */
    ck_assert_ptr_null(strstr(h, "techroad-html-"));
    /* the only markup is ours: the scenario's text is escaped */
    ck_assert_ptr_null(strstr(h, "<script"));
    ck_assert_ptr_null(strstr(h, "<b>"));
    ck_assert_ptr_nonnull(strstr(h, "a&lt;b&gt; &amp; &#39;c&#39;"));
    ck_assert_ptr_nonnull(strstr(h, "&lt;script&gt;alert(1)&lt;/script&gt; <code>x&lt;y</code>"));
    ck_assert_ptr_nonnull(strstr(h, "Drives &amp; &lt;motors&gt;"));
    ck_assert_ptr_null(strstr(h, "Plant <A>"));
    /* nothing is fetched: no src, no stylesheet link, no url(); the source's
     * address is text in the sources list */
    ck_assert_ptr_null(strstr(h, "src="));
    ck_assert_ptr_null(strstr(h, "<link"));
    ck_assert_ptr_null(strstr(h, "url("));
    ck_assert_ptr_null(strstr(h, "@import"));
    ck_assert_ptr_null(strstr(h, "href=\"http"));
    ck_assert_ptr_nonnull(strstr(h, "<li>carrier <code>electricity</code>: https://example.org/prices?a=1&amp;b=2</li>"));
    ck_assert_ptr_nonnull(strstr(h, "@media print"));
    ck_assert_ptr_nonnull(strstr(h, "size:A4"));
    /* effects are absolute: eff takes 0.2 MWh/t off; it goes on half of a
     * and (with b's existing half) all of b in 2020, all of both from 2021.
     * CO2 (1 t/MWh): 2020 1000 x 0.9 + 500 x 1.0 = 1,400 t, then 800 + 500 =
     * 1,300 t: in kt */
    ck_assert_ptr_nonnull(strstr(h, "CO\xe2\x82\x82 emissions [kt]"));
    ck_assert_ptr_nonnull(strstr(h, "<td class=\"n\">1.40</td><td class=\"n\">1.30</td><td class=\"n\">1.30</td>"));
    /* energy: 1,400 MWh x 3.6 = 5,040 GJ: in TJ */
    ck_assert_ptr_nonnull(strstr(h, "energy use, all carriers [TJ]"));
    ck_assert_ptr_nonnull(strstr(h, "<td class=\"n\">5.04</td><td class=\"n\">4.68</td><td class=\"n\">4.68</td>"));
    /* benchmark: best practice 0.8 MWh/t x 3.6 = 2.88 GJ/t; the sector's
     * average 5,040 GJ / 1,500 t = 3.36 GJ/t in 2020, 4,680 / 1,500 = 3.12 in
     * 2022; 1,500 t of production = 1.5 kt */
    ck_assert_ptr_nonnull(strstr(h, "best practice 2.88 GJ/t"));
    ck_assert_ptr_nonnull(strstr(h, "sector average 3.36 GJ/t"));
    ck_assert_ptr_nonnull(strstr(h, "sector average 3.12 GJ/t"));
    ck_assert_ptr_nonnull(strstr(h, "<th>sector</th><td class=\"n\">1.50</td><td class=\"n\">3.36</td>"));
    ck_assert_ptr_nonnull(strstr(h, "cumulative production, least intensive plant first [kt]"));
    /* the idle cap is reported in the scenario's own section */
    ck_assert_ptr_nonnull(strstr(h, "<li>target <code>loose</code> never binds in any year"));
    free(h);
    free(h2);
    for (int i = 0; i < 2; i++) {
        snprintf(p, sizeof p, "%s/report.html", i ? d2 : d1);
        remove(p);
        rmdir(i ? d2 : d1);
    }
    ck_assert_int_eq(tr_report_write_html(scs, rs, 1, sc, NULL, d1), TR_E_INVAL);
    ck_assert_int_eq(tr_report_write_html(scs, rs, 1, NULL, NULL, "/proc/no/such/dir"), TR_E_IO);
    tr_result_free(r);
    tr_scenario_free(sc);
}
END_TEST

/* The measure abatement cost curve every report holds, solved by hand on
 * html_yaml: `eff` (applicable to all of a plant; max_uptake limits only
 * the pace) fits all of plant a (1,000 t/yr) and the half of b not yet
 * equipped (250 t/yr), both running fully, saving 0.2 MWh/t: 250 MWh/yr =
 * 900 GJ and 250 t CO2 a year; it costs 1,250 t/yr x 30 USD/(t/yr) / 10
 * years (hurdle 0) = 3,750 a year and saves 250 MWh x 100 = 25,000:
 * (3,750 - 25,000) / 250 = -85 USD/t, and 3,750 / 900 = 4.17 USD/GJ. The opt-in sections are refused with one
 * objective of a front, before anything is written. */
START_TEST(report_measure_curve_by_hand)
{
    tr_scenario *sc = fx_load_text(html_yaml);
    tr_result *r = fx_solve(sc);
    const tr_scenario *scs[1] = {sc};
    const tr_result *rs[1] = {r};
    char dir[] = "/tmp/techroad-macc-XXXXXX", p[600];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    tr_report_opts o;
    tr_report_opts_init(&o);
    ck_assert(o.mga_slack < 0 && !o.macc_model && !o.pareto_x && !o.html && !o.audit);
    o.macc_model = 1;
    ck_assert_int_eq(tr_report_write_opts(scs, rs, 1, NULL, NULL, &o, dir), TR_OK);
    snprintf(p, sizeof p, "%s/report.md", dir);
    char *md = slurp(p);
    ck_assert_ptr_nonnull(md);
    ck_assert_ptr_nonnull(strstr(md, "\n### Measures one by one, 2022: `a<b> & 'c'`\n"));
    ck_assert_msg(strstr(md, "| 1 | eff |  | 250 | -85.0 | 250 | 900 | 4.17 | 3,750 |  |\n"), "%s", strstr(md, "| rank"));
    ck_assert_ptr_nonnull(strstr(md, "\n### The model under a tightening cap, 2022: `a<b> & 'c'`\n"));
    free(md);
    snprintf(p, sizeof p, "%s/macc.csv", dir);
    char *csv = slurp(p);
    ck_assert_ptr_nonnull(csv);
    ck_assert_str_eq(csv, "scenario,year,rank,technology,group,annualised_cost,energy_saved_gj,avoided,"
                          "cost_of_conserved_energy,cost_per_unit_avoided,cumulative_avoided,note\n"
                          "a<b> & 'c',2022,1,eff,,3750,900,250,4.16666666667,-85,250,\n");
    free(csv);
    static const char *const files[] = {"report.md", "summary.csv", "roadmap.csv", "adoption.csv", "policies.csv",
                                        "baseline.csv", "warnings.csv", "benchmark.csv", "macc.csv",
                                        "model_macc.csv"};
    for (size_t f = 0; f < sizeof files / sizeof *files; f++) {
        snprintf(p, sizeof p, "%s/%s", dir, files[f]);
        ck_assert_msg(remove(p) == 0, "%s missing", files[f]);
    }
    ck_assert_int_eq(rmdir(dir), 0);
    o.macc_model = 0;
    o.pareto_x = "npv";
    ck_assert_int_eq(tr_report_write_opts(scs, rs, 1, NULL, NULL, &o, dir), TR_E_INVAL);
    ck_assert_str_eq(tr_last_error(), "report: a trade-off front needs two objectives, got one");
    ck_assert_int_ne(access(dir, F_OK), 0);   /* nothing written, not even the folder */
    tr_result_free(r);
    tr_scenario_free(sc);
}
END_TEST

/* Out of memory at any allocation of the page: TR_E_NOMEM with a message and
 * nothing written, never a page with a part missing. */
START_TEST(report_html_out_of_memory)
{
    tr_scenario *sc = fx_load_text(html_yaml);
    tr_result *r = fx_solve(sc);
    char dir[] = "/tmp/techroad-html-oom-XXXXXX", p[600];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(p, sizeof p, "%s/report.html", dir);
    const tr_scenario *scs[1] = {sc};
    const tr_result *rs[1] = {r};
    ck_assert_int_eq(tr_report_write_html(scs, rs, 1, sc, r, dir), TR_OK);
    char *full = slurp(p);
    ck_assert_ptr_nonnull(full);
    remove(p);
    long k;
    for (k = 0; k < 100000; k++) {
        tri_set_alloc_fail_after(k);
        tr_status st = tr_report_write_html(scs, rs, 1, sc, r, dir);
        tri_set_alloc_fail_after(-1);
        if (st == TR_OK)
            break;
        ck_assert_msg(st == TR_E_NOMEM, "allocation %ld fails: status %d: %s", k, (int)st, tr_last_error());
        ck_assert_msg(tr_last_error()[0], "allocation %ld: empty message", k);
        FILE *f = fopen(p, "rb");
        ck_assert_msg(f == NULL, "allocation %ld failed but report.html was written", k);
    }
    ck_assert_int_gt(k, 20);   /* the page's buffers, copies, benchmark, file */
    char *again = slurp(p);
    ck_assert_ptr_nonnull(again);
    ck_assert_str_eq(again, full);
    free(again);
    free(full);
    remove(p);
    rmdir(dir);
    tr_result_free(r);
    tr_scenario_free(sc);
}
END_TEST

/* Issue 17 item 21: a '|' or a line break in a unit or the currency kept
 * the CSV whole (quoted) but broke the text table and report.md's tables:
 * every row of them must stay one line with its own number of cells. */
START_TEST(units_with_bar_and_newline_keep_tables_whole)
{
    const char *t = "format: techroad/1\nname: \"odd|units\"\ncurrency: \"US|D\\nX\"\nhorizon: {start: 2020, end: 2022}\n"
                    "discount_rate: 0.1\nspecies: {CO2: {unit: \"t|CO2\\r\\nx\"}}\n"
                    "carriers: {electricity: {unit: \"MWh|e\\t\", energy_content: 3.6, price: 100, "
                    "emission_factors: {CO2: 1}}}\n"
                    "plants: {p: {capacity: 1000, production: 1000, intensity: {electricity: 1}}}\n"
                    "technologies:\n  eff: {effects: {electricity: -0.2}, capex: 30, lifetime: 10, hurdle_rate: 0}\n"
                    "policies:\n  cap: {type: cap, indicator: emissions.CO2, limit: 900}\n";
    tr_scenario *sc = fx_load_text(t);
    tr_result *r = fx_solve(sc);
    char *txt = NULL;
    ck_assert_int_eq(tr_result_write_string(r, TR_FMT_TABLE, &txt), TR_OK);
    ck_assert_msg(strstr(txt, "NPV 227,050 US|D\\nX\n"), "%s", txt);
    ck_assert_msg(strstr(txt, "\nemissions.CO2                t|CO2\\r\\nx   "), "%s", txt);
    ck_assert_msg(strstr(txt, "\nenergy.electricity           MWh|e\\t   "), "%s", txt);
    /* no line starts with what followed a raw line break */
    for (const char *l = txt; l; l = strchr(l + 1, '\n'))
        ck_assert_msg(strncmp(l + (*l == '\n'), "x ", 2) && strncmp(l + (*l == '\n'), "X\n", 2), "%s", txt);
    tr_string_free(txt);
    char dir[] = "/tmp/techroad-units-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    const tr_scenario *scs[1] = {sc};
    const tr_result *rs[1] = {r};
    ck_assert_int_eq(tr_report_write(scs, rs, 1, NULL, NULL, dir), TR_OK);
    char p[600];
    snprintf(p, sizeof p, "%s/report.md", dir);
    char *md = slurp(p);
    ck_assert_ptr_nonnull(md);
    ck_assert_msg(strstr(md, "| emissions.CO2 | t\\|CO2  x | 800 | 800 | 800 |\n"), "%s", md);
    ck_assert_msg(strstr(md, "| investment | US\\|D X | 30,000 | 0 | 0 |\n"), "%s", md);
    ck_assert_msg(strstr(md, "\n| odd\\|units | optimal |"), "%s", md);
    /* every table row has as many unescaped bars as its table's header */
    int want = -1;
    for (char *l = md; *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : l + strlen(l)) {
        if (*l != '|') {
            want = -1;
            continue;
        }
        int bars = 0;
        for (char *c = l; *c && *c != '\n'; c++)
            bars += *c == '|' && (c == l || c[-1] != '\\');
        if (want < 0)
            want = bars;
        ck_assert_msg(bars == want, "a row with %d cells under a header of %d: %.80s", bars, want, l);
    }
    free(md);
    const char *files[] = {"report.md", "summary.csv", "roadmap.csv", "adoption.csv", "policies.csv", "baseline.csv",
                           "warnings.csv", "benchmark.csv"};
    for (size_t f = 0; f < sizeof files / sizeof *files; f++) {
        snprintf(p, sizeof p, "%s/%s", dir, files[f]);
        remove(p);
    }
    rmdir(dir);
    tr_result_free(r);
    tr_scenario_free(sc);
}
END_TEST

/* Issue 17 item 24: scenarios of a report that share a name are labelled
 * by file in every table (their rows differed only by the SHA column), by
 * whole path when the file names match too, and a warning says so. */
START_TEST(report_labels_scenarios_with_the_same_name)
{
    char dir[] = "/tmp/techroad-samename-XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(dir));
    char p[3][128], sub[2][64];
    const char *limits[3] = {"5000", "2800", "2900"};
    snprintf(sub[0], sizeof sub[0], "%s/a", dir);
    snprintf(sub[1], sizeof sub[1], "%s/b", dir);
    snprintf(p[0], sizeof p[0], "%s/x.yaml", sub[0]);
    snprintf(p[1], sizeof p[1], "%s/x.yaml", sub[1]);
    snprintf(p[2], sizeof p[2], "%s/other.yaml", dir);
    tr_scenario *sc[3];
    tr_result *r[3];
    for (int i = 0; i < 3; i++) {
        if (i < 2)
            ck_assert_int_eq(mkdir(sub[i], 0700), 0);
        FILE *f = fopen(p[i], "w");
        ck_assert_ptr_nonnull(f);
        fprintf(f, "format: techroad/1\nname: same\nhorizon: {start: 2020, end: 2022}\ndiscount_rate: 0.1\n"
                   "species: {CO2: {unit: t}}\n"
                   "carriers: {electricity: {unit: MWh, energy_content: 3.6, price: 100, emission_factors: {CO2: 1}}}\n"
                   "plants: {p: {capacity: 1000, production: 1000, intensity: {electricity: 1}}}\n"
                   "technologies:\n  eff: {effects: {electricity: -0.2}, capex: 30, lifetime: 10, hurdle_rate: 0}\n"
                   "policies:\n  cap: {type: cap, indicator: emissions.CO2, limit: %s}\n",
                limits[i]);
        fclose(f);
        sc[i] = fx_load_file(p[i]);
        r[i] = fx_solve(sc[i]);
    }
    char out[64];
    snprintf(out, sizeof out, "%s/out", dir);
    ck_assert_int_eq(tr_report_write((const tr_scenario *const *)sc, (const tr_result *const *)r, 3, NULL, NULL, out),
                     TR_OK);
    char f[128], want[1024];
    snprintf(f, sizeof f, "%s/warnings.csv", out);
    char *w = slurp(f);
    snprintf(want, sizeof want,
             "same (%s),,same name,has the name of same (%s); its rows are labelled by file (give each scenario its "
             "own name)\nsame (other.yaml),,same name,has the name of same (%s);",
             p[1], p[0], p[0]);
    ck_assert_msg(strstr(w, want), "%s\nwanted %s", w, want);
    free(w);
    snprintf(f, sizeof f, "%s/summary.csv", out);
    char *sm = slurp(f);
    snprintf(want, sizeof want, "\"same (%s)\"", p[0]);
    char want2[256];
    snprintf(want2, sizeof want2, "same (%s)", p[0]);
    ck_assert_msg(strstr(sm, want) || strstr(sm, want2), "%s", sm);
    ck_assert_msg(strstr(sm, "same (other.yaml)"), "%s", sm);
    free(sm);
    snprintf(f, sizeof f, "%s/report.md", out);
    char *md = slurp(f);
    ck_assert_msg(strstr(md, "\n## Scenario `same (other.yaml)`\n") && strstr(md, "\n| same (other.yaml) | optimal |"),
                  "%s", md);
    free(md);
    const char *files[] = {"report.md", "summary.csv", "roadmap.csv", "adoption.csv", "policies.csv", "baseline.csv",
                           "warnings.csv", "benchmark.csv"};
    for (size_t k = 0; k < sizeof files / sizeof *files; k++) {
        snprintf(f, sizeof f, "%s/%s", out, files[k]);
        remove(f);
    }
    rmdir(out);
    for (int i = 0; i < 3; i++) {
        remove(p[i]);
        tr_result_free(r[i]);
        tr_scenario_free(sc[i]);
    }
    rmdir(sub[0]);
    rmdir(sub[1]);
    rmdir(dir);
}
END_TEST

/* The committed Binh Yen tables (report + jobs-versus-health front with the
 * variants placed on it) are what the CLI makes now. */
START_TEST(binh_yen_tables_regenerate_identically)
{
    char dir[] = "/tmp/techroad-by-XXXXXX", cmd[8192];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(cmd, sizeof cmd, "cd %s/.. && bash examples/binh-yen/regen.sh %s %s", TR_SCENARIO_DIR, TR_CLI, dir);
    ck_assert_int_eq(system(cmd), 0);
    const char *files[] = {"report.md", "summary.csv", "roadmap.csv", "adoption.csv", "policies.csv", "baseline.csv",
                           "warnings.csv", "macc.csv", "front/front.csv", "front/variants.csv"};
    for (size_t f = 0; f < sizeof files / sizeof *files; f++) {
        char a[600], b[600];
        snprintf(a, sizeof a, "%s/%s", dir, files[f]);
        snprintf(b, sizeof b, "%s/../examples/binh-yen/%s", TR_SCENARIO_DIR, files[f]);
        char *x = slurp(a), *y = slurp(b);
        ck_assert_msg(x && y, "missing %s or %s", a, b);
        ck_assert_msg(strcmp(x, y) == 0, "%s differs from the committed table: run examples/binh-yen/regen.sh", files[f]);
        free(x);
        free(y);
    }
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/* The Binh Yen variants rank as the economics says: the emission standard
 * cuts PM2.5 but ends with fewer jobs (2030: the cramped crucible households
 * have closed; over the decade its scrap sorting adds more jobs than the
 * closures remove, so the cumulative count is not the test); green industry
 * keeps more jobs than the standard at less PM2.5 than the status quo; the
 * social optimum has the lowest private + damage cost, and with lead priced
 * (coal's metals, issue 14) it moves crucible households off coal, so its
 * lead in 2030 is below half the status quo's; relocation sends the dross to
 * the cluster's licensed processor, halving the village's hazardous waste. */
START_TEST(binh_yen_variants_rank)
{
    const char *v[] = {"status-quo", "command-and-control", "relocation", "green-industry", "social-optimum"};
    double pm[5], jobs[5], social[5], pb[5], waste[5];
    for (size_t i = 0; i < 5; i++) {
        char p[256];
        snprintf(p, sizeof p, "binh-yen/%s.yaml", v[i]);
        tr_scenario *sc = fx_load_file(p);
        tr_result *r = fx_solve(sc);
        ck_assert_msg(tr_result_status(r) == TR_SOL_OPTIMAL, "%s: %s", v[i], tr_result_status_name(r));
        pm[i] = fx_total(r, "cumulative.emissions.PM25");
        jobs[i] = fx_series(r, "jobs", 10);   /* 2030 */
        pb[i] = fx_series(r, "emissions.Pb", 10);
        waste[i] = fx_series(r, "hazardous_waste", 10);
        double npv = tr_result_npv(r), dmg = fx_total(r, "pv.damage");
        social[i] = (i == 4 ? npv - dmg : npv) + dmg;   /* private + damage, whatever the objective */
        tr_result_free(r);
        tr_scenario_free(sc);
    }
    ck_assert(pm[1] < pm[0] && jobs[1] < jobs[0]);
    ck_assert(jobs[3] > jobs[1] && pm[3] < pm[0]);
    for (size_t i = 0; i < 4; i++)
        ck_assert_msg(social[4] <= social[i] + 1e-6 * social[i], "social optimum %g > %s %g", social[4], v[i], social[i]);
    ck_assert_msg(pb[4] < 0.5 * pb[0], "lead 2030: social optimum %g, status quo %g", pb[4], pb[0]);
    ck_assert_msg(waste[2] < 0.55 * waste[0], "hazardous waste 2030: relocation %g, status quo %g", waste[2], waste[0]);
}
END_TEST

/* Per-plant series by hand (tr_result_plant_series): plant a makes 800 t
 * on 1,000 t/yr (u = 0.8) at 1 MWh/t and 0.1 t CO2/t of process emissions,
 * half of it equipped (existing) with a measure saving 0.2 MWh/t that new
 * capex too dear to buy keeps at that; plant b makes 500 t at 1.2 MWh/t.
 * Electricity emits 0.5 t CO2/MWh and holds 3.6 GJ. */
START_TEST(plant_series_by_hand)
{
    tr_scenario *sc = fx_load_text(
        "format: techroad/1\nname: ps\nhorizon: {start: 2020, end: 2021}\ndiscount_rate: 0.1\n"
        "species: {CO2: {unit: t}}\n"
        "carriers: {electricity: {unit: MWh, energy_content: 3.6, price: 50, emission_factors: {CO2: 0.5}}}\n"
        "plants:\n"
        "  a: {capacity: 1000, production: 800, intensity: {electricity: 1.0}, process_emissions: {CO2: 0.1}}\n"
        "  b: {capacity: 500, production: 500, intensity: {electricity: 1.2}}\n"
        "technologies: {eff: {effects: {electricity: -0.2}, capex: 1e9, lifetime: 10, hurdle_rate: 0,"
        " applies_to: [a], existing: {a: 0.5}}}\n");
    tr_result *r = fx_solve(sc);
    ck_assert_int_eq(tr_result_status(r), TR_SOL_OPTIMAL);
    double v[2];
    /* a: E = 800 x 1 - 0.2 x 0.8 x 500 = 720 MWh; M = 0.5 x 720 + 0.1 x 800 = 440 t */
    struct { size_t plant; const char *what; double want; } cases[] = {
        {0, "production", 800}, {0, "capacity", 1000}, {0, "energy.electricity", 720},
        {0, "energy.total", 720 * 3.6}, {0, "emissions.CO2", 440}, {0, "intensity.energy.electricity", 0.9},
        {0, "intensity.emissions.CO2", 0.55}, {1, "energy.electricity", 600}, {1, "emissions.CO2", 300},
        {1, "intensity.energy.total", 1.2 * 3.6}};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        ck_assert_int_eq(tr_result_plant_series(r, cases[i].plant, cases[i].what, v, 2), TR_OK);
        for (size_t t = 0; t < 2; t++)
            ck_assert_msg(fabs(v[t] - cases[i].want) <= 1e-9 * fabs(cases[i].want), "plant %zu %s = %.12g, expected %g",
                          cases[i].plant, cases[i].what, v[t], cases[i].want);
    }
    /* the plants add up to the sector */
    double b[2];
    ck_assert_int_eq(tr_result_plant_series(r, 0, "emissions.CO2", v, 2), TR_OK);
    ck_assert_int_eq(tr_result_plant_series(r, 1, "emissions.CO2", b, 2), TR_OK);
    NEAR(v[1] + b[1], fx_series(r, "emissions.CO2", 1), 1e-12);
    /* errors */
    ck_assert_int_eq(tr_result_plant_series(r, 0, "energy.coal", v, 2), TR_E_NOTFOUND);
    ck_assert_ptr_nonnull(strstr(tr_last_error(), "no per-plant series \"energy.coal\"; expected one of production, "
                                                  "capacity, energy.electricity, energy.total, emissions.CO2"));
    ck_assert_int_eq(tr_result_plant_series(r, 0, "intensity.capacity", v, 2), TR_E_NOTFOUND);
    ck_assert_int_eq(tr_result_plant_series(r, 2, "production", v, 2), TR_E_NOTFOUND);
    ck_assert_ptr_nonnull(strstr(tr_last_error(), "plant 2 out of range (2 plants)"));
    ck_assert_int_eq(tr_result_plant_series(r, 0, "production", v, 1), TR_E_INVAL);
    ck_assert_ptr_nonnull(strstr(tr_last_error(), "expected a buffer of 2 years, got 1"));
    ck_assert_int_eq(tr_result_plant_series(r, 0, NULL, v, 2), TR_E_INVAL);
    tr_result_free(r);
    tr_scenario_free(sc);
    tr_scenario *bad = fx_load_file(TR_TEST_DATA "/infeasible.yaml");
    r = fx_solve(bad);
    ck_assert_int_eq(tr_result_plant_series(r, 0, "production", v, 1), TR_E_NOTFOUND);
    ck_assert_ptr_nonnull(strstr(tr_last_error(), "no solution in this result (status infeasible)"));
    tr_result_free(r);
    tr_scenario_free(bad);
}
END_TEST

/* Resource cost by hand (tr_result_resource_cost, MODEL.md §11): one plant,
 * 100 t/yr at 2 MWh/t, electricity at 50 per MWh (10,000 a year), 0.5 t
 * CO2 per MWh (100 t) taxed at 10 (1,000) with a damage cost of 20 (2,000)
 * that the social objective counts; df = 1, 1/1.1. The NPV holds all three;
 * the resource cost only the energy: 10,000 x (1 + 1/1.1). */
START_TEST(resource_cost_by_hand)
{
    tr_scenario *sc = fx_load_text(
        "format: techroad/1\nname: rc\nhorizon: {start: 2020, end: 2021}\ndiscount_rate: 0.1\nobjective: social\n"
        "species: {CO2: {unit: t, damage_cost: 20}}\n"
        "carriers: {electricity: {unit: MWh, price: 50, emission_factors: {CO2: 0.5}}}\n"
        "plants: {p: {capacity: 100, production: 100, intensity: {electricity: 2}}}\n"
        "technologies: {dear: {effects: {electricity: -1}, capex: 1e9, lifetime: 10, hurdle_rate: 0}}\n"
        "policies: {tax: {type: price, species: CO2, value: 10}}\n");
    tr_result *r = fx_solve(sc);
    ck_assert_int_eq(tr_result_status(r), TR_SOL_OPTIMAL);
    double f = 1 + 1 / 1.1;
    NEAR(tr_result_npv(r), 13000 * f, 1e-12);
    NEAR(fx_total(r, "pv.emission_tax"), 1000 * f, 1e-12);
    NEAR(fx_total(r, "pv.damage"), 2000 * f, 1e-12);
    NEAR(tr_result_resource_cost(r), 10000 * f, 1e-12);
    tr_result_free(r);
    tr_scenario_free(sc);
    /* an outcome without a solution has none */
    ck_assert(isnan(tr_result_resource_cost(NULL)));
    tr_scenario *bad = fx_load_file(TR_TEST_DATA "/infeasible.yaml");
    tr_result *ri = fx_solve(bad);
    ck_assert_int_eq(tr_result_status(ri), TR_SOL_INFEASIBLE);
    ck_assert(isnan(tr_result_resource_cost(ri)));
    tr_result_free(ri);
    tr_scenario_free(bad);
}

/* The HTML charts' units follow the rule of the Python plots
 * (bindings/python/techroad/_units.py scale_unit; test_figures.py checks the
 * same cases there): below 1,000 the unit stays, then kt/Mt, GWh/TWh, money
 * with M and bn, a rate scaled before its slash, other units in words. */
START_TEST(chart_units_follow_the_shared_rule)
{
    char u[64];
    ck_assert(tri_unit_scale("t", 999.9, u, sizeof u) == 1 && !strcmp(u, "t"));
    ck_assert(tri_unit_scale("t", 1000, u, sizeof u) == 1e-3 && !strcmp(u, "kt"));
    ck_assert(tri_unit_scale("t", 2.36e6, u, sizeof u) == 1e-6 && !strcmp(u, "Mt"));
    ck_assert(tri_unit_scale("USD2020", 3.2e9, u, sizeof u) == 1e-9 && !strcmp(u, "bn USD2020"));
    ck_assert(tri_unit_scale("USD2020", 4.5e8, u, sizeof u) == 1e-6 && !strcmp(u, "M USD2020"));
    ck_assert(tri_unit_scale("MWh", 4.5e5, u, sizeof u) == 1e-3 && !strcmp(u, "GWh"));
    ck_assert(tri_unit_scale("t/yr", 5e6, u, sizeof u) == 1e-6 && !strcmp(u, "Mt/yr"));
    ck_assert(tri_unit_scale("jobs", 2e4, u, sizeof u) == 1e-3 && !strcmp(u, "thousand jobs"));
    ck_assert(tri_unit_scale("", 2e4, u, sizeof u) == 1e-3 && !strcmp(u, "thousand"));
}
END_TEST
END_TEST

Suite *report_suite(void)
{
    Suite *s = suite_create("report");
    TCase *tc = tcase_create("report");
    tcase_set_timeout(tc, 300);
    tcase_add_test(tc, benchmark_by_hand);
    tcase_add_test(tc, resource_cost_by_hand);
    tcase_add_test(tc, plant_series_by_hand);
    tcase_add_test(tc, vn_eaf_tables_regenerate_identically);
    tcase_add_test(tc, vn_eaf_variants_rank);
    tcase_add_test(tc, report_warns_about_idle_instruments);
    tcase_add_test(tc, report_html_by_hand);
    tcase_add_test(tc, report_html_out_of_memory);
    tcase_add_test(tc, report_measure_curve_by_hand);
    tcase_add_test(tc, binh_yen_tables_regenerate_identically);
    tcase_add_test(tc, binh_yen_variants_rank);
    tcase_add_test(tc, units_with_bar_and_newline_keep_tables_whole);
    tcase_add_test(tc, report_labels_scenarios_with_the_same_name);
    tcase_add_test(tc, chart_units_follow_the_shared_rule);
    suite_add_tcase(s, tc);
    return s;
}
