/* compile: effective document -> typed scenario. Every series is evaluated
 * per year here and every check of MODEL.md §10 lives here, each failure
 * naming file:line:col, the field path and what was expected. */
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "floors.h"
#include "windows.h"
#include "provenance.h"
#include "reltarget.h"
#include "tr_series.h"

#include <gsl/gsl_cdf.h>

static double tri_norm_pinv(double u) { return gsl_cdf_ugaussian_Pinv(u); }
static double tri_beta_pinv(double u, double a, double b) { return gsl_cdf_beta_Pinv(u, a, b); }

#define P_MAX 600

typedef struct cx {
    tri_scen *s;
    const tri_node *doc;
} cx;

/* ------------------------------------------------------------ helpers */

static size_t lev(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la > 40 || lb > 40)
        return 99;
    size_t d[41][41];
    for (size_t i = 0; i <= la; i++)
        d[i][0] = i;
    for (size_t j = 0; j <= lb; j++)
        d[0][j] = j;
    for (size_t i = 1; i <= la; i++)
        for (size_t j = 1; j <= lb; j++) {
            size_t c = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
            if (d[i - 1][j] + 1 < c)
                c = d[i - 1][j] + 1;
            if (d[i][j - 1] + 1 < c)
                c = d[i][j - 1] + 1;
            d[i][j] = c;
        }
    return d[la][lb];
}

/* Reject keys of @map not in @allowed (NULL-terminated). */
static tr_status check_keys(const tri_node *map, const char *path, const char *const *allowed)
{
    for (size_t i = 0; i < map->n; i++) {
        const char *k = map->keys[i]->str;
        int ok = 0;
        for (const char *const *a = allowed; *a && !ok; a++)   /* sources, illustrative: wherever source is (provenance.c) */
            ok = strcmp(*a, k) == 0 || (!strcmp(*a, "source") && (!strcmp(k, "sources") || !strcmp(k, "illustrative")));
        if (ok)
            continue;
        const char *best = NULL;
        size_t bd = strlen(k) > 8 ? 4 : 3;   /* "technology" -> "technologies" is 3 edits */
        for (const char *const *a = allowed; *a; a++) {
            size_t d = lev(k, *a);
            if (d < bd) {
                bd = d;
                best = *a;
            }
        }
        char list[512] = "";
        for (const char *const *a = allowed; *a; a++) {
            if (strlen(list) + strlen(*a) + 3 >= sizeof list)
                break;
            if (list[0])
                strcat(list, ", ");
            strcat(list, *a);
        }
        char full[P_MAX];
        char *kr = tri_scalar_repr(map->keys[i]);
        snprintf(full, sizeof full, "%s%s%.100s", path, path[0] ? "." : "", k);
        tr_status st;
        if (best)
            st = tri_node_fail(TR_E_INVAL, map->keys[i], full, "unknown key %s; did you mean \"%s\"?",
                               kr ? kr : "?", best);
        else
            st = tri_node_fail(TR_E_INVAL, map->keys[i], full, "unknown key %s; expected one of: %s",
                               kr ? kr : "?", list);
        tri_free(kr);
        return st;
    }
    return TR_OK;
}

static const tri_node *get(const tri_node *map, const char *key)
{
    const tri_node *n = tri_map_get(map, key);
    return tri_is_null(n) ? NULL : n;
}

static tr_status need_map(const tri_node *n, const char *path, const char *what)
{
    if (n && n->kind == TRI_MAP)
        return TR_OK;
    return tri_node_fail_got(TR_E_INVAL, n, path, "expected %s", what);
}

static tr_status missing(const tri_node *where, const char *path, const char *key, const char *what)
{
    char full[P_MAX];
    snprintf(full, sizeof full, "%s%s%s", path, path[0] ? "." : "", key);
    return tri_node_fail(TR_E_INVAL, where, full, "required field is missing; expected %s", what);
}

static tr_status str_field(const tri_node *map, const char *key, const char *path, char **out, int required)
{
    const tri_node *n = get(map, key);
    char full[P_MAX];
    snprintf(full, sizeof full, "%s%s%s", path, path[0] ? "." : "", key);
    if (!n)
        return required ? missing(map, path, key, "a text") : TR_OK;
    if (n->kind != TRI_SCALAR)
        return tri_node_fail(TR_E_INVAL, n, full, "expected a text, got %s", tri_kind_name(n));
    *out = tri_strdup(n->str);
    return *out ? TR_OK : TR_FAIL(TR_E_NOMEM, "out of memory");
}

/* Keys any item may carry besides its own: kept in the document, never
 * compiled. Item key lists name them last. */
static const char *const meta_keys[] = {"source", "notes", NULL};

/* `notes:` must be a text or a list of texts; `source:` (with `sources:`
 * and `illustrative:`) is checked by provenance.c. */
static tr_status check_meta(const tri_node *map, const char *path)
{
    for (const char *const *key = meta_keys; *key; key++) {
        const tri_node *n = strcmp(*key, "source") ? get(map, *key) : NULL;
        if (!n || n->kind == TRI_SCALAR)
            continue;
        char full[P_MAX];
        snprintf(full, sizeof full, "%s.%s", path, *key);
        if (n->kind == TRI_MAP)
            return tri_node_fail(TR_E_INVAL, n, full, "expected a text or a list of texts, got a map");
        for (size_t j = 0; j < n->n; j++)
            if (n->vals[j]->kind != TRI_SCALAR)
                return tri_node_fail(TR_E_INVAL, n->vals[j], full, "expected a text, got %s",
                                     tri_kind_name(n->vals[j]));
    }
    return TR_OK;
}

/* The keys of an item (a species, plant, technology, policy ...): its own
 * @keys (NULL-terminated) or meta_keys, the meta keys well formed. */
static tr_status check_item(const tri_node *map, const char *path, const char *const *keys)
{
    const char *all[48];
    size_t n = 0;
    for (const char *const *k = keys; *k && n < 40; k++)
        all[n++] = *k;
    for (const char *const *k = meta_keys; *k; k++)
        all[n++] = *k;
    all[n] = NULL;
    tr_status st = check_keys(map, path, all);
    return st != TR_OK ? st : check_meta(map, path);
}

static tr_status num_in(const tri_node *n, const char *path, double lo, double hi, const char *what, double *out)
{
    tr_status st = tri_num(n, path, out);
    if (st != TR_OK)
        return st;
    if (*out < lo || *out > hi)
        return tri_node_fail(TR_E_INVAL, n, path, "expected %s, got %s", what, n->str);
    return TR_OK;
}

/* A series field: evaluated into @out[Y]; each value checked in [lo, hi]. */
static tr_status series_field(cx *c, const tri_node *map, const char *key, const char *path, double dflt,
                              int required, double lo, double hi, const char *what, double **out, int *first)
{
    tri_scen *s = c->s;
    char full[P_MAX];
    snprintf(full, sizeof full, "%s%s%s", path, path[0] ? "." : "", key);
    *out = tri_calloc(s->Y, sizeof **out);
    if (!*out)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    const tri_node *n = get(map, key);
    if (first)
        *first = INT_MIN;
    if (!n) {
        if (required)
            return missing(map, path, key, what);
        for (size_t t = 0; t < s->Y; t++)
            (*out)[t] = dflt;
        return TR_OK;
    }
    tr_status st = tri_series_eval(n, full, s->start, s->end, *out, first);
    if (st != TR_OK)
        return st;
    /* check the given points (not only the interpolated years) */
    if (n->kind == TRI_SCALAR) {
        if ((*out)[0] < lo || (*out)[0] > hi)
            return tri_node_fail(TR_E_INVAL, n, full, "expected %s, got %s", what, n->str);
    } else {
        for (size_t i = 0; i < n->n; i++) {
            if (strcmp(n->keys[i]->str, "interp") == 0)
                continue;
            double v;
            char sub[P_MAX + 16];
            snprintf(sub, sizeof sub, "%s.%s", full, n->keys[i]->str);
            tri_num(n->vals[i], sub, &v);
            if (v < lo || v > hi)
                return tri_node_fail(TR_E_INVAL, n->vals[i], sub, "expected %s, got %s", what, n->vals[i]->str);
        }
        for (size_t t = 0; t < s->Y; t++)   /* a spline may overshoot */
            if ((*out)[t] < lo || (*out)[t] > hi)
                return tri_node_fail(TR_E_INVAL, n, full, "expected %s in every year, but the interpolated "
                                     "value in %d is %g", what, s->start + (int)t, (*out)[t]);
    }
    return TR_OK;
}

static tr_status check_id(const tri_node *key, const char *path)
{
    if (!key || key->kind != TRI_SCALAR)
        return tri_node_fail(TR_E_INVAL, key, path, "expected an identifier, got %s",
                             key ? tri_kind_name(key) : "nothing");
    const char *s = key->str;
    size_t n = strlen(s);
    int ok = n >= 1 && n <= 64;
    for (size_t i = 0; ok && i < n; i++)
        ok = isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == '-';
    if (ok)
        return TR_OK;
    return tri_node_fail_got(TR_E_INVAL, key, path,
                             "expected an identifier of 1 to 64 letters, digits, '_' or '-'");
}

static long find_id(char *const *ids, size_t stride, const void *base, size_t n, const char *id)
{
    (void)ids;
    for (size_t i = 0; i < n; i++) {
        char *const *p = (char *const *)((const char *)base + i * stride);
        if (strcmp(*p, id) == 0)
            return (long)i;
    }
    return -1;
}
#define FIND(arr, n, id) find_id(NULL, sizeof *(arr), (arr), (n), (id))

static tr_status unknown_ref(const tri_node *n, const char *path, const char *what, const char *id)
{
    return tri_node_fail(TR_E_NOTFOUND, n, path, "unknown %s \"%.64s\"", what, id);
}

/* An item referred to by id (a species, product, plant, technology or
 * group) that is not there: unknown when @n is a text, else not an id. */
static tr_status bad_ref(const tri_node *n, const char *path, const char *what)
{
    if (n->kind == TRI_SCALAR)
        return unknown_ref(n, path, what, n->str);
    return tri_node_fail(TR_E_INVAL, n, path, "expected a %s id, got %s", what, tri_kind_name(n));
}

/* A list of plant ids -> @mask[P] */
static tr_status plant_ids(cx *c, const tri_node *seq, const char *path, unsigned char *mask)
{
    tri_scen *s = c->s;
    for (size_t j = 0; j < seq->n; j++) {
        const tri_node *e = seq->vals[j];
        long pi = e->kind == TRI_SCALAR ? FIND(s->pl, s->P, e->str) : -1;
        if (pi < 0)
            return bad_ref(e, path, "plant");
        mask[pi] = 1;
    }
    return TR_OK;
}

static int bool_val(const tri_node *n, int *out)
{
    if (!n || n->kind != TRI_SCALAR || !n->plain)
        return 0;
    if (!strcmp(n->str, "true") || !strcmp(n->str, "True") || !strcmp(n->str, "yes")) {
        *out = 1;
        return 1;
    }
    if (!strcmp(n->str, "false") || !strcmp(n->str, "False") || !strcmp(n->str, "no")) {
        *out = 0;
        return 1;
    }
    return 0;
}

/* ------------------------------------------------------------ sections */

static tr_status do_horizon(cx *c)
{
    tri_scen *s = c->s;
    s->start = 2020;
    s->end = 2030;
    const tri_node *h = get(c->doc, "horizon");
    if (h) {
        tr_status st = need_map(h, "horizon", "a map {start: year, end: year}");
        if (st != TR_OK)
            return st;
        static const char *const keys[] = {"start", "end", NULL};
        if ((st = check_keys(h, "horizon", keys)) != TR_OK)
            return st;
        long v;
        const tri_node *n;
        if ((n = get(h, "start"))) {
            if ((st = tri_int(n, "horizon.start", 1000, 9999, "a year", &v)) != TR_OK)
                return st;
            s->start = (int)v;
        }
        if ((n = get(h, "end"))) {
            if ((st = tri_int(n, "horizon.end", 1000, 9999, "a year", &v)) != TR_OK)
                return st;
            s->end = (int)v;
        }
        if (s->end < s->start)
            return tri_node_fail(TR_E_INVAL, h, "horizon", "expected end >= start, got %d..%d", s->start, s->end);
        if (s->end - s->start + 1 > TRI_MAX_YEARS)
            return tri_node_fail(TR_E_INVAL, h, "horizon", "expected at most %d years, got %d", TRI_MAX_YEARS,
                                 s->end - s->start + 1);
    }
    s->Y = (size_t)(s->end - s->start + 1);
    return TR_OK;
}

