"""Private helpers shared by the modules of the package.

The hubs (``scenario``, ``result``) import the leaves (``analysis``,
``benchmark``, ``compare``, ``plot``); a leaf never imports a hub. A leaf
receives the Scenario or Result it works on, and recognises it here by the
handle kind it declares (``_Handle._what``), not by importing its class.
"""
from ._ffi import lib
from ._handle import _Handle

_FORMATS = {"json": lib.TR_FMT_JSON, "csv": lib.TR_FMT_CSV, "iamc": lib.TR_FMT_IAMC, "table": lib.TR_FMT_TABLE}


def output_format(fmt, allowed=("json", "csv", "iamc", "table")):
    """The tr_result_format of the name @fmt, one of @allowed (listed in that order in the error)."""
    if fmt not in allowed:
        raise ValueError(f"format must be one of {', '.join(allowed)}; got {fmt!r}")
    return _FORMATS[fmt]


def is_a(obj, what):
    """True when @obj is a techroad handle of kind @what ("scenario", "result", ...)."""
    return isinstance(obj, _Handle) and obj._what == what


def labelled(results, taken=()):
    """[(label, Result)] from a Result, a list of Results or a {label: Result} dict.

    Labels default to the scenario names; repeats (and names in @taken) get " #2", " #3".
    """
    if is_a(results, "result"):
        items = [(None, results)]
    elif isinstance(results, dict):
        items = list(results.items())
    else:
        items = [(None, r) for r in results]
    out, seen = [], {t: 1 for t in taken}
    for label, r in items:
        if not is_a(r, "result"):
            raise TypeError(f"expected techroad.Result objects, got {type(r).__name__}")
        label = r.scenario_name if label is None else str(label)
        n = seen.get(label, 0) + 1
        seen[label] = n
        out.append((label if n == 1 else f"{label} #{n}", r))
    return out


def getter(fn, doc, convert=None):
    """A read-only property: @fn (a C getter) of the handle, through @convert (e.g. to_str)."""
    if convert is None:
        return property(lambda self: fn(self._p), doc=doc)
    return property(lambda self: convert(fn(self._p)), doc=doc)
