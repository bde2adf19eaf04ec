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


# -- one handle from many threads (issue 17 item 1) ---------------------------
# Two threads calling set() on one Scenario, set() beside solve() or
# to_yaml(), or Model.solve() from four threads crashed the interpreter
# (SIGSEGV, SIGABRT). Each handle now has a lock: concurrent calls on one
# handle run one after the other and give the serial answers.

def _hammer(n_threads, rounds, job):
    errors = []
    start = threading.Barrier(n_threads)

    def run(i):
        try:
            start.wait()
            for k in range(rounds):
                job(i, k)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
    threads = [threading.Thread(target=run, args=(i,)) for i in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors


def test_one_scenario_hammered_by_eight_threads_gives_the_serial_answers(tiny_text):
    sc = techroad.loads(tiny_text)
    # the serial answers: the scenario with each thread's edit, solved
    ref = sc.copy()
    prices = [90 + 10 * i for i in range(8)]
    serial_npv = {}
    for p in prices:
        ref.set("carriers.electricity.price", p)
        serial_npv[p] = ref.solve().npv
    ref.set("carriers.electricity.price", 100)
    serial_yaml = ref.to_yaml()
    seen = []

    def job(i, k):
        # an edit, then text and (now and then) a solve of whatever state the
        # scenario is in: every answer must be one of the serial ones
        sc.set("carriers.electricity.price", prices[i])
        text = sc.to_yaml() if i % 2 else sc.get("name")
        assert text
        if k % 50 == 0:
            r = sc.solve()
            assert r.optimal
            seen.append(r.npv)
        if k % 20 == 0:
            sc.set("notes", f"thread {i} round {k}")
            assert sc.get("notes").startswith("thread ")
    _hammer(8, 200, job)     # crashed on main within a second (malloc abort, SIGSEGV)
    assert len(seen) == 32
    assert all(any(abs(v - s) <= 1e-9 * abs(s) for s in serial_npv.values()) for v in seen)
    sc.set("carriers.electricity.price", 100)
    sc.remove("notes")
    assert sc.to_yaml() == serial_yaml


def test_one_model_solved_from_four_threads(tiny_text):
    sc = techroad.loads(tiny_text)
    m = sc.model()
    expected = m.solve().to_json()
    out = []
    _hammer(4, 50, lambda i, k: out.append(m.solve().to_json()))
    assert out == [expected] * 200


def test_one_result_and_analysis_read_from_many_threads(tiny_text):
    sc = techroad.loads(tiny_text)
    r = sc.solve()
    ref = (r.to_json(), r.indicators.to_csv(), r.totals.to_csv())
    sw = sc.sweep("carriers.electricity.price", [80, 100, 120], threads=1, progress=False)
    sref = sw.to_string()
    got = []
    _hammer(8, 5, lambda i, k: got.append(((r.to_json(), r.indicators.to_csv(), r.totals.to_csv()),
                                           sw.to_string())))
    assert got == [(ref, sref)] * 40


def test_close_waits_for_a_call_on_another_thread():
    # close() on one thread while another solves the same Model: the solve
    # finishes with its answer, then the handle is released
    sc = techroad.load(SCENARIOS / "voluntary-agreement.yaml")
    m = sc.model()
    box = []
    th = threading.Thread(target=lambda: box.append(m.solve().npv))
    th.start()
    time.sleep(0.01)
    m.close()
    th.join()
    assert m.closed
    assert box and box[0] == sc.solve().npv


def test_separate_scenarios_still_solve_in_parallel():
    # the locks are per handle: two Scenarios solve at the same time
    # (the C solve releases the GIL), and both answers are right
    scs = [techroad.load(SCENARIOS / "voluntary-agreement.yaml") for _ in range(2)]
    expected = scs[0].solve().npv
    spans = [None, None]

    def run(i):
        t0 = time.perf_counter()
        npv = scs[i].solve().npv
        spans[i] = (t0, time.perf_counter(), npv)
    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    (a0, a1, na), (b0, b1, nb) = spans
    assert na == nb == expected
    assert a0 < b1 and b0 < a1, "the two solves did not overlap in time"
