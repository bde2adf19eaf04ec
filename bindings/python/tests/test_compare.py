"""compare(): scenario differences against a baseline."""
import math

import numpy as np
import pytest

import techroad
from techroad.compare import discount_factors, resource_cost


@pytest.fixture(scope="module")
def variants(scen_dir):
    return {v: techroad.load(scen_dir / f"{v}.yaml").solve()
            for v in ["bau", "voluntary-agreement", "carbon-price", "frozen", "green-industry"]}


def test_compare_against_baseline(variants):
    bau, va, cp = variants["bau"], variants["voluntary-agreement"], variants["carbon-price"]
    df = techroad.compare([va, cp], baseline=bau)
    assert list(df.index) == ["vn-eaf-bau", "vn-eaf-va", "vn-eaf-carbon-price"]
    assert df.attrs["baseline"] == "vn-eaf-bau"
    assert (df.loc["vn-eaf-bau"].drop(["npv", "resource_cost", "pv_subsidy"]).fillna(0) == 0).all()
    row = df.loc["vn-eaf-va"]
    bt, vt = bau.totals, va.totals
    assert row["npv"] == pytest.approx(vt["npv"])
    assert row["delta_npv"] == pytest.approx(vt["npv"] - bt["npv"])
    assert row["energy_saved"] == pytest.approx(bt["cumulative.energy.total"] - vt["cumulative.energy.total"])
    assert row["energy_saved.electricity"] == pytest.approx(
        bt["cumulative.energy.electricity"] - vt["cumulative.energy.electricity"])
    abated = bt["cumulative.emissions.CO2"] - vt["cumulative.emissions.CO2"]
    assert row["abated.CO2"] == pytest.approx(abated) and abated > 0
    assert row["cost_per_t.CO2"] == pytest.approx(row["delta_resource_cost"] / abated)
    assert row["delta_investment"] == pytest.approx(vt["cumulative.investment"] - bt["cumulative.investment"])
    u = df.attrs["units"]
    assert u["npv"] == "USD2020" and u["energy_saved"] == "GJ" and u["abated.CO2"] == "t"
    assert u["cost_per_t.CO2"] == "USD2020/t" and u["energy_saved.electricity"] == "MWh"


def test_resource_cost_excludes_the_emission_tax(variants):
    bau, cp = variants["bau"], variants["carbon-price"]
    df = techroad.compare([cp], baseline=bau)
    tax = float(np.sum(discount_factors(cp) * cp.indicators["cost.emission_tax"]))
    assert tax > 0
    assert df.loc["vn-eaf-carbon-price", "delta_npv"] == pytest.approx(
        df.loc["vn-eaf-carbon-price", "delta_resource_cost"] + tax, rel=1e-9)


def test_compare_agrees_with_the_report(cli, scen_dir, tmp_path):
    import csv
    import subprocess
    names = ["voluntary-agreement", "green-industry", "social-optimum", "carbon-price"]
    subprocess.run([cli, "report", *[str(scen_dir / f"{n}.yaml") for n in names], "--out", str(tmp_path),
                    "--baseline", str(scen_dir / "bau.yaml")], check=True, capture_output=True)
    with open(tmp_path / "summary.csv", newline="") as f:
        report = {row["scenario"]: row for row in csv.DictReader(f)}
    results = [techroad.load(scen_dir / f"{n}.yaml").solve() for n in names]
    df = techroad.compare(results, baseline=techroad.load(scen_dir / "bau.yaml").solve())
    for r in results:
        row, rep = df.loc[r.scenario_name], report[r.scenario_name]
        assert row["resource_cost"] == pytest.approx(float(rep["resource_cost"]), rel=1e-9)
        assert row["abated.CO2"] == pytest.approx(float(rep["co2_abated"]), rel=1e-9)
        assert row["energy_saved"] == pytest.approx(float(rep["energy_saved_gj"]), rel=1e-9)
        assert row["cost_per_t.CO2"] == pytest.approx(float(rep["cost_per_t_co2"]), rel=1e-9)


