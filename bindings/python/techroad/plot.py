"""Figures a roadmap report uses, drawn with matplotlib. Each function draws
on @ax (a new figure when None) and returns the Axes, so figures can be
combined and styled by the caller.

Conventions (the HTML report's charts follow the same ones): quantities in a
readable unit chosen from the data's magnitude (kt, Mt, GWh, PJ, M USD2020:
:func:`techroad._units.scale_unit`, the rule lib/svg.c applies too) and named
in the axis label, never an offset exponent above an axis; labels in words
with the unit in brackets ("CO₂ emissions [Mt]"); money axes name the
currency; energy and emission axes start at zero (``from_zero=False``
lets them float); legends outside the data.

matplotlib is imported on first use: ``import techroad`` does not need it.
"""
import numpy as np
import pandas as pd

from ._common import is_a, labelled as _labelled
from ._units import formula, is_money, scale_unit, unit_of, words
from .analysis import MACC, Front, MonteCarlo
from .benchmark import Benchmark

__all__ = ["plot_paths", "plot_energy", "plot_emissions", "plot_adoption", "plot_costs",
           "plot_benchmark", "plot_macc", "plot_fan", "plot_tornado", "plot_front", "plot_mga"]

_COST_PARTS = ("energy", "capital", "om", "emission_tax", "damage")
_COST_LABELS = {"energy": "energy", "capital": "capital charge", "om": "O&M",
                "emission_tax": "emission tax", "damage": "damage"}
_SUBSIDY_LABEL = "public subsidies (paid by the state)"

# 20 colours a reader tells apart (Okabe-Ito, then tab10's and darker tones
# of other hues); with a marker per line, 14 technologies stay distinct.
_PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#8C510A",
            "#5E3C99", "#B2182B", "#7F7F7F", "#BCBD22", "#17BECF", "#1B7837", "#F781BF", "#A6761D",
            "#4D4D4D", "#FDB863", "#2166AC", "#DE77AE")
_MARKERS = "osD^vP*Xp<>hd8"


def _axes(ax):
    if ax is None:
        import matplotlib.pyplot as plt
        _, ax = plt.subplots(figsize=(8, 4.2), layout="constrained")
    return ax


def _years_axis(ax, years):
    years = list(years)
    # at most about six labels: "2020 2022 ... 2030" stays readable in a
    # half-width subplot, where eleven labels ran into each other
    step = 1 if len(years) <= 7 else -(-len(years) // 6)
    ax.set_xticks(years[::step])
    ax.set_xlabel("year")


def _plain(ax):
    """Plain tick labels on both axes: no offset (+2.3e6) and no 1e6 above the axis."""
    from matplotlib.ticker import ScalarFormatter
    for axis in (ax.xaxis, ax.yaxis):
        fmt = axis.get_major_formatter()
        if isinstance(fmt, ScalarFormatter):
            fmt.set_useOffset(False)
            fmt.set_scientific(False)


def _legend_outside(ax, **kw):
    """The legend to the right of the axes, never on the data."""
    kw.setdefault("fontsize", "small")
    return ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0, **kw)


def _maxabs(*arrays):
    m = 0.0
    for a in arrays:
        a = np.asarray(a, dtype=float)
        a = a[np.isfinite(a)]
        if a.size:
            m = max(m, float(np.abs(a).max()))
    return m


def _label(what, unit):
    return f"{what} [{unit}]" if unit else what


def _from_zero(indicator):
    """Quantities that are never negative: their axis starts at zero."""
    name = indicator.split(":", 1)[-1]
    name = name[len("cumulative."):] if name.startswith("cumulative.") else name
    return name.split(".")[0] in ("energy", "emissions", "intensity", "production", "capacity", "investment",
                                  "subsidy", "equipped")


def _finish_indicator(ax, indicator, from_zero):
    """The finish of a chart of @indicator over the years: the y axis from zero
    where @from_zero says (None: where the quantity is never negative), a light
    grid, plain tick labels and the legend outside. Returns @ax."""
    if from_zero if from_zero is not None else _from_zero(indicator):
        ax.set_ylim(bottom=0, top=max(ax.get_ylim()[1], 0))
    ax.grid(True, alpha=0.3)
    _plain(ax)
    _legend_outside(ax)
    return ax


