"""§7 Follow-up: imaging re-assessment with the flare caveat, optional bone markers."""

from __future__ import annotations

from collections.abc import Iterator

from .. import sources as src
from ..common import Section, Severity
from ..context import FLARE_WINDOW_DAYS, Context
from ..facts import PrimarySite
from .base import Finding, Flagged, Item, Prior, flag_code, item_code, rule

IMAGING_REASSESS_WEEKS = 12  # §9: "as the board sets (e.g. 3 months)"

#: Drafted items that start a treatment whose effect imaging will re-assess.
TREATMENT_CODES = (
    "RT-SINGLE-8GY",
    "RT-POSTOP-MULTIFRACTION",
    "RT-MULTIFRACTION-COMPLICATED",
    "RT-MSCC",
    "RT-SBRT-CONSIDER",
    "RT-REIRRADIATION",
    "SURG-FIXATION-FRACTURE",
    "SURG-PROPHYLACTIC-FIXATION",
    "SURG-SPINE-STABILISATION",
    "MSCC-DECOMPRESSION-THEN-RT",
    "IR-VERTEBRAL-AUGMENTATION",
    "BTA-START",
    "BTA-CONTINUE",
    "RA223-55KBQ-Q4W-X6",
    "RADIONUCLIDE-SR89-SM153",
)
#: Treatments after which a bone scan may flare (systemic, BTA, radioisotopes).
FLARE_CODES = ("BTA-START", "RA223-55KBQ-Q4W-X6", "RADIONUCLIDE-SR89-SM153")


@rule(
    id="IMG-02",
    section=Section.FOLLOW_UP,
    title="Bone-scan flare caveat",
    checks=f"A systemic treatment, BTA or radioisotope started in the last {FLARE_WINDOW_DAYS} "
    "days or drafted now → new or brighter lesions on the first scan within ~12 weeks may be "
    "healing; prostate: progression only if a scan ≥ 6 weeks later shows ≥ 2 more new lesions.",
    sources=(src.FLARE,),
    codes=(
        flag_code(
            "IMG-FLARE-CAVEAT",
            Severity.INFO,
            "Bone-scan flare",
            "Early new/brighter lesions may be healing, not progression (PCWG3 2+2 in prostate).",
        ),
    ),
)
def flare(ctx: Context, prior: Prior) -> Iterator[Finding]:
    recent = (
        ctx.last_treatment_start is not None
        and (ctx.as_of - ctx.last_treatment_start).days <= FLARE_WINDOW_DAYS
    )
    if not (recent or prior.has_any(FLARE_CODES)):
        return
    when = (
        f"treatment started {ctx.last_treatment_start.isoformat()}"
        if recent and ctx.last_treatment_start
        else "treatment drafted now"
    )
    prostate = ctx.facts.primary.site is PrimarySite.PROSTATE
    yield Flagged(
        "IMG-FLARE-CAVEAT",
        f"{when}: new or brighter lesions on the first bone scan within ~12 weeks may be healing "
        "(flare), not progression"
        + (
            "; in prostate cancer count progression only if a confirmatory scan ≥ 6 weeks later "
            "shows ≥ 2 further new lesions (PCWG3 '2+2')."
            if prostate
            else "."
        ),
    )


@rule(
    id="IMG-03",
    section=Section.FOLLOW_UP,
    title="Bone turnover markers: optional",
    checks="A BTA or systemic treatment in play → offer ALP / NTX as optional response markers "
    "(source document) — ESMO 2020 advises against routine use (conflict 5).",
    sources=(src.MARKERS,),
    codes=(
        item_code(
            "FU-BONE-MARKERS-OPTIONAL",
            "Bone turnover markers (optional)",
            "ALP / NTX may help assess response; optional, not required (conflict 5).",
            ("analytes", "optional"),
        ),
    ),
)
def markers(ctx: Context, prior: Prior) -> Iterator[Finding]:
    if prior.has_any(("BTA-START", "BTA-CONTINUE")) or ctx.therapy_kinds:
        yield Item(
            "FU-BONE-MARKERS-OPTIONAL",
            "The source document suggests alkaline phosphatase and N-terminal telopeptide to "
            "follow response; ESMO 2020 does not recommend them routinely — offered as optional "
            "(conflict 5).",
            {
                "analytes": ["alp", "ntx"],
                "optional": True,
                "summary": "Optional: ALP and NTX to follow response",
            },
        )


@rule(
    id="FU-01",
    section=Section.FOLLOW_UP,
    title="Imaging re-assessment",
    checks="Any treatment drafted → imaging re-assessment when the board sets it (default 12 "
    "weeks), tailored to symptoms, read with the flare caveat.",
    sources=(src.IMAGING_FU,),
    codes=(
        item_code(
            "FU-IMAGING-REASSESSMENT",
            "Imaging re-assessment",
            "Reminder-bearing: imaging re-assessment, default 12 weeks, flare caveat.",
            ("follow_up_weeks", "set_by", "flare_caveat"),
        ),
    ),
)
def imaging_reassessment(ctx: Context, prior: Prior) -> Iterator[Finding]:
    if prior.has_any(TREATMENT_CODES):
        yield Item(
            "FU-IMAGING-REASSESSMENT",
            "Treatment drafted: imaging follow-up tailored to symptoms (source document), "
            f"default {IMAGING_REASSESS_WEEKS} weeks unless the board sets otherwise; read "
            "with the flare caveat (IMG-02).",
            {
                "follow_up_weeks": IMAGING_REASSESS_WEEKS,
                "set_by": "board",
                "flare_caveat": "IMG-FLARE-CAVEAT" in prior.codes,
                "summary": f"Imaging re-assessment in about {IMAGING_REASSESS_WEEKS} weeks",
            },
        )


RULES = (flare, markers, imaging_reassessment)
