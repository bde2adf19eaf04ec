"""Plots: each returns the Axes it drew on, with the data in it."""
import numpy as np
import pandas as pd
import pytest

import techroad

mpl = pytest.importorskip("matplotlib")
mpl.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


@pytest.fixture(scope="module")
def results(scen_dir):
    return {v: techroad.load(scen_dir / f"{v}.yaml").solve() for v in ["bau", "voluntary-agreement", "carbon-price"]}


def test_plot_paths_energy_emissions(results):
    rs = list(results.values())
    ax = techroad.plot_energy(rs)
    assert isinstance(ax, mpl.axes.Axes)
    assert [l.get_label() for l in ax.get_lines()] == ["vn-eaf-bau", "vn-eaf-va", "vn-eaf-carbon-price"]
    # about 1.2e7 GJ: drawn in PJ (GJ / 1e6), the unit named in the label
    np.testing.assert_allclose(ax.get_lines()[1].get_ydata(), rs[1].indicators["energy.total"] / 1e6)
    assert ax.get_ylabel() == "Final energy, all carriers [PJ]" and ax.get_title() == "Final energy, all carriers"
    assert ax.get_ylim()[0] == 0
    ax = techroad.plot_emissions({"BAU": rs[0], "VA": rs[1]}, species="CO2")
    assert [l.get_label() for l in ax.get_lines()] == ["BAU", "VA"]
    assert ax.get_ylabel() == "CO₂ emissions [Mt]"
    np.testing.assert_allclose(ax.get_lines()[0].get_ydata(), rs[0].indicators["emissions.CO2"] / 1e6)
    fig, axes = plt.subplots(1, 2)
    assert techroad.plot_energy(rs[0], carrier="electricity", ax=axes[0]) is axes[0]
    ax = techroad.plot_paths(rs, "intensity.emissions.CO2", ax=axes[1], title="t/t", linewidth=2)
    assert ax is axes[1] and ax.get_title() == "t/t"


def test_plot_adoption(results):
    va = results["voluntary-agreement"]
    ax = techroad.plot_adoption(va)
    labels = [l.get_label() for l in ax.get_lines()]
    assert labels and set(labels) <= set(va.adoption.columns)
    line = ax.get_lines()[labels.index("foamy_slag")]
    np.testing.assert_allclose(line.get_ydata(), 100 * va.adoption["foamy_slag"])
    ax = techroad.plot_adoption(va, technologies="dc_conversion", percent=False)
    assert [l.get_label() for l in ax.get_lines()] == ["dc_conversion"]
    with pytest.raises(ValueError, match="nope"):
        techroad.plot_adoption(va, technologies=["nope"])
    with pytest.raises(TypeError):
        techroad.plot_adoption([va])


def test_plot_costs(results):
    va = results["voluntary-agreement"]
    ax = techroad.plot_costs(va)
    labels = [c.get_label() for c in ax.containers]
    assert labels[:2] == ["energy", "capital charge"] and "damage" not in labels   # private objective
    heights = [b.get_height() for b in ax.containers[0]]
    np.testing.assert_allclose(heights, va.indicators["cost.energy"] / 1e6)      # M USD2020
    assert ax.get_ylabel() == "cost per year [M USD2020]"
    ax = techroad.plot_costs(list(results.values()))
    labels = [c.get_label() for c in ax.containers]
    assert "emission tax" in labels                      # the carbon price scenario pays it
    assert [t.get_text() for t in ax.get_xticklabels()] == ["vn-eaf-bau", "vn-eaf-va", "vn-eaf-\ncarbon-price"]
    assert ax.get_ylabel() == "cost over the horizon [bn USD2020]"


def test_plot_costs_shows_damage_under_social_objective(scen_dir):
    so = techroad.load(scen_dir / "social-optimum.yaml").solve()
    ax = techroad.plot_costs(so)
    assert "damage" in [c.get_label() for c in ax.containers]


def test_plot_benchmark_from_result(results):
    va = results["voluntary-agreement"]
    ax = techroad.plot_benchmark(va, "energy.electricity", 2025, target=0.47)
    bars = ax.containers[0]
    heights = [b.get_height() for b in bars]
    assert heights == sorted(heights)
    df = va.plant_intensity("energy.electricity", 2025)
    np.testing.assert_allclose(sorted(heights), sorted(df["intensity"]))
    widths = [b.get_width() for b in bars]
    assert sum(widths) == pytest.approx(100)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any(t.startswith("target 0.47") for t in legend)
    avg = [t for t in legend if t.startswith("average")][0]
    assert float(avg.split()[1]) == pytest.approx(va.indicators["intensity.energy.electricity"].loc[2025], rel=1e-3)
    assert ax.get_ylabel() == "Grid electricity use per unit of product [MWh/t]"


def test_plot_benchmark_from_a_dataframe():
    survey = pd.DataFrame({"plant": ["a", "b", "c", "d"], "intensity": [0.62, 0.45, 0.51, 0.0],
                           "production": [100, 300, 200, 0]})
    ax = techroad.plot_benchmark(survey, unit="MWh/t", title="survey")
    bars = ax.containers[0]
    assert [b.get_height() for b in bars] == [0.45, 0.51, 0.62]          # zero production left out
    assert [b.get_width() for b in bars] == pytest.approx([50, 100 / 3, 50 / 3])
    assert ax.get_title() == "survey"
    with pytest.raises(ValueError, match="intensity and production"):
        techroad.plot_benchmark(pd.DataFrame({"x": [1]}))


def test_plot_benchmark_from_a_benchmark(results):
    bm = results["voluntary-agreement"].benchmark()
    ax = techroad.plot_benchmark(bm, year=2020)
    curve = bm.curve(2020)
    np.testing.assert_allclose([b.get_height() for b in ax.containers[0]], curve["sec_final"])
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any(t.startswith("best practice 1.86") for t in legend)
    assert ax.get_ylabel() == "final energy per unit of product [GJ/t]"
    ax = techroad.plot_benchmark(bm, basis="primary")
    np.testing.assert_allclose(sorted(b.get_height() for b in ax.containers[0]), sorted(bm.curve()["sec_primary"]))
    with pytest.raises(ValueError, match="basis"):
        techroad.plot_benchmark(bm, basis="useful")
