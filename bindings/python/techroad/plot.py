"""Figures a roadmap report uses, drawn with matplotlib. Each function draws
on @ax (a new figure when None) and returns the Axes, so figures can be
combined and styled by the caller.

matplotlib is imported on first use: ``import techroad`` does not need it.
"""
import numpy as np
import pandas as pd

from .compare import _labelled
from .result import Result

__all__ = ["plot_paths", "plot_energy", "plot_emissions", "plot_adoption", "plot_costs",
           "plot_benchmark"]

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
    """One line per scenario of a per-year series (e.g. ``energy.total``,
    ``emissions.CO2``, ``intensity.energy.electricity``, ``cost.total``).

    @results: a Result, a list of Results or a dict {label: Result}.
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
    """Final energy per scenario and year: ``energy.<carrier>`` (default the total in GJ)."""
    kw.setdefault("title", "Final energy" if carrier == "total" else f"Energy: {carrier}")
    return plot_paths(results, f"energy.{carrier}", ax, **kw)


def plot_emissions(results, species="CO2", ax=None, **kw):
    """Emissions of @species per scenario and year."""
    kw.setdefault("title", f"{species} emissions")
    return plot_paths(results, f"emissions.{species}", ax, **kw)


def plot_adoption(result, technologies=None, ax=None, *, min_share=1e-3, percent=True, title=None):
    """Adoption S-curves: the share of the capacity each technology could
    equip that it does equip, per year. Technologies that never reach
    @min_share are left out unless named in @technologies."""
    if not isinstance(result, Result):
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
    """Cost breakdown (energy, capital charge, O&M, emission tax, damage when
    it counts). One Result: stacked bars per year with the total as a line.
    Several: one stacked bar per scenario, summed over the horizon (undiscounted).
    Components can be negative (O&M savings), so bars stack up and down from zero."""
    ax = _axes(ax)
    if isinstance(results, Result):
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
    """Benchmark curve: plants sorted from the least to the most intensive,
    each a bar as wide as its share of production, as high as its intensity;
    the production-weighted average as a dashed line, best practice (for a
    Benchmark) and an optional @target as horizontal lines.

    @data is one of

    - a :class:`techroad.Benchmark` (``res.benchmark()``): specific final
      (or, with ``basis="primary"``, primary) energy per unit in GJ against the
      scenario's best practice, in @year (default: the last benchmarked year);
    - a Result: :meth:`Result.plant_intensity` gives the per-plant @indicator
      (``energy.<carrier>``, ``energy.total``, ``emissions.<species>``) in @year;
    - a DataFrame with columns ``intensity`` and ``production`` and the plant
      names in a ``plant`` column or the index (survey data, for example).
    """
    from .benchmark import Benchmark
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
    elif isinstance(data, Result):
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
    ax.set_xlim(0, 100)
    ax.set_xlabel("cumulative share of production [%]")
    ax.set_ylabel(f"{name} [{unit}]" if unit else name)
    ax.set_title(title if title is not None else f"Benchmark: {name}")
    ax.grid(True, axis="y", alpha=0.3)
    ax.legend(fontsize="small")
    return ax
