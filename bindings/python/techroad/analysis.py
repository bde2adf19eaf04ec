"""Analyses on top of the solver (tr_analysis): Monte Carlo, parameter
sweeps, tornado and Morris sensitivity, marginal abatement cost curves and
trade-off fronts. Start them from a Scenario::

    mc = sc.montecarlo(samples=500, seed=1)     # a MonteCarlo
    mc.percentiles, mc.totals, mc.targets, mc.adoption
    sc.sweep("carriers.electricity.price", [80, 100, 120])     # a DataFrame
    sc.tornado(), sc.morris()                    # DataFrames
    sc.macc(2030)                                # a MACC: .measures and .model
    sc.pareto("npv", "emissions.CO2", place=[res_a, res_b])    # a Front

Each C result table becomes a pandas DataFrame with the same columns as the
CLI's CSV (``techroad mc FILE --format csv --out DIR``).

Long analyses show a tqdm bar (``progress=True``) or call
``progress(done, total)`` (a true return value cancels). Ctrl-C (or
"interrupt kernel" in Jupyter) cancels cleanly: the library stops taking new
runs, the call returns the partial results with ``.cancelled == True`` and
a :class:`techroad.CancelledWarning` is issued instead of a KeyboardInterrupt.
"""
import operator
import os
import warnings

import numpy as np
import pandas as pd

from ._common import getter, is_a, labelled, output_format
from ._errors import CancelledWarning, ScenarioError, check
from ._handle import _Handle
from ._ffi import ffi, lib, take_string, to_bytes, to_str
from ._progress import _Progress
from ._units import unit_of

__all__ = ["Analysis", "MonteCarlo", "Front", "MACC"]

# Numeric columns that hold counts or indices (int64, or Int64 with gaps) and flags (bool).
_INT_COLUMNS = {"year", "runs", "step", "point", "sample", "rank", "effects"}
_BOOL_COLUMNS = {"dominated"}
_METHODS = {"random": 0, "lhs": 1}


def _typed(name, arr):
    """A numeric column with the dtype its meaning asks for."""
    finite = np.isfinite(arr)
    if name in _BOOL_COLUMNS:
        if finite.all():
            return arr != 0
        return pd.array([bool(v) if f else pd.NA for v, f in zip(arr, finite)], dtype="boolean")
    if name in _INT_COLUMNS and np.all(arr[finite] == np.round(arr[finite])):
        if finite.all():
            return arr.astype(np.int64)
        return pd.array([int(v) if f else pd.NA for v, f in zip(arr, finite)], dtype="Int64")
    return arr


def _read_table(t):
    """A tr_table (borrowed) as a DataFrame: text columns as str, numeric ones as
    float64 (NaN where the library has no number), counts as int, flags as bool.
    Repeated column names get ".1", ".2" as pandas.read_csv would name them."""
    nr, nc = lib.tr_table_row_count(t), lib.tr_table_col_count(t)
    names, cols, seen = [], [], {}
    for c in range(nc):
        name = to_str(lib.tr_table_col_name(t, c))
        if lib.tr_table_col_is_text(t, c):
            col = np.array([to_str(lib.tr_table_text(t, r, c)) for r in range(nr)], dtype=object)
        else:
            col = _typed(name, np.fromiter((lib.tr_table_num(t, r, c) for r in range(nr)),
                                           dtype=np.float64, count=nr))
        k = seen.get(name, 0)
        seen[name] = k + 1
        names.append(name if k == 0 else f"{name}.{k}")
        cols.append(col)
    df = pd.DataFrame(dict(zip(names, cols)), columns=names)
    df.attrs["table"] = to_str(lib.tr_table_name(t))
    return df


def _table_property(name, doc):
    """A read-only property: the analysis's table @name (Analysis.table())."""
    return property(lambda self: self.table(name), doc=doc)


