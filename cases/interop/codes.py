"""Every code the import understands, in one place: docs/import.md prints these tables.

A code that is not in a table here is never guessed at: the import lists it under
"codes not imported" with its system, code and display text, and stores nothing for it.
A code that IS here but arrives in a unit its test does not accept is an error (the
whole file is refused), because a value in the wrong unit is the dangerous kind of
wrong.

Sources: LOINC (loinc.org) for the lab tests; UCUM (unitsofmeasure.org) for units;
ICD-10 (WHO) and SNOMED CT for conditions; ATC (WHO) and RxNorm (US NLM) ingredient
codes for medicines; DICOM PS3.16 CID 29 for imaging modalities.
"""

from __future__ import annotations

from dataclasses import dataclass

from cases.choices import (
    BoneTargetedAgent,
    ImagingModality,
    LabAnalyte,
    LabUnit,
    PrimarySite,
    SystemicTherapyKind,
)

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
SNOMED = "http://snomed.info/sct"
ICD10 = "http://hl7.org/fhir/sid/icd-10"
ICD10_CM = "http://hl7.org/fhir/sid/icd-10-cm"
ATC = "http://www.whocc.no/atc"
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"
DICOM_MODALITY = "http://dicom.nema.org/resources/ontology/DCM"
#: HL7 v2 table 0203: the identifier type of a hospital (medical record) number.
V2_IDENTIFIER_TYPE = "http://terminology.hl7.org/CodeSystem/v2-0203"
HOSPITAL_NUMBER_TYPE = "MR"

#: Names people read in "codes not imported".
SYSTEM_NAMES = {
    LOINC: "LOINC", UCUM: "UCUM", SNOMED: "SNOMED CT", ICD10: "ICD-10",
    ICD10_CM: "ICD-10-CM", ATC: "ATC", RXNORM: "RxNorm", DICOM_MODALITY: "DICOM",
}


# --- Lab tests --------------------------------------------------------------------------

@dataclass(frozen=True)
class LabCode:
    """One LOINC code: which test of the record it is and which UCUM units it may come in."""

    analyte: str
    name: str
    #: UCUM code as sent → unit stored. Values are stored in the unit sent; the one
    #: exception is a count per µL or nL, which IS ×10⁹/L (1 × 10³/µL = 10³ / 10⁻⁶ L =
    #: 10⁹/L, and 1/nL = 10⁹/L): the number stays the same, only the record's single
    #: spelling of the unit is used (`LabResult` accepts ×10⁹/L only).
    units: dict[str, str]


_COUNT_UNITS = {"10*9/L": LabUnit.E9_L, "10*3/uL": LabUnit.E9_L, "/nL": LabUnit.E9_L}

LAB_CODES: dict[str, LabCode] = {
    "2160-0": LabCode(LabAnalyte.CREATININE, "Creatinine [Mass/volume] in Serum or Plasma",
                      {"mg/dL": LabUnit.MG_DL}),
    "38483-4": LabCode(LabAnalyte.CREATININE, "Creatinine [Mass/volume] in Blood",
                       {"mg/dL": LabUnit.MG_DL}),
    "14682-9": LabCode(LabAnalyte.CREATININE, "Creatinine [Moles/volume] in Serum or Plasma",
                       {"umol/L": LabUnit.UMOL_L}),
    # The record (and the engine's hypercalcaemia and dosing rules) holds the
    # albumin-adjusted calcium, so only the adjusted codes are imported; a total calcium
    # (2000-8, 17861-6) is listed as not imported, never stored as if adjusted.
    "29265-6": LabCode(LabAnalyte.CALCIUM,
                       "Calcium [Moles/volume] corrected for albumin in Serum or Plasma",
                       {"mmol/L": LabUnit.MMOL_L}),
    "1751-7": LabCode(LabAnalyte.ALBUMIN, "Albumin [Mass/volume] in Serum or Plasma",
                      {"g/L": LabUnit.G_L, "g/dL": LabUnit.G_DL}),
    "6768-6": LabCode(LabAnalyte.ALP,
                      "Alkaline phosphatase [Enzymatic activity/volume] in Serum or Plasma",
                      {"U/L": LabUnit.U_L}),
    "718-7": LabCode(LabAnalyte.HAEMOGLOBIN, "Hemoglobin [Mass/volume] in Blood",
                     {"g/dL": LabUnit.G_DL, "g/L": LabUnit.G_L}),
    "751-8": LabCode(LabAnalyte.ANC, "Neutrophils [#/volume] in Blood by Automated count",
                     _COUNT_UNITS),
    "26499-4": LabCode(LabAnalyte.ANC, "Neutrophils [#/volume] in Blood", _COUNT_UNITS),
    "777-3": LabCode(LabAnalyte.PLATELETS, "Platelets [#/volume] in Blood by Automated count",
                     _COUNT_UNITS),
    "26515-7": LabCode(LabAnalyte.PLATELETS, "Platelets [#/volume] in Blood", _COUNT_UNITS),
    "6690-2": LabCode(LabAnalyte.WBC, "Leukocytes [#/volume] in Blood by Automated count",
                      _COUNT_UNITS),
    "26464-8": LabCode(LabAnalyte.WBC, "Leukocytes [#/volume] in Blood", _COUNT_UNITS),
}

