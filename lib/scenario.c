/* The tr_scenario handle: effective document + compiled form. Edits work on
 * the document and recompile, so a failing edit leaves the scenario as it
 * was. */
#include <string.h>

#include <nettle/sha2.h>

#include "defaults.h"
#include "tr_internal.h"
#include "tr_series.h"   /* tri_is_null */

void tri_sha256_hex(const char *data, size_t len, char out[65])
{
    struct sha256_ctx ctx;
    uint8_t dig[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, len, (const uint8_t *)data);
    sha256_digest(&ctx, sizeof dig, dig);
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < SHA256_DIGEST_SIZE; i++) {
        out[2 * i] = hex[dig[i] >> 4];
        out[2 * i + 1] = hex[dig[i] & 15];
    }
    out[64] = '\0';
}

static tr_status finish(tr_scenario *sc)
{
    tri_scen *compiled = NULL;
    tr_status st = tri_compile(sc->doc, &compiled);
    if (st != TR_OK)
        return st;
    char *y = NULL;
    st = tri_emit_yaml(sc->doc, &y);
    if (st != TR_OK) {
        tri_scen_free(compiled);
        return st;
    }
    tri_sha256_hex(y, strlen(y), sc->sha);
    tri_free(y);
    tri_scen_free(sc->scen);
    sc->scen = compiled;
    return TR_OK;
}

/* A check failed at a value of a file that another one extends, in a map
 * that the other file merged onto: the message named only the (valid) base
 * file. Say where the merge is. Two cases, found from the failure's field
 * path and the file of each node (a merge keeps the base's map and keys and
 * moves the extending file's values in):
 * - the field is a null of the extending file (`plants: ~` removes the
 *   base's plants): the failure is put at that null;
 * - the map that holds the failing field (or misses it) has values of the
 *   extending file (a policy retyped: the base's other keys stay): the
 *   failure is put at the first such value, and names the base's place.
 * Other failures are left as they are. Returns @st. */
static tr_status name_the_merge(const tri_node *doc, tr_status st)
{
    tr_error_location loc = tr_last_error_location();
    if (!loc.file || loc.line <= 0 || !loc.field)
        return st;
    char file[1024], field[1024], msg[4096], prefix[2200];
    snprintf(file, sizeof file, "%s", loc.file);
    snprintf(field, sizeof field, "%s", loc.field);
    int line = loc.line, col = loc.column;
    if (col > 0)
        snprintf(prefix, sizeof prefix, "%s:%d:%d: %s: ", file, line, col, field);
    else
        snprintf(prefix, sizeof prefix, "%s:%d: %s: ", file, line, field);
    const char *m = tr_last_error();
    size_t pl = strlen(prefix);
    if (strncmp(m, prefix, pl) != 0)
        return st;
    snprintf(msg, sizeof msg, "%s", m + pl);

    /* the nodes on the field's path, as far as they are maps */
    const tri_node *parent = NULL, *cur = doc;
    char path[1024];
    snprintf(path, sizeof path, "%s", field);
    int whole = 1;
    for (char *seg = path, *next; seg; seg = next) {
        next = strchr(seg, '.');
        if (next)
            *next++ = '\0';
        const tri_node *n = cur->kind == TRI_MAP && !strchr(seg, '[') ? tri_map_get(cur, seg) : NULL;
        if (!n) {
            whole = 0;
            break;
        }
        parent = cur;
        cur = n;
    }
    const tri_node *map = whole ? parent : cur;
    if (!map || map->kind != TRI_MAP || !map->file || strcmp(map->file, file) != 0)
        return st;
    const char *how = strlen(file) > 4 && !strcmp(file + strlen(file) - 4, ".csv")
                          ? "the items given beside its `csv:`"
                          : "`extends`";
    if (whole && tri_is_null(cur) && cur->file && strcmp(cur->file, file) != 0)
        return tri_node_fail(st, cur, field, "%s (this null, merged onto %s:%d:%d by %s, removes the value there)",
                             msg, file, line, col, how);
    for (size_t i = 0; i < map->n; i++) {
        const tri_node *x = map->vals[i]->file && strcmp(map->vals[i]->file, file) != 0 ? map->vals[i]
                            : map->keys[i]->file && strcmp(map->keys[i]->file, file) != 0 ? map->keys[i]
                                                                                            : NULL;
        if (x && x->line > 0)
            return tri_node_fail(st, x, field,
                                 "%s (at %s:%d:%d, in a map of %s that %s merges onto by %s: the merge keeps "
                                 "what %s does not replace)",
                                 msg, file, line, col, file, x->file, how, x->file);
    }
    return st;
}

