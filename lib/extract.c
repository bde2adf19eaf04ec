/* extract: solution arrays -> results (MODEL.md §11). Indicators are
 * recomputed from the column values by the formulas of §7, not read from
 * GLPK's rows; shadow prices follow §8 (increase of NPV per unit of
 * tightening, divided by df[y]). No GLPK types here. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "formula.h"
#include "iamc.h"
#include "model.h"
#include "provenance.h"
#include "windows.h"

tr_result *tri_result_new(const tr_model *m)
{
    const tri_scen *s = m->s;
    tr_result *r = tri_calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->status = TR_SOL_FAILED;
    r->npv = NAN;
    r->rcost = NAN;
    r->start = s->start;
    r->Y = s->Y;
    r->scenario = tri_strdup(s->name);
    r->sha = tri_strdup(m->sha);
    r->currency = tri_strdup(s->currency);
    r->region = tri_strdup(s->region);
    r->pol = tri_calloc(s->N, sizeof *r->pol);
    if (!r->scenario || !r->sha || !r->currency || !r->region || !r->pol) {
        tr_result_free(r);
        return NULL;
    }
    r->np = s->N;
    if (tri_windows_result(s, r) != TR_OK) {
        tr_result_free(r);
        return NULL;
    }
    for (size_t i = 0; i < s->N; i++) {
        const tri_policy *po = &s->pol[i];
        char nb[200], ub[200];
        r->pol[i].id = tri_strdup(po->id);
        r->pol[i].type = tri_strdup(tri_policy_type_name(po->type));
        r->pol[i].illustrative = tri_prov_illustrative(s, i);
        r->pol[i].ref_year = po->ref_year;
        r->pol[i].ref = po->ref;
        if (po->type == TRI_POL_MANDATE) {
            snprintf(nb, sizeof nb, "adoption.%s", po->tech >= 0 ? s->tech[po->tech].id : s->group[po->group]);
            snprintf(ub, sizeof ub, "share");
        } else if (po->type == TRI_POL_SUBSIDY) {
            snprintf(nb, sizeof nb, "capex_share");
            snprintf(ub, sizeof ub, "share");
        } else if (po->type == TRI_POL_BAN) {
            snprintf(nb, sizeof nb, "new_installations");
            snprintf(ub, sizeof ub, "-");
        } else {
            tri_indicator_name(s, po->ind, nb, sizeof nb);
            tri_indicator_unit(s, po->ind, ub, sizeof ub);
            if (po->type == TRI_POL_PRICE) {
                char tmp[200];
                snprintf(tmp, sizeof tmp, "%s/%s", s->currency, ub);
                snprintf(ub, sizeof ub, "%s", tmp);
            } else if (po->type == TRI_POL_INTENSITY_CAP || po->type == TRI_POL_STANDARD) {
                char tmp[200], per[100];
                tri_indicator_unit(s, po->type == TRI_POL_INTENSITY_CAP ? po->per : (tri_indicator){TRI_IND_PRODUCTION, TRI_ALL},
                                   per, sizeof per);
                snprintf(tmp, sizeof tmp, "%s/%s", ub, po->type == TRI_POL_STANDARD ? s->prod[0].unit : per);
                if (po->type == TRI_POL_STANDARD && s->R > 1)
                    snprintf(tmp, sizeof tmp, "%s/unit of product", ub);
                snprintf(ub, sizeof ub, "%s", tmp);
            }
        }
        r->pol[i].indicator = tri_strdup(nb);
        r->pol[i].unit = tri_strdup(ub);
        if (!r->pol[i].id || !r->pol[i].type || !r->pol[i].indicator || !r->pol[i].unit) {
            tr_result_free(r);
            return NULL;
        }
    }
    return r;
}

static void series_free(tri_series *se)
{
    tri_free(se->name);
    tri_free(se->unit);
    tri_free(se->label);
    tri_free(se->item);
    tri_free(se->field);
    tri_free(se->iunit);
    tri_free(se->v);
}

static void diag_free(tri_diag *d)
{
    tri_free(d->policy);
    tri_free(d->indicator);
    tri_free(d->unit);
    tri_free(d->message);
}

static void polinfo_free(tri_polinfo *p)
{
    tri_free(p->id);
    tri_free(p->type);
    tri_free(p->unit);
    tri_free(p->indicator);
}

void tr_result_free(tr_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->ns; i++)
        series_free(&r->ser[i]);
    tri_free(r->ser);
    tri_free_strv(r->tname, r->nt);
    tri_free_strv(r->tunit, r->nt);
    tri_free(r->tval);
    for (size_t i = 0; i < r->nd; i++)
        diag_free(&r->diag[i]);
    tri_free(r->diag);
    for (size_t i = 0; i < r->np; i++)
        polinfo_free(&r->pol[i]);
    tri_free(r->pol);
    tri_free(r->eq);
    tri_free(r->inst);
    tri_free_strv(r->psname, r->PS);
    tri_free(r->ps);
    tri_winres_free(r->iw);
    tri_free(r->scenario);
    tri_free(r->sha);
    tri_free(r->currency);
    tri_free(r->region);
    tri_free(r->method);
    tri_free(r->solver_message);
    tri_free(r);
}

/* "natural_gas" -> "Natural Gas" for IAMC labels when no name is given */
#define title tri_iamc_title

/* Add a series; @v is copied. Returns NULL on OOM. */
static tri_series *add_series(tr_result *r, tri_ser_kind kind, const char *name, const char *unit, const char *label,
                              const char *item, const char *field, const double *v)
{
    if (r->ns == r->scap) {
        size_t cap = r->scap ? r->scap * 2 : 32;
        tri_series *ns = tri_realloc(r->ser, cap * sizeof *ns);
        if (!ns)
            return NULL;
        r->ser = ns;
        r->scap = cap;
    }
    tri_series *s = &r->ser[r->ns];
    memset(s, 0, sizeof *s);
    s->kind = kind;
    s->name = tri_strdup(name);
    s->unit = tri_strdup(unit);
    s->label = label ? tri_strdup(label) : NULL;
    s->item = item ? tri_strdup(item) : NULL;
    s->field = field ? tri_strdup(field) : NULL;
    s->v = tri_malloc(r->Y * sizeof *s->v);
    r->ns++;   /* counted even when partial, so tr_result_free releases it */
    if (!s->name || !s->unit || (label && !s->label) || (item && !s->item) || (field && !s->field) || !s->v)
        return NULL;
    memcpy(s->v, v, r->Y * sizeof *v);
    return s;
}

