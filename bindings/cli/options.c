/* The options of every command, once: their names, which commands take
 * them, their short letters and the ranges of the numeric ones; and the
 * parsers every command shares (choices, formats, whole numbers). */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct cli_option {
    const char *name;
    int has_arg;
    int id;           /* what cli_getopt() returns: the short letter where there is one */
    unsigned cmds;    /* CLI_C_* commands that take it */
    unsigned letter;  /* CLI_C_* commands that also take it as -<id> */
    long lo, hi;      /* a whole number in [lo, hi], checked as it is read; hi == 0: not a number */
} cli_option;

#define ANALYSES CLI_C_ANALYSIS
/* The order matters where names share a prefix: getopt lists the candidates
 * of an ambiguous abbreviation in table order. */
static const cli_option options[] = {
    {"baseline", required_argument, 'B', CLI_C_REPORT, CLI_C_REPORT, 0, 0},
    {"format", required_argument, 'f', CLI_C_RUN | CLI_C_EXPORT | CLI_C_BENCHMARK | CLI_C_REPORT | ANALYSES | CLI_C_MGA,
     CLI_C_RUN | CLI_C_EXPORT | CLI_C_BENCHMARK | CLI_C_REPORT, 0, 0},
    {"out", required_argument, 'o', CLI_C_RUN | CLI_C_EXPORT | CLI_C_BENCHMARK | CLI_C_REPORT | ANALYSES | CLI_C_MGA,
     CLI_C_RUN | CLI_C_EXPORT | CLI_C_BENCHMARK | CLI_C_REPORT, 0, 0},
    {"method", required_argument, 'm', CLI_C_RUN | ANALYSES, CLI_C_RUN, 0, 0},
    {"no-presolve", no_argument, 'P', CLI_C_RUN, 0, 0, 0},
    {"verbose", no_argument, 'v', CLI_C_RUN, CLI_C_RUN, 0, 0},
    {"help", no_argument, 'h', CLI_C_RUN, CLI_C_RUN, 0, 0},
    {"threads", required_argument, 'T', CLI_C_RUN | ANALYSES, 0, 0, 0},   /* cli_threads() */
    {"gap", required_argument, 'g', CLI_C_RUN, 0, 0, 0},
    {"no-aggregate", no_argument, 'A', CLI_C_RUN, 0, 0, 0},
    {"foresight", required_argument, CLI_O_FORESIGHT, CLI_C_RUN | CLI_C_REPORT, 0, 1, 1000},
    {"step", required_argument, CLI_O_STEP, CLI_C_RUN | CLI_C_REPORT, 0, 1, 1000},
    {"base-year", no_argument, 'b', CLI_C_BENCHMARK, CLI_C_BENCHMARK, 0, 0},
    {"samples", required_argument, CLI_O_SAMPLES, ANALYSES, 0, 1, TR_MAX_SAMPLES},
    {"seed", required_argument, CLI_O_SEED, ANALYSES | CLI_C_MGA, 0, 0, 4294967295L},
    {"keep-samples", no_argument, CLI_O_KEEP, ANALYSES, 0, 0, 0},
    {"cold", no_argument, CLI_O_COLD, ANALYSES, 0, 0, 0},
    {"param", required_argument, CLI_O_PARAM, ANALYSES, 0, 0, 0},
    {"scale", no_argument, CLI_O_SCALE, ANALYSES, 0, 0, 0},
    {"output", required_argument, CLI_O_OUTPUT, ANALYSES, 0, 0, 0},
    {"trajectories", required_argument, CLI_O_TRAJ, ANALYSES, 0, 1, TR_MAX_MORRIS_TRAJECTORIES},
    {"levels", required_argument, CLI_O_LEVELS, ANALYSES, 0, TR_MIN_MORRIS_LEVELS, TR_MAX_MORRIS_LEVELS},
    {"year", required_argument, CLI_O_YEAR, ANALYSES | CLI_C_MGA, 0, 1, 9999},
    {"species", required_argument, CLI_O_SPECIES, ANALYSES, 0, 0, 0},
    {"steps", required_argument, CLI_O_STEPS, ANALYSES, 0, 1, TR_MAX_MACC_STEPS},
    {"x", required_argument, CLI_O_X, ANALYSES, 0, 0, 0},
    {"y", required_argument, CLI_O_Y, ANALYSES, 0, 0, 0},
    {"points", required_argument, CLI_O_POINTS, ANALYSES, 0, 2, TR_MAX_PARETO_POINTS},
    {"place", required_argument, CLI_O_PLACE, ANALYSES, 0, 0, 0},
    {"slack", required_argument, CLI_O_SLACK, CLI_C_MGA, 0, 0, 0},   /* a number: cmd_mga.c */
    {"alternatives", required_argument, CLI_O_ALT, CLI_C_MGA, 0, 0, TR_MAX_MGA_ALTERNATIVES},
    {"mga", required_argument, CLI_O_MGA, CLI_C_REPORT, 0, 0, 0},   /* report --mga SLACK: cmd_report.c */
    {"audit", no_argument, CLI_O_AUDIT, CLI_C_REPORT, 0, 0, 0},     /* report --audit: "What these results rest on" */
    {"macc-model", no_argument, CLI_O_MACC_MODEL, CLI_C_REPORT, 0, 0, 0},   /* report: the model abatement cost curve */
    {"pareto", required_argument, CLI_O_PARETO, CLI_C_REPORT, 0, 0, 0},     /* report --pareto X,Y: the front */
};
#define NOPTIONS (sizeof options / sizeof *options)

