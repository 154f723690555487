"""Hypercalcaemia of malignancy (rules additions §F: HCM-01..04).

Runs before the bone-targeted-agent section: the HCM treatment dose of zoledronic acid
(HCM-02) is a single 4 mg infusion that the label does not reduce while creatinine is
below 4.5 mg/dL, i.e. it is *not* the renally banded bone-metastasis schedule (BTA-03,
whose scope is bone metastases and myeloma), and BTA-05 must not draft calcium
supplements for a hypercalcaemic patient.

Corrected calcium (HCM-04): the laboratory's own adjusted value is preferred (the record's
"Calcium (adjusted)"); without it the engine applies the 1973 Payne formula as the paper
gives it, calcium − albumin + 4.0 in mg/dL and g/dL, and names it. The "+0.02 mmol/L per
g/L" and "+0.8 mg/dL per g/dL" versions are later variants, not applied. Thresholds are
compared in the unit the calcium was recorded in, with the label's own paired values
(12.0 mg/dL = 3.00 mmol/L).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from .. import sources as src
from ..common import Section, Severity, Supplier, Urgency, view
from ..context import CALCIUM_MG_DL_PER_MMOL_L, Context
from ..facts import BoneTargetedAgent, LabAnalyte, LabUnit, unit_words
from ..scores import RenalAction
from .base import Finding, Flagged, Item, Missing, Prior, flag_code, item_code, per_evaluation, rule


@dataclass(frozen=True, slots=True)
class CalciumLimits:
    """The label's and summaries' calcium figures in one unit."""

    hcm: float  # HCM-01, label: ≥ 12.0 mg/dL (3.00 mmol/L)
    complete_response: float  # ≤ 10.8 mg/dL (2.70 mmol/L) within 10 days
    upper_normal: float  # 10.5 mg/dL (2.5 mmol/L) [S]
    severe_above: float  # > 14 mg/dL [S] (3.5 mmol/L by the label's factor of 4.0)
    decimals: int


LIMITS: dict[LabUnit, CalciumLimits] = {
    LabUnit.MG_DL: CalciumLimits(12.0, 10.8, 10.5, 14.0, 1),
    LabUnit.MMOL_L: CalciumLimits(3.00, 2.70, 2.5, 3.5, 2),
}
#: HCM-02: no dose adjustment while serum creatinine is below these (label).
HCM_SCR_LIMIT: dict[LabUnit, float] = {LabUnit.MG_DL: 4.5, LabUnit.UMOL_L: 400.0}
#: HCM-02: wait at least this long before retreating when calcium has not normalised.
RETREAT_AFTER_DAYS = 7
#: HCM-01: the complete response is read by day 10.
RESPONSE_BY_DAY = 10
PAYNE_FORMULA = "Payne 1973: calcium − albumin + 4.0 (mg/dL, g/dL)"
#: Lian & Åsberg 2018: adjustment did worse than total calcium below an eGFR of 60.
LOW_GFR_ML_MIN = 60


@view
class CorrectedCalcium:
    value: float
    unit: LabUnit
    taken_at: date
    #: "laboratory adjusted value" or the formula applied.
    method: str
    #: How it was obtained, quoted in messages.
    text: str

    @property
    def limits(self) -> CalciumLimits:
        return LIMITS[self.unit]

    def shown(self, x: float | None = None) -> str:
        v = self.value if x is None else x
        return f"{v:.{self.limits.decimals}f} {self.unit}"


@view
class CalciumReading:
    corrected: CorrectedCalcium | None
    #: What is missing to correct a total calcium: (field, why).
    missing: tuple[tuple[str, str], ...] = ()
    ionised: str | None = None


def _albumin_g_dl(ctx: Context) -> float | None:
    st = ctx.labs[LabAnalyte.ALBUMIN]
    return None if st.value is None else st.value / 10  # canonical g/L → g/dL


@per_evaluation
def corrected_calcium(ctx: Context, prior: Prior) -> CalciumReading:
    """HCM-04: the laboratory's adjusted calcium, else Payne 1973 from total and albumin."""
    ion = ctx.labs[LabAnalyte.CALCIUM_IONISED]
    ionised = (
        f"ionised calcium {ion.latest.value:g} {ion.latest.unit} on "
        f"{ion.latest.taken_at.isoformat()}"
        if ion.usable and ion.latest is not None and ion.latest.unit is not None
        else None
    )
    adj = ctx.labs[LabAnalyte.CALCIUM]
    if adj.usable and adj.latest is not None and adj.latest.unit in LIMITS:
        lab = adj.latest
        unit = LabUnit(str(lab.unit))
        return CalciumReading(
            CorrectedCalcium(
                round(lab.value, LIMITS[unit].decimals),
                unit,
                lab.taken_at,
                "laboratory adjusted value",
                f"adjusted calcium {lab.value:g} {unit} on {lab.taken_at.isoformat()} "
                "(the laboratory's value)",
            ),
            ionised=ionised,
        )
    total = ctx.labs[LabAnalyte.CALCIUM_TOTAL]
    if not total.usable or total.latest is None or total.latest.unit not in LIMITS:
        return CalciumReading(None, ionised=ionised)
    alb = _albumin_g_dl(ctx)
    lab = total.latest
    if alb is None:
        why = (
            f"total calcium {lab.value:g} {lab.unit} on {lab.taken_at.isoformat()} without an "
            "adjusted value: albumin is needed to correct it (HCM-04, Payne 1973); "
            f"{ctx.labs[LabAnalyte.ALBUMIN].problem}"
        )
        return CalciumReading(None, (("labs.albumin", why),), ionised)
    unit = LabUnit(str(lab.unit))
    ca_mg_dl = lab.value if unit is LabUnit.MG_DL else lab.value * CALCIUM_MG_DL_PER_MMOL_L
    corrected_mg_dl = ca_mg_dl - alb + 4.0
    value = corrected_mg_dl if unit is LabUnit.MG_DL else corrected_mg_dl / CALCIUM_MG_DL_PER_MMOL_L
    albumin = ctx.labs[LabAnalyte.ALBUMIN].latest
    alb_text = f"albumin {albumin.value:g} {albumin.unit}" if albumin is not None else "albumin"
    return CalciumReading(
        CorrectedCalcium(
            round(value, LIMITS[unit].decimals),
            unit,
            lab.taken_at,
            PAYNE_FORMULA,
            f"total calcium {lab.value:g} {unit} on {lab.taken_at.isoformat()} with {alb_text}, "
            f"corrected by {PAYNE_FORMULA} (the 0.02 mmol/L and 0.8 mg/dL versions are later "
            "variants, not applied)",
        ),
        ionised=ionised,
    )


