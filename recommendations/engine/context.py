"""Evaluation context: the facts plus everything derived from them once per evaluation.

Derived here: age at ``as_of``, the latest lab of each analyte on or before ``as_of``
(and whether it is fresh enough to use), SINS and Mirels per lesion, creatinine
clearances, what is active or planned. Windows below are the engine's documented
choices; a value older than its window is reported as stale, never used silently.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import TypeVar

from cases.plausibility import lab_usable, plausible_range_text

from .common import day_count, view
from .facts import (
    ANALYTE_UNITS,
    BoneTargetedAgent,
    BoneTargetedAgentCourse,
    CaseFacts,
    LabAnalyte,
    LabResult,
    LabUnit,
    Lesion,
    LimbPain,
    RadiotherapyTechnique,
    SpinalPain,
    Surgery,
    SystemicTherapyKind,
    unit_words,
)
from .scores import (
    CreatinineClearance,
    MirelsResult,
    RenalCheck,
    SinsResult,
    UnitError,
    ZoledronicDoseBand,
    cockcroft_gault,
    creatinine_mg_dl,
    mirels_score,
    sins_score,
    zoledronic_dose_band,
    zoledronic_renal_check,
)

#: How old a lab may be (days before ``as_of``) and still be used. Creatinine and
#: calcium: a month, so a dose band or a denosumab start rests on a current value (the
#: per-dose checks are separate reminders, BTA-04/BTA-06). Blood counts: two weeks,
#: because radium-223 and Sr/Sm eligibility (RAD-03/05) must reflect current marrow.
LAB_MAX_AGE_DAYS: dict[LabAnalyte, int] = {
    LabAnalyte.CREATININE: 30,
    LabAnalyte.CALCIUM: 30,
    LabAnalyte.CALCIUM_TOTAL: 30,
    LabAnalyte.CALCIUM_IONISED: 30,
    LabAnalyte.ALBUMIN: 30,
    LabAnalyte.HAEMOGLOBIN: 14,
    LabAnalyte.ANC: 14,
    LabAnalyte.PLATELETS: 14,
    LabAnalyte.WBC: 14,
    LabAnalyte.ALP: 90,
    LabAnalyte.NTX: 90,
    LabAnalyte.PSA: 90,
    LabAnalyte.VITAMIN_D: 180,
}
#: Body weight for Cockcroft–Gault and the radium-223 activity (RAD-02).
WEIGHT_MAX_AGE_DAYS = 90
#: Performance status drifts quickly in metastatic disease; older ECOG is re-asked.
ECOG_MAX_AGE_DAYS = 60
#: An imaging study counts as "on record" for IMG-01 if this recent.
IMAGING_RECENT_DAYS = 90
#: A dental examination this recent is shown as recent (BTA-08 still asks for it).
DENTAL_EXAM_RECENT_DAYS = 183
#: Cumulative BTA exposure counted as "long-term" for AFF (BTA-09) and ONJ (BTA-08).
LONG_TERM_BTA_DAYS = 730
#: Bone-scan flare window after starting treatment (IMG-02: ~12 weeks).
FLARE_WINDOW_DAYS = 84
#: Adjusted calcium below this is treated as hypocalcaemia to correct before denosumab
#: (BTA-06). The label gives no number; 2.10 mmol/L is a common lower reference limit.
HYPOCALCAEMIA_BELOW_MMOL_L = 2.10
CALCIUM_MG_DL_PER_MMOL_L = 4.008

BTA_AGENTS = frozenset(BoneTargetedAgent)

T = TypeVar("T")


def age_on(dob: date, on: date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


@view
class LabStatus:
    """The latest result on or before ``as_of`` and whether it may be used."""

    analyte: LabAnalyte
    latest: LabResult | None
    #: The value in the canonical unit (mg/dL creatinine, mmol/L calcium, g/dL Hb,
    #: ×10⁹/L counts) when ``latest`` is fresh and has a valid unit.
    value: float | None
    #: Why ``value`` is ``None``: "absent", "stale …", "unit …".
    problem: str | None

    @property
    def usable(self) -> bool:
        return self.value is not None


#: Conversions to the canonical unit, by analyte then unit; every other allowed unit
#: (``ANALYTE_UNITS``) is the canonical one already.
_CONVERSIONS: dict[LabAnalyte, dict[LabUnit, Callable[[float], float]]] = {
    LabAnalyte.CREATININE: {
        LabUnit.MG_DL: lambda v: creatinine_mg_dl(v, LabUnit.MG_DL),
        LabUnit.UMOL_L: lambda v: creatinine_mg_dl(v, LabUnit.UMOL_L),
    },
    LabAnalyte.CALCIUM: {LabUnit.MG_DL: lambda v: round(v / CALCIUM_MG_DL_PER_MMOL_L, 4)},
    LabAnalyte.CALCIUM_TOTAL: {LabUnit.MG_DL: lambda v: round(v / CALCIUM_MG_DL_PER_MMOL_L, 4)},
    LabAnalyte.CALCIUM_IONISED: {
        LabUnit.MG_DL: lambda v: round(v / CALCIUM_MG_DL_PER_MMOL_L, 4)
    },
    LabAnalyte.HAEMOGLOBIN: {LabUnit.G_L: lambda v: v / 10},
    LabAnalyte.ALBUMIN: {LabUnit.G_DL: lambda v: v * 10},
    LabAnalyte.VITAMIN_D: {LabUnit.NG_ML: lambda v: v * 2.496},
}


#: An analyte without a result: one status per analyte, shared by every evaluation
#: (most cases record a handful of the eleven analytes); read-only like every ``@view``.
_ABSENT: dict[LabAnalyte, LabStatus] = {a: LabStatus(a, None, None, "absent") for a in LabAnalyte}


def _lab_status(analyte: LabAnalyte, latest: LabResult | None, as_of: date) -> LabStatus:
    if latest is None:
        return _ABSENT[analyte]
    if latest.unit is None or latest.unit not in ANALYTE_UNITS[analyte]:
        allowed = " or ".join(ANALYTE_UNITS[analyte])
        return LabStatus(
            analyte,
            latest,
            None,
            f"unit {latest.unit or 'not stated'} on {latest.taken_at.isoformat()} "
            f"(must be {allowed}; never guessed)",
        )
    age = (as_of - latest.taken_at).days
    limit = LAB_MAX_AGE_DAYS[analyte]
    if age > limit:
        return LabStatus(
            analyte,
            latest,
            None,
            f"stale: taken {latest.taken_at.isoformat()}, "
            f"{day_count(latest.taken_at, as_of)} (older than the {limit}-day window)",
        )
    if not lab_usable(analyte.value, latest.unit.value, latest.value):
        # Stored (the record flags it) but never computed from: the reason names the value,
        # so the board reads "recheck 15 µmol/L", not a creatinine that seems never taken.
        range_text = plausible_range_text(analyte.value, latest.unit.value)
        return LabStatus(
            analyte,
            latest,
            None,
            f"implausible: {latest.as_recorded()} taken {latest.taken_at.isoformat()} is "
            f"outside the plausible {range_text} {unit_words(latest.unit)}; recheck before "
            "anything is computed from it",
        )
    if latest.value <= 0 and analyte is LabAnalyte.CREATININE:
        return LabStatus(analyte, latest, None, "invalid: creatinine must be > 0")
    convert = _CONVERSIONS.get(analyte, {}).get(latest.unit)
    value = latest.value if convert is None else convert(latest.value)
    return LabStatus(analyte, latest, value, None)


@view
class PriorRt:
    end: date | None
    dose_gy: float | None
    fractions: int | None
    technique: RadiotherapyTechnique | None
    #: A recorded course that started and has no end date yet.
    ongoing: bool = False

    def describe(self) -> str:
        dose = f"{self.dose_gy:g} Gy" if self.dose_gy is not None else "dose unknown"
        fr = f"/{self.fractions}" if self.fractions is not None else ""
        when = self.end.isoformat() if self.end else ("ongoing" if self.ongoing else "date unknown")
        tech = f" {self.technique}" if self.technique else ""
        return f"{dose}{fr}{tech} ({when})"


@view
class LesionView:
    index: int
    lesion: Lesion
    name: str
    painful: bool | None
    sins: SinsResult | None
    mirels: MirelsResult | None
    prior_rt: tuple[PriorRt, ...]
    #: A recorded RT course for this lesion that is planned (start after ``as_of``).
    rt_planned: bool
    surgeries: tuple[Surgery, ...]

    @property
    def id(self) -> str:
        return self.lesion.id

    @property
    def is_spinal(self) -> bool:
        return self.lesion.is_spinal

    def path(self, field: str) -> str:
        return f"lesions.{self.index}.{field}"


def _lesion_name(lesion: Lesion) -> str:
    if lesion.label:
        return lesion.label
    if lesion.vertebral_level is not None:
        return str(lesion.vertebral_level)
    parts = (lesion.laterality, lesion.long_bone_segment, lesion.bone)
    return " ".join(str(p) for p in parts if p)


#: Mirels has no "no pain" grade; any recorded limb pain grade is pain.
_PAINFUL_LIMB = frozenset({LimbPain.MILD, LimbPain.MODERATE, LimbPain.FUNCTIONAL})


def _painful(lesion: Lesion) -> bool | None:
    if lesion.painful is not None:
        return lesion.painful
    if lesion.spinal_pain is not None:
        return lesion.spinal_pain is not SpinalPain.NONE
    if lesion.limb_pain is not None:
        return lesion.limb_pain in _PAINFUL_LIMB
    return None


def _bta_active(c: BoneTargetedAgentCourse, as_of: date) -> bool:
    return c.start is not None and c.start <= as_of and (c.stop is None or c.stop > as_of)


def _bta_planned(c: BoneTargetedAgentCourse, as_of: date) -> bool:
    return (c.start is None or c.start > as_of) and (c.stop is None or c.stop > as_of)


@view
class Context:
    facts: CaseFacts
    as_of: date
    age_years: int | None
    weight_kg: float | None
    weight_problem: str | None
    ecog: int | None
    ecog_problem: str | None
    lesions: tuple[LesionView, ...]
    labs: dict[LabAnalyte, LabStatus]
    #: The spinal lesions (vertebra, sacrum; those with a SINS), in input order.
    spinal_lesions: tuple[LesionView, ...]
    #: The long-bone lesions (those with a Mirels score), in input order.
    long_bone_lesions: tuple[LesionView, ...]
    #: Their scores, in the same order (the plan lists them).
    sins: tuple[SinsResult, ...]
    mirels: tuple[MirelsResult, ...]
    #: Spinal lesions with epidural extension: the compression sites under MSCC.
    compression_ids: tuple[str, ...]
    #: Lesions at one level with contradictory fracture facts (ASSESS-02), by level.
    inconsistent_levels: tuple[tuple[LesionView, ...], ...]
    #: Suspected or imaged metastatic spinal cord compression (MSCC-01..03).
    mscc: bool
    #: Symptomatic bone disease: any painful lesion or reported pain.
    symptomatic: bool | None
    bta_active: tuple[BoneTargetedAgentCourse, ...]
    bta_planned: tuple[BoneTargetedAgentCourse, ...]
    bta_exposure_days: int
    #: Systemic therapy kinds active now or planned.
    therapy_kinds: frozenset[SystemicTherapyKind]
    #: Latest start of a systemic therapy, BTA or radioisotope on or before ``as_of``.
    last_treatment_start: date | None
    crcl: CreatinineClearance | None
    crcl_problem: str | None
    zol_baseline: CreatinineClearance | None
    zol_baseline_problem: str | None
    zol_band: ZoledronicDoseBand | None
    renal_check: RenalCheck | None
    #: The running zoledronic acid course, if any.
    zol_course: BoneTargetedAgentCourse | None
    #: The baseline clearance band says no zoledronic acid (CrCl < 30, BTA-07).
    zol_contraindicated: bool
    zol_active: bool
    zol_planned: bool
    dmab_active: bool
    dmab_planned: bool

    def lab(self, analyte: LabAnalyte) -> LabStatus:
        return self.labs[analyte]

    def course(self, agent: BoneTargetedAgent) -> BoneTargetedAgentCourse | None:
        return next((c for c in self.bta_active if c.agent is agent), None)

    def spinal(self) -> tuple[LesionView, ...]:
        return self.spinal_lesions


def _latest_labs(facts: CaseFacts, as_of: date) -> dict[LabAnalyte, LabStatus]:
    """Per analyte (in ``LabAnalyte`` order), the latest result on or before ``as_of``;
    of two on the same day, the later one recorded."""
    latest: dict[LabAnalyte, LabResult] = {}
    for lab in facts.labs:
        cur = latest.get(lab.analyte)
        if lab.taken_at <= as_of and (cur is None or lab.taken_at >= cur.taken_at):
            latest[lab.analyte] = lab
    return {a: _lab_status(a, latest.get(a), as_of) for a in LabAnalyte}


def _baseline_clearance(
    facts: CaseFacts,
    as_of: date,
    zol_active: bool,
    weight: float | None,
    crcl: CreatinineClearance | None,
    crcl_problem: str | None,
) -> tuple[CreatinineClearance | None, str | None]:
    """BTA-03 doses by the *baseline* clearance: the pre-first-dose creatinine when
    zoledronic acid is running, otherwise today's (latest fresh) creatinine."""
    if not zol_active:
        return crcl, crcl_problem
    base = facts.baseline_creatinine
    if base is None or base.taken_at > as_of:
        return None, "baseline creatinine (before the first zoledronic acid dose) not recorded"
    p = facts.patient
    age = age_on(p.date_of_birth, base.taken_at) if p.date_of_birth else p.age_years
    try:
        return cockcroft_gault(age_years=age, weight_kg=weight, sex=p.sex, creatinine=base), None
    except UnitError as exc:
        return None, f"baseline creatinine {exc}"
    except ValueError as exc:
        return None, f"baseline creatinine invalid: {exc}"


