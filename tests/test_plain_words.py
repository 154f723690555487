"""People read words: no page, print view, letter, minutes or email of the demo cohort
shows a raw key, enum value or fact path (``mri_whole_spine``,
``lesions.0.bone_scan_uptake``).

Every page a board member opens for the demo cohort (meetings, agendas, print, case
reviews, decisions, patients, the rules catalogue, reminders, letters, minutes) and
every reminder email it would send is rendered (letters and minutes as PDF too), and
its visible text — tags, attributes, scripts and URLs removed — is searched for
snake_case tokens and ``lesions.N.`` paths.
"""

from __future__ import annotations

import html
import io
import re
from html.parser import HTMLParser
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from pypdf import PdfReader

from boardsite.accounts_testing import verified_login
from cases import documents
from cases.choices import MeetingStatus
from cases.models import AgendaItem, Decision, Meeting, Patient
from reminders.models import Reminder

pytestmark = pytest.mark.django_db

#: A snake_case token (``mri_whole_spine``, ``zoledronic_acid``) or a list path.
RAW = re.compile(
    r"\b[a-z0-9]+_[a-z0-9_]+\b|\blesions\.\d+\."
    r"|\b(?:labs|patient|primary|pain|neurology|dental|extraskeletal|imaging)\.[a-z]"
)
#: URLs and site paths (a path starts a token: "mmol/L" is a unit, not a path).
_URL = re.compile(r"https?://\S+|(?<!\S)/[\w\-./?=&%]*")


class _Text(HTMLParser):
    """Visible text only: no tags, attributes, scripts, styles."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible_text(markup: str) -> str:
    parser = _Text()
    parser.feed(markup)
    return _URL.sub(" ", html.unescape(" ".join(parser.parts)))


def raw_keys(text: str) -> list[str]:
    return sorted(set(RAW.findall(_URL.sub(" ", text))))


def test_the_pattern_catches_what_it_must_and_spares_urls_and_attributes():
    page = ('<p class="badge_x" data-field="lesions.0.painful">Modality: mri_whole_spine; '
            'see https://x.example/a_b and lesions.0.bone_scan_uptake</p>'
            '<script>var a_b = 1;</script><p>8 Gy in 1 fraction (SC.24)</p>')
    assert raw_keys(visible_text(page)) == ["bone_scan_uptake", "lesions.0.", "mri_whole_spine"]
    assert raw_keys("Missing: labs.creatinine - needed for the dose") == ["labs.c"]
    assert raw_keys(visible_text("<p>Zoledronic acid 4 mg, CrCl 73 mL/min</p>")) == []


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo_data", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def _pages(boards: set[int]) -> list[str]:
    urls = [reverse("cases:meeting_list"), reverse("cases:patient_search"),
            reverse("recommendations:rules"), reverse("reminders:mine"),
            reverse("reminders:board")]
    for meeting in Meeting.objects.filter(board__in=boards):
        urls += [reverse("cases:agenda", args=[meeting.pk]),
                 reverse("cases:agenda_print", args=[meeting.pk])]
    for item in AgendaItem.objects.filter(meeting__board__in=boards):
        urls += [reverse("cases:case_review", args=[item.pk]),
                 reverse("cases:decision", args=[item.pk])]
    for patient in Patient.objects.filter(board__in=boards):
        urls += [reverse("cases:patient_detail", args=[patient.pk]),
                 reverse("reminders:patient_history", args=[patient.pk])]
    for reminder in Reminder.objects.filter(board__in=boards):
        urls.append(reverse("reminders:detail", args=[reminder.public_id]))
    # After the meeting: both letters of every signed version, the minutes of each held
    # meeting (their PDFs: test_no_letter_or_minutes_pdf_of_the_demo_cohort_shows_a_raw_key).
    for decision in Decision.objects.filter(agenda_item__meeting__board__in=boards,
                                            signed_at__isnull=False):
        urls += [reverse("cases:decision_letter", args=[decision.pk, audience])
                 for audience in ("gp", "patient")]
    for meeting in Meeting.objects.filter(board__in=boards, status=MeetingStatus.HELD):
        urls.append(reverse("cases:minutes", args=[meeting.pk]))
    return urls


def test_no_page_of_the_demo_cohort_shows_a_raw_key(demo, client):
    found: dict[str, list[str]] = {}
    users = get_user_model().objects.filter(is_active=True, board_memberships__isnull=False)
    assert users.exists()
    # One member of each board sees that board's pages (and the shared ones).
    seen_boards: set[int] = set()
    checked = 0
    for user in users.distinct().order_by("pk"):
        boards = set(user.board_memberships.values_list("board_id", flat=True))
        if boards <= seen_boards:
            continue
        seen_boards |= boards
        verified_login(client, user)
        for url in _pages(boards):
            response = client.get(url)
            assert response.status_code == 200, url
            checked += 1
            bad = raw_keys(visible_text(response.content.decode()))
            if bad:
                found[url] = bad
    assert checked > 100
    assert not found, "\n".join(f"{url}: {bad}" for url, bad in found.items())


def _pdf_text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_no_letter_or_minutes_pdf_of_the_demo_cohort_shows_a_raw_key(demo):
    found: dict[str, list[str]] = {}
    decisions = Decision.objects.filter(signed_at__isnull=False).order_by("pk")
    assert decisions.count() >= 5
    for decision in decisions:
        for letter in documents.letters_for_decision(decision=decision):
            bad = raw_keys(_pdf_text(bytes(letter.pdf)))
            if bad:
                found[f"decision {decision.pk} {letter.audience}"] = bad
    held = Meeting.objects.filter(status=MeetingStatus.HELD)
    assert held.exists()
    for meeting in held:
        body = documents.minutes_body(documents.minutes_of(meeting=meeting))
        bad = raw_keys(_pdf_text(documents.render_pdf(body, title="Minutes")[0]))
        if bad:
            found[f"minutes {meeting.pk}"] = bad
    assert not found, found


# Every email of the demo cohort is checked for raw keys (and identifiers and diagnosis
# words) in reminders/tests/test_emails.py, with the emails built as they are sent.
