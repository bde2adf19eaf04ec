/* libFuzzer target: the scenario loader (YAML, `extends`, CSV tables).
 *
 * The input is split at lines "#--" (a YAML comment, so that a plain
 * scenario is also a valid input) into up to three parts:
 *   part 0  the scenario text, loaded with tr_scenario_loads();
 *   part 1  written to fuzz.csv   (reachable as `plants: {csv: fuzz.csv}`);
 *   part 2  written to fuzz.yaml  (reachable as `extends: fuzz.yaml`).
 * The base directory is a private temporary folder that also holds fixed
 * files: base.yaml (tests/data/tiny.yaml), plants.csv and technologies.csv
 * (tests/data/csv), so that `extends` and CSV paths reach real content.
 *
 * Properties checked, besides "no crash, no leak, no UB" (the sanitizers):
 *   - a failure has a known status code and a non-empty message, and sets
 *     the out-pointer to NULL;
 *   - a loaded scenario survives tr_scenario_to_yaml() and loads again to
 *     the same scenario and SHA-256 (fuzz_common.h fz_roundtrip());
 *   - a small loaded scenario is solved and written as JSON; the solve
 *     returns TR_OK or a clear error, never a crash.
 * A violated property calls abort(), which libFuzzer reports as a crash.
 *
 * Build and run: scripts/reliability.sh fuzz [SECONDS]. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <techroad/techroad.h>

#include "fuzz_common.h"

static char dir[256];

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    tr_library_init();
    fz_make_dir(dir, sizeof dir);
    return 0;
}

/* Largest scenario that is solved per input (keeps executions fast). */
#define SOLVE_MAX_YEARS 40
#define SOLVE_MAX_ITEMS 40

static void check_failure(tr_status st, const void *out, const char *what)
{
    if (st <= TR_OK || st >= TR_E__COUNT)
        fz_fail(what, "status out of range", (int)st);
    if (out != NULL)
        fz_fail(what, "out-pointer not NULL after a failure", (int)st);
    if (tr_last_error()[0] == '\0')
        fz_fail(what, "empty error message", (int)st);
}

static void roundtrip(const tr_scenario *sc) { fz_roundtrip(sc, dir, "roundtrip"); }

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_parts p;
    fz_split(data, size, &p);
    fz_write(dir, "fuzz.csv", p.part[1], p.len[1]);
    fz_write(dir, "fuzz.yaml", p.part[2], p.len[2]);

    tr_scenario *sc = (tr_scenario *)&sc;
    tr_status st = tr_scenario_loads(p.part[0], dir, "input.yaml", &sc);
    if (st != TR_OK) {
        check_failure(st, sc, "load");
        fz_free_parts(&p);
        return 0;
    }
    roundtrip(sc);
    size_t items = tr_scenario_count(sc, TR_ITEM_PLANT) + tr_scenario_count(sc, TR_ITEM_TECHNOLOGY) +
                   tr_scenario_count(sc, TR_ITEM_POLICY);
    if (tr_scenario_year_count(sc) <= SOLVE_MAX_YEARS && items <= SOLVE_MAX_ITEMS)
        fz_solve_and_write(sc);
    tr_scenario_free(sc);
    fz_free_parts(&p);
    return 0;
}
