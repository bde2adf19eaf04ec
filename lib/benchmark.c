/* Benchmarking plants against best practice: specific energy per unit of
 * product in final and primary terms, the energy-efficiency index (actual /
 * best practice), the benchmark curve (plants ranked by intensity against
 * cumulative production) and the savings potential if every plant reached
 * best practice — for the base year or every year of a solved scenario. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "result.h"

typedef struct brow {
    size_t plant;
    double x, sec_f, sec_p;
} brow;

struct tr_benchmark {
    size_t Y, P;
    int start;
    char **ids;
    char *scenario, *unit;
    double best_f, best_p;
    brow *rows;     /* [Y*P], each year sorted by sec_f; only n[t] used */
    size_t *n;      /* plants producing per year */
};

void tr_benchmark_free(tr_benchmark *b)
{
    if (!b)
        return;
    tri_free_strv(b->ids, b->P);
    tri_free(b->scenario);
    tri_free(b->unit);
    tri_free(b->rows);
    tri_free(b->n);
    tri_free(b);
}

static int cmp_row(const void *a, const void *c)
{
    const brow *x = a, *y = c;
    if (x->sec_f != y->sec_f)
        return x->sec_f < y->sec_f ? -1 : 1;
    return (x->plant > y->plant) - (x->plant < y->plant);   /* stable: by plant order */
}

tr_status tr_benchmark_new(const tr_scenario *sc, const tr_result *res, tr_benchmark **out)
{
    if (!out)
        return TR_FAIL(TR_E_INVAL, "tr_benchmark_new: out is NULL");
    *out = NULL;
    if (!sc)
        return TR_FAIL(TR_E_INVAL, "tr_benchmark_new: scenario is NULL");
    const tri_scen *s = sc->scen;
    if (!s->has_bench)
        return tri_fail_at(TR_E_INVAL, sc->path, 0, 0, "benchmark",
                           "the scenario has no `benchmark:` section with best-practice intensities; expected one to "
                           "benchmark against");
    if (res) {
        if (res->status != TR_SOL_OPTIMAL || !res->ps)
            return TR_FAIL(TR_E_INVAL, "tr_benchmark_new: expected an optimal result, got %s",
                           tr_result_status_name(res));
        if (strcmp(res->sha, sc->sha) != 0 || res->P != s->P || res->K != s->K || res->Y != s->Y)
            return TR_FAIL(TR_E_INVAL, "tr_benchmark_new: the result was made from another scenario (%s) than %s",
                           res->scenario, s->name);
    }
    size_t Y = res ? s->Y : 1, P = s->P, C = s->C;
    tr_benchmark *b = tri_calloc(1, sizeof *b);
    if (!b)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    b->Y = Y;
    b->P = P;
    b->start = s->start;
    b->ids = tri_calloc(P, sizeof *b->ids);
    b->rows = tri_calloc(Y * P, sizeof *b->rows);
    b->n = tri_calloc(Y, sizeof *b->n);
    b->scenario = tri_strdup(s->name);
    b->unit = tri_strdup(s->product_unit);
    double *E = tri_calloc(C ? C : 1, sizeof *E), *a0 = tri_calloc(s->K ? s->K : 1, sizeof *a0);
    if (!b->ids || !b->rows || !b->n || !b->scenario || !b->unit || !E || !a0) {
        tri_free(E);
        tri_free(a0);
        tr_benchmark_free(b);
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    }
    for (size_t p = 0; p < P; p++)
        if (!(b->ids[p] = tri_strdup(s->pl[p].id))) {
            tri_free(E);
            tri_free(a0);
            tr_benchmark_free(b);
            return TR_FAIL(TR_E_NOMEM, "out of memory");
        }
    for (size_t c = 0; c < C; c++) {
        if (s->car[c].has_ec)
            b->best_f += s->car[c].ec * s->bp[c];
        b->best_p += s->pf[c] * s->bp[c];
    }
    for (size_t t = 0; t < Y; t++) {
        for (size_t p = 0; p < P; p++) {
            const tri_plant *pl = &s->pl[p];
            /* production and energy: the solved plant's (tr_result_plant_series), or the
             * base year's existing stock */
            const double *ps = res ? res->ps + p * res->PS * res->Y + t : NULL;
            double x = res ? ps[TRI_PS_PRODUCTION * res->Y] : (pl->candidate ? 0 : pl->prod[0]);
            if (!(x > 0))
                continue;
            if (res) {
                for (size_t c = 0; c < C; c++)
                    E[c] = ps[(TRI_PS_ENERGY + c) * res->Y];
            } else {
                for (size_t k = 0; k < s->K; k++)
                    a0[k] = s->tech[k].e0[p] * pl->cap[0];
                tri_plant_energy(s, p, 0, x, a0, 1, E);
            }
            brow *row = &b->rows[t * P + b->n[t]++];
            row->plant = p;
            row->x = x;
            for (size_t c = 0; c < C; c++) {
                if (s->car[c].has_ec)
                    row->sec_f += s->car[c].ec * E[c] / x;
                row->sec_p += s->pf[c] * E[c] / x;
            }
        }
        qsort(&b->rows[t * P], b->n[t], sizeof *b->rows, cmp_row);
    }
    tri_free(a0);
    tri_free(E);
    *out = b;
    return TR_OK;
}

