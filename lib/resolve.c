/* resolve: read a scenario file, inline `{csv: file}` tables, follow
 * `extends` (relative to the file that names it) and deep-merge: maps merge
 * key by key, anything else is replaced by the extending file's value.
 * Cycles are detected on canonical paths. */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/vfs.h>
#define TRI_PIPEFS_MAGIC 0x50495045   /* linux/magic.h PIPEFS_MAGIC */
#endif

#include "provenance.h"

#define TRI_MAX_FILE (256L * 1024 * 1024)
#define TRI_MAX_EXTENDS 32

/* The rest of @fd into @b, within TRI_MAX_FILE; 0 and errno on a read error */
static int read_fd(int fd, tri_buf *b)
{
    char chunk[65536];
    for (;;) {
        ssize_t got = read(fd, chunk, sizeof chunk);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            return 0;
        if (got == 0)
            return 1;
        tri_buf_put(b, chunk, (size_t)got);
        if (b->failed || b->len > (size_t)TRI_MAX_FILE)
            return 1;
    }
}

/* Is @path a pipe with no name (`cat x | techroad validate /dev/stdin`,
 * bash's `<(...)`): its folder means nothing */
static int anonymous_pipe(const char *path)
{
#ifdef __linux__
    struct statfs fs;
    return statfs(path, &fs) == 0 && fs.f_type == TRI_PIPEFS_MAGIC;
#else
    (void)path;
    return 0;
#endif
}

/* Read the whole file @path; with @pipe_ok a pipe (or FIFO) too, read to
 * its end. Messages name @display. */
static char *read_input(const char *path, const char *display, int pipe_ok, size_t *len, tr_status *st)
{
    struct stat sb;
    if (stat(path, &sb) != 0) {
        *st = tri_fail_at(TR_E_IO, display, 0, 0, NULL, "cannot read: %s", strerror(errno));
        return NULL;
    }
    if (S_ISDIR(sb.st_mode)) {
        *st = tri_fail_at(TR_E_IO, display, 0, 0, NULL, "is a directory, expected a file");
        return NULL;
    }
    int pipe = S_ISFIFO(sb.st_mode) && pipe_ok;
    if (!S_ISREG(sb.st_mode) && !pipe) {
        /* a FIFO named by a scenario (`extends`, a CSV table) or a device
         * would block or never end; only the scenario itself may be a pipe */
        *st = tri_fail_at(TR_E_IO, display, 0, 0, NULL, "not a regular file (a pipe or a device); expected a file");
        return NULL;
    }
    /* O_NONBLOCK: opening a FIFO without a writer would wait for one; then
     * reads block again, and a FIFO without a writer reads as empty */
    int fd = open(path, O_RDONLY | O_CLOEXEC | (pipe ? O_NONBLOCK : 0));
    if (fd < 0) {
        *st = tri_fail_at(TR_E_IO, display, 0, 0, NULL, "cannot read: %s", strerror(errno));
        return NULL;
    }
    if (pipe) {
        int fl = fcntl(fd, F_GETFL);
        if (fl == -1 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) == -1) {
            *st = tri_fail_at(TR_E_IO, display, 0, 0, NULL, "cannot read: %s", strerror(errno));
            close(fd);
            return NULL;
        }
    }
    tri_buf b = {0};
    int ok = read_fd(fd, &b), err = errno;
    close(fd);
    if (b.failed) {
        tri_free(b.s);
        *st = TR_FAIL(TR_E_NOMEM, "%s: out of memory reading the file", display);
        return NULL;
    }
    if (b.len > (size_t)TRI_MAX_FILE) {
        tri_free(b.s);
        *st = tri_fail_at(TR_E_IO, display, 0, 0, NULL, "larger than %ld MiB; expected a scenario file",
                          TRI_MAX_FILE / (1024 * 1024));
        return NULL;
    }
    if (!ok) {
        tri_free(b.s);
        *st = tri_fail_at(TR_E_IO, display, 0, 0, NULL, "read error: %s", strerror(err));
        return NULL;
    }
    *len = b.len;
    char *s = tri_buf_take(&b);
    if (!s)
        *st = TR_FAIL(TR_E_NOMEM, "out of memory");
    return s;
}

char *tri_read_file(const char *path, const char *display, size_t *len, tr_status *st)
{
    return read_input(path, display, 0, len, st);
}

