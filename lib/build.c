/* build: typed scenario -> the model's LP in one pass (MODEL.md §§5-8).
 * Columns a/n/q per (plant, technology, year); one function per row family;
 * all triplets are collected into plain arrays (tri_lpd) and handed to the
 * LP backend (lp.h) once. */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "formula.h"
#include "lp.h"
#include "floors.h"
#include "windows.h"
#include "model.h"

typedef struct trip {
    int *ia, *ja;
    double *ar;
    size_t n, cap;
    /* row metadata, applied after the rows are added */
    tri_lp_bound *rtype;
    double *rlb, *rub;
    char **rname;
    size_t nr, rcap;
    int nomem;
} trip;

tr_status tri_acc_init(tri_rowacc *acc, size_t ncols)
{
    memset(acc, 0, sizeof *acc);
    acc->val = tri_calloc(ncols + 1, sizeof *acc->val);
    acc->idx = tri_calloc(ncols + 1, sizeof *acc->idx);
    acc->on = tri_calloc(ncols + 1, 1);
    if (!acc->val || !acc->idx || !acc->on) {
        tri_acc_free(acc);
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    }
    return TR_OK;
}

void tri_acc_free(tri_rowacc *acc)
{
    tri_free(acc->val);
    tri_free(acc->idx);
    tri_free(acc->on);
    memset(acc, 0, sizeof *acc);
}

void tri_acc_add(tri_rowacc *acc, int col, double v)
{
    if (col <= 0 || v == 0)
        return;
    if (!acc->on[col]) {
        acc->on[col] = 1;
        acc->idx[acc->n++] = col;
        acc->val[col] = v;
    } else {
        acc->val[col] += v;
    }
}

double tri_x_part(const tr_model *m, size_t p, size_t t, int *col, double *coef)
{
    const tri_plant *pl = &m->s->pl[p];
    size_t Y = m->s->Y;
    *col = 0;
    *coef = 0;
    if (pl->closable) {
        *col = m->ocol[p * Y + t];
        *coef = pl->prod[t];
        return 0;
    }
    if (pl->candidate) {
        *col = m->Ccol[p * Y + t];
        *coef = pl->butil;
        return 0;
    }
    return pl->prod[t];
}

/* per-unit value of an indicator for the baseline production of plant p */
static double per_unit(const tri_scen *s, tri_indicator ind, size_t p, size_t t)
{
    const tri_plant *pl = &s->pl[p];
    double v = 0;
    switch (ind.kind) {
    case TRI_IND_PRODUCTION: v = (ind.idx == TRI_ALL || ind.idx == pl->product) ? 1 : 0; break;
    case TRI_IND_ENERGY: v = pl->int0[ind.idx]; break;
    case TRI_IND_ENERGY_TOTAL:
        for (size_t c = 0; c < s->C; c++)
            if (s->car[c].has_ec)
                v += s->car[c].ec * pl->int0[c];
        break;
    case TRI_IND_EMISSIONS:
        for (size_t c = 0; c < s->C; c++)
            v += s->car[c].ef[ind.idx * s->Y + t] * pl->int0[c];
        v += pl->pe0[ind.idx];
        break;
    case TRI_IND_CUSTOM: v = pl->ind[ind.idx]; break;
    default: break;
    }
    return v;
}

double tri_ind_terms(const tr_model *m, tri_indicator ind, size_t t, long plant, long product, double w,
                     tri_rowacc *acc)
{
    const tri_scen *s = m->s;
    size_t Y = s->Y;
    double k0 = 0;
    for (size_t p = 0; p < s->P; p++) {
        if ((plant >= 0 && (size_t)plant != p) || (product >= 0 && s->pl[p].product != (size_t)product))
            continue;
        const tri_plant *pl = &s->pl[p];
        if (pl->closable || pl->candidate) {
            int col;
            double coef;
            tri_x_part(m, p, t, &col, &coef);
            double v = per_unit(s, ind, p, t);
            if (acc)
                tri_acc_add(acc, col, w * v * coef);
            if (ind.kind == TRI_IND_INVESTMENT && pl->candidate && acc)
                tri_acc_add(acc, m->bcol[p * Y + t], w * pl->bcapex[t]);
            continue;
        }
        /* fixed production: the arithmetic of techroad/1 (results unchanged) */
        double x = pl->prod[t];
        switch (ind.kind) {
        case TRI_IND_PRODUCTION:
            if (ind.idx == TRI_ALL || ind.idx == pl->product)
                k0 += x;
            break;
        case TRI_IND_ENERGY: k0 += pl->int0[ind.idx] * x; break;
        case TRI_IND_ENERGY_TOTAL:
            for (size_t c = 0; c < s->C; c++)
                if (s->car[c].has_ec)
                    k0 += s->car[c].ec * pl->int0[c] * x;
            break;
        case TRI_IND_EMISSIONS:
            for (size_t c = 0; c < s->C; c++)
                k0 += s->car[c].ef[ind.idx * Y + t] * pl->int0[c] * x;
            k0 += pl->pe0[ind.idx] * x;
            break;
        case TRI_IND_CUSTOM: k0 += pl->ind[ind.idx] * x; break;
        default: break;
        }
    }
    if (!acc)
        return k0;
    if (ind.kind == TRI_IND_IMPORTS && plant < 0)
        tri_acc_add(acc, m->mcol[ind.idx * Y + t], w);
    for (size_t j = 0; j < m->J; j++) {
        size_t p = m->jp[j], k = m->jk[j];
        if ((plant >= 0 && (size_t)plant != p) || (product >= 0 && s->pl[p].product != (size_t)product))
            continue;
        const tri_tech *te = &s->tech[k];
        double u = s->pl[p].u[t], coef = 0;
        int col = m->acol[j * Y + t];
        switch (ind.kind) {
        case TRI_IND_ENERGY: coef = te->d[p * s->C + ind.idx] * u; break;
        case TRI_IND_ENERGY_TOTAL:
            for (size_t c = 0; c < s->C; c++)
                if (s->car[c].has_ec)
                    coef += s->car[c].ec * te->d[p * s->C + c] * u;
            break;
        case TRI_IND_EMISSIONS:
            for (size_t c = 0; c < s->C; c++)
                coef += s->car[c].ef[ind.idx * Y + t] * te->d[p * s->C + c] * u;
            coef += te->dpe[p * s->S + ind.idx] * u;
            break;
        case TRI_IND_CUSTOM: coef = te->ind[ind.idx] * u; break;
        case TRI_IND_INVESTMENT:
            col = m->ncol[j * Y + t];
            coef = te->capex[t];
            break;
        case TRI_IND_SUBSIDY:
            col = m->ncol[j * Y + t];
            coef = te->capex[t] * te->sub[t];
            break;
        default: break;
        }
        tri_acc_add(acc, col, w * coef);
    }
    return k0;
}

