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
#include <sys/resource.h>
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
    ck_assert_ptr_nonnull(strstr(R.out, ",tiny,World,Final Energy|Electricity,GJ,2022,2880\n"));
    ck_assert_ptr_nonnull(strstr(R.out, ",Emissions|CO2,t,2020,"));
    ck_assert_ptr_nonnull(strstr(R.out, ",Adoption|eff,share,2022,1\n"));
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

/* Issue 17 item 2: GLPK's writer and printf's errors were never checked: a
 * small LP (below GLPK's buffer) on a full device or disk and validate's
 * lines on a full standard output exited 0 with an empty or cut file. A file
 * size limit (RLIMIT_FSIZE, SIGXFSZ ignored: writes past it fail with EFBIG)
 * stands for a disk that fills up: exit 3 (GLPK's temporary file, not the
 * user's path), the reason, and no partial file left. */
START_TEST(lp_and_standard_output_writes_are_checked)
{
    static const char *const formats[] = {"cplex", "mps", "glpk"};
    char args[512], path[256];
    for (size_t i = 0; i < 3; i++) {
        snprintf(args, sizeof args, "export-lp tiny.yaml --format %s --out /dev/full", formats[i]);
        ck_assert_int_eq(cli(args), 2);
        ck_assert_msg(strstr(R.err, "/dev/full: write error: No space left on device"), "%s", R.err);
        snprintf(args, sizeof args, "export-lp tiny.yaml --format %s > /dev/full", formats[i]);
        ck_assert_int_eq(cli(args), 3);
        ck_assert_msg(strstr(R.err, "standard output: write error: No space left on device"), "%s", R.err);
        /* 300 bytes: less than any of the three LPs of tiny.yaml (541 to 909) */
        snprintf(path, sizeof path, "/tmp/techroad-cli-fsize-%d.lp", (int)getpid());
        remove(path);
        snprintf(args, sizeof args, "export-lp tiny.yaml --format %s --out %s", formats[i], path);
        struct rlimit old, lim;
        ck_assert_int_eq(getrlimit(RLIMIT_FSIZE, &old), 0);
        lim = old;
        lim.rlim_cur = 300;
        void (*oldh)(int) = signal(SIGXFSZ, SIG_IGN);
        ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &lim), 0);
        int code = cli(args);
        ck_assert_int_eq(setrlimit(RLIMIT_FSIZE, &old), 0);
        signal(SIGXFSZ, oldh);
        ck_assert_msg(code == 3, "%s: exit %d: %s", formats[i], code, R.err);
        ck_assert_msg(strstr(R.err, "the LP GLPK wrote to its temporary file is incomplete"), "%s", R.err);
        struct stat sb;
        ck_assert_int_ne(stat(path, &sb), 0);
    }
    /* what a command prints: checked at the end, whatever the command */
    ck_assert_int_eq(cli("validate tiny.yaml csv/scenario.yaml > /dev/full"), 3);
    ck_assert_msg(strstr(R.err, "standard output: write error: No space left on device"), "%s", R.err);
    ck_assert_int_eq(cli("--version > /dev/full"), 3);
    ck_assert_msg(strstr(R.err, "standard output: write error: No space left on device"), "%s", R.err);
    ck_assert_int_eq(cli("audit tiny.yaml > /dev/full"), 3);
    ck_assert_msg(strstr(R.err, "standard output: write error: No space left on device"), "%s", R.err);
    ck_assert_int_eq(cli("validate tiny.yaml > /dev/null"), 0);
}
END_TEST

/* Issue 17 item 10: a swept path that is not a number or series (a text
 * field) is bad input naming the path; it was swept and changed nothing */
START_TEST(sweep_param_must_be_a_number)
{
    ck_assert_int_eq(cli("sweep tiny.yaml --param currency=1,2"), 2);
    ck_assert_msg(strstr(R.err, "currency: holds \"USD\", not a number or a series of numbers; expected the path of one"),
                  "%s", R.err);
    ck_assert_int_eq(cli("sweep tiny.yaml --param carriers.electricity.price=90,110 --param name=1:2:2 --scale"), 2);
    ck_assert_msg(strstr(R.err, "name: holds \"tiny\", not a number or a series of numbers (or a map of numbers)"), "%s",
                  R.err);
}
END_TEST

/* Issue 17 item 23: one table of limits (tr_analysis.h) and one wording,
 * "expected an integer from LO to HI, got N", in the CLI, the YAML and the
 * library: the YAML allowed 10^7 samples where the CLI allowed 10^8, an
 * out-of-range sweep count said "is not a number list", and a year said
 * "(integer 1000..9999) and at most 9999". */
