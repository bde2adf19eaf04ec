/**
 * tr_solve.h — building the linear programme, solving it, reading results.
 */
#ifndef TR_SOLVE_H
#define TR_SOLVE_H

#include <stddef.h>
#include "tr_export.h"
#include "tr_errors.h"
#include "tr_scenario.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tr_model tr_model;
typedef struct tr_result tr_result;

/** tr_method - the LP algorithm. */
typedef enum tr_method {
    TR_METHOD_DUAL = 0,     /* dual simplex (default: about 2x faster here) */
    TR_METHOD_PRIMAL,       /* primal simplex */
    TR_METHOD_INTERIOR      /* GLPK interior point (no basis; no warm start) */
} tr_method;

/**
 * tr_structure - how the LP is solved: whole, or decomposed by plant
 * (Dantzig-Wolfe column generation: one subproblem per plant, a master over
 * the sector-wide rows; same optimum to the gap in tr_solve_opts.gap).
 * AUTO decomposes sectors of TR_DECOMPOSE_MIN_PLANTS plants or more.
 */
typedef enum tr_structure {
    TR_STRUCTURE_AUTO = 0,
    TR_STRUCTURE_MONOLITHIC,
    TR_STRUCTURE_DECOMPOSED
} tr_structure;

/** TR_DECOMPOSE_MIN_PLANTS - where TR_STRUCTURE_AUTO starts decomposing. */
#define TR_DECOMPOSE_MIN_PLANTS 40

/** tr_sol_status - the outcome of a solve (an outcome, not an error). */
typedef enum tr_sol_status {
    TR_SOL_OPTIMAL = 0,
    TR_SOL_INFEASIBLE,
    TR_SOL_UNBOUNDED,
    TR_SOL_FAILED,          /* solver gave up (numerical trouble, limit) */
    TR_SOL_LIMIT            /* time or iteration limit reached */
} tr_sol_status;

/** tr_lp_format - formats for tr_model_write_lp(). */
typedef enum tr_lp_format {
    TR_LP_CPLEX = 0,
    TR_LP_MPS,
    TR_LP_GLPK
} tr_lp_format;

/** tr_result_format - formats for tr_result_write(). */
typedef enum tr_result_format {
    TR_FMT_JSON = 0,        /* techroad-result/1 */
    TR_FMT_CSV,             /* wide: variable, unit, one column per year */
    TR_FMT_IAMC,            /* long: model, scenario, region, variable, unit, year, value */
    TR_FMT_TABLE            /* readable text roadmap, years across */
} tr_result_format;

/**
 * tr_solve_progress_fn - called by a decomposed solve on the calling thread
 * after each round (the master solved, every plant priced): @round counts
 * the master solves so far, @gap is the relative optimality gap proven so
 * far (INFINITY until the first bound, and while the master still has
 * artificial slacks in). Return non-zero to cancel: the solve stops and the
 * result has status TR_SOL_LIMIT, message "decomposition: cancelled".
 * Whole-LP solves and the diagnosis of infeasible scenarios do not call
 * it. It must not call the library.
 */
typedef int (*tr_solve_progress_fn)(int round, double gap, void *userdata);

/**
 * tr_solve_opts - solver settings. Initialise with tr_solve_opts_init();
 * fields are only ever appended.
 */
typedef struct tr_solve_opts {
    int    method;          /* tr_method; default TR_METHOD_DUAL */
    int    presolve;        /* boolean; default 1 */
    double time_limit_s;    /* <= 0: no limit (default) */
    int    verbosity;       /* 0 silent (default) .. 3; output goes to the log fn */
    int    diagnose;        /* boolean; elastic re-solve of infeasible scenarios; default 1 */
    int    verify;          /* boolean; recheck optimal solutions against the rows; default 1 */
    double tol_primal;      /* GLPK tol_bnd; default 1e-7 */
    double tol_dual;        /* GLPK tol_dj; default 1e-7 */
    int    structure;       /* tr_structure; default TR_STRUCTURE_AUTO */
    int    threads;         /* decomposition: threads pricing plants; 0 (default) = CPUs */
    double gap;             /* decomposition: relative optimality gap proven; default 1e-9 */
    int    aggregate;       /* decomposition: identical plants share one subproblem; default 1 */
    tr_solve_progress_fn progress;   /* decomposition: rounds and gap; NULL (default): none */
    void  *userdata;        /* passed to progress */
    int    foresight;       /* myopic foresight (rolling horizon): each decision is taken
                             * seeing this many years (the window [t, t+N-1]) with the
                             * earlier years fixed; 0 (default): perfect foresight.
                             * Whole LP by simplex only (TR_E_INVAL with the decomposition
                             * or the interior point); docs/MODEL.md §14 */
    int    foresight_step;  /* years kept from each window, 1..foresight; 0 (default) = 1 */
} tr_solve_opts;

