"""The decision page edits typed actions: modify to withhold and sign (a recheck and a
resume review, no dose reminders), a 3,000-dose request refused field by field with
nothing stored, and what the signed page says will happen."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from boardsite.accounts_testing import verified_login
from cases.models import Decision
from cases.tests.views.builders import meeting_with_cases
from front.tests.test_pages import save_and_sign
from recommendations.models import DraftPlan
from reminders.choices import ReminderKind
from reminders.models import ActionFollowUp, Reminder


def _post(draft, *, action="save", modified: dict[str, str] | None = None,
          reason="Creatinine rose 0.6 mg/dL"):
    data = {"draft_ref": draft.pk, "added_count": "1", "action": action,
            "outcome_summary": "Agreed", "a0-title": "", "a0-detail": ""}
    for index, item in enumerate(draft.output["items"]):
        data[f"d{index}-verdict"] = "accepted"
        data[f"d{index}-detail"] = item["detail"].get("summary", "")
        data[f"d{index}-reason"] = ""
    if modified is not None:
        data["d0-verdict"] = "modified"
        data["d0-detail"] = ""
        data["d0-reason"] = reason
        data.update({f"d0-{k}": v for k, v in modified.items()})
    return data


def _case(client, board, chair):
    # The meeting is today: the board signs from the meeting's day on.
    _meeting, items = meeting_with_cases(board, 1, days_ahead=0)
    verified_login(client, chair)
    html = client.get(reverse("cases:decision", args=[items[0].pk])).content.decode()
    return items[0], DraftPlan.objects.get(agenda_item=items[0]), html


WITHHOLD = {"action_kind": "medication", "action_verb": "withhold",
            "action_agent": "zoledronic_acid", "action_recheck_on": "",
            "action_resume_criteria": "creatinine back within 10 % of baseline"}


def test_the_page_shows_each_draft_items_typed_action(client, board, chair):
    _item, draft, html = _case(client, board, chair)
    assert 'name="d0-action_kind"' in html
    assert "What happens next" in html


def test_modify_to_withhold_then_sign_schedules_the_recheck_and_no_dose(
        client, board, chair):
    item, draft, _html = _case(client, board, chair)
    recheck = (timezone.localdate() + dt.timedelta(days=14)).isoformat()
    response = save_and_sign(client, item, _post(
        draft, action="sign", modified={**WITHHOLD, "action_recheck_on": recheck}))
    assert response.status_code == 302
    decision = Decision.objects.get(agenda_item=item)
    first = decision.items.order_by("position").first()
    assert first.verdict == "modified"
    assert first.action == {"kind": "medication", "verb": "withhold",
                            "agent": "zoledronic_acid", "recheck_on": recheck,
                            "resume_criteria": "creatinine back within 10 % of baseline"}
    assert first.detail == ("Withhold zoledronic acid: recheck serum creatinine by "
                            f"{recheck}; resume when creatinine back within 10 % of baseline")
    mine = Reminder.objects.filter(decision_item=first)
    assert sorted(mine.values_list("kind", flat=True)) == [
        ReminderKind.RESUME_REVIEW, ReminderKind.WITHHOLD_RECHECK]
    assert not Reminder.objects.filter(kind=ReminderKind.RENAL_BEFORE_ZOLEDRONIC).exists()
    follow_up = ActionFollowUp.objects.get(decision_item=first)
    assert (follow_up.status, follow_up.due_on.isoformat()) == ("planned", recheck)
    html = client.get(reverse("cases:decision", args=[item.pk])).content.decode()
    assert f"Withhold zoledronic acid: recheck serum creatinine by {recheck}" in html


def test_3000_doses_are_refused_next_to_the_field_and_nothing_is_stored(
        client, board, chair):
    item, draft, _html = _case(client, board, chair)
    response = client.post(reverse("cases:decision", args=[item.pk]), _post(
        draft, action="sign", modified={
            "action_kind": "medication", "action_verb": "start",
            "action_agent": "zoledronic_acid", "action_dose": "4", "action_unit": "mg",
            "action_route": "iv", "action_interval_weeks": "4", "action_doses": "3000"},
        reason="Longer course"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Number of doses: enter a number from 1 to 26." in html
    assert 'value="3000"' in html
    assert Decision.objects.count() == 0 and Reminder.objects.count() == 0


def test_withhold_without_a_recheck_date_is_refused(client, board, chair):
    item, draft, _html = _case(client, board, chair)
    response = client.post(reverse("cases:decision", args=[item.pk]),
                           _post(draft, modified=WITHHOLD))
    assert response.status_code == 200
    assert "Recheck by: required." in response.content.decode()
    assert Decision.objects.count() == 0
