/* techroad mc / sweep / sensitivity / macc / pareto: analyses with
 * progress (a bar with rate and time left on a terminal, plain lines
 * otherwise) and clean cancellation on Ctrl-C (partial results kept). */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <getopt.h>
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

static int on_progress(size_t done, size_t total, void *ud)
{
    progress *p = ud;
    double dt = since(&p->t0), rate = dt > 0 ? (double)done / dt : 0;
    double left = rate > 0 ? (double)(total - done) / rate : 0;
    if (p->tty) {
        int width = 30, fill = total ? (int)((double)width * (double)done / (double)total) : width;
        fprintf(stderr, "\r%s [", p->what);
        for (int i = 0; i < width; i++)
            fputc(i < fill ? '#' : '.', stderr);
        fprintf(stderr, "] %zu/%zu  %.1f runs/s  %d:%02d left ", done, total, rate, (int)left / 60, (int)left % 60);
        if (done == total)
            fputc('\n', stderr);
    } else if (!p->started && done == 0) {
        /* a line at once (a large sector's base case can take minutes) */
        fprintf(stderr, "%s: 0/%zu runs, starting\n", p->what, total);
    } else if (done == total || done >= p->last_line + (total / 10 ? total / 10 : 1)) {
        fprintf(stderr, "%s: %zu/%zu runs, %.1f runs/s, %.0f s left\n", p->what, done, total, rate, left);
        p->last_line = done;
    }
    p->started = 1;
    return interrupted;
}

typedef struct common {
    tr_analysis_opts o;
    const char *format, *out;
    progress pr;
} common;

static void common_init(common *c, const char *what)
{
    tr_analysis_opts_init(&c->o);
    c->format = "table";
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
        return 130;
    }
    if (st != TR_OK)
        return cli_fail(st);
    tr_result_format fmt = !strcmp(c->format, "csv") ? TR_FMT_CSV : !strcmp(c->format, "json") ? TR_FMT_JSON : TR_FMT_TABLE;
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
    fflush(stdout);
    if (tr_analysis_cancelled(a) || interrupted) {
        fprintf(stderr, "%s: cancelled after %zu of %zu runs; the results above use the runs done\n", prog,
                tr_analysis_runs_done(a), tr_analysis_runs_total(a));
        rc = 130;
    }
    tr_analysis_free(a);
    return rc;
}

enum { O_SAMPLES = 1000, O_SEED, O_METHOD, O_THREADS, O_KEEP, O_COLD, O_OUT, O_FORMAT, O_PARAM, O_SCALE, O_OUTPUT,
       O_TRAJ, O_LEVELS, O_YEAR, O_SPECIES, O_STEPS, O_X, O_Y, O_POINTS, O_PLACE };

static const struct option lopts[] = {
    {"samples", required_argument, 0, O_SAMPLES}, {"seed", required_argument, 0, O_SEED},
    {"method", required_argument, 0, O_METHOD},   {"threads", required_argument, 0, O_THREADS},
    {"keep-samples", no_argument, 0, O_KEEP},     {"cold", no_argument, 0, O_COLD},
    {"out", required_argument, 0, O_OUT},         {"format", required_argument, 0, O_FORMAT},
    {"param", required_argument, 0, O_PARAM},     {"scale", no_argument, 0, O_SCALE},
    {"output", required_argument, 0, O_OUTPUT},   {"trajectories", required_argument, 0, O_TRAJ},
    {"levels", required_argument, 0, O_LEVELS},   {"year", required_argument, 0, O_YEAR},
    {"species", required_argument, 0, O_SPECIES}, {"steps", required_argument, 0, O_STEPS},
    {"x", required_argument, 0, O_X},             {"y", required_argument, 0, O_Y},
    {"points", required_argument, 0, O_POINTS},   {"place", required_argument, 0, O_PLACE},
    {0, 0, 0, 0}};

typedef struct args {
    common c;
    const char *scenario, *method, *output, *species, *x, *y;
    const char *param[2];
    int nparam, scale;
    const char *place[32];
    int nplace;
    long traj, levels, year, steps, points;
} args;

static int num_arg(const char *opt, const char *v, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || *end || end == v || n < lo || n > hi) {
        fprintf(stderr, "%s: --%s: expected an integer from %ld to %ld, got \"%s\"\n", prog, opt, lo, hi, v);
        return 0;
    }
    *out = n;
    return 1;
}

