"""Reminder emails: built from templates, free of patient identifiers, sent over one
SMTP connection per worker process.

An email says what is due and when, and links to the reminder by its opaque public ID
(`settings.SITE_URL`); the name, hospital number, date of birth and diagnosis stay
behind the login. `build_message` checks the finished subject and bodies against the
patient's identifiers and refuses to send rather than leak (the row is marked failed
and coordinators see it).
"""

from __future__ import annotations

import functools
import re
import secrets
import threading
import uuid
from dataclasses import dataclass
from datetime import timedelta
from email.utils import make_msgid

import icalendar
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse

from cases.choices import PrimarySite
from recommendations import vocabulary
from reminders.choices import ReminderKind


class NothingToSend(Exception):  # noqa: N818 — an outcome, not an error
    """The reminder no longer asks for anything (e.g. the case became ready)."""


class CannotSend(Exception):  # noqa: N818
    """A permanent reason this reminder cannot be emailed (no recipient, would leak)."""


class ReminderEmail(EmailMultiAlternatives):
    """Django's message with its multipart boundaries chosen up front: left unset, the
    email generator draws one per multipart and compiles a fresh regular expression
    to check the text against it — ≈ 20 % of the MIME cost of a reminder. 128 random
    bits cannot occur in the text by chance."""

    def message(self):
        msg = super().message()
        for part in msg.walk():
            if part.is_multipart() and part.get_boundary() is None:
                part.set_boundary(f"===============boardsite{secrets.token_hex(16)}==")
        return msg


@dataclass
class PreparedMessage:
    message: EmailMultiAlternatives
    reminder_id: int


def reminder_url(reminder) -> str:
    return settings.SITE_URL + _detail_path(get_script_prefix()).replace(
        str(_NO_REMINDER), str(reminder.public_id))


_NO_REMINDER = uuid.UUID(int=0)


@functools.cache
def _detail_path(script_prefix: str) -> str:
    """The path of a reminder's page with a placeholder ID: `reverse()` once per
    prefix, not once per email (≈ 0.04 ms of CPU each)."""
    return reverse("reminders:detail", args=[_NO_REMINDER])


def recipients_for(reminder) -> list[str]:
    if reminder.responsible_user_id:
        email = reminder.responsible_user.email
        return [email] if email else []
    from cases.models import BoardMembership

    return sorted({
        seat.user.email
        for seat in BoardMembership.objects.filter(
            board_id=reminder.board_id, role=reminder.responsible_role
        ).select_related("user")
        if seat.user.email and seat.user.is_active
    })


# --- The identifier guard -----------------------------------------------------------------

def patient_identifiers(patient, *, strong_only: bool = False) -> list[str]:
    """Strings that must never appear in an email about this patient.

    The strong ones (hospital number, full name, date of birth, histology) are checked
    against the whole message; the weak ones (a surname or first name on its own, the
    primary site) only against text that did not come from our own templates — "Mark
    as done" must not be refused because a patient is called Mark.
    """
    if patient is None:
        return []
    found = [patient.hospital_number, f"{patient.given_name} {patient.family_name}",
             f"{patient.family_name}, {patient.given_name}"]
    dob = patient.date_of_birth
    if dob:
        found += [dob.isoformat(), dob.strftime("%d/%m/%Y"), dob.strftime("%d.%m.%Y"),
                  dob.strftime("%d-%m-%Y"), dob.strftime("%m/%d/%Y"), dob.strftime("%Y%m%d")]
    primary = patient.primary if _has_primary(patient) else None
    if primary is not None and primary.histology:
        found.append(primary.histology)
    if not strong_only:
        found += [patient.family_name, patient.given_name]
        if primary is not None and primary.site and primary.site != PrimarySite.OTHER:
            found += [PrimarySite(primary.site).label, primary.site]
    return [s for s in found if s and len(s.strip()) >= 3]


def _has_primary(patient) -> bool:
    from cases.models import PrimaryCancer

    try:
        return patient.primary is not None
    except PrimaryCancer.DoesNotExist:
        return False


