"""Typed decision actions: bounds and field errors (`cases.actions`), how a decision
stores them (nothing on error), and the signed hash over them."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from cases.actions import ActionError, action_clean, action_summary
from cases.choices import DecisionItemVerdict
from cases.models import DecisionItem
from cases.services import (
    decision_canonical_content,
    decision_record,
    decision_sign,
    decision_verify,
)
from cases.tests.factories import AgendaItemFactory, MeetingFactory

ON = date(2026, 12, 2)


def zol(**fields):
    return {"kind": "medication", "verb": "start", "agent": "zoledronic_acid", "dose": "4",
            "unit": "mg", "route": "iv", "interval_weeks": 4, **fields}


def errors(raw):
    with pytest.raises(ActionError) as caught:
        action_clean(raw, on=ON)
    return caught.value.errors


def test_a_valid_medication_is_normalised():
    assert action_clean(zol(dose="4.0", doses="13", first_dose_on="2026-12-16"), on=ON) == {
        "kind": "medication", "verb": "start", "agent": "zoledronic_acid", "dose": "4",
        "unit": "mg", "route": "iv", "interval_weeks": 4, "doses": 13,
        "first_dose_on": "2026-12-16",
    }


@pytest.mark.parametrize(("raw", "expected"), [
    (zol(doses=3000), {"doses": ["Number of doses: enter a number from 1 to 26."]}),
    (zol(dose="5"), {"dose": ["Dose: at most 4.0 for zoledronic acid (label)."]}),
    (zol(interval_weeks=2), {"interval_weeks": [
        "Every (weeks): zoledronic acid is given every 3 to 12 weeks."]}),
    (zol(route="sc"), {"route": ["Route: zoledronic acid is given intravenous."]}),
    ({"kind": "medication", "verb": "start", "agent": "radium_223", "doses": 7},
     {"doses": ["Number of doses: at most 6 for radium-223."]}),
    ({"kind": "medication", "verb": "start", "agent": "dexamethasone", "dose": "32"},
     {"dose": ["Dose: at most 16 for dexamethasone (label)."]}),
    (zol(verb="withhold"), {"recheck_on": ["Recheck by: required."],
                            "resume_criteria": ["Resume when: required."]}),
    (zol(doses=2, end_on="2027-01-01"), {"end_on": [
        "Last dose by: give the number of doses or the last date, not both."]}),
    (zol(first_dose_on="2031-01-01"), {"first_dose_on": [
        "First dose on: enter a date between 2025-12-01 and 2028-12-02."]}),
    (zol(first_dose_on="tomorrow"), {"first_dose_on": [
        "First dose on: enter a date as YYYY-MM-DD."]}),
    ({"kind": "radiotherapy", "dose_gy": "80", "fractions": 5},
     {"dose_gy": ["Total dose (Gy): enter a number from 1 to 70."]}),
    ({"kind": "radiotherapy", "dose_gy": "30", "fractions": 1},
     {"dose_gy": ["Total dose (Gy): more than 24 Gy a fraction."]}),
    ({"kind": "investigation", "investigation": "imaging", "modality": "ct"},
     {"due_on": ["Due by: required."]}),
    ({"kind": "procedure"}, {"procedure": ["Procedure or referral: required."]}),
    ({"kind": "other"}, {"text": ["What the board decided: required."]}),
    ({"kind": "surgery"}, {"kind": ["Kind of action: choose one of the listed options."]}),
])
def test_bounds_give_field_errors(raw, expected):
    assert errors(raw) == expected


def test_summaries_say_what_was_decided():
    assert action_summary(action_clean(zol(verb="withhold", recheck_on="2026-12-20",
                                           resume_criteria="creatinine within 10 %"), on=ON)
                          ) == ("Withhold zoledronic acid: recheck serum creatinine by "
                                "2026-12-20; resume when creatinine within 10 %")
    assert action_summary(zol(interval_weeks=12, doses=4)) == (
        "Start zoledronic acid (4 mg, intravenous, every 12 weeks, 4 doses)")
    assert action_summary({"kind": "radiotherapy", "dose_gy": "20", "fractions": 5,
                           "lesion": "T12"}) == "Radiotherapy 20 Gy in 5 fractions to T12"


@pytest.fixture
def agenda_item(board, patient, oncologist):
    return AgendaItemFactory(meeting=MeetingFactory(board=board), patient=patient,
                             presenting_clinician=oncologist)


def test_a_3000_dose_request_is_refused_with_a_field_error_and_nothing_stored(
        agenda_item, coordinator):
    item = {"code": "BTA-ZOLEDRONIC-DOSE", "title": "Zoledronic acid", "reason": "More.",
            "verdict": DecisionItemVerdict.MODIFIED, "action": zol(doses=3000)}
    with pytest.raises(ValidationError) as caught:
        decision_record(agenda_item=agenda_item, recorded_by=coordinator, items=[item])
    assert caught.value.message_dict == {
        "items.0.action_doses": ["Number of doses: enter a number from 1 to 26."]}
    assert agenda_item.decisions.count() == 0 and DecisionItem.objects.count() == 0


def test_items_without_an_action_are_other_and_rejected_items_have_none(
        agenda_item, coordinator):
    decision = decision_record(agenda_item=agenda_item, recorded_by=coordinator, items=[
        {"title": "Discuss with family", "detail": "Family meeting first",
         "verdict": DecisionItemVerdict.ADDED},
        {"code": "BTA-START", "title": "Start a BTA", "reason": "Declined.",
         "verdict": DecisionItemVerdict.REJECTED, "action": zol()},
    ])
    assert [(i.action_kind, i.action) for i in decision.items.order_by("position")] == [
        ("other", {"kind": "other", "text": "Family meeting first"}), ("", {})]


def test_the_signed_hash_covers_the_action(agenda_item, coordinator, chair):
    decision = decision_record(agenda_item=agenda_item, recorded_by=coordinator, items=[
        {"code": "BTA-ZOLEDRONIC-DOSE", "title": "Zoledronic acid",
         "verdict": DecisionItemVerdict.ACCEPTED, "action": zol(doses=2)}])
    signed = decision_sign(decision=decision, chair=chair)
    assert signed.content_format == 2 and decision_verify(signed)
    content = decision_canonical_content(signed)
    assert '"content_format":2' in content
    assert ('"action":{"agent":"zoledronic_acid","dose":"4","doses":2,"interval_weeks":4,'
            '"kind":"medication","route":"iv","unit":"mg","verb":"start"}') in content


def test_a_radionuclide_is_recorded_only_for_strontium_or_samarium():
    on = date(2025, 3, 3)
    sm = action_clean({"kind": "medication", "verb": "start", "agent": "sr89_sm153",
                       "isotope": "sm153"}, on=on)
    assert action_summary(sm) == "Start samarium-153"
    with pytest.raises(ActionError) as caught:
        action_clean({"kind": "medication", "verb": "start", "agent": "radium_223",
                      "isotope": "sr89"}, on=on)
    assert caught.value.errors == {
        "isotope": ["Radionuclide: only for strontium-89 / samarium-153."]}
