"""§4 Bone-targeted agents (BTA-01..10, 12, 13): zoledronic acid and denosumab."""

from __future__ import annotations

from collections.abc import Iterator

from .. import sources as src
from ..common import JSONValue, Section, Severity, Supplier, Urgency
from ..context import (
    CALCIUM_MG_DL_PER_MMOL_L,
    DENTAL_EXAM_RECENT_DAYS,
    HYPOCALCAEMIA_BELOW_MMOL_L,
    LONG_TERM_BTA_DAYS,
    Context,
)
from ..facts import (
    BoneTargetedAgent,
    CastrationStatus,
    LabAnalyte,
    LabUnit,
    PrimarySite,
    SurvivalBand,
    SystemicTherapyKind,
)
from ..scores import RenalAction
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
    rule,
)
from .hcm import corrected_calcium

ZOL = BoneTargetedAgent.ZOLEDRONIC_ACID
DMAB = BoneTargetedAgent.DENOSUMAB
ZOL_INTERVAL_WEEKS = 4  # BTA-02: every 3–4 weeks
ZOL_ALTERNATIVE_INTERVAL_WEEKS = 12  # CALGB 70604, OPTIMIZE-2, ZOOM
DMAB_INTERVAL_WEEKS = 4  # BTA-06
NON_SOLID = frozenset({PrimarySite.MYELOMA, PrimarySite.LYMPHOMA})


def _words(agent: BoneTargetedAgent | str) -> str:
    """The agent as a reader writes it ("zoledronic acid"), not its key."""
    return str(agent).replace("_", " ")


def _castration(ctx: Context) -> CastrationStatus | None:
    cs = ctx.facts.primary.castration_status
    return None if cs is CastrationStatus.UNKNOWN else cs


def bta_in_play(ctx: Context, prior: Prior) -> bool:
    codes = prior.codes
    return bool(
        "BTA-START" in codes or "BTA-CONTINUE" in codes or ctx.bta_active or ctx.bta_planned
    )


def _starting(ctx: Context) -> bool:
    """No BTA running yet: the first-dose checks (dental, calcium) apply."""
    return not ctx.bta_active


def zol_considered(ctx: Context, prior: Prior) -> bool:
    if ctx.zol_active or ctx.zol_planned:
        return True
    return "BTA-START" in prior.codes and not ctx.bta_active and not ctx.dmab_planned


def dmab_considered(ctx: Context, prior: Prior) -> bool:
    if ctx.dmab_active or ctx.dmab_planned:
        return True
    return "BTA-START" in prior.codes and not ctx.bta_active and not ctx.zol_planned


@rule(
    id="BTA-01",
    section=Section.BTA,
    title="Indication for a bone-targeted agent",
    checks="Breast cancer or castration-resistant prostate cancer with bone metastases "
    "[I,A]; other solid tumours with life expectancy ≥ 3 months [I,B]; castration-"
    "sensitive prostate cancer: no evidence of skeletal-event benefit.",
    sources=(src.ESMO_BTA, src.ASCO_CSPC),
    codes=(
        item_code(
            "BTA-START",
            "Start a bone-targeted agent",
            "Indicated and none running: start zoledronic acid or denosumab (agent by renal "
            "function; dental examination first).",
            (
                "candidate_agents",
                "indication",
                "evidence",
                "recommended_agent",
                "alternatives",
                "provisional_if",
            ),
        ),
        item_code(
            "BTA-CONTINUE",
            "Continue the bone-targeted agent",
            "Indicated and running: continue, with the agent's monitoring.",
            ("agent", "dose_mg", "interval_weeks", "indication", "provisional_if"),
        ),
        flag_code(
            "BTA-NO-SRE-BENEFIT-CSPC",
            Severity.WARNING,
            "No skeletal-event benefit in castration-sensitive prostate cancer",
            "ASCO–CCO 2020: BTAs do not prevent skeletal events in castration-sensitive disease.",
            (src.ASCO_CSPC,),
        ),
        flag_code(
            "BTA-NOT-INDICATED-SHORT-SURVIVAL",
            Severity.INFO,
            "Life expectancy < 3 months",
            "Other solid tumours: BTA indicated only with life expectancy ≥ 3 months [I,B].",
        ),
        note_code(
            "BTA-OUTSIDE-REFERENCE",
            "Haematological primary",
            "Myeloma/lymphoma bone disease is outside the rules reference (solid tumours); "
            "the board decides on a BTA.",
        ),
    ),
)
def indication(ctx: Context, prior: Prior) -> Iterator[Finding]:
    f = ctx.facts
    provisional_if: str | None = None
    site = f.primary.site
    if site is None:
        yield Missing(
            "primary.site",
            "the BTA indication depends on the primary (BTA-01)",
            Supplier.MEDICAL_ONCOLOGY,
        )
        return
    if site is PrimarySite.PROSTATE:
        cs = _castration(ctx)
        if cs is None:
            yield Missing(
                "primary.castration_status",
                "prostate cancer: BTAs help only castration-resistant disease (BTA-01); "
                "radium-223 needs CRPC (RAD-01)",
                Supplier.MEDICAL_ONCOLOGY,
            )
            return
        if cs is CastrationStatus.SENSITIVE:
            on = ", ".join(str(c.agent) for c in ctx.bta_active)
            yield Flagged(
                "BTA-NO-SRE-BENEFIT-CSPC",
                "Castration-sensitive prostate cancer: no evidence that a BTA prevents skeletal "
                "events (ASCO–CCO 2020)"
                + (
                    f"; {on} is running — review the indication (denosumab must not stop abruptly)."
                    if on
                    else "; none drafted."
                ),
            )
            return
        why, ev = "castration-resistant prostate cancer with bone metastases", "[I,A]"
    elif site is PrimarySite.BREAST:
        why, ev = "breast cancer with bone metastases", "[I,A]"
    elif site in NON_SOLID:
        yield Note(
            "BTA-OUTSIDE-REFERENCE",
            f"{site}: bone-targeted agents for haematological disease are outside the rules "
            "reference (solid tumours); the board decides.",
        )
        return
    else:
        sv = f.expected_survival
        if sv is None:
            # Unknown survival is not a reason for silence: the likely branch is drafted,
            # marked provisional, so its prerequisites (dental examination, renal dose, ONJ
            # risks) are prepared while the oncologist supplies the estimate.
            yield Missing(
                "expected_survival",
                f"{site} primary: a BTA is indicated with life expectancy ≥ 3 months (BTA-01)",
                Supplier.MEDICAL_ONCOLOGY,
            )
            provisional_if = "life expectancy ≥ 3 months"
        if sv is SurvivalBand.LESS_THAN_3_MONTHS:
            yield Flagged(
                "BTA-NOT-INDICATED-SHORT-SURVIVAL",
                (
                    f"{site} primary with expected survival < 3 months: no BTA drafted (ESMO [I,B] "
                    f"needs ≥ 3 months)."
                ),
            )
            return
        why, ev = (
            f"{site} primary (solid tumour) with bone metastases and life expectancy ≥ 3 months",
            "[I,B]",
        )
        if sv is None:
            why = f"{site} primary (solid tumour) with bone metastases, if {provisional_if}"

    if ctx.bta_active:
        c = ctx.bta_active[0]
        yield Item(
            "BTA-CONTINUE",
            f"{why.capitalize()} {ev} (ESMO 2020, secondary source): {_words(c.agent)} running "
            f"since {c.start.isoformat() if c.start else 'unknown'} — continue.",
            {
                "agent": str(c.agent),
                "dose_mg": c.dose_mg,
                "interval_weeks": c.interval_weeks,
                "indication": why,
                "provisional_if": provisional_if,
                "summary": f"Continue {_words(c.agent)}"
                + (f" (provisional: if {provisional_if})" if provisional_if else ""),
            },
        )
        return
    if ctx.bta_planned:
        candidates = sorted({str(c.agent) for c in ctx.bta_planned})
    elif ctx.zol_contraindicated:
        candidates = [DMAB.value]
    else:
        candidates = [ZOL.value, DMAB.value]
    yield Item(
        "BTA-START",
        f"{why.capitalize()} {ev} (ESMO 2020, secondary source): a bone-targeted agent to "
        "prevent skeletal-related events; the agent follows renal function (BTA-03/07) and "
        "the start waits for a dental examination (BTA-08).",
        {
            "candidate_agents": candidates,
            "indication": why,
            "evidence": ev,
            "provisional_if": provisional_if,
            "summary": "Start a bone-targeted agent: "
            + " or ".join(map(_words, candidates))
            + (f" (provisional: if {provisional_if})" if provisional_if else ""),
        },
    )


