"""compare(): differences of scenarios against a baseline, one row each."""
import math

import numpy as np
import pandas as pd

from ._common import is_a, labelled as _labelled
from ._ffi import lib


def discount_factors(res):
    """df[y] = (1 + r)^-(y - start) with the scenario's discount_rate (MODEL.md §4)."""
    r = res._scenario.value("discount_rate")
    y = np.asarray(res.years, dtype=float)
    return (1.0 + r) ** -(y - y[0])


def resource_cost(res):
    """The resource cost of an optimal result (tr_result_resource_cost, MODEL.md §11):
    the NPV of every private cost in the objective (energy, capital charge, O&M and
    §12's other production, closure and import costs) without emission taxes (a
    transfer) and without damage costs, plus public subsidies -- the one definition
    ``techroad report`` uses too. NaN unless optimal."""
    return float(lib.tr_result_resource_cost(res._p))


def cost_per_tonne(delta_cost, abated):
    """Change of resource cost per unit abated (MODEL.md §11): NaN when the
    abatement is zero to 1e-9 (a negative abatement gives the cost change per
    extra unit emitted), as in ``techroad report``."""
    return delta_cost / abated if abs(abated) > 1e-9 else math.nan


def compare(results, baseline=None, *, year=None):
    """Compare scenarios with a baseline: one row per scenario (the baseline first).

    @results is a list of Results (labelled by scenario name, repeats
    numbered) or a dict {label: Result}; @baseline defaults to the first one
    and is left out of @results if it is there too. Every row, the
    baseline's too, is labelled the same way: by scenario name for a list,
    by the dict's key for a dict (then @baseline is one of its Results or
    its label; a baseline Result outside the dict is labelled "baseline"). The index is
    named ``scenario``, the baseline's label is in ``df.attrs["baseline"]``.
    All must be optimal and cover the same years. A long frame: one row per
    scenario, one column per measure (units in ``df.attrs["units"]``):

    - ``npv``, ``delta_npv``: NPV (the model's objective: it includes emission taxes, and
      damage costs under ``objective: social``) and its increase over the baseline;
    - ``resource_cost``, ``delta_resource_cost``: the NPV of every private cost (energy,
      capital, O&M, and §12's other production, closure and import costs) without emission
      taxes (a transfer) and damage, plus public subsidies, and its increase over the baseline
      (:func:`resource_cost`; the definition ``techroad report`` uses);
    - ``delta_investment``: extra cumulative investment; ``pv_subsidy``: present value of subsidies;
    - ``energy_saved``: cumulative final energy saved over the horizon (GJ, carriers with an
      energy content), and ``energy_saved.<carrier>`` per carrier in its unit;
    - ``material_saved.<material>``: the same for each material (``kind: material``);
    - ``abated.<species>``: cumulative emissions avoided;
    - ``cost_per_t.<species>``: ``delta_resource_cost / abated`` -- the average abatement
      cost (discounted cost per undiscounted unit avoided; NaN when the abatement is zero,
      the cost change per extra unit emitted when it is negative; as in ``techroad report``);
    - with @year (e.g. 2030): ``energy_saved@<year>`` and ``abated.<species>@<year>`` in that year.
    """
    if isinstance(results, dict) and baseline is not None:
        # the user's labels: the baseline is labelled like every other row
        if isinstance(baseline, str) and baseline in results:
            baseline = results[baseline]
        elif isinstance(baseline, str):
            raise ValueError(f"baseline {baseline!r} is not a label of the results "
                             f"({', '.join(map(str, results)) or 'none'})")
        if is_a(baseline, "result"):
            keys = [k for k, r in results.items() if r is baseline]
            # outside the dict it has no label of the user's: it is "baseline", not a scenario name
            items = _labelled({(keys[0] if keys else "baseline"): baseline,
                               **{k: r for k, r in results.items() if r is not baseline}})
            baseline = None
            results = dict(items)
    if baseline is None:
        items = _labelled(results)
        if not items:
            raise ValueError("compare() needs at least one result")
        base_label, base = items[0]
        items = items[1:]
    elif is_a(baseline, "result"):
        base_label, base = baseline.scenario_name, baseline
        if isinstance(results, dict):
            results = {k: r for k, r in results.items() if r is not base}
        elif not is_a(results, "result"):
            results = [r for r in results if r is not base]
        items = _labelled(results, taken=[base_label])
    else:
        raise TypeError(f"baseline must be a techroad.Result, got {type(baseline).__name__}")
    items = [(label, r) for label, r in items if r is not base]
    everything = [(base_label, base)] + items
    for label, r in everything:
        if not r.optimal:
            raise ValueError(f"cannot compare {label!r}: its result is {r.status_name}, not optimal")
        if not np.array_equal(r.years, base.years):
            raise ValueError(f"cannot compare {label!r}: its years {r.years[0]}..{r.years[-1]} differ "
                             f"from the baseline's {base.years[0]}..{base.years[-1]}")
    if year is not None and int(year) not in base.years:
        raise ValueError(f"year {year} is outside the horizon {base.years[0]}..{base.years[-1]}")

    bt = base.totals
    tunits = bt.attrs["units"]
    carriers = [n[len("cumulative.energy."):] for n in bt.index
                if n.startswith("cumulative.energy.") and n != "cumulative.energy.total"]
    materials = [n[len("cumulative.material."):] for n in bt.index if n.startswith("cumulative.material.")]
    species = [n[len("cumulative.emissions."):] for n in bt.index if n.startswith("cumulative.emissions.")]
    money = tunits.get("npv", "")
    units = {"npv": money, "delta_npv": money, "resource_cost": money, "delta_resource_cost": money,
             "delta_investment": money, "pv_subsidy": money,
             "energy_saved": tunits.get("cumulative.energy.total", "GJ")}
    for c in carriers:
        units[f"energy_saved.{c}"] = tunits.get(f"cumulative.energy.{c}", "")
    for c in materials:
        units[f"material_saved.{c}"] = tunits.get(f"cumulative.material.{c}", "")
    for s in species:
        su = tunits.get(f"cumulative.emissions.{s}", "")
        units[f"abated.{s}"] = su
        units[f"cost_per_t.{s}"] = f"{money}/{su}" if su else money
    if year is not None:
        units[f"energy_saved@{year}"] = units["energy_saved"]
        for s in species:
            units[f"abated.{s}@{year}"] = units[f"abated.{s}"]

    def tot(t, name):
        return float(t[name]) if name in t.index else math.nan

    base_cost = resource_cost(base)
    rows = []
    for label, r in everything:
        t = r.totals
        row = {"scenario": label,
               "npv": tot(t, "npv"),
               "delta_npv": tot(t, "npv") - tot(bt, "npv"),
               "resource_cost": resource_cost(r),
               "delta_resource_cost": resource_cost(r) - base_cost,
               "delta_investment": tot(t, "cumulative.investment") - tot(bt, "cumulative.investment"),
               "pv_subsidy": tot(t, "pv.subsidy"),
               "energy_saved": tot(bt, "cumulative.energy.total") - tot(t, "cumulative.energy.total")}
        for c in carriers:
            row[f"energy_saved.{c}"] = tot(bt, f"cumulative.energy.{c}") - tot(t, f"cumulative.energy.{c}")
        for c in materials:
            row[f"material_saved.{c}"] = tot(bt, f"cumulative.material.{c}") - tot(t, f"cumulative.material.{c}")
        for s in species:
            ab = tot(bt, f"cumulative.emissions.{s}") - tot(t, f"cumulative.emissions.{s}")
            row[f"abated.{s}"] = ab
            row[f"cost_per_t.{s}"] = cost_per_tonne(row["delta_resource_cost"], ab)
        if year is not None:
            y = int(year)
            bi, ri = base.indicators, r.indicators
            row[f"energy_saved@{y}"] = (bi["energy.total"].loc[y] - ri["energy.total"].loc[y]
                                        if "energy.total" in bi else math.nan)
            for s in species:
                row[f"abated.{s}@{y}"] = bi[f"emissions.{s}"].loc[y] - ri[f"emissions.{s}"].loc[y]
        rows.append(row)
    df = pd.DataFrame(rows).set_index("scenario")
    df.attrs["units"] = units
    df.attrs["baseline"] = base_label
    return df
