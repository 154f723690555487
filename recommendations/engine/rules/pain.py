"""Analgesia and pain flare (rules additions §E: PAIN-03..06, MSCC-06).

Radiotherapy treats the painful metastasis (RT-01..05); these rules make the plan say the
rest when pain is not under control: an analgesia review with an individualised pain
assessment, palliative care at the table, and the (conflicting) evidence on
dexamethasone against the pain flare after radiotherapy as a board note.
"""

from __future__ import annotations

from collections.abc import Iterator

from .. import sources as src
from ..common import Section, Urgency
from ..context import Context
from ..facts import Specialty
from .base import Finding, Item, Note, Prior, Quorum, item_code, note_code, rule

#: PAIN-03: moderate pain starts at NRS 5 (Serlin 1995; Woo 2015; J Palliat Med 2006), so
#: "moderate or worse" is NRS ≥ 5 — correction 7 of the rules additions (not ≥ 4). A board
#: may set another trigger (``pain.analgesia_review_nrs``); it is then called its local
#: choice.
MODERATE_PAIN_NRS = 5
#: Bands of the bone-metastasis study (J Palliat Med 2006;9:850): ≤ 4 mild, 5–7 moderate,
#: ≥ 8 severe.
SEVERE_PAIN_NRS = 8

#: Radiotherapy prescriptions that treat a painful metastasis (PAIN-04 names RT-01).
_RT_CODES = (
    "RT-SINGLE-8GY",
    "RT-MULTIFRACTION-COMPLICATED",
    "RT-POSTOP-MULTIFRACTION",
    "RT-MSCC",
    "RT-REIRRADIATION",
    "RT-SBRT-CONSIDER",
)


#: PAIN-05/06: the flare trials studied 8 Gy/1 (SC.23, DEXA) and spine SBRT.
_FLARE_STUDIED = ("RT-SINGLE-8GY", "RT-SBRT-CONSIDER")


def pain_band(nrs: int) -> str:
    """The J Palliat Med 2006 band of a worst-pain NRS (bone metastases)."""
    if nrs >= SEVERE_PAIN_NRS:
        return "severe"
    if nrs >= MODERATE_PAIN_NRS:
        return "moderate"
    return "mild" if nrs > 0 else "no pain"


@rule(
    id="PAIN-04",
    section=Section.PAIN,
    title="Analgesia review for moderate or worse, uncontrolled or MSCC pain",
    checks="Worst pain NRS ≥ 5 (moderate or worse, PAIN-03; the board may set another "
    "trigger, shown as its local choice), pain recorded as uncontrolled, or suspected MSCC "
    "(MSCC-06) → prompt analgesia with an individualised pain assessment, analgesics by "
    "severity (WHO 2018, secondary), palliative care at the table, RT for the painful "
    "metastasis when drafted. NRS 4 is mild and triggers nothing.",
    sources=(src.PAIN_NRS, src.MSCC_ANALGESIA, src.WHO_PAIN, src.ESMO_PAIN),
    codes=(
        item_code(
            "PAIN-ANALGESIA-REVIEW",
            "Analgesia review and individualised pain assessment",
            "Moderate or worse (NRS ≥ 5), uncontrolled or MSCC pain: prompt analgesia, an "
            "individualised assessment, palliative care at the table.",
            (
                "worst_nrs",
                "pain_band",
                "trigger_nrs",
                "local_threshold",
                "reasons",
                "radiotherapy_drafted",
            ),
        ),
    ),
)
def analgesia_review(ctx: Context, prior: Prior) -> Iterator[Finding]:
    pain = ctx.facts.pain
    nrs = pain.worst_nrs
    chosen = pain.analgesia_review_nrs
    trigger = MODERATE_PAIN_NRS if chosen is None else chosen
    local = trigger != MODERATE_PAIN_NRS
    reasons: list[str] = []
    if nrs is not None and nrs >= trigger:
        basis = (
            f"NRS ≥ {trigger} is this board's local choice of trigger; the published cut "
            f"points put moderate pain at NRS ≥ {MODERATE_PAIN_NRS} (PAIN-03: Serlin 1995, "
            "Woo 2015)"
            if local
            else f"NRS ≥ {MODERATE_PAIN_NRS}, moderate or worse (PAIN-03: Serlin 1995, Woo 2015)"
        )
        reasons.append(f"worst pain NRS {nrs} ({pain_band(nrs)}; {basis})")
    if pain.uncontrolled:
        reasons.append("pain recorded as uncontrolled")
    if ctx.mscc:
        reasons.append("suspected cord compression (MSCC-06: adequate pain relief promptly)")
    if not reasons:
        return
    rt = any(i.code in _RT_CODES for i in prior.items)
    yield Item(
        "PAIN-ANALGESIA-REVIEW",
        f"{'; '.join(reasons)}: prompt analgesia and an individualised pain assessment "
        "(NG234 summary, BMJ 2023); NSAIDs, paracetamol and opioids alone or combined by "
        "severity, immediate-release oral morphine for breakthrough pain, subcutaneous rather "
        "than intramuscular when oral routes fail (WHO 2018, secondary source); palliative "
        "care at the table"
        + (
            "; radiotherapy for the painful metastasis is drafted."
            if rt
            else "; consider radiotherapy for a painful bone metastasis (RT-01)."
        ),
        {
            "worst_nrs": nrs,
            "pain_band": pain_band(nrs) if nrs is not None else None,
            "trigger_nrs": trigger,
            "local_threshold": local,
            "reasons": reasons,
            "radiotherapy_drafted": rt,
            "summary": "Analgesia review and individualised pain assessment",
        },
        Urgency.EMERGENCY if ctx.mscc else Urgency.BEFORE_NEXT_MEETING,
    )
    yield Quorum(Specialty.PALLIATIVE_CARE, "; ".join(reasons))


@rule(
    id="PAIN-05",
    section=Section.PAIN,
    title="Dexamethasone against pain flare after radiotherapy (board note)",
    checks="8 Gy/1 or SBRT drafted (the schedules the flare trials studied) → a board note: "
    "dexamethasone "
    "against the pain flare has conflicting evidence (SC.23 secondary; DEXA trial: "
    "insufficient evidence), so it is for the board to consider, never a rule.",
    sources=(src.FLARE_DEXA_TRIAL, src.FLARE_DEXA_SC23, src.FLARE_SBRT),
    codes=(
        note_code(
            "PAIN-FLARE-DEXAMETHASONE",
            "Pain flare after radiotherapy: dexamethasone is a consideration",
            "SC.23 (secondary) lowered flare with dexamethasone 8 mg; the DEXA trial found "
            "insufficient evidence: consider, not a rule.",
        ),
    ),
)
def flare_dexamethasone(ctx: Context, prior: Prior) -> Iterator[Finding]:
    if not prior.has_any(_FLARE_STUDIED):
        return
    yield Note(
        "PAIN-FLARE-DEXAMETHASONE",
        "A pain flare follows palliative radiotherapy in about a quarter to a third of "
        "patients (23 % after spine SBRT, median day 5). Dexamethasone 8 mg before and for 4 "
        "days after 8 Gy/1 lowered it from 35 % "
        "to 26 % in SC.23 (secondary source), but the DEXA trial found insufficient evidence "
        "that it reduced the incidence (it postponed flares): the board may consider it.",
    )


RULES = (analgesia_review, flare_dexamethasone)
