/* Myopic foresight (rolling horizon, docs/MODEL.md §14): a hand-solved
 * three-year case where a one-year view delays an investment, a window that
 * paints itself into a corner (its diagnosis), foresight at least the
 * horizon giving the perfect-foresight result byte for byte, the stitched
 * roadmap re-verified against every row of the full LP (read back with
 * GLPK from the model's MPS file, independently of the library's own
 * check), NPV never below perfect foresight on every shipped scenario, and
 * bad options. */
#include <check.h>
#include <glpk.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <unistd.h>

#include "fixtures.h"

static tr_result *solve_n(const tr_scenario *sc, int N, int K)
{
    tr_solve_opts o;
    tr_solve_opts_init(&o);
    o.foresight = N;
    o.foresight_step = K;
    tr_result *r = NULL;
    tr_status st = tr_scenario_solve(sc, &o, &r);
    ck_assert_msg(st == TR_OK, "solve (foresight %d, step %d) failed: %s", N, K, tr_last_error());
    return r;
}

static void installed(const tr_result *r, double *v)
{
    ck_assert_int_eq(tr_result_get_installed(r, 0, 0, v, 3), TR_OK);
}

/* The hand-solved case. 2020-2022, discount rate 0 (df = 1), one plant of
 * 1000 t/yr fully used, electricity 1 MWh/t at 2 USD/MWh in 2020-2021 and
 * 70 USD/MWh in 2022 (a price shock announced for 2022). One technology
 * saves 0.5 MWh/t, capex 100 USD/(t/yr), lifetime 10, hurdle 0: CRF = 0.1,
 * an annuity of 10 USD per t/yr and year, paid in the horizon from the
 * installation year on; at most 500 t/yr newly equipped a year.
 * A unit (t/yr) equipped saves 0.5 * 2 = 1 USD a year in 2020-2021 and
 * 0.5 * 70 = 35 USD in 2022.
 * Perfect foresight, per unit installed in year t, annuities to 2022
 * against savings to 2022:
 *   2020: -30 + 1 + 1 + 35 = +7;  2021: -20 + 1 + 35 = +16;  2022: -10 + 35 = +25.
 * At most 1000 t/yr can be equipped (applicability 1), 500 a year: the best
 * 1000 units are 500 in 2022 and 500 in 2021: n = (0, 500, 500).
 * NPV = baseline energy 1000 * (2 + 2 + 70) = 74000 + annuities
 * 500 * 20 + 500 * 10 = 15000 - savings 500 * 1 (2021) + 1000 * 35 (2022)
 * = 35500: NPV = 53500.
 * Foresight 1: in 2020 and 2021 the window sees one year's annuity (10)
 * against one year's saving (1): nothing; in 2022: +25, n = 500. So
 * n = (0, 0, 500): myopia delays the 2021 installation, and the plant is
 * half equipped in 2022 instead of fully.
 * NPV = 74000 + 500 * 10 - 500 * 35 = 61500: the cost of myopia is 8000.
 * Foresight 2: window 2020-2021 sees 2 years: -20 + 2, -10 + 1: nothing;
 * window 2021-2022 reaches the end and is solved like perfect foresight
 * with 2020 fixed at 0: n = (0, 500, 500), NPV 53500. */
static const char *hand(const char *price2022, const char *policies)
{
    static char y[4096];
    snprintf(y, sizeof y,
             "format: techroad/1\n"
             "name: myopic-hand\n"
             "horizon: {start: 2020, end: 2022}\n"
             "discount_rate: 0\n"
             "currency: USD\n"
             "species: {CO2: {unit: t}}\n"
             "carriers:\n"
             "  electricity: {unit: MWh, energy_content: 3.6, price: {2021: 2, 2022: %s}}\n"
             "plants:\n"
             "  p1: {capacity: 1000, production: 1000, intensity: {electricity: 1.0}}\n"
             "technologies:\n"
             "  eff:\n"
             "    effects: {electricity: -0.5}\n"
             "    capex: 100\n"
             "    lifetime: 10\n"
             "    hurdle_rate: 0\n"
             "    max_uptake: 0.5\n"
             "%s",
             price2022, policies ? policies : "");
    return y;
}

