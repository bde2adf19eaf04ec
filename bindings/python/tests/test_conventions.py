"""Conventions of the outputs (issue 18 part 3): materials, IAMC names, price
levels, relative targets, fronts on resource cost, and the Python API's
frames, labels, warnings and edits."""
import math
import warnings

import pandas as pd
import pytest
import yaml

import techroad

from conftest import SCENARIOS, TINY


@pytest.fixture(scope="module")
def cp_result():
    return techroad.load(SCENARIOS / "carbon-price.yaml").solve()


def test_materials_are_reported_apart(va_result):
    ind = va_result.indicators
    assert "material.electrodes" in ind and "material.oxygen" in ind
    assert "energy.electrodes" not in ind and "energy.oxygen" not in ind
    assert ind.attrs["units"]["material.electrodes"] == "kg"
    # energy.total sums the energy carriers only: electricity at 3.6 GJ/MWh and gas in GJ
    total = 3.6 * ind["energy.electricity"] + ind["energy.natural_gas"]
    assert ind["energy.total"].to_numpy() == pytest.approx(total.to_numpy(), rel=1e-12)
    assert va_result.totals["cumulative.material.electrodes"] == pytest.approx(ind["material.electrodes"].sum())
    with pytest.raises(techroad.ScenarioError, match='did you mean "material.electrodes"'):
        techroad.load(SCENARIOS / "bau.yaml").add_policy(
            "x", "cap", indicator="energy.electrodes", limit=1e9)


def test_iamc_names_and_sums(cp_result):
    df = cp_result.to_iamc()
    names = set(df["variable"])
    assert {"Final Energy|Electricity", "Final Energy|Gases", "Emissions|CO2", "Price|Carbon",
            "Production|Iron and Steel|Steel", "Material Use|Electrodes", "Material Use|Oxygen"} <= names
    assert not any("Final Energy|Oxygen" in n or "(" in n for n in names)
    fe = df[df["variable"].str.startswith("Final Energy")]
    assert set(fe["unit"]) == {"GJ"}
    # the children of Final Energy add up to it in every year
    for year, g in fe.groupby("year"):
        parent = g.loc[g["variable"] == "Final Energy", "value"].item()
        assert g.loc[g["variable"] != "Final Energy", "value"].sum() == pytest.approx(parent, rel=1e-9), year
    el = df[(df["variable"] == "Final Energy|Electricity") & (df["year"] == 2030)]["value"].item()
    assert el == pytest.approx(3.6 * cp_result.indicators["energy.electricity"].loc[2030], rel=1e-9)
    # adoption is a share 0-1 with the unit saying so
    ad = df[df["variable"].str.startswith("Adoption|")]
    assert set(ad["unit"]) == {"share"} and ad["value"].between(0, 1).all()


def test_price_level_is_the_value(cp_result):
    pol = cp_result.policy("co2_price")
    assert pol["value"].loc[2025] == 10 and pol["value"].loc[2030] == 40
    assert math.isnan(pol["value"].loc[2024])                      # the price starts in 2025
    df = cp_result.to_iamc()
    carbon = df[df["variable"] == "Price|Carbon"].set_index("year")["value"]
    assert carbon.loc[2030] == 40 and carbon.loc[2027] == pytest.approx(22)
    assert carbon.index.min() == 2025
    table = cp_result.to_table()
    line = next(ln for ln in table.splitlines() if ln.startswith("policy.co2_price.value"))
    assert line.split()[-1] == "40" and line.split()[-6] == "10"
    assert "USD2020 per USD2020/t" in table                      # the shadow-price unit, not cut


def test_relative_target_equals_its_absolute_form():
    rel = TINY.replace("co2: {type: cap, indicator: emissions.CO2, limit: {2021: 850}}",
                       "co2: {type: cap, indicator: emissions.CO2, reduction: {2021: 0.15}, relative_to: 2020}")
    a, r = techroad.loads(TINY).solve(), techroad.loads(rel).solve()
    # 2020 with no decisions: 1000 t at 1 MWh/t and 1 t CO2/MWh = 1000 t; -15 % = 850 t
    info = r.policy_info.loc["co2"]
    assert info["reference"] == 1000 and info["reference_year"] == 2020
    assert math.isnan(a.policy_info.loc["co2", "reference"])
    assert r.npv == a.npv
    pd.testing.assert_frame_equal(r.indicators, a.indicators)
    assert r.policy("co2")["limit"].loc[2022] == 850
    assert r.to_dict()["policies"]["co2"]["reference"] == 1000
    assert "co2: limit = (1 - reduction) x reference 1000 t" in r.to_table()
    with pytest.raises(techroad.ScenarioError, match="not both"):
        techroad.loads(rel.replace("reduction:", "limit: 1, reduction:"))


