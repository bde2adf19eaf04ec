/* The command-line tool: exit codes, formats, --out, determinism. */
#include <check.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fixtures.h"

typedef struct run {
    int code;
    char out[1 << 20];
    char err[1 << 14];
} run;

static run R;

/* Run the CLI with @args; capture stdout and stderr. */
static int cli(const char *args)
{
    char cmd[8192], ef[] = "/tmp/techroad-cli-err-XXXXXX";
    int fd = mkstemp(ef);
    ck_assert_int_ge(fd, 0);
    close(fd);
    snprintf(cmd, sizeof cmd, "cd %s && %s %s 2>%s", TR_TEST_DATA, TR_CLI, args, ef);
    FILE *p = popen(cmd, "r");
    ck_assert_ptr_nonnull(p);
    size_t n = fread(R.out, 1, sizeof R.out - 1, p);
    R.out[n] = '\0';
    int st = pclose(p);
    R.code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
    FILE *e = fopen(ef, "r");
    n = e ? fread(R.err, 1, sizeof R.err - 1, e) : 0;
    R.err[n] = '\0';
    if (e)
        fclose(e);
    remove(ef);
    return R.code;
}

START_TEST(version_and_help)
{
    ck_assert_int_eq(cli("--version"), 0);
    ck_assert_ptr_nonnull(strstr(R.out, tr_version()));
    ck_assert_ptr_nonnull(strstr(R.out, tr_glpk_version()));
    ck_assert_int_eq(cli("--help"), 0);
    ck_assert_ptr_nonnull(strstr(R.out, "export-lp"));
    ck_assert_int_eq(cli("frobnicate"), 2);
    ck_assert_ptr_nonnull(strstr(R.err, "unknown command"));
    ck_assert_int_eq(cli(""), 2);
}
END_TEST

START_TEST(run_json_matches_library)
{
    ck_assert_int_eq(cli("run tiny.yaml --format json"), 0);
    json_error_t jerr;
    json_t *j = json_loads(R.out, 0, &jerr);
    ck_assert_msg(j != NULL, "not JSON: %s", jerr.text);
    ck_assert_str_eq(json_string_value(json_object_get(j, "format")), "techroad-result/1");
    ck_assert_str_eq(json_string_value(json_object_get(j, "status")), "optimal");
    tr_scenario *sc = fx_load_file(TR_TEST_DATA "/tiny.yaml");
    tr_result *r = fx_solve(sc);
    double npv = json_real_value(json_object_get(j, "npv"));
    ck_assert_msg(fabs(npv - tr_result_npv(r)) <= 1e-9 * fabs(npv), "%g vs %g", npv, tr_result_npv(r));
    json_t *pv = json_object_get(j, "provenance");
    ck_assert_str_eq(json_string_value(json_object_get(pv, "scenario_sha256")), tr_scenario_sha256(sc));
    ck_assert_str_eq(json_string_value(json_object_get(pv, "glpk")), tr_glpk_version());
    ck_assert_str_eq(json_string_value(json_object_get(pv, "method")), "dual simplex");
    json_t *years = json_object_get(j, "years");
    ck_assert_uint_eq(json_array_size(years), 3);
    json_t *e = json_object_get(json_object_get(j, "indicators"), "energy.electricity");
    ck_assert_uint_eq(json_array_size(e), 3);
    ck_assert(fabs(json_real_value(json_array_get(e, 2)) - fx_series(r, "energy.electricity", 2)) < 1e-9);
    ck_assert_ptr_nonnull(json_object_get(json_object_get(j, "adoption"), "eff"));
    json_decref(j);
    tr_result_free(r);
    tr_scenario_free(sc);
}
END_TEST

