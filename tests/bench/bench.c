/* bench — time the stages of one techroad run (docs/BENCH.md).
 *
 *   bench SCENARIO [--no-solve] [--method dual|primal] [--repeat N]
 *                  [--time-limit S] [--show-glpk] [--no-glpk-clock]
 *                  [--md | --md-header | --md-append FILE]
 *
 * Each repetition runs, timed with clock_gettime(CLOCK_MONOTONIC):
 *   load   tr_scenario_load()        read, merge, validate the YAML
 *   build  tr_model_new()            build the GLPK problem
 *   solve  tr_model_solve()          glp_simplex + the library's result
 *                                    extraction and solution check
 *   write  tr_result_write_string()  the techroad-result/1 JSON text
 *   free   tr_result_free() + tr_model_free() + tr_scenario_free() + tr_string_free()
 * and, inside solve, the time GLPK itself spends ("glpk"): the solve runs
 * with verbosity 2 and a log hook that timestamps GLPK's messages; glpk is
 * the time from its first message ("GLPK Simplex Optimizer ...", printed on
 * entry of glp_simplex, before presolve) to its last ("OPTIMAL LP SOLUTION
 * FOUND" or the limit message). It misses GLPK's silent postsolve after the
 * last message, so solve - glpk slightly over-states the library's share.
 * --no-glpk-clock solves silently instead (glpk is then reported as 0), to
 * check that the messages cost nothing measurable.
 *
 * With --repeat N every stage is reported as its minimum over the N runs
 * and the total as the sum of those minima. Peak memory is getrusage()'s
 * ru_maxrss (peak resident set of the whole process, never decreasing),
 * sampled after each stage of the first run.
 *
 * Output: one line of JSON (default), or one Markdown table row (--md;
 * --md-header prints the matching header and exits; --md-append FILE
 * appends the row to FILE and still prints the JSON line). The "outside
 * GLPK" column is (total - glpk) / total, and in brackets (load + build +
 * write + free) / total, which leaves out the library's work inside solve.
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include <techroad/techroad.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static long peak_rss_kb(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return -1;
    return ru.ru_maxrss;   /* kilobytes on Linux */
}

/* ---- GLPK message timestamps (level 2 lines are GLPK's terminal output) */
typedef struct glpk_clock {
    double first, last;
    long lines;
    long iterations;      /* from the last progress line "*  1234: obj = ..." */
    int echo;             /* --show-glpk: copy the messages to stderr */
    char last_line[160];
} glpk_clock;

static void on_log(int level, const char *msg, void *ud)
{
    glpk_clock *gc = ud;
    double t = now();
    if (level != 2)
        return;
    if (gc->echo)
        fprintf(stderr, "[%10.6f] %s\n", gc->lines ? t - gc->first : 0.0, msg);
    if (gc->lines++ == 0)
        gc->first = t;
    gc->last = t;
    snprintf(gc->last_line, sizeof gc->last_line, "%s", msg);
    const char *p = msg;
    while (*p == ' ' || *p == '*' || *p == '#' || *p == '|')
        p++;
    char *end;
    long it = strtol(p, &end, 10);
    if (end != p && *end == ':' && strstr(end, "obj ="))
        gc->iterations = it;
}

typedef struct stage_times {
    double load, build, solve, glpk, write, teardown;
} stage_times;

static void keep_min(double *acc, double v) { *acc = v < *acc ? v : *acc; }

static int usage(void)
{
    fprintf(stderr,
            "usage: bench SCENARIO [--no-solve] [--method dual|primal] [--repeat N]\n"
            "             [--time-limit S] [--show-glpk] [--no-glpk-clock]\n"
            "             [--md | --md-header | --md-append FILE]\n");
    return 2;
}

