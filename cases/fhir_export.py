"""A signed decision as a FHIR R4 Bundle, built and validated with fhir.resources (R4B).

What is in the bundle (docs/exports.md has the table and what is left out):
- the CarePlan of the board's decision: status active, intent plan, the patient as
  subject, the board (an Organization) as author, the signing time as `created`, the
  outcome summary as `description`, one activity per signed action;
- one ServiceRequest per radiotherapy, procedure or referral and investigation
  (SNOMED CT codes where a standard one exists), one MedicationRequest per medication
  (RxNorm ingredient codes, SNOMED CT routes, UCUM doses), and the board's free-text
  items as the activity's own `detail.description`;
- the Patient (hospital number as the identifier), the primary cancer as a Condition
  and each lesion as an mCODE SecondaryCancerCondition (SNOMED CT 94222008, secondary
  malignant neoplasm of bone, with its body site), which the CarePlan `addresses`;
- the latest result of each laboratory test the record holds, as an Observation with
  its LOINC code and the value in the unit it was recorded in (UCUM).

Only the SIGNED version's typed actions are read (`cases.documents.signed_plan`). Every
resource has a stable id and a `urn:uuid:` full URL derived from the row it comes from,
so exporting the same signed version twice gives the same bytes. Codes are only given
where the mapping is certain; otherwise the CodeableConcept carries text alone (the
mapping tables below say which).
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from fhir.resources.R4B.bundle import Bundle

from cases.actions import (
    AGENT_LABELS,
    INVESTIGATION_LABELS,
    MODALITY_LABELS,
    PROCEDURE_LABELS,
    action_summary,
)
from cases.choices import Sex
from cases.documents import SignedPlan
from cases.interop import codes as interop_codes
from cases.models import LabResult, Lesion

SNOMED = "http://snomed.info/sct"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
#: Identifier systems of Boardsite's own rows (a hospital maps them to its OIDs).
SYSTEM_BASE = "urn:boardsite"
HOSPITAL_NUMBER_SYSTEM = f"{SYSTEM_BASE}:hospital-number"
DECISION_SYSTEM = f"{SYSTEM_BASE}:decision"
HOSPITAL_NUMBER_TYPE = {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0203",
                                    "code": "MR", "display": "Medical record number"}]}
BOARD_SYSTEM = f"{SYSTEM_BASE}:board"

MCODE = "http://hl7.org/fhir/us/mcode/StructureDefinition"
SECONDARY_PROFILE = f"{MCODE}/mcode-secondary-cancer-condition"
PRIMARY_PROFILE = f"{MCODE}/mcode-primary-cancer-condition"
RELATED_PRIMARY = f"{MCODE}/mcode-related-primary-cancer-condition"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"

#: SECONDARY malignant neoplasm of bone: the code mCODE's examples use for bone lesions.
BONE_METASTASIS = ("94222008", "Secondary malignant neoplasm of bone")

#: Primary sites (cases.choices.PrimarySite) with a SNOMED CT disorder code.
PRIMARY_SITE_CODES = {
    "prostate": ("399068003", "Malignant tumor of prostate"),
    "breast": ("254837009", "Malignant neoplasm of breast"),
    "lung": ("363358000", "Malignant tumor of lung"),
    "kidney": ("363518003", "Malignant tumor of kidney"),
    "thyroid": ("363478007", "Malignant tumor of thyroid gland"),
    "myeloma": ("109989006", "Multiple myeloma"),
    "melanoma": ("372244006", "Malignant melanoma"),
}
#: Bones (cases.choices.Bone) with a SNOMED CT body structure code.
BONE_SITE_CODES = {
    "vertebra": ("421060004", "Bone structure of vertebral column"),
    "femur": ("71341001", "Bone structure of femur"),
    "tibia": ("12611008", "Bone structure of tibia"),
    "fibula": ("87342007", "Bone structure of fibula"),
    "humerus": ("85050009", "Bone structure of humerus"),
    "radius": ("62413002", "Bone structure of radius"),
    "ulna": ("23416004", "Bone structure of ulna"),
    "sacrum": ("54735007", "Bone structure of sacrum"),
    "rib": ("113197003", "Bone structure of rib"),
    "sternum": ("56873002", "Bone structure of sternum"),
}
#: Medicines (cases.actions.AGENT_LABELS) with an RxNorm ingredient code.
AGENT_CODES = {
    "zoledronic_acid": ("77655", "zoledronic acid"),
    "denosumab": ("993449", "denosumab"),
    "dexamethasone": ("3264", "dexamethasone"),
}
ROUTE_CODES = {
    "iv": ("47625008", "Intravenous route"),
    "sc": ("34206005", "Subcutaneous route"),
    "oral": ("26643006", "Oral route"),
}
DOSE_UNITS = {"mg": "mg", "kbq_per_kg": "kBq/kg", "mbq": "MBq", "iu": "[iU]"}
#: Requests by kind of action: the SNOMED CT category, and codes per procedure/modality.
RADIOTHERAPY = ("108290001", "Radiation oncology AND/OR radiotherapy")
IMAGING = ("363679005", "Imaging")
LABORATORY = ("108252007", "Laboratory procedure")
PROCEDURE_CODES = {
    "dental_review": ("34043003", "Dental consultation and report"),
    "palliative_care": ("306237005", "Referral to palliative care service"),
}
MODALITY_CODES = {
    "ct": ("77477000", "Computerized axial tomography"),
    "mri": ("113091000", "Magnetic resonance imaging"),
    "xr": ("363680008", "Radiographic imaging procedure"),
    "bone_scan": ("41747008", "Bone scan"),
}
#: Laboratory tests: (LOINC code, display) per (analyte, unit recorded). The importer's
#: table (`cases.interop.codes.LAB_CODES`) read backwards — the first code that takes the
#: unit — so an exported bundle imports as the same rows; then the tests the record
#: holds that the importer does not take. UCUM spells the unit.
LAB_CODES: dict[tuple[str, str], tuple[str, str]] = {}
for _loinc, _lab in interop_codes.LAB_CODES.items():
    for _stored in _lab.units.values():
        LAB_CODES.setdefault((_lab.analyte, _stored), (_loinc, _lab.name))
LAB_CODES.update({
    ("psa", "ng/mL"): ("2857-1", "Prostate specific Ag [Mass/volume] in Serum or Plasma"),
    ("vitamin_d", "ng/mL"): ("1989-3", "25-Hydroxyvitamin D3+25-Hydroxyvitamin D2 "
                                       "[Mass/volume] in Serum or Plasma"),
})
UCUM_UNITS = {"mg/dL": "mg/dL", "umol/L": "umol/L", "mmol/L": "mmol/L", "g/L": "g/L",
              "g/dL": "g/dL", "U/L": "U/L", "10^9/L": "10*9/L", "nmol/L": "nmol/L",
              "ng/mL": "ng/mL", "nmol BCE/L": "nmol{BCE}/L"}
GENDER = {Sex.FEMALE: "female", Sex.MALE: "male"}
MEDICATION_STATUS = {"start": "active", "continue": "active", "withhold": "on-hold",
                     "stop": "stopped"}


def _concept(code: tuple[str, str] | None, system: str, text: str) -> dict[str, Any]:
    concept: dict[str, Any] = {"text": text}
    if code is not None:
        concept["coding"] = [{"system": system, "code": code[0], "display": code[1]}]
    return concept


def _number(value: str | Decimal | int) -> Decimal:
    return Decimal(str(value))


class _Ids:
    """Stable ids and urn:uuid full URLs: the same row gives the same id in every export."""

    def __init__(self, decision_id: int, version: int) -> None:
        self.namespace = uuid.uuid5(uuid.NAMESPACE_URL, f"{DECISION_SYSTEM}/{decision_id}/"
                                                        f"v{version}")

    def __call__(self, key: str) -> tuple[str, str]:
        value = str(uuid.uuid5(self.namespace, key))
        return value, f"urn:uuid:{value}"


def _medication(action: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    agent = action.get("agent", "other")
    resource = {**base, "resourceType": "MedicationRequest",
                "status": MEDICATION_STATUS.get(action.get("verb", "start"), "active"),
                "intent": "plan",
                "medicationCodeableConcept": _concept(AGENT_CODES.get(agent), RXNORM,
                                                      AGENT_LABELS.get(agent, "medicine"))}
    dosage: dict[str, Any] = {"text": action_summary(action)}
    if action.get("route") in ROUTE_CODES:
        dosage["route"] = _concept(ROUTE_CODES[action["route"]], SNOMED,
                                   ROUTE_CODES[action["route"]][1])
    if action.get("dose") and action.get("unit") in DOSE_UNITS:
        unit = DOSE_UNITS[action["unit"]]
        dosage["doseAndRate"] = [{"doseQuantity": {
            "value": _number(action["dose"]), "unit": unit, "system": UCUM, "code": unit}}]
    repeat: dict[str, Any] = {}
    if action.get("interval_weeks"):
        repeat.update({"frequency": 1, "period": _number(action["interval_weeks"]),
                       "periodUnit": "wk"})
    if action.get("doses"):
        repeat["count"] = action["doses"]
    bounds = {k: action[f] for k, f in (("start", "first_dose_on"), ("end", "end_on"))
              if action.get(f)}
    if bounds:
        repeat["boundsPeriod"] = bounds
    if repeat:
        dosage["timing"] = {"repeat": repeat}
    resource["dosageInstruction"] = [dosage]
    return resource


def _service(action: dict[str, Any], base: dict[str, Any]) -> dict[str, Any]:
    kind = action["kind"]
    resource = {**base, "resourceType": "ServiceRequest", "status": "active",
                "intent": "plan", "note": [{"text": action_summary(action)}]}
    if kind == "radiotherapy":
        resource["category"] = [_concept(RADIOTHERAPY, SNOMED, "Radiotherapy")]
        resource["code"] = _concept(RADIOTHERAPY, SNOMED, action_summary(action))
        when = action.get("start_on")
        if action.get("lesion"):
            resource["bodySite"] = [{"text": action["lesion"]}]
    elif kind == "procedure":
        procedure = action.get("procedure", "other")
        resource["code"] = _concept(PROCEDURE_CODES.get(procedure), SNOMED,
                                    PROCEDURE_LABELS.get(procedure, "procedure"))
        resource["priority"] = {"emergency": "stat", "urgent": "urgent"}.get(
            action.get("urgency", ""), "routine")
        when = action.get("due_on")
        if action.get("lesion"):
            resource["bodySite"] = [{"text": action["lesion"]}]
    else:
        what = action.get("investigation")
        if what == "imaging":
            modality = action.get("modality", "other")
            resource["category"] = [_concept(IMAGING, SNOMED, "Imaging")]
            resource["code"] = _concept(MODALITY_CODES.get(modality), SNOMED,
                                        MODALITY_LABELS.get(modality, "imaging"))
            if action.get("region"):
                resource["bodySite"] = [{"text": action["region"]}]
        elif what == "lab":
            resource["category"] = [_concept(LABORATORY, SNOMED, "Laboratory procedure")]
            resource["code"] = {"text": action.get("test") or "blood test"}
        else:
            resource["code"] = {"text": action.get("test")
                                or INVESTIGATION_LABELS.get(what or "", "review")}
        when = action.get("due_on")
        if action.get("with_doses"):
            resource["occurrenceTiming"] = {"code": {"text": "Before each dose of the "
                                                             "planned medicine"}}
    if when:
        resource["occurrenceDateTime"] = when
    return resource


def decision_bundle(plan: SignedPlan) -> Bundle:
    """The signed version as a validated R4B Bundle (type collection)."""
    decision = plan.decision
    item = decision.agenda_item
    patient = item.patient
    board = item.meeting.board
    ids = _Ids(decision.pk, decision.version)
    entries: list[dict[str, Any]] = []

    def add(key: str, resource: dict[str, Any]) -> str:
        resource_id, full_url = ids(key)
        entries.append({"fullUrl": full_url, "resource": {**resource, "id": resource_id}})
        return full_url

    patient_ref = add(f"patient/{patient.pk}", {
        "resourceType": "Patient",
        # Typed MR (HL7 table 0203, medical record number): how the importer (and most
        # receiving systems) tell the hospital number from other identifiers.
        "identifier": [{"type": HOSPITAL_NUMBER_TYPE, "system": HOSPITAL_NUMBER_SYSTEM,
                        "value": patient.hospital_number}],
        "name": [{"family": patient.family_name, "given": [patient.given_name]}],
        "birthDate": patient.date_of_birth.isoformat(),
        **({"gender": GENDER[patient.sex]} if patient.sex in GENDER else {}),
    })
    board_ref = add(f"board/{board.pk}", {
        "resourceType": "Organization", "name": board.name,
        "identifier": [{"system": BOARD_SYSTEM, "value": str(board.pk)}],
        "type": [{"text": "Multidisciplinary tumour board"}],
    })
    subject = {"reference": patient_ref}
    condition_base = {
        "clinicalStatus": _concept(("active", "Active"), CONDITION_CLINICAL, "Active"),
        "verificationStatus": _concept(("confirmed", "Confirmed"), CONDITION_VERIFICATION,
                                       "Confirmed"),
        "subject": subject,
    }
    primary = getattr(patient, "primary", None)
    primary_ref = None
    if primary is not None:
        primary_ref = add(f"primary/{primary.pk}", {
            "resourceType": "Condition", "meta": {"profile": [PRIMARY_PROFILE]},
            **condition_base,
            "code": _concept(PRIMARY_SITE_CODES.get(primary.site), SNOMED,
                             f"{primary.get_site_display()} cancer"
                             + (f" ({primary.histology})" if primary.histology else "")),
            **({"onsetDateTime": primary.diagnosed_on.isoformat()}
               if primary.diagnosed_on else {}),
        })
    lesion_refs = []
    for lesion in Lesion.objects.filter(patient_id=patient.pk).order_by("id"):
        site = {"text": lesion.site_label}
        if lesion.bone in BONE_SITE_CODES:
            site = _concept(BONE_SITE_CODES[lesion.bone], SNOMED, lesion.site_label)
        resource = {"resourceType": "Condition", "meta": {"profile": [SECONDARY_PROFILE]},
                    **condition_base, "code": _concept(BONE_METASTASIS, SNOMED,
                                                       "Bone metastasis"),
                    "bodySite": [site]}
        if primary_ref:
            resource["extension"] = [{"url": RELATED_PRIMARY,
                                      "valueReference": {"reference": primary_ref}}]
        lesion_refs.append(add(f"lesion/{lesion.pk}", resource))
    latest_labs = (LabResult.objects.filter(patient_id=patient.pk)
                   .order_by("analyte", "-taken_at", "-id").distinct("analyte"))
    for lab in latest_labs:
        code = LAB_CODES.get((lab.analyte, lab.unit))
        unit = UCUM_UNITS.get(lab.unit, lab.unit)
        add(f"lab/{lab.pk}", {
            "resourceType": "Observation", "status": "final",
            "category": [_concept(("laboratory", "Laboratory"), OBSERVATION_CATEGORY,
                                  "Laboratory")],
            "code": _concept(code, LOINC, lab.get_analyte_display()),
            "subject": subject, "effectiveDateTime": lab.taken_at.isoformat(),
            "valueQuantity": {"value": lab.value, "unit": lab.get_unit_display(),
                              "system": UCUM, "code": unit},
        })
    activities = []
    request_base = {"subject": subject, "authoredOn": decision.signed_at.isoformat(),
                    "requester": {"reference": board_ref}}
    for entry in plan.actions:
        action = entry.action
        if action.get("kind") == "medication":
            ref = add(f"item/{entry.pk}", _medication(action, request_base))
        elif action.get("kind") in ("radiotherapy", "procedure", "investigation"):
            ref = add(f"item/{entry.pk}", _service(action, request_base))
        else:
            activities.append({"detail": {"status": "not-started",
                                          "description": action_summary(action)}})
            continue
        activities.append({"reference": {"reference": ref}})
    careplan: dict[str, Any] = {
        "resourceType": "CarePlan", "status": "active", "intent": "plan",
        "identifier": [{"system": DECISION_SYSTEM,
                        "value": f"{decision.pk}-v{decision.version}"}],
        "title": f"{board.name}: decision version {decision.version}",
        "subject": subject, "author": {"reference": board_ref},
        "created": decision.signed_at.isoformat(),
        "note": [{"text": f"Signature ID {decision.signature_id}; content SHA-256 "
                          f"{decision.content_sha256}."}],
    }
    if decision.outcome_summary:
        careplan["description"] = decision.outcome_summary
    if lesion_refs:
        careplan["addresses"] = [{"reference": ref} for ref in lesion_refs]
    if activities:
        careplan["activity"] = activities
    add(f"careplan/{decision.pk}", careplan)
    entries.insert(0, entries.pop())  # the CarePlan first: it is what the bundle is about
    return Bundle.model_validate({
        "resourceType": "Bundle", "type": "collection",
        "identifier": {"system": DECISION_SYSTEM, "value": f"{decision.pk}-v{decision.version}"},
        "timestamp": decision.signed_at.isoformat(), "entry": entries,
    })


def decision_bundle_json(plan: SignedPlan) -> str:
    return decision_bundle(plan).model_dump_json(exclude_none=True, by_alias=True)