START_TEST(formats_and_out_file)
{
    ck_assert_int_eq(cli("run tiny.yaml --format iamc"), 0);
    ck_assert_msg(strncmp(R.out, "model,scenario,region,variable,unit,year,value\n", 47) == 0, "%.100s", R.out);
    ck_assert_ptr_nonnull(strstr(R.out, ",tiny,World,Final Energy|Electricity,MWh,2022,800\n"));
    ck_assert_ptr_nonnull(strstr(R.out, ",Emissions|CO2,t,2020,"));
    ck_assert_ptr_nonnull(strstr(R.out, ",Adoption|eff,%,2022,100\n"));
    ck_assert_int_eq(cli("run tiny.yaml --format csv"), 0);
    ck_assert_msg(strncmp(R.out, "variable,unit,2020,2021,2022\n", 29) == 0, "%.100s", R.out);
    ck_assert_int_eq(cli("run tiny.yaml --format table"), 0);
    ck_assert_ptr_nonnull(strstr(R.out, "Scenario tiny: optimal"));
    static char stdout_copy[1 << 20];
    ck_assert_int_eq(cli("run tiny.yaml --format json"), 0);
    snprintf(stdout_copy, sizeof stdout_copy, "%s", R.out);
    ck_assert_int_eq(cli("run tiny.yaml --format json --out /tmp/techroad-cli-out.json"), 0);
    ck_assert_str_eq(R.out, "");
    FILE *f = fopen("/tmp/techroad-cli-out.json", "r");
    ck_assert_ptr_nonnull(f);
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    buf[n] = '\0';
    fclose(f);
    remove("/tmp/techroad-cli-out.json");
    ck_assert_str_eq(buf, stdout_copy);
    ck_assert_int_eq(cli("run tiny.yaml --format xml"), 2);
    ck_assert_ptr_nonnull(strstr(R.err, "expected table, json, csv or iamc"));
    ck_assert_int_eq(cli("run tiny.yaml --method newton"), 2);
    ck_assert_int_eq(cli("run tiny.yaml --method interior --format json"), 0);
    ck_assert_ptr_nonnull(strstr(R.out, "interior point"));
}
END_TEST

/* --out makes the folders it needs (as mkdir -p), for every command that takes
 * it; a path through a file is refused with the reason. */
