/* Provenance (issue 14, docs/MODEL.md "Provenance"): references files,
 * source/sources on items, assumptions and their ranges, illustrative
 * policies, the CSV source columns, and the evidence table.
 *
 * Bad input as in check_errors.c: each case edits BASE (lines named by
 * number), loads the text as "test.yaml" with base dir tests/data and
 * checks the status and the parts of the message in order. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "fixtures.h"

#define N_OF(a) (sizeof(a) / sizeof *(a))

static const char *const BASE[] = {
    /*  1 */ "format: techroad/1",
    /*  2 */ "name: prov",
    /*  3 */ "references: prov/references.yaml",
    /*  4 */ "horizon: {start: 2020, end: 2022}",
    /*  5 */ "discount_rate: 0.05",
    /*  6 */ "species:",
    /*  7 */ "  CO2: {unit: t}",
    /*  8 */ "carriers:",
    /*  9 */ "  electricity:",
    /* 10 */ "    unit: MWh",
    /* 11 */ "    price: 100",
    /* 12 */ "    emission_factors: {CO2: 0.9}",
    /* 13 */ "    source: evn-tariff-2023",
    /* 14 */ "plants:",
    /* 15 */ "  p1:",
    /* 16 */ "    capacity: 1000",
    /* 17 */ "    production: 900",
    /* 18 */ "    intensity: {electricity: 1.0}",
    /* 19 */ "technologies:",
    /* 20 */ "  eff:",
    /* 21 */ "    effects: {electricity: -0.2}",
    /* 22 */ "    capex: 30",
    /* 23 */ "    lifetime: 10",
    /* 24 */ "    source: \"assumption: a typical retrofit\"",
    /* 25 */ "policies:",
    /* 26 */ "  va: {type: intensity_cap, indicator: energy.electricity, limit: 0.95}",
};

typedef struct edit {
    int line;              /* 0 ends the list; END appends */
    const char *text;      /* NULL deletes the line */
} edit;
#define END 1000

typedef struct bad_case {
    const char *name;
    edit ed[6];
    tr_status st;
    const char *msg[4];
} bad_case;

static const char *build(const edit *ed)
{
    static char buf[1 << 14];
    size_t n = 0;
    buf[0] = '\0';
    for (int l = 1; l <= (int)N_OF(BASE); l++) {
        const edit *hit = NULL;
        for (const edit *e = ed; e->line; e++)
            if (e->line == l)
                hit = e;
        const char *t = hit ? hit->text : BASE[l - 1];
        if (t)
            n += (size_t)snprintf(buf + n, sizeof buf - n, "%s\n", t);
    }
    for (const edit *e = ed; e->line; e++)
        if (e->line == END)
            n += (size_t)snprintf(buf + n, sizeof buf - n, "%s\n", e->text);
    ck_assert_uint_lt(n, sizeof buf - 1);
    return buf;
}

static void check_parts(const char *name, const char *got, const char *const *msg, size_t nmsg)
{
    const char *p = got;
    for (size_t i = 0; i < nmsg && msg[i]; i++) {
        const char *q = strstr(p, msg[i]);
        ck_assert_msg(q, "%s: message lacks [%s] (in order)\n  got: %s", name, msg[i], got);
        p = q + strlen(msg[i]);
    }
}

static void run_case(const bad_case *c)
{
    char got[4096];
    tr_status st = fx_load_error(build(c->ed), got, sizeof got);
    ck_assert_msg(st == c->st, "%s: expected status %d, got %d: %s", c->name, (int)c->st, (int)st, got);
    check_parts(c->name, got, c->msg, N_OF(c->msg));
}

START_TEST(base_loads)
{
    static const edit none[1] = {{0, NULL}};
    char got[4096];
    ck_assert_msg(fx_load_error(build(none), got, sizeof got) == TR_OK, "%s", got);
}
END_TEST

