#!/usr/bin/env bash
# Regenerate the Binh Yen tables: the roadmap report of every variant against
# the status quo, and the jobs-versus-health (PM2.5) front of the base case
# with each policy variant placed against it. tests/check_report.c rebuilds
# them and fails on any byte that differs.
set -euo pipefail
cd "$(dirname "$0")/../.."
cli=${1:-build/bindings/cli/techroad}
out=${2:-examples/binh-yen}
b=scenarios/binh-yen
"$cli" report $b/status-quo.yaml $b/command-and-control.yaml $b/relocation.yaml $b/green-industry.yaml \
    $b/social-optimum.yaml --baseline $b/status-quo.yaml --out "$out" 2>/dev/null
"$cli" pareto $b/base.yaml --x emissions.PM25 --y jobs --points 11 --format csv --out "$out/front" \
    --place $b/status-quo.yaml --place $b/command-and-control.yaml --place $b/relocation.yaml \
    --place $b/green-industry.yaml --place $b/social-optimum.yaml > /dev/null 2>&1
