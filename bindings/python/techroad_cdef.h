/*
 * techroad_cdef.h - the C API as CFFI sees it (API mode, out of line).
 *
 * Mirrors the public headers in include/techroad/. Enum values are "...",
 * structs end in "...;" so that the compiler supplies numbers and layouts
 * from the real headers; only the fields Python reads or writes are named.
 * When a public function is added to the library, declare it here too
 * (STYLE.md §11).
 */

/* ---- tr_errors.h ---- */
typedef enum tr_status {
    TR_OK = ...,
    TR_E_NOMEM = ...,
    TR_E_INVAL = ...,
    TR_E_NOTFOUND = ...,
    TR_E_IO = ...,
    TR_E_PARSE = ...,
    TR_E_SOLVER = ...,
    TR_E_NUMERIC = ...,
    TR_E_STATE = ...,
    TR_E__COUNT = ...
} tr_status;

const char *tr_strerror(tr_status code);
const char *tr_last_error(void);
typedef struct tr_error_location {
    const char *file;
    int line;
    int column;
    const char *field;
    ...;
} tr_error_location;
tr_error_location tr_last_error_location(void);
tr_status tr_library_init(void);
typedef void (*tr_log_fn)(int level, const char *message, void *userdata);
void tr_set_log_fn(tr_log_fn fn, void *userdata);
void tr_string_free(void *ptr);
tr_status tr_file_write(const char *path, const char *data, size_t len);
tr_status tr_folder_make(const char *dir);
const char *tr_version(void);
const char *tr_glpk_version(void);

/* Receives the library's log lines; defined in techroad/_log.py. */
extern "Python" void _tr_py_log(int level, const char *message, void *userdata);

/* ---- tr_scenario.h ---- */
typedef struct tr_scenario tr_scenario;

tr_status tr_scenario_load(const char *path, tr_scenario **out);
tr_status tr_scenario_loads(const char *text, const char *base_dir, const char *label, tr_scenario **out);
void tr_scenario_free(tr_scenario *sc);
tr_status tr_scenario_copy(const tr_scenario *sc, tr_scenario **out);
tr_status tr_scenario_set(tr_scenario *sc, const char *path, const char *yaml);
tr_status tr_scenario_remove(tr_scenario *sc, const char *path);
tr_status tr_scenario_get(const tr_scenario *sc, const char *path, char **out);
tr_status tr_scenario_to_yaml(const tr_scenario *sc, char **out);
const char *tr_scenario_sha256(const tr_scenario *sc);
tr_status tr_scenario_value(const tr_scenario *sc, const char *path, int year, double *out);
const char *tr_scenario_name(const tr_scenario *sc);
const char *tr_scenario_path(const tr_scenario *sc);
int tr_scenario_start_year(const tr_scenario *sc);
int tr_scenario_end_year(const tr_scenario *sc);
size_t tr_scenario_year_count(const tr_scenario *sc);

typedef enum tr_item_kind {
    TR_ITEM_PLANT = ...,
    TR_ITEM_TECHNOLOGY = ...,
    TR_ITEM_CARRIER = ...,
    TR_ITEM_SPECIES = ...,
    TR_ITEM_POLICY = ...,
    TR_ITEM_GROUP = ...,
    TR_ITEM_PRODUCT = ...,
    TR_ITEM_INDICATOR = ...,
    TR_ITEM__COUNT = ...
} tr_item_kind;

size_t tr_scenario_count(const tr_scenario *sc, tr_item_kind kind);
const char *tr_scenario_id(const tr_scenario *sc, tr_item_kind kind, size_t i);

/* ---- tr_solve.h ---- */
typedef struct tr_model tr_model;
typedef struct tr_result tr_result;

typedef enum tr_method {
    TR_METHOD_DUAL = ...,
    TR_METHOD_PRIMAL = ...,
    TR_METHOD_INTERIOR = ...
} tr_method;

typedef enum tr_sol_status {
    TR_SOL_OPTIMAL = ...,
    TR_SOL_INFEASIBLE = ...,
    TR_SOL_UNBOUNDED = ...,
    TR_SOL_FAILED = ...,
    TR_SOL_LIMIT = ...
} tr_sol_status;

typedef enum tr_lp_format {
    TR_LP_CPLEX = ...,
    TR_LP_MPS = ...,
    TR_LP_GLPK = ...
} tr_lp_format;

typedef enum tr_result_format {
    TR_FMT_JSON = ...,
    TR_FMT_CSV = ...,
    TR_FMT_IAMC = ...,
    TR_FMT_TABLE = ...
} tr_result_format;

typedef enum tr_structure {
    TR_STRUCTURE_AUTO = ...,
    TR_STRUCTURE_MONOLITHIC = ...,
    TR_STRUCTURE_DECOMPOSED = ...
} tr_structure;
#define TR_DECOMPOSE_MIN_PLANTS ...
#define TR_MAX_THREADS ...

typedef int (*tr_solve_progress_fn)(int round, double gap, void *userdata);

