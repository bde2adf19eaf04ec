/* techroad — command-line front end of libtechroad.
 * Exit codes: 0 solved (or valid), 1 infeasible/unbounded/failed solve,
 * 2 bad input or usage, 3 internal error. */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <techroad/techroad.h>

#include "cli.h"

const char *prog = "techroad";

static void usage(FILE *f)
{
    fprintf(f,
            "usage: %s COMMAND [OPTIONS] ...\n"
            "\n"
            "Technology-roadmap scenario simulator (libtechroad %s, GLPK %s).\n"
            "\n"
            "commands:\n"
            "  run SCENARIO [--format table|json|csv|iamc] [--out FILE]\n"
            "               [--method auto|monolithic|decomposed|dual|primal|interior]\n"
            "               [--threads T] [--gap G] [--no-aggregate] [--no-presolve] [--verbose]\n"
            "               [--foresight N [--step K]]\n"
            "      solve a scenario and write its roadmap (standard output without --out);\n"
            "      auto (default) decomposes by plant from %d plants on, monolithic\n"
            "      solves the whole LP (dual simplex; primal or interior on request);\n"
            "      --foresight: myopic (rolling horizon), each decision seeing N years,\n"
            "      keeping K (default 1) years of each window; whole LP only\n"
            "  validate SCENARIO...\n"
            "      check scenario files; prints one line per file\n"
            "  export-lp SCENARIO --format cplex|mps|glpk [--out FILE]\n"
            "      write the linear programme with named rows and columns\n"
            "  benchmark SCENARIO [--format table|csv|json] [--out FILE] [--base-year]\n"
            "      energy-efficiency index of every plant against best practice, the\n"
            "      benchmark curve and the savings potential, per year of the solved roadmap\n"
            "  report SCENARIO... --out DIR [--baseline FILE] [--format markdown|html]\n"
            "                [--mga S] [--foresight N [--step K]] [--audit] [--macc-model]\n"
            "                [--pareto X,Y]\n"
            "      roadmap tables (Markdown and CSV, or one HTML page) against a baseline,\n"
            "      with warnings about instruments that do nothing and each scenario's\n"
            "      measure abatement cost curve; --mga: each scenario's near-optimal\n"
            "      ranges within S of its least cost (see mga); --foresight: the myopic\n"
            "      roadmaps and the cost of myopia against perfect foresight; --audit: what\n"
            "      the results rest on (the baseline's ten most influential assumptions);\n"
            "      --macc-model: the baseline's model abatement cost curve (see macc);\n"
            "      --pareto X,Y: the baseline's trade-off front with every scenario placed\n"
            "      on it (see pareto; X or Y may be cost)\n"
            "  mc SCENARIO [--samples N] [--seed S] [--method lhs|random] [--threads T]\n"
            "              [--keep-samples] [--cold]\n"
            "      Monte Carlo over the scenario's uncertainty: section (percentiles,\n"
            "      probability that each target is met, adoption shares)\n"
            "  sweep SCENARIO --param PATH=v1,v2,... [--param PATH=from:to:n] [--scale]\n"
            "      one- or two-parameter sweep (--scale multiplies the scenario's values)\n"
            "  sensitivity SCENARIO [--method tornado|morris] [--output TOTAL]\n"
            "              [--trajectories R] [--levels L]\n"
            "  macc SCENARIO [--year Y] [--species CO2] [--steps N]\n"
            "      static (measure) and model marginal abatement cost curves\n"
            "  pareto SCENARIO --x OBJ --y OBJ [--points N] [--place VARIANT.yaml]...\n"
            "      trade-off front (OBJ: npv, an indicator summed over the years, max:jobs);\n"
            "      --place shows where each policy variant sits against it\n"
            "  audit SCENARIO [--format table|csv|json] [--out DIR] [--numbers]\n"
            "                [--rank npv|co2|intensity] [--top N] [--threads T] [--no-ranking]\n"
            "      what the numbers rest on: per file sourced / assumption / free text /\n"
            "      neither; --numbers lists every number; then every assumption varied\n"
            "      over its range, ranked by its effect on NPV, cumulative CO2 or the\n"
            "      final-year energy intensity (--out DIR writes every table)\n"
            "  mga SCENARIO [--slack S] [--year Y] [--alternatives N] [--seed S]\n"
            "      near-optimal ranges: each technology's least and greatest share in year Y\n"
            "      (default the last) among the roadmaps within S (default 0.01 = 1 %%) of the\n"
            "      least cost, and N (default 10) alternatives inside that slack\n"
            "  analyses also take --out DIR (one CSV or JSON per table), --format\n"
            "  table|csv|json and --threads; Ctrl-C stops them and keeps what is done\n"
            "  SCENARIO may be - (standard input; its relative paths start from the\n"
            "  current folder) or a pipe such as /dev/stdin\n"
            "\n"
            "options:\n"
            "  -h, --help      this text\n"
            "  -V, --version   versions of techroad and GLPK\n"
            "\n"
            "exit codes: 0 solved, 1 infeasible or unbounded (diagnosis on stderr),\n"
            "            2 bad input, 3 internal error\n",
            prog, tr_version(), tr_glpk_version(), TR_DECOMPOSE_MIN_PLANTS);
}

