/* decomp: Dantzig-Wolfe column generation for LPs whose columns fall into
 * blocks (plants) coupled only by a few rows (sector caps, floors,
 * mandates, budgets, demand balances).
 *
 * Each block's own rows and columns form a small subproblem, kept in memory
 * as a backend problem (lp.h) and warm-started (primal simplex: only its costs change
 * between rounds). The restricted master has the coupling rows, one
 * convexity row per subproblem and one column per vertex proposed by a
 * subproblem. Blocks whose data are identical share one subproblem whose
 * convexity row sums to the number of members (exact aggregation: the
 * members get equal shares of the solution). Blocks whose polyhedron is
 * unbounded stay whole in the master. Subproblems are priced in parallel
 * threads, each thread owning a fixed set of them (its own solver
 * environment), so results do not depend on the number of threads.
 *
 * Phase 0 prices artificial slacks on the master rows at a big-M penalty
 * with the real costs; once they are out, phase 2 fixes them at zero (phase
 * 1, the artificials alone, only when phase 0 ends with them in: infeasible
 * or the penalty too small). Subproblems are priced at smoothed duals
 * (Wentges) while the gap is large. The Lagrangian bound z_master + sum
 * mult*min(0, reduced cost), from a round priced at the master's own duals,
 * proves the gap. The duals of the coupling rows come from the master, those
 * of a block's own rows from its subproblem priced with the final master
 * duals: together they are an optimal dual solution of the whole LP. */
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "decomp.h"
#include "lp.h"
#include "model.h"

/* ------------------------------------------------------------ settings */

#define STALL_PIVOTS_PER_LINE 20   /* simplex pivots allowed per row and column... */
#define STALL_PIVOTS_MIN 10000     /* ...plus these: no endless stall */
#define REDUCED_COST_TOL 1e-12     /* a column enters when its reduced cost is below -this * scale */
#define POOL_PASSES 20             /* master solves over the pool before every column goes in */
#define SMOOTH 0.5                /* Wentges: the last pricing point's weight in the next one */
#define SMOOTH_ABOVE_GAP 1e-5     /* smoothing only while the gap is above this */
#define FEASIBLE_TOL 1e-9         /* artificials below this times S: phase 0 or 1 is done */
#define INFEASIBLE_TOL 1e-7       /* a phase-1 bound above this times S proves infeasibility */
#define GAP_FLOOR 1e-12           /* the gap the master's arithmetic can still prove */
#define LOOSE_GAP 1e-7            /* gaps asked for above it: a quick answer, no polishing */
#define STALL_GAP 1e-7            /* no new column above this gap: a stall, a failure */
#define POLISH_ROUNDS 5           /* rounds after the proof that make the duals the LP's */
#define REOPEN_MAX 3              /* times phase 2 may fall back to phase 0 */
#define FULL_PRICING_EVERY 3      /* partial pricing prices every subproblem this often */
#define MAX_ROUNDS 100000
#define PURGE_AGE 3               /* master solves a pool column survives unused */
#define POOL_PER_LINE 4           /* the pool keeps this many columns per class and master row */

/* ------------------------------------------------------------ structures */

typedef struct dwcls {
    int rep, mult;
    int nc, nrl;
    int *cols;          /* representative's columns (global, 1-based) [nc] */
    int *lrows;         /* representative's own rows (global, 0-based) [nrl] */
    int nl;             /* entries in master rows: local column, global row, value */
    int *lc, *lr;
    double *lv;
    tri_lp *lp;         /* owned by thread owner */
    int owner;
    int resident;       /* unbounded or free columns: stays in the master */
    tri_lp_status status;   /* of its last solve */
    double z;           /* priced objective at the vertex */
    double cx;          /* its cost */
    double *xv, *xv2;   /* vertex; second starting vertex [nc] */
    double *xv3;        /* third starting vertex: the most compliant [nc] */
    double *ldual;      /* duals of own rows [nrl] */
    int active;         /* priced in this pass */
    int idle;           /* its last pricing improved nothing */
} dwcls;

typedef enum { CMD_NONE, CMD_INIT, CMD_PRICE, CMD_DUALS, CMD_EXIT } dwcmd;

typedef struct dwctx {
    const tri_dwlp *lp;
    const tri_dwopts *o;
    dwcls *cls;
    int ncls;
    int *cof;           /* [nblk]: class of a block, -1 none */
    int T;
    /* command board */
    pthread_mutex_t mu;
    pthread_cond_t go, done;
    unsigned gen;
    dwcmd cmd;
    int pending;
    double phase;       /* cost weight in pricing: 0 phase 1, 1 phase 2 */
    const double *pi;   /* duals of master rows, by global row [nr] (0 elsewhere) */
    double *winit;      /* [nr] weights of the compliant starting vertex */
    int failed;         /* the backend failed in a worker */
    int lost0;          /* ... in the calling thread */
} dwctx;

/* ------------------------------------------------------------ test hook */

/* Test hook (tests/check_decomp.c): one-shot faults on the master's rare
 * paths, which real scenarios reach only by GLPK's numerical accidents:
 * 1 the first phase-2 master reports infeasible (phase 0 reopens), 2 the
 * master's first simplex fails (fresh-basis dual simplex), 4 that dual
 * simplex fails too (standard basis), 8 the elastic diagnosis fails (the
 * caller then diagnoses on the whole LP). Not thread-safe: tests only. */
static int dw_test_faults;
TR_API void tri_test_dw_faults(int faults);
void tri_test_dw_faults(int faults) { dw_test_faults = faults; }

static int test_fault(int f)
{
    if (!(dw_test_faults & f))
        return 0;
    dw_test_faults &= ~f;
    return 1;
}

/* ------------------------------------------------------------ subproblems */

/* the simplex of subproblems and master: primal, silent, no presolve, the
 * caller's tolerances, its pivots capped (a degenerate LP can make the
 * primal simplex stall) */
static void dw_params(const tri_dwopts *o, const tri_lp *lp, tri_lp_params *p)
{
    tri_lp_params_init(p);
    p->method = TRI_LP_PRIMAL_SIMPLEX;
    p->tol_primal = o->tol_primal;
    p->tol_dual = o->tol_dual;
    p->iter_limit = STALL_PIVOTS_PER_LINE * (tri_lp_nrows(lp) + tri_lp_ncols(lp)) + STALL_PIVOTS_MIN;
}

/* what a solve of a subproblem or the master found */
static tri_lp_status lp_outcome(const tri_lp *lp, tri_lp_end end)
{
    if (end == TRI_LP_NO_PRIMAL)
        return TRI_LP_INFEASIBLE;
    if (end == TRI_LP_NO_DUAL)
        return TRI_LP_UNBOUNDED;
    return end == TRI_LP_DONE ? tri_lp_get_status(lp, 0) : TRI_LP_FAILED;
}

static tri_lp_status sub_solve(const dwctx *c, tri_lp *lp)
{
    tri_lp_params p;
    dw_params(c->o, lp, &p);
    tri_lp_end end = tri_lp_simplex(lp, &p, NULL);
    if (end != TRI_LP_DONE) {
        tri_lp_fresh_basis(lp);
        end = tri_lp_simplex(lp, &p, NULL);
    }
    return lp_outcome(lp, end);
}

static int sub_build(const dwctx *c, dwcls *k)
{
    const tri_dwlp *L = c->lp;
    tri_lp *lp = k->lp = tri_lp_new(NULL);
    if (k->nrl)
        tri_lp_add_rows(lp, k->nrl);
    tri_lp_add_cols(lp, k->nc);
    for (int i = 0; i < k->nrl; i++) {
        int r = k->lrows[i];
        tri_lp_set_row_bounds(lp, i + 1, L->rtype[r], L->rlb[r], L->rub[r]);
    }
    /* own rows: a row's position in lrows (increasing) by binary search */
    int *ind = tri_malloc(((size_t)k->nrl + 1) * sizeof *ind);
    double *val = tri_malloc(((size_t)k->nrl + 1) * sizeof *val);
    if (!ind || !val) {
        tri_free(ind);
        tri_free(val);
        return -1;
    }
    for (int j = 0; j < k->nc; j++) {
        int col = k->cols[j], len = 0;
        tri_lp_set_col_bounds(lp, j + 1, L->ctype[col], L->clb[col], L->cub[col]);
        for (int e = L->cbeg[col]; e < L->cbeg[col + 1]; e++) {
            int r = L->crow[e], lo = 0, hi = k->nrl - 1;
            while (lo <= hi) {
                int mid = (lo + hi) / 2;
                if (k->lrows[mid] < r)
                    lo = mid + 1;
                else if (k->lrows[mid] > r)
                    hi = mid - 1;
                else {
                    ind[++len] = mid + 1;
                    val[len] = L->cval[e];
                    break;
                }
            }
        }
        if (len)
            tri_lp_set_mat_col(lp, j + 1, len, ind, val);
    }
    tri_free(ind);
    tri_free(val);
    tri_lp_scale(lp);
    tri_lp_fresh_basis(lp);
    return 0;
}

static void sub_take(dwcls *k, double *x)
{
    double big = 1;
    for (int j = 0; j < k->nc; j++) {
        x[j] = tri_lp_col_value(k->lp, 0, j + 1);
        big = fmax(big, fabs(x[j]));
    }
    double eps = 1e-12 * big;   /* the simplex's noise: tiny entries make the master ill-conditioned */
    for (int j = 0; j < k->nc; j++)
        if (fabs(x[j]) < eps)
            x[j] = 0;
}

/* the starting vertices: the farthest point (max sum x: proves the block
 * bounded when every column has a finite lower bound) and the cheapest */
