/* Investment windows (MODEL.md §13, second part; docs/MODEL.md §13 and
 * docs/DECISIONS.md "Investment windows"). A plant declares
 * `reline_every: N` with `last_reline: Y0` (window years Y0+N, Y0+2N, ...)
 * and/or `windows: [years]`; a technology with `major: true` is newly
 * installed at such a plant only in its window years (build.c bounds
 * n[p,k,y] at 0 in the other years, which the decomposition's plant
 * subproblems and the myopic windows inherit as column bounds). The
 * result carries the window years and the lock-in of each window that
 * passed without a major measure the plant takes later or never. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "report.h"
#include "tr_series.h"
#include "windows.h"

#define WPATH 600
#define LOCK_TOL 1e-6   /* t/yr below this times max(1, capacity) count as none */

/* the p-th entry of a `plants:` or `technologies:` map (compile.c keeps the
 * document's order; a lookup by id only if not) */
static const tri_node *item_node(const tri_node *sec, const char *id, size_t i)
{
    if (!sec || sec->kind != TRI_MAP)
        return NULL;
    const tri_node *n = i < sec->n && !strcmp(sec->keys[i]->str, id) ? sec->vals[i] : tri_map_get(sec, id);
    return n && n->kind == TRI_MAP ? n : NULL;
}

static const tri_node *field(const tri_node *m, const char *key)
{
    const tri_node *n = m ? tri_map_get(m, key) : NULL;
    return n && !tri_is_null(n) ? n : NULL;
}

void tri_windows_free(tri_windows *w)
{
    if (!w)
        return;
    tri_free(w->pl);
    tri_free(w->win);
    tri_free(w->major);
    tri_free(w);
}

int tri_window_blocks(const tri_scen *s, size_t p, size_t k, size_t t)
{
    const tri_windows *w = s->iw;
    return w && w->major[k] && w->pl[p].has && !w->win[p * s->Y + t];
}

/* a year as an integer 1..9999 */
static tr_status year_of(const tri_node *n, const char *path, long *y)
{
    return tri_int(n, path, 1, 9999, "a year", y);
}

/* mark year @y of plant @p (ignored outside the horizon; the first year
 * after the horizon kept for the report) */
static void mark(tri_windows *w, const tri_scen *s, size_t p, long y)
{
    if (y >= s->start && y <= s->end)
        w->win[p * s->Y + (size_t)(y - s->start)] = 1;
    else if (y > s->end && (!w->pl[p].after || y < w->pl[p].after))
        w->pl[p].after = (int)y;
}

/* one plant's `reline_every`, `last_reline` and `windows` */
static tr_status plant_windows(tri_windows *w, const tri_scen *s, size_t p, const tri_node *pm)
{
    const char *id = s->pl[p].id;
    char path[WPATH];
    const tri_node *ev = field(pm, "reline_every"), *lr = field(pm, "last_reline"), *ls = field(pm, "windows");
    tr_status st;
    if ((ev != NULL) != (lr != NULL)) {
        const tri_node *given = ev ? ev : lr;
        snprintf(path, sizeof path, "plants.%.64s.%s", id, ev ? "reline_every" : "last_reline");
        return tri_node_fail(TR_E_INVAL, given, path,
                             "given without %s; expected reline_every (years between relinings) and last_reline "
                             "(the year of the last one) together, or neither",
                             ev ? "last_reline" : "reline_every");
    }
    if (ev) {
        long every, last;
        snprintf(path, sizeof path, "plants.%.64s.reline_every", id);
        if ((st = tri_int(ev, path, 1, 1000, "the years between relinings, an integer", &every)) != TR_OK)
            return st;
        snprintf(path, sizeof path, "plants.%.64s.last_reline", id);
        if ((st = year_of(lr, path, &last)) != TR_OK)
            return st;
        long y = last + every;
        if (y < s->start)   /* skip the cycles before the horizon */
            y += (s->start - y + every - 1) / every * every;
        for (; y <= s->end; y += every)
            mark(w, s, p, y);
        mark(w, s, p, y);   /* the first one after the horizon */
        w->pl[p].has = 1;
    }
    if (ls) {
        snprintf(path, sizeof path, "plants.%.64s.windows", id);
        if (ls->kind != TRI_SEQ) {
            char *r = tri_scalar_repr(ls);
            st = tri_node_fail(TR_E_INVAL, ls, path, "expected a list of years, e.g. [2024, 2032], got %s",
                               r ? r : "?");
            tri_free(r);
            return st;
        }
        if (ls->n == 0)
            return tri_node_fail(TR_E_INVAL, ls, path, "expected at least one year; leave windows out for a plant "
                                 "without explicit windows");
        for (size_t i = 0; i < ls->n; i++) {
            char sub[WPATH + 24];
            long y;
            snprintf(sub, sizeof sub, "%s.%zu", path, i);
            if ((st = year_of(ls->vals[i], sub, &y)) != TR_OK)
                return st;
            mark(w, s, p, y);
        }
        w->pl[p].has = 1;
    }
    w->n += w->pl[p].has;
    return TR_OK;
}

