"""§5 Radioisotopes: radium-223 (RAD-01..04) and strontium-89 / samarium-153 (RAD-05)."""

from __future__ import annotations

from collections.abc import Generator, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

from .. import sources as src
from ..common import Section, Severity, Supplier, day_count
from ..context import Context
from ..facts import (
    BoneDiseaseExtent,
    BoneTargetedAgent,
    CastrationStatus,
    LabAnalyte,
    LabUnit,
    LesionType,
    PrimarySite,
    Radioisotope,
    RadioisotopeCourse,
    SystemicTherapyKind,
)
from .base import (
    Finding,
    Flagged,
    Item,
    Missing,
    Note,
    Prior,
    flag_code,
    item_code,
    note_code,
    per_evaluation,
    rule,
)
from .bta import bta_in_play

RA223_KBQ_PER_KG = 55
RA223_INTERVAL_WEEKS = 4
RA223_DOSES = 6
#: RAD-03 first dose: ANC ≥ 1.5, platelets ≥ 100 ×10⁹/L, Hb ≥ 10 g/dL; later: ANC ≥ 1.0,
#: platelets ≥ 50. No recovery within 6–8 weeks of the last dose → stop.
FIRST_ANC, FIRST_PLT, FIRST_HB = 1.5, 100.0, 10.0
LATER_ANC, LATER_PLT = 1.0, 50.0
NO_RECOVERY_STOP_DAYS = 56
#: RAD-05 suggested caution levels (correction 8: not safe floors): platelets < 60,
#: WBC < 2.4 ×10⁹/L ("caution if platelets < 60,000/mm³ or WBC < 2,400/mm³", secondary).
SRSM_PLT_CAUTION_BELOW, SRSM_WBC_CAUTION_BELOW = 60.0, 2.4


def _radium_course(ctx: Context) -> RadioisotopeCourse | None:
    courses = ctx.facts.radioisotope_courses
    return next((c for c in courses if c.agent is Radioisotope.RADIUM_223), None)


@dataclass(slots=True)
class RadiumAssessment:
    considered: bool
    doses_given: int = 0
    #: (rule_id, code, message)
    exclusions: list[tuple[str, str, str]] = field(default_factory=list)
    #: (rule_id, field, why, supplier)
    unknown: list[tuple[str, str, str, Supplier]] = field(default_factory=list)

    @property
    def eligible(self) -> bool:
        return self.considered and not self.exclusions and not self.unknown

    @property
    def first_dose(self) -> bool:
        return self.doses_given == 0

    def excluded_by(self, rule_id: str) -> bool:
        return any(rid == rule_id for rid, _, _ in self.exclusions)


def _count(ctx: Context, analyte: LabAnalyte) -> float | None:
    return ctx.labs[analyte].value


#: The counts as a report names them ("ANC", not the key "anc").
_COUNT_NAMES = {LabAnalyte.ANC: "ANC", LabAnalyte.WBC: "WBC"}


def _count_text(ctx: Context, analyte: LabAnalyte) -> str:
    """The count as quoted in a message."""
    st = ctx.labs[analyte]
    name = _COUNT_NAMES.get(analyte, str(analyte))
    if st.value is None or st.latest is None:
        return f"{name} {st.problem}"
    return f"{name} {st.latest.as_recorded()} on {st.latest.taken_at.isoformat()}"


def _hb_limit(ctx: Context) -> str:
    """RAD-03's first-dose haemoglobin limit in the unit the haemoglobin was recorded in."""
    hb = ctx.labs[LabAnalyte.HAEMOGLOBIN].latest
    if hb is not None and hb.unit is LabUnit.G_L:
        return f"{FIRST_HB * 10:g} g/L"
    return f"{FIRST_HB:g} g/dL"


