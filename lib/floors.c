/* Technical floors (MODEL.md §13, first part). A floor is a technical limit,
 * not a policy: its rows are a plant's own rows (so the decomposition puts
 * them in the plant's subproblem), they have no shadow price in the result
 * and the elastic diagnosis of an infeasible scenario never relaxes them
 * (it relaxes policy rows only). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "floors.h"
#include "tr_series.h"

#define FPATH 600

static size_t nslots(const tri_scen *s) { return s->C + s->S; }

/* plant p's map in the document: compile.c keeps the document's order, so
 * the p-th entry (a lookup by id only if not: maps are searched linearly) */
static const tri_node *plant_node(const tri_node *plants, const tri_scen *s, size_t p)
{
    if (!plants || plants->kind != TRI_MAP)
        return NULL;
    const tri_node *pm = p < plants->n && !strcmp(plants->keys[p]->str, s->pl[p].id) ? plants->vals[p]
                                                                                      : tri_map_get(plants, s->pl[p].id);
    return pm && pm->kind == TRI_MAP ? pm : NULL;
}

double tri_floor_at(const tri_scen *s, size_t p, size_t i, size_t t)
{
    if (!s->fl || !s->fl->v)
        return NAN;
    return s->fl->v[(p * nslots(s) + i) * s->Y + t];
}

void tri_floors_free(tri_floors *f)
{
    if (!f)
        return;
    tri_free(f->v);
    tri_free(f);
}

/* a carrier's or species' slot for @name, or -1 */
static long slot_of(const tri_scen *s, const char *name)
{
    for (size_t c = 0; c < s->C; c++)
        if (!strcmp(s->car[c].id, name))
            return (long)c;
    for (size_t i = 0; i < s->S; i++)
        if (!strcmp(s->spe[i].id, name))
            return (long)(s->C + i);
    return -1;
}

/* check a `floors:` map (names and series) at @path; each series into @out[slot*Y] */
static tr_status read_map(const tri_scen *s, const tri_node *m, const char *path, double *out,
                          const tri_node **where)
{
    if (m->kind != TRI_MAP) {
        return tri_node_fail_got(TR_E_INVAL, m, path,
                                 "expected a map {carrier or species: floor per unit of product}");
    }
    for (size_t i = 0; i < m->n; i++) {
        const tri_node *k = m->keys[i];
        char sub[FPATH + 80];
        snprintf(sub, sizeof sub, "%s.%.64s", path, k->str);
        long slot = slot_of(s, k->str);
        if (slot < 0)
            return tri_node_fail(TR_E_NOTFOUND, k, sub, "unknown carrier or species \"%.64s\"; expected a "
                                 "declared carrier or species", k->str);
        double *v = out + (size_t)slot * s->Y;
        tr_status st = tri_series_eval(m->vals[i], sub, s->start, s->end, v, NULL);
        if (st != TR_OK)
            return st;
        for (size_t t = 0; t < s->Y; t++)
            if (!(v[t] >= 0) || !isfinite(v[t]))
                return tri_node_fail(TR_E_INVAL, m->vals[i], sub,
                                     "expected a floor >= 0 per unit of product, got %g in %d", v[t],
                                     s->start + (int)t);
        where[slot] = m->vals[i];
    }
    return TR_OK;
}