static void scen_free(tr_scenario *sc)
{
    if (!sc)
        return;
    tri_node_free(sc->doc);
    tri_scen_free(sc->scen);
    tri_pool_free(&sc->pool);
    tri_free(sc->path);
    tri_free(sc);
}

void tr_scenario_free(tr_scenario *sc) { scen_free(sc); }

/* an empty scenario read from @path (a copy is kept for messages); NULL on OOM */
static tr_scenario *scen_new(const char *path)
{
    tr_scenario *sc = tri_calloc(1, sizeof *sc);
    if (sc && !(sc->path = tri_strdup(path))) {
        tri_free(sc);
        return NULL;
    }
    return sc;
}

/* The end of loading @sc from a file or a text: compile the document that
 * resolving (which returned @st) left in @sc, the failure told in the words
 * of the file that merged the wrong value; @sc into *@out, or freed. */
static tr_status finish_load(tr_scenario *sc, tr_status st, tr_scenario **out)
{
    if (st == TR_OK && (st = finish(sc)) != TR_OK && st != TR_E_NOMEM)
        st = name_the_merge(sc->doc, st);
    if (st != TR_OK) {
        scen_free(sc);
        return st;
    }
    *out = sc;
    return TR_OK;
}

tr_status tr_scenario_load(const char *path, tr_scenario **out)
{
    tr_library_init();
    if (!out)
        return TR_FAIL(TR_E_INVAL, "tr_scenario_load: out is NULL");
    *out = NULL;
    if (!path || !*path)
        return TR_FAIL(TR_E_INVAL, "tr_scenario_load: expected a file name, got %s", path ? "\"\"" : "NULL");
    tr_scenario *sc = scen_new(path);
    if (!sc)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    return finish_load(sc, tri_resolve_file(path, &sc->pool, &sc->doc), out);
}

tr_status tr_scenario_loads(const char *text, const char *base_dir, const char *label, tr_scenario **out)
{
    tr_library_init();
    if (!out)
        return TR_FAIL(TR_E_INVAL, "tr_scenario_loads: out is NULL");
    *out = NULL;
    if (!text)
        return TR_FAIL(TR_E_INVAL, "tr_scenario_loads: text is NULL");
    tr_scenario *sc = scen_new(label ? label : "<string>");
    if (!sc)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    return finish_load(sc, tri_resolve_text(text, base_dir, label, &sc->pool, &sc->doc), out);
}

tr_status tr_scenario_copy(const tr_scenario *sc, tr_scenario **out)
{
    if (!out)
        return TR_FAIL(TR_E_INVAL, "tr_scenario_copy: out is NULL");
    *out = NULL;
    if (!sc)
        return TR_FAIL(TR_E_INVAL, "tr_scenario_copy: scenario is NULL");
    tr_scenario *c = scen_new(sc->path);
    if (!c)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    tr_status st = (c->doc = tri_node_copy_into(sc->doc, &c->pool)) ? finish(c) : TR_FAIL(TR_E_NOMEM, "out of memory");
    if (st != TR_OK) {
        scen_free(c);
        return st;
    }
    *out = c;
    return TR_OK;
}

/* Walk a dotted path; with @create, make missing maps. Returns the map that
 * holds the last segment in *parent and the last segment in *last. */