@per_evaluation
def assess_radium(ctx: Context, prior: Prior) -> RadiumAssessment:
    """Every RAD-01/03/04 criterion, each exclusion with its own code (RAD-01..04 read
    the same assessment; it reads the facts only)."""
    f = ctx.facts
    course = _radium_course(ctx)
    site = f.primary.site
    # Shown whenever a radioisotope is considered, whatever the primary (issue #12): a
    # prostate primary, any radioisotope course recorded (given, running or planned), or
    # Sr-89/Sm-153 drafted by RAD-05's criteria.
    considered = site is PrimarySite.PROSTATE or bool(f.radioisotope_courses) or srsm_candidate(ctx)
    doses_given = course.doses_given if course else 0
    a = RadiumAssessment(considered=considered, doses_given=doses_given)
    if not a.considered:
        return a
    if a.doses_given >= RA223_DOSES:
        a.exclusions.append(
            ("RAD-02", "RA223-COURSE-COMPLETE", f"all {RA223_DOSES} injections given")
        )
    recovering = [t for t, within in _other_radioisotopes(ctx) if within]
    if recovering:
        a.exclusions.append(
            (
                "RAD-08",
                "RA223-EXCL-OTHER-RADIOISOTOPE",
                f"{'; '.join(recovering)}: not beside another bone-seeking radionuclide or while "
                "the marrow recovers from one (Sr-89 about 6 months, Sm-153 about 8 weeks; "
                "labels)",
            )
        )
    # RAD-01
    if site is None:
        a.unknown.append(
            (
                "RAD-01",
                "primary.site",
                "radium-223 is for prostate cancer only",
                Supplier.MEDICAL_ONCOLOGY,
            )
        )
    elif site is not PrimarySite.PROSTATE:
        a.exclusions.append(
            (
                "RAD-01",
                "RA223-EXCL-NON-PROSTATE",
                (
                    f"{site} primary: radium-223 is for castration-resistant prostate cancer only, "
                    f"not breast or other cancers"
                ),
            )
        )
    if site is PrimarySite.PROSTATE:
        cs = f.primary.castration_status
        if cs is None or cs is CastrationStatus.UNKNOWN:
            a.unknown.append(
                (
                    "RAD-01",
                    "primary.castration_status",
                    "radium-223 needs castration-resistant disease",
                    Supplier.MEDICAL_ONCOLOGY,
                )
            )
        elif cs is CastrationStatus.SENSITIVE:
            a.exclusions.append(
                (
                    "RAD-01",
                    "RA223-EXCL-CASTRATION-SENSITIVE",
                    "castration-sensitive prostate cancer: radium-223 needs castration resistance",
                )
            )
    vis = f.extraskeletal.visceral
    if vis is None:
        a.unknown.append(
            (
                "RAD-01",
                "extraskeletal.visceral",
                "radium-223 needs no known visceral metastases",
                Supplier.RADIOLOGY,
            )
        )
    elif vis:
        a.exclusions.append(
            (
                "RAD-01",
                "RA223-EXCL-VISCERAL",
                "known visceral metastases (US label: radium-223 only without them)",
            )
        )
    if ctx.symptomatic is None:
        a.unknown.append(
            (
                "RAD-01",
                "pain.worst_nrs",
                "radium-223 needs symptomatic bone metastases",
                Supplier.NURSING,
            )
        )
    elif not ctx.symptomatic:
        a.exclusions.append(
            (
                "RAD-01",
                "RA223-EXCL-ASYMPTOMATIC",
                "bone metastases are not symptomatic (label: symptomatic only)",
            )
        )
    # RAD-04
    if SystemicTherapyKind.ABIRATERONE_PREDNISONE in ctx.therapy_kinds:
        a.exclusions.append(
            (
                "RAD-04",
                "RA223-EXCL-ABIRATERONE-PREDNISONE",
                "abiraterone with prednisone/prednisolone (ERA 223: more fractures and deaths)",
            )
        )
    if SystemicTherapyKind.CHEMOTHERAPY in ctx.therapy_kinds:
        a.exclusions.append(("RAD-04", "RA223-EXCL-CHEMOTHERAPY", "concurrent chemotherapy"))
    # RAD-03
    anc, anc_text = _count(ctx, LabAnalyte.ANC), _count_text(ctx, LabAnalyte.ANC)
    plt, plt_text = _count(ctx, LabAnalyte.PLATELETS), _count_text(ctx, LabAnalyte.PLATELETS)
    if anc is None:
        a.unknown.append(
            (
                "RAD-03",
                "labs.anc",
                f"blood counts before every radium-223 dose ({anc_text})",
                Supplier.NURSING,
            )
        )
    if plt is None:
        a.unknown.append(
            (
                "RAD-03",
                "labs.platelets",
                f"blood counts before every radium-223 dose ({plt_text})",
                Supplier.NURSING,
            )
        )
    if a.first_dose:
        hb, hb_text = _count(ctx, LabAnalyte.HAEMOGLOBIN), _count_text(ctx, LabAnalyte.HAEMOGLOBIN)
        if hb is None:
            a.unknown.append(
                (
                    "RAD-03",
                    "labs.haemoglobin",
                    f"first radium-223 dose needs Hb ≥ 10 g/dL ({hb_text})",
                    Supplier.NURSING,
                )
            )
        if anc is not None and anc < FIRST_ANC:
            a.exclusions.append(
                (
                    "RAD-03",
                    "RA223-EXCL-ANC-FIRST-DOSE",
                    f"{anc_text} < {FIRST_ANC} ×10⁹/L (first dose)",
                )
            )
        if plt is not None and plt < FIRST_PLT:
            a.exclusions.append(
                (
                    "RAD-03",
                    "RA223-EXCL-PLATELETS-FIRST-DOSE",
                    f"{plt_text} < {FIRST_PLT:g} ×10⁹/L (first dose)",
                )
            )
        if hb is not None and hb < FIRST_HB:
            a.exclusions.append(
                (
                    "RAD-03",
                    "RA223-EXCL-HB-FIRST-DOSE",
                    f"{hb_text} < {_hb_limit(ctx)} (first dose)",
                )
            )
    else:
        low = []
        if anc is not None and anc < LATER_ANC:
            a.exclusions.append(
                (
                    "RAD-03",
                    "RA223-HOLD-ANC-LATER-DOSE",
                    f"{anc_text} < {LATER_ANC} ×10⁹/L (later dose)",
                )
            )
            low.append("ANC")
        if plt is not None and plt < LATER_PLT:
            a.exclusions.append(
                (
                    "RAD-03",
                    "RA223-HOLD-PLATELETS-LATER-DOSE",
                    f"{plt_text} < {LATER_PLT:g} ×10⁹/L (later dose)",
                )
            )
            low.append("platelets")
        last = course.last_dose if course else None
        # "No recovery within 6–8 weeks" is a property of the low count, so the window runs
        # from the last dose to the date that count was taken, not to the meeting.
        taken = [
            lab.taken_at
            for analyte, name in ((LabAnalyte.ANC, "ANC"), (LabAnalyte.PLATELETS, "platelets"))
            if name in low and (lab := ctx.labs[analyte].latest) is not None
        ]
        counted_on = min(taken) if taken else None
        if (
            low
            and last is not None
            and counted_on is not None
            and (counted_on - last).days > NO_RECOVERY_STOP_DAYS
        ):
            a.exclusions.append(
                (
                    "RAD-03",
                    "RA223-STOP-NO-RECOVERY",
                    f"{' and '.join(low)} not recovered {day_count(last, counted_on)} "
                    "(last dose to the low count; limit 6–8 weeks): stop radium-223",
                )
            )
    if site is not None and site is not PrimarySite.PROSTATE:
        # Not for this primary whatever else is known: asking for the rest is noise.
        a.unknown.clear()
    elif any(rid != "RAD-03" for rid, _, _ in a.exclusions):
        # Excluded for another reason (castration-sensitive, visceral disease, the marrow
        # still recovering from Sr-89/Sm-153 …): counts taken now would not be the ones
        # before a radium dose, so they are not asked for (RAD-06/07 ask for the follow-up
        # counts of a Sr-89/Sm-153 dose given).
        a.unknown = [u for u in a.unknown if u[0] != "RAD-03"]
    return a


