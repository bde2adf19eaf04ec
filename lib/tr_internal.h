/* Private declarations shared by the library's stages. Never installed. */
#ifndef TRI_INTERNAL_H
#define TRI_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include "techroad/techroad.h"

/* ------------------------------------------------------------ errors */

tr_status tri_err_set(tr_status code, const char *func, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
#define TR_FAIL(code, ...) tri_err_set((code), __func__, __VA_ARGS__)
/* A failure at a place in the input that is not a document node (a CSV
 * header, a YAML syntax error, a file that cannot be read): the message
 * "file:line:col: field: what" with unknown parts (NULL, 0) left out, and
 * the same parts recorded for tr_last_error_location(). */
tr_status tri_fail_at(tr_status code, const char *file, int line, int col, const char *field,
                      const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;
void tri_log(int level, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
int tri_log_enabled(void);

/* The longest horizon a scenario may have, in years (compile.c checks it;
 * fixed-size per-year arrays elsewhere rely on it). */
#define TRI_MAX_YEARS 1000

/* CPUs online, 1..TR_MAX_THREADS: the default number of worker threads (util.c) */
int tri_ncores(void);

/* ------------------------------------------------------------ files (fileio.c) */
/* mkdir -p @dir; the message names the folder that could not be made and why */
tr_status tri_mkdirs(const char *dir);
/* mkdir -p the folder of the file @path */
tr_status tri_mkparents(const char *path);
/* Write @len bytes to @path whole or not at all: parents created, written to a
 * temporary file in the same folder and renamed into place when complete. */
tr_status tri_write_file(const char *path, const char *data, size_t len);

/* ------------------------------------------------------------ memory */
/* All allocations of the library go through these, so that a test can make
 * the n-th one fail (tri_set_alloc_fail_after) and check every error path. */
void *tri_malloc(size_t n);
void *tri_calloc(size_t n, size_t size);
void *tri_realloc(void *p, size_t n);
char *tri_strdup(const char *s);
char *tri_strndup(const char *s, size_t n);
void tri_free(void *p);
/* free the @n strings of @v and @v itself (a NULL @v: nothing) */
void tri_free_strv(char **v, size_t n);
TR_API void tri_set_alloc_fail_after(long n);   /* -1 disables; test hook */
char *tri_asprintf(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* growable byte buffer */
typedef struct tri_buf {
    char *s;
    size_t len, cap;
    int failed;        /* an append ran out of memory */
} tri_buf;
void tri_buf_put(tri_buf *b, const char *s, size_t n);
void tri_buf_puts(tri_buf *b, const char *s);
void tri_buf_printf(tri_buf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
char *tri_buf_take(tri_buf *b);   /* NUL-terminated; NULL if failed */

/* set of strings (not owned), for duplicate checks in large maps and tables */
typedef struct tri_hset {
    const char **slot;
    size_t n, cap;
} tri_hset;
/* 1: added, 0: already there, -1: out of memory */
int tri_hset_add(tri_hset *h, const char *s);
void tri_hset_free(tri_hset *h);

/* ------------------------------------------------------------ document tree */

typedef enum { TRI_SCALAR, TRI_MAP, TRI_SEQ } tri_kind;

typedef struct tri_node tri_node;
struct tri_node {
    tri_kind kind;
    const char *file;      /* interned in a tri_pool; never freed per node */
    int line, col;         /* 1-based; 0 when unknown */
    char *str;             /* TRI_SCALAR */
    int plain;             /* scalar was unquoted (may be null/bool/number) */
    size_t n, cap;         /* MAP: pairs; SEQ: items */
    tri_node **keys;       /* MAP: scalar key nodes */
    tri_node **vals;       /* MAP values / SEQ items */
};

/* String pool for file names that nodes point at; outlives the trees. */
typedef struct tri_pool {
    char **s;
    size_t n, cap;
} tri_pool;
const char *tri_pool_add(tri_pool *p, const char *s);
void tri_pool_free(tri_pool *p);
tr_status tri_pool_copy(const tri_pool *src, tri_pool *dst);

tri_node *tri_node_new(tri_kind kind, const char *file, int line, int col);
void tri_node_free(tri_node *n);
tri_node *tri_node_copy(const tri_node *n);          /* NULL on OOM */
tri_node *tri_node_copy_into(const tri_node *n, tri_pool *pool);  /* re-interns file names */
tr_status tri_map_put(tri_node *map, tri_node *key, tri_node *val);  /* takes both */
tr_status tri_seq_push(tri_node *seq, tri_node *val);
tri_node *tri_map_get(const tri_node *map, const char *key);
/* one segment of a dotted path: the value at key @seg of a map, the item at
 * index @seg (a whole number) of a list; NULL when there is none (and for a
 * scalar) */
tri_node *tri_node_step(const tri_node *n, const char *seg);
long tri_map_index(const tri_node *map, const char *key);
void tri_map_remove_at(tri_node *map, size_t i);
/* put @val (taken) in place of value @i of @map (or list), freeing the old one */
void tri_map_set_at(tri_node *map, size_t i, tri_node *val);
const char *tri_kind_name(const tri_node *n);

/* parse.c: TR_OK when @text is UTF-8 without NUL bytes (a leading
 * byte-order mark allowed), else TR_E_PARSE naming @file:line:column and the
 * byte offset. */
tr_status tri_check_text(const char *text, size_t len, const char *file);
/* parse.c: 3 when @text starts with a UTF-8 byte-order mark, else 0 */
size_t tri_bom_len(const char *text, size_t len);
/* parse.c: YAML text -> tree. @file is interned in @pool. */
tr_status tri_parse_yaml(const char *text, size_t len, const char *file,
                         tri_pool *pool, tri_node **out);
/* csvload.c: CSV file -> map {row id: map of fields} */
tr_status tri_load_csv(const char *path, const char *display, const char *field, tri_pool *pool,
                       const tri_node *where, tri_node **out);
/* parse.c (beside the parser, so that yaml.h stays in one file): tree -> canonical YAML text */
tr_status tri_emit_yaml(const tri_node *n, char **out);
/* resolve.c: read a file, follow `extends`, inline CSV tables. */
tr_status tri_resolve_file(const char *path, tri_pool *pool, tri_node **out);
tr_status tri_resolve_text(const char *text, const char *base_dir, const char *label,
                           tri_pool *pool, tri_node **out);
char *tri_read_file(const char *path, const char *display, size_t *len, tr_status *st);
/* A failure at node @n: the message "file:line:col: path: what" (parts
 * that are unknown left out), and the same parts recorded for
 * tr_last_error_location(). */
tr_status tri_node_fail(tr_status code, const tri_node *n, const char *path,
                        const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
char *tri_scalar_repr(const tri_node *n);  /* "\"twenty\"" or "a map" */
/* tri_node_fail with the house's ending: the message @fmt, then ", got "
 * and the value of @n as written (tri_scalar_repr) */
tr_status tri_node_fail_got(tr_status code, const tri_node *n, const char *path, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* ------------------------------------------------------------ compiled scenario */

typedef enum {
    TRI_IND_PRODUCTION = 0,   /* idx = product, or TRI_ALL */
    TRI_IND_INVESTMENT,
    TRI_IND_ENERGY,        /* idx = carrier */
    TRI_IND_ENERGY_TOTAL,
    TRI_IND_EMISSIONS,     /* idx = species */
    TRI_IND_SUBSIDY,       /* public subsidy spending (budget `on: subsidy`) */
    TRI_IND_IMPORTS,       /* idx = product (§12) */
    TRI_IND_CUSTOM         /* idx = declared indicator (§12) */
} tri_ind_kind;

#define TRI_ALL ((size_t)-1)

typedef struct tri_indicator {
    tri_ind_kind kind;
    size_t idx;
} tri_indicator;

typedef enum {
    TRI_POL_PRICE = 0, TRI_POL_CAP, TRI_POL_INTENSITY_CAP, TRI_POL_FLOOR,
    TRI_POL_STANDARD, TRI_POL_MANDATE, TRI_POL_SUBSIDY, TRI_POL_BUDGET, TRI_POL_BAN,
    TRI_POL__COUNT
} tri_pol_type;
/* The `type:` name of a policy type, e.g. "intensity_cap" (compile.c's table). Static. */
const char *tri_policy_type_name(tri_pol_type t);

typedef struct tri_carrier {
    char *id, *name, *unit;
    char *iamc;            /* `iamc:` variable name given in the file, or NULL (extract.c names it) */
    int material;          /* `kind: material`: reported as material.<id>, never as energy */
    int has_ec;
    double ec;             /* energy_content, GJ per unit */
    double *price;         /* [Y] */
    double *ef;            /* [S*Y]: ef[s*Y+t] */
} tri_carrier;

typedef struct tri_species {
    char *id, *name, *unit;
    char *iamc;            /* `iamc:` variable name, or NULL */
    double *dmg;           /* [Y] */
} tri_species;

typedef struct tri_plant {
    char *id, *name;
    double *cap, *prod;    /* [Y]; for candidates: 0 (capacity is a variable) */
    double *u;             /* [Y] utilisation (0 when cap = 0; `utilisation` for candidates) */
    double *int0;          /* [C] */
    double *pe0;           /* [S] */
    size_t product;
    double *other;         /* [Y] other production cost per t (§12) */
    double *ind;           /* [I] custom indicator per t (§12) */
    /* closable (§12) */
    int closable, reopenable;
    double *min_op, *cc;   /* [Y] */
    /* candidate (§12) */
    int candidate;
    double *bcapex, *bfom; /* [Y] */
    int blife, bfrom;
    double bh, bmaxcap, bmaxbuild, butil;
} tri_plant;

typedef struct tri_tech {
    char *id, *name;
    long group;            /* -1: none */
    unsigned char *applies;/* [P] */
    double appl;
    double *d;             /* [P*C] */
    double *dpe;           /* [P*S] */
    double *capex, *fom, *vom;  /* [Y] */
    int life;
    double hurdle, rate;
    int from;
    double *e0;            /* [P] */
    int ban_from;          /* first banned year, or INT_MAX */
    double *sub;           /* [Y] subsidy share (sum of subsidy policies) */
    double *ind;           /* [I] custom indicator change per t produced with it */
} tri_tech;

typedef struct tri_policy {
    char *id;
    tri_pol_type type;
    tri_indicator ind;
    double *val;           /* [Y] limit / share / value */
    unsigned char *active; /* [Y] */
    unsigned char *plants; /* [P] standard / mandate per plant scope */
    unsigned char *techs;  /* [K] subsidy / ban targets */
    long tech, group;      /* mandate target (-1 when unused) */
    int per_plant;
    tri_indicator per;     /* intensity_cap denominator (default production) */
    long product;          /* intensity_cap restricted to a product's plants, or -1 */
    int ref_year;          /* `relative_to:` year of a relative target (reltarget.c), 0: absolute limit */
    double ref;            /* its reference value (indicator, or per unit for intensities) */
    double *red;           /* [Y] its `reduction:` series, NULL for an absolute limit */
} tri_policy;

typedef struct tri_product {
    char *id, *name, *unit;
    char *iamc;            /* `iamc:` variable name of its production, or NULL */
    int has_demand, has_imports;
    double *demand, *imp_price, *imp_max;   /* [Y]; imp_max HUGE_VAL = no limit */
} tri_product;

/* `uncertainty:` extension (analyses) */
typedef enum { TRI_D_UNIFORM, TRI_D_NORMAL, TRI_D_LOGNORMAL, TRI_D_TRIANGULAR, TRI_D_BETA, TRI_D_EMPIRICAL } tri_dist;

typedef struct tri_param {
    char *id, *path;
    int scale;             /* 1: multiply the value(s) at path; 0: replace by a constant */
    tri_dist dist;
    double a, b, c, lo, hi; /* uniform a,b; normal a=mean b=sd; lognormal a=mu b=sigma;
                               triangular a=low b=mode c=high; beta a,b on [lo,hi] */
    double *emp;           /* empirical values, sorted */
    size_t nemp;
} tri_param;

typedef struct tri_custom {
    char *id, *name, *unit;
    int lower_better;      /* `better: lower` (default: higher, e.g. jobs, income) */
} tri_custom;

typedef struct tri_scen {
    int refs;              /* shared by a scenario and its models; atomic updates */
    char *name, *description, *currency, *region, *product_name, *product_unit;
    int start, end;
    size_t Y, C, S, P, K, G, N;  /* years, carriers, species, plants, techs, groups, policies */
    size_t R, I;           /* products, custom indicators (§12) */
    int ext;               /* any §12 feature used: extra outputs are written only then */
    int multi_product;     /* `products:` form */
    tri_product *prod;
    tri_custom *cind;
    /* uncertainty extension */
    size_t NU;
    tri_param *unc;
    double *ucorr;         /* [NU*NU] correlation, identity when not given */
    size_t usamples;
    unsigned long useed;
    int ulhs;
    /* benchmarking extension (issue: benchmarking against best practice) */
    int has_bench;
    double *bp;            /* [C] best-practice intensity per unit of product */
    double *pf;            /* [C] primary energy, GJ per unit of carrier */
    double r;
    int social;
    double *df;            /* [Y] */
    double *tax;           /* [S*Y] emission price from price policies */
    tri_carrier *car;
    tri_species *spe;
    tri_plant *pl;
    tri_tech *tech;
    char **group;
    tri_policy *pol;
    struct tri_prov *prov;     /* provenance (provenance.c) */
    struct tri_floors *fl;     /* technical floors, §13 (floors.c); NULL: none */
    struct tri_windows *iw;    /* investment windows, §13 (windows.c); NULL: none */
} tri_scen;

tr_status tri_compile(const tri_node *doc, tri_scen **out);
double tri_param_quantile(const tri_param *p, double u);
void tri_scen_free(tri_scen *s);       /* drops one reference */
tri_scen *tri_scen_ref(tri_scen *s);
double tri_crf(double h, int life);
const char *tri_indicator_name(const tri_scen *s, tri_indicator ind, char *buf, size_t n);
const char *tri_indicator_unit(const tri_scen *s, tri_indicator ind, char *buf, size_t n);

/* series.c */
tr_status tri_series_eval(const tri_node *n, const char *path, int start, int end,
                          double *out, int *first_year);

/* hash */
void tri_sha256_hex(const char *data, size_t len, char out[65]);

/* scenario handle */
struct tr_scenario {
    tri_pool pool;
    tri_node *doc;         /* effective document */
    tri_scen *scen;        /* compiled */
    char *path;
    char sha[65];
};

#endif