START_TEST(out_makes_missing_folders)
{
    char dir[] = "/tmp/techroad-cli-outdir-XXXXXX", args[8192], path[4096];
    ck_assert_ptr_nonnull(mkdtemp(dir));
    struct { const char *args, *file; } cases[] = {
        {"run tiny.yaml --format json --out %s/a/b/run.json", "%s/a/b/run.json"},
        {"export-lp tiny.yaml --format cplex --out %s/c/d/tiny.lp", "%s/c/d/tiny.lp"},
        {"benchmark " TR_SCENARIO_DIR "/vn-eaf/bau.yaml --format csv --out %s/e/f/bench.csv", "%s/e/f/bench.csv"},
        {"report tiny.yaml --out %s/g/h/report", "%s/g/h/report/report.md"},
        {"sweep tiny.yaml --param discount_rate=0.05,0.1 --out %s/i/j/sweep", "%s/i/j/sweep"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        snprintf(args, sizeof args, cases[i].args, dir);
        ck_assert_msg(cli(args) == 0, "%s: %d %s", args, R.code, R.err);
        snprintf(path, sizeof path, cases[i].file, dir);
        ck_assert_msg(access(path, F_OK) == 0, "%s: %s was not made", args, path);
    }
    /* a path through an existing file: bad input with the reason, nothing written */
    snprintf(args, sizeof args, "run tiny.yaml --out %s/a/b/run.json/x.json", dir);
    ck_assert_int_eq(cli(args), 2);
    ck_assert_msg(strstr(R.err, "not a folder") || strstr(R.err, "Not a directory"), "%s", R.err);
    snprintf(args, sizeof args, "rm -rf %s", dir);
    ck_assert_int_eq(system(args), 0);
}
END_TEST

/* Issue 17 items 2 and 4: an output that is a device is written in place
 * (renaming a temporary file onto /dev/null would replace the device node),
 * a full device is an error with its reason, and a closed pipe is a write
 * error that leaves no temporary file behind. */
START_TEST(outputs_to_devices_and_closed_pipes)
{
    struct stat sb;
    ck_assert_int_eq(cli("run tiny.yaml --format json --out /dev/null"), 0);
    ck_assert_int_eq(stat("/dev/null", &sb), 0);
    ck_assert(S_ISCHR(sb.st_mode));
    ck_assert_int_eq(cli("run tiny.yaml --format json --out /dev/full"), 2);
    ck_assert_msg(strstr(R.err, "/dev/full: write error: No space left on device"), "%s", R.err);
    ck_assert_int_eq(stat("/dev/full", &sb), 0);
    ck_assert(S_ISCHR(sb.st_mode));
    ck_assert_int_eq(cli("run tiny.yaml --format json > /dev/full"), 3);
    ck_assert_msg(strstr(R.err, "standard output: write error"), "%s", R.err);
    /* a reader that stops after a line: exit 3 (EPIPE), not a signal, and no
     * temporary LP left in /tmp */
    char cmd[8192];
    snprintf(cmd, sizeof cmd,
             "n0=$(ls /tmp | grep -c '^techroad-lp-'); cd %s && (%s export-lp %s/vn-eaf/bau.yaml --format mps 2>/dev/null; "
             "echo $? >/tmp/techroad-cli-epipe) | head -c 10 >/dev/null; n1=$(ls /tmp | grep -c '^techroad-lp-'); "
             "test \"$n0\" = \"$n1\"",
             TR_TEST_DATA, TR_CLI, TR_SCENARIO_DIR);
    ck_assert_int_eq(system(cmd), 0);
    FILE *f = fopen("/tmp/techroad-cli-epipe", "r");
    ck_assert_ptr_nonnull(f);
    int rc = -1;
    ck_assert_int_eq(fscanf(f, "%d", &rc), 1);
    fclose(f);
    remove("/tmp/techroad-cli-epipe");
    ck_assert_int_eq(rc, 3);
    /* item 5: an output that is the input (by another path) is refused, the
     * scenario left as it was */
    ck_assert_int_eq(cli("run tiny.yaml --out ./tiny.yaml"), 2);
    ck_assert_msg(strstr(R.err, "--out names the scenario file itself"), "%s", R.err);
    ck_assert_int_eq(cli("export-lp tiny.yaml --format cplex --out ../data/tiny.yaml"), 2);
    ck_assert_int_eq(cli("run tiny.yaml --format csv"), 0);
}
END_TEST

START_TEST(exit_codes)
{
    ck_assert_int_eq(cli("run infeasible.yaml"), 1);
    ck_assert_msg(strstr(R.err, "policy co2_cap cannot be met in 2020: lowest reachable emissions.CO2 is 900 t, limit 850 t"),
                  "stderr: %s", R.err);
    ck_assert_int_eq(cli("run bad_lifetime.yaml"), 2);
    ck_assert_msg(strstr(R.err, "bad_lifetime.yaml:11:15: technologies.shaft.lifetime: expected an integer >= 1, got "
                                "\"twenty\""),
                  "stderr: %s", R.err);
    ck_assert_int_eq(cli("run no-such-file.yaml"), 2);
    ck_assert_ptr_nonnull(strstr(R.err, "no-such-file.yaml"));
    ck_assert_int_eq(cli("run"), 2);
}
END_TEST

/* --method picks the structure (or the whole LP's algorithm); the
 * decomposed run gives the same NPV; bad values of the new options are
 * input errors naming the option and what it takes */
START_TEST(run_methods)
{
    ck_assert_int_eq(cli("run tiny.yaml --method monolithic --format json"), 0);
    ck_assert_ptr_nonnull(strstr(R.out, "\"method\": \"dual simplex\""));
    const char *npv = strstr(R.out, "\"npv\":");
    ck_assert_ptr_nonnull(npv);
    char whole[64];
    snprintf(whole, sizeof whole, "%.*s", (int)strcspn(npv, ","), npv);
    ck_assert_int_eq(cli("run tiny.yaml --method decomposed --threads 2 --gap 1e-8 --no-aggregate --format json"), 0);
    ck_assert_msg(strstr(R.out, "\"method\": \"Dantzig-Wolfe decomposition (1 plants, 1 subproblems"), "%.300s",
                  R.out);
    ck_assert_msg(strstr(R.out, whole), "decomposed NPV differs from %s", whole);
    ck_assert_int_eq(cli("run tiny.yaml --method auto --format json"), 0);
    ck_assert_ptr_nonnull(strstr(R.out, "\"method\": \"dual simplex\""));
    ck_assert_int_eq(cli("run tiny.yaml --method bogus"), 2);
    ck_assert_ptr_nonnull(strstr(R.err, "--method: expected auto, monolithic, decomposed, dual, primal or interior"));
    /* --threads: one range (0 = one per CPU) and one message for every command */
    ck_assert_int_eq(cli("run tiny.yaml --method decomposed --threads 0 --format json"), 0);
    ck_assert_msg(strstr(R.out, whole), "decomposed NPV with --threads 0 differs from %s", whole);
    ck_assert_int_eq(cli("run tiny.yaml --threads 65"), 2);
    ck_assert_ptr_nonnull(strstr(R.err, "techroad run: --threads: expected 0 (one per CPU) to 64, got \"65\""));
    ck_assert_int_eq(cli("sweep tiny.yaml --param discount_rate=0.05 --threads 65"), 2);
    ck_assert_ptr_nonnull(strstr(R.err, "techroad sweep: --threads: expected 0 (one per CPU) to 64, got \"65\""));
    ck_assert_int_eq(cli("run tiny.yaml --threads 2x"), 2);
    ck_assert_ptr_nonnull(strstr(R.err, "--threads: expected 0 (one per CPU) to 64, got \"2x\""));
    ck_assert_int_eq(cli("run tiny.yaml --gap 0.5"), 2);
    ck_assert_ptr_nonnull(strstr(R.err, "--gap: expected a number in (0, 0.1), got \"0.5\""));
}
END_TEST

START_TEST(validate_many)
{
    ck_assert_int_eq(cli("validate tiny.yaml csv/scenario.yaml"), 0);
    ck_assert_ptr_nonnull(strstr(R.out, "tiny.yaml: ok"));
    ck_assert_ptr_nonnull(strstr(R.out, "csv/scenario.yaml: ok"));
    ck_assert_int_eq(cli("validate tiny.yaml bad_lifetime.yaml"), 2);
    ck_assert_ptr_nonnull(strstr(R.out, "tiny.yaml: ok"));
    ck_assert_ptr_nonnull(strstr(R.err, "bad_lifetime.yaml:11:15"));
    ck_assert_int_eq(cli("validate"), 2);
}
END_TEST

START_TEST(export_lp_formats)
{
    ck_assert_int_eq(cli("export-lp tiny.yaml --format cplex"), 0);
    ck_assert_ptr_nonnull(strstr(R.out, "Minimize"));
    ck_assert_ptr_nonnull(strstr(R.out, "stock(p1,eff,2021)"));
    ck_assert_int_eq(cli("export-lp tiny.yaml --format mps"), 0);
    ck_assert_ptr_nonnull(strstr(R.out, "ROWS"));
    ck_assert_int_eq(cli("export-lp tiny.yaml --format glpk"), 0);
    ck_assert_ptr_nonnull(strstr(R.out, "p lp min"));
    ck_assert_int_eq(cli("export-lp tiny.yaml --format nl"), 2);
}
END_TEST

START_TEST(same_bytes_twice)
{
    static char first[1 << 20];
    const char *fmts[] = {"json", "iamc", "csv", "table"};
    for (size_t f = 0; f < 4; f++) {
        char args[256];
        snprintf(args, sizeof args, "run %s/vn-eaf/voluntary-agreement.yaml --format %s", TR_SCENARIO_DIR, fmts[f]);
        ck_assert_int_eq(cli(args), 0);
        snprintf(first, sizeof first, "%s", R.out);
        ck_assert_int_eq(cli(args), 0);
        ck_assert_msg(strcmp(first, R.out) == 0, "%s output differs between runs", fmts[f]);
    }
}
END_TEST

/* Start the CLI with @argv (NULL-terminated, argv[0] the program): its
 * standard output into a new file under /tmp (path into @out, size 32 at
 * least; a pipe read only after the log would block a CLI that wrongly
 * writes a lot), its standard error into a pipe read through *log. */
static pid_t spawn_cli(char *const argv[], char *out, int *outfd, FILE **log)
{
    snprintf(out, 32, "/tmp/techroad-out-XXXXXX");
    *outfd = mkstemp(out);
    ck_assert_int_ge(*outfd, 0);
    int errp[2];
    ck_assert_int_eq(pipe(errp), 0);
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        dup2(errp[1], 2);
        dup2(*outfd, 1);
        close(errp[0]);
        close(errp[1]);
        close(*outfd);
        execv(TR_CLI, argv);
        _exit(127);
    }
    close(errp[1]);
    *log = fdopen(errp[0], "r");
    ck_assert_ptr_nonnull(*log);
    return pid;
}