/** tr_solve_opts_init() - Fill @opts with the defaults. */
TR_API void tr_solve_opts_init(tr_solve_opts *opts);

/**
 * tr_model_new() - Build the linear programme of a scenario (MODEL.md §§5-8).
 * @sc:  borrowed; the model keeps its own copy of what it needs, so @sc may
 *       be changed or freed afterwards.
 * @out: receives the model; free with tr_model_free().
 * Errors: TR_E_SOLVER when GLPK refuses the problem.
 *
 * Threads: a model is used by one thread at a time, but any thread. GLPK's
 * objects belong to the thread that made them, so a model solved or written
 * in another thread moves there (its GLPK problem is built again from the
 * model's data, without the previous basis), also after the first thread
 * has ended; freed in another thread, its GLPK problem is deleted by its
 * own thread at that thread's next library call, or when it ends.
 */
TR_API tr_status tr_model_new(const tr_scenario *sc, tr_model **out);

/** tr_model_free() - Release @m. NULL is a no-op. */
TR_API void tr_model_free(tr_model *m);

/** tr_model_row_count() / _col_count() / _nonzero_count() - LP size. */
TR_API size_t tr_model_row_count(const tr_model *m);
TR_API size_t tr_model_col_count(const tr_model *m);
TR_API size_t tr_model_nonzero_count(const tr_model *m);

/**
 * tr_model_write_lp() - Write the LP with named rows and columns.
 * @path: output file.
 * Errors: TR_E_IO when the file cannot be written.
 */
TR_API tr_status tr_model_write_lp(tr_model *m, tr_lp_format format, const char *path);

/**
 * tr_model_solve() - Solve the LP and extract the results.
 * @opts: NULL for the defaults.
 * @out:  receives the result, whatever the outcome (optimal, infeasible,
 *        ...); free with tr_result_free(). The result owns its data.
 *
 * Return: TR_OK when the solver ran (read the outcome with
 * tr_result_status()); TR_E_INVAL for bad options; TR_E_SOLVER, TR_E_NOMEM.
 */
TR_API tr_status tr_model_solve(tr_model *m, const tr_solve_opts *opts, tr_result **out);

/** tr_scenario_solve() - tr_model_new() + tr_model_solve() + tr_model_free(). */
TR_API tr_status tr_scenario_solve(const tr_scenario *sc, const tr_solve_opts *opts,
                                   tr_result **out);

/** tr_result_free() - Release @r. NULL is a no-op. */
TR_API void tr_result_free(tr_result *r);

/** tr_result_status() - The solve's outcome (tr_sol_status). */
TR_API tr_sol_status tr_result_status(const tr_result *r);
/** tr_sol_status_name() - "optimal", "infeasible", "unbounded", "failed" or
 * "limit" for @status ("failed" for a value outside the enum). Static. */
TR_API const char *tr_sol_status_name(tr_sol_status status);

/** TR_MAX_THREADS - the most threads a solve or an analysis may be given. */
#define TR_MAX_THREADS 64

/** tr_result_status_name() - tr_sol_status_name() of @r's status (static). */
TR_API const char *tr_result_status_name(const tr_result *r);
/** tr_result_npv() - The objective, money of the base year; NaN unless optimal. */
TR_API double tr_result_npv(const tr_result *r);
/**
 * tr_result_resource_cost() - The resource cost, money of the base year:
 * the NPV of every private cost in the objective (energy, capital charge,
 * O&M and MODEL.md §12's other production, closure and import costs)
 * without emission taxes (a transfer between firms and the state) and
 * without the damage costs a social objective adds, plus the present value
 * of public subsidies. The one definition used by the report, Python's
 * compare() and every cost per tonne abated (docs/MODEL.md §11). NaN
 * unless optimal.
 */
