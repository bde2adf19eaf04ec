"""Scenario: load/loads, reading, editing, copying, writing back."""
import copy
import math
import pickle

import numpy as np
import pandas as pd
import pytest

import techroad


def test_load_reads_the_effective_scenario(va, scen_dir):
    assert isinstance(va, techroad.Scenario)
    assert va.name == "vn-eaf-va"
    assert va.path.endswith("voluntary-agreement.yaml")
    assert (va.start_year, va.end_year) == (2020, 2030)
    assert va.years == list(range(2020, 2031))
    assert len(va.plants) == 14 and va.plants[:2] == ["pomina_3", "posco_yamato_vina"]
    assert va.plants[-2:] == ["small_eaf_30t", "small_eaf_old"]   # plants.csv, in its row order
    assert len(va.technologies) == 15 and "foamy_slag" in va.technologies
    assert va.carriers == ["electricity", "natural_gas", "oxygen", "electrodes"]
    assert va.species == ["CO2"]
    assert va.policies == ["va_electricity", "va_co2"]
    assert va.groups == ["scrap_preheating", "furnace_power"]
    assert va.ids("plants") == va.plants
    with pytest.raises(ValueError, match="kind must be one of"):
        va.ids("widgets")
    # load() accepts str and os.PathLike alike
    assert techroad.load(str(scen_dir / "bau.yaml")).sha256 == techroad.Scenario.load(scen_dir / "bau.yaml").sha256


def test_loads_resolves_extends_against_base_dir(scen_dir):
    text = "format: techroad/1\nextends: bau.yaml\nname: from-text\n"
    sc = techroad.loads(text, base_dir=scen_dir, label="mine.yaml")
    assert sc.name == "from-text"
    assert sc.path == "mine.yaml"
    assert len(sc.technologies) == 15
    sc2 = techroad.Scenario.loads(text, base_dir=str(scen_dir))
    assert sc2.path == "<string>"
    assert sc2.sha256 == sc.sha256


def test_loads_tiny(tiny_text):
    sc = techroad.loads(tiny_text)
    assert sc.name == "tiny" and sc.years == [2020, 2021, 2022]
    assert sc.policies == ["co2"]


def test_scenario_cannot_be_constructed_directly():
    with pytest.raises(TypeError, match="techroad.load"):
        techroad.Scenario()


def test_value_and_series_evaluate_like_the_model(va):
    # the file's price series, read back point by point from get()
    points = dict(line.split(": ") for line in va.get("carriers.electricity.price").splitlines())
    for year, price in points.items():
        assert va.value("carriers.electricity.price", int(year)) == float(price)
    va.set("carriers.electricity.price", {2022: 80, 2030: 84})
    # linear in between, flat before the first and after the last point
    assert va.value("carriers.electricity.price", 2026) == pytest.approx(82)
    assert va.value("carriers.electricity.price", 2040) == 84
    assert va.value("carriers.electricity.price") == 80                         # start year
    assert va.value("discount_rate", 2099) == float(va.get("discount_rate"))
    s = va.series("policies.va_co2.limit")
    assert isinstance(s, pd.Series) and list(s.index) == va.years and s.index.name == "year"
    assert s.loc[2025] == pytest.approx(0.42) and s.loc[2030] == pytest.approx(0.38)
    assert list(va.series("discount_rate", years=[2020, 2050])) == [0.06, 0.06]


def test_get_and_has(va):
    assert va.get("policies.va_co2.type") == "intensity_cap"
    assert va.get("discount_rate") == "0.06"
    text = va.get("policies.va_co2.limit")
    assert "2025: 0.42" in text and "2030: 0.38" in text
    assert va.has("policies.va_co2") and not va.has("policies.nope") and not va.has("nope.deeper")


