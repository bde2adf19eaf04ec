/* Marginal abatement cost curves: static (each measure's cost per unit
 * abated, alone) and from the model (cheapest path at falling emission caps). */
#include "analysis.h"

/* the static MACC's own arguments: the species (by id, CO2 when NULL) into
 * *@si and a year within the horizon */
static tr_status measures_check(const tri_scen *s, int year, const char *species, size_t *si)
{
    const char *id = species ? species : "CO2";
    size_t i = 0;
    while (i < s->S && strcmp(s->spe[i].id, id))
        i++;
    if (i == s->S)
        return TR_FAIL(TR_E_NOTFOUND, "macc: unknown species \"%s\"", id);
    if (year < s->start || year > s->end)
        return TR_FAIL(TR_E_INVAL, "macc: expected a year within the horizon %d..%d, got %d", s->start, s->end, year);
    *si = i;
    return TR_OK;
}

tr_status tr_analysis_macc_measures(const tr_scenario *sc, int year, const char *species, tr_analysis **out)
{
    tr_analysis_opts oo;
    size_t si = 0;
    tr_status st = tri_an_check_args(sc, NULL, &oo, out, NULL);
    if (st == TR_OK)
        st = measures_check(sc->scen, year, species, &si);
    if (st != TR_OK)
        return tri_an_finish(out, st);
    tr_analysis *a = *out;
    const tri_scen *s = sc->scen;
    size_t t = (size_t)(year - s->start), Y = s->Y, C = s->C, K = s->K;
    /* per technology: remaining potential at full applicability (capacity not yet equipped) */
    double *cost = tri_calloc(K + 1, sizeof *cost), *esav = tri_calloc((K + 1) * (C + 1), sizeof *esav);
    double *psav = tri_calloc(K + 1, sizeof *psav), *score = tri_calloc(K + 1, sizeof *score);
    double *base = tri_calloc(C + 1, sizeof *base), *left = tri_calloc(C + 1, sizeof *left);
    size_t *ord = tri_calloc(K + 1, sizeof *ord);
    unsigned char *taken_group = tri_calloc(s->G + 1, 1);
    if (!cost || !esav || !psav || !score || !base || !left || !ord || !taken_group)
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
    for (size_t p = 0; st == TR_OK && p < s->P; p++)
        for (size_t c = 0; c < C; c++)
            base[c] += s->pl[p].int0[c] * s->pl[p].prod[t];
    for (size_t k = 0; st == TR_OK && k < K; k++) {
        const tri_tech *te = &s->tech[k];
        double crf = tri_crf(te->hurdle, te->life);
        for (size_t p = 0; p < s->P; p++) {
            if (!te->applies[p] || s->pl[p].candidate)
                continue;
            double u = s->pl[p].u[t], capq = (te->appl - te->e0[p]) * s->pl[p].cap[t];
            if (capq <= 0)
                continue;
            cost[k] += capq * (te->capex[t] * crf + te->fom[t] + te->vom[t] * u);
            for (size_t c = 0; c < C; c++)
                esav[k * C + c] -= te->d[p * C + c] * u * capq;
            psav[k] -= te->dpe[p * s->S + si] * u * capq;
        }
        /* net cost per unit avoided, for the order */
        double en = 0, av = psav[k];
        for (size_t c = 0; c < C; c++) {
            en += s->car[c].price[t] * esav[k * C + c];
            av += s->car[c].ef[si * Y + t] * esav[k * C + c];
        }
        score[k] = av > 0 ? (cost[k] - en) / av : HUGE_VAL;
        ord[k] = k;
    }
    for (size_t i = 1; st == TR_OK && i < K; i++)
        for (size_t j = i; j > 0 && score[ord[j]] < score[ord[j - 1]]; j--) {
            size_t tmp = ord[j];
            ord[j] = ord[j - 1];
            ord[j - 1] = tmp;
        }
    static const char *const cols[] = {"rank", "technology", "group", "annualised_cost", "energy_saved_gj",
                                       "avoided", "cost_of_conserved_energy", "cost_per_unit_avoided",
                                       "cumulative_avoided", "note"};
    static const int text[] = {0, 1, 1, 0, 0, 0, 0, 0, 0, 1};
    tr_table *tb = st == TR_OK ? tri_tbl_new_cols("measure_macc", 10, cols, text) : NULL;
    int ok = tb != NULL;
    if (st == TR_OK && !ok)
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
    for (size_t c = 0; c < C && left; c++)
        left[c] = 1;
    double cum = 0;
    size_t rank = 0;
    for (size_t q = 0; st == TR_OK && q < K; q++) {
        size_t k = ord[q];
        const tri_tech *te = &s->tech[k];
        long r = tri_tbl_row(tb);
        if (r < 0 || !tri_tbl_txt(tb, r, 1, te->id) || !tri_tbl_txt(tb, r, 2, te->group >= 0 ? s->group[te->group] : "")) {
            st = TR_FAIL(TR_E_NOMEM, "out of memory");
            break;
        }
        tri_tbl_num(tb, r, 3, cost[k]);
        const char *note = "";
        if (te->group >= 0 && taken_group[te->group])
            note = "excluded: another member of its exclusive group is taken";
        else if (!isfinite(score[k]))
            note = "excluded: avoids nothing";
        if (*note) {
            tri_tbl_txt(tb, r, 9, note);
            continue;
        }
        if (te->group >= 0)
            taken_group[te->group] = 1;
        /* savings against the intensity left by the measures already taken */
        double en = 0, gj = 0, av = psav[k];
        for (size_t c = 0; c < C; c++) {
            double sv = esav[k * C + c];
            if (sv > 0)
                sv *= left[c];
            en += s->car[c].price[t] * sv;
            if (s->car[c].has_ec)
                gj += s->car[c].ec * sv;
            av += s->car[c].ef[si * Y + t] * sv;
        }
        for (size_t c = 0; c < C; c++)
            if (esav[k * C + c] > 0 && base[c] > 0)
                left[c] = fmax(0, left[c] - esav[k * C + c] * left[c] / base[c]);
        cum += av;
        tri_tbl_num(tb, r, 0, (double)++rank);
        tri_tbl_num(tb, r, 4, gj);
        tri_tbl_num(tb, r, 5, av);
        tri_tbl_num(tb, r, 6, gj > 0 ? cost[k] / gj : NAN);
        tri_tbl_num(tb, r, 7, av > 0 ? (cost[k] - en) / av : NAN);
        tri_tbl_num(tb, r, 8, cum);
        tri_tbl_txt(tb, r, 9, "");
    }
    if (st == TR_OK && !tri_an_add(a, tb))
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
    else if (st != TR_OK)
        tri_tbl_free(tb);
    tri_free(cost);
    tri_free(esav);
    tri_free(psav);
    tri_free(score);
    tri_free(base);
    tri_free(left);
    tri_free(ord);
    tri_free(taken_group);
    return tri_an_finish(out, st);
}

