"""Readable units and words for what the figures draw.

:func:`scale_unit` is the one rule every plot uses to turn 2,357,853 t into
2.36 Mt (and the C library's ``tri_unit_scale`` in lib/svg.c applies the same
rule to the HTML report's charts): the largest magnitude on the axis chooses
a power of a thousand so that the tick labels stay below 1,000 and matplotlib
never needs an offset exponent (``1e6``) above the axis.
"""
import math

# a base unit and its thousandfold, millionfold and billionfold names
_FAMILIES = {
    "t": ("kt", "Mt", "Gt"),
    "kg": ("t", "kt", "Mt"),
    "GJ": ("TJ", "PJ", "EJ"),
    "MJ": ("GJ", "TJ", "PJ"),
    "MWh": ("GWh", "TWh", "PWh"),
    "kWh": ("MWh", "GWh", "TWh"),
    "Nm3": ("thousand Nm3", "million Nm3", "billion Nm3"),
}
_WORDS = ("thousand", "million", "billion")
_MONEY_WORDS = ("thousand", "M", "bn")
_SUBSCRIPT = {"CO2": "CO₂", "CH4": "CH₄", "N2O": "N₂O", "SO2": "SO₂", "NO2": "NO₂"}


def is_money(unit):
    """A currency code (USD2020, EUR, VND2024): three capital letters first."""
    return bool(unit) and len(unit) >= 3 and unit[:3].isalpha() and unit[:3].isupper()


def scale_unit(unit, maxabs):
    """(factor, unit name) for values up to @maxabs in @unit.

    t becomes kt, Mt or Gt; GJ TJ or PJ; MWh GWh or TWh; money (a currency
    code) thousand, M or bn; any other unit "thousand", "million" or
    "billion" before it. In a rate ("t/yr") only the part before the slash
    is scaled. Below 1,000 the unit is kept (factor 1). Multiply the values
    by the factor.
    """
    u = unit or ""
    m = abs(float(maxabs)) if maxabs is not None else 0.0
    k = int(math.floor(math.log10(m) / 3 + 1e-12)) if math.isfinite(m) and m >= 1000 else 0
    k = min(k, 3)
    if k == 0:
        return 1.0, u
    f = 10.0 ** (-3 * k)
    head, slash, tail = u.partition("/")
    if head in _FAMILIES:
        return f, _FAMILIES[head][k - 1] + slash + tail
    words = _MONEY_WORDS if is_money(head) else _WORDS
    return f, f"{words[k - 1]} {u}".strip()


def formula(species):
    """CO2 -> CO₂ (and CH4, N2O, SO2, NO2); other ids unchanged."""
    return _SUBSCRIPT.get(species, species)


def _short(name):
    """A display name up to its explanation in brackets."""
    i = name.find(" (")
    return name[:i] if i > 0 else name


def _name(sc, section, item):
    """The display name of @item of @section of scenario @sc (short form), else the id in words."""
    if sc is not None:
        try:
            path = f"{section}.{item}.name"
            if sc.has(path):
                return _short(sc.get(path).strip().strip('"'))
        except Exception:  # noqa: BLE001 -- a label is never worth an error
            pass
    return item.replace("_", " ")


_COSTS = {"total": "Total annual cost", "energy": "Energy cost", "capital": "Capital charge", "om": "O&M cost",
          "emission_tax": "Emission tax", "damage": "Damage cost"}
_TOTALS = {"npv": "NPV, private costs", "resource_cost": "Resource cost (PV)", "pv.subsidy": "Public subsidies (PV)",
           "pv.damage": "Damage cost (PV)", "investment": "Investment", "subsidy": "Public subsidies",
           "production": "Production", "capacity": "Production capacity"}


def words(indicator, sc=None):
    """What an indicator or objective is, in words: "emissions.CO2" -> "CO₂ emissions",
    "energy.total" -> "Final energy, all carriers", "npv" -> "NPV, private costs".
    @sc (a Scenario, optional) gives carriers' and declared indicators' names."""
    name = indicator.split(":", 1)[1] if indicator.startswith(("min:", "max:")) else indicator
    cum = name.startswith("cumulative.")
    if cum:
        name = name[len("cumulative."):]
    parts = name.split(".")
    if name in _TOTALS:
        w = _TOTALS[name]
    elif parts[0] == "cost" and len(parts) == 2:
        w = _COSTS.get(parts[1], f"Cost: {parts[1]}")
    elif name == "energy.total":
        w = "Final energy, all carriers"
    elif parts[0] == "energy" and len(parts) == 2:
        w = f"{_name(sc, 'carriers', parts[1])} use"
    elif parts[0] == "emissions" and len(parts) == 2:
        w = f"{formula(parts[1])} emissions"
    elif parts[0] == "intensity" and len(parts) == 3 and parts[1] == "energy":
        w = ("Final energy" if parts[2] == "total" else _name(sc, "carriers", parts[2])) + " per unit of product"
    elif parts[0] == "intensity" and len(parts) == 3 and parts[1] == "emissions":
        w = f"{formula(parts[2])} emissions per unit of product"
    elif parts[0] == "adoption" and len(parts) == 2:
        w = f"Adoption of {parts[1]}"
    elif len(parts) == 1 and sc is not None and sc.has(f"indicators.{name}"):
        w = _name(sc, "indicators", name)
        w = w[:1].upper() + w[1:]
    else:
        return indicator
    if cum:
        w = "Cumulative " + w[:1].lower() + w[1:] if not w.startswith(("CO", "NPV")) else "Cumulative " + w
    return w


def unit_of(sc, indicator):
    """The unit of an indicator or objective of scenario @sc ("" when unknown)."""
    name = indicator.split(":", 1)[1] if indicator.startswith(("min:", "max:")) else indicator
    if name.startswith("cumulative."):
        name = name[len("cumulative."):]
    parts = name.split(".")

    def get(path):
        try:
            return sc.get(path).strip().strip('"') if sc.has(path) else ""
        except Exception:  # noqa: BLE001
            return ""

    if name in ("npv", "resource_cost", "investment", "subsidy") or parts[0] in ("pv", "cost"):
        return get("currency")
    if name == "energy.total":
        return "GJ"
    if parts[0] == "energy" and len(parts) == 2:
        return get(f"carriers.{parts[1]}.unit")
    if parts[0] == "emissions" and len(parts) == 2:
        return get(f"species.{parts[1]}.unit")
    if parts[0] == "adoption":
        return "share"
    if len(parts) == 1:
        return get(f"indicators.{name}.unit")
    return ""
