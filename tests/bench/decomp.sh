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
# 12 minutes; docs/BENCH.md) and compared with the 200-plant time, on
# sectors drawn with each of TR_BENCH_SEEDS; peak
# memory of decomposed solves alone at 200, 500 and 1,000 plants, one
# process each. Asserts nothing about speed.
#
# Environment: TR_BENCH_SEED (default 1), TR_BENCH_SIZES (default
# "20 50 100 200"), TR_BENCH_BIG (default 1000; empty to skip),
# TR_BENCH_SEEDS (sectors drawn for the growth figure; default "1 2 3 4 5").
set -eu
. "$(dirname "$0")/lib.sh"
build=${1:-build}
seed=${TR_BENCH_SEED:-1}
sizes=${TR_BENCH_SIZES:-20 50 100 200}
big=${TR_BENCH_BIG-1000}
seeds=${TR_BENCH_SEEDS:-1 2 3 4 5}
bench_programs decomp.sh "$build" decomp_bench
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
    # one random sector says little about growth: the number of master
    # rounds depends on how tight the sector-wide rows are for that draw
    echo
    echo "## growth: decomposed only, 1 thread, seeds $seeds"
    sum200=0; sumbig=0; logsum=0; k=0; worst=0
    for sd in $seeds; do
        "$gen" 200 "$sd" "$tmp/g200.yaml" >/dev/null
        "$gen" "$big" "$sd" "$tmp/g$big.yaml" >/dev/null
        a=$(decomposed_1t "$tmp/g200.yaml"); a=${a% *}     # the seconds, not the status
        b=$(decomposed_1t "$tmp/g$big.yaml"); b=${b% *}
        r=$(echo "$b / $a" | bc -l)
        printf 'seed %s: 200 plants %s s, %s plants %s s, ratio %.2f\n' "$sd" "$a" "$big" "$b" "$r"
        sum200=$(echo "$sum200 + $a" | bc -l); sumbig=$(echo "$sumbig + $b" | bc -l)
        logsum=$(echo "$logsum + l($r)" | bc -l); k=$((k + 1))
        worst=$(echo "if ($r > $worst) $r else $worst" | bc -l)
    done
    printf 'all seeds: %s plants take %.2fx the 200-plant time (sums; geometric mean of the ratios %.2fx, worst %.2fx)\n' \
        "$big" "$(echo "$sumbig / $sum200" | bc -l)" "$(echo "e($logsum / $k)" | bc -l)" "$worst"
    [ -f "$tmp/s$big.yaml" ] || "$gen" "$big" "$seed" "$tmp/s$big.yaml" >/dev/null
    echo
    echo "## peak memory, decomposed, 1 thread, one process each"
    for n in 200 500 $big; do
        [ -f "$tmp/s$n.yaml" ] || "$gen" "$n" "$seed" "$tmp/s$n.yaml" >/dev/null
        rss=$("$bench" "$tmp/s$n.yaml" --no-monolithic --threads 1 --json | json_field peak_rss_kb)
        echo "$n plants: $((rss / 1024)) MB ($((rss / n)) kB per plant)"
    done
fi