static tr_status do_top(cx *c)
{
    tri_scen *s = c->s;
    const tri_node *d = c->doc;
    static const char *const keys[] = {"format", "name", "description", "extends", "horizon", "currency",
                                       "region", "discount_rate", "objective", "product", "species",
                                       "carriers", "plants", "technologies", "policies", "source", "notes",
                                       "products", "demand", "imports", "indicators", "benchmark", "uncertainty",
                                       "references", "floors", NULL};
    tr_status st = check_keys(d, "", keys);
    if (st != TR_OK)
        return st;
    const tri_node *f = tri_map_get(d, "format");
    if (!f)
        return missing(d, "", "format", "\"techroad/1\"");
    if (f->kind != TRI_SCALAR || strcmp(f->str, "techroad/1") != 0) {
        char *r = tri_scalar_repr(f);
        st = tri_node_fail(TR_E_INVAL, f, "format", "unknown format version %s; expected \"techroad/1\"",
                           r ? r : "?");
        tri_free(r);
        return st;
    }
    if ((st = str_field(d, "name", "", &s->name, 1)) != TR_OK ||
        (st = str_field(d, "description", "", &s->description, 0)) != TR_OK ||
        (st = str_field(d, "currency", "", &s->currency, 0)) != TR_OK ||
        (st = str_field(d, "region", "", &s->region, 0)) != TR_OK)
        return st;
    if (!s->currency && !(s->currency = tri_strdup("USD")))
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    if (!s->region && !(s->region = tri_strdup("World")))
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    if ((st = check_meta(d, "")) != TR_OK)
        return st;
    const tri_node *r = get(d, "discount_rate");
    if (!r)
        return missing(d, "", "discount_rate", "a number in [0, 1]");
    if ((st = num_in(r, "discount_rate", 0, 1, "a number in [0, 1]", &s->r)) != TR_OK)
        return st;
    const tri_node *o = get(d, "objective");
    if (o) {
        if (o->kind == TRI_SCALAR && strcmp(o->str, "social") == 0)
            s->social = 1;
        else if (!(o->kind == TRI_SCALAR && strcmp(o->str, "private") == 0)) {
            char *rr = tri_scalar_repr(o);
            st = tri_node_fail(TR_E_INVAL, o, "objective", "expected private or social, got %s", rr ? rr : "?");
            tri_free(rr);
            return st;
        }
    }
    const tri_node *p = get(d, "product");
    if (p) {
        if ((st = need_map(p, "product", "a map {name, unit}")) != TR_OK)
            return st;
        static const char *const pk[] = {"name", "unit", "iamc", NULL};
        if ((st = check_item(p, "product", pk)) != TR_OK ||
            (st = str_field(p, "name", "product", &s->product_name, 0)) != TR_OK ||
            (st = str_field(p, "unit", "product", &s->product_unit, 0)) != TR_OK)
            return st;
    }
    if (!s->product_name && !(s->product_name = tri_strdup("product")))
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    if (!s->product_unit && !(s->product_unit = tri_strdup("t")))
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    s->df = tri_calloc(s->Y, sizeof *s->df);
    if (!s->df)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    for (size_t t = 0; t < s->Y; t++)
        s->df[t] = pow(1.0 + s->r, -(double)t);
    return TR_OK;
}

/* ------------------------------------------------------------ result names
 * Every name the library gives a result series or total (extract.c), in one
 * table: a fixed name, or a family of names "<prefix><id>", one for each id
 * of a section. An id must not make a name that is also a built-in one: a
 * carrier `total` made a second `energy.total` (the table printed two rows,
 * JSON and Python kept one, a policy on energy.total took the built-in
 * one). Nor may it make the first part of a longer name (a declared
 * indicator `cost` would read as the cost.* family). Ids have no dots, so
 * two families cannot make the same name otherwise. A new result name goes
 * here too. */
static const struct {
    const char *name;      /* a fixed name, or a family's prefix */
    const char *section;   /* the family's ids; NULL for a fixed name */
} result_names[] = {
    {"production", NULL},
    {"capacity", NULL},
    {"energy.", "carriers"},
    {"energy.total", NULL},
    {"emissions.", "species"},
    {"intensity.energy.", "carriers"},
    {"intensity.energy.total", NULL},
    {"intensity.emissions.", "species"},
    {"material.", "carriers"},            /* carriers of kind: material */
    {"intensity.material.", "carriers"},
    {"investment", NULL},
    {"cost.energy", NULL},
    {"cost.capital", NULL},
    {"cost.om", NULL},
    {"cost.emission_tax", NULL},
    {"cost.damage", NULL},
    {"cost.total", NULL},
    {"subsidy", NULL},
    {"cost.other", NULL},
    {"cost.closure", NULL},
    {"cost.imports", NULL},
    {"production.", "products"},
    {"imports.", "products"},
    {"prices.", "products"},
    {"", "indicators"},   /* declared indicators (§12) */
    {"operating.", "plants"},
    {"built.", "plants"},
    {"equipped.", "technologies"},
    {"adoption.", "technologies"},
    {"policy.", "policies"},   /* policy.<id>.<field> */
    /* totals */
    {"npv", NULL},
    {"pv.subsidy", NULL},
    {"pv.damage", NULL},
    {"pv.emission_tax", NULL},
    {"cumulative.investment", NULL},
    {"cumulative.subsidy", NULL},
    {"cumulative.energy.total", NULL},
    {"cumulative.energy.", "carriers"},
    {"cumulative.material.", "carriers"},
    {"cumulative.emissions.", "species"},
    {"cumulative.", "indicators"},
};

/* The result names made from id @key of section @sec must not be built-in
 * ones (result_names). */
static tr_status check_result_names(const tri_node *key, const char *sec, const char *path)
{
    size_t N = sizeof result_names / sizeof *result_names;
    for (size_t f = 0; f < N; f++) {
        if (!result_names[f].section || strcmp(result_names[f].section, sec) != 0)
            continue;
        char made[P_MAX];
        int len = snprintf(made, sizeof made, "%s%s", result_names[f].name, key->str);
        for (size_t e = 0; e < N; e++) {
            const char *b = result_names[e].name;
            /* the same name, or the first part of a longer one */
            int hit = (!result_names[e].section && strcmp(b, made) == 0) ||
                      (strncmp(b, made, (size_t)len) == 0 && b[len] == '.');
            if (hit && e != f)
                return tri_node_fail(TR_E_INVAL, key, path,
                                     "\"%s\" would make the result name %s, %s%s; expected another id",
                                     key->str, made, b[len] ? "the first part of the built-in " : "which is built in",
                                     b[len] ? b : "");
        }
    }
    return TR_OK;
}

/* Fetch an optional map section; @n receives its item count. */
static tr_status section(cx *c, const char *key, int required, const tri_node **out)
{
    const tri_node *n = get(c->doc, key);
    *out = NULL;
    if (!n) {
        if (required)
            return missing(c->doc, "", key, "a map of items");
        return TR_OK;
    }
    tr_status st = need_map(n, key, "a map of items by id");
    if (st != TR_OK)
        return st;
    for (size_t i = 0; i < n->n; i++) {
        char full[P_MAX];
        snprintf(full, sizeof full, "%s.%.64s", key, n->keys[i]->str);
        if ((st = check_id(n->keys[i], full)) != TR_OK || (st = check_result_names(n->keys[i], key, full)) != TR_OK)
            return st;
        if ((st = need_map(n->vals[i], full, "a map of fields")) != TR_OK)
            return st;
    }
    *out = n;
    return TR_OK;
}

static tr_status do_species(cx *c)
{
    tri_scen *s = c->s;
    const tri_node *sec;
    tr_status st = section(c, "species", 0, &sec);
    if (st != TR_OK || !sec)
        return st;
    s->S = sec->n;
    s->spe = tri_calloc(s->S, sizeof *s->spe);
    if (!s->spe)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    static const char *const keys[] = {"unit", "name", "damage_cost", "iamc", NULL};
    for (size_t i = 0; i < s->S; i++) {
        const tri_node *m = sec->vals[i];
        tri_species *sp = &s->spe[i];
        char path[P_MAX];
        snprintf(path, sizeof path, "species.%s", sec->keys[i]->str);
        if (!(sp->id = tri_strdup(sec->keys[i]->str)))
            return TR_FAIL(TR_E_NOMEM, "out of memory");
        if ((st = check_item(m, path, keys)) != TR_OK ||
            (st = str_field(m, "unit", path, &sp->unit, 1)) != TR_OK ||
            (st = str_field(m, "name", path, &sp->name, 0)) != TR_OK ||
            (st = str_field(m, "iamc", path, &sp->iamc, 0)) != TR_OK ||
            (st = series_field(c, m, "damage_cost", path, 0, 0, 0, HUGE_VAL, "a number >= 0", &sp->dmg, NULL)) !=
                TR_OK)
            return st;
    }
    return TR_OK;
}

/* `kind: energy` (the default: existing files mean what they meant) or
 * `kind: material` (scrap, electrodes, oxygen, lime, clinker: reported as
 * material.<id>, never under energy) */
static tr_status carrier_kind(const tri_node *m, const char *path, tri_carrier *ca)
{
    const tri_node *k = get(m, "kind");
    if (!k || (k->kind == TRI_SCALAR && !strcmp(k->str, "energy")))
        return TR_OK;
    if (k->kind == TRI_SCALAR && !strcmp(k->str, "material")) {
        ca->material = 1;
        return TR_OK;
    }
    char sub[P_MAX + 20], *r = tri_scalar_repr(k);
    snprintf(sub, sizeof sub, "%s.kind", path);
    tr_status st = tri_node_fail(TR_E_INVAL, k, sub, "expected energy or material, got %s", r ? r : "?");
    tri_free(r);
    return st;
}

static tr_status do_carriers(cx *c)
{
    tri_scen *s = c->s;
    const tri_node *sec;
    tr_status st = section(c, "carriers", 1, &sec);
    if (st != TR_OK)
        return st;
    s->C = sec->n;
    s->car = tri_calloc(s->C, sizeof *s->car);
    if (!s->car)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    static const char *const keys[] = {"unit", "name", "energy_content", "price", "emission_factors",
                                       "kind", "iamc", NULL};
    for (size_t i = 0; i < s->C; i++) {
        const tri_node *m = sec->vals[i];
        tri_carrier *ca = &s->car[i];
        char path[P_MAX];
        snprintf(path, sizeof path, "carriers.%s", sec->keys[i]->str);
        if (!(ca->id = tri_strdup(sec->keys[i]->str)))
            return TR_FAIL(TR_E_NOMEM, "out of memory");
        if ((st = check_item(m, path, keys)) != TR_OK ||
            (st = str_field(m, "unit", path, &ca->unit, 1)) != TR_OK ||
            (st = str_field(m, "name", path, &ca->name, 0)) != TR_OK ||
            (st = str_field(m, "iamc", path, &ca->iamc, 0)) != TR_OK ||
            (st = carrier_kind(m, path, ca)) != TR_OK ||
            (st = series_field(c, m, "price", path, 0, 1, 0, HUGE_VAL, "a price >= 0", &ca->price, NULL)) != TR_OK)
            return st;
        const tri_node *ec = get(m, "energy_content");
        if (ec && ca->material) {
            char sub[P_MAX + 20];
            snprintf(sub, sizeof sub, "%s.energy_content", path);
            return tri_node_fail(TR_E_INVAL, ec, sub, "a material (kind: material) does not count in energy.total; "
                                 "expected no energy_content, or kind: energy");
        }
        if (ec) {
            char sub[P_MAX + 20];
            snprintf(sub, sizeof sub, "%s.energy_content", path);
            if ((st = num_in(ec, sub, 0, HUGE_VAL, "a number >= 0 (GJ per unit)", &ca->ec)) != TR_OK)
                return st;
            ca->has_ec = 1;
        }
        ca->ef = tri_calloc(s->S * s->Y, sizeof *ca->ef);
        if (!ca->ef)
            return TR_FAIL(TR_E_NOMEM, "out of memory");
        const tri_node *efs = get(m, "emission_factors");
        if (efs) {
            char sub[P_MAX + 20];
            snprintf(sub, sizeof sub, "%s.emission_factors", path);
            if ((st = need_map(efs, sub, "a map {species: series}")) != TR_OK)
                return st;
            for (size_t j = 0; j < efs->n; j++) {
                long si = FIND(s->spe, s->S, efs->keys[j]->str);
                char sp[P_MAX + 100];
                snprintf(sp, sizeof sp, "%s.%.64s", sub, efs->keys[j]->str);
                if (si < 0)
                    return unknown_ref(efs->keys[j], sp, "species", efs->keys[j]->str);
                double *tmp = NULL;
                st = series_field(c, efs, efs->keys[j]->str, sub, 0, 1, 0, HUGE_VAL, "an emission factor >= 0",
                                  &tmp, NULL);
                if (st == TR_OK)
                    memcpy(ca->ef + (size_t)si * s->Y, tmp, s->Y * sizeof *tmp);
                tri_free(tmp);
                if (st != TR_OK)
                    return st;
            }
        }
    }
    return TR_OK;
}

/* {id: number} map into @out[n] by id lookup in @ids. */
static tr_status id_numbers(const tri_node *m, const char *path, const char *what, char *const *ids, size_t stride,
                            const void *base, size_t n, double lo, const char *expect, double *out)
{
    tr_status st = need_map(m, path, "a map {id: number}");
    if (st != TR_OK)
        return st;
    for (size_t j = 0; j < m->n; j++) {
        char sub[P_MAX + 100];
        snprintf(sub, sizeof sub, "%s.%.64s", path, m->keys[j]->str);
        long k = find_id(ids, stride, base, n, m->keys[j]->str);
        if (k < 0)
            return unknown_ref(m->keys[j], sub, what, m->keys[j]->str);
        if ((st = num_in(m->vals[j], sub, lo, HUGE_VAL, expect, &out[k])) != TR_OK)
            return st;
    }
    return TR_OK;
}

static tr_status bool_field(const tri_node *m, const char *key, const char *path, int *out)
{
    const tri_node *n = get(m, key);
    if (!n)
        return TR_OK;
    if (bool_val(n, out))
        return TR_OK;
    char sub[P_MAX + 40];
    snprintf(sub, sizeof sub, "%s.%s", path, key);
    return tri_node_fail_got(TR_E_INVAL, n, sub, "expected true or false");
}

