"""The one vocabulary for what a person reads: every key, enum value and fact path the
engine writes, in words, and values in the unit the laboratory recorded them in.

Pages, print, emails and the rules catalogue take their labels from here and nowhere
else, so "Modality: mri_whole_spine", "Bta", "Lesion id: 6" or
``lesions.0.bone_scan_uptake`` never reach a reader. It sits in ``recommendations``
(above ``cases``, whose enum labels in ``cases.choices`` it reuses, and below
``reminders`` and the page layer, which import it). It reads the engine's JSON output
only, never the engine's internals, so the engine can be rewritten under it.

Coverage is checked by tests (``recommendations/tests/test_vocabulary.py``): every fact
path of ``CaseFacts``, every detail key of the catalogue, every enum value of the
engine's facts, and every value the engine writes into a detail over all test vectors
has words here; a new key without a label fails a test.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from cases import choices

# --------------------------------------------------------------------------- enum values

#: Record enums: their labels are the record's own (one wording for forms and drafts).
_RECORD_CHOICES = (
    choices.Sex, choices.PrimarySite, choices.CastrationStatus,
    choices.HormoneReceptorStatus, choices.Her2Status,
    choices.SurvivalBand, choices.Bone, choices.LongBoneSegment, choices.Laterality,
    choices.LesionType, choices.SpinalPain, choices.Alignment,
    choices.PosterolateralInvolvement, choices.LimbPain, choices.CorticalInvolvement,
    choices.ImagingModality, choices.LabAnalyte, choices.BoneTargetedAgent,
    choices.SystemicTherapyKind, choices.RadiotherapyTechnique, choices.SurgeryKind,
    choices.Specialty, choices.BoneDiseaseExtent, choices.Radioisotope, choices.EsccGrade,
)

#: Values whose words depend on the enum (``none`` is "Pain-free" for spinal pain but
#: "None" for posterolateral involvement): by the fact field that holds them.
_BY_FIELD: dict[str, type] = {
    "sex": choices.Sex, "site": choices.PrimarySite,
    "castration_status": choices.CastrationStatus,
    "hormone_receptor_status": choices.HormoneReceptorStatus, "her2_status": choices.Her2Status,
    "expected_survival": choices.SurvivalBand, "bone": choices.Bone,
    "long_bone_segment": choices.LongBoneSegment, "laterality": choices.Laterality,
    "lesion_type": choices.LesionType, "spinal_pain": choices.SpinalPain,
    "alignment": choices.Alignment, "posterolateral": choices.PosterolateralInvolvement,
    "limb_pain": choices.LimbPain, "cortical_involvement": choices.CorticalInvolvement,
    "modality": choices.ImagingModality, "analyte": choices.LabAnalyte,
    "unit": choices.LabUnit, "kind": choices.SystemicTherapyKind,
    "technique": choices.RadiotherapyTechnique, "specialty": choices.Specialty,
    "bone_disease_extent": choices.BoneDiseaseExtent, "escc_grade": choices.EsccGrade,
}

#: Every other value the engine writes: drug and radiopharmaceutical keys, schedules,
#: check points, the engine's own bands. (Later entries of `_RECORD_CHOICES` would win
#: on a clash; none of these clash with a record label.)
_ENGINE_VALUES: dict[str, str] = {
    "before_first_dose": "before the first dose",
    "2_weeks_after_first_dose": "2 weeks after the first dose",
    "before_each_later_dose": "before each later dose",
    "before_each_dose": "before each dose",
    "review visits": "review visits",
    "board": "the board",
    "unknown": "unknown",
}

VALUE_LABELS: dict[str, str] = {}
for _choices in _RECORD_CHOICES:
    for _value, _label in _choices.choices:
        VALUE_LABELS.setdefault(str(_value), str(_label))
VALUE_LABELS.update(_ENGINE_VALUES)
# In running text a drug or a modality reads in lower case ("zoledronic acid", not
# "Zoledronic acid"), except names and acronyms (CT, MRI, PET-CT, HER2).
_LOWER_IN_TEXT = frozenset({
    "zoledronic_acid", "denosumab", "pamidronate", "ibandronate", "radiograph", "bone_scan",
    "chemotherapy", "corticosteroid", "immunotherapy", "conventional", "mechanical",
})


def value_label(value: str, *, field: str | None = None) -> str:
    """The words for one enum value (``mri_whole_spine`` → "MRI whole spine")."""
    enum = _BY_FIELD.get(field or "")
    label = None
    if enum is not None:
        try:
            label = str(enum(value).label)
        except ValueError:
            pass
    if label is None:
        label = VALUE_LABELS.get(value)
    if label is None:
        return value
    return _lower_first(label) if value in _LOWER_IN_TEXT else label


def _lower_first(label: str) -> str:
    return label[:1].lower() + label[1:]


_TOKEN = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b")


#: The rules reference's "Conflicts between the source document and primary sources",
#: each as the sentence a reader needs where the engine cites it by number.
CONFLICTS: dict[int, str] = {
    1: "the source document gives ~85 % response and ~50 % complete pain relief after "
       "radiotherapy, while cohort and meta-analysis data show about 60–70 % and 25–35 %",
    2: "the source document ties SBRT to radioresistant tumours or re-treatment, while "
       "ASTRO 2024 selects good performance status without surgery or neurological signs",
    3: "the source document names surgery only from SINS 13, while the SINS authors advise "
       "a surgical consultation from 7",
    4: "the source document puts CT first, while NICE uses whole-spine MRI for the spine "
       "and suspected cord compression",
    5: "the source document suggests bone markers for follow-up, while ESMO 2020 advises "
       "against their routine use",
    6: "the source document's pain relief within 24–48 hours after kyphoplasty is "
       "unverified; the CAFE trial measured it at 1 month",
    7: "the source document has no renal dosing or withhold rule for zoledronic acid; the "
       "label's applies",
}
_CONFLICT = re.compile(r"\b[Cc]onflict (\d+)\b")
_ISO_IN_TEXT = re.compile(r"\b(\d{4}-\d{2}-\d{2})\b")
#: Over-precise numbers in the engine's sentences (1.0407 mg/dL, a change of +0.5995):
#: to the laboratory's 2 decimals.
_LONG_MG_DL = re.compile(r"(?<![\d.])(\d+\.\d{3,})(?= mg/dL)|(?<![\d.])(\d+\.\d{4,})(?![\d.])")
#: Enum values without an underscore that can only be codes in running text.
_BARE_CODES = {"lt3m": "less than 3 months", "3to12m": "3–12 months",
               "gt12m": "more than 12 months", "umol/L": "µmol/L", "10^9/L": "×10⁹/L"}
_BARE = re.compile(r"(?<![\w/])(lt3m|3to12m|gt12m|umol/L|10\^9/L)(?![\w])")


def plain_text(text: str) -> str:
    """Engine prose in the reader's words: enum values it quotes ("Continue
    zoledronic_acid" → "Continue zoledronic acid"; "expected survival 3to12m"), dates
    (2026-12-01 → 1 Dec 2026), over-precise mg/dL, and "conflict N" as the sentence
    saying which sources disagree and how. A safety net for the engine's sentences (a
    follow-up of the engine rewrite is to write them so); its structured output is
    labelled by the functions below."""
    if not text:
        return ""
    if "_" in text:
        text = _TOKEN.sub(lambda m: _token_words(m.group(0)), text)
    text = _ISO_IN_TEXT.sub(lambda m: _safe_date(m.group(1)), text)
    text = _LONG_MG_DL.sub(lambda m: f"{float(m.group(1) or m.group(2)):.2f}", text)
    text = _BARE.sub(lambda m: _BARE_CODES[m.group(1)], text)
    return _CONFLICT.sub(_conflict_words, text)


def _safe_date(iso: str) -> str:
    try:
        return date_text(iso)
    except ValueError:
        return iso


def _conflict_words(m: re.Match[str]) -> str:
    sentence = CONFLICTS.get(int(m.group(1)))
    words = f"sources disagree — {sentence}" if sentence else "sources disagree"
    return words[:1].upper() + words[1:] if m.group(0)[0] == "C" else words


def _token_words(token: str) -> str:
    label = VALUE_LABELS.get(token)
    if label is None:
        # A detail key named in a rule's description ("carries follow_up_weeks = 4").
        return f"“{DETAIL_LABELS[token]}”" if token in DETAIL_LABELS else token
    return label if token not in _LOWER_IN_TEXT else _lower_first(label)


# --------------------------------------------------------------------------- fact paths

#: Every field of the engine's ``CaseFacts``, by dotted path; list entries as ``*``.
FIELD_LABELS: dict[str, str] = {
    "patient.sex": "sex",
    "patient.age_years": "age",
    "patient.date_of_birth": "date of birth",
    "patient.weight_kg": "current weight",
    "patient.weight_date": "date the weight was measured",
    "patient.on_dialysis": "whether the patient is on dialysis",
    "primary.site": "primary tumour site",
    "primary.histology": "histology",
    "primary.castration_status": "castration status",
    "primary.hormone_receptor_status": "hormone-receptor (ER/PR) status",
    "primary.her2_status": "HER2 status",
    "primary.prior_mcrpc_lines": "number of prior mCRPC treatment lines",
    "extraskeletal.visceral": "whether there are visceral metastases",
    "extraskeletal.brain": "whether there are brain metastases",
    "extraskeletal.nodal": "whether there are nodal metastases",
    "extraskeletal.nodal_short_axis_cm": "the short axis of the largest nodal metastasis (cm)",
    "extraskeletal.metastasis_count": "number of metastases, bone and non-bone",
    "extraskeletal.all_sites_treatable": "whether every metastatic site can be treated safely",
    "bone_disease_extent": "extent of bone disease (oligometastatic or multiple)",
    "ecog": "ECOG performance status",
    "ecog_date": "date of the ECOG assessment",
    "expected_survival": "expected survival",
    "pain.worst_nrs": "worst pain score (NRS 0–10)",
    "pain.uncontrolled": "whether pain is uncontrolled",
    "pain.new_thigh_hip_groin_pain": "whether there is new thigh, hip or groin pain",
    "pain.analgesia_review_nrs": "the board's pain score for an analgesia review",
    "neurology.deficit": "whether there is a neurological deficit",
    "neurology.suspected_cord_compression": "whether cord compression is suspected",
    "neurology.cord_compression_on_imaging": "whether imaging shows cord compression",
    "neurology.onset_date": "date the neurological symptoms began",
    "neurology.mri_contraindicated": "whether MRI is contraindicated",
    "neurology.paraplegic": "whether the patient is paraplegic",
    "neurology.paraplegia_duration_hours": "how long the patient has been paraplegic",
    "neurology.paraplegia_onset": "date paraplegia began",
    "neurology.compression_levels": "number of separate areas of cord compression",
    "neurology.ambulatory": "whether the patient can walk",
    "neurology.motor_deficit_days": "days over which the motor deficit developed",
    "neurology.rades_ambulatory_score": "Rades score for walking after radiotherapy",
    "neurology.instability_signs": (
        "whether neurological symptoms or signs suggest spinal instability"
    ),
    "co_medication.aminoglycoside": "whether the patient is on an aminoglycoside",
    "co_medication.loop_diuretic": "whether the patient is on a loop diuretic",
    "co_medication.other_nephrotoxic": (
        "whether the patient is on another potentially nephrotoxic drug"
    ),
    "co_medication.other_nephrotoxic_names": "which nephrotoxic drugs",
    "co_medication.nsaid": "whether the patient is on an NSAID",
    "dental.last_exam_date": "date of the last dental examination",
    "dental.invasive_work_pending": "whether invasive dental work is pending",
    "dental.unhealed_oral_lesions": "whether there are unhealed oral lesions",
    "dental.poor_oral_hygiene": "whether oral hygiene is poor",
    "dental.periodontal_disease": "whether there is periodontal disease",
    "dental.ill_fitting_dentures": "whether dentures fit badly",
    "lesions.*.id": "lesion",
    "lesions.*.bone": "bone",
    "lesions.*.label": "site",
    "lesions.*.vertebral_level": "vertebral level",
    "lesions.*.long_bone_segment": "segment of the long bone",
    "lesions.*.laterality": "side",
    "lesions.*.lesion_type": "lesion type (lytic, blastic or mixed)",
    "lesions.*.painful": "whether the site is painful",
    "lesions.*.spinal_pain": "type of spinal pain",
    "lesions.*.alignment": "spinal alignment",
    "lesions.*.collapse_percent": "vertebral body collapse (%)",
    "lesions.*.body_involvement_percent": "vertebral body involvement (%)",
    "lesions.*.posterolateral": "posterolateral involvement",
    "lesions.*.limb_pain": "limb pain",
    "lesions.*.cortical_involvement": "cortical involvement",
    "lesions.*.soft_tissue_mass": "whether there is a soft-tissue mass",
    "lesions.*.epidural_extension": "whether there is epidural extension",
    "lesions.*.escc_grade": "epidural compression grade (Bilsky)",
    "lesions.*.neuropathic_pain": "whether the pain is neuropathic",
    "lesions.*.pathological_fracture": "whether there is a pathological fracture",
    "lesions.*.prior_rt_dose_gy": "dose of earlier radiotherapy to the site",
    "lesions.*.prior_rt_fractions": "fractions of earlier radiotherapy to the site",
    "lesions.*.prior_rt_date": "date of earlier radiotherapy to the site",
    "lesions.*.prior_rt_technique": "technique of earlier radiotherapy to the site",
    "lesions.*.bone_scan_uptake": "whether the bone scan shows uptake",
    "labs.*.analyte": "test",
    "labs.*.value": "result",
    "labs.*.unit": "unit",
    "labs.*.taken_at": "date taken",
    "baseline_creatinine": "creatinine before the first zoledronic acid dose",
    "baseline_creatinine.analyte": "test",
    "baseline_creatinine.value": "result",
    "baseline_creatinine.unit": "unit",
    "baseline_creatinine.taken_at": "date taken",
    "bone_targeted_agents.*.agent": "bone-targeted agent",
    "bone_targeted_agents.*.dose_mg": "dose",
    "bone_targeted_agents.*.interval_weeks": "interval",
    "bone_targeted_agents.*.start": "start",
    "bone_targeted_agents.*.stop": "stop",
    "bone_targeted_agents.*.withheld_since": "withheld since",
    "systemic_therapies.*.kind": "systemic therapy",
    "systemic_therapies.*.name": "drug",
    "systemic_therapies.*.start": "start",
    "systemic_therapies.*.stop": "stop",
    "systemic_therapies.*.planned": "planned",
    "radiotherapy_courses.*.lesion_id": "lesion",
    "radiotherapy_courses.*.site": "site",
    "radiotherapy_courses.*.dose_gy": "dose",
    "radiotherapy_courses.*.fractions": "fractions",
    "radiotherapy_courses.*.technique": "technique",
    "radiotherapy_courses.*.start": "start",
    "radiotherapy_courses.*.end": "last fraction",
    "surgeries.*.kind": "operation",
    "surgeries.*.lesion_id": "lesion",
    "surgeries.*.performed_on": "date",
    "radioisotope_courses.*.agent": "radiopharmaceutical",
    "radioisotope_courses.*.doses_given": "doses given",
    "radioisotope_courses.*.first_dose": "first dose",
    "radioisotope_courses.*.last_dose": "last dose",
    "radioisotope_courses.*.planned": "planned",
    "imaging.*.modality": "imaging",
    "imaging.*.performed_on": "date",
    "imaging.*.region": "region",
}

_LIST_ENTRY = re.compile(r"\.\d+(?=\.|$)")


def field_label(path: str) -> str:
    """Words for a fact path the engine names in its missing data.

    ``lesions.0.collapse_percent`` → "vertebral body collapse (%)" (the lesion is named
    apart, by the caller); ``labs.creatinine`` → "creatinine"; ``labs.creatinine.unit``
    → "unit of the creatinine result".
    """
    parts = path.split(".")
    if parts[0] == "labs" and len(parts) >= 2 and not parts[1].isdigit():
        analyte = value_label(parts[1], field="analyte")
        analyte = analyte if analyte.isupper() else analyte[:1].lower() + analyte[1:]
        if len(parts) == 2:
            return f"{analyte} (recent result)"
        return f"{FIELD_LABELS.get('labs.*.' + parts[2], parts[2])} of the {analyte} result"
    key = _LIST_ENTRY.sub(".*", path)
    if key in FIELD_LABELS:
        return FIELD_LABELS[key]
    head = path.split(".")[0]
    return FIELD_LABELS.get(head, "a further detail of the record")


# --------------------------------------------------------------------------- plan words

SECTION_LABELS: dict[str, str] = {
    "scores": "Scores: SINS, Mirels, renal function",
    "assessment": "Assessment and imaging",
    "mscc": "Spinal cord compression (MSCC)",
    "surgery": "Surgery and interventional radiology",
    "radiotherapy": "Radiotherapy",
    "oligometastatic": "Oligometastatic disease",
    "pain": "Pain and analgesia",
    "hypercalcaemia": "Hypercalcaemia of malignancy",
    "bta": "Bone-targeted agents",
    "radioisotopes": "Radioisotopes",
    "systemic": "Systemic therapy",
    "pitfalls": "Pitfalls",
    "follow_up": "Follow-up",
    "quorum": "Who should be at the table",
}
SEVERITY_LABELS: dict[str, str] = {
    "contraindication": "Contraindication",
    "warning": "Warning",
    "caution": "Caution",
    "info": "Information",
}
URGENCY_LABELS: dict[str, str] = {
    "emergency": "Urgent — do not wait for the next meeting",
    "before_next_meeting": "Before the next meeting",
    "routine": "Routine",
}
SUPPLIER_LABELS: dict[str, str] = {
    "radiology": "Radiology",
    "medical_oncology": "Medical oncology",
    "radiation_oncology": "Radiation oncology",
    "nursing": "Nursing",
    "laboratory": "Laboratory",
    "pathology": "Pathology",
    "dentistry": "Dentistry",
    "surgery": "Surgery",
    "nuclear_medicine": "Nuclear medicine",
    "coordination": "MDT coordination",
}
CODE_KIND_LABELS: dict[str, str] = {"item": "Plan item", "flag": "Flag", "note": "Board note"}
SINS_CATEGORY_LABELS: dict[str, str] = {
    "stable": "Stable",
    "potentially_unstable": "Potentially unstable",
    "unstable": "Unstable",
}
MIRELS_CATEGORY_LABELS: dict[str, str] = {
    "low": "Low risk", "borderline": "Borderline", "high": "High risk",
}
EVIDENCE_LABELS: dict[str, str] = {
    "V": "verified in the primary text",
    "S": "secondary source",
    "U": "unverified",
}


def specialty_label(value: str) -> str:
    return value_label(value, field="specialty") if value else ""


# --------------------------------------------------------------------------- detail keys

#: Every detail key of the catalogue, as the label before its value.
DETAIL_LABELS: dict[str, str] = {
    "activity_kbq": "activity",
    "alternatives": "alternatives",
    "provisional_if": "provisional, only",
    "recommended_agent": "recommended agent",
    "withheld": "withheld",
    "after": "after",
    "agent": "agent",
    "agents": "agents",
    "alternative_interval_weeks": "alternative interval",
    "alternative_to": "alternative to",
    "analyte": "test",
    "analytes": "tests",
    "anchor_date": "counted from",
    "astro_criteria": "ASTRO criteria met",
    "at": "at",
    "band": "clearance band",
    "baseline_creatinine": "baseline creatinine",
    "baseline_creatinine_date": "baseline creatinine taken",
    "baseline_mg_dl": "baseline creatinine",
    "before_each_dose": "before each dose",
    "before_first_dose": "before the first dose",
    "between_bands": "between two dose bands",
    "bilateral": "both sides",
    "blocks_start": "must be done before starting",
    "calcium_mg_daily": "calcium daily",
    "candidate_agents": "agents to choose from",
    "checks": "checks",
    "complications": "complicating features",
    "conditional": "condition",
    "continue_until": "continue until",
    "counts_floor": "blood counts required",
    "crcl_ml_min": "creatinine clearance",
    "criteria": "criteria",
    "current_therapies": "current systemic therapy",
    "days_before": "days before",
    "definition": "definition",
    "document_criteria": "criteria to document",
    "dose_gy": "dose",
    "dose_kbq_per_kg": "dose per kg",
    "dose_mg": "dose",
    "doses": "doses",
    "doses_given": "doses given",
    "doses_remaining": "doses remaining",
    "drug": "drug",
    "due_date": "due",
    "evidence": "evidence level",
    "exposure_days": "time on treatment",
    "flare_caveat": "beware of flare on bone scan",
    "follow_up_weeks": "follow-up",
    "fractions": "fractions",
    "hydrate_before": "hydrate before",
    "indication": "indication",
    "infusion_minutes_min": "infusion over at least",
    "interval_weeks": "interval",
    "interval_weeks_range": "usual interval",
    "last_exam_date": "last dental examination",
    "latest_creatinine": "latest creatinine",
    "latest_mg_dl": "latest creatinine",
    "lesion_id": "lesion",
    "lesion_ids": "lesions",
    "levels": "levels",
    "local_treatment_codes": "local treatments in this plan",
    "metastasis_count": "metastases in all",
    "mirels": "Mirels score",
    "modalities": "imaging",
    "modality": "imaging",
    "optional": "optional",
    "pending": "still to be recorded",
    "previous": "earlier radiotherapy",
    "primary_site": "primary tumour",
    "provisional": "provisional",
    "recent_exam": "recent dental examination",
    "reference_schedule": "reference schedule",
    "resume_at_most": "resume when creatinine is at most",
    "resume_limit_mg_dl": "resume when creatinine is at most",
    "route": "route",
    "sbrt_reirradiation_from": "SBRT re-irradiation possible from",
    "schedules": "schedules",
    "set_by": "set by",
    "single_fraction_reasonable": "8 Gy in 1 fraction reasonable",
    "sins": "SINS",
    "stop_if": "stop if",
    "survival_gain_months": "survival gain",
    "technique": "technique",
    "then": "then",
    "unknown": "not yet known",
    "vitamin_d_iu_daily": "vitamin D daily",
    "weight_kg": "weight",
    "with": "with",
    "within_hours": "within",
    "alternative": "alternative",
    "before_repeat": "before a repeat dose",
    "caveats": "caveats",
    "co_medication": "co-medication recorded",
    "complete_response_at_most": "complete response at a corrected calcium of at most",
    "corrected_calcium": "corrected calcium",
    "counts_caution_below": "caution below",
    "creatinine": "creatinine",
    "creatinine_before": "creatinine before the dose",
    "dose_date": "dose given",
    "expert_opinion_within_hours": "expert spinal opinion within",
    "from_week": "from week",
    "haematology_mdt": "further steroids with the haematology MDT",
    "ionised": "ionised calcium",
    "local_threshold": "the board's own trigger",
    "method": "how it was obtained",
    "monitor": "monitor",
    "monitoring": "blood-count follow-up",
    "nadir_weeks": "lowest counts (weeks after the dose)",
    "next_due_date": "next count due",
    "no_loop_diuretic_until_rehydrated": "no loop diuretic until rehydrated",
    "pain_band": "pain",
    "radiotherapy_drafted": "radiotherapy in this plan",
    "reasons": "reasons",
    "response_by_day": "response read by day",
    "retreat_after_days_min": "retreat no sooner than",
    "review": "review",
    "severe": "severe",
    "start_weeks_before_radium": "start before radium-223 by at least",
    "stop_when": "stop when",
    "taken_at": "taken",
    "threshold": "threshold",
    "trigger": "because of",
    "trigger_nrs": "review from a worst pain score of",
    "unit": "unit",
    "until_week": "until week",
    "worst_nrs": "worst pain score",
    # keys inside nested values
    "platelets": "platelets",
    "wbc": "white cells",
    "strontium_89": "strontium-89",
    "samarium_153": "samarium-153",
    "platelets_above": "platelets above",
    "wbc_above": "white cells above",
    "end": "ended",
    "trial": "trial",
}

#: Number formats by key: (suffix, decimals or None for as-is).
_UNITS: dict[str, tuple[str, int | None]] = {
    "activity_kbq": (" kBq", 0),
    "alternative_interval_weeks": (" weeks", 0),
    "calcium_mg_daily": (" mg", 0),
    "crcl_ml_min": (" mL/min", 0),
    "days_before": (" days", 0),
    "dose_gy": (" Gy", None),
    "dose_kbq_per_kg": (" kBq/kg", 0),
    "dose_mg": (" mg", None),
    "exposure_days": (" days", 0),
    "follow_up_weeks": (" weeks", 0),
    "infusion_minutes_min": (" minutes", 0),
    "interval_weeks": (" weeks", 0),
    "survival_gain_months": (" months", None),
    "vitamin_d_iu_daily": (" IU", 0),
    "weight_kg": (" kg", None),
    "within_hours": (" hours", 0),
    "expert_opinion_within_hours": (" hours", 0),
    "retreat_after_days_min": (" days", 0),
    "start_weeks_before_radium": (" weeks", 0),
    "platelets": (" ×10⁹/L", None),
    "wbc": (" ×10⁹/L", None),
    "platelets_above": (" ×10⁹/L", None),
    "wbc_above": (" ×10⁹/L", None),
}
#: Creatinine values drafts stored by engine 1.1 and earlier wrote in mg/dL (signed
#: snapshots are never rewritten): shown in the unit the case's creatinine was recorded
#: in. Engine 1.2 writes {"value", "unit"} as recorded (`baseline_creatinine` …) instead.
_CREATININE_MG_DL_KEYS = frozenset({"baseline_mg_dl", "latest_mg_dl", "resume_limit_mg_dl"})
_DATE_KEYS = frozenset({
    "anchor_date", "baseline_creatinine_date", "due_date", "last_exam_date",
    "sbrt_reirradiation_from", "end", "dose_date", "next_due_date", "taken_at",
})
_CODE_KEYS = frozenset({"alternative_to", "local_treatment_codes"})
_FIELD_NAME_KEYS = frozenset({"pending"})
_VALUE_FIELD = {
    "agent": None, "agents": None, "candidate_agents": None, "recommended_agent": None,
    "current_therapies": "kind",
    "analyte": "analyte", "analytes": "analyte", "modality": "modality",
    "modalities": "modality", "primary_site": "site", "technique": "technique",
    "unit": "unit",
}


def number_text(x: float | int | Decimal, decimals: int | None = None) -> str:
    """120.0 → "120"; 3.6 → "3.6"; with `decimals`, rounded to that many places."""
    if decimals is not None:
        x = round(float(x), decimals)
        if decimals == 0:
            return f"{int(x):,}".replace(",", " ") if abs(x) >= 10000 else str(int(x))
        return f"{x:.{decimals}f}"
    f = float(x)
    return str(int(f)) if f.is_integer() else f"{f:g}"


def date_text(value: str | date) -> str:
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return f"{day.day} {day:%b %Y}"


#: 1 mg/dL creatinine = 88.4 µmol/L (the factor of `cases.units`).
_CREATININE_UMOL_PER_MG_DL = 88.4


def lab_value_text(analyte: str, value: float, unit: str | None) -> str:
    """A laboratory value rounded as the laboratory reports it, with its unit's words:
    creatinine 97 µmol/L or 1.10 mg/dL, calcium 2.35 mmol/L, haemoglobin 11.2 g/dL."""
    decimals = _LAB_DECIMALS.get((analyte, unit or ""))
    unit_words = value_label(unit, field="unit") if unit else "(no unit)"
    return f"{number_text(value, decimals)} {unit_words}"


_LAB_DECIMALS: dict[tuple[str, str], int] = {
    ("creatinine", "umol/L"): 0, ("creatinine", "mg/dL"): 2,
    ("calcium", "mmol/L"): 2, ("calcium", "mg/dL"): 1,
    ("calcium_total", "mmol/L"): 2, ("calcium_total", "mg/dL"): 1,
    ("calcium_ionised", "mmol/L"): 2, ("calcium_ionised", "mg/dL"): 1,
    ("albumin", "g/L"): 0, ("albumin", "g/dL"): 1,
    ("alp", "U/L"): 0, ("ntx", "nmol BCE/L"): 1,
    ("haemoglobin", "g/dL"): 1, ("haemoglobin", "g/L"): 0,
    ("anc", "10^9/L"): 2, ("platelets", "10^9/L"): 0, ("wbc", "10^9/L"): 1,
    ("vitamin_d", "nmol/L"): 0, ("vitamin_d", "ng/mL"): 1, ("psa", "ng/mL"): 2,
}


def creatinine_text(mg_dl: float, unit: str | None) -> str:
    """A creatinine the engine gives in mg/dL, in the unit the board records it in."""
    if unit == "umol/L":
        return lab_value_text("creatinine", mg_dl * _CREATININE_UMOL_PER_MG_DL, unit)
    return lab_value_text("creatinine", mg_dl, "mg/dL")


class Context:
    """What detail values need beyond themselves: lesion names, code titles and the
    unit the case's creatinine is recorded in."""

    def __init__(self, *, lesion_labels: dict[str, str] | None = None,
                 code_titles: dict[str, str] | None = None,
                 creatinine_unit: str | None = None) -> None:
        self.lesion_labels = lesion_labels or {}
        self.code_titles = code_titles or {}
        self.creatinine_unit = creatinine_unit

    def lesion(self, lesion_id: Any) -> str:
        return self.lesion_labels.get(str(lesion_id)) or "a recorded lesion"