/* folder part of @path ("." when none), newly allocated */
static char *dir_of(const char *path)
{
    const char *sl = strrchr(path, '/');
    if (!sl)
        return tri_strdup(".");
    if (sl == path)
        return tri_strdup("/");
    return tri_strndup(path, (size_t)(sl - path));
}

static char *join(const char *dir, const char *rel)
{
    if (rel[0] == '/' || strcmp(dir, ".") == 0)
        return tri_strdup(rel);
    return tri_asprintf("%s/%s", dir, rel);
}

static tr_status merge_into(tri_node *base, tri_node *over);

/* Replace `plants: {csv: f}` / `technologies: {csv: f}` by the table. */
static tr_status inline_csv(tri_node *root, const char *dir, const char *display_dir, tri_pool *pool)
{
    static const char *const keys[] = {"plants", "technologies"};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        long at = tri_map_index(root, keys[i]);
        if (at < 0)
            continue;
        tri_node *v = root->vals[at];
        tri_node *f = tri_map_get(v, "csv");
        if (!f)
            continue;
        if (f->kind != TRI_SCALAR || f->str[0] == '\0')
            return tri_node_fail(TR_E_INVAL, f, keys[i], "csv: expected a file name, got %s", tri_kind_name(f));
        char *p = join(dir, f->str), *d = join(display_dir, f->str);
        tri_node *table = NULL;
        tr_status st = (p && d) ? tri_load_csv(p, d, keys[i], pool, f, &table) : TR_FAIL(TR_E_NOMEM, "out of memory");
        tri_free(p);
        tri_free(d);
        if (st != TR_OK)
            return st;
        /* other keys beside `csv` are items that extend or override rows */
        tri_map_remove_at(v, (size_t)tri_map_index(v, "csv"));
        st = merge_into(table, v);
        if (st != TR_OK) {
            tri_node_free(table);
            return st;
        }
        tri_map_set_at(root, at, table);
    }
    return TR_OK;
}

/* Deep merge @over into @base; @over's nodes are moved (it is emptied). */
static tr_status merge_into(tri_node *base, tri_node *over)
{
    for (size_t i = 0; i < over->n; i++) {
        tri_node *k = over->keys[i], *v = over->vals[i];
        long at = tri_map_index(base, k->str);
        if (at < 0) {
            if (tri_map_put(base, k, v) != TR_OK) {
                over->keys[i] = over->vals[i] = NULL;
                return TR_E_NOMEM;
            }
        } else if (base->vals[at]->kind == TRI_MAP && v->kind == TRI_MAP) {
            tr_status st = merge_into(base->vals[at], v);
            if (st != TR_OK)
                return st;
            tri_node_free(k);
            tri_node_free(v);
        } else {
            tri_map_set_at(base, at, v);
            tri_node_free(k);
        }
        over->keys[i] = over->vals[i] = NULL;
    }
    over->n = 0;
    return TR_OK;
}

typedef struct chain {
    char *real[TRI_MAX_EXTENDS + 1];
    int n;
} chain;

static tr_status resolve_tree(tri_node *root, const char *dir, const char *display, tri_pool *pool,
                              chain *ch, tri_node **out);

