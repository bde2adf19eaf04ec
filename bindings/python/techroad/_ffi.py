"""The compiled CFFI module, and small helpers shared by the wrappers."""
try:
    from ._techroad import ffi, lib
except ImportError as exc:  # pragma: no cover - depends on how it was built
    raise ImportError(
        "techroad's compiled module _techroad is missing: build it with Meson "
        "(`ninja -C build`, then PYTHONPATH=build/bindings/python) or install the "
        "package with `pip install .`") from exc


def to_bytes(text, what="argument"):
    """UTF-8 bytes for a C string argument (str or os.PathLike)."""
    if isinstance(text, bytes):
        return text
    if hasattr(text, "__fspath__"):
        text = text.__fspath__()
        if isinstance(text, bytes):
            return text
    if not isinstance(text, str):
        raise TypeError(f"{what} must be a str, got {type(text).__name__}")
    if "\0" in text:
        raise ValueError(f"{what} must not contain NUL characters")
    return text.encode("utf-8")


def to_str(cstr):
    """Python str from a borrowed C string (None for NULL)."""
    if cstr == ffi.NULL:
        return None
    return ffi.string(cstr).decode("utf-8", "replace")


def take_string(pp):
    """Python str from a library-owned char* in *pp, then free it."""
    p = pp[0]
    try:
        return to_str(p)
    finally:
        lib.tr_string_free(p)
