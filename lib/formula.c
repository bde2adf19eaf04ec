/* formula: MODEL.md's shared formulas (see formula.h), each once. */
#include "formula.h"

double tri_emission_price(const tri_scen *s, size_t si, size_t t)
{
    return s->tax[si * s->Y + t] + (s->social ? s->spe[si].dmg[t] : 0);
}

tri_capform tri_eff_capacity(const tri_scen *s, size_t p, size_t t)
{
    const tri_plant *pl = &s->pl[p];
    if (pl->closable)
        return (tri_capform){0, pl->cap[t], 0};
    if (pl->candidate)
        return (tri_capform){0, 0, 1};
    return (tri_capform){pl->cap[t], 0, 0};
}

double tri_eff_capacity_at(const tr_model *m, size_t p, size_t t, const double *x)
{
    const tri_plant *pl = &m->s->pl[p];
    size_t Y = m->s->Y;
    return pl->closable ? pl->cap[t] * x[m->ocol[p * Y + t]] : pl->candidate ? x[m->Ccol[p * Y + t]] : pl->cap[t];
}

int tri_mandate_counts(const tri_scen *s, const tri_policy *po, size_t k)
{
    return po->tech >= 0 ? (long)k == po->tech : s->tech[k].group == po->group;
}

double tri_mandate_best(const tr_model *m, const tri_policy *po, size_t p)
{
    size_t j0, j1;
    tri_plant_pairs(m, p, &j0, &j1);
    double best = 0;
    for (size_t j = j0; j < j1; j++) {
        const tri_tech *te = &m->s->tech[m->jk[j]];
        if (tri_mandate_counts(m->s, po, m->jk[j]) && te->appl > best)
            best = te->appl;
    }
    return best;
}

double tri_mandate_base_at(const tr_model *m, const tri_policy *po, size_t p, size_t t, const double *x)
{
    return tri_mandate_best(m, po, p) * tri_eff_capacity_at(m, p, t, x);
}