def srsm_candidate(ctx: Context) -> bool:
    """RAD-05's trigger: symptomatic, purely osteoblastic, widespread disease."""
    if (
        ctx.symptomatic is not True
        or ctx.facts.bone_disease_extent is not BoneDiseaseExtent.WIDESPREAD
    ):
        return False
    types = [v.lesion.lesion_type for v in ctx.lesions]
    return LesionType.OSTEOBLASTIC in types and LesionType.LYTIC not in types


#: Weeks after a dose during which the marrow is still recovering (Metastron label: counts
#: back to baseline by about 6 months; Quadramet label: by 8 weeks). Also how long the
#: RAD-06/07 blood-count follow-up runs.
RECOVERY_WEEKS = {Radioisotope.STRONTIUM_89: 26, Radioisotope.SAMARIUM_153: 8}


def _dose_date(c: RadioisotopeCourse) -> date | None:
    return c.last_dose or c.first_dose


def _other_radioisotopes(ctx: Context) -> list[tuple[str, bool]]:
    """Sr-89 / Sm-153 courses recorded, each as (text, planned or still within its marrow
    recovery window) — RAD-08: radium-223 beside any other bone-seeking radionuclide."""
    out = []
    for c in ctx.facts.radioisotope_courses:
        if c.agent is Radioisotope.RADIUM_223:
            continue
        name = _ISOTOPE_NAMES[c.agent]
        d = _dose_date(c)
        if d is None or d > ctx.as_of:
            out.append(
                (f"{name} {'planned' if c.planned else 'recorded without a dose date'}", True)
            )
            continue
        within = (ctx.as_of - d).days <= RECOVERY_WEEKS[c.agent] * 7
        out.append((f"{name} given (last dose {day_count(d, ctx.as_of)})", within))
    return out


_ISOTOPE_NAMES = {
    Radioisotope.RADIUM_223: "radium-223",
    Radioisotope.STRONTIUM_89: "strontium-89",
    Radioisotope.SAMARIUM_153: "samarium-153",
}


def _emit_own(a: RadiumAssessment, rule_id: str) -> Iterator[Finding]:
    for rid, code, msg in a.exclusions:
        if rid == rule_id:
            yield Flagged(code, f"Radium-223: {msg}.")
    for rid, fld, why, who in a.unknown:
        if rid == rule_id:
            yield Missing(fld, why, who)


@rule(
    id="RAD-01",
    section=Section.RADIOISOTOPES,
    title="Radium-223 eligibility",
    checks="Castration-resistant prostate cancer, symptomatic bone metastases, no known "
    "visceral metastases (US label); each exclusion has its own flag. Eligible only when "
    "RAD-03 counts and RAD-04 concurrent-therapy checks also pass. EU (EMA 2018) notes: "
    "after ≥ 2 prior mCRPC lines; not with only a few osteoblastic metastases.",
    sources=(src.RA223_US, src.RA223_EU),
    codes=(
        item_code(
            "RA223-ELIGIBLE",
            "Radium-223 eligible",
            "All criteria met: radium-223 for CRPC with symptomatic bone metastases "
            "(ALSYMPCA OS 14.9 vs 11.3 months).",
            ("agent", "doses_given", "survival_gain_months"),
        ),
        flag_code(
            "RA223-EXCL-NON-PROSTATE",
            Severity.CONTRAINDICATION,
            "Radium-223: not for non-prostate primaries",
            "Prostate (CRPC) only; not breast or other cancers.",
        ),
        flag_code(
            "RA223-EXCL-CASTRATION-SENSITIVE",
            Severity.CONTRAINDICATION,
            "Radium-223: castration-sensitive disease",
            "Needs castration-resistant prostate cancer.",
        ),
        flag_code(
            "RA223-EXCL-VISCERAL",
            Severity.CONTRAINDICATION,
            "Radium-223: visceral metastases",
            "Not with known visceral metastases.",
        ),
        flag_code(
            "RA223-EXCL-ASYMPTOMATIC",
            Severity.CONTRAINDICATION,
            "Radium-223: asymptomatic bone metastases",
            "Symptomatic bone metastases only.",
        ),
        flag_code(
            "RA223-EU-PRIOR-LINES",
            Severity.INFO,
            "Radium-223 (EU): fewer than 2 prior mCRPC lines",
            "EMA 2018: after ≥ 2 prior lines or when no other treatment suits.",
            (src.RA223_EU,),
        ),
        flag_code(
            "RA223-EU-FEW-BLASTIC-METS",
            Severity.INFO,
            "Radium-223 (EU): few osteoblastic metastases",
            "EMA 2018: not with only a few osteoblastic metastases.",
            (src.RA223_EU,),
        ),
    ),
)
def radium_eligibility(ctx: Context, prior: Prior) -> Iterator[Finding]:
    a = assess_radium(ctx, prior)
    if not a.considered:
        return
    if a.exclusions or a.unknown:
        yield from _emit_own(a, "RAD-01")
    if a.doses_given >= RA223_DOSES:
        return  # course complete: RAD-02 flags it
    f = ctx.facts
    if not a.excluded_by("RAD-01"):
        lines = f.primary.prior_mcrpc_lines
        if lines is None:
            yield Missing(
                "primary.prior_mcrpc_lines",
                "EU label: radium-223 after ≥ 2 prior mCRPC lines (RAD-01)",
                Supplier.MEDICAL_ONCOLOGY,
            )
        elif lines < 2:
            yield Flagged(
                "RA223-EU-PRIOR-LINES",
                (
                    f"{lines} prior mCRPC line(s): in the EU radium-223 is for use after ≥ 2 lines "
                    f"or when no other treatment suits (EMA 2018)."
                ),
            )
        if f.bone_disease_extent is BoneDiseaseExtent.OLIGOMETASTATIC:
            yield Flagged(
                "RA223-EU-FEW-BLASTIC-METS",
                (
                    "Oligometastatic bone disease: EMA 2018 advises against radium-223 with only "
                    "a few osteoblastic metastases."
                ),
            )
    if a.eligible:
        yield Item(
            "RA223-ELIGIBLE",
            "Castration-resistant prostate cancer, symptomatic bone metastases, no known visceral "
            "metastases, counts adequate, no abiraterone/prednisone or chemotherapy: radium-223 "
            "eligible (US label). ALSYMPCA: overall survival 14.9 vs 11.3 months (+3.6).",
            {
                "agent": Radioisotope.RADIUM_223.value,
                "doses_given": a.doses_given,
                "survival_gain_months": 3.6,
                "summary": "Radium-223 eligible",
            },
        )


