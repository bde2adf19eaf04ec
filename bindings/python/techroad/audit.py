"""What a scenario's numbers rest on (issue 14): the evidence tables of
tr_scenario_audit(), as pandas DataFrames. ``Scenario.evidence()`` and
``Scenario.audit()`` (techroad.scenario) call these."""
import numpy as np

from ._errors import check
from ._ffi import ffi, lib
from ._handle import _lock_of
from .analysis import _read_table

__all__ = ["evidence", "audit"]

_COUNTS = ("numbers", "sourced", "assumption", "free_text", "neither", "line", "column")


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


def audit(scenario):
    """Every number of the scenario with what covers it: file, line, column,
    path, value, evidence, keys, assumption, range_low, range_high (the
    multipliers an assumption's number may vary by; NaN otherwise), searched
    (the assumption's `searched:` text, what was looked for and not found)."""
    return _tables(scenario)["numbers"]
