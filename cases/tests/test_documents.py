"""Outcome letters and minutes (cases/documents.py): written from the SIGNED version's
typed actions only, stored and immutable, rendered to PDF, in plain words for the
patient, sent as a link.

Reading level of the patient's letter: a Flesch reading ease of at least 60 ("plain
English", Flesch 1948: 60–70 is read by 13–15-year-olds) and a Flesch–Kincaid grade of
at most 8. Patient materials are advised at grade 6–8 or below (NIH/NLM "How to write
easy-to-read health materials"; AMA, Weiss 2007), and the NHS content style guide
writes for a reading age of 9–11 (NHS digital service manual, "Health literacy"). Grade
8 is the bound of that range that a letter naming its medicines ("zoledronic acid")
and its scans can still meet; the ten demo letters score 74.8–78.8, grade 4.4–5.1.
"""

from __future__ import annotations

import html
import io
import re

import pytest
import textstat
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils.html import strip_tags
from pypdf import PdfReader

from cases import documents, services
from cases.actions import action_summary
from cases.choices import AgendaItemStatus, DocumentKind, LetterAudience
from cases.models import DocumentDispatch, OutcomeLetter
from cases.tests.documents_builders import draft_items, held_meeting_with_signed_decision
from cases.tests.views.builders import meeting_with_cases

pytestmark = pytest.mark.django_db


def pdf_text(pdf: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(pdf))
    return len(reader.pages), " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def visible_text(markup: str) -> str:
    return " ".join(html.unescape(strip_tags(markup)).split())


def _by_audience(letters):
    return {letter.audience: letter for letter in letters}


@pytest.fixture
def signed(board, chair, coordinator, spine_surgeon):
    return held_meeting_with_signed_decision(board, chair, others=2)


def test_the_letters_carry_exactly_the_signed_actions_not_an_unsigned_amendment(
        signed, chair):
    _meeting, decision = signed
    amendment = services.decision_amend(decision=decision, recorded_by=chair,
                                        reason="Renal function fell")
    services.decision_record(agenda_item=decision.agenda_item, recorded_by=chair,
                             items=draft_items(), outcome_summary="Denosumab instead.")
    letters = _by_audience(documents.letters_for_decision(decision=decision))
    signed_actions = [i.action for i in decision.items.order_by("position")
                      if i.action_kind]
    gp = visible_text(letters[LetterAudience.GP].html)
    rows = re.findall(r"<tr><td>(.*?)(?:<br>|</td>)", letters[LetterAudience.GP].html)
    assert rows == [action_summary(a) for a in signed_actions]
    assert "Start zoledronic acid (4 mg, intravenous, every 4 weeks, 6 doses" in gp
    assert "Radiotherapy 8 Gy in 1 fraction to T8" in gp
    assert "denosumab" not in gp.lower() and "20 Gy" not in gp
    assert "Surgical fixation" not in gp  # rejected: it asks for nothing
    assert "Denosumab instead" not in gp and "Radiotherapy and zoledronic acid." in gp
    patient = visible_text(letters[LetterAudience.PATIENT].html)
    assert "You will start zoledronic acid." in patient
    assert "denosumab" not in patient.lower()
    # Unsigned versions have no letters at all.
    with pytest.raises(ValidationError):
        documents.letters_for_decision(decision=amendment)


def test_a_signed_amendment_gets_new_letters_and_the_first_ones_stay(signed, chair):
    _meeting, decision = signed
    first = _by_audience(documents.letters_for_decision(decision=decision))
    amendment = services.decision_amend(decision=decision, recorded_by=chair,
                                        reason="Renal function fell")
    amendment = services.decision_record(agenda_item=decision.agenda_item, recorded_by=chair,
                                         items=draft_items(), outcome_summary="Denosumab.")
    services.decision_sign(decision=amendment, chair=chair)
    second = _by_audience(documents.letters_for_decision(decision=amendment))
    assert {letter.decision_version for letter in second.values()} == {2}
    gp = visible_text(second[LetterAudience.GP].html)
    assert "Start denosumab (120 mg, subcutaneous, every 4 weeks, 3 doses" in gp
    assert "replaces the one about version 1" in gp and "Renal function fell" in gp
    assert "zoledronic" not in gp.lower()
    again = _by_audience(documents.letters_for_decision(decision=decision))
    assert {a: (x.pk, x.html, bytes(x.pdf)) for a, x in again.items()} == {
        a: (x.pk, x.html, bytes(x.pdf)) for a, x in first.items()}
    assert OutcomeLetter.objects.count() == 4


def test_a_letter_cannot_be_changed_deleted_or_written_for_an_unsigned_version(signed, chair):
    _meeting, decision = signed
    letter = documents.letters_for_decision(decision=decision)[0]
    for statement in ("UPDATE cases_outcomeletter SET html = 'x' WHERE id = %s",
                      "DELETE FROM cases_outcomeletter WHERE id = %s"):
        with pytest.raises(DatabaseError), transaction.atomic(), \
                connection.cursor() as cursor:
            cursor.execute(statement, [letter.pk])
    amendment = services.decision_amend(decision=decision, recorded_by=chair, reason="Typo")
    with pytest.raises(IntegrityError), transaction.atomic():
        OutcomeLetter.objects.create(decision=amendment, audience="gp", decision_version=2,
                                     signature_id="x", html="x", pdf=b"x", pdf_sha256="x",
                                     pages=1)
    letter.refresh_from_db()
    assert "Dear Doctor" in letter.html