@rule(
    id="RAD-02",
    section=Section.RADIOISOTOPES,
    title="Radium-223 55 kBq/kg every 4 weeks × 6",
    checks="Eligible → 55 kBq/kg IV every 4 weeks for 6 injections; the activity is "
    "computed from a current weight.",
    sources=(src.RA223_US,),
    codes=(
        item_code(
            "RA223-55KBQ-Q4W-X6",
            "Radium-223 55 kBq/kg every 4 weeks × 6",
            "Reminder-bearing dosing schedule.",
            (
                "agent",
                "dose_kbq_per_kg",
                "weight_kg",
                "activity_kbq",
                "route",
                "interval_weeks",
                "doses",
                "doses_given",
                "doses_remaining",
                "alternatives",
            ),
        ),
        flag_code(
            "RA223-COURSE-COMPLETE",
            Severity.INFO,
            "Radium-223 course complete",
            "All 6 injections given.",
        ),
    ),
)
def radium_dose(ctx: Context, prior: Prior) -> Iterator[Finding]:
    a = assess_radium(ctx, prior)
    if not a.considered:
        return
    if a.exclusions or a.unknown:
        yield from _emit_own(a, "RAD-02")
    if not a.eligible:
        return
    w = ctx.weight_kg
    if w is None:
        yield Missing(
            "patient.weight_kg",
            f"radium-223 activity is 55 kBq per kg ({ctx.weight_problem})",
            Supplier.NURSING,
        )
    activity = round(RA223_KBQ_PER_KG * w) if w is not None else None
    yield Item(
        "RA223-55KBQ-Q4W-X6",
        "Radium-223 55 kBq/kg IV every 4 weeks for 6 injections (label)"
        + (
            f": {activity} kBq at {w:g} kg."
            if activity is not None
            else "; activity pending a current weight."
        ),
        {
            "agent": Radioisotope.RADIUM_223.value,
            "dose_kbq_per_kg": RA223_KBQ_PER_KG,
            "weight_kg": w,
            "activity_kbq": activity,
            "route": "IV",
            "interval_weeks": RA223_INTERVAL_WEEKS,
            "doses": RA223_DOSES,
            "doses_given": a.doses_given,
            "doses_remaining": RA223_DOSES - a.doses_given,
            "summary": "Radium-223 55 kBq/kg IV every 4 weeks × 6",
        },
    )


@rule(
    id="RAD-03",
    section=Section.RADIOISOTOPES,
    title="Blood counts before every radium-223 dose",
    checks="First dose: ANC ≥ 1.5, platelets ≥ 100 ×10⁹/L, Hb ≥ 10 g/dL; later doses: ANC "
    "≥ 1.0, platelets ≥ 50; no recovery within 6–8 weeks of the last dose → stop. Counts "
    "older than 14 days are stale.",
    sources=(src.RA223_COUNTS,),
    codes=(
        item_code(
            "RA223-FBC-BEFORE-EACH-DOSE",
            "Full blood count before each radium-223 dose",
            "Reminder-bearing: FBC before each of the 6 doses.",
            ("agent", "analytes", "before_each_dose", "interval_weeks", "doses", "doses_given"),
        ),
        flag_code(
            "RA223-EXCL-ANC-FIRST-DOSE",
            Severity.CONTRAINDICATION,
            "Radium-223: ANC < 1.5 (first dose)",
            "First dose needs ANC ≥ 1.5 ×10⁹/L.",
        ),
        flag_code(
            "RA223-EXCL-PLATELETS-FIRST-DOSE",
            Severity.CONTRAINDICATION,
            "Radium-223: platelets < 100 (first dose)",
            "First dose needs platelets ≥ 100 ×10⁹/L.",
        ),
        flag_code(
            "RA223-EXCL-HB-FIRST-DOSE",
            Severity.CONTRAINDICATION,
            "Radium-223: Hb < 10 g/dL (first dose)",
            "First dose needs haemoglobin ≥ 10 g/dL.",
        ),
        flag_code(
            "RA223-HOLD-ANC-LATER-DOSE",
            Severity.CONTRAINDICATION,
            "Radium-223: ANC < 1.0 (later dose)",
            "Later doses need ANC ≥ 1.0 ×10⁹/L.",
        ),
        flag_code(
            "RA223-HOLD-PLATELETS-LATER-DOSE",
            Severity.CONTRAINDICATION,
            "Radium-223: platelets < 50 (later dose)",
            "Later doses need platelets ≥ 50 ×10⁹/L.",
        ),
        flag_code(
            "RA223-STOP-NO-RECOVERY",
            Severity.CONTRAINDICATION,
            "Radium-223: stop — no count recovery",
            "No recovery within 6–8 weeks of the last dose.",
        ),
    ),
)
def radium_counts(ctx: Context, prior: Prior) -> Iterator[Finding]:
    a = assess_radium(ctx, prior)
    if not a.considered:
        return
    if a.exclusions or a.unknown:
        yield from _emit_own(a, "RAD-03")
    course = _radium_course(ctx)
    if a.eligible or (course is not None and a.doses_given < RA223_DOSES):
        yield Item(
            "RA223-FBC-BEFORE-EACH-DOSE",
            "Radium-223 is myelosuppressive: full blood count before every dose (label).",
            {
                "agent": Radioisotope.RADIUM_223.value,
                "analytes": ["anc", "platelets", "haemoglobin"],
                "before_each_dose": True,
                "interval_weeks": RA223_INTERVAL_WEEKS,
                "doses": RA223_DOSES,
                "doses_given": a.doses_given,
                "summary": "Full blood count before each radium-223 dose",
            },
        )


