/* bench — time the stages of one techroad run (docs/BENCH.md).
 *
 *   bench SCENARIO [--no-solve] [--method dual|primal] [--repeat N]
 *                  [--time-limit S] [--show-glpk] [--quiet]
 *                  [--md | --md-header | --md-append FILE]
 *
 * Each repetition runs, timed with clock_gettime(CLOCK_MONOTONIC):
 *   load   tr_scenario_load()        read, merge, validate the YAML
 *   build  tr_model_new()            build the GLPK problem
 *   solve  tr_model_solve()          glp_simplex + the library's result
 *                                    extraction and solution check
 *   write  tr_result_write_string()  the techroad-result/1 JSON text
 *   free   tr_string_free() + tr_result_free() + tr_model_free() +
 *          tr_scenario_free()
 *
 * Inside solve, GLPK's own time ("glpk") is measured in one of two ways:
 *
 * - "glp_simplex" (preferred): this program defines glp_simplex() itself and
 *   is linked with --export-dynamic, so the dynamic linker binds
 *   libtechroad's calls to it; it times the real glp_simplex (found with
 *   dlsym(RTLD_NEXT)) around each call, presolve and postsolve included, and
 *   adds up all calls of a solve. glp_get_it_cnt() gives the iterations.
 * - "messages" (fallback, and a cross-check reported as glpk_msg_s): the
 *   solve runs with verbosity 2 and a log hook timestamps GLPK's messages,
 *   from the first ("GLPK Simplex Optimizer", on entry of glp_simplex) to the
 *   last ("OPTIMAL LP SOLUTION FOUND" or a limit); that misses the silent
 *   postsolve after the last message. Used when the interposition did not
 *   take (a static or -Bsymbolic libtechroad). --quiet solves at verbosity 0
 *   (no message clock), to check that the messages cost nothing measurable.
 *
 * With --repeat N every stage is reported as its minimum over the N runs
 * and the total as the sum of those minima. cpu_solve_s and cpu_total_s are
 * the process's CPU time (CLOCK_PROCESS_CPUTIME_ID) for the solve and for
 * a whole repetition (minimum over the repetitions): a wall time well above
 * them means something else was using the machine. Peak memory is getrusage()'s
 * ru_maxrss (peak resident set of the whole process, never decreasing),
 * sampled after each stage of the first run.
 *
 * Output: one line of JSON (default), or one Markdown table row (--md;
 * --md-header prints the matching header and exits; --md-append FILE
 * appends the row to FILE and still prints the JSON line). "outside GLPK"
 * is (total - glpk) / total; in brackets (load + build + write + free) /
 * total, which leaves out the library's work inside solve.
 */
#include <dlfcn.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <glpk.h>
#include <techroad/techroad.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* CPU time of the process: with the wall time it shows whether another
 * program on the machine slowed a run down (wall well above CPU) */
static double now_cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static long peak_rss_kb(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return -1;
    return ru.ru_maxrss;   /* kilobytes on Linux */
}

/* ---- clock 1: glp_simplex interposed */
static struct {
    double seconds;
    long calls, iterations;
} simplex_clock;

typedef int (*simplex_fn)(glp_prob *, const glp_smcp *);

int glp_simplex(glp_prob *P, const glp_smcp *parm)
{
    static simplex_fn real;
    if (!real) {
        void *sym = dlsym(RTLD_NEXT, "glp_simplex");
        if (!sym) {
            fprintf(stderr, "bench: dlsym(glp_simplex): %s\n", dlerror());
            abort();
        }
        memcpy(&real, &sym, sizeof real);   /* object -> function pointer, as POSIX allows */
    }
    int it0 = glp_get_it_cnt(P);
    double t0 = now();
    int rc = real(P, parm);
    simplex_clock.seconds += now() - t0;
    simplex_clock.calls++;
    simplex_clock.iterations += glp_get_it_cnt(P) - it0;
    return rc;
}

/* ---- clock 2: GLPK message timestamps (log level 2 is GLPK's output) */
typedef struct msg_clock {
    double first, last;
    long lines;
    long iterations;      /* from the last progress line "*  1234: obj = ..." */
    int echo;             /* --show-glpk: copy the messages to stderr */
} msg_clock;

