"""Reminder emails, built only from a fixed vocabulary.

An email is made of phrases from the closed tables below (one per reminder kind, one per
kind of person who supplies missing data), dates, and an opaque link to the reminder
(`settings.SITE_URL` + its public UUID). Nothing typed into the record reaches it: not
the reminder's title or detail (which the scheduler writes from the plan), not the
engine's missing-data explanations (which name diagnoses: "prior mCRPC lines … radium-223"),
not the board's name or the meeting's location. The templates receive only these
values, so they cannot reach anything else. The name, hospital number, diagnosis and the
plan itself stay behind the login.

Sending is not done here: `reminders.delivery` builds one message per recipient with
`build_message` and sends them with Django's SMTP backend.
"""

from __future__ import annotations

import functools
import secrets
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from email.utils import parseaddr
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import get_template, render_to_string
from django.urls import NoReverseMatch, get_script_prefix, reverse

from recommendations import vocabulary
from reminders.choices import ReminderKind


class NothingToSend(Exception):  # noqa: N818 — an outcome, not an error
    """The reminder no longer asks for anything (e.g. the case became ready)."""


class CannotSend(Exception):  # noqa: N818
    """A permanent reason this reminder cannot be emailed (no recipient address)."""


# --- The vocabulary -------------------------------------------------------------------------
#
# Drugs are named only where they say nothing about the primary cancer: zoledronic acid
# and denosumab are given for bone metastases of any primary; radium-223 is licensed only
# for castration-resistant prostate cancer, so its reminder says "radionuclide".

#: What is due, per kind: (the subject's phrase, one sentence of what to do).
KIND_PHRASES: dict[str, tuple[str, str]] = {
    ReminderKind.RENAL_BEFORE_ZOLEDRONIC: (
        "Serum creatinine and calcium before the next zoledronic acid dose",
        "Check serum creatinine and calcium before the dose is given.",
    ),
    ReminderKind.DENTAL_BEFORE_BTA: (
        "Dental examination before the first dose of a bone-targeted agent",
        "Arrange a dental examination before the first dose.",
    ),
    ReminderKind.CALCIUM_DENOSUMAB: (
        "Serum calcium check on denosumab",
        "Check serum calcium.",
    ),
    ReminderKind.FBC_BEFORE_RADIUM: (
        "Full blood count before the next radionuclide dose",
        "Check a full blood count before the dose is given.",
    ),
    ReminderKind.PAIN_REVIEW_AFTER_RT: (
        "Pain-response review after radiotherapy",
        "Review the pain response to the radiotherapy.",
    ),
    ReminderKind.IMAGING_REASSESSMENT: (
        "Imaging re-assessment",
        "Arrange the re-assessment imaging; an early apparent progression may be a flare.",
    ),
    ReminderKind.AFF_QUESTION: (
        "Ask about new thigh, hip or groin pain at the review visit",
        "New pain: image both femora for an atypical femoral fracture.",
    ),
    # The board's own actions: no drug, test or region named (any of them could hint at
    # the diagnosis); the reminder's page behind the login says which.
    ReminderKind.IMAGING_DUE: (
        "Imaging due",
        "Arrange the imaging the board asked for; the details are on Boardsite.",
    ),
    ReminderKind.LAB_DUE: (
        "Blood test due",
        "Arrange the blood test the board asked for; the details are on Boardsite.",
    ),
    ReminderKind.REVIEW_DUE: (
        "Clinical review due",
        "Review the patient as the board asked; the details are on Boardsite.",
    ),
    ReminderKind.PROCEDURE_DUE: (
        "Procedure or referral due",
        "Check that the procedure or referral the board asked for has happened.",
    ),
    ReminderKind.WITHHOLD_RECHECK: (
        "Recheck while a medicine is withheld",
        "Do the recheck the board asked for while the medicine is withheld.",
    ),
    ReminderKind.RESUME_REVIEW: (
        "Decide whether to resume a withheld medicine",
        "Review the recheck and decide whether the medicine can be resumed.",
    ),
    ReminderKind.AGENDA_CIRCULATION: (
        "Agenda of the board meeting",
        "The agenda is on Boardsite; a calendar invitation is attached.",
    ),
    ReminderKind.MISSING_DATA_REQUEST: (
        "Missing data for a case on the next board meeting",
        "Please supply the missing data on Boardsite before the meeting.",
    ),
}

