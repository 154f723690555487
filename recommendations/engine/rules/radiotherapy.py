"""§2 Radiotherapy (RT-01..08)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from .. import sources as src
from ..common import (
    Detail,
    JSONValue,
    Section,
    Severity,
    Supplier,
    Urgency,
    day_count,
    view,
)
from ..context import Context, LesionView, add_months
from ..facts import (
    BoneDiseaseExtent,
    PrimarySite,
    RadiotherapyTechnique,
    SurgeryKind,
    SurvivalBand,
)
from .base import (
    Finding,
    Flagged,
    Item,
    Missing,
    Prior,
    flag_code,
    item_code,
    per_evaluation,
    rule,
)
from .mscc import unmet_patchell
from .surgery import SURGICAL_ITEM_CODES, vertebral_fracture

#: Radioresistant histologies for SBRT (NOMS rationale): renal cell, melanoma, sarcoma,
#: colorectal, thyroid.
RADIORESISTANT_SITES = frozenset(
    {
        PrimarySite.KIDNEY,
        PrimarySite.MELANOMA,
        PrimarySite.SARCOMA,
        PrimarySite.COLORECTAL,
        PrimarySite.THYROID,
    }
)
RT_REVIEW_WEEKS = 4  # RT-06: median time to pain response
REIRRADIATION_AFTER_DAYS = 28  # RT-05: pain persisting or recurring > 4 weeks after RT
SBRT_REIRRADIATION_MONTHS = 5  # RT-05: SBRT re-irradiation ≥ 5 months after conventional RT
OPEN_SURGERY_KINDS = frozenset(
    {
        SurgeryKind.FIXATION,
        SurgeryKind.ARTHROPLASTY,
        SurgeryKind.STABILISATION,
        SurgeryKind.DECOMPRESSION,
    }
)
NOT_ADVISED_FLAGS = (
    "SURG-FIXATION-NOT-ADVISED-SURVIVAL",
    "SURG-STABILISATION-NOT-ADVISED-SURVIVAL",
)

RESPONSE_TEXT = (
    "Expected pain response about 60–70 % overall and 25–35 % complete (cohort and "
    "meta-analysis data; the source document's ~85 % / ~50 % is not used — conflict 1)."
)


def _schedules(*pairs: tuple[float, int]) -> list[JSONValue]:
    return [{"dose_gy": d, "fractions": f} for d, f in pairs]


def _postop(v: LesionView) -> bool:
    """Open surgery recorded for ``v``: planned, or done without RT after it."""
    return any(
        s.performed_on is None  # planned surgery: post-op RT follows
        or (not _rt_given_since(v, s.performed_on) and not v.rt_planned)
        for s in v.surgeries
        if s.kind in OPEN_SURGERY_KINDS
    )


def _rt_given_since(v: LesionView, day: date) -> bool:
    return any(r.end is not None and r.end >= day for r in v.prior_rt)


def _complicated(v: LesionView, not_advised: bool) -> tuple[str, ...]:
    les = v.lesion
    # A collapsed vertebral body recorded without the fracture box is still a fracture.
    collapsed = les.pathological_fracture is not True and vertebral_fracture(les)
    features = (
        (les.pathological_fracture, "pathological fracture"),
        (collapsed, f"vertebral body collapse of {les.collapse_percent or 0:g} % (a fracture)"),
        (les.soft_tissue_mass, "soft-tissue mass"),
        (les.epidural_extension, "epidural extension"),
        (not_advised, "surgery indicated but not advised"),
    )
    return tuple(text for present, text in features if present)


@view
class RtStatus:
    """What the radiotherapy rules need to know about one lesion."""

    #: The lesion (the rules loop over the statuses, in ``ctx.lesions`` order).
    view: LesionView
    #: Open surgery recorded without RT after it, planned, or drafted (SURG-01/02,
    #: MSCC-03): post-operative RT (RT-02).
    postop: bool
    #: A compression site under MSCC: RT-03's, not RT-01/02/04/05's.
    mscc: bool
    #: Surgery indicated but not advised (SURG-01/02 survival flags).
    not_advised: bool
    #: Painful, no RT planned or given, not post-op, not MSCC: a first course (RT-01/02).
    candidate: bool
    #: Complicating features ("pathological fracture", …); empty: uncomplicated.
    complicated: tuple[str, ...]


@per_evaluation
def rt_statuses(ctx: Context, prior: Prior) -> tuple[RtStatus, ...]:
    """Per lesion (in ``ctx.lesions`` order), what RT-01..05 need to know.

    It depends on the facts and on surgery / MSCC findings only; those sections run
    before radiotherapy (a test holds the catalogue to that).
    """
    surgical = {i.lesion_id for i in prior.items if i.code in SURGICAL_ITEM_CODES}
    if "MSCC-DECOMPRESSION-THEN-RT" in prior.codes:
        surgical.update(ctx.compression_ids)
    not_advised_ids = {f.lesion_id for f in prior.flags if f.code in NOT_ADVISED_FLAGS}
    out = []
    for v in ctx.lesions:
        # Post-operative: open surgery drafted (SURG-01/02, MSCC-03) or recorded.
        postop = v.id in surgical or _postop(v)
        # A compression site under MSCC (spinal, epidural extension).
        mscc = ctx.mscc and v.lesion.epidural_extension is True and v.is_spinal
        not_advised = v.id in not_advised_ids
        out.append(
            RtStatus(
                view=v,
                postop=postop,
                mscc=mscc,
                not_advised=not_advised,
                candidate=v.painful is True
                and not v.rt_planned
                and not v.prior_rt
                and not postop
                and not mscc,
                complicated=_complicated(v, not_advised),
            )
        )
    return tuple(out)


def _unknown_features(v: LesionView) -> list[str]:
    les = v.lesion
    out = []
    if les.pathological_fracture is None:
        out.append("pathological_fracture")
    if les.soft_tissue_mass is None:
        out.append("soft_tissue_mass")
    if v.is_spinal and les.epidural_extension is None:
        out.append("epidural_extension")
    return out


@rule(
    id="RT-01",
    section=Section.RADIOTHERAPY,
    title="8 Gy single fraction for uncomplicated painful metastases",
    checks="A painful lesion with no fracture, soft-tissue mass, epidural extension, surgery "
    "or prior RT → 8 Gy in 1 fraction (equal pain relief to 20/5, 24/6, 30/10; more "
    "re-treatment). Unknown complicating features are asked for and the item is provisional.",
    sources=(src.ESMO_RT, src.RT_RESPONSE),
    codes=(
        item_code(
            "RT-SINGLE-8GY",
            "Radiotherapy 8 Gy single fraction",
            "Uncomplicated painful bone metastasis: 8 Gy/1 (ESMO 2020 [I,A], ASTRO).",
            (
                "lesion_id",
                "dose_gy",
                "fractions",
                "technique",
                "follow_up_weeks",
                "alternatives",
                "provisional",
                "pending",
            ),
        ),
    ),
)
def single_fraction(ctx: Context, prior: Prior) -> Iterator[Finding]:
    consult_ids = prior.lesions_with("SURG-SPINE-CONSULT")
    for st in rt_statuses(ctx, prior):
        v = st.view
        if not st.candidate or st.complicated or v.lesion.neuropathic_pain is True:
            continue  # neuropathic pain: 20 Gy/5 (RT-08)
        unknown = _unknown_features(v)
        for fld in unknown:
            yield Missing(
                v.path(fld),
                f"{v.name}: 8 Gy/1 is for uncomplicated metastases; a {fld.replace('_', ' ')} "
                "would make it complicated (multi-fraction)",
                Supplier.RADIOLOGY,
                v.id,
            )
        if v.lesion.neuropathic_pain is None:
            # Not assumed absent: neuropathic pain would make it 20 Gy/5 (RT-08 asks).
            unknown.append("neuropathic_pain")
        cond = (
            f" Provisional until {', '.join(u.replace('_', ' ') for u in unknown)} is known."
            if unknown
            else ""
        )
        consult = (
            " SINS 7–12: surgical consultation in parallel (SURG-02)."
            if v.id in consult_ids
            else ""
        )
        yield Item(
            "RT-SINGLE-8GY",
            f"Painful {v.name} without fracture, soft-tissue mass, epidural extension, surgery "
            "or previous RT: 8 Gy single fraction gives the same pain relief as 20 Gy/5, "
            "24 Gy/6 or 30 Gy/10, with more re-treatment (ESMO 2020 [I,A], ASTRO 2017/2024). "
            f"{RESPONSE_TEXT}{consult}{cond}",
            {
                "lesion_id": v.id,
                "dose_gy": 8,
                "fractions": 1,
                "technique": "conventional",
                "follow_up_weeks": RT_REVIEW_WEEKS,
                "provisional": bool(unknown),
                "pending": unknown,
                "summary": f"Radiotherapy 8 Gy in 1 fraction to {v.name}",
            },
            Urgency.ROUTINE,
            v.id,
        )


@rule(
    id="RT-02",
    section=Section.RADIOTHERAPY,
    title="Multi-fraction RT after surgery or for complicated metastases",
    checks="After fixation, stabilisation or decompression (done, planned or drafted) → "
    "post-operative RT 20 Gy/5 or 30 Gy/10. A painful complicated lesion not going to "
    "surgery (fracture, soft-tissue mass, epidural extension) → multi-fraction RT.",
    sources=(src.ASTRO_POSTOP,),
    codes=(
        item_code(
            "RT-POSTOP-MULTIFRACTION",
            "Post-operative radiotherapy (multi-fraction)",
            "After surgical fixation or spine surgery: 20 Gy/5 or 30 Gy/10.",
            ("lesion_id", "schedules", "follow_up_weeks", "after", "alternatives"),
        ),
        item_code(
            "RT-MULTIFRACTION-COMPLICATED",
            "Multi-fraction radiotherapy (complicated metastasis)",
            "Painful complicated metastasis not going to surgery: 20 Gy/5 or 30 Gy/10.",
            ("lesion_id", "schedules", "follow_up_weeks", "complications", "alternatives"),
            (src.ESMO_COMPLICATED,),
        ),
    ),
)
def multi_fraction(ctx: Context, prior: Prior) -> Iterator[Finding]:
    sched = _schedules((20, 5), (30, 10))
    for st in rt_statuses(ctx, prior):
        v = st.view
        if v.rt_planned:
            continue
        if st.postop:
            yield Item(
                "RT-POSTOP-MULTIFRACTION",
                f"{v.name}: surgery (recorded or drafted) — post-operative radiotherapy, "
                "multi-fraction (ASTRO).",
                {
                    "lesion_id": v.id,
                    "schedules": sched,
                    "follow_up_weeks": RT_REVIEW_WEEKS,
                    "after": "surgery (wound healing)",
                    "summary": f"Post-operative RT to {v.name}: 20 Gy/5 or 30 Gy/10",
                },
                Urgency.ROUTINE,
                v.id,
            )
            continue
        if not st.candidate:
            continue
        comp = list(st.complicated)
        if comp:
            yield Item(
                "RT-MULTIFRACTION-COMPLICATED",
                f"Painful {v.name} with {', '.join(comp)} and no surgery: complicated "
                "metastasis — multi-fraction RT (ESMO 2020, secondary source).",
                {
                    "lesion_id": v.id,
                    "schedules": sched,
                    "follow_up_weeks": RT_REVIEW_WEEKS,
                    "complications": comp,
                    "summary": f"RT to {v.name}: 20 Gy/5 or 30 Gy/10",
                },
                Urgency.ROUTINE,
                v.id,
            )
    if "MSCC-DECOMPRESSION-THEN-RT" in prior.codes and not ctx.compression_ids:
        yield Item(
            "RT-POSTOP-MULTIFRACTION",
            "Decompression drafted (MSCC-03) at a level not yet linked to a lesion: "
            "post-operative RT follows.",
            {
                "lesion_id": None,
                "schedules": sched,
                "follow_up_weeks": RT_REVIEW_WEEKS,
                "after": "decompression",
                "summary": "Post-operative RT after decompression: 20 Gy/5 or 30 Gy/10",
            },
            Urgency.EMERGENCY,
        )


@rule(
    id="RT-03",
    section=Section.RADIOTHERAPY,
    title="MSCC without surgery: radiotherapy with dexamethasone",
    checks="MSCC not going to decompression → 8 Gy/1, 16 Gy/2, 20 Gy/5 or 30 Gy/10 with "
    "dexamethasone (ASTRO 2024); conditional while the surgical decision is pending, and "
    "provisional while suspected compression awaits the MRI.",
    sources=(src.ASTRO_MSCC,),
    codes=(
        item_code(
            "RT-MSCC",
            "Radiotherapy for cord compression",
            "MSCC without decompression: 8/1, 16/2, 20/5 or 30/10 with dexamethasone.",
            ("lesion_id", "schedules", "with", "conditional", "follow_up_weeks", "alternatives"),
        ),
    ),
)
def mscc_radiotherapy(ctx: Context, prior: Prior) -> Iterator[Finding]:
    if not ctx.mscc or "MSCC-DECOMPRESSION-THEN-RT" in prior.codes:
        return
    pending = "MSCC-SURGICAL-DECISION-PENDING" in prior.codes
    why = (
        "radiotherapy if decompression is not chosen (MSCC-03 criteria pending)"
        if pending
        else "radiotherapy alone: not every Patchell criterion for decompression is met "
        f"({unmet_patchell(ctx)}; MSCC-03)"
    )
    # Suspected but not yet seen on imaging: the whole-spine MRI (MSCC-01, within 24 h)
    # decides, so this is the branch to take if it confirms compression, not a prescription.
    confirmed = ctx.facts.neurology.cord_compression_on_imaging is True
    conditions = ([] if confirmed else ["if the MRI confirms cord compression"]) + (
        ["if no decompression"] if pending else [])
    ids: list[str | None] = list(ctx.compression_ids) or [None]
    names = {v.id: v.name for v in ctx.lesions}
    for lid in ids:
        where = names[lid] if lid is not None else "the compression level"
        what = (f"Cord compression at {where}" if confirmed else
                f"Suspected cord compression, not yet confirmed on MRI (at {where} if it "
                "is): provisional until the MRI is reported")
        yield Item(
            "RT-MSCC",
            f"{what}: {why}. ASTRO 2024: "
            "8 Gy/1, 16 Gy/2, 20 Gy/5 or 30 Gy/10 with dexamethasone (MSCC-02).",
            {
                "lesion_id": lid,
                "schedules": _schedules((8, 1), (16, 2), (20, 5), (30, 10)),
                "with": "dexamethasone",
                "conditional": " and ".join(conditions) or None,
                "follow_up_weeks": RT_REVIEW_WEEKS,
                "summary": f"Radiotherapy for cord compression at {where}",
            },
            Urgency.EMERGENCY,
            lid,
        )


def _reirradiation_sbrt_ok(ctx: Context, v: LesionView) -> bool:
    last = v.prior_rt[0] if v.prior_rt else None
    return (
        last is not None
        and last.end is not None
        and last.technique is not RadiotherapyTechnique.SBRT
        and ctx.as_of >= add_months(last.end, SBRT_REIRRADIATION_MONTHS)
    )


@rule(
    id="RT-04",
    section=Section.RADIOTHERAPY,
    title="Consider SBRT",
    checks="ECOG 0–1, no neurological deficit, not needing surgery (ASTRO 2024) AND one of "
    "radioresistant histology (renal, melanoma, sarcoma, colorectal, thyroid — NOMS), "
    "oligometastatic disease, or re-irradiation ≥ 5 months after conventional RT (source "
    "document) → consider SBRT (SC.24: 24 Gy/2 vs 20 Gy/5, CR 35 % vs 14 % at 3 months).",
    sources=(src.ASTRO_SBRT,),
    codes=(
        item_code(
            "RT-SBRT-CONSIDER",
            "Consider SBRT",
            "SBRT candidate; both the document's and ASTRO's criteria are shown (conflict 2).",
            (
                "lesion_id",
                "reference_schedule",
                "document_criteria",
                "astro_criteria",
                "follow_up_weeks",
                "alternatives",
            ),
        ),
    ),
)
def sbrt(ctx: Context, prior: Prior) -> Iterator[Finding]:
    f = ctx.facts
    oligo = f.bone_disease_extent is BoneDiseaseExtent.OLIGOMETASTATIC
    resistant = f.primary.site in RADIORESISTANT_SITES
    asked = False
    for st in rt_statuses(ctx, prior):
        v = st.view
        # A drafted surgical item makes the lesion post-op (``RtStatus.postop``).
        if st.postop or st.not_advised or st.mscc or v.rt_planned:
            continue
        if not (resistant or oligo or v.prior_rt):
            continue  # no document criterion can hold (re-irradiation needs prior RT)
        reirr = bool(v.prior_rt) and v.painful is True and _reirradiation_sbrt_ok(ctx, v)
        treat = v.painful is True or oligo
        doc: list[str] = []
        if resistant:
            doc.append(f"radioresistant {f.primary.site} histology (NOMS)")
        if oligo:
            doc.append("oligometastatic disease")
        if reirr:
            doc.append("re-irradiation ≥ 5 months after conventional RT")
        if not treat or not doc:
            continue
        if v.prior_rt and not reirr:
            continue  # SBRT to an irradiated site only ≥ 5 months after conventional RT
        ecog_ok = None if ctx.ecog is None else ctx.ecog <= 1
        deficit = f.neurology.deficit
        neuro_ok = None if deficit is None else not deficit and not ctx.mscc
        s = v.sins
        surgery_ok = s is None or s.total_max < 13
        if ecog_ok is False or neuro_ok is False or not surgery_ok:
            continue
        if ecog_ok is None or neuro_ok is None:
            if not asked:
                asked = True
                if ecog_ok is None:
                    yield Missing(
                        "ecog",
                        f"SBRT needs ECOG 0–1 (RT-04; {ctx.ecog_problem})",
                        Supplier.MEDICAL_ONCOLOGY,
                    )
                if neuro_ok is None:
                    yield Missing(
                        "neurology.deficit",
                        "SBRT needs no neurological deficit (RT-04)",
                        Supplier.MEDICAL_ONCOLOGY,
                    )
            continue
        astro = [f"ECOG {ctx.ecog}", "no neurological deficit", "no surgery needed"]
        ref: JSONValue = (
            {"dose_gy": 24, "fractions": 2, "trial": "SC.24 (spine)"} if v.is_spinal else None
        )
        detail: Detail = {
            "lesion_id": v.id,
            "reference_schedule": ref,
            "document_criteria": doc,
            "astro_criteria": astro,
            "follow_up_weeks": RT_REVIEW_WEEKS,
            "summary": f"Consider SBRT to {v.name}",
        }
        yield Item(
            "RT-SBRT-CONSIDER",
            f"{v.name}: source document criterion — {', '.join(doc)}; ASTRO 2024 criteria — "
            f"{', '.join(astro)}. Both sets are met (conflict 2: the engine requires both). "
            + (
                (
                    "SC.24: 24 Gy/2 gave complete pain response at 3 months in 35 % vs 14 % with "
                    "20 Gy/5."
                )
                if v.is_spinal
                else "Schedule set by the radiation oncologist."
            ),
            detail,
            Urgency.ROUTINE,
            v.id,
        )


@rule(
    id="RT-05",
    section=Section.RADIOTHERAPY,
    title="Re-irradiation",
    checks="Pain persisting or recurring more than 4 weeks after RT → re-irradiation (spine "
    "8/1, 20/5, 24/6, 20/8); SBRT re-irradiation only ≥ 5 months after conventional RT; "
    "cumulative spinal-cord dose flagged for the radiation oncologist.",
    sources=(src.ASTRO_RERT, src.SC20),
    codes=(
        item_code(
            "RT-REIRRADIATION",
            "Re-irradiation",
            "Painful previously irradiated site, > 4 weeks after RT.",
            (
                "lesion_id",
                "previous",
                "schedules",
                "sbrt_reirradiation_from",
                "follow_up_weeks",
                "alternatives",
            ),
        ),
        flag_code(
            "RT-REIRRADIATION-TOO-EARLY",
            Severity.INFO,
            "Pain within 4 weeks of RT",
            "Response is assessed ~4 weeks after RT; re-irradiation only for pain "
            "persisting beyond that.",
        ),
        flag_code(
            "RT-CUMULATIVE-CORD-DOSE",
            Severity.WARNING,
            "Cumulative spinal-cord dose",
            "Previously irradiated spinal level: the radiation oncologist checks the "
            "cumulative cord dose.",
        ),
    ),
)
def reirradiation(ctx: Context, prior: Prior) -> Iterator[Finding]:
    for st in rt_statuses(ctx, prior):
        v = st.view
        if not v.prior_rt or v.painful is not True or v.rt_planned:
            continue
        if st.postop or st.mscc:
            continue
        last = v.prior_rt[0]
        if last.ongoing:
            yield Flagged(
                "RT-REIRRADIATION-TOO-EARLY",
                f"{v.name}: radiotherapy still running ({last.describe()}).",
                v.id,
            )
            continue
        if last.end is None:
            yield Missing(
                v.path("prior_rt_date"),
                f"{v.name}: re-irradiation needs the date of the last fraction "
                "(> 4 weeks; SBRT ≥ 5 months)",
                Supplier.RADIATION_ONCOLOGY,
                v.id,
            )
            continue
        days = (ctx.as_of - last.end).days
        if days <= REIRRADIATION_AFTER_DAYS:
            yield Flagged(
                "RT-REIRRADIATION-TOO-EARLY",
                f"{v.name}: painful {day_count(last.end, ctx.as_of)} after RT ({last.describe()}); "
                "response is "
                "assessed about 4 weeks after RT — re-irradiation only if pain persists beyond "
                "that.",
                v.id,
            )
            continue
        sbrt_from = (
            add_months(last.end, SBRT_REIRRADIATION_MONTHS)
            if last.technique is not RadiotherapyTechnique.SBRT
            else None
        )
        spine = v.is_spinal
        yield Item(
            "RT-REIRRADIATION",
            f"{v.name}: pain {day_count(last.end, ctx.as_of)} after RT ({last.describe()}), "
            "i.e. more than 4 weeks: "
            "re-irradiation (ASTRO 2024"
            + ("; spine options 8/1, 20/5, 24/6, 20/8" if spine else "")
            + ")"
            + (
                f"; SBRT re-irradiation possible from {sbrt_from.isoformat()} (≥ 5 months)."
                if sbrt_from
                else "."
            ),
            {
                "lesion_id": v.id,
                "previous": {
                    "dose_gy": last.dose_gy,
                    "fractions": last.fractions,
                    "end": last.end.isoformat(),
                    "technique": str(last.technique) if last.technique else None,
                },
                "schedules": _schedules((8, 1), (20, 5), (24, 6), (20, 8)) if spine else [],
                "sbrt_reirradiation_from": sbrt_from.isoformat() if sbrt_from else None,
                "follow_up_weeks": RT_REVIEW_WEEKS,
                "summary": f"Re-irradiation of {v.name}",
            },
            Urgency.ROUTINE,
            v.id,
        )
        if spine:
            yield Flagged(
                "RT-CUMULATIVE-CORD-DOSE",
                f"{v.name}: previously irradiated ({'; '.join(r.describe() for r in v.prior_rt)}); "
                "radiation oncologist to check the cumulative spinal-cord dose.",
                v.id,
            )
            if any(r.dose_gy is None or r.fractions is None for r in v.prior_rt):
                yield Missing(
                    v.path("prior_rt_dose_gy"),
                    f"{v.name}: cumulative cord dose needs the previous dose and fractions",
                    Supplier.RADIATION_ONCOLOGY,
                    v.id,
                )


@rule(
    id="RT-06",
    section=Section.RADIOTHERAPY,
    title="Pain-response review about 4 weeks after RT",
    checks="Every drafted RT item carries follow_up_weeks = 4 (from the last fraction); a "
    "recorded course that ended in the last 4 weeks gets a review item with its due date.",
    sources=(src.RT_RESPONSE,),
    codes=(
        item_code(
            "RT-RESPONSE-REVIEW-4W",
            "Pain-response review 4 weeks after RT",
            (
                "Recorded RT course ended recently: review pain response ~4 weeks after the last "
                "fraction."
            ),
            ("lesion_id", "due_date", "follow_up_weeks", "anchor_date"),
        ),
    ),
)
def response_review(ctx: Context, prior: Prior) -> Iterator[Finding]:
    if not ctx.facts.radiotherapy_courses:
        return
    names = {v.id: v.name for v in ctx.lesions}
    for c in ctx.facts.radiotherapy_courses:
        if c.end is None or c.end > ctx.as_of:
            continue
        days = (ctx.as_of - c.end).days
        if days >= RT_REVIEW_WEEKS * 7:
            continue
        due = c.end + timedelta(weeks=RT_REVIEW_WEEKS)
        where = names.get(c.lesion_id or "", c.site or "treated site")
        yield Item(
            "RT-RESPONSE-REVIEW-4W",
            f"RT to {where} ended {c.end.isoformat()}; median time to pain response is 4 weeks.",
            {
                "lesion_id": c.lesion_id,
                "due_date": due.isoformat(),
                "follow_up_weeks": RT_REVIEW_WEEKS,
                "anchor_date": c.end.isoformat(),
                "summary": f"Pain-response review on {due.isoformat()}",
            },
            Urgency.ROUTINE,
            c.lesion_id,
        )


#: HyTEC point-maximum spinal-cord doses for de novo spine SBRT (1–5 % myelopathy risk),
#: by number of fractions.
DE_NOVO_CORD_PMAX_GY: tuple[tuple[int, str], ...] = (
    (1, "12.4–14.0"),
    (2, "17.0"),
    (3, "20.3"),
    (4, "23.0"),
    (5, "25.3"),
)
#: HyTEC re-irradiation limits (thecal sac, EQD2 with α/β 2 Gy).
REIRRADIATION_CORD_LIMITS = (
    "cumulative thecal-sac EQD2 Dmax ≤ 70 Gy; SBRT course thecal-sac EQD2 Dmax ≤ 25 Gy; SBRT "
    "share of the cumulative dose ≤ 0.5; ≥ 5 months between courses"
)


@rule(
    id="RT-07",
    section=Section.RADIOTHERAPY,
    title="Spinal-cord dose limits for spine SBRT (a check, not applied)",
    checks="SBRT considered for a spinal level → the HyTEC cord limits are printed for the "
    "radiation oncologist: de novo Pmax 12.4–14.0 Gy/1, 17.0/2, 20.3/3, 23.0/4, 25.3/5; after "
    "earlier RT the re-irradiation limits. The engine never plans a dose with them.",
    sources=(src.HYTEC_CORD,),
    codes=(
        flag_code(
            "RT-SBRT-CORD-DOSE-LIMITS",
            Severity.INFO,
            "Spinal-cord dose limits for spine SBRT",
            "HyTEC point-maximum cord doses (de novo) or re-irradiation limits, for the "
            "radiation oncologist to check; not applied by the engine.",
        ),
    ),
)
def sbrt_cord_dose(ctx: Context, prior: Prior) -> Iterator[Finding]:
    sbrt_ids = prior.lesions_with("RT-SBRT-CONSIDER")
    if not sbrt_ids:
        return
    de_novo = "; ".join(f"{gy} Gy/{n}" for n, gy in DE_NOVO_CORD_PMAX_GY)
    for v in ctx.spinal_lesions:
        if v.id not in sbrt_ids:
            continue
        if v.prior_rt:
            text = (
                f"{v.name} was irradiated before ({'; '.join(r.describe() for r in v.prior_rt)}): "
                f"HyTEC re-irradiation limits — {REIRRADIATION_CORD_LIMITS}."
            )
        else:
            text = (
                f"{v.name}, de novo SBRT: HyTEC spinal-cord point-maximum doses with a 1–5 % "
                f"risk of myelopathy — {de_novo}."
            )
        yield Flagged(
            "RT-SBRT-CORD-DOSE-LIMITS",
            f"{text} For the radiation oncologist to check; the engine does not apply them.",
            v.id,
        )


#: The prescriptions RT-08's 20 Gy/5 replaces (reconciliation ranks it above them), so
#: unknown neuropathic pain beside one of them is asked for.
_ASKS_NEUROPATHIC = (("RT-SINGLE-8GY", "8 Gy/1"), ("RT-SBRT-CONSIDER", "SBRT"))


@rule(
    id="RT-08",
    section=Section.RADIOTHERAPY,
    title="Neuropathic bone pain: 20 Gy in 5 fractions",
    checks="A painful first-course lesion with neuropathic pain → 20 Gy/5 (TROG 96.05: 8 Gy/1 "
    "not proven as effective); 8 Gy/1 is named as reasonable when ECOG ≥ 3 or expected "
    "survival < 3 months. Whether the pain is neuropathic unknown while 8 Gy/1 or SBRT is "
    "drafted for the painful lesion → asked for (never assumed absent); the 8 Gy/1 item is "
    "provisional until it is known.",
    sources=(src.TROG_9605, src.TROG_9605_RESULTS),
    codes=(
        item_code(
            "RT-NEUROPATHIC-20GY-5",
            "Radiotherapy 20 Gy in 5 fractions (neuropathic pain)",
            "Neuropathic bone pain: 20 Gy/5 (TROG 96.05); 8 Gy/1 with poor performance "
            "status or short survival.",
            (
                "lesion_id",
                "dose_gy",
                "fractions",
                "technique",
                "follow_up_weeks",
                "single_fraction_reasonable",
                "alternatives",
            ),
        ),
    ),
)
def neuropathic_pain(ctx: Context, prior: Prior) -> Iterator[Finding]:
    short = []
    if ctx.ecog is not None and ctx.ecog >= 3:
        short.append(f"ECOG {ctx.ecog}")
    if ctx.facts.expected_survival is SurvivalBand.LESS_THAN_3_MONTHS:
        short.append("expected survival under 3 months")
    for st in rt_statuses(ctx, prior):
        v = st.view
        if not st.candidate:
            continue
        if v.lesion.neuropathic_pain is None:
            drafted = [words for code, words in _ASKS_NEUROPATHIC if prior.has(code, v.id)]
            if drafted:
                yield Missing(
                    v.path("neuropathic_pain"),
                    f"{v.name}: {' and '.join(drafted)} drafted for the painful lesion; "
                    "neuropathic (radicular) pain would call for 20 Gy in 5 fractions instead "
                    "(RT-08, TROG 96.05)",
                    Supplier.RADIATION_ONCOLOGY,
                    v.id,
                )
            continue
        if v.lesion.neuropathic_pain is not True:
            continue
        single = (
            f" 8 Gy in 1 fraction is a reasonable alternative here ({', '.join(short)})."
            if short
            else ""
        )
        yield Item(
            "RT-NEUROPATHIC-20GY-5",
            f"Neuropathic pain from {v.name}: 20 Gy in 5 fractions. In TROG 96.05 (Roos 2005) "
            "8 Gy/1 was not proven as effective (response 53 % vs 61 %; secondary source)."
            f"{single}",
            {
                "lesion_id": v.id,
                "dose_gy": 20,
                "fractions": 5,
                "technique": "conventional",
                "follow_up_weeks": RT_REVIEW_WEEKS,
                "single_fraction_reasonable": bool(short),
                "summary": f"Radiotherapy 20 Gy in 5 fractions to {v.name}",
            },
            Urgency.ROUTINE,
            v.id,
        )


RULES = (
    single_fraction,
    multi_fraction,
    mscc_radiotherapy,
    sbrt,
    reirradiation,
    response_review,
    sbrt_cord_dose,
    neuropathic_pain,
)
