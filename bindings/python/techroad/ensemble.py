"""Monte Carlo ensembles on a Dask cluster (``techroad.ensemble``).

A local run and a cluster run of the same scenario with the same seed give
the same tables to the byte: the samples are drawn the same way everywhere,
every run starts from the base solution's basis whichever process solves
it, and the cluster's parts are merged by the library's own code
(``tr_analysis_montecarlo_merge``).

Point it at a real cluster::

    # on the scheduler machine            # on each worker machine (techroad installed)
    dask scheduler                        dask worker tcp://SCHEDULER:8786 --nthreads 1

    from dask.distributed import Client
    mc = techroad.ensemble(scenario, 10_000, client=Client("tcp://SCHEDULER:8786"))

Each worker needs this package (same version) and GLPK; the scenario travels
as its effective YAML text (``Scenario.to_yaml``), so files it extends or
reads CSV from need not exist there.
"""
import time

from . import analysis
from ._progress import _Progress
from .scenario import loads

__all__ = ["ensemble"]


def _solve_part(text, first, count, samples, seed, method, threads):
    """On a worker: the runs [first, first + count) of the ensemble."""
    sc = loads(text, label="ensemble.yaml")
    return analysis.montecarlo_part(sc, first, count, samples, seed, method, threads=threads)


def _chunks(n, k):
    """@n runs in @k contiguous parts of nearly equal size."""
    k = max(1, min(k, n))
    base, extra = divmod(n, k)
    out, first = [], 0
    for i in range(k):
        size = base + (i < extra)
        out.append((first, size))
        first += size
    return out


def ensemble(scenario, samples=None, seed=None, method=None, *, client=None, chunks=None, threads=0,
             keep_samples=False, progress=True):
    """A Monte Carlo over the scenario's ``uncertainty:`` section, locally or on a Dask cluster.

    The tables are identical, to the byte, to a local
    :meth:`Scenario.montecarlo` with the same @samples, @seed and @method.
    Cancelling (Ctrl-C, or the callable returning a true value) cancels the
    parts not yet done and raises KeyboardInterrupt: unlike a local run, the
    tables need every sample, so there is no partial result.

    Parameters
    ----------
    scenario : Scenario
    samples, seed : int, optional
        Default to the section's own.
    method : {"lhs", "random"}, optional
    client : dask.distributed.Client, optional
        None runs here (threads).
    chunks : int, optional
        Contiguous parts the samples are split into, each solved by one task
        (default: one per worker thread of the cluster).
    threads : int, default 0
        C threads per task (0: one per core of the worker).
    keep_samples : bool, default False
    progress : bool or callable, default True
        A bar (True), nothing (False/None) or a callable ``(done, total)``
        counting parts.

    Returns
    -------
    MonteCarlo
    """
    if client is None:
        return scenario.montecarlo(samples, seed, method, threads=threads, keep_samples=keep_samples,
                                   progress=progress)
    from distributed import as_completed
    n = samples
    if n is None:
        n = int(scenario.get("uncertainty.samples"))
    if chunks is None:
        chunks = max(1, sum(client.nthreads().values()))
    text = scenario.to_yaml()
    parts = _chunks(int(n), int(chunks))
    futures = [client.submit(_solve_part, text, first, count, n, seed, method, threads, pure=False)
               for first, count in parts]
    state = _Progress(progress, "ensemble")
    state.t0 = time.time()
    results = []
    try:
        state.update(0, len(futures))
        for fut in as_completed(futures):
            results.append(fut.result())
            if state.update(len(results), len(futures)):
                break
    except KeyboardInterrupt:
        state.interrupted = True
    finally:
        state.close()
    if len(results) < len(futures):
        for f in futures:
            f.cancel()
        if state.error is not None:
            raise state.error
        raise KeyboardInterrupt(f"ensemble cancelled after {len(results)} of {len(futures)} parts")
    results.sort(key=lambda p: int(p["sample"][0]) if len(p["sample"]) else -1)
    return analysis.montecarlo_merge(scenario, results, n, seed, method, keep_samples=keep_samples)