@rule(
    id="BTA-02",
    section=Section.BTA,
    title="Zoledronic acid infusion: ≥ 15 minutes, hydrated, every 3–4 (or 12) weeks",
    checks="Zoledronic acid considered → 4 mg (renally adjusted, BTA-03) IV over at least "
    "15 minutes after hydration, every 3–4 weeks; every 12 weeks is an accepted alternative.",
    sources=(src.ZOMETA, src.ZOL_INTERVAL),
    codes=(
        item_code(
            "BTA-ZOLEDRONIC-INFUSION",
            "Zoledronic acid: infusion over ≥ 15 min, hydrate first",
            "Administration: IV over ≥ 15 minutes after hydration; every 3–4 weeks or 12-weekly.",
            (
                "agent",
                "route",
                "infusion_minutes_min",
                "hydrate_before",
                "interval_weeks",
                "interval_weeks_range",
                "alternative_interval_weeks",
            ),
        ),
    ),
)
def zoledronic_infusion(ctx: Context, prior: Prior) -> Iterator[Finding]:
    if not zol_considered(ctx, prior) or ctx.zol_contraindicated:
        return
    c = ctx.zol_course
    interval = c.interval_weeks if c is not None and c.interval_weeks else ZOL_INTERVAL_WEEKS
    yield Item(
        "BTA-ZOLEDRONIC-INFUSION",
        "Zoledronic acid is renally excreted: infuse over at least 15 minutes after "
        "hydration (label; source document). Every 3–4 weeks; 12-weekly is non-inferior "
        "(CALGB 70604, OPTIMIZE-2, ZOOM).",
        {
            "agent": ZOL.value,
            "route": "IV",
            "infusion_minutes_min": 15,
            "hydrate_before": True,
            "interval_weeks": interval,
            "interval_weeks_range": [3, 4],
            "alternative_interval_weeks": ZOL_ALTERNATIVE_INTERVAL_WEEKS,
            "summary": (
                "Zoledronic acid IV over ≥ 15 min after hydration, every 3–4 weeks (or 12-weekly)"
            ),
        },
    )


def _other_clearance_inputs(ctx: Context) -> Iterator[Finding]:
    """Every other missing input of the same Cockcroft–Gault in the same round as its
    creatinine, so a second round does not ask for the weight."""
    why = "Cockcroft–Gault for the zoledronic acid dose (BTA-03)"
    if ctx.weight_kg is None:
        extra = f" ({ctx.weight_problem})" if ctx.weight_problem else ""
        yield Missing("patient.weight_kg", f"{why}{extra}", Supplier.NURSING)
    if ctx.age_years is None:
        yield Missing("patient.date_of_birth", why, Supplier.COORDINATION)
    if ctx.facts.patient.sex is None:
        yield Missing("patient.sex", why, Supplier.COORDINATION)


def _clearance_missing(ctx: Context) -> Iterator[Finding]:
    if ctx.zol_active and ctx.facts.baseline_creatinine is None:
        yield Missing(
            "baseline_creatinine",
            "zoledronic acid dose and withhold rule are set by the creatinine before the "
            "first dose (BTA-03/04)",
            Supplier.MEDICAL_ONCOLOGY,
        )
        yield from _other_clearance_inputs(ctx)
        return
    cl = ctx.zol_baseline
    if cl is None:
        if not ctx.zol_active:
            why = "Cockcroft–Gault for the zoledronic acid dose (BTA-03)"
            yield Missing("labs.creatinine", f"{why}: {ctx.crcl_problem}", Supplier.NURSING)
            yield from _other_clearance_inputs(ctx)
        return
    for m in cl.missing:
        path, who = {
            "creatinine": ("labs.creatinine", Supplier.NURSING),
            "age": ("patient.date_of_birth", Supplier.COORDINATION),
            "weight_kg": ("patient.weight_kg", Supplier.NURSING),
            "sex": ("patient.sex", Supplier.COORDINATION),
        }[m]
        extra = f" ({ctx.weight_problem})" if m == "weight_kg" and ctx.weight_problem else ""
        yield Missing(path, f"Cockcroft–Gault for the zoledronic acid dose (BTA-03){extra}", who)


