/* parse: YAML text -> document tree with file:line:col on every node.
 * The only file that includes yaml.h. Aliases are expanded into copies under
 * a node budget and a byte budget (so "billion laughs" documents, and one
 * large scalar aliased many times, fail instead of exhausting memory),
 * nesting depth is bounded, duplicate keys are errors, YAML 1.1 merge keys
 * (`<<: *defaults`) are honoured, tags the format does not define are
 * errors, the text must be UTF-8 (a byte-order mark is skipped). */
#include <string.h>
#include <yaml.h>

#include "tr_internal.h"

#define TRI_MAX_DEPTH 64
#define TRI_MAX_NODES 2000000L
#define TRI_MAX_ALIAS_NODES 200000L   /* nodes that aliases and merge keys may add */
/* bytes of text that aliases and merge keys may add (docs/DECISIONS.md):
 * the node budget alone let one 1 MB scalar aliased 2,000 times take 4 GB */
#define TRI_MAX_ALIAS_BYTES (16L * 1024 * 1024)

typedef struct anchor {
    char *name;
    tri_node *node;
} anchor;

typedef struct frame {
    tri_node *node;
    tri_node *key;        /* MAP: key waiting for its value */
    const char *anchor;   /* anchor name to register when the node completes */
    tri_hset keys;        /* MAP: keys seen, once the map is large */
} frame;

typedef struct pstate {
    const char *file;
    frame st[TRI_MAX_DEPTH + 1];
    int depth;
    anchor *anchors;
    size_t nanch, capanch;
    long budget, alias_budget, alias_bytes;   /* alias_bytes: what aliases may still add */
    tri_node *root;
} pstate;

/* Nodes of @n (up to about @limit) and, into *@bytes, the bytes of its
 * scalars' text (keys too), up to about @blimit. */
static long count_nodes(const tri_node *n, long limit, long *bytes, long blimit)
{
    long c = 1;
    if (n->kind == TRI_SCALAR)
        *bytes += (long)strlen(n->str) + 1;
    for (size_t i = 0; i < n->n && c <= limit && *bytes <= blimit; i++) {
        c += count_nodes(n->vals[i], limit, bytes, blimit);
        if (n->keys) {
            c++;
            *bytes += (long)strlen(n->keys[i]->str) + 1;
        }
    }
    return c;
}

/* Spend the budgets on a copy of @n; nonzero when one of them is exhausted. */
static int spend(pstate *ps, const tri_node *n)
{
    long bytes = 0;
    long size = count_nodes(n, ps->alias_budget + 1, &bytes, ps->alias_bytes + 1);
    ps->budget -= size;
    ps->alias_budget -= size;
    ps->alias_bytes -= bytes;
    return ps->budget < 0 || ps->alias_budget < 0 || ps->alias_bytes < 0;
}

/* "more than 200000 nodes" or "more than 16 MiB of text" */
static const char *spent_what(const pstate *ps, char *buf, size_t n)
{
    if (ps->alias_bytes < 0)
        snprintf(buf, n, "%ld MiB of text", TRI_MAX_ALIAS_BYTES / (1024 * 1024));
    else
        snprintf(buf, n, "%ld nodes", TRI_MAX_ALIAS_NODES);
    return buf;
}

static tr_status fail_at(pstate *ps, const yaml_mark_t *m, tr_status code, const char *what)
{
    return tri_fail_at(code, ps->file, (int)m->line + 1, (int)m->column + 1, NULL, "%s", what);
}

static tr_status add_anchor(pstate *ps, const char *name, tri_node *node)
{
    for (size_t i = 0; i < ps->nanch; i++)
        if (strcmp(ps->anchors[i].name, name) == 0) {   /* redefinition: later wins */
            ps->anchors[i].node = node;
            return TR_OK;
        }
    if (ps->nanch == ps->capanch) {
        size_t cap = ps->capanch ? ps->capanch * 2 : 8;
        anchor *a = tri_realloc(ps->anchors, cap * sizeof *a);
        if (!a)
            return TR_FAIL(TR_E_NOMEM, "out of memory");
        ps->anchors = a;
        ps->capanch = cap;
    }
    char *nm = tri_strdup(name);
    if (!nm)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    ps->anchors[ps->nanch].name = nm;
    ps->anchors[ps->nanch].node = node;
    ps->nanch++;
    return TR_OK;
}