#: Who usually supplies a missing fact (the engine's `supplied_by`, a closed set), in the
#: same words as the pages (`recommendations.vocabulary`): department names, no diagnosis.
SUPPLIER_PHRASES: dict[str, str] = vocabulary.SUPPLIER_LABELS
OTHER_SUPPLIER = "Other"


@dataclass(frozen=True)
class AgendaFacts:
    """What a meeting email may say of the agenda: counts and the case's number as the
    agenda page shows it ("Case 3": urgent first, then the running order) — never a
    database key, a name or a question (`reminders.delivery.agenda_facts`)."""

    cases: int
    urgent: int
    case_number: int | None = None


@dataclass(frozen=True)
class Content:
    subject: str
    text: str
    html: str


def reminder_url(reminder) -> str:
    return settings.SITE_URL + _detail_path(get_script_prefix()).replace(
        str(_NO_REMINDER), str(reminder.public_id))


_NO_REMINDER = uuid.UUID(int=0)


@functools.cache
def _detail_path(script_prefix: str) -> str:
    """The path of a reminder's page with a placeholder ID: `reverse()` once per
    prefix, not once per email."""
    return reverse("reminders:detail", args=[_NO_REMINDER])


def agenda_url(meeting_id: int, *, case_number: int | None = None) -> str:
    """The agenda page (sign-in required); "" when the pages are not installed."""
    try:
        path = reverse("cases:agenda", args=[meeting_id])
    except NoReverseMatch:
        return ""
    return settings.SITE_URL + path + (f"#case-{case_number}" if case_number else "")


def missing_by_supplier(draft) -> list[tuple[str, int]]:
    """The current draft's missing data as counts per kind of supplier, in the
    vocabulary's words (never the field or the engine's reason). Raises NothingToSend
    when nothing is missing any more."""
    entries = list((draft.output or {}).get("missing_data") or []) if draft else []
    if draft is None or (draft.missing_count == 0 and not entries):
        raise NothingToSend("The case is ready: nothing is missing any more.")
    counts: Counter[str] = Counter()
    for entry in entries:
        supplier = entry.get("supplied_by") if isinstance(entry, dict) else None
        counts[SUPPLIER_PHRASES.get(supplier, OTHER_SUPPLIER)] += 1
    if not counts:
        counts[OTHER_SUPPLIER] = int(draft.missing_count)
    order = [*SUPPLIER_PHRASES.values(), OTHER_SUPPLIER]
    return sorted(counts.items(), key=lambda pair: order.index(pair[0]))


def _meeting_starts(meeting) -> str:
    return meeting.starts_at.astimezone(ZoneInfo(settings.TIME_ZONE)).strftime(
        "%Y-%m-%d %H:%M")


def content(*, reminder, missing: list[tuple[str, int]] | None = None,
            agenda: AgendaFacts | None = None) -> Content:
    """Subject and bodies of a reminder's email: vocabulary, dates, counts, the case's
    number on the agenda and the links only."""
    phrase, advice = KIND_PHRASES[reminder.kind]
    is_agenda = reminder.kind == ReminderKind.AGENDA_CIRCULATION
    is_meeting = is_agenda or reminder.kind == ReminderKind.MISSING_DATA_REQUEST
    case_number = agenda.case_number if agenda and not is_agenda else None
    if case_number:
        phrase = f"Missing data for Case {case_number} on the next board meeting's agenda"
    context = {
        "phrase": phrase,
        "advice": advice,
        "url": reminder_url(reminder),
        "due_on": reminder.due_on.isoformat(),
        "event_on": reminder.event_on.isoformat() if reminder.event_on and not is_meeting
        else "",
        "meeting_starts": _meeting_starts(reminder.meeting) if reminder.meeting_id else "",
        "missing": missing or [],
        "is_agenda": is_agenda,
        "is_missing_request": reminder.kind == ReminderKind.MISSING_DATA_REQUEST,
        "agenda": agenda if is_meeting else None,
        "agenda_url": agenda_url(reminder.meeting_id, case_number=case_number)
        if is_meeting and reminder.meeting_id else "",
        "duration": reminder.meeting.duration_minutes if is_agenda and reminder.meeting_id
        else None,
    }
    # ASCII punctuation: a header that needs no RFC 2047 encoding costs far less CPU.
    subject = (f"Boardsite: {phrase} - {context['meeting_starts']}" if is_agenda
               and context["meeting_starts"] else f"Boardsite: {phrase} - due {context['due_on']}")
    return Content(subject=subject,
                   text=render_to_string("reminders/email/reminder.txt", context),
                   html=render_to_string("reminders/email/reminder.html", context))


