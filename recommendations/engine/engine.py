"""``evaluate``: case facts and a date in, draft plan out. Pure and deterministic."""

from __future__ import annotations

from datetime import date

from .catalogue import RULES
from .common import SEVERITY_RANK, URGENCY_RANK, Urgency
from .context import build_context
from .facts import CaseFacts, Specialty
from .plan import ENGINE_VERSION, DraftPlan, MissingData, RequiredSpecialty
from .reconcile import reconcile
from .rules.base import Missing, Prior, Quorum
from .rules.bta import zol_considered


def evaluate(facts: CaseFacts, *, as_of: date) -> DraftPlan:
    """Draft the board's plan for ``facts`` as known on ``as_of``.

    Same facts and date → the same plan: rules run in catalogue order, lesions in the
    order given, and the only re-ordering is a stable sort by urgency / severity.
    """
    ctx = build_context(facts, as_of)
    prior = Prior()
    for rule in RULES:
        prior.run(rule, ctx)

    plan = reconcile(ctx, prior.items, prior.flags)
    items = sorted(plan.items, key=lambda i: URGENCY_RANK[i.urgency])
    if ctx.mscc:
        urgency = Urgency.EMERGENCY
    elif items:
        urgency = items[0].urgency
    else:
        urgency = Urgency.ROUTINE
    zol = zol_considered(ctx, prior)
    return DraftPlan(
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
        flags=tuple(sorted(plan.flags, key=lambda f: SEVERITY_RANK[f.severity])),
        notes=tuple(prior.notes),
        missing_data=_merge_missing(prior.missing),
        required_specialties=_merge_quorum(prior.quorum),
    )


def _merge_missing(asked: list[tuple[Missing, str]]) -> tuple[MissingData, ...]:
    """One request per field path: first asker first, each reason and rule once."""
    by_field: dict[str, tuple[Missing, list[str], list[str]]] = {}
    for request, rule_id in asked:
        first, whys, rule_ids = by_field.setdefault(request.field, (request, [], []))
        if request.why not in whys:
            whys.append(request.why)
        if rule_id not in rule_ids:
            rule_ids.append(rule_id)
    return tuple(
        MissingData(
            field=field,
            why="; ".join(whys),
            rule_ids=tuple(rule_ids),
            supplied_by=first.supplied_by,
            lesion_id=first.lesion_id,
        )
        for field, (first, whys, rule_ids) in by_field.items()
    )


def _merge_quorum(seats: list[tuple[Quorum, str]]) -> tuple[RequiredSpecialty, ...]:
    """One seat per specialty, in ``Specialty`` order: each reason once; the first asker's
    rule; provisional only while every reason is."""
    by_specialty: dict[Specialty, tuple[list[str], str]] = {}
    firm: set[Specialty] = set()
    for q, rule_id in seats:
        reasons, _ = by_specialty.setdefault(q.specialty, ([], rule_id))
        if q.reason not in reasons:
            reasons.append(q.reason)
        if not q.provisional:
            firm.add(q.specialty)
    return tuple(
        RequiredSpecialty(
            specialty=s,
            reasons=tuple(reasons),
            rule_id=rule_id,
            provisional=s not in firm,
        )
        for s, (reasons, rule_id) in sorted(
            by_specialty.items(), key=lambda seat: _SPECIALTY_ORDER[seat[0]]
        )
    )


#: The order seats are listed in: ``Specialty``'s.
_SPECIALTY_ORDER = {s: i for i, s in enumerate(Specialty)}
