/* Helpers shared by the Check suites. */
#ifndef TR_FIXTURES_H
#define TR_FIXTURES_H
#include <stddef.h>
#include <techroad/techroad.h>
#include "tr_test_config.h"

/* Load YAML text (base dir = tests/data); fails the test on error. */
tr_scenario *fx_load_text(const char *yaml);
/* Load a file; path relative to the repository's scenarios/ or absolute. */
tr_scenario *fx_load_file(const char *path);
/* Solve with default options; fails the test unless the call returns TR_OK. */
tr_result *fx_solve(const tr_scenario *sc);
/* Value of series @name in year index @t (NaN when absent). */
double fx_series(const tr_result *r, const char *name, size_t t);
/* Value of total @name (NaN when absent). */
double fx_total(const tr_result *r, const char *name);
/* Load text expecting failure: returns the status, copies the message. */
tr_status fx_load_error(const char *yaml, char *msg, size_t n);
/* Join a NULL-terminated list of YAML lines with newlines (static buffer). */
const char *fx_yaml(const char *first, ...);
/* A steel sector of one closable plant and two identical candidate plants
 * (no max_capacity: unbounded own polyhedra), imports, a CO2 cap; @name and
 * the demand mapping @demand vary. Loaded; fails the test on error. */
tr_scenario *fx_two_candidates(const char *name, const char *demand);
/* A synthetic sector of @plants plants drawn with @seed
 * (tests/bench/gen_synthetic) in a new file under /tmp; its path into
 * @path (at least 32 bytes). The caller removes it. */
void fx_synthetic(int plants, int seed, char *path, size_t n);
/* All scenario files under scenarios/ (recursive), NULL-terminated, static. */
const char *const *fx_all_scenarios(void);

#endif
