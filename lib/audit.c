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
    tr_table *t = tri_tbl_new_cols("numbers", nc, cols, text);
    int ok = t != NULL;
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
    return tri_tbl_done(t, ok);
}

static tr_table *evidence_table(const tri_evlist *l)
{
    static const char *const cols[] = {"file", "numbers", "sourced", "assumption", "free_text", "neither"};
    static const int text[] = {1, 0, 0, 0, 0, 0};
    tr_table *t = tri_tbl_new_cols("evidence", 6, cols, text);
    const char **files = tri_calloc(l->n + 1, sizeof *files);
    double *cnt = tri_calloc((l->n + 2) * 5, sizeof *cnt);
    int ok = t && files && cnt;
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
    return tri_tbl_done(t, ok);
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

/* ------------------------------------------------------------ the influence ranking
 *
 * Every number an assumption covers is varied over its range, one
 * assumption-covered field at a time: the numbers of one field path (a
 * series' years, a scalar) covered by the same assumption form one group,
 * scaled together by the low and then the high multiplier (docs/MODEL.md
 * "Influence ranking"). Runs go through the analyses' pool (pool.c):
 * each run edits a copy of the document, compiles it, updates a fresh
 * model of the base scenario and warm-starts from the base basis. */

typedef struct agroup {
    char *field;            /* field path (a series' year stripped) */
    size_t first;           /* its first number in the listing */
    size_t *num;            /* the listing's numbers of the group */
    size_t nn;
    double lo, hi;          /* multipliers (scale) or values (replace) */
    int replace;            /* an uncertainty parameter in replace mode: lo, hi are values */
    const char *from;       /* "assumption" or the uncertainty parameter's id */
    long run;               /* its first run (low; high is run + 1), -1: not solved (no effect) */
    const char *note;       /* why not solved, or NULL */
} agroup;

typedef struct aplan {
    const tri_evlist *l;
    agroup *g;
    size_t ng;
    long *grun;             /* run -> group (run 0 is the base) */
} aplan;

/* the node at @path of @doc (maps and lists), *@in_list when a list was crossed */
static const tri_node *node_at(const tri_node *doc, const char *path, const tri_node **parent, int *in_list)
{
    char buf[1200];
    snprintf(buf, sizeof buf, "%s", path);
    const tri_node *cur = doc;
    *parent = NULL;
    *in_list = 0;
    for (char *seg = buf; cur && seg;) {
        char *dot = strchr(seg, '.');
        if (dot)
            *dot = '\0';
        *parent = cur;
        if (cur->kind == TRI_SEQ)
            *in_list = 1;
        cur = tri_node_step(cur, seg);
        seg = dot ? dot + 1 : NULL;
    }
    return cur;
}

/* the field path of a number: a year key of a series map dropped */
static char *field_of(const tri_node *doc, const char *path)
{
    const tri_node *parent;
    int in_list;
    node_at(doc, path, &parent, &in_list);
    const char *dot = strrchr(path, '.');
    if (dot && parent && parent->kind == TRI_MAP && dot[1] && strspn(dot + 1, "0123456789") == strlen(dot + 1))
        return tri_strndup(path, (size_t)(dot - path));
    return tri_strdup(path);
}

static int under_path(const char *path, const char *prefix)
{
    size_t l = strlen(prefix);
    return strncmp(path, prefix, l) == 0 && (path[l] == '\0' || path[l] == '.');
}

/* the uncertainty parameter for @field (its path or an ancestor's; the most
 * specific wins), or NULL */
static const tri_param *unc_for(const tri_scen *s, const char *field)
{
    const tri_param *best = NULL;
    for (size_t k = 0; k < s->NU; k++) {
        const tri_param *u = &s->unc[k];
        if (!u->path || !under_path(field, u->path))
            continue;
        if (!u->scale && strcmp(field, u->path) != 0)
            continue;   /* a replaced value is the whole field */
        if (!best || strlen(u->path) > strlen(best->path))
            best = u;
    }
    return best;
}

static void aplan_free(aplan *pl)
{
    for (size_t i = 0; i < pl->ng; i++) {
        tri_free(pl->g[i].field);
        tri_free(pl->g[i].num);
    }
    tri_free(pl->g);
    tri_free(pl->grun);
    memset(pl, 0, sizeof *pl);
}

/* the groups of the listing @l; *@maxe: the most numbers in one group */
static tr_status make_groups(const tr_scenario *sc, const tri_evlist *l, aplan *pl, size_t *maxe)
{
    const tri_scen *s = sc->scen;
    memset(pl, 0, sizeof *pl);
    pl->l = l;
    pl->g = tri_calloc(l->n + 1, sizeof *pl->g);
    if (!pl->g)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    *maxe = 1;
    for (size_t i = 0; i < l->n; i++) {
        const tri_evnum *e = &l->num[i];
        /* the uncertainty section describes other numbers' distributions; no solve reads it */
        if (e->kind != TRI_EV_ASSUMPTION || !isfinite(e->lo) || !isfinite(e->hi) || under_path(e->path, "uncertainty"))
            continue;
        char *f = field_of(sc->doc, e->path);
        if (!f)
            return TR_FAIL(TR_E_NOMEM, "out of memory");
        size_t g = 0;
        for (; g < pl->ng; g++) {
            const agroup *h = &pl->g[g];
            const tri_evnum *he = &l->num[h->first];
            if (!strcmp(h->field, f) && he->assumption == e->assumption && he->lo == e->lo && he->hi == e->hi)
                break;
        }
        agroup *G;
        if (g < pl->ng) {
            G = &pl->g[g];
            tri_free(f);
        } else {
            G = &pl->g[pl->ng++];
            G->field = f;
            G->first = i;
            G->num = tri_calloc(8, sizeof *G->num);
            if (!G->num)
                return TR_FAIL(TR_E_NOMEM, "out of memory");
            G->lo = e->lo;
            G->hi = e->hi;
            G->from = "assumption";
            G->run = -1;
            const tri_param *u = unc_for(s, f);
            if (u) {
                /* the uncertainty section's distribution: its 5th and 95th
                 * percentiles, the tornado's points */
                G->lo = tri_param_quantile(u, 0.05);
                G->hi = tri_param_quantile(u, 0.95);
                G->replace = !u->scale;
                G->from = u->id;
            }
        }
        if (G->nn >= 8 && (G->nn & (G->nn - 1)) == 0) {
            size_t *nn = tri_realloc(G->num, 2 * G->nn * sizeof *nn);
            if (!nn)
                return TR_FAIL(TR_E_NOMEM, "out of memory");
            G->num = nn;
        }
        G->num[G->nn++] = i;
        if (G->nn > *maxe)
            *maxe = G->nn;
    }
    /* which groups need solves: none when the range is [1, 1] or every
     * number is 0 (a multiplier leaves them unchanged), or a list is crossed */
    pl->grun = tri_calloc(2 * pl->ng + 2, sizeof *pl->grun);
    if (!pl->grun)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    long nr = 1;
    pl->grun[0] = -1;
    for (size_t g = 0; g < pl->ng; g++) {
        agroup *G = &pl->g[g];
        int zero = 1, in_list = 0;
        for (size_t j = 0; j < G->nn; j++) {
            const tri_node *parent;
            int il;
            zero = zero && l->num[G->num[j]].value == 0;
            node_at(sc->doc, l->num[G->num[j]].path, &parent, &il);
            in_list = in_list || il;
        }
        const char *last = strrchr(G->field, '.');
        if (in_list)
            G->note = "inside a list: not varied";
        else if (under_path(G->field, "horizon") || (last && !strcmp(last, ".available_from")))
            G->note = "a year: not varied";   /* a multiplier of a year means nothing (1515 for 0.75) */
        else if (!G->replace && ((G->lo == 1 && G->hi == 1) || zero))
            G->note = NULL;   /* no effect by construction */
        else {
            G->run = nr;
            pl->grun[nr++] = (long)g;
            pl->grun[nr++] = (long)g;
        }
    }
    return TR_OK;
}

static size_t aplan_runs(const aplan *pl)
{
    size_t n = 1;
    for (size_t g = 0; g < pl->ng; g++)
        n += pl->g[g].run >= 0 ? 2 : 0;
    return n;
}

static void audit_edits(const tri_runs *p, size_t run, tri_edit *e, size_t *ne)
{
    const aplan *pl = p->user;
    *ne = 0;
    if (run == 0)
        return;   /* the base case */
    const agroup *G = &pl->g[pl->grun[run]];
    double v = (long)run == G->run ? G->lo : G->hi;
    if (G->replace) {
        e[0].path = G->field;
        e[0].scale = 0;
        e[0].v = v;
        *ne = 1;
        return;
    }
    for (size_t j = 0; j < G->nn; j++) {
        e[j].path = pl->l->num[G->num[j]].path;
        e[j].scale = 1;
        e[j].v = v;
    }
    *ne = G->nn;
}

/* the main species: CO2 if declared, else the first (as the report) */
static const char *main_species(const tri_scen *s)
{
    for (size_t i = 0; i < s->S; i++)
        if (!strcmp(s->spe[i].id, "CO2"))
            return s->spe[i].id;
    return s->S ? s->spe[0].id : NULL;
}

/* the three outputs of run @i into o[3] (NaN when not optimal) */
static void run_outputs(const tri_runs *p, size_t i, long ti[2], long si, double o[3])
{
    const tri_runres *r = &p->res[i];
    for (int k = 0; k < 3; k++)
        o[k] = NAN;
    if (r->status != TR_SOL_OPTIMAL || !r->tot)
        return;
    o[0] = ti[0] >= 0 ? r->tot[ti[0]] : NAN;
    o[1] = ti[1] >= 0 ? r->tot[ti[1]] : NAN;
    o[2] = si >= 0 && r->ser && p->Y ? r->ser[(size_t)si * p->Y + p->Y - 1] : NAN;
}

static const char *const RANK_NAMES[] = {"npv", "co2", "intensity"};

static char *run_note(const tri_runs *p, long run, const char *side)
{
    const tri_runres *r = &p->res[run];
    if (r->status == TR_SOL_OPTIMAL)
        return NULL;
    const char *why = r->status == TR_SOL_INFEASIBLE ? "infeasible" : r->why ? r->why : tri_run_status_name(r->status);
    return tri_asprintf("%s: %s", side, why);
}

static tr_table *ranking_table(const tr_scenario *sc, const aplan *pl, const tri_runs *p, int rank, size_t top,
                               const double base[3], long ti[2], long si)
{
    static const char *const cols[] = {"path", "value", "low", "high", "npv_low", "npv_high", "co2_low", "co2_high",
                                       "intensity_low", "intensity_high", "swing", "where", "range_low", "range_high",
                                       "range_from", "numbers", "assumption", "searched", "note"};
    static const int text[] = {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 1, 1, 1};
    size_t nc = sizeof cols / sizeof *cols, ng = pl->ng;
    (void)sc;
    tr_table *t = tri_tbl_new_cols("ranking", nc, cols, text);
    double *out = tri_calloc(6 * ng + 1, sizeof *out), *sw = tri_calloc(ng + 1, sizeof *sw);
    size_t *ord = tri_calloc(ng + 1, sizeof *ord);
    int ok = t && out && sw && ord;
    for (size_t g = 0; ok && g < ng; g++) {
        const agroup *G = &pl->g[g];
        double lo[3], hi[3];
        if (G->run >= 0) {
            run_outputs(p, (size_t)G->run, ti, si, lo);
            run_outputs(p, (size_t)G->run + 1, ti, si, hi);
        } else if (G->note) {
            for (int k = 0; k < 3; k++)
                lo[k] = hi[k] = NAN;
        } else {
            for (int k = 0; k < 3; k++)
                lo[k] = hi[k] = base[k];
        }
        for (int k = 0; k < 3; k++) {
            out[6 * g + 2 * k] = lo[k];
            out[6 * g + 2 * k + 1] = hi[k];
        }
        sw[g] = fabs(hi[rank] - lo[rank]);
        ord[g] = g;
    }
    /* largest swing first, NaN last, document order among equals (stable) */
    for (size_t i = 1; ok && i < ng; i++)
        for (size_t j = i; j > 0 && (sw[ord[j]] > sw[ord[j - 1]] || (isnan(sw[ord[j - 1]]) && !isnan(sw[ord[j]]))); j--) {
            size_t tmp = ord[j];
            ord[j] = ord[j - 1];
            ord[j - 1] = tmp;
        }
    size_t nrow = top && top < ng ? top : ng;
    for (size_t q = 0; ok && q < nrow; q++) {
        size_t g = ord[q];
        const agroup *G = &pl->g[g];
        const tri_evnum *e = &pl->l->num[G->first];
        char *where = tri_asprintf("%s:%d", e->file ? e->file : "", e->line);
        char *nl = G->run >= 0 ? run_note(p, G->run, "low") : NULL;
        char *nh = G->run >= 0 ? run_note(p, G->run + 1, "high") : NULL;
        char *note = nl && nh ? tri_asprintf("%s; %s", nl, nh) : tri_strdup(nl ? nl : nh ? nh : G->note ? G->note : "");
        long r = tri_tbl_row(t);
        ok = where && note && r >= 0 && tri_tbl_txt(t, r, 0, G->field) && tri_tbl_txt(t, r, 11, where) &&
             tri_tbl_txt(t, r, 14, G->from) && tri_tbl_txt(t, r, 16, e->assumption) &&
             tri_tbl_txt(t, r, 17, e->searched ? e->searched : "") && tri_tbl_txt(t, r, 18, note);
        tri_free(where);
        tri_free(nl);
        tri_free(nh);
        tri_free(note);
        if (!ok)
            break;
        tri_tbl_num(t, r, 1, e->value);
        tri_tbl_num(t, r, 2, G->replace ? G->lo : e->value * G->lo);
        tri_tbl_num(t, r, 3, G->replace ? G->hi : e->value * G->hi);
        for (int c = 0; c < 6; c++)
            tri_tbl_num(t, r, 4 + (size_t)c, out[6 * g + (size_t)c]);
        tri_tbl_num(t, r, 10, sw[g]);
        tri_tbl_num(t, r, 12, G->replace ? NAN : G->lo);
        tri_tbl_num(t, r, 13, G->replace ? NAN : G->hi);
        tri_tbl_num(t, r, 15, (double)G->nn);
    }
    tri_free(out);
    tri_free(sw);
    tri_free(ord);
    return tri_tbl_done(t, ok);
}

static tr_table *outputs_table(const tri_runs *p, const double base[3], long ti[2], long si, int rank,
                               const char *scenario)
{
    static const char *const what[] = {"net present value", "cumulative emissions over the horizon",
                                       "energy intensity in the final year"};
    tr_table *t = tri_tbl_new("outputs", 6);
    int ok = t && tri_tbl_col(t, 0, "output", 1) && tri_tbl_col(t, 1, "name", 1) && tri_tbl_col(t, 2, "what", 1) &&
             tri_tbl_col(t, 3, "base", 0) && tri_tbl_col(t, 4, "ranked", 0) && tri_tbl_col(t, 5, "scenario", 1);
    const char *names[3] = {ti[0] >= 0 ? p->tname[ti[0]] : "npv", ti[1] >= 0 ? p->tname[ti[1]] : "",
                            si >= 0 ? p->sname[si] : ""};
    for (int k = 0; ok && k < 3; k++) {
        long r = tri_tbl_row(t);
        ok = r >= 0 && tri_tbl_txt(t, r, 0, RANK_NAMES[k]) && tri_tbl_txt(t, r, 1, names[k]) &&
             tri_tbl_txt(t, r, 2, what[k]) && tri_tbl_txt(t, r, 5, scenario ? scenario : "");
        if (ok) {
            tri_tbl_num(t, r, 3, base[k]);
            tri_tbl_num(t, r, 4, k == rank);
        }
    }
    return tri_tbl_done(t, ok);
}

tr_status tr_audit_ranking(const tr_scenario *sc, const char *rank_by, size_t top, const tr_analysis_opts *o,
                           tr_analysis **out)
{
    tr_analysis_opts oo;
    tri_evlist l;
    int rank = -1;
    for (int k = 0; k < 3; k++)
        if (!strcmp(rank_by ? rank_by : "npv", RANK_NAMES[k]))
            rank = k;
    tr_status st = tri_an_check_args(sc, o, &oo, out, NULL);
    if (st == TR_OK && rank < 0)
        st = TR_FAIL(TR_E_INVAL, "audit: rank by \"%s\"; expected npv, co2 or intensity", rank_by);
    if (st == TR_OK)
        st = tri_prov_collect(sc->doc, &l);
    if (st != TR_OK)
        return tri_an_finish(out, st);
    tr_analysis *a = *out;
    aplan pl;
    size_t maxe = 1;
    st = make_groups(sc, &l, &pl, &maxe);
    tri_runs p;
    tri_runs_setup(&p, sc, &oo, st == TR_OK ? aplan_runs(&pl) : 0, maxe, audit_edits, &pl);
    p.what = "audit";
    if (st == TR_OK)
        st = tri_runs_run(&p, a);
    if (st == TR_OK && p.res[0].status != TR_SOL_OPTIMAL)
        st = TR_FAIL(TR_E_INVAL, "audit: the scenario itself is %s; the ranking starts from a solved scenario",
                     tri_run_status_name(p.res[0].status));
    if (st == TR_OK) {
        const char *sp = main_species(sc->scen);
        char co2[256];
        snprintf(co2, sizeof co2, "cumulative.emissions.%s", sp ? sp : "");
        long ti[2] = {tri_runs_find_total(&p, "npv"), tri_runs_find_total(&p, co2)}, si = -1;
        for (size_t i = 0; i < p.NS; i++)
            if (!strcmp(p.sname[i], "intensity.energy.total"))
                si = (long)i;
        double base[3];
        run_outputs(&p, 0, ti, si, base);
        if (!tri_an_add(a, ranking_table(sc, &pl, &p, rank, top, base, ti, si)) ||
            !tri_an_add(a, outputs_table(&p, base, ti, si, rank, sc->scen->name)))
            st = TR_FAIL(TR_E_NOMEM, "out of memory");
    }
    if (st == TR_OK)
        st = tri_failures_add(&p, a, NULL, NULL);
    tri_runs_free(&p);
    aplan_free(&pl);
    tri_evlist_free(&l);
    return tri_an_finish(out, st);
}
