/* parse (CSV part): a table of plants or technologies -> the same tree the
 * YAML form gives. One row per item; the `id` column names it; a column
 * `a.b` fills a nested map, a column `capex@2030` one point of a series, and
 * a cell starting with `{` or `[` is YAML flow text (a series map, a list).
 * The only file that includes csv.h. */
#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "tr_internal.h"

typedef struct cstate {
    char **cells;
    size_t *lens;
    size_t n, cap;
    char **head;
    size_t nhead;
    long row;              /* 1-based line of the current record */
    tri_node *out;
    tri_pool *pool;
    const char *file;
    const char *field;     /* "plants" or "technologies", for field paths */
    long *lines;           /* physical line where each record starts */
    tri_hset ids;          /* row ids seen (a linear scan would be quadratic) */
    size_t nlines, rec;
    tr_status st;
} cstate;

static void on_field(void *s, size_t len, void *data)
{
    cstate *c = data;
    if (c->st != TR_OK)
        return;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 16;
        char **nc = tri_realloc(c->cells, cap * sizeof *nc);
        if (!nc) {
            c->st = TR_FAIL(TR_E_NOMEM, "out of memory");
            return;
        }
        c->cells = nc;
        size_t *nl = tri_realloc(c->lens, cap * sizeof *nl);
        if (!nl) {
            c->st = TR_FAIL(TR_E_NOMEM, "out of memory");
            return;
        }
        c->lens = nl;
        c->cap = cap;
    }
    char *v = tri_strndup(s ? s : "", s ? len : 0);
    if (!v) {
        c->st = TR_FAIL(TR_E_NOMEM, "out of memory");
        return;
    }
    c->cells[c->n] = v;
    c->lens[c->n] = s ? len : 0;
    c->n++;
}

static void trim(char *s)
{
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    size_t i = 0;
    while (s[i] == ' ' || s[i] == '\t')
        i++;
    if (i)
        memmove(s, s + i, n - i + 1);
}

/* Find or create the map under @parent at @key. */
static tri_node *child_map(cstate *c, tri_node *parent, const char *key, int col, const char *path)
{
    tri_node *ex = tri_map_get(parent, key);
    if (ex) {
        if (ex->kind != TRI_MAP) {
            c->st = tri_fail_at(TR_E_PARSE, c->file, (int)c->row, col, path,
                                "column clashes with another column giving a value");
            return NULL;
        }
        return ex;
    }
    tri_node *k = tri_node_new(TRI_SCALAR, c->file, (int)c->row, col);
    tri_node *m = tri_node_new(TRI_MAP, c->file, (int)c->row, col);
    if (!k || !m || !(k->str = tri_strdup(key))) {
        tri_node_free(k);
        tri_node_free(m);
        c->st = TR_FAIL(TR_E_NOMEM, "out of memory");
        return NULL;
    }
    k->plain = 1;
    if (tri_map_put(parent, k, m) != TR_OK) {
        c->st = TR_E_NOMEM;
        return NULL;
    }
    return m;
}

static void set_pos(tri_node *n, const char *file, int line, int col)
{
    n->file = file;
    n->line = line;
    n->col = col;
    for (size_t i = 0; i < n->n; i++) {
        if (n->keys)
            set_pos(n->keys[i], file, line, col);
        set_pos(n->vals[i], file, line, col);
    }
}

/* A scalar cell of items separated by ';' as a list of scalars
 * (@plain: read as YAML plain scalars, i.e. numbers count as numbers);
 * @val is consumed; NULL with c->st set on out of memory. */
static tri_node *split_list(cstate *c, int col, tri_node *val, int plain)
{
    tri_node *seq = tri_node_new(TRI_SEQ, c->file, (int)c->row, col);
    char *save = NULL, *txt = val->str;
    for (char *tok = seq ? strtok_r(txt, ";", &save) : NULL; tok && c->st == TR_OK;
         tok = strtok_r(NULL, ";", &save)) {
        trim(tok);
        if (!tok[0])
            continue;
        tri_node *e = tri_node_new(TRI_SCALAR, c->file, (int)c->row, col);
        if (!e || !(e->str = tri_strdup(tok)) || tri_seq_push(seq, e) != TR_OK) {
            if (e && !e->str)
                tri_node_free(e);
            c->st = TR_FAIL(TR_E_NOMEM, "out of memory");
        }
        if (e && e->str)
            e->plain = plain;
    }
    tri_node_free(val);
    if (!seq)
        c->st = TR_FAIL(TR_E_NOMEM, "out of memory");
    if (c->st != TR_OK) {
        tri_node_free(seq);
        return NULL;
    }
    return seq;
}

