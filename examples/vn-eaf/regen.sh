#!/usr/bin/env bash
# Regenerate the Viet Nam EAF roadmap tables and page (report.html) in this folder from the shipped
# scenarios. The test `report` (tests/check_report.c) rebuilds them and fails
# on any byte that differs, so a changed result shows up as a diff here. --audit adds "What these
# results rest on" (the baseline's ten most influential assumptions; about 500 solves), which
# the Check test cuts out and bindings/python/tests/test_audit.py compares whole; so are the
# baseline's model abatement cost curve (--macc-model, 11 solves) and its cost-emissions front with
# every variant placed on it (--pareto, 11 solves and a few seconds).
set -euo pipefail
cd "$(dirname "$0")/../.."
cli=${1:-build/bindings/cli/techroad}
v=scenarios/vn-eaf
"$cli" report $v/frozen.yaml $v/bau.yaml $v/voluntary-agreement.yaml $v/carbon-price.yaml \
    $v/command-and-control.yaml $v/green-industry.yaml $v/social-optimum.yaml \
    --baseline $v/bau.yaml --out examples/vn-eaf --audit --macc-model --pareto cost,emissions.CO2
"$cli" report $v/frozen.yaml $v/bau.yaml $v/voluntary-agreement.yaml $v/carbon-price.yaml \
    $v/command-and-control.yaml $v/green-industry.yaml $v/social-optimum.yaml \
    --baseline $v/bau.yaml --out examples/vn-eaf --format html --audit --macc-model --pareto cost,emissions.CO2
