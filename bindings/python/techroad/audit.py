"""What a scenario's numbers rest on (issue 14): the evidence tables of
tr_scenario_audit() and the influence ranking of tr_audit_ranking(), as
pandas DataFrames. ``Scenario.evidence()`` and ``Scenario.audit()``
(techroad.scenario) call these."""
from typing import NamedTuple, Optional

import numpy as np
import pandas as pd

from ._errors import check
from ._ffi import ffi, lib, to_bytes
from ._handle import _lock_of
from .analysis import _count, _opts, _read_table, _run

__all__ = ["evidence", "audit", "AuditResult"]

_COUNTS = ("numbers", "sourced", "assumption", "free_text", "neither", "line", "column")
_RANKS = ("npv", "co2", "intensity")


class AuditResult(NamedTuple):
    """What :meth:`Scenario.audit` returns.

    evidence : DataFrame, per file: numbers, sourced, assumption, free_text, neither
    numbers : DataFrame, every number with what covers it
    ranking : DataFrame or None, every assumption-covered field varied over its
        range, largest effect first (None with ``ranking=False``)
    outputs : DataFrame or None, the ranked outputs' names and base values
    """
    evidence: pd.DataFrame
    numbers: pd.DataFrame
    ranking: Optional[pd.DataFrame]
    outputs: Optional[pd.DataFrame]


def _tables(scenario):
    out = ffi.new("tr_analysis **")
    with _lock_of(scenario):      # another thread may be editing it
        check(lib.tr_scenario_audit(scenario._p, out))
    a = ffi.gc(out[0], lib.tr_analysis_free)
    frames = {}
    for i in range(lib.tr_analysis_table_count(a)):
        df = _read_table(lib.tr_analysis_table(a, i))
        for col in _COUNTS:
            if col in df.columns and df[col].dtype == np.float64:
                df[col] = df[col].astype(np.int64)
        frames[df.attrs["table"]] = df
    return frames


def evidence(scenario):
    """Per file of the merged scenario (extends chain, CSV tables), then a row
    "total": how many numbers, and how many of them are sourced (citation keys
    only), assumptions, free text (files without ``references:``) or neither."""
    return _tables(scenario)["evidence"]


def _ranking(scenario, rank, top, threads, progress):
    if rank not in _RANKS:
        raise ValueError(f"rank must be npv, co2 or intensity, got {rank!r}")
    n = 0 if top is None else _count(top, "top", 1)
    snap = scenario.copy()
    o, keep = _opts(threads)
    rb = ffi.new("char[]", to_bytes(rank, "rank"))
    an = _run("audit", progress, o, lambda out: lib.tr_audit_ranking(snap._p, rb, n, o, out))
    try:
        ranking = an.table("ranking")
        outputs = an.table("outputs")
    finally:
        an.close()
    ranking["numbers"] = ranking["numbers"].astype(np.int64)
    outputs["ranked"] = outputs["ranked"].astype(bool)
    return ranking, outputs


def audit(scenario, ranking=True, *, rank="npv", top=None, threads=0, progress=False):
    """What the scenario's results rest on.

    Parameters
    ----------
    ranking : bool, default True
        Vary every assumption-covered field over its range and rank them
        (seconds for the Viet Nam case); False returns the evidence only.
    rank : {"npv", "co2", "intensity"}
        The output the ranking orders by (the absolute difference of the output
        at the high and at the low end).
    top : int, optional
        Keep the first ``top`` rows of the ranking.
    threads, progress
        As for :meth:`Scenario.tornado`.

    Returns
    -------
    AuditResult
        ``evidence``, ``numbers`` (every number: file, line, column, path,
        value, evidence, keys, assumption, range_low, range_high, searched),
        ``ranking`` (path, value, low, high, npv_low, npv_high, co2_low,
        co2_high, intensity_low, intensity_high, swing, where, range_low,
        range_high, range_from, numbers, assumption, searched, note) and
        ``outputs`` (output, name, what, base, ranked).
    """
    t = _tables(scenario)
    rk, outs = _ranking(scenario, rank, top, threads, progress) if ranking else (None, None)
    return AuditResult(t["evidence"], t["numbers"], rk, outs)