def test_pareto_on_resource_cost_when_taxes_differ(bau, cp_result, va_result):
    front = bau.pareto(points=2, place={"carbon price": cp_result, "VA": va_result}, progress=False)
    assert front._x == "resource_cost"
    v = front.variants.set_index("variant")
    # the carbon price's resource cost leaves its tax out: NPV - PV(tax)
    assert v.loc["carbon price", "resource_cost"] == pytest.approx(
        cp_result.npv - cp_result.totals["pv.emission_tax"], rel=1e-9)
    assert v.loc["carbon price", "dominated"] == 0
    same = bau.pareto(points=2, place=[va_result], progress=False)
    assert same._x == "npv"


def test_compare_labels_every_row_alike(bau_result, va_result):
    df = techroad.compare({"BAU": bau_result, "VA": va_result}, baseline="BAU")
    assert list(df.index) == ["BAU", "VA"] and df.attrs["baseline"] == "BAU"
    df = techroad.compare({"VA": va_result, "BAU": bau_result}, baseline=bau_result)
    assert list(df.index) == ["BAU", "VA"]
    df = techroad.compare({"VA": va_result}, baseline=bau_result)   # outside the dict: no scenario name
    assert list(df.index) == ["baseline", "VA"]
    with pytest.raises(ValueError, match="not a label of the results"):
        techroad.compare({"VA": va_result}, baseline="BAU")


def test_unsolved_result_warns(infeasible_result):
    with pytest.warns(techroad.UnsolvedWarning, match="cannot be met"):
        df = infeasible_result.indicators
    assert df.empty
    with pytest.warns(techroad.UnsolvedWarning, match="infeasible"):
        infeasible_result.adoption


def test_set_misspelt_item_and_default_values():
    sc = techroad.loads(TINY)
    with pytest.raises(techroad.ScenarioError, match='unknown carrier "electricty"; did you mean "electricity"'):
        sc.set("carriers.electricty.price", 90)
    assert "electricty" not in sc.carriers
    sc.set("carriers.hydrogen", {"unit": "GJ", "price": 30})   # a whole new item is fine
    assert "hydrogen" in sc.carriers
    assert sc.value("technologies.eff.hurdle_rate") == 0.1      # default: the discount rate
    assert sc.value("technologies.eff.fixed_om") == 0
    assert sc.value("technologies.eff.max_uptake") == 0.5       # given
    assert sc.value("plants.p1.intensity.hydrogen") == 0        # not listed: none
    with pytest.raises(techroad.ScenarioError):
        sc.value("technologies.eff.no_such_field")


def test_to_yaml_keeps_extends(tmp_path):
    sc = techroad.load(SCENARIOS / "carbon-price.yaml")
    text = sc.to_yaml(flatten=False)
    doc = yaml.safe_load(text)
    assert doc["extends"] == "base.yaml" and list(doc) == ["format", "extends", "name", "description", "policies"]
    assert len(text.splitlines()) < 30 < len(sc.to_yaml().splitlines())
    again = techroad.loads(text, base_dir=SCENARIOS)
    assert yaml.safe_load(again.to_yaml()) == yaml.safe_load(sc.to_yaml())
    # an edit is part of the variant; written elsewhere, extends points back
    sc.set("carriers.electricity.price", 99)
    out = tmp_path / "mine.yaml"
    sc.to_yaml(out, flatten=False)
    doc = yaml.safe_load(out.read_text())
    assert doc["carriers"] == {"electricity": {"price": 99}}
    assert techroad.load(out).value("carriers.electricity.price", 2030) == 99
    assert techroad.loads(TINY).to_yaml(flatten=False) == techroad.loads(TINY).to_yaml()   # extends nothing


def test_to_pyam(cp_result):
    pyam = pytest.importorskip("pyam")
    df = cp_result.to_pyam()
    assert isinstance(df, pyam.IamDataFrame)
    assert df.check_aggregate("Final Energy") is None

