#!/usr/bin/env bash
# Set everything up and run every test: the Check suites and pytest in a
# normal build, the Check suites again under AddressSanitizer + UBSan, then
# the reliability checks (tests/RELIABILITY.md): fuzzing, OOM, valgrind, TSan.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
export PATH="/usr/bin:$PATH"   # Debian's python3, which sees the python3-* packages

echo "== build and test (debugoptimized)"
[ -f build/build.ninja ] || meson setup build >/dev/null
ninja -C build >/dev/null
meson test -C build --print-errorlogs --no-rebuild

echo "== build and test under AddressSanitizer + UndefinedBehaviorSanitizer"
[ -f build-asan/build.ninja ] || meson setup build-asan -Db_sanitize=address,undefined -Db_lundef=false \
    -Dbuildtype=debug >/dev/null
ninja -C build-asan >/dev/null
# the out-of-memory loops fail every 5th allocation here (TR_STRESS_OOM_STRIDE):
# the plant-level Viet Nam case has about 12,000 allocation points, which at
# ASan's speed alone would take the whole CI budget; the normal build above
# fails every one of them
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    TR_STRESS_OOM_STRIDE=5 meson test -C build-asan --print-errorlogs --no-rebuild --suite unit

echo "== reliability: fuzzing (60 s per target), allocation failures, valgrind, ThreadSanitizer"
bash scripts/reliability.sh all
