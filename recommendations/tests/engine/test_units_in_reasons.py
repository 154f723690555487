"""The engine writes laboratory values in the unit they were recorded in.

A board whose laboratory reports creatinine in µmol/L reads µmol/L in every sentence
and detail of the plan, and a mg/dL board reads mg/dL, straight from the engine (no
translation on display). The label's thresholds are applied in the recorded unit when
both creatinines share it (BTA-04).
"""

from __future__ import annotations

import re
from typing import Any

from recommendations.engine import evaluate
from recommendations.engine.plan import DraftPlan

from .helpers import vector_facts
from .vectors import zol_renal

#: More digits than a laboratory reports: a converted value leaking into a sentence.
OVER_PRECISE = re.compile(r"(?<![\d.])\d+\.\d{3,}")


def _plan(facts: dict[str, Any]) -> DraftPlan:
    case, as_of = vector_facts({"id": "units", "facts": facts})
    return evaluate(case, as_of=as_of)


def _sentences(plan: DraftPlan) -> list[str]:
    return [i.rationale for i in plan.items] + [f.message for f in plan.flags]


def test_a_umol_l_board_reads_umol_l_everywhere() -> None:
    plan = _plan(zol_renal(80, 124, unit="umol/L"))
    withhold = next(f for f in plan.flags if f.code == "BTA-ZOLEDRONIC-WITHHOLD")
    assert "baseline 80 µmol/L" in withhold.message and "latest 124 µmol/L" in withhold.message
    for text in _sentences(plan):
        assert "mg/dL" not in text, text
        assert "umol/L" not in text, text
        assert not OVER_PRECISE.search(text), text


def test_the_clearance_quotes_a_umol_l_creatinine_as_recorded() -> None:
    facts = zol_renal(80, 84, unit="umol/L")
    dose = next(i for i in _plan(facts).items if i.code == "BTA-ZOLEDRONIC-DOSE")
    assert "(72 × 80 µmol/L ÷ 88.4)" in dose.rationale
    assert "mg/dL" not in dose.rationale


def test_a_mg_dl_board_reads_mg_dl() -> None:
    plan = _plan(zol_renal(1.0, 1.5))
    withhold = next(f for f in plan.flags if f.code == "BTA-ZOLEDRONIC-WITHHOLD")
    assert "baseline 1 mg/dL" in withhold.message and "latest 1.5 mg/dL" in withhold.message
    for text in _sentences(plan):
        assert "µmol/L" not in text and "umol/L" not in text, text
        assert not OVER_PRECISE.search(text), text


def test_resume_item_carries_the_recorded_values_and_units() -> None:
    umol = next(i for i in _plan(zol_renal(80, 86, withheld=True, unit="umol/L")).items
                if i.code == "BTA-ZOLEDRONIC-RESUME")
    assert umol.detail["baseline_creatinine"] == {
        "analyte": "creatinine", "value": 80.0, "unit": "umol/L"}
    assert umol.detail["latest_creatinine"] == {
        "analyte": "creatinine", "value": 86.0, "unit": "umol/L"}
    assert umol.detail["resume_at_most"] == {
        "analyte": "creatinine", "value": 88.0, "unit": "umol/L"}
    mg = next(i for i in _plan(zol_renal(1.0, 1.05, withheld=True)).items
              if i.code == "BTA-ZOLEDRONIC-RESUME")
    assert mg.detail["resume_at_most"] == {"analyte": "creatinine", "value": 1.1, "unit": "mg/dL"}


def test_mixed_units_quote_each_value_as_recorded_and_compare_in_mg_dl() -> None:
    facts = zol_renal(1.0, 150)
    facts["labs"][0]["unit"] = "umol/L"
    plan = _plan(facts)
    withhold = next(f for f in plan.flags if f.code == "BTA-ZOLEDRONIC-WITHHOLD")
    assert "baseline 1 mg/dL" in withhold.message
    assert "latest 150 µmol/L = 1.70 mg/dL" in withhold.message
    assert "change +0.70 mg/dL" in withhold.message
