"""Impossible clinical values are refused field by field, and nothing is saved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from cases.models import LabResult, Lesion, Patient, PrimaryCancer
from cases.tests.factories import PatientFactory


def _lesion(patient, **overrides):
    body = {"patient": patient.pk, "bone": "vertebra", "vertebral_level": "T8",
            "lesion_type": "lytic", "spinal_pain": "mechanical", "alignment": "normal",
            "collapse_percent": "10", "posterolateral": "none"}
    body.update(overrides)
    return body


def _lab(patient, **overrides):
    body = {"patient": patient.pk, "analyte": "creatinine", "value": "90", "unit": "umol/L",
            "taken_at": (timezone.now() - dt.timedelta(hours=2)).isoformat()}
    body.update(overrides)
    return body


def test_collapse_of_140_percent_is_refused(api, patient):
    response = api.post("/api/v1/lesions/", _lesion(patient, collapse_percent="140"),
                        format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["collapse_percent"]
    assert Lesion.objects.count() == 0


def test_collapse_of_100_percent_is_accepted(api, patient):
    response = api.post("/api/v1/lesions/", _lesion(patient, collapse_percent="100"),
                        format="json")
    assert response.status_code == 201
    assert Lesion.objects.get().collapse_percent == 100


def test_collapse_on_a_femur_is_refused_by_the_model(api, patient):
    body = {"patient": patient.pk, "bone": "femur", "long_bone_segment": "diaphysis",
            "collapse_percent": "10"}
    response = api.post("/api/v1/lesions/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {"errors": {
        "collapse_percent": ["This SINS finding applies to spinal lesions only."]}}
    assert Lesion.objects.count() == 0


def test_date_of_birth_in_the_future_is_refused(api, board):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    body = {"board": board.pk, "hospital_number": "H-FUTURE", "given_name": "A",
            "family_name": "B", "date_of_birth": str(tomorrow), "sex": "male"}
    response = api.post("/api/v1/patients/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {"errors": {"date_of_birth": ["This date is in the future."]}}
    assert not Patient.objects.filter(hospital_number="H-FUTURE").exists()


def test_creatinine_without_a_unit_is_refused(api, patient):
    body = _lab(patient)
    del body["unit"]
    response = api.post("/api/v1/labs/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {"errors": {"unit": ["This field is required."]}}
    assert LabResult.objects.count() == 0


@pytest.mark.parametrize("unit", ["g/L", "mmol/L", "ng/mL"])
def test_creatinine_in_a_wrong_unit_is_refused(api, patient, unit):
    response = api.post("/api/v1/labs/", _lab(patient, unit=unit), format="json")
    assert response.status_code == 400
    assert response.json() == {"errors": {
        "unit": [f"Creatinine is reported in mg/dL or umol/L, not {unit}."]}}
    assert LabResult.objects.count() == 0


def test_creatinine_in_an_unknown_unit_is_refused(api, patient):
    response = api.post("/api/v1/labs/", _lab(patient, unit="mmol/dL"), format="json")
    assert response.status_code == 400
    assert response.json() == {"errors": {"unit": ['"mmol/dL" is not a valid choice.']}}
    assert LabResult.objects.count() == 0


@pytest.mark.parametrize(("value", "unit"), [("90", "umol/L"), ("1.02", "mg/dL")])
def test_creatinine_in_either_unit_is_stored_as_given(api, patient, value, unit):
    response = api.post("/api/v1/labs/", _lab(patient, value=value, unit=unit), format="json")
    assert response.status_code == 201
    lab = LabResult.objects.get()
    assert (lab.value, lab.unit) == (Decimal(value), unit)


def test_negative_lab_value_is_refused(api, patient):
    response = api.post("/api/v1/labs/", _lab(patient, value="-1"), format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["value"]
    assert LabResult.objects.count() == 0


def test_lab_taken_in_the_future_is_refused(api, patient):
    later = (timezone.now() + dt.timedelta(days=2)).isoformat()
    response = api.post("/api/v1/labs/", _lab(patient, taken_at=later), format="json")
    assert response.status_code == 400
    assert response.json() == {"errors": {"taken_at": ["This date is in the future."]}}
    assert LabResult.objects.count() == 0


def test_several_bad_fields_are_all_reported(api, board):
    body = {"board": board.pk, "hospital_number": "H-X", "given_name": "A", "family_name": "B",
            "date_of_birth": "1960-01-01", "sex": "male", "weight_kg": "700", "ecog": 9}
    response = api.post("/api/v1/patients/", body, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"weight_kg", "ecog"}
    assert not Patient.objects.filter(hospital_number="H-X").exists()


def test_a_correction_that_breaks_a_rule_leaves_the_row_unchanged(api, patient):
    from cases.tests.factories import SpinalLesionFactory

    lesion = SpinalLesionFactory(patient=patient, collapse_percent=20)
    response = api.patch(f"/api/v1/lesions/{lesion.pk}/", {"collapse_percent": "140"},
                         format="json")
    assert response.status_code == 400
    lesion.refresh_from_db()
    assert lesion.collapse_percent == 20


# Plausibility (`cases.plausibility`): the same table as the model's and the engine's.

def test_an_impossible_lab_value_is_refused_by_the_api(api, patient):
    body = {"patient": patient.pk, "analyte": "calcium", "value": "25", "unit": "mmol/L",
            "taken_at": (timezone.now() - dt.timedelta(hours=2)).isoformat()}
    response = api.post("/api/v1/labs/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {"errors": {"value": [
        "Calcium (adjusted) 25 mmol/L is not possible (the possible range is 0.5–6 mmol/L); "
        "check the number and the unit."]}}
    assert LabResult.objects.count() == 0


def test_a_date_of_birth_in_year_1_is_refused_by_the_api(api, board):
    body = {"board": board.pk, "hospital_number": "H-YEAR-1", "given_name": "A",
            "family_name": "B", "date_of_birth": "0001-01-01", "sex": "male"}
    response = api.post("/api/v1/patients/", body, format="json")
    assert response.status_code == 400
    age = timezone.localdate().year - 1 - (timezone.localdate().timetuple()[1:3] < (1, 1))
    assert response.json() == {"errors": {"date_of_birth": [
        f"This date of birth gives an age of {age} years; above 120 it is taken to be a "
        "typing error."]}}
    assert not Patient.objects.filter(hospital_number="H-YEAR-1").exists()


# --- Breast receptor status -------------------------------------------------------------

def _breast(patient, **fields):
    return {"patient": patient.pk, "site": "breast", **fields}


@pytest.fixture
def patient_without_primary(board):
    return PatientFactory(board=board)


def test_a_triple_positive_breast_cancer_is_recorded_and_served_as_two_statuses(
        api, patient_without_primary):
    response = api.post("/api/v1/primary-cancers/", _breast(
        patient_without_primary, hormone_receptor_status="positive", her2_status="positive"),
        format="json")
    assert response.status_code == 201
    body = response.json()
    assert (body["hormone_receptor_status"], body["her2_status"]) == ("positive", "positive")
    assert "receptor_status" not in body


def test_the_old_combined_receptor_status_is_refused_not_dropped(api, patient_without_primary):
    response = api.post("/api/v1/primary-cancers/", _breast(
        patient_without_primary, receptor_status="her2+"), format="json")
    assert response.status_code == 400
    assert response.json() == {"errors": {"receptor_status": [
        "Receptor status is now recorded as two fields: hormone_receptor_status (ER/PR) and "
        "her2_status, each positive, negative or unknown."]}}
    assert not PrimaryCancer.objects.filter(patient=patient_without_primary).exists()


def test_receptor_statuses_on_a_prostate_cancer_are_refused_field_by_field(api, patient):
    response = api.patch(f"/api/v1/primary-cancers/{patient.primary.pk}/", {
        "hormone_receptor_status": "negative", "her2_status": "unknown"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"errors": {
        "hormone_receptor_status": ["Hormone-receptor status applies to breast cancer only."],
        "her2_status": ["HER2 status applies to breast cancer only."]}}
    patient.primary.refresh_from_db()
    assert (patient.primary.hormone_receptor_status, patient.primary.her2_status) == ("", "")
