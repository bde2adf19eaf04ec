"""The solve runs without the GIL, so threads can solve scenarios in parallel."""
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import techroad
from conftest import SCENARIOS, VARIANTS


def test_threaded_solves_give_the_serial_results():
    serial = {v: techroad.load(SCENARIOS / f"{v}.yaml").solve().to_json() for v in VARIANTS}

    def job(i):
        v = VARIANTS[i % len(VARIANTS)]
        sc = techroad.load(SCENARIOS / f"{v}.yaml")
        if i % 3 == 0:
            sc = sc.copy()
        return v, sc.solve().to_json()
    with ThreadPoolExecutor(max_workers=6) as ex:
        out = list(ex.map(job, range(60)))
    assert all(text == serial[v] for v, text in out)


def _big_scenario(n_plants=25):
    """The VA scenario with n more plants: an LP that takes a few hundred ms."""
    lines = [f"  x{i}: {{capacity: {100000 + 100 * i}, production: {{2020: 70000, 2030: {90000 + 10 * i}}}, "
             f"intensity: {{electricity: {0.6 + 1e-4 * i}, natural_gas: 0.2, oxygen: 20, electrodes: 2.5}}, "
             f"process_emissions: {{CO2: 0.05}}}}" for i in range(n_plants)]
    text = "format: techroad/1\nextends: voluntary-agreement.yaml\nname: big\nplants:\n" + "\n".join(lines) + "\n"
    return techroad.loads(text, base_dir=SCENARIOS)


def test_solve_releases_the_gil():
    sc = _big_scenario()
    t0 = time.perf_counter()
    expected = sc.solve().npv
    solve_time = time.perf_counter() - t0
    assert solve_time > 0.05, "the LP is too small to tell"

    box = []
    th = threading.Thread(target=lambda: box.append(sc.copy().solve()))
    # While the other thread is inside the C solve, this one keeps running
    # Python: the longest pause it sees stays far below the solve time.
    last = time.perf_counter()
    longest = 0.0
    th.start()
    while th.is_alive():
        now = time.perf_counter()
        longest = max(longest, now - last)
        last = now
    th.join()
    assert box[0].npv == expected
    assert longest < 0.5 * solve_time, f"main thread stalled {longest:.3f}s during a {solve_time:.3f}s solve"


def test_separate_models_in_threads():
    scs = [techroad.load(SCENARIOS / f"{v}.yaml") for v in VARIANTS]
    models = [sc.model() for sc in scs]
    expected = [m.solve().npv for m in models]
    got = [None] * len(models)

    def run(i):
        got[i] = models[i].solve().npv
    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(models))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == expected


def test_models_cross_threads():
    # A Model built in a pool thread, collected in this one while the pool
    # thread lives (GLPK aborted the process here), and a Model built here
    # and solved in a pool thread: same answers as solving in place.
    sc = techroad.load(SCENARIOS / "voluntary-agreement.yaml")
    ref = sc.solve().to_json()
    with ThreadPoolExecutor(max_workers=1) as ex:
        m = ex.submit(sc.model).result()
        assert ex.submit(lambda: m.solve().to_json()).result() == ref
        del m                                     # freed here; its thread is alive
        import gc
        gc.collect()
        assert ex.submit(lambda: sc.model().solve().to_json()).result() == ref
        here = sc.model()
        assert ex.submit(lambda: here.solve().to_json()).result() == ref   # moves to the pool thread
    assert here.solve().to_json() == ref          # and back, after that thread ended