size_t tr_benchmark_year_count(const tr_benchmark *b) { return b ? b->Y : 0; }
int tr_benchmark_year(const tr_benchmark *b, size_t t) { return b && t < b->Y ? b->start + (int)t : 0; }
size_t tr_benchmark_plant_count(const tr_benchmark *b, size_t t) { return b && t < b->Y ? b->n[t] : 0; }

tr_status tr_benchmark_get(const tr_benchmark *b, size_t t, size_t rank, tr_benchmark_row *out)
{
    if (!b || !out)
        return TR_FAIL(TR_E_INVAL, "tr_benchmark_get: NULL argument");
    if (t >= b->Y || rank >= b->n[t])
        return TR_FAIL(TR_E_NOTFOUND, "tr_benchmark_get: year index %zu / rank %zu out of range", t, rank);
    double cum = 0;
    for (size_t i = 0; i <= rank; i++)
        cum += b->rows[t * b->P + i].x;
    const brow *r = &b->rows[t * b->P + rank];
    out->plant = b->ids[r->plant];
    out->production = r->x;
    out->cumulative = cum;
    out->sec_final = r->sec_f;
    out->sec_primary = r->sec_p;
    out->eei_final = b->best_f > 0 ? r->sec_f / b->best_f : NAN;
    out->eei_primary = b->best_p > 0 ? r->sec_p / b->best_p : NAN;
    out->saving_final = r->sec_f > b->best_f ? (r->sec_f - b->best_f) * r->x : 0;
    out->saving_primary = r->sec_p > b->best_p ? (r->sec_p - b->best_p) * r->x : 0;
    return TR_OK;
}

tr_status tr_benchmark_get_totals(const tr_benchmark *b, size_t t, tr_benchmark_totals *out)
{
    if (!b || !out)
        return TR_FAIL(TR_E_INVAL, "tr_benchmark_get_totals: NULL argument");
    if (t >= b->Y)
        return TR_FAIL(TR_E_NOTFOUND, "tr_benchmark_get_totals: year index %zu out of range", t);
    memset(out, 0, sizeof *out);
    out->best_final = b->best_f;
    out->best_primary = b->best_p;
    for (size_t i = 0; i < b->n[t]; i++) {
        tr_benchmark_row r;
        tr_benchmark_get(b, t, i, &r);
        out->production += r.production;
        out->energy_final += r.sec_final * r.production;
        out->energy_primary += r.sec_primary * r.production;
        out->saving_final += r.saving_final;
        out->saving_primary += r.saving_primary;
    }
    double x = out->production;
    out->eei_final = x > 0 && b->best_f > 0 ? out->energy_final / x / b->best_f : NAN;
    out->eei_primary = x > 0 && b->best_p > 0 ? out->energy_primary / x / b->best_p : NAN;
    out->saving_share_final = out->energy_final > 0 ? out->saving_final / out->energy_final : 0;
    out->saving_share_primary = out->energy_primary > 0 ? out->saving_primary / out->energy_primary : 0;
    return TR_OK;
}

