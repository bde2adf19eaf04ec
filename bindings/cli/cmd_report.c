/* techroad benchmark / report */
#define _XOPEN_SOURCE 700
#include <getopt.h>   /* optind, optarg */
#include <math.h>
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
    tr_scenario *sc;
    int rc = cli_open(&g, "benchmark", "table|csv|json", argc, argv, &sc);
    if (rc != EXIT_SOLVED)
        return rc;
    tr_result *res = NULL;
    if (!base_only) {
        tr_status st = tr_scenario_solve(sc, NULL, &res);
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
    tr_status st = tr_benchmark_new(sc, res, &b);
    tr_result_free(res);
    tr_scenario_free(sc);
    if (st != TR_OK)
        return cli_fail(st);
    char *text = NULL;
    st = tr_benchmark_write_string(b, g.fmt, &text);
    tr_benchmark_free(b);
    return cli_emit_text(st, text, g.out);
}

/* "1.234568e+09" or the status of a result that is not optimal */
static const char *npv_text(const tr_result *r, char *buf, size_t n)
{
    if (tr_result_status(r) != TR_SOL_OPTIMAL)
        return tr_result_status_name(r);
    snprintf(buf, n, "%.7g", tr_result_npv(r));
    return buf;
}

/* --foresight: the cost of myopia (NPV of the myopic roadmap minus NPV
 * under perfect foresight) appended to DIR/report.md and in DIR/myopia.csv */
static tr_status myopia_section(const char *dir, const tr_solve_opts *o, const tr_result *const *my,
                                const tr_result *const *pf, int n)
{
    int K = o->foresight_step > 0 ? o->foresight_step : 1;
    size_t cap = 4096 + (size_t)n * 512, len = 0, clen = 0;
    char *md = malloc(cap), *csv = malloc(cap), *path = malloc(strlen(dir) + 16);
    tr_status st = TR_E_NOMEM;
    if (!md || !csv || !path)
        goto done;
    len += (size_t)snprintf(md + len, cap - len,
                            "\n## Cost of myopia\n\n"
                            "The roadmaps above are solved with a myopic foresight of %d year%s, keeping %d "
                            "year%s of each window (rolling horizon, docs/MODEL.md §14): each decision sees only "
                            "the years of its window. The cost of myopia is the NPV of that roadmap minus the NPV "
                            "under perfect foresight (money of the base year).\n\n"
                            "| scenario | NPV, foresight %d | NPV, perfect foresight | cost of myopia | %% |\n"
                            "|---|---:|---:|---:|---:|\n",
                            o->foresight, o->foresight == 1 ? "" : "s", K, K == 1 ? "" : "s", o->foresight);
    clen += (size_t)snprintf(csv + clen, cap - clen, "scenario,foresight,step,npv_myopic,npv_perfect,cost_of_myopia\n");
    for (int i = 0; i < n; i++) {
        char a[64], b[64], d[64] = "", p[64] = "";
        int ok = tr_result_status(my[i]) == TR_SOL_OPTIMAL && tr_result_status(pf[i]) == TR_SOL_OPTIMAL;
        double cost = ok ? tr_result_npv(my[i]) - tr_result_npv(pf[i]) : 0;
        if (ok) {
            snprintf(d, sizeof d, "%.7g", cost);
            snprintf(p, sizeof p, "%.3f", 100 * cost / fabs(tr_result_npv(pf[i])));
        }
        const char *name = tr_result_scenario_name(my[i]);
        len += (size_t)snprintf(md + len, cap - len, "| %s | %s | %s | %s | %s |\n", name,
                                npv_text(my[i], a, sizeof a), npv_text(pf[i], b, sizeof b), ok ? d : "-", ok ? p : "-");
        clen += (size_t)snprintf(csv + clen, cap - clen, "%s,%d,%d,%s,%s,%s\n", name, o->foresight, K,
                                 npv_text(my[i], a, sizeof a), npv_text(pf[i], b, sizeof b), ok ? d : "");
    }
    sprintf(path, "%s/report.md", dir);
    FILE *f = fopen(path, "a");
    st = TR_E_IO;
    if (!f || fwrite(md, 1, len, f) != len) {
        fprintf(stderr, "%s report: cannot append to %s\n", prog, path);
        if (f)
            fclose(f);
        goto done;
    }
    if (fclose(f) != 0)
        goto done;
    sprintf(path, "%s/myopia.csv", dir);
    st = tr_file_write(path, csv, clen);
done:
    free(md);
    free(csv);
    free(path);
    return st;
}