def _schedule(d: dict[str, Any]) -> str:
    n = int(d["fractions"])
    text = f"{number_text(d['dose_gy'])} Gy in {n} fraction{'s' if n != 1 else ''}"
    rest = [(f"{DETAIL_LABELS[k]} " if k in _DATE_KEYS else "") + detail_value(k, v, Context())
            for k, v in d.items() if k not in ("dose_gy", "fractions") and v not in (None, "")]
    return f"{text} ({', '.join(rest)})" if rest else text


def _alternative_text(alternative: dict[str, Any]) -> str:
    """"SBRT instead, if … (caveat; caveat)." — the why, then what comes with it."""
    why = plain_text(str(alternative.get("why") or alternative.get("title") or "")).strip()
    caveats = [plain_text(str(c)) for c in alternative.get("caveats") or []]
    text = why.rstrip(".") + (f" ({'; '.join(caveats)})" if caveats else "")
    return f"{text}." if text else ""


def detail_value(key: str, value: Any, ctx: Context) -> str:
    """One detail value in words ("" when there is nothing to say)."""
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        if "dose_gy" in value and "fractions" in value:
            return _schedule(value)
        if "value" in value and "unit" in value:
            # A laboratory value as the engine quotes it: value and unit as recorded.
            return lab_value_text(str(value.get("analyte") or ""), float(value["value"]),
                                  value["unit"])
        parts = []
        for k, v in value.items():
            text = detail_value(k, v, ctx)
            if text:
                parts.append(f"{DETAIL_LABELS.get(k, k)} {text}" if k in DETAIL_LABELS
                             else f"{k}: {text}")
        return "; ".join(parts)
    if isinstance(value, list | tuple):
        if key == "alternatives":
            # The engine's reconciliation folds the other options into the one it
            # recommends (recommendations/engine/reconcile.py): each in its own sentence.
            return " ".join(_alternative_text(a) for a in value if isinstance(a, dict))
        if key == "follow_up_weeks":
            return "at weeks " + " and ".join(number_text(v) for v in value)
        if key == "interval_weeks_range":
            return f"every {'–'.join(number_text(v) for v in value)} weeks"
        return ", ".join(t for t in (detail_value(key, v, ctx) for v in value) if t)
    if isinstance(value, int | float | Decimal):
        if key in _CREATININE_MG_DL_KEYS:
            return creatinine_text(float(value), ctx.creatinine_unit)
        suffix, decimals = _UNITS.get(key, ("", None))
        return number_text(value, decimals) + suffix
    text = str(value)
    if key in ("lesion_id", "lesion_ids"):
        return ctx.lesion(text)
    if key == "band":
        return f"{text} mL/min"
    if key in _CODE_KEYS:
        return ctx.code_titles.get(text, "another item of this plan")
    if key in _DATE_KEYS and _ISO_DATE.fullmatch(text):
        return date_text(text)
    if key in _FIELD_NAME_KEYS:
        return field_label(f"lesions.0.{text}")
    if key in _VALUE_FIELD or text in VALUE_LABELS:
        label = value_label(text, field=_VALUE_FIELD.get(key))
        if label != text or text in VALUE_LABELS:
            return label
    return text


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def detail_pairs(detail: dict[str, Any], ctx: Context) -> list[tuple[str, str]]:
    """An item's detail as (label, words) pairs, the summary apart, empty values left
    out."""
    pairs = []
    for key, value in detail.items():
        if key in ("text", "summary"):
            continue
        words = detail_value(key, value, ctx)
        if words:
            pairs.append((DETAIL_LABELS.get(key, "detail"), words))
    return pairs