typedef struct tr_solve_opts {
    int    method;
    int    presolve;
    double time_limit_s;
    int    verbosity;
    int    diagnose;
    int    verify;
    double tol_primal;
    double tol_dual;
    int    structure;
    int    threads;
    double gap;
    int    aggregate;
    tr_solve_progress_fn progress;
    void  *userdata;
    int    foresight;
    int    foresight_step;
    ...;
} tr_solve_opts;

void tr_solve_opts_init(tr_solve_opts *opts);

tr_status tr_model_new(const tr_scenario *sc, tr_model **out);
void tr_model_free(tr_model *m);
size_t tr_model_row_count(const tr_model *m);
size_t tr_model_col_count(const tr_model *m);
size_t tr_model_nonzero_count(const tr_model *m);
tr_status tr_model_write_lp(tr_model *m, tr_lp_format format, const char *path);
tr_status tr_model_solve(tr_model *m, const tr_solve_opts *opts, tr_result **out);
tr_status tr_scenario_solve(const tr_scenario *sc, const tr_solve_opts *opts, tr_result **out);

void tr_result_free(tr_result *r);
tr_sol_status tr_result_status(const tr_result *r);
const char *tr_sol_status_name(tr_sol_status status);
const char *tr_result_status_name(const tr_result *r);
double tr_result_npv(const tr_result *r);
double tr_result_resource_cost(const tr_result *r);
size_t tr_result_year_count(const tr_result *r);
int tr_result_year(const tr_result *r, size_t i);
const char *tr_result_scenario_name(const tr_result *r);
const char *tr_result_scenario_sha256(const tr_result *r);
const char *tr_result_method(const tr_result *r);

size_t tr_result_series_count(const tr_result *r);
const char *tr_result_series_name(const tr_result *r, size_t i);
const char *tr_result_series_unit(const tr_result *r, size_t i);
tr_status tr_result_series_find(const tr_result *r, const char *name, size_t *index);
tr_status tr_result_get_series(const tr_result *r, size_t i, double *out, size_t n);
tr_status tr_result_get_equipped(const tr_result *r, size_t plant, size_t tech, double *out, size_t n);
tr_status tr_result_get_installed(const tr_result *r, size_t plant, size_t tech, double *out, size_t n);
tr_status tr_result_plant_series(const tr_result *r, size_t plant, const char *what, double *out, size_t n);

size_t tr_result_total_count(const tr_result *r);
const char *tr_result_total_name(const tr_result *r, size_t i);
const char *tr_result_total_unit(const tr_result *r, size_t i);
double tr_result_total_value(const tr_result *r, size_t i);

typedef struct tr_diagnosis {
    const char *policy;
    int         year;
    const char *indicator;
    const char *unit;
    double      reachable;
    double      limit;
    const char *message;
    ...;
} tr_diagnosis;

typedef struct tr_window {
    const char *plant;
    size_t      plant_index;
    int         year;
    int         in_horizon;
    double      installed;
    ...;
} tr_window;
size_t tr_result_window_count(const tr_result *r);
tr_status tr_result_get_window(const tr_result *r, size_t i, tr_window *out);

typedef struct tr_lockin {
    const char *plant, *technology;
    size_t      plant_index, tech_index;
    int         window, later, next;
    double      needed, share;
    ...;
} tr_lockin;
size_t tr_result_lockin_count(const tr_result *r);
tr_status tr_result_get_lockin(const tr_result *r, size_t i, tr_lockin *out);

size_t tr_result_diagnosis_count(const tr_result *r);
tr_status tr_result_get_diagnosis(const tr_result *r, size_t i, tr_diagnosis *out);
tr_status tr_result_write(const tr_result *r, tr_result_format format, const char *path);
tr_status tr_result_write_string(const tr_result *r, tr_result_format format, char **out);

/* ---- tr_report.h ---- */
typedef struct tr_benchmark tr_benchmark;

tr_status tr_benchmark_new(const tr_scenario *sc, const tr_result *res, tr_benchmark **out);
void tr_benchmark_free(tr_benchmark *b);
size_t tr_benchmark_year_count(const tr_benchmark *b);
int tr_benchmark_year(const tr_benchmark *b, size_t t);
size_t tr_benchmark_plant_count(const tr_benchmark *b, size_t t);

typedef struct tr_benchmark_row {
    const char *plant;
    double production;
    double cumulative;
    double sec_final;
    double sec_primary;
    double eei_final;
    double eei_primary;
    double saving_final;
    double saving_primary;
    ...;
} tr_benchmark_row;

tr_status tr_benchmark_get(const tr_benchmark *b, size_t t, size_t rank, tr_benchmark_row *out);

typedef struct tr_benchmark_totals {
    double production;
    double best_final, best_primary;
    double energy_final, energy_primary;
    double eei_final, eei_primary;
    double saving_final, saving_primary;
    double saving_share_final, saving_share_primary;
    ...;
} tr_benchmark_totals;

tr_status tr_benchmark_get_totals(const tr_benchmark *b, size_t t, tr_benchmark_totals *out);
tr_status tr_benchmark_write_string(const tr_benchmark *b, tr_result_format format, char **out);

tr_status tr_report_write(const tr_scenario *const *scenarios, const tr_result *const *results, size_t n,
                          const tr_scenario *base_sc, const tr_result *baseline, const char *dir);
