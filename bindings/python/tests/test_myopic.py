"""Myopic foresight (solve(foresight=N, step=K), docs/MODEL.md §14): the
hand-solved three-year case of tests/check_myopic.c (its comment derives
the numbers), foresight at least the horizon giving the perfect-foresight
result, the cost of myopia on the Viet Nam voluntary agreement never
negative, an infeasible window's diagnosis and bad options."""
import math
import re

import pytest

import techroad

HAND = """format: techroad/1
name: myopic-hand
horizon: {{start: 2020, end: 2022}}
discount_rate: 0
currency: USD
species: {{CO2: {{unit: t}}}}
carriers:
  electricity: {{unit: MWh, energy_content: 3.6, price: {{2021: 2, 2022: {price}}}}}
plants:
  p1: {{capacity: 1000, production: 1000, intensity: {{electricity: 1.0}}}}
technologies:
  eff:
    effects: {{electricity: -0.5}}
    capex: 100
    lifetime: 10
    hurdle_rate: 0
    max_uptake: 0.5
{policies}"""

MANDATE = """policies:
  full: {type: mandate, technology: eff, share: 1.0, years: [2022, 2022]}
"""


def test_a_one_year_view_delays_the_investment():
    # price shock of 2022 (70 USD/MWh): perfect foresight installs 500 t/yr in
    # 2021 and 500 in 2022 (NPV 53500); a one-year view sees in 2021 an annuity
    # of 10 against a saving of 1 and waits: 500 in 2022 only (NPV 61500)
    sc = techroad.loads(HAND.format(price=70, policies=""))
    pf = sc.solve()
    assert pf.npv == pytest.approx(53500, abs=1e-6)
    assert list(pf.installed_by_plant()[("p1", "eff")]) == pytest.approx([0, 500, 500], abs=1e-9)
    assert pf.foresight is None
    m1 = sc.solve(foresight=1)
    assert m1.npv == pytest.approx(61500, abs=1e-6)
    assert list(m1.installed_by_plant()[("p1", "eff")]) == pytest.approx([0, 0, 500], abs=1e-9)
    assert m1.foresight == {"years": 1, "step": 1, "windows": 3}
    assert sc.solve(foresight=2).npv == pytest.approx(53500, abs=1e-6)
    assert sc.solve(foresight=2, step=2).npv == pytest.approx(61500, abs=1e-6)
    # the same on a Model, which is itself again afterwards
    with sc.model() as m:
        assert m.solve(foresight=1).npv == pytest.approx(61500, abs=1e-6)
        assert m.solve().npv == pytest.approx(53500, abs=1e-6)


def test_foresight_of_the_horizon_is_perfect_foresight(scen_dir):
    sc = techroad.load(scen_dir / "voluntary-agreement.yaml")
    pf = sc.solve().to_dict()
    for n in (len(sc.years), len(sc.years) + 3):
        my = sc.solve(foresight=n).to_dict()
        assert my["provenance"].pop("foresight") == {"years": n, "step": 1, "windows": 1}
        assert my == pf


def test_cost_of_myopia_on_the_voluntary_agreement(scen_dir):
    sc = techroad.load(scen_dir / "voluntary-agreement.yaml")
    pf = sc.solve().npv
    costs = {n: sc.solve(foresight=n).npv - pf for n in (3, 5)}
    for n, c in costs.items():
        assert c >= -1e-9 * pf, (n, c)
    # a longer view never costs more here (measured with the mills'
    # relining windows: 13.6 and 2.1 MUSD)
    assert costs[3] > costs[5] > 0
    # with a one- or two-year view the mills do not prepare for the 2025
    # electricity target (their shaft preheating waits for windows they let
    # pass) and cannot reach it in 2025 itself (0.524 and 0.514 against
    # 0.51 MWh/t)
    for n in (1, 2):
        short = sc.solve(foresight=n)
        assert short.status_name == "infeasible"
        d = short.diagnosis
        assert list(d["policy"]) == ["va_electricity"] and list(d["year"]) == [2025]
        assert d["reachable"][0] > d["limit"][0]


def test_a_window_that_paints_itself_into_a_corner():
    sc = techroad.loads(HAND.format(price=2, policies=MANDATE))
    assert sc.solve().optimal
    res = sc.solve(foresight=1)
    assert res.status_name == "infeasible" and math.isnan(res.npv)
    d = res.diagnosis
    assert list(d["policy"]) == ["full"] and list(d["year"]) == [2022]
    assert d["reachable"][0] == pytest.approx(0.5)
    assert d["message"][0].startswith("myopic window 2022-2022 (foresight 1 year): ")
    assert "is infeasible given the decisions taken for 2020-2021" in res.to_dict()["message"]
    with pytest.raises(techroad.InfeasibleError):
        sc.solve(foresight=1, raise_on_infeasible=True)
    assert sc.solve(foresight=2).optimal


@pytest.mark.parametrize("kwargs, says", [
    ({"foresight": -1}, "foresight: expected 0 (perfect foresight)"),
    ({"step": 1}, "foresight_step 1 without foresight"),
    ({"foresight": 2, "step": 3}, "at most the foresight"),
    ({"foresight": 2, "method": "decomposed"}, "not supported"),
    ({"foresight": 2, "method": "interior"}, "needs the simplex"),
])
def test_bad_foresight_options(kwargs, says):
    sc = techroad.loads(HAND.format(price=70, policies=""))
    with pytest.raises(techroad.ScenarioError, match=re.escape(says)):
        sc.solve(**kwargs)


def test_cli_run_and_report_with_foresight(cli, scen_dir, tmp_path):
    import json
    import subprocess
    va = str(scen_dir / "voluntary-agreement.yaml")
    out = subprocess.run([cli, "run", va, "--foresight", "3", "--format", "json"], capture_output=True,
                         text=True, check=True).stdout
    d = json.loads(out)
    assert d["provenance"]["foresight"] == {"years": 3, "step": 1, "windows": 9}
    my = techroad.load(va).solve(foresight=3).npv
    assert d["npv"] == pytest.approx(my, rel=1e-12)
    bad = subprocess.run([cli, "run", va, "--foresight", "2", "--step", "3"], capture_output=True, text=True)
    assert bad.returncode == 2 and "at most the foresight" in bad.stderr
    subprocess.run([cli, "report", va, "--foresight", "3", "--out", str(tmp_path)], check=True,
                   capture_output=True)
    md = (tmp_path / "report.md").read_text()
    assert "## Cost of myopia" in md and "| vn-eaf-va |" in md.split("## Cost of myopia")[1]
    rows = (tmp_path / "myopia.csv").read_text().splitlines()
    assert rows[0] == "scenario,foresight,step,npv_myopic,npv_perfect,cost_of_myopia"
    name, n, k, npv_my, npv_pf, cost = rows[1].split(",")
    pf = techroad.load(va).solve().npv
    assert (name, n, k) == ("vn-eaf-va", "3", "1")
    assert float(cost) == pytest.approx(my - pf, rel=1e-6) and float(cost) > 0
