/* Numbers and year series (MODEL.md §3): a number, or {year: value} with
 * linear (gsl_interp_linear) or `interp: cspline` interpolation between the
 * points and flat extrapolation outside them. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>
#include <gsl/gsl_interp.h>

#include "tr_series.h"

int tri_is_null(const tri_node *n)
{
    return n && n->kind == TRI_SCALAR && n->plain &&
           (n->str[0] == '\0' || strcmp(n->str, "~") == 0 || strcmp(n->str, "null") == 0 ||
            strcmp(n->str, "Null") == 0 || strcmp(n->str, "NULL") == 0);
}

static int is_special(const char *s)
{
    static const char *const sp[] = {".inf", "+.inf", "-.inf", ".Inf", "+.Inf", "-.Inf", ".INF", "+.INF",
                                     "-.INF", ".nan", ".NaN", ".NAN", "inf", "-inf", "+inf", "nan", "NaN",
                                     "Infinity", "-Infinity", "infinity", "-infinity", "INF", "-INF", "NAN"};
    for (size_t i = 0; i < sizeof sp / sizeof *sp; i++)
        if (strcmp(s, sp[i]) == 0)
            return 1;
    return 0;
}

/* A scalar as a number: 0 and *@out, NUM_SPECIAL (.inf, nan), NUM_RANGE
 * (overflow), NUM_NOT (not a plain number) */
enum { NUM_OK, NUM_SPECIAL, NUM_RANGE, NUM_NOT };

static int num_parse(const tri_node *n, double *out)
{
    if (!n || n->kind != TRI_SCALAR)
        return NUM_NOT;
    const char *s = n->str;
    if (n->plain && is_special(s))
        return NUM_SPECIAL;
    int ok = n->plain && s[0] != '\0';
    for (const char *p = s; ok && *p; p++)
        if (!strchr("0123456789+-.eE_", *p))
            ok = 0;
    if (!ok || strlen(s) >= 128)
        return NUM_NOT;
    char clean[128];
    size_t j = 0;
    for (const char *p = s; *p; p++)
        if (*p != '_')
            clean[j++] = *p;
    clean[j] = '\0';
    char *end = NULL;
    errno = 0;
    double v = strtod(clean, &end);
    if (!end || *end != '\0' || end == clean)
        return NUM_NOT;
    if (!isfinite(v) || errno == ERANGE) {
        if (errno == ERANGE && isfinite(v) && fabs(v) < 1) {
            *out = 0.0;   /* underflow to zero is harmless */
            return NUM_OK;
        }
        return NUM_RANGE;
    }
    *out = v;
    return NUM_OK;
}

tr_status tri_num(const tri_node *n, const char *path, double *out)
{
    switch (num_parse(n, out)) {
    case NUM_OK: return TR_OK;
    case NUM_SPECIAL: return tri_node_fail(TR_E_INVAL, n, path, "expected a finite number, got %s", n->str);
    case NUM_RANGE:
        return tri_node_fail(TR_E_INVAL, n, path, "expected a finite number, got %s (out of range)", n->str);
    default: break;
    }
    return tri_node_fail_got(TR_E_INVAL, n, path, "expected a number");
}

char *tri_target_why(const tri_node *n)
{
    if (n && n->kind == TRI_SCALAR)
        return tri_scalar_repr(n);
    return tri_strdup(n ? tri_kind_name(n) : "nothing");
}

int tri_is_number(const tri_node *n)
{
    double v;
    return num_parse(n, &v) == NUM_OK;
}

int tri_is_series(const tri_node *n)
{
    if (tri_is_number(n))
        return 1;
    if (!n || n->kind != TRI_MAP || n->n == 0)
        return 0;
    size_t points = 0;
    for (size_t i = 0; i < n->n; i++) {
        const tri_node *k = n->keys[i], *v = n->vals[i];
        if (!strcmp(k->str, "interp"))
            continue;
        double y;
        if (num_parse(k, &y) != NUM_OK || y != floor(y) || !tri_is_number(v))
            return 0;
        points++;
    }
    return points > 0;
}

int tri_is_numbers(const tri_node *n)
{
    if (tri_is_number(n))
        return 1;
    if (!n || n->kind != TRI_MAP || n->n == 0)
        return 0;
    for (size_t i = 0; i < n->n; i++)
        if (strcmp(n->keys[i]->str, "interp") != 0 && !tri_is_numbers(n->vals[i]))
            return 0;
    return 1;
}

tr_status tri_int(const tri_node *n, const char *path, long lo, long hi, const char *what, long *out)
{
    /* one wording with the range, as the CLI's options say it (it said
     * "a year (integer 1000..9999) and at most 9999") */
    double v;
    if (num_parse(n, &v) != NUM_OK || v != floor(v) || v < (double)lo || v > (double)hi) {
        return tri_node_fail_got(TR_E_INVAL, n, path, "expected %s from %ld to %ld", what, lo, hi);
    }
    *out = (long)v;
    return TR_OK;
}

typedef struct pt {
    double x, y;
} pt;

static int cmp_pt(const void *a, const void *b)
{
    const pt *p = a, *q = b;
    return (p->x > q->x) - (p->x < q->x);
}

