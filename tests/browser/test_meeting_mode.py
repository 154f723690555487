"""Meeting mode in a real browser at the shared screen's size (1400×900): the chair runs
a 15-case meeting with the keyboard only, signs the standard-of-care block with one case
taken out, and everything the board decides on fits the screen without scrolling.
Screenshots go to test-artifacts/screenshots/."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from cases.models import AgendaItem, Decision
from cases.services import agenda_item_add, attendance_set
from cases.tests.views.builders import add_patient, meeting_with_cases

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREEN = {"width": 1400, "height": 900}


def _mode_path(item) -> str:
    return f"/meetings/{item.meeting_id}/meeting-mode/{item.pk}/"


def _keys_ready(page) -> None:
    """The page's shortcuts are live (meeting-mode.js is deferred: a key pressed before
    it ran is lost, as it would be for a chair faster than the page)."""
    expect(page.locator("#mm[data-keys=ready]")).to_have_count(1)


def _sign_with_confirmation(page, position: int) -> None:
    _keys_ready(page)
    page.keyboard.press("s")
    dialog = page.locator("#mm-sign-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text(f"Sign the decision on case {position}?")
    expect(dialog.get_by_role("button", name=f"Sign case {position}")).to_be_focused()
    page.keyboard.press("Enter")


def test_chair_runs_a_15_case_meeting_with_the_keyboard_only(open_session, board, chair,
                                                             spine_surgeon):
    meeting, items = meeting_with_cases(board, 15, presenter=spine_surgeon, lesions=2,
                                        labs=16, complete=True, days_ahead=0)
    attendance_set(meeting=meeting, user=chair, confirmed=True)
    session = open_session("chair", viewport=SCREEN)
    page = session.page
    page.goto(f"/meetings/{meeting.pk}/meeting-mode/")
    expect(page.locator(".mm-case")).to_have_text("Case 1 of 15")
    expect(page.locator("#mm-keys")).to_contain_text("accept")
    _keys_ready(page)
    rows = page.locator("#mm-items > .mm-item")
    count = rows.count()
    assert count >= 3
    # Case 1: accept the first item, modify the second with the board's reason.
    expect(rows.nth(0)).to_have_class(re.compile(r"\bis-selected\b"))
    # An item's typed fields come with its details, fetched on the first opening.
    page.keyboard.press("d")
    fields = rows.nth(0).locator(".mm-action-fields")
    expect(fields.locator("[name='d0-action_not_shown']")).to_have_count(0)
    expect(fields.locator("label").first).to_be_visible()
    page.keyboard.press("d")
    page.keyboard.press("a")
    expect(rows.nth(0).get_by_label("Accept", exact=True)).to_be_checked()
    expect(rows.nth(1)).to_have_class(re.compile(r"\bis-selected\b"))
    page.keyboard.press("m")
    detail = rows.nth(1).get_by_label("What the board decided")
    expect(detail).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type("Orthopaedic opinion this week before any imaging")
    page.keyboard.press("Tab")
    expect(rows.nth(1).get_by_label("Reason (required to modify or reject)")).to_be_focused()
    page.keyboard.type("Pain is worsening")
    # The kind of action, changed inline: Tab to Details, open it, Tab to the kind and
    # type its first letter; the new kind's fields come in and are filled the same way.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    # No wait for the fields the opening asks for: a kind chosen before they arrive
    # wins (meeting-mode.js drops the late answer instead of blanking what is typed).
    page.keyboard.press("Tab")
    kind = rows.nth(1).get_by_label("Kind of action")
    expect(kind).to_be_focused()
    page.keyboard.type("P")
    expect(kind).to_have_value("procedure")
    expect(rows.nth(1)).to_contain_text("Kind changed from Investigation to Procedure or referral")
    page.keyboard.press("Tab")
    expect(page.locator("#id_d1-action_procedure")).to_be_focused()
    page.keyboard.type("o")
    page.keyboard.press("Tab")
    page.keyboard.type("lesion 2")
    page.keyboard.press("Tab")
    page.keyboard.type("w")
    expect(page.locator("#id_d1-action_procedure")).to_have_value("orthopaedic_opinion")
    expect(page.locator("#id_d1-action_urgency")).to_have_value("urgent")
    session.screenshot("meeting-mode-action-kind-changed", full_page=False)
    page.keyboard.press("Escape")
    expect(page.locator("#mm-saved")).to_contain_text("still to decide")
    page.keyboard.press("d")
    session.screenshot("meeting-mode-case-1", full_page=False)
    # Accept every item not yet decided, then sign (the screen asks first).
    page.keyboard.press("Shift+A")
    expect(rows.nth(count - 1).get_by_label("Accept", exact=True)).to_be_checked()
    _sign_with_confirmation(page, 1)
    page.wait_for_url(f"**{_mode_path(items[1])}")
    _keys_ready(page)
    expect(page.locator(".messages")).to_contain_text("Case 1 signed")
    # Case 2: one item, on to case 3 and back: the partial draft was kept.
    page.keyboard.press("a")
    expect(page.locator("#mm-saved")).to_contain_text("still to decide")
    page.keyboard.press("n")
    page.wait_for_url(f"**{_mode_path(items[2])}")
    _keys_ready(page)
    expect(page.locator(".mm-case")).to_have_text("Case 3 of 15")
    page.keyboard.press("p")
    page.wait_for_url(f"**{_mode_path(items[1])}")
    _keys_ready(page)
    expect(page.locator("#mm-items > .mm-item").nth(0).get_by_label(
        "Accept", exact=True)).to_be_checked()
    # Cases 2 to 15: accept the rest and sign, each with its confirmation.
    for position in range(2, 16):
        expect(page.locator(".mm-case")).to_have_text(f"Case {position} of 15")
        _keys_ready(page)
        page.keyboard.press("Shift+A")
        _sign_with_confirmation(page, position)
        expect(page.locator(".messages")).to_contain_text(f"Case {position} signed")
    expect(page.locator(".mm-nav")).to_contain_text("15 of 15 signed")
    session.screenshot("meeting-mode-all-signed", full_page=False)

    decisions = Decision.objects.filter(agenda_item__meeting=meeting)
    assert decisions.count() == 15
    assert all(d.is_signed and d.signed_by == chair for d in decisions)
    assert all(d.discussion_seconds is not None for d in decisions)
    first = decisions.get(agenda_item=items[0])
    verdicts = list(first.items.order_by("position").values_list("verdict", "reason", "detail"))
    assert verdicts[0][0] == "accepted"
    assert verdicts[1] == ("modified", "Pain is worsening",
                           "Orthopaedic opinion this week before any imaging")
    assert first.items.order_by("position")[1].action == {
        "kind": "procedure", "procedure": "orthopaedic_opinion", "lesion": "lesion 2",
        "urgency": "urgent"}
    assert all(v[0] == "accepted" for v in verdicts[2:])
    assert not first.standard_of_care


def _bottom(page, selector: str) -> float:
    return page.evaluate(
        "(s) => Math.max(...[...document.querySelectorAll(s)].map("
        "e => e.getBoundingClientRect().bottom))", selector)


@pytest.mark.parametrize("complete", [True, False])
def test_the_essentials_fit_1400_by_900_without_scrolling(open_session, board, chair,
                                                          spine_surgeon, complete):
    meeting, items = meeting_with_cases(board, 2, presenter=spine_surgeon, lesions=4,
                                        labs=40, complete=complete, days_ahead=0)
    session = open_session("chair", viewport=SCREEN)
    page = session.page
    page.goto(_mode_path(items[0]))
    expect(page.locator(".mm-case")).to_have_text("Case 1 of 2")
    scroll_height, inner = page.evaluate(
        "() => [document.documentElement.scrollHeight, window.innerHeight]")
    assert scroll_height <= inner == 900
    keys_top = page.evaluate(
        "() => document.getElementById('mm-keys').getBoundingClientRect().top")
    for selector in (".mm-question", ".mm-facts", ".mm-col table.mm-table tr",
                     "#mm-items > .mm-item", "[data-open-sign]", "#mm-saved"):
        assert _bottom(page, selector) <= keys_top, selector
    session.screenshot(f"meeting-mode-1400x900-{'ready' if complete else 'not-ready'}",
                       full_page=False)


def test_chair_signs_the_standard_of_care_block_with_one_opt_out(open_session, board,
                                                                 chair, spine_surgeon):
    meeting, items = meeting_with_cases(board, 3, presenter=spine_surgeon, complete=True,
                                        days_ahead=0)
    chase = agenda_item_add(meeting=meeting, patient=add_patient(board),
                            question="Radiotherapy for the painful femur?")
    session = open_session("chair", viewport=SCREEN)
    page = session.page
    page.goto(f"/meetings/{meeting.pk}/")
    page.get_by_role("button", name="Standard-of-care block").click()
    expect(page.get_by_role("heading", name="In the block (3)")).to_be_visible()
    expect(page.locator(f"#soc-{chase.pk}")).to_contain_text("missing")
    page.get_by_role("button", name="Discuss case 2 in full").click()
    expect(page.locator(".messages")).to_contain_text("Case 2 goes back to full discussion")
    expect(page.get_by_role("heading", name="In the block (2)")).to_be_visible()
    page.get_by_role("button", name="Sign 2 cases as standard of care").click()
    # The confirmation is required (the browser's own check of the required box).
    assert not Decision.objects.exists()
    page.get_by_label(re.compile("I have reviewed these 2 cases")).check()
    session.screenshot("standard-of-care-block")
    page.get_by_role("button", name="Sign 2 cases as standard of care").click()
    expect(page.locator(".messages")).to_contain_text("2 cases signed as standard of care")
    expect(page.get_by_role("heading", name="Signed (2)")).to_be_visible()
    signed = {d.agenda_item_id: d for d in Decision.objects.all()}
    assert set(signed) == {items[0].pk, items[2].pk}
    assert all(d.is_signed and d.standard_of_care for d in signed.values())
    assert AgendaItem.objects.get(pk=items[1].pk).standard_of_care_opt_out
    # The case taken out is discussed in meeting mode like any other.
    page.goto(_mode_path(items[1]))
    expect(page.locator(".mm-case")).to_have_text("Case 2 of 4")
    session.screenshot("standard-of-care-signed-then-meeting-mode", full_page=False)
