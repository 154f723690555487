"""§3 Metastatic spinal cord compression: an emergency, never left for the next meeting."""

from __future__ import annotations

from collections.abc import Iterator

from .. import sources as src
from ..common import JSONValue, Section, Severity, Supplier, Urgency, day_count, view
from ..context import Context
from ..facts import HIGH_GRADE_ESCC, EsccGrade, PrimarySite, SurvivalBand
from .base import (
    Finding,
    Flagged,
    Item,
    Missing,
    Note,
    Prior,
    flag_code,
    item_code,
    note_code,
    rule,
)

#: Patchell excluded radiosensitive tumours: lymphoma, leukaemia, myeloma, germ cell.
RADIOSENSITIVE_SITES = frozenset({PrimarySite.LYMPHOMA, PrimarySite.MYELOMA, PrimarySite.GERM_CELL})


@view
class Criterion:
    name: str
    met: bool | None
    text: str
    field: str
    supplier: Supplier


def _deficit(ctx: Context) -> Criterion:
    # Patchell enrolled patients with at least one neurological sign or symptom.
    deficit = ctx.facts.neurology.deficit
    text = {
        None: "neurological deficit not recorded",
        True: "neurological deficit",
        False: "no neurological deficit",
    }[deficit]
    return Criterion(
        "neurological deficit", deficit, text, "neurology.deficit", Supplier.MEDICAL_ONCOLOGY
    )


def _single_area(ctx: Context) -> Criterion:
    levels = ctx.facts.neurology.compression_levels
    return Criterion(
        "single area of compression",
        None if levels is None else levels == 1,
        "number of compression areas unknown"
        if levels is None
        else f"{levels} area(s) of compression",
        "neurology.compression_levels",
        Supplier.RADIOLOGY,
    )


def _not_radiosensitive(ctx: Context) -> Criterion:
    name = "not a radiosensitive tumour"
    site = ctx.facts.primary.site
    if site is None:
        return Criterion(name, None, "primary unknown", "primary.site", Supplier.MEDICAL_ONCOLOGY)
    histology = (ctx.facts.primary.histology or "").lower()
    sensitive = site in RADIOSENSITIVE_SITES or "leuk" in histology or "leuc" in histology
    return Criterion(
        name,
        not sensitive,
        f"{site} primary" + (" (radiosensitive)" if sensitive else ""),
        "primary.site",
        Supplier.MEDICAL_ONCOLOGY,
    )


def _paraplegia(ctx: Context) -> Criterion:
    n = ctx.facts.neurology

    def criterion(met: bool | None, text: str, field: str = _PARAPLEGIA_FIELD) -> Criterion:
        return Criterion(_PARAPLEGIA, met, text, field, Supplier.MEDICAL_ONCOLOGY)

    if n.paraplegic is False:
        return criterion(True, "not paraplegic")
    if n.paraplegic is None:
        return criterion(None, "paraplegia not recorded", "neurology.paraplegic")
    if n.paraplegia_duration_hours is not None:
        h = n.paraplegia_duration_hours
        return criterion(h <= 48, f"paraplegic for {h:g} h")
    if n.paraplegia_onset is not None:
        since = n.paraplegia_onset.isoformat()
        days = (ctx.as_of - n.paraplegia_onset).days
        # Day-resolution onset: ≥ 3 calendar days is certainly > 48 h, ≤ 1 day is
        # certainly ≤ 48 h; 2 days could be either, so the hours are asked for.
        if days >= 3:
            return criterion(
                False, f"paraplegic since {since} ({day_count(n.paraplegia_onset, ctx.as_of)})"
            )
        if days <= 1:
            return criterion(True, f"paraplegic since {since} (≤ 48 h)")
        return criterion(None, f"paraplegic since {since} (2 calendar days: 24–72 h)")
    return criterion(None, "paraplegia duration unknown")


#: The survival bands as the record's form words them.
_SURVIVAL_WORDS = {
    SurvivalBand.LESS_THAN_3_MONTHS: "less than 3 months",
    SurvivalBand.THREE_TO_12_MONTHS: "3–12 months",
    SurvivalBand.MORE_THAN_12_MONTHS: "more than 12 months",
}


