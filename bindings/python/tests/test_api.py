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