static void sub_init(const dwctx *c, dwcls *k)
{
    const tri_dwlp *L = c->lp;
    for (int j = 0; j < k->nc; j++) {
        int t = L->ctype[k->cols[j]];
        if (!tri_lp_has_lower(t)) {
            k->resident = 1;
            return;
        }
    }
    if (sub_build(c, k) != 0) {
        k->status = TRI_LP_FAILED;
        return;
    }
    for (int j = 0; j < k->nc; j++)
        tri_lp_set_obj(k->lp, j + 1, -1.0);
    tri_lp_status s = sub_solve(c, k->lp);
    if (s == TRI_LP_UNBOUNDED) {
        k->resident = 1;
        tri_lp_free(k->lp);
        k->lp = NULL;
        return;
    }
    if (s != TRI_LP_OPTIMAL) {
        k->status = s;
        return;
    }
    sub_take(k, k->xv2);
    for (int j = 0; j < k->nc; j++)
        tri_lp_set_obj(k->lp, j + 1, L->obj[k->cols[j]]);
    s = sub_solve(c, k->lp);
    if (s != TRI_LP_OPTIMAL) {
        k->status = s;
        return;
    }
    sub_take(k, k->xv3);
    /* the most compliant vertex: least activity in rows with an upper
     * bound, most in rows with a lower bound (helps phase 1) */
    for (int j = 0; j < k->nc; j++)
        k->xv[j] = 0;
    for (int e = 0; e < k->nl; e++)
        k->xv[k->lc[e]] += c->winit[k->lr[e]] * k->lv[e];
    for (int j = 0; j < k->nc; j++)
        tri_lp_set_obj(k->lp, j + 1, k->xv[j] + 1e-6 * L->obj[k->cols[j]]);
    s = sub_solve(c, k->lp);
    if (s != TRI_LP_OPTIMAL) {
        k->status = s;
        return;
    }
    sub_take(k, k->xv);
    /* xv: compliant, xv3: cheapest */
}

static void sub_price(const dwctx *c, dwcls *k)
{
    const tri_dwlp *L = c->lp;
    /* phase * c - A' pi, over the entries in master rows */
    for (int j = 0; j < k->nc; j++)
        k->xv[j] = c->phase * L->obj[k->cols[j]];
    for (int e = 0; e < k->nl; e++)
        k->xv[k->lc[e]] -= c->pi[k->lr[e]] * k->lv[e];
    for (int j = 0; j < k->nc; j++)
        tri_lp_set_obj(k->lp, j + 1, k->xv[j]);
    k->status = sub_solve(c, k->lp);
    if (k->status != TRI_LP_OPTIMAL)
        return;
    k->z = tri_lp_obj(k->lp, 0);
    sub_take(k, k->xv);
    k->cx = 0;
    for (int j = 0; j < k->nc; j++)
        k->cx += L->obj[k->cols[j]] * k->xv[j];
}

typedef struct share_call {
    dwctx *c;
    int tid;
    dwcmd cmd;
} share_call;

/* thread @tid's subproblems do @cmd (under a guard) */
static void share(void *arg)
{
    const share_call *a = arg;
    dwctx *c = a->c;
    for (int i = 0; i < c->ncls; i++) {
        dwcls *k = &c->cls[i];
        if (k->owner != a->tid)
            continue;
        if (a->cmd == CMD_INIT)
            sub_init(c, k);
        else if (a->cmd == CMD_PRICE && !k->resident && k->lp && k->active)
            sub_price(c, k);
        else if (a->cmd == CMD_DUALS && !k->resident && k->lp)
            for (int r = 0; r < k->nrl; r++)
                k->ldual[r] = tri_lp_row_dual(k->lp, 0, r + 1);
        else if (a->cmd == CMD_EXIT && k->lp) {
            tri_lp_free(k->lp);
            k->lp = NULL;
        }
    }
}

static void run_share(dwctx *c, int tid, dwcmd cmd)
{
    share_call a = {c, tid, cmd};
    if (tri_lp_guard(share, &a) == 0)
        return;
    /* the backend failed: this thread's problems are gone */
    for (int i = 0; i < c->ncls; i++)
        if (c->cls[i].owner == tid)
            c->cls[i].lp = NULL;
    pthread_mutex_lock(&c->mu);
    c->failed = 1;
    if (tid == 0)
        c->lost0 = 1;
    pthread_mutex_unlock(&c->mu);
}

typedef struct dwworker {
    dwctx *c;
    int tid;
} dwworker;

static void *worker_main(void *arg)
{
    dwworker *w = arg;
    dwctx *c = w->c;
    tr_library_init();
    unsigned seen = 0;
    for (;;) {
        pthread_mutex_lock(&c->mu);
        while (c->gen == seen)
            pthread_cond_wait(&c->go, &c->mu);
        seen = c->gen;
        dwcmd cmd = c->cmd;
        pthread_mutex_unlock(&c->mu);
        run_share(c, w->tid, cmd);
        pthread_mutex_lock(&c->mu);
        if (--c->pending == 0)
            pthread_cond_signal(&c->done);
        pthread_mutex_unlock(&c->mu);
        if (cmd == CMD_EXIT)
            break;
    }
    tri_lp_thread_done();
    return NULL;
}

/* run @cmd on every subproblem: the workers' shares and this thread's */
static void broadcast(dwctx *c, dwcmd cmd)
{
    if (c->T > 1) {
        pthread_mutex_lock(&c->mu);
        c->cmd = cmd;
        c->pending = c->T - 1;
        c->gen++;
        pthread_cond_broadcast(&c->go);
        pthread_mutex_unlock(&c->mu);
    }
    run_share(c, 0, cmd);
    if (c->T > 1) {
        pthread_mutex_lock(&c->mu);
        while (c->pending > 0)
            pthread_cond_wait(&c->done, &c->mu);
        pthread_mutex_unlock(&c->mu);
    }
}

/* ------------------------------------------------------------ blocks */

static uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
    return h;
}

static uint64_t dbits(double d)
{
    uint64_t u;
    if (d == 0)
        d = 0;   /* -0 == 0 */
    memcpy(&u, &d, sizeof u);
    return u;
}

typedef struct blkinfo {
    int *cbeg, *cols;    /* columns of block b: cols[cbeg[b]..cbeg[b+1]) */
    int *rbeg, *rows;    /* own rows of block b */
    int *rowblk;         /* [nr]: block of a row, -1 coupling */
    int *rpos;           /* [nr]: position of an own row in its block's list */
} blkinfo;

/* the key of an entry: own rows by position, coupling rows by number */
static long ekey(const blkinfo *bi, int r) { return bi->rowblk[r] >= 0 ? -1 - (long)bi->rpos[r] : (long)r; }

static uint64_t blk_hash(const tri_dwlp *L, const blkinfo *bi, int b)
{
    uint64_t h = 1469598103934665603ULL;
    h = mix(h, (uint64_t)(bi->cbeg[b + 1] - bi->cbeg[b]));
    h = mix(h, (uint64_t)(bi->rbeg[b + 1] - bi->rbeg[b]));
    for (int q = bi->cbeg[b]; q < bi->cbeg[b + 1]; q++) {
        int j = bi->cols[q];
        h = mix(h, (uint64_t)L->ctype[j]);
        h = mix(h, dbits(L->clb[j]));
        h = mix(h, dbits(L->cub[j]));
        h = mix(h, dbits(L->obj[j]));
        for (int e = L->cbeg[j]; e < L->cbeg[j + 1]; e++) {
            h = mix(h, (uint64_t)ekey(bi, L->crow[e]));
            h = mix(h, dbits(L->cval[e]));
        }
    }
    for (int q = bi->rbeg[b]; q < bi->rbeg[b + 1]; q++) {
        int r = bi->rows[q];
        h = mix(h, (uint64_t)L->rtype[r]);
        h = mix(h, dbits(L->rlb[r]));
        h = mix(h, dbits(L->rub[r]));
    }
    return h;
}

static int blk_same(const tri_dwlp *L, const blkinfo *bi, int a, int b)
{
    int na = bi->cbeg[a + 1] - bi->cbeg[a], ra = bi->rbeg[a + 1] - bi->rbeg[a];
    if (na != bi->cbeg[b + 1] - bi->cbeg[b] || ra != bi->rbeg[b + 1] - bi->rbeg[b])
        return 0;
    for (int q = 0; q < na; q++) {
        int i = bi->cols[bi->cbeg[a] + q], j = bi->cols[bi->cbeg[b] + q];
        if (L->ctype[i] != L->ctype[j] || L->clb[i] != L->clb[j] || L->cub[i] != L->cub[j] ||
            L->obj[i] != L->obj[j] || L->cbeg[i + 1] - L->cbeg[i] != L->cbeg[j + 1] - L->cbeg[j])
            return 0;
        for (int e = L->cbeg[i], f = L->cbeg[j]; e < L->cbeg[i + 1]; e++, f++)
            if (ekey(bi, L->crow[e]) != ekey(bi, L->crow[f]) || L->cval[e] != L->cval[f])
                return 0;
    }
    for (int q = 0; q < ra; q++) {
        int r = bi->rows[bi->rbeg[a] + q], s = bi->rows[bi->rbeg[b] + q];
        if (L->rtype[r] != L->rtype[s] || L->rlb[r] != L->rlb[s] || L->rub[r] != L->rub[s])
            return 0;
    }
    return 1;
}

typedef struct hidx {
    uint64_t h;
    int b;
} hidx;

static int hidx_cmp(const void *x, const void *y)
{
    const hidx *a = x, *b = y;
    if (a->h != b->h)
        return a->h < b->h ? -1 : 1;
    return (a->b > b->b) - (a->b < b->b);
}

static void blk_free(blkinfo *bi)
{
    tri_free(bi->cbeg);
    tri_free(bi->cols);
    tri_free(bi->rbeg);
    tri_free(bi->rows);
    tri_free(bi->rowblk);
    tri_free(bi->rpos);
}

