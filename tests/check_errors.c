/* Bad input (MODEL.md §10): every rejected scenario gets one message that
 * names the file, the line:column, the field path and what was expected,
 * and the library never crashes, whatever it is given.
 *
 * Most cases are edits of BASE (a copy of tests/data/tiny.yaml kept here so
 * that the line and column numbers below stay true): replace, delete or
 * append lines, load the text with fx_load_error() (label "test.yaml", base
 * dir tests/data), and check the status and, in order, the parts of
 * tr_last_error(). Files for `extends` and CSV cases are in tests/data/bad/.
 *
 * Tests of library bugs this suite found (fixed since) sit in the TCase
 * "regressions", each marked FIXED BUG below. */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "fixtures.h"
#include "tr_internal.h"   /* tri_set_alloc_fail_after(): the OOM test hook */

#define N_OF(a) (sizeof(a) / sizeof *(a))
#define BAD TR_TEST_DATA "/bad/"

/* ------------------------------------------------------------ the base */

/* tests/data/tiny.yaml, one string per line: the cases name lines by number. */
static const char *const BASE[] = {
    /*  1 */ "format: techroad/1",
    /*  2 */ "name: tiny",
    /*  3 */ "horizon: {start: 2020, end: 2022}",
    /*  4 */ "discount_rate: 0.0",
    /*  5 */ "currency: USD",
    /*  6 */ "species:",
    /*  7 */ "  CO2: {unit: t}",
    /*  8 */ "carriers:",
    /*  9 */ "  electricity:",
    /* 10 */ "    unit: MWh",
    /* 11 */ "    energy_content: 3.6",
    /* 12 */ "    price: 100",
    /* 13 */ "    emission_factors: {CO2: 1.0}",
    /* 14 */ "plants:",
    /* 15 */ "  p1:",
    /* 16 */ "    capacity: 1000",
    /* 17 */ "    production: 1000",
    /* 18 */ "    intensity: {electricity: 1.0}",
    /* 19 */ "technologies:",
    /* 20 */ "  eff:",
    /* 21 */ "    effects: {electricity: -0.2}",
    /* 22 */ "    capex: 30",
    /* 23 */ "    lifetime: 10",
    /* 24 */ "    hurdle_rate: 0",
};

/* An edit replaces lines from..to of BASE by text (which may hold several
 * lines), deletes them (text == DEL), or appends text (from == END). */
typedef struct edit {
    int from, to;
    const char *text;
} edit;

static const char DEL[] = "<delete>";
#define END 1000
#define R(l, t) {(l), (l), (t)}
#define RR(a, b, t) {(a), (b), (t)}
#define D(l) {(l), (l), DEL}
#define A(t) {END, END, (t)}
/* a policy `pol` on line 26: its flow map's '{' is at column 8 */
#define POL(m) A("policies:\n  pol: " m)

typedef struct bad_case {
    const char *name;
    edit ed[5];              /* ends at the first {0} */
    tr_status st;
    const char *msg[5];      /* parts of the message, in this order */
} bad_case;

static void put(char *buf, size_t cap, size_t *n, const char *s)
{
    size_t l = strlen(s);
    ck_assert_msg(*n + l + 2 < cap, "test text too long");
    memcpy(buf + *n, s, l);
    *n += l;
    buf[(*n)++] = '\n';
    buf[*n] = '\0';
}

/* BASE with @ed applied (static buffer). */
static const char *build(const edit *ed)
{
    static char buf[1 << 16];
    size_t n = 0;
    buf[0] = '\0';
    for (int l = 1; l <= (int)N_OF(BASE); l++) {
        const edit *hit = NULL;
        for (const edit *e = ed; e->from; e++)
            if (e->from <= l && l <= e->to)
                hit = e;
        if (!hit)
            put(buf, sizeof buf, &n, BASE[l - 1]);
        else if (l == hit->from && hit->text != DEL)
            put(buf, sizeof buf, &n, hit->text);
    }
    for (const edit *e = ed; e->from; e++)
        if (e->from == END)
            put(buf, sizeof buf, &n, e->text);
    return buf;
}

/* @msg holds the expected parts of @got, each after the previous one. */
static void check_msg(const char *name, const char *got, const char *const *msg, size_t nmsg)
{
    ck_assert_msg(got && got[0], "%s: empty error message", name);
    const char *p = got;
    for (size_t i = 0; i < nmsg && msg[i]; i++) {
        const char *q = strstr(p, msg[i]);
        ck_assert_msg(q, "%s: message lacks [%s] (in order)\n  got: %s", name, msg[i], got);
        p = q + strlen(msg[i]);
    }
}

/* @loc's parts as the message prefix they stand for: "file:line:col: field: " */
static size_t location_prefix(const tr_error_location *loc, char *buf, size_t cap)
{
    int n = 0;
    buf[0] = '\0';
    if (loc->file)
        n += snprintf(buf + n, cap - (size_t)n, "%s", loc->file);
    if (loc->line > 0)
        n += snprintf(buf + n, cap - (size_t)n, ":%d", loc->line);
    if (loc->column > 0)
        n += snprintf(buf + n, cap - (size_t)n, ":%d", loc->column);
    if (loc->file)
        n += snprintf(buf + n, cap - (size_t)n, ": ");
    if (loc->field)
        n += snprintf(buf + n, cap - (size_t)n, "%s: ", loc->field);
    return (size_t)n;
}

/* tr_last_error_location() (read right after the failing call) agrees with
 * the message @got: the message starts with the location's parts, and a
 * message that starts with a file of the tests has that file in the
 * location. A location with a line but no file, or a column but no line,
 * would be a lie. */
static void check_location(const char *name, const char *got)
{
    tr_error_location loc = tr_last_error_location();
    char want[8192];
    size_t n = location_prefix(&loc, want, sizeof want);
    ck_assert_msg(strncmp(got, want, n) == 0, "%s: the location says [%s] but the message is: %s", name, want, got);
    ck_assert_msg(loc.line == 0 || loc.file, "%s: a line without a file: %s", name, got);
    ck_assert_msg(loc.column == 0 || loc.line > 0, "%s: a column without a line: %s", name, got);
    if (strncmp(got, "test.yaml:", 10) == 0 || strncmp(got, TR_TEST_DATA, strlen(TR_TEST_DATA)) == 0)
        ck_assert_msg(loc.file != NULL, "%s: the message names a file, the location none: %s", name, got);
}

static void expect_text(const char *name, const char *yaml, tr_status want, const char *const *msg, size_t nmsg)
{
    char got[4096];
    tr_status st = fx_load_error(yaml, got, sizeof got);
    ck_assert_msg(st == want, "%s: expected status %d (%s), got %d (%s): %s", name, (int)want, tr_strerror(want),
                  (int)st, tr_strerror(st), got);
    check_msg(name, got, msg, nmsg);
    check_location(name, got);
}

static void run_case(const bad_case *c)
{
    expect_text(c->name, build(c->ed), c->st, c->msg, N_OF(c->msg));
}

static void expect_ok(const char *name, const char *yaml)
{
    char got[4096];
    tr_status st = fx_load_error(yaml, got, sizeof got);
    ck_assert_msg(st == TR_OK, "%s: expected the scenario to load, got %d: %s", name, (int)st, got);
}

static void expect_file(const char *path, tr_status want, const char *const *msg, size_t nmsg)
{
    tr_scenario *out = (tr_scenario *)&out;   /* must be reset to NULL */
    tr_status st = tr_scenario_load(path, &out);
    ck_assert_msg(st == want, "%s: expected status %d, got %d: %s", path, (int)want, (int)st,
                  st ? tr_last_error() : "");
    ck_assert_ptr_null(out);
    check_msg(path, tr_last_error(), msg, nmsg);
    check_location(path, tr_last_error());
}

