/**
 * tr_report.h — benchmarking plants against best practice, and roadmap
 * reports across scenarios.
 */
#ifndef TR_REPORT_H
#define TR_REPORT_H

#include <stddef.h>
#include "tr_export.h"
#include "tr_errors.h"
#include "tr_scenario.h"
#include "tr_solve.h"
#include "tr_analysis.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------ benchmark */

typedef struct tr_benchmark tr_benchmark;

/**
 * tr_benchmark_new() - Benchmark every plant against the scenario's
 * best-practice intensities (the `benchmark:` section, docs/DECISIONS.md).
 * @sc:  the scenario; must have a `benchmark:` section.
 * @res: an optimal result of @sc (same scenario hash) for every year of the
 *       horizon, or NULL for the base year with the existing equipment only.
 * @out: receives the benchmark; owns its data; free with tr_benchmark_free().
 * Errors: TR_E_INVAL (no benchmark section, result of another scenario or
 * not optimal).
 */
TR_API tr_status tr_benchmark_new(const tr_scenario *sc, const tr_result *res, tr_benchmark **out);
/** tr_benchmark_free() - Release @b. NULL is a no-op. */
TR_API void tr_benchmark_free(tr_benchmark *b);
/** tr_benchmark_year_count() / _year() - the years benchmarked. */
TR_API size_t tr_benchmark_year_count(const tr_benchmark *b);
TR_API int tr_benchmark_year(const tr_benchmark *b, size_t t);
/** tr_benchmark_plant_count() - plants producing in year index @t (the curve's length). */
TR_API size_t tr_benchmark_plant_count(const tr_benchmark *b, size_t t);

/** tr_benchmark_row - one plant on the benchmark curve (strings owned by the benchmark). */
typedef struct tr_benchmark_row {
    const char *plant;
    double production;          /* t (product unit) */
    double cumulative;          /* production of this and all less intensive plants */
    double sec_final;           /* final energy per unit of product, GJ */
    double sec_primary;         /* primary energy per unit, GJ */
    double eei_final;           /* energy-efficiency index: sec_final / best practice */
    double eei_primary;
    double saving_final;        /* GJ saved if this plant reached best practice (>= 0) */
    double saving_primary;
} tr_benchmark_row;

/**
 * tr_benchmark_get() - Plant @rank (0 = least intensive in final terms) in
 * year index @t: the benchmark curve, in order.
 * Return: TR_OK or TR_E_NOTFOUND.
 */
TR_API tr_status tr_benchmark_get(const tr_benchmark *b, size_t t, size_t rank, tr_benchmark_row *out);

/** tr_benchmark_totals - the sector in one year. */
typedef struct tr_benchmark_totals {
    double production;
    double best_final, best_primary;        /* best-practice GJ per unit */
    double energy_final, energy_primary;    /* GJ */
    double eei_final, eei_primary;          /* production-weighted */
    double saving_final, saving_primary;    /* GJ if every plant reached best practice */
    double saving_share_final, saving_share_primary;   /* of the energy used */
} tr_benchmark_totals;

/** tr_benchmark_get_totals() - Sector totals in year index @t. */
TR_API tr_status tr_benchmark_get_totals(const tr_benchmark *b, size_t t, tr_benchmark_totals *out);

/**
 * tr_benchmark_write_string() - The benchmark as TR_FMT_TABLE (readable),
 * TR_FMT_CSV (one row per year and plant) or TR_FMT_JSON.
 * @out: free with tr_string_free().
 */
TR_API tr_status tr_benchmark_write_string(const tr_benchmark *b, tr_result_format format, char **out);

/* ------------------------------------------------------------ report */

/**
 * tr_report_write() - Write the roadmap tables policy makers read into
 * folder @dir (created if missing): report.md (Markdown) and summary.csv,
 * roadmap.csv, adoption.csv, policies.csv, baseline.csv, warnings.csv,
 * benchmark.csv, macc.csv. Byte-for-byte deterministic.
 * @scenarios, @results: @n scenarios and their results (same order).
 * @base_sc, @baseline: the baseline scenario and result (may be NULL: then
 *       no comparison); the baseline may also appear among @results.
 * Errors: TR_E_IO (cannot write), TR_E_INVAL (mismatched inputs).
 */