/* cost per unit of production of plant p (energy, emission prices, other cost) */
static double unit_cost(const tri_scen *s, size_t p, size_t t)
{
    const tri_plant *pl = &s->pl[p];
    size_t Y = s->Y;
    double c0 = pl->other[t];
    for (size_t c = 0; c < s->C; c++) {
        double uc = s->car[c].price[t];
        for (size_t si = 0; si < s->S; si++)
            uc += s->car[c].ef[si * Y + t] * tri_emission_price(s, si, t);
        c0 += pl->int0[c] * uc;
    }
    for (size_t si = 0; si < s->S; si++)
        c0 += pl->pe0[si] * tri_emission_price(s, si, t);
    return c0;
}

static int trip_grow(trip *tr, size_t need)
{
    if (tr->n + need < tr->cap)
        return 1;
    size_t cap = tr->cap ? tr->cap : 1024;
    while (cap <= tr->n + need)
        cap *= 2;
    int *ia = tri_realloc(tr->ia, cap * sizeof *ia);
    if (ia)
        tr->ia = ia;
    int *ja = tri_realloc(tr->ja, cap * sizeof *ja);
    if (ja)
        tr->ja = ja;
    double *ar = tri_realloc(tr->ar, cap * sizeof *ar);
    if (ar)
        tr->ar = ar;
    if (!ia || !ja || !ar) {
        tr->nomem = 1;
        return 0;
    }
    tr->cap = cap;
    return 1;
}

/* Row names cost an allocation each; updates of a built model skip them. */
static char nameless[] = "";
#define RNAME(...) (m->names ? tri_asprintf(__VA_ARGS__) : nameless)

/* Finish a row: flush the accumulator into the triplets. Returns the row
 * number (1-based) or 0 on OOM. */
static int add_row(trip *tr, tri_rowacc *acc, char *name, tri_lp_bound type, double lb, double ub)
{
    if (tr->nomem || !name) {
        if (name != nameless)
            tri_free(name);
        tr->nomem = 1;
        for (size_t i = 0; i < acc->n; i++) {
            acc->val[acc->idx[i]] = 0;
            acc->on[acc->idx[i]] = 0;
        }
        acc->n = 0;
        return 0;
    }
    if (tr->nr == tr->rcap) {
        size_t cap = tr->rcap ? tr->rcap * 2 : 256;
        tri_lp_bound *rt = tri_realloc(tr->rtype, cap * sizeof *rt);
        if (rt)
            tr->rtype = rt;
        double *rl = tri_realloc(tr->rlb, cap * sizeof *rl);
        if (rl)
            tr->rlb = rl;
        double *ru = tri_realloc(tr->rub, cap * sizeof *ru);
        if (ru)
            tr->rub = ru;
        char **rn = tri_realloc(tr->rname, cap * sizeof *rn);
        if (rn)
            tr->rname = rn;
        if (!rt || !rl || !ru || !rn) {
            tr->nomem = 1;
            if (name != nameless)
                tri_free(name);
            return add_row(tr, acc, NULL, 0, 0, 0);
        }
        tr->rcap = cap;
    }
    int row = (int)tr->nr + 1;
    tr->rtype[tr->nr] = type;
    tr->rlb[tr->nr] = lb;
    tr->rub[tr->nr] = ub;
    tr->rname[tr->nr] = name == nameless ? NULL : name;
    tr->nr++;
    if (!trip_grow(tr, acc->n))
        return add_row(tr, acc, NULL, 0, 0, 0);
    for (size_t i = 0; i < acc->n; i++) {
        int c = acc->idx[i];
        double v = acc->val[c];
        acc->val[c] = 0;
        acc->on[c] = 0;
        if (v == 0)
            continue;
        tr->n++;
        tr->ia[tr->n] = row;
        tr->ja[tr->n] = c;
        tr->ar[tr->n] = v;
    }
    acc->n = 0;
    return row;
}

/* ------------------------------------------------------------ columns
 * Columns are written into the model's tri_lpd arrays, not into the backend: the
 * same build then serves the first load and the in-place updates of
 * analyses (tri_model_update), which compare two builds. */

static void cname(tr_model *m, int c, const char *name)
{
    if (m->lpd.cname)
        m->lpd.cname[c] = tri_strdup(name);   /* NULL on OOM: checked at load */
}

static void cbnds(tr_model *m, int c, tri_lp_bound type, double lb, double ub)
{
    m->lpd.ctype[c] = type;
    m->lpd.clb[c] = lb;
    m->lpd.cub[c] = ub;
}

static void cobj(tr_model *m, int c, double v) { m->lpd.obj[c] = v; }

static void bounds(tr_model *m, int c, double lb, double ub)
{
    if (isinf(ub))
        cbnds(m, c, TRI_LP_LOWER, lb, 0);
    else if (ub > lb)
        cbnds(m, c, TRI_LP_DOUBLE, lb, ub);
    else
        cbnds(m, c, TRI_LP_FIXED, lb, lb);
}

