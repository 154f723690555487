"""JSON in and out: validate case-facts JSON, serialise plans, publish the JSON Schema.

Pydantic (not Django) validates the self-contained case-facts JSON; the engine itself
only ever sees the frozen dataclasses of ``facts.py``. Impossible values are refused
with field-level messages, e.g. ``{"lesions.0.collapse_percent": ["must be between 0
and 100"]}``. Nothing here touches files or the clock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, is_dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from typing import Annotated, Any, Literal, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, ValidationError
from pydantic_core import PydanticCustomError

# The one plausibility table of the record (Django-free, standard library only; see
# its docstring for why it lives in ``cases``).
from cases.plausibility import (
    MEASURE_BOUNDS,
    Verdict,
    lab_usable,
    lab_verdict,
    plausible_range_text,
)

from . import facts as F
from .catalogue import RULES
from .common import Source
from .plan import BoardNote, DraftPlan, Flag, MissingData, PlanItem, RequiredSpecialty
from .scores import (
    CreatinineClearance,
    MirelsResult,
    RenalCheck,
    ScoreComponent,
    SinsResult,
    ZoledronicDoseBand,
)

SCHEMA_VERSION = 1

T = TypeVar("T")


class FactsValidationError(ValueError):
    """Case facts refused; ``errors`` maps a dotted field path to its messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = dict(sorted(errors.items()))
        super().__init__("; ".join(f"{k}: {', '.join(v)}" for k, v in self.errors.items()))


def _between(lo: float, hi: float) -> Any:
    def check(v: float) -> float:
        if not lo <= v <= hi:
            raise PydanticCustomError(
                "range", "must be between {lo} and {hi}", {"lo": lo, "hi": hi}
            )
        return v

    return AfterValidator(check)


def _positive(v: float) -> float:
    if v <= 0:
        raise PydanticCustomError("positive", "must be greater than 0")
    return v


def _non_negative(v: float) -> float:
    if v < 0:
        raise PydanticCustomError("non_negative", "must not be negative")
    return v


def _rng_f(lo: float, hi: float) -> Any:
    return Annotated[
        float, _between(lo, hi), Field(json_schema_extra={"minimum": lo, "maximum": hi})
    ]


def _rng_i(lo: int, hi: int) -> Any:
    return Annotated[int, _between(lo, hi), Field(json_schema_extra={"minimum": lo, "maximum": hi})]


Percent = _rng_f(0, 100)
Positive = Annotated[
    float, AfterValidator(_positive), Field(json_schema_extra={"exclusiveMinimum": 0})
]
NonNegative = Annotated[
    float, AfterValidator(_non_negative), Field(json_schema_extra={"minimum": 0})
]
Ecog = _rng_i(0, 4)
Nrs = _rng_i(0, 10)
Age = _rng_i(0, 120)
Weight = _rng_f(1, 400)
DoseGy = _rng_f(0.5, 200)
Fractions = _rng_i(1, 50)
Count = _rng_i(0, 100)
IntervalWeeks = _rng_i(1, 52)
#: Rades 2008: five factors, each scored (post-RT ambulatory rate %)/10, total 21–44.
RadesAmbulatory = _rng_i(21, 44)
#: All metastatic lesions, bone and non-bone: a patient on the board has at least one.
MetastasisCount = _rng_i(1, 500)
#: The record's range too (`cases.plausibility.MEASURE_BOUNDS`).
NodalShortAxis = _rng_f(*MEASURE_BOUNDS["nodal_short_axis_cm"])
Text = Annotated[str, Field(min_length=1, max_length=200)]


