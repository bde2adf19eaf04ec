"""Analyses (Monte Carlo, sweeps, tornado, Morris, MACC, fronts): numbers
against the CLI and against known answers, determinism across threads,
progress and cancellation (Ctrl-C included), errors, plots.

The scenarios are the tiny LPs of tests/check_analysis.c: one plant of
1,000 t at 1 MWh/t, electricity at 100 USD/MWh and 1 tCO2/MWh, r = 10 %,
2020-2022."""
import filecmp
import gc
import io
import json
import os
import signal
import subprocess
import threading
import weakref

import numpy as np
import pandas as pd
import pytest

import techroad
from test_memory import _heap_bytes, _libc

S3 = 1 + 1 / 1.1 + 1 / 1.21          # sum of the discount factors

T_A = "  a: {effects: {electricity: -0.2}, capex: 30, lifetime: 10, hurdle_rate: 0, max_uptake: 0.5}\n"
T_B = "  b: {effects: {electricity: -0.1}, capex: 100, lifetime: 10, hurdle_rate: 0}\n"
T_X = "  x: {effects: {electricity: -0.2}, capex: 300, lifetime: 10, hurdle_rate: 0, max_uptake: 0.5}\n"
T_DUD = "  x: {effects: {electricity: -0.2}, capex: 30000, lifetime: 10}\n"      # never worth it

MC_NORMAL = ("uncertainty:\n  samples: 2000\n  seed: 11\n  method: lhs\n  parameters:\n"
             "    price: {path: carriers.electricity.price, distribution: normal, mean: 100, sd: 10}\n")
# every distribution, a correlation, a cap that some runs cannot meet
MC_MIXED = ("policies: {cap: {type: cap, indicator: emissions.CO2, limit: 850, years: [2022, 2022]}}\n"
            "uncertainty:\n  samples: 40\n  seed: 5\n  parameters:\n"
            "    price: {path: carriers.electricity.price, distribution: lognormal, median: 100, sigma: 0.3}\n"
            "    capex: {path: technologies.a.capex, mode: scale, distribution: triangular, low: 0.5,"
            " mode_value: 1, high: 12}\n"
            "    lim: {path: policies.cap.limit, distribution: empirical, values: [780, 850, 900]}\n"
            "    rate: {path: technologies.a.max_uptake, distribution: beta, a: 2, b: 2, low: 0.2, high: 0.6}\n"
            "    ef: {path: carriers.electricity.emission_factors.CO2, distribution: uniform, low: 0.9, high: 1.1}\n"
            "  correlation: [[price, capex, -0.4]]\n")
SENS = ("uncertainty:\n  seed: 3\n  parameters:\n"
        "    price: {path: carriers.electricity.price, distribution: uniform, low: 80, high: 120}\n"
        "    dud: {path: technologies.x.capex, mode: scale, distribution: uniform, low: 0.9, high: 1.1}\n")


def tiny_text(techs, extra="", price=100):
    return ("format: techroad/1\nname: t\nhorizon: {start: 2020, end: 2022}\ndiscount_rate: 0.1\n"
            "currency: USD\nspecies: {CO2: {unit: t}}\n"
            f"carriers: {{electricity: {{unit: MWh, energy_content: 3.6, price: {price}, "
            "emission_factors: {CO2: 1}}}\n"
            "plants: {p: {capacity: 1000, production: 1000, intensity: {electricity: 1}}}\n"
            "technologies:\n" + techs + extra)


def tiny(techs, extra="", **kw):
    return techroad.loads(tiny_text(techs, extra, **kw), label="<tiny>")


def write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text)
    return p