def contains_identifier(text: str, identifiers: list[str]) -> bool:
    """Whether any identifier occurs in `text` as a whole word, ignoring case. One
    pattern with every identifier as an alternative: one scan of the message instead
    of one per identifier (an alternative that fails its word boundary backtracks to
    the next, so this matches exactly when one of the separate searches would)."""
    if not identifiers:
        return False
    alternatives = "|".join(re.escape(ident) for ident in identifiers)
    return re.search(rf"(?<![\w])(?:{alternatives})(?![\w])", text, re.IGNORECASE) is not None


# --- Building -------------------------------------------------------------------------------

def _missing_lines(reminder, identifiers: list[str]) -> list[str]:
    """The current draft's missing-data list for the case, read now (not when the
    reminder was scheduled). Lines that would carry an identifier are summarised."""
    from recommendations.selectors import current_drafts

    draft = current_drafts(agenda_item_ids=[reminder.agenda_item_id]).get(
        reminder.agenda_item_id
    )
    entries = list((draft.output or {}).get("missing_data") or []) if draft else []
    if draft is None or (draft.missing_count == 0 and not entries):
        raise NothingToSend("The case is ready: nothing is missing any more.")
    lines, withheld = [], 0
    for entry in entries:
        if isinstance(entry, dict):
            # Words, never the engine's fact path (`recommendations.vocabulary`).
            line = vocabulary.field_label(str(entry.get("field", "")))
            line = line[:1].upper() + line[1:]
            who = vocabulary.SUPPLIER_LABELS.get(str(entry.get("supplied_by") or ""), "")
            why = vocabulary.plain_text(str(entry.get("why", "")).strip())
            line = f"{line} (ask {who})" if who else line
            line = f"{line} - {why}" if why else line
        else:
            line = str(entry)
        if not line or contains_identifier(line, identifiers):
            withheld += 1
            continue
        lines.append(line)
    if withheld:
        lines.append(f"{withheld} further item(s): see the case page.")
    if not lines:
        lines.append(f"{draft.missing_count} item(s): see the case page.")
    return lines


def _calendar(reminder, to: list[str]) -> bytes:
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
    event.add("summary", f"{meeting.board.name} meeting")
    if meeting.location:
        event.add("location", meeting.location)
    event.add("url", reminder_url(reminder))
    event.add("description", f"Agenda and cases: {reminder_url(reminder)}")
    organizer = icalendar.vCalAddress(f"mailto:{_address_of(settings.DEFAULT_FROM_EMAIL)}")
    organizer.params["cn"] = "Boardsite"
    event["organizer"] = organizer
    for address in to:
        attendee = icalendar.vCalAddress(f"mailto:{address}")
        attendee.params["role"] = "REQ-PARTICIPANT"
        attendee.params["rsvp"] = "TRUE"
        event.add("attendee", attendee, encode=0)
    cal.add_component(event)
    return cal.to_ical()