static int add_total(tr_result *r, const char *name, const char *unit, double v)
{
    if (r->nt == r->tcap) {
        size_t cap = r->tcap ? r->tcap * 2 : 16;
        char **a = tri_realloc(r->tname, cap * sizeof *a);
        if (a)
            r->tname = a;
        char **b = tri_realloc(r->tunit, cap * sizeof *b);
        if (b)
            r->tunit = b;
        double *c = tri_realloc(r->tval, cap * sizeof *c);
        if (c)
            r->tval = c;
        if (!a || !b || !c)
            return 0;
        r->tcap = cap;
    }
    r->tname[r->nt] = tri_strdup(name);
    r->tunit[r->nt] = tri_strdup(unit);
    r->tval[r->nt] = v;
    r->nt++;
    return r->tname[r->nt - 1] && r->tunit[r->nt - 1];
}

char *tri_fmt_num(double v, char *buf, size_t n)
{
    if (!isfinite(v)) {
        snprintf(buf, n, "%s", isnan(v) ? "n/a" : v > 0 ? "inf" : "-inf");
        return buf;
    }
    if (fabs(v) >= 1000 && fabs(v) < 1e15) {
        char digits[32];
        snprintf(digits, sizeof digits, "%.0f", fabs(v));
        size_t len = strlen(digits), j = 0;
        char out[48];
        if (v < 0)
            out[j++] = '-';
        for (size_t i = 0; i < len; i++) {
            if (i > 0 && (len - i) % 3 == 0)
                out[j++] = ',';
            out[j++] = digits[i];
        }
        out[j] = '\0';
        snprintf(buf, n, "%s", out);
    } else {
        snprintf(buf, n, "%.4g", v);
    }
    return buf;
}

tr_status tri_result_add_diag(tr_result *r, const tr_model *m, const tri_prow *pr, double act)
{
    const tri_scen *s = m->s;
    const tri_policy *po = &s->pol[pr->pol];
    tri_diag *nd = tri_realloc(r->diag, (r->nd + 1) * sizeof *nd);
    if (!nd)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    r->diag = nd;
    tri_diag *d = &r->diag[r->nd];
    memset(d, 0, sizeof *d);
    r->nd++;
    int y = s->start + (int)pr->t;
    double lim = po->val[pr->t], reach;
    const char *word = pr->ge ? "highest" : "lowest";
    char ind[200], unit[200];
    /* the row holds the indicator's variable part (@act at the solution);
     * its constant part is konst (rhs = limit - konst, or limit * per - konst) */
    if (po->type == TRI_POL_MANDATE) {
        double B = pr->rhs / (lim > 0 ? lim : 1);
        reach = B > 0 ? act / B : 0;
        snprintf(ind, sizeof ind, "adoption.%s", po->tech >= 0 ? s->tech[po->tech].id : s->group[po->group]);
        snprintf(unit, sizeof unit, "share");
    } else {
        tri_indicator_name(s, po->ind, ind, sizeof ind);
        tri_indicator_unit(s, po->ind, unit, sizeof unit);
        if (po->type == TRI_POL_INTENSITY_CAP || po->type == TRI_POL_STANDARD) {
            reach = pr->denom > 0 ? (act + pr->konst) / pr->denom : HUGE_VAL;
            char tmp[220], pn[100], pu[100];
            tri_indicator per = po->type == TRI_POL_INTENSITY_CAP ? po->per : (tri_indicator){TRI_IND_PRODUCTION, TRI_ALL};
            tri_indicator_name(s, per, pn, sizeof pn);
            tri_indicator_unit(s, per, pu, sizeof pu);
            if (per.kind == TRI_IND_PRODUCTION)
                snprintf(tmp, sizeof tmp, "%s per %s", ind, pu);
            else
                snprintf(tmp, sizeof tmp, "%s per %s", ind, pn);
            snprintf(ind, sizeof ind, "%s", tmp);
            snprintf(tmp, sizeof tmp, "%s/%s", unit, pu);
            snprintf(unit, sizeof unit, "%s", tmp);
        } else {
            reach = act + pr->konst;
        }
    }
    d->year = y;
    d->reachable = reach;
    d->limit = lim;
    d->policy = tri_strdup(po->id);
    d->indicator = tri_strdup(ind);
    d->unit = tri_strdup(unit);
    char a[64], b[64];
    d->message = tri_asprintf("policy %s cannot be met in %d%s%s: %s reachable %s is %s %s, %s %s %s", po->id, y,
                              pr->plant >= 0 ? " at plant " : "", pr->plant >= 0 ? s->pl[pr->plant].id : "", word,
                              ind, tri_fmt_num(reach, a, sizeof a), unit,
                              po->type == TRI_POL_MANDATE ? "required" : "limit", tri_fmt_num(lim, b, sizeof b),
                              unit);
    if (!d->policy || !d->indicator || !d->unit || !d->message)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    return TR_OK;
}

/* The resource cost (docs/MODEL.md §11, "Resource cost"): the NPV of every
 * private cost of the objective (§7 and §12's other, closure and import
 * costs) without emission taxes, a transfer, and without damage costs that
 * a social objective counts, plus public subsidies. The order of the terms
 * is the one the report has always printed. */
static double resource_cost(const tri_scen *s, double npv, double pv_tax, double pv_sub, double pv_dmg)
{
    double v = npv - pv_tax + pv_sub;
    if (s->social)
        v -= pv_dmg;
    return v;
}

/* value of an indicator at the solution @x */
static double eval_ind(const tr_model *m, tri_rowacc *acc, tri_indicator ind, size_t t, long plant, long product,
                       const double *x)
{
    double v = tri_ind_terms(m, ind, t, plant, product, 1, acc);
    for (size_t i = 0; i < acc->n; i++) {
        int c = acc->idx[i];
        v += acc->val[c] * x[c];
        acc->val[c] = 0;
        acc->on[c] = 0;
    }
    acc->n = 0;
    return v;
}

/* ------------------------------------------------------------ formulas
 * §12's effective capacity and §8's mandate base are lib/formula.h's, the
 * same functions build.c puts into the LP. */

/* §8/§12: a mandate's base B[y] = sum_p best appl * effective capacity over
 * the plants in scope (@plant, or all when < 0) at the solution @x */
static double mandate_base(const tr_model *m, const double *x, const tri_policy *po, long plant, size_t t)
{
    double den = 0;
    for (size_t pp = 0; pp < m->s->P; pp++)
        if (plant < 0 || (size_t)plant == pp)
            den += tri_mandate_base_at(m, po, pp, t, x);
    return den;
}

/* §7 for one plant: E[c] = int0[c]*x + sum_k d[k,p,c]*u*a[k], with a[k] at
 * @a[k*@stride] (the equipped capacity of each technology) */