def hypercalcaemia(ctx: Context, prior: Prior) -> CorrectedCalcium | None:
    """The corrected calcium when it meets the label's HCM definition (HCM-01)."""
    cc = corrected_calcium(ctx, prior).corrected
    return cc if cc is not None and cc.value >= cc.limits.hcm else None


@rule(
    id="HCM-04",
    section=Section.HYPERCALCAEMIA,
    title="Corrected calcium: the laboratory's adjusted value, else Payne 1973",
    checks="Prefer the laboratory's adjusted calcium; else total calcium − albumin + 4.0 "
    "(mg/dL, g/dL; Payne 1973), named wherever it is used; a total calcium without albumin "
    "asks for the albumin; below a clearance of 60 mL/min adjustment is of doubtful accuracy "
    "(Lian & Åsberg 2018) and the total is shown beside it.",
    sources=(src.PAYNE,),
    codes=(
        flag_code(
            "HCM-ADJUSTED-CALCIUM-LOW-GFR",
            Severity.CAUTION,
            "Adjusted calcium with reduced renal function",
            "Adjustment formulas are of questionable accuracy; total calcium did better when "
            "eGFR < 60 (Lian & Åsberg 2018).",
        ),
    ),
)
def calcium_correction(ctx: Context, prior: Prior) -> Iterator[Finding]:
    reading = corrected_calcium(ctx, prior)
    for fld, why in reading.missing:
        yield Missing(fld, why, Supplier.LABORATORY)
    cc = reading.corrected
    if (
        cc is not None
        and cc.method == PAYNE_FORMULA
        and cc.value > cc.limits.upper_normal
        and ctx.crcl is not None
        and ctx.crcl.value_ml_min is not None
        and ctx.crcl.value_ml_min < LOW_GFR_ML_MIN
    ):
        yield Flagged(
            "HCM-ADJUSTED-CALCIUM-LOW-GFR",
            f"Corrected calcium {cc.shown()} from {cc.text}, with CrCl "
            f"{ctx.crcl.value_ml_min:g} mL/min: adjustment formulas are of questionable "
            "accuracy and unadjusted total calcium did better when eGFR < 60 (Lian & Åsberg, "
            "BMJ Open 2018); ask the laboratory for an ionised calcium.",
        )