def build_message(*, reminder) -> PreparedMessage:
    to = recipients_for(reminder)
    if not to:
        raise CannotSend("No recipient with an email address (set one, then retry).")
    identifiers = patient_identifiers(reminder.patient)
    context = {
        "reminder": reminder,
        "kind_label": ReminderKind(reminder.kind).label,
        "url": reminder_url(reminder),
        "due_on": reminder.due_on.isoformat(),
        "event_on": reminder.event_on.isoformat() if reminder.event_on else "",
        "missing": [],
        "meeting_starts": "",
        "case_ref": f"case #{reminder.agenda_item_id}" if reminder.agenda_item_id else "",
    }
    if reminder.kind == ReminderKind.MISSING_DATA_REQUEST:
        context["missing"] = _missing_lines(reminder, identifiers)
    if reminder.meeting_id:
        from reminders.services import clinic_zone

        context["meeting_starts"] = reminder.meeting.starts_at.astimezone(
            clinic_zone()
        ).strftime("%Y-%m-%d %H:%M")
        context["meeting_location"] = reminder.meeting.location
    # ASCII punctuation: a header that needs no RFC 2047 encoding costs far less CPU.
    subject = f"Boardsite: {reminder.title} - due {context['due_on']}"
    text = render_to_string("reminders/email/reminder.txt", context)
    html = render_to_string("reminders/email/reminder.html", context)
    strong = patient_identifiers(reminder.patient, strong_only=True)
    if contains_identifier(" ".join((subject, text, html)), strong):
        raise CannotSend("The message would contain a patient identifier; not sent.")
    message = ReminderEmail(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=to,
        headers={
            "Message-ID": make_msgid(
                idstring=f"reminder.{reminder.public_id}.{reminder.sent_count}",
                domain="boardsite",
            ),
            "X-Boardsite-Reminder": str(reminder.public_id),
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    if reminder.kind == ReminderKind.AGENDA_CIRCULATION:
        message.attach("meeting.ics", _calendar(reminder, to),
                       "text/calendar; method=REQUEST; charset=utf-8")
    return PreparedMessage(message=message, reminder_id=reminder.pk)


def warm_up() -> None:
    """Load once what every message needs: the URL map (its first `reverse()` imports
    every app's urls — ≈ 1–2 s of CPU — and builds the reverse index) and the compiled
    templates (the cached loader). The Celery worker calls this before it forks its
    pool (`boardsite/celery.py`), so no pool process pays for it on its first task."""
    from django.template.loader import get_template

    _detail_path(get_script_prefix())
    for name in ("reminders/email/reminder.txt", "reminders/email/reminder.html"):
        get_template(name)


# --- Sending: one SMTP connection per worker process ------------------------------------

_local = threading.local()


def _connection():
    connection = getattr(_local, "connection", None)
    if connection is None:
        connection = get_connection(fail_silently=False)
        connection.open()
        _local.connection = connection
    return connection


def close_connection() -> None:
    connection = getattr(_local, "connection", None)
    _local.connection = None
    if connection is not None:
        try:
            connection.close()
        except Exception:  # noqa: BLE001, S110 — closing a broken connection may fail
            pass


def send(prepared: PreparedMessage) -> None:
    """Send over the process's open connection (opening one if needed). A connection
    the server closed while idle is reopened once; any other error closes it (the next
    send starts clean) and propagates for the caller to classify."""
    import smtplib

    try:
        try:
            _send_once(prepared.message)
        except smtplib.SMTPServerDisconnected:
            close_connection()
            _send_once(prepared.message)
    except BaseException:
        close_connection()
        raise


def _send_once(message: EmailMultiAlternatives) -> None:
    backend = _connection()
    wire = wire_bytes(message) if isinstance(backend, SMTPBackend) else None
    if wire is None:  # anything unusual, or a test backend: Django's own MIME path
        backend.send_messages([message])
        return
    # What Django's SMTP backend does with the bytes of `message.message()`; smtplib
    # raises the same exceptions either way (refused recipients, 4xx/5xx, disconnects).
    # Addresses already in <angle brackets> are used as they are (smtplib would parse
    # each with the email package to add them).
    backend.connection.sendmail(f"<{_address_of(message.from_email)}>",
                                [f"<{to}>" for to in message.to], wire)


# --- The wire format of a reminder, built by hand ---------------------------------------
#
# Django's route to the bytes of a message (MIME objects, `sanitize_address`, the email
# package's generator and header folding) cost ≈ 0.7 ms of CPU per reminder — half of a
# whole delivery (bench/reminders_delivery.py). A reminder is always the same shape: a
# few ASCII headers and a multipart/alternative of a text and an HTML part in UTF-8.
# `wire_bytes` writes exactly that shape and returns None for anything else (an
# attachment, a non-ASCII header, a line too long, an address that needs quoting), which
# then goes through Django. `test_emails` checks that both give the same message.

_HEADER_LIMIT = 78  # RFC 5322: lines SHOULD be at most 78 characters …
_LINE_LIMIT = 998  # … and MUST be at most 998.
#: Extra headers written as they are (besides any X-… header).
_OWN_HEADERS = frozenset({"message-id", "date", "auto-submitted", "from"})
_ADDRESS = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9.-]+")


def _fold(name: str, value: str) -> str | None:
    """`Name: value` folded at single spaces into lines of at most 78 characters
    (continuation lines start with the space; a word too long for a line, such as a
    Message-ID, gets a continuation line of its own, as the email package writes it),
    or None if runs of spaces would leave a blank continuation line or a line would
    pass 998 characters."""
    if "  " in value:
        return None
    lines, line = [], f"{name}:"
    for word in value.split(" "):
        if len(line) + 1 + len(word) > _HEADER_LIMIT:
            lines.append(line)
            line = ""
        line += " " + word
        if len(line) > _LINE_LIMIT:
            return None
    lines.append(line)
    return "\r\n".join(lines)


@functools.cache
def _address_of(header: str) -> str:
    """"Name <a@b>" → "a@b" (worked out once per sender)."""
    from email.utils import parseaddr

    return parseaddr(header)[1]


@functools.cache
def _plain_address_header(value: str) -> bool:
    """True if Django would write this From header unchanged (no quoting or encoding
    needed); the answer is the same for every message, so it is worked out once."""
    from django.core.mail.message import sanitize_address

    return value.isascii() and sanitize_address(value, "utf-8") == value


def _part(content_type: str, text: str, boundary: str) -> str | None:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if boundary in text or any(len(line) > _LINE_LIMIT for line in text.split("\n")):
        return None
    encoding = "7bit" if text.isascii() else "8bit"
    return (f'Content-Type: {content_type}; charset="utf-8"\r\nMIME-Version: 1.0\r\n'
            f"Content-Transfer-Encoding: {encoding}\r\n\r\n"
            + text.replace("\n", "\r\n"))


def wire_bytes(message: EmailMultiAlternatives) -> bytes | None:
    """The message as Django would send it (same headers, same parts), or None when it
    is not the plain two-part reminder this writes."""
    from email.utils import formatdate

    if (message.attachments or message.cc or message.bcc or message.reply_to
            or message.content_subtype != "plain" or message.mixed_subtype != "mixed"
            or len(message.alternatives) != 1 or message.alternatives[0][1] != "text/html"
            or message.encoding not in (None, "utf-8")):
        return None
    from_header = message.extra_headers.get("From", message.from_email)
    if not _plain_address_header(from_header) or not all(
            _ADDRESS.fullmatch(address) for address in message.to):
        return None
    headers = {"Subject": message.subject, "From": from_header,
               "To": ", ".join(message.to)}
    lower = {name.lower() for name in message.extra_headers}
    if any(name not in _OWN_HEADERS and not name.startswith("x-") for name in lower):
        return None  # a header Django would merge with its own (To, Cc, …): its route
    if "date" not in lower:
        headers["Date"] = formatdate(localtime=settings.EMAIL_USE_LOCALTIME)
    if "message-id" not in lower:
        return None  # reminders set their own; Django's default needs DNS_NAME
    headers.update((k, v) for k, v in message.extra_headers.items() if k.lower() != "from")
    boundary = f"===============boardsite{secrets.token_hex(16)}=="
    lines = [f'Content-Type: multipart/alternative;\r\n boundary="{boundary}"',
             "MIME-Version: 1.0"]
    for name, value in headers.items():
        value = str(value)
        if not value.isascii() or "\n" in value or "\r" in value:
            return None
        folded = _fold(name, value)
        if folded is None:
            return None
        lines.append(folded)
    text = _part("text/plain", message.body, boundary)
    html = _part("text/html", message.alternatives[0][0], boundary)
    if text is None or html is None:
        return None
    wire = ("\r\n".join(lines) + f"\r\n\r\n--{boundary}\r\n{text}\r\n--{boundary}\r\n"
            f"{html}\r\n--{boundary}--\r\n")
    return wire.encode("utf-8")