void tri_plant_energy(const tri_scen *s, size_t p, size_t t, double x, const double *a, size_t stride, double *E)
{
    const tri_plant *pl = &s->pl[p];
    size_t C = s->C;
    double u = pl->u[t];
    for (size_t c = 0; c < C; c++)
        E[c] = pl->int0[c] * x;
    for (size_t k = 0; k < s->K; k++) {
        const tri_tech *te = &s->tech[k];
        if (!te->applies[p])
            continue;
        for (size_t c = 0; c < C; c++)
            E[c] += te->d[p * C + c] * u * a[k * stride];
    }
}

/* ------------------------------------------------------------ sums (MODEL.md §7, §12) */

/* What extraction adds up, per year ([Y] unless said otherwise). */
typedef struct sums {
    double *E, *M;                       /* [C*Y] energy per carrier, [S*Y] emissions per species */
    double *prod, *capa, *inv, *subs, *capital, *om, *ecost, *tax, *dmg, *total, *etot;
    double *xpl;                         /* [P*Y] production per plant */
    double *ext;                         /* §12, one block: */
    double *pprod, *pimp, *pprice;       /*   [R*Y] production, imports, prices per product */
    double *pind;                        /*   [I*Y] declared indicators */
    double *cother, *cclose, *cimp;      /*   other, closure and import costs */
    double *buf;                         /* scratch */
    double npv;
} sums;

static void sums_free(sums *w)
{
    double *all[] = {w->E, w->M, w->prod, w->capa, w->inv, w->subs, w->capital, w->om, w->ecost, w->tax, w->dmg,
                     w->total, w->etot, w->xpl, w->ext, w->buf};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        tri_free(all[i]);
}

static tr_status sums_new(const tri_scen *s, sums *w)
{
    size_t Y = s->Y;
    memset(w, 0, sizeof *w);
    w->E = tri_calloc(s->C * Y, sizeof *w->E);
    w->M = tri_calloc((s->S ? s->S : 1) * Y, sizeof *w->M);
    double **per_year[] = {&w->buf, &w->prod, &w->capa, &w->inv, &w->subs, &w->capital, &w->om,
                           &w->ecost, &w->tax, &w->dmg, &w->total, &w->etot};
    int ok = w->E && w->M;
    for (size_t i = 0; ok && i < sizeof per_year / sizeof *per_year; i++)
        ok = (*per_year[i] = tri_calloc(Y, sizeof(double))) != NULL;
    if (ok) {
        w->xpl = tri_calloc(s->P * Y, sizeof *w->xpl);
        w->ext = tri_calloc((s->R * 3 + s->I + 3) * Y + 1, sizeof *w->ext);
        ok = w->xpl && w->ext;
    }
    if (!ok) {
        sums_free(w);
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    }
    w->pprod = w->ext;
    w->pimp = w->ext + s->R * Y;
    w->pprice = w->ext + 2 * s->R * Y;
    w->pind = w->ext + 3 * s->R * Y;
    w->cother = w->pind + s->I * Y;
    w->cclose = w->cother + Y;
    w->cimp = w->cclose + Y;
    return TR_OK;
}

/* the baseline: production (§12: prod*o for a closable plant, utilisation*C
 * for a candidate), capacity, int0 and pe0 times production */
static void baseline_sums(const tr_model *m, const double *x, sums *w)
{
    const tri_scen *s = m->s;
    size_t Y = s->Y;
    for (size_t p = 0; p < s->P; p++)
        for (size_t t = 0; t < Y; t++) {
            int col;
            double coef;
            double xp = tri_x_part(m, p, t, &col, &coef);
            if (col)
                xp += coef * x[col];
            w->xpl[p * Y + t] = xp;
            w->prod[t] += xp;
            w->capa[t] += tri_eff_capacity_at(m, p, t, x);
            for (size_t c = 0; c < s->C; c++)
                w->E[c * Y + t] += s->pl[p].int0[c] * xp;
            for (size_t sp = 0; sp < s->S; sp++)
                w->M[sp * Y + t] += s->pl[p].pe0[sp] * xp;
        }
}

/* the technologies: their effects, O&M, investment, subsidies and capital
 * charges; a[p,k,y] and n[p,k,y] kept in @r */
static tr_status technology_sums(const tr_model *m, const double *x, sums *w, tr_result *r)
{
    const tri_scen *s = m->s;
    size_t Y = s->Y, C = s->C, S = s->S;
    r->P = s->P;
    r->K = s->K;
    r->eq = tri_calloc(s->P * s->K * Y, sizeof *r->eq);
    r->inst = tri_calloc(s->P * s->K * Y, sizeof *r->inst);
    if (!r->eq || !r->inst)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    for (size_t j = 0; j < m->J; j++) {
        size_t p = m->jp[j], k = m->jk[j];
        const tri_tech *te = &s->tech[k];
        double crf = tri_crf(te->hurdle, te->life);
        for (size_t t = 0; t < Y; t++) {
            double a = x[m->acol[j * Y + t]], u = s->pl[p].u[t];
            int nc = m->ncol[j * Y + t];
            double n = nc ? x[nc] : 0;
            r->eq[(p * s->K + k) * Y + t] = a;
            r->inst[(p * s->K + k) * Y + t] = n;
            for (size_t c = 0; c < C; c++)
                w->E[c * Y + t] += te->d[p * C + c] * u * a;
            for (size_t sp = 0; sp < S; sp++)
                w->M[sp * Y + t] += te->dpe[p * S + sp] * u * a;
            w->om[t] += te->fom[t] * a + te->vom[t] * u * a;
            for (size_t i = 0; i < s->I; i++)
                w->pind[i * Y + t] += te->ind[i] * u * a;
            w->inv[t] += te->capex[t] * n;
            w->subs[t] += te->sub[t] * te->capex[t] * n;
            double charge = n * te->capex[t] * (1 - te->sub[t]) * crf;
            for (size_t tt = t; tt < Y && tt < t + (size_t)te->life; tt++)
                w->capital[tt] += charge;
        }
    }
    return TR_OK;
}

/* §12: production per product, declared indicators, other, closure and
 * import costs, candidates' investment, O&M and capital charges, imports
 * and the products' marginal costs */
