/* myopic: the rolling horizon (myopic foresight, docs/MODEL.md §14).
 * For t = start, start+K, ...: the years [t, min(t+N-1, end)] are solved
 * on the model's whole LP, in place in the backend's problem:
 *   - every column of a year before t is fixed at the value already taken;
 *   - every column of a year after the window is fixed at its lower bound
 *     (0; an operating share at its minimum) and every row of such a year
 *     is free: the window's LP is the window's years alone (GLPK's
 *     presolve removes the rest), as the rolling horizon of MESSAGEix or
 *     PyPSA solves only the window's model;
 *   - rows whose columns all lie before t are free (they hold already: the
 *     stitched roadmap is checked against every row at the end);
 *   - the objective is the window's: a yearly cost counts as usual inside
 *     the window, an investment's annuities (n, b) only for the years of
 *     the window, and the closure cost of the year after the window is not
 *     seen;
 * and the window's first K years are kept (every remaining year once the
 * window reaches the end). solve.c drives the loop and solves each window;
 * this file only knows the years of columns and rows and a window's
 * bounds and costs. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "model.h"

enum { COL_LOCAL, COL_ANNUITY, COL_OPEN };

/* what the rolling horizon knows of a column of the LP */
typedef struct mcol {
    int year;               /* its year index */
    unsigned char kind;     /* COL_* */
    int life;               /* lifetime of an annuity column */
    double next;            /* closure cost of the next year in an o column's cost */
} mcol;

/* and of a row */
typedef struct mrow {
    int year;               /* latest year of its columns, -1: none */
    unsigned char pol;      /* a policy row */
} mrow;

struct tri_myopic {
    int N, K, Y;
    mcol *col;              /* [ncols+1] */
    mrow *row;              /* [nrows+1] */
    int t0, t1, keep;       /* the current window [t0, t1] and the first year not kept */
    int started, windows;
};

void tri_myopic_free(tri_myopic *w)
{
    if (!w)
        return;
    tri_free(w->col);
    tri_free(w->row);
    tri_free(w);
}

static void col_set(tri_myopic *w, int c, size_t t, int kind, int life)
{
    if (!c)
        return;
    w->col[c].year = (int)t;
    w->col[c].kind = (unsigned char)kind;
    w->col[c].life = life;
}

tr_status tri_myopic_new(const tr_model *m, int N, int K, tri_myopic **out)
{
    *out = NULL;
    const tri_scen *s = m->s;
    size_t Y = s->Y, nc = m->ncols, nr = m->nrows;
    tri_myopic *w = tri_calloc(1, sizeof *w);
    if (!w)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    *w = (tri_myopic){.N = N, .K = K, .Y = (int)Y};
    w->col = tri_calloc(nc + 1, sizeof *w->col);
    w->row = tri_calloc(nr + 1, sizeof *w->row);
    if (!w->col || !w->row) {
        tri_myopic_free(w);
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    }
    for (size_t j = 0; j <= nc; j++)
        w->col[j].year = -1;
    for (size_t j = 0; j < m->J; j++)
        for (size_t t = 0; t < Y; t++) {
            col_set(w, m->acol[j * Y + t], t, COL_LOCAL, 0);
            col_set(w, m->ncol[j * Y + t], t, COL_ANNUITY, s->tech[m->jk[j]].life);
            col_set(w, m->qcol[j * Y + t], t, COL_LOCAL, 0);
        }
    for (size_t p = 0; p < s->P; p++) {
        const tri_plant *pl = &s->pl[p];
        for (size_t t = 0; t < Y; t++) {
            int c = m->ocol[p * Y + t];
            col_set(w, c, t, COL_OPEN, 0);
            if (c && !pl->reopenable && t + 1 < Y)   /* build.c: + df[t+1]*cc[t+1]*cap[t+1] */
                w->col[c].next = s->df[t + 1] * pl->cc[t + 1] * pl->cap[t + 1];
            col_set(w, m->kcol[p * Y + t], t, COL_LOCAL, 0);
            col_set(w, m->bcol[p * Y + t], t, COL_ANNUITY, pl->blife);
            col_set(w, m->Ccol[p * Y + t], t, COL_LOCAL, 0);
        }
    }
    for (size_t r = 0; r < s->R; r++)
        for (size_t t = 0; t < Y; t++)
            col_set(w, m->mcol[r * Y + t], t, COL_LOCAL, 0);
    for (size_t j = 1; j <= nc; j++)
        if (w->col[j].year < 0) {
            tri_myopic_free(w);
            return TR_FAIL(TR_E_STATE, "foresight: column %zu of the LP belongs to no year (a part of the model "
                                       "the rolling horizon does not know)", j);
        }
    for (size_t i = 0; i <= nr; i++)
        w->row[i].year = -1;
    const tri_lpd *d = &m->lpd;
    for (size_t k = 1; k <= d->nnz; k++) {
        int i = d->ia[k], y = w->col[d->ja[k]].year;
        if (y > w->row[i].year)
            w->row[i].year = y;
    }
    for (size_t i = 0; i < m->nprow; i++)
        w->row[m->prow[i].row].pol = 1;
    *out = w;
    return TR_OK;
}

