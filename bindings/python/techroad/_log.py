"""Route the library's log lines (GLPK output when verbosity > 0) to the
standard logging module, logger "techroad"."""
import logging

from ._ffi import ffi, lib

logger = logging.getLogger("techroad")

# The C levels follow tr_solve_opts.verbosity: 1 important .. 3 debug.
_LEVELS = {0: logging.WARNING, 1: logging.WARNING, 2: logging.INFO, 3: logging.DEBUG}


@ffi.def_extern()
def _tr_py_log(level, message, userdata):
    # Called from whichever thread is solving; CFFI takes the GIL for us.
    # An exception here cannot propagate into C: CFFI prints it and goes on.
    logger.log(_LEVELS.get(level, logging.DEBUG), "%s", ffi.string(message).decode("utf-8", "replace"))


def install():
    """Make the library log through Python (process-global, idempotent)."""
    lib.tr_set_log_fn(lib._tr_py_log, ffi.NULL)
