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
    char *iunit;                 /* IAMC unit when it differs (NULL: unit), the values times iscale: energy
                                  * in GJ so that the children of Final Energy add up to it */
    double iscale;
} tri_series;

typedef struct tri_diag {
    char *policy, *indicator, *unit, *message;
    int year;
    double reachable, limit;
} tri_diag;

typedef struct tri_polinfo {
    char *id, *type, *unit, *indicator;
    int illustrative;      /* `illustrative: true`: a target with no public source (provenance.c) */
    int ref_year;          /* a relative target's `relative_to:` year (0: an absolute limit) */
    double ref;            /* and its reference value, in the policy's unit */
} tri_polinfo;

struct tr_result {
    tr_sol_status status;
    double npv;
    double rcost;                /* resource cost (tr_result_resource_cost); NaN unless optimal */
    char *scenario, *sha, *currency, *region, *method, *solver_message;
    int presolve;
    double tol_primal, tol_dual;
    int foresight, foresight_step, windows;   /* myopic foresight (0: perfect) and the windows solved */
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
    /* per-plant series (tr_result_plant_series): production, capacity,
     * energy per carrier, energy.total, emissions per species */
    size_t C, S, PS;             /* carriers, species, series per plant */
    char **psname;               /* [PS] their names */
    double *ps;                  /* [(p*PS+i)*Y+t]; NULL unless optimal */
    struct tri_winres *iw;       /* investment windows and their lock-in, §13 (windows.c); NULL: none */
};

/* indices of the per-plant series */
enum { TRI_PS_PRODUCTION = 0, TRI_PS_CAPACITY = 1, TRI_PS_ENERGY = 2 /* + carrier; then total, emissions */ };

/* §7 for one plant (extract.c): E[c] = int0[c]*x + sum_k d[k,p,c]*u[p,t]*a[k]
 * over the technologies that apply, a[k] at @a[k*@stride]; E has C entries */
void tri_plant_energy(const tri_scen *s, size_t p, size_t t, double x, const double *a, size_t stride, double *E);

char *tri_fmt_num(double v, char *buf, size_t n);
void tri_csv_field(tri_buf *b, const char *s);   /* write.c */
/* The outputs' JSON (write.c): @j (taken; NULL counts as out of memory)
 * with a one-space indent and 15 significant digits, and a newline, onto
 * @b; 0 when out of memory. */
struct json_t;
int tri_buf_put_json(tri_buf *b, struct json_t *j);
/* The first checks of every tr_*_write_string (write.c): TR_E_INVAL unless
 * @out (then *@out = NULL) and @obj are given; @fn and @what name them. */
tr_status tri_write_args(const void *obj, char **out, const char *fn, const char *what);

#endif