class Analysis(_Handle):
    """The tables an analysis produced (tr_analysis), read as DataFrames.

    Returned by :meth:`Scenario.montecarlo` (as a :class:`MonteCarlo`) and
    :meth:`Scenario.pareto` (as a :class:`Front`); :meth:`Scenario.macc`
    holds two. ``cancelled``, ``runs_done`` and ``runs_total`` tell whether
    the tables use every planned run.
    """

    # _scenario: the snapshot it ran on, for the units of its figures (plot.py)
    __slots__ = ("_ptr", "_kind", "_cache", "_recipe", "_scenario", "__weakref__")

    def __init__(self, *args, **kwargs):
        raise TypeError("analyses come from Scenario.montecarlo(), .sweep(), .tornado(), .morris(), "
                        ".macc() and .pareto()")

    @classmethod
    def _wrap(cls, ptr, kind):
        return cls._adopt(ptr, lib.tr_analysis_free, _kind=kind, _cache={})

    _what = "analysis"

    def __reduce__(self):
        # As a Result: the scenario (its YAML) and the options, run again
        # when unpickled (same seed, same numbers, whatever the threads). A
        # cancelled analysis cannot be made again and does not pickle.
        recipe = getattr(self, "_recipe", None)
        if recipe is None or self.cancelled:
            raise TypeError(f"this {self._kind} analysis cannot be pickled"
                            f"{': it was cancelled' if recipe is not None else ''}")
        return (_analysed_again, recipe)

    # -- state -------------------------------------------------------------------
    @property
    def kind(self):
        """What made it: 'montecarlo', 'sweep', 'tornado', 'morris', 'macc_measures', 'macc_model' or 'pareto'."""
        return self._kind

    cancelled = getter(lib.tr_analysis_cancelled, "True when the analysis was cancelled (Ctrl-C or the progress "
                       "callable): the tables then use the runs done.", bool)

    runs_done = getter(lib.tr_analysis_runs_done, "The runs finished.", int)

    runs_total = getter(lib.tr_analysis_runs_total, "The runs planned (samples, sweep points, steps, front points).",
                        int)

    # -- tables ------------------------------------------------------------------
    def _tables(self):
        p = self._p
        return [lib.tr_analysis_table(p, i) for i in range(lib.tr_analysis_table_count(p))]

    @property
    def table_names(self):
        """Names of the result tables, in the library's order (a name repeats
        when :meth:`Front.place` was called more than once)."""
        return [to_str(lib.tr_table_name(t)) for t in self._tables()]

    def table(self, name):
        """One result table as a fresh DataFrame (the CLI's CSV columns).

        Tables that share a name (a front placed against more than once) are
        concatenated.

        Parameters
        ----------
        name : str
            One of :attr:`table_names`.

        Returns
        -------
        pandas.DataFrame
            ``df.attrs`` holds the table's name, the analysis kind, ``cancelled``,
            ``runs_done`` and ``runs_total``.

        Raises
        ------
        ScenarioError
            No table of that name.
        """
        if name not in self._cache:
            parts = [_read_table(t) for t in self._tables() if to_str(lib.tr_table_name(t)) == name]
            if not parts:
                raise ScenarioError(lib.TR_E_NOTFOUND, f"no table {name!r} in this {self._kind} analysis "
                                    f"(tables: {', '.join(dict.fromkeys(self.table_names)) or 'none'})")
            df = parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
            df.attrs = {"table": name}
            self._cache[name] = df
        df = self._cache[name].copy()
        df.attrs.update(self._attrs())
        return df

    def _attrs(self):
        return {"analysis": self._kind, "cancelled": self.cancelled, "runs_done": self.runs_done,
                "runs_total": self.runs_total}

    def to_string(self, table=None, format="table"):  # noqa: A002
        """Tables as text, as the CLI prints them.

        Parameters
        ----------
        table : str, optional
            One table (default: all of them).
        format : {"table", "csv", "json"}, default "table"

        Returns
        -------
        str
        """
        fmt = output_format(format, ("csv", "json", "table"))
        out = ffi.new("char **")
        texts = []
        for t in self._tables():
            if table is not None and to_str(lib.tr_table_name(t)) != table:
                continue
            check(lib.tr_table_write_string(t, fmt, out))
            texts.append(take_string(out))
        if table is not None and not texts:
            self.table(table)          # raises the "no table" error
        return ("\n" if format == "table" else "").join(texts)

    def write(self, directory, format="csv"):  # noqa: A002
        """Write every table to a folder, as ``techroad <command> --out DIR`` does.

        Parameters
        ----------
        directory : str or os.PathLike
            Made if missing; each table goes to ``<table>.csv`` (or ``.json``).
        format : {"csv", "json"}, default "csv"

        Returns
        -------
        list of str
            The paths written.
        """
        fmt = output_format(format, ("csv", "json"))
        directory = os.fspath(directory)
        os.makedirs(directory, exist_ok=True)
        out = ffi.new("char **")
        paths = []
        for t in self._tables():
            check(lib.tr_table_write_string(t, fmt, out))
            text = take_string(out)
            path = os.path.join(directory, f"{to_str(lib.tr_table_name(t))}.{format}")
            with open(path, "w", encoding="utf-8", newline="") as f:
                f.write(text)
            paths.append(path)
        return paths

    # -- display ------------------------------------------------------------------
    def _status(self):
        if self._ptr is None:
            return "closed"
        s = f"{self.runs_done}/{self.runs_total} runs"
        return s + ", cancelled" if self.cancelled else s

    def __repr__(self):
        return f"<techroad.{type(self).__name__} {self._kind}: {self._status()}>"

    def _repr_html_(self):
        if self._ptr is None:
            return f"<p>techroad.{type(self).__name__} (closed)</p>"
        parts = [f"<p><b>techroad {self._kind}</b> ({self._status()})</p>"]
        for name in dict.fromkeys(self.table_names):
            df = self.table(name)
            more = f" (first 10 of {len(df)} rows)" if len(df) > 10 else ""
            parts.append(f"<p><i>{name}</i>{more}</p>" +
                         df.head(10).to_html(index=False, float_format=lambda v: f"{v:,.6g}"))
        return "".join(parts)