def test_the_pdfs_have_their_pages_and_say_what_the_html_says(signed):
    _meeting, decision = signed
    letters = _by_audience(documents.letters_for_decision(decision=decision))
    gp_pages, gp = pdf_text(bytes(letters[LetterAudience.GP].pdf))
    assert gp_pages == letters[LetterAudience.GP].pages == 1
    assert "Start zoledronic acid (4 mg, intravenous, every 4 weeks, 6 doses" in gp
    assert "Radiotherapy 8 Gy in 1 fraction to T8" in gp
    assert f"Decision version 1, signed by {decision.signed_by.get_full_name()}" in gp
    assert f"Signature ID: {decision.signature_id}." in gp
    assert decision.agenda_item.patient.hospital_number in gp
    patient_pages, patient = pdf_text(bytes(letters[LetterAudience.PATIENT].pdf))
    assert patient_pages == 1
    assert "You will start zoledronic acid. This medicine helps to keep your bones strong." \
        in patient
    assert f"Signature ID: {decision.signature_id}." in patient


def _prose(letter_html: str) -> str:
    """The letter's own sentences (the <main>): not the address block or the reference."""
    main = re.search(r"<main[^>]*>(.*)</main>", letter_html, re.S).group(1)
    # Each list item is a sentence; headings are not part of a sentence.
    main = re.sub(r"</(li|h2|p)>", ". ", main)
    return re.sub(r"\.\s*\.", ".", visible_text(main))


def test_the_patients_letter_is_plain(signed):
    _meeting, decision = signed
    letter = _by_audience(documents.letters_for_decision(decision=decision))["patient"]
    prose = _prose(letter.html)
    assert textstat.flesch_reading_ease(prose) >= 60
    assert textstat.flesch_kincaid_grade(prose) <= 8
    # The letter's own words (the header names the board, which may be "Bone
    # metastasis MDT": that is who writes, not something the patient must understand).
    text = prose
    for jargon in ("Gy", "fraction", "mg", "intravenous", "subcutaneous", "BTA", "SINS",
                   "Mirels", "metasta", "SBRT", "oncolog"):
        assert jargon not in text, jargon
    # Raw keys in every letter, PDF and minutes of the demo cohort:
    # tests/test_plain_words.py.


def test_the_minutes_list_each_case_its_outcome_or_why_not_and_who_attended(
        signed, chair, coordinator, spine_surgeon, django_assert_max_num_queries):
    meeting, decision = signed
    items = list(meeting.agenda_items.order_by("position", "id"))
    services.agenda_item_set_status(item=items[1], status=AgendaItemStatus.DEFERRED)
    services.attendance_set(meeting=meeting, user=chair, attended=True)
    services.attendance_set(meeting=meeting, user=coordinator, attended=True)
    with django_assert_max_num_queries(4):
        minutes = documents.minutes_of(meeting=meeting)
    assert [c.decision for c in minutes.cases] == [decision, None, None]
    assert minutes.cases[0].actions[0].startswith("Start zoledronic acid (4 mg")
    assert [c.not_discussed for c in minutes.cases] == [
        "", "Not discussed: deferred to a later meeting.",
        "Not discussed: the case was not reached at the meeting."]
    assert {a.user for a in minutes.present} == {chair, coordinator}
    assert spine_surgeon in {a.user for a in minutes.absent}
    pages, text = pdf_text(documents.render_pdf(documents.minutes_body(minutes),
                                                title="Minutes")[0])
    assert pages >= 1
    assert "Minutes of the meeting" in text and "Present (2)" in text
    assert "Not discussed: deferred to a later meeting." in text
    assert f"Signature ID: {decision.signature_id}." in text
    assert "No case was signed as standard of care at this meeting." in text


def test_minutes_need_a_held_meeting(board, chair):
    meeting, _items = meeting_with_cases(board, 1)
    with pytest.raises(ValidationError):
        documents.minutes_of(meeting=meeting)


def test_sending_a_letter_emails_the_link_only_and_is_recorded(
        signed, chair, coordinator, outsider, django_capture_on_commit_callbacks):
    _meeting, decision = signed
    gp = _by_audience(documents.letters_for_decision(decision=decision))["gp"]
    with django_capture_on_commit_callbacks(execute=True):
        dispatch = documents.letter_send(letter=gp, sent_by=chair, recipient=coordinator)
    assert (dispatch.kind, dispatch.letter, dispatch.sent_by, dispatch.recipient) == (
        DocumentKind.LETTER, gp, chair, coordinator)
    [email] = mail.outbox
    assert email.to == [coordinator.email]
    patient = decision.agenda_item.patient
    body = email.subject + email.body
    assert f"/decisions/{decision.pk}/letters/gp/" in body
    for secret in (patient.given_name, patient.family_name, patient.hospital_number,
                   "zoledronic", "Radiotherapy", "prostate", decision.outcome_summary):
        assert secret not in body
    with pytest.raises(ValidationError):
        documents.letter_send(letter=gp, sent_by=chair, recipient=outsider)
    assert DocumentDispatch.objects.count() == 1 and len(mail.outbox) == 1


def test_circulating_the_minutes_emails_each_attendee_a_link(
        signed, chair, coordinator, spine_surgeon, django_capture_on_commit_callbacks):
    meeting, _decision = signed
    services.attendance_set(meeting=meeting, user=coordinator, attended=True)
    services.attendance_set(meeting=meeting, user=spine_surgeon, attended=True)
    with pytest.raises(ValidationError):
        documents.minutes_circulate(meeting=meeting, sent_by=spine_surgeon)
    with django_capture_on_commit_callbacks(execute=True):
        sent = documents.minutes_circulate(meeting=meeting, sent_by=coordinator)
    assert {d.recipient for d in sent} == {coordinator, spine_surgeon}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([coordinator.email,
                                                          spine_surgeon.email])
    assert all(f"/meetings/{meeting.pk}/minutes/" in m.body for m in mail.outbox)
    assert all("Family" not in m.body and "H0" not in m.body for m in mail.outbox)
