/* Scalars and series of the document tree (series.c). */
#ifndef TRI_SERIES_H
#define TRI_SERIES_H
#include "tr_internal.h"

int tri_is_null(const tri_node *n);
tr_status tri_num(const tri_node *n, const char *path, double *out);
tr_status tri_int(const tri_node *n, const char *path, long lo, long hi, const char *what, long *out);

#endif