START_TEST(hand_delay)
{
    tr_scenario *sc = fx_load_text(hand("70", NULL));
    double v[3];
    tr_result *pf = fx_solve(sc);
    ck_assert_int_eq(tr_result_status(pf), TR_SOL_OPTIMAL);
    ck_assert_double_eq_tol(tr_result_npv(pf), 53500, 1e-6);
    installed(pf, v);
    ck_assert_double_eq_tol(v[0], 0, 1e-9);
    ck_assert_double_eq_tol(v[1], 500, 1e-9);
    ck_assert_double_eq_tol(v[2], 500, 1e-9);

    tr_result *m1 = solve_n(sc, 1, 1);
    ck_assert_int_eq(tr_result_status(m1), TR_SOL_OPTIMAL);
    ck_assert_double_eq_tol(tr_result_npv(m1), 61500, 1e-6);
    installed(m1, v);
    ck_assert_double_eq_tol(v[0], 0, 1e-9);
    ck_assert_double_eq_tol(v[1], 0, 1e-9);
    ck_assert_double_eq_tol(v[2], 500, 1e-9);
    ck_assert_double_eq_tol(fx_series(m1, "adoption.eff", 2), 0.5, 1e-12);
    ck_assert_double_eq_tol(fx_series(pf, "adoption.eff", 2), 1.0, 1e-12);

    tr_result *m2 = solve_n(sc, 2, 1);
    ck_assert_double_eq_tol(tr_result_npv(m2), 53500, 1e-6);
    installed(m2, v);
    ck_assert_double_eq_tol(v[1], 500, 1e-9);
    ck_assert_double_eq_tol(v[2], 500, 1e-9);

    /* step 2 with foresight 2: the window 2020-2021 is kept whole (nothing
     * installed), then 2022 alone: as foresight 1 */
    tr_result *m22 = solve_n(sc, 2, 2);
    ck_assert_double_eq_tol(tr_result_npv(m22), 61500, 1e-6);

    /* the provenance says how it was solved */
    char *js = NULL;
    ck_assert_int_eq(tr_result_write_string(m1, TR_FMT_JSON, &js), TR_OK);
    json_t *o = json_loads(js, 0, NULL);
    ck_assert_ptr_nonnull(o);
    json_t *fs = json_object_get(json_object_get(o, "provenance"), "foresight");
    ck_assert_ptr_nonnull(fs);
    ck_assert_int_eq(json_integer_value(json_object_get(fs, "years")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(fs, "step")), 1);
    ck_assert_int_eq(json_integer_value(json_object_get(fs, "windows")), 3);
    json_decref(o);
    tr_string_free(js);
    tr_result_free(pf);
    tr_result_free(m1);
    tr_result_free(m2);
    tr_result_free(m22);
    tr_scenario_free(sc);
}
END_TEST

/* A mandate of full adoption in 2022 with no saving worth the capex
 * (electricity at 2 USD/MWh throughout): perfect foresight installs 500 in
 * 2021 and 500 in 2022 (500 a year at most). A one-year view installs
 * nothing before 2022 and can reach only 500 / 1000 = 0.5 then: the window
 * 2022-2022 is infeasible, and the diagnosis names it, the policy and the
 * year. A two-year view sees 2022 from 2021: feasible. */
