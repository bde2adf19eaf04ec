"""Scenario and Model: the tr_scenario and tr_model handles."""
import difflib
import enum
import os

import numpy as np
import yaml
import pandas as pd

from . import _yaml, analysis
from ._common import getter
from ._errors import InfeasibleError, ScenarioError, check
from ._handle import _Handle
from ._progress import _SolveProgress
from ._ffi import ffi, lib, take_string, to_bytes, to_str
from ._html import scenario_html, scenario_summary
from .benchmark import Benchmark
from .mga import mga as _mga
from .result import Result, SolStatus

__all__ = ["Scenario", "Model", "Method", "load", "loads"]


class Method(enum.IntEnum):
    """LP algorithm (tr_method)."""
    DUAL = lib.TR_METHOD_DUAL
    PRIMAL = lib.TR_METHOD_PRIMAL
    INTERIOR = lib.TR_METHOD_INTERIOR


_ITEM_KINDS = {
    "plants": lib.TR_ITEM_PLANT,
    "technologies": lib.TR_ITEM_TECHNOLOGY,
    "carriers": lib.TR_ITEM_CARRIER,
    "species": lib.TR_ITEM_SPECIES,
    "policies": lib.TR_ITEM_POLICY,
    "groups": lib.TR_ITEM_GROUP,
}

#: The sections whose keys are item ids, and what an item is called.
_SECTIONS = {"carriers": "carrier", "species": "species", "plants": "plant", "technologies": "technology",
             "policies": "policy", "products": "product", "indicators": "indicator", "imports": "product"}

_LP_FORMATS = {"cplex": lib.TR_LP_CPLEX, "lp": lib.TR_LP_CPLEX, "mps": lib.TR_LP_MPS,
               "glpk": lib.TR_LP_GLPK}


_STRUCTURES = {"auto": lib.TR_STRUCTURE_AUTO, "monolithic": lib.TR_STRUCTURE_MONOLITHIC,
               "decomposed": lib.TR_STRUCTURE_DECOMPOSED}

#: Sectors of this many plants or more are decomposed by ``method="auto"``.
DECOMPOSE_MIN_PLANTS = lib.TR_DECOMPOSE_MIN_PLANTS


def _method(m):
    """(structure, algorithm) of a ``method=`` argument, as the CLI's --method:
    auto/monolithic/decomposed choose the structure (monolithic: dual simplex);
    dual/primal/interior (or a Method) solve the whole LP with that algorithm."""
    if isinstance(m, str):
        key = m.lower()
        if key in _STRUCTURES:
            return _STRUCTURES[key], Method.DUAL
        try:
            return lib.TR_STRUCTURE_MONOLITHIC, Method[m.upper()]
        except KeyError:
            raise ValueError("method must be one of auto, monolithic, decomposed, dual, primal, "
                             f"interior; got {m!r}") from None
    return lib.TR_STRUCTURE_MONOLITHIC, Method(m)


def _solve_opts(method="auto", presolve=True, time_limit=None, verbosity=0, diagnose=True,
                verify=True, tol_primal=None, tol_dual=None, threads=0, gap=None, aggregate=True,
                foresight=None, step=None):
    """A tr_solve_opts filled by tr_solve_opts_init(), then the caller's choices."""
    opts = ffi.new("tr_solve_opts *")
    lib.tr_solve_opts_init(opts)
    structure, algorithm = _method(method)
    opts.structure = structure
    opts.method = int(algorithm)
    opts.presolve = 1 if presolve else 0
    if time_limit is not None:
        opts.time_limit_s = float(time_limit)
    opts.verbosity = int(verbosity)
    opts.diagnose = 1 if diagnose else 0
    opts.verify = 1 if verify else 0
    if tol_primal is not None:
        opts.tol_primal = float(tol_primal)
    if tol_dual is not None:
        opts.tol_dual = float(tol_dual)
    opts.threads = int(threads)
    if gap is not None:
        opts.gap = float(gap)
    opts.aggregate = 1 if aggregate else 0
    if foresight is not None:
        opts.foresight = int(foresight)
    if step is not None:
        opts.foresight_step = int(step)
    return opts


