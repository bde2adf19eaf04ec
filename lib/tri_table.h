/* Building tr_table / tr_analysis objects outside analysis.c (which owns
 * their layout). */
#ifndef TRI_TABLE_H
#define TRI_TABLE_H
#include "tr_internal.h"

tr_analysis *tri_an_new(void);
int tri_an_add(tr_analysis *a, tr_table *t);   /* takes @t (freed on failure); 0 on OOM */
tr_table *tri_tbl_new(const char *name, size_t nc);
int tri_tbl_col(tr_table *t, size_t c, const char *name, int text);
long tri_tbl_row(tr_table *t);                 /* -1 on OOM */
void tri_tbl_num(tr_table *t, long r, size_t c, double v);
int tri_tbl_txt(tr_table *t, long r, size_t c, const char *s);
void tri_tbl_free(tr_table *t);

#endif
