"""Result: the tr_result handle, read into numpy arrays and pandas frames."""
import enum
import io
import json
import math
import os
import warnings

import numpy as np
import pandas as pd

from . import _plants
from ._common import getter, output_format
from ._errors import ScenarioError, UnsolvedWarning, check
from ._handle import _Handle
from ._ffi import ffi, lib, take_string, to_bytes, to_str
from ._html import result_html, result_summary
from .benchmark import Benchmark

__all__ = ["Result", "SolStatus"]


class SolStatus(enum.IntEnum):
    """The outcome of a solve (tr_sol_status) -- an outcome, not an error."""
    OPTIMAL = lib.TR_SOL_OPTIMAL
    INFEASIBLE = lib.TR_SOL_INFEASIBLE
    UNBOUNDED = lib.TR_SOL_UNBOUNDED
    FAILED = lib.TR_SOL_FAILED
    LIMIT = lib.TR_SOL_LIMIT

    def __str__(self):
        return self.name.lower()


_POLICY_FIELDS = ("binding", "shadow_price", "value", "limit")
_DIAGNOSIS_COLUMNS = ["policy", "year", "indicator", "unit", "reachable", "limit", "message"]


def _records(p, count, get, ctype, columns, row, dtypes):
    """A DataFrame of a result's C records: for each get(p, i, rec), i < count(p),
    the row(rec) of values in the order of @columns; then the @dtypes."""
    rec = ffi.new(ctype)
    rows = []
    for i in range(count(p)):
        check(get(p, i, rec))
        rows.append(row(rec))
    return pd.DataFrame(rows, columns=columns).astype(dtypes)


def _solved_again(scenario, options):
    """A pickled Result back: its scenario solved with its options."""
    return scenario.solve(**options)