static int contains(const tri_node *tree, const tri_node *p)
{
    if (tree == p)
        return 1;
    for (size_t i = 0; i < tree->n; i++)
        if (contains(tree->vals[i], p))
            return 1;
    return 0;
}

/* The merge source is about to be freed: anchors defined inside it go too. */
static void forget_anchors_in(pstate *ps, const tri_node *v)
{
    for (size_t i = 0; i < ps->nanch; i++)
        if (ps->anchors[i].node && contains(v, ps->anchors[i].node))
            ps->anchors[i].node = NULL;
}

/* Apply and remove `<<` merge keys of a finished map. */
static tr_status apply_merges(pstate *ps, tri_node *map)
{
    for (size_t i = 0; i < map->n;) {
        tri_node *k = map->keys[i];
        if (!(k->plain && strcmp(k->str, "<<") == 0)) {
            i++;
            continue;
        }
        tri_node *v = map->vals[i];
        size_t nsrc = v->kind == TRI_SEQ ? v->n : 1;
        for (size_t s = 0; s < nsrc; s++) {
            tri_node *src = v->kind == TRI_SEQ ? v->vals[s] : v;
            if (src->kind != TRI_MAP)
                return tri_node_fail(TR_E_PARSE, src, "<<", "expected a map (or list of maps) to merge, got %s",
                                     tri_kind_name(src));
            for (size_t j = 0; j < src->n; j++) {
                if (tri_map_index(map, src->keys[j]->str) >= 0)
                    continue;
                if (spend(ps, src->keys[j]) || spend(ps, src->vals[j])) {
                    char what[64];
                    return tri_node_fail(TR_E_PARSE, src, NULL,
                                         "merge keys expand to more than %s; expected a smaller document",
                                         spent_what(ps, what, sizeof what));
                }
                tri_node *kc = tri_node_copy(src->keys[j]);
                tri_node *vc = tri_node_copy(src->vals[j]);
                if (!kc || !vc) {
                    tri_node_free(kc);
                    tri_node_free(vc);
                    return TR_FAIL(TR_E_NOMEM, "out of memory");
                }
                if (tri_map_put(map, kc, vc) != TR_OK)
                    return TR_E_NOMEM;
            }
        }
        forget_anchors_in(ps, v);
        tri_map_remove_at(map, i);
    }
    return TR_OK;
}

/* Attach a finished node to the parent frame (or make it the root). */
static tr_status attach(pstate *ps, tri_node *node, const yaml_mark_t *m)
{
    if (ps->depth == 0) {
        ps->root = node;
        return TR_OK;
    }
    frame *f = &ps->st[ps->depth - 1];
    if (f->node->kind == TRI_SEQ)
        return tri_seq_push(f->node, node);
    if (!f->key) {
        if (node->kind != TRI_SCALAR) {
            tri_node_free(node);
            return fail_at(ps, m, TR_E_PARSE, "map keys must be plain scalars, not maps or lists");
        }
        int dup;
        if (f->node->n < 32) {
            dup = tri_map_index(f->node, node->str) >= 0;
        } else {
            /* large maps (thousands of plants): a hashed set of the keys */
            if (f->keys.n == 0)
                for (size_t i = 0; i < f->node->n; i++)
                    if (tri_hset_add(&f->keys, f->node->keys[i]->str) < 0) {
                        tri_node_free(node);
                        return TR_FAIL(TR_E_NOMEM, "out of memory");
                    }
            int a = tri_hset_add(&f->keys, node->str);
            if (a < 0) {
                tri_node_free(node);
                return TR_FAIL(TR_E_NOMEM, "out of memory");
            }
            dup = a == 0;
        }
        if (dup && !(node->plain && strcmp(node->str, "<<") == 0)) {
            /* field path from the keys of the enclosing maps */
            char path[600] = "";
            for (int i = 0; i < ps->depth - 1; i++) {
                const frame *pf = &ps->st[i];
                size_t l = strlen(path);
                if (pf->node->kind == TRI_MAP && pf->key)
                    snprintf(path + l, sizeof path - l, "%s%.64s", l ? "." : "", pf->key->str);
                else if (pf->node->kind == TRI_SEQ)
                    snprintf(path + l, sizeof path - l, "[%zu]", pf->node->n);
            }
            size_t l = strlen(path);
            snprintf(path + l, sizeof path - l, "%s%.64s", l ? "." : "", node->str);
            /* an empty top-level key has no path: the message keeps its ": " */
            tr_status st = tri_fail_at(TR_E_PARSE, ps->file, node->line, node->col, path[0] ? path : NULL,
                                       "%sduplicate key \"%s\"; expected each key once", path[0] ? "" : ": ",
                                       node->str);
            tri_node_free(node);
            return st;
        }
        f->key = node;
        return TR_OK;
    }
    tri_node *k = f->key;
    f->key = NULL;
    return tri_map_put(f->node, k, node);
}

