"""Benchmark (tr_benchmark) and write_report (tr_report_write)."""
import json
import os

import pandas as pd

from ._errors import check
from ._handle import _Handle, _lock_of
from ._ffi import ffi, lib, take_string, to_bytes, to_str
from ._common import is_a, output_format as _format

__all__ = ["Benchmark", "benchmark", "write_report"]

_ROW_FIELDS = ("production", "cumulative", "sec_final", "sec_primary", "eei_final", "eei_primary",
               "saving_final", "saving_primary")
_TOTAL_FIELDS = ("production", "best_final", "best_primary", "energy_final", "energy_primary",
                 "eei_final", "eei_primary", "saving_final", "saving_primary", "saving_share_final",
                 "saving_share_primary")


class Benchmark(_Handle):
    """Plants against best practice (the scenario's ``benchmark:`` section):
    specific energy per unit of product in final and primary terms (GJ), the
    energy-efficiency index (actual / best practice), the benchmark curve and
    the savings potential -- in the base year, or in every year of a roadmap.

    Make one with :meth:`Result.benchmark` (every year of the solved roadmap)
    or :func:`techroad.benchmark` (``benchmark(scenario)``: the base year with
    the existing equipment only).
    """

    __slots__ = ("_ptr", "_name", "_unit", "__weakref__")

    def __init__(self, scenario, result=None):
        if is_a(scenario, "result") and result is None:
            scenario, result = scenario._scenario, scenario
        if not is_a(scenario, "scenario"):
            raise TypeError(f"Benchmark() needs a techroad.Scenario or Result, got {type(scenario).__name__}")
        if result is not None and not is_a(result, "result"):
            raise TypeError(f"result must be a techroad.Result, got {type(result).__name__}")
        out = ffi.new("tr_benchmark **")
        with _lock_of(scenario):      # another thread may be editing it
            check(lib.tr_benchmark_new(scenario._p, result._p if result is not None else ffi.NULL, out))
        self._ptr = ffi.gc(out[0], lib.tr_benchmark_free)
        self._name = scenario.name
        self._unit = scenario.get("product.unit") if scenario.has("product.unit") else "t"

    _what = "benchmark"

    @property
    def scenario_name(self):
        """The name of the scenario benchmarked."""
        return self._name

    @property
    def product_unit(self):
        """The unit of product that specific energies are per (e.g. t)."""
        return self._unit

    @property
    def years(self):
        """The years benchmarked (a list)."""
        p = self._p
        return [lib.tr_benchmark_year(p, t) for t in range(lib.tr_benchmark_year_count(p))]

    def _t(self, year):
        years = self.years
        if year is None:
            return len(years) - 1, years[-1]
        if int(year) not in years:
            raise ValueError(f"year {year} is not benchmarked (years: {years[0]}..{years[-1]})")
        return years.index(int(year)), int(year)

    def curve(self, year=None):
        """The benchmark curve in @year (default: the last one): plants from the
        least to the most intensive (final energy), indexed by plant, with
        production, cumulative production, sec_final/sec_primary (GJ per unit),
        eei_final/eei_primary and saving_final/saving_primary (GJ)."""
        t, y = self._t(year)
        p = self._p
        row = ffi.new("tr_benchmark_row *")
        rows = []
        for rank in range(lib.tr_benchmark_plant_count(p, t)):
            check(lib.tr_benchmark_get(p, t, rank, row))
            rows.append({"plant": to_str(row.plant), **{f: getattr(row, f) for f in _ROW_FIELDS}})
        df = pd.DataFrame(rows, columns=["plant", *_ROW_FIELDS]).set_index("plant")
        tot = self.totals.loc[y]
        df.attrs.update({"year": y, "scenario": self._name, "best_final": tot["best_final"],
                         "best_primary": tot["best_primary"]})
        return df

    @property
    def totals(self):
        """The sector per year: production, best practice, energy, production-weighted
        EEI, savings potential and its share of the energy used."""
        p = self._p
        tot = ffi.new("tr_benchmark_totals *")
        rows = {}
        for t, y in enumerate(self.years):
            check(lib.tr_benchmark_get_totals(p, t, tot))
            rows[y] = {f: getattr(tot, f) for f in _TOTAL_FIELDS}
        df = pd.DataFrame.from_dict(rows, orient="index", columns=list(_TOTAL_FIELDS))
        df.index.name = "year"
        return df

    def to_string(self, format="table"):  # noqa: A002
        """The benchmark as text: table, csv or json (what ``techroad benchmark`` writes)."""
        out = ffi.new("char **")
        check(lib.tr_benchmark_write_string(self._p, _format(format), out))
        return take_string(out)

    def to_dict(self):
        """The techroad-benchmark/1 JSON form parsed into Python objects."""
        return json.loads(self.to_string("json"))

    def __repr__(self):
        if self._ptr is None:
            return "<techroad.Benchmark (closed)>"
        ys = self.years
        span = f"{ys[0]}" if len(ys) == 1 else f"{ys[0]}-{ys[-1]}"
        return f"<techroad.Benchmark {self._name!r} {span}>"

    def _repr_html_(self):
        if self._ptr is None:
            return "<p>techroad.Benchmark (closed)</p>"
        t = self.totals
        show = t[["production", "best_final", "eei_final", "eei_primary", "saving_final", "saving_share_final"]]
        return (f"<p><b>techroad benchmark {self._name}</b> (energy per {self._unit} in GJ; "
                f"EEI = actual / best practice)</p>" + show.to_html(float_format=lambda v: f"{v:,.4g}"))


