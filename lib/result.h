/* The result handle (extract.c fills it, write.c prints it). No GLPK types. */
#ifndef TRI_RESULT_H
#define TRI_RESULT_H
#include "tr_internal.h"

typedef enum { TRI_SER_INDICATOR, TRI_SER_ADOPTION, TRI_SER_EQUIPPED, TRI_SER_POLICY } tri_ser_kind;

typedef struct tri_series {
    char *name, *unit, *label;   /* label: IAMC variable name ("Final Energy|Electricity") */
    tri_ser_kind kind;
    char *item;                  /* technology or policy id */
    char *field;                 /* policy: binding, shadow_price, value, limit */
    double *v;                   /* [Y]; NaN = not applicable */
} tri_series;

typedef struct tri_diag {
    char *policy, *indicator, *unit, *message;
    int year;
    double reachable, limit;
} tri_diag;

typedef struct tri_polinfo {
    char *id, *type, *unit, *indicator;
    int illustrative;      /* `illustrative: true`: a target with no public source (provenance.c) */
} tri_polinfo;

struct tr_result {
    tr_sol_status status;
    double npv;
    char *scenario, *sha, *currency, *region, *method, *solver_message;
    int presolve;
    double tol_primal, tol_dual;
    int start;
    size_t Y;
    tri_series *ser;
    size_t ns, scap;
    char **tname, **tunit;
    double *tval;
    size_t nt, tcap;
    tri_diag *diag;
    size_t nd;
    tri_polinfo *pol;
    size_t np;
    size_t P, K;
    double *eq, *inst;           /* [(p*K+k)*Y+t]; NULL unless optimal */
    double *xp;                  /* [p*Y+t] production per plant; NULL unless optimal */
};

char *tri_fmt_num(double v, char *buf, size_t n);
void tri_csv_field(tri_buf *b, const char *s);   /* write.c */

#endif
