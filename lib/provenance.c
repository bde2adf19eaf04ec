/* provenance: references files, `source:` / `sources:` on items and at the
 * top level, assumptions with their ranges, `illustrative:` policies, and
 * the listing of every number of a scenario with what covers it (the
 * evidence table of `techroad audit`). The syntax is docs/MODEL.md's
 * "Provenance" section; the readings are in docs/DECISIONS.md. */
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "provenance.h"
#include "tr_series.h"

#define PATH_MAX_P 600
#define DEF_LO 0.75
#define DEF_HI 1.25

static const char *const ENTRY_KEYS[] = {"author", "title", "year", "address", "accessed", "figure",
                                         "used_in", "notes", NULL};
static const char *const ENTRY_REQUIRED[] = {"title", "year", "address", "accessed", "figure", NULL};

/* ------------------------------------------------------------ loading (resolve.c) */

static int key_ok(const char *k)
{
    if (!((k[0] >= 'a' && k[0] <= 'z') || (k[0] >= '0' && k[0] <= '9')))
        return 0;
    for (const char *c = k + 1; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '.' || *c == '_' || *c == '-'))
            return 0;
    return strlen(k) <= 128;
}

static char *join_path(const char *dir, const char *rel)
{
    if (rel[0] == '/' || strcmp(dir, ".") == 0)
        return tri_strdup(rel);
    return tri_asprintf("%s/%s", dir, rel);
}

/* the same definition seen twice (one file named by two scenario files of
 * an extends chain): same file, same line */
static int same_def(const tri_node *a, const tri_node *b)
{
    if (a->line != b->line || a->col != b->col || !a->file || !b->file)
        return 0;
    if (strcmp(a->file, b->file) == 0)
        return 1;
    char *ra = realpath(a->file, NULL), *rb = realpath(b->file, NULL);
    int same = ra && rb && strcmp(ra, rb) == 0;
    free(ra);
    free(rb);
    return same;
}

/* move the entries of @from into @into; a key defined twice is bad input */
static tr_status move_entries(tri_node *into, tri_node *from)
{
    for (size_t i = 0; i < from->n; i++) {
        tri_node *k = from->keys[i], *v = from->vals[i];
        if (!k)
            continue;
        long at = tri_map_index(into, k->str);
        if (at >= 0) {
            tri_node *old = into->keys[at];
            if (same_def(old, k))
                continue;   /* freed with @from */
            char path[PATH_MAX_P];
            snprintf(path, sizeof path, "references.%.200s", k->str);
            return tri_node_fail(TR_E_INVAL, k, path,
                                 "citation key defined twice (first at %s:%d:%d); expected each key once",
                                 old->file ? old->file : "?", old->line, old->col);
        }
        if (tri_map_put(into, k, v) != TR_OK) {
            from->keys[i] = from->vals[i] = NULL;
            return TR_FAIL(TR_E_NOMEM, "out of memory");
        }
        from->keys[i] = from->vals[i] = NULL;
    }
    return TR_OK;
}

