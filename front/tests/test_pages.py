"""The pages: who may see and do what, what they show, and that a failed submit keeps
everything typed."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from boardsite.accounts_testing import verified_login
from cases.choices import DecisionItemVerdict, MeetingStatus
from cases.models import AgendaItem, Decision, LabResult, Meeting, PatientAccess
from cases.services import agenda_item_add
from cases.tests.views.builders import add_patient, meeting_with_cases
from recommendations.models import DraftPlan

# --- Outsiders and roles ----------------------------------------------------------------


@pytest.mark.parametrize("name", ["agenda", "agenda_print"])
def test_outsider_gets_404_for_the_meeting_pages(client, board, outsider, name):
    meeting, _items = meeting_with_cases(board, 1)
    verified_login(client, outsider)
    assert client.get(reverse(f"cases:{name}", args=[meeting.pk])).status_code == 404
    assert PatientAccess.objects.count() == 0


@pytest.mark.parametrize("name", ["case_review", "decision"])
def test_outsider_gets_404_for_the_case_pages(client, board, outsider, name):
    _meeting, items = meeting_with_cases(board, 1)
    verified_login(client, outsider)
    assert client.get(reverse(f"cases:{name}", args=[items[0].pk])).status_code == 404
    assert PatientAccess.objects.count() == 0
    assert DraftPlan.objects.count() == 0


def test_outsider_gets_404_for_the_patient_and_finds_nobody(client, board, outsider):
    patient = add_patient(board, lesions=0, labs=0, family_name="Hidden")
    verified_login(client, outsider)
    assert client.get(reverse("cases:patient_detail", args=[patient.pk])).status_code == 404
    response = client.get(reverse("cases:patient_search") + "?q=Hidden")
    assert response.status_code == 200
    assert "HIDDEN" not in response.content.decode()
    assert patient.hospital_number not in response.content.decode()
    assert PatientAccess.objects.count() == 0


def test_outsider_cannot_post_a_decision_and_nothing_changes(client, board, outsider):
    _meeting, items = meeting_with_cases(board, 1)
    verified_login(client, outsider)
    response = client.post(reverse("cases:decision", args=[items[0].pk]),
                           {"action": "save", "outcome_summary": "x"})
    assert response.status_code == 404
    assert Decision.objects.count() == 0


def test_anonymous_user_is_sent_to_sign_in(client, board):
    meeting, _items = meeting_with_cases(board, 1)
    url = reverse("cases:agenda", args=[meeting.pk])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={url}"


def test_specialist_cannot_lock_the_agenda_and_nothing_changes(client, board, spine_surgeon):
    meeting, _items = meeting_with_cases(board, 1)
    verified_login(client, spine_surgeon)
    response = client.post(reverse("cases:agenda_lock", args=[meeting.pk]))
    assert response.status_code == 403
    meeting.refresh_from_db()
    assert meeting.agenda_locked_at is None
    assert meeting.status == MeetingStatus.PLANNED


# --- Meetings and agenda ------------------------------------------------------------------


def test_coordinator_creates_a_meeting(client, board, coordinator, chair):
    verified_login(client, coordinator)
    starts = timezone.localtime(timezone.now() + dt.timedelta(days=7)).replace(
        second=0, microsecond=0)
    response = client.post(reverse("cases:meeting_create"), {
        "board": board.pk, "starts_at": starts.strftime("%Y-%m-%dT%H:%M"),
        "duration_minutes": 60, "location": "Room 4", "video_link": "",
    })
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:agenda", args=[meeting.pk])
    assert (meeting.board, meeting.starts_at, meeting.location) == (board, starts, "Room 4")
    assert sorted(meeting.attendances.values_list("user__username", flat=True)) == [
        "chair", "coordinator"]


def test_meeting_in_the_past_is_refused_and_the_form_keeps_the_values(
    client, board, coordinator
):
    verified_login(client, coordinator)
    response = client.post(reverse("cases:meeting_create"), {
        "board": board.pk, "starts_at": "2020-01-01T09:00", "duration_minutes": 60,
        "location": "Room with a view",
    })
    assert response.status_code == 200
    assert Meeting.objects.count() == 0
    html = response.content.decode()
    assert "A new meeting cannot start in the past." in html
    assert 'value="Room with a view"' in html


def test_meeting_list_splits_upcoming_and_past(client, board, coordinator):
    meeting_with_cases(board, 0, days_ahead=4)
    past = Meeting.objects.create(board=board, starts_at=timezone.now() - dt.timedelta(days=9))
    verified_login(client, coordinator)
    html = client.get(reverse("cases:meeting_list")).content.decode()
    upcoming_part, past_part = html.split("<h3>Past</h3>")
    assert upcoming_part.count('href="/meetings/') - html.count('href="/meetings/new/') - 1 == 1
    assert f'href="/meetings/{past.pk}/"' in past_part


def test_add_a_case_by_hospital_number(client, board, coordinator, spine_surgeon):
    meeting, _items = meeting_with_cases(board, 0)
    patient = add_patient(board, lesions=1, labs=2)
    verified_login(client, coordinator)
    response = client.post(reverse("cases:agenda_item_add", args=[meeting.pk]), {
        "hospital_number": patient.hospital_number.lower(),
        "question": "Fixation before radiotherapy?",
        "presenting_clinician": spine_surgeon.pk,
    })
    item = AgendaItem.objects.get(meeting=meeting)
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:agenda", args=[meeting.pk]) + f"#item-{item.pk}"
    assert (item.patient, item.question, item.presenting_clinician, item.urgent) == (
        patient, "Fixation before radiotherapy?", spine_surgeon, False)


def test_unknown_hospital_number_keeps_what_was_typed(client, board, coordinator):
    meeting, _items = meeting_with_cases(board, 0)
    verified_login(client, coordinator)
    response = client.post(reverse("cases:agenda_item_add", args=[meeting.pk]), {
        "hospital_number": "NOPE123", "question": "A carefully typed question",
    })
    assert response.status_code == 200
    html = response.content.decode()
    assert "No patient of this board has this hospital number." in html
    assert 'value="NOPE123"' in html
    assert "A carefully typed question</textarea>" in html
    assert AgendaItem.objects.count() == 0


def test_patient_of_another_board_cannot_be_added(client, board, other_board, coordinator):
    meeting, _items = meeting_with_cases(board, 0)
    stranger = add_patient(other_board, lesions=0, labs=0)
    verified_login(client, coordinator)
    response = client.post(reverse("cases:agenda_item_add", args=[meeting.pk]), {
        "hospital_number": stranger.hospital_number, "question": "?",
    })
    assert response.status_code == 200
    assert AgendaItem.objects.count() == 0


def test_urgent_case_goes_first_and_moves_keep_it_there(client, board, coordinator):
    meeting, items = meeting_with_cases(board, 2)
    urgent = add_patient(board, lesions=1, labs=2)
    verified_login(client, coordinator)
    client.post(reverse("cases:agenda_item_add", args=[meeting.pk]), {
        "hospital_number": urgent.hospital_number, "question": "Cord compression?",
        "urgent": "on",
    })
    order = lambda: list(  # noqa: E731
        AgendaItem.objects.filter(meeting=meeting).order_by("-urgent", "position", "id")
        .values_list("patient_id", flat=True))
    assert order() == [urgent.pk, items[0].patient_id, items[1].patient_id]
    # Moving the last case up swaps it with the second; it cannot pass the urgent case.
    client.post(reverse("cases:agenda_move", args=[meeting.pk, items[1].pk]),
                {"direction": "up"})
    assert order() == [urgent.pk, items[1].patient_id, items[0].patient_id]
    client.post(reverse("cases:agenda_move", args=[meeting.pk, items[1].pk]),
                {"direction": "up"})
    assert order()[0] == urgent.pk


def test_lock_then_adding_is_refused(client, board, coordinator):
    meeting, _items = meeting_with_cases(board, 1)
    verified_login(client, coordinator)
    client.post(reverse("cases:agenda_lock", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.LOCKED
    html = client.get(reverse("cases:agenda", args=[meeting.pk])).content.decode()
    assert "Unlock agenda" in html
    assert "Add to agenda" not in html
    extra = add_patient(board, lesions=0, labs=0)
    response = client.post(reverse("cases:agenda_item_add", args=[meeting.pk]), {
        "hospital_number": extra.hospital_number, "question": "Late referral"})
    assert response.status_code == 200
    assert AgendaItem.objects.filter(meeting=meeting).count() == 1


def test_agenda_shows_ready_cases_and_what_to_chase_for_the_others(
    client, board, coordinator
):
    meeting, (ready,) = meeting_with_cases(board, 1, complete=True)
    chase = agenda_item_add(meeting=meeting, question="Fixation?",
                            patient=add_patient(board, lesions=2, labs=8))
    verified_login(client, coordinator)
    html = client.get(reverse("cases:agenda", args=[meeting.pk])).content.decode()
    ready_row = html.split(f'id="item-{ready.pk}"')[1].split("</li>")[0]
    chase_row = html.split(f'id="item-{chase.pk}"')[1].split('<div class="agenda-side">')[0]
    assert DraftPlan.objects.get(agenda_item=ready).output["missing_data"] == []
    assert ">Ready</span>" in ready_row
    missing = DraftPlan.objects.get(agenda_item=chase).output["missing_data"]
    fields = {m["field"] for m in missing}
    assert {"pain.worst_nrs", "primary.prior_mcrpc_lines", "baseline_creatinine"} <= fields
    assert f"Not ready: {len(missing)} missing" in chase_row
    assert "<strong>Worst pain score (NRS 0–10)</strong> — ask <span class=\"who\">Nursing" \
        in chase_row
    assert "<strong>Number of prior mCRPC treatment lines</strong> — ask " \
        "<span class=\"who\">Medical oncology" in chase_row
    assert chase_row.count("<li><strong>") == len(missing)


def test_the_agendas_cached_chase_list_follows_the_record_at_once(client, board, coordinator):
    """The chase list is rendered once per draft (the `fragments` cache): a fact recorded
    makes a new draft, so the next view shows the shorter list, never the cached one."""
    meeting, (item,) = meeting_with_cases(board, 1)
    verified_login(client, coordinator)
    url = reverse("cases:agenda", args=[meeting.pk])
    first = client.get(url).content.decode()
    assert "Worst pain score (NRS 0–10)</strong>" in first
    def chase_row(html):
        return html.split(f'id="item-{item.pk}"')[1].split('<div class="agenda-side">')[0]

    assert chase_row(client.get(url).content.decode()) == chase_row(first)  # from the cache
    patient = item.patient
    patient.worst_pain_nrs = 3
    patient.save()
    again = client.get(url).content.decode()
    assert "Worst pain score (NRS 0–10)</strong>" not in again
    row = chase_row(again)
    missing = DraftPlan.objects.filter(agenda_item=item).latest("created_at").output[
        "missing_data"]
    assert f"Not ready: {len(missing)} missing" in row
    assert row.count("<li><strong>") == len(missing)


def test_attendance_confirmation(client, board, coordinator, spine_surgeon):
    meeting, _items = meeting_with_cases(board, 1)
    verified_login(client, spine_surgeon)
    client.post(reverse("cases:attendance_confirm", args=[meeting.pk]), {"confirmed": "1"})
    assert meeting.attendances.get(user=spine_surgeon).confirmed is True
    client.post(reverse("cases:attendance_confirm", args=[meeting.pk]), {"confirmed": "0"})
    assert meeting.attendances.get(user=spine_surgeon).confirmed is False


# --- Reads are audited -----------------------------------------------------------------------


def test_every_patient_shown_is_recorded(client, board, coordinator, spine_surgeon):
    meeting, items = meeting_with_cases(board, 3)
    verified_login(client, coordinator)
    client.get(reverse("cases:agenda", args=[meeting.pk]))
    listed = PatientAccess.objects.get(action="list", user=coordinator)
    assert sorted(listed.patient_ids) == sorted(i.patient_id for i in items)
    verified_login(client, spine_surgeon)
    client.get(reverse("cases:case_review", args=[items[1].pk]))
    viewed = PatientAccess.objects.get(action="view", user=spine_surgeon)
    assert (viewed.patient_ids, viewed.path) == (
        [items[1].patient_id], reverse("cases:case_review", args=[items[1].pk]))


# --- Case review ---------------------------------------------------------------------------


def test_case_page_shows_engine_scores_charts_and_timeline(client, board, spine_surgeon):
    _meeting, items = meeting_with_cases(board, 1, lesions=2, labs=16)
    verified_login(client, spine_surgeon)
    html = client.get(reverse("cases:case_review", args=[items[0].pk])).content.decode()
    draft = DraftPlan.objects.get(agenda_item=items[0])
    sins = draft.output["scores"]["sins"][0]
    mirels = draft.output["scores"]["mirels"][0]
    # The factory's T8 lesion: semi-rigid 1, occasional pain 1, blastic 0, normal 0,
    # no collapse with 30 % involved 0, no posterolateral 0 → SINS 2, stable.
    assert (sins["total"], sins["category"]) == (2, "stable")
    # Femoral diaphysis 2, moderate pain 2, mixed 2, 1/3–2/3 cortex 2 → Mirels 8.
    assert (mirels["total"], mirels["category"]) == (8, "borderline")
    assert "SINS 2</span>" in html
    assert "Mirels 8</span>" in html
    assert html.count('<svg class="chart"') == 8
    assert '<svg class="timeline"' in html
    assert "Zoledronic acid" in html
    for plan_item in draft.output["items"]:
        assert plan_item["title"] in html
    assert "About this draft" in html
    # The facts the engine read, in words (made only when a page shows them).
    assert "<h4>Patient</h4>" in html and "<h4>Laboratory</h4>" in html


def test_pages_carry_no_inline_style_or_script(client, board, chair):
    meeting, items = meeting_with_cases(board, 2)
    verified_login(client, chair)
    for url in [reverse("cases:agenda", args=[meeting.pk]),
                reverse("cases:case_review", args=[items[0].pk]),
                reverse("cases:decision", args=[items[0].pk]),
                reverse("cases:meeting_list")]:
        response = client.get(url)
        html = response.content.decode()
        assert " style=" not in html, url
        assert "<style" not in html, url
        assert re.search(r"<script(?![^>]*\bsrc=)", html) is None, url
        assert "default-src 'self'" in response["Content-Security-Policy"]


# --- Decisions ------------------------------------------------------------------------------


def _decision_post(draft, verdicts: dict[int, tuple[str, str, str]], *, action="save",
                   summary="Agreed plan", attended=()):
    data = {"draft_ref": draft.pk, "added_count": "1", "action": action,
            "outcome_summary": summary, "a0-title": "", "a0-detail": ""}
    for index, item in enumerate(draft.output["items"]):
        verdict, detail, reason = verdicts.get(index, ("accepted", item["detail"]["summary"], ""))
        data[f"d{index}-verdict"] = verdict
        data[f"d{index}-detail"] = detail
        data[f"d{index}-reason"] = reason
    data["attended"] = [str(u) for u in attended]
    return data


def save_and_sign(client, item, data):
    """"Save and sign" saves and shows the confirmation step; "Sign" there signs."""
    response = client.post(reverse("cases:decision", args=[item.pk]), data)
    assert response.status_code == 302
    assert response.url == reverse("cases:decision_sign", args=[item.pk])
    version = Decision.objects.filter(agenda_item=item).latest("version").version
    return client.post(response.url, {"version": str(version)})


def _case_with_draft(client, board, user):
    # The meeting is today: the board signs from the meeting's day on.
    _meeting, items = meeting_with_cases(board, 1, days_ahead=0)
    verified_login(client, user)
    client.get(reverse("cases:decision", args=[items[0].pk]))
    draft = DraftPlan.objects.get(agenda_item=items[0])
    assert len(draft.output["items"]) >= 2
    return items[0], draft


def test_failed_submit_keeps_everything_typed_and_saves_nothing(client, board, chair):
    item, draft = _case_with_draft(client, board, chair)
    data = _decision_post(draft, {
        0: ("modified", "20 Gy in 5 fractions instead", "Post-operative bed"),
        1: ("rejected", draft.output["items"][1]["detail"]["summary"], ""),
    }, summary="Summary typed with care")
    data["a0-title"] = "Physiotherapy referral"
    response = client.post(reverse("cases:decision", args=[item.pk]), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Give the board&#x27;s reason for this change." in html
    assert "20 Gy in 5 fractions instead</textarea>" in html
    assert "Post-operative bed</textarea>" in html
    assert "Summary typed with care</textarea>" in html
    assert 'value="Physiotherapy referral"' in html
    assert re.search(r'value="modified"[^>]*checked|checked[^>]*value="modified"', html)
    assert Decision.objects.count() == 0


def test_record_modify_reject_add_then_chair_signs(client, board, chair, coordinator):
    item, draft = _case_with_draft(client, board, chair)
    titles = [i["title"] for i in draft.output["items"]]
    data = _decision_post(draft, {
        0: ("modified", "20 Gy in 5 fractions", "Soft-tissue component"),
        1: ("rejected", "", "Patient declines"),
    }, action="sign", attended=[chair.pk])
    data["a0-title"] = "Physiotherapy referral"
    data["a0-detail"] = "Mobilise with brace"
    response = save_and_sign(client, item, data)
    assert response.status_code == 302
    decision = Decision.objects.get(agenda_item=item)
    assert decision.is_signed
    assert decision.signed_by == chair
    assert decision.draft_plan_ref == draft.pk
    assert decision.engine_version == draft.engine_version
    rows = list(decision.items.values_list("title", "verdict", "reason", "detail"))
    assert rows[0] == (titles[0], "modified", "Soft-tissue component", "20 Gy in 5 fractions")
    assert rows[1][:3] == (titles[1], "rejected", "Patient declines")
    assert rows[-1] == ("Physiotherapy referral", "added", "", "Mobilise with brace")
    assert all(r[1] == "accepted" for r in rows[2:-1])
    assert list(item.meeting.attendances.filter(attended=True).values_list(
        "user__username", flat=True)) == ["chair"]
    html = client.get(reverse("cases:decision", args=[item.pk])).content.decode()
    assert "Signed by" in html
    assert "read-only" in html
    assert 'name="d0-verdict"' not in html
    # A signed decision refuses another save.
    client.post(reverse("cases:decision", args=[item.pk]), data)
    decision.refresh_from_db()
    assert decision.items.count() == len(rows)


def test_specialist_saves_but_cannot_sign(client, board, spine_surgeon):
    item, draft = _case_with_draft(client, board, spine_surgeon)
    response = client.post(reverse("cases:decision", args=[item.pk]),
                           _decision_post(draft, {}, action="sign"))
    assert response.status_code == 403
    assert Decision.objects.count() == 0
    response = client.post(reverse("cases:decision", args=[item.pk]), _decision_post(draft, {}))
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert not decision.is_signed
    assert set(decision.items.values_list("verdict", flat=True)) == {
        DecisionItemVerdict.ACCEPTED}


def test_amendment_is_a_new_version_referencing_the_signed_one(client, board, chair):
    item, draft = _case_with_draft(client, board, chair)
    save_and_sign(client, item, _decision_post(draft, {}, action="sign"))
    original = Decision.objects.get()
    response = client.post(reverse("cases:decision_amend", args=[item.pk]),
                           {"amendment_reason": "Imaging report corrected"})
    assert response.status_code == 302
    amendment = Decision.objects.get(version=2)
    assert (amendment.amends, amendment.amendment_reason, amendment.is_signed) == (
        original, "Imaging report corrected", False)
    html = client.get(reverse("cases:decision", args=[item.pk])).content.decode()
    assert "Amendment (version 2) of version 1" in html
    first = amendment.items.order_by("position").first()
    data = _decision_post(draft, {0: ("rejected", first.detail, "New MRI shows no lesion")},
                          action="sign")
    save_and_sign(client, item, data)
    amendment.refresh_from_db()
    original.refresh_from_db()
    assert amendment.is_signed
    assert amendment.items.order_by("position").first().verdict == "rejected"
    assert original.items.order_by("position").first().verdict == "accepted"


# --- Patients ------------------------------------------------------------------------------------


def test_search_by_name_and_hospital_number(client, board, coordinator):
    wanted = add_patient(board, lesions=0, labs=0, given_name="Ada", family_name="Lovelace",
                         hospital_number="RX100200")
    add_patient(board, lesions=0, labs=0, given_name="Alan", family_name="Turing")
    verified_login(client, coordinator)
    for query in ["lovel", "ada love", "rx1002"]:
        html = client.get(reverse("cases:patient_search"), {"q": query}).content.decode()
        assert f'href="/patients/{wanted.pk}/"' in html, query
        assert "TURING" not in html, query
    assert PatientAccess.objects.of_patient(wanted).filter(action="list").count() == 3


def test_patient_page_refers_to_an_open_meeting(client, board, coordinator):
    meeting, _items = meeting_with_cases(board, 0)
    patient = add_patient(board, lesions=0, labs=0)
    verified_login(client, coordinator)
    html = client.get(reverse("cases:patient_detail", args=[patient.pk])).content.decode()
    assert "Add to a meeting" in html
    response = client.post(reverse("cases:patient_refer", args=[patient.pk]),
                           {"meeting": meeting.pk, "question": "Denosumab or zoledronic acid?"})
    assert response.status_code == 302
    assert AgendaItem.objects.get().question == "Denosumab or zoledronic acid?"


def test_an_implausible_creatinine_is_flagged_not_plotted_and_the_draft_asks_again(
        client, board, spine_surgeon):
    _meeting, items = meeting_with_cases(board, 1, labs=0)
    patient = items[0].patient
    LabResult.objects.create(patient=patient, analyte="creatinine", value=Decimal("80"),
                             unit="umol/L", taken_at=timezone.now() - dt.timedelta(days=20))
    LabResult.objects.create(patient=patient, analyte="creatinine", value=Decimal("15"),
                             unit="umol/L", taken_at=timezone.now() - dt.timedelta(days=1))
    client.force_login(spine_surgeon)
    html = client.get(reverse("cases:case_review", args=[items[0].pk])).content.decode()
    day = timezone.localdate() - dt.timedelta(days=1)
    assert (f"Implausible value: 15 µmol/L on {day.day} {day:%b %Y} is outside the plausible "
            "range (20–2500 µmol/L): not used; recheck.") in html
    # The chart is in the board's unit and holds only the plausible value.
    assert "1 values from" in html
    assert "latest 80 µmol/L." in html
    # The draft does not fall back to the older 80 µmol/L either: the newest result is in
    # doubt, so it asks for a recheck naming it, and no dose is drafted meanwhile.
    draft = DraftPlan.objects.get(agenda_item=items[0])
    why = [m["why"] for m in draft.output["missing_data"] if m["field"] == "labs.creatinine"]
    assert why and all(
        f"implausible: 15 µmol/L taken {day.isoformat()} is outside the plausible 20–2500 "
        "µmol/L; recheck before anything is computed from it" in w for w in why)
    assert draft.output["scores"]["creatinine_clearance"] is None


def test_a_breast_cases_pages_give_both_receptor_statuses_in_words(client, board, chair):
    """HR+/HER2+ (triple positive), which the one combined value could not record: the
    case page, the agenda print and meeting mode say both statuses in words; the draft
    asks for neither."""
    meeting, items = meeting_with_cases(board, 1)
    primary = items[0].patient.primary
    primary.site, primary.castration_status, primary.prior_mcrpc_lines = "breast", "", None
    primary.hormone_receptor_status = primary.her2_status = "positive"
    primary.save()
    verified_login(client, chair)
    review = client.get(reverse("cases:case_review", args=[items[0].pk])).content.decode()
    assert "<dt>Hormone receptors (ER/PR)</dt><dd>Positive</dd>" in review
    assert "<dt>HER2</dt><dd>Positive</dd>" in review
    assert "breast, HR-positive, HER2-positive" in review
    printed = client.get(reverse("cases:agenda_print", args=[meeting.pk])).content.decode()
    assert "Breast — Acinar adenocarcinoma, hormone receptors positive, HER2 positive" in printed
    shared = client.get(reverse("cases:meeting_mode", args=[meeting.pk, items[0].pk]))
    shared = shared.content.decode()
    assert "; hormone receptors positive; HER2 positive" in shared
    fields = {m["field"] for m in DraftPlan.objects.filter(agenda_item=items[0])
              .latest("pk").output["missing_data"]}
    assert not fields & {"primary.hormone_receptor_status", "primary.her2_status"}
    for page in (review, printed, shared):
        assert "her2_status" not in page and "hormone_receptor" not in page