def test_resource_cost_and_discounting(variants):
    va = variants["voluntary-agreement"]
    df = discount_factors(va)
    assert df[0] == 1 and df[-1] == pytest.approx(1.06 ** -10)
    ind = va.indicators
    assert resource_cost(va) == pytest.approx(float(np.sum(df * (ind["cost.energy"] + ind["cost.capital"] +
                                                                 ind["cost.om"]))) + va.totals["pv.subsidy"])
    gi = variants["green-industry"]                      # subsidies count in the resource cost
    assert gi.totals["pv.subsidy"] > 0
    assert resource_cost(gi) == pytest.approx(float(np.sum(discount_factors(gi) * (
        gi.indicators[["cost.energy", "cost.capital", "cost.om"]].sum(axis=1)))) + gi.totals["pv.subsidy"])
    cp = variants["carbon-price"]                        # NPV - tax + subsidies, the tax being a transfer
    t = cp.totals
    assert t["pv.emission_tax"] > 0
    assert resource_cost(cp) == pytest.approx(cp.npv - t["pv.emission_tax"] + t["pv.subsidy"], rel=1e-12)


def test_resource_cost_counts_the_section_12_costs(root):
    """Relocation in Binh Yen (closures, a new cluster, other production costs): the
    resource cost is the NPV of every private cost, §12's included. Before issue 15
    compare() summed energy + capital + O&M only: 175.6 per t CO2 against the
    report's 228.8."""
    d = root / "scenarios" / "binh-yen"
    sq, rl = (techroad.load(d / f"{n}.yaml").solve() for n in ["status-quo", "relocation"])
    for r in (sq, rl):
        ind, f = r.indicators, discount_factors(r)
        private = ["cost.energy", "cost.capital", "cost.om", "cost.other", "cost.closure", "cost.imports"]
        assert float(np.sum(f * ind["cost.other"])) > 0
        assert resource_cost(r) == pytest.approx(float(np.sum(f * ind[private].sum(axis=1))) +
                                                 r.totals["pv.subsidy"], rel=1e-9)
        assert resource_cost(r) == pytest.approx(r.npv - r.totals["pv.emission_tax"] + r.totals["pv.subsidy"],
                                                 rel=1e-12)
    df = techroad.compare([rl], baseline=sq)
    row = df.loc["binh-yen-relocation"]
    # the report's figures for this pair (examples/binh-yen/summary.csv, data of issue 14)
    assert row["resource_cost"] == pytest.approx(200214432.840, rel=1e-11)
    assert row["delta_resource_cost"] == pytest.approx(200214432.840 - 189470358.563, rel=1e-9)
    assert row["cost_per_t.CO2"] == pytest.approx(258.630147826, rel=1e-9)


CASES = {"vn-eaf": "bau", "binh-yen": "status-quo", "hoi-an": "bau"}


@pytest.mark.parametrize("case", sorted(CASES))
def test_compare_and_report_agree_on_every_shipped_pair(cli, root, tmp_path, case):
    """One definition of resource cost and cost per t (tr_result_resource_cost): every
    scenario of a case against the case's baseline, in Python and in the report."""
    import csv
    import subprocess
    d = root / "scenarios" / case
    files = sorted(d.glob("*.yaml"))
    base_file = d / f"{CASES[case]}.yaml"
    subprocess.run([cli, "report", *map(str, files), "--baseline", str(base_file), "--out", str(tmp_path)],
                   check=True, capture_output=True)
    with open(tmp_path / "summary.csv", newline="") as f:
        report = {row["scenario"]: row for row in csv.DictReader(f)}
    base = techroad.load(base_file).solve()
    results = [techroad.load(p).solve() for p in files if p != base_file]
    assert len(results) >= 3 and all(r.optimal for r in results)
    df = techroad.compare(results, baseline=base)
    assert len(report) == len(files)
    for r in [base] + results:
        row, rep = df.loc[r.scenario_name], report[r.scenario_name]
        assert row["resource_cost"] == pytest.approx(float(rep["resource_cost"]), rel=1e-11), r.scenario_name
        want = float(rep["cost_per_t_co2"]) if rep["cost_per_t_co2"] else math.nan
        got = row["cost_per_t.CO2"]
        assert (math.isnan(got) and math.isnan(want)) or got == pytest.approx(want, rel=1e-9), r.scenario_name


