/* decomp_bench — the decomposed solve against the monolithic LP, side by
 * side in one process on the same scenario (docs/BENCH.md, "Sector scale").
 *
 *   decomp_bench SCENARIO [--no-monolithic] [--threads 1,2] [--repeat N] [--json]
 *
 * Loads the scenario once; solves it monolithic (GLPK dual simplex, the
 * library's default below TR_DECOMPOSE_MIN_PLANTS) and decomposed with each
 * thread count; prints wall-clock seconds (minimum over N repetitions), the
 * ratios, and how far the decomposed answer is from the monolithic one: NPV
 * (relative), the largest relative difference of any shadow price and of any
 * indicator. Peak memory is the process's maximum resident set after the
 * runs (run one configuration per process to compare sizes). Asserts
 * nothing about speed.
 */
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
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static long peak_rss_kb(void)
{
    struct rusage ru;
    return getrusage(RUSAGE_SELF, &ru) == 0 ? ru.ru_maxrss : -1;
}

static tr_result *solve(const tr_scenario *sc, int structure, int threads, int repeat, double *best)
{
    tr_result *keep = NULL;
    *best = INFINITY;
    for (int i = 0; i < repeat; i++) {
        tr_solve_opts o;
        tr_solve_opts_init(&o);
        o.structure = structure;
        o.threads = threads;
        tr_result *r = NULL;
        double t0 = now();
        tr_status st = tr_scenario_solve(sc, &o, &r);
        double t = now() - t0;
        if (st != TR_OK) {
            fprintf(stderr, "decomp_bench: %s\n", tr_last_error());
            exit(3);
        }
        if (t < *best)
            *best = t;
        tr_result_free(keep);
        keep = r;
    }
    return keep;
}

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), k = strlen(tail);
    return n >= k && strcmp(s + n - k, tail) == 0;
}

/* largest relative difference over the series whose name ends with @tail
 * (or every other series when @tail is NULL) */
static double worst(const tr_result *a, const tr_result *b, const char *tail, char *where, size_t nw)
{
    size_t Y = tr_result_year_count(a);
    double *u = malloc(Y * sizeof *u), *v = malloc(Y * sizeof *v), w = 0;
    for (size_t i = 0; i < tr_result_series_count(a); i++) {
        const char *name = tr_result_series_name(a, i);
        int match = ends_with(name, ".shadow_price") || strncmp(name, "prices.", 7) == 0;
        if (tail ? !match : (match || ends_with(name, ".binding")))
            continue;
        tr_result_get_series(a, i, u, Y);
        tr_result_get_series(b, i, v, Y);
        for (size_t t = 0; t < Y; t++) {
            if (isnan(u[t]) || (u[t] == 0 && v[t] == 0))
                continue;
            double d = fabs(u[t] - v[t]) / fmax(fabs(u[t]), tail ? 1e-9 : 1.0);
            if (d > w) {
                w = d;
                snprintf(where, nw, "%s[%d]: %.9g vs %.9g", name, tr_result_year(a, t), u[t], v[t]);
            }
        }
    }
    free(u);
    free(v);
    return w;
}

int main(int argc, char **argv)
{
    const char *path = NULL, *threads = "1,2";
    int mono = 1, repeat = 1, json = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--no-monolithic"))
            mono = 0;
        else if (!strcmp(argv[i], "--threads") && i + 1 < argc)
            threads = argv[++i];
        else if (!strcmp(argv[i], "--repeat") && i + 1 < argc)
            repeat = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--json"))
            json = 1;
        else if (argv[i][0] != '-' && !path)
            path = argv[i];
        else {
            fprintf(stderr, "usage: decomp_bench SCENARIO [--no-monolithic] [--threads 1,2] [--repeat N] [--json]\n");
            return 2;
        }
    }
    if (!path || repeat < 1) {
        fprintf(stderr, "usage: decomp_bench SCENARIO [--no-monolithic] [--threads 1,2] [--repeat N] [--json]\n");
        return 2;
    }
    tr_library_init();
    tr_scenario *sc = NULL;
    if (tr_scenario_load(path, &sc) != TR_OK) {
        fprintf(stderr, "decomp_bench: %s\n", tr_last_error());
        return 2;
    }
    size_t plants = tr_scenario_count(sc, TR_ITEM_PLANT);
    double tm = NAN;
    tr_result *m = mono ? solve(sc, TR_STRUCTURE_MONOLITHIC, 0, repeat, &tm) : NULL;
    int T[8], nt = 0;
    for (const char *p = threads; *p && nt < 8;) {
        T[nt++] = atoi(p);
        p = strchr(p, ',');
        if (!p)
            break;
        p++;
    }
    if (nt == 0 || T[0] < 1) {
        fprintf(stderr, "decomp_bench: --threads: expected a list like 1,2\n");
        return 2;
    }
    double td[8] = {0};
    tr_result *d[8] = {0};
    for (int i = 0; i < nt; i++)
        d[i] = solve(sc, TR_STRUCTURE_DECOMPOSED, T[i], repeat, &td[i]);
    char w1[256] = "-", w2[256] = "-";
    double dn = NAN, ds = NAN, di = NAN;
    if (m && tr_result_status(m) == TR_SOL_OPTIMAL && tr_result_status(d[0]) == TR_SOL_OPTIMAL) {
        dn = fabs(tr_result_npv(m) - tr_result_npv(d[0])) / fabs(tr_result_npv(m));
        ds = worst(m, d[0], ".shadow_price", w1, sizeof w1);
        di = worst(m, d[0], NULL, w2, sizeof w2);
    }
    if (json) {
        printf("{\"scenario\": \"%s\", \"plants\": %zu, \"monolithic_s\": %.4f, \"status\": \"%s\"", path, plants, tm,
               tr_result_status_name(d[0]));
        for (int i = 0; i < nt; i++)
            printf(", \"decomposed_%dt_s\": %.4f", T[i], td[i]);
        printf(", \"npv_rel_diff\": %.3g, \"shadow_rel_diff\": %.3g, \"indicator_rel_diff\": %.3g, \"peak_rss_kb\": %ld}\n",
               dn, ds, di, peak_rss_kb());
    } else {
        printf("%s: %zu plants, %s\n", path, plants, tr_result_status_name(d[0]));
        if (m)
            printf("  monolithic (dual simplex)   %9.3f s\n", tm);
        for (int i = 0; i < nt; i++) {
            printf("  decomposed, %d thread%s      %9.3f s", T[i], T[i] == 1 ? " " : "s", td[i]);
            if (m)
                printf("   monolithic / decomposed = %.1fx", tm / td[i]);
            if (i > 0)
                printf("   1 thread / %d = %.2fx", T[i], td[0] / td[i]);
            printf("\n");
        }
        if (m) {
            printf("  NPV relative difference          %.2g\n", dn);
            printf("  largest shadow-price difference  %.2g  (%s)\n", ds, w1);
            printf("  largest indicator difference     %.2g  (%s)\n", di, w2);
        }
        printf("  peak resident memory             %ld MB\n", peak_rss_kb() / 1024);
    }
    tr_result_free(m);
    for (int i = 0; i < nt; i++)
        tr_result_free(d[i]);
    tr_scenario_free(sc);
    return 0;
}
