"""Exceptions, and check(): the only place C status codes become exceptions."""
import enum

from ._ffi import ffi, lib, to_str


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


class TechroadError(Exception):
    """A techroad call failed.

    Attributes:
        code:    the C status (a :class:`Status`; None for InfeasibleError).
        message: the library's message (``str(exc)``), e.g.
                 ``vn.yaml:41:15: technologies.shaft.lifetime: expected an integer >= 1, got "twenty"``.
        file, line, column, field: where the error is, as the library reports it
                 (tr_last_error_location()); each None when unknown. The message
                 is never parsed for them.
    """

    def __init__(self, code, message, file=None, line=None, column=None, field=None):
        super().__init__(message)
        try:
            self.code = Status(code) if code is not None else None
        except ValueError:
            self.code = code
        self.message = message
        self.file, self.line, self.column, self.field = file, line, column, field

    def __str__(self):
        return self.message

    def __reduce__(self):
        return (type(self), (self.code if self.code is None else int(self.code), self.message,
                             self.file, self.line, self.column, self.field))


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


class UnsolvedWarning(UserWarning):
    """The indicators of a result that is not optimal were read: they are
    empty (and the NPV NaN). The message names the diagnosis."""


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


def last_error_location():
    """Where this thread's last C error is: (file, line, column, field), each None when unknown."""
    loc = lib.tr_last_error_location()
    return (to_str(loc.file), loc.line or None, loc.column or None, to_str(loc.field))


def error_for(rc, detail=None):
    """The exception for status @rc: with the message and location of this
    thread's last C error, or with @detail as its message (and no location)."""
    location = (None,) * 4
    if detail is None:
        detail = last_error()
        location = last_error_location()
    if not detail:
        detail = ffi.string(lib.tr_strerror(rc)).decode("utf-8", "replace")
    if rc == lib.TR_E_NOMEM:
        return MemoryError(detail)
    return _BY_CODE.get(rc, TechroadError)(rc, detail, *location)


def check(rc):
    """The only place C status codes become Python exceptions.

    CFFI runs the call and this follow-up tr_last_error() on the same OS
    thread, so the thread-local message and location belong to this call.
    """
    if rc == lib.TR_OK:
        return
    raise error_for(rc)
