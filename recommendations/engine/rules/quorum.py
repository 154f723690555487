"""§8 Who should be at the table: the case-driven quorum (MDT-01)."""

from __future__ import annotations

from collections.abc import Iterator

from .. import sources as src
from ..common import Section
from ..context import Context
from ..facts import Specialty
from ..fastinit import fast_new
from .base import Finding, Prior, Quorum, rule

_S = Specialty
# Bound once: ``Specialty.X`` is a slow lookup on Python 3.11 (EnumType.__getattr__).
_SPINE = _S.SPINE_SURGERY
_ORTHO = _S.ORTHOPAEDIC_SURGERY
_new_quorum = fast_new(Quorum)

# Case-level entries carry no case-specific text: built once (they are immutable).
_MEDICAL_ONCOLOGY = Quorum(_S.MEDICAL_ONCOLOGY, "every case")
_RADIATION_ONCOLOGY = Quorum(_S.RADIATION_ONCOLOGY, "every case")
_SPINE_DEFICIT = Quorum(_S.SPINE_SURGERY, "neurological deficit")
_SPINE_MSCC = Quorum(_S.SPINE_SURGERY, "cord compression (MSCC)")
_IR_AUGMENTATION = Quorum(_S.INTERVENTIONAL_RADIOLOGY, "vertebral augmentation considered")
_NUCLEAR_RADIOISOTOPE = Quorum(_S.NUCLEAR_MEDICINE, "radioisotope considered")
_NUCLEAR_RADIUM_PENDING = Quorum(_S.NUCLEAR_MEDICINE, "radium-223 pending data", True)
_PALLIATIVE_PAIN = Quorum(_S.PALLIATIVE_CARE, "uncontrolled pain")
_RADIOLOGY = Quorum(_S.RADIOLOGY, "imaging to review")


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
    yield _MEDICAL_ONCOLOGY
    yield _RADIATION_ONCOLOGY
    for v in ctx.spinal_lesions:
        s = v.sins
        if s is None:
            continue
        if s.total_min >= 7:
            yield _new_quorum(_SPINE, f"{v.name}: SINS {s.total_text()} (≥ 7)")
        elif s.total_max >= 7:
            yield _new_quorum(_SPINE, f"{v.name}: SINS {s.total_text()} may reach 7", True)
    if f.neurology.deficit:
        yield _SPINE_DEFICIT
    if ctx.mscc:
        yield _SPINE_MSCC
    for v in ctx.lesions:
        m = v.mirels
        if m is not None and m.total_min >= 8:
            yield _new_quorum(_ORTHO, f"{v.name}: Mirels {m.total_text()} (≥ 8)")
        elif m is not None and m.total_max >= 8:
            yield _new_quorum(_ORTHO, f"{v.name}: Mirels {m.total_text()} may reach 8", True)
        if v.lesion.pathological_fracture:
            yield _new_quorum(_ORTHO, f"{v.name}: pathological fracture")
    if prior.has_any(("IR-VERTEBRAL-AUGMENTATION", "IR-AUGMENTATION-OVER-3-LEVELS")):
        yield _IR_AUGMENTATION
    if prior.has_any(("RA223-ELIGIBLE", "RADIONUCLIDE-SR89-SM153")):
        yield _NUCLEAR_RADIOISOTOPE
    elif _radium_open(prior):
        yield _NUCLEAR_RADIUM_PENDING
    if f.pain.uncontrolled:
        yield _PALLIATIVE_PAIN
    if ctx.ecog is not None and ctx.ecog >= 3:
        yield _new_quorum(_S.PALLIATIVE_CARE, f"ECOG {ctx.ecog} (≥ 3)")
    if f.lesions or f.imaging:
        yield _RADIOLOGY


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
