"""The admin applies the API's board and state rules: no patient of another board on
an agenda item or a lesion, no status that contradicts a signed decision (also at the
database), a signed decision's page without Save buttons, and every page that shows
patient data recorded as a read."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from boardsite.accounts_testing import verified_login
from cases.choices import AgendaItemStatus, DecisionItemVerdict
from cases.models import AgendaItem, Lesion, PatientAccess
from cases.services import (
    agenda_item_add,
    agenda_item_set_status,
    decision_record,
    decision_sign,
    meeting_create,
)
from cases.tests.factories import PatientFactory, SpinalLesionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def item(board, patient, coordinator, chair):
    meeting = meeting_create(board=board, starts_at=timezone.now())
    return agenda_item_add(meeting=meeting, patient=patient, question="Radiotherapy?")


@pytest.fixture
def signed_item(item, coordinator, chair):
    decision = decision_record(
        agenda_item=item, recorded_by=coordinator, outcome_summary="8 Gy single fraction.",
        items=[{"title": "RT 8 Gy / 1", "verdict": DecisionItemVerdict.ADDED}])
    decision_sign(decision=decision, chair=chair)
    item.refresh_from_db()
    return item


@pytest.fixture
def staff(chair):
    chair.is_staff = True
    chair.save()
    chair.user_permissions.add(*Permission.objects.filter(codename__in=[
        "view_agendaitem", "change_agendaitem", "view_lesion", "change_lesion",
        "add_lesion", "view_decision", "change_decision", "view_patient"]))
    return chair


@pytest.fixture
def stranger(other_board):
    return PatientFactory(board=other_board, hospital_number="HN-OTHER")


def _agenda_form(item, **changes):
    data = {"meeting": item.meeting_id, "patient": item.patient_id, "question": item.question,
            "presenting_clinician": "", "status": item.status, "urgent": ""}
    data.update(changes)
    return data


def test_staff_cannot_put_a_patient_of_another_board_on_an_agenda_item(client, staff, item,
                                                                       stranger):
    verified_login(client, staff)
    response = client.post(f"/admin/cases/agendaitem/{item.pk}/change/",
                           _agenda_form(item, patient=stranger.pk))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "patient": ["Select a valid choice. That choice is not one of the available choices."]}
    assert AgendaItem.objects.get(pk=item.pk).patient_id == item.patient_id


def test_a_superuser_cannot_either(client, administrator, item, stranger):
    verified_login(client, administrator)
    response = client.post(f"/admin/cases/agendaitem/{item.pk}/change/",
                           _agenda_form(item, patient=stranger.pk))
    assert response.context["adminform"].form.errors == {
        "patient": ["This patient is not under this meeting's board."]}
    assert AgendaItem.objects.get(pk=item.pk).patient_id == item.patient_id


def test_staff_cannot_move_a_lesion_to_a_patient_of_another_board(client, staff, patient,
                                                                  stranger):
    lesion = SpinalLesionFactory(patient=patient)
    verified_login(client, staff)
    page = client.get(f"/admin/cases/lesion/{lesion.pk}/change/")
    form = page.context["adminform"].form
    data = {name: ("" if value is None else value) for name, value in form.initial.items()
            if name in form.fields}
    data = {k: v for k, v in data.items() if v is not False}
    data["patient"] = stranger.pk
    response = client.post(f"/admin/cases/lesion/{lesion.pk}/change/", data)
    assert response.context["adminform"].form.errors["patient"] == [
        "Select a valid choice. That choice is not one of the available choices."]
    assert Lesion.objects.get(pk=lesion.pk).patient_id == patient.pk


def test_the_status_of_a_signed_case_cannot_contradict_its_decision(client, administrator,
                                                                    signed_item):
    assert signed_item.status == AgendaItemStatus.DECIDED
    verified_login(client, administrator)
    response = client.post(f"/admin/cases/agendaitem/{signed_item.pk}/change/",
                           _agenda_form(signed_item, status=AgendaItemStatus.REFERRED))
    assert response.context["adminform"].form.errors == {"status": [
        "The board's decision on this case is signed, so it stays Decided. To change the "
        "decision, amend it."]}
    with pytest.raises(ValidationError) as refused:
        agenda_item_set_status(item=signed_item, status=AgendaItemStatus.DEFERRED)
    assert list(refused.value.message_dict) == ["status"]
    assert AgendaItem.objects.get(pk=signed_item.pk).status == AgendaItemStatus.DECIDED


@pytest.mark.parametrize("sql", [
    "UPDATE cases_agendaitem SET status = 'referred' WHERE id = %s",
    "UPDATE cases_agendaitem SET patient_id = (SELECT id FROM cases_patient "
    "WHERE hospital_number = 'HN-SAME') WHERE id = %s",
])
def test_the_database_refuses_it_too(signed_item, board, sql):
    PatientFactory(board=board, hospital_number="HN-SAME")
    with pytest.raises(IntegrityError, match="has a signed decision"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute(sql, [signed_item.pk])
    assert AgendaItem.objects.filter(pk=signed_item.pk).values_list(
        "status", "patient_id").get() == (AgendaItemStatus.DECIDED, signed_item.patient_id)


def test_the_database_refuses_a_patient_of_another_board(item, stranger):
    with pytest.raises(IntegrityError, match="not under the meeting's board"), \
            transaction.atomic():
        AgendaItem.objects.filter(pk=item.pk).update(patient=stranger)
    assert AgendaItem.objects.get(pk=item.pk).patient_id == item.patient_id


def test_an_unsigned_case_still_moves_freely(item):
    agenda_item_set_status(item=item, status=AgendaItemStatus.DEFERRED)
    assert AgendaItem.objects.get(pk=item.pk).status == AgendaItemStatus.DEFERRED


def test_the_signed_decision_page_is_read_only(client, administrator, signed_item):
    decision = signed_item.decisions.get()
    verified_login(client, administrator)
    page = client.get(f"/admin/cases/decision/{decision.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'name="_save"' not in html and 'name="_continue"' not in html
    assert client.post(f"/admin/cases/decision/{decision.pk}/change/",
                       {"outcome_summary": "Surgery."}).status_code == 403


@pytest.mark.parametrize("page", ["change", "list"])
def test_admin_pages_with_patient_data_record_the_read(client, administrator, signed_item,
                                                       patient, page):
    lesion = SpinalLesionFactory(patient=patient)
    decision = signed_item.decisions.get()
    urls = {
        "change": [f"/admin/cases/lesion/{lesion.pk}/change/",
                   f"/admin/cases/agendaitem/{signed_item.pk}/change/",
                   f"/admin/cases/decision/{decision.pk}/change/",
                   f"/admin/cases/meeting/{signed_item.meeting_id}/change/"],
        "list": ["/admin/cases/lesion/", "/admin/cases/agendaitem/", "/admin/cases/decision/",
                 "/admin/cases/meeting/", "/admin/cases/patient/"],
    }[page]
    verified_login(client, administrator)
    for url in urls:
        assert client.get(url).status_code == 200
    action = "view" if page == "change" else "list"
    assert list(PatientAccess.objects.order_by("id").values_list(
        "path", "patient_ids", "action")) == [(url, [patient.pk], action) for url in urls]


def test_a_board_list_shows_no_patient_and_records_nothing(client, administrator, board):
    verified_login(client, administrator)
    assert client.get("/admin/cases/board/").status_code == 200
    assert PatientAccess.objects.count() == 0
