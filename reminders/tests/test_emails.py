"""The hand-built wire format of a reminder (`emails.wire_bytes`) says exactly what
Django's MIME route would say, and anything it does not handle goes through Django."""

from __future__ import annotations

import email
import email.policy
import re
from email.utils import make_msgid

import pytest

from reminders import emails

BODY = "Serum creatinine and calcium are due.\n\nOpen: https://boardsite.example/r/1/\n"
HTML = "<p>Serum creatinine and calcium are due.</p>\n<p><a href=\"https://b/\">Open</a></p>\n"


def reminder_email(**changes) -> emails.ReminderEmail:
    fields = {
        "subject": "Boardsite: Serum creatinine and calcium before zoledronic acid dose 1 "
                   "of 6 - due 2030-01-17",
        "body": BODY,
        "from_email": "Boardsite <boardsite@hospital.example>",
        "to": ["oncologist@hospital.example"],
        "headers": {
            "Message-ID": make_msgid(idstring="reminder.0f1e.0", domain="boardsite"),
            "X-Boardsite-Reminder": "0f1e2d3c-0000-4000-8000-000000000000",
            "Auto-Submitted": "auto-generated",
        },
    }
    html = changes.pop("html", HTML)
    fields.update(changes)
    message = emails.ReminderEmail(**fields)
    message.attach_alternative(html, "text/html")
    return message


def parsed(raw: bytes):
    return email.message_from_bytes(raw, policy=email.policy.default)


def described(message) -> dict:
    """What a mail client sees: unfolded headers (without the ones that differ per
    call) and each part's type, charset, transfer encoding and decoded text."""
    headers = {k: str(v) for k, v in message.items() if k not in {"Date", "Content-Type"}}
    parts = [(p.get_content_type(), p.get_content_charset(), p["Content-Transfer-Encoding"],
              p.get_content()) for p in message.walk() if not p.is_multipart()]
    return {"headers": headers, "type": message.get_content_type(), "parts": parts,
            "dated": message["Date"] is not None}


@pytest.mark.parametrize("changes", [
    {},
    {"body": BODY + "Planned for: 2030-01-20 \u2013 dose 1 of 6\n"},  # 8-bit body
    {"to": ["a@hospital.example", "b.c@hospital.example"]},
    {"subject": "Boardsite: " + "very " * 30 + "long"},
])
def test_the_wire_format_says_what_django_would(changes):
    message = reminder_email(**changes)
    wire = emails.wire_bytes(message)
    assert wire is not None
    django_raw = message.message().as_bytes(linesep="\r\n")
    assert described(parsed(wire)) == described(parsed(django_raw))
    for line in wire.split(b"\r\n"):
        # Header lines stay within 78 characters unless a single word is longer.
        assert len(line) <= 998
    header_block = wire.split(b"\r\n\r\n", 1)[0].decode()
    assert all(len(line) <= 78 or " " not in line.strip()
               for line in header_block.split("\r\n"))
    assert b"\n" not in wire.replace(b"\r\n", b"")


@pytest.mark.parametrize("changes", [
    {"subject": "Boardsite: Dose 1 \u2013 due 2030-01-17"},        # non-ASCII header
    {"from_email": "Boardsite (St. Mary's) <b@hospital.example>"},  # needs quoting
    {"to": ["Dr Smith <smith@hospital.example>"]},
    {"body": "x" * 1200},                                           # line too long
    {"subject": "two  spaces"},
])
def test_anything_else_goes_through_django(changes):
    assert emails.wire_bytes(reminder_email(**changes)) is None


def test_a_header_django_would_merge_goes_through_django():
    message = reminder_email()
    message.extra_headers["To"] = "someone@hospital.example"
    assert emails.wire_bytes(message) is None


def test_attachments_go_through_django():
    message = reminder_email()
    message.attach("meeting.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    assert emails.wire_bytes(message) is None


def test_each_message_has_its_own_boundary():
    first, second = (emails.wire_bytes(reminder_email()) for _ in range(2))
    boundary = re.compile(rb'boundary="([^"]+)"')
    assert boundary.search(first).group(1) != boundary.search(second).group(1)