def _survival(ctx: Context) -> Criterion:
    band = ctx.facts.expected_survival
    return Criterion(
        "expected survival ≥ 3 months",
        None if band is None else band is not SurvivalBand.LESS_THAN_3_MONTHS,
        "expected survival unknown"
        if band is None
        else f"expected survival {_SURVIVAL_WORDS[band]}",
        "expected_survival",
        Supplier.MEDICAL_ONCOLOGY,
    )


_PARAPLEGIA = "not paraplegic for more than 48 hours"
_PARAPLEGIA_FIELD = "neurology.paraplegia_duration_hours"


def patchell_criteria(ctx: Context) -> tuple[Criterion, ...]:
    """MSCC-03: who benefits from decompression before RT (Patchell, Lancet 2005)."""
    return (
        _deficit(ctx),
        _single_area(ctx),
        _not_radiosensitive(ctx),
        _paraplegia(ctx),
        _survival(ctx),
    )


def unmet_patchell(ctx: Context) -> str:
    """The Patchell criteria not met, each with what was recorded ("" when none is)."""
    return "; ".join(f"{c.name}: {c.text}" for c in patchell_criteria(ctx) if c.met is False)


def _trigger(ctx: Context) -> str:
    """What raised MSCC, as MSCC-01 and MSCC-02 quote it."""
    n = ctx.facts.neurology
    if n.cord_compression_on_imaging:
        compression = "cord compression on imaging"
    elif n.suspected_cord_compression:
        compression = "suspected cord compression"
    else:
        compression = None
    bits = (
        compression,
        "neurological deficit" if n.deficit else None,
        f"onset {n.onset_date.isoformat()}" if n.onset_date else None,
    )
    return ", ".join(b for b in bits if b)


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
            Urgency.EMERGENCY,
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


#: NG234 1.8.3 "pain is severe": worst NRS ≥ 7 (Serlin 1995, PAIN-03: 7–10 severe).
SEVERE_PAIN_NRS = 7


def haematological(ctx: Context) -> bool:
    """A haematological malignancy (NG234 1.8.3/1.8.5): myeloma, lymphoma, leukaemia."""
    histology = (ctx.facts.primary.histology or "").lower()
    return ctx.facts.primary.site in (PrimarySite.MYELOMA, PrimarySite.LYMPHOMA) or (
        "leuk" in histology or "leuc" in histology
    )


_HAEM_MDT = "discuss further steroids with the haematology MDT (NG234 1.8.5)"