@rule(
    id="RAD-04",
    section=Section.RADIOISOTOPES,
    title="Radium-223: not with abiraterone + prednisone, not with chemotherapy",
    checks="Abiraterone with prednisone/prednisolone (ERA 223: more fractures and deaths) or "
    "chemotherapy, running or planned → radium-223 excluded.",
    sources=(src.RA223_ERA,),
    codes=(
        flag_code(
            "RA223-EXCL-ABIRATERONE-PREDNISONE",
            Severity.CONTRAINDICATION,
            "Radium-223: not with abiraterone + prednisone",
            "ERA 223: more fractures and deaths.",
        ),
        flag_code(
            "RA223-EXCL-CHEMOTHERAPY",
            Severity.CONTRAINDICATION,
            "Radium-223: not with chemotherapy",
            "No concurrent chemotherapy.",
        ),
    ),
)
def radium_combinations(ctx: Context, prior: Prior) -> Iterator[Finding]:
    a = assess_radium(ctx, prior)
    if a.considered:
        if a.exclusions or a.unknown:
            yield from _emit_own(a, "RAD-04")


@rule(
    id="RAD-05",
    section=Section.RADIOISOTOPES,
    title="Strontium-89 / samarium-153 for widespread painful osteoblastic disease",
    checks="Widespread painful osteoblastic metastases with uptake on bone scan (mainly "
    "prostate and breast) → Sr-89 or Sm-153 for pain. Platelets < 60 or WBC < 2.4 ×10⁹/L "
    "are the suggested caution levels, not safe floors (correction 8): below them it is not "
    "drafted and the board weighs it; above them suppression can still be profound when "
    "marrow is replaced by tumour (Powsner 1997), so falling counts matter too.",
    sources=(src.SRSM, src.SRSM_COUNTS, src.POWSNER),
    codes=(
        item_code(
            "RADIONUCLIDE-SR89-SM153",
            "Strontium-89 or samarium-153 for bone pain",
            "Widespread painful osteoblastic disease with uptake; counts above the suggested "
            "caution levels.",
            ("agents", "doses", "counts_caution_below", "primary_site", "monitoring", "caveats"),
        ),
        flag_code(
            "SRSM-EXCL-NO-UPTAKE",
            Severity.CONTRAINDICATION,
            "Sr-89/Sm-153: no uptake on bone scan",
            "Needs uptake on bone scan.",
        ),
        flag_code(
            "SRSM-EXCL-PLATELETS",
            Severity.WARNING,
            "Sr-89/Sm-153: platelets below the suggested caution level (60)",
            "Platelets < 60 ×10⁹/L: a suggested caution level, not a safe floor; the board "
            "weighs benefit against marrow risk.",
            (src.SRSM_COUNTS, src.POWSNER),
        ),
        flag_code(
            "SRSM-EXCL-WBC",
            Severity.WARNING,
            "Sr-89/Sm-153: WBC below the suggested caution level (2.4)",
            "WBC < 2.4 ×10⁹/L: a suggested caution level, not a safe floor; the board weighs "
            "benefit against marrow risk.",
            (src.SRSM_COUNTS, src.POWSNER),
        ),
        flag_code(
            "SRSM-PRIMARY-NOT-PROSTATE-BREAST",
            Severity.INFO,
            "Sr-89/Sm-153 outside prostate/breast",
            "Evidence is mainly prostate and breast.",
        ),
    ),
)
def strontium_samarium(ctx: Context, prior: Prior) -> Iterator[Finding]:
    f = ctx.facts
    if ctx.symptomatic is not True:
        return
    if any(within for _, within in _other_radioisotopes(ctx)):
        # A Sr-89/Sm-153 course planned or still in marrow recovery is followed by RAD-06/07;
        # drafting one again now would be a repeat inside the recovery window (Sr-89: not
        # within 90 days, secondary source, and only after the blood response to the dose
        # is reviewed, Metastron label; Sm-153: counts recover by about 8 weeks, label).
        return
    types = [v.lesion.lesion_type for v in ctx.lesions]
    blastic = LesionType.OSTEOBLASTIC in types and LesionType.LYTIC not in types
    if not blastic:
        return
    if f.bone_disease_extent is None:
        yield Missing(
            "bone_disease_extent",
            "painful osteoblastic disease: if widespread, Sr-89/Sm-153 may palliate (RAD-05)",
            Supplier.RADIOLOGY,
        )
        return
    if f.bone_disease_extent is not BoneDiseaseExtent.WIDESPREAD:
        return
    ok = True
    uptake = [v.lesion.bone_scan_uptake for v in ctx.lesions]
    if True not in uptake:
        if None in uptake:
            ok = False
            for v in ctx.lesions:
                if v.lesion.bone_scan_uptake is None:
                    yield Missing(
                        v.path("bone_scan_uptake"),
                        f"{v.name}: Sr-89/Sm-153 need uptake on bone scan (RAD-05)",
                        Supplier.NUCLEAR_MEDICINE,
                        v.id,
                    )
        else:
            ok = False
            yield Flagged(
                "SRSM-EXCL-NO-UPTAKE",
                "No lesion takes up tracer on bone scan: Sr-89/Sm-153 would not reach the "
                "metastases.",
            )
    ok = (yield from _srsm_counts(ctx)) and ok
    site = f.primary.site
    if site not in (PrimarySite.PROSTATE, PrimarySite.BREAST):
        yield Flagged(
            "SRSM-PRIMARY-NOT-PROSTATE-BREAST",
            (
                f"{site or 'unknown'} primary: Sr-89/Sm-153 evidence is mainly in prostate and "
                "breast "
                f"cancer."
            ),
        )
    if ok:
        plt_t, wbc_t = _count_text(ctx, LabAnalyte.PLATELETS), _count_text(ctx, LabAnalyte.WBC)
        caveats = [
            "the count thresholds are suggested caution levels: profound, prolonged suppression "
            "can occur above them when marrow is replaced by tumour; weigh falling counts and "
            "marrow involvement (Powsner 1997)",
            "samarium-153: not with chemotherapy or external-beam RT unless the benefit "
            "outweighs the risk (Quadramet label)",
            "pain flare: Sr-89 36–72 h (secondary), Sm-153 usually mild within 72 h (label)",
        ]
        yield Item(
            "RADIONUCLIDE-SR89-SM153",
            f"Widespread painful osteoblastic metastases with bone-scan uptake, {plt_t}, {wbc_t} "
            "(above the suggested caution levels of 60 and 2.4 ×10⁹/L, which are not safe "
            "floors): strontium-89 or samarium-153 can palliate pain (source document; labels). "
            "Blood counts after the dose: Sr-89 at least every other week until recovery "
            "(about 6 months), Sm-153 weekly from week 2 for at least 8 weeks (labels).",
            {
                "agents": [str(Radioisotope.STRONTIUM_89), str(Radioisotope.SAMARIUM_153)],
                "doses": 1,
                "counts_caution_below": {
                    "platelets": SRSM_PLT_CAUTION_BELOW,
                    "wbc": SRSM_WBC_CAUTION_BELOW,
                },
                "primary_site": str(site) if site else None,
                "monitoring": {
                    str(Radioisotope.STRONTIUM_89): "full blood count every 2 weeks from week 2 "
                    "to week 26 (Metastron label: at least every other week)",
                    str(Radioisotope.SAMARIUM_153): "full blood count weekly from week 2 to "
                    "week 8 (Quadramet label: weekly for at least 8 weeks)",
                },
                "caveats": caveats,
                "summary": "Strontium-89 or samarium-153 for widespread painful blastic disease",
            },
        )