START_TEST(infeasible_window)
{
    tr_scenario *sc = fx_load_text(hand("2", "policies:\n"
                                              "  full:\n"
                                              "    type: mandate\n"
                                              "    technology: eff\n"
                                              "    share: 1.0\n"
                                              "    years: [2022, 2022]\n"));
    tr_result *pf = fx_solve(sc);
    ck_assert_int_eq(tr_result_status(pf), TR_SOL_OPTIMAL);
    tr_result *m1 = solve_n(sc, 1, 1);
    ck_assert_int_eq(tr_result_status(m1), TR_SOL_INFEASIBLE);
    ck_assert(isnan(tr_result_npv(m1)));
    ck_assert_uint_eq(tr_result_diagnosis_count(m1), 1);
    tr_diagnosis d;
    ck_assert_int_eq(tr_result_get_diagnosis(m1, 0, &d), TR_OK);
    ck_assert_str_eq(d.policy, "full");
    ck_assert_int_eq(d.year, 2022);
    ck_assert_double_eq_tol(d.reachable, 0.5, 1e-9);
    ck_assert_double_eq_tol(d.limit, 1.0, 1e-12);
    ck_assert_msg(strstr(d.message, "myopic window 2022-2022 (foresight 1 year)") == d.message, "%s", d.message);
    char *js = NULL;
    ck_assert_int_eq(tr_result_write_string(m1, TR_FMT_JSON, &js), TR_OK);
    json_t *o = json_loads(js, 0, NULL);
    const char *msg = json_string_value(json_object_get(o, "message"));
    ck_assert_ptr_nonnull(msg);
    ck_assert_msg(strstr(msg, "myopic window 2022-2022 (foresight 1 year) is infeasible given the decisions "
                              "taken for 2020-2021"),
                  "%s", msg);
    json_decref(o);
    tr_string_free(js);
    tr_result *m2 = solve_n(sc, 2, 1);
    ck_assert_int_eq(tr_result_status(m2), TR_SOL_OPTIMAL);
    ck_assert_double_eq_tol(tr_result_npv(m2), tr_result_npv(pf), 1e-6 * tr_result_npv(pf));
    tr_result_free(pf);
    tr_result_free(m1);
    tr_result_free(m2);
    tr_scenario_free(sc);
}
END_TEST

/* the JSON of a result without its provenance */
static char *json_sans_provenance(const tr_result *r)
{
    char *js = NULL;
    ck_assert_int_eq(tr_result_write_string(r, TR_FMT_JSON, &js), TR_OK);
    json_t *o = json_loads(js, 0, NULL);
    ck_assert_ptr_nonnull(o);
    tr_string_free(js);
    json_object_del(o, "provenance");
    char *s = json_dumps(o, JSON_SORT_KEYS | JSON_REAL_PRECISION(17));
    json_decref(o);
    return s;
}

/* Re-verify a stitched roadmap against every row and column bound of the
 * model's LP, read back by GLPK from its MPS file: a[p,k,y] and n[p,k,y]
 * from the result, q[p,k,y] from the stock identity (its rows then hold by
 * construction; q >= 0 is checked as its bound). Only for models whose
 * columns are a, n and q (no §12 columns): returns 0 when it cannot check. */