/* A `source` column (the item's source) or a `source.<field path>` column
 * (one entry of its `sources:` map): keys separated by ';' become a list. */
static void put_source(cstate *c, tri_node *item, const char *h, int col, tri_node *val)
{
    if (val->kind == TRI_SCALAR && strchr(val->str, ';') && !(val = split_list(c, col, val, 0)))
        return;
    tri_node *parent = h[6] ? child_map(c, item, "sources", col, h) : item;
    const char *key = h[6] ? h + 7 : "source";
    if (!parent || !key[0] || tri_map_index(parent, key) >= 0) {
        if (parent)
            c->st = TR_FAIL(TR_E_PARSE, "%s:%ld:%d: %s: %s", c->file, c->row, col, h,
                            key[0] ? "given twice (two columns fill the same field)" : "empty column name part");
        tri_node_free(val);
        return;
    }
    tri_node *k = tri_node_new(TRI_SCALAR, c->file, (int)c->row, col);
    if (!k || !(k->str = tri_strdup(key))) {
        tri_node_free(k);
        tri_node_free(val);
        c->st = TR_FAIL(TR_E_NOMEM, "out of memory");
        return;
    }
    k->plain = 1;
    c->st = tri_map_put(parent, k, val);
}

static void put_cell(cstate *c, tri_node *item, const char *id, size_t j)
{
    char *h = c->head[j];
    char *cell = c->cells[j];
    int col = (int)j + 1;
    if (cell[0] == '\0')
        return;
    /* value node */
    tri_node *val = NULL;
    if (cell[0] == '{' || cell[0] == '[') {
        tr_status st = tri_parse_yaml(cell, strlen(cell), c->file, c->pool, &val);
        if (st == TR_E_NOMEM) {
            c->st = st;
            return;
        }
        if (st != TR_OK) {
            /* keep the parser's problem, not its position inside the cell */
            char why[512], field[600];
            const char *e = tr_last_error(), *p = strstr(e, "not valid YAML: ");
            snprintf(why, sizeof why, "%s", p ? p + 16 : e);
            snprintf(field, sizeof field, "%s.%s.%s", c->field, id, h);
            c->st = tri_fail_at(TR_E_PARSE, c->file, (int)c->row, col, field,
                                "expected YAML flow text in the cell, but it is not valid YAML: %s", why);
            return;
        }
        set_pos(val, c->file, (int)c->row, col);
    } else {
        val = tri_node_new(TRI_SCALAR, c->file, (int)c->row, col);
        if (!val || !(val->str = tri_strdup(cell))) {
            tri_node_free(val);
            c->st = TR_FAIL(TR_E_NOMEM, "out of memory");
            return;
        }
        val->plain = 1;
    }
    if (!strcmp(h, "source") || !strncmp(h, "source.", 7)) {
        put_source(c, item, h, col, val);
        return;
    }
    /* a plant's investment windows (MODEL.md §13): years separated by ';'
     * (one year is a list of one), or YAML flow text [2024, 2032] */
    if (!strcmp(h, "windows") && !strcmp(c->field, "plants") && val->kind == TRI_SCALAR &&
        !(val = split_list(c, col, val, 1)))
        return;
    /* walk "a.b.c" and "name@year" */
    char *path = tri_strdup(h);
    if (!path) {
        tri_node_free(val);
        c->st = TR_FAIL(TR_E_NOMEM, "out of memory");
        return;
    }
    char *year = strchr(path, '@');
    if (year)
        *year++ = '\0';
    tri_node *parent = item;
    char *seg = path;
    for (;;) {
        char *dot = strchr(seg, '.');
        if (!dot && !year)
            break;
        if (dot)
            *dot = '\0';
        parent = child_map(c, parent, seg, col, h);
        if (!parent)
            goto out;
        if (!dot) {      /* last segment with @year: the series map itself */
            seg = year;
            year = NULL;
            break;
        }
        seg = dot + 1;
    }
    if (seg[0] == '\0' || tri_map_index(parent, seg) >= 0) {
        c->st = tri_fail_at(TR_E_PARSE, c->file, (int)c->row, col, h, "%s",
                            seg[0] ? "given twice (two columns fill the same field)" : "empty column name part");
        goto out;
    }
    tri_node *k = tri_node_new(TRI_SCALAR, c->file, (int)c->row, col);
    if (!k || !(k->str = tri_strdup(seg))) {
        tri_node_free(k);
        c->st = TR_FAIL(TR_E_NOMEM, "out of memory");
        goto out;
    }
    k->plain = 1;
    c->st = tri_map_put(parent, k, val);
    val = NULL;
out:
    tri_node_free(val);
    tri_free(path);
}