def _fresh(
    value: T | None, recorded: date | None, as_of: date, window: int
) -> tuple[T | None, str | None]:
    """A value with its recording date, dropped (and why) when older than ``window`` days."""
    if value is None:
        return None, "absent"
    if recorded is not None and (as_of - recorded).days > window:
        return None, (
            f"stale: recorded {recorded.isoformat()}, {day_count(recorded, as_of)} "
            f"(older than the {window}-day window)"
        )
    return value, None


def _radiotherapy_by_lesion(
    facts: CaseFacts, as_of: date
) -> tuple[dict[str, list[PriorRt]], set[str]]:
    """Recorded RT courses per lesion (given or running), and the lesions with one planned."""
    given: dict[str, list[PriorRt]] = {}
    planned: set[str] = set()
    for c in facts.radiotherapy_courses:
        if c.lesion_id is None:
            continue
        if (c.start is not None and c.start > as_of) or (c.start is None and c.end is None):
            planned.add(c.lesion_id)
        elif c.end is not None and c.end > as_of:  # running; its end date lies ahead
            given.setdefault(c.lesion_id, []).append(
                PriorRt(None, c.dose_gy, c.fractions, c.technique, ongoing=True)
            )
        else:
            given.setdefault(c.lesion_id, []).append(
                PriorRt(c.end, c.dose_gy, c.fractions, c.technique, ongoing=c.end is None)
            )
    return given, planned


