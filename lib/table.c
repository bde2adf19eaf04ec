/* Result tables (tr_table: named columns of numbers or text, written as CSV,
 * JSON or a text table) and the tr_analysis that holds an analysis' tables. */
#include <jansson.h>

#include "analysis.h"

void tri_tbl_free(tr_table *t)
{
    if (!t)
        return;
    for (size_t c = 0; t->cols && c < t->nc; c++)   /* cols NULL: tri_tbl_new ran out of memory */
        tri_free(t->cols[c]);
    for (size_t i = 0; t->str && i < t->nr * t->nc; i++)
        tri_free(t->str[i]);
    tri_free(t->cols);
    tri_free(t->txt);
    tri_free(t->num);
    tri_free(t->str);
    tri_free(t->name);
    tri_free(t);
}

tr_table *tri_tbl_new(const char *name, size_t nc)
{
    tr_table *t = tri_calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->nc = nc;
    t->name = tri_strdup(name);
    t->cols = tri_calloc(nc, sizeof *t->cols);
    t->txt = tri_calloc(nc, 1);
    if (!t->name || !t->cols || !t->txt) {
        tri_tbl_free(t);
        return NULL;
    }
    return t;
}

int tri_tbl_col(tr_table *t, size_t c, const char *name, int text)
{
    t->cols[c] = tri_strdup(name);
    t->txt[c] = (unsigned char)text;
    return t->cols[c] != NULL;
}

/* new row (cells NaN / NULL); -1 on OOM */
long tri_tbl_row(tr_table *t)
{
    if (t->nr == t->rcap) {
        size_t cap = t->rcap ? t->rcap * 2 : 16;
        double *n = tri_realloc(t->num, cap * t->nc * sizeof *n);
        if (!n)
            return -1;
        t->num = n;
        char **s = tri_realloc(t->str, cap * t->nc * sizeof *s);
        if (!s)
            return -1;
        t->str = s;
        t->rcap = cap;
    }
    for (size_t c = 0; c < t->nc; c++) {
        t->num[t->nr * t->nc + c] = NAN;
        t->str[t->nr * t->nc + c] = NULL;
    }
    return (long)t->nr++;
}

void tri_tbl_num(tr_table *t, long r, size_t c, double v) { t->num[(size_t)r * t->nc + c] = v; }

int tri_tbl_txt(tr_table *t, long r, size_t c, const char *s)
{
    char **p = &t->str[(size_t)r * t->nc + c];
    tri_free(*p);
    *p = tri_strdup(s ? s : "");
    return *p != NULL;
}

const char *tr_table_name(const tr_table *t) { return t ? t->name : ""; }
size_t tr_table_row_count(const tr_table *t) { return t ? t->nr : 0; }
size_t tr_table_col_count(const tr_table *t) { return t ? t->nc : 0; }
const char *tr_table_col_name(const tr_table *t, size_t c) { return t && c < t->nc ? t->cols[c] : NULL; }
int tr_table_col_is_text(const tr_table *t, size_t c) { return t && c < t->nc ? t->txt[c] : 0; }

double tr_table_num(const tr_table *t, size_t r, size_t c)
{
    return t && r < t->nr && c < t->nc && !t->txt[c] ? t->num[r * t->nc + c] : NAN;
}

const char *tr_table_text(const tr_table *t, size_t r, size_t c)
{
    if (!t || r >= t->nr || c >= t->nc || !t->txt[c])
        return "";
    const char *s = t->str[r * t->nc + c];
    return s ? s : "";
}

