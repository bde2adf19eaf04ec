#!/usr/bin/env bash
# Benchmark of the analyses (docs/BENCH.md): Monte Carlo samples per second,
# warm-started (the built LP updated in place, simplex from the base basis)
# against rebuilding and solving every sample from scratch (--cold), with 1
# and 2 threads, on the Viet Nam uncertainty scenario and on the 200-plant
# synthetic scenario. Usage: tests/bench/analysis.sh [BUILD_DIR] [SAMPLES_VN] [SAMPLES_200]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$(cd "${1:-$root/build}" && pwd)
nvn=${2:-200}
n200=${3:-20}
cli=$build/bindings/cli/techroad
gen=$build/tests/bench/gen_synthetic
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

"$gen" 200 42 "$tmp/p200.yaml" >/dev/null
# the synthetic scenario gets an uncertainty section like the Viet Nam one
cat >> "$tmp/p200.yaml" <<'YAML'
uncertainty:
  seed: 7
  parameters:
    elec: {path: carriers.electricity.price, mode: scale, distribution: triangular, low: 0.85, mode_value: 1, high: 1.25}
    gas: {path: carriers.natural_gas.price, mode: scale, distribution: lognormal, median: 1, sigma: 0.25}
YAML

# the Viet Nam case with prices and measure costs uncertain only (costs
# change, the constraints do not: the case warm starts are made for)
sed -e '/grid_emission_factor:/,/source: "assumption around/d' \
    -e "s#extends: voluntary-agreement.yaml#extends: $root/scenarios/vn-eaf/voluntary-agreement.yaml#" \
    "$root/scenarios/vn-eaf/uncertainty.yaml" > "$tmp/vn-costs.yaml"

now() { date +%s.%N; }
once() {   # file samples threads mode -> seconds
    local t0 t1
    t0=$(now)
    "$cli" mc "$1" --samples "$2" --threads "$3" $4 --format csv > /dev/null 2>&1
    t1=$(now)
    echo "$t1 - $t0" | bc -l
}
# seconds per sample, without the one-off base solve: (t(N) - t(1)) / (N - 1)
run() {
    local a b
    a=$(once "$1" 1 "$3" "$4")
    b=$(once "$1" "$2" "$3" "$4")
    echo "($b - $a) / ($2 - 1)" | bc -l
}

printf '| scenario | samples | rebuild, 1 thread | warm, 1 thread | warm, 2 threads | warm vs rebuild | 2 vs 1 thread |\n'
printf '|---|---:|---:|---:|---:|---:|---:|\n'
for spec in "vn-eaf uncertainty|$root/scenarios/vn-eaf/uncertainty.yaml|$nvn" \
            "vn-eaf prices and costs only|$tmp/vn-costs.yaml|$nvn" "synthetic 200 plants|$tmp/p200.yaml|$n200"; do
    IFS='|' read -r label file n <<< "$spec"
    cold=$(run "$file" "$n" 1 --cold)
    w1=$(run "$file" "$n" 1 "")
    w2=$(run "$file" "$n" 2 "")
    printf '| %s | %d | %.2f/s | %.2f/s | %.2f/s | %.1fx | %.2fx |\n' "$label" "$n" \
        "$(echo "1 / $cold" | bc -l)" "$(echo "1 / $w1" | bc -l)" "$(echo "1 / $w2" | bc -l)" \
        "$(echo "$cold / $w1" | bc -l)" "$(echo "$w1 / $w2" | bc -l)"
done