int cli_exit_for(tr_status st)
{
    switch (st) {
    case TR_OK: return EXIT_SOLVED;
    case TR_E_INVAL:
    case TR_E_NOTFOUND:
    case TR_E_IO:
    case TR_E_PARSE: return EXIT_INPUT;
    default: return EXIT_INTERNAL;
    }
}

/* load_stdin() has printed its own message: cli_fail() prints no other */
static int stdin_error_shown;

int cli_fail(tr_status st)
{
    if (stdin_error_shown) {
        stdin_error_shown = 0;
        return cli_exit_for(st);
    }
    fprintf(stderr, "%s: %s\n", prog, tr_last_error()[0] ? tr_last_error() : tr_strerror(st));
    return cli_exit_for(st);
}

/* "-": the scenario from standard input, whatever it is (a pipe, a file, a
 * terminal); relative `extends` and CSV paths start from the current folder,
 * and messages name it <stdin>. */
static tr_status load_stdin(tr_scenario **out)
{
    enum { MAX = 256 * 1024 * 1024 };   /* the library's limit for a file */
    size_t n = 0, cap = 0;
    char *buf = NULL;
    for (;;) {
        if (cap - n < 65536) {
            char *nb = n < MAX ? realloc(buf, cap = cap ? 2 * cap : 65536) : NULL;
            if (!nb) {
                free(buf);
                fprintf(stderr, "%s: <stdin>: %s\n", prog,
                        n < MAX ? "out of memory" : "larger than 256 MiB; expected a scenario file");
                stdin_error_shown = 1;
                *out = NULL;
                return n < MAX ? TR_E_NOMEM : TR_E_IO;
            }
            buf = nb;
        }
        ssize_t got = read(STDIN_FILENO, buf + n, cap - n - 1);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            fprintf(stderr, "%s: <stdin>: read error: %s\n", prog, strerror(errno));
            stdin_error_shown = 1;
            free(buf);
            *out = NULL;
            return TR_E_IO;
        }
        if (got == 0)
            break;
        n += (size_t)got;
    }
    buf[n] = '\0';
    /* the text goes on as a C string: a NUL byte would cut it silently */
    const char *nul = memchr(buf, '\0', n);
    if (nul) {
        fprintf(stderr, "%s: <stdin>: a NUL byte (at byte offset %zu); expected text without NUL bytes\n", prog,
                (size_t)(nul - buf));
        stdin_error_shown = 1;
        free(buf);
        *out = NULL;
        return TR_E_PARSE;
    }
    tr_status st = tr_scenario_loads(buf, ".", "<stdin>", out);
    free(buf);
    return st;
}

tr_status cli_load(const char *file, tr_scenario **out)
{
    if (strcmp(file, "-") == 0)
        return load_stdin(out);
    return tr_scenario_load(file, out);
}

int cli_open(cli_args *a, const char *cmd, const char *choices, int argc, char **argv, tr_scenario **sc)
{
    *sc = NULL;
    const char *file = cli_file(cmd, argc, argv);
    if (!file || !cli_format(cmd, choices, a->format, &a->fmt))
        return EXIT_INPUT;
    tr_status st = cli_load(file, sc);
    return st == TR_OK ? EXIT_SOLVED : cli_fail(st);
}

