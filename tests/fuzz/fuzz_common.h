/* Helpers shared by the libFuzzer targets (header-only: each target is one
 * translation unit compiled together with the library sources, see
 * scripts/reliability.sh). TR_SOURCE_DIR is the repository root, passed by
 * the build with -D. */
#ifndef TR_FUZZ_COMMON_H
#define TR_FUZZ_COMMON_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <techroad/techroad.h>

#ifndef TR_SOURCE_DIR
#error "build with -DTR_SOURCE_DIR=\"/path/to/techroad\""
#endif

/* A violated property: print it and abort (libFuzzer saves the input). */
static inline void fz_fail(const char *what, const char *why, int status)
{
    fprintf(stderr, "techroad fuzz: %s: %s (status %d: %s)\n  last error: %s\n", what, why, status,
            tr_strerror((tr_status)status), tr_last_error());
    abort();
}

static char fz_dir_copy[256];
static const char *const fz_files[] = {"base.yaml", "plants.csv", "technologies.csv", "fuzz.csv", "fuzz.yaml",
                                       NULL};

static inline void fz_cleanup(void)
{
    char p[512];
    for (const char *const *f = fz_files; *f; f++) {
        snprintf(p, sizeof p, "%s/%s", fz_dir_copy, *f);
        unlink(p);
    }
    rmdir(fz_dir_copy);
}

static inline void fz_write(const char *dir, const char *name, const void *data, size_t n)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "wb");
    if (!f) {
        perror(p);
        abort();
    }
    if (n && fwrite(data, 1, n, f) != n)
        abort();
    fclose(f);
}

static inline void fz_copy(const char *dir, const char *name, const char *src)
{
    FILE *f = fopen(src, "rb");
    if (!f) {
        perror(src);
        abort();
    }
    static char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    fz_write(dir, name, buf, n);
}

/* A private folder with base.yaml, plants.csv and technologies.csv. */
static inline void fz_make_dir(char *dir, size_t n)
{
    snprintf(dir, n, "/tmp/tr_fuzz_XXXXXX");
    if (!mkdtemp(dir)) {
        perror("mkdtemp");
        abort();
    }
    snprintf(fz_dir_copy, sizeof fz_dir_copy, "%s", dir);
    atexit(fz_cleanup);
    fz_copy(dir, "base.yaml", TR_SOURCE_DIR "/tests/data/tiny.yaml");
    fz_copy(dir, "plants.csv", TR_SOURCE_DIR "/tests/data/csv/plants.csv");
    fz_copy(dir, "technologies.csv", TR_SOURCE_DIR "/tests/data/csv/technologies.csv");
    fz_write(dir, "fuzz.csv", "", 0);
    fz_write(dir, "fuzz.yaml", "", 0);
}

/* The input cut at lines "#--" into NUL-terminated copies. */
#define FZ_PARTS 3
typedef struct fz_parts {
    char *part[FZ_PARTS];
    size_t len[FZ_PARTS];
} fz_parts;

static inline void fz_split(const uint8_t *data, size_t size, fz_parts *p)
{
    static const char sep[] = "\n#--\n";
    const size_t sl = sizeof sep - 1;
    size_t at = 0;
    for (int k = 0; k < FZ_PARTS; k++) {
        size_t end = size;
        if (k < FZ_PARTS - 1)
            for (size_t i = at; i + sl <= size; i++)
                if (memcmp(data + i, sep, sl) == 0) {
                    end = i;
                    break;
                }
        if (at > size)
            at = size;
        if (end < at)
            end = at;
        p->len[k] = end - at;
        p->part[k] = malloc(p->len[k] + 1);
        if (!p->part[k])
            abort();
        if (p->len[k])
            memcpy(p->part[k], data + at, p->len[k]);
        p->part[k][p->len[k]] = '\0';
        at = end + sl;   /* the separator's newlines stay out of both parts */
        if (end == size)
            at = size + 1;
    }
}

static inline void fz_free_parts(fz_parts *p)
{
    for (int k = 0; k < FZ_PARTS; k++)
        free(p->part[k]);
}

