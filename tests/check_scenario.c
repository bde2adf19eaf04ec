/* Scenario tests: CSV tables, extends and deep merge, series, editing,
 * round trips through YAML, hashing and object lifetimes. */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixtures.h"

#define NEAR(a, b, rel) \
    ck_assert_msg(fabs((double)(a) - (double)(b)) <= (rel) * fmax(1.0, fabs((double)(b))), "%s = %.12g, expected %.12g", #a, (double)(a), (double)(b))

static tr_scenario *load_data(const char *rel)
{
    char p[4096];
    snprintf(p, sizeof p, "%s/%s", TR_TEST_DATA, rel);
    return fx_load_file(p);
}

START_TEST(csv_tables_equal_inline_yaml)
{
    tr_scenario *a = load_data("csv/scenario.yaml"), *b = load_data("csv/inline.yaml");
    ck_assert_uint_eq(tr_scenario_count(a, TR_ITEM_PLANT), 2);
    ck_assert_uint_eq(tr_scenario_count(a, TR_ITEM_TECHNOLOGY), 3);
    ck_assert_str_eq(tr_scenario_id(a, TR_ITEM_PLANT, 1), "small");
    double v;
    ck_assert_int_eq(tr_scenario_value(a, "plants.big.production", 2025, &v), TR_OK);
    NEAR(v, 875000, 1e-12);
    ck_assert_int_eq(tr_scenario_value(a, "technologies.burners.effects.natural_gas.relative", 2020, &v), TR_OK);
    NEAR(v, 0.5, 0);
    tr_result *ra = fx_solve(a), *rb = fx_solve(b);
    NEAR(tr_result_npv(ra), tr_result_npv(rb), 1e-12);
    for (size_t t = 0; t < 11; t++) {
        NEAR(fx_series(ra, "emissions.CO2", t), fx_series(rb, "emissions.CO2", t), 1e-12);
        NEAR(fx_series(ra, "adoption.shaft", t), fx_series(rb, "adoption.shaft", t), 1e-12);
    }
    tr_result_free(ra);
    tr_result_free(rb);
    tr_scenario_free(a);
    tr_scenario_free(b);
}
END_TEST

START_TEST(extends_deep_merge)
{
    /* the child changes one price point and one field of a technology */
    tr_scenario *sc = load_data("merge_child.yaml");
    double v;
    ck_assert_str_eq(tr_scenario_name(sc), "child");
    ck_assert_int_eq(tr_scenario_value(sc, "carriers.electricity.price", 2021, &v), TR_OK);
    NEAR(v, 150, 0);   /* replaced: a number replaces the whole value */
    ck_assert_int_eq(tr_scenario_value(sc, "technologies.eff.capex", 2020, &v), TR_OK);
    NEAR(v, 20, 0);   /* child's */
    ck_assert_int_eq(tr_scenario_value(sc, "technologies.eff.lifetime", 2020, &v), TR_OK);
    NEAR(v, 10, 0);   /* kept from the parent */
    ck_assert_int_eq(tr_scenario_value(sc, "plants.p1.intensity.electricity", 2020, &v), TR_OK);
    NEAR(v, 1.0, 0);
    char *y = NULL;
    ck_assert_int_eq(tr_scenario_get(sc, "extends", &y), TR_E_NOTFOUND);
    tr_scenario_free(sc);
}
END_TEST

START_TEST(series_interpolation)
{
    tr_scenario *sc = fx_load_text(fx_yaml(
        "format: techroad/1", "name: s", "discount_rate: 0.05",
        "carriers:",
        "  e: {unit: MWh, price: {2020: 10, 2030: 20}}",
        "  f: {unit: GJ, price: {2022: 4, 2024: 8, 2028: 6, interp: cspline}}",
        "  g: {unit: GJ, price: {2025: 7}}",
        "plants: {p: {capacity: 1, production: 1, intensity: {e: 1}}}", NULL));
    double v;
    ck_assert_int_eq(tr_scenario_value(sc, "carriers.e.price", 2023, &v), TR_OK);
    NEAR(v, 13, 1e-12);
    ck_assert_int_eq(tr_scenario_value(sc, "carriers.e.price", 2040, &v), TR_OK);
    NEAR(v, 20, 0);   /* flat after the last point */
    ck_assert_int_eq(tr_scenario_value(sc, "carriers.f.price", 2020, &v), TR_OK);
    NEAR(v, 4, 0);    /* flat before the first point */
    ck_assert_int_eq(tr_scenario_value(sc, "carriers.f.price", 2024, &v), TR_OK);
    NEAR(v, 8, 1e-12);   /* the spline passes through its points */
    /* natural cubic spline through (2022,4) (2024,8) (2028,6): second
     * derivative at 2024 m solves 2(2+4)m = 6((6-8)/4 - (8-4)/2) -> m = -1.25;
     * at 2023: 4 + (2 - (-1.25)*2*2/6... ) evaluated by the formula below */
    double h = 2, m1 = -1.25, t = 1;
    double s2023 = 4 * (h - t) / h + 8 * t / h + (m1 / 6) * ((t * t * t) / h - h * t);
    ck_assert_int_eq(tr_scenario_value(sc, "carriers.f.price", 2023, &v), TR_OK);
    NEAR(v, s2023, 1e-12);
    ck_assert_int_eq(tr_scenario_value(sc, "carriers.g.price", 2020, &v), TR_OK);
    NEAR(v, 7, 0);   /* one point: constant */
    ck_assert_int_eq(tr_scenario_value(sc, "carriers.nothere.price", 2020, &v), TR_E_NOTFOUND);
    tr_scenario_free(sc);
}
END_TEST

START_TEST(set_get_remove)
{
    tr_scenario *sc = load_data("tiny.yaml");
    char sha0[65];
    snprintf(sha0, sizeof sha0, "%s", tr_scenario_sha256(sc));
    ck_assert_int_eq(tr_scenario_set(sc, "carriers.electricity.price", "{2020: 90, 2022: 110}"), TR_OK);
    double v;
    ck_assert_int_eq(tr_scenario_value(sc, "carriers.electricity.price", 2021, &v), TR_OK);
    NEAR(v, 100, 1e-12);
    ck_assert_str_ne(tr_scenario_sha256(sc), sha0);
    char *y = NULL;
    ck_assert_int_eq(tr_scenario_get(sc, "carriers.electricity.price", &y), TR_OK);
    ck_assert_ptr_nonnull(strstr(y, "2022: 110"));
    tr_string_free(y);
    /* add a policy, then drop it */
    ck_assert_int_eq(tr_scenario_set(sc, "policies.cap", "{type: cap, indicator: emissions.CO2, limit: 900}"), TR_OK);
    ck_assert_uint_eq(tr_scenario_count(sc, TR_ITEM_POLICY), 1);
    ck_assert_int_eq(tr_scenario_remove(sc, "policies.cap"), TR_OK);
    ck_assert_uint_eq(tr_scenario_count(sc, TR_ITEM_POLICY), 0);
    ck_assert_int_eq(tr_scenario_remove(sc, "policies.cap"), TR_E_NOTFOUND);
    /* a bad edit leaves the scenario unchanged */
    char sha1[65];
    snprintf(sha1, sizeof sha1, "%s", tr_scenario_sha256(sc));
    ck_assert_int_eq(tr_scenario_set(sc, "technologies.eff.lifetime", "twenty"), TR_E_INVAL);
    ck_assert_ptr_nonnull(strstr(tr_last_error(), "technologies.eff.lifetime"));
    ck_assert_ptr_nonnull(strstr(tr_last_error(), "expected an integer from 1 to 1000"));
    ck_assert_str_eq(tr_scenario_sha256(sc), sha1);
    ck_assert_int_eq(tr_scenario_value(sc, "technologies.eff.lifetime", 2020, &v), TR_OK);
    NEAR(v, 10, 0);
    tr_scenario_free(sc);
}
END_TEST

/* Writing the effective scenario and loading it back gives the same
 * scenario (same hash, same result) for every shipped scenario. */
START_TEST(yaml_round_trip)
{
    for (const char *const *p = fx_all_scenarios(); *p; p++) {
        tr_scenario *a = fx_load_file(*p);
        char *y = NULL;
        ck_assert_int_eq(tr_scenario_to_yaml(a, &y), TR_OK);
        tr_scenario *b = fx_load_text(y);
        ck_assert_msg(strcmp(tr_scenario_sha256(a), tr_scenario_sha256(b)) == 0, "%s: hash changes on round trip", *p);
        char *y2 = NULL;
        ck_assert_int_eq(tr_scenario_to_yaml(b, &y2), TR_OK);
        ck_assert_str_eq(y, y2);
        tr_string_free(y);
        tr_string_free(y2);
        tr_scenario_free(a);
        tr_scenario_free(b);
    }
}
END_TEST

START_TEST(copy_is_independent_and_free_order)
{
    tr_scenario *a = load_data("tiny.yaml"), *b = NULL;
    ck_assert_int_eq(tr_scenario_copy(a, &b), TR_OK);
    ck_assert_str_eq(tr_scenario_sha256(a), tr_scenario_sha256(b));
    ck_assert_int_eq(tr_scenario_set(b, "carriers.electricity.price", "200"), TR_OK);
    ck_assert_str_ne(tr_scenario_sha256(a), tr_scenario_sha256(b));
    /* a model outlives its scenario; a result outlives its model */
    tr_model *m = NULL;
    ck_assert_int_eq(tr_model_new(a, &m), TR_OK);
    tr_scenario_free(a);
    ck_assert_int_eq(tr_scenario_set(b, "carriers.electricity.price", "300"), TR_OK);
    tr_result *r = NULL;
    ck_assert_int_eq(tr_model_solve(m, NULL, &r), TR_OK);
    tr_model_free(m);
    ck_assert_int_eq(tr_result_status(r), TR_SOL_OPTIMAL);
    ck_assert_str_eq(tr_result_scenario_name(r), "tiny");
    tr_result_free(r);
    tr_scenario_free(b);
    tr_scenario_free(NULL);
    tr_model_free(NULL);
    tr_result_free(NULL);
}
END_TEST

START_TEST(yaml_features)
{
    /* anchors, aliases and merge keys */
    tr_scenario *sc = fx_load_text(fx_yaml(
        "format: techroad/1", "name: anchors", "discount_rate: 0.05",
        "carriers: {e: {unit: MWh, price: &p {2020: 10, 2030: 20}}, f: {unit: GJ, price: *p}}",
        "plants:",
        "  a: &plant {capacity: 10, production: 5, intensity: {e: 1}}",
        "  b: {<<: *plant, production: 8}", NULL));
    double v;
    ck_assert_int_eq(tr_scenario_value(sc, "carriers.f.price", 2030, &v), TR_OK);
    NEAR(v, 20, 0);
    ck_assert_int_eq(tr_scenario_value(sc, "plants.b.production", 2020, &v), TR_OK);
    NEAR(v, 8, 0);
    ck_assert_int_eq(tr_scenario_value(sc, "plants.b.capacity", 2020, &v), TR_OK);
    NEAR(v, 10, 0);
    tr_scenario_free(sc);
}
END_TEST

START_TEST(export_lp_is_named)
{
    tr_scenario *sc = load_data("tiny.yaml");
    tr_model *m = NULL;
    ck_assert_int_eq(tr_model_new(sc, &m), TR_OK);
    /* 1 pair x 3 years x (a, n, q) columns; 3 stock rows */
    ck_assert_uint_eq(tr_model_col_count(m), 9);
    ck_assert_uint_eq(tr_model_row_count(m), 3);
    char path[] = "/tmp/techroad-test-XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    for (int f = TR_LP_CPLEX; f <= TR_LP_GLPK; f++) {
        ck_assert_int_eq(tr_model_write_lp(m, (tr_lp_format)f, path), TR_OK);
        FILE *fp = fopen(path, "rb");
        char buf[65536];
        size_t n = fread(buf, 1, sizeof buf - 1, fp);
        buf[n] = '\0';
        fclose(fp);
        ck_assert_msg(strstr(buf, "stock[p1,eff,2021]") || strstr(buf, "stock(p1,eff,2021)"),
                      "format %d lacks row names:\n%s", f, buf);
    }
    remove(path);
    ck_assert_int_eq(tr_model_write_lp(m, TR_LP_CPLEX, "/dev/null/x.lp"), TR_E_IO);
    tr_model_free(m);
    tr_scenario_free(sc);
}
END_TEST

