/* techroad benchmark / report */
#define _XOPEN_SOURCE 700
#include <getopt.h>   /* optind, optarg */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cmd_benchmark(int argc, char **argv)
{
    cli_args g;
    int base_only = 0, c;
    cli_args_init(&g, "table");
    while ((c = cli_next(&g, CLI_C_BENCHMARK, argc, argv)) != -1) {
        if (c != 'b')
            return EXIT_INPUT;
        base_only = 1;
    }
    const char *file = cli_file("benchmark", argc, argv);
    tr_result_format fmt;
    if (!file || !cli_format("benchmark", "table|csv|json", g.format, &fmt))
        return EXIT_INPUT;
    tr_scenario *sc = NULL;
    tr_status st = tr_scenario_load(file, &sc);
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
    return cli_emit_text(st, text, g.out);
}

int cmd_report(int argc, char **argv)
{
    const char *basefile = NULL;
    cli_args g;
    int c;
    cli_args_init(&g, "markdown");
    while ((c = cli_next(&g, CLI_C_REPORT, argc, argv)) != -1) {
        if (c != 'B')
            return EXIT_INPUT;
        basefile = optarg;
    }
    const char *out = g.out;
    int n = argc - optind;
    if (n < 1 || !out) {
        fprintf(stderr, "%s report: expected SCENARIO... --out DIR [--baseline FILE] [--format markdown|html]\n", prog);
        return EXIT_INPUT;
    }
    int html = cli_choice("report", "format", "markdown|html", g.format);
    if (html < 0)
        return EXIT_INPUT;
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
        if (cli_solved(res[i]) != EXIT_SOLVED)
            rc = EXIT_NOSOL;
    }
    if (st == TR_OK)
        st = (html ? tr_report_write_html : tr_report_write)((const tr_scenario *const *)sc,
                                                             (const tr_result *const *)res, (size_t)n,
                                                             basefile ? sc[n] : NULL, basefile ? res[n] : NULL, out);
    if (st != TR_OK)
        rc = cli_fail(st);
    else if (html)
        fprintf(stderr, "%s: wrote %s/report.html\n", prog, out);
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
