"""docs/BENCH.md, "Myopic foresight": tr_scenario_solve (build, solve,
check, extract) of the Viet Nam voluntary agreement, perfect foresight
against foresight N (step 1), @reps runs each, interleaved; CPU time of the
process (the machine is shared: wall time is printed too). Run with
PYTHONPATH=build/bindings/python python3 tests/bench/myopic_bench.py [N] [reps]."""
import statistics
import sys
import time

import techroad
from techroad._ffi import ffi, lib

N = int(sys.argv[1]) if len(sys.argv) > 1 else 3
REPS = int(sys.argv[2]) if len(sys.argv) > 2 else 5
sc = techroad.load("scenarios/vn-eaf/voluntary-agreement.yaml")


def once(foresight, presolve=1):
    o = ffi.new("tr_solve_opts *")
    lib.tr_solve_opts_init(o)
    o.foresight = foresight
    o.presolve = presolve
    out = ffi.new("tr_result **")
    w, c = time.perf_counter(), time.process_time()
    assert lib.tr_scenario_solve(sc._p, o, out) == 0
    c, w = time.process_time() - c, time.perf_counter() - w
    assert lib.tr_result_status(out[0]) == 0
    lib.tr_result_free(out[0])
    return w * 1e3, c * 1e3


for presolve in (1, 0):
    runs = {0: [], N: []}
    for _ in range(REPS):
        for f in runs:
            runs[f].append(once(f, presolve))
    cpu = {f: statistics.median(c for _, c in v) for f, v in runs.items()}
    wall = {f: statistics.median(w for w, _ in v) for f, v in runs.items()}
    for f, v in runs.items():
        print(f"presolve {presolve} foresight {f or 'perfect'}: cpu ms " + " ".join(f"{c:.1f}" for _, c in v)
              + f" (median {cpu[f]:.1f}); wall ms " + " ".join(f"{w:.1f}" for w, _ in v)
              + f" (median {wall[f]:.1f})")
    print(f"presolve {presolve}: ratio cpu {cpu[N] / cpu[0]:.2f}x, wall {wall[N] / wall[0]:.2f}x")
