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

#ifdef __cplusplus
}
#endif
#endif
