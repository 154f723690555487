"""Meeting mode, pre-meeting opinions and the standard-of-care block (the pages): who
may do what, saving as the board goes, signing, and fixed query counts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from boardsite.accounts_testing import verified_login
from cases.choices import LabAnalyte, LabUnit, OpinionStance
from cases.models import AgendaItem, CaseOpinion, Decision, PatientAccess
from cases.services import (
    agenda_item_add,
    attendance_set,
    case_opinion_record,
    decision_verify,
)
from cases.tests.factories import LabResultFactory
from cases.tests.views.builders import add_patient, meeting_with_cases
from front.forms import DecisionForm, DraftItemForm
from front.views.decisions import _rows_from_decision, _rows_from_draft
from front.views.drafts import draft_view
from front.views.meeting_mode import _light_fields, _values_as_proposed
from recommendations.models import DraftPlan

#: Query budget of a meeting-mode case (warm: the draft is current), pinned. The record
#: is three queries (lesions, imaging, the latest dosing labs), not the case review's
#: seven; the running order and the signed cases are one.
MEETING_MODE_WARM = 20
HTMX = {"HTTP_HX_REQUEST": "true"}


def _mode_url(item):
    return reverse("cases:meeting_mode", args=[item.meeting_id, item.pk])


def _save_url(item):
    return reverse("cases:meeting_mode_save", args=[item.meeting_id, item.pk])


def _post_data(client, item, verdicts: dict[int, tuple[str, str, str]] | None = None,
               *, seconds=30, default=""):
    """What meeting mode posts: the draft's items with the given verdicts (others left
    as `default`), the timer and the draft the screen showed."""
    client.get(_mode_url(item))
    draft = DraftPlan.objects.filter(agenda_item=item).latest("id")
    data = {"draft_ref": draft.pk, "added_count": "1", "discussion_seconds": str(seconds),
            "a0-title": "", "a0-detail": "", "outcome_summary": ""}
    for index, entry in enumerate(draft.output["items"]):
        verdict, detail, reason = (verdicts or {}).get(
            index, (default, entry["detail"].get("summary", ""), ""))
        if verdict:
            data[f"d{index}-verdict"] = verdict
        data[f"d{index}-detail"] = detail
        data[f"d{index}-reason"] = reason
    return data, draft


@pytest.mark.parametrize("name", ["meeting_mode", "meeting_mode_save", "meeting_mode_sign"])
def test_outsider_gets_404_and_nothing_is_read_or_written(client, board, outsider, name):
    meeting, items = meeting_with_cases(board, 1)
    verified_login(client, outsider)
    url = reverse(f"cases:{name}", args=[meeting.pk, items[0].pk])
    response = client.post(url, {"confirm": "yes"}) if name != "meeting_mode" else client.get(url)
    assert response.status_code == 404
    assert PatientAccess.objects.count() == 0
    assert Decision.objects.count() == 0


def test_outsider_gets_404_for_opinions_and_the_block(client, board, outsider):
    meeting, items = meeting_with_cases(board, 1)
    verified_login(client, outsider)
    assert client.get(reverse("cases:case_opinions", args=[items[0].pk])).status_code == 404
    assert client.post(reverse("cases:case_opinions", args=[items[0].pk]),
                       {"stance": "agrees", "text": "x"}).status_code == 404
    assert client.get(reverse("cases:standard_of_care", args=[meeting.pk])).status_code == 404
    assert CaseOpinion.objects.count() == 0
    assert PatientAccess.objects.count() == 0


def test_a_case_of_another_meeting_is_not_found_under_this_one(client, board, chair):
    meeting, _items = meeting_with_cases(board, 1)
    _other, other_items = meeting_with_cases(board, 1)
    verified_login(client, chair)
    url = reverse("cases:meeting_mode", args=[meeting.pk, other_items[0].pk])
    assert client.get(url).status_code == 404


def test_the_screen_shows_the_essentials_and_the_keyboard_map(client, board, chair,
                                                              spine_surgeon):
    meeting, items = meeting_with_cases(board, 3, lesions=2, labs=16)
    case_opinion_record(agenda_item=items[1], author=spine_surgeon,
                        stance=OpinionStance.DISCUSS, text="T8 looks unstable to me.")
    attendance_set(meeting=meeting, user=chair, confirmed=True)
    verified_login(client, chair)
    response = client.get(reverse("cases:meeting_mode_start", args=[meeting.pk]))
    assert response.status_code == 302 and response.url == _mode_url(items[0])
    html = client.get(_mode_url(items[1])).content.decode()
    assert "Case 2 of 3" in html
    assert items[1].question in html
    assert "SINS " in html and "Mirels " in html
    assert "Labs that drive dosing" in html and "Creatinine" in html and "mg/dL" in html
    assert "Images and reports (1)" in html
    assert "T8 looks unstable to me." in html and "Asks the board to discuss it" in html
    # The chair (medical oncology) confirmed; nobody from radiology is coming.
    assert "At the table (1)" in html
    assert "✓ Medical oncology at the table" in html
    assert "✗ Radiology not at the table" in html
    assert "<kbd>A</kbd> accept" in html and "<kbd>S</kbd> sign (asks first)" in html
    assert f'data-next-url="{_mode_url(items[2])}"' in html
    assert f'data-previous-url="{_mode_url(items[0])}"' in html
    assert PatientAccess.objects.filter(patient_ids__contains=[items[1].patient_id]).exists()


def test_partial_decision_is_saved_as_a_draft_with_the_timer(client, board, coordinator):
    _meeting, items = meeting_with_cases(board, 1, days_ahead=0)
    verified_login(client, coordinator)
    data, draft = _post_data(client, items[0], {0: ("accepted", "", "")}, seconds=75)
    response = client.post(_save_url(items[0]), data, **HTMX)
    assert response.status_code == 200
    assert response["X-Decision-Saved"] == "yes"
    remaining = len(draft.output["items"]) - 1
    assert f"{remaining} items still to decide" in response.content.decode()
    decision = Decision.objects.get(agenda_item=items[0])
    verdicts = list(decision.items.values_list("verdict", flat=True))
    assert verdicts == ["accepted"] + [""] * remaining
    assert decision.discussion_seconds == 75
    assert not decision.is_signed
    # The next save carries the timer on; the partial draft is shown as it was left.
    html = client.get(_mode_url(items[0])).content.decode()
    assert 'data-seconds="75"' in html and "Draft decision" in html


def test_modify_without_a_reason_saves_nothing_and_says_which_item(client, board, coordinator):
    _meeting, items = meeting_with_cases(board, 1)
    verified_login(client, coordinator)
    data, _draft = _post_data(client, items[0], {1: ("modified", "20 Gy in 5 fractions", "")})
    response = client.post(_save_url(items[0]), data, **HTMX)
    assert response["X-Decision-Saved"] == "no"
    text = response.content.decode()
    assert "Not saved" in text and "Item 2" in text
    assert "Give the board&#x27;s reason for this change." in text
    assert Decision.objects.count() == 0


def test_a_specialist_saves_but_only_the_chair_signs(client, board, spine_surgeon):
    meeting, items = meeting_with_cases(board, 1, days_ahead=0)
    verified_login(client, spine_surgeon)
    data, _draft = _post_data(client, items[0], default="accepted")
    url = reverse("cases:meeting_mode_sign", args=[meeting.pk, items[0].pk])
    assert client.post(url, {**data, "confirm": "yes"}).status_code == 403
    assert Decision.objects.count() == 0
    assert client.post(_save_url(items[0]), data, **HTMX)["X-Decision-Saved"] == "yes"
    assert not Decision.objects.get().is_signed


def test_chair_signs_after_confirming_and_moves_to_the_next_case(client, board, chair):
    meeting, items = meeting_with_cases(board, 2, days_ahead=0)
    verified_login(client, chair)
    url = reverse("cases:meeting_mode_sign", args=[meeting.pk, items[0].pk])
    data, draft = _post_data(client, items[0], {0: ("rejected", "", "Already treated")},
                             default="accepted", seconds=190)
    # Without the confirmation nothing is signed (or saved).
    response = client.post(url, data)
    assert response.status_code == 302
    assert not Decision.objects.filter(signed_at__isnull=False).exists()
    response = client.post(url, {**data, "confirm": "yes"})
    assert response.status_code == 302 and response.url == _mode_url(items[1])
    decision = Decision.objects.get(agenda_item=items[0])
    assert decision.is_signed and decision_verify(decision)
    assert decision.discussion_seconds == 190
    assert decision.items.get(position=1).reason == "Already treated"
    assert decision.draft_plan_ref == draft.pk
    html = client.get(_mode_url(items[0])).content.decode()
    assert "Read-only" in html and 'id="mm-form"' not in html
    assert "1 of 2 signed" in html
    # Meeting mode starts again at the first case not yet signed; a draft decision on
    # it does not count as signed.
    client.post(_save_url(items[1]), _post_data(client, items[1])[0], **HTMX)
    assert Decision.objects.filter(agenda_item=items[1], signed_at__isnull=True).exists()
    response = client.get(reverse("cases:meeting_mode_start", args=[meeting.pk]))
    assert response.url == _mode_url(items[1])
    assert "1 of 2 signed" in client.get(_mode_url(items[1])).content.decode()
    # A signed decision refuses another save.
    response = client.post(_save_url(items[0]), data, **HTMX)
    assert response["X-Decision-Saved"] == "no"
    assert "record an amendment" in response.content.decode()
    assert decision_verify(Decision.objects.get(agenda_item=items[0]))


def test_signing_refuses_undecided_items_and_keeps_the_draft(client, board, chair):
    meeting, items = meeting_with_cases(board, 1, days_ahead=0)
    verified_login(client, chair)
    data, _draft = _post_data(client, items[0], {0: ("accepted", "", "")})
    url = reverse("cases:meeting_mode_sign", args=[meeting.pk, items[0].pk])
    response = client.post(url, {**data, "confirm": "yes"}, follow=True)
    assert "Saved, but not signed" in response.content.decode()
    assert "no verdict yet" in response.content.decode()
    decision = Decision.objects.get()
    assert not decision.is_signed
    assert decision.items.filter(verdict="accepted").count() == 1


# --- The kind of action, chosen inline ----------------------------------------------------

def _fields_url(item, row):
    return reverse("cases:meeting_mode_action_fields", args=[item.meeting_id, item.pk, row])


#: Whole-spine MRI (an investigation in the draft) changed into an urgent spinal opinion.
TO_PROCEDURE = {"d0-action_kind": "procedure", "d0-action_procedure": "spinal_opinion",
                "d0-action_lesion": "T8", "d0-action_urgency": "urgent", "d0-action_due_on": ""}


def test_each_item_offers_the_decision_pages_kinds_of_action(client, board, coordinator):
    _meeting, items = meeting_with_cases(board, 1)
    verified_login(client, coordinator)
    html = client.get(_mode_url(items[0])).content.decode()
    assert 'name="d0-action_kind" type="hidden"' not in html
    assert '<select name="d0-action_kind" id="id_d0-action_kind"' in html
    assert "Kind of action" in html
    # The same plain-word choices as the decision page, the draft's own kind selected.
    for label in ("Medication", "Radiotherapy", "Procedure or referral", "Investigation",
                  "Other (free text — no reminders)"):
        assert f">{label}</option>" in html
    assert '<option value="investigation" selected>Investigation</option>' in html
    assert _fields_url(items[0], 0) in html


def test_picking_another_kind_shows_its_fields_and_saves_nothing(client, board, coordinator):
    _meeting, items = meeting_with_cases(board, 1)
    verified_login(client, coordinator)
    client.get(_mode_url(items[0]))
    response = client.get(_fields_url(items[0], 0), {"d0-action_kind": "procedure"}, **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="d0-action_procedure"' in html and "Procedure or referral" in html
    assert ">spinal surgical opinion</option>" in html and "Urgency" in html
    assert 'name="d0-action_modality"' not in html
    assert "Kind changed from Investigation to Procedure or referral" in html
    # Back to the draft's own kind: its proposed values again.
    html = client.get(_fields_url(items[0], 0), {"d0-action_kind": "investigation"},
                      **HTMX).content.decode()
    assert 'value="whole spine"' in html and "Kind changed" not in html
    assert client.get(_fields_url(items[0], 0), {"d0-action_kind": "teleport"}).status_code == 404
    assert client.get(_fields_url(items[0], 99), {"d0-action_kind": "other"}).status_code == 404
    assert Decision.objects.count() == 0


def test_outsider_cannot_read_the_action_fields(client, board, outsider):
    _meeting, items = meeting_with_cases(board, 1)
    verified_login(client, outsider)
    assert client.get(_fields_url(items[0], 0), {"d0-action_kind": "other"}).status_code == 404
    assert PatientAccess.objects.count() == 0


def test_modify_to_another_kind_is_saved_with_the_partial_draft(client, board, coordinator):
    _meeting, items = meeting_with_cases(board, 1)
    verified_login(client, coordinator)
    data, draft = _post_data(client, items[0], {0: ("modified", "", "Neurology worse")})
    response = client.post(_save_url(items[0]), {**data, **TO_PROCEDURE}, **HTMX)
    assert response["X-Decision-Saved"] == "yes", response.content.decode()
    assert "still to decide" in response.content.decode()
    first = Decision.objects.get().items.order_by("position").first()
    assert first.verdict == "modified" and first.reason == "Neurology worse"
    assert first.action == {"kind": "procedure", "procedure": "spinal_opinion",
                            "lesion": "T8", "urgency": "urgent"}
    assert first.detail == "Spinal surgical opinion (T8), within a week"
    # The screen shows the saved kind when the case is opened again, and its details
    # bring the saved fields.
    html = client.get(_mode_url(items[0])).content.decode()
    assert '<option value="procedure" selected>Procedure or referral</option>' in html
    html = client.get(_fields_url(items[0], 0), {"d0-action_kind": "procedure"},
                      **HTMX).content.decode()
    assert '<option value="urgent" selected>within a week</option>' in html
    assert 'value="T8"' in html and "Kind changed" not in html


def test_the_typed_fields_come_when_the_details_are_opened(client, board, coordinator):
    _meeting, items = meeting_with_cases(board, 1)
    verified_login(client, coordinator)
    html = client.get(_mode_url(items[0])).content.decode()
    # The kind is on the screen; its fields are fetched on the first opening, and until
    # then a hidden input stands in for them.
    assert '<select name="d0-action_kind" id="id_d0-action_kind"' in html
    assert 'name="d0-action_modality"' not in html and 'name="d0-action_region"' not in html
    assert '<input type="hidden" name="d0-action_not_shown" value="yes">' in html
    # Into the item's own fields (not the save line the autosave wrapper targets).
    assert ('hx-trigger="toggle once from:closest details" hx-target="this" '
            'hx-include="#id_d0-action_kind"') in html
    assert f'hx-get="{_fields_url(items[0], 0)}"' in html
    html = client.get(_fields_url(items[0], 0), {"d0-action_kind": "investigation"},
                      **HTMX).content.decode()
    assert 'name="d0-action_modality"' in html and 'value="whole spine"' in html
    assert "action_not_shown" not in html


def test_modify_with_the_fields_unopened_keeps_the_typed_action(client, board, coordinator):
    """The board modifies an item in words without opening its details: the draft's
    typed action (and its reminders) is kept, as when the fields were posted."""
    _meeting, items = meeting_with_cases(board, 1)
    verified_login(client, coordinator)
    data, _draft = _post_data(client, items[0], {
        0: ("modified", "MRI of the whole spine this week", "Neurology worse")})
    # What the page's fields post once opened, unchanged: the draft's own action.
    opened = client.get(_fields_url(items[0], 0), {"d0-action_kind": "investigation"},
                        **HTMX).content.decode()
    assert 'value="whole spine"' in opened
    unopened = {**data, "d0-action_kind": "investigation", "d0-action_not_shown": "yes"}
    response = client.post(_save_url(items[0]), unopened, **HTMX)
    assert response["X-Decision-Saved"] == "yes", response.content.decode()
    first = Decision.objects.get().items.order_by("position").first()
    assert first.verdict == "modified" and first.detail == "MRI of the whole spine this week"
    assert first.action["kind"] == "investigation"
    assert first.action["region"] == "whole spine" and first.action["modality"] == "mri"
    # Reopened, the saved action is what the item starts from, and is kept again.
    response = client.post(_save_url(items[0]), unopened, **HTMX)
    assert response["X-Decision-Saved"] == "yes"
    assert Decision.objects.get().items.order_by("position").first().action == first.action


def test_the_screen_shows_a_decision_as_its_item_forms_would(client, board, coordinator):
    """The screen reads the decision as it stands from its rows, without item forms:
    the same values as the forms give, for the draft and for a saved partial decision."""
    _meeting, items = meeting_with_cases(board, 1)
    verified_login(client, coordinator)
    data, draft = _post_data(client, items[0], {
        0: ("modified", "MRI of the whole spine this week", "Neurology worse"),
        1: ("rejected", "", "Done last week"), 2: ("accepted", "", "")})
    response = client.post(_save_url(items[0]), {
        **data, "d0-action_kind": "investigation", "d0-action_not_shown": "yes"}, **HTMX)
    assert response["X-Decision-Saved"] == "yes"
    view = draft_view(draft)
    saved_rows, _added = _rows_from_decision(Decision.objects.get(), view)
    assert [r["initial"]["verdict"] for r in saved_rows[:4]] == [
        "modified", "rejected", "accepted", ""]
    kinds = set()
    for rows in (_rows_from_draft(view), saved_rows):
        for index, row in enumerate(rows):
            prefix = DecisionForm.draft_prefix(index)
            form = DraftItemForm(None, prefix=prefix, row=row, initial=row.get("initial"))
            assert _values_as_proposed(row, prefix) == _light_fields(form, with_fields=False)
            kinds.add(form.action_kind_shown)
    assert len(kinds) >= 2  # more than one kind of action compared


def test_another_kind_with_its_fields_not_yet_here_is_not_saved(client, board, coordinator):
    """The kind changed and saved before the new kind's fields arrived: the stand-in
    keeps only the item's own kind, so nothing half-filled is saved."""
    _meeting, items = meeting_with_cases(board, 1)
    verified_login(client, coordinator)
    data, _draft = _post_data(client, items[0], {0: ("modified", "", "Neurology worse")})
    response = client.post(_save_url(items[0]), {
        **data, "d0-action_kind": "procedure", "d0-action_not_shown": "yes"}, **HTMX)
    assert response["X-Decision-Saved"] == "no"
    assert "Item 1" in response.content.decode()
    assert Decision.objects.count() == 0