def run_cli(cli, *args):
    p = subprocess.run([cli, *map(str, args)], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stderr
    return p.stdout


def assert_same_as_csv(df, path):
    """A DataFrame equals the CLI's CSV file (numbers written with 12 digits)."""
    cli = pd.read_csv(path, keep_default_na=False, na_values=[""])
    assert list(df.columns) == list(cli.columns), path
    assert len(df) == len(cli), path
    for c in df.columns:
        if df[c].dtype == object:
            assert list(df[c]) == [("" if isinstance(v, float) else str(v)) for v in cli[c]], (path, c)
        else:
            np.testing.assert_allclose(df[c].astype(float), cli[c].astype(float), rtol=1e-11, atol=1e-9,
                                       equal_nan=True, err_msg=f"{path}: {c}")


# ------------------------------------------------------------------ Monte Carlo

def test_montecarlo_matches_the_cli(cli, tmp_path):
    path = write(tmp_path, "mixed.yaml", tiny_text(T_A, MC_MIXED))
    out = tmp_path / "cli"
    run_cli(cli, "mc", path, "--threads", 2, "--keep-samples", "--format", "csv", "--out", out)
    mc = techroad.load(path).montecarlo(threads=1, keep_samples=True, progress=False)
    assert mc.table_names == ["percentiles", "totals", "targets", "adoption", "samples"]
    frames = {"percentiles": mc.percentiles, "totals": mc.totals, "targets": mc.targets,
              "adoption": mc.adoption, "samples": mc.samples}
    for name, df in frames.items():
        assert_same_as_csv(df, out / f"{name}.csv")
        assert df.attrs["table"] == name and df.attrs["runs_done"] == 40
    # the files are the same bytes, and so is the printed table
    for p in mc.write(tmp_path / "py"):
        assert filecmp.cmp(p, out / os.path.basename(p), shallow=False), p
    assert mc.to_string() == run_cli(cli, "mc", path, "--threads", 1, "--keep-samples")
    assert mc.percentiles["year"].dtype == np.int64 and mc.samples["sample"].dtype == np.int64
    st = mc.samples["status"]
    assert (st == "optimal").any() and (st == "infeasible").any()      # some caps of 780 t cannot be met
    t = mc.targets.set_index("policy")
    assert 0.3 < t.loc["cap", "probability_met"] < 1.0
    assert t.loc["(all targets: feasible)", "probability_met"] == pytest.approx((st == "optimal").mean())


def test_montecarlo_known_distribution():
    """The measure never pays, so NPV = price x 1,000 MWh x S3: normal with
    mean 100,000 S3 and sd 10,000 S3."""
    mc = tiny(T_DUD, MC_NORMAL).montecarlo(threads=2, progress=False)
    assert mc.runs_done == mc.runs_total == 2000 and not mc.cancelled
    npv = mc.totals.set_index("total").loc["npv"]
    mean, sd = 100000 * S3, 10000 * S3
    assert npv["runs"] == 2000
    assert npv["mean"] == pytest.approx(mean, rel=2e-4)
    assert npv["sd"] == pytest.approx(sd, rel=2e-2)
    assert npv["p50"] == pytest.approx(mean, rel=1e-3)
    assert npv["p5"] == pytest.approx(mean - 1.6448536 * sd, rel=2e-3)
    assert npv["p95"] == pytest.approx(mean + 1.6448536 * sd, rel=2e-3)
    cost = mc.indicator("cost.energy")                     # per year: price x 1,000, undiscounted
    assert list(cost.index) == [2020, 2021, 2022]
    np.testing.assert_allclose(cost["mean"], 100000, rtol=2e-4)
    np.testing.assert_allclose(cost["sd"], 10000, rtol=2e-2)
    assert mc.adoption.set_index("technology").loc["x", "share_of_runs_adopted"] == 0
    assert mc.targets["probability_met"].tolist() == [1.0]
    assert mc.samples is None                              # not kept


def test_same_seed_same_frames_whatever_the_threads():
    sc = tiny(T_A, MC_MIXED)
    one = sc.montecarlo(threads=1, keep_samples=True, progress=False)
    two = sc.montecarlo(threads=2, keep_samples=True, progress=False)
    for name in one.table_names:
        pd.testing.assert_frame_equal(one.table(name), two.table(name))
    assert one.to_string(format="csv") == two.to_string(format="csv")
    other = sc.montecarlo(seed=6, threads=2, keep_samples=True, progress=False)
    assert not one.samples["price"].equals(other.samples["price"])


def test_montecarlo_options():
    sc = tiny(T_DUD, MC_NORMAL)
    few = sc.montecarlo(samples=7, progress=False)
    assert few.runs_total == 7 and few.totals["runs"].iloc[0] == 7
    lhs = sc.montecarlo(samples=50, method="lhs", keep_samples=True, progress=False).samples["price"]
    rnd = sc.montecarlo(samples=50, method="random", keep_samples=True, progress=False).samples["price"]
    assert not lhs.equals(rnd)
    # LHS puts exactly one of the 50 draws in each 2 % stratum of the distribution
    from statistics import NormalDist
    strata = np.floor(np.array([NormalDist(100, 10).cdf(v) for v in lhs]) * 50)
    assert sorted(strata) == list(range(50))
    warm = sc.montecarlo(samples=30, threads=1, progress=False).totals
    cold = sc.montecarlo(samples=30, threads=1, warm=False, progress=False).totals
    np.testing.assert_allclose(warm["mean"], cold["mean"], rtol=1e-7)


# ------------------------------------------------------------------ progress and cancellation

def test_progress_callable_runs_on_the_calling_thread():
    calls = []
    me = threading.get_ident()
    mc = tiny(T_DUD, MC_NORMAL).montecarlo(samples=300, threads=2,
                                             progress=lambda d, t: calls.append((d, t, threading.get_ident())))
    assert calls and calls[-1][:2] == (300, 300)
    assert all(t == 300 and tid == me for _, t, tid in calls)
    done = [d for d, _, _ in calls]
    assert done == sorted(done)
    assert not mc.cancelled


def test_progress_bar(capfd):
    tiny(T_X).macc(steps=3, progress=True)
    err = capfd.readouterr().err
    assert "macc_model" in err and "4/4" in err and "100%" in err
    tiny(T_X).macc(steps=3, progress=False)
    assert capfd.readouterr().err == ""
    with pytest.raises(TypeError, match="progress must be"):
        tiny(T_X).macc(progress="yes")


def test_cancel_keeps_partial_results():
    sc = tiny(T_DUD, MC_NORMAL)
    with pytest.warns(techroad.CancelledWarning, match="progress callable after"):
        mc = sc.montecarlo(threads=1, progress=lambda done, total: True)
    assert mc.cancelled and 0 < mc.runs_done < mc.runs_total == 2000
    npv = mc.totals.set_index("total").loc["npv"]
    assert npv["runs"] == mc.runs_done                       # the statistics use the runs done
    assert mc.totals.attrs["cancelled"] is True
    # sweeps return a DataFrame: attrs say it was cut short
    with pytest.warns(techroad.CancelledWarning):
        # 4,000 points: with 400 the worker sometimes finished them all before
        # a busy machine let this thread report once (seen under meson test -j2)
        df = sc.sweep("carriers.electricity.price", np.linspace(50, 150, 4000), threads=1,
                      progress=lambda d, t: d >= 1)
    assert df.attrs["cancelled"] and len(df) == df.attrs["runs_done"] < 4000
    # single-threaded analyses stop between steps
    with pytest.warns(techroad.CancelledWarning):
        m = tiny(T_X).macc(steps=10, progress=lambda d, t: d >= 3)
    assert m.cancelled and len(m.model) == 3
    with pytest.warns(techroad.CancelledWarning):
        f = tiny(T_X).pareto("npv", "emissions.CO2", points=8, progress=lambda d, t: d >= 2)
    assert f.cancelled and len(f.front) == 2                 # the two ends


def test_keyboard_interrupt_in_the_callback_cancels():
    def interrupt(done, total):
        if done > 0:
            raise KeyboardInterrupt
    with pytest.warns(techroad.CancelledWarning, match="Ctrl-C"):
        mc = tiny(T_DUD, MC_NORMAL).montecarlo(threads=2, progress=interrupt)
    assert mc.cancelled and mc.runs_done < mc.runs_total
    assert len(mc.percentiles) > 0


@pytest.mark.skipif(threading.current_thread() is not threading.main_thread(), reason="signals need the main thread")
def test_ctrl_c_cancels_cleanly():
    """A real SIGINT: delivered while the C call runs, raised as KeyboardInterrupt
    when the library next reports progress, turned into a cancellation. No
    progress display is needed for that."""
    sc = tiny(T_DUD, MC_NORMAL)
    timer = threading.Timer(0.2, os.kill, (os.getpid(), signal.SIGINT))
    timer.start()
    try:
        with pytest.warns(techroad.CancelledWarning, match="Ctrl-C"):
            mc = sc.montecarlo(samples=200_000, threads=2, progress=False)
    finally:
        timer.cancel()
    assert mc.cancelled and mc.runs_done < mc.runs_total == 200_000
    assert mc.totals.set_index("total").loc["npv", "runs"] == mc.runs_done

    # a Ctrl-C inside the user's callable (the KeyboardInterrupt may be raised there or on entry)
    sent = []

    def ctrl_c(done, total):
        if done > 0 and not sent:
            sent.append(done)
            os.kill(os.getpid(), signal.SIGINT)
    with pytest.warns(techroad.CancelledWarning, match="Ctrl-C"):
        mc = sc.montecarlo(samples=200_000, threads=2, progress=ctrl_c)
    assert sent and mc.cancelled and mc.runs_done < 200_000


def test_errors_in_the_callable_propagate():
    def broken(done, total):
        raise ValueError("broken callback")
    with pytest.raises(ValueError, match="broken callback"):
        tiny(T_DUD, MC_NORMAL).montecarlo(threads=1, progress=broken)


def test_analyses_in_parallel_threads():
    sc = tiny(T_A, MC_MIXED)
    expected = sc.montecarlo(threads=1, progress=False).to_string(format="csv")
    got = [None, None]

    def job(i):
        got[i] = sc.copy().montecarlo(threads=1, progress=False).to_string(format="csv")
    ts = [threading.Thread(target=job, args=(i,)) for i in range(2)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert got == [expected, expected]


# ------------------------------------------------------------------ sweeps, tornado, Morris

def test_sweep_matches_single_solves(cli, tmp_path):
    sc = tiny(T_A)
    df = sc.sweep("carriers.electricity.price", np.array([50.0, 100, 150]), progress=False)
    assert list(df.columns[:2]) == ["carriers.electricity.price", "status"] and len(df) == 3
    for i, v in enumerate([50, 100, 150]):
        assert df["npv"][i] == pytest.approx(sc.copy().set("carriers.electricity.price", v).solve().npv, rel=1e-9)
    assert (df["status"] == "optimal").all()
    grid = sc.sweep("carriers.electricity.price", [50, 100, 150], "technologies.a.capex", [1, 20], scale2=True,
                    progress=False)
    assert len(grid) == 6 and list(grid["technologies.a.capex"]) == [1, 20] * 3
    one = sc.copy().set("carriers.electricity.price", 150).set("technologies.a.capex", 600).solve().npv
    assert grid["npv"].iloc[5] == pytest.approx(one, rel=1e-9)
    path = write(tmp_path, "a.yaml", tiny_text(T_A))
    out = tmp_path / "cli"
    run_cli(cli, "sweep", path, "--param", "carriers.electricity.price=50:150:3",
            "--param", "technologies.a.capex=1,20", "--scale", "--format", "csv", "--out", out)
    scaled = sc.sweep("carriers.electricity.price", [50, 100, 150], "technologies.a.capex", [1, 20], scale=True,
                      progress=False)
    assert_same_as_csv(scaled, out / "sweep.csv")


def test_tornado_and_morris(cli, tmp_path):
    sc = tiny(T_DUD, SENS)
    t = sc.tornado(progress=False)
    assert list(t["parameter"]) == ["price", "dud"]                 # largest swing first
    # 5th and 95th percentiles of U(80, 120): 82 and 118
    assert t["low"][0] == pytest.approx(82) and t["high"][0] == pytest.approx(118)
    assert t["swing"][0] == pytest.approx(36 * 1000 * S3, rel=1e-9)
    assert t["swing"][1] == 0 and t["output"][0] == "npv"
    co2 = sc.tornado(output="cumulative.emissions.CO2", progress=False)
    assert (co2["swing"] == 0).all()
    m = sc.morris(5, 4, progress=False).set_index("parameter")
    assert m.loc["price", "mu_star"] > 0 and m.loc["price", "sigma"] == pytest.approx(0, abs=1e-6)
    assert m.loc["dud", "mu_star"] == 0 and m["effects"].dtype == np.int64
    path = write(tmp_path, "s.yaml", tiny_text(T_DUD, SENS))
    out = tmp_path / "cli"
    run_cli(cli, "sensitivity", path, "--format", "csv", "--out", out)
    assert_same_as_csv(t, out / "tornado.csv")
    run_cli(cli, "sensitivity", path, "--method", "morris", "--trajectories", 5, "--format", "csv", "--out", out)
    assert_same_as_csv(sc.morris(5, progress=False), out / "morris.csv")


# ------------------------------------------------------------------ MACC

def test_macc_by_hand_and_against_the_cli(cli, tmp_path):
    """a: 3,000 USD/yr for 720 GJ and 200 t: -85 USD/t; b after a: 80 t at 25 USD/t."""
    sc = tiny(T_A + T_B)
    m = sc.macc(2020, progress=False)
    assert (m.year, m.species, m.unit, m.currency) == (2020, "CO2", "t", "USD")
    ms = m.measures
    assert list(ms["technology"]) == ["a", "b"] and list(ms["rank"]) == [1, 2]
    np.testing.assert_allclose(ms["cost_per_unit_avoided"], [-85, 25], rtol=1e-12)
    np.testing.assert_allclose(ms["cost_of_conserved_energy"], [3000 / 720, 10000 / 288], rtol=1e-12)
    np.testing.assert_allclose(ms["cumulative_avoided"], [200, 280], rtol=1e-12)
    # model MACC: 50 USD/t while 2022's installations suffice, 105 USD/t beyond
    mx = tiny(T_X).macc(2022, steps=4, progress=False)
    model = mx.model
    assert list(model["step"]) == [0, 1, 2, 3, 4]
    assert model["cap"].iloc[0] == pytest.approx(1000) and model["abatement"].iloc[-1] == pytest.approx(200)
    assert model["step_cost"].iloc[1] == pytest.approx(50, rel=1e-7)
    assert model["step_cost"].iloc[4] == pytest.approx(105, rel=1e-7)
    assert model["shadow_price"].iloc[1] == pytest.approx(50, rel=1e-7)
    assert not mx.cancelled
    path = write(tmp_path, "x.yaml", tiny_text(T_X))
    assert mx.to_string() == run_cli(cli, "macc", path, "--year", 2022, "--steps", 4)
    out = tmp_path / "cli"
    run_cli(cli, "macc", path, "--year", 2022, "--steps", 4, "--format", "csv", "--out", out)
    assert_same_as_csv(mx.measures, out / "measure_macc.csv")
    assert_same_as_csv(model, out / "model_macc.csv")
    # exclusive groups: only the better member counts
    g = tiny("  a: {group: g, effects: {electricity: -0.2}, capex: 30, lifetime: 10, hurdle_rate: 0}\n"
             "  b: {group: g, effects: {electricity: -0.1}, capex: 100, lifetime: 10, hurdle_rate: 0}\n")
    note = g.macc(2020, progress=False).measures.set_index("technology").loc["b", "note"]
    assert "exclusive group" in note


# ------------------------------------------------------------------ fronts

def test_front_and_variants(cli, tmp_path):
    sc = tiny(T_X)
    f = sc.pareto("npv", "emissions.CO2", points=6, progress=False)
    assert isinstance(f, techroad.Front) and f.kind == "pareto"
    assert (f.x, f.y) == ("npv", "emissions.CO2")
    fr = f.front
    assert list(fr.columns[:6]) == ["point", "npv", "emissions.CO2", "dominated", "end_point", "adoption.x"]
    assert fr.attrs["x"] == "npv" and fr.attrs["y"] == "emissions.CO2"
    assert fr["npv"].iloc[0] == pytest.approx(100000 * S3, rel=1e-9)
    assert fr["emissions.CO2"].iloc[0] == pytest.approx(3000, rel=1e-8)
    assert fr["emissions.CO2"].iloc[-1] == pytest.approx(2500, rel=1e-7)
    assert fr["dominated"].dtype == bool and not fr["dominated"].any()
    assert list(fr["end_point"])[::5] == ["npv", "emissions.CO2"]
    assert f.variants.empty and list(f.variants.columns) == ["variant", "npv", "emissions.CO2", "dominated"]
    # a dearer electricity price: same emissions, higher NPV -> dominated by the front's first point
    dear = tiny(T_X, price=110)
    dear.set("name", "dear")
    f.place({"base": sc.solve(), "dear": dear})
    v = f.variants.set_index("variant")
    assert list(v.index) == ["base", "dear"]
    assert not v.loc["base", "dominated"] and v.loc["dear", "dominated"]
    assert v.loc["dear", "npv"] == pytest.approx(110000 * S3, rel=1e-9)
    f.place(sc)                                          # another call adds rows
    assert list(f.variants["variant"]) == ["base", "dear", "t"]
    assert f.table_names == ["front", "variants", "variants"]
    # the same front and placement as `techroad pareto --place`
    path = write(tmp_path, "x.yaml", tiny_text(T_X))
    vpath = write(tmp_path, "dear.yaml", dear.to_yaml())
    out = tmp_path / "cli"
    run_cli(cli, "pareto", path, "--x", "npv", "--y", "emissions.CO2", "--points", 6, "--place", vpath,
            "--format", "csv", "--out", out)
    g = techroad.load(path).pareto("npv", "emissions.CO2", points=6, place=[techroad.load(vpath)], progress=False)
    assert_same_as_csv(g.table("front"), out / "front.csv")
    assert_same_as_csv(g.table("variants"), out / "variants.csv")


# ------------------------------------------------------------------ the Analysis object

def test_analysis_object(tmp_path):
    with tiny(T_DUD, MC_NORMAL).montecarlo(samples=20, progress=False) as mc:
        assert isinstance(mc, techroad.MonteCarlo) and isinstance(mc, techroad.Analysis)
        assert mc.kind == "montecarlo" and not mc.closed
        assert repr(mc) == "<techroad.MonteCarlo montecarlo: 20/20 runs>"
        j = json.loads(mc.to_string("totals", format="json"))
        assert j["table"] == "totals" and j["rows"][0]["total"] == "npv" and j["rows"][0]["runs"] == 20
        csv = pd.read_csv(io.StringIO(mc.to_string("targets", format="csv")))
        assert list(csv.columns) == ["policy", "probability_met", "runs"]
        assert "<b>techroad montecarlo</b>" in mc._repr_html_() and "percentiles" in mc._repr_html_()
        paths = mc.write(tmp_path / "json", format="json")
        assert sorted(os.path.basename(p) for p in paths) == ["adoption.json", "percentiles.json", "targets.json",
                                                               "totals.json"]
        with pytest.raises(techroad.ScenarioError, match="no table 'nope'.*percentiles"):
            mc.table("nope")
        with pytest.raises(techroad.ScenarioError, match="no table 'nope'"):
            mc.to_string("nope")
        with pytest.raises(ValueError, match="format"):
            mc.to_string(format="iamc")
        with pytest.raises(ValueError, match="format"):
            mc.write(tmp_path, format="table")
        with pytest.raises(techroad.ScenarioError, match="no indicator 'nope'"):
            mc.indicator("nope")
        df = mc.totals
        df.loc[0, "mean"] = -1                             # a fresh frame each time
        assert mc.totals.loc[0, "mean"] > 0
    assert mc.closed and repr(mc) == "<techroad.MonteCarlo montecarlo: closed>"
    with pytest.raises(ValueError, match="closed"):
        mc.totals
    with pytest.raises(TypeError):
        techroad.Analysis()
    with pytest.raises(TypeError):
        techroad.MACC()
    with tiny(T_X).macc(steps=2, progress=False) as m:
        assert "techroad MACC" in m._repr_html_() and repr(m).startswith("<techroad.MACC CO2 2022")
    assert m.closed and repr(m) == "<techroad.MACC (closed)>"
    with pytest.raises(ValueError, match="closed"):
        m.model


@pytest.mark.skipif(_libc is None, reason="needs glibc's mallinfo2")
def test_no_heap_growth_when_analyses_are_dropped():
    sc = tiny(T_DUD, MC_NORMAL)

    def cycle():
        mc = sc.montecarlo(samples=500, threads=2, keep_samples=True, progress=False)
        mc.samples, mc.percentiles
        sc.macc(steps=2, progress=False).model
        sc.pareto("npv", "emissions.CO2", points=3, place=[sc], progress=False).variants
    for _ in range(5):
        cycle()
    before = _heap_bytes()
    for _ in range(40):
        cycle()
    grown = _heap_bytes() - before
    # one Monte Carlo with its samples table is ~100 kB: a leak would show as > 4 MB
    assert grown < 1_000_000, f"C heap grew by {grown} bytes"
    refs = [weakref.ref(sc.montecarlo(samples=5, progress=False)), weakref.ref(sc.macc(progress=False))]
    gc.collect()
    assert all(r() is None for r in refs)


def test_analysis_errors():
    plain = tiny(T_A)
    for call in (plain.montecarlo, plain.tornado, plain.morris):
        with pytest.raises(techroad.ScenarioError, match="no `uncertainty:` section") as e:
            call(progress=False)
        assert e.value.code == techroad.Status.E_INVAL
    with pytest.raises(techroad.ScenarioError, match="carriers.nothing.price: no such value") as e:
        plain.sweep("carriers.nothing.price", [1, 2], progress=False)
    assert e.value.code == techroad.Status.E_NOTFOUND
    with pytest.raises(techroad.ScenarioError, match="at least one value"):
        plain.sweep("carriers.electricity.price", [], progress=False)
    with pytest.raises(ValueError, match="path2 and values2"):
        plain.sweep("carriers.electricity.price", [1], path2="technologies.a.capex")
    with pytest.raises(ValueError, match="1-D"):
        plain.sweep("carriers.electricity.price", [[1, 2]])
    with pytest.raises(techroad.ScenarioError, match='unknown species "SO2"'):
        plain.macc(species="SO2", progress=False)
    with pytest.raises(techroad.ScenarioError, match="within the horizon 2020..2022, got 2040"):
        plain.macc(2040, progress=False)
    with pytest.raises(techroad.ScenarioError, match="SO2"):
        plain.pareto("npv", "emissions.SO2", progress=False)
    with pytest.raises(techroad.ScenarioError, match="2..100000 points"):
        plain.pareto("npv", "emissions.CO2", points=1, progress=False)
    sens = tiny(T_DUD, SENS)
    with pytest.raises(techroad.ScenarioError, match='no total called "nope"'):
        sens.tornado(output="nope", progress=False)
    with pytest.raises(techroad.ScenarioError, match="2..1000 levels"):
        sens.morris(levels=1, progress=False)
    with pytest.raises(techroad.ScenarioError, match=r"threads: expected 0 \(one per CPU\) to 64, got 65"):
        sens.tornado(threads=65, progress=False)
    with pytest.raises(ValueError, match="method must be lhs or random"):
        sens.montecarlo(method="sobol")
    with pytest.raises(ValueError, match="seed must be >= 0"):
        sens.montecarlo(seed=-1)
    with pytest.raises(ValueError, match="samples must be >= 1"):
        sens.montecarlo(samples=0)
    with pytest.raises(TypeError, match="samples must be an integer"):
        sens.montecarlo(samples=1.5)
    # an infeasible scenario cannot be analysed
    bad = tiny(T_X, "policies: {c: {type: cap, indicator: emissions.CO2, limit: 10}}\n" + SENS)
    with pytest.raises(techroad.ScenarioError, match="the scenario itself is infeasible"):
        bad.tornado(progress=False)
    with pytest.raises(techroad.ScenarioError, match="itself is infeasible"):
        bad.pareto("npv", "emissions.CO2", progress=False)


# ------------------------------------------------------------------ plots

@pytest.fixture
def plt():
    mpl = pytest.importorskip("matplotlib")
    mpl.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def test_plot_macc(plt):
    import matplotlib
    m = tiny(T_A + T_B).macc(2020, progress=False)
    ax = techroad.plot_macc(m)
    assert isinstance(ax, matplotlib.axes.Axes)
    bars = ax.containers[0]
    assert [b.get_width() for b in bars] == pytest.approx([200, 80])          # width = CO2 avoided
    assert [b.get_height() for b in bars] == pytest.approx([-85, 25])         # height = cost per t
    assert [b.get_x() for b in bars] == pytest.approx([0, 200])               # side by side
    assert ax.get_xlabel() == "CO₂ avoided in 2020 [t]" and ax.get_ylabel() == "cost per t CO₂ avoided [USD/t]"
    ax = techroad.plot_macc(tiny(T_X).macc(2022, steps=4, progress=False), kind="model")
    heights = [b.get_height() for b in ax.containers[0]]
    assert heights == sorted(heights) and heights[0] == pytest.approx(50) and heights[-1] == pytest.approx(105)
    assert sum(b.get_width() for b in ax.containers[0]) == pytest.approx(200)
    ax = techroad.plot_macc(m.measures, title="t")                           # a table works too
    assert ax.get_title() == "t"
    with pytest.raises(ValueError, match="kind"):
        techroad.plot_macc(m, kind="both")
    with pytest.raises(ValueError, match="plot_macc"):
        techroad.plot_macc(pd.DataFrame({"x": [1]}))


def test_plot_fan(plt):
    import matplotlib
    mc = tiny(T_DUD, MC_NORMAL).montecarlo(samples=100, progress=False)
    ax = techroad.plot_fan(mc, "cost.energy")
    assert isinstance(ax, matplotlib.axes.Axes)
    assert [c.get_label() for c in ax.collections] == ["5–95 % of runs", "25–75 % of runs"]
    median = ax.get_lines()[0]
    p50 = mc.indicator("cost.energy")["p50"]
    assert 1e3 <= p50.abs().max() < 1e6                  # so drawn in thousand USD, named in the label
    np.testing.assert_allclose(median.get_ydata(), p50 / 1e3)
    assert ax.get_ylabel() == "Energy cost [thousand USD]"
    assert list(median.get_xdata()) == [2020, 2021, 2022]
    fig, axes = plt.subplots(1, 2)
    assert techroad.plot_fan(mc.percentiles, "emissions.CO2", ax=axes[1]) is axes[1]
    with pytest.raises(ValueError, match="no indicator"):
        techroad.plot_fan(mc.percentiles, "nope")
    with pytest.raises(techroad.ScenarioError):
        techroad.plot_fan(mc, "nope")


def test_plot_tornado(plt):
    import matplotlib
    t = tiny(T_DUD, SENS).tornado(progress=False)
    ax = techroad.plot_tornado(t)
    assert isinstance(ax, matplotlib.axes.Axes)
    low, high = ax.containers
    assert [tl.get_text() for tl in ax.get_yticklabels()] == ["dud", "price"]       # largest swing on top
    base = t["output_base"][0]
    assert 1e5 <= base < 1e6                            # so in thousand USD
    assert low[1].get_x() == pytest.approx(base / 1e3)
    assert low[1].get_width() == pytest.approx((t["output_low"][0] - base) / 1e3)
    assert high[1].get_width() == pytest.approx((t["output_high"][0] - base) / 1e3)
    assert ax.get_xlabel() == "NPV, private costs [thousand USD]"
    with pytest.raises(ValueError, match="tornado"):
        techroad.plot_tornado(pd.DataFrame({"x": [1]}))


def test_plot_front(plt):
    import matplotlib
    sc = tiny(T_X)
    dear = tiny(T_X, price=110).set("name", "dear")
    f = sc.pareto("npv", "emissions.CO2", points=5, place=[sc, dear], progress=False)
    ax = techroad.plot_front(f)
    assert isinstance(ax, matplotlib.axes.Axes)
    assert 1e3 <= f.front["npv"].abs().max() < 1e6
    np.testing.assert_allclose(ax.get_lines()[0].get_xdata(), f.front["npv"] / 1e3)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend == ["front", "non-dominated", "t", "dear (dominated)"]
    assert [t.get_text() for t in ax.texts] == ["t", "dear"]
    assert ax.get_xlabel() == "NPV, private costs [thousand USD]"
    assert ax.get_ylabel().startswith("CO₂ emissions, sum over the horizon [")
    ax = techroad.plot_front(f.front, variants=f.variants, annotate=False)
    assert not ax.texts
    with pytest.raises(ValueError, match="plot_front"):
        techroad.plot_front(pd.DataFrame({"x": [1]}))


def test_sweep_non_finite_values_blame_the_argument():
    """Issue 17 item 15: nan or inf in a sweep's values is the caller's
    error, not the scenario file's (it said 'FILE:L:C: ... got "-nan"')."""
    sc = tiny(T_A)
    for bad, word in ((float("nan"), "nan"), (float("inf"), "inf")):
        with pytest.raises(techroad.ScenarioError) as e:
            sc.sweep("carriers.electricity.price", [50.0, bad], progress=False)
        assert f"values for carriers.electricity.price: value 2 of 2 is {word}" in str(e.value)
        assert ".yaml" not in str(e.value)


def test_monte_carlo_pickles_and_comes_back_equal():
    # issue 17 item 20: TypeError "cannot pickle '_cffi_backend.__CDataGCP'";
    # it pickles as its scenario and options, run again when unpickled
    import copy
    import pickle
    sc = tiny(T_A, MC_NORMAL.replace("samples: 2000", "samples: 40"))
    mc = sc.montecarlo(threads=2, keep_samples=True, progress=False)
    sc.set("carriers.electricity.price", 500)        # later edits are not the analysis'
    for back in (pickle.loads(pickle.dumps(mc)), copy.deepcopy(mc)):
        assert type(back) is techroad.MonteCarlo and back is not mc
        assert back.to_string() == mc.to_string()
        pd.testing.assert_frame_equal(back.samples, mc.samples)
    # a cancelled one cannot be made again: refused, not silently different
    with pytest.warns(techroad.CancelledWarning):
        cancelled = tiny(T_A, MC_NORMAL).montecarlo(threads=1, progress=lambda done, total: True)
    assert cancelled.cancelled
    with pytest.raises(TypeError, match="it was cancelled"):
        pickle.dumps(cancelled)


def test_plot_front_labels_do_not_overlap(plt):
    """Variants that land on the same point (three copies of one scenario
    under other names) get labels that cover each other nowhere."""
    sc = tiny(T_X)
    same = [tiny(T_X).set("name", n) for n in ("copy_a", "copy_b", "copy_c")]
    f = sc.pareto("npv", "emissions.CO2", points=3, place=same, progress=False)
    ax = techroad.plot_front(f)
    renderer = ax.figure.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for t in ax.texts]
    assert [t.get_text() for t in ax.texts] == ["copy_a", "copy_b", "copy_c"]
    for i, a in enumerate(boxes):
        assert not any(a.overlaps(b) for b in boxes[i + 1:]), ax.texts[i].get_text()