static void section12_sums(const tr_model *m, const double *x, const double *rowdual, sums *w)
{
    const tri_scen *s = m->s;
    size_t Y = s->Y;
    for (size_t p = 0; p < s->P; p++) {
        const tri_plant *pl = &s->pl[p];
        double bcrf = pl->candidate ? tri_crf(pl->bh, pl->blife) : 0;
        for (size_t t = 0; t < Y; t++) {
            double xp = w->xpl[p * Y + t];
            w->pprod[pl->product * Y + t] += xp;
            w->cother[t] += pl->other[t] * xp;
            for (size_t i = 0; i < s->I; i++)
                w->pind[i * Y + t] += pl->ind[i] * xp;
            if (pl->closable) {
                double o = x[m->ocol[p * Y + t]], prev = t > 0 ? x[m->ocol[p * Y + t - 1]] : 1.0;
                w->cclose[t] += pl->cc[t] * pl->cap[t] * (pl->reopenable ? x[m->kcol[p * Y + t]] : prev - o);
            }
            if (pl->candidate) {
                double b = x[m->bcol[p * Y + t]], Cap = x[m->Ccol[p * Y + t]];
                w->inv[t] += pl->bcapex[t] * b;
                w->om[t] += pl->bfom[t] * Cap;
                for (size_t tt = t; tt < Y && tt < t + (size_t)pl->blife; tt++)
                    w->capital[tt] += b * pl->bcapex[t] * bcrf;
            }
        }
    }
    for (size_t rr = 0; rr < s->R; rr++)
        for (size_t t = 0; t < Y; t++) {
            int mc = m->mcol[rr * Y + t];
            w->pimp[rr * Y + t] = mc ? x[mc] : 0;
            w->cimp[t] += s->prod[rr].imp_price[t] * w->pimp[rr * Y + t];
            int dr = m->drow[rr * Y + t];
            w->pprice[rr * Y + t] = dr ? rowdual[dr] / s->df[t] : NAN;
        }
}

/* the carriers' part of §7 (energy cost, total energy, emissions from
 * energy), emission tax and damage, the objective's yearly total and NPV */
static void cost_sums(const tri_scen *s, sums *w)
{
    size_t Y = s->Y, C = s->C, S = s->S;
    for (size_t t = 0; t < Y; t++)
        for (size_t c = 0; c < C; c++) {
            w->ecost[t] += s->car[c].price[t] * w->E[c * Y + t];
            if (s->car[c].has_ec)
                w->etot[t] += s->car[c].ec * w->E[c * Y + t];
            for (size_t sp = 0; sp < S; sp++)
                w->M[sp * Y + t] += s->car[c].ef[sp * Y + t] * w->E[c * Y + t];
        }
    for (size_t t = 0; t < Y; t++) {
        for (size_t sp = 0; sp < S; sp++) {
            w->tax[t] += s->tax[sp * Y + t] * w->M[sp * Y + t];
            w->dmg[t] += s->spe[sp].dmg[t] * w->M[sp * Y + t];
        }
        w->total[t] = w->ecost[t] + w->tax[t] + w->om[t] + w->capital[t] + (s->social ? w->dmg[t] : 0);
        if (s->ext)
            w->total[t] += w->cother[t] + w->cclose[t] + w->cimp[t];
    }
    w->npv = 0;
    for (size_t t = 0; t < Y; t++)
        w->npv += s->df[t] * w->total[t];
}

/* ------------------------------------------------------------ indicator series (§11) */

static tr_status put(tr_result *r, tri_ser_kind kind, const char *name, const char *unit, const char *label,
                     const char *item, const double *v)
{
    return add_series(r, kind, name, unit, label, item, NULL, v) ? TR_OK : TR_FAIL(TR_E_NOMEM, "out of memory");
}

#define PUT(name, unit, label, v)                                                    \
    do {                                                                             \
        tr_status st_ = put(r, TRI_SER_INDICATOR, (name), (unit), (label), NULL, (v)); \
        if (st_ != TR_OK)                                                            \
            return st_;                                                              \
    } while (0)

/* The last series added is written to IAMC in GJ (@unit) times @ec: every
 * energy carrier with an energy content then adds up to Final Energy */
static tr_status iamc_in_gj(tr_result *r, double ec, const char *unit)
{
    tri_series *x = &r->ser[r->ns - 1];
    x->iscale = ec;
    return (x->iunit = tri_strdup(unit)) ? TR_OK : TR_E_NOMEM;
}

/* production, capacity, energy and emissions, their intensities per unit of product */
static tr_status physical_series(const tri_scen *s, sums *w, tr_result *r)
{
    size_t Y = s->Y, C = s->C, S = s->S;
    char name[300], unit[300], label[300], pl[300];
    /* one product without §12's production.<id>: the sector's production is that product's */
    if (s->R == 1 && !s->ext)
        tri_iamc_product(s, 0, pl, sizeof pl);
    else
        snprintf(pl, sizeof pl, "Production");
    PUT("production", s->product_unit, pl, w->prod);
    snprintf(label, sizeof label, "Capacity%s", pl + strlen("Production"));
    PUT("capacity", s->product_unit, label, w->capa);
    for (size_t c = 0; c < C; c++) {
        snprintf(name, sizeof name, "%s.%s", s->car[c].material ? "material" : "energy", s->car[c].id);
        tri_iamc_carrier(s, c, label, sizeof label);
        PUT(name, s->car[c].unit, label, w->E + c * Y);
        if (s->car[c].has_ec && iamc_in_gj(r, s->car[c].ec, "GJ") != TR_OK)
            return TR_FAIL(TR_E_NOMEM, "out of memory");
    }
    PUT("energy.total", "GJ", "Final Energy", w->etot);
    for (size_t sp = 0; sp < S; sp++) {
        snprintf(name, sizeof name, "emissions.%s", s->spe[sp].id);
        tri_iamc_species(s, sp, label, sizeof label);
        PUT(name, s->spe[sp].unit, label, w->M + sp * Y);
    }
    for (size_t c = 0; c <= C; c++) {
        const double *v = c < C ? w->E + c * Y : w->etot;
        for (size_t t = 0; t < Y; t++)
            w->buf[t] = w->prod[t] > 0 ? v[t] / w->prod[t] : NAN;
        snprintf(name, sizeof name, "intensity.%s.%s", c < C && s->car[c].material ? "material" : "energy",
                 c < C ? s->car[c].id : "total");
        snprintf(unit, sizeof unit, "%s/%s", c < C ? s->car[c].unit : "GJ", s->product_unit);
        if (c < C)
            tri_iamc_carrier(s, c, pl, sizeof pl);
        snprintf(label, sizeof label, "Intensity|%s", c < C ? pl : "Final Energy");
        PUT(name, unit, label, w->buf);
        snprintf(unit, sizeof unit, "GJ/%s", s->product_unit);
        if (c < C && s->car[c].has_ec && iamc_in_gj(r, s->car[c].ec, unit) != TR_OK)
            return TR_FAIL(TR_E_NOMEM, "out of memory");
    }
    for (size_t sp = 0; sp < S; sp++) {
        for (size_t t = 0; t < Y; t++)
            w->buf[t] = w->prod[t] > 0 ? w->M[sp * Y + t] / w->prod[t] : NAN;
        snprintf(name, sizeof name, "intensity.emissions.%s", s->spe[sp].id);
        snprintf(unit, sizeof unit, "%s/%s", s->spe[sp].unit, s->product_unit);
        tri_iamc_species(s, sp, pl, sizeof pl);
        snprintf(label, sizeof label, "Intensity|%s", pl);
        PUT(name, unit, label, w->buf);
    }
    return TR_OK;
}

