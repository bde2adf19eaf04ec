/**
 * tr_analysis.h — analyses on top of the solver: Monte Carlo, sweeps,
 * tornado and Morris sensitivity, marginal abatement cost curves and
 * trade-off fronts. They reuse one built LP per thread: each run changes
 * only the coefficients and bounds that differ and warm-starts from the
 * base solution's basis. Results come as named tables.
 */
#ifndef TR_ANALYSIS_H
#define TR_ANALYSIS_H

#include <stddef.h>
#include "tr_export.h"
#include "tr_errors.h"
#include "tr_scenario.h"
#include "tr_solve.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------ tables */

typedef struct tr_table tr_table;

/** tr_table_name() - e.g. "percentiles"; owned by the table. */
TR_API const char *tr_table_name(const tr_table *t);
TR_API size_t tr_table_row_count(const tr_table *t);
TR_API size_t tr_table_col_count(const tr_table *t);
TR_API const char *tr_table_col_name(const tr_table *t, size_t col);
/** tr_table_col_is_text() - 1 for a text column, 0 for a numeric one. */
TR_API int tr_table_col_is_text(const tr_table *t, size_t col);
/** tr_table_num() - a numeric cell (NaN when out of range, text or missing). */
TR_API double tr_table_num(const tr_table *t, size_t row, size_t col);
/** tr_table_text() - a text cell, owned by the table ("" when out of range or numeric). */
TR_API const char *tr_table_text(const tr_table *t, size_t row, size_t col);
/**
 * tr_table_write_string() - TR_FMT_CSV, TR_FMT_JSON or TR_FMT_TABLE.
 * @out: free with tr_string_free().
 */
TR_API tr_status tr_table_write_string(const tr_table *t, tr_result_format format, char **out);

/* ------------------------------------------------------------ analyses */

typedef struct tr_analysis tr_analysis;

/**
 * tr_progress_fn - called on the calling thread as runs finish, and at
 * least every 100 ms while runs are going (so a cancel is seen even during
 * a long run), and once at the end. Return non-zero to cancel: the analysis
 * stops taking new runs and returns what it has.
 */
typedef int (*tr_progress_fn)(size_t done, size_t total, void *userdata);

/** tr_analysis_opts - settings; initialise with tr_analysis_opts_init(). */
typedef struct tr_analysis_opts {
    int threads;            /* worker threads; 0 = number of cores (default) */
    long seed;              /* < 0: the scenario's uncertainty.seed (default) */
    long samples;           /* <= 0: the scenario's uncertainty.samples (default) */
    int method;             /* -1: the scenario's; 0 random; 1 Latin hypercube */
    int keep_samples;       /* Monte Carlo: add the table "samples" with every run */
    int warm;               /* 1 (default): update the built LP and warm-start; 0: each run reads
                               the file again, builds and solves from scratch (for benchmarks) */
    tr_progress_fn progress;
    void *userdata;
    const char *output;     /* tornado/Morris/sweep output: a total such as "npv" (default) */
    long first, count;      /* Monte Carlo: count > 0 runs only the samples [first, first + count)
                               of the planned ones and returns the table "runs" (every run's
                               status and numbers) for tr_analysis_montecarlo_merge(); default 0 */
    /* new fields are appended only */
} tr_analysis_opts;

TR_API void tr_analysis_opts_init(tr_analysis_opts *o);

/*
 * The sizes an analysis uses when its caller names none (the CLI's and the
 * Python package's defaults, written here once): Morris trajectories and
 * grid levels, the steps of a model MACC and the points of a front.
 */
#define TR_DEFAULT_MORRIS_TRAJECTORIES 10
#define TR_DEFAULT_MORRIS_LEVELS 4
#define TR_DEFAULT_MACC_STEPS 10
#define TR_DEFAULT_PARETO_POINTS 11

/*
 * The limits of those sizes, written here once and used by the library,
 * the YAML (uncertainty.samples), the CLI's options and the Python package,
 * all with one wording: "expected an integer from LO to HI, got N". (The
 * memory an analysis needs is checked besides: tr_analysis_montecarlo()
 * refuses runs that would not fit in this machine.)
 */
#define TR_MAX_SAMPLES 100000000L
#define TR_MAX_SWEEP_POINTS 100000
#define TR_MAX_MORRIS_TRAJECTORIES 100000
#define TR_MIN_MORRIS_LEVELS 2
#define TR_MAX_MORRIS_LEVELS 1000
#define TR_MAX_MACC_STEPS 100000
#define TR_MAX_PARETO_POINTS 100000
#define TR_MAX_MGA_ALTERNATIVES 10000