@rule(
    id="MSCC-02",
    section=Section.MSCC,
    title="Dexamethasone 16 mg at once",
    checks="MSCC with neurological symptoms or signs (a deficit or suspected MSCC) → "
    "dexamethasone 16 mg (oral or IV) now, continued until surgery or RT, then tapered; "
    "stopped if MSCC is excluded. Compression on imaging without neurological symptoms or "
    "signs → not given routinely unless part of the RT regimen (NG234 1.8.1, 1.8.7; the "
    "reference had no condition), but considered when the malignancy is haematological or "
    "the pain severe (NRS ≥ 7) (1.8.3); haematological → 16 mg, then the haematology MDT "
    "decides further steroids (1.8.5).",
    sources=(src.NICE_DEXA, src.NICE_DEXA_HAEM),
    codes=(
        flag_code(
            "MSCC-DEXAMETHASONE-NOT-ROUTINE",
            Severity.INFO,
            "Dexamethasone not routine without neurological signs",
            "Cord compression on imaging without neurological symptoms or signs: no routine "
            "dexamethasone unless part of the radiotherapy regimen (NG234 1.8.7).",
        ),
        item_code(
            "MSCC-DEXAMETHASONE-16MG",
            "Dexamethasone 16 mg now",
            "Dexamethasone 16 mg oral/IV at once; continue until surgery or RT, then taper.",
            ("drug", "dose_mg", "route", "continue_until", "stop_if", "haematology_mdt"),
        ),
        item_code(
            "MSCC-DEXAMETHASONE-CONSIDER",
            "Consider dexamethasone 16 mg",
            "Cord compression without neurological signs, haematological malignancy or severe "
            "pain: consider dexamethasone (NG234 1.8.3).",
            ("drug", "dose_mg", "route", "reasons", "haematology_mdt"),
            (src.NICE_DEXA_HAEM,),
        ),
    ),
)
def mscc_dexamethasone(ctx: Context, prior: Prior) -> Iterator[Finding]:
    n = ctx.facts.neurology
    haem = haematological(ctx)
    # A recorded onset date is the onset of neurological symptoms: symptomatic.
    if (
        ctx.mscc
        and n.deficit is False
        and not n.suspected_cord_compression
        and n.onset_date is None
    ):
        nrs = ctx.facts.pain.worst_nrs
        reasons = [
            *(["haematological malignancy"] if haem else []),
            *(
                [f"severe pain (worst NRS {nrs} ≥ {SEVERE_PAIN_NRS})"]
                if nrs is not None and nrs >= SEVERE_PAIN_NRS
                else []
            ),
        ]
        if reasons:
            yield Item(
                "MSCC-DEXAMETHASONE-CONSIDER",
                f"{_trigger(ctx)} without neurological symptoms or signs, but "
                f"{' and '.join(reasons)}: consider dexamethasone 16 mg (NICE NG234 1.8.3, "
                "secondary source)" + (f"; {_HAEM_MDT}." if haem else "."),
                {
                    "drug": "dexamethasone",
                    "dose_mg": 16,
                    "route": "oral or IV",
                    "reasons": reasons,
                    "haematology_mdt": haem,
                    "summary": "Consider dexamethasone 16 mg"
                    + ("; then the haematology MDT decides further steroids" if haem else ""),
                },
                Urgency.EMERGENCY,
            )
            return
        yield Flagged(
            "MSCC-DEXAMETHASONE-NOT-ROUTINE",
            f"{_trigger(ctx)} without neurological symptoms or signs: dexamethasone is not "
            "given routinely unless it is part of the radiotherapy regimen (NICE NG234 1.8.7, "
            "secondary source).",
        )
        return
    if ctx.mscc:
        yield Item(
            "MSCC-DEXAMETHASONE-16MG",
            f"{_trigger(ctx)}: dexamethasone 16 mg at once (NICE NG234, secondary source)"
            + (f"; haematological malignancy: {_HAEM_MDT}." if haem else "."),
            {
                "drug": "dexamethasone",
                "dose_mg": 16,
                "route": "oral or IV",
                "continue_until": "surgery or radiotherapy, then taper",
                "stop_if": "MSCC excluded",
                "haematology_mdt": haem,
                "summary": (
                    "Dexamethasone 16 mg oral/IV now; taper after surgery/RT; stop if MSCC excluded"
                )
                + ("; further steroids with the haematology MDT" if haem else ""),
            },
            Urgency.EMERGENCY,
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
    if any(c.met is False for c in crit):
        return  # RT alone — RT-03 emits the radiotherapy item.
    unknown = [c for c in crit if c.met is None]
    text = "; ".join(f"{c.name}: {c.text} ({'met' if c.met else 'unknown'})" for c in crit)
    crit_json: dict[str, JSONValue] = {c.name: c.met for c in crit}
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
            Urgency.EMERGENCY,
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
        Urgency.EMERGENCY,
    )


#: Rades 2008 groups of the ambulatory score: (highest score in the group, the group,
#: ambulatory after RT %, 3-month survival %, 6-month survival %) from the abstract.
RADES_AMBULATORY_GROUPS: tuple[tuple[int, str, int, int, int], ...] = (
    (28, "≤ 28", 6, 29, 6),
    (31, "29–31", 44, 62, 31),
    (34, "32–34", 70, 77, 42),
    (37, "35–37", 86, 84, 61),
    (44, "≥ 38", 99, 98, 93),
)