tr_status tri_windows_compile(const tri_node *doc, tri_scen *s)
{
    const tri_node *plants = tri_map_get(doc, "plants"), *techs = tri_map_get(doc, "technologies");
    size_t P = s->P, Y = s->Y, K = s->K;
    tri_windows *w = tri_calloc(1, sizeof *w);
    if (!w || !(w->pl = tri_calloc(P + 1, sizeof *w->pl)) || !(w->win = tri_calloc(P * Y + 1, 1)) ||
        !(w->major = tri_calloc(K + 1, 1))) {
        tri_windows_free(w);
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    }
    tr_status st = TR_OK;
    for (size_t p = 0; p < P && st == TR_OK; p++)
        st = plant_windows(w, s, p, item_node(plants, s->pl[p].id, p));
    for (size_t k = 0; k < K && st == TR_OK; k++) {
        const tri_node *n = field(item_node(techs, s->tech[k].id, k), "major");
        if (!n)
            continue;
        int ok = n->kind == TRI_SCALAR && n->plain;
        if (ok && (!strcmp(n->str, "true") || !strcmp(n->str, "True") || !strcmp(n->str, "yes")))
            w->major[k] = 1;
        else if (!ok || (strcmp(n->str, "false") && strcmp(n->str, "False") && strcmp(n->str, "no"))) {
            char path[WPATH];
            char *r = tri_scalar_repr(n);
            snprintf(path, sizeof path, "technologies.%.64s.major", s->tech[k].id);
            st = tri_node_fail(TR_E_INVAL, n, path, "expected true or false, got %s", r ? r : "?");
            tri_free(r);
        }
        w->nmajor += w->major[k];
    }
    if (st != TR_OK || (!w->n && !w->nmajor)) {
        tri_windows_free(w);
        return st;
    }
    s->iw = w;
    return TR_OK;
}

/* ------------------------------------------------------------ the result */

void tri_winres_free(tri_winres *w)
{
    if (!w)
        return;
    tri_free_strv(w->pid, w->P);
    tri_free_strv(w->kid, w->K);
    tri_free(w->pl);
    tri_free(w->win);
    tri_free(w->major);
    tri_free(w->inst);
    tri_free(w->lk);
    tri_free(w);
}

tr_status tri_windows_result(const tri_scen *s, tr_result *r)
{
    const tri_windows *iw = s->iw;
    if (!iw || !iw->n)
        return TR_OK;
    size_t P = s->P, K = s->K, Y = s->Y;
    tri_winres *w = tri_calloc(1, sizeof *w);
    if (!w)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    w->P = P;
    w->K = K;
    w->Y = Y;
    w->start = s->start;
    int ok = (w->pid = tri_calloc(P, sizeof *w->pid)) && (w->kid = tri_calloc(K + 1, sizeof *w->kid)) &&
             (w->pl = tri_malloc(P * sizeof *w->pl)) && (w->win = tri_malloc(P * Y)) && (w->major = tri_malloc(K + 1));
    for (size_t p = 0; ok && p < P; p++)
        ok = (w->pid[p] = tri_strdup(s->pl[p].id)) != NULL;
    for (size_t k = 0; ok && k < K; k++)
        ok = (w->kid[k] = tri_strdup(s->tech[k].id)) != NULL;
    if (!ok) {
        tri_winres_free(w);
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    }
    memcpy(w->pl, iw->pl, P * sizeof *w->pl);
    memcpy(w->win, iw->win, P * Y);
    memcpy(w->major, iw->major, K + (K == 0));
    r->iw = w;
    return TR_OK;
}