tr_status tr_table_write_string(const tr_table *t, tr_result_format format, char **out)
{
    if (!out)
        return TR_FAIL(TR_E_INVAL, "tr_table_write_string: out is NULL");
    *out = NULL;
    if (!t)
        return TR_FAIL(TR_E_INVAL, "tr_table_write_string: table is NULL");
    tri_buf b = {0};
    if (format == TR_FMT_CSV || format == TR_FMT_IAMC) {
        for (size_t c = 0; c < t->nc; c++)
            tri_buf_printf(&b, "%s%s", c ? "," : "", t->cols[c]);
        tri_buf_puts(&b, "\n");
        for (size_t r = 0; r < t->nr; r++) {
            for (size_t c = 0; c < t->nc; c++) {
                if (c)
                    tri_buf_puts(&b, ",");
                if (t->txt[c])
                    tri_csv_field(&b, tr_table_text(t, r, c));
                else if (isfinite(t->num[r * t->nc + c]))
                    tri_buf_printf(&b, "%.12g", t->num[r * t->nc + c] == 0 ? 0.0 : t->num[r * t->nc + c]);
            }
            tri_buf_puts(&b, "\n");
        }
    } else if (format == TR_FMT_JSON) {
        json_t *rows = json_array();
        for (size_t r = 0; r < t->nr; r++) {
            json_t *o = json_object();
            for (size_t c = 0; c < t->nc; c++) {
                double v = t->num[r * t->nc + c];
                json_object_set_new(o, t->cols[c], t->txt[c]     ? json_string(tr_table_text(t, r, c))
                                                    : isfinite(v) ? json_real(v)
                                                                  : json_null());
            }
            json_array_append_new(rows, o);
        }
        json_t *j = json_object();
        json_object_set_new(j, "table", json_string(t->name));
        json_object_set_new(j, "rows", rows);
        char *s = json_dumps(j, JSON_INDENT(1) | JSON_REAL_PRECISION(15));
        json_decref(j);
        if (!s)
            return TR_FAIL(TR_E_NOMEM, "out of memory writing JSON");
        tri_buf_puts(&b, s);
        tri_buf_puts(&b, "\n");
        free(s);
    } else if (format == TR_FMT_TABLE) {
        size_t *w = tri_calloc(t->nc, sizeof *w);
        char cell[64];
        if (!w)
            return TR_FAIL(TR_E_NOMEM, "out of memory");
        char esc[1024];
        for (size_t c = 0; c < t->nc; c++) {
            w[c] = strlen(tri_cell_text(t->cols[c], esc, sizeof esc));
            for (size_t r = 0; r < t->nr; r++) {
                size_t l = t->txt[c] ? strlen(tri_cell_text(tr_table_text(t, r, c), esc, sizeof esc))
                                     : (size_t)snprintf(cell, sizeof cell, "%.6g", t->num[r * t->nc + c]);
                if (l > w[c])
                    w[c] = l;
            }
        }
        tri_buf_printf(&b, "%s\n", tri_cell_text(t->name, esc, sizeof esc));
        for (size_t c = 0; c < t->nc; c++)
            tri_buf_printf(&b, "%s%*s", c ? "  " : "", -(int)w[c], tri_cell_text(t->cols[c], esc, sizeof esc));
        tri_buf_puts(&b, "\n");
        for (size_t r = 0; r < t->nr; r++) {
            for (size_t c = 0; c < t->nc; c++) {
                if (t->txt[c])   /* padded, never cut: the column is as wide as its widest cell */
                    tri_buf_printf(&b, "%s%-*s", c ? "  " : "", (int)w[c],
                                   tri_cell_text(tr_table_text(t, r, c), esc, sizeof esc));
                else {
                    double v = t->num[r * t->nc + c];
                    if (isfinite(v))
                        snprintf(cell, sizeof cell, "%.6g", v);
                    else
                        snprintf(cell, sizeof cell, "-");
                    tri_buf_printf(&b, "%s%*s", c ? "  " : "", (int)w[c], cell);
                }
            }
            tri_buf_puts(&b, "\n");
        }
        tri_free(w);
    } else {
        return TR_FAIL(TR_E_INVAL, "tr_table_write_string: unknown format %d", (int)format);
    }
    *out = tri_buf_take(&b);
    return *out ? TR_OK : TR_FAIL(TR_E_NOMEM, "out of memory");
}

/* ------------------------------------------------------------ cells of text and Markdown tables */

static const char *cell_escape(const char *s, char *buf, size_t n, int md)
{
    if (!s)
        return "";
    size_t i = 0;
    for (; s[i]; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f || (md && s[i] == '|'))
            break;
    if (!s[i])
        return s;
    size_t o = 0;
    for (i = 0; s[i] && o + 3 < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (md && c == '|') {
            buf[o++] = '\\';
            buf[o++] = '|';
        } else if (md && (c == '\n' || c == '\r' || c == '\t')) {
            buf[o++] = ' ';
        } else if (!md && (c == '\n' || c == '\r' || c == '\t')) {
            buf[o++] = '\\';
            buf[o++] = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
        } else
            buf[o++] = c < 0x20 || c == 0x7f ? '?' : (char)c;
    }
    buf[o] = '\0';
    return buf;
}

const char *tri_cell_text(const char *s, char *buf, size_t n) { return cell_escape(s, buf, n, 0); }
const char *tri_cell_md(const char *s, char *buf, size_t n) { return cell_escape(s, buf, n, 1); }

/* ------------------------------------------------------------ analysis */


void tr_analysis_free(tr_analysis *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->nt; i++)
        tri_tbl_free(a->tab[i]);
    tri_free(a->tab);
    tri_free(a);
}

int tri_an_add(tr_analysis *a, tr_table *t)
{
    if (!t)
        return 0;
    tr_table **n = tri_realloc(a->tab, (a->nt + 1) * sizeof *n);
    if (!n) {
        tri_tbl_free(t);
        return 0;
    }
    a->tab = n;
    a->tab[a->nt++] = t;
    return 1;
}

size_t tr_analysis_table_count(const tr_analysis *a) { return a ? a->nt : 0; }
const tr_table *tr_analysis_table(const tr_analysis *a, size_t i) { return a && i < a->nt ? a->tab[i] : NULL; }
size_t tr_analysis_runs_done(const tr_analysis *a) { return a ? a->done : 0; }
size_t tr_analysis_runs_total(const tr_analysis *a) { return a ? a->total : 0; }
int tr_analysis_cancelled(const tr_analysis *a) { return a ? a->cancelled : 0; }

const tr_table *tr_analysis_find(const tr_analysis *a, const char *name)
{
    for (size_t i = 0; a && name && i < a->nt; i++)
        if (strcmp(a->tab[i]->name, name) == 0)
            return a->tab[i];
    return NULL;
}

void tr_analysis_opts_init(tr_analysis_opts *o)
{
    if (!o)
        return;
    memset(o, 0, sizeof *o);
    o->threads = 0;
    o->seed = -1;
    o->samples = 0;
    o->method = -1;
    o->warm = 1;
}

