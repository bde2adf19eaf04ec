#!/usr/bin/env bash
# Every output a user can see, for every shipped scenario, into one folder:
#   tests/scripts/snapshot.sh CLI OUTDIR
# Run it before and after a change that must not alter results (a refactor)
# and compare with `diff -r`. Timings and paths are not in the outputs, so
# two runs of the same code give the same bytes.
set -uo pipefail
cd "$(dirname "$0")/../.."
cli=$(realpath "${1:-build/bindings/cli/techroad}")
out=${2:-/tmp/techroad-snapshot}
rm -rf "$out"; mkdir -p "$out"
n=0
go() {   # go NAME ARGS...: stdout, stderr and the exit code of one command
    local name=$1; shift
    "$cli" "$@" >"$out/$name.out" 2>"$out/$name.err.raw"; echo $? >"$out/$name.rc"
    grep -v 'runs/s\|runs, starting' "$out/$name.err.raw" >"$out/$name.err"; rm -f "$out/$name.err.raw"   # progress has rates
    n=$((n + 1))
}
for f in scenarios/*/*.yaml tests/data/*.yaml; do
    k=$(echo "$f" | tr '/' '_')
    for fmt in table json csv iamc; do go "run-$fmt-$k" run "$f" --format $fmt; done
    go "validate-$k" validate "$f"
    go "lp-$k" export-lp "$f" --format cplex
    go "bench-$k" benchmark "$f" --format csv
done
for f in scenarios/vn-eaf/voluntary-agreement.yaml scenarios/binh-yen/green-industry.yaml scenarios/hoi-an/action-plan.yaml; do
    k=$(echo "$f" | tr '/' '_')
    go "run-decomp-$k" run "$f" --format json --method decomposed
    go "macc-$k" macc "$f" --format csv
    go "sweep-$k" sweep "$f" --param discount_rate=0.03:0.09:4 --format csv
done
for f in scenarios/*/uncertainty.yaml scenarios/binh-yen/green-industry.yaml; do
    k=$(echo "$f" | tr '/' '_')
    go "tornado-$k" sensitivity "$f" --format csv
    go "morris-$k" sensitivity "$f" --method morris --trajectories 4 --format csv
done
go mc-vn mc scenarios/vn-eaf/uncertainty.yaml --samples 40 --seed 3 --format csv
go mc-vn-cold mc scenarios/vn-eaf/uncertainty.yaml --samples 20 --seed 3 --cold --format csv
go pareto-by pareto scenarios/binh-yen/base.yaml --x emissions.PM25 --y jobs --points 5 --format csv \
    --place scenarios/binh-yen/status-quo.yaml --place scenarios/binh-yen/relocation.yaml
for c in vn-eaf binh-yen hoi-an; do
    base=$(ls scenarios/$c/{bau,status-quo}.yaml 2>/dev/null | head -1)
    "$cli" report scenarios/$c/*.yaml --baseline "$base" --out "$out/report-$c" >/dev/null 2>/dev/null
    echo $? >"$out/report-$c.rc"; n=$((n + 1))
done
echo "snapshot: $n commands into $out" >&2