int cli_emit_text(tr_status st, char *text, const char *out)
{
    if (st != TR_OK)
        return cli_fail(st);
    int rc = cli_emit(text, out);
    tr_string_free(text);
    return rc;
}

int cli_solved(const tr_result *res)
{
    if (tr_result_status(res) == TR_SOL_OPTIMAL)
        return EXIT_SOLVED;
    fprintf(stderr, "%s: scenario %s is %s\n", prog, tr_result_scenario_name(res), tr_result_status_name(res));
    for (size_t i = 0; i < tr_result_diagnosis_count(res); i++) {
        tr_diagnosis d;
        if (tr_result_get_diagnosis(res, i, &d) == TR_OK)
            fprintf(stderr, "  %s\n", d.message);
    }
    return EXIT_NOSOL;
}

static void log_line(int level, const char *msg, void *ud)
{
    (void)level;
    (void)ud;
    fprintf(stderr, "%s\n", msg);
}

/* Does @out name the scenario file being read (the same file, whatever
 * the path)? Says so on stderr. */
static int cli_out_is_input(const char *out)
{
    struct stat so, si;
    if (!cli_input || stat(out, &so) != 0 || stat(cli_input, &si) != 0 || !S_ISREG(so.st_mode) ||
        so.st_dev != si.st_dev || so.st_ino != si.st_ino)
        return 0;
    fprintf(stderr, "%s: %s: --out names the scenario file itself; expected another file\n", prog, out);
    return 1;
}

/* A write to standard output failed with @err: said once (main() checks
 * standard output again at the end). */
static int stdout_said;

static int stdout_failed(int err)
{
    if (!stdout_said)
        fprintf(stderr, "%s: standard output: write error: %s\n", prog, err ? strerror(err) : "an earlier write failed");
    stdout_said = 1;
    return EXIT_INTERNAL;
}

void cli_stdout_check(void)
{
    if (fflush(stdout) != 0)
        stdout_failed(errno);
}

/* Whatever a command printed (tables, validate's lines, --help) is flushed
 * and closed here and every failure is exit 3 with its reason: printf's
 * errors are sticky but were never looked at (validate > /dev/full exited 0). */
static int finish(int rc)
{
    errno = 0;
    int bad = fflush(stdout) != 0;
    int err = errno;
    bad |= ferror(stdout) != 0;
    errno = 0;
    if (fclose(stdout) != 0) {
        bad = 1;
        if (!err)
            err = errno;
    }
    if (bad) {
        stdout_failed(err);
        return rc > EXIT_INTERNAL ? rc : EXIT_INTERNAL;
    }
    return rc;
}

/* Write @s to @out or standard output. */
int cli_emit(const char *s, const char *out)
{
    size_t n = strlen(s);
    if (out && cli_out_is_input(out))
        return EXIT_INPUT;
    if (out) {
        /* parents made, whole file or none (the library's writer) */
        if (tr_file_write(out, s, n) != TR_OK) {
            fprintf(stderr, "%s: %s\n", prog, tr_last_error());
            return EXIT_INPUT;
        }
        return EXIT_SOLVED;
    }
    int bad = fwrite(s, 1, n, stdout) != n;
    bad |= fflush(stdout) != 0;
    if (bad)
        return stdout_failed(errno);
    return EXIT_SOLVED;
}

/* run: a decomposed solve shows its rounds on a terminal, and the first
 * Ctrl-C cancels at the end of the round (a second one quits at once: a
 * whole-LP solve cannot be interrupted) */
static volatile sig_atomic_t run_interrupted;

static void run_on_sigint(int sig)
{
    static const char msg[] = "\ntechroad: cancelling (a decomposed solve stops at the end of its round; "
                              "Ctrl-C again to quit now)\n";
    if (run_interrupted) {
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    run_interrupted = 1;
    ssize_t w = write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)w;
}

typedef struct run_view {
    int tty, shown;
} run_view;

static int run_progress(int round, double gap, void *ud)
{
    run_view *v = ud;
    if (v->tty) {
        if (isinf(gap))
            fprintf(stderr, "\rdecomposition: round %d, gap not yet bounded   ", round);
        else
            fprintf(stderr, "\rdecomposition: round %d, gap %.1e            ", round, gap);
        v->shown = 1;
    }
    return run_interrupted;
}