/* An optional number field @key in [lo, hi] (unchanged *out when absent) */
static tr_status opt_num(const tri_node *m, const char *path, const char *key, double lo, double hi,
                         const char *what, double *out)
{
    const tri_node *n = get(m, key);
    if (!n)
        return TR_OK;
    char sub[P_MAX + 80];
    snprintf(sub, sizeof sub, "%s.%s", path, key);
    return num_in(n, sub, lo, hi, what, out);
}

/* `lifetime` (required), `hurdle_rate` (default: the discount rate) and
 * `available_from` (default: the horizon's start) of an investment: a
 * technology or a candidate plant's `build` */
static tr_status investment_terms(cx *c, const tri_node *m, const char *path, int *life, double *hurdle, int *from)
{
    tri_scen *s = c->s;
    const tri_node *n;
    char f[P_MAX + 80];
    long v;
    tr_status st;
    if (!(n = get(m, "lifetime")))
        return missing(m, path, "lifetime", "an integer >= 1 (years)");
    snprintf(f, sizeof f, "%s.lifetime", path);
    if ((st = tri_int(n, f, 1, 1000, "an integer", &v)) != TR_OK)
        return st;
    *life = (int)v;
    *hurdle = s->r;
    if ((st = opt_num(m, path, "hurdle_rate", 0, 1, "a rate in [0, 1]", hurdle)) != TR_OK)
        return st;
    *from = s->start;
    if ((n = get(m, "available_from"))) {
        snprintf(f, sizeof f, "%s.available_from", path);
        if ((st = tri_int(n, f, 1, 9999, "a year", &v)) != TR_OK)
            return st;
        if (v > s->end)
            return tri_node_fail(TR_E_INVAL, n, f, "expected a year within the horizon %d..%d, got %ld", s->start,
                                 s->end, v);
        *from = v < s->start ? s->start : (int)v;
    }
    return TR_OK;
}

/* §12 candidate plant: `build: {capex, fixed_om, lifetime, hurdle_rate,
 * available_from, max_capacity, max_build, utilisation}` */
static tr_status do_build(cx *c, const tri_node *b, const char *path, tri_plant *p)
{
    char sub[P_MAX + 40];
    snprintf(sub, sizeof sub, "%s.build", path);
    tr_status st = need_map(b, sub, "a map {capex, lifetime, ...}");
    if (st != TR_OK)
        return st;
    static const char *const keys[] = {"capex", "fixed_om", "lifetime", "hurdle_rate", "available_from",
                                       "max_capacity", "max_build", "utilisation", NULL};
    p->bmaxcap = p->bmaxbuild = HUGE_VAL;
    p->butil = 0.85;
    if ((st = check_item(b, sub, keys)) != TR_OK ||
        (st = series_field(c, b, "capex", sub, 0, 1, 0, HUGE_VAL, "a capex >= 0 (money per t/yr)", &p->bcapex,
                           NULL)) != TR_OK ||
        (st = series_field(c, b, "fixed_om", sub, 0, 0, -HUGE_VAL, HUGE_VAL, "a number", &p->bfom, NULL)) != TR_OK ||
        (st = investment_terms(c, b, sub, &p->blife, &p->bh, &p->bfrom)) != TR_OK ||
        (st = opt_num(b, sub, "max_capacity", 0, HUGE_VAL, "a capacity >= 0", &p->bmaxcap)) != TR_OK ||
        (st = opt_num(b, sub, "max_build", 0, HUGE_VAL, "a capacity >= 0 per year", &p->bmaxbuild)) != TR_OK ||
        (st = opt_num(b, sub, "utilisation", 0, 1, "a share in [0, 1]", &p->butil)) != TR_OK)
        return st;
    return TR_OK;
}

/* Capacity and production of an existing plant, or the `build` terms of a
 * candidate (§12); then the utilisation production/capacity per year. */
static tr_status plant_capacity(cx *c, const tri_node *m, const char *path, tri_plant *p)
{
    tri_scen *s = c->s;
    char sub[P_MAX + 40];
    tr_status st;
    const tri_node *bn = get(m, "build");
    p->candidate = bn != NULL;
    if (p->candidate) {
        s->ext = 1;
        static const char *const no[] = {"capacity", "production", "closable", "reopenable", "min_operating",
                                         "closure_cost"};
        for (size_t j = 0; j < sizeof no / sizeof *no; j++)
            if (get(m, no[j])) {
                snprintf(sub, sizeof sub, "%s.%s", path, no[j]);
                return tri_node_fail(TR_E_INVAL, get(m, no[j]), sub,
                                     "a candidate plant (with `build`) has no %s; expected it to be absent", no[j]);
            }
        if ((st = do_build(c, bn, path, p)) != TR_OK)
            return st;
        p->cap = tri_calloc(s->Y, sizeof *p->cap);
        p->prod = tri_calloc(s->Y, sizeof *p->prod);
        if (!p->cap || !p->prod)
            return TR_FAIL(TR_E_NOMEM, "out of memory");
    } else if ((st = series_field(c, m, "capacity", path, 0, 1, 0, HUGE_VAL, "a capacity >= 0", &p->cap, NULL)) !=
                   TR_OK ||
               (st = series_field(c, m, "production", path, 0, 1, 0, HUGE_VAL, "a production >= 0", &p->prod,
                                  NULL)) != TR_OK) {
        return st;
    }
    p->u = tri_calloc(s->Y, sizeof *p->u);
    p->int0 = tri_calloc(s->C, sizeof *p->int0);
    p->pe0 = tri_calloc(s->S, sizeof *p->pe0);
    p->ind = tri_calloc(s->I, sizeof *p->ind);
    if (!p->u || !p->int0 || !p->pe0 || !p->ind)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    for (size_t t = 0; t < s->Y; t++) {
        if (p->candidate) {
            p->u[t] = p->butil;
            continue;
        }
        double cap = p->cap[t], x = p->prod[t];
        if (x > cap * (1 + 1e-9) + 1e-9) {
            snprintf(sub, sizeof sub, "%s.production", path);
            return tri_node_fail(TR_E_INVAL, get(m, "production"), sub,
                                 "expected utilisation production/capacity in [0, 1], got %g/%g in %d", x, cap,
                                 s->start + (int)t);
        }
        p->u[t] = cap > 0 ? fmin(x / cap, 1.0) : 0.0;
    }
    return TR_OK;
}

/* The baseline per unit produced: `intensity` per carrier and
 * `process_emissions` per species */
static tr_status plant_baseline(cx *c, const tri_node *m, const char *path, tri_plant *p)
{
    tri_scen *s = c->s;
    char sub[P_MAX + 40];
    tr_status st;
    const tri_node *in = get(m, "intensity");
    if (in) {
        snprintf(sub, sizeof sub, "%s.intensity", path);
        if ((st = id_numbers(in, sub, "carrier", NULL, sizeof *s->car, s->car, s->C, 0, "an intensity >= 0",
                             p->int0)) != TR_OK)
            return st;
    }
    const tri_node *pe = get(m, "process_emissions");
    if (pe) {
        snprintf(sub, sizeof sub, "%s.process_emissions", path);
        if ((st = id_numbers(pe, sub, "species", NULL, sizeof *s->spe, s->spe, s->S, 0, "emissions per unit >= 0",
                             p->pe0)) != TR_OK)
            return st;
    }
    return TR_OK;
}

/* §12: the product it makes, other production cost, custom indicators */
static tr_status plant_product(cx *c, const tri_node *m, const char *path, tri_plant *p)
{
    tri_scen *s = c->s;
    char sub[P_MAX + 40];
    tr_status st;
    const tri_node *pr = get(m, "product");
    snprintf(sub, sizeof sub, "%s.product", path);
    if (pr) {
        long k = pr->kind == TRI_SCALAR ? FIND(s->prod, s->R, pr->str) : -1;
        if (k < 0)
            return bad_ref(pr, sub, "product");
        p->product = (size_t)k;
    } else if (s->R > 1) {
        return missing(m, path, "product", "the id of the product this plant makes (several products declared)");
    }
    if (get(m, "other_cost"))
        s->ext = 1;
    if ((st = series_field(c, m, "other_cost", path, 0, 0, -HUGE_VAL, HUGE_VAL, "a number (money per unit)",
                           &p->other, NULL)) != TR_OK)
        return st;
    const tri_node *ci = get(m, "indicators");
    if (ci) {
        snprintf(sub, sizeof sub, "%s.indicators", path);
        if ((st = id_numbers(ci, sub, "indicator", NULL, sizeof *s->cind, s->cind, s->I, -HUGE_VAL,
                             "a number per unit produced", p->ind)) != TR_OK)
            return st;
    }
    return TR_OK;
}

/* §12 closure: `closable`, `reopenable`, `min_operating`, `closure_cost` */
static tr_status plant_closure(cx *c, const tri_node *m, const char *path, tri_plant *p)
{
    tri_scen *s = c->s;
    tr_status st;
    if ((st = bool_field(m, "closable", path, &p->closable)) != TR_OK ||
        (st = bool_field(m, "reopenable", path, &p->reopenable)) != TR_OK)
        return st;
    if (!p->closable) {
        static const char *const only[] = {"reopenable", "min_operating", "closure_cost"};
        for (size_t j = 0; j < sizeof only / sizeof *only; j++)
            if (get(m, only[j])) {
                char sub[P_MAX + 40];
                snprintf(sub, sizeof sub, "%s.%s", path, only[j]);
                return tri_node_fail(TR_E_INVAL, get(m, only[j]), sub,
                                     "applies to closable plants only; expected `closable: true` on the plant");
            }
    } else {
        s->ext = 1;
    }
    if ((st = series_field(c, m, "min_operating", path, 0, 0, 0, 1, "a share in [0, 1]", &p->min_op, NULL)) !=
            TR_OK ||
        (st = series_field(c, m, "closure_cost", path, 0, 0, 0, HUGE_VAL, "a cost >= 0 (money per t/yr)", &p->cc,
                           NULL)) != TR_OK)
        return st;
    return TR_OK;
}

/* One plant (MODEL.md §4, §12) */
static tr_status do_plant(cx *c, const tri_node *key, const tri_node *m, tri_plant *p)
{
    static const char *const keys[] = {"name", "capacity", "production", "intensity", "process_emissions",
                                       "product", "other_cost", "indicators", "closable", "reopenable",
                                       "min_operating", "closure_cost", "build", "floors", "reline_every", "last_reline",
                                       "windows", NULL};
    char path[P_MAX];
    snprintf(path, sizeof path, "plants.%s", key->str);
    if (!(p->id = tri_strdup(key->str)))
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    tr_status st;
    if ((st = check_item(m, path, keys)) != TR_OK || (st = str_field(m, "name", path, &p->name, 0)) != TR_OK ||
        (st = plant_capacity(c, m, path, p)) != TR_OK || (st = plant_baseline(c, m, path, p)) != TR_OK ||
        (st = plant_product(c, m, path, p)) != TR_OK || (st = plant_closure(c, m, path, p)) != TR_OK)
        return st;
    return TR_OK;
}

static tr_status do_plants(cx *c)
{
    tri_scen *s = c->s;
    const tri_node *sec;
    tr_status st = section(c, "plants", 1, &sec);
    if (st != TR_OK)
        return st;
    s->P = sec->n;
    if (s->P == 0)
        return tri_node_fail(TR_E_INVAL, sec, "plants", "expected at least one plant, got none");
    s->pl = tri_calloc(s->P, sizeof *s->pl);
    if (!s->pl)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    for (size_t i = 0; i < s->P; i++)
        if ((st = do_plant(c, sec->keys[i], sec->vals[i], &s->pl[i])) != TR_OK)
            return st;
    return TR_OK;
}

/* Extension `benchmark: {best_practice: {carrier: per unit of product},
 * primary_factors: {carrier: GJ primary per unit}}` (docs/DECISIONS.md). */
static tr_status do_benchmark(cx *c)
{
    tri_scen *s = c->s;
    s->bp = tri_calloc(s->C, sizeof *s->bp);
    s->pf = tri_calloc(s->C, sizeof *s->pf);
    if (!s->bp || !s->pf)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    for (size_t i = 0; i < s->C; i++)
        s->pf[i] = s->car[i].has_ec ? s->car[i].ec : 0;
    const tri_node *b = get(c->doc, "benchmark");
    if (!b)
        return TR_OK;
    tr_status st = need_map(b, "benchmark", "a map {best_practice, primary_factors}");
    static const char *const keys[] = {"best_practice", "primary_factors", NULL};
    if (st != TR_OK || (st = check_item(b, "benchmark", keys)) != TR_OK)
        return st;
    const tri_node *bp = get(b, "best_practice"), *pf = get(b, "primary_factors");
    if (!bp)
        return missing(b, "benchmark", "best_practice", "a map {carrier: best-practice intensity per unit of product}");
    if ((st = id_numbers(bp, "benchmark.best_practice", "carrier", NULL, sizeof *s->car, s->car, s->C, 0,
                         "an intensity >= 0", s->bp)) != TR_OK)
        return st;
    if (pf && (st = id_numbers(pf, "benchmark.primary_factors", "carrier", NULL, sizeof *s->car, s->car, s->C, 0,
                               "a factor >= 0 (GJ primary per unit)", s->pf)) != TR_OK)
        return st;
    double sec = 0;
    for (size_t i = 0; i < s->C; i++)
        sec += s->pf[i] * s->bp[i];
    if (sec <= 0)
        return tri_node_fail(TR_E_INVAL, bp, "benchmark.best_practice",
                             "expected a best practice with some energy (carriers with energy_content), got none");
    s->has_bench = 1;
    return TR_OK;
}