/* §12 columns: o (operating share), k (closure), b (build), C (built
 * capacity), m (imports), with bounds and objective coefficients. */
static void ext_columns(tr_model *m)
{
    const tri_scen *s = m->s;
    size_t Y = s->Y;
    char name[256];
    for (size_t p = 0; p < s->P; p++) {
        const tri_plant *pl = &s->pl[p];
        double crf = pl->candidate ? tri_crf(pl->bh, pl->blife) : 0;
        for (size_t t = 0; t < Y; t++) {
            int y = s->start + (int)t, c;
            double df = s->df[t];
            if ((c = m->ocol[p * Y + t])) {
                snprintf(name, sizeof name, "o[%s,%d]", pl->id, y);
                cname(m, c, name);
                bounds(m, c, pl->min_op[t], 1);
                double coef = df * pl->prod[t] * unit_cost(s, p, t);
                if (!pl->reopenable) {
                    /* closure cost cc[y]*cap[y]*(o[y-1] - o[y]) */
                    coef -= df * pl->cc[t] * pl->cap[t];
                    if (t + 1 < Y)
                        coef += s->df[t + 1] * pl->cc[t + 1] * pl->cap[t + 1];
                }
                cobj(m, c, coef);
            }
            if ((c = m->kcol[p * Y + t])) {
                snprintf(name, sizeof name, "close[%s,%d]", pl->id, y);
                cname(m, c, name);
                cbnds(m, c, TRI_LP_LOWER, 0, 0);
                cobj(m, c, df * pl->cc[t] * pl->cap[t]);
            }
            if ((c = m->bcol[p * Y + t])) {
                snprintf(name, sizeof name, "b[%s,%d]", pl->id, y);
                cname(m, c, name);
                bounds(m, c, 0, y < pl->bfrom ? 0 : pl->bmaxbuild);
                double dsum = 0;
                for (size_t tt = t; tt < Y && tt < t + (size_t)pl->blife; tt++)
                    dsum += s->df[tt];
                cobj(m, c, pl->bcapex[t] * crf * dsum);
            }
            if ((c = m->Ccol[p * Y + t])) {
                snprintf(name, sizeof name, "C[%s,%d]", pl->id, y);
                cname(m, c, name);
                bounds(m, c, 0, pl->bmaxcap);
                cobj(m, c, df * (pl->bfom[t] + pl->butil * unit_cost(s, p, t)));
            }
        }
    }
    for (size_t r = 0; r < s->R; r++)
        for (size_t t = 0; t < Y; t++) {
            int c = m->mcol[r * Y + t];
            if (!c)
                continue;
            snprintf(name, sizeof name, "m[%s,%d]", s->prod[r].id, s->start + (int)t);
            cname(m, c, name);
            bounds(m, c, 0, s->prod[r].imp_max[t]);
            cobj(m, c, s->df[t] * s->prod[r].imp_price[t]);
        }
}