static void md_header(void)
{
    printf("| plants | method | rows | columns | nonzeros | load s | build s | build µs/nnz | solve s "
           "| of which GLPK s | write s | total s | outside GLPK | peak RSS MiB | iterations | status |\n"
           "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
}

static void md_row(FILE *f, const stage_times *b, int solve, size_t plants, const char *meth, size_t rows,
                   size_t cols, size_t nnz, double us_nnz, double total, double share_lo, double share_all,
                   long iterations, long peak_kb, const char *status)
{
    char solve_s[32] = "–", glpk_s[32] = "–", write_s[32] = "–", share[48] = "–", iters[32] = "–";
    if (solve) {
        snprintf(solve_s, sizeof solve_s, "%.3f", b->solve);
        snprintf(write_s, sizeof write_s, "%.4f", b->write);
        if (isfinite(share_all)) {
            snprintf(glpk_s, sizeof glpk_s, "%.3f", b->glpk);
            snprintf(share, sizeof share, "%.2f %% (%.2f %%)", 100 * share_all, 100 * share_lo);
            snprintf(iters, sizeof iters, "%ld", iterations);
        } else {
            snprintf(share, sizeof share, "– (%.2f %%)", 100 * share_lo);
        }
    }
    fprintf(f, "| %zu | %s | %zu | %zu | %zu | %.4f | %.4f | %.3f | %s | %s | %s | %.3f | %s | %.1f | %s | %s |\n",
            plants, meth, rows, cols, nnz, b->load, b->build, us_nnz, solve_s, glpk_s, write_s, total, share,
            (double)peak_kb / 1024.0, iters, solve ? status : "not solved");
}

/* "name": value, with null for NaN; digits < 0: %.*g with -digits */
static void jnum(const char *key, double v, int digits)
{
    if (!isfinite(v))
        printf("\"%s\": null, ", key);
    else if (digits < 0)
        printf("\"%s\": %.*g, ", key, -digits, v);
    else
        printf("\"%s\": %.*f, ", key, digits, v);
}

static void json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

int main(int argc, char **argv)
{
    const char *path = NULL;
    int solve = 1, method = TR_METHOD_DUAL, repeat = 1, md = 0, show_glpk = 0, glpk_clock_on = 1;
    const char *md_file = NULL;
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
        } else if (!strcmp(argv[i], "--no-glpk-clock")) {
            glpk_clock_on = 0;
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
    if (!path)
        return usage();

    tr_library_init();
    stage_times best = {DBL_MAX, DBL_MAX, DBL_MAX, DBL_MAX, DBL_MAX, DBL_MAX};
    size_t rows = 0, cols = 0, nnz = 0, plants = 0, techs = 0, years = 0, json_bytes = 0;
    long rss_load = 0, rss_build = 0, rss_solve = 0, rss_write = 0, iterations = -1, glpk_lines = 0;
    char status[32] = "not solved", name[128] = "";
    double npv = NAN;

    for (int rep = 0; rep < repeat; rep++) {
        stage_times st = {0, 0, 0, 0, 0, 0};
        tr_scenario *sc = NULL;
        tr_model *m = NULL;
        tr_result *r = NULL;
        char *json = NULL;

        double t0 = now();
        tr_status rc = tr_scenario_load(path, &sc);
        double t1 = now();
        if (rc != TR_OK) {
            fprintf(stderr, "bench: %s: %s\n", tr_strerror(rc), tr_last_error());
            return 1;
        }
        st.load = t1 - t0;
        if (rep == 0)
            rss_load = peak_rss_kb();

        t0 = now();
        rc = tr_model_new(sc, &m);
        t1 = now();
        if (rc != TR_OK) {
            fprintf(stderr, "bench: %s: %s\n", tr_strerror(rc), tr_last_error());
            return 1;
        }
        st.build = t1 - t0;
        if (rep == 0)
            rss_build = peak_rss_kb();

        if (solve) {
            tr_solve_opts o;
            tr_solve_opts_init(&o);
            o.method = method;
            o.time_limit_s = time_limit;
            o.verbosity = glpk_clock_on ? 2 : 0;   /* GLPK messages, timestamped by on_log */
            glpk_clock gc;
            memset(&gc, 0, sizeof gc);
            gc.echo = show_glpk;
            if (glpk_clock_on)
                tr_set_log_fn(on_log, &gc);
            t0 = now();
            rc = tr_model_solve(m, &o, &r);
            t1 = now();
            tr_set_log_fn(NULL, NULL);
            if (rc != TR_OK) {
                fprintf(stderr, "bench: %s: %s\n", tr_strerror(rc), tr_last_error());
                return 1;
            }
            st.solve = t1 - t0;
            st.glpk = gc.lines ? gc.last - gc.first : 0;
            if (rep == 0) {
                rss_solve = peak_rss_kb();
                iterations = gc.iterations;
                glpk_lines = gc.lines;
                snprintf(status, sizeof status, "%s", tr_result_status_name(r));
                npv = tr_result_npv(r);
            }

            t0 = now();
            rc = tr_result_write_string(r, TR_FMT_JSON, &json);
            t1 = now();
            if (rc != TR_OK) {
                fprintf(stderr, "bench: %s: %s\n", tr_strerror(rc), tr_last_error());
                return 1;
            }
            st.write = t1 - t0;
            if (rep == 0) {
                rss_write = peak_rss_kb();
                json_bytes = strlen(json);
            }
        }

        if (rep == 0) {
            rows = tr_model_row_count(m);
            cols = tr_model_col_count(m);
            nnz = tr_model_nonzero_count(m);
            plants = tr_scenario_count(sc, TR_ITEM_PLANT);
            techs = tr_scenario_count(sc, TR_ITEM_TECHNOLOGY);
            years = tr_scenario_year_count(sc);
            snprintf(name, sizeof name, "%s", tr_scenario_name(sc));
        }
        t0 = now();
        tr_string_free(json);
        tr_result_free(r);
        tr_model_free(m);
        tr_scenario_free(sc);
        t1 = now();
        st.teardown = t1 - t0;

        keep_min(&best.load, st.load);
        keep_min(&best.build, st.build);
        keep_min(&best.solve, st.solve);
        keep_min(&best.glpk, st.glpk);
        keep_min(&best.write, st.write);
        keep_min(&best.teardown, st.teardown);
    }

    double total = best.load + best.build + best.solve + best.write + best.teardown;
    double outside = best.load + best.build + best.write + best.teardown;
    double us_nnz = nnz ? best.build * 1e6 / (double)nnz : NAN;
    long peak = peak_rss_kb();
    const char *meth = !solve ? "-" : method == TR_METHOD_PRIMAL ? "primal" : "dual";
    /* share of the run outside GLPK: the stages around the solve only (a
     * lower bound), and everything but GLPK's own time (solve - glpk counts
     * the library's extraction and solution check) */
    double share_lo = solve ? outside / total : NAN;
    double share_all = solve && glpk_clock_on ? (total - best.glpk) / total : NAN;

    if (md_file) {
        FILE *f = fopen(md_file, "a");
        if (!f) {
            fprintf(stderr, "bench: cannot append to %s\n", md_file);
            return 1;
        }
        md_row(f, &best, solve, plants, meth, rows, cols, nnz, us_nnz, total, share_lo, share_all, iterations, peak,
               status);
        if (fclose(f) != 0)
            return 1;
    }
    if (md) {
        md_row(stdout, &best, solve, plants, meth, rows, cols, nnz, us_nnz, total, share_lo, share_all, iterations,
               peak, status);
        return 0;
    }
    printf("{\"scenario\": ");
    json_string(stdout, name);
    printf(", \"plants\": %zu, \"technologies\": %zu, \"years\": %zu, \"method\": \"%s\", "
           "\"repeat\": %d, \"rows\": %zu, \"cols\": %zu, \"nonzeros\": %zu, ",
           plants, techs, years, meth, repeat, rows, cols, nnz);
    jnum("load_s", best.load, 6);
    jnum("build_s", best.build, 6);
    jnum("build_us_per_nnz", us_nnz, 4);
    jnum("solve_s", solve ? best.solve : NAN, 6);
    jnum("glpk_s", solve && glpk_clock_on ? best.glpk : NAN, 6);
    jnum("solve_outside_glpk_s", solve && glpk_clock_on ? best.solve - best.glpk : NAN, 6);
    jnum("write_s", solve ? best.write : NAN, 6);
    jnum("teardown_s", best.teardown, 6);
    jnum("total_s", total, 6);
    jnum("share_load_build_write", share_lo, 6);
    jnum("share_outside_glpk", share_all, 6);
    printf("\"status\": \"%s\", ", status);
    jnum("npv", npv, -10);
    jnum("iterations", solve && glpk_clock_on ? (double)iterations : NAN, 0);
    jnum("glpk_messages", solve && glpk_clock_on ? (double)glpk_lines : NAN, 0);
    jnum("json_bytes", solve ? (double)json_bytes : NAN, 0);
    printf("\"rss_kb\": {");
    jnum("load", (double)rss_load, 0);
    jnum("build", (double)rss_build, 0);
    jnum("solve", solve ? (double)rss_solve : NAN, 0);
    jnum("write", solve ? (double)rss_write : NAN, 0);
    printf("\"peak\": %ld}, \"time_limit_s\": %g, \"glpk\": \"%s\"}\n", peak, time_limit, tr_glpk_version());
    return 0;
}