/* Extension `uncertainty:` (docs/ANALYSES.md): parameters at dotted paths
 * with a distribution, optional correlations, sample count, seed, method. */

/* `samples`, `seed` and `method` */
static tr_status uncertainty_options(tri_scen *s, const tri_node *u)
{
    const tri_node *n;
    long v;
    tr_status st;
    if ((n = get(u, "samples"))) {
        if ((st = tri_int(n, "uncertainty.samples", 1, TR_MAX_SAMPLES, "an integer", &v)) != TR_OK)
            return st;
        s->usamples = (size_t)v;
    }
    if ((n = get(u, "seed"))) {
        if ((st = tri_int(n, "uncertainty.seed", 0, 4294967295L, "an integer", &v)) != TR_OK)
            return st;
        s->useed = (unsigned long)v;
    }
    if ((n = get(u, "method"))) {
        if (n->kind == TRI_SCALAR && !strcmp(n->str, "random"))
            s->ulhs = 0;
        else if (!(n->kind == TRI_SCALAR && !strcmp(n->str, "lhs"))) {
            char *r = tri_scalar_repr(n);
            st = tri_node_fail(TR_E_INVAL, n, "uncertainty.method", "expected lhs or random, got %s", r ? r : "?");
            tri_free(r);
            return st;
        }
    }
    return TR_OK;
}

/* The parameter's `path:` must name a number or series of the scenario. */
static tr_status param_path(cx *c, const tri_node *m, const char *path, tri_param *pa, const tri_node **target)
{
    tr_status st = str_field(m, "path", path, &pa->path, 1);
    if (st != TR_OK)
        return st;
    char *dup = tri_strdup(pa->path);
    if (!dup)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    const tri_node *cur = c->doc;
    char *save = NULL;
    for (char *seg = strtok_r(dup, ".", &save); seg && cur; seg = strtok_r(NULL, ".", &save))
        cur = cur->kind == TRI_MAP ? tri_map_get(cur, seg) : NULL;
    tri_free(dup);
    char sub[P_MAX + 40];
    snprintf(sub, sizeof sub, "%s.path", path);
    if (!cur || (cur->kind != TRI_SCALAR && cur->kind != TRI_MAP))
        return tri_node_fail(TR_E_NOTFOUND, get(m, "path"), sub,
                             "expected the path of a number or series in the scenario, got \"%s\"", pa->path);
    *target = cur;
    return TR_OK;
}

/* A required number field @key of the parameter's map @m, at least @lo. */
static tr_status need_num(const tri_node *m, const char *path, const char *key, double lo, const char *what,
                          double *out)
{
    const tri_node *n = get(m, key);
    if (!n)
        return missing(m, path, key, what);
    char sub[P_MAX + 40];
    snprintf(sub, sizeof sub, "%s.%s", path, key);
    return num_in(n, sub, lo, HUGE_VAL, what, out);
}

/* `values:` of an empirical distribution, sorted */
static tr_status empirical_values(const tri_node *m, const char *path, tri_param *pa)
{
    char sub[P_MAX + 40];
    const tri_node *vs = get(m, "values");
    snprintf(sub, sizeof sub, "%s.values", path);
    if (!vs || vs->kind != TRI_SEQ || vs->n == 0)
        return tri_node_fail(TR_E_INVAL, vs ? vs : m, sub, "expected a non-empty list of numbers");
    pa->emp = tri_calloc(vs->n, sizeof *pa->emp);
    if (!pa->emp)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    pa->nemp = vs->n;
    tr_status st;
    for (size_t j = 0; j < vs->n; j++)
        if ((st = tri_num(vs->vals[j], sub, &pa->emp[j])) != TR_OK)
            return st;
    for (size_t a = 1; a < pa->nemp; a++)   /* insertion sort: small lists */
        for (size_t b = a; b > 0 && pa->emp[b - 1] > pa->emp[b]; b--) {
            double t = pa->emp[b];
            pa->emp[b] = pa->emp[b - 1];
            pa->emp[b - 1] = t;
        }
    return TR_OK;
}

/* The numbers of the parameter's distribution (tri_param's a, b, c, lo, hi) */
static tr_status dist_numbers(const tri_node *m, const char *path, tri_param *pa)
{
    tr_status st;
    switch (pa->dist) {
    case TRI_D_UNIFORM:
        if ((st = need_num(m, path, "low", -HUGE_VAL, "a number", &pa->a)) != TR_OK ||
            (st = need_num(m, path, "high", -HUGE_VAL, "a number", &pa->b)) != TR_OK)
            return st;
        if (!(pa->b > pa->a))
            return tri_node_fail(TR_E_INVAL, m, path, "expected low < high, got %g and %g", pa->a, pa->b);
        return TR_OK;
    case TRI_D_NORMAL:
        if ((st = need_num(m, path, "mean", -HUGE_VAL, "a number", &pa->a)) != TR_OK)
            return st;
        return need_num(m, path, "sd", 0, "a standard deviation >= 0", &pa->b);
    case TRI_D_LOGNORMAL:
        if (get(m, "median")) {
            double med;
            if ((st = need_num(m, path, "median", 1e-300, "a median > 0", &med)) != TR_OK)
                return st;
            pa->a = log(med);
        } else if ((st = need_num(m, path, "mu", -HUGE_VAL, "the mean of the logarithm (or give median)",
                                  &pa->a)) != TR_OK) {
            return st;
        }
        return need_num(m, path, "sigma", 0, "the standard deviation of the logarithm, >= 0", &pa->b);
    case TRI_D_TRIANGULAR:
        if ((st = need_num(m, path, "low", -HUGE_VAL, "a number", &pa->a)) != TR_OK ||
            (st = need_num(m, path, "mode_value", -HUGE_VAL, "the most likely value", &pa->b)) != TR_OK ||
            (st = need_num(m, path, "high", -HUGE_VAL, "a number", &pa->c)) != TR_OK)
            return st;
        if (!(pa->a <= pa->b && pa->b <= pa->c && pa->a < pa->c))
            return tri_node_fail(TR_E_INVAL, m, path, "expected low <= mode_value <= high and low < high");
        return TR_OK;
    case TRI_D_BETA:
        if ((st = need_num(m, path, "a", 1e-300, "a shape parameter > 0", &pa->a)) != TR_OK ||
            (st = need_num(m, path, "b", 1e-300, "a shape parameter > 0", &pa->b)) != TR_OK)
            return st;
        pa->lo = 0;
        pa->hi = 1;
        if ((get(m, "low") && (st = need_num(m, path, "low", -HUGE_VAL, "a number", &pa->lo)) != TR_OK) ||
            (get(m, "high") && (st = need_num(m, path, "high", -HUGE_VAL, "a number", &pa->hi)) != TR_OK))
            return st;
        if (!(pa->hi > pa->lo))
            return tri_node_fail(TR_E_INVAL, m, path, "expected low < high");
        return TR_OK;
    case TRI_D_EMPIRICAL:
        return empirical_values(m, path, pa);
    }
    return TR_OK;
}

/* One uncertain parameter: path, mode (value or scale), distribution. */
static tr_status uncertain_param(cx *c, const tri_node *key, const tri_node *m, tri_param *pa)
{
    static const char *const pk[] = {"path", "mode", "distribution", "low", "high", "mean", "sd", "mu", "sigma",
                                     "median", "mode_value", "a", "b", "values", NULL};
    static const char *const dn[] = {"uniform", "normal", "lognormal", "triangular", "beta", "empirical"};
    char path[P_MAX], sub[P_MAX + 40];
    snprintf(path, sizeof path, "uncertainty.parameters.%s", key->str);
    tr_status st;
    if ((st = check_id(key, path)) != TR_OK || (st = need_map(m, path, "a map {path, distribution, ...}")) != TR_OK ||
        (st = check_item(m, path, pk)) != TR_OK)
        return st;
    if (!(pa->id = tri_strdup(key->str)))
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    const tri_node *target = NULL;
    if ((st = param_path(c, m, path, pa, &target)) != TR_OK)
        return st;
    const tri_node *mo = get(m, "mode");
    if (mo) {
        snprintf(sub, sizeof sub, "%s.mode", path);
        if (mo->kind == TRI_SCALAR && !strcmp(mo->str, "scale"))
            pa->scale = 1;
        else if (!(mo->kind == TRI_SCALAR && !strcmp(mo->str, "value")))
            return tri_node_fail(TR_E_INVAL, mo, sub, "expected value or scale, got %s", tri_kind_name(mo));
    }
    /* a text field (name, currency) was drawn, listed and changed nothing:
     * a value replaces a number or series, a scale multiplies numbers */
    if (!(pa->scale ? tri_is_numbers(target) : tri_is_series(target))) {
        snprintf(sub, sizeof sub, "%s.path", path);
        char *why = tri_target_why(target);
        st = tri_node_fail(TR_E_INVAL, get(m, "path"), sub,
                           "\"%s\" holds %s, not a number or a series of numbers%s; expected the path of one",
                           pa->path, why ? why : "something else", pa->scale ? " (or a map of numbers)" : "");
        tri_free(why);
        return st;
    }
    const tri_node *d = get(m, "distribution");
    if (!d)
        return missing(m, path, "distribution", "uniform, normal, lognormal, triangular, beta or empirical");
    int di = -1;
    for (int j = 0; j < 6; j++)
        if (d->kind == TRI_SCALAR && !strcmp(d->str, dn[j]))
            di = j;
    snprintf(sub, sizeof sub, "%s.distribution", path);
    if (di < 0) {
        char *r = tri_scalar_repr(d);
        st = tri_node_fail(TR_E_INVAL, d, sub,
                           "expected uniform, normal, lognormal, triangular, beta or empirical, got %s", r ? r : "?");
        tri_free(r);
        return st;
    }
    pa->dist = (tri_dist)di;
    return dist_numbers(m, path, pa);
}

/* `correlation: [[id, id, r], ...]` into the correlation matrix */
static tr_status uncertainty_correlation(tri_scen *s, const tri_node *cr)
{
    if (cr->kind != TRI_SEQ)
        return tri_node_fail(TR_E_INVAL, cr, "uncertainty.correlation", "expected a list of [id, id, r]");
    tr_status st;
    for (size_t j = 0; j < cr->n; j++) {
        const tri_node *e = cr->vals[j];
        if (e->kind != TRI_SEQ || e->n != 3 || e->vals[0]->kind != TRI_SCALAR || e->vals[1]->kind != TRI_SCALAR)
            return tri_node_fail(TR_E_INVAL, e, "uncertainty.correlation", "expected [id, id, r], got %s",
                                 tri_kind_name(e));
        long a = FIND(s->unc, s->NU, e->vals[0]->str), b = FIND(s->unc, s->NU, e->vals[1]->str);
        if (a < 0 || b < 0)
            return unknown_ref(e->vals[a < 0 ? 0 : 1], "uncertainty.correlation", "uncertain parameter",
                               e->vals[a < 0 ? 0 : 1]->str);
        double r;
        if ((st = num_in(e->vals[2], "uncertainty.correlation", -1, 1, "a correlation in [-1, 1]", &r)) != TR_OK)
            return st;
        if (a == b)
            return tri_node_fail(TR_E_INVAL, e, "uncertainty.correlation", "a parameter cannot be correlated with itself");
        s->ucorr[a * s->NU + b] = s->ucorr[b * s->NU + a] = r;
    }
    return TR_OK;
}

static tr_status do_uncertainty(cx *c)
{
    tri_scen *s = c->s;
    s->usamples = 100;
    s->useed = 1;
    s->ulhs = 1;
    const tri_node *u = get(c->doc, "uncertainty");
    if (!u)
        return TR_OK;
    tr_status st = need_map(u, "uncertainty", "a map {parameters, correlation, samples, seed, method}");
    static const char *const keys[] = {"parameters", "correlation", "samples", "seed", "method", NULL};
    if (st != TR_OK || (st = check_item(u, "uncertainty", keys)) != TR_OK || (st = uncertainty_options(s, u)) != TR_OK)
        return st;
    const tri_node *ps = get(u, "parameters");
    if (!ps)
        return missing(u, "uncertainty", "parameters", "a map of uncertain parameters");
    if ((st = need_map(ps, "uncertainty.parameters", "a map {id: {path, distribution, ...}}")) != TR_OK)
        return st;
    s->NU = ps->n;
    s->unc = tri_calloc(s->NU, sizeof *s->unc);
    s->ucorr = tri_calloc(s->NU * s->NU, sizeof *s->ucorr);
    if (!s->unc || !s->ucorr)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    for (size_t i = 0; i < s->NU; i++)
        s->ucorr[i * s->NU + i] = 1;
    for (size_t i = 0; i < s->NU; i++)
        if ((st = uncertain_param(c, ps->keys[i], ps->vals[i], &s->unc[i])) != TR_OK)
            return st;
    const tri_node *cr = get(u, "correlation");
    return cr ? uncertainty_correlation(s, cr) : TR_OK;
}

