/* Fronts of two objectives by the epsilon-constraint method, and scenario
 * variants placed against a front. */
#include "analysis.h"

typedef struct objective {
    char name[200];
    double sense;     /* +1 minimise, -1 maximise */
    double *coef, c0;
} objective;

/* adds @w times indicator @ind of year @t to the objective's coefficients */
static void add_ind(const tr_model *m, tri_rowacc *acc, tri_indicator ind, size_t t, double w, objective *ob)
{
    ob->c0 += w * tri_ind_terms(m, ind, t, -1, -1, w, acc);
    for (size_t i = 0; i < acc->n; i++) {
        int c = acc->idx[i];
        ob->coef[c] += acc->val[c];
        acc->val[c] = 0;
        acc->on[c] = 0;
    }
    acc->n = 0;
}

/* The resource cost (docs/MODEL.md §11, tr_result_resource_cost) as a
 * linear objective: the LP's NPV minus the present value of emission taxes
 * (and of damage costs under `objective: social`) plus the present value
 * of subsidy spending, so that a front on it compares variants with other
 * taxes by what they cost, not by the transfer. */
static tr_status resource_objective(const tr_model *m, objective *ob)
{
    const tri_scen *s = m->s;
    tri_rowacc acc;
    if (tri_acc_init(&acc, m->ncols) != TR_OK)
        return TR_E_NOMEM;
    for (size_t j = 1; j <= m->ncols; j++)
        ob->coef[j] = m->lpd.obj[j];
    ob->c0 = m->lpd.obj0;
    for (size_t t = 0; t < s->Y; t++) {
        for (size_t sp = 0; sp < s->S; sp++) {
            double w = -s->df[t] * (s->tax[sp * s->Y + t] + (s->social ? s->spe[sp].dmg[t] : 0));
            if (w != 0)
                add_ind(m, &acc, (tri_indicator){TRI_IND_EMISSIONS, sp}, t, w, ob);
        }
        add_ind(m, &acc, (tri_indicator){TRI_IND_SUBSIDY, 0}, t, s->df[t], ob);
    }
    tri_acc_free(&acc);
    for (size_t j = 1; j <= m->ncols; j++)
        ob->coef[j] *= ob->sense;
    ob->c0 *= ob->sense;
    return TR_OK;
}

static tr_status objective_parse(const tr_model *m, const char *spec, objective *ob)
{
    ob->sense = 1;
    int explicit_sense = 1;
    if (!strncmp(spec, "max:", 4)) {
        ob->sense = -1;
        spec += 4;
    } else if (!strncmp(spec, "min:", 4))
        spec += 4;
    else
        explicit_sense = 0;
    snprintf(ob->name, sizeof ob->name, "%s", spec);
    ob->coef = tri_calloc(m->ncols + 1, sizeof *ob->coef);
    if (!ob->coef)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    if (!strcmp(spec, "npv") || !strcmp(spec, "cost")) {
        for (size_t j = 1; j <= m->ncols; j++)
            ob->coef[j] = ob->sense * m->lpd.obj[j];
        ob->c0 = ob->sense * m->lpd.obj0;
        return TR_OK;
    }
    if (!strcmp(spec, "resource_cost"))
        return resource_objective(m, ob);
    tri_indicator ind;
    tr_status st = tri_parse_indicator(m->s, spec, &ind);
    if (st != TR_OK) {
        char why[1024];
        snprintf(why, sizeof why, "%s", tr_last_error());
        return TR_FAIL(st, "pareto: %s", why);
    }
    if (!explicit_sense) {
        /* more is better for production and for declared indicators unless `better: lower` */
        if (ind.kind == TRI_IND_PRODUCTION || (ind.kind == TRI_IND_CUSTOM && !m->s->cind[ind.idx].lower_better))
            ob->sense = -1;
    }
    return tri_ind_objective(m, ind, 0, m->s->Y - 1, ob->sense, ob->coef, &ob->c0);
}

typedef struct front {
    double *fx, *fy, *npv, *mix;
    int *ok;
    size_t K;
} front;

