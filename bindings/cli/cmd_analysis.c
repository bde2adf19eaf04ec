/* techroad mc / sweep / sensitivity / macc / pareto: analyses with
 * progress (a bar with rate and time left on a terminal, plain lines
 * otherwise) and clean cancellation on Ctrl-C (partial results kept). */
#define _XOPEN_SOURCE 700
#include <getopt.h>   /* optind, optarg */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

static volatile sig_atomic_t interrupted;
static void on_sigint(int sig)
{
    (void)sig;
    interrupted = 1;
}

typedef struct progress {
    const char *what;
    struct timespec t0;
    size_t last_line;
    int tty;
    int started;   /* the first plain line is out */
} progress;

static double since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) * 1e-9;
}

/* Progress shows only once the analysis has taken a second: a run that
 * finishes sooner leaves no line in a log (issue 18). */
#define PROGRESS_AFTER_S 1.0

static int on_progress(size_t done, size_t total, void *ud)
{
    progress *p = ud;
    double dt = since(&p->t0), rate = dt > 0 ? (double)done / dt : 0;
    double left = rate > 0 ? (double)(total - done) / rate : 0;
    if (!p->started && dt < PROGRESS_AFTER_S)
        return interrupted;
    if (p->tty) {
        int width = 30, fill = total ? (int)((double)width * (double)done / (double)total) : width;
        fprintf(stderr, "\r%s [", p->what);
        for (int i = 0; i < width; i++)
            fputc(i < fill ? '#' : '.', stderr);
        fprintf(stderr, "] %zu/%zu  %.1f runs/s  %d:%02d left ", done, total, rate, (int)left / 60, (int)left % 60);
        if (done == total)
            fputc('\n', stderr);
    } else if (!p->started && done == 0) {
        /* a line as soon as a slow base case has taken a second (a large
         * sector's can take minutes) */
        fprintf(stderr, "%s: 0/%zu runs, starting\n", p->what, total);
    } else if (!p->started || done == total || done >= p->last_line + (total / 10 ? total / 10 : 1)) {
        fprintf(stderr, "%s: %zu/%zu runs, %.1f runs/s, %.0f s left\n", p->what, done, total, rate, left);
        p->last_line = done;
    }
    p->started = 1;
    return interrupted;
}

typedef struct common {
    tr_analysis_opts o;
    tr_result_format fmt;   /* --format */
    const char *out;
    progress pr;
} common;

static void common_init(common *c, const char *what)
{
    tr_analysis_opts_init(&c->o);
    c->fmt = TR_FMT_TABLE;
    c->out = NULL;
    c->pr.what = what;
    c->pr.tty = isatty(2);
    c->pr.last_line = 0;
    c->pr.started = 0;
    clock_gettime(CLOCK_MONOTONIC, &c->pr.t0);
    c->o.progress = on_progress;
    c->o.userdata = &c->pr;
    interrupted = 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigaction(SIGINT, &sa, NULL);
}

/* print every table (and write DIR/<table>.csv or .json with --out) */
static int finish(common *c, tr_status st, tr_analysis *a)
{
    signal(SIGINT, SIG_DFL);
    if (st != TR_OK && interrupted) {   /* during the base case: nothing to show */
        fprintf(stderr, "\n%s: cancelled before the first run\n", prog);
        return EXIT_CANCELLED;
    }
    if (st != TR_OK)
        return cli_fail(st);
    tr_result_format fmt = c->fmt;
    int rc = EXIT_SOLVED;
    if (c->out && tr_folder_make(c->out) != TR_OK) {
        fprintf(stderr, "%s: %s\n", prog, tr_last_error());
        tr_analysis_free(a);
        return EXIT_INPUT;
    }
    for (size_t i = 0; i < tr_analysis_table_count(a); i++) {
        const tr_table *t = tr_analysis_table(a, i);
        char *s = NULL;
        if (c->out) {
            tr_result_format ff = fmt == TR_FMT_JSON ? TR_FMT_JSON : TR_FMT_CSV;
            if (tr_table_write_string(t, ff, &s) == TR_OK) {
                char path[4096];
                snprintf(path, sizeof path, "%s/%s.%s", c->out, tr_table_name(t), ff == TR_FMT_JSON ? "json" : "csv");
                if (cli_emit(s, path) != EXIT_SOLVED)
                    rc = EXIT_INPUT;
            }
            tr_string_free(s);
            s = NULL;
        }
        if (tr_table_write_string(t, fmt, &s) == TR_OK) {
            if (!c->out || fmt == TR_FMT_TABLE) {
                fputs(s, stdout);
                if (fmt == TR_FMT_TABLE && i + 1 < tr_analysis_table_count(a))
                    fputc('\n', stdout);
            }
        }
        tr_string_free(s);
    }
    cli_stdout_check();
    /* runs whose values the scenario rejected (or the solver failed on):
     * why, on stderr; no run that succeeded is a failure of the analysis */
    const tr_table *ft = tr_analysis_find(a, "failures");
    if (ft) {
        size_t nfail = 0, nr = tr_table_row_count(ft);
        for (size_t r = 0; r < nr; r++)
            nfail += (size_t)tr_table_num(ft, r, 1);
        size_t done = tr_analysis_runs_done(a);
        fprintf(stderr, "%s: %zu of %zu runs failed%s:\n", prog, nfail, done,
                nfail >= done ? ", none succeeded" : "");
        for (size_t r = 0; r < nr && r < 5; r++)
            fprintf(stderr, "  %zu runs: %s (first: run %.0f: %s)\n", (size_t)tr_table_num(ft, r, 1),
                    tr_table_text(ft, r, 0), tr_table_num(ft, r, 2), tr_table_text(ft, r, 3));
        if (nr > 5)
            fprintf(stderr, "  ... and %zu other reasons (table \"failures\")\n", nr - 5);
        if (done > 0 && nfail >= done)
            rc = EXIT_INPUT;
    }
    if (tr_analysis_cancelled(a) || interrupted) {
        fprintf(stderr, "%s: cancelled after %zu of %zu runs; the results above use the runs done\n", prog,
                tr_analysis_runs_done(a), tr_analysis_runs_total(a));
        rc = EXIT_CANCELLED;
    }
    tr_analysis_free(a);
    return rc;
}