/* one references file into @into */
static tr_status load_one(const tri_node *name, const char *dir, const char *ddir, tri_pool *pool, tri_node *into)
{
    char *p = join_path(dir, name->str), *d = join_path(ddir, name->str);
    if (!p || !d) {
        tri_free(p);
        tri_free(d);
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    }
    tr_status st;
    size_t len;
    char *text = tri_read_file(p, d, &len, &st);
    tri_node *root = NULL;
    if (!text) {
        char why[1024];
        snprintf(why, sizeof why, "%s", tr_last_error());
        st = tri_node_fail(st, name, "references", "%s; expected a references file", why);
    } else {
        st = tri_parse_yaml(text, len, d, pool, &root);
        tri_free(text);
    }
    tri_free(p);
    tri_free(d);
    if (st != TR_OK)
        return st;
    if (root->kind != TRI_MAP) {
        st = tri_node_fail(TR_E_INVAL, root, NULL,
                           "expected a references file (a map with format: techroad-references/1 and "
                           "references:), got %s", tri_kind_name(root));
        goto out;
    }
    for (size_t i = 0; i < root->n; i++) {
        const char *k = root->keys[i]->str;
        if (strcmp(k, "format") && strcmp(k, "references") && strcmp(k, "notes")) {
            char *r = tri_scalar_repr(root->keys[i]);
            st = tri_node_fail(TR_E_INVAL, root->keys[i], k,
                               "unknown key %s; expected one of: format, references, notes", r ? r : "?");
            tri_free(r);
            goto out;
        }
    }
    const tri_node *f = tri_map_get(root, "format");
    if (!f || f->kind != TRI_SCALAR || strcmp(f->str, "techroad-references/1") != 0) {
        char *r = f ? tri_scalar_repr(f) : NULL;
        st = f ? tri_node_fail(TR_E_INVAL, f, "format", "unknown format %s; expected \"techroad-references/1\"",
                               r ? r : "?")
               : tri_node_fail(TR_E_INVAL, root, "format",
                               "required field is missing; expected \"techroad-references/1\"");
        tri_free(r);
        goto out;
    }
    long at = tri_map_index(root, "references");
    if (at < 0) {
        st = tri_node_fail(TR_E_INVAL, root, "references",
                           "required field is missing; expected a map {citation key: entry}");
        goto out;
    }
    tri_node *refs = root->vals[at];
    if (tri_is_null(refs))
        goto out;   /* an empty file: no keys */
    if (refs->kind != TRI_MAP) {
        st = tri_node_fail(TR_E_INVAL, refs, "references", "expected a map {citation key: entry}, got %s",
                           tri_kind_name(refs));
        goto out;
    }
    for (size_t i = 0; i < refs->n; i++) {
        const tri_node *k = refs->keys[i];
        if (!key_ok(k->str)) {
            char *r = tri_scalar_repr(k);
            st = tri_node_fail(TR_E_INVAL, k, "references",
                               "citation key %s; expected lower-case letters, digits, '.', '_' or '-', "
                               "starting with a letter or digit", r ? r : "?");
            tri_free(r);
            goto out;
        }
    }
    st = move_entries(into, refs);
out:
    tri_node_free(root);
    return st;
}

tr_status tri_refs_load(tri_node *root, const char *dir, const char *ddir, tri_pool *pool)
{
    long at = tri_map_index(root, "references");
    if (at < 0)
        return TR_OK;
    tri_node *v = root->vals[at];
    if (v->kind == TRI_MAP) {
        /* the entries inline: the effective YAML of a loaded scenario
         * (tr_scenario_to_yaml) carries them so, and reads back */
        for (size_t i = 0; i < v->n; i++)
            if (!key_ok(v->keys[i]->str)) {
                char *r = tri_scalar_repr(v->keys[i]);
                tr_status st = tri_node_fail(TR_E_INVAL, v->keys[i], "references",
                                             "citation key %s; expected lower-case letters, digits, '.', '_' "
                                             "or '-', starting with a letter or digit", r ? r : "?");
                tri_free(r);
                return st;
            }
        return TR_OK;
    }
    int ok = (v->kind == TRI_SCALAR && v->str[0] && !tri_is_null(v)) || v->kind == TRI_SEQ;
    for (size_t i = 0; ok && v->kind == TRI_SEQ && i < v->n; i++)
        ok = v->vals[i]->kind == TRI_SCALAR && v->vals[i]->str[0];
    if (!ok) {
        char *r = tri_scalar_repr(v);
        tr_status st = tri_node_fail(TR_E_INVAL, v, "references",
                                     "expected a file name or a list of file names (relative to this "
                                     "file), got %s", r ? r : "?");   /* (or the entries inline, a map) */
        tri_free(r);
        return st;
    }
    tri_node *map = tri_node_new(TRI_MAP, v->file, v->line, v->col);
    if (!map)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    tr_status st = TR_OK;
    if (v->kind == TRI_SCALAR)
        st = load_one(v, dir, ddir, pool, map);
    for (size_t i = 0; st == TR_OK && v->kind == TRI_SEQ && i < v->n; i++)
        st = load_one(v->vals[i], dir, ddir, pool, map);
    if (st != TR_OK) {
        tri_node_free(map);
        return st;
    }
    tri_map_set_at(root, at, map);
    return TR_OK;
}

tr_status tri_refs_merge(tri_node *base, tri_node *over)
{
    long ob = tri_map_index(over, "references"), bb = tri_map_index(base, "references");
    if (ob < 0 || bb < 0)
        return TR_OK;   /* the ordinary merge moves a lone list */
    tr_status st = move_entries(base->vals[bb], over->vals[ob]);
    if (st == TR_OK)
        tri_map_remove_at(over, (size_t)ob);
    return st;
}