#: Known LOINC codes the record deliberately does not take, with the reason shown.
LAB_CODES_REFUSED: dict[str, str] = {
    "2000-8": "total calcium: the record holds the albumin-adjusted calcium (29265-6)",
    "17861-6": "total calcium: the record holds the albumin-adjusted calcium (29265-6)",
}


def lab_units_in_words(code: LabCode) -> str:
    return " or ".join(dict.fromkeys(LabUnit(u).label for u in code.units.values()))


# --- Conditions -------------------------------------------------------------------------

#: ICD-10 category (three characters) → primary site. A code is matched by its
#: category, so C50.9 and C50.411 are both breast.
ICD10_PRIMARY: dict[str, str] = {
    "C61": PrimarySite.PROSTATE,
    "C50": PrimarySite.BREAST,
    "C34": PrimarySite.LUNG,
    "C64": PrimarySite.KIDNEY,
    "C73": PrimarySite.THYROID,
    "C90": PrimarySite.MYELOMA,
    "C43": PrimarySite.MELANOMA,
    "C18": PrimarySite.COLORECTAL, "C19": PrimarySite.COLORECTAL,
    "C20": PrimarySite.COLORECTAL,
    "C40": PrimarySite.SARCOMA, "C41": PrimarySite.SARCOMA, "C49": PrimarySite.SARCOMA,
    "C81": PrimarySite.LYMPHOMA, "C82": PrimarySite.LYMPHOMA, "C83": PrimarySite.LYMPHOMA,
    "C84": PrimarySite.LYMPHOMA, "C85": PrimarySite.LYMPHOMA,
    "C62": PrimarySite.GERM_CELL,
}
#: SNOMED CT disorder concepts → primary site.
SNOMED_PRIMARY: dict[str, str] = {
    "399068003": PrimarySite.PROSTATE,   # Malignant tumour of prostate
    "254837009": PrimarySite.BREAST,     # Malignant neoplasm of breast
    "363358000": PrimarySite.LUNG,       # Malignant tumour of lung
    "109989006": PrimarySite.MYELOMA,    # Multiple myeloma
}
#: Secondary malignant neoplasm of bone: confirms why the patient is on this board.
#: The record has no field for it (every patient here has bone metastases; the lesions
#: are recorded one by one), so it is recognised and nothing is stored.
ICD10_BONE_SECONDARY = "C79.5"
SNOMED_BONE_SECONDARY = "94222008"


# --- Medicines --------------------------------------------------------------------------

@dataclass(frozen=True)
class MedicineCode:
    """A medicine the record holds: a bone-targeted agent course, or a systemic therapy
    of one kind (the drug's name is kept with it)."""

    name: str
    bone_agent: str = ""
    systemic_kind: str = ""


_ZOLEDRONIC = MedicineCode("Zoledronic acid", bone_agent=BoneTargetedAgent.ZOLEDRONIC_ACID)
_DENOSUMAB = MedicineCode("Denosumab", bone_agent=BoneTargetedAgent.DENOSUMAB)
_PAMIDRONATE = MedicineCode("Pamidronate", bone_agent=BoneTargetedAgent.PAMIDRONATE)
_IBANDRONATE = MedicineCode("Ibandronate", bone_agent=BoneTargetedAgent.IBANDRONATE)
_DEXAMETHASONE = MedicineCode("Dexamethasone", systemic_kind=SystemicTherapyKind.CORTICOSTEROID)
_PREDNISOLONE = MedicineCode("Prednisolone", systemic_kind=SystemicTherapyKind.CORTICOSTEROID)
_PREDNISONE = MedicineCode("Prednisone", systemic_kind=SystemicTherapyKind.CORTICOSTEROID)
_ABIRATERONE = MedicineCode("Abiraterone",
                            systemic_kind=SystemicTherapyKind.ABIRATERONE_PREDNISONE)