class MonteCarlo(Analysis):
    """Monte Carlo over the scenario's ``uncertainty:`` section
    (:meth:`Scenario.montecarlo`). Same seed, same numbers, whatever the
    number of threads."""

    __slots__ = ()

    percentiles = _table_property("percentiles", "Per indicator and year: runs (optimal ones), mean, sd, p5, p25, "
                                  "p50, p75, p95.")

    totals = _table_property("totals", "The same statistics for every total (npv, pv.subsidy, "
                             "cumulative.emissions.CO2, ...).")

    targets = _table_property("targets", """Per policy target: the share of runs in which it is met (probability_met),
        and first "(all targets: feasible)" -- the share of feasible runs.""")

    adoption = _table_property("adoption", "Per technology: share_of_runs_adopted, mean_final_adoption (over optimal "
                               "runs).")

    @property
    def samples(self):
        """Every run: sample number, status, the sampled parameter values and every
        total -- only with ``keep_samples=True`` (else None)."""
        return self.table("samples") if "samples" in self.table_names else None

    def indicator(self, name):
        """The percentiles of one indicator, indexed by year (what :func:`techroad.plot_fan` draws).

        Parameters
        ----------
        name : str
            An indicator of :attr:`percentiles`, e.g. ``"emissions.CO2"``.

        Returns
        -------
        pandas.DataFrame
            runs, mean, sd, p5, p25, p50, p75, p95 per year.
        """
        df = self.percentiles
        sel = df[df["indicator"] == name]
        if sel.empty:
            names = list(dict.fromkeys(df["indicator"]))
            raise ScenarioError(lib.TR_E_NOTFOUND, f"no indicator {name!r} in the Monte Carlo percentiles "
                                f"(e.g. {', '.join(names[:8])}{', ...' if len(names) > 8 else ''})")
        out = sel.drop(columns="indicator").set_index("year")
        out.attrs = {**df.attrs, "indicator": name}
        return out


