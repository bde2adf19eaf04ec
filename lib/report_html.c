/* The roadmap as one self-contained HTML page (report.html): the numbers
 * report.c computes for the Markdown tables, drawn as inline SVG charts,
 * each with its numbers in a table beside it. No script, no font, style or
 * image from anywhere else; a print stylesheet for an A4 brief. Every text
 * that comes from a scenario is escaped. Deterministic: no dates, no paths,
 * fixed number formats. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "report.h"
#include "windows.h"
#include "svg.h"

static const char css[] =
    "body{font-family:\"DejaVu Sans\",\"Liberation Sans\",Arial,Helvetica,sans-serif;color:#1f1f1f;"
    "max-width:1080px;margin:0 auto;padding:1.2rem 1.5rem;line-height:1.45;font-size:15px}\n"
    "h1{font-size:1.7rem;margin:.2rem 0 .4rem}h2{font-size:1.3rem;margin:2rem 0 .5rem;"
    "border-bottom:2px solid #0072B2;padding-bottom:.15rem}h3{font-size:1.05rem;margin:1.4rem 0 .4rem}\n"
    "p.meta{color:#555;font-size:.85rem}code{font-family:\"DejaVu Sans Mono\",monospace;font-size:.9em;"
    "background:#f2f2f2;padding:0 .2em}\n"
    "table{border-collapse:collapse;font-size:.78rem;font-variant-numeric:tabular-nums;margin:.3rem 0}\n"
    "th,td{border-bottom:1px solid #ddd;padding:.12rem .45rem;vertical-align:top}th{text-align:left;"
    "background:#f4f6f8}td.n,th.n{text-align:right;white-space:nowrap}\n"
    "caption{text-align:left;font-size:.8rem;color:#444;padding:.2rem 0}\n"
    ".wide{overflow-x:auto}figure{margin:1rem 0 1.4rem;break-inside:avoid}"
    "figcaption{font-weight:bold;margin-bottom:.3rem}\n"
    "svg.chart{max-width:100%;height:auto;display:block}svg text{font-family:inherit}"
    "svg .grid{stroke:#e2e2e2}svg .grid.zero{stroke:#777}svg .axis{stroke:#444}"
    "svg .tick{font-size:11px;fill:#444}svg .label{font-size:12px;fill:#1f1f1f}svg .legend{font-size:12px;fill:#1f1f1f}"
    "svg .series{fill:none;stroke-width:2.2;stroke-linejoin:round}svg .block{stroke:#fff;stroke-width:.6}"
    "svg .ref{stroke-width:2}\n"
    ".multiples{display:flex;flex-wrap:wrap;gap:.2rem .8rem}.multiples figure{margin:.2rem 0;width:258px}"
    ".multiples figcaption{font-weight:normal;font-size:.78rem;line-height:1.2;height:2.4em;overflow:hidden}\n"
    "thead th{vertical-align:bottom}thead th.n{white-space:normal;min-width:4.5em}tbody th{white-space:nowrap}\n"
    "ul.warnings li{margin:.2rem 0}tr.excluded td{color:#666}ul.excluded{font-size:.85rem}.none{color:#555}nav ol{columns:2;font-size:.9rem}\n"
    "@page{size:A4;margin:14mm 12mm}\n"
    "@media print{body{max-width:none;padding:0;font-size:10pt}h2{break-after:avoid}h3{break-after:avoid}"
    "section.scenario,section#macc,section#front,section#mga{break-before:page}.wide{overflow:visible}table{font-size:7pt;break-inside:avoid}"
    "th,td{padding:.05rem .25rem}figure{break-inside:avoid}a{color:inherit;text-decoration:none}"
    "code{background:none}}\n";

/* ------------------------------------------------------------ tables */

static void th_years(tri_buf *b, int start, size_t Y, const char *first)
{
    tri_buf_puts(b, "<thead><tr><th>");
    tri_html_esc(b, first);
    tri_buf_puts(b, "</th>");
    for (size_t t = 0; t < Y; t++)
        tri_buf_printf(b, "<th class=\"n\">%d</th>", start + (int)t);
    tri_buf_puts(b, "</tr></thead>\n");
}

static void td_row(tri_buf *b, const char *label, const double *v, size_t Y, double scale)
{
    char nb[64];
    tri_buf_puts(b, "<tr><th>");
    tri_html_text(b, label);
    tri_buf_puts(b, "</th>");
    for (size_t t = 0; t < Y; t++)
        tri_buf_printf(b, "<td class=\"n\">%s</td>", tri_report_num(v && isfinite(v[t]) ? v[t] * scale : NAN, nb, sizeof nb));
    tri_buf_puts(b, "</tr>\n");
}

static void table_open(tri_buf *b, const char *caption)
{
    tri_buf_puts(b, "<div class=\"wide\"><table>");
    if (caption) {
        tri_buf_puts(b, "<caption>");
        tri_html_text(b, caption);
        tri_buf_puts(b, "</caption>");
    }
    tri_buf_puts(b, "\n");
}

static void table_close(tri_buf *b) { tri_buf_puts(b, "</table></div>\n"); }

static double maxabs(const double *v, size_t n)
{
    double m = 0;
    for (size_t i = 0; v && i < n; i++)
        if (isfinite(v[i]))
            m = fmax(m, fabs(v[i]));
    return m;
}

static int anyfinite(const double *v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        if (isfinite(v[i]))
            return 1;
    return 0;
}

static const tri_series *base_series(const tri_report *rp, const tr_result *r, const char *name)
{
    if (!tri_report_comparable(rp, r) || strcmp(r->sha, rp->base->sha) == 0)
        return NULL;
    return tri_report_series(rp->base, name);
}

/* ------------------------------------------------------------ summary */

static const char *unit_of_total(const tri_report *rp, const char *name)
{
    for (size_t i = 0; i < rp->n; i++)
        for (size_t k = 0; k < rp->res[i]->nt; k++)
            if (!strcmp(rp->res[i]->tname[k], name))
                return rp->res[i]->tunit[k];
    return "";
}