double tri_param_quantile(const tri_param *p, double u)
{
    switch (p->dist) {
    case TRI_D_UNIFORM: return p->a + u * (p->b - p->a);
    case TRI_D_NORMAL: return p->a + p->b * tri_norm_pinv(u);
    case TRI_D_LOGNORMAL: return exp(p->a + p->b * tri_norm_pinv(u));
    case TRI_D_TRIANGULAR: {
        double a = p->a, m = p->b, c = p->c, f = (m - a) / (c - a);
        return u < f ? a + sqrt(u * (c - a) * (m - a)) : c - sqrt((1 - u) * (c - a) * (c - m));
    }
    case TRI_D_BETA: return p->lo + (p->hi - p->lo) * tri_beta_pinv(u, p->a, p->b);
    case TRI_D_EMPIRICAL: {
        size_t i = (size_t)(u * (double)p->nemp);
        return p->emp[i < p->nemp ? i : p->nemp - 1];
    }
    }
    return NAN;
}

/* §12 products: `products: {id: {name, unit}}`, or the single `product:`
 * form, which makes one product whose id is `main`. */
static tr_status do_products(cx *c)
{
    tri_scen *s = c->s;
    const tri_node *one = get(c->doc, "product"), *many = get(c->doc, "products");
    tr_status st;
    if (one && many)
        return tri_node_fail(TR_E_INVAL, many, "products", "expected either `product` or `products`, not both");
    if (!many) {
        s->R = 1;
        s->prod = tri_calloc(1, sizeof *s->prod);
        if (!s->prod || !(s->prod[0].id = tri_strdup("main")) ||
            !(s->prod[0].name = tri_strdup(s->product_name)) || !(s->prod[0].unit = tri_strdup(s->product_unit)))
            return TR_FAIL(TR_E_NOMEM, "out of memory");
        return one ? str_field(one, "iamc", "product", &s->prod[0].iamc, 0) : TR_OK;
    }
    s->ext = 1;
    s->multi_product = 1;
    if ((st = section(c, "products", 1, &many)) != TR_OK)
        return st;
    if (many->n == 0)
        return tri_node_fail(TR_E_INVAL, many, "products", "expected at least one product, got none");
    s->R = many->n;
    s->prod = tri_calloc(s->R, sizeof *s->prod);
    if (!s->prod)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    static const char *const keys[] = {"name", "unit", "iamc", NULL};
    for (size_t i = 0; i < s->R; i++) {
        char path[P_MAX];
        snprintf(path, sizeof path, "products.%s", many->keys[i]->str);
        tri_product *pr = &s->prod[i];
        if (!(pr->id = tri_strdup(many->keys[i]->str)))
            return TR_FAIL(TR_E_NOMEM, "out of memory");
        if ((st = check_item(many->vals[i], path, keys)) != TR_OK ||
            (st = str_field(many->vals[i], "name", path, &pr->name, 0)) != TR_OK ||
            (st = str_field(many->vals[i], "unit", path, &pr->unit, 1)) != TR_OK ||
            (st = str_field(many->vals[i], "iamc", path, &pr->iamc, 0)) != TR_OK)
            return st;
    }
    /* `production` (all products) is in the first product's unit when all agree */
    for (size_t i = 1; i < s->R; i++)
        if (strcmp(s->prod[i].unit, s->prod[0].unit) != 0) {
            tri_free(s->product_unit);
            if (!(s->product_unit = tri_strdup("units")))
                return TR_FAIL(TR_E_NOMEM, "out of memory");
            return TR_OK;
        }
    tri_free(s->product_unit);
    return (s->product_unit = tri_strdup(s->prod[0].unit)) ? TR_OK : TR_FAIL(TR_E_NOMEM, "out of memory");
}

/* §12 `indicators: {id: {unit, name}}` */
static tr_status do_custom(cx *c)
{
    tri_scen *s = c->s;
    const tri_node *sec;
    tr_status st = section(c, "indicators", 0, &sec);
    if (st != TR_OK || !sec)
        return st;
    s->ext = 1;
    s->I = sec->n;
    s->cind = tri_calloc(s->I, sizeof *s->cind);
    if (!s->cind)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    static const char *const keys[] = {"unit", "name", "better", NULL};
    for (size_t i = 0; i < s->I; i++) {
        char path[P_MAX];
        snprintf(path, sizeof path, "indicators.%s", sec->keys[i]->str);
        tri_custom *ci = &s->cind[i];
        if (!(ci->id = tri_strdup(sec->keys[i]->str)))
            return TR_FAIL(TR_E_NOMEM, "out of memory");
        if ((st = check_item(sec->vals[i], path, keys)) != TR_OK ||
            (st = str_field(sec->vals[i], "unit", path, &ci->unit, 1)) != TR_OK ||
            (st = str_field(sec->vals[i], "name", path, &ci->name, 0)) != TR_OK)
            return st;
        const tri_node *b = get(sec->vals[i], "better");
        if (b) {
            char sub[P_MAX + 20];
            snprintf(sub, sizeof sub, "%s.better", path);
            if (b->kind == TRI_SCALAR && !strcmp(b->str, "lower"))
                ci->lower_better = 1;
            else if (!(b->kind == TRI_SCALAR && !strcmp(b->str, "higher"))) {
                char *r = tri_scalar_repr(b);
                st = tri_node_fail(TR_E_INVAL, b, sub, "expected higher or lower, got %s", r ? r : "?");
                tri_free(r);
                return st;
            }
        }
    }
    return TR_OK;
}

/* §12 `demand: {product: series}` and `imports: {product: {price, max}}` */
static tr_status do_demand(cx *c)
{
    tri_scen *s = c->s;
    tr_status st;
    const tri_node *d = get(c->doc, "demand"), *im = get(c->doc, "imports");
    for (size_t i = 0; i < s->R; i++) {
        tri_product *pr = &s->prod[i];
        pr->demand = tri_calloc(s->Y, sizeof *pr->demand);
        pr->imp_price = tri_calloc(s->Y, sizeof *pr->imp_price);
        pr->imp_max = tri_calloc(s->Y, sizeof *pr->imp_max);
        if (!pr->demand || !pr->imp_price || !pr->imp_max)
            return TR_FAIL(TR_E_NOMEM, "out of memory");
    }
    if (d) {
        s->ext = 1;
        if ((st = need_map(d, "demand", "a map {product: series}")) != TR_OK)
            return st;
        for (size_t j = 0; j < d->n; j++) {
            char sub[P_MAX];
            snprintf(sub, sizeof sub, "demand.%.64s", d->keys[j]->str);
            long k = FIND(s->prod, s->R, d->keys[j]->str);
            if (k < 0)
                return unknown_ref(d->keys[j], sub, "product", d->keys[j]->str);
            double *tmp = NULL;
            st = series_field(c, d, d->keys[j]->str, "demand", 0, 1, 0, HUGE_VAL, "a demand >= 0", &tmp, NULL);
            if (st == TR_OK)
                memcpy(s->prod[k].demand, tmp, s->Y * sizeof *tmp);
            tri_free(tmp);
            if (st != TR_OK)
                return st;
            s->prod[k].has_demand = 1;
        }
    }
    if (im) {
        s->ext = 1;
        if ((st = need_map(im, "imports", "a map {product: {price, max}}")) != TR_OK)
            return st;
        static const char *const keys[] = {"price", "max", NULL};
        for (size_t j = 0; j < im->n; j++) {
            char sub[P_MAX];
            snprintf(sub, sizeof sub, "imports.%.64s", im->keys[j]->str);
            long k = FIND(s->prod, s->R, im->keys[j]->str);
            if (k < 0)
                return unknown_ref(im->keys[j], sub, "product", im->keys[j]->str);
            const tri_node *m = im->vals[j];
            if ((st = need_map(m, sub, "a map {price, max}")) != TR_OK || (st = check_item(m, sub, keys)) != TR_OK)
                return st;
            if (!s->prod[k].has_demand)
                return tri_node_fail(TR_E_INVAL, im->keys[j], sub,
                                     "imports need a demand for the product; expected demand.%s", s->prod[k].id);
            double *pp = NULL, *mx = NULL;
            st = series_field(c, m, "price", sub, 0, 1, 0, HUGE_VAL, "a price >= 0", &pp, NULL);
            if (st == TR_OK)
                st = series_field(c, m, "max", sub, HUGE_VAL, 0, 0, HUGE_VAL, "a quantity >= 0", &mx, NULL);
            if (st == TR_OK) {
                memcpy(s->prod[k].imp_price, pp, s->Y * sizeof *pp);
                memcpy(s->prod[k].imp_max, mx, s->Y * sizeof *mx);
                s->prod[k].has_imports = 1;
            }
            tri_free(pp);
            tri_free(mx);
            if (st != TR_OK)
                return st;
        }
    }
    return TR_OK;
}

/* effects map: {id: number | {relative: r}} -> per plant d[p*n+id] */
static tr_status effects(cx *c, const tri_node *m, const char *path, const char *what, char *const *ids,
                         size_t stride, const void *base, size_t n, const tri_tech *k, int carriers, double *d)
{
    tri_scen *s = c->s;
    tr_status st = need_map(m, path, "a map {id: number or {relative: share}}");
    if (st != TR_OK)
        return st;
    for (size_t j = 0; j < m->n; j++) {
        char sub[P_MAX + 100];
        snprintf(sub, sizeof sub, "%s.%.64s", path, m->keys[j]->str);
        long id = find_id(ids, stride, base, n, m->keys[j]->str);
        if (id < 0)
            return unknown_ref(m->keys[j], sub, what, m->keys[j]->str);
        const tri_node *v = m->vals[j];
        int rel = 0;
        double val;
        if (v->kind == TRI_MAP) {
            static const char *const rk[] = {"relative", NULL};
            if ((st = check_keys(v, sub, rk)) != TR_OK)
                return st;
            const tri_node *r = get(v, "relative");
            if (!r)
                return missing(v, sub, "relative", "a share of the baseline, e.g. -0.1");
            char sub2[P_MAX + 120];
            snprintf(sub2, sizeof sub2, "%s.relative", sub);
            if ((st = num_in(r, sub2, -1e6, 1e6, "a relative change (e.g. -0.1)", &val)) != TR_OK)
                return st;
            rel = 1;
        } else if ((st = tri_num(v, sub, &val)) != TR_OK)
            return st;
        for (size_t p = 0; p < s->P; p++) {
            if (!k->applies[p])
                continue;
            double base0 = carriers ? s->pl[p].int0[id] : s->pl[p].pe0[id];
            d[p * n + (size_t)id] = rel ? val * base0 : val;
        }
    }
    return TR_OK;
}

/* `group:` -> the index of the exclusive group (new groups are appended) */
static tr_status tech_group(cx *c, const tri_node *m, const char *path, tri_tech *k)
{
    tri_scen *s = c->s;
    const tri_node *g = get(m, "group");
    if (!g)
        return TR_OK;
    char sub[P_MAX + 40];
    snprintf(sub, sizeof sub, "%s.group", path);
    tr_status st = check_id(g, sub);
    if (st != TR_OK)
        return st;
    long gi = -1;
    for (size_t j = 0; j < s->G; j++)
        if (strcmp(s->group[j], g->str) == 0)
            gi = (long)j;
    if (gi < 0) {
        if (!(s->group[s->G] = tri_strdup(g->str)))
            return TR_FAIL(TR_E_NOMEM, "out of memory");
        gi = (long)s->G++;
    }
    k->group = gi;
    return TR_OK;
}

/* `applies_to: all` (the default) or a list of plant ids */
static tr_status tech_applies(cx *c, const tri_node *m, const char *path, tri_tech *k)
{
    tri_scen *s = c->s;
    const tri_node *ap = get(m, "applies_to");
    char sub[P_MAX + 40];
    snprintf(sub, sizeof sub, "%s.applies_to", path);
    if (!ap || (ap->kind == TRI_SCALAR && strcmp(ap->str, "all") == 0)) {
        memset(k->applies, 1, s->P);
        return TR_OK;
    }
    if (ap->kind == TRI_SEQ)
        return plant_ids(c, ap, sub, k->applies);
    return tri_node_fail_got(TR_E_INVAL, ap, sub, "expected all or a list of plant ids");
}

/* `existing: {plant: share}`: the share already equipped in the base year */
static tr_status tech_existing(cx *c, const tri_node *n, const char *path, tri_tech *k)
{
    tri_scen *s = c->s;
    char sub[P_MAX + 40];
    snprintf(sub, sizeof sub, "%s.existing", path);
    tr_status st = id_numbers(n, sub, "plant", NULL, sizeof *s->pl, s->pl, s->P, 0, "a share in [0, 1]", k->e0);
    if (st != TR_OK)
        return st;
    for (size_t j = 0; j < n->n; j++) {
        long pi = FIND(s->pl, s->P, n->keys[j]->str);
        char sp[P_MAX + 120];
        snprintf(sp, sizeof sp, "%s.%s", sub, n->keys[j]->str);
        if (k->e0[pi] > 1)
            return tri_node_fail(TR_E_INVAL, n->vals[j], sp, "expected a share in [0, 1], got %s", n->vals[j]->str);
        if (k->e0[pi] > k->appl + 1e-12)
            return tri_node_fail(TR_E_INVAL, n->vals[j], sp, "expected a share <= applicability %g, got %s", k->appl,
                                 n->vals[j]->str);
        if (!k->applies[pi] && k->e0[pi] > 0)
            return tri_node_fail(TR_E_INVAL, n->keys[j], sp,
                                 "technology does not apply to plant \"%s\" (see applies_to)", n->keys[j]->str);
        if (s->pl[pi].candidate && k->e0[pi] > 0)
            return tri_node_fail(TR_E_INVAL, n->vals[j], sp,
                                 "plant \"%s\" is a candidate (not built yet); expected no existing share",
                                 n->keys[j]->str);
    }
    return TR_OK;
}