class Front(Analysis):
    """Trade-off front between two objectives (:meth:`Scenario.pareto`),
    and where policy variants sit against it (:meth:`place`)."""

    __slots__ = ("_x", "_y", "_labels")

    @property
    def x(self):
        """The first objective as given (e.g. "npv")."""
        return self._x

    @property
    def y(self):
        """The second objective as given (e.g. "emissions.CO2", "max:jobs")."""
        return self._y

    def _dedupe(self, df):
        # With npv as an objective the library repeats the npv column: keep one.
        if "npv.1" in df.columns and np.allclose(df["npv"].astype(float), df["npv.1"].astype(float),
                                                  rtol=1e-9, atol=1e-6, equal_nan=True):
            df = df.drop(columns="npv.1")
        df.attrs.update({"x": df.columns[1], "y": df.columns[2]})
        return df

    @property
    def front(self):
        """The points from the x optimum to the y optimum: point, the two
        objectives (natural signs), npv, dominated, end_point, and the adoption of
        each technology in the last year."""
        return self._dedupe(self.table("front"))

    @property
    def variants(self):
        """Placed variants (:meth:`place`): variant, the two objectives, npv and
        dominated (True when a point of the front is at least as good on both
        and better on one). Empty before any place()."""
        if "variants" not in self.table_names:
            cols = list(self.front.columns[1:3])
            df = pd.DataFrame({"variant": pd.Series(dtype=object), cols[0]: pd.Series(dtype=float),
                               cols[1]: pd.Series(dtype=float), "npv": pd.Series(dtype=float),
                               "dominated": pd.Series(dtype=bool)})
            df.attrs.update({"table": "variants", **self._attrs(), "x": cols[0], "y": cols[1]})
            return df
        df = self._dedupe(self.table("variants"))
        df["variant"] = self._labels + list(df["variant"][len(self._labels):])
        return df

    def place(self, variants):
        """Place solved policy variants against the front.

        Parameters
        ----------
        variants : Result, Scenario, list or dict
            Results, Scenarios (solved here), a list of them or a dict
            ``{label: Result or Scenario}``; labels default to the scenario names.

        Returns
        -------
        Front
            self; the placed variants are in :attr:`variants`.
        """
        if is_a(variants, "result") or is_a(variants, "scenario"):
            variants = [variants]
        if isinstance(variants, dict):
            items = {k: (v.solve() if is_a(v, "scenario") else v) for k, v in variants.items()}
        else:
            items = [v.solve() if is_a(v, "scenario") else v for v in variants]
        placed = labelled(items)
        n = len(placed)
        scs = ffi.new("tr_scenario *[]", max(n, 1))
        rs = ffi.new("tr_result *[]", max(n, 1))
        for i, (_, r) in enumerate(placed):
            scs[i] = r._scenario._p
            rs[i] = r._p
        check(lib.tr_analysis_pareto_place(self._p, to_bytes(self._x, "x"), to_bytes(self._y, "y"), scs, rs, n))
        self._labels.extend(label for label, _ in placed)
        self._cache.pop("variants", None)
        return self


class MACC:
    """Marginal abatement cost curves for one year and species
    (:meth:`Scenario.macc`), side by side:

    - ``measures``: the static (engineering) curve, one row per technology in
      order of cost per unit avoided;
    - ``model``: the model curve, a cap tightened in steps, with the cost of
      each step (step_cost), the shadow price and the NPV increase.
    """

    __slots__ = ("_measures", "_model", "year", "species", "unit", "currency", "__weakref__")

    def __init__(self, *args, **kwargs):
        raise TypeError("MACCs come from Scenario.macc()")

    @classmethod
    def _make(cls, measures, model, year, species, unit, currency):
        self = object.__new__(cls)
        self._measures, self._model = measures, model
        self.year, self.species, self.unit, self.currency = year, species, unit, currency
        return self

    def _attrs(self):
        return {"year": self.year, "species": self.species, "unit": self.unit, "currency": self.currency}

    @property
    def measures(self):
        """The static curve (the library's table "measure_macc")."""
        df = self._measures.table("measure_macc")
        df.attrs.update(self._attrs())
        return df

    @property
    def model(self):
        """The model curve (the library's table "model_macc")."""
        df = self._model.table("model_macc")
        df.attrs.update(self._attrs())
        return df

    @property
    def cancelled(self):
        """True when the model curve was cut short (its steps so far are kept)."""
        return self._model.cancelled

    def to_string(self, format="table"):  # noqa: A002
        """Both curves as text (table, csv or json), as ``techroad macc`` prints them."""
        return self._measures.to_string(format=format) + self._model.to_string(format=format)

    def close(self):
        """Release both C objects now."""
        self._measures.close()
        self._model.close()

    @property
    def closed(self):
        """True once :meth:`close` has freed the tables."""
        return self._model.closed

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __repr__(self):
        if self.closed:
            return "<techroad.MACC (closed)>"
        return (f"<techroad.MACC {self.species} {self.year}: {len(self.measures)} measures, "
                f"{len(self.model)} model steps{', cancelled' if self.cancelled else ''}>")

    def _repr_html_(self):
        f = lambda v: f"{v:,.6g}"  # noqa: E731
        return (f"<p><b>techroad MACC</b> {self.species}, {self.year} (cost per {self.unit} avoided, "
                f"{self.currency})</p><p><i>measures</i></p>" + self.measures.to_html(index=False, float_format=f) +
                "<p><i>model</i></p>" + self.model.to_html(index=False, float_format=f))