def _prior_rt(lesion: Lesion, courses: list[PriorRt], as_of: date) -> tuple[PriorRt, ...]:
    """RT given to the site: the lesion's own record, then the recorded courses; most
    recent first, unknown dates first so they are never mistaken for old RT."""
    recorded = lesion.prior_rt_date is not None or lesion.prior_rt_dose_gy is not None
    given = recorded and (lesion.prior_rt_date is None or lesion.prior_rt_date <= as_of)
    if not given:
        runs = courses
    else:
        own = PriorRt(
            lesion.prior_rt_date,
            lesion.prior_rt_dose_gy,
            lesion.prior_rt_fractions,
            lesion.prior_rt_technique,
        )
        runs = [own, *courses]
    return tuple(
        sorted(runs, key=lambda r: (r.end is not None, -(r.end.toordinal() if r.end else 0)))
    )


def _lesion_views(facts: CaseFacts, as_of: date) -> tuple[LesionView, ...]:
    rt_given, rt_planned = _radiotherapy_by_lesion(facts, as_of)
    surgeries: dict[str | None, list[Surgery]] = {}
    for s in facts.surgeries:
        surgeries.setdefault(s.lesion_id, []).append(s)
    return tuple(
        LesionView(
            index=i,
            lesion=lesion,
            name=_lesion_name(lesion),
            painful=_painful(lesion),
            sins=sins_score(lesion) if lesion.is_spinal else None,
            mirels=mirels_score(lesion) if lesion.is_long_bone else None,
            prior_rt=_prior_rt(lesion, rt_given.get(lesion.id, []), as_of),
            rt_planned=lesion.id in rt_planned,
            surgeries=tuple(surgeries.get(lesion.id, ())),
        )
        for i, lesion in enumerate(facts.lesions)
    )


