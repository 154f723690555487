"""§8 Who should be at the table: the case-driven quorum (MDT-01)."""

from __future__ import annotations

from collections.abc import Iterator

from .. import sources as src
from ..common import Section
from ..context import Context
from ..facts import Specialty
from .base import Finding, Prior, Quorum, rule

S = Specialty


@rule(
    id="MDT-01",
    section=Section.QUORUM,
    title="Case-driven quorum",
    checks="Medical and radiation oncology always; spine surgeon for SINS ≥ 7, a neurological "
    "deficit or MSCC; orthopaedic surgeon for Mirels ≥ 8 or a pathological fracture; "
    "interventional radiology when augmentation is drafted; nuclear medicine when a "
    "radioisotope is considered; palliative care for uncontrolled pain or ECOG ≥ 3; "
    "radiology whenever there is imaging to review. A score range that only may reach the "
    "threshold makes the specialty provisional.",
    sources=(src.MDT,),
)
def quorum(ctx: Context, prior: Prior) -> Iterator[Finding]:
    f = ctx.facts
    yield Quorum(S.MEDICAL_ONCOLOGY, "every case")
    yield Quorum(S.RADIATION_ONCOLOGY, "every case")
    for v in ctx.spinal_lesions:
        s = v.sins
        if s is None:
            continue
        if s.total_min >= 7:
            yield Quorum(S.SPINE_SURGERY, f"{v.name}: SINS {s.total_text()} (≥ 7)")
        elif s.total_max >= 7:
            yield Quorum(S.SPINE_SURGERY, f"{v.name}: SINS {s.total_text()} may reach 7", True)
    if f.neurology.deficit:
        yield Quorum(S.SPINE_SURGERY, "neurological deficit")
    if ctx.mscc:
        yield Quorum(S.SPINE_SURGERY, "cord compression (MSCC)")
    for v in ctx.lesions:
        m = v.mirels
        if m is not None and m.total_min >= 8:
            yield Quorum(S.ORTHOPAEDIC_SURGERY, f"{v.name}: Mirels {m.total_text()} (≥ 8)")
        elif m is not None and m.total_max >= 8:
            yield Quorum(
                S.ORTHOPAEDIC_SURGERY, f"{v.name}: Mirels {m.total_text()} may reach 8", True
            )
        if v.lesion.pathological_fracture:
            yield Quorum(S.ORTHOPAEDIC_SURGERY, f"{v.name}: pathological fracture")
    if prior.has_any(("IR-VERTEBRAL-AUGMENTATION", "IR-AUGMENTATION-OVER-3-LEVELS")):
        yield Quorum(S.INTERVENTIONAL_RADIOLOGY, "vertebral augmentation considered")
    if prior.has_any(("RA223-ELIGIBLE", "RADIONUCLIDE-SR89-SM153")):
        yield Quorum(S.NUCLEAR_MEDICINE, "radioisotope considered")
    elif _radium_open(prior):
        yield Quorum(S.NUCLEAR_MEDICINE, "radium-223 pending data", provisional=True)
    if f.pain.uncontrolled:
        yield Quorum(S.PALLIATIVE_CARE, "uncontrolled pain")
    if ctx.ecog is not None and ctx.ecog >= 3:
        yield Quorum(S.PALLIATIVE_CARE, f"ECOG {ctx.ecog} (≥ 3)")
    if f.lesions or f.imaging:
        yield Quorum(S.RADIOLOGY, "imaging to review")


_RADIUM_EXCLUSIONS = (
    "RA223-EXCL-NON-PROSTATE",
    "RA223-EXCL-CASTRATION-SENSITIVE",
    "RA223-EXCL-VISCERAL",
    "RA223-EXCL-ASYMPTOMATIC",
    "RA223-EXCL-ABIRATERONE-PREDNISONE",
    "RA223-EXCL-CHEMOTHERAPY",
    "RA223-EXCL-ANC-FIRST-DOSE",
    "RA223-EXCL-PLATELETS-FIRST-DOSE",
    "RA223-EXCL-HB-FIRST-DOSE",
    "RA223-HOLD-ANC-LATER-DOSE",
    "RA223-HOLD-PLATELETS-LATER-DOSE",
    "RA223-STOP-NO-RECOVERY",
    "RA223-COURSE-COMPLETE",
)


def _radium_open(prior: Prior) -> bool:
    """Radium-223 was assessed, nothing excluded it, but data are missing."""
    assessed = prior.asked("RAD-01", "RAD-03")
    excluded = prior.has_any(_RADIUM_EXCLUSIONS)
    return assessed and not excluded


RULES = (quorum,)