/* What a technology does to a plant: applicability and the effects on
 * carriers and process emissions (MODEL.md §5) */
static tr_status tech_effects(cx *c, const tri_node *m, const char *path, tri_tech *k)
{
    tri_scen *s = c->s;
    tr_status st;
    const tri_node *n;
    char sub[P_MAX + 40];
    k->appl = 1;
    if ((st = opt_num(m, path, "applicability", 0, 1, "a share in [0, 1]", &k->appl)) != TR_OK)
        return st;
    if ((n = get(m, "effects"))) {
        snprintf(sub, sizeof sub, "%s.effects", path);
        if ((st = effects(c, n, sub, "carrier", NULL, sizeof *s->car, s->car, s->C, k, 1, k->d)) != TR_OK)
            return st;
    }
    if ((n = get(m, "process_emissions"))) {
        snprintf(sub, sizeof sub, "%s.process_emissions", path);
        if ((st = effects(c, n, sub, "species", NULL, sizeof *s->spe, s->spe, s->S, k, 0, k->dpe)) != TR_OK)
            return st;
    }
    return TR_OK;
}

static tr_status do_tech(cx *c, const tri_node *key, const tri_node *m, tri_tech *k)
{
    static const char *const keys[] = {"name", "group", "applies_to", "applicability", "effects",
                                       "process_emissions", "capex", "fixed_om", "variable_om", "lifetime",
                                       "hurdle_rate", "available_from", "max_uptake", "existing", "indicators",
                                       "major", NULL};
    tri_scen *s = c->s;
    char path[P_MAX], sub[P_MAX + 40];
    snprintf(path, sizeof path, "technologies.%s", key->str);
    k->group = -1;
    k->ban_from = INT_MAX;
    if (!(k->id = tri_strdup(key->str)))
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    tr_status st;
    if ((st = check_item(m, path, keys)) != TR_OK || (st = str_field(m, "name", path, &k->name, 0)) != TR_OK ||
        (st = tech_group(c, m, path, k)) != TR_OK)
        return st;
    k->applies = tri_calloc(s->P, 1);
    k->e0 = tri_calloc(s->P, sizeof *k->e0);
    k->d = tri_calloc(s->P * s->C, sizeof *k->d);
    k->dpe = tri_calloc(s->P * (s->S ? s->S : 1), sizeof *k->dpe);
    k->sub = tri_calloc(s->Y, sizeof *k->sub);
    k->ind = tri_calloc(s->I, sizeof *k->ind);
    if (!k->applies || !k->e0 || !k->d || !k->dpe || !k->sub || !k->ind)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    if ((st = tech_applies(c, m, path, k)) != TR_OK || (st = tech_effects(c, m, path, k)) != TR_OK)
        return st;
    if ((st = series_field(c, m, "capex", path, 0, 1, 0, HUGE_VAL, "a capex >= 0 (money per t/yr)", &k->capex,
                           NULL)) != TR_OK ||
        (st = series_field(c, m, "fixed_om", path, 0, 0, -HUGE_VAL, HUGE_VAL, "a number", &k->fom, NULL)) != TR_OK ||
        (st = series_field(c, m, "variable_om", path, 0, 0, -HUGE_VAL, HUGE_VAL, "a number", &k->vom, NULL)) !=
            TR_OK ||
        (st = investment_terms(c, m, path, &k->life, &k->hurdle, &k->from)) != TR_OK)
        return st;
    const tri_node *n;
    if ((n = get(m, "indicators"))) {
        snprintf(sub, sizeof sub, "%s.indicators", path);
        if ((st = id_numbers(n, sub, "indicator", NULL, sizeof *s->cind, s->cind, s->I, -HUGE_VAL,
                             "a number per unit produced with it", k->ind)) != TR_OK)
            return st;
    }
    k->rate = 1;
    if ((st = opt_num(m, path, "max_uptake", 0, 1, "a share in [0, 1]", &k->rate)) != TR_OK)
        return st;
    return (n = get(m, "existing")) ? tech_existing(c, n, path, k) : TR_OK;
}

static tr_status do_techs(cx *c)
{
    tri_scen *s = c->s;
    const tri_node *sec;
    tr_status st = section(c, "technologies", 0, &sec);
    if (st != TR_OK || !sec)
        return st;
    s->K = sec->n;
    s->tech = tri_calloc(s->K, sizeof *s->tech);
    s->group = tri_calloc(s->K, sizeof *s->group);
    if (!s->tech || !s->group)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    for (size_t i = 0; i < s->K; i++)
        if ((st = do_tech(c, sec->keys[i], sec->vals[i], &s->tech[i])) != TR_OK)
            return st;
    return TR_OK;
}

/* ------------------------------------------------------------ indicators */

static tr_status indicator(cx *c, const tri_node *n, const char *path, tri_indicator *out)
{
    tri_scen *s = c->s;
    if (!n || n->kind != TRI_SCALAR)
        return tri_node_fail(TR_E_INVAL, n, path, "expected an indicator name, got %s",
                             n ? tri_kind_name(n) : "nothing");
    const char *v = n->str;
    if (!strcmp(v, "production")) {
        out->kind = TRI_IND_PRODUCTION;
        out->idx = TRI_ALL;
        return TR_OK;
    }
    if (!strncmp(v, "production.", 11) || !strncmp(v, "imports.", 8)) {
        int imp = v[0] == 'i';
        const char *id = v + (imp ? 8 : 11);
        long i = FIND(s->prod, s->R, id);
        if (i < 0)
            return unknown_ref(n, path, "product", id);
        out->kind = imp ? TRI_IND_IMPORTS : TRI_IND_PRODUCTION;
        out->idx = (size_t)i;
        return TR_OK;
    }
    for (size_t i = 0; i < s->I; i++)
        if (!strcmp(v, s->cind[i].id)) {
            out->kind = TRI_IND_CUSTOM;
            out->idx = i;
            return TR_OK;
        }
    if (!strcmp(v, "investment")) {
        out->kind = TRI_IND_INVESTMENT;
        return TR_OK;
    }
    if (!strcmp(v, "subsidy")) {
        out->kind = TRI_IND_SUBSIDY;
        return TR_OK;
    }
    if (!strcmp(v, "energy.total")) {
        out->kind = TRI_IND_ENERGY_TOTAL;
        return TR_OK;
    }
    if (!strncmp(v, "energy.", 7) || !strncmp(v, "material.", 9)) {
        int mat = v[0] == 'm';
        const char *id = v + (mat ? 9 : 7);
        long i = FIND(s->car, s->C, id);
        if (i < 0)
            return unknown_ref(n, path, mat ? "material" : "carrier", id);
        if (s->car[i].material != mat)   /* materials are not energy (kind: material) */
            return tri_node_fail(TR_E_NOTFOUND, n, path, "\"%s\" is %s, not %s; did you mean \"%s.%s\"?",
                                 id, mat ? "an energy carrier" : "a material (kind: material)",
                                 mat ? "a material" : "energy", mat ? "energy" : "material", id);
        out->kind = TRI_IND_ENERGY;
        out->idx = (size_t)i;
        return TR_OK;
    }
    if (!strncmp(v, "emissions.", 10)) {
        long i = FIND(s->spe, s->S, v + 10);
        if (i < 0)
            return unknown_ref(n, path, "species", v + 10);
        out->kind = TRI_IND_EMISSIONS;
        out->idx = (size_t)i;
        return TR_OK;
    }
    char *r = tri_scalar_repr(n);
    tr_status st = tri_node_fail(TR_E_NOTFOUND, n, path,
                                 "unknown indicator %s; expected production, investment, subsidy, energy.total, "
                                 "energy.<carrier>, material.<material>, emissions.<species>, production.<product>, "
                                 "imports.<product> or a declared indicator",
                                 r ? r : "?");
    tri_free(r);
    return st;
}

tr_status tri_parse_indicator(const tri_scen *s, const char *name, tri_indicator *out)
{
    tri_node n;
    memset(&n, 0, sizeof n);
    n.kind = TRI_SCALAR;
    n.str = (char *)name;
    n.plain = 1;
    cx c = {.s = (tri_scen *)s, .doc = NULL};
    return indicator(&c, &n, "indicator", out);
}

/* list of technology ids -> mask */
static tr_status tech_list(cx *c, const tri_node *n, const char *path, unsigned char *mask)
{
    tri_scen *s = c->s;
    if (n && n->kind == TRI_SCALAR && strcmp(n->str, "all") == 0) {
        memset(mask, 1, s->K);
        return TR_OK;
    }
    if (!n || n->kind != TRI_SEQ)
        return tri_node_fail(TR_E_INVAL, n, path, "expected all or a list of technology ids, got %s",
                             n ? tri_kind_name(n) : "nothing");
    for (size_t j = 0; j < n->n; j++) {
        const tri_node *e = n->vals[j];
        long k = e->kind == TRI_SCALAR ? FIND(s->tech, s->K, e->str) : -1;
        if (k < 0)
            return bad_ref(e, path, "technology");
        mask[k] = 1;
    }
    return TR_OK;
}

/* ------------------------------------------------------------ policies
 * One spec per policy type of MODEL.md §8: its `type:` name, its keys, the
 * series that carries its limit, share or price and that series' range, and
 * the parser of the fields only it has. do_policies reads what all types
 * share (type, keys, the series, `years`) and hands over to the parser. */

/* What the common part has read, for a type's parser. */
typedef struct pol_in {
    cx *c;
    const tri_node *m;       /* the policy's map */
    const char *path;        /* "policies.<id>" */
    int first;               /* first year of the value series (ban: `from`); INT_MIN when constant */
    unsigned char *mask;     /* [K] scratch for technology lists */
} pol_in;

typedef tr_status (*pol_parser)(const pol_in *in, tri_policy *po);

typedef struct pol_spec {
    const char *name;            /* the `type:` value */
    const char *const *keys;     /* its keys besides meta_keys, NULL-terminated */
    const char *value_key;       /* the series of its value; NULL: none (a ban has `from`) */
    double lo, hi;               /* range of each value */
    const char *range;           /* that range as messages state it */
    pol_parser parse;            /* the fields only this type has */
} pol_spec;

/* The indicator a cap, floor, intensity cap or standard limits. */
static tr_status pol_indicator(const pol_in *in, tri_policy *po, const tri_node **n, char *sub, size_t nsub)
{
    snprintf(sub, nsub, "%s.indicator", in->path);
    if (!(*n = get(in->m, "indicator")))
        return missing(in->m, in->path, "indicator", "an indicator such as emissions.CO2");
    return indicator(in->c, *n, sub, &po->ind);
}

/* price: the species it taxes; the price adds to the species' emission tax */
static tr_status pol_price(const pol_in *in, tri_policy *po)
{
    tri_scen *s = in->c->s;
    char sub[P_MAX + 40];
    snprintf(sub, sizeof sub, "%s.species", in->path);
    const tri_node *n = get(in->m, "species");
    if (!n)
        return missing(in->m, in->path, "species", "a species id");
    long si = n->kind == TRI_SCALAR ? FIND(s->spe, s->S, n->str) : -1;
    if (si < 0)
        return bad_ref(n, sub, "species");
    po->ind.kind = TRI_IND_EMISSIONS;
    po->ind.idx = (size_t)si;
    for (size_t y = 0; y < s->Y; y++)
        if (po->active[y])
            s->tax[(size_t)si * s->Y + y] += po->val[y];
    return TR_OK;
}

/* cap and floor: the indicator only */
static tr_status pol_cap(const pol_in *in, tri_policy *po)
{
    const tri_node *n;
    char sub[P_MAX + 40];
    return pol_indicator(in, po, &n, sub, sizeof sub);
}

/* intensity_cap: the indicator, optionally restricted to one product's
 * plants and divided by another indicator (`per`) than production */
static tr_status pol_intensity_cap(const pol_in *in, tri_policy *po)
{
    tri_scen *s = in->c->s;
    const tri_node *n;
    char sub[P_MAX + 40];
    tr_status st = pol_indicator(in, po, &n, sub, sizeof sub);
    if (st != TR_OK)
        return st;
    const tri_node *pn = get(in->m, "product"), *per = get(in->m, "per");
    if (pn) {
        snprintf(sub, sizeof sub, "%s.product", in->path);
        po->product = pn->kind == TRI_SCALAR ? FIND(s->prod, s->R, pn->str) : -1;
        if (po->product < 0)
            return bad_ref(pn, sub, "product");
        po->per.idx = (size_t)po->product;
        s->ext = 1;
    }
    if (per) {
        snprintf(sub, sizeof sub, "%s.per", in->path);
        if ((st = indicator(in->c, per, sub, &po->per)) != TR_OK)
            return st;
        s->ext = 1;
    }
    return TR_OK;
}

/* standard: a per-plant limit on an indicator, for all or listed plants */
static tr_status pol_standard(const pol_in *in, tri_policy *po)
{
    tri_scen *s = in->c->s;
    const tri_node *n;
    char sub[P_MAX + 40];
    tr_status st = pol_indicator(in, po, &n, sub, sizeof sub);
    if (st != TR_OK)
        return st;
    if (po->ind.kind == TRI_IND_SUBSIDY)
        return tri_node_fail(TR_E_INVAL, n, sub, "a standard applies per plant; subsidy is sector-wide");
    n = get(in->m, "plants");
    snprintf(sub, sizeof sub, "%s.plants", in->path);
    if (!n || (n->kind == TRI_SCALAR && strcmp(n->str, "all") == 0)) {
        memset(po->plants, 1, s->P);
        return TR_OK;
    }
    if (n->kind != TRI_SEQ)
        return tri_node_fail(TR_E_INVAL, n, sub, "expected all or a list of plant ids, got %s", tri_kind_name(n));
    return plant_ids(in->c, n, sub, po->plants);
}

