"""§1 Scores: what the board must know about SINS, Mirels and the creatinine input."""

from __future__ import annotations

from collections.abc import Iterator

from .. import sources as src
from ..common import Section, Severity, Supplier
from ..context import Context
from ..facts import LabAnalyte
from ..scores import MIRELS_8_EXPLANATION, ComponentStatus
from .base import Finding, Flagged, Missing, Prior, flag_code, rule

_SINS_FIELD_WHY = {
    "vertebral_level": (
        "SINS-01 location (junctional/mobile/semi-rigid/rigid)",
        Supplier.RADIOLOGY,
    ),
    "spinal_pain": ("SINS-02 pain (mechanical 3, occasional 1, none 0)", Supplier.MEDICAL_ONCOLOGY),
    "lesion_type": ("SINS-03 bone lesion (lytic 2, mixed 1, blastic 0)", Supplier.RADIOLOGY),
    "alignment": (
        "SINS-04 alignment (subluxation 4, de novo deformity 2, normal 0)",
        Supplier.RADIOLOGY,
    ),
    "collapse_percent": ("SINS-05 vertebral body collapse", Supplier.RADIOLOGY),
    "body_involvement_percent": (
        "SINS-05: without collapse, > 50 % body involvement scores 1",
        Supplier.RADIOLOGY,
    ),
    "posterolateral": (
        "SINS-06 posterolateral involvement (bilateral 3, unilateral 1)",
        Supplier.RADIOLOGY,
    ),
}

_MIRELS_FIELD_WHY = {
    "long_bone_segment": (
        "Mirels site: peritrochanteric femur scores 3, elsewhere 2",
        Supplier.RADIOLOGY,
    ),
    "limb_pain": ("Mirels pain (mild 1, moderate 2, functional 3)", Supplier.MEDICAL_ONCOLOGY),
    "lesion_type": ("Mirels lesion (blastic 1, mixed 2, lytic 3)", Supplier.RADIOLOGY),
    "cortical_involvement": (
        "Mirels size (< 1/3, 1/3–2/3, > 2/3 of the cortex)",
        Supplier.RADIOLOGY,
    ),
}


@rule(
    id="SINS-07",
    section=Section.SCORES,
    title="SINS total and category per spinal lesion",
    checks="Scores every spinal lesion 0–18 (0–6 stable, 7–12 potentially unstable, "
    "13–18 unstable) from its raw findings; exactly 50 % collapse is reported as "
    "undefined (range 2–3), never picked.",
    sources=(src.SINS,),
    codes=(
        flag_code(
            "SINS-COLLAPSE-50-UNDEFINED",
            Severity.CAUTION,
            "Exactly 50 % collapse: SINS undefined",
            "The collapse component is not defined at exactly 50 %; the lesion's SINS is "
            "a range until the radiologist re-measures.",
        ),
    ),
)
def sins_total(ctx: Context, prior: Prior) -> Iterator[Finding]:
    for v in ctx.spinal_lesions:
        s = v.sins
        # An undefined component spans a range (2–3), so an exact total has none.
        if s is None or s.total_min == s.total_max:
            continue
        for c in s.components:
            if c.status is ComponentStatus.UNDEFINED:
                yield Flagged(
                    "SINS-COLLAPSE-50-UNDEFINED",
                    f"{v.name}: {c.note}; {s.describe()}.",
                    v.id,
                )


@rule(
    id="SINS-08",
    section=Section.SCORES,
    title="Missing SINS components",
    checks="Names each unknown SINS component per spinal lesion; the score is then a "
    "min–max range (a minimum ≥ 7 still triggers the surgical consultation, SURG-02).",
    sources=(src.SINS,),
)
def sins_missing(ctx: Context, prior: Prior) -> Iterator[Finding]:
    for v in ctx.spinal_lesions:
        s = v.sins
        # A missing component always spans a range, so an exact total has none.
        if s is None or s.total_min == s.total_max:
            continue
        for fld in s.missing:
            why, who = _SINS_FIELD_WHY[fld]
            yield Missing(
                v.path(fld),
                f"{v.name}: {why}; SINS is {s.total_min}–{s.total_max} until known",
                who,
                v.id,
            )


@rule(
    id="MIR-02",
    section=Section.SCORES,
    title="Mirels category per long-bone lesion",
    checks="Scores every long-bone lesion 4–12 (≤ 7 low, 8 borderline, ≥ 9 high); "
    "explains why 8 is borderline; names unknown components.",
    sources=(src.MIRELS, src.MIRELS_RISK),
    codes=(
        flag_code(
            "MIRELS-8-BORDERLINE",
            Severity.INFO,
            "Mirels 8: borderline",
            "Clinical judgement and an orthopaedic opinion; the original abstract said "
            "≥ 8 needs fixation, later practice treats 8 as borderline.",
        ),
    ),
)
def mirels_category(ctx: Context, prior: Prior) -> Iterator[Finding]:
    for v in ctx.long_bone_lesions:
        m = v.mirels
        if m is None:
            continue
        if m.total == 8:
            yield Flagged(
                "MIRELS-8-BORDERLINE", f"{v.name}: {m.describe()}. {MIRELS_8_EXPLANATION}", v.id
            )
        if m.total_min == m.total_max:
            continue  # exact: nothing missing (see SINS-08)
        for fld in m.missing:
            why, who = _MIRELS_FIELD_WHY[fld]
            yield Missing(
                v.path(fld),
                f"{v.name}: {why}; Mirels is {m.total_min}–{m.total_max} until known",
                who,
                v.id,
            )


@rule(
    id="CRCL-01",
    section=Section.SCORES,
    title="Creatinine clearance input (Cockcroft–Gault)",
    checks="Refuses a creatinine whose unit is missing or not mg/dL / µmol/L (1 mg/dL = "
    "88.4 µmol/L); the clearance is then not computed.",
    sources=(src.CG,),
    codes=(
        flag_code(
            "CREATININE-UNIT-UNKNOWN",
            Severity.WARNING,
            "Creatinine unit missing or wrong",
            "A creatinine without a valid unit is not used; the unit is never guessed.",
        ),
    ),
)
def creatinine_unit(ctx: Context, prior: Prior) -> Iterator[Finding]:
    st = ctx.labs[LabAnalyte.CREATININE]
    if st.problem is not None and st.problem.startswith("unit"):
        yield Flagged("CREATININE-UNIT-UNKNOWN", f"Latest creatinine: {st.problem}.")
        yield Missing(
            "labs.creatinine.unit",
            "creatinine clearance (zoledronic acid dose, BTA-03) needs the unit",
            Supplier.LABORATORY,
        )
    base = ctx.facts.baseline_creatinine
    if base is not None and base.unit is None:
        yield Flagged(
            "CREATININE-UNIT-UNKNOWN",
            f"Baseline creatinine of {base.taken_at.isoformat()} has no unit.",
        )


RULES = (sins_total, sins_missing, mirels_category, creatinine_unit)
