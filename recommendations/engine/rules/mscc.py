"""§3 Metastatic spinal cord compression: an emergency, never left for the next meeting."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .. import sources as src
from ..common import EMERGENCY, Section, Supplier
from ..context import Context
from ..facts import PrimarySite, SurvivalBand
from ..fastinit import fast_init, fast_new
from .base import Finding, Item, Missing, Prior, item_code, rule

#: Patchell excluded radiosensitive tumours: lymphoma, leukaemia, myeloma, germ cell.
RADIOSENSITIVE_SITES = frozenset({PrimarySite.LYMPHOMA, PrimarySite.MYELOMA, PrimarySite.GERM_CELL})


@fast_init
@dataclass(frozen=True, slots=True)
class Criterion:
    name: str
    met: bool | None
    text: str
    field: str
    supplier: Supplier


_new_criterion = fast_new(Criterion)
_MED_ONC = Supplier.MEDICAL_ONCOLOGY  # bound once: Enum.MEMBER lookups are slow on 3.11

# Criteria whose text does not depend on the case are built once (they are immutable).
_PARAPLEGIA = "not paraplegic for more than 48 hours"
_PARAPLEGIA_FIELD = "neurology.paraplegia_duration_hours"
_NOT_PARAPLEGIC = Criterion(_PARAPLEGIA, True, "not paraplegic", _PARAPLEGIA_FIELD, _MED_ONC)
_PARAPLEGIA_NOT_RECORDED = Criterion(
    _PARAPLEGIA, None, "paraplegia not recorded", "neurology.paraplegic", _MED_ONC
)
_PARAPLEGIA_DURATION_UNKNOWN = Criterion(
    _PARAPLEGIA, None, "paraplegia duration unknown", _PARAPLEGIA_FIELD, _MED_ONC
)
# Patchell enrolled patients with at least one neurological sign or symptom.
_DEFICIT = {
    None: Criterion(
        "neurological deficit",
        None,
        "neurological deficit not recorded",
        "neurology.deficit",
        _MED_ONC,
    ),
    True: Criterion(
        "neurological deficit", True, "neurological deficit", "neurology.deficit", _MED_ONC
    ),
    False: Criterion(
        "neurological deficit", False, "no neurological deficit", "neurology.deficit", _MED_ONC
    ),
}
_COMPRESSION_UNKNOWN = Criterion(
    "single area of compression",
    None,
    "number of compression areas unknown",
    "neurology.compression_levels",
    Supplier.RADIOLOGY,
)
_PRIMARY_UNKNOWN = Criterion(
    "not a radiosensitive tumour", None, "primary unknown", "primary.site", _MED_ONC
)
_SURVIVAL = {
    None: Criterion(
        "expected survival ≥ 3 months",
        None,
        "expected survival unknown",
        "expected_survival",
        _MED_ONC,
    ),
} | {
    sv: Criterion(
        "expected survival ≥ 3 months",
        sv is not SurvivalBand.LESS_THAN_3_MONTHS,
        f"expected survival {sv}",
        "expected_survival",
        _MED_ONC,
    )
    for sv in SurvivalBand
}


def _paraplegia(ctx: Context) -> Criterion:
    n = ctx.facts.neurology
    if n.paraplegic is False:
        return _NOT_PARAPLEGIC
    if n.paraplegic is None:
        return _PARAPLEGIA_NOT_RECORDED
    if n.paraplegia_duration_hours is not None:
        h = n.paraplegia_duration_hours
        return _new_criterion(
            _PARAPLEGIA, h <= 48, f"paraplegic for {h:g} h", _PARAPLEGIA_FIELD, _MED_ONC
        )
    if n.paraplegia_onset is not None:
        days = (ctx.as_of - n.paraplegia_onset).days
        # Day-resolution onset: ≥ 3 calendar days is certainly > 48 h, ≤ 1 day is
        # certainly ≤ 48 h; 2 days could be either, so the hours are asked for.
        if days >= 3:
            return _new_criterion(
                _PARAPLEGIA,
                False,
                f"paraplegic since {n.paraplegia_onset.isoformat()} ({days} days)",
                _PARAPLEGIA_FIELD,
                _MED_ONC,
            )
        if days <= 1:
            return _new_criterion(
                _PARAPLEGIA,
                True,
                f"paraplegic since {n.paraplegia_onset.isoformat()} (≤ 48 h)",
                _PARAPLEGIA_FIELD,
                _MED_ONC,
            )
        return _new_criterion(
            _PARAPLEGIA,
            None,
            f"paraplegic since {n.paraplegia_onset.isoformat()} (2 calendar days: 24–72 h)",
            _PARAPLEGIA_FIELD,
            _MED_ONC,
        )
    return _PARAPLEGIA_DURATION_UNKNOWN


def patchell_criteria(ctx: Context) -> tuple[Criterion, ...]:
    """MSCC-03: who benefits from decompression before RT (Patchell, Lancet 2005)."""
    f = ctx.facts
    n = f.neurology
    lv = n.compression_levels
    if lv is None:
        compression = _COMPRESSION_UNKNOWN
    else:
        compression = _new_criterion(
            "single area of compression",
            lv == 1,
            f"{lv} area(s) of compression",
            "neurology.compression_levels",
            Supplier.RADIOLOGY,
        )
    site = f.primary.site
    if site is None:
        primary = _PRIMARY_UNKNOWN
    else:
        histo = (f.primary.histology or "").lower()
        sensitive = site in RADIOSENSITIVE_SITES or "leuk" in histo or "leuc" in histo
        primary = _new_criterion(
            "not a radiosensitive tumour",
            not sensitive,
            f"{site} primary" + (" (radiosensitive)" if sensitive else ""),
            "primary.site",
            _MED_ONC,
        )
    return (
        _DEFICIT[n.deficit],
        compression,
        primary,
        _paraplegia(ctx),
        _SURVIVAL[f.expected_survival],
    )


def _trigger(ctx: Context) -> str:
    """What raised MSCC, as MSCC-01 and MSCC-02 quote it (built once per evaluation)."""
    text = ctx.memo.get("mscc_trigger")
    if isinstance(text, str):
        return text
    n = ctx.facts.neurology
    bits = []
    if n.cord_compression_on_imaging:
        bits.append("cord compression on imaging")
    elif n.suspected_cord_compression:
        bits.append("suspected cord compression")
    if n.deficit:
        bits.append("neurological deficit")
    if n.onset_date:
        bits.append(f"onset {n.onset_date.isoformat()}")
    text = ctx.memo["mscc_trigger"] = ", ".join(bits)
    return text


@rule(
    id="MSCC-01",
    section=Section.MSCC,
    title="Whole-spine MRI within 24 hours",
    checks="Suspected MSCC (new back pain with neurological symptoms or signs) → whole-spine "
    "MRI within 24 h, CT only if MRI is contraindicated; a deficit with spinal "
    "metastases and no MSCC assessment is asked about.",
    sources=(src.NICE_MRI, src.NICE_MRI_S),
    codes=(
        item_code(
            "MSCC-MRI-24H",
            "Whole-spine MRI within 24 hours",
            "Suspected MSCC: emergency whole-spine MRI (CT if MRI contraindicated).",
            ("modality", "within_hours"),
        ),
    ),
)
def mscc_mri(ctx: Context, prior: Prior) -> Iterator[Finding]:
    n = ctx.facts.neurology
    if ctx.mscc and n.cord_compression_on_imaging is not True:
        ct = n.mri_contraindicated is True
        yield Item(
            "MSCC-MRI-24H",
            f"{_trigger(ctx)}: NICE QS56 requires whole-spine MRI within 24 hours"
            + ("; MRI is contraindicated, so CT." if ct else ".")
            + " Conflict 4: the source document's CT-first does not apply to suspected "
            "compression.",
            {
                "modality": "ct" if ct else "mri_whole_spine",
                "within_hours": 24,
                "summary": ("CT (MRI contraindicated)" if ct else "Whole-spine MRI")
                + " within 24 hours",
            },
            EMERGENCY,
        )
    if (
        not ctx.mscc
        and n.deficit is True
        and n.suspected_cord_compression is None
        and ctx.spinal_lesions
    ):
        yield Missing(
            "neurology.suspected_cord_compression",
            "neurological deficit with spinal metastases: is cord compression suspected? "
            "(MSCC-01: MRI within 24 h)",
            Supplier.MEDICAL_ONCOLOGY,
        )


@rule(
    id="MSCC-02",
    section=Section.MSCC,
    title="Dexamethasone 16 mg at once",
    checks="MSCC → dexamethasone 16 mg (oral or IV) now, continued until surgery or RT, "
    "then tapered; stopped if MSCC is excluded.",
    sources=(src.NICE_DEXA,),
    codes=(
        item_code(
            "MSCC-DEXAMETHASONE-16MG",
            "Dexamethasone 16 mg now",
            "Dexamethasone 16 mg oral/IV at once; continue until surgery or RT, then taper.",
            ("drug", "dose_mg", "route", "continue_until", "stop_if"),
        ),
    ),
)
def mscc_dexamethasone(ctx: Context, prior: Prior) -> Iterator[Finding]:
    if ctx.mscc:
        yield Item(
            "MSCC-DEXAMETHASONE-16MG",
            f"{_trigger(ctx)}: dexamethasone 16 mg at once (NICE NG234, secondary source).",
            {
                "drug": "dexamethasone",
                "dose_mg": 16,
                "route": "oral or IV",
                "continue_until": "surgery or radiotherapy, then taper",
                "stop_if": "MSCC excluded",
                "summary": (
                    "Dexamethasone 16 mg oral/IV now; taper after surgery/RT; stop if MSCC excluded"
                ),
            },
            EMERGENCY,
        )


@rule(
    id="MSCC-03",
    section=Section.MSCC,
    title="Decompression then RT (Patchell criteria), else RT alone",
    checks="MSCC with a neurological deficit, a single area of compression, a tumour that "
    "is not radiosensitive, not paraplegic > 48 h and expected survival ≥ 3 months → "
    "surgical decompression followed by RT; any criterion failing → RT alone (RT-03); "
    "criteria unknown → urgent surgical decision with the facts to collect.",
    sources=(src.PATCHELL,),
    codes=(
        item_code(
            "MSCC-DECOMPRESSION-THEN-RT",
            "Surgical decompression followed by RT",
            "All Patchell criteria met: decompression, then post-operative RT (RT-02).",
            ("criteria", "lesion_ids", "then"),
        ),
        item_code(
            "MSCC-SURGICAL-DECISION-PENDING",
            "Urgent decision on decompression",
            "Some Patchell criteria unknown: spine surgeon decides today; RT-03 if no surgery.",
            ("criteria", "unknown", "lesion_ids"),
        ),
    ),
)
def mscc_decompression(ctx: Context, prior: Prior) -> Iterator[Finding]:
    if not ctx.mscc:
        return
    crit = patchell_criteria(ctx)
    for c in crit:
        if c.met is False:
            return  # RT alone — RT-03 emits the radiotherapy item.
    unknown = []
    parts = []
    crit_json = {}  # one item uses it: no copy
    for c in crit:
        if c.met is None:
            unknown.append(c)
        parts.append(f"{c.name}: {c.text} ({'met' if c.met else 'unknown'})")
        crit_json[c.name] = c.met
    text = "; ".join(parts)
    lesion_ids = ctx.compression_ids
    if not unknown:
        yield Item(
            "MSCC-DECOMPRESSION-THEN-RT",
            f"Patchell criteria all met — {text}. Decompression plus RT improved ambulation "
            "over RT alone (Patchell, Lancet 2005).",
            {
                "criteria": crit_json,
                "lesion_ids": list(lesion_ids),
                "then": "post-operative radiotherapy (RT-02)",
                "summary": "Surgical decompression, then post-operative radiotherapy",
            },
            EMERGENCY,
        )
        return
    for c in unknown:
        yield Missing(c.field, f"MSCC-03 decompression criterion: {c.name}", c.supplier)
    yield Item(
        "MSCC-SURGICAL-DECISION-PENDING",
        f"Decompression criteria incomplete — {text}. A spine surgeon decides today; "
        "without surgery, RT alone (RT-03).",
        {
            "criteria": crit_json,
            "unknown": [c.name for c in unknown],
            "lesion_ids": list(lesion_ids),
            "summary": "Urgent spinal surgical decision on decompression",
        },
        EMERGENCY,
    )


RULES = (mscc_mri, mscc_dexamethasone, mscc_decompression)
