/* libFuzzer target: the public editing API on a valid scenario.
 *
 * Input: the first byte picks one of four shipped scenarios (loaded once;
 * each input edits a tr_scenario_copy() of it); the rest is a list of
 * operations, one per line (at most 24), "\n" inside a value written as
 * the two characters backslash and n:
 *   s<path>=<yaml>   tr_scenario_set()
 *   r<path>          tr_scenario_remove()
 *   g<path>          tr_scenario_get()
 *   v<path>=<year>   tr_scenario_value()
 *   c                tr_scenario_copy() (the copy replaces the scenario)
 *   y                tr_scenario_to_yaml() and load it again
 * Anything else on a line is ignored.
 *
 * Properties, besides the sanitizers': a failing edit returns a known status
 * with a message and leaves the scenario unchanged (same SHA-256); a copy
 * has the same SHA-256; the YAML of an edited scenario loads again to the
 * same scenario (fuzz_common.h fz_roundtrip()); at the end the (small
 * enough) scenario is solved and written. A violation calls abort().
 *
 * Build and run: scripts/reliability.sh fuzz [SECONDS]. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <techroad/techroad.h>

#include "fuzz_common.h"

static const char *const protos_files[] = {
    TR_SOURCE_DIR "/tests/data/tiny.yaml",
    TR_SOURCE_DIR "/tests/data/csv/scenario.yaml",
    TR_SOURCE_DIR "/scenarios/vn-eaf/voluntary-agreement.yaml",
    TR_SOURCE_DIR "/scenarios/binh-yen/relocation.yaml",
};
#define NPROTO (sizeof protos_files / sizeof *protos_files)
static tr_scenario *protos[NPROTO];
static char dir[256];

static void free_protos(void)
{
    for (size_t i = 0; i < NPROTO; i++)
        tr_scenario_free(protos[i]);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    tr_library_init();
    fz_make_dir(dir, sizeof dir);
    for (size_t i = 0; i < NPROTO; i++)
        if (tr_scenario_load(protos_files[i], &protos[i]) != TR_OK) {
            fprintf(stderr, "%s: %s\n", protos_files[i], tr_last_error());
            abort();
        }
    atexit(free_protos);
    return 0;
}

static void expect_failure(tr_status st, const char *what)
{
    if (st <= TR_OK || st >= TR_E__COUNT)
        fz_fail(what, "status out of range", (int)st);
    if (tr_last_error()[0] == '\0')
        fz_fail(what, "empty error message", (int)st);
}

static void roundtrip(const tr_scenario *sc) { fz_roundtrip(sc, dir, "roundtrip"); }

/* "\n" (two characters) -> newline, in place. */
static void unescape(char *s)
{
    char *w = s;
    for (char *r = s; *r; r++) {
        if (r[0] == '\\' && r[1] == 'n') {
            *w++ = '\n';
            r++;
        } else {
            *w++ = *r;
        }
    }
    *w = '\0';
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    tr_scenario *sc = NULL;
    if (tr_scenario_copy(protos[data[0] % NPROTO], &sc) != TR_OK)
        fz_fail("copy", "copying a loaded scenario failed", 0);
    char *text = malloc(size);
    if (!text)
        abort();
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';

    int ops = 0, edited = 0;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line && ops < 24; line = strtok_r(NULL, "\n", &save), ops++) {
        char op = line[0];
        char *path = line + (op ? 1 : 0);
        char *val = strchr(path, '=');
        if (val)
            *val++ = '\0';
        char sha[65];
        snprintf(sha, sizeof sha, "%s", tr_scenario_sha256(sc));
        tr_status st;
        switch (op) {
        case 's':
            if (!val)
                break;
            unescape(val);
            st = tr_scenario_set(sc, path, val);
            if (st != TR_OK) {
                expect_failure(st, "set");
                if (strcmp(sha, tr_scenario_sha256(sc)) != 0)
                    fz_fail("set", "a failing edit changed the scenario", (int)st);
            } else {
                edited = 1;
            }
            break;
        case 'r':
            st = tr_scenario_remove(sc, path);
            if (st != TR_OK) {
                expect_failure(st, "remove");
                if (strcmp(sha, tr_scenario_sha256(sc)) != 0)
                    fz_fail("remove", "a failing edit changed the scenario", (int)st);
            } else {
                edited = 1;
            }
            break;
        case 'g': {
            char *out = (char *)&out;
            st = tr_scenario_get(sc, path, &out);
            if (st != TR_OK) {
                expect_failure(st, "get");
                if (out)
                    fz_fail("get", "out-pointer not NULL after a failure", (int)st);
            } else {
                tr_string_free(out);
            }
            break;
        }
        case 'v': {
            double v;
            int year = val ? atoi(val) : 2025;
            st = tr_scenario_value(sc, path, year, &v);
            if (st != TR_OK)
                expect_failure(st, "value");
            break;
        }
        case 'c': {
            tr_scenario *c = NULL;
            if (tr_scenario_copy(sc, &c) != TR_OK)
                fz_fail("copy", "copying a valid scenario failed", 0);
            if (strcmp(tr_scenario_sha256(c), sha) != 0)
                fz_fail("copy", "the copy has another SHA-256", 0);
            tr_scenario_free(sc);
            sc = c;
            break;
        }
        case 'y':
            roundtrip(sc);
            break;
        default:
            break;
        }
    }
    if (edited) {
        roundtrip(sc);
        size_t items = tr_scenario_count(sc, TR_ITEM_PLANT) + tr_scenario_count(sc, TR_ITEM_TECHNOLOGY);
        if (tr_scenario_year_count(sc) <= 60 && items <= 80)
            fz_solve_and_write(sc);
    }
    free(text);
    tr_scenario_free(sc);
    return 0;
}
