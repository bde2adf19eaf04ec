/* Roadmap report: the tables policy makers read, as Markdown and CSV, for
 * several scenarios against a baseline, with plain-word warnings about
 * instruments that do nothing in a scenario (policy coherence).
 * Deterministic: no dates, fixed number formats, input order kept. */
#include <errno.h>
#include <stdarg.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "result.h"

/* ------------------------------------------------------------ helpers */

static const tri_series *find(const tr_result *r, const char *name)
{
    for (size_t i = 0; i < r->ns; i++)
        if (strcmp(r->ser[i].name, name) == 0)
            return &r->ser[i];
    return NULL;
}

static double total(const tr_result *r, const char *name)
{
    for (size_t i = 0; i < r->nt; i++)
        if (strcmp(r->tname[i], name) == 0)
            return r->tval[i];
    return NAN;
}

/* readable number for Markdown */
static const char *md(double v, char *buf, size_t n)
{
    if (!isfinite(v))
        return snprintf(buf, n, "–"), buf;
    double a = fabs(v);
    if (a >= 1000)
        return tri_fmt_num(v, buf, n);
    if (a == 0)
        snprintf(buf, n, "0");
    else if (a >= 100)
        snprintf(buf, n, "%.1f", v);
    else if (a >= 1)
        snprintf(buf, n, "%.3g", v);
    else
        snprintf(buf, n, "%.3g", v);
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

/* resource cost: private NPV without transfers (emission tax) and without
 * damage counted by a social objective, plus public subsidies */
static double resource_cost(const tri_scen *s, const tr_result *r)
{
    double v = r->npv - total(r, "pv.emission_tax") + total(r, "pv.subsidy");
    if (s->social)
        v -= total(r, "pv.damage");
    return v;
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

typedef struct warn {
    tri_buf csv, md;
    size_t n;
} warn;

static void warning(warn *w, const char *scen, const char *policy, const char *kind, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

static void warning(warn *w, const char *scen, const char *policy, const char *kind, const char *fmt, ...)
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
    w->n++;
}

static int any_positive(const tri_series *se, size_t Y, double tol)
{
    for (size_t t = 0; se && t < Y; t++)
        if (isfinite(se->v[t]) && se->v[t] > tol)
            return 1;
    return 0;
}

static void check_policies(warn *w, const tri_scen *s, const tr_result *r, const tri_scen *bs, const tr_result *base)
{
    char name[400];
    int has_price = 0;
    for (size_t i = 0; i < s->N; i++)
        has_price |= s->pol[i].type == TRI_POL_PRICE;
    for (size_t i = 0; i < s->N; i++) {
        const tri_policy *po = &s->pol[i];
        snprintf(name, sizeof name, "policy.%s.shadow_price", po->id);
        const tri_series *sp = find(r, name);
        switch (po->type) {
        case TRI_POL_CAP:
        case TRI_POL_INTENSITY_CAP:
        case TRI_POL_FLOOR:
        case TRI_POL_STANDARD:
        case TRI_POL_BUDGET:
            if (!any_positive(sp, r->Y, 1e-9))
                warning(w, s->name, po->id, "never binds",
                        "%s `%s` never binds in any year%s: it has no effect on the roadmap.", po->type == TRI_POL_BUDGET ? "budget" : "target",
                        po->id, has_price && po->type != TRI_POL_BUDGET ? " under the scenario's emission price" : "");
            break;
        case TRI_POL_MANDATE:
            if (!any_positive(sp, r->Y, 1e-9))
                warning(w, s->name, po->id, "met anyway",
                        "mandate `%s` is met by the least-cost path anyway: it costs nothing and changes nothing.", po->id);
            break;
        case TRI_POL_SUBSIDY:
            for (size_t k = 0; k < s->K; k++) {
                if (!po->techs || !po->techs[k])
                    continue;
                snprintf(name, sizeof name, "adoption.%s", s->tech[k].id);
                const tri_series *ad = find(r, name);
                double maxad = 0, maxbase = 0;
                int more = 0;
                const tri_series *bad = base ? find(base, name) : NULL;
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
                    warning(w, s->name, po->id, "never adopted",
                            "subsidy `%s` supports `%s`, which is never adopted while the subsidy applies: it does "
                            "nothing.",
                            po->id, s->tech[k].id);
                else if (bad && !more && maxbase > 1e-9)
                    warning(w, s->name, po->id, "windfall",
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
                    const tri_series *bad = find(base, name);
                    int used = 0;
                    for (size_t t = 0; bad && t < base->Y && t < s->Y; t++)
                        if (po->active[t])
                            used |= bad->v[t] > 1e-9;
                    if (bad && !used)
                        warning(w, s->name, po->id, "bans nothing",
                                "ban `%s` covers `%s`, which the baseline never adopts: it changes nothing.", po->id,
                                s->tech[k].id);
                }
            break;
        case TRI_POL_PRICE:
            if (base) {
                int changed = 0;
                for (size_t k = 0; k < s->K && !changed; k++) {
                    snprintf(name, sizeof name, "equipped.%s", s->tech[k].id);
                    const tri_series *a = find(r, name), *b = find(base, name);
                    for (size_t t = 0; a && b && t < r->Y && t < base->Y; t++)
                        if (fabs(a->v[t] - b->v[t]) > 1e-6 * fmax(1, fabs(b->v[t])))
                            changed = 1;
                    if (!b && a && any_positive(a, r->Y, 1e-9))
                        changed = 1;
                }
                if (!changed)
                    warning(w, s->name, po->id, "no response",
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
    tri_buf_printf(b, "| %s | %s |", label, unit);
    for (size_t t = 0; t < Y; t++)
        tri_buf_printf(b, " %s |", md(v ? v[t] * scale : NAN, nb, sizeof nb));
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

tr_status tr_report_write(const tr_scenario *const *scenarios, const tr_result *const *results, size_t n,
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
    tr_status dst = tri_mkdirs(dir);
    if (dst != TR_OK)
        return dst;

    tri_buf rep = {0}, sum = {0}, road = {0}, adopt = {0}, pol = {0}, cmp = {0}, bench = {0};
    warn w = {{0}, {0}, 0};
    char nb[64], nb2[64], nb3[64], nb4[64], name[400], unit[200];
    const tri_scen *bs = base_sc ? base_sc->scen : NULL;
    const char *bco2 = bs ? co2_name(bs) : NULL;
    double base_co2 = baseline && bco2 ? total(baseline, "cumulative.emissions.CO2") : NAN;
    double base_en = baseline ? total(baseline, "cumulative.energy.total") : NAN;
    double base_cost = baseline && baseline->status == TR_SOL_OPTIMAL ? resource_cost(bs, baseline) : NAN;

    tri_buf_printf(&rep, "# Technology roadmap report\n\n");
    tri_buf_printf(&rep, "Made by techroad %s with GLPK %s.", tr_version(), tr_glpk_version());
    if (baseline)
        tri_buf_printf(&rep, " Baseline: `%s` (scenario SHA-256 `%.12s`).", baseline->scenario, baseline->sha);
    tri_buf_puts(&rep, "\n\nMoney is in each scenario's currency of its base year; *resource cost* is the net "
                       "present value of private costs without emission taxes (a transfer) plus public subsidies; "
                       "*cost per tonne* is the change in resource cost against the baseline divided by the "
                       "cumulative CO2 abated.\n\n## Summary\n\n");
    /* more columns: damage, other species and declared indicators (jobs, income), cumulative */
    const char *extra[32];
    size_t nex = 0;
    const tr_result *first = n ? results[0] : baseline;
    if (first && first->status == TR_SOL_OPTIMAL) {
        extra[nex++] = "pv.damage";
        for (size_t k = 0; k < first->nt && nex < 32; k++) {
            const char *tn = first->tname[k];
            if (!strncmp(tn, "cumulative.", 11) && strncmp(tn, "cumulative.energy.", 18) &&
                strcmp(tn, "cumulative.investment") && strcmp(tn, "cumulative.subsidy") &&
                strcmp(tn, "cumulative.emissions.CO2"))
                extra[nex++] = tn;
        }
    }
    tri_buf_puts(&rep, "| scenario | status | NPV (private) | public subsidies (PV) | cumulative CO2 | CO2 abated | "
                       "energy saved | cost per t CO2 abated |");
    for (size_t k = 0; k < nex; k++)
        tri_buf_printf(&rep, " %s |", !strcmp(extra[k], "pv.damage") ? "damage cost (PV)" : extra[k] + 11);
    tri_buf_puts(&rep, "\n|---|---|---:|---:|---:|---:|---:|---:|");
    for (size_t k = 0; k < nex; k++)
        tri_buf_puts(&rep, "---:|");
    tri_buf_puts(&rep, "\n");
    tri_buf_puts(&sum, "scenario,status,npv,pv_subsidy,resource_cost,cumulative_co2,co2_abated,energy_saved_gj,"
                       "cost_per_t_co2");
    for (size_t k = 0; k < nex; k++)
        tri_buf_printf(&sum, ",%s", extra[k]);
    tri_buf_puts(&sum, ",scenario_sha256\n");
    tri_buf_puts(&road, "scenario,variable,unit,year,value\n");
    tri_buf_puts(&adopt, "scenario,technology,year,share,equipped\n");
    tri_buf_puts(&pol, "scenario,policy,type,year,binding,shadow_price,shadow_price_unit,value,limit,unit\n");
    tri_buf_puts(&cmp, "scenario,year,energy_saved_gj,co2_abated,investment_difference\n");
    tri_buf_puts(&w.csv, "scenario,policy,kind,message\n");
    tri_buf_puts(&bench, "scenario,year,rank,plant,production,cumulative,sec_final,sec_primary,eei_final,eei_primary\n");

    for (size_t i = 0; i < n; i++) {
        const tr_result *r = results[i];
        const tri_scen *s = scenarios[i]->scen;
        int ok = r->status == TR_SOL_OPTIMAL;
        double co2 = ok ? total(r, "cumulative.emissions.CO2") : NAN;
        double en = ok ? total(r, "cumulative.energy.total") : NAN;
        double abated = base_co2 - co2, saved = base_en - en;
        double rc = ok ? resource_cost(s, r) : NAN;
        double cpt = fabs(abated) > 1e-9 ? (rc - base_cost) / abated : NAN;
        tri_buf_printf(&rep, "| %s | %s | %s | %s | %s | %s | %s | %s |", r->scenario, tr_result_status_name(r),
                       md(ok ? r->npv : NAN, nb, sizeof nb), md(ok ? total(r, "pv.subsidy") : NAN, nb2, sizeof nb2),
                       md(co2, nb3, sizeof nb3), md(abated, nb4, sizeof nb4), md(saved, name, 64),
                       md(cpt, unit, 64));
        for (size_t k = 0; k < nex; k++)
            tri_buf_printf(&rep, " %s |", md(ok ? total(r, extra[k]) : NAN, nb, sizeof nb));
        tri_buf_puts(&rep, "\n");
        csvstr(&sum, r->scenario);
        tri_buf_printf(&sum, ",%s,", tr_result_status_name(r));
        csvnum(&sum, ok ? r->npv : NAN);
        tri_buf_puts(&sum, ",");
        csvnum(&sum, ok ? total(r, "pv.subsidy") : NAN);
        tri_buf_puts(&sum, ",");
        csvnum(&sum, rc);
        tri_buf_puts(&sum, ",");
        csvnum(&sum, co2);
        tri_buf_puts(&sum, ",");
        csvnum(&sum, abated);
        tri_buf_puts(&sum, ",");
        csvnum(&sum, saved);
        tri_buf_puts(&sum, ",");
        csvnum(&sum, cpt);
        for (size_t k = 0; k < nex; k++) {
            tri_buf_puts(&sum, ",");
            csvnum(&sum, ok ? total(r, extra[k]) : NAN);
        }
        tri_buf_printf(&sum, ",%s\n", r->sha);
        if (ok) {
            int is_base = baseline && strcmp(r->sha, baseline->sha) == 0;
            check_policies(&w, s, r, is_base ? NULL : bs, is_base ? NULL : baseline);
        }
        else
            warning(&w, r->scenario, "", "not solved", "the scenario is %s%s%s", tr_result_status_name(r),
                    r->nd ? ": " : ".", r->nd ? r->diag[0].message : "");
    }

    /* per scenario sections */
    tri_buf sec = {0};
    for (size_t i = 0; i < n; i++) {
        const tr_result *r = results[i];
        const tri_scen *s = scenarios[i]->scen;
        tri_buf_printf(&sec, "\n## Scenario `%s`\n\n", r->scenario);
        if (s->description)
            tri_buf_printf(&sec, "%s\n\n", s->description);
        if (r->status != TR_SOL_OPTIMAL) {
            tri_buf_printf(&sec, "Not solved: %s.\n", tr_result_status_name(r));
            for (size_t d = 0; d < r->nd; d++)
                tri_buf_printf(&sec, "- %s\n", r->diag[d].message);
            continue;
        }
        tri_buf_puts(&sec, "### Roadmap\n\n");
        md_years(&sec, r, "indicator");
        for (size_t k = 0; k < r->ns; k++) {
            const tri_series *se = &r->ser[k];
            if (se->kind != TRI_SER_INDICATOR || !strncmp(se->name, "cost.", 5) || !strcmp(se->name, "capacity"))
                continue;
            md_row(&sec, se->name, se->unit, se->v, r->Y, 1);
            csv_row(&road, r->scenario, se->name, se->unit, se->v, r->Y, r->start);
        }
        tri_buf_puts(&sec, "\n### Adoption (share of the capacity each technology could equip)\n\n");
        md_years(&sec, r, "technology");
        for (size_t k = 0; k < r->ns; k++) {
            const tri_series *se = &r->ser[k];
            if (se->kind != TRI_SER_ADOPTION)
                continue;
            md_row(&sec, se->item, "%", se->v, r->Y, 100);
            snprintf(name, sizeof name, "equipped.%s", se->item);
            const tri_series *eq = find(r, name);
            for (size_t t = 0; t < r->Y; t++) {
                csvstr(&adopt, r->scenario);
                tri_buf_puts(&adopt, ",");
                csvstr(&adopt, se->item);
                tri_buf_printf(&adopt, ",%d,", r->start + (int)t);
                csvnum(&adopt, se->v[t]);
                tri_buf_puts(&adopt, ",");
                csvnum(&adopt, eq ? eq->v[t] : NAN);
                tri_buf_puts(&adopt, "\n");
            }
        }
        if (baseline && baseline->status == TR_SOL_OPTIMAL && baseline->Y == r->Y && baseline->start == r->start) {
            tri_buf_printf(&sec, "\n### Against the baseline `%s`\n\n", baseline->scenario);
            md_years(&sec, r, "difference");
            const tri_series *e = find(r, "energy.total"), *be = find(baseline, "energy.total");
            const tri_series *c = find(r, "emissions.CO2"), *bc = find(baseline, "emissions.CO2");
            const tri_series *iv = find(r, "investment"), *bi = find(baseline, "investment");
            double es[1000], ca[1000], di[1000];
            for (size_t t = 0; t < r->Y && t < 1000; t++) {
                es[t] = e && be ? be->v[t] - e->v[t] : NAN;
                ca[t] = c && bc ? bc->v[t] - c->v[t] : NAN;
                di[t] = iv && bi ? iv->v[t] - bi->v[t] : NAN;
                tri_buf_printf(&cmp, "%s,%d,", r->scenario, r->start + (int)t);
                csvnum(&cmp, es[t]);
                tri_buf_puts(&cmp, ",");
                csvnum(&cmp, ca[t]);
                tri_buf_puts(&cmp, ",");
                csvnum(&cmp, di[t]);
                tri_buf_puts(&cmp, "\n");
            }
            md_row(&sec, "energy saved", "GJ", es, r->Y, 1);
            if (c && bc)
                md_row(&sec, "CO2 abated", c->unit, ca, r->Y, 1);
            md_row(&sec, "extra investment", r->currency, di, r->Y, 1);
        }
        if (s->N) {
            tri_buf_puts(&sec, "\n### Policies (binding, and shadow price in money of the year per unit)\n\n");
            md_years(&sec, r, "policy");
            for (size_t p = 0; p < r->np; p++) {
                const tri_polinfo *pi = &r->pol[p];
                snprintf(name, sizeof name, "policy.%s.binding", pi->id);
                const tri_series *b = find(r, name);
                snprintf(name, sizeof name, "policy.%s.shadow_price", pi->id);
                const tri_series *spr = find(r, name);
                snprintf(name, sizeof name, "policy.%s.value", pi->id);
                const tri_series *va = find(r, name);
                snprintf(name, sizeof name, "policy.%s.limit", pi->id);
                const tri_series *li = find(r, name);
                tri_buf_printf(&sec, "| %s (%s%s) binds | |", pi->id, pi->type, pi->illustrative ? ", illustrative" : "");
                for (size_t t = 0; t < r->Y; t++)
                    tri_buf_printf(&sec, " %s |", !b || !isfinite(b->v[t]) ? "–" : b->v[t] != 0 ? "yes" : "no");
                tri_buf_puts(&sec, "\n");
                if (spr && any_positive(spr, r->Y, -1))
                    md_row(&sec, "  shadow price", spr->unit, spr->v, r->Y, 1);
                for (size_t t = 0; t < r->Y; t++) {
                    csvstr(&pol, r->scenario);
                    tri_buf_puts(&pol, ",");
                    csvstr(&pol, pi->id);
                    tri_buf_printf(&pol, ",%s,%d,", pi->type, r->start + (int)t);
                    if (b && isfinite(b->v[t]))
                        tri_buf_puts(&pol, b->v[t] != 0 ? "true" : "false");
                    tri_buf_puts(&pol, ",");
                    csvnum(&pol, spr ? spr->v[t] : NAN);
                    tri_buf_puts(&pol, ",");
                    csvstr(&pol, spr ? spr->unit : "");
                    tri_buf_puts(&pol, ",");
                    csvnum(&pol, va ? va->v[t] : NAN);
                    tri_buf_puts(&pol, ",");
                    csvnum(&pol, li ? li->v[t] : NAN);
                    tri_buf_puts(&pol, ",");
                    csvstr(&pol, pi->unit);
                    tri_buf_puts(&pol, "\n");
                }
            }
        }
        if (s->has_bench) {
            tr_benchmark *bm = NULL;
            if (tr_benchmark_new(scenarios[i], r, &bm) == TR_OK) {
                tri_buf_puts(&sec, "\n### Benchmark against best practice\n\n| year | EEI final | EEI primary | "
                                   "savings potential (GJ final) | share |\n|---:|---:|---:|---:|---:|\n");
                for (size_t t = 0; t < tr_benchmark_year_count(bm); t++) {
                    tr_benchmark_totals T;
                    tr_benchmark_get_totals(bm, t, &T);
                    tri_buf_printf(&sec, "| %d | %.3f | %.3f | %s | %.1f%% |\n", tr_benchmark_year(bm, t), T.eei_final,
                                   T.eei_primary, md(T.saving_final, nb, sizeof nb), 100 * T.saving_share_final);
                    for (size_t k = 0; k < tr_benchmark_plant_count(bm, t); k++) {
                        tr_benchmark_row br;
                        tr_benchmark_get(bm, t, k, &br);
                        csvstr(&bench, r->scenario);
                        tri_buf_printf(&bench, ",%d,%zu,%s,", tr_benchmark_year(bm, t), k + 1, br.plant);
                        csvnum(&bench, br.production);
                        tri_buf_puts(&bench, ",");
                        csvnum(&bench, br.cumulative);
                        tri_buf_puts(&bench, ",");
                        csvnum(&bench, br.sec_final);
                        tri_buf_puts(&bench, ",");
                        csvnum(&bench, br.sec_primary);
                        tri_buf_puts(&bench, ",");
                        csvnum(&bench, br.eei_final);
                        tri_buf_puts(&bench, ",");
                        csvnum(&bench, br.eei_primary);
                        tri_buf_puts(&bench, "\n");
                    }
                }
                tr_benchmark_free(bm);
            }
        }
    }
    tri_buf_puts(&rep, "\n## Policy coherence\n\n");
    if (w.n == 0)
        tri_buf_puts(&rep, "No instrument was found to do nothing.\n");
    else {
        char *wm = tri_buf_take(&w.md);
        if (wm) {
            tri_buf_puts(&rep, wm);
            tri_free(wm);
        }
    }
    char *secs = tri_buf_take(&sec);
    if (secs) {
        tri_buf_puts(&rep, secs);
        tri_free(secs);
    }
    tr_status st = put_file(dir, "report.md", &rep);
    if (st == TR_OK)
        st = put_file(dir, "summary.csv", &sum);
    if (st == TR_OK)
        st = put_file(dir, "roadmap.csv", &road);
    if (st == TR_OK)
        st = put_file(dir, "adoption.csv", &adopt);
    if (st == TR_OK)
        st = put_file(dir, "policies.csv", &pol);
    if (st == TR_OK)
        st = put_file(dir, "baseline.csv", &cmp);
    if (st == TR_OK)
        st = put_file(dir, "warnings.csv", &w.csv);
    if (st == TR_OK)
        st = put_file(dir, "benchmark.csv", &bench);
    tri_free(rep.s);
    tri_free(sum.s);
    tri_free(road.s);
    tri_free(adopt.s);
    tri_free(pol.s);
    tri_free(cmp.s);
    tri_free(bench.s);
    tri_free(w.csv.s);
    tri_free(w.md.s);
    tri_free(sec.s);
    return st;
}
