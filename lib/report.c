/* Roadmap report: the tables policy makers read, as Markdown and CSV, for
 * several scenarios against a baseline, with plain-word warnings about
 * instruments that do nothing in a scenario (policy coherence).
 * Deterministic: no dates, fixed number formats, input order kept. */
#include <errno.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "analysis.h"   /* tri_cell_md */
#include "report.h"
#include "svg.h"   /* tri_html_esc */
#include "windows.h"

/* ------------------------------------------------------------ helpers */

const tri_series *tri_report_series(const tr_result *r, const char *name)
{
    for (size_t i = 0; i < r->ns; i++)
        if (strcmp(r->ser[i].name, name) == 0)
            return &r->ser[i];
    return NULL;
}

double tri_report_total(const tr_result *r, const char *name)
{
    for (size_t i = 0; i < r->nt; i++)
        if (strcmp(r->tname[i], name) == 0)
            return r->tval[i];
    return NAN;
}

/* A number for the Markdown and HTML tables. The rule (docs/ANALYSES.md,
 * "Report tables"): three significant digits, trailing zeros kept so that a
 * column reads alike (4.46, 30.0, 100, 0.0500); from 1,000 on whole numbers
 * with thousands separators (never an exponent); exactly zero is "0", a
 * missing value "–". The CSV files keep full precision (%.12g). */
const char *tri_report_num(double v, char *buf, size_t n)
{
    if (!isfinite(v))
        return snprintf(buf, n, "–"), buf;
    if (v == 0)
        return snprintf(buf, n, "0"), buf;
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%.2e", v);   /* rounded to three significant digits */
    double r = fabs(v) >= 1000 ? v : strtod(tmp, NULL);
    double a = fabs(r);
    if (a >= 1000)
        return tri_fmt_num(r, buf, n);
    int dec = a >= 100 ? 0 : a >= 10 ? 1 : a >= 1 ? 2 : 2 - (int)floor(log10(a) + 1e-12);
    snprintf(buf, n, "%.*f", dec, r);
    return buf;
}

static void csvnum(tri_buf *b, double v)
{
    if (isfinite(v))
        tri_buf_printf(b, "%.12g", v == 0 ? 0.0 : v);
}

static void csvstr(tri_buf *b, const char *s) { tri_csv_field(b, s); }

/* the CO2 species: "CO2" if declared, else the first species */
static const char *co2_name(const tri_scen *s)
{
    for (size_t i = 0; i < s->S; i++)
        if (strcmp(s->spe[i].id, "CO2") == 0)
            return "emissions.CO2";
    return NULL;
}

static tr_status put_file(const char *dir, const char *name, tri_buf *b)
{
    char *s = tri_buf_take(b);
    if (!s)
        return TR_FAIL(TR_E_NOMEM, "out of memory writing %s", name);
    char *path = tri_asprintf("%s/%s", dir, name);
    if (!path) {
        tri_free(s);
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    }
    tr_status st = tri_write_file(path, s, strlen(s));
    tri_free(path);
    tri_free(s);
    return st;
}

/* ------------------------------------------------------------ warnings */

