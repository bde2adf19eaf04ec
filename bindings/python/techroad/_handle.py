"""The lifetime protocol shared by every class that owns one C handle, and
the lock that serialises its use.

A C handle (tr_scenario, tr_model, tr_result, tr_analysis, ...) is not
thread-safe: two threads calling ``sc.set()`` on one Scenario, or
``Model.solve()`` from four threads, crashed the interpreter (SIGSEGV,
SIGABRT). Every method and property of a handle class therefore runs under
the handle's own re-entrant lock: concurrent calls on one handle wait for
each other, as if made one after the other. Separate handles have separate
locks, and the C calls release the GIL (CFFI), so solves of separate
Scenarios or Models still run in parallel.
"""
import functools
import inspect
import threading

from ._ffi import ffi

# guards the lazy creation of a handle's lock (two threads must not each make one)
_MAKE_LOCK = threading.Lock()

# not serialised: construction (the object is not shared yet) and the lock's own plumbing
_UNLOCKED = frozenset({"__init__", "__new__", "__init_subclass__", "__class_getitem__", "__getattribute__",
                       "__getattr__", "__setattr__", "__delattr__", "__del__", "__enter__", "__exit__",
                       "_on_close"})


def _lock_of(obj):
    try:
        return obj._lock
    except AttributeError:
        with _MAKE_LOCK:
            try:
                return obj._lock
            except AttributeError:
                lock = threading.RLock()
                obj._lock = lock
                return lock


def _serialised(fn):
    """@fn, run with its first argument's handle lock held (every step of a
    generator too)."""
    if inspect.isgeneratorfunction(fn):
        @functools.wraps(fn)
        def gen(self, *args, **kwargs):
            lock = _lock_of(self)
            with lock:
                it = fn(self, *args, **kwargs)
            while True:
                with lock:
                    try:
                        value = next(it)
                    except StopIteration:
                        return
                yield value
        gen._tr_serialised = True
        return gen

    @functools.wraps(fn)
    def call(self, *args, **kwargs):
        with _lock_of(self):
            return fn(self, *args, **kwargs)
    call._tr_serialised = True
    return call


def _serialise_class(cls):
    """Wrap the methods and properties @cls defines itself."""
    for name, value in list(vars(cls).items()):
        if name in _UNLOCKED or getattr(value, "_tr_serialised", False):
            continue
        if isinstance(value, property):
            setattr(cls, name, property(_serialised(value.fget) if value.fget else None,
                                        _serialised(value.fset) if value.fset else None,
                                        _serialised(value.fdel) if value.fdel else None, value.__doc__))
        elif inspect.isfunction(value):
            setattr(cls, name, _serialised(value))


class _Handle:
    """Owns ``self._ptr`` (an ``ffi.gc`` pointer): ``close()`` releases it at
    once, ``with`` closes on exit, and ``_p`` refuses a closed handle. Every
    method and property of a subclass runs under the handle's lock."""

    __slots__ = ("_lock",)
    _what = "object"

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        _serialise_class(cls)

    @property
    def _p(self):
        if self._ptr is None:
            raise ValueError(f"the {self._what} is closed")
        return self._ptr

    @classmethod
    def _adopt(cls, ptr, free, **attrs):
        """A new instance that owns @ptr from now on (STYLE.md §9: freed by
        @free at collection), made without __init__, with @attrs set."""
        self = object.__new__(cls)
        self._lock = threading.RLock()
        self._ptr = ffi.gc(ptr, free)
        for name, value in attrs.items():
            setattr(self, name, value)
        return self

    def _on_close(self):
        """Drop what was derived from the handle: its ``_cache``, where it has one."""
        if hasattr(self, "_cache"):
            self._cache = {}

    def close(self):
        """Release the C object now instead of at garbage collection (after
        any call another thread is making on it)."""
        with _lock_of(self):
            if self._ptr is not None:
                ffi.release(self._ptr)
                self._ptr = None
                self._on_close()

    @property
    def closed(self):
        return self._ptr is None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
