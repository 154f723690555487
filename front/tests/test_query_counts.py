"""Every page runs in a fixed number of queries whatever the number of cases, lesions,
labs, meetings or search results (house rule; the same count for 5 and for 40)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from boardsite.accounts_testing import verified_login
from cases.tests.views.builders import add_labs, add_patient, meeting_with_cases

#: Query budgets, counted once and pinned: a change here must be a deliberate one.
AGENDA_WARM = 17
AGENDA_COLD = 26
CASE_PAGE_WARM = 22  # + the pre-meeting opinions
DECISION_PAGE_WARM = 16
SEARCH = 7
PATIENT_PAGE = 15  # + the signed actions and their state (board scope, one list)
MEETING_LIST = 8


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response


@pytest.mark.parametrize("cases", [5, 40])
def test_agenda_page_query_count_does_not_grow_with_cases(
    client, board, coordinator, django_assert_num_queries, cases
):
    meeting, _items = meeting_with_cases(board, cases)
    verified_login(client, coordinator)
    url = reverse("cases:agenda", args=[meeting.pk])
    # First visit evaluates every draft (bulk insert); later visits compare facts versions
    # and read no facts.
    with django_assert_num_queries(AGENDA_COLD):
        _get(client, url)
    with django_assert_num_queries(AGENDA_WARM):
        response = _get(client, url)
    assert response.content.decode().count('class="agenda-row') == cases


@pytest.mark.parametrize("cases", [5, 40])
def test_printable_agenda_query_count_does_not_grow_with_cases(
    client, board, coordinator, django_assert_num_queries, cases
):
    meeting, _items = meeting_with_cases(board, cases)
    verified_login(client, coordinator)
    _get(client, reverse("cases:agenda", args=[meeting.pk]))
    with django_assert_num_queries(AGENDA_WARM):
        response = _get(client, reverse("cases:agenda_print", args=[meeting.pk]))
    assert response.content.decode().count('class="print-page panel"') == cases


@pytest.mark.parametrize(("lesions", "labs"), [(1, 5), (10, 200)])
def test_case_page_query_count_does_not_grow_with_lesions_or_labs(
    client, board, spine_surgeon, django_assert_num_queries, lesions, labs
):
    _meeting, items = meeting_with_cases(board, 1, lesions=lesions, labs=labs)
    verified_login(client, spine_surgeon)
    url = reverse("cases:case_review", args=[items[0].pk])
    _get(client, url)
    with django_assert_num_queries(CASE_PAGE_WARM):
        response = _get(client, url)
    assert response.content.decode().count('<tr id="lesion-') == lesions


@pytest.mark.parametrize(("lesions", "labs"), [(1, 5), (10, 200)])
def test_decision_page_query_count_does_not_grow(
    client, board, chair, django_assert_num_queries, lesions, labs
):
    _meeting, items = meeting_with_cases(board, 1, lesions=lesions, labs=labs)
    verified_login(client, chair)
    url = reverse("cases:decision", args=[items[0].pk])
    _get(client, url)
    with django_assert_num_queries(DECISION_PAGE_WARM):
        _get(client, url)


@pytest.mark.parametrize("patients", [5, 40])
def test_patient_search_query_count_does_not_grow_with_results(
    client, board, coordinator, django_assert_num_queries, patients
):
    for _ in range(patients):
        add_patient(board, lesions=0, labs=0, family_name="Searchable")
    verified_login(client, coordinator)
    with django_assert_num_queries(SEARCH):
        response = _get(client, reverse("cases:patient_search") + "?q=searchab")
    assert response.content.decode().count("SEARCHABLE, ") == patients


@pytest.mark.parametrize("meetings", [1, 6])
def test_patient_page_query_count_does_not_grow_with_history(
    client, board, coordinator, chair, django_assert_num_queries, meetings
):
    from cases.services import agenda_item_add, decision_record, decision_sign

    patient = add_patient(board, lesions=1, labs=3)
    for index in range(meetings):
        # Past meetings (the board signs from the meeting's day on), one day apart.
        meeting, _ = meeting_with_cases(board, 0, days_ahead=-index)
        item = agenda_item_add(meeting=meeting, patient=patient, question=f"Question {index}")
        decision = decision_record(agenda_item=item, recorded_by=coordinator, items=[
            {"title": "Radiotherapy 8 Gy", "verdict": "added"}])
        decision_sign(decision=decision, chair=chair)
    verified_login(client, coordinator)
    with django_assert_num_queries(PATIENT_PAGE):
        response = _get(client, reverse("cases:patient_detail", args=[patient.pk]))
    assert response.content.decode().count("Decision v1") == meetings


@pytest.mark.parametrize("meetings", [1, 12])
def test_meeting_list_query_count_does_not_grow_with_meetings(
    client, board, coordinator, django_assert_num_queries, meetings
):
    for index in range(meetings):
        meeting_with_cases(board, 0, days_ahead=2 + index)
    verified_login(client, coordinator)
    with django_assert_num_queries(MEETING_LIST):
        response = _get(client, reverse("cases:meeting_list"))
    assert len(set(re.findall(r'href="/meetings/(\d+)/"', response.content.decode()))) == meetings


def test_lab_helper_spreads_values_over_analytes(board):
    patient = add_patient(board, lesions=0, labs=0)
    add_labs(patient, 16)
    assert sorted(set(patient.labs.values_list("analyte", flat=True))) == [
        "albumin", "alp", "anc", "calcium", "creatinine", "haemoglobin", "platelets", "wbc",
    ]


RECORD_PAGE = 17  # the patient and each table of the record in one query apiece
RECORD_FORM = 9


@pytest.mark.parametrize(("lesions", "labs"), [(1, 5), (10, 200)])
def test_record_page_query_count_does_not_grow_with_rows(
    client, board, spine_surgeon, django_assert_num_queries, lesions, labs
):
    patient = add_patient(board, lesions=lesions, labs=labs)
    verified_login(client, spine_surgeon)
    url = reverse("cases:patient_record", args=[patient.pk])
    with django_assert_num_queries(RECORD_PAGE):
        response = _get(client, url)
    assert response.content.decode().count('<tr id="lesion-') == lesions


@pytest.mark.parametrize("lesions", [1, 10])
def test_record_forms_query_count_does_not_grow_with_rows(
    client, board, spine_surgeon, django_assert_num_queries, lesions
):
    patient = add_patient(board, lesions=lesions, labs=20)
    lesion = patient.lesions.first()
    verified_login(client, spine_surgeon)
    for url in (reverse("cases:record_row_edit", args=[patient.pk, "lesion", lesion.pk]),
                reverse("cases:record_row_new", args=[patient.pk, "imaging"])):
        with django_assert_num_queries(RECORD_FORM):
            _get(client, url)