int cmd_report(int argc, char **argv)
{
    const char *basefile = NULL;
    cli_args g;
    int c;
    cli_args_init(&g, "markdown");
    double mga = -1;   /* --mga SLACK: near-optimal ranges of each scenario (cmd_mga.c) */
    int audit = 0;     /* --audit: the influence ranking of the first scenario (seconds) */
    tr_report_opts ro;
    tr_report_opts_init(&ro);
    char *pareto = NULL;   /* --pareto X,Y: the baseline's trade-off front */
    tr_solve_opts opts;
    tr_solve_opts_init(&opts);
    while ((c = cli_next(&g, CLI_C_REPORT, argc, argv)) != -1) {
        if (c == CLI_O_MGA && cli_mga_slack(optarg, &mga))
            continue;
        if (c == CLI_O_AUDIT)
            audit = 1;
        else if (c == CLI_O_MACC_MODEL)
            ro.macc_model = 1;
        else if (c == CLI_O_PARETO) {
            char *comma = strchr(optarg, ',');
            if (!comma || comma == optarg || !comma[1] || strchr(comma + 1, ',')) {
                fprintf(stderr, "%s report: --pareto: expected two objectives X,Y (such as cost,emissions.CO2), "
                                "got \"%s\"\n", prog, optarg);
                free(pareto);
                return EXIT_INPUT;
            }
            free(pareto);
            if (!(pareto = strdup(optarg)))
                return EXIT_INTERNAL;
            pareto[comma - optarg] = '\0';
            ro.pareto_x = pareto;
            ro.pareto_y = pareto + (comma - optarg) + 1;
        }
        else if (c == CLI_O_FORESIGHT)
            opts.foresight = (int)g.num;
        else if (c == CLI_O_STEP)
            opts.foresight_step = (int)g.num;
        else if (c == 'B')
            basefile = optarg;
        else {
            free(pareto);
            return EXIT_INPUT;
        }
    }
    const char *out = g.out;
    int n = argc - optind;
    if (n < 1 || !out) {
        fprintf(stderr, "%s report: expected SCENARIO... --out DIR [--baseline FILE] [--format markdown|html]\n", prog);
        free(pareto);
        return EXIT_INPUT;
    }
    int html = cli_choice("report", "format", "markdown|html", g.format);
    if (html < 0) {
        free(pareto);
        return EXIT_INPUT;
    }
    tr_scenario **sc = calloc((size_t)n + 1, sizeof *sc);
    tr_result **res = calloc((size_t)n + 1, sizeof *res);
    tr_result **pf = calloc((size_t)n + 1, sizeof *pf);   /* --foresight: perfect foresight too */
    int rc = EXIT_SOLVED;
    tr_status st = TR_OK;
    if (!sc || !res || !pf) {
        free(sc);
        free(res);
        free(pf);
        free(pareto);
        return EXIT_INTERNAL;
    }
    /* all loads and solves first: a bad file stops before anything is written */
    for (int i = 0; i <= n && st == TR_OK; i++) {
        const char *f = i < n ? argv[optind + i] : basefile;
        if (!f)
            break;
        if ((st = cli_load(f, &sc[i])) != TR_OK)
            break;
        if ((st = tr_scenario_solve(sc[i], &opts, &res[i])) != TR_OK)
            break;
        if (opts.foresight > 0 && i < n && (st = tr_scenario_solve(sc[i], NULL, &pf[i])) != TR_OK)
            break;
        if (cli_solved(res[i]) != EXIT_SOLVED)
            rc = EXIT_NOSOL;
    }
    tr_analysis *rk = NULL;
    if (st == TR_OK && audit) {
        /* "What these results rest on": the ten most influential
         * assumptions of the baseline (the roadmap the policies are
         * measured against), or of the first scenario without one
         * (docs/MODEL.md "Influence ranking") */
        tr_analysis_opts ao;
        tr_analysis_opts_init(&ao);
        st = tr_audit_ranking(basefile ? sc[n] : sc[0], "npv", 10, &ao, &rk);
    }
    if (st == TR_OK) {
        ro.html = html;
        ro.audit = rk;
        ro.mga_slack = mga;
        st = tr_report_write_opts((const tr_scenario *const *)sc, (const tr_result *const *)res, (size_t)n,
                                  basefile ? sc[n] : NULL, basefile ? res[n] : NULL, &ro, out);
    }
    tr_analysis_free(rk);
    if (st == TR_OK && opts.foresight > 0)
        st = myopia_section(out, &opts, (const tr_result *const *)res, (const tr_result *const *)pf, n);
    if (st != TR_OK)
        rc = cli_fail(st);
    else if (html)
        fprintf(stderr, "%s: wrote %s/report.html\n", prog, out);
    else
        fprintf(stderr, "%s: wrote %s/report.md and CSV tables\n", prog, out);
    for (int i = 0; i <= n; i++) {
        tr_result_free(res[i]);
        tr_result_free(pf[i]);
        tr_scenario_free(sc[i]);
    }
    free(sc);
    free(res);
    free(pf);
    free(pareto);
    return rc;
}