static tr_status walk(tri_node *doc, const char *path, int create, tri_pool *pool, tri_node **parent,
                      char **last)
{
    *parent = NULL;
    *last = NULL;
    if (!path || !*path)
        return TR_FAIL(TR_E_INVAL, "expected a dotted path such as carriers.electricity.price, got \"\"");
    char *p = tri_strdup(path);
    if (!p)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    tri_node *cur = doc;
    char *seg = p;
    for (;;) {
        char *dot = strchr(seg, '.');
        if (!dot)
            break;
        *dot = '\0';
        if (!*seg) {
            tri_free(p);
            return TR_FAIL(TR_E_INVAL, "%s: empty segment in the path", path);
        }
        tri_node *next = tri_map_get(cur, seg);
        if (!next) {
            if (!create) {
                tr_status st = tri_fail_at(TR_E_NOTFOUND, NULL, 0, 0, path, "no key \"%s\" in the scenario", seg);
                tri_free(p);
                return st;
            }
            const char *f = tri_pool_add(pool, "<set>");
            tri_node *k = f ? tri_node_new(TRI_SCALAR, f, 0, 0) : NULL;
            next = f ? tri_node_new(TRI_MAP, f, 0, 0) : NULL;
            if (!k || !next || !(k->str = tri_strdup(seg))) {
                tri_node_free(k);
                tri_node_free(next);
                tri_free(p);
                return TR_FAIL(TR_E_NOMEM, "out of memory");
            }
            k->plain = 1;
            if (tri_map_put(cur, k, next) != TR_OK) {
                tri_free(p);
                return TR_E_NOMEM;
            }
        }
        if (next->kind != TRI_MAP) {
            tr_status st = tri_fail_at(TR_E_INVAL, NULL, 0, 0, path, "\"%s\" is %s, not a map", seg, tri_kind_name(next));
            tri_free(p);
            return st;
        }
        cur = next;
        seg = dot + 1;
    }
    if (!*seg) {
        tri_free(p);
        return TR_FAIL(TR_E_INVAL, "%s: empty segment in the path", path);
    }
    *last = tri_strdup(seg);
    tri_free(p);
    if (!*last)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    *parent = cur;
    return TR_OK;
}

/* Apply @edit to a copy of the document; keep it only if it compiles. */
static tr_status edit(tr_scenario *sc, const char *path, const char *yaml)
{
    /* the document is already resolved: `extends` and CSV tables are read
     * when a file is loaded, not by an edit */
    if (path && (strcmp(path, "extends") == 0 || (strlen(path) >= 4 && strcmp(path + strlen(path) - 4, ".csv") == 0) ||
                 ((!strcmp(path, "plants") || !strcmp(path, "technologies")) && yaml && strstr(yaml, "csv"))))
        return tri_fail_at(TR_E_INVAL, NULL, 0, 0, path,
                           "`extends` and `{csv: file}` are resolved when a file is loaded; expected an edit of the "
                           "effective scenario (load the file instead)");
    tri_node *doc = tri_node_copy(sc->doc);
    if (!doc)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    tri_node *parent;
    char *last;
    tr_status st = walk(doc, path, yaml != NULL, &sc->pool, &parent, &last);
    if (st == TR_OK) {
        long at = tri_map_index(parent, last);
        if (!yaml) {
            if (at < 0)
                st = tri_fail_at(TR_E_NOTFOUND, NULL, 0, 0, path, "no such key in the scenario");
            else
                tri_map_remove_at(parent, (size_t)at);
        } else {
            tri_node *val = NULL;
            char label[300];
            snprintf(label, sizeof label, "<set %.200s>", path);
            st = tri_parse_yaml(yaml, strlen(yaml), label, &sc->pool, &val);
            if (st == TR_OK && at >= 0) {
                tri_map_set_at(parent, at, val);
            } else if (st == TR_OK) {
                tri_node *k = tri_node_new(TRI_SCALAR, val->file, 0, 0);
                if (!k || !(k->str = tri_strdup(last))) {
                    tri_node_free(k);
                    tri_node_free(val);
                    st = TR_FAIL(TR_E_NOMEM, "out of memory");
                } else {
                    k->plain = 1;
                    st = tri_map_put(parent, k, val);
                }
            }
        }
        tri_free(last);
    }
    if (st != TR_OK) {
        tri_node_free(doc);
        return st;
    }
    tri_node *old = sc->doc;
    sc->doc = doc;
    st = finish(sc);
    if (st != TR_OK) {
        sc->doc = old;
        tri_node_free(doc);
        return st;
    }
    tri_node_free(old);
    return TR_OK;
}

tr_status tr_scenario_set(tr_scenario *sc, const char *path, const char *yaml)
{
    if (!sc || !yaml)
        return TR_FAIL(TR_E_INVAL, "tr_scenario_set: scenario and value must not be NULL");
    return edit(sc, path, yaml);
}

tr_status tr_scenario_remove(tr_scenario *sc, const char *path)
{
    if (!sc)
        return TR_FAIL(TR_E_INVAL, "tr_scenario_remove: scenario is NULL");
    return edit(sc, path, NULL);
}