static int rows_hold(const tr_scenario *sc, const tr_result *r, char *why, size_t nwhy)
{
    tr_model *m = NULL;
    ck_assert_int_eq(tr_model_new(sc, &m), TR_OK);
    char path[] = "/tmp/tr_myopic_XXXXXX";
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    close(fd);
    ck_assert_int_eq(tr_model_write_lp(m, TR_LP_MPS, path), TR_OK);
    tr_model_free(m);
    glp_term_out(GLP_OFF);
    glp_prob *lp = glp_create_prob();
    ck_assert_int_eq(glp_read_mps(lp, GLP_MPS_FILE, NULL, path), 0);
    unlink(path);
    size_t P = tr_scenario_count(sc, TR_ITEM_PLANT), K = tr_scenario_count(sc, TR_ITEM_TECHNOLOGY);
    size_t Y = tr_result_year_count(r);
    int start = tr_result_year(r, 0);
    int nc = glp_get_num_cols(lp), nr = glp_get_num_rows(lp);
    double *x = calloc((size_t)nc + 1, sizeof *x), *a = calloc(Y, sizeof *a), *n = calloc(Y, sizeof *n);
    int ok = 1;
    for (int j = 1; j <= nc && ok; j++) {
        const char *name = glp_get_col_name(lp, j);
        char kind = name[0], pid[128], tid[128];
        int y;
        if ((kind != 'a' && kind != 'n' && kind != 'q') || sscanf(name + 1, "[%127[^,],%127[^,],%d]", pid, tid, &y) != 3) {
            ok = 0;   /* a column this check does not know */
            break;
        }
        size_t p = 0, k = 0;
        while (p < P && strcmp(tr_scenario_id(sc, TR_ITEM_PLANT, p), pid))
            p++;
        while (k < K && strcmp(tr_scenario_id(sc, TR_ITEM_TECHNOLOGY, k), tid))
            k++;
        ck_assert(p < P && k < K);
        size_t t = (size_t)(y - start);
        ck_assert_int_eq(tr_result_get_equipped(r, p, k, a, Y), TR_OK);
        ck_assert_int_eq(tr_result_get_installed(r, p, k, n, Y), TR_OK);
        if (kind == 'a')
            x[j] = a[t];
        else if (kind == 'n')
            x[j] = n[t];
        else {
            /* a[y] = a[y-1] + n[y] - n[y-L] - q[y]: L from the stock row is
             * not needed, the row itself gives q as its residual below */
            x[j] = NAN;
        }
    }
    /* q from each stock row: the row's activity without q, q = -that + rhs */
    for (int i = 1; i <= nr && ok; i++) {
        const char *rn = glp_get_row_name(lp, i);
        if (strncmp(rn, "stock[", 6))
            continue;
        int len = glp_get_mat_row(lp, i, NULL, NULL);
        int *ind = calloc((size_t)len + 1, sizeof *ind);
        double *val = calloc((size_t)len + 1, sizeof *val), act = 0;
        glp_get_mat_row(lp, i, ind, val);
        int qj = 0;
        for (int e = 1; e <= len; e++) {
            if (glp_get_col_name(lp, ind[e])[0] == 'q')
                qj = ind[e];
            else
                act += val[e] * x[ind[e]];
        }
        if (qj)
            x[qj] = glp_get_row_lb(lp, i) - act;   /* q's coefficient is +1 */
        free(ind);
        free(val);
    }
    for (int j = 1; j <= nc && ok; j++) {
        int t = glp_get_col_type(lp, j);
        double lb = glp_get_col_lb(lp, j), ub = glp_get_col_ub(lp, j), tol = 1e-6 * fmax(1, fabs(x[j]));
        if (isnan(x[j]) || ((t == GLP_LO || t == GLP_DB || t == GLP_FX) && x[j] < lb - tol) ||
            ((t == GLP_UP || t == GLP_DB || t == GLP_FX) && x[j] > ub + tol)) {
            snprintf(why, nwhy, "column %s = %g outside [%g, %g]", glp_get_col_name(lp, j), x[j], lb, ub);
            ok = -1;
        }
    }
    for (int i = 1; i <= nr && ok == 1; i++) {
        int len = glp_get_mat_row(lp, i, NULL, NULL);
        int *ind = calloc((size_t)len + 1, sizeof *ind);
        double *val = calloc((size_t)len + 1, sizeof *val), act = 0, mag = 0;
        glp_get_mat_row(lp, i, ind, val);
        for (int e = 1; e <= len; e++) {
            act += val[e] * x[ind[e]];
            mag += fabs(val[e] * x[ind[e]]);
        }
        free(ind);
        free(val);
        int t = glp_get_row_type(lp, i);
        int haslb = t == GLP_LO || t == GLP_DB || t == GLP_FX, hasub = t == GLP_UP || t == GLP_DB || t == GLP_FX;
        double lb = haslb ? glp_get_row_lb(lp, i) : 0, ub = hasub ? glp_get_row_ub(lp, i) : 0;   /* else +-DBL_MAX */
        double tol = 1e-6 * fmax(1, fmax(mag, fmax(fabs(lb), fabs(ub))));
        if ((haslb && act < lb - tol) || (hasub && act > ub + tol)) {
            snprintf(why, nwhy, "row %s = %.9g outside [%.9g, %.9g]", glp_get_row_name(lp, i), act, lb, ub);
            ok = -1;
        }
    }
    free(x);
    free(a);
    free(n);
    glp_delete_prob(lp);
    return ok;
}