/* the point of an optimal solution: both objectives, its NPV, its final-year mix */
static void record_point(tr_model *m, const objective *ox, const objective *oy, const tr_result *r, front *f,
                         size_t idx)
{
    f->ok[idx] = 1;
    f->fx[idx] = tri_fvalue(m, ox->coef, ox->c0);
    f->fy[idx] = tri_fvalue(m, oy->coef, oy->c0);
    f->npv[idx] = r->npv;
    const tri_scen *s = m->s;
    for (size_t k = 0; k < s->K; k++) {
        char nm[200];
        snprintf(nm, sizeof nm, "adoption.%s", s->tech[k].id);
        for (size_t q = 0; q < r->ns; q++)
            if (!strcmp(r->ser[q].name, nm))
                f->mix[idx * f->K + k] = r->ser[q].v[r->Y - 1];
    }
}

/* Solve one point of the front. mode 0: minimise x, then y with x held at
 * its optimum; mode 1: the same with x and y swapped; mode 2: minimise x
 * with y <= eps. The second stage holds x within 1e-9 of its optimum
 * (relative); when GLPK fails on that (it did on the Viet Nam case, whose
 * NPV is of order 1e9, for one set of relining years) within 1e-7; when it
 * fails again the end point is the first stage's roadmap, optimal for x,
 * only perhaps not the best y among x's ties. */
static tr_status front_point(tr_model *m, objective *ox, objective *oy, int rowx, int rowy, int mode, double eps,
                             front *f, size_t idx)
{
    static const double hold[] = {1e-9, 1e-7};
    tr_result *r = NULL;
    int opt = 0;
    tr_status st;
    tri_model_row_bound(m, rowx, 0, 0);
    tri_model_row_bound(m, rowy, 0, 0);
    if (mode == 2) {
        tri_model_row_bound(m, rowy, 1, eps - oy->c0);
        tri_model_objective(m, ox->coef, ox->c0);
        if ((st = tri_solve_opt(m, &r, &opt)) == TR_OK && opt)
            record_point(m, ox, oy, r, f, idx);
        tr_result_free(r);
        return st;
    }
    objective *first = mode == 0 ? ox : oy, *then = mode == 0 ? oy : ox;
    tri_model_objective(m, first->coef, first->c0);
    if ((st = tri_solve_opt(m, &r, &opt)) != TR_OK || !opt) {
        tr_result_free(r);
        return st;
    }
    record_point(m, ox, oy, r, f, idx);
    tr_result_free(r);
    double best = tri_fvalue(m, first->coef, first->c0);
    tri_model_objective(m, then->coef, then->c0);
    for (size_t k = 0; k < sizeof hold / sizeof hold[0]; k++) {
        tri_model_row_bound(m, mode == 0 ? rowx : rowy, 1, best - first->c0 + hold[k] * fmax(1, fabs(best)));
        r = NULL;
        st = tri_solve_opt(m, &r, &opt);
        if (st == TR_OK && opt)
            record_point(m, ox, oy, r, f, idx);
        tr_result_free(r);
        if (st != TR_OK || opt)
            return st;
    }
    return TR_OK;
}