/* wait for @pid; the bytes it wrote to @outfd (closed, @out removed) */
static off_t reap_cli(pid_t pid, int *status, char *out, int outfd)
{
    ck_assert_int_eq(waitpid(pid, status, 0), pid);
    off_t n = lseek(outfd, 0, SEEK_END);
    close(outfd);
    remove(out);
    return n;
}

/* Ctrl-C during a decomposed `run` (200 plants, about 17 rounds): the
 * solve stops at the end of the round, nothing is written, exit code 130.
 * The signal goes once the first round is in the log, so the handler is
 * in place and most rounds are still to come. */
START_TEST(run_ctrl_c_cancels_a_decomposed_solve)
{
    char yaml[64], out[32];
    fx_synthetic(200, 1, yaml, sizeof yaml);
    char *argv[] = {TR_CLI, "run", yaml, "--method", "decomposed", "--threads", "1", "--verbose", NULL};
    int ofd;
    FILE *e;
    pid_t pid = spawn_cli(argv, out, &ofd, &e);
    char line[8192];
    int sent = 0, cancelled = 0, after = 0;
    while (fgets(line, sizeof line, e)) {
        if (sent && strstr(line, "decomposition: phase"))
            after++;   /* rounds logged after the signal */
        if (!sent && strstr(line, "decomposition: phase")) {
            ck_assert_int_eq(kill(pid, SIGINT), 0);
            sent = 1;
        }
        cancelled |= strcmp(line, "techroad: cancelled\n") == 0;
    }
    fclose(e);
    int st = 0;
    off_t nout = reap_cli(pid, &st, out, ofd);
    remove(yaml);
    ck_assert_msg(sent, "no round in the log");
    ck_assert_msg(WIFEXITED(st), "the CLI died of signal %d", WIFSIGNALED(st) ? WTERMSIG(st) : 0);
    ck_assert_int_eq(WEXITSTATUS(st), 130);
    ck_assert(cancelled);
    /* the solve stopped at the end of a round, not after all of them
     * (about 18 more); a few may be logged before the signal lands */
    ck_assert_int_le(after, 5);
    ck_assert_int_eq(nout, 0);   /* no roadmap written */
}
END_TEST