static int parse(int argc, char **argv, args *a, const char *what)
{
    memset(a, 0, sizeof *a);
    common_init(&a->c, what);
    a->traj = 10;
    a->levels = 4;
    a->steps = 10;
    a->points = 11;
    a->year = 0;
    int c;
    long v;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", lopts, NULL)) != -1) {
        switch (c) {
        case O_SAMPLES:
            if (!num_arg("samples", optarg, 1, 100000000, &v))
                return 0;
            a->c.o.samples = v;
            break;
        case O_SEED:
            if (!num_arg("seed", optarg, 0, 4294967295L, &v))
                return 0;
            a->c.o.seed = v;
            break;
        case O_METHOD: a->method = optarg; break;
        case O_THREADS:
            if (!num_arg("threads", optarg, 0, 64, &v))
                return 0;
            a->c.o.threads = (int)v;
            break;
        case O_KEEP: a->c.o.keep_samples = 1; break;
        case O_COLD: a->c.o.warm = 0; break;
        case O_OUT: a->c.out = optarg; break;
        case O_FORMAT:
            if (strcmp(optarg, "table") && strcmp(optarg, "csv") && strcmp(optarg, "json")) {
                fprintf(stderr, "%s: --format: expected table, csv or json, got \"%s\"\n", prog, optarg);
                return 0;
            }
            a->c.format = optarg;
            break;
        case O_PARAM:
            if (a->nparam == 2) {
                fprintf(stderr, "%s: --param: at most two parameters\n", prog);
                return 0;
            }
            a->param[a->nparam++] = optarg;
            break;
        case O_SCALE: a->scale = 1; break;
        case O_OUTPUT: a->output = optarg; break;
        case O_TRAJ:
            if (!num_arg("trajectories", optarg, 1, 100000, &a->traj))
                return 0;
            break;
        case O_LEVELS:
            if (!num_arg("levels", optarg, 2, 1000, &a->levels))
                return 0;
            break;
        case O_YEAR:
            if (!num_arg("year", optarg, 1, 9999, &a->year))
                return 0;
            break;
        case O_SPECIES: a->species = optarg; break;
        case O_STEPS:
            if (!num_arg("steps", optarg, 1, 100000, &a->steps))
                return 0;
            break;
        case O_X: a->x = optarg; break;
        case O_Y: a->y = optarg; break;
        case O_POINTS:
            if (!num_arg("points", optarg, 2, 100000, &a->points))
                return 0;
            break;
        case O_PLACE:
            if (a->nplace == 32) {
                fprintf(stderr, "%s: --place: at most 32 variants\n", prog);
                return 0;
            }
            a->place[a->nplace++] = optarg;
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
    if (a->method && strcmp(what, "mc") == 0) {
        if (!strcmp(a->method, "lhs"))
            a->c.o.method = 1;
        else if (!strcmp(a->method, "random"))
            a->c.o.method = 0;
        else {
            fprintf(stderr, "%s mc: --method: expected lhs or random, got \"%s\"\n", prog, a->method);
            return 0;
        }
    }
    return 1;
}

static tr_scenario *load(const char *f, int *rc)
{
    tr_scenario *sc = NULL;
    tr_status st = tr_scenario_load(f, &sc);
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

int cmd_mc(int argc, char **argv)
{
    args a;
    int rc = 0;
    tr_scenario *sc = start(argc, argv, &a, "mc", &rc);
    if (!sc)
        return rc;
    tr_analysis *an = NULL;
    tr_status st = tr_analysis_montecarlo(sc, &a.c.o, &an);
    tr_scenario_free(sc);
    return finish(&a.c, st, an);
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
    if (sscanf(vals, "%lf:%lf:%ld%c", &a, &b, &k, &tail) == 3 && k >= 1 && k <= 100000) {
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
            fprintf(stderr, "%s sweep: --param: \"%s\" is not a number list\n", prog, vals);
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

int cmd_sensitivity(int argc, char **argv)
{
    args a;
    int rc = 0;
    tr_scenario *sc = start(argc, argv, &a, "sensitivity", &rc);
    if (!sc)
        return rc;
    tr_analysis *an = NULL;
    tr_status st;
    if (!a.method || !strcmp(a.method, "tornado"))
        st = tr_analysis_tornado(sc, &a.c.o, &an);
    else if (!strcmp(a.method, "morris"))
        st = tr_analysis_morris(sc, (size_t)a.traj, (size_t)a.levels, &a.c.o, &an);
    else {
        fprintf(stderr, "%s sensitivity: --method: expected tornado or morris, got \"%s\"\n", prog, a.method);
        tr_scenario_free(sc);
        return EXIT_INPUT;
    }
    tr_scenario_free(sc);
    return finish(&a.c, st, an);
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
    tr_analysis *an = NULL;
    tr_status st = tr_analysis_pareto(sc, a.x, a.y, (size_t)a.points, &a.c.o, &an);
    tr_scenario_free(sc);
    /* --place FILE...: where each policy variant sits against the front */
    tr_scenario *vs[32] = {0};
    tr_result *rs[32] = {0};
    int nv = 0;
    for (int i = 0; st == TR_OK && i < a.nplace; i++, nv++) {
        if (!(vs[i] = load(a.place[i], &rc)))
            break;
        st = tr_scenario_solve(vs[i], NULL, &rs[i]);
    }
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