static tr_status finish_node(pstate *ps, tri_node *node, const char *anch, const yaml_mark_t *m)
{
    if (anch) {
        tr_status st = add_anchor(ps, anch, node);
        if (st != TR_OK) {
            tri_node_free(node);
            return st;
        }
    }
    return attach(ps, node, m);
}

static void free_stack(pstate *ps)
{
    for (int i = ps->depth - 1; i >= 0; i--) {
        tri_hset_free(&ps->st[i].keys);
        tri_node_free(ps->st[i].key);
        tri_node_free(ps->st[i].node);
    }
    ps->depth = 0;
}

/* libyaml's parse error as "file:line:col: not valid YAML: problem context" */
static tr_status parse_error(const pstate *ps, const yaml_parser_t *parser, const char *text, size_t len)
{
    yaml_mark_t rm = {0, 0, 0};
    const yaml_mark_t *m = parser->problem_mark.line || parser->problem_mark.column ? &parser->problem_mark
                                                                                    : &parser->context_mark;
    if (parser->error == YAML_READER_ERROR) {
        /* reader errors (encoding, control characters) carry a byte offset only */
        size_t off = parser->problem_offset < len ? parser->problem_offset : len;
        for (size_t i = 0; i < off; i++) {
            if (text[i] == '\n') {
                rm.line++;
                rm.column = 0;
            } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
                rm.column++;   /* count characters, not continuation bytes */
            }
        }
        m = &rm;
    }
    if (parser->error == YAML_MEMORY_ERROR)
        return TR_FAIL(TR_E_NOMEM, "out of memory parsing %s", ps->file);
    return tri_fail_at(TR_E_PARSE, ps->file, (int)m->line + 1, (int)m->column + 1, NULL, "not valid YAML: %s%s%s",
                       parser->problem ? parser->problem : "syntax error", parser->context ? " " : "",
                       parser->context ? parser->context : "");
}

/* ------------------------------------------------------------ text */

/* Is @s[0..@n) a complete UTF-8 character? Its length, or 0 (overlong
 * forms, surrogates and values past U+10FFFF are not). */
static size_t utf8_char(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t len = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (len == 0 || len > n)
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if ((len == 2 && c < 0xC2) || (len == 3 && c == 0xE0 && s[1] < 0xA0) || (len == 3 && c == 0xED && s[1] >= 0xA0) ||
        (len == 4 && c == 0xF0 && s[1] < 0x90) || (len == 4 && (c > 0xF4 || (c == 0xF4 && s[1] >= 0x90))))
        return 0;
    return len;
}