/* Ctrl-C while `mc` solves a large sector's base case (200 plants,
 * decomposed, before any run): exit 130, "cancelled before the first
 * run", nothing on standard output. The signal goes once the first
 * progress line ("0/N runs, starting", written at the base case's first
 * round) is in the log. */
START_TEST(mc_ctrl_c_during_the_base_case)
{
    char yaml[64];
    fx_synthetic(200, 1, yaml, sizeof yaml);
    FILE *f = fopen(yaml, "a");
    ck_assert_ptr_nonnull(f);
    fputs("uncertainty:\n  seed: 7\n  parameters:\n    elec: {path: carriers.electricity.price, mode: scale, "
          "distribution: uniform, low: 0.9, high: 1.1}\n",
          f);
    fclose(f);
    char out[32];
    char *argv[] = {TR_CLI, "mc", yaml, "--samples", "4", "--threads", "1", NULL};
    int ofd;
    FILE *e;
    pid_t pid = spawn_cli(argv, out, &ofd, &e);
    char line[1024];
    int sent = 0, cancelled = 0, runs = 0;
    while (fgets(line, sizeof line, e)) {
        if (!sent && strcmp(line, "mc: 0/4 runs, starting\n") == 0) {
            ck_assert_int_eq(kill(pid, SIGINT), 0);
            sent = 1;
        }
        cancelled |= strcmp(line, "techroad: cancelled before the first run\n") == 0;
        runs |= strstr(line, "runs/s") != NULL;
    }
    fclose(e);
    int st = 0;
    off_t nout = reap_cli(pid, &st, out, ofd);
    remove(yaml);
    ck_assert_msg(sent, "no progress line in the log");
    ck_assert_msg(WIFEXITED(st), "the CLI died of signal %d", WIFSIGNALED(st) ? WTERMSIG(st) : 0);
    ck_assert_int_eq(WEXITSTATUS(st), 130);
    ck_assert(cancelled);
    ck_assert(!runs);            /* no run was reported done */
    ck_assert_int_eq(nout, 0);   /* no table written */
}
END_TEST

