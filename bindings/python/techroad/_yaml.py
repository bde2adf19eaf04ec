"""Python values -> YAML flow text, for Scenario.set().

PyYAML's ``safe_dump`` writes the text; this module only turns what a
scenario can hold into the plain types it knows: None, bool, int, float,
str, mappings (dict, pandas.Series with years as index) and sequences
(list, tuple, set, numpy arrays). The C side parses the text and checks it.
"""
import math
import numbers

import yaml


def _key(k):
    if isinstance(k, (bool, str)):
        return k
    if isinstance(k, numbers.Integral):
        return int(k)
    if isinstance(k, numbers.Real):
        # A year given as 2030.0 (e.g. a float index) means the year 2030.
        return int(k) if float(k).is_integer() else float(k)
    raise TypeError(f"cannot use {type(k).__name__} {k!r} as a scenario key")


def _plain(value):
    """@value with numpy, pandas and path objects turned into the types safe_dump writes."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if type(value).__name__ == "bool_":           # numpy's bool is not a bool subclass
        return bool(value)
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if hasattr(value, "__fspath__"):
        return str(value.__fspath__())
    if hasattr(value, "items"):                     # dict, pandas.Series (index = years)
        return {_key(k): _plain(v) for k, v in value.items()}
    if hasattr(value, "tolist") and not isinstance(value, (list, tuple)):
        return _plain(value.tolist())               # numpy arrays and scalars
    if isinstance(value, (list, tuple, set, frozenset, range)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else value
        return [_plain(v) for v in items]
    raise TypeError(f"cannot write a {type(value).__name__} into a scenario: "
                    "use None, bool, int, float, str, dict, list or a pandas Series")


def dumps(value):
    """YAML flow text for @value, e.g. {2025: 90, 2030: 110} -> '{2025: 90, 2030: 110}'."""
    text = yaml.safe_dump(_plain(value), default_flow_style=True, allow_unicode=True, sort_keys=False,
                          width=math.inf)
    # A lone scalar comes with an end-of-document marker: one value, one line.
    return text[:-len("\n...\n")] if text.endswith("\n...\n") else text.rstrip("\n")