tr_status tr_analysis_pareto(const tr_scenario *sc, const char *x, const char *y, size_t points,
                             const tr_analysis_opts *o, tr_analysis **out)
{
    tr_analysis_opts oo;
    tr_status st = tri_an_check_args(sc, o, &oo, out, NULL);
    if (st == TR_OK && (!x || !y || points < 2 || points > 100000))
        st = TR_FAIL(TR_E_INVAL, "pareto: expected two objectives and 2..100000 points");
    if (st != TR_OK)
        return tri_an_finish(out, st);
    tr_analysis *a = *out;
    const tri_scen *s = sc->scen;
    size_t K = s->K ? s->K : 1;
    objective ox = {{0}, 1, NULL, 0}, oy = {{0}, 1, NULL, 0};
    tr_model *m = NULL;
    tr_result *r = NULL;
    tr_table *tb = NULL;
    front f = {tri_calloc(points, sizeof(double)), tri_calloc(points, sizeof(double)),
               tri_calloc(points, sizeof(double)), tri_calloc(points * K, sizeof(double)),
               tri_calloc(points, sizeof(int)), K};
    if (!f.fx || !f.fy || !f.npv || !f.mix || !f.ok) {
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
        goto out;
    }
    if ((st = tri_an_base_solve(sc, "pareto", 0, &m, NULL)) != TR_OK)
        goto out;
    if ((st = objective_parse(m, x, &ox)) != TR_OK || (st = objective_parse(m, y, &oy)) != TR_OK)
        goto out;
    int rowx = tri_coef_row(m, ox.coef, "pareto_x"), rowy = tri_coef_row(m, oy.coef, "pareto_y");
    if (!rowx || !rowy) {
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
        goto out;
    }
    a->total = points;
    /* the two ends first: they set the range of the epsilon grid on y */
    for (size_t i = 0; i < points; i++) {
        size_t idx = i == 0 ? 0 : i == 1 ? points - 1 : i - 1;
        int mode = i == 0 ? 0 : i == 1 ? 1 : 2;
        double eps = 0;
        if (mode == 2) {
            if (!f.ok[0] || !f.ok[points - 1])
                break;
            eps = f.fy[0] + (f.fy[points - 1] - f.fy[0]) * (double)idx / (double)(points - 1);
        }
        if ((st = front_point(m, &ox, &oy, rowx, rowy, mode, eps, &f, idx)) != TR_OK)
            goto out;
        a->done = i + 1;
        if (oo.progress && oo.progress(a->done, points, oo.userdata)) {
            a->cancelled = 1;
            break;
        }
    }
    tb = tri_tbl_new("front", 6 + s->K);
    int ok = tb && tri_tbl_col(tb, 0, "point", 0) && tri_tbl_col(tb, 1, ox.name, 0) && tri_tbl_col(tb, 2, oy.name, 0) &&
             tri_tbl_col(tb, 3, "npv", 0) && tri_tbl_col(tb, 4, "dominated", 0) && tri_tbl_col(tb, 5, "end_point", 1);
    for (size_t k = 0; ok && k < s->K; k++) {
        char nm[200];
        snprintf(nm, sizeof nm, "adoption.%s", s->tech[k].id);
        ok = tri_tbl_col(tb, 6 + k, nm, 0);
    }
    for (size_t i = 0; ok && i < points; i++) {
        if (!f.ok[i])
            continue;
        int dom = 0;
        double tx = 1e-6 * fmax(1, fabs(f.fx[i])), ty = 1e-6 * fmax(1, fabs(f.fy[i]));
        for (size_t j = 0; j < points; j++)
            if (j != i && f.ok[j] && f.fx[j] <= f.fx[i] + tx && f.fy[j] <= f.fy[i] + ty &&
                (f.fx[j] < f.fx[i] - tx || f.fy[j] < f.fy[i] - ty))
                dom = 1;
        long rr = tri_tbl_row(tb);
        ok = rr >= 0 && tri_tbl_txt(tb, rr, 5, i == 0 ? ox.name : i == points - 1 ? oy.name : "");
        if (!ok)
            break;
        tri_tbl_num(tb, rr, 0, (double)i);
        tri_tbl_num(tb, rr, 1, ox.sense * f.fx[i]);
        tri_tbl_num(tb, rr, 2, oy.sense * f.fy[i]);
        tri_tbl_num(tb, rr, 3, f.npv[i]);
        tri_tbl_num(tb, rr, 4, dom);
        for (size_t k = 0; k < s->K; k++)
            tri_tbl_num(tb, rr, 6 + k, f.mix[i * K + k]);
    }
    if (!tri_an_add(a, tri_tbl_done(tb, ok)))
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
    tb = NULL;
out:
    tri_tbl_free(tb);
    tr_result_free(r);
    tr_model_free(m);
    tri_free(ox.coef);
    tri_free(oy.coef);
    tri_free(f.fx);
    tri_free(f.fy);
    tri_free(f.npv);
    tri_free(f.mix);
    tri_free(f.ok);
    return tri_an_finish(out, st);
}

