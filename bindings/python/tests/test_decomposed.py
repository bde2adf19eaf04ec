"""The decomposed solve (method="decomposed" / "auto") against the whole LP,
on a sector of 42 plants made from the 14 Viet Nam plants."""
import numpy as np
import pandas as pd
import pytest

import techroad


def _sector(scen_dir, copies=3, identical=False):
    """voluntary-agreement.yaml with each of its plants copied @copies times,
    scaled by 0.5-1.5 (or all the same size with @identical); a copy has its
    original's existing equipment (base-year intensity) and technologies."""
    sc = techroad.load(scen_dir / "voluntary-agreement.yaml")
    plants = sc.ids("plants")
    years = sc.years
    made = {}
    for pid in plants:
        text = sc.get(f"plants.{pid}")
        cap = sc.series(f"plants.{pid}.capacity")
        prod = sc.series(f"plants.{pid}.production")
        made[pid] = []
        for i in range(copies - 1):
            f = 1.0 if identical else 0.5 + (i * 7 % 11) / 10
            new = f"{pid}_{i}"
            made[pid].append(new)
            sc.set_yaml(f"plants.{new}", text)
            edits = [("capacity", cap), ("production", prod)]   # utilisation stays in [0, 1]
            for field, ser in (edits if f >= 1 else edits[::-1]):
                sc.set(f"plants.{new}.{field}", {y: float(v) * f for y, v in zip(years, ser)})
    for k in sc.ids("technologies"):
        if sc.get(f"technologies.{k}.applies_to").startswith("-"):
            listed = [ln[2:].strip() for ln in sc.get(f"technologies.{k}.applies_to").splitlines()]
            sc.set(f"technologies.{k}.applies_to", listed + [c for p in listed for c in made[p]])
        shares = {p: float(sc.get(f"technologies.{k}.existing.{p}")) for p in plants
                  if sc.has(f"technologies.{k}.existing.{p}")}
        if shares:
            sc.set(f"technologies.{k}.existing", {**shares, **{c: v for p, v in shares.items() for c in made[p]}})
    return sc


@pytest.fixture(scope="module")
def sector(scen_dir):
    return _sector(scen_dir)


def test_auto_decomposes_large_sectors(sector, scen_dir):
    assert len(sector.ids("plants")) >= techroad.DECOMPOSE_MIN_PLANTS
    assert sector.solve().method.startswith("Dantzig-Wolfe decomposition (42 plants")
    small = techroad.load(scen_dir / "voluntary-agreement.yaml")
    assert small.solve().method == "dual simplex"


def test_same_answer_as_the_whole_lp(sector):
    m = sector.solve(method="monolithic")
    d = sector.solve(method="decomposed")
    assert m.status == d.status == techroad.SolStatus.OPTIMAL
    assert m.method == "dual simplex" and d.method.startswith("Dantzig-Wolfe")
    assert d.npv == pytest.approx(m.npv, rel=1e-7)
    pd.testing.assert_frame_equal(d.indicators, m.indicators, rtol=1e-6, atol=1e-6)
    pd.testing.assert_frame_equal(d.adoption, m.adoption, rtol=1e-6, atol=1e-9)
    sp_m = m.policies.xs("shadow_price", axis=1, level=1).astype(float)
    sp_d = d.policies.xs("shadow_price", axis=1, level=1).astype(float)
    assert np.nanmax(sp_m.to_numpy()) > 0, "the intensity cap binds somewhere"
    np.testing.assert_allclose(sp_d.to_numpy(), sp_m.to_numpy(), rtol=1e-6, atol=1e-9)


def test_threads_give_the_same_bytes(sector):
    one = sector.solve(method="decomposed", threads=1).to_json()
    two = sector.solve(method="decomposed", threads=2).to_json()
    assert one == two


def test_identical_plants_share_a_subproblem(scen_dir):
    sc = _sector(scen_dir, copies=4, identical=True)
    a = sc.solve(method="decomposed")
    n = sc.solve(method="decomposed", aggregate=False)
    plants = len(sc.ids("plants"))
    assert f"({plants} plants, {plants} subproblems" in n.method
    # each original and its 3 copies are identical (same size, equipment and
    # technologies), and the 14 originals all differ: 14 classes of 4
    assert plants == 56 and f"({plants} plants, 14 subproblems" in a.method
    assert a.npv == pytest.approx(n.npv, rel=1e-9)
    pd.testing.assert_frame_equal(a.indicators, n.indicators, rtol=1e-6, atol=1e-6)


def test_bad_decomposition_options(sector):
    with pytest.raises(ValueError, match="method must be one of auto, monolithic, decomposed"):
        sector.solve(method="bogus")
    with pytest.raises(techroad.TechroadError, match="gap"):
        sector.solve(method="decomposed", gap=0)
    with pytest.raises(techroad.TechroadError, match="threads"):
        sector.solve(method="decomposed", threads=-1)


def test_progress_follows_the_rounds(sector):
    seen = []
    r = sector.solve(method="decomposed", threads=1, progress=lambda rnd, gap: seen.append((rnd, gap)) and False)
    plain = sector.solve(method="decomposed", threads=1)
    assert r.to_json() == plain.to_json()          # following a solve does not change it
    rounds = [rnd for rnd, _ in seen]
    assert rounds == sorted(set(rounds)) and len(rounds) >= 2
    assert f"{rounds[-1]} master solves" in r.method
    assert seen[-1][1] <= 1e-9
    assert all(g >= 0 for _, g in seen)


def test_progress_cancels(sector):
    r = sector.solve(method="decomposed", progress=lambda rnd, gap: rnd >= 2)
    assert r.status == techroad.SolStatus.LIMIT
    assert r.method.startswith("Dantzig-Wolfe decomposition")
    m = sector.model()
    r = m.solve(method="decomposed", progress=lambda rnd, gap: True)
    assert r.status == techroad.SolStatus.LIMIT
    assert m.solve(method="decomposed").status == techroad.SolStatus.OPTIMAL   # the model is still usable


def test_ctrl_c_during_a_decomposed_solve(sector):
    # Ctrl-C arrives as a KeyboardInterrupt in the progress callback: the
    # solve stops at the end of the round and the interrupt is raised after it
    def interrupt(rnd, gap):
        raise KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt, match="cancelled after 1 rounds"):
        sector.solve(method="decomposed", progress=interrupt)

    def broken(rnd, gap):
        raise ValueError("from the callable")
    with pytest.raises(ValueError, match="from the callable"):
        sector.solve(method="decomposed", progress=broken)
    with pytest.raises(TypeError, match="progress must be"):
        sector.solve(progress=5)
    # a whole-LP solve reports nothing
    seen = []
    assert sector.solve(method="monolithic", progress=lambda *a: seen.append(a)).status == techroad.SolStatus.OPTIMAL
    assert seen == []


def test_ctrl_c_while_an_analysis_solves_its_base_case(sector):
    sc = sector.copy()
    sc.set_yaml("uncertainty", "{samples: 4, seed: 3, parameters: {elec: {path: carriers.electricity.price, "
                               "mode: scale, distribution: uniform, low: 0.9, high: 1.1}}}")
    calls = []

    def interrupt(done, total):
        calls.append((done, total))
        raise KeyboardInterrupt
    with pytest.raises(KeyboardInterrupt, match="base case"):
        sc.montecarlo(progress=interrupt)
    assert calls == [(0, 4)]
