"""Progress of long analyses and decomposed solves: the C library's
tr_progress_fn and tr_solve_progress_fn as CFFI ``extern "Python"``
callbacks, driving a tqdm bar or a user callable, and turning Ctrl-C into a
clean cancellation.

The analysis runs in C with the GIL released (worker threads solve); the
library calls :func:`_tr_progress` on the calling thread as runs finish and
cancels when it returns non-zero. Python delivers a pending KeyboardInterrupt
when that thread next runs Python code -- the callback -- so an interrupt
shows up there as an exception: it is caught (in the body, or by the
``onerror`` handler when it is raised on entry) and becomes "cancel".
"""
import time
import warnings

from ._ffi import ffi, lib


class _Progress:
    """One analysis call's progress state; passed to C as an ffi.new_handle."""

    def __init__(self, progress, desc):
        if progress is not None and not isinstance(progress, bool) and not callable(progress):
            raise TypeError("progress must be True, False, None or a callable(done, total) -> bool, "
                            f"got {type(progress).__name__}")
        self.user = progress if callable(progress) and not isinstance(progress, bool) else None
        self.show = progress is True
        self.desc = desc
        self.bar = None
        self.interrupted = False     # Ctrl-C while the analysis ran
        self.user_cancelled = False  # the user callable returned a true value
        self.error = None            # another exception from the user callable (re-raised afterwards)
        self.calls = 0
        self.t0 = None
        self.handle = ffi.new_handle(self)   # kept alive by self for the C call

    def fill(self, opts):
        """Point a tr_analysis_opts at this state. The callback is always
        installed, so that Ctrl-C cancels even without a bar."""
        self.t0 = time.time()
        opts.progress = lib._tr_progress
        opts.userdata = self.handle

    def update(self, done, total):
        return self._step(done, (done, total), total, "run", None)

    def _step(self, n, args, total, unit, postfix):
        """One report: the bar to @n (of @total, None: unknown) with
        @postfix, then the user's callable on @args; 1 cancels."""
        self.calls += 1
        if self.error is not None or self.interrupted:
            return 1
        if self.show:
            if self.bar is None:
                self.bar = _new_bar(total, self.desc, self.t0, unit=unit)
            if self.bar is not None:
                self.bar.update(n - self.bar.n)
                if postfix is not None:
                    self.bar.set_postfix_str(postfix)
        if self.user is not None and self.user(*args):
            self.user_cancelled = True
            return 1
        return 0

    def failed(self, exc):
        if isinstance(exc, KeyboardInterrupt):
            self.interrupted = True
        elif self.error is None:
            self.error = exc

    def close(self):
        if self.bar is not None:
            try:
                if self.interrupted or self.user_cancelled:
                    self.bar.set_postfix_str("cancelled", refresh=False)
                self.bar.close()
            except Exception:   # pragma: no cover - a broken terminal must not hide the results
                pass
            self.bar = None


def _new_bar(total, desc, t0, unit="run"):
    try:
        with warnings.catch_warnings():
            # tqdm.auto: a widget bar in Jupyter; without ipywidgets it warns and
            # falls back to the text bar, which is fine here.
            warnings.simplefilter("ignore")
            from tqdm.auto import tqdm
    except ImportError:
        return None
    bar = tqdm(total=total, desc=desc, unit=unit, dynamic_ncols=True, mininterval=0.1)
    if t0 is not None and hasattr(bar, "start_t"):
        bar.start_t = t0          # the rate counts from the start of the call, not the first report
    return bar


class _SolveProgress(_Progress):
    """One solve's state: the rounds of a decomposed solve. @progress: None
    or False (no display; Ctrl-C still cancels), True (a tqdm line with the
    round and the proven gap), or a callable(round, gap) whose true return
    value cancels."""

    def __init__(self, progress):
        if progress is not None and not isinstance(progress, bool) and not callable(progress):
            raise TypeError("progress must be True, False, None or a callable(round, gap) -> bool, "
                            f"got {type(progress).__name__}")
        super().__init__(progress, "decomposition")

    def round(self, rnd, gap):
        postfix = "gap not yet bounded" if gap == float("inf") else f"gap {gap:.1e}"
        return self._step(rnd, (rnd, gap), None, "round", postfix)

    def fill(self, opts):
        self.t0 = time.time()
        opts.progress = lib._tr_solve_progress
        opts.userdata = self.handle


def _on_error(exc_type, exc, tb):
    # An exception escaped the callback (a KeyboardInterrupt raised on entry,
    # or one from the user's callable): record it on the state and cancel.
    while tb is not None:
        code = tb.tb_frame.f_code
        ud = (tb.tb_frame.f_locals.get("userdata")
              if code is _tr_progress.__code__ or code is _tr_solve_progress.__code__ else None)
        if ud is not None:
            try:
                ffi.from_handle(ud).failed(exc)
            except Exception:   # pragma: no cover - cannot happen with a live handle
                pass
            break
        tb = tb.tb_next
    return 1


@ffi.def_extern(onerror=_on_error)
def _tr_progress(done, total, userdata):
    return ffi.from_handle(userdata).update(done, total)


@ffi.def_extern(onerror=_on_error)
def _tr_solve_progress(rnd, gap, userdata):
    return ffi.from_handle(userdata).round(rnd, gap)
