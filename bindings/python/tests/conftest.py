"""Shared fixtures. Run through `meson test -C build --suite python`, which
sets PYTHONPATH to the build tree's package and TECHROAD_CLI to the CLI."""
import os
import pathlib
import shutil
import sys

import pytest

import techroad

ROOT = pathlib.Path(os.environ.get("TECHROAD_SOURCE_ROOT", pathlib.Path(__file__).resolve().parents[3]))
SCENARIOS = ROOT / "scenarios" / "vn-eaf"
VARIANTS = ["bau", "frozen", "voluntary-agreement", "carbon-price", "command-and-control",
            "green-industry", "social-optimum"]


def _cli():
    env = os.environ.get("TECHROAD_CLI")
    if env:
        return env
    guess = ROOT / "build" / "bindings" / "cli" / "techroad"
    return str(guess) if guess.exists() else shutil.which("techroad")


@pytest.fixture(autouse=True)
def _close_figures():
    """Every figure a test drew is closed after it (where matplotlib is in use)."""
    yield
    plt = sys.modules.get("matplotlib.pyplot")
    if plt is not None:
        plt.close("all")


@pytest.fixture(scope="session")
def root():
    return ROOT


@pytest.fixture(scope="session")
def scen_dir():
    return SCENARIOS


@pytest.fixture(scope="session")
def cli():
    path = _cli()
    if not path:
        pytest.skip("the techroad CLI is not built")
    return path


@pytest.fixture
def va():
    """A fresh voluntary-agreement scenario (tests may edit it)."""
    return techroad.load(SCENARIOS / "voluntary-agreement.yaml")


@pytest.fixture
def bau():
    return techroad.load(SCENARIOS / "bau.yaml")


@pytest.fixture(scope="session")
def va_result():
    return techroad.load(SCENARIOS / "voluntary-agreement.yaml").solve()


@pytest.fixture(scope="session")
def bau_result():
    return techroad.load(SCENARIOS / "bau.yaml").solve()


@pytest.fixture(scope="session")
def infeasible_result():
    sc = techroad.load(SCENARIOS / "bau.yaml")
    sc.add_policy("co2_cap", "intensity_cap", indicator="emissions.CO2", limit={2025: 0.33, 2030: 0.30})
    return sc.solve()


TINY = """\
format: techroad/1
name: tiny
horizon: {start: 2020, end: 2022}
discount_rate: 0.1
currency: USD
species: {CO2: {unit: t}}
carriers:
  electricity: {unit: MWh, energy_content: 3.6, price: 100, emission_factors: {CO2: 1.0}}
plants:
  p1: {capacity: 1000, production: 1000, intensity: {electricity: 1.0}}
technologies:
  eff:
    effects: {electricity: -0.2}
    capex: 30
    lifetime: 10
    max_uptake: 0.5
policies:
  co2: {type: cap, indicator: emissions.CO2, limit: {2021: 850}}
"""


@pytest.fixture
def tiny_text():
    return TINY
