"""Every plot function on the shipped Viet Nam case, rendered to PNG and
checked for what a reader sees: no offset exponent on an axis, a unit in
brackets in every quantity's label, energy and emission axes from zero,
legends off the data, adoption colours a reader can tell apart, plant
names that do not run into each other, and the explanations the MACC
curves need."""
import re

import numpy as np
import pytest

import techroad
from techroad._units import scale_unit

mpl = pytest.importorskip("matplotlib")
mpl.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.colors import to_rgba  # noqa: E402

UNIT = re.compile(r"\[[^\]]+\]")


@pytest.fixture(scope="module")
def vn(scen_dir):
    rs = {v: techroad.load(scen_dir / f"{v}.yaml").solve()
          for v in ["bau", "voluntary-agreement", "carbon-price", "green-industry"]}
    unc = techroad.load(scen_dir / "uncertainty.yaml")
    va = techroad.load(scen_dir / "voluntary-agreement.yaml")
    return {
        "results": rs,
        "macc": va.macc(steps=5, progress=False),
        "tornado": unc.tornado(progress=False),
        "mc": unc.montecarlo(6, seed=3, progress=False),
        "front": va.pareto("npv", "emissions.CO2", points=3, progress=False),
        "mga": va.mga(alternatives=1, seed=1, progress=False),
    }


def _figures(vn):
    rs = vn["results"]
    va = rs["voluntary-agreement"]
    return {
        "energy": techroad.plot_energy(list(rs.values())),
        "emissions": techroad.plot_emissions(list(rs.values())),
        "electricity": techroad.plot_energy(va, carrier="electricity"),
        "adoption": techroad.plot_adoption(va),
        "costs": techroad.plot_costs(rs["green-industry"]),
        "costs_compared": techroad.plot_costs(list(rs.values())),
        "benchmark": techroad.plot_benchmark(va.benchmark()),
        "benchmark_result": techroad.plot_benchmark(va, "energy.electricity", target=0.45),
        "macc_measures": techroad.plot_macc(vn["macc"]),
        "macc_model": techroad.plot_macc(vn["macc"], kind="model"),
        "fan": techroad.plot_fan(vn["mc"], "emissions.CO2"),
        "tornado": techroad.plot_tornado(vn["tornado"]),
        "front": techroad.plot_front(vn["front"]),
        "mga": techroad.plot_mga(vn["mga"]),
    }


@pytest.fixture(scope="module")
def figures(vn, tmp_path_factory):
    out = tmp_path_factory.mktemp("figures")
    figs = _figures(vn)
    for name, ax in figs.items():
        ax.figure.savefig(out / f"{name}.png", dpi=72)       # draws: offsets and layout are final
    yield figs, out
    plt.close("all")


def test_every_figure_renders_to_a_png(figures):
    figs, out = figures
    for name in figs:
        png = (out / f"{name}.png").read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000, name
        img = plt.imread(out / f"{name}.png")
        assert img.std() > 0.05, f"{name} is blank"


def test_no_offset_exponent_on_any_axis(figures):
    figs, _ = figures
    for name, ax in figs.items():
        assert ax.yaxis.get_offset_text().get_text() == "", name
        assert ax.xaxis.get_offset_text().get_text() == "", name
        for t in ax.get_yticklabels() + ax.get_xticklabels():
            assert "e+" not in t.get_text() and "1e" not in t.get_text(), (name, t.get_text())


def test_quantity_axes_name_their_unit(figures):
    figs, _ = figures
    for name, ax in figs.items():
        # the category axes (scenarios, parameters, technologies) need no unit
        labels = [ax.get_xlabel()] if name in ("tornado", "mga") else \
            [ax.get_ylabel()] if name == "costs_compared" else [ax.get_xlabel(), ax.get_ylabel()]
        for label in labels:
            if label == "year":
                continue
            assert UNIT.search(label), (name, label)
            assert "." not in label.split("[")[0] or "e.g" in label, (name, label)   # words, not emissions.CO2


