"""C objects are released with their Python owners: no growth when results
are made and dropped in a loop."""
import ctypes
import gc
import weakref

import pytest

import techroad


class _MallInfo2(ctypes.Structure):
    _fields_ = [(n, ctypes.c_size_t) for n in
                "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost".split()]


def _heap_bytes():
    """Bytes in use in the C heap (glibc mallinfo2): counts libtechroad's allocations exactly."""
    gc.collect()
    m = _libc.mallinfo2()
    return m.uordblks + m.hblkhd


try:
    _libc = ctypes.CDLL("libc.so.6")
    _libc.mallinfo2.restype = _MallInfo2
except (OSError, AttributeError):
    _libc = None


def _cycle(sc):
    s = sc.copy()
    s.set("carriers.electricity.price", {2025: 90, 2030: 110})
    r = s.solve()
    r.indicators, r.policies, r.totals, r.diagnosis, r.to_json(), r.equipped_by_plant()
    s.model().rows


@pytest.mark.skipif(_libc is None, reason="needs glibc's mallinfo2")
def test_no_heap_growth_when_results_are_dropped(va):
    for _ in range(10):                          # warm up caches and pools
        _cycle(va)
    before = _heap_bytes()
    n = 150
    for _ in range(n):
        _cycle(va)
    grown = _heap_bytes() - before
    # One leaked scenario or result is ~150 kB, so a leak would show as >20 MB.
    assert grown < 2_000_000, f"C heap grew by {grown} bytes over {n} solves"


@pytest.mark.skipif(_libc is None, reason="needs glibc's mallinfo2")
def test_the_heap_check_does_see_live_objects(va):
    before = _heap_bytes()
    keep = [va.solve() for _ in range(20)]
    assert _heap_bytes() - before > 20 * 50_000
    del keep
    assert _heap_bytes() - before < 500_000


def test_objects_are_collected(scen_dir):
    sc = techroad.load(scen_dir / "bau.yaml")
    res = sc.solve()
    refs = [weakref.ref(res), weakref.ref(sc), weakref.ref(sc.model())]
    del res, sc
    gc.collect()
    assert all(r() is None for r in refs)


def test_result_outlives_scenario(scen_dir):
    sc = techroad.load(scen_dir / "bau.yaml")
    res = sc.solve()
    m = sc.model()
    sc.close()
    del sc
    gc.collect()
    assert res.optimal and res.scenario.name == "vn-eaf-bau"     # the result owns a copy
    assert m.solve().npv == pytest.approx(res.npv)
    del m
    gc.collect()
    assert res.indicators.shape[0] == 11


def test_explicit_close_releases_now(va):
    res = va.solve()
    res.close()
    va.close()
    assert res.closed and va.closed
