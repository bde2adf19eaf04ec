#!/bin/sh
# Investment windows (MODEL.md §13) in the decomposition: a synthetic sector
# decomposed with and without windows (docs/BENCH.md, "Investment windows").
#
#   tests/bench/windows.sh [BUILD_DIR]          (default: build)
#   meson test -C build --benchmark windows
#
# Builds nothing: BUILD_DIR must hold tests/bench/gen_synthetic and
# tests/bench/decomp_bench. For each seed of TR_BENCH_SEEDS it draws the
# TR_BENCH_PLANTS-plant sector of gen_synthetic (docs/BENCH.md) and a copy
# with windows: every plant relines every 8 years, its last relining in
# 2012 + (7 x plant number mod 8), so that each year of the horizon opens a
# window for an eighth of the plants; shaft and tunnel preheating, the UHP
# upgrade, DC conversion and eccentric bottom tapping are `major: true`
# with max_uptake 1 (a plant rebuilds its furnace whole in its window, as
# in scenarios/vn-eaf). Both are solved decomposed with 1 thread
# (TR_BENCH_REPEAT times, the minimum kept; build included) and, for the
# first seed, also as one LP, to show that the decomposed answer is the
# whole LP's (NPV, shadow prices, indicators). Asserts nothing about speed.
#
# Environment: TR_BENCH_PLANTS (default 200), TR_BENCH_SEEDS (default
# "1 2 3"), TR_BENCH_REPEAT (default 3), TR_BENCH_MONOLITHIC (default 1;
# 0 skips the whole-LP comparison, about 20 s per sector at 200 plants).
set -eu
. "$(dirname "$0")/lib.sh"
build=${1:-build}
plants=${TR_BENCH_PLANTS:-200}
seeds=${TR_BENCH_SEEDS:-1 2 3}
repeat=${TR_BENCH_REPEAT:-3}
mono=${TR_BENCH_MONOLITHIC:-1}
bench_programs windows.sh "$build" decomp_bench
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM

# the copy with windows: plants (keys p1, p2, ... under plants:) get a
# relining cycle, the five furnace retrofits become major
with_windows() {
    awk '
        /^plants:/ { sec = "plants" }
        /^technologies:/ { sec = "techs" }
        /^policies:/ { sec = "" }
        { print }
        sec == "plants" && /^  p[0-9]+:$/ {
            n = substr($1, 2) + 0
            print "    reline_every: 8"
            print "    last_reline: " (2012 + (7 * n) % 8)
        }
        sec == "techs" && /^  [a-z_]+:$/ {
            t = $1; sub(":", "", t)
            major = (t == "scrap_preheat_shaft" || t == "scrap_preheat_tunnel" || t == "uhp_upgrade" ||
                     t == "dc_conversion" || t == "eccentric_bottom_tapping")
        }
        sec == "techs" && major && /^    name:/ { print "    major: true" }
    ' "$1" | awk '
        /^  [a-z_]+:$/ { t = $1 }
        /^    major: true/ { m[t] = 1 }
        { lines[NR] = $0; tech[NR] = t }
        END {
            for (i = 1; i <= NR; i++) {
                l = lines[i]
                if (m[tech[i]] && l ~ /^    max_uptake:/)
                    l = "    max_uptake: 1"
                print l
            }
        }' > "$2"
}

echo "## $plants plants x 12 technologies x 11 years, decomposed, 1 thread, minimum of $repeat ($(nproc) CPUs)"
first=1
for sd in $seeds; do
    "$gen" "$plants" "$sd" "$tmp/s.yaml" >/dev/null
    with_windows "$tmp/s.yaml" "$tmp/w.yaml"
    grep -q 'major: true' "$tmp/w.yaml" || { echo "windows.sh: no major technology written" >&2; exit 2; }
    a=$(decomposed_1t "$tmp/s.yaml" --repeat "$repeat")
    b=$(decomposed_1t "$tmp/w.yaml" --repeat "$repeat")
    printf 'seed %s: without windows %s s (%s), with windows %s s (%s), ratio %.2f\n' "$sd" "${a% *}" "${a#* }" \
        "${b% *}" "${b#* }" "$(echo "${b% *} / ${a% *}" | bc -l)"
    if [ "$first" = 1 ] && [ "$mono" = 1 ]; then
        echo "seed $sd with windows, against the whole LP:"
        "$bench" "$tmp/w.yaml" --threads 1 --repeat 1
    fi
    first=0
done
