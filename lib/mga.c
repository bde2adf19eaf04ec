/* Modelling to generate alternatives (MGA): how far each technology's
 * adoption can move among the roadmaps whose NPV is within a slack of the
 * least cost, and a few roadmaps inside that slack that differ as much as
 * possible from each other.
 *
 * Everything runs on the one built LP: the NPV becomes an extra row (scaled
 * so that its largest coefficient is 1) bounded by the slack, the objective
 * is swapped for each question, and every LP warm-starts from the basis of
 * the previous one. Each solve goes through tr_model_solve, so every
 * solution is checked against the model's rows and its shares are the ones
 * extract.c reports (adoption.<tech>: sum_p a / sum_p appl * cap_eff). */
#include "analysis.h"
#include "formula.h"

/* a technology's share in one year as the ratio of two linear forms:
 * num . x / (den . x + den0); den has nonzeros only with §12's variable
 * capacities (closable plants, candidates) */
typedef struct share_form {
    int *ncol;              /* the a columns, [nn] */
    size_t nn;
    int *dcol;              /* variable part of the base: columns and coefficients, [nd] */
    double *dval;
    size_t nd;
    double den0;
    long ser;               /* index of adoption.<tech> in a result */
} share_form;

static void form_free(share_form *f)
{
    tri_free(f->ncol);
    tri_free(f->dcol);
    tri_free(f->dval);
}

static tr_status form_make(const tr_model *m, size_t k, size_t t, share_form *f)
{
    const tri_scen *s = m->s;
    size_t Y = s->Y;
    memset(f, 0, sizeof *f);
    f->ncol = tri_calloc(m->J + 1, sizeof *f->ncol);
    f->dcol = tri_calloc(2 * m->J + 1, sizeof *f->dcol);
    f->dval = tri_calloc(2 * m->J + 1, sizeof *f->dval);
    if (!f->ncol || !f->dcol || !f->dval)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    for (size_t j = 0; j < m->J; j++) {
        if (m->jk[j] != k)
            continue;
        int a = m->acol[j * Y + t];
        if (a)
            f->ncol[f->nn++] = a;
        size_t p = m->jp[j];
        tri_capform cf = tri_eff_capacity(s, p, t);
        double w = s->tech[k].appl;
        f->den0 += w * cf.konst;
        if (cf.o != 0 && m->ocol[p * Y + t]) {
            f->dcol[f->nd] = m->ocol[p * Y + t];
            f->dval[f->nd++] = w * cf.o;
        }
        if (cf.C != 0 && m->Ccol[p * Y + t]) {
            f->dcol[f->nd] = m->Ccol[p * Y + t];
            f->dval[f->nd++] = w * cf.C;
        }
    }
    return TR_OK;
}

static double form_num(const tr_model *m, const share_form *f)
{
    double v = 0;
    for (size_t i = 0; i < f->nn; i++)
        v += tri_model_col_value(m, f->ncol[i]);
    return v;
}

static double form_den(const tr_model *m, const share_form *f)
{
    double v = f->den0;
    for (size_t i = 0; i < f->nd; i++)
        v += f->dval[i] * tri_model_col_value(m, f->dcol[i]);
    return v;
}

/* the share as the result reports it (extract.c's adoption series) */
static double result_share(const tr_result *r, long ser, size_t t)
{
    return ser >= 0 && (size_t)ser < r->ns ? r->ser[ser].v[t] : NAN;
}

typedef struct mga_run {
    tr_model *m;
    double *coef;           /* [ncols+1] objective being set */
    size_t t;               /* year index */
    size_t lps;             /* LPs solved */
} mga_run;

/* Solve with the objective in run->coef (scaled first so its largest
 * coefficient is 1: the reduced costs are then of order one, above GLPK's
 * dual tolerance); *r the result (NULL when not optimal) */
static tr_status solve_coef(mga_run *u, tr_result **r)
{
    tr_model *m = u->m;
    double big = 0;
    for (size_t j = 1; j <= m->ncols; j++)
        big = fmax(big, fabs(u->coef[j]));
    if (big > 0)
        for (size_t j = 1; j <= m->ncols; j++)
            u->coef[j] /= big;
    tri_model_objective(m, u->coef, 0);
    /* only the objective changed since the last LP (or a row was added,
     * basic): the basis stays primal feasible, so the primal simplex goes
     * on from it (phase 2 only) */
    tr_solve_opts so;
    tr_solve_opts_init(&so);
    so.presolve = 0;
    so.diagnose = 0;
    so.method = TR_METHOD_PRIMAL;
    so.structure = TR_STRUCTURE_MONOLITHIC;
    *r = NULL;
    tr_status st = tr_model_solve(m, &so, r);
    int opt = st == TR_OK && (*r)->status == TR_SOL_OPTIMAL;
    u->lps++;
    if (st == TR_OK && !opt && (*r)->status == TR_SOL_FAILED && m->hold.lp) {
        /* numerical trouble from the warm start: once more from a fresh basis */
        tr_result_free(*r);
        *r = NULL;
        tri_lp_fresh_basis(m->hold.lp);
        st = tri_solve_opt(m, r, &opt);
        u->lps++;
    }
    if (st == TR_OK && !opt) {
        tr_result_free(*r);
        *r = NULL;
    }
    return st;
}

