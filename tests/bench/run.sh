#!/bin/sh
# Speed benchmark of techroad on synthetic scenarios (docs/BENCH.md).
#
#   tests/bench/run.sh [BUILD_DIR]        (default: build)
#   meson test -C build --benchmark       (the same, registered as "synthetic")
#
# Builds nothing: BUILD_DIR must hold tests/bench/gen_synthetic and
# tests/bench/bench (ninja -C build). Generates scenarios of 20, 50, 200 and
# 1,000 plants x 12 technologies x 11 years into a temporary folder, runs
# bench on each and prints a Markdown table, the ratios the targets are about
# and the raw JSON lines. Nothing is asserted: the exit status only says
# whether every run completed.
#
# Environment:
#   TR_BENCH_SEED    seed of the generator (default 1)
#   TR_BENCH_REPEAT  repetitions of the 20- and 50-plant runs (default 5 and 3);
#                    each stage is reported as its minimum over the repetitions
#   TR_BENCH_LIMIT   time limit in seconds for each 200-plant solve (default 240);
#                    a solve stopped by it is reported with status "limit"
#   TR_BENCH_PRIMAL_200  set to 0 to skip the 200-plant primal solve (default 1)
set -eu
. "$(dirname "$0")/lib.sh"

build=${1:-build}
seed=${TR_BENCH_SEED:-1}
limit=${TR_BENCH_LIMIT:-240}
primal200=${TR_BENCH_PRIMAL_200:-1}
gen=$build/tests/bench/gen_synthetic
bench=$build/tests/bench/bench
for exe in "$gen" "$bench"; do
    if [ ! -x "$exe" ]; then
        echo "run.sh: $exe not found; build first (ninja -C $build)" >&2
        exit 2
    fi
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/techroad-bench.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
rows=$tmp/rows.md
json=$tmp/runs.jsonl
: >"$rows"
: >"$json"

# one run: PLANTS METHOD EXTRA-ARGS...; appends a table row and a JSON line
run() {
    plants=$1
    shift
    file=$tmp/synthetic-$plants.yaml
    [ -f "$file" ] || "$gen" "$plants" "$seed" "$file"
    echo "run.sh: $plants plants: bench $*" >&2
    "$bench" "$file" "$@" --md-append "$rows" >>"$json"
}

# field PLANTS METHOD NAME: a number or string of the JSON line of that run
# (METHOD dual, primal or - for a run without solve); empty when absent
field() {
    grep -F "\"plants\": $1," "$json" | grep -F "\"method\": \"$2\"" | head -n 1 | json_field "$3"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2f", a / b; else printf "n/a" }'; }
percent() { awk -v a="$1" 'BEGIN { if (a ~ /^[0-9.eE+-]+$/) printf "%.2f %%", 100 * a; else printf "n/a" }'; }

started=$(date +%s)
r20=${TR_BENCH_REPEAT:-5}
r50=${TR_BENCH_REPEAT:-3}
# load and build only, 5 times each (the build figures and ratios come from these)
for p in 20 50 200 1000; do
    run $p --no-solve --repeat 5
done
# full runs
run 20 --method dual --repeat "$r20"
run 20 --method primal --repeat "$r20"
run 50 --method dual --repeat "$r50"
run 50 --method primal --repeat "$r50"
run 200 --method dual --time-limit "$limit"
if [ "$primal200" != 0 ]; then
    run 200 --method primal --time-limit "$limit"
fi
finished=$(date +%s)

echo
echo "techroad $(git -C "$(dirname "$0")" describe --always --dirty 2>/dev/null || echo '?'), GLPK $(field 20 dual glpk)," \
     "seed $seed, $(nproc 2>/dev/null || echo '?') CPU(s), $(uname -m); GLPK time clocked by: $(field 20 dual glpk_clock)"
echo
"$bench" --md-header
cat "$rows"
echo

b20=$(field 20 - build_s)
b200=$(field 200 - build_s)
b1000=$(field 1000 - build_s)
echo "Ratios (from the JSON lines below; build figures from the load-and-build runs):"
echo "- build µs per nonzero: 20 plants $(field 20 - build_us_per_nnz), 50 plants $(field 50 - build_us_per_nnz)," \
     "200 plants $(field 200 - build_us_per_nnz), 1000 plants $(field 1000 - build_us_per_nnz)"
echo "- build time 200 / 20 plants: $(ratio "$b200" "$b20") (nonzeros: $(ratio "$(field 200 - nonzeros)" "$(field 20 - nonzeros)"), plants: 10)"
echo "- build time 1000 / 200 plants: $(ratio "$b1000" "$b200") (nonzeros: $(ratio "$(field 1000 - nonzeros)" "$(field 200 - nonzeros)"), plants: 5)"
echo "- share of the run outside GLPK at 20 plants, dual: $(percent "$(field 20 dual share_outside_glpk)")" \
     "(load + build + write + free only: $(percent "$(field 20 dual share_load_build_write)"))"
for p in 20 50 200; do
    [ -n "$(field $p primal glpk_s)" ] || continue
    echo "- GLPK time primal / dual at $p plants: $(ratio "$(field $p primal glpk_s)" "$(field $p dual glpk_s)")" \
         "(iterations $(field $p primal iterations) / $(field $p dual iterations);" \
         "status $(field $p primal status) / $(field $p dual status))"
done
echo "- wall / CPU time of each run, in table order (well above 1.00: another program shared the CPUs):" \
     "$(sed -n 's/.*"total_s": \([^,]*\),.*"cpu_total_s": \([^,]*\),.*/\1 \2/p' "$json" |
        awk '{ printf "%s%.2f", (NR > 1 ? ", " : ""), ($2 > 0 ? $1 / $2 : 0) }')"
echo "- wall time of this script: $((finished - started)) s"
echo
echo "Raw JSON lines:"
cat "$json"
