/**
 * tr_audit.h — what a scenario's numbers rest on (issue 14): the evidence
 * table of `techroad audit`, read from the scenario's own provenance
 * (references files, `source:` / `sources:`, assumptions; docs/MODEL.md
 * "Provenance").
 */
#ifndef TR_AUDIT_H
#define TR_AUDIT_H

#include "tr_analysis.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * tr_scenario_audit() - The evidence tables of @sc, as an analysis:
 *  "evidence": one row per file of the merged scenario (the extends chain,
 *     CSV tables) in the order their numbers appear, then a row "total";
 *     columns file, numbers, sourced, assumption, free_text, neither.
 *  "numbers": every number (a numeric scalar of a YAML file or a CSV cell;
 *     year keys of series are not numbers) with what covers it: file,
 *     line, column, path, value, evidence (sourced / assumption / free
 *     text / neither), keys (citation keys, "; "-separated), assumption
 *     (its text, or the free text), range_low, range_high (multipliers of
 *     an assumption; NaN otherwise), searched (the assumption's
 *     `searched:` text: what was looked for, where and when, and not
 *     found; "" when none).
 * A number counts as an assumption when what covers it names one (even
 * with keys), as sourced when it names keys only.
 * @out: free with tr_analysis_free().
 */
TR_API tr_status tr_scenario_audit(const tr_scenario *sc, tr_analysis **out);

/**
 * tr_audit_ranking() - What the results rest on: every number marked as an
 * assumption varied over its range, one assumption-covered field at a
 * time, and ranked by its effect (docs/MODEL.md "Influence ranking").
 *
 * A group is a field path (a series' years together, a scalar) and the
 * assumption covering its numbers: its numbers are multiplied together by
 * the assumption's low and then high multiplier (default [0.75, 1.25]).
 * When the scenario's `uncertainty:` section has a parameter for the field
 * (its path or an ancestor's), the parameter's 5th and 95th percentiles are
 * used instead (as the tornado does; values, not multipliers, for a
 * parameter in replace mode). Numbers of the `uncertainty:` section itself
 * are not varied (no solve reads them). A group whose range is [1, 1] or
 * whose numbers are all 0 has no effect and is not solved.
 *
 * @rank_by: "npv" (NULL: default), "co2" (the cumulative emissions of the
 *   main species: CO2 if declared, else the first) or "intensity" (total
 *   final energy per unit of product in the final year).
 * @top: keep the first @top rows of the ranking (0: all).
 * @o: threads, warm, progress as the other analyses (NULL: defaults).
 *
 * Tables: "ranking": path, value (the group's first number), low, high
 *   (that number at the low and high ends), npv_low, npv_high, co2_low,
 *   co2_high, intensity_low, intensity_high (the outputs at each end; NaN
 *   when the run was not optimal), swing (|high - low| of the ranked
 *   output), where (file:line of the first number), range_low, range_high
 *   (the multipliers; NaN in replace mode), range_from ("assumption" or
 *   the uncertainty parameter's id), numbers (how many numbers the group
 *   holds), assumption, searched, note (why a side failed, or ""); largest
 *   swing first, NaN last, document order among equals.
 *   "outputs": output (npv, co2, intensity), name (the total or series),
 *   what, base (the unvaried scenario's value), ranked (1 for @rank_by),
 *   scenario (the scenario's name).
 *   "failures" when a varied value was rejected (as other analyses).
 */
TR_API tr_status tr_audit_ranking(const tr_scenario *sc, const char *rank_by, size_t top, const tr_analysis_opts *o,
                                  tr_analysis **out);

#ifdef __cplusplus
}
#endif
#endif