/* The least (@sense +1) or greatest (-1) share of form @f within the NPV
 * row. A fixed base: one LP on the a columns. A variable base (§12):
 * Dinkelbach's iteration, min num - lam*den with lam the last ratio, until
 * the optimum of that LP is 0 (exact for a ratio of linear forms with a
 * positive denominator). *v = NaN when an LP was not optimal. */
static tr_status share_opt(mga_run *u, const share_form *f, double sense, double lam, double *v)
{
    tr_model *m = u->m;
    *v = NAN;
    for (int it = 0; it < 50; it++) {
        memset(u->coef, 0, (m->ncols + 1) * sizeof *u->coef);
        for (size_t i = 0; i < f->nn; i++)
            u->coef[f->ncol[i]] += sense;
        for (size_t i = 0; i < f->nd; i++)
            u->coef[f->dcol[i]] -= sense * lam * f->dval[i];
        tr_result *r = NULL;
        tr_status st = solve_coef(u, &r);
        if (st != TR_OK || !r)
            return st;
        double share = result_share(r, f->ser, u->t);
        tr_result_free(r);
        *v = share;
        if (!f->nd)
            return TR_OK;
        double num = form_num(m, f), den = form_den(m, f);
        double F = sense * (num - lam * den);
        if (den <= 1e-9 || F >= -1e-9 * fmax(1.0, fabs(den)))
            return TR_OK;
        lam = num / den;
    }
    return TR_OK;
}

/* a value of a result's totals by name, NaN if none */
static double total_of(const tr_result *r, const char *name)
{
    for (size_t i = 0; i < r->nt; i++)
        if (!strcmp(r->tname[i], name))
            return r->tval[i];
    return NAN;
}

/* The alternatives (see the comment inside), into @alt[1..N] and their
 * final-year shares into @mix; *@nalt the last row drawn. */
static tr_status draw_alternatives(mga_run *u, const share_form *f, size_t K, const double *dopt, size_t N,
                                   const tr_analysis_opts *oo, tr_analysis *a, tr_result **alt, double *mix,
                                   size_t *nalt, int *cancelled)
{
    tr_status st = TR_OK;
    /* Random directions: alternative i minimises sum_k d_k * share_k in the
     * year, d_k uniform in [-1, 1] from a fixed seed (each share measured
     * against the least-cost roadmap's base: exact with fixed capacities).
     * A roadmap whose shares repeat an earlier row's (L1 distance below
     * 1e-6) is replaced by another direction's, up to 5 times. */
    unsigned long long rng = oo->seed >= 0 ? (unsigned long long)oo->seed + 1 : 20260101ULL;
    for (size_t i = 1; i <= N && !*cancelled; i++) {
        for (int attempt = 0; attempt < 6; attempt++) {
            memset(u->coef, 0, (u->m->ncols + 1) * sizeof *u->coef);
            for (size_t k = 0; k < K; k++) {
                /* xorshift64*: the same directions on every platform */
                rng ^= rng >> 12;
                rng ^= rng << 25;
                rng ^= rng >> 27;
                unsigned long long z = rng * 2685821657736338717ULL;
                double d = 2.0 * ((double)(z >> 11) / 9007199254740992.0) - 1.0;
                for (size_t q = 0; q < f[k].nn && dopt[k] > 1e-9; q++)
                    u->coef[f[k].ncol[q]] += d / dopt[k];
            }
            tr_result_free(alt[i]);
            alt[i] = NULL;
            if ((st = solve_coef(u, &alt[i])) != TR_OK)
                return st;
            *nalt = i;
            if (!alt[i])
                break;
            for (size_t k = 0; k < K; k++)
                mix[i * K + k] = result_share(alt[i], f[k].ser, u->t);
            int repeat = 0;
            for (size_t q = 0; q < i && !repeat; q++) {
                double d = 0;
                for (size_t k = 0; k < K; k++)
                    d += fabs(mix[i * K + k] - mix[q * K + k]);
                repeat = alt[q] && d < 1e-6;
            }
            if (!repeat)
                break;
        }
        a->done++;
        if (oo->progress && oo->progress(a->done, a->total, oo->userdata))
            *cancelled = a->cancelled = 1;
    }
    return TR_OK;
}

