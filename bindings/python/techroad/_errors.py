"""Exceptions, and check(): the only place C status codes become exceptions."""
import enum
import re

from ._ffi import ffi, lib


class Status(enum.IntEnum):
    """The C library's tr_status codes."""
    OK = lib.TR_OK
    E_NOMEM = lib.TR_E_NOMEM
    E_INVAL = lib.TR_E_INVAL
    E_NOTFOUND = lib.TR_E_NOTFOUND
    E_IO = lib.TR_E_IO
    E_PARSE = lib.TR_E_PARSE
    E_SOLVER = lib.TR_E_SOLVER
    E_NUMERIC = lib.TR_E_NUMERIC
    E_STATE = lib.TR_E_STATE


# Messages look like "file.yaml:41:15: technologies.shaft.lifetime: expected
# ...", "<set path>: field: ...", "file.yaml: cannot read: ..." or
# "field.path: no such key ..."; file, line:column and field are each there
# only when the library knows them.
_LOCATION = re.compile(r"^(?P<file>[^\n]*?):(?P<line>\d+):(?P<column>\d+): (?P<rest>.*)$", re.S)
_LABEL = re.compile(r"^(?P<file><[^>\n]*>): (?P<rest>.*)$", re.S)
_FIELD = re.compile(r"^(?P<field>[A-Za-z0-9_\-]+(?:\.[A-Za-z0-9_@\-]+)*): ")
_FILE = re.compile(r"^(?P<file>[^:\n]+): ")
_LOOKS_LIKE_FILE = re.compile(r"[/\\]|\.(ya?ml|csv|json)$", re.I)


class TechroadError(Exception):
    """A techroad call failed.

    Attributes:
        code:    the C status (a :class:`Status`; None for InfeasibleError).
        message: the library's message (``str(exc)``), e.g.
                 ``vn.yaml:41:15: technologies.shaft.lifetime: expected an integer >= 1, got "twenty"``.
        file, line, column, field: parsed from the message when it names them, else None.
    """

    def __init__(self, code, message):
        super().__init__(message)
        try:
            self.code = Status(code) if code is not None else None
        except ValueError:
            self.code = code
        self.message = message
        self.file = self.line = self.column = self.field = None
        rest = message
        m = _LOCATION.match(message) or _LABEL.match(message)
        if m:
            self.file = m.group("file")
            if "line" in m.groupdict():
                self.line = int(m.group("line"))
                self.column = int(m.group("column"))
            rest = m.group("rest")
        else:
            f = _FILE.match(message)
            if f and (code in (lib.TR_E_IO, lib.TR_E_PARSE) or _LOOKS_LIKE_FILE.search(f.group("file"))):
                self.file = f.group("file")
                rest = message[f.end():]
        f = _FIELD.match(rest)
        if f and not (self.file is None and code == lib.TR_E_IO):
            self.field = f.group("field")

    def __str__(self):
        return self.message

    def __reduce__(self):
        return (type(self), (self.code if self.code is None else int(self.code), self.message))


class ScenarioError(TechroadError, ValueError):
    """Bad scenario content or argument: TR_E_INVAL, TR_E_NOTFOUND, TR_E_PARSE."""


class ScenarioIOError(TechroadError, OSError):
    """A file could not be read or written (TR_E_IO)."""


class SolverError(TechroadError, RuntimeError):
    """GLPK failed (TR_E_SOLVER) -- not an infeasible scenario, which is a status."""


class NumericError(TechroadError, ArithmeticError):
    """GSL reported a failure (TR_E_NUMERIC)."""


class StateError(TechroadError, RuntimeError):
    """The call is not valid in the object's current state (TR_E_STATE)."""


class InfeasibleError(TechroadError):
    """Raised by solve(raise_on_infeasible=True) when the roadmap is not optimal.

    ``result`` holds the Result (with its diagnosis).
    """

    def __init__(self, result):
        lines = list(result.diagnosis["message"])
        msg = f"scenario {result.scenario_name!r} is {result.status_name}"
        if lines:
            msg += ": " + "; ".join(lines[:3])
            if len(lines) > 3:
                msg += f" (and {len(lines) - 3} more in .result.diagnosis)"
        super().__init__(None, msg)
        self.result = result


class CancelledWarning(UserWarning):
    """An analysis stopped early (Ctrl-C, or the progress callable asked to):
    its tables use the runs done so far (``.cancelled`` is True)."""


_BY_CODE = {
    lib.TR_E_INVAL: ScenarioError,
    lib.TR_E_NOTFOUND: ScenarioError,
    lib.TR_E_PARSE: ScenarioError,
    lib.TR_E_IO: ScenarioIOError,
    lib.TR_E_SOLVER: SolverError,
    lib.TR_E_NUMERIC: NumericError,
    lib.TR_E_STATE: StateError,
}


def last_error():
    """This thread's last C error message."""
    return ffi.string(lib.tr_last_error()).decode("utf-8", "replace")


def error_for(rc, detail=None):
    """The exception for status @rc (detail defaults to tr_last_error())."""
    if detail is None:
        detail = last_error()
    if not detail:
        detail = ffi.string(lib.tr_strerror(rc)).decode("utf-8", "replace")
    if rc == lib.TR_E_NOMEM:
        return MemoryError(detail)
    return _BY_CODE.get(rc, TechroadError)(rc, detail)


def check(rc):
    """The only place C status codes become Python exceptions.

    CFFI runs the call and this follow-up tr_last_error() on the same OS
    thread, so the thread-local message belongs to this call.
    """
    if rc == lib.TR_OK:
        return
    raise error_for(rc)
