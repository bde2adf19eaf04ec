"""Modelling to generate alternatives (tr_analysis_mga): which technologies
every roadmap within a slack of the least cost needs, and which are a matter
of taste::

    m = sc.mga(slack=0.01)            # an MGA
    m.ranges          # technology, unit, year, min, max, optimum, width, needed
    m.alternatives    # alternative, status, npv, ..., adoption.<tech>
    m.needed          # the technologies with min >= NEEDED in every such roadmap
    techroad.plot_mga(m)

The slack: every roadmap with ``NPV <= npv* + slack * abs(npv*)``
(``(1 + slack) npv*`` for a positive least cost ``npv*``). Ranges are exact (two LPs per technology on
the built LP, warm-started); alternatives come from random directions with a
fixed seed, row 0 being the least-cost roadmap.
"""
import operator

from ._ffi import lib
from .analysis import _count, _opts, _run

__all__ = ["MGA", "NEEDED"]

NEEDED = float(lib.TR_MGA_NEEDED)
"""A technology whose least share within the slack is at least this is
"needed in every good roadmap" (the ranges' column ``needed``)."""


class MGA:
    """The two tables of :meth:`Scenario.mga` as DataFrames, with the
    arguments that made them (``slack``, ``year``)."""

    __slots__ = ("ranges", "alternatives", "slack", "year")

    def __init__(self, ranges, alternatives, slack, year):
        self.ranges, self.alternatives, self.slack, self.year = ranges, alternatives, slack, year

    @property
    def needed(self):
        """The technologies needed in every roadmap within the slack."""
        return list(self.ranges.loc[self.ranges["needed"] == "yes", "technology"])

    def __repr__(self):
        return (f"<MGA slack {self.slack:g}, year {self.year}: {len(self.ranges)} technologies, "
                f"{len(self.alternatives) - 1} alternatives, needed: {', '.join(self.needed) or 'none'}>")


def mga(sc, slack=0.01, year=None, alternatives=10, *, seed=None, progress=True):
    try:
        s = float(slack)
    except (TypeError, ValueError):
        raise TypeError(f"slack must be a number, got {type(slack).__name__}") from None
    y = 0 if year is None else operator.index(year)
    if year is not None and y == 0:
        raise ValueError("year must be a year of the horizon, got 0")
    n = _count(alternatives, "alternatives", 0)
    snap = sc.copy()
    o, keep = _opts(seed=seed)
    an = _run("mga", progress, o, lambda out: lib.tr_analysis_mga(snap._p, s, y, n, o, out))
    try:
        ranges, alts = an.table("ranges"), an.table("alternatives")
    finally:
        an.close()
    alts["alternative"] = alts["alternative"].astype("int64")
    alts["within_slack"] = alts["within_slack"].fillna(0).astype(bool)
    yr = int(ranges["year"].iloc[0]) if len(ranges) else (sc.end_year if year is None else y)
    return MGA(ranges, alts, s, yr)