def _srsm_counts(ctx: Context) -> Generator[Finding, None, bool]:
    """RAD-05's count check: yields the missing counts and caution flags; True if both
    counts are known and at or above the suggested caution levels."""
    ok = True
    plt, plt_t = _count(ctx, LabAnalyte.PLATELETS), _count_text(ctx, LabAnalyte.PLATELETS)
    wbc, wbc_t = _count(ctx, LabAnalyte.WBC), _count_text(ctx, LabAnalyte.WBC)
    if plt is None:
        ok = False
        yield Missing(
            "labs.platelets",
            f"Sr-89/Sm-153: platelets against the suggested caution level of 60 ×10⁹/L ({plt_t})",
            Supplier.NURSING,
        )
    elif plt < SRSM_PLT_CAUTION_BELOW:
        ok = False
        yield Flagged(
            "SRSM-EXCL-PLATELETS",
            f"{plt_t} < {SRSM_PLT_CAUTION_BELOW:g} ×10⁹/L, the suggested caution level for "
            "Sr-89/Sm-153 (secondary source): not drafted; the board weighs the benefit "
            "against marrow risk. The level is not a safe floor (Powsner 1997).",
        )
    if wbc is None:
        ok = False
        yield Missing(
            "labs.wbc",
            f"Sr-89/Sm-153: WBC against the suggested caution level of 2.4 ×10⁹/L ({wbc_t})",
            Supplier.NURSING,
        )
    elif wbc < SRSM_WBC_CAUTION_BELOW:
        ok = False
        yield Flagged(
            "SRSM-EXCL-WBC",
            f"{wbc_t} < {SRSM_WBC_CAUTION_BELOW:g} ×10⁹/L, the suggested caution level for "
            "Sr-89/Sm-153 (secondary source): not drafted; the board weighs the benefit "
            "against marrow risk. The level is not a safe floor (Powsner 1997).",
        )
    return ok


def _fbc_follow_up(
    ctx: Context, agent: Radioisotope
) -> Iterator[tuple[date | None, date | None, str]]:
    """RAD-06/07: the blood-count follow-up of a recorded Sr-89 / Sm-153 course, from the
    dose to the end of its recovery window (planned: from the dose to come)."""
    every, first, until = FBC_FOLLOW_UP[agent]
    for c in ctx.facts.radioisotope_courses:
        if c.agent is not agent:
            continue
        d = _dose_date(c)
        if d is not None and d <= ctx.as_of:
            week = (ctx.as_of - d).days / 7
            if week > until:
                continue  # follow-up complete
            due = next(
                (
                    d + timedelta(weeks=w)
                    for w in range(first, until + 1, every)
                    if d + timedelta(weeks=w) >= ctx.as_of
                ),
                None,
            )
            when = f"dose on {d.isoformat()}"
        elif c.planned or d is not None:
            due, when = None, "the planned dose"
        else:
            continue
        yield (d if d is not None and d <= ctx.as_of else None), due, when


FBC_FOLLOW_UP = {
    # (every weeks, from week, until week)
    Radioisotope.STRONTIUM_89: (2, 2, 26),
    Radioisotope.SAMARIUM_153: (1, 2, 8),
}


@rule(
    id="RAD-06",
    section=Section.RADIOISOTOPES,
    title="Strontium-89: blood counts every 2 weeks until recovery (about 6 months)",
    checks="A strontium-89 course given (within 26 weeks) or planned → full blood count at "
    "least every other week until recovery (platelets fall about 30 %, nadir 12–16 weeks, "
    "recovery by about 6 months); before a repeat dose review the response to the first "
    "and the current platelets (Metastron label); no repeat within 90 days (secondary).",
    sources=(src.SR89_LABEL, src.SR89_MONOGRAPH),
    codes=(
        item_code(
            "SR89-FBC-EVERY-2-WEEKS",
            "Strontium-89: full blood count every 2 weeks to week 26",
            "Marrow toxicity is expected: counts at least every other week until recovery.",
            (
                "agent",
                "dose_date",
                "interval_weeks",
                "from_week",
                "until_week",
                "next_due_date",
                "nadir_weeks",
                "before_repeat",
            ),
        ),
    ),
)
def strontium_follow_up(ctx: Context, prior: Prior) -> Iterator[Finding]:
    for d, due, when in _fbc_follow_up(ctx, Radioisotope.STRONTIUM_89):
        yield Item(
            "SR89-FBC-EVERY-2-WEEKS",
            f"Strontium-89 ({when}): marrow toxicity is to be expected — check peripheral counts "
            "at least once every other week; platelets typically fall about 30 %, nadir 12–16 "
            "weeks, recovery by about 6 months. Before any repeat, review the blood response to "
            "the first dose and the current platelets (Metastron label); no repeat sooner than "
            "90 days (secondary source)." + (f" Next count due {due.isoformat()}." if due else ""),
            {
                "agent": Radioisotope.STRONTIUM_89.value,
                "dose_date": d.isoformat() if d else None,
                "interval_weeks": 2,
                "from_week": 2,
                "until_week": 26,
                "next_due_date": due.isoformat() if due else None,
                "nadir_weeks": [12, 16],
                "before_repeat": "review the blood response to the first dose and the current "
                "platelets; not within 90 days",
                "summary": "Full blood count every 2 weeks to week 26 after strontium-89",
            },
        )