@rule(
    id="HCM-01",
    section=Section.HYPERCALCAEMIA,
    title="Hypercalcaemia of malignancy: corrected calcium ≥ 12.0 mg/dL (3.00 mmol/L)",
    checks="Corrected calcium ≥ 12.0 mg/dL (3.00 mmol/L), compared in the unit recorded → "
    "hypercalcaemia of malignancy, treated now; > 14 mg/dL (3.5 mmol/L) severe (secondary); "
    "complete response ≤ 10.8 mg/dL (2.70 mmol/L) by day 10. Above the upper limit of normal "
    "(10.5 mg/dL, 2.5 mmol/L, secondary) but below 12.0 → mild: conservative measures.",
    sources=(src.HCM_ZOMETA, src.HCM_RANGES, src.HCM_ENDOCRINE),
    codes=(
        item_code(
            "HCM-HYPERCALCAEMIA",
            "Hypercalcaemia of malignancy: treat now",
            "Corrected calcium at or above the label's HCM threshold: rehydrate and treat "
            "today; response read by day 10.",
            (
                "corrected_calcium",
                "unit",
                "method",
                "taken_at",
                "threshold",
                "severe",
                "complete_response_at_most",
                "response_by_day",
                "ionised",
            ),
        ),
        flag_code(
            "HCM-CALCIUM-ABOVE-NORMAL",
            Severity.CAUTION,
            "Calcium above normal, below the HCM threshold",
            "Corrected calcium above 10.5 mg/dL (2.5 mmol/L) but below 12.0 mg/dL (3.00 "
            "mmol/L): mild; conservative measures (saline, with or without a loop diuretic).",
        ),
    ),
)
def hcm_threshold(ctx: Context, prior: Prior) -> Iterator[Finding]:
    reading = corrected_calcium(ctx, prior)
    cc = reading.corrected
    if cc is None:
        return
    lim = cc.limits
    ion = f"; {reading.ionised}" if reading.ionised else ""
    if cc.value >= lim.hcm:
        severe = cc.value > lim.severe_above
        yield Item(
            "HCM-HYPERCALCAEMIA",
            f"Corrected calcium {cc.shown()} ({cc.text}{ion}) ≥ {cc.shown(lim.hcm)}: "
            "hypercalcaemia of malignancy by the Zometa label's definition"
            + (
                f"; above {cc.shown(lim.severe_above)}, severe (Endocrine Society 2023, "
                "secondary): calcitonin plus an IV bisphosphonate or denosumab to start "
                "(Endocrine Society 2023)"
                if severe
                else ""
            )
            + f". Complete response is a corrected calcium ≤ {cc.shown(lim.complete_response)} "
            f"within {RESPONSE_BY_DAY} days (label).",
            {
                "corrected_calcium": cc.value,
                "unit": str(cc.unit),
                "method": cc.method,
                "taken_at": cc.taken_at.isoformat(),
                "threshold": lim.hcm,
                "severe": severe,
                "complete_response_at_most": lim.complete_response,
                "response_by_day": RESPONSE_BY_DAY,
                "ionised": reading.ionised,
                "summary": f"Hypercalcaemia of malignancy (corrected calcium {cc.shown()}): "
                "treat now",
            },
            Urgency.EMERGENCY,
        )
    elif cc.value > lim.upper_normal:
        yield Flagged(
            "HCM-CALCIUM-ABOVE-NORMAL",
            f"Corrected calcium {cc.shown()} ({cc.text}{ion}) is above the upper limit of "
            f"normal {cc.shown(lim.upper_normal)} (secondary source) but below the label's "
            f"hypercalcaemia threshold {cc.shown(lim.hcm)}: mild; conservative measures "
            "(saline, with or without a loop diuretic) and a repeat calcium (Zometa label).",
        )


