"""§6 Surgery and interventional radiology (SURG-01..05)."""

from __future__ import annotations

from collections.abc import Iterator

from .. import sources as src
from ..common import Section, Severity, Supplier, Urgency
from ..context import Context, LesionView
from ..facts import Alignment, Bone, Lesion, SurgeryKind, SurvivalBand
from ..scores import MIRELS_8_EXPLANATION
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

#: Non-spinal bones where a pathological fracture goes to the orthopaedic surgeon for
#: fixation (long bones and the weight-bearing pelvis).
FIXABLE_BONES = frozenset(
    {
        Bone.FEMUR,
        Bone.TIBIA,
        Bone.FIBULA,
        Bone.HUMERUS,
        Bone.RADIUS,
        Bone.ULNA,
        Bone.PELVIS,
        Bone.ACETABULUM,
    }
)
FIXATION_KINDS = frozenset({SurgeryKind.FIXATION, SurgeryKind.ARTHROPLASTY})
SPINE_SURGERY_KINDS = frozenset({SurgeryKind.STABILISATION, SurgeryKind.DECOMPRESSION})
AUGMENTATION_KINDS = frozenset({SurgeryKind.VERTEBROPLASTY, SurgeryKind.KYPHOPLASTY})

#: Plan-item codes that mean "this lesion goes to open surgery" (read by RT-02, RT-04).
SURGICAL_ITEM_CODES = (
    "SURG-FIXATION-FRACTURE",
    "SURG-PROPHYLACTIC-FIXATION",
    "SURG-SPINE-STABILISATION",
)


#: Items that draft surgery (SURG-05 checks fitness for them).
_SURGERY_DRAFTED_CODES = (
    *SURGICAL_ITEM_CODES,
    "MSCC-DECOMPRESSION-THEN-RT",
    "MSCC-SURGICAL-DECISION-PENDING",
)


def _has_surgery(v: LesionView, kinds: frozenset[SurgeryKind]) -> bool:
    return any(s.kind in kinds for s in v.surgeries)


def _survival_condition(ctx: Context) -> str | None:
    """Surgery, like a BTA (BTA-01), is drafted provisionally while survival is unknown."""
    return "expected survival ≥ 3 months" if ctx.facts.expected_survival is None else None


def _survival_short(ctx: Context) -> bool:
    return ctx.facts.expected_survival is SurvivalBand.LESS_THAN_3_MONTHS