tr_status tri_check_text(const char *text, size_t len, const char *file)
{
    const unsigned char *t = (const unsigned char *)text;
    if (len >= 2 && ((t[0] == 0xFF && t[1] == 0xFE) || (t[0] == 0xFE && t[1] == 0xFF)))
        return tri_fail_at(TR_E_PARSE, file, 1, 1, NULL,
                           "not UTF-8 text: it starts with a UTF-16 byte-order mark; expected UTF-8");
    size_t i = len >= 3 && t[0] == 0xEF && t[1] == 0xBB && t[2] == 0xBF ? 3 : 0;   /* a BOM is no column */
    int line = 1, col = 1;
    while (i < len) {
        if (t[i] == '\0')
            return tri_fail_at(TR_E_PARSE, file, line, col, NULL,
                               "a NUL byte (at byte offset %zu); expected text without NUL bytes", i);
        size_t n = t[i] < 0x80 ? 1 : utf8_char(t + i, len - i);
        if (n == 0)
            return tri_fail_at(TR_E_PARSE, file, line, col, NULL,
                               "not UTF-8 text: byte 0x%02X at byte offset %zu is not valid UTF-8; expected the file "
                               "in UTF-8 (a Latin-1 file converts with iconv -f latin1 -t utf-8)",
                               t[i], i);
        if (t[i] == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
        i += n;
    }
    return TR_OK;
}

size_t tri_bom_len(const char *text, size_t len)
{
    return len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

/* ------------------------------------------------------------ tags */

/* Does @s read as the core schema's @tag (YAML 1.2 §10.3.2)? */
static int core_schema_is(const char *tag, const char *s)
{
    static const char *const nulls[] = {"", "~", "null", "Null", "NULL", NULL};
    static const char *const bools[] = {"true", "True", "TRUE", "false", "False", "FALSE", NULL};
    static const char *const specials[] = {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf",
                                           "-.INF", ".nan", ".NaN", ".NAN", NULL};
    const char *const *set = !strcmp(tag, YAML_NULL_TAG) ? nulls : !strcmp(tag, YAML_BOOL_TAG) ? bools : NULL;
    if (set) {
        for (; *set; set++)
            if (!strcmp(s, *set))
                return 1;
        return 0;
    }
    int is_float = !strcmp(tag, YAML_FLOAT_TAG);
    if (!is_float && strcmp(tag, YAML_INT_TAG) != 0)
        return 0;
    if ((s[0] == '0' && (s[1] == 'o' || s[1] == 'x')) && s[2]) {   /* 0o17, 0x1F */
        const char *ok = s[1] == 'o' ? "01234567" : "0123456789abcdefABCDEF";
        return strspn(s + 2, ok) == strlen(s + 2);
    }
    for (const char *const *p = specials; is_float && *p; p++)
        if (!strcmp(s, *p))
            return 1;
    const char *p = s + (*s == '-' || *s == '+');
    size_t digits = strspn(p, "0123456789");
    p += digits;
    if (!is_float)
        return digits > 0 && *p == '\0';
    size_t frac = 0;
    if (*p == '.') {
        frac = strspn(p + 1, "0123456789");
        p += 1 + frac;
    }
    if (digits == 0 && frac == 0)
        return 0;
    if (*p == 'e' || *p == 'E') {
        p++;
        p += *p == '-' || *p == '+';
        size_t e = strspn(p, "0123456789");
        if (e == 0)
            return 0;
        p += e;
    }
    return *p == '\0';
}

/* Tags: the format defines none of its own. Accepted are the non-specific
 * `!` (a string), the core schema's `!!str`, `!!map` and `!!seq` on their
 * kind of node, and `!!int`, `!!float`, `!!bool`, `!!null` on a scalar that
 * reads as that type (then taken as a plain scalar). Anything else
 * (`!custom`, `!!binary`, `!!python/object`, `!!int abc`) is an error rather
 * than a silently ignored annotation. *@plain: what the scalar becomes. */
static tr_status check_tag(pstate *ps, const yaml_mark_t *m, const yaml_char_t *tag_, tri_kind kind,
                           const char *text, int *plain)
{
    const char *tag = (const char *)tag_;
    if (!tag)
        return TR_OK;
    if (kind == TRI_SCALAR) {
        if (!strcmp(tag, "!") || !strcmp(tag, YAML_STR_TAG)) {
            *plain = 0;
            return TR_OK;
        }
        if ((!strcmp(tag, YAML_INT_TAG) || !strcmp(tag, YAML_FLOAT_TAG) || !strcmp(tag, YAML_BOOL_TAG) ||
             !strcmp(tag, YAML_NULL_TAG)) && core_schema_is(tag, text)) {
            *plain = 1;
            return TR_OK;
        }
    } else if (!strcmp(tag, "!") || !strcmp(tag, kind == TRI_MAP ? YAML_MAP_TAG : YAML_SEQ_TAG)) {
        return TR_OK;
    }
    static const char core[] = "tag:yaml.org,2002:";
    static const char *const known[] = {YAML_STR_TAG,  YAML_INT_TAG, YAML_FLOAT_TAG, YAML_BOOL_TAG,
                                        YAML_NULL_TAG, YAML_MAP_TAG, YAML_SEQ_TAG};
    int std = strncmp(tag, core, sizeof core - 1) == 0, fits = 0;
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        fits |= !strcmp(tag, known[i]);
    return tri_fail_at(TR_E_PARSE, ps->file, (int)m->line + 1, (int)m->column + 1, NULL,
                       "YAML tag %s%.100s %s; expected no tag (or one of the core schema, !!str, !!int, !!float, "
                       "!!bool, !!null, !!map or !!seq, on a value of its type)",
                       std ? "!!" : "", std ? tag + sizeof core - 1 : tag,
                       fits ? "does not fit this value" : "is not part of the scenario format");
}

static tr_status on_scalar(pstate *ps, const yaml_event_t *ev)
{
    const yaml_mark_t *m = &ev->start_mark;
    if (--ps->budget < 0)
        return fail_at(ps, m, TR_E_PARSE, "document too large");
    tri_node *n = tri_node_new(TRI_SCALAR, ps->file, (int)m->line + 1, (int)m->column + 1);
    if (!n || !(n->str = tri_strndup((const char *)ev->data.scalar.value, ev->data.scalar.length))) {
        tri_node_free(n);
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    }
    if (memchr(ev->data.scalar.value, '\0', ev->data.scalar.length)) {
        tri_node_free(n);
        return fail_at(ps, m, TR_E_PARSE, "NUL character in a scalar");
    }
    n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
    tr_status st = check_tag(ps, m, ev->data.scalar.tag, TRI_SCALAR, n->str, &n->plain);
    if (st != TR_OK) {
        tri_node_free(n);
        return st;
    }
    return finish_node(ps, n, (const char *)ev->data.scalar.anchor, m);
}

/* A map or list starts: push a frame */
static tr_status on_open(pstate *ps, const yaml_event_t *ev)
{
    const yaml_mark_t *m = &ev->start_mark;
    if (ps->depth >= TRI_MAX_DEPTH)
        return fail_at(ps, m, TR_E_PARSE, "nesting deeper than 64 levels");
    if (--ps->budget < 0)
        return fail_at(ps, m, TR_E_PARSE, "document too large");
    int map = ev->type == YAML_MAPPING_START_EVENT, plain = 0;
    tr_status st = check_tag(ps, m, map ? ev->data.mapping_start.tag : ev->data.sequence_start.tag,
                             map ? TRI_MAP : TRI_SEQ, NULL, &plain);
    if (st != TR_OK)
        return st;
    tri_node *n = tri_node_new(map ? TRI_MAP : TRI_SEQ, ps->file, (int)m->line + 1, (int)m->column + 1);
    if (!n)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    const yaml_char_t *a = map ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor;
    char *aname = NULL;
    if (a && !(aname = tri_strdup((const char *)a))) {
        tri_node_free(n);
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    }
    frame *f = &ps->st[ps->depth++];
    f->node = n;
    f->key = NULL;
    f->anchor = aname;
    memset(&f->keys, 0, sizeof f->keys);
    return TR_OK;
}

/* A map or list ends: apply merge keys, pop it, attach it to its parent */
static tr_status on_close(pstate *ps, const yaml_event_t *ev)
{
    frame f = ps->st[--ps->depth];
    tri_hset_free(&f.keys);
    char *aname = (char *)f.anchor;
    tr_status st = f.node->kind == TRI_MAP ? apply_merges(ps, f.node) : TR_OK;
    if (st != TR_OK)
        tri_node_free(f.node);
    else
        st = finish_node(ps, f.node, aname, &ev->start_mark);
    tri_free(aname);
    return st;
}

/* *anchor: a copy of the anchored node, within the alias budget */
static tr_status on_alias(pstate *ps, const yaml_event_t *ev)
{
    const yaml_mark_t *m = &ev->start_mark;
    int line = (int)m->line + 1, col = (int)m->column + 1;
    const char *name = (const char *)ev->data.alias.anchor;
    tri_node *src = NULL;
    for (size_t i = 0; i < ps->nanch; i++)
        if (strcmp(ps->anchors[i].name, name) == 0)
            src = ps->anchors[i].node;
    /* an anchor whose node is still open is a recursive alias */
    for (int i = 0; i < ps->depth && src; i++)
        if (ps->st[i].anchor && strcmp(ps->st[i].anchor, name) == 0)
            src = NULL;
    if (!src)
        return tri_fail_at(TR_E_PARSE, ps->file, line, col, NULL, "alias *%s refers to no complete anchor", name);
    if (spend(ps, src)) {
        char what[64];
        return tri_fail_at(TR_E_PARSE, ps->file, line, col, NULL,
                           "aliases expand to more than %s; expected a document without exponential alias "
                           "nesting or large aliased values",
                           spent_what(ps, what, sizeof what));
    }
    tri_node *c = tri_node_copy(src);
    if (!c)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    c->line = line;   /* point messages at the alias' use */
    c->col = col;
    return attach(ps, c, m);
}

static tr_status on_event(pstate *ps, const yaml_event_t *ev, int *docs, int *done)
{
    switch (ev->type) {
    case YAML_STREAM_END_EVENT:
        *done = 1;
        return TR_OK;
    case YAML_DOCUMENT_START_EVENT:
        if (++*docs > 1)
            return fail_at(ps, &ev->start_mark, TR_E_PARSE, "more than one YAML document in the file; expected one");
        return TR_OK;
    case YAML_SCALAR_EVENT:
        return on_scalar(ps, ev);
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT:
        return on_open(ps, ev);
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        return on_close(ps, ev);
    case YAML_ALIAS_EVENT:
        return on_alias(ps, ev);
    default:
        return TR_OK;
    }
}

tr_status tri_parse_yaml(const char *text, size_t len, const char *file,
                         tri_pool *pool, tri_node **out)
{
    *out = NULL;
    pstate ps;
    memset(&ps, 0, sizeof ps);
    ps.budget = TRI_MAX_NODES;
    ps.alias_budget = TRI_MAX_ALIAS_NODES;
    ps.alias_bytes = TRI_MAX_ALIAS_BYTES;
    ps.file = tri_pool_add(pool, file);
    if (!ps.file)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    /* checked here rather than by libyaml's reader, so that every text
     * (a file, a CSV cell, an edit) says the same, with a byte offset */
    tr_status st = tri_check_text(text, len, ps.file);
    if (st != TR_OK)
        return st;
    /* the encoding is set, so libyaml would not skip a byte-order mark */
    size_t bom = tri_bom_len(text, len);
    text += bom;
    len -= bom;

    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return TR_FAIL(TR_E_NOMEM, "out of memory (YAML parser)");
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);

    int docs = 0, done = 0;
    while (!done && st == TR_OK) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&parser, &ev)) {
            st = parse_error(&ps, &parser, text, len);
            break;
        }
        st = on_event(&ps, &ev, &docs, &done);
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&parser);
    for (size_t i = 0; i < ps.nanch; i++)
        tri_free(ps.anchors[i].name);
    tri_free(ps.anchors);
    if (st != TR_OK) {
        for (int i = ps.depth - 1; i >= 0; i--)
            tri_free((char *)ps.st[i].anchor);
        free_stack(&ps);
        tri_node_free(ps.root);
        return st;
    }
    if (!ps.root)
        return tri_fail_at(TR_E_PARSE, ps.file, 0, 0, NULL, "the file is empty; expected a YAML map");
    *out = ps.root;
    return TR_OK;
}

