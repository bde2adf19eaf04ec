/* techroad benchmark / report */
#define _XOPEN_SOURCE 700
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cmd_benchmark(int argc, char **argv)
{
    static const struct option lo[] = {{"format", required_argument, 0, 'f'}, {"out", required_argument, 0, 'o'},
                                       {"base-year", no_argument, 0, 'b'},   {0, 0, 0, 0}};
    const char *format = "table", *out = NULL;
    int base_only = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "f:o:b", lo, NULL)) != -1) {
        switch (c) {
        case 'f': format = optarg; break;
        case 'o': out = optarg; break;
        case 'b': base_only = 1; break;
        default: return EXIT_INPUT;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "%s benchmark: expected one scenario file\n", prog);
        return EXIT_INPUT;
    }
    tr_result_format fmt = !strcmp(format, "table") ? TR_FMT_TABLE
                           : !strcmp(format, "csv") ? TR_FMT_CSV
                           : !strcmp(format, "json") ? TR_FMT_JSON
                                                     : (tr_result_format)-1;
    if ((int)fmt < 0) {
        fprintf(stderr, "%s benchmark: --format: expected table, csv or json, got \"%s\"\n", prog, format);
        return EXIT_INPUT;
    }
    tr_scenario *sc = NULL;
    tr_status st = tr_scenario_load(argv[optind], &sc);
    if (st != TR_OK)
        return cli_fail(st);
    tr_result *res = NULL;
    if (!base_only) {
        st = tr_scenario_solve(sc, NULL, &res);
        if (st != TR_OK) {
            tr_scenario_free(sc);
            return cli_fail(st);
        }
        if (tr_result_status(res) != TR_SOL_OPTIMAL) {
            fprintf(stderr, "%s: scenario %s is %s; benchmarking the base year only\n", prog, tr_scenario_name(sc),
                    tr_result_status_name(res));
            tr_result_free(res);
            res = NULL;
        }
    }
    tr_benchmark *b = NULL;
    st = tr_benchmark_new(sc, res, &b);
    tr_result_free(res);
    tr_scenario_free(sc);
    if (st != TR_OK)
        return cli_fail(st);
    char *text = NULL;
    st = tr_benchmark_write_string(b, fmt, &text);
    tr_benchmark_free(b);
    if (st != TR_OK)
        return cli_fail(st);
    int rc = cli_emit(text, out);
    tr_string_free(text);
    return rc;
}

int cmd_report(int argc, char **argv)
{
    static const struct option lo[] = {{"baseline", required_argument, 0, 'B'}, {"out", required_argument, 0, 'o'},
                                       {0, 0, 0, 0}};
    const char *basefile = NULL, *out = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "B:o:", lo, NULL)) != -1) {
        switch (c) {
        case 'B': basefile = optarg; break;
        case 'o': out = optarg; break;
        default: return EXIT_INPUT;
        }
    }
    int n = argc - optind;
    if (n < 1 || !out) {
        fprintf(stderr, "%s report: expected SCENARIO... --out DIR [--baseline FILE]\n", prog);
        return EXIT_INPUT;
    }
    tr_scenario **sc = calloc((size_t)n + 1, sizeof *sc);
    tr_result **res = calloc((size_t)n + 1, sizeof *res);
    int rc = EXIT_SOLVED;
    tr_status st = TR_OK;
    if (!sc || !res) {
        free(sc);
        free(res);
        return EXIT_INTERNAL;
    }
    /* all loads and solves first: a bad file stops before anything is written */
    for (int i = 0; i <= n && st == TR_OK; i++) {
        const char *f = i < n ? argv[optind + i] : basefile;
        if (!f)
            break;
        if ((st = tr_scenario_load(f, &sc[i])) != TR_OK)
            break;
        if ((st = tr_scenario_solve(sc[i], NULL, &res[i])) != TR_OK)
            break;
        if (tr_result_status(res[i]) != TR_SOL_OPTIMAL) {
            fprintf(stderr, "%s: scenario %s is %s\n", prog, tr_scenario_name(sc[i]), tr_result_status_name(res[i]));
            for (size_t d = 0; d < tr_result_diagnosis_count(res[i]); d++) {
                tr_diagnosis dg;
                if (tr_result_get_diagnosis(res[i], d, &dg) == TR_OK)
                    fprintf(stderr, "  %s\n", dg.message);
            }
            rc = EXIT_NOSOL;
        }
    }
    if (st == TR_OK)
        st = tr_report_write((const tr_scenario *const *)sc, (const tr_result *const *)res, (size_t)n,
                             basefile ? sc[n] : NULL, basefile ? res[n] : NULL, out);
    if (st != TR_OK)
        rc = cli_fail(st);
    else
        fprintf(stderr, "%s: wrote %s/report.md and CSV tables\n", prog, out);
    for (int i = 0; i <= n; i++) {
        tr_result_free(res[i]);
        tr_scenario_free(sc[i]);
    }
    free(sc);
    free(res);
    return rc;
}
