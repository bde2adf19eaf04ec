"""The API reference (docs/api, Sphinx autodoc with undoc-members off) shows
only what has a docstring: every public method and property of the classes
it lists must have one, or it silently vanishes from the reference (as
to_yaml, value, series, equipped_by_plant and plant_intensity once did)."""
import inspect
import pathlib
import re

import techroad

ROOT = pathlib.Path(__file__).resolve().parents[3]


def _listed():
    rst = (ROOT / "docs" / "api" / "python.rst").read_text()
    return re.findall(r"^\.\. auto(class|function):: (techroad\.\w+)", rst, re.M)


def test_every_listed_public_member_has_a_docstring():
    missing = []
    for kind, dotted in _listed():
        obj = getattr(techroad, dotted.split(".", 1)[1])
        if not inspect.getdoc(obj):
            missing.append(dotted)
        if kind != "class" or issubclass(obj, BaseException) or not obj.__module__.startswith("techroad"):
            continue
        for name, member in vars(obj).items():
            if name.startswith("_") or not (callable(member) or isinstance(member, property)):
                continue
            if not inspect.getdoc(member):
                missing.append(f"{dotted}.{name}")
    assert not missing, f"public members without a docstring (absent from the API reference): {missing}"


def test_the_asked_for_members_are_in_the_reference_and_the_readme():
    for cls, name in [(techroad.Scenario, "to_yaml"), (techroad.Scenario, "value"), (techroad.Scenario, "series"),
                      (techroad.Result, "equipped_by_plant"), (techroad.Result, "plant_intensity")]:
        doc = inspect.getdoc(getattr(cls, name))
        assert doc and "Parameters" in doc or "Returns" in doc, name
    assert ("techroad.Scenario", "class") in {(d, k) for k, d in _listed()}
    readme = (ROOT / "README.md").read_text()
    python = readme[readme.index("## Python"):]
    assert "docs/api/" in python
    for name in ("Scenario.to_yaml", "Scenario.value", "Scenario.series", "Result.equipped_by_plant",
                 "Result.plant_intensity"):
        assert name in python, name