def test_a_refused_save_shows_the_fields_that_were_on_the_screen(client, board, coordinator):
    """Without htmx a refused save re-shows the page: an item whose fields were posted
    shows them with what was typed; one whose fields were never opened still waits."""
    _meeting, items = meeting_with_cases(board, 1)
    verified_login(client, coordinator)
    data, _draft = _post_data(client, items[0], {0: ("modified", "", "Neurology worse"),
                                                 1: ("modified", "Something else", "")})
    response = client.post(_save_url(items[0]), {
        **data, **TO_PROCEDURE, "d1-action_kind": "investigation",
        "d1-action_not_shown": "yes"})
    assert response.status_code == 422
    html = response.content.decode()
    assert 'name="d0-action_lesion" id="id_d0-action_lesion" value="T8"' in html
    assert 'name="d0-action_not_shown"' not in html
    assert '<input type="hidden" name="d1-action_not_shown" value="yes">' in html
    assert Decision.objects.count() == 0


def test_another_kind_is_validated_as_on_the_decision_page(client, board, coordinator):
    _meeting, items = meeting_with_cases(board, 1)
    verified_login(client, coordinator)
    data, _draft = _post_data(client, items[0], {0: ("modified", "", "Neurology worse")})
    # The new kind's required fields missing: nothing saved, the item named.
    response = client.post(_save_url(items[0]), {**data, "d0-action_kind": "procedure"},
                           **HTMX)
    assert response["X-Decision-Saved"] == "no"
    text = response.content.decode()
    assert "Not saved" in text and "Item 1" in text and "Procedure or referral" in text
    # Accepting keeps the proposed action: another kind with "Accept" is refused, not
    # silently dropped (the decision page refuses it the same way).
    data, _draft = _post_data(client, items[0], {0: ("accepted", "", "")})
    response = client.post(_save_url(items[0]), {**data, **TO_PROCEDURE}, **HTMX)
    assert response["X-Decision-Saved"] == "no"
    assert "To change the kind of action, choose Modify" in response.content.decode()
    assert Decision.objects.count() == 0


