"""The public API as a whole: exports, version, and that every public name
is exercised somewhere in these tests."""
import pathlib
import re

import techroad


def test_exports():
    for name in techroad.__all__:
        assert hasattr(techroad, name), name
    assert techroad.__version__.count(".") == 2
    assert techroad.glpk_version
    assert techroad.SolStatus.OPTIMAL == 0 and techroad.Method.DUAL == 0


def _public(cls):
    return [n for n in vars(cls) if not n.startswith("_")] + \
        [n for n in ("_repr_html_", "__enter__", "__exit__", "__copy__", "__deepcopy__", "__reduce__")
         if n in vars(cls)]


def test_every_public_name_is_tested():
    here = pathlib.Path(__file__).parent
    text = "\n".join(p.read_text(encoding="utf-8") for p in here.glob("test_*.py") if p.name != "test_api.py")
    text += (here.parent.parent.parent / "examples" / "vn_eaf_roadmap.ipynb").read_text(encoding="utf-8") \
        if (here.parent.parent.parent / "examples" / "vn_eaf_roadmap.ipynb").exists() else ""
    implicit = {  # exercised through Python syntax rather than by name
        "__enter__": r"\bwith\b", "__exit__": r"\bwith\b", "__copy__": r"copy\.copy\(",
        "__deepcopy__": r"copy\.deepcopy\(", "__reduce__": r"pickle\.dumps\(",
    }
    missing = []
    for name in techroad.__all__:
        if not re.search(rf"\b{re.escape(name)}\b", text):
            missing.append(f"techroad.{name}")
    for cls in (techroad.Scenario, techroad.Model, techroad.Result, techroad.Benchmark, techroad.Analysis,
                techroad.MonteCarlo, techroad.Front, techroad.MACC):
        for name in _public(cls):
            pattern = implicit.get(name, rf"\.{re.escape(name)}\b")
            if not re.search(pattern, text):
                missing.append(f"{cls.__name__}.{name}")
    assert not missing, f"not exercised by any test: {', '.join(missing)}"


def test_leaves_never_import_hubs():
    """scenario.py and result.py (the hubs) import the leaves at the top;
    a leaf receives its Scenario or Result and never imports a hub, so the
    package has no import cycle (and no import inside a function to hide one)."""
    import ast
    pkg = pathlib.Path(techroad.__file__).parent
    hubs = {"scenario", "result"}

    def imported(name):
        tree = ast.parse((pkg / f"{name}.py").read_text(encoding="utf-8"))
        out = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                out |= {node.module} if node.module else {a.name for a in node.names}
        return out

    for leaf in ("analysis", "benchmark", "compare", "plot", "_plants", "_html", "_common", "_yaml", "mga"):
        assert not imported(leaf) & hubs, leaf
    assert {"analysis", "benchmark"} <= imported("scenario") and "benchmark" in imported("result")


def test_analysis_defaults_come_from_the_library():
    """The defaults of the analyses' sizes are the C library's (tr_analysis.h),
    the same the CLI uses: 10 Morris trajectories on 4 levels, 10 MACC steps,
    11 front points."""
    import inspect
    from techroad._ffi import lib
    sig = inspect.signature
    assert (lib.TR_DEFAULT_MORRIS_TRAJECTORIES, lib.TR_DEFAULT_MORRIS_LEVELS, lib.TR_DEFAULT_MACC_STEPS,
            lib.TR_DEFAULT_PARETO_POINTS) == (10, 4, 10, 11)
    morris = sig(techroad.Scenario.morris).parameters
    assert (morris["trajectories"].default, morris["levels"].default) == (10, 4)
    assert sig(techroad.Scenario.macc).parameters["steps"].default == 10
    assert sig(techroad.Scenario.pareto).parameters["points"].default == 11
