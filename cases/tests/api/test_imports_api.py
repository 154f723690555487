"""POST /api/v1/imports/: preview by default, import with commit, errors per resource."""

from __future__ import annotations

import pytest

from cases.models import LabResult, PatientAccess
from cases.tests.api.conftest import token_client
from cases.tests.factories import PatientFactory
from cases.tests.interop import bundles as b

pytestmark = pytest.mark.django_db
URL = "/api/v1/imports/"


def _body(board, *resources, commit=False, as_text=False):
    data = b.bundle(b.patient(), *resources)
    return {"board": board.pk, "source": "fhir", "commit": commit,
            "content": b.as_text(data) if as_text else data}


def test_preview_then_import_then_nothing_new(board, coordinator):
    client = token_client(coordinator)
    body = _body(board, b.observation("718-7", 12.1, "g/dL", id="hb"))
    preview = client.post(URL, body, format="json")
    assert preview.status_code == 200
    data = preview.json()
    assert (data["committed"], data["counts"]["new"]) == (False, 2)
    assert [r["status"] for r in data["resources"]] == ["new", "new"]
    assert not LabResult.objects.exists()
    done = client.post(URL, {**body, "commit": True}, format="json")
    assert done.json()["committed"] is True and LabResult.objects.count() == 1
    again = client.post(URL, {**body, "commit": True}, format="json").json()
    assert again["counts"]["unchanged"] == 2 and LabResult.objects.count() == 1


def test_the_bundle_may_be_sent_as_text_and_unknown_codes_are_listed(board, coordinator):
    response = token_client(coordinator).post(
        URL, _body(board, b.observation("2951-2", 140, "mmol/L", id="na"), as_text=True),
        format="json")
    assert response.json()["unknown_codes"] == [{
        "entry": "entry 2", "label": "Observation na", "system": "http://loinc.org",
        "system_name": "LOINC", "code": "2951-2", "display": "",
        "reason": "not a code Boardsite imports"}]


def test_errors_are_400_per_resource_and_store_nothing(board, coordinator):
    response = token_client(coordinator).post(
        URL, _body(board, b.observation("2160-0", 97, "umol/L", id="creat"), commit=True),
        format="json")
    assert response.status_code == 400
    assert response.json() == {"errors": {
        "entry 2 (Observation creat) valueQuantity.code": [
            "Creatinine [Mass/volume] in Serum or Plasma (LOINC 2160-0) is reported in "
            "mg/dL, not \"umol/L\"."]}}
    assert not LabResult.objects.exists()


def test_another_board_is_not_there_for_an_outsider(board, outsider):
    response = token_client(outsider).post(URL, _body(board, commit=True), format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["board"]


def test_hl7_and_the_read_is_audited(board, coordinator):
    patient = PatientFactory(board=board, hospital_number="H0099001")
    response = token_client(coordinator).post(URL, {
        "board": board.pk, "source": "hl7v2", "commit": True,
        "content": b.oru(b.obx(1, "718-7", "12.1", "g/dL"))}, format="json")
    assert response.status_code == 200 and patient.labs.count() == 1
    assert PatientAccess.objects.of_patient(patient).filter(path=URL).exists()
