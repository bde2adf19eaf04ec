/* Shared helpers of the techroad command; each command may live in its own file. */
#ifndef TR_CLI_H
#define TR_CLI_H
#include <techroad/techroad.h>

enum { EXIT_SOLVED = 0, EXIT_NOSOL = 1, EXIT_INPUT = 2, EXIT_INTERNAL = 3, EXIT_CANCELLED = 130 /* 128 + SIGINT */ };

extern const char *prog;
/* exit code for a library status */
int cli_exit_for(tr_status st);
/* print tr_last_error() to stderr and return the exit code for @st */
int cli_fail(tr_status st);
/* the scenario file of a one-file command (cli_file), which no output may
 * overwrite */
extern const char *cli_input;
/* load scenario @file ("-": standard input); on failure the message is on
 * stderr (as cli_fail() prints it) and *@out is NULL */
tr_status cli_load(const char *file, tr_scenario **out);
/* write @s to file @out, or standard output when @out is NULL */
int cli_emit(const char *s, const char *out);
/* flush standard output; a failure is said with its reason (once) and is
 * exit 3 at the end of main() whatever the command returns */
void cli_stdout_check(void);
/* cli_fail(@st) when the library could not make @text, else cli_emit() it and free it */
int cli_emit_text(tr_status st, char *text, const char *out);
/* EXIT_SOLVED for an optimal @res, else EXIT_NOSOL after its status and diagnosis on stderr */
int cli_solved(const tr_result *res);

/* options.c: one table of every command's options */
enum {
    CLI_C_RUN = 1, CLI_C_EXPORT = 2, CLI_C_BENCHMARK = 4, CLI_C_REPORT = 8,
    CLI_C_ANALYSIS = 16,  /* mc, sweep, sensitivity, macc and pareto take the same options */
    CLI_C_MGA = 32
};
/* ids of the options that have no short letter (the others return their letter) */
enum { CLI_O_SAMPLES = 1000, CLI_O_SEED, CLI_O_KEEP, CLI_O_COLD, CLI_O_PARAM, CLI_O_SCALE, CLI_O_OUTPUT,
       CLI_O_TRAJ, CLI_O_LEVELS, CLI_O_YEAR, CLI_O_SPECIES, CLI_O_STEPS, CLI_O_X, CLI_O_Y, CLI_O_POINTS, CLI_O_PLACE,
       CLI_O_SLACK, CLI_O_ALT, CLI_O_MGA, CLI_O_FORESIGHT, CLI_O_STEP, CLI_O_AUDIT,
       CLI_O_MACC_MODEL, CLI_O_PARETO };
/* getopt_long() over the options command @cmd (CLI_C_*) takes; a numeric
 * option's value, checked against its range, in @num ('?' after an error) */
int cli_getopt(unsigned cmd, int argc, char **argv, long *num);
/* --threads of command @cmd: 0 (one per CPU) to TR_MAX_THREADS; 0 after an error */
int cli_threads(const char *cmd, const char *v, int *out);
/* the index of @v in @choices ("a|b|c"), or -1 after an error naming them
 * ("PROG CMD: --OPT: expected a, b or c"; @cmd NULL: "PROG: --OPT: ...") */
int cli_choice(const char *cmd, const char *opt, const char *choices, const char *v);
/* the output format @v, one of @choices ("table|csv|json"); 0 after an error */
int cli_format(const char *cmd, const char *choices, const char *v, tr_result_format *out);

/* The options of a command on one scenario file: cli_next() keeps --format
 * and --out in a cli_args and returns the others (-1 at the end); then
 * cli_file() is the file, or NULL after "PROG CMD: expected one scenario file". */
typedef struct cli_args {
    const char *format, *out;   /* --format (the default until given), --out (NULL: not given) */
    long num;                   /* the last numeric option's value */
    tr_result_format fmt;       /* --format as cli_open() parsed it */
} cli_args;
void cli_args_init(cli_args *a, const char *format);
int cli_next(cli_args *a, unsigned cmd, int argc, char **argv);
const char *cli_file(const char *cmd, int argc, char **argv);
/* after cli_next(), the scenario of a one-file command: its file (cli_file()),
 * its --format checked against @choices into @a->fmt (cli_format()), then the
 * file loaded into *@sc (cli_load()); EXIT_SOLVED, or the exit code after the
 * message on stderr (*@sc NULL) */
int cli_open(cli_args *a, const char *cmd, const char *choices, int argc, char **argv, tr_scenario **sc);

int cmd_benchmark(int argc, char **argv);   /* cmd_report.c */
int cmd_report(int argc, char **argv);

int cmd_mc(int argc, char **argv);          /* cmd_analysis.c */
int cmd_sweep(int argc, char **argv);
int cmd_sensitivity(int argc, char **argv);
int cmd_macc(int argc, char **argv);
int cmd_pareto(int argc, char **argv);

int cmd_audit(int argc, char **argv);       /* cmd_audit.c */
int cmd_mga(int argc, char **argv);         /* cmd_mga.c */
/* report --mga: the slack in @v (a number >= 0) into @out; 0 after an error on stderr */
int cli_mga_slack(const char *v, double *out);

/* Commands defined in other files: add `{"name", fn},` here. */
#define TR_CLI_EXTRA_COMMANDS                                                                              \
    {"benchmark", cmd_benchmark}, {"report", cmd_report}, {"mc", cmd_mc}, {"sweep", cmd_sweep},            \
        {"sensitivity", cmd_sensitivity}, {"macc", cmd_macc}, {"pareto", cmd_pareto},                      \
        {"audit", cmd_audit}, {"mga", cmd_mga},

#endif
