"""Standard-of-care triage (recommendations.triage): each reason a case needs the full
discussion, and the case that needs none."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from recommendations.triage import reasons_for_discussion

ROUTINE = {"items": [{"code": "RT-SINGLE-8GY", "urgency": "routine"},
                     {"code": "BTA-CONTINUE", "urgency": "routine"}],
           "flags": [{"severity": "info"}], "missing_data": []}


def _decision(*verdicts, signed=False):
    items = [SimpleNamespace(verdict=v) for v in verdicts]
    return SimpleNamespace(is_signed=signed, items=SimpleNamespace(all=lambda: items))


def _reasons(output=ROUTINE, **kwargs):
    args = {"urgent": False, "opted_out": False, "open_opinions": 0, "decision": None}
    return reasons_for_discussion(output=output, **{**args, **kwargs})


def test_all_routine_with_information_flags_only_is_standard_of_care():
    assert _reasons() == []
    # A draft decision that only accepted items so far stays in the block.
    assert _reasons(decision=_decision("accepted", "")) == []


@pytest.mark.parametrize(("change", "reason"), [
    ({"items": [{"urgency": "routine"}, {"urgency": "before_next_meeting"}]},
     "1 item is not routine."),
    ({"flags": [{"severity": "info"}, {"severity": "caution"}]}, "1 flag above information."),
    ({"flags": [{"severity": "warning"}, {"severity": "contraindication"}]},
     "2 flags above information."),
    ({"missing_data": [{"field": "patient.ecog"}]}, "1 fact is missing."),
    ({"items": []}, "The draft proposes nothing to accept."),
])
def test_each_reason_for_a_full_discussion(change, reason):
    assert _reasons({**ROUTINE, **change}) == [reason]


def test_opinions_urgency_opt_out_and_changes_keep_a_case_out():
    assert _reasons(open_opinions=2) == ["2 specialist opinions ask for a discussion."]
    assert _reasons(urgent=True) == ["Urgent: suspected cord compression (MSCC-01)."]
    assert _reasons(opted_out=True) == [
        "Taken out of the standard-of-care block for full discussion."]
    assert _reasons(decision=_decision("accepted", "modified")) == [
        "The board has started changing the draft (modified, rejected or added items)."]
    assert _reasons(decision=_decision("accepted", signed=True)) == [
        "The decision is signed already."]
    assert _reasons(output=None) == ["There is no draft plan."]
