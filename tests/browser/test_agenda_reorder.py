"""Reordering the agenda in a real browser (issue 15, item 4): drag a case by its
number to another place, and "Move case … to position …"; after a reload the new order
is still there (it is the stored order, not the page's)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cases import selectors
from cases.tests.views.builders import meeting_with_cases

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _shown_order(page) -> list[int]:
    return [int(i) for i in page.locator("#agenda-list > li").evaluate_all(
        "rows => rows.map(r => r.dataset.itemId)")]


def _stored_order(meeting) -> list[int]:
    return [i.pk for i in selectors.agenda_items(meeting=meeting)]


def test_coordinator_reorders_the_agenda_by_drag_and_by_position(open_session, board,
                                                                 coordinator):
    meeting, items = meeting_with_cases(board, 5, lesions=1, labs=2)
    ids = [i.pk for i in items]
    # A screen tall enough for the whole list: a hand drags between rows it can see
    # (each row carries its draft and what is missing, over a thousand pixels here).
    session = open_session("coordinator", viewport={"width": 1280, "height": 7200})
    page = session.page
    page.goto(f"/meetings/{meeting.pk}/")
    assert _shown_order(page) == ids
    expect(page.locator(".drag-hint")).to_be_visible()

    # Drag case 5 by its number onto the top half of case 1: it goes first.
    source = page.locator(f"#item-{ids[4]} .agenda-pos")
    target = page.locator(f"#item-{ids[0]}")
    source.hover()
    assert page.evaluate("() => window.scrollY") == 0  # both rows on the screen as it is
    box = target.bounding_box()
    page.mouse.down()
    with page.expect_navigation():
        # Over the top quarter of case 1, in steps as a hand moves (dragover each time).
        x, y = box["x"] + 40, box["y"] + box["height"] / 4
        page.mouse.move(x, y, steps=8)
        # The dragged row now lies under the pointer; a hand keeps moving a little
        # before letting go, and the browser drops only after a "dragover" there.
        page.mouse.move(x + 2, y + 2)
        page.mouse.up()
    expect(page.locator(".messages")).to_contain_text("Agenda reordered.")
    dragged = [ids[4], ids[0], ids[1], ids[2], ids[3]]
    assert _stored_order(meeting) == dragged
    page.reload()
    assert _shown_order(page) == dragged
    expect(page.locator(f"#item-{ids[4]} .agenda-pos")).to_have_text("1")

    # "Move case 2 to position 4" (case 2 is now the first case of the original list).
    move = page.locator("#move-to")
    move.get_by_label("Move case", exact=True).select_option(label="2")
    move.get_by_label("to position").fill("4")
    move.get_by_role("button", name="Move", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("The case is now number 4.")
    moved = [ids[4], ids[1], ids[2], ids[0], ids[3]]
    assert _stored_order(meeting) == moved
    page.reload()
    assert _shown_order(page) == moved
    expect(page.locator(f"#item-{ids[0]} .agenda-pos")).to_have_text("4")
    session.screenshot("agenda-reordered")
