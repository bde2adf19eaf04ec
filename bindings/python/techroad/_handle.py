"""The lifetime protocol shared by every class that owns one C handle."""
from ._ffi import ffi


class _Handle:
    """Owns ``self._ptr`` (an ``ffi.gc`` pointer): ``close()`` releases it at
    once, ``with`` closes on exit, and ``_p`` refuses a closed handle."""

    __slots__ = ()
    _what = "object"

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
        self._ptr = ffi.gc(ptr, free)
        for name, value in attrs.items():
            setattr(self, name, value)
        return self

    def _on_close(self):
        """Drop what was derived from the handle: its ``_cache``, where it has one."""
        if hasattr(self, "_cache"):
            self._cache = {}

    def close(self):
        """Release the C object now instead of at garbage collection."""
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
