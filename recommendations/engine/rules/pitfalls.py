"""Pitfalls the source document warns about: delay, renal harm, jaw osteonecrosis."""

from __future__ import annotations

from collections.abc import Iterator

from .. import sources as src
from ..common import Section, Severity, Supplier, day_count
from ..context import Context
from ..facts import SystemicTherapyKind
from .base import Finding, Flagged, Missing, Prior, flag_code, rule
from .bta import bta_in_play, zol_considered


@rule(
    id="PIT-01",
    section=Section.PITFALLS,
    title="Delayed referral",
    checks="Suspected MSCC whose neurological symptoms began a day or more ago → flag the "
    "delay (imaging within 24 h; do not wait for the meeting); onset unknown → asked.",
    sources=(src.DELAY,),
    codes=(
        flag_code(
            "PIT-DELAYED-REFERRAL",
            Severity.WARNING,
            "Delayed referral",
            "Neurological symptoms for ≥ 1 day with suspected MSCC: act today.",
        ),
    ),
)
def delayed_referral(ctx: Context, prior: Prior) -> Iterator[Finding]:
    if not ctx.mscc:
        return
    onset = ctx.facts.neurology.onset_date
    if onset is None:
        yield Missing(
            "neurology.onset_date",
            "suspected MSCC: delay since onset decides urgency and outcome (PIT-01)",
            Supplier.MEDICAL_ONCOLOGY,
        )
        return
    days = (ctx.as_of - onset).days
    if days >= 1:
        yield Flagged(
            "PIT-DELAYED-REFERRAL",
            f"Neurological symptoms since {onset.isoformat()} ({day_count(onset, ctx.as_of)}): "
            "delayed referral "
            "worsens outcome — do not wait for the next meeting.",
        )


@rule(
    id="PIT-02",
    section=Section.PITFALLS,
    title="Renal risk with zoledronic acid",
    checks="Zoledronic acid considered with creatinine clearance 30–60 mL/min (pre-existing "
    "renal insufficiency) → caution: reduced dose (BTA-03), creatinine before every dose (BTA-04).",
    sources=(src.ZOMETA,),
    codes=(
        flag_code(
            "PIT-RENAL-RISK-ZOLEDRONIC",
            Severity.CAUTION,
            "Renal risk with zoledronic acid",
            "Pre-existing renal insufficiency raises the risk of renal deterioration.",
        ),
    ),
)
def renal_risk(ctx: Context, prior: Prior) -> Iterator[Finding]:
    if not zol_considered(ctx, prior) or ctx.zol_band is None:
        return
    x = ctx.zol_band.crcl_ml_min
    if 30 <= x <= 60:
        # A running course is banded by the clearance before its first dose (BTA-03), which
        # the plan shows beside the latest one: say which this is.
        which = "Baseline (pre-first-dose) creatinine" if ctx.zol_active else "Creatinine"
        yield Flagged(
            "PIT-RENAL-RISK-ZOLEDRONIC",
            f"{which} clearance {x:g} mL/min: zoledronic acid is renally excreted and can "
            "worsen renal function — reduced dose (BTA-03) and creatinine before every dose "
            "(BTA-04).",
        )


@rule(
    id="PIT-03",
    section=Section.PITFALLS,
    title="ONJ with chemotherapy and corticosteroids together",
    checks="A BTA with both chemotherapy and corticosteroids → warning (the combination the "
    "source document singles out).",
    sources=(src.ONJ,),
    codes=(
        flag_code(
            "PIT-ONJ-CHEMO-AND-STEROIDS",
            Severity.WARNING,
            "ONJ: chemotherapy plus corticosteroids",
            "Combined ONJ risk factors with a bone-targeted agent.",
        ),
    ),
)
def onj_combination(ctx: Context, prior: Prior) -> Iterator[Finding]:
    if SystemicTherapyKind.CHEMOTHERAPY not in ctx.therapy_kinds or not bta_in_play(ctx, prior):
        return
    if (
        SystemicTherapyKind.CORTICOSTEROID in ctx.therapy_kinds
        or "MSCC-DEXAMETHASONE-16MG" in prior.codes
    ):
        yield Flagged(
            "PIT-ONJ-CHEMO-AND-STEROIDS",
            "Bone-targeted agent with chemotherapy and corticosteroids: the combination the "
            "source document singles out for osteonecrosis of the jaw — dental review and "
            "hygiene matter most.",
        )


RULES = (delayed_referral, renal_risk, onj_combination)