#define TABLE_TEST(table)                  \
    START_TEST(table##_test)               \
    {                                      \
        run_case(&table[_i]);              \
    }                                      \
    END_TEST

START_TEST(base_is_valid)
{
    static const edit none[1] = {{0, 0, NULL}};
    expect_ok("BASE", build(none));
    /* and it is still tiny.yaml, line for line */
    FILE *f = fopen(TR_TEST_DATA "/tiny.yaml", "r");
    ck_assert_ptr_nonnull(f);
    char line[256];
    size_t i = 0;
    while (fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = '\0';
        ck_assert_uint_lt(i, N_OF(BASE));
        ck_assert_str_eq(line, BASE[i]);
        i++;
    }
    fclose(f);
    ck_assert_uint_eq(i, N_OF(BASE));
}
END_TEST

/* ------------------------------------------------------------ format, top level */

static const bad_case format_cases[] = {
    {"format techroad/2", {R(1, "format: techroad/2")}, TR_E_INVAL,
     {"test.yaml:1:9: format: ", "unknown format version \"techroad/2\"; expected \"techroad/1\""}},
    {"format techroad/1.0", {R(1, "format: techroad/1.0")}, TR_E_INVAL,
     {"test.yaml:1:9: format: ", "unknown format version \"techroad/1.0\""}},
    {"format number", {R(1, "format: 1")}, TR_E_INVAL, {"test.yaml:1:9: format: ", "unknown format version \"1\""}},
    {"format list", {R(1, "format: [techroad/1]")}, TR_E_INVAL,
     {"test.yaml:1:9: format: ", "unknown format version a list"}},
    {"format missing", {D(1)}, TR_E_INVAL,
     {"test.yaml:1:1: format: ", "required field is missing; expected \"techroad/1\""}},
};
TABLE_TEST(format_cases)

/* ------------------------------------------------------------ unknown keys */

static const bad_case key_cases[] = {
    {"top-level typo", {R(4, "discount_rte: 0.0")}, TR_E_INVAL,
     {"test.yaml:4:1: discount_rte: ", "unknown key \"discount_rte\"; did you mean \"discount_rate\"?"}},
    {"top-level typo technolgies", {R(19, "technolgies:")}, TR_E_INVAL,
     {"test.yaml:19:1: technolgies: ", "unknown key \"technolgies\"; did you mean \"technologies\"?"}},
    {"top-level unknown", {A("colour: blue")}, TR_E_INVAL,
     {"test.yaml:25:1: colour: ", "unknown key \"colour\"; expected one of: format, name, "}},
    {"horizon typo", {R(3, "horizon: {start: 2020, ends: 2022}")}, TR_E_INVAL,
     {"test.yaml:3:24: horizon.ends: ", "unknown key \"ends\"; did you mean \"end\"?"}},
    {"species typo", {R(7, "  CO2: {unti: t}")}, TR_E_INVAL,
     {"test.yaml:7:9: species.CO2.unti: ", "unknown key \"unti\"; did you mean \"unit\"?"}},
    {"carrier typo", {R(12, "    prise: 100")}, TR_E_INVAL,
     {"test.yaml:12:5: carriers.electricity.prise: ", "unknown key \"prise\"; did you mean \"price\"?"}},
    {"plant typo", {R(16, "    capacty: 1000")}, TR_E_INVAL,
     {"test.yaml:16:5: plants.p1.capacty: ", "unknown key \"capacty\"; did you mean \"capacity\"?"}},
    {"technology typo", {R(23, "    lifetme: 10")}, TR_E_INVAL,
     {"test.yaml:23:5: technologies.eff.lifetme: ", "unknown key \"lifetme\"; did you mean \"lifetime\"?"}},
    {"technology typo aplicability", {A("    aplicability: 0.5")}, TR_E_INVAL,
     {"test.yaml:25:5: technologies.eff.aplicability: ",
      "unknown key \"aplicability\"; did you mean \"applicability\"?"}},
    {"effects relative typo", {R(21, "    effects: {electricity: {relativ: -0.2}}")}, TR_E_INVAL,
     {"test.yaml:21:29: technologies.eff.effects.electricity.relativ: ",
      "unknown key \"relativ\"; did you mean \"relative\"?"}},
    {"policy typo", {POL("{type: cap, indicator: emissions.CO2, limt: 5}")}, TR_E_INVAL,
     {"test.yaml:26:46: policies.pol.limt: ", "unknown key \"limt\"; did you mean \"limit\"?"}},
    {"policy key of another type", {POL("{type: ban, technologies: [eff], from: 2021, limit: 5}")}, TR_E_INVAL,
     {"test.yaml:26:53: policies.pol.limit: ", "unknown key \"limit\"; expected one of: type, technologies, from"}},
    {"product typo", {A("product: {name: steel, unti: t}")}, TR_E_INVAL,
     {"test.yaml:25:24: product.unti: ", "unknown key \"unti\"; did you mean \"unit\"?"}},
};
TABLE_TEST(key_cases)

/* ------------------------------------------------------------ missing fields */

static const bad_case missing_cases[] = {
    {"name", {D(2)}, TR_E_INVAL, {"test.yaml:1:1: name: ", "required field is missing; expected a text"}},
    {"discount_rate", {D(4)}, TR_E_INVAL,
     {"test.yaml:1:1: discount_rate: ", "required field is missing; expected a number in [0, 1]"}},
    {"carriers", {RR(8, 13, DEL)}, TR_E_INVAL,
     {"test.yaml:1:1: carriers: ", "required field is missing; expected a map of items"}},
    {"plants", {RR(14, 18, DEL)}, TR_E_INVAL,
     {"test.yaml:1:1: plants: ", "required field is missing; expected a map of items"}},
    {"plants empty", {RR(14, 18, "plants: {}")}, TR_E_INVAL,
     {"test.yaml:14:9: plants: ", "expected at least one plant, got none"}},
    {"carrier unit", {D(10)}, TR_E_INVAL,
     {"test.yaml:10:5: carriers.electricity.unit: ", "required field is missing; expected a text"}},
    {"carrier price", {D(12)}, TR_E_INVAL,
     {"test.yaml:10:5: carriers.electricity.price: ", "required field is missing; expected a price >= 0"}},
    {"carrier price null", {R(12, "    price: ~")}, TR_E_INVAL,
     {"test.yaml:10:5: carriers.electricity.price: ", "required field is missing; expected a price >= 0"}},
    {"species unit", {R(7, "  CO2: {}")}, TR_E_INVAL,
     {"test.yaml:7:8: species.CO2.unit: ", "required field is missing; expected a text"}},
    {"emission factor null", {R(13, "    emission_factors: {CO2: ~}")}, TR_E_INVAL,
     {"test.yaml:13:23: carriers.electricity.emission_factors.CO2: ",
      "required field is missing; expected an emission factor >= 0"}},
    {"plant capacity", {D(16)}, TR_E_INVAL,
     {"test.yaml:16:5: plants.p1.capacity: ", "required field is missing; expected a capacity >= 0"}},
    {"plant production", {D(17)}, TR_E_INVAL,
     {"test.yaml:16:5: plants.p1.production: ", "required field is missing; expected a production >= 0"}},
    {"technology lifetime", {D(23)}, TR_E_INVAL,
     {"test.yaml:21:5: technologies.eff.lifetime: ", "required field is missing; expected an integer >= 1 (years)"}},
    {"technology capex", {D(22)}, TR_E_INVAL,
     {"test.yaml:21:5: technologies.eff.capex: ", "required field is missing; expected a capex >= 0"}},
    {"effect relative", {R(21, "    effects: {electricity: {}}")}, TR_E_INVAL,
     {"test.yaml:21:28: technologies.eff.effects.electricity.relative: ", "required field is missing"}},
    {"policy type", {A("policies:\n  pol:\n    indicator: emissions.CO2\n    limit: 100")}, TR_E_INVAL,
     {"test.yaml:27:5: policies.pol.type: ",
      "required field is missing; expected price, cap, intensity_cap, floor, standard, mandate, subsidy, budget or ban"}},
    {"cap limit", {POL("{type: cap, indicator: emissions.CO2}")}, TR_E_INVAL,
     {"test.yaml:26:8: policies.pol.limit: ", "required field is missing; expected a number"}},
    {"cap indicator", {POL("{type: cap, limit: 100}")}, TR_E_INVAL,
     {"test.yaml:26:8: policies.pol.indicator: ", "required field is missing; expected an indicator"}},
    {"intensity_cap limit", {POL("{type: intensity_cap, indicator: energy.electricity}")}, TR_E_INVAL,
     {"test.yaml:26:8: policies.pol.limit: ", "required field is missing"}},
    {"floor indicator", {POL("{type: floor, limit: 1}")}, TR_E_INVAL,
     {"test.yaml:26:8: policies.pol.indicator: ", "required field is missing"}},
    {"standard indicator", {POL("{type: standard, limit: 1}")}, TR_E_INVAL,
     {"test.yaml:26:8: policies.pol.indicator: ", "required field is missing"}},
    {"price species", {POL("{type: price, value: 10}")}, TR_E_INVAL,
     {"test.yaml:26:8: policies.pol.species: ", "required field is missing; expected a species id"}},
    {"price value", {POL("{type: price, species: CO2}")}, TR_E_INVAL,
     {"test.yaml:26:8: policies.pol.value: ", "required field is missing; expected a number >= 0"}},
    {"mandate target", {POL("{type: mandate, share: 0.5}")}, TR_E_INVAL,
     {"test.yaml:26:8: policies.pol.technology: ", "required field is missing; expected technology (or group)"}},
    {"mandate share", {POL("{type: mandate, technology: eff}")}, TR_E_INVAL,
     {"test.yaml:26:8: policies.pol.share: ", "required field is missing; expected a share in [0, 1]"}},
    {"subsidy technologies", {POL("{type: subsidy, share: 0.3}")}, TR_E_INVAL,
     {"test.yaml:26:8: policies.pol.technologies: ", "required field is missing; expected a list of technology ids"}},
    {"subsidy share", {POL("{type: subsidy, technologies: [eff]}")}, TR_E_INVAL,
     {"test.yaml:26:8: policies.pol.share: ", "required field is missing"}},
    {"ban technologies", {POL("{type: ban, from: 2021}")}, TR_E_INVAL,
     {"test.yaml:26:8: policies.pol.technologies: ", "required field is missing"}},
    {"budget limit", {POL("{type: budget}")}, TR_E_INVAL,
     {"test.yaml:26:8: policies.pol.limit: ", "required field is missing; expected a number >= 0"}},
};
TABLE_TEST(missing_cases)

/* ------------------------------------------------------------ wrong types */

static const bad_case type_cases[] = {
    /* a map where a number is expected */
    {"lifetime map", {R(23, "    lifetime: {years: 10}")}, TR_E_INVAL,
     {"test.yaml:23:15: technologies.eff.lifetime: ", "expected an integer from 1 to 1000, got a map"}},
    {"discount_rate map", {R(4, "discount_rate: {rate: 0.05}")}, TR_E_INVAL,
     {"test.yaml:4:16: discount_rate: ", "expected a number, got a map"}},
    {"energy_content map", {R(11, "    energy_content: {GJ: 3.6}")}, TR_E_INVAL,
     {"test.yaml:11:21: carriers.electricity.energy_content: ", "expected a number, got a map"}},
    {"intensity value map", {R(18, "    intensity: {electricity: {value: 1.0}}")}, TR_E_INVAL,
     {"test.yaml:18:30: plants.p1.intensity.electricity: ", "expected a number, got a map"}},
    {"capacity map without years", {R(16, "    capacity: {max: 1000}")}, TR_E_INVAL,
     {"test.yaml:16:16: plants.p1.capacity: ", "expected a year from 1 to 9999 or `interp`, got \"max\""}},
    {"hurdle_rate list", {R(24, "    hurdle_rate: [0.1]")}, TR_E_INVAL,
     {"test.yaml:24:18: technologies.eff.hurdle_rate: ", "expected a number, got a list"}},
    {"series point list", {R(12, "    price: {2020: [100]}")}, TR_E_INVAL,
     {"test.yaml:12:19: carriers.electricity.price.2020: ", "expected a number, got a list"}},
    {"series list", {R(12, "    price: [100, 120]")}, TR_E_INVAL,
     {"test.yaml:12:12: carriers.electricity.price: ", "expected a number or a map {year: value}, got a list"}},
    /* a list (or a scalar) where a map is expected */
    {"plants list", {RR(14, 18, "plants: [p1]")}, TR_E_INVAL,
     {"test.yaml:14:9: plants: ", "expected a map of items by id, got a list"}},
    {"technologies list", {RR(19, 24, "technologies: [eff]")}, TR_E_INVAL,
     {"test.yaml:19:15: technologies: ", "expected a map of items by id, got a list"}},
    {"policies scalar", {A("policies: none")}, TR_E_INVAL,
     {"test.yaml:25:11: policies: ", "expected a map of items by id, got \"none\""}},
    {"carrier list", {RR(9, 13, "  electricity: [MWh, 100]")}, TR_E_INVAL,
     {"test.yaml:9:16: carriers.electricity: ", "expected a map of fields, got a list"}},
    {"species list", {R(7, "  CO2: [t]")}, TR_E_INVAL,
     {"test.yaml:7:8: species.CO2: ", "expected a map of fields, got a list"}},
    {"policy scalar", {A("policies:\n  pol: cap")}, TR_E_INVAL,
     {"test.yaml:26:8: policies.pol: ", "expected a map of fields, got \"cap\""}},
    {"intensity list", {R(18, "    intensity: [1.0]")}, TR_E_INVAL,
     {"test.yaml:18:16: plants.p1.intensity: ", "expected a map {id: number}, got a list"}},
    {"horizon list", {R(3, "horizon: [2020, 2022]")}, TR_E_INVAL,
     {"test.yaml:3:10: horizon: ", "expected a map {start: year, end: year}, got a list"}},
    {"effects list", {R(21, "    effects: [-0.2]")}, TR_E_INVAL,
     {"test.yaml:21:14: technologies.eff.effects: ", "expected a map {id: number or {relative: share}}, got a list"}},
    {"emission_factors list", {R(13, "    emission_factors: [1.0]")}, TR_E_INVAL,
     {"test.yaml:13:23: carriers.electricity.emission_factors: ", "expected a map {species: series}, got a list"}},
    {"existing list", {A("    existing: [p1]")}, TR_E_INVAL,
     {"test.yaml:25:15: technologies.eff.existing: ", "expected a map {id: number}, got a list"}},
    {"product list", {A("product: [steel, t]")}, TR_E_INVAL,
     {"test.yaml:25:10: product: ", "expected a map {name, unit}, got a list"}},
    /* text where a number is expected */
    {"price text", {R(12, "    price: cheap")}, TR_E_INVAL,
     {"test.yaml:12:12: carriers.electricity.price: ", "expected a number, got \"cheap\""}},
    {"capacity quoted", {R(16, "    capacity: \"1000\"")}, TR_E_INVAL,
     {"test.yaml:16:15: plants.p1.capacity: ", "expected a number, got \"1000\""}},
    {"capex text", {R(22, "    capex: thirty")}, TR_E_INVAL,
     {"test.yaml:22:12: technologies.eff.capex: ", "expected a number, got \"thirty\""}},
    {"capex bool", {R(22, "    capex: true")}, TR_E_INVAL,
     {"test.yaml:22:12: technologies.eff.capex: ", "expected a number, got \"true\""}},
    {"series point text", {R(12, "    price: {2020: 100, 2021: high}")}, TR_E_INVAL,
     {"test.yaml:12:30: carriers.electricity.price.2021: ", "expected a number, got \"high\""}},
    {"horizon start text", {R(3, "horizon: {start: soon, end: 2022}")}, TR_E_INVAL,
     {"test.yaml:3:18: horizon.start: ", "expected a year from 1000 to 9999, got \"soon\""}},
    /* other kinds */
    {"name list", {R(2, "name: [a, b]")}, TR_E_INVAL, {"test.yaml:2:7: name: ", "expected a text, got a list"}},
    {"unit map", {R(10, "    unit: {a: b}")}, TR_E_INVAL,
     {"test.yaml:10:11: carriers.electricity.unit: ", "expected a text, got a map"}},
    {"applies_to number", {A("    applies_to: 5")}, TR_E_INVAL,
     {"test.yaml:25:17: technologies.eff.applies_to: ", "expected all or a list of plant ids, got \"5\""}},
    {"applies_to item map", {A("    applies_to: [{p1: 1}]")}, TR_E_INVAL,
     {"test.yaml:25:18: technologies.eff.applies_to: ", "expected a plant id, got a map"}},
    {"objective", {A("objective: public")}, TR_E_INVAL,
     {"test.yaml:25:12: objective: ", "expected private or social, got \"public\""}},
    {"source map", {A("    source: {a: b}")}, TR_E_INVAL,
     {"test.yaml:25:13: technologies.eff.source: ", "expected a citation key, a list of keys or {assumption: why",
      "got a map without assumption"}},
    {"interp list", {R(12, "    price: {2020: 100, interp: [cspline]}")}, TR_E_INVAL,
     {"test.yaml:12:32: carriers.electricity.price.interp: ", "expected linear or cspline, got a list"}},
    {"policy years scalar", {POL("{type: cap, indicator: emissions.CO2, limit: 100, years: 2021}")}, TR_E_INVAL,
     {"test.yaml:26:65: policies.pol.years: ", "expected [from, to], got a scalar"}},
    {"policy indicator list", {POL("{type: cap, indicator: [emissions.CO2], limit: 100}")}, TR_E_INVAL,
     {"test.yaml:26:31: policies.pol.indicator: ", "expected an indicator name, got a list"}},
    {"subsidy technologies scalar", {POL("{type: subsidy, technologies: eff, share: 0.3}")}, TR_E_INVAL,
     {"test.yaml:26:38: policies.pol.technologies: ", "expected all or a list of technology ids"}},
    {"per_plant", {POL("{type: mandate, technology: eff, share: 0.5, per_plant: maybe}")}, TR_E_INVAL,
     {"test.yaml:26:64: policies.pol.per_plant: ", "expected true or false, got \"maybe\""}},
    {"budget on", {POL("{type: budget, limit: 100, on: taxes}")}, TR_E_INVAL,
     {"test.yaml:26:39: policies.pol.on: ", "expected investment or subsidy, got \"taxes\""}},
};
TABLE_TEST(type_cases)

/* ------------------------------------------------------------ ranges */

static const bad_case range_cases[] = {
    {"negative capacity", {R(16, "    capacity: -1000")}, TR_E_INVAL,
     {"test.yaml:16:15: plants.p1.capacity: ", "expected a capacity >= 0, got -1000"}},
    {"negative capacity point", {R(16, "    capacity: {2020: 1000, 2022: -5}")}, TR_E_INVAL,
     {"test.yaml:16:34: plants.p1.capacity.2022: ", "expected a capacity >= 0, got -5"}},
    {"negative production", {R(17, "    production: -1")}, TR_E_INVAL,
     {"test.yaml:17:17: plants.p1.production: ", "expected a production >= 0, got -1"}},
    {"negative price", {R(12, "    price: -100")}, TR_E_INVAL,
     {"test.yaml:12:12: carriers.electricity.price: ", "expected a price >= 0, got -100"}},
    {"negative price point", {R(12, "    price: {2020: 100, 2030: -1}")}, TR_E_INVAL,
     {"test.yaml:12:30: carriers.electricity.price.2030: ", "expected a price >= 0, got -1"}},
    {"negative emission factor", {R(13, "    emission_factors: {CO2: -1.0}")}, TR_E_INVAL,
     {"test.yaml:13:29: carriers.electricity.emission_factors.CO2: ", "expected an emission factor >= 0, got -1.0"}},
    {"negative intensity", {R(18, "    intensity: {electricity: -1.0}")}, TR_E_INVAL,
     {"test.yaml:18:30: plants.p1.intensity.electricity: ", "expected an intensity >= 0, got -1.0"}},
    {"negative process emissions",
     {R(18, "    intensity: {electricity: 1.0}\n    process_emissions: {CO2: -0.5}")}, TR_E_INVAL,
     {"test.yaml:19:30: plants.p1.process_emissions.CO2: ", "expected emissions per unit >= 0, got -0.5"}},
    {"negative damage cost", {R(7, "  CO2: {unit: t, damage_cost: -5}")}, TR_E_INVAL,
     {"test.yaml:7:31: species.CO2.damage_cost: ", "expected a number >= 0, got -5"}},
    {"negative energy content", {R(11, "    energy_content: -3.6")}, TR_E_INVAL,
     {"test.yaml:11:21: carriers.electricity.energy_content: ", "expected a number >= 0 (GJ per unit), got -3.6"}},
    {"negative capex", {R(22, "    capex: -30")}, TR_E_INVAL,
     {"test.yaml:22:12: technologies.eff.capex: ", "expected a capex >= 0 (money per t/yr), got -30"}},
    {"negative carbon price", {POL("{type: price, species: CO2, value: -5}")}, TR_E_INVAL,
     {"test.yaml:26:43: policies.pol.value: ", "expected a number >= 0, got -5"}},
    {"negative budget", {POL("{type: budget, limit: -1}")}, TR_E_INVAL,
     {"test.yaml:26:30: policies.pol.limit: ", "expected a number >= 0, got -1"}},
    /* utilisation */
    {"production > capacity", {R(17, "    production: 1200")}, TR_E_INVAL,
     {"test.yaml:17:17: plants.p1.production: ",
      "expected utilisation production/capacity in [0, 1], got 1200/1000 in 2020"}},
    {"production with zero capacity", {R(16, "    capacity: 0")}, TR_E_INVAL,
     {"test.yaml:17:17: plants.p1.production: ",
      "expected utilisation production/capacity in [0, 1], got 1000/0 in 2020"}},
    {"production > capacity interpolated", {R(17, "    production: {2020: 1000, 2022: 1100}")}, TR_E_INVAL,
     {"test.yaml:17:17: plants.p1.production: ", "got 1050/1000 in 2021"}},
    {"capacity falls below production", {R(16, "    capacity: {2020: 1000, 2022: 800}")}, TR_E_INVAL,
     {"test.yaml:17:17: plants.p1.production: ", "got 1000/900 in 2021"}},
    /* shares */
    {"applicability 1.5", {A("    applicability: 1.5")}, TR_E_INVAL,
     {"test.yaml:25:20: technologies.eff.applicability: ", "expected a share in [0, 1], got 1.5"}},
    {"applicability -0.1", {A("    applicability: -0.1")}, TR_E_INVAL,
     {"test.yaml:25:20: technologies.eff.applicability: ", "expected a share in [0, 1], got -0.1"}},
    {"max_uptake 2", {A("    max_uptake: 2")}, TR_E_INVAL,
     {"test.yaml:25:17: technologies.eff.max_uptake: ", "expected a share in [0, 1], got 2"}},
    {"existing 1.2", {A("    existing: {p1: 1.2}")}, TR_E_INVAL,
     {"test.yaml:25:20: technologies.eff.existing.p1: ", "expected a share in [0, 1], got 1.2"}},
    {"existing -0.1", {A("    existing: {p1: -0.1}")}, TR_E_INVAL,
     {"test.yaml:25:20: technologies.eff.existing.p1: ", "expected a share in [0, 1], got -0.1"}},
    {"existing > applicability", {A("    applicability: 0.5\n    existing: {p1: 0.6}")}, TR_E_INVAL,
     {"test.yaml:26:20: technologies.eff.existing.p1: ", "expected a share <= applicability 0.5, got 0.6"}},
    {"mandate share 1.5", {POL("{type: mandate, technology: eff, share: 1.5}")}, TR_E_INVAL,
     {"test.yaml:26:48: policies.pol.share: ", "expected a share in [0, 1], got 1.5"}},
    {"mandate share point 1.2", {POL("{type: mandate, technology: eff, share: {2020: 0.1, 2022: 1.2}}")},
     TR_E_INVAL, {"test.yaml:26:66: policies.pol.share.2022: ", "expected a share in [0, 1], got 1.2"}},
    {"subsidy share -0.1", {POL("{type: subsidy, technologies: [eff], share: -0.1}")}, TR_E_INVAL,
     {"test.yaml:26:52: policies.pol.share: ", "expected a share in [0, 1], got -0.1"}},
    {"subsidies above 100%",
     {A("policies:\n  s1: {type: subsidy, technologies: [eff], share: 0.6}\n"
        "  s2: {type: subsidy, technologies: [eff], share: 0.5}")},
     TR_E_INVAL,
     {"test.yaml:27:7: policies.s2: ", "subsidies on technology \"eff\" add up to more than 100% of capex in 2020"}},
    {"discount rate 1.5", {R(4, "discount_rate: 1.5")}, TR_E_INVAL,
     {"test.yaml:4:16: discount_rate: ", "expected a number in [0, 1], got 1.5"}},
    {"discount rate -0.01", {R(4, "discount_rate: -0.01")}, TR_E_INVAL,
     {"test.yaml:4:16: discount_rate: ", "expected a number in [0, 1], got -0.01"}},
    {"hurdle rate 2", {R(24, "    hurdle_rate: 2")}, TR_E_INVAL,
     {"test.yaml:24:18: technologies.eff.hurdle_rate: ", "expected a rate in [0, 1], got 2"}},
    /* lifetimes */
    {"lifetime 0", {R(23, "    lifetime: 0")}, TR_E_INVAL,
     {"test.yaml:23:15: technologies.eff.lifetime: ", "expected an integer from 1 to 1000, got \"0\""}},
    {"lifetime -3", {R(23, "    lifetime: -3")}, TR_E_INVAL,
     {"test.yaml:23:15: technologies.eff.lifetime: ", "expected an integer from 1 to 1000, got \"-3\""}},
    {"lifetime 2.5", {R(23, "    lifetime: 2.5")}, TR_E_INVAL,
     {"test.yaml:23:15: technologies.eff.lifetime: ", "expected an integer from 1 to 1000, got \"2.5\""}},
    {"lifetime twenty", {R(23, "    lifetime: twenty")}, TR_E_INVAL,
     {"test.yaml:23:15: technologies.eff.lifetime: ", "expected an integer from 1 to 1000, got \"twenty\""}},
};
TABLE_TEST(range_cases)

/* ------------------------------------------------------------ references */

static const bad_case ref_cases[] = {
    {"intensity carrier", {R(18, "    intensity: {electricity: 1.0, coal: 2}")}, TR_E_NOTFOUND,
     {"test.yaml:18:35: plants.p1.intensity.coal: ", "unknown carrier \"coal\""}},
    {"effects carrier", {R(21, "    effects: {gas: -0.2}")}, TR_E_NOTFOUND,
     {"test.yaml:21:15: technologies.eff.effects.gas: ", "unknown carrier \"gas\""}},
    {"technology process_emissions species", {A("    process_emissions: {SO2: -0.1}")}, TR_E_NOTFOUND,
     {"test.yaml:25:25: technologies.eff.process_emissions.SO2: ", "unknown species \"SO2\""}},
    {"plant process_emissions species",
     {R(18, "    intensity: {electricity: 1.0}\n    process_emissions: {NOx: 0.1}")}, TR_E_NOTFOUND,
     {"test.yaml:19:25: plants.p1.process_emissions.NOx: ", "unknown species \"NOx\""}},
    {"emission_factors species", {R(13, "    emission_factors: {CH4: 1.0}")}, TR_E_NOTFOUND,
     {"test.yaml:13:24: carriers.electricity.emission_factors.CH4: ", "unknown species \"CH4\""}},
    {"existing plant", {A("    existing: {p9: 0.1}")}, TR_E_NOTFOUND,
     {"test.yaml:25:16: technologies.eff.existing.p9: ", "unknown plant \"p9\""}},
    {"existing on a plant outside applies_to",
     {R(18, "    intensity: {electricity: 1.0}\n  p2: {capacity: 10, production: 5}"),
      A("    applies_to: [p1]\n    existing: {p2: 0.1}")},
     TR_E_INVAL,
     {"test.yaml:27:16: technologies.eff.existing.p2: ",
      "technology does not apply to plant \"p2\" (see applies_to)"}},
    {"applies_to plant", {A("    applies_to: [p1, p7]")}, TR_E_NOTFOUND,
     {"test.yaml:25:22: technologies.eff.applies_to: ", "unknown plant \"p7\""}},
    {"indicator carrier", {POL("{type: cap, indicator: energy.coal, limit: 5}")}, TR_E_NOTFOUND,
     {"test.yaml:26:31: policies.pol.indicator: ", "unknown carrier \"coal\""}},
    {"indicator species", {POL("{type: floor, indicator: emissions.SO2, limit: 5}")}, TR_E_NOTFOUND,
     {"test.yaml:26:33: policies.pol.indicator: ", "unknown species \"SO2\""}},
    {"unknown indicator", {POL("{type: cap, indicator: jobs, limit: 5}")}, TR_E_NOTFOUND,
     {"test.yaml:26:31: policies.pol.indicator: ",
      "unknown indicator \"jobs\"; expected production, investment, subsidy, energy.total, energy.<carrier>"}},
    {"price species", {POL("{type: price, species: SO2, value: 10}")}, TR_E_NOTFOUND,
     {"test.yaml:26:31: policies.pol.species: ", "unknown species \"SO2\""}},
    {"mandate technology", {POL("{type: mandate, technology: heat, share: 0.5}")}, TR_E_NOTFOUND,
     {"test.yaml:26:36: policies.pol.technology: ", "unknown technology \"heat\""}},
    {"mandate group", {POL("{type: mandate, group: grp, share: 0.5}")}, TR_E_NOTFOUND,
     {"test.yaml:26:31: policies.pol.group: ", "unknown group \"grp\""}},
    {"mandate group, groups exist", {R(21, "    group: heat\n    effects: {electricity: -0.2}"),
                                     POL("{type: mandate, group: hot, share: 0.5}")},
     TR_E_NOTFOUND, {"test.yaml:27:31: policies.pol.group: ", "unknown group \"hot\""}},
    {"subsidy technologies", {POL("{type: subsidy, technologies: [eff, heat], share: 0.3}")}, TR_E_NOTFOUND,
     {"test.yaml:26:44: policies.pol.technologies: ", "unknown technology \"heat\""}},
    {"ban technologies", {POL("{type: ban, technologies: [heat], from: 2021}")}, TR_E_NOTFOUND,
     {"test.yaml:26:35: policies.pol.technologies: ", "unknown technology \"heat\""}},
    {"standard plants", {POL("{type: standard, indicator: energy.electricity, limit: 1, plants: [p9]}")},
     TR_E_NOTFOUND, {"test.yaml:26:75: policies.pol.plants: ", "unknown plant \"p9\""}},
};
TABLE_TEST(ref_cases)

/* ------------------------------------------------------------ policies */

static const bad_case policy_cases[] = {
    {"unknown policy type", {POL("{type: quota, limit: 5}")}, TR_E_INVAL,
     {"test.yaml:26:15: policies.pol.type: ",
      "unknown policy type \"quota\"; expected price, cap, intensity_cap, floor, standard, mandate, subsidy, budget "
      "or ban"}},
    {"policy type list", {POL("{type: [cap], limit: 5}")}, TR_E_INVAL,
     {"test.yaml:26:15: policies.pol.type: ", "unknown policy type a list"}},
    {"mandate technology and group", {POL("{type: mandate, technology: eff, group: g, share: 0.5}")}, TR_E_INVAL,
     {"test.yaml:26:48: policies.pol.group: ", "expected exactly one of technology or group, got both"}},
    {"standard on subsidy", {POL("{type: standard, indicator: subsidy, limit: 1}")}, TR_E_INVAL,
     {"test.yaml:26:36: policies.pol.indicator: ", "a standard applies per plant; subsidy is sector-wide"}},
    {"policy id with a dot", {A("policies:\n  co2.cap: {type: cap, indicator: emissions.CO2, limit: 5}")},
     TR_E_INVAL,
     {"test.yaml:26:3: policies.co2.cap: ",
      "expected an identifier of 1 to 64 letters, digits, '_' or '-', got \"co2.cap\""}},
};
TABLE_TEST(policy_cases)

/* ------------------------------------------------------------ horizon and years */

static const bad_case year_cases[] = {
    {"end before start", {R(3, "horizon: {start: 2022, end: 2020}")}, TR_E_INVAL,
     {"test.yaml:3:10: horizon: ", "expected end >= start, got 2022..2020"}},
    {"end before the default start", {R(3, "horizon: {end: 2010}")}, TR_E_INVAL,
     {"test.yaml:3:10: horizon: ", "expected end >= start, got 2020..2010"}},
    {"1001 years", {R(3, "horizon: {start: 1000, end: 2000}")}, TR_E_INVAL,
     {"test.yaml:3:10: horizon: ", "expected at most 1000 years, got 1001"}},
    {"start 2020.5", {R(3, "horizon: {start: 2020.5, end: 2022}")}, TR_E_INVAL,
     {"test.yaml:3:18: horizon.start: ", "expected a year from 1000 to 9999, got \"2020.5\""}},
    {"start 999", {R(3, "horizon: {start: 999, end: 2022}")}, TR_E_INVAL,
     {"test.yaml:3:18: horizon.start: ", "expected a year from 1000 to 9999, got \"999\""}},
    {"available_from after the end", {A("    available_from: 2031")}, TR_E_INVAL,
     {"test.yaml:25:21: technologies.eff.available_from: ", "expected a year within the horizon 2020..2022, got 2031"}},
    {"available_from text", {A("    available_from: soon")}, TR_E_INVAL,
     {"test.yaml:25:21: technologies.eff.available_from: ", "expected a year from 1 to 9999, got \"soon\""}},
    {"policy years after the horizon", {POL("{type: cap, indicator: emissions.CO2, limit: 100, years: [2040, 2050]}")},
     TR_E_INVAL,
     {"test.yaml:26:65: policies.pol.years: ", "expected years overlapping the horizon 2020..2022, got [2040, 2050]"}},
    {"policy years before the horizon",
     {POL("{type: cap, indicator: emissions.CO2, limit: 100, years: [2000, 2019]}")}, TR_E_INVAL,
     {"test.yaml:26:65: policies.pol.years: ", "expected years overlapping the horizon 2020..2022, got [2000, 2019]"}},
    {"policy years reversed", {POL("{type: cap, indicator: emissions.CO2, limit: 100, years: [2022, 2020]}")},
     TR_E_INVAL, {"test.yaml:26:65: policies.pol.years: ", "expected from <= to, got [2022, 2020]"}},
    {"policy years one item", {POL("{type: cap, indicator: emissions.CO2, limit: 100, years: [2021]}")}, TR_E_INVAL,
     {"test.yaml:26:65: policies.pol.years: ", "expected [from, to], got a list"}},
    {"policy years text", {POL("{type: cap, indicator: emissions.CO2, limit: 100, years: [a, b]}")}, TR_E_INVAL,
     {"test.yaml:26:66: policies.pol.years: ", "expected a year from 1 to 9999, got \"a\""}},
    {"ban from after the end", {POL("{type: ban, technologies: [eff], from: 2030}")}, TR_E_INVAL,
     {"test.yaml:26:47: policies.pol.from: ", "expected a year within the horizon 2020..2022, got 2030"}},
    {"ban from text", {POL("{type: ban, technologies: [eff], from: soon}")}, TR_E_INVAL,
     {"test.yaml:26:47: policies.pol.from: ", "expected a year from 1 to 9999, got \"soon\""}},
    {"policy series starts after the end", {POL("{type: cap, indicator: emissions.CO2, limit: {2030: 100}}")},
     TR_E_INVAL,
     {"test.yaml:26:53: policies.pol.limit: ",
      "the policy starts in 2030, after the horizon's end 2022; expected a year within the horizon"}},
    {"price series starts after the end", {POL("{type: price, species: CO2, value: {2025: 10, 2030: 20}}")},
     TR_E_INVAL, {"test.yaml:26:43: policies.pol.value: ", "the policy starts in 2025"}},
    {"series year 0", {R(12, "    price: {0: 100}")}, TR_E_INVAL,
     {"test.yaml:12:13: carriers.electricity.price: ", "expected a year from 1 to 9999 or `interp`, got \"0\""}},
    {"series year 10000", {R(12, "    price: {10000: 100}")}, TR_E_INVAL,
     {"test.yaml:12:13: carriers.electricity.price: ", "got \"10000\""}},
};
TABLE_TEST(year_cases)

/* Years that do not matter are fine. */
START_TEST(years_that_do_not_matter)
{
    static const edit e1[] = {R(3, "horizon: {start: 1001, end: 2000}"), {0, 0, NULL}};
    expect_ok("1000 years", build(e1));
    static const edit e2[] = {A("    available_from: 1990"), {0, 0, NULL}};
    expect_ok("available_from before the start", build(e2));
    static const edit e3[] = {R(12, "    price: {1990: 50, 2050: 150}"), {0, 0, NULL}};
    expect_ok("series points outside the horizon", build(e3));
    static const edit e4[] = {POL("{type: cap, indicator: emissions.CO2, limit: 5000, years: [2010, 2021]}"),
                              {0, 0, NULL}};
    expect_ok("years overlapping the start", build(e4));
}
END_TEST

/* ------------------------------------------------------------ non-finite numbers */

static const bad_case nonfinite_cases[] = {
    {"capacity .inf", {R(16, "    capacity: .inf")}, TR_E_INVAL,
     {"test.yaml:16:15: plants.p1.capacity: ", "expected a finite number, got .inf"}},
    {"production -.inf", {R(17, "    production: -.inf")}, TR_E_INVAL,
     {"test.yaml:17:17: plants.p1.production: ", "expected a finite number, got -.inf"}},
    {"price .nan", {R(12, "    price: .nan")}, TR_E_INVAL,
     {"test.yaml:12:12: carriers.electricity.price: ", "expected a finite number, got .nan"}},
    {"price point .inf", {R(12, "    price: {2020: 100, 2022: .inf}")}, TR_E_INVAL,
     {"test.yaml:12:30: carriers.electricity.price.2022: ", "expected a finite number, got .inf"}},
    {"capex 1e999", {R(22, "    capex: 1e999")}, TR_E_INVAL,
     {"test.yaml:22:12: technologies.eff.capex: ", "expected a finite number, got 1e999 (out of range)"}},
    {"effect -.inf", {R(21, "    effects: {electricity: -.inf}")}, TR_E_INVAL,
     {"test.yaml:21:28: technologies.eff.effects.electricity: ", "expected a finite number, got -.inf"}},
    {"relative effect .nan", {R(21, "    effects: {electricity: {relative: .nan}}")}, TR_E_INVAL,
     {"test.yaml:21:39: technologies.eff.effects.electricity.relative: ", "expected a finite number, got .nan"}},
    {"discount rate .NaN", {R(4, "discount_rate: .NaN")}, TR_E_INVAL,
     {"test.yaml:4:16: discount_rate: ", "expected a finite number, got .NaN"}},
    {"emission factor 1e400", {R(13, "    emission_factors: {CO2: 1e400}")}, TR_E_INVAL,
     {"test.yaml:13:29: carriers.electricity.emission_factors.CO2: ", "expected a finite number, got 1e400"}},
    {"intensity -1e999", {R(18, "    intensity: {electricity: -1e999}")}, TR_E_INVAL,
     {"test.yaml:18:30: plants.p1.intensity.electricity: ", "expected a finite number, got -1e999"}},
    {"energy content .Inf", {R(11, "    energy_content: .Inf")}, TR_E_INVAL,
     {"test.yaml:11:21: carriers.electricity.energy_content: ", "expected a finite number, got .Inf"}},
    {"existing .nan", {A("    existing: {p1: .nan}")}, TR_E_INVAL,
     {"test.yaml:25:20: technologies.eff.existing.p1: ", "expected a finite number, got .nan"}},
    {"applicability .inf", {A("    applicability: .inf")}, TR_E_INVAL,
     {"test.yaml:25:20: technologies.eff.applicability: ", "expected a finite number, got .inf"}},
    {"lifetime .inf", {R(23, "    lifetime: .inf")}, TR_E_INVAL,
     {"test.yaml:23:15: technologies.eff.lifetime: ", "expected an integer from 1 to 1000, got \".inf\""}},
    {"damage cost .inf", {R(7, "  CO2: {unit: t, damage_cost: .inf}")}, TR_E_INVAL,
     {"test.yaml:7:31: species.CO2.damage_cost: ", "expected a finite number, got .inf"}},
    {"cap limit .inf", {POL("{type: cap, indicator: emissions.CO2, limit: .inf}")}, TR_E_INVAL,
     {"test.yaml:26:53: policies.pol.limit: ", "expected a finite number, got .inf"}},
    {"mandate share 1e999", {POL("{type: mandate, technology: eff, share: 1e999}")}, TR_E_INVAL,
     {"test.yaml:26:48: policies.pol.share: ", "expected a finite number, got 1e999"}},
    {"horizon end .inf", {R(3, "horizon: {start: 2020, end: .inf}")}, TR_E_INVAL,
     {"test.yaml:3:29: horizon.end: ", "expected a year from 1000 to 9999, got \".inf\""}},
};
TABLE_TEST(nonfinite_cases)

/* ------------------------------------------------------------ effects below zero */

#define EFF2(g, d) A("  eff2:\n" g "    effects: {electricity: " d "}\n    capex: 10\n    lifetime: 5")

static const bad_case floor_cases[] = {
    {"one technology saves more than the baseline", {R(21, "    effects: {electricity: -1.2}")}, TR_E_INVAL,
     {"test.yaml:20:3: technologies: ",
      "effects on carrier electricity drive plant \"p1\" below zero with every technology at full applicability"}},
    {"relative saving of 150%", {R(21, "    effects: {electricity: {relative: -1.5}}")}, TR_E_INVAL,
     {"test.yaml:20:3: technologies: ", "effects on carrier electricity drive plant \"p1\" below zero"}},
    {"two ungrouped technologies add up below zero", {R(21, "    effects: {electricity: -0.6}"), EFF2("", "-0.6")},
     TR_E_INVAL, {"test.yaml:20:3: technologies: ", "effects on carrier electricity drive plant \"p1\" below zero"}},
    {"the best member of a group alone is below zero",
     {R(21, "    group: g\n    effects: {electricity: -1.2}"), EFF2("    group: g\n", "-0.1")}, TR_E_INVAL,
     {"test.yaml:20:3: technologies: ", "effects on carrier electricity drive plant \"p1\" below zero"}},
    {"a carrier the plant does not use",
     {R(13, "    emission_factors: {CO2: 1.0}\n  gas: {unit: GJ, price: 5}"),
      R(21, "    effects: {electricity: -0.2, gas: -0.1}")},
     TR_E_INVAL, {"test.yaml:21:3: technologies: ", "effects on carrier gas drive plant \"p1\" below zero"}},
    {"process emissions",
     {R(18, "    intensity: {electricity: 1.0}\n    process_emissions: {CO2: 0.1}"),
      A("    process_emissions: {CO2: -0.2}")},
     TR_E_INVAL, {"test.yaml:21:3: technologies: ", "effects on process emissions of CO2 drive plant \"p1\" below zero"}},
};
TABLE_TEST(floor_cases)

/* The same savings are fine when applicability or an exclusive group keeps
 * the worst case at or above zero. */
START_TEST(floors_accepted)
{
    static const edit grouped[] = {R(21, "    group: g\n    effects: {electricity: -0.6}"),
                                   EFF2("    group: g\n", "-0.6"), {0, 0, NULL}};
    expect_ok("exclusive group: only the best member counts", build(grouped));
    static const edit halves[] = {R(21, "    group: g\n    effects: {electricity: -1.0}\n    applicability: 0.5"),
                                  A("  eff2:\n    group: g\n    applicability: 0.5\n"
                                    "    effects: {electricity: -1.0}\n    capex: 10\n    lifetime: 5"),
                                  {0, 0, NULL}};
    expect_ok("group of two halves exactly at zero", build(halves));
    static const edit partial[] = {R(21, "    effects: {electricity: -1.2}"), A("    applicability: 0.5"),
                                   {0, 0, NULL}};
    expect_ok("applicability 0.5 halves the saving", build(partial));
    static const edit exact[] = {R(21, "    effects: {electricity: {relative: -1}}"), {0, 0, NULL}};
    expect_ok("relative -1 is exactly zero", build(exact));
}
END_TEST

/* ------------------------------------------------------------ series */

static const bad_case series_cases[] = {
    {"cspline with 2 points", {R(12, "    price: {2020: 100, 2022: 120, interp: cspline}")}, TR_E_INVAL,
     {"test.yaml:12:12: carriers.electricity.price: ", "interp: cspline needs at least 3 points, got 2"}},
    {"interp quadratic", {R(12, "    price: {2020: 100, 2022: 120, interp: quadratic}")}, TR_E_INVAL,
     {"test.yaml:12:43: carriers.electricity.price.interp: ", "expected linear or cspline, got \"quadratic\""}},
    {"year given twice", {R(12, "    price: {2020: 100, 02020: 120}")}, TR_E_INVAL,
     {"test.yaml:12:12: carriers.electricity.price: ", "year 2020 is given twice"}},
    {"empty series", {R(12, "    price: {}")}, TR_E_INVAL,
     {"test.yaml:12:12: carriers.electricity.price: ", "expected at least one {year: value} point, got none"}},
    {"series with only interp", {R(12, "    price: {interp: linear}")}, TR_E_INVAL,
     {"test.yaml:12:12: carriers.electricity.price: ", "expected at least one {year: value} point, got none"}},
    /* issue 17 item 16: the overflow is the input's (TR_E_INVAL, exit 2), not a
     * failure of GSL (TR_E_NUMERIC, exit 3) */
    {"cspline overflows", {R(17, "    production: {2019: 0, 2021: 1.7e308, 2023: 0, interp: cspline}")}, TR_E_INVAL,
     {"test.yaml:17:17: plants.p1.production: ",
      "the interpolated value at 2020 is not finite; expected values far from the largest double"}},
    {"cspline overshoots below zero", {R(12, "    price: {2018: 10, 2019: 0, 2023: 0, 2024: 10, interp: cspline}")},
     TR_E_INVAL,
     {"test.yaml:12:12: carriers.electricity.price: ",
      "expected a price >= 0 in every year, but the interpolated value in 2020 is -"}},
};
TABLE_TEST(series_cases)

/* ------------------------------------------------------------ identifiers */

static const bad_case id_cases[] = {
    {"plant id with a space", {R(15, "  \"plant one\":")}, TR_E_INVAL,
     {"test.yaml:15:3: plants.plant one: ",
      "expected an identifier of 1 to 64 letters, digits, '_' or '-', got \"plant one\""}},
    {"empty plant id", {R(15, "  \"\":")}, TR_E_INVAL,
     {"test.yaml:15:3: plants.: ", "expected an identifier of 1 to 64 letters, digits, '_' or '-', got \"\""}},
    {"technology id with a space", {R(20, "  eff one:")}, TR_E_INVAL,
     {"test.yaml:20:3: technologies.eff one: ", "expected an identifier of 1 to 64"}},
    {"carrier id with a space", {R(9, "  \"electricity grid\":")}, TR_E_INVAL,
     {"test.yaml:9:3: carriers.electricity grid: ", "expected an identifier of 1 to 64"}},
    {"species id with a space", {R(7, "  CO 2: {unit: t}")}, TR_E_INVAL,
     {"test.yaml:7:3: species.CO 2: ", "expected an identifier of 1 to 64"}},
    {"group id with a space", {A("    group: heat recovery")}, TR_E_INVAL,
     {"test.yaml:25:12: technologies.eff.group: ", "expected an identifier of 1 to 64 letters, digits, '_' or '-', "
                                                   "got \"heat recovery\""}},
    {"plant id with a slash", {R(15, "  p/1:")}, TR_E_INVAL,
     {"test.yaml:15:3: plants.p/1: ", "expected an identifier of 1 to 64"}},
};
TABLE_TEST(id_cases)

/* Ids of 65 and more characters are rejected; 64 are fine. */
START_TEST(long_ids)
{
    char id[201], line[300], want[300];
    memset(id, 'p', sizeof id - 1);
    id[sizeof id - 1] = '\0';
    const size_t lens[] = {65, 100, 200};
    for (size_t i = 0; i < N_OF(lens); i++) {
        id[lens[i]] = '\0';
        snprintf(line, sizeof line, "  %s:", id);
        edit e[] = {R(15, line), {0, 0, NULL}};
        /* the path shows the first 64 characters, the value the first 60 */
        snprintf(want, sizeof want, "test.yaml:15:3: plants.%.64s", id);
        const char *msg[] = {want, "expected an identifier of 1 to 64 letters, digits, '_' or '-', got \"ppppp",
                             "...\""};
        expect_text("long plant id", build(e), TR_E_INVAL, msg, N_OF(msg));
        id[lens[i]] = 'p';
    }
    id[64] = '\0';
    snprintf(line, sizeof line, "  %s:", id);
    edit ok[] = {R(15, line), {0, 0, NULL}};
    expect_ok("64-character plant id", build(ok));
    /* a long technology id, and a long reference to an unknown one */
    id[100] = '\0';
    memset(id, 't', 100);
    snprintf(line, sizeof line, "  %s:", id);
    edit tk[] = {R(20, line), {0, 0, NULL}};
    snprintf(want, sizeof want, "test.yaml:20:3: technologies.%.64s", id);
    const char *msg[] = {want, "expected an identifier of 1 to 64"};
    expect_text("long technology id", build(tk), TR_E_INVAL, msg, N_OF(msg));
    char pol[400];
    snprintf(pol, sizeof pol, "policies:\n  pol: {type: ban, technologies: [%s]}", id);
    edit ref[] = {A(pol), {0, 0, NULL}};
    snprintf(want, sizeof want, "unknown technology \"%.64s\"", id);
    const char *rmsg[] = {"test.yaml:26:35: policies.pol.technologies: ", want};
    expect_text("long unknown reference", build(ref), TR_E_NOTFOUND, rmsg, N_OF(rmsg));
}
END_TEST

/* ------------------------------------------------------------ YAML syntax */

static const bad_case yaml_cases[] = {
    {"duplicate top-level key", {R(5, "name: again")}, TR_E_PARSE, {"test.yaml:5:1: ", "duplicate key \"name\""}},
    {"duplicate nested key", {R(17, "    capacity: 900")}, TR_E_PARSE,
     {"test.yaml:17:5: ", "duplicate key \"capacity\""}},
    {"duplicate flow key", {R(7, "  CO2: {unit: t, unit: kg}")}, TR_E_PARSE,
     {"test.yaml:7:18: ", "duplicate key \"unit\""}},
    {"unclosed flow map", {R(3, "horizon: {start: 2020, end: 2022")}, TR_E_PARSE,
     {"test.yaml:4:14: not valid YAML: ", "did not find expected ',' or '}'"}},
    {"bad indentation", {R(2, "name: tiny\n  bad: indent")}, TR_E_PARSE,
     {"test.yaml:3:6: not valid YAML: ", "mapping values are not allowed in this context"}},
    {"tab indentation", {R(10, "\tunit: MWh")}, TR_E_PARSE,
     {"test.yaml:10:1: not valid YAML: ", "found character that cannot start any token"}},
    {"unclosed quote", {R(2, "name: \"tiny")}, TR_E_PARSE,
     {"test.yaml:25:1: not valid YAML: ", "found unexpected end of stream while scanning a quoted scalar"}},
    {"NUL in a scalar", {R(2, "name: \"ti\\0ny\"")}, TR_E_PARSE, {"test.yaml:2:7: ", "NUL character in a scalar"}},
    {"undefined alias", {R(5, "currency: *usd")}, TR_E_PARSE,
     {"test.yaml:5:11: ", "alias *usd refers to no complete anchor"}},
    {"recursive alias", {A("notes: &n [*n]")}, TR_E_PARSE, {"test.yaml:25:12: ", "alias *n refers to no complete anchor"}},
    {"merge of a scalar", {A("<<: 5")}, TR_E_PARSE,
     {"test.yaml:25:5: <<: ", "expected a map (or list of maps) to merge, got a scalar"}},
    {"list as a key", {A("? [a, b]\n: 1")}, TR_E_PARSE, {"test.yaml:25:", "map keys must be plain scalars"}},
    {"two documents", {A("---\nname: other")}, TR_E_PARSE,
     {"test.yaml:25:1: ", "more than one YAML document in the file; expected one"}},
    {"invalid UTF-8", {R(2, "name: ti\xff\xfeny")}, TR_E_PARSE,
     {"test.yaml:2:9: ", "not UTF-8 text: byte 0xFF at byte offset 27 is not valid UTF-8"}},
    {"control character", {R(2, "name: ti\x01ny")}, TR_E_PARSE, {"test.yaml:", "control characters are not allowed"}},
    /* issue 17 item 22: tags the format does not define were ignored */
    {"tag !custom", {R(4, "discount_rate: !custom 0.0")}, TR_E_PARSE,
     {"test.yaml:4:16: ", "YAML tag !custom is not part of the scenario format; expected no tag"}},
    {"tag !!binary", {R(2, "name: !!binary dGlueQ==")}, TR_E_PARSE,
     {"test.yaml:2:7: ", "YAML tag !!binary is not part of the scenario format"}},
    {"tag !!python/object", {R(7, "  CO2: !!python/object:os.system {unit: t}")}, TR_E_PARSE,
     {"test.yaml:7:8: ", "YAML tag !!python/object:os.system is not part of the scenario format"}},
    {"tag on a block map", {R(6, "species: !local")}, TR_E_PARSE,
     {"test.yaml:6:10: ", "YAML tag !local is not part of the scenario format"}},
    {"tag !!int on a real", {R(4, "discount_rate: !!int 0.5")}, TR_E_PARSE,
     {"test.yaml:4:16: ", "YAML tag !!int does not fit this value"}},
    {"tag !!seq on a map", {R(3, "horizon: !!seq {start: 2020, end: 2022}")}, TR_E_PARSE,
     {"test.yaml:3:10: ", "YAML tag !!seq does not fit this value"}},
    {"tag !!timestamp", {R(12, "    price: !!timestamp 2001-12-14")}, TR_E_PARSE,
     {"test.yaml:12:12: ", "YAML tag !!timestamp is not part of the scenario format"}},
};
TABLE_TEST(yaml_cases)

/* Whole texts that are not a scenario map. */
START_TEST(not_a_map)
{
    const char *empty[] = {"test.yaml: ", "the file is empty; expected a YAML map"};
    expect_text("empty text", "", TR_E_PARSE, empty, N_OF(empty));
    expect_text("blank text", "\n\n   \n", TR_E_PARSE, empty, N_OF(empty));
    expect_text("only a comment", "# nothing here\n", TR_E_PARSE, empty, N_OF(empty));
    const char *scalar[] = {"test.yaml:1:1: ", "expected a map of scenario fields at the top, got a scalar"};
    expect_text("a scalar", "just some text\n", TR_E_INVAL, scalar, N_OF(scalar));
    expect_text("null", "~\n", TR_E_INVAL, scalar, N_OF(scalar));
    const char *null_doc[] = {"test.yaml:2:1: ", "expected a map of scenario fields at the top, got a scalar"};
    expect_text("an empty document", "---\n...\n", TR_E_INVAL, null_doc, N_OF(null_doc));
    const char *list[] = {"test.yaml:2:1: ", "expected a map of scenario fields at the top, got a list"};
    expect_text("a list", "# a list\n- format: techroad/1\n- name: x\n", TR_E_INVAL, list, N_OF(list));
}
END_TEST

/* ------------------------------------------------------------ resource limits */

/* 200 levels of flow lists: the 65th open collection (root map + 63 lists + 1) fails. */
START_TEST(deep_flow_nesting)
{
    char line[512] = "notes: ";
    size_t n = strlen(line);
    for (int i = 0; i < 200; i++)
        line[n++] = '[';
    for (int i = 0; i < 200; i++)
        line[n++] = ']';
    line[n] = '\0';
    edit e[] = {A(line), {0, 0, NULL}};
    const char *msg[] = {"test.yaml:25:71: ", "nesting deeper than 64 levels"};
    expect_text("200 flow levels", build(e), TR_E_PARSE, msg, N_OF(msg));
}
END_TEST

/* 200 levels of block maps: the map holding k63 is the 65th open collection. */
START_TEST(deep_block_nesting)
{
    static char text[64 * 1024];
    size_t n = 0;
    text[0] = '\0';
    for (size_t i = 0; i < N_OF(BASE); i++)
        put(text, sizeof text, &n, BASE[i]);
    put(text, sizeof text, &n, "notes:");
    for (int d = 0; d < 200; d++) {
        char line[512];
        snprintf(line, sizeof line, "%*sk%d:", 2 * (d + 1), "", d);
        put(text, sizeof text, &n, line);
    }
    const char *msg[] = {"test.yaml:89:129: ", "nesting deeper than 64 levels"};
    expect_text("200 block levels", text, TR_E_PARSE, msg, N_OF(msg));
}
END_TEST

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* "Billion laughs": 10 levels of 10 aliases each would be 10^10 nodes. The
 * load runs in a child process so that its peak memory can be measured. */
START_TEST(billion_laughs)
{
    char text[4096];
    size_t n = (size_t)snprintf(text, sizeof text, "lol0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (int i = 1; i < 10; i++) {
        n += (size_t)snprintf(text + n, sizeof text - n, "lol%d: &a%d [", i, i);
        for (int j = 0; j < 10; j++)
            n += (size_t)snprintf(text + n, sizeof text - n, "%s*a%d", j ? ", " : "", i - 1);
        n += (size_t)snprintf(text + n, sizeof text - n, "]\n");
    }
    double t0 = now_s();
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        char got[4096];
        tr_status st = fx_load_error(text, got, sizeof got);
        int ok = st == TR_E_PARSE && strncmp(got, "test.yaml:", 10) == 0 &&
                 strstr(got, "aliases expand to more than");
        if (!ok)
            fprintf(stderr, "billion laughs: status %d: %s\n", (int)st, got);
        _exit(ok ? 0 : 1);
    }
    int status = 0;
    ck_assert_int_eq(waitpid(pid, &status, 0), pid);
    double dt = now_s() - t0;
    struct rusage ru;
    ck_assert_int_eq(getrusage(RUSAGE_CHILDREN, &ru), 0);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the alias bomb was not rejected as expected");
    /* about 0.5 s and 150 MB natively; generous bounds leave room for valgrind */
    ck_assert_msg(dt < 60, "the alias bomb took %.1f s", dt);
    ck_assert_msg(ru.ru_maxrss < 256L * 1024L, "the alias bomb used %ld MB", ru.ru_maxrss / 1024);
}
END_TEST