@rule(
    id="HCM-02",
    section=Section.HYPERCALCAEMIA,
    title="Zoledronic acid 4 mg for hypercalcaemia: not renally reduced while SCr < 4.5 mg/dL",
    checks="HCM → vigorous saline hydration first (about 2 L urine a day; care in heart "
    "failure), no loop diuretic until rehydrated, then zoledronic acid 4 mg as one IV "
    "infusion over ≥ 15 min; serum creatinine before each treatment; no dose adjustment "
    "while SCr < 4.5 mg/dL (< 400 µmol/L), compared in the unit recorded — the BTA-03 "
    "clearance table does not apply (bone metastases and myeloma only); SCr ≥ 4.5 mg/dL "
    "is outside the label's studied range: the board decides; retreat only after ≥ 7 days.",
    sources=(src.HCM_ZOMETA, src.ZOMETA_COMEDICATION, src.MHRA_ZOLEDRONIC),
    codes=(
        item_code(
            "HCM-ZOLEDRONIC-4MG",
            "Zoledronic acid 4 mg IV once for hypercalcaemia, after rehydration",
            "Rehydrate first; 4 mg over ≥ 15 min, not renally reduced while SCr < 4.5 mg/dL "
            "(the BTA-03 table is for bone metastases and myeloma).",
            (
                "agent",
                "dose_mg",
                "route",
                "infusion_minutes_min",
                "doses",
                "hydrate_before",
                "no_loop_diuretic_until_rehydrated",
                "creatinine_before",
                "creatinine",
                "retreat_after_days_min",
                "monitor",
                "alternative",
            ),
        ),
        flag_code(
            "HCM-ZOLEDRONIC-SCR-4-5",
            Severity.WARNING,
            "Hypercalcaemia with creatinine ≥ 4.5 mg/dL (400 µmol/L)",
            "Outside the label's HCM trials (SCr > 4.5 mg/dL excluded); MHRA: generally not "
            "recommended in severe renal impairment but may be considered for hypercalcaemia.",
        ),
    ),
)
def hcm_zoledronic(ctx: Context, prior: Prior) -> Iterator[Finding]:
    cc = hypercalcaemia(ctx, prior)
    if cc is None:
        return
    cre = ctx.labs[LabAnalyte.CREATININE]
    lab = cre.latest if cre.usable else None
    limit = HCM_SCR_LIMIT.get(LabUnit(lab.unit)) if lab is not None and lab.unit else None
    if lab is None or limit is None:
        yield Missing(
            "labs.creatinine",
            f"hypercalcaemia: serum creatinine before the zoledronic acid treatment dose "
            f"(HCM-02): {cre.problem}",
            Supplier.NURSING,
        )
        renal = "creatinine awaited: give only once it is known to be below 4.5 mg/dL"
    elif lab.value >= limit:
        yield Flagged(
            "HCM-ZOLEDRONIC-SCR-4-5",
            f"Creatinine {lab.as_recorded()} on {lab.taken_at.isoformat()} ≥ {limit:g} "
            f"{unit_words(lab.unit)}: the label's hypercalcaemia trials excluded creatinine "
            "above 4.5 mg/dL (400 µmol/L) and it gives no dose there; the MHRA says zoledronic "
            "acid is generally not recommended in severe renal impairment but may be considered "
            "for tumour-induced hypercalcaemia; denosumab needs no renal adjustment (HCM-03). "
            "The board decides.",
        )
        return
    else:
        renal = (
            f"creatinine {lab.as_recorded()} on {lab.taken_at.isoformat()} < {limit:g} "
            f"{unit_words(lab.unit)}: no dose adjustment (label; not the BTA-03 clearance band)"
        )
    withheld = (
        "; zoledronic acid is withheld for a creatinine rise (BTA-04): weigh denosumab (HCM-03)"
        if ctx.renal_check is not None
        and ctx.renal_check.action in (RenalAction.WITHHOLD, RenalAction.KEEP_WITHHOLDING)
        else ""
    )
    if ctx.zol_contraindicated:
        # BTA-07 (CrCl < 30) is about the bone-metastasis schedule; for hypercalcaemia the
        # label gives no reduction below SCr 4.5 and the MHRA allows it to be considered.
        withheld += (
            "; the clearance is below 30 mL/min (BTA-07 concerns the bone-metastasis "
            "schedule): the MHRA says zoledronic acid is generally not recommended in severe "
            "renal impairment but may be considered for tumour-induced hypercalcaemia — the "
            "board weighs it against denosumab (HCM-03)"
        )
    yield Item(
        "HCM-ZOLEDRONIC-4MG",
        f"Hypercalcaemia of malignancy (corrected calcium {cc.shown()}): vigorous saline "
        "hydration started promptly (aim for about 2 L of urine a day; avoid overhydration in "
        "heart failure) and no loop diuretic until the patient is rehydrated; then zoledronic "
        f"acid 4 mg as one IV infusion over at least 15 minutes; {renal}{withheld}. If calcium "
        f"has not normalised, retreat no sooner than {RETREAT_AFTER_DAYS} days; monitor "
        "calcium, phosphate, magnesium and creatinine (Zometa label; MHRA).",
        {
            "agent": BoneTargetedAgent.ZOLEDRONIC_ACID.value,
            "dose_mg": 4,
            "route": "IV",
            "infusion_minutes_min": 15,
            "doses": 1,
            "hydrate_before": True,
            "no_loop_diuretic_until_rehydrated": True,
            "creatinine_before": True,
            "creatinine": renal,
            "retreat_after_days_min": RETREAT_AFTER_DAYS,
            "monitor": ["calcium", "phosphate", "magnesium", "creatinine"],
            "alternative": "denosumab when refractory to a bisphosphonate (HCM-03)",
            "summary": "Rehydrate, then zoledronic acid 4 mg IV once over ≥ 15 minutes",
        },
        Urgency.EMERGENCY,
    )


