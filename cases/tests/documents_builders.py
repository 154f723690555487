"""A signed decision with one action of every kind, for the letter, minutes and FHIR
tests (cases/tests/test_documents.py, test_fhir_export.py, front/tests/test_documents.py,
tests/browser/test_documents.py)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cases import services
from cases.choices import MeetingStatus
from cases.models import Decision, Meeting
from cases.tests.factories import LabResultFactory, LongBoneLesionFactory, SpinalLesionFactory
from cases.tests.views.builders import meeting_with_cases


def days(n: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=n)).isoformat()


def signed_items() -> list[dict]:
    """What the chair signs: zoledronic acid, 8 Gy to T8, an MRI, a dental review and
    the board's own words."""
    return [
        {"title": "Zoledronic acid", "verdict": "added", "action": {
            "kind": "medication", "verb": "start", "agent": "zoledronic_acid", "dose": "4",
            "unit": "mg", "route": "iv", "interval_weeks": 4, "doses": 6,
            "first_dose_on": days(7)}},
        {"title": "Radiotherapy to T8", "verdict": "added", "action": {
            "kind": "radiotherapy", "lesion": "T8", "dose_gy": "8", "fractions": 1,
            "start_on": days(5)}},
        {"title": "MRI whole spine", "verdict": "added", "action": {
            "kind": "investigation", "investigation": "imaging", "modality": "mri",
            "region": "whole spine", "due_on": days(42)}},
        {"title": "Dental review", "verdict": "added", "action": {
            "kind": "procedure", "procedure": "dental_review", "urgency": "routine",
            "due_on": days(14)}},
        {"title": "Review of pain", "verdict": "added", "action": {
            "kind": "other", "text": "Discuss again at the next meeting if the pain persists"}},
        {"title": "Surgical fixation", "verdict": "added", "action": {}},
    ]


def draft_items() -> list[dict]:
    """An unsigned amendment that differs: denosumab instead of zoledronic acid, 20 Gy in
    5 fractions, no MRI."""
    return [
        {"title": "Denosumab", "verdict": "added", "action": {
            "kind": "medication", "verb": "start", "agent": "denosumab", "dose": "120",
            "unit": "mg", "route": "sc", "interval_weeks": 4, "doses": 3,
            "first_dose_on": days(9)}},
        {"title": "Radiotherapy to T8", "verdict": "added", "action": {
            "kind": "radiotherapy", "lesion": "T8", "dose_gy": "20", "fractions": 5,
            "start_on": days(6)}},
    ]


def held_meeting_with_signed_decision(board, chair, *, others: int = 0
                                      ) -> tuple[Meeting, Decision]:
    """A meeting held yesterday: the first case signed (items of `signed_items`, the
    last one rejected), `others` more cases left undiscussed."""
    meeting, items = meeting_with_cases(board, 1 + others, days_ahead=-1, lesions=0, labs=0)
    patient = items[0].patient
    SpinalLesionFactory(patient=patient)
    LongBoneLesionFactory(patient=patient)
    LabResultFactory(patient=patient, analyte="creatinine", value="1.1", unit="mg/dL",
                     taken_at=timezone.now() - dt.timedelta(days=3))
    rows = signed_items()
    rows[-1] = {"title": "Surgical fixation", "verdict": "rejected",
                "reason": "Mirels score below the fixation threshold"}
    decision = services.decision_record(agenda_item=items[0], recorded_by=chair, items=rows,
                                        outcome_summary="Radiotherapy and zoledronic acid.")
    services.decision_sign(decision=decision, chair=chair)
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.HELD)
    meeting.refresh_from_db()
    decision.refresh_from_db()
    return meeting, decision