def _run_solve(call, opts, progress):
    """Run the C solve @call(opts, out) with the progress of a decomposed
    solve: Ctrl-C cancels it and raises KeyboardInterrupt afterwards; an
    exception from the user's callable is raised afterwards too."""
    state = _SolveProgress(progress)
    state.fill(opts)
    out = ffi.new("tr_result **")
    try:
        check(call(opts, out))
    finally:
        state.close()
    if state.interrupted or state.error is not None:
        lib.tr_result_free(out[0])
        if state.interrupted:
            raise KeyboardInterrupt(f"decomposed solve cancelled after {state.calls} rounds")
        raise state.error
    return out


def _recipe(method, presolve, time_limit, diagnose, verify, tol_primal, tol_dual, threads, gap, aggregate,
            foresight, step):
    """The options a Result is solved again with when it is unpickled."""
    return dict(method=method, presolve=presolve, time_limit=time_limit, diagnose=diagnose, verify=verify,
                tol_primal=tol_primal, tol_dual=tol_dual, threads=threads, gap=gap, aggregate=aggregate,
                foresight=foresight, step=step)


def _solve(call, snapshot, recipe, verbosity, progress, raise_on_infeasible):
    """Scenario.solve() and Model.solve(): the C solve @call(opts, out) with the
    options of @recipe (see _recipe()) and @verbosity, as a Result of @snapshot."""
    out = _run_solve(call, _solve_opts(verbosity=verbosity, **recipe), progress)
    res = Result._wrap(out[0], snapshot, recipe)
    if raise_on_infeasible and res.status != SolStatus.OPTIMAL:
        raise InfeasibleError(res)
    return res