@rule(
    id="SURG-01",
    section=Section.SURGERY,
    title="Fixation of fractures and impending fractures (Mirels ≥ 9); prophylactic preferred",
    checks="Pathological fracture of a long bone or the pelvis → fixation then post-operative "
    "RT; Mirels ≥ 9 → prophylactic fixation before RT (preferred to fixation after "
    "fracture); Mirels 8 → orthopaedic opinion. Not advised with expected survival "
    "< 3 months.",
    sources=(src.ESMO_SURG, src.MIRELS, src.MIRELS_RISK),
    codes=(
        item_code(
            "SURG-FIXATION-FRACTURE",
            "Fixation of pathological fracture",
            "Pathological fracture: surgical fixation, then post-operative RT (RT-02).",
            ("lesion_id", "then", "provisional_if"),
        ),
        item_code(
            "SURG-PROPHYLACTIC-FIXATION",
            "Prophylactic fixation (Mirels ≥ 9)",
            "Impending fracture, Mirels ≥ 9: prophylactic fixation before RT.",
            ("lesion_id", "mirels", "then", "provisional_if"),
        ),
        item_code(
            "SURG-ORTHO-OPINION-MIRELS-8",
            "Orthopaedic opinion (Mirels 8, borderline)",
            "Mirels 8 (or a range from 8): clinical judgement with an orthopaedic opinion.",
            ("lesion_id", "mirels"),
        ),
        flag_code(
            "SURG-FIXATION-NOT-ADVISED-SURVIVAL",
            Severity.WARNING,
            "Fixation would be indicated but expected survival < 3 months",
            "Surgery needs expected survival of roughly ≥ 3 months; RT alone is drafted.",
            (src.SURG_FITNESS,),
        ),
    ),
)
def fixation(ctx: Context, prior: Prior) -> Iterator[Finding]:
    for v in ctx.lesions:
        les = v.lesion
        if les.bone not in FIXABLE_BONES or _has_surgery(v, FIXATION_KINDS):
            continue
        m = v.mirels
        if les.pathological_fracture is None:
            yield Missing(
                v.path("pathological_fracture"),
                f"{v.name}: a pathological fracture means fixation then RT (SURG-01)",
                Supplier.RADIOLOGY,
                v.id,
            )
        if les.pathological_fracture:
            if _survival_short(ctx):
                yield Flagged(
                    "SURG-FIXATION-NOT-ADVISED-SURVIVAL",
                    f"{v.name}: pathological fracture, but expected survival < 3 months — "
                    "fixation not drafted; radiotherapy alone.",
                    v.id,
                )
                continue
            yield Item(
                "SURG-FIXATION-FRACTURE",
                f"Pathological fracture of {v.name}: fixation, then post-operative RT.",
                {
                    "lesion_id": v.id,
                    "then": "post-operative radiotherapy (RT-02)",
                    "provisional_if": _survival_condition(ctx),
                    "summary": (
                        f"Fixation of pathological fracture ({v.name}), then post-operative RT"
                    ),
                },
                Urgency.BEFORE_NEXT_MEETING,
                v.id,
            )
            continue
        if m is None:
            continue
        if m.total_min >= 9:
            if _survival_short(ctx):
                yield Flagged(
                    "SURG-FIXATION-NOT-ADVISED-SURVIVAL",
                    f"{v.name}: {m.describe()} is high risk, but expected survival < 3 months — "
                    "prophylactic fixation not drafted.",
                    v.id,
                )
                continue
            yield Item(
                "SURG-PROPHYLACTIC-FIXATION",
                f"{v.name}: {m.describe()} ≥ 9 — high fracture risk (≥ 33 %, secondary "
                "figure); prophylactic fixation is preferred to fixation after fracture "
                "(ESMO [III,B]), then post-operative RT.",
                {
                    "lesion_id": v.id,
                    "mirels": m.total_min,
                    "then": "post-operative radiotherapy (RT-02)",
                    "provisional_if": _survival_condition(ctx),
                    "summary": f"Prophylactic fixation of {v.name} before radiotherapy",
                },
                Urgency.BEFORE_NEXT_MEETING,
                v.id,
            )
        elif m.total_min >= 8:
            pending = (
                f" (may reach {m.total_max} pending {', '.join(m.missing)})"
                if m.total is None
                else ""
            )
            yield Item(
                "SURG-ORTHO-OPINION-MIRELS-8",
                f"{v.name}: {m.describe()}{pending}. {MIRELS_8_EXPLANATION}",
                {
                    "lesion_id": v.id,
                    "mirels": m.total_text(),
                    "summary": f"Orthopaedic opinion on {v.name} (Mirels borderline)",
                },
                Urgency.ROUTINE,
                v.id,
            )


@rule(
    id="SURG-02",
    section=Section.SURGERY,
    title="Spinal instability: stabilisation from SINS 13, consultation from 7",
    checks="SINS ≥ 13 → stabilisation if operable; SINS 7–12 → surgical consultation "
    "(SINS authors; the source document names only ≥ 13 — conflict 3). A SINS range whose "
    "minimum is ≥ 7 still triggers.",
    sources=(src.SINS_CONSULT, src.SINS),
    codes=(
        item_code(
            "SURG-SPINE-STABILISATION",
            "Spinal stabilisation (SINS ≥ 13)",
            "Unstable spine: stabilisation if operable, then post-operative RT.",
            ("lesion_id", "sins", "then", "provisional_if"),
        ),
        item_code(
            "SURG-SPINE-CONSULT",
            "Spinal surgical consultation (SINS ≥ 7)",
            "Potentially unstable spine: surgical consultation (Fourney 2011; conflict 3).",
            ("lesion_id", "sins"),
        ),
        flag_code(
            "SURG-STABILISATION-NOT-ADVISED-SURVIVAL",
            Severity.WARNING,
            "Stabilisation would be indicated but expected survival < 3 months",
            "SINS ≥ 13 with expected survival < 3 months: stabilisation not drafted.",
            (src.SURG_FITNESS,),
        ),
    ),
)
def spinal_instability(ctx: Context, prior: Prior) -> Iterator[Finding]:
    for v in ctx.spinal_lesions:
        s = v.sins
        if s is None or _has_surgery(v, frozenset({SurgeryKind.STABILISATION})):
            continue
        if s.total_min >= 13:
            if _survival_short(ctx):
                yield Flagged(
                    "SURG-STABILISATION-NOT-ADVISED-SURVIVAL",
                    f"{v.name}: {s.describe()} — unstable, but expected survival < 3 months; "
                    "stabilisation not drafted.",
                    v.id,
                )
                continue
            yield Item(
                "SURG-SPINE-STABILISATION",
                f"{v.name}: {s.describe()} — unstable (13–18): stabilisation if operable, "
                "then post-operative RT.",
                {
                    "lesion_id": v.id,
                    "sins": s.total_min,
                    "then": "post-operative radiotherapy (RT-02)",
                    "provisional_if": _survival_condition(ctx),
                    "summary": f"Spinal stabilisation at {v.name}, then post-operative RT",
                },
                Urgency.BEFORE_NEXT_MEETING,
                v.id,
            )
        elif s.total_min >= 7:
            extra = ""
            if s.total is None:
                extra = (
                    f" The minimum is already ≥ 7 (range {s.total_text()}; SINS-08)"
                    + ("; it may reach the unstable range" if s.total_max >= 13 else "")
                    + "."
                )
            yield Item(
                "SURG-SPINE-CONSULT",
                f"{v.name}: {s.describe()} — potentially unstable. The SINS authors "
                "recommend a surgical consultation from 7; the source document names "
                f"surgery only at ≥ 13 (conflict 3: consultation followed).{extra}",
                {
                    "lesion_id": v.id,
                    "sins": s.total_text(),
                    "summary": f"Spinal surgical consultation for {v.name}",
                },
                Urgency.ROUTINE,
                v.id,
            )