static tr_status make_columns(tr_model *m)
{
    const tri_scen *s = m->s;
    size_t Y = s->Y;
    /* pairs (plant, technology) where the technology applies */
    size_t J = 0;
    for (size_t k = 0; k < s->K; k++)
        for (size_t p = 0; p < s->P; p++)
            J += s->tech[k].applies[p];
    m->J = J;
    m->jp = tri_calloc(J, sizeof *m->jp);
    m->jk = tri_calloc(J, sizeof *m->jk);
    m->acol = tri_calloc(J * Y, sizeof *m->acol);
    m->ncol = tri_calloc(J * Y, sizeof *m->ncol);
    m->qcol = tri_calloc(J * Y, sizeof *m->qcol);
    if (!m->jp || !m->jk || !m->acol || !m->ncol || !m->qcol)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    size_t j = 0, ncols = 0;
    /* plant-major order keeps each plant's columns together */
    for (size_t p = 0; p < s->P; p++)
        for (size_t k = 0; k < s->K; k++) {
            if (!s->tech[k].applies[p])
                continue;
            m->jp[j] = p;
            m->jk[j] = k;
            for (size_t t = 0; t < Y; t++) {
                m->acol[j * Y + t] = (int)++ncols;
                if (s->start + (int)t >= s->tech[k].from)
                    m->ncol[j * Y + t] = (int)++ncols;
                m->qcol[j * Y + t] = (int)++ncols;
            }
            j++;
        }
    /* §12: operating shares, closures, builds, built capacity, imports */
    m->ocol = tri_calloc(s->P * Y, sizeof *m->ocol);
    m->kcol = tri_calloc(s->P * Y, sizeof *m->kcol);
    m->bcol = tri_calloc(s->P * Y, sizeof *m->bcol);
    m->Ccol = tri_calloc(s->P * Y, sizeof *m->Ccol);
    m->mcol = tri_calloc(s->R * Y, sizeof *m->mcol);
    m->drow = tri_calloc(s->R * Y, sizeof *m->drow);
    if (!m->ocol || !m->kcol || !m->bcol || !m->Ccol || !m->mcol || !m->drow)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    size_t tech_cols = ncols;
    for (size_t p = 0; p < s->P; p++)
        for (size_t t = 0; t < Y; t++) {
            if (s->pl[p].closable) {
                m->ocol[p * Y + t] = (int)++ncols;
                if (s->pl[p].reopenable)
                    m->kcol[p * Y + t] = (int)++ncols;
            }
            if (s->pl[p].candidate) {
                m->bcol[p * Y + t] = (int)++ncols;
                m->Ccol[p * Y + t] = (int)++ncols;
            }
        }
    for (size_t r = 0; r < s->R; r++)
        for (size_t t = 0; t < Y && s->prod[r].has_imports; t++)
            m->mcol[r * Y + t] = (int)++ncols;
    if (ncols > (size_t)INT_MAX / 2)
        return TR_FAIL(TR_E_INVAL, "the LP would have %zu columns, more than GLPK can take", ncols);
    m->ncols = ncols;
    if (ncols == 0)
        return TR_OK;
    tri_lpd *d = &m->lpd;
    d->ncols = ncols;
    d->ctype = tri_calloc(ncols + 1, sizeof *d->ctype);
    d->clb = tri_calloc(ncols + 1, sizeof *d->clb);
    d->cub = tri_calloc(ncols + 1, sizeof *d->cub);
    d->obj = tri_calloc(ncols + 1, sizeof *d->obj);
    if (m->names)
        d->cname = tri_calloc(ncols + 1, sizeof *d->cname);
    if (!d->ctype || !d->clb || !d->cub || !d->obj || (m->names && !d->cname))
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    char name[256];
    for (j = 0; j < J; j++) {
        size_t p = m->jp[j], k = m->jk[j];
        const tri_plant *pl = &s->pl[p];
        const tri_tech *te = &s->tech[k];
        double crf = tri_crf(te->hurdle, te->life);
        for (size_t t = 0; t < Y; t++) {
            int y = s->start + (int)t;
            double df = s->df[t], u = pl->u[t];
            /* a: equipped capacity in use, <= appl * cap (§6.2) */
            int c = m->acol[j * Y + t];
            snprintf(name, sizeof name, "a[%s,%s,%d]", pl->id, te->id, y);
            cname(m, c, name);
            double ub = te->appl * (pl->candidate ? pl->bmaxcap : pl->cap[t]);
            if (isinf(ub))
                cbnds(m, c, TRI_LP_LOWER, 0, 0);
            else
                cbnds(m, c, ub > 0 ? TRI_LP_DOUBLE : TRI_LP_FIXED, 0, ub > 0 ? ub : 0);
            double coef = te->fom[t] + te->vom[t] * u;
            for (size_t ci = 0; ci < s->C; ci++) {
                double d = te->d[p * s->C + ci];
                if (d == 0)
                    continue;
                double unitcost = s->car[ci].price[t];
                for (size_t si = 0; si < s->S; si++)
                    unitcost += s->car[ci].ef[si * Y + t] * tri_emission_price(s, si, t);
                coef += u * d * unitcost;
            }
            for (size_t si = 0; si < s->S; si++) {
                double d = te->dpe[p * s->S + si];
                if (d != 0)
                    coef += u * d * tri_emission_price(s, si, t);
            }
            cobj(m, c, df * coef);
            /* n: new installations, <= rate * appl * cap (§6.4); 0 when banned
             * and, for a major technology, outside the plant's windows (§13) */
            if ((c = m->ncol[j * Y + t])) {
                snprintf(name, sizeof name, "n[%s,%s,%d]", pl->id, te->id, y);
                cname(m, c, name);
                double nub = y >= te->ban_from || tri_window_blocks(s, p, k, t)
                                 ? 0
                                 : te->rate * te->appl * (pl->candidate ? pl->bmaxcap : pl->cap[t]);
                if (isinf(nub))
                    cbnds(m, c, TRI_LP_LOWER, 0, 0);
                else
                    cbnds(m, c, nub > 0 ? TRI_LP_DOUBLE : TRI_LP_FIXED, 0, nub > 0 ? nub : 0);
                double dsum = 0;
                for (size_t tt = t; tt < Y && tt < t + (size_t)te->life; tt++)
                    dsum += s->df[tt];
                cobj(m, c, te->capex[t] * (1 - te->sub[t]) * crf * dsum);
            }
            /* q: early retirement */
            c = m->qcol[j * Y + t];
            snprintf(name, sizeof name, "q[%s,%s,%d]", pl->id, te->id, y);
            cname(m, c, name);
            cbnds(m, c, TRI_LP_LOWER, 0, 0);
        }
    }
    if (ncols > tech_cols)
        ext_columns(m);
    return TR_OK;
}

/* objective constant: baseline energy and emissions (§7) */
static void objective_constant(tr_model *m)
{
    const tri_scen *s = m->s;
    double c0 = 0;
    for (size_t t = 0; t < s->Y; t++) {
        double yc = 0;
        for (size_t ci = 0; ci < s->C; ci++) {
            tri_indicator e = {TRI_IND_ENERGY, ci};
            yc += s->car[ci].price[t] * tri_ind_terms(m, e, t, -1, -1, 1, NULL);
        }
        for (size_t si = 0; si < s->S; si++) {
            tri_indicator e = {TRI_IND_EMISSIONS, si};
            yc += tri_emission_price(s, si, t) * tri_ind_terms(m, e, t, -1, -1, 1, NULL);
        }
        c0 += s->df[t] * yc;
    }
    if (s->ext) {
        /* §12: other production cost of fixed plants; closure from o = 1 before the start */
        for (size_t t = 0; t < s->Y; t++)
            for (size_t p = 0; p < s->P; p++) {
                const tri_plant *pl = &s->pl[p];
                if (!pl->closable && !pl->candidate)
                    c0 += s->df[t] * pl->other[t] * pl->prod[t];
            }
        for (size_t p = 0; p < s->P; p++)
            if (s->pl[p].closable && !s->pl[p].reopenable)
                c0 += s->df[0] * s->pl[p].cc[0] * s->pl[p].cap[0];
    }
    m->obj0 = c0;
    m->lpd.obj0 = c0;
}

/* ------------------------------------------------------------ rows */