class Scenario(_Handle):
    """A loaded, validated scenario (``tr_scenario``).

    Make one with :func:`techroad.load` or :func:`techroad.loads`. Every edit
    (:meth:`set`, :meth:`remove`, :meth:`add_policy`, ...) re-validates the
    whole scenario; a failing edit raises and leaves it unchanged. Calls on
    one Scenario from several threads are serialised (each waits for the
    other); separate Scenarios (see :meth:`copy`) run in parallel.

    Examples
    --------
    >>> sc = techroad.load("scenarios/vn-eaf/voluntary-agreement.yaml")
    >>> sc.set("carriers.electricity.price", {2025: 90, 2030: 110})
    >>> res = sc.solve()
    """

    __slots__ = ("_ptr", "__weakref__")

    def __init__(self, *args, **kwargs):
        raise TypeError("use techroad.load(path) or techroad.loads(text) to make a Scenario")

    @classmethod
    def _wrap(cls, ptr):
        return cls._adopt(ptr, lib.tr_scenario_free)

    # -- construction ------------------------------------------------------
    @classmethod
    def load(cls, path):
        """Read, merge (``extends``) and validate the scenario file at @path."""
        out = ffi.new("tr_scenario **")
        check(lib.tr_scenario_load(to_bytes(os.fspath(path), "path"), out))
        return cls._wrap(out[0])

    @classmethod
    def loads(cls, text, base_dir=None, label=None):
        """Scenario from YAML text; relative ``extends``/CSV paths resolve against @base_dir."""
        out = ffi.new("tr_scenario **")
        bd = to_bytes(os.fspath(base_dir), "base_dir") if base_dir is not None else ffi.NULL
        lb = to_bytes(label, "label") if label is not None else ffi.NULL
        check(lib.tr_scenario_loads(to_bytes(text, "text"), bd, lb, out))
        return cls._wrap(out[0])

    def copy(self):
        """An independent deep copy."""
        out = ffi.new("tr_scenario **")
        check(lib.tr_scenario_copy(self._p, out))
        return Scenario._wrap(out[0])

    __copy__ = copy

    def __deepcopy__(self, memo):
        return self.copy()

    def __reduce__(self):
        # Pickles as its effective YAML (e.g. for multiprocessing).
        return (_from_yaml, (self.to_yaml(), self.path))

    # -- lifetime ------------------------------------------------------------
    _what = "scenario"

    # -- read-only views ------------------------------------------------------
    name = getter(lib.tr_scenario_name, "The scenario's ``name``.", to_str)

    path = getter(lib.tr_scenario_path, "The file it was loaded from (or the label given to loads()).", to_str)

    sha256 = getter(lib.tr_scenario_sha256, "Hex SHA-256 of :meth:`to_yaml` (identifies the effective scenario).",
                    to_str)

    start_year = getter(lib.tr_scenario_start_year, "The first year of the horizon.")

    end_year = getter(lib.tr_scenario_end_year, "The last year of the horizon.")

    @property
    def years(self):
        """The horizon's years as a list."""
        return list(range(self.start_year, self.start_year + lib.tr_scenario_year_count(self._p)))

    def ids(self, kind):
        """Ids of one item list: 'plants', 'technologies', 'carriers', 'species', 'policies' or 'groups'."""
        try:
            k = _ITEM_KINDS[kind]
        except KeyError:
            raise ValueError(f"kind must be one of {', '.join(_ITEM_KINDS)}; got {kind!r}") from None
        p = self._p
        return [to_str(lib.tr_scenario_id(p, k, i)) for i in range(lib.tr_scenario_count(p, k))]

    plants = property(lambda self: self.ids("plants"), doc="Plant ids, in file order.")
    technologies = property(lambda self: self.ids("technologies"), doc="Technology ids.")
    carriers = property(lambda self: self.ids("carriers"), doc="Carrier ids.")
    species = property(lambda self: self.ids("species"), doc="Species ids.")
    policies = property(lambda self: self.ids("policies"), doc="Policy ids.")
    groups = property(lambda self: self.ids("groups"), doc="Exclusive group names.")

    # -- the document ---------------------------------------------------------
    def get(self, path):
        """The value at a dotted path, as the library writes it (YAML text).

        Numbers and series are easier to read with :meth:`value` and :meth:`series`.
        Raises ScenarioError when there is no such key.
        """
        out = ffi.new("char **")
        check(lib.tr_scenario_get(self._p, to_bytes(path, "path"), out))
        return take_string(out).rstrip("\n")

    def has(self, path):
        """True when the dotted @path exists in the scenario."""
        out = ffi.new("char **")
        rc = lib.tr_scenario_get(self._p, to_bytes(path, "path"), out)
        if rc == lib.TR_OK:
            lib.tr_string_free(out[0])
            return True
        if rc == lib.TR_E_NOTFOUND:
            return False
        check(rc)

    def value(self, path, year=None):
        """The number at a dotted path in one year, evaluated as the model does.

        Parameters
        ----------
        path : str
            Dotted path, e.g. ``"carriers.electricity.price"``.
        year : int, optional
            The year (default: the start year). Series are interpolated between
            their years and extrapolated flat, as in the model.

        Returns
        -------
        float

        A field the file leaves out gives the default the model uses (a
        technology's hurdle_rate is the discount rate, its fixed_om 0, a
        plant's intensity of a carrier it does not list 0, ...: the list is
        ``tr_scenario_value``'s in include/techroad/tr_scenario.h).

        Raises
        ------
        ScenarioError
            When there is no such key and no default, or the value is not a
            number or series.
        """
        if year is None:
            year = self.start_year
        out = ffi.new("double *")
        check(lib.tr_scenario_value(self._p, to_bytes(path, "path"), int(year), out))
        return out[0]

    def series(self, path, years=None):
        """The series at a dotted path over the horizon, year by year.

        Parameters
        ----------
        path : str
            Dotted path of a number or series.
        years : iterable of int, optional
            The years (default: every year of the horizon).

        Returns
        -------
        pandas.Series
            Indexed by year, named @path; each value as :meth:`value` gives it.
        """
        years = self.years if years is None else list(years)
        vals = np.array([self.value(path, y) for y in years], dtype=np.float64)
        return pd.Series(vals, index=pd.Index(years, name="year"), name=path)

    def _check_item(self, path):
        """An edit inside an item (``carriers.electricty.price``) names an item
        that exists: a misspelt id would start a new item and fail on its
        missing fields. A whole new item (``policies.new: {...}``) is fine."""
        if not isinstance(path, str):
            return   # to_bytes says what a path must be
        parts = path.split(".")
        if len(parts) < 3 or parts[0] not in _SECTIONS or not self.has(parts[0]):
            return
        ids = list(yaml.safe_load(self.get(parts[0])) or {})
        if parts[1] in ids or parts[1] in map(str, ids):
            return
        close = difflib.get_close_matches(parts[1], [str(i) for i in ids], n=1)
        hint = f'did you mean "{close[0]}"? ' if close else ""
        raise ScenarioError(lib.TR_E_NOTFOUND,
                            f"{path}: unknown {_SECTIONS[parts[0]]} \"{parts[1]}\"; {hint}"
                            f"({parts[0]}: {', '.join(map(str, ids)) or 'none'}; to add one, set the whole item "
                            f"{parts[0]}.{parts[1]} to a map of its fields)")

    def set(self, path, value):
        """Replace the value at a dotted path with a Python value, then re-validate.

        Parameters
        ----------
        path : str
            Dotted path; missing intermediate maps are created, but an edit
            inside an item names one that exists (a misspelt id is an error
            with "did you mean"); add an item by setting it whole
            (``sc.set("carriers.hydrogen", {"unit": "GJ", "price": 30})``).
        value : number, str, bool, None, dict, list or pandas.Series
            ``{2025: 90, 2030: 110}`` (or a Series indexed by year) for a series.
            Written as YAML by PyYAML's ``safe_dump``.

        Returns
        -------
        Scenario
            self, so that edits chain. On error the scenario is unchanged.
        """
        return self.set_yaml(path, _yaml.dumps(value))

    def set_yaml(self, path, text):
        """Like :meth:`set` with the new value as YAML text."""
        self._check_item(path)
        check(lib.tr_scenario_set(self._p, to_bytes(path, "path"), to_bytes(text, "value")))
        return self

    def remove(self, path):
        """Delete the key at a dotted path, then re-validate. Returns self."""
        check(lib.tr_scenario_remove(self._p, to_bytes(path, "path")))
        return self

    def add_policy(self, policy_id, type, **fields):  # noqa: A002 - the YAML field is called type
        """Add (or replace) policy @policy_id, e.g.
        ``sc.add_policy("co2_cap", "cap", indicator="emissions.CO2", limit={2030: 2e6})``.
        Returns self."""
        return self.set(f"policies.{policy_id}", {"type": type, **fields})

    def remove_policy(self, policy_id):
        """Drop policy @policy_id. Returns self."""
        if policy_id not in self.policies:
            raise ScenarioError(lib.TR_E_NOTFOUND, f"policies.{policy_id}: no such policy "
                                f"(the scenario has {', '.join(self.policies) or 'none'})")
        return self.remove(f"policies.{policy_id}")

    def to_yaml(self, path=None, flatten=True):
        """The scenario as YAML text.

        With ``flatten=True`` (the default) the effective scenario: ``extends``
        merged and CSV tables inlined; loading it gives the same scenario (the
        same :attr:`sha256`).

        With ``flatten=False``, a variant file: ``extends:`` the file its own
        file extends (relative to @path's folder when given, else to the
        scenario's file), and only what differs from that file's effective
        scenario -- the variant's own content and any edit made since
        (:meth:`set`). Loading it gives the same effective scenario. A
        scenario that extends nothing is written flattened; an edit that
        removed something the base has cannot be a variant of it
        (ScenarioError).

        Parameters
        ----------
        path : str or os.PathLike, optional
            Also write the text to this file.
        flatten : bool, default True

        Returns
        -------
        str
        """
        out = ffi.new("char **")
        check(lib.tr_scenario_to_yaml(self._p, out))
        text = take_string(out)
        if not flatten:
            text = _variant_yaml(self, text, path) or text
        if path is not None:
            with open(path, "w", encoding="utf-8") as f:
                f.write(text)
        return text

    # -- solving ----------------------------------------------------------------
    def solve(self, *, method="auto", presolve=True, time_limit=None, verbosity=0,
              diagnose=True, verify=True, tol_primal=None, tol_dual=None,
              threads=0, gap=None, aggregate=True, raise_on_infeasible=False, progress=None,
              foresight=None, step=None):
        """Build and solve the LP.

        An infeasible scenario is an outcome, not an error: check ``res.status``
        and ``res.diagnosis``. The C solve runs without the GIL, so threads can
        solve separate scenarios in parallel. The result keeps a copy of this
        scenario: editing it afterwards does not change the result.

        Parameters
        ----------
        method : str or Method, default "auto"
            "auto" decomposes by plant from ``techroad.DECOMPOSE_MIN_PLANTS``
            plants on, else solves the whole LP by dual simplex; "monolithic";
            "decomposed" (Dantzig-Wolfe column generation: one subproblem per
            plant, same optimum); or the algorithm for the whole LP: "dual",
            "primal", "interior". ``res.method`` says what ran.
        presolve, diagnose, verify : bool, default True
            GLPK's presolver; the diagnosis of an infeasible scenario; the check
            of the solution against the model.
        time_limit : float, optional
            Seconds the solver may take.
        verbosity : int, default 0
            0 silent .. 3 debug; the lines go to the logger "techroad".
        tol_primal, tol_dual : float, optional
            GLPK's feasibility tolerances.
        threads : int, default 0
            Threads pricing the plants of a decomposed solve (0: one per CPU;
            results do not depend on it).
        gap : float, optional
            Relative optimality gap a decomposed solve proves (default 1e-9).
        aggregate : bool, default True
            Identical plants share one subproblem.
        raise_on_infeasible : bool, default False
            Raise :class:`techroad.InfeasibleError` instead of returning a
            result whose status is not OPTIMAL.
        progress : bool or callable, optional
            Follows a decomposed solve round by round: True shows a tqdm line
            with the gap proven so far; a callable ``(round, gap)`` is called
            after each round and cancels the solve by returning a true value (the
            result then has status LIMIT). Ctrl-C cancels at the end of the round
            and raises KeyboardInterrupt. A whole-LP solve reports nothing.
        foresight : int, optional
            Myopic foresight (rolling horizon, docs/MODEL.md §14): each year is
            decided seeing only ``foresight`` years ahead, earlier decisions fixed;
            None or 0: perfect foresight. The whole LP by simplex only.
            ``res.foresight`` records it.
        step : int, optional
            Years kept from each window, 1 (default) .. ``foresight``.

        Returns
        -------
        Result
        """
        recipe = _recipe(method, presolve, time_limit, diagnose, verify, tol_primal, tol_dual, threads, gap,
                         aggregate, foresight, step)
        snapshot = self.copy()
        return _solve(lambda o, r: lib.tr_scenario_solve(snapshot._p, o, r), snapshot, recipe, verbosity, progress,
                      raise_on_infeasible)

    def benchmark(self):
        """The plants against best practice in the base year, with the existing
        equipment only (needs a ``benchmark:`` section); see also Result.benchmark()."""
        return Benchmark(self)

    def model(self):
        """The LP of this scenario as a :class:`Model` (to inspect, export or solve)."""
        return Model(self)

    # -- analyses (techroad.analysis) -----------------------------------------------
    def montecarlo(self, samples=None, seed=None, method=None, *, threads=0, keep_samples=False,
                   warm=True, progress=True):
        """Monte Carlo over the ``uncertainty:`` section.

        Parameters
        ----------
        samples, seed : int, optional
            Default to the section's own.
        method : {"lhs", "random"}, optional
            Sampling (default: the section's).
        keep_samples : bool, default False
            Also keep the table ``samples`` with every run.
        threads : int, default 0
            Worker threads, 0 = one per CPU; the numbers do not depend on it.
        warm : bool, default True
            False builds and solves every run from scratch (for benchmarks).
        progress : bool or callable, default True
            True shows a tqdm bar, False/None nothing, a callable
            ``(done, total)`` cancels by returning a true value. Ctrl-C cancels
            cleanly: the runs done so far are used and a
            :class:`techroad.CancelledWarning` is issued.

        Returns
        -------
        MonteCarlo
            DataFrames ``percentiles`` (indicator, year, runs, mean, sd,
            p5..p95), ``totals``, ``targets`` (probability each policy is met),
            ``adoption`` and, with @keep_samples, ``samples``. The same seed gives
            the same numbers whatever the number of threads.
        """
        return analysis.montecarlo(self, samples, seed, method, threads=threads, keep_samples=keep_samples,
                                   warm=warm, progress=progress)

    def sweep(self, path, values, path2=None, values2=None, *, scale=False, scale2=None, threads=0,
              warm=True, progress=True):
        """Solve for each of a list of values at a dotted path (or each pair of values of two paths).

        Parameters
        ----------
        path : str
            Dotted path of a number or series.
        values : sequence of float
            The values (or factors, with @scale).
        path2, values2 : optional
            A second parameter: every pair of values is solved.
        scale, scale2 : bool
            Multiply the scenario's numbers (a series scales as a whole) instead
            of replacing them; @scale2 defaults to @scale.
        threads, warm, progress
            As for :meth:`montecarlo`.

        Returns
        -------
        pandas.DataFrame
            The values, status and every total, one row per run; ``df.attrs``
            says whether it was cancelled.
        """
        return analysis.sweep(self, path, values, path2, values2, scale=scale, scale2=scale2, threads=threads,
                              warm=warm, progress=progress)

    def tornado(self, output="npv", *, threads=0, warm=True, progress=True):
        """One at a time, each uncertain parameter at its 5th and 95th percentile.

        The other parameters stay at their medians.

        Parameters
        ----------
        output : str, default "npv"
            A total such as "npv" or "cumulative.emissions.CO2".
        threads, warm, progress
            As for :meth:`montecarlo`.

        Returns
        -------
        pandas.DataFrame
            parameter, low, high, output_low, output_high, output_base, swing,
            output; largest swing first.
        """
        return analysis.tornado(self, output, threads=threads, warm=warm, progress=progress)

    def morris(self, trajectories=lib.TR_DEFAULT_MORRIS_TRAJECTORIES, levels=lib.TR_DEFAULT_MORRIS_LEVELS,
               output="npv", *, seed=None, threads=0, warm=True,
               progress=True):
        """Morris elementary effects of the uncertain parameters on a total.

        Parameters
        ----------
        trajectories : int, default 10
            Morris trajectories (the default is the C library's
            ``TR_DEFAULT_MORRIS_TRAJECTORIES``).
        levels : int, default 4
            Grid levels over each parameter's 1st..99th percentile
            (``TR_DEFAULT_MORRIS_LEVELS``).
        output : str, default "npv"
            The total whose effects are measured.
        seed : int, optional
            Default: the ``uncertainty:`` section's.
        threads, warm, progress
            As for :meth:`montecarlo`.

        Returns
        -------
        pandas.DataFrame
            parameter, mu, mu_star, sigma, effects, output.
        """
        return analysis.morris(self, trajectories, levels, output, seed=seed, threads=threads, warm=warm,
                               progress=progress)

    def macc(self, year=None, species="CO2", steps=lib.TR_DEFAULT_MACC_STEPS, *, progress=True):
        """Marginal abatement cost curves of one species in one year.

        Parameters
        ----------
        year : int, optional
            Default: the last year of the horizon.
        species : str, default "CO2"
        steps : int, default 10
            Steps of the model curve's tightening cap (``TR_DEFAULT_MACC_STEPS``).
        progress : bool or callable, default True
            As for :meth:`montecarlo`.

        Returns
        -------
        MACC
            The static curve of the measures (``.measures``) and the model's
            curve (``.model``); draw them with :func:`techroad.plot_macc`.
        """
        return analysis.macc(self, year, species, steps, progress=progress)

    def pareto(self, x="cost", y="emissions.CO2", points=lib.TR_DEFAULT_PARETO_POINTS, place=None, *,
               progress=True):
        """Trade-off front between two objectives by the epsilon-constraint method.

        Parameters
        ----------
        x, y : str, default "cost" and "emissions.CO2"
            Objectives: "npv"; "resource_cost" (NPV without emission taxes, a
            transfer, with public subsidies: docs/MODEL.md §11); "cost", which
            is "npv", or "resource_cost" when variants whose emission taxes
            differ from this scenario's are placed (a carbon-price variant
            would otherwise look dominated only because of its tax); an
            indicator summed over the horizon such as "emissions.CO2"; or with
            a "min:"/"max:" prefix ("max:jobs").
        points : int, default 11
            Points of the front (``TR_DEFAULT_PARETO_POINTS``).
        place : Result, Scenario, list or dict, optional
            Policy variants to place against the front (see :meth:`Front.place`).
        progress : bool or callable, default True
            As for :meth:`montecarlo`.

        Returns
        -------
        Front
        """
        return analysis.pareto(self, x, y, points, place, progress=progress)

    def mga(self, slack=0.01, year=None, alternatives=10, *, seed=None, progress=True):
        """Near-optimal ranges and alternatives (modelling to generate alternatives).

        Parameters
        ----------
        slack : float, default 0.01
            The roadmaps considered: ``NPV <= npv* + slack * abs(npv*)``
            (``npv*`` the least cost; ``(1 + slack) npv*`` when it is positive).
        year : int, optional
            The year of the shares (default: the last).
        alternatives : int, default 10
            Roadmaps inside the slack, by random directions.
        seed : int, optional
            The directions' seed (default: a fixed one).
        progress : bool or callable, default True
            As for :meth:`montecarlo`.

        Returns
        -------
        MGA
            ``.ranges`` (each technology's least and greatest share in @year),
            ``.alternatives`` and ``.needed``; draw with :func:`techroad.plot_mga`.
        """
        return _mga(self, slack, year, alternatives, seed=seed, progress=progress)

    # -- display --------------------------------------------------------------------
    def summary(self):
        """A one-column DataFrame describing the scenario."""
        return scenario_summary(self)

    def __repr__(self):
        if self._ptr is None:
            return "<techroad.Scenario (closed)>"
        return (f"<techroad.Scenario {self.name!r} {self.start_year}-{self.end_year}: "
                f"{len(self.plants)} plants, {len(self.technologies)} technologies, "
                f"{len(self.policies)} policies>")

    def _repr_html_(self):
        return scenario_html(self)