static void html_summary(tri_buf *b, const tri_report *rp)
{
    enum { FIX = 6 };
    size_t nc = FIX + rp->nex;
    double *v = tri_calloc(rp->n * nc + 1, sizeof *v);
    double *f = tri_calloc(nc, sizeof *f);
    char (*unit)[96] = tri_calloc(nc, sizeof *unit);
    if (!v || !f || !unit) {
        b->failed = 1;
        tri_free(v), tri_free(f), tri_free(unit);
        return;
    }
    const char *cur = rp->n ? rp->res[0]->currency : "";
    const char *co2u = unit_of_total(rp, "cumulative.emissions.CO2"), *enu = unit_of_total(rp, "cumulative.energy.total");
    char cpt[96];
    snprintf(cpt, sizeof cpt, "%s per %s CO\xe2\x82\x82", cur ? cur : "", co2u);
    const char *units[FIX] = {cur, cur, co2u, co2u, enu, cpt};
    for (size_t i = 0; i < rp->n; i++) {
        const tr_result *r = rp->res[i];
        tri_summary s = tri_report_summary(rp, r);
        double row[FIX] = {s.ok ? r->npv : NAN, s.ok ? tri_report_total(r, "pv.subsidy") : NAN, s.co2, s.abated,
                           s.saved, s.cpt};
        for (size_t c = 0; c < FIX; c++)
            v[i * nc + c] = row[c];
        for (size_t k = 0; k < rp->nex; k++)
            v[i * nc + FIX + k] = s.ok ? tri_report_total(r, rp->extra[k]) : NAN;
    }
    for (size_t c = 0; c < nc; c++) {
        double m = 0;
        for (size_t i = 0; i < rp->n; i++)
            if (isfinite(v[i * nc + c]))
                m = fmax(m, fabs(v[i * nc + c]));
        const char *u = c < FIX ? units[c] : !strcmp(rp->extra[c - FIX], "pv.damage") ? cur : unit_of_total(rp, rp->extra[c - FIX]);
        f[c] = c == 5 ? 1 : tri_unit_scale(u, m, unit[c], sizeof unit[c]);
        if (c == 5)
            snprintf(unit[c], sizeof unit[c], "%s", u);
    }
    static const char *const head[FIX] = {"NPV, private", "Public subsidies (PV)", "Cumulative CO\xe2\x82\x82 emissions",
                                          "CO\xe2\x82\x82 abated", "Energy saved", "Cost per t CO\xe2\x82\x82 abated"};
    table_open(b, "Cumulative over the horizon, against the baseline; money in present value of the base year.");
    tri_buf_puts(b, "<thead><tr><th>scenario</th><th>status</th>");
    for (size_t c = 0; c < nc; c++) {
        tri_buf_puts(b, "<th class=\"n\">");
        if (c < FIX)
            tri_html_esc(b, head[c]);
        else if (!strcmp(rp->extra[c - FIX], "pv.damage"))
            tri_buf_puts(b, "Damage cost (PV)");
        else
            tri_html_esc(b, rp->extra[c - FIX] + 11);
        tri_buf_puts(b, " [");
        tri_html_esc(b, unit[c]);
        tri_buf_puts(b, "]</th>");
    }
    tri_buf_puts(b, "</tr></thead>\n<tbody>\n");
    char nb[64];
    for (size_t i = 0; i < rp->n; i++) {
        const tr_result *r = rp->res[i];
        tri_buf_printf(b, "<tr><th><a href=\"#scenario-%zu\">", i + 1);
        tri_html_esc(b, r->scenario);
        tri_buf_puts(b, "</a></th><td>");
        tri_html_esc(b, tr_result_status_name(r));
        tri_buf_puts(b, "</td>");
        for (size_t c = 0; c < nc; c++)
            tri_buf_printf(b, "<td class=\"n\">%s</td>", tri_report_num(v[i * nc + c] * f[c], nb, sizeof nb));
        tri_buf_puts(b, "</tr>\n");
    }
    tri_buf_puts(b, "</tbody>");
    table_close(b);
    if (rp->base && rp->n) {
        /* the two columns a brief quotes first, as bars (numbers in the table above) */
        const char **names = tri_calloc(rp->n, sizeof *names);
        double *col = tri_calloc(rp->n, sizeof *col);
        if (!names || !col)
            b->failed = 1;
        for (size_t k = 0; names && col && k < 2; k++) {
            size_t c = k ? 5 : 3;
            char title[300], label[300];
            snprintf(label, sizeof label, "%s [%s]", head[c], unit[c]);
            snprintf(title, sizeof title, "%s against the baseline, by scenario", head[c]);
            for (size_t i = 0; i < rp->n; i++) {
                names[i] = rp->res[i]->scenario;
                col[i] = v[i * nc + c];
            }
            tri_svg_axes ax = {title, label, NULL, 420, 0, NAN, NAN, 1, 0};
            tri_buf_puts(b, "<figure><figcaption>");
            tri_html_esc(b, title);
            tri_buf_puts(b, "</figcaption>\n");
            tri_svg_hbars(b, &ax, names, col, rp->n, f[c]);
            tri_buf_puts(b, "</figure>\n");
        }
        tri_free(names);
        tri_free(col);
    }
    tri_free(v), tri_free(f), tri_free(unit);
}

/* ------------------------------------------------------------ one scenario */

/* a path against the baseline: the chart, and its numbers */
static void html_path(tri_buf *b, const tri_report *rp, const tr_result *r, const char *series, const char *what,
                      const char *fig)
{
    const tri_series *se = tri_report_series(r, series);
    if (!se)
        return;
    const tri_series *bse = base_series(rp, r, series);
    size_t Y = r->Y;
    double m = fmax(maxabs(se->v, Y), bse ? maxabs(bse->v, Y) : 0);
    char unit[96], label[256], title[512];
    double f = tri_unit_scale(se->unit, m, unit, sizeof unit);
    snprintf(label, sizeof label, "%s [%s]", what, unit);
    snprintf(title, sizeof title, "%s: %s, %d to %d%s", fig, what, r->start, r->start + (int)Y - 1,
             bse ? ", against the baseline" : "");
    tri_svg_line l[2] = {{r->scenario, se->v, 0, 0}, {NULL, NULL, -1, 1}};
    char bname[300];
    if (bse) {
        snprintf(bname, sizeof bname, "baseline %s", rp->base->scenario);
        l[1].name = bname;
        l[1].v = bse->v;
    }
    tri_svg_axes ax = {title, "year", label, 560, 220, NAN, NAN, 1, 1};
    tri_buf_puts(b, "<figure><figcaption>");
    tri_html_esc(b, title);
    tri_buf_puts(b, "</figcaption>\n");
    tri_svg_lines(b, &ax, r->start, Y, l, bse ? 2 : 1, f);
    table_open(b, NULL);
    th_years(b, r->start, Y, label);
    tri_buf_puts(b, "<tbody>\n");
    td_row(b, r->scenario, se->v, Y, f);
    if (bse) {
        double *d = tri_calloc(Y, sizeof *d);
        if (!d) {
            b->failed = 1;
            return;
        }
        for (size_t t = 0; t < Y; t++)
            d[t] = bse->v[t] - se->v[t];
        td_row(b, bname, bse->v, Y, f);
        td_row(b, "reduction against the baseline", d, Y, f);
        tri_free(d);
    }
    tri_buf_puts(b, "</tbody>");
    table_close(b);
    tri_buf_puts(b, "</figure>\n");
}

static const char *tech_name(const tri_scen *s, const char *id)
{
    for (size_t k = 0; k < s->K; k++)
        if (!strcmp(s->tech[k].id, id))
            return s->tech[k].name && *s->tech[k].name ? s->tech[k].name : id;
    return id;
}

/* adoption as small multiples (one chart per technology, shared 0-100 %
 * axis: no legend of 15 colours to decode), then the table */
static void html_adoption(tri_buf *b, const tri_report *rp, const tri_scen *s, const tr_result *r, const char *fig)
{
    size_t Y = r->Y, na = 0;
    for (size_t k = 0; k < r->ns; k++)
        na += r->ser[k].kind == TRI_SER_ADOPTION;
    if (!na)
        return;
    int has_base = 0;
    char title[600];
    tri_buf_printf(b, "<figure><figcaption>%s: adoption of each technology, share of the capacity it could equip "
                      "[%%]",
                   fig);
    for (size_t k = 0; k < r->ns; k++)
        if (r->ser[k].kind == TRI_SER_ADOPTION && base_series(rp, r, r->ser[k].name))
            has_base = 1;
    if (has_base) {
        tri_buf_puts(b, "; solid: this scenario, dashed grey: the baseline ");
        tri_buf_puts(b, "<code>");
        tri_html_esc(b, rp->base->scenario);
        tri_buf_puts(b, "</code>");
    }
    tri_buf_puts(b, "</figcaption>\n<div class=\"multiples\">\n");
    for (size_t k = 0; k < r->ns; k++) {
        const tri_series *se = &r->ser[k];
        if (se->kind != TRI_SER_ADOPTION)
            continue;
        const tri_series *bse = base_series(rp, r, se->name);
        const char *name = tech_name(s, se->item);
        snprintf(title, sizeof title, "adoption of %s [%%]", name);
        tri_svg_line l[2] = {{r->scenario, se->v, 0, 0}, {"baseline", bse ? bse->v : NULL, -1, 1}};
        tri_svg_axes ax = {title, NULL, "adoption [%]", 170, 90, 0, 100, 1, 0};
        tri_buf_puts(b, "<figure><figcaption>");
        tri_html_esc(b, name);
        tri_buf_puts(b, "</figcaption>");
        tri_svg_lines(b, &ax, r->start, Y, l, bse ? 2 : 1, 100);
        tri_buf_puts(b, "</figure>\n");
    }
    tri_buf_puts(b, "</div>\n");
    table_open(b, NULL);
    th_years(b, r->start, Y, "adoption [%]");
    tri_buf_puts(b, "<tbody>\n");
    for (size_t k = 0; k < r->ns; k++)
        if (r->ser[k].kind == TRI_SER_ADOPTION)
            td_row(b, tech_name(s, r->ser[k].item), r->ser[k].v, Y, 100);
    tri_buf_puts(b, "</tbody>");
    table_close(b);
    tri_buf_puts(b, "</figure>\n");
}

