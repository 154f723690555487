"""§7 Assessment and first-line imaging (IMG-01; the pain/neurology/instability triad)."""

from __future__ import annotations

from collections.abc import Collection, Iterator
from datetime import date

from .. import sources as src
from ..common import Section, Severity, Source, Supplier
from ..context import IMAGING_RECENT_DAYS, Context
from ..facts import ImagingModality
from .base import Finding, Flagged, Item, Missing, Prior, flag_code, item_code, rule


def _recent(ctx: Context, modalities: Collection[ImagingModality]) -> date | None:
    """Date of the most recent study of these modalities within the window, if any."""
    return max(
        (
            s.performed_on
            for s in ctx.facts.imaging
            if s.modality in modalities
            and 0 <= (ctx.as_of - s.performed_on).days <= IMAGING_RECENT_DAYS
        ),
        default=None,
    )


# CT first line (PET-CT counts).
_CT_STUDIES = frozenset(
    {ImagingModality.CT, ImagingModality.PET_CT_FDG, ImagingModality.PET_CT_PSMA}
)
_SPINE_MRI = frozenset({ImagingModality.MRI_WHOLE_SPINE})
_RADIOGRAPHS = frozenset({ImagingModality.RADIOGRAPH})


@rule(
    id="ASSESS-01",
    section=Section.ASSESSMENT,
    title="Pain, neurological risk, bone instability",
    checks="Every assessment covers pain severity, neurological risk and bone instability; "
    "asks for whichever is unknown (instability: SINS-08 / MIR-02).",
    sources=(Source("Rules reference §7 (assessment triad)", src.DOC_TRIAD),),
)
def assessment_triad(ctx: Context, prior: Prior) -> Iterator[Finding]:
    pain = ctx.facts.pain
    if pain.worst_nrs is None and pain.uncontrolled is None:
        yield Missing(
            "pain.worst_nrs",
            "pain severity is one of the three assessment axes; it selects RT, palliative "
            "care and radium-223 (symptomatic disease)",
            Supplier.NURSING,
        )
    for v in ctx.lesions:
        if v.painful is None:
            yield Missing(
                v.path("painful"),
                f"{v.name}: whether the site hurts decides radiotherapy (RT-01)",
                Supplier.MEDICAL_ONCOLOGY,
                v.id,
            )
    if ctx.facts.neurology.deficit is None:
        yield Missing(
            "neurology.deficit",
            "neurological risk is one of the three assessment axes (MSCC-01/03, RT-04)",
            Supplier.MEDICAL_ONCOLOGY,
        )


@rule(
    id="IMG-01",
    section=Section.ASSESSMENT,
    title="First-line imaging: CT; whole-spine MRI for the spine; radiographs + CT for long bones",
    checks=f"Proposes studies not on record in the last {IMAGING_RECENT_DAYS} days: CT first "
    "line (source document), whole-spine MRI for spinal lesions (NICE, conflict 4), "
    "radiographs of the whole bone plus CT for long-bone lesions.",
    sources=(Source("Source document (CT first line)", src.DOC_CT), src.NICE_MRI_S, src.CT_LONG),
    codes=(
        item_code(
            "IMG-CT-FIRST-LINE",
            "CT as first-line investigation",
            "No CT on record in the imaging window: CT is the first-line investigation.",
            ("modality",),
        ),
        item_code(
            "IMG-MRI-WHOLE-SPINE",
            "Whole-spine MRI",
            "Spinal lesions without a recent whole-spine MRI (NICE; conflict 4).",
            ("modality", "lesion_ids"),
            (src.NICE_MRI_S,),
        ),
        item_code(
            "IMG-LONG-BONE-XR-CT",
            "Radiographs of the whole bone plus CT",
            "Long-bone lesions without recent radiographs: whole-bone radiographs plus CT "
            "(Mirels needs the cortical involvement).",
            ("modalities", "lesion_ids"),
            (src.CT_LONG,),
        ),
    ),
)
def first_line_imaging(ctx: Context, prior: Prior) -> Iterator[Finding]:
    if _recent(ctx, _CT_STUDIES) is None:
        yield Item(
            "IMG-CT-FIRST-LINE",
            f"No CT on record in the last {IMAGING_RECENT_DAYS} days; the source document "
            "makes CT the first-line investigation.",
            {"modality": "ct", "summary": "CT as first-line investigation"},
        )
    spinal = ctx.spinal_lesions
    # Suspected MSCC gets the 24-hour MRI from MSCC-01 instead of a routine request.
    if spinal and not ctx.mscc and _recent(ctx, _SPINE_MRI) is None:
        names = ", ".join([v.name for v in spinal])
        yield Item(
            "IMG-MRI-WHOLE-SPINE",
            f"Spinal lesion(s) {names} and no whole-spine MRI in the last "
            f"{IMAGING_RECENT_DAYS} days. The source document says CT first line; for the "
            "spine NICE uses whole-spine MRI, which the engine follows (conflict 4).",
            {
                "modality": "mri_whole_spine",
                "lesion_ids": [v.id for v in spinal],
                "summary": "Whole-spine MRI",
            },
        )
    long_bones = ctx.long_bone_lesions
    if long_bones and _recent(ctx, _RADIOGRAPHS) is None:
        names = ", ".join([v.name for v in long_bones])
        yield Item(
            "IMG-LONG-BONE-XR-CT",
            f"Long-bone lesion(s) {names} without radiographs in the last "
            f"{IMAGING_RECENT_DAYS} days: image the whole bone (radiographs) plus CT.",
            {
                "modalities": ["radiograph", "ct"],
                "lesion_ids": [v.id for v in long_bones],
                "summary": "Radiographs of the whole bone plus CT",
            },
        )


@rule(
    id="ASSESS-02",
    section=Section.ASSESSMENT,
    title="One site, one set of facts",
    checks="Two lesions at one vertebral level, one with and one without a pathological "
    "fracture → a data-inconsistency flag for the coordinator; the engine drafts no "
    "non-emergency plan for that level until the facts agree.",
    sources=(src.CONSISTENCY,),
    codes=(
        flag_code(
            "DATA-LESION-FACTS-INCONSISTENT",
            Severity.WARNING,
            "Contradictory lesion facts at one level",
            "Fracture and no fracture recorded for the same level: the coordinator checks the "
            "record before the board plans that level.",
        ),
    ),
)
def lesion_consistency(ctx: Context, prior: Prior) -> Iterator[Finding]:
    for group in ctx.inconsistent_levels:
        names = ", ".join(
            f"{g.name} ({'fracture' if g.lesion.pathological_fracture else 'no fracture'})"
            for g in group
        )
        yield Flagged(
            "DATA-LESION-FACTS-INCONSISTENT",
            f"Contradictory facts for one level: {names}. Only emergency items are drafted "
            "for it until the record is corrected.",
            group[0].id,
        )
        for g in group:
            yield Missing(
                g.path("pathological_fracture"),
                f"{names}: fracture or not? (ASSESS-02)",
                Supplier.RADIOLOGY,
                g.id,
            )


RULES = (assessment_triad, first_line_imaging, lesion_consistency)