static const bad_case bad[] = {
    {"unknown citation key", {{13, "    source: evn2023"}}, TR_E_NOTFOUND,
     {"test.yaml:13:13: carriers.electricity.source: ", "unknown citation key \"evn2023\"; expected a key of ",
      "prov/references.yaml or {assumption: why}"}},
    {"unknown key in a list", {{13, "    source: [gem-2025, evn2024]"}}, TR_E_NOTFOUND,
     {"test.yaml:13:24: carriers.electricity.source: ", "unknown citation key \"evn2024\""}},
    {"unknown key in sources", {{24, "    source: \"assumption: a typical retrofit\"\n    sources: {capex: capex-2020}"}}, TR_E_NOTFOUND,
     {"test.yaml:25:22: technologies.eff.sources.capex: ", "unknown citation key \"capex-2020\""}},
    {"free text once references are declared", {{24, "    source: IEA 2020, p. 12"}}, TR_E_NOTFOUND,
     {"test.yaml:24:13: technologies.eff.source: ", "unknown citation key \"IEA 2020, p. 12\""}},
    {"sources path naming no field", {{24, "    sources: {capx: gem-2025}"}}, TR_E_INVAL,
     {"test.yaml:24:15: technologies.eff.sources.capx: ", "names no field of technologies.eff; expected the path of "
      "one of its fields (effects, capex, lifetime)"}},
    /* a year below a constant series (capex.2020) is a series edited by set(): accepted, covers nothing */
    {"sources path below a number", {{24, "    sources: {capex.low: gem-2025}"}}, TR_E_INVAL,
     {"technologies.eff.sources.capex.low: ", "names no field of technologies.eff"}},
    {"top-level sources path", {{5, "discount_rate: 0.05\nsources: {discount_rat: gem-2025}"}}, TR_E_INVAL,
     {"test.yaml:6:11: sources.discount_rat: ", "names no field of the top level"}},
    {"sources not a map", {{24, "    sources: gem-2025"}}, TR_E_INVAL,
     {"technologies.eff.sources: ", "expected a map {field path: citation key, list of keys or assumption}"}},
    {"assumption without reason", {{24, "    source: \"assumption:\""}}, TR_E_INVAL,
     {"test.yaml:24:13: technologies.eff.source: ", "got an assumption without its reason"}},
    {"assumption map unknown key", {{24, "    source: {assumption: guess, rnage: [0.5, 2]}"}}, TR_E_INVAL,
     {"test.yaml:24:", "technologies.eff.source.rnage: ", "unknown key \"rnage\"; expected assumption, range or searched"}},
    {"range above one", {{24, "    source: {assumption: guess, range: [1.2, 1.5]}"}}, TR_E_INVAL,
     {"technologies.eff.source.range: ", "expected [low, high] multipliers with 0 <= low <= 1 <= high, got a list"}},
    {"searched not a text", {{24, "    source: {assumption: guess, searched: [IEA, LBNL]}"}}, TR_E_INVAL,
     {"test.yaml:24:", "technologies.eff.source.searched: ",
      "expected what was looked for, where and when (a text), got a list"}},
    {"searched a number", {{24, "    source: {assumption: guess, searched: 2026}"}}, TR_E_INVAL,
     {"test.yaml:24:43: technologies.eff.source.searched: ", "(a text), got a number"}},
    {"searched empty", {{24, "    sources: {capex: {assumption: guess, searched: \"\"}}"}}, TR_E_INVAL,
     {"technologies.eff.sources.capex.searched: ", "(a text), got an empty text"}},
    {"range of three", {{24, "    source: {assumption: guess, range: [0.5, 1, 2]}"}}, TR_E_INVAL,
     {"technologies.eff.source.range: ", "expected [low, high] multipliers"}},
    {"empty list", {{24, "    source: []"}}, TR_E_INVAL,
     {"test.yaml:24:13: technologies.eff.source: ", "got an empty list"}},
    {"illustrative on a technology", {{24, "    illustrative: true"}}, TR_E_INVAL,
     {"test.yaml:24:5: technologies.eff.illustrative: ", "only a policy may be marked illustrative"}},
    {"illustrative not a boolean",
     {{26, "  va: {type: intensity_cap, indicator: energy.electricity, limit: 0.95, illustrative: maybe}"}},
     TR_E_INVAL, {"test.yaml:26:", "policies.va.illustrative: ", "expected true or false"}},
    {"duplicate key in two references files", {{3, "references: [prov/references.yaml, prov/dup.yaml]"}}, TR_E_INVAL,
     {"prov/dup.yaml:3:3: references.evn-tariff-2023: ", "citation key defined twice (first at ",
      "prov/references.yaml:3:3); expected each key once"}},
    {"references file missing a required field", {{3, "references: [prov/references.yaml, prov/missing_figure.yaml]"}},
     TR_E_INVAL,
     {"prov/missing_figure.yaml:4:5: references.no-figure.figure: ",
      "required field is missing; expected the quoted figure(s) used"}},
    {"references file of another format", {{3, "references: prov/bad_format.yaml"}}, TR_E_INVAL,
     {"prov/bad_format.yaml:1:9: format: ", "unknown format \"techroad/1\"; expected \"techroad-references/1\""}},
    {"address outside the repository", {{3, "references: prov/bad_address.yaml"}}, TR_E_INVAL,
     {"prov/bad_address.yaml:6:14: references.local.address: ",
      "expected a public address (http:// or https://) or print, got \"/work/shared/data/vn/plants.csv\""}},
    {"references file missing", {{3, "references: prov/nothere.yaml"}}, TR_E_IO,
     {"test.yaml:3:13: references: ", "prov/nothere.yaml: cannot read", "expected a references file"}},
    {"references a number", {{3, "references: 5"}}, TR_E_IO,
     {"test.yaml:3:13: references: ", "5: cannot read"}},
    {"references a list of maps", {{3, "references: [{a: b}]"}}, TR_E_INVAL,
     {"test.yaml:3:13: references: ", "expected a file name or a list of file names"}},
    {"inline entry missing its title", {{3, "references: {k1: {year: 2020, address: print, accessed: 2026-01-01, "
                                           "figure: x}}"}}, TR_E_INVAL,
     {"test.yaml:3:18: references.k1.title: ", "required field is missing; expected the title of the work"}},
    {"inline key with capitals", {{3, "references: {K1: {}}"}}, TR_E_INVAL,
     {"test.yaml:3:14: references: ", "citation key \"K1\"; expected lower-case letters"}},
    {"CSV source column with an unknown key",
     {{14, "plants: {csv: prov/plants_bad_key.csv}"}, {15, NULL}, {16, NULL}, {17, NULL}, {18, NULL}}, TR_E_NOTFOUND,
     {"prov/plants_bad_key.csv:2:5: plants.p1.source: ", "unknown citation key \"gem2025\""}},
};