static void html_spending(tri_buf *b, const tri_report *rp, const tr_result *r, const char *fig)
{
    const tri_series *iv = tri_report_series(r, "investment"), *sub = tri_report_series(r, "subsidy");
    const tri_series *biv = base_series(rp, r, "investment");
    if (!iv)
        return;
    size_t Y = r->Y;
    double m = fmax(maxabs(iv->v, Y), fmax(sub ? maxabs(sub->v, Y) : 0, biv ? maxabs(biv->v, Y) : 0));
    char unit[96], label[256], title[512], bname[300];
    double f = tri_unit_scale(r->currency, m, unit, sizeof unit);
    snprintf(label, sizeof label, "money of the year [%s]", unit);
    snprintf(title, sizeof title, "%s: investment and public spending per year", fig);
    snprintf(bname, sizeof bname, "investment in the baseline %s", biv ? rp->base->scenario : "");
    tri_svg_line l[3];
    size_t nl = 0;
    l[nl++] = (tri_svg_line){"investment", iv->v, 0, 0};
    if (sub)
        l[nl++] = (tri_svg_line){"public subsidies", sub->v, 4, 0};
    if (biv)
        l[nl++] = (tri_svg_line){bname, biv->v, -1, 0};
    tri_svg_axes ax = {title, "year", label, 560, 200, NAN, NAN, 1, 1};
    tri_buf_puts(b, "<figure><figcaption>");
    tri_html_esc(b, title);
    tri_buf_puts(b, "</figcaption>\n");
    tri_svg_bars(b, &ax, r->start, Y, l, nl, f);
    table_open(b, NULL);
    th_years(b, r->start, Y, label);
    tri_buf_puts(b, "<tbody>\n");
    for (size_t i = 0; i < nl; i++)
        td_row(b, l[i].name, l[i].v, Y, f);
    tri_buf_puts(b, "</tbody>");
    table_close(b);
    tri_buf_puts(b, "</figure>\n");
}

static void html_policies(tri_buf *b, const tr_result *r)
{
    size_t Y = r->Y;
    tri_buf_puts(b, "<h3>Policies</h3>\n");
    table_open(b, "Whether each policy binds, and its shadow price (money of the year per unit of the policy's "
                  "indicator): what one more unit of the limit would save.");
    th_years(b, r->start, Y, "policy");
    tri_buf_puts(b, "<tbody>\n");
    for (size_t p = 0; p < r->np; p++) {
        const tri_polinfo *pi = &r->pol[p];
        tri_polser ps = tri_report_policy_series(r, pi->id);
        tri_buf_puts(b, "<tr><th><code>");
        tri_html_esc(b, pi->id);
        tri_buf_puts(b, "</code> (");
        tri_html_esc(b, pi->type);
        tri_buf_printf(b, "%s) binds</th>", pi->illustrative ? ", illustrative" : "");
        for (size_t t = 0; t < Y; t++)
            tri_buf_printf(b, "<td class=\"n\">%s</td>",
                           !ps.bind || !isfinite(ps.bind->v[t]) ? "–" : ps.bind->v[t] != 0 ? "yes" : "no");
        tri_buf_puts(b, "</tr>\n");
        char label[600];
        if (ps.shadow && anyfinite(ps.shadow->v, Y)) {
            snprintf(label, sizeof label, "shadow price [%s]", ps.shadow->unit);
            td_row(b, label, ps.shadow->v, Y, 1);
        }
        if (!strcmp(pi->type, "price")) {
            /* a price's level is what it is: one row, as in report.md */
            const tri_series *lv = ps.value && anyfinite(ps.value->v, Y) ? ps.value : ps.limit;
            if (lv) {
                snprintf(label, sizeof label, "price [%s]", lv->unit && *lv->unit ? lv->unit : pi->unit);
                td_row(b, label, lv->v, Y, 1);
            }
            continue;
        }
        if (ps.value && maxabs(ps.value->v, Y) > 0) {
            snprintf(label, sizeof label, "value [%s]", pi->unit);
            td_row(b, label, ps.value->v, Y, 1);
        }
        if (ps.limit && maxabs(ps.limit->v, Y) > 0) {
            char nb[64];
            if (pi->ref_year)   /* a relative target: its reference, computed from the data */
                snprintf(label, sizeof label, "limit [%s]: reference %s in %d (existing stock, no decisions)",
                         pi->unit, tri_report_num(pi->ref, nb, sizeof nb), pi->ref_year);
            else
                snprintf(label, sizeof label, "limit [%s]", pi->unit);
            td_row(b, label, ps.limit->v, Y, 1);
        }
    }
    tri_buf_puts(b, "</tbody>");
    table_close(b);
}

/* the benchmark curve of one year: every plant against best practice */
static void bench_year(tri_buf *b, const tri_scen *s, const tr_benchmark *bm, size_t t, const char *fig)
{
    size_t n = tr_benchmark_plant_count(bm, t);
    tr_benchmark_totals T;
    if (!n || tr_benchmark_get_totals(bm, t, &T) != TR_OK)
        return;
    double *w = tri_calloc(2 * n, sizeof *w);
    if (!w) {
        b->failed = 1;
        return;
    }
    double *h = w + n;
    for (size_t k = 0; k < n; k++) {
        tr_benchmark_row br;
        tr_benchmark_get(bm, t, k, &br);
        w[k] = br.production;
        h[k] = br.sec_final;
    }
    const char *pu = s->product_unit ? s->product_unit : "t";
    char unit[96], xlabel[256], ylabel[256], title[512], best[200], avg[200];
    double f = tri_unit_scale(pu, T.production, unit, sizeof unit);
    int year = tr_benchmark_year(bm, t);
    snprintf(xlabel, sizeof xlabel, "cumulative production, least intensive plant first [%s]", unit);
    snprintf(ylabel, sizeof ylabel, "final energy [GJ/%s]", pu);
    snprintf(title, sizeof title, "%s: benchmark curve %d, every plant against best practice", fig, year);
    double average = T.production > 0 ? T.energy_final / T.production : NAN;
    snprintf(best, sizeof best, "best practice %.3g GJ/%s", T.best_final, pu);
    snprintf(avg, sizeof avg, "sector average %.3g GJ/%s", average, pu);
    tri_svg_ref ref[2] = {{best, T.best_final, 2}, {avg, average, 1}};
    tri_svg_axes ax = {title, xlabel, ylabel, 560, 200, NAN, NAN, 1, 1};
    tri_buf_puts(b, "<figure><figcaption>");
    tri_html_esc(b, title);
    tri_buf_puts(b, "</figcaption>\n");
    tri_svg_steps(b, &ax, w, h, n, f, ref, 2);
    table_open(b, NULL);
    tri_buf_printf(b, "<thead><tr><th class=\"n\">rank</th><th>plant</th><th class=\"n\">production [");
    tri_html_esc(b, unit);
    tri_buf_puts(b, "]</th><th class=\"n\">final energy [GJ/");
    tri_html_esc(b, pu);
    tri_buf_puts(b, "]</th><th class=\"n\">primary energy [GJ/");
    tri_html_esc(b, pu);
    tri_buf_puts(b, "]</th><th class=\"n\">energy-efficiency index, final</th><th class=\"n\">saving at best "
                    "practice [TJ final]</th></tr></thead>\n<tbody>\n");
    char nb[5][64];
    for (size_t k = 0; k < n; k++) {
        tr_benchmark_row br;
        tr_benchmark_get(bm, t, k, &br);
        tri_buf_printf(b, "<tr><td class=\"n\">%zu</td><td>", k + 1);
        tri_html_esc(b, br.plant);
        tri_buf_printf(b, "</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>"
                          "<td class=\"n\">%s</td><td class=\"n\">%s</td></tr>\n",
                       tri_report_num(br.production * f, nb[0], 64), tri_report_num(br.sec_final, nb[1], 64),
                       tri_report_num(br.sec_primary, nb[2], 64), tri_report_num(br.eei_final, nb[3], 64),
                       tri_report_num(br.saving_final / 1000, nb[4], 64));
    }
    tri_buf_printf(b, "<tr><th></th><th>sector</th><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">–</td>"
                      "<td class=\"n\">%s</td><td class=\"n\">%s</td></tr>\n",
                   tri_report_num(T.production * f, nb[0], 64), tri_report_num(average, nb[1], 64),
                   tri_report_num(T.eei_final, nb[3], 64), tri_report_num(T.saving_final / 1000, nb[4], 64));
    tri_buf_puts(b, "</tbody>");
    table_close(b);
    tri_buf_puts(b, "</figure>\n");
    tri_free(w);
}