# ------------------------------------------------------------------ running

def _count(v, what, lo):
    try:
        n = operator.index(v)
    except TypeError:
        raise TypeError(f"{what} must be an integer, got {type(v).__name__}") from None
    if n < lo:
        raise ValueError(f"{what} must be >= {lo}, got {n}")
    return n


def _opts(threads=0, seed=None, samples=None, method=None, keep_samples=False, warm=True, output=None):
    """A tr_analysis_opts from tr_analysis_opts_init() and the caller's choices,
    with the buffers it points to (keep them alive for the call)."""
    o = ffi.new("tr_analysis_opts *")
    lib.tr_analysis_opts_init(o)
    keep = []
    try:
        o.threads = operator.index(threads)      # the library checks 0..TR_MAX_THREADS
    except TypeError:
        raise TypeError(f"threads must be an integer, got {type(threads).__name__}") from None
    except OverflowError:
        raise ValueError(f"threads must be 0..{lib.TR_MAX_THREADS}, got {threads}") from None
    if seed is not None:
        s = _count(seed, "seed", 0)
        if s > 4294967295:
            raise ValueError(f"seed must be 0..4294967295, got {s}")
        o.seed = s
    if samples is not None:
        o.samples = _count(samples, "samples", 1)
    if method is not None:
        if method not in _METHODS:
            raise ValueError(f"method must be lhs or random, got {method!r}")
        o.method = _METHODS[method]
    o.keep_samples = 1 if keep_samples else 0
    o.warm = 1 if warm else 0
    if output is not None:
        buf = ffi.new("char[]", to_bytes(output, "output"))
        keep.append(buf)
        o.output = buf
    return o, keep


def _run(kind, progress, opts, call, cls=Analysis):
    """Run @call(out) with a progress state wired into @opts (may be None) and
    return the wrapped analysis; warns when it was cancelled."""
    state = _Progress(progress, kind)
    if opts is not None:
        state.fill(opts)
    out = ffi.new("tr_analysis **")
    an = None
    try:
        rc = call(out)
        if rc != 0 and state.interrupted:
            # Ctrl-C while the base case was being solved: no run to return
            raise KeyboardInterrupt(f"{kind} cancelled while the base case was being solved")
        if rc != 0 and state.error is not None:
            raise state.error
        check(rc)
    finally:
        # Own the pointer even if an exception (a late Ctrl-C) arrives here.
        if out[0] != ffi.NULL:
            an = cls._wrap(out[0], kind)
        state.close()
    if state.error is not None:
        an.close()
        raise state.error
    if an.cancelled:
        why = "Ctrl-C" if state.interrupted else "the progress callable"
        warnings.warn(CancelledWarning(
            f"{kind} cancelled by {why} after {an.runs_done} of {an.runs_total} runs; "
            f"the results use the runs done"), stacklevel=4)
    return an


def _frame(an, name):
    """The one table of @an as a DataFrame, then free @an."""
    try:
        return an.table(name)
    finally:
        an.close()


def montecarlo(sc, samples=None, seed=None, method=None, *, threads=0, keep_samples=False, warm=True,
               progress=True):
    snap = sc.copy()
    o, keep = _opts(threads, seed, samples, method, keep_samples, warm)
    an = _run("montecarlo", progress, o, lambda out: lib.tr_analysis_montecarlo(snap._p, o, out), MonteCarlo)
    an._scenario = snap
    an._recipe = ("montecarlo", snap, dict(samples=samples, seed=seed, method=method, threads=threads,
                                           keep_samples=keep_samples, warm=warm))
    return an


