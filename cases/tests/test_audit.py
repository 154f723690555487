"""The audit trail: writes captured by PostgreSQL (bulk and raw SQL too), signed
decisions immutable at the database, reads recorded, and the administrators' page."""

from __future__ import annotations

import hashlib

import pghistory
import pytest
from django.db import IntegrityError, InternalError, connection, transaction
from django.db.utils import DatabaseError
from pghistory.models import Events

from boardsite.accounts_testing import verified_login
from cases import services
from cases.models import Decision, DecisionItem, LabResult, Lesion, Patient, PatientAccess
from cases.tests.factories import (
    AgendaItemFactory,
    LabResultFactory,
    MeetingFactory,
    SpinalLesionFactory,
)


def _events(model, pk, label="update"):
    return Events.objects.filter(pgh_obj_model=f"cases.{model}", pgh_obj_id=str(pk),
                                 pgh_label=label)


def test_bulk_update_leaves_an_event_per_row(patient):
    labs = LabResultFactory.create_batch(3, patient=patient)
    with pghistory.context(user=None, url="bulk"):
        LabResult.objects.filter(patient=patient).update(value=2)
    for lab in labs:
        event = _events("LabResult", lab.pk).get()
        assert event.pgh_diff == {"value": [1.0, 2.0]}


def test_raw_sql_update_of_a_clinical_row_leaves_an_event(patient):
    lesion = SpinalLesionFactory(patient=patient, collapse_percent=10)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cases_lesion SET collapse_percent = 40 WHERE id = %s",
                       [lesion.pk])
    event = _events("Lesion", lesion.pk).get()
    assert event.pgh_diff["collapse_percent"] == [10.0, 40.0]
    assert event.pgh_context is None  # outside a request: no user, shown as such


def test_raw_sql_delete_leaves_an_event_with_the_row(patient):
    lab = LabResultFactory(patient=patient)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM cases_labresult WHERE id = %s", [lab.pk])
    event = _events("LabResult", lab.pk, "delete").get()
    assert event.pgh_data["unit"] == "mg/dL"


@pytest.fixture
def signed(chair, coordinator, patient):
    item = AgendaItemFactory(meeting=MeetingFactory(board=patient.board), patient=patient)
    decision = services.decision_record(
        agenda_item=item, recorded_by=coordinator, outcome_summary="8 Gy",
        items=[{"title": "8 Gy single fraction", "verdict": "accepted"}])
    return services.decision_sign(decision=decision, chair=chair)


def _raw(sql, params):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_signed_decision_carries_the_sha256_of_its_canonical_content(signed):
    expected = hashlib.sha256(
        services.decision_canonical_content(signed).encode("utf-8")).hexdigest()
    assert signed.content_sha256 == expected
    assert services.decision_verify(signed) is True


@pytest.mark.parametrize("sql", [
    "UPDATE cases_decision SET outcome_summary = 'changed' WHERE id = %s",
    "DELETE FROM cases_decision WHERE id = %s",
])
def test_raw_sql_cannot_change_or_delete_a_signed_decision(signed, sql):
    before = Decision.objects.filter(pk=signed.pk).values().get()
    with pytest.raises(DatabaseError):
        _raw(sql, [signed.pk])
    assert Decision.objects.filter(pk=signed.pk).values().get() == before


@pytest.mark.parametrize("sql", [
    "UPDATE cases_decisionitem SET title = 'changed' WHERE decision_id = %s",
    "DELETE FROM cases_decisionitem WHERE decision_id = %s",
    "INSERT INTO cases_decisionitem (decision_id, position, code, rule_id, title, detail, "
    "draft_detail, verdict, reason) VALUES (%s, 9, '', '', 'extra', '', '{}', 'added', '')",
])
def test_raw_sql_cannot_change_the_items_of_a_signed_decision(signed, sql):
    before = list(DecisionItem.objects.filter(decision=signed).values())
    with pytest.raises((InternalError, IntegrityError)):
        _raw(sql, [signed.pk])
    assert list(DecisionItem.objects.filter(decision=signed).values()) == before
    assert services.decision_verify(Decision.objects.get(pk=signed.pk)) is True


def test_orm_update_of_a_signed_decision_fails_at_the_database(signed):
    with pytest.raises(DatabaseError), transaction.atomic():
        Decision.objects.filter(pk=signed.pk).update(outcome_summary="changed")
    assert Decision.objects.get(pk=signed.pk).outcome_summary == "8 Gy"


# --- The administrators' page ---------------------------------------------------------

def test_audit_page_shows_who_viewed_and_who_changed(client, administrator, spine_surgeon,
                                                     patient):
    from cases.tests.api.conftest import token_client

    api = token_client(spine_surgeon)
    api.get(f"/api/v1/patients/{patient.pk}/")
    api.patch(f"/api/v1/patients/{patient.pk}/", {"nodal_metastases": True}, format="json")
    verified_login(client, administrator)
    response = client.get(f"/audit/patients/{patient.pk}/")
    assert response.status_code == 200
    audit = response.context["audit"]
    assert [(a.user.username, a.action) for a in audit.accesses] == [
        ("spine_surgeon", "view")]
    update = [c for c in audit.changes if c.label == "update" and c.model == "Patient"]
    assert [(c.username, c.changes["nodal_metastases"]) for c in update] == [
        ("spine_surgeon", [False, True])]
    # Opening the audit is itself a recorded read.
    assert PatientAccess.objects.of_patient(patient).filter(
        user=administrator, path=f"/audit/patients/{patient.pk}/").count() == 1


def test_audit_page_shows_changes_to_lesions_and_decisions(client, administrator, signed,
                                                           patient):
    lesion = SpinalLesionFactory(patient=patient)
    Lesion.objects.filter(pk=lesion.pk).update(alignment="subluxation")
    verified_login(client, administrator)
    changes = client.get(f"/audit/patients/{patient.pk}/").context["audit"].changes
    kinds = {(c.model, c.label) for c in changes}
    assert {("Lesion", "insert"), ("Lesion", "update"), ("Decision", "insert"),
            ("Decision", "update"), ("DecisionItem", "insert"), ("Patient", "insert")} <= kinds


@pytest.mark.parametrize("persona", ["coordinator", "chair", "spine_surgeon", "outsider"])
def test_audit_page_is_for_administrators_only(client, request, patient, persona):
    verified_login(client, request.getfixturevalue(persona))
    assert client.get(f"/audit/patients/{patient.pk}/").status_code == 403
    assert client.get("/audit/").status_code == 403
    assert PatientAccess.objects.count() == 0


def test_audit_index_finds_a_patient_by_hospital_number(client, administrator, patient):
    verified_login(client, administrator)
    response = client.get("/audit/", {"q": patient.hospital_number})
    assert response.status_code == 302
    assert response["Location"] == f"/audit/patients/{patient.pk}/"


def test_audit_page_runs_in_a_fixed_number_of_queries(client, administrator, spine_surgeon,
                                                      board, django_assert_num_queries):
    from cases.tests.factories import PatientFactory

    def page_queries(n):
        patient = PatientFactory(board=board)
        for _ in range(n):
            services.record_patient_access(user=spine_surgeon, patient_ids=[patient.pk],
                                           action="view", path="/x")
            Patient.objects.filter(pk=patient.pk).update(ecog=n % 4)
        from django.db import connection as conn
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(conn) as ctx:
            assert client.get(f"/audit/patients/{patient.pk}/").status_code == 200
        return len(ctx.captured_queries)

    verified_login(client, administrator)
    assert page_queries(2) == page_queries(20)
