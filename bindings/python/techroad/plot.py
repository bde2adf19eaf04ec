"""Figures a roadmap report uses, drawn with matplotlib. Each function draws
on @ax (a new figure when None) and returns the Axes, so figures can be
combined and styled by the caller.

matplotlib is imported on first use: ``import techroad`` does not need it.
"""
import numpy as np
import pandas as pd

from ._common import is_a, labelled as _labelled
from .analysis import MACC, Front, MonteCarlo
from .benchmark import Benchmark

__all__ = ["plot_paths", "plot_energy", "plot_emissions", "plot_adoption", "plot_costs",
           "plot_benchmark", "plot_macc", "plot_fan", "plot_tornado", "plot_front", "plot_mga"]

_COST_PARTS = ("energy", "capital", "om", "emission_tax", "damage")
_COST_LABELS = {"energy": "energy", "capital": "capital charge", "om": "O&M",
                "emission_tax": "emission tax", "damage": "damage"}


def _axes(ax):
    if ax is None:
        import matplotlib.pyplot as plt
        _, ax = plt.subplots(figsize=(7, 4), layout="constrained")
    return ax


def _years_axis(ax, years):
    years = list(years)
    step = 1 if len(years) <= 12 else max(1, len(years) // 10)
    ax.set_xticks(years[::step])
    ax.set_xlabel("year")


def plot_paths(results, indicator="energy.total", ax=None, *, title=None, **line_kw):
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
    **line_kw
        Passed to ``Axes.plot``.

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = _axes(ax)
    unit = None
    years = None
    for label, r in _labelled(results):
        s = r.series(indicator)
        unit = s.attrs.get("unit", unit)
        years = s.index
        ax.plot(s.index, s.values, marker="o", markersize=3, label=label, **line_kw)
    ax.set_ylabel(f"{indicator} [{unit}]" if unit else indicator)
    ax.set_title(title if title is not None else indicator)
    if years is not None:
        _years_axis(ax, years)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize="small")
    return ax


def plot_energy(results, carrier="total", ax=None, **kw):
    """Final energy per scenario and year (:func:`plot_paths` of ``energy.<carrier>``).

    Parameters
    ----------
    results : Result, list of Result or dict
        As for :func:`plot_paths`.
    carrier : str, default "total"
        A carrier, or "total" (GJ).
    ax : matplotlib.axes.Axes, optional
    **kw
        Passed to :func:`plot_paths`.

    Returns
    -------
    matplotlib.axes.Axes
    """
    kw.setdefault("title", "Final energy" if carrier == "total" else f"Energy: {carrier}")
    return plot_paths(results, f"energy.{carrier}", ax, **kw)


def plot_emissions(results, species="CO2", ax=None, **kw):
    """Emissions per scenario and year (:func:`plot_paths` of ``emissions.<species>``);
    the same parameters as :func:`plot_energy`, with @species (default "CO2") for @carrier."""
    kw.setdefault("title", f"{species} emissions")
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
    # More than ten curves: tab20 colours and alternating line styles keep them apart.
    import matplotlib
    cmap = matplotlib.colormaps["tab10" if len(cols) <= 10 else "tab20"]
    for i, c in enumerate(cols):
        ax.plot(df.index, df[c] * scale, marker="o", markersize=3, label=c, color=cmap(i % cmap.N),
                linestyle="-" if i % 2 == 0 or len(cols) <= 10 else "--")
    ax.set_ylabel("adoption [%]" if percent else "adoption [share]")
    ax.set_ylim(-0.02 * scale, 1.02 * scale)
    ax.set_title(title if title is not None else f"Adoption: {result.scenario_name}")
    _years_axis(ax, df.index)
    ax.grid(True, alpha=0.3)
    if cols:
        ax.legend(fontsize="x-small", loc="center left", bbox_to_anchor=(1.0, 0.5))
    return ax


def _cost_parts(ind):
    """The cost components that add up to cost.total (damage only under objective: social)."""
    parts = [p for p in _COST_PARTS if f"cost.{p}" in ind]
    without = [p for p in parts if p != "damage"]
    if "damage" in parts and np.allclose(ind[[f"cost.{p}" for p in without]].sum(axis=1),
                                          ind["cost.total"], rtol=1e-9, atol=1e-6):
        parts = without
    return parts