def _analysed_again(kind, scenario, options):
    """A pickled analysis back: run again on its scenario with its options."""
    return {"montecarlo": montecarlo}[kind](scenario, progress=False, **options)


def montecarlo_part(sc, first, count, samples=None, seed=None, method=None, *, threads=0):
    """Runs [@first, @first + @count) of the Monte Carlo that
    :meth:`Scenario.montecarlo` would run with the same @samples, @seed and
    @method: a plain dict (picklable: what a cluster worker sends back) with
    ``sample`` (int64), ``status`` and ``failed`` (lists of str), ``names``
    (the numeric columns) and ``values`` (float64, one row per run)."""
    snap = sc.copy()
    o, keep = _opts(threads, seed, samples, method)
    o.first = _count(first, "first", 0)
    o.count = _count(count, "count", 1)
    an = _run("montecarlo", None, o, lambda out: lib.tr_analysis_montecarlo(snap._p, o, out))
    try:
        t = next(t for t in an._tables() if to_str(lib.tr_table_name(t)) == "runs")
        nr, nc = lib.tr_table_row_count(t), lib.tr_table_col_count(t)
        names = [to_str(lib.tr_table_col_name(t, c)) for c in range(3, nc)]
        values = np.empty((nr, nc - 3), dtype=np.float64)
        for c in range(3, nc):
            values[:, c - 3] = np.fromiter((lib.tr_table_num(t, r, c) for r in range(nr)), dtype=np.float64,
                                           count=nr)
        return {"sample": np.array([int(lib.tr_table_num(t, r, 0)) for r in range(nr)], dtype=np.int64),
                "status": [to_str(lib.tr_table_text(t, r, 1)) for r in range(nr)],
                "failed": [to_str(lib.tr_table_text(t, r, 2)) for r in range(nr)],
                "names": names, "values": values}
    finally:
        an.close()


def montecarlo_merge(sc, parts, samples=None, seed=None, method=None, *, keep_samples=False):
    """The :class:`MonteCarlo` of the runs in @parts (dicts from
    :func:`montecarlo_part`): the same tables, to the byte, as one local run
    with the same @samples, @seed and @method."""
    parts = list(parts)
    if not parts:
        raise ValueError("montecarlo_merge: no parts")
    names = parts[0]["names"]
    for p in parts[1:]:
        if p["names"] != names:
            raise ValueError("montecarlo_merge: the parts have different columns")
    sample = np.ascontiguousarray(np.concatenate([p["sample"] for p in parts]), dtype=np.int64)
    values = np.ascontiguousarray(np.vstack([p["values"] for p in parts]), dtype=np.float64)
    status = [s for p in parts for s in p["status"]]
    failed = [s for p in parts for s in p["failed"]]
    snap = sc.copy()
    o, keep = _opts(0, seed, samples, method, keep_samples)
    cstr = [ffi.new("char[]", to_bytes(s, "text")) for s in status + failed + names]
    nr, nc = len(status), len(names)
    c_status = ffi.new("char *[]", cstr[:nr])
    c_failed = ffi.new("char *[]", cstr[nr:2 * nr])
    c_names = ffi.new("char *[]", cstr[2 * nr:])
    c_sample = ffi.new("long[]", [int(v) for v in sample])
    c_values = ffi.from_buffer("double[]", values)
    return _run("montecarlo", None, o, lambda out: lib.tr_analysis_montecarlo_merge(
        snap._p, o, nr, c_sample, c_status, c_failed, nc, c_names, c_values, out), MonteCarlo)


def _values(v, what):
    arr = np.ascontiguousarray(v, dtype=np.float64)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.ndim != 1:
        raise ValueError(f"{what} must be a 1-D sequence of numbers, got shape {arr.shape}")
    return arr