def _own(doc, base, where):
    """What @doc adds to or changes in @base under deep merge (maps merge key
    by key, anything else replaces); @where names the place in messages."""
    out = {}
    for k, v in doc.items():
        if k not in base:
            out[k] = v
        elif isinstance(v, dict) and isinstance(base[k], dict):
            sub = _own(v, base[k], f"{where}{k}.")
            if sub:
                out[k] = sub
        elif v != base[k]:
            out[k] = v
    gone = [k for k in base if k not in doc]
    if gone:
        raise ScenarioError(lib.TR_E_INVAL, f"to_yaml(flatten=False): {where}{gone[0]} is in the base but not in "
                            "this scenario; a variant (extends) can change or add, not remove: use to_yaml()")
    return out


def _variant_yaml(sc, flat, path):
    """The variant form of to_yaml (flatten=False), or None when the scenario's
    file extends nothing."""
    src = sc.path
    if not src or not os.path.isfile(src):
        return None
    with open(src, encoding="utf-8") as f:
        raw = yaml.safe_load(f) or {}
    ext = raw.get("extends") if isinstance(raw, dict) else None
    if not isinstance(ext, str):
        return None
    base_file = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(src)), ext))
    base = yaml.safe_load(Scenario.load(base_file).to_yaml()) or {}
    own = _own(yaml.safe_load(flat) or {}, base, "")
    where = os.path.dirname(os.path.abspath(path if path is not None else src))
    head = {"format": own.pop("format", base.get("format", "techroad/1")),
            "extends": os.path.relpath(base_file, where)}
    return yaml.safe_dump({**head, **own}, sort_keys=False, allow_unicode=True, width=100)


