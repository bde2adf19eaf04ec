/* Errors, allocation, buffers, the string pool and the document tree. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "lp.h"
#include "tr_internal.h"

/* ------------------------------------------------------------ errors */

static _Thread_local char tri_errmsg[4096];
/* the last error's location (tr_last_error_location); "" and 0: unknown */
static _Thread_local char tri_errfile[4096], tri_errfield[1024];
static _Thread_local int tri_errline, tri_errcol;

static const char *const tri_errtext[TR_E__COUNT] = {
    [TR_OK] = "success",
    [TR_E_NOMEM] = "out of memory",
    [TR_E_INVAL] = "invalid argument or scenario content",
    [TR_E_NOTFOUND] = "not found",
    [TR_E_IO] = "input/output error",
    [TR_E_PARSE] = "malformed file",
    [TR_E_SOLVER] = "LP solver failure",
    [TR_E_NUMERIC] = "numerical library failure",
    [TR_E_STATE] = "call not valid in the current state",
};

const char *tr_strerror(tr_status code)
{
    if ((int)code < 0 || code >= TR_E__COUNT)
        return "unknown error";
    return tri_errtext[code];
}

const char *tr_last_error(void) { return tri_errmsg; }

tr_error_location tr_last_error_location(void)
{
    tr_error_location loc = {tri_errfile[0] ? tri_errfile : NULL, tri_errline, tri_errcol,
                             tri_errfield[0] ? tri_errfield : NULL};
    return loc;
}

/* Every failure sets the message; the location is unknown unless the
 * failing place knows it (tri_fail_at, tri_node_fail). */
tr_status tri_err_set(tr_status code, const char *func, const char *fmt, ...)
{
    (void)func;   /* kept for debugging builds; messages are for users */
    tri_errfile[0] = tri_errfield[0] = '\0';
    tri_errline = tri_errcol = 0;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tri_errmsg, sizeof tri_errmsg, fmt, ap);
    va_end(ap);
    if (code == TR_E_NOMEM && tri_errmsg[0] == '\0')
        snprintf(tri_errmsg, sizeof tri_errmsg, "out of memory");
    return code;
}

static tr_log_fn tri_log_cb;
static void *tri_log_ud;

void tr_set_log_fn(tr_log_fn fn, void *userdata)
{
    tri_log_cb = fn;
    tri_log_ud = userdata;
}

int tri_log_enabled(void) { return tri_log_cb != NULL; }

void tri_log(int level, const char *fmt, ...)
{
    if (!tri_log_cb)
        return;
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    tri_log_cb(level, line, tri_log_ud);
}

tr_status tr_library_init(void)
{
    tri_lp_thread_init();   /* the LP backend's per-thread setup (glpk_backend.c) */
    gsl_set_error_handler_off();
    return TR_OK;
}

const char *tr_version(void) { return TR_VERSION; }
const char *tr_glpk_version(void) { return tri_lp_version(); }

int tri_ncores(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > TR_MAX_THREADS ? TR_MAX_THREADS : (int)n;
}

/* ------------------------------------------------------------ memory */

static _Thread_local long tri_alloc_countdown = -1;

void tri_set_alloc_fail_after(long n) { tri_alloc_countdown = n; }

static int tri_alloc_fails(void)
{
    if (tri_alloc_countdown < 0)
        return 0;
    if (tri_alloc_countdown == 0)
        return 1;
    tri_alloc_countdown--;
    return 0;
}

void *tri_malloc(size_t n)
{
    if (tri_alloc_fails())
        return NULL;
    return malloc(n ? n : 1);
}

void *tri_calloc(size_t n, size_t size)
{
    if (tri_alloc_fails())
        return NULL;
    if (n == 0 || size == 0)
        return calloc(1, 1);
    return calloc(n, size);
}

void *tri_realloc(void *p, size_t n)
{
    if (tri_alloc_fails())
        return NULL;
    return realloc(p, n ? n : 1);
}

void tri_free(void *p) { free(p); }

void tri_free_strv(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        tri_free(v[i]);
    tri_free(v);
}
void tr_string_free(void *ptr) { free(ptr); }

