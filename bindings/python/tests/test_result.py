"""Result: every accessor, and the numbers against the CLI's JSON."""
import json
import math
import subprocess

import numpy as np
import pandas as pd
import pytest

import techroad
from conftest import SCENARIOS, VARIANTS


def _cli_json(cli, path, expect_rc=0):
    p = subprocess.run([cli, "run", str(path), "--format", "json"], capture_output=True, text=True)
    assert p.returncode == expect_rc, p.stderr
    return p.stdout, json.loads(p.stdout)


def _arr(values):
    return np.array([math.nan if v is None else float(v) for v in values])


def _assert_matches_cli_json(res, doc):
    """Every number the Python layer exposes equals the CLI's JSON (15 digits)."""
    close = dict(rtol=1e-13, atol=0, equal_nan=True)
    assert res.status_name == doc["status"]
    assert res.scenario_name == doc["scenario"]
    assert list(res.years) == doc["years"]
    if doc["npv"] is None:
        assert math.isnan(res.npv)
    else:
        assert res.npv == pytest.approx(doc["npv"], rel=1e-13)
    ind = res.indicators
    assert sorted(ind.columns) == sorted(doc["indicators"])
    for name, values in doc["indicators"].items():
        np.testing.assert_allclose(ind[name].to_numpy(), _arr(values), **close, err_msg=name)
        assert ind.attrs["units"][name] == doc["units"][name]
    assert list(res.adoption.columns) == list(doc["adoption"])
    for tech, values in doc["adoption"].items():
        np.testing.assert_allclose(res.adoption[tech].to_numpy(), _arr(values), **close, err_msg=tech)
    for tech, values in doc["equipped"].items():
        np.testing.assert_allclose(res.equipped[tech].to_numpy(), _arr(values), **close, err_msg=tech)
    pol = res.policies
    # Without a solution the JSON keeps each policy's type/indicator/unit but no series.
    with_series = {pid: f for pid, f in doc["policies"].items() if "binding" in f}
    assert list(dict.fromkeys(pol.columns.get_level_values(0))) == list(with_series)
    for pid, fields in with_series.items():
        for field in ("shadow_price", "value", "limit"):
            np.testing.assert_allclose(pol[(pid, field)].to_numpy(dtype=float), _arr(fields[field]), **close,
                                       err_msg=f"{pid}.{field}")
        got = [None if v is pd.NA else bool(v) for v in pol[(pid, "binding")]]
        assert got == fields["binding"], pid
        assert pol.attrs["units"][(pid, "shadow_price")] == fields["shadow_price_unit"]
    tot = res.totals
    assert list(tot.index) == list(doc["totals"])
    for name, value in doc["totals"].items():
        assert tot[name] == pytest.approx(value, rel=1e-13, abs=1e-300), name
        assert tot.attrs["units"][name] == doc["total_units"][name]
    diag = res.diagnosis
    assert len(diag) == len(doc["diagnosis"])
    for row, d in zip(diag.to_dict("records"), doc["diagnosis"]):
        for key, value in d.items():
            if key in row:
                if isinstance(value, float):
                    assert row[key] == pytest.approx(value, rel=1e-13), key
                else:
                    assert row[key] == value, key
    assert res.scenario_sha256 == doc["provenance"]["scenario_sha256"]


@pytest.mark.parametrize("variant", VARIANTS)
def test_numbers_match_the_cli_json(cli, variant):
    text, doc = _cli_json(cli, SCENARIOS / f"{variant}.yaml")
    res = techroad.load(SCENARIOS / f"{variant}.yaml").solve()
    assert res.optimal
    assert res.to_json() == text                   # the same bytes, too
    assert res.to_dict() == doc
    _assert_matches_cli_json(res, doc)


def test_infeasible_numbers_match_the_cli_json(cli, infeasible_result, tmp_path):
    path = tmp_path / "tight.yaml"
    infeasible_result.scenario.to_yaml(path)
    text, doc = _cli_json(cli, path, expect_rc=1)
    assert doc["status"] == "infeasible" and doc["diagnosis"]
    _assert_matches_cli_json(infeasible_result, doc)


