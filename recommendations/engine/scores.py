"""Scores: SINS (spine), Mirels (long bones), Cockcroft–Gault and zoledronic acid dosing.

Each function takes raw findings and returns a result with its components, the total
(or the min–max range when findings are missing), the category, the missing components
and the rule IDs it applied. Nothing here reads a clock or guesses a value.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, lru_cache

from .facts import (
    UPPER_LIMB_BONES,
    Alignment,
    Bone,
    CorticalInvolvement,
    LabAnalyte,
    LabResult,
    LabUnit,
    Lesion,
    LesionType,
    LimbPain,
    LongBoneSegment,
    PosterolateralInvolvement,
    Sex,
    SpinalPain,
    VertebralLevel,
)

#: 1 mg/dL creatinine = 88.4 µmol/L (rules reference §1 "Renal function").
UMOL_PER_MG_DL = 88.4


class ComponentStatus(StrEnum):
    KNOWN = "known"
    MISSING = "missing"
    #: The finding is known but the score does not define its points (SINS: exactly
    #: 50 % collapse).
    UNDEFINED = "undefined"


@dataclass(frozen=True, slots=True)
class ScoreComponent:
    name: str
    rule_id: str
    #: The lesion field(s) the component reads.
    field: str
    finding: str
    min_points: int
    max_points: int
    status: ComponentStatus
    note: str | None = None
    #: ``describe()``'s words, worked out once: the factories below are cached, so one
    #: component serves every lesion with its finding, and each SINS / Mirels quotes it.
    text: str = dataclasses.field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        pts = (
            str(self.min_points)
            if self.min_points == self.max_points
            else f"{self.min_points}–{self.max_points}"
        )
        object.__setattr__(self, "text", f"{self.finding} {pts}")  # frozen: the documented way

    @property
    def points(self) -> int | None:
        return self.min_points if self.min_points == self.max_points else None

    def describe(self) -> str:
        return self.text


def _known(name: str, rule_id: str, fld: str, finding: str, pts: int) -> ScoreComponent:
    return ScoreComponent(name, rule_id, fld, finding, pts, pts, ComponentStatus.KNOWN)


def _missing(name: str, rule_id: str, fld: str, lo: int, hi: int) -> ScoreComponent:
    return ScoreComponent(name, rule_id, fld, f"{name} unknown", lo, hi, ComponentStatus.MISSING)


def _total_text(lo: int, hi: int) -> str:
    return str(lo) if lo == hi else f"{lo}–{hi}"


# --------------------------------------------------------------------------- SINS


class SinsCategory(StrEnum):
    STABLE = "stable"
    POTENTIALLY_UNSTABLE = "potentially_unstable"
    UNSTABLE = "unstable"


def sins_category(total: int) -> SinsCategory:
    """SINS-07: 0–6 stable, 7–12 indeterminate (potentially unstable), 13–18 unstable."""
    if total <= 6:
        return SinsCategory.STABLE
    if total <= 12:
        return SinsCategory.POTENTIALLY_UNSTABLE
    return SinsCategory.UNSTABLE


_LEVELS = list(VertebralLevel)  # C1 … S5, in anatomical order


def _between(level: VertebralLevel, first: VertebralLevel, last: VertebralLevel) -> bool:
    return _LEVELS.index(first) <= _LEVELS.index(level) <= _LEVELS.index(last)


def sins_location(level: VertebralLevel) -> tuple[str, int]:
    """SINS-01, derived from the level so nobody classifies "junctional" by hand."""
    v = VertebralLevel
    if (
        _between(level, v.C1, v.C2)
        or _between(level, v.C7, v.T2)
        or _between(level, v.T11, v.L1)
        or _between(level, v.L5, v.S1)
    ):
        return "junctional", 3
    if _between(level, v.C3, v.C6) or _between(level, v.L2, v.L4):
        return "mobile", 2
    if _between(level, v.T3, v.T10):
        return "semi-rigid", 1
    return "rigid", 0


_SINS_PAIN = {SpinalPain.MECHANICAL: 3, SpinalPain.OCCASIONAL: 1, SpinalPain.NONE: 0}
_SINS_PAIN_TEXT = {
    SpinalPain.MECHANICAL: "mechanical pain",
    SpinalPain.OCCASIONAL: "occasional non-mechanical pain",
    SpinalPain.NONE: "pain-free",
}
_SINS_LESION = {LesionType.LYTIC: 2, LesionType.MIXED: 1, LesionType.OSTEOBLASTIC: 0}
_SINS_ALIGN = {Alignment.SUBLUXATION: 4, Alignment.DE_NOVO_DEFORMITY: 2, Alignment.NORMAL: 0}
_SINS_ALIGN_TEXT = {
    Alignment.SUBLUXATION: "subluxation/translation",
    Alignment.DE_NOVO_DEFORMITY: "de novo deformity",
    Alignment.NORMAL: "normal alignment",
}
_SINS_PL = {
    PosterolateralInvolvement.BILATERAL: 3,
    PosterolateralInvolvement.UNILATERAL: 1,
    PosterolateralInvolvement.NONE: 0,
}


@lru_cache(maxsize=1024)  # immutable, and percentages repeat
def _sins_collapse(collapse: float | None, body: float | None) -> ScoreComponent:
    """SINS-05. Exactly 50 % is not defined by Fisher 2010: report 2–3, never pick."""
    name, rid = "collapse", "SINS-05"
    fld = "collapse_percent"
    if collapse is None:
        return _missing(name, rid, fld, 0, 3)
    if collapse > 50:
        return _known(name, rid, fld, f"collapse {collapse:g} % (> 50 %)", 3)
    if collapse == 50:
        return ScoreComponent(
            name,
            rid,
            fld,
            "collapse exactly 50 %",
            2,
            3,
            ComponentStatus.UNDEFINED,
            "SINS defines < 50 % (2) and > 50 % (3) but not exactly 50 %; "
            "the radiologist should re-measure — the engine does not pick",
        )
    if collapse > 0:
        return _known(name, rid, fld, f"collapse {collapse:g} % (< 50 %)", 2)
    fld = "body_involvement_percent"
    if body is None:
        # No collapse: 1 point only if > 50 % of the body is involved.
        return ScoreComponent(
            name,
            rid,
            fld,
            "no collapse, body involvement unknown",
            0,
            1,
            ComponentStatus.MISSING,
        )
    if body > 50:
        return _known(name, rid, fld, f"no collapse, {body:g} % of body involved", 1)
    return _known(name, rid, fld, f"no collapse, {body:g} % of body involved", 0)


@dataclass(frozen=True, slots=True)
class SinsResult:
    lesion_id: str
    level: VertebralLevel | None
    components: tuple[ScoreComponent, ...]
    total_min: int
    total_max: int
    rule_ids: tuple[str, ...]
    #: The total and every component, as SURG-02 and the plan quote it (``describe()``).
    text: str

    @property
    def total(self) -> int | None:
        return self.total_min if self.total_min == self.total_max else None

    @property
    def category(self) -> SinsCategory | None:
        lo, hi = sins_category(self.total_min), sins_category(self.total_max)
        return lo if lo == hi else None

    @property
    def category_min(self) -> SinsCategory:
        return sins_category(self.total_min)

    @property
    def category_max(self) -> SinsCategory:
        return sins_category(self.total_max)

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(c.field for c in self.components if c.status is ComponentStatus.MISSING)

    @property
    def undefined(self) -> tuple[str, ...]:
        return tuple(c.field for c in self.components if c.status is ComponentStatus.UNDEFINED)

    def total_text(self) -> str:
        return _total_text(self.total_min, self.total_max)

    def describe(self) -> str:
        return self.text


# The components below depend on one enum finding alone and are immutable: cached, so
# every lesion with the same finding shares one.
@cache
def _sins_location(level: VertebralLevel | None) -> ScoreComponent:
    if level is None:
        return _missing("location", "SINS-01", "vertebral_level", 0, 3)
    kind, pts = sins_location(level)
    return _known("location", "SINS-01", "vertebral_level", f"{level} {kind}", pts)


@cache
def _sins_pain(pain: SpinalPain | None) -> ScoreComponent:
    if pain is None:
        return _missing("pain", "SINS-02", "spinal_pain", 0, 3)
    return _known("pain", "SINS-02", "spinal_pain", _SINS_PAIN_TEXT[pain], _SINS_PAIN[pain])


@cache
def _sins_lesion(kind: LesionType | None) -> ScoreComponent:
    if kind is None:
        return _missing("bone lesion", "SINS-03", "lesion_type", 0, 2)
    return _known("bone lesion", "SINS-03", "lesion_type", str(kind), _SINS_LESION[kind])


@cache
def _sins_alignment(align: Alignment | None) -> ScoreComponent:
    if align is None:
        return _missing("alignment", "SINS-04", "alignment", 0, 4)
    return _known("alignment", "SINS-04", "alignment", _SINS_ALIGN_TEXT[align], _SINS_ALIGN[align])


@cache
def _sins_posterolateral(pl: PosterolateralInvolvement | None) -> ScoreComponent:
    if pl is None:
        return _missing("posterolateral", "SINS-06", "posterolateral", 0, 3)
    return _known(
        "posterolateral", "SINS-06", "posterolateral", f"{pl} posterolateral", _SINS_PL[pl]
    )


_SINS_RULE_IDS = ("SINS-01", "SINS-02", "SINS-03", "SINS-04", "SINS-05", "SINS-06", "SINS-07")


def sins_score(lesion: Lesion) -> SinsResult:
    """SINS-01..08 for one spinal lesion (Fisher, Spine 2010;35:E1221)."""
    if not lesion.is_spinal:
        raise ValueError(f"lesion {lesion.id}: SINS applies to the spine, not {lesion.bone}")
    components = (
        _sins_location(lesion.vertebral_level),
        _sins_pain(lesion.spinal_pain),
        _sins_lesion(lesion.lesion_type),
        _sins_alignment(lesion.alignment),
        _sins_collapse(lesion.collapse_percent, lesion.body_involvement_percent),
        _sins_posterolateral(lesion.posterolateral),
    )
    lo = sum(c.min_points for c in components)
    hi = sum(c.max_points for c in components)
    parts = ", ".join(c.text for c in components)
    return SinsResult(
        lesion_id=lesion.id,
        level=lesion.vertebral_level,
        components=components,
        total_min=lo,
        total_max=hi,
        # SINS-08: a range means components are missing.
        rule_ids=_SINS_RULE_IDS if lo == hi else (*_SINS_RULE_IDS, "SINS-08"),
        text=f"SINS {_total_text(lo, hi)} ({parts})",
    )


# --------------------------------------------------------------------------- Mirels


class MirelsCategory(StrEnum):
    LOW = "low"
    BORDERLINE = "borderline"
    HIGH = "high"


def mirels_category(total: int) -> MirelsCategory:
    """MIR-02: ≤ 7 low, 8 borderline, ≥ 9 high."""
    if total <= 7:
        return MirelsCategory.LOW
    if total == 8:
        return MirelsCategory.BORDERLINE
    return MirelsCategory.HIGH


#: Why 8 is shown as borderline (MIR-02): the abstract and the later literature differ.
MIRELS_8_EXPLANATION = (
    "Mirels 8 is borderline (fracture risk about 15 %): the original 1989 abstract "
    "recommends fixation from 8, later practice and the rules reference treat 8 as a "
    "matter of clinical judgement with an orthopaedic opinion; fixation is firmly "
    "indicated from 9 (risk ≥ 33 %)."
)

_MIR_PAIN = {LimbPain.MILD: 1, LimbPain.MODERATE: 2, LimbPain.FUNCTIONAL: 3}
_MIR_LESION = {LesionType.OSTEOBLASTIC: 1, LesionType.MIXED: 2, LesionType.LYTIC: 3}
_MIR_SIZE = {
    CorticalInvolvement.LESS_THAN_THIRD: 1,
    CorticalInvolvement.THIRD_TO_TWO_THIRDS: 2,
    CorticalInvolvement.MORE_THAN_TWO_THIRDS: 3,
}
_MIR_SIZE_TEXT = {
    CorticalInvolvement.LESS_THAN_THIRD: "< 1/3 cortex",
    CorticalInvolvement.THIRD_TO_TWO_THIRDS: "1/3–2/3 cortex",
    CorticalInvolvement.MORE_THAN_TWO_THIRDS: "> 2/3 cortex",
}


@dataclass(frozen=True, slots=True)
class MirelsResult:
    lesion_id: str
    components: tuple[ScoreComponent, ...]
    total_min: int
    total_max: int
    rule_ids: tuple[str, ...]
    #: The total and every component, as SURG-01 and the plan quote it (``describe()``).
    text: str

    @property
    def total(self) -> int | None:
        return self.total_min if self.total_min == self.total_max else None

    @property
    def category(self) -> MirelsCategory | None:
        lo, hi = mirels_category(self.total_min), mirels_category(self.total_max)
        return lo if lo == hi else None

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(c.field for c in self.components if c.status is ComponentStatus.MISSING)

    def total_text(self) -> str:
        return _total_text(self.total_min, self.total_max)

    def describe(self) -> str:
        return self.text


@cache
def _mirels_site(bone: Bone, segment: LongBoneSegment | None) -> ScoreComponent:
    if bone in UPPER_LIMB_BONES:
        return _known("site", "MIR-01", "bone", f"{bone} (upper limb)", 1)
    if bone is Bone.FEMUR and segment is None:
        # Femur: lower limb (2) unless peritrochanteric (3) — the segment decides.
        return _missing("site", "MIR-01", "long_bone_segment", 2, 3)
    if bone is Bone.FEMUR and segment is LongBoneSegment.PERITROCHANTERIC:
        return _known("site", "MIR-01", "long_bone_segment", "peritrochanteric femur", 3)
    return _known("site", "MIR-01", "bone", f"{bone} (lower limb)", 2)


@cache
def _mirels_pain(pain: LimbPain | None) -> ScoreComponent:
    if pain is None:
        return _missing("pain", "MIR-01", "limb_pain", 1, 3)
    return _known("pain", "MIR-01", "limb_pain", f"{pain} pain", _MIR_PAIN[pain])


@cache
def _mirels_lesion(kind: LesionType | None) -> ScoreComponent:
    if kind is None:
        return _missing("lesion", "MIR-01", "lesion_type", 1, 3)
    return _known("lesion", "MIR-01", "lesion_type", str(kind), _MIR_LESION[kind])


@cache
def _mirels_size(size: CorticalInvolvement | None) -> ScoreComponent:
    if size is None:
        return _missing("size", "MIR-01", "cortical_involvement", 1, 3)
    return _known("size", "MIR-01", "cortical_involvement", _MIR_SIZE_TEXT[size], _MIR_SIZE[size])


def mirels_score(lesion: Lesion) -> MirelsResult:
    """MIR-01/02 for one long-bone lesion (Mirels, Clin Orthop 1989;249:256)."""
    if not lesion.is_long_bone:
        raise ValueError(f"lesion {lesion.id}: Mirels applies to long bones, not {lesion.bone}")
    components = (
        _mirels_site(lesion.bone, lesion.long_bone_segment),
        _mirels_pain(lesion.limb_pain),
        _mirels_lesion(lesion.lesion_type),
        _mirels_size(lesion.cortical_involvement),
    )
    lo = sum(c.min_points for c in components)
    hi = sum(c.max_points for c in components)
    parts = ", ".join(c.text for c in components)
    return MirelsResult(
        lesion_id=lesion.id,
        components=components,
        total_min=lo,
        total_max=hi,
        rule_ids=("MIR-01", "MIR-02"),
        text=f"Mirels {_total_text(lo, hi)} ({parts})",
    )


# --------------------------------------------------------------------------- renal


class UnitError(ValueError):
    """A lab value whose unit is missing or wrong for the analyte; never guessed."""


def creatinine_mg_dl(value: float, unit: LabUnit | None) -> float:
    """Serum creatinine in mg/dL (µmol/L ÷ 88.4), rounded to 4 decimals.

    The rounding keeps float noise (e.g. 123.76 / 88.4) from moving a value across the
    BTA-04 thresholds; laboratories report far fewer digits.
    """
    if unit is LabUnit.MG_DL:
        return round(float(value), 4)
    if unit is LabUnit.UMOL_L:
        return round(float(value) / UMOL_PER_MG_DL, 4)
    raise UnitError(f"creatinine unit {unit!r} is not mg/dL or umol/L; the unit is never guessed")


@dataclass(frozen=True, slots=True)
class CreatinineClearance:
    """Cockcroft–Gault, actual body weight (CRCL-01).

    ``value_ml_min`` is rounded to 0.1 mL/min so float noise cannot move a patient
    across a BTA-03 band boundary; it is ``None`` when an input is missing.
    """

    value_ml_min: float | None
    age_years: int | None
    weight_kg: float | None
    sex: Sex | None
    creatinine: LabResult | None
    creatinine_mg_dl: float | None
    missing: tuple[str, ...]
    rule_ids: tuple[str, ...] = ("CRCL-01",)

    @property
    def components(self) -> dict[str, float | str | None]:
        return {
            "age_years": self.age_years,
            "weight_kg": self.weight_kg,
            "sex_factor": (0.85 if self.sex is Sex.FEMALE else 1.0)
            if self.sex is not None
            else None,
            "creatinine_mg_dl": self.creatinine_mg_dl,
        }

    def describe(self) -> str:
        if self.value_ml_min is None:
            return "creatinine clearance not computable (missing: " + ", ".join(self.missing) + ")"
        if self.creatinine is None:  # unreachable: a value implies its creatinine
            return "creatinine clearance not computable"
        female = " × 0.85 (female)" if self.sex is Sex.FEMALE else ""
        # The formula is in mg/dL; a µmol/L creatinine is written as recorded with its
        # conversion, so the reader sees the laboratory's own figure.
        cr = self.creatinine
        scr = (
            f"{cr.as_recorded()} ÷ {UMOL_PER_MG_DL:g}"
            if cr.unit is LabUnit.UMOL_L
            else cr.as_recorded()
        )
        return (
            f"CrCl {self.value_ml_min:g} mL/min (Cockcroft–Gault: (140 − {self.age_years}) × "
            f"{self.weight_kg:g} kg / (72 × {scr}){female}; creatinine taken "
            f"{cr.taken_at.isoformat()})"
        )


def cockcroft_gault(
    *,
    age_years: int | None,
    weight_kg: float | None,
    sex: Sex | None,
    creatinine: LabResult | None,
) -> CreatinineClearance:
    """CrCl = (140 − age) × weight / (72 × creatinine mg/dL), × 0.85 if female.

    Raises ``UnitError`` if the creatinine has no unit or a non-creatinine unit.
    """
    missing: list[str] = []
    scr: float | None = None
    if creatinine is not None:
        if creatinine.analyte is not LabAnalyte.CREATININE:
            raise ValueError(f"expected a creatinine result, got {creatinine.analyte}")
        scr = creatinine_mg_dl(creatinine.value, creatinine.unit)
        if scr <= 0:
            raise ValueError("creatinine must be greater than 0")
    else:
        missing.append("creatinine")
    if age_years is None:
        missing.append("age")
    if weight_kg is None:
        missing.append("weight_kg")
    if sex is None:
        missing.append("sex")
    value: float | None = None
    if age_years is not None and weight_kg is not None and scr is not None and sex is not None:
        raw = (140 - age_years) * weight_kg / (72 * scr)
        if sex is Sex.FEMALE:
            raw *= 0.85
        value = round(raw, 1)
    return CreatinineClearance(
        value_ml_min=value,
        age_years=age_years,
        weight_kg=weight_kg,
        sex=sex,
        creatinine=creatinine,
        creatinine_mg_dl=scr,
        missing=tuple(missing),
    )


@dataclass(frozen=True, slots=True)
class ZoledronicDoseBand:
    """BTA-03 (Zometa label): dose by baseline creatinine clearance."""

    crcl_ml_min: float
    band: str
    dose_mg: float | None
    #: ``False`` below 30 mL/min: not recommended (BTA-07).
    recommended: bool
    #: The clearance fell in a gap of the label's integer bands (e.g. 49.5).
    between_bands: bool
    explanation: str
    rule_ids: tuple[str, ...] = ("BTA-03",)


def zoledronic_dose_band(crcl_ml_min: float) -> ZoledronicDoseBand:
    """Label bands: > 60 → 4.0; 50–60 → 3.5; 40–49 → 3.3; 30–39 → 3.0; < 30 → none.

    The label's bands are written in whole numbers. A clearance in a gap (49 < x < 50,
    39 < x < 40) has not reached the next band's lower bound, so the lower band — the
    smaller dose — applies, read literally; the result says so.
    """
    x = crcl_ml_min
    if x > 60:
        return _band(x, "> 60", 4.0, f"CrCl {x:g} > 60 mL/min: 4.0 mg")
    if 50 <= x <= 60:
        return _band(x, "50–60", 3.5, f"CrCl {x:g} in 50–60 mL/min: 3.5 mg")
    if 49 < x < 50:
        return _band(
            x,
            "40–49",
            3.3,
            f"CrCl {x:g} mL/min lies between the label's 40–49 and 50–60 bands; it has not "
            "reached 50, so the 40–49 band (3.3 mg) was used",
            between_bands=True,
        )
    if 40 <= x <= 49:
        return _band(x, "40–49", 3.3, f"CrCl {x:g} in 40–49 mL/min: 3.3 mg")
    if 39 < x < 40:
        return _band(
            x,
            "30–39",
            3.0,
            f"CrCl {x:g} mL/min lies between the label's 30–39 and 40–49 bands; it has not "
            "reached 40, so the 30–39 band (3.0 mg) was used",
            between_bands=True,
        )
    if 30 <= x <= 39:
        return _band(x, "30–39", 3.0, f"CrCl {x:g} in 30–39 mL/min: 3.0 mg")
    return ZoledronicDoseBand(
        crcl_ml_min=x,
        band="< 30",
        dose_mg=None,
        recommended=False,
        between_bands=False,
        explanation=f"CrCl {x:g} < 30 mL/min: zoledronic acid not recommended (BTA-07); "
        "consider denosumab",
        rule_ids=("BTA-03", "BTA-07"),
    )


def _band(
    x: float, band: str, dose_mg: float, explanation: str, *, between_bands: bool = False
) -> ZoledronicDoseBand:
    return ZoledronicDoseBand(
        crcl_ml_min=x,
        band=band,
        dose_mg=dose_mg,
        recommended=True,
        between_bands=between_bands,
        explanation=explanation,
    )


class RenalAction(StrEnum):
    GIVE = "give"
    WITHHOLD = "withhold"
    RESUME = "resume"
    KEEP_WITHHOLDING = "keep_withholding"


#: BTA-04 thresholds (Zometa label).
NORMAL_BASELINE_BELOW_MG_DL = 1.4
RISE_FROM_NORMAL_MG_DL = 0.5
RISE_FROM_ABNORMAL_MG_DL = 1.0
RESUME_WITHIN_FRACTION = 0.10
#: The label's own µmol/L figures, applied when both values were recorded in µmol/L: a
#: 44 µmol/L rise is 0.4977 mg/dL once converted and would be missed against 0.5.
NORMAL_BASELINE_BELOW_UMOL_L = 124.0
RISE_FROM_NORMAL_UMOL_L = 44.0
RISE_FROM_ABNORMAL_UMOL_L = 88.0


@dataclass(frozen=True, slots=True)
class RenalCheck:
    """BTA-04: withhold zoledronic acid on a creatinine rise; resume within 10 %.

    The decision is taken in µmol/L when both creatinines were recorded in µmol/L, else
    in mg/dL; ``baseline`` / ``latest`` / ``resume_limit`` are (value, unit code) as
    recorded (the resume limit in the baseline's unit), which is what the plan shows.
    """

    baseline_mg_dl: float
    latest_mg_dl: float
    baseline: tuple[float, str]
    latest: tuple[float, str]
    resume_limit: tuple[float, str]
    #: ``None``: baseline exactly at the label's cut-off (1.4 mg/dL / 124 µmol/L), which
    #: the label leaves undefined (it defines only < and >).
    baseline_normal: bool | None
    rise_mg_dl: float
    withhold_threshold_mg_dl: float
    resume_limit_mg_dl: float
    action: RenalAction
    explanation: str
    rule_ids: tuple[str, ...] = ("BTA-04",)


def zoledronic_renal_check(
    *,
    baseline_mg_dl: float,
    latest_mg_dl: float,
    withheld: bool,
    recorded_umol_l: tuple[float, float] | None = None,
    recorded: tuple[LabResult, LabResult] | None = None,
) -> RenalCheck:
    """``recorded_umol_l``: (baseline, latest) as recorded, when both are in µmol/L; the
    thresholds are then applied in µmol/L (the label gives both units). ``recorded``:
    the two results as recorded, so a sentence quotes each in its own unit."""
    if recorded is not None and all(r.unit is LabUnit.UMOL_L for r in recorded):
        recorded_umol_l = (float(recorded[0].value), float(recorded[1].value))
    if recorded_umol_l is not None:
        b, latest, unit = recorded_umol_l[0], recorded_umol_l[1], "µmol/L"
        cut, low, high = (
            NORMAL_BASELINE_BELOW_UMOL_L,
            RISE_FROM_NORMAL_UMOL_L,
            RISE_FROM_ABNORMAL_UMOL_L,
        )
    else:
        b, latest, unit = baseline_mg_dl, latest_mg_dl, "mg/dL"
        cut, low, high = (
            NORMAL_BASELINE_BELOW_MG_DL,
            RISE_FROM_NORMAL_MG_DL,
            RISE_FROM_ABNORMAL_MG_DL,
        )
    normal: bool | None = None if b == cut else b < cut
    # Exactly at the cut-off the label is silent: the stricter (smaller) rise applies and
    # the explanation says so; the board decides.
    threshold = high if normal is False else low
    rise = round(latest - b, 4)
    rise_mg_dl = round(latest_mg_dl - baseline_mg_dl, 4)
    limit_rec = round(b * (1 + RESUME_WITHIN_FRACTION), 4)
    limit = round(baseline_mg_dl * (1 + RESUME_WITHIN_FRACTION), 4)
    status = (
        f"exactly {cut:g} {unit}: undefined in the label (< {cut:g} normal, > {cut:g} "
        f"abnormal); the stricter rise applies"
        if normal is None
        else ("normal" if normal else "abnormal")
    )
    mixed = recorded is not None and recorded_umol_l is None and any(
        r.unit is not LabUnit.MG_DL for r in recorded
    )
    if recorded is not None and mixed:
        # One in µmol/L, one in mg/dL: each as recorded, compared in mg/dL.
        def quoted(r: LabResult, mg_dl: float) -> str:
            if r.unit is LabUnit.MG_DL:
                return r.as_recorded()
            return f"{r.as_recorded()} = {mg_dl:.2f} mg/dL"

        base = (
            f"baseline {quoted(recorded[0], b)} ({status}, withhold at a rise ≥ "
            f"{threshold:g} mg/dL), latest {quoted(recorded[1], latest)} (change "
            f"{rise:+.2f} mg/dL)"
        )
    else:
        base = (
            f"baseline {b:g} {unit} ({status}, withhold at a rise ≥ {threshold:g} {unit}), "
            f"latest {latest:g} {unit} (change {rise:+g} {unit})"
        )
    if withheld:
        if latest <= limit_rec:
            action = RenalAction.RESUME
            text = (
                f"{base}: back within 10 % of baseline (≤ {limit_rec:g} {unit}) — resume at the "
                "pre-interruption dose"
            )
        else:
            action = RenalAction.KEEP_WITHHOLDING
            text = (
                f"{base}: not yet within 10 % of baseline (≤ {limit_rec:g} {unit}) — keep "
                "withholding"
            )
    elif rise >= threshold:
        action = RenalAction.WITHHOLD
        text = f"{base}: rise ≥ {threshold:g} {unit} — withhold the dose"
    else:
        action = RenalAction.GIVE
        text = f"{base}: below the withhold threshold"
    if recorded is not None:
        base_unit = recorded[0].unit.value if recorded[0].unit else "mg/dL"
        as_recorded = (
            (float(recorded[0].value), base_unit),
            (float(recorded[1].value), recorded[1].unit.value if recorded[1].unit else "mg/dL"),
            (
                limit_rec
                if recorded_umol_l is not None or recorded[0].unit is LabUnit.MG_DL
                else round(float(recorded[0].value) * (1 + RESUME_WITHIN_FRACTION), 4),
                base_unit,
            ),
        )
    else:
        code = LabUnit.UMOL_L.value if recorded_umol_l is not None else LabUnit.MG_DL.value
        as_recorded = ((b, code), (latest, code), (limit_rec, code))
    return RenalCheck(
        baseline_mg_dl=baseline_mg_dl,
        latest_mg_dl=latest_mg_dl,
        baseline=as_recorded[0],
        latest=as_recorded[1],
        resume_limit=as_recorded[2],
        baseline_normal=normal,
        rise_mg_dl=rise_mg_dl,
        withhold_threshold_mg_dl=(
            threshold if recorded_umol_l is None else round(threshold / UMOL_PER_MG_DL, 4)
        ),
        resume_limit_mg_dl=limit,
        action=action,
        explanation=text,
    )