TR_API double tr_result_resource_cost(const tr_result *r);
/** tr_result_year_count() - Number of years in every series. */
TR_API size_t tr_result_year_count(const tr_result *r);
/** tr_result_year() - The year at index @i (0 when out of range). */
TR_API int tr_result_year(const tr_result *r, size_t i);
/** tr_result_scenario_name() / _sha256() - provenance; owned by @r. */
TR_API const char *tr_result_scenario_name(const tr_result *r);
TR_API const char *tr_result_scenario_sha256(const tr_result *r);
/**
 * tr_result_method() - What solved it: "dual simplex", "primal simplex",
 * "interior point" or "Dantzig-Wolfe decomposition (...)" with its plants,
 * subproblems, master solves and proven gap; owned by @r.
 */
TR_API const char *tr_result_method(const tr_result *r);

/*
 * Per-year series. Names: "production", "capacity", "energy.<carrier>",
 * "energy.total", "emissions.<species>", "intensity.<indicator>",
 * "investment", "cost.energy", "cost.capital", "cost.om",
 * "cost.emission_tax", "cost.damage", "cost.total", "subsidy",
 * "adoption.<technology>", "equipped.<technology>",
 * "policy.<id>.binding" (1/0), "policy.<id>.shadow_price",
 * "policy.<id>.value", "policy.<id>.limit". Years where a value does not
 * apply hold NaN (null in JSON).
 */
/** tr_result_series_count() - Number of series (0 unless optimal). */
TR_API size_t tr_result_series_count(const tr_result *r);
/** tr_result_series_name() / _unit() - owned by @r; NULL when out of range. */
TR_API const char *tr_result_series_name(const tr_result *r, size_t i);
TR_API const char *tr_result_series_unit(const tr_result *r, size_t i);
/**
 * tr_result_series_find() - Index of the series called @name.
 * Return: TR_OK or TR_E_NOTFOUND.
 */
TR_API tr_status tr_result_series_find(const tr_result *r, const char *name, size_t *index);
/**
 * tr_result_get_series() - Copy series @i into @out (length @n, which must
 * equal tr_result_year_count()).
 * Return: TR_OK, TR_E_NOTFOUND (bad index), TR_E_INVAL (wrong @n).
 */
TR_API tr_status tr_result_get_series(const tr_result *r, size_t i, double *out, size_t n);

/**
 * tr_result_get_equipped() - Equipped capacity a[p,k,y] in use (t/yr) of
 * plant @plant with technology @tech (indices as in tr_scenario_id()), per
 * year, into @out (length tr_result_year_count()); zeros where @tech does
 * not apply to @plant.
 * Return: TR_OK, TR_E_NOTFOUND (index out of range or no solution),
 * TR_E_INVAL (wrong @n).
 */
TR_API tr_status tr_result_get_equipped(const tr_result *r, size_t plant, size_t tech, double *out, size_t n);
/** tr_result_get_installed() - New installations n[p,k,y] (t/yr); as above. */
TR_API tr_status tr_result_get_installed(const tr_result *r, size_t plant, size_t tech, double *out, size_t n);

/**
 * tr_result_get_production() - Production x[p,y] of plant @plant per year
 * (for closable and candidate plants, the solved value) into @out.
 * Return: TR_OK, TR_E_NOTFOUND, TR_E_INVAL (wrong @n).
 */
TR_API tr_status tr_result_get_production(const tr_result *r, size_t plant, double *out, size_t n);

/**
 * tr_result_plant_series() - One series of plant @plant (index as in
 * tr_scenario_id()), computed from the solution, per year into @out
 * (length @n = tr_result_year_count(), the caller's buffer).
 * @what: "production" (x[p,y], the solved value for closable and candidate
 *        plants), "capacity" (cap[p,y]; cap*o for a closable plant, C for a
 *        candidate), "energy.<carrier>" and "emissions.<species>" (MODEL.md
 *        §7 for the one plant: E[p,c,y] = int0*x + sum_k d*u*a,
 *        M[p,s,y] = sum_c ef*E + pe0*x + sum_k dpe*u*a), "energy.total" (GJ,
 *        carriers with an energy content), or "intensity." followed by one of
 *        the energy and emissions names (per unit of production; NaN in years
 *        the plant produces nothing). Summed over plants they give the sector
 *        series of the same names (to rounding).
 * Return: TR_OK; TR_E_NOTFOUND (no solution, plant out of range, unknown
 * @what: the message lists the names); TR_E_INVAL (NULL argument, wrong @n).
 */