def test_the_dosing_labs_are_the_latest_of_each(client, board, chair):
    meeting, _items = meeting_with_cases(board, 1)
    patient = add_patient(board, labs=0)
    now = timezone.now()
    for days, value in ((30, "1.10"), (3, "1.40"), (10, "1.25")):
        LabResultFactory(patient=patient, value=Decimal(value),
                         taken_at=now - dt.timedelta(days=days))
    LabResultFactory(patient=patient, analyte=LabAnalyte.CALCIUM, unit=LabUnit.MMOL_L,
                     value=Decimal("2.40"), taken_at=now - dt.timedelta(days=5))
    # Not a dosing lab: newer than every other result, and still not in the table.
    LabResultFactory(patient=patient, analyte=LabAnalyte.ALP, unit=LabUnit.U_L,
                     value=Decimal("310"), taken_at=now - dt.timedelta(days=1))
    item = agenda_item_add(meeting=meeting, patient=patient, question="Zoledronic acid?")
    verified_login(client, chair)
    html = client.get(_mode_url(item)).content.decode()
    table = html[html.index('aria-label="Latest dosing labs"'):]
    table = table[:table.index("</table>")]
    assert "1.4 mg/dL" in table and "1.1 mg/dL" not in table and "1.25" not in table
    assert "2.4 mmol/L" in table
    assert "Alkaline phosphatase" not in table and "310" not in table
    # Haemoglobin, platelets, neutrophils and vitamin D: none recorded, said so.
    assert table.count(">none<") == 4