START_TEST(rows_of_the_full_lp)
{
    tr_scenario *sc = fx_load_text(hand("70", NULL));
    char why[512] = "";
    for (int N = 1; N <= 3; N++) {
        tr_result *r = solve_n(sc, N, 1);
        ck_assert_msg(rows_hold(sc, r, why, sizeof why) == 1, "foresight %d: %s", N, why);
        tr_result_free(r);
    }
    tr_scenario_free(sc);
    /* the check can fail: the perfect-foresight roadmap of a 2022 price
     * of 70 violates the mandate of full adoption in 2021 */
    tr_scenario *bad = fx_load_text(hand("70", "policies:\n"
                                              "  full:\n"
                                              "    type: mandate\n"
                                              "    technology: eff\n"
                                              "    share: 0.9\n"
                                              "    years: [2021, 2021]\n"));
    tr_scenario *good = fx_load_text(hand("70", NULL));
    tr_result *r = fx_solve(good);
    ck_assert_int_eq(rows_hold(bad, r, why, sizeof why), -1);
    ck_assert_msg(strstr(why, "full"), "%s", why);
    tr_result_free(r);
    tr_scenario_free(bad);
    tr_scenario_free(good);
}
END_TEST

/* every shipped scenario: foresight >= the horizon gives the
 * perfect-foresight result (the same JSON but the provenance); short
 * foresight never does better than perfect foresight, and its roadmap
 * holds every row of the full LP */
/* a scenario file, not a references file beside them (format
 * techroad-references/1; a variant may have no format line: extends) */
static int is_scenario(const char *path)
{
    FILE *f = fopen(path, "r");
    char line[256];
    int refs = 0;
    while (f && !refs && fgets(line, sizeof line, f))
        refs = strncmp(line, "format:", 7) == 0 && strstr(line, "techroad-references") != NULL;
    if (f)
        fclose(f);
    return f && !refs;
}

START_TEST(shipped_scenarios)
{
    const char *const *paths = fx_all_scenarios();
    int checked = 0, rowchecked = 0;
    for (size_t i = 0; paths[i]; i++) {
        if (!is_scenario(paths[i]))
            continue;
        tr_scenario *sc = fx_load_file(paths[i]);
        tr_result *pf = fx_solve(sc);
        if (tr_result_status(pf) != TR_SOL_OPTIMAL) {
            tr_result_free(pf);
            tr_scenario_free(sc);
            continue;
        }
        int Y = (int)tr_result_year_count(pf);
        double npv = tr_result_npv(pf);
        char *jp = json_sans_provenance(pf);
        tr_result *whole = solve_n(sc, Y, 1), *more = solve_n(sc, Y + 5, 3);
        char *jw = json_sans_provenance(whole), *jm = json_sans_provenance(more);
        ck_assert_msg(!strcmp(jp, jw), "%s: foresight %d differs from perfect foresight", paths[i], Y);
        ck_assert_msg(!strcmp(jp, jm), "%s: foresight %d differs from perfect foresight", paths[i], Y + 5);
        free(jw);
        free(jm);
        free(jp);
        tr_result_free(whole);
        tr_result_free(more);
        for (int N = 1; N <= 5; N += 2) {
            tr_result *r = solve_n(sc, N, 1);
            if (tr_result_status(r) == TR_SOL_OPTIMAL) {
                ck_assert_msg(tr_result_npv(r) >= npv - 1e-9 * fabs(npv), "%s: foresight %d: NPV %.10g below %.10g",
                              paths[i], N, tr_result_npv(r), npv);
                char why[512] = "";
                int ok = rows_hold(sc, r, why, sizeof why);
                ck_assert_msg(ok != -1, "%s: foresight %d: %s", paths[i], N, why);
                rowchecked += ok == 1;
            } else {
                /* a myopic corner is a finding, with its window named */
                ck_assert_int_eq(tr_result_status(r), TR_SOL_INFEASIBLE);
            }
            tr_result_free(r);
        }
        checked++;
        tr_result_free(pf);
        tr_scenario_free(sc);
    }
    ck_assert_int_ge(checked, 10);
    ck_assert_int_ge(rowchecked, 9);   /* vn-eaf: every case has a, n and q columns only */
}
END_TEST