def rades_ambulatory_group(score: int) -> tuple[str, int, int, int, str]:
    """The group of a Rades ambulatory score, its rates and the authors' conclusion."""
    group = next(g for g in RADES_AMBULATORY_GROUPS if score <= g[0])
    if score <= 28:
        advice = "short-course radiotherapy or best supportive care"
    elif score <= 37:
        advice = "consider surgery in addition to radiotherapy"
    else:
        advice = "radiotherapy alone"
    return group[1], group[2], group[3], group[4], advice


@rule(
    id="MSCC-10",
    section=Section.MSCC,
    title="Rades score: ambulatory status after radiotherapy",
    checks="MSCC with a Rades ambulatory score (21–44, computed by the clinician from the "
    "paper's five factors) → the predicted rate of walking after RT and the authors' "
    "conclusion: ≤ 28 short-course RT or best supportive care, 29–37 consider surgery, ≥ 38 "
    "RT alone. MSCC without the score → asked for.",
    sources=(src.RADES_AMBULATORY,),
    codes=(
        flag_code(
            "MSCC-RADES-AMBULATORY-PROGNOSIS",
            Severity.INFO,
            "Rades score: predicted walking after radiotherapy",
            "The Rades ambulatory score's group, its ambulatory and survival rates and the "
            "authors' conclusion (Rades 2008).",
        ),
    ),
)
def rades_ambulatory(ctx: Context, prior: Prior) -> Iterator[Finding]:
    if not ctx.mscc:
        return
    score = ctx.facts.neurology.rades_ambulatory_score
    if score is None:
        yield Missing(
            "neurology.rades_ambulatory_score",
            "MSCC: the Rades score (primary, interval to MSCC, visceral metastases, motor "
            "function and how fast the deficit developed) predicts walking after RT (MSCC-10)",
            Supplier.RADIATION_ONCOLOGY,
        )
        return
    group, walking, m3, m6, advice = rades_ambulatory_group(score)
    yield Flagged(
        "MSCC-RADES-AMBULATORY-PROGNOSIS",
        f"Rades ambulatory score {score} (group {group}): {walking} % walked after "
        f"radiotherapy; survival {m3} % at 3 months and {m6} % at 6 months. The authors "
        f"conclude: {advice} (Rades, Int J Radiat Oncol Biol Phys 2008).",
    )


@rule(
    id="MSCC-12",
    section=Section.MSCC,
    title="Bilsky ESCC grade of each compression level",
    checks="MSCC: each compression level's Bilsky grade (T2 axial MRI at the level of worst "
    "compression). 2–3 (high grade) → decompression before RT unless the tumour is highly "
    "radiosensitive; 0–1b without instability → RT first; 1c unsettled. Grade unknown → "
    "asked of radiology. Grade use from secondary summaries.",
    sources=(src.BILSKY,),
    codes=(
        flag_code(
            "MSCC-ESCC-HIGH-GRADE",
            Severity.WARNING,
            "High-grade epidural compression (Bilsky 2–3)",
            "Cord compressed: surgical decompression before radiotherapy unless the tumour is "
            "highly radiosensitive (secondary source).",
        ),
        flag_code(
            "MSCC-ESCC-LOW-GRADE",
            Severity.INFO,
            "Low-grade epidural disease (Bilsky 0–1b)",
            "Cord not abutted and the spine stable: radiotherapy first (secondary source).",
        ),
        flag_code(
            "MSCC-ESCC-1C-UNSETTLED",
            Severity.INFO,
            "Bilsky 1c: cord abutted, not compressed",
            "Radiotherapy first or surgery first is unsettled at 1c; the board decides.",
        ),
    ),
)
def escc_grade(ctx: Context, prior: Prior) -> Iterator[Finding]:
    if not ctx.mscc:
        return
    radiosensitive = _not_radiosensitive(ctx).met is False
    for v in ctx.spinal_lesions:
        if v.lesion.epidural_extension is not True:
            continue
        grade = v.lesion.escc_grade
        if grade is None:
            yield Missing(
                v.path("escc_grade"),
                f"{v.name}: the Bilsky grade of the epidural disease decides decompression "
                "before radiotherapy (MSCC-12)",
                Supplier.RADIOLOGY,
                v.id,
            )
            continue
        if grade in HIGH_GRADE_ESCC:
            # A Patchell criterion not met: MSCC-03 drafts radiotherapy alone, which the
            # grade's "decompression first" must not silently contradict.
            unmet = "" if radiosensitive else unmet_patchell(ctx)
            yield Flagged(
                "MSCC-ESCC-HIGH-GRADE",
                f"{v.name}: Bilsky {grade}, the cord is compressed — "
                + (
                    "the tumour is radiosensitive, so radiotherapy may come first "
                    if radiosensitive
                    else "the grade calls for surgical decompression before radiotherapy, but "
                    f"not every Patchell criterion is met ({unmet}; MSCC-03), so radiotherapy "
                    "alone is drafted and the board weighs it "
                    if unmet
                    else "surgical decompression before radiotherapy "
                )
                + "(Bilsky 2010 scale; secondary source).",
                v.id,
            )
        elif grade is EsccGrade.CORD_ABUTTED:
            yield Flagged(
                "MSCC-ESCC-1C-UNSETTLED",
                f"{v.name}: Bilsky 1c (thecal sac deformed, cord abutted but not compressed): "
                "radiotherapy first or surgery first is unsettled (secondary source).",
                v.id,
            )
        elif v.sins is not None and v.sins.total_max < 13:
            yield Flagged(
                "MSCC-ESCC-LOW-GRADE",
                f"{v.name}: Bilsky {grade} with SINS below 13: low-grade epidural disease "
                "without instability — radiotherapy first (secondary source).",
                v.id,
            )