@pytest.mark.parametrize(("cases", "lesions", "labs"), [(2, 1, 5), (12, 8, 120)])
def test_meeting_mode_query_count_does_not_grow(client, board, chair,
                                                django_assert_num_queries, cases, lesions, labs):
    _meeting, items = meeting_with_cases(board, cases, lesions=lesions, labs=labs)
    verified_login(client, chair)
    client.get(_mode_url(items[1]))
    with django_assert_num_queries(MEETING_MODE_WARM):
        assert client.get(_mode_url(items[1])).status_code == 200


# --- Opinions -----------------------------------------------------------------------------

def test_a_specialist_records_an_opinion_the_case_review_shows(client, board, spine_surgeon):
    _meeting, items = meeting_with_cases(board, 1)
    verified_login(client, spine_surgeon)
    url = reverse("cases:case_opinions", args=[items[0].pk])
    response = client.post(url, {"stance": "discuss", "text": "Posterior elements involved."})
    assert response.status_code == 302
    opinion = CaseOpinion.objects.get()
    assert (opinion.author, opinion.specialty, opinion.stance) == (
        spine_surgeon, "spine_surgery", "discuss")
    html = client.get(reverse("cases:case_review", args=[items[0].pk])).content.decode()
    assert "Posterior elements involved." in html
    assert "Asks the board to discuss it" in html