char *tri_strndup(const char *s, size_t n)
{
    char *d = tri_malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

char *tri_strdup(const char *s)
{
    return s ? tri_strndup(s, strlen(s)) : NULL;
}

char *tri_asprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return NULL;
    char *s = tri_malloc((size_t)n + 1);
    if (!s)
        return NULL;
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

/* ------------------------------------------------------------ buffer */

void tri_buf_put(tri_buf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *ns = tri_realloc(b->s, cap);
        if (!ns) {
            b->failed = 1;
            return;
        }
        b->s = ns;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void tri_buf_puts(tri_buf *b, const char *s) { tri_buf_put(b, s, strlen(s)); }

void tri_buf_printf(tri_buf *b, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = 1;
        return;
    }
    if ((size_t)n < sizeof small) {
        tri_buf_put(b, small, (size_t)n);
        return;
    }
    char *big = tri_malloc((size_t)n + 1);
    if (!big) {
        b->failed = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    tri_buf_put(b, big, (size_t)n);
    tri_free(big);
}

char *tri_buf_take(tri_buf *b)
{
    if (b->failed) {
        tri_free(b->s);
        b->s = NULL;
        b->len = b->cap = 0;
        return NULL;
    }
    if (!b->s)
        tri_buf_put(b, "", 0);
    if (b->failed)
        return NULL;
    char *s = b->s;
    b->s = NULL;
    b->len = b->cap = 0;
    return s;
}

/* ------------------------------------------------------------ string set */

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

int tri_hset_add(tri_hset *h, const char *s)
{
    if (2 * (h->n + 1) > h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 64;
        const char **ns = tri_calloc(cap, sizeof *ns);
        if (!ns)
            return -1;
        for (size_t i = 0; i < h->cap; i++)
            if (h->slot[i]) {
                size_t j = fnv1a(h->slot[i]) & (cap - 1);
                while (ns[j])
                    j = (j + 1) & (cap - 1);
                ns[j] = h->slot[i];
            }
        tri_free((void *)h->slot);
        h->slot = ns;
        h->cap = cap;
    }
    size_t j = fnv1a(s) & (h->cap - 1);
    while (h->slot[j]) {
        if (strcmp(h->slot[j], s) == 0)
            return 0;
        j = (j + 1) & (h->cap - 1);
    }
    h->slot[j] = s;
    h->n++;
    return 1;
}

void tri_hset_free(tri_hset *h)
{
    tri_free((void *)h->slot);
    memset(h, 0, sizeof *h);
}

/* ------------------------------------------------------------ pool */

const char *tri_pool_add(tri_pool *p, const char *s)
{
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->s[i], s) == 0)
            return p->s[i];
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 8;
        char **ns = tri_realloc(p->s, cap * sizeof *ns);
        if (!ns)
            return NULL;
        p->s = ns;
        p->cap = cap;
    }
    char *d = tri_strdup(s);
    if (!d)
        return NULL;
    p->s[p->n++] = d;
    return d;
}

void tri_pool_free(tri_pool *p)
{
    tri_free_strv(p->s, p->n);
    p->s = NULL;
    p->n = p->cap = 0;
}

/* ------------------------------------------------------------ nodes */

tri_node *tri_node_new(tri_kind kind, const char *file, int line, int col)
{
    tri_node *n = tri_calloc(1, sizeof *n);
    if (n)
        *n = (tri_node){.kind = kind, .file = file, .line = line, .col = col};
    return n;
}

void tri_node_free(tri_node *n)
{
    if (!n)
        return;
    /* iterative over siblings would be nicer; depth is bounded by the parser */
    for (size_t i = 0; i < n->n; i++) {
        if (n->keys)
            tri_node_free(n->keys[i]);
        tri_node_free(n->vals[i]);
    }
    tri_free(n->keys);
    tri_free(n->vals);
    tri_free(n->str);
    tri_free(n);
}

static tri_node *copy_rec(const tri_node *n, tri_pool *pool)
{
    const char *file = n->file;
    if (pool && file) {
        file = tri_pool_add(pool, file);
        if (!file)
            return NULL;
    }
    tri_node *c = tri_node_new(n->kind, file, n->line, n->col);
    if (!c)
        return NULL;
    c->plain = n->plain;
    if (n->str && !(c->str = tri_strdup(n->str)))
        goto fail;
    if (n->n) {
        c->vals = tri_calloc(n->n, sizeof *c->vals);
        if (!c->vals)
            goto fail;
        if (n->kind == TRI_MAP) {
            c->keys = tri_calloc(n->n, sizeof *c->keys);
            if (!c->keys)
                goto fail;
        }
        c->cap = n->n;
        for (size_t i = 0; i < n->n; i++) {
            if (n->kind == TRI_MAP && !(c->keys[i] = copy_rec(n->keys[i], pool))) {
                c->n = i;
                goto fail_part;
            }
            if (!(c->vals[i] = copy_rec(n->vals[i], pool))) {
                if (c->keys) {
                    tri_node_free(c->keys[i]);
                    c->keys[i] = NULL;
                }
                c->n = i;
                goto fail_part;
            }
        }
        c->n = n->n;
    }
    return c;
fail:
    c->n = 0;
fail_part:
    tri_node_free(c);
    return NULL;
}

tri_node *tri_node_copy(const tri_node *n) { return copy_rec(n, NULL); }
tri_node *tri_node_copy_into(const tri_node *n, tri_pool *pool) { return copy_rec(n, pool); }

static tr_status grow(tri_node *c)
{
    if (c->n < c->cap)
        return TR_OK;
    size_t cap = c->cap ? c->cap * 2 : 4;
    tri_node **v = tri_realloc(c->vals, cap * sizeof *v);
    if (!v)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    c->vals = v;
    if (c->kind == TRI_MAP) {
        tri_node **k = tri_realloc(c->keys, cap * sizeof *k);
        if (!k)
            return TR_FAIL(TR_E_NOMEM, "out of memory");
        c->keys = k;
    }
    c->cap = cap;
    return TR_OK;
}

