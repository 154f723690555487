"""Delivery in this process against a real SMTP server (aiosmtpd): what the message says,
what it must not say, the calendar invitation, idempotency, failure handling, and
exactly once per recipient under a partial refusal and a timeout after DATA."""

from __future__ import annotations

import datetime as dt
import re
from collections import deque

import icalendar
import pytest
from django.db import transaction
from django.utils import timezone

from cases.choices import BoardRole
from cases.services import board_member_add, meeting_create
from cases.tests.factories import AgendaItemFactory, UserFactory
from recommendations.models import DraftPlan
from reminders import delivery
from reminders.choices import DeliveryStatus, ReminderKind, ReminderStatus
from reminders.delivery import reminder_deliver, reminders_claim_due
from reminders.models import Delivery, Reminder
from reminders.services import decision_sign_and_schedule, meeting_preparation_schedule
from reminders.tests.conftest import make_decision, zoledronic_item


@pytest.fixture
def smtp(smtp_server, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = smtp_server.port
    settings.SITE_URL = "https://boardsite.hospital.example"
    delivery.close_connection()
    yield smtp_server.handler
    delivery.close_connection()


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


def claim_all(*, ahead: dt.timedelta = dt.timedelta(days=3650)) -> list[int]:
    with transaction.atomic():
        return reminders_claim_due(now=timezone.now() + ahead, limit=1000)


def test_reminder_email_says_what_when_and_where_but_nothing_about_the_patient(
        smtp, board, chair, coordinator, oncologist, patient):
    decision = make_decision(board=board, patient=patient, recorded_by=coordinator,
                             presenting_clinician=oncologist,
                             items=[zoledronic_item(doses=1, first_dose_on="2027-01-20")])
    decision_sign_and_schedule(decision=decision, chair=chair)
    reminder = Reminder.objects.get(kind=ReminderKind.RENAL_BEFORE_ZOLEDRONIC)
    claim_all()
    assert reminder_deliver(reminder_id=reminder.pk) == "sent"
    [message], [raw] = smtp.messages, smtp.raw
    assert str(message["Subject"]).strip() == (
        "Boardsite: Serum creatinine and calcium before the next zoledronic acid dose "
        "- due 2027-01-17"
    )
    assert message["To"] == "oncologist@hospital.example"
    assert message["X-Boardsite-Reminder"] == str(reminder.public_id)
    [copy] = Delivery.objects.filter(reminder=reminder)
    assert message["Message-ID"] == f"<{copy.public_id}@boardsite.hospital.example>"
    assert (copy.address, copy.status, copy.attempts, copy.round) == (
        "oncologist@hospital.example", DeliveryStatus.SENT, 1, 0)
    text = all_text(message, raw)
    assert f"https://boardsite.hospital.example/reminders/{reminder.public_id}/" in text
    assert "Planned for: 2027-01-20" in text
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
    # Free text from the record (a location can name a unit: "Breast unit") stays out.
    assert "location" not in event
    assert str(event["summary"]) == "Board meeting"
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

    draft([{"field": "patient.weight_kg", "why": "Needed for creatinine clearance.",
            "supplied_by": "nursing"},
           {"field": "primary.castration_status", "supplied_by": "medical_oncology",
            "why": f"Radium-223 needs CRPC in {patient.family_name}'s prostate cancer."},
           {"field": "history.prior_mcrpc_lines", "supplied_by": "medical_oncology",
            "why": "Prior mCRPC lines decide radium-223."},
           {"field": "labs.psa", "supplied_by": "something_new",
            "why": "PSA doubling time."}])
    meeting_preparation_schedule(meeting=meeting)
    built = Reminder.objects.get(kind=ReminderKind.MISSING_DATA_REQUEST,
                                 idempotency_key__endswith=":built")
    claim_all()
    assert reminder_deliver(reminder_id=built.pk) == "sent"
    [message] = [m for m in smtp.messages if m["X-Boardsite-Reminder"] == str(built.public_id)]
    text = all_text(message, smtp.raw[smtp.messages.index(message)])
    text_part = message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")
    assert ("\nMissing data, by who usually supplies it:\n- Medical oncology: 2\n"
            "- Nursing: 1\n- Other: 1\n\n") in text_part
    for word in ("weight", "castration", "radium", "crpc", "psa", "prior", "_"):
        assert word not in text_part.lower(), word
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


def test_free_text_on_the_reminder_never_reaches_the_email(smtp, board, chair, coordinator,
                                                           oncologist, patient):
    decision = make_decision(board=board, patient=patient, recorded_by=coordinator,
                             presenting_clinician=oncologist, items=[zoledronic_item(doses=1)])
    decision_sign_and_schedule(decision=decision, chair=chair)
    reminder = Reminder.objects.get(kind=ReminderKind.DENTAL_BEFORE_BTA)
    Reminder.objects.filter(pk=reminder.pk).update(
        title=f"Dental check for {patient.family_name}",
        detail=f"Patient {patient.hospital_number}, prostate adenocarcinoma")
    claim_all()
    assert reminder_deliver(reminder_id=reminder.pk) == "sent"
    [message] = smtp.messages
    text = all_text(message, smtp.raw[0])
    assert str(message["Subject"]).strip() == (
        "Boardsite: Dental examination before the first dose of a bone-targeted agent "
        f"- due {reminder.due_on.isoformat()}")
    for identifier in [*identifiers_of(patient), "adenocarcinoma", "Dental check"]:
        assert not re.search(re.escape(identifier), text, re.IGNORECASE), identifier


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
    [copy] = Delivery.objects.filter(reminder=reminder)
    assert (copy.status, copy.attempts, copy.last_error) == (status, 1, error)
    if status == "pending":
        delay = (fresh.next_attempt_at - before).total_seconds()
        assert 59 <= delay <= 61
    assert smtp.messages == []


# --- Exactly once per recipient ---------------------------------------------------------------

@pytest.fixture
def second_coordinator(board):
    user = UserFactory(username="coordinator2", email="coordinator2@hospital.example")
    board_member_add(board=board, user=user, role=BoardRole.COORDINATOR)
    return user


def role_reminder(board, patient) -> Reminder:
    now = timezone.now() - dt.timedelta(minutes=1)
    return Reminder.objects.create(
        kind=ReminderKind.IMAGING_REASSESSMENT, board=board, patient=patient,
        responsible_role=BoardRole.COORDINATOR, title="Imaging re-assessment",
        due_on=now.date(), due_at=now, next_attempt_at=now, idempotency_key="role:1")


def test_a_450_for_one_of_two_recipients_retries_only_that_recipient(
        smtp, settings, board, coordinator, second_coordinator, patient):
    settings.REMINDERS_RETRY_BASE_SECONDS = 60
    reminder = role_reminder(board, patient)
    smtp.rcpt_replies["coordinator2@hospital.example"] = deque(
        ["450 4.2.1 Mailbox busy, try again later"])
    claim_all(ahead=dt.timedelta(0))
    before = timezone.now()
    assert reminder_deliver(reminder_id=reminder.pk) == "retry"
    second, first = Delivery.objects.filter(reminder=reminder).order_by("address")
    assert (first.address, first.status, first.attempts) == (
        "coordinator@hospital.example", DeliveryStatus.SENT, 1)
    assert (second.address, second.status, second.attempts, second.last_error) == (
        "coordinator2@hospital.example", DeliveryStatus.PENDING, 1,
        "SMTP 450: SMTPRecipientsRefused")
    fresh = Reminder.objects.get(pk=reminder.pk)
    assert (fresh.status, fresh.sent_count, fresh.last_error) == (
        ReminderStatus.PENDING, 0, "1 of 2 recipients: SMTP 450: SMTPRecipientsRefused")
    assert 59 <= (fresh.next_attempt_at - before).total_seconds() <= 61
    assert smtp.message_ids_by_recipient() == {
        "coordinator@hospital.example": [f"<{first.public_id}@boardsite.hospital.example>"]}

    assert claim_all(ahead=dt.timedelta(seconds=30)) == []  # not before the retry delay
    assert claim_all(ahead=dt.timedelta(seconds=61)) == [reminder.pk]
    assert reminder_deliver(reminder_id=reminder.pk) == "sent"
    assert smtp.message_ids_by_recipient() == {
        "coordinator@hospital.example": [f"<{first.public_id}@boardsite.hospital.example>"],
        "coordinator2@hospital.example": [f"<{second.public_id}@boardsite.hospital.example>"],
    }
    assert sorted(Delivery.objects.values_list("address", "status", "attempts")) == [
        ("coordinator2@hospital.example", "sent", 2), ("coordinator@hospital.example", "sent", 1)]
    fresh = Reminder.objects.get(pk=reminder.pk)
    assert (fresh.status, fresh.sent_count, fresh.attempts) == (ReminderStatus.SENT, 1, 2)


def test_the_refused_recipients_of_sendmail_are_recorded(smtp, settings):
    """One message to two envelope recipients, one refused: smtplib returns the refusal
    instead of raising; the backend keeps it on the message (Django's drops it)."""
    from django.core.mail import EmailMessage, get_connection

    smtp.rcpt_replies["b@hospital.example"] = deque(["450 4.2.1 Mailbox busy"])
    backend = get_connection("reminders.smtp.DeliveryBackend")
    message = EmailMessage("Subject", "Body", "boardsite@hospital.example",
                           ["a@hospital.example", "b@hospital.example"])
    assert backend.send_messages([message]) == 0
    assert message.outcome.accepted
    assert message.outcome.refused == {"b@hospital.example": (450, b"4.2.1 Mailbox busy")}
    assert [m["To"] for m in smtp.messages] == ["a@hospital.example, b@hospital.example"]


def test_a_timeout_after_data_waits_for_the_retry_and_keeps_the_message_id(
        smtp, settings, board, oncologist, patient):
    settings.EMAIL_TIMEOUT = 1
    settings.REMINDERS_RETRY_BASE_SECONDS = 60
    now = timezone.now() - dt.timedelta(minutes=1)
    reminder = Reminder.objects.create(
        kind=ReminderKind.IMAGING_REASSESSMENT, board=board, patient=patient,
        responsible_user=oncologist, title="Imaging re-assessment", due_on=now.date(),
        due_at=now, next_attempt_at=now, idempotency_key="timeout:1")
    smtp.slow_reply_once = 2.5  # the server keeps the message but answers too late
    claim_all(ahead=dt.timedelta(0))
    before = timezone.now()
    assert reminder_deliver(reminder_id=reminder.pk) == "retry"
    after = timezone.now()
    [copy] = Delivery.objects.filter(reminder=reminder)
    assert (copy.status, copy.attempts, copy.last_error) == (
        DeliveryStatus.PENDING, 1, delivery.MAYBE_DELIVERED)
    fresh = Reminder.objects.get(pk=reminder.pk)
    # Not at once: the copy may have arrived; the normal retry, not a resend now.
    delay = dt.timedelta(seconds=60)
    assert before + delay <= fresh.next_attempt_at <= after + delay
    assert claim_all(ahead=dt.timedelta(seconds=30)) == []
    expected = f"<{copy.public_id}@boardsite.hospital.example>"
    assert smtp.message_ids_by_recipient() == {"oncologist@hospital.example": [expected]}

    assert claim_all(ahead=dt.timedelta(seconds=61)) == [reminder.pk]
    assert reminder_deliver(reminder_id=reminder.pk) == "sent"
    # The retry is the same message: a receiving system drops the second copy by its
    # Message-ID (RFC 5322 3.6.4), so the recipient sees it once.
    assert smtp.message_ids_by_recipient() == {
        "oncologist@hospital.example": [expected, expected]}
    [copy] = Delivery.objects.filter(reminder=reminder)
    assert (copy.status, copy.attempts) == (DeliveryStatus.SENT, 2)


def test_a_copy_left_in_flight_by_a_dead_worker_waits_for_the_retry(
        settings, board, oncologist, patient):
    settings.REMINDERS_CLAIM_TIMEOUT_SECONDS = 600
    settings.REMINDERS_RETRY_BASE_SECONDS = 60
    now = timezone.now()
    in_flight, untouched = (Reminder.objects.create(
        kind=ReminderKind.IMAGING_REASSESSMENT, board=board, patient=patient,
        responsible_user=oncologist, title="Imaging re-assessment", due_on=now.date(),
        due_at=now, next_attempt_at=now, idempotency_key=f"dead:{n}",
        status=ReminderStatus.CLAIMED, claimed_at=now - dt.timedelta(seconds=601))
        for n in range(2))
    copy = Delivery.objects.create(reminder=in_flight, address=oncologist.email,
                                   status=DeliveryStatus.SENDING, attempts=1,
                                   sending_since=now - dt.timedelta(seconds=601))
    assert delivery.reminders_reclaim_stale(now=now) == 2
    copy.refresh_from_db()
    assert (copy.status, copy.attempts, copy.last_error) == (
        DeliveryStatus.PENDING, 1, delivery.MAYBE_DELIVERED)
    in_flight.refresh_from_db()
    untouched.refresh_from_db()
    # Maybe delivered: the normal retry delay, not at once; nothing in flight: at once.
    assert (in_flight.status, in_flight.next_attempt_at) == (
        ReminderStatus.PENDING, now + dt.timedelta(seconds=60))
    assert (untouched.status, untouched.next_attempt_at, untouched.last_error) == (
        ReminderStatus.PENDING, now, delivery.CLAIM_EXPIRED)


def test_a_batch_past_its_time_leaves_the_rest_pending_untried(
        smtp, settings, board, oncologist, patient):
    settings.REMINDERS_CLAIM_TIMEOUT_SECONDS = 1  # a batch may start messages for 0.5 s
    now = timezone.now() - dt.timedelta(minutes=1)
    first, second = (Reminder.objects.create(
        kind=ReminderKind.IMAGING_REASSESSMENT, board=board, patient=patient,
        responsible_user=oncologist, title="Imaging re-assessment", due_on=now.date(),
        due_at=now, next_attempt_at=now, idempotency_key=f"late:{n}") for n in range(2))
    smtp.slow_reply_once = 0.8  # the first message's "250" comes after the deadline
    claim_all(ahead=dt.timedelta(0))
    before = timezone.now()
    assert delivery.reminders_deliver(reminder_ids=[first.pk, second.pk]) == {
        first.pk: "sent", second.pk: "retry"}
    [copy] = Delivery.objects.filter(reminder=second)
    assert (copy.status, copy.attempts, copy.last_error) == (DeliveryStatus.PENDING, 0, "")
    second.refresh_from_db()
    assert second.status == ReminderStatus.PENDING
    assert before <= second.next_attempt_at <= timezone.now()  # due again at once
    assert [m["X-Boardsite-Reminder"] for m in smtp.messages] == [str(first.public_id)]
