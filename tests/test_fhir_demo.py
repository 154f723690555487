"""The FHIR export of a demo decision, field by field: DEMO0017's signed decision
(creatinine clearance below 30: zoledronic acid stays stopped, denosumab with calcium
monitoring), as `load_demo_data` signs it with the engine's typed actions. The same
bundle is docs/samples/decision.fhir.json."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from fhir.resources.R4B.bundle import Bundle

from cases import documents
from cases.fhir_export import (
    HOSPITAL_NUMBER_SYSTEM,
    HOSPITAL_NUMBER_TYPE,
    RXNORM,
    SNOMED,
    UCUM,
    decision_bundle_json,
)
from cases.models import Decision

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo_data", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def test_the_demo_decision_exports_what_the_chair_signed(demo):
    decision = Decision.objects.get(agenda_item__patient__hospital_number="DEMO0017",
                                    signed_at__isnull=False)
    text = decision_bundle_json(documents.signed_plan(decision=decision))
    bundle = Bundle.model_validate_json(text)
    assert bundle.type == "collection"
    entries = [e["resource"] for e in json.loads(text)["entry"]]
    by_type: dict[str, list[dict]] = {}
    for resource in entries:
        by_type.setdefault(resource["resourceType"], []).append(resource)

    [patient] = by_type["Patient"]
    assert patient["identifier"] == [{"type": HOSPITAL_NUMBER_TYPE,
                                      "system": HOSPITAL_NUMBER_SYSTEM, "value": "DEMO0017"}]
    assert (patient["name"], patient["gender"]) == (
        [{"family": "Demo-Siskin", "given": ["Rosalind"]}], "female")

    careplan = entries[0]
    assert careplan["resourceType"] == "CarePlan"
    assert (careplan["status"], careplan["intent"]) == ("active", "plan")
    assert careplan["description"] == ("Zoledronic acid stays stopped; switch to denosumab "
                                       "with calcium monitoring.")
    assert len(careplan["activity"]) == 3

    [medication] = by_type["MedicationRequest"]
    assert (medication["status"], medication["intent"]) == ("active", "plan")
    assert medication["medicationCodeableConcept"]["coding"] == [
        {"system": RXNORM, "code": "993449", "display": "denosumab"}]
    [dosage] = medication["dosageInstruction"]
    assert dosage["text"] == "Start denosumab (120 mg, subcutaneous, every 4 weeks)"
    assert dosage["route"]["coding"][0]["code"] == "34206005"
    assert dosage["doseAndRate"] == [{"doseQuantity": {"value": 120, "unit": "mg",
                                                       "system": UCUM, "code": "mg"}}]
    assert dosage["timing"] == {"repeat": {"frequency": 1, "period": 4, "periodUnit": "wk"}}

    dental, calcium = by_type["ServiceRequest"]
    assert dental["code"]["coding"] == [{"system": SNOMED, "code": "34043003",
                                         "display": "Dental consultation and report"}]
    assert dental["priority"] == "routine"
    assert calcium["category"][0]["coding"][0]["code"] == "108252007"
    assert calcium["code"] == {"text": "serum calcium"}
    assert calcium["occurrenceTiming"] == {
        "code": {"text": "Before each dose of the planned medicine"}}

    conditions = by_type["Condition"]
    assert [c["code"]["coding"][0]["code"] for c in conditions[1:]] == \
        ["94222008"] * (len(conditions) - 1)
    assert careplan["addresses"] == [{"reference": f"urn:uuid:{c['id']}"}
                                     for c in conditions[1:]]
