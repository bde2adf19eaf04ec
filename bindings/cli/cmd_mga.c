/* techroad mga SCENARIO [--slack S] [--year Y] [--alternatives N]
 * [--format table|csv|json] [--out DIR]: near-optimal ranges of every
 * technology's adoption and alternatives within the slack (tr_analysis_mga). */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

enum { O_SLACK = 1000, O_YEAR, O_ALT, O_FORMAT, O_OUT };

static const struct option mga_opts[] = {{"slack", required_argument, 0, O_SLACK},
                                         {"year", required_argument, 0, O_YEAR},
                                         {"alternatives", required_argument, 0, O_ALT},
                                         {"format", required_argument, 0, O_FORMAT},
                                         {"out", required_argument, 0, O_OUT},
                                         {0, 0, 0, 0}};

static int long_arg(const char *opt, const char *v, long *out)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || *end || end == v) {
        fprintf(stderr, "%s mga: --%s: expected an integer, got \"%s\"\n", prog, opt, v);
        return 0;
    }
    *out = n;
    return 1;
}

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
    const char *format = "table", *out = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "", mga_opts, NULL)) != -1) {
        char *end;
        switch (c) {
        case O_SLACK:
            errno = 0;
            slack = strtod(optarg, &end);
            if (errno || *end || end == optarg) {
                fprintf(stderr, "%s mga: --slack: expected a number (0.01 = 1 %% above the least cost), got \"%s\"\n",
                        prog, optarg);
                return EXIT_INPUT;
            }
            break;
        case O_YEAR:
            if (!long_arg("year", optarg, &year))
                return EXIT_INPUT;
            if (year == 0 || year < -1000000 || year > 1000000) {
                fprintf(stderr, "%s mga: --year: expected a year of the horizon, got \"%s\"\n", prog, optarg);
                return EXIT_INPUT;
            }
            break;
        case O_ALT:
            if (!long_arg("alternatives", optarg, &nalt))
                return EXIT_INPUT;
            break;
        case O_FORMAT:
            if (strcmp(optarg, "table") && strcmp(optarg, "csv") && strcmp(optarg, "json")) {
                fprintf(stderr, "%s mga: --format: expected table, csv or json, got \"%s\"\n", prog, optarg);
                return EXIT_INPUT;
            }
            format = optarg;
            break;
        case O_OUT:
            out = optarg;
            break;
        default:
            return EXIT_INPUT;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "usage: %s mga SCENARIO [--slack S] [--year Y] [--alternatives N] [--format table|csv|json] "
                        "[--out DIR]\n",
                prog);
        return EXIT_INPUT;
    }
    tr_scenario *sc = NULL;
    tr_status st = tr_scenario_load(argv[optind], &sc);
    if (st != TR_OK)
        return cli_fail(st);
    tr_analysis *a = NULL;
    st = tr_analysis_mga(sc, slack, (int)year, nalt, NULL, &a);
    tr_scenario_free(sc);
    if (st != TR_OK)
        return cli_fail(st);
    tr_result_format fmt = !strcmp(format, "csv") ? TR_FMT_CSV : !strcmp(format, "json") ? TR_FMT_JSON : TR_FMT_TABLE;
    if (out && tr_folder_make(out) != TR_OK) {
        fprintf(stderr, "%s: %s\n", prog, tr_last_error());
        tr_analysis_free(a);
        return EXIT_INPUT;
    }
    int rc = EXIT_SOLVED;
    size_t n = tr_analysis_table_count(a);
    for (size_t i = 0; i < n; i++) {
        const tr_table *t = tr_analysis_table(a, i);
        if (emit_table(t, fmt, out, i + 1 == n) != EXIT_SOLVED)
            rc = EXIT_INPUT;
        if (fmt == TR_FMT_TABLE && !strcmp(tr_table_name(t), "ranges"))
            printf("needed = yes: the least share within %g %% of the least cost is at least %g %%, so every "
                   "such roadmap adopts it\n",
                   slack * 100, TR_MGA_NEEDED * 100);
    }
    fflush(stdout);
    tr_analysis_free(a);
    return rc;
}