@rule(
    id="BTA-03",
    section=Section.BTA,
    title="Zoledronic acid dose by baseline creatinine clearance",
    checks="Bone metastases and myeloma only (not hypercalcaemia of malignancy: HCM-02). "
    "> 60 mL/min 4.0 mg; 50–60 3.5 mg; 40–49 3.3 mg; 30–39 3.0 mg; < 30 not "
    "recommended (BTA-07). Clearances between the label's bands use the lower band, and "
    "the item says so. Missing inputs are asked for.",
    sources=(src.ZOMETA, src.CG),
    codes=(
        item_code(
            "BTA-ZOLEDRONIC-DOSE",
            "Zoledronic acid dose (renally adjusted)",
            "Dose from the baseline Cockcroft–Gault clearance band (Zometa label).",
            (
                "agent",
                "dose_mg",
                "route",
                "crcl_ml_min",
                "band",
                "between_bands",
                "interval_weeks",
                "alternative_interval_weeks",
                "doses",
                "baseline_creatinine_date",
            ),
        ),
        flag_code(
            "BTA-ZOLEDRONIC-DOSE-MISMATCH",
            Severity.CAUTION,
            "Recorded zoledronic acid dose differs from the label band",
            "The running course's dose differs from the baseline-clearance band.",
        ),
    ),
)
def zoledronic_dose(ctx: Context, prior: Prior) -> Iterator[Finding]:
    if not zol_considered(ctx, prior):
        return
    band, cl = ctx.zol_band, ctx.zol_baseline
    if band is None or cl is None:
        yield from _clearance_missing(ctx)
        return
    if not band.recommended:
        return  # BTA-07 flags it
    c = ctx.zol_course
    interval = c.interval_weeks if c is not None and c.interval_weeks else ZOL_INTERVAL_WEEKS
    base = "baseline (pre-first-dose) " if ctx.zol_active else ""
    if cl.creatinine is None:  # unreachable: a computed clearance has its creatinine
        return
    yield Item(
        "BTA-ZOLEDRONIC-DOSE",
        f"{base}{cl.describe()}. {band.explanation} (Zometa label, for bone metastases and "
        "myeloma; the source document gives only 4 mg — conflict 7)."
        + (
            " The hypercalcaemia treatment dose is separate and not renally reduced (HCM-02)."
            if prior.has("HCM-ZOLEDRONIC-4MG")
            else ""
        ),
        {
            "agent": ZOL.value,
            "dose_mg": band.dose_mg,
            "route": "IV",
            "crcl_ml_min": band.crcl_ml_min,
            "band": band.band,
            "between_bands": band.between_bands,
            "interval_weeks": interval,
            "alternative_interval_weeks": ZOL_ALTERNATIVE_INTERVAL_WEEKS,
            "doses": None,
            "baseline_creatinine_date": cl.creatinine.taken_at.isoformat(),
            "summary": f"Zoledronic acid {band.dose_mg:g} mg IV every {interval} weeks",
        },
    )
    if (
        c is not None
        and c.dose_mg is not None
        and band.dose_mg is not None
        and abs(c.dose_mg - band.dose_mg) > 1e-9
    ):
        yield Flagged(
            "BTA-ZOLEDRONIC-DOSE-MISMATCH",
            (
                f"Running course records {c.dose_mg:g} mg; the baseline clearance band gives "
                f"{band.dose_mg:g} "
                f"mg."
            ),
        )


def _creatinine(value_unit: tuple[float, str]) -> JSONValue:
    return {"analyte": "creatinine", "value": value_unit[0], "unit": value_unit[1]}


@rule(
    id="BTA-04",
    section=Section.BTA,
    title="Creatinine before every zoledronic acid dose; withhold and resume",
    checks="Creatinine before each dose. Withhold if it rose ≥ 0.5 mg/dL from a normal "
    "baseline (< 1.4) or ≥ 1.0 mg/dL from an abnormal baseline (≥ 1.4); resume only "
    "within 10 % of baseline, at the pre-interruption dose.",
    sources=(src.ZOMETA,),
    codes=(
        item_code(
            "BTA-ZOLEDRONIC-CREATININE-CHECK",
            "Serum creatinine (and calcium) before every dose",
            "Reminder-bearing: creatinine and calcium a few days before each infusion.",
            ("agent", "analytes", "before_each_dose", "days_before", "interval_weeks", "withheld"),
        ),
        item_code(
            "BTA-ZOLEDRONIC-RESUME",
            "Resume zoledronic acid",
            "Creatinine back within 10 % of baseline: resume at the pre-interruption dose.",
            ("agent", "dose_mg", "baseline_creatinine", "latest_creatinine", "resume_at_most"),
        ),
        flag_code(
            "BTA-ZOLEDRONIC-WITHHOLD",
            Severity.CONTRAINDICATION,
            "Withhold zoledronic acid: creatinine rise",
            "Rise ≥ 0.5 mg/dL / 44 µmol/L (normal baseline) or ≥ 1.0 mg/dL / 88 µmol/L "
            "(abnormal baseline).",
        ),
        flag_code(
            "BTA-ZOLEDRONIC-KEEP-WITHHOLDING",
            Severity.CONTRAINDICATION,
            "Keep withholding zoledronic acid",
            "Interrupted for renal deterioration; creatinine not yet within 10 % of baseline.",
        ),
    ),
)
def zoledronic_renal(ctx: Context, prior: Prior) -> Iterator[Finding]:
    if not zol_considered(ctx, prior) or ctx.zol_contraindicated:
        return
    c = ctx.zol_course
    interval = c.interval_weeks if c is not None and c.interval_weeks else ZOL_INTERVAL_WEEKS
    yield Item(
        "BTA-ZOLEDRONIC-CREATININE-CHECK",
        "Zoledronic acid can cause renal deterioration: serum creatinine before every dose "
        "(label), with calcium.",
        {
            "agent": ZOL.value,
            "analytes": ["creatinine", "calcium"],
            "before_each_dose": True,
            "days_before": 3,
            "interval_weeks": interval,
            "summary": "Creatinine and calcium a few days before each zoledronic acid dose",
        },
    )
    if not ctx.zol_active:
        return
    rc = ctx.renal_check
    if rc is None:
        cre = ctx.labs[LabAnalyte.CREATININE]
        if cre.value is None:
            yield Missing(
                "labs.creatinine",
                f"zoledronic acid running: creatinine before every dose (BTA-04): {cre.problem}",
                Supplier.NURSING,
            )
        return
    if rc.action is RenalAction.WITHHOLD:
        yield Flagged("BTA-ZOLEDRONIC-WITHHOLD", f"Withhold zoledronic acid: {rc.explanation}.")
    elif rc.action is RenalAction.KEEP_WITHHOLDING:
        yield Flagged(
            "BTA-ZOLEDRONIC-KEEP-WITHHOLDING", f"Zoledronic acid interrupted: {rc.explanation}."
        )
    elif rc.action is RenalAction.RESUME:
        dose = (
            c.dose_mg
            if c is not None and c.dose_mg is not None
            else (ctx.zol_band.dose_mg if ctx.zol_band else None)
        )
        yield Item(
            "BTA-ZOLEDRONIC-RESUME",
            f"{rc.explanation} (Zometa label).",
            {
                "agent": ZOL.value,
                "dose_mg": dose,
                # As recorded (value and unit): a µmol/L board reads µmol/L.
                "baseline_creatinine": _creatinine(rc.baseline),
                "latest_creatinine": _creatinine(rc.latest),
                "resume_at_most": _creatinine(rc.resume_limit),
                "summary": "Resume zoledronic acid at the dose used before the interruption",
            },
        )