static void on_log(int level, const char *msg, void *ud)
{
    msg_clock *mc = ud;
    double t = now();
    if (level != 2)
        return;
    if (mc->echo)
        fprintf(stderr, "[%10.6f] %s\n", mc->lines ? t - mc->first : 0.0, msg);
    if (mc->lines++ == 0)
        mc->first = t;
    mc->last = t;
    const char *p = msg;
    while (*p == ' ' || *p == '*' || *p == '#' || *p == '|')
        p++;
    char *end;
    long it = strtol(p, &end, 10);
    if (end != p && *end == ':' && strstr(end, "obj ="))
        mc->iterations = it;
}

typedef struct stage_times {
    double load, build, solve, glpk, glpk_msg, write, teardown;
    double cpu_solve, cpu_total;   /* CPU seconds of the process */
} stage_times;

static void keep_min(double *acc, double v) { *acc = v < *acc ? v : *acc; }

static int usage(void)
{
    fprintf(stderr, "usage: bench SCENARIO [--no-solve] [--method dual|primal] [--repeat N]\n"
                    "             [--time-limit S] [--show-glpk] [--quiet]\n"
                    "             [--md | --md-header | --md-append FILE]\n");
    return 2;
}

static void md_header(void)
{
    printf("| plants | method | rows | columns | nonzeros | load s | build s | build µs/nnz | solve s "
           "| of which GLPK s | write s | total s | outside GLPK | peak RSS MiB | iterations | status |\n"
           "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
}

typedef struct report {
    stage_times best;
    int solve;
    const char *method, *clock;
    size_t plants, techs, years, rows, cols, nnz, json_bytes;
    double us_nnz, total, share_lo, share_all, npv, time_limit;
    long iterations, simplex_calls, glpk_lines, rss_load, rss_build, rss_solve, rss_write, peak;
    char status[32], name[128];
} report;

static void md_row(FILE *f, const report *r)
{
    char solve_s[32] = "–", glpk_s[32] = "–", write_s[32] = "–", share[48] = "–", iters[32] = "–";
    if (r->solve) {
        snprintf(solve_s, sizeof solve_s, "%.3f", r->best.solve);
        snprintf(write_s, sizeof write_s, "%.4f", r->best.write);
        if (isfinite(r->share_all)) {
            snprintf(glpk_s, sizeof glpk_s, "%.3f", r->best.glpk);
            snprintf(share, sizeof share, "%.2f %% (%.2f %%)", 100 * r->share_all, 100 * r->share_lo);
        } else {
            snprintf(share, sizeof share, "– (%.2f %%)", 100 * r->share_lo);
        }
        if (r->iterations >= 0)
            snprintf(iters, sizeof iters, "%ld", r->iterations);
    }
    fprintf(f, "| %zu | %s | %zu | %zu | %zu | %.4f | %.4f | %.3f | %s | %s | %s | %.3f | %s | %.1f | %s | %s |\n",
            r->plants, r->method, r->rows, r->cols, r->nnz, r->best.load, r->best.build, r->us_nnz, solve_s, glpk_s,
            write_s, r->total, share, (double)r->peak / 1024.0, iters, r->status);
}

/* "key": value, (null for NaN); digits < 0: %.*g with -digits */
static void jnum(const char *key, double v, int digits)
{
    if (!isfinite(v))
        printf("\"%s\": null, ", key);
    else if (digits < 0)
        printf("\"%s\": %.*g, ", key, -digits, v);
    else
        printf("\"%s\": %.*f, ", key, digits, v);
}

static void jstr(const char *key, const char *s)
{
    printf("\"%s\": ", key);
    if (!s) {
        printf("null, ");
        return;
    }
    putchar('"');
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            printf("\\%c", c);
        else if (c < 0x20)
            printf("\\u%04x", c);
        else
            putchar(c);
    }
    printf("\", ");
}

