/* The value a field left out of the file has (tr_scenario_value of a
 * missing key): read from the compiled scenario, where compile.c wrote
 * each default once, so that Python's value() and the model agree. */
#include <stdio.h>
#include <string.h>

#include "defaults.h"

static long find(const char *id, const void *base, size_t stride, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(*(char *const *)((const char *)base + i * stride), id))
            return (long)i;
    return -1;
}

/* @path split at its first three dots: sec.id.field[.rest] */
tr_status tri_default_value(const tri_scen *s, const char *path, int year, double *out)
{
    char sec[64], id[128], field[128], rest[128];
    rest[0] = '\0';
    if (sscanf(path, "%63[^.].%127[^.].%127[^.].%127s", sec, id, field, rest) < 3)
        return TR_E_NOTFOUND;
    size_t t = year < s->start ? 0 : year > s->end ? s->Y - 1 : (size_t)(year - s->start);
    if (!strcmp(sec, "technologies")) {
        long k = find(id, s->tech, sizeof *s->tech, s->K);
        if (k < 0)
            return TR_E_NOTFOUND;
        const tri_tech *te = &s->tech[k];
        if (!strcmp(field, "existing") && rest[0]) {
            long p = find(rest, s->pl, sizeof *s->pl, s->P);
            return p < 0 ? TR_E_NOTFOUND : (*out = te->e0[p], TR_OK);
        }
        if (rest[0])
            return TR_E_NOTFOUND;
        if (!strcmp(field, "hurdle_rate")) *out = te->hurdle;
        else if (!strcmp(field, "applicability")) *out = te->appl;
        else if (!strcmp(field, "max_uptake")) *out = te->rate;
        else if (!strcmp(field, "fixed_om")) *out = te->fom[t];
        else if (!strcmp(field, "variable_om")) *out = te->vom[t];
        else if (!strcmp(field, "available_from")) *out = te->from;
        else return TR_E_NOTFOUND;
        return TR_OK;
    }
    if (!strcmp(sec, "plants")) {
        long p = find(id, s->pl, sizeof *s->pl, s->P);
        if (p < 0)
            return TR_E_NOTFOUND;
        const tri_plant *pl = &s->pl[p];
        long c = rest[0] ? find(rest, s->car, sizeof *s->car, s->C) : -1;
        long sp = rest[0] ? find(rest, s->spe, sizeof *s->spe, s->S) : -1;
        if (!strcmp(field, "intensity") && c >= 0) *out = pl->int0[c];
        else if (!strcmp(field, "process_emissions") && sp >= 0) *out = pl->pe0[sp];
        else if (rest[0]) return TR_E_NOTFOUND;
        else if (!strcmp(field, "other_cost")) *out = pl->other[t];
        else if (!strcmp(field, "min_operating") && pl->closable) *out = pl->min_op[t];
        else if (!strcmp(field, "closure_cost") && pl->closable) *out = pl->cc[t];
        else return TR_E_NOTFOUND;
        return TR_OK;
    }
    if (!strcmp(sec, "carriers")) {
        long c = find(id, s->car, sizeof *s->car, s->C);
        long sp = rest[0] ? find(rest, s->spe, sizeof *s->spe, s->S) : -1;
        if (c < 0 || strcmp(field, "emission_factors") || sp < 0)
            return TR_E_NOTFOUND;
        *out = s->car[c].ef[(size_t)sp * s->Y + t];
        return TR_OK;
    }
    if (!strcmp(sec, "species")) {
        long sp = find(id, s->spe, sizeof *s->spe, s->S);
        if (sp < 0 || rest[0] || strcmp(field, "damage_cost"))
            return TR_E_NOTFOUND;
        *out = s->spe[sp].dmg[t];
        return TR_OK;
    }
    return TR_E_NOTFOUND;
}