/* ------------------------------------------------------------ emit
 * tree -> canonical YAML (block style, keys in document order). Kept beside
 * the parser so that yaml.h stays in one file. */

static int emit_write(void *data, unsigned char *buffer, size_t size)
{
    tri_buf *b = data;
    tri_buf_put(b, (const char *)buffer, size);
    return !b->failed;
}

static int emit_node(yaml_emitter_t *e, const tri_node *n, int depth)
{
    yaml_event_t ev;
    if (depth > TRI_MAX_DEPTH + 2)
        return 0;
    if (n->kind == TRI_SCALAR) {
        const char *s = n->str;
        if (n->plain && s[0] == '\0')
            s = "~";
        /* quoted_implicit also for plain nodes: a plain scalar libyaml cannot
         * write plain (a tab) is then quoted without a `!` tag, and the text
         * is a fixed point of load + write */
        /* quoted scalars ask for single quotes: libyaml falls back from plain to
         * single to double quotes, so a plain scalar it cannot write plain and
         * the same text loaded back as a quoted one come out alike */
        if (!yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)strlen(s), n->plain, 1,
                                          n->plain ? YAML_ANY_SCALAR_STYLE : YAML_SINGLE_QUOTED_SCALAR_STYLE))
            return 0;
        return yaml_emitter_emit(e, &ev);
    }
    int map = n->kind == TRI_MAP;
    if (map ? !yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_MAPPING_STYLE)
            : !yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1, YAML_BLOCK_SEQUENCE_STYLE))
        return 0;
    if (!yaml_emitter_emit(e, &ev))
        return 0;
    for (size_t i = 0; i < n->n; i++) {
        if (map && !emit_node(e, n->keys[i], depth + 1))
            return 0;
        if (!emit_node(e, n->vals[i], depth + 1))
            return 0;
    }
    if (map ? !yaml_mapping_end_event_initialize(&ev) : !yaml_sequence_end_event_initialize(&ev))
        return 0;
    return yaml_emitter_emit(e, &ev);
}