@rule(
    id="MSCC-17",
    section=Section.MSCC,
    title="What the surgery-versus-radiotherapy decision needs",
    checks="MSCC: ambulatory status, the days over which a motor deficit developed and "
    "visceral metastases are asked for together when unknown (Patchell; Rades).",
    sources=(src.MSCC_INPUTS,),
)
def mscc_inputs(ctx: Context, prior: Prior) -> Iterator[Finding]:
    if not ctx.mscc:
        return
    f = ctx.facts
    n = f.neurology
    if n.ambulatory is None:
        yield Missing(
            "neurology.ambulatory",
            "MSCC: whether the patient can walk decides surgery versus radiotherapy and "
            "predicts the outcome (Patchell; Rades)",
            Supplier.MEDICAL_ONCOLOGY,
        )
    if n.deficit is True and n.motor_deficit_days is None:
        yield Missing(
            "neurology.motor_deficit_days",
            "MSCC with a neurological deficit: how many days the motor deficit took to "
            "develop predicts walking after radiotherapy (Rades)",
            Supplier.MEDICAL_ONCOLOGY,
        )
    if f.extraskeletal.visceral is None:
        yield Missing(
            "extraskeletal.visceral",
            "MSCC: visceral metastases enter the surgery-versus-radiotherapy decision (Rades)",
            Supplier.RADIOLOGY,
        )


def _sins_text(lo: int, hi: int) -> str:
    return f"{lo}" if lo == hi else f"{lo}–{hi}"


#: MSCC-04 project mapping: a SINS of 13 or more (unstable) counts as instability.
UNSTABLE_SINS = 13