@rule(
    id="BTA-05",
    section=Section.BTA,
    title="Calcium 500 mg and vitamin D 400 IU daily",
    checks="Any BTA running or drafted → daily calcium 500 mg and vitamin D 400 IU (zoledronic "
    "acid label; denosumab label also requires supplements). Not while hypercalcaemic "
    "(HCM-01): the label's supplements are for bone metastases and myeloma.",
    sources=(src.ZOMETA, src.XGEVA),
    codes=(
        item_code(
            "BTA-CALCIUM-VITAMIN-D",
            "Calcium 500 mg + vitamin D 400 IU daily",
            "Daily supplements with a bone-targeted agent.",
            ("calcium_mg_daily", "vitamin_d_iu_daily", "agents"),
        ),
        flag_code(
            "BTA-SUPPLEMENTS-AFTER-HYPERCALCAEMIA",
            Severity.INFO,
            "Calcium and vitamin D supplements wait until calcium is normal",
            "Hypercalcaemia of malignancy: no calcium supplement now; the label's daily "
            "supplements (bone metastases, myeloma) start once calcium has normalised.",
        ),
    ),
)
def supplements(ctx: Context, prior: Prior) -> Iterator[Finding]:
    if not bta_in_play(ctx, prior):
        return
    if prior.has("HCM-HYPERCALCAEMIA"):
        yield Flagged(
            "BTA-SUPPLEMENTS-AFTER-HYPERCALCAEMIA",
            "Hypercalcaemia of malignancy (HCM-01): no calcium 500 mg / vitamin D 400 IU "
            "supplement now; the Zometa label gives them for bone metastases and myeloma, to "
            "start once calcium has normalised.",
        )
        return
    agents = sorted(
        {str(c.agent) for c in ctx.bta_active + ctx.bta_planned}
        | ({ZOL.value} if zol_considered(ctx, prior) and not ctx.zol_contraindicated else set())
        | ({DMAB.value} if dmab_considered(ctx, prior) else set())
    )
    yield Item(
        "BTA-CALCIUM-VITAMIN-D",
        "Bone-targeted agents lower serum calcium: daily calcium 500 mg and vitamin D 400 IU.",
        {
            "calcium_mg_daily": 500,
            "vitamin_d_iu_daily": 400,
            "agents": agents,
            "summary": "Calcium 500 mg and vitamin D 400 IU daily",
        },
    )


