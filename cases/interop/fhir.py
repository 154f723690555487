"""Reading a FHIR R4 Bundle with fhir.resources (the `R4B` models).

Why R4B models for R4 bundles: fhir.resources 8 ships R4B (4.3) and R5 models, not
4.0.1. For the resources read here, R4B and R4 have the same elements and types
(Patient, Condition, Observation, MedicationStatement, MedicationRequest, Medication,
ImagingStudy, DiagnosticReport); the differences of R4B (new resources such as
SubscriptionTopic, Citation; Medication-related resources renamed in R5, not in R4B)
do not touch them. docs/import.md says the same.

The library checks the structure (types, required elements, no unknown elements); what
the record needs on top (the hospital number, a LOINC code and a UCUM unit accepted for
the test, a time with a time zone…) is checked here, with the element named in the
message.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from pydantic import ValidationError as PydanticError

from cases.choices import ImagingModality, LabUnit
from cases.interop import codes
from cases.interop.plan import (
    BONE_AGENT,
    IMAGING,
    LAB,
    NOTED,
    PATIENT,
    PRIMARY,
    SYSTEMIC,
    Incoming,
    Parsed,
    UnknownCode,
)

#: Resource types read; any other type in the bundle is listed as not imported.
READ_TYPES = ("Patient", "Condition", "Observation", "MedicationStatement",
              "MedicationRequest", "Medication", "ImagingStudy", "DiagnosticReport")


def read_bundle(content: str | bytes) -> Parsed:
    parsed = Parsed()
    try:
        data = json.loads(content)
    except (ValueError, UnicodeDecodeError) as error:
        parsed.error("The file", "not JSON", "", f"This is not a JSON file ({error}).")
        return parsed
    if not isinstance(data, dict) or data.get("resourceType") != "Bundle":
        parsed.error("The file", "not a bundle", "resourceType",
                     "A FHIR Bundle is expected (resourceType \"Bundle\").")
        return parsed
    try:
        bundle = Bundle.model_validate(data)
    except PydanticError as error:
        _library_errors(parsed, data, error)
        return parsed
    _Reader(parsed, bundle).read()
    return parsed


def _library_errors(parsed: Parsed, data: dict, error: PydanticError) -> None:
    """fhir.resources' own errors, one per element, located by entry."""
    entries = data.get("entry") or []
    for problem in error.errors():
        loc = list(problem["loc"])
        entry, label = "The bundle", "Bundle"
        if len(loc) >= 2 and loc[0] == "entry" and isinstance(loc[1], int):
            index = loc[1]
            raw = entries[index].get("resource", {}) if index < len(entries) and isinstance(
                entries[index], dict) else {}
            entry, label = f"entry {index + 1}", _raw_label(raw)
            loc = loc[3:] if len(loc) > 2 and loc[2] == "resource" else loc[2:]
        where = ".".join(str(part) for part in loc)
        message = str(problem["msg"]).removeprefix("Value error, ")
        parsed.error(entry, label, where, message)


def _raw_label(raw: Any) -> str:
    if not isinstance(raw, dict):
        return "resource"
    return " ".join(str(p) for p in (raw.get("resourceType", "resource"), raw.get("id")) if p)


def _codings(concept) -> list:
    return list(getattr(concept, "coding", None) or []) if concept is not None else []