START_TEST(bad_input)
{
    run_case(&bad[_i]);
}
END_TEST

/* free text is still allowed where no references are declared (legacy) */
START_TEST(legacy_free_text)
{
    static const edit ed[] = {{3, NULL}, {13, "    source: EVN 2023 annual report"},
                              {24, "    source: [IEA 2020, \"assumption: typical\"]"}, {0, NULL}};
    char got[4096];
    ck_assert_msg(fx_load_error(build(ed), got, sizeof got) == TR_OK, "%s", got);
    /* ... but a map that is no assumption is not */
    static const edit ed2[] = {{3, NULL}, {13, "    source: {a: b}"}, {0, NULL}};
    ck_assert_msg(fx_load_error(build(ed2), got, sizeof got) == TR_E_INVAL, "%s", got);
    ck_assert_ptr_nonnull(strstr(got, "test.yaml:12:13: carriers.electricity.source: "));   /* line 3 deleted */
}
END_TEST

/* the effective YAML carries the references inline and loads again, with
 * the same evidence (Python's pickling and ensembles go through it) */
START_TEST(effective_yaml_round_trip)
{
    tr_scenario *sc = fx_load_file(TR_TEST_DATA "/prov/variant.yaml");
    char *y = NULL;
    ck_assert_int_eq(tr_scenario_to_yaml(sc, &y), TR_OK);
    tr_scenario *back = NULL;
    tr_status st = tr_scenario_loads(y, TR_TEST_DATA, "back.yaml", &back);
    ck_assert_msg(st == TR_OK, "%s", tr_last_error());
    ck_assert_str_eq(tr_scenario_sha256(sc), tr_scenario_sha256(back));
    tr_analysis *a = NULL;
    ck_assert_int_eq(tr_scenario_audit(back, &a), TR_OK);
    const tr_table *t = tr_analysis_find(a, "evidence");
    ck_assert_uint_eq(tr_table_row_count(t), 2);   /* one file now, and the total */
    ck_assert_double_eq(tr_table_num(t, 1, 1), 17);
    ck_assert_double_eq(tr_table_num(t, 1, 2), 5);
    ck_assert_double_eq(tr_table_num(t, 1, 3), 6);
    ck_assert_double_eq(tr_table_num(t, 1, 5), 6);
    tr_analysis_free(a);
    tr_string_free(y);
    tr_scenario_free(back);
    tr_scenario_free(sc);
}
END_TEST