def test_readable_units_chosen_from_the_magnitude(figures, vn):
    figs, _ = figures
    va = vn["results"]["voluntary-agreement"]
    assert figs["emissions"].get_ylabel() == "CO₂ emissions [Mt]"
    assert figs["energy"].get_ylabel() == "Final energy, all carriers [PJ]"
    assert figs["electricity"].get_ylabel() == "Grid electricity use [TWh]"
    np.testing.assert_allclose(figs["electricity"].get_lines()[0].get_ydata(),
                               va.indicators["energy.electricity"] / 1e6)
    assert figs["costs"].get_ylabel() == "cost per year [M USD2020]"
    assert figs["tornado"].get_xlabel() == "NPV, private costs [bn USD2020]"
    assert figs["macc_measures"].get_xlabel() == "CO₂ avoided in 2030 [kt]"
    assert figs["macc_measures"].get_ylabel() == "cost per t CO₂ avoided [USD2020/t]"
    assert figs["fan"].get_ylabel() == "CO₂ emissions [Mt]"
    assert figs["front"].get_xlabel() == "NPV, private costs [bn USD2020]"
    assert figs["front"].get_ylabel() == "CO₂ emissions, sum over the horizon [Mt]"
    # the shared rule, at its edges
    assert scale_unit("t", 999.9) == (1.0, "t") and scale_unit("t", 1000) == (1e-3, "kt")
    assert scale_unit("USD2020", 3.2e9) == (1e-9, "bn USD2020")
    assert scale_unit("MWh", 4.5e5) == (1e-3, "GWh") and scale_unit("t/yr", 5e6) == (1e-6, "Mt/yr")
    assert scale_unit("jobs", 2e4) == (1e-3, "thousand jobs")


def test_energy_and_emission_axes_start_at_zero(figures):
    figs, _ = figures
    for name in ("energy", "emissions", "electricity", "fan", "benchmark", "benchmark_result"):
        assert figs[name].get_ylim()[0] == 0, name


def _display_boxes(ax):
    """Window extents of the data: bars and other patches, and every line's points."""
    boxes = [p.get_window_extent() for p in ax.patches if p.get_width() and p.get_height()]
    points = []
    for line in ax.get_lines():
        xy = np.column_stack([np.asarray(line.get_xdata(), float), np.asarray(line.get_ydata(), float)])
        if line.get_transform() == ax.transData:
            points.append(ax.transData.transform(xy[np.isfinite(xy).all(axis=1)]))
    return boxes, points


def test_legends_do_not_cover_the_data(figures):
    figs, _ = figures
    for name, ax in figs.items():
        leg = ax.get_legend()
        if leg is None:
            continue
        lb = leg.get_window_extent()
        boxes, points = _display_boxes(ax)
        for b in boxes:
            assert not lb.overlaps(b), f"{name}: the legend covers a bar"
        for pts in points:
            inside = (pts[:, 0] > lb.x0) & (pts[:, 0] < lb.x1) & (pts[:, 1] > lb.y0) & (pts[:, 1] < lb.y1)
            assert not inside.any(), f"{name}: the legend covers a line"


def test_adoption_colours_are_pairwise_distinct(figures, vn):
    ax = figures[0]["adoption"]
    lines = ax.get_lines()
    assert len(lines) >= 12                   # the Viet Nam case adopts most of its 15 technologies
    colours = [to_rgba(line.get_color()) for line in lines]
    assert len(set(colours)) == len(colours)
    # and far enough apart to tell: no two closer than 0.1 in RGB
    rgb = np.array([c[:3] for c in colours])
    d = np.sqrt(((rgb[:, None, :] - rgb[None, :, :]) ** 2).sum(-1)) + np.eye(len(rgb))
    assert d.min() > 0.1