/* tr_scenario_to_yaml() text loads again to the same scenario: same name,
 * horizon and items, and the same SHA-256 (the hash of that text, so the
 * text must be a fixed point: check_stress.c bug_to_yaml_not_fixed_point and
 * bug_to_yaml_multiline_plain). TR_FUZZ_STRICT=0 compares the hashes from
 * the second round trip on only, to fuzz past a known bug of this kind. */
static inline tr_scenario *fz_reload(const tr_scenario *sc, const char *dir, const char *what)
{
    char *y = NULL;
    tr_status st = tr_scenario_to_yaml(sc, &y);
    if (st != TR_OK)
        fz_fail(what, "a valid scenario could not be written as YAML", (int)st);
    tr_scenario *again = NULL;
    st = tr_scenario_loads(y, dir, "again.yaml", &again);
    if (st != TR_OK) {
        fprintf(stderr, "--- text:\n%s\n", y);
        fz_fail(what, "the scenario's own YAML does not load", (int)st);
    }
    tr_string_free(y);
    return again;
}

static inline void fz_roundtrip(const tr_scenario *sc, const char *dir, const char *what)
{
    static int strict = -1;
    if (strict < 0)
        strict = !(getenv("TR_FUZZ_STRICT") && getenv("TR_FUZZ_STRICT")[0] == '0');
    tr_scenario *a = fz_reload(sc, dir, what);
    if (strcmp(tr_scenario_name(a), tr_scenario_name(sc)) != 0 ||
        tr_scenario_year_count(a) != tr_scenario_year_count(sc))
        fz_fail(what, "reloading the scenario's own YAML changes its name or horizon", 0);
    for (int k = 0; k < TR_ITEM__COUNT; k++)
        if (tr_scenario_count(a, (tr_item_kind)k) != tr_scenario_count(sc, (tr_item_kind)k))
            fz_fail(what, "reloading the scenario's own YAML changes its items", k);
    const tr_scenario *first = sc;
    tr_scenario *b = NULL;
    if (!strict) {
        b = fz_reload(a, dir, what);
        first = a;
    }
    const tr_scenario *second = strict ? a : b;
    if (strcmp(tr_scenario_sha256(first), tr_scenario_sha256(second)) != 0) {
        char *y = NULL;
        if (tr_scenario_to_yaml(first, &y) == TR_OK)
            fprintf(stderr, "--- text:\n%s\n", y);
        tr_string_free(y);
        fz_fail(what, "reloading the scenario's own YAML gives another SHA-256", 0);
    }
    tr_scenario_free(b);
    tr_scenario_free(a);
}

/* Solve and write JSON: TR_OK with a valid outcome, or a clear error. */
static inline void fz_solve_and_write(const tr_scenario *sc)
{
    tr_result *r = (tr_result *)&r;
    tr_status st = tr_scenario_solve(sc, NULL, &r);
    if (st != TR_OK) {
        if (st < TR_OK || st >= TR_E__COUNT || tr_last_error()[0] == '\0')
            fz_fail("solve", "failure without a known status and a message", (int)st);
        if (r != NULL)
            fz_fail("solve", "out-pointer not NULL after a failure", (int)st);
        return;
    }
    tr_sol_status s = tr_result_status(r);
    if ((int)s < TR_SOL_OPTIMAL || s > TR_SOL_LIMIT)
        fz_fail("solve", "outcome out of range", (int)s);
    char *js = NULL;
    st = tr_result_write_string(r, TR_FMT_JSON, &js);
    if (st != TR_OK || !js || js[0] != '{')
        fz_fail("write JSON", "an optimal or other result could not be written", (int)st);
    tr_string_free(js);
    if (s == TR_SOL_OPTIMAL) {
        char *tab = NULL;
        st = tr_result_write_string(r, TR_FMT_TABLE, &tab);
        if (st != TR_OK)
            fz_fail("write table", "an optimal result could not be written", (int)st);
        tr_string_free(tab);
    }
    tr_result_free(r);
}

#endif