def test_status_and_scalars(va_result, cli):
    r = va_result
    _, doc = _cli_json(cli, SCENARIOS / "voluntary-agreement.yaml")
    assert r.status is techroad.SolStatus.OPTIMAL and str(r.status) == "optimal"
    assert r.status_name == "optimal" and r.optimal
    assert r.npv == pytest.approx(doc["npv"], rel=1e-13) and r.npv > 0
    assert r.scenario_name == "vn-eaf-va"
    assert len(r.scenario_sha256) == 64
    assert r.years.dtype == np.int64 and list(r.years) == list(range(2020, 2031))
    assert not r.years.flags.writeable


def test_npv_is_the_discounted_total_cost(va_result):
    df = (1.06) ** -(va_result.years - 2020.0)
    assert float(np.sum(df * va_result.indicators["cost.total"])) == pytest.approx(va_result.npv, rel=1e-9)


def test_series_access(va_result):
    names = va_result.series_names
    assert "emissions.CO2" in names and "adoption.foamy_slag" in names and "policy.va_co2.binding" in names
    s = va_result.series("emissions.CO2")
    assert isinstance(s, pd.Series) and s.name == "emissions.CO2" and s.attrs["unit"] == "t"
    assert s.index.name == "year" and list(s.index) == list(range(2020, 2031))
    s.iloc[0] = -1                                   # a copy: the result is unchanged
    assert va_result.series("emissions.CO2").iloc[0] > 0
    assert va_result.units["intensity.emissions.CO2"] == "t/t"
    with pytest.raises(techroad.ScenarioError, match="nope"):
        va_result.series("nope")


def test_frames(va_result):
    ind = va_result.indicators
    assert ind.index.name == "year" and list(ind.index) == list(range(2020, 2031))
    assert not any(c.startswith(("adoption.", "equipped.", "policy.")) for c in ind.columns)
    for c in ["production", "capacity", "energy.total", "emissions.CO2", "cost.total", "investment", "subsidy"]:
        assert c in ind.columns
    ad = va_result.adoption
    assert list(ad.columns) == va_result.scenario.technologies
    assert ((ad >= -1e-12) & (ad <= 1 + 1e-9)).all().all()
    assert ad.attrs["units"]["foamy_slag"] == "share"
    eq = va_result.equipped
    assert list(eq.columns) == list(ad.columns) and eq.attrs["units"]["foamy_slag"] == "t/yr"


def test_policies_frame(va_result):
    pol = va_result.policies
    assert pol.columns.names == ["policy", "field"]
    assert set(pol.columns.get_level_values(1)) == {"binding", "shadow_price", "value", "limit"}
    va = pol["va_electricity"]
    assert va["binding"].dtype == "boolean"
    assert va["binding"].isna().sum() == 5          # does not apply before 2025
    assert math.isnan(va["shadow_price"].loc[2020])
    # binding means the value sits at the limit; a row that does not bind has no price
    applies = va["binding"].notna()
    at_limit = np.isclose(va["value"], va["limit"], rtol=1e-6)
    assert (va["binding"][applies].to_numpy(dtype=bool) == at_limit[applies.to_numpy()]).all()
    assert (va["shadow_price"][applies & ~va["binding"].fillna(False)] == 0).all()
    assert (va["shadow_price"][applies] >= 0).all()
    one = va_result.policy("va_co2")
    assert list(one.columns) == ["binding", "shadow_price", "value", "limit"]
    assert one.attrs["units"]["shadow_price"] == "USD2020/t"
    assert (one["value"].dropna() <= one["limit"].dropna() + 1e-9).all()
    with pytest.raises(techroad.ScenarioError, match="va_electricity, va_co2"):
        va_result.policy("nope")


def test_policies_without_rows_and_without_policies(bau_result, scen_dir):
    assert bau_result.policies.shape == (11, 0)
    cp = techroad.load(scen_dir / "carbon-price.yaml").solve().policies
    pid = cp.columns.get_level_values(0)[0]
    assert cp[(pid, "binding")].isna().all()        # a price has no row: binding is null
    assert cp[(pid, "limit")].loc[2030] == pytest.approx(40)


