/* glpk_backend: lp.h implemented with GLPK, the only file of lib/ that
 * includes glpk.h. It owns GLPK's per-thread environments (the registry of
 * holds and the orphan list), the one error guard that turns GLPK's internal
 * errors (which would abort the process) into a return value, the terminal
 * hook that sends GLPK's output to the library's log, and the translation of
 * tri_lp_params into GLPK's simplex parameters. */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glpk.h>

#include "lp.h"
#include "tr_internal.h"

/* the bound types are GLPK's own numbers: arrays of them go to GLPK as they are */
_Static_assert(TRI_LP_FREE == GLP_FR && TRI_LP_LOWER == GLP_LO && TRI_LP_UPPER == GLP_UP &&
                   TRI_LP_DOUBLE == GLP_DB && TRI_LP_FIXED == GLP_FX,
               "tri_lp_bound must equal GLPK's bound types");

#define P(lp) ((glp_prob *)(lp))
#define CP(lp) ((glp_prob *)(lp))   /* GLPK's getters take non-const problems */

/* ------------------------------------------------------------ solutions */

int tri_lp_sol_alloc(tri_lp_sol *s, size_t ncols, size_t nrows)
{
    s->x = tri_calloc(ncols + 1, sizeof *s->x);
    s->rowprim = tri_calloc(nrows + 1, sizeof *s->rowprim);
    s->rowdual = tri_calloc(nrows + 1, sizeof *s->rowdual);
    if (!s->x || !s->rowprim || !s->rowdual) {
        tri_lp_sol_free(s);
        return -1;
    }
    return 0;
}

void tri_lp_sol_free(tri_lp_sol *s)
{
    tri_free(s->x);
    tri_free(s->rowprim);
    tri_free(s->rowdual);
    s->x = s->rowprim = s->rowdual = NULL;
}

/* ------------------------------------------------------------ registry
 * GLPK keeps its objects in an environment per thread. When GLPK fails (the
 * environment must then be freed) or when the thread ends, every hold on an
 * LP built in that thread loses it: the registry sets its lp to NULL (the
 * model is then unusable, TR_E_STATE) instead of leaving a dangling
 * pointer. */

static pthread_mutex_t reg_mu = PTHREAD_MUTEX_INITIALIZER;
static tri_lphold *reg_head;
static pthread_once_t reg_once = PTHREAD_ONCE_INIT;
static pthread_key_t reg_key;

static unsigned long self_id(void) { return (unsigned long)pthread_self(); }

void tri_lphold_add(tri_lphold *h)
{
    h->owner = self_id();
    pthread_mutex_lock(&reg_mu);
    h->prev = NULL;
    h->next = reg_head;
    if (reg_head)
        reg_head->prev = h;
    reg_head = h;
    pthread_mutex_unlock(&reg_mu);
}

void tri_lphold_del(tri_lphold *h)
{
    pthread_mutex_lock(&reg_mu);
    if (h->prev)
        h->prev->next = h->next;
    else if (reg_head == h)
        reg_head = h->next;
    if (h->next)
        h->next->prev = h->prev;
    h->next = h->prev = NULL;
    pthread_mutex_unlock(&reg_mu);
}

int tri_lphold_foreign(const tri_lphold *h)
{
    pthread_mutex_lock(&reg_mu);
    /* (thread ids are reused: a gone thread's id may be this one's) */
    int move = h->thread_gone || (h->lp && h->owner != self_id());
    pthread_mutex_unlock(&reg_mu);
    return move;
}

/* GLPK problems whose hold was released, or moved, by another thread than
 * the one that built them: only their own thread's GLPK environment may
 * delete them (GLPK aborts otherwise), at its next library call; when the
 * thread ends, its environment takes them along. Under reg_mu. */
typedef struct orphan {
    unsigned long owner;
    tri_lp *lp;
    struct orphan *next;
} orphan;
static orphan *orphans;

/* the thread's GLPK environment is about to go: its holds lose their LP,
 * its orphans go with the environment */
static void reg_invalidate_thread(int exiting)
{
    unsigned long me = self_id();
    pthread_mutex_lock(&reg_mu);
    for (tri_lphold *h = reg_head; h; h = h->next)
        if (h->owner == me && h->lp) {
            h->lp = NULL;
            h->thread_gone = exiting;   /* else a GLPK failure: unusable */
        }
    for (orphan **o = &orphans; *o;) {
        orphan *x = *o;
        if (x->owner == me) {
            *o = x->next;
            free(x);
        } else {
            o = &x->next;
        }
    }
    pthread_mutex_unlock(&reg_mu);
}