typedef struct args {
    common c;
    const char *scenario, *method, *output, *species, *x, *y;
    int method_index;   /* of --method among the command's choices */
    const char *param[2];
    int nparam, scale;
    const char *place[32];
    int nplace;
    long traj, levels, year, steps, points;
} args;

/* optarg appended to @list of *@n (at most @max), else 0 after "PROG: @full" */
static int repeat(const char **list, int *n, int max, const char *full)
{
    if (*n == max) {
        fprintf(stderr, "%s: %s\n", prog, full);
        return 0;
    }
    list[(*n)++] = optarg;
    return 1;
}

static int parse(int argc, char **argv, args *a, const char *what)
{
    memset(a, 0, sizeof *a);
    common_init(&a->c, what);
    a->traj = TR_DEFAULT_MORRIS_TRAJECTORIES;
    a->levels = TR_DEFAULT_MORRIS_LEVELS;
    a->steps = TR_DEFAULT_MACC_STEPS;
    a->points = TR_DEFAULT_PARETO_POINTS;
    a->year = 0;
    int c;
    long v;
    optind = 1;
    while ((c = cli_getopt(CLI_C_ANALYSIS, argc, argv, &v)) != -1) {
        switch (c) {
        case CLI_O_SAMPLES: a->c.o.samples = v; break;
        case CLI_O_SEED: a->c.o.seed = v; break;
        case 'm': a->method = optarg; break;
        case 'T':
            if (!cli_threads(what, optarg, &a->c.o.threads))
                return 0;
            break;
        case CLI_O_KEEP: a->c.o.keep_samples = 1; break;
        case CLI_O_COLD: a->c.o.warm = 0; break;
        case 'o': a->c.out = optarg; break;
        case 'f':
            if (!cli_format(NULL, "table|csv|json", optarg, &a->c.fmt))
                return 0;
            break;
        case CLI_O_PARAM:
            if (!repeat(a->param, &a->nparam, 2, "--param: at most two parameters"))
                return 0;
            break;
        case CLI_O_SCALE: a->scale = 1; break;
        case CLI_O_OUTPUT: a->output = optarg; break;
        case CLI_O_TRAJ: a->traj = v; break;
        case CLI_O_LEVELS: a->levels = v; break;
        case CLI_O_YEAR: a->year = v; break;
        case CLI_O_SPECIES: a->species = optarg; break;
        case CLI_O_STEPS: a->steps = v; break;
        case CLI_O_X: a->x = optarg; break;
        case CLI_O_Y: a->y = optarg; break;
        case CLI_O_POINTS: a->points = v; break;
        case CLI_O_PLACE:
            if (!repeat(a->place, &a->nplace, 32, "--place: at most 32 variants"))
                return 0;
            break;
        default: return 0;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "%s %s: expected one scenario file (see %s --help)\n", prog, what, prog);
        return 0;
    }
    a->scenario = argv[optind];
    a->c.o.output = a->output;
    /* --method: mc's sampling, sensitivity's analysis (the first is the default) */
    static const struct {
        const char *cmd, *choices;
    } methods[] = {{"mc", "lhs|random"}, {"sensitivity", "tornado|morris"}};
    for (size_t i = 0; a->method && i < sizeof methods / sizeof *methods; i++)
        if (!strcmp(what, methods[i].cmd) && (a->method_index = cli_choice(what, "method", methods[i].choices,
                                                                           a->method)) < 0)
            return 0;
    return 1;
}