/* objective vector of an indicator summed over years @t0..@t1 (sense +1 min, -1 max) */
tr_status tri_ind_objective(const tr_model *m, tri_indicator ind, size_t t0, size_t t1, double sense, double *coef,
                               double *c0)
{
    tri_rowacc acc;
    if (tri_acc_init(&acc, m->ncols) != TR_OK)
        return TR_E_NOMEM;
    memset(coef, 0, (m->ncols + 1) * sizeof *coef);
    *c0 = 0;
    for (size_t t = t0; t <= t1; t++) {
        *c0 += sense * tri_ind_terms(m, ind, t, -1, -1, sense, &acc);
        for (size_t i = 0; i < acc.n; i++) {
            int c = acc.idx[i];
            coef[c] += acc.val[c];
            acc.val[c] = 0;
            acc.on[c] = 0;
        }
        acc.n = 0;
    }
    tri_acc_free(&acc);
    return TR_OK;
}

double tri_fvalue(const tr_model *m, const double *coef, double c0)
{
    double v = c0;
    for (size_t j = 1; j <= m->ncols; j++)
        if (coef[j] != 0)
            v += coef[j] * tri_model_col_value(m, (int)j);
    return v;
}

/* an extra row with the nonzero coefficients of @coef */
int tri_coef_row(tr_model *m, const double *coef, const char *name)
{
    int *ind = tri_calloc(m->ncols + 1, sizeof *ind);
    double *val = tri_calloc(m->ncols + 1, sizeof *val);
    if (!ind || !val) {
        tri_free(ind);
        tri_free(val);
        return 0;
    }
    int n = 0;
    for (size_t j = 1; j <= m->ncols; j++)
        if (coef[j] != 0) {
            n++;
            ind[n] = (int)j;
            val[n] = coef[j];
        }
    int row = tri_model_add_row(m, ind, val, n, name);
    tri_free(ind);
    tri_free(val);
    return row;
}

tr_status tri_solve_opt(tr_model *m, tr_result **r, int *optimal)
{
    tr_solve_opts so;
    tr_solve_opts_init(&so);
    so.presolve = 0;
    so.diagnose = 0;
    *r = NULL;
    tr_status st = tr_model_solve(m, &so, r);
    *optimal = st == TR_OK && (*r)->status == TR_SOL_OPTIMAL;
    return st;
}

