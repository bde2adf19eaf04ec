/* techroad mga SCENARIO [--slack S] [--year Y] [--alternatives N]
 * [--format table|csv|json] [--out DIR]: near-optimal ranges of every
 * technology's adoption and alternatives within the slack (tr_analysis_mga). */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* write table @t to DIR/<name>.csv|json with --out, and to standard output */
static int emit_table(const tr_table *t, tr_result_format fmt, const char *out, int last)
{
    char *s = NULL;
    int rc = EXIT_SOLVED;
    if (out) {
        tr_result_format ff = fmt == TR_FMT_JSON ? TR_FMT_JSON : TR_FMT_CSV;
        if (tr_table_write_string(t, ff, &s) == TR_OK) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s.%s", out, tr_table_name(t), ff == TR_FMT_JSON ? "json" : "csv");
            if (cli_emit(s, path) != EXIT_SOLVED)
                rc = EXIT_INPUT;
        }
        tr_string_free(s);
        s = NULL;
    }
    if ((!out || fmt == TR_FMT_TABLE) && tr_table_write_string(t, fmt, &s) == TR_OK) {
        fputs(s, stdout);
        if (fmt == TR_FMT_TABLE && !last)
            fputc('\n', stdout);
    }
    tr_string_free(s);
    return rc;
}

int cmd_mga(int argc, char **argv)
{
    double slack = 0.01;
    long year = 0, nalt = 10;
    tr_analysis_opts o;
    tr_analysis_opts_init(&o);
    cli_args a;
    cli_args_init(&a, "table");
    int c;
    while ((c = cli_next(&a, CLI_C_MGA, argc, argv)) != -1) {
        char *end;
        switch (c) {
        case CLI_O_SLACK:
            errno = 0;
            slack = strtod(optarg, &end);
            if (errno || *end || end == optarg) {
                fprintf(stderr, "%s mga: --slack: expected a number (0.01 = 1 %% above the least cost), got \"%s\"\n",
                        prog, optarg);
                return EXIT_INPUT;
            }
            break;
        case CLI_O_YEAR: year = a.num; break;
        case CLI_O_ALT: nalt = a.num; break;
        case CLI_O_SEED: o.seed = a.num; break;
        default: return EXIT_INPUT;
        }
    }
    tr_scenario *sc;
    int rc = cli_open(&a, "mga", "table|csv|json", argc, argv, &sc);
    if (rc != EXIT_SOLVED)
        return rc;
    tr_analysis *an = NULL;
    tr_status st = tr_analysis_mga(sc, slack, (int)year, nalt, &o, &an);
    tr_scenario_free(sc);
    if (st != TR_OK)
        return cli_fail(st);
    if (a.out && tr_folder_make(a.out) != TR_OK) {
        fprintf(stderr, "%s: %s\n", prog, tr_last_error());
        tr_analysis_free(an);
        return EXIT_INPUT;
    }
    rc = EXIT_SOLVED;
    size_t n = tr_analysis_table_count(an);
    for (size_t i = 0; i < n; i++) {
        const tr_table *t = tr_analysis_table(an, i);
        if (emit_table(t, a.fmt, a.out, i + 1 == n) != EXIT_SOLVED)
            rc = EXIT_INPUT;
        if (a.fmt == TR_FMT_TABLE && !strcmp(tr_table_name(t), "ranges"))
            printf("needed = yes: the least share within %g %% of the least cost is at least %g %%, so every "
                   "such roadmap adopts it\n",
                   slack * 100, TR_MGA_NEEDED * 100);
    }
    cli_stdout_check();
    tr_analysis_free(an);
    return rc;
}

int cli_mga_slack(const char *v, double *out)
{
    char *end;
    errno = 0;
    double s = strtod(v, &end);
    if (errno || *end || end == v || !(s >= 0)) {
        fprintf(stderr, "%s report: --mga: expected a slack >= 0 (0.01 = 1 %% above the least cost), got \"%s\"\n",
                prog, v);
        return 0;
    }
    *out = s;
    return 1;
}