TR_API tr_status tr_result_plant_series(const tr_result *r, size_t plant, const char *what, double *out, size_t n);

/*
 * Investment windows (MODEL.md §13; docs/MODEL.md §13 "What a window
 * means"). Every result of a scenario in which some plant declares windows
 * lists them, optimal or not; the installations and the lock-in need an
 * optimal result.
 */
/** tr_window - one window year of a plant (strings owned by the result). */
typedef struct tr_window {
    const char *plant;
    size_t      plant_index;    /* as in tr_scenario_id() */
    int         year;
    int         in_horizon;     /* 0: the plant's first window after the horizon (no installation) */
    double      installed;      /* t/yr of major technologies newly installed in it; NaN unless optimal
                                 * and in the horizon */
} tr_window;
/** tr_result_window_count() - Window rows: each plant's window years in the horizon, then (if
 * known) its first one after it; plants in scenario order, years ascending. 0 when no plant
 * declares windows. */
TR_API size_t tr_result_window_count(const tr_result *r);
/** tr_result_get_window() - Row @i. Return: TR_OK or TR_E_NOTFOUND. */
TR_API tr_status tr_result_get_window(const tr_result *r, size_t i, tr_window *out);

/**
 * tr_lockin - a window that passed without a major measure the plant takes
 * later in the horizon (@later, the first year it holds more of it) or
 * never (@later 0): @needed is the installation, in t/yr, that window
 * would have needed (the later gain of equipped capacity, or all the room
 * left for the measure); @share is @needed per unit of the plant's
 * capacity that year. @next is the plant's next window after @window
 * (0: none known). Strings owned by the result.
 */
typedef struct tr_lockin {
    const char *plant, *technology;
    size_t      plant_index, tech_index;
    int         window, later, next;
    double      needed, share;
} tr_lockin;
/** tr_result_lockin_count() - Lock-in rows (0 unless optimal); by plant, window, technology. */
TR_API size_t tr_result_lockin_count(const tr_result *r);
/** tr_result_get_lockin() - Row @i. Return: TR_OK or TR_E_NOTFOUND. */
TR_API tr_status tr_result_get_lockin(const tr_result *r, size_t i, tr_lockin *out);

/* Totals over the horizon: "npv", "cumulative.emissions.<species>", ... */
TR_API size_t tr_result_total_count(const tr_result *r);
TR_API const char *tr_result_total_name(const tr_result *r, size_t i);
TR_API const char *tr_result_total_unit(const tr_result *r, size_t i);
TR_API double tr_result_total_value(const tr_result *r, size_t i);

/** tr_diagnosis - one unmet policy of an infeasible scenario (borrowed strings). */
typedef struct tr_diagnosis {
    const char *policy;     /* policy id */
    int         year;
    const char *indicator;  /* e.g. "emissions.CO2" (for intensity caps: per t) */
    const char *unit;
    double      reachable;  /* best value the rest of the model allows */
    double      limit;      /* the policy's limit in the same unit */
    const char *message;    /* one readable sentence */
} tr_diagnosis;

/** tr_result_diagnosis_count() - Number of diagnosis lines (infeasible only). */
TR_API size_t tr_result_diagnosis_count(const tr_result *r);
/**
 * tr_result_get_diagnosis() - Diagnosis line @i; strings owned by @r.
 * Return: TR_OK or TR_E_NOTFOUND.
 */
TR_API tr_status tr_result_get_diagnosis(const tr_result *r, size_t i, tr_diagnosis *out);

/**
 * tr_result_write() - Write the result in @format to @path.
 * Errors: TR_E_IO.
 */
TR_API tr_status tr_result_write(const tr_result *r, tr_result_format format, const char *path);
/**
 * tr_result_write_string() - The result in @format as a string.
 * @out: receives a NUL-terminated string; free with tr_string_free().
 */
TR_API tr_status tr_result_write_string(const tr_result *r, tr_result_format format, char **out);

#ifdef __cplusplus
}
#endif
#endif
