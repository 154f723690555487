"""Narrow screens (issue 15, item 6): every main page at 390 px (a phone held upright)
has no horizontal overflow and cuts no value ("SINS 14" stays "SINS 14"). A screenshot
of each goes to test-artifacts/screenshots/narrow-*.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cases.choices import Bone
from cases.models import Lesion
from cases.services import decision_record
from cases.tests.views.builders import meeting_with_cases
from reminders.services import decision_sign_and_schedule

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}

#: Elements whose text would be clipped: they hide what does not fit in their box.
CLIPPED = """() => [...document.querySelectorAll('body *')].filter((el) => {
  const style = getComputedStyle(el);
  if (style.display === 'none' || style.visibility === 'hidden') return false;
  if (el.closest('.visually-hidden, [hidden]')) return false;
  const hides = ['hidden', 'clip'].includes(style.overflowX)
    || style.textOverflow === 'ellipsis';
  return hides && el.scrollWidth > el.clientWidth + 1;
}).map((el) => el.tagName.toLowerCase() + '.' + el.className + (el.name ? '[' + el.name
  + '=' + el.value + '] ' + el.scrollWidth + '>' + el.clientWidth : '') + ': '
  + el.textContent.trim().slice(0, 40))"""


def _check(session, name: str) -> None:
    page = session.page
    page.wait_for_load_state("networkidle")
    width = page.evaluate("document.documentElement.scrollWidth")
    inner = page.evaluate("window.innerWidth")
    wide = page.evaluate("""() => [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1
        && !el.closest('.table-scroll, .overflow-auto, .table-wrap, table, pre, .visually-hidden'))
      .slice(0, 5).map((el) => el.tagName.toLowerCase() + '.' + el.className)""")
    session.screenshot(f"narrow-{name}")
    assert width <= inner, (name, width, inner, wide)
    assert page.evaluate(CLIPPED) == [], name


def test_main_pages_fit_a_390_px_screen(open_session, board, chair, coordinator,
                                        spine_surgeon):
    meeting, items = meeting_with_cases(board, 3, presenter=spine_surgeon, lesions=3,
                                        labs=24, days_ahead=0)
    item = items[0]
    # An unstable spine: a two-digit score must be shown whole.
    # (Junctional 3 + mechanical pain 3 + mixed 1 + de novo deformity 2 + collapse
    # under 50 % 2 + bilateral posterolateral 3 = SINS 14, Fisher 2010.)
    Lesion.objects.filter(patient=item.patient, bone=Bone.VERTEBRA).update(
        vertebral_level="T12", spinal_pain="mechanical", lesion_type="mixed",
        alignment="de_novo_deformity", collapse_percent=30, posterolateral="bilateral")
    decision = decision_record(agenda_item=items[1], recorded_by=coordinator, items=[
        {"title": "Radiotherapy 8 Gy in 1 fraction to T8", "verdict": "added"}],
        outcome_summary="Radiotherapy")
    decision_sign_and_schedule(decision=decision, chair=chair)

    session = open_session("chair", viewport=PHONE)
    page = session.page
    pages = [
        ("meetings", "/meetings/"),
        ("agenda", f"/meetings/{meeting.pk}/"),
        ("case-review", f"/cases/{item.pk}/"),
        ("decision", f"/cases/{item.pk}/decision/"),
        ("decision-signed", f"/cases/{items[1].pk}/decision/"),
        ("patients", "/patients/?q=" + item.patient.hospital_number[:4]),
        ("patient", f"/patients/{item.patient_id}/"),
        ("my-reminders", "/reminders/"),
        ("follow-through", f"/reminders/follow-through/{board.pk}/"),
        ("account", "/accounts/"),
    ]
    for name, url in pages:
        response = page.goto(url)
        assert response.status == 200, url
        _check(session, name)
    # The menu: every entry reachable on the phone.
    page.goto("/meetings/")
    for link in ("Meetings", "Patients", "My reminders", "Account"):
        expect(page.get_by_role("navigation", name="Main").get_by_role(
            "link", name=link)).to_be_visible()
    page.goto(f"/cases/{item.pk}/")
    lesions = page.get_by_role("region", name="Lesions")
    expect(lesions).to_contain_text("SINS 14")
