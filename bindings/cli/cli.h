/* Shared helpers of the techroad command; each command may live in its own file. */
#ifndef TR_CLI_H
#define TR_CLI_H
#include <techroad/techroad.h>

enum { EXIT_SOLVED = 0, EXIT_NOSOL = 1, EXIT_INPUT = 2, EXIT_INTERNAL = 3 };

extern const char *prog;
/* exit code for a library status */
int cli_exit_for(tr_status st);
/* print tr_last_error() to stderr and return the exit code for @st */
int cli_fail(tr_status st);
/* write @s to file @out, or standard output when @out is NULL */
int cli_emit(const char *s, const char *out);

int cmd_benchmark(int argc, char **argv);   /* cmd_report.c */
int cmd_report(int argc, char **argv);

int cmd_mc(int argc, char **argv);          /* cmd_analysis.c */
int cmd_sweep(int argc, char **argv);
int cmd_sensitivity(int argc, char **argv);
int cmd_macc(int argc, char **argv);
int cmd_pareto(int argc, char **argv);

int cmd_audit(int argc, char **argv);       /* cmd_audit.c */

/* Commands defined in other files: add `{"name", fn},` here. */
#define TR_CLI_EXTRA_COMMANDS                                                                              \
    {"benchmark", cmd_benchmark}, {"report", cmd_report}, {"mc", cmd_mc}, {"sweep", cmd_sweep},            \
        {"sensitivity", cmd_sensitivity}, {"macc", cmd_macc}, {"pareto", cmd_pareto},                      \
        {"audit", cmd_audit},

#endif
