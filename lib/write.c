/* write: results -> JSON (techroad-result/1, through jansson), wide CSV,
 * IAMC long CSV and a readable text table. Same result, same bytes. */
#include <csv.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "analysis.h"   /* tri_cell_text */
#include "result.h"
#include "windows.h"

#define NUMFMT "%.12g"

static json_t *num_or_null(double v)
{
    return isfinite(v) ? json_real(v) : json_null();
}

static json_t *arr(const double *v, size_t n, int as_bool)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++) {
        json_t *e = !isfinite(v[i]) ? json_null() : as_bool ? json_boolean(v[i] != 0) : json_real(v[i]);
        if (!e || json_array_append_new(a, e) != 0) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

/* set helpers that tolerate NULL values (then the whole build fails) */
static int put(json_t *o, const char *k, json_t *v)
{
    if (!o || !v) {
        json_decref(v);
        return 0;
    }
    return json_object_set_new(o, k, v) == 0;
}

static json_t *to_json(const tr_result *r)
{
    json_t *o = json_object();
    /* every put runs, even after a failure, so that each new value is taken
     * or freed (a failed allocation must not leak the ones made before) */
    int ok = 1;
    ok &= put(o, "format", json_string("techroad-result/1"));
    ok &= put(o, "scenario", json_string(r->scenario));
    ok &= put(o, "status", json_string(tr_result_status_name(r)));
    ok &= put(o, "npv", r->status == TR_SOL_OPTIMAL ? num_or_null(r->npv) : json_null());
    ok &= put(o, "currency", json_string(r->currency));
    ok &= put(o, "region", json_string(r->region));
    json_t *years = json_array();
    for (size_t t = 0; ok && t < r->Y; t++)
        ok = years && json_array_append_new(years, json_integer(r->start + (int)t)) == 0;
    ok &= put(o, "years", years);
    json_t *ind = json_object(), *units = json_object(), *ad = json_object(), *eq = json_object(),
           *pol = json_object();
    for (size_t i = 0; ok && i < r->ns; i++) {
        const tri_series *s = &r->ser[i];
        switch (s->kind) {
        case TRI_SER_INDICATOR:
            ok &= put(ind, s->name, arr(s->v, r->Y, 0));
            ok &= put(units, s->name, json_string(s->unit));
            break;
        case TRI_SER_ADOPTION: ok &= put(ad, s->item, arr(s->v, r->Y, 0)); break;
        case TRI_SER_EQUIPPED: ok &= put(eq, s->item, arr(s->v, r->Y, 0)); break;
        default: break;
        }
    }
    for (size_t p = 0; ok && p < r->np; p++) {
        json_t *e = json_object();
        ok &= put(e, "type", json_string(r->pol[p].type));
        ok &= put(e, "indicator", json_string(r->pol[p].indicator));
        ok &= put(e, "unit", json_string(r->pol[p].unit));
        if (r->pol[p].illustrative)
            ok &= put(e, "illustrative", json_true());
        if (r->pol[p].ref_year) {   /* a relative target: limit = (1 - reduction) * reference */
            ok &= put(e, "reference", json_real(r->pol[p].ref));
            ok &= put(e, "reference_year", json_integer(r->pol[p].ref_year));
        }
        for (size_t i = 0; ok && i < r->ns; i++) {
            const tri_series *s = &r->ser[i];
            if (s->kind != TRI_SER_POLICY || strcmp(s->item, r->pol[p].id) != 0)
                continue;
            ok &= put(e, s->field, arr(s->v, r->Y, strcmp(s->field, "binding") == 0));
            if (strcmp(s->field, "shadow_price") == 0)
                ok &= put(e, "shadow_price_unit", json_string(s->unit));
        }
        ok &= put(pol, r->pol[p].id, e);
    }
    ok &= put(o, "indicators", ind);
    ok &= put(o, "units", units);
    ok &= put(o, "adoption", ad);
    ok &= put(o, "equipped", eq);
    ok &= put(o, "policies", pol);
    json_t *tot = json_object(), *tu = json_object();
    for (size_t i = 0; ok && i < r->nt; i++) {
        ok &= put(tot, r->tname[i], num_or_null(r->tval[i]));
        ok &= put(tu, r->tname[i], json_string(r->tunit[i]));
    }
    ok &= put(o, "totals", tot);
    ok &= put(o, "total_units", tu);
    json_t *dg = json_array();
    for (size_t i = 0; ok && i < r->nd; i++) {
        const tri_diag *d = &r->diag[i];
        json_t *e = json_object();
        ok &= put(e, "policy", json_string(d->policy));
        ok &= put(e, "year", json_integer(d->year));
        ok &= put(e, "indicator", json_string(d->indicator));
        ok &= put(e, "unit", json_string(d->unit));
        ok &= put(e, "reachable", num_or_null(d->reachable));
        ok &= put(e, "limit", num_or_null(d->limit));
        ok &= put(e, "message", json_string(d->message));
        if (ok && dg && json_array_append_new(dg, e) == 0)
            continue;
        json_decref(e);
        ok = 0;
    }
    ok &= put(o, "diagnosis", dg);
    if (r->iw)   /* §13: only when some plant declares windows */
        ok &= put(o, "investment_windows", tri_windows_json(r));
    if (r->solver_message)
        ok &= put(o, "message", json_string(r->solver_message));
    json_t *pv = json_object();
    char lib[64];
    snprintf(lib, sizeof lib, "techroad %s", tr_version());
    ok &= put(pv, "library", json_string(lib));
    ok &= put(pv, "glpk", json_string(tr_glpk_version()));
    ok &= put(pv, "method", json_string(r->method ? r->method : ""));
    ok &= put(pv, "presolve", json_boolean(r->presolve));
    ok &= put(pv, "tol_primal", json_real(r->tol_primal));
    ok &= put(pv, "tol_dual", json_real(r->tol_dual));
    ok &= put(pv, "scenario_sha256", json_string(r->sha));
    if (r->foresight > 0) {
        json_t *fs = json_object();
        ok &= put(fs, "years", json_integer(r->foresight));
        ok &= put(fs, "step", json_integer(r->foresight_step));
        ok &= put(fs, "windows", json_integer(r->windows));
        ok &= put(pv, "foresight", fs);
    }
    ok &= put(o, "provenance", pv);
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* CSV field, quoted by libcsv only when it needs quoting */
void tri_csv_field(tri_buf *b, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        tri_buf_puts(b, s);
        return;
    }
    size_t need = csv_write(NULL, 0, s, strlen(s));
    char *q = tri_malloc(need + 1);
    if (!q) {
        b->failed = 1;
        return;
    }
    csv_write(q, need, s, strlen(s));
    tri_buf_put(b, q, need);
    tri_free(q);
}

static void csv_num(tri_buf *b, double v)
{
    if (isfinite(v))
        tri_buf_printf(b, NUMFMT, v == 0 ? 0.0 : v);
}

static void write_csv(const tr_result *r, tri_buf *b)
{
    tri_buf_puts(b, "variable,unit");
    for (size_t t = 0; t < r->Y; t++)
        tri_buf_printf(b, ",%d", r->start + (int)t);
    tri_buf_puts(b, "\n");
    for (size_t i = 0; i < r->ns; i++) {
        tri_csv_field(b, r->ser[i].name);
        tri_buf_puts(b, ",");
        tri_csv_field(b, r->ser[i].unit);
        for (size_t t = 0; t < r->Y; t++) {
            tri_buf_puts(b, ",");
            csv_num(b, r->ser[i].v[t]);
        }
        tri_buf_puts(b, "\n");
    }
}

static void write_iamc(const tr_result *r, tri_buf *b)
{
    tri_buf_puts(b, "model,scenario,region,variable,unit,year,value\n");
    char model[64];
    snprintf(model, sizeof model, "techroad %s", tr_version());
    for (size_t i = 0; i < r->ns; i++) {
        const tri_series *s = &r->ser[i];
        if (s->kind == TRI_SER_POLICY && strcmp(s->field, "binding") == 0)
            continue;
        if (s->kind == TRI_SER_POLICY && !strcmp(s->field, "limit")) {   /* a price's limit is its level,
                                                                             * already there as Price|Carbon */
            const tri_series *v = i > 0 ? &r->ser[i - 1] : NULL;   /* value comes just before limit (extract.c) */
            if (v && v->kind == TRI_SER_POLICY && !strcmp(v->item, s->item) && !strncmp(v->label, "Price|", 6))
                continue;
        }
        double k = s->iunit ? s->iscale : 1;
        for (size_t t = 0; t < r->Y; t++) {
            if (!isfinite(s->v[t]))
                continue;
            tri_csv_field(b, model);
            tri_buf_puts(b, ",");
            tri_csv_field(b, r->scenario);
            tri_buf_puts(b, ",");
            tri_csv_field(b, r->region);
            tri_buf_puts(b, ",");
            tri_csv_field(b, s->label ? s->label : s->name);
            tri_buf_puts(b, ",");
            tri_csv_field(b, s->iunit ? s->iunit : s->unit);   /* adoption: a share 0-1, as everywhere */
            tri_buf_printf(b, ",%d,", r->start + (int)t);
            csv_num(b, k * s->v[t]);
            tri_buf_puts(b, "\n");
        }
    }
}

static void cell(char *buf, size_t n, double v, int pct)
{
    if (!isfinite(v)) {
        snprintf(buf, n, "-");
        return;
    }
    if (pct) {
        snprintf(buf, n, "%.1f%%", 100 * v);
        return;
    }
    double a = fabs(v);
    if (a == 0)
        snprintf(buf, n, "0");
    else if (a >= 1e6)
        snprintf(buf, n, "%.4gM", v / 1e6);
    else if (a >= 1e4)
        snprintf(buf, n, "%.0f", v);
    else if (a >= 100)
        snprintf(buf, n, "%.1f", v);
    else
        snprintf(buf, n, "%.4g", v);
}

static void write_table(const tr_result *r, tri_buf *b)
{
    char nb[64], e1[512], e2[512];
    tri_buf_printf(b, "Scenario %s: %s", tri_cell_text(r->scenario, e1, sizeof e1), tr_result_status_name(r));
    if (r->status == TR_SOL_OPTIMAL)
        tri_buf_printf(b, ", NPV %s %s", tri_fmt_num(r->npv, nb, sizeof nb), tri_cell_text(r->currency, e2, sizeof e2));
    tri_buf_puts(b, "\n");
    if (r->solver_message)
        tri_buf_printf(b, "%s\n", r->solver_message);
    for (size_t i = 0; i < r->nd; i++)
        tri_buf_printf(b, "  %s\n", r->diag[i].message);
    if (r->status != TR_SOL_OPTIMAL)
        return;
    size_t w = 24;
    for (size_t i = 0; i < r->ns; i++)
        if (strlen(r->ser[i].name) > w)
            w = strlen(r->ser[i].name);
    if (w > 48)
        w = 48;
    size_t uw = 14;   /* units are never cut (USD2020/t CO2 per ...): the column fits the longest */
    for (size_t i = 0; i < r->ns; i++) {
        size_t l = strlen(tri_cell_text(r->ser[i].unit, e2, sizeof e2));
        if (l > uw)
            uw = l;
    }
    tri_buf_printf(b, "\n%-*s %-*s", (int)w, "indicator", (int)uw, "unit");
    for (size_t t = 0; t < r->Y; t++)
        tri_buf_printf(b, " %10d", r->start + (int)t);
    tri_buf_puts(b, "\n");
    const char *lastsec = "";
    static const tri_ser_kind order[] = {TRI_SER_INDICATOR, TRI_SER_ADOPTION, TRI_SER_EQUIPPED, TRI_SER_POLICY};
    for (size_t i = 0, o = 0; o < 4; i = (i + 1 == r->ns) ? (o++, 0) : i + 1) {
        if (r->ns == 0)
            break;
        const tri_series *s = &r->ser[i];
        if (s->kind != order[o])
            continue;
        if (s->kind == TRI_SER_POLICY && strcmp(s->field, "limit") == 0)
            continue;
        const char *sec = s->kind == TRI_SER_ADOPTION   ? "adoption (share of applicable capacity)"
                          : s->kind == TRI_SER_EQUIPPED ? "equipped capacity"
                          : s->kind == TRI_SER_POLICY   ? "policies"
                                                        : "";
        if (strcmp(sec, lastsec) != 0) {
            tri_buf_printf(b, "-- %s\n", sec);
            lastsec = sec;
            for (size_t p = 0; s->kind == TRI_SER_POLICY && p < r->np; p++) {
                if (r->pol[p].illustrative)
                    tri_buf_printf(b, "   %s: illustrative (a target with no public source)\n", r->pol[p].id);
                if (r->pol[p].ref_year)
                    tri_buf_printf(b, "   %s: limit = (1 - reduction) x reference %.6g %s (%s in %d with the "
                                   "existing stock, no decisions)\n", r->pol[p].id, r->pol[p].ref,
                                   tri_cell_text(r->pol[p].unit, e2, sizeof e2), r->pol[p].indicator,
                                   r->pol[p].ref_year);
            }
        }
        int pct = s->kind == TRI_SER_ADOPTION;
        tri_buf_printf(b, "%-*.*s %-*s", (int)w, (int)w, tri_cell_text(s->name, e1, sizeof e1), (int)uw,
                       pct ? "%" : tri_cell_text(s->unit, e2, sizeof e2));
        for (size_t t = 0; t < r->Y; t++) {
            char c[32];
            if (s->kind == TRI_SER_POLICY && strcmp(s->field, "binding") == 0)
                snprintf(c, sizeof c, "%s", !isfinite(s->v[t]) ? "-" : s->v[t] != 0 ? "yes" : "no");
            else
                cell(c, sizeof c, s->v[t], pct);
            tri_buf_printf(b, " %10s", c);
        }
        tri_buf_puts(b, "\n");
    }
    tri_buf_puts(b, "\ntotals\n");
    for (size_t i = 0; i < r->nt; i++)
        tri_buf_printf(b, "  %-36s %18s %s\n", tri_cell_text(r->tname[i], e1, sizeof e1),
                       tri_fmt_num(r->tval[i], nb, sizeof nb), tri_cell_text(r->tunit[i], e2, sizeof e2));
}

int tri_buf_put_json(tri_buf *b, json_t *j)
{
    char *s = j ? json_dumps(j, JSON_INDENT(1) | JSON_REAL_PRECISION(15)) : NULL;
    json_decref(j);
    if (!s)
        return 0;
    tri_buf_puts(b, s);
    tri_buf_puts(b, "\n");
    free(s);
    return 1;
}

tr_status tri_write_args(const void *obj, char **out, const char *fn, const char *what)
{
    if (!out)
        return TR_FAIL(TR_E_INVAL, "%s: out is NULL", fn);
    *out = NULL;
    if (!obj)
        return TR_FAIL(TR_E_INVAL, "%s: %s is NULL", fn, what);
    return TR_OK;
}

tr_status tr_result_write_string(const tr_result *r, tr_result_format format, char **out)
{
    tr_status st = tri_write_args(r, out, "tr_result_write_string", "result");
    if (st != TR_OK)
        return st;
    tri_buf b = {0};
    switch (format) {
    case TR_FMT_JSON:
        if (!tri_buf_put_json(&b, to_json(r)))
            return TR_FAIL(TR_E_NOMEM, "out of memory writing JSON");
        break;
    case TR_FMT_CSV: write_csv(r, &b); break;
    case TR_FMT_IAMC: write_iamc(r, &b); break;
    case TR_FMT_TABLE: write_table(r, &b); break;
    default: return TR_FAIL(TR_E_INVAL, "tr_result_write_string: unknown format %d", (int)format);
    }
    *out = tri_buf_take(&b);
    return *out ? TR_OK : TR_FAIL(TR_E_NOMEM, "out of memory");
}

tr_status tr_result_write(const tr_result *r, tr_result_format format, const char *path)
{
    if (!path)
        return TR_FAIL(TR_E_INVAL, "tr_result_write: path is NULL");
    char *s = NULL;
    tr_status st = tr_result_write_string(r, format, &s);
    if (st != TR_OK)
        return st;
    st = tri_write_file(path, s, strlen(s));
    tri_free(s);
    return st;
}