def _inconsistent_levels(views: tuple[LesionView, ...]) -> tuple[tuple[LesionView, ...], ...]:
    """Groups of lesions recorded at the same vertebral level of the same bone whose
    fracture facts contradict each other (one fractured, one not): ASSESS-02 flags them
    and the reconciliation drafts only emergency items for them."""
    by_level: dict[tuple[str, str], list[LesionView]] = {}
    for v in views:
        level = v.lesion.vertebral_level
        if level is not None:
            by_level.setdefault((str(v.lesion.bone), str(level)), []).append(v)
    return tuple(
        tuple(group)
        for group in by_level.values()
        if len(group) > 1 and {g.lesion.pathological_fracture for g in group} >= {True, False}
    )


def _symptomatic(facts: CaseFacts, views: tuple[LesionView, ...]) -> bool | None:
    """Symptomatic bone disease (RAD-01): any painful lesion or reported pain."""
    pain = facts.pain
    if (
        any(v.painful for v in views)
        or (pain.worst_nrs is not None and pain.worst_nrs > 0)
        or pain.uncontrolled is True
    ):
        return True
    if pain.worst_nrs == 0 or (
        views and all(v.painful is False for v in views) and pain.worst_nrs is None
    ):
        return False
    return None


def _bta_exposure_days(facts: CaseFacts, as_of: date) -> int:
    """Cumulative days on any bone-targeted agent up to ``as_of`` (BTA-08, BTA-09)."""
    return sum(
        max(0, ((min(c.stop, as_of) if c.stop is not None else as_of) - c.start).days)
        for c in facts.bone_targeted_agents
        if c.start is not None and c.start <= as_of
    )


