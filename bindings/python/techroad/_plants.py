"""Per-plant indicators of a result (for benchmark curves), read from the
library: tr_result_plant_series computes them once, from the solution
(MODEL.md §7 for one plant, with the solved production and equipped
capacity), so they add up to the sector series."""
import math

import numpy as np
import pandas as pd

from ._errors import check
from ._ffi import ffi, lib, to_bytes


def plant_series(res, plant_index, what):
    """One per-plant series (tr_result_plant_series) as a numpy array over the years."""
    n = lib.tr_result_year_count(res._p)
    out = np.empty(n, dtype=np.float64)
    check(lib.tr_result_plant_series(res._p, plant_index, to_bytes(what, "what"),
                                     ffi.from_buffer("double[]", out, require_writable=True), n))
    return out


def plant_intensity(res, indicator, year=None):
    sc = res._scenario
    years = list(res.years)
    if not res.optimal:
        raise ValueError(f"{res.scenario_name}: per-plant figures need an optimal result, "
                         f"this one is {res.status_name}")
    year = years[-1] if year is None else int(year)
    if year not in years:
        raise ValueError(f"year {year} is outside the horizon {years[0]}..{years[-1]}")
    kind, _, what = indicator.partition(".")
    names = [n for n in res.units if n.split(".")[0] in ("energy", "material", "emissions")]
    if kind not in ("energy", "material", "emissions") or indicator not in names:
        other = {"energy": "material", "material": "energy"}.get(kind)
        hint = f"; did you mean {other}.{what!s}?" if other and f"{other}.{what}" in names else ""
        raise ValueError(f"indicator must be energy.<carrier>, material.<material>, energy.total or "
                         f"emissions.<species> ({', '.join(names)}); got {indicator!r}{hint}")
    t = years.index(year)
    rows = []
    for i, p in enumerate(sc.plants):
        x = plant_series(res, i, "production")[t]
        rows.append({"plant": p, "production": x, "capacity": plant_series(res, i, "capacity")[t],
                     "amount": plant_series(res, i, indicator)[t],
                     "intensity": plant_series(res, i, "intensity." + indicator)[t] if x > 0 else math.nan})
    df = pd.DataFrame(rows).set_index("plant")
    units = res.units
    df.attrs.update({"indicator": indicator, "year": year, "scenario": res.scenario_name,
                     "unit": units.get(indicator), "intensity_unit": units.get("intensity." + indicator)})
    return df
