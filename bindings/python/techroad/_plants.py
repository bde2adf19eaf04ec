"""Per-plant indicators rebuilt from a result (for benchmark curves).

The C API reports sector totals and the equipped capacity a[p,k,y] of each
plant; the plant-level energy and emissions follow from MODEL.md §7 with the
scenario's own numbers (read with tr_scenario_value):

    E[p,c,y] = int0[p,c]*x[p,y] + sum_k d[k,p,c]*u[p,y]*a[p,k,y]
    M[p,s,y] = sum_c ef[c,s,y]*E[p,c,y] + pe0[p,s]*x[p,y] + sum_k dpe[k,p,s]*u[p,y]*a[p,k,y]

The sum over plants is checked against the library's sector series, so a
scenario using model features this reconstruction does not know fails
loudly instead of drawing a wrong curve.
"""
import math

import numpy as np
import pandas as pd

from ._errors import ScenarioError, Status


def _num(sc, path, year, default=0.0):
    try:
        return sc.value(path, year)
    except ScenarioError as exc:
        if exc.code == Status.E_NOTFOUND:
            return default
        raise


def _effect(sc, path, base):
    """An effect given as a number or as {relative: r} (r times the baseline)."""
    try:
        return sc.value(path)
    except ScenarioError as exc:
        if exc.code == Status.E_NOTFOUND:
            return 0.0
        if exc.code == Status.E_INVAL and sc.has(path + ".relative"):
            return sc.value(path + ".relative") * base
        raise


def plant_intensity(res, indicator, year=None):
    sc = res._scenario
    years = list(res.years)
    if not res.optimal:
        raise ValueError(f"{res.scenario_name}: per-plant figures need an optimal result, "
                         f"this one is {res.status_name}")
    year = years[-1] if year is None else int(year)
    if year not in years:
        raise ValueError(f"year {year} is outside the horizon {years[0]}..{years[-1]}")
    carriers, species = sc.carriers, sc.species
    kind, _, what = indicator.partition(".")
    if kind == "energy" and what == "total":
        content = {c: _num(sc, f"carriers.{c}.energy_content", year, None) for c in carriers}
        weights = {c: v for c, v in content.items() if v is not None}
    elif kind == "energy" and what in carriers:
        weights = {what: 1.0}
    elif kind == "emissions" and what in species:
        weights = {c: _num(sc, f"carriers.{c}.emission_factors.{what}", year) for c in carriers}
    else:
        raise ValueError(f"indicator must be energy.<carrier>, energy.total or emissions.<species> "
                         f"(carriers: {', '.join(carriers)}; species: {', '.join(species)}); "
                         f"got {indicator!r}")

    plants, techs = sc.plants, sc.technologies
    a = res.equipped_by_plant()
    t = years.index(year)
    rows = []
    for p in plants:
        x = sc.value(f"plants.{p}.production", year)
        cap = sc.value(f"plants.{p}.capacity", year)
        u = x / cap if cap > 0 else 0.0
        amount = 0.0
        for c, w in weights.items():
            if w == 0.0:
                continue
            int0 = _num(sc, f"plants.{p}.intensity.{c}", year)
            e = int0 * x
            for k in techs:
                ak = a[(p, k)].iloc[t]
                if ak != 0.0:
                    e += _effect(sc, f"technologies.{k}.effects.{c}", int0) * u * ak
            amount += w * e
        if kind == "emissions":
            pe0 = _num(sc, f"plants.{p}.process_emissions.{what}", year)
            amount += pe0 * x
            for k in techs:
                ak = a[(p, k)].iloc[t]
                if ak != 0.0:
                    amount += _effect(sc, f"technologies.{k}.process_emissions.{what}", pe0) * u * ak
        rows.append({"plant": p, "production": x, "capacity": cap, "amount": amount,
                     "intensity": amount / x if x > 0 else math.nan})
    df = pd.DataFrame(rows).set_index("plant")

    sector = res.series(indicator).loc[year]
    total = float(df["amount"].sum())
    if not np.isclose(total, sector, rtol=1e-6, atol=1e-6 * max(1.0, abs(sector))):
        raise NotImplementedError(
            f"{res.scenario_name}: the per-plant {indicator} in {year} does not add up to the "
            f"sector value ({total:.6g} vs {sector:.6g}); this scenario uses model features the "
            "per-plant reconstruction does not cover (needs a per-plant result in the C API)")
    units = res.units
    df.attrs.update({"indicator": indicator, "year": year, "scenario": res.scenario_name,
                     "unit": units.get(indicator), "intensity_unit": units.get("intensity." + indicator)})
    return df
