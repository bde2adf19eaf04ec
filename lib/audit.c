/* audit: the evidence tables of a scenario (tr_scenario_audit): per file
 * how many numbers are sourced, assumptions, free text or neither, and
 * every number with what covers it (provenance.c finds them). */
#include <math.h>
#include <string.h>

#include "analysis.h"
#include "provenance.h"

static tr_table *numbers_table(const tri_evlist *l)
{
    static const char *const cols[] = {"file", "line", "column", "path", "value", "evidence", "keys",
                                       "assumption", "range_low", "range_high", "searched"};
    static const int text[] = {1, 0, 0, 1, 0, 1, 1, 1, 0, 0, 1};
    size_t nc = sizeof cols / sizeof *cols;
    tr_table *t = tri_tbl_new("numbers", nc);
    int ok = t != NULL;
    for (size_t c = 0; ok && c < nc; c++)
        ok = tri_tbl_col(t, c, cols[c], text[c]);
    for (size_t i = 0; ok && i < l->n; i++) {
        const tri_evnum *e = &l->num[i];
        long r = tri_tbl_row(t);
        ok = r >= 0 && tri_tbl_txt(t, r, 0, e->file ? e->file : "") && tri_tbl_txt(t, r, 3, e->path) &&
             tri_tbl_txt(t, r, 5, tri_ev_kind_name(e->kind)) && tri_tbl_txt(t, r, 6, e->keys) &&
             tri_tbl_txt(t, r, 7, e->assumption) && tri_tbl_txt(t, r, 10, e->searched);
        if (ok) {
            tri_tbl_num(t, r, 1, e->line);
            tri_tbl_num(t, r, 2, e->col);
            tri_tbl_num(t, r, 4, e->value);
            tri_tbl_num(t, r, 8, e->lo);
            tri_tbl_num(t, r, 9, e->hi);
        }
    }
    if (!ok) {
        tri_tbl_free(t);
        return NULL;
    }
    return t;
}

static tr_table *evidence_table(const tri_evlist *l)
{
    static const char *const cols[] = {"file", "numbers", "sourced", "assumption", "free_text", "neither"};
    tr_table *t = tri_tbl_new("evidence", 6);
    const char **files = tri_calloc(l->n + 1, sizeof *files);
    double *cnt = tri_calloc((l->n + 2) * 5, sizeof *cnt);
    int ok = t && files && cnt;
    for (size_t c = 0; ok && c < 6; c++)
        ok = tri_tbl_col(t, c, cols[c], c == 0);
    size_t nf = 0;
    for (size_t i = 0; ok && i < l->n; i++) {
        const char *f = l->num[i].file ? l->num[i].file : "";
        size_t k = 0;
        while (k < nf && strcmp(files[k], f) != 0)   /* a scenario has a handful of files */
            k++;
        if (k == nf)
            files[nf++] = f;
        cnt[k * 5] += 1;
        cnt[k * 5 + 1 + l->num[i].kind] += 1;
        cnt[(l->n + 1) * 5] += 1;
        cnt[(l->n + 1) * 5 + 1 + l->num[i].kind] += 1;
    }
    for (size_t k = 0; ok && k <= nf; k++) {
        size_t at = k < nf ? k : l->n + 1;
        long r = tri_tbl_row(t);
        ok = r >= 0 && tri_tbl_txt(t, r, 0, k < nf ? files[k] : "total");
        for (size_t c = 0; ok && c < 5; c++)
            tri_tbl_num(t, r, c + 1, cnt[at * 5 + c]);
    }
    tri_free(files);
    tri_free(cnt);
    if (!ok) {
        tri_tbl_free(t);
        return NULL;
    }
    return t;
}

tr_status tr_scenario_audit(const tr_scenario *sc, tr_analysis **out)
{
    if (!out)
        return TR_FAIL(TR_E_INVAL, "tr_scenario_audit: out is NULL");
    *out = NULL;
    if (!sc)
        return TR_FAIL(TR_E_INVAL, "tr_scenario_audit: scenario is NULL");
    tri_evlist l;
    tr_status st = tri_prov_collect(sc->doc, &l);
    if (st != TR_OK)
        return st;
    tr_analysis *a = tri_calloc(1, sizeof *a);
    int ok = a && tri_an_add(a, evidence_table(&l)) && tri_an_add(a, numbers_table(&l));
    tri_evlist_free(&l);
    if (!ok) {
        tr_analysis_free(a);
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    }
    *out = a;
    return TR_OK;
}