static void warning(tri_warn *w, const char *scen, const char *policy, const char *kind, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

static void warning(tri_warn *w, const char *scen, const char *policy, const char *kind, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    csvstr(&w->csv, scen);
    tri_buf_puts(&w->csv, ",");
    csvstr(&w->csv, policy);
    tri_buf_puts(&w->csv, ",");
    csvstr(&w->csv, kind);
    tri_buf_puts(&w->csv, ",");
    csvstr(&w->csv, msg);
    tri_buf_puts(&w->csv, "\n");
    tri_buf_printf(&w->md, "- **%s** — %s\n", scen, msg);
    if (w->cur < w->nhtml)
        tri_report_html_warning(&w->html[w->cur], msg);
    w->n++;
}

static int any_positive(const tri_series *se, size_t Y, double tol)
{
    for (size_t t = 0; se && t < Y; t++)
        if (isfinite(se->v[t]) && se->v[t] > tol)
            return 1;
    return 0;
}

static void check_policies(tri_warn *w, const char *label, const tri_scen *s, const tr_result *r, const tri_scen *bs,
                           const tr_result *base)
{
    char name[400];
    int has_price = 0;
    for (size_t i = 0; i < s->N; i++)
        has_price |= s->pol[i].type == TRI_POL_PRICE;
    for (size_t i = 0; i < s->N; i++) {
        const tri_policy *po = &s->pol[i];
        snprintf(name, sizeof name, "policy.%s.shadow_price", po->id);
        const tri_series *sp = tri_report_series(r, name);
        switch (po->type) {
        case TRI_POL_CAP:
        case TRI_POL_INTENSITY_CAP:
        case TRI_POL_FLOOR:
        case TRI_POL_STANDARD:
        case TRI_POL_BUDGET:
            if (!any_positive(sp, r->Y, 1e-9))
                warning(w, label, po->id, "never binds",
                        "%s `%s` never binds in any year%s: it has no effect on the roadmap.", po->type == TRI_POL_BUDGET ? "budget" : "target",
                        po->id, has_price && po->type != TRI_POL_BUDGET ? " under the scenario's emission price" : "");
            break;
        case TRI_POL_MANDATE:
            if (!any_positive(sp, r->Y, 1e-9))
                warning(w, label, po->id, "met anyway",
                        "mandate `%s` is met by the least-cost path anyway: it costs nothing and changes nothing.", po->id);
            break;
        case TRI_POL_SUBSIDY:
            for (size_t k = 0; k < s->K; k++) {
                if (!po->techs || !po->techs[k])
                    continue;
                snprintf(name, sizeof name, "adoption.%s", s->tech[k].id);
                const tri_series *ad = tri_report_series(r, name);
                double maxad = 0, maxbase = 0;
                int more = 0;
                const tri_series *bad = base ? tri_report_series(base, name) : NULL;
                for (size_t t = 0; t < r->Y; t++) {
                    if (!po->active[t] || !ad)
                        continue;
                    if (ad->v[t] > maxad)
                        maxad = ad->v[t];
                    if (bad && t < base->Y) {
                        if (bad->v[t] > maxbase)
                            maxbase = bad->v[t];
                        if (ad->v[t] > bad->v[t] + 1e-6)
                            more = 1;
                    }
                }
                if (maxad <= 1e-9)
                    warning(w, label, po->id, "never adopted",
                            "subsidy `%s` supports `%s`, which is never adopted while the subsidy applies: it does "
                            "nothing.",
                            po->id, s->tech[k].id);
                else if (bad && !more && maxbase > 1e-9)
                    warning(w, label, po->id, "windfall",
                            "subsidy `%s` supports `%s`, which the baseline adopts as much without it: public money "
                            "pays for adoption that happens anyway.",
                            po->id, s->tech[k].id);
            }
            break;
        case TRI_POL_BAN:
            if (base && bs)
                for (size_t k = 0; k < s->K; k++) {
                    if (!po->techs || !po->techs[k])
                        continue;
                    snprintf(name, sizeof name, "adoption.%s", s->tech[k].id);
                    const tri_series *bad = tri_report_series(base, name);
                    int used = 0;
                    for (size_t t = 0; bad && t < base->Y && t < s->Y; t++)
                        if (po->active[t])
                            used |= bad->v[t] > 1e-9;
                    if (bad && !used)
                        warning(w, label, po->id, "bans nothing",
                                "ban `%s` covers `%s`, which the baseline never adopts: it changes nothing.", po->id,
                                s->tech[k].id);
                }
            break;
        case TRI_POL_PRICE:
            if (base) {
                int changed = 0;
                for (size_t k = 0; k < s->K && !changed; k++) {
                    snprintf(name, sizeof name, "equipped.%s", s->tech[k].id);
                    const tri_series *a = tri_report_series(r, name), *b = tri_report_series(base, name);
                    for (size_t t = 0; a && b && t < r->Y && t < base->Y; t++)
                        if (fabs(a->v[t] - b->v[t]) > 1e-6 * fmax(1, fabs(b->v[t])))
                            changed = 1;
                    if (!b && a && any_positive(a, r->Y, 1e-9))
                        changed = 1;
                }
                if (!changed)
                    warning(w, label, po->id, "no response",
                            "emission price `%s` changes no technology choice compared with the baseline: it raises "
                            "revenue but abates nothing.",
                            po->id);
            }
            break;
        default: break;
        }
    }
}

/* ------------------------------------------------------------ tables */

static void md_years(tri_buf *b, const tr_result *r, const char *first)
{
    tri_buf_printf(b, "| %s | unit |", first);
    for (size_t t = 0; t < r->Y; t++)
        tri_buf_printf(b, " %d |", r->start + (int)t);
    tri_buf_puts(b, "\n|---|---|");
    for (size_t t = 0; t < r->Y; t++)
        tri_buf_puts(b, "---:|");
    tri_buf_puts(b, "\n");
}

static void md_row(tri_buf *b, const char *label, const char *unit, const double *v, size_t Y, double scale)
{
    char nb[64];
    char e1[512], e2[512];
    tri_buf_printf(b, "| %s | %s |", tri_cell_md(label, e1, sizeof e1), tri_cell_md(unit, e2, sizeof e2));
    for (size_t t = 0; t < Y; t++)
        tri_buf_printf(b, " %s |", tri_report_num(v ? v[t] * scale : NAN, nb, sizeof nb));
    tri_buf_puts(b, "\n");
}

static void csv_row(tri_buf *b, const char *scen, const char *var, const char *unit, const double *v, size_t Y,
                    int start)
{
    for (size_t t = 0; t < Y; t++) {
        csvstr(b, scen);
        tri_buf_puts(b, ",");
        csvstr(b, var);
        tri_buf_puts(b, ",");
        csvstr(b, unit);
        tri_buf_printf(b, ",%d,", start + (int)t);
        csvnum(b, v[t]);
        tri_buf_puts(b, "\n");
    }
}

/* ------------------------------------------------------------ the report's inputs */

/* the summary's extra columns: damage, and the cumulative totals of the
 * first result other than energy, investment, subsidy and CO2 */
static void extra_columns(tri_report *rp)
{
    const tr_result *first = rp->n ? rp->res[0] : rp->base;
    if (!first || first->status != TR_SOL_OPTIMAL)
        return;
    rp->extra[rp->nex++] = "pv.damage";
    for (size_t k = 0; k < first->nt && rp->nex < 32; k++) {
        const char *tn = first->tname[k];
        if (!strncmp(tn, "cumulative.", 11) && strncmp(tn, "cumulative.energy.", 18) &&
            strncmp(tn, "cumulative.material.", 20) &&   /* per carrier, like energy */
            strcmp(tn, "cumulative.investment") && strcmp(tn, "cumulative.subsidy") &&
            strcmp(tn, "cumulative.emissions.CO2"))
            rp->extra[rp->nex++] = tn;
    }
}

tri_summary tri_report_summary(const tri_report *rp, const tr_result *r)
{
    const tr_result *base = rp->base;
    const char *bco2 = rp->bs ? co2_name(rp->bs) : NULL;
    double base_co2 = base && bco2 ? tri_report_total(base, "cumulative.emissions.CO2") : NAN;
    double base_en = base ? tri_report_total(base, "cumulative.energy.total") : NAN;
    double base_cost = base ? tr_result_resource_cost(base) : NAN;
    tri_summary s;
    s.ok = r->status == TR_SOL_OPTIMAL;
    s.co2 = s.ok ? tri_report_total(r, "cumulative.emissions.CO2") : NAN;
    double en = s.ok ? tri_report_total(r, "cumulative.energy.total") : NAN;
    s.abated = base_co2 - s.co2;
    s.saved = base_en - en;
    s.rc = tr_result_resource_cost(r);
    s.cpt = fabs(s.abated) > 1e-9 ? (s.rc - base_cost) / s.abated : NAN;
    return s;
}

/* the policy-coherence warnings of every scenario, in input order */
/* Each scenario's label: its name, or with its file when another
 * scenario of the report has the same name (their rows were told apart by
 * the SHA column only); NULL labels on OOM fall back to the name. */
static const char *label(const tri_report *rp, size_t i)
{
    return rp->label && rp->label[i] ? rp->label[i] : rp->res[i]->scenario;
}

const char *tri_report_label(const tri_report *rp, size_t i) { return label(rp, i); }

static void label_scenarios(tri_report *rp)
{
    rp->label = tri_calloc(rp->n + 1, sizeof *rp->label);
    for (size_t i = 0; rp->label && i < rp->n; i++) {
        size_t same = 0;
        for (size_t j = 0; j < rp->n; j++)
            same += !strcmp(rp->res[j]->scenario, rp->res[i]->scenario);
        if (same < 2)
            continue;
        const char *path = rp->sc[i]->path, *base = path ? strrchr(path, '/') : NULL;
        base = base ? base + 1 : path;
        /* the file's name, or its whole path when two files share that too */
        for (size_t j = 0; base && j < rp->n; j++) {
            const char *pj = rp->sc[j]->path, *bj = pj ? strrchr(pj, '/') : NULL;
            bj = bj ? bj + 1 : pj;
            if (j != i && bj && !strcmp(bj, base) && strcmp(pj, path))
                base = path;
        }
        rp->label[i] = base ? tri_asprintf("%s (%s)", rp->res[i]->scenario, base)
                            : tri_asprintf("%s (#%zu)", rp->res[i]->scenario, i + 1);
    }
}

static void collect_warnings(tri_report *rp)
{
    tri_buf_puts(&rp->w.csv, "scenario,policy,kind,message\n");
    rp->w.html = rp->n ? tri_calloc(rp->n, sizeof *rp->w.html) : NULL;
    rp->w.nhtml = rp->w.html ? rp->n : 0;
    if (rp->n && !rp->w.html)
        rp->w.md.failed = 1;
    for (size_t i = 0; i < rp->n; i++)
        for (size_t j = 0; j < i; j++)
            if (!strcmp(rp->res[i]->scenario, rp->res[j]->scenario)) {
                warning(&rp->w, label(rp, i), "", "same name",
                        "has the name of %s; its rows are labelled by file (give each scenario its own name)",
                        label(rp, j));
                break;
            }
    for (size_t i = 0; i < rp->n; i++) {
        const tr_result *r = rp->res[i];
        rp->w.cur = i;
        if (r->status == TR_SOL_OPTIMAL) {
            int is_base = rp->base && strcmp(r->sha, rp->base->sha) == 0;
            check_policies(&rp->w, label(rp, i), rp->sc[i]->scen, r, is_base ? NULL : rp->bs, is_base ? NULL : rp->base);
        } else
            warning(&rp->w, label(rp, i), "", "not solved", "the scenario is %s%s%s", tr_result_status_name(r),
                    r->nd ? ": " : ".", r->nd ? r->diag[0].message : "");
    }
}

/* ------------------------------------------------------------ summary.csv */

static void write_summary_csv(tri_buf *b, const tri_report *rp)
{
    tri_buf_puts(b, "scenario,status,npv,pv_subsidy,resource_cost,cumulative_co2,co2_abated,energy_saved_gj,"
                    "cost_per_t_co2");
    for (size_t k = 0; k < rp->nex; k++)
        tri_buf_printf(b, ",%s", rp->extra[k]);
    tri_buf_puts(b, ",scenario_sha256\n");
    for (size_t i = 0; i < rp->n; i++) {
        const tr_result *r = rp->res[i];
        tri_summary s = tri_report_summary(rp, r);
        csvstr(b, label(rp, i));
        tri_buf_printf(b, ",%s,", tr_result_status_name(r));
        double v[] = {s.ok ? r->npv : NAN, s.ok ? tri_report_total(r, "pv.subsidy") : NAN, s.rc, s.co2, s.abated, s.saved,
                      s.cpt};
        for (size_t k = 0; k < sizeof v / sizeof *v; k++) {
            if (k)
                tri_buf_puts(b, ",");
            csvnum(b, v[k]);
        }
        for (size_t k = 0; k < rp->nex; k++) {
            tri_buf_puts(b, ",");
            csvnum(b, s.ok ? tri_report_total(r, rp->extra[k]) : NAN);
        }
        tri_buf_printf(b, ",%s\n", r->sha);
    }
}

/* ------------------------------------------------------------ roadmap.csv, adoption.csv */

static void write_roadmap_csv(tri_buf *b, const tri_report *rp)
{
    tri_buf_puts(b, "scenario,variable,unit,year,value\n");
    for (size_t i = 0; i < rp->n; i++) {
        const tr_result *r = rp->res[i];
        if (r->status != TR_SOL_OPTIMAL)
            continue;
        for (size_t k = 0; k < r->ns; k++) {
            const tri_series *se = &r->ser[k];
            if (se->kind == TRI_SER_INDICATOR && strncmp(se->name, "cost.", 5) && strcmp(se->name, "capacity"))
                csv_row(b, label(rp, i), se->name, se->unit, se->v, r->Y, r->start);
        }
    }
}

static void write_adoption_csv(tri_buf *b, const tri_report *rp)
{
    char name[400];
    tri_buf_puts(b, "scenario,technology,year,share,equipped\n");
    for (size_t i = 0; i < rp->n; i++) {
        const tr_result *r = rp->res[i];
        if (r->status != TR_SOL_OPTIMAL)
            continue;
        for (size_t k = 0; k < r->ns; k++) {
            const tri_series *se = &r->ser[k];
            if (se->kind != TRI_SER_ADOPTION)
                continue;
            snprintf(name, sizeof name, "equipped.%s", se->item);
            const tri_series *eq = tri_report_series(r, name);
            for (size_t t = 0; t < r->Y; t++) {
                csvstr(b, label(rp, i));
                tri_buf_puts(b, ",");
                csvstr(b, se->item);
                tri_buf_printf(b, ",%d,", r->start + (int)t);
                csvnum(b, se->v[t]);
                tri_buf_puts(b, ",");
                csvnum(b, eq ? eq->v[t] : NAN);
                tri_buf_puts(b, "\n");
            }
        }
    }
}

/* ------------------------------------------------------------ baseline.csv */

/* a result is compared year by year with an optimal baseline of the same years */
int tri_report_comparable(const tri_report *rp, const tr_result *r)
{
    const tr_result *b = rp->base;
    return r->status == TR_SOL_OPTIMAL && b && b->status == TR_SOL_OPTIMAL && b->Y == r->Y && b->start == r->start;
}

/* energy saved, CO2 abated and extra investment per year against the
 * baseline, into @d[3*Y] (NaN where a series is missing) */
void tri_report_against_baseline(const tri_report *rp, const tr_result *r, double *d)
{
    const tr_result *base = rp->base;
    const tri_series *e = tri_report_series(r, "energy.total"), *be = tri_report_series(base, "energy.total");
    const tri_series *c = tri_report_series(r, "emissions.CO2"), *bc = tri_report_series(base, "emissions.CO2");
    const tri_series *iv = tri_report_series(r, "investment"), *bi = tri_report_series(base, "investment");
    size_t Y = r->Y;
    for (size_t t = 0; t < Y; t++) {
        d[t] = e && be ? be->v[t] - e->v[t] : NAN;
        d[Y + t] = c && bc ? bc->v[t] - c->v[t] : NAN;
        d[2 * Y + t] = iv && bi ? iv->v[t] - bi->v[t] : NAN;
    }
}

static void write_baseline_csv(tri_buf *b, const tri_report *rp)
{
    tri_buf_puts(b, "scenario,year,energy_saved_gj,co2_abated,investment_difference\n");
    for (size_t i = 0; i < rp->n; i++) {
        const tr_result *r = rp->res[i];
        if (!tri_report_comparable(rp, r))
            continue;
        size_t Y = r->Y;
        double *d = tri_calloc(3 * Y, sizeof *d);
        if (!d) {
            b->failed = 1;
            return;
        }
        tri_report_against_baseline(rp, r, d);
        for (size_t t = 0; t < Y; t++) {
            tri_buf_printf(b, "%s,%d,", label(rp, i), r->start + (int)t);
            csvnum(b, d[t]);
            tri_buf_puts(b, ",");
            csvnum(b, d[Y + t]);
            tri_buf_puts(b, ",");
            csvnum(b, d[2 * Y + t]);
            tri_buf_puts(b, "\n");
        }
        tri_free(d);
    }
}

/* ------------------------------------------------------------ policies.csv */

tri_polser tri_report_policy_series(const tr_result *r, const char *id)
{
    char name[400];
    tri_polser ps;
    snprintf(name, sizeof name, "policy.%s.binding", id);
    ps.bind = tri_report_series(r, name);
    snprintf(name, sizeof name, "policy.%s.shadow_price", id);
    ps.shadow = tri_report_series(r, name);
    snprintf(name, sizeof name, "policy.%s.value", id);
    ps.value = tri_report_series(r, name);
    snprintf(name, sizeof name, "policy.%s.limit", id);
    ps.limit = tri_report_series(r, name);
    return ps;
}

static void write_policies_csv(tri_buf *b, const tri_report *rp)
{
    tri_buf_puts(b, "scenario,policy,type,year,binding,shadow_price,shadow_price_unit,value,limit,unit\n");
    for (size_t i = 0; i < rp->n; i++) {
        const tr_result *r = rp->res[i];
        if (r->status != TR_SOL_OPTIMAL || !rp->sc[i]->scen->N)
            continue;
        for (size_t p = 0; p < r->np; p++) {
            const tri_polinfo *pi = &r->pol[p];
            tri_polser ps = tri_report_policy_series(r, pi->id);
            for (size_t t = 0; t < r->Y; t++) {
                csvstr(b, label(rp, i));
                tri_buf_puts(b, ",");
                csvstr(b, pi->id);
                tri_buf_printf(b, ",%s,%d,", pi->type, r->start + (int)t);
                if (ps.bind && isfinite(ps.bind->v[t]))
                    tri_buf_puts(b, ps.bind->v[t] != 0 ? "true" : "false");
                tri_buf_puts(b, ",");
                csvnum(b, ps.shadow ? ps.shadow->v[t] : NAN);
                tri_buf_puts(b, ",");
                csvstr(b, ps.shadow ? ps.shadow->unit : "");
                tri_buf_puts(b, ",");
                csvnum(b, ps.value ? ps.value->v[t] : NAN);
                tri_buf_puts(b, ",");
                csvnum(b, ps.limit ? ps.limit->v[t] : NAN);
                tri_buf_puts(b, ",");
                csvstr(b, pi->unit);
                tri_buf_puts(b, "\n");
            }
        }
    }
}

/* ------------------------------------------------------------ benchmark.csv */

static void write_benchmark_csv(tri_buf *b, const tri_report *rp)
{
    tri_buf_puts(b, "scenario,year,rank,plant,production,cumulative,sec_final,sec_primary,eei_final,eei_primary\n");
    for (size_t i = 0; i < rp->n; i++) {
        const tr_result *r = rp->res[i];
        tr_benchmark *bm = NULL;
        if (r->status != TR_SOL_OPTIMAL || !rp->sc[i]->scen->has_bench || tr_benchmark_new(rp->sc[i], r, &bm) != TR_OK)
            continue;
        for (size_t t = 0; t < tr_benchmark_year_count(bm); t++)
            for (size_t k = 0; k < tr_benchmark_plant_count(bm, t); k++) {
                tr_benchmark_row br;
                tr_benchmark_get(bm, t, k, &br);
                csvstr(b, label(rp, i));
                tri_buf_printf(b, ",%d,%zu,%s,", tr_benchmark_year(bm, t), k + 1, br.plant);
                double v[] = {br.production, br.cumulative, br.sec_final, br.sec_primary, br.eei_final,
                              br.eei_primary};
                for (size_t f = 0; f < sizeof v / sizeof *v; f++) {
                    if (f)
                        tri_buf_puts(b, ",");
                    csvnum(b, v[f]);
                }
                tri_buf_puts(b, "\n");
            }
        tr_benchmark_free(bm);
    }
}

/* ------------------------------------------------------------ report.md */

/* the unit of a total (cumulative.emissions.CO2, ...) in the first result that has it */
static const char *total_unit(const tri_report *rp, const char *name)
{
    for (size_t i = 0; i < rp->n; i++)
        for (size_t k = 0; k < rp->res[i]->nt; k++)
            if (!strcmp(rp->res[i]->tname[k], name))
                return rp->res[i]->tunit[k] ? rp->res[i]->tunit[k] : "";
    return "";
}

/* benchmark.csv is written only when a scenario has a benchmark section
 * with an optimal result (else report.md says why there is none) */
static int any_benchmark(const tri_report *rp)
{
    for (size_t i = 0; i < rp->n; i++)
        if (rp->res[i]->status == TR_SOL_OPTIMAL && rp->sc[i]->scen->has_bench)
            return 1;
    return 0;
}

static void md_summary(tri_buf *b, const tri_report *rp)
{
    char nb[7][64];
    /* every column names its unit */
    char cb[256], ub[256], eu[256];
    const char *cur = tri_cell_md(rp->n && rp->res[0]->currency ? rp->res[0]->currency : "", cb, sizeof cb);
    const char *co2u = tri_cell_md(total_unit(rp, "cumulative.emissions.CO2"), ub, sizeof ub);
    tri_buf_printf(b, "| scenario | status | NPV (private) [%s] | public subsidies (PV) [%s] | cumulative CO2 [%s] | "
                      "CO2 abated [%s] | energy saved [GJ] | cost per t CO2 abated [%s/%s] |",
                   cur, cur, co2u, co2u, cur, co2u);
    for (size_t k = 0; k < rp->nex; k++) {
        int dmg = !strcmp(rp->extra[k], "pv.damage");
        tri_buf_printf(b, " %s [%s] |", dmg ? "damage cost (PV)" : rp->extra[k] + 11,
                       dmg ? cur : tri_cell_md(total_unit(rp, rp->extra[k]), eu, sizeof eu));
    }
    tri_buf_puts(b, "\n|---|---|---:|---:|---:|---:|---:|---:|");
    for (size_t k = 0; k < rp->nex; k++)
        tri_buf_puts(b, "---:|");
    tri_buf_puts(b, "\n");
    for (size_t i = 0; i < rp->n; i++) {
        const tr_result *r = rp->res[i];
        tri_summary s = tri_report_summary(rp, r);
        char esc[512];
        tri_buf_printf(b, "| %s | %s | %s | %s | %s | %s | %s | %s |", tri_cell_md(label(rp, i), esc, sizeof esc),
                       tr_result_status_name(r),
                       tri_report_num(s.ok ? r->npv : NAN, nb[0], 64), tri_report_num(s.ok ? tri_report_total(r, "pv.subsidy") : NAN, nb[1], 64),
                       tri_report_num(s.co2, nb[2], 64), tri_report_num(s.abated, nb[3], 64), tri_report_num(s.saved, nb[4], 64), tri_report_num(s.cpt, nb[5], 64));
        for (size_t k = 0; k < rp->nex; k++)
            tri_buf_printf(b, " %s |", tri_report_num(s.ok ? tri_report_total(r, rp->extra[k]) : NAN, nb[6], 64));
        tri_buf_puts(b, "\n");
    }
}

static void md_roadmap_and_adoption(tri_buf *b, const tr_result *r)
{
    tri_buf_puts(b, "### Roadmap\n\n");
    md_years(b, r, "indicator");
    for (size_t k = 0; k < r->ns; k++) {
        const tri_series *se = &r->ser[k];
        if (se->kind == TRI_SER_INDICATOR && strncmp(se->name, "cost.", 5) && strcmp(se->name, "capacity"))
            md_row(b, se->name, se->unit, se->v, r->Y, 1);
    }
    tri_buf_puts(b, "\n### Adoption (share of the capacity each technology could equip)\n\n");
    md_years(b, r, "technology");
    for (size_t k = 0; k < r->ns; k++)
        if (r->ser[k].kind == TRI_SER_ADOPTION)
            md_row(b, r->ser[k].item, "%", r->ser[k].v, r->Y, 100);
}

static void md_against_baseline(tri_buf *b, const tri_report *rp, const tr_result *r)
{
    double *d = tri_calloc(3 * r->Y, sizeof *d);
    if (!d) {
        b->failed = 1;
        return;
    }
    tri_report_against_baseline(rp, r, d);
    tri_buf_printf(b, "\n### Against the baseline `%s`\n\n", rp->base->scenario);
    md_years(b, r, "difference");
    md_row(b, "energy saved", "GJ", d, r->Y, 1);
    const tri_series *c = tri_report_series(r, "emissions.CO2");
    if (c && tri_report_series(rp->base, "emissions.CO2"))
        md_row(b, "CO2 abated", c->unit, d + r->Y, r->Y, 1);
    md_row(b, "extra investment", r->currency, d + 2 * r->Y, r->Y, 1);
    tri_free(d);
}

static void md_policies(tri_buf *b, const tr_result *r)
{
    tri_buf_puts(b, "\n### Policies (binding, and shadow price in money of the year per unit)\n\n");
    md_years(b, r, "policy");
    for (size_t p = 0; p < r->np; p++) {
        const tri_polinfo *pi = &r->pol[p];
        tri_polser ps = tri_report_policy_series(r, pi->id);
        char esc[512];
        tri_buf_printf(b, "| %s (%s%s) binds | |", tri_cell_md(pi->id, esc, sizeof esc), pi->type,
                       pi->illustrative ? ", illustrative" : "");
        for (size_t t = 0; t < r->Y; t++)
            tri_buf_printf(b, " %s |", !ps.bind || !isfinite(ps.bind->v[t]) ? "–" : ps.bind->v[t] != 0 ? "yes" : "no");
        tri_buf_puts(b, "\n");
        if (ps.value && !strcmp(pi->type, "price"))   /* a price's level is what it is */
            md_row(b, "  price", ps.value->unit, ps.value->v, r->Y, 1);
        if (ps.limit && pi->ref_year) {               /* a relative target: its reference, from the data */
            char lab[160];
            snprintf(lab, sizeof lab, "  limit (reference %.6g in %d, no decisions)", pi->ref, pi->ref_year);
            md_row(b, lab, ps.limit->unit, ps.limit->v, r->Y, 1);
        }
        if (ps.shadow && any_positive(ps.shadow, r->Y, -1))
            md_row(b, "  shadow price", ps.shadow->unit, ps.shadow->v, r->Y, 1);
    }
}

static void md_benchmark(tri_buf *b, const tr_scenario *sc, const tr_result *r)
{
    tr_benchmark *bm = NULL;
    char nb[64];
    if (tr_benchmark_new(sc, r, &bm) != TR_OK)
        return;
    char nb2[3][64];
    tri_buf_puts(b, "\n### Benchmark against best practice\n\n| year | EEI final [1 = best practice] | EEI primary "
                    "[1 = best practice] | savings potential [GJ final] | share of the energy used [%] |\n"
                    "|---:|---:|---:|---:|---:|\n");
    for (size_t t = 0; t < tr_benchmark_year_count(bm); t++) {
        tr_benchmark_totals T;
        tr_benchmark_get_totals(bm, t, &T);
        tri_buf_printf(b, "| %d | %s | %s | %s | %s |\n", tr_benchmark_year(bm, t),
                       tri_report_num(T.eei_final, nb2[0], 64), tri_report_num(T.eei_primary, nb2[1], 64),
                       tri_report_num(T.saving_final, nb, sizeof nb), tri_report_num(100 * T.saving_share_final,
                                                                                     nb2[2], 64));
    }
    tr_benchmark_free(bm);
}

/* §13 investment windows: per plant its windows, the next one, what waits
 * for it, and the lock-in of the windows that passed (windows.c) */
static void md_windows(tri_buf *b, const tri_scen *s, const tr_result *r)
{
    char e[5][1100];
    tri_buf_puts(b, "\n### Investment windows (major measures only in a plant's relining or overhaul years)\n\n"
                    "| plant | windows in the horizon | next window | major measures not before it | "
                    "major measures installed in its windows |\n|---|---|---|---|---|\n");
    for (size_t p = 0; p < s->P; p++) {
        tri_wincells c;
        if (!tri_windows_plant_cells(s, r, p, &c))
            continue;
        tri_buf_printf(b, "| %s | %s | %s | %s | %s |\n", tri_cell_md(s->pl[p].id, e[0], sizeof e[0]),
                       tri_cell_md(c.windows, e[1], sizeof e[1]), tri_cell_md(c.next, e[2], sizeof e[2]),
                       tri_cell_md(c.blocked, e[3], sizeof e[3]), tri_cell_md(c.installed, e[4], sizeof e[4]));
    }
    size_t n = tr_result_lockin_count(r);
    tri_buf_puts(b, "\n**Lock-in**: windows that passed without a major measure the plant takes later or never, "
                    "and the adoption a policy would have needed in that window (t/yr of capacity; docs/MODEL.md "
                    "§13).\n\n");
    if (!n) {
        tri_buf_puts(b, "No window passed without a major measure the plant takes later or still had room for.\n");
        return;
    }
    tri_buf_puts(b, "| plant | window | measure | then | needed in the window (t/yr) | share of capacity | "
                    "next window |\n|---|---:|---|---|---:|---:|---:|\n");
    for (size_t i = 0; i < n; i++) {
        tr_lockin l;
        tri_lockcells c;
        tr_result_get_lockin(r, i, &l);
        tri_windows_lock_cells(r, i, &c);
        tri_buf_printf(b, "| %s | %s | %s | %s | %s | %s | %s |\n", tri_cell_md(l.plant, e[0], sizeof e[0]),
                       c.window, tri_cell_md(l.technology, e[1], sizeof e[1]), c.then, c.needed, c.share, c.next);
    }
}

/* one scenario's section of report.md */
static void md_scenario(tri_buf *b, const tri_report *rp, size_t i)
{
    const tr_result *r = rp->res[i];
    const tri_scen *s = rp->sc[i]->scen;
    tri_buf_printf(b, "\n## Scenario `%s`\n\n", label(rp, i));
    if (s->description)
        tri_buf_printf(b, "%s\n\n", s->description);
    if (r->status != TR_SOL_OPTIMAL) {
        tri_buf_printf(b, "Not solved: %s.\n", tr_result_status_name(r));
        for (size_t d = 0; d < r->nd; d++)
            tri_buf_printf(b, "- %s\n", r->diag[d].message);
        return;
    }
    md_roadmap_and_adoption(b, r);
    if (tri_report_comparable(rp, r))
        md_against_baseline(b, rp, r);
    if (s->N)
        md_policies(b, r);
    if (s->has_bench)
        md_benchmark(b, rp->sc[i], r);
    if (r->iw)
        md_windows(b, s, r);
}


/* ------------------------------------------------------------ abatement cost curves, front, MGA */

long tri_report_col(const tr_table *t, const char *name)
{
    for (size_t c = 0; t && c < tr_table_col_count(t); c++)
        if (!strcmp(tr_table_col_name(t, c), name))
            return (long)c;
    return -1;
}

const tr_table *tri_report_macc(const tri_report *rp, size_t i, tri_macc_cols *c)
{
    const tr_table *t = rp->macc && rp->macc[i] ? tr_analysis_find(rp->macc[i], "measure_macc") : NULL;
    c->rank = tri_report_col(t, "rank");
    c->tech = tri_report_col(t, "technology");
    c->group = tri_report_col(t, "group");
    c->cost = tri_report_col(t, "annualised_cost");
    c->gj = tri_report_col(t, "energy_saved_gj");
    c->avoided = tri_report_col(t, "avoided");
    c->cce = tri_report_col(t, "cost_of_conserved_energy");
    c->cpt = tri_report_col(t, "cost_per_unit_avoided");
    c->cum = tri_report_col(t, "cumulative_avoided");
    c->note = tri_report_col(t, "note");
    return t && c->rank >= 0 && c->tech >= 0 && c->group >= 0 && c->avoided >= 0 && c->cpt >= 0 && c->cum >= 0 &&
                   c->note >= 0 && c->cost >= 0 && c->gj >= 0 && c->cce >= 0
               ? t
               : NULL;
}

const char *tri_report_macc_taken(const tr_table *t, const tri_macc_cols *c, size_t row)
{
    const char *g = tr_table_text(t, row, (size_t)c->group);
    for (size_t r = 0; g && *g && r < tr_table_row_count(t); r++)
        if (r != row && isfinite(tr_table_num(t, r, (size_t)c->rank)) && !strcmp(tr_table_text(t, r, (size_t)c->group), g))
            return tr_table_text(t, r, (size_t)c->tech);
    return NULL;
}

int tri_report_macc_year(const tri_report *rp, size_t i) { return rp->sc[i]->scen->end; }

void tri_report_objective(const tri_report *rp, const char *obj, char *words, size_t nw, const char **unit)
{
    if (!strncmp(obj, "min:", 4) || !strncmp(obj, "max:", 4))
        obj += 4;
    const tr_result *r = rp->subj;
    *unit = r && r->currency ? r->currency : "";
    if (!strcmp(obj, "npv"))
        snprintf(words, nw, "NPV, private");
    else if (!strcmp(obj, "resource_cost"))
        snprintf(words, nw, "resource cost");
    else {
        const tri_series *se = r ? tri_report_series(r, obj) : NULL;
        *unit = se ? se->unit : "";
        if (!strcmp(obj, "emissions.CO2"))
            snprintf(words, nw, "CO2 emissions, sum over the horizon");
        else
            snprintf(words, nw, "%s, sum over the horizon", obj);
    }
}

const char tri_report_macc_intro[] =
    "The measure curve comes from the data alone, without a solve (`techroad macc`): each technology's "
    "remaining potential on the existing plants in the last year of the horizon, at full applicability, in "
    "order of cost-effectiveness. Each saving is counted against the energy the measures before it leave, "
    "and of an exclusive group only the first member is taken: the others are listed as excluded. The cost "
    "per tonne is the annualised cost less the energy saved at the year's prices (no emission price, no "
    "subsidy) over the emissions avoided in that year; below zero the measure pays for itself. Scenarios "
    "with the same data have the same curve, shown once.";

const char tri_report_model_macc_intro[] =
    "The model curve tightens a cap on that year's CO2 emissions of the subject in steps from its "
    "least-cost level to the least reachable, each step solved (`techroad macc`). A step's cost is the NPV "
    "increase over the whole horizon per tonne abated in that one year (money of that year), after the "
    "least-cost roadmap has taken the cheap measures and with exclusive groups, adoption limits and the "
    "technical minimum binding: it can exceed the measure curve by an order of magnitude (docs/ANALYSES.md, "
    "\"Two abatement cost curves\").";

const char tri_report_front_intro[] =
    "The least of one objective for each bound on the other (epsilon constraints, `techroad pareto`) over the "
    "subject's decisions, and where each scenario of this report lands: a scenario is dominated when a point "
    "of the front is at least as good on both objectives and better on one. \"cost\" is the resource cost "
    "when the scenarios' emission taxes differ (a transfer that NPV counts), else the NPV.";

static int any_macc(const tri_report *rp)
{
    for (size_t i = 0; rp->macc && i < rp->n; i++)
        if (rp->macc[i])
            return 1;
    return 0;
}

/* "`a`, `b` and `c`": the other scenarios with the curve of @i */
static void same_curve(tri_buf *b, const tri_report *rp, size_t i, int html)
{
    size_t k = 0, m = 0;
    for (size_t j = i + 1; j < rp->n; j++)
        m += rp->macc[j] && rp->macc_first[j] == i;
    for (size_t j = i + 1; j < rp->n; j++) {
        if (!rp->macc[j] || rp->macc_first[j] != i)
            continue;
        tri_buf_puts(b, k == 0 ? "" : k + 1 == m ? " and " : ", ");
        if (html) {
            tri_buf_puts(b, "<code>");
            tri_html_esc(b, label(rp, j));
            tri_buf_puts(b, "</code>");
        } else
            tri_buf_printf(b, "`%s`", label(rp, j));
        k++;
    }
}

int tri_report_macc_shared(const tri_report *rp, size_t i)
{
    for (size_t j = i + 1; j < rp->n; j++)
        if (rp->macc[j] && rp->macc_first[j] == i)
            return 1;
    return 0;
}

void tri_report_same_curve(tri_buf *b, const tri_report *rp, size_t i, int html) { same_curve(b, rp, i, html); }

static void md_macc(tri_buf *b, const tri_report *rp)
{
    if (!any_macc(rp) && !rp->macc_model && !rp->macc_model_why)
        return;
    char e[4][1100], nb[8][64];
    tri_buf_puts(b, "\n## Abatement cost curves\n\n");
    tri_buf_puts(b, tri_report_macc_intro);
    tri_buf_puts(b, "\n");
    for (size_t i = 0; i < rp->n; i++) {
        tri_macc_cols c;
        const tr_table *t = tri_report_macc(rp, i, &c);
        if (!t || rp->macc_first[i] != i)
            continue;
        const tri_scen *s = rp->sc[i]->scen;
        const char *cur = s->currency ? s->currency : "", *u = "t";
        for (size_t k = 0; k < s->S; k++)
            if (!strcmp(s->spe[k].id, "CO2"))
                u = s->spe[k].unit;
        tri_buf_printf(b, "\n### Measures one by one, %d: `%s`", tri_report_macc_year(rp, i),
                       tri_cell_md(label(rp, i), e[0], sizeof e[0]));
        if (tri_report_macc_shared(rp, i)) {
            tri_buf_puts(b, " (the same for ");
            same_curve(b, rp, i, 0);
            tri_buf_puts(b, ")");
        }
        tri_buf_printf(b, "\n\n| rank | measure | exclusive group | CO2 avoided [%s/yr] | cost per %s CO2 avoided "
                          "[%s/%s] | cumulative avoided [%s/yr] | energy saved [GJ/yr] | cost of conserved energy "
                          "[%s/GJ] | annualised cost [%s/yr] | note |\n"
                          "|---:|---|---|---:|---:|---:|---:|---:|---:|---|\n",
                       u, u, cur, u, u, cur, cur);
        for (size_t r = 0; r < tr_table_row_count(t); r++) {
            double rank = tr_table_num(t, r, (size_t)c.rank);
            const char *taken = tri_report_macc_taken(t, &c, r), *note = tr_table_text(t, r, (size_t)c.note);
            char why[600];
            if (!isfinite(rank) && taken && !strncmp(note, "excluded: another member", 24))
                snprintf(why, sizeof why, "excluded: `%s` of the same group is taken", taken);
            else
                snprintf(why, sizeof why, "%s", note);
            tri_buf_printf(b, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
                           isfinite(rank) ? (snprintf(nb[0], 64, "%.0f", rank), nb[0]) : "–",
                           tri_cell_md(tr_table_text(t, r, (size_t)c.tech), e[0], sizeof e[0]),
                           tri_cell_md(tr_table_text(t, r, (size_t)c.group), e[1], sizeof e[1]),
                           tri_report_num(tr_table_num(t, r, (size_t)c.avoided), nb[1], 64),
                           tri_report_num(tr_table_num(t, r, (size_t)c.cpt), nb[2], 64),
                           tri_report_num(tr_table_num(t, r, (size_t)c.cum), nb[3], 64),
                           tri_report_num(isfinite(rank) ? tr_table_num(t, r, (size_t)c.gj) : NAN, nb[4], 64),
                           tri_report_num(tr_table_num(t, r, (size_t)c.cce), nb[5], 64),
                           tri_report_num(tr_table_num(t, r, (size_t)c.cost), nb[6], 64),
                           tri_cell_md(why, e[2], sizeof e[2]));
        }
    }
    if (!rp->macc_model && !rp->macc_model_why)
        return;
    tri_buf_printf(b, "\n### The model under a tightening cap, %d: `%s`\n\n", rp->subj_sc->scen->end,
                   tri_cell_md(rp->subj->scenario, e[0], sizeof e[0]));
    const tr_table *t = rp->macc_model ? tr_analysis_find(rp->macc_model, "model_macc") : NULL;
    if (!t) {
        tri_buf_printf(b, "Not computed: %s.\n", rp->macc_model_why ? rp->macc_model_why : "no table");
        return;
    }
    tri_buf_puts(b, tri_report_model_macc_intro);
    const char *cur = rp->subj->currency ? rp->subj->currency : "";
    tri_buf_printf(b, "\n\n| step | cap [t CO2] | CO2 abated [t] | shadow price [%s/t] | NPV increase [%s] | "
                      "cost of the step [%s/t] |\n|---:|---:|---:|---:|---:|---:|\n",
                   cur, cur, cur);
    static const char *const cols[] = {"step", "cap", "abatement", "shadow_price", "npv_increase", "step_cost"};
    for (size_t r = 0; r < tr_table_row_count(t); r++) {
        tri_buf_puts(b, "|");
        for (size_t k = 0; k < 6; k++) {
            long col = tri_report_col(t, cols[k]);
            double x = col >= 0 ? tr_table_num(t, r, (size_t)col) : NAN;
            if (k == 0)
                tri_buf_printf(b, " %.0f |", x);
            else
                tri_buf_printf(b, " %s |", tri_report_num(x, nb[k], 64));
        }
        tri_buf_puts(b, "\n");
    }
}

static void md_front(tri_buf *b, const tri_report *rp)
{
    const tr_table *f = rp->front ? tr_analysis_find(rp->front, "front") : NULL;
    const tr_table *v = rp->front ? tr_analysis_find(rp->front, "variants") : NULL;
    if (!f)
        return;
    char wx[300], wy[300], e[1100], nb[4][64];
    const char *ux, *uy, *cur = rp->subj->currency ? rp->subj->currency : "";
    tri_report_objective(rp, tr_table_col_name(f, 1), wx, sizeof wx, &ux);
    tri_report_objective(rp, tr_table_col_name(f, 2), wy, sizeof wy, &uy);
    tri_buf_printf(b, "\n## Trade-off front: `%s`, %s against %s\n\n", tri_cell_md(rp->subj->scenario, e, sizeof e),
                   wy, wx);
    tri_buf_puts(b, tri_report_front_intro);
    tri_buf_printf(b, "\n\n| point | %s [%s] | %s [%s] | NPV [%s] | optimum of |\n|---:|---:|---:|---:|---|\n", wx,
                   ux, wy, uy, cur);
    long end = tri_report_col(f, "end_point");
    for (size_t r = 0; r < tr_table_row_count(f); r++)
        tri_buf_printf(b, "| %zu | %s | %s | %s | %s |\n", r, tri_report_num(tr_table_num(f, r, 1), nb[0], 64),
                       tri_report_num(tr_table_num(f, r, 2), nb[1], 64), tri_report_num(tr_table_num(f, r, 3), nb[2], 64),
                       end >= 0 ? tri_cell_md(tr_table_text(f, r, (size_t)end), e, sizeof e) : "");
    if (!v || !tr_table_row_count(v))
        return;
    tri_buf_printf(b, "\n| scenario | %s [%s] | %s [%s] | NPV [%s] | dominated |\n|---|---:|---:|---:|---|\n", wx, ux,
                   wy, uy, cur);
    for (size_t r = 0; r < tr_table_row_count(v); r++) {
        double d = tr_table_num(v, r, 4);
        tri_buf_printf(b, "| %s | %s | %s | %s | %s |\n", tri_cell_md(tr_table_text(v, r, 0), e, sizeof e),
                       tri_report_num(tr_table_num(v, r, 1), nb[0], 64), tri_report_num(tr_table_num(v, r, 2), nb[1], 64),
                       tri_report_num(tr_table_num(v, r, 3), nb[2], 64), !isfinite(d) ? "–" : d != 0 ? "yes" : "no");
    }
}

static void md_mga(tri_buf *b, const tri_report *rp)
{
    if (!rp->mga)
        return;
    tri_buf_puts(b, "\n## Near-optimal roadmaps\n\n");
    for (size_t i = 0; i < rp->n; i++) {
        if (!rp->mga[i])
            continue;
        char *md = NULL, *title = tri_asprintf("`%s`", label(rp, i));
        if (!title || tr_analysis_mga_markdown(rp->mga[i], title, rp->mga_slack, &md) != TR_OK)
            b->failed = 1;
        else
            tri_buf_puts(b, md);
        tr_string_free(md);
        tri_free(title);
    }
}

/* macc.csv: every scenario's measure curve, in full precision */
static void write_macc_csv(tri_buf *b, const tri_report *rp)
{
    tri_buf_puts(b, "scenario,year,rank,technology,group,annualised_cost,energy_saved_gj,avoided,"
                    "cost_of_conserved_energy,cost_per_unit_avoided,cumulative_avoided,note\n");
    for (size_t i = 0; i < rp->n; i++) {
        tri_macc_cols c;
        const tr_table *t = tri_report_macc(rp, i, &c);
        for (size_t r = 0; t && r < tr_table_row_count(t); r++) {
            csvstr(b, label(rp, i));
            tri_buf_printf(b, ",%d,", tri_report_macc_year(rp, i));
            csvnum(b, tr_table_num(t, r, (size_t)c.rank));
            tri_buf_puts(b, ",");
            csvstr(b, tr_table_text(t, r, (size_t)c.tech));
            tri_buf_puts(b, ",");
            csvstr(b, tr_table_text(t, r, (size_t)c.group));
            long num[] = {c.cost, c.gj, c.avoided, c.cce, c.cpt, c.cum};
            for (size_t k = 0; k < sizeof num / sizeof *num; k++) {
                tri_buf_puts(b, ",");
                csvnum(b, tr_table_num(t, r, (size_t)num[k]));
            }
            tri_buf_puts(b, ",");
            csvstr(b, tr_table_text(t, r, (size_t)c.note));
            tri_buf_puts(b, "\n");
        }
    }
}

static void table_csv(tri_buf *b, const tr_analysis *a, const char *name)
{
    char *s = NULL;
    const tr_table *t = a ? tr_analysis_find(a, name) : NULL;
    if (t && tr_table_write_string(t, TR_FMT_CSV, &s) == TR_OK)
        tri_buf_puts(b, s);
    else
        b->failed = 1;
    tr_string_free(s);
}

static void write_model_macc_csv(tri_buf *b, const tri_report *rp) { table_csv(b, rp->macc_model, "model_macc"); }

static void write_front_csv(tri_buf *b, const tri_report *rp) { table_csv(b, rp->front, "front"); }
static void write_variants_csv(tri_buf *b, const tri_report *rp) { table_csv(b, rp->front, "variants"); }

/* ------------------------------------------------------------ what these results rest on */

int tri_report_rests(const tri_report *rp, size_t top, tri_rests *o)
{
    memset(o, 0, sizeof *o);
    const tr_table *t = rp->audit ? tr_analysis_find(rp->audit, "ranking") : NULL;
    const tr_table *ot = rp->audit ? tr_analysis_find(rp->audit, "outputs") : NULL;
    if (!t || !ot || rp->n == 0)
        return 0;
    static const char *const outs[] = {"npv", "co2", "intensity"};
    char name[32];
    o->t = t;
    o->rows = tr_table_row_count(t) < top ? tr_table_row_count(t) : top;
    o->path = tri_report_col(t, "path");
    o->value = tri_report_col(t, "value");
    o->low = tri_report_col(t, "low");
    o->high = tri_report_col(t, "high");
    o->where = tri_report_col(t, "where");
    o->searched = tri_report_col(t, "searched");
    o->note = tri_report_col(t, "note");
    for (int k = 0; k < 3; k++) {
        snprintf(name, sizeof name, "%s_low", outs[k]);
        o->out_low[k] = tri_report_col(t, name);
        snprintf(name, sizeof name, "%s_high", outs[k]);
        o->out_high[k] = tri_report_col(t, name);
        o->base[k] = k < (int)tr_table_row_count(ot) ? tr_table_num(ot, (size_t)k, 3) : NAN;
    }
    o->scenario = tr_table_col_count(ot) > 5 ? tr_table_text(ot, 0, 5) : "";
    return o->path >= 0 && o->where >= 0 && o->note >= 0;
}

static void md_rests(tri_buf *b, const tri_report *rp)
{
    tri_rests x;
    if (!tri_report_rests(rp, 10, &x))
        return;
    char esc[1024], nb[9][64];
    tri_buf_printf(b, "\n## What these results rest on\n\nThe %zu assumptions of `%s` whose stated ranges move its "
                      "net present value most, each varied alone over its range (`techroad audit`; docs/MODEL.md, "
                      "\"Influence ranking\"). Base: NPV %s, cumulative CO2 %s, final-year energy intensity %s.\n\n",
                   x.rows, tri_cell_md(x.scenario, esc, sizeof esc), tri_report_num(x.base[0], nb[0], 64),
                   tri_report_num(x.base[1], nb[1], 64), tri_report_num(x.base[2], nb[2], 64));
    tri_buf_puts(b, "| # | assumption | value | low | high | NPV at low | NPV at high | CO2 at low | CO2 at high | "
                    "intensity at low | intensity at high | where | searched |\n"
                    "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|\n");
    for (size_t r = 0; r < x.rows; r++) {
        tri_buf_printf(b, "| %zu | `%s` |", r + 1, tri_cell_md(tr_table_text(x.t, r, (size_t)x.path), esc, sizeof esc));
        long num[9] = {x.value, x.low, x.high, x.out_low[0], x.out_high[0], x.out_low[1], x.out_high[1],
                       x.out_low[2], x.out_high[2]};
        for (int k = 0; k < 9; k++)
            tri_buf_printf(b, " %s |", tri_report_num(num[k] >= 0 ? tr_table_num(x.t, r, (size_t)num[k]) : NAN,
                                                      nb[k], 64));
        const char *w = tr_table_text(x.t, r, (size_t)x.where), *sr = x.searched >= 0 ? tr_table_text(x.t, r,
                                                                                                  (size_t)x.searched) : "";
        tri_buf_printf(b, " %s |", tri_cell_md(w, esc, sizeof esc));
        tri_buf_printf(b, " %s |\n", tri_cell_md(sr, esc, sizeof esc));
    }
}

static void write_report_md(tri_buf *b, const tri_report *rp)
{
    const tr_result *base = rp->base;
    tri_buf_printf(b, "# Technology roadmap report\n\n");
    tri_buf_printf(b, "Made by techroad %s with GLPK %s.", tr_version(), tr_glpk_version());
    if (base)
        tri_buf_printf(b, " Baseline: `%s` (scenario SHA-256 `%.12s`).", base->scenario, base->sha);
    tri_buf_puts(b, "\n\nMoney is in each scenario's currency of its base year; *resource cost* is the net "
                    "present value of private costs without emission taxes (a transfer) plus public subsidies; "
                    "*cost per tonne* is the change in resource cost against the baseline divided by the "
                    "cumulative CO2 abated.\n\n## Summary\n\n");
    md_summary(b, rp);
    tri_buf_puts(b, "\n## Policy coherence\n\n");
    if (rp->w.n == 0)
        tri_buf_puts(b, "No instrument was found to do nothing.\n");
    else if (rp->w.md.s)
        tri_buf_put(b, rp->w.md.s, rp->w.md.len);
    if (rp->w.md.failed)
        b->failed = 1;
    for (size_t i = 0; i < rp->n; i++)
        md_scenario(b, rp, i);
    md_macc(b, rp);
    md_front(b, rp);
    md_mga(b, rp);
    md_rests(b, rp);
    tri_buf_puts(b, "\n## Files\n\nNumbers here have three significant digits (whole numbers from 1,000 on); "
                    "the CSV files next to this report hold them in full precision.");
    if (!any_benchmark(rp))
        tri_buf_puts(b, " No `benchmark.csv`: no scenario with an optimal result has a `benchmark:` section.");
    if (!any_macc(rp))
        tri_buf_puts(b, " No `macc.csv`: no scenario has a technology that avoids CO2.");
    tri_buf_puts(b, "\n");
}

/* ------------------------------------------------------------ the tri_report */

static tr_status check_inputs(const tr_scenario *const *scenarios, const tr_result *const *results, size_t n,
                              const tr_scenario *base_sc, const tr_result *baseline, const char *dir)
{
    if (!dir || (n && (!scenarios || !results)))
        return TR_FAIL(TR_E_INVAL, "tr_report_write: NULL argument");
    if ((base_sc == NULL) != (baseline == NULL))
        return TR_FAIL(TR_E_INVAL, "tr_report_write: give both the baseline scenario and its result, or neither");
    for (size_t i = 0; i < n; i++)
        if (!scenarios[i] || !results[i] || strcmp(scenarios[i]->sha, results[i]->sha) != 0)
            return TR_FAIL(TR_E_INVAL, "tr_report_write: result %zu does not belong to scenario %zu", i, i);
    if (baseline && strcmp(base_sc->sha, baseline->sha) != 0)
        return TR_FAIL(TR_E_INVAL, "tr_report_write: the baseline result does not belong to the baseline scenario");
    return TR_OK;
}

/* the curves, the front and MGA the report shows, before any file is written */
static tr_status run_analyses(tri_report *rp, const tr_report_opts *o)
{
    size_t n = rp->n;
    rp->macc = tri_calloc(n + 1, sizeof *rp->macc);
    rp->macc_first = tri_calloc(n + 1, sizeof *rp->macc_first);
    char **csv = tri_calloc(n + 1, sizeof *csv);
    tr_status st = rp->macc && rp->macc_first && csv ? TR_OK : TR_FAIL(TR_E_NOMEM, "out of memory");
    for (size_t i = 0; st == TR_OK && i < n; i++) {
        const tri_scen *s = rp->sc[i]->scen;
        rp->macc_first[i] = i;
        tr_status ms = tr_analysis_macc_measures(rp->sc[i], s->end, NULL, &rp->macc[i]);
        if (ms == TR_E_NOMEM)
            st = ms;
        const tr_table *t = rp->macc[i] ? tr_analysis_find(rp->macc[i], "measure_macc") : NULL;
        if (!t || !tr_table_row_count(t)) {   /* no CO2, no technology: no curve */
            tr_analysis_free(rp->macc[i]);
            rp->macc[i] = NULL;
            continue;
        }
        char *text = NULL;
        if (tr_table_write_string(t, TR_FMT_CSV, &text) != TR_OK) {
            st = TR_FAIL(TR_E_NOMEM, "out of memory");
            break;
        }
        csv[i] = tri_asprintf("%s %d\n%s", s->currency ? s->currency : "", s->end, text);
        tr_string_free(text);
        if (!csv[i]) {
            st = TR_FAIL(TR_E_NOMEM, "out of memory");
            break;
        }
        for (size_t j = 0; j < i; j++)
            if (csv[j] && rp->macc_first[j] == j && !strcmp(csv[j], csv[i])) {
                rp->macc_first[i] = j;
                break;
            }
    }
    for (size_t i = 0; csv && i < n; i++)
        tri_free(csv[i]);
    tri_free(csv);
    rp->subj_sc = rp->base ? rp->base_sc : n ? rp->sc[0] : NULL;
    rp->subj = rp->base ? rp->base : n ? rp->res[0] : NULL;
    int solved = rp->subj && rp->subj->status == TR_SOL_OPTIMAL;
    if (st == TR_OK && o->macc_model && rp->subj) {
        if (!solved)
            rp->macc_model_why = "the scenario has no optimal roadmap";
        else
            st = tr_analysis_macc_model(rp->subj_sc, rp->subj_sc->scen->end, NULL, TR_DEFAULT_MACC_STEPS, NULL,
                                        &rp->macc_model);
    }
    if (st == TR_OK && (o->pareto_x || o->pareto_y) && (!o->pareto_x || !o->pareto_y))
        st = TR_FAIL(TR_E_INVAL, "report: a trade-off front needs two objectives, got one");
    if (st == TR_OK && o->pareto_x && rp->subj) {
        const char *cost = tr_analysis_pareto_cost(rp->subj_sc, rp->sc, n);
        const char *x = strcmp(o->pareto_x, "cost") ? o->pareto_x : cost;
        const char *y = strcmp(o->pareto_y, "cost") ? o->pareto_y : cost;
        if (!solved)
            st = TR_FAIL(TR_E_INVAL, "report: the trade-off front needs an optimal %s, which is %s",
                         rp->subj->scenario, tr_result_status_name(rp->subj));
        else if ((st = tr_analysis_pareto(rp->subj_sc, x, y, TR_DEFAULT_PARETO_POINTS, NULL, &rp->front)) == TR_OK)
            st = tr_analysis_pareto_place(rp->front, x, y, rp->sc, rp->res, n);
    }
    if (st == TR_OK && o->mga_slack >= 0) {
        rp->mga = tri_calloc(n + 1, sizeof *rp->mga);
        rp->mga_slack = o->mga_slack;
        if (!rp->mga)
            st = TR_FAIL(TR_E_NOMEM, "out of memory");
        for (size_t i = 0; st == TR_OK && i < n; i++)
            if (rp->res[i]->status == TR_SOL_OPTIMAL)
                st = tr_analysis_mga(rp->sc[i], o->mga_slack, 0, 0, NULL, &rp->mga[i]);
    }
    return st;
}

static void free_analyses(tri_report *rp)
{
    for (size_t i = 0; i < rp->n; i++) {
        if (rp->macc)
            tr_analysis_free(rp->macc[i]);
        if (rp->mga)
            tr_analysis_free(rp->mga[i]);
    }
    tri_free(rp->macc);
    tri_free(rp->macc_first);
    tri_free(rp->mga);
    tr_analysis_free(rp->macc_model);
    tr_analysis_free(rp->front);
}

/* the Markdown and CSV tables, or the HTML page alone */
static tr_status write_report(const tr_scenario *const *scenarios, const tr_result *const *results, size_t n,
                              const tr_scenario *base_sc, const tr_result *baseline, const tr_report_opts *o,
                              const char *dir)
{
    tr_status st = check_inputs(scenarios, results, n, base_sc, baseline, dir);
    if (st == TR_OK && o->mga_slack > 100)
        st = TR_FAIL(TR_E_INVAL, "report: expected an MGA slack from 0 to 100 (0.01 = 1 %% above the least cost), "
                                 "got %g", o->mga_slack);
    if (st != TR_OK)
        return st;
    int html = o->html != 0;
    tri_report rp;
    memset(&rp, 0, sizeof rp);
    rp.sc = scenarios;
    rp.res = results;
    rp.n = n;
    rp.bs = base_sc ? base_sc->scen : NULL;
    rp.base_sc = base_sc;
    rp.base = baseline;
    rp.audit = o->audit;
    st = run_analyses(&rp, o);
    if (st == TR_OK)
        st = tri_mkdirs(dir);
    if (st != TR_OK) {
        free_analyses(&rp);
        return st;
    }
    extra_columns(&rp);
    label_scenarios(&rp);
    collect_warnings(&rp);
    typedef struct {
        const char *file;
        void (*write)(tri_buf *, const tri_report *);
    } out_file;
    static const out_file tables[] = {{"report.md", write_report_md},       {"summary.csv", write_summary_csv},
                                      {"roadmap.csv", write_roadmap_csv},   {"adoption.csv", write_adoption_csv},
                                      {"policies.csv", write_policies_csv}, {"baseline.csv", write_baseline_csv},
                                      {"warnings.csv", NULL},               {"benchmark.csv", write_benchmark_csv},
                                      {"macc.csv", write_macc_csv},         {"model_macc.csv", write_model_macc_csv},
                                      {"front.csv", write_front_csv},       {"front_variants.csv", write_variants_csv}};
    static const out_file page[] = {{"report.html", tri_report_html}};
    const out_file *files = html ? page : tables;
    size_t nf = html ? 1 : sizeof tables / sizeof *tables;
    for (size_t f = 0; f < nf && st == TR_OK; f++) {
        if (files[f].write == write_benchmark_csv && !any_benchmark(&rp))
            continue;   /* no empty table: report.md says why it is missing */
        if ((files[f].write == write_macc_csv && !any_macc(&rp)) ||
            (files[f].write == write_model_macc_csv && !rp.macc_model) ||
            (files[f].write == write_front_csv && !rp.front) ||
            (files[f].write == write_variants_csv && !(rp.front && tr_analysis_find(rp.front, "variants"))))
            continue;
        tri_buf b = {0};
        if (files[f].write)
            files[f].write(&b, &rp);
        else
            b = rp.w.csv, rp.w.csv = (tri_buf){0};
        if (rp.w.md.failed)
            b.failed = 1;
        st = put_file(dir, files[f].file, &b);
        tri_free(b.s);
    }
    tri_free(rp.w.csv.s);
    tri_free(rp.w.md.s);
    for (size_t i = 0; i < rp.w.nhtml; i++)
        tri_free(rp.w.html[i].s);
    tri_free(rp.w.html);
    for (size_t i = 0; rp.label && i < n; i++)
        tri_free(rp.label[i]);
    tri_free(rp.label);
    free_analyses(&rp);
    return st;
}

void tr_report_opts_init(tr_report_opts *o)
{
    if (!o)
        return;
    memset(o, 0, sizeof *o);
    o->mga_slack = -1;
}

static tr_status write_with(const tr_scenario *const *scenarios, const tr_result *const *results, size_t n,
                            const tr_scenario *base_sc, const tr_result *baseline, const tr_analysis *audit, int html,
                            const char *dir)
{
    tr_report_opts o;
    tr_report_opts_init(&o);
    o.html = html;
    o.audit = audit;
    return write_report(scenarios, results, n, base_sc, baseline, &o, dir);
}

tr_status tr_report_write_opts(const tr_scenario *const *scenarios, const tr_result *const *results, size_t n,
                               const tr_scenario *base_sc, const tr_result *baseline, const tr_report_opts *o,
                               const char *dir)
{
    tr_report_opts d;
    tr_report_opts_init(&d);
    return write_report(scenarios, results, n, base_sc, baseline, o ? o : &d, dir);
}

tr_status tr_report_write(const tr_scenario *const *scenarios, const tr_result *const *results, size_t n,
                          const tr_scenario *base_sc, const tr_result *baseline, const char *dir)
{
    return write_with(scenarios, results, n, base_sc, baseline, NULL, 0, dir);
}

tr_status tr_report_write_html(const tr_scenario *const *scenarios, const tr_result *const *results, size_t n,
                               const tr_scenario *base_sc, const tr_result *baseline, const char *dir)
{
    return write_with(scenarios, results, n, base_sc, baseline, NULL, 1, dir);
}

tr_status tr_report_write_audit(const tr_scenario *const *scenarios, const tr_result *const *results, size_t n,
                                const tr_scenario *base_sc, const tr_result *baseline, const tr_analysis *audit,
                                int html, const char *dir)
{
    return write_with(scenarios, results, n, base_sc, baseline, audit, html != 0, dir);
}
