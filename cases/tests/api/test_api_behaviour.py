"""Behaviour of the API beyond the permission matrix: error format, scores, read audit,
write audit with token auth, the token endpoint and its lockout, cursor pagination."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pghistory.models
import pytest
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from boardsite.accounts_testing import verified_login
from cases.models import Lesion, PatientAccess
from cases.tests.api.conftest import token_client
from cases.tests.factories import LongBoneLesionFactory, PatientFactory, SpinalLesionFactory


def test_unauthenticated_is_401_in_the_error_format(db):
    response = APIClient().get("/api/v1/patients/")
    assert response.status_code == 401
    assert response.json() == {
        "errors": {"detail": ["Authentication credentials were not provided."]}}
    assert response["WWW-Authenticate"] == "Token"


def test_another_boards_patient_is_404_in_the_error_format(outsider, patient):
    response = token_client(outsider).get(f"/api/v1/patients/{patient.pk}/")
    assert response.status_code == 404
    assert response.json() == {"errors": {"detail": ["No Patient matches the given query."]}}


def test_a_post_to_an_unknown_api_path_is_a_404_in_the_error_format_not_a_csrf_page(coordinator):
    # Schemathesis found it: "null" for an integer path parameter matches no route, and
    # the catch-all under /api/ is a plain Django view, which CSRF checked before.
    client = APIClient(enforce_csrf_checks=True)
    verified_login(client, coordinator)
    response = client.post("/api/v1/reminders/actions/null/done/", {}, format="json")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"errors": {"detail": ["Not found."]}}


def test_naming_another_boards_patient_in_a_body_looks_like_a_missing_one(outsider, patient):
    body = {"patient": patient.pk, "analyte": "calcium", "value": "2.3", "unit": "mmol/L",
            "taken_at": timezone.now().isoformat()}
    refused = token_client(outsider).post("/api/v1/labs/", body, format="json")
    missing = token_client(outsider).post(
        "/api/v1/labs/", {**body, "patient": patient.pk + 10_000}, format="json")
    assert refused.status_code == missing.status_code == 400
    assert refused.json()["errors"]["patient"] == [
        f'Invalid pk "{patient.pk}" - object does not exist.']


def test_spinal_lesion_carries_the_engines_sins(api, patient):
    lesion = SpinalLesionFactory(
        patient=patient, vertebral_level="T8", spinal_pain="mechanical", lesion_type="lytic",
        alignment="normal", collapse_percent=Decimal("0"), body_involvement_percent=Decimal("30"),
        posterolateral="unilateral")
    scores = api.get(f"/api/v1/lesions/{lesion.pk}/").json()["scores"]
    # T8 semi-rigid 1 + mechanical 3 + lytic 2 + normal 0 + no collapse with 30 % of
    # the body involved 0 + unilateral 1 = 7 (Fisher 2010).
    assert scores["mirels"] is None
    assert (scores["sins"]["total"], scores["sins"]["category"]) == (7, "potentially_unstable")
    assert scores["sins"]["missing"] == []


def test_lesion_with_a_missing_finding_shows_a_range(api, patient):
    lesion = SpinalLesionFactory(patient=patient, alignment="")
    sins = api.get(f"/api/v1/lesions/{lesion.pk}/").json()["scores"]["sins"]
    assert sins["total"] is None
    assert sins["total_max"] - sins["total_min"] == 4
    assert sins["missing"] == ["alignment"]


def test_long_bone_lesion_carries_mirels(api, patient):
    lesion = LongBoneLesionFactory(patient=patient, bone="femur", long_bone_segment="diaphysis",
                                   limb_pain="functional", lesion_type="lytic",
                                   cortical_involvement="gt_2_3")
    scores = api.get(f"/api/v1/lesions/{lesion.pk}/").json()["scores"]
    assert scores["sins"] is None
    assert (scores["mirels"]["total"], scores["mirels"]["category"]) == (11, "high")


def test_scores_cannot_be_written(api, patient):
    lesion = SpinalLesionFactory(patient=patient)
    api.patch(f"/api/v1/lesions/{lesion.pk}/", {"scores": {"sins": {"total": 18}}},
              format="json")
    assert api.get(f"/api/v1/lesions/{lesion.pk}/").json()["scores"]["sins"]["total"] != 18


def test_every_read_of_patient_data_is_recorded(api, spine_surgeon, board):
    patients = [PatientFactory(board=board) for _ in range(3)]
    api.get("/api/v1/patients/")
    api.get(f"/api/v1/patients/{patients[0].pk}/")
    rows = list(PatientAccess.objects.order_by("id").values_list(
        "user_id", "patient_ids", "action", "path"))
    assert rows == [
        (spine_surgeon.pk, [p.pk for p in patients], "list", "/api/v1/patients/"),
        (spine_surgeon.pk, [patients[0].pk], "view", f"/api/v1/patients/{patients[0].pk}/"),
    ]


def test_refused_reads_record_nothing(outsider, patient):
    token_client(outsider).get(f"/api/v1/patients/{patient.pk}/")
    token_client(outsider).get("/api/v1/patients/")
    assert PatientAccess.objects.count() == 0


def test_token_authenticated_write_carries_the_user_into_the_audit_trail(api, spine_surgeon,
                                                                          patient):
    response = api.patch(f"/api/v1/patients/{patient.pk}/",
                         {"ecog": 3, "ecog_assessed_on": str(timezone.localdate())},
                         format="json")
    assert response.status_code == 200
    event = pghistory.models.Events.objects.filter(
        pgh_obj_model="cases.Patient", pgh_obj_id=str(patient.pk), pgh_label="update").get()
    assert event.pgh_context["user"] == spine_surgeon.pk
    assert event.pgh_context["url"] == f"/api/v1/patients/{patient.pk}/"
    assert event.pgh_diff["ecog"] == [1, 3]


def test_api_delete_goes_through_the_service_and_leaves_a_delete_event_naming_the_user(
    api, spine_surgeon, patient, monkeypatch
):
    from cases import services
    from cases.api import mixins

    lesion = SpinalLesionFactory(patient=patient, vertebral_level="T9")
    through_service = []
    monkeypatch.setattr(mixins, "clinical_row_delete",
                        lambda *, instance: through_service.append(instance.pk)
                        or services.clinical_row_delete(instance=instance))
    response = api.delete(f"/api/v1/lesions/{lesion.pk}/")
    assert response.status_code == 204
    assert through_service == [lesion.pk]
    assert not Lesion.objects.filter(pk=lesion.pk).exists()
    event = pghistory.models.Events.objects.get(
        pgh_obj_model="cases.Lesion", pgh_obj_id=str(lesion.pk), pgh_label="delete")
    assert event.pgh_context["user"] == spine_surgeon.pk
    assert event.pgh_context["url"] == f"/api/v1/lesions/{lesion.pk}/"
    assert event.pgh_data["vertebral_level"] == "T9"
    assert event.pgh_data["patient_id"] == patient.pk


def test_session_authenticated_write_carries_the_user_too(spine_surgeon, patient):
    client = APIClient(enforce_csrf_checks=False)
    verified_login(client, spine_surgeon)
    response = client.patch(f"/api/v1/patients/{patient.pk}/", {"nodal_metastases": True},
                            format="json")
    assert response.status_code == 200
    event = pghistory.models.Events.objects.get(
        pgh_obj_model="cases.Patient", pgh_obj_id=str(patient.pk), pgh_label="update")
    assert event.pgh_context["user"] == spine_surgeon.pk


def test_session_write_without_csrf_token_is_refused(spine_surgeon, patient):
    client = APIClient(enforce_csrf_checks=True)
    verified_login(client, spine_surgeon)
    response = client.patch(f"/api/v1/patients/{patient.pk}/", {"nodal_metastases": True},
                            format="json")
    assert response.status_code == 403
    assert set(response.json()["errors"]) == {"detail"}
    patient.refresh_from_db()
    assert patient.nodal_metastases is False


def test_token_endpoint_gives_a_token_that_works(spine_surgeon, patient):
    response = APIClient().post("/api/v1/auth/token/", {
        "username": "spine_surgeon", "password": "correct horse battery staple"}, format="json")
    assert response.status_code == 200
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert client.get(f"/api/v1/patients/{patient.pk}/").status_code == 200


@override_settings(AXES_FAILURE_LIMIT=3)
def test_token_endpoint_locks_out_after_repeated_failures(spine_surgeon):
    client = APIClient()
    wrong = {"username": "spine_surgeon", "password": "wrong"}
    statuses = [client.post("/api/v1/auth/token/", wrong, format="json").status_code
                for _ in range(3)]
    assert statuses == [400, 400, 429]
    right = {"username": "spine_surgeon", "password": "correct horse battery staple"}
    locked = client.post("/api/v1/auth/token/", right, format="json")
    assert locked.status_code == 429
    assert list(locked.json()["errors"]) == ["detail"]
    assert "token" not in locked.json()


@override_settings(AXES_FAILURE_LIMIT=2)
def test_sign_in_page_still_shows_its_lockout_page(spine_surgeon, client):
    for _ in range(2):
        response = client.post("/accounts/login/", {"username": "spine_surgeon",
                                                    "password": "wrong"})
    assert response.status_code == 429
    assert b"Too many failed sign-in attempts" in response.content


def test_cursor_pagination_walks_every_row_once(api, board):
    # 55 patients with the same family name: pages of 50 must neither skip nor repeat
    # rows that tie on the ordering field (the row ID breaks the tie).
    patients = PatientFactory.create_batch(55, board=board, family_name="Same")
    seen, url, pages = [], "/api/v1/patients/?ordering=family_name", 0
    while url:
        page = api.get(url).json()
        seen += [row["id"] for row in page["results"]]
        url, pages = page["next"], pages + 1
    assert pages == 2
    assert seen == sorted(p.pk for p in patients)


def test_invalid_cursor_is_404_in_the_error_format(api):
    response = api.get("/api/v1/patients/?cursor=garbage")
    assert response.status_code == 404
    assert response.json() == {"errors": {"detail": ["Invalid cursor"]}}


def test_invalid_filter_value_is_400(api):
    response = api.get("/api/v1/labs/?taken_after=yesterday")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["taken_after"]


def test_signing_through_the_api_hashes_the_content(world):
    from cases.services import decision_canonical_content

    decision = world.own.unsigned
    response = token_client(world.users["chair"]).post(
        f"/api/v1/decisions/{decision.pk}/sign/", {"confirm": True}, format="json")
    assert response.status_code == 200
    decision.refresh_from_db()
    import hashlib

    assert response.json()["content_sha256"] == hashlib.sha256(
        decision_canonical_content(decision).encode()).hexdigest()
    verify = token_client(world.users["chair"]).get(f"/api/v1/decisions/{decision.pk}/verify/")
    assert verify.json() == {"id": decision.pk, "content_sha256": decision.content_sha256,
                             "verified": True}


def test_signing_twice_is_refused(world):
    decision = world.own.signed
    before = (decision.signed_at, decision.content_sha256)
    response = token_client(world.users["chair"]).post(
        f"/api/v1/decisions/{decision.pk}/sign/", {"confirm": True}, format="json")
    assert response.status_code == 400
    assert response.json() == {"errors": {"decision": ["This decision is already signed."]}}
    decision.refresh_from_db()
    assert (decision.signed_at, decision.content_sha256) == before


def test_recording_a_decision_reports_item_errors_by_path(world):
    body = {"agenda_item": world.own.i1.pk, "items": [
        {"title": "Stop zoledronic acid", "verdict": "rejected", "reason": ""}]}
    response = token_client(world.users["chair"]).post("/api/v1/decisions/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {"errors": {
        "items.0.reason": ["Give the board's reason for this change."]}}


@pytest.mark.parametrize("bad_date", ["2100-01-01"])
def test_imaging_in_the_future_is_refused(api, patient, bad_date):
    body = {"patient": patient.pk, "modality": "ct", "region": "Pelvis", "performed_on": bad_date}
    response = api.post("/api/v1/imaging-studies/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {"errors": {"performed_on": ["This date is in the future."]}}


def test_imaging_cannot_link_another_patients_lesion(api, board, patient):
    other = PatientFactory(board=board)
    lesion = SpinalLesionFactory(patient=other)
    body = {"patient": patient.pk, "modality": "ct", "region": "Spine",
            "performed_on": str(timezone.localdate() - dt.timedelta(days=1)),
            "lesions": [lesion.pk]}
    response = api.post("/api/v1/imaging-studies/", body, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["lesions"]
    assert Lesion.objects.get().imaging_studies.count() == 0


def test_patient_list_rows_match_the_detail_fields_exactly(api, patient):
    from cases.api.serializers import PATIENT_LIST_FIELDS

    listed = api.get("/api/v1/patients/").json()["results"]
    detail = api.get(f"/api/v1/patients/{patient.pk}/").json()
    assert listed == [{name: detail[name] for name in PATIENT_LIST_FIELDS}]
