"""Oligometastatic disease (OMD-01, OMD-04): the ESTRO–ASTRO count of all metastases.

Kept apart from radioisotope eligibility (ALSYMPCA needed ≥ 2 bone metastases, PEACE-3
≥ 4): a count of 1–5 opens a discussion of metastasis-directed treatment, nothing else.
"""

from __future__ import annotations

from collections.abc import Iterator

from .. import sources as src
from ..common import Section, Severity, Supplier
from ..context import Context
from ..facts import BoneDiseaseExtent
from .base import Finding, Flagged, Item, Missing, Prior, flag_code, item_code, rule

#: ESTRO–ASTRO 2020: "1–5 metastatic lesions".
OMD_MAX_METASTASES = 5

DEFINITION = (
    "ESTRO–ASTRO 2020: 1–5 metastatic lesions, a controlled primary optional, every "
    "metastatic site safely treatable"
)


@rule(
    id="OMD-01",
    section=Section.OLIGOMETASTATIC,
    title="Oligometastatic disease by the ESTRO–ASTRO definition",
    checks="All metastases counted, bone and non-bone: 1–5 with every site safely treatable "
    "and non-bone staging complete → oligometastatic, discuss metastasis-directed RT/SBRT; "
    "more than 5 → not oligometastatic; staging or treatability unknown → cannot classify, "
    "what is missing is asked for. Asked when the board's extent says oligometastatic or SBRT "
    "is considered.",
    sources=(src.OMD_ESTRO_ASTRO, src.OMD_ESTRO_EORTC),
    codes=(
        item_code(
            "OMD-DISCUSS-METASTASIS-DIRECTED",
            "Oligometastatic: discuss metastasis-directed treatment",
            "1–5 metastases, all safely treatable (ESTRO–ASTRO 2020): discuss "
            "metastasis-directed radiotherapy or SBRT.",
            ("metastasis_count", "definition"),
            (src.OMD_ESTRO_ASTRO, src.SABR_COMET),
        ),
        flag_code(
            "OMD-MORE-THAN-5",
            Severity.INFO,
            "Not oligometastatic: more than 5 metastases",
            "The ESTRO–ASTRO definition counts 1–5 metastatic lesions.",
        ),
        flag_code(
            "OMD-NOT-ALL-TREATABLE",
            Severity.INFO,
            "Not oligometastatic: not every site safely treatable",
            "The ESTRO–ASTRO definition needs every metastatic site to be safely treatable.",
        ),
        flag_code(
            "OMD-EXTENT-CONTRADICTS-COUNT",
            Severity.CAUTION,
            "Extent 'oligometastatic' contradicts the metastasis count",
            "The board's reading says oligometastatic, the recorded count is above 5.",
        ),
    ),
)
def oligometastatic(ctx: Context, prior: Prior) -> Iterator[Finding]:
    f = ctx.facts
    ex = f.extraskeletal
    count = ex.metastasis_count
    board_oligo = f.bone_disease_extent is BoneDiseaseExtent.OLIGOMETASTATIC
    if count is None:
        if board_oligo or "RT-SBRT-CONSIDER" in prior.codes:
            yield Missing(
                "extraskeletal.metastasis_count",
                "oligometastatic disease is defined by the count of all metastases, bone and "
                "non-bone (1–5, ESTRO–ASTRO 2020; OMD-01)",
                Supplier.RADIOLOGY,
            )
        return
    if count > OMD_MAX_METASTASES:
        yield Flagged(
            "OMD-MORE-THAN-5",
            f"{count} metastases on record: more than {OMD_MAX_METASTASES}, so not "
            "oligometastatic by the ESTRO–ASTRO definition (Lievens 2020).",
        )
        if board_oligo:
            yield Flagged(
                "OMD-EXTENT-CONTRADICTS-COUNT",
                f"The extent of bone disease is recorded as oligometastatic, but {count} "
                "metastases are counted: the coordinator checks which is right.",
            )
        return
    staging = (
        ("extraskeletal.visceral", ex.visceral, "visceral metastases"),
        ("extraskeletal.nodal", ex.nodal, "nodal metastases"),
        ("extraskeletal.brain", ex.brain, "brain metastases"),
    )
    unknown = [(path, words) for path, known, words in staging if known is None]
    for path, words in unknown:
        yield Missing(
            path,
            f"{count} metastases counted: whether there are {words} is needed before the "
            "disease can be called oligometastatic (OMD-04)",
            Supplier.RADIOLOGY,
        )
    if ex.all_sites_treatable is None:
        yield Missing(
            "extraskeletal.all_sites_treatable",
            f"{count} metastases counted: oligometastatic only if every site can be treated "
            "safely (ESTRO–ASTRO 2020)",
            Supplier.RADIATION_ONCOLOGY,
        )
    if unknown or ex.all_sites_treatable is None:
        return
    if ex.all_sites_treatable is False:
        yield Flagged(
            "OMD-NOT-ALL-TREATABLE",
            f"{count} metastases, but not every site can be treated safely: not "
            "oligometastatic by the ESTRO–ASTRO definition (Lievens 2020).",
        )
        return
    yield Item(
        "OMD-DISCUSS-METASTASIS-DIRECTED",
        f"{count} metastatic lesion{'s' if count != 1 else ''} in all, bone and non-bone, "
        "every site safely treatable and non-bone staging complete: oligometastatic by the "
        "ESTRO–ASTRO consensus (Lievens 2020). SABR-COMET (controlled primary, 1–5 "
        "metastases, ECOG 0–1, life expectancy ≥ 6 months) reported 5-year survival of 42.3 % "
        "with SABR vs 17.7 % with standard care. Not a radioisotope criterion.",
        {
            "metastasis_count": count,
            "definition": DEFINITION,
            "summary": "Oligometastatic disease: discuss metastasis-directed radiotherapy or SBRT",
        },
    )


RULES = (oligometastatic,)
