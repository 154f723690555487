"""The closed loop: one follow-up per signed action, done / not done / superseded,
reminders that complete their action, the follow-through page and API (fixed query
count, implementation rate), and a case back on the agenda in one step."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.choices import DecisionItemVerdict
from cases.models import AgendaItem
from cases.services import decision_amend, decision_record, meeting_create
from reminders.choices import ActionStatus, ReminderStatus
from reminders.models import ActionFollowUp, Reminder
from reminders.selectors import follow_through_for_board
from reminders.services import (
    action_mark_done,
    action_mark_not_done,
    case_back_on_agenda,
    decision_sign_and_schedule,
    reminder_mark_done,
)
from reminders.tests.conftest import local, make_decision, zoledronic_item

SIGN_DAY = dt.date(2025, 3, 3)
IMAGING = {"code": "FU-IMAGING-REASSESSMENT", "title": "Imaging re-assessment",
           "verdict": DecisionItemVerdict.ACCEPTED,
           "action": {"kind": "investigation", "investigation": "imaging",
                      "modality": "bone_scan", "due_on": "2025-05-26"}}
REJECTED = {"code": "BTA-START", "title": "Start a BTA", "reason": "Declined",
            "verdict": DecisionItemVerdict.REJECTED}
OTHER = {"title": "Family meeting", "detail": "Talk to the family first",
         "verdict": DecisionItemVerdict.ADDED}


@pytest.fixture
def signed_at():
    with time_machine.travel(local(SIGN_DAY, 12), tick=False) as traveller:
        yield traveller


@pytest.fixture
def signed(signed_at, board, chair, coordinator, oncologist, patient):
    decision = make_decision(board=board, patient=patient, recorded_by=coordinator,
                             presenting_clinician=oncologist,
                             items=[zoledronic_item(doses=2), IMAGING, REJECTED, OTHER])
    return decision_sign_and_schedule(decision=decision, chair=chair)


def test_signing_creates_one_follow_up_per_action_and_none_for_rejected(signed):
    rows = list(ActionFollowUp.objects.order_by("decision_item__position"))
    assert [(r.kind, r.summary, r.due_on.isoformat(), r.status) for r in rows] == [
        ("medication", "Start zoledronic acid (4 mg, intravenous, 2 doses)", "2025-03-03",
         "planned"),
        ("investigation", "Bone scan by 2025-05-26", "2025-05-26", "planned"),
        ("other", "Talk to the family first", "2025-03-03", "planned"),
    ]
    assert not Reminder.objects.filter(decision_item__verdict="rejected").exists()
    assert not Reminder.objects.filter(decision_item__action_kind="other").exists()


def test_done_records_who_and_when_and_closes_its_reminders(signed, oncologist):
    row = ActionFollowUp.objects.get(kind="medication")
    action_mark_done(follow_up=row, user=oncologist, done_on=SIGN_DAY)
    row.refresh_from_db()
    assert (row.status, row.done_on, row.done_by) == ("done", SIGN_DAY, oncologist)
    assert set(Reminder.objects.filter(decision_item=row.decision_item)
               .values_list("status", flat=True)) == {ReminderStatus.DONE}
    with pytest.raises(ValidationError) as caught:
        action_mark_done(follow_up=row, user=oncologist, done_on=SIGN_DAY + dt.timedelta(1))
    assert caught.value.message_dict == {
        "done_on": ["The date it was done cannot be in the future."]}


def test_not_done_needs_a_reason_and_text_for_other_and_cancels_reminders(
        signed, oncologist):
    row = ActionFollowUp.objects.get(kind="investigation")
    with pytest.raises(ValidationError) as caught:
        action_mark_not_done(follow_up=row, user=oncologist, reason="other")
    assert caught.value.message_dict == {"text": ["Say why it was not done."]}
    row.refresh_from_db()
    assert row.status == "planned"
    action_mark_not_done(follow_up=row, user=oncologist, reason="patient_declined")
    row.refresh_from_db()
    assert (row.status, row.not_done_reason) == ("not_done", "patient_declined")
    reminder = Reminder.objects.get(decision_item=row.decision_item)
    assert (reminder.status, reminder.cancel_reason) == (
        "cancelled", "Action not done: Patient declined")


def test_the_last_reminder_done_completes_its_action(signed, oncologist):
    row = ActionFollowUp.objects.get(kind="investigation")
    reminder_mark_done(reminder=Reminder.objects.get(decision_item=row.decision_item),
                       user=oncologist)
    row.refresh_from_db()
    assert (row.status, row.done_on, row.done_by) == ("done", SIGN_DAY, oncologist)
    medication = ActionFollowUp.objects.get(kind="medication")
    first = Reminder.objects.filter(decision_item=medication.decision_item).first()
    reminder_mark_done(reminder=first, user=oncologist)
    medication.refresh_from_db()
    assert medication.status == "planned"  # the second dose's check is still open


def test_amendment_carries_unchanged_actions_over_and_supersedes_the_rest(
        signed, coordinator, chair, oncologist):
    imaging = ActionFollowUp.objects.get(kind="investigation")
    action_mark_done(follow_up=imaging, user=oncologist, done_on=SIGN_DAY)
    amendment = decision_amend(decision=signed, recorded_by=coordinator, reason="Interval")
    decision_record(agenda_item=signed.agenda_item, recorded_by=coordinator, items=[
        zoledronic_item(doses=2, interval_weeks=12, verdict=DecisionItemVerdict.MODIFIED,
                        reason="12-weekly"), IMAGING])
    v2 = decision_sign_and_schedule(decision=amendment, chair=chair)
    assert sorted(ActionFollowUp.objects.filter(decision=signed)
                  .values_list("status", flat=True)) == ["superseded"] * 3
    new = {r.kind: r for r in ActionFollowUp.objects.filter(decision=v2)}
    assert new["investigation"].status == "done" and new["investigation"].done_by == oncologist
    assert new["medication"].status == "planned"
    assert new["medication"].summary == (
        "Start zoledronic acid (4 mg, intravenous, every 12 weeks, 2 doses)")
    with pytest.raises(ValidationError):
        action_mark_done(follow_up=ActionFollowUp.objects.get(decision=signed,
                                                              kind="medication"),
                         user=oncologist, done_on=SIGN_DAY)


def test_follow_through_counts_rate_and_a_fixed_number_of_queries(
        signed, board, oncologist, chair, django_assert_num_queries):
    action_mark_done(follow_up=ActionFollowUp.objects.get(kind="investigation"),
                     user=oncologist, done_on=SIGN_DAY)
    action_mark_not_done(follow_up=ActionFollowUp.objects.get(kind="other"),
                         user=oncologist, reason="logistics")
    with django_assert_num_queries(7):  # board scope + 6
        view = follow_through_for_board(user=chair, board_id=board.pk,
                                        today=dt.date(2025, 3, 10))
    assert view.counts == {"overdue": 1, "open": 0, "done": 1, "not_done": 1}
    assert view.rate == pytest.approx(1 / 3)
    assert [(m["month"].isoformat(), m["total"], m["done"], m["not_done"], m["overdue"])
            for m in view.months] == [("2025-03-01", 3, 1, 1, 1)]


def test_follow_through_page_and_back_on_the_agenda_in_one_step(
        signed, client, board, chair, oncologist):
    row = ActionFollowUp.objects.get(kind="other")
    client.force_login(oncologist)
    response = client.post(reverse("reminders:action_not_done", args=[row.pk]),
                           {"reason": "not_fit", "text": "Admitted to hospital"})
    assert response.status_code == 302
    meeting_create(board=board, starts_at=local(SIGN_DAY + dt.timedelta(days=7), 16))
    html = client.get(reverse("reminders:follow_through", args=[board.pk])).content.decode()
    assert "Not done: Not fit for it — Admitted to hospital" in html
    assert "Talk to the family first" in html
    # The controls come on demand, for the one row (htmx fragment, or a page without JS).
    record = reverse("reminders:action_record", args=[row.pk])
    assert f'hx-get="{record}"' in html and "Mark not done" not in html
    fragment = client.get(record, headers={"HX-Request": "true"}).content.decode()
    assert "Put back on the agenda</button>" in fragment and "<html" not in fragment
    assert "Mark not done" not in fragment  # already recorded as not done
    planned = ActionFollowUp.objects.filter(status="planned").first()
    page = client.get(reverse("reminders:action_record", args=[planned.pk])).content.decode()
    assert "<html" in page and "Mark done" in page and "Mark not done" in page
    assert planned.summary in page
    response = client.post(reverse("reminders:back_on_agenda", args=[row.pk]))
    assert response.status_code == 302
    added = AgendaItem.objects.exclude(pk=signed.agenda_item_id).get()
    assert added.patient_id == signed.agenda_item.patient_id
    assert added.question == ("Review the signed plan: actions overdue or not done.\n"
                              "- Talk to the family first (not done: Not fit for it)")
    patient_html = client.get(reverse("cases:patient_detail",
                                      args=[added.patient_id])).content.decode()
    assert "Talk to the family first</strong> — not done: Not fit for it" in patient_html


def test_back_on_agenda_needs_an_overdue_or_not_done_action(signed, board, oncologist):
    meeting = meeting_create(board=board, starts_at=local(SIGN_DAY + dt.timedelta(7), 16))
    with pytest.raises(ValidationError):
        case_back_on_agenda(agenda_item=signed.agenda_item, meeting=meeting, user=oncologist)


def test_api_follow_through_and_marking(signed, client, board, oncologist, outsider):
    row = ActionFollowUp.objects.get(kind="investigation")
    client.force_login(oncologist)
    response = client.post(f"/api/v1/reminders/actions/{row.pk}/done/",
                           {"done_on": "2025-03-03"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "done"
    response = client.post(f"/api/v1/reminders/actions/{row.pk}/not-done/",
                           {"reason": "nope"}, content_type="application/json")
    assert response.status_code == 400
    body = client.get(f"/api/v1/reminders/follow-through/{board.pk}/").json()
    assert body["counts"] == {"overdue": 0, "open": 2, "done": 1, "not_done": 0}
    assert [r["summary"] for r in body["done"]] == ["Bone scan by 2025-05-26"]
    client.force_login(outsider)
    assert client.get(f"/api/v1/reminders/follow-through/{board.pk}/").status_code == 404
    assert client.post(f"/api/v1/reminders/actions/{row.pk}/done/", {"done_on": "2025-03-03"},
                       content_type="application/json").status_code == 404
    assert ActionStatus.DONE == ActionFollowUp.objects.get(pk=row.pk).status