static int whole_number(const char *v, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long n = strtol(v, &end, 10);
    if (errno || *end || end == v || n < lo || n > hi)
        return 0;
    *out = n;
    return 1;
}

int cli_getopt(unsigned cmd, int argc, char **argv, long *num)
{
    struct option lo[NOPTIONS + 1];
    char letters[2 * NOPTIONS + 1];
    size_t n = 0, k = 0;
    for (size_t i = 0; i < NOPTIONS; i++) {
        const cli_option *o = &options[i];
        if (o->cmds & cmd)
            lo[n++] = (struct option){o->name, o->has_arg, NULL, o->id};
        if (o->letter & cmd) {
            letters[k++] = (char)o->id;
            if (o->has_arg)
                letters[k++] = ':';
        }
    }
    lo[n] = (struct option){0, 0, 0, 0};
    letters[k] = '\0';
    int c = getopt_long(argc, argv, letters, lo, NULL);
    for (size_t i = 0; i < NOPTIONS; i++) {
        const cli_option *o = &options[i];
        if (o->id != c || !o->hi)
            continue;
        if (!whole_number(optarg, o->lo, o->hi, num)) {
            fprintf(stderr, "%s: --%s: expected an integer from %ld to %ld, got \"%s\"\n", prog, o->name, o->lo,
                    o->hi, optarg);
            return '?';
        }
    }
    return c;
}

int cli_threads(const char *cmd, const char *v, int *out)
{
    long n;
    if (!whole_number(v, 0, TR_MAX_THREADS, &n)) {
        fprintf(stderr, "%s %s: --threads: expected 0 (one per CPU) to %d, got \"%s\"\n", prog, cmd, TR_MAX_THREADS,
                v);
        return 0;
    }
    *out = (int)n;
    return 1;
}

int cli_choice(const char *cmd, const char *opt, const char *choices, const char *v)
{
    size_t len = strlen(v);
    int i = 0;
    for (const char *p = choices;; i++) {
        size_t n = strcspn(p, "|");
        if (n == len && !strncmp(p, v, n))
            return i;
        if (!p[n])
            break;
        p += n + 1;
    }
    /* "a|b|c" -> "a, b or c" */
    char list[256];
    size_t k = 0;
    for (const char *p = choices; *p && k + 4 < sizeof list; p++) {
        if (*p != '|')
            list[k++] = *p;
        else if (strchr(p + 1, '|'))
            list[k++] = ',', list[k++] = ' ';
        else
            memcpy(list + k, " or ", 4), k += 4;
    }
    list[k] = '\0';
    fprintf(stderr, "%s%s%s: --%s: expected %s, got \"%s\"\n", prog, cmd ? " " : "", cmd ? cmd : "", opt, list, v);
    return -1;
}

int cli_format(const char *cmd, const char *choices, const char *v, tr_result_format *out)
{
    static const struct {
        const char *name;
        tr_result_format fmt;
    } formats[] = {{"table", TR_FMT_TABLE}, {"json", TR_FMT_JSON}, {"csv", TR_FMT_CSV}, {"iamc", TR_FMT_IAMC}};
    if (cli_choice(cmd, "format", choices, v) < 0)
        return 0;
    for (size_t i = 0; i < sizeof formats / sizeof *formats; i++)
        if (!strcmp(formats[i].name, v))
            *out = formats[i].fmt;
    return 1;
}

void cli_args_init(cli_args *a, const char *format)
{
    a->format = format;
    a->out = NULL;
    a->num = 0;
    a->fmt = TR_FMT_TABLE;
    optind = 1;
}

int cli_next(cli_args *a, unsigned cmd, int argc, char **argv)
{
    for (;;) {
        int c = cli_getopt(cmd, argc, argv, &a->num);
        if (c == 'f')
            a->format = optarg;
        else if (c == 'o')
            a->out = optarg;
        else
            return c;
    }
}

const char *cli_input;

const char *cli_file(const char *cmd, int argc, char **argv)
{
    if (optind != argc - 1) {
        fprintf(stderr, "%s %s: expected one scenario file\n", prog, cmd);
        return NULL;
    }
    return cli_input = argv[optind];
}