/* Table `ranges`: each technology's least and largest share in year @t
 * over the roadmaps within the slack, and the least-cost roadmap's. */
static tr_table *ranges_table(const tri_scen *s, size_t t, const double *lo, const double *hi,
                              const double *opt_share)
{
    size_t K = s->K;
    tr_table *tr;
    static const char *const rc[] = {"technology", "unit", "year", "min", "max", "optimum", "width", "needed"};
    static const int text[] = {1, 1, 0, 0, 0, 0, 0, 1};
    tr = tri_tbl_new_cols("ranges", 8, rc, text);
    int ok = tr != NULL;
    for (size_t k = 0; ok && k < K; k++) {
        long rr = tri_tbl_row(tr);
        int needed = isfinite(lo[k]) && lo[k] >= TR_MGA_NEEDED;
        ok = rr >= 0 && tri_tbl_txt(tr, rr, 0, s->tech[k].id) && tri_tbl_txt(tr, rr, 1, "share") &&
             tri_tbl_txt(tr, rr, 7, needed ? "yes" : "");
        if (!ok)
            break;
        tri_tbl_num(tr, rr, 2, (double)(s->start + (int)t));
        tri_tbl_num(tr, rr, 3, lo[k]);
        tri_tbl_num(tr, rr, 4, hi[k]);
        tri_tbl_num(tr, rr, 5, opt_share[k]);
        tri_tbl_num(tr, rr, 6, hi[k] - lo[k]);
    }
    return tri_tbl_done(tr, ok);
}

/* Table `alternatives`: row 0 the least-cost roadmap, then each drawn
 * alternative (@nalt) with its NPV, distance to the rows before it, totals
 * and final-year shares (@mix, K per row). */
static tr_table *alternatives_table(const tri_scen *s, tr_result *const *alt, size_t nalt, const double *mix,
                                    double npv0, double bound)
{
    size_t K = s->K;
    int ok = 1;
    const tr_result *r0 = alt[0];
    size_t NT = r0->nt, nbase = 6;
    tr_table *ta = tri_tbl_new("alternatives", nbase + NT - 1 + K);
    ok = ta && tri_tbl_col(ta, 0, "alternative", 0) && tri_tbl_col(ta, 1, "status", 1) && tri_tbl_col(ta, 2, "npv", 0) &&
         tri_tbl_col(ta, 3, "npv_increase", 0) && tri_tbl_col(ta, 4, "within_slack", 0) &&
         tri_tbl_col(ta, 5, "distance", 0);
    size_t c = nbase;
    for (size_t i = 0; ok && i < NT; i++)
        if (strcmp(r0->tname[i], "npv"))
            ok = tri_tbl_col(ta, c++, r0->tname[i], 0);
    for (size_t k = 0; ok && k < K; k++) {
        char nm[300];
        snprintf(nm, sizeof nm, "adoption.%s", s->tech[k].id);
        ok = tri_tbl_col(ta, c++, nm, 0);
    }
    for (size_t i = 0; ok && i <= nalt; i++) {
        const tr_result *ri = alt[i];
        long rr = tri_tbl_row(ta);
        ok = rr >= 0 && tri_tbl_txt(ta, rr, 1, ri ? "optimal" : "not optimal");
        if (!ok)
            break;
        tri_tbl_num(ta, rr, 0, (double)i);
        if (!ri)
            continue;
        tri_tbl_num(ta, rr, 2, ri->npv);
        tri_tbl_num(ta, rr, 3, ri->npv - npv0);
        tri_tbl_num(ta, rr, 4, ri->npv <= bound + 1e-6 * fmax(1.0, fabs(bound)));
        double dist = NAN;
        for (size_t q = 0; q < i; q++) {
            if (!alt[q])
                continue;
            double d = 0;
            for (size_t k = 0; k < K; k++)
                d += fabs(mix[i * K + k] - mix[q * K + k]);
            dist = isnan(dist) ? d : fmin(dist, d);
        }
        tri_tbl_num(ta, rr, 5, dist);
        c = nbase;
        for (size_t q = 0; q < NT; q++)
            if (strcmp(r0->tname[q], "npv"))
                tri_tbl_num(ta, rr, c++, total_of(ri, r0->tname[q]));
        for (size_t k = 0; k < K; k++)
            tri_tbl_num(ta, rr, c++, mix[i * K + k]);
    }
    return tri_tbl_done(ta, ok);
}