def test_a_bad_opinion_is_refused_field_by_field(client, board, spine_surgeon):
    _meeting, items = meeting_with_cases(board, 1)
    verified_login(client, spine_surgeon)
    response = client.post(reverse("cases:case_opinions", args=[items[0].pk]),
                           {"stance": "", "text": "x" * 1001})
    assert response.status_code == 422
    html = response.content.decode()
    assert "This field is required." in html
    assert "at most 1000 characters" in html
    assert CaseOpinion.objects.count() == 0


def test_a_coordinator_reads_opinions_but_gives_none(client, board, coordinator):
    _meeting, items = meeting_with_cases(board, 1)
    verified_login(client, coordinator)
    url = reverse("cases:case_opinions", args=[items[0].pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"stance": "agrees", "text": "Fine"}).status_code == 403
    assert CaseOpinion.objects.count() == 0


# --- The standard-of-care block -------------------------------------------------------------

def _block_meeting(board, spine_surgeon):
    """Four cases: two complete and routine (the block), one with an opinion asking for
    a discussion, one with missing data."""
    meeting, items = meeting_with_cases(board, 3, complete=True, days_ahead=0)
    chase = agenda_item_add(meeting=meeting, patient=add_patient(board),
                            question="Radiotherapy?")
    case_opinion_record(agenda_item=items[2], author=spine_surgeon,
                        stance=OpinionStance.DISCUSS, text="Discuss fixation first.")
    return meeting, items, chase


