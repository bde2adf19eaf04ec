#!/usr/bin/env bash
# Set everything up and run the main job: the Viet Nam EAF roadmap of the
# voluntary agreement against business as usual. Prints the roadmap report
# (Markdown) and leaves its CSV tables in out/vn-eaf-va/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
[ -f build/build.ninja ] || meson setup build >/dev/null
ninja -C build >/dev/null
v=scenarios/vn-eaf
build/bindings/cli/techroad report $v/voluntary-agreement.yaml --baseline $v/bau.yaml --out out/vn-eaf-va
cat out/vn-eaf-va/report.md
