"""Emails people can act on (issue 15, item 5): the agenda email says which meeting,
how many cases and how many urgent, and links to the agenda; a missing-data request
names the case as the agenda numbers it ("Case 3"), never by a database key. Sent
through the real SMTP server like every other delivery test."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from cases.models import AgendaItem
from cases.services import meeting_create
from cases.tests.factories import AgendaItemFactory, PatientFactory, PrimaryCancerFactory
from recommendations.models import DraftPlan
from reminders.choices import ReminderKind
from reminders.delivery import reminder_deliver
from reminders.models import Reminder
from reminders.services import meeting_preparation_schedule
from reminders.tests.test_delivery import claim_all, identifiers_of, smtp  # noqa: F401

SITE = "https://boardsite.hospital.example"


def _text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")


def _agenda(board, oncologist):
    starts = timezone.localtime(timezone.now() + dt.timedelta(days=4)).replace(
        hour=16, minute=0, second=0, microsecond=0)
    meeting = meeting_create(board=board, starts_at=starts)
    patients = [PatientFactory(board=board) for _ in range(3)]
    for patient in patients:
        PrimaryCancerFactory(patient=patient)
    items = [AgendaItemFactory(meeting=meeting, patient=patient, position=n,
                               presenting_clinician=oncologist)
             for n, patient in enumerate(patients, start=1)]
    # Case 1 on the agenda is the urgent one, whatever its stored position.
    AgendaItem.objects.filter(pk=items[2].pk).update(urgent=True)
    return meeting, items, starts


def test_the_agenda_email_lists_the_meeting_the_cases_and_links_to_the_agenda(
        smtp, board, chair, coordinator, oncologist):  # noqa: F811
    meeting, items, starts = _agenda(board, oncologist)
    meeting_preparation_schedule(meeting=meeting)
    agenda = Reminder.objects.filter(kind=ReminderKind.AGENDA_CIRCULATION).first()
    claim_all()
    assert reminder_deliver(reminder_id=agenda.pk) == "sent"
    [message] = [m for m in smtp.messages if m["X-Boardsite-Reminder"] == str(agenda.public_id)]
    text = _text(message)
    assert message["Subject"] == f"Boardsite: Agenda of the board meeting - {starts:%Y-%m-%d} 16:00"
    assert f"Board meeting: {starts:%Y-%m-%d} 16:00 (90 minutes)\n" in text
    assert "Cases on the agenda: 3, of which urgent: 1\n" in text
    assert SITE + reverse("cases:agenda", args=[meeting.pk]) in text
    assert "snooze" not in text.lower()  # an invitation, not a to-do
    for item in items:
        for identifier in identifiers_of(item.patient):
            assert identifier not in text and identifier not in message.get_body(
                preferencelist=("html",)).get_content(), identifier


def test_a_missing_data_request_names_the_case_as_the_agenda_numbers_it(
        smtp, board, chair, coordinator, oncologist):  # noqa: F811
    meeting, items, _starts = _agenda(board, oncologist)
    # The second stored case is "Case 3" on the agenda: the urgent one goes first.
    asked = items[1]
    DraftPlan.objects.create(
        agenda_item=asked, patient=asked.patient, engine_version="t",
        as_of=dt.date(2030, 1, 1), facts={}, facts_sha256="0" * 64, missing_count=1,
        output={"missing_data": [{"field": "patient.weight_kg", "supplied_by": "nursing",
                                  "why": "Needed for creatinine clearance."}]})
    meeting_preparation_schedule(meeting=meeting)
    request = Reminder.objects.get(kind=ReminderKind.MISSING_DATA_REQUEST,
                                   idempotency_key__endswith=":built")
    claim_all()
    assert reminder_deliver(reminder_id=request.pk) == "sent"
    [message] = [m for m in smtp.messages
                 if m["X-Boardsite-Reminder"] == str(request.public_id)]
    text = _text(message)
    assert "Missing data for Case 3 on the next board meeting's agenda" in message["Subject"]
    assert "- Nursing: 1\n" in text
    assert f"The case on the agenda (Case 3):\n{SITE}/meetings/{meeting.pk}/#case-3\n" in text
    assert f"#{asked.pk}" not in text and "weight" not in text.lower()
