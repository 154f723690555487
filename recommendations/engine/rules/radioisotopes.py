"""§5 Radioisotopes: radium-223 (RAD-01..04) and strontium-89 / samarium-153 (RAD-05)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from .. import sources as src
from ..common import Section, Severity, Supplier, day_count
from ..context import Context
from ..facts import (
    BoneDiseaseExtent,
    CastrationStatus,
    LabAnalyte,
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
    Prior,
    flag_code,
    item_code,
    per_evaluation,
    rule,
)

RA223_KBQ_PER_KG = 55
RA223_INTERVAL_WEEKS = 4
RA223_DOSES = 6
#: RAD-03 first dose: ANC ≥ 1.5, platelets ≥ 100 ×10⁹/L, Hb ≥ 10 g/dL; later: ANC ≥ 1.0,
#: platelets ≥ 50. No recovery within 6–8 weeks of the last dose → stop.
FIRST_ANC, FIRST_PLT, FIRST_HB = 1.5, 100.0, 10.0
LATER_ANC, LATER_PLT = 1.0, 50.0
NO_RECOVERY_STOP_DAYS = 56
#: RAD-05 floors (strictly greater): platelets > 60, WBC > 2.4 ×10⁹/L.
SRSM_PLT_ABOVE, SRSM_WBC_ABOVE = 60.0, 2.4


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


def _count_text(ctx: Context, analyte: LabAnalyte) -> str:
    """The count as quoted in a message."""
    st = ctx.labs[analyte]
    if st.value is None or st.latest is None:
        return f"{analyte} {st.problem}"
    return f"{analyte} {st.latest.as_recorded()} on {st.latest.taken_at.isoformat()}"


@per_evaluation
def assess_radium(ctx: Context, prior: Prior) -> RadiumAssessment:
    """Every RAD-01/03/04 criterion, each exclusion with its own code (RAD-01..04 read
    the same assessment; it reads the facts only)."""
    f = ctx.facts
    course = _radium_course(ctx)
    site = f.primary.site
    considered = site is PrimarySite.PROSTATE or course is not None
    doses_given = course.doses_given if course else 0
    a = RadiumAssessment(considered=considered, doses_given=doses_given)
    if not a.considered:
        return a
    if a.doses_given >= RA223_DOSES:
        a.exclusions.append(
            ("RAD-02", "RA223-COURSE-COMPLETE", f"all {RA223_DOSES} injections given")
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
                    f"{hb_text} < {FIRST_HB:g} g/dL (first dose)",
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
    return a


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
    "prostate and breast), platelets > 60 and WBC > 2.4 ×10⁹/L → Sr-89 or Sm-153 for pain.",
    sources=(src.SRSM, src.SRSM_COUNTS),
    codes=(
        item_code(
            "RADIONUCLIDE-SR89-SM153",
            "Strontium-89 or samarium-153 for bone pain",
            "Widespread painful osteoblastic disease with uptake and adequate counts.",
            ("agents", "doses", "counts_floor", "primary_site"),
        ),
        flag_code(
            "SRSM-EXCL-NO-UPTAKE",
            Severity.CONTRAINDICATION,
            "Sr-89/Sm-153: no uptake on bone scan",
            "Needs uptake on bone scan.",
        ),
        flag_code(
            "SRSM-EXCL-PLATELETS",
            Severity.CONTRAINDICATION,
            "Sr-89/Sm-153: platelets ≤ 60",
            "Needs platelets > 60 ×10⁹/L.",
            (src.SRSM_COUNTS,),
        ),
        flag_code(
            "SRSM-EXCL-WBC",
            Severity.CONTRAINDICATION,
            "Sr-89/Sm-153: WBC ≤ 2.4",
            "Needs WBC > 2.4 ×10⁹/L.",
            (src.SRSM_COUNTS,),
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
    plt, plt_t = _count(ctx, LabAnalyte.PLATELETS), _count_text(ctx, LabAnalyte.PLATELETS)
    wbc, wbc_t = _count(ctx, LabAnalyte.WBC), _count_text(ctx, LabAnalyte.WBC)
    if plt is None:
        ok = False
        yield Missing(
            "labs.platelets", f"Sr-89/Sm-153 need platelets > 60 ×10⁹/L ({plt_t})", Supplier.NURSING
        )
    elif plt <= SRSM_PLT_ABOVE:
        ok = False
        yield Flagged(
            "SRSM-EXCL-PLATELETS", f"{plt_t} ≤ 60 ×10⁹/L: Sr-89/Sm-153 not safe (secondary floor)."
        )
    if wbc is None:
        ok = False
        yield Missing("labs.wbc", f"Sr-89/Sm-153 need WBC > 2.4 ×10⁹/L ({wbc_t})", Supplier.NURSING)
    elif wbc <= SRSM_WBC_ABOVE:
        ok = False
        yield Flagged(
            "SRSM-EXCL-WBC", f"{wbc_t} ≤ 2.4 ×10⁹/L: Sr-89/Sm-153 not safe (secondary floor)."
        )
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
        yield Item(
            "RADIONUCLIDE-SR89-SM153",
            f"Widespread painful osteoblastic metastases with bone-scan uptake, {plt_t}, {wbc_t}: "
            "strontium-89 or samarium-153 can palliate pain (source document; labels).",
            {
                "agents": [str(Radioisotope.STRONTIUM_89), str(Radioisotope.SAMARIUM_153)],
                "doses": 1,
                "counts_floor": {"platelets_above": SRSM_PLT_ABOVE, "wbc_above": SRSM_WBC_ABOVE},
                "primary_site": str(site) if site else None,
                "summary": "Strontium-89 or samarium-153 for widespread painful blastic disease",
            },
        )


RULES = (radium_eligibility, radium_dose, radium_counts, radium_combinations, strontium_samarium)