static void html_benchmark(tri_buf *b, const tr_scenario *sc, const tr_result *r, const char *fig)
{
    tr_benchmark *bm = NULL;
    if (tr_benchmark_new(sc, r, &bm) != TR_OK) {
        b->failed = 1;   /* the scenario has a benchmark section and an optimal result: out of memory */
        return;
    }
    size_t ny = tr_benchmark_year_count(bm);
    char nb[3][64], f2[64];
    tri_buf_puts(b, "<h3>Benchmark against best practice</h3>\n");
    if (ny) {
        snprintf(f2, sizeof f2, "%sa", fig);
        bench_year(b, sc->scen, bm, 0, f2);
        if (ny > 1) {
            snprintf(f2, sizeof f2, "%sb", fig);
            bench_year(b, sc->scen, bm, ny - 1, f2);
        }
    }
    table_open(b, "The sector each year: production-weighted energy-efficiency index (1 = best practice) and "
                  "the energy saved if every plant reached best practice.");
    tri_buf_puts(b, "<thead><tr><th class=\"n\">year</th><th class=\"n\">EEI final</th><th class=\"n\">EEI "
                    "primary</th><th class=\"n\">savings potential [TJ final]</th><th class=\"n\">share of the "
                    "energy used [%]</th></tr></thead>\n<tbody>\n");
    for (size_t t = 0; t < ny; t++) {
        tr_benchmark_totals T;
        tr_benchmark_get_totals(bm, t, &T);
        tri_buf_printf(b, "<tr><td class=\"n\">%d</td><td class=\"n\">%.3f</td><td class=\"n\">%.3f</td>"
                          "<td class=\"n\">%s</td><td class=\"n\">%s</td></tr>\n",
                       tr_benchmark_year(bm, t), T.eei_final, T.eei_primary,
                       tri_report_num(T.saving_final / 1000, nb[0], 64),
                       tri_report_num(100 * T.saving_share_final, nb[1], 64));
    }
    tri_buf_puts(b, "</tbody>");
    table_close(b);
    tr_benchmark_free(bm);
}

static void html_indicators(tri_buf *b, const tr_result *r)
{
    tri_buf_puts(b, "<h3>All indicators</h3>\n");
    table_open(b, "Every indicator of the roadmap in its own unit.");
    th_years(b, r->start, r->Y, "indicator [unit]");
    tri_buf_puts(b, "<tbody>\n");
    for (size_t k = 0; k < r->ns; k++) {
        const tri_series *se = &r->ser[k];
        if (se->kind != TRI_SER_INDICATOR || !strncmp(se->name, "cost.", 5) || !strcmp(se->name, "capacity"))
            continue;
        char label[600];
        snprintf(label, sizeof label, "%s [%s]", se->name, se->unit);
        td_row(b, label, se->v, r->Y, 1);
    }
    tri_buf_puts(b, "</tbody>");
    table_close(b);
}

static const char *species_label(const tri_species *sp, char *buf, size_t n)
{
    if (!strcmp(sp->id, "CO2"))
        snprintf(buf, n, "CO\xe2\x82\x82 emissions");
    else {
        /* the name up to its explanation in brackets: "Primary PM2.5 (melting fume ...)" */
        const char *name = sp->name && *sp->name ? sp->name : sp->id, *par = strstr(name, " (");
        snprintf(buf, n, "%.*s emissions", par ? (int)(par - name) : (int)strlen(name), name);
    }
    return buf;
}

static void html_windows(tri_buf *b, const tri_scen *s, const tr_result *r);

static void html_scenario(tri_buf *b, const tri_report *rp, size_t i)
{
    const tr_result *r = rp->res[i];
    const tri_scen *s = rp->sc[i]->scen;
    char fig[32], name[300], what[300];
    int nf = 0;
    tri_buf_printf(b, "\n<section class=\"scenario\" id=\"scenario-%zu\">\n<h2>Scenario <code>", i + 1);
    tri_html_esc(b, r->scenario);
    tri_buf_puts(b, "</code></h2>\n");
    if (s->description) {
        tri_buf_puts(b, "<p>");
        tri_html_text(b, s->description);
        tri_buf_puts(b, "</p>\n");
    }
    if (r->status != TR_SOL_OPTIMAL) {
        tri_buf_puts(b, "<p>Not solved: ");
        tri_html_esc(b, tr_result_status_name(r));
        tri_buf_puts(b, ".</p>\n<ul>\n");
        for (size_t d = 0; d < r->nd; d++) {
            tri_buf_puts(b, "<li>");
            tri_html_text(b, r->diag[d].message);
            tri_buf_puts(b, "</li>\n");
        }
        tri_buf_puts(b, "</ul>\n</section>\n");
        return;
    }
    tri_buf_puts(b, "<h3>Emissions and energy</h3>\n");
    for (size_t k = 0; k < s->S; k++) {
        snprintf(name, sizeof name, "emissions.%s", s->spe[k].id);
        snprintf(fig, sizeof fig, "Figure %zu.%d", i + 1, ++nf);
        html_path(b, rp, r, name, species_label(&s->spe[k], what, sizeof what), fig);
    }
    snprintf(fig, sizeof fig, "Figure %zu.%d", i + 1, ++nf);
    html_path(b, rp, r, "energy.total", "energy use, all carriers", fig);
    tri_buf_puts(b, "<h3>Adoption of technologies</h3>\n");
    snprintf(fig, sizeof fig, "Figure %zu.%d", i + 1, ++nf);
    html_adoption(b, rp, s, r, fig);
    tri_buf_puts(b, "<h3>Investment and public spending</h3>\n");
    snprintf(fig, sizeof fig, "Figure %zu.%d", i + 1, ++nf);
    html_spending(b, rp, r, fig);
    if (s->N)
        html_policies(b, r);
    tri_buf_puts(b, "<h3>Policy coherence</h3>\n");
    if (i < rp->w.nhtml && rp->w.html[i].len) {
        tri_buf_puts(b, "<ul class=\"warnings\">\n");
        tri_buf_put(b, rp->w.html[i].s, rp->w.html[i].len);
        tri_buf_puts(b, "</ul>\n");
    } else
        tri_buf_puts(b, "<p class=\"none\">No instrument of this scenario was found to do nothing.</p>\n");
    if (i < rp->w.nhtml && rp->w.html[i].failed)
        b->failed = 1;
    if (s->has_bench) {
        snprintf(fig, sizeof fig, "Figure %zu.%d", i + 1, ++nf);
        html_benchmark(b, rp->sc[i], r, fig);
    }
    if (r->iw)
        html_windows(b, s, r);
    html_indicators(b, r);
    tri_buf_puts(b, "</section>\n");
}

/* §13 investment windows, as two tables (windows.c computes the cells) */
static void html_windows(tri_buf *b, const tri_scen *s, const tr_result *r)
{
    static const char *const head[] = {"plant", "windows in the horizon", "next window",
                                       "major measures not before it", "major measures installed in its windows"};
    tri_buf_puts(b, "<h3>Investment windows</h3>\n");
    table_open(b, "Major measures are installed only in a plant's relining or overhaul years (its windows): per "
                  "plant its windows, the next one from the base year on, the measures that wait for it, and what "
                  "it installs in them.");
    tri_buf_puts(b, "<thead><tr>");
    for (size_t c = 0; c < 5; c++) {
        tri_buf_puts(b, "<th>");
        tri_html_esc(b, head[c]);
        tri_buf_puts(b, "</th>");
    }
    tri_buf_puts(b, "</tr></thead>\n<tbody>\n");
    for (size_t p = 0; p < s->P; p++) {
        tri_wincells c;
        if (!tri_windows_plant_cells(s, r, p, &c))
            continue;
        const char *cell[5] = {s->pl[p].id, c.windows, c.next, c.blocked, c.installed};
        tri_buf_puts(b, "<tr>");
        for (size_t k = 0; k < 5; k++) {
            tri_buf_puts(b, k ? "<td>" : "<th><code>");
            tri_html_esc(b, cell[k]);
            tri_buf_puts(b, k ? "</td>" : "</code></th>");
        }
        tri_buf_puts(b, "</tr>\n");
    }
    tri_buf_puts(b, "</tbody>");
    table_close(b);
    size_t n = tr_result_lockin_count(r);
    if (!n) {
        tri_buf_puts(b, "<p class=\"none\">No window passed without a major measure the plant takes later or "
                        "still had room for.</p>\n");
        return;
    }
    table_open(b, "Lock-in: windows that passed without a major measure the plant takes later or never, and the "
                  "adoption (t/yr of capacity) a policy would have needed in that window.");
    tri_buf_puts(b, "<thead><tr><th>plant</th><th>window</th><th>measure</th><th>then</th>"
                    "<th>needed in the window (t/yr)</th><th>share of capacity</th><th>next window</th></tr></thead>"
                    "\n<tbody>\n");
    for (size_t i = 0; i < n; i++) {
        tr_lockin l;
        tri_lockcells c;
        tr_result_get_lockin(r, i, &l);
        tri_windows_lock_cells(r, i, &c);
        tri_buf_puts(b, "<tr><th><code>");
        tri_html_esc(b, l.plant);
        tri_buf_printf(b, "</code></th><td class=\"n\">%s</td><td><code>", c.window);
        tri_html_esc(b, l.technology);
        tri_buf_printf(b, "</code></td><td>%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>"
                          "<td class=\"n\">%s</td></tr>\n", c.then, c.needed, c.share, c.next);
    }
    tri_buf_puts(b, "</tbody>");
    table_close(b);
}