tr_status tri_floors_compile(const tri_node *doc, tri_scen *s)
{
    const tri_node *top = tri_map_get(doc, "floors");
    const tri_node *plants = tri_map_get(doc, "plants");
    int any = top && !tri_is_null(top);
    for (size_t p = 0; !any && p < s->P; p++) {
        const tri_node *pm = plant_node(plants, s, p);
        const tri_node *f = pm ? tri_map_get(pm, "floors") : NULL;
        any = f && !tri_is_null(f);
    }
    if (!any)
        return TR_OK;
    size_t ns = nslots(s), Y = s->Y;
    s->fl = tri_calloc(1, sizeof *s->fl);
    double *topv = tri_malloc((ns * Y + 1) * sizeof *topv);
    const tri_node **topw = tri_calloc(ns + 1, sizeof *topw), **plw = tri_calloc(ns + 1, sizeof *plw);
    tr_status st = TR_OK;
    if (!s->fl || !topv || !topw || !plw || !(s->fl->v = tri_malloc((s->P * ns * Y + 1) * sizeof *s->fl->v))) {
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < ns * Y; i++)
        topv[i] = NAN;
    for (size_t i = 0; i < s->P * ns * Y; i++)
        s->fl->v[i] = NAN;
    if (top && !tri_is_null(top))
        st = read_map(s, top, "floors", topv, topw);
    for (size_t p = 0; st == TR_OK && p < s->P; p++) {
        const tri_plant *pl = &s->pl[p];
        double *v = s->fl->v + p * ns * Y;
        memset(plw, 0, ns * sizeof *plw);
        const tri_node *pm = plant_node(plants, s, p);
        const tri_node *f = pm ? tri_map_get(pm, "floors") : NULL;
        char path[FPATH];
        snprintf(path, sizeof path, "plants.%.64s.floors", pl->id);
        if (f && !tri_is_null(f) && (st = read_map(s, f, path, v, plw)) != TR_OK)
            break;
        for (size_t i = 0; i < ns && st == TR_OK; i++) {
            const tri_node *w = plw[i];
            if (!w && topw[i])   /* the top level's value where the plant gives none */
                memcpy(v + i * Y, topv + i * Y, Y * sizeof *v);
            if (!w && !topw[i])
                continue;
            s->fl->n++;
            double base = i < s->C ? pl->int0[i] : pl->pe0[i - s->C];
            const char *name = i < s->C ? s->car[i].id : s->spe[i - s->C].id;
            for (size_t t = 0; t < Y; t++) {
                if (v[i * Y + t] <= base + 1e-12 * fmax(1.0, fabs(base)))
                    continue;
                char sub[FPATH + 80];
                if (w)
                    snprintf(sub, sizeof sub, "%s.%.64s", path, name);
                else
                    snprintf(sub, sizeof sub, "floors.%.64s", name);
                st = tri_node_fail(TR_E_INVAL, w ? w : topw[i], sub,
                                   "expected a floor at most plant \"%.64s\"'s baseline %s %g per unit of "
                                   "product, got %g in %d",
                                   pl->id, i < s->C ? "intensity" : "process emissions", base, v[i * Y + t],
                                   s->start + (int)t);
                break;
            }
        }
    }
out:
    tri_free(topv);
    tri_free(topw);
    tri_free(plw);
    return st;
}

void tri_floor_rows(const tr_model *m, tri_rowacc *acc, tri_floor_emit emit, void *ctx)
{
    const tri_scen *s = m->s;
    if (!s->fl || !s->fl->n)
        return;
    size_t ns = nslots(s), Y = s->Y, j0 = 0;
    for (size_t p = 0; p < s->P; p++) {
        size_t j1 = j0;   /* pairs are in plant-major order */
        while (j1 < m->J && m->jp[j1] == p)
            j1++;
        const tri_plant *pl = &s->pl[p];
        for (size_t i = 0; i < ns; i++) {
            if (isnan(tri_floor_at(s, p, i, 0)))
                continue;
            int lowers = 0;
            for (size_t j = j0; j < j1; j++) {
                const tri_tech *te = &s->tech[m->jk[j]];
                double d = i < s->C ? te->d[p * s->C + i] : te->dpe[p * s->S + (i - s->C)];
                lowers |= d < 0;
            }
            if (!lowers)
                continue;
            double base = i < s->C ? pl->int0[i] : pl->pe0[i - s->C];
            const char *name = i < s->C ? s->car[i].id : s->spe[i - s->C].id;
            for (size_t t = 0; t < Y; t++) {
                double F = tri_floor_at(s, p, i, t);
                for (size_t j = j0; j < j1; j++) {
                    const tri_tech *te = &s->tech[m->jk[j]];
                    double d = i < s->C ? te->d[p * s->C + i] : te->dpe[p * s->S + (i - s->C)];
                    int col = m->acol[j * Y + t];
                    if (col && d != 0)
                        tri_acc_add(acc, col, d * pl->u[t]);
                }
                int xc;
                double coef, x0 = tri_x_part(m, p, t, &xc, &coef);
                if (xc)
                    tri_acc_add(acc, xc, (base - F) * coef);
                if (!emit(ctx, acc, p, name, s->start + (int)t, (F - base) * x0))
                    return;
            }
        }
        j0 = j1;
    }
}