/* everything `run` writes to a terminal on its standard error (a
 * pseudo-terminal), standard output to /dev/null */
static char *run_on_tty(const char *yaml, int verbose)
{
    int mfd = posix_openpt(O_RDWR | O_NOCTTY);
    ck_assert_int_ge(mfd, 0);
    ck_assert_int_eq(grantpt(mfd), 0);
    ck_assert_int_eq(unlockpt(mfd), 0);
    char slave[256];
    ck_assert_ptr_nonnull(ptsname(mfd));
    snprintf(slave, sizeof slave, "%s", ptsname(mfd));
    pid_t pid = fork();
    ck_assert_int_ge(pid, 0);
    if (pid == 0) {
        int sfd = open(slave, O_RDWR | O_NOCTTY);
        int nul = open("/dev/null", O_WRONLY);
        if (sfd < 0 || nul < 0)
            _exit(126);
        dup2(sfd, 2);
        dup2(nul, 1);
        close(sfd);
        close(nul);
        close(mfd);
        execl(TR_CLI, TR_CLI, "run", yaml, "--method", "decomposed", "--threads", "1",
              verbose ? "--verbose" : (char *)NULL, (char *)NULL);
        _exit(127);
    }
    size_t n = 0, cap = 1 << 16;
    char *buf = malloc(cap);
    ck_assert_ptr_nonnull(buf);
    for (;;) {
        if (n + 1 >= cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            ck_assert_ptr_nonnull(buf);
        }
        ssize_t k = read(mfd, buf + n, cap - n - 1);
        if (k <= 0)
            break;   /* EIO once the child's side is closed */
        n += (size_t)k;
    }
    buf[n] = '\0';
    close(mfd);
    int st = 0;
    ck_assert_int_eq(waitpid(pid, &st, 0), pid);
    ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "run on a terminal: status %d", st);
    return buf;
}

/* On a terminal, a decomposed `run` shows its rounds on one line
 * ("\rdecomposition: round N, gap G") and ends it; with --verbose the log
 * has the rounds instead and the line is off. */
/* Issue 17 item 11: a Monte Carlo whose every run fails is exit 2 and says
 * why on stderr; one where some fail says how many and why, exit 0. */
START_TEST(mc_failed_runs_reported)
{
    const char *head = "format: techroad/1\nname: t\nhorizon: {start: 2020, end: 2022}\ndiscount_rate: 0.1\n"
                       "species: {CO2: {unit: t}}\n"
                       "carriers: {electricity: {unit: MWh, energy_content: 3.6, price: 100, emission_factors: {CO2: 1}}}\n"
                       "plants: {p: {capacity: 1000, production: 1000, intensity: {electricity: 1}}}\n"
                       "technologies:\n  x: {effects: {electricity: -0.2}, capex: 30, lifetime: 10}\n"
                       "uncertainty:\n  samples: 8\n  seed: 1\n  parameters:\n";
    char path[64];
    snprintf(path, sizeof path, "/tmp/techroad-cli-mcfail-%d.yaml", (int)getpid());
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "%s    life: {path: technologies.x.lifetime, distribution: uniform, low: 2, high: 30}\n", head);
    fclose(f);
    char cmd[512];
    snprintf(cmd, sizeof cmd, "mc %s --threads 1", path);
    ck_assert_int_eq(cli(cmd), 2);
    ck_assert_msg(strstr(R.err, "8 of 8 runs failed, none succeeded") &&
                      strstr(R.err, "8 runs: technologies.x.lifetime: expected an integer >= 1 (first: run 0: "),
                  "%s", R.err);
    ck_assert_ptr_nonnull(strstr(R.out, "failures\nreason"));
    f = fopen(path, "w");
    fprintf(f, "%s    cap: {path: technologies.x.capex, distribution: normal, mean: 10, sd: 20}\n", head);
    fclose(f);
    ck_assert_int_eq(cli(cmd), 0);
    ck_assert_msg(strstr(R.err, " of 8 runs failed:\n") && strstr(R.err, "technologies.x.capex: expected a capex >= 0"),
                  "%s", R.err);
    remove(path);
}
END_TEST