static void json_line(const report *r)
{
    int s = r->solve;
    printf("{");
    jstr("scenario", r->name);
    jnum("plants", (double)r->plants, 0);
    jnum("technologies", (double)r->techs, 0);
    jnum("years", (double)r->years, 0);
    jstr("method", r->method);
    jnum("rows", (double)r->rows, 0);
    jnum("cols", (double)r->cols, 0);
    jnum("nonzeros", (double)r->nnz, 0);
    jnum("load_s", r->best.load, 6);
    jnum("build_s", r->best.build, 6);
    jnum("build_us_per_nnz", r->us_nnz, 4);
    jnum("solve_s", s ? r->best.solve : NAN, 6);
    jnum("glpk_s", s && r->clock ? r->best.glpk : NAN, 6);
    jnum("solve_outside_glpk_s", s && r->clock ? r->best.solve - r->best.glpk : NAN, 6);
    jnum("write_s", s ? r->best.write : NAN, 6);
    jnum("teardown_s", r->best.teardown, 6);
    jnum("total_s", r->total, 6);
    jnum("cpu_solve_s", s ? r->best.cpu_solve : NAN, 6);
    jnum("cpu_total_s", r->best.cpu_total, 6);
    jnum("share_load_build_write", r->share_lo, 6);
    jnum("share_outside_glpk", r->share_all, 6);
    jstr("status", r->status);
    jnum("npv", r->npv, -10);
    jnum("iterations", r->iterations >= 0 ? (double)r->iterations : NAN, 0);
    jstr("glpk_clock", r->clock);
    jnum("simplex_calls", s ? (double)r->simplex_calls : NAN, 0);
    jnum("glpk_msg_s", s && r->glpk_lines ? r->best.glpk_msg : NAN, 6);
    jnum("glpk_messages", s ? (double)r->glpk_lines : NAN, 0);
    jnum("json_bytes", s ? (double)r->json_bytes : NAN, 0);
    jnum("time_limit_s", r->time_limit, -6);
    printf("\"rss_kb\": {");
    jnum("load", (double)r->rss_load, 0);
    jnum("build", (double)r->rss_build, 0);
    jnum("solve", s ? (double)r->rss_solve : NAN, 0);
    jnum("write", s ? (double)r->rss_write : NAN, 0);
    printf("\"peak\": %ld}, ", r->peak);
    printf("\"techroad\": \"%s\", \"glpk\": \"%s\"}\n", tr_version(), tr_glpk_version());
}

static int fail(const char *what, tr_status rc)
{
    fprintf(stderr, "bench: %s: %s: %s\n", what, tr_strerror(rc), tr_last_error());
    return 1;
}

