#!/usr/bin/python3
"""The library's structural rules (issue 15, docs/ARCHITECTURE.md), checked
on the source tree so that they cannot drift back:

  1. GLPK is behind one boundary: only lib/glpk_backend.c includes glpk.h.
  2. Functions read as one step each: no function in lib/*.c is longer than
     MAX_LINES lines (from its opening brace to its closing brace, both
     included; the house style puts both in column 0).

    check_structure.py LIBDIR [--max-lines N]

Prints one line per breach (file:line: what) and exits 1 if there is any.
"""
import argparse
import pathlib
import re
import sys

BACKEND = "glpk_backend.c"
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]glpk\.h[>"]')


def breaches(lib: pathlib.Path, max_lines: int):
    out = []
    files = sorted(lib.glob("*.c")) + sorted(lib.glob("*.h"))
    if not files:
        out.append(f"{lib}: no C files (expected the library's source folder)")
    for f in files:
        lines = f.read_text(encoding="utf-8").split("\n")
        for i, line in enumerate(lines, 1):
            if INCLUDE.match(line) and f.name != BACKEND:
                out.append(f"{f}:{i}: includes glpk.h (only {BACKEND} may: lib/lp.h is the boundary)")
        if f.suffix != ".c":
            continue
        start = None
        for i, line in enumerate(lines, 1):
            if line == "{":
                start = i
                name = lines[i - 2].strip() if i >= 2 else "?"
            elif line == "}" and start is not None:
                n = i - start + 1
                if n > max_lines:
                    out.append(f"{f}:{start}: function '{name}' is {n} lines (at most {max_lines})")
                start = None
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("lib", type=pathlib.Path)
    ap.add_argument("--max-lines", type=int, default=150)
    a = ap.parse_args()
    found = breaches(a.lib, a.max_lines)
    for line in found:
        print(line)
    if not found:
        print(f"structure: {a.lib}: glpk.h only in {BACKEND}; every function at most {a.max_lines} lines")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
