"""Issue 11's journey in a real browser: the chair modifies the zoledronic acid item to
"withhold" with the typed action fields, checks and signs on the confirmation step
(signed in with the second factor), sees the creatinine recheck and no dose reminders,
then records on the follow-through page that the recheck was not done, with the reason.
Screenshots go to test-artifacts/screenshots/."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Decision
from cases.tests.views.builders import meeting_with_cases
from reminders.choices import ReminderKind
from reminders.models import ActionFollowUp, Reminder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The draft item whose proposed action gives zoledronic acid (the engine's BTA item).
ZOLEDRONIC_ITEM = ("section.decision-item:has(select[name$='-action_agent'] "
                   "option[value='zoledronic_acid'][selected])")


def test_chair_withholds_zoledronic_acid_signs_and_records_the_recheck_not_done(
    open_session, board, chair, spine_surgeon
):
    # The meeting is today: the board signs from the meeting's day on.
    _meeting, items = meeting_with_cases(board, 1, presenter=spine_surgeon, labs=16,
                                         days_ahead=0)
    item = items[0]
    recheck = (timezone.localdate() + dt.timedelta(days=14)).isoformat()
    session = open_session("chair")  # enrols and types the authenticator's code
    page = session.page
    page.goto(f"/cases/{item.pk}/decision/")
    zoledronic = page.locator(ZOLEDRONIC_ITEM).first
    expect(zoledronic).to_be_visible()
    zoledronic.get_by_label("Modify", exact=True).check()
    zoledronic.get_by_label("What to do").select_option(label="Withhold")
    zoledronic.get_by_label("Recheck by").fill(recheck)
    zoledronic.get_by_label("Resume when").fill("creatinine back within 10 % of baseline")
    zoledronic.get_by_label("Reason (required to modify or reject)").fill(
        "Creatinine rose 0.6 mg/dL since the last dose")
    page.get_by_role("button", name="Accept every item not yet decided").click()
    zoledronic = page.locator("section.decision-item").filter(
        has=page.get_by_label("Modify", exact=True).and_(page.locator(":checked"))).first
    expect(zoledronic.get_by_label("What to do")).to_have_value("withhold")
    page.locator(f"input[name=attended][value='{chair.pk}']").check()
    page.get_by_role("button", name="Save and sign as chair…").click()

    # The confirmation step: what will be signed, and nothing signed yet.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sign the decision")
    expect(page.locator("#sign-confirm")).to_contain_text("Check before you sign version 1")
    expect(page.locator("main")).to_contain_text(
        f"Withhold zoledronic acid: recheck serum creatinine by {recheck}")
    assert not Decision.objects.get(agenda_item=item).is_signed
    session.screenshot("decision-sign-confirmation")
    page.get_by_role("button", name="Sign version 1 as chair").click()
    expect(page.locator(".signed-banner")).to_contain_text("Signed by")

    # The patient page: the recheck is scheduled, no dose reminder is.
    page.goto(f"/patients/{item.patient_id}/")
    history = page.locator("#reminder-history")
    expect(history).to_contain_text("Recheck serum creatinine: zoledronic acid is withheld")
    expect(history).to_contain_text("Decide whether to resume zoledronic acid")
    expect(history).not_to_contain_text("before zoledronic acid dose")
    expect(page.locator(".signed-actions")).to_contain_text(
        f"Withhold zoledronic acid: recheck serum creatinine by {recheck}")
    assert not Reminder.objects.filter(kind=ReminderKind.RENAL_BEFORE_ZOLEDRONIC).exists()
    session.screenshot("patient-signed-actions")

    # The follow-through page: the recheck did not happen, and why.
    page.get_by_role("link", name="The board's follow-through").click()
    row = page.locator("tr", has_text="Withhold zoledronic acid")
    row.get_by_role("button", name="Record what happened…").click()  # htmx fetches the form
    row.get_by_label("Why not").select_option(label="Logistics")
    row.get_by_label("Details").fill("No phlebotomy slot before the recheck date")
    row.get_by_role("button", name="Mark not done").click()
    expect(page.locator(".messages")).to_contain_text("Recorded as not done")
    not_done = page.locator("section[aria-labelledby=notdone-heading]")
    expect(not_done).to_contain_text("Withhold zoledronic acid")
    expect(not_done).to_contain_text("Not done: Logistics — No phlebotomy slot before the "
                                     "recheck date")
    follow_up = ActionFollowUp.objects.get(decision_item__action__verb="withhold")
    assert (follow_up.status, follow_up.not_done_reason) == ("not_done", "logistics")
    session.screenshot("follow-through-not-done")