/* a variant repeating its base's references file: the same definitions, not duplicates */
START_TEST(extends_same_references)
{
    tr_scenario *sc = NULL;
    tr_status st = tr_scenario_load(TR_TEST_DATA "/prov/variant.yaml", &sc);
    ck_assert_msg(st == TR_OK, "%s", tr_last_error());
    tr_scenario_free(sc);
}
END_TEST

/* ------------------------------------------------------------ the evidence table */

/* row of table @t whose text column 0 ends with @suffix */
static long row_of(const tr_table *t, const char *suffix)
{
    for (size_t r = 0; r < tr_table_row_count(t); r++) {
        const char *f = tr_table_text(t, r, 0);
        size_t lf = strlen(f), ls = strlen(suffix);
        if (lf >= ls && strcmp(f + lf - ls, suffix) == 0)
            return (long)r;
    }
    return -1;
}

/* numbers, sourced, assumption, free text, neither of one file's row */
static void expect_counts(const tr_table *t, const char *file, const double want[5])
{
    long r = row_of(t, file);
    ck_assert_msg(r >= 0, "no row for %s", file);
    for (size_t c = 0; c < 5; c++)
        ck_assert_msg(tr_table_num(t, (size_t)r, c + 1) == want[c], "%s: %s = %g, expected %g", file,
                      tr_table_col_name(t, c + 1), tr_table_num(t, (size_t)r, c + 1), want[c]);
}

static const tr_table *find_number(const tr_analysis *a, const char *path, long *row)
{
    const tr_table *t = tr_analysis_find(a, "numbers");
    ck_assert_ptr_nonnull(t);
    for (size_t r = 0; r < tr_table_row_count(t); r++)
        if (strcmp(tr_table_text(t, r, 3), path) == 0) {
            *row = (long)r;
            return t;
        }
    ck_abort_msg("no number at %s", path);
    return NULL;
}

/* tests/data/prov/audit.yaml by hand: 11 numbers in the YAML file
 *   horizon.start, horizon.end, discount_rate: the top level's assumption (3)
 *   carriers.electricity.price.2020/.2022: evn-tariff-2023 (2 sourced)
 *   carriers.electricity.emission_factors.CO2: sources' assumption, [0.8, 1.3] (1)
 *   technologies.eff: capex [gem-2025, assumption] (1 assumption), lifetime gem-2025
 *     (1 sourced), effects.electricity and hurdle_rate: nothing (2 neither)
 *   policies.va.limit: nothing (1 neither; the top level's source does not
 *     reach into items)
 * = 3 sourced, 5 assumptions, 3 neither; and 6 in plants.csv: p1's capacity
 * and production gem-2025 (2), its intensity the source.intensity
 * assumption (1), p2's three numbers nothing (3). */