/* ------------------------------------------------------------ extends */

static const bad_case extends_cases[] = {
    {"missing extends file", {R(2, "name: tiny\nextends: bad/no_such_base.yaml")}, TR_E_IO,
     {"test.yaml:3:10: extends: ", "cannot read " BAD "no_such_base.yaml: No such file or directory"}},
    {"extends a directory", {R(2, "name: tiny\nextends: bad")}, TR_E_IO,
     {"test.yaml:3:10: extends: ", TR_TEST_DATA "/bad: is a directory, expected a file"}},
    {"extends a list", {R(2, "name: tiny\nextends: [a.yaml, b.yaml]")}, TR_E_INVAL,
     {"test.yaml:3:10: extends: ", "expected a relative file name, got a list"}},
    {"extends a map", {R(2, "name: tiny\nextends: {file: a.yaml}")}, TR_E_INVAL,
     {"test.yaml:3:10: extends: ", "expected a relative file name, got a map"}},
    {"extends empty", {R(2, "name: tiny\nextends: \"\"")}, TR_E_INVAL,
     {"test.yaml:3:10: extends: ", "expected a relative file name"}},
    {"extends into a cycle", {R(2, "name: tiny\nextends: bad/cycle_a.yaml")}, TR_E_INVAL,
     {BAD "cycle_b.yaml:1:10: extends: ", "cycle: " BAD "cycle_a.yaml extends itself through the chain of `extends`"}},
    {"extends a broken file", {R(2, "name: tiny\nextends: bad/broken_base.yaml")}, TR_E_PARSE,
     {BAD "broken_base.yaml:4:14: not valid YAML: "}},
};
TABLE_TEST(extends_cases)