/* mga's own arguments (after the checks common to the analyses) */
static tr_status mga_check(const tri_scen *s, double slack, int year, long alternatives)
{
    if (!isfinite(slack) || slack < 0 || slack > 100)
        return TR_FAIL(TR_E_INVAL, "mga: slack: expected a number in 0..100 (0.01 = 1 %% above the least cost), got %g",
                       slack);
    if (year != 0 && (year < s->start || year > s->end))
        return TR_FAIL(TR_E_INVAL, "mga: year: expected a year within %d..%d, got %d", s->start, s->end, year);
    if (alternatives < 0 || alternatives > 10000)
        return TR_FAIL(TR_E_INVAL, "mga: alternatives: expected 0..10000, got %ld", alternatives);
    return TR_OK;
}

tr_status tr_analysis_mga(const tr_scenario *sc, double slack, int year, long alternatives, const tr_analysis_opts *o,
                          tr_analysis **out)
{
    tr_analysis_opts oo;
    tr_status st = tri_an_check_args(sc, o, &oo, out, NULL);
    if (st == TR_OK)
        st = mga_check(sc->scen, slack, year, alternatives);
    if (st != TR_OK)
        return tri_an_finish(out, st);
    tr_analysis *a = *out;
    const tri_scen *s = sc->scen;
    size_t K = s->K, Y = s->Y, t = year ? (size_t)(year - s->start) : Y - 1;
    size_t N = (size_t)alternatives;
    mga_run u = {NULL, NULL, t, 0};
    share_form *f = tri_calloc(K ? K : 1, sizeof *f);
    double *opt_share = tri_calloc(K ? K : 1, sizeof *opt_share);
    double *lo = tri_calloc(K ? K : 1, sizeof *lo), *hi = tri_calloc(K ? K : 1, sizeof *hi);
    double *dopt = tri_calloc(K ? K : 1, sizeof *dopt);   /* the least-cost roadmap's base per technology */
    double *mix = tri_calloc((N + 1) * (K ? K : 1), sizeof *mix); /* final-year shares of the roadmaps */
    tr_result **alt = tri_calloc(N + 1, sizeof *alt);
    tr_result *r = NULL;
    tr_table *tr = NULL, *ta = NULL;
    if (!f || !opt_share || !lo || !hi || !dopt || !mix || !alt) {
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
        goto out;
    }
    /* the whole LP: the analysis needs its basis */
    if ((st = tri_an_base_solve(sc, "mga", 1, &u.m, &r)) != TR_OK)
        goto out;
    tr_model *m = u.m;
    double npv0 = r->npv;
    double bound = npv0 + slack * fabs(npv0);
    for (size_t k = 0; k < K; k++) {
        if ((st = form_make(m, k, t, &f[k])) != TR_OK)
            goto out;
        char nm[300];
        snprintf(nm, sizeof nm, "adoption.%s", s->tech[k].id);
        f[k].ser = -1;
        for (size_t q = 0; q < r->ns; q++)
            if (!strcmp(r->ser[q].name, nm))
                f[k].ser = (long)q;
        opt_share[k] = result_share(r, f[k].ser, t);
        mix[k] = opt_share[k];
        dopt[k] = form_den(m, &f[k]);   /* the least-cost roadmap's base */
    }
    alt[0] = r;
    r = NULL;
    u.coef = tri_calloc(m->ncols + 1, sizeof *u.coef);
    if (!u.coef) {
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
        goto out;
    }
    /* the NPV row, scaled to a largest coefficient of 1 */
    double big = 0;
    for (size_t j = 1; j <= m->ncols; j++)
        big = fmax(big, fabs(m->lpd.obj[j]));
    if (big <= 0)
        big = 1;
    for (size_t j = 1; j <= m->ncols; j++)
        u.coef[j] = m->lpd.obj[j] / big;
    int row = tri_coef_row(m, u.coef, "mga_npv");
    if (!row) {
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
        goto out;
    }
    tri_model_row_bound(m, row, 1, (bound - m->lpd.obj0 + 1e-9 * fmax(1, fabs(npv0))) / big);
    size_t total = 2 * K + N;
    a->total = total;
    int cancelled = 0;
    for (size_t k = 0; k < K && !cancelled; k++) {
        lo[k] = hi[k] = NAN;
        if (f[k].nn == 0 && f[k].nd == 0) {
            lo[k] = hi[k] = 0;   /* applies nowhere: its share is 0 in every roadmap */
        } else {
            double start = isfinite(opt_share[k]) ? opt_share[k] : 0;
            if ((st = share_opt(&u, &f[k], 1, start, &lo[k])) != TR_OK ||
                (st = share_opt(&u, &f[k], -1, start, &hi[k])) != TR_OK)
                goto out;
        }
        a->done += 2;
        if (oo.progress && oo.progress(a->done, total, oo.userdata))
            cancelled = a->cancelled = 1;
    }
    size_t nalt = 0;
    if (!cancelled && (st = draw_alternatives(&u, f, K, dopt, N, &oo, a, alt, mix, &nalt, &cancelled)) != TR_OK)
        goto out;
    tr = ranges_table(s, t, lo, hi, opt_share);
    ta = tr ? alternatives_table(s, alt, nalt, mix, npv0, bound) : NULL;
    int ok = tr && ta;
    if (!ok) {
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
        goto out;
    }
    int added = tri_an_add(a, tr);
    tr = NULL;
    if (!added || !tri_an_add(a, ta)) {
        ta = NULL;
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
        goto out;
    }
    ta = NULL;
out:
    tri_tbl_free(tr);
    tri_tbl_free(ta);
    tr_result_free(r);
    for (size_t i = 0; alt && i <= N; i++)
        tr_result_free(alt[i]);
    for (size_t k = 0; f && k < K; k++)
        form_free(&f[k]);
    tri_free(f);
    tri_free(alt);
    tri_free(opt_share);
    tri_free(lo);
    tri_free(hi);
    tri_free(dopt);
    tri_free(mix);
    tri_free(u.coef);
    tr_model_free(u.m);
    return tri_an_finish(out, st);
}