/* ------------------------------------------------------------ abatement cost curves */

static const char *co2_unit(const tri_scen *s)
{
    for (size_t k = 0; k < s->S; k++)
        if (!strcmp(s->spe[k].id, "CO2"))
            return s->spe[k].unit;
    return "t";
}

/* "<th class=n>what [unit]</th>" */
static void th_unit(tri_buf *b, const char *what, const char *unit)
{
    tri_buf_puts(b, "<th class=\"n\">");
    tri_html_esc(b, what);
    tri_buf_puts(b, " [");
    tri_html_esc(b, unit);
    tri_buf_puts(b, "]</th>");
}

static void th_text(tri_buf *b, const char *text)
{
    tri_buf_puts(b, "<th class=\"n\">");
    tri_html_esc(b, text);
    tri_buf_puts(b, "</th>");
}

static void td_num(tri_buf *b, double v)
{
    char nb[64];
    tri_buf_printf(b, "<td class=\"n\">%s</td>", tri_report_num(v, nb, sizeof nb));
}

static void html_measure_macc(tri_buf *b, const tri_report *rp, size_t i, const char *fig)
{
    tri_macc_cols c;
    const tr_table *t = tri_report_macc(rp, i, &c);
    const tri_scen *s = rp->sc[i]->scen;
    size_t n = tr_table_row_count(t);
    double *w = tri_calloc(2 * n + 1, sizeof *w);
    const char **lab = tri_calloc(n + 1, sizeof *lab);
    char (*rk)[24] = tri_calloc(n + 1, sizeof *rk);
    if (!w || !lab || !rk) {
        b->failed = 1;
        tri_free(w), tri_free(lab), tri_free(rk);
        return;
    }
    double *h = w + n, total = 0, cmax = 0, amax = 0;
    for (size_t r = 0; r < n; r++) {
        double rank = tr_table_num(t, r, (size_t)c.rank);
        w[r] = isfinite(rank) ? tr_table_num(t, r, (size_t)c.avoided) : NAN;
        h[r] = isfinite(rank) ? tr_table_num(t, r, (size_t)c.cpt) : NAN;
        if (isfinite(rank))
            snprintf(rk[r], sizeof rk[r], "%.0f", rank), lab[r] = rk[r];
        if (isfinite(w[r]) && w[r] > 0)
            total += w[r];
        cmax = fmax(cmax, fabs(tr_table_num(t, r, (size_t)c.cost)));
        amax = fmax(amax, fabs(tr_table_num(t, r, (size_t)c.cum)));
    }
    const char *u = co2_unit(s), *cur = s->currency ? s->currency : "";
    int year = tri_report_macc_year(rp, i);
    char au[96], cu[96], eu[96], xlabel[300], ylabel[300], title[600], rate[120], money[120];
    double fa = tri_unit_scale(u, fmax(total, amax), au, sizeof au);
    double fc = tri_unit_scale(cur, cmax, cu, sizeof cu);
    double fe = 1e-3;   /* GJ -> TJ */
    snprintf(eu, sizeof eu, "TJ/yr");
    snprintf(rate, sizeof rate, "%s/yr", au);
    snprintf(money, sizeof money, "%s/yr", cu);
    snprintf(xlabel, sizeof xlabel, "CO\xe2\x82\x82 avoided in %d, cheapest measure first [%s/yr]", year, au);
    snprintf(ylabel, sizeof ylabel, "cost per %s CO\xe2\x82\x82 avoided [%s/%s]", u, cur, u);
    snprintf(title, sizeof title, "%s: measure abatement cost curve %d, each block a measure (its rank in the table)",
             fig, year);
    tri_svg_axes ax = {title, xlabel, ylabel, 560, 220, NAN, NAN, 1, 1};
    tri_buf_puts(b, "<figure class=\"macc\"><figcaption>");
    tri_html_esc(b, title);
    tri_buf_puts(b, "</figcaption>\n");
    tri_svg_macc(b, &ax, w, h, lab, n, fa);
    /* the members an exclusive group leaves out, by name, under the chart */
    size_t nex = 0;
    for (size_t r = 0; r < n; r++)
        nex += !isfinite(tr_table_num(t, r, (size_t)c.rank)) && tri_report_macc_taken(t, &c, r);
    if (nex) {
        tri_buf_puts(b, "<p class=\"excluded\">Not on the curve: another member of their exclusive group is taken.</p>\n"
                        "<ul class=\"excluded\">\n");
        for (size_t r = 0; r < n; r++) {
            const char *taken = tri_report_macc_taken(t, &c, r);
            if (isfinite(tr_table_num(t, r, (size_t)c.rank)) || !taken)
                continue;
            tri_buf_puts(b, "<li>");
            tri_html_esc(b, tech_name(s, tr_table_text(t, r, (size_t)c.tech)));
            tri_buf_puts(b, ": excluded, ");
            tri_html_esc(b, tech_name(s, taken));
            tri_buf_puts(b, " of the group <code>");
            tri_html_esc(b, tr_table_text(t, r, (size_t)c.group));
            tri_buf_puts(b, "</code> is taken</li>\n");
        }
        tri_buf_puts(b, "</ul>\n");
    }
    table_open(b, NULL);
    tri_buf_puts(b, "<thead><tr><th class=\"n\">rank</th><th>measure</th><th>exclusive group</th>");
    th_unit(b, "CO\xe2\x82\x82 avoided", rate);
    snprintf(xlabel, sizeof xlabel, "%s/%s", cur, u);
    th_unit(b, "cost per t avoided", xlabel);
    th_unit(b, "cumulative avoided", rate);
    th_unit(b, "energy saved", eu);
    snprintf(xlabel, sizeof xlabel, "%s/GJ", cur);
    th_unit(b, "cost of conserved energy", xlabel);
    th_unit(b, "annualised cost", money);
    tri_buf_puts(b, "<th>note</th></tr></thead>\n<tbody>\n");
    for (size_t r = 0; r < n; r++) {
        double rank = tr_table_num(t, r, (size_t)c.rank);
        int on = isfinite(rank);
        const char *taken = tri_report_macc_taken(t, &c, r), *note = tr_table_text(t, r, (size_t)c.note);
        tri_buf_printf(b, "<tr%s><td class=\"n\">", on ? "" : " class=\"excluded\"");
        if (on)
            tri_buf_printf(b, "%.0f", rank);
        else
            tri_buf_puts(b, "–");
        tri_buf_puts(b, "</td><td>");
        tri_html_esc(b, tech_name(s, tr_table_text(t, r, (size_t)c.tech)));
        tri_buf_puts(b, "</td><td>");
        tri_html_esc(b, tr_table_text(t, r, (size_t)c.group));
        tri_buf_puts(b, "</td>");
        td_num(b, tr_table_num(t, r, (size_t)c.avoided) * fa);
        td_num(b, tr_table_num(t, r, (size_t)c.cpt));
        td_num(b, tr_table_num(t, r, (size_t)c.cum) * fa);
        td_num(b, on ? tr_table_num(t, r, (size_t)c.gj) * fe : NAN);
        td_num(b, tr_table_num(t, r, (size_t)c.cce));
        td_num(b, tr_table_num(t, r, (size_t)c.cost) * fc);
        tri_buf_puts(b, "<td>");
        if (!on && taken && !strncmp(note, "excluded: another member", 24)) {
            tri_buf_puts(b, "excluded: ");
            tri_html_esc(b, tech_name(s, taken));
            tri_buf_puts(b, " of the same group is taken");
        } else
            tri_html_esc(b, note);
        tri_buf_puts(b, "</td></tr>\n");
    }
    tri_buf_puts(b, "</tbody>");
    table_close(b);
    tri_buf_puts(b, "</figure>\n");
    tri_free(w), tri_free(lab), tri_free(rk);
}

