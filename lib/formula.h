/* formula: MODEL.md's formulas that more than one stage needs, each written
 * once. build.c puts them into the LP (as linear forms in the columns),
 * extract.c evaluates them at the solution: both call these. */
#ifndef TRI_FORMULA_H
#define TRI_FORMULA_H
#include "model.h"

/* §7: the price of one unit of species @si emitted in year @t:
 * tax[s,y] + W*dmg[s,y], W = 1 under `objective: social`, else 0 */
double tri_emission_price(const tri_scen *s, size_t si, size_t t);

/* §12: the effective capacity of plant @p in year @t as a linear form in
 * its columns, konst + o * o[p,y] + C * C[p,y]: cap[p,y] for a fixed
 * plant, cap[p,y] * o[p,y] for a closable one, C[p,y] for a candidate */
typedef struct tri_capform {
    double konst, o, C;
} tri_capform;
tri_capform tri_eff_capacity(const tri_scen *s, size_t p, size_t t);
/* its value at a solution @x (1-based columns, as the LP's) */
double tri_eff_capacity_at(const tr_model *m, size_t p, size_t t, const double *x);

/* §13 mandate: does technology @k count towards mandate @po (its
 * technology, or a member of its group) */
int tri_mandate_counts(const tri_scen *s, const tri_policy *po, size_t k);
/* the mandate base of plant @p: the best applicability among the counting
 * technologies on the plant (0: none applies); the base is that times the
 * plant's effective capacity, B = sum_p best_p * cap_eff[p,y] */
double tri_mandate_best(const tr_model *m, const tri_policy *po, size_t p);
/* best_p * cap_eff[p,y] at a solution @x */
double tri_mandate_base_at(const tr_model *m, const tri_policy *po, size_t p, size_t t, const double *x);

#endif