class Result(_Handle):
    """The roadmap a solve produced (``tr_result``).

    Status, NPV, per-year series, totals, per-policy binding and shadow
    prices, and the diagnosis of an infeasible scenario. Series are read once
    from C into read-only numpy arrays; every frame property builds a fresh
    pandas object with the years as index. NaN means "does not apply in that
    year" (null in the JSON form). Results come from :meth:`Scenario.solve`
    and :meth:`Model.solve`.
    """

    __slots__ = ("_ptr", "_scenario", "_cache", "_recipe", "__weakref__")

    def __init__(self, *args, **kwargs):
        raise TypeError("Results come from Scenario.solve() or Model.solve()")

    @classmethod
    def _wrap(cls, ptr, scenario, recipe=None):
        return cls._adopt(ptr, lib.tr_result_free, _scenario=scenario, _cache={}, _recipe=recipe)

    _what = "result"

    def __reduce__(self):
        # Pickles (and deep-copies) as the Scenario does: what makes it, the
        # solved scenario (its YAML) and the solve's options; it is solved
        # again when unpickled, which gives the same numbers (the solve is
        # deterministic). The C result has no reader of its own.
        if getattr(self, "_recipe", None) is None:
            raise TypeError("this Result cannot be pickled: it was not made by Scenario.solve() or Model.solve()")
        return (_solved_again, (self._scenario, self._recipe))

    # -- scalars ----------------------------------------------------------------
    @property
    def status(self):
        """A :class:`SolStatus`: OPTIMAL, INFEASIBLE, UNBOUNDED, FAILED or LIMIT."""
        return SolStatus(lib.tr_result_status(self._p))

    status_name = getter(lib.tr_result_status_name, "'optimal', 'infeasible', ...", to_str)

    @property
    def optimal(self):
        """True when the solve found an optimal roadmap (:attr:`status` is OPTIMAL)."""
        return self.status == SolStatus.OPTIMAL

    npv = getter(lib.tr_result_npv, "The objective in money of the base year; NaN unless optimal.")

    scenario_name = getter(lib.tr_result_scenario_name, "The name of the scenario solved.", to_str)

    method = getter(lib.tr_result_method, 'What solved it: "dual simplex", ..., or "Dantzig-Wolfe decomposition '
                    '(...)" with its plants, subproblems, master solves and proven gap.', to_str)

    scenario_sha256 = getter(lib.tr_result_scenario_sha256, "SHA-256 of the effective scenario that was solved.",
                             to_str)

    @property
    def foresight(self):
        """Myopic foresight of the solve (``solve(foresight=N)``): a dict with
        ``years``, ``step`` and ``windows`` (the windows solved), from the
        provenance; None for perfect foresight."""
        return self.to_dict()["provenance"].get("foresight")

    @property
    def scenario(self):
        """A copy of the scenario that was solved (edit it and solve again)."""
        return self._scenario.copy()

    @property
    def years(self):
        """The years of every series, as an int numpy array."""
        if "years" not in self._cache:
            p = self._p
            y = np.array([lib.tr_result_year(p, i) for i in range(lib.tr_result_year_count(p))],
                         dtype=np.int64)
            y.flags.writeable = False
            self._cache["years"] = y
        return self._cache["years"]

    def _index(self):
        return pd.Index(self.years, name="year")

    # -- series -----------------------------------------------------------------
    def _series_data(self):
        """{name: (read-only array, unit)} of every series, in the library's order."""
        if "series" not in self._cache:
            p = self._p
            n = lib.tr_result_year_count(p)
            data = {}
            for i in range(lib.tr_result_series_count(p)):
                arr = np.empty(n, dtype=np.float64)
                check(lib.tr_result_get_series(p, i, ffi.from_buffer("double[]", arr, require_writable=True), n))
                arr.flags.writeable = False
                data[to_str(lib.tr_result_series_name(p, i))] = (arr, to_str(lib.tr_result_series_unit(p, i)))
            self._cache["series"] = data
        return self._cache["series"]

    @property
    def series_names(self):
        """Names of all per-year series (empty unless optimal)."""
        return list(self._series_data())

    @property
    def units(self):
        """{series name: unit}."""
        return {k: u for k, (_, u) in self._series_data().items()}

    def series(self, name):
        """One per-year series.

        Parameters
        ----------
        name : str
            A name of :attr:`series_names`, e.g. ``"emissions.CO2"``.

        Returns
        -------
        pandas.Series
            Indexed by year; the unit in ``.attrs["unit"]``.
        """
        data = self._series_data()
        if name not in data:
            self._warn_unsolved("series")
            # Ask the library, so that the message is its own.
            idx = ffi.new("size_t *")
            check(lib.tr_result_series_find(self._p, to_bytes(name, "name"), idx))
        arr, unit = data[name]
        s = pd.Series(arr.copy(), index=self._index(), name=name)
        s.attrs["unit"] = unit
        return s

    def _warn_unsolved(self, what):
        """Reading the series of a result that is not optimal says why they are empty."""
        if self.optimal:
            return
        lines = list(self.diagnosis["message"])
        why = "; ".join(lines[:3]) + (f" (and {len(lines) - 3} more in .diagnosis)" if len(lines) > 3 else "")
        if not why:
            why = self.to_dict().get("message", "")
        warnings.warn(f"scenario {self.scenario_name!r} is {self.status_name}: its {what} are empty"
                      + (f": {why}" if why else " (no diagnosis)"), UnsolvedWarning, stacklevel=3)

    def _frame(self, prefix=None, exclude=()):
        self._warn_unsolved({None: "indicators", "adoption.": "adoption shares",
                             "equipped.": "equipped capacities"}.get(prefix, "series"))
        data = self._series_data()
        cols, units = {}, {}
        for name, (arr, unit) in data.items():
            if prefix is not None:
                if not name.startswith(prefix):
                    continue
                key = name[len(prefix):]
            else:
                if name.startswith(exclude):
                    continue
                key = name
            cols[key] = arr.copy()
            units[key] = unit
        df = pd.DataFrame(cols, index=self._index())
        df.columns.name = "indicator" if prefix is None else prefix.rstrip(".")
        df.attrs["units"] = units
        return df

    @property
    def indicators(self):
        """Sector indicators per year: production, capacity, energy.<carrier>,
        material.<material>, energy.total, emissions.<species>, intensity.*,
        investment, cost.*, subsidy. A wide frame: years as index, one column
        per indicator; units in ``df.attrs["units"]`` (and :attr:`units`).
        A result that is not optimal has none: reading them warns
        (:class:`techroad.UnsolvedWarning`, naming the diagnosis)."""
        return self._frame(exclude=("adoption.", "equipped.", "policy."))

    @property
    def adoption(self):
        """Adoption as a share 0..1 (unit ``share``: 1 = every unit of
        capacity the technology applies to) per technology (columns) and year
        (index)."""
        return self._frame("adoption.")

    @property
    def equipped(self):
        """Equipped capacity (t/yr) per technology and year, summed over plants."""
        return self._frame("equipped.")

    @property
    def policies(self):
        """Per policy and year: binding (True/False, <NA> where it does not
        apply or has no row), shadow_price, value and limit.

        Columns are a MultiIndex (policy, field); ``res.policies["va_co2"]``
        gives one policy's four columns. See also :meth:`policy`.
        """
        data = self._series_data()
        cols, units = {}, {}
        for name, (arr, unit) in data.items():
            if not name.startswith("policy."):
                continue
            pid, field = name[len("policy."):].rsplit(".", 1)
            if field == "binding":
                col = pd.array([pd.NA if math.isnan(v) else bool(v) for v in arr], dtype="boolean")
            else:
                col = arr.copy()
            cols[(pid, field)] = col
            units[(pid, field)] = unit
        if cols:
            df = pd.DataFrame(cols, index=self._index())
            df.columns = pd.MultiIndex.from_tuples(df.columns, names=["policy", "field"])
        else:
            df = pd.DataFrame(index=self._index(),
                              columns=pd.MultiIndex.from_tuples([], names=["policy", "field"]))
        df.attrs["units"] = units
        return df

    @property
    def policy_info(self):
        """One row per policy (index ``policy``): type, indicator, unit,
        illustrative, and for a relative target (``reduction:`` against
        ``relative_to:``) its reference value (in the policy's unit) and
        reference_year; NaN / <NA> for an absolute limit. The limit of a
        relative target in year y is ``(1 - reduction[y]) * reference``."""
        pols = self.to_dict().get("policies", {})
        rows = [{"policy": pid, "type": p.get("type"), "indicator": p.get("indicator"), "unit": p.get("unit"),
                 "illustrative": bool(p.get("illustrative", False)),
                 "reference": p.get("reference", math.nan),
                 "reference_year": p.get("reference_year")} for pid, p in pols.items()]
        df = pd.DataFrame(rows, columns=["policy", "type", "indicator", "unit", "illustrative", "reference",
                                         "reference_year"]).set_index("policy")
        return df.astype({"reference": "float64", "reference_year": "Int64"})

    def policy(self, policy_id):
        """One policy's binding, shadow_price, value and limit per year."""
        df = self.policies
        if policy_id not in df.columns.get_level_values(0):
            raise ScenarioError(lib.TR_E_NOTFOUND,
                                f"policy {policy_id!r} has no results (policies: "
                                f"{', '.join(dict.fromkeys(df.columns.get_level_values(0))) or 'none'})")
        out = df[policy_id].copy()
        out.columns.name = policy_id
        out.attrs["units"] = {f: u for (p, f), u in df.attrs["units"].items() if p == policy_id}
        return out

    # -- totals and diagnosis ---------------------------------------------------
    @property
    def totals(self):
        """Totals over the horizon: npv, pv.subsidy, cumulative.emissions.<species>, ...
        (a pandas Series; units in ``.attrs["units"]``)."""
        p = self._p
        names, vals, units = [], [], {}
        for i in range(lib.tr_result_total_count(p)):
            n = to_str(lib.tr_result_total_name(p, i))
            names.append(n)
            vals.append(lib.tr_result_total_value(p, i))
            units[n] = to_str(lib.tr_result_total_unit(p, i))
        s = pd.Series(vals, index=pd.Index(names, name="total"), name=self.scenario_name,
                      dtype=np.float64)
        s.attrs["units"] = units
        return s

    @property
    def diagnosis(self):
        """For an infeasible scenario: one row per unmet policy and year, with
        the best reachable value, the limit and a readable message. Empty otherwise."""
        return _records(self._p, lib.tr_result_diagnosis_count, lib.tr_result_get_diagnosis, "tr_diagnosis *",
                        _DIAGNOSIS_COLUMNS,
                        lambda d: (to_str(d.policy), d.year, to_str(d.indicator), to_str(d.unit), d.reachable,
                                   d.limit, to_str(d.message)),
                        {"year": "int64", "reachable": "float64", "limit": "float64"})

    # -- investment windows (MODEL.md §13) ------------------------------------------
    def windows(self):
        """Investment windows: the years in which each plant may install a
        ``major: true`` technology (its relining or overhaul years, MODEL.md §13).

        Returns
        -------
        pandas.DataFrame
            One row per window year of a plant that declares windows, in
            scenario order: ``plant``, ``year``, ``in_horizon`` (False for the
            plant's first window after the horizon, shown as its next
            chance) and ``major_installed`` (t/yr of major technologies newly
            installed in that window; NaN unless optimal and in the horizon).
            Empty when no plant declares windows.
        """
        return _records(self._p, lib.tr_result_window_count, lib.tr_result_get_window, "tr_window *",
                        ["plant", "year", "in_horizon", "major_installed"],
                        lambda w: (to_str(w.plant), w.year, bool(w.in_horizon), w.installed),
                        {"year": "int64", "in_horizon": "bool", "major_installed": "float64"})

    def lock_in(self):
        """The lock-in of each investment window (docs/MODEL.md §13, "What a
        window means"): a window that passed without a major measure the plant
        takes later or never.

        Returns
        -------
        pandas.DataFrame
            ``plant``, ``window`` (the year that passed), ``technology``,
            ``later`` (the first later year the plant holds more of it; 0:
            never in the horizon), ``needed`` (t/yr: the adoption a policy
            would have needed in that window, i.e. the later gain, or all the
            room left), ``share`` (needed per unit of the plant's capacity) and
            ``next_window`` (0: none known). Empty unless optimal.
        """
        return _records(self._p, lib.tr_result_lockin_count, lib.tr_result_get_lockin, "tr_lockin *",
                        ["plant", "window", "technology", "later", "needed", "share", "next_window"],
                        lambda lk: (to_str(lk.plant), lk.window, to_str(lk.technology), lk.later, lk.needed,
                                    lk.share, lk.next),
                        {"window": "int64", "later": "int64", "needed": "float64", "share": "float64",
                         "next_window": "int64"})

    # -- per plant --------------------------------------------------------------------
    def _per_plant(self, fn, plant=None, technology=None):
        sc = self._scenario
        plants, techs = sc.plants, sc.technologies
        want_p = plants if plant is None else [plant] if isinstance(plant, str) else list(plant)
        want_k = techs if technology is None else [technology] if isinstance(technology, str) else list(technology)
        p = self._p
        n = lib.tr_result_year_count(p)
        cols = {}
        for pid in want_p:
            if pid not in plants:
                raise ScenarioError(lib.TR_E_NOTFOUND, f"unknown plant {pid!r} (plants: {', '.join(plants)})")
            for kid in want_k:
                if kid not in techs:
                    raise ScenarioError(lib.TR_E_NOTFOUND,
                                        f"unknown technology {kid!r} (technologies: {', '.join(techs)})")
                arr = np.empty(n, dtype=np.float64)
                check(fn(p, plants.index(pid), techs.index(kid),
                         ffi.from_buffer("double[]", arr, require_writable=True), n))
                cols[(pid, kid)] = arr
        df = pd.DataFrame(cols, index=self._index())
        df.columns = pd.MultiIndex.from_tuples(list(cols), names=["plant", "technology"])
        return df

    def equipped_by_plant(self, plant=None, technology=None):
        """Equipped capacity a[p,k,y] (t/yr) of each plant and technology.

        Parameters
        ----------
        plant : str or list of str, optional
            Plant ids (default: every plant).
        technology : str or list of str, optional
            Technology ids (default: every technology).

        Returns
        -------
        pandas.DataFrame
            Indexed by year; columns a MultiIndex (plant, technology).
        """
        return self._per_plant(lib.tr_result_get_equipped, plant, technology)

    def installed_by_plant(self, plant=None, technology=None):
        """New installations n[p,k,y] (t/yr) of each plant and technology;
        the same parameters and frame as :meth:`equipped_by_plant`."""
        return self._per_plant(lib.tr_result_get_installed, plant, technology)

    def plant_intensity(self, indicator="energy.electricity", year=None):
        """Per-plant intensity of an indicator in one year, for benchmark curves.

        Read from the library's per-plant series (``tr_result_plant_series``:
        MODEL.md §7 for one plant, with the solved production and equipped
        capacity), so the plants add up to the sector series.

        Parameters
        ----------
        indicator : str, default "energy.electricity"
            ``energy.<carrier>``, ``material.<material>``, ``energy.total`` or
            ``emissions.<species>``.
        year : int, optional
            Default: the last year.

        Returns
        -------
        pandas.DataFrame
            Indexed by plant: production (t), capacity (t/yr), amount (the
            indicator's unit) and intensity (unit per t).
        """
        return _plants.plant_intensity(self, indicator, year)

    def benchmark(self):
        """The plants against best practice in every year of this roadmap.

        Needs the scenario's ``benchmark:`` section.

        Returns
        -------
        Benchmark
        """
        return Benchmark(self._scenario, self)

    # -- writers ------------------------------------------------------------------------
    def to_string(self, format="json"):  # noqa: A002
        """The result as text, as the CLI writes it.

        Parameters
        ----------
        format : {"json", "csv", "iamc", "table"}, default "json"

        Returns
        -------
        str
        """
        out = ffi.new("char **")
        check(lib.tr_result_write_string(self._p, output_format(format), out))
        return take_string(out)

    def write(self, path, format="json"):  # noqa: A002
        """Write the result to a file.

        Parameters
        ----------
        path : str or os.PathLike
        format : {"json", "csv", "iamc", "table"}, default "json"
        """
        check(lib.tr_result_write(self._p, output_format(format), to_bytes(os.fspath(path), "path")))

    def to_json(self, path=None):
        """The techroad-result/1 JSON text (as ``techroad run --format json``); with @path, also write it."""
        text = self.to_string("json")
        if path is not None:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        return text

    def to_dict(self):
        """The JSON form parsed into Python objects."""
        return json.loads(self.to_string("json"))

    def to_iamc(self):
        """The result in the IAMC long format: a DataFrame with columns model,
        scenario, region, variable, unit, year, value."""
        text = self.to_string("iamc")
        df = pd.read_csv(io.StringIO(text), dtype={"model": str, "scenario": str, "region": str,
                                                   "variable": str, "unit": str})
        if "year" in df:
            df["year"] = df["year"].astype("int64")
        return df

    def to_pyam(self):
        """The IAMC form (:meth:`to_iamc`) as a ``pyam.IamDataFrame``.

        Needs the optional package pyam (``pip install pyam-iamc``).

        Returns
        -------
        pyam.IamDataFrame
        """
        try:
            import pyam
        except ImportError as e:
            raise ImportError("to_pyam() needs pyam (pip install pyam-iamc); to_iamc() gives the same data "
                              "as a pandas DataFrame") from e
        return pyam.IamDataFrame(self.to_iamc())

    def to_table(self):
        """The readable text roadmap (years across), as the CLI prints it."""
        return self.to_string("table")

    # -- display ---------------------------------------------------------------------------
    def summary(self):
        """A small DataFrame of headline numbers (what the notebook display shows)."""
        return result_summary(self)

    def __repr__(self):
        if self._ptr is None:
            return "<techroad.Result (closed)>"
        s = f"<techroad.Result {self.scenario_name!r}: {self.status_name}"
        if self.optimal:
            s += f", NPV {self.npv:,.0f}"
        return s + ">"

    def _repr_html_(self):
        return result_html(self)