static void on_row(int term, void *data)
{
    (void)term;
    cstate *c = data;
    c->row = c->rec < c->nlines ? c->lines[c->rec] : c->row + 1;
    c->rec++;
    if (c->st != TR_OK)
        goto clear;
    if (c->n == 1 && c->lens[0] == 0)   /* blank line */
        goto clear;
    if (!c->head) {
        c->head = c->cells;
        c->nhead = c->n;
        c->cells = NULL;
        tri_free(c->lens);
        c->lens = NULL;
        c->n = c->cap = 0;
        for (size_t j = 0; j < c->nhead; j++) {
            trim(c->head[j]);
            if (c->head[j][0] == '\0') {
                c->st = tri_fail_at(TR_E_PARSE, c->file, 1, (int)j + 1, NULL, "empty column name");
                return;
            }
            for (size_t i = 0; i < j; i++)
                if (strcmp(c->head[i], c->head[j]) == 0) {
                    c->st = tri_fail_at(TR_E_PARSE, c->file, 1, (int)j + 1, NULL, "column \"%s\" appears twice",
                                        c->head[j]);
                    return;
                }
        }
        if (c->nhead == 0 || strcmp(c->head[0], "id") != 0)
            c->st = tri_fail_at(TR_E_PARSE, c->file, (int)c->row, 1, NULL, "expected the first column to be \"id\"");
        return;
    }
    if (c->n != c->nhead) {
        c->st = tri_fail_at(TR_E_PARSE, c->file, (int)c->row, 1, NULL, "expected %zu cells as in the header, got %zu",
                            c->nhead, c->n);
        goto clear;
    }
    for (size_t j = 0; j < c->n; j++)
        trim(c->cells[j]);
    if (c->cells[0][0] == '\0') {
        c->st = tri_fail_at(TR_E_PARSE, c->file, (int)c->row, 1, "id", "expected an identifier, got an empty cell");
        goto clear;
    }
    tri_node *k = tri_node_new(TRI_SCALAR, c->file, (int)c->row, 1);
    tri_node *item = tri_node_new(TRI_MAP, c->file, (int)c->row, 1);
    int fresh = k && (k->str = tri_strdup(c->cells[0])) ? tri_hset_add(&c->ids, k->str) : -1;
    if (fresh == 0) {
        c->st = tri_fail_at(TR_E_PARSE, c->file, (int)c->row, 1, "id", "\"%s\" appears twice", c->cells[0]);
        tri_node_free(k);
        tri_node_free(item);
        goto clear;
    }
    if (!k || !item || fresh < 0) {
        tri_node_free(k);
        tri_node_free(item);
        c->st = TR_FAIL(TR_E_NOMEM, "out of memory");
        goto clear;
    }
    k->plain = 0;
    for (size_t j = 1; j < c->n && c->st == TR_OK; j++)
        put_cell(c, item, c->cells[0], j);
    if (c->st != TR_OK) {
        tri_node_free(k);
        tri_node_free(item);
        goto clear;
    }
    c->st = tri_map_put(c->out, k, item);
clear:
    for (size_t j = 0; j < c->n; j++)
        tri_free(c->cells[j]);
    c->n = 0;
}

/* Physical line (1-based) where each CSV record starts, so that messages
 * point at lines even after blank lines or quoted cells spanning lines.
 * libcsv skips blank lines and does not report positions. */