@rule(
    id="BTA-06",
    section=Section.BTA,
    title="Denosumab 120 mg SC every 4 weeks with calcium monitoring",
    checks="Denosumab considered → 120 mg SC every 4 weeks, no renal adjustment; correct "
    "hypocalcaemia first; calcium before the first dose, ~2 weeks after it and before each "
    "later dose; highest risk with CrCl < 30 or dialysis; a patient on denosumab: never stop "
    "abruptly.",
    sources=(src.XGEVA,),
    codes=(
        item_code(
            "BTA-DENOSUMAB-120MG",
            "Denosumab 120 mg SC every 4 weeks",
            "No renal adjustment; an alternative to zoledronic acid, preferred when CrCl < 30.",
            ("agent", "dose_mg", "route", "interval_weeks", "doses", "alternative_to"),
        ),
        item_code(
            "BTA-DENOSUMAB-CALCIUM-CHECKS",
            "Serum calcium: before 1st dose, at 2 weeks, before each dose",
            "Reminder-bearing calcium schedule for denosumab.",
            ("agent", "analyte", "checks", "follow_up_weeks", "interval_weeks"),
        ),
        flag_code(
            "BTA-HYPOCALCAEMIA-CORRECT-FIRST",
            Severity.CONTRAINDICATION,
            "Correct hypocalcaemia before denosumab",
            f"Adjusted calcium below {HYPOCALCAEMIA_BELOW_MMOL_L} mmol/L (engine threshold).",
        ),
        flag_code(
            "BTA-DENOSUMAB-HYPOCALCAEMIA-RISK",
            Severity.WARNING,
            "High hypocalcaemia risk on denosumab",
            "CrCl < 30 mL/min or dialysis: highest hypocalcaemia risk; close calcium monitoring.",
        ),
        flag_code(
            "BTA-DENOSUMAB-NO-ABRUPT-STOP",
            Severity.CAUTION,
            "Do not stop denosumab abruptly",
            "Rebound bone turnover after stopping; plan any stop.",
        ),
    ),
)
def denosumab(ctx: Context, prior: Prior) -> Iterator[Finding]:
    if not dmab_considered(ctx, prior):
        return
    both = "BTA-START" in prior.codes and zol_considered(ctx, prior) and not ctx.zol_contraindicated
    yield Item(
        "BTA-DENOSUMAB-120MG",
        "Denosumab 120 mg SC every 4 weeks, no renal adjustment (label)"
        + (
            " — an alternative to zoledronic acid; the board chooses one."
            if both
            else " — preferred as zoledronic acid is not recommended below CrCl 30 (BTA-07)."
            if ctx.zol_contraindicated
            else "."
        ),
        {
            "agent": DMAB.value,
            "dose_mg": 120,
            "route": "SC",
            "interval_weeks": DMAB_INTERVAL_WEEKS,
            "doses": None,
            "alternative_to": "BTA-ZOLEDRONIC-DOSE" if both else None,
            "summary": "Denosumab 120 mg SC every 4 weeks",
        },
    )
    starting = not ctx.dmab_active
    checks = (
        ["before_first_dose", "2_weeks_after_first_dose", "before_each_later_dose"]
        if starting
        else ["before_each_dose"]
    )
    yield Item(
        "BTA-DENOSUMAB-CALCIUM-CHECKS",
        "Denosumab causes hypocalcaemia: check calcium before the first dose, within 2 weeks "
        "after it, and before later doses (label).",
        {
            "agent": DMAB.value,
            "analyte": "calcium",
            "checks": checks,
            "follow_up_weeks": [0, 2] if starting else [],
            "interval_weeks": DMAB_INTERVAL_WEEKS,
            "summary": "Serum calcium "
            + (
                "before the first dose, at 2 weeks, then before each dose"
                if starting
                else "before each dose"
            ),
        },
    )
    ca = ctx.labs[LabAnalyte.CALCIUM]
    # No adjusted calcium but a total calcium with albumin: HCM-04 corrects it, and that
    # corrected value is the calcium this check reads, not a calcium to ask for.
    cc = corrected_calcium(ctx, prior).corrected if ca.value is None else None
    if cc is not None:
        mmol = cc.value if cc.unit is LabUnit.MMOL_L else cc.value / CALCIUM_MG_DL_PER_MMOL_L
        if mmol < HYPOCALCAEMIA_BELOW_MMOL_L:
            yield Flagged(
                "BTA-HYPOCALCAEMIA-CORRECT-FIRST",
                f"Corrected calcium {cc.shown()} ({cc.text}): correct hypocalcaemia before "
                + ("starting denosumab." if starting else "the next dose."),
            )
    elif ca.value is None:
        if starting:
            yield Missing(
                "labs.calcium",
                f"hypocalcaemia must be corrected before denosumab (BTA-06): {ca.problem}",
                Supplier.NURSING,
            )
    elif ca.value < HYPOCALCAEMIA_BELOW_MMOL_L and ca.latest is not None:
        yield Flagged(
            "BTA-HYPOCALCAEMIA-CORRECT-FIRST",
            f"Calcium {ca.latest.as_recorded()}"
            + ("" if ca.latest.unit is LabUnit.MMOL_L else f" ({ca.value:.2f} mmol/L)")
            + f" on "
            f"{ca.latest.taken_at.isoformat()}: correct hypocalcaemia before "
            + ("starting denosumab." if starting else "the next dose."),
        )
    risk = []
    if ctx.crcl is not None and ctx.crcl.value_ml_min is not None and ctx.crcl.value_ml_min < 30:
        risk.append(f"CrCl {ctx.crcl.value_ml_min:g} mL/min")
    if ctx.facts.patient.on_dialysis:
        risk.append("dialysis")
    if risk:
        yield Flagged(
            "BTA-DENOSUMAB-HYPOCALCAEMIA-RISK",
            (
                f"{' and '.join(risk)}: highest risk of hypocalcaemia on denosumab — close calcium "
                f"monitoring."
            ),
        )
    if ctx.dmab_active:  # a rebound warning is about a patient on denosumab (BTA-12)
        yield Flagged(
            "BTA-DENOSUMAB-NO-ABRUPT-STOP",
            (
                "Denosumab must not be stopped abruptly (rebound bone loss and vertebral "
                "fractures); plan any stop."
            ),
        )


@rule(
    id="BTA-07",
    section=Section.BTA,
    title="CrCl < 30: no zoledronic acid",
    checks="Baseline (or, on treatment, latest) creatinine clearance < 30 mL/min → "
    "zoledronic acid not recommended; denosumab may be preferred with close calcium monitoring.",
    sources=(src.ZOMETA, src.XGEVA),
    codes=(
        flag_code(
            "BTA-ZOLEDRONIC-NOT-RECOMMENDED-CRCL30",
            Severity.CONTRAINDICATION,
            "Zoledronic acid not recommended: CrCl < 30",
            "Severe renal impairment: do not give zoledronic acid; consider denosumab.",
        ),
    ),
)
def severe_renal(ctx: Context, prior: Prior) -> Iterator[Finding]:
    if not zol_considered(ctx, prior):
        return
    if ctx.zol_band is not None and not ctx.zol_band.recommended:
        yield Flagged(
            "BTA-ZOLEDRONIC-NOT-RECOMMENDED-CRCL30",
            f"{ctx.zol_band.explanation}.",
        )
    elif (
        ctx.zol_active
        and ctx.crcl is not None
        and ctx.crcl.value_ml_min is not None
        and ctx.crcl.value_ml_min < 30
    ):
        yield Flagged(
            "BTA-ZOLEDRONIC-NOT-RECOMMENDED-CRCL30",
            f"Latest {ctx.crcl.describe()} < 30 mL/min on zoledronic acid: do not give; "
            "consider denosumab with close calcium monitoring.",
        )


_ONJ_DENTAL = (
    (
        "invasive_work_pending",
        "ONJ-RISK-INVASIVE-DENTAL-WORK",
        (
            "invasive dental work pending — complete it before the first dose; avoid invasive "
            "procedures "
            "during treatment"
        ),
    ),
    ("poor_oral_hygiene", "ONJ-RISK-POOR-ORAL-HYGIENE", "poor oral hygiene"),
    ("periodontal_disease", "ONJ-RISK-PERIODONTAL-DISEASE", "periodontal disease"),
    ("ill_fitting_dentures", "ONJ-RISK-ILL-FITTING-DENTURES", "ill-fitting dentures"),
)
_ONJ_DRUGS = (
    (SystemicTherapyKind.CHEMOTHERAPY, "ONJ-RISK-CHEMOTHERAPY", "chemotherapy"),
    (SystemicTherapyKind.CORTICOSTEROID, "ONJ-RISK-CORTICOSTEROID", "corticosteroids"),
    (SystemicTherapyKind.ANTI_ANGIOGENIC, "ONJ-RISK-ANTI-ANGIOGENIC", "anti-angiogenic therapy"),
)