/* ------------------------------------------------------------ source forms */

/* what one source/sources value says */
typedef struct cover {
    tri_ev_kind kind;
    const char *keys, *assumption;   /* owned by the listing, or NULL while checking */
    const char *searched;            /* `searched:` texts joined by "; ", or "" (owned likewise) */
    double lo, hi;
} cover;

typedef struct pctx {
    const tri_prov *prov;      /* keys to check against (NULL: collect only) */
    int declared;
    const tri_node *refs;      /* the loaded references map */
    tri_evlist *out;           /* NULL: check only */
    const char *reffiles;      /* for messages */
} pctx;

static int is_num(const tri_node *n, double *v)
{
    if (!n || n->kind != TRI_SCALAR || !n->plain || !n->str[0])
        return 0;
    char *end;
    *v = strtod(n->str, &end);
    return *end == '\0' && isfinite(*v) && !isspace((unsigned char)n->str[0]);
}

static const char *assumption_text(const char *s)
{
    if (strncmp(s, "assumption:", 11) != 0)
        return NULL;
    s += 11;
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

static char *keep(tri_evlist *l, char *s)
{
    if (!l || !s)
        return s;
    if (l->nstr == l->capstr) {
        size_t nc = l->capstr ? 2 * l->capstr : 64;
        char **ns = tri_realloc(l->str, nc * sizeof *ns);
        if (!ns) {
            tri_free(s);
            return NULL;
        }
        l->str = ns;
        l->capstr = nc;
    }
    l->str[l->nstr++] = s;
    return s;
}

static tr_status bad_form(const tri_node *n, const char *path, const char *what)
{
    char *r = what ? NULL : tri_scalar_repr(n);
    tr_status st = tri_node_fail(TR_E_INVAL, n, path,
                                 "expected a citation key, a list of keys or {assumption: why, range: "
                                 "[low, high]}, got %s", what ? what : r ? r : "?");
    tri_free(r);
    return st;
}

/* one element (scalar or assumption map); appends to the key/assumption buffers */
static tr_status one_form(pctx *c, const tri_node *n, const char *path, tri_buf *keys, tri_buf *ass, tri_buf *srch,
                          int *nass, int *nfree, double *lo, double *hi)
{
    if (n->kind == TRI_SCALAR) {
        if (tri_is_null(n) || !n->str[0])
            return bad_form(n, path, "an empty source");
        const char *a = assumption_text(n->str);
        if (a) {
            if (!a[0])
                return bad_form(n, path, "an assumption without its reason");
            tri_buf_printf(ass, "%s%s", ass->len ? "; " : "", a);
            (*nass)++;
            *lo = fmin(*lo, DEF_LO);
            *hi = fmax(*hi, DEF_HI);
            return TR_OK;
        }
        if (!c->declared) {   /* legacy free text */
            tri_buf_printf(ass, "%s%s", ass->len ? "; " : "", n->str);
            (*nfree)++;
            return TR_OK;
        }
        if (!c->refs || tri_map_index(c->refs, n->str) < 0)
            return tri_node_fail(TR_E_NOTFOUND, n, path,
                                 "unknown citation key \"%.100s\"; expected a key of %s or {assumption: why}",
                                 n->str, c->reffiles);
        tri_buf_printf(keys, "%s%s", keys->len ? "; " : "", n->str);
        return TR_OK;
    }
    if (n->kind != TRI_MAP)
        return bad_form(n, path, "a list inside a list");
    if (!tri_map_get(n, "assumption"))
        return bad_form(n, path, "a map without assumption");
    const tri_node *a = NULL, *r = NULL, *sr = NULL;
    for (size_t i = 0; i < n->n; i++) {
        const char *k = n->keys[i]->str;
        if (!strcmp(k, "assumption"))
            a = n->vals[i];
        else if (!strcmp(k, "range"))
            r = n->vals[i];
        else if (!strcmp(k, "searched"))
            sr = n->vals[i];
        else {
            char sub[PATH_MAX_P];
            snprintf(sub, sizeof sub, "%s.%.100s", path, k);
            char *kr = tri_scalar_repr(n->keys[i]);
            tr_status st = tri_node_fail(TR_E_INVAL, n->keys[i], sub,
                                         "unknown key %s; expected assumption, range or searched", kr ? kr : "?");
            tri_free(kr);
            return st;
        }
    }
    char sub[PATH_MAX_P];
    snprintf(sub, sizeof sub, "%s.assumption", path);
    if (!a)
        return tri_node_fail(TR_E_INVAL, n, sub, "required field is missing; expected the reason (a text)");
    if (a->kind != TRI_SCALAR || tri_is_null(a) || !a->str[0])
        return tri_node_fail(TR_E_INVAL, a, sub, "expected the reason (a text), got %s", tri_kind_name(a));
    double l = DEF_LO, h = DEF_HI;
    if (r) {
        snprintf(sub, sizeof sub, "%s.range", path);
        if (r->kind != TRI_SEQ || r->n != 2 || !is_num(r->vals[0], &l) || !is_num(r->vals[1], &h) || l < 0 ||
            l > 1 || h < 1) {
            return tri_node_fail_got(TR_E_INVAL, r, sub,
                                     "expected [low, high] multipliers with 0 <= low <= 1 <= high");
        }
    }
    if (sr) {
        /* what was looked for, where and when, and not found (issue 14):
         * a text, so that the audit can show it beside the assumption */
        snprintf(sub, sizeof sub, "%s.searched", path);
        double num;
        const char *got = sr->kind != TRI_SCALAR ? tri_kind_name(sr)
                          : tri_is_null(sr)      ? "nothing"
                          : !sr->str[0]          ? "an empty text"
                          : is_num(sr, &num)     ? "a number"
                                                 : NULL;
        if (got)
            return tri_node_fail(TR_E_INVAL, sr, sub, "expected what was looked for, where and when (a text), got %s",
                                 got);
        tri_buf_printf(srch, "%s%s", srch->len ? "; " : "", sr->str);
    }
    tri_buf_printf(ass, "%s%s", ass->len ? "; " : "", a->str);
    (*nass)++;
    *lo = fmin(*lo, l);
    *hi = fmax(*hi, h);
    return TR_OK;
}

/* a source value (scalar, assumption map or list of them) -> @cv */
static tr_status parse_form(pctx *c, const tri_node *n, const char *path, cover *cv)
{
    tri_buf keys = {0}, ass = {0}, srch = {0};
    int nass = 0, nfree = 0;
    double lo = HUGE_VAL, hi = -HUGE_VAL;
    tr_status st = TR_OK;
    if (n->kind == TRI_SEQ) {
        if (n->n == 0 && c->declared)
            st = bad_form(n, path, "an empty list");
        for (size_t i = 0; st == TR_OK && i < n->n; i++)
            st = one_form(c, n->vals[i], path, &keys, &ass, &srch, &nass, &nfree, &lo, &hi);
    } else {
        st = one_form(c, n, path, &keys, &ass, &srch, &nass, &nfree, &lo, &hi);
    }
    if (st == TR_OK && (keys.failed || ass.failed || srch.failed))
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
    memset(cv, 0, sizeof *cv);
    cv->kind = nass ? TRI_EV_ASSUMPTION : keys.len ? TRI_EV_SOURCED : nfree ? TRI_EV_FREE : TRI_EV_NEITHER;
    cv->lo = nass ? lo : NAN;
    cv->hi = nass ? hi : NAN;
    if (st == TR_OK && c->out) {
        char *k = keys.len ? tri_buf_take(&keys) : tri_strdup("");
        char *a = ass.len ? tri_buf_take(&ass) : tri_strdup("");
        char *sr = srch.len ? tri_buf_take(&srch) : tri_strdup("");
        keys.s = ass.s = srch.s = NULL;
        cv->keys = keep(c->out, k);
        cv->assumption = keep(c->out, a);
        cv->searched = keep(c->out, sr);
        if (!cv->keys || !cv->assumption || !cv->searched)
            st = TR_FAIL(TR_E_NOMEM, "out of memory");
    }
    tri_free(keys.s);
    tri_free(ass.s);
    tri_free(srch.s);
    return st;
}

/* ------------------------------------------------------------ the walk */

#define MAX_DEPTH 64

typedef struct item {
    size_t plen;           /* length of the item's path (its numbers' paths continue after a '.') */
    int has_source;
    cover source;
    size_t ns;
    const char **spath;    /* sources paths */
    cover *scov;
} item;

typedef struct walk {
    pctx *c;
    item st[MAX_DEPTH];
    int n;
    char path[PATH_MAX_P * 2];
} walk;

static void item_free(item *it)
{
    tri_free(it->spath);
    tri_free(it->scov);
    it->spath = NULL;
    it->scov = NULL;
}

/* does @rel (a path inside the item) lie under the sources path @sp? */
static size_t under(const char *rel, const char *sp)
{
    size_t l = strlen(sp);
    if (strncmp(rel, sp, l) == 0 && (rel[l] == '\0' || rel[l] == '.'))
        return l + 1;
    return 0;
}

/* the top level's `source:` covers its own fields (discount_rate, horizon,
 * demand, floors, ...), not the items of these sections: an item without
 * a source stays "neither" rather than inheriting an unrelated reason */
static int in_item_section(const char *path)
{
    static const char *const sec[] = {"species", "carriers", "plants", "technologies", "policies", "products",
                                      "indicators", "imports", NULL};
    for (const char *const *s = sec; *s; s++)
        if (under(path, *s))
            return 1;
    return 0;
}

static const cover *covered(const walk *w, const char *path)
{
    for (int i = w->n - 1; i >= 0; i--) {
        const item *it = &w->st[i];
        const char *rel = it->plen ? path + it->plen + 1 : path;
        if (it->plen && strlen(path) <= it->plen)
            continue;
        size_t best = 0;
        const cover *bc = NULL;
        for (size_t j = 0; j < it->ns; j++) {
            size_t m = under(rel, it->spath[j]);
            if (m > best) {
                best = m;
                bc = &it->scov[j];
            }
        }
        if (bc)
            return bc;
        if (it->has_source && !(it->plen == 0 && in_item_section(path)))
            return &it->source;
    }
    return NULL;
}

/* does @sp name a field of @m? */
static int names_field(const tri_node *m, const char *sp)
{
    char buf[PATH_MAX_P];
    snprintf(buf, sizeof buf, "%s", sp);
    const tri_node *cur = m;
    char *seg = buf;
    for (;;) {
        char *dot = strchr(seg, '.');
        if (dot)
            *dot = '\0';
        if (!seg[0] || !cur)
            return 0;
        if (!strcmp(seg, "source") || !strcmp(seg, "sources") || !strcmp(seg, "notes"))
            return 0;
        /* a year below a series field (`price.2030`) still names that field
         * when the series has been edited into a constant or lost that year
         * (Scenario.set): the entry then covers no number (docs/MODEL.md) */
        if (cur != m && !dot && strspn(seg, "0123456789") == strlen(seg) &&
            (cur->kind == TRI_SCALAR || (cur->kind == TRI_MAP && !tri_map_get(cur, seg))))
            return 1;
        cur = tri_node_step(cur, seg);
        if (!cur)
            return 0;
        if (!dot)
            return 1;
        seg = dot + 1;
    }
}

static tr_status push_item(walk *w, const tri_node *m)
{
    item *it = &w->st[w->n];
    memset(it, 0, sizeof *it);
    it->plen = strlen(w->path);
    const char *ipath = w->path;
    char sub[PATH_MAX_P];
    tr_status st = TR_OK;
    const tri_node *src = tri_map_get(m, "source");
    if (src && !tri_is_null(src)) {
        snprintf(sub, sizeof sub, "%s%ssource", ipath, ipath[0] ? "." : "");
        st = parse_form(w->c, src, sub, &it->source);
        it->has_source = 1;
    }
    const tri_node *ss = tri_map_get(m, "sources");
    if (st == TR_OK && ss && !tri_is_null(ss)) {
        snprintf(sub, sizeof sub, "%s%ssources", ipath, ipath[0] ? "." : "");
        if (ss->kind != TRI_MAP) {
            st = tri_node_fail(TR_E_INVAL, ss, sub,
                               "expected a map {field path: citation key, list of keys or assumption}, got %s",
                               tri_kind_name(ss));
        } else {
            it->spath = tri_calloc(ss->n + 1, sizeof *it->spath);
            it->scov = tri_calloc(ss->n + 1, sizeof *it->scov);
            if (!it->spath || !it->scov)
                st = TR_FAIL(TR_E_NOMEM, "out of memory");
            for (size_t i = 0; st == TR_OK && i < ss->n; i++) {
                const char *k = ss->keys[i]->str;
                char kp[PATH_MAX_P];
                snprintf(kp, sizeof kp, "%s.%.200s", sub, k);
                if (!names_field(m, k)) {
                    tri_buf fl = {0};
                    for (size_t j = 0; j < m->n && fl.len < 200; j++) {
                        const char *f = m->keys[j]->str;
                        if (strcmp(f, "source") && strcmp(f, "sources") && strcmp(f, "notes"))
                            tri_buf_printf(&fl, "%s%s", fl.len ? ", " : "", f);
                    }
                    st = tri_node_fail(TR_E_INVAL, ss->keys[i], kp,
                                       "names no field of %s; expected the path of one of its fields "
                                       "(%s), e.g. price or emission_factors.CO2",
                                       ipath[0] ? ipath : "the top level", fl.s ? fl.s : "none");
                    tri_free(fl.s);
                    break;
                }
                it->spath[i] = k;
                st = parse_form(w->c, ss->vals[i], kp, &it->scov[i]);
                it->ns = i + 1;
            }
        }
    }
    if (st != TR_OK) {
        item_free(it);
        return st;
    }
    w->n++;
    return TR_OK;
}

static tr_status add_num(walk *w, const tri_node *n, double v)
{
    tri_evlist *l = w->c->out;
    if (l->n == l->cap) {
        size_t nc = l->cap ? 2 * l->cap : 256;
        tri_evnum *nn = tri_realloc(l->num, nc * sizeof *nn);
        if (!nn)
            return TR_FAIL(TR_E_NOMEM, "out of memory");
        l->num = nn;
        l->cap = nc;
    }
    const cover *cv = covered(w, w->path);
    tri_evnum *e = &l->num[l->n];
    e->file = n->file;
    e->line = n->line;
    e->col = n->col;
    e->value = v;
    e->path = keep(l, tri_strdup(w->path));
    if (!e->path)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    e->kind = cv ? cv->kind : TRI_EV_NEITHER;
    e->keys = cv ? cv->keys : "";
    e->assumption = cv ? cv->assumption : "";
    e->searched = cv ? cv->searched : "";
    e->lo = cv ? cv->lo : NAN;
    e->hi = cv ? cv->hi : NAN;
    l->n++;
    return TR_OK;
}

static int skipped_key(int depth, const char *k)
{
    if (!strcmp(k, "source") || !strcmp(k, "sources") || !strcmp(k, "notes"))
        return 1;
    return depth == 0 && (!strcmp(k, "references") || !strcmp(k, "format") || !strcmp(k, "extends"));
}

static tr_status walk_node(walk *w, const tri_node *n, int depth)
{
    double v;
    if (n->kind == TRI_SCALAR) {
        if (w->c->out && is_num(n, &v))
            return add_num(w, n, v);
        return TR_OK;
    }
    if (depth >= MAX_DEPTH - 1)
        return TR_OK;
    int pushed = 0;
    tr_status st = TR_OK;
    if (n->kind == TRI_MAP && (tri_map_get(n, "source") || tri_map_get(n, "sources"))) {
        if (w->n >= MAX_DEPTH)
            return TR_FAIL(TR_E_INVAL, "%s: nested too deeply", w->path);
        if ((st = push_item(w, n)) != TR_OK)
            return st;
        pushed = 1;
    }
    size_t plen = strlen(w->path);
    for (size_t i = 0; st == TR_OK && i < n->n; i++) {
        char seg[32];
        const char *k = n->kind == TRI_MAP ? n->keys[i]->str : seg;
        if (n->kind == TRI_SEQ)
            snprintf(seg, sizeof seg, "%zu", i);
        else if (skipped_key(depth, k))
            continue;
        if (n->kind == TRI_MAP && !strcmp(k, "illustrative")) {
            int pol = depth == 2 && !strncmp(w->path, "policies.", 9);
            const tri_node *b = n->vals[i];
            if (!pol || b->kind != TRI_SCALAR || !b->plain ||
                (strcmp(b->str, "true") && strcmp(b->str, "false"))) {
                char sub[PATH_MAX_P];
                snprintf(sub, sizeof sub, "%s.illustrative", w->path);
                st = pol ? tri_node_fail(TR_E_INVAL, b, sub, "expected true or false, got %s", tri_kind_name(b))
                         : tri_node_fail(TR_E_INVAL, n->keys[i], sub,
                                         "only a policy may be marked illustrative; expected it under policies");
            }
            continue;
        }
        const tri_node *v = n->vals[i];
        if (v->kind == TRI_SCALAR && !w->c->out)
            continue;   /* checking only: scalars say nothing about coverage */
        size_t lk = strlen(k), at = plen;
        if (plen + lk + 2 >= sizeof w->path)
            continue;
        if (plen)
            w->path[at++] = '.';
        memcpy(w->path + at, k, lk + 1);
        st = walk_node(w, v, depth + 1);
        w->path[plen] = '\0';
    }
    if (pushed)
        item_free(&w->st[--w->n]);
    return st;
}

static tr_status run_walk(const tri_node *doc, pctx *c)
{
    walk *w = tri_calloc(1, sizeof *w);
    if (!w)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    w->c = c;
    tr_status st = walk_node(w, doc, 0);
    while (w->n > 0)
        item_free(&w->st[--w->n]);
    tri_free(w);
    return st;
}

/* ------------------------------------------------------------ compile */

static tr_status check_entry(const tri_node *k, const tri_node *e)
{
    char path[PATH_MAX_P];
    snprintf(path, sizeof path, "references.%.200s", k->str);
    if (e->kind != TRI_MAP) {
        return tri_node_fail_got(TR_E_INVAL, e, path, "expected a map {title, year, address, accessed, figure, ...}");
    }
    for (size_t i = 0; i < e->n; i++) {
        int ok = 0;
        for (const char *const *a = ENTRY_KEYS; *a && !ok; a++)
            ok = !strcmp(*a, e->keys[i]->str);
        if (!ok) {
            char sub[PATH_MAX_P + 110];
            snprintf(sub, sizeof sub, "%s.%.100s", path, e->keys[i]->str);
            char *r = tri_scalar_repr(e->keys[i]);
            tr_status st = tri_node_fail(TR_E_INVAL, e->keys[i], sub,
                                         "unknown key %s; expected one of: author, title, year, address, "
                                         "accessed, figure, used_in, notes", r ? r : "?");
            tri_free(r);
            return st;
        }
        if (e->vals[i]->kind != TRI_SCALAR || tri_is_null(e->vals[i]) || !e->vals[i]->str[0]) {
            char sub[PATH_MAX_P + 110];
            snprintf(sub, sizeof sub, "%s.%.100s", path, e->keys[i]->str);
            return tri_node_fail(TR_E_INVAL, e->vals[i], sub, "expected a text, got %s",
                                 tri_is_null(e->vals[i]) ? "nothing" : tri_kind_name(e->vals[i]));
        }
    }
    static const char *const what[] = {"the title of the work", "the year of publication",
                                       "the address (a URL, or print for a printed work)",
                                       "the date the address was read (YYYY-MM-DD)",
                                       "the quoted figure(s) used"};
    for (size_t i = 0; ENTRY_REQUIRED[i]; i++)
        if (!tri_map_get(e, ENTRY_REQUIRED[i])) {
            char sub[PATH_MAX_P + 16];
            snprintf(sub, sizeof sub, "%s.%s", path, ENTRY_REQUIRED[i]);
            return tri_node_fail(TR_E_INVAL, e, sub, "required field is missing; expected %s", what[i]);
        }
    const tri_node *y = tri_map_get(e, "year"), *a = tri_map_get(e, "address"), *d = tri_map_get(e, "accessed");
    char *end;
    long yv = strtol(y->str, &end, 10);
    if (*end || yv < 1000 || yv > 9999) {
        char sub[PATH_MAX_P + 16];
        snprintf(sub, sizeof sub, "%s.year", path);
        return tri_node_fail(TR_E_INVAL, y, sub, "expected a year (1000..9999), got \"%.40s\"", y->str);
    }
    if (strncmp(a->str, "https://", 8) && strncmp(a->str, "http://", 7) && strcmp(a->str, "print")) {
        char sub[PATH_MAX_P + 16];
        snprintf(sub, sizeof sub, "%s.address", path);
        return tri_node_fail(TR_E_INVAL, a, sub,
                             "expected a public address (http:// or https://) or print, got \"%.80s\"", a->str);
    }
    int dy, dm, dd, nch = 0;
    if (sscanf(d->str, "%4d-%2d-%2d%n", &dy, &dm, &dd, &nch) != 3 || nch != 10 || d->str[10] || dm < 1 || dm > 12 ||
        dd < 1 || dd > 31) {
        char sub[PATH_MAX_P + 16];
        snprintf(sub, sizeof sub, "%s.accessed", path);
        return tri_node_fail(TR_E_INVAL, d, sub, "expected a date YYYY-MM-DD, got \"%.40s\"", d->str);
    }
    return TR_OK;
}

static char *ref_files(const tri_node *refs)
{
    tri_buf b = {0};
    for (size_t i = 0; refs && i < refs->n; i++) {
        const char *f = refs->keys[i]->file;
        if (!f)
            continue;
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = refs->keys[j]->file && !strcmp(refs->keys[j]->file, f);
        if (!seen)
            tri_buf_printf(&b, "%s%s", b.len ? " or " : "", f);
    }
    if (!b.len)
        tri_buf_puts(&b, "the references files (none defines a key)");
    return tri_buf_take(&b);
}

tr_status tri_prov_compile(const tri_node *doc, tri_scen *s)
{
    tri_prov *p = tri_calloc(1, sizeof *p);
    if (!p)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    s->prov = p;
    p->illus = tri_calloc(s->N + 1, 1);
    if (!p->illus)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    const tri_node *refs = tri_map_get(doc, "references");
    tr_status st = TR_OK;
    if (refs) {
        p->declared = 1;
        if (refs->kind != TRI_MAP)   /* resolve.c loads the files into a map */
            return tri_node_fail(TR_E_INVAL, refs, "references",
                                 "expected the references files loaded from a scenario file, got %s",
                                 tri_kind_name(refs));
        p->ref = tri_calloc(refs->n + 1, sizeof *p->ref);
        if (!p->ref)
            return TR_FAIL(TR_E_NOMEM, "out of memory");
        for (size_t i = 0; i < refs->n; i++) {
            if ((st = check_entry(refs->keys[i], refs->vals[i])) != TR_OK)
                return st;
            tri_ref *r = &p->ref[p->nref++];
            r->key = tri_strdup(refs->keys[i]->str);
            r->title = tri_strdup(tri_map_get(refs->vals[i], "title")->str);
            r->address = tri_strdup(tri_map_get(refs->vals[i], "address")->str);
            r->figure = tri_strdup(tri_map_get(refs->vals[i], "figure")->str);
            if (!r->key || !r->title || !r->address || !r->figure)
                return TR_FAIL(TR_E_NOMEM, "out of memory");
        }
    }
    char *files = ref_files(refs);
    if (!files)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    pctx c = {.prov = p, .declared = p->declared, .refs = refs, .reffiles = files};
    st = run_walk(doc, &c);
    tri_free(files);
    if (st != TR_OK)
        return st;
    const tri_node *pols = tri_map_get(doc, "policies");
    for (size_t i = 0; pols && pols->kind == TRI_MAP && i < pols->n && i < s->N; i++) {
        const tri_node *b = tri_map_get(pols->vals[i], "illustrative");
        if (b && !strcmp(b->str, "true")) {
            for (size_t k = 0; k < s->N; k++)
                if (!strcmp(s->pol[k].id, pols->keys[i]->str))
                    p->illus[k] = 1;
        }
    }
    return TR_OK;
}

void tri_prov_free(tri_prov *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->nref; i++) {
        tri_free(p->ref[i].key);
        tri_free(p->ref[i].title);
        tri_free(p->ref[i].address);
        tri_free(p->ref[i].figure);
    }
    tri_free(p->ref);
    tri_free(p->illus);
    tri_free(p);
}

int tri_prov_illustrative(const tri_scen *s, size_t policy)
{
    return s && s->prov && s->prov->illus && policy < s->N && s->prov->illus[policy];
}

tr_status tri_prov_collect(const tri_node *doc, tri_evlist *out)
{
    memset(out, 0, sizeof *out);
    const tri_node *refs = tri_map_get(doc, "references");
    pctx c = {.declared = refs != NULL, .refs = refs, .out = out, .reffiles = "the references files"};
    tr_status st = run_walk(doc, &c);
    if (st != TR_OK)
        tri_evlist_free(out);
    return st;
}

void tri_evlist_free(tri_evlist *l)
{
    tri_free_strv(l->str, l->nstr);
    tri_free(l->num);
    memset(l, 0, sizeof *l);
}

const char *tri_ev_kind_name(tri_ev_kind k)
{
    static const char *const names[] = {"sourced", "assumption", "free text", "neither"};
    return k < TRI_EV__COUNT ? names[k] : "?";
}