def _therapy_kinds(facts: CaseFacts, as_of: date) -> frozenset[SystemicTherapyKind]:
    """Systemic therapy kinds running on ``as_of`` or planned."""
    return frozenset(
        t.kind
        for t in facts.systemic_therapies
        if t.planned
        or ((t.start is None or t.start <= as_of) and (t.stop is None or t.stop >= as_of))
    )


def _last_treatment_start(facts: CaseFacts, as_of: date) -> date | None:
    """Latest start of a systemic therapy, BTA or radioisotope (IMG-02 flare window)."""
    starts = [
        *(c.start for c in facts.bone_targeted_agents),
        *(t.start for t in facts.systemic_therapies),
        *(r.first_dose for r in facts.radioisotope_courses),
    ]
    return max((d for d in starts if d is not None and d <= as_of), default=None)


def _clearance(
    age: int | None, weight: float | None, facts: CaseFacts, creatinine: LabStatus
) -> tuple[CreatinineClearance | None, str | None]:
    """CRCL-01: Cockcroft–Gault from the latest fresh creatinine, or why there is none."""
    if not creatinine.usable:
        return None, f"creatinine {creatinine.problem}"
    try:
        return cockcroft_gault(
            age_years=age, weight_kg=weight, sex=facts.patient.sex, creatinine=creatinine.latest
        ), None
    except ValueError as exc:  # UnitError included; _lab_status already screens
        return None, str(exc)


