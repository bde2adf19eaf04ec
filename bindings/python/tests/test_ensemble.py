"""techroad.ensemble on a Dask LocalCluster of two worker processes on
loopback: the same tables, to the byte, as a local Monte Carlo."""
import pytest
from dask.distributed import Client, LocalCluster

import techroad
from techroad import analysis

TABLES = ["percentiles", "totals", "targets", "adoption", "samples"]


@pytest.fixture(scope="module")
def client():
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=None) as cluster, Client(cluster) as c:
        yield c


@pytest.fixture(scope="module")
def scen(scen_dir):
    return techroad.load(scen_dir / "uncertainty.yaml")


@pytest.fixture(scope="module")
def local(scen):
    return scen.montecarlo(40, keep_samples=True, progress=False)


def _same(a, b):
    for name in TABLES:
        assert a.to_string(name, "csv") == b.to_string(name, "csv"), name


def test_cluster_equals_local(client, scen, local):
    mc = techroad.ensemble(scen, 40, client=client, keep_samples=True, progress=False)
    assert isinstance(mc, techroad.MonteCarlo)
    assert mc.runs_done == mc.runs_total == 40
    _same(local, mc)
    # some samples are infeasible (the grid factor moves the CO2 cap), and the merge keeps that
    t = mc.targets
    assert 0 < t.loc[t.policy == "(all targets: feasible)", "probability_met"].iloc[0] <= 1


def test_more_parts_than_workers(client, scen, local):
    seen = []
    mc = techroad.ensemble(scen, 40, client=client, chunks=7, keep_samples=True,
                           progress=lambda done, total: seen.append((done, total)) and False)
    _same(local, mc)
    assert seen[-1] == (7, 7)


def test_cancelled_by_the_progress_callable(client, scen):
    with pytest.raises(KeyboardInterrupt, match="ensemble cancelled after 1 of 4 parts"):
        techroad.ensemble(scen, 40, client=client, chunks=4, progress=lambda done, total: done >= 1)


def test_without_a_client_runs_here(scen, local):
    _same(local, techroad.ensemble(scen, 40, keep_samples=True, progress=False))


def test_parts_must_cover_every_sample(scen):
    part = analysis.montecarlo_part(scen, 0, 30, 40)
    assert list(part["sample"]) == list(range(30))
    assert part["names"][0] == "t:npv" and part["values"].shape == (30, len(part["names"]))
    with pytest.raises(techroad.ScenarioError, match="sample 30 is missing"):
        analysis.montecarlo_merge(scen, [part], 40)
    with pytest.raises(techroad.ScenarioError, match="given twice"):
        analysis.montecarlo_merge(scen, [part, part, analysis.montecarlo_part(scen, 30, 10, 40)], 40)


def test_cluster_equals_local_for_a_decomposed_sector(client, scen_dir):
    # 45 plants: every run (and each worker's base case) is decomposed
    from test_decomposed import _sector
    sc = _sector(scen_dir)
    sc.set_yaml("uncertainty", "{samples: 4, seed: 3, parameters: {elec: {path: carriers.electricity.price, "
                               "mode: scale, distribution: uniform, low: 0.9, high: 1.1}}}")
    local = sc.montecarlo(4, keep_samples=True, progress=False)
    assert (local.samples.status == "optimal").all()
    _same(local, techroad.ensemble(sc, 4, client=client, chunks=2, keep_samples=True, progress=False))
