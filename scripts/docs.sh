#!/usr/bin/env bash
# Build the API reference (docs/api: the Python package by autodoc and
# numpydoc, the C headers' comments) into BUILD/docs with Sphinx; a
# warning is an error.
#   scripts/docs.sh [BUILD]      (BUILD: the Meson build folder, default build)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(realpath "${1:-$root/build}")
export TECHROAD_PYTHONPATH="$build/bindings/python"
exec /usr/bin/python3 -m sphinx -W --keep-going -q -b html -d "$build/docs/.doctrees" "$root/docs/api" "$build/docs"