/* §6.1 stock: a[y] - a[y-1] - n[y] + n[y-L] + q[y] = 0 (e0*cap[start] in the first year) */
static void rows_stock(tr_model *m, trip *tr, tri_rowacc *acc)
{
    const tri_scen *s = m->s;
    size_t Y = s->Y;
    for (size_t j = 0; j < m->J && !tr->nomem; j++) {
        const tri_plant *pl = &s->pl[m->jp[j]];
        const tri_tech *te = &s->tech[m->jk[j]];
        for (size_t t = 0; t < Y; t++) {
            tri_acc_add(acc, m->acol[j * Y + t], 1);
            if (t > 0)
                tri_acc_add(acc, m->acol[j * Y + t - 1], -1);
            tri_acc_add(acc, m->ncol[j * Y + t], -1);
            if (t >= (size_t)te->life)
                tri_acc_add(acc, m->ncol[j * Y + t - (size_t)te->life], 1);
            tri_acc_add(acc, m->qcol[j * Y + t], 1);
            double rhs = t == 0 ? te->e0[m->jp[j]] * pl->cap[0] : 0;
            add_row(tr, acc, RNAME("stock[%s,%s,%d]", pl->id, te->id, s->start + (int)t), TRI_LP_FIXED, rhs, rhs);
        }
    }
}

/* the pairs of plant p are contiguous (plant-major order): [*j0, *j1) */
void tri_plant_pairs(const tr_model *m, size_t p, size_t *j0, size_t *j1)
{
    size_t lo = 0, hi = m->J;
    while (lo < hi) {   /* first pair with jp >= p */
        size_t mid = lo + (hi - lo) / 2;
        if (m->jp[mid] < p)
            lo = mid + 1;
        else
            hi = mid;
    }
    *j0 = lo;
    while (lo < m->J && m->jp[lo] == p)
        lo++;
    *j1 = lo;
}

/* the capacity a plant's technologies can equip, §12's effective capacity
 * (formula.c): its variable part moves to the lhs with weight -w; returns
 * the constant part (the rhs) */
static double equip_base(const tr_model *m, size_t p, size_t t, double w, tri_rowacc *acc)
{
    size_t Y = m->s->Y;
    tri_capform f = tri_eff_capacity(m->s, p, t);
    if (f.o != 0)
        tri_acc_add(acc, m->ocol[p * Y + t], -w * f.o);
    if (f.C != 0)
        tri_acc_add(acc, m->Ccol[p * Y + t], -w * f.C);
    return f.konst;
}

/* §6.3 exclusivity: sum_{k in g} a[p,k,y] <= cap[p,y] (cap*o, C in §12),
 * for groups with at least two members on the plant (one member is already
 * bounded by applicability <= 1). */
static void rows_exclusive(tr_model *m, trip *tr, tri_rowacc *acc)
{
    const tri_scen *s = m->s;
    size_t Y = s->Y;
    for (size_t p = 0; p < s->P; p++) {
        size_t j0, j1;
        tri_plant_pairs(m, p, &j0, &j1);
        for (size_t g = 0; g < s->G; g++) {
            size_t members = 0;
            for (size_t j = j0; j < j1; j++)
                if (s->tech[m->jk[j]].group == (long)g)
                    members++;
            if (members < 2)
                continue;
            for (size_t t = 0; t < Y && !tr->nomem; t++) {
                for (size_t j = j0; j < j1; j++)
                    if (s->tech[m->jk[j]].group == (long)g)
                        tri_acc_add(acc, m->acol[j * Y + t], 1);
                double rhs = equip_base(m, p, t, 1, acc);
                add_row(tr, acc, RNAME("excl[%s,%s,%d]", s->pl[p].id, s->group[g], s->start + (int)t),
                        TRI_LP_UPPER, 0, rhs);
            }
        }
    }
}

/* §12 rows: applicability (a <= appl*cap*o, a <= appl*C) and diffusion
 * (n <= rate*appl*C) where the base is a variable; the operating share only
 * falls (unless reopenable, then closures are counted by k); the build
 * stock of candidates; the demand balance of each product. */
static void rows_ext(tr_model *m, trip *tr, tri_rowacc *acc)
{
    const tri_scen *s = m->s;
    size_t Y = s->Y;
    for (size_t j = 0; j < m->J && !tr->nomem; j++) {
        size_t p = m->jp[j];
        const tri_plant *pl = &s->pl[p];
        if (!pl->closable && !pl->candidate)
            continue;
        const tri_tech *te = &s->tech[m->jk[j]];
        for (size_t t = 0; t < Y; t++) {
            int y = s->start + (int)t;
            tri_acc_add(acc, m->acol[j * Y + t], 1);
            equip_base(m, p, t, te->appl, acc);
            add_row(tr, acc, RNAME("appl[%s,%s,%d]", pl->id, te->id, y), TRI_LP_UPPER, 0, 0);
            if (pl->candidate && m->ncol[j * Y + t] && y < te->ban_from && !tri_window_blocks(s, p, m->jk[j], t)) {
                tri_acc_add(acc, m->ncol[j * Y + t], 1);
                equip_base(m, p, t, te->rate * te->appl, acc);
                add_row(tr, acc, RNAME("diff[%s,%s,%d]", pl->id, te->id, y), TRI_LP_UPPER, 0, 0);
            }
        }
    }
    for (size_t p = 0; p < s->P && !tr->nomem; p++) {
        const tri_plant *pl = &s->pl[p];
        for (size_t t = 0; t < Y && pl->closable; t++) {
            int y = s->start + (int)t;
            if (!pl->reopenable) {
                if (t == 0)
                    continue;   /* o[start] <= 1 = o[start-1] is its bound */
                tri_acc_add(acc, m->ocol[p * Y + t], 1);
                tri_acc_add(acc, m->ocol[p * Y + t - 1], -1);
                add_row(tr, acc, RNAME("closing[%s,%d]", pl->id, y), TRI_LP_UPPER, 0, 0);
            } else {
                /* k[y] >= o[y-1] - o[y], with o[start-1] = 1 */
                tri_acc_add(acc, m->kcol[p * Y + t], -1);
                tri_acc_add(acc, m->ocol[p * Y + t], -1);
                if (t > 0)
                    tri_acc_add(acc, m->ocol[p * Y + t - 1], 1);
                add_row(tr, acc, RNAME("closing[%s,%d]", pl->id, y), TRI_LP_UPPER, 0, t == 0 ? -1.0 : 0.0);
            }
        }
        for (size_t t = 0; t < Y && pl->candidate; t++) {
            /* C[y] = C[y-1] + b[y] - b[y-L] */
            tri_acc_add(acc, m->Ccol[p * Y + t], 1);
            if (t > 0)
                tri_acc_add(acc, m->Ccol[p * Y + t - 1], -1);
            tri_acc_add(acc, m->bcol[p * Y + t], -1);
            if (t >= (size_t)pl->blife)
                tri_acc_add(acc, m->bcol[p * Y + t - (size_t)pl->blife], 1);
            add_row(tr, acc, RNAME("built[%s,%d]", pl->id, s->start + (int)t), TRI_LP_FIXED, 0, 0);
        }
    }
    for (size_t r = 0; r < s->R && !tr->nomem; r++) {
        if (!s->prod[r].has_demand)
            continue;
        for (size_t t = 0; t < Y; t++) {
            tri_indicator pi = {TRI_IND_PRODUCTION, r};
            double k0 = tri_ind_terms(m, pi, t, -1, (long)r, 1, acc);
            tri_acc_add(acc, m->mcol[r * Y + t], 1);
            double rhs = s->prod[r].demand[t] - k0;
            m->drow[r * Y + t] =
                add_row(tr, acc, RNAME("demand[%s,%d]", s->prod[r].id, s->start + (int)t), TRI_LP_FIXED, rhs, rhs);
        }
    }
}