def plot_costs(results, ax=None, *, title=None):
    """Cost breakdown: energy, capital charge, O&M, emission tax, and damage when it counts.

    One Result: stacked bars per year with the total as a line. Several: one
    stacked bar per scenario, summed over the horizon (undiscounted).
    Components can be negative (O&M savings), so bars stack up and down from
    zero.

    Parameters
    ----------
    results : Result, list of Result or dict
    ax : matplotlib.axes.Axes, optional
        Draw here (default: a new figure).
    title : str, optional
        Default: a title naming what is drawn.
    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = _axes(ax)
    if is_a(results, "result"):
        r = results
        ind = r.indicators
        parts = _cost_parts(ind)
        frame = pd.DataFrame({_COST_LABELS[p]: ind[f"cost.{p}"] for p in parts})
        x = np.asarray(ind.index)
        _stacked(ax, x, frame)
        ax.plot(x, ind["cost.total"], color="black", marker="o", markersize=3, label="total")
        unit = r.units.get("cost.total", "")
        ax.set_title(title if title is not None else f"Annual cost: {r.scenario_name}")
        _years_axis(ax, x)
    else:
        per_scenario, unit = {}, ""
        for label, r in _labelled(results):
            ind = r.indicators
            unit = r.units.get("cost.total", unit)
            per_scenario[label] = {_COST_LABELS[p]: float(ind[f"cost.{p}"].sum()) for p in _cost_parts(ind)}
        frame = pd.DataFrame.from_dict(per_scenario, orient="index").fillna(0.0)
        frame = frame[[_COST_LABELS[p] for p in _COST_PARTS if _COST_LABELS[p] in frame.columns]]
        x = np.arange(len(frame))
        _stacked(ax, x, frame)
        ax.set_xticks(x, list(frame.index), rotation=20, ha="right")
        ax.set_title(title if title is not None else "Cost over the horizon (undiscounted)")
    ax.set_ylabel(f"cost [{unit}]" if unit else "cost")
    ax.axhline(0, color="black", linewidth=0.6)
    ax.grid(True, axis="y", alpha=0.3)
    ax.legend(fontsize="small")
    return ax


def _stacked(ax, x, frame):
    pos = np.zeros(len(frame))
    neg = np.zeros(len(frame))
    for col in frame.columns:
        v = np.asarray(frame[col], dtype=float)
        if not np.any(v):
            continue
        bottom = np.where(v >= 0, pos, neg)
        ax.bar(x, v, bottom=bottom, label=col, width=0.7)
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
        name = f"{basis} energy"
    elif is_a(data, "result"):
        df = data.plant_intensity(indicator, year)
        unit = unit or df.attrs.get("intensity_unit")
        label = f"{data.scenario_name}, {df.attrs['year']}"
        name = f"{indicator} intensity"
    else:
        df = pd.DataFrame(data)
        if "plant" in df.columns:
            df = df.set_index("plant")
        missing = {"intensity", "production"} - set(df.columns)
        if missing:
            raise ValueError(f"benchmark data needs columns intensity and production; missing "
                             f"{', '.join(sorted(missing))}")
        label = None
        name = f"{df.attrs['indicator']} intensity" if "indicator" in df.attrs else "intensity"
        unit = unit or df.attrs.get("intensity_unit")
    df = df[df["production"] > 0].sort_values("intensity", kind="stable")
    prod = df["production"].to_numpy(dtype=float)
    inten = df["intensity"].to_numpy(dtype=float)
    share = 100.0 * prod / prod.sum() if prod.sum() > 0 else prod
    left = np.concatenate([[0.0], np.cumsum(share)[:-1]])
    ax.bar(left, inten, width=share, align="edge", edgecolor="white", linewidth=0.8,
           label=label or "plants")
    if annotate:
        for x0, w, h, n in zip(left, share, inten, df.index):
            ax.annotate(str(n), (x0 + w / 2, h), ha="center", va="bottom", fontsize="x-small",
                        xytext=(0, 2), textcoords="offset points")
    avg = float((prod * inten).sum() / prod.sum()) if prod.sum() > 0 else float("nan")
    ax.axhline(avg, color="black", linestyle="--", linewidth=1, label=f"average {avg:.3g}")
    if best is not None:
        ax.axhline(best, color="tab:green", linewidth=1.2, label=f"best practice {best:.3g}")
    if target is not None:
        ax.axhline(float(target), color="tab:red", linewidth=1.2, label=f"target {float(target):.3g}")
    ax.set_xlim(-2, 102)
    ax.set_xlabel("cumulative share of production [%]")
    ax.set_ylabel(f"{name} [{unit}]" if unit else name)
    ax.set_title(title if title is not None else f"Benchmark: {name}")
    ax.grid(True, axis="y", alpha=0.3)
    ax.legend(fontsize="small")
    return ax


# ------------------------------------------------------------------ analyses

def plot_macc(macc, kind="measure", ax=None, *, title=None, annotate=True):
    """Marginal abatement cost curve.

    One bar per measure (``kind="measure"``) or per step of the tightened cap
    (``kind="model"``), as wide as what it avoids and as high as its cost per
    unit avoided, side by side from the cheapest to the dearest (savings below
    zero in green).

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
        Name the measures on their bars.

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
        if "cost_per_unit_avoided" in df.columns:
            kind = "measure"
        elif "step_cost" in df.columns:
            kind = "model"
        else:
            raise ValueError("plot_macc() needs a techroad.MACC, or a table with cost_per_unit_avoided "
                             "(measures) or step_cost (model steps)")
    ax = _axes(ax)
    if kind == "measure":
        d = df[np.isfinite(df["cost_per_unit_avoided"].astype(float)) & (df["avoided"].astype(float) > 0)]
        d = d.sort_values("cost_per_unit_avoided", kind="stable")
        width = d["avoided"].to_numpy(dtype=float)
        height = d["cost_per_unit_avoided"].to_numpy(dtype=float)
        names = list(d["technology"])
    else:
        d = df.sort_values("step", kind="stable")
        ab = d["abatement"].to_numpy(dtype=float)
        width = np.diff(ab, prepend=0.0) if len(ab) else ab
        height = d["step_cost"].to_numpy(dtype=float)
        keep = np.isfinite(height) & (width > 0)
        names = [f"step {int(s)}" for s in d["step"][keep]]
        width, height = width[keep], height[keep]
        order = np.argsort(height, kind="stable")
        width, height, names = width[order], height[order], [names[i] for i in order]
    left = np.concatenate([[0.0], np.cumsum(width)[:-1]])
    colors = ["tab:green" if h < 0 else "tab:blue" for h in height]
    ax.bar(left, height, width=width, align="edge", color=colors, edgecolor="white", linewidth=0.8,
           label="measures" if kind == "measure" else "model steps")
    if annotate and len(height):
        # names above each bar (above the zero line for savings), rotated; room made for them on top
        for x0, w, h, n in zip(left, width, height, names):
            ax.annotate(n, (x0 + w / 2, max(h, 0.0)), ha="center", va="bottom", fontsize="x-small",
                        xytext=(0, 2), textcoords="offset points", rotation=90)
        lo, hi = min(0.0, float(height.min())), max(0.0, float(height.max()))
        ax.set_ylim(lo - 0.05 * (hi - lo or 1), hi + 0.55 * (hi - lo or 1))
    ax.axhline(0, color="black", linewidth=0.6)
    attrs = df.attrs
    species, unit, cur = attrs.get("species", ""), attrs.get("unit", ""), attrs.get("currency", "")
    ax.set_xlabel(f"{species} avoided [{unit}]" if unit else f"{species} avoided".strip())
    ax.set_ylabel(f"cost per {unit or 'unit'} avoided" + (f" [{cur}/{unit}]" if cur and unit else ""))
    if title is None:
        title = f"MACC ({'measures' if kind == 'measure' else 'model'})"
        if species:
            title += f": {species}, {attrs.get('year', '')}"
    ax.set_title(title)
    ax.set_xlim(0, max(float(width.sum()), 1e-12))
    ax.grid(True, axis="y", alpha=0.3)
    return ax


