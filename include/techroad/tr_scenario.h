/**
 * tr_scenario.h — loading, validating, editing and writing scenarios.
 *
 * A tr_scenario holds the effective document (after `extends`) and its
 * compiled, validated form (MODEL.md §§3-10). Every editing call
 * re-validates; a failing edit leaves the scenario as it was.
 */
#ifndef TR_SCENARIO_H
#define TR_SCENARIO_H

#include <stddef.h>
#include "tr_export.h"
#include "tr_errors.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tr_scenario tr_scenario;

/**
 * tr_scenario_load() - Read, merge (`extends`) and validate a scenario file.
 * @path: file name; relative `extends` and CSV paths resolve against its folder.
 *        It may be a pipe (/dev/stdin, /dev/fd/N), read to its end; a pipe
 *        without a name resolves them against the current folder. Files it
 *        names (`extends`, CSV tables) must be regular files. Text is UTF-8
 *        (a byte-order mark is skipped) without NUL bytes.
 * @out:  receives the scenario, NULL on failure. Free with tr_scenario_free().
 *
 * Return: TR_OK; TR_E_IO (unreadable file), TR_E_PARSE (malformed YAML/CSV),
 * TR_E_INVAL (content fails a check of MODEL.md §10), TR_E_NOTFOUND
 * (unknown reference), TR_E_NOMEM. tr_last_error() names file:line:col,
 * the field path and what was expected.
 */
TR_API tr_status tr_scenario_load(const char *path, tr_scenario **out);

/**
 * tr_scenario_loads() - Like tr_scenario_load() from text in memory.
 * @text:     YAML text, NUL-terminated; borrowed.
 * @base_dir: folder for relative `extends`/CSV paths; NULL means ".".
 * @label:    file name used in messages; NULL means "<string>".
 * @out:      receives the scenario.
 */
TR_API tr_status tr_scenario_loads(const char *text, const char *base_dir,
                                   const char *label, tr_scenario **out);

/** tr_scenario_free() - Release @sc. NULL is a no-op. */
TR_API void tr_scenario_free(tr_scenario *sc);

/**
 * tr_scenario_copy() - Independent deep copy of @sc.
 * @out: receives the copy; free with tr_scenario_free().
 */
TR_API tr_status tr_scenario_copy(const tr_scenario *sc, tr_scenario **out);

/**
 * tr_scenario_set() - Replace the value at a dotted path, then re-validate.
 * @path:  e.g. "carriers.electricity.price" or "policies.co2_cap.limit";
 *         missing intermediate maps are created.
 * @yaml:  the new value as YAML text (e.g. "{2025: 90, 2030: 110}", "0.05").
 *
 * Return: TR_OK; on any error @sc is unchanged and tr_last_error() explains.
 */
TR_API tr_status tr_scenario_set(tr_scenario *sc, const char *path, const char *yaml);

/**
 * tr_scenario_remove() - Delete the key at a dotted path, then re-validate.
 * Return: TR_OK, TR_E_NOTFOUND (no such key), or a validation error
 * (@sc unchanged).
 */
TR_API tr_status tr_scenario_remove(tr_scenario *sc, const char *path);

/**
 * tr_scenario_get() - The value at a dotted path as YAML text.
 * @out: receives a NUL-terminated string; free with tr_string_free().
 */
TR_API tr_status tr_scenario_get(const tr_scenario *sc, const char *path, char **out);

/**
 * tr_scenario_to_yaml() - The effective scenario (after `extends`, CSV
 * tables inlined) as canonical YAML; loading it gives the same scenario.
 * @out: receives the text; free with tr_string_free().
 */
TR_API tr_status tr_scenario_to_yaml(const tr_scenario *sc, char **out);

/**
 * tr_scenario_sha256() - Hex SHA-256 of tr_scenario_to_yaml()'s text.
 * Return: a string owned by @sc (65 bytes), valid until @sc changes.
 */
TR_API const char *tr_scenario_sha256(const tr_scenario *sc);

/**
 * tr_scenario_value() - Evaluate the numeric series at a dotted path for a
 * year, as the model does (interpolation, flat extrapolation).
 * @path: e.g. "carriers.electricity.price", "plants.p1.intensity.electricity".
 * @year: any year; series maps interpolate, constants ignore it.
 * @out:  receives the value.
 * A field the file leaves out gives the default the model uses
 * (technologies' hurdle_rate, applicability, max_uptake, fixed_om,
 * variable_om, available_from, existing.<plant>; plants' intensity.<c>,
 * process_emissions.<s>, other_cost, min_operating, closure_cost; carriers'
 * emission_factors.<s>; species' damage_cost).
 * Return: TR_OK; TR_E_NOTFOUND (no such key and no default),
 * TR_E_INVAL (the value there is not a number or series).
 */
TR_API tr_status tr_scenario_value(const tr_scenario *sc, const char *path, int year, double *out);

/* ---- read-only views (borrowed strings valid until @sc changes) ---- */

/** tr_scenario_name() - The scenario's `name`. */
TR_API const char *tr_scenario_name(const tr_scenario *sc);
/** tr_scenario_path() - The file it was loaded from (or the label). */
TR_API const char *tr_scenario_path(const tr_scenario *sc);
/** tr_scenario_start_year() / tr_scenario_end_year() - The horizon. */
TR_API int tr_scenario_start_year(const tr_scenario *sc);
TR_API int tr_scenario_end_year(const tr_scenario *sc);
/** tr_scenario_year_count() - end - start + 1. */
TR_API size_t tr_scenario_year_count(const tr_scenario *sc);

/** tr_item_kind - the named item lists of a scenario. */
typedef enum tr_item_kind {
    TR_ITEM_PLANT = 0,
    TR_ITEM_TECHNOLOGY,
    TR_ITEM_CARRIER,
    TR_ITEM_SPECIES,
    TR_ITEM_POLICY,
    TR_ITEM_GROUP,
    TR_ITEM_PRODUCT,
    TR_ITEM_INDICATOR,
    TR_ITEM__COUNT
} tr_item_kind;

/** tr_scenario_count() - Number of items of @kind (0 for a bad kind). */
TR_API size_t tr_scenario_count(const tr_scenario *sc, tr_item_kind kind);
/** tr_scenario_id() - Id of item @i of @kind, or NULL when out of range. */
TR_API const char *tr_scenario_id(const tr_scenario *sc, tr_item_kind kind, size_t i);

#ifdef __cplusplus
}
#endif
#endif
