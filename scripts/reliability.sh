#!/usr/bin/env bash
# Reliability checks of tests/RELIABILITY.md, each in its own build under
# $TR_REL_DIR (default /tmp/techroad-reliability):
#
#   scripts/reliability.sh fuzz [SECONDS]  libFuzzer targets tests/fuzz/fuzz_load.c and
#                                          fuzz_set.c, SECONDS each (default 60), both at once
#   scripts/reliability.sh oom             the out-of-memory loops of tests/check_stress.c
#                                          (load-build-solve-write-report) under ASan+LSan+UBSan
#   scripts/reliability.sh valgrind        the Check suites under valgrind memcheck
#   scripts/reliability.sh tsan            tests/check_stress.c's thread tests under ThreadSanitizer
#   scripts/reliability.sh all [SECONDS]   all four
#
# Needs clang, libclang-rt-14-dev and valgrind (scripts/deps.sh installs
# them) besides the library's own dependencies. Exits non-zero when a check
# finds something; crash inputs are kept under $TR_REL_DIR/fuzz/crashes.
# shellcheck disable=SC2046,SC2086  # flag lists ($DEP_CFLAGS, pkg-config output) split on purpose
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=$(pwd)
OUT=${TR_REL_DIR:-/tmp/techroad-reliability}
CC_FUZZ=${CC_FUZZ:-clang}
JOBS=$(nproc 2>/dev/null || echo 2)
mkdir -p "$OUT"