def test_benchmark_labels_do_not_overlap(figures):
    for name in ("benchmark", "benchmark_result"):
        ax = figures[0][name]
        boxes = [t.get_window_extent() for t in ax.texts]
        assert len(boxes) == 14
        for i in range(len(boxes)):
            for j in range(i + 1, len(boxes)):
                assert not boxes[i].overlaps(boxes[j]), (name, ax.texts[i].get_text(), ax.texts[j].get_text())
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        assert any(t.startswith("average ") for t in legend)
        assert any(t.startswith(("best practice ", "target ")) for t in legend)


def test_macc_labels_and_explanations(figures, vn):
    figs, _ = figures
    model = figs["macc_model"]
    caps = [t.get_text() for t in model.texts if t.get_text().startswith("cap ")]
    steps = vn["macc"].model.dropna(subset=["step_cost"])
    assert len(caps) == len(steps)
    assert caps[0] == f"cap {steps['cap'].iloc[0] / 1e6:.4g} Mt"
    note = [t.get_text().replace("\n", " ") for t in model.texts]
    note = [t for t in note if "order of magnitude" in t]
    assert note and "ANALYSES.md" in note[0]
    measures = figs["macc_measures"]
    note = " ".join(t.get_text() for t in measures.texts if t.get_text().startswith("Not on the curve"))
    excluded = vn["macc"].measures
    excluded = excluded[excluded["note"].str.startswith("excluded")]["technology"]
    assert len(excluded) >= 1
    for tech in excluded:
        assert tech in note.replace("\n", " ")


def test_costs_show_subsidy_spending(figures, vn):
    ax = figures[0]["costs"]
    gi = vn["results"]["green-industry"]
    sub = [c for c in ax.containers if c.get_label() == "public subsidies (paid by the state)"]
    assert gi.indicators["subsidy"].sum() > 0 and len(sub) == 1
    np.testing.assert_allclose([b.get_height() for b in sub[0]], gi.indicators["subsidy"] / 1e6)


def test_tornado_end_labels_say_they_are_multipliers(figures, vn):
    ax = figures[0]["tornado"]
    t = vn["tornado"]
    ends = [x.get_text() for x in ax.texts]
    assert f"×{t['low'].iloc[0]:.3g}" in ends and f"×{t['high'].iloc[0]:.3g}" in ends
    assert "multiplied" in ax.get_legend().get_title().get_text()


def test_cli_tables_never_cut_a_cell(vn):
    """The measure table as the CLI prints it keeps the whole note (it was cut
    at 40 characters: "excluded: another member of its exclusiv")."""
    text = vn["macc"].to_string()
    note = "excluded: another member of its exclusive group is taken"
    lines = [line for line in text.splitlines() if note in line]
    assert len(lines) == int((vn["macc"].measures["note"] == note).sum()) >= 1
    header = [line for line in text.splitlines() if line.startswith("rank")][0]
    assert header.index("note") == lines[0].index(note)          # still aligned under its header


def _no_overlap(labels):
    boxes = [t.get_window_extent() for t in labels if t.get_visible() and t.get_text()]
    return not any(boxes[i].overlaps(boxes[j]) for i in range(len(boxes)) for j in range(i + 1, len(boxes)))


def test_tick_labels_do_not_run_into_each_other(figures, vn):
    figs, _ = figures
    for name, ax in figs.items():
        assert _no_overlap(ax.get_xticklabels()), name
        assert _no_overlap(ax.get_yticklabels()), name
    # the notebook's half-width subplots: eleven years ran together there
    fig, axes = plt.subplots(1, 2, figsize=(13, 4.5), layout="constrained")
    techroad.plot_costs(vn["results"]["voluntary-agreement"], ax=axes[0])
    techroad.plot_costs(vn["results"], ax=axes[1])
    fig.canvas.draw()
    assert [t.get_text() for t in axes[0].get_xticklabels()] == ["2020", "2022", "2024", "2026", "2028", "2030"]
    assert _no_overlap(axes[0].get_xticklabels()) and _no_overlap(axes[1].get_xticklabels())