static json_t *jnum(double v) { return isfinite(v) ? json_real(v) : json_null(); }

/* The numbers of a curve's row and of a year's totals as the JSON and CSV
 * outputs name them, in their order: off[IN_ROW] in a tr_benchmark_row,
 * off[IN_TOTALS] in a tr_benchmark_totals, SIZE_MAX where it has none. */
enum { IN_ROW, IN_TOTALS };

typedef struct bfield {
    const char *key;
    size_t off[2];
} bfield;

static const bfield FIELDS[] = {
    {"production", {offsetof(tr_benchmark_row, production), offsetof(tr_benchmark_totals, production)}},
    {"cumulative", {offsetof(tr_benchmark_row, cumulative), SIZE_MAX}},
    {"sec_final", {offsetof(tr_benchmark_row, sec_final), SIZE_MAX}},
    {"sec_primary", {offsetof(tr_benchmark_row, sec_primary), SIZE_MAX}},
    {"eei_final", {offsetof(tr_benchmark_row, eei_final), offsetof(tr_benchmark_totals, eei_final)}},
    {"eei_primary", {offsetof(tr_benchmark_row, eei_primary), offsetof(tr_benchmark_totals, eei_primary)}},
    {"saving_final", {offsetof(tr_benchmark_row, saving_final), offsetof(tr_benchmark_totals, saving_final)}},
    {"saving_primary", {offsetof(tr_benchmark_row, saving_primary), offsetof(tr_benchmark_totals, saving_primary)}},
    {"saving_share_final", {SIZE_MAX, offsetof(tr_benchmark_totals, saving_share_final)}},
    {"saving_share_primary", {SIZE_MAX, offsetof(tr_benchmark_totals, saving_share_primary)}},
};

enum { NFIELDS = sizeof FIELDS / sizeof *FIELDS };

static double field_value(const void *rec, int in, size_t f)
{
    double v;
    memcpy(&v, (const char *)rec + FIELDS[f].off[in], sizeof v);
    return v;
}

/* the numbers of @rec (a row or the totals, @in) into the JSON object @o */
static void json_fields(json_t *o, const void *rec, int in)
{
    for (size_t f = 0; f < NFIELDS; f++)
        if (FIELDS[f].off[in] != SIZE_MAX)
            json_object_set_new(o, FIELDS[f].key, jnum(field_value(rec, in, f)));
}

static json_t *to_json(const tr_benchmark *b)
{
    json_t *j = json_object(), *years = json_array();
    json_object_set_new(j, "format", json_string("techroad-benchmark/1"));
    json_object_set_new(j, "scenario", json_string(b->scenario));
    json_object_set_new(j, "unit", json_string(b->unit));
    json_object_set_new(j, "best_practice_final", jnum(b->best_f));
    json_object_set_new(j, "best_practice_primary", jnum(b->best_p));
    for (size_t t = 0; t < b->Y; t++) {
        tr_benchmark_totals T;
        tr_benchmark_get_totals(b, t, &T);
        json_t *y = json_object(), *curve = json_array();
        json_object_set_new(y, "year", json_integer(tr_benchmark_year(b, t)));
        json_fields(y, &T, IN_TOTALS);
        for (size_t i = 0; i < b->n[t]; i++) {
            tr_benchmark_row r;
            tr_benchmark_get(b, t, i, &r);
            json_t *e = json_object();
            json_object_set_new(e, "plant", json_string(r.plant));
            json_fields(e, &r, IN_ROW);
            json_array_append_new(curve, e);
        }
        json_object_set_new(y, "curve", curve);
        json_array_append_new(years, y);
    }
    json_object_set_new(j, "years", years);
    return j;
}