START_TEST(evidence_counts)
{
    tr_scenario *sc = fx_load_file(TR_TEST_DATA "/prov/audit.yaml");
    tr_analysis *a = NULL;
    ck_assert_int_eq(tr_scenario_audit(sc, &a), TR_OK);
    const tr_table *t = tr_analysis_find(a, "evidence");
    ck_assert_ptr_nonnull(t);
    ck_assert_uint_eq(tr_table_row_count(t), 3);
    expect_counts(t, "prov/audit.yaml", (const double[]){11, 3, 5, 0, 3});
    expect_counts(t, "prov/plants.csv", (const double[]){6, 2, 1, 0, 3});
    expect_counts(t, "total", (const double[]){17, 5, 6, 0, 6});
    long r;
    const tr_table *n = find_number(a, "technologies.eff.capex", &r);
    ck_assert_uint_eq(tr_table_row_count(n), 17);
    ck_assert_str_eq(tr_table_text(n, (size_t)r, 5), "assumption");
    ck_assert_str_eq(tr_table_text(n, (size_t)r, 6), "gem-2025");
    ck_assert_str_eq(tr_table_text(n, (size_t)r, 7), "scaled");
    ck_assert_double_eq(tr_table_num(n, (size_t)r, 1), 22);   /* line */
    ck_assert_double_eq(tr_table_num(n, (size_t)r, 4), 30);
    ck_assert_double_eq(tr_table_num(n, (size_t)r, 8), 0.75);  /* the default range */
    ck_assert_double_eq(tr_table_num(n, (size_t)r, 9), 1.25);
    n = find_number(a, "carriers.electricity.emission_factors.CO2", &r);
    ck_assert_double_eq(tr_table_num(n, (size_t)r, 8), 0.8);
    ck_assert_double_eq(tr_table_num(n, (size_t)r, 9), 1.3);
    ck_assert_str_eq(tr_table_text(n, (size_t)r, 7), "grid mix");
    ck_assert_str_eq(tr_table_text(n, (size_t)r, 10), "an official 2020 grid factor, MONRE site, 2026-12-03");
    n = find_number(a, "technologies.eff.capex", &r);
    ck_assert_str_eq(tr_table_text(n, (size_t)r, 10), "");   /* no searched: */
    n = find_number(a, "plants.p1.intensity.electricity", &r);
    ck_assert_str_eq(tr_table_text(n, (size_t)r, 7), "survey mean");
    ck_assert_double_eq(tr_table_num(n, (size_t)r, 1), 2);     /* CSV line */
    ck_assert_double_eq(tr_table_num(n, (size_t)r, 2), 4);     /* CSV column */
    n = find_number(a, "carriers.electricity.price.2022", &r);
    ck_assert_str_eq(tr_table_text(n, (size_t)r, 5), "sourced");
    ck_assert_str_eq(tr_table_text(n, (size_t)r, 6), "evn-tariff-2023");
    ck_assert(isnan(tr_table_num(n, (size_t)r, 8)));
    n = find_number(a, "policies.va.limit", &r);
    ck_assert_str_eq(tr_table_text(n, (size_t)r, 5), "neither");
    tr_analysis_free(a);
    tr_scenario_free(sc);
}
END_TEST

/* A variant: its own numbers (discount_rate, eff.capex) count in its file
 * with the coverage of the merged tree; the base keeps the other nine. */
START_TEST(evidence_extends)
{
    tr_scenario *sc = fx_load_file(TR_TEST_DATA "/prov/variant.yaml");
    tr_analysis *a = NULL;
    ck_assert_int_eq(tr_scenario_audit(sc, &a), TR_OK);
    const tr_table *t = tr_analysis_find(a, "evidence");
    ck_assert_uint_eq(tr_table_row_count(t), 4);
    expect_counts(t, "prov/variant.yaml", (const double[]){2, 0, 2, 0, 0});
    expect_counts(t, "prov/audit.yaml", (const double[]){9, 3, 3, 0, 3});
    expect_counts(t, "total", (const double[]){17, 5, 6, 0, 6});
    tr_analysis_free(a);
    tr_scenario_free(sc);
}
END_TEST

/* tiny.yaml's 13 numbers, with free text on the technology (legacy) */
START_TEST(evidence_free_text)
{
    tr_scenario *sc = fx_load_text(fx_yaml("extends: tiny.yaml", "format: techroad/1",
                                           "technologies: {eff: {source: IEA 2020 p. 3}}", NULL));
    tr_analysis *a = NULL;
    ck_assert_int_eq(tr_scenario_audit(sc, &a), TR_OK);
    const tr_table *t = tr_analysis_find(a, "evidence");
    expect_counts(t, "total", (const double[]){13, 0, 0, 4, 9});
    expect_counts(t, "tiny.yaml", (const double[]){13, 0, 0, 4, 9});
    long r;
    const tr_table *n = find_number(a, "technologies.eff.lifetime", &r);
    ck_assert_str_eq(tr_table_text(n, (size_t)r, 5), "free text");
    ck_assert_str_eq(tr_table_text(n, (size_t)r, 7), "IEA 2020 p. 3");
    tr_analysis_free(a);
    tr_scenario_free(sc);
}
END_TEST