static tr_scenario *load(const char *f, int *rc)
{
    tr_scenario *sc = NULL;
    tr_status st = cli_load(f, &sc);
    if (st != TR_OK)
        *rc = cli_fail(st);
    return sc;
}

/* parse the options of @what and load its scenario; NULL with the exit
 * code in @rc on a bad option or file */
static tr_scenario *start(int argc, char **argv, args *a, const char *what, int *rc)
{
    if (!parse(argc, argv, a, what)) {
        *rc = EXIT_INPUT;
        return NULL;
    }
    return load(a->scenario, rc);
}

/* the command @what: parse its options, load its scenario, run @fn on it */
typedef tr_status (*analysis_fn)(const tr_scenario *sc, args *a, tr_analysis **out);
static int run_analysis(int argc, char **argv, const char *what, analysis_fn fn)
{
    args a;
    int rc = 0;
    tr_scenario *sc = start(argc, argv, &a, what, &rc);
    if (!sc)
        return rc;
    tr_analysis *an = NULL;
    tr_status st = fn(sc, &a, &an);
    tr_scenario_free(sc);
    return finish(&a.c, st, an);
}

static tr_status montecarlo(const tr_scenario *sc, args *a, tr_analysis **out)
{
    static const int sampling[] = {1, 0};   /* lhs|random -> tr_analysis_opts.method */
    if (a->method)
        a->c.o.method = sampling[a->method_index];
    return tr_analysis_montecarlo(sc, &a->c.o, out);
}

int cmd_mc(int argc, char **argv)
{
    return run_analysis(argc, argv, "mc", montecarlo);
}

/* "path=v1,v2,..." or "path=from:to:n" */
static int param_values(const char *spec, char **path, double **v, size_t *n)
{
    const char *eq = strrchr(spec, '=');
    if (!eq || eq == spec) {
        fprintf(stderr, "%s sweep: --param: expected PATH=v1,v2,... or PATH=from:to:n, got \"%s\"\n", prog, spec);
        return 0;
    }
    *path = strndup(spec, (size_t)(eq - spec));
    const char *vals = eq + 1;
    double a, b;
    long k;
    char tail;
    *v = NULL;
    *n = 0;
    if (sscanf(vals, "%lf:%lf:%ld%c", &a, &b, &k, &tail) == 3) {
        if (k < 1 || k > TR_MAX_SWEEP_POINTS) {
            fprintf(stderr, "%s sweep: --param %s: FROM:TO:N: expected N an integer from 1 to %d, got %ld\n", prog,
                    *path, TR_MAX_SWEEP_POINTS, k);
            return 0;
        }
        if (!isfinite(a) || !isfinite(b)) {
            fprintf(stderr, "%s sweep: --param %s: expected finite numbers FROM:TO:N, got \"%s\"\n", prog, *path,
                    vals);
            return 0;
        }
        *v = calloc((size_t)k, sizeof **v);
        for (long i = 0; *v && i < k; i++)
            (*v)[i] = k == 1 ? a : a + (b - a) * (double)i / (double)(k - 1);
        *n = (size_t)k;
        return *v != NULL;
    }
    size_t cap = 16;
    *v = malloc(cap * sizeof **v);
    const char *p = vals;
    while (*v && *p) {
        char *end;
        double x = strtod(p, &end);
        if (end == p || (*end && *end != ',')) {
            fprintf(stderr, "%s sweep: --param %s: expected numbers v1,v2,... or FROM:TO:N, got \"%s\"\n", prog, *path,
                    vals);
            return 0;
        }
        if (!isfinite(x)) {
            fprintf(stderr, "%s sweep: --param %s: value %zu is \"%.*s\"; expected finite numbers\n", prog, *path,
                    *n + 1, (int)(end - p), p);
            return 0;
        }
        if (*n == cap)
            *v = realloc(*v, (cap *= 2) * sizeof **v);
        if (!*v)
            return 0;
        (*v)[(*n)++] = x;
        p = *end ? end + 1 : end;
    }
    if (*n == 0) {
        fprintf(stderr, "%s sweep: --param: no values in \"%s\"\n", prog, spec);
        return 0;
    }
    return 1;
}

