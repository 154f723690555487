"""The issue's journeys in a real browser: the coordinator prepares and locks the agenda,
a specialist reviews a case, the board records and the chair signs, an outsider is
turned away. Screenshots of each key page go to test-artifacts/screenshots/."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import AgendaItem, Decision
from cases.tests.views.builders import add_patient
from recommendations.models import DraftPlan

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _starts_at() -> str:
    when = timezone.localtime(timezone.now() + dt.timedelta(days=6))
    return when.replace(hour=16, minute=0).strftime("%Y-%m-%dT%H:%M")


def test_coordinator_builds_and_locks_an_agenda_and_sees_what_is_missing(
    open_session, board, coordinator, chair, spine_surgeon
):
    ready = add_patient(board, lesions=2, labs=16, family_name="Ready", complete=True)
    chase = add_patient(board, lesions=2, labs=16, family_name="Chase")
    session = open_session("coordinator")
    page = session.page
    page.get_by_role("button", name="New meeting").click()
    page.get_by_label("Starts at").fill(_starts_at())
    page.get_by_label("Location").fill("Seminar room 2")
    page.get_by_role("button", name="Create meeting").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Agenda")
    for count, (patient, question) in enumerate(
        ((ready, "Radiotherapy for the painful T8 lesion?"),
         (chase, "Fixation of the left femur?")), start=1,
    ):
        page.get_by_label("Hospital number").fill(patient.hospital_number)
        page.get_by_label("Question for the board").fill(question)
        page.get_by_label("Presenting clinician").select_option(str(spine_surgeon.pk))
        page.get_by_role("button", name="Add to agenda").click()
        expect(page.locator(".agenda-row")).to_have_count(count)
    chase_item = AgendaItem.objects.get(patient=chase)
    row = page.locator(f"#item-{chase_item.pk}")
    expect(row).to_contain_text("Not ready")
    expect(row).to_contain_text("What to chase before the meeting")
    expect(row.locator(".chase-list")).to_contain_text("Worst pain score (NRS 0–10) — ask Nursing")
    expect(row.locator(".chase-list")).to_contain_text(
        "Number of prior mCRPC treatment lines — ask Medical oncology")
    ready_item = AgendaItem.objects.get(patient=ready)
    expect(page.locator(f"#item-{ready_item.pk} .badge-ready")).to_have_text("Ready")
    # Reorder with the keyboard only: focus "Move case 2 up" and press Enter.
    page.get_by_role("button", name="Move case 2 up").focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.locator(".agenda-row").first).to_have_id(f"item-{chase_item.pk}")
    page.get_by_role("button", name="Lock agenda").click()
    expect(page.locator(".messages")).to_contain_text("Agenda locked; missing-data requests sent")
    expect(page.get_by_role("button", name="Unlock agenda")).to_be_visible()
    expect(page.get_by_role("button", name="Add to agenda")).to_have_count(0)
    # Still visible after locking: what is missing and from whom.
    expect(page.locator(f"#item-{chase_item.pk} .chase-list")).to_contain_text("ask Nursing")
    session.screenshot("agenda-locked")
    page.get_by_role("button", name="Printable agenda").click()
    expect(page.locator(".print-page")).to_have_count(3)
    session.screenshot("agenda-print")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    page.emulate_media(media="screen")


def _meeting_with_case(board, spine_surgeon):
    from cases.tests.views.builders import meeting_with_cases

    # Today: the board signs from the meeting's day on.
    meeting, items = meeting_with_cases(board, 2, presenter=spine_surgeon, lesions=2, labs=40,
                                        days_ahead=0)
    return meeting, items[0]


def test_specialist_sees_scores_and_the_draft(open_session, board, spine_surgeon):
    _meeting, item = _meeting_with_case(board, spine_surgeon)
    session = open_session("spine_surgeon")
    page = session.page
    page.goto(f"/cases/{item.pk}/")
    session.screenshot("case-review-first-screen", full_page=False)
    draft = DraftPlan.objects.filter(agenda_item=item).latest("created_at")
    lesions = page.get_by_role("region", name=re.compile("Lesions"))
    expect(lesions).to_contain_text("SINS 2")
    expect(lesions).to_contain_text("Mirels 8")
    expect(lesions).to_contain_text("Borderline")
    lesions.get_by_text("Components").first.click()
    expect(lesions).to_contain_text("T8 semi-rigid")
    for plan_item in draft.output["items"]:
        expect(page.locator("#draft-heading + p + *, section[aria-labelledby=draft-heading]")
               .first).to_contain_text(plan_item["title"])
    expect(page.locator("svg.chart")).to_have_count(8)
    expect(page.locator("svg.timeline")).to_have_count(1)
    page.get_by_text("About this draft").click()
    expect(page.locator(".about-draft")).to_contain_text(draft.engine_version)
    session.screenshot("case-review")
    page.locator("#labs-heading").scroll_into_view_if_needed()
    session.screenshot("case-review-labs-timeline", full_page=False)
    # A tablet held in portrait: the page still reads top to bottom without clipping.
    tablet = open_session("spine_surgeon", viewport={"width": 820, "height": 1180})
    tablet.page.goto(f"/cases/{item.pk}/")
    width = tablet.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 820
    tablet.screenshot("case-review-tablet")


def test_board_modifies_rejects_and_chair_signs_then_read_only(
    open_session, board, chair, spine_surgeon, outsider
):
    _meeting, item = _meeting_with_case(board, spine_surgeon)
    session = open_session("chair")
    page = session.page
    page.goto(f"/cases/{item.pk}/decision/")
    items = page.locator("section.decision-item")
    first, second = items.nth(0), items.nth(1)
    first.get_by_label("Modify", exact=True).check()
    first.get_by_label("What the board decided").fill("20 Gy in 5 fractions")
    first.get_by_label("Reason (required to modify or reject)").fill("Soft-tissue extension")
    second.get_by_label("Reject", exact=True).check()
    page.get_by_label("Outcome summary").fill("Radiotherapy, then review in 4 weeks")
    page.get_by_role("button", name="Save decision").click()
    # The reject has no reason: nothing saved, everything typed still there.
    expect(page.locator(".form-errors-summary")).to_contain_text("Nothing was saved yet")
    expect(second).to_contain_text("Give the board's reason for this change.")
    expect(first.get_by_label("What the board decided")).to_have_value("20 Gy in 5 fractions")
    expect(first.get_by_label("Modify", exact=True)).to_be_checked()
    expect(page.get_by_label("Outcome summary")).to_have_value(
        "Radiotherapy, then review in 4 weeks")
    assert Decision.objects.count() == 0
    session.screenshot("decision-form-errors")
    # Accept the rest with one (keyboard-reachable) button; typed values stay.
    page.get_by_role("button", name="Accept every item not yet decided").click()
    expect(items.nth(2).get_by_label("Accept", exact=True)).to_be_checked()
    expect(first.get_by_label("Modify", exact=True)).to_be_checked()
    second.get_by_label("Reason (required to modify or reject)").fill("Patient declines")
    page.locator(f"input[name=attended][value='{chair.pk}']").check()
    page.get_by_role("button", name="Save and sign as chair…").click()
    # The confirmation step: saved, not signed until the chair confirms.
    expect(page.locator("#sign-confirm")).to_contain_text("Check before you sign version 1")
    assert not Decision.objects.get(agenda_item=item).is_signed
    page.get_by_role("button", name="Sign version 1 as chair").click()
    expect(page.locator(".signed-banner")).to_contain_text("Signed by")
    expect(page.locator(".signed-banner")).to_contain_text("read-only")
    expect(page.locator("textarea[name^=d0], input[type=radio]")).to_have_count(0)
    decision = Decision.objects.get(agenda_item=item)
    verdicts = list(decision.items.order_by("position").values_list("verdict", "reason"))
    assert verdicts[0] == ("modified", "Soft-tissue extension")
    assert verdicts[1] == ("rejected", "Patient declines")
    assert decision.signed_by == chair
    session.screenshot("decision-signed")

    stranger = open_session("outsider")
    for url in (f"/cases/{item.pk}/", f"/cases/{item.pk}/decision/",
                f"/patients/{item.patient_id}/"):
        response = stranger.page.goto(url)
        assert response.status == 404
        assert item.patient.family_name not in stranger.page.content()
    # The 404 responses are logged by Chromium as failed loads: expected here.
    assert all("404" in e for e in stranger.console_errors)
    stranger.console_errors.clear()


def test_patient_search_and_history(open_session, board, coordinator, spine_surgeon):
    _meeting, item = _meeting_with_case(board, spine_surgeon)
    session = open_session("coordinator")
    page = session.page
    page.get_by_role("link", name="Patients").click()
    page.get_by_label("Name or hospital number").fill(item.patient.hospital_number[:5])
    # htmx swaps the results in as the user types (no page load).
    expect(page.locator("#results")).to_contain_text(item.patient.hospital_number)
    page.get_by_role("link", name=re.compile(item.patient.family_name.upper())).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        item.patient.family_name.upper())
    expect(page.locator(".history-list")).to_contain_text(item.question)
    session.screenshot("patient")