def test_totals(va_result):
    t = va_result.totals
    assert t.name == "vn-eaf-va"
    assert t["npv"] == pytest.approx(va_result.npv)
    assert t["cumulative.emissions.CO2"] == pytest.approx(va_result.indicators["emissions.CO2"].sum(), rel=1e-9)
    assert t.attrs["units"]["cumulative.emissions.CO2"] == "t"


def test_diagnosis_of_an_infeasible_scenario(infeasible_result):
    r = infeasible_result
    assert r.status is techroad.SolStatus.INFEASIBLE and not r.optimal
    assert math.isnan(r.npv)
    with pytest.warns(techroad.UnsolvedWarning, match="co2_cap cannot be met"):
        assert r.series_names == [] and r.indicators.shape[1] == 0
    d = r.diagnosis
    assert list(d.columns) == ["policy", "year", "indicator", "unit", "reachable", "limit", "message"]
    assert len(d) > 0 and set(d["policy"]) == {"co2_cap"}
    assert (d["reachable"] > d["limit"]).all()
    assert d["message"].str.contains("co2_cap cannot be met").all()
    assert "infeasible" in repr(r) and "co2_cap" in r._repr_html_()
    assert list(r.summary().columns) == ["policy", "year", "message"]
    with pytest.raises(ValueError, match="optimal"):
        r.plant_intensity("emissions.CO2")


def test_diagnosis_empty_when_optimal(va_result):
    d = va_result.diagnosis
    assert d.empty and list(d.columns)[0] == "policy"


def test_raise_on_infeasible(infeasible_result):
    sc = infeasible_result.scenario
    with pytest.raises(techroad.InfeasibleError, match="co2_cap cannot be met") as ei:
        sc.solve(raise_on_infeasible=True)
    assert ei.value.result.status is techroad.SolStatus.INFEASIBLE
    assert ei.value.code is None and "more in .result.diagnosis" in str(ei.value)
    assert sc.solve(raise_on_infeasible=False).status_name == "infeasible"


def test_per_plant_capacity(va_result):
    eq = va_result.equipped_by_plant()
    assert eq.columns.names == ["plant", "technology"]
    assert eq.shape == (11, 14 * 15)
    summed = eq.T.groupby(level="technology").sum().T
    for tech in va_result.adoption.columns:
        np.testing.assert_allclose(summed[tech], va_result.equipped[tech], rtol=1e-9, atol=1e-6)
    one = va_result.equipped_by_plant("small_eaf_old", "foamy_slag")
    assert one.shape == (11, 1)
    inst = va_result.installed_by_plant(["pomina_3", "shengli"], ["foamy_slag", "uhp_upgrade"])
    assert inst.shape == (11, 4) and (inst.to_numpy() >= -1e-9).all()
    with pytest.raises(techroad.ScenarioError, match="unknown plant"):
        va_result.equipped_by_plant("nope")
    with pytest.raises(techroad.ScenarioError, match="unknown technology"):
        va_result.installed_by_plant(technology="nope")


@pytest.mark.parametrize("indicator", ["energy.electricity", "energy.total", "emissions.CO2", "material.oxygen"])
@pytest.mark.parametrize("year", [2020, 2025, None])
def test_plant_intensity_adds_up_to_the_sector(va_result, indicator, year):
    df = va_result.plant_intensity(indicator, year)
    y = 2030 if year is None else year
    assert list(df.index) == va_result.scenario.plants
    assert df.attrs["year"] == y and df.attrs["indicator"] == indicator
    ind = va_result.indicators
    assert df["amount"].sum() == pytest.approx(ind[indicator].loc[y], rel=1e-9)
    assert df["production"].sum() == pytest.approx(ind["production"].loc[y], rel=1e-12)
    np.testing.assert_allclose(df["intensity"], df["amount"] / df["production"])
    avg = (df["intensity"] * df["production"]).sum() / df["production"].sum()
    assert avg == pytest.approx(ind[f"intensity.{indicator}"].loc[y], rel=1e-9)