int main(int argc, char **argv)
{
    const char *path = NULL, *md_file = NULL;
    int solve = 1, method = TR_METHOD_DUAL, repeat = 1, md = 0, show_glpk = 0, quiet = 0;
    double time_limit = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--no-solve")) {
            solve = 0;
        } else if (!strcmp(argv[i], "--method") && i + 1 < argc) {
            i++;
            if (!strcmp(argv[i], "dual"))
                method = TR_METHOD_DUAL;
            else if (!strcmp(argv[i], "primal"))
                method = TR_METHOD_PRIMAL;
            else
                return usage();
        } else if (!strcmp(argv[i], "--repeat") && i + 1 < argc) {
            repeat = atoi(argv[++i]);
            if (repeat < 1)
                return usage();
        } else if (!strcmp(argv[i], "--time-limit") && i + 1 < argc) {
            time_limit = atof(argv[++i]);
        } else if (!strcmp(argv[i], "--quiet")) {
            quiet = 1;
        } else if (!strcmp(argv[i], "--show-glpk")) {
            show_glpk = 1;
        } else if (!strcmp(argv[i], "--md-append") && i + 1 < argc) {
            md_file = argv[++i];
        } else if (!strcmp(argv[i], "--md")) {
            md = 1;
        } else if (!strcmp(argv[i], "--md-header")) {
            md_header();
            return 0;
        } else if (argv[i][0] == '-' || path) {
            return usage();
        } else {
            path = argv[i];
        }
    }
    if (!path || (quiet && show_glpk))
        return usage();

    tr_library_init();
    report R;
    memset(&R, 0, sizeof R);
    R.best = (stage_times){DBL_MAX, DBL_MAX, DBL_MAX, DBL_MAX, DBL_MAX, DBL_MAX, DBL_MAX, DBL_MAX, DBL_MAX};
    R.solve = solve;
    R.method = !solve ? "-" : method == TR_METHOD_PRIMAL ? "primal" : "dual";
    R.time_limit = time_limit;
    R.npv = NAN;
    R.iterations = -1;
    snprintf(R.status, sizeof R.status, "not solved");
    int interposed = 1, messages = 1;

    for (int rep = 0; rep < repeat; rep++) {
        stage_times st = {0, 0, 0, 0, 0, 0, 0, 0, 0};
        tr_scenario *sc = NULL;
        tr_model *m = NULL;
        tr_result *r = NULL;
        char *json = NULL;
        double c0 = now_cpu();

        double t0 = now();
        tr_status rc = tr_scenario_load(path, &sc);
        double t1 = now();
        if (rc != TR_OK)
            return fail(path, rc);
        st.load = t1 - t0;
        if (rep == 0)
            R.rss_load = peak_rss_kb();

        t0 = now();
        rc = tr_model_new(sc, &m);
        t1 = now();
        if (rc != TR_OK)
            return fail("tr_model_new", rc);
        st.build = t1 - t0;
        if (rep == 0)
            R.rss_build = peak_rss_kb();

        if (solve) {
            tr_solve_opts o;
            tr_solve_opts_init(&o);
            o.method = method;
            o.structure = TR_STRUCTURE_MONOLITHIC;   /* this benchmark is about the whole LP */
            o.time_limit_s = time_limit;
            o.verbosity = quiet ? 0 : 2;
            msg_clock mc;
            memset(&mc, 0, sizeof mc);
            mc.echo = show_glpk;
            if (!quiet)
                tr_set_log_fn(on_log, &mc);
            memset(&simplex_clock, 0, sizeof simplex_clock);
            double cs = now_cpu();
            t0 = now();
            rc = tr_model_solve(m, &o, &r);
            t1 = now();
            st.cpu_solve = now_cpu() - cs;
            tr_set_log_fn(NULL, NULL);
            if (rc != TR_OK)
                return fail("tr_model_solve", rc);
            st.solve = t1 - t0;
            st.glpk = simplex_clock.seconds;
            st.glpk_msg = mc.lines ? mc.last - mc.first : 0;
            interposed = interposed && simplex_clock.calls > 0;
            messages = messages && mc.lines > 0;
            if (rep == 0) {
                R.rss_solve = peak_rss_kb();
                R.iterations = simplex_clock.calls ? simplex_clock.iterations : mc.lines ? mc.iterations : -1;
                R.simplex_calls = simplex_clock.calls;
                R.glpk_lines = mc.lines;
                snprintf(R.status, sizeof R.status, "%s", tr_result_status_name(r));
                R.npv = tr_result_npv(r);
            }

            t0 = now();
            rc = tr_result_write_string(r, TR_FMT_JSON, &json);
            t1 = now();
            if (rc != TR_OK)
                return fail("tr_result_write_string", rc);
            st.write = t1 - t0;
            if (rep == 0) {
                R.rss_write = peak_rss_kb();
                R.json_bytes = strlen(json);
            }
        }

        if (rep == 0) {
            R.rows = tr_model_row_count(m);
            R.cols = tr_model_col_count(m);
            R.nnz = tr_model_nonzero_count(m);
            R.plants = tr_scenario_count(sc, TR_ITEM_PLANT);
            R.techs = tr_scenario_count(sc, TR_ITEM_TECHNOLOGY);
            R.years = tr_scenario_year_count(sc);
            snprintf(R.name, sizeof R.name, "%s", tr_scenario_name(sc));
        }
        t0 = now();
        tr_string_free(json);
        tr_result_free(r);
        tr_model_free(m);
        tr_scenario_free(sc);
        t1 = now();
        st.teardown = t1 - t0;
        st.cpu_total = now_cpu() - c0;

        keep_min(&R.best.load, st.load);
        keep_min(&R.best.build, st.build);
        keep_min(&R.best.solve, st.solve);
        keep_min(&R.best.glpk, st.glpk);
        keep_min(&R.best.glpk_msg, st.glpk_msg);
        keep_min(&R.best.write, st.write);
        keep_min(&R.best.teardown, st.teardown);
        keep_min(&R.best.cpu_solve, st.cpu_solve);
        keep_min(&R.best.cpu_total, st.cpu_total);
    }

    /* which clock "glpk" is */
    if (solve && interposed) {
        R.clock = "glp_simplex";
    } else if (solve && messages) {
        R.clock = "messages";
        R.best.glpk = R.best.glpk_msg;
    } else {
        R.clock = NULL;
    }
    if (!solve)
        R.best.solve = R.best.write = 0;
    R.total = R.best.load + R.best.build + R.best.solve + R.best.write + R.best.teardown;
    R.us_nnz = R.nnz ? R.best.build * 1e6 / (double)R.nnz : NAN;
    R.peak = peak_rss_kb();
    R.share_lo = solve ? (R.best.load + R.best.build + R.best.write + R.best.teardown) / R.total : NAN;
    R.share_all = solve && R.clock ? (R.total - R.best.glpk) / R.total : NAN;

    if (md_file) {
        FILE *f = fopen(md_file, "a");
        if (!f) {
            fprintf(stderr, "bench: cannot append to %s\n", md_file);
            return 1;
        }
        md_row(f, &R);
        if (fclose(f) != 0)
            return 1;
    }
    if (md)
        md_row(stdout, &R);
    else
        json_line(&R);
    return 0;
}