def test_set_takes_python_values(va):
    va.set("carriers.electricity.price", {2025: 90, 2030: 110})
    assert va.value("carriers.electricity.price", 2025) == 90
    assert va.value("carriers.electricity.price", 2028) == pytest.approx(102)
    assert va.value("carriers.electricity.price", 2020) == 90        # flat before the first point
    va.set("policies.va_co2.limit", pd.Series([0.4, 0.36], index=[2025, 2030]))
    assert va.value("policies.va_co2.limit", 2030) == pytest.approx(0.36)
    va.set("discount_rate", np.float64(0.07))
    assert va.value("discount_rate") == pytest.approx(0.07)
    va.set("technologies.foamy_slag.lifetime", np.int64(12))
    assert va.get("technologies.foamy_slag.lifetime") == "12"
    va.set("technologies.foamy_slag.name", 'Foamy "slag": CO₂ & more')
    assert "CO₂" in va.get("technologies.foamy_slag.name")
    va.set("technologies.foamy_slag.applies_to", list(reversed(va.plants)))
    assert va.get("technologies.foamy_slag.applies_to").splitlines() == [f"- {p}" for p in reversed(va.plants)]
    # chaining: set() returns the scenario
    assert va.set("currency", "USD2020") is va


def test_set_yaml_and_remove(va):
    va.set_yaml("carriers.electricity.price", "{2025: 95}")
    assert va.value("carriers.electricity.price", 2030) == 95
    va.remove("policies.va_co2")
    assert va.policies == ["va_electricity"]
    assert va.remove("policies.va_electricity") is va
    assert va.policies == []


def test_add_and_remove_policy(bau):
    npv = bau.solve().npv
    sha = bau.sha256
    bau.add_policy("co2_price", "price", species="CO2", value={2025: 10, 2030: 40})
    assert bau.policies == ["co2_price"]
    assert bau.get("policies.co2_price.type") == "price"
    assert bau.sha256 != sha
    bau.remove_policy("co2_price")
    assert bau.policies == []
    assert bau.get("policies") == "{}"      # the map add_policy created stays, empty
    assert bau.solve().npv == npv
    with pytest.raises(techroad.ScenarioError, match="no such policy"):
        bau.remove_policy("co2_price")


def test_failed_edit_leaves_scenario_unchanged(va):
    sha, yaml = va.sha256, va.to_yaml()
    with pytest.raises(techroad.ScenarioError):
        va.set("technologies.foamy_slag.lifetime", 0)
    with pytest.raises(techroad.ScenarioError):
        va.remove("technologies.foamy_slag.nope")
    assert va.sha256 == sha and va.to_yaml() == yaml


def test_copy_is_independent(va):
    price = va.value("carriers.electricity.price", 2030)
    c = va.copy()
    assert c.sha256 == va.sha256 and c.name == va.name
    c.set("carriers.electricity.price", 120)
    assert c.sha256 != va.sha256
    assert va.value("carriers.electricity.price", 2030) == price
    assert copy.copy(va).sha256 == va.sha256
    assert copy.deepcopy(va).sha256 == va.sha256


def test_to_yaml_round_trips(va, tmp_path):
    text = va.to_yaml()
    assert "extends" not in text                    # the effective scenario
    assert "va_co2" in text and "foamy_slag" in text
    again = techroad.loads(text)
    assert again.sha256 == va.sha256
    out = tmp_path / "effective.yaml"
    assert va.to_yaml(out) == text
    assert techroad.load(out).sha256 == va.sha256
    assert va.solve().npv == again.solve().npv


def test_sha256_identifies_content(va, scen_dir):
    assert len(va.sha256) == 64 and int(va.sha256, 16) >= 0
    assert techroad.load(scen_dir / "voluntary-agreement.yaml").sha256 == va.sha256
    assert techroad.load(scen_dir / "bau.yaml").sha256 != va.sha256


def test_pickle_round_trip(va):
    va.set("carriers.electricity.price", 99)
    back = pickle.loads(pickle.dumps(va))
    assert back.sha256 == va.sha256 and back.path == va.path


