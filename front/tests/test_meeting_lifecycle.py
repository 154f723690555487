"""The meeting's life cycle on the pages and the API (issue 15, item 4): a confirmation
step before signing, no signing before the meeting's day, a held meeting's agenda is
read-only and shows outcomes, circulating again asks first and names who has it,
"move to position N" in one request, and the add-case error next to the form."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from boardsite.accounts_testing import verified_login
from cases.choices import MeetingStatus
from cases.models import AgendaItem, Decision, Meeting
from cases.services import decision_record, decision_sign, meeting_mark_held
from cases.tests.api.conftest import token_client
from cases.tests.views.builders import meeting_with_cases
from recommendations.models import DraftPlan
from reminders.choices import ReminderKind, ReminderStatus
from reminders.models import Reminder

ITEMS = [{"title": "Radiotherapy 8 Gy in 1 fraction to T8", "verdict": "added"}]


def _saved(item, coordinator):
    return decision_record(agenda_item=item, recorded_by=coordinator, items=ITEMS,
                           outcome_summary="Radiotherapy")


# --- Signing: the day rule and the confirmation step ---------------------------------------

def test_before_the_meeting_day_the_page_offers_no_signing(client, board, chair, coordinator):
    _meeting, items = meeting_with_cases(board, 1, days_ahead=3)
    _saved(items[0], coordinator)
    verified_login(client, chair)
    html = client.get(reverse("cases:decision", args=[items[0].pk])).content.decode()
    assert "Signing opens on the day of the meeting" in html
    assert 'value="sign"' not in html
    response = client.get(reverse("cases:decision_sign", args=[items[0].pk]))
    assert "Not signed: Signing opens on the day of the meeting" in response.content.decode()
    assert "Sign version 1 as chair" not in response.content.decode()
    client.post(reverse("cases:decision_sign", args=[items[0].pk]), {"version": "1"})
    assert not Decision.objects.get().is_signed


def test_the_confirmation_step_shows_what_is_signed_and_signs_only_that_version(
        client, board, chair, coordinator):
    _meeting, items = meeting_with_cases(board, 1, days_ahead=0)
    item = items[0]
    _saved(item, coordinator)
    verified_login(client, chair)
    url = reverse("cases:decision_sign", args=[item.pk])
    html = client.get(url).content.decode()
    assert "Check before you sign version 1" in html
    assert "Radiotherapy 8 Gy in 1 fraction to T8" in html
    assert not Decision.objects.get().is_signed  # looking signs nothing
    # A version saved meanwhile (v1 replaced) is never signed unseen.
    response = client.post(url, {"version": "7"})
    assert response.status_code == 302 and response.url == url
    assert not Decision.objects.get().is_signed
    response = client.post(url, {"version": "1"})
    assert response.url == reverse("cases:decision", args=[item.pk])
    assert Decision.objects.get().is_signed


def test_only_the_chair_reaches_the_confirmation_step(client, board, spine_surgeon,
                                                      coordinator):
    _meeting, items = meeting_with_cases(board, 1, days_ahead=0)
    _saved(items[0], coordinator)
    verified_login(client, spine_surgeon)
    assert client.get(reverse("cases:decision_sign", args=[items[0].pk])).status_code == 403
    assert client.post(reverse("cases:decision_sign", args=[items[0].pk]),
                       {"version": "1"}).status_code == 403


def test_the_api_refuses_signing_before_the_meeting_day(board, chair, coordinator):
    _meeting, items = meeting_with_cases(board, 1, days_ahead=2)
    decision = _saved(items[0], coordinator)
    response = token_client(chair).post(f"/api/v1/decisions/{decision.pk}/sign/",
                                        {"confirm": True}, format="json")
    assert response.status_code == 400
    assert "Signing opens on the day of the meeting" in str(response.json())
    decision.refresh_from_db()
    assert not decision.is_signed


def test_the_decision_page_says_partial_decisions_are_drafts(client, board, chair):
    _meeting, items = meeting_with_cases(board, 1, days_ahead=0)
    verified_login(client, chair)
    url = reverse("cases:decision", args=[items[0].pk])
    html = client.get(url).content.decode()
    assert "Choose a verdict for every item" not in html
    assert ("Save at any point: an item without a verdict stays undecided and the decision "
            "is kept as a draft. Signing needs a verdict on every item.") in html
    # Saving one verdict of many is a draft, and the page says what is left.
    draft = DraftPlan.objects.get(agenda_item=items[0])
    count = len(draft.output["items"])
    data = {"draft_ref": draft.pk, "added_count": "1", "action": "save",
            "outcome_summary": "", "a0-title": "", "a0-detail": "",
            "d0-verdict": "accepted", "d0-detail": "", "d0-reason": ""}
    html = client.post(url, data, follow=True).content.decode()
    assert (f"Decision saved (version 1, not signed): a draft, {count - 1} items still to "
            "decide before it can be signed.") in html
    decision = Decision.objects.get()
    assert list(decision.items.values_list("verdict", flat=True)) == ["accepted"] + [""] * (
        count - 1)
    # The confirmation step does not offer to sign it, and calls nothing "rejected".
    html = client.get(reverse("cases:decision_sign", args=[items[0].pk])).content.decode()
    assert (f"Not ready to sign: {count - 1} items of version 1 have no verdict yet.") in html
    assert html.count("Not decided yet") == count - 1
    assert "Nothing (rejected)" not in html
    assert "Sign version 1 as chair" not in html
    # Every verdict given: the same page offers the signature.
    data.update({f"d{i}-verdict": "accepted" for i in range(count)})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()
    version = Decision.objects.latest("version").version
    html = client.get(reverse("cases:decision_sign", args=[items[0].pk])).content.decode()
    assert "Not ready to sign" not in html and f"Sign version {version} as chair" in html


CONFIRM_ERROR = {"errors": {"confirm": [
    'Confirm the signature: send "confirm": true. Once signed the decision is read-only '
    "and its follow-up is scheduled."]}}


def test_the_api_signs_only_with_the_confirmation(board, chair, coordinator):
    _meeting, items = meeting_with_cases(board, 1, days_ahead=0)
    decision = _saved(items[0], coordinator)
    api, url = token_client(chair), f"/api/v1/decisions/{decision.pk}/sign/"
    # No body, false, a string, null: a clear field error and nothing changed.
    for body in (None, {}, {"confirm": False}, {"confirm": "no"}, {"confirm": None},
                 {"confirmed": True}):
        response = api.post(url, body, format="json")
        assert response.status_code == 400, body
        assert response.json() == CONFIRM_ERROR, body
        decision.refresh_from_db()
        assert not decision.is_signed and decision.content_sha256 == ""
        assert not Reminder.objects.exists()
    # A coordinator is refused by role before the body is read (403, not a field error).
    response = token_client(coordinator).post(url, {}, format="json")
    assert response.status_code == 403
    response = api.post(url, {"confirm": True}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["signed_by"] == chair.pk
    decision.refresh_from_db()
    assert decision.is_signed and decision.signed_by == chair


def test_the_api_confirmation_does_not_open_signing_before_the_day(board, chair, coordinator):
    _meeting, items = meeting_with_cases(board, 1, days_ahead=1)
    decision = _saved(items[0], coordinator)
    url = f"/api/v1/decisions/{decision.pk}/sign/"
    response = token_client(chair).post(url, {"confirm": True}, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["decision"]
    assert response.json()["errors"]["decision"][0].startswith(
        "Signing opens on the day of the meeting")
    decision.refresh_from_db()
    assert not decision.is_signed


# --- A held meeting ------------------------------------------------------------------------

def _held(board, coordinator, chair, cases=3):
    meeting, items = meeting_with_cases(board, cases, days_ahead=0)
    decision_sign(decision=_saved(items[0], coordinator), chair=chair)
    _saved(items[1], coordinator)
    meeting_mark_held(meeting=meeting)
    return Meeting.objects.get(pk=meeting.pk), items


def test_a_held_meeting_shows_outcomes_and_offers_no_agenda_change(client, board,
                                                                   coordinator, chair):
    meeting, _items = _held(board, coordinator, chair)
    verified_login(client, coordinator)
    html = client.get(reverse("cases:agenda", args=[meeting.pk])).content.decode()
    assert "Meeting held — agenda read-only" in html
    assert "Outcomes" in html and "Readiness" not in html
    assert "not ready" not in html.lower()
    assert html.count("Decision signed") == 2  # the row and the count
    assert html.count("Decision saved, not signed") == 2
    assert html.count("No decision recorded") == 2
    for control in ("Unlock agenda", "Circulate", "Lock agenda", "Add to agenda",
                    "Move case", "▲ Up", "Remove", "Record the meeting as held"):
        assert control not in html, control


def test_a_held_meetings_agenda_refuses_every_change_posted(client, board, coordinator,
                                                           chair):
    meeting, items = _held(board, coordinator, chair)
    verified_login(client, coordinator)
    order = list(AgendaItem.objects.filter(meeting=meeting).order_by("position")
                 .values_list("pk", flat=True))
    posts = [
        (reverse("cases:agenda_unlock", args=[meeting.pk]), {}),
        (reverse("cases:agenda_circulate", args=[meeting.pk]), {"again": "1"}),
        (reverse("cases:agenda_move", args=[meeting.pk, items[2].pk]), {"position": "1"}),
        (reverse("cases:agenda_reorder", args=[meeting.pk]), {"order": order[::-1]}),
        (reverse("cases:agenda_item_remove", args=[meeting.pk, items[2].pk]), {}),
    ]
    for url, data in posts:
        response = client.post(url, data, follow=True)
        assert "This meeting has been held" in response.content.decode(), url
    meeting.refresh_from_db()
    assert (meeting.status, meeting.agenda_circulated_at) == (MeetingStatus.HELD, None)
    assert list(AgendaItem.objects.filter(meeting=meeting).order_by("position")
                .values_list("pk", flat=True)) == order


def test_the_api_refuses_to_unlock_or_reorder_a_held_meeting(board, coordinator, chair):
    meeting, items = _held(board, coordinator, chair)
    api = token_client(coordinator)
    response = api.post(f"/api/v1/meetings/{meeting.pk}/unlock/")
    assert response.status_code == 400
    assert "This meeting has been held" in str(response.json())
    response = api.post(f"/api/v1/meetings/{meeting.pk}/reorder/",
                        {"item_ids": [i.pk for i in items][::-1]}, format="json")
    assert response.status_code == 400
    response = api.patch(f"/api/v1/meetings/{meeting.pk}/", {"location": "Room 9"},
                         format="json")
    assert response.status_code == 400
    meeting.refresh_from_db()
    assert (meeting.status, meeting.location) == (MeetingStatus.HELD, "Seminar room 2")


def test_the_api_records_a_meeting_as_held_from_its_day(board, coordinator):
    later, _ = meeting_with_cases(board, 1, days_ahead=4)
    today, _ = meeting_with_cases(board, 1, days_ahead=0)
    api = token_client(coordinator)
    assert api.post(f"/api/v1/meetings/{later.pk}/held/").status_code == 400
    response = api.post(f"/api/v1/meetings/{today.pk}/held/")
    assert response.status_code == 200 and response.json()["status"] == "held"


def test_record_as_held_is_offered_from_the_meeting_day(client, board, coordinator):
    later, _ = meeting_with_cases(board, 1, days_ahead=4)
    today, _ = meeting_with_cases(board, 1, days_ahead=0)
    verified_login(client, coordinator)
    assert "Record the meeting as held" not in client.get(
        reverse("cases:agenda", args=[later.pk])).content.decode()
    assert "Record the meeting as held" in client.get(
        reverse("cases:agenda", args=[today.pk])).content.decode()
    client.post(reverse("cases:meeting_held", args=[later.pk]))
    client.post(reverse("cases:meeting_held", args=[today.pk]))
    assert Meeting.objects.get(pk=later.pk).status == MeetingStatus.PLANNED
    assert Meeting.objects.get(pk=today.pk).status == MeetingStatus.HELD


# --- Circulating again ---------------------------------------------------------------------

def test_circulating_again_asks_first_and_names_who_has_it(client, board, coordinator,
                                                           chair, spine_surgeon):
    meeting, _items = meeting_with_cases(board, 2, days_ahead=5)
    verified_login(client, coordinator)
    url = reverse("cases:agenda_circulate", args=[meeting.pk])
    client.post(reverse("cases:agenda_lock", args=[meeting.pk]))
    response = client.post(url, follow=True)
    assert "Agenda circulated" in response.content.decode()
    first = Meeting.objects.get(pk=meeting.pk).agenda_circulated_at
    invites = Reminder.objects.filter(kind=ReminderKind.AGENDA_CIRCULATION,
                                      status=ReminderStatus.PENDING)
    count = invites.count()
    assert count >= 2
    invites.filter(responsible_user=chair).update(status=ReminderStatus.SENT,
                                                  sent_at=timezone.now())
    html = client.get(reverse("cases:agenda", args=[meeting.pk])).content.decode()
    assert "Circulate again…" in html
    # Pressing it again (or posting without confirming) asks first and sends nothing.
    response = client.post(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Circulate the agenda again?" in html
    assert "Who already has it (1)" in html
    assert chair.get_full_name() in html or chair.username in html
    assert Meeting.objects.get(pk=meeting.pk).agenda_circulated_at == first
    assert Reminder.objects.filter(kind=ReminderKind.AGENDA_CIRCULATION).count() == count * 2
    # Confirmed: sent again.
    client.post(url, {"again": "1"})
    assert Meeting.objects.get(pk=meeting.pk).agenda_circulated_at > first


# --- Reordering and the add-case form ------------------------------------------------------

def test_move_to_position_n_is_one_request(client, board, coordinator):
    meeting, items = meeting_with_cases(board, 5, days_ahead=5)
    verified_login(client, coordinator)
    html = client.get(reverse("cases:agenda", args=[meeting.pk])).content.decode()
    assert 'data-reorder-form="reorder-form"' in html and 'id="move-to"' in html
    response = client.post(reverse("cases:agenda_move_to", args=[meeting.pk]),
                           {"item": str(items[4].pk), "position": "1"}, follow=True)
    assert "The case is now number 1." in response.content.decode()
    assert list(AgendaItem.objects.filter(meeting=meeting).order_by("position")
                .values_list("pk", flat=True)) == [items[4].pk, *[i.pk for i in items[:4]]]
    response = client.post(reverse("cases:agenda_move", args=[meeting.pk, items[0].pk]),
                           {"position": "9"}, follow=True)
    assert "Give a position from 1 to 5." in response.content.decode()


def test_an_add_case_error_comes_back_next_to_the_form(client, board, coordinator):
    meeting, _items = meeting_with_cases(board, 1, days_ahead=5)
    verified_login(client, coordinator)
    url = reverse("cases:agenda_item_add", args=[meeting.pk])
    data = {"hospital_number": "NOSUCH123", "question": "Fixation?"}
    # htmx: only the form, with its errors and the focus target.
    response = client.post(url, data, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and 'id="add-case"' in html
    assert "Not added:" in html and "data-focus-on-load" in html
    assert 'value="NOSUCH123"' in html
    # Without JavaScript: the page, with the form's action anchored at the form.
    response = client.post(url, data)
    assert response.status_code == 200
    assert f'action="{url}#add-case"' in response.content.decode()
    assert AgendaItem.objects.filter(meeting=meeting).count() == 1


def test_a_successful_htmx_add_reloads_the_agenda_at_the_new_case(client, board, coordinator):
    from cases.tests.views.builders import add_patient

    meeting, _items = meeting_with_cases(board, 1, days_ahead=5)
    patient = add_patient(board, lesions=0, labs=0)
    verified_login(client, coordinator)
    response = client.post(reverse("cases:agenda_item_add", args=[meeting.pk]),
                           {"hospital_number": patient.hospital_number,
                            "question": "Fixation?"}, HTTP_HX_REQUEST="true")
    item = AgendaItem.objects.get(patient=patient)
    assert response["HX-Redirect"] == (reverse("cases:agenda", args=[meeting.pk])
                                       + f"?added={item.pk}#item-{item.pk}")


def test_a_past_meetings_case_is_still_signed_the_day_after(board, coordinator, chair):
    meeting, items = meeting_with_cases(board, 1, days_ahead=-1)
    decision = _saved(items[0], coordinator)
    assert decision_sign(decision=decision, chair=chair).is_signed
    assert meeting.starts_at < timezone.now() - dt.timedelta(hours=20)