/* the plant's next window after year index t (a year; 0 when none known) */
static int next_window(const tri_winres *w, size_t p, size_t t)
{
    for (size_t u = t + 1; u < w->Y; u++)
        if (w->win[p * w->Y + u])
            return w->start + (int)u;
    return w->pl[p].after;
}

static tr_status add_lock(tri_winres *w, size_t *cap, tri_lockin l)
{
    if (w->nlk == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        tri_lockin *n = tri_realloc(w->lk, nc * sizeof *n);
        if (!n)
            return TR_FAIL(TR_E_NOMEM, "out of memory");
        w->lk = n;
        *cap = nc;
    }
    w->lk[w->nlk++] = l;
    return TR_OK;
}

/* Lock-in (docs/MODEL.md §13, "What a window means"): for each plant with
 * windows, each window year w in the horizon and each major technology k
 * that applies to the plant, is available in w and is not banned there,
 * with no new installation of k in w (n below the tolerance):
 *   later gain  G = max_{y > w} a[p,k,y] - a[p,k,w]; if G > 0 the plant
 *               takes k later: needed = G, later = the first such year;
 *   otherwise   room R = min(appl*cap - a, cap - sum_{k' in k's group} a)
 *               in w; if R > 0 the plant never takes (more of) k in the
 *               horizon: needed = R, later = 0.
 * needed is the installation in w a policy would have needed for the plant
 * to hold in w what it holds later (or all it could hold). */
tr_status tri_windows_extract(const tri_scen *s, tr_result *r)
{
    tri_winres *w = r->iw;
    if (!w || !r->eq || !r->inst || !r->ps)
        return TR_OK;
    size_t P = s->P, K = s->K, Y = s->Y, cap_lk = 0;
    tri_free(w->inst);   /* a result extracted again starts afresh */
    tri_free(w->lk);
    w->lk = NULL;
    w->nlk = 0;
    w->inst = tri_calloc(P * Y + 1, sizeof *w->inst);
    if (!w->inst)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    for (size_t p = 0; p < P; p++)
        for (size_t k = 0; k < K; k++)
            for (size_t t = 0; t < Y && s->iw->major[k]; t++)
                w->inst[p * Y + t] += r->inst[(p * K + k) * Y + t];
    for (size_t p = 0; p < P; p++) {
        if (!w->pl[p].has)
            continue;
        const double *capv = r->ps + (p * r->PS + TRI_PS_CAPACITY) * Y;
        for (size_t t = 0; t < Y; t++) {
            if (!w->win[p * Y + t])
                continue;
            int year = s->start + (int)t;
            double cap = capv[t], tol = LOCK_TOL * fmax(1.0, cap);
            for (size_t k = 0; k < K; k++) {
                const tri_tech *te = &s->tech[k];
                if (!w->major[k] || !te->applies[p] || year < te->from || year >= te->ban_from)
                    continue;
                const double *a = r->eq + (p * K + k) * Y, *n = r->inst + (p * K + k) * Y;
                if (n[t] > tol)
                    continue;
                tri_lockin l = {p, k, year, 0, next_window(w, p, t), 0, 0};
                double gain = 0;
                for (size_t u = t + 1; u < Y; u++)
                    if (a[u] - a[t] > gain + tol) {
                        if (!l.later)
                            l.later = s->start + (int)u;
                        gain = a[u] - a[t];
                    }
                if (l.later) {
                    l.needed = gain;
                } else {
                    double room = te->appl * cap - a[t];
                    if (te->group >= 0) {
                        double used = 0;
                        for (size_t k2 = 0; k2 < K; k2++)
                            if (s->tech[k2].group == te->group && s->tech[k2].applies[p])
                                used += r->eq[(p * K + k2) * Y + t];
                        room = fmin(room, cap - used);
                    }
                    if (room <= tol)
                        continue;
                    l.needed = room;
                }
                l.share = cap > 0 ? l.needed / cap : NAN;
                tr_status st = add_lock(w, &cap_lk, l);
                if (st != TR_OK)
                    return st;
            }
        }
    }
    return TR_OK;
}