static void html_model_macc(tri_buf *b, const tri_report *rp, const char *fig)
{
    const tri_scen *s = rp->subj_sc->scen;
    tri_buf_puts(b, "<h3>The model under a tightening cap, ");
    tri_buf_printf(b, "%d: <code>", s->end);
    tri_html_esc(b, rp->subj->scenario);
    tri_buf_puts(b, "</code></h3>\n");
    const tr_table *t = rp->macc_model ? tr_analysis_find(rp->macc_model, "model_macc") : NULL;
    if (!t) {
        tri_buf_puts(b, "<p class=\"none\">Not computed: ");
        tri_html_esc(b, rp->macc_model_why ? rp->macc_model_why : "no table");
        tri_buf_puts(b, ".</p>\n");
        return;
    }
    tri_buf_puts(b, "<p>");
    tri_html_text(b, tri_report_model_macc_intro);
    tri_buf_puts(b, "</p>\n");
    static const char *const names[] = {"step", "cap", "abatement", "shadow_price", "npv_increase", "step_cost"};
    long col[6];
    for (size_t k = 0; k < 6; k++)
        col[k] = tri_report_col(t, names[k]);
    size_t n = tr_table_row_count(t);
    double *w = tri_calloc(2 * n + 1, sizeof *w);
    const char **lab = tri_calloc(n + 1, sizeof *lab);
    char (*st)[24] = tri_calloc(n + 1, sizeof *st);
    if (!w || !lab || !st || col[0] < 0 || col[1] < 0 || col[2] < 0 || col[3] < 0 || col[4] < 0 || col[5] < 0) {
        b->failed = 1;
        tri_free(w), tri_free(lab), tri_free(st);
        return;
    }
    double *h = w + n, prev = 0, capmax = 0, npvmax = 0;
    for (size_t r = 0; r < n; r++) {
        double ab = tr_table_num(t, r, (size_t)col[2]);
        w[r] = isfinite(ab) ? ab - prev : NAN;
        h[r] = tr_table_num(t, r, (size_t)col[5]);
        if (isfinite(ab))
            prev = ab;
        snprintf(st[r], sizeof st[r], "%.0f", tr_table_num(t, r, (size_t)col[0]));
        lab[r] = st[r];
        capmax = fmax(capmax, fabs(tr_table_num(t, r, (size_t)col[1])));
        npvmax = fmax(npvmax, fabs(tr_table_num(t, r, (size_t)col[4])));
    }
    const char *u = co2_unit(s), *cur = rp->subj->currency ? rp->subj->currency : "";
    char au[96], cu[96], nu[96], xlabel[300], ylabel[300], title[600];
    double fa = tri_unit_scale(u, prev, au, sizeof au), fcap = tri_unit_scale(u, capmax, cu, sizeof cu);
    double fn = tri_unit_scale(cur, npvmax, nu, sizeof nu);
    snprintf(xlabel, sizeof xlabel, "CO\xe2\x82\x82 abated in %d under the cap [%s]", s->end, au);
    snprintf(ylabel, sizeof ylabel, "cost of the step per %s [%s/%s]", u, cur, u);
    snprintf(title, sizeof title, "%s: model abatement cost curve %d, each block a step of the cap (its number in "
                                  "the table)", fig, s->end);
    tri_svg_axes ax = {title, xlabel, ylabel, 560, 220, NAN, NAN, 1, 1};
    tri_buf_puts(b, "<figure class=\"macc-model\"><figcaption>");
    tri_html_esc(b, title);
    tri_buf_puts(b, "</figcaption>\n");
    tri_svg_macc(b, &ax, w, h, lab, n, fa);
    table_open(b, NULL);
    tri_buf_puts(b, "<thead><tr><th class=\"n\">step</th>");
    th_unit(b, "cap", cu);
    th_unit(b, "CO\xe2\x82\x82 abated", au);
    snprintf(xlabel, sizeof xlabel, "%s/%s", cur, u);
    th_unit(b, "shadow price", xlabel);
    th_unit(b, "NPV increase", nu);
    th_unit(b, "cost of the step", xlabel);
    tri_buf_puts(b, "</tr></thead>\n<tbody>\n");
    for (size_t r = 0; r < n; r++) {
        tri_buf_printf(b, "<tr><td class=\"n\">%s</td>", st[r]);
        td_num(b, tr_table_num(t, r, (size_t)col[1]) * fcap);
        td_num(b, tr_table_num(t, r, (size_t)col[2]) * fa);
        td_num(b, tr_table_num(t, r, (size_t)col[3]));
        td_num(b, tr_table_num(t, r, (size_t)col[4]) * fn);
        td_num(b, tr_table_num(t, r, (size_t)col[5]));
        tri_buf_puts(b, "</tr>\n");
    }
    tri_buf_puts(b, "</tbody>");
    table_close(b);
    tri_buf_puts(b, "</figure>\n");
    tri_free(w), tri_free(lab), tri_free(st);
}

static int html_has_macc(const tri_report *rp)
{
    tri_macc_cols c;
    for (size_t i = 0; i < rp->n; i++)
        if (tri_report_macc(rp, i, &c))
            return 1;
    return rp->macc_model || rp->macc_model_why;
}

static void html_macc(tri_buf *b, const tri_report *rp)
{
    if (!html_has_macc(rp))
        return;
    tri_buf_puts(b, "\n<section id=\"macc\">\n<h2>Abatement cost curves</h2>\n<p>");
    tri_html_text(b, tri_report_macc_intro);
    tri_buf_puts(b, "</p>\n");
    int nf = 0;
    char fig[32];
    for (size_t i = 0; i < rp->n; i++) {
        tri_macc_cols c;
        if (!tri_report_macc(rp, i, &c) || rp->macc_first[i] != i)
            continue;
        tri_buf_printf(b, "<h3>Measures one by one, %d: <code>", tri_report_macc_year(rp, i));
        tri_html_esc(b, tri_report_label(rp, i));
        tri_buf_puts(b, "</code>");
        if (tri_report_macc_shared(rp, i)) {
            tri_buf_puts(b, " (the same for ");
            tri_report_same_curve(b, rp, i, 1);
            tri_buf_puts(b, ")");
        }
        tri_buf_puts(b, "</h3>\n");
        snprintf(fig, sizeof fig, "Figure M.%d", ++nf);
        html_measure_macc(b, rp, i, fig);
    }
    if (rp->macc_model || rp->macc_model_why) {
        snprintf(fig, sizeof fig, "Figure M.%d", ++nf);
        html_model_macc(b, rp, fig);
    }
    tri_buf_puts(b, "</section>\n");
}

/* ------------------------------------------------------------ trade-off front */