def plot_paths(results, indicator="energy.total", ax=None, *, title=None, from_zero=None, **line_kw):
    """One line per scenario of a per-year series.

    Parameters
    ----------
    results : Result, list of Result or dict
        One line per scenario; a dict gives the labels ({label: Result}),
        else the scenario names label them.
    indicator : str, default "energy.total"
        e.g. ``emissions.CO2``, ``intensity.energy.electricity``, ``cost.total``.
    ax : matplotlib.axes.Axes, optional
        Draw here (default: a new figure).
    title : str, optional
        Default: a title naming what is drawn.
    from_zero : bool, optional
        Start the y axis at zero (default: for energy, emissions, intensities,
        production, investment and subsidies).
    **line_kw
        Passed to ``Axes.plot``.

    Returns
    -------
    matplotlib.axes.Axes
        The y axis in a readable unit named in its label (``CO₂ emissions [Mt]``).
    """
    ax = _axes(ax)
    unit = None
    sc = None
    series = []
    for label, r in _labelled(results):
        s = r.series(indicator)
        unit = s.attrs.get("unit", unit)
        sc = sc or r.scenario
        series.append((label, s))
    f, shown = scale_unit(unit, _maxabs(*[s.values for _, s in series]))
    for label, s in series:
        ax.plot(s.index, s.values * f, marker="o", markersize=3, label=label, **line_kw)
    what = words(indicator, sc)
    ax.set_ylabel(_label(what, shown))
    ax.set_title(title if title is not None else what)
    if series:
        _years_axis(ax, series[0][1].index)
    return _finish_indicator(ax, indicator, from_zero)


def plot_energy(results, carrier="total", ax=None, **kw):
    """Final energy per scenario and year (:func:`plot_paths` of ``energy.<carrier>``).

    Parameters
    ----------
    results : Result, list of Result or dict
        As for :func:`plot_paths`.
    carrier : str, default "total"
        A carrier, or "total" (all carriers in GJ).
    ax : matplotlib.axes.Axes, optional
    **kw
        Passed to :func:`plot_paths`.

    Returns
    -------
    matplotlib.axes.Axes
    """
    return plot_paths(results, f"energy.{carrier}", ax, **kw)


def plot_emissions(results, species="CO2", ax=None, **kw):
    """Emissions per scenario and year (:func:`plot_paths` of ``emissions.<species>``);
    the same parameters as :func:`plot_energy`, with @species (default "CO2") for @carrier."""
    return plot_paths(results, f"emissions.{species}", ax, **kw)


def plot_adoption(result, technologies=None, ax=None, *, min_share=1e-3, percent=True, title=None):
    """Adoption S-curves: per year, the share of the capacity each technology could equip that it equips.

    Parameters
    ----------
    result : Result
    technologies : str or list of str, optional
        Draw these (default: those that reach @min_share).
    ax : matplotlib.axes.Axes, optional
        Draw here (default: a new figure).
    min_share : float, default 1e-3
        Technologies that never reach it are left out unless named.
    percent : bool, default True
        Shares in percent (else 0..1).
    title : str, optional

    Returns
    -------
    matplotlib.axes.Axes
    """
    if not is_a(result, "result"):
        raise TypeError("plot_adoption() draws one Result")
    ax = _axes(ax)
    df = result.adoption
    if technologies is None:
        cols = [c for c in df.columns if df[c].max() >= min_share]
    else:
        cols = [technologies] if isinstance(technologies, str) else list(technologies)
        missing = [c for c in cols if c not in df.columns]
        if missing:
            raise ValueError(f"no adoption series for {', '.join(missing)}")
    scale = 100.0 if percent else 1.0
    # a colour and a marker of its own for each line (20 colours, 14 markers)
    for i, c in enumerate(cols):
        ax.plot(df.index, df[c] * scale, marker=_MARKERS[i % len(_MARKERS)], markersize=4, label=c,
                color=_PALETTE[i % len(_PALETTE)], linestyle="-" if i < len(_PALETTE) else "--", linewidth=1.6)
    ax.set_ylabel("adoption, share of the capacity it could equip [%]" if percent
                  else "adoption, share of the capacity it could equip [0-1]")
    ax.set_ylim(-0.02 * scale, 1.02 * scale)
    ax.set_title(title if title is not None else f"Adoption: {result.scenario_name}")
    _years_axis(ax, df.index)
    ax.grid(True, alpha=0.3)
    _plain(ax)
    if cols:
        _legend_outside(ax, fontsize="x-small")
    return ax


def _cost_parts(ind):
    """The cost components that add up to cost.total (damage only under objective: social)."""
    parts = [p for p in _COST_PARTS if f"cost.{p}" in ind]
    without = [p for p in parts if p != "damage"]
    if "damage" in parts and np.allclose(ind[[f"cost.{p}" for p in without]].sum(axis=1),
                                          ind["cost.total"], rtol=1e-9, atol=1e-6):
        parts = without
    return parts