_ENZALUTAMIDE = MedicineCode("Enzalutamide", systemic_kind=SystemicTherapyKind.ENZALUTAMIDE)
_APALUTAMIDE = MedicineCode("Apalutamide", systemic_kind=SystemicTherapyKind.APALUTAMIDE)
_DAROLUTAMIDE = MedicineCode("Darolutamide", systemic_kind=SystemicTherapyKind.DAROLUTAMIDE)

#: (system, code) → medicine. ATC codes are the WHO's; RxNorm and SNOMED CT codes are the
#: ingredient (substance) concepts.
MEDICINE_CODES: dict[tuple[str, str], MedicineCode] = {
    (ATC, "M05BA08"): _ZOLEDRONIC, (RXNORM, "77655"): _ZOLEDRONIC,
    (SNOMED, "395926009"): _ZOLEDRONIC,
    (ATC, "M05BX04"): _DENOSUMAB, (RXNORM, "993449"): _DENOSUMAB,
    (SNOMED, "446321003"): _DENOSUMAB,
    (ATC, "M05BA03"): _PAMIDRONATE, (RXNORM, "11473"): _PAMIDRONATE,
    (ATC, "M05BA06"): _IBANDRONATE, (RXNORM, "115264"): _IBANDRONATE,
    (ATC, "H02AB02"): _DEXAMETHASONE, (RXNORM, "3264"): _DEXAMETHASONE,
    (ATC, "H02AB06"): _PREDNISOLONE, (RXNORM, "8638"): _PREDNISOLONE,
    (ATC, "H02AB07"): _PREDNISONE, (RXNORM, "8640"): _PREDNISONE,
    (ATC, "L02BX03"): _ABIRATERONE,
    (ATC, "L02BB04"): _ENZALUTAMIDE,
    (ATC, "L02BB05"): _APALUTAMIDE,
    (ATC, "L02BB06"): _DAROLUTAMIDE,
    # Androgen deprivation: GnRH agonists and the antagonist degarelix.
    (ATC, "L02AE01"): MedicineCode("Buserelin", systemic_kind=SystemicTherapyKind.ADT),
    (ATC, "L02AE02"): MedicineCode("Leuprorelin", systemic_kind=SystemicTherapyKind.ADT),
    (ATC, "L02AE03"): MedicineCode("Goserelin", systemic_kind=SystemicTherapyKind.ADT),
    (ATC, "L02AE04"): MedicineCode("Triptorelin", systemic_kind=SystemicTherapyKind.ADT),
    (ATC, "L02BX02"): MedicineCode("Degarelix", systemic_kind=SystemicTherapyKind.ADT),
}

#: UCUM time units of a dosing interval (Timing.repeat.periodUnit) in days.
PERIOD_UNIT_DAYS = {"d": 1, "wk": 7, "mo": 28}
#: A bone agent's interval is recorded in weeks; a month is taken as 4 weeks, as
#: "every 4 weeks" is how monthly zoledronic acid and denosumab are given.


# --- Imaging ----------------------------------------------------------------------------

#: DICOM modality → the record's modality. NM (nuclear medicine) is a bone scan here;
#: PT (PET) needs its tracer in the study's description (PSMA or FDG), and MR becomes
#: "MRI whole spine" when the description says whole spine.
DICOM_MODALITIES: dict[str, str] = {
    "CT": ImagingModality.CT,
    "MR": ImagingModality.MRI,
    "NM": ImagingModality.BONE_SCAN,
    "CR": ImagingModality.RADIOGRAPH,
    "DX": ImagingModality.RADIOGRAPH,
}
PET_TRACERS = {"psma": ImagingModality.PET_CT_PSMA, "fdg": ImagingModality.PET_CT_FDG}


# --- HL7 v2 ----------------------------------------------------------------------------

#: OBX-3 coding systems that mean LOINC (HL7 table 0396).
V2_LOINC_SYSTEMS = {"LN", "LOINC"}
#: OBX-11 result status: F final, C corrected. P (preliminary) and the rest are refused.
V2_FINAL_STATUSES = {"F", "C"}
#: FHIR Observation.status values imported.
FHIR_FINAL_STATUSES = {"final", "amended", "corrected"}