/* investment, the cost terms of the objective, subsidy spending */
static tr_status money_series(const tri_scen *s, const sums *w, tr_result *r)
{
    const char *cur = s->currency;
    PUT("investment", cur, "Investment", w->inv);
    PUT("cost.energy", cur, "Cost|Energy", w->ecost);
    PUT("cost.capital", cur, "Cost|Capital", w->capital);
    PUT("cost.om", cur, "Cost|O&M", w->om);
    PUT("cost.emission_tax", cur, "Cost|Emission Tax", w->tax);
    PUT("cost.damage", cur, "Cost|Damage", w->dmg);
    PUT("cost.total", cur, "Cost|Total", w->total);
    PUT("subsidy", cur, "Expenditure|Subsidy", w->subs);
    return TR_OK;
}

/* §12: its costs, products, declared indicators, operating shares and built capacity */
static tr_status section12_series(const tr_model *m, const double *x, sums *w, tr_result *r)
{
    const tri_scen *s = m->s;
    size_t Y = s->Y;
    const char *cur = s->currency;
    char name[300], unit[300], label[300], tl[200];
    PUT("cost.other", cur, "Cost|Other", w->cother);
    PUT("cost.closure", cur, "Cost|Closure", w->cclose);
    PUT("cost.imports", cur, "Cost|Imports", w->cimp);
    for (size_t rr = 0; rr < s->R; rr++) {
        const tri_product *pr = &s->prod[rr];
        title(pr->id, tl, sizeof tl);
        char pn[300];
        tri_iamc_product(s, rr, pn, sizeof pn);
        const char *tail = strchr(pn, '|') ? strchr(pn, '|') + 1 : pn;
        (void)tl;
        snprintf(name, sizeof name, "production.%s", pr->id);
        PUT(name, pr->unit, pn, w->pprod + rr * Y);
        snprintf(name, sizeof name, "imports.%s", pr->id);
        snprintf(label, sizeof label, "Imports|%s", tail);
        PUT(name, pr->unit, label, w->pimp + rr * Y);
        snprintf(name, sizeof name, "prices.%s", pr->id);
        snprintf(unit, sizeof unit, "%s/%s", cur, pr->unit);
        snprintf(label, sizeof label, "Price|%s", tail);
        PUT(name, unit, label, w->pprice + rr * Y);
    }
    for (size_t i = 0; i < s->I; i++) {
        title(s->cind[i].id, tl, sizeof tl);
        snprintf(label, sizeof label, "%s", s->cind[i].name ? s->cind[i].name : tl);
        PUT(s->cind[i].id, s->cind[i].unit, label, w->pind + i * Y);
    }
    for (size_t p = 0; p < s->P; p++) {
        const tri_plant *pl = &s->pl[p];
        if (!pl->closable && !pl->candidate)
            continue;
        for (size_t t = 0; t < Y; t++)
            w->buf[t] = pl->closable ? x[m->ocol[p * Y + t]] : x[m->Ccol[p * Y + t]];
        snprintf(name, sizeof name, "%s.%s", pl->closable ? "operating" : "built", pl->id);
        snprintf(unit, sizeof unit, "%s", pl->closable ? "share" : "t/yr");
        if (!pl->closable)
            snprintf(unit, sizeof unit, "%s/yr", s->prod[pl->product].unit);
        snprintf(label, sizeof label, "%s|%s", pl->closable ? "Operating Share" : "Capacity|Built", pl->id);
        PUT(name, unit, label, w->buf);
    }
    return TR_OK;
}
#undef PUT

/* equipped capacity and adoption share (sum_p a / sum_p appl*cap) per technology */
static tr_status adoption_series(const tr_model *m, const double *x, sums *w, tr_result *r)
{
    const tri_scen *s = m->s;
    size_t Y = s->Y;
    char name[300], unit[300], label[300];
    double *base = tri_calloc(Y, sizeof *base), *eq = w->buf;
    if (!base)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    tr_status st = TR_OK;
    for (size_t k = 0; k < s->K && st == TR_OK; k++) {
        memset(eq, 0, Y * sizeof *eq);
        memset(base, 0, Y * sizeof *base);
        for (size_t j = 0; j < m->J; j++) {
            if (m->jk[j] != k)
                continue;
            for (size_t t = 0; t < Y; t++) {
                eq[t] += x[m->acol[j * Y + t]];
                base[t] += s->tech[k].appl * tri_eff_capacity_at(m, m->jp[j], t, x);
            }
        }
        snprintf(name, sizeof name, "equipped.%s", s->tech[k].id);
        snprintf(unit, sizeof unit, "%s/yr", s->product_unit);
        snprintf(label, sizeof label, "Capacity|Equipped|%s", s->tech[k].id);
        st = put(r, TRI_SER_EQUIPPED, name, unit, label, s->tech[k].id, eq);
        for (size_t t = 0; t < Y; t++)
            eq[t] = base[t] > 1e-9 ? eq[t] / base[t] : 0;
        snprintf(name, sizeof name, "adoption.%s", s->tech[k].id);
        snprintf(label, sizeof label, "Adoption|%s", s->tech[k].id);
        if (st == TR_OK)
            st = put(r, TRI_SER_ADOPTION, name, "share", label, s->tech[k].id, eq);
    }
    tri_free(base);
    return st;
}

/* ------------------------------------------------------------ policy series (§8) */

/* A policy's value at the solution on one of its rows, in its own unit;
 * NaN when it has none (a mandate without base, a zero denominator) */
