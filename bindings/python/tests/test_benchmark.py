"""Benchmark (tr_benchmark) and write_report (tr_report_write), against the CLI."""
import json
import subprocess

import numpy as np
import pytest

import techroad
from conftest import SCENARIOS


def _cli(cli, *args):
    p = subprocess.run([cli, *map(str, args)], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    return p.stdout


def test_benchmark_matches_the_cli(cli, va_result):
    bm = va_result.benchmark()
    assert isinstance(bm, techroad.Benchmark)
    path = SCENARIOS / "voluntary-agreement.yaml"
    for fmt in ["json", "csv", "table"]:
        assert bm.to_string(fmt) == _cli(cli, "benchmark", path, "--format", fmt), fmt
    doc = json.loads(_cli(cli, "benchmark", path, "--format", "json"))
    assert bm.to_dict() == doc
    assert bm.years == [y["year"] for y in doc["years"]] == list(range(2020, 2031))
    tot = bm.totals
    for y in doc["years"]:
        curve = bm.curve(y["year"])
        assert list(curve.index) == [row["plant"] for row in y["curve"]]
        for row in y["curve"]:
            for field in ["production", "cumulative", "sec_final", "sec_primary", "eei_final", "eei_primary",
                          "saving_final", "saving_primary"]:
                assert curve.loc[row["plant"], field] == pytest.approx(row[field], rel=1e-13, abs=1e-9), field
        for field in ["production", "eei_final", "eei_primary", "saving_final", "saving_primary",
                      "saving_share_final", "saving_share_primary"]:
            assert tot.loc[y["year"], field] == pytest.approx(y[field], rel=1e-13), field
        assert tot.loc[y["year"], "best_final"] == pytest.approx(doc["best_practice_final"], rel=1e-6)


def test_base_year_benchmark_matches_the_cli(cli, va):
    bm = va.benchmark()
    assert bm.years == [2020]
    assert bm.to_string("json") == _cli(cli, "benchmark", SCENARIOS / "voluntary-agreement.yaml",
                                        "--format", "json", "--base-year")
    bm2 = techroad.benchmark(va)
    assert bm2.to_string() == bm.to_string()


def test_curve_is_sorted_and_agrees_with_plant_intensity(va_result):
    bm = techroad.benchmark(va_result)              # same as va_result.benchmark()
    for year in [2020, 2025, 2030]:
        c = bm.curve(year)
        assert list(c["sec_final"]) == sorted(c["sec_final"])
        np.testing.assert_allclose(c["cumulative"], c["production"].cumsum())
        np.testing.assert_allclose(c["eei_final"], c["sec_final"] / c.attrs["best_final"])
        # final energy per tonne = energy.total per tonne, rebuilt from a[p,k,y] in Python
        mine = va_result.plant_intensity("energy.total", year)["intensity"]
        np.testing.assert_allclose(c["sec_final"], mine.loc[c.index], rtol=1e-9)
    assert bm.curve().attrs["year"] == 2030
    with pytest.raises(ValueError, match="not benchmarked"):
        bm.curve(2040)


def test_benchmark_needs_a_benchmark_section(scen_dir, infeasible_result):
    sc = techroad.load(scen_dir / "bau.yaml")
    sc.remove("benchmark")
    with pytest.raises(techroad.ScenarioError, match="no `benchmark:` section") as ei:
        sc.benchmark()
    assert ei.value.field == "benchmark"
    with pytest.raises(techroad.ScenarioError):
        infeasible_result.benchmark()               # not optimal
    with pytest.raises(TypeError):
        techroad.Benchmark("bau")
    with pytest.raises(TypeError):
        techroad.benchmark(sc, "not a result")


def test_benchmark_lifetime_and_display(va_result):
    bm = va_result.benchmark()
    assert repr(bm) == "<techroad.Benchmark 'vn-eaf-va' 2020-2030>"
    assert bm.scenario_name == "vn-eaf-va" and bm.product_unit == "t"
    assert "techroad benchmark vn-eaf-va" in bm._repr_html_() and "eei_final" in bm._repr_html_()
    with bm:
        assert not bm.closed
    assert bm.closed and "closed" in repr(bm) and "closed" in bm._repr_html_()
    with pytest.raises(ValueError, match="closed"):
        bm.years
    bm.close()


def test_write_report_matches_the_cli(cli, tmp_path, scen_dir):
    names = ["voluntary-agreement", "carbon-price"]
    results = [techroad.load(scen_dir / f"{n}.yaml").solve() for n in names]
    bau = techroad.load(scen_dir / "bau.yaml").solve()
    ours = tmp_path / "py"
    assert techroad.write_report(results, ours, baseline=bau) == str(ours)
    theirs = tmp_path / "cli"
    _cli(cli, "report", *[scen_dir / f"{n}.yaml" for n in names], "--out", theirs, "--baseline", scen_dir / "bau.yaml")
    files = sorted(p.name for p in theirs.iterdir())
    assert "report.md" in files and "benchmark.csv" in files
    assert sorted(p.name for p in ours.iterdir()) == files
    for name in files:
        assert (ours / name).read_bytes() == (theirs / name).read_bytes(), name
    # a single result, and no baseline
    techroad.write_report(results[0], tmp_path / "one")
    assert (tmp_path / "one" / "report.md").exists()
    with pytest.raises(TypeError):
        techroad.write_report(["x"], tmp_path / "bad")