static tr_status push_prow(tr_model *m, size_t *cap, tri_prow pr)
{
    if (m->nprow == *cap) {
        size_t nc = *cap ? *cap * 2 : 64;
        tri_prow *n = tri_realloc(m->prow, nc * sizeof *n);
        if (!n)
            return TR_FAIL(TR_E_NOMEM, "out of memory");
        m->prow = n;
        *cap = nc;
    }
    m->prow[m->nprow++] = pr;
    return TR_OK;
}

/* §8: one row a year for cap / intensity_cap / floor / budget, one per plant
 * and year for standard and per-plant mandates. */
static tr_status rows_policies(tr_model *m, trip *tr, tri_rowacc *acc)
{
    const tri_scen *s = m->s;
    size_t Y = s->Y, cap = 0;
    for (size_t i = 0; i < s->N; i++) {
        const tri_policy *po = &s->pol[i];
        if (po->type == TRI_POL_PRICE || po->type == TRI_POL_SUBSIDY || po->type == TRI_POL_BAN)
            continue;
        int per_plant = po->type == TRI_POL_STANDARD || (po->type == TRI_POL_MANDATE && po->per_plant);
        for (size_t t = 0; t < Y; t++) {
            if (!po->active[t])
                continue;
            int y = s->start + (int)t;
            for (long p = per_plant ? 0 : -1; p < (per_plant ? (long)s->P : 0); p++) {
                if (p >= 0 && !po->plants[p])
                    continue;
                tri_prow pr = {.pol = i, .t = t, .plant = p, .denom = 1};
                double lim = po->val[t];
                switch (po->type) {
                case TRI_POL_CAP:
                case TRI_POL_BUDGET:
                    pr.konst = tri_ind_terms(m, po->ind, t, -1, -1, 1, acc);
                    pr.rhs = lim - pr.konst;
                    break;
                case TRI_POL_FLOOR:
                    pr.konst = tri_ind_terms(m, po->ind, t, -1, -1, 1, acc);
                    pr.rhs = lim - pr.konst;
                    pr.ge = 1;
                    break;
                case TRI_POL_INTENSITY_CAP: {
                    /* indicator - limit * per <= 0 (per: production unless `per:`) */
                    pr.konst = tri_ind_terms(m, po->ind, t, -1, po->product, 1, acc);
                    double per = tri_ind_terms(m, po->per, t, -1, po->product, -lim, acc);
                    pr.rhs = lim * per - pr.konst;
                    pr.denom = per;
                    break;
                }
                case TRI_POL_STANDARD: {
                    /* plant indicator <= limit * x[p,y] */
                    pr.konst = tri_ind_terms(m, po->ind, t, p, -1, 1, acc);
                    double x = tri_ind_terms(m, (tri_indicator){TRI_IND_PRODUCTION, TRI_ALL}, t, p, -1, -lim, acc);
                    pr.rhs = lim * x - pr.konst;
                    pr.denom = x;
                    break;
                }
                case TRI_POL_MANDATE: {
                    /* sum a >= share * B, B = sum_p appl*cap (or the group's best appl) */
                    double B = 0;
                    for (size_t pp = 0; pp < s->P; pp++) {
                        if (p >= 0 && (size_t)p != pp)
                            continue;
                        size_t j0, j1;
                        tri_plant_pairs(m, pp, &j0, &j1);
                        for (size_t j = j0; j < j1; j++)
                            if (tri_mandate_counts(s, po, m->jk[j]))
                                tri_acc_add(acc, m->acol[j * Y + t], 1);
                        double best = tri_mandate_best(m, po, pp);
                        B += best * equip_base(m, pp, t, lim * best, acc);
                    }
                    pr.rhs = lim * B;
                    pr.ge = 1;
                    break;
                }
                default: break;
                }
                char *name = p >= 0 ? RNAME("%s[%s,%d]", po->id, s->pl[p].id, y) : RNAME("%s[%d]", po->id, y);
                pr.row = add_row(tr, acc, name, pr.ge ? TRI_LP_LOWER : TRI_LP_UPPER, pr.ge ? pr.rhs : 0, pr.ge ? 0 : pr.rhs);
                if (!pr.row)
                    return TR_FAIL(TR_E_NOMEM, "out of memory");
                if (push_prow(m, &cap, pr) != TR_OK)
                    return TR_E_NOMEM;
            }
        }
    }
    return TR_OK;
}