tr_status tri_map_put(tri_node *map, tri_node *key, tri_node *val)
{
    if (grow(map) != TR_OK) {
        tri_node_free(key);
        tri_node_free(val);
        return TR_E_NOMEM;
    }
    map->keys[map->n] = key;
    map->vals[map->n] = val;
    map->n++;
    return TR_OK;
}

tr_status tri_seq_push(tri_node *seq, tri_node *val)
{
    if (grow(seq) != TR_OK) {
        tri_node_free(val);
        return TR_E_NOMEM;
    }
    seq->vals[seq->n++] = val;
    return TR_OK;
}

long tri_map_index(const tri_node *map, const char *key)
{
    if (!map || map->kind != TRI_MAP)
        return -1;
    for (size_t i = 0; i < map->n; i++)
        if (map->keys[i]->str && strcmp(map->keys[i]->str, key) == 0)
            return (long)i;
    return -1;
}

tri_node *tri_map_get(const tri_node *map, const char *key)
{
    long i = tri_map_index(map, key);
    return i < 0 ? NULL : map->vals[i];
}

tri_node *tri_node_step(const tri_node *n, const char *seg)
{
    if (n->kind == TRI_MAP)
        return tri_map_get(n, seg);
    if (n->kind != TRI_SEQ)
        return NULL;
    char *e;
    long i = strtol(seg, &e, 10);
    return (*e || i < 0 || (size_t)i >= n->n) ? NULL : n->vals[i];
}

void tri_map_set_at(tri_node *map, size_t i, tri_node *val)
{
    tri_node_free(map->vals[i]);
    map->vals[i] = val;
}

void tri_map_remove_at(tri_node *map, size_t i)
{
    tri_node_free(map->keys[i]);
    tri_node_free(map->vals[i]);
    memmove(map->keys + i, map->keys + i + 1, (map->n - i - 1) * sizeof *map->keys);
    memmove(map->vals + i, map->vals + i + 1, (map->n - i - 1) * sizeof *map->vals);
    map->n--;
}

const char *tri_kind_name(const tri_node *n)
{
    switch (n->kind) {
    case TRI_MAP: return "a map";
    case TRI_SEQ: return "a list";
    default: return "a scalar";
    }
}

char *tri_scalar_repr(const tri_node *n)
{
    if (!n)
        return tri_strdup("nothing");
    if (n->kind != TRI_SCALAR)
        return tri_strdup(tri_kind_name(n));
    if (n->plain && n->str[0] == '\0')
        return tri_strdup("null");
    /* quote and shorten; escape control and non-ASCII bytes */
    tri_buf b = {0};
    tri_buf_put(&b, "\"", 1);
    size_t i = 0;
    for (const unsigned char *p = (const unsigned char *)n->str; *p && i < 60; p++, i++) {
        if (*p < 0x20 || *p == 0x7f || *p == '"' || *p == '\\')
            tri_buf_printf(&b, "\\x%02x", *p);
        else
            tri_buf_put(&b, (const char *)p, 1);
    }
    if (strlen(n->str) > 60)
        tri_buf_puts(&b, "...");
    tri_buf_put(&b, "\"", 1);
    return tri_buf_take(&b);
}

/* "file:line:col: field: msg", leaving out what is unknown, and the same
 * parts recorded as the location. */
static tr_status fail_at(tr_status code, const char *file, int line, int col, const char *field, const char *fmt,
                         va_list ap)
{
    char msg[2048];
    vsnprintf(msg, sizeof msg, fmt, ap);
    const char *f = field ? field : "", *sep = *f ? ": " : "";
    if (!file || line <= 0)
        line = col = 0;
    if (col < 0)
        col = 0;
    if (line > 0 && col > 0)
        tri_err_set(code, __func__, "%s:%d:%d: %s%s%s", file, line, col, f, sep, msg);
    else if (line > 0)
        tri_err_set(code, __func__, "%s:%d: %s%s%s", file, line, f, sep, msg);
    else if (file)
        tri_err_set(code, __func__, "%s: %s%s%s", file, f, sep, msg);
    else
        tri_err_set(code, __func__, "%s%s%s", f, sep, msg);
    snprintf(tri_errfile, sizeof tri_errfile, "%s", file ? file : "");
    snprintf(tri_errfield, sizeof tri_errfield, "%s", f);
    tri_errline = line;
    tri_errcol = col;
    return code;
}

tr_status tri_fail_at(tr_status code, const char *file, int line, int col, const char *field,
                      const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tr_status st = fail_at(code, file, line, col, field, fmt, ap);
    va_end(ap);
    return st;
}

tr_status tri_node_fail_got(tr_status code, const tri_node *n, const char *path, const char *fmt, ...)
{
    char what[1536];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    char *r = tri_scalar_repr(n);
    tr_status st = tri_node_fail(code, n, path, "%s, got %s", what, r ? r : "?");
    tri_free(r);
    return st;
}

tr_status tri_node_fail(tr_status code, const tri_node *n, const char *path,
                        const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tr_status st = fail_at(code, n ? n->file : NULL, n ? n->line : 0, n ? n->col : 0, path, fmt, ap);
    va_end(ap);
    return st;
}
