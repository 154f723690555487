"""Delivery in this process against a real SMTP server (aiosmtpd): what the message says,
what it must not say, the calendar invitation, idempotency and failure handling."""

from __future__ import annotations

import datetime as dt
import re

import icalendar
import pytest
from django.db import transaction
from django.utils import timezone

from cases.services import meeting_create
from cases.tests.factories import AgendaItemFactory
from recommendations.models import DraftPlan
from reminders import emails
from reminders.choices import ReminderKind, ReminderStatus
from reminders.models import Reminder
from reminders.services import (
    decision_sign_and_schedule,
    meeting_preparation_schedule,
    reminder_deliver,
    reminders_claim_due,
)
from reminders.tests.conftest import make_decision, zoledronic_item


@pytest.fixture
def smtp(smtp_server, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_server.port
    settings.SITE_URL = "https://boardsite.hospital.example"
    emails.close_connection()
    yield smtp_server.handler
    emails.close_connection()


def identifiers_of(patient) -> list[str]:
    dob = patient.date_of_birth
    return [patient.given_name, patient.family_name, patient.hospital_number,
            dob.isoformat(), dob.strftime("%d/%m/%Y"), dob.strftime("%Y%m%d"),
            "prostate", patient.primary.histology]


def all_text(message, raw: bytes) -> str:
    parts = [raw.decode("utf-8", "replace"), str(message["Subject"])]
    for part in message.walk():
        payload = part.get_payload(decode=True)
        if payload:
            parts.append(payload.decode("utf-8", "replace"))
    return "\n".join(parts)


def claim_all() -> list[int]:
    with transaction.atomic():
        return reminders_claim_due(now=timezone.now() + dt.timedelta(days=3650), limit=1000)


def test_reminder_email_says_what_when_and_where_but_nothing_about_the_patient(
        smtp, board, chair, coordinator, oncologist, patient):
    decision = make_decision(board=board, patient=patient, recorded_by=coordinator,
                             presenting_clinician=oncologist,
                             items=[zoledronic_item(doses=1, first_dose_on="2030-01-20")])
    decision_sign_and_schedule(decision=decision, chair=chair)
    reminder = Reminder.objects.get(kind=ReminderKind.RENAL_BEFORE_ZOLEDRONIC)
    claim_all()
    assert reminder_deliver(reminder_id=reminder.pk) == "sent"
    [message], [raw] = smtp.messages, smtp.raw
    assert str(message["Subject"]).strip() == (
        "Boardsite: Serum creatinine and calcium before zoledronic acid dose 1 of 1 "
        "- due 2030-01-17"
    )
    assert message["To"] == "oncologist@hospital.example"
    assert message["X-Boardsite-Reminder"] == str(reminder.public_id)
    text = all_text(message, raw)
    assert f"https://boardsite.hospital.example/reminders/{reminder.public_id}/" in text
    assert "Planned for: 2030-01-20" in text
    for identifier in identifiers_of(patient):
        assert not re.search(re.escape(identifier), text, re.IGNORECASE), identifier
    assert [p.get_content_type() for p in message.walk()] == [
        "multipart/alternative", "text/plain", "text/html"
    ]
    fresh = Reminder.objects.get(pk=reminder.pk)
    assert (fresh.status, fresh.attempts, fresh.sent_count) == ("sent", 1, 1)


def test_delivering_twice_sends_once(smtp, board, chair, coordinator, oncologist, patient):
    decision = make_decision(board=board, patient=patient, recorded_by=coordinator,
                             presenting_clinician=oncologist,
                             items=[zoledronic_item(doses=1)])
    decision_sign_and_schedule(decision=decision, chair=chair)
    ids = claim_all()
    assert [reminder_deliver(reminder_id=i) for i in ids] == ["sent"] * len(ids)
    assert [reminder_deliver(reminder_id=i) for i in ids] == ["skipped:sent"] * len(ids)
    assert len(smtp.messages) == len(ids) == 2  # dental + one creatinine


def test_unclaimed_or_cancelled_rows_are_not_sent(smtp, board, chair, coordinator,
                                                  oncologist, patient):
    decision = make_decision(board=board, patient=patient, recorded_by=coordinator,
                             presenting_clinician=oncologist, items=[zoledronic_item(doses=1)])
    decision_sign_and_schedule(decision=decision, chair=chair)
    pending = Reminder.objects.first()
    assert reminder_deliver(reminder_id=pending.pk) == "skipped:pending"
    claim_all()
    Reminder.objects.filter(pk=pending.pk).update(status=ReminderStatus.CANCELLED,
                                                  cancel_reason="Moved.")
    assert reminder_deliver(reminder_id=pending.pk) == "skipped:cancelled"
    assert smtp.messages == []


def test_agenda_circulation_carries_an_ics_invitation(smtp, board, chair, coordinator,
                                                      oncologist):
    starts = timezone.now() + dt.timedelta(days=1)
    meeting = meeting_create(board=board, starts_at=starts, location="Seminar room 2")
    meeting_preparation_schedule(meeting=meeting)
    ids = claim_all()
    assert [reminder_deliver(reminder_id=i) for i in ids] == ["sent"] * 3
    assert sorted(m["To"] for m in smtp.messages) == [
        "chair@hospital.example", "coordinator@hospital.example",
        "oncologist@hospital.example",
    ]
    message = smtp.messages[0]
    [ics] = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    assert ics.get_filename() == "meeting.ics"
    calendar = icalendar.Calendar.from_ical(ics.get_payload(decode=True))
    [event] = calendar.walk("VEVENT")
    assert str(calendar["method"]) == "REQUEST"
    assert event.decoded("dtstart") == starts.replace(microsecond=0)
    assert event.decoded("dtend") == starts.replace(microsecond=0) + dt.timedelta(minutes=90)
    assert str(event["uid"]) == f"meeting-{meeting.pk}@boardsite"
    assert str(event["location"]) == "Seminar room 2"
    assert str(event["attendee"]) == f"mailto:{message['To']}"


def test_missing_data_request_lists_the_fields_and_is_skipped_once_ready(
        smtp, board, chair, coordinator, oncologist, patient):
    meeting = meeting_create(board=board, starts_at=timezone.now() + dt.timedelta(days=3))
    item = AgendaItemFactory(meeting=meeting, patient=patient, presenting_clinician=oncologist)

    def draft(missing):
        DraftPlan.objects.create(
            agenda_item=item, patient=patient, engine_version="t", as_of=dt.date(2030, 1, 1),
            facts={}, facts_sha256="0" * 64, missing_count=len(missing),
            output={"missing_data": missing},
        )

    draft([{"field": "patient.weight_kg", "why": "Needed for creatinine clearance."},
           {"field": "primary.castration_status",
            "why": f"Radium-223 needs CRPC in {patient.family_name}'s prostate cancer."}])
    meeting_preparation_schedule(meeting=meeting)
    built = Reminder.objects.get(kind=ReminderKind.MISSING_DATA_REQUEST,
                                 idempotency_key__endswith=":built")
    claim_all()
    assert reminder_deliver(reminder_id=built.pk) == "sent"
    [message] = [m for m in smtp.messages if m["X-Boardsite-Reminder"] == str(built.public_id)]
    text = all_text(message, smtp.raw[smtp.messages.index(message)])
    assert "- Current weight - Needed for creatinine clearance." in text
    assert "- 1 further item(s): see the case page." in text
    for identifier in identifiers_of(patient):
        assert not re.search(re.escape(identifier), text, re.IGNORECASE), identifier
    # The day-before request finds the case ready by then: done, nothing sent.
    draft([])
    day_before = Reminder.objects.get(kind=ReminderKind.MISSING_DATA_REQUEST,
                                      status=ReminderStatus.CLAIMED)
    sent_before = len(smtp.messages)
    assert reminder_deliver(reminder_id=day_before.pk) == "done:nothing-to-send"
    assert len(smtp.messages) == sent_before
    assert Reminder.objects.get(pk=day_before.pk).status == ReminderStatus.DONE


def test_a_reminder_nobody_can_receive_fails_visibly(smtp, board, chair, coordinator,
                                                     oncologist, patient):
    oncologist.email = ""
    oncologist.save()
    decision = make_decision(board=board, patient=patient, recorded_by=coordinator,
                             presenting_clinician=oncologist, items=[zoledronic_item(doses=1)])
    decision_sign_and_schedule(decision=decision, chair=chair)
    ids = claim_all()
    assert {reminder_deliver(reminder_id=i) for i in ids} == {"failed"}
    assert set(Reminder.objects.values_list("last_error", flat=True)) == {
        "No recipient with an email address (set one, then retry)."
    }
    assert smtp.messages == []


def test_a_message_that_would_carry_an_identifier_is_refused(smtp, board, chair, coordinator,
                                                             oncologist, patient):
    decision = make_decision(board=board, patient=patient, recorded_by=coordinator,
                             presenting_clinician=oncologist, items=[zoledronic_item(doses=1)])
    decision_sign_and_schedule(decision=decision, chair=chair)
    reminder = Reminder.objects.first()
    Reminder.objects.filter(pk=reminder.pk).update(
        detail=f"Patient {patient.hospital_number}")
    claim_all()
    assert reminder_deliver(reminder_id=reminder.pk) == "failed"
    fresh = Reminder.objects.get(pk=reminder.pk)
    assert (fresh.status, fresh.last_error) == (
        "failed", "The message would contain a patient identifier; not sent."
    )
    assert [m["X-Boardsite-Reminder"] for m in smtp.messages] == []


@pytest.mark.parametrize(("reply", "outcome", "status", "error"), [
    ("451 4.3.0 Try again later", "retry", "pending", "SMTP 451: SMTPDataError"),
    ("550 5.1.1 Mailbox unavailable", "failed", "failed", "SMTP 550: SMTPDataError"),
])
def test_transient_smtp_failure_retries_later_permanent_fails(
        smtp, settings, board, chair, coordinator, oncologist, patient,
        reply, outcome, status, error):
    settings.REMINDERS_RETRY_BASE_SECONDS = 60
    decision = make_decision(board=board, patient=patient, recorded_by=coordinator,
                             presenting_clinician=oncologist, items=[zoledronic_item(doses=1)])
    decision_sign_and_schedule(decision=decision, chair=chair)
    reminder = Reminder.objects.first()
    claim_all()
    smtp.data_replies.append(reply)
    before = timezone.now()
    assert reminder_deliver(reminder_id=reminder.pk) == outcome
    fresh = Reminder.objects.get(pk=reminder.pk)
    assert (fresh.status, fresh.attempts, fresh.last_error) == (status, 1, error)
    if status == "pending":
        delay = (fresh.next_attempt_at - before).total_seconds()
        assert 59 <= delay <= 61
    assert smtp.messages == []