/* §13 technical floors (floors.c writes the rows; a floor row holds only
 * the plant's own columns, so the decomposition keeps it in its subproblem) */
typedef struct floorctx {
    tr_model *m;
    trip *tr;
} floorctx;

static int floor_row(void *ctx, tri_rowacc *acc, size_t p, const char *what, int year, double lb)
{
    floorctx *f = ctx;
    tr_model *m = f->m;
    return add_row(f->tr, acc, RNAME("floor[%s,%s,%d]", m->s->pl[p].id, what, year), TRI_LP_LOWER, lb, 0) != 0;
}

/* Build the LP of m->s into m->lpd and the index maps (no backend calls). */
static tr_status build_lpd(tr_model *m)
{
    tr_status st = make_columns(m);
    if (st != TR_OK)
        return st;
    objective_constant(m);
    trip tr;
    memset(&tr, 0, sizeof tr);
    tri_rowacc acc;
    st = tri_acc_init(&acc, m->ncols);
    if (st == TR_OK && !trip_grow(&tr, 1))
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
    if (st == TR_OK) {
        rows_stock(m, &tr, &acc);
        rows_exclusive(m, &tr, &acc);
        if (!tr.nomem)
            tri_floor_rows(m, &acc, floor_row, &(floorctx){m, &tr});
        if (!tr.nomem)
            st = rows_policies(m, &tr, &acc);
        if (st == TR_OK && !tr.nomem && m->s->ext)
            rows_ext(m, &tr, &acc);
        if (tr.nomem)
            st = TR_FAIL(TR_E_NOMEM, "out of memory");
    }
    if (st == TR_OK && tr.nr > (size_t)INT_MAX / 2)
        st = TR_FAIL(TR_E_INVAL, "the LP would have %zu rows, more than GLPK can take", tr.nr);
    /* rows and triplets move into the model's LP data */
    tri_lpd *d = &m->lpd;
    d->nrows = m->nrows = tr.nr;
    d->nnz = m->nnz = tr.n;
    d->rtype = tr.rtype;
    d->rlb = tr.rlb;
    d->rub = tr.rub;
    d->rname = tr.rname;
    d->ia = tr.ia;
    d->ja = tr.ja;
    d->ar = tr.ar;
    tri_acc_free(&acc);
    return st;
}

/* names are only needed to load the backend once */
static void lpd_drop_names(tri_lpd *d)
{
    tri_free_strv(d->cname, d->ncols + 1);
    d->cname = NULL;
    tri_free_strv(d->rname, d->nrows);
    d->rname = NULL;
}

void tri_lpd_free(tri_lpd *d)
{
    lpd_drop_names(d);
    tri_free(d->ctype);
    tri_free(d->clb);
    tri_free(d->cub);
    tri_free(d->obj);
    tri_free(d->rtype);
    tri_free(d->rlb);
    tri_free(d->rub);
    tri_free(d->ia);
    tri_free(d->ja);
    tri_free(d->ar);
    memset(d, 0, sizeof *d);
}

static void lpd_load(tr_model *m)
{
    const tri_lpd *d = &m->lpd;
    tri_lp *lp = m->hold.lp;
    tri_lp_set_obj(lp, 0, d->obj0);
    if (d->ncols) {
        tri_lp_add_cols(lp, (int)d->ncols);
        for (size_t c = 1; c <= d->ncols; c++) {
            if (d->cname && d->cname[c])
                tri_lp_set_col_name(lp, (int)c, d->cname[c]);
            tri_lp_set_col_bounds(lp, (int)c, d->ctype[c], d->clb[c], d->cub[c]);
            tri_lp_set_obj(lp, (int)c, d->obj[c]);
        }
    }
    if (d->nrows) {
        tri_lp_add_rows(lp, (int)d->nrows);
        for (size_t r = 0; r < d->nrows; r++) {
            if (d->rname && d->rname[r])
                tri_lp_set_row_name(lp, (int)r + 1, d->rname[r]);
            tri_lp_set_row_bounds(lp, (int)r + 1, d->rtype[r], d->rlb[r], d->rub[r]);
        }
        tri_lp_load(lp, d->nnz, d->ia, d->ja, d->ar);
    }
}

/* a new backend problem for the model, named and empty */
static void lp_new(tr_model *m)
{
    /* the scenario's name is free text: the backend cleans it */
    m->hold.lp = tri_lp_new(m->s->name[0] ? m->s->name : "scenario");
    tri_lp_set_obj_name(m->hold.lp, "npv");
}

/* @lazy: the backend's problem later, at its first use (m->lp_wait) */
tr_status tri_build(tr_model *m, int lazy)
{
    if (!lazy)
        lp_new(m);
    /* rows and columns are named only when the LP is written out
     * (tri_model_name): naming is a large part of a small build */
    m->names = 0;
    tr_status st = build_lpd(m);
    if (st == TR_OK && !lazy)
        lpd_load(m);
    m->lp_wait = lazy;
    return st;
}

/* The backend's problem again, in the calling thread's environment, from
 * the model's data (the old one belongs to another thread): as built,
 * without names (given again when the LP is written out), a basis or an
 * analysis' changes. */
void tri_model_reload(tr_model *m)
{
    lp_new(m);
    lpd_load(m);
    m->named = 0;
    m->solved_basis = 0;
    m->obj_swapped = 0;
}

/* Give the LP's rows and columns their names (stock[plant,tech,2025], ...),
 * built again from the scenario with the same structure. */