@rule(
    id="RAD-07",
    section=Section.RADIOISOTOPES,
    title="Samarium-153: blood counts weekly from week 2 for at least 8 weeks",
    checks="A samarium-153 course given (within 8 weeks) or planned → full blood count weekly "
    "for at least 8 weeks from 2 weeks after the dose, or until marrow recovers (nadir "
    "3–5 weeks at 40–50 % of baseline, recovery by 8 weeks); care with falling platelets "
    "or signs of DIC (Quadramet label).",
    sources=(src.SM153_LABEL,),
    codes=(
        item_code(
            "SM153-FBC-WEEKLY-TO-WEEK-8",
            "Samarium-153: full blood count weekly, weeks 2 to 8",
            "Counts weekly for at least 8 weeks from week 2, or until marrow recovers.",
            (
                "agent",
                "dose_date",
                "interval_weeks",
                "from_week",
                "until_week",
                "next_due_date",
                "nadir_weeks",
            ),
        ),
    ),
)
def samarium_follow_up(ctx: Context, prior: Prior) -> Iterator[Finding]:
    for d, due, when in _fbc_follow_up(ctx, Radioisotope.SAMARIUM_153):
        yield Item(
            "SM153-FBC-WEEKLY-TO-WEEK-8",
            f"Samarium-153 ({when}): white cells and platelets reach a nadir of about 40–50 % "
            "of baseline within 3–5 weeks and recover by about 8 weeks — blood counts weekly "
            "for at least 8 weeks starting 2 weeks after the dose, or until marrow function "
            "recovers; take care if platelets are falling or there are signs of DIC "
            "(Quadramet label)." + (f" Next count due {due.isoformat()}." if due else ""),
            {
                "agent": Radioisotope.SAMARIUM_153.value,
                "dose_date": d.isoformat() if d else None,
                "interval_weeks": 1,
                "from_week": 2,
                "until_week": 8,
                "next_due_date": due.isoformat() if due else None,
                "nadir_weeks": [3, 5],
                "summary": "Full blood count weekly from week 2 to week 8 after samarium-153",
            },
        )


#: RAD-10: the androgen-receptor pathway inhibitors without data beside radium-223, by
#: their typed kind. Records from before the kinds existed hold them as "other" with the
#: drug's name: the name is read as a fallback (no data migration), for those only.
_OTHER_ARPI_KINDS = {
    SystemicTherapyKind.APALUTAMIDE: "apalutamide",
    SystemicTherapyKind.DAROLUTAMIDE: "darolutamide",
}
_OTHER_ARPI_NAMES = tuple(_OTHER_ARPI_KINDS.values())

#: RAD-08: ALSYMPCA enrolled men "in the absence of lymphadenopathy greater than 3 cm"
#: (El-Amm & Aragon-Ching 2015, secondary); a node of exactly 3 cm is not "< 3 cm", so
#: from 3.0 cm on the caution is shown.
ALSYMPCA_NODE_LIMIT_CM = 3.0


@rule(
    id="RAD-08",
    section=Section.RADIOISOTOPES,
    title="Radium-223 beside other radionuclides; ALSYMPCA's nodal limit",
    checks="Radium-223 considered with a strontium-89 / samarium-153 course planned or within "
    "its marrow-recovery window (Sr-89 26 weeks, Sm-153 8 weeks) → excluded; an older one → "
    "caution (marrow reserve). Nodal disease → ALSYMPCA allowed nodes < 3 cm only "
    "(secondary): the largest node's short axis ≥ 3 cm → caution with the value; < 3 cm → "
    "none; not recorded → the caution and a request for it.",
    sources=(src.SR89_LABEL, src.SM153_LABEL, src.POWSNER, src.RA223_NODES),
    codes=(
        flag_code(
            "RA223-EXCL-OTHER-RADIOISOTOPE",
            Severity.CONTRAINDICATION,
            "Radium-223: another radionuclide planned or recent",
            "Not beside strontium-89 / samarium-153 or while the marrow recovers from one.",
            (src.SR89_LABEL, src.SM153_LABEL),
        ),
        flag_code(
            "RA223-PRIOR-RADIOISOTOPE",
            Severity.CAUTION,
            "Radium-223 after an earlier radionuclide",
            "Marrow reserve after strontium-89 / samarium-153: review the trend of the counts, "
            "not only their level.",
            (src.SR89_LABEL, src.SM153_LABEL, src.POWSNER),
        ),
        flag_code(
            "RA223-NODES-UNDER-3CM",
            Severity.CAUTION,
            "Radium-223 with nodal disease: ALSYMPCA allowed nodes < 3 cm",
            "ALSYMPCA enrolled men without lymphadenopathy > 3 cm (secondary source).",
            (src.RA223_NODES,),
        ),
    ),
)
def radium_other_radioisotopes(ctx: Context, prior: Prior) -> Iterator[Finding]:
    a = assess_radium(ctx, prior)
    if not a.considered:
        return
    yield from _emit_own(a, "RAD-08")
    old = [t for t, within in _other_radioisotopes(ctx) if not within]
    if old:
        yield Flagged(
            "RA223-PRIOR-RADIOISOTOPE",
            f"Radium-223 after {'; '.join(old)}: marrow reserve may be reduced; review the "
            "trend of the counts as well as their level (Powsner 1997; Sr-89/Sm-153 labels).",
        )
    ex = ctx.facts.extraskeletal
    if ctx.facts.primary.site is not PrimarySite.PROSTATE or not ex.nodal:
        return
    size = ex.nodal_short_axis_cm
    if size is None:
        yield Flagged(
            "RA223-NODES-UNDER-3CM",
            "Nodal metastases recorded: ALSYMPCA enrolled men only without lymphadenopathy "
            "larger than 3 cm (secondary source); the radiologist confirms the nodal size.",
        )
        yield Missing(
            "extraskeletal.nodal_short_axis_cm",
            "Radium-223 considered with nodal metastases: ALSYMPCA enrolled men without "
            "lymph nodes of 3 cm or more (RAD-08)",
            Supplier.RADIOLOGY,
        )
    elif size >= ALSYMPCA_NODE_LIMIT_CM:
        yield Flagged(
            "RA223-NODES-UNDER-3CM",
            f"Largest nodal metastasis {size:g} cm in short axis: ALSYMPCA enrolled men only "
            f"without lymphadenopathy of {ALSYMPCA_NODE_LIMIT_CM:g} cm or more (secondary "
            "source), so this patient is outside the trial's population; the radiologist "
            "confirms the measurement.",
        )