static long *record_lines(const char *t, size_t len, size_t *n)
{
    size_t cap = 64;
    long *v = tri_malloc(cap * sizeof *v);
    if (!v)
        return NULL;
    *n = 0;
    long line = 1;
    int quoted = 0, start = 1;
    for (size_t i = 0; i < len; i++) {
        char ch = t[i];
        if (start && ch != '\n' && ch != '\r') {
            if (*n == cap) {
                long *nv = tri_realloc(v, (cap *= 2) * sizeof *v);
                if (!nv) {
                    tri_free(v);
                    return NULL;
                }
                v = nv;
            }
            v[(*n)++] = line;
            start = 0;
        }
        if (ch == '"')
            quoted = !quoted;
        if (ch == '\n') {
            line++;
            if (!quoted)
                start = 1;
        }
    }
    return v;
}

tr_status tri_load_csv(const char *path, const char *display, const char *field, tri_pool *pool,
                       const tri_node *where, tri_node **out)
{
    *out = NULL;
    tr_status st;
    size_t len;
    char *text = tri_read_file(path, display, &len, &st);
    if (!text) {
        if (where && where->file) {   /* say who asked for the file, and for which field */
            char why[1024], csv[64];
            snprintf(why, sizeof why, "%s", tr_last_error());
            snprintf(csv, sizeof csv, "%s.csv", field);
            return tri_fail_at(st, where->file, where->line, where->col, csv, "%s", why);
        }
        return st;
    }
    /* before libcsv: it passes cells with their length, and a NUL byte
     * would cut a cell ("1\0.9" read as 1); Latin-1 text would load and
     * fail later when the scenario is written */
    st = tri_check_text(text, len, display);
    if (st != TR_OK) {
        tri_free(text);
        return st;
    }
    /* a UTF-8 byte-order mark (spreadsheets write one) is not part of "id" */
    size_t bom = tri_bom_len(text, len);
    cstate c;
    memset(&c, 0, sizeof c);
    c.pool = pool;
    c.field = field;
    c.file = tri_pool_add(pool, display);
    c.out = c.file ? tri_node_new(TRI_MAP, c.file, 1, 1) : NULL;
    c.lines = record_lines(text + bom, len - bom, &c.nlines);
    if (!c.out || !c.lines) {
        tri_node_free(c.out);
        tri_free(c.lines);
    tri_hset_free(&c.ids);
        tri_free(text);
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    }
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL | CSV_EMPTY_IS_NULL) != 0) {
        tri_free(text);
        tri_node_free(c.out);
        return TR_FAIL(TR_E_NOMEM, "out of memory (CSV parser)");
    }
    csv_set_realloc_func(&p, tri_realloc);
    csv_set_free_func(&p, tri_free);
    size_t used = csv_parse(&p, text + bom, len - bom, on_field, on_row, &c);
    if (c.st == TR_OK && used != len - bom)
        c.st = csv_error(&p) == CSV_ENOMEM
                   ? TR_FAIL(TR_E_NOMEM, "out of memory reading %s", c.file)
                   : tri_fail_at(TR_E_PARSE, c.file, (int)(c.rec < c.nlines ? c.lines[c.rec] : c.row + 1), 0, NULL,
                                 "not valid CSV: %s", csv_strerror(csv_error(&p)));
    if (c.st == TR_OK && csv_fini(&p, on_field, on_row, &c) != 0)
        c.st = csv_error(&p) == CSV_ENOMEM
                   ? TR_FAIL(TR_E_NOMEM, "out of memory reading %s", c.file)
                   : tri_fail_at(TR_E_PARSE, c.file, (int)(c.rec < c.nlines ? c.lines[c.rec] : c.row + 1), 0, NULL,
                                 "not valid CSV: %s", csv_strerror(csv_error(&p)));
    tri_free(c.lines);
    tri_hset_free(&c.ids);
    csv_free(&p);
    tri_free(text);
    for (size_t j = 0; j < c.n; j++)
        tri_free(c.cells[j]);
    tri_free(c.cells);
    tri_free(c.lens);
    tri_free_strv(c.head, c.nhead);
    if (c.st == TR_OK && !c.head)
        c.st = tri_fail_at(TR_E_PARSE, c.file, 0, 0, NULL, "the file is empty; expected a header row starting with \"id\"");
    if (c.st != TR_OK) {
        tri_node_free(c.out);
        return c.st;
    }
    *out = c.out;
    return TR_OK;
}