tr_status tri_emit_yaml(const tri_node *n, char **out)
{
    *out = NULL;
    tri_buf b = {0};
    yaml_emitter_t e;
    if (!yaml_emitter_initialize(&e))
        return TR_FAIL(TR_E_NOMEM, "out of memory (YAML emitter)");
    yaml_emitter_set_output(&e, emit_write, &b);
    yaml_emitter_set_unicode(&e, 1);
    yaml_emitter_set_width(&e, -1);
    yaml_emitter_set_indent(&e, 2);
    yaml_event_t ev;
    int ok = yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING) && yaml_emitter_emit(&e, &ev) &&
             yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1) && yaml_emitter_emit(&e, &ev) &&
             emit_node(&e, n, 0) && yaml_document_end_event_initialize(&ev, 1) && yaml_emitter_emit(&e, &ev) &&
             yaml_stream_end_event_initialize(&ev) && yaml_emitter_emit(&e, &ev) && yaml_emitter_flush(&e);
    int nomem = b.failed || e.error == YAML_MEMORY_ERROR;
    const char *problem = e.problem;
    yaml_emitter_delete(&e);
    if (!ok) {
        tri_free(b.s);
        if (nomem)
            return TR_FAIL(TR_E_NOMEM, "out of memory");
        return TR_FAIL(TR_E_INVAL, "cannot write the scenario as YAML: %s", problem ? problem : "emitter error");
    }
    *out = tri_buf_take(&b);
    return *out ? TR_OK : TR_FAIL(TR_E_NOMEM, "out of memory");
}
