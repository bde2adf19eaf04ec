"""Compact summary tables for notebooks (_repr_html_) and summary()."""
import html
import math

import pandas as pd

from ._errors import TechroadError


def _e(x):
    return html.escape(str(x))


def _fmt(v):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    if isinstance(v, float):
        a = abs(v)
        if a >= 1e5:
            return f"{v:,.0f}"
        if a >= 100:
            return f"{v:,.1f}"
        return f"{v:.4g}"
    return str(v)


def _table(rows, header=None, caption=None):
    out = ['<table class="techroad">']
    if caption:
        out.append(f'<caption style="text-align:left"><b>{caption}</b></caption>')
    if header:
        out.append("<thead><tr>" + "".join(f"<th>{_e(h)}</th>" for h in header) + "</tr></thead>")
    out.append("<tbody>")
    for r in rows:
        cells = "".join(f"<td style='text-align:left'>{c}</td>" for c in r[1:])
        out.append(f"<tr><th style='text-align:left'>{_e(r[0])}</th>{cells}</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _policy_types(sc):
    out = {}
    for p in sc.policies:
        try:
            out[p] = sc.get(f"policies.{p}.type")
        except TechroadError:
            out[p] = "?"
    return out


def _short_list(items, n=6):
    items = list(items)
    s = ", ".join(items[:n])
    return s + (f", … (+{len(items) - n})" if len(items) > n else "")


def scenario_summary(sc):
    types = _policy_types(sc)
    rows = [("name", sc.name), ("file", sc.path), ("horizon", f"{sc.start_year}–{sc.end_year}"),
            ("plants", f"{len(sc.plants)}: {_short_list(sc.plants)}"),
            ("technologies", f"{len(sc.technologies)}: {_short_list(sc.technologies)}"),
            ("carriers", ", ".join(sc.carriers)), ("species", ", ".join(sc.species) or "–"),
            ("policies", ", ".join(f"{p} ({t})" for p, t in types.items()) or "none"),
            ("sha256", sc.sha256[:16] + "…")]
    return pd.DataFrame({"value": [v for _, v in rows]}, index=pd.Index([k for k, _ in rows], name="scenario"))


def scenario_html(sc):
    if sc.closed:
        return "<p>techroad.Scenario (closed)</p>"
    df = scenario_summary(sc)
    rows = [(k, _e(v)) for k, v in df["value"].items()]
    return _table(rows, caption=f"techroad scenario {_e(sc.name)}")


def _headline_names(res):
    names = res.series_names
    keys = ["production", "energy.total"]
    keys += [n for n in names if n.startswith("emissions.")]
    keys += ["intensity.energy.total"] + [n for n in names if n.startswith("intensity.emissions.")]
    keys += ["investment", "cost.total"]
    return [k for k in keys if k in names]


def result_summary(res):
    """Headline indicators in the first and last year, with the change."""
    if not res.optimal:
        d = res.diagnosis
        return d[["policy", "year", "message"]] if len(d) else pd.DataFrame(
            {"status": [res.status_name]}, index=[res.scenario_name])
    ind = res.indicators
    y0, y1 = int(res.years[0]), int(res.years[-1])
    units = res.units
    rows = []
    for k in _headline_names(res):
        a, b = float(ind[k].loc[y0]), float(ind[k].loc[y1])
        rows.append({"indicator": k, "unit": units.get(k, ""), y0: a, y1: b,
                     "change %": (b / a - 1) * 100 if a else math.nan})
    return pd.DataFrame(rows).set_index("indicator")


def result_html(res):
    if res.closed:
        return "<p>techroad.Result (closed)</p>"
    status = res.status_name
    color = "green" if res.optimal else "firebrick"
    head = [("scenario", _e(res.scenario_name)),
            ("status", f"<b style='color:{color}'>{_e(status)}</b>")]
    if res.optimal:
        money = res.units.get("cost.total", "")
        head.append(("NPV", f"{_fmt(res.npv)} {_e(money)}"))
    head.append(("years", f"{res.years[0]}–{res.years[-1]}"))
    parts = [_table(head, caption="techroad result")]
    if res.optimal:
        df = result_summary(res)
        y0, y1 = int(res.years[0]), int(res.years[-1])
        rows = [(k, _e(r["unit"]), _fmt(r[y0]), _fmt(r[y1]), _fmt(r["change %"]))
                for k, r in df.iterrows()]
        parts.append(_table(rows, header=["indicator", "unit", str(y0), str(y1), "change %"]))
        pol = res.policies
        prow = []
        for pid in dict.fromkeys(pol.columns.get_level_values(0)):
            p = pol[pid]
            binding = p["binding"].fillna(False).astype(bool)
            years = [int(y) for y in p.index[binding.to_numpy()]]
            sp = p["shadow_price"].max()
            unit = pol.attrs["units"].get((pid, "shadow_price"), "")
            prow.append((pid, _e(_years(years) or "never"), f"{_fmt(sp)} {_e(unit)}" if not math.isnan(sp) else "–"))
        if prow:
            parts.append(_table(prow, header=["policy", "binding in", "max shadow price"]))
    else:
        d = res.diagnosis
        if len(d):
            parts.append(_table([(r.policy, _e(r.year), _e(r.message)) for r in d.itertuples()],
                                header=["policy", "year", "diagnosis"]))
    return "<div>" + "".join(parts) + "</div>"


def _years(years):
    """[2025, 2026, 2027, 2030] -> '2025–2027, 2030'."""
    out, start, prev = [], None, None
    for y in years + [None]:
        if start is None:
            start = prev = y
        elif y is not None and y == prev + 1:
            prev = y
        else:
            out.append(str(start) if start == prev else f"{start}–{prev}")
            start = prev = y
    return ", ".join(out)