/* delete the GLPK problems other threads left to this one */
static void orphans_delete(void)
{
    unsigned long me = self_id();
    orphan *mine = NULL;
    pthread_mutex_lock(&reg_mu);
    for (orphan **o = &orphans; *o;) {
        orphan *x = *o;
        if (x->owner == me) {
            *o = x->next;
            x->next = mine;
            mine = x;
        } else {
            o = &x->next;
        }
    }
    pthread_mutex_unlock(&reg_mu);
    while (mine) {
        orphan *x = mine;
        mine = x->next;
        glp_delete_prob(P(x->lp));
        free(x);
    }
}

int tri_lphold_release(tri_lphold *h, int adopt)
{
    unsigned long me = self_id();
    orphan *x = malloc(sizeof *x);   /* not tri_malloc: no injected failure here */
    tri_lp *mine = NULL;
    int rc = 0;
    pthread_mutex_lock(&reg_mu);
    if (h->lp && h->owner == me) {
        mine = h->lp;
    } else if (h->lp) {
        if (x) {
            x->owner = h->owner;
            x->lp = h->lp;
            x->next = orphans;
            orphans = x;
            x = NULL;
        } else {
            rc = -1;
        }
    }
    h->lp = NULL;
    if (adopt) {
        h->owner = me;
        h->thread_gone = 0;
    }
    pthread_mutex_unlock(&reg_mu);
    free(x);
    if (mine)
        glp_delete_prob(P(mine));
    return rc;
}

static void thread_exit(void *unused)
{
    (void)unused;
    reg_invalidate_thread(1);
    glp_free_env();   /* returns 1, harmlessly, when the thread has none */
}

static void reg_key_make(void) { pthread_key_create(&reg_key, thread_exit); }

/* GLPK's terminal output: to the library's log, never to the terminal */
static int glpk_term(void *info, const char *s)
{
    (void)info;
    if (tri_log_enabled()) {
        char line[1024];
        size_t n = strlen(s);
        if (n >= sizeof line)
            n = sizeof line - 1;
        memcpy(line, s, n);
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            n--;
        line[n] = '\0';
        tri_log(2, "%s", line);
    }
    return 1;
}

void tri_lp_thread_init(void)
{
    pthread_once(&reg_once, reg_key_make);
    if (!pthread_getspecific(reg_key))
        pthread_setspecific(reg_key, (void *)1);
    orphans_delete();
    glp_term_hook(glpk_term, NULL);   /* per thread in GLPK's TLS environment */
}

void tri_lp_thread_done(void)
{
    reg_invalidate_thread(1);
    glp_free_env();
}

const char *tri_lp_version(void) { return glp_version(); }

/* ------------------------------------------------------------ error guard
 * GLPK calls the hook instead of abort(); it jumps back to the guard, which
 * frees the thread's GLPK environment (every GLPK object of the thread
 * becomes invalid, so every hold of the thread loses its LP) and reports.
 * Guards nest: the inner one catches, the outer one is back in place. */

typedef struct guard {
    jmp_buf jb;
} guard;

static _Thread_local guard *guard_top;

static void glpk_hook(void *info) { longjmp(((guard *)info)->jb, 1); }

int tri_lp_guard(void (*fn)(void *arg), void *arg)
{
    guard g;
    guard *volatile outer = guard_top;
    guard_top = &g;
    glp_error_hook(glpk_hook, &g);
    if (setjmp(g.jb)) {
        glp_error_hook(NULL, NULL);
        guard_top = outer;
        reg_invalidate_thread(0);
        glp_free_env();
        tr_library_init();
        if (outer)
            glp_error_hook(glpk_hook, outer);
        return -1;
    }
    fn(arg);
    guard_top = outer;
    glp_error_hook(outer ? glpk_hook : NULL, outer);
    return 0;
}

/* ------------------------------------------------------------ problems */

