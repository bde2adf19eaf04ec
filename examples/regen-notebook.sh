#!/usr/bin/env bash
# Execute examples/vn_eaf_roadmap.ipynb top to bottom and commit it with its
# outputs (figures and tables visible on a code-hosting page). The outputs
# are deterministic for the same build: no timing metadata, execution counts
# from 1, Agg PNGs without dates. The python test test_notebook.py executes
# it again and fails when a text output differs: rerun this script then.
#   examples/regen-notebook.sh [BUILD]       (BUILD: the Meson build folder, default build)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(realpath "${1:-$root/build}")
export PYTHONPATH="$build/bindings/python"
exec /usr/bin/python3 "$root/examples/notebook.py" write "$root/examples/vn_eaf_roadmap.ipynb"
