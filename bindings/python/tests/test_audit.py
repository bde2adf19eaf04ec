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
    nums = sc.audit()
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