tri_lp *tri_lp_new(const char *name)
{
    glp_prob *p = glp_create_prob();
    if (name) {
        /* GLPK takes names of at most 255 printable characters */
        char clean[256];
        size_t j = 0;
        for (const unsigned char *c = (const unsigned char *)name; *c && j < sizeof clean - 1; c++)
            clean[j++] = (*c < 0x20 || *c == 0x7f) ? '_' : (char)*c;
        clean[j] = '\0';
        glp_set_prob_name(p, clean);
    }
    glp_set_obj_dir(p, GLP_MIN);
    return (tri_lp *)p;
}

void tri_lp_free(tri_lp *lp)
{
    if (lp)
        glp_delete_prob(P(lp));
}

void tri_lp_clear(tri_lp *lp)
{
    glp_erase_prob(P(lp));
    glp_set_obj_dir(P(lp), GLP_MIN);
}

tri_lp *tri_lp_copy(const tri_lp *lp)
{
    glp_prob *e = glp_create_prob();
    glp_copy_prob(e, CP(lp), GLP_OFF);
    return (tri_lp *)e;
}

int tri_lp_add_rows(tri_lp *lp, int n) { return glp_add_rows(P(lp), n); }
int tri_lp_add_cols(tri_lp *lp, int n) { return glp_add_cols(P(lp), n); }
void tri_lp_del_cols(tri_lp *lp, int n, const int *cols) { glp_del_cols(P(lp), n, cols); }
int tri_lp_nrows(const tri_lp *lp) { return glp_get_num_rows(CP(lp)); }
int tri_lp_ncols(const tri_lp *lp) { return glp_get_num_cols(CP(lp)); }
void tri_lp_set_obj_name(tri_lp *lp, const char *name) { glp_set_obj_name(P(lp), name); }
void tri_lp_set_row_name(tri_lp *lp, int i, const char *name) { glp_set_row_name(P(lp), i, name); }
void tri_lp_set_col_name(tri_lp *lp, int j, const char *name) { glp_set_col_name(P(lp), j, name); }

void tri_lp_set_row_bounds(tri_lp *lp, int i, tri_lp_bound t, double lb, double ub)
{
    glp_set_row_bnds(P(lp), i, (int)t, lb, ub);
}

void tri_lp_set_col_bounds(tri_lp *lp, int j, tri_lp_bound t, double lb, double ub)
{
    glp_set_col_bnds(P(lp), j, (int)t, lb, ub);
}

void tri_lp_set_obj(tri_lp *lp, int j, double c) { glp_set_obj_coef(P(lp), j, c); }

void tri_lp_set_mat_row(tri_lp *lp, int i, int len, const int *ind, const double *val)
{
    glp_set_mat_row(P(lp), i, len, ind, val);
}

void tri_lp_set_mat_col(tri_lp *lp, int j, int len, const int *ind, const double *val)
{
    glp_set_mat_col(P(lp), j, len, ind, val);
}

void tri_lp_load(tri_lp *lp, size_t nnz, const int *ia, const int *ja, const double *ar)
{
    glp_load_matrix(P(lp), (int)nnz, ia, ja, ar);
}

/* ------------------------------------------------------------ solving */

void tri_lp_params_init(tri_lp_params *p)
{
    memset(p, 0, sizeof *p);
    p->method = TRI_LP_DUAL_SIMPLEX;
}

static int msg_level(int verbosity)
{
    return verbosity > 1 ? GLP_MSG_ALL : verbosity > 0 ? GLP_MSG_ON : GLP_MSG_OFF;
}

static tri_lp_end end_of(int rc)
{
    switch (rc) {
    case 0:
        return TRI_LP_DONE;
    case GLP_EFAIL:
    case GLP_ESING:
    case GLP_ECOND:
    case GLP_EBADB:
        return TRI_LP_NUMERIC;
    case GLP_ENOPFS:
        return TRI_LP_NO_PRIMAL;
    case GLP_ENODFS:
        return TRI_LP_NO_DUAL;
    case GLP_ETMLIM:
        return TRI_LP_TIME;
    case GLP_EITLIM:
        return TRI_LP_ITERATIONS;
    default:
        return TRI_LP_OTHER;
    }
}

