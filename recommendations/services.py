"""Writes of the recommendation side: draft-plan snapshots.

A draft is refreshed by reading the case's facts, hashing them, and evaluating the
engine only when the facts, the engine version or the evaluation date changed. The
newest snapshot is the current draft; older ones stay (a signed decision points at the
one the board worked from). Agenda items with a signed decision are never refreshed:
what the board saw is what it decided on.
"""

from __future__ import annotations

import hashlib
from datetime import date

from django.db import transaction
from django.utils import timezone

from cases.choices import AgendaItemStatus
from cases.models import AgendaItem, Decision, Meeting
from recommendations.engine import ENGINE_VERSION, CaseFacts, evaluate
from recommendations.engine.io import facts_to_json, plan_to_json
from recommendations.models import DraftPlan
from recommendations.selectors import (
    case_facts_for_patients,
    current_drafts,
    current_fingerprints,
)


def evaluation_date(meeting: Meeting) -> date:
    """The board decides at the meeting: an upcoming meeting's drafts are evaluated as
    of its date (so "labs older than N days" is judged for that day); a past meeting's
    as of today."""
    meeting_day = timezone.localdate(meeting.starts_at)
    return max(meeting_day, timezone.localdate())


def _facts_hash(facts: CaseFacts) -> str:
    """A fingerprint of the facts. The repr of the frozen dataclasses is deterministic
    and ~10× cheaper than building the JSON, which is only built for changed cases."""
    return hashlib.sha256(repr(facts).encode("utf-8")).hexdigest()


@transaction.atomic
def drafts_refresh(*, agenda_items: list[AgendaItem], as_of: date) -> dict[int, DraftPlan]:
    """Refresh the drafts of these agenda items (all of one meeting, usually).

    Fixed number of queries: signed items (1), the current drafts' fingerprints (1),
    facts (9), one bulk INSERT of the new snapshots, one bulk UPDATE of the agenda
    items' readiness, and the unchanged drafts in full (1). The fingerprints are read
    without the snapshots' JSON: a draft about to be replaced is never loaded.
    """
    if not agenda_items:
        return {}
    item_ids = [item.pk for item in agenda_items]
    signed = set(
        Decision.objects.filter(agenda_item_id__in=item_ids, signed_at__isnull=False).values_list(
            "agenda_item_id", flat=True
        )
    )
    current = current_fingerprints(agenda_item_ids=item_ids)
    open_items = [item for item in agenda_items if item.pk not in signed]
    facts_by_patient = case_facts_for_patients(
        patient_ids={item.patient_id for item in open_items}, as_of=as_of
    )
    new_rows: list[DraftPlan] = []
    changed_items: list[AgendaItem] = []
    for item in open_items:
        facts = facts_by_patient[item.patient_id]
        digest = _facts_hash(facts)
        if current.get(item.pk) == (digest, ENGINE_VERSION, as_of):
            continue
        plan = evaluate(facts, as_of=as_of)
        output = plan_to_json(plan)
        row = DraftPlan(
            agenda_item_id=item.pk,
            patient_id=item.patient_id,
            engine_version=ENGINE_VERSION,
            as_of=as_of,
            facts=facts_to_json(facts),
            facts_sha256=digest,
            output=output,
            is_urgent=output["urgency"] == "emergency",
            missing_count=len(output["missing_data"]),
            flag_count=len(output["flags"]),
        )
        new_rows.append(row)
        # Readiness follows the engine's missing-data list; urgency (suspected cord
        # compression) puts the case first on the agenda (MSCC-01).
        status = item.status
        if status in (AgendaItemStatus.REFERRED, AgendaItemStatus.READY):
            status = AgendaItemStatus.READY if row.missing_count == 0 else AgendaItemStatus.REFERRED
        if status != item.status or row.is_urgent != item.urgent:
            item.status, item.urgent = status, row.is_urgent
            changed_items.append(item)
    if new_rows:
        DraftPlan.objects.bulk_create(new_rows)
    if changed_items:
        AgendaItem.objects.bulk_update(changed_items, ["status", "urgent"])
    result = {row.agenda_item_id: row for row in new_rows}
    unchanged = [item_id for item_id in current if item_id not in result]
    result.update(current_drafts(agenda_item_ids=unchanged))
    return result


def drafts_refresh_for_meeting(*, meeting: Meeting) -> dict[int, DraftPlan]:
    """Refresh every draft of a meeting's agenda; returns agenda_item_id → current draft."""
    items = list(AgendaItem.objects.filter(meeting=meeting))
    return drafts_refresh(agenda_items=items, as_of=evaluation_date(meeting))


def draft_refresh(*, agenda_item: AgendaItem) -> DraftPlan | None:
    """Refresh one agenda item's draft; None only if it has no draft and is signed."""
    meeting = agenda_item.meeting
    return drafts_refresh(agenda_items=[agenda_item], as_of=evaluation_date(meeting)).get(
        agenda_item.pk
    )
