"""The one mapping from the engine's item codes to typed actions
(`recommendations.actions.MAPPING`): every item code of the catalogue has a row, and
each row gives a valid action of the expected kind."""

from __future__ import annotations

from datetime import date

import pytest

from cases.actions import action_clean
from recommendations.actions import MAPPING, action_for_item
from recommendations.engine import catalogue
from recommendations.engine.rules.base import CodeKind

ON = date(2026, 12, 2)
ITEM_CODES = sorted(info.code for info in catalogue.list_codes() if info.kind is CodeKind.ITEM)


def test_every_catalogue_item_code_is_mapped_and_nothing_else():
    assert sorted(MAPPING) == ITEM_CODES


@pytest.mark.parametrize("code", ITEM_CODES)
def test_each_code_maps_to_a_valid_action_with_an_empty_detail(code):
    action = action_for_item(code=code, detail={"summary": "Draft words"}, on=ON)
    assert action_clean(action, on=ON) == action


@pytest.mark.parametrize(("code", "detail", "expected"), [
    ("BTA-ZOLEDRONIC-DOSE", {"agent": "zoledronic_acid", "dose_mg": 3.5, "route": "iv",
                             "interval_weeks": 4},
     {"kind": "medication", "verb": "start", "agent": "zoledronic_acid", "dose": "3.5",
      "unit": "mg", "route": "iv", "interval_weeks": 4}),
    ("BTA-START", {"candidate_agents": ["denosumab", "zoledronic_acid"]},
     {"kind": "medication", "verb": "start", "agent": "denosumab", "unit": "mg",
      "route": "sc"}),
    ("RA223-55KBQ-Q4W-X6", {"agent": "radium_223", "doses_remaining": 4},
     {"kind": "medication", "verb": "start", "agent": "radium_223", "dose": "55",
      "unit": "kbq_per_kg", "route": "iv", "interval_weeks": 4, "doses": 4}),
    ("RT-MSCC", {"lesion_id": "L1", "schedules": [{"dose_gy": 8, "fractions": 1}]},
     {"kind": "radiotherapy", "lesion": "lesion L1", "dose_gy": "8", "fractions": 1,
      "technique": "conventional"}),
    ("MSCC-MRI-24H", {"modality": "mri_whole_spine", "within_hours": 24},
     {"kind": "investigation", "investigation": "imaging", "modality": "mri",
      "region": "whole spine", "due_on": "2026-12-02"}),
    ("BTA-ZOLEDRONIC-CREATININE-CHECK", {},
     {"kind": "investigation", "investigation": "lab",
      "test": "serum creatinine and calcium", "with_doses": True}),
    ("SURG-FIXATION-FRACTURE", {"lesion_id": "F1"},
     {"kind": "procedure", "procedure": "fixation", "lesion": "lesion F1",
      "urgency": "urgent"}),
    ("RA223-ELIGIBLE", {"summary": "Radium-223 eligible"},
     {"kind": "other", "text": "Radium-223 eligible"}),
])
def test_mapping_rows(code, detail, expected):
    assert action_for_item(code=code, detail=detail, on=ON) == expected


def test_unknown_code_and_out_of_bounds_draft_become_other_in_their_own_words():
    assert action_for_item(code="NEW-CODE", detail={"summary": "Something new"}, on=ON) == {
        "kind": "other", "text": "Something new"}
    assert action_for_item(code="BTA-ZOLEDRONIC-DOSE", detail={"dose_mg": 40, "summary":
                           "Zoledronic acid 40 mg"}, on=ON) == {
        "kind": "other", "text": "Zoledronic acid 40 mg"}
