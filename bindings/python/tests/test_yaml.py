"""Python values -> YAML flow text (what Scenario.set() sends to the C side)."""
import json
import math

import numpy as np
import pandas as pd
import pytest
import yaml

import techroad
from techroad._yaml import dumps


@pytest.mark.parametrize("value, text", [
    (None, "~"),
    (True, "true"),
    (False, "false"),
    (np.bool_(True), "true"),
    (3, "3"),
    (np.int32(-7), "-7"),
    (0.05, "0.05"),
    (1e-12, "1e-12"),
    (np.float64(2.5), "2.5"),
    (float("nan"), ".nan"),
    (float("inf"), ".inf"),
    (-math.inf, "-.inf"),
    ("electricity", "electricity"),
    ("all", "all"),
    ("yes", '"yes"'),
    ("null", '"null"'),
    ("2030", '"2030"'),
    ("a b", '"a b"'),
    ('say "hi"\n\\', '"say \\"hi\\"\\n\\\\"'),
    ("CO₂", '"CO₂"'),
    ("\x07", '"\\u0007"'),
    ({2025: 90, 2030: 110}, "{2025: 90, 2030: 110}"),
    ({2025.0: 1}, "{2025: 1}"),
    ({"type": "cap", "limit": {2021: 850}}, "{type: cap, limit: {2021: 850}}"),
    ([1, "a", None], "[1, a, ~]"),
    ((1, 2), "[1, 2]"),
    ({"b", "a"}, "[a, b]"),
    (np.array([1.5, 2.0]), "[1.5, 2.0]"),
    (pd.Series([90.0, 110.0], index=[2025, 2030]), "{2025: 90.0, 2030: 110.0}"),
    ([], "[]"),
    ({}, "{}"),
])
def test_dumps(value, text):
    """PyYAML writes the text now; @text is what the hand-written emitter
    wrote before: both read back as the same data (NaN equal to NaN)."""
    def same(a, b):
        if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
            return True
        if isinstance(a, dict) and isinstance(b, dict):
            return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
        if isinstance(a, list) and isinstance(b, list):
            return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
        if isinstance(a, float) and isinstance(b, str):
            return a == float(b)       # "1e-12": a float in YAML 1.2 (the library), a str to PyYAML's 1.1
        return type(a) is type(b) and a == b
    out = dumps(value)
    assert "\n" not in out or isinstance(value, str)       # one line, but for a string with line breaks
    assert same(yaml.safe_load(out), yaml.safe_load(text)), (out, text)


def test_dumps_reads_back_in_the_library(tiny_text):
    """The library (libyaml) reads PyYAML's text as it read the old text."""
    sc = techroad.loads(tiny_text)
    for value, old in [({2025: 90, 2030: 110}, "{2025: 90, 2030: 110}"), (1e-12, "1e-12"),
                       (pd.Series([90.0, 110.0], index=[2025.0, 2030.0]), "{2025: 90.0, 2030: 110.0}")]:
        sc.set_yaml("carriers.electricity.price", old)
        want = [sc.value("carriers.electricity.price", y) for y in sc.years]
        sc.set("carriers.electricity.price", value)
        assert [sc.value("carriers.electricity.price", y) for y in sc.years] == want
    for value, old in [("yes", '"yes"'), ("2030", '"2030"'), ("a b", '"a b"'), ("CO₂", '"CO₂"'),
                       ('say "hi"\n\\', '"say \\"hi\\"\\n\\\\"'), ("\x07", '"\\u0007"')]:
        sc.set_yaml("technologies.eff.notes", old)
        want = _scalar(sc.get("technologies.eff.notes"))
        sc.set("technologies.eff.notes", value)
        assert _scalar(sc.get("technologies.eff.notes")) == want == value


def test_floats_read_back_exactly(tiny_text):
    sc = techroad.loads(tiny_text)
    for x in [0.1, 1 / 3, 123456.789012345, 2.2250738585072014e-308, 1e300]:
        sc.set("carriers.electricity.price", x)
        assert sc.value("carriers.electricity.price") == x


def _scalar(text):
    """A YAML scalar as the library writes it: plain, single-quoted ('' for a
    quote; a blank line for a line break) or double-quoted (JSON-like escapes)."""
    if text.startswith('"'):
        return json.loads(text.replace("\\a", "\\u0007"))
    if text.startswith("'"):
        body = text[1:-1] if text.endswith("'") else text[1:]
        lines = body.split("\n")
        if len(lines) == 1:
            return body.replace("''", "'")
        out, blank = [], 0
        for i, ln in enumerate(lines):
            ln = ln.strip() if i else ln.rstrip()
            if i and ln == "":
                blank += 1
                continue
            if i:
                out.append("\n" * blank if blank else " ")
            blank = 0
            out.append(ln)
        return "".join(out).replace("''", "'")
    return text


@pytest.mark.parametrize("s", ["plain", "with: colon", 'quote " and \\ backslash', "line\nbreak", "ünïcödé ₂",
                               "#hash", "- dash", "{not: a map}", "[x]", "&anchor", "*alias", "!tag", "%pct",
                               "@at", "`tick", "it's", " pad ", "yes", "0.5", "~", "\x07bell", ""])
def test_strings_survive_the_round_trip(tiny_text, s):
    sc = techroad.loads(tiny_text)
    sc.set("technologies.eff.notes", s)
    assert _scalar(sc.get("technologies.eff.notes")) == s
    back = techroad.loads(sc.to_yaml())
    assert back.sha256 == sc.sha256
    assert _scalar(back.get("technologies.eff.notes")) == s


def test_unsupported_types_raise_typeerror():
    with pytest.raises(TypeError, match="cannot write a object"):
        dumps(object())
    with pytest.raises(TypeError, match="as a scenario key"):
        dumps({(1, 2): 3})