START_TEST(extends_files)
{
    const char *cycle[] = {BAD "cycle_b.yaml:1:10: extends: ",
                           "cycle: " BAD "cycle_a.yaml extends itself through the chain of `extends`"};
    expect_file(BAD "cycle_a.yaml", TR_E_INVAL, cycle, N_OF(cycle));
    const char *self[] = {BAD "self_extends.yaml:2:10: extends: ",
                          "cycle: " BAD "self_extends.yaml extends itself through the chain of `extends`"};
    expect_file(BAD "self_extends.yaml", TR_E_INVAL, self, N_OF(self));
    /* an error found after merging points into the file that holds the value */
    const char *neg[] = {BAD "negative_price_base.yaml:10:12: carriers.electricity.price: ",
                         "expected a price >= 0, got -5"};
    const char *child = "extends: bad/negative_price_base.yaml\nname: child\n";
    expect_text("error inside the extended file", child, TR_E_INVAL, neg, N_OF(neg));
    expect_file(BAD "negative_price_base.yaml", TR_E_INVAL, neg, N_OF(neg));
}
END_TEST

/* ------------------------------------------------------------ CSV tables */

#define PLANTS_CSV(f) RR(14, 18, "plants: {csv: bad/" f "}")

static const bad_case csv_cases[] = {
    {"first column not id", {PLANTS_CSV("plants_no_id.csv")}, TR_E_PARSE,
     {BAD "plants_no_id.csv:1:1: ", "expected the first column to be \"id\""}},
    {"bad cell", {PLANTS_CSV("plants_bad_cell.csv")}, TR_E_INVAL,
     {BAD "plants_bad_cell.csv:3:2: plants.p2.capacity: ", "expected a number, got \"lots\""}},
    {"bad series cell", {RR(19, 24, "technologies: {csv: bad/techs_bad_cell.csv}")}, TR_E_INVAL,
     {BAD "techs_bad_cell.csv:2:4: technologies.eff.capex.2022: ", "expected a number, got \"x30\""}},
    {"ragged rows", {PLANTS_CSV("plants_ragged.csv")}, TR_E_PARSE,
     {BAD "plants_ragged.csv:3:1: ", "expected 4 cells as in the header, got 3"}},
    {"duplicate ids", {PLANTS_CSV("plants_dup_id.csv")}, TR_E_PARSE,
     {BAD "plants_dup_id.csv:3:1: ", "\"p1\" appears twice"}},
    {"duplicate column", {PLANTS_CSV("plants_dup_column.csv")}, TR_E_PARSE,
     {BAD "plants_dup_column.csv:1:4: ", "column \"capacity\" appears twice"}},
    {"empty file", {PLANTS_CSV("plants_empty.csv")}, TR_E_PARSE,
     {BAD "plants_empty.csv: ", "the file is empty; expected a header row starting with \"id\""}},
    {"unterminated quote", {PLANTS_CSV("plants_bad_quote.csv")}, TR_E_PARSE,
     {BAD "plants_bad_quote.csv:3: ", "not valid CSV"}},
    {"unknown carrier column", {PLANTS_CSV("plants_unknown_carrier.csv")}, TR_E_NOTFOUND,
     {BAD "plants_unknown_carrier.csv:2:4: plants.p1.intensity.coal: ", "unknown carrier \"coal\""}},
    {"id with a space", {PLANTS_CSV("plants_id_space.csv")}, TR_E_INVAL,
     {BAD "plants_id_space.csv:2:1: plants.plant one: ", "expected an identifier of 1 to 64"}},
    {"csv not a file name", {RR(14, 18, "plants: {csv: [a.csv]}")}, TR_E_INVAL,
     {"test.yaml:14:15: plants", "expected a file name, got a list"}},
};
TABLE_TEST(csv_cases)

