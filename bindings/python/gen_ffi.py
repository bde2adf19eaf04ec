"""Generate the CFFI extension's C source (API mode, out of line).

Usage: gen_ffi.py CDEF_HEADER OUTPUT_C

Meson compiles and links the output with py.extension_module(); this script
only emits C (ffibuilder.emit_c_code), it never calls the compiler, so Meson
owns every compiler and linker flag (STYLE.md §8, cffi PR #241).
"""
import sys

import cffi


def main(argv):
    if len(argv) != 3:
        sys.exit("usage: gen_ffi.py CDEF_HEADER OUTPUT_C")
    cdef_path, out_path = argv[1], argv[2]
    with open(cdef_path, encoding="utf-8") as f:
        cdef = f.read()
    ffibuilder = cffi.FFI()
    ffibuilder.cdef(cdef)
    ffibuilder.set_source("techroad._techroad", "#include <techroad/techroad.h>\n")
    ffibuilder.emit_c_code(out_path)


if __name__ == "__main__":
    main(sys.argv)