static int cmd_run(int argc, char **argv)
{
    /* --method: the structure, or the algorithm of the whole LP */
    static const struct {
        tr_structure structure;
        int method;   /* a tr_method, or -1: the default */
    } methods[] = {{TR_STRUCTURE_AUTO, -1},           {TR_STRUCTURE_MONOLITHIC, -1},
                   {TR_STRUCTURE_DECOMPOSED, -1},     {TR_STRUCTURE_MONOLITHIC, TR_METHOD_DUAL},
                   {TR_STRUCTURE_MONOLITHIC, TR_METHOD_PRIMAL}, {TR_STRUCTURE_MONOLITHIC, TR_METHOD_INTERIOR}};
    cli_args g;
    char *end;
    tr_solve_opts opts;
    tr_solve_opts_init(&opts);
    int c, m;
    cli_args_init(&g, "table");
    while ((c = cli_next(&g, CLI_C_RUN, argc, argv)) != -1) {
        switch (c) {
        case 'm':
            m = cli_choice("run", "method", "auto|monolithic|decomposed|dual|primal|interior", optarg);
            if (m < 0)
                return EXIT_INPUT;
            opts.structure = methods[m].structure;
            if (methods[m].method >= 0)
                opts.method = (tr_method)methods[m].method;
            break;
        case 'T':
            if (!cli_threads("run", optarg, &opts.threads))
                return EXIT_INPUT;
            break;
        case 'g':
            opts.gap = strtod(optarg, &end);
            if (*end || end == optarg || !(opts.gap > 0 && opts.gap < 0.1)) {
                fprintf(stderr, "%s run: --gap: expected a number in (0, 0.1), got \"%s\"\n", prog, optarg);
                return EXIT_INPUT;
            }
            break;
        case 'A': opts.aggregate = 0; break;
        case CLI_O_FORESIGHT: opts.foresight = (int)g.num; break;
        case CLI_O_STEP: opts.foresight_step = (int)g.num; break;
        case 'P': opts.presolve = 0; break;
        case 'v': opts.verbosity = 1; break;
        case 'h': usage(stdout); return EXIT_SOLVED;
        default: return EXIT_INPUT;
        }
    }
    if (opts.verbosity)
        tr_set_log_fn(log_line, NULL);
    tr_scenario *sc;
    int rc = cli_open(&g, "run", "table|json|csv|iamc", argc, argv, &sc);
    if (rc != EXIT_SOLVED)
        return rc;
    tr_result *res = NULL;
    run_view view = {isatty(STDERR_FILENO) && !opts.verbosity, 0};   /* --verbose logs the rounds instead */
    opts.progress = run_progress;
    opts.userdata = &view;
    run_interrupted = 0;
    struct sigaction sa, old_sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = run_on_sigint;
    sigaction(SIGINT, &sa, &old_sa);
    tr_status st = tr_scenario_solve(sc, &opts, &res);
    sigaction(SIGINT, &old_sa, NULL);
    if (view.shown)
        fputc('\n', stderr);
    tr_scenario_free(sc);
    if (st != TR_OK)
        return cli_fail(st);
    if (run_interrupted) {
        fprintf(stderr, "%s: cancelled\n", prog);
        tr_result_free(res);
        return EXIT_CANCELLED;
    }
    rc = cli_solved(res);
    char *text = NULL;
    st = tr_result_write_string(res, g.fmt, &text);
    tr_result_free(res);
    int wrc = cli_emit_text(st, text, g.out);
    return wrc != EXIT_SOLVED ? wrc : rc;
}

static int cmd_validate(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "%s validate: expected at least one scenario file\n", prog);
        return EXIT_INPUT;
    }
    int rc = EXIT_SOLVED;
    for (int i = 1; i < argc; i++) {
        tr_scenario *sc = NULL;
        tr_status st = cli_load(argv[i], &sc);
        if (st == TR_OK) {
            printf("%s: ok (%s, %zu plants, %zu technologies, %zu policies, %d-%d)\n", argv[i], tr_scenario_name(sc),
                   tr_scenario_count(sc, TR_ITEM_PLANT), tr_scenario_count(sc, TR_ITEM_TECHNOLOGY),
                   tr_scenario_count(sc, TR_ITEM_POLICY), tr_scenario_start_year(sc), tr_scenario_end_year(sc));
            tr_scenario_free(sc);
        } else {
            if (!stdin_error_shown)
                fprintf(stderr, "%s\n", tr_last_error());
            stdin_error_shown = 0;
            int e = cli_exit_for(st);
            if (e > rc)
                rc = e;
        }
    }
    cli_stdout_check();
    return rc;
}

