"""The largest nodal metastasis short axis (RAD-08): recorded in cm, 0–30 at the record
(model validators, the API, a check constraint) as at the engine's gate, one table
(`cases.plausibility.MEASURE_BOUNDS`)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from cases.models import Patient
from recommendations.selectors import case_facts_for_patients

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("value", "ok"), [("0", True), ("2.9", True), ("3.0", True),
                                           ("30", True), ("30.1", False), ("-0.1", False)])
def test_the_record_accepts_0_to_30_cm(patient, value, ok):
    patient.largest_node_short_axis_cm = Decimal(value)
    if ok:
        patient.full_clean()
    else:
        with pytest.raises(ValidationError) as exc:
            patient.full_clean()
        [message] = exc.value.message_dict["largest_node_short_axis_cm"]
        assert "between 0 and 30 cm" in message


@pytest.mark.parametrize("value", [-1, 31])
def test_the_database_refuses_a_size_off_the_range(patient, value):
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE cases_patient SET largest_node_short_axis_cm = %s WHERE id = %s",
                       [value, patient.pk])


def test_the_api_refuses_35_cm_with_a_field_error_and_stores_2_9(api, patient):
    url = f"/api/v1/patients/{patient.pk}/"
    refused = api.patch(url, {"largest_node_short_axis_cm": "35"}, format="json")
    assert refused.status_code == 400
    assert "largest_node_short_axis_cm" in str(refused.json())
    stored = api.patch(url, {"nodal_metastases": True, "largest_node_short_axis_cm": "2.9"},
                       format="json")
    assert stored.status_code == 200
    assert Patient.objects.get(pk=patient.pk).largest_node_short_axis_cm == Decimal("2.9")


def test_the_size_reaches_the_engine_in_cm(patient):
    Patient.objects.filter(pk=patient.pk).update(nodal_metastases=True,
                                                 largest_node_short_axis_cm=Decimal("3.0"))
    facts = case_facts_for_patients(patient_ids=[patient.pk], as_of=patient.created_at.date())
    extra = facts[patient.pk].extraskeletal
    assert (extra.nodal, extra.nodal_short_axis_cm) == (True, 3.0)