def _day(value) -> date | None:
    if isinstance(value, datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


class _Reader:
    def __init__(self, parsed: Parsed, bundle: Bundle) -> None:
        self.parsed = parsed
        self.entries = [
            (f"entry {n}", e.fullUrl, e.resource)
            for n, e in enumerate(bundle.entry or [], start=1) if e.resource is not None
        ]
        self.index: dict[str, Any] = {}
        for _entry, full_url, resource in self.entries:
            if full_url:
                self.index[str(full_url)] = resource
            if resource.id:
                self.index[f"{resource.get_resource_type()}/{resource.id}"] = resource
        #: Patient resource → hospital number.
        self.numbers: dict[int, str] = {}
        self.imaging_rows: dict[int, Incoming] = {}

    def read(self) -> None:
        # Patients first: the other rows name them, and a new patient is written first.
        # Reports last: they add their text to the imaging study they report on.
        rank = {"Patient": 0, "ImagingStudy": 1, "DiagnosticReport": 3}
        order = sorted(self.entries, key=lambda e: rank.get(e[2].get_resource_type(), 2))
        for entry, _url, resource in order:
            kind = resource.get_resource_type()
            label = f"{kind} {resource.id}" if resource.id else kind
            if kind not in READ_TYPES:
                self.parsed.unknown.append(UnknownCode(
                    entry, label, "", kind, "", "a resource type Boardsite does not import"))
                continue
            if kind == "Medication":
                continue  # read through the MedicationStatement/Request that refers to it
            reader = getattr(self, f"_{kind.lower()}")
            reader(entry, label, resource)

    # -- shared ------------------------------------------------------------------------

    def _key(self, entry: str, label: str, resource) -> str | None:
        """Identifier first (stable across exports), else the resource's id."""
        for identifier in getattr(resource, "identifier", None) or []:
            if identifier.value:
                return f"{identifier.system or ''}|{identifier.value}"
        if resource.id:
            return f"id|{resource.id}"
        self.parsed.error(entry, label, "identifier",
                          "Give the resource an identifier or an id: without one a second "
                          "import could not recognise it.")
        return None

    def _hospital_number(self, entry: str, label: str, patient) -> str | None:
        identifiers = [i for i in patient.identifier or [] if i.value]
        for identifier in identifiers:
            for coding in _codings(identifier.type):
                if coding.code == codes.HOSPITAL_NUMBER_TYPE:
                    return identifier.value
        if len(identifiers) == 1:
            return identifiers[0].value
        self.parsed.error(entry, label, "identifier",
                          "Give the hospital number as an identifier of type MR (medical "
                          "record number)." if identifiers else "The patient has no hospital "
                          "number (identifier).")
        return None

    def _subject(self, entry: str, label: str, reference, element: str = "subject") -> str | None:
        if reference is None:
            self.parsed.error(entry, label, element, "Say which patient this is about.")
            return None
        target = self.index.get(str(reference.reference or ""))
        if target is not None and target.get_resource_type() == "Patient":
            number = self.numbers.get(id(target))
            if number is None:
                self.parsed.error(entry, label, element,
                                  "The patient it refers to has no usable hospital number.")
            return number
        if reference.identifier is not None and reference.identifier.value:
            return reference.identifier.value
        self.parsed.error(entry, label, element,
                          "The patient is not in this bundle: include the Patient resource, "
                          "or give the hospital number as the reference's identifier.")
        return None

    def _unknown(self, entry: str, label: str, concept, reason: str = "") -> None:
        found = _codings(concept)
        if not found:
            self.parsed.unknown.append(UnknownCode(
                entry, label, "", "", getattr(concept, "text", "") or "",
                reason or "no code given"))
        for coding in found:
            self.parsed.unknown.append(UnknownCode(
                entry, label, str(coding.system or ""), coding.code or "",
                coding.display or getattr(concept, "text", "") or "",
                reason or "not a code Boardsite imports"))

    # -- Patient -----------------------------------------------------------------------

    def _patient(self, entry: str, label: str, patient) -> None:
        number = self._hospital_number(entry, label, patient)
        if number is None:
            return
        self.numbers[id(patient)] = number
        fields: dict[str, Any] = {"hospital_number": number}
        names = patient.name or []
        name = next((n for n in names if n.use == "official"), names[0] if names else None)
        if name is not None:
            if name.family:
                fields["family_name"] = name.family
            if name.given:
                fields["given_name"] = " ".join(name.given)
        if patient.birthDate:
            fields["date_of_birth"] = patient.birthDate
        if patient.gender:
            if patient.gender not in ("female", "male"):
                self.parsed.error(entry, label, "gender",
                                  f"The record holds female or male; \"{patient.gender}\" "
                                  "cannot be imported.")
                return
            fields["sex"] = patient.gender
        self.parsed.rows.append(Incoming(
            entry, label, "Patient", number, PATIENT, number,
            f"Patient, hospital number {number}", fields,
            {"given_name": "name.given", "family_name": "name.family",
             "date_of_birth": "birthDate", "sex": "gender"},
        ))

    # -- Condition ---------------------------------------------------------------------

    def _condition(self, entry: str, label: str, condition) -> None:
        verification = {c.code for c in _codings(condition.verificationStatus)}
        if verification & {"refuted", "entered-in-error"}:
            self.parsed.rows.append(Incoming(
                entry, label, "Condition", "", NOTED, "",
                "Condition marked refuted or entered in error: not imported"))
            return
        site, secondary = None, False
        for coding in _codings(condition.code):
            system, code = str(coding.system or ""), (coding.code or "").upper()
            if system in (codes.ICD10, codes.ICD10_CM):
                if code.replace(".", "").startswith(codes.ICD10_BONE_SECONDARY.replace(".", "")):
                    secondary = True
                site = site or codes.ICD10_PRIMARY.get(code[:3])
            elif system == codes.SNOMED:
                secondary = secondary or code == codes.SNOMED_BONE_SECONDARY
                site = site or codes.SNOMED_PRIMARY.get(code)
        number = self._subject(entry, label, condition.subject)
        if secondary:
            self.parsed.rows.append(Incoming(
                entry, label, "Condition", "", NOTED, number or "",
                "Secondary malignant neoplasm of bone: confirms the referral; the lesions "
                "are recorded one by one"))
            return
        if site is None:
            self._unknown(entry, label, condition.code)
            return
        key = self._key(entry, label, condition)
        if number is None or key is None:
            return
        fields: dict[str, Any] = {"site": site}
        onset = condition.onsetDateTime or (
            condition.onsetPeriod.start if condition.onsetPeriod else None)
        if onset:
            fields["diagnosed_on"] = _day(onset)
        self.parsed.rows.append(Incoming(
            entry, label, "Condition", key, PRIMARY, number,
            f"Primary cancer ({site.label}), hospital number {number}", fields,
            {"site": "code", "diagnosed_on": "onsetDateTime"},
        ))

    # -- Observation -------------------------------------------------------------------

    def _observation(self, entry: str, label: str, observation) -> None:
        lab = None
        for coding in _codings(observation.code):
            if str(coding.system or "") == codes.LOINC and coding.code in codes.LAB_CODES:
                lab, loinc = codes.LAB_CODES[coding.code], coding.code
                break
        if lab is None:
            refused = [c.code for c in _codings(observation.code)
                       if str(c.system or "") == codes.LOINC and c.code in codes.LAB_CODES_REFUSED]
            self._unknown(entry, label, observation.code,
                          codes.LAB_CODES_REFUSED[refused[0]] if refused else "")
            return
        if observation.status not in codes.FHIR_FINAL_STATUSES:
            self.parsed.error(entry, label, "status",
                              f"Only final, amended or corrected results are imported, not "
                              f"\"{observation.status}\".")
            return
        number = self._subject(entry, label, observation.subject)
        key = self._key(entry, label, observation)
        quantity = observation.valueQuantity
        if quantity is None or quantity.value is None:
            self.parsed.error(entry, label, "valueQuantity",
                              "Give the result as a number with its unit (valueQuantity).")
            return
        if quantity.comparator:
            self.parsed.error(entry, label, "valueQuantity.comparator",
                              f"A result given as \"{quantity.comparator} {quantity.value}\" "
                              "is not a number the record can store.")
            return
        if quantity.system and str(quantity.system) != codes.UCUM:
            self.parsed.error(entry, label, "valueQuantity.system",
                              "The unit must be a UCUM code (system "
                              "http://unitsofmeasure.org).")
            return
        unit = quantity.code or quantity.unit or ""
        stored_unit = lab.units.get(unit)
        if stored_unit is None:
            self.parsed.error(entry, label, "valueQuantity.code",
                              f"{lab.name} (LOINC {loinc}) is reported in "
                              f"{codes.lab_units_in_words(lab)}, not \"{unit or 'no unit'}\".")
            return
        taken = observation.effectiveDateTime or (
            observation.effectivePeriod.start if observation.effectivePeriod else None)
        if not isinstance(taken, datetime) or not timezone.is_aware(taken):
            self.parsed.error(entry, label, "effectiveDateTime",
                              "Give the date and time the sample was taken, with its time "
                              "zone.")
            return
        if number is None or key is None:
            return
        value = Decimal(quantity.value)
        self.parsed.rows.append(Incoming(
            entry, label, "Observation", key, LAB, number,
            f"{lab.analyte.label} {format(value.normalize(), 'f')} "
            f"{LabUnit(stored_unit).label}, {timezone.localtime(taken):%d %b %Y %H:%M}, "
            f"hospital number {number}",
            {"analyte": lab.analyte, "value": value, "unit": stored_unit, "taken_at": taken},
            {"value": "valueQuantity.value", "unit": "valueQuantity.code",
             "taken_at": "effectiveDateTime", "analyte": "code"},
        ))

    # -- Medicines ---------------------------------------------------------------------

    def _medicationstatement(self, entry: str, label: str, statement) -> None:
        if statement.status in ("entered-in-error", "not-taken"):
            self.parsed.rows.append(Incoming(entry, label, "MedicationStatement", "", NOTED, "",
                                             "Medicine not taken or entered in error: not "
                                             "imported"))
            return
        start = statement.effectiveDateTime or (
            statement.effectivePeriod.start if statement.effectivePeriod else None)
        stop = statement.effectivePeriod.end if statement.effectivePeriod else None
        self._medicine(entry, label, statement, "MedicationStatement",
                       (statement.dosage or [None])[0], _day(start), _day(stop),
                       planned=statement.status == "intended", when="effectivePeriod")

    def _medicationrequest(self, entry: str, label: str, request) -> None:
        if request.status in ("entered-in-error", "cancelled"):
            self.parsed.rows.append(Incoming(entry, label, "MedicationRequest", "", NOTED, "",
                                             "Prescription cancelled or entered in error: not "
                                             "imported"))
            return
        dosage = (request.dosageInstruction or [None])[0]
        bounds = None
        if dosage is not None and dosage.timing and dosage.timing.repeat:
            bounds = dosage.timing.repeat.boundsPeriod
        start = _day(bounds.start) if bounds and bounds.start else None
        stop = _day(bounds.end) if bounds and bounds.end else None
        planned = request.status == "draft" or request.intent in ("proposal", "plan")
        self._medicine(entry, label, request, "MedicationRequest", dosage, start, stop,
                       planned=planned and start is None,
                       when="dosageInstruction.timing.repeat.boundsPeriod")

    def _medicine(self, entry: str, label: str, resource, kind: str, dosage, start, stop, *,
                  planned: bool, when: str) -> None:
        concept = resource.medicationCodeableConcept
        if concept is None and resource.medicationReference is not None:
            medication = self.index.get(str(resource.medicationReference.reference or ""))
            concept = medication.code if medication is not None else None
            if medication is None:
                self.parsed.error(entry, label, "medicationReference",
                                  "The Medication it refers to is not in this bundle.")
                return
        medicine = None
        for coding in _codings(concept):
            medicine = codes.MEDICINE_CODES.get((str(coding.system or ""), coding.code or ""))
            if medicine:
                break
        if medicine is None:
            self._unknown(entry, label, concept)
            return
        number = self._subject(entry, label, resource.subject)
        key = self._key(entry, label, resource)
        if number is None or key is None:
            return
        dose_where = "dosage" if kind == "MedicationStatement" else "dosageInstruction"
        if medicine.bone_agent:
            dose_mg, weeks = self._dose_and_interval(entry, label, dosage, dose_where)
            if dose_mg is None or weeks is None:
                return
            fields: dict[str, Any] = {"agent": medicine.bone_agent, "dose_mg": dose_mg,
                                      "interval_weeks": weeks, "started_on": start,
                                      "stopped_on": stop}
            self.parsed.rows.append(Incoming(
                entry, label, kind, key, BONE_AGENT, number,
                f"{medicine.name} {format(dose_mg.normalize(), 'f')} mg every {weeks} weeks, "
                f"hospital number {number}", fields,
                {"dose_mg": f"{dose_where}.doseAndRate.doseQuantity",
                 "interval_weeks": f"{dose_where}.timing.repeat",
                 "started_on": when, "stopped_on": when},
            ))
            return
        self.parsed.rows.append(Incoming(
            entry, label, kind, key, SYSTEMIC, number,
            f"{medicine.name}, hospital number {number}",
            {"kind": medicine.systemic_kind, "drug": medicine.name, "started_on": start,
             "stopped_on": stop, "planned": planned},
            {"started_on": when, "stopped_on": when},
        ))

    def _dose_and_interval(self, entry, label, dosage, where) -> tuple[Decimal | None, int | None]:
        dose = None
        if dosage is not None:
            for dose_and_rate in dosage.doseAndRate or []:
                if dose_and_rate.doseQuantity is not None:
                    dose = dose_and_rate.doseQuantity
                    break
        if dose is None or dose.value is None:
            self.parsed.error(entry, label, f"{where}.doseAndRate.doseQuantity",
                              "Give the dose in mg: a bone-targeted agent course is recorded "
                              "with its dose.")
            return None, None
        if (dose.code or dose.unit) != "mg":
            self.parsed.error(entry, label, f"{where}.doseAndRate.doseQuantity",
                              f"Give the dose in mg, not \"{dose.code or dose.unit or 'no unit'}"
                              "\".")
            return None, None
        repeat = dosage.timing.repeat if dosage.timing else None
        days_per = codes.PERIOD_UNIT_DAYS.get(repeat.periodUnit or "") if repeat else None
        if repeat is None or repeat.period is None or days_per is None:
            self.parsed.error(entry, label, f"{where}.timing.repeat",
                              "Give the interval between doses (period with a unit of days, "
                              "weeks or months).")
            return None, None
        days = Decimal(repeat.period) * days_per
        if days % 7:
            self.parsed.error(entry, label, f"{where}.timing.repeat",
                              f"An interval of {format(days.normalize(), 'f')} days is not a "
                              "whole number of weeks, as the record holds it.")
            return None, None
        return Decimal(dose.value), int(days / 7)

    # -- Imaging -----------------------------------------------------------------------

    def _imagingstudy(self, entry: str, label: str, study) -> None:
        dicom = ""
        for coding in list(study.modality or []) + [s.modality for s in study.series or []]:
            if coding is not None and coding.code:
                dicom = coding.code
                break
        words = " ".join(filter(None, [study.description or "",
                                       *(c.text or "" for c in study.procedureCode or [])])).lower()
        modality = codes.DICOM_MODALITIES.get(dicom)
        if dicom == "PT":
            modality = next((m for tracer, m in codes.PET_TRACERS.items() if tracer in words), None)
            if modality is None:
                self.parsed.error(entry, label, "description",
                                  "A PET study needs its tracer (PSMA or FDG) in its "
                                  "description.")
                return
        if dicom == "MR" and "whole spine" in words:
            modality = ImagingModality.MRI_WHOLE_SPINE
        if modality is None:
            self.parsed.unknown.append(UnknownCode(
                entry, label, codes.DICOM_MODALITY, dicom, "",
                "an imaging modality Boardsite does not record" if dicom else "no modality given"))
            return
        number = self._subject(entry, label, study.subject)
        key = self._key(entry, label, study)
        if number is None or key is None:
            return
        site = next((s.bodySite for s in study.series or [] if s.bodySite is not None), None)
        region = (site.display or site.code) if site is not None else (study.description or "")
        fields: dict[str, Any] = {"modality": modality, "region": region[:120],
                                  "performed_on": _day(study.started)}
        row = Incoming(
            entry, label, "ImagingStudy", key, IMAGING, number,
            f"{modality.label} {region}, hospital number {number}", fields,
            {"modality": "modality", "region": "series.bodySite", "performed_on": "started",
             "report": "DiagnosticReport.conclusion"},
        )
        self.imaging_rows[id(study)] = row
        self.parsed.rows.append(row)

    def _diagnosticreport(self, entry: str, label: str, report) -> None:
        if not report.imagingStudy:
            self.parsed.rows.append(Incoming(
                entry, label, "DiagnosticReport", "", NOTED, "",
                "Report without an imaging study: its results are imported from their "
                "Observations"))
            return
        for reference in report.imagingStudy:
            study = self.index.get(str(reference.reference or ""))
            row = self.imaging_rows.get(id(study)) if study is not None else None
            if row is None:
                self.parsed.error(entry, label, "imagingStudy",
                                  "The imaging study it reports on is not in this bundle, or "
                                  "could not be read (see its own errors).")
                return
            row.fields["report"] = report.conclusion or ""
        self.parsed.rows.append(Incoming(
            entry, label, "DiagnosticReport", "", NOTED, "",
            "Imaging report: stored with its imaging study"))