/* value of an objective for a solved result, in its natural sign; *sense: +1 min, -1 max */
static tr_status result_objective(const tri_scen *s, const tr_result *r, const char *spec, double *v, double *sense)
{
    *sense = 1;
    int expl = 1;
    if (!strncmp(spec, "max:", 4)) {
        *sense = -1;
        spec += 4;
    } else if (!strncmp(spec, "min:", 4))
        spec += 4;
    else
        expl = 0;
    if (!strcmp(spec, "npv") || !strcmp(spec, "cost")) {
        *v = r->npv;
        return TR_OK;
    }
    if (!strcmp(spec, "resource_cost")) {
        *v = r->rcost;
        return TR_OK;
    }
    tri_indicator ind;
    tr_status st = tri_parse_indicator(s, spec, &ind);
    if (st != TR_OK)
        return st;
    if (!expl && (ind.kind == TRI_IND_PRODUCTION || (ind.kind == TRI_IND_CUSTOM && !s->cind[ind.idx].lower_better)))
        *sense = -1;
    for (size_t i = 0; i < r->ns; i++)
        if (!strcmp(r->ser[i].name, spec)) {
            *v = 0;
            for (size_t t = 0; t < r->Y; t++)
                *v += r->ser[i].v[t];
            return TR_OK;
        }
    return TR_FAIL(TR_E_NOTFOUND, "pareto: the result of %s has no series \"%s\"", r->scenario, spec);
}

tr_status tr_analysis_pareto_place(tr_analysis *a, const char *x, const char *y, const tr_scenario *const *scenarios,
                                   const tr_result *const *results, size_t n)
{
    const tr_table *f = tr_analysis_find(a, "front");
    if (!f || !x || !y || (n && (!scenarios || !results)))
        return TR_FAIL(TR_E_INVAL, "tr_analysis_pareto_place: expected a front and its two objectives");
    tr_table *t = tri_tbl_new("variants", 5);
    if (!t || !tri_tbl_col(t, 0, "variant", 1) || !tri_tbl_col(t, 1, f->cols[1], 0) || !tri_tbl_col(t, 2, f->cols[2], 0) ||
        !tri_tbl_col(t, 3, "npv", 0) || !tri_tbl_col(t, 4, "dominated", 0)) {
        tri_tbl_free(t);
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        const tr_result *r = results[i];
        long row = tri_tbl_row(t);
        if (row < 0 || !tri_tbl_txt(t, row, 0, r->scenario)) {
            tri_tbl_free(t);
            return TR_FAIL(TR_E_NOMEM, "out of memory");
        }
        if (r->status != TR_SOL_OPTIMAL)
            continue;
        double vx, vy, sx, sy;
        tr_status st = result_objective(scenarios[i]->scen, r, x, &vx, &sx);
        if (st == TR_OK)
            st = result_objective(scenarios[i]->scen, r, y, &vy, &sy);
        if (st != TR_OK) {
            tri_tbl_free(t);
            return st;
        }
        tri_tbl_num(t, row, 1, vx);
        tri_tbl_num(t, row, 2, vy);
        tri_tbl_num(t, row, 3, r->npv);
        int dom = 0;
        for (size_t k = 0; k < f->nr; k++) {
            double fx = sx * f->num[k * f->nc + 1], fy = sy * f->num[k * f->nc + 2];
            double px = sx * vx, py = sy * vy;
            double tx = 1e-6 * fmax(1, fabs(px)), ty = 1e-6 * fmax(1, fabs(py));
            if (fx <= px + tx && fy <= py + ty && (fx < px - tx || fy < py - ty))
                dom = 1;
        }
        tri_tbl_num(t, row, 4, dom);
    }
    if (!tri_an_add(a, t))
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    return TR_OK;
}


/* the emission taxes of two scenarios (price policies, per species and year) are the same */
static int same_taxes(const tri_scen *a, const tri_scen *b)
{
    if (a->S != b->S || a->Y != b->Y || a->start != b->start)
        return 0;
    for (size_t sp = 0; sp < a->S; sp++)
        if (strcmp(a->spe[sp].id, b->spe[sp].id) != 0)
            return 0;
    return memcmp(a->tax, b->tax, a->S * a->Y * sizeof *a->tax) == 0;
}

const char *tr_analysis_pareto_cost(const tr_scenario *sc, const tr_scenario *const *variants, size_t n)
{
    for (size_t i = 0; sc && variants && i < n; i++)
        if (variants[i] && !same_taxes(sc->scen, variants[i]->scen))
            return "resource_cost";
    return "npv";
}
