/* Scalars and series of the document tree (series.c). */
#ifndef TRI_SERIES_H
#define TRI_SERIES_H
#include "tr_internal.h"

int tri_is_null(const tri_node *n);
tr_status tri_num(const tri_node *n, const char *path, double *out);
/* without a message: a number tri_num() takes; a number or a series
 * {year: number, interp: ...}; a number or a map whose every leaf (but
 * `interp`) is a number (what an analysis's `scale` multiplies) */
int tri_is_number(const tri_node *n);
int tri_is_series(const tri_node *n);
int tri_is_numbers(const tri_node *n);
/* "\"text\"" (or "a map", "a list"): what a path that is none of these
 * holds, for the message; NULL on OOM; tri_free() it */
char *tri_target_why(const tri_node *n);
/* an integer in [@lo, @hi]; else "expected @what from LO to HI, got ..."
 * (@what: "a year", "an integer") */
tr_status tri_int(const tri_node *n, const char *path, long lo, long hi, const char *what, long *out);

#endif