say() { printf '== %s\n' "$*"; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

# ------------------------------------------------------------ common build bits

DEP_CFLAGS=$(pkg-config --cflags gsl yaml-0.1 jansson nettle)
DEP_LIBS="$(pkg-config --libs gsl yaml-0.1 jansson nettle) -lglpk -lcsv -lm -lpthread"
VERSION=$(sed -n "s/^ *version: *'\([0-9.]*\)'.*/\1/p" meson.build | head -1)

# generated headers: tr_version.h (include/meson.build) and tr_test_config.h (tests/meson.build)
gen_headers() {
    local gen="$OUT/gen"
    mkdir -p "$gen"
    IFS=. read -r ma mi pa <<<"$VERSION"
    sed -e "s/@TR_VERSION@/$VERSION/" -e "s/@TR_VERSION_MAJOR@/$ma/" -e "s/@TR_VERSION_MINOR@/$mi/" \
        -e "s/@TR_VERSION_PATCH@/$pa/" include/techroad/tr_version.h.in >"$gen/tr_version.h.new"
    cat >"$gen/tr_test_config.h.new" <<EOF
#define TR_SCENARIO_DIR "$SRC/scenarios"
#define TR_TEST_DATA "$SRC/tests/data"
#define TR_CLI "/bin/false"
#define TR_GEN_SYNTHETIC "/bin/false"
EOF
    for f in tr_version.h tr_test_config.h; do
        cmp -s "$gen/$f.new" "$gen/$f" 2>/dev/null && rm "$gen/$f.new" || mv "$gen/$f.new" "$gen/$f"
    done
}

# compile lib/*.c into $1/lib.a with flags $2, $JOBS at a time
build_lib() {
    local dir=$1 flags=$2 pids=() f
    rm -rf "$dir/obj" "$dir/lib.a"
    mkdir -p "$dir/obj"
    gen_headers
    for f in lib/*.c; do
        $CC_FUZZ $flags -std=c11 -D_XOPEN_SOURCE=700 -DTR_BUILDING -I"$SRC/include" -I"$OUT/gen" -I"$SRC/lib" \
            $DEP_CFLAGS -c "$SRC/$f" -o "$dir/obj/$(basename "$f" .c).o" &
        pids+=($!)
        if [ ${#pids[@]} -ge "$JOBS" ]; then
            wait "${pids[0]}" || return 1
            pids=("${pids[@]:1}")
        fi
    done
    for p in "${pids[@]}"; do wait "$p" || return 1; done
    ar rcs "$dir/lib.a" "$dir"/obj/*.o
}

# check_stress.c + check_main.c + fixtures.c linked with $1/lib.a
build_stress() {
    local dir=$1 flags=$2
    $CC_FUZZ $flags -std=c11 -D_XOPEN_SOURCE=700 -DTR_SUITE=stress_suite -I"$SRC/include" -I"$OUT/gen" \
        -I"$SRC/lib" -I"$SRC/tests" $DEP_CFLAGS $(pkg-config --cflags check) \
        tests/check_stress.c tests/check_main.c tests/fixtures.c "$dir/lib.a" \
        -o "$dir/check_stress" $(pkg-config --libs check) $DEP_LIBS -ldl
}

# ------------------------------------------------------------ fuzz

FUZZ_FLAGS="-g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all"

fuzz_build() {
    local dir="$OUT/fuzz"
    say "fuzz: building the targets with $CC_FUZZ (libFuzzer + ASan + UBSan)"
    local t0; t0=$(now)
    build_lib "$dir" "$FUZZ_FLAGS -fsanitize=fuzzer-no-link" || return 1
    for t in fuzz_load fuzz_set; do
        rm -f "$dir/$t"
        $CC_FUZZ $FUZZ_FLAGS -fsanitize=fuzzer -std=c11 -D_XOPEN_SOURCE=700 -DTR_SOURCE_DIR="\"$SRC\"" \
            -I"$SRC/include" -I"$OUT/gen" "tests/fuzz/$t.c" "$dir/lib.a" -o "$dir/$t" $DEP_LIBS || return 1
    done
    echo "   built in $(since "$t0") s"
}

# seed corpora: every scenario and test file (YAML, and CSV tables joined to a
# YAML that reads them, see fuzz_load.c), plus tests/fuzz/seeds/
fuzz_seeds() {
    local c="$OUT/fuzz/seeds"
    rm -rf "$c"
    mkdir -p "$c/fuzz_load" "$c/fuzz_set"
    local i=0
    while IFS= read -r f; do
        i=$((i + 1))
        cp "$f" "$c/fuzz_load/yaml-$i-$(basename "$f")"
    done < <(find scenarios tests/data -name '*.yaml' | sort)
    while IFS= read -r f; do
        i=$((i + 1))
        local base table
        case "$(basename "$f")" in tech*) table=technologies ;; *) table=plants ;; esac
        if [ "$(dirname "$f")" = tests/data/csv ]; then
            # the CSV scenario with this table read from fuzz.csv, the other from the fixed copy
            base=$(sed "s/$table\.csv/fuzz.csv/" tests/data/csv/scenario.yaml)
        else
            base=$(printf 'extends: base.yaml\nname: csv\n%s: {csv: fuzz.csv}' "$table")
        fi
        { printf '%s\n#--\n' "$base"; cat "$f"; } >"$c/fuzz_load/csv-$i-$(basename "$f" .csv)"
    done < <(find tests/data -name '*.csv' | sort)
    cp tests/fuzz/seeds/load/* "$c/fuzz_load/" 2>/dev/null || true
    cp tests/fuzz/seeds/set/* "$c/fuzz_set/" 2>/dev/null || true
}

fuzz_run() {
    local secs=${1:-60}
    fuzz_build || { echo "   fuzz: BUILD FAILED"; return 1; }
    fuzz_seeds
    local dir="$OUT/fuzz" rc=0
    rm -rf "$dir/crashes"   # this run's findings only; the corpus is kept between runs
    mkdir -p "$dir/crashes"
    say "fuzz: running fuzz_load and fuzz_set for $secs s each (in parallel)"
    for t in fuzz_load fuzz_set; do
        mkdir -p "$dir/corpus/$t"
        (
            cd "$dir"
            ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 LSAN_OPTIONS=suppressions="$SRC/tests/fuzz/lsan.supp" UBSAN_OPTIONS=print_stacktrace=1 \
                "./$t" -max_total_time="$secs" -timeout=30 -rss_limit_mb=2560 -max_len=65536 \
                -dict="$SRC/tests/fuzz/techroad.dict" -artifact_prefix="$dir/crashes/$t-" \
                -print_final_stats=1 "corpus/$t" "seeds/$t" >"$dir/$t.log" 2>&1
        ) &
    done
    wait || true
    for t in fuzz_load fuzz_set; do
        local runs cov secs_ corp
        runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/$t.log" | tail -1)
        secs_=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$dir/$t.log" | tail -1)
        cov=$(grep -o 'cov: [0-9]*' "$dir/$t.log" | tail -1 | cut -d' ' -f2)
        corp=$(ls "$dir/corpus/$t" | wc -l)
        echo "   $t: ${runs:-?} runs in ${secs_:-?} s, coverage ${cov:-?} edges, corpus $corp inputs"
        if [ -z "$runs" ]; then
            echo "   $t: DID NOT FINISH, see $dir/$t.log:"
            tail -5 "$dir/$t.log" | sed 's/^/     /'
            rc=1
        fi
        if grep -qE 'ERROR: (AddressSanitizer|LeakSanitizer|libFuzzer)|runtime error:|SUMMARY: ' "$dir/$t.log"; then
            echo "   $t: FOUND A PROBLEM, see $dir/$t.log:"
            grep -E 'ERROR:|runtime error:|SUMMARY:|techroad fuzz:|Test unit written' "$dir/$t.log" | head -20 | sed 's/^/     /'
            rc=1
        fi
    done
    local n; n=$(find "$dir/crashes" -type f | wc -l)
    echo "   crash/leak/timeout inputs kept: $n (in $dir/crashes)"
    [ "$n" -eq 0 ] || rc=1
    return $rc
}

# ------------------------------------------------------------ oom

oom_run() {
    local dir="$OUT/asan" t0
    say "oom: check_stress (OOM loops) under ASan + LeakSanitizer + UBSan"
    t0=$(now)
    local flags="-g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all"
    build_lib "$dir" "$flags" && build_stress "$dir" "$flags" || { echo "   oom: BUILD FAILED"; return 1; }
    echo "   built in $(since "$t0") s"
    t0=$(now)
    # known leaks (OPEN BUGs) are suppressed by tests/fuzz/lsan.supp; any other fails
    local rc=0 case
    for case in oom oom_json; do
        ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
            LSAN_OPTIONS=suppressions="$SRC/tests/fuzz/lsan.supp":print_suppressions=0 \
            UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 CK_FORK=no CK_RUN_CASE=$case CK_DEFAULT_TIMEOUT=600 \
            TR_STRESS_OOM_STRIDE=${TR_STRESS_OOM_STRIDE:-7} \
            CK_VERBOSITY=normal "$dir/check_stress" 2>&1 | sed 's/^/   /'
        [ "${PIPESTATUS[0]}" -eq 0 ] || rc=1
    done
    echo "   oom: exit $rc in $(since "$t0") s"
    return "$rc"
}

# ------------------------------------------------------------ valgrind

# only definite and indirect leaks count (GLPK and GSL keep still-reachable
# memory); known leaks (OPEN BUGs) are suppressed by tests/fuzz/valgrind.supp
VG="valgrind --error-exitcode=1 --leak-check=full --errors-for-leak-kinds=definite,indirect
    --show-leak-kinds=definite,indirect --track-origins=no --quiet --suppressions=$SRC/tests/fuzz/valgrind.supp"

# one Check suite under memcheck; its line (and on failure the details) in
# DIR/NAME.status. The stress suite with fewer OOM steps and rounds
# (valgrind is ~50x slower; the loops run under ASan in `oom`)
vg_suite() {
    local dir=$1 t=$2 name t0
    name=$(basename "$t")
    t0=$(now)
    if TR_STRESS_OOM_STRIDE=37 TR_STRESS_ROUNDS=1 TR_STRESS_TIME_SCALE=50 CK_FORK=no CK_DEFAULT_TIMEOUT=1200 CK_VERBOSITY=silent \
        $VG --log-file="$dir/$name.valgrind.log" "$t" >"$dir/$name.tap" 2>&1; then
        echo "   $name: $(grep -c '^ok' "$dir/$name.tap") tests, 0 errors, 0 leaks ($(since "$t0") s)" >"$dir/$name.status"
    else
        {
            echo "   $name: FAILED ($(since "$t0") s): $(grep -c '^not ok' "$dir/$name.tap") failed tests; valgrind:"
            grep -v '^$' "$dir/$name.valgrind.log" | head -30 | sed 's/^/     /'
            grep '^not ok' "$dir/$name.tap" | head -10 | sed 's/^/     /'
        } >"$dir/$name.status"
    fi
}

valgrind_run() {
    local dir="$OUT/build-valgrind" t0 rc=0
    say "valgrind: the Check suites under memcheck (CK_FORK=no)"
    t0=$(now)
    # a build directory configured for another checkout would test its code
    if [ -f "$dir/build.ninja" ] && [ "$(cat "$dir/.techroad-src" 2>/dev/null)" != "$SRC" ]; then
        rm -rf "$dir"
    fi
    if [ ! -f "$dir/build.ninja" ]; then
        meson setup "$dir" -Dbuildtype=debug >"$OUT/meson-setup.log" 2>&1 ||
            { tail -20 "$OUT/meson-setup.log"; echo "   valgrind: SETUP FAILED"; return 1; }
        echo "$SRC" >"$dir/.techroad-src"
    fi
    ninja -C "$dir" >/dev/null || { echo "   valgrind: BUILD FAILED"; return 1; }
    echo "   built in $(since "$t0") s"
    # the stress suite, when the build has it, with fewer OOM steps and rounds
    # (valgrind is ~50x slower; the full loops run under ASan in `oom`)
    # two suites at a time (CI has two cores; valgrind uses one each), the
    # lines printed in the suites' order when all are done
    # longest first (measured under memcheck on CI: stress 281 s, decomp 150-194,
    # myopic 120, analysis 76, model 62, the rest under 30), so that the two
    # slots end together instead of stress running alone at the end
    local t name running=0 first="check_stress check_decomp check_myopic check_analysis check_model" order=""
    for name in $first; do
        [ -x "$dir/tests/$name" ] && order="$order $dir/tests/$name"
    done
    for t in "$dir"/tests/check_*; do
        case " $first " in *" $(basename "$t") "*) ;; *) order="$order $t" ;; esac
    done
    for t in $order; do
        [ -f "$t" ] && [ -x "$t" ] || continue
        vg_suite "$dir" "$t" &
        running=$((running + 1))
        if [ "$running" -ge 2 ]; then
            wait -n || true
            running=$((running - 1))
        fi
    done
    wait || true
    for t in "$dir"/tests/check_*; do
        [ -f "$t" ] && [ -x "$t" ] || continue
        name=$(basename "$t")
        cat "$dir/$name.status"
        grep -q ': FAILED' "$dir/$name.status" && rc=1
    done
    if [ ! -x "$dir/tests/check_stress" ]; then
        # not registered in tests/meson.build yet: build it against the library here
        t0=$(now)
        gcc -g -O1 -std=c11 -D_XOPEN_SOURCE=700 -DTR_SUITE=stress_suite -I"$SRC/include" -I"$dir/include" \
            -I"$dir/tests" -I"$SRC/lib" -I"$SRC/tests" $DEP_CFLAGS $(pkg-config --cflags check) \
            tests/check_stress.c tests/check_main.c tests/fixtures.c -o "$dir/check_stress_rel" \
            -L"$dir/lib" -ltechroad -Wl,-rpath,"$dir/lib" $(pkg-config --libs check) $(pkg-config --libs jansson) \
            -lm -lpthread -ldl
        if TR_STRESS_OOM_STRIDE=37 TR_STRESS_ROUNDS=1 TR_STRESS_TIME_SCALE=50 CK_FORK=no CK_DEFAULT_TIMEOUT=1200 CK_VERBOSITY=silent \
            $VG --log-file="$dir/check_stress.valgrind.log" "$dir/check_stress_rel" >"$dir/check_stress.tap" 2>&1; then
            echo "   check_stress: $(grep -c '^ok' "$dir/check_stress.tap") tests, 0 errors, 0 leaks ($(since "$t0") s)"
        else
            echo "   check_stress: FAILED ($(since "$t0") s):"
            grep -v '^$' "$dir/check_stress.valgrind.log" | head -30 | sed 's/^/     /'
            grep '^not ok' "$dir/check_stress.tap" | head -10 | sed 's/^/     /'
            rc=1
        fi
    fi
    return $rc
}

# ------------------------------------------------------------ tsan

tsan_run() {
    local dir="$OUT/tsan" t0
    say "tsan: check_stress thread tests under ThreadSanitizer"
    t0=$(now)
    local flags="-g -O1 -fno-omit-frame-pointer -fsanitize=thread"
    build_lib "$dir" "$flags" && build_stress "$dir" "$flags" || { echo "   tsan: BUILD FAILED"; return 1; }
    echo "   built in $(since "$t0") s"
    t0=$(now)
    TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 CK_FORK=no CK_RUN_CASE=threads CK_DEFAULT_TIMEOUT=600 \
        CK_VERBOSITY=normal "$dir/check_stress" 2>&1 | sed 's/^/   /'
    local rc=${PIPESTATUS[0]}
    echo "   tsan: exit $rc in $(since "$t0") s"
    return "$rc"
}

# ------------------------------------------------------------ main

cmd=${1:-all}
rc=0
T0=$(now)
case "$cmd" in
fuzz) fuzz_run "${2:-60}" || rc=1 ;;
oom) oom_run || rc=1 ;;
valgrind) valgrind_run || rc=1 ;;
tsan) tsan_run || rc=1 ;;
all)
    fuzz_run "${2:-60}" || rc=1
    oom_run || rc=1
    valgrind_run || rc=1
    tsan_run || rc=1
    ;;
*)
    sed -n '2,16p' "$0"
    exit 2
    ;;
esac
say "reliability $cmd: $([ $rc -eq 0 ] && echo passed || echo FAILED) in $(since "$T0") s"
exit $rc
