#!/bin/sh
# The decomposed solve against the monolithic LP on synthetic sectors
# (docs/BENCH.md, "Sector scale"; README "Speed").
#
#   tests/bench/decomp.sh [BUILD_DIR]          (default: build)
#   meson test -C build --benchmark decomposition
#
# Builds nothing: BUILD_DIR must hold tests/bench/gen_synthetic and
# tests/bench/decomp_bench. For 20, 50, 100 and 200 plants x 12 technologies
# x 11 years (binding sector CO2-intensity cap and investment budget) it
# solves both ways in one process and prints times, ratios and differences;
# 1,000 plants are solved decomposed only (the monolithic LP takes about
# 12 minutes; docs/BENCH.md) and compared with the 200-plant time; peak
# memory of decomposed solves alone at 200, 500 and 1,000 plants, one
# process each. Asserts nothing about speed.
#
# Environment: TR_BENCH_SEED (default 1), TR_BENCH_SIZES (default
# "20 50 100 200"), TR_BENCH_BIG (default 1000; empty to skip).
set -eu
build=${1:-build}
seed=${TR_BENCH_SEED:-1}
sizes=${TR_BENCH_SIZES:-20 50 100 200}
big=${TR_BENCH_BIG-1000}
gen=$build/tests/bench/gen_synthetic
bench=$build/tests/bench/decomp_bench
for exe in "$gen" "$bench"; do
    [ -x "$exe" ] || { echo "decomp.sh: $exe is missing: run ninja -C $build" >&2; exit 2; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

echo "## decomposed vs monolithic, seed $seed ($(nproc) CPUs)"
for n in $sizes; do
    "$gen" "$n" "$seed" "$tmp/s$n.yaml" >/dev/null
    repeat=1
    [ "$n" -le 50 ] && repeat=3
    "$bench" "$tmp/s$n.yaml" --repeat $repeat --threads 1,2
done
if [ -n "$big" ]; then
    "$gen" "$big" "$seed" "$tmp/s$big.yaml" >/dev/null
    [ -f "$tmp/s200.yaml" ] || "$gen" 200 "$seed" "$tmp/s200.yaml" >/dev/null
    echo
    echo "## growth: decomposed only"
    t200=$("$bench" "$tmp/s200.yaml" --no-monolithic --threads 1 --json | sed 's/.*"decomposed_1t_s": \([0-9.]*\).*/\1/')
    tbig=$("$bench" "$tmp/s$big.yaml" --no-monolithic --threads 1 --json | sed 's/.*"decomposed_1t_s": \([0-9.]*\).*/\1/')
    echo "200 plants: $t200 s; $big plants: $tbig s; ratio $(echo "$tbig / $t200" | bc -l | cut -c1-5)"
    echo
    echo "## peak memory, decomposed, 1 thread, one process each"
    for n in 200 500 $big; do
        [ -f "$tmp/s$n.yaml" ] || "$gen" "$n" "$seed" "$tmp/s$n.yaml" >/dev/null
        rss=$("$bench" "$tmp/s$n.yaml" --no-monolithic --threads 1 --json | sed 's/.*"peak_rss_kb": \([0-9]*\).*/\1/')
        echo "$n plants: $((rss / 1024)) MB ($((rss / n)) kB per plant)"
    done
fi
