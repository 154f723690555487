"""The FHIR R4 export of a signed decision (cases/fhir_export.py) and its API endpoint
(`GET /api/v1/decisions/{id}/fhir/`): validated by fhir.resources (R4B), checked field
by field, board-scoped, audited, only for a signed version."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.urls import reverse
from fhir.resources.R4B.bundle import Bundle
from rest_framework.test import APIClient

from cases import documents, services
from cases.fhir_export import (
    DECISION_SYSTEM,
    HOSPITAL_NUMBER_SYSTEM,
    HOSPITAL_NUMBER_TYPE,
    LOINC,
    RXNORM,
    SECONDARY_PROFILE,
    SNOMED,
    UCUM,
    decision_bundle,
    decision_bundle_json,
)
from cases.fhir_export import LAB_CODES as LAB_CODES_EXPORTED
from cases.interop import codes
from cases.models import PatientAccess
from cases.tests.documents_builders import days, held_meeting_with_signed_decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(board, chair, coordinator):
    return held_meeting_with_signed_decision(board, chair)


def _resources(bundle_json: str) -> dict[str, list[dict]]:
    by_type: dict[str, list[dict]] = {}
    for entry in json.loads(bundle_json)["entry"]:
        by_type.setdefault(entry["resource"]["resourceType"], []).append(entry)
    return by_type


def _coding(concept: dict) -> tuple[str, str]:
    return concept["coding"][0]["system"], concept["coding"][0]["code"]


def test_the_bundle_is_valid_r4b_and_says_what_the_chair_signed(signed):
    _meeting, decision = signed
    plan = documents.signed_plan(decision=decision)
    text = decision_bundle_json(plan)
    Bundle.model_validate_json(text)  # the library's own validation, again from the bytes
    bundle = json.loads(text)
    assert (bundle["type"], bundle["identifier"]) == (
        "collection", {"system": DECISION_SYSTEM, "value": f"{decision.pk}-v1"})
    found = _resources(text)
    assert {k: len(v) for k, v in found.items()} == {
        "CarePlan": 1, "Patient": 1, "Organization": 1, "Condition": 3, "Observation": 1,
        "MedicationRequest": 1, "ServiceRequest": 3}
    urls = {e["fullUrl"] for e in bundle["entry"]}
    assert all(url.startswith("urn:uuid:") for url in urls)

    patient = decision.agenda_item.patient
    [p] = found["Patient"]
    assert p["resource"]["identifier"] == [{"type": HOSPITAL_NUMBER_TYPE,
                                            "system": HOSPITAL_NUMBER_SYSTEM,
                                            "value": patient.hospital_number}]
    assert p["resource"]["name"] == [{"family": patient.family_name,
                                      "given": [patient.given_name]}]
    assert (p["resource"]["birthDate"], p["resource"]["gender"]) == ("1955-03-14", "male")
    [org] = found["Organization"]
    assert org["resource"]["name"] == "Bone metastasis MDT"

    [cp] = found["CarePlan"]
    careplan = cp["resource"]
    assert bundle["entry"][0] is not None and bundle["entry"][0]["resource"]["resourceType"] \
        == "CarePlan"
    assert (careplan["status"], careplan["intent"]) == ("active", "plan")
    assert careplan["subject"] == {"reference": p["fullUrl"]}
    assert careplan["author"] == {"reference": org["fullUrl"]}
    assert careplan["description"] == "Radiotherapy and zoledronic acid."
    assert careplan["created"] == decision.signed_at.isoformat().replace("+00:00", "Z")
    assert decision.signature_id in careplan["note"][0]["text"]
    activities = careplan["activity"]
    # Zoledronic acid, radiotherapy, MRI, dental review (references) and the free text;
    # the rejected fixation asks for nothing and is absent.
    [med] = found["MedicationRequest"]
    services_ = found["ServiceRequest"]
    assert [a.get("reference", {}).get("reference") for a in activities] == [
        med["fullUrl"], *[s["fullUrl"] for s in services_], None]
    assert activities[-1]["detail"] == {
        "status": "not-started",
        "description": "Discuss again at the next meeting if the pain persists"}

    m = med["resource"]
    assert (m["status"], m["intent"]) == ("active", "plan")
    assert _coding(m["medicationCodeableConcept"]) == (RXNORM, "77655")
    dosage = m["dosageInstruction"][0]
    assert _coding(dosage["route"]) == (SNOMED, "47625008")
    assert dosage["doseAndRate"][0]["doseQuantity"] == {
        "value": 4, "unit": "mg", "system": UCUM, "code": "mg"}
    assert dosage["timing"]["repeat"] == {"frequency": 1, "period": 4, "periodUnit": "wk",
                                          "count": 6, "boundsPeriod": {"start": days(7)}}
    assert m["requester"] == {"reference": org["fullUrl"]}

    radiotherapy, mri, dental = (s["resource"] for s in services_)
    assert _coding(radiotherapy["code"]) == (SNOMED, "108290001")
    assert radiotherapy["occurrenceDateTime"] == days(5)
    assert radiotherapy["bodySite"] == [{"text": "T8"}]
    assert radiotherapy["note"] == [{"text": "Radiotherapy 8 Gy in 1 fraction to T8, "
                                             f"starting {days(5)}"}]
    assert _coding(mri["code"]) == (SNOMED, "113091000")
    assert _coding(mri["category"][0]) == (SNOMED, "363679005")
    assert (mri["occurrenceDateTime"], mri["bodySite"]) == (days(42), [{"text": "whole spine"}])
    assert _coding(dental["code"]) == (SNOMED, "34043003")
    assert (dental["priority"], dental["occurrenceDateTime"]) == ("routine", days(14))

    primary, *lesions = (c for c in found["Condition"])
    assert _coding(primary["resource"]["code"]) == (SNOMED, "399068003")
    assert [les["fullUrl"] for les in lesions] == [a["reference"]
                                                   for a in careplan["addresses"]]
    for lesion in lesions:
        resource = lesion["resource"]
        assert resource["meta"]["profile"] == [SECONDARY_PROFILE]
        assert _coding(resource["code"]) == (SNOMED, "94222008")
        assert resource["extension"][0]["valueReference"] == {"reference": primary["fullUrl"]}
    assert [_coding(les["resource"]["bodySite"][0]) for les in lesions] == [
        (SNOMED, "421060004"), (SNOMED, "71341001")]
    assert [les["resource"]["bodySite"][0]["text"] for les in lesions] == [
        "T8", "Left Diaphysis (shaft) Femur"]

    [lab] = found["Observation"]
    assert _coding(lab["resource"]["code"]) == (LOINC, "2160-0")
    assert lab["resource"]["valueQuantity"] == {"value": 1.1, "unit": "mg/dL",
                                                "system": UCUM, "code": "mg/dL"}
    assert Decimal(str(lab["resource"]["valueQuantity"]["value"])) == Decimal("1.1")


def test_the_same_signed_version_exports_the_same_bytes(signed):
    _meeting, decision = signed
    first = decision_bundle_json(documents.signed_plan(decision=decision))
    assert decision_bundle_json(documents.signed_plan(decision=decision)) == first
    assert isinstance(decision_bundle(documents.signed_plan(decision=decision)), Bundle)


def test_the_api_serves_the_bundle_to_the_board_only_and_records_the_export(
        signed, chair, outsider, django_assert_max_num_queries):
    _meeting, decision = signed
    url = reverse("decision-fhir", args=[decision.pk])
    client = APIClient()
    client.force_authenticate(outsider)
    assert client.get(url).status_code == 404
    client.force_authenticate(chair)
    before = PatientAccess.objects.count()
    with django_assert_max_num_queries(12):
        response = client.get(url, HTTP_ACCEPT="application/fhir+json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    assert "attachment" in response["Content-Disposition"]
    Bundle.model_validate_json(response.content)
    access = PatientAccess.objects.order_by("-id").first()
    assert PatientAccess.objects.count() == before + 1
    assert (access.action, access.patient_ids, access.user) == (
        "export", [decision.agenda_item.patient_id], chair)


def test_an_unsigned_version_has_no_export(signed, chair):
    _meeting, decision = signed
    amendment = services.decision_amend(decision=decision, recorded_by=chair, reason="Typo")
    client = APIClient()
    client.force_authenticate(chair)
    response = client.get(reverse("decision-fhir", args=[amendment.pk]))
    assert response.status_code == 400
    assert json.loads(response.content) == {"errors": {"decision": [
        "Only a signed decision has letters and exports; sign it first."]}}


def test_lab_codes_are_the_importers_table_read_backwards():
    assert LAB_CODES_EXPORTED[("calcium", "mmol/L")] == (
        "29265-6", "Calcium [Moles/volume] corrected for albumin in Serum or Plasma")
    assert LAB_CODES_EXPORTED[("creatinine", "umol/L")][0] == "14682-9"
    assert LAB_CODES_EXPORTED[("creatinine", "mg/dL")][0] == "2160-0"
    for (analyte, unit), (loinc, _name) in LAB_CODES_EXPORTED.items():
        if loinc in codes.LAB_CODES:
            assert codes.LAB_CODES[loinc].analyte == analyte
            assert unit in codes.LAB_CODES[loinc].units.values()