TR_API tr_status tr_report_write(const tr_scenario *const *scenarios, const tr_result *const *results, size_t n,
                                 const tr_scenario *base_sc, const tr_result *baseline, const char *dir);

/**
 * tr_report_write_html() - Write the same roadmap as one self-contained page,
 * @dir/report.html (folder created if missing): the summary, per scenario
 * its emission and energy paths against the baseline, adoption, investment
 * and public spending, policies with their shadow prices and coherence
 * warnings, the benchmark curve, the measure abatement cost curves, and
 * the scenarios' sources. Charts are
 * inline SVG, each with its numbers in a table; no script, no network
 * resource; a print stylesheet gives an A4 brief. Byte-for-byte
 * deterministic. Arguments and errors as tr_report_write().
 */
TR_API tr_status tr_report_write_html(const tr_scenario *const *scenarios, const tr_result *const *results, size_t n,
                                      const tr_scenario *base_sc, const tr_result *baseline, const char *dir);

/**
 * tr_report_write_audit() - tr_report_write() (@html 0) or
 * tr_report_write_html() (@html 1) with the section "What these results
 * rest on": the first ten rows of @audit's "ranking" (tr_audit_ranking() of
 * any one scenario, named by its "outputs"; the CLI's `report --audit`
 * ranks the baseline, or the first scenario without one; NULL: no
 * section), with the base values of its "outputs".
 */
TR_API tr_status tr_report_write_audit(const tr_scenario *const *scenarios, const tr_result *const *results, size_t n,
                                       const tr_scenario *base_sc, const tr_result *baseline,
                                       const tr_analysis *audit, int html, const char *dir);

/**
 * tr_report_opts - what a report holds beyond its default sections. Every
 * report has each scenario's measure abatement cost curve (from the data,
 * no solve); the rest costs solves and is asked for here. "The subject" is
 * the baseline, or the first scenario without one.
 */
typedef struct tr_report_opts {
    int html;                    /* 0: report.md and the CSV tables; 1: report.html alone */
    const tr_analysis *audit;    /* tr_audit_ranking() of the subject: "What these results rest on"; NULL: none */
    int macc_model;              /* 1: the subject's model abatement cost curve (TR_DEFAULT_MACC_STEPS + 1 solves) */
    const char *pareto_x;        /* with pareto_y: the subject's trade-off front (tr_analysis_pareto(), */
    const char *pareto_y;        /*   TR_DEFAULT_PARETO_POINTS points), every optimal scenario placed on it;
                                  *   "cost" as in tr_analysis_pareto_cost(); NULL: none */
    double mga_slack;            /* >= 0: each optimal scenario's near-optimal ranges (tr_analysis_mga()); < 0: none */
} tr_report_opts;

/** tr_report_opts_init() - Defaults: Markdown, no audit, no model curve, no front, no MGA (slack -1). */
TR_API void tr_report_opts_init(tr_report_opts *o);

/**
 * tr_report_write_opts() - tr_report_write() or tr_report_write_html() with
 * the sections @o asks for (NULL: the defaults): "Abatement cost curves"
 * (each scenario's measure curve in the last year of its horizon, once per
 * distinct curve; the subject's model curve), "Trade-off front",
 * "Near-optimal roadmaps" and "What these results rest on". The analyses
 * run before any file is written; an objective of the front that is not
 * one, or a slack out of range, fails with its message and writes nothing.
 * Markdown also writes macc.csv (every scenario's measure curve) and, when
 * asked, model_macc.csv and front.csv, in full precision.
 */
TR_API tr_status tr_report_write_opts(const tr_scenario *const *scenarios, const tr_result *const *results, size_t n,
                                      const tr_scenario *base_sc, const tr_result *baseline,
                                      const tr_report_opts *o, const char *dir);

#ifdef __cplusplus
}
#endif
#endif