tr_status tr_scenario_get(const tr_scenario *sc, const char *path, char **out)
{
    if (!out)
        return TR_FAIL(TR_E_INVAL, "tr_scenario_get: out is NULL");
    *out = NULL;
    if (!sc)
        return TR_FAIL(TR_E_INVAL, "tr_scenario_get: scenario is NULL");
    tri_node *parent;
    char *last;
    tr_status st = walk(sc->doc, path, 0, NULL, &parent, &last);
    if (st != TR_OK)
        return st;
    tri_node *v = tri_map_get(parent, last);
    tri_free(last);
    if (!v)
        return tri_fail_at(TR_E_NOTFOUND, NULL, 0, 0, path, "no such key in the scenario");
    return tri_emit_yaml(v, out);
}

tr_status tr_scenario_value(const tr_scenario *sc, const char *path, int year, double *out)
{
    if (!sc || !out)
        return TR_FAIL(TR_E_INVAL, "tr_scenario_value: NULL argument");
    if (year < 1 || year > 9999)
        return TR_FAIL(TR_E_INVAL, "tr_scenario_value: expected a year 1..9999, got %d", year);
    tri_node *parent;
    char *last;
    tr_status st = walk(sc->doc, path, 0, NULL, &parent, &last);
    if (st == TR_E_NOTFOUND && tri_default_value(sc->scen, path, year, out) == TR_OK)
        return TR_OK;   /* a map left out (technologies.k.existing): its fields' defaults */
    if (st != TR_OK)
        return st;
    tri_node *v = tri_map_get(parent, last);
    tri_free(last);
    if (!v && tri_default_value(sc->scen, path, year, out) == TR_OK)   /* a field left at its default */
        return TR_OK;
    if (!v)
        return tri_fail_at(TR_E_NOTFOUND, NULL, 0, 0, path, "no such key in the scenario");
    return tri_series_eval(v, path, year, year, out, NULL);
}

tr_status tr_scenario_to_yaml(const tr_scenario *sc, char **out)
{
    if (!out)
        return TR_FAIL(TR_E_INVAL, "tr_scenario_to_yaml: out is NULL");
    *out = NULL;
    if (!sc)
        return TR_FAIL(TR_E_INVAL, "tr_scenario_to_yaml: scenario is NULL");
    return tri_emit_yaml(sc->doc, out);
}

const char *tr_scenario_sha256(const tr_scenario *sc) { return sc ? sc->sha : ""; }
const char *tr_scenario_name(const tr_scenario *sc) { return sc ? sc->scen->name : ""; }
const char *tr_scenario_path(const tr_scenario *sc) { return sc ? sc->path : ""; }
int tr_scenario_start_year(const tr_scenario *sc) { return sc ? sc->scen->start : 0; }
int tr_scenario_end_year(const tr_scenario *sc) { return sc ? sc->scen->end : 0; }
size_t tr_scenario_year_count(const tr_scenario *sc) { return sc ? sc->scen->Y : 0; }

size_t tr_scenario_count(const tr_scenario *sc, tr_item_kind kind)
{
    if (!sc)
        return 0;
    const tri_scen *s = sc->scen;
    switch (kind) {
    case TR_ITEM_PLANT: return s->P;
    case TR_ITEM_TECHNOLOGY: return s->K;
    case TR_ITEM_CARRIER: return s->C;
    case TR_ITEM_SPECIES: return s->S;
    case TR_ITEM_POLICY: return s->N;
    case TR_ITEM_GROUP: return s->G;
    case TR_ITEM_PRODUCT: return 1;
    default: return 0;
    }
}

const char *tr_scenario_id(const tr_scenario *sc, tr_item_kind kind, size_t i)
{
    if (!sc || i >= tr_scenario_count(sc, kind))
        return NULL;
    const tri_scen *s = sc->scen;
    switch (kind) {
    case TR_ITEM_PLANT: return s->pl[i].id;
    case TR_ITEM_TECHNOLOGY: return s->tech[i].id;
    case TR_ITEM_CARRIER: return s->car[i].id;
    case TR_ITEM_SPECIES: return s->spe[i].id;
    case TR_ITEM_POLICY: return s->pol[i].id;
    case TR_ITEM_GROUP: return s->group[i];
    case TR_ITEM_PRODUCT: return "main";
    default: return NULL;
    }
}