PLANTS_YAML = """format: techroad/1
name: ps
horizon: {start: 2020, end: 2021}
discount_rate: 0.1
species: {CO2: {unit: t}}
carriers: {electricity: {unit: MWh, energy_content: 3.6, price: 50, emission_factors: {CO2: 0.5}}}
plants:
  a: {capacity: 1000, production: 800, intensity: {electricity: 1.0}, process_emissions: {CO2: 0.1}}
  b: {capacity: 500, production: 500, intensity: {electricity: 1.2}}
technologies: {eff: {effects: {electricity: -0.2}, capex: 1e9, lifetime: 10, hurdle_rate: 0,
               applies_to: [a], existing: {a: 0.5}}}
"""


def test_plant_intensity_by_hand():
    """tr_result_plant_series: a makes 800 t at 1 MWh/t with half of its 1,000 t/yr
    equipped with a measure saving 0.2 MWh/t (u = 0.8): 720 MWh, 0.9 MWh/t,
    0.5 x 720 + 0.1 x 800 = 440 t CO2; b 600 MWh and 300 t."""
    r = techroad.Scenario.loads(PLANTS_YAML).solve()
    df = r.plant_intensity("energy.electricity", 2021)
    assert df.loc["a", "amount"] == pytest.approx(720, rel=1e-12)
    assert df.loc["a", "intensity"] == pytest.approx(0.9, rel=1e-12)
    assert df.loc["a", "capacity"] == 1000 and df.loc["b", "production"] == 500
    assert df.loc["b", "amount"] == pytest.approx(600, rel=1e-12)
    co2 = r.plant_intensity("emissions.CO2", 2020)
    assert list(co2["amount"]) == pytest.approx([440, 300], rel=1e-12)
    assert list(co2["intensity"]) == pytest.approx([0.55, 0.6], rel=1e-12)
    tot = r.plant_intensity("energy.total")
    assert tot.loc["a", "amount"] == pytest.approx(720 * 3.6, rel=1e-12)


def test_plant_intensity_of_closing_and_new_plants(root):
    """Binh Yen relocation closes household furnaces and builds a cluster (§12):
    the per-plant figures come from the solution and add up to the sector (the
    reconstruction from the scenario's production failed here: the new plant has none)."""
    r = techroad.load(root / "scenarios" / "binh-yen" / "relocation.yaml").solve()
    ind = r.indicators
    sc = r.scenario
    for indicator in ["energy.total", "emissions.CO2", "emissions.PM25"]:
        for year in [2022, r.years[-1]]:
            df = r.plant_intensity(indicator, year)
            assert list(df.index) == sc.plants
            assert df["amount"].sum() == pytest.approx(ind[indicator].loc[year], rel=1e-9)
            assert df["production"].sum() == pytest.approx(ind["production"].loc[year], rel=1e-9)
            assert df["capacity"].sum() == pytest.approx(ind["capacity"].loc[year], rel=1e-9)
    last = r.plant_intensity("energy.total")
    built = [p for p in sc.plants if f"built.{p}" in ind]
    assert built and all(last.loc[p, "capacity"] == pytest.approx(ind[f"built.{p}"].iloc[-1]) for p in built)
    closed = [p for p in sc.plants if f"operating.{p}" in ind and ind[f"operating.{p}"].iloc[-1] < 1e-9]
    assert closed                                   # solved production 0, the scenario's is not
    for p in closed:
        assert last.loc[p, "production"] == 0 and sc.value(f"plants.{p}.production", r.years[-1]) > 0
        assert last.loc[p, "amount"] == 0 and math.isnan(last.loc[p, "intensity"])


def test_plant_intensity_bad_arguments(va_result):
    with pytest.raises(ValueError, match="indicator must be"):
        va_result.plant_intensity("cost.total")
    with pytest.raises(ValueError, match="outside the horizon"):
        va_result.plant_intensity("energy.total", 1999)