/** tr_analysis_free() - Release @a and its tables. NULL is a no-op. */
TR_API void tr_analysis_free(tr_analysis *a);
/** tr_analysis_table_count() / _table() / _find() - the result tables (owned by @a). */
TR_API size_t tr_analysis_table_count(const tr_analysis *a);
TR_API const tr_table *tr_analysis_table(const tr_analysis *a, size_t i);
TR_API const tr_table *tr_analysis_find(const tr_analysis *a, const char *name);
/** tr_analysis_runs() - runs finished, and runs planned. */
TR_API size_t tr_analysis_runs_done(const tr_analysis *a);
TR_API size_t tr_analysis_runs_total(const tr_analysis *a);
/** tr_analysis_cancelled() - 1 when the progress callback cancelled it. */
TR_API int tr_analysis_cancelled(const tr_analysis *a);

/**
 * tr_analysis_montecarlo() - Sample the scenario's `uncertainty:` section.
 * Tables: "percentiles" (indicator, year, mean, sd, p5, p25, p50, p75, p95),
 * "totals" (the same for every total such as npv), "targets" (probability
 * that each policy is met), "adoption" (share of runs in which each
 * technology is adopted), "samples" with keep_samples. Same seed, same
 * bytes, whatever the number of threads.
 * Errors: TR_E_INVAL (no uncertainty section).
 */
TR_API tr_status tr_analysis_montecarlo(const tr_scenario *sc, const tr_analysis_opts *o, tr_analysis **out);

/**
 * tr_analysis_montecarlo_merge() - The Monte Carlo tables from parts run
 * separately (opts.first/count; e.g. on the workers of a cluster): the same
 * tables, to the byte, as one tr_analysis_montecarlo() with the same options.
 * @sc, @o:    the scenario and options the parts ran with (count ignored).
 * @nruns:    runs in all parts together; each sample exactly once.
 * @sample:   [nruns] sample indices; @status: [nruns] "optimal", "infeasible", ...;
 *            @failed: [nruns] the "runs" table's failed column (may be "").
 * @ncols, @names: the numeric columns of the parts' "runs" tables after
 *            "failed" ("t:npv", ..., "s:energy.total@2020", ...).
 * @values:   [nruns * ncols], row by row.
 * Errors: TR_E_INVAL when a sample is missing or repeated or the columns do
 * not fit the scenario.
 */
TR_API tr_status tr_analysis_montecarlo_merge(const tr_scenario *sc, const tr_analysis_opts *o, size_t nruns,
                                              const long *sample, const char *const *status,
                                              const char *const *failed, size_t ncols,
                                              const char *const *names, const double *values,
                                              tr_analysis **out);

/**
 * tr_analysis_sweep() - Solve for each value of @path1 (and, with @path2,
 * each pair of values): table "sweep" with the values, status and every
 * total. @scale1/@scale2: multiply the scenario's values instead of
 * replacing them. @path2 may be NULL.
 */
TR_API tr_status tr_analysis_sweep(const tr_scenario *sc, const char *path1, const double *values1, size_t n1,
                                   int scale1, const char *path2, const double *values2, size_t n2, int scale2,
                                   const tr_analysis_opts *o, tr_analysis **out);

/**
 * tr_analysis_tornado() - One at a time, each uncertain parameter at its 5th
 * and 95th percentile, the others at their medians: table "tornado"
 * (parameter, low, high, output at low, at high, swing), largest swing first.
 */
TR_API tr_status tr_analysis_tornado(const tr_scenario *sc, const tr_analysis_opts *o, tr_analysis **out);

/**
 * tr_analysis_morris() - Morris elementary effects with @trajectories
 * trajectories on a grid of @levels levels over each parameter's 1st..99th
 * percentile: table "morris" (parameter, mu, mu_star, sigma, runs).
 */
TR_API tr_status tr_analysis_morris(const tr_scenario *sc, size_t trajectories, size_t levels,
                                    const tr_analysis_opts *o, tr_analysis **out);

/**
 * tr_analysis_macc_measures() - Static (engineering) marginal abatement cost
 * curve for @year: each technology's cost of conserved energy and cost per
 * unit of @species avoided at full applicability on the plants it applies
 * to, in order of cost-effectiveness, each saving reduced by the measures
 * already taken (exclusive groups: only the best of a group; shared
 * carriers: savings against the intensity left). Table "measure_macc".
 */
TR_API tr_status tr_analysis_macc_measures(const tr_scenario *sc, int year, const char *species, tr_analysis **out);