@rule(
    id="SURG-03",
    section=Section.SURGERY,
    title="MSCC with neurological deficit: spine surgeon now",
    checks="MSCC with a neurological deficit → the spine surgeon reviews today; whether "
    "to decompress follows MSCC-03.",
    sources=(src.PATCHELL,),
    codes=(
        item_code(
            "SURG-MSCC-SPINE-SURGEON-NOW",
            "Spine surgeon review today",
            "MSCC with neurological deficit: same-day spinal surgical review (MSCC-03).",
            ("lesion_ids",),
        ),
    ),
)
def mscc_deficit(ctx: Context, prior: Prior) -> Iterator[Finding]:
    if ctx.mscc and ctx.facts.neurology.deficit is True:
        ids = [v.id for v in ctx.spinal_lesions if v.lesion.epidural_extension is True]
        yield Item(
            "SURG-MSCC-SPINE-SURGEON-NOW",
            "Cord compression with a neurological deficit: the source document lists it "
            "as a surgical indication; decompression depends on the MSCC-03 criteria.",
            {"lesion_ids": ids, "summary": "Spine surgeon to review today"},
            Urgency.EMERGENCY,
        )


def vertebral_fracture(les: Lesion) -> bool:
    """A pathological fracture recorded, or a collapsed vertebral body: tumour collapse of a
    body is a compression fracture (SINS-05 scores it) even with the fracture box left at
    no. SURG-04 and RT-01/02 read this one answer, so a lesion is never "a compression
    fracture" for kyphoplasty and "without fracture" for 8 Gy in the same plan."""
    return les.pathological_fracture is True or (
        les.bone is Bone.VERTEBRA and les.collapse_percent is not None and les.collapse_percent > 0
    )


def augmentation_candidates(ctx: Context) -> tuple[list[LesionView], list[tuple[LesionView, str]]]:
    """SURG-04: painful vertebral compression fractures without instability or compression."""
    ok: list[LesionView] = []
    pending: list[tuple[LesionView, str]] = []
    if ctx.mscc:
        return ok, pending
    # Fracture and no fracture recorded at one level (ASSESS-02): whether there is a
    # fracture to augment is the open question, so neither the item, its board note nor
    # an interventional radiology seat is drafted for it.
    doubtful = {v.id for group in ctx.inconsistent_levels for v in group}
    for v in ctx.lesions:
        les = v.lesion
        if les.bone is not Bone.VERTEBRA or v.painful is not True or v.id in doubtful:
            continue
        if _has_surgery(v, AUGMENTATION_KINDS | SPINE_SURGERY_KINDS):
            continue
        if not vertebral_fracture(les):
            continue
        s = v.sins
        if les.alignment is Alignment.SUBLUXATION or les.epidural_extension is True:
            continue
        if s is not None and s.total_min >= 13:
            continue
        if s is not None and s.total_max >= 13:
            pending.append((v, f"SINS {s.total_text()} may be unstable"))
            continue
        if les.epidural_extension is None:
            pending.append((v, "epidural extension unknown"))
            continue
        ok.append(v)
    return ok, pending