def plot_fan(mc, indicator, ax=None, *, title=None, color="tab:blue"):
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
    color : str, default "tab:blue"

    Returns
    -------
    matplotlib.axes.Axes
    """
    if isinstance(mc, MonteCarlo):
        d = mc.indicator(indicator)
    else:
        d = pd.DataFrame(mc)
        if "indicator" in d.columns:
            d = d[d["indicator"] == indicator].set_index("year")
            if d.empty:
                raise ValueError(f"no indicator {indicator!r} in the percentiles table")
        missing = {"p5", "p25", "p50", "p75", "p95"} - set(d.columns)
        if missing:
            raise ValueError(f"plot_fan() needs columns p5, p25, p50, p75, p95; missing {', '.join(sorted(missing))}")
    ax = _axes(ax)
    x = np.asarray(d.index)
    ax.fill_between(x, d["p5"], d["p95"], color=color, alpha=0.18, linewidth=0, label="5–95 %")
    ax.fill_between(x, d["p25"], d["p75"], color=color, alpha=0.38, linewidth=0, label="25–75 %")
    ax.plot(x, d["p50"], color=color, marker="o", markersize=3, label="median")
    if "mean" in d.columns:
        ax.plot(x, d["mean"], color=color, linestyle="--", linewidth=1, label="mean")
    ax.set_ylabel(indicator)
    ax.set_title(title if title is not None else f"{indicator}: Monte Carlo")
    _years_axis(ax, x)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize="small")
    return ax


def plot_tornado(tornado, ax=None, *, title=None, annotate=True):
    """Tornado chart of :meth:`Scenario.tornado`.

    Per parameter, the output at its 5th percentile (blue) and 95th (orange)
    against the base (all at their medians), the largest swing on top.

    Parameters
    ----------
    tornado : pandas.DataFrame
        The table of :meth:`Scenario.tornado`.
    ax : matplotlib.axes.Axes, optional
        Draw here (default: a new figure).
    title : str, optional
        Default: a title naming what is drawn.
    annotate : bool, default True

    Returns
    -------
    matplotlib.axes.Axes
    """
    df = pd.DataFrame(tornado)
    missing = {"parameter", "low", "high", "output_low", "output_high", "output_base"} - set(df.columns)
    if missing:
        raise ValueError(f"plot_tornado() needs the table of Scenario.tornado(); missing {', '.join(sorted(missing))}")
    ax = _axes(ax)
    df = df.iloc[::-1]                    # largest swing (first row) at the top
    y = np.arange(len(df))
    base = df["output_base"].to_numpy(dtype=float)
    lo = df["output_low"].to_numpy(dtype=float)
    hi = df["output_high"].to_numpy(dtype=float)
    ax.barh(y, lo - base, left=base, color="tab:blue", height=0.6, label="parameter at 5th percentile")
    ax.barh(y, hi - base, left=base, color="tab:orange", height=0.6, label="parameter at 95th percentile")
    if len(base):
        ax.axvline(base[0], color="black", linewidth=0.8)
    ax.set_yticks(y, list(df["parameter"]))
    if annotate:
        for yi, l0, h0, vl, vh in zip(y, lo, hi, df["low"], df["high"]):
            ax.annotate(f"{vl:.3g}", (l0, yi), ha="right" if l0 <= h0 else "left", va="center", fontsize="x-small",
                        xytext=(-3 if l0 <= h0 else 3, 0), textcoords="offset points")
            ax.annotate(f"{vh:.3g}", (h0, yi), ha="left" if h0 >= l0 else "right", va="center", fontsize="x-small",
                        xytext=(3 if h0 >= l0 else -3, 0), textcoords="offset points")
    out = df["output"].iloc[0] if "output" in df.columns and len(df) else "output"
    ax.set_xlabel(out)
    ax.set_title(title if title is not None else f"Tornado: {out}")
    ax.grid(True, axis="x", alpha=0.3)
    ax.legend(fontsize="small")
    return ax


def plot_front(front, variants=None, ax=None, *, title=None, annotate=True):
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

    Returns
    -------
    matplotlib.axes.Axes
    """
    if isinstance(front, Front):
        df = front.front
        if variants is None:
            variants = front.variants
    else:
        df = pd.DataFrame(front)
        if not {"point", "dominated"} <= set(df.columns) or len(df.columns) < 3:
            raise ValueError("plot_front() needs a techroad.Front or its front table")
    xcol, ycol = df.columns[1], df.columns[2]
    ax = _axes(ax)
    d = df.sort_values("point", kind="stable")
    ax.plot(d[xcol], d[ycol], color="tab:blue", linewidth=1.2, label="front")
    dom = d["dominated"].astype(bool).to_numpy()
    ax.scatter(d[xcol][~dom], d[ycol][~dom], color="tab:blue", zorder=3, label="non-dominated")
    if dom.any():
        ax.scatter(d[xcol][dom], d[ycol][dom], color="grey", marker="x", zorder=3, label="dominated")
    if variants is not None and len(variants):
        v = pd.DataFrame(variants)
        markers = "Ds^vP*<>ph"
        for i in range(len(v)):
            rx, ry = float(v.iloc[i, 1]), float(v.iloc[i, 2])
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
                ax.annotate(name, (rx, ry), xytext=(5, 5), textcoords="offset points", fontsize="x-small")
    ax.set_xlabel(xcol)
    ax.set_ylabel(ycol)
    ax.set_title(title if title is not None else f"Trade-off: {xcol} vs {ycol}")
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize="small")
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
    ax.set_xlabel(f"adoption share in {year} (%)" if year else "adoption share (%)")
    slack = getattr(mga, "slack", None)
    if title is None:
        title = "Near-optimal ranges" + (f" within {slack * 100:g} % of the least cost" if slack is not None else "")
    ax.set_title(title)
    ax.grid(True, axis="x", alpha=0.3)
    from matplotlib.patches import Patch
    handles = [Patch(color="tab:green", alpha=0.8, label="needed in every roadmap"),
               Patch(color="tab:gray", alpha=0.8, label="range")]
    handles.append(ax.get_legend_handles_labels()[0][0])
    ax.legend(handles=handles, fontsize="small", loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=3,
              frameon=False)
    return ax