/* the cost of column @j in the window [t0, t1] (build.c's cost @c0 restricted) */
static double window_cost(const tr_model *m, const tri_myopic *w, int j, double c0)
{
    int t = w->col[j].year;
    if (t < w->t0 || t > w->t1)
        return 0;
    if (w->t1 == w->Y - 1)
        return c0;   /* the window reaches the end: every cost is seen as built */
    if (w->col[j].kind == COL_OPEN)
        return t == w->t1 ? c0 - w->col[j].next : c0;
    if (w->col[j].kind == COL_ANNUITY) {
        int last = t + w->col[j].life - 1;
        if (last > w->Y - 1)
            last = w->Y - 1;
        if (last <= w->t1)
            return c0;
        double seen = 0, all = 0;
        for (int tt = t; tt <= last; tt++) {
            all += m->s->df[tt];
            if (tt <= w->t1)
                seen += m->s->df[tt];
        }
        return all > 0 ? c0 * (seen / all) : 0;
    }
    return c0;
}

/* the window's bounds and costs into the backend's problem */
static void window_load(tr_model *m, const tri_myopic *w, const double *x)
{
    tri_lp *lp = m->hold.lp;
    const tri_lpd *d = &m->lpd;
    for (size_t j = 1; j <= m->ncols; j++) {
        int t = w->col[j].year;
        if (t < w->t0) {
            double v = x[j];
            if (tri_lp_has_lower(d->ctype[j]) && v < d->clb[j])
                v = d->clb[j];
            if (tri_lp_has_upper(d->ctype[j]) && v > d->cub[j])
                v = d->cub[j];
            tri_lp_set_col_bounds(lp, (int)j, TRI_LP_FIXED, v, v);
        } else if (t > w->t1) {   /* not in this window's LP: at its lower bound, its rows free */
            double v = tri_lp_has_lower(d->ctype[j]) ? d->clb[j] : 0;
            tri_lp_set_col_bounds(lp, (int)j, TRI_LP_FIXED, v, v);
        } else {
            tri_lp_set_col_bounds(lp, (int)j, d->ctype[j], d->clb[j], d->cub[j]);
        }
        tri_lp_set_obj(lp, (int)j, window_cost(m, w, (int)j, d->obj[j]));
    }
    for (size_t i = 1; i <= m->nrows; i++) {
        int y = w->row[i].year;
        int relax = y >= 0 && (y < w->t0 || y > w->t1);
        if (relax)
            tri_lp_set_row_bounds(lp, (int)i, TRI_LP_FREE, 0, 0);
        else
            tri_lp_set_row_bounds(lp, (int)i, d->rtype[i - 1], d->rlb[i - 1], d->rub[i - 1]);
    }
}

int tri_myopic_next(tri_myopic *w, tr_model *m, const double *x)
{
    int t0 = w->started ? w->keep : 0;
    if (t0 >= w->Y)
        return 0;
    w->started = 1;
    w->t0 = t0;
    w->t1 = t0 + w->N - 1 < w->Y - 1 ? t0 + w->N - 1 : w->Y - 1;
    w->keep = w->t1 == w->Y - 1 ? w->Y : t0 + w->K;
    w->windows++;
    window_load(m, w, x);
    return 1;
}

int tri_myopic_windows(const tri_myopic *w) { return w->windows; }

void tri_myopic_keep(const tri_myopic *w, const tr_model *m, const tri_lp_sol *win, tri_lp_sol *out)
{
    for (size_t j = 1; j <= m->ncols; j++)
        if (w->col[j].year >= w->t0 && w->col[j].year < w->keep)
            out->x[j] = win->x[j];
    for (size_t i = 1; i <= m->nrows; i++)
        if (w->row[i].year >= w->t0 && w->row[i].year < w->keep)
            out->rowdual[i] = win->rowdual[i];
}

void tri_myopic_restore(tr_model *m)
{
    tri_lp *lp = m->hold.lp;
    const tri_lpd *d = &m->lpd;
    for (size_t j = 1; j <= m->ncols; j++) {
        tri_lp_set_col_bounds(lp, (int)j, d->ctype[j], d->clb[j], d->cub[j]);
        tri_lp_set_obj(lp, (int)j, d->obj[j]);
    }
    for (size_t i = 1; i <= m->nrows; i++)
        tri_lp_set_row_bounds(lp, (int)i, d->rtype[i - 1], d->rlb[i - 1], d->rub[i - 1]);
}

/* "window 2024-2026 of foresight 3" */
static void window_name(const tri_myopic *w, const tr_model *m, char *buf, size_t n)
{
    int y0 = m->s->start + w->t0, y1 = m->s->start + w->t1;
    snprintf(buf, n, "myopic window %d-%d (foresight %d year%s)", y0, y1, w->N, w->N == 1 ? "" : "s");
}

tr_status tri_myopic_label(const tri_myopic *w, const tr_model *m, tr_result *r)
{
    char wn[128];
    window_name(w, m, wn, sizeof wn);
    for (size_t i = 0; i < r->nd; i++) {
        char *msg = tri_asprintf("%s: %s", wn, r->diag[i].message ? r->diag[i].message : "");
        if (!msg)
            return TR_FAIL(TR_E_NOMEM, "out of memory");
        tri_free(r->diag[i].message);
        r->diag[i].message = msg;
    }
    char fixed[64] = "";
    if (w->t0 > 0)
        snprintf(fixed, sizeof fixed, " given the decisions taken for %d-%d", m->s->start, m->s->start + w->t0 - 1);
    const char *what = r->status == TR_SOL_INFEASIBLE ? "is infeasible" : "could not be solved";
    char *msg = r->solver_message ? tri_asprintf("%s %s%s: %s", wn, what, fixed, r->solver_message)
                                  : tri_asprintf("%s %s%s", wn, what, fixed);
    if (!msg)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    tri_free(r->solver_message);
    r->solver_message = msg;
    return TR_OK;
}