/**
 * tr_analysis_macc_model() - Model MACC: a cap on @species emissions in
 * @year tightened in @steps steps from the unconstrained level to the least
 * reachable, each re-solved from the previous basis: table "model_macc"
 * (step, cap, abatement, shadow price, npv, npv increase).
 */
TR_API tr_status tr_analysis_macc_model(const tr_scenario *sc, int year, const char *species, size_t steps,
                                        const tr_analysis_opts *o, tr_analysis **out);

/**
 * tr_analysis_pareto() - Trade-off front between two objectives by the
 * epsilon-constraint method. Each objective is "npv", "resource_cost"
 * (MODEL.md §11: NPV without emission taxes, with subsidies) or an
 * indicator summed over the horizon ("emissions.CO2", "jobs", ...). Costs, energy and
 * emissions are minimised; production and declared indicators (jobs,
 * income) maximised unless declared `better: lower`; a "min:" or "max:"
 * prefix overrides ("max:jobs"). Table "front"
 * (point, x, y, dominated, adoption of each technology in the last year);
 * the end points are the two single-objective optima (each tie broken by the
 * other objective).
 */
TR_API tr_status tr_analysis_pareto(const tr_scenario *sc, const char *x, const char *y, size_t points,
                                    const tr_analysis_opts *o, tr_analysis **out);

/**
 * tr_analysis_pareto_cost() - The cost objective of a front on which the
 * @n @variants will be placed: "resource_cost" (MODEL.md §11) when the
 * emission taxes (price policies) of a variant differ from @sc's, since
 * NPV counts the tax, a transfer, and a taxed variant would look dominated
 * for it; else "npv". What the CLI and Python put for the objective
 * "cost".
 *
 * Return: a static string; "npv" when @n is 0.
 */
TR_API const char *tr_analysis_pareto_cost(const tr_scenario *sc, const tr_scenario *const *variants, size_t n);

/**
 * tr_analysis_pareto_place() - Add the table "variants" to a front made by
 * tr_analysis_pareto(): where each of @n solved scenarios (policy variants)
 * sits: its two objective values, NPV, and whether a point of the front is
 * at least as good on both objectives and better on one (dominated = 1).
 * @x, @y: the same objectives as for the front. Call it once with all the
 * variants: each call adds a table.
 */
TR_API tr_status tr_analysis_pareto_place(tr_analysis *a, const char *x, const char *y,
                                          const tr_scenario *const *scenarios, const tr_result *const *results,
                                          size_t n);

/** TR_MGA_NEEDED - a technology whose least share within the slack is at
 * least this is "needed in every good roadmap" (the ranges' column needed). */
#define TR_MGA_NEEDED 0.5

/**
 * tr_analysis_mga() - Modelling to generate alternatives: the roadmaps whose
 * NPV is at most npv* + @slack * |npv*| (npv* the least cost; (1 + S) npv*
 * when it is positive). @year: the year of the shares (0: the last);
 * @alternatives: how many near-optimal roadmaps to generate (0: only the
 * ranges). Tables:
 *   "ranges" (technology, unit, year, min, max, optimum, width, needed): the
 *     least and greatest adoption share (MODEL.md §11, as in adoption.<tech>)
 *     in @year over those roadmaps, each exact (an LP, or Dinkelbach's
 *     iteration of LPs when §12 makes the base variable); needed = "yes"
 *     when min >= TR_MGA_NEEDED.
 *   "alternatives" (alternative, status, npv, npv_increase, within_slack,
 *     distance, every total but npv, adoption.<tech> in @year): row 0 the
 *     least-cost roadmap, rows 1..N by Hop-Skip-Jump (each minimises the
 *     shares of the technologies the roadmaps so far use, weighted by how
 *     many use them); distance: the least L1 distance of its shares to an
 *     earlier row's. Each is a solution checked against the model's rows.
 * Errors: TR_E_INVAL (slack not in 0..100, year outside the horizon,
 * alternatives not in 0..10000, the scenario not optimal).
 */
TR_API tr_status tr_analysis_mga(const tr_scenario *sc, double slack, int year, long alternatives,
                                 const tr_analysis_opts *o, tr_analysis **out);

/**
 * tr_analysis_mga_markdown() - The ranges of tr_analysis_mga() as a short
 * Markdown section for a report (### heading with @title, the technologies
 * needed in every roadmap, a table of least, greatest and least-cost
 * shares). @slack: the one the analysis ran with.
 * @out: free with tr_string_free().
 */
TR_API tr_status tr_analysis_mga_markdown(const tr_analysis *a, const char *title, double slack, char **out);

#ifdef __cplusplus
}
#endif
#endif