tr_status tri_model_name(tr_model *m)
{
    if (m->named)
        return TR_OK;
    tr_model tmp;
    memset(&tmp, 0, sizeof tmp);
    tmp.s = m->s;
    tmp.names = 1;
    tr_status st = build_lpd(&tmp);
    if (st == TR_OK && (tmp.lpd.ncols != m->lpd.ncols || tmp.lpd.nrows != m->lpd.nrows))
        st = TR_FAIL(TR_E_STATE, "the model changed structure; cannot name its LP");
    for (size_t c = 1; st == TR_OK && c <= tmp.lpd.ncols; c++)
        if (!tmp.lpd.cname || !tmp.lpd.cname[c])
            st = TR_FAIL(TR_E_NOMEM, "out of memory");
    for (size_t r = 0; st == TR_OK && r < tmp.lpd.nrows; r++)
        if (!tmp.lpd.rname || !tmp.lpd.rname[r])
            st = TR_FAIL(TR_E_NOMEM, "out of memory");
    if (st == TR_OK) {
        for (size_t c = 1; c <= tmp.lpd.ncols; c++)
            tri_lp_set_col_name(m->hold.lp, (int)c, tmp.lpd.cname[c]);
        for (size_t r = 0; r < tmp.lpd.nrows; r++)
            tri_lp_set_row_name(m->hold.lp, (int)r + 1, tmp.lpd.rname[r]);
        m->named = 1;
    }
    tri_model_release_maps(&tmp);
    return st;
}

void tri_model_release_maps(tr_model *m)
{
    tri_free(m->jp);
    tri_free(m->jk);
    tri_free(m->acol);
    tri_free(m->ncol);
    tri_free(m->qcol);
    tri_free(m->prow);
    tri_free(m->ocol);
    tri_free(m->kcol);
    tri_free(m->bcol);
    tri_free(m->Ccol);
    tri_free(m->mcol);
    tri_free(m->drow);
    tri_lpd_free(&m->lpd);
    m->jp = m->jk = NULL;
    m->acol = m->ncol = m->qcol = m->ocol = m->kcol = m->bcol = m->Ccol = m->mcol = m->drow = NULL;
    m->prow = NULL;
    m->nprow = 0;
}

/* Replace the model's scenario by @s (same structure expected): rebuild the
 * LP data, and change in the backend only the objective coefficients, bounds and
 * matrix rows that differ, so the current basis stays a warm start. When
 * the structure differs (other sizes or sparsity), the whole problem is
 * reloaded (the basis is lost). Takes a reference to @s. */
tr_status tri_model_update(tr_model *m, tri_scen *s, int *reloaded)
{
    tr_model tmp;
    memset(&tmp, 0, sizeof tmp);
    tmp.s = s;
    tr_status st = build_lpd(&tmp);
    if (st != TR_OK) {
        tri_model_release_maps(&tmp);
        return st;
    }
    tri_lpd *o = &m->lpd, *n = &tmp.lpd;
    int same = o->ncols == n->ncols && o->nrows == n->nrows && o->nnz == n->nnz;
    for (size_t k = 1; same && k <= n->nnz; k++)
        same = o->ia[k] == n->ia[k] && o->ja[k] == n->ja[k];
    tri_lp *lp = m->hold.lp;
    m->upd_primal = 0;
    if (same) {
        /* what changed decides the warm start: costs only keep the basis
         * primal feasible (primal simplex), bounds or rows keep it dual
         * feasible (dual simplex) */
        int costs = 0, other = 0;
        if (o->obj0 != n->obj0)
            tri_lp_set_obj(lp, 0, n->obj0);
        for (size_t c = 1; c <= n->ncols; c++) {
            if (o->obj[c] != n->obj[c]) {
                tri_lp_set_obj(lp, (int)c, n->obj[c]);
                costs = 1;
            }
            if (o->ctype[c] != n->ctype[c] || o->clb[c] != n->clb[c] || o->cub[c] != n->cub[c]) {
                tri_lp_set_col_bounds(lp, (int)c, n->ctype[c], n->clb[c], n->cub[c]);
                other = 1;
            }
        }
        for (size_t r = 0; r < n->nrows; r++)
            if (o->rtype[r] != n->rtype[r] || o->rlb[r] != n->rlb[r] || o->rub[r] != n->rub[r]) {
                tri_lp_set_row_bounds(lp, (int)r + 1, n->rtype[r], n->rlb[r], n->rub[r]);
                other = 1;
            }
        /* triplets come row by row: replace each row with a changed value */
        size_t k = 1;
        while (k <= n->nnz) {
            size_t k0 = k;
            int row = n->ia[k], changed = 0;
            while (k <= n->nnz && n->ia[k] == row) {
                changed |= o->ar[k] != n->ar[k];
                k++;
            }
            if (changed) {
                tri_lp_set_mat_row(lp, row, (int)(k - k0), n->ja + k0 - 1, n->ar + k0 - 1);
                other = 1;
            }
        }
        m->upd_primal = costs && !other;
        *reloaded = 0;
    } else {
        *reloaded = 1;   /* another structure: a fresh problem, loaded below */
    }
    /* adopt the new maps and data */
    tri_model_release_maps(m);
    m->lpd = tmp.lpd;
    m->jp = tmp.jp;
    m->jk = tmp.jk;
    m->acol = tmp.acol;
    m->ncol = tmp.ncol;
    m->qcol = tmp.qcol;
    m->prow = tmp.prow;
    m->nprow = tmp.nprow;
    m->ocol = tmp.ocol;
    m->kcol = tmp.kcol;
    m->bcol = tmp.bcol;
    m->Ccol = tmp.Ccol;
    m->mcol = tmp.mcol;
    m->drow = tmp.drow;
    m->J = tmp.J;
    m->ncols = tmp.ncols;
    m->nrows = tmp.nrows;
    m->nnz = tmp.nnz;
    m->obj0 = tmp.obj0;
    tri_scen_free(m->s);
    m->s = s;
    if (*reloaded) {
        m->named = 0;
        tri_lp_clear(lp);
        lpd_load(m);
        m->solved_basis = 0;
    }
    return TR_OK;
}