def build_context(facts: CaseFacts, as_of: date) -> Context:
    p = facts.patient
    age = age_on(p.date_of_birth, as_of) if p.date_of_birth else p.age_years
    weight, weight_problem = _fresh(p.weight_kg, p.weight_date, as_of, WEIGHT_MAX_AGE_DAYS)
    ecog, ecog_problem = _fresh(facts.ecog, facts.ecog_date, as_of, ECOG_MAX_AGE_DAYS)
    views = _lesion_views(facts, as_of)
    spinal = tuple(v for v in views if v.sins is not None)
    long_bone = tuple(v for v in views if v.mirels is not None)
    labs = _latest_labs(facts, as_of)
    n = facts.neurology

    bta_active = tuple(c for c in facts.bone_targeted_agents if _bta_active(c, as_of))
    bta_planned = tuple(c for c in facts.bone_targeted_agents if _bta_planned(c, as_of))
    zol_course = next((c for c in bta_active if c.agent is BoneTargetedAgent.ZOLEDRONIC_ACID), None)
    zol_active = zol_course is not None

    crcl, crcl_problem = _clearance(age, weight, facts, labs[LabAnalyte.CREATININE])
    zol_baseline, zol_problem = _baseline_clearance(
        facts, as_of, zol_active, weight, crcl, crcl_problem
    )
    band = (
        zoledronic_dose_band(zol_baseline.value_ml_min)
        if zol_baseline is not None and zol_baseline.value_ml_min is not None
        else None
    )
    latest_creatinine = labs[LabAnalyte.CREATININE].value
    renal: RenalCheck | None = None
    if (
        zol_course is not None
        and zol_baseline is not None
        and zol_baseline.creatinine_mg_dl is not None
        and latest_creatinine is not None
    ):
        base_lab, latest_lab = facts.baseline_creatinine, labs[LabAnalyte.CREATININE].latest
        renal = zoledronic_renal_check(
            baseline_mg_dl=zol_baseline.creatinine_mg_dl,
            latest_mg_dl=latest_creatinine,
            recorded=(base_lab, latest_lab)
            if base_lab is not None and latest_lab is not None
            else None,
            withheld=any(
                c.withheld_since is not None
                for c in bta_active
                if c.agent is BoneTargetedAgent.ZOLEDRONIC_ACID
            ),
        )

    return Context(
        facts=facts,
        as_of=as_of,
        age_years=age,
        weight_kg=weight,
        weight_problem=weight_problem,
        ecog=ecog,
        ecog_problem=ecog_problem,
        lesions=views,
        labs=labs,
        spinal_lesions=spinal,
        long_bone_lesions=long_bone,
        sins=tuple(v.sins for v in spinal if v.sins is not None),
        mirels=tuple(v.mirels for v in long_bone if v.mirels is not None),
        compression_ids=tuple(v.id for v in spinal if v.lesion.epidural_extension is True),
        inconsistent_levels=_inconsistent_levels(views),
        # Suspected compression that imaging has since excluded is no longer MSCC: no MRI
        # "within 24 h", dexamethasone or cord-compression RT for a scan already negative.
        mscc=n.cord_compression_on_imaging is True or (
            n.suspected_cord_compression is True and n.cord_compression_on_imaging is not False),
        symptomatic=_symptomatic(facts, views),
        bta_active=bta_active,
        bta_planned=bta_planned,
        bta_exposure_days=_bta_exposure_days(facts, as_of),
        therapy_kinds=_therapy_kinds(facts, as_of),
        last_treatment_start=_last_treatment_start(facts, as_of),
        crcl=crcl,
        crcl_problem=crcl_problem,
        zol_baseline=zol_baseline,
        zol_baseline_problem=zol_problem,
        zol_band=band,
        renal_check=renal,
        zol_course=zol_course,
        zol_contraindicated=band is not None and not band.recommended,
        zol_active=zol_active,
        zol_planned=any(c.agent is BoneTargetedAgent.ZOLEDRONIC_ACID for c in bta_planned),
        dmab_active=any(c.agent is BoneTargetedAgent.DENOSUMAB for c in bta_active),
        dmab_planned=any(c.agent is BoneTargetedAgent.DENOSUMAB for c in bta_planned),
    )


def days_between(a: date, b: date) -> int:
    return (b - a).days


def add_months(d: date, months: int) -> date:
    """Calendar months, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb)."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    last = (nxt - timedelta(days=1)).day
    return date(year, month, min(d.day, last))