/* mandate: a share of one technology or of a group, optionally per plant */
static tr_status pol_mandate(const pol_in *in, tri_policy *po)
{
    tri_scen *s = in->c->s;
    const tri_node *m = in->m, *tn = get(m, "technology"), *gn = get(m, "group");
    char sub[P_MAX + 40];
    if ((tn != NULL) == (gn != NULL)) {
        snprintf(sub, sizeof sub, "%s.%s", in->path, tn ? "group" : "technology");
        return tri_node_fail(TR_E_INVAL, tn ? gn : m, sub,
                             tn ? "expected exactly one of technology or group, got both"
                                : "required field is missing; expected technology (or group)");
    }
    if (tn) {
        snprintf(sub, sizeof sub, "%s.technology", in->path);
        po->tech = tn->kind == TRI_SCALAR ? FIND(s->tech, s->K, tn->str) : -1;
        if (po->tech < 0)
            return bad_ref(tn, sub, "technology");
    } else {
        snprintf(sub, sizeof sub, "%s.group", in->path);
        for (size_t j = 0; j < s->G; j++)
            if (gn->kind == TRI_SCALAR && strcmp(s->group[j], gn->str) == 0)
                po->group = (long)j;
        if (po->group < 0)
            return bad_ref(gn, sub, "group");
    }
    memset(po->plants, 1, s->P);
    const tri_node *n = get(m, "per_plant");
    if (n && !bool_val(n, &po->per_plant)) {
        snprintf(sub, sizeof sub, "%s.per_plant", in->path);
        return tri_node_fail_got(TR_E_INVAL, n, sub, "expected true or false");
    }
    return TR_OK;
}

/* The `technologies:` a subsidy or a ban targets, into in->mask */
static tr_status pol_targets(const pol_in *in)
{
    char sub[P_MAX + 40];
    snprintf(sub, sizeof sub, "%s.technologies", in->path);
    memset(in->mask, 0, in->c->s->K);
    const tri_node *n = get(in->m, "technologies");
    if (!n)
        return missing(in->m, in->path, "technologies", "a list of technology ids");
    return tech_list(in->c, n, sub, in->mask);
}

static tr_status pol_keep_targets(const pol_in *in, tri_policy *po)
{
    size_t K = in->c->s->K;
    po->techs = tri_malloc(K ? K : 1);
    if (!po->techs)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    memcpy(po->techs, in->mask, K);
    return TR_OK;
}

/* subsidy: a share of the capex of the targets, summed per technology */
static tr_status pol_subsidy(const pol_in *in, tri_policy *po)
{
    tri_scen *s = in->c->s;
    tr_status st = pol_targets(in);
    for (size_t k = 0; k < s->K && st == TR_OK; k++) {
        if (!in->mask[k])
            continue;
        for (size_t y = 0; y < s->Y && st == TR_OK; y++)
            if (po->active[y]) {
                s->tech[k].sub[y] += po->val[y];
                if (s->tech[k].sub[y] > 1 + 1e-12)
                    st = tri_node_fail(TR_E_INVAL, in->m, in->path,
                                       "subsidies on technology \"%s\" add up to more than 100%% of capex in %d",
                                       s->tech[k].id, s->start + (int)y);
            }
    }
    return st == TR_OK ? pol_keep_targets(in, po) : st;
}

/* ban: no new adoption of the targets from `from` on */
static tr_status pol_ban(const pol_in *in, tri_policy *po)
{
    tri_scen *s = in->c->s;
    tr_status st = pol_targets(in);
    if (st != TR_OK)
        return st;
    for (size_t k = 0; k < s->K; k++)
        if (in->mask[k] && in->first < s->tech[k].ban_from)
            s->tech[k].ban_from = in->first;
    return pol_keep_targets(in, po);
}

/* budget: a limit on investment, or `on: subsidy` on public spending */
static tr_status pol_budget(const pol_in *in, tri_policy *po)
{
    po->ind.kind = TRI_IND_INVESTMENT;
    const tri_node *n = get(in->m, "on");
    if (!n || (n->kind == TRI_SCALAR && strcmp(n->str, "investment") == 0))
        return TR_OK;
    if (n->kind == TRI_SCALAR && strcmp(n->str, "subsidy") == 0) {
        po->ind.kind = TRI_IND_SUBSIDY;
        return TR_OK;
    }
    char sub[P_MAX + 40];
    snprintf(sub, sizeof sub, "%s.on", in->path);
    return tri_node_fail_got(TR_E_INVAL, n, sub, "expected investment or subsidy");
}

static const char *const k_price[] = {"type", "species", "value", "years", NULL};
static const char *const k_cap[] = {"type", "indicator", "limit", "reduction", "relative_to", "years", NULL};
static const char *const k_int[] = {"type", "indicator", "limit", "reduction", "relative_to", "per", "product",
                                    "years", NULL};
static const char *const k_std[] = {"type", "indicator", "limit", "reduction", "relative_to", "plants", "years",
                                    NULL};
static const char *const k_man[] = {"type", "technology", "group", "share", "per_plant", "years", NULL};
static const char *const k_sub[] = {"type", "technologies", "share", "years", NULL};
static const char *const k_bud[] = {"type", "limit", "on", "years", NULL};
static const char *const k_ban[] = {"type", "technologies", "from", NULL};

#define ANY -HUGE_VAL, HUGE_VAL, "a number"
#define NONNEG 0, HUGE_VAL, "a number >= 0"
#define SHARE 0, 1, "a share in [0, 1]"
static const pol_spec pol_specs[TRI_POL__COUNT] = {
    [TRI_POL_PRICE] = {"price", k_price, "value", NONNEG, pol_price},
    [TRI_POL_CAP] = {"cap", k_cap, "limit", ANY, pol_cap},
    [TRI_POL_INTENSITY_CAP] = {"intensity_cap", k_int, "limit", ANY, pol_intensity_cap},
    [TRI_POL_FLOOR] = {"floor", k_cap, "limit", ANY, pol_cap},
    [TRI_POL_STANDARD] = {"standard", k_std, "limit", ANY, pol_standard},
    [TRI_POL_MANDATE] = {"mandate", k_man, "share", SHARE, pol_mandate},
    [TRI_POL_SUBSIDY] = {"subsidy", k_sub, "share", SHARE, pol_subsidy},
    [TRI_POL_BUDGET] = {"budget", k_bud, "limit", NONNEG, pol_budget},
    [TRI_POL_BAN] = {"ban", k_ban, NULL, ANY, pol_ban},
};
#undef ANY
#undef NONNEG
#undef SHARE

const char *tri_policy_type_name(tri_pol_type t)
{
    return (unsigned)t < TRI_POL__COUNT ? pol_specs[t].name : "?";
}

/* "price, cap, ... or ban" */
static void pol_type_list(char *buf, size_t n)
{
    buf[0] = '\0';
    for (int t = 0; t < TRI_POL__COUNT; t++) {
        size_t l = strlen(buf);
        snprintf(buf + l, n - l, "%s%s", t == 0 ? "" : t == TRI_POL__COUNT - 1 ? " or " : ", ", pol_specs[t].name);
    }
}

/* `type:` -> the policy's spec */
static tr_status pol_type(const tri_node *m, const char *path, const pol_spec **out)
{
    char list[200];
    pol_type_list(list, sizeof list);
    const tri_node *ty = get(m, "type");
    if (!ty)
        return missing(m, path, "type", list);
    for (int t = 0; t < TRI_POL__COUNT; t++)
        if (ty->kind == TRI_SCALAR && strcmp(ty->str, pol_specs[t].name) == 0) {
            *out = &pol_specs[t];
            return TR_OK;
        }
    char sub[P_MAX + 40];
    snprintf(sub, sizeof sub, "%s.type", path);
    char *r = tri_scalar_repr(ty);
    tr_status st = tri_node_fail(TR_E_INVAL, ty, sub, "unknown policy type %s; expected %s", r ? r : "?", list);
    tri_free(r);
    return st;
}

/* A ban's `from:` year (default: the horizon's start) */
static tr_status pol_from(cx *c, const tri_node *m, const char *path, tri_policy *po, int *first)
{
    tri_scen *s = c->s;
    po->val = tri_calloc(s->Y, sizeof *po->val);
    if (!po->val)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    long from = s->start;
    char sub[P_MAX + 40];
    const tri_node *f = get(m, "from");
    snprintf(sub, sizeof sub, "%s.from", path);
    tr_status st;
    if (f && (st = tri_int(f, sub, 1, 9999, "a year", &from)) != TR_OK)
        return st;
    if (from > s->end)
        return tri_node_fail(TR_E_INVAL, f, sub, "expected a year within the horizon %d..%d, got %ld", s->start,
                             s->end, from);
    *first = (int)from;
    return TR_OK;
}

/* `years: [from, to]` switches the policy off outside those years */
static tr_status pol_years(cx *c, const tri_node *m, const char *path, tri_policy *po)
{
    tri_scen *s = c->s;
    const tri_node *yr = get(m, "years");
    if (!yr)
        return TR_OK;
    char sub[P_MAX + 40];
    snprintf(sub, sizeof sub, "%s.years", path);
    long a, b;
    tr_status st;
    if (yr->kind != TRI_SEQ || yr->n != 2)
        return tri_node_fail(TR_E_INVAL, yr, sub, "expected [from, to], got %s", tri_kind_name(yr));
    if ((st = tri_int(yr->vals[0], sub, 1, 9999, "a year", &a)) != TR_OK ||
        (st = tri_int(yr->vals[1], sub, 1, 9999, "a year", &b)) != TR_OK)
        return st;
    if (a > b)
        return tri_node_fail(TR_E_INVAL, yr, sub, "expected from <= to, got [%ld, %ld]", a, b);
    if (b < s->start || a > s->end)
        return tri_node_fail(TR_E_INVAL, yr, sub, "expected years overlapping the horizon %d..%d, got [%ld, %ld]",
                             s->start, s->end, a, b);
    for (size_t y = 0; y < s->Y; y++) {
        int yy = s->start + (int)y;
        if (yy < a || yy > b)
            po->active[y] = 0;
    }
    return TR_OK;
}

/* A relative target (docs/MODEL.md "Relative targets"): `reduction:` (a
 * series of shares in [0, 1)) against `relative_to:` (a year of the
 * horizon) instead of `limit:`. Reads them into po->red, po->ref_year and
 * @first; *@rel = 0 when the policy has an absolute limit. The limit itself
 * is set by tri_reltarget_apply once the indicator is known. */
static tr_status pol_relative(cx *c, const tri_node *m, const char *path, tri_policy *po, int *first, int *rel)
{
    tri_scen *s = c->s;
    const tri_node *red = get(m, "reduction"), *rt = get(m, "relative_to"), *lim = get(m, "limit");
    char sub[P_MAX + 40];
    *rel = red || rt;
    if (!*rel)
        return TR_OK;
    if (lim) {
        snprintf(sub, sizeof sub, "%s.reduction", path);
        return tri_node_fail(TR_E_INVAL, red ? red : rt, sub,
                             "expected either limit or reduction with relative_to, not both");
    }
    if (!red)
        return missing(m, path, "reduction", "a share in [0, 1) or {year: share} next to relative_to");
    if (!rt)
        return missing(m, path, "relative_to", "the year the reduction is measured against");
    snprintf(sub, sizeof sub, "%s.relative_to", path);
    long y;
    tr_status st = tri_int(rt, sub, 1, 9999, "a year", &y);
    if (st != TR_OK)
        return st;
    if (y < s->start || y > s->end)
        return tri_node_fail(TR_E_INVAL, rt, sub,
                             "expected a year of the horizon %d..%d (the reference is computed from that year's "
                             "data), got %ld", s->start, s->end, y);
    po->ref_year = (int)y;
    if ((st = series_field(c, m, "reduction", path, 0, 1, 0, nextafter(1.0, 0.0), "a share in [0, 1)", &po->red,
                           first)) != TR_OK)
        return st;
    po->val = tri_calloc(s->Y, sizeof *po->val);
    return po->val ? TR_OK : TR_FAIL(TR_E_NOMEM, "out of memory");
}