/* ------------------------------------------------------------ files on disk */

START_TEST(file_errors)
{
    const char *missing[] = {BAD "no_such_file.yaml: ", "cannot read: No such file or directory"};
    expect_file(BAD "no_such_file.yaml", TR_E_IO, missing, N_OF(missing));
    const char *dir[] = {TR_TEST_DATA "/bad: ", "is a directory, expected a file"};
    expect_file(TR_TEST_DATA "/bad", TR_E_IO, dir, N_OF(dir));
    const char *broken[] = {BAD "broken_base.yaml:4:14: not valid YAML: ", "did not find expected ',' or '}'"};
    expect_file(BAD "broken_base.yaml", TR_E_PARSE, broken, N_OF(broken));
}
END_TEST

/* ------------------------------------------------------------ locations */

static void expect_location(const char *name, const char *file, int line, int column, const char *field)
{
    tr_error_location loc = tr_last_error_location();
    ck_assert_msg(file ? loc.file && strcmp(loc.file, file) == 0 : loc.file == NULL, "%s: file %s, expected %s (%s)",
                  name, loc.file ? loc.file : "NULL", file ? file : "NULL", tr_last_error());
    ck_assert_msg(loc.line == line && loc.column == column, "%s: at %d:%d, expected %d:%d (%s)", name, loc.line,
                  loc.column, line, column, tr_last_error());
    ck_assert_msg(field ? loc.field && strcmp(loc.field, field) == 0 : loc.field == NULL,
                  "%s: field %s, expected %s (%s)", name, loc.field ? loc.field : "NULL", field ? field : "NULL",
                  tr_last_error());
}

static void load_fails(const char *name, const char *yaml, tr_status want)
{
    char got[4096];
    tr_status st = fx_load_error(yaml, got, sizeof got);
    ck_assert_msg(st == want, "%s: expected status %d, got %d: %s", name, (int)want, (int)st, got);
}

/* tr_last_error_location() for each kind of place an error can be. */
START_TEST(error_locations)
{
    static const edit value[] = {R(16, "    capacity: lots"), {0, 0, NULL}};
    load_fails("YAML value", build(value), TR_E_INVAL);
    expect_location("a bad YAML value", "test.yaml", 16, 15, "plants.p1.capacity");

    static const edit cell[] = {PLANTS_CSV("plants_bad_cell.csv"), {0, 0, NULL}};
    load_fails("CSV cell", build(cell), TR_E_INVAL);
    expect_location("a bad CSV cell", BAD "plants_bad_cell.csv", 3, 2, "plants.p2.capacity");

    /* after merging, the value's own file, line and column */
    load_fails("merged value", "extends: bad/negative_price_base.yaml\nname: child\n", TR_E_INVAL);
    expect_location("a merged value", BAD "negative_price_base.yaml", 10, 12, "carriers.electricity.price");

    tr_scenario *out = NULL;
    ck_assert_int_eq(tr_scenario_load(BAD "cycle_a.yaml", &out), TR_E_INVAL);
    expect_location("a cycle of extends", BAD "cycle_b.yaml", 1, 10, "extends");

    ck_assert_int_eq(tr_scenario_load(BAD "broken_base.yaml", &out), TR_E_PARSE);
    expect_location("YAML syntax", BAD "broken_base.yaml", 4, 14, NULL);

    static const edit quote[] = {PLANTS_CSV("plants_bad_quote.csv"), {0, 0, NULL}};
    load_fails("CSV syntax", build(quote), TR_E_PARSE);
    expect_location("CSV syntax: a line, no column", BAD "plants_bad_quote.csv", 3, 0, NULL);

    ck_assert_int_eq(tr_scenario_load(BAD "no_such_file.yaml", &out), TR_E_IO);
    expect_location("an unreadable file", BAD "no_such_file.yaml", 0, 0, NULL);

    tr_scenario *sc = NULL;
    ck_assert_int_eq(tr_scenario_load(TR_TEST_DATA "/tiny.yaml", &sc), TR_OK);
    ck_assert_int_eq(tr_scenario_set(sc, "technologies.eff.lifetime", "twenty"), TR_E_INVAL);
    expect_location("an edit", "<set technologies.eff.lifetime>", 1, 1, "technologies.eff.lifetime");
    double v;
    ck_assert_int_eq(tr_scenario_value(sc, "carriers.nope.price", 2020, &v), TR_E_NOTFOUND);
    expect_location("a path not in the scenario", NULL, 0, 0, "carriers.nope.price");
    /* a failure that is at no place leaves no location of an earlier one */
    ck_assert_int_eq(tr_scenario_value(sc, "carriers.electricity.price", 0, &v), TR_E_INVAL);
    expect_location("no place", NULL, 0, 0, NULL);
    tr_scenario_free(sc);
}
END_TEST

/* Deterministic pseudo-random bytes (xorshift). */
static uint32_t rnd_state;
static uint32_t rnd(void)
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 17;
    rnd_state ^= rnd_state << 5;
    return rnd_state;
}

