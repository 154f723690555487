"""Reading the audit trail of one patient: who viewed their data, who changed what.

Writes are recorded by PostgreSQL itself (django-pghistory triggers on every clinical
table, with the user and URL of the request as context); reads are `PatientAccess` rows
written by every page and API view. This module only reads both, for the
administrators' audit page (`front.views.audit`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth import get_user_model
from pghistory.models import Events

from cases.models import AgendaItem, Decision, Patient, PatientAccess

#: The page shows the most recent rows of each kind; older ones stay in the database.
AUDIT_PAGE_ROWS = 500


@dataclass(frozen=True)
class ChangeEvent:
    at: datetime
    label: str
    model: str
    object_id: str
    user_id: int | None
    username: str
    url: str
    changes: dict[str, Any]


@dataclass(frozen=True)
class PatientAudit:
    patient: Patient
    accesses: list[PatientAccess]
    changes: list[ChangeEvent]


def patient_audit(*, patient: Patient, limit: int = AUDIT_PAGE_ROWS) -> PatientAudit:
    """The reads and the changes of one patient's record, newest first, in a fixed
    number of queries (accesses, events of the patient and rows referencing them, events
    of the decisions on their agenda items, the users named)."""
    accesses = list(
        PatientAccess.objects.of_patient(patient).select_related("user")
        .order_by("-id")[:limit]
    )
    item_ids = list(AgendaItem.objects.filter(patient=patient).values_list("pk", flat=True))
    events = list(Events.objects.references(patient).order_by("-pgh_created_at")[:limit])
    if item_ids:
        decisions = Decision.objects.filter(agenda_item_id__in=item_ids)
        events += list(Events.objects.references(decisions).order_by("-pgh_created_at")[:limit])
    seen: set[tuple[str, int]] = set()
    unique = []
    for e in sorted(events, key=lambda e: e.pgh_created_at, reverse=True):
        if (e.pgh_model, e.pgh_id) not in seen:
            seen.add((e.pgh_model, e.pgh_id))
            unique.append(e)
    unique = unique[:limit]
    user_ids = {(e.pgh_context or {}).get("user") for e in unique} - {None}
    # Always one query, even for no users (an empty IN () runs no query at all), so
    # the page's query count stays fixed; no user has ID 0.
    names = dict(
        get_user_model().objects.filter(pk__in=sorted(user_ids) or [0])
        .values_list("pk", "username")
    )
    changes = []
    for e in unique:
        context = e.pgh_context or {}
        user_id = context.get("user")
        changes.append(ChangeEvent(
            at=e.pgh_created_at, label=e.pgh_label,
            model=e.pgh_obj_model.split(".")[-1], object_id=str(e.pgh_obj_id),
            user_id=user_id,
            username=names.get(user_id, "") if user_id else "",
            url=context.get("url", ""),
            changes=(e.pgh_diff or {}) if e.pgh_label == "update" else (e.pgh_data or {}),
        ))
    return PatientAudit(patient=patient, accesses=accesses, changes=changes)


def audit_patient_find(*, query: str) -> Patient | None:
    """The patient an administrator typed: a Boardsite ID or a hospital number.
    Unscoped, as the audit trail is (administrators only)."""
    patient = None
    if query.isdigit():
        patient = Patient.objects.filter(pk=int(query)).first()
    if patient is None:
        patient = Patient.objects.filter(hospital_number=query).first()
    return patient


def audit_patient_get(*, pk: int) -> Patient | None:
    return Patient.objects.filter(pk=pk).first()
