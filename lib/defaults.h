/* Defaults of fields left out of a scenario file (defaults.c). */
#ifndef TRI_DEFAULTS_H
#define TRI_DEFAULTS_H
#include "tr_internal.h"

/* The compiled value of the field at dotted @path in @year when the file
 * leaves it out (technologies' hurdle_rate, applicability, max_uptake,
 * fixed_om, variable_om, available_from, existing.<plant>; plants'
 * intensity.<carrier>, process_emissions.<species>, other_cost, and a
 * closable plant's min_operating and closure_cost; carriers'
 * emission_factors.<species>; species' damage_cost). TR_E_NOTFOUND (no
 * message) for any other path. */
tr_status tri_default_value(const tri_scen *s, const char *path, int year, double *out);

#endif