def plot_costs(results, ax=None, *, title=None, subsidies=True):
    """Cost breakdown: energy, capital charge, O&M, emission tax, and damage when it counts,
    with public subsidy spending beside it.

    One Result: stacked bars per year with the total as a line. Several: one
    stacked bar per scenario, summed over the horizon (undiscounted).
    Components can be negative (O&M savings), so bars stack up and down from
    zero. Subsidies are not part of the firms' cost (they lower it): they are
    a hatched bar of their own beside each stack, what the state pays.

    Parameters
    ----------
    results : Result, list of Result or dict
    ax : matplotlib.axes.Axes, optional
        Draw here (default: a new figure).
    title : str, optional
        Default: a title naming what is drawn.
    subsidies : bool, default True
        Draw public subsidy spending (when there is any).

    Returns
    -------
    matplotlib.axes.Axes
        The y axis in the scenario's currency, scaled (``M USD2020``).
    """
    ax = _axes(ax)
    if is_a(results, "result"):
        r = results
        ind = r.indicators
        parts = _cost_parts(ind)
        frame = pd.DataFrame({_COST_LABELS[p]: ind[f"cost.{p}"] for p in parts})
        sub = ind["subsidy"].to_numpy(dtype=float) if "subsidy" in ind else np.zeros(len(ind))
        total = ind["cost.total"].to_numpy(dtype=float)
        x = np.asarray(ind.index)
        unit = r.units.get("cost.total", "")
        title = title if title is not None else f"Annual cost: {r.scenario_name}"
        what = "cost per year"
    else:
        per_scenario, subs, unit = {}, [], ""
        for label, r in _labelled(results):
            ind = r.indicators
            unit = r.units.get("cost.total", unit)
            per_scenario[label] = {_COST_LABELS[p]: float(ind[f"cost.{p}"].sum()) for p in _cost_parts(ind)}
            subs.append(float(ind["subsidy"].sum()) if "subsidy" in ind else 0.0)
        frame = pd.DataFrame.from_dict(per_scenario, orient="index").fillna(0.0)
        frame = frame[[_COST_LABELS[p] for p in _COST_PARTS if _COST_LABELS[p] in frame.columns]]
        sub = np.asarray(subs, dtype=float)
        total = None
        x = np.arange(len(frame))
        title = title if title is not None else "Cost over the horizon (undiscounted)"
        what = "cost over the horizon"
    show_sub = subsidies and np.any(np.nan_to_num(sub) != 0)
    pos = frame.clip(lower=0).sum(axis=1).to_numpy(dtype=float)
    neg = frame.clip(upper=0).sum(axis=1).to_numpy(dtype=float)
    f, shown = scale_unit(unit, _maxabs(pos, neg, sub, total if total is not None else []))
    width = 0.55 if show_sub else 0.7
    xs = x - 0.15 if show_sub else x
    _stacked(ax, xs, frame * f, width)
    if total is not None:
        ax.plot(xs, total * f, color="black", marker="o", markersize=3, label="total cost")
    if show_sub:
        ax.bar(x + width / 2 + 0.01, sub * f, width=0.25, color="white", edgecolor="#5E3C99", hatch="///",
               linewidth=0.8, label=_SUBSIDY_LABEL)
    if is_a(results, "result"):
        _years_axis(ax, x)
    else:
        # names wrapped at hyphens and spaces, level: they fit a half-width subplot
        import textwrap
        ax.set_xticks(x, [textwrap.fill(str(n), 12, break_on_hyphens=True, break_long_words=False)
                          for n in frame.index], fontsize="small")
    ax.set_title(title)
    ax.set_ylabel(_label(what, shown))
    ax.axhline(0, color="black", linewidth=0.6)
    ax.grid(True, axis="y", alpha=0.3)
    _plain(ax)
    _legend_outside(ax)
    return ax


def _stacked(ax, x, frame, width=0.7):
    pos = np.zeros(len(frame))
    neg = np.zeros(len(frame))
    for col in frame.columns:
        v = np.asarray(frame[col], dtype=float)
        if not np.any(v):
            continue
        bottom = np.where(v >= 0, pos, neg)
        ax.bar(x, v, bottom=bottom, label=col, width=width)
        pos = pos + np.where(v >= 0, v, 0)
        neg = neg + np.where(v < 0, v, 0)