def test_year_columns_and_labels(variants):
    bau, va, fr = variants["bau"], variants["voluntary-agreement"], variants["frozen"]
    df = techroad.compare({"BAU": bau, "VA": va, "frozen": fr}, year=2030)
    assert list(df.index) == ["BAU", "VA", "frozen"]
    assert df.loc["VA", "abated.CO2@2030"] == pytest.approx(
        bau.indicators["emissions.CO2"].loc[2030] - va.indicators["emissions.CO2"].loc[2030])
    assert df.loc["VA", "energy_saved@2030"] > 0
    assert df.loc["frozen", "abated.CO2"] < 0                 # frozen technology emits more
    fr_row = df.loc["frozen"]                                 # and costs more: a negative "cost per t"
    assert fr_row["delta_resource_cost"] > 0 and fr_row["cost_per_t.CO2"] < 0
    assert fr_row["cost_per_t.CO2"] == pytest.approx(fr_row["delta_resource_cost"] / fr_row["abated.CO2"])
    assert math.isnan(df.loc["BAU", "cost_per_t.CO2"])        # nothing abated: no cost per tonne


def test_duplicate_names_are_numbered(variants):
    va = variants["voluntary-agreement"]
    df = techroad.compare([va, va.scenario.solve()], baseline=variants["bau"])
    assert list(df.index) == ["vn-eaf-bau", "vn-eaf-va", "vn-eaf-va #2"]


def test_compare_rejects_bad_input(variants, infeasible_result):
    bau = variants["bau"]
    assert math.isnan(resource_cost(infeasible_result))        # tr_result_resource_cost: NaN unless optimal
    with pytest.raises(ValueError, match="infeasible"):
        techroad.compare([infeasible_result], baseline=bau)
    with pytest.raises(TypeError):
        techroad.compare(["x"], baseline=bau)
    with pytest.raises(TypeError):
        techroad.compare([bau], baseline="bau")
    with pytest.raises(ValueError, match="at least one"):
        techroad.compare([])
    with pytest.raises(ValueError, match="outside the horizon"):
        techroad.compare([bau], year=2050)
    short = bau.scenario
    short.set("horizon", {"start": 2020, "end": 2025})
    with pytest.raises(ValueError, match="years"):
        techroad.compare([short.solve()], baseline=bau)
    assert len(techroad.compare(bau)) == 1


def test_variant_named_like_the_baseline(variants):
    va = variants["voluntary-agreement"]
    dear = va.scenario.set("carriers.electricity.price", {2025: 90, 2030: 110}).solve()
    df = techroad.compare([dear], baseline=va)
    assert list(df.index) == ["vn-eaf-va", "vn-eaf-va #2"]
    assert df.loc["vn-eaf-va #2", "delta_npv"] > 0
    df = techroad.compare([va, dear], baseline=va)            # the baseline in the list is skipped
    assert list(df.index) == ["vn-eaf-va", "vn-eaf-va #2"]


# every shipped variant against its case's baseline (issue 15: one definition of resource cost)
CASES = {"vn-eaf": "bau", "binh-yen": "status-quo", "hoi-an": "bau"}


@pytest.mark.parametrize("case", sorted(CASES))
def test_compare_agrees_with_the_report_on_every_shipped_pair(cli, scen_dir, tmp_path, case):
    import csv
    import subprocess
    d = scen_dir.parent / case
    base = CASES[case]
    names = sorted(p.stem for p in d.glob("*.yaml") if p.stem not in ("base", base, "uncertainty"))
    assert len(names) >= 2, names
    subprocess.run([cli, "report", *[str(d / f"{n}.yaml") for n in names], "--out", str(tmp_path),
                    "--baseline", str(d / f"{base}.yaml")], check=True, capture_output=True)
    with open(tmp_path / "summary.csv", newline="") as f:
        report = {row["scenario"]: row for row in csv.DictReader(f)}
    results = [techroad.load(d / f"{n}.yaml").solve() for n in names]
    df = techroad.compare(results, baseline=techroad.load(d / f"{base}.yaml").solve())
    assert set(report) == {r.scenario_name for r in results}
    for r in results:
        row, rep = df.loc[r.scenario_name], report[r.scenario_name]
        assert row["resource_cost"] == pytest.approx(float(rep["resource_cost"]), rel=1e-9)
        assert row["npv"] == pytest.approx(float(rep["npv"]), rel=1e-9)
        if rep["cost_per_t_co2"]:
            assert row["cost_per_t.CO2"] == pytest.approx(float(rep["cost_per_t_co2"]), rel=1e-9)