/* One policy: what every type has, then its spec's parser. */
static tr_status do_policy(cx *c, const tri_node *key, const tri_node *m, tri_policy *po, unsigned char *mask)
{
    tri_scen *s = c->s;
    char path[P_MAX];
    snprintf(path, sizeof path, "policies.%s", key->str);
    po->tech = po->group = -1;
    po->product = -1;
    po->per.kind = TRI_IND_PRODUCTION;
    po->per.idx = TRI_ALL;
    if (!(po->id = tri_strdup(key->str)))
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    const pol_spec *spec = NULL;
    tr_status st = pol_type(m, path, &spec);
    if (st != TR_OK)
        return st;
    po->type = (tri_pol_type)(spec - pol_specs);
    if ((st = check_item(m, path, spec->keys)) != TR_OK)
        return st;
    po->active = tri_calloc(s->Y, 1);
    po->plants = tri_calloc(s->P, 1);
    if (!po->active || !po->plants)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    int first = INT_MIN, rel = 0;
    if (spec->value_key && !strcmp(spec->value_key, "limit") && po->type != TRI_POL_BUDGET)
        st = pol_relative(c, m, path, po, &first, &rel);
    if (st == TR_OK && !rel)
        st = spec->value_key ? series_field(c, m, spec->value_key, path, 0, 1, spec->lo, spec->hi, spec->range,
                                            &po->val, &first)
                             : pol_from(c, m, path, po, &first);
    if (st != TR_OK)
        return st;
    for (size_t y = 0; y < s->Y; y++)
        po->active[y] = first == INT_MIN || s->start + (int)y >= first;
    if ((st = pol_years(c, m, path, po)) != TR_OK)
        return st;
    if (first != INT_MIN && first > s->end) {   /* a value series whose first point is past the horizon */
        char sub[P_MAX + 40];
        snprintf(sub, sizeof sub, "%s.%s", path, rel ? "reduction" : spec->value_key);
        return tri_node_fail(TR_E_INVAL, get(m, rel ? "reduction" : spec->value_key), sub,
                             "the policy starts in %d, after the horizon's end %d; expected a year within the horizon",
                             first, s->end);
    }
    pol_in in = {.c = c, .m = m, .path = path, .first = first, .mask = mask};
    if ((st = spec->parse(&in, po)) != TR_OK || !rel)
        return st;
    char sub[P_MAX + 40];
    snprintf(sub, sizeof sub, "%s.relative_to", path);
    return tri_reltarget_apply(s, po, get(m, "relative_to"), sub);
}

static tr_status do_policies(cx *c)
{
    tri_scen *s = c->s;
    const tri_node *sec;
    tr_status st = section(c, "policies", 0, &sec);
    s->tax = tri_calloc(s->S * s->Y, sizeof *s->tax);
    if (!s->tax)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    if (st != TR_OK || !sec)
        return st;
    s->N = sec->n;
    s->pol = tri_calloc(s->N, sizeof *s->pol);
    unsigned char *mask = tri_calloc(s->K, 1);
    if (!s->pol || !mask) {
        tri_free(mask);
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    }
    for (size_t i = 0; i < s->N && st == TR_OK; i++)
        st = do_policy(c, sec->keys[i], sec->vals[i], &s->pol[i], mask);
    tri_free(mask);
    return st;
}

/* §10: effects must not drive a plant's intensity (or process emissions)
 * below zero with every technology at full applicability. Within an
 * exclusive group at most the plant's capacity is equipped, so the worst
 * case fills the group's most negative effects first. */
static tr_status check_floors(cx *c)
{
    tri_scen *s = c->s;
    size_t n = s->C > s->S ? s->C : s->S;
    double *worst = tri_calloc(s->G + 1, sizeof *worst);
    size_t *ord = tri_calloc(s->K + 1, sizeof *ord);
    tr_status st = TR_OK;
    if (!worst || !ord) {
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
        goto out;
    }
    for (int pass = 0; pass < 2 && st == TR_OK; pass++) {
        size_t nc = pass == 0 ? s->C : s->S;
        for (size_t p = 0; p < s->P && st == TR_OK; p++)
            for (size_t ci = 0; ci < nc && st == TR_OK; ci++) {
                double base = pass == 0 ? s->pl[p].int0[ci] : s->pl[p].pe0[ci];
                double total = base;
                for (size_t g = 0; g <= s->G; g++) {
                    /* g == G: the ungrouped technologies, each on its own */
                    size_t m = 0;
                    for (size_t k = 0; k < s->K; k++) {
                        const tri_tech *t = &s->tech[k];
                        if (!t->applies[p] || (g < s->G ? t->group != (long)g : t->group >= 0))
                            continue;
                        ord[m++] = k;
                    }
                    /* selection sort by effect, most negative first */
                    for (size_t a = 0; a < m; a++)
                        for (size_t b = a + 1; b < m; b++) {
                            double da = pass == 0 ? s->tech[ord[a]].d[p * s->C + ci] : s->tech[ord[a]].dpe[p * s->S + ci];
                            double db = pass == 0 ? s->tech[ord[b]].d[p * s->C + ci] : s->tech[ord[b]].dpe[p * s->S + ci];
                            if (db < da) {
                                size_t tmp = ord[a];
                                ord[a] = ord[b];
                                ord[b] = tmp;
                            }
                        }
                    double left = 1.0;
                    for (size_t a = 0; a < m; a++) {
                        const tri_tech *t = &s->tech[ord[a]];
                        double d = pass == 0 ? t->d[p * s->C + ci] : t->dpe[p * s->S + ci];
                        if (d >= 0)
                            break;
                        double share = g < s->G ? fmin(t->appl, left) : t->appl;
                        total += share * d;
                        if (g < s->G)
                            left -= share;
                    }
                }
                if (total < -1e-9 * fmax(1.0, fabs(base))) {
                    const char *what = pass == 0 ? s->car[ci].id : s->spe[ci].id;
                    const tri_node *tech = get(c->doc, "technologies");
                    st = tri_node_fail(TR_E_INVAL, tech, "technologies",
                                       "effects on %s %s drive plant \"%s\" below zero with every technology at full "
                                       "applicability (%g + savings = %g per unit); expected savings no larger than "
                                       "the baseline",
                                       pass == 0 ? "carrier" : "process emissions of", what, s->pl[p].id, base, total);
                }
            }
    }
out:
    (void)n;
    tri_free(worst);
    tri_free(ord);
    return st;
}

double tri_crf(double h, int life)
{
    if (h == 0)
        return 1.0 / life;
    return h / (1.0 - pow(1.0 + h, -(double)life));
}

tr_status tri_compile(const tri_node *doc, tri_scen **out)
{
    *out = NULL;
    if (!doc || doc->kind != TRI_MAP)
        return tri_node_fail(TR_E_INVAL, doc, NULL, "expected a map of scenario fields");
    /* the format version first: a file of another version is not judged by this one's fields */
    const tri_node *f = tri_map_get(doc, "format");
    if (!f)
        return missing(doc, "", "format", "\"techroad/1\"");
    if (f->kind != TRI_SCALAR || strcmp(f->str, "techroad/1") != 0) {
        char *r = tri_scalar_repr(f);
        tr_status st = tri_node_fail(TR_E_INVAL, f, "format", "unknown format version %s; expected \"techroad/1\"",
                                     r ? r : "?");
        tri_free(r);
        return st;
    }
    cx c = {.doc = doc};
    c.s = tri_calloc(1, sizeof *c.s);
    if (!c.s)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    c.s->refs = 1;
    tr_status st;
    if ((st = do_horizon(&c)) != TR_OK || (st = do_top(&c)) != TR_OK || (st = do_species(&c)) != TR_OK ||
        (st = do_carriers(&c)) != TR_OK || (st = do_benchmark(&c)) != TR_OK || (st = do_products(&c)) != TR_OK || (st = do_custom(&c)) != TR_OK ||
        (st = do_plants(&c)) != TR_OK || (st = do_demand(&c)) != TR_OK || (st = do_techs(&c)) != TR_OK ||
        (st = do_policies(&c)) != TR_OK || (st = do_uncertainty(&c)) != TR_OK || (st = check_floors(&c)) != TR_OK ||
        (st = tri_floors_compile(doc, c.s)) != TR_OK || (st = tri_windows_compile(doc, c.s)) != TR_OK || (st = tri_prov_compile(doc, c.s)) != TR_OK) {
        tri_scen_free(c.s);
        return st;
    }
    *out = c.s;
    return TR_OK;
}

tri_scen *tri_scen_ref(tri_scen *s)
{
    __atomic_add_fetch(&s->refs, 1, __ATOMIC_RELAXED);
    return s;
}

void tri_scen_free(tri_scen *s)
{
    if (!s)
        return;
    if (__atomic_sub_fetch(&s->refs, 1, __ATOMIC_ACQ_REL) > 0)
        return;
    tri_free(s->name);
    tri_free(s->description);
    tri_free(s->currency);
    tri_free(s->region);
    tri_free(s->product_name);
    tri_free(s->product_unit);
    tri_free(s->df);
    tri_free(s->tax);
    tri_prov_free(s->prov);
    tri_floors_free(s->fl);
    tri_windows_free(s->iw);
    for (size_t i = 0; i < s->C && s->car; i++) {
        tri_free(s->car[i].id);
        tri_free(s->car[i].name);
        tri_free(s->car[i].unit);
        tri_free(s->car[i].iamc);
        tri_free(s->car[i].price);
        tri_free(s->car[i].ef);
    }
    tri_free(s->car);
    for (size_t i = 0; i < s->S && s->spe; i++) {
        tri_free(s->spe[i].id);
        tri_free(s->spe[i].name);
        tri_free(s->spe[i].unit);
        tri_free(s->spe[i].iamc);
        tri_free(s->spe[i].dmg);
    }
    tri_free(s->spe);
    for (size_t i = 0; i < s->P && s->pl; i++) {
        tri_plant *p = &s->pl[i];
        tri_free(p->id);
        tri_free(p->name);
        tri_free(p->cap);
        tri_free(p->prod);
        tri_free(p->u);
        tri_free(p->int0);
        tri_free(p->pe0);
        tri_free(p->other);
        tri_free(p->ind);
        tri_free(p->min_op);
        tri_free(p->cc);
        tri_free(p->bcapex);
        tri_free(p->bfom);
    }
    tri_free(s->pl);
    for (size_t i = 0; i < s->R && s->prod; i++) {
        tri_free(s->prod[i].id);
        tri_free(s->prod[i].name);
        tri_free(s->prod[i].unit);
        tri_free(s->prod[i].iamc);
        tri_free(s->prod[i].demand);
        tri_free(s->prod[i].imp_price);
        tri_free(s->prod[i].imp_max);
    }
    tri_free(s->prod);
    for (size_t i = 0; i < s->I && s->cind; i++) {
        tri_free(s->cind[i].id);
        tri_free(s->cind[i].name);
        tri_free(s->cind[i].unit);
    }
    tri_free(s->cind);
    tri_free(s->bp);
    tri_free(s->pf);
    for (size_t i = 0; i < s->NU && s->unc; i++) {
        tri_free(s->unc[i].id);
        tri_free(s->unc[i].path);
        tri_free(s->unc[i].emp);
    }
    tri_free(s->unc);
    tri_free(s->ucorr);
    for (size_t i = 0; i < s->K && s->tech; i++) {
        tri_tech *k = &s->tech[i];
        tri_free(k->id);
        tri_free(k->name);
        tri_free(k->applies);
        tri_free(k->d);
        tri_free(k->dpe);
        tri_free(k->capex);
        tri_free(k->fom);
        tri_free(k->vom);
        tri_free(k->e0);
        tri_free(k->sub);
        tri_free(k->ind);
    }
    tri_free(s->tech);
    tri_free_strv(s->group, s->G);
    for (size_t i = 0; i < s->N && s->pol; i++) {
        tri_free(s->pol[i].id);
        tri_free(s->pol[i].val);
        tri_free(s->pol[i].active);
        tri_free(s->pol[i].plants);
        tri_free(s->pol[i].techs);
        tri_free(s->pol[i].red);
    }
    tri_free(s->pol);
    tri_free(s);
}

const char *tri_indicator_name(const tri_scen *s, tri_indicator ind, char *buf, size_t n)
{
    switch (ind.kind) {
    case TRI_IND_PRODUCTION:
        if (ind.idx == TRI_ALL)
            snprintf(buf, n, "production");
        else
            snprintf(buf, n, "production.%s", s->prod[ind.idx].id);
        break;
    case TRI_IND_IMPORTS: snprintf(buf, n, "imports.%s", s->prod[ind.idx].id); break;
    case TRI_IND_CUSTOM: snprintf(buf, n, "%s", s->cind[ind.idx].id); break;
    case TRI_IND_INVESTMENT: snprintf(buf, n, "investment"); break;
    case TRI_IND_SUBSIDY: snprintf(buf, n, "subsidy"); break;
    case TRI_IND_ENERGY_TOTAL: snprintf(buf, n, "energy.total"); break;
    case TRI_IND_ENERGY:
        snprintf(buf, n, "%s.%s", s->car[ind.idx].material ? "material" : "energy", s->car[ind.idx].id);
        break;
    case TRI_IND_EMISSIONS: snprintf(buf, n, "emissions.%s", s->spe[ind.idx].id); break;
    }
    return buf;
}

const char *tri_indicator_unit(const tri_scen *s, tri_indicator ind, char *buf, size_t n)
{
    switch (ind.kind) {
    case TRI_IND_PRODUCTION:
        snprintf(buf, n, "%s", ind.idx == TRI_ALL ? s->product_unit : s->prod[ind.idx].unit);
        break;
    case TRI_IND_IMPORTS: snprintf(buf, n, "%s", s->prod[ind.idx].unit); break;
    case TRI_IND_CUSTOM: snprintf(buf, n, "%s", s->cind[ind.idx].unit); break;
    case TRI_IND_INVESTMENT:
    case TRI_IND_SUBSIDY: snprintf(buf, n, "%s", s->currency); break;
    case TRI_IND_ENERGY_TOTAL: snprintf(buf, n, "GJ"); break;
    case TRI_IND_ENERGY: snprintf(buf, n, "%s", s->car[ind.idx].unit); break;
    case TRI_IND_EMISSIONS: snprintf(buf, n, "%s", s->spe[ind.idx].unit); break;
    }
    return buf;
}