static char tmpdir[64];
static void tmp_setup(void)
{
    snprintf(tmpdir, sizeof tmpdir, "/tmp/tr_errors_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}
static void tmp_teardown(void)
{
    char p[128];
    snprintf(p, sizeof p, "%s/garbage.yaml", tmpdir);
    unlink(p);
    rmdir(tmpdir);
}

static void write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    ck_assert_ptr_nonnull(f);
    ck_assert_uint_eq(fwrite(data, 1, n, f), n);
    ck_assert_int_eq(fclose(f), 0);
}

/* Random bytes, NULs and invalid UTF-8 included, from a file and as text. */
START_TEST(binary_garbage)
{
    unsigned char buf[4096];
    char path[128];
    snprintf(path, sizeof path, "%s/garbage.yaml", tmpdir);
    rnd_state = 2463534242u + (uint32_t)_i * 7919u;
    size_t n = 1 + rnd() % sizeof buf;
    for (size_t i = 0; i < n; i++)
        buf[i] = (unsigned char)rnd();
    if (_i % 4 == 0)
        buf[n / 2] = '\0';                       /* a NUL in the middle */
    if (_i % 4 == 1)
        memcpy(buf, "format: techroad/1\n", 19 < n ? 19 : n);   /* a plausible start */
    write_file(path, buf, n);
    tr_scenario *sc = NULL;
    tr_status st = tr_scenario_load(path, &sc);
    ck_assert_msg(st == TR_E_PARSE || st == TR_E_INVAL, "seed %d: status %d: %s", _i, (int)st, tr_last_error());
    ck_assert_ptr_null(sc);
    ck_assert_ptr_nonnull(strstr(tr_last_error(), path));
    /* as text: up to the first NUL */
    buf[n - 1] = '\0';
    char got[4096];
    st = fx_load_error((const char *)buf, got, sizeof got);
    ck_assert_msg(st == TR_E_PARSE || st == TR_E_INVAL, "seed %d (text): status %d: %s", _i, (int)st, got);
    ck_assert_msg(strncmp(got, "test.yaml", 9) == 0, "seed %d: %s", _i, got);
}
END_TEST

/* A valid scenario with random bytes changed, dropped or YAML punctuation
 * inserted: any outcome but a crash; a failure always has a message. */
START_TEST(mutated_scenarios)
{
    static const edit none[1] = {{0, 0, NULL}};
    static char base[4096];
    snprintf(base, sizeof base, "%s%s", build(none),
             "policies:\n  c: {type: cap, indicator: emissions.CO2, limit: {2020: 900, 2022: 700}}\n"
             "  m: {type: mandate, technology: eff, share: 0.1, years: [2021, 2022]}\n");
    static const char punct[] = "{}[]:,-&*!|>'\"%@`#?~ \n\t.0123456789";
    size_t len = strlen(base);
    char text[4200];
    for (uint32_t seed = 1; seed <= 300; seed++) {
        rnd_state = seed * 2654435761u;
        memcpy(text, base, len + 1);
        size_t n = len;
        int edits = 1 + (int)(rnd() % 4);
        for (int e = 0; e < edits; e++) {
            size_t at = rnd() % n;
            switch (rnd() % 3) {
            case 0: text[at] = punct[rnd() % (sizeof punct - 1)]; break;
            case 1: memmove(text + at, text + at + 1, n - at); n--; break;
            default:
                memmove(text + at + 1, text + at, n - at + 1);
                text[at] = (char)(rnd() % 2 ? punct[rnd() % (sizeof punct - 1)] : (char)(0x80 + rnd() % 128));
                n++;
            }
        }
        char got[4096];
        tr_status st = fx_load_error(text, got, sizeof got);
        ck_assert_msg(st == TR_OK || st == TR_E_PARSE || st == TR_E_INVAL || st == TR_E_NOTFOUND ||
                          st == TR_E_IO,
                      "seed %u: status %d", seed, (int)st);
        if (st != TR_OK)
            ck_assert_msg(got[0] != '\0', "seed %u: empty message", seed);
    }
}
END_TEST

/* ------------------------------------------------------------ editing */

static tr_scenario *sc;
static void sc_setup(void)
{
    static const edit none[1] = {{0, 0, NULL}};
    sc = fx_load_text(build(none));
}
static void sc_teardown(void)
{
    tr_scenario_free(sc);
    sc = NULL;
}

static char *yaml_of(const tr_scenario *s)
{
    char *y = NULL;
    ck_assert_int_eq(tr_scenario_to_yaml(s, &y), TR_OK);
    return y;
}

/* A failing edit returns @want, explains itself and leaves @sc unchanged. */
static void expect_edit(const char *path, const char *value, tr_status want, const char *const *msg, size_t nmsg)
{
    char sha[65];
    snprintf(sha, sizeof sha, "%s", tr_scenario_sha256(sc));
    char *before = yaml_of(sc);
    tr_status st = value ? tr_scenario_set(sc, path, value) : tr_scenario_remove(sc, path);
    ck_assert_msg(st == want, "%s = %s: expected status %d, got %d: %s", path ? path : "NULL",
                  value ? value : "(remove)", (int)want, (int)st, st ? tr_last_error() : "");
    check_msg(path ? path : "NULL", tr_last_error(), msg, nmsg);
    check_location(path ? path : "NULL", tr_last_error());
    ck_assert_str_eq(tr_scenario_sha256(sc), sha);
    char *after = yaml_of(sc);
    ck_assert_str_eq(after, before);
    tr_string_free(before);
    tr_string_free(after);
    ck_assert_str_eq(tr_scenario_name(sc), "tiny");
    ck_assert_uint_eq(tr_scenario_count(sc, TR_ITEM_TECHNOLOGY), 1);
}

START_TEST(set_bad_values)
{
    const char *life[] = {"<set technologies.eff.lifetime>:1:1: technologies.eff.lifetime: ",
                          "expected an integer from 1 to 1000, got \"twenty\""};
    expect_edit("technologies.eff.lifetime", "twenty", TR_E_INVAL, life, N_OF(life));
    const char *price[] = {"carriers.electricity.price: ", "expected a price >= 0, got -5"};
    expect_edit("carriers.electricity.price", "-5", TR_E_INVAL, price, N_OF(price));
    const char *series[] = {"carriers.electricity.price.2030: ", "expected a finite number, got .inf"};
    expect_edit("carriers.electricity.price", "{2020: 90, 2030: .inf}", TR_E_INVAL, series, N_OF(series));
    const char *parse[] = {"<set carriers.electricity.price>:", "not valid YAML"};
    expect_edit("carriers.electricity.price", "{2020: 90", TR_E_PARSE, parse, N_OF(parse));
    const char *ref[] = {"plants.p1.intensity.coal: ", "unknown carrier \"coal\""};
    expect_edit("plants.p1.intensity", "{coal: 1}", TR_E_NOTFOUND, ref, N_OF(ref));
    const char *typo[] = {"technologies.eff.lifetme: ", "unknown key \"lifetme\"; did you mean \"lifetime\"?"};
    expect_edit("technologies.eff.lifetme", "12", TR_E_INVAL, typo, N_OF(typo));
    const char *util[] = {"plants.p1.production: ", "expected utilisation production/capacity in [0, 1]"};
    expect_edit("plants.p1.production", "2000", TR_E_INVAL, util, N_OF(util));
    const char *fmt[] = {"format: ", "unknown format version \"techroad/2\""};
    expect_edit("format", "techroad/2", TR_E_INVAL, fmt, N_OF(fmt));
    char deep[201];
    memset(deep, '[', 100);
    memset(deep + 100, ']', 100);
    deep[200] = '\0';
    const char *nest[] = {"<set notes>:1:65: ", "nesting deeper than 64 levels"};
    expect_edit("notes", deep, TR_E_PARSE, nest, N_OF(nest));
}
END_TEST

START_TEST(set_bad_paths)
{
    const char *scalar[] = {"name.first: ", "\"name\" is a scalar, not a map"};
    expect_edit("name.first", "x", TR_E_INVAL, scalar, N_OF(scalar));
    const char *empty[] = {"expected a dotted path"};
    expect_edit("", "1", TR_E_INVAL, empty, N_OF(empty));
    expect_edit(NULL, "1", TR_E_INVAL, empty, N_OF(empty));
    const char *seg[] = {"carriers..price: ", "empty segment in the path"};
    expect_edit("carriers..price", "1", TR_E_INVAL, seg, N_OF(seg));
    const char *trail[] = {"carriers.: ", "empty segment in the path"};
    expect_edit("carriers.", "1", TR_E_INVAL, trail, N_OF(trail));
    /* a new top-level key is created, then rejected as unknown */
    const char *unknown[] = {"colour: ", "unknown key \"colour\""};
    expect_edit("colour", "blue", TR_E_INVAL, unknown, N_OF(unknown));
}
END_TEST

START_TEST(remove_errors)
{
    const char *none[] = {"technologies.eff.colour: ", "no such key in the scenario"};
    expect_edit("technologies.eff.colour", NULL, TR_E_NOTFOUND, none, N_OF(none));
    const char *nokey[] = {"foo.bar: ", "no key \"foo\" in the scenario"};
    expect_edit("foo.bar", NULL, TR_E_NOTFOUND, nokey, N_OF(nokey));
    const char *req[] = {"technologies.eff.lifetime: ", "required field is missing; expected an integer >= 1 (years)"};
    expect_edit("technologies.eff.lifetime", NULL, TR_E_INVAL, req, N_OF(req));
    const char *plants[] = {"plants: ", "required field is missing"};
    expect_edit("plants", NULL, TR_E_INVAL, plants, N_OF(plants));
    expect_edit(NULL, NULL, TR_E_INVAL, (const char *const[]){"expected a dotted path"}, 1);
}
END_TEST

START_TEST(get_and_value_errors)
{
    char *out = (char *)&out;
    ck_assert_int_eq(tr_scenario_get(sc, "technologies.eff.colour", &out), TR_E_NOTFOUND);
    ck_assert_ptr_null(out);
    ck_assert_ptr_nonnull(strstr(tr_last_error(), "technologies.eff.colour: no such key"));
    ck_assert_int_eq(tr_scenario_get(sc, "nothing.here", &out), TR_E_NOTFOUND);
    ck_assert_ptr_nonnull(strstr(tr_last_error(), "no key \"nothing\""));
    ck_assert_int_eq(tr_scenario_get(sc, "name.x", &out), TR_E_INVAL);
    ck_assert_ptr_nonnull(strstr(tr_last_error(), "\"name\" is a scalar, not a map"));
    double v = 0;
    ck_assert_int_eq(tr_scenario_value(sc, "carriers.electricity.colour", 2020, &v), TR_E_NOTFOUND);
    ck_assert_ptr_nonnull(strstr(tr_last_error(), "carriers.electricity.colour: no such key"));
    ck_assert_int_eq(tr_scenario_value(sc, "name", 2020, &v), TR_E_INVAL);
    ck_assert_ptr_nonnull(strstr(tr_last_error(), "test.yaml:2:7: name: expected a number, got \"tiny\""));
    ck_assert_int_eq(tr_scenario_value(sc, "carriers.electricity.price", 0, &v), TR_E_INVAL);
    ck_assert_ptr_nonnull(strstr(tr_last_error(), "expected a year 1..9999, got 0"));
    ck_assert_int_eq(tr_scenario_value(sc, "plants", 2020, &v), TR_E_INVAL);
    ck_assert_ptr_nonnull(strstr(tr_last_error(), "plants"));
}
END_TEST

/* ------------------------------------------------------------ API arguments */

static void expect_inval(tr_status st, const char *what, const char *word)
{
    ck_assert_msg(st == TR_E_INVAL, "%s: expected TR_E_INVAL, got %d", what, (int)st);
    ck_assert_msg(tr_last_error()[0] != '\0', "%s: empty message", what);
    ck_assert_msg(strstr(tr_last_error(), word), "%s: message lacks [%s]: %s", what, word, tr_last_error());
}

START_TEST(null_arguments_scenario)
{
    static const edit none[1] = {{0, 0, NULL}};
    const char *text = build(none);
    tr_scenario *s = (tr_scenario *)&s;
    expect_inval(tr_scenario_load(NULL, &s), "load(NULL)", "NULL");
    ck_assert_ptr_null(s);
    expect_inval(tr_scenario_load("", &s), "load(\"\")", "expected a file name");
    expect_inval(tr_scenario_load(TR_TEST_DATA "/tiny.yaml", NULL), "load(out NULL)", "NULL");
    s = (tr_scenario *)&s;
    expect_inval(tr_scenario_loads(NULL, NULL, NULL, &s), "loads(NULL)", "NULL");
    ck_assert_ptr_null(s);
    expect_inval(tr_scenario_loads(text, NULL, NULL, NULL), "loads(out NULL)", "NULL");
    tr_scenario *c = (tr_scenario *)&c;
    expect_inval(tr_scenario_copy(NULL, &c), "copy(NULL)", "NULL");
    ck_assert_ptr_null(c);
    expect_inval(tr_scenario_copy(sc, NULL), "copy(out NULL)", "NULL");
    expect_inval(tr_scenario_set(NULL, "name", "x"), "set(NULL)", "NULL");
    expect_inval(tr_scenario_set(sc, "name", NULL), "set(value NULL)", "NULL");
    expect_inval(tr_scenario_remove(NULL, "name"), "remove(NULL)", "NULL");
    char *out = (char *)&out;
    expect_inval(tr_scenario_get(NULL, "name", &out), "get(NULL)", "NULL");
    ck_assert_ptr_null(out);
    expect_inval(tr_scenario_get(sc, "name", NULL), "get(out NULL)", "NULL");
    expect_inval(tr_scenario_get(sc, NULL, &out), "get(path NULL)", "path");
    expect_inval(tr_scenario_to_yaml(NULL, &out), "to_yaml(NULL)", "NULL");
    expect_inval(tr_scenario_to_yaml(sc, NULL), "to_yaml(out NULL)", "NULL");
    double v;
    expect_inval(tr_scenario_value(NULL, "discount_rate", 2020, &v), "value(NULL)", "NULL");
    expect_inval(tr_scenario_value(sc, "discount_rate", 2020, NULL), "value(out NULL)", "NULL");
    expect_inval(tr_scenario_value(sc, NULL, 2020, &v), "value(path NULL)", "path");
    /* getters and free take NULL without crashing */
    tr_scenario_free(NULL);
    ck_assert_str_eq(tr_scenario_sha256(NULL), "");
    ck_assert_str_eq(tr_scenario_name(NULL), "");
    ck_assert_str_eq(tr_scenario_path(NULL), "");
    ck_assert_uint_eq(tr_scenario_year_count(NULL), 0);
    ck_assert_uint_eq(tr_scenario_count(NULL, TR_ITEM_PLANT), 0);
    ck_assert_ptr_null(tr_scenario_id(NULL, TR_ITEM_PLANT, 0));
    ck_assert_uint_eq(tr_scenario_count(sc, (tr_item_kind)99), 0);
    ck_assert_ptr_null(tr_scenario_id(sc, TR_ITEM_PLANT, 99));
    ck_assert_ptr_null(tr_scenario_id(sc, (tr_item_kind)-1, 0));
    tr_string_free(NULL);
    /* messages of text loaded without a label name "<string>" */
    static const edit life[] = {R(23, "    lifetime: twenty"), {0, 0, NULL}};
    s = NULL;
    ck_assert_int_eq(tr_scenario_loads(build(life), NULL, NULL, &s), TR_E_INVAL);
    ck_assert_ptr_null(s);
    ck_assert_ptr_nonnull(strstr(tr_last_error(), "<string>:23:15: technologies.eff.lifetime: "));
}
END_TEST

START_TEST(null_arguments_solve)
{
    tr_model *m = (tr_model *)&m;
    expect_inval(tr_model_new(NULL, &m), "model_new(NULL)", "NULL");
    ck_assert_ptr_null(m);
    expect_inval(tr_model_new(sc, NULL), "model_new(out NULL)", "NULL");
    tr_result *r = (tr_result *)&r;
    expect_inval(tr_scenario_solve(NULL, NULL, &r), "scenario_solve(NULL)", "NULL");
    ck_assert_ptr_null(r);
    expect_inval(tr_model_solve(NULL, NULL, &r), "model_solve(NULL)", "NULL");
    ck_assert_int_eq(tr_model_new(sc, &m), TR_OK);
    expect_inval(tr_model_solve(m, NULL, NULL), "model_solve(out NULL)", "NULL");
    expect_inval(tr_model_write_lp(NULL, TR_LP_CPLEX, "/tmp/x.lp"), "write_lp(NULL)", "NULL");
    expect_inval(tr_model_write_lp(m, TR_LP_CPLEX, NULL), "write_lp(path NULL)", "NULL");
    expect_inval(tr_model_write_lp(m, (tr_lp_format)42, "/tmp/x.lp"), "write_lp(format 42)", "42");
    ck_assert_int_eq(tr_model_write_lp(m, TR_LP_CPLEX, "/dev/null/x.lp"), TR_E_IO);
    ck_assert_ptr_nonnull(strstr(tr_last_error(), "/dev/null/x.lp"));
    /* bad options */
    tr_solve_opts o;
    tr_solve_opts_init(&o);
    o.method = 7;
    expect_inval(tr_model_solve(m, &o, &r), "method 7", "method");
    ck_assert_ptr_null(r);
    tr_solve_opts_init(&o);
    o.tol_primal = 0;
    expect_inval(tr_model_solve(m, &o, &r), "tolerance 0", "tolerances");
    tr_solve_opts_init(&o);
    o.time_limit_s = NAN;
    expect_inval(tr_model_solve(m, &o, &r), "time limit NaN", "time limit");
    tr_solve_opts_init(&o);
    o.verbosity = 9;
    expect_inval(tr_model_solve(m, &o, &r), "verbosity 9", "verbosity");
    tr_model_free(m);
    tr_model_free(NULL);
    ck_assert_uint_eq(tr_model_row_count(NULL), 0);
    ck_assert_uint_eq(tr_model_col_count(NULL), 0);
    ck_assert_uint_eq(tr_model_nonzero_count(NULL), 0);

    /* results */
    r = fx_solve(sc);
    size_t i;
    double buf[3];
    tr_diagnosis dg;
    char *s = (char *)&s;
    expect_inval(tr_result_series_find(NULL, "production", &i), "series_find(NULL)", "NULL");
    expect_inval(tr_result_series_find(r, NULL, &i), "series_find(name NULL)", "NULL");
    expect_inval(tr_result_series_find(r, "production", NULL), "series_find(index NULL)", "NULL");
    ck_assert_int_eq(tr_result_series_find(r, "no.such.series", &i), TR_E_NOTFOUND);
    ck_assert_ptr_nonnull(strstr(tr_last_error(), "no result series named \"no.such.series\""));
    expect_inval(tr_result_get_series(NULL, 0, buf, 3), "get_series(NULL)", "NULL");
    expect_inval(tr_result_get_series(r, 0, NULL, 3), "get_series(out NULL)", "NULL");
    expect_inval(tr_result_get_series(r, 0, buf, 2), "get_series(n 2)", "expected a buffer of 3 years, got 2");
    ck_assert_int_eq(tr_result_get_series(r, 100000, buf, 3), TR_E_NOTFOUND);
    ck_assert_ptr_nonnull(strstr(tr_last_error(), "out of range"));
    expect_inval(tr_result_get_diagnosis(NULL, 0, &dg), "get_diagnosis(NULL)", "NULL");
    expect_inval(tr_result_get_diagnosis(r, 0, NULL), "get_diagnosis(out NULL)", "NULL");
    ck_assert_int_eq(tr_result_get_diagnosis(r, 0, &dg), TR_E_NOTFOUND);
    ck_assert_ptr_nonnull(strstr(tr_last_error(), "out of range"));
    expect_inval(tr_result_write_string(NULL, TR_FMT_JSON, &s), "write_string(NULL)", "NULL");
    ck_assert_ptr_null(s);
    expect_inval(tr_result_write_string(r, TR_FMT_JSON, NULL), "write_string(out NULL)", "NULL");
    expect_inval(tr_result_write_string(r, (tr_result_format)42, &s), "write_string(format 42)", "42");
    expect_inval(tr_result_write(r, TR_FMT_JSON, NULL), "write(path NULL)", "NULL");
    expect_inval(tr_result_write(NULL, TR_FMT_JSON, "/tmp/x.json"), "write(NULL)", "NULL");
    ck_assert_int_eq(tr_result_write(r, TR_FMT_JSON, "/dev/null/x.json"), TR_E_IO);
    ck_assert_ptr_nonnull(strstr(tr_last_error(), "/dev/null/x.json: cannot"));
    tr_result_free(r);
    tr_result_free(NULL);
    ck_assert_int_eq(tr_result_status(NULL), TR_SOL_FAILED);
    ck_assert_str_eq(tr_result_status_name(NULL), "failed");
    ck_assert(isnan(tr_result_npv(NULL)));
    ck_assert_uint_eq(tr_result_series_count(NULL), 0);
    ck_assert_ptr_null(tr_result_series_name(NULL, 0));
    ck_assert_uint_eq(tr_result_total_count(NULL), 0);
    ck_assert_uint_eq(tr_result_diagnosis_count(NULL), 0);
}
END_TEST

/* ------------------------------------------------------------ status codes */

START_TEST(strerror_every_code)
{
    for (int c = 0; c < TR_E__COUNT; c++) {
        const char *s = tr_strerror((tr_status)c);
        ck_assert_ptr_nonnull(s);
        ck_assert_msg(s[0] != '\0', "code %d: empty text", c);
        ck_assert_msg(strcmp(s, "unknown error") != 0, "code %d has no text", c);
        for (int d = 0; d < c; d++)
            ck_assert_msg(strcmp(s, tr_strerror((tr_status)d)) != 0, "codes %d and %d share a text", c, d);
    }
    const int unknown[] = {TR_E__COUNT, TR_E__COUNT + 1, -1, 1000, -1000};
    for (size_t i = 0; i < N_OF(unknown); i++)
        ck_assert_str_eq(tr_strerror((tr_status)unknown[i]), "unknown error");
}
END_TEST

/* Each error code of the loading/editing API, reached at least once. */
START_TEST(every_load_status)
{
    static const edit e_inval[] = {R(23, "    lifetime: 0"), {0, 0, NULL}};
    static const edit e_notfound[] = {R(21, "    effects: {gas: -0.2}"), {0, 0, NULL}};
    static const edit e_io[] = {R(2, "name: tiny\nextends: bad/no_such_base.yaml"), {0, 0, NULL}};
    static const edit e_parse[] = {R(5, "name: again"), {0, 0, NULL}};
    const struct {
        const edit *ed;
        tr_status st;
    } c[] = {{e_inval, TR_E_INVAL}, {e_notfound, TR_E_NOTFOUND}, {e_io, TR_E_IO}, {e_parse, TR_E_PARSE}};
    for (size_t i = 0; i < N_OF(c); i++) {
        char got[4096];
        ck_assert_int_eq(fx_load_error(build(c[i].ed), got, sizeof got), c[i].st);
        ck_assert_msg(strncmp(got, "test.yaml:", 10) == 0, "%s", got);
    }
    /* and TR_E_NOMEM, through the allocation hook */
    static const edit none[1] = {{0, 0, NULL}};
    tr_scenario *s = (tr_scenario *)&s;
    tri_set_alloc_fail_after(0);
    tr_status st = tr_scenario_loads(build(none), TR_TEST_DATA, "test.yaml", &s);
    tri_set_alloc_fail_after(-1);
    ck_assert_int_eq(st, TR_E_NOMEM);
    ck_assert_ptr_null(s);
    ck_assert_str_eq(tr_last_error(), "out of memory");
}
END_TEST

/* Out of memory at every allocation of a load and of an edit: TR_E_NOMEM
 * with a message, nothing leaked (valgrind), then success. */
START_TEST(oom_load_and_edit)
{
    static const edit none[1] = {{0, 0, NULL}};
    const char *text = build(none);
    long k;
    for (k = 0; k < 100000; k++) {
        tr_scenario *s = NULL;
        tri_set_alloc_fail_after(k);
        tr_status st = tr_scenario_loads(text, TR_TEST_DATA, "test.yaml", &s);
        tri_set_alloc_fail_after(-1);
        if (st == TR_OK) {
            tr_scenario_free(s);
            break;
        }
        ck_assert_msg(st == TR_E_NOMEM, "load, allocation %ld fails: status %d: %s", k, (int)st, tr_last_error());
        ck_assert_ptr_null(s);
        ck_assert_msg(tr_last_error()[0], "allocation %ld: empty message", k);
    }
    ck_assert_int_gt(k, 10);
    const char *sha = tr_scenario_sha256(sc);
    char before[65];
    snprintf(before, sizeof before, "%s", sha);
    for (k = 0; k < 100000; k++) {
        tri_set_alloc_fail_after(k);
        tr_status st = tr_scenario_set(sc, "carriers.electricity.price", "{2020: 90, 2022: 110}");
        tri_set_alloc_fail_after(-1);
        if (st == TR_OK)
            break;
        ck_assert_msg(st == TR_E_NOMEM, "set, allocation %ld fails: status %d: %s", k, (int)st, tr_last_error());
        ck_assert_str_eq(tr_scenario_sha256(sc), before);
    }
    ck_assert_str_ne(tr_scenario_sha256(sc), before);
    for (k = 0; k < 100000; k++) {
        tr_scenario *c = NULL;
        tri_set_alloc_fail_after(k);
        tr_status st = tr_scenario_copy(sc, &c);
        tri_set_alloc_fail_after(-1);
        if (st == TR_OK) {
            ck_assert_str_eq(tr_scenario_sha256(c), tr_scenario_sha256(sc));
            tr_scenario_free(c);
            break;
        }
        ck_assert_msg(st == TR_E_NOMEM, "copy, allocation %ld fails: status %d", k, (int)st);
        ck_assert_ptr_null(c);
    }
    /* a failing load that runs out of memory while it builds its message */
    static const edit bad[] = {R(23, "    lifetime: twenty"), {0, 0, NULL}};
    text = build(bad);
    for (k = 0; k < 100000; k++) {
        tr_scenario *s = NULL;
        tri_set_alloc_fail_after(k);
        tr_status st = tr_scenario_loads(text, TR_TEST_DATA, "test.yaml", &s);
        tri_set_alloc_fail_after(-1);
        ck_assert_ptr_null(s);
        if (st == TR_E_INVAL) {
            ck_assert_ptr_nonnull(strstr(tr_last_error(), "technologies.eff.lifetime"));
            break;
        }
        ck_assert_msg(st == TR_E_NOMEM, "bad load, allocation %ld fails: status %d: %s", k, (int)st,
                      tr_last_error());
    }
}
END_TEST

/* ------------------------------------------------------------ known bugs
 * Each test below failed (or crashed) when the suite was written; the
 * library was fixed and they stay as regression tests. */

/* FIXED BUG: a technology `group` that is a list or a map crashes the
 * process (compile.c do_techs calls check_id(), which runs strlen() on the
 * NULL string of a non-scalar node). */
START_TEST(bug_group_not_a_scalar)
{
    static const edit list[] = {A("    group: [a, b]"), {0, 0, NULL}};
    const char *lmsg[] = {"test.yaml:25:12: technologies.eff.group: ", "got a list"};
    expect_text("group list", build(list), TR_E_INVAL, lmsg, N_OF(lmsg));
    static const edit map[] = {A("    group: {name: a}"), {0, 0, NULL}};
    const char *mmsg[] = {"test.yaml:25:12: technologies.eff.group: ", "got a map"};
    expect_text("group map", build(map), TR_E_INVAL, mmsg, N_OF(mmsg));
}
END_TEST

/* FIXED BUG: a CSV table that cannot be read gives a garbled message
 * ("test.yaml:14:15: test.yaml:14:15: data/bad/no_such.csv: ...", the
 * location twice and the path cut) because tri_load_csv() passes
 * tr_last_error() as an argument to TR_FAIL, which formats into that same
 * buffer (overlapping vsnprintf: undefined behaviour, valgrind reports it).
 * It should read like the `extends` message, with the field path. */
START_TEST(bug_missing_csv_message)
{
    static const edit e[] = {PLANTS_CSV("no_such.csv"), {0, 0, NULL}};
    const char *msg[] = {"test.yaml:14:15: plants.csv: ", BAD "no_such.csv", "No such file or directory"};
    expect_text("missing CSV", build(e), TR_E_IO, msg, N_OF(msg));
    char got[4096];
    fx_load_error(build(e), got, sizeof got);
    ck_assert_msg(strstr(got + 1, "test.yaml:14:15:") == NULL, "location given twice: %s", got);
    const char *dmsg[] = {"test.yaml:14:15: plants.csv: ", "is a directory"};
    static const edit dir[] = {RR(14, 18, "plants: {csv: bad}"), {0, 0, NULL}};
    expect_text("CSV is a directory", build(dir), TR_E_IO, dmsg, N_OF(dmsg));
}
END_TEST

/* FIXED BUG: same overlapping-buffer problem (csvload.c put_cell) for a cell
 * that is not valid YAML flow text: the message repeats itself and the path
 * lacks "plants.". */
START_TEST(bug_csv_flow_cell_message)
{
    static const edit e[] = {PLANTS_CSV("plants_bad_flow.csv"), {0, 0, NULL}};
    const char *msg[] = {BAD "plants_bad_flow.csv:2:2: plants.p1.capacity: ", "not valid YAML"};
    expect_text("bad flow cell", build(e), TR_E_PARSE, msg, N_OF(msg));
    char got[4096];
    fx_load_error(build(e), got, sizeof got);
    ck_assert_msg(strstr(strstr(got, "plants_bad_flow.csv") + 1, "plants_bad_flow.csv") == NULL,
                  "message repeats itself: %s", got);
}
END_TEST

/* FIXED BUG: CSV line numbers count records, not lines: after a blank line
 * or a quoted cell spanning two lines the reported line is one too small
 * (the bad cell "lots" is on line 4 of both files; the library says 3). */
START_TEST(bug_csv_line_numbers)
{
    static const edit blank[] = {PLANTS_CSV("plants_blank_line.csv"), {0, 0, NULL}};
    const char *bmsg[] = {BAD "plants_blank_line.csv:4:2: plants.p2.capacity: ", "expected a number, got \"lots\""};
    expect_text("blank line", build(blank), TR_E_INVAL, bmsg, N_OF(bmsg));
    static const edit nl[] = {PLANTS_CSV("plants_quoted_newline.csv"), {0, 0, NULL}};
    const char *nmsg[] = {BAD "plants_quoted_newline.csv:4:3: plants.p2.capacity: ", "expected a number, got \"lots\""};
    expect_text("quoted newline", build(nl), TR_E_INVAL, nmsg, N_OF(nmsg));
}
END_TEST

/* FIXED BUG: invalid UTF-8 and control characters are reported at 1:1
 * (libyaml's reader errors carry problem_offset, not problem_mark, and
 * parse.c only looks at the marks). The bad byte is at 2:9. */
START_TEST(bug_reader_error_position)
{
    static const edit utf[] = {R(2, "name: ti\xff\xfeny"), {0, 0, NULL}};
    const char *umsg[] = {"test.yaml:2:9: ", "not UTF-8 text: byte 0xFF at byte offset 27"};
    expect_text("invalid UTF-8", build(utf), TR_E_PARSE, umsg, N_OF(umsg));
    static const edit ctl[] = {R(2, "name: ti\x01ny"), {0, 0, NULL}};
    const char *cmsg[] = {"test.yaml:2:9: not valid YAML: ", "control characters are not allowed"};
    expect_text("control character", build(ctl), TR_E_PARSE, cmsg, N_OF(cmsg));
}
END_TEST

/* FIXED BUG: the duplicate-key message has no field path (§10): for a
 * nested key it says only `duplicate key "capacity"`. */
START_TEST(bug_duplicate_key_path)
{
    static const edit e[] = {R(17, "    capacity: 900"), {0, 0, NULL}};
    const char *msg[] = {"test.yaml:17:5: plants.p1.capacity: ", "duplicate key \"capacity\""};
    expect_text("duplicate nested key", build(e), TR_E_PARSE, msg, N_OF(msg));
}
END_TEST

/* FIXED BUG: the format version is checked after the horizon and the
 * top-level keys, so a file of another format version is reported for
 * whatever of its fields techroad/1 does not know. */
START_TEST(bug_format_checked_first)
{
    static const edit e1[] = {R(1, "format: techroad/2"), R(3, "horizon: {start: 2020, end: 2022, step: 5}"),
                              {0, 0, NULL}};
    const char *msg[] = {"test.yaml:1:9: format: ", "unknown format version \"techroad/2\""};
    expect_text("v2 horizon", build(e1), TR_E_INVAL, msg, N_OF(msg));
    static const edit e2[] = {R(1, "format: techroad/2"), A("scenarios: {}"), {0, 0, NULL}};
    expect_text("v2 top-level key", build(e2), TR_E_INVAL, msg, N_OF(msg));
}
END_TEST

/* FIXED BUG: lifetimes above 1000 are rejected with "expected an integer
 * >= 1, got "1001"", which 1001 is; the message should give the range. */
START_TEST(bug_lifetime_range_message)
{
    static const edit e[] = {R(23, "    lifetime: 1001"), {0, 0, NULL}};
    const char *msg[] = {"test.yaml:23:15: technologies.eff.lifetime: ", "1000", "got \"1001\""};
    expect_text("lifetime 1001", build(e), TR_E_INVAL, msg, N_OF(msg));
}
END_TEST

/* FIXED BUG: running out of memory while reading a CSV table is reported
 * as TR_E_PARSE: libcsv's "memory exhausted while increasing buffer size"
 * becomes "not valid CSV", and a failed allocation while parsing a YAML
 * cell becomes "cell is not valid YAML flow text". It should be
 * TR_E_NOMEM, as everywhere else. */
START_TEST(bug_csv_oom_status)
{
    long k;
    for (k = 0; k < 100000; k++) {
        tr_scenario *s = NULL;
        tri_set_alloc_fail_after(k);
        tr_status st = tr_scenario_load(TR_TEST_DATA "/csv/scenario.yaml", &s);
        tri_set_alloc_fail_after(-1);
        if (st == TR_OK) {
            tr_scenario_free(s);
            break;
        }
        ck_assert_msg(st == TR_E_NOMEM, "allocation %ld fails: status %d: %s", k, (int)st, tr_last_error());
    }
}
END_TEST

/* FIXED BUG: tr_scenario_set(sc, "extends", ...) returns TR_OK, but the
 * `extends` is never resolved (edits recompile the document, they do not
 * re-run resolve), so tr_scenario_to_yaml() gives text that no longer loads
 * (TR_E_IO) although tr_scenario.h promises that loading it gives the same
 * scenario. Either the edit fails and changes nothing, or its result
 * reloads to the same scenario. */
START_TEST(bug_set_extends)
{
    char sha[65];
    snprintf(sha, sizeof sha, "%s", tr_scenario_sha256(sc));
    tr_status st = tr_scenario_set(sc, "extends", "bad/no_such_base.yaml");
    if (st != TR_OK) {
        ck_assert_ptr_nonnull(strstr(tr_last_error(), "extends"));
        ck_assert_str_eq(tr_scenario_sha256(sc), sha);
        return;
    }
    char *y = yaml_of(sc);
    tr_scenario *again = NULL;
    st = tr_scenario_loads(y, TR_TEST_DATA, "again.yaml", &again);
    tr_string_free(y);
    ck_assert_msg(st == TR_OK, "the edited scenario's YAML does not load: %s", tr_last_error());
    ck_assert_str_eq(tr_scenario_sha256(again), tr_scenario_sha256(sc));
    tr_scenario_free(again);
}
END_TEST

/* ------------------------------------------------------------ suite */

/* ------------------------------------------------------------ round 2 (issue 17) */

/* Item 22: the core schema's tags on a value of their type are accepted,
 * and `!!int`/`!!float` make a quoted number a number. */
START_TEST(tags_of_the_core_schema)
{
    static const edit ed[] = {R(2, "name: !!str tiny"), R(3, "horizon: !!map {start: !!int 2020, end: !!int \"2022\"}"),
                              R(4, "discount_rate: !!float 0"), R(6, "species: !!map"),
                              R(12, "    price: !!float '1e2'"), {0, 0, NULL}};
    tr_scenario *sc = NULL;
    ck_assert_int_eq(tr_scenario_loads(build(ed), TR_TEST_DATA, "test.yaml", &sc), TR_OK);
    ck_assert_int_eq(tr_scenario_end_year(sc), 2022);
    double v = 0;
    ck_assert_int_eq(tr_scenario_value(sc, "carriers.electricity.price", 2021, &v), TR_OK);
    ck_assert_double_eq(v, 100);
    tr_scenario_free(sc);
    /* `!` and !!str make a string: a number field then says so */
    static const edit str[] = {R(12, "    price: !!str 100"), {0, 0, NULL}};
    const char *msg[] = {"test.yaml:12:12: carriers.electricity.price: ", "expected a number"};
    expect_text("!!str on a number", build(str), TR_E_INVAL, msg, N_OF(msg));
    static const edit ns[] = {R(12, "    price: ! 100"), {0, 0, NULL}};
    expect_text("! on a number", build(ns), TR_E_INVAL, msg, N_OF(msg));
}
END_TEST

/* Item 6: one large scalar aliased many times is within the node budget
 * but took about 2 MB per alias of 1 MB (3.9 GB for 2,000). Aliases and
 * merge keys may add 16 MiB of text. */
START_TEST(alias_bytes_budget)
{
    enum { BIG = 1536 * 1024 };
    size_t cap = BIG + 64 * 1024;
    char *text = malloc(cap);
    ck_assert_ptr_nonnull(text);
    /* 12 aliases of 1.5 MB: 18 MB */
    static const edit none[1] = {{0, 0, NULL}};
    for (int variant = 0; variant < 3; variant++) {
        size_t n = (size_t)snprintf(text, cap, "%s", build(none));
        if (variant < 2)
            n += (size_t)snprintf(text + n, cap - n, "description: &d \"");
        else
            n += (size_t)snprintf(text + n, cap - n, "notes: &d [\"");
        memset(text + n, 'a', BIG);
        n += BIG;
        n += (size_t)snprintf(text + n, cap - n, variant < 2 ? "\"\n" : "\"]\n");
        if (variant == 0)   /* aliases of the scalar */
            n += (size_t)snprintf(text + n, cap - n, "notes: [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n");
        else if (variant == 1)   /* three aliases: 4.5 MB, within the budget */
            n += (size_t)snprintf(text + n, cap - n, "notes: [*d, *d, *d]\n");
        else   /* merge keys: a map of a large list merged into 12 maps */
            n += (size_t)snprintf(text + n, cap - n,
                                  "x: &m {a: *d}\npolicies: {%s}\n",
                                  "p1: {<<: *m}, p2: {<<: *m}, p3: {<<: *m}, p4: {<<: *m}, p5: {<<: *m}, "
                                  "p6: {<<: *m}, p7: {<<: *m}, p8: {<<: *m}, p9: {<<: *m}, p10: {<<: *m}, "
                                  "p11: {<<: *m}");
        char got[4096];
        tr_status st = fx_load_error(text, got, sizeof got);
        if (variant == 1) {
            ck_assert_msg(st == TR_OK, "three aliases of 1.5 MB: %d %s", (int)st, got);
            continue;
        }
        ck_assert_msg(st == TR_E_PARSE, "variant %d: status %d: %s", variant, (int)st, got);
        const char *want = variant == 0 ? "aliases expand to more than 16 MiB of text"
                                        : "merge keys expand to more than 16 MiB of text";
        ck_assert_msg(strncmp(got, "test.yaml:", 10) == 0 && strstr(got, want), "variant %d: %s", variant, got);
    }
    free(text);
}
END_TEST

/* a private folder for files of one test; rm_tmp() removes it */
static char rtmp[64];
static const char *rpath(const char *name)
{
    static char p[4][256];
    static int k;
    k = (k + 1) % 4;
    snprintf(p[k], sizeof p[k], "%s/%s", rtmp, name);
    return p[k];
}
static void mk_tmp(void)
{
    snprintf(rtmp, sizeof rtmp, "/tmp/tr_round2_XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(rtmp));
}
static void rm_tmp(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", rtmp);
    ck_assert_int_eq(system(cmd), 0);
}

/* tiny.yaml with its plants from plants.csv in the same folder */
static const char *CSV_SCENARIO =
    "format: techroad/1\nname: tiny\nhorizon: {start: 2020, end: 2022}\ndiscount_rate: 0.0\ncurrency: USD\n"
    "species: {CO2: {unit: t}}\ncarriers:\n  electricity: {unit: MWh, energy_content: 3.6, price: 100, "
    "emission_factors: {CO2: 1.0}}\nplants: {csv: plants.csv}\n"
    "technologies:\n  eff: {effects: {electricity: -0.2}, capex: 30, lifetime: 10, hurdle_rate: 0}\n";
#define CSV_HEAD "id,name,capacity,production,intensity.electricity\n"

static tr_status load_csv_case(const void *csv, size_t n, tr_scenario **sc)
{
    write_file(rpath("plants.csv"), csv, n);
    write_file(rpath("s.yaml"), CSV_SCENARIO, strlen(CSV_SCENARIO));
    *sc = NULL;
    return tr_scenario_load(rpath("s.yaml"), sc);
}

/* Items 8, 13, 14: a NUL byte cut a CSV cell ("1\0.9" read as 1, NPV
 * 249,000 instead of 519,000; a name "ab\0cd" read as "ab"); a UTF-8
 * byte-order mark made the header's "id" unknown; a Latin-1 cell loaded and
 * failed when the scenario was written ("emitter error", no file). */
START_TEST(csv_text_is_checked)
{
    mk_tmp();
    tr_scenario *sc = NULL;
    static const char good[] = CSV_HEAD "p1,Mill,1000,1000,1.0\n";
    ck_assert_int_eq(load_csv_case(good, sizeof good - 1, &sc), TR_OK);
    tr_result *r = fx_solve(sc);
    double npv_good = tr_result_npv(r);
    tr_result_free(r);
    tr_scenario_free(sc);
    /* a NUL in a number cell, in the id, in the header */
    static const char nul_cell[] = CSV_HEAD "p1,Mill,1000,1000,1\0.9\n";
    ck_assert_int_eq(load_csv_case(nul_cell, sizeof nul_cell - 1, &sc), TR_E_PARSE);
    ck_assert_ptr_null(sc);
    char want[512];
    snprintf(want, sizeof want, "%s:2:20: a NUL byte (at byte offset 69); expected text without NUL bytes",
             rpath("plants.csv"));
    ck_assert_str_eq(tr_last_error(), want);
    static const char nul_id[] = CSV_HEAD "ab\0cd,Mill,1000,1000,1.0\n";
    ck_assert_int_eq(load_csv_case(nul_id, sizeof nul_id - 1, &sc), TR_E_PARSE);
    ck_assert_msg(strstr(tr_last_error(), "plants.csv:2:3: a NUL byte"), "%s", tr_last_error());
    static const char nul_name[] = CSV_HEAD "p1,M\0ll,1000,1000,1.0\n";
    ck_assert_int_eq(load_csv_case(nul_name, sizeof nul_name - 1, &sc), TR_E_PARSE);
    ck_assert_msg(strstr(tr_last_error(), "plants.csv:2:5: a NUL byte"), "%s", tr_last_error());
    /* a byte-order mark: the same plants, the same NPV */
    static const char bom[] = "\xEF\xBB\xBF" CSV_HEAD "p1,Mill,1000,1000,1.0\n";
    ck_assert_int_eq(load_csv_case(bom, sizeof bom - 1, &sc), TR_OK);
    r = fx_solve(sc);
    ck_assert_double_eq_tol(tr_result_npv(r), npv_good, 1e-6);
    tr_result_free(r);
    tr_scenario_free(sc);
    /* and positions after it are still right (a bad cell: line 2, cell 3) */
    static const char bom_bad[] = "\xEF\xBB\xBF" CSV_HEAD "p1,Mill,lots,1000,1.0\n";
    ck_assert_int_eq(load_csv_case(bom_bad, sizeof bom_bad - 1, &sc), TR_E_INVAL);
    ck_assert_msg(strstr(tr_last_error(), "plants.csv:2:3: plants.p1.capacity: "), "%s", tr_last_error());
    /* Latin-1 (é = 0xE9) in a name, a lone continuation byte, a cut sequence at the end */
    static const char latin1[] = CSV_HEAD "p1,Caf\xE9 mill,1000,1000,1.0\n";
    ck_assert_int_eq(load_csv_case(latin1, sizeof latin1 - 1, &sc), TR_E_PARSE);
    snprintf(want, sizeof want, "%s:2:7: not UTF-8 text: byte 0xE9 at byte offset 56 is not valid UTF-8",
             rpath("plants.csv"));
    ck_assert_msg(strncmp(tr_last_error(), want, strlen(want)) == 0, "%s", tr_last_error());
    static const char cont[] = CSV_HEAD "p1,Mill \x80,1000,1000,1.0\n";
    ck_assert_int_eq(load_csv_case(cont, sizeof cont - 1, &sc), TR_E_PARSE);
    ck_assert_msg(strstr(tr_last_error(), "plants.csv:2:9: not UTF-8 text: byte 0x80"), "%s", tr_last_error());
    static const char cut[] = CSV_HEAD "p1,Mill,1000,1000,1.0\n\xC3";
    ck_assert_int_eq(load_csv_case(cut, sizeof cut - 1, &sc), TR_E_PARSE);
    ck_assert_msg(strstr(tr_last_error(), "plants.csv:3:1: not UTF-8 text: byte 0xC3"), "%s", tr_last_error());
    /* valid UTF-8 of 2, 3 and 4 bytes loads */
    static const char utf8[] = CSV_HEAD "p1,Caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x8F\xAD,1000,1000,1.0\n";
    ck_assert_int_eq(load_csv_case(utf8, sizeof utf8 - 1, &sc), TR_OK);
    tr_scenario_free(sc);
    rm_tmp();
}
END_TEST

/* Items 13, 14 in YAML: a byte-order mark said "2:1: did not find expected
 * <document start>"; a Latin-1 byte, a UTF-16 file and overlong or
 * surrogate forms say "not UTF-8" with the place and byte offset. */
START_TEST(yaml_text_is_checked)
{
    static const edit none[1] = {{0, 0, NULL}};
    char text[8192];
    snprintf(text, sizeof text, "\xEF\xBB\xBF%s", build(none));
    expect_ok("byte-order mark", text);
    static const edit bad[] = {R(16, "    capacity: lots"), {0, 0, NULL}};
    snprintf(text, sizeof text, "\xEF\xBB\xBF%s", build(bad));
    const char *pos[] = {"test.yaml:16:15: plants.p1.capacity: ", "expected a number"};
    expect_text("byte-order mark, then an error", text, TR_E_INVAL, pos, N_OF(pos));
    static const edit first[] = {R(1, "format: techroad/2"), {0, 0, NULL}};
    snprintf(text, sizeof text, "\xEF\xBB\xBF%s", build(first));
    const char *col1[] = {"test.yaml:1:9: format: ", "unknown format version"};
    expect_text("byte-order mark: line 1 starts at column 1", text, TR_E_INVAL, col1, N_OF(col1));
    /* a file with a BOM */
    mk_tmp();
    write_file(rpath("bom.yaml"), text, strlen(text));
    tr_scenario *sc = NULL;
    snprintf(text, sizeof text, "\xEF\xBB\xBF%s", build(none));
    write_file(rpath("bom.yaml"), text, strlen(text));
    ck_assert_int_eq(tr_scenario_load(rpath("bom.yaml"), &sc), TR_OK);
    tr_scenario_free(sc);
    /* Latin-1 in a comment of the file: at load, with the byte offset */
    static const edit latin[] = {R(5, "currency: USD # caf\xE9"), {0, 0, NULL}};
    const char *l = build(latin);
    write_file(rpath("latin1.yaml"), l, strlen(l));
    ck_assert_int_eq(tr_scenario_load(rpath("latin1.yaml"), &sc), TR_E_PARSE);
    char want[512];
    snprintf(want, sizeof want, "%s:5:20: not UTF-8 text: byte 0xE9 at byte offset 102 is not valid UTF-8",
             rpath("latin1.yaml"));
    ck_assert_msg(strncmp(tr_last_error(), want, strlen(want)) == 0, "%s", tr_last_error());
    rm_tmp();
    const char *u16[] = {"test.yaml:1:1: ", "not UTF-8 text: it starts with a UTF-16 byte-order mark"};
    expect_text("UTF-16", "\xFF\xFE" "f\0o\0", TR_E_PARSE, u16, N_OF(u16));
    static const edit over[] = {R(2, "name: ti\xC0\xAFny"), {0, 0, NULL}};
    const char *om[] = {"test.yaml:2:9: ", "not UTF-8 text: byte 0xC0 at byte offset 27"};
    expect_text("overlong /", build(over), TR_E_PARSE, om, N_OF(om));
    static const edit sur[] = {R(2, "name: ti\xED\xA0\x80ny"), {0, 0, NULL}};
    const char *sm[] = {"test.yaml:2:9: ", "not UTF-8 text: byte 0xED at byte offset 27"};
    expect_text("surrogate", build(sur), TR_E_PARSE, sm, N_OF(sm));
    /* an edit's value and a CSV cell's flow text go through the same check */
    ck_assert_int_eq(tr_scenario_load(TR_TEST_DATA "/tiny.yaml", &sc), TR_OK);
    ck_assert_int_eq(tr_scenario_set(sc, "name", "caf\xE9"), TR_E_PARSE);
    ck_assert_msg(strstr(tr_last_error(), "<set name>:1:4: not UTF-8 text: byte 0xE9"), "%s", tr_last_error());
    tr_scenario_free(sc);
}
END_TEST

/* Item 9: a carrier `total` made a second energy.total (two rows in the
 * table, one in JSON and Python, a policy on energy.total took the built-in
 * one). Ids that make a built-in result name are bad input: carriers
 * (energy.total, intensity.energy.total, cumulative.energy.total) and
 * declared indicators (npv, cost, pv, cumulative, ...). */
START_TEST(ids_that_make_built_in_names)
{
    static const edit car[] = {R(9, "  total:"), R(13, "    emission_factors: {CO2: 1.0}\n  electricity: "
                                                     "{unit: MWh, price: 1}"),
                               {0, 0, NULL}};
    const char *cm[] = {"test.yaml:9:3: carriers.total: ",
                        "\"total\" would make the result name energy.total, which is built in; expected another id"};
    expect_text("carrier total", build(car), TR_E_INVAL, cm, N_OF(cm));
    /* by an edit too */
    tr_scenario *sc = NULL;
    ck_assert_int_eq(tr_scenario_load(TR_TEST_DATA "/tiny.yaml", &sc), TR_OK);
    ck_assert_int_eq(tr_scenario_set(sc, "carriers.total", "{unit: GJ, price: 5}"), TR_E_INVAL);
    ck_assert_msg(strstr(tr_last_error(), "carriers.total: \"total\" would make the result name energy.total"), "%s",
                  tr_last_error());
    ck_assert_int_eq(tr_scenario_set(sc, "indicators.cumulative", "{unit: x}"), TR_E_INVAL);
    ck_assert_msg(strstr(tr_last_error(), "indicators.cumulative: \"cumulative\" would make the result name "
                                          "cumulative, the first part of the built-in cumulative.investment"),
                  "%s", tr_last_error());
    const char *ids[] = {"npv", "pv", "cost", "energy", "production", "capacity", "policy", "adoption"};
    for (size_t i = 0; i < N_OF(ids); i++) {
        char yaml[64];
        snprintf(yaml, sizeof yaml, "indicators.%s", ids[i]);
        ck_assert_msg(tr_scenario_set(sc, yaml, "{unit: x}") == TR_E_INVAL, "indicator %s accepted", ids[i]);
    }
    /* ids that make no built-in name stay fine: a species or a plant `total` */
    ck_assert_int_eq(tr_scenario_set(sc, "species.total", "{unit: t}"), TR_OK);
    ck_assert_int_eq(tr_scenario_set(sc, "indicators.jobs", "{unit: FTE}"), TR_OK);
    ck_assert_int_eq(tr_scenario_set(sc, "carriers.total_gas", "{unit: GJ, price: 5}"), TR_OK);
    tr_scenario_free(sc);
}
END_TEST

/* Item 17: a file that extends another and retypes a policy, or removes a
 * required map with a null, got a message at the (valid) base file:
 * "pol_base.yaml:26:20: unknown key "indicator"", "base.yaml:1:1: plants:
 * required field is missing". The message is now at the extending file's
 * value and names the base's place and the merge. */
START_TEST(merge_errors_name_the_extending_file)
{
    mk_tmp();
    char base[2048];
    snprintf(base, sizeof base, "%s",
             "format: techroad/1\nname: base\ndiscount_rate: 0\nspecies: {CO2: {unit: t}}\ncarriers:\n"
             "  electricity:\n    unit: MWh\n    price: 100\n    emission_factors: {CO2: 1.0}\nplants:\n"
             "  p1: {capacity: 1000, production: 1000, intensity: {electricity: 1.0}}\npolicies:\n  pol:\n"
             "    type: cap\n    indicator: emissions.CO2\n    limit: 900\n");
    write_file(rpath("base.yaml"), base, strlen(base));
    tr_scenario *sc = NULL;
    ck_assert_int_eq(tr_scenario_load(rpath("base.yaml"), &sc), TR_OK);
    tr_scenario_free(sc);
    static const struct {
        const char *child, *want_at, *want;
    } cases[] = {
        {"extends: base.yaml\npolicies:\n  pol:\n    type: price\n    species: CO2\n    value: 10\n",
         "child.yaml:4:11: policies.pol.indicator: unknown key \"indicator\"",
         "base.yaml:15:5, in a map of "},
        {"extends: base.yaml\npolicies: {pol: {type: floor}}\n",   /* a floor needs no other key: limit is base's */
         NULL, NULL},
        {"extends: base.yaml\nplants: ~\n", "child.yaml:2:9: plants: required field is missing",
         "base.yaml:1:1 by `extends`, removes the value there)"},
        {"extends: base.yaml\ncarriers:\n  electricity: {price: ~}\n",
         "child.yaml:3:24: carriers.electricity.price: required field is missing",
         "base.yaml:7:5 by `extends`, removes the value there)"},
        {"extends: base.yaml\nplants:\n  p1: {capacity: 500}\n",
         "child.yaml:3:18: plants.p1.production: expected utilisation",
         "base.yaml:11:36, in a map of "},
    };
    for (size_t i = 0; i < N_OF(cases); i++) {
        write_file(rpath("child.yaml"), cases[i].child, strlen(cases[i].child));
        tr_status st = tr_scenario_load(rpath("child.yaml"), &sc);
        if (!cases[i].want) {
            ck_assert_msg(st == TR_OK, "case %zu: %s", i, tr_last_error());
            tr_scenario_free(sc);
            continue;
        }
        ck_assert_int_eq(st, TR_E_INVAL);
        char at[512];
        snprintf(at, sizeof at, "%s/%s", rtmp, cases[i].want_at);
        const char *e = tr_last_error();
        ck_assert_msg(strncmp(e, at, strlen(at)) == 0, "case %zu: %s", i, e);
        snprintf(at, sizeof at, "%s/%s", rtmp, cases[i].want);
        ck_assert_msg(strstr(e, at), "case %zu: lacks [%s]: %s", i, at, e);
        ck_assert_msg(strstr(e, "merge"), "case %zu: %s", i, e);
        check_location("merge", e);
        tr_error_location loc = tr_last_error_location();
        ck_assert_msg(strstr(loc.file, "child.yaml") != NULL, "case %zu: location %s", i, loc.file);
    }
    rm_tmp();
}
END_TEST

static TCase *table_case(const char *name, TTest const *t, size_t n)
{
    TCase *tc = tcase_create(name);
    tcase_add_loop_test(tc, t, 0, (int)n);
    return tc;
}
#define TABLE_CASE(s, name, table) suite_add_tcase((s), table_case((name), table##_test, N_OF(table)))

Suite *errors_suite(void)
{
    Suite *s = suite_create("errors");
    TCase *tc = tcase_create("base");
    tcase_add_test(tc, base_is_valid);
    suite_add_tcase(s, tc);

    TABLE_CASE(s, "format", format_cases);
    TABLE_CASE(s, "keys", key_cases);
    TABLE_CASE(s, "missing", missing_cases);
    TABLE_CASE(s, "types", type_cases);
    TABLE_CASE(s, "ranges", range_cases);
    TABLE_CASE(s, "references", ref_cases);
    TABLE_CASE(s, "policies", policy_cases);

    tc = table_case("years", year_cases_test, N_OF(year_cases));
    tcase_add_test(tc, years_that_do_not_matter);
    suite_add_tcase(s, tc);

    TABLE_CASE(s, "nonfinite", nonfinite_cases);

    tc = table_case("floors", floor_cases_test, N_OF(floor_cases));
    tcase_add_test(tc, floors_accepted);
    suite_add_tcase(s, tc);

    TABLE_CASE(s, "series", series_cases);

    tc = table_case("ids", id_cases_test, N_OF(id_cases));
    tcase_add_test(tc, long_ids);
    suite_add_tcase(s, tc);

    tc = table_case("yaml", yaml_cases_test, N_OF(yaml_cases));
    tcase_add_test(tc, not_a_map);
    suite_add_tcase(s, tc);

    tc = tcase_create("limits");
    tcase_add_test(tc, deep_flow_nesting);
    tcase_add_test(tc, deep_block_nesting);
    tcase_add_test(tc, billion_laughs);
    suite_add_tcase(s, tc);

    tc = table_case("extends", extends_cases_test, N_OF(extends_cases));
    tcase_add_test(tc, extends_files);
    suite_add_tcase(s, tc);

    TABLE_CASE(s, "csv", csv_cases);

    tc = tcase_create("files");
    tcase_add_checked_fixture(tc, tmp_setup, tmp_teardown);
    tcase_add_test(tc, file_errors);
    tcase_add_test(tc, error_locations);
    tcase_add_loop_test(tc, binary_garbage, 0, 16);
    tcase_add_test(tc, mutated_scenarios);
    suite_add_tcase(s, tc);

    tc = tcase_create("edit");
    tcase_add_checked_fixture(tc, sc_setup, sc_teardown);
    tcase_add_test(tc, set_bad_values);
    tcase_add_test(tc, set_bad_paths);
    tcase_add_test(tc, remove_errors);
    tcase_add_test(tc, get_and_value_errors);
    suite_add_tcase(s, tc);

    tc = tcase_create("api");
    tcase_add_checked_fixture(tc, sc_setup, sc_teardown);
    tcase_add_test(tc, null_arguments_scenario);
    tcase_add_test(tc, null_arguments_solve);
    tcase_add_test(tc, strerror_every_code);
    tcase_add_test(tc, every_load_status);
    tcase_add_test(tc, oom_load_and_edit);
    suite_add_tcase(s, tc);

    /* issue 17, reliability round 2 (tests/RELIABILITY.md) */
    tc = tcase_create("round2");
    tcase_add_test(tc, tags_of_the_core_schema);
    tcase_add_test(tc, alias_bytes_budget);
    tcase_add_test(tc, csv_text_is_checked);
    tcase_add_test(tc, yaml_text_is_checked);
    tcase_add_test(tc, ids_that_make_built_in_names);
    tcase_add_test(tc, merge_errors_name_the_extending_file);
    suite_add_tcase(s, tc);

    {
        /* regressions: bugs this suite found, fixed since */
        tc = tcase_create("regressions");
        tcase_add_test(tc, bug_group_not_a_scalar);
        tcase_add_test(tc, bug_missing_csv_message);
        tcase_add_test(tc, bug_csv_flow_cell_message);
        tcase_add_test(tc, bug_csv_line_numbers);
        tcase_add_test(tc, bug_reader_error_position);
        tcase_add_test(tc, bug_duplicate_key_path);
        tcase_add_test(tc, bug_format_checked_first);
        tcase_add_test(tc, bug_lifetime_range_message);
        tcase_add_test(tc, bug_csv_oom_status);
        tcase_add_checked_fixture(tc, sc_setup, sc_teardown);
        tcase_add_test(tc, bug_set_extends);
        suite_add_tcase(s, tc);
    }
    return s;
}