/* techroad audit prints the evidence table; bad input exits 2 with the message */
START_TEST(cli_audit)
{
    char cmd[2048], buf[4096];
    snprintf(cmd, sizeof cmd, "cd %s/.. && %s audit data/prov/audit.yaml --format csv --no-ranking 2>&1", TR_TEST_DATA, TR_CLI);
    FILE *p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    size_t n = fread(buf, 1, sizeof buf - 1, p);
    buf[n] = '\0';
    ck_assert_int_eq(pclose(p), 0);
    ck_assert_str_eq(buf, "file,numbers,sourced,assumption,free_text,neither\n"
                          "data/prov/audit.yaml,11,3,5,0,3\n"
                          "data/prov/plants.csv,6,2,1,0,3\n"
                          "total,17,5,6,0,6\n");
    /* a scenario citing an unknown key */
    FILE *f = fopen("/tmp/techroad-prov-bad.yaml", "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "format: techroad/1\nextends: %s/prov/audit.yaml\nname: bad\nsource: evn2023\n", TR_TEST_DATA);
    fclose(f);
    snprintf(cmd, sizeof cmd, "%s audit /tmp/techroad-prov-bad.yaml 2>&1", TR_CLI);
    p = popen(cmd, "r");
    n = fread(buf, 1, sizeof buf - 1, p);
    buf[n] = '\0';
    int rc = pclose(p);
    remove("/tmp/techroad-prov-bad.yaml");
    ck_assert_int_eq(WEXITSTATUS(rc), 2);
    ck_assert_msg(strstr(buf, "techroad-prov-bad.yaml:4:9: source: unknown citation key \"evn2023\""), "%s", buf);
}
END_TEST

/* illustrative: true shows next to the policy: the report's policy table,
 * the run table's policy lines and the JSON result; va of audit.yaml only */
START_TEST(illustrative_shown)
{
    tr_scenario *sc = fx_load_file(TR_TEST_DATA "/prov/audit.yaml");
    tr_result *r = fx_solve(sc);
    char *text = NULL;
    ck_assert_int_eq(tr_result_write_string(r, TR_FMT_TABLE, &text), TR_OK);
    ck_assert_ptr_nonnull(strstr(text, "-- policies\n   va: illustrative (a target with no public source)\n"
                                       "policy.va.binding"));
    tr_string_free(text);
    ck_assert_int_eq(tr_result_write_string(r, TR_FMT_JSON, &text), TR_OK);
    ck_assert_ptr_nonnull(strstr(text, "\"illustrative\": true"));
    tr_string_free(text);
    const char *dir = "/tmp/techroad-prov-report";
    const tr_scenario *scs[1] = {sc};
    const tr_result *rs[1] = {r};
    ck_assert_int_eq(tr_report_write(scs, rs, 1, NULL, NULL, dir), TR_OK);
    FILE *f = fopen("/tmp/techroad-prov-report/report.md", "r");
    ck_assert_ptr_nonnull(f);
    static char md[1 << 16];
    size_t n = fread(md, 1, sizeof md - 1, f);
    md[n] = '\0';
    fclose(f);
    ck_assert_ptr_nonnull(strstr(md, "| va (intensity_cap, illustrative) binds |"));
    tr_result_free(r);
    tr_scenario_free(sc);
    /* without the flag: no mark */
    sc = fx_load_text(fx_yaml("extends: prov/audit.yaml", "format: techroad/1",
                              "policies: {va: {illustrative: false}}", NULL));
    r = fx_solve(sc);
    ck_assert_int_eq(tr_result_write_string(r, TR_FMT_TABLE, &text), TR_OK);
    ck_assert_ptr_null(strstr(text, "illustrative"));
    tr_string_free(text);
    tr_result_free(r);
    tr_scenario_free(sc);
}
END_TEST

/* ------------------------------------------------------------ the influence ranking */

/* npv and cumulative CO2 of prov/rank.yaml with @override merged in, solved on its own */
static void solve_with(const char *override, double *npv, double *co2)
{
    tr_scenario *sc = fx_load_text(fx_yaml("extends: prov/rank.yaml", "format: techroad/1", override, NULL));
    tr_result *r = fx_solve(sc);
    *npv = fx_total(r, "npv");
    *co2 = fx_total(r, "cumulative.emissions.CO2");
    tr_result_free(r);
    tr_scenario_free(sc);
}

static long ranking_row(const tr_table *t, const char *path)
{
    for (size_t r = 0; r < tr_table_row_count(t); r++)
        if (!strcmp(tr_table_text(t, r, 0), path))
            return (long)r;
    ck_abort_msg("no ranking row %s", path);
    return -1;
}

static void near(double a, double b, const char *what)
{
    ck_assert_msg(fabs(a - b) <= 1e-7 * (1 + fabs(b)), "%s = %.10g, expected %.10g", what, a, b);
}
#define NEAR(a, b) near((a), (double)(b), #a)

/* tests/data/prov/rank.yaml by hand: 1000 t a year for 3 years at 1 MWh/t,
 * eff saves 0.2 MWh/t for capex 100 per t/yr over 10 years at 0 %
 * (10,000 a year), adopted whenever the saving 0.2 * 1000 * price beats it.
 * Base: 0.8 MWh/t * 1000 * (100 + 110 + 120) + 3 * 10,000 = 294,000.
 * price x [0.6, 1.5] (the series as a whole): 0.8 * 1000 * (60 + 66 + 72)
 * + 30,000 = 188,400 and 0.8 * 1000 * (150 + 165 + 180) + 30,000 = 426,000;
 * capex x [0.8, 1.2]: 294,000 -+ 6,000; lifetime [1, 1]: no effect.
 * CO2 2,400 t and 2.88 GJ/t (0.8 * 3.6) in every case. */
START_TEST(ranking_by_hand)
{
    tr_scenario *sc = fx_load_file(TR_TEST_DATA "/prov/rank.yaml");
    tr_analysis_opts o;
    tr_analysis_opts_init(&o);
    o.threads = 1;
    tr_analysis *a = NULL;
    tr_status st = tr_audit_ranking(sc, NULL, 0, &o, &a);
    ck_assert_msg(st == TR_OK, "%s", tr_last_error());
    const tr_table *t = tr_analysis_find(a, "ranking");
    ck_assert_ptr_nonnull(t);
    ck_assert_uint_eq(tr_table_row_count(t), 3);
    /* by |effect on NPV|, largest first */
    ck_assert_str_eq(tr_table_text(t, 0, 0), "carriers.electricity.price");
    ck_assert_str_eq(tr_table_text(t, 1, 0), "technologies.eff.capex");
    ck_assert_str_eq(tr_table_text(t, 2, 0), "technologies.eff.lifetime");
    ck_assert(tr_table_num(t, 0, 10) > tr_table_num(t, 1, 10) && tr_table_num(t, 1, 10) > 0);
    /* the price series: one row for its two numbers, both scaled */
    long r = ranking_row(t, "carriers.electricity.price");
    ck_assert_double_eq(tr_table_num(t, (size_t)r, 15), 2);
    ck_assert_double_eq(tr_table_num(t, (size_t)r, 1), 100);
    NEAR(tr_table_num(t, (size_t)r, 2), 60);
    NEAR(tr_table_num(t, (size_t)r, 3), 150);
    NEAR(tr_table_num(t, (size_t)r, 4), 188400);
    NEAR(tr_table_num(t, (size_t)r, 5), 426000);
    NEAR(tr_table_num(t, (size_t)r, 10), 237600);
    const char *where = tr_table_text(t, (size_t)r, 11);
    ck_assert_msg(strlen(where) > 17 && !strcmp(where + strlen(where) - 18, "/prov/rank.yaml:14"), "%s", where);
    ck_assert_str_eq(tr_table_text(t, (size_t)r, 17), "a 2020 tariff, the utility's site, 2026-12-03");
    /* ... equal to solves made here with the numbers multiplied by hand */
    double npv, co2;
    solve_with("carriers: {electricity: {price: {2020: 60, 2022: 72}}}", &npv, &co2);
    NEAR(tr_table_num(t, (size_t)r, 4), npv);
    NEAR(tr_table_num(t, (size_t)r, 6), co2);
    solve_with("carriers: {electricity: {price: {2020: 150, 2022: 180}}}", &npv, &co2);
    NEAR(tr_table_num(t, (size_t)r, 5), npv);
    NEAR(tr_table_num(t, (size_t)r, 7), co2);
    r = ranking_row(t, "technologies.eff.capex");
    solve_with("technologies: {eff: {capex: 80}}", &npv, &co2);
    NEAR(tr_table_num(t, (size_t)r, 4), npv);
    NEAR(npv, 288000);
    solve_with("technologies: {eff: {capex: 120}}", &npv, &co2);
    NEAR(tr_table_num(t, (size_t)r, 5), npv);
    NEAR(npv, 300000);
    NEAR(tr_table_num(t, (size_t)r, 8), 2.88);
    /* range [1, 1]: no effect, the base's outputs */
    r = ranking_row(t, "technologies.eff.lifetime");
    ck_assert_double_eq(tr_table_num(t, (size_t)r, 10), 0);
    NEAR(tr_table_num(t, (size_t)r, 4), 294000);
    NEAR(tr_table_num(t, (size_t)r, 5), 294000);
    const tr_table *out = tr_analysis_find(a, "outputs");
    NEAR(tr_table_num(out, 0, 3), 294000);
    NEAR(tr_table_num(out, 1, 3), 2400);
    NEAR(tr_table_num(out, 2, 3), 2.88);
    /* the report's section "What these results rest on", Markdown and HTML */
    tr_result *res = fx_solve(sc);
    const tr_scenario *scs[1] = {sc};
    const tr_result *rs[1] = {res};
    const char *dir = "/tmp/techroad-prov-rests";
    static char md[1 << 16];
    for (int html = 0; html <= 1; html++) {
        ck_assert_int_eq(tr_report_write_audit(scs, rs, 1, NULL, NULL, a, html, dir), TR_OK);
        char p[256];
        snprintf(p, sizeof p, "%s/report.%s", dir, html ? "html" : "md");
        FILE *f = fopen(p, "r");
        ck_assert_ptr_nonnull(f);
        size_t n = fread(md, 1, sizeof md - 1, f);
        md[n] = '\0';
        fclose(f);
        if (!html) {
            ck_assert_ptr_nonnull(strstr(md, "\n## What these results rest on\n\nThe 3 assumptions of `rank` "));
            ck_assert_msg(strstr(md, "| 1 | `carriers.electricity.price` | 100 | 60.0 | 150 | 188,400 | 426,000 | "
                                     "2,400 | 2,400 | 2.88 | 2.88 | "), "%s", md);
        } else {
            ck_assert_ptr_nonnull(strstr(md, "<li><a href=\"#rests-on\">What these results rest on</a></li>"));
            ck_assert_ptr_nonnull(strstr(md, "<section id=\"rests-on\">"));
            ck_assert_ptr_nonnull(strstr(md, "<td>a 2020 tariff, the utility&#39;s site, 2026-12-03</td>"));
        }
    }
    /* without a ranking: no section */
    ck_assert_int_eq(tr_report_write(scs, rs, 1, NULL, NULL, dir), TR_OK);
    FILE *f = fopen("/tmp/techroad-prov-rests/report.md", "r");
    size_t n = fread(md, 1, sizeof md - 1, f);
    md[n] = '\0';
    fclose(f);
    ck_assert_ptr_null(strstr(md, "What these results rest on"));
    tr_result_free(res);
    tr_analysis_free(a);
    /* --top 1, and an output the ranking does not know */
    ck_assert_int_eq(tr_audit_ranking(sc, "co2", 1, &o, &a), TR_OK);
    ck_assert_uint_eq(tr_table_row_count(tr_analysis_find(a, "ranking")), 1);
    tr_analysis_free(a);
    ck_assert_int_eq(tr_audit_ranking(sc, "cost", 0, &o, &a), TR_E_INVAL);
    ck_assert_ptr_null(a);
    ck_assert_str_eq(tr_last_error(), "audit: rank by \"cost\"; expected npv, co2 or intensity");
    tr_scenario_free(sc);
}
END_TEST

Suite *prov_suite(void)
{
    Suite *s = suite_create("prov");
    TCase *tc = tcase_create("syntax");
    tcase_add_test(tc, base_loads);
    tcase_add_loop_test(tc, bad_input, 0, (int)N_OF(bad));
    tcase_add_test(tc, legacy_free_text);
    tcase_add_test(tc, extends_same_references);
    tcase_add_test(tc, effective_yaml_round_trip);
    suite_add_tcase(s, tc);
    tc = tcase_create("evidence");
    tcase_add_test(tc, evidence_counts);
    tcase_add_test(tc, evidence_extends);
    tcase_add_test(tc, evidence_free_text);
    tcase_add_test(tc, cli_audit);
    tcase_add_test(tc, illustrative_shown);
    tcase_add_test(tc, ranking_by_hand);
    suite_add_tcase(s, tc);
    return s;
}
