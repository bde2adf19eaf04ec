"""Scenario.mga: ranges against the hand-solved LPs of tests/check_mga.c,
slack 0, alternatives within the slack, the CLI's CSV, bad arguments, the
plot.

The tiny case: one plant of 1,000 t at 1 MWh/t, electricity at 100 USD/MWh,
one year; a and b exclusive (net -17 and -5 USD per t/yr), c alone (net +5,
applicability 0.5); NPV* = 83,000 with a = 1000, b = c = 0. Within slack S:
min a = 1000 - 83,000 S / 12, max b = 83,000 S / 12, max c = 83,000 S / 5
(shares of 1000, 1000 and 500)."""
import io
import subprocess

import numpy as np
import pandas as pd
import pytest

import techroad

TINY = ("format: techroad/1\nname: t\nhorizon: {start: 2020, end: 2020}\ndiscount_rate: 0.1\n"
        "species: {CO2: {unit: t}}\n"
        "carriers: {electricity: {unit: MWh, energy_content: 3.6, price: 100, emission_factors: {CO2: 1}}}\n"
        "plants: {p: {capacity: 1000, production: 1000, intensity: {electricity: 1}}}\n"
        "technologies:\n"
        "  a: {group: g, effects: {electricity: -0.2}, capex: 30, lifetime: 10, hurdle_rate: 0, max_uptake: 1}\n"
        "  b: {group: g, effects: {electricity: -0.1}, capex: 50, lifetime: 10, hurdle_rate: 0, max_uptake: 1}\n"
        "  c: {effects: {electricity: -0.05}, capex: 100, lifetime: 10, hurdle_rate: 0, max_uptake: 1,"
        " applicability: 0.5}\n")


@pytest.fixture()
def tiny():
    return techroad.loads(TINY)


@pytest.mark.parametrize("slack", [0.01, 0.03])
def test_ranges_by_hand(tiny, slack):
    m = tiny.mga(slack=slack, alternatives=0, progress=False)
    r = m.ranges.set_index("technology")
    d = 83000 * slack
    assert list(r.columns[:7]) == ["unit", "year", "min", "max", "optimum", "width", "needed"]
    assert r.loc["a", "min"] == pytest.approx(1 - d / 12 / 1000, abs=1e-7)
    assert r.loc["a", "max"] == pytest.approx(1, abs=1e-7)
    assert r.loc["b", "max"] == pytest.approx(d / 12 / 1000, abs=1e-7)
    assert r.loc["c", "max"] == pytest.approx(min(1, d / 5 / 500), abs=1e-7)
    assert r.loc[["b", "c"], "min"].abs().max() < 1e-7
    assert list(r["optimum"]) == pytest.approx([1, 0, 0], abs=1e-9)
    assert isinstance(m, techroad.MGA) and m.needed == ["a"] and m.year == 2020 and m.slack == slack
    assert "needed: a" in repr(m)
    assert len(m.alternatives) == 1


def test_slack_zero_unique_optimum(tiny):
    res = tiny.solve()
    m = tiny.mga(slack=0, alternatives=3, progress=False)
    r = m.ranges.set_index("technology")
    for k in "abc":
        share = res.adoption[k].iloc[-1]
        assert share == pytest.approx([1, 0, 0]["abc".index(k)], abs=1e-9)
        assert r.loc[k, "min"] == pytest.approx(share, abs=1e-7)
        assert r.loc[k, "max"] == pytest.approx(share, abs=1e-7)
    assert m.alternatives["npv"].to_numpy() == pytest.approx(res.npv, rel=1e-8)


def test_alternatives_within_slack(scen_dir):
    sc = techroad.load(scen_dir / "voluntary-agreement.yaml")
    m = sc.mga(slack=0.01, alternatives=6, progress=False)
    alt = m.alternatives
    npv0 = alt["npv"].iloc[0]
    assert list(alt["alternative"]) == list(range(7))
    assert (alt["status"] == "optimal").all() and alt["within_slack"].all()
    assert (alt["npv"] <= npv0 * 1.01 + 1e-6 * npv0).all() and (alt["npv"] >= npv0 * (1 - 1e-9)).all()
    assert (alt["distance"].iloc[1:] > 1e-3).all()         # each differs from every earlier one
    for _, row in m.ranges.iterrows():
        col = alt[f"adoption.{row['technology']}"]
        assert (col >= row["min"] - 1e-6).all() and (col <= row["max"] + 1e-6).all()
        assert row["min"] - 1e-9 <= row["optimum"] <= row["max"] + 1e-9
    # a fixed seed: the same alternatives again; another seed, others
    again = sc.mga(slack=0.01, alternatives=6, progress=False)
    pd.testing.assert_frame_equal(alt, again.alternatives)
    other = sc.mga(slack=0.01, alternatives=6, seed=7, progress=False)
    assert not np.allclose(other.alternatives["distance"].iloc[1:], alt["distance"].iloc[1:])