# --------------------------------------------------------------------------- sources

def source_lines(sources: list[dict[str, Any]]) -> tuple[list[dict[str, str]], list[str]]:
    """An item's citations: each reference with its own words (what it supports is in
    its own parenthesis), and, apart, the source document's statements once each —
    the document's words are never shown as a reference's."""
    references, statements = [], []
    for s in sources:
        references.append({
            "reference": s.get("primary") or "",
            "evidence": EVIDENCE_LABELS.get(str(s.get("evidence") or ""), ""),
            "secondary": bool(s.get("secondary")),
        })
        document = s.get("document")
        if document and document not in statements:
            statements.append(document)
    return references, statements


# --------------------------------------------------------------------------- the facts

_FACT_DATE_FIELDS = frozenset({
    "date_of_birth", "weight_date", "ecog_date", "onset_date", "paraplegia_onset",
    "last_exam_date", "prior_rt_date", "taken_at", "start", "stop", "withheld_since", "end",
    "performed_on", "first_dose", "last_dose",
})
_FACT_GROUPS = (
    ("patient", "Patient"), ("primary", "Primary tumour"),
    ("extraskeletal", "Disease outside the skeleton"), ("pain", "Pain"),
    ("neurology", "Neurology"), ("dental", "Dental status"),
)
_FACT_LISTS = (
    ("bone_targeted_agents", "Bone-targeted agents"),
    ("systemic_therapies", "Systemic therapy"),
    ("radiotherapy_courses", "Radiotherapy"),
    ("surgeries", "Surgery"),
    ("radioisotope_courses", "Radioisotopes"),
    ("imaging", "Imaging"),
)
_FACT_UNITS = {
    "weight_kg": " kg", "age_years": " years", "prior_rt_dose_gy": " Gy", "dose_gy": " Gy",
    "dose_mg": " mg", "interval_weeks": " weeks", "paraplegia_duration_hours": " hours",
    "collapse_percent": " %", "body_involvement_percent": " %",
}
_TOP_FACTS = ("ecog", "ecog_date", "expected_survival", "bone_disease_extent")


