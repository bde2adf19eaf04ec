"""techroad -- technology-roadmap scenarios (LP, GLPK) from Python.

    >>> import techroad
    >>> sc = techroad.load("scenarios/vn-eaf/voluntary-agreement.yaml")
    >>> sc.set("carriers.electricity.price", {2025: 90, 2030: 110})
    >>> res = sc.solve()
    >>> res.status, res.npv
    >>> res.indicators            # pandas DataFrame, years as index
    >>> techroad.compare([res], baseline=techroad.load(".../bau.yaml").solve())
    >>> sc.montecarlo(samples=500).percentiles   # analyses: also sweep, tornado, morris, macc, pareto

A thin layer over the C library libtechroad through CFFI (API mode): one
class per C handle (Scenario, Model, Result, Benchmark, Analysis), C errors raised as
exceptions carrying the library's message (file:line:col: field: ...).
"""
from ._ffi import ffi as _ffi_obj, lib as _lib
from ._errors import (CancelledWarning, InfeasibleError, UnsolvedWarning, NumericError, ScenarioError, ScenarioIOError,
                      SolverError, StateError, Status, TechroadError, check as _check)
from . import _log
from .scenario import DECOMPOSE_MIN_PLANTS, Method, Model, Scenario, load, loads
from .result import Result, SolStatus
from .compare import compare
from .benchmark import Benchmark, benchmark, write_report
from .analysis import MACC, Analysis, Front, MonteCarlo
from .ensemble import ensemble
from .mga import MGA
from .plot import (plot_adoption, plot_benchmark, plot_costs, plot_emissions, plot_energy, plot_fan,
                   plot_front, plot_macc, plot_mga, plot_paths, plot_tornado)

# Turns GSL's abort-on-error handler off (process-global) before anything
# else can reach GSL, so a numeric failure cannot kill a Jupyter kernel.
_check(_lib.tr_library_init())
_log.install()

__version__ = _ffi_obj.string(_lib.tr_version()).decode()
#: The version string of the GLPK that libtechroad is linked with.
glpk_version = _ffi_obj.string(_lib.tr_glpk_version()).decode()


def strerror(code):
    """The library's static description of a status code."""
    return _ffi_obj.string(_lib.tr_strerror(int(code))).decode()


__all__ = [
    "load", "loads", "Scenario", "Model", "Result", "Method", "SolStatus", "Status",
    "DECOMPOSE_MIN_PLANTS", "ensemble",
    "compare", "Benchmark", "benchmark", "write_report",
    "Analysis", "MonteCarlo", "Front", "MACC",
    "plot_paths", "plot_energy", "plot_emissions", "plot_adoption", "plot_costs", "plot_benchmark",
    "plot_macc", "plot_fan", "plot_tornado", "plot_front", "plot_mga", "MGA",
    "TechroadError", "ScenarioError", "ScenarioIOError", "SolverError", "NumericError",
    "StateError", "InfeasibleError", "CancelledWarning", "UnsolvedWarning",
    "strerror", "glpk_version", "__version__",
]