static int cmd_export(int argc, char **argv)
{
    static const tr_lp_format formats[] = {TR_LP_CPLEX, TR_LP_MPS, TR_LP_GLPK};
    cli_args g;
    cli_args_init(&g, "cplex");
    if (cli_next(&g, CLI_C_EXPORT, argc, argv) != -1)
        return EXIT_INPUT;
    const char *file = cli_file("export-lp", argc, argv), *out = g.out;
    if (!file)
        return EXIT_INPUT;
    /* "lp" is CPLEX LP's other name (not listed) */
    int f = cli_choice("export-lp", "format", "cplex|mps|glpk", strcmp(g.format, "lp") ? g.format : "cplex");
    if (f < 0)
        return EXIT_INPUT;
    tr_lp_format fmt = formats[f];
    tr_scenario *sc = NULL;
    tr_status st = cli_load(file, &sc);
    if (st != TR_OK)
        return cli_fail(st);
    tr_model *m = NULL;
    st = tr_model_new(sc, &m);
    tr_scenario_free(sc);
    if (st != TR_OK)
        return cli_fail(st);
    if (out) {
        if (cli_out_is_input(out)) {
            tr_model_free(m);
            return EXIT_INPUT;
        }
        st = tr_model_write_lp(m, fmt, out);
        tr_model_free(m);
        return st == TR_OK ? EXIT_SOLVED : cli_fail(st);
    }
    /* GLPK writes files; go through a temporary one for standard output */
    char tmpl[] = "/tmp/techroad-lp-XXXXXX";
    int fd = mkstemp(tmpl);
    if (fd < 0) {
        tr_model_free(m);
        fprintf(stderr, "%s: cannot create a temporary file\n", prog);
        return EXIT_INTERNAL;
    }
    close(fd);
    st = tr_model_write_lp(m, fmt, tmpl);
    tr_model_free(m);
    /* the temporary file is unlinked as soon as it is open, so that nothing
     * outlives the process however the copy ends (a closed pipe: EPIPE, as
     * SIGPIPE is ignored) */
    FILE *lp = st == TR_OK ? fopen(tmpl, "rb") : NULL;
    remove(tmpl);
    if (st != TR_OK)
        return cli_fail(st);
    if (!lp) {
        fprintf(stderr, "%s: cannot read the LP back: %s\n", prog, strerror(errno));
        return EXIT_INTERNAL;
    }
    char buf[65536];
    size_t n;
    int bad = 0;
    while (!bad && (n = fread(buf, 1, sizeof buf, lp)) > 0)
        bad = fwrite(buf, 1, n, stdout) != n;
    bad |= ferror(lp) || fflush(stdout) != 0;
    int err = errno;
    fclose(lp);
    return bad ? stdout_failed(err) : EXIT_SOLVED;
}

int main(int argc, char **argv)
{
    tr_library_init();
    /* a closed pipe (`| head`) is a write error with its reason, not a
     * signal that kills the process before it cleans up */
    signal(SIGPIPE, SIG_IGN);
    if (argc < 2) {
        usage(stderr);
        return EXIT_INPUT;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "-h") || !strcmp(cmd, "--help") || !strcmp(cmd, "help")) {
        usage(stdout);
        return finish(EXIT_SOLVED);
    }
    if (!strcmp(cmd, "-V") || !strcmp(cmd, "--version")) {
        printf("techroad %s (GLPK %s)\n", tr_version(), tr_glpk_version());
        return finish(EXIT_SOLVED);
    }
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } commands[] = {
        {"run", cmd_run},
        {"validate", cmd_validate},
        {"export-lp", cmd_export},
        TR_CLI_EXTRA_COMMANDS /* commands in other files (cli.h) */
    };
    for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
        if (commands[i].name && !strcmp(cmd, commands[i].name))
            return finish(commands[i].fn(argc - 1, argv + 1));
    fprintf(stderr, "%s: unknown command \"%s\"; try %s --help\n", prog, cmd, prog);
    return EXIT_INPUT;
}
