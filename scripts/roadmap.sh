#!/usr/bin/env bash
# Set everything up and run the main job: the Viet Nam EAF roadmap
# (voluntary agreement), printed as a table.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
[ -f build/build.ninja ] || meson setup build >/dev/null
ninja -C build >/dev/null
exec build/bindings/cli/techroad run scenarios/vn-eaf/voluntary-agreement.yaml "$@"
