/* techroad audit: what a scenario's numbers rest on (issue 14): per file,
 * how many numbers are sourced, assumptions, free text or neither; with
 * --numbers every number and what covers it. */
#define _XOPEN_SOURCE 700
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static void cell(const tr_table *t, size_t r, size_t c, char *buf, size_t n)
{
    double v = tr_table_num(t, r, c);
    if (tr_table_col_is_text(t, c))
        snprintf(buf, n, "%s", tr_table_text(t, r, c));
    else if (isfinite(v))
        snprintf(buf, n, "%.6g", v);
    else
        snprintf(buf, n, "-");
}

/* the table format without cutting file names and paths (the library's
 * table writer cuts text at 40 characters) */
static void print_table(const tr_table *t)
{
    size_t nc = tr_table_col_count(t), nr = tr_table_row_count(t);
    size_t *w = calloc(nc ? nc : 1, sizeof *w);
    char buf[4096];
    if (!w)
        return;
    for (size_t c = 0; c < nc; c++) {
        w[c] = strlen(tr_table_col_name(t, c));
        for (size_t r = 0; r < nr; r++) {
            cell(t, r, c, buf, sizeof buf);
            if (strlen(buf) > w[c])
                w[c] = strlen(buf);
        }
    }
    printf("%s\n", tr_table_name(t));
    for (size_t r = 0; r <= nr; r++) {
        for (size_t c = 0; c < nc; c++) {
            if (r == 0)
                snprintf(buf, sizeof buf, "%s", tr_table_col_name(t, c));
            else
                cell(t, r - 1, c, buf, sizeof buf);
            int text = tr_table_col_is_text(t, c), last = c + 1 == nc;
            printf("%s%*s%s", c ? "  " : "", text && !last ? -(int)w[c] : (int)(text ? 0 : w[c]), buf,
                   last ? "\n" : "");
        }
    }
    free(w);
}

int cmd_audit(int argc, char **argv)
{
    static const struct option lo[] = {{"format", required_argument, 0, 'f'}, {"out", required_argument, 0, 'o'},
                                       {"numbers", no_argument, 0, 'n'},      {"rank", required_argument, 0, 'r'},
                                       {"top", required_argument, 0, 't'},    {"threads", required_argument, 0, 'T'},
                                       {"no-ranking", no_argument, 0, 'N'},   {0, 0, 0, 0}};
    const char *format = "table", *out = NULL, *rank = "npv";
    int numbers = 0, ranking = 1, threads = 0, c;
    long top = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, "f:o:n", lo, NULL)) != -1) {
        switch (c) {
        case 'f': format = optarg; break;
        case 'o': out = optarg; break;
        case 'n': numbers = 1; break;
        case 'N': ranking = 0; break;
        case 'r':
            if (strcmp(optarg, "npv") && strcmp(optarg, "co2") && strcmp(optarg, "intensity")) {
                fprintf(stderr, "%s audit: --rank: expected npv, co2 or intensity, got \"%s\"\n", prog, optarg);
                return EXIT_INPUT;
            }
            rank = optarg;
            break;
        case 't': {
            char *end;
            top = strtol(optarg, &end, 10);
            if (*end || end == optarg || top < 1 || top > 1000000) {
                fprintf(stderr, "%s audit: --top: expected a whole number of rows (1 or more), got \"%s\"\n", prog,
                        optarg);
                return EXIT_INPUT;
            }
            break;
        }
        case 'T':
            if (!cli_threads("audit", optarg, &threads))
                return EXIT_INPUT;
            break;
        default: return EXIT_INPUT;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "%s audit: expected one scenario file\n", prog);
        return EXIT_INPUT;
    }
    tr_result_format fmt = !strcmp(format, "table") ? TR_FMT_TABLE
                           : !strcmp(format, "csv") ? TR_FMT_CSV
                           : !strcmp(format, "json") ? TR_FMT_JSON
                                                     : (tr_result_format)-1;
    if ((int)fmt < 0) {
        fprintf(stderr, "%s audit: --format: expected table, csv or json, got \"%s\"\n", prog, format);
        return EXIT_INPUT;
    }
    tr_scenario *sc = NULL;
    tr_status st = cli_load(argv[optind], &sc);
    if (st != TR_OK)
        return cli_fail(st);
    tr_analysis *a = NULL, *rk = NULL;
    st = tr_scenario_audit(sc, &a);
    if (st == TR_OK && ranking) {
        /* what the results rest on: every assumption varied over its range */
        tr_analysis_opts o;
        tr_analysis_opts_init(&o);
        o.threads = threads;
        st = tr_audit_ranking(sc, rank, (size_t)top, &o, &rk);
    }
    tr_scenario_free(sc);
    if (st != TR_OK) {
        tr_analysis_free(a);
        return cli_fail(st);
    }
    int rc = EXIT_SOLVED;
    /* --out DIR: evidence, numbers, ranking, outputs (and failures), one
     * file each; standard output: the evidence table (the numbers with
     * --numbers), then the ranking and the outputs' base values */
    size_t na = tr_analysis_table_count(a), nt = na + (rk ? tr_analysis_table_count(rk) : 0);
    int printed = 0;
    for (size_t i = 0; i < nt && rc == EXIT_SOLVED; i++) {
        const tr_table *t = i < na ? tr_analysis_table(a, i) : tr_analysis_table(rk, i - na);
        int is_numbers = !strcmp(tr_table_name(t), "numbers");
        char *s = NULL;
        if (out) {
            tr_result_format ff = fmt == TR_FMT_JSON ? TR_FMT_JSON : TR_FMT_CSV;
            char path[4096];
            snprintf(path, sizeof path, "%s/%s.%s", out, tr_table_name(t), ff == TR_FMT_JSON ? "json" : "csv");
            st = tr_table_write_string(t, ff, &s);
            rc = st != TR_OK ? cli_fail(st) : cli_emit(s, path);
            tr_string_free(s);
            s = NULL;
        }
        if (rc != EXIT_SOLVED || (is_numbers && !numbers) || (out && fmt != TR_FMT_TABLE))
            continue;
        if (printed++)
            fputc('\n', stdout);
        if (fmt == TR_FMT_TABLE) {
            print_table(t);
            continue;
        }
        st = tr_table_write_string(t, fmt, &s);
        if (st != TR_OK)
            rc = cli_fail(st);
        else
            fputs(s, stdout);
        tr_string_free(s);
    }
    /* varied values the scenario rejected: say so on stderr (their rows say which side) */
    const tr_table *ft = rk ? tr_analysis_find(rk, "failures") : NULL;
    for (size_t r = 0; ft && r < tr_table_row_count(ft); r++)
        fprintf(stderr, "%s audit: %g runs failed: %s\n", prog, tr_table_num(ft, r, 1), tr_table_text(ft, r, 0));
    tr_analysis_free(a);
    tr_analysis_free(rk);
    cli_stdout_check();
    return rc;
}
