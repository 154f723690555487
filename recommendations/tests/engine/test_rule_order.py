"""What the rules rely on about each other: catalogue order, the kinds of codes read, and
values shared within one evaluation."""

from __future__ import annotations

from recommendations.engine.catalogue import CODES, RULES
from recommendations.engine.common import Section
from recommendations.engine.context import build_context
from recommendations.engine.facts import Bone, Lesion
from recommendations.engine.rules.base import CodeKind, Prior
from recommendations.engine.rules.radiotherapy import NOT_ADVISED_FLAGS, rt_statuses
from recommendations.engine.rules.surgery import SURGICAL_ITEM_CODES
from recommendations.engine.rules.systemic import LOCAL_TREATMENT_CODES
from recommendations.engine.scores import ComponentStatus, mirels_score, sins_score

from .helpers import vector_facts
from .vectors import VECTORS


def test_local_treatment_codes_are_item_codes() -> None:
    # SYS-01 reads them with prior.has(), which would also match a flag or note code.
    assert [CODES[c][0].kind for c in LOCAL_TREATMENT_CODES] == [CodeKind.ITEM] * len(
        LOCAL_TREATMENT_CODES
    )


def test_rt_status_inputs_are_final_before_radiotherapy() -> None:
    # rt_statuses() reads surgery and MSCC findings: every code it reads must come from a
    # rule that runs before the first radiotherapy rule, or RT-01..05 would disagree.
    first_rt = next(i for i, r in enumerate(RULES) if r.section is Section.RADIOTHERAPY)
    position = {r.id: i for i, r in enumerate(RULES)}
    late = [
        code
        for code in (*SURGICAL_ITEM_CODES, *NOT_ADVISED_FLAGS, "MSCC-DECOMPRESSION-THEN-RT")
        if position[CODES[code][1].id] >= first_rt
    ]
    assert late == []


def test_missing_score_components_always_span_a_range() -> None:
    # SINS-08 / MIR-02 treat an exact total as complete: that needs every missing
    # component to span a range (and "undefined" 50 % collapse is 2–3 too).
    spans = [
        (c.field, c.min_points < c.max_points)
        for comps in (
            sins_score(Lesion("s", Bone.VERTEBRA)).components,
            sins_score(Lesion("s", Bone.VERTEBRA, collapse_percent=0)).components,
            sins_score(Lesion("s", Bone.VERTEBRA, collapse_percent=50)).components,
            mirels_score(Lesion("f", Bone.FEMUR)).components,
            mirels_score(Lesion("h", Bone.HUMERUS)).components,
        )
        for c in comps
        if c.status is not ComponentStatus.KNOWN
    ]
    assert len(spans) == 25
    assert [f for f, ok in spans if not ok] == []


def test_per_evaluation_values_are_shared_within_one_evaluation_only() -> None:
    facts, as_of = vector_facts(next(v for v in VECTORS if v.get("facts", {}).get("lesions")))
    assert facts.lesions
    ctx = build_context(facts, as_of)
    prior = Prior()
    first = rt_statuses(ctx, prior)
    assert rt_statuses(ctx, prior) is first
    again = rt_statuses(ctx, Prior())
    assert again is not first
    assert again == first
