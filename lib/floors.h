/* Technical floors (MODEL.md §13, first part): a plant's intensity of a
 * carrier (or process emissions of a species) cannot fall below floor*x. */
#ifndef TRI_FLOORS_H
#define TRI_FLOORS_H
#include "model.h"

typedef struct tri_floors {
    size_t n;              /* (plant, carrier or species) pairs with a floor */
    double *v;             /* [P*(C+S)*Y]: floor per unit produced, NaN = none;
                            * index (p*(C+S) + i)*Y + t, i < C a carrier, else species i-C */
} tri_floors;

/* compile.c hook: `floors:` at the top level and on plants -> s->fl */
tr_status tri_floors_compile(const tri_node *doc, tri_scen *s);
void tri_floors_free(tri_floors *f);
/* floor of plant p, carrier or species i (i >= C: species i-C) in year index t; NaN when none */
double tri_floor_at(const tri_scen *s, size_t p, size_t i, size_t t);

/* build.c hook: the rows int0*x + sum_k d*u*a >= floor*x, written as
 *   sum_k d*u*a + (int0 - floor)*coef*col >= (floor - int0)*x0
 * (x = x0 + coef*col, tri_x_part). @emit finishes each row with its lower
 * bound (returns 0 on out of memory, which stops the loop). Rows where no
 * technology lowers the intensity always hold and are left out. */
typedef int (*tri_floor_emit)(void *ctx, tri_rowacc *acc, size_t p, const char *what, int year, double lb);
void tri_floor_rows(const tr_model *m, tri_rowacc *acc, tri_floor_emit emit, void *ctx);

#endif