/* Issue 17 item 18: a pipe as the scenario (`cat x | techroad validate
 * /dev/stdin`, bash's <(...)) said "cannot read: No such file or
 * directory": realpath() followed /dev/fd/N to "pipe:[...]". A pipe is read
 * to its end; a pipe without a name has no folder, so its relative paths
 * start from the current one. `extends` and CSV tables still refuse pipes
 * (check_stress bug_fifo_blocks). */
static tr_status load_through_pipe(const char *text, tr_scenario **sc)
{
    int fd[2];
    ck_assert_int_eq(pipe(fd), 0);
    ck_assert_int_eq(write(fd[1], text, strlen(text)), (ssize_t)strlen(text));   /* < the pipe's 64 KB */
    close(fd[1]);
    char path[64];
    snprintf(path, sizeof path, "/dev/fd/%d", fd[0]);
    *sc = NULL;
    tr_status st = tr_scenario_load(path, sc);
    close(fd[0]);
    return st;
}

START_TEST(scenario_from_a_pipe)
{
    tr_scenario *file = load_data("tiny.yaml"), *sc = NULL;
    FILE *f = fopen(TR_TEST_DATA "/tiny.yaml", "r");
    ck_assert_ptr_nonnull(f);
    char text[8192];
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    ck_assert_int_eq(load_through_pipe(text, &sc), TR_OK);
    ck_assert_str_eq(tr_scenario_sha256(sc), tr_scenario_sha256(file));
    tr_scenario_free(sc);
    /* relative `extends` from the current folder */
    char cwd[4096];
    ck_assert_ptr_nonnull(getcwd(cwd, sizeof cwd));
    ck_assert_int_eq(chdir(TR_TEST_DATA), 0);
    tr_status st = load_through_pipe("extends: tiny.yaml\nname: piped\n", &sc);
    ck_assert_int_eq(chdir(cwd), 0);
    ck_assert_msg(st == TR_OK, "%s", tr_last_error());
    ck_assert_str_eq(tr_scenario_name(sc), "piped");
    ck_assert_uint_eq(tr_scenario_count(sc, TR_ITEM_PLANT), 1);
    tr_scenario_free(sc);
    /* errors name the pipe's path, with line and column */
    ck_assert_int_eq(load_through_pipe("format: techroad/1\nname: [\n", &sc), TR_E_PARSE);
    ck_assert_ptr_null(sc);
    ck_assert_msg(strncmp(tr_last_error(), "/dev/fd/", 8) == 0 && strstr(tr_last_error(), ":3:1: not valid YAML"),
                  "%s", tr_last_error());
    ck_assert_int_eq(load_through_pipe("", &sc), TR_E_PARSE);
    ck_assert_msg(strstr(tr_last_error(), "the file is empty"), "%s", tr_last_error());
    /* a named FIFO without a writer reads as empty at once, never blocks */
    char fifo[] = "/tmp/tr_fifo_XXXXXX";
    ck_assert_ptr_nonnull(mkdtemp(fifo));
    char fpath[64];
    snprintf(fpath, sizeof fpath, "%s/s.yaml", fifo);
    ck_assert_int_eq(mkfifo(fpath, 0600), 0);
    ck_assert_int_eq(tr_scenario_load(fpath, &sc), TR_E_PARSE);
    ck_assert_msg(strstr(tr_last_error(), "the file is empty"), "%s", tr_last_error());
    unlink(fpath);
    rmdir(fifo);
    tr_scenario_free(file);
}
END_TEST

Suite *scenario_suite(void)
{
    Suite *s = suite_create("scenario");
    TCase *tc = tcase_create("load");
    tcase_add_test(tc, csv_tables_equal_inline_yaml);
    tcase_add_test(tc, extends_deep_merge);
    tcase_add_test(tc, series_interpolation);
    tcase_add_test(tc, yaml_features);
    tcase_add_test(tc, scenario_from_a_pipe);
    suite_add_tcase(s, tc);
    tc = tcase_create("edit");
    tcase_add_test(tc, set_get_remove);
    tcase_add_test(tc, yaml_round_trip);
    tcase_add_test(tc, copy_is_independent_and_free_order);
    tcase_add_test(tc, export_lp_is_named);
    suite_add_tcase(s, tc);
    return s;
}