START_TEST(bad_options)
{
    tr_scenario *sc = fx_load_text(hand("70", NULL));
    struct {
        int N, K, structure, method;
        const char *says;
    } cases[] = {
        {-1, 0, TR_STRUCTURE_AUTO, TR_METHOD_DUAL, "foresight: expected 0 (perfect foresight) or a number of years"},
        {0, 1, TR_STRUCTURE_AUTO, TR_METHOD_DUAL, "foresight_step 1 without foresight"},
        {2, 3, TR_STRUCTURE_AUTO, TR_METHOD_DUAL, "foresight_step: expected 1..2 (at most the foresight), got 3"},
        {2, -1, TR_STRUCTURE_AUTO, TR_METHOD_DUAL, "foresight_step: expected 1..2"},
        {2, 1, TR_STRUCTURE_DECOMPOSED, TR_METHOD_DUAL, "myopic foresight with the decomposition is not supported"},
        {2, 1, TR_STRUCTURE_MONOLITHIC, TR_METHOD_INTERIOR, "myopic foresight needs the simplex"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        tr_solve_opts o;
        tr_solve_opts_init(&o);
        ck_assert_int_eq(o.foresight, 0);
        ck_assert_int_eq(o.foresight_step, 0);
        o.foresight = cases[i].N;
        o.foresight_step = cases[i].K;
        o.structure = cases[i].structure;
        o.method = cases[i].method;
        tr_result *r = NULL;
        ck_assert_int_eq(tr_scenario_solve(sc, &o, &r), TR_E_INVAL);
        ck_assert_ptr_null(r);
        ck_assert_msg(strstr(tr_last_error(), cases[i].says), "case %zu: %s", i, tr_last_error());
    }
    tr_scenario_free(sc);
}
END_TEST

/* the model's LP is itself again after a myopic solve (also after an
 * infeasible window): a perfect-foresight solve of the same model gives the
 * perfect-foresight answer */
START_TEST(model_restored)
{
    tr_scenario *sc = fx_load_text(hand("2", "policies:\n"
                                              "  full:\n"
                                              "    type: mandate\n"
                                              "    technology: eff\n"
                                              "    share: 1.0\n"
                                              "    years: [2022, 2022]\n"));
    tr_result *pf = fx_solve(sc);
    tr_model *m = NULL;
    ck_assert_int_eq(tr_model_new(sc, &m), TR_OK);
    tr_solve_opts o;
    tr_solve_opts_init(&o);
    o.foresight = 1;
    tr_result *r = NULL;
    ck_assert_int_eq(tr_model_solve(m, &o, &r), TR_OK);
    ck_assert_int_eq(tr_result_status(r), TR_SOL_INFEASIBLE);
    tr_result_free(r);
    ck_assert_int_eq(tr_model_solve(m, NULL, &r), TR_OK);
    ck_assert_int_eq(tr_result_status(r), TR_SOL_OPTIMAL);
    ck_assert_double_eq_tol(tr_result_npv(r), tr_result_npv(pf), 1e-9 * fabs(tr_result_npv(pf)));
    tr_result_free(r);
    o.foresight = 2;
    ck_assert_int_eq(tr_model_solve(m, &o, &r), TR_OK);
    ck_assert_int_eq(tr_result_status(r), TR_SOL_OPTIMAL);
    tr_result_free(r);
    ck_assert_int_eq(tr_model_solve(m, NULL, &r), TR_OK);
    ck_assert_double_eq_tol(tr_result_npv(r), tr_result_npv(pf), 1e-9 * fabs(tr_result_npv(pf)));
    tr_result_free(r);
    tr_model_free(m);
    tr_result_free(pf);
    tr_scenario_free(sc);
}
END_TEST

Suite *myopic_suite(void)
{
    Suite *s = suite_create("myopic");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, hand_delay);
    tcase_add_test(tc, infeasible_window);
    tcase_add_test(tc, rows_of_the_full_lp);
    tcase_add_test(tc, shipped_scenarios);
    tcase_add_test(tc, bad_options);
    tcase_add_test(tc, model_restored);
    suite_add_tcase(s, tc);
    return s;
}