/* ------------------------------------------------------------ public API */

size_t tr_result_window_count(const tr_result *r)
{
    const tri_winres *w = r ? r->iw : NULL;
    size_t n = 0;
    for (size_t p = 0; w && p < w->P; p++) {
        for (size_t t = 0; t < w->Y; t++)
            n += w->win[p * w->Y + t];
        n += w->pl[p].after != 0;
    }
    return n;
}

tr_status tr_result_get_window(const tr_result *r, size_t i, tr_window *out)
{
    const tri_winres *w = r ? r->iw : NULL;
    if (!out)
        return TR_FAIL(TR_E_INVAL, "tr_result_get_window: NULL argument");
    for (size_t p = 0; w && p < w->P; p++) {
        for (size_t t = 0; t <= w->Y; t++) {
            int here = t < w->Y ? w->win[p * w->Y + t] : w->pl[p].after != 0;
            if (!here)
                continue;
            if (i-- > 0)
                continue;
            out->plant = w->pid[p];
            out->plant_index = p;
            out->in_horizon = t < w->Y;
            out->year = t < w->Y ? w->start + (int)t : w->pl[p].after;
            out->installed = t < w->Y && w->inst && r->status == TR_SOL_OPTIMAL ? w->inst[p * w->Y + t] : NAN;
            return TR_OK;
        }
    }
    return TR_FAIL(TR_E_NOTFOUND, "window row out of range");
}

size_t tr_result_lockin_count(const tr_result *r)
{
    return r && r->iw && r->status == TR_SOL_OPTIMAL ? r->iw->nlk : 0;
}

tr_status tr_result_get_lockin(const tr_result *r, size_t i, tr_lockin *out)
{
    if (!out)
        return TR_FAIL(TR_E_INVAL, "tr_result_get_lockin: NULL argument");
    if (i >= tr_result_lockin_count(r))
        return TR_FAIL(TR_E_NOTFOUND, "lock-in row %zu out of range", i);
    const tri_lockin *l = &r->iw->lk[i];
    out->plant = r->iw->pid[l->p];
    out->technology = r->iw->kid[l->k];
    out->plant_index = l->p;
    out->tech_index = l->k;
    out->window = l->window;
    out->later = l->later;
    out->next = l->next;
    out->needed = l->needed;
    out->share = l->share;
    return TR_OK;
}

/* ------------------------------------------------------------ JSON (write.c) */

static json_t *year_or_null(int y) { return y ? json_integer(y) : json_null(); }

/* set o[k] = v, taking v (freed when it cannot be set) */
static int jput(json_t *o, const char *k, json_t *v)
{
    if (!o || !v) {
        json_decref(v);
        return 0;
    }
    return json_object_set_new(o, k, v) == 0;
}

static int jpush(json_t *a, json_t *v)
{
    if (!a || !v) {
        json_decref(v);
        return 0;
    }
    return json_array_append_new(a, v) == 0;
}

static json_t *num_or_null(double v) { return isfinite(v) ? json_real(v) : json_null(); }

