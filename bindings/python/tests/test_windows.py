"""Investment windows (MODEL.md §13): Result.windows() and Result.lock_in()
against the CLI's JSON, and the Viet Nam mills' windows in the roadmap."""
import json
import subprocess

import numpy as np
import pytest

import techroad
from conftest import ROOT, SCENARIOS

SECTOR = ROOT / "tests" / "data" / "windows" / "sector.yaml"


@pytest.fixture(scope="module")
def sector():
    sc = techroad.load(SECTOR)
    return sc, sc.solve()


def test_windows_frame(sector):
    _, res = sector
    w = res.windows()
    assert list(w.columns) == ["plant", "year", "in_horizon", "major_installed"]
    rows = [(r.plant, r.year, r.in_horizon) for r in w.itertuples()]
    # p1 "2021;2024"; p2 every 3 years from 2018 (next 2027); p3 [2022]; p4 none
    assert rows == [("p1", 2021, True), ("p1", 2024, True), ("p2", 2021, True), ("p2", 2024, True),
                    ("p2", 2027, False), ("p3", 2022, True)]
    assert np.isnan(w.major_installed.iloc[4])
    # what each window installs is the major measure's n in that year
    n = res.installed_by_plant(technology="shell")
    for r in w[w.in_horizon].itertuples():
        assert r.major_installed == pytest.approx(n[(r.plant, "shell")][r.year], abs=1e-9)


def test_bound_outside_windows(sector):
    sc, res = sector
    n = res.installed_by_plant(technology="shell")
    w = res.windows()
    for plant in ["p1", "p2", "p3"]:
        years = set(w[(w.plant == plant) & w.in_horizon].year)
        for y in res.years:
            if y not in years:
                assert n[(plant, "shell")][y] == 0, (plant, y)


def test_matches_cli_json(sector, cli):
    _, res = sector
    p = subprocess.run([cli, "run", str(SECTOR), "--format", "json"], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    doc = json.loads(p.stdout)["investment_windows"]
    w = res.windows()
    for plant, e in doc["plants"].items():
        assert e["windows"] == list(w[(w.plant == plant) & w.in_horizon].year)
    lk = res.lock_in()
    assert len(lk) == len(doc["lock_in"])
    for r, d in zip(lk.itertuples(), doc["lock_in"]):
        assert (r.plant, r.window, r.technology) == (d["plant"], d["window"], d["technology"])
        assert r.later == (d["later"] or 0) and r.next_window == (d["next_window"] or 0)
        assert r.needed == pytest.approx(d["needed"], rel=1e-12)


def test_no_windows_empty_frames():
    res = techroad.load(ROOT / "tests" / "data" / "tiny.yaml").solve()
    assert res.windows().empty and res.lock_in().empty
    assert list(res.lock_in().columns) == ["plant", "window", "technology", "later", "needed", "share",
                                           "next_window"]
