"""Scheduling from a signed decision, amendments, meeting preparation, acting on a
reminder, the claim, and daylight-saving changes (time-machine)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from cases.choices import DecisionItemVerdict
from cases.models import Decision
from cases.services import decision_amend, decision_record, meeting_create
from cases.tests.factories import AgendaItemFactory
from recommendations.models import DraftPlan
from reminders.choices import ReminderKind, ReminderStatus
from reminders.delivery import reminders_claim_due, reminders_reclaim_stale
from reminders.models import Reminder
from reminders.services import (
    decision_sign_and_schedule,
    meeting_preparation_schedule,
    reminder_cancel,
    reminder_mark_done,
    reminder_retry,
    reminder_snooze,
    schedule_for_decision,
)
from reminders.tests.conftest import local, make_decision, zoledronic_item

LONDON = ZoneInfo("Europe/London")
UTC = dt.UTC

IMAGING = {
    "code": "FU-IMAGING-REASSESSMENT", "rule_id": "FU-01",
    "title": "Imaging re-assessment", "draft_detail": {"follow_up_weeks": 12},
    "verdict": DecisionItemVerdict.ACCEPTED,
    "action": {"kind": "investigation", "investigation": "imaging", "modality": "bone_scan",
               "region": "skeleton", "due_on": "2025-05-26"},
}
DENOSUMAB = {
    "code": "BTA-DENOSUMAB-120MG", "rule_id": "BTA-06", "title": "Denosumab 120 mg SC",
    "draft_detail": {"agent": "denosumab"}, "verdict": DecisionItemVerdict.MODIFIED,
    "reason": "Renal function borderline: denosumab instead.",
    "action": {"kind": "medication", "verb": "start", "agent": "denosumab", "dose": "120",
               "unit": "mg", "route": "sc", "interval_weeks": 4, "doses": 2},
}


@pytest.fixture
def signed_at():
    with time_machine.travel(local(dt.date(2025, 3, 3), 12), tick=False) as traveller:
        yield traveller


def keys(queryset):
    return sorted((r.kind, r.due_on.isoformat(), r.status) for r in queryset)


def test_signing_schedules_in_the_same_transaction(signed_at, board, chair, coordinator,
                                                   oncologist, patient):
    decision = make_decision(board=board, patient=patient, recorded_by=coordinator,
                             presenting_clinician=oncologist,
                             items=[zoledronic_item(doses=2), IMAGING])
    signed = decision_sign_and_schedule(decision=decision, chair=chair)
    assert signed.is_signed
    assert keys(Reminder.objects.all()) == [
        ("dental_before_bta", "2025-03-03", "pending"),
        ("imaging_due", "2025-05-26", "pending"),
        ("renal_before_zoledronic", "2025-03-14", "pending"),
        ("renal_before_zoledronic", "2025-04-11", "pending"),
    ]
    reminder = Reminder.objects.get(kind=ReminderKind.DENTAL_BEFORE_BTA)
    assert reminder.responsible_user == oncologist
    assert reminder.patient == patient and reminder.board == board
    assert reminder.decision == signed
    assert reminder.decision_item.code == "BTA-ZOLEDRONIC-DOSE"
    assert reminder.due_at == dt.datetime(2025, 3, 3, 9, tzinfo=UTC)
    assert reminder.next_attempt_at == reminder.due_at
    assert reminder.idempotency_key == (
        f"dental_before_bta:ai{decision.agenda_item_id}:2025-03-03"
    )


def test_scheduling_twice_creates_nothing_new(signed_at, board, chair, coordinator,
                                              oncologist, patient):
    decision = make_decision(board=board, patient=patient, recorded_by=coordinator,
                             presenting_clinician=oncologist,
                             items=[zoledronic_item(doses=2), IMAGING])
    decision_sign_and_schedule(decision=decision, chair=chair)
    before = keys(Reminder.objects.all())
    again = schedule_for_decision(decision=decision)
    assert again.created == [] and again.cancelled == [] and again.revived == []
    assert keys(Reminder.objects.all()) == before
    assert Reminder.objects.count() == 4


def test_rejected_and_board_added_items_schedule_nothing(signed_at, board, chair, coordinator,
                                                         oncologist, patient):
    rejected = {**zoledronic_item(), "verdict": DecisionItemVerdict.REJECTED,
                "reason": "Patient declined."}
    added = {"code": "", "rule_id": "", "title": "Zoledronic acid at the local hospital",
             "verdict": DecisionItemVerdict.ADDED}
    decision = make_decision(board=board, patient=patient, recorded_by=coordinator,
                             presenting_clinician=oncologist, items=[rejected, added])
    decision_sign_and_schedule(decision=decision, chair=chair)
    assert Reminder.objects.count() == 0


def test_without_a_presenting_clinician_the_boards_coordinators_are_responsible(
        signed_at, board, chair, coordinator, patient):
    decision = make_decision(board=board, patient=patient, recorded_by=coordinator,
                             presenting_clinician=None, items=[IMAGING])
    decision_sign_and_schedule(decision=decision, chair=chair)
    reminder = Reminder.objects.get()
    assert (reminder.responsible_user, reminder.responsible_role) == (None, "coordinator")


def test_signing_rolled_back_leaves_neither_signature_nor_reminders(
        signed_at, board, chair, coordinator, oncologist, patient):
    decision = make_decision(board=board, patient=patient, recorded_by=coordinator,
                             presenting_clinician=oncologist, items=[IMAGING])
    with pytest.raises(RuntimeError), transaction.atomic():
        decision_sign_and_schedule(decision=decision, chair=chair)
        assert Reminder.objects.count() == 1
        raise RuntimeError("the page failed after signing")
    assert Reminder.objects.count() == 0
    assert Decision.objects.get(pk=decision.pk).signed_at is None


def test_only_the_chair_signs_and_nothing_is_scheduled_otherwise(
        signed_at, board, chair, coordinator, oncologist, patient):
    decision = make_decision(board=board, patient=patient, recorded_by=coordinator,
                             presenting_clinician=oncologist, items=[IMAGING])
    with pytest.raises(PermissionDenied):
        decision_sign_and_schedule(decision=decision, chair=oncologist)
    assert Reminder.objects.count() == 0
    assert Decision.objects.get(pk=decision.pk).signed_at is None


def _amend(decision, *, by, chair, items, reason):
    amendment = decision_amend(decision=decision, recorded_by=by, reason=reason)
    decision_record(agenda_item=decision.agenda_item, recorded_by=by, items=items,
                    outcome_summary="Amended plan.")
    return decision_sign_and_schedule(decision=amendment, chair=chair)


def test_amendment_cancels_what_no_longer_applies_adds_the_new_and_keeps_the_rest(
        signed_at, board, chair, coordinator, oncologist, patient):
    v1 = make_decision(board=board, patient=patient, recorded_by=coordinator,
                       presenting_clinician=oncologist,
                       items=[zoledronic_item(doses=2), IMAGING])
    v1 = decision_sign_and_schedule(decision=v1, chair=chair)
    v2 = _amend(v1, by=coordinator, chair=chair, items=[DENOSUMAB, IMAGING],
                reason="Creatinine clearance 28 mL/min on repeat test.")
    assert keys(Reminder.objects.all()) == [
        ("calcium_denosumab", "2025-03-14", "pending"),
        ("calcium_denosumab", "2025-03-31", "pending"),
        ("calcium_denosumab", "2025-04-11", "pending"),
        ("dental_before_bta", "2025-03-03", "pending"),  # same first dose: kept
        ("imaging_due", "2025-05-26", "pending"),  # kept
        ("renal_before_zoledronic", "2025-03-14", "cancelled"),
        ("renal_before_zoledronic", "2025-04-11", "cancelled"),
    ]
    renal = Reminder.objects.filter(kind=ReminderKind.RENAL_BEFORE_ZOLEDRONIC)
    assert {r.cancel_reason for r in renal} == {
        "No longer in the plan after amendment (decision version 2): "
        "Creatinine clearance 28 mL/min on repeat test."
    }
    assert {r.cancelled_by for r in renal} == {None}
    dental = Reminder.objects.get(kind=ReminderKind.DENTAL_BEFORE_BTA)
    assert dental.decision == v2 and dental.status == ReminderStatus.PENDING


def test_amendment_back_to_the_first_plan_revives_the_cancelled_reminders(
        signed_at, board, chair, coordinator, oncologist, patient):
    v1 = make_decision(board=board, patient=patient, recorded_by=coordinator,
                       presenting_clinician=oncologist, items=[zoledronic_item(doses=2)])
    v1 = decision_sign_and_schedule(decision=v1, chair=chair)
    v2 = _amend(v1, by=coordinator, chair=chair, items=[DENOSUMAB], reason="Renal function.")
    v3 = _amend(v2, by=coordinator, chair=chair, items=[zoledronic_item(doses=2)],
                reason="Repeat creatinine normal.")
    assert keys(Reminder.objects.all()) == [
        ("calcium_denosumab", "2025-03-14", "cancelled"),
        ("calcium_denosumab", "2025-03-31", "cancelled"),
        ("calcium_denosumab", "2025-04-11", "cancelled"),
        ("dental_before_bta", "2025-03-03", "pending"),
        ("renal_before_zoledronic", "2025-03-14", "pending"),
        ("renal_before_zoledronic", "2025-04-11", "pending"),
    ]
    assert set(Reminder.objects.filter(status="pending").values_list("decision", flat=True)) \
        == {v3.pk}


def test_amendment_does_not_revive_a_reminder_a_user_cancelled(
        signed_at, board, chair, coordinator, oncologist, patient):
    v1 = make_decision(board=board, patient=patient, recorded_by=coordinator,
                       presenting_clinician=oncologist, items=[IMAGING])
    v1 = decision_sign_and_schedule(decision=v1, chair=chair)
    reminder_cancel(reminder=Reminder.objects.get(), user=oncologist,
                    reason="Scan booked by the referring hospital.")
    _amend(v1, by=coordinator, chair=chair, items=[IMAGING], reason="Typo in the summary.")
    reminder = Reminder.objects.get()
    assert reminder.status == ReminderStatus.CANCELLED
    assert reminder.cancel_reason == "Scan booked by the referring hospital."


# --- Acting on a reminder ---------------------------------------------------------------

@pytest.fixture
def reminder(signed_at, board, chair, coordinator, oncologist, patient):
    decision = make_decision(board=board, patient=patient, recorded_by=coordinator,
                             presenting_clinician=oncologist, items=[IMAGING])
    decision_sign_and_schedule(decision=decision, chair=chair)
    return Reminder.objects.get()


def test_mark_done(reminder, oncologist):
    done = reminder_mark_done(reminder=reminder, user=oncologist)
    assert (done.status, done.done_by, done.done_at) == (
        "done", oncologist, dt.datetime(2025, 3, 3, 12, tzinfo=UTC)
    )


def test_snooze_moves_the_next_attempt_not_the_due_date(reminder, oncologist):
    until = dt.datetime(2025, 3, 10, 9, tzinfo=UTC)
    snoozed = reminder_snooze(reminder=reminder, user=oncologist, until=until)
    assert (snoozed.status, snoozed.snoozed_until, snoozed.next_attempt_at) == (
        "pending", until, until
    )
    assert snoozed.due_on == dt.date(2025, 5, 26)


def test_snooze_into_the_past_is_refused(reminder, oncologist):
    with pytest.raises(ValidationError):
        reminder_snooze(reminder=reminder, user=oncologist,
                        until=dt.datetime(2025, 3, 1, tzinfo=UTC))
    assert Reminder.objects.get().snoozed_until is None


def test_cancel_needs_a_reason(reminder, oncologist):
    with pytest.raises(ValidationError):
        reminder_cancel(reminder=reminder, user=oncologist, reason="  ")
    assert Reminder.objects.get().status == ReminderStatus.PENDING
    cancelled = reminder_cancel(reminder=reminder, user=oncologist, reason="Patient moved.")
    assert (cancelled.status, cancelled.cancel_reason, cancelled.cancelled_by) == (
        "cancelled", "Patient moved.", oncologist
    )


def test_a_failed_reminder_is_sent_again_only_after_a_failure(reminder, oncologist):
    with pytest.raises(ValidationError) as refused:
        reminder_retry(reminder=reminder, user=oncologist)
    assert "only a failed reminder" in str(refused.value).lower()
    Reminder.objects.filter(pk=reminder.pk).update(
        status=ReminderStatus.FAILED, attempts=5, last_error="SMTP 550: SMTPDataError")
    again = reminder_retry(reminder=reminder, user=oncologist)
    assert (again.status, again.attempts, again.next_attempt_at) == (
        "pending", 0, dt.datetime(2025, 3, 3, 12, tzinfo=UTC))
    # The dispatcher picks it up on its next run.
    with transaction.atomic():
        assert reminders_claim_due(now=dt.datetime(2025, 3, 3, 12, 1, tzinfo=UTC), limit=10) == [
            reminder.pk]


def test_outsider_cannot_act_and_nothing_changes(reminder, outsider):
    for action in (
        lambda: reminder_mark_done(reminder=reminder, user=outsider),
        lambda: reminder_cancel(reminder=reminder, user=outsider, reason="x"),
        lambda: reminder_snooze(reminder=reminder, user=outsider,
                                until=dt.datetime(2025, 4, 1, tzinfo=UTC)),
    ):
        with pytest.raises(PermissionDenied):
            action()
    fresh = Reminder.objects.get()
    assert (fresh.status, fresh.done_at, fresh.cancel_reason, fresh.snoozed_until) == (
        "pending", None, "", None
    )


# --- The claim ----------------------------------------------------------------------------

def test_claim_takes_only_due_pending_rows_and_reclaim_frees_stale_ones(
        signed_at, board, chair, coordinator, oncologist, patient, settings):
    decision = make_decision(board=board, patient=patient, recorded_by=coordinator,
                             presenting_clinician=oncologist,
                             items=[zoledronic_item(doses=2), IMAGING])
    decision_sign_and_schedule(decision=decision, chair=chair)
    now = dt.datetime(2025, 3, 14, 9, tzinfo=UTC)
    with transaction.atomic():
        claimed = reminders_claim_due(now=now, limit=10)
    assert sorted(Reminder.objects.get(pk=i).kind for i in claimed) == [
        "dental_before_bta", "renal_before_zoledronic"
    ]
    with transaction.atomic():
        assert reminders_claim_due(now=now, limit=10) == []
    settings.REMINDERS_CLAIM_TIMEOUT_SECONDS = 600
    assert reminders_reclaim_stale(now=now + dt.timedelta(seconds=599)) == 0
    assert reminders_reclaim_stale(now=now + dt.timedelta(seconds=601)) == 2
    assert sorted(Reminder.objects.filter(status="pending").values_list("kind", flat=True)) \
        == ["dental_before_bta", "imaging_due", "renal_before_zoledronic",
            "renal_before_zoledronic"]


# --- Daylight saving (Europe/London) ----------------------------------------------------

def _claim_at(moment: dt.datetime) -> list[int]:
    with time_machine.travel(moment, tick=False), transaction.atomic():
        return reminders_claim_due(now=moment, limit=100)


@pytest.mark.parametrize(("signed_on", "first_dose", "dst_day", "utc_hour_that_day"), [
    # Spring: clocks go forward at 01:00 UTC on 30 March 2025; 09:00 BST = 08:00 UTC.
    (dt.date(2025, 3, 24), "2025-04-02", dt.date(2025, 3, 30), 8),
    # Autumn: clocks go back at 01:00 UTC on 26 October 2025; 09:00 GMT = 09:00 UTC.
    (dt.date(2025, 10, 20), "2025-10-29", dt.date(2025, 10, 26), 9),
])
def test_each_reminder_is_due_once_at_0900_local_on_its_date_across_dst(
        settings, board, chair, coordinator, oncologist, patient,
        signed_on, first_dose, dst_day, utc_hour_that_day):
    settings.TIME_ZONE = "Europe/London"
    radium = {"code": "RA223-55KBQ-Q4W-X6", "rule_id": "RAD-02", "title": "Radium-223",
              "draft_detail": {"agent": "radium_223"},
              "verdict": DecisionItemVerdict.ACCEPTED,
              "action": {"kind": "medication", "verb": "start", "agent": "radium_223",
                         "dose": "55", "unit": "kbq_per_kg", "route": "iv",
                         "interval_weeks": 4, "first_dose_on": first_dose.isoformat()
                         if hasattr(first_dose, "isoformat") else first_dose}}
    with time_machine.travel(local(signed_on, 12), tick=False):
        decision = make_decision(board=board, patient=patient, recorded_by=coordinator,
                                 presenting_clinician=oncologist, items=[radium])
        decision_sign_and_schedule(decision=decision, chair=chair)
    reminders = list(Reminder.objects.order_by("due_at"))
    assert len(reminders) == 6
    first = reminders[0]
    assert first.due_on == dst_day
    assert first.due_at == dt.datetime.combine(dst_day, dt.time(utc_hour_that_day), tzinfo=UTC)
    # Every dose four weeks apart, each reminder at 09:00 clinic time on its date.
    for n, reminder in enumerate(reminders):
        local_due = reminder.due_at.astimezone(LONDON)
        assert local_due.date() == dst_day + dt.timedelta(weeks=4 * n)
        assert local_due.time() == dt.time(9, 0)
    # Walk the clock through the change: due exactly once, at 09:00 local on the day.
    for reminder in reminders:
        due = reminder.due_at
        assert _claim_at(due - dt.timedelta(minutes=1)) == []
        assert _claim_at(due) == [reminder.pk]
        assert _claim_at(due + dt.timedelta(hours=25)) == []


# --- Meeting preparation --------------------------------------------------------------

def _draft(agenda_item, missing):
    return DraftPlan.objects.create(
        agenda_item=agenda_item, patient=agenda_item.patient, engine_version="test",
        as_of=dt.date(2025, 3, 27), facts={}, facts_sha256="0" * 64,
        output={"missing_data": [{"field": f, "why": "needed"} for f in missing]},
        missing_count=len(missing),
    )


def test_meeting_preparation_agenda_to_attendees_and_missing_data_to_presenters(
        board, chair, coordinator, oncologist, spine_surgeon, patient):
    now = local(dt.date(2025, 3, 27), 10)
    with time_machine.travel(now, tick=False):
        # Monday 31 March 2025 14:00 BST: the first working day after the spring change.
        meeting = meeting_create(board=board, starts_at=local(dt.date(2025, 3, 31), 14))
        ready = AgendaItemFactory(meeting=meeting, patient=patient,
                                  presenting_clinician=spine_surgeon)
        not_ready = AgendaItemFactory(meeting=meeting, presenting_clinician=oncologist)
        _draft(ready, [])
        _draft(not_ready, ["patient.weight_kg", "labs.creatinine"])
        result = meeting_preparation_schedule(meeting=meeting)
        again = meeting_preparation_schedule(meeting=meeting)
    assert len(result.created) == 6 and again.created == [] and again.cancelled == []
    agenda = Reminder.objects.filter(kind=ReminderKind.AGENDA_CIRCULATION)
    assert sorted(r.responsible_user.username for r in agenda) == [
        "chair", "coordinator", "oncologist", "spine_surgeon"
    ]
    # Saturday 29 March, 09:00 GMT: more than 24 hours before the meeting.
    assert {r.due_at for r in agenda} == {dt.datetime(2025, 3, 29, 9, tzinfo=UTC)}
    missing = Reminder.objects.filter(kind=ReminderKind.MISSING_DATA_REQUEST).order_by("due_at")
    assert [(r.agenda_item_id, r.responsible_user.username, r.due_at) for r in missing] == [
        (not_ready.pk, "oncologist", now),  # when the agenda is built
        # the day before, 09:00 BST
        (not_ready.pk, "oncologist", dt.datetime(2025, 3, 30, 8, tzinfo=UTC)),
    ]


def test_a_case_that_becomes_ready_has_its_pending_requests_cancelled(
        board, chair, coordinator, oncologist, patient):
    with time_machine.travel(local(dt.date(2025, 3, 27), 10), tick=False):
        meeting = meeting_create(board=board, starts_at=local(dt.date(2025, 3, 31), 14))
        item = AgendaItemFactory(meeting=meeting, patient=patient,
                                 presenting_clinician=oncologist)
        _draft(item, ["labs.creatinine"])
        meeting_preparation_schedule(meeting=meeting)
        _draft(item, [])
        result = meeting_preparation_schedule(meeting=meeting)
    assert len(result.cancelled) == 2
    assert set(Reminder.objects.filter(kind=ReminderKind.MISSING_DATA_REQUEST)
               .values_list("status", flat=True)) == {"cancelled"}
