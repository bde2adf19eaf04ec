"""Scenario.evidence() / Scenario.audit(): the evidence tables of issue 14 on
tests/data/prov/audit.yaml (counts derived by hand in tests/check_prov.c)."""
import math

import pytest

import techroad


def test_evidence_counts(root):
    sc = techroad.load(root / "tests" / "data" / "prov" / "variant.yaml")
    ev = sc.evidence()
    assert list(ev.columns) == ["file", "numbers", "sourced", "assumption", "free_text", "neither"]
    rows = {f.rsplit("/", 1)[-1]: r for f, r in zip(ev["file"], ev.itertuples(index=False))}
    assert tuple(rows["audit.yaml"])[1:] == (9, 3, 3, 0, 3)
    assert tuple(rows["variant.yaml"])[1:] == (2, 0, 2, 0, 0)
    assert tuple(rows["plants.csv"])[1:] == (6, 2, 1, 0, 3)
    assert tuple(rows["total"])[1:] == (17, 5, 6, 0, 6)
    assert ev["numbers"].dtype.kind == "i"


def test_audit_numbers(root):
    sc = techroad.load(root / "tests" / "data" / "prov" / "variant.yaml")
    res = sc.audit(ranking=False)
    assert res.ranking is None and res.outputs is None
    assert tuple(res.evidence.iloc[-1])[1:] == (17, 5, 6, 0, 6)
    nums = res.numbers
    assert len(nums) == 17
    capex = nums.set_index("path").loc["technologies.eff.capex"]
    assert capex["value"] == 25                    # the variant's value
    assert capex["file"].endswith("variant.yaml")
    assert capex["evidence"] == "assumption"
    assert capex["keys"] == "gem-2025" and capex["assumption"] == "scaled"
    assert (capex["range_low"], capex["range_high"]) == (0.75, 1.25)
    ef = nums.set_index("path").loc["carriers.electricity.emission_factors.CO2"]
    assert (ef["range_low"], ef["range_high"]) == (0.8, 1.3)
    assert ef["searched"] == "an official 2020 grid factor, MONRE site, 2026-12-03"
    assert capex["searched"] == ""
    limit = nums.set_index("path").loc["policies.va.limit"]
    assert limit["evidence"] == "neither" and math.isnan(limit["range_low"])


def test_unknown_key_is_bad_input(root):
    text = (f"format: techroad/1\nextends: {root}/tests/data/prov/audit.yaml\nname: bad\n"
            "source: evn2023\n")
    with pytest.raises(techroad.ScenarioError, match='unknown citation key "evn2023"'):
        techroad.loads(text)


RANK_COLUMNS = ["path", "value", "low", "high", "npv_low", "npv_high", "co2_low", "co2_high", "intensity_low",
                "intensity_high", "swing", "where", "range_low", "range_high", "range_from", "numbers", "assumption",
                "searched", "note"]


def test_ranking_frame(root):
    """tests/data/prov/rank.yaml, solved by hand in tests/check_prov.c (ranking_by_hand)."""
    sc = techroad.load(root / "tests" / "data" / "prov" / "rank.yaml")
    res = sc.audit(threads=1)
    rk = res.ranking
    assert list(rk.columns) == RANK_COLUMNS
    assert list(rk["path"]) == ["carriers.electricity.price", "technologies.eff.capex", "technologies.eff.lifetime"]
    price = rk.iloc[0]
    assert price["numbers"] == 2 and rk["numbers"].dtype.kind == "i"
    assert (price["low"], price["high"]) == pytest.approx((60, 150))
    assert (price["npv_low"], price["npv_high"]) == pytest.approx((188400, 426000))
    assert price["searched"] == "a 2020 tariff, the utility's site, 2026-12-03"
    assert rk.iloc[2]["swing"] == 0
    out = res.outputs.set_index("output")
    assert out.loc["npv", "base"] == pytest.approx(294000) and bool(out.loc["npv", "ranked"])
    assert out.loc["intensity", "base"] == pytest.approx(2.88)
    top = sc.audit(rank="intensity", top=2, threads=1).ranking
    assert len(top) == 2
    with pytest.raises(ValueError, match="rank must be npv, co2 or intensity"):
        sc.audit(rank="cost")


def test_cli_ranking(root, tmp_path):
    import os
    import subprocess
    cli = os.environ.get("TECHROAD_CLI", "techroad")
    f = root / "tests" / "data" / "prov" / "rank.yaml"
    out = subprocess.run([cli, "audit", str(f), "--format", "csv", "--top", "2", "--threads", "1"],
                         capture_output=True, text=True, check=True).stdout
    blocks = out.split("\n\n")
    assert blocks[1].splitlines()[0] == ",".join(RANK_COLUMNS)
    assert len(blocks[1].splitlines()) == 3
    assert blocks[1].splitlines()[1].startswith("carriers.electricity.price,100,60,150,188400,426000,2400,2400,2.88,")
    subprocess.run([cli, "audit", str(f), "--out", str(tmp_path / "a"), "--format", "json"], check=True,
                   capture_output=True)
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["evidence.json", "numbers.json", "outputs.json",
                                                                  "ranking.json"]
    bad = subprocess.run([cli, "audit", str(f), "--rank", "cost"], capture_output=True, text=True)
    assert bad.returncode == 2 and "--rank: expected npv, co2 or intensity, got \"cost\"" in bad.stderr


def test_vn_report_section(root, tmp_path):
    """examples/vn-eaf/report.md as regen.sh makes it, with --audit,
    --macc-model and --pareto: the Check test `report` compares it without
    those sections (500 solves are too many under valgrind); this compares
    it whole."""
    import os
    import subprocess
    cli = os.environ.get("TECHROAD_CLI", "techroad")
    v = "scenarios/vn-eaf"
    names = ["frozen", "bau", "voluntary-agreement", "carbon-price", "command-and-control", "green-industry",
             "social-optimum"]
    subprocess.run([cli, "report", *[f"{v}/{n}.yaml" for n in names], "--baseline", f"{v}/bau.yaml",
                    "--out", str(tmp_path), "--audit", "--macc-model", "--pareto", "cost,emissions.CO2"],
                   cwd=root, check=True, capture_output=True)
    made = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "\n## What these results rest on\n" in made
    assert "\n### The model under a tightening cap, 2030: `vn-eaf-bau`\n" in made
    assert "\n## Trade-off front: `vn-eaf-bau`, CO2 emissions, sum over the horizon against resource cost\n" in made
    assert made == (root / "examples" / "vn-eaf" / "report.md").read_text(encoding="utf-8")