@rule(
    id="BTA-08",
    section=Section.BTA,
    title="Osteonecrosis of the jaw: dental examination first; risk factors",
    checks="Before the first dose of either agent: dental examination and preventive "
    "dentistry (blocks the start until recorded); delay while oral lesions are unhealed; "
    "flags invasive dental work, poor hygiene, periodontal disease, ill-fitting dentures, "
    "chemotherapy, corticosteroids, anti-angiogenics, long exposure.",
    sources=(src.ONJ, src.ONJ_S),
    codes=(
        item_code(
            "BTA-DENTAL-EXAM-FIRST",
            "Dental examination before the first dose",
            "Reminder-bearing; blocks the BTA start until recorded.",
            ("before_first_dose", "blocks_start", "last_exam_date", "recent_exam"),
        ),
        flag_code(
            "ONJ-DELAY-START-UNHEALED-LESIONS",
            Severity.CONTRAINDICATION,
            "Unhealed oral lesions: delay the start",
            "Delay the BTA until oral lesions heal.",
        ),
        flag_code(
            "ONJ-RISK-INVASIVE-DENTAL-WORK",
            Severity.WARNING,
            "ONJ risk: invasive dental work",
            "Complete invasive dental work first; avoid it during treatment.",
        ),
        flag_code(
            "ONJ-RISK-POOR-ORAL-HYGIENE",
            Severity.CAUTION,
            "ONJ risk: poor oral hygiene",
            "Risk factor.",
        ),
        flag_code(
            "ONJ-RISK-PERIODONTAL-DISEASE",
            Severity.CAUTION,
            "ONJ risk: periodontal disease",
            "Risk factor.",
        ),
        flag_code(
            "ONJ-RISK-ILL-FITTING-DENTURES",
            Severity.CAUTION,
            "ONJ risk: ill-fitting dentures",
            "Risk factor.",
        ),
        flag_code(
            "ONJ-RISK-CHEMOTHERAPY",
            Severity.CAUTION,
            "ONJ risk: chemotherapy",
            "Risk factor.",
            (src.ONJ_S,),
        ),
        flag_code(
            "ONJ-RISK-CORTICOSTEROID",
            Severity.CAUTION,
            "ONJ risk: corticosteroids",
            "Risk factor (incl. MSCC dexamethasone).",
            (src.ONJ_S,),
        ),
        flag_code(
            "ONJ-RISK-ANTI-ANGIOGENIC",
            Severity.CAUTION,
            "ONJ risk: anti-angiogenic drugs",
            "Risk factor (bevacizumab, sunitinib, cabozantinib …).",
            (src.ONJ_S,),
        ),
        flag_code(
            "ONJ-RISK-LONG-EXPOSURE",
            Severity.CAUTION,
            "ONJ risk: long BTA exposure",
            f"Cumulative BTA exposure ≥ {LONG_TERM_BTA_DAYS} days.",
            (src.ONJ_S,),
        ),
    ),
)
def osteonecrosis(ctx: Context, prior: Prior) -> Iterator[Finding]:
    if not bta_in_play(ctx, prior):
        return
    d = ctx.facts.dental
    starting = _starting(ctx)
    if starting:
        recent = (
            d.last_exam_date is not None
            and 0 <= (ctx.as_of - d.last_exam_date).days <= DENTAL_EXAM_RECENT_DAYS
        )
        last = d.last_exam_date.isoformat() if d.last_exam_date else None
        yield Item(
            "BTA-DENTAL-EXAM-FIRST",
            "Osteonecrosis of the jaw: dental examination and preventive dentistry before the "
            "first dose of either agent (labels; source document)"
            + (f"; last examination {last}." if last else "; no dental examination recorded."),
            {
                "before_first_dose": True,
                "blocks_start": True,
                "last_exam_date": last,
                "recent_exam": recent,
                # A recent examination on record is the prerequisite met, not one awaited.
                "summary": (
                    f"Dental examination before the first BTA dose: recorded {last}, within "
                    f"{DENTAL_EXAM_RECENT_DAYS} days"
                    if recent
                    else "Dental examination before the first BTA dose (start blocked until "
                    "recorded)"
                ),
            },
        )
        if d.unhealed_oral_lesions is None:
            yield Missing(
                "dental.unhealed_oral_lesions",
                "unhealed oral lesions delay the BTA start (BTA-08)",
                Supplier.DENTISTRY,
            )
        if d.invasive_work_pending is None:
            yield Missing(
                "dental.invasive_work_pending",
                "invasive dental work should be done before the first BTA dose (BTA-08)",
                Supplier.DENTISTRY,
            )
    if d.unhealed_oral_lesions:
        yield Flagged(
            "ONJ-DELAY-START-UNHEALED-LESIONS",
            "Unhealed oral lesions: "
            + (
                "delay the BTA start until they heal."
                if starting
                else "dental review before the next dose."
            ),
        )
    for attr, code, text in _ONJ_DENTAL:
        if getattr(d, attr) is True:
            yield Flagged(code, f"ONJ risk factor: {text}.")
    kinds = set(ctx.therapy_kinds)
    if "MSCC-DEXAMETHASONE-16MG" in prior.codes:
        kinds.add(SystemicTherapyKind.CORTICOSTEROID)
    for kind, code, text in _ONJ_DRUGS:
        if kind in kinds:
            yield Flagged(code, f"ONJ risk factor: {text} with a bone-targeted agent.")
    if ctx.bta_exposure_days >= LONG_TERM_BTA_DAYS:
        yield Flagged(
            "ONJ-RISK-LONG-EXPOSURE",
            f"ONJ risk factor: {ctx.bta_exposure_days} days of cumulative BTA exposure.",
        )