START_TEST(limits_and_their_wording_agree)
{
    char path[256], args[512];
    snprintf(path, sizeof path, "/tmp/techroad-cli-limits-%d.yaml", (int)getpid());
    static const struct {
        const char *extra;
        int code;
        const char *err;
    } cases[] = {
        {"uncertainty: {samples: 100000000, parameters: {p: {path: carriers.electricity.price, distribution: "
         "uniform, low: 1, high: 2}}}\n",
         0, NULL},
        {"uncertainty: {samples: 100000001, parameters: {p: {path: carriers.electricity.price, distribution: "
         "uniform, low: 1, high: 2}}}\n",
         2, "uncertainty.samples: expected an integer from 1 to 100000000, got \"100000001\""},
        {"horizon: {start: 99999, end: 2022}\n", 2, "horizon.start: expected a year from 1000 to 9999, got \"99999\""},
        {"technologies: {eff: {lifetime: 1001}}\n", 2,
         "technologies.eff.lifetime: expected an integer from 1 to 1000, got \"1001\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        FILE *f = fopen(path, "w");
        ck_assert_ptr_nonnull(f);
        fprintf(f, "format: techroad/1\nextends: %s/tiny.yaml\n%s", TR_TEST_DATA, cases[i].extra);
        fclose(f);
        snprintf(args, sizeof args, "validate %s", path);
        ck_assert_int_eq(cli(args), cases[i].code);
        if (cases[i].err)
            ck_assert_msg(strstr(R.err, cases[i].err), "%zu: %s", i, R.err);
        ck_assert_ptr_null(strstr(R.err, "and at most"));
    }
    remove(path);
    ck_assert_int_eq(cli("mc tiny.yaml --samples 100000001"), 2);
    ck_assert_msg(strstr(R.err, "--samples: expected an integer from 1 to 100000000, got \"100000001\""), "%s", R.err);
    ck_assert_int_eq(cli("sweep tiny.yaml --param carriers.electricity.price=1:2:0"), 2);
    ck_assert_msg(strstr(R.err, "--param carriers.electricity.price: FROM:TO:N: expected N an integer from 1 to 100000, "
                                "got 0"),
                  "%s", R.err);
    ck_assert_int_eq(cli("sweep tiny.yaml --param carriers.electricity.price=1:2:100001"), 2);
    ck_assert_msg(strstr(R.err, "expected N an integer from 1 to 100000, got 100001"), "%s", R.err);
    ck_assert_int_eq(cli("sweep tiny.yaml --param carriers.electricity.price=1,x"), 2);
    ck_assert_msg(strstr(R.err, "--param carriers.electricity.price: expected numbers v1,v2,... or FROM:TO:N, got "
                                "\"1,x\""),
                  "%s", R.err);
    /* --threads 0 means one thread per CPU in every command */
    ck_assert_int_eq(cli("run tiny.yaml --threads 0 --method decomposed"), 0);
    ck_assert_int_eq(cli("sweep tiny.yaml --param carriers.electricity.price=90,110 --threads 0"), 0);
    /* the library says the same to callers that are not the CLI */
    tr_scenario *sc = fx_load_file(TR_TEST_DATA "/tiny.yaml");
    tr_analysis_opts o;
    tr_analysis_opts_init(&o);
    o.samples = TR_MAX_SAMPLES + 1;
    tr_analysis *a = NULL;
    ck_assert_int_eq(tr_analysis_montecarlo(sc, &o, &a), TR_E_INVAL);
    ck_assert_str_eq(tr_last_error(), "analysis options: samples: expected an integer from 1 to 100000000, got 100000001");
    o.samples = 0;
    o.threads = TR_MAX_THREADS + 1;
    ck_assert_int_eq(tr_analysis_montecarlo(sc, &o, &a), TR_E_INVAL);
    ck_assert_str_eq(tr_last_error(), "analysis options: threads: expected 0 (one per CPU) to 64, got 65");
    tr_scenario_free(sc);
}
END_TEST

START_TEST(exit_codes)
{
    ck_assert_int_eq(cli("run infeasible.yaml"), 1);
    ck_assert_msg(strstr(R.err, "policy co2_cap cannot be met in 2020: lowest reachable emissions.CO2 is 900 t, limit 850 t"),
                  "stderr: %s", R.err);
    ck_assert_int_eq(cli("run bad_lifetime.yaml"), 2);
    ck_assert_msg(strstr(R.err, "bad_lifetime.yaml:11:15: technologies.shaft.lifetime: expected an integer from 1 to 1000, got "
                                "\"twenty\""),
                  "stderr: %s", R.err);
    ck_assert_int_eq(cli("run no-such-file.yaml"), 2);
    ck_assert_ptr_nonnull(strstr(R.err, "no-such-file.yaml"));
    ck_assert_int_eq(cli("run"), 2);
    /* a cubic spline that overflows is bad input, not an internal error
     * (issue 17 item 16: it was exit 3) */
    char path[256], args[512];
    snprintf(path, sizeof path, "/tmp/techroad-cli-spline-%d.yaml", (int)getpid());
    FILE *f = fopen(path, "w");
    ck_assert_ptr_nonnull(f);
    fprintf(f, "format: techroad/1\nextends: %s/tiny.yaml\ntechnologies:\n"
               "  eff: {capex: {2019: 0, 2021: 1.7e308, 2023: 0, interp: cspline}}\n", TR_TEST_DATA);
    fclose(f);
    snprintf(args, sizeof args, "run %s", path);
    ck_assert_int_eq(cli(args), 2);
    remove(path);
    ck_assert_msg(strstr(R.err, ":4:16: technologies.eff.capex: the interpolated value at 2020 is not finite"), "%s",
                  R.err);
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

/* Issue 17 item 18: `-` is standard input for every command that reads a
 * scenario (relative paths from the current folder, messages name
 * <stdin>), and /dev/stdin as a pipe is read ("cannot read: No such file or
 * directory" before). */
START_TEST(scenario_from_standard_input)
{
    ck_assert_int_eq(cli("validate - < tiny.yaml"), 0);
    ck_assert_ptr_nonnull(strstr(R.out, "-: ok (tiny, 1 plants"));
    ck_assert_int_eq(cli("validate /dev/stdin < extends_tiny.yaml"), 0);   /* a file as stdin */
    ck_assert_int_eq(cli("run - --format json < tiny.yaml"), 0);
    char want[64];
    json_t *j = json_loads(R.out, 0, NULL);
    ck_assert_ptr_nonnull(j);
    tr_scenario *sc = fx_load_file(TR_TEST_DATA "/tiny.yaml");
    ck_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "provenance"), "scenario_sha256")),
                     tr_scenario_sha256(sc));
    json_decref(j);
    tr_scenario_free(sc);
    const char *cmds[] = {"cat tiny.yaml | %s validate /dev/stdin", "cat extends_tiny.yaml | %s validate -",
                          "cat tiny.yaml | %s run -", "cat tiny.yaml | %s export-lp - --format cplex",
                          "cat tiny.yaml | %s sweep - --param carriers.electricity.price=90,100", "cat tiny.yaml | %s audit -",
                          "cat tiny.yaml | %s mga - --alternatives 1"};
    for (size_t i = 0; i < sizeof cmds / sizeof *cmds; i++) {
        /* cli() runs "cd DATA && CLI ARGS": the pipe comes after a first command */
        char full[1024], line[1200];
        snprintf(full, sizeof full, cmds[i], TR_CLI);
        snprintf(line, sizeof line, "--version >/dev/null && %s", full);
        ck_assert_msg(cli(line) == 0, "%s: exit %d: %s", full, R.code, R.err);
    }
    /* messages name <stdin>; a NUL byte is refused, not cut */
    ck_assert_int_eq(cli("validate - < bad_lifetime.yaml"), 2);
    ck_assert_msg(strstr(R.err, "<stdin>:11:15: "), "%s", R.err);
    ck_assert_int_eq(cli("--version >/dev/null && printf 'format: techroad/1\\000x' | " TR_CLI " run -"), 2);
    ck_assert_msg(strstr(R.err, "<stdin>: a NUL byte (at byte offset 18)"), "%s", R.err);
    snprintf(want, sizeof want, "%s", "<stdin>: the file is empty");
    ck_assert_int_eq(cli("run - < /dev/null"), 2);
    ck_assert_msg(strstr(R.err, want), "%s", R.err);
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
    fx_synthetic(600, 1, yaml, sizeof yaml);   /* a base case of several seconds */
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
    /* progress lines appear only after a second (issue 18), so the signal
     * cannot wait for one: it comes 0.3 s after the start, while the base
     * case of 600 plants is being solved */
    int sent = 0, cancelled = 0, runs = 0;
    nanosleep(&(struct timespec){0, 300000000}, NULL);
    ck_assert_int_eq(kill(pid, SIGINT), 0);
    sent = 1;
    static char log[8192];
    log[0] = '\0';
    while (fgets(line, sizeof line, e)) {
        if (strlen(log) + strlen(line) < sizeof log)
            strcat(log, line);
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
    ck_assert_msg(cancelled, "%s", log);
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
                      strstr(R.err, "8 runs: technologies.x.lifetime: expected an integer from 1 to 1000 (first: run 0: "),
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
    tcase_add_test(tc, lp_and_standard_output_writes_are_checked);
    tcase_add_test(tc, sweep_param_must_be_a_number);
    tcase_add_test(tc, limits_and_their_wording_agree);
    tcase_add_test(tc, exit_codes);
    tcase_add_test(tc, validate_many);
    tcase_add_test(tc, scenario_from_standard_input);
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
