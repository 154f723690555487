"""Systemic oncological treatment: integration by primary; document statements as notes."""

from __future__ import annotations

from collections.abc import Iterator

from .. import sources as src
from ..common import Section, Supplier
from ..context import Context
from ..facts import PrimarySite, ReceptorStatus, SystemicTherapyKind
from .base import Finding, Item, Missing, Note, Prior, item_code, note_code, rule

#: Plan-item codes that are local treatments systemic therapy must be timed around.
LOCAL_TREATMENT_CODES = (
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
    "RA223-ELIGIBLE",
    "RADIONUCLIDE-SR89-SM153",
)
BONE_LOSS_KINDS = frozenset(
    {SystemicTherapyKind.CHEMOTHERAPY, SystemicTherapyKind.ENDOCRINE, SystemicTherapyKind.ADT}
)


@rule(
    id="SYS-01",
    section=Section.SYSTEMIC,
    title="Systemic therapy by primary, integrated with local treatment",
    checks="Every case: medical oncology states the systemic plan for the primary and its "
    "timing around the drafted local treatments; the facts that steer it (castration "
    "status, receptor status) are asked for when missing.",
    sources=(src.SYS,),
    codes=(
        item_code(
            "SYS-INTEGRATE-WITH-LOCAL",
            "Systemic therapy plan, timed with local treatment",
            "Medical oncology sets the systemic therapy for the primary and its timing around "
            "RT, surgery and radioisotopes.",
            ("primary_site", "local_treatment_codes", "current_therapies"),
        ),
    ),
)
def integrate(ctx: Context, prior: Prior) -> Iterator[Finding]:
    f = ctx.facts
    site = f.primary.site
    if site is None:
        return  # BTA-01 already asks for the primary
    if site is PrimarySite.BREAST and f.primary.receptor_status in (None, ReceptorStatus.UNKNOWN):
        yield Missing(
            "primary.receptor_status",
            "breast cancer: systemic therapy depends on receptor status (SYS-01)",
            Supplier.MEDICAL_ONCOLOGY,
        )
    # Every LOCAL_TREATMENT_CODES entry is an item code (a test holds the catalogue to
    # that), so asking ``prior.has`` per code equals scanning the drafted items.
    local = sorted(prior.emitted(LOCAL_TREATMENT_CODES))
    current = sorted(map(str, ctx.therapy_kinds))
    extra = ""
    if "RA223-ELIGIBLE" in prior.codes:
        extra = (
            " Radium-223 must not be combined with abiraterone + prednisone or chemotherapy "
            "(RAD-04)."
        )
    site_name = str(site)
    yield Item(
        "SYS-INTEGRATE-WITH-LOCAL",
        # The local items are the plan's own, read above this one; their codes stay in the
        # detail (labelled on pages), not in the sentence a person reads.
        f"Systemic therapy depends on the primary ({site_name}) and should be integrated with "
        f"local treatment (source document)"
        f"{': time it around the local treatment drafted in this plan' if local else ''}."
        f"{extra}",
        {
            "primary_site": site_name,
            "local_treatment_codes": local,
            "current_therapies": current,
            "summary": f"Medical oncology: systemic plan for {site_name}, timed with local "
            "treatment",
        },
    )


@rule(
    id="SYS-02",
    section=Section.SYSTEMIC,
    title="Treatment-related bone damage (board note)",
    checks="Chemotherapy, endocrine therapy or ADT running → board note: they can damage bone "
    "(loss of ovarian function, myelosuppression) — source document, unverified.",
    sources=(src.SYS_BONE,),
    codes=(
        note_code(
            "SYS-TREATMENT-BONE-LOSS",
            "Treatment-related bone damage",
            "Source-document statement, unverified.",
        ),
    ),
)
def bone_loss(ctx: Context, prior: Prior) -> Iterator[Finding]:
    kinds = sorted(map(str, ctx.therapy_kinds & BONE_LOSS_KINDS))
    if kinds:
        yield Note(
            "SYS-TREATMENT-BONE-LOSS",
            f"{', '.join(kinds)}: the source document notes that chemotherapy and hormone "
            "therapy can damage bone (loss of ovarian function, myelosuppression) — unverified.",
        )


@rule(
    id="SYS-03",
    section=Section.SYSTEMIC,
    title="EGFR inhibitors and osteoblast activity (board note)",
    checks="Lung primary or targeted therapy → board note on the document's unverified "
    "statement that EGFR inhibitors may modulate osteoblast activity.",
    sources=(src.EGFR,),
    codes=(
        note_code(
            "SYS-EGFR-OSTEOBLAST",
            "EGFR inhibitors and osteoblasts",
            "Source-document statement, unverified.",
        ),
    ),
)
def egfr(ctx: Context, prior: Prior) -> Iterator[Finding]:
    lung = ctx.facts.primary.site is PrimarySite.LUNG
    if lung or SystemicTherapyKind.TARGETED in ctx.therapy_kinds:
        yield Note(
            "SYS-EGFR-OSTEOBLAST",
            "The source document says some targeted therapies (like EGFR inhibitors) may "
            "modulate osteoblast activity; unverified — for discussion only.",
        )


RULES = (integrate, bone_loss, egfr)