static double policy_value(const tr_model *m, const double *x, tri_rowacc *acc, const tri_policy *po,
                           const tri_prow *pr, double act)
{
    const tri_scen *s = m->s;
    size_t t = pr->t, Y = s->Y;
    double v;
    if (po->type == TRI_POL_MANDATE) {
        double B = po->val[t] > 0 ? pr->rhs / po->val[t] : 0;
        v = B > 0 ? act / B : NAN;
    } else {
        v = (act + pr->konst) / (pr->denom > 0 ? pr->denom : 1);
    }
    if (s->ext && (po->type == TRI_POL_INTENSITY_CAP || po->type == TRI_POL_STANDARD || po->type == TRI_POL_MANDATE)) {
        /* §12: the denominator may be a variable: evaluate both parts */
        double num, den;
        if (po->type == TRI_POL_MANDATE) {
            num = 0;
            for (size_t j = 0; j < m->J; j++)
                if ((pr->plant < 0 || (size_t)pr->plant == m->jp[j]) && tri_mandate_counts(s, po, m->jk[j]))
                    num += x[m->acol[j * Y + t]];
            den = mandate_base(m, x, po, pr->plant, t);
        } else {
            tri_indicator per = po->type == TRI_POL_STANDARD ? (tri_indicator){TRI_IND_PRODUCTION, TRI_ALL} : po->per;
            long prod_f = po->type == TRI_POL_STANDARD ? -1 : po->product;
            num = eval_ind(m, acc, po->ind, t, pr->plant, prod_f, x);
            den = eval_ind(m, acc, per, t, pr->plant, prod_f, x);
        }
        v = den > 0 ? num / den : NAN;
    }
    return v;
}

/* binding, shadow price and value of policy @i in year @t, over its rows */
static void policy_year(const tr_model *m, const double *x, const double *rowprim, const double *rowdual,
                        tri_rowacc *acc, size_t i, size_t t, double *bind, double *shadow, double *val)
{
    const tri_scen *s = m->s;
    const tri_policy *po = &s->pol[i];
    *bind = 0;
    *shadow = 0;
    int have = 0;
    for (size_t q = 0; q < m->nprow; q++) {
        const tri_prow *pr = &m->prow[q];
        if (pr->pol != i || pr->t != t)
            continue;
        int row = pr->row;
        if (pr->plant >= 0 && s->ext) {
            /* a plant that does not produce: its row is 0 <= 0, its dual means nothing */
            int xc;
            double xcoef, xp = tri_x_part(m, (size_t)pr->plant, t, &xc, &xcoef);
            if (xc)
                xp += xcoef * x[xc];
            if (xp <= 1e-9 * fmax(1.0, s->pl[pr->plant].cap[t]))
                continue;
        }
        double act = rowprim[row];
        double tol = 1e-6 * fmax(1.0, fabs(pr->rhs));
        if (pr->ge ? act <= pr->rhs + tol : act >= pr->rhs - tol)
            *bind = 1;
        double sp = (pr->ge ? rowdual[row] : -rowdual[row]) / s->df[t];
        if (fabs(sp) < 1e-9)
            sp = 0;
        if (sp > *shadow)
            *shadow = sp;
        double v = policy_value(m, x, acc, po, pr, act);
        if (isnan(v))
            continue;
        if (!have || (po->type == TRI_POL_MANDATE ? v < *val : v > *val))
            *val = v;
        have = 1;
    }
    if (!have)
        *bind = *shadow = NAN;
}

/* the shadow price's unit: money per unit of what the policy limits */
static void shadow_unit(const tri_scen *s, const tri_policy *po, const char *pol_unit, char *su, size_t n)
{
    const char *cur = s->currency;
    snprintf(su, n, "%s per %s", cur, po->type == TRI_POL_BUDGET ? cur : po->type == TRI_POL_MANDATE ? "t/yr" : pol_unit);
    if (po->type == TRI_POL_MANDATE)
        snprintf(su, n, "%s per %s/yr", cur, s->product_unit);
    else if (po->type == TRI_POL_INTENSITY_CAP || po->type == TRI_POL_STANDARD || po->type == TRI_POL_CAP ||
             po->type == TRI_POL_FLOOR) {
        char iu[200];
        tri_indicator_unit(s, po->ind, iu, sizeof iu);
        snprintf(su, n, "%s/%s", cur, iu);
    }
}

/* binding, shadow price, value and limit per year of policy @i */
static tr_status policy_series(const tr_model *m, const double *x, const double *rowprim, const double *rowdual,
                               tri_rowacc *acc, size_t i, tr_result *r)
{
    const tri_scen *s = m->s;
    const tri_policy *po = &s->pol[i];
    size_t Y = s->Y;
    double *v = tri_calloc(4 * Y, sizeof *v);   /* binding, shadow price, value, limit */
    if (!v)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    double *bind = v, *shadow = v + Y, *val = v + 2 * Y, *lim = v + 3 * Y;
    int rows = po->type != TRI_POL_PRICE && po->type != TRI_POL_SUBSIDY && po->type != TRI_POL_BAN;
    for (size_t t = 0; t < Y; t++) {
        bind[t] = shadow[t] = val[t] = lim[t] = NAN;
        if (!po->active[t] || po->type == TRI_POL_BAN)
            continue;
        lim[t] = po->val[t];
        if (rows)
            policy_year(m, x, rowprim, rowdual, acc, i, t, &bind[t], &shadow[t], &val[t]);
        else if (po->type == TRI_POL_PRICE)
            val[t] = po->val[t];   /* a price's value is its level: what an emitted unit pays */
    }
    const char *pu = r->pol[i].unit;
    char su[320], name[300], label[300];
    shadow_unit(s, po, pu, su, sizeof su);
    static const char *const field[4] = {"binding", "shadow_price", "value", "limit"};
    static const char *const flabel[4] = {"Binding", "Shadow Price", "Value", "Limit"};
    const char *funit[4] = {"-", su, pu, pu};
    tr_status st = TR_OK;
    for (int f = 0; f < 4 && st == TR_OK; f++) {
        snprintf(name, sizeof name, "policy.%s.%s", po->id, field[f]);
        if (po->type == TRI_POL_PRICE && f == 2)
            tri_iamc_price(s, i, label, sizeof label);
        else
            snprintf(label, sizeof label, "Policy|%s|%s", po->id, flabel[f]);
        if (!add_series(r, TRI_SER_POLICY, name, funit[f], label, po->id, field[f], v + (size_t)f * Y))
            st = TR_FAIL(TR_E_NOMEM, "out of memory");
    }
    tri_free(v);
    return st;
}

/* ------------------------------------------------------------ totals */

static int add_sum(tr_result *r, const char *name, const char *unit, const double *v, size_t Y)
{
    double sum = 0;
    for (size_t t = 0; t < Y; t++)
        sum += v[t];
    return add_total(r, name, unit, sum);
}

