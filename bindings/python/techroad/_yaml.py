"""Python values -> YAML flow text, for Scenario.set().

Only what a scenario holds: None, bool, int, float, str, mappings (dict,
pandas.Series with years as index) and sequences (list, tuple, numpy
arrays). The C side parses the text and checks it, so this module only has
to be exact, not clever: strings are always quoted unless they are plain
identifiers, numbers are written so that they read back identically.
"""
import math
import numbers
import re

_PLAIN = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")
# YAML 1.1/1.2 words that a plain scalar would turn into something else.
_RESERVED = {"y", "n", "yes", "no", "on", "off", "true", "false", "null", "nan", "inf"}


def _quote(s):
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif o < 0x20 or o == 0x7F or 0x80 <= o < 0xA0 or o in (0x2028, 0x2029, 0xFEFF):
            out.append(f"\\u{o:04x}" if o <= 0xFFFF else f"\\U{o:08x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def _str(s):
    if _PLAIN.match(s) and s.lower() not in _RESERVED:
        return s
    return _quote(s)


def _number(x):
    if isinstance(x, numbers.Integral):
        return str(int(x))
    x = float(x)
    if math.isnan(x):
        return ".nan"      # the library rejects it with the field's path
    if math.isinf(x):
        return ".inf" if x > 0 else "-.inf"
    r = repr(x)            # shortest text that reads back as the same double
    return r


def _key(k):
    if isinstance(k, bool):
        return "true" if k else "false"
    if isinstance(k, numbers.Integral):
        return str(int(k))
    if isinstance(k, numbers.Real):
        # A year given as 2030.0 (e.g. a float index) means the year 2030.
        if float(k).is_integer():
            return str(int(k))
        return _number(k)
    if isinstance(k, str):
        return _str(k)
    raise TypeError(f"cannot use {type(k).__name__} {k!r} as a scenario key")


def dumps(value):
    """YAML flow text for @value, e.g. {2025: 90, 2030: 110} -> '{2025: 90, 2030: 110}'."""
    if value is None:
        return "~"
    if isinstance(value, bool):
        return "true" if value else "false"
    # numpy scalars: np.bool_ is not a bool subclass, so test it by name.
    tname = type(value).__name__
    if tname == "bool_":
        return "true" if bool(value) else "false"
    if isinstance(value, numbers.Real):
        return _number(value)
    if isinstance(value, str):
        return _str(value)
    if isinstance(value, bytes):
        return _str(value.decode("utf-8"))
    if hasattr(value, "__fspath__"):
        return _quote(value.__fspath__())
    # pandas.Series (index = years) before the generic mapping test.
    if hasattr(value, "items") and hasattr(value, "index") and hasattr(value, "dtype"):
        return "{" + ", ".join(f"{_key(k)}: {dumps(v)}" for k, v in value.items()) + "}"
    if hasattr(value, "items"):
        return "{" + ", ".join(f"{_key(k)}: {dumps(v)}" for k, v in value.items()) + "}"
    if hasattr(value, "tolist") and not isinstance(value, (list, tuple)):
        return dumps(value.tolist())   # numpy arrays and scalars
    if isinstance(value, (list, tuple, set, frozenset, range)):
        items = sorted(value) if isinstance(value, (set, frozenset)) else value
        return "[" + ", ".join(dumps(v) for v in items) + "]"
    raise TypeError(f"cannot write a {type(value).__name__} into a scenario: "
                    "use None, bool, int, float, str, dict, list or a pandas Series")
