# shellcheck shell=sh
# What the benchmark scripts share; sourced (POSIX sh), not run:
#
#   . "$(dirname "$0")/lib.sh"

# bench_programs SCRIPT BUILD BENCH: $gen (gen_synthetic) and $bench (the
# benchmark program BENCH) of BUILD; exit 2 with "SCRIPT: PROGRAM is
# missing: run ninja -C BUILD" when one is not built.
bench_programs() {
    gen=$2/tests/bench/gen_synthetic
    bench=$2/tests/bench/$3
    for exe in "$gen" "$bench"; do
        [ -x "$exe" ] || { echo "$1: $exe is missing: run ninja -C $2" >&2; exit 2; }
    done
}

# json_field NAME: the value of NAME in the one-line JSON object of bench or
# decomp_bench on standard input (a string without its quotes); nothing
# when NAME is absent.
json_field() {
    sed -n "s/.*\"$1\": \([^,}]*\).*/\1/p" | tr -d '"'
}

# decomposed_1t FILE [DECOMP_BENCH OPTIONS]: "SECONDS STATUS" of FILE solved
# decomposed only, with 1 thread (decomp_bench --json; --repeat N keeps the
# minimum of N solves).
decomposed_1t() {
    line=$("$bench" "$@" --no-monolithic --threads 1 --json)
    echo "$(echo "$line" | json_field decomposed_1t_s) $(echo "$line" | json_field status)"
}