static int blk_make(const tri_dwlp *L, blkinfo *bi)
{
    int B = L->nblk;
    memset(bi, 0, sizeof *bi);
    bi->cbeg = tri_calloc((size_t)B + 1, sizeof *bi->cbeg);
    bi->cols = tri_calloc((size_t)L->n + 1, sizeof *bi->cols);
    bi->rbeg = tri_calloc((size_t)B + 1, sizeof *bi->rbeg);
    bi->rows = tri_calloc((size_t)L->nr + 1, sizeof *bi->rows);
    bi->rowblk = tri_calloc((size_t)L->nr + 1, sizeof *bi->rowblk);
    bi->rpos = tri_calloc((size_t)L->nr + 1, sizeof *bi->rpos);
    if (!bi->cbeg || !bi->cols || !bi->rbeg || !bi->rows || !bi->rowblk || !bi->rpos)
        return -1;
    for (int j = 1; j <= L->n; j++)
        if (L->colblk[j] >= 0)
            bi->cbeg[L->colblk[j] + 1]++;
    for (int b = 0; b < B; b++)
        bi->cbeg[b + 1] += bi->cbeg[b];
    int *fill = tri_calloc((size_t)B + 1, sizeof *fill);
    if (!fill)
        return -1;
    for (int b = 0; b < B; b++)
        fill[b] = bi->cbeg[b];
    for (int j = 1; j <= L->n; j++)
        if (L->colblk[j] >= 0)
            bi->cols[fill[L->colblk[j]]++] = j;
    /* a row belongs to a block when all its columns do; -2: no column yet */
    for (int r = 0; r < L->nr; r++)
        bi->rowblk[r] = -2;
    for (int j = 1; j <= L->n; j++)
        for (int e = L->cbeg[j]; e < L->cbeg[j + 1]; e++) {
            int r = L->crow[e], b = L->colblk[j];
            if (bi->rowblk[r] == -2)
                bi->rowblk[r] = b;
            else if (bi->rowblk[r] != b)
                bi->rowblk[r] = -1;
        }
    for (int r = 0; r < L->nr; r++) {
        if (bi->rowblk[r] < 0)
            bi->rowblk[r] = -1;
        else
            bi->rbeg[bi->rowblk[r] + 1]++;
    }
    for (int b = 0; b < B; b++) {
        bi->rbeg[b + 1] += bi->rbeg[b];
        fill[b] = bi->rbeg[b];
    }
    for (int r = 0; r < L->nr; r++)
        if (bi->rowblk[r] >= 0) {
            int b = bi->rowblk[r];
            bi->rpos[r] = fill[b] - bi->rbeg[b];
            bi->rows[fill[b]++] = r;
        }
    tri_free(fill);
    return 0;
}

/* classes of identical blocks (or one per block); returns the count, -1 on OOM */
static int make_classes(const tri_dwlp *L, const blkinfo *bi, int aggregate, dwcls **out, int *cofout)
{
    int B = L->nblk, n = 0;
    hidx *hx = tri_calloc((size_t)B + 1, sizeof *hx);
    int *cof = tri_calloc((size_t)B + 1, sizeof *cof);   /* class of block */
    dwcls *cls = tri_calloc((size_t)B + 1, sizeof *cls);
    if (!hx || !cof || !cls) {
        tri_free(hx);
        tri_free(cof);
        tri_free(cls);
        return -1;
    }
    int nb = 0;
    for (int b = 0; b < B; b++) {
        cof[b] = -1;
        if (bi->cbeg[b + 1] > bi->cbeg[b]) {
            hx[nb].h = aggregate ? blk_hash(L, bi, b) : (uint64_t)b;
            hx[nb++].b = b;
        }
    }
    qsort(hx, (size_t)nb, sizeof *hx, hidx_cmp);
    /* within a run of equal hashes, compare against the run's classes */
    for (int i = 0; i < nb;) {
        int e = i;
        while (e < nb && hx[e].h == hx[i].h)
            e++;
        for (int q = i; q < e; q++) {
            int b = hx[q].b;
            for (int p = i; p < q && cof[b] < 0; p++) {
                int a = hx[p].b;
                if (cls[cof[a]].rep == a && aggregate && blk_same(L, bi, a, b))
                    cof[b] = cof[a];
            }
            if (cof[b] < 0)
                cof[b] = n++;   /* numbered again below, in block order */
            if (cls[cof[b]].mult++ == 0)
                cls[cof[b]].rep = b;
        }
        i = e;
    }
    /* number the classes by their representative (deterministic order) */
    hidx *ord = hx;
    for (int c = 0; c < n; c++) {
        ord[c].h = (uint64_t)cls[c].rep;
        ord[c].b = c;
    }
    qsort(ord, (size_t)n, sizeof *ord, hidx_cmp);
    dwcls *sorted = tri_calloc((size_t)n + 1, sizeof *sorted);
    if (!sorted) {
        tri_free(hx);
        tri_free(cof);
        tri_free(cls);
        return -1;
    }
    for (int c = 0; c < n; c++)
        sorted[c] = cls[ord[c].b];
    /* ord[new].b = old: invert into cls[old].nc (free until cls_alloc) */
    for (int c = 0; c < n; c++)
        cls[ord[c].b].nc = c;
    for (int b = 0; b < B; b++)
        cofout[b] = cof[b] < 0 ? -1 : cls[cof[b]].nc;
    tri_free(cls);
    tri_free(hx);
    tri_free(cof);
    *out = sorted;
    return n;
}

/* ------------------------------------------------------------ master */

/* Phase 0 prices artificials at BIG_M times their phase-1 weight together
 * with the real costs (one phase when the penalty exceeds every dual); as
 * soon as they are out, phase 2 fixes them at zero. */
#define BIG_M 1e4

typedef struct lamcol {
    int cls;
    int nz;
    int *idx;       /* local columns */
    double *val;
    double cost;
    int age;        /* master solves since it was last basic */
    uint64_t hash;  /* of the vertex, to spot a column proposed again */
    int col;        /* its column in the LP master, 0 while in the pool */
    int mnz;        /* its coefficients in the master rows, convexity row last */
    int *mind;      /* [mnz + 1], 1-based as in lp.h */
    double *mval;
} lamcol;

typedef struct master {
    tri_lp *lp;
    int nm;             /* master rows (global row ids in mrow) */
    int *mrow;          /* [nm] */
    int *mpos;          /* [nr]: 1-based master row of a global row, 0 none */
    int nres;           /* resident columns */
    int *rescol;        /* [nres] global columns */
    int nart;
    int art0;           /* first artificial column */
    double S;           /* largest row scale: artificials cost S / scale of their row */
    double *aw;         /* [nart] those phase-1 weights */
    double *base;       /* [ncls] cost of a class's first vertex: lambdas cost the difference (smaller
                         * numbers for the simplex's relative tolerances), mult*base is a constant */
    double basesum;
    unsigned char *based;   /* [ncls] base set */
    lamcol *lam;        /* in the LP master (col > 0) or in the pool */
    size_t nlam, caplam;
    double lamc;        /* the lambdas' cost weight: 0 in phase 1, else 1 */
    size_t added;       /* columns put into the LP master so far */
    int *ind;
    double *val, *acc;  /* scratch [nm + ncls + 1] */
    double *y;          /* the master's row duals, 1-based [nm + ncls + 1] */
} master;

static void lam_free(lamcol *l)
{
    tri_free(l->idx);
    tri_free(l->val);
    tri_free(l->mind);
    tri_free(l->mval);
}

/* put lambda @l into the LP master */
static void lam_to_lp(master *M, lamcol *l)
{
    int col = tri_lp_add_cols(M->lp, 1);
    tri_lp_set_col_bounds(M->lp, col, TRI_LP_LOWER, 0, 0);
    tri_lp_set_obj(M->lp, col, M->lamc * l->cost);
    tri_lp_set_mat_col(M->lp, col, l->mnz, l->mind, l->mval);
    l->col = col;
    M->added++;
}

/* 0 added, 1 the master has it already, -1 out of memory */
static int master_add_lambda(master *M, const dwctx *c, int ci, const double *x)
{
    const dwcls *k = &c->cls[ci];
    const tri_dwlp *L = c->lp;
    if (M->nlam == M->caplam) {
        size_t cap = M->caplam ? 2 * M->caplam : 256;
        lamcol *n = tri_realloc(M->lam, cap * sizeof *n);
        if (!n)
            return -1;
        M->lam = n;
        M->caplam = cap;
    }
    int nz = 0;
    uint64_t h = mix(1469598103934665603ULL, (uint64_t)ci);
    for (int j = 0; j < k->nc; j++)
        if (x[j] != 0) {
            nz++;
            h = mix(mix(h, (uint64_t)j), dbits(x[j]));
        }
    /* a vertex the master already has: it priced it within its tolerance
     * (one in the pool goes back into the master) */
    for (size_t q = 0; q < M->nlam; q++) {
        lamcol *o = &M->lam[q];
        if (o->hash != h || o->cls != ci || o->nz != nz)
            continue;
        int same = 1;
        for (int e = 0; e < nz && same; e++)
            same = x[o->idx[e]] == o->val[e];
        if (same && o->col > 0)
            return 1;
        if (same) {
            o->age = 0;
            lam_to_lp(M, o);
            return 0;
        }
    }
    lamcol *l = &M->lam[M->nlam];
    memset(l, 0, sizeof *l);
    l->cls = ci;
    l->hash = h;
    l->idx = tri_malloc(((size_t)nz + 1) * sizeof *l->idx);
    l->val = tri_malloc(((size_t)nz + 1) * sizeof *l->val);
    if (!l->idx || !l->val) {
        lam_free(l);
        return -1;
    }
    double cost = 0;
    for (int j = 0; j < k->nc; j++)
        if (x[j] != 0) {
            l->idx[l->nz] = j;
            l->val[l->nz++] = x[j];
            cost += L->obj[k->cols[j]] * x[j];
        }
    if (!M->based[ci]) {
        M->based[ci] = 1;
        M->base[ci] = cost;
        M->basesum += k->mult * cost;
    }
    cost -= M->base[ci];
    l->cost = cost;
    M->nlam++;
    /* coefficients in the master rows */
    int len = 0;
    for (int e = 0; e < k->nl; e++) {
        double v = x[k->lc[e]];
        if (v == 0)
            continue;
        int mr = M->mpos[k->lr[e]];
        if (M->acc[mr] == 0)
            M->ind[++len] = mr;
        M->acc[mr] += k->lv[e] * v;
        if (M->acc[mr] == 0)
            M->acc[mr] = 1e-300;   /* keep it listed; cancelled below */
    }
    int out = 0;
    for (int q = 1; q <= len; q++) {
        int mr = M->ind[q];
        double v = M->acc[mr];
        M->acc[mr] = 0;
        if (fabs(v) > 1e-290) {
            M->ind[++out] = mr;
            M->val[out] = v;
        }
    }
    M->ind[++out] = M->nm + 1 + ci;   /* convexity */
    M->val[out] = 1.0;
    l->mind = tri_malloc(((size_t)out + 1) * sizeof *l->mind);
    l->mval = tri_malloc(((size_t)out + 1) * sizeof *l->mval);
    if (!l->mind || !l->mval) {
        M->nlam--;
        lam_free(l);
        return -1;
    }
    memcpy(l->mind, M->ind, ((size_t)out + 1) * sizeof *l->mind);
    memcpy(l->mval, M->val, ((size_t)out + 1) * sizeof *l->mval);
    l->mnz = out;
    lam_to_lp(M, l);
    return 0;
}