@rule(
    id="BTA-09",
    section=Section.BTA,
    title="Atypical femoral fracture with long-term use",
    checks=f"BTA running ≥ {LONG_TERM_BTA_DAYS} days cumulative → ask about thigh, hip or groin "
    "pain at review visits; new such pain on a BTA → image both femora.",
    sources=(src.AFF,),
    codes=(
        item_code(
            "BTA-AFF-THIGH-PAIN-QUESTION",
            "Ask about thigh, hip or groin pain at each review",
            "Long-term BTA: atypical femoral fracture screening question.",
            ("at", "exposure_days"),
        ),
        item_code(
            "BTA-AFF-IMAGE-BOTH-FEMORA",
            "Image both femora",
            "New thigh/hip/groin pain on a BTA: image both femora (atypical fracture).",
            ("modality", "bilateral"),
        ),
    ),
)
def atypical_femoral_fracture(ctx: Context, prior: Prior) -> Iterator[Finding]:
    if not ctx.bta_active:
        return
    new_pain = ctx.facts.pain.new_thigh_hip_groin_pain
    long_term = ctx.bta_exposure_days >= LONG_TERM_BTA_DAYS
    if long_term:
        yield Item(
            "BTA-AFF-THIGH-PAIN-QUESTION",
            f"{ctx.bta_exposure_days} days of bone-targeted therapy: atypical femoral fractures "
            "are reported with long-term use (secondary source).",
            {
                "at": "review visits",
                "exposure_days": ctx.bta_exposure_days,
                "summary": "Ask about new thigh, hip or groin pain at each review",
            },
        )
        if new_pain is None:
            yield Missing(
                "pain.new_thigh_hip_groin_pain",
                "long-term BTA: new thigh/hip/groin pain means imaging both femora (BTA-09)",
                Supplier.NURSING,
            )
    if new_pain:
        yield Item(
            "BTA-AFF-IMAGE-BOTH-FEMORA",
            "New thigh, hip or groin pain on a bone-targeted agent: image both femora for an "
            "atypical femoral fracture (secondary source).",
            {
                "modality": "radiograph",
                "bilateral": True,
                "summary": "Radiographs of both femora (atypical fracture)",
            },
            Urgency.BEFORE_NEXT_MEETING,
        )


@rule(
    id="BTA-10",
    section=Section.BTA,
    title="Acute-phase reaction after zoledronic acid (timing unverified)",
    checks="Zoledronic acid considered → board note: warn about fever, bone pain, fatigue; "
    "the document's 'within 3 days' is unverified.",
    sources=(src.APR,),
    codes=(
        note_code(
            "BTA-ACUTE-PHASE-REACTION",
            "Warn about an acute-phase reaction",
            "Fever, bone pain, fatigue after infusion (source document; timing [U]).",
        ),
    ),
)
def acute_phase(ctx: Context, prior: Prior) -> Iterator[Finding]:
    if zol_considered(ctx, prior) and not ctx.zol_contraindicated:
        yield Note(
            "BTA-ACUTE-PHASE-REACTION",
            "Warn the patient about an acute-phase reaction (fever, bone pain, fatigue) after "
            "zoledronic acid; the source document's 'within three days' is unverified.",
        )


@rule(
    id="BTA-12",
    section=Section.BTA,
    title="Stopping denosumab: rebound vertebral fractures",
    checks="A denosumab course running with a stop date → warning: multiple vertebral "
    "fractures after stopping (regulator's DHPC), assess the vertebral-fracture risk; what to "
    "give after it in the metastatic setting is a board note only (no oncology guidance).",
    sources=(src.DMAB_STOP,),
    codes=(
        flag_code(
            "BTA-DENOSUMAB-STOP-VERTEBRAL-FRACTURES",
            Severity.WARNING,
            "Stopping denosumab: risk of multiple vertebral fractures",
            "Rebound vertebral fractures after stopping, especially with osteoporosis or an "
            "earlier fracture: assess the patient's vertebral-fracture risk.",
        ),
        note_code(
            "BTA-DENOSUMAB-STOP-NEXT-AGENT",
            "After denosumab: no oncology guidance on a bisphosphonate",
            "A bisphosphonate 6 months after the last dose is osteoporosis guidance (60 mg "
            "six-monthly); for 120 mg every 4 weeks it is not evidence-based.",
            (src.DMAB_STOP_NEXT,),
        ),
    ),
)
def denosumab_stop(ctx: Context, prior: Prior) -> Iterator[Finding]:
    course = ctx.course(DMAB)
    if course is None or course.stop is None:
        return
    yield Flagged(
        "BTA-DENOSUMAB-STOP-VERTEBRAL-FRACTURES",
        f"Denosumab is to stop on {course.stop.isoformat()}: multiple vertebral fractures "
        "have occurred after stopping, especially with osteoporosis or an earlier fracture, "
        "and were not caused by the metastases — assess this patient's vertebral-fracture "
        "risk before stopping (Xgeva DHPC 2017).",
    )
    yield Note(
        "BTA-DENOSUMAB-STOP-NEXT-AGENT",
        "Whether to give a bisphosphonate after denosumab in bone metastases has no "
        "oncology guidance; the osteoporosis advice (another antiresorptive 6 months after "
        "the last 60 mg dose, ECTS 2021) is not evidence for 120 mg every 4 weeks. The board "
        "decides.",
    )


@rule(
    id="BTA-13",
    section=Section.BTA,
    title="Choosing the agent in breast cancer",
    checks="Breast cancer starting a BTA with both agents drafted → the trial comparison is "
    "shown: fewer patients with a skeletal event on denosumab (31 % vs 36 %) and a later "
    "first radiation to bone (HR 0.74); the renal rule BTA-07 still applies.",
    sources=(src.DMAB_VS_ZOL_BREAST,),
    codes=(
        flag_code(
            "BTA-AGENT-CHOICE-BREAST",
            Severity.INFO,
            "Breast cancer: denosumab prevented more skeletal events",
            "Phase 3 secondary analysis: skeletal event in 31 % on denosumab vs 36 % on "
            "zoledronic acid.",
        ),
    ),
)
def agent_choice(ctx: Context, prior: Prior) -> Iterator[Finding]:
    if (
        ctx.facts.primary.site is not PrimarySite.BREAST
        or "BTA-START" not in prior.codes
        or ctx.zol_contraindicated
        or not prior.has("BTA-DENOSUMAB-120MG")
        or not zol_considered(ctx, prior)
    ):
        return
    yield Flagged(
        "BTA-AGENT-CHOICE-BREAST",
        "Breast cancer, both agents suitable: in the phase 3 comparison 31 % of patients on "
        "denosumab vs 36 % on zoledronic acid had a skeletal event (p = 0.006), and the first "
        "radiation to bone came later (HR 0.74; Clin Cancer Res 2012). Either agent is "
        "appropriate; the renal rule (BTA-07) still applies.",
    )


