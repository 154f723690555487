"""Writes of the recommendation side: draft-plan snapshots.

A draft is current while the patient's facts version (bumped by PostgreSQL triggers on
every table the engine reads, `cases.models._facts_version`), the engine version and the
evaluation date are the ones it was computed from. A view compares them in one query and
reads facts only for the stale drafts. A stale draft whose facts came out the same (a
name or a note was edited) is re-stamped with the new version, not stored again. The
newest snapshot is the current draft; older ones stay (a signed decision points at the
one the board worked from). Agenda items with a signed decision are never refreshed:
what the board saw is what it decided on.
"""

from __future__ import annotations

import hashlib
from datetime import date
from typing import NamedTuple

from django.db import transaction
from django.utils import timezone

from cases.choices import AgendaItemStatus
from cases.models import AgendaItem, Decision, Meeting
from recommendations.engine import ENGINE_VERSION, CaseFacts, evaluate
from recommendations.engine.io import facts_to_json, plan_to_json
from recommendations.models import DraftPlan
from recommendations.selectors import (
    DraftSummary,
    current_drafts,
    current_fingerprints,
    draft_summaries,
    versioned_case_facts,
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


class RefreshResult(NamedTuple):
    #: agenda_item_id → the snapshot stored by this refresh.
    new: dict[int, DraftPlan]
    #: Agenda items whose newest draft was already current (or re-stamped as current).
    unchanged: list[int]


@transaction.atomic
def drafts_bring_up_to_date(*, agenda_items: list[AgendaItem], as_of: date) -> RefreshResult:
    """Store a new draft for each of these agenda items whose draft is stale, without
    loading the current drafts (the caller reads what it shows: the whole snapshot for a
    case page, `draft_summaries` for the agenda).

    Fixed number of queries whatever the number of items: signed items (1) and the
    current drafts' fingerprints with the patients' facts versions (1). When some drafts
    are stale, also their facts (9), one bulk INSERT of the new snapshots, one bulk
    UPDATE of the re-stamped ones and one of the agenda items' readiness. A draft about
    to be replaced is never loaded.
    """
    if not agenda_items:
        return RefreshResult({}, [])
    item_ids = [item.pk for item in agenda_items]
    signed = set(
        Decision.objects.filter(agenda_item_id__in=item_ids, signed_at__isnull=False).values_list(
            "agenda_item_id", flat=True
        )
    )
    current = current_fingerprints(agenda_item_ids=item_ids)
    stale = [
        item
        for item in agenda_items
        if item.pk not in signed
        and not (
            item.pk in current
            and current[item.pk].is_current(engine_version=ENGINE_VERSION, as_of=as_of)
        )
    ]
    facts_by_patient = (
        versioned_case_facts(patient_ids={item.patient_id for item in stale}, as_of=as_of)
        if stale
        else {}
    )
    new_rows: list[DraftPlan] = []
    restamped: list[DraftPlan] = []
    changed_items: list[AgendaItem] = []
    for item in stale:
        facts, version = facts_by_patient[item.patient_id]
        digest = _facts_hash(facts)
        before = current.get(item.pk)
        if before and (before.facts_sha256, before.engine_version, before.as_of) == (
            digest, ENGINE_VERSION, as_of
        ):
            restamped.append(DraftPlan(pk=before.draft_id, facts_version=version))
            continue
        plan = evaluate(facts, as_of=as_of)
        output = plan_to_json(plan)
        facts_json = facts_to_json(facts)
        row = DraftPlan(
            agenda_item_id=item.pk,
            patient_id=item.patient_id,
            engine_version=ENGINE_VERSION,
            as_of=as_of,
            facts=facts_json,
            facts_sha256=digest,
            facts_version=version,
            output=output,
            is_urgent=output["urgency"] == "emergency",
            missing_count=len(output["missing_data"]),
            flag_count=len(output["flags"]),
            agenda_summary=DraftPlan.agenda_summary_of(output, facts_json),
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
    if restamped:
        DraftPlan.objects.bulk_update(restamped, ["facts_version"])
    if changed_items:
        AgendaItem.objects.bulk_update(changed_items, ["status", "urgent"])
    new = {row.agenda_item_id: row for row in new_rows}
    return RefreshResult(new, [item_id for item_id in current if item_id not in new])


def drafts_refresh(*, agenda_items: list[AgendaItem], as_of: date) -> dict[int, DraftPlan]:
    """Refresh the drafts of these agenda items (all of one meeting, usually) and return
    each one's current draft in full: `drafts_bring_up_to_date` and one query for the
    drafts that were already current."""
    new, unchanged = drafts_bring_up_to_date(agenda_items=agenda_items, as_of=as_of)
    return {**new, **current_drafts(agenda_item_ids=unchanged)}


def drafts_refresh_for_meeting(*, meeting: Meeting) -> dict[int, DraftPlan]:
    """Refresh every draft of a meeting's agenda; returns agenda_item_id → current draft."""
    items = list(AgendaItem.objects.filter(meeting=meeting))
    return drafts_refresh(agenda_items=items, as_of=evaluation_date(meeting))


def meeting_draft_summaries(*, meeting: Meeting) -> dict[int, DraftSummary]:
    """Refresh every draft of a meeting's agenda; returns agenda_item_id → what the
    agenda shows of its current draft (`DraftSummary`), without decoding whole snapshots."""
    items = list(AgendaItem.objects.filter(meeting=meeting))
    new, unchanged = drafts_bring_up_to_date(agenda_items=items, as_of=evaluation_date(meeting))
    summaries = {item_id: DraftSummary.of(row) for item_id, row in new.items()}
    summaries.update(draft_summaries(agenda_item_ids=unchanged))
    return summaries


def draft_refresh(*, agenda_item: AgendaItem) -> DraftPlan | None:
    """Refresh one agenda item's draft; None only if it has no draft and is signed."""
    meeting = agenda_item.meeting
    return drafts_refresh(agenda_items=[agenda_item], as_of=evaluation_date(meeting)).get(
        agenda_item.pk
    )