_BISPHOSPHONATES = frozenset(
    {
        BoneTargetedAgent.ZOLEDRONIC_ACID,
        BoneTargetedAgent.PAMIDRONATE,
        BoneTargetedAgent.IBANDRONATE,
    }
)


@rule(
    id="HCM-03",
    section=Section.HYPERCALCAEMIA,
    title="Denosumab for hypercalcaemia refractory to a bisphosphonate",
    checks="HCM while a bisphosphonate is running (refractory or recurrent) → denosumab 120 mg "
    "SC every 4 weeks with extra 120 mg doses on days 8 and 15 of the first month (Xgeva "
    "label); Endocrine Society 2023: denosumab or an IV bisphosphonate.",
    sources=(src.HCM_XGEVA, src.HCM_ENDOCRINE),
    codes=(
        flag_code(
            "HCM-REFRACTORY-DENOSUMAB",
            Severity.WARNING,
            "Hypercalcaemia on a bisphosphonate: consider denosumab",
            "Refractory to bisphosphonate therapy: denosumab 120 mg every 4 weeks plus days 8 "
            "and 15 (Xgeva label).",
        ),
    ),
)
def hcm_denosumab(ctx: Context, prior: Prior) -> Iterator[Finding]:
    cc = hypercalcaemia(ctx, prior)
    if cc is None:
        return
    running = sorted(str(c.agent) for c in ctx.bta_active if c.agent in _BISPHOSPHONATES)
    if not running:
        return
    yield Flagged(
        "HCM-REFRACTORY-DENOSUMAB",
        f"Hypercalcaemia (corrected calcium {cc.shown()}) while on "
        f"{', '.join(a.replace('_', ' ') for a in running)}: refractory or recurrent on a "
        "bisphosphonate — denosumab 120 mg SC every 4 weeks with 120 mg more on days 8 and 15 "
        "of the first month (Xgeva label; Endocrine Society 2023).",
    )


RULES = (calcium_correction, hcm_threshold, hcm_zoledronic, hcm_denosumab)
