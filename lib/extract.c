/* extract: solution arrays -> results (MODEL.md §11). Indicators are
 * recomputed from the column values by the formulas of §7, not read from
 * GLPK's rows; shadow prices follow §8 (increase of NPV per unit of
 * tightening, divided by df[y]). No GLPK types here. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "model.h"
#include "provenance.h"

static const char *const pol_type_names[TRI_POL__COUNT] = {"price", "cap", "intensity_cap", "floor", "standard",
                                                           "mandate", "subsidy", "budget", "ban"};

tr_result *tri_result_new(const tr_model *m)
{
    const tri_scen *s = m->s;
    tr_result *r = tri_calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->status = TR_SOL_FAILED;
    r->npv = NAN;
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
    for (size_t i = 0; i < s->N; i++) {
        const tri_policy *po = &s->pol[i];
        char nb[200], ub[200];
        r->pol[i].id = tri_strdup(po->id);
        r->pol[i].type = tri_strdup(pol_type_names[po->type]);
        r->pol[i].illustrative = tri_prov_illustrative(s, i);
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

void tr_result_free(tr_result *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->ns; i++) {
        tri_free(r->ser[i].name);
        tri_free(r->ser[i].unit);
        tri_free(r->ser[i].label);
        tri_free(r->ser[i].item);
        tri_free(r->ser[i].field);
        tri_free(r->ser[i].v);
    }
    tri_free(r->ser);
    for (size_t i = 0; i < r->nt; i++) {
        tri_free(r->tname[i]);
        tri_free(r->tunit[i]);
    }
    tri_free(r->tname);
    tri_free(r->tunit);
    tri_free(r->tval);
    for (size_t i = 0; i < r->nd; i++) {
        tri_free(r->diag[i].policy);
        tri_free(r->diag[i].indicator);
        tri_free(r->diag[i].unit);
        tri_free(r->diag[i].message);
    }
    tri_free(r->diag);
    for (size_t i = 0; i < r->np; i++) {
        tri_free(r->pol[i].id);
        tri_free(r->pol[i].type);
        tri_free(r->pol[i].unit);
        tri_free(r->pol[i].indicator);
    }
    tri_free(r->pol);
    tri_free(r->eq);
    tri_free(r->inst);
    tri_free(r->xp);
    tri_free(r->scenario);
    tri_free(r->sha);
    tri_free(r->currency);
    tri_free(r->region);
    tri_free(r->method);
    tri_free(r->solver_message);
    tri_free(r);
}

/* "natural_gas" -> "Natural Gas" for IAMC labels when no name is given */
static void title(const char *id, char *buf, size_t n)
{
    size_t j = 0;
    int up = 1;
    for (const char *p = id; *p && j + 1 < n; p++) {
        char c = *p == '_' ? ' ' : *p;
        if (up && c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        up = c == ' ';
        buf[j++] = c;
    }
    buf[j] = '\0';
}

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

tr_status tri_result_add_diag(tr_result *r, const tr_model *m, const tri_prow *pr, double slack)
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
    if (po->type == TRI_POL_MANDATE) {
        double B = pr->rhs / (lim > 0 ? lim : 1);
        reach = B > 0 ? (pr->rhs - slack) / B : 0;
        snprintf(ind, sizeof ind, "adoption.%s", po->tech >= 0 ? s->tech[po->tech].id : s->group[po->group]);
        snprintf(unit, sizeof unit, "share");
    } else {
        tri_indicator_name(s, po->ind, ind, sizeof ind);
        tri_indicator_unit(s, po->ind, unit, sizeof unit);
        if (po->type == TRI_POL_INTENSITY_CAP || po->type == TRI_POL_STANDARD) {
            reach = pr->denom > 0 ? lim + slack / pr->denom : HUGE_VAL;
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
            reach = pr->ge ? lim - slack : lim + slack;
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

#define NEWV(v)                                             \
    double *v = tri_calloc(Y, sizeof *v);                   \
    if (!v) {                                               \
        st = TR_FAIL(TR_E_NOMEM, "out of memory");          \
        goto out;                                           \
    }

tr_status tri_extract(const tr_model *m, const double *x, const double *rowprim, const double *rowdual,
                      tr_result *r)
{
    (void)rowprim;
    const tri_scen *s = m->s;
    size_t Y = s->Y, C = s->C, S = s->S;
    tr_status st = TR_OK;
    double *xpl = NULL, *ext = NULL;
    tri_rowacc acc;
    if (tri_acc_init(&acc, m->ncols) != TR_OK)
        return TR_E_NOMEM;
    double *E = tri_calloc(C * Y, sizeof *E), *M = tri_calloc((S ? S : 1) * Y, sizeof *M);
    double *buf = tri_calloc(Y, sizeof *buf);
    double *prod = tri_calloc(Y, sizeof *prod), *capa = tri_calloc(Y, sizeof *capa);
    double *inv = tri_calloc(Y, sizeof *inv), *subs = tri_calloc(Y, sizeof *subs);
    double *capital = tri_calloc(Y, sizeof *capital), *om = tri_calloc(Y, sizeof *om);
    double *ecost = tri_calloc(Y, sizeof *ecost), *tax = tri_calloc(Y, sizeof *tax);
    double *dmg = tri_calloc(Y, sizeof *dmg), *total = tri_calloc(Y, sizeof *total);
    double *etot = tri_calloc(Y, sizeof *etot);
    if (!E || !M || !buf || !prod || !capa || !inv || !subs || !capital || !om || !ecost || !tax || !dmg || !total ||
        !etot) {
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
        goto out;
    }
    /* baseline; §12 production x = prod*o (closable) or utilisation*C (candidate) */
    xpl = tri_calloc(s->P * Y, sizeof *xpl);
    ext = tri_calloc((s->R * 3 + s->I + 3) * Y + 1, sizeof *ext);
    if (!xpl || !ext) {
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
        goto out;
    }
    /* ext: [R*Y] production per product, [R*Y] imports, [R*Y] prices, [I*Y]
     * custom indicators, then other cost, closure cost, import cost */
    double *pprod = ext, *pimp = ext + s->R * Y, *pprice = ext + 2 * s->R * Y, *pind = ext + 3 * s->R * Y;
    double *cother = pind + s->I * Y, *cclose = cother + Y, *cimp = cclose + Y;
    for (size_t p = 0; p < s->P; p++)
        for (size_t t = 0; t < Y; t++) {
            const tri_plant *pl = &s->pl[p];
            int col;
            double coef;
            double xp = tri_x_part(m, p, t, &col, &coef);
            if (col)
                xp += coef * x[col];
            xpl[p * Y + t] = xp;
            prod[t] += xp;
            if (pl->closable)
                capa[t] += pl->cap[t] * x[m->ocol[p * Y + t]];
            else if (pl->candidate)
                capa[t] += x[m->Ccol[p * Y + t]];
            else
                capa[t] += s->pl[p].cap[t];
            for (size_t c = 0; c < C; c++)
                E[c * Y + t] += s->pl[p].int0[c] * xp;
            for (size_t sp = 0; sp < S; sp++)
                M[sp * Y + t] += s->pl[p].pe0[sp] * xp;
        }
    r->P = s->P;
    r->K = s->K;
    r->eq = tri_calloc(s->P * s->K * Y, sizeof *r->eq);
    r->inst = tri_calloc(s->P * s->K * Y, sizeof *r->inst);
    if (!r->eq || !r->inst) {
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
        goto out;
    }
    /* technologies */
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
                E[c * Y + t] += te->d[p * C + c] * u * a;
            for (size_t sp = 0; sp < S; sp++)
                M[sp * Y + t] += te->dpe[p * S + sp] * u * a;
            om[t] += te->fom[t] * a + te->vom[t] * u * a;
            for (size_t i = 0; i < s->I; i++)
                pind[i * Y + t] += te->ind[i] * u * a;
            inv[t] += te->capex[t] * n;
            subs[t] += te->sub[t] * te->capex[t] * n;
            double charge = n * te->capex[t] * (1 - te->sub[t]) * crf;
            for (size_t tt = t; tt < Y && tt < t + (size_t)te->life; tt++)
                capital[tt] += charge;
        }
    }
    if (s->ext) {
        for (size_t p = 0; p < s->P; p++) {
            const tri_plant *pl = &s->pl[p];
            double bcrf = pl->candidate ? tri_crf(pl->bh, pl->blife) : 0;
            for (size_t t = 0; t < Y; t++) {
                double xp = xpl[p * Y + t];
                pprod[pl->product * Y + t] += xp;
                cother[t] += pl->other[t] * xp;
                for (size_t i = 0; i < s->I; i++)
                    pind[i * Y + t] += pl->ind[i] * xp;
                if (pl->closable) {
                    double o = x[m->ocol[p * Y + t]], prev = t > 0 ? x[m->ocol[p * Y + t - 1]] : 1.0;
                    cclose[t] += pl->cc[t] * pl->cap[t] * (pl->reopenable ? x[m->kcol[p * Y + t]] : prev - o);
                }
                if (pl->candidate) {
                    double b = x[m->bcol[p * Y + t]], Cap = x[m->Ccol[p * Y + t]];
                    inv[t] += pl->bcapex[t] * b;
                    om[t] += pl->bfom[t] * Cap;
                    for (size_t tt = t; tt < Y && tt < t + (size_t)pl->blife; tt++)
                        capital[tt] += b * pl->bcapex[t] * bcrf;
                }
            }
        }
        for (size_t rr = 0; rr < s->R; rr++)
            for (size_t t = 0; t < Y; t++) {
                int mc = m->mcol[rr * Y + t];
                pimp[rr * Y + t] = mc ? x[mc] : 0;
                cimp[t] += s->prod[rr].imp_price[t] * pimp[rr * Y + t];
                int dr = m->drow[rr * Y + t];
                pprice[rr * Y + t] = dr ? rowdual[dr] / s->df[t] : NAN;
            }
    }
    for (size_t t = 0; t < Y; t++) {
        for (size_t c = 0; c < C; c++) {
            ecost[t] += s->car[c].price[t] * E[c * Y + t];
            if (s->car[c].has_ec)
                etot[t] += s->car[c].ec * E[c * Y + t];
            for (size_t sp = 0; sp < S; sp++)
                M[sp * Y + t] += s->car[c].ef[sp * Y + t] * E[c * Y + t];
        }
    }
    for (size_t t = 0; t < Y; t++) {
        for (size_t sp = 0; sp < S; sp++) {
            tax[t] += s->tax[sp * Y + t] * M[sp * Y + t];
            dmg[t] += s->spe[sp].dmg[t] * M[sp * Y + t];
        }
        total[t] = ecost[t] + tax[t] + om[t] + capital[t] + (s->social ? dmg[t] : 0);
        if (s->ext)
            total[t] += cother[t] + cclose[t] + cimp[t];
    }
    double npv = 0;
    for (size_t t = 0; t < Y; t++)
        npv += s->df[t] * total[t];
    r->npv = npv;

    char name[300], unit[300], label[300], tl[200];
    const char *cur = s->currency;
#define ADD(kind, nm, un, lb, item, field, v)                                  \
    if (!add_series(r, kind, nm, un, lb, item, field, v)) {                  \
        st = TR_FAIL(TR_E_NOMEM, "out of memory");                            \
        goto out;                                                            \
    }
    ADD(TRI_SER_INDICATOR, "production", s->product_unit, "Production", NULL, NULL, prod);
    ADD(TRI_SER_INDICATOR, "capacity", s->product_unit, "Capacity", NULL, NULL, capa);
    for (size_t c = 0; c < C; c++) {
        snprintf(name, sizeof name, "energy.%s", s->car[c].id);
        title(s->car[c].id, tl, sizeof tl);
        snprintf(label, sizeof label, "Final Energy|%s", s->car[c].name ? s->car[c].name : tl);
        ADD(TRI_SER_INDICATOR, name, s->car[c].unit, label, NULL, NULL, E + c * Y);
    }
    ADD(TRI_SER_INDICATOR, "energy.total", "GJ", "Final Energy", NULL, NULL, etot);
    for (size_t sp = 0; sp < S; sp++) {
        snprintf(name, sizeof name, "emissions.%s", s->spe[sp].id);
        snprintf(label, sizeof label, "Emissions|%s", s->spe[sp].id);
        ADD(TRI_SER_INDICATOR, name, s->spe[sp].unit, label, NULL, NULL, M + sp * Y);
    }
    /* intensities per unit of product */
    for (size_t c = 0; c <= C; c++) {
        const double *v = c < C ? E + c * Y : etot;
        for (size_t t = 0; t < Y; t++)
            buf[t] = prod[t] > 0 ? v[t] / prod[t] : NAN;
        title(c < C ? s->car[c].id : "", tl, sizeof tl);
        snprintf(name, sizeof name, "intensity.energy.%s", c < C ? s->car[c].id : "total");
        snprintf(unit, sizeof unit, "%s/%s", c < C ? s->car[c].unit : "GJ", s->product_unit);
        if (c < C)
            snprintf(label, sizeof label, "Intensity|Final Energy|%s", s->car[c].name ? s->car[c].name : tl);
        else
            snprintf(label, sizeof label, "Intensity|Final Energy");
        ADD(TRI_SER_INDICATOR, name, unit, label, NULL, NULL, buf);
    }
    for (size_t sp = 0; sp < S; sp++) {
        for (size_t t = 0; t < Y; t++)
            buf[t] = prod[t] > 0 ? M[sp * Y + t] / prod[t] : NAN;
        snprintf(name, sizeof name, "intensity.emissions.%s", s->spe[sp].id);
        snprintf(unit, sizeof unit, "%s/%s", s->spe[sp].unit, s->product_unit);
        snprintf(label, sizeof label, "Intensity|Emissions|%s", s->spe[sp].id);
        ADD(TRI_SER_INDICATOR, name, unit, label, NULL, NULL, buf);
    }
    ADD(TRI_SER_INDICATOR, "investment", cur, "Investment", NULL, NULL, inv);
    ADD(TRI_SER_INDICATOR, "cost.energy", cur, "Cost|Energy", NULL, NULL, ecost);
    ADD(TRI_SER_INDICATOR, "cost.capital", cur, "Cost|Capital", NULL, NULL, capital);
    ADD(TRI_SER_INDICATOR, "cost.om", cur, "Cost|O&M", NULL, NULL, om);
    ADD(TRI_SER_INDICATOR, "cost.emission_tax", cur, "Cost|Emission Tax", NULL, NULL, tax);
    ADD(TRI_SER_INDICATOR, "cost.damage", cur, "Cost|Damage", NULL, NULL, dmg);
    ADD(TRI_SER_INDICATOR, "cost.total", cur, "Cost|Total", NULL, NULL, total);
    ADD(TRI_SER_INDICATOR, "subsidy", cur, "Expenditure|Subsidy", NULL, NULL, subs);
    if (s->ext) {
        ADD(TRI_SER_INDICATOR, "cost.other", cur, "Cost|Other", NULL, NULL, cother);
        ADD(TRI_SER_INDICATOR, "cost.closure", cur, "Cost|Closure", NULL, NULL, cclose);
        ADD(TRI_SER_INDICATOR, "cost.imports", cur, "Cost|Imports", NULL, NULL, cimp);
        for (size_t rr = 0; rr < s->R; rr++) {
            const tri_product *pr = &s->prod[rr];
            title(pr->id, tl, sizeof tl);
            snprintf(name, sizeof name, "production.%s", pr->id);
            snprintf(label, sizeof label, "Production|%s", pr->name ? pr->name : tl);
            ADD(TRI_SER_INDICATOR, name, pr->unit, label, NULL, NULL, pprod + rr * Y);
            snprintf(name, sizeof name, "imports.%s", pr->id);
            snprintf(label, sizeof label, "Imports|%s", pr->name ? pr->name : tl);
            ADD(TRI_SER_INDICATOR, name, pr->unit, label, NULL, NULL, pimp + rr * Y);
            snprintf(name, sizeof name, "prices.%s", pr->id);
            snprintf(unit, sizeof unit, "%s/%s", cur, pr->unit);
            snprintf(label, sizeof label, "Price|%s", pr->name ? pr->name : tl);
            ADD(TRI_SER_INDICATOR, name, unit, label, NULL, NULL, pprice + rr * Y);
        }
        for (size_t i = 0; i < s->I; i++) {
            title(s->cind[i].id, tl, sizeof tl);
            snprintf(label, sizeof label, "%s", s->cind[i].name ? s->cind[i].name : tl);
            ADD(TRI_SER_INDICATOR, s->cind[i].id, s->cind[i].unit, label, NULL, NULL, pind + i * Y);
        }
        for (size_t p = 0; p < s->P; p++) {
            const tri_plant *pl = &s->pl[p];
            if (!pl->closable && !pl->candidate)
                continue;
            for (size_t t = 0; t < Y; t++)
                buf[t] = pl->closable ? x[m->ocol[p * Y + t]] : x[m->Ccol[p * Y + t]];
            snprintf(name, sizeof name, "%s.%s", pl->closable ? "operating" : "built", pl->id);
            snprintf(unit, sizeof unit, "%s", pl->closable ? "share" : "t/yr");
            if (!pl->closable)
                snprintf(unit, sizeof unit, "%s/yr", s->prod[pl->product].unit);
            snprintf(label, sizeof label, "%s|%s", pl->closable ? "Operating Share" : "Capacity|Built", pl->id);
            ADD(TRI_SER_INDICATOR, name, unit, label, NULL, NULL, buf);
        }
    }
    /* adoption and equipped capacity per technology */
    for (size_t k = 0; k < s->K; k++) {
        double *eq = buf;
        NEWV(base);
        memset(eq, 0, Y * sizeof *eq);
        for (size_t j = 0; j < m->J; j++) {
            if (m->jk[j] != k)
                continue;
            for (size_t t = 0; t < Y; t++) {
                eq[t] += x[m->acol[j * Y + t]];
                const tri_plant *pl = &s->pl[m->jp[j]];
                double cap = pl->closable ? pl->cap[t] * x[m->ocol[m->jp[j] * Y + t]]
                             : pl->candidate ? x[m->Ccol[m->jp[j] * Y + t]]
                                             : pl->cap[t];
                base[t] += s->tech[k].appl * cap;
            }
        }
        snprintf(name, sizeof name, "equipped.%s", s->tech[k].id);
        snprintf(unit, sizeof unit, "%s/yr", s->product_unit);
        snprintf(label, sizeof label, "Capacity|Equipped|%s", s->tech[k].id);
        tri_series *se = add_series(r, TRI_SER_EQUIPPED, name, unit, label, s->tech[k].id, NULL, eq);
        for (size_t t = 0; t < Y; t++)
            buf[t] = base[t] > 1e-9 ? eq[t] / base[t] : 0;
        tri_free(base);
        if (!se) {
            st = TR_FAIL(TR_E_NOMEM, "out of memory");
            goto out;
        }
        snprintf(name, sizeof name, "adoption.%s", s->tech[k].id);
        snprintf(label, sizeof label, "Adoption|%s", s->tech[k].id);
        ADD(TRI_SER_ADOPTION, name, "share", label, s->tech[k].id, NULL, buf);
    }
    /* policies: binding, shadow price, value and limit per year */
    for (size_t i = 0; i < s->N; i++) {
        const tri_policy *po = &s->pol[i];
        /* the four arrays together, so a failed allocation leaks none */
        double *bind = tri_calloc(Y, sizeof *bind), *shadow = tri_calloc(Y, sizeof *shadow);
        double *val = tri_calloc(Y, sizeof *val), *lim = tri_calloc(Y, sizeof *lim);
        if (!bind || !shadow || !val || !lim) {
            tri_free(bind);
            tri_free(shadow);
            tri_free(val);
            tri_free(lim);
            st = TR_FAIL(TR_E_NOMEM, "out of memory");
            goto out;
        }
        for (size_t t = 0; t < Y; t++) {
            int rows = po->type != TRI_POL_PRICE && po->type != TRI_POL_SUBSIDY && po->type != TRI_POL_BAN;
            int on = po->active[t] && (po->type != TRI_POL_BAN);
            bind[t] = shadow[t] = val[t] = lim[t] = NAN;
            if (!on)
                continue;
            lim[t] = po->val[t];
            if (!rows)
                continue;
            bind[t] = 0;
            shadow[t] = 0;
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
                    bind[t] = 1;
                double sp = (pr->ge ? rowdual[row] : -rowdual[row]) / s->df[t];
                if (fabs(sp) < 1e-9)
                    sp = 0;
                if (sp > shadow[t])
                    shadow[t] = sp;
                /* value in the policy's own unit */
                double v;
                if (po->type == TRI_POL_MANDATE) {
                    double B = po->val[t] > 0 ? pr->rhs / po->val[t] : 0;
                    v = B > 0 ? act / B : NAN;
                } else {
                    v = (act + pr->konst) / (pr->denom > 0 ? pr->denom : 1);
                }
                if (s->ext && (po->type == TRI_POL_INTENSITY_CAP || po->type == TRI_POL_STANDARD ||
                               po->type == TRI_POL_MANDATE)) {
                    /* §12: the denominator may be a variable: evaluate both parts */
                    double num, den;
                    if (po->type == TRI_POL_MANDATE) {
                        num = den = 0;
                        for (size_t j = 0; j < m->J; j++) {
                            size_t pp = m->jp[j];
                            if (pr->plant >= 0 && (size_t)pr->plant != pp)
                                continue;
                            const tri_tech *te = &s->tech[m->jk[j]];
                            if (po->tech >= 0 ? (long)m->jk[j] == po->tech : te->group == po->group)
                                num += x[m->acol[j * Y + t]];
                        }
                        for (size_t pp = 0; pp < s->P; pp++) {
                            if (pr->plant >= 0 && (size_t)pr->plant != pp)
                                continue;
                            double best = 0;
                            for (size_t j = 0; j < m->J; j++) {
                                const tri_tech *te = &s->tech[m->jk[j]];
                                if (m->jp[j] == pp && (po->tech >= 0 ? (long)m->jk[j] == po->tech : te->group == po->group))
                                    best = te->appl > best ? te->appl : best;
                            }
                            const tri_plant *pl = &s->pl[pp];
                            den += best * (pl->closable ? pl->cap[t] * x[m->ocol[pp * Y + t]]
                                           : pl->candidate ? x[m->Ccol[pp * Y + t]]
                                                           : pl->cap[t]);
                        }
                    } else {
                        tri_indicator per = po->type == TRI_POL_STANDARD ? (tri_indicator){TRI_IND_PRODUCTION, TRI_ALL}
                                                                        : po->per;
                        long prod_f = po->type == TRI_POL_STANDARD ? -1 : po->product;
                        num = eval_ind(m, &acc, po->ind, t, pr->plant, prod_f, x);
                        den = eval_ind(m, &acc, per, t, pr->plant, prod_f, x);
                    }
                    v = den > 0 ? num / den : NAN;
                }
                if (isnan(v))
                    continue;
                if (!have || (po->type == TRI_POL_MANDATE ? v < val[t] : v > val[t]))
                    val[t] = v;
                have = 1;
            }
            if (!have)
                bind[t] = shadow[t] = NAN;
        }
        const char *pu = r->pol[i].unit;
        char su[320];
        snprintf(su, sizeof su, "%s per %s", cur, po->type == TRI_POL_BUDGET ? cur
                                                  : po->type == TRI_POL_MANDATE ? "t/yr"
                                                                                : r->pol[i].unit);
        if (po->type == TRI_POL_MANDATE)
            snprintf(su, sizeof su, "%s per %s/yr", cur, s->product_unit);
        else if (po->type == TRI_POL_INTENSITY_CAP || po->type == TRI_POL_STANDARD || po->type == TRI_POL_CAP ||
                 po->type == TRI_POL_FLOOR) {
            char iu[200];
            tri_indicator_unit(s, po->ind, iu, sizeof iu);
            snprintf(su, sizeof su, "%s/%s", cur, iu);
        }
        struct {
            const char *f, *u;
            double *v;
        } fl[4] = {{"binding", "-", bind}, {"shadow_price", su, shadow}, {"value", pu, val}, {"limit", pu, lim}};
        for (int f = 0; f < 4 && st == TR_OK; f++) {
            snprintf(name, sizeof name, "policy.%s.%s", po->id, fl[f].f);
            snprintf(label, sizeof label, "Policy|%s|%s", po->id,
                     f == 0 ? "Binding" : f == 1 ? "Shadow Price" : f == 2 ? "Value" : "Limit");
            if (!add_series(r, TRI_SER_POLICY, name, fl[f].u, label, po->id, fl[f].f, fl[f].v))
                st = TR_FAIL(TR_E_NOMEM, "out of memory");
        }
        tri_free(bind);
        tri_free(shadow);
        tri_free(val);
        tri_free(lim);
        if (st != TR_OK)
            goto out;
    }
    /* totals */
    int ok = add_total(r, "npv", cur, npv);
    double pv_sub = 0, pv_dmg = 0, pv_tax = 0, cinv = 0, csub = 0, cen = 0;
    for (size_t t = 0; t < Y; t++) {
        pv_tax += s->df[t] * tax[t];
        pv_sub += s->df[t] * subs[t];
        pv_dmg += s->df[t] * dmg[t];
        cinv += inv[t];
        csub += subs[t];
        cen += etot[t];
    }
    ok = ok && add_total(r, "pv.subsidy", cur, pv_sub) && add_total(r, "pv.damage", cur, pv_dmg) &&
         add_total(r, "pv.emission_tax", cur, pv_tax) &&
         add_total(r, "cumulative.investment", cur, cinv) && add_total(r, "cumulative.subsidy", cur, csub) &&
         add_total(r, "cumulative.energy.total", "GJ", cen);
    for (size_t c = 0; c < C && ok; c++) {
        double sum = 0;
        for (size_t t = 0; t < Y; t++)
            sum += E[c * Y + t];
        snprintf(name, sizeof name, "cumulative.energy.%s", s->car[c].id);
        ok = add_total(r, name, s->car[c].unit, sum);
    }
    for (size_t sp = 0; sp < S && ok; sp++) {
        double sum = 0;
        for (size_t t = 0; t < Y; t++)
            sum += M[sp * Y + t];
        snprintf(name, sizeof name, "cumulative.emissions.%s", s->spe[sp].id);
        ok = add_total(r, name, s->spe[sp].unit, sum);
    }
    for (size_t i = 0; i < s->I && ok; i++) {   /* §12 declared indicators (jobs, income, ...) */
        double sum = 0;
        for (size_t t = 0; t < Y; t++)
            sum += pind[i * Y + t];
        snprintf(name, sizeof name, "cumulative.%s", s->cind[i].id);
        ok = add_total(r, name, s->cind[i].unit, sum);
    }
    if (!ok)
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
    if (st == TR_OK) {
        r->xp = xpl;   /* per-plant production, kept for benchmarking */
        xpl = NULL;
    }
out:
    tri_acc_free(&acc);
    tri_free(xpl);
    tri_free(ext);
    tri_free(E);
    tri_free(M);
    tri_free(buf);
    tri_free(prod);
    tri_free(capa);
    tri_free(inv);
    tri_free(subs);
    tri_free(capital);
    tri_free(om);
    tri_free(ecost);
    tri_free(tax);
    tri_free(dmg);
    tri_free(total);
    tri_free(etot);
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
    if (!r->xp)
        return TR_FAIL(TR_E_NOTFOUND, "no solution in this result (status %s)", tr_result_status_name(r));
    if (plant >= r->P)
        return TR_FAIL(TR_E_NOTFOUND, "plant %zu out of range (%zu plants)", plant, r->P);
    if (n != r->Y)
        return TR_FAIL(TR_E_INVAL, "expected a buffer of %zu years, got %zu", r->Y, n);
    memcpy(out, r->xp + plant * r->Y, n * sizeof *out);
    return TR_OK;
}