def _from_yaml(text, label):
    return Scenario.loads(text, label=label)


def load(path):
    """Read, merge (``extends``) and validate a scenario file.

    Parameters
    ----------
    path : str or os.PathLike

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        Bad content, with file:line:col, field path and what was expected.
    ScenarioIOError
        The file (or one it extends or reads) cannot be read.
    """
    return Scenario.load(path)


def loads(text, base_dir=None, label=None):
    """A scenario from YAML text.

    Parameters
    ----------
    text : str
        The scenario.
    base_dir : str or os.PathLike, optional
        Relative ``extends`` and CSV paths resolve against it (default: the
        current directory).
    label : str, optional
        Names the text in error messages (default ``<string>``).

    Returns
    -------
    Scenario
    """
    return Scenario.loads(text, base_dir=base_dir, label=label)


class Model(_Handle):
    """The linear programme of a scenario (``tr_model``).

    The model keeps its own copy of what it needs: the scenario may change or
    go away afterwards. Solving the same Model again reuses it.

    Parameters
    ----------
    scenario : Scenario
    """

    __slots__ = ("_ptr", "_scenario", "__weakref__")

    def __init__(self, scenario):
        if not isinstance(scenario, Scenario):
            raise TypeError(f"Model() needs a techroad.Scenario, got {type(scenario).__name__}")
        snapshot = scenario.copy()
        out = ffi.new("tr_model **")
        check(lib.tr_model_new(snapshot._p, out))
        self._ptr = ffi.gc(out[0], lib.tr_model_free)
        self._scenario = snapshot

    _what = "model"

    @property
    def scenario(self):
        """A copy of the scenario the model was built from."""
        return self._scenario.copy()

    rows = getter(lib.tr_model_row_count, "Rows of the LP.")

    cols = getter(lib.tr_model_col_count, "Columns of the LP.")

    nonzeros = getter(lib.tr_model_nonzero_count, "Nonzero coefficients of the LP.")

    def write_lp(self, path, format="cplex"):  # noqa: A002
        """Write the LP with named rows and columns; format cplex (lp), mps or glpk."""
        try:
            fmt = _LP_FORMATS[format]
        except KeyError:
            raise ValueError(f"format must be one of cplex, mps, glpk; got {format!r}") from None
        check(lib.tr_model_write_lp(self._p, fmt, to_bytes(os.fspath(path), "path")))

    def solve(self, *, method="auto", presolve=True, time_limit=None, verbosity=0,
              diagnose=True, verify=True, tol_primal=None, tol_dual=None,
              threads=0, gap=None, aggregate=True, raise_on_infeasible=False, progress=None,
              foresight=None, step=None):
        """Solve the LP; the same options and result as :meth:`Scenario.solve`.

        Solves of one Model from several threads run one after the other;
        separate Models solve in parallel.
        One Model may be used by different threads one after the other (it moves
        to the thread that solves it, losing its warm start), and may be
        collected in any thread.

        Returns
        -------
        Result
        """
        recipe = _recipe(method, presolve, time_limit, diagnose, verify, tol_primal, tol_dual, threads, gap,
                         aggregate, foresight, step)
        return _solve(lambda o, r: lib.tr_model_solve(self._p, o, r), self._scenario, recipe, verbosity, progress,
                      raise_on_infeasible)

    def __repr__(self):
        if self._ptr is None:
            return "<techroad.Model (closed)>"
        return (f"<techroad.Model {self._scenario.name!r}: {self.rows} rows, "
                f"{self.cols} columns, {self.nonzeros} nonzeros>")


from . import audit as _audit  # noqa: E402  (audit.py imports analysis.py, which imports this module)

Scenario.evidence = _audit.evidence
Scenario.audit = _audit.audit