def sweep(sc, path, values, path2=None, values2=None, *, scale=False, scale2=None, threads=0, warm=True,
          progress=True):
    if (path2 is None) != (values2 is None):
        raise ValueError("sweep: give both path2 and values2, or neither")
    v1 = _values(values, "values")
    v2 = _values(values2, "values2") if values2 is not None else None
    scale2 = scale if scale2 is None else scale2
    snap = sc.copy()
    o, keep = _opts(threads, warm=warm)
    p1 = to_bytes(path, "path")
    p2 = to_bytes(path2, "path2") if path2 is not None else ffi.NULL
    b1 = ffi.from_buffer("double[]", v1)
    b2 = ffi.from_buffer("double[]", v2) if v2 is not None else ffi.NULL
    an = _run("sweep", progress, o, lambda out: lib.tr_analysis_sweep(
        snap._p, p1, b1, len(v1), 1 if scale else 0, p2, b2, 0 if v2 is None else len(v2), 1 if scale2 else 0,
        o, out))
    return _frame(an, "sweep")


def tornado(sc, output="npv", *, threads=0, warm=True, progress=True):
    snap = sc.copy()
    o, keep = _opts(threads, warm=warm, output=output)
    an = _run("tornado", progress, o, lambda out: lib.tr_analysis_tornado(snap._p, o, out))
    df = _frame(an, "tornado")
    # for plot_tornado: the output's unit, and which parameters multiply (mode: scale)
    df.attrs["unit"] = unit_of(snap, output)
    df.attrs["scaled"] = [p for p in df["parameter"]
                          if snap.has(f"uncertainty.parameters.{p}.mode")
                          and snap.get(f"uncertainty.parameters.{p}.mode").strip() == "scale"]
    return df


def morris(sc, trajectories=lib.TR_DEFAULT_MORRIS_TRAJECTORIES, levels=lib.TR_DEFAULT_MORRIS_LEVELS, output="npv",
           *, seed=None, threads=0, warm=True, progress=True):
    traj = _count(trajectories, "trajectories", 0)
    lev = _count(levels, "levels", 0)
    snap = sc.copy()
    o, keep = _opts(threads, seed=seed, warm=warm, output=output)
    an = _run("morris", progress, o, lambda out: lib.tr_analysis_morris(snap._p, traj, lev, o, out))
    return _frame(an, "morris")


def macc(sc, year=None, species="CO2", steps=lib.TR_DEFAULT_MACC_STEPS, *, progress=True):
    year = sc.end_year if year is None else operator.index(year)
    steps = _count(steps, "steps", 0)
    sp = to_bytes(species, "species")
    snap = sc.copy()
    measures = _run("macc_measures", None, None, lambda out: lib.tr_analysis_macc_measures(snap._p, year, sp, out))
    o, keep = _opts()
    model = _run("macc_model", progress, o, lambda out: lib.tr_analysis_macc_model(snap._p, year, sp, steps, o, out))
    unit = snap.get(f"species.{species}.unit") if snap.has(f"species.{species}.unit") else ""
    currency = snap.get("currency") if snap.has("currency") else ""
    return MACC._make(measures, model, year, species, unit, currency)


def _variant_scenarios(place):
    """The scenarios of the variants to place (Results, Scenarios, a list or a dict of them)."""
    if place is None:
        return []
    if is_a(place, "result") or is_a(place, "scenario"):
        place = [place]
    vals = place.values() if isinstance(place, dict) else place
    return [v._scenario if is_a(v, "result") else v for v in vals if is_a(v, "result") or is_a(v, "scenario")]


def pareto(sc, x="cost", y="emissions.CO2", points=lib.TR_DEFAULT_PARETO_POINTS, place=None, *, progress=True):
    if "cost" in (x, y):
        # NPV, or the resource cost when the variants' emission taxes differ (tr_analysis_pareto_cost)
        scs = _variant_scenarios(place)
        arr = ffi.new("tr_scenario *[]", max(len(scs), 1))
        for i, v in enumerate(scs):
            arr[i] = v._p
        cost = ffi.string(lib.tr_analysis_pareto_cost(sc._p, arr, len(scs))).decode()
        x, y = (cost if x == "cost" else x), (cost if y == "cost" else y)
    n = _count(points, "points", 0)
    bx, by = to_bytes(x, "x"), to_bytes(y, "y")
    snap = sc.copy()
    o, keep = _opts()
    front = _run("pareto", progress, o, lambda out: lib.tr_analysis_pareto(snap._p, bx, by, n, o, out), Front)
    front._x, front._y, front._labels = x, y, []
    front._scenario = snap
    if place is not None:
        front.place(place)
    return front