static void master_free(master *M)
{
    if (M->lp)
        tri_lp_free(M->lp);
    for (size_t i = 0; i < M->nlam; i++)
        lam_free(&M->lam[i]);
    tri_free(M->lam);
    tri_free(M->mrow);
    tri_free(M->mpos);
    tri_free(M->rescol);
    tri_free(M->ind);
    tri_free(M->val);
    tri_free(M->acc);
    tri_free(M->y);
    tri_free(M->aw);
    tri_free(M->base);
    tri_free(M->based);
}

/* OPTIMAL, INFEASIBLE or FAILED */
static tri_lp_status master_solve(master *M, const tri_dwopts *o)
{
    tri_lp_params p;
    dw_params(o, M->lp, &p);
    /* Dantzig's rule: the master's columns outnumber its rows, and the
     * projected steepest edge's updates cost more than the pivots they save
     * (1,000 plants: 3.4 s to 2.5 s in the master, same pivots) */
    p.textbook_pricing = 1;
    tri_lp_end end = tri_lp_simplex(M->lp, &p, NULL);
    if (test_fault(2))
        end = TRI_LP_NUMERIC;
    if (end != TRI_LP_DONE || tri_lp_get_status(M->lp, 0) != TRI_LP_OPTIMAL) {
        /* also when it claims the master unbounded (it is not: the lambdas
         * are bounded by their convexity rows, the artificials cost) or
         * infeasible: an ill-conditioned basis can mislead the ratio test.
         * The dual simplex from a fresh basis, rescaled; if it fails too,
         * the primal simplex from the standard basis. */
        tri_lp_scale(M->lp);
        tri_lp_fresh_basis(M->lp);
        p.method = TRI_LP_DUAL_SIMPLEX;
        end = tri_lp_simplex(M->lp, &p, NULL);
        if (test_fault(4))
            end = TRI_LP_NUMERIC;
        tri_lp_status s = tri_lp_get_status(M->lp, 0);
        if (end != TRI_LP_DONE || (s != TRI_LP_OPTIMAL && s != TRI_LP_INFEASIBLE)) {
            tri_lp_std_basis(M->lp);
            p.method = TRI_LP_PRIMAL_SIMPLEX;
            end = tri_lp_simplex(M->lp, &p, NULL);
        }
    }
    tri_lp_status s = lp_outcome(M->lp, end);
    return s == TRI_LP_OPTIMAL || s == TRI_LP_INFEASIBLE ? s : TRI_LP_FAILED;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* ------------------------------------------------------------ the solve */

void tri_dw_res_free(tri_dwres *res) { tri_lp_sol_free(&res->sol); }

/* the first failure says why; running out of memory always does */
static void fail(tri_dwres *res, tri_lp_status st, const char *msg)
{
    if (res->sol.status == TRI_LP_OPTIMAL || st == TRI_LP_NOMEM) {
        res->sol.status = st;
        snprintf(res->sol.msg, sizeof res->sol.msg, "%s", msg);
    }
}

/* everything allocated per class */
static int cls_alloc(const tri_dwlp *L, const blkinfo *bi, dwcls *k)
{
    int b = k->rep;
    k->nc = bi->cbeg[b + 1] - bi->cbeg[b];
    k->nrl = bi->rbeg[b + 1] - bi->rbeg[b];
    k->cols = bi->cols + bi->cbeg[b];
    k->lrows = bi->rows + bi->rbeg[b];
    k->xv = tri_calloc((size_t)k->nc + 1, sizeof *k->xv);
    k->xv2 = tri_calloc((size_t)k->nc + 1, sizeof *k->xv2);
    k->xv3 = tri_calloc((size_t)k->nc + 1, sizeof *k->xv3);
    k->ldual = tri_calloc((size_t)k->nrl + 1, sizeof *k->ldual);
    int nl = 0;
    for (int j = 0; j < k->nc; j++)
        for (int e = L->cbeg[k->cols[j]]; e < L->cbeg[k->cols[j] + 1]; e++)
            nl += bi->rowblk[L->crow[e]] < 0;
    k->lc = tri_malloc(((size_t)nl + 1) * sizeof *k->lc);
    k->lr = tri_malloc(((size_t)nl + 1) * sizeof *k->lr);
    k->lv = tri_malloc(((size_t)nl + 1) * sizeof *k->lv);
    if (!k->xv || !k->xv2 || !k->xv3 || !k->ldual || !k->lc || !k->lr || !k->lv)
        return -1;
    for (int j = 0; j < k->nc; j++)
        for (int e = L->cbeg[k->cols[j]]; e < L->cbeg[k->cols[j] + 1]; e++)
            if (bi->rowblk[L->crow[e]] < 0) {
                k->lc[k->nl] = j;
                k->lr[k->nl] = L->crow[e];
                k->lv[k->nl++] = L->cval[e];
            }
    return 0;
}

static void cls_free(dwcls *k)
{
    tri_free(k->xv);
    tri_free(k->xv2);
    tri_free(k->xv3);
    tri_free(k->ldual);
    tri_free(k->lc);
    tri_free(k->lr);
    tri_free(k->lv);
}

/* Build the master: coupling rows, rows of resident blocks, convexity rows;
 * resident columns, artificials, the starting lambdas. */
static int master_build(master *M, dwctx *c, const blkinfo *bi)
{
    const tri_dwlp *L = c->lp;
    int nr = L->nr;
    M->mpos = tri_calloc((size_t)nr + 1, sizeof *M->mpos);
    M->mrow = tri_calloc((size_t)nr + 1, sizeof *M->mrow);
    M->rescol = tri_calloc((size_t)L->n + 1, sizeof *M->rescol);
    M->base = tri_calloc((size_t)c->ncls + 1, sizeof *M->base);
    M->based = tri_calloc((size_t)c->ncls + 1, sizeof *M->based);
    M->ind = tri_calloc((size_t)nr + (size_t)c->ncls + 2, sizeof *M->ind);
    M->val = tri_calloc((size_t)nr + (size_t)c->ncls + 2, sizeof *M->val);
    M->acc = tri_calloc((size_t)nr + (size_t)c->ncls + 2, sizeof *M->acc);
    M->y = tri_calloc((size_t)nr + (size_t)c->ncls + 2, sizeof *M->y);
    if (!M->mpos || !M->mrow || !M->rescol || !M->base || !M->based || !M->ind || !M->val || !M->acc || !M->y)
        return -1;
    /* every member of a resident class is resident: identical unbounded
     * plants each keep their own columns and rows in the master */
    int *resblk = tri_calloc((size_t)L->nblk + 1, sizeof *resblk);
    if (!resblk)
        return -1;
    for (int b = 0; b < L->nblk; b++)
        resblk[b] = c->cof[b] >= 0 && c->cls[c->cof[b]].resident;
    for (int r = 0; r < nr; r++) {
        int b = bi->rowblk[r];
        if (b < 0 || resblk[b]) {
            M->mrow[M->nm] = r;
            M->mpos[r] = ++M->nm;
        }
    }
    for (int j = 1; j <= L->n; j++) {
        int b = L->colblk[j];
        if (b < 0 || resblk[b])
            M->rescol[M->nres++] = j;
    }
    tri_free(resblk);
    tri_lp *lp = M->lp = tri_lp_new(NULL);
    int nrow = M->nm + c->ncls;
    if (nrow)
        tri_lp_add_rows(lp, nrow);
    for (int i = 0; i < M->nm; i++) {
        int r = M->mrow[i];
        tri_lp_set_row_bounds(lp, i + 1, L->rtype[r], L->rlb[r], L->rub[r]);
    }
    for (int ci = 0; ci < c->ncls; ci++) {
        const dwcls *k = &c->cls[ci];
        if (k->resident)
            tri_lp_set_row_bounds(lp, M->nm + 1 + ci, TRI_LP_FREE, 0, 0);
        else
            tri_lp_set_row_bounds(lp, M->nm + 1 + ci, TRI_LP_FIXED, k->mult, k->mult);
    }
    /* resident columns */
    if (M->nres)
        tri_lp_add_cols(lp, M->nres);
    for (int q = 0; q < M->nres; q++) {
        int j = M->rescol[q], len = 0;
        tri_lp_set_col_bounds(lp, q + 1, L->ctype[j], L->clb[j], L->cub[j]);
        tri_lp_set_obj(lp, q + 1, L->obj[j]);   /* phase 0: real costs */
        for (int e = L->cbeg[j]; e < L->cbeg[j + 1]; e++) {
            M->ind[++len] = M->mpos[L->crow[e]];
            M->val[len] = L->cval[e];
        }
        if (len)
            tri_lp_set_mat_col(lp, q + 1, len, M->ind, M->val);
    }
    /* artificials: +1 for rows with a lower bound, -1 for an upper one. A
     * unit of relative shortfall costs S in every row: weights of 1/scale
     * alone would make reduced costs fall under the simplex tolerance. */
    M->art0 = M->nres + 1;
    M->S = 1;
    for (int i = 0; i < M->nm; i++)
        M->S = fmax(M->S, fmax(fabs(L->rlb[M->mrow[i]]), fabs(L->rub[M->mrow[i]])));
    M->aw = tri_calloc(2 * (size_t)M->nm + 1, sizeof *M->aw);
    if (!M->aw)
        return -1;
    for (int i = 0; i < M->nm; i++) {
        int t = L->rtype[M->mrow[i]];
        double sc = M->S / fmax(1.0, fmax(fabs(L->rlb[M->mrow[i]]), fabs(L->rub[M->mrow[i]])));
        for (int sgn = 1; sgn >= -1; sgn -= 2) {
            if ((sgn > 0 && !tri_lp_has_lower(t)) ||
                (sgn < 0 && !tri_lp_has_upper(t)))
                continue;
            int col = tri_lp_add_cols(lp, 1);
            int ind[2] = {0, i + 1};
            double val[2] = {0, (double)sgn};
            tri_lp_set_mat_col(lp, col, 1, ind, val);
            tri_lp_set_col_bounds(lp, col, TRI_LP_LOWER, 0, 0);
            tri_lp_set_obj(lp, col, BIG_M * sc);
            M->aw[M->nart++] = sc;
        }
    }
    M->lamc = 1;
    for (int ci = 0; ci < c->ncls; ci++) {
        dwcls *k = &c->cls[ci];
        if (k->resident)
            continue;
        if (master_add_lambda(M, c, ci, k->xv3) < 0 || master_add_lambda(M, c, ci, k->xv2) < 0 ||
            master_add_lambda(M, c, ci, k->xv) < 0)
            return -1;
    }
    tri_lp_set_obj(lp, 0, M->basesum);
    tri_lp_scale(lp);
    tri_lp_fresh_basis(lp);
    return 0;
}

/* the lambdas' costs times @w (0 in phase 1, else 1), in the LP master
 * and for those the pool gives back */
static void master_lamc(master *M, double w)
{
    M->lamc = w;
    for (size_t l = 0; l < M->nlam; l++)
        if (M->lam[l].col > 0)
            tri_lp_set_obj(M->lp, M->lam[l].col, w * M->lam[l].cost);
}

/* phase 0 ended with artificials in the solution: minimise them alone
 * (phase 1) to tell infeasible from a penalty too small */
static void master_phase1(master *M)
{
    tri_lp_set_obj(M->lp, 0, 0);
    for (int q = 0; q < M->nres; q++)
        tri_lp_set_obj(M->lp, q + 1, 0);
    for (int a = 0; a < M->nart; a++)
        tri_lp_set_obj(M->lp, M->art0 + a, M->aw[a]);
    master_lamc(M, 0);
}

/* back to phase 0 from phase 2: the artificials free again at their
 * penalty, the real costs stay */
static void master_phase0(master *M)
{
    for (int a = 0; a < M->nart; a++) {
        tri_lp_set_col_bounds(M->lp, M->art0 + a, TRI_LP_LOWER, 0, 0);
        tri_lp_set_obj(M->lp, M->art0 + a, BIG_M * M->aw[a]);
    }
}

/* the artificials' phase-1 value */
static double master_art(const master *M)
{
    double z = 0;
    for (int a = 0; a < M->nart; a++)
        z += M->aw[a] * tri_lp_col_value(M->lp, 0, M->art0 + a);
    return z;
}

/* switch the master to phase 2: artificials out, real costs in */
static void master_phase2(master *M, const dwctx *c)
{
    const tri_dwlp *L = c->lp;
    for (int q = 0; q < M->nres; q++)
        tri_lp_set_obj(M->lp, q + 1, L->obj[M->rescol[q]]);
    for (int a = 0; a < M->nart; a++) {
        tri_lp_set_col_bounds(M->lp, M->art0 + a, TRI_LP_FIXED, 0, 0);
        tri_lp_set_obj(M->lp, M->art0 + a, 0);
    }
    master_lamc(M, 1);
    tri_lp_set_obj(M->lp, 0, M->basesum);
}

/* After an optimal master: age the lambdas; those nonbasic with a positive
 * reduced cost leave the LP master for the pool (its simplex prices every
 * column at every pivot, so fewer columns make cheaper pivots), and pool
 * columns unused for @maxage master solves are dropped while there are more
 * than @keep lambdas. Returns how many were dropped. */
static int master_purge(master *M, int maxage, size_t keep)
{
    int ncol = tri_lp_ncols(M->lp);
    int *del = tri_malloc(((size_t)ncol + 1) * sizeof *del);
    int *shift = tri_calloc((size_t)ncol + 1, sizeof *shift);
    if (!del || !shift) {
        tri_free(del);
        tri_free(shift);
        return 0;
    }
    int nd = 0, dropped = 0, drop = M->nlam > keep;
    size_t w = 0;
    for (size_t l = 0; l < M->nlam; l++) {
        lamcol *lc = &M->lam[l];
        if (lc->col > 0 && tri_lp_col_basic(M->lp, lc->col)) {
            lc->age = 0;
        } else {
            lc->age++;
            if (lc->col > 0 && tri_lp_col_dual(M->lp, lc->col) > 0) {
                del[++nd] = lc->col;
                shift[lc->col] = 1;
                lc->col = 0;
            }
        }
        if (lc->col == 0 && drop && lc->age > maxage) {
            lam_free(lc);
            dropped++;
        } else {
            M->lam[w++] = *lc;
        }
    }
    M->nlam = w;
    if (nd) {
        tri_lp_del_cols(M->lp, nd, del);
        for (int j = 1; j <= ncol; j++)
            shift[j] += shift[j - 1];
        for (size_t l = 0; l < M->nlam; l++)
            if (M->lam[l].col > 0)
                M->lam[l].col -= shift[M->lam[l].col];
    }
    tri_free(del);
    tri_free(shift);
    return dropped;
}

/* Price the pool at the master's duals: columns whose reduced cost is below
 * -@thr go back into the LP master. Returns how many. */
static int master_unpool(master *M, double thr)
{
    int nrow = tri_lp_nrows(M->lp), n = 0;
    for (int i = 1; i <= nrow; i++)
        M->y[i] = tri_lp_row_dual(M->lp, 0, i);
    for (size_t l = 0; l < M->nlam; l++) {
        lamcol *lc = &M->lam[l];
        if (lc->col > 0)
            continue;
        double rc = M->lamc * lc->cost;
        for (int e = 1; e <= lc->mnz; e++)
            rc -= M->y[lc->mind[e]] * lc->mval[e];
        if (rc < -thr) {
            lam_to_lp(M, lc);
            n++;
        }
    }
    return n;
}

/* Solve the master over all its columns, the pool's included: solve the
 * LP master, price the pool at its duals, put back what improves, again.
 * @add0 is added to the objective for the relative threshold. Returns as
 * master_solve. */
static tri_lp_status master_opt(master *M, const tri_dwopts *o, double add0)
{
    for (int pass = 0;; pass++) {
        tri_lp_status ms = master_solve(M, o);
        if (ms == TRI_LP_INFEASIBLE || pass >= POOL_PASSES) {
            /* infeasible without the pool, or no end in sight: every
             * column in */
            if (master_unpool(M, -INFINITY) > 0)
                continue;
            return ms;
        }
        if (ms != TRI_LP_OPTIMAL)
            return ms;
        double thr = REDUCED_COST_TOL * fmax(1.0, fabs(tri_lp_obj(M->lp, 0) + add0));
        if (master_unpool(M, thr) == 0)
            return TRI_LP_OPTIMAL;
    }
}

/* The Lagrangian bound of phase 2 at duals @pi (by global row, master rows
 * only; the subproblems were just priced there): the sector rows at the
 * bound their dual's sign selects, the subproblems' optima, the resident
 * columns at the bound their reduced cost selects. -INFINITY when @pi gives
 * no bound (a resident column without the bound its reduced cost needs).
 * Comparable with the master's objective (both without L->obj0). At the
 * master's own duals it equals the bound dw_run computes from reduced
 * costs. */
static double lagr_bound(const master *M, const dwctx *c, const double *pi)
{
    const tri_dwlp *L = c->lp;
    double b = 0;
    for (int i = 0; i < M->nm; i++) {
        int r = M->mrow[i], t = L->rtype[r];
        double y = pi[r];
        int haslo = tri_lp_has_lower(t), hasup = tri_lp_has_upper(t);
        if (y > 0)
            b += haslo ? y * L->rlb[r] : (hasup ? y * L->rub[r] : 0);
        else if (y < 0)
            b += hasup ? y * L->rub[r] : (haslo ? y * L->rlb[r] : 0);
    }
    for (int ci = 0; ci < c->ncls; ci++) {
        const dwcls *k = &c->cls[ci];
        if (!k->resident)
            b += k->mult * k->z;
    }
    for (int q = 0; q < M->nres; q++) {
        int j = M->rescol[q], t = L->ctype[j];
        double d = L->obj[j];
        for (int e = L->cbeg[j]; e < L->cbeg[j + 1]; e++)
            d -= pi[L->crow[e]] * L->cval[e];
        if (d > 0)
            b += tri_lp_has_lower(t) ? d * L->clb[j] : -INFINITY;
        else if (d < 0)
            b += tri_lp_has_upper(t) ? d * L->cub[j] : -INFINITY;
    }
    return b;
}

/* ------------------------------------------------------------ the rounds */

typedef enum { PHASE_0, PHASE_1, PHASE_2 } dwphase;   /* see the top of the file */

/* which subproblems a pricing pass prices */
typedef enum {
    PRICE_ALL,    /* every one */
    PRICE_BUSY,   /* those whose last pricing improved the master (the tail) */
    PRICE_REST    /* the others, at the same point, after the busy ones found nothing */
} dwsel;

/* what a step of a round decides */
typedef enum { STEP_ON, STEP_NEXT_ROUND, STEP_STOP } dwstep;


/* one decomposed solve's state between its steps */
typedef struct dwrun {
    dwctx *c;
    const blkinfo *bi;
    tri_dwres *res;
    master *M;
    double *pi, *sigma;     /* the master's duals: rows (by global row), convexity rows */
    double *pis, *pic;      /* the pricing point; the last one (the smoothing's centre) */
    dwphase phase;
    double zm;              /* the master's objective */
    double t0, tinit, tmaster, tprice;
    double lastgap, bestlb; /* the last proven gap; phase 2's best Lagrangian bound */
    int have_center;        /* pic holds a pricing point of the current costs */
    int reopened, hold;     /* phase 0 reopened; no leaving it before the next pricing */
    int polish;             /* rounds after the gap was proven */
    int prev_priced, prev_new, since_full;   /* partial pricing */
    /* this round */
    double alpha, lb, scale, thr;
    size_t before;          /* columns added before its pricing */
    int bad, oom, priced_all;
} dwrun;

static void dw_infeasible(tri_dwres *res, const char *msg)
{
    res->sol.status = TRI_LP_INFEASIBLE;
    snprintf(res->sol.msg, sizeof res->sol.msg, "%s", msg);
}

/* the subproblems' starting vertices; 0, or -1 when they end the solve */
static int start_subproblems(dwrun *u)
{
    dwctx *c = u->c;
    u->t0 = now_s();
    broadcast(c, CMD_INIT);
    u->tinit = now_s() - u->t0;
    if (c->failed) {
        fail(u->res, TRI_LP_FAILED, "GLPK failed in a subproblem");
        return -1;
    }
    for (int ci = 0; ci < c->ncls; ci++) {
        const dwcls *k = &c->cls[ci];
        if (k->resident) {
            u->res->resident += k->mult;
        } else if (k->status == TRI_LP_INFEASIBLE) {
            dw_infeasible(u->res, "a plant's own rows cannot all hold");
            return -1;
        } else if (k->status != TRI_LP_OPTIMAL) {
            fail(u->res, TRI_LP_FAILED, "a subproblem could not be solved");
            return -1;
        }
    }
    return 0;
}

/* Solve the master. Phase 2 infeasible: the master was feasible only within
 * the simplex's tolerance when phase 0 ended (artificials at 1e-8, say):
 * without them it has no feasible point, so it needs more columns. Back to
 * phase 0, and price at least once before leaving it again. */
static dwstep master_round(dwrun *u)
{
    master *M = u->M;
    double ta = now_s();
    tri_lp_status ms = master_opt(M, u->c->o, u->phase == PHASE_1 ? 0 : u->c->lp->obj0);
    u->tmaster += now_s() - ta;
    u->res->iters++;
    if (ms == TRI_LP_OPTIMAL && u->phase == PHASE_2 && test_fault(1))
        ms = TRI_LP_INFEASIBLE;
    if (ms == TRI_LP_INFEASIBLE && u->phase == PHASE_2 && M->nart > 0 && u->reopened < REOPEN_MAX) {
        u->reopened++;
        u->hold = 1;
        u->phase = PHASE_0;
        u->have_center = 0;
        u->lastgap = INFINITY;
        master_phase0(M);
        return STEP_NEXT_ROUND;
    }
    if (ms != TRI_LP_OPTIMAL) {
        if (ms == TRI_LP_INFEASIBLE && u->phase == PHASE_1)
            dw_infeasible(u->res, "the coupling rows cannot all hold");
        else
            fail(u->res, TRI_LP_FAILED, "the master problem could not be solved");
        return STEP_STOP;
    }
    u->zm = tri_lp_obj(M->lp, 0);
    u->res->columns += (size_t)master_purge(M, PURGE_AGE, POOL_PER_LINE * (size_t)(u->c->ncls + M->nm));
    return STEP_ON;
}

/* phase 0 or 1 done (artificials out): on to phase 2 */
static dwstep phase_change(dwrun *u)
{
    master *M = u->M;
    if (!((u->phase == PHASE_1 && u->zm <= FEASIBLE_TOL * M->S) ||
          (u->phase == PHASE_0 && !u->hold && master_art(M) <= FEASIBLE_TOL * M->S)))
        return STEP_ON;
    u->have_center = 0;   /* other costs: the old duals are no centre */
    u->lastgap = INFINITY;
    if (u->phase == PHASE_1 || M->nart > 0) {
        u->phase = PHASE_2;
        master_phase2(M, u->c);
        return STEP_NEXT_ROUND;
    }
    u->phase = PHASE_2;   /* no artificials: phase 0 is phase 2 */
    return STEP_ON;
}

/* price the subproblems @sel selects at the current point pis; new
 * columns into the master. Returns how many. */
static int price_pass(dwrun *u, dwsel sel, int *priced)
{
    dwctx *c = u->c;
    master *M = u->M;
    int news = 0;
    *priced = 0;
    for (int ci = 0; ci < c->ncls; ci++) {
        dwcls *k = &c->cls[ci];
        k->active = sel == PRICE_ALL ? 1 : sel == PRICE_BUSY ? !k->idle : !k->active;
        *priced += k->active && !k->resident;
    }
    for (int i = 0; i < M->nm; i++) {
        int r = M->mrow[i];
        u->pis[r] = u->alpha * u->pic[r] + (1 - u->alpha) * u->pi[r];
    }
    c->pi = u->pis;
    double ta = now_s();
    broadcast(c, CMD_PRICE);
    u->tprice += now_s() - ta;
    if (c->failed)
        return 0;
    for (int ci = 0; ci < c->ncls && !u->oom; ci++) {
        dwcls *k = &c->cls[ci];
        if (k->resident || !k->active)
            continue;
        if (k->status != TRI_LP_OPTIMAL) {
            u->bad = 1;
            continue;
        }
        double base = u->phase == PHASE_1 ? 0 : M->base[ci], rc;
        if (u->alpha == 0) {
            rc = k->z - base - u->sigma[ci];
            if (rc < 0)
                u->lb += k->mult * rc;
        } else {
            /* the vertex's reduced cost at the master's duals */
            rc = c->phase * k->cx - base - u->sigma[ci];
            for (int e = 0; e < k->nl; e++)
                rc -= u->pi[k->lr[e]] * k->lv[e] * k->xv[k->lc[e]];
        }
        int got = rc < -u->thr ? master_add_lambda(M, c, ci, k->xv) : 1;
        u->oom = got < 0;
        k->idle = got != 0;
        news += got == 0;
    }
    for (int i = 0; i < M->nm; i++)
        u->pic[M->mrow[i]] = u->pis[M->mrow[i]];
    u->have_center = 1;
    return news;
}

/* One pricing round at the master's duals. Dual smoothing (Wentges): price
 * at a point between the last pricing point and the master's duals, which
 * zig-zag between rounds; a column must still improve the master at its
 * own duals, else (mis-pricing) price again at them. Only a round priced at
 * the master's duals gives a bound. Partial pricing in the tail: once most
 * subproblems improve nothing, a smoothed round prices only those whose
 * last pricing did; if they improve nothing either, the others are priced
 * at the same point. Every FULL_PRICING_EVERY-th round and every round at
 * the master's own duals (bounds, stopping, the final duals) prices all. */
static dwstep price_round(dwrun *u)
{
    dwctx *c = u->c;
    master *M = u->M;
    for (int i = 0; i < M->nm; i++)
        u->pi[M->mrow[i]] = tri_lp_row_dual(M->lp, 0, i + 1);
    for (int ci = 0; ci < c->ncls; ci++)
        u->sigma[ci] = c->cls[ci].resident ? 0 : tri_lp_row_dual(M->lp, 0, M->nm + 1 + ci);
    c->phase = u->phase == PHASE_1 ? 0.0 : 1.0;
    u->alpha = u->phase != PHASE_1 && u->have_center && u->lastgap > SMOOTH_ABOVE_GAP ? SMOOTH : 0;
    u->lb = u->zm;
    u->scale = fmax(1.0, fabs(u->zm + (u->phase == PHASE_1 ? 0 : c->lp->obj0)));
    u->thr = REDUCED_COST_TOL * u->scale;
    u->before = M->added;
    u->bad = u->oom = 0;
    dwsel sel = u->phase == PHASE_2 && u->alpha > 0 && 2 * u->prev_new < u->prev_priced &&
                        u->since_full < FULL_PRICING_EVERY
                    ? PRICE_BUSY
                    : PRICE_ALL;
    u->priced_all = 1;
    for (;;) {
        int priced = 0, news = price_pass(u, sel, &priced);
        if (c->failed)
            break;
        if (sel == PRICE_BUSY) {
            u->priced_all = 0;
            u->since_full++;
            if (news > 0)
                u->prev_new = news;   /* the tail goes on: stay partial */
        } else if (sel == PRICE_ALL) {
            u->prev_priced = priced;
            u->prev_new = news;
            u->since_full = 0;
        }
        if (u->bad || u->oom || u->alpha == 0 || M->added > u->before)
            break;
        if (sel == PRICE_BUSY) {
            sel = PRICE_REST;
            u->priced_all = 1;
            continue;
        }
        sel = PRICE_ALL;
        u->alpha = 0;   /* mis-pricing */
        u->lb = u->zm;
    }
    if (M->added > u->before)
        u->hold = 0;
    if (c->failed)
        fail(u->res, TRI_LP_FAILED, "GLPK failed in a subproblem");
    else if (u->bad)
        fail(u->res, TRI_LP_FAILED, "a subproblem could not be priced");
    else if (u->oom)
        fail(u->res, TRI_LP_NOMEM, "out of memory");
    return c->failed || u->bad || u->oom ? STEP_STOP : STEP_ON;
}

/* the gap after a pricing round, the best bound, the log and the caller's
 * progress callback (which may cancel) */
static dwstep report_round(dwrun *u, double *gap)
{
    const tri_dwopts *o = u->c->o;
    tri_dwres *res = u->res;
    *gap = u->alpha == 0 ? (u->zm - u->lb) / u->scale : u->lastgap;
    if (u->alpha == 0)
        u->lastgap = *gap;
    res->gap = *gap;
    /* the best bound of phase 2 so far, smoothed rounds included: what
     * progress reports (the stopping test keeps to the master's duals,
     * whose subproblem duals complete the dual solution) */
    if (u->phase == PHASE_2 && u->priced_all)
        u->bestlb = fmax(u->bestlb, u->alpha == 0 ? u->lb : lagr_bound(u->M, u->c, u->pis));
    if (tri_log_enabled())
        tri_log(3, "decomposition: phase %d, master %.12g, %s %.12g, gap %.3g, %zu columns", (int)u->phase, u->zm,
                u->alpha == 0 ? "bound" : "(smoothed)", u->lb, *gap, u->M->nlam);
    if (o->progress &&
        o->progress(res->iters, u->phase == PHASE_2 ? fmax(0, (u->zm - u->bestlb) / u->scale) : INFINITY, o->ud)) {
        fail(res, TRI_LP_LIMIT, "cancelled");
        return STEP_STOP;
    }
    return STEP_ON;
}

/* proven, infeasible, stalled, out of time, or on to the next round */
static dwstep stopping_test(dwrun *u, double gap)
{
    const tri_dwopts *o = u->c->o;
    master *M = u->M;
    int exact = u->alpha == 0;   /* priced at the master's own duals */
    int added = M->added > u->before;
    if (exact && u->phase == PHASE_1 && u->lb > INFEASIBLE_TOL * M->S) {
        dw_infeasible(u->res, "the coupling rows cannot all hold");
        return STEP_STOP;
    }
    if (exact && u->phase == PHASE_2 && gap <= o->gap) {
        /* The optimum is proven, but the master's duals are the whole
         * LP's only once no column improves it: at a gap of 2.7e-10 a
         * 200-plant sector's CO2 shadow price was 0.2 % off. Up to
         * POLISH_ROUNDS more rounds polish them, unless the gap asked for
         * is loose (a quick answer) or this one is at the numerical floor. */
        if (!added || gap <= GAP_FLOOR || o->gap > LOOSE_GAP || u->polish >= POLISH_ROUNDS)
            return STEP_STOP;
        u->polish++;
    }
    if (exact && u->phase == PHASE_0 && gap <= o->gap) {
        /* converged with artificials in: infeasible, or the penalty too small */
        u->phase = PHASE_1;
        master_phase1(M);
        u->have_center = 0;
        return STEP_NEXT_ROUND;
    }
    if (!added) {
        /* no new column (none improves, or only vertices the master has:
         * the numerical floor of its simplex) */
        if (u->phase == PHASE_0) {
            u->phase = PHASE_1;
            master_phase1(M);
            return STEP_NEXT_ROUND;
        }
        if (u->phase == PHASE_1)
            dw_infeasible(u->res, "the coupling rows cannot all hold");
        else if (gap > STALL_GAP)
            fail(u->res, TRI_LP_FAILED, "the decomposition stalled before a gap of 1e-7");
        return STEP_STOP;
    }
    if (o->time_limit_s > 0 && now_s() - u->t0 > o->time_limit_s) {
        fail(u->res, TRI_LP_LIMIT, "time limit reached");
        return STEP_STOP;
    }
    if (u->res->iters > MAX_ROUNDS) {
        fail(u->res, TRI_LP_LIMIT, "iteration limit reached");
        return STEP_STOP;
    }
    return STEP_NEXT_ROUND;
}

static void rounds(dwrun *u)
{
    for (;;) {
        dwstep s = master_round(u);
        if (s == STEP_ON)
            s = phase_change(u);
        if (s == STEP_ON)
            s = price_round(u);
        double gap = INFINITY;
        if (s == STEP_ON)
            s = report_round(u, &gap);
        if (s == STEP_ON)
            s = stopping_test(u, gap);
        if (s == STEP_STOP)
            return;
    }
}

/* the solution: lambdas back to columns (the members of a class share
 * equally), the duals of the master's rows and of the blocks' own rows */
static void assemble(dwrun *u)
{
    dwctx *c = u->c;
    const tri_dwlp *L = c->lp;
    const blkinfo *bi = u->bi;
    master *M = u->M;
    tri_dwres *res = u->res;
    tri_lp_sol *sol = &res->sol;
    if (tri_lp_sol_alloc(sol, (size_t)L->n, (size_t)L->nr) != 0) {
        fail(res, TRI_LP_NOMEM, "out of memory");
        return;
    }
    sol->obj = u->zm + L->obj0;
    for (int q = 0; q < M->nres; q++)
        sol->x[M->rescol[q]] = tri_lp_col_value(M->lp, 0, q + 1);
    for (size_t l = 0; l < M->nlam; l++) {
        double lam = M->lam[l].col > 0 ? tri_lp_col_value(M->lp, 0, M->lam[l].col) : 0;
        if (lam == 0)
            continue;
        const lamcol *lc = &M->lam[l];
        const dwcls *k = &c->cls[lc->cls];
        double w = lam / k->mult;
        for (int q = 0; q < lc->nz; q++)
            sol->x[k->cols[lc->idx[q]]] += w * lc->val[q];
    }
    for (int i = 0; i < M->nm; i++)
        sol->rowdual[M->mrow[i] + 1] = tri_lp_row_dual(M->lp, 0, i + 1);
    broadcast(c, CMD_DUALS);
    for (int ci = 0; ci < c->ncls; ci++) {
        const dwcls *k = &c->cls[ci];
        for (int r = 0; !k->resident && r < k->nrl; r++)
            sol->rowdual[k->lrows[r] + 1] = k->ldual[r];
    }
    /* the other members of a class: the representative's values, column by
     * column and row by row in the same order */
    for (int b = 0; b < L->nblk; b++) {
        int ci = c->cof[b];
        if (ci < 0 || c->cls[ci].rep == b || c->cls[ci].resident)
            continue;
        const dwcls *k = &c->cls[ci];
        for (int q = 0; q < k->nc; q++)
            sol->x[bi->cols[bi->cbeg[b] + q]] = sol->x[k->cols[q]];
        for (int q = 0; q < k->nrl; q++)
            sol->rowdual[bi->rows[bi->rbeg[b] + q] + 1] = k->ldual[q];
    }
    res->columns += M->nlam;
}

/* the master and the rounds (under a guard) */
static void dw_master(void *arg)
{
    dwrun *u = arg;
    tri_dwres *res = u->res;
    if (master_build(u->M, u->c, u->bi) != 0) {
        fail(res, TRI_LP_NOMEM, "out of memory");
        return;
    }
    res->linking = u->M->nm;
    u->c->pi = u->pi;
    rounds(u);
    if (res->sol.status != TRI_LP_OPTIMAL)
        return;
    if (tri_log_enabled())
        tri_log(2,
                "decomposition: %d master solves, %zu columns, gap %.3g; %.2f s starting the subproblems, %.2f s in "
                "the master, %.2f s pricing",
                res->iters, u->M->nlam, res->gap, u->tinit, u->tmaster, u->tprice);
    assemble(u);
}

static void dw_run(dwctx *c, const blkinfo *bi, tri_dwres *res)
{
    const tri_dwlp *L = c->lp;
    dwrun u;
    memset(&u, 0, sizeof u);
    u.c = c;
    u.bi = bi;
    u.res = res;
    u.phase = PHASE_0;
    u.lastgap = INFINITY;
    u.bestlb = -INFINITY;
    if (start_subproblems(&u) != 0)
        return;
    u.M = tri_calloc(1, sizeof *u.M);
    u.pi = tri_calloc((size_t)L->nr + 1, sizeof *u.pi);
    u.sigma = tri_calloc((size_t)c->ncls + 1, sizeof *u.sigma);
    u.pis = tri_calloc((size_t)L->nr + 1, sizeof *u.pis);
    u.pic = tri_calloc((size_t)L->nr + 1, sizeof *u.pic);
    if (!u.M || !u.pi || !u.sigma || !u.pis || !u.pic) {
        fail(res, TRI_LP_NOMEM, "out of memory");
    } else if (tri_lp_guard(dw_master, &u) != 0) {
        c->lost0 = 1;
        for (int i = 0; i < c->ncls; i++)
            if (c->cls[i].owner == 0)
                c->cls[i].lp = NULL;
        fail(res, TRI_LP_FAILED, "GLPK failed in the master problem");
    }
    if (u.M) {
        if (c->lost0)
            u.M->lp = NULL;   /* gone with this thread's environment */
        master_free(u.M);
    }
    tri_free(u.M);
    tri_free(u.pi);
    tri_free(u.sigma);
    tri_free(u.pis);
    tri_free(u.pic);
}

void tri_dw_solve(const tri_dwlp *L, const tri_dwopts *o, tri_dwres *res)
{
    memset(res, 0, sizeof *res);
    res->sol.status = TRI_LP_OPTIMAL;
    blkinfo bi;
    memset(&bi, 0, sizeof bi);
    dwctx c;
    memset(&c, 0, sizeof c);
    c.lp = L;
    c.o = o;
    c.cof = tri_calloc((size_t)L->nblk + 1, sizeof *c.cof);
    if (!c.cof || blk_make(L, &bi) != 0 ||
        (c.ncls = make_classes(L, &bi, o->aggregate, &c.cls, c.cof)) < 0) {
        c.ncls = 0;
        fail(res, TRI_LP_NOMEM, "out of memory");
        goto out;
    }
    for (int ci = 0; ci < c.ncls; ci++)
        if (cls_alloc(L, &bi, &c.cls[ci]) != 0) {
            fail(res, TRI_LP_NOMEM, "out of memory");
            goto out;
        }
    res->blocks = 0;
    for (int ci = 0; ci < c.ncls; ci++)
        res->blocks += c.cls[ci].mult;
    res->classes = c.ncls;
    int T = o->threads < 1 ? 1 : o->threads;
    if (T > c.ncls)
        T = c.ncls > 0 ? c.ncls : 1;
    if (T > TR_MAX_THREADS)
        T = TR_MAX_THREADS;
    for (int ci = 0; ci < c.ncls; ci++)
        c.cls[ci].owner = ci % T;
    pthread_mutex_init(&c.mu, NULL);
    pthread_cond_init(&c.go, NULL);
    pthread_cond_init(&c.done, NULL);
    pthread_t th[TR_MAX_THREADS];
    dwworker w[TR_MAX_THREADS];
    int started = 1;
    c.T = T;
    for (int t = 1; t < T; t++) {
        w[t].c = &c;
        w[t].tid = t;
        if (pthread_create(&th[t], NULL, worker_main, &w[t]) != 0)
            break;
        started++;
    }
    if (started < T) {
        /* fewer threads than asked: give the missing shares to thread 0 */
        for (int ci = 0; ci < c.ncls; ci++)
            if (c.cls[ci].owner >= started)
                c.cls[ci].owner = 0;
        c.T = started;
    }
    c.winit = tri_calloc((size_t)L->nr + 1, sizeof *c.winit);
    if (!c.winit) {
        fail(res, TRI_LP_NOMEM, "out of memory");
    } else {
        for (int r = 0; r < L->nr; r++) {
            if (bi.rowblk[r] >= 0)
                continue;
            double sc = 1.0 / fmax(1.0, fmax(fabs(L->rlb[r]), fabs(L->rub[r])));
            c.winit[r] = L->rtype[r] == TRI_LP_UPPER ? sc : L->rtype[r] == TRI_LP_LOWER ? -sc : 0;
        }
        dw_run(&c, &bi, res);
    }
    tri_free(c.winit);
    broadcast(&c, CMD_EXIT);
    for (int t = 1; t < c.T; t++)
        pthread_join(th[t], NULL);
    pthread_mutex_destroy(&c.mu);
    pthread_cond_destroy(&c.go);
    pthread_cond_destroy(&c.done);
    res->lp_lost = c.lost0;
out:
    for (int ci = 0; ci < c.ncls; ci++)
        cls_free(&c.cls[ci]);
    tri_free(c.cls);
    tri_free(c.cof);
    blk_free(&bi);
    if (res->sol.status != TRI_LP_OPTIMAL)
        tri_dw_res_free(res);
}

/* ------------------------------------------------------------ the model's LP */

/* The model's LP as a tri_dwlp: columns by plant (imports stay in the
 * master), the matrix column-wise. Fills the arrays it allocates in @a. */
typedef struct dwarrays {
    int *cbeg, *crow, *colblk;
    double *cval;
} dwarrays;

static void arrays_free(dwarrays *a)
{
    tri_free(a->cbeg);
    tri_free(a->crow);
    tri_free(a->cval);
    tri_free(a->colblk);
}

static int model_lp(const tr_model *m, tri_dwlp *L, dwarrays *a)
{
    const tri_lpd *d = &m->lpd;
    const tri_scen *s = m->s;
    size_t n = d->ncols, Y = s->Y;
    memset(a, 0, sizeof *a);
    a->cbeg = tri_calloc(n + 2, sizeof *a->cbeg);
    a->crow = tri_calloc(d->nnz + 1, sizeof *a->crow);
    a->cval = tri_calloc(d->nnz + 1, sizeof *a->cval);
    a->colblk = tri_calloc(n + 1, sizeof *a->colblk);
    if (!a->cbeg || !a->crow || !a->cval || !a->colblk)
        return -1;
    for (size_t k = 1; k <= d->nnz; k++)
        a->cbeg[d->ja[k] + 1]++;
    for (size_t j = 1; j <= n; j++)
        a->cbeg[j + 1] += a->cbeg[j];
    /* a->cbeg[j] is now the start of column j (cbeg[1] = 0) */
    int *fill = tri_calloc(n + 2, sizeof *fill);
    if (!fill)
        return -1;
    memcpy(fill, a->cbeg, (n + 2) * sizeof *fill);
    for (size_t k = 1; k <= d->nnz; k++) {
        int j = d->ja[k], e = fill[j]++;
        a->crow[e] = d->ia[k] - 1;
        a->cval[e] = d->ar[k];
    }
    tri_free(fill);
    for (size_t j = 0; j <= n; j++)
        a->colblk[j] = -1;
    for (size_t j = 0; j < m->J; j++)
        for (size_t t = 0; t < Y; t++) {
            int b = (int)m->jp[j];
            if (m->acol[j * Y + t])
                a->colblk[m->acol[j * Y + t]] = b;
            if (m->ncol[j * Y + t])
                a->colblk[m->ncol[j * Y + t]] = b;
            if (m->qcol[j * Y + t])
                a->colblk[m->qcol[j * Y + t]] = b;
        }
    for (size_t p = 0; p < s->P; p++)
        for (size_t t = 0; t < Y; t++) {
            const int *maps[4] = {m->ocol, m->kcol, m->bcol, m->Ccol};
            for (int q = 0; q < 4; q++)
                if (maps[q][p * Y + t])
                    a->colblk[maps[q][p * Y + t]] = (int)p;
        }
    memset(L, 0, sizeof *L);
    L->n = (int)n;
    L->nr = (int)d->nrows;
    L->ctype = d->ctype;
    L->clb = d->clb;
    L->cub = d->cub;
    L->obj = d->obj;
    L->obj0 = d->obj0;
    L->rtype = d->rtype;
    L->rlb = d->rlb;
    L->rub = d->rub;
    L->cbeg = a->cbeg;
    L->crow = a->crow;
    L->cval = a->cval;
    L->colblk = a->colblk;
    L->nblk = (int)s->P;
    return 0;
}

void tri_decomp_model(const tr_model *m, const tri_dwopts *o, tri_dwres *res)
{
    tri_dwlp L;
    dwarrays a;
    if (model_lp(m, &L, &a) != 0) {
        arrays_free(&a);
        memset(res, 0, sizeof *res);
        res->sol.status = TRI_LP_NOMEM;
        snprintf(res->sol.msg, sizeof res->sol.msg, "out of memory");
        return;
    }
    tri_dw_solve(&L, o, res);
    arrays_free(&a);
}

/* The elastic copy of the model's LP (solve.c's diagnosis): no costs, the
 * slack columns @e, solved by decomposition. A slack on a plant's own row
 * (a standard) belongs to that plant's block. @slack receives the slacks
 * [nprow]. Returns TRI_LP_OPTIMAL when solved. */
tri_lp_status tri_decomp_elastic(const tr_model *m, const tri_elastic *e, const tri_dwopts *o, double *slack,
                                 double *x, int *lost)
{
    *lost = 0;
    if (test_fault(8))
        return TRI_LP_FAILED;
    tri_dwlp L0, L;
    dwarrays a;
    tri_lp_status st = TRI_LP_NOMEM;
    size_t n0 = m->lpd.ncols, np = e->n, n = n0 + np, nnz = m->lpd.nnz;
    tri_lp_bound *ctype = NULL;
    int *cbeg = NULL, *crow = NULL, *colblk = NULL;
    double *clb = NULL, *cub = NULL, *obj = NULL, *cval = NULL;
    tri_dwres res;
    blkinfo bi;
    memset(&res, 0, sizeof res);
    memset(&bi, 0, sizeof bi);
    /* the rows' plants, as the decomposition of the model sees them */
    if (model_lp(m, &L0, &a) != 0 || blk_make(&L0, &bi) != 0)
        goto out;
    ctype = tri_calloc(n + 1, sizeof *ctype);
    cbeg = tri_calloc(n + 2, sizeof *cbeg);
    crow = tri_calloc(nnz + np + 1, sizeof *crow);
    colblk = tri_calloc(n + 1, sizeof *colblk);
    clb = tri_calloc(n + 1, sizeof *clb);
    cub = tri_calloc(n + 1, sizeof *cub);
    obj = tri_calloc(n + 1, sizeof *obj);
    cval = tri_calloc(nnz + np + 1, sizeof *cval);
    if (!ctype || !cbeg || !crow || !colblk || !clb || !cub || !obj || !cval)
        goto out;
    memcpy(ctype, L0.ctype, (n0 + 1) * sizeof *ctype);
    memcpy(clb, L0.clb, (n0 + 1) * sizeof *clb);
    memcpy(cub, L0.cub, (n0 + 1) * sizeof *cub);
    memcpy(colblk, L0.colblk, (n0 + 1) * sizeof *colblk);
    memcpy(cbeg, L0.cbeg, (n0 + 2) * sizeof *cbeg);
    memcpy(crow, L0.crow, nnz * sizeof *crow);
    memcpy(cval, L0.cval, nnz * sizeof *cval);
    int k = (int)nnz;
    for (size_t i = 0; i < np; i++) {
        size_t j = n0 + 1 + i;
        int r = e->row[i] - 1;
        ctype[j] = TRI_LP_LOWER;
        obj[j] = e->cost[i];
        colblk[j] = bi.rowblk[r];   /* a plant's own row keeps its slack in that plant */
        cbeg[j] = k;
        crow[k] = r;
        cval[k++] = e->coef[i];
    }
    cbeg[n + 1] = k;
    L = L0;
    L.n = (int)n;
    L.ctype = ctype;
    L.clb = clb;
    L.cub = cub;
    L.obj = obj;
    L.obj0 = 0;
    L.cbeg = cbeg;
    L.crow = crow;
    L.cval = cval;
    L.colblk = colblk;
    tri_dw_solve(&L, o, &res);
    st = res.sol.status;
    *lost = res.lp_lost;
    if (st == TRI_LP_OPTIMAL) {
        for (size_t i = 0; i < np; i++)
            slack[i] = res.sol.x[n0 + 1 + i];
        memcpy(x + 1, res.sol.x + 1, n0 * sizeof *x);
    }
out:
    tri_dw_res_free(&res);
    arrays_free(&a);
    tri_free(ctype);
    tri_free(cbeg);
    tri_free(crow);
    tri_free(colblk);
    blk_free(&bi);
    tri_free(clb);
    tri_free(cub);
    tri_free(obj);
    tri_free(cval);
    return st;
}
