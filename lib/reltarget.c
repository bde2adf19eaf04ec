/* Relative targets (docs/MODEL.md "Relative targets"): a cap, intensity cap,
 * floor or standard given as `reduction: {2030: 0.15}` against
 * `relative_to: 2024` has the limit (1 - reduction[y]) * R, where R is its
 * indicator in the reference year at the point of no decisions: the data
 * alone, without solving anything. That point is
 *
 *   - production x0[p] = production[p,y0] for an existing plant (a closable
 *     one operating fully, o = 1), 0 for a candidate plant (nothing built);
 *   - equipped capacity a0[p,k] = e0[p,k] * cap[p,start]: the existing stock
 *     (which does not retire inside the horizon, §6.1), nothing new;
 *   - no imports, no investment, no subsidy.
 *
 * Indicators follow §7 and §12 at that point (energy, materials, emissions
 * with the emission factors of y0, declared indicators). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "reltarget.h"
#include "result.h"   /* tri_plant_energy */

/* plant @p's part of indicator @ind in year @t at the no-decision point;
 * @E [C] and @a [K] scratch */
static double plant_ind0(const tri_scen *s, tri_indicator ind, long product, size_t p, size_t t, double *E,
                         double *a)
{
    const tri_plant *pl = &s->pl[p];
    if (product >= 0 && pl->product != (size_t)product)
        return 0;
    double x = pl->candidate ? 0 : pl->prod[t], u = pl->u[t], v = 0;
    for (size_t k = 0; k < s->K; k++)
        a[k] = s->tech[k].applies[p] ? s->tech[k].e0[p] * pl->cap[0] : 0;
    tri_plant_energy(s, p, t, x, a, 1, E);
    switch (ind.kind) {
    case TRI_IND_PRODUCTION: return ind.idx == TRI_ALL || ind.idx == pl->product ? x : 0;
    case TRI_IND_IMPORTS:
    case TRI_IND_INVESTMENT:
    case TRI_IND_SUBSIDY: return 0;
    case TRI_IND_ENERGY: return E[ind.idx];
    case TRI_IND_ENERGY_TOTAL:
        for (size_t c = 0; c < s->C; c++)
            if (s->car[c].has_ec)
                v += s->car[c].ec * E[c];
        return v;
    case TRI_IND_EMISSIONS:
        v = pl->pe0[ind.idx] * x;
        for (size_t c = 0; c < s->C; c++)
            v += s->car[c].ef[ind.idx * s->Y + t] * E[c];
        for (size_t k = 0; k < s->K; k++)
            v += s->tech[k].dpe[p * s->S + ind.idx] * u * a[k];
        return v;
    case TRI_IND_CUSTOM:
        v = pl->ind[ind.idx] * x;
        for (size_t k = 0; k < s->K; k++)
            v += s->tech[k].ind[ind.idx] * u * a[k];
        return v;
    }
    return 0;
}

/* the sum over the plants in @mask (NULL: all) */
static double sector_ind0(const tri_scen *s, tri_indicator ind, long product, const unsigned char *mask, size_t t,
                          double *E, double *a)
{
    double v = 0;
    for (size_t p = 0; p < s->P; p++)
        if (!mask || mask[p])
            v += plant_ind0(s, ind, product, p, t, E, a);
    return v;
}

double tri_reltarget_reference(const tri_scen *s, const tri_policy *po, size_t t, double *den)
{
    double *E = tri_calloc(s->C + 1, sizeof *E), *a = tri_calloc(s->K + 1, sizeof *a);
    if (!E || !a) {
        tri_free(E);
        tri_free(a);
        *den = 1;
        return NAN;
    }
    tri_indicator prod = {TRI_IND_PRODUCTION, TRI_ALL};
    double num, d = 1;
    switch (po->type) {
    case TRI_POL_INTENSITY_CAP:   /* indicator / per, both over the product's plants when given */
        num = sector_ind0(s, po->ind, po->product, NULL, t, E, a);
        d = sector_ind0(s, po->per, po->product, NULL, t, E, a);
        break;
    case TRI_POL_STANDARD:        /* the plants in scope: their production-weighted intensity */
        num = sector_ind0(s, po->ind, -1, po->plants, t, E, a);
        d = sector_ind0(s, prod, -1, po->plants, t, E, a);
        break;
    default:                      /* cap, floor: the indicator itself */
        num = sector_ind0(s, po->ind, -1, NULL, t, E, a);
        break;
    }
    tri_free(E);
    tri_free(a);
    *den = d;
    return d > 0 ? num / d : NAN;
}

tr_status tri_reltarget_apply(tri_scen *s, tri_policy *po, const tri_node *where, const char *path)
{
    size_t t = (size_t)(po->ref_year - s->start);
    double den;
    double R = tri_reltarget_reference(s, po, t, &den);
    char ind[200];
    tri_indicator_name(s, po->ind, ind, sizeof ind);
    if (isnan(R) && den > 0)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    if (!(den > 0))
        return tri_node_fail(TR_E_INVAL, where, path,
                             "the reference of %s in %d is per a production (or `per` indicator) of %g at the "
                             "existing stock; expected a positive denominator, or an absolute limit",
                             ind, po->ref_year, den);
    if (!(R > 0))
        return tri_node_fail(TR_E_INVAL, where, path,
                             "the reference value of %s in %d (existing stock at baseline intensities, no "
                             "decisions) is %g; a reduction relative to it needs a positive reference; expected "
                             "an absolute limit", ind, po->ref_year, R);
    po->ref = R;
    for (size_t y = 0; y < s->Y; y++)
        po->val[y] = (1 - po->red[y]) * R;
    return TR_OK;
}