static tr_status totals(const tri_scen *s, const sums *w, tr_result *r)
{
    size_t Y = s->Y;
    const char *cur = s->currency;
    char name[300];
    int ok = add_total(r, "npv", cur, w->npv);
    double pv_sub = 0, pv_dmg = 0, pv_tax = 0, cinv = 0, csub = 0, cen = 0;
    for (size_t t = 0; t < Y; t++) {
        pv_tax += s->df[t] * w->tax[t];
        pv_sub += s->df[t] * w->subs[t];
        pv_dmg += s->df[t] * w->dmg[t];
        cinv += w->inv[t];
        csub += w->subs[t];
        cen += w->etot[t];
    }
    ok = ok && add_total(r, "pv.subsidy", cur, pv_sub) && add_total(r, "pv.damage", cur, pv_dmg) &&
         add_total(r, "pv.emission_tax", cur, pv_tax) && add_total(r, "cumulative.investment", cur, cinv) &&
         add_total(r, "cumulative.subsidy", cur, csub) && add_total(r, "cumulative.energy.total", "GJ", cen);
    for (size_t c = 0; c < s->C && ok; c++) {
        snprintf(name, sizeof name, "cumulative.%s.%s", s->car[c].material ? "material" : "energy", s->car[c].id);
        ok = add_sum(r, name, s->car[c].unit, w->E + c * Y, Y);
    }
    for (size_t sp = 0; sp < s->S && ok; sp++) {
        snprintf(name, sizeof name, "cumulative.emissions.%s", s->spe[sp].id);
        ok = add_sum(r, name, s->spe[sp].unit, w->M + sp * Y, Y);
    }
    for (size_t i = 0; i < s->I && ok; i++) {   /* §12 declared indicators (jobs, income, ...) */
        snprintf(name, sizeof name, "cumulative.%s", s->cind[i].id);
        ok = add_sum(r, name, s->cind[i].unit, w->pind + i * Y, Y);
    }
    r->rcost = resource_cost(s, w->npv, pv_tax, pv_sub, pv_dmg);
    return ok ? TR_OK : TR_FAIL(TR_E_NOMEM, "out of memory");
}

/* ------------------------------------------------------------ per-plant series */

/* production, capacity, energy per carrier, energy.total and emissions per
 * species of every plant, kept in @r (tr_result_plant_series) */
static tr_status plant_series(const tr_model *m, const double *x, const sums *w, tr_result *r)
{
    const tri_scen *s = m->s;
    size_t Y = s->Y, C = s->C, S = s->S, n = TRI_PS_ENERGY + C + 1 + S;
    r->C = C;
    r->S = S;
    r->psname = tri_calloc(n, sizeof *r->psname);
    r->ps = tri_calloc(s->P * n * Y, sizeof *r->ps);
    double *E = tri_calloc(C + 1, sizeof *E);
    if (!r->psname || !r->ps || !E) {
        tri_free(E);
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    }
    r->PS = n;
    int ok = (r->psname[TRI_PS_PRODUCTION] = tri_strdup("production")) &&
             (r->psname[TRI_PS_CAPACITY] = tri_strdup("capacity")) &&
             (r->psname[TRI_PS_ENERGY + C] = tri_strdup("energy.total"));
    for (size_t c = 0; ok && c < C; c++)
        ok = (r->psname[TRI_PS_ENERGY + c] =
                  tri_asprintf("%s.%s", s->car[c].material ? "material" : "energy", s->car[c].id)) != NULL;
    for (size_t sp = 0; ok && sp < S; sp++)
        ok = (r->psname[TRI_PS_ENERGY + C + 1 + sp] = tri_asprintf("emissions.%s", s->spe[sp].id)) != NULL;
    for (size_t p = 0; ok && p < s->P; p++)
        for (size_t t = 0; t < Y; t++) {
            double *v = r->ps + p * n * Y + t, xp = w->xpl[p * Y + t];
            const double *a = r->eq + p * s->K * Y + t;
            v[TRI_PS_PRODUCTION * Y] = xp;
            v[TRI_PS_CAPACITY * Y] = tri_eff_capacity_at(m, p, t, x);
            tri_plant_energy(s, p, t, xp, a, Y, E);
            double etot = 0;
            for (size_t c = 0; c < C; c++) {
                v[(TRI_PS_ENERGY + c) * Y] = E[c];
                if (s->car[c].has_ec)
                    etot += s->car[c].ec * E[c];
            }
            v[(TRI_PS_ENERGY + C) * Y] = etot;
            for (size_t sp = 0; sp < S; sp++) {
                double mm = s->pl[p].pe0[sp] * xp;
                for (size_t k = 0; k < s->K; k++)
                    if (s->tech[k].applies[p])
                        mm += s->tech[k].dpe[p * S + sp] * s->pl[p].u[t] * a[k * Y];
                for (size_t c = 0; c < C; c++)
                    mm += s->car[c].ef[sp * Y + t] * E[c];
                v[(TRI_PS_ENERGY + C + 1 + sp) * Y] = mm;
            }
        }
    tri_free(E);
    return ok ? TR_OK : TR_FAIL(TR_E_NOMEM, "out of memory");
}

/* ------------------------------------------------------------ extraction */

tr_status tri_extract(const tr_model *m, const double *x, const double *rowprim, const double *rowdual,
                      tr_result *r)
{
    const tri_scen *s = m->s;
    tri_rowacc acc;
    sums w;
    if (tri_acc_init(&acc, m->ncols) != TR_OK)
        return TR_E_NOMEM;
    tr_status st = sums_new(s, &w);
    if (st != TR_OK) {
        tri_acc_free(&acc);
        return st;
    }
    baseline_sums(m, x, &w);
    st = technology_sums(m, x, &w, r);
    if (st == TR_OK && s->ext)
        section12_sums(m, x, rowdual, &w);
    if (st == TR_OK) {
        cost_sums(s, &w);
        r->npv = w.npv;
        st = physical_series(s, &w, r);
    }
    if (st == TR_OK)
        st = money_series(s, &w, r);
    if (st == TR_OK && s->ext)
        st = section12_series(m, x, &w, r);
    if (st == TR_OK)
        st = adoption_series(m, x, &w, r);
    for (size_t i = 0; i < s->N && st == TR_OK; i++)
        st = policy_series(m, x, rowprim, rowdual, &acc, i, r);
    if (st == TR_OK)
        st = totals(s, &w, r);
    if (st == TR_OK)
        st = plant_series(m, x, &w, r);
    if (st == TR_OK)
        st = tri_windows_extract(s, r);
    tri_acc_free(&acc);
    sums_free(&w);
    return st;
}

/* ------------------------------------------------------------ accessors */

tr_sol_status tr_result_status(const tr_result *r) { return r ? r->status : TR_SOL_FAILED; }

const char *tr_sol_status_name(tr_sol_status s)
{
    static const char *const names[] = {"optimal", "infeasible", "unbounded", "failed", "limit"};
    return (int)s >= 0 && s <= TR_SOL_LIMIT ? names[s] : "failed";
}

const char *tr_result_status_name(const tr_result *r) { return tr_sol_status_name(tr_result_status(r)); }