def test_the_block_lists_routine_cases_and_says_why_others_need_discussion(
        client, board, chair, spine_surgeon):
    meeting, items, chase = _block_meeting(board, spine_surgeon)
    verified_login(client, chair)
    html = client.get(reverse("cases:standard_of_care", args=[meeting.pk])).content.decode()
    assert "In the block (2)" in html
    assert f'id="soc-{items[0].pk}"' in html and f'id="soc-{items[1].pk}"' in html
    assert "1 specialist opinion asks for a discussion." in html
    assert "missing." in html
    assert "Sign 2 cases as standard of care" in html


def test_chair_signs_the_block_with_one_opt_out(client, board, chair, spine_surgeon,
                                                coordinator):
    meeting, items, chase = _block_meeting(board, spine_surgeon)
    url = reverse("cases:standard_of_care", args=[meeting.pk])
    verified_login(client, coordinator)
    client.post(url, {"action": "opt_out", "item": items[1].pk})
    assert AgendaItem.objects.get(pk=items[1].pk).standard_of_care_opt_out
    # The coordinator may take a case out but not sign.
    assert client.post(url, {"action": "sign", "items": [items[0].pk],
                             "confirm": "yes"}).status_code == 403
    verified_login(client, chair)
    # Without the confirmation, or with a block that changed, nothing is signed.
    client.post(url, {"action": "sign", "items": [items[0].pk]})
    client.post(url, {"action": "sign", "items": [items[0].pk, items[1].pk], "confirm": "yes"})
    assert not Decision.objects.exists()
    response = client.post(url, {"action": "sign", "items": [items[0].pk], "confirm": "yes"},
                           follow=True)
    assert "1 case signed as standard of care" in response.content.decode()
    decision = Decision.objects.get()
    assert decision.agenda_item_id == items[0].pk
    assert decision.is_signed and decision.standard_of_care and decision_verify(decision)
    draft = DraftPlan.objects.filter(agenda_item=items[0]).latest("id")
    assert decision.draft_plan_ref == draft.pk
    assert list(decision.items.values_list("code", "verdict")) == [
        (i["code"], "accepted") for i in draft.output["items"]]
    # Typed actions come from the draft, so the follow-up is scheduled as for any sign.
    assert decision.items.exclude(action_kind="other").exists()
    assert "Signed as standard of care" in response.content.decode()
    assert not Decision.objects.filter(agenda_item__in=[items[1], items[2], chase]).exists()


def test_a_case_taken_out_goes_back_into_the_block(client, board, chair, spine_surgeon):
    meeting, items, _chase = _block_meeting(board, spine_surgeon)
    url = reverse("cases:standard_of_care", args=[meeting.pk])
    verified_login(client, chair)
    client.post(url, {"action": "opt_out", "item": items[0].pk})
    html = client.get(url).content.decode()
    assert "In the block (1)" in html and "Put case 1 back in the block" in html
    client.post(url, {"action": "opt_in", "item": items[0].pk})
    assert "In the block (2)" in client.get(url).content.decode()