def fact_value(name: str, value: Any, ctx: Context | None = None) -> str:
    """One fact in words ("" for unknown)."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return number_text(value) + _FACT_UNITS.get(name, "")
    text = str(value)
    if name in _FACT_DATE_FIELDS and _ISO_DATE.fullmatch(text):
        return date_text(text)
    if name == "lesion_id" and ctx is not None:
        return ctx.lesion(text)
    return value_label(text, field=name)


def _rows(prefix: str, entry: dict[str, Any], ctx: Context, skip=()) -> list[tuple[str, str]]:
    rows = []
    for name, value in entry.items():
        if name in skip:
            continue
        words = fact_value(name, value, ctx)
        if words:
            label = FIELD_LABELS.get(f"{prefix}{name}", "detail")
            rows.append((label[:1].upper() + label[1:], words))
    return rows


def _lab_line(lab: dict[str, Any]) -> str:
    return (f"{lab_value_text(lab['analyte'], lab['value'], lab.get('unit'))} "
            f"({date_text(lab['taken_at'])})")


def facts_sections(facts: dict[str, Any], ctx: Context) -> list[tuple[str, list[tuple[str, str]]]]:
    """The facts the engine read, as headed (label, words) rows; unknowns left out."""
    out: list[tuple[str, list[tuple[str, str]]]] = []
    for key, heading in _FACT_GROUPS:
        rows = _rows(f"{key}.", facts.get(key) or {}, ctx)
        if key == "patient":
            rows += _rows("", {k: facts.get(k) for k in _TOP_FACTS}, ctx)
        if rows:
            out.append((heading, rows))
    for lesion in facts.get("lesions") or []:
        rows = _rows("lesions.*.", lesion, ctx, skip=("id", "label"))
        out.append((f"Lesion: {ctx.lesion(lesion.get('id'))}", rows))
    labs = [(value_label(lab["analyte"], field="analyte"), _lab_line(lab))
            for lab in facts.get("labs") or []]
    if facts.get("baseline_creatinine"):
        labs.append(("Creatinine before the first zoledronic acid dose",
                     _lab_line(facts["baseline_creatinine"])))
    if labs:
        out.append(("Laboratory", labs))
    for key, heading in _FACT_LISTS:
        entries = facts.get(key) or []
        rows = []
        for entry in entries:
            parts = [f"{label[:1].lower()}{label[1:]}: {words}"
                     for label, words in _rows(f"{key}.*.", entry, ctx)]
            if parts:
                first, *rest = parts
                rows.append((first.split(": ", 1)[1][:1].upper() + first.split(": ", 1)[1][1:],
                             "; ".join(rest)))
        if rows:
            out.append((heading, rows))
    return out
