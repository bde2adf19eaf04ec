/* formula: MODEL.md's formulas that more than one stage computes, each
 * once (build.c writes them into the LP, extract.c recomputes results). */
#ifndef TRI_FORMULA_H
#define TRI_FORMULA_H
#include "tr_internal.h"
#endif
