"""After the meeting, in a real browser: a board member opens the signed decision,
reads the GP's letter and downloads its PDF and the FHIR export (Playwright's download
API), and opens the minutes of the held meeting."""

from __future__ import annotations

import io
import json

import pytest
from fhir.resources.R4B.bundle import Bundle
from playwright.sync_api import expect
from pypdf import PdfReader

from cases.tests.documents_builders import held_meeting_with_signed_decision

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_downloads_the_letter_pdf_and_the_fhir_export(
        open_session, board, chair, coordinator, tmp_path):
    meeting, decision = held_meeting_with_signed_decision(board, chair)
    session = open_session("coordinator")
    page = session.page
    page.goto(f"/cases/{decision.agenda_item_id}/decision/")
    expect(page.get_by_role("heading", name="Letters and export")).to_be_visible()

    page.get_by_role("link", name="Letter to the GP").click()
    expect(page.locator("article.letter-gp")).to_contain_text("Dear Doctor")
    expect(page.locator("article.letter-gp")).to_contain_text(
        "Start zoledronic acid (4 mg, intravenous, every 4 weeks, 6 doses")
    session.screenshot("letter-gp")
    with page.expect_download() as info:
        page.get_by_role("button", name="Download the PDF").click()
    download = info.value
    assert download.suggested_filename == f"letter-gp-decision-{decision.pk}-v1.pdf"
    pdf = tmp_path / download.suggested_filename
    download.save_as(pdf)
    reader = PdfReader(io.BytesIO(pdf.read_bytes()))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert len(reader.pages) == 1
    assert "Radiotherapy 8 Gy in 1 fraction to T8" in text
    assert f"Signature ID: {decision.signature_id}." in text

    page.get_by_role("link", name="Back to the decision").click()
    with page.expect_download() as info:
        page.get_by_role("link", name="FHIR export (JSON)").click()
    download = info.value
    assert download.suggested_filename == f"decision-{decision.pk}-v1.fhir.json"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    bundle = Bundle.model_validate_json(path.read_bytes())
    assert bundle.entry[0].resource.get_resource_type() == "CarePlan"
    careplan = json.loads(path.read_text())["entry"][0]["resource"]
    assert (careplan["status"], careplan["intent"]) == ("active", "plan")

    page.goto(f"/meetings/{meeting.pk}/")
    page.get_by_role("button", name="Minutes").click()
    expect(page.locator("article.minutes")).to_contain_text("Radiotherapy and zoledronic acid.")
    session.screenshot("minutes")
