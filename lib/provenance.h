/* Machine-readable provenance (issue 14, docs/MODEL.md "Provenance"):
 * references files, `source:`/`sources:` on items, assumptions with their
 * ranges, `illustrative:` policies, and the per-number evidence listing. */
#ifndef TRI_PROVENANCE_H
#define TRI_PROVENANCE_H
#include "tr_internal.h"

/* one citation of a references file */
typedef struct tri_ref {
    char *key, *title, *address, *figure;
} tri_ref;

/* what the compiled scenario keeps */
typedef struct tri_prov {
    int declared;          /* `references:` given (then every source string must be a key or an assumption) */
    size_t nref;
    tri_ref *ref;
    unsigned char *illus;  /* [N] policy marked `illustrative: true` */
} tri_prov;

typedef enum { TRI_EV_SOURCED = 0, TRI_EV_ASSUMPTION, TRI_EV_FREE, TRI_EV_NEITHER, TRI_EV__COUNT } tri_ev_kind;

/* one number of the document and what covers it */
typedef struct tri_evnum {
    const char *file;      /* interned in the scenario's pool */
    int line, col;
    char *path;            /* field path, e.g. carriers.electricity.price.2020 */
    double value;
    tri_ev_kind kind;
    const char *keys;      /* citation keys joined by "; " (pointer into the listing's strings), or "" */
    const char *assumption;/* assumption text(s) joined by "; ", or "" (free text for TRI_EV_FREE) */
    const char *searched;  /* the assumptions' `searched:` texts joined by "; ", or "" */
    double lo, hi;         /* range multipliers of an assumption (NaN otherwise) */
} tri_evnum;

typedef struct tri_evlist {
    size_t n, cap;
    tri_evnum *num;
    char **str;            /* owned strings the entries point at */
    size_t nstr, capstr;
} tri_evlist;

/* resolve.c hooks: load the files named by `references:` of @root (paths
 * relative to @dir, shown relative to @ddir) into a map {key: entry};
 * concatenate the references of @over into @base before an extends merge. */
tr_status tri_refs_load(tri_node *root, const char *dir, const char *ddir, tri_pool *pool);
tr_status tri_refs_merge(tri_node *base, tri_node *over);

/* compile.c hook: check every source/sources/illustrative/references of
 * @doc and fill s->prov. */
tr_status tri_prov_compile(const tri_node *doc, tri_scen *s);
void tri_prov_free(tri_prov *p);
int tri_prov_illustrative(const tri_scen *s, size_t policy);

/* every number of @doc with its coverage (@doc compiled without error) */
tr_status tri_prov_collect(const tri_node *doc, tri_evlist *out);
void tri_evlist_free(tri_evlist *l);
const char *tri_ev_kind_name(tri_ev_kind k);

#endif