/* a share as "58.3 %" */
static void pct(tri_buf *b, double v)
{
    if (isfinite(v))
        tri_buf_printf(b, "%.1f%%", 100 * v + 0.0);
    else
        tri_buf_puts(b, "–");
}

tr_status tr_analysis_mga_markdown(const tr_analysis *a, const char *title, double slack, char **out)
{
    if (!out)
        return TR_FAIL(TR_E_INVAL, "tr_analysis_mga_markdown: out is NULL");
    *out = NULL;
    const tr_table *t = a ? tr_analysis_find(a, "ranges") : NULL;
    if (!t || t->nc < 8)
        return TR_FAIL(TR_E_INVAL, "tr_analysis_mga_markdown: expected the analysis of tr_analysis_mga()");
    tri_buf b = {0};
    int year = t->nr ? (int)t->num[2] : 0;
    tri_buf_printf(&b, "### Near-optimal ranges%s%s\n\n", title ? ": " : "", title ? title : "");
    tri_buf_printf(&b,
                   "Every roadmap whose NPV is within %g %% of the least cost, and the least and greatest "
                   "adoption share each technology has among them in %d. ",
                   slack * 100, year);
    size_t nneed = 0;
    for (size_t r = 0; r < t->nr; r++)
        nneed += t->str[r * t->nc + 7] && !strcmp(t->str[r * t->nc + 7], "yes");
    if (nneed) {
        tri_buf_printf(&b, "Needed in every such roadmap (a least share of at least %g %%): ", TR_MGA_NEEDED * 100);
        size_t k = 0;
        for (size_t r = 0; r < t->nr; r++)
            if (t->str[r * t->nc + 7] && !strcmp(t->str[r * t->nc + 7], "yes")) {
                tri_buf_printf(&b, "%s**%s** (", k++ ? ", " : "", t->str[r * t->nc]);
                pct(&b, t->num[r * t->nc + 3]);
                tri_buf_puts(&b, " or more)");
            }
        tri_buf_puts(&b, ".\n\n");
    } else {
        tri_buf_printf(&b, "No technology is needed in every such roadmap (none has a least share of %g %% or "
                           "more).\n\n",
                       TR_MGA_NEEDED * 100);
    }
    tri_buf_puts(&b, "| technology | least | greatest | least-cost roadmap |\n|---|---:|---:|---:|\n");
    for (size_t r = 0; r < t->nr; r++) {
        const double *row = t->num + r * t->nc;
        int needed = t->str[r * t->nc + 7] && !strcmp(t->str[r * t->nc + 7], "yes");
        tri_buf_printf(&b, needed ? "| **%s** | " : "| %s | ", t->str[r * t->nc]);
        pct(&b, row[3]);
        tri_buf_puts(&b, " | ");
        pct(&b, row[4]);
        tri_buf_puts(&b, " | ");
        pct(&b, row[5]);
        tri_buf_puts(&b, " |\n");
    }
    tri_buf_puts(&b, "\n");
    *out = tri_buf_take(&b);
    return *out ? TR_OK : TR_FAIL(TR_E_NOMEM, "out of memory");
}