@rule(
    id="RAD-10",
    section=Section.RADIOISOTOPES,
    title="Radium-223 with an androgen-receptor pathway inhibitor",
    checks="Radium-223 considered with enzalutamide → PEACE-3 (phase 3, secondary) supports "
    "it but it lies outside the EU indication (monotherapy or with an LHRH analogue); bone "
    "protection started ≥ 6 weeks before the first radium-223. Darolutamide or apalutamide "
    "(their own kinds; an older record's 'other' with the drug's name) → a board note (no "
    "data). Abiraterone + prednisone stays excluded (RAD-04).",
    sources=(src.PEACE3, src.RA223_EU),
    codes=(
        flag_code(
            "RA223-WITH-ENZALUTAMIDE",
            Severity.INFO,
            "Radium-223 with enzalutamide: PEACE-3, outside the EU indication",
            "PEACE-3 (secondary): rPFS benefit with mandatory bone protection started ≥ 6 "
            "weeks before radium-223; the EU label is monotherapy or with an LHRH analogue.",
        ),
        note_code(
            "RA223-WITH-OTHER-ARPI",
            "Radium-223 with darolutamide or apalutamide: no data",
            "No data were found for combining radium-223 with darolutamide or apalutamide.",
            (src.RA223_OTHER_ARPI,),
        ),
    ),
)
def radium_arpi(ctx: Context, prior: Prior) -> Iterator[Finding]:
    a = assess_radium(ctx, prior)
    if not a.considered or ctx.facts.primary.site is not PrimarySite.PROSTATE:
        return
    if SystemicTherapyKind.ENZALUTAMIDE in ctx.therapy_kinds:
        yield Flagged(
            "RA223-WITH-ENZALUTAMIDE",
            "Enzalutamide running or planned: radium-223 with enzalutamide has phase 3 support "
            "(PEACE-3, secondary source: rPFS 19.4 vs 16.4 months) but lies outside the EU "
            "indication (monotherapy or with an LHRH analogue). PEACE-3 made bone protection "
            "mandatory, started at least 6 weeks before the first radium-223 (secondary).",
        )
    typed = {_OTHER_ARPI_KINDS[k] for k in ctx.therapy_kinds if k in _OTHER_ARPI_KINDS}
    by_name = {
        n
        for t in ctx.facts.systemic_therapies
        if t.kind is SystemicTherapyKind.OTHER
        and (t.planned or t.stop is None or t.stop >= ctx.as_of)
        for n in _OTHER_ARPI_NAMES
        if n in (t.name or "").lower()
    }
    names = sorted(typed | by_name)
    if names:
        yield Note(
            "RA223-WITH-OTHER-ARPI",
            f"{' and '.join(names).capitalize()} recorded: no data were found on combining "
            f"{'it' if len(names) == 1 else 'them'} with radium-223; the board decides.",
        )


@rule(
    id="RAD-11",
    section=Section.RADIOISOTOPES,
    title="Bone protection with radium-223",
    checks="Radium-223 eligible or recorded and no bone-targeted agent running or drafted → "
    "assess bone health and start one (EU SmPC; fractures in uninvolved bone on radium-223 "
    "alone); with enzalutamide the agent starts ≥ 6 weeks before radium-223 (PEACE-3, "
    "secondary).",
    sources=(src.RA223_BONE_HEALTH, src.PEACE3_FRACTURES, src.PEACE3),
    codes=(
        item_code(
            "RA223-BONE-PROTECTION",
            "Bone protection before radium-223",
            "No bone-targeted agent with radium-223: assess bone health and start one.",
            ("agents", "start_weeks_before_radium"),
        ),
    ),
)
def radium_bone_protection(ctx: Context, prior: Prior) -> Iterator[Finding]:
    a = assess_radium(ctx, prior)
    course = _radium_course(ctx)
    # A course under way with no exclusion (e.g. castration status missing from the record).
    active_course = course is not None and a.doses_given < RA223_DOSES and not a.exclusions
    if not (a.eligible or active_course) or bta_in_play(ctx, prior):
        return
    enza = SystemicTherapyKind.ENZALUTAMIDE in ctx.therapy_kinds
    yield Item(
        "RA223-BONE-PROTECTION",
        "Radium-223 without a bone-targeted agent: assess bone health and start one (EU SmPC); "
        "on radium-223 alone freedom from fracture was 56 % at 12 months, two thirds of "
        "fractures in uninvolved bone (phase II, 2021), and PEACE-3 fractures fell once bone "
        "protection was mandated (Eur Urol 2025)"
        + (
            "; with enzalutamide, start it at least 6 weeks before the first radium-223 "
            "(PEACE-3, secondary source)."
            if enza
            else "."
        ),
        {
            "agents": [BoneTargetedAgent.ZOLEDRONIC_ACID.value, BoneTargetedAgent.DENOSUMAB.value],
            "start_weeks_before_radium": 6 if enza else None,
            "summary": "Assess bone health and start a bone-targeted agent with radium-223",
        },
    )


RULES = (
    radium_eligibility,
    radium_dose,
    radium_counts,
    radium_combinations,
    radium_other_radioisotopes,
    radium_arpi,
    radium_bone_protection,
    strontium_samarium,
    strontium_follow_up,
    samarium_follow_up,
)