json_t *tri_windows_json(const tr_result *r)
{
    const tri_winres *w = r->iw;
    json_t *o = json_object(), *pl, *lk, *e, *ys, *ins;
    /* each node is made only once its parent holds the one before: nothing
     * leaks when an allocation fails halfway */
    int ok = jput(o, "plants", pl = json_object()) && jput(o, "lock_in", lk = json_array());
    for (size_t p = 0; ok && p < w->P; p++) {
        if (!w->pl[p].has)
            continue;
        ok = jput(pl, w->pid[p], e = json_object()) && jput(e, "windows", ys = json_array()) &&
             jput(e, "next_after_horizon", year_or_null(w->pl[p].after)) &&
             jput(e, "major_installed", ins = json_array());
        for (size_t t = 0; ok && t < w->Y; t++) {
            if (!w->win[p * w->Y + t])
                continue;
            double v = w->inst && r->status == TR_SOL_OPTIMAL ? w->inst[p * w->Y + t] : NAN;
            ok = jpush(ys, json_integer(w->start + (int)t)) && jpush(ins, num_or_null(v));
        }
    }
    for (size_t i = 0; ok && i < tr_result_lockin_count(r); i++) {
        const tri_lockin *l = &w->lk[i];
        ok = jpush(lk, e = json_object()) && jput(e, "plant", json_string(w->pid[l->p])) &&
             jput(e, "technology", json_string(w->kid[l->k])) && jput(e, "window", json_integer(l->window)) &&
             jput(e, "later", year_or_null(l->later)) && jput(e, "next_window", year_or_null(l->next)) &&
             jput(e, "needed", num_or_null(l->needed)) && jput(e, "share", num_or_null(l->share));
    }
    if (!ok) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* ------------------------------------------------------------ report cells */

static void cat(char *buf, size_t n, const char *sep, const char *s)
{
    size_t l = strlen(buf);
    if (l + strlen(sep) + strlen(s) + 4 >= n) {
        if (l + 4 < n && !strstr(buf, "..."))
            strcat(buf, ", ...");
        return;
    }
    if (l)
        strcat(buf, sep);
    strcat(buf, s);
}

int tri_windows_plant_cells(const tri_scen *s, const tr_result *r, size_t p, tri_wincells *c)
{
    const tri_winres *w = r->iw;
    memset(c, 0, sizeof *c);
    if (!w || p >= w->P || !w->pl[p].has)
        return 0;
    char nb[64], item[128];
    int next = 0;
    for (size_t t = 0; t < w->Y; t++) {
        if (!w->win[p * w->Y + t])
            continue;
        int y = w->start + (int)t;
        next = next ? next : y;
        snprintf(item, sizeof item, "%d", y);
        cat(c->windows, sizeof c->windows, ", ", item);
        if (w->inst && r->status == TR_SOL_OPTIMAL && w->inst[p * w->Y + t] > 0) {
            snprintf(item, sizeof item, "%d: %s t/yr", y, tri_report_num(w->inst[p * w->Y + t], nb, sizeof nb));
            cat(c->installed, sizeof c->installed, "; ", item);
        }
    }
    if (!c->windows[0])
        snprintf(c->windows, sizeof c->windows, "none");
    if (!c->installed[0])
        snprintf(c->installed, sizeof c->installed, r->status == TR_SOL_OPTIMAL ? "nothing" : "–");
    if (!next)
        next = w->pl[p].after;
    if (!next)
        snprintf(c->next, sizeof c->next, "none known");
    else if (next > w->start + (int)w->Y - 1)
        snprintf(c->next, sizeof c->next, "%d (after the horizon)", next);
    else
        snprintf(c->next, sizeof c->next, "%d", next);
    if (next == w->start) {
        snprintf(c->blocked, sizeof c->blocked, "none (a window in the base year)");
        return 1;
    }
    for (size_t k = 0; k < w->K; k++)
        if (w->major[k] && s->tech[k].applies[p])
            cat(c->blocked, sizeof c->blocked, ", ", w->kid[k]);
    if (!c->blocked[0])
        snprintf(c->blocked, sizeof c->blocked, "none (no major measure applies)");
    return 1;
}

void tri_windows_lock_cells(const tr_result *r, size_t i, tri_lockcells *c)
{
    const tri_lockin *l = &r->iw->lk[i];
    char nb[64];
    snprintf(c->window, sizeof c->window, "%d", l->window);
    if (l->later)
        snprintf(c->then, sizeof c->then, "takes it in %d", l->later);
    else
        snprintf(c->then, sizeof c->then, "never in the horizon");
    snprintf(c->needed, sizeof c->needed, "%s", tri_report_num(l->needed, nb, sizeof nb));
    snprintf(c->share, sizeof c->share, "%.0f%%", 100 * l->share);
    if (l->next)
        snprintf(c->next, sizeof c->next, "%d%s", l->next,
                 l->next > r->iw->start + (int)r->iw->Y - 1 ? " (after the horizon)" : "");
    else
        snprintf(c->next, sizeof c->next, "none known");
}
