/* Investment windows (MODEL.md §13, second part): a technology marked
 * `major: true` is newly installed at a plant that declares windows only in
 * the plant's window years (relining or overhaul years). */
#ifndef TRI_WINDOWS_H
#define TRI_WINDOWS_H
#include "model.h"

/* a plant's windows beyond its window years */
typedef struct tri_winplant {
    unsigned char has;     /* the plant declares windows (a cycle or a list) */
    int after;             /* first window year after the horizon (cycle or list), 0: none */
} tri_winplant;

typedef struct tri_windows {
    size_t n;              /* plants that declare windows */
    tri_winplant *pl;      /* [P] */
    unsigned char *win;    /* [P*Y] 1: a window year of the plant */
    unsigned char *major;  /* [K] `major: true` */
    size_t nmajor;
} tri_windows;

/* compile.c hook: `reline_every`, `last_reline`, `windows` on plants and
 * `major` on technologies -> s->iw (NULL when no plant declares windows
 * and no technology is major) */
tr_status tri_windows_compile(const tri_node *doc, tri_scen *s);
void tri_windows_free(tri_windows *w);
/* 1 when n[p,k,t] must be 0: k is major, p declares windows and year
 * index t is not one of them */
int tri_window_blocks(const tri_scen *s, size_t p, size_t k, size_t t);

/* The result's side (extract.c, write.c, report*.c, the public API): the
 * window years and the lock-in of each window (docs/MODEL.md §13). */
typedef struct tri_lockin {
    size_t p, k;
    int window;            /* the window year that passed */
    int later;             /* first later year the plant holds more of k (0: not in the horizon) */
    int next;              /* the plant's next window after @window (0: none known) */
    double needed;         /* t/yr the window would have needed */
    double share;          /* needed / capacity in the window year */
} tri_lockin;

typedef struct tri_winres {
    size_t P, K, Y;
    int start;
    char **pid, **kid;     /* [P], [K] ids */
    tri_winplant *pl;      /* [P] */
    unsigned char *win;    /* [P*Y] */
    unsigned char *major;  /* [K] */
    double *inst;          /* [P*Y] t/yr of major technologies newly installed (NULL unless optimal) */
    tri_lockin *lk;
    size_t nlk;
} tri_winres;

/* tri_result_new hook: the windows of the scenario into r->iw (NULL when none) */
tr_status tri_windows_result(const tri_scen *s, tr_result *r);
/* tri_extract hook: major installations and the lock-in, from r->eq, r->inst
 * and r->ps's capacity (after plant_series) */
tr_status tri_windows_extract(const tri_scen *s, tr_result *r);
void tri_winres_free(struct tri_winres *w);
/* write.c hook: {"plants": {id: {"windows": [years], "next_after_horizon": y,
 * "major_installed": [t/yr per window]}}, "lock_in": [...]}; NULL on out of memory */
struct json_t;
struct json_t *tri_windows_json(const tr_result *r);

/* report.c and report_html.c: the text of the "Investment windows"
 * section's cells (escaped by the caller). A plant's row: its windows in
 * the horizon, its next window from the base year on, the major measures
 * that apply to it (which it cannot take before that window) and what it
 * installs in its windows; 0 when the plant declares no windows. */
typedef struct tri_wincells {
    char windows[256], next[64], blocked[1024], installed[512];
} tri_wincells;
int tri_windows_plant_cells(const tri_scen *s, const tr_result *r, size_t p, tri_wincells *c);
/* lock-in row i of r */
typedef struct tri_lockcells {
    char window[16], then[64], needed[64], share[32], next[64];
} tri_lockcells;
void tri_windows_lock_cells(const tr_result *r, size_t i, tri_lockcells *c);
#endif