/* the model MACC's own arguments: the indicator of the species' emissions
 * into *@ind, a year within the horizon, at least one step */
static tr_status model_check(const tri_scen *s, int year, const char *species, size_t steps, tri_indicator *ind)
{
    char iname[200];
    snprintf(iname, sizeof iname, "emissions.%s", species ? species : "CO2");
    tr_status st = tri_parse_indicator(s, iname, ind);
    if (st == TR_OK && (year < s->start || year > s->end || steps < 1))
        st = TR_FAIL(TR_E_INVAL, "macc: expected a year within %d..%d and at least one step", s->start, s->end);
    return st;
}

tr_status tr_analysis_macc_model(const tr_scenario *sc, int year, const char *species, size_t steps,
                                 const tr_analysis_opts *o, tr_analysis **out)
{
    tr_analysis_opts oo;
    tri_indicator ind;
    tr_status st = tri_an_check_args(sc, o, &oo, out, NULL);
    if (st == TR_OK)
        st = model_check(sc->scen, year, species, steps, &ind);
    if (st != TR_OK)
        return tri_an_finish(out, st);
    tr_analysis *a = *out;
    const tri_scen *s = sc->scen;
    size_t t = (size_t)(year - s->start);
    tr_model *m = NULL;
    double *coef = NULL;
    tr_result *r = NULL;
    tr_table *tb;
    int opt = 0;
    if ((st = tri_an_base_solve(sc, "macc", 0, &m, &r)) != TR_OK)
        goto out;
    double npv0 = r->npv;
    tr_result_free(r);
    r = NULL;
    coef = tri_calloc(m->ncols + 1, sizeof *coef);
    if (!coef) {
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
        goto out;
    }
    double c0;
    if ((st = tri_ind_objective(m, ind, t, t, 1, coef, &c0)) != TR_OK)
        goto out;
    double e0 = tri_fvalue(m, coef, c0);
    /* least reachable emissions in that year */
    tri_model_objective(m, coef, c0);
    if ((st = tri_solve_opt(m, &r, &opt)) != TR_OK)
        goto out;
    double emin = opt ? tri_fvalue(m, coef, c0) : e0;
    tr_result_free(r);
    r = NULL;
    tri_model_objective(m, NULL, 0);
    int row = tri_coef_row(m, coef, "macc_cap");
    if (!row) {
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
        goto out;
    }
    static const char *const cols[] = {"step", "cap", "emissions", "abatement", "shadow_price", "npv",
                                       "npv_increase", "step_cost"};
    tb = tri_tbl_new_cols("model_macc", 8, cols, NULL);
    if (!tri_an_add(a, tb)) {   /* @a owns the table from here on */
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
        goto out;
    }
    double prev_npv = npv0, prev_ab = 0;
    for (size_t i = 0; i <= steps; i++) {
        double cap = e0 - (e0 - emin) * (double)i / (double)steps;
        tri_model_row_bound(m, row, 1, cap - c0);
        if ((st = tri_solve_opt(m, &r, &opt)) != TR_OK)
            goto out;
        long rr = tri_tbl_row(tb);
        if (rr < 0) {
            st = TR_FAIL(TR_E_NOMEM, "out of memory");
            goto out;
        }
        tri_tbl_num(tb, rr, 0, (double)i);
        tri_tbl_num(tb, rr, 1, cap);
        if (opt) {
            double em = tri_fvalue(m, coef, c0), ab = e0 - em;
            tri_tbl_num(tb, rr, 2, em);
            tri_tbl_num(tb, rr, 3, ab);
            double sp = -tri_model_row_dual(m, row) / s->df[t];
            tri_tbl_num(tb, rr, 4, fabs(sp) < 1e-9 ? 0 : sp);
            tri_tbl_num(tb, rr, 5, r->npv);
            tri_tbl_num(tb, rr, 6, r->npv - npv0);
            tri_tbl_num(tb, rr, 7, ab - prev_ab > 1e-9 ? (r->npv - prev_npv) / (ab - prev_ab) / s->df[t] : NAN);
            prev_npv = r->npv;
            prev_ab = ab;
        }
        tr_result_free(r);
        r = NULL;
        a->done = i + 1;
        if (oo.progress && oo.progress(i + 1, steps + 1, oo.userdata)) {
            a->cancelled = 1;
            break;
        }
    }
    a->total = steps + 1;
out:
    tr_result_free(r);
    tri_free(coef);
    tr_model_free(m);
    return tri_an_finish(out, st);
}