class _M(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PatientIn(_M):
    sex: F.Sex | None = None
    age_years: Age | None = None  # type: ignore[valid-type]
    date_of_birth: date | None = None
    weight_kg: Weight | None = None  # type: ignore[valid-type]
    weight_date: date | None = None
    on_dialysis: StrictBool | None = None


class LegacyReceptorStatus(StrEnum):
    """The one combined breast phenotype of case facts before engine 1.4.0. Still read,
    because held-back clinical cases written then are run as they are (`manage.py
    evaluate_case`); it is mapped onto the two statuses it stated (`LEGACY_RECEPTORS`)."""

    HR_POS_HER2_NEG = "hr+/her2-"
    HER2_POS = "her2+"
    TRIPLE_NEGATIVE = "triple_negative"
    UNKNOWN = "unknown"


#: Each legacy value → (hormone-receptor status, HER2 status): what it stated and nothing
#: more. "her2+" said nothing of the hormone receptors, so they are not known. The same
#: mapping as the record's migration (cases/migrations/0027).
LEGACY_RECEPTORS: dict[LegacyReceptorStatus, tuple[F.HormoneReceptorStatus, F.Her2Status]] = {
    LegacyReceptorStatus.HR_POS_HER2_NEG: (
        F.HormoneReceptorStatus.POSITIVE, F.Her2Status.NEGATIVE),
    LegacyReceptorStatus.HER2_POS: (F.HormoneReceptorStatus.UNKNOWN, F.Her2Status.POSITIVE),
    LegacyReceptorStatus.TRIPLE_NEGATIVE: (
        F.HormoneReceptorStatus.NEGATIVE, F.Her2Status.NEGATIVE),
    LegacyReceptorStatus.UNKNOWN: (F.HormoneReceptorStatus.UNKNOWN, F.Her2Status.UNKNOWN),
}


class PrimaryIn(_M):
    site: F.PrimarySite | None = None
    histology: Text | None = None
    castration_status: F.CastrationStatus | None = None
    hormone_receptor_status: F.HormoneReceptorStatus | None = None
    her2_status: F.Her2Status | None = None
    receptor_status: LegacyReceptorStatus | None = Field(
        default=None,
        description="Legacy (before engine 1.4.0): the combined breast phenotype, read as "
        "hormone_receptor_status and her2_status; not together with either.",
        json_schema_extra={"deprecated": True},
    )
    prior_mcrpc_lines: Count | None = None  # type: ignore[valid-type]


class ExtraSkeletalIn(_M):
    visceral: StrictBool | None = None
    brain: StrictBool | None = None
    nodal: StrictBool | None = None
    nodal_short_axis_cm: NodalShortAxis | None = None  # type: ignore[valid-type]
    metastasis_count: MetastasisCount | None = None  # type: ignore[valid-type]
    all_sites_treatable: StrictBool | None = None


class PainIn(_M):
    worst_nrs: Nrs | None = None  # type: ignore[valid-type]
    uncontrolled: StrictBool | None = None
    new_thigh_hip_groin_pain: StrictBool | None = None
    analgesia_review_nrs: (
        Annotated[int, _between(0, 10), Field(json_schema_extra={"minimum": 0, "maximum": 10})]
        | None
    ) = None


class NeurologyIn(_M):
    deficit: StrictBool | None = None
    suspected_cord_compression: StrictBool | None = None
    cord_compression_on_imaging: StrictBool | None = None
    onset_date: date | None = None
    mri_contraindicated: StrictBool | None = None
    paraplegic: StrictBool | None = None
    paraplegia_duration_hours: NonNegative | None = None
    paraplegia_onset: date | None = None
    compression_levels: (
        Annotated[int, _between(1, 30), Field(json_schema_extra={"minimum": 1, "maximum": 30})]
        | None
    ) = None
    ambulatory: StrictBool | None = None
    motor_deficit_days: Count | None = None  # type: ignore[valid-type]
    rades_ambulatory_score: RadesAmbulatory | None = None  # type: ignore[valid-type]
    instability_signs: StrictBool | None = None


class CoMedicationIn(_M):
    aminoglycoside: StrictBool | None = None
    loop_diuretic: StrictBool | None = None
    other_nephrotoxic: StrictBool | None = None
    other_nephrotoxic_names: Text | None = None
    nsaid: StrictBool | None = None


class DentalIn(_M):
    last_exam_date: date | None = None
    invasive_work_pending: StrictBool | None = None
    unhealed_oral_lesions: StrictBool | None = None
    poor_oral_hygiene: StrictBool | None = None
    periodontal_disease: StrictBool | None = None
    ill_fitting_dentures: StrictBool | None = None


class LesionIn(_M):
    id: Annotated[str, Field(min_length=1, max_length=64)]
    bone: F.Bone
    label: Text | None = None
    vertebral_level: F.VertebralLevel | None = None
    long_bone_segment: F.LongBoneSegment | None = None
    laterality: F.Laterality | None = None
    lesion_type: F.LesionType | None = None
    painful: StrictBool | None = None
    neuropathic_pain: StrictBool | None = None
    escc_grade: F.EsccGrade | None = None
    spinal_pain: F.SpinalPain | None = None
    alignment: F.Alignment | None = None
    collapse_percent: Percent | None = None  # type: ignore[valid-type]
    body_involvement_percent: Percent | None = None  # type: ignore[valid-type]
    posterolateral: F.PosterolateralInvolvement | None = None
    limb_pain: F.LimbPain | None = None
    cortical_involvement: F.CorticalInvolvement | None = None
    soft_tissue_mass: StrictBool | None = None
    epidural_extension: StrictBool | None = None
    pathological_fracture: StrictBool | None = None
    prior_rt_dose_gy: DoseGy | None = None  # type: ignore[valid-type]
    prior_rt_fractions: Fractions | None = None  # type: ignore[valid-type]
    prior_rt_date: date | None = None
    prior_rt_technique: F.RadiotherapyTechnique | None = None
    bone_scan_uptake: StrictBool | None = None


class LabIn(_M):
    analyte: F.LabAnalyte
    value: NonNegative
    #: Required in practice: a lab without its unit is refused (never guessed).
    unit: F.LabUnit | None = None
    taken_at: date


class BtaCourseIn(_M):
    agent: F.BoneTargetedAgent
    dose_mg: (
        Annotated[
            float, _between(0.1, 500), Field(json_schema_extra={"minimum": 0.1, "maximum": 500})
        ]
        | None
    ) = None
    interval_weeks: IntervalWeeks | None = None  # type: ignore[valid-type]
    start: date | None = None
    stop: date | None = None
    withheld_since: date | None = None


class SystemicIn(_M):
    kind: F.SystemicTherapyKind
    name: Text | None = None
    start: date | None = None
    stop: date | None = None
    planned: StrictBool = False


class RadiotherapyIn(_M):
    lesion_id: str | None = None
    site: Text | None = None
    dose_gy: DoseGy | None = None  # type: ignore[valid-type]
    fractions: Fractions | None = None  # type: ignore[valid-type]
    technique: F.RadiotherapyTechnique | None = None
    start: date | None = None
    end: date | None = None


class SurgeryIn(_M):
    kind: F.SurgeryKind
    lesion_id: str | None = None
    performed_on: date | None = None


class RadioisotopeIn(_M):
    agent: F.Radioisotope
    doses_given: Annotated[
        int, _between(0, 20), Field(json_schema_extra={"minimum": 0, "maximum": 20})
    ] = 0
    first_dose: date | None = None
    last_dose: date | None = None
    planned: StrictBool = False


class ImagingIn(_M):
    modality: F.ImagingModality
    performed_on: date
    region: Text | None = None


class CaseFactsIn(_M):
    """Case facts for the Boardsite recommendation engine (unknown = null or absent)."""

    model_config = ConfigDict(extra="forbid", frozen=True, title="Boardsite case facts")

    schema_version: Literal[1] = 1
    patient: PatientIn = PatientIn()
    primary: PrimaryIn = PrimaryIn()
    extraskeletal: ExtraSkeletalIn = ExtraSkeletalIn()
    bone_disease_extent: F.BoneDiseaseExtent | None = None
    ecog: Ecog | None = None  # type: ignore[valid-type]
    ecog_date: date | None = None
    expected_survival: F.SurvivalBand | None = None
    pain: PainIn = PainIn()
    neurology: NeurologyIn = NeurologyIn()
    dental: DentalIn = DentalIn()
    co_medication: CoMedicationIn = CoMedicationIn()
    lesions: list[LesionIn] = []
    labs: list[LabIn] = []
    baseline_creatinine: LabIn | None = None
    bone_targeted_agents: list[BtaCourseIn] = []
    systemic_therapies: list[SystemicIn] = []
    radiotherapy_courses: list[RadiotherapyIn] = []
    surgeries: list[SurgeryIn] = []
    radioisotope_courses: list[RadioisotopeIn] = []
    imaging: list[ImagingIn] = []


# ------------------------------------------------------------------ semantic checks


def _check_lab(lab: LabIn, path: str, err: dict[str, list[str]]) -> None:
    allowed = F.ANALYTE_UNITS[lab.analyte]
    if lab.unit is None:
        err.setdefault(f"{path}.unit", []).append(
            f"required: {lab.analyte} must state its unit ({' or '.join(allowed)}); it is never "
            f"guessed"
        )
    elif lab.unit not in allowed:
        err.setdefault(f"{path}.unit", []).append(
            f"{lab.unit} is not a unit for {lab.analyte} (use {' or '.join(allowed)})"
        )
    if lab.analyte is F.LabAnalyte.CREATININE and lab.value <= 0:
        err.setdefault(f"{path}.value", []).append("must be greater than 0")
    elif lab.unit in allowed and lab_verdict(lab.analyte, lab.unit, lab.value) is (
        Verdict.IMPOSSIBLE
    ):
        err.setdefault(f"{path}.value", []).append(
            f"{lab.value:g} {lab.unit} is not a possible {lab.analyte} value (possible: "
            f"{plausible_range_text(lab.analyte, lab.unit, possible=True)} {lab.unit})"
        )


def _semantic_errors(m: CaseFactsIn, as_of: date | None) -> dict[str, list[str]]:
    err: dict[str, list[str]] = {}

    def add(path: str, msg: str) -> None:
        err.setdefault(path, []).append(msg)

    # Per-entry checks below read ``if late(d): add_late(f"<path>")``: the path and the
    # message are formatted only for an error (most cases have none).
    def late(d: date | None) -> bool:
        return as_of is not None and d is not None and d > as_of

    def add_late(path: str) -> None:
        add(path, f"must not be after {as_of.isoformat() if as_of is not None else ''}")

    def not_future(path: str, d: date | None) -> None:
        if late(d):
            add_late(path)

    def ordered(path: str, start: date | None, stop: date | None) -> None:
        if start is not None and stop is not None and stop < start:
            add(path, "must not be before the start")

    p = m.patient
    not_future("patient.date_of_birth", p.date_of_birth)
    not_future("patient.weight_date", p.weight_date)
    if (
        as_of is not None
        and p.date_of_birth is not None
        and (as_of.year - p.date_of_birth.year > 121)
    ):
        add("patient.date_of_birth", "implies an age above 120")
    not_future("ecog_date", m.ecog_date)
    site = m.primary.site
    if m.primary.castration_status is not None and site not in (None, F.PrimarySite.PROSTATE):
        add("primary.castration_status", "only for prostate cancer")
    pr = m.primary
    for name in ("hormone_receptor_status", "her2_status", "receptor_status"):
        if getattr(pr, name) is not None and site not in (None, F.PrimarySite.BREAST):
            add(f"primary.{name}", "only for breast cancer")
    if pr.receptor_status is not None:
        # Two answers to one question: neither is picked over the other.
        given = [n for n in ("hormone_receptor_status", "her2_status")
                 if getattr(pr, n) is not None]
        if given:
            add("primary.receptor_status", f"the legacy combined status cannot be given with "
                f"{' or '.join(given)}: give hormone_receptor_status and her2_status only")
            for name in given:
                add(f"primary.{name}", "cannot be given with the legacy receptor_status")
    if m.primary.prior_mcrpc_lines is not None and site not in (None, F.PrimarySite.PROSTATE):
        add("primary.prior_mcrpc_lines", "only for prostate cancer")
    n = m.neurology
    not_future("neurology.onset_date", n.onset_date)
    not_future("neurology.paraplegia_onset", n.paraplegia_onset)
    if n.paraplegic is False and (
        n.paraplegia_duration_hours is not None or n.paraplegia_onset is not None
    ):
        add("neurology.paraplegic", "is false but a paraplegia duration or onset is given")
    not_future("dental.last_exam_date", m.dental.last_exam_date)

    ids: set[str] = set()
    for i, les in enumerate(m.lesions):
        base = f"lesions.{i}"
        if les.id in ids:
            add(f"{base}.id", f"duplicate lesion id {les.id!r}")
        ids.add(les.id)
        spinal = les.bone in F.SPINAL_BONES
        long_bone = les.bone in F.LONG_BONES
        if les.vertebral_level is not None:
            if not spinal:
                add(f"{base}.vertebral_level", f"only for a vertebra or the sacrum, not {les.bone}")
            elif les.bone is F.Bone.SACRUM and les.vertebral_level not in F.SACRAL_LEVELS:
                add(f"{base}.vertebral_level", "the sacrum is S1–S5")
        if not spinal:
            for fld in (
                "spinal_pain",
                "alignment",
                "collapse_percent",
                "body_involvement_percent",
                "posterolateral",
                "epidural_extension",
                "escc_grade",
            ):
                if getattr(les, fld) is not None:
                    add(f"{base}.{fld}", f"SINS/spinal finding not allowed on {les.bone}")
        if not long_bone:
            for fld in ("long_bone_segment", "limb_pain", "cortical_involvement"):
                if getattr(les, fld) is not None:
                    add(f"{base}.{fld}", f"long-bone (Mirels) finding not allowed on {les.bone}")
        elif (
            les.long_bone_segment is F.LongBoneSegment.PERITROCHANTERIC
            and les.bone is not F.Bone.FEMUR
        ):
            add(f"{base}.long_bone_segment", "peritrochanteric applies to the femur only")
        if late(les.prior_rt_date):
            add_late(f"{base}.prior_rt_date")

    for i, lab in enumerate(m.labs):
        _check_lab(lab, f"labs.{i}", err)
        if late(lab.taken_at):
            add_late(f"labs.{i}.taken_at")
    if m.baseline_creatinine is not None:
        b = m.baseline_creatinine
        if b.analyte is not F.LabAnalyte.CREATININE:
            add("baseline_creatinine.analyte", "must be creatinine")
        _check_lab(b, "baseline_creatinine", err)
        not_future("baseline_creatinine.taken_at", b.taken_at)
    for i, c in enumerate(m.bone_targeted_agents):
        ordered(f"bone_targeted_agents.{i}.stop", c.start, c.stop)
        if late(c.withheld_since):
            add_late(f"bone_targeted_agents.{i}.withheld_since")
        if c.withheld_since is not None and c.agent is not F.BoneTargetedAgent.ZOLEDRONIC_ACID:
            add(
                f"bone_targeted_agents.{i}.withheld_since",
                "the renal withhold rule is for zoledronic acid",
            )
    for i, t in enumerate(m.systemic_therapies):
        ordered(f"systemic_therapies.{i}.stop", t.start, t.stop)
    for i, r in enumerate(m.radiotherapy_courses):
        ordered(f"radiotherapy_courses.{i}.end", r.start, r.end)
        if r.lesion_id is not None and r.lesion_id not in ids:
            add(f"radiotherapy_courses.{i}.lesion_id", f"no lesion with id {r.lesion_id!r}")
    for i, s in enumerate(m.surgeries):
        if late(s.performed_on):
            add_late(f"surgeries.{i}.performed_on")
        if s.lesion_id is not None and s.lesion_id not in ids:
            add(f"surgeries.{i}.lesion_id", f"no lesion with id {s.lesion_id!r}")
    for i, ri in enumerate(m.radioisotope_courses):
        if late(ri.first_dose):
            add_late(f"radioisotope_courses.{i}.first_dose")
        if late(ri.last_dose):
            add_late(f"radioisotope_courses.{i}.last_dose")
        ordered(f"radioisotope_courses.{i}.last_dose", ri.first_dose, ri.last_dose)
        if ri.agent is F.Radioisotope.RADIUM_223 and ri.doses_given > 6:
            add(
                f"radioisotope_courses.{i}.doses_given",
                "radium-223 is given as at most 6 injections",
            )
    for i, im in enumerate(m.imaging):
        if late(im.performed_on):
            add_late(f"imaging.{i}.performed_on")
    return err


def _record(cls: Callable[..., T], model: BaseModel) -> T:
    """A facts dataclass from its flat input model (same field names, validated values)."""
    return cls(**model.model_dump())


def _primary(m: PrimaryIn) -> F.PrimaryCancer:
    """The primary, the legacy combined receptor status read as the two it stated (the
    semantic checks refuse it beside either of them)."""
    data = m.model_dump(exclude={"receptor_status"})
    if m.receptor_status is not None:
        data["hormone_receptor_status"], data["her2_status"] = LEGACY_RECEPTORS[
            m.receptor_status]
    return F.PrimaryCancer(**data)


def _to_facts(m: CaseFactsIn) -> F.CaseFacts:
    return F.CaseFacts(
        patient=_record(F.Patient, m.patient),
        primary=_primary(m.primary),
        extraskeletal=_record(F.ExtraSkeletalDisease, m.extraskeletal),
        bone_disease_extent=m.bone_disease_extent,
        ecog=m.ecog,
        ecog_date=m.ecog_date,
        expected_survival=m.expected_survival,
        pain=_record(F.Pain, m.pain),
        neurology=_record(F.Neurology, m.neurology),
        dental=_record(F.DentalStatus, m.dental),
        co_medication=_record(F.CoMedication, m.co_medication),
        lesions=tuple(_record(F.Lesion, x) for x in m.lesions),
        labs=tuple(_record(F.LabResult, x) for x in m.labs),
        baseline_creatinine=_record(F.LabResult, m.baseline_creatinine)
        if m.baseline_creatinine
        else None,
        bone_targeted_agents=tuple(
            _record(F.BoneTargetedAgentCourse, x) for x in m.bone_targeted_agents
        ),
        systemic_therapies=tuple(_record(F.SystemicTherapy, x) for x in m.systemic_therapies),
        radiotherapy_courses=tuple(
            _record(F.RadiotherapyCourse, x) for x in m.radiotherapy_courses
        ),
        surgeries=tuple(_record(F.Surgery, x) for x in m.surgeries),
        radioisotope_courses=tuple(
            _record(F.RadioisotopeCourse, x) for x in m.radioisotope_courses
        ),
        imaging=tuple(_record(F.ImagingStudy, x) for x in m.imaging),
    )


def facts_from_json(data: dict[str, Any], *, as_of: date | None = None) -> F.CaseFacts:
    """Validate case-facts JSON (already parsed) and build ``CaseFacts``.

    With ``as_of``, observation dates after it (labs, weight, ECOG, onset, imaging, given
    doses …) are refused; planned course dates may lie ahead. Raises
    ``FactsValidationError``.
    """
    try:
        model = CaseFactsIn.model_validate(data)
    except ValidationError as exc:
        errors: dict[str, list[str]] = {}
        for e in exc.errors(include_url=False):
            path = ".".join(str(x) for x in e["loc"]) or "$"
            errors.setdefault(path, []).append(e["msg"])
        raise FactsValidationError(errors) from None
    sem = _semantic_errors(model, as_of)
    if sem:
        raise FactsValidationError(sem)
    return _to_facts(_without_implausible_labs(model))


def _without_implausible_labs(m: CaseFactsIn) -> CaseFactsIn:
    """The facts without an implausible baseline creatinine (``cases.plausibility``):
    possible but not to be computed from, so BTA-04 asks for the baseline again. Labs
    stay: the context reports an implausible latest result by its value and date
    (``context._lab_status``) and computes nothing from it, as the record does."""
    b = m.baseline_creatinine
    if b is None or lab_usable(b.analyte, b.unit, b.value):
        return m
    return m.model_copy(update={"baseline_creatinine": None})


def _jsonable(value: Any) -> Any:
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    if is_dataclass(value) and not isinstance(value, type):
        return {name: _jsonable(getattr(value, name)) for name in _field_names(type(value))}
    return value


@cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def facts_to_json(facts: F.CaseFacts) -> dict[str, Any]:
    """Case facts as the JSON ``facts_from_json`` accepts (round-trips exactly): what
    the Django side stores with each draft, so any stored draft can be re-evaluated
    through the stateless entry points."""
    data: dict[str, Any] = _jsonable(facts)
    data["schema_version"] = SCHEMA_VERSION
    return data


def case_facts_json_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of the case-facts JSON accepted by ``facts_from_json``."""
    schema = CaseFactsIn.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://boardsite.invalid/schemas/case-facts-v1.json"
    return schema


# ------------------------------------------------------------------ plan → JSON


def _source(s: Source) -> dict[str, Any]:
    return {
        "primary": s.primary,
        "document": s.document,
        "evidence": str(s.evidence),
        "secondary": s.secondary,
    }


def _component(c: ScoreComponent) -> dict[str, Any]:
    return {
        "name": c.name,
        "rule_id": c.rule_id,
        "field": c.field,
        "finding": c.finding,
        "min_points": c.min_points,
        "max_points": c.max_points,
        "points": c.points,
        "status": str(c.status),
        "note": c.note,
    }


def _category(category: StrEnum | None) -> str | None:
    return str(category) if category is not None else None


def _sins(s: SinsResult) -> dict[str, Any]:
    return {
        "lesion_id": s.lesion_id,
        "level": _category(s.level),
        "total": s.total,
        "total_min": s.total_min,
        "total_max": s.total_max,
        "category": _category(s.category),
        "category_min": str(s.category_min),
        "category_max": str(s.category_max),
        "missing": list(s.missing),
        "undefined": list(s.undefined),
        "components": [_component(c) for c in s.components],
        "rule_ids": list(s.rule_ids),
        "text": s.describe(),
    }


def _mirels(m: MirelsResult) -> dict[str, Any]:
    return {
        "lesion_id": m.lesion_id,
        "total": m.total,
        "total_min": m.total_min,
        "total_max": m.total_max,
        "category": _category(m.category),
        "missing": list(m.missing),
        "components": [_component(c) for c in m.components],
        "rule_ids": list(m.rule_ids),
        "text": m.describe(),
    }


def _crcl(c: CreatinineClearance | None) -> dict[str, Any] | None:
    if c is None:
        return None
    cr = c.creatinine
    return {
        "value_ml_min": c.value_ml_min,
        "age_years": c.age_years,
        "weight_kg": c.weight_kg,
        "sex": str(c.sex) if c.sex else None,
        "creatinine": None
        if cr is None
        else {
            "value": cr.value,
            "unit": str(cr.unit) if cr.unit else None,
            "taken_at": cr.taken_at.isoformat(),
        },
        "creatinine_mg_dl": c.creatinine_mg_dl,
        "missing": list(c.missing),
        "rule_ids": list(c.rule_ids),
        "text": c.describe(),
    }


def _band(b: ZoledronicDoseBand | None) -> dict[str, Any] | None:
    if b is None:
        return None
    return {
        "crcl_ml_min": b.crcl_ml_min,
        "band": b.band,
        "dose_mg": b.dose_mg,
        "recommended": b.recommended,
        "between_bands": b.between_bands,
        "explanation": b.explanation,
        "rule_ids": list(b.rule_ids),
    }


def _renal(r: RenalCheck | None) -> dict[str, Any] | None:
    if r is None:
        return None
    return {
        "baseline_mg_dl": r.baseline_mg_dl,
        "latest_mg_dl": r.latest_mg_dl,
        "baseline_normal": r.baseline_normal,
        "rise_mg_dl": r.rise_mg_dl,
        "withhold_threshold_mg_dl": r.withhold_threshold_mg_dl,
        "resume_limit_mg_dl": r.resume_limit_mg_dl,
        "action": str(r.action),
        "explanation": r.explanation,
        "rule_ids": list(r.rule_ids),
    }


# An entry's section, title, severity, rule ID and sources are its code's catalogue
# entry (``meta``), read once per entry.


def _item(i: PlanItem) -> dict[str, Any]:
    m = i.meta
    return {
        "code": i.code,
        "section": str(m.section),
        "title": m.title,
        "detail": dict(sorted(i.detail.items())),
        "rationale": i.rationale,
        "urgency": str(i.urgency),
        "rule_id": m.rule_id,
        "lesion_id": i.lesion_id,
        "sources": [_source(s) for s in m.sources],
    }


def _flag(f: Flag) -> dict[str, Any]:
    m = f.meta
    return {
        "code": f.code,
        "section": str(m.section),
        "severity": str(m.severity),
        "message": f.message,
        "rule_id": m.rule_id,
        "lesion_id": f.lesion_id,
        "sources": [_source(s) for s in m.sources],
    }


def _note(n: BoardNote) -> dict[str, Any]:
    m = n.meta
    return {
        "code": n.code,
        "section": str(m.section),
        "message": n.message,
        "rule_id": m.rule_id,
        "sources": [_source(s) for s in m.sources],
    }


def _missing(m: MissingData) -> dict[str, Any]:
    return {
        "field": m.field,
        "why": m.why,
        "rule_id": m.rule_id,
        "rule_ids": list(m.rule_ids),
        "supplied_by": str(m.supplied_by),
        "lesion_id": m.lesion_id,
    }


def _specialty(r: RequiredSpecialty) -> dict[str, Any]:
    return {
        "specialty": str(r.specialty),
        "reasons": list(r.reasons),
        "rule_id": r.rule_id,
        "provisional": r.provisional,
    }


def plan_to_json(plan: DraftPlan) -> dict[str, Any]:
    """JSON-safe dict with a fixed key order (``json.dumps`` of it is byte-stable)."""
    return {
        "engine_version": plan.engine_version,
        "as_of": plan.as_of.isoformat(),
        "urgency": str(plan.urgency),
        "scores": {
            "sins": [_sins(s) for s in plan.sins],
            "mirels": [_mirels(m) for m in plan.mirels],
            "creatinine_clearance": _crcl(plan.creatinine_clearance),
            "baseline_creatinine_clearance": _crcl(plan.baseline_creatinine_clearance),
            "zoledronic_dose": _band(plan.zoledronic_dose),
            "renal_check": _renal(plan.renal_check),
        },
        "items": [_item(i) for i in plan.items],
        "flags": [_flag(f) for f in plan.flags],
        "notes": [_note(n) for n in plan.notes],
        "missing_data": [_missing(m) for m in plan.missing_data],
        "required_specialties": [_specialty(r) for r in plan.required_specialties],
    }


def catalogue_to_json() -> list[dict[str, Any]]:
    """The rules catalogue for the API and the rules page, in evaluation order."""
    return [
        {
            "id": r.id,
            "section": str(r.section),
            "title": r.title,
            "checks": r.checks,
            "sources": [_source(s) for s in r.sources],
            "codes": [
                {
                    "code": c.code,
                    "kind": str(c.kind),
                    "title": c.title,
                    "meaning": c.meaning,
                    "severity": str(c.severity) if c.severity else None,
                    "detail_keys": list(c.detail_keys),
                    "sources": [_source(s) for s in (c.sources or r.sources)],
                }
                for c in r.codes
            ],
        }
        for r in RULES
    ]