@rule(
    id="SURG-04",
    section=Section.SURGERY,
    title="Vertebroplasty / kyphoplasty",
    checks="Painful vertebral compression fracture(s), 1–3 levels, without instability "
    "(SINS < 13, no subluxation) or cord compression → vertebral augmentation (CAFE: "
    "disability improved at 1 month). The document's 24–48 h relief is a board note only.",
    sources=(src.CAFE,),
    codes=(
        item_code(
            "IR-VERTEBRAL-AUGMENTATION",
            "Vertebroplasty / kyphoplasty",
            "Painful vertebral compression fracture(s) at 1–3 levels without instability or "
            "cord compression: interventional radiology for augmentation.",
            ("levels", "lesion_ids", "follow_up_weeks"),
        ),
        flag_code(
            "IR-AUGMENTATION-OVER-3-LEVELS",
            Severity.CAUTION,
            "More than 3 candidate levels",
            "The evidence covers 1–3 levels; more levels are a board decision.",
        ),
        note_code(
            "IR-AUGMENTATION-RELIEF-24-48H",
            "Relief within 24–48 h (unverified)",
            "The source document's 24–48 h relief is unverified; CAFE measured at 1 month "
            "(conflict 6).",
            (src.VP_TIMING,),
        ),
    ),
)
def vertebral_augmentation(ctx: Context, prior: Prior) -> Iterator[Finding]:
    ok, pending = augmentation_candidates(ctx)
    for v, why in pending:
        if why == "epidural extension unknown":
            yield Missing(
                v.path("epidural_extension"),
                f"{v.name}: vertebral augmentation needs no cord compression (SURG-04)",
                Supplier.RADIOLOGY,
                v.id,
            )
    if not ok:
        return
    levels = [v.name for v in ok]
    if len(ok) > 3:
        yield Flagged(
            "IR-AUGMENTATION-OVER-3-LEVELS",
            f"{len(ok)} painful compression fractures ({', '.join(levels)}): the evidence "
            "for augmentation covers 1–3 levels.",
        )
        return
    yield Item(
        "IR-VERTEBRAL-AUGMENTATION",
        f"Painful vertebral compression fracture(s) at {', '.join(levels)} without "
        "instability or cord compression: the CAFE trial showed a large disability "
        "improvement at 1 month with kyphoplasty.",
        {
            "levels": levels,
            "lesion_ids": [v.id for v in ok],
            "follow_up_weeks": 4,
            "summary": f"Vertebroplasty/kyphoplasty at {', '.join(levels)}",
        },
    )
    yield Note(
        "IR-AUGMENTATION-RELIEF-24-48H",
        "The source document promises relief within 24–48 hours; that is unverified — "
        "CAFE measured benefit at 1 month (conflict 6).",
    )


@rule(
    id="SURG-05",
    section=Section.SURGERY,
    title="Fitness for surgery: survival and performance status",
    checks="When open surgery is drafted, asks for ECOG and expected survival if missing "
    "(surgery needs roughly ≥ 3 months and fitness for anaesthesia); cautions at ECOG ≥ 3.",
    sources=(src.SURG_FITNESS,),
    codes=(
        flag_code(
            "SURG-FITNESS-POOR-PS",
            Severity.CAUTION,
            "Poor performance status for surgery",
            "ECOG ≥ 3: fitness for anaesthesia and surgery is doubtful.",
        ),
    ),
)
def surgical_fitness(ctx: Context, prior: Prior) -> Iterator[Finding]:
    drafted = prior.has_any(_SURGERY_DRAFTED_CODES)
    if not drafted:
        return
    if ctx.ecog is None:
        yield Missing(
            "ecog",
            f"surgery drafted: fitness for anaesthesia needs a current ECOG ({ctx.ecog_problem})",
            Supplier.MEDICAL_ONCOLOGY,
        )
    elif ctx.ecog >= 3:
        yield Flagged(
            "SURG-FITNESS-POOR-PS",
            f"ECOG {ctx.ecog}: fitness for surgery and anaesthesia is doubtful.",
        )
    if ctx.facts.expected_survival is None:
        yield Missing(
            "expected_survival",
            "surgery drafted: it needs expected survival of roughly ≥ 3 months",
            Supplier.MEDICAL_ONCOLOGY,
        )


RULES = (fixation, spinal_instability, mscc_deficit, vertebral_augmentation, surgical_fitness)
