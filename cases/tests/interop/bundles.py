"""FHIR bundles and HL7 v2 messages for the import tests, built as the hospital's
systems send them. Every bundle is checked by fhir.resources before a test uses it."""

from __future__ import annotations

import json
from typing import Any

from fhir.resources.R4B.bundle import Bundle

HOSPITAL = "https://hospital.example.org/mrn"
LAB = "https://hospital.example.org/lab-results"


def patient(number: str = "H0099001", *, id: str = "pat-1", family: str = "Okafor",
            given: str = "Ada", birth: str = "1956-04-02", gender: str = "female") -> dict:
    return {
        "resourceType": "Patient", "id": id,
        "identifier": [{"type": {"coding": [{
            "system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR"}]},
            "system": HOSPITAL, "value": number}],
        "name": [{"use": "official", "family": family, "given": [given]}],
        "birthDate": birth, "gender": gender,
    }


def observation(loinc: str, value: float | str, unit: str, *, id: str,
                subject: str = "Patient/pat-1",
                when: str = "2026-11-30T08:15:00+00:00", status: str = "final",
                identifier: str | None = None) -> dict:
    resource: dict[str, Any] = {
        "resourceType": "Observation", "id": id, "status": status,
        "code": {"coding": [{"system": "http://loinc.org", "code": loinc}]},
        "subject": {"reference": subject},
        "effectiveDateTime": when,
        "valueQuantity": {"value": value, "unit": unit, "system": "http://unitsofmeasure.org",
                          "code": unit},
    }
    if identifier:
        resource["identifier"] = [{"system": LAB, "value": identifier}]
    return resource


def condition(system: str, code: str, *, id: str, onset: str = "2024-05-01") -> dict:
    return {
        "resourceType": "Condition", "id": id,
        "code": {"coding": [{"system": system, "code": code}]},
        "subject": {"reference": "Patient/pat-1"}, "onsetDateTime": onset,
    }


def medication_statement(system: str, code: str, *, id: str, dose_mg: float | None = 4,
                         period: int = 4, unit: str = "wk", start: str = "2026-09-01") -> dict:
    dosage: dict[str, Any] = {"timing": {"repeat": {"period": period, "periodUnit": unit}}}
    if dose_mg is not None:
        dosage["doseAndRate"] = [{"doseQuantity": {"value": dose_mg, "unit": "mg",
                                                   "system": "http://unitsofmeasure.org",
                                                   "code": "mg"}}]
    return {
        "resourceType": "MedicationStatement", "id": id, "status": "active",
        "medicationCodeableConcept": {"coding": [{"system": system, "code": code}]},
        "subject": {"reference": "Patient/pat-1"},
        "effectivePeriod": {"start": start}, "dosage": [dosage],
    }


def medication_request(system: str, code: str, *, id: str, intent: str = "order",
                       status: str = "active") -> dict:
    return {
        "resourceType": "MedicationRequest", "id": id, "status": status, "intent": intent,
        "medicationCodeableConcept": {"coding": [{"system": system, "code": code}]},
        "subject": {"reference": "Patient/pat-1"},
        "dosageInstruction": [{"timing": {"repeat": {
            "boundsPeriod": {"start": "2026-10-01"}, "frequency": 1, "period": 1,
            "periodUnit": "d"}}}],
    }


def imaging_study(modality: str = "MR", *, id: str = "img-1", description: str = "MRI spine",
                  body: str = "Thoracic spine", started: str = "2026-11-20T10:00:00+00:00",
                  uid: str = "urn:oid:1.2.826.0.1.3680043.8.498.1") -> dict:
    return {
        "resourceType": "ImagingStudy", "id": id, "status": "available",
        "identifier": [{"system": "urn:dicom:uid", "value": uid}],
        "modality": [{"system": "http://dicom.nema.org/resources/ontology/DCM",
                      "code": modality}],
        "subject": {"reference": "Patient/pat-1"}, "started": started,
        "description": description,
        "series": [{"uid": "1.2.3.4", "modality": {
            "system": "http://dicom.nema.org/resources/ontology/DCM", "code": modality},
            "bodySite": {"system": "http://snomed.info/sct", "code": "122496007",
                         "display": body}}],
    }


def diagnostic_report(*, id: str = "rep-1", study: str = "ImagingStudy/img-1",
                      conclusion: str = "Lytic lesion T10, no cord compression.") -> dict:
    return {
        "resourceType": "DiagnosticReport", "id": id, "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "24558-9"}]},
        "subject": {"reference": "Patient/pat-1"},
        "imagingStudy": [{"reference": study}], "conclusion": conclusion,
    }


def bundle(*resources: dict) -> dict:
    """A collection Bundle; fhir.resources validates it (a broken test bundle fails here)."""
    data = {
        "resourceType": "Bundle", "type": "collection",
        "entry": [{"fullUrl": f"https://hospital.example.org/fhir/{r['resourceType']}/{r['id']}",
                   "resource": r} for r in resources],
    }
    Bundle.model_validate(data)
    return data


def as_text(data: dict) -> str:
    return json.dumps(data)


def oru(*obx: str, number: str = "H0099001", order: str = "FILL-1",
        kind: str = "ORU^R01") -> str:
    segments = [
        f"MSH|^~\\&|LABSYS|HOSPITAL|BOARDSITE|MDT|20261130090000||{kind}|MSG1|P|2.5.1",
        f"PID|1||{number}^^^HOSPITAL^MR||Okafor^Ada||19560402|F",
        f"OBR|1|PLACER-1|{order}|24323-8^Metabolic panel^LN|||202611300800+0000",
        *obx,
    ]
    return "\r".join(segments)


def obx(n: int, loinc: str, value: str, unit: str, *, status: str = "F",
        when: str = "202611300815+0000", kind: str = "NM") -> str:
    return f"OBX|{n}|{kind}|{loinc}^Test^LN||{value}|{unit}^^UCUM|||||{status}|||{when}"