def benchmark(scenario, result=None):
    """Benchmark the plants of @scenario: with @result (an optimal Result of
    it) in every year of the roadmap, else in the base year with the
    existing equipment. ``benchmark(result)`` is ``result.benchmark()``."""
    return Benchmark(scenario, result)


def write_report(results, directory, baseline=None, format="markdown", *, audit=False, macc_model=False,
                 pareto=None, mga=None):
    """Write the roadmap tables policy makers read (report.md, summary.csv,
    roadmap.csv, adoption.csv, policies.csv, baseline.csv, warnings.csv,
    benchmark.csv, macc.csv) for @results into @directory (created if
    missing), against @baseline when given -- what ``techroad report``
    writes. With ``format="html"``, one self-contained page, report.html,
    instead. Every report has each scenario's measure abatement cost curve
    (from the data, no solve). The rest is asked for, as by the CLI's
    options, and computed on "the subject": the baseline, or the first result
    without one.

    audit : bool
        "What these results rest on": the subject's ten most influential
        assumptions (``--audit``; some hundred solves).
    macc_model : bool
        The subject's model abatement cost curve (``--macc-model``; 11 solves).
    pareto : (str, str) or "X,Y", optional
        The subject's trade-off front between two objectives, with every
        result placed on it (``--pareto X,Y``; "cost" as in ``pareto()``).
    mga : float, optional
        Each result's near-optimal ranges within this slack of its least
        cost (``--mga S``, 0.01 = 1 %).

    Returns the directory as a str."""
    if format not in ("markdown", "html"):
        raise ValueError(f"format: expected 'markdown' or 'html', got {format!r}")
    if is_a(results, "result"):
        results = [results]
    results = list(results.values()) if isinstance(results, dict) else list(results)
    for r in results + ([baseline] if baseline is not None else []):
        if not is_a(r, "result"):
            raise TypeError(f"expected techroad.Result objects, got {type(r).__name__}")
    if isinstance(pareto, str):
        pareto = pareto.split(",")
    if pareto is not None and (len(pareto) != 2 or not all(isinstance(p, str) and p for p in pareto)):
        raise ValueError(f"pareto: expected two objectives (x, y) such as ('cost', 'emissions.CO2'), got {pareto!r}")
    if mga is not None and (isinstance(mga, bool) or not isinstance(mga, (int, float)) or not mga >= 0):
        raise ValueError(f"mga: expected a slack >= 0 (0.01 = 1 % above the least cost), got {mga!r}")
    n = len(results)
    scs = ffi.new("tr_scenario *[]", max(n, 1))
    rs = ffi.new("tr_result *[]", max(n, 1))
    for i, r in enumerate(results):
        scs[i] = r._scenario._p
        rs[i] = r._p
    directory = os.fspath(directory)
    o = ffi.new("tr_report_opts *")
    lib.tr_report_opts_init(o)
    o.html = 1 if format == "html" else 0
    o.macc_model = 1 if macc_model else 0
    keep = []
    if pareto is not None:
        keep = [ffi.new("char[]", to_bytes(p, "pareto")) for p in pareto]
        o.pareto_x, o.pareto_y = keep
    if mga is not None:
        o.mga_slack = float(mga)
    rank = ffi.NULL
    if audit:
        subject = baseline if baseline is not None else (results[0] if results else None)
        if subject is None:
            raise ValueError("audit: needs a result or a baseline")
        ao = ffi.new("tr_analysis_opts *")
        lib.tr_analysis_opts_init(ao)
        out = ffi.new("tr_analysis **")
        check(lib.tr_audit_ranking(subject._scenario._p, b"npv", 10, ao, out))
        rank = ffi.gc(out[0], lib.tr_analysis_free)
    o.audit = rank
    check(lib.tr_report_write_opts(scs, rs, n,
                                   baseline._scenario._p if baseline is not None else ffi.NULL,
                                   baseline._p if baseline is not None else ffi.NULL,
                                   o, to_bytes(directory, "directory")))
    return directory
