"""Systemic oncological treatment: integration by primary; document statements as notes."""

from __future__ import annotations

from collections.abc import Iterator

from .. import sources as src
from ..common import Section, Supplier
from ..context import Context
from ..facts import Her2Status, HormoneReceptorStatus, PrimarySite, SystemicTherapyKind
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
    "status; for breast cancer the hormone-receptor (ER/PR) and the HER2 status, each "
    "asked for on its own: of medical oncology when not recorded, of pathology when "
    "recorded as not known) are asked for when missing.",
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
    if site is PrimarySite.BREAST:
        yield from _breast_receptors_missing(f.primary.hormone_receptor_status,
                                             f.primary.her2_status)
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
    primary_words = site_name
    if site is PrimarySite.BREAST:
        subtype = breast_subtype(f.primary.hormone_receptor_status, f.primary.her2_status)
        primary_words += f", {subtype}" if subtype else ""
    yield Item(
        "SYS-INTEGRATE-WITH-LOCAL",
        # The local items are the plan's own, read above this one; their codes stay in the
        # detail (labelled on pages), not in the sentence a person reads.
        f"Systemic therapy depends on the primary ({primary_words}) and should be integrated "
        f"with local treatment (source document)"
        f"{': time it around the local treatment drafted in this plan' if local else ''}."
        f"{extra}",
        {
            "primary_site": site_name,
            "local_treatment_codes": local,
            "current_therapies": current,
            "summary": f"Medical oncology: systemic plan for {primary_words}, timed with "
            "local treatment",
        },
    )


_HR_WORDS = {HormoneReceptorStatus.POSITIVE: "HR-positive",
             HormoneReceptorStatus.NEGATIVE: "HR-negative"}
_HER2_WORDS = {Her2Status.POSITIVE: "HER2-positive", Her2Status.NEGATIVE: "HER2-negative"}


def breast_subtype(hr: HormoneReceptorStatus | None, her2: Her2Status | None) -> str:
    """The known part of a breast cancer's subtype in words ("HR-positive,
    HER2-negative"); "" when neither status is known (the missing data asks for them)."""
    if hr is HormoneReceptorStatus.NEGATIVE and her2 is Her2Status.NEGATIVE:
        return "triple-negative (HR-negative, HER2-negative)"
    words = (_HR_WORDS.get(hr) if hr else None, _HER2_WORDS.get(her2) if her2 else None)
    return ", ".join(w for w in words if w)


def _breast_receptors_missing(
    hr: HormoneReceptorStatus | None, her2: Her2Status | None
) -> Iterator[Missing]:
    """One item per missing status. Not recorded: medical oncology has the pathology
    report of the primary. Recorded as not known: pathology has still to report it (ER/PR
    by immunohistochemistry; HER2 by IHC, an IHC 2+ by ISH, ASCO/CAP 2018)."""
    if hr in (None, HormoneReceptorStatus.UNKNOWN):
        yield Missing(
            "primary.hormone_receptor_status",
            "breast cancer: systemic therapy depends on the hormone-receptor (ER/PR) status "
            f"({'not recorded' if hr is None else 'recorded as not known'}; SYS-01)",
            Supplier.MEDICAL_ONCOLOGY if hr is None else Supplier.PATHOLOGY,
        )
    if her2 in (None, Her2Status.UNKNOWN):
        yield Missing(
            "primary.her2_status",
            "breast cancer: systemic therapy depends on the HER2 status "
            f"({'not recorded' if her2 is None else 'recorded as not known'}; SYS-01)",
            Supplier.MEDICAL_ONCOLOGY if her2 is None else Supplier.PATHOLOGY,
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