static void write_csv(const tr_benchmark *b, tri_buf *o)
{
    tri_buf_puts(o, "year,rank,plant");
    for (size_t f = 0; f < NFIELDS; f++)
        if (FIELDS[f].off[IN_ROW] != SIZE_MAX)
            tri_buf_printf(o, ",%s", FIELDS[f].key);
    tri_buf_puts(o, "\n");
    for (size_t t = 0; t < b->Y; t++)
        for (size_t i = 0; i < b->n[t]; i++) {
            tr_benchmark_row r;
            tr_benchmark_get(b, t, i, &r);
            tri_buf_printf(o, "%d,%zu,%s", tr_benchmark_year(b, t), i + 1, r.plant);
            for (size_t f = 0; f < NFIELDS; f++)
                if (FIELDS[f].off[IN_ROW] != SIZE_MAX)
                    tri_buf_printf(o, ",%.12g", field_value(&r, IN_ROW, f));
            tri_buf_puts(o, "\n");
        }
}

static void write_table(const tr_benchmark *b, tri_buf *o)
{
    char a[64], c[64], d[64];
    tri_buf_printf(o, "Benchmark of %s against best practice: %.4g GJ/%s final, %.4g GJ/%s primary\n",
                   b->scenario, b->best_f, b->unit, b->best_p, b->unit);
    for (size_t t = 0; t < b->Y; t++) {
        tr_benchmark_totals T;
        tr_benchmark_get_totals(b, t, &T);
        tri_buf_printf(o, "\n%d: production %s %s, EEI %.3f final / %.3f primary; savings potential %s GJ final "
                          "(%.1f%%), %s GJ primary (%.1f%%)\n",
                       tr_benchmark_year(b, t), tri_fmt_num(T.production, a, sizeof a), b->unit, T.eei_final,
                       T.eei_primary, tri_fmt_num(T.saving_final, c, sizeof c), 100 * T.saving_share_final,
                       tri_fmt_num(T.saving_primary, d, sizeof d), 100 * T.saving_share_primary);
        tri_buf_printf(o, "  %4s  %-24s %14s %14s %10s %10s %8s %8s\n", "rank", "plant", "production", "cumulative",
                       "GJ/t fin", "GJ/t prim", "EEI fin", "EEI pri");
        for (size_t i = 0; i < b->n[t]; i++) {
            tr_benchmark_row r;
            tr_benchmark_get(b, t, i, &r);
            tri_buf_printf(o, "  %4zu  %-24.24s %14s %14s %10.4g %10.4g %8.3f %8.3f\n", i + 1, r.plant,
                           tri_fmt_num(r.production, a, sizeof a), tri_fmt_num(r.cumulative, c, sizeof c),
                           r.sec_final, r.sec_primary, r.eei_final, r.eei_primary);
        }
    }
}

tr_status tr_benchmark_write_string(const tr_benchmark *b, tr_result_format format, char **out)
{
    tr_status st = tri_write_args(b, out, "tr_benchmark_write_string", "benchmark");
    if (st != TR_OK)
        return st;
    tri_buf o = {0};
    switch (format) {
    case TR_FMT_JSON:
        if (!tri_buf_put_json(&o, to_json(b)))
            return TR_FAIL(TR_E_NOMEM, "out of memory writing JSON");
        break;
    case TR_FMT_CSV: write_csv(b, &o); break;
    case TR_FMT_TABLE: write_table(b, &o); break;
    default:
        return TR_FAIL(TR_E_INVAL, "tr_benchmark_write_string: expected table, csv or json, got format %d", (int)format);
    }
    *out = tri_buf_take(&o);
    return *out ? TR_OK : TR_FAIL(TR_E_NOMEM, "out of memory");
}