int cmd_sweep(int argc, char **argv)
{
    args a;
    if (!parse(argc, argv, &a, "sweep"))
        return EXIT_INPUT;
    if (a.nparam < 1) {
        fprintf(stderr, "%s sweep: expected --param PATH=VALUES (once or twice)\n", prog);
        return EXIT_INPUT;
    }
    char *p[2] = {NULL, NULL};
    double *v[2] = {NULL, NULL};
    size_t n[2] = {0, 0};
    int ok = 1;
    for (int i = 0; ok && i < a.nparam; i++)
        ok = param_values(a.param[i], &p[i], &v[i], &n[i]);
    int rc = EXIT_INPUT;
    if (ok) {
        tr_scenario *sc = load(a.scenario, &rc);
        if (sc) {
            tr_analysis *an = NULL;
            tr_status st = tr_analysis_sweep(sc, p[0], v[0], n[0], a.scale, p[1], v[1], n[1], a.scale, &a.c.o, &an);
            tr_scenario_free(sc);
            rc = finish(&a.c, st, an);
        }
    }
    for (int i = 0; i < 2; i++) {
        free(p[i]);
        free(v[i]);
    }
    return rc;
}

static tr_status sensitivity(const tr_scenario *sc, args *a, tr_analysis **out)
{
    if (a->method_index == 1)   /* tornado|morris */
        return tr_analysis_morris(sc, (size_t)a->traj, (size_t)a->levels, &a->c.o, out);
    return tr_analysis_tornado(sc, &a->c.o, out);
}

int cmd_sensitivity(int argc, char **argv)
{
    return run_analysis(argc, argv, "sensitivity", sensitivity);
}

int cmd_macc(int argc, char **argv)
{
    args a;
    int rc = 0;
    tr_scenario *sc = start(argc, argv, &a, "macc", &rc);
    if (!sc)
        return rc;
    int year = a.year ? (int)a.year : tr_scenario_end_year(sc);
    tr_analysis *m1 = NULL, *m2 = NULL;
    tr_status st = tr_analysis_macc_measures(sc, year, a.species, &m1);
    if (st == TR_OK)
        st = tr_analysis_macc_model(sc, year, a.species, (size_t)a.steps, &a.c.o, &m2);
    tr_scenario_free(sc);
    if (st != TR_OK) {
        tr_analysis_free(m1);
        return cli_fail(st);
    }
    /* both curves side by side: the static one, then the model's */
    rc = finish(&a.c, TR_OK, m1);
    common c2 = a.c;
    int rc2 = finish(&c2, TR_OK, m2);
    return rc ? rc : rc2;
}

int cmd_pareto(int argc, char **argv)
{
    args a;
    if (!parse(argc, argv, &a, "pareto"))
        return EXIT_INPUT;
    if (!a.x || !a.y) {
        fprintf(stderr, "%s pareto: expected --x OBJECTIVE and --y OBJECTIVE (npv, an indicator, max:jobs, ...)\n",
                prog);
        return EXIT_INPUT;
    }
    int rc = 0;
    tr_scenario *sc = load(a.scenario, &rc);
    if (!sc)
        return rc;
    /* --place FILE...: where each policy variant sits against the front */
    tr_scenario *vs[32] = {0};
    tr_result *rs[32] = {0};
    int nv = 0;
    tr_status st = TR_OK;
    for (int i = 0; i < a.nplace; i++, nv++)
        if (!(vs[i] = load(a.place[i], &rc)))
            break;
    /* "cost": resource cost when the variants' emission taxes differ (a transfer NPV counts) */
    const char *cost = nv == a.nplace ? tr_analysis_pareto_cost(sc, (const tr_scenario *const *)vs, (size_t)nv) : "npv";
    if (!strcmp(a.x, "cost"))
        a.x = cost;
    if (!strcmp(a.y, "cost"))
        a.y = cost;
    tr_analysis *an = NULL;
    if (nv == a.nplace)
        st = tr_analysis_pareto(sc, a.x, a.y, (size_t)a.points, &a.c.o, &an);
    tr_scenario_free(sc);
    for (int i = 0; st == TR_OK && i < nv; i++)
        st = tr_scenario_solve(vs[i], NULL, &rs[i]);
    if (st == TR_OK && nv == a.nplace && a.nplace)
        st = tr_analysis_pareto_place(an, a.x, a.y, (const tr_scenario *const *)vs, (const tr_result *const *)rs,
                                      (size_t)nv);
    for (int i = 0; i < a.nplace; i++) {
        tr_result_free(rs[i]);
        tr_scenario_free(vs[i]);
    }
    if (st == TR_OK && nv != a.nplace) {
        tr_analysis_free(an);
        return rc;
    }
    return finish(&a.c, st, an);
}