static tr_status resolve_path(const char *path, const char *display, const tri_node *where, tri_pool *pool,
                              chain *ch, tri_node **out)
{
    *out = NULL;
    /* the scenario itself may be a pipe: its identity is its inode (realpath
     * would follow /dev/stdin to "pipe:[...]", which is no file), and a pipe
     * without a name has no folder: its relative paths start from the
     * current one */
    struct stat sb;
    int pipe = !where && stat(path, &sb) == 0 && S_ISFIFO(sb.st_mode);
    char *real = NULL;
    if (pipe) {
        char id[64];
        snprintf(id, sizeof id, "pipe %ju:%ju", (uintmax_t)sb.st_dev, (uintmax_t)sb.st_ino);
        real = strdup(id);   /* freed with free(), as realpath's */
        if (!real)
            return TR_FAIL(TR_E_NOMEM, "out of memory");
    } else {
        real = realpath(path, NULL);
    }
    if (!real) {
        if (where)
            return tri_node_fail(TR_E_IO, where, "extends", "cannot read %s: %s", display, strerror(errno));
        return tri_fail_at(TR_E_IO, display, 0, 0, NULL, "cannot read: %s", strerror(errno));
    }
    for (int i = 0; i < ch->n; i++)
        if (strcmp(ch->real[i], real) == 0) {
            free(real);
            return tri_node_fail(TR_E_INVAL, where, "extends",
                                 "cycle: %s extends itself through the chain of `extends`", display);
        }
    if (ch->n >= TRI_MAX_EXTENDS) {
        free(real);
        return tri_node_fail(TR_E_INVAL, where, "extends", "more than %d files chained by `extends`",
                             TRI_MAX_EXTENDS);
    }
    ch->real[ch->n++] = real;
    tr_status st;
    size_t len;
    char *text = read_input(path, display, pipe, &len, &st);
    if (!text) {
        if (where)
            st = tri_node_fail(st, where, "extends", "%s", tr_last_error());
        goto done;
    }
    tri_node *root = NULL;
    st = tri_parse_yaml(text, len, display, pool, &root);
    tri_free(text);
    if (st != TR_OK)
        goto done;
    /* a file reached through a descriptor (/dev/stdin < x.yaml, /dev/fd/N,
     * /proc/self/fd/N): its relative paths start from its real folder */
    int nodir = pipe && anonymous_pipe(path);
    const char *at = !pipe && (!strncmp(path, "/dev/", 5) || !strncmp(path, "/proc/", 6)) ? real : NULL;
    char *dir = nodir ? tri_strdup(".") : dir_of(at ? at : path);
    char *ddir = nodir ? tri_strdup(".") : dir_of(at ? at : display);
    st = (dir && ddir) ? resolve_tree(root, dir, display, pool, ch, out) : TR_FAIL(TR_E_NOMEM, "out of memory");
    if (!dir || !ddir)
        tri_node_free(root);
    tri_free(dir);
    tri_free(ddir);
done:
    ch->n--;
    free(ch->real[ch->n]);
    return st;
}

/* Takes ownership of @root. */
static tr_status resolve_tree(tri_node *root, const char *dir, const char *display, tri_pool *pool,
                              chain *ch, tri_node **out)
{
    *out = NULL;
    tr_status st = TR_OK;
    if (root->kind != TRI_MAP) {
        st = tri_node_fail(TR_E_INVAL, root, NULL, "expected a map of scenario fields at the top, got %s",
                           tri_kind_name(root));
        tri_node_free(root);
        return st;
    }
    char *ddir = dir_of(display);
    if (!ddir) {
        tri_node_free(root);
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    }
    st = inline_csv(root, dir, ddir, pool);
    if (st == TR_OK)
        st = tri_refs_load(root, dir, ddir, pool);   /* `references:` files, relative to this file */
    long at = st == TR_OK ? tri_map_index(root, "extends") : -1;
    if (st == TR_OK && at >= 0) {
        tri_node *ex = root->vals[at];
        if (ex->kind != TRI_SCALAR || ex->str[0] == '\0' || (ex->plain && strcmp(ex->str, "~") == 0)) {
            st = tri_node_fail(TR_E_INVAL, ex, "extends", "expected a relative file name, got %s",
                               tri_kind_name(ex));
        } else {
            char *p = join(dir, ex->str), *d = join(ddir, ex->str);
            tri_node *base = NULL;
            st = (p && d) ? resolve_path(p, d, ex, pool, ch, &base) : TR_FAIL(TR_E_NOMEM, "out of memory");
            tri_free(p);
            tri_free(d);
            if (st == TR_OK) {
                tri_map_remove_at(root, (size_t)at);
                st = tri_refs_merge(base, root);   /* the two files' references are concatenated */
                if (st == TR_OK)
                    st = merge_into(base, root);
                tri_node_free(root);
                root = base;
            }
        }
    }
    tri_free(ddir);
    if (st != TR_OK) {
        tri_node_free(root);
        return st;
    }
    *out = root;
    return TR_OK;
}

tr_status tri_resolve_file(const char *path, tri_pool *pool, tri_node **out)
{
    chain ch = {.n = 0};
    return resolve_path(path, path, NULL, pool, &ch, out);
}

tr_status tri_resolve_text(const char *text, const char *base_dir, const char *label,
                           tri_pool *pool, tri_node **out)
{
    *out = NULL;
    tri_node *root = NULL;
    if (!label)
        label = "<string>";
    if (!base_dir)
        base_dir = ".";
    tr_status st = tri_parse_yaml(text, strlen(text), label, pool, &root);
    if (st != TR_OK)
        return st;
    chain ch = {.n = 0};
    /* messages name files relative to base_dir as the user gave it */
    char *display = join(base_dir, label);
    if (!display) {
        tri_node_free(root);
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    }
    st = resolve_tree(root, base_dir, display, pool, &ch, out);
    tri_free(display);
    return st;
}