def calendar(reminder, to: list[str]) -> bytes:
    """The meeting invitation: times, the link, the attendees — no board name or
    location (free text that can name a cancer: "Breast unit seminar room")."""
    meeting = reminder.meeting
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Boardsite//Board meeting//EN")
    cal.add("version", "2.0")
    cal.add("method", "REQUEST")
    event = icalendar.Event()
    # Stable per meeting: a re-sent invitation updates the same calendar entry.
    event.add("uid", f"meeting-{meeting.pk}@boardsite")
    event.add("sequence", 0)
    event.add("dtstamp", reminder.due_at)
    event.add("dtstart", meeting.starts_at)
    event.add("dtend", meeting.starts_at + timedelta(minutes=meeting.duration_minutes))
    event.add("summary", "Board meeting")
    event.add("url", reminder_url(reminder))
    event.add("description", f"Agenda, cases and place: {reminder_url(reminder)}")
    organizer = icalendar.vCalAddress(f"mailto:{sender_address()}")
    organizer.params["cn"] = "Boardsite"
    event["organizer"] = organizer
    for address in to:
        attendee = icalendar.vCalAddress(f"mailto:{address}")
        attendee.params["role"] = "REQ-PARTICIPANT"
        attendee.params["rsvp"] = "TRUE"
        event.add("attendee", attendee, encode=0)
    cal.add_component(event)
    return cal.to_ical()


@functools.cache
def sender_address() -> str:
    """The bare address of `DEFAULT_FROM_EMAIL` ("Name <a@b>" → "a@b")."""
    return parseaddr(settings.DEFAULT_FROM_EMAIL)[1]


@functools.cache
def message_id_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "boardsite"


def message_id(delivery_public_id) -> str:
    """One Message-ID per delivery row, the same on every attempt."""
    return f"<{delivery_public_id}@{message_id_domain()}>"


class ReminderEmail(EmailMultiAlternatives):
    """Django's message with its multipart boundaries chosen up front: left unset, the
    email generator draws one per multipart and compiles a fresh regular expression
    to check the text against it — ≈ 20 % of the MIME cost of a reminder. 128 random
    bits cannot occur in the text by chance."""

    def message(self, *args, **kwargs):
        msg = super().message(*args, **kwargs)
        for part in msg.walk():
            if part.is_multipart() and part.get_boundary() is None:
                part.set_boundary(f"===============boardsite{secrets.token_hex(16)}==")
        return msg


def build_message(*, reminder, body: Content, address: str, delivery_public_id
                  ) -> ReminderEmail:
    """One recipient's copy: Django's EmailMultiAlternatives (text + HTML, and the
    .ics for a meeting agenda) with the delivery's own Message-ID."""
    message = ReminderEmail(
        subject=body.subject, body=body.text, from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
        headers={
            "Message-ID": message_id(delivery_public_id),
            "X-Boardsite-Reminder": str(reminder.public_id),
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(body.html, "text/html")
    if reminder.kind == ReminderKind.AGENDA_CIRCULATION:
        message.attach("meeting.ics", calendar(reminder, [address]),
                       "text/calendar; method=REQUEST; charset=utf-8")
    return message


def warm_up() -> None:
    """Load once what every message needs: the URL map (its first `reverse()` imports
    every app's urls — ≈ 1–2 s of CPU) and the compiled templates (the cached loader).
    The Celery worker calls this before it forks its pool (`reminders.tasks`)."""
    _detail_path(get_script_prefix())
    for name in ("reminders/email/reminder.txt", "reminders/email/reminder.html"):
        get_template(name)