/* Issue 17 item 15: --param values that are not finite blame the option */
START_TEST(sweep_non_finite_param_blames_the_option)
{
    ck_assert_int_eq(cli("sweep tiny.yaml --param carriers.electricity.price=0:inf:3"), 2);
    ck_assert_str_eq(R.err, "techroad sweep: --param carriers.electricity.price: expected finite numbers FROM:TO:N, "
                            "got \"0:inf:3\"\n");
    ck_assert_int_eq(cli("sweep tiny.yaml --param carriers.electricity.price=1,NaN"), 2);
    ck_assert_str_eq(R.err,
                     "techroad sweep: --param carriers.electricity.price: value 2 is \"NaN\"; expected finite numbers\n");
    ck_assert_ptr_null(strstr(R.err, "tiny.yaml"));
}
END_TEST

/* Issue 18: an analysis that takes less than a second leaves no progress
 * line on standard error (a slower one, e.g. under valgrind, may show them,
 * so the check applies only when the whole command took under a second). */
START_TEST(quick_analysis_prints_no_progress)
{
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    ck_assert_int_eq(cli("macc tiny.yaml --steps 2"), 0);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double dt = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
    if (dt < 1.0)
        ck_assert_msg(!strstr(R.err, "runs"), "a progress line from a %.2f s run: %s", dt, R.err);
    ck_assert_ptr_nonnull(strstr(R.out, "step"));
}
END_TEST

START_TEST(run_progress_on_a_terminal)
{
    char yaml[64];
    fx_synthetic(20, 1, yaml, sizeof yaml);
    char *plain = run_on_tty(yaml, 0), *verbose = run_on_tty(yaml, 1);
    remove(yaml);
    ck_assert_msg(strstr(plain, "\rdecomposition: round 1, gap not yet bounded"), "no first round in \"%.300s\"",
                  plain);
    const char *last = NULL;
    for (const char *q = plain; (q = strstr(q, "\rdecomposition: round")) != NULL; q++)
        last = q;
    ck_assert_msg(last && strstr(last, "gap ") && strchr(last, '\n'), "the last round is not ended by a newline: \"%.300s\"",
                  last ? last : plain);
    ck_assert_ptr_null(strstr(plain, "decomposition: phase"));
    ck_assert_ptr_null(strstr(verbose, "\rdecomposition: round"));
    ck_assert_ptr_nonnull(strstr(verbose, "decomposition: phase"));
    free(plain);
    free(verbose);
}
END_TEST

Suite *cli_suite(void)
{
    Suite *s = suite_create("cli");
    TCase *tc = tcase_create("cli");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, version_and_help);
    tcase_add_test(tc, run_json_matches_library);
    tcase_add_test(tc, formats_and_out_file);
    tcase_add_test(tc, out_makes_missing_folders);
    tcase_add_test(tc, outputs_to_devices_and_closed_pipes);
    tcase_add_test(tc, exit_codes);
    tcase_add_test(tc, validate_many);
    tcase_add_test(tc, run_methods);
    tcase_add_test(tc, export_lp_formats);
    tcase_add_test(tc, same_bytes_twice);
    tcase_add_test(tc, run_ctrl_c_cancels_a_decomposed_solve);
    tcase_add_test(tc, mc_ctrl_c_during_the_base_case);
    tcase_add_test(tc, run_progress_on_a_terminal);
    tcase_add_test(tc, mc_failed_runs_reported);
    tcase_add_test(tc, sweep_non_finite_param_blames_the_option);
    tcase_add_test(tc, quick_analysis_prints_no_progress);
    suite_add_tcase(s, tc);
    return s;
}