static void html_front(tri_buf *b, const tri_report *rp)
{
    const tr_table *f = rp->front ? tr_analysis_find(rp->front, "front") : NULL;
    const tr_table *v = rp->front ? tr_analysis_find(rp->front, "variants") : NULL;
    if (!f)
        return;
    char wx[300], wy[300], ux[96], uy[96], un[96], xlabel[500], ylabel[500], title[1200];
    const char *rx, *ry, *cur = rp->subj->currency ? rp->subj->currency : "";
    tri_report_objective(rp, tr_table_col_name(f, 1), wx, sizeof wx, &rx);
    tri_report_objective(rp, tr_table_col_name(f, 2), wy, sizeof wy, &ry);
    size_t n = tr_table_row_count(f), nv = v ? tr_table_row_count(v) : 0;
    double *x = tri_calloc(2 * n + 1, sizeof *x);
    tri_svg_point *pts = tri_calloc(nv + 1, sizeof *pts);
    char (*lab)[16] = tri_calloc(nv + 1, sizeof *lab);
    if (!x || !pts || !lab) {
        b->failed = 1;
        tri_free(x), tri_free(pts), tri_free(lab);
        return;
    }
    double *y = x + n, mx = 0, my = 0, mn = 0;
    for (size_t r = 0; r < n; r++) {
        x[r] = tr_table_num(f, r, 1), y[r] = tr_table_num(f, r, 2);
        mx = fmax(mx, fabs(x[r])), my = fmax(my, fabs(y[r])), mn = fmax(mn, fabs(tr_table_num(f, r, 3)));
    }
    for (size_t r = 0; r < nv; r++) {
        double d = tr_table_num(v, r, 4);
        snprintf(lab[r], sizeof lab[r], "%zu", r + 1);
        pts[r] = (tri_svg_point){lab[r], tr_table_num(v, r, 1), tr_table_num(v, r, 2), d != 0 ? 1 : 2};
        if (isfinite(pts[r].x))
            mx = fmax(mx, fabs(pts[r].x)), my = fmax(my, fabs(pts[r].y)), mn = fmax(mn, fabs(tr_table_num(v, r, 3)));
    }
    /* a unit one step finer than the largest value's: the points of a front differ in their third digit */
    double fx = tri_unit_scale(rx, mx / 1000, ux, sizeof ux), fy = tri_unit_scale(ry, my / 1000, uy, sizeof uy);
    double fn = tri_unit_scale(cur, mn / 1000, un, sizeof un);
    snprintf(xlabel, sizeof xlabel, "%s [%s]", wx, ux);
    snprintf(ylabel, sizeof ylabel, "%s [%s]", wy, uy);
    /* CO2 with its subscript on the page ("CO2 emissions, ..." is the only form the words take) */
    if (!strncmp(wy, "CO2", 3))
        snprintf(ylabel, sizeof ylabel, "CO\xe2\x82\x82%s [%s]", wy + 3, uy);
    if (!strncmp(wx, "CO2", 3))
        snprintf(xlabel, sizeof xlabel, "CO\xe2\x82\x82%s [%s]", wx + 3, ux);
    snprintf(title, sizeof title, "Figure F.1: trade-off front of %s, %.*s against %.*s, and where each scenario lands",
             rp->subj->scenario, (int)(strchr(ylabel, '[') - ylabel - 1), ylabel, (int)(strchr(xlabel, '[') - xlabel - 1),
             xlabel);
    tri_buf_puts(b, "\n<section id=\"front\">\n<h2>Trade-off front</h2>\n<p>");
    tri_html_text(b, tri_report_front_intro);
    tri_buf_puts(b, "</p>\n<figure class=\"front\"><figcaption>");
    tri_html_esc(b, title);
    tri_buf_puts(b, "</figcaption>\n");
    static const char *const marks[] = {"scenario, dominated", "scenario, on or beyond the front"};
    static const int mcol[] = {1, 2};
    tri_svg_axes ax = {title, xlabel, ylabel, 560, 260, NAN, NAN, 0, 1};
    tri_svg_xy(b, &ax, x, y, n, fx, fy, "front (each point a least-cost roadmap under a bound)", pts, nv, marks, mcol, 2);
    table_open(b, "The front's points.");
    tri_buf_puts(b, "<thead><tr><th class=\"n\">point</th>");
    th_text(b, xlabel);
    th_text(b, ylabel);
    th_unit(b, "NPV, private", un);
    tri_buf_puts(b, "<th>optimum of</th></tr></thead>\n<tbody>\n");
    long end = tri_report_col(f, "end_point");
    for (size_t r = 0; r < n; r++) {
        tri_buf_printf(b, "<tr><td class=\"n\">%zu</td>", r);
        td_num(b, x[r] * fx);
        td_num(b, y[r] * fy);
        td_num(b, tr_table_num(f, r, 3) * fn);
        tri_buf_puts(b, "<td>");
        tri_html_esc(b, end >= 0 ? tr_table_text(f, r, (size_t)end) : "");
        tri_buf_puts(b, "</td></tr>\n");
    }
    tri_buf_puts(b, "</tbody>");
    table_close(b);
    if (nv) {
        table_open(b, "The scenarios of this report on the front (their numbers in the chart).");
        tri_buf_puts(b, "<thead><tr><th class=\"n\">#</th><th>scenario</th>");
        th_text(b, xlabel);
        th_text(b, ylabel);
        th_unit(b, "NPV, private", un);
        tri_buf_puts(b, "<th>dominated</th></tr></thead>\n<tbody>\n");
        for (size_t r = 0; r < nv; r++) {
            double d = tr_table_num(v, r, 4);
            tri_buf_printf(b, "<tr><td class=\"n\">%zu</td><td><code>", r + 1);
            tri_html_esc(b, tr_table_text(v, r, 0));
            tri_buf_puts(b, "</code></td>");
            td_num(b, pts[r].x * fx);
            td_num(b, pts[r].y * fy);
            td_num(b, tr_table_num(v, r, 3) * fn);
            tri_buf_printf(b, "<td>%s</td></tr>\n", !isfinite(d) ? "–" : d != 0 ? "yes" : "no");
        }
        tri_buf_puts(b, "</tbody>");
        table_close(b);
    }
    tri_buf_puts(b, "</figure>\n</section>\n");
    tri_free(x), tri_free(pts), tri_free(lab);
}

/* ------------------------------------------------------------ near-optimal roadmaps */

static void pct_cell(tri_buf *b, double v)
{
    if (isfinite(v))
        tri_buf_printf(b, "<td class=\"n\">%.1f</td>", 100 * v + 0.0);
    else
        tri_buf_puts(b, "<td class=\"n\">–</td>");
}

static void html_mga(tri_buf *b, const tri_report *rp)
{
    if (!rp->mga)
        return;
    tri_buf_puts(b, "\n<section id=\"mga\">\n<h2>Near-optimal roadmaps</h2>\n");
    tri_buf_printf(b, "<p>Every roadmap whose NPV is within %g %% of the least cost of its scenario "
                      "(<code>techroad mga</code>), and the least and greatest adoption share each technology has "
                      "among them in the last year. In bold: needed in every such roadmap (a least share of at "
                      "least %g %%).</p>\n",
                   rp->mga_slack * 100, TR_MGA_NEEDED * 100);
    for (size_t i = 0; i < rp->n; i++) {
        const tr_table *t = rp->mga[i] ? tr_analysis_find(rp->mga[i], "ranges") : NULL;
        if (!t)
            continue;
        long ct = tri_report_col(t, "technology"), cmin = tri_report_col(t, "min"), cmax = tri_report_col(t, "max"),
             copt = tri_report_col(t, "optimum"), cneed = tri_report_col(t, "needed"), cy = tri_report_col(t, "year");
        if (ct < 0 || cmin < 0 || cmax < 0 || copt < 0 || cneed < 0)
            continue;
        const tri_scen *s = rp->sc[i]->scen;
        tri_buf_puts(b, "<h3>Near-optimal ranges: <code>");
        tri_html_esc(b, tri_report_label(rp, i));
        tri_buf_puts(b, "</code></h3>\n");
        char cap[200];
        snprintf(cap, sizeof cap, "Adoption share in %.0f [%%] among the roadmaps within %g %% of the least cost.",
                 tr_table_row_count(t) && cy >= 0 ? tr_table_num(t, 0, (size_t)cy) : (double)s->end,
                 rp->mga_slack * 100);
        table_open(b, cap);
        tri_buf_puts(b, "<thead><tr><th>technology</th><th class=\"n\">least [%]</th><th class=\"n\">greatest "
                        "[%]</th><th class=\"n\">least-cost roadmap [%]</th><th>needed in every roadmap</th></tr>"
                        "</thead>\n<tbody>\n");
        for (size_t r = 0; r < tr_table_row_count(t); r++) {
            int need = !strcmp(tr_table_text(t, r, (size_t)cneed), "yes");
            tri_buf_puts(b, need ? "<tr class=\"needed\"><th><strong>" : "<tr><th>");
            tri_html_esc(b, tech_name(s, tr_table_text(t, r, (size_t)ct)));
            tri_buf_puts(b, need ? "</strong></th>" : "</th>");
            pct_cell(b, tr_table_num(t, r, (size_t)cmin));
            pct_cell(b, tr_table_num(t, r, (size_t)cmax));
            pct_cell(b, tr_table_num(t, r, (size_t)copt));
            tri_buf_printf(b, "<td>%s</td></tr>\n", need ? "yes" : "no");
        }
        tri_buf_puts(b, "</tbody>");
        table_close(b);
    }
    tri_buf_puts(b, "</section>\n");
}

/* ------------------------------------------------------------ sources */

/* one source line, unless an identical line is already in @out */
static void source_item(tri_buf *out, const char *section, const char *item, const tri_node *src)
{
    if (!src)
        return;
    size_t n = src->kind == TRI_SEQ ? src->n : 1;
    for (size_t j = 0; j < n; j++) {
        const tri_node *v = src->kind == TRI_SEQ ? src->vals[j] : src;
        if (v->kind != TRI_SCALAR || !v->str || !*v->str)
            continue;
        tri_buf li = {0};
        tri_buf_puts(&li, "<li>");
        if (section) {
            tri_html_esc(&li, section);
            tri_buf_puts(&li, " <code>");
            tri_html_esc(&li, item);
            tri_buf_puts(&li, "</code>: ");
        }
        tri_html_esc(&li, v->str);
        tri_buf_puts(&li, "</li>\n");
        char *s = tri_buf_take(&li);
        if (!s) {
            out->failed = 1;
            return;
        }
        if (!out->s || !strstr(out->s, s))
            tri_buf_puts(out, s);
        tri_free(s);
    }
}