#: BTA-11: the co-medication classes the Zometa label names, with its section and why.
_COMEDICATION_CLASSES = (
    ("aminoglycoside", "an aminoglycoside", "§7.1: adds to the fall in serum calcium"),
    ("loop_diuretic", "a loop diuretic", "§7.2: risk of hypocalcaemia"),
    ("other_nephrotoxic", "another potentially nephrotoxic drug", "§7.3: caution"),
)
_OTHER_BISPHOSPHONATES = frozenset({BoneTargetedAgent.PAMIDRONATE, BoneTargetedAgent.IBANDRONATE})


def _thalidomide(ctx: Context) -> bool:
    """Thalidomide in myeloma (label §7.4), recorded as a systemic therapy by name."""
    return ctx.facts.primary.site is PrimarySite.MYELOMA and any(
        "thalidomide" in (t.name or "").lower()
        for t in ctx.facts.systemic_therapies
        if t.planned
        or ((t.start is None or t.start <= ctx.as_of) and (t.stop is None or t.stop >= ctx.as_of))
    )


@rule(
    id="BTA-11",
    section=Section.BTA,
    title="Nephrotoxic co-medication with zoledronic acid; hydration review when creatinine rises",
    checks="Zoledronic acid running or drafted → the label's interacting co-medication is an "
    "input (aminoglycosides §7.1, loop diuretics §7.2, other nephrotoxic drugs §7.3, "
    "thalidomide in myeloma §7.4; NSAIDs as the project's example of a nephrotoxic drug): "
    "unknown → asked for, present → caution; another bisphosphonate at the same time → "
    "not combined (§5.1); a creatinine rise (BTA-04 withhold) → review hydration and "
    "co-medication (§5.3).",
    sources=(src.ZOMETA_COMEDICATION, src.MHRA_ZOLEDRONIC),
    codes=(
        flag_code(
            "BTA-ZOLEDRONIC-NEPHROTOXIC-COMEDICATION",
            Severity.CAUTION,
            "Zoledronic acid with nephrotoxic or calcium-lowering co-medication",
            "Zometa label §7: caution with aminoglycosides, loop diuretics, other potentially "
            "nephrotoxic drugs, thalidomide in myeloma.",
            (src.ZOMETA_COMEDICATION, src.NSAID_INTERPRETATION),
        ),
        flag_code(
            "BTA-ZOLEDRONIC-OTHER-BISPHOSPHONATE",
            Severity.CONTRAINDICATION,
            "Zoledronic acid with another bisphosphonate",
            "Zometa label §5.1: not combined with another bisphosphonate.",
        ),
        item_code(
            "BTA-ZOLEDRONIC-RENAL-REVIEW",
            "Review hydration and nephrotoxic co-medication",
            "Creatinine rose on zoledronic acid: identify and manage dehydration and "
            "nephrotoxic drugs (label §5.3), besides the BTA-04 withhold.",
            ("agent", "review", "co_medication"),
        ),
    ),
)
def nephrotoxic_comedication(ctx: Context, prior: Prior) -> Iterator[Finding]:
    in_play = ctx.zol_active or (zol_considered(ctx, prior) and not ctx.zol_contraindicated)
    if not in_play:
        return
    cm = ctx.facts.co_medication
    present: list[str] = []
    for fld, name, why in _COMEDICATION_CLASSES:
        value = getattr(cm, fld)
        if value is None:
            yield Missing(
                f"co_medication.{fld}",
                f"zoledronic acid: is the patient on {name}? (Zometa label {why}; BTA-11)",
                Supplier.MEDICAL_ONCOLOGY,
            )
        elif value:
            named = (
                f" ({cm.other_nephrotoxic_names})"
                if fld == "other_nephrotoxic" and cm.other_nephrotoxic_names
                else ""
            )
            present.append(f"{name}{named} — {why}")
    if cm.nsaid:
        present.append(
            "an NSAID — not named in the label; listed as a potentially nephrotoxic drug "
            "(the project's interpretation)"
        )
    if _thalidomide(ctx):
        present.append("thalidomide in myeloma — §7.4: renal dysfunction may be more likely")
    if present:
        yield Flagged(
            "BTA-ZOLEDRONIC-NEPHROTOXIC-COMEDICATION",
            f"Zoledronic acid with {'; '.join(present)}. Identify and manage factors "
            "predisposing to renal deterioration where possible (Zometa label §5.3).",
        )
    others = sorted(
        str(c.agent) for c in ctx.bta_active + ctx.bta_planned if c.agent in _OTHER_BISPHOSPHONATES
    )
    if others:
        yield Flagged(
            "BTA-ZOLEDRONIC-OTHER-BISPHOSPHONATE",
            f"Zoledronic acid with {', '.join(others)} also recorded: the label says not to "
            "combine it with another bisphosphonate (§5.1); one agent only.",
        )
    rc = ctx.renal_check
    if rc is not None and rc.action in (RenalAction.WITHHOLD, RenalAction.KEEP_WITHHOLDING):
        listed = [p.split(" — ")[0] for p in present]
        yield Item(
            "BTA-ZOLEDRONIC-RENAL-REVIEW",
            f"{rc.explanation}: besides withholding (BTA-04), identify and manage what "
            "predisposes to renal deterioration — dehydration and nephrotoxic co-medication "
            "(Zometa label §5.3; MHRA: hydrate adequately)"
            + (f"; recorded: {', '.join(listed)}." if listed else "."),
            {
                "agent": ZOL.value,
                "review": ["hydration", "nephrotoxic co-medication"],
                "co_medication": listed,
                "summary": "Review hydration and nephrotoxic co-medication",
            },
            Urgency.BEFORE_NEXT_MEETING,
        )


RULES = (
    indication,
    zoledronic_infusion,
    zoledronic_dose,
    zoledronic_renal,
    supplements,
    denosumab,
    severe_renal,
    osteonecrosis,
    atypical_femoral_fracture,
    acute_phase,
    denosumab_stop,
    agent_choice,
    nephrotoxic_comedication,
)

__all__ = ["RULES", "bta_in_play", "zol_considered", "dmab_considered"]