def test_close_and_context_manager(scen_dir):
    with techroad.load(scen_dir / "bau.yaml") as sc:
        assert not sc.closed
    assert sc.closed
    sc.close()                                      # twice is fine
    with pytest.raises(ValueError, match="closed"):
        sc.name
    assert "closed" in repr(sc) and "closed" in sc._repr_html_()


def test_repr_and_html(va):
    r = repr(va)
    assert "vn-eaf-va" in r and "14 plants" in r and "15 technologies" in r and "2 policies" in r
    html = va._repr_html_()
    assert html.startswith("<table") and "va_co2 (intensity_cap)" in html and "2020–2030" in html
    summary = va.summary()
    assert summary.loc["name", "value"] == "vn-eaf-va"
    assert summary.loc["policies", "value"] == "va_electricity (intensity_cap), va_co2 (intensity_cap)"


def test_model_inspect_export_and_solve(va, tmp_path):
    m = va.model()
    assert isinstance(m, techroad.Model)
    assert m.rows > 0 and m.cols > 0 and m.nonzeros >= m.cols
    assert f"{m.rows} rows" in repr(m)
    for fmt, needle in [("cplex", "Minimize"), ("mps", "ROWS"), ("glpk", "p lp")]:
        path = tmp_path / f"va.{fmt}"
        m.write_lp(path, format=fmt)
        assert needle in path.read_text()
    with pytest.raises(ValueError, match="format must be one of"):
        m.write_lp(tmp_path / "x", format="xml")
    # The model keeps its own copy: editing the scenario does not change it.
    price = va.value("carriers.electricity.price", 2030)
    va.set("carriers.electricity.price", 500)
    r1 = m.solve()
    r2 = m.solve(method="primal")
    assert r1.optimal and r2.optimal
    assert r1.npv == pytest.approx(r2.npv, rel=1e-9)
    assert m.scenario.value("carriers.electricity.price", 2030) == price
    assert r1.npv == pytest.approx(techroad.load(va.path).solve().npv, rel=1e-12)
    with techroad.Model(va) as m2:
        assert m2.solve().npv > r1.npv                  # dearer electricity costs more
    assert m2.closed and "closed" in repr(m2)
    with pytest.raises(TypeError):
        techroad.Model("not a scenario")


# GLPK's interior point stops with GLP_EINSTAB (code 17) at a relative gap of
# 4e-8 on the 14-plant Viet Nam case (from 7 plants on; it solved the three
# archetypes); check_model's interior_point_agrees covers the method on a
# small sector. strict: the mark fails the day GLPK solves it.
INTERIOR_UNSTABLE = pytest.mark.xfail(strict=True, reason="GLPK interior point: GLP_EINSTAB on 14 plants")


@pytest.mark.parametrize("method", ["dual", "primal", pytest.param("interior", marks=INTERIOR_UNSTABLE),
                                    techroad.Method.PRIMAL])
def test_solve_methods_agree(va, va_result, method):
    res = va.solve(method=method)
    assert res.status == techroad.SolStatus.OPTIMAL
    assert res.npv == pytest.approx(va_result.npv, rel=1e-6)


def test_solve_options(va):
    res = va.solve(presolve=False, time_limit=60, verbosity=0, diagnose=False, verify=False,
                   tol_primal=1e-8, tol_dual=1e-8)
    assert res.optimal
    with pytest.raises(ValueError, match="method"):
        va.solve(method="barrier")


def test_verbose_solve_logs_through_logging(va, caplog):
    import logging
    with caplog.at_level(logging.DEBUG, logger="techroad"):
        va.solve(verbosity=3)
    assert any(rec.name == "techroad" for rec in caplog.records)


def test_result_keeps_its_own_scenario(va):
    price = va.value("carriers.electricity.price", 2030)
    res = va.solve()
    va.set("carriers.electricity.price", 1000)
    assert res.scenario.value("carriers.electricity.price", 2030) == price
    assert res.scenario_sha256 == res.scenario.sha256
    assert not math.isnan(res.npv)