static void html_sources(tri_buf *b, const tri_report *rp)
{
    static const char *const top[] = {"source", "sources", "references"};
    static const char *const sections[] = {"carriers", "species", "products", "plants", "technologies", "policies",
                                           "indicators"};
    static const char *const singular[] = {"carrier", "species", "product", "plant", "technology", "policy",
                                           "indicator"};
    tri_buf list = {0};
    size_t nsc = rp->n + (rp->bs ? 0 : 0);
    for (size_t i = 0; i < nsc; i++) {
        const tri_node *doc = rp->sc[i]->doc;
        if (!doc || doc->kind != TRI_MAP)
            continue;
        for (size_t k = 0; k < sizeof top / sizeof *top; k++)
            source_item(&list, NULL, NULL, tri_map_get(doc, top[k]));
        for (size_t k = 0; k < sizeof sections / sizeof *sections; k++) {
            const tri_node *sec = tri_map_get(doc, sections[k]);
            if (!sec || sec->kind != TRI_MAP)
                continue;
            for (size_t j = 0; j < sec->n; j++)
                if (sec->vals[j]->kind == TRI_MAP)
                    source_item(&list, singular[k], sec->keys[j]->str, tri_map_get(sec->vals[j], "source"));
        }
    }
    tri_buf_puts(b, "\n<section id=\"sources\">\n<h2>Sources</h2>\n");
    if (list.failed)
        b->failed = 1;
    if (list.len) {
        tri_buf_puts(b, "<p>The sources the scenarios give for their figures (each once).</p>\n<ul class=\"sources\">\n");
        tri_buf_put(b, list.s, list.len);
        tri_buf_puts(b, "</ul>\n");
    } else
        tri_buf_puts(b, "<p class=\"none\">The scenarios give no sources.</p>\n");
    tri_buf_puts(b, "</section>\n");
    tri_free(list.s);
}

/* ------------------------------------------------------------ what these results rest on */

static void html_rests(tri_buf *b, const tri_report *rp)
{
    tri_rests x;
    if (!tri_report_rests(rp, 10, &x))
        return;
    char nb[64];
    tri_buf_puts(b, "\n<section id=\"rests-on\">\n<h2>What these results rest on</h2>\n<p>The ");
    tri_buf_printf(b, "%zu assumptions of <code>", x.rows);
    tri_html_esc(b, x.scenario);
    tri_buf_puts(b, "</code> whose stated ranges move its net present value most, each varied alone over its range "
                    "(<code>techroad audit</code>). Base: NPV ");
    tri_html_esc(b, tri_report_num(x.base[0], nb, sizeof nb));
    tri_buf_puts(b, ", cumulative CO\xe2\x82\x82 ");
    tri_html_esc(b, tri_report_num(x.base[1], nb, sizeof nb));
    tri_buf_puts(b, ", final-year energy intensity ");
    tri_html_esc(b, tri_report_num(x.base[2], nb, sizeof nb));
    tri_buf_puts(b, ".</p>\n<table>\n<thead><tr><th class=\"n\">#</th><th>assumption</th><th class=\"n\">value</th>"
                    "<th class=\"n\">low</th><th class=\"n\">high</th><th class=\"n\">NPV at low</th>"
                    "<th class=\"n\">NPV at high</th><th class=\"n\">CO\xe2\x82\x82 at low</th>"
                    "<th class=\"n\">CO\xe2\x82\x82 at high</th><th class=\"n\">intensity at low</th>"
                    "<th class=\"n\">intensity at high</th><th>where</th><th>searched</th></tr></thead>\n"
                    "<tbody>\n");
    for (size_t r = 0; r < x.rows; r++) {
        tri_buf_printf(b, "<tr><td class=\"n\">%zu</td><td><code>", r + 1);
        tri_html_esc(b, tr_table_text(x.t, r, (size_t)x.path));
        tri_buf_puts(b, "</code></td>");
        long num[9] = {x.value, x.low, x.high, x.out_low[0], x.out_high[0], x.out_low[1], x.out_high[1],
                       x.out_low[2], x.out_high[2]};
        for (int k = 0; k < 9; k++) {
            tri_buf_puts(b, "<td class=\"n\">");
            tri_html_esc(b, tri_report_num(num[k] >= 0 ? tr_table_num(x.t, r, (size_t)num[k]) : NAN, nb, sizeof nb));
            tri_buf_puts(b, "</td>");
        }
        tri_buf_puts(b, "<td>");
        tri_html_esc(b, tr_table_text(x.t, r, (size_t)x.where));
        tri_buf_puts(b, "</td><td>");
        tri_html_esc(b, x.searched >= 0 ? tr_table_text(x.t, r, (size_t)x.searched) : "");
        tri_buf_puts(b, "</td></tr>\n");
    }
    tri_buf_puts(b, "</tbody>\n</table>\n</section>\n");
}

/* ------------------------------------------------------------ the page */

void tri_report_html_warning(tri_buf *b, const char *msg)
{
    tri_buf_puts(b, "<li>");
    tri_html_text(b, msg);
    tri_buf_puts(b, "</li>\n");
}

void tri_report_html(tri_buf *b, const tri_report *rp)
{
    const tr_result *base = rp->base;
    tri_buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                    "<title>Technology roadmap report</title>\n<style>\n");
    tri_buf_puts(b, css);
    tri_buf_puts(b, "</style>\n</head>\n<body>\n<main>\n<h1>Technology roadmap report</h1>\n<p class=\"meta\">");
    tri_buf_printf(b, "Made by techroad %s with GLPK %s.", tr_version(), tr_glpk_version());
    if (base) {
        tri_buf_puts(b, " Baseline: <code>");
        tri_html_esc(b, base->scenario);
        tri_buf_printf(b, "</code> (scenario SHA-256 <code>%.12s</code>).", base->sha);
    }
    tri_buf_puts(b, "</p>\n<p>Money is in each scenario's currency of its base year; <em>resource cost</em> is the "
                    "net present value of private costs without emission taxes (a transfer) plus public subsidies; "
                    "<em>cost per tonne</em> is the change in resource cost against the baseline divided by the "
                    "cumulative CO\xe2\x82\x82 abated. Every chart has its numbers in the table below it.</p>\n");
    tri_buf_puts(b, "<nav><h2>Contents</h2>\n<ol>\n<li><a href=\"#summary\">Summary</a></li>\n"
                    "<li><a href=\"#coherence\">Policy coherence</a></li>\n");
    for (size_t i = 0; i < rp->n; i++) {
        tri_buf_printf(b, "<li><a href=\"#scenario-%zu\">Scenario ", i + 1);
        tri_html_esc(b, rp->res[i]->scenario);
        tri_buf_puts(b, "</a></li>\n");
    }
    if (html_has_macc(rp))
        tri_buf_puts(b, "<li><a href=\"#macc\">Abatement cost curves</a></li>\n");
    if (rp->front)
        tri_buf_puts(b, "<li><a href=\"#front\">Trade-off front</a></li>\n");
    if (rp->mga)
        tri_buf_puts(b, "<li><a href=\"#mga\">Near-optimal roadmaps</a></li>\n");
    tri_rests x;
    if (tri_report_rests(rp, 10, &x))
        tri_buf_puts(b, "<li><a href=\"#rests-on\">What these results rest on</a></li>\n");
    tri_buf_puts(b, "<li><a href=\"#sources\">Sources</a></li>\n</ol>\n</nav>\n");
    tri_buf_puts(b, "\n<section id=\"summary\">\n<h2>Summary</h2>\n");
    html_summary(b, rp);
    tri_buf_puts(b, "</section>\n\n<section id=\"coherence\">\n<h2>Policy coherence</h2>\n");
    if (rp->w.n == 0)
        tri_buf_puts(b, "<p class=\"none\">No instrument was found to do nothing.</p>\n");
    else {
        tri_buf_puts(b, "<ul class=\"warnings\">\n");
        for (size_t i = 0; i < rp->w.nhtml; i++)
            if (rp->w.html[i].len) {
                tri_buf_printf(b, "<li><a href=\"#scenario-%zu\"><strong>", i + 1);
                tri_html_esc(b, rp->res[i]->scenario);
                tri_buf_printf(b, "</strong></a><ul>\n");
                tri_buf_put(b, rp->w.html[i].s, rp->w.html[i].len);
                tri_buf_puts(b, "</ul></li>\n");
            }
        tri_buf_puts(b, "</ul>\n");
    }
    tri_buf_puts(b, "</section>\n");
    for (size_t i = 0; i < rp->n; i++)
        html_scenario(b, rp, i);
    html_macc(b, rp);
    html_front(b, rp);
    html_mga(b, rp);
    html_rests(b, rp);
    html_sources(b, rp);
    tri_buf_puts(b, "</main>\n</body>\n</html>\n");
}
