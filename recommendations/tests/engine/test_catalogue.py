"""The catalogue: every reference section covered, codes documented, sources honest."""

from __future__ import annotations

from recommendations.engine.catalogue import (
    CODES,
    RULES,
    get_code,
    get_rule,
    list_codes,
    list_rules,
    rule_counts_by_section,
)
from recommendations.engine.common import Evidence, Section
from recommendations.engine.rules.base import CodeKind
from recommendations.engine.sources import CONFLICTS


def test_rule_ids_unique_and_lookup() -> None:
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    assert get_rule("BTA-03").title.startswith("Zoledronic acid dose")
    assert get_code("RT-SINGLE-8GY")[1].id == "RT-01"


def test_every_reference_rule_id_is_implemented() -> None:
    expected = (
        {
            "SINS-07",
            "SINS-08",
            "MIR-02",
            "CRCL-01",
            "ASSESS-01",
            "ASSESS-02",
            "IMG-01",
            "IMG-02",
            "IMG-03",
            "FU-01",
            "MDT-01",
        }
        | {f"RT-0{i}" for i in range(1, 7)}
        | {f"MSCC-0{i}" for i in range(1, 5)}
        | {f"BTA-0{i}" for i in range(1, 10)}
        | {"BTA-10", "BTA-11"}
        | {f"RAD-0{i}" for i in range(1, 9)}
        | {"RAD-10", "RAD-11"}
        | {"PAIN-04", "PAIN-05"}
        | {f"HCM-0{i}" for i in range(1, 5)}
        | {f"SURG-0{i}" for i in range(1, 6)}
        | {"SYS-01", "SYS-02", "SYS-03", "PIT-01", "PIT-02", "PIT-03"}
        # Rules additions 2026-12-02, sections B, G, I, J.
        | {"MSCC-10", "MSCC-12", "MSCC-17", "OMD-01", "BTA-12", "BTA-13", "RT-07", "RT-08"}
    )
    assert {r.id for r in RULES} == expected


def test_rule_counts_by_section() -> None:
    assert rule_counts_by_section() == {
        "scores": 4,
        "assessment": 3,
        "mscc": 7,
        "surgery": 5,
        "radiotherapy": 8,
        "oligometastatic": 1,
        "pain": 2,
        "hypercalcaemia": 4,
        "bta": 13,
        "radioisotopes": 10,
        "systemic": 3,
        "pitfalls": 3,
        "follow_up": 3,
        "quorum": 1,
    }
    assert sum(rule_counts_by_section().values()) == len(RULES) == 67
    assert len(list_rules(Section.BTA)) == 13


def test_codes_are_documented() -> None:
    assert len(list_codes()) == len(CODES)
    for info, _rule in CODES.values():
        assert info.title and info.meaning, info.code
        if info.kind is CodeKind.FLAG:
            assert info.severity is not None, info.code
        else:
            assert info.severity is None, info.code
        if info.kind is CodeKind.ITEM:
            assert info.detail_keys, info.code


def test_unverified_sources_only_back_board_notes() -> None:
    """[U] statements are never hard rules: their codes are notes."""
    for rule in RULES:
        for info in rule.codes:
            srcs = info.sources or rule.sources
            if all(s.evidence is Evidence.UNVERIFIED for s in srcs):
                assert info.kind is CodeKind.NOTE, info.code


def test_secondary_sources_are_marked() -> None:
    flagged = {s.primary for r in RULES for s in r.sources if s.secondary}
    assert any("NG234" in p for p in flagged)
    assert any("PCWG3" in p for p in flagged)


def test_every_rule_has_a_source() -> None:
    assert all(r.sources for r in RULES)


def test_conflicts_reference_real_rules() -> None:
    assert [c.number for c in CONFLICTS] == [1, 2, 3, 4, 5, 6, 7]
    for c in CONFLICTS:
        for rid in c.rule_ids:
            get_rule(rid)
