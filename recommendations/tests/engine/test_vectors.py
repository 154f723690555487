"""Runs every vector in ``vectors.py`` and checks exact expectations."""

from __future__ import annotations

from typing import Any

import pytest

from recommendations.engine import evaluate
from recommendations.engine.catalogue import CODES, RULES

from .helpers import vector_facts
from .vectors import VECTORS


@pytest.mark.parametrize("vec", VECTORS, ids=[v["id"] for v in VECTORS])
def test_vector(vec: dict[str, Any]) -> None:
    facts, as_of = vector_facts(vec)
    plan = evaluate(facts, as_of=as_of)
    codes = plan.codes()
    for code in vec.get("present", []):
        assert code in CODES, f"{code} is not in the catalogue"
        assert code in codes, f"{code} missing; got {sorted(codes)}"
    for code in vec.get("absent", []):
        assert code in CODES, f"{code} is not in the catalogue"
        assert code not in codes, f"{code} unexpectedly present"
    fields = {m.field for m in plan.missing_data}
    for f in vec.get("missing", []):
        assert f in fields, f"{f} not requested; got {sorted(fields)}"
    for f in vec.get("not_missing", []):
        assert f not in fields
    suppliers = {m.field: str(m.supplied_by) for m in plan.missing_data}
    for f, supplier in vec.get("missing_from", {}).items():
        assert suppliers.get(f) == supplier, f"{f}: {suppliers.get(f)!r} != {supplier!r}"
    sins = {s.lesion_id: [s.total_min, s.total_max] for s in plan.sins}
    for lid, rng in vec.get("sins", {}).items():
        assert sins[lid] == rng
    mirels = {m.lesion_id: [m.total_min, m.total_max] for m in plan.mirels}
    for lid, rng in vec.get("mirels", {}).items():
        assert mirels[lid] == rng
    if "crcl" in vec:
        got = plan.creatinine_clearance.value_ml_min if plan.creatinine_clearance else None
        assert got == vec["crcl"]
    if "dose_mg" in vec:
        assert plan.zoledronic_dose is not None
        assert plan.zoledronic_dose.dose_mg == vec["dose_mg"]
    if "band" in vec:
        assert plan.zoledronic_dose is not None
        assert plan.zoledronic_dose.band == vec["band"]
    if "renal_action" in vec:
        got_action = str(plan.renal_check.action) if plan.renal_check else None
        assert got_action == vec["renal_action"]
    if "urgency" in vec:
        assert str(plan.urgency) == vec["urgency"]
    firm = {str(q.specialty) for q in plan.required_specialties if not q.provisional}
    prov = {str(q.specialty) for q in plan.required_specialties if q.provisional}
    for s in vec.get("quorum", []):
        assert s in firm, f"{s} not required; firm={sorted(firm)} provisional={sorted(prov)}"
    for s in vec.get("not_quorum", []):
        assert s not in firm and s not in prov
    for s in vec.get("provisional", []):
        assert s in prov and s not in firm
    for code, alt_codes in vec.get("alternatives", {}).items():
        item = next(i for i in plan.items if i.code == code)
        alts = item.detail.get("alternatives")
        assert isinstance(alts, list), f"{code} has no alternatives"
        assert [a["code"] for a in alts if isinstance(a, dict)] == alt_codes
    for code, expected in vec.get("detail", {}).items():
        item = next(i for i in plan.items if i.code == code)
        for key, value in expected.items():
            assert item.detail[key] == value, f"{code}.{key}: {item.detail[key]!r} != {value!r}"


def test_every_rule_is_exercised_by_a_vector() -> None:
    """Each rule emits (or asks for) something in at least one vector."""
    seen: set[str] = set()
    for vec in VECTORS:
        facts, as_of = vector_facts(vec)
        plan = evaluate(facts, as_of=as_of)
        seen.update(CODES[c][1].id for c in vec.get("present", []))
        seen.update(CODES[c][1].id for alts in vec.get("alternatives", {}).values() for c in alts)
        fields = set(vec.get("missing", [])) | set(vec.get("missing_from", {}))
        for m in plan.missing_data:
            if m.field in fields:
                seen.update(m.rule_ids)
        if vec.get("quorum") or vec.get("provisional"):
            seen.add("MDT-01")
    assert {r.id for r in RULES} - seen == set()


def test_every_emitted_code_is_catalogued_and_matches_its_rule() -> None:
    for vec in VECTORS:
        facts, as_of = vector_facts(vec)
        plan = evaluate(facts, as_of=as_of)
        for obj in (*plan.items, *plan.flags, *plan.notes):
            info, rule = CODES[obj.code]
            assert rule.id == obj.rule_id
            assert obj.section is rule.section
        for item in plan.items:
            assert isinstance(item.detail.get("summary"), str) and item.detail["summary"]
            assert item.rationale
            declared = set(CODES[item.code][0].detail_keys) | {"summary"}
            assert set(item.detail) <= declared, (item.code, set(item.detail) - declared)