tr_status tr_report_write_html(const tr_scenario *const *scenarios, const tr_result *const *results, size_t n,
                               const tr_scenario *base_sc, const tr_result *baseline, const char *dir);

/* ---- tr_analysis.h ---- */
typedef struct tr_table tr_table;

const char *tr_table_name(const tr_table *t);
size_t tr_table_row_count(const tr_table *t);
size_t tr_table_col_count(const tr_table *t);
const char *tr_table_col_name(const tr_table *t, size_t col);
int tr_table_col_is_text(const tr_table *t, size_t col);
double tr_table_num(const tr_table *t, size_t row, size_t col);
const char *tr_table_text(const tr_table *t, size_t row, size_t col);
tr_status tr_table_write_string(const tr_table *t, tr_result_format format, char **out);

typedef struct tr_analysis tr_analysis;
typedef int (*tr_progress_fn)(size_t done, size_t total, void *userdata);

typedef struct tr_analysis_opts {
    int threads;
    long seed;
    long samples;
    int method;
    int keep_samples;
    int warm;
    tr_progress_fn progress;
    void *userdata;
    const char *output;
    long first, count;
    ...;
} tr_analysis_opts;

void tr_analysis_opts_init(tr_analysis_opts *o);
#define TR_DEFAULT_MORRIS_TRAJECTORIES ...
#define TR_DEFAULT_MORRIS_LEVELS ...
#define TR_DEFAULT_MACC_STEPS ...
#define TR_DEFAULT_PARETO_POINTS ...
void tr_analysis_free(tr_analysis *a);
/* tr_audit.h */
tr_status tr_scenario_audit(const tr_scenario *sc, tr_analysis **out);
tr_status tr_audit_ranking(const tr_scenario *sc, const char *rank_by, size_t top, const tr_analysis_opts *o,
                           tr_analysis **out);
size_t tr_analysis_table_count(const tr_analysis *a);
const tr_table *tr_analysis_table(const tr_analysis *a, size_t i);
const tr_table *tr_analysis_find(const tr_analysis *a, const char *name);
size_t tr_analysis_runs_done(const tr_analysis *a);
size_t tr_analysis_runs_total(const tr_analysis *a);
int tr_analysis_cancelled(const tr_analysis *a);

tr_status tr_analysis_montecarlo(const tr_scenario *sc, const tr_analysis_opts *o, tr_analysis **out);
tr_status tr_analysis_montecarlo_merge(const tr_scenario *sc, const tr_analysis_opts *o, size_t nruns,
                                       const long *sample, const char *const *status,
                                       const char *const *failed, size_t ncols,
                                       const char *const *names, const double *values,
                                       tr_analysis **out);
tr_status tr_analysis_sweep(const tr_scenario *sc, const char *path1, const double *values1, size_t n1,
                            int scale1, const char *path2, const double *values2, size_t n2, int scale2,
                            const tr_analysis_opts *o, tr_analysis **out);
tr_status tr_analysis_tornado(const tr_scenario *sc, const tr_analysis_opts *o, tr_analysis **out);
tr_status tr_analysis_morris(const tr_scenario *sc, size_t trajectories, size_t levels,
                             const tr_analysis_opts *o, tr_analysis **out);
tr_status tr_analysis_macc_measures(const tr_scenario *sc, int year, const char *species, tr_analysis **out);
tr_status tr_analysis_macc_model(const tr_scenario *sc, int year, const char *species, size_t steps,
                                 const tr_analysis_opts *o, tr_analysis **out);
tr_status tr_analysis_pareto(const tr_scenario *sc, const char *x, const char *y, size_t points,
                             const tr_analysis_opts *o, tr_analysis **out);
const char *tr_analysis_pareto_cost(const tr_scenario *sc, const tr_scenario *const *variants, size_t n);
tr_status tr_analysis_pareto_place(tr_analysis *a, const char *x, const char *y,
                                   const tr_scenario *const *scenarios, const tr_result *const *results,
                                   size_t n);
static const double TR_MGA_NEEDED;
tr_status tr_analysis_mga(const tr_scenario *sc, double slack, int year, long alternatives,
                          const tr_analysis_opts *o, tr_analysis **out);

/* tr_report.h, with the analyses a report may show */
typedef struct tr_report_opts {
    int html;
    const tr_analysis *audit;
    int macc_model;
    const char *pareto_x;
    const char *pareto_y;
    double mga_slack;
} tr_report_opts;
void tr_report_opts_init(tr_report_opts *o);
tr_status tr_report_write_opts(const tr_scenario *const *scenarios, const tr_result *const *results, size_t n,
                               const tr_scenario *base_sc, const tr_result *baseline,
                               const tr_report_opts *o, const char *dir);

/* Progress of long analyses, called on the calling thread; defined in
 * techroad/_progress.py (userdata: an ffi.new_handle). */
extern "Python" int _tr_progress(size_t, size_t, void *);
/* Rounds of a decomposed solve (techroad/_progress.py). */
extern "Python" int _tr_solve_progress(int, double, void *);
