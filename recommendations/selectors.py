"""Reads for the recommendation engine: the case record as frozen `CaseFacts`.

`case_facts_for_patients` reads every patient of a meeting in a fixed number of queries
(one per related table, whatever the number of patients, lesions or labs) and maps the
Django rows onto the engine's dataclasses 1:1 — the engine's enums mirror
`cases.choices` value for value. Unknown stays `None`: the engine, not this mapping,
decides what is missing.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import Prefetch, QuerySet

from cases.choices import BoneTargetedAgent as BTAChoice
from cases.choices import LabAnalyte
from cases.models import LabResult, Lesion, Patient
from recommendations.engine import facts as f
from recommendations.models import DraftPlan

#: Labs older than this are not sent to the engine (the engine judges freshness
#: within the window itself; older values only make the facts larger).
LAB_WINDOW_DAYS = 400


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _enum(enum_type, value: str | None):
    return enum_type(value) if value else None


def _patient_queryset(patient_ids: Iterable[int], as_of: date) -> QuerySet[Patient]:
    lab_since = as_of - timedelta(days=LAB_WINDOW_DAYS)
    return (
        Patient.objects.filter(pk__in=list(patient_ids))
        .select_related("primary", "facts_version", "board")
        .prefetch_related(
            "lesions",
            Prefetch(
                "labs",
                queryset=LabResult.objects.filter(taken_at__date__gte=lab_since).order_by(
                    "taken_at", "id"
                ),
            ),
            "bone_agent_courses",
            "systemic_therapies",
            "radiotherapy_courses",
            "surgeries",
            "radioisotope_courses",
            "imaging",
        )
    )


def _baseline_creatinine(patient: Patient, labs: list[LabResult]) -> f.LabResult | None:
    """The creatinine before the first zoledronic acid dose (BTA-03/BTA-04): the latest
    one taken on or before the start of the earliest zoledronic acid course. When
    zoledronic acid has not started, the engine takes the latest fresh value itself."""
    starts = [
        c.started_on
        for c in patient.bone_agent_courses.all()
        if c.agent == BTAChoice.ZOLEDRONIC_ACID and c.started_on is not None
    ]
    if not starts:
        return None
    first_dose = min(starts)
    before = [
        lab
        for lab in labs
        if lab.analyte == LabAnalyte.CREATININE and lab.taken_at.date() <= first_dose
    ]
    if not before:
        return None
    lab = before[-1]
    return f.LabResult(
        analyte=f.LabAnalyte(lab.analyte),
        value=float(lab.value),
        unit=f.LabUnit(lab.unit),
        taken_at=lab.taken_at.date(),
    )


def lesion_facts(lesion: Lesion) -> f.Lesion:
    """The engine's `Lesion` for one stored lesion (1:1 field mapping). Used for the
    case facts and for the scores the API shows on each lesion."""
    return f.Lesion(
        id=str(lesion.pk),
        bone=f.Bone(lesion.bone),
        label=lesion.site_label,
        vertebral_level=_enum(f.VertebralLevel, lesion.vertebral_level),
        long_bone_segment=_enum(f.LongBoneSegment, lesion.long_bone_segment),
        laterality=_enum(f.Laterality, lesion.laterality),
        lesion_type=_enum(f.LesionType, lesion.lesion_type),
        painful=lesion.painful,
        spinal_pain=_enum(f.SpinalPain, lesion.spinal_pain),
        alignment=_enum(f.Alignment, lesion.alignment),
        collapse_percent=_num(lesion.collapse_percent),
        body_involvement_percent=_num(lesion.body_involvement_percent),
        posterolateral=_enum(f.PosterolateralInvolvement, lesion.posterolateral),
        limb_pain=_enum(f.LimbPain, lesion.limb_pain),
        cortical_involvement=_enum(f.CorticalInvolvement, lesion.cortical_involvement),
        soft_tissue_mass=lesion.soft_tissue_mass,
        epidural_extension=lesion.epidural_extension,
        escc_grade=_enum(f.EsccGrade, lesion.escc_grade),
        neuropathic_pain=lesion.neuropathic_pain,
        pathological_fracture=lesion.pathological_fracture,
        prior_rt_dose_gy=_num(lesion.prior_rt_dose_gy),
        prior_rt_fractions=lesion.prior_rt_fractions,
        prior_rt_date=lesion.prior_rt_on,
        prior_rt_technique=_enum(f.RadiotherapyTechnique, lesion.prior_rt_technique),
        bone_scan_uptake=lesion.bone_scan_uptake,
    )


#: Each list of the facts: the patient's related rows it is built from, in the order
#: the engine sees them. The engine names a row by its place in the list
#: (``bone_targeted_agents.0.start``); the pages' "what to chase" links find the row
#: it means with `fact_rows`, from this one table.
FACT_ROW_ORDER: dict[str, tuple[str, Any]] = {
    "bone_targeted_agents": ("bone_agent_courses", lambda c: (c.started_on or date.max, c.pk)),
    "systemic_therapies": ("systemic_therapies", lambda t: (t.started_on or date.max, t.pk)),
    "radiotherapy_courses": ("radiotherapy_courses", lambda c: (c.started_on, c.pk)),
    "surgeries": ("surgeries", lambda s: (s.performed_on, s.pk)),
    "radioisotope_courses": ("radioisotope_courses",
                             lambda r: (r.first_dose_on or date.max, r.pk)),
    "imaging": ("imaging", lambda i: (i.performed_on, i.pk)),
}


def fact_rows(patient: Patient, collection: str) -> list:
    """The rows behind one list of the patient's facts, in the engine's order (uses the
    prefetch when there is one, else one query)."""
    related, key = FACT_ROW_ORDER[collection]
    return sorted(getattr(patient, related).all(), key=key)


def case_facts_from_patient(patient: Patient) -> f.CaseFacts:
    """Map one patient (with the prefetches of `_patient_queryset`) onto CaseFacts."""
    primary = getattr(patient, "primary", None)
    # An implausible value stays in the record, flagged, and goes to the engine, which
    # computes nothing from it and asks for a recheck naming it (`context._lab_status`).
    labs = list(patient.labs.all())
    paraplegia_onset = patient.paraplegic_since.date() if patient.paraplegic_since else None
    return f.CaseFacts(
        patient=f.Patient(
            sex=_enum(f.Sex, patient.sex),
            date_of_birth=patient.date_of_birth,
            weight_kg=_num(patient.weight_kg),
            weight_date=patient.weight_measured_on,
            on_dialysis=patient.on_dialysis,
        ),
        primary=f.PrimaryCancer(
            site=_enum(f.PrimarySite, primary.site),
            histology=primary.histology or None,
            castration_status=_enum(f.CastrationStatus, primary.castration_status),
            hormone_receptor_status=_enum(f.HormoneReceptorStatus,
                                          primary.hormone_receptor_status),
            her2_status=_enum(f.Her2Status, primary.her2_status),
            prior_mcrpc_lines=primary.prior_mcrpc_lines,
        )
        if primary
        else f.PrimaryCancer(),
        extraskeletal=f.ExtraSkeletalDisease(
            visceral=patient.visceral_metastases,
            brain=patient.brain_metastases,
            nodal=patient.nodal_metastases,
            nodal_short_axis_cm=_num(patient.largest_node_short_axis_cm),
            metastasis_count=patient.metastasis_count,
            all_sites_treatable=patient.all_metastases_treatable,
        ),
        bone_disease_extent=_enum(f.BoneDiseaseExtent, patient.bone_disease_extent),
        ecog=patient.ecog,
        ecog_date=patient.ecog_assessed_on,
        expected_survival=_enum(f.SurvivalBand, patient.expected_survival),
        pain=f.Pain(
            worst_nrs=patient.worst_pain_nrs,
            uncontrolled=patient.pain_uncontrolled,
            new_thigh_hip_groin_pain=patient.new_thigh_hip_groin_pain,
            # A board setting (PAIN-03): the trigger the board chose, default 5.
            analgesia_review_nrs=patient.board.analgesia_review_nrs,
        ),
        neurology=f.Neurology(
            deficit=patient.neurological_deficit,
            suspected_cord_compression=patient.suspected_cord_compression,
            cord_compression_on_imaging=patient.cord_compression_on_imaging,
            onset_date=patient.neurological_onset_on,
            mri_contraindicated=patient.mri_contraindicated,
            paraplegic=patient.paraplegic,
            paraplegia_onset=paraplegia_onset,
            compression_levels=patient.compression_levels,
            ambulatory=patient.ambulatory,
            motor_deficit_days=patient.motor_deficit_days,
            rades_ambulatory_score=patient.rades_ambulatory_score,
            instability_signs=patient.spinal_instability_signs,
        ),
        co_medication=f.CoMedication(
            aminoglycoside=patient.on_aminoglycoside,
            loop_diuretic=patient.on_loop_diuretic,
            other_nephrotoxic=patient.on_other_nephrotoxic_drug,
            other_nephrotoxic_names=patient.other_nephrotoxic_drugs or None,
            nsaid=patient.on_nsaid,
        ),
        dental=f.DentalStatus(
            last_exam_date=patient.last_dental_exam_on,
            invasive_work_pending=patient.pending_invasive_dental_work,
            unhealed_oral_lesions=patient.unhealed_oral_lesions,
            poor_oral_hygiene=patient.poor_oral_hygiene,
            periodontal_disease=patient.periodontal_disease,
            ill_fitting_dentures=patient.ill_fitting_dentures,
        ),
        lesions=tuple(lesion_facts(lesion) for lesion in patient.lesions.all()),
        labs=tuple(
            f.LabResult(
                analyte=f.LabAnalyte(lab.analyte),
                value=float(lab.value),
                unit=f.LabUnit(lab.unit),
                taken_at=lab.taken_at.date(),
            )
            for lab in labs
        ),
        baseline_creatinine=_baseline_creatinine(patient, labs),
        bone_targeted_agents=tuple(
            f.BoneTargetedAgentCourse(
                agent=f.BoneTargetedAgent(c.agent),
                dose_mg=_num(c.dose_mg),
                interval_weeks=c.interval_weeks,
                start=c.started_on,
                stop=c.stopped_on,
                withheld_since=c.withheld_since,
            )
            for c in fact_rows(patient, "bone_targeted_agents")
        ),
        systemic_therapies=tuple(
            f.SystemicTherapy(
                kind=f.SystemicTherapyKind(t.kind),
                name=t.drug or None,
                start=t.started_on,
                stop=t.stopped_on,
                planned=t.planned,
            )
            for t in fact_rows(patient, "systemic_therapies")
        ),
        radiotherapy_courses=tuple(
            f.RadiotherapyCourse(
                lesion_id=str(c.lesion_id) if c.lesion_id else None,
                site=c.site,
                dose_gy=_num(c.dose_gy),
                fractions=c.fractions,
                technique=_enum(f.RadiotherapyTechnique, c.technique),
                start=c.started_on,
                end=c.ended_on,
            )
            for c in fact_rows(patient, "radiotherapy_courses")
        ),
        surgeries=tuple(
            f.Surgery(
                kind=f.SurgeryKind(s.kind),
                lesion_id=str(s.lesion_id) if s.lesion_id else None,
                performed_on=s.performed_on,
            )
            for s in fact_rows(patient, "surgeries")
        ),
        radioisotope_courses=tuple(
            f.RadioisotopeCourse(
                agent=f.Radioisotope(r.agent),
                doses_given=r.doses_given,
                first_dose=r.first_dose_on,
                last_dose=r.last_dose_on,
                planned=r.planned,
            )
            for r in fact_rows(patient, "radioisotope_courses")
        ),
        imaging=tuple(
            f.ImagingStudy(
                modality=f.ImagingModality(i.modality),
                performed_on=i.performed_on,
                region=i.region or None,
            )
            for i in fact_rows(patient, "imaging")
        ),
    )


def case_facts_for_patients(*, patient_ids: Iterable[int], as_of: date) -> dict[int, f.CaseFacts]:
    """CaseFacts for each patient, in 9 queries whatever the number of patients (one per table)."""
    return {p.pk: case_facts_from_patient(p) for p in _patient_queryset(patient_ids, as_of)}


def draft_of_item(*, agenda_item, draft_id: int) -> DraftPlan | None:
    """One stored draft of this agenda item by its ID (None if the ID is another
    case's draft or no draft at all): the draft a decision was recorded from."""
    return DraftPlan.objects.filter(pk=draft_id, agenda_item=agenda_item).first()


class VersionedFacts(NamedTuple):
    facts: f.CaseFacts
    #: The patient's facts version, read with the patient row, i.e. before the other
    #: tables: a write committed in between bumps the version past this one, so the
    #: draft stored from these facts is stale on the next view, never wrongly current.
    version: int | None


def versioned_case_facts(
    *, patient_ids: Iterable[int], as_of: date
) -> dict[int, VersionedFacts]:
    """CaseFacts and facts version of each patient, in the 9 queries of
    `case_facts_for_patients`."""
    out = {}
    for p in _patient_queryset(patient_ids, as_of):
        row = getattr(p, "facts_version", None)
        out[p.pk] = VersionedFacts(case_facts_from_patient(p), row.version if row else None)
    return out


def _newest_per_item(ids: list[int]):
    """The newest draft of each of these agenda items (one row each)."""
    return (
        DraftPlan.objects.filter(agenda_item_id__in=ids)
        .order_by("agenda_item_id", "-created_at", "-id")
        .distinct("agenda_item_id")
    )


def current_drafts(*, agenda_item_ids: Iterable[int]) -> dict[int, DraftPlan]:
    """The newest draft-plan snapshot of each agenda item, in one query."""
    ids = list(agenda_item_ids)
    if not ids:
        return {}
    return {row.agenda_item_id: row for row in _newest_per_item(ids)}


class Fingerprint(NamedTuple):
    """What the newest draft of an agenda item was computed from, and the patient's
    facts version now."""

    draft_id: int
    facts_version: int | None
    engine_version: str
    as_of: date
    facts_sha256: str
    patient_version: int | None

    def is_current(self, *, engine_version: str, as_of: date) -> bool:
        return (
            self.facts_version is not None
            and self.facts_version == self.patient_version
            and self.engine_version == engine_version
            and self.as_of == as_of
        )


def current_fingerprints(*, agenda_item_ids: Iterable[int]) -> dict[int, Fingerprint]:
    """The fingerprint of the newest draft of each agenda item, in one query and without
    loading the snapshots; items without a draft are absent."""
    ids = list(agenda_item_ids)
    if not ids:
        return {}
    rows = _newest_per_item(ids).values_list(
        "agenda_item_id", "id", "facts_version", "engine_version", "as_of", "facts_sha256",
        "patient__facts_version__version",
    )
    return {item_id: Fingerprint(*rest) for item_id, *rest in rows}


class DraftSummary(NamedTuple):
    """What the agenda shows of a draft: readiness and what to chase, flag count,
    scores and the specialties needed, with the lesions they name. Read from the draft's
    small `agenda_summary` column, not the snapshot (items, sources and facts are most
    of a draft's 40 KB and the agenda shows none of them)."""

    draft_id: int
    patient_id: int
    urgency: str
    flag_count: int
    missing_data: list[dict[str, Any]]
    scores: dict[str, Any]
    required_specialties: list[dict[str, Any]]
    #: The lesions of the facts the engine read (for their labels).
    lesions: list[dict[str, Any]]

    @classmethod
    def of(cls, draft: DraftPlan) -> DraftSummary:
        """The summary of a draft already in memory (one just stored, with its
        `agenda_summary` written)."""
        return cls.from_row(draft.pk, draft.patient_id, draft.flag_count,
                            draft.agenda_summary)

    @classmethod
    def from_row(cls, draft_id: int, patient_id: int, flag_count: int,
                 summary: dict[str, Any]) -> DraftSummary:
        return cls(
            draft_id=draft_id,
            patient_id=patient_id,
            urgency=summary.get("urgency") or "routine",
            flag_count=flag_count,
            missing_data=summary.get("missing_data") or [],
            scores=summary.get("scores") or {},
            required_specialties=summary.get("required_specialties") or [],
            lesions=summary.get("lesions") or [],
        )


def draft_summaries(*, agenda_item_ids: Iterable[int]) -> dict[int, DraftSummary]:
    """The summary of the newest draft of each agenda item, in one query, from the small
    `agenda_summary` column written with each draft (not from the snapshots)."""
    ids = list(agenda_item_ids)
    if not ids:
        return {}
    rows = _newest_per_item(ids).values_list(
        "agenda_item_id", "id", "patient_id", "flag_count", "agenda_summary"
    )
    return {
        item_id: DraftSummary.from_row(draft_id, patient_id, flag_count, summary)
        for (item_id, draft_id, patient_id, flag_count, summary) in rows
    }