def plot_benchmark(data, indicator="energy.electricity", year=None, ax=None, *, basis="final",
                   target=None, title=None, unit=None, annotate=True):
    """Benchmark curve: plants from the least to the most intensive.

    Each plant is a bar as wide as its share of production and as high as its
    intensity; the production-weighted average is a dashed line, best practice
    (for a Benchmark) and an optional @target horizontal lines.

    Parameters
    ----------
    data : Benchmark, Result or pandas.DataFrame
        A :class:`techroad.Benchmark` (``res.benchmark()``): specific final
        (or, with ``basis="primary"``, primary) energy per unit in GJ against
        the scenario's best practice. A Result: :meth:`Result.plant_intensity`
        gives the per-plant @indicator. A DataFrame with columns ``intensity``
        and ``production`` and the plant names in a ``plant`` column or the
        index (survey data, for example).
    indicator : str, default "energy.electricity"
        For a Result: ``energy.<carrier>``, ``energy.total`` or ``emissions.<species>``.
    year : int, optional
        Default: the last year (benchmarked).
    ax : matplotlib.axes.Axes, optional
    basis : {"final", "primary"}, default "final"
        For a Benchmark.
    target : float, optional
        A horizontal line at this intensity.
    title, unit : str, optional
    annotate : bool, default True
        Name the plants on their bars.

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = _axes(ax)
    best = None
    if isinstance(data, Benchmark):
        if basis not in ("final", "primary"):
            raise ValueError(f"basis must be final or primary, got {basis!r}")
        df = data.curve(year).rename(columns={f"sec_{basis}": "intensity"})
        best = df.attrs[f"best_{basis}"]
        unit = unit or f"GJ/{data.product_unit}"
        label = f"{data.scenario_name}, {df.attrs['year']}"
        name = f"{basis} energy per unit of product"
    elif is_a(data, "result"):
        df = data.plant_intensity(indicator, year)
        unit = unit or df.attrs.get("intensity_unit")
        label = f"{data.scenario_name}, {df.attrs['year']}"
        name = f"{words(indicator, data.scenario)} per unit of product"
    else:
        df = pd.DataFrame(data)
        df.attrs = dict(getattr(data, "attrs", {}) or {})
        if "plant" in df.columns:
            df = df.set_index("plant")
        missing = {"intensity", "production"} - set(df.columns)
        if missing:
            raise ValueError(f"benchmark data needs columns intensity and production; missing "
                             f"{', '.join(sorted(missing))}")
        label = None
        name = f"{words(df.attrs['indicator'])} per unit of product" if "indicator" in df.attrs else "intensity"
        unit = unit or df.attrs.get("intensity_unit")
    df = df[df["production"] > 0].sort_values("intensity", kind="stable")
    prod = df["production"].to_numpy(dtype=float)
    inten = df["intensity"].to_numpy(dtype=float)
    share = 100.0 * prod / prod.sum() if prod.sum() > 0 else prod
    left = np.concatenate([[0.0], np.cumsum(share)[:-1]])
    ax.bar(left, inten, width=share, align="edge", color="#56B4E9", edgecolor="white", linewidth=0.8,
           label=label or "plants")
    if annotate:
        # names up the bars from their foot, so that neither neighbours nor the
        # reference lines (near the bars' tops) cover them
        for x0, w, h, n in zip(left, share, inten, df.index):
            ax.annotate(str(n), (x0 + w / 2, 0), ha="center", va="bottom", fontsize="x-small", rotation=90,
                        xytext=(0, 3), textcoords="offset points", color="#1f1f1f")
    avg = float((prod * inten).sum() / prod.sum()) if prod.sum() > 0 else float("nan")
    u = f" {unit}" if unit else ""
    ax.axhline(avg, color="black", linestyle="--", linewidth=1.2, label=f"average {avg:.3g}{u}")
    if best is not None:
        ax.axhline(best, color="#009E73", linewidth=1.6, label=f"best practice {best:.3g}{u}")
    if target is not None:
        ax.axhline(float(target), color="#D55E00", linestyle=":", linewidth=1.6,
                   label=f"target {float(target):.3g}{u}")
    ax.set_xlim(0, 100)
    ax.set_ylim(bottom=0)
    ax.set_xlabel("cumulative share of production, least intensive plant first [%]")
    ax.set_ylabel(_label(name, unit))
    ax.set_title(title if title is not None else f"Benchmark: {name}")
    ax.grid(True, axis="y", alpha=0.3)
    _plain(ax)
    _legend_outside(ax)
    return ax


# ------------------------------------------------------------------ analyses

_MODEL_MACC_NOTE = ("Model curve: one year's cap tightened step by step on the whole model. A step's cost is the NPV "
                    "increase over the horizon per tonne abated in that one year, after the least-cost roadmap has "
                    "taken the cheap measures, with exclusive groups, adoption limits and the technical minimum "
                    "binding; so it can exceed the measure curve's cost by an order of magnitude "
                    "(docs/ANALYSES.md).")


def _note(ax, text, y=-0.2):
    """A paragraph under the axes (inside the figure's layout)."""
    import textwrap
    return ax.text(0.0, y, "\n".join(textwrap.wrap(text, 120)), transform=ax.transAxes, ha="left", va="top",
                   fontsize="x-small", color="#444444")


def plot_macc(macc, kind="measure", ax=None, *, title=None, annotate=True, note=True):
    """Marginal abatement cost curve.

    One bar per measure (``kind="measure"``) or per step of the tightened cap
    (``kind="model"``), as wide as what it avoids and as high as its cost per
    unit avoided, side by side from the cheapest to the dearest (savings below
    zero in green). The measure curve names, under the axes, the members of
    exclusive groups it leaves out (another member of the group is taken);
    the model curve labels each bar with its cap and explains, under the
    axes, why its costs can be far above the measure curve's
    (docs/ANALYSES.md, "Two abatement cost curves").

    Parameters
    ----------
    macc : MACC or pandas.DataFrame
        A :class:`techroad.MACC` (``sc.macc()``) or one of its tables
        (``macc.measures`` or ``macc.model``; @kind is then taken from the columns).
    kind : {"measure", "model"}, default "measure"
    ax : matplotlib.axes.Axes, optional
        Draw here (default: a new figure).
    title : str, optional
        Default: a title naming what is drawn.
    annotate : bool, default True
        Name the measures (the caps) on their bars.
    note : bool, default True
        The note under the axes (excluded measures; what a model step costs).

    Returns
    -------
    matplotlib.axes.Axes
    """
    if isinstance(macc, MACC):
        if kind not in ("measure", "model"):
            raise ValueError(f"kind must be measure or model, got {kind!r}")
        df = macc.measures if kind == "measure" else macc.model
    else:
        df = pd.DataFrame(macc)
        df.attrs = dict(getattr(macc, "attrs", {}) or {})
        if "cost_per_unit_avoided" in df.columns:
            kind = "measure"
        elif "step_cost" in df.columns:
            kind = "model"
        else:
            raise ValueError("plot_macc() needs a techroad.MACC, or a table with cost_per_unit_avoided "
                             "(measures) or step_cost (model steps)")
    ax = _axes(ax)
    attrs = df.attrs
    species, unit, cur = attrs.get("species", ""), attrs.get("unit", ""), attrs.get("currency", "")
    excluded = []
    if kind == "measure":
        ok = np.isfinite(df["cost_per_unit_avoided"].astype(float)) & (df["avoided"].astype(float) > 0)
        d = df[ok].sort_values("cost_per_unit_avoided", kind="stable")
        width = d["avoided"].to_numpy(dtype=float)
        height = d["cost_per_unit_avoided"].to_numpy(dtype=float)
        f, shown = scale_unit(unit, width.sum())
        width = width * f
        names = list(d["technology"])
        if "note" in df.columns:
            rest = df[~ok & df["note"].astype(str).str.startswith("excluded")]
            group = rest["group"] if "group" in rest.columns else [""] * len(rest)
            excluded = [f"{t} ({g})" if g else str(t) for t, g in zip(rest["technology"], group)]
    else:
        d = df.sort_values("step", kind="stable")
        ab = d["abatement"].to_numpy(dtype=float)
        width = np.diff(ab, prepend=0.0) if len(ab) else ab
        height = d["step_cost"].to_numpy(dtype=float)
        cap = d["cap"].to_numpy(dtype=float)
        keep = np.isfinite(height) & (width > 0)
        fc, cu = scale_unit(unit, _maxabs(cap[keep]) if keep.any() else 0)
        names = [f"cap {c * fc:.4g} {cu}".rstrip() for c in cap[keep]]
        width, height = width[keep], height[keep]
        f, shown = scale_unit(unit, width.sum())
        width = width * f
        order = np.argsort(height, kind="stable")
        width, height, names = width[order], height[order], [names[i] for i in order]
    left = np.concatenate([[0.0], np.cumsum(width)[:-1]])
    colors = ["#009E73" if h < 0 else "#0072B2" for h in height]
    ax.bar(left, height, width=width, align="edge", color=colors, edgecolor="white", linewidth=0.8)
    if annotate and len(height):
        # names above each bar (above the zero line for savings), rotated; room made for them on top
        for x0, w, h, n in zip(left, width, height, names):
            ax.annotate(n, (x0 + w / 2, max(h, 0.0)), ha="center", va="bottom", fontsize="x-small",
                        xytext=(0, 2), textcoords="offset points", rotation=90)
    if len(height):
        lo, hi = min(0.0, float(height.min())), max(0.0, float(height.max()))
        ax.set_ylim(lo - 0.05 * (hi - lo or 1), hi + (0.55 if annotate else 0.08) * (hi - lo or 1))
    ax.axhline(0, color="black", linewidth=0.6)
    sp = formula(species) if species else "emissions"
    year = attrs.get("year", "")
    ax.set_xlabel(_label(f"{sp} avoided in {year}" if year else f"{sp} avoided", shown))
    per = f"cost per {unit} {sp} avoided" if unit else f"cost per unit of {sp} avoided"
    ax.set_ylabel(_label(per, f"{cur}/{unit}" if cur and unit else cur))
    if title is None:
        title = "Abatement cost curve: " + ("measures one by one" if kind == "measure"
                                           else "the model under a tightening cap")
        if species:
            title += f" ({sp}, {year})" if year else f" ({sp})"
    ax.set_title(title)
    ax.set_xlim(0, max(float(width.sum()), 1e-12))
    ax.grid(True, axis="y", alpha=0.3)
    _plain(ax)
    from matplotlib.patches import Patch
    handles = [Patch(color="#009E73", label="saves money"), Patch(color="#0072B2", label="costs money")]
    _legend_outside(ax, handles=handles)
    if note:
        if kind == "model":
            _note(ax, _MODEL_MACC_NOTE)
        elif excluded:
            _note(ax, "Not on the curve, another member of their exclusive group is taken: " +
                  ", ".join(excluded) + ".")
    return ax


def plot_fan(mc, indicator, ax=None, *, title=None, color="#0072B2", unit=None, from_zero=None):
    """Fan chart of a Monte Carlo indicator: the 5-95 % and 25-75 % bands, the median, the mean dashed.

    Parameters
    ----------
    mc : MonteCarlo or pandas.DataFrame
        A :class:`techroad.MonteCarlo`, its ``percentiles`` table, or a frame
        indexed by year with columns p5, p25, p50, p75, p95
        (``mc.indicator(name)``).
    indicator : str
    ax : matplotlib.axes.Axes, optional
        Draw here (default: a new figure).
    title : str, optional
        Default: a title naming what is drawn.
    color : str, default "#0072B2"
    unit : str, optional
        The indicator's unit (default: from the scenario of a MonteCarlo).
    from_zero : bool, optional
        Start the y axis at zero (default: for energy, emissions and the like).

    Returns
    -------
    matplotlib.axes.Axes
    """
    if unit is None and isinstance(mc, MonteCarlo) and getattr(mc, "_scenario", None) is not None:
        unit = unit_of(mc._scenario, indicator)
    sc = getattr(mc, "_scenario", None) if isinstance(mc, MonteCarlo) else None
    if isinstance(mc, MonteCarlo):
        d = mc.indicator(indicator)
    else:
        d = pd.DataFrame(mc)
        d.attrs = dict(getattr(mc, "attrs", {}) or {})
        if "indicator" in d.columns:
            d = d[d["indicator"] == indicator].set_index("year")
            if d.empty:
                raise ValueError(f"no indicator {indicator!r} in the percentiles table")
        missing = {"p5", "p25", "p50", "p75", "p95"} - set(d.columns)
        if missing:
            raise ValueError(f"plot_fan() needs columns p5, p25, p50, p75, p95; missing {', '.join(sorted(missing))}")
    ax = _axes(ax)
    x = np.asarray(d.index)
    f, shown = scale_unit(unit, _maxabs(d["p5"], d["p95"]))
    ax.fill_between(x, d["p5"] * f, d["p95"] * f, color=color, alpha=0.18, linewidth=0, label="5–95 % of runs")
    ax.fill_between(x, d["p25"] * f, d["p75"] * f, color=color, alpha=0.38, linewidth=0, label="25–75 % of runs")
    ax.plot(x, d["p50"] * f, color=color, marker="o", markersize=3, label="median")
    if "mean" in d.columns:
        ax.plot(x, d["mean"] * f, color=color, linestyle="--", linewidth=1, label="mean")
    what = words(indicator, sc)
    ax.set_ylabel(_label(what, shown))
    ax.set_title(title if title is not None else f"{what}: Monte Carlo")
    _years_axis(ax, x)
    return _finish_indicator(ax, indicator, from_zero)


def plot_tornado(tornado, ax=None, *, title=None, annotate=True, unit=None):
    """Tornado chart of :meth:`Scenario.tornado`.

    Per parameter, the output at its 5th percentile (blue) and 95th (orange)
    against the base (all at their medians), the largest swing on top. The
    bars' ends name the parameter's value there: ``×0.83`` for a parameter
    that multiplies the scenario's value (``mode: scale``), the value itself
    otherwise. The x axis names the output and its unit (``NPV, private
    costs [M USD2020]``).

    Parameters
    ----------
    tornado : pandas.DataFrame
        The table of :meth:`Scenario.tornado`.
    ax : matplotlib.axes.Axes, optional
        Draw here (default: a new figure).
    title : str, optional
        Default: a title naming what is drawn.
    annotate : bool, default True
    unit : str, optional
        The output's unit (default: ``tornado.attrs["unit"]``, which
        :meth:`Scenario.tornado` sets).

    Returns
    -------
    matplotlib.axes.Axes
    """
    attrs = dict(getattr(tornado, "attrs", {}) or {})
    df = pd.DataFrame(tornado)
    missing = {"parameter", "low", "high", "output_low", "output_high", "output_base"} - set(df.columns)
    if missing:
        raise ValueError(f"plot_tornado() needs the table of Scenario.tornado(); missing {', '.join(sorted(missing))}")
    ax = _axes(ax)
    unit = unit if unit is not None else attrs.get("unit", "")
    scaled = set(attrs.get("scaled", ()))
    df = df.iloc[::-1]                    # largest swing (first row) at the top
    y = np.arange(len(df))
    f, shown = scale_unit(unit, _maxabs(df["output_base"], df["output_low"], df["output_high"]))
    base = df["output_base"].to_numpy(dtype=float) * f
    lo = df["output_low"].to_numpy(dtype=float) * f
    hi = df["output_high"].to_numpy(dtype=float) * f
    ax.barh(y, lo - base, left=base, color="#0072B2", height=0.6, label="parameter at its 5th percentile")
    ax.barh(y, hi - base, left=base, color="#E69F00", height=0.6, label="parameter at its 95th percentile")
    if len(base):
        ax.axvline(base[0], color="black", linewidth=0.8, label="all parameters at their medians")
    ax.set_yticks(y, list(df["parameter"]))
    if annotate:
        for yi, p, l0, h0, vl, vh in zip(y, df["parameter"], lo, hi, df["low"], df["high"]):
            fmt = (lambda v: f"×{v:.3g}") if p in scaled else (lambda v: f"{v:.3g}")
            if np.isfinite(l0):
                ax.annotate(fmt(vl), (l0, yi), ha="right" if l0 <= h0 or not np.isfinite(h0) else "left",
                            va="center", fontsize="x-small", xytext=(-3 if l0 <= h0 else 3, 0),
                            textcoords="offset points")
            if np.isfinite(h0):
                ax.annotate(fmt(vh), (h0, yi), ha="left" if h0 >= l0 or not np.isfinite(l0) else "right",
                            va="center", fontsize="x-small", xytext=(3 if h0 >= l0 else -3, 0),
                            textcoords="offset points")
        # room for the end labels inside the axes
        lo_x, hi_x = ax.get_xlim()
        pad = 0.12 * (hi_x - lo_x)
        ax.set_xlim(lo_x - pad, hi_x + pad)
    out = df["output"].iloc[0] if "output" in df.columns and len(df) else "output"
    what = words(str(out))
    ax.set_xlabel(_label(what, shown))
    ax.set_title(title if title is not None else f"Tornado: {what}")
    ax.grid(True, axis="x", alpha=0.3)
    _plain(ax)
    leg = _legend_outside(ax)
    if scaled and annotate:
        leg.set_title("bar ends ×k: the parameter's\nvalue multiplied by k", prop={"size": "x-small"})
    return ax


# offsets (points) tried in turn for a label, with its alignment: beside, above, below, other side
_LABEL_PLACES = [((5, 5), "left"), ((5, -11), "left"), ((5, 17), "left"), ((5, -23), "left"),
                 ((-5, 5), "right"), ((-5, -11), "right"), ((-5, 17), "right"), ((-5, -23), "right")]


def _declutter(ax, labels):
    """Move each annotation to the first place where it overlaps no label
    placed before it (as lib/svg.c places the report's front labels); when
    every place is taken it stays beside its point. Deterministic: the
    figure is drawn once to measure the texts."""
    if len(labels) < 2:
        return
    renderer = ax.figure.canvas.get_renderer()
    placed = []
    for a in labels:
        for offset, ha in _LABEL_PLACES:
            a.set_position(offset)
            a.set_horizontalalignment(ha)
            box = a.get_window_extent(renderer)
            if not any(box.overlaps(b) for b in placed):
                break
        else:
            a.set_position(_LABEL_PLACES[0][0])
            a.set_horizontalalignment(_LABEL_PLACES[0][1])
            box = a.get_window_extent(renderer)
        placed.append(box)


def plot_front(front, variants=None, ax=None, *, title=None, annotate=True, units=None):
    """Trade-off front and the policy variants placed against it.

    The line through its points, non-dominated points filled, dominated ones
    as crosses, and policy variants as labelled markers (crossed out when the
    front dominates them).

    Parameters
    ----------
    front : Front or pandas.DataFrame
        A :class:`techroad.Front` (its placed variants are drawn unless
        @variants is given) or its ``front`` table.
    variants : pandas.DataFrame, optional
        A ``variants`` table.
    ax : matplotlib.axes.Axes, optional
        Draw here (default: a new figure).
    title : str, optional
    annotate : bool, default True
        Label the variants.
    units : dict, optional
        {objective: unit} (default: from the scenario of a Front).

    Returns
    -------
    matplotlib.axes.Axes
    """
    sc = getattr(front, "_scenario", None) if isinstance(front, Front) else None
    if isinstance(front, Front):
        df = front.front
        if variants is None:
            variants = front.variants
    else:
        df = pd.DataFrame(front)
        df.attrs = dict(getattr(front, "attrs", {}) or {})
        if not {"point", "dominated"} <= set(df.columns) or len(df.columns) < 3:
            raise ValueError("plot_front() needs a techroad.Front or its front table")
    xcol, ycol = df.columns[1], df.columns[2]
    ax = _axes(ax)
    units = dict(units or {})
    for c in (xcol, ycol):
        if c not in units:
            units[c] = unit_of(sc, c) if sc is not None else ""
    v = pd.DataFrame(variants) if variants is not None and len(variants) else None
    fx, ux = scale_unit(units[xcol], _maxabs(df[xcol], v.iloc[:, 1] if v is not None else []))
    fy, uy = scale_unit(units[ycol], _maxabs(df[ycol], v.iloc[:, 2] if v is not None else []))
    d = df.sort_values("point", kind="stable")
    ax.plot(d[xcol] * fx, d[ycol] * fy, color="#0072B2", linewidth=1.2, label="front")
    dom = d["dominated"].astype(bool).to_numpy()
    ax.scatter(d[xcol][~dom] * fx, d[ycol][~dom] * fy, color="#0072B2", zorder=3, label="non-dominated")
    if dom.any():
        ax.scatter(d[xcol][dom] * fx, d[ycol][dom] * fy, color="grey", marker="x", zorder=3, label="dominated")
    labels = []
    if v is not None:
        markers = "Ds^vP*<>ph"
        for i in range(len(v)):
            rx, ry = float(v.iloc[i, 1]) * fx, float(v.iloc[i, 2]) * fy
            if not (np.isfinite(rx) and np.isfinite(ry)):
                continue                  # not optimal: nothing to place
            name = str(v["variant"].iloc[i])
            dominated = "dominated" in v.columns and v["dominated"].iloc[i] is not pd.NA and \
                bool(v["dominated"].iloc[i])
            c = f"C{(i + 1) % 10}"
            style = {"facecolors": "none", "edgecolors": c} if dominated else {"color": c}
            ax.scatter([rx], [ry], marker=markers[i % len(markers)], s=60, zorder=4,
                       label=name + (" (dominated)" if dominated else ""), **style)
            if annotate:
                labels.append(ax.annotate(name, (rx, ry), xytext=(5, 5), textcoords="offset points",
                                          fontsize="x-small"))
        _declutter(ax, labels)
    # objectives other than NPV are indicators summed over the horizon
    wx, wy = (words(c, sc) + ("" if c.split(":")[-1] in ("npv", "resource_cost") else ", sum over the horizon")
              for c in (xcol, ycol))
    ax.set_xlabel(_label(wx, ux))
    ax.set_ylabel(_label(wy, uy))
    ax.set_title(title if title is not None else f"Trade-off: {words(xcol, sc)} against {words(ycol, sc)}")
    ax.grid(True, alpha=0.3)
    _plain(ax)
    _legend_outside(ax)
    return ax


def plot_mga(mga, ax=None, *, title=None):
    """Near-optimal ranges of ``sc.mga()`` (an MGA or its ``ranges`` table):
    per technology, a bar from its least to its greatest share within the
    slack and a black mark at the least-cost roadmap's share; technologies
    needed in every such roadmap (``needed``) in a darker colour."""
    df = pd.DataFrame(getattr(mga, "ranges", mga))
    missing = {"technology", "min", "max", "optimum"} - set(df.columns)
    if missing:
        raise ValueError(f"plot_mga() needs the ranges of Scenario.mga(); missing {', '.join(sorted(missing))}")
    ax = _axes(ax)
    df = df.iloc[::-1]                    # the first technology on top
    y = np.arange(len(df))
    lo = df["min"].to_numpy(dtype=float) * 100
    hi = df["max"].to_numpy(dtype=float) * 100
    opt = df["optimum"].to_numpy(dtype=float) * 100
    needed = (df["needed"] == "yes").to_numpy() if "needed" in df.columns else np.zeros(len(df), bool)
    colors = np.where(needed, "tab:green", "tab:gray")
    # a bar at least 0.6 points wide so that a fixed share stays visible
    width = np.maximum(hi - lo, 0.6)
    ax.barh(y, width, left=np.minimum(lo, 100 - width), color=colors, height=0.6, alpha=0.8)
    ax.plot(opt, y, linestyle="none", marker="|", markersize=14, markeredgewidth=2.5, color="black",
            label="least cost")
    ax.set_yticks(y, list(df["technology"]))
    ax.set_xlim(-2, 102)
    year = int(df["year"].iloc[0]) if "year" in df.columns and len(df) else None
    ax.set_xlabel(f"adoption share in {year} [%]" if year else "adoption share [%]")
    slack = getattr(mga, "slack", None)
    if title is None:
        title = "Near-optimal ranges" + (f" within {slack * 100:g} % of the least cost" if slack is not None else "")
    ax.set_title(title)
    ax.grid(True, axis="x", alpha=0.3)
    _plain(ax)
    from matplotlib.patches import Patch
    handles = [Patch(color="tab:green", alpha=0.8, label="needed in every roadmap"),
               Patch(color="tab:gray", alpha=0.8, label="range")]
    handles.append(ax.get_legend_handles_labels()[0][0])
    ax.legend(handles=handles, fontsize="small", loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=3,
              frameon=False)
    return ax
