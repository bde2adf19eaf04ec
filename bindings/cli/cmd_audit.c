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
                                       {"numbers", no_argument, 0, 'n'},      {0, 0, 0, 0}};
    const char *format = "table", *out = NULL;
    int numbers = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "f:o:n", lo, NULL)) != -1) {
        switch (c) {
        case 'f': format = optarg; break;
        case 'o': out = optarg; break;
        case 'n': numbers = 1; break;
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
    tr_status st = tr_scenario_load(argv[optind], &sc);
    if (st != TR_OK)
        return cli_fail(st);
    tr_analysis *a = NULL;
    st = tr_scenario_audit(sc, &a);
    tr_scenario_free(sc);
    if (st != TR_OK)
        return cli_fail(st);
    int rc = EXIT_SOLVED;
    /* --out DIR: evidence and numbers, one file each; standard output: the
     * evidence table (and the numbers with --numbers) */
    for (size_t i = 0; i < tr_analysis_table_count(a) && rc == EXIT_SOLVED; i++) {
        const tr_table *t = tr_analysis_table(a, i);
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
        if (rc != EXIT_SOLVED || (i > 0 && !numbers) || (out && fmt != TR_FMT_TABLE))
            continue;
        if (fmt == TR_FMT_TABLE) {
            if (i > 0)
                fputc('\n', stdout);
            print_table(t);
            continue;
        }
        st = tr_table_write_string(t, fmt, &s);
        if (st != TR_OK) {
            rc = cli_fail(st);
        } else {
            if (i > 0 && fmt == TR_FMT_TABLE)
                fputc('\n', stdout);
            fputs(s, stdout);
        }
        tr_string_free(s);
    }
    tr_analysis_free(a);
    cli_stdout_check();
    return rc;
}