def test_matches_cli(tiny, cli, tmp_path):
    path = tmp_path / "t.yaml"
    path.write_text(TINY)
    out = subprocess.run([cli, "mga", str(path), "--slack", "0.02", "--alternatives", "3", "--format", "csv",
                          "--out", str(tmp_path / "o")], capture_output=True, text=True, check=True)
    assert out.stdout == ""
    m = tiny.mga(slack=0.02, alternatives=3, progress=False)
    cli_r = pd.read_csv(tmp_path / "o" / "ranges.csv", keep_default_na=False)
    assert list(cli_r["technology"]) == list(m.ranges["technology"])
    assert cli_r["min"].to_numpy() == pytest.approx(m.ranges["min"].to_numpy(), abs=1e-9)
    assert cli_r["max"].to_numpy() == pytest.approx(m.ranges["max"].to_numpy(), abs=1e-9)
    cli_a = pd.read_csv(tmp_path / "o" / "alternatives.csv")
    assert cli_a["npv"].to_numpy() == pytest.approx(m.alternatives["npv"].to_numpy(), rel=1e-9)


def test_bad_arguments(tiny, cli, tmp_path):
    with pytest.raises(techroad.ScenarioError, match="slack: expected a number in 0..100"):
        tiny.mga(slack=-0.01, progress=False)
    with pytest.raises(techroad.ScenarioError, match=r"year: expected a year within 2020..2020, got 2031"):
        tiny.mga(year=2031, progress=False)
    with pytest.raises(ValueError, match="alternatives must be >= 0"):
        tiny.mga(alternatives=-1, progress=False)
    with pytest.raises(TypeError):
        tiny.mga(slack="lots", progress=False)
    path = tmp_path / "t.yaml"
    path.write_text(TINY)
    for args, msg in [(["--slack", "-1"], "slack: expected a number in 0..100"),
                      (["--slack", "x"], "--slack: expected a number"),
                      (["--year", "1999"], "year: expected a year within 2020..2020, got 1999"),
                      (["--alternatives", "-2"], "--alternatives: expected an integer from 0 to 10000")]:
        p = subprocess.run([cli, "mga", str(path)] + args, capture_output=True, text=True)
        assert p.returncode == 2 and msg in p.stderr, (args, p.stderr)


def test_plot(tiny, tmp_path):
    import matplotlib
    matplotlib.use("Agg")
    m = tiny.mga(slack=0.02, alternatives=0, progress=False)
    ax = techroad.plot_mga(m)
    assert len(ax.patches) == 3 and [t.get_text() for t in ax.get_yticklabels()] == ["c", "b", "a"]
    assert ax.patches[-1].get_x() == pytest.approx(100 * (1 - 1660 / 12 / 1000), abs=1e-4)   # a's bar from its min
    ax.figure.savefig(tmp_path / "mga.png")
    assert (tmp_path / "mga.png").stat().st_size > 1000
    with pytest.raises(ValueError, match="needs the ranges"):
        techroad.plot_mga(pd.DataFrame({"x": [1]}))


def test_report_section(cli, scen_dir, tmp_path):
    """techroad report --mga S appends each scenario's ranges to report.md."""
    out = tmp_path / "rep"
    p = subprocess.run([cli, "report", str(scen_dir / "voluntary-agreement.yaml"), "--out", str(out), "--mga", "0.01"],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    md = (out / "report.md").read_text()
    assert md.count("## Near-optimal roadmaps") == 1 and "### Near-optimal ranges: `vn-eaf-va`" in md
    m = techroad.load(scen_dir / "voluntary-agreement.yaml").mga(slack=0.01, alternatives=0, progress=False)
    for _, row in m.ranges.iterrows():
        name = f"**{row['technology']}**" if row["needed"] == "yes" else row["technology"]
        assert f"| {name} | {100 * row['min']:.1f}% | {100 * row['max']:.1f}% | {100 * row['optimum']:.1f}% |" in md
    p = subprocess.run([cli, "report", str(scen_dir / "bau.yaml"), "--out", str(out), "--mga", "-1"],
                       capture_output=True, text=True)
    assert p.returncode == 2 and "--mga: expected a slack >= 0" in p.stderr
