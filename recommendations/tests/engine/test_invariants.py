"""Invariants of one coherent plan (issue #12), over every vector and generated cases.

The checks restate each invariant from the plan and the facts alone (which agent is
drafted, running or contraindicated), not from ``reconcile``'s tables, so a change to
the reconciliation that breaks an invariant fails here.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from recommendations.engine import evaluate
from recommendations.engine import facts as F
from recommendations.engine.context import build_context
from recommendations.engine.plan import DraftPlan

from .helpers import vector_facts
from .test_properties import AS_OF, case_facts
from .vectors import VECTORS

RT_PRESCRIPTIONS = {
    "RT-SINGLE-8GY",
    "RT-NEUROPATHIC-20GY-5",
    "RT-MULTIFRACTION-COMPLICATED",
    "RT-POSTOP-MULTIFRACTION",
    "RT-MSCC",
    "RT-REIRRADIATION",
    "RT-SBRT-CONSIDER",
}
ZOL_WITHHELD = {"BTA-ZOLEDRONIC-WITHHOLD", "BTA-ZOLEDRONIC-KEEP-WITHHOLDING"}
ZOL_GIVEN = {"BTA-ZOLEDRONIC-DOSE", "BTA-ZOLEDRONIC-INFUSION", "BTA-ZOLEDRONIC-RESUME"}
MONITORS = {
    "BTA-ZOLEDRONIC-CREATININE-CHECK": "zoledronic_acid",
    "BTA-DENOSUMAB-CALCIUM-CHECKS": "denosumab",
    "RA223-FBC-BEFORE-EACH-DOSE": "radium_223",
    "SR89-FBC-EVERY-2-WEEKS": "strontium_89",
    "SM153-FBC-WEEKLY-TO-WEEK-8": "samarium_153",
}
WARNS_ABOUT = {
    "BTA-DENOSUMAB-NO-ABRUPT-STOP": "denosumab",
    "BTA-DENOSUMAB-HYPOCALCAEMIA-RISK": "denosumab",
    "BTA-HYPOCALCAEMIA-CORRECT-FIRST": "denosumab",
    "BTA-ZOLEDRONIC-DOSE-MISMATCH": "zoledronic_acid",
    "PIT-RENAL-RISK-ZOLEDRONIC": "zoledronic_acid",
    "BTA-ZOLEDRONIC-NEPHROTOXIC-COMEDICATION": "zoledronic_acid",
    "BTA-ZOLEDRONIC-OTHER-BISPHOSPHONATE": "zoledronic_acid",
}
#: Warnings about stopping denosumab: only for a patient on it (BTA-06, BTA-12).
ON_DENOSUMAB_ONLY = {"BTA-DENOSUMAB-NO-ABRUPT-STOP", "BTA-DENOSUMAB-STOP-VERTEBRAL-FRACTURES"}
DAY_COUNT = re.compile(r"(-?\d+) days? from (\d{4}-\d\d-\d\d) to (\d{4}-\d\d-\d\d)")
#: A count of days about this case that does not name its two dates.
BARE_DAY_COUNT = re.compile(r"\(\d+ days?\)|\d+ days? (old|after|since)")


def in_play(facts: F.CaseFacts, as_of: date, plan: DraftPlan) -> set[str]:
    ctx = build_context(facts, as_of)
    codes = {i.code for i in plan.items}
    contra = {f.code for f in plan.flags if str(f.severity) == "contraindication"}
    agents: set[str] = set()
    if ctx.zol_active or codes & ZOL_GIVEN:
        agents.add("zoledronic_acid")
    if ctx.dmab_active or "BTA-DENOSUMAB-120MG" in codes:
        agents.add("denosumab")
    if "RA223-55KBQ-Q4W-X6" in codes and not any(c.startswith("RA223-") for c in contra):
        agents.add("radium_223")
    for c in facts.radioisotope_courses:
        dose = c.last_dose or c.first_dose
        given = dose is not None and dose <= as_of
        other = c.agent is not F.Radioisotope.RADIUM_223
        if other and (given or "SRSM-EXCL-NO-UPTAKE" not in contra):
            agents.add(str(c.agent))
    return agents


def texts(plan: DraftPlan) -> list[str]:
    out = [i.rationale for i in plan.items] + [str(i.detail.get("summary")) for i in plan.items]
    out += [f.message for f in plan.flags] + [m.why for m in plan.missing_data]
    return out


def check(facts: F.CaseFacts, as_of: date) -> None:
    plan = evaluate(facts, as_of=as_of)
    codes = plan.codes()
    # 1. No agent both continued (or dosed) and withheld.
    if codes & ZOL_WITHHELD:
        assert not codes & ZOL_GIVEN, sorted(codes)
        assert not any(
            i.code == "BTA-CONTINUE" and i.detail.get("agent") == "zoledronic_acid"
            for i in plan.items
        )
    # 2. At most one RT prescription per lesion; the others are its alternatives.
    per_lesion: dict[str | None, int] = {}
    for i in plan.items:
        if i.code in RT_PRESCRIPTIONS:
            per_lesion[i.lesion_id] = per_lesion.get(i.lesion_id, 0) + 1
    assert all(n == 1 for n in per_lesion.values()), per_lesion
    # 2a. One bone-seeking radionuclide drafted; the other is its alternative (RAD-08).
    assert not {"RA223-55KBQ-Q4W-X6", "RADIONUCLIDE-SR89-SM153"} <= codes, sorted(codes)
    # One bone-targeted agent drafted to start.
    assert not {"BTA-ZOLEDRONIC-DOSE", "BTA-DENOSUMAB-120MG"} <= codes or (
        build_context(facts, as_of).zol_active or build_context(facts, as_of).dmab_active
    )
    agents = in_play(facts, as_of, plan)
    # 3. No monitoring without its drug drafted (or running) and not contraindicated.
    for i in plan.items:
        if i.code in MONITORS:
            assert MONITORS[i.code] in agents, (i.code, sorted(agents))
    # 4. No warning about an agent not in play.
    for f in plan.flags:
        if f.code in WARNS_ABOUT:
            assert WARNS_ABOUT[f.code] in agents, (f.code, sorted(agents))
    # 4a. A rebound warning about stopping denosumab only for a patient on denosumab.
    if codes & ON_DENOSUMAB_ONLY:
        assert build_context(facts, as_of).dmab_active, sorted(codes & ON_DENOSUMAB_ONLY)
    # 5. Every day count is the difference of the two dates it names.
    for text in texts(plan):
        for n, start, end in DAY_COUNT.findall(text):
            assert int(n) == (date.fromisoformat(end) - date.fromisoformat(start)).days, text
        assert not BARE_DAY_COUNT.search(text), text


@pytest.mark.parametrize("vec", VECTORS, ids=[v["id"] for v in VECTORS])
def test_invariants_on_vector(vec: dict[str, Any]) -> None:
    check(*vector_facts(vec))


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case_facts())
def test_invariants_on_generated_cases(facts: F.CaseFacts) -> None:
    check(facts, AS_OF)