@rule(
    id="MSCC-04",
    section=Section.MSCC,
    title="Immobilise at once when instability is suspected; expert opinion within 24 h",
    checks="Suspected or confirmed MSCC with neurological symptoms or signs suggesting spinal "
    "instability (or, as a project mapping, a SINS of 13 or more) → immobilise now to "
    "minimise weight bearing by the spine, expert spinal opinion within 24 h, and stop "
    "immobilisation as soon as the expert allows (NG234 summary). Unknown instability "
    "signs are asked for. Technique (flat, log rolling, collar, brace) only from secondary "
    "pathways; the evidence base is thin.",
    sources=(src.NICE_IMMOBILISE,),
    codes=(
        item_code(
            "MSCC-IMMOBILISE-NOW",
            "Immobilise now; expert spinal opinion within 24 hours",
            "Suspected MSCC with signs of spinal instability: immobilise without delay, "
            "expert advice within 24 h, immobilisation as short as the expert allows.",
            ("trigger", "expert_opinion_within_hours", "stop_when", "technique", "lesion_ids"),
        ),
        flag_code(
            "MSCC-IMMOBILISATION-TECHNIQUE",
            Severity.INFO,
            "How to immobilise (secondary sources)",
            "Flat bed rest and log rolling in neutral alignment until stability is confirmed; "
            "collar for cervical, brace for thoracolumbar instability; physiotherapy within "
            "24 h, occupational therapy within 48 h.",
            (src.IMMOBILISE_TECHNIQUE,),
        ),
        note_code(
            "MSCC-IMMOBILISATION-EVIDENCE",
            "Immobilisation: little evidence",
            "No studies of positioning or bracing were found (NICE 2019 surveillance); NG234's "
            "own technique wording was not read.",
            (src.IMMOBILISE_EVIDENCE, src.NG234_IMMOBILISE_WORDING),
        ),
    ),
)
def mscc_immobilisation(ctx: Context, prior: Prior) -> Iterator[Finding]:
    if not ctx.mscc:
        return
    n = ctx.facts.neurology
    unstable = [
        v for v in ctx.spinal_lesions if v.sins is not None and v.sins.total_min >= UNSTABLE_SINS
    ]
    reasons = [
        *(
            ["neurological symptoms or signs suggesting spinal instability"]
            if n.instability_signs
            else []
        ),
        *(
            f"{v.name} SINS {_sins_text(v.sins.total_min, v.sins.total_max)} "
            f"(≥ {UNSTABLE_SINS}, project mapping)"
            for v in unstable
            if v.sins is not None
        ),
    ]
    if not reasons:
        if n.instability_signs is None:
            yield Missing(
                "neurology.instability_signs",
                "suspected MSCC: do neurological symptoms or signs suggest spinal "
                "instability? (MSCC-04: immobilise at once, expert opinion within 24 h)",
                Supplier.MEDICAL_ONCOLOGY,
            )
        return
    trigger = _trigger(ctx)
    yield Item(
        "MSCC-IMMOBILISE-NOW",
        f"{trigger}; {'; '.join(reasons)}: start immobilisation without delay to minimise "
        "weight bearing by the spine, seek expert spinal advice within 24 hours, and keep "
        "immobilisation as short as the expert allows (NICE NG234, BMJ 2023 summary).",
        {
            "trigger": "; ".join([trigger, *reasons]),
            "expert_opinion_within_hours": 24,
            "stop_when": "as soon as the spinal expert allows",
            "technique": "see the secondary-source flag (flat, log rolling, collar or brace)",
            "lesion_ids": [v.id for v in unstable] or list(ctx.compression_ids),
            "summary": "Immobilise now; expert spinal opinion within 24 hours",
        },
        Urgency.EMERGENCY,
    )
    yield Flagged(
        "MSCC-IMMOBILISATION-TECHNIQUE",
        "How to immobilise, from NHS pathways (secondary sources): nurse flat and log-roll in "
        "neutral alignment until the MRI is reported and stability confirmed; a fitted hard "
        "collar for suspected cervical instability, a brace for thoracolumbar instability, "
        "hip flexion ≤ 45° with a thoracolumbar injury; trial sitting with repeated "
        "neurological checks; physiotherapy within 24 h, occupational therapy within 48 h.",
    )
    yield Note(
        "MSCC-IMMOBILISATION-EVIDENCE",
        "Immobilisation rests on little evidence: the Cochrane review found no studies of "
        "positioning or bracing (NICE 2019 surveillance of CG75); NG234's own technique wording "
        "could not be read, so the technique above is not a hard rule.",
    )


RULES = (
    mscc_mri,
    mscc_dexamethasone,
    mscc_decompression,
    mscc_immobilisation,
    rades_ambulatory,
    escc_grade,
    mscc_inputs,
)