def test_writers(va_result, tmp_path):
    assert va_result.to_string("json") == va_result.to_json()
    assert json.loads(va_result.to_json(tmp_path / "r.json")) == json.loads((tmp_path / "r.json").read_text())
    csv = va_result.to_string("csv")
    assert csv.splitlines()[0].startswith("variable,unit,2020")
    table = va_result.to_table()
    assert "vn-eaf-va" in table and "2030" in table
    for fmt in ["json", "csv", "iamc", "table"]:
        va_result.write(tmp_path / f"out.{fmt}", format=fmt)
        assert (tmp_path / f"out.{fmt}").read_text() == va_result.to_string(fmt)
    with pytest.raises(ValueError, match="format must be one of"):
        va_result.to_string("xlsx")


def test_to_iamc(va_result, cli):
    df = va_result.to_iamc()
    assert list(df.columns) == ["model", "scenario", "region", "variable", "unit", "year", "value"]
    assert (df["scenario"] == "vn-eaf-va").all() and (df["region"] == "Viet Nam").all()
    assert df["year"].dtype == np.int64 and set(df["year"]) == set(range(2020, 2031))
    p = subprocess.run([cli, "run", str(SCENARIOS / "voluntary-agreement.yaml"), "--format", "iamc"],
                       capture_output=True, text=True, check=True)
    assert va_result.to_string("iamc") == p.stdout
    prod = df[df["variable"] == "Production|Iron and Steel|Steel"].set_index("year")["value"]
    np.testing.assert_allclose(prod, va_result.indicators["production"], rtol=1e-11)


def test_repr_html_and_summary(va_result):
    npv = f"{va_result.npv:,.0f}"
    assert repr(va_result) == f"<techroad.Result 'vn-eaf-va': optimal, NPV {npv}>"
    html = va_result._repr_html_()
    binding = va_result.policy("va_electricity")["binding"].fillna(False).astype(bool)
    first = int(binding.index[binding.to_numpy()][0])
    for needle in ["optimal", f"{npv} USD2020", "emissions.CO2", "va_electricity", "va_co2", str(first),
                   "USD2020/MWh"]:
        assert needle in html, needle
    s = va_result.summary()
    assert list(s.columns) == ["unit", 2020, 2030, "change %"]
    assert s.loc["production", 2030] == pytest.approx(6373000)


def test_result_cannot_be_constructed_directly():
    with pytest.raises(TypeError):
        techroad.Result()


def test_close(scen_dir):
    with techroad.load(scen_dir / "bau.yaml").solve() as r:
        assert r.optimal and not r.closed
    assert r.closed and "closed" in repr(r) and "closed" in r._repr_html_()
    with pytest.raises(ValueError, match="closed"):
        r.npv
    r.close()


def test_years_range_in_html():
    from techroad._html import _years
    assert _years([2025, 2029, 2030]) == "2025, 2029–2030"
    assert _years([2020, 2021, 2022]) == "2020–2022"
    assert _years([]) == ""


def test_results_pickle_and_come_back_equal(tiny_text):
    # issue 17 item 20: pickle.dumps(result) and copy.deepcopy(result) raised
    # TypeError "cannot pickle '_cffi_backend.__CDataGCP' object"
    import copy
    import pickle
    sc = techroad.loads(tiny_text)
    cases = [sc.solve(), sc.solve(method="primal", presolve=False), sc.model().solve(method="interior"),
             sc.solve(foresight=1)]
    sc.set("policies.co2.limit", {2021: 10})           # an infeasible one, with its diagnosis
    cases.append(sc.solve())
    assert cases[-1].status != techroad.SolStatus.OPTIMAL and len(cases[-1].diagnosis) > 0
    sc.set("carriers.electricity.price", 999)          # later edits are not the results'
    for r in cases:
        for back in (pickle.loads(pickle.dumps(r)), copy.deepcopy(r)):
            assert back is not r and back.status == r.status
            assert back.to_json() == r.to_json()
            assert back.method == r.method and back.foresight == r.foresight
            pd.testing.assert_frame_equal(back.diagnosis, r.diagnosis)
