#include <check.h>
#include <dirent.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixtures.h"

tr_scenario *fx_load_text(const char *yaml)
{
    tr_scenario *sc = NULL;
    tr_status st = tr_scenario_loads(yaml, TR_TEST_DATA, "test.yaml", &sc);
    ck_assert_msg(st == TR_OK, "load failed: %s", tr_last_error());
    return sc;
}

tr_scenario *fx_load_file(const char *path)
{
    char full[4096];
    if (path[0] == '/')
        snprintf(full, sizeof full, "%s", path);
    else
        snprintf(full, sizeof full, "%s/%s", TR_SCENARIO_DIR, path);
    tr_scenario *sc = NULL;
    tr_status st = tr_scenario_load(full, &sc);
    ck_assert_msg(st == TR_OK, "load %s failed: %s", full, tr_last_error());
    return sc;
}

tr_result *fx_solve(const tr_scenario *sc)
{
    tr_result *r = NULL;
    tr_status st = tr_scenario_solve(sc, NULL, &r);
    ck_assert_msg(st == TR_OK, "solve failed: %s", tr_last_error());
    return r;
}

double fx_series(const tr_result *r, const char *name, size_t t)
{
    size_t i;
    if (tr_result_series_find(r, name, &i) != TR_OK)
        return NAN;
    size_t n = tr_result_year_count(r);
    double *v = malloc(n * sizeof *v);
    tr_result_get_series(r, i, v, n);
    double x = t < n ? v[t] : NAN;
    free(v);
    return x;
}

double fx_total(const tr_result *r, const char *name)
{
    for (size_t i = 0; i < tr_result_total_count(r); i++)
        if (strcmp(tr_result_total_name(r, i), name) == 0)
            return tr_result_total_value(r, i);
    return NAN;
}

tr_status fx_load_error(const char *yaml, char *msg, size_t n)
{
    tr_scenario *sc = NULL;
    tr_status st = tr_scenario_loads(yaml, TR_TEST_DATA, "test.yaml", &sc);
    snprintf(msg, n, "%s", st == TR_OK ? "" : tr_last_error());
    tr_scenario_free(sc);
    return st;
}

const char *fx_yaml(const char *first, ...)
{
    static char buf[65536];
    buf[0] = '\0';
    va_list ap;
    va_start(ap, first);
    for (const char *l = first; l; l = va_arg(ap, const char *)) {
        strncat(buf, l, sizeof buf - strlen(buf) - 2);
        strcat(buf, "\n");
    }
    va_end(ap);
    return buf;
}

tr_scenario *fx_two_candidates(const char *name, const char *demand)
{
    static const char *cand = "    product: steel\n    intensity: {electricity: 0.4}\n    other_cost: 290\n"
                              "    build: {capex: 200, fixed_om: 5, lifetime: 20, available_from: 2021, "
                              "utilisation: 0.9}\n";
    char text[4096];
    snprintf(text, sizeof text,
             "format: techroad/1\nname: %s\nhorizon: {start: 2020, end: 2024}\n"
             "discount_rate: 0.05\ncurrency: USD\nproducts: {steel: {name: steel, unit: t}}\n"
             "species: {CO2: {unit: t}}\n"
             "carriers: {electricity: {unit: MWh, price: 80, emission_factors: {CO2: 0.8}}}\n"
             "plants:\n  old:\n    product: steel\n    capacity: 1000\n    production: 900\n"
             "    intensity: {electricity: 0.6}\n    other_cost: 300\n    closable: true\n    closure_cost: 10\n"
             "  new_a:\n%s  new_b:\n%s"
             "demand: {steel: %s}\n"
             "imports: {steel: {price: 420, max: 100000}}\n"
             "technologies: {vsd: {effects: {electricity: -0.05}, capex: 10, lifetime: 10}}\n"
             "policies: {co2: {type: cap, indicator: emissions.CO2, limit: {2022: 600, 2024: 700}}}\n",
             name, cand, cand, demand);
    return fx_load_text(text);
}

static char *paths[512];
static size_t npaths;

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static void walk(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d)) && npaths + 1 < sizeof paths / sizeof *paths) {
        if (e->d_name[0] == '.')
            continue;
        char p[4096];
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        struct stat sb;
        if (stat(p, &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode))
            walk(p);
        else if (strlen(e->d_name) > 5 && strcmp(e->d_name + strlen(e->d_name) - 5, ".yaml") == 0 &&
                 strncmp(e->d_name, "references", 10) != 0)   /* citation files, not scenarios */
            paths[npaths++] = strdup(p);
    }
    closedir(d);
}

const char *const *fx_all_scenarios(void)
{
    if (!npaths) {
        walk(TR_SCENARIO_DIR);
        qsort(paths, npaths, sizeof *paths, cmp);
        paths[npaths] = NULL;
    }
    return (const char *const *)paths;
}

void fx_synthetic(int plants, int seed, char *path, size_t n)
{
    ck_assert_uint_ge(n, 32);
    snprintf(path, n, "/tmp/techroad-synth-XXXXXX");
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "%s %d %d %s >/dev/null", TR_GEN_SYNTHETIC, plants, seed, path);
    ck_assert_msg(system(cmd) == 0, "%s failed", cmd);
}