tri_lp_end tri_lp_simplex(tri_lp *lp, const tri_lp_params *p, int *code)
{
    glp_smcp s;
    glp_init_smcp(&s);
    s.msg_lev = msg_level(p->verbosity);
    s.meth = p->method == TRI_LP_PRIMAL_SIMPLEX ? GLP_PRIMAL : GLP_DUALP;
    s.presolve = p->presolve ? GLP_ON : GLP_OFF;
    if (p->tol_primal > 0)
        s.tol_bnd = p->tol_primal;
    if (p->tol_dual > 0)
        s.tol_dj = p->tol_dual;
    if (p->flip)
        s.r_test = GLP_RT_FLIP;
    if (p->textbook_pricing)
        s.pricing = GLP_PT_STD;
    if (p->iter_limit > 0)
        s.it_lim = p->iter_limit;
    if (p->time_limit_s > 0)
        s.tm_lim = p->time_limit_s * 1000 > 2e9 ? 2000000000 : (int)(p->time_limit_s * 1000);
    int rc = glp_simplex(P(lp), &s);
    if (code)
        *code = rc;
    return end_of(rc);
}

tri_lp_end tri_lp_interior(tri_lp *lp, int verbosity, int *code)
{
    glp_iptcp s;
    glp_init_iptcp(&s);
    s.msg_lev = verbosity > 0 ? GLP_MSG_ON : GLP_MSG_OFF;
    int rc = glp_interior(P(lp), &s);
    if (code)
        *code = rc;
    return rc == GLP_ENOFEAS ? TRI_LP_NO_PRIMAL : end_of(rc);
}

tri_lp_status tri_lp_get_status(const tri_lp *lp, int interior)
{
    int s = interior ? glp_ipt_status(CP(lp)) : glp_get_status(CP(lp));
    return s == GLP_OPT ? TRI_LP_OPTIMAL
           : s == GLP_NOFEAS || s == GLP_INFEAS ? TRI_LP_INFEASIBLE
           : s == GLP_UNBND ? TRI_LP_UNBOUNDED
                            : TRI_LP_FAILED;
}

void tri_lp_stop_message(const tri_lp *lp, int interior, int code, char *buf, size_t n)
{
    int status = code != 0 ? GLP_UNDEF : interior ? glp_ipt_status(CP(lp)) : glp_get_status(CP(lp));
    snprintf(buf, n, "GLPK stopped with code %d, status %d", code, status);
}

void tri_lp_scale(tri_lp *lp) { glp_scale_prob(P(lp), GLP_SF_AUTO); }
void tri_lp_fresh_basis(tri_lp *lp) { glp_adv_basis(P(lp), 0); }
void tri_lp_std_basis(tri_lp *lp) { glp_std_basis(P(lp)); }

double tri_lp_obj(const tri_lp *lp, int interior)
{
    return interior ? glp_ipt_obj_val(CP(lp)) : glp_get_obj_val(CP(lp));
}

double tri_lp_col_value(const tri_lp *lp, int interior, int j)
{
    return interior ? glp_ipt_col_prim(CP(lp), j) : glp_get_col_prim(CP(lp), j);
}

double tri_lp_col_dual(const tri_lp *lp, int j) { return glp_get_col_dual(CP(lp), j); }

double tri_lp_row_value(const tri_lp *lp, int interior, int i)
{
    return interior ? glp_ipt_row_prim(CP(lp), i) : glp_get_row_prim(CP(lp), i);
}

double tri_lp_row_dual(const tri_lp *lp, int interior, int i)
{
    return interior ? glp_ipt_row_dual(CP(lp), i) : glp_get_row_dual(CP(lp), i);
}

int tri_lp_col_basic(const tri_lp *lp, int j) { return glp_get_col_stat(CP(lp), j) == GLP_BS; }

void tri_lp_read(const tri_lp *lp, int interior, size_t ncols, size_t nrows, tri_lp_sol *s)
{
    int n = (int)ncols, nr = (int)nrows;
    for (int j = 1; j <= n; j++)
        s->x[j] = tri_lp_col_value(lp, interior, j);
    for (int i = 1; i <= nr; i++) {
        s->rowprim[i] = tri_lp_row_value(lp, interior, i);
        s->rowdual[i] = tri_lp_row_dual(lp, interior, i);
    }
    s->obj = tri_lp_obj(lp, interior);
}

int tri_lp_row_stat(const tri_lp *lp, int i) { return glp_get_row_stat(CP(lp), i); }
int tri_lp_col_stat(const tri_lp *lp, int j) { return glp_get_col_stat(CP(lp), j); }
void tri_lp_set_row_stat(tri_lp *lp, int i, int stat) { glp_set_row_stat(P(lp), i, stat); }
void tri_lp_set_col_stat(tri_lp *lp, int j, int stat) { glp_set_col_stat(P(lp), j, stat); }
void tri_lp_set_row_basic(tri_lp *lp, int i) { glp_set_row_stat(P(lp), i, GLP_BS); }

