/* Relative targets (reltarget.c, docs/MODEL.md "Relative targets"). */
#ifndef TRI_RELTARGET_H
#define TRI_RELTARGET_H
#include "tr_internal.h"

/* The reference value of policy @po (a cap, intensity cap, floor or
 * standard) in year index @t at the point of no decisions; for intensities
 * per unit of the denominator, whose value goes to @den (1 for absolute
 * policies). NaN when @den <= 0 or on out of memory (then @den > 0). */
double tri_reltarget_reference(const tri_scen *s, const tri_policy *po, size_t t, double *den);
/* po->ref from po->ref_year, and po->val = (1 - po->red) * po->ref; a
 * reference that is not positive is bad input at @where (@path). */
tr_status tri_reltarget_apply(tri_scen *s, tri_policy *po, const tri_node *where, const char *path);

#endif