tr_status tri_series_eval(const tri_node *n, const char *path, int start, int end, double *out,
                          int *first_year)
{
    size_t Y = (size_t)(end - start + 1);
    if (first_year)
        *first_year = INT_MIN;
    if (n && n->kind == TRI_SCALAR) {
        double v;
        tr_status st = tri_num(n, path, &v);
        if (st != TR_OK)
            return st;
        for (size_t t = 0; t < Y; t++)
            out[t] = v;
        return TR_OK;
    }
    if (!n || n->kind != TRI_MAP)
        return tri_node_fail(TR_E_INVAL, n, path, "expected a number or a map {year: value}, got %s",
                             n ? tri_kind_name(n) : "nothing");
    int cspline = 0;
    pt *p = tri_calloc(n->n ? n->n : 1, sizeof *p);
    if (!p)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    size_t np = 0;
    char sub[600];
    tr_status st = TR_OK;
    for (size_t i = 0; i < n->n && st == TR_OK; i++) {
        const tri_node *k = n->keys[i], *v = n->vals[i];
        if (strcmp(k->str, "interp") == 0) {
            snprintf(sub, sizeof sub, "%s.interp", path);
            if (v->kind == TRI_SCALAR && strcmp(v->str, "cspline") == 0)
                cspline = 1;
            else if (!(v->kind == TRI_SCALAR && strcmp(v->str, "linear") == 0)) {
                char *r = tri_scalar_repr(v);
                st = tri_node_fail(TR_E_INVAL, v, sub, "expected linear or cspline, got %s", r ? r : "?");
                tri_free(r);
            }
            continue;
        }
        long year;
        snprintf(sub, sizeof sub, "%s", path);
        double yv;
        if (num_parse(k, &yv) != NUM_OK || yv != floor(yv) || yv < 1 || yv > 9999) {
            char *r = tri_scalar_repr(k);
            st = tri_node_fail(TR_E_INVAL, k, sub, "expected a year from 1 to 9999 or `interp`, got %s", r ? r : "?");
            tri_free(r);
            break;
        }
        year = (long)yv;
        snprintf(sub, sizeof sub, "%s.%ld", path, year);
        st = tri_num(v, sub, &p[np].y);
        p[np].x = (double)year;
        np++;
    }
    if (st == TR_OK && np == 0)
        st = tri_node_fail(TR_E_INVAL, n, path, "expected at least one {year: value} point, got none");
    if (st == TR_OK) {
        qsort(p, np, sizeof *p, cmp_pt);
        for (size_t i = 1; i < np; i++)
            if (p[i].x == p[i - 1].x)
                st = tri_node_fail(TR_E_INVAL, n, path, "year %.0f is given twice", p[i].x);
    }
    if (st == TR_OK && cspline && np < 3)
        st = tri_node_fail(TR_E_INVAL, n, path, "interp: cspline needs at least 3 points, got %zu", np);
    if (st != TR_OK) {
        tri_free(p);
        return st;
    }
    if (first_year)
        *first_year = (int)p[0].x;
    if (np == 1) {
        for (size_t t = 0; t < Y; t++)
            out[t] = p[0].y;
        tri_free(p);
        return TR_OK;
    }
    double *xs = tri_malloc(np * sizeof *xs), *ys = tri_malloc(np * sizeof *ys);
    gsl_interp *it = NULL;
    gsl_interp_accel *acc = NULL;
    if (!xs || !ys)
        goto nomem;
    for (size_t i = 0; i < np; i++) {
        xs[i] = p[i].x;
        ys[i] = p[i].y;
    }
    it = gsl_interp_alloc(cspline ? gsl_interp_cspline : gsl_interp_linear, np);
    acc = gsl_interp_accel_alloc();
    if (!it || !acc)
        goto nomem;
    int gs = gsl_interp_init(it, xs, ys, np);
    if (gs != GSL_SUCCESS) {
        st = tri_node_fail(TR_E_NUMERIC, n, path, "interpolation failed: %s", gsl_strerror(gs));
        goto done;
    }
    for (size_t t = 0; t < Y; t++) {
        double x = (double)(start + (int)t);
        if (x <= xs[0])
            out[t] = ys[0];
        else if (x >= xs[np - 1])
            out[t] = ys[np - 1];
        else {
            gs = gsl_interp_eval_e(it, xs, ys, x, acc, &out[t]);
            if (gs != GSL_SUCCESS || !isfinite(out[t])) {
                st = gs != GSL_SUCCESS
                         ? tri_node_fail(TR_E_NUMERIC, n, path, "interpolation failed at %.0f: %s", x, gsl_strerror(gs))
                         /* the points are finite: the spline through them
                                          * overflows, and that is the input's doing */
                         : tri_node_fail(TR_E_INVAL, n, path,
                                         "the interpolated value at %.0f is not finite; expected values far from the "
                                         "largest double",
                                         x);
                goto done;
            }
        }
    }
    goto done;
nomem:
    st = TR_FAIL(TR_E_NOMEM, "out of memory");
done:
    if (it)
        gsl_interp_free(it);
    if (acc)
        gsl_interp_accel_free(acc);
    tri_free(xs);
    tri_free(ys);
    tri_free(p);
    return st;
}