/* ------------------------------------------------------------ files */

tr_status tri_lp_spool_open(tri_lp_spool *s)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir || strlen(dir) > sizeof s->name - 32)
        dir = "/tmp";
    snprintf(s->name, sizeof s->name, "%s/techroad-lp-XXXXXX", dir);
    s->unlinked = 0;
    s->fd = mkstemp(s->name);
    if (s->fd < 0)
        return TR_FAIL(TR_E_IO, "cannot create a temporary file for the LP in %s: %s", dir, strerror(errno));
    /* GLPK opens by name: give it the open file through /proc, so that the
     * name can go at once */
    char proc[64];
    struct stat a, b;
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", s->fd);
    if (stat(proc, &a) == 0 && fstat(s->fd, &b) == 0 && a.st_ino == b.st_ino && a.st_dev == b.st_dev &&
        unlink(s->name) == 0) {
        snprintf(s->name, sizeof s->name, "%s", proc);
        s->unlinked = 1;
    }
    return TR_OK;
}

int tri_lp_write(const tri_lp *lp, tri_lp_file f, const char *path)
{
    errno = 0;
    int rc = f == TRI_LP_FILE_CPLEX ? glp_write_lp(CP(lp), NULL, path)
             : f == TRI_LP_FILE_MPS ? glp_write_mps(CP(lp), GLP_MPS_FILE, NULL, path)
                                    : glp_write_prob(CP(lp), 0, path);
    return rc == 0 ? 0 : errno ? errno : -1;
}

/* the last line GLPK writes in each format: a file without it is cut short */
static const char *const lp_file_end[] = {[TRI_LP_FILE_CPLEX] = "\nEnd\n", [TRI_LP_FILE_MPS] = "\nENDATA\n",
                                          [TRI_LP_FILE_NATIVE] = "\ne o f\n"};

tr_status tri_lp_spool_finish(tri_lp_spool *s, tri_lp_file f, int rc, const char *path)
{
    tr_status st = TR_OK;
    char *buf = NULL;
    size_t len = 0;
    struct stat sb;
    if (!path)
        goto done;   /* only close it */
    if (rc != 0) {
        st = TR_FAIL(TR_E_SOLVER, "%s: GLPK could not write the LP to its temporary file: %s", path,
                     rc > 0 ? strerror(rc) : "write error");
        goto done;
    }
    if (fstat(s->fd, &sb) != 0 || lseek(s->fd, 0, SEEK_SET) != 0) {
        st = TR_FAIL(TR_E_IO, "%s: cannot read the LP back from its temporary file: %s", path, strerror(errno));
        goto done;
    }
    buf = tri_malloc((size_t)sb.st_size + 1);
    if (!buf) {
        st = TR_FAIL(TR_E_NOMEM, "out of memory");
        goto done;
    }
    while (len < (size_t)sb.st_size) {
        ssize_t r = read(s->fd, buf + len, (size_t)sb.st_size - len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            st = TR_FAIL(TR_E_IO, "%s: cannot read the LP back from its temporary file: %s", path,
                         r < 0 ? strerror(errno) : "it is shorter than its size");
            goto done;
        }
        len += (size_t)r;
    }
    const char *end = lp_file_end[f];
    size_t ne = strlen(end);
    if (len < ne || memcmp(buf + len - ne, end, ne) != 0) {
        /* GLPK's last flush or close failed (a full disk) */
        st = TR_FAIL(TR_E_SOLVER, "%s: the LP GLPK wrote to its temporary file is incomplete (%zu bytes, without "
                                  "its last line); is the temporary folder full?",
                     path, len);
        goto done;
    }
    st = tri_write_file(path, buf, len);
done:
    tri_free(buf);
    close(s->fd);
    s->fd = -1;
    if (!s->unlinked)
        unlink(s->name);
    return st;
}

void tri_lp_test_error(tri_lp *lp)
{
    glp_set_col_bnds(P(lp), glp_get_num_cols(P(lp)) + 7, GLP_FR, 0, 0);   /* out of range: glp_error */
}