double tr_result_npv(const tr_result *r) { return r && r->status == TR_SOL_OPTIMAL ? r->npv : NAN; }
double tr_result_resource_cost(const tr_result *r) { return r && r->status == TR_SOL_OPTIMAL ? r->rcost : NAN; }
size_t tr_result_year_count(const tr_result *r) { return r ? r->Y : 0; }
int tr_result_year(const tr_result *r, size_t i) { return r && i < r->Y ? r->start + (int)i : 0; }
const char *tr_result_scenario_name(const tr_result *r) { return r ? r->scenario : ""; }
const char *tr_result_scenario_sha256(const tr_result *r) { return r ? r->sha : ""; }
const char *tr_result_method(const tr_result *r) { return r && r->method ? r->method : ""; }
size_t tr_result_series_count(const tr_result *r) { return r ? r->ns : 0; }
const char *tr_result_series_name(const tr_result *r, size_t i) { return r && i < r->ns ? r->ser[i].name : NULL; }
const char *tr_result_series_unit(const tr_result *r, size_t i) { return r && i < r->ns ? r->ser[i].unit : NULL; }

tr_status tr_result_series_find(const tr_result *r, const char *name, size_t *index)
{
    if (!r || !name || !index)
        return TR_FAIL(TR_E_INVAL, "tr_result_series_find: NULL argument");
    for (size_t i = 0; i < r->ns; i++)
        if (strcmp(r->ser[i].name, name) == 0) {
            *index = i;
            return TR_OK;
        }
    return TR_FAIL(TR_E_NOTFOUND, "no result series named \"%.200s\"%s", name,
                   r->status == TR_SOL_OPTIMAL ? "" : " (the scenario was not solved to optimality)");
}

tr_status tr_result_get_series(const tr_result *r, size_t i, double *out, size_t n)
{
    if (!r || !out)
        return TR_FAIL(TR_E_INVAL, "tr_result_get_series: NULL argument");
    if (i >= r->ns)
        return TR_FAIL(TR_E_NOTFOUND, "series index %zu out of range (%zu series)", i, r->ns);
    if (n != r->Y)
        return TR_FAIL(TR_E_INVAL, "tr_result_get_series: expected a buffer of %zu years, got %zu", r->Y, n);
    memcpy(out, r->ser[i].v, n * sizeof *out);
    return TR_OK;
}

size_t tr_result_total_count(const tr_result *r) { return r ? r->nt : 0; }
const char *tr_result_total_name(const tr_result *r, size_t i) { return r && i < r->nt ? r->tname[i] : NULL; }
const char *tr_result_total_unit(const tr_result *r, size_t i) { return r && i < r->nt ? r->tunit[i] : NULL; }
double tr_result_total_value(const tr_result *r, size_t i) { return r && i < r->nt ? r->tval[i] : NAN; }
size_t tr_result_diagnosis_count(const tr_result *r) { return r ? r->nd : 0; }

tr_status tr_result_get_diagnosis(const tr_result *r, size_t i, tr_diagnosis *out)
{
    if (!r || !out)
        return TR_FAIL(TR_E_INVAL, "tr_result_get_diagnosis: NULL argument");
    if (i >= r->nd)
        return TR_FAIL(TR_E_NOTFOUND, "diagnosis index %zu out of range (%zu lines)", i, r->nd);
    const tri_diag *d = &r->diag[i];
    out->policy = d->policy;
    out->year = d->year;
    out->indicator = d->indicator;
    out->unit = d->unit;
    out->reachable = d->reachable;
    out->limit = d->limit;
    out->message = d->message;
    return TR_OK;
}

static tr_status get_pk(const tr_result *r, const double *src, size_t plant, size_t tech, double *out, size_t n)
{
    if (!r || !out)
        return TR_FAIL(TR_E_INVAL, "NULL argument");
    if (!src)
        return TR_FAIL(TR_E_NOTFOUND, "no solution in this result (status %s)", tr_result_status_name(r));
    if (plant >= r->P || tech >= r->K)
        return TR_FAIL(TR_E_NOTFOUND, "plant %zu / technology %zu out of range (%zu plants, %zu technologies)", plant,
                       tech, r->P, r->K);
    if (n != r->Y)
        return TR_FAIL(TR_E_INVAL, "expected a buffer of %zu years, got %zu", r->Y, n);
    memcpy(out, src + (plant * r->K + tech) * r->Y, n * sizeof *out);
    return TR_OK;
}

tr_status tr_result_get_equipped(const tr_result *r, size_t plant, size_t tech, double *out, size_t n)
{
    return get_pk(r, r ? r->eq : NULL, plant, tech, out, n);
}

tr_status tr_result_get_installed(const tr_result *r, size_t plant, size_t tech, double *out, size_t n)
{
    return get_pk(r, r ? r->inst : NULL, plant, tech, out, n);
}

tr_status tr_result_get_production(const tr_result *r, size_t plant, double *out, size_t n)
{
    if (!r || !out)
        return TR_FAIL(TR_E_INVAL, "tr_result_get_production: NULL argument");
    return tr_result_plant_series(r, plant, "production", out, n);
}

tr_status tr_result_plant_series(const tr_result *r, size_t plant, const char *what, double *out, size_t n)
{
    if (!r || !what || !out)
        return TR_FAIL(TR_E_INVAL, "tr_result_plant_series: NULL argument");
    if (!r->ps)
        return TR_FAIL(TR_E_NOTFOUND, "no solution in this result (status %s)", tr_result_status_name(r));
    if (plant >= r->P)
        return TR_FAIL(TR_E_NOTFOUND, "plant %zu out of range (%zu plants)", plant, r->P);
    if (n != r->Y)
        return TR_FAIL(TR_E_INVAL, "expected a buffer of %zu years, got %zu", r->Y, n);
    int per_t = !strncmp(what, "intensity.", 10);
    const char *base = per_t ? what + 10 : what;
    for (size_t i = 0; i < r->PS; i++) {
        if (strcmp(r->psname[i], base) != 0 || (per_t && i < TRI_PS_ENERGY))
            continue;
        const double *v = r->ps + (plant * r->PS + i) * r->Y, *x = r->ps + plant * r->PS * r->Y;
        for (size_t t = 0; t < n; t++)
            out[t] = !per_t ? v[t] : x[t] > 0 ? v[t] / x[t] : NAN;
        return TR_OK;
    }
    tri_buf b = {0};
    for (size_t i = 0; i < r->PS; i++)
        tri_buf_printf(&b, "%s%s", i ? ", " : "", r->psname[i]);
    char *names = tri_buf_take(&b);
    tr_status st = TR_FAIL(TR_E_NOTFOUND, "no per-plant series \"%.200s\"; expected one of %s, or intensity.<one "
                           "of the energy and emissions series>", what, names ? names : "(out of memory)");
    tri_free(names);
    return st;
}
