"""``evaluate``: case facts and a date in, draft plan out. Pure and deterministic."""

from __future__ import annotations

from datetime import date

from .catalogue import RULES
from .common import SEVERITY_RANK, URGENCY_RANK, Urgency
from .context import build_context
from .facts import CaseFacts, Specialty
from .fastinit import fast_new
from .plan import ENGINE_VERSION, DraftPlan, Flag, MissingData, PlanItem, RequiredSpecialty
from .rules.base import Missing, Prior
from .rules.bta import zol_considered

_SPECIALTIES = tuple(Specialty)  # the quorum's order
# Bound once: Enum.MEMBER lookups are slow on Python 3.11.
_EMERGENCY = Urgency.EMERGENCY
_BEFORE_NEXT_MEETING = Urgency.BEFORE_NEXT_MEETING
_ROUTINE = Urgency.ROUTINE
if sorted(Urgency, key=URGENCY_RANK.__getitem__) != [_EMERGENCY, _BEFORE_NEXT_MEETING, _ROUTINE]:
    raise RuntimeError("evaluate orders items by URGENCY_RANK: update it")  # pragma: no cover
# Constructor functions (see fastinit): a few of each per evaluation.
_new_plan = fast_new(DraftPlan)
_new_missing = fast_new(MissingData)
_new_specialty = fast_new(RequiredSpecialty)


def _severity_rank(flag: Flag) -> int:
    return SEVERITY_RANK[flag.severity]


def evaluate(facts: CaseFacts, *, as_of: date) -> DraftPlan:
    """Draft the board's plan for ``facts`` as known on ``as_of``.

    Same facts and date → the same plan: rules run in catalogue order, lesions in the
    order given, and the only re-ordering is a stable sort by urgency / severity.
    """
    ctx = build_context(facts, as_of)
    prior = Prior()
    prior.run(RULES, ctx)

    # Missing-data requests merge by field path, quorum entries by specialty; first
    # asker first, each reason once.
    missing: dict[str, tuple[list[str], list[str], Missing]] = {}
    for ms, rid in prior.missing:
        entry = missing.get(ms.field)
        if entry is None:
            missing[ms.field] = ([ms.why], [rid], ms)
        else:
            whys, rids, _ = entry
            if ms.why not in whys:
                whys.append(ms.why)
            if rid not in rids:
                rids.append(rid)
    quorum: dict[Specialty, tuple[list[str], bool, str]] = {}
    for q, rid in prior.quorum:
        cur = quorum.get(q.specialty)
        if cur is None:
            quorum[q.specialty] = ([q.reason], q.provisional, rid)
        else:
            reasons, provisional, qrid = cur
            if q.reason not in reasons:
                reasons.append(q.reason)
            if provisional and not q.provisional:  # a firm reason beats a provisional one
                quorum[q.specialty] = (reasons, False, qrid)

    # Items in a stable order by urgency: one pass into per-urgency lists (a sort would
    # call a key function per item).
    emergency: list[PlanItem] = []
    soon: list[PlanItem] = []
    routine: list[PlanItem] = []
    by_urgency = {_EMERGENCY: emergency, _BEFORE_NEXT_MEETING: soon, _ROUTINE: routine}
    for i in prior.items:
        by_urgency[i.urgency].append(i)
    items = emergency + soon + routine
    flags = prior.flags
    flags.sort(key=_severity_rank)
    if ctx.mscc:
        urgency = _EMERGENCY
    elif items:
        urgency = items[0].urgency
    else:
        urgency = _ROUTINE

    # In Specialty order. A loop: a comprehension here would turn ``quorum`` into a
    # closure cell for the whole of evaluate.
    required = []
    for s in _SPECIALTIES:
        seat = quorum.get(s)
        if seat is not None:
            reasons, provisional, rid = seat
            required.append(_new_specialty(s, tuple(reasons), rid, provisional))

    zol = zol_considered(ctx, prior)
    return _new_plan(
        engine_version=ENGINE_VERSION,
        as_of=as_of,
        urgency=urgency,
        sins=ctx.sins,
        mirels=ctx.mirels,
        creatinine_clearance=ctx.crcl,
        baseline_creatinine_clearance=ctx.zol_baseline if zol else None,
        zoledronic_dose=ctx.zol_band if zol else None,
        renal_check=ctx.renal_check,
        items=tuple(items),
        flags=tuple(flags),
        notes=tuple(prior.notes),
        missing_data=tuple(
            [
                _new_missing(fld, "; ".join(whys), tuple(rids), m.supplied_by, m.lesion_id)
                for fld, (whys, rids, m) in missing.items()
            ]
        )
        if missing
        else (),
        required_specialties=tuple(required),
    )
