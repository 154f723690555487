"""From rows read out of a file to the board's record: compare, validate, write.

`plan_import` compares every incoming row with what the board already holds and says,
per resource, new / updated / unchanged (or recognised with nothing to store), with
each change as "field: before → after". It validates every row with the models' own
checks (`full_clean`: units per test, plausible values, dates not in the future…), so
the preview shows every error of the file at once, field by field.

`apply_plan` writes a plan that has no errors, in bulk (one INSERT or UPDATE per table,
whatever the number of rows), inside the caller's transaction.

How a second import recognises a row: each imported row is linked to its source
(`ImportedResource`: the board, the format, the resource type and the resource's
identifier, or the OBX's order and code). A patient is also recognised by the hospital
number, a primary cancer by its patient (one per patient). The queries are a fixed
number whatever the size of the file (bench/import_fhir.py).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone

from cases.interop import codes
from cases.models import (
    Board,
    BoneTargetedAgentCourse,
    ImagingStudy,
    ImportedResource,
    LabResult,
    Patient,
    PrimaryCancer,
    SystemicTherapy,
)

#: What an incoming row becomes. NOTED rows are recognised and listed but store nothing.
PATIENT, PRIMARY, LAB, IMAGING, BONE_AGENT, SYSTEMIC, NOTED = (
    "patient", "primary", "lab", "imaging", "bone_agent", "systemic", "noted",
)
KIND_MODELS: dict[str, type[models.Model]] = {
    PATIENT: Patient, PRIMARY: PrimaryCancer, LAB: LabResult, IMAGING: ImagingStudy,
    BONE_AGENT: BoneTargetedAgentCourse, SYSTEMIC: SystemicTherapy,
}
#: Written in this order, so a new patient has its ID before its rows.
WRITE_ORDER = (PATIENT, PRIMARY, LAB, IMAGING, BONE_AGENT, SYSTEMIC)

NEW, UPDATED, UNCHANGED = "new", "updated", "unchanged"
STATUS_LABELS = {NEW: "New", UPDATED: "Updated", UNCHANGED: "Unchanged",
                 NOTED: "Recognised, nothing to store"}


@dataclass
class Incoming:
    """One resource (or OBX) of a file, mapped onto one row of the record."""

    entry: str             # where it is in the file, in words: "entry 3", "segment 5"
    label: str             # "Observation creat-1", "OBX 2"
    resource_type: str
    source_key: str        # how a second import recognises it
    kind: str
    hospital_number: str
    summary: str           # what it is, in words
    fields: dict[str, Any] = field(default_factory=dict)
    #: model field → element of the source it came from, for error messages.
    where: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class EntryError:
    entry: str
    label: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f", {self.field}" if self.field else ""
        return f"{self.entry} ({self.label}){where}: {self.message}"


@dataclass(frozen=True)
class UnknownCode:
    entry: str
    label: str
    system: str
    code: str
    display: str
    reason: str = "not a code Boardsite imports"

    @property
    def system_name(self) -> str:
        return codes.SYSTEM_NAMES.get(self.system, self.system or "no system")


@dataclass
class Parsed:
    """What a reader made of a file."""

    rows: list[Incoming] = field(default_factory=list)
    errors: list[EntryError] = field(default_factory=list)
    unknown: list[UnknownCode] = field(default_factory=list)

    def error(self, entry: str, label: str, where: str, message: str) -> None:
        self.errors.append(EntryError(entry, label, where, message))


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


@dataclass
class PreviewLine:
    entry: str
    label: str
    kind: str
    summary: str
    status: str
    changes: list[Change] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass
class Plan:
    """The preview of an import, and what `apply_plan` writes if it has no errors."""

    board: Board
    source: str
    lines: list[PreviewLine] = field(default_factory=list)
    errors: list[EntryError] = field(default_factory=list)
    unknown: list[UnknownCode] = field(default_factory=list)
    # (row, instance, status, changed field names) for every row to store.
    _work: list[tuple[Incoming, models.Model, str, list[str]]] = field(default_factory=list)
    _links: dict[tuple[str, str], ImportedResource] = field(default_factory=dict)
    patient_ids: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def counts(self) -> dict[str, int]:
        counts = {NEW: 0, UPDATED: 0, UNCHANGED: 0, NOTED: 0}
        for line in self.lines:
            counts[line.status] += 1
        counts["errors"] = len(self.errors)
        counts["unknown_codes"] = len(self.unknown)
        return counts


# --- Showing values in words -----------------------------------------------------------

def shown(model_field: models.Field, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%d %b %Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d %b %Y")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _same(before: Any, after: Any) -> bool:
    if isinstance(before, Decimal) or isinstance(after, Decimal):
        try:
            return Decimal(before) == Decimal(after)
        except (TypeError, ArithmeticError):
            return False
    return before == after


# --- Planning --------------------------------------------------------------------------

def plan_import(*, board: Board, source: str, parsed: Parsed) -> Plan:
    """Compare and validate; write nothing."""
    plan = Plan(board=board, source=source, errors=list(parsed.errors),
                unknown=list(parsed.unknown))
    rows = parsed.rows
    _refuse_duplicates(plan, rows)

    # Hospital numbers are unique per board, whatever the case of the letters
    # (`patient_hospital_number_per_board`): another board's patient with the same number
    # is another person and is never looked at.
    numbers = {r.hospital_number.upper() for r in rows if r.hospital_number}
    by_number: dict[str, Patient] = {
        patient.hospital_number.upper(): patient
        for patient in Patient.objects.annotate(number_upper=Upper("hospital_number"))
        .filter(board=board, number_upper__in=numbers)
    }
    in_file = {r.hospital_number.upper() for r in rows if r.kind == PATIENT}

    keys = [r.source_key for r in rows if r.kind != NOTED]
    links = {
        (link.resource_type, link.source_key): link
        for link in ImportedResource.objects.filter(board=board, source=source,
                                                    source_key__in=keys)
    }
    plan._links = links
    targets = _linked_rows(board, rows, links)
    primaries = {
        p.patient_id: p for p in PrimaryCancer.objects.filter(patient__in=by_number.values())
    }
    recorded = _recorded_rows(rows, by_number, links)
    new_patients: dict[str, Patient] = {}

    for row in rows:
        if row.kind == NOTED:
            plan.lines.append(PreviewLine(row.entry, row.label, row.kind, row.summary, NOTED))
            continue
        number = row.hospital_number.upper()
        if number not in by_number and number not in in_file:
            plan.errors.append(EntryError(
                row.entry, row.label, "patient",
                f"No patient with hospital number {row.hospital_number} on this board"
                + (", and the file does not include their Patient resource."
                   if source == ImportedResource.Source.FHIR else ": register them first.")))
            continue
        patient = by_number.get(number)
        link = links.get((row.resource_type, row.source_key))
        model = KIND_MODELS[row.kind]
        if row.kind == PATIENT:
            target = patient
        elif row.kind == PRIMARY:
            target = primaries.get(patient.pk) if patient else None
        else:
            target = targets.get((row.kind, link.object_id)) if link else None
            if target is None and link is None and patient is not None:
                # Not imported before, but perhaps recorded already (by hand, or exported
                # by Boardsite and sent back): the same measurement is the same row.
                target = recorded.get(_natural_key(row.kind, patient.pk, row.fields))
            if target is not None and patient is not None and target.patient_id != patient.pk:
                plan.errors.append(EntryError(
                    row.entry, row.label, "patient",
                    "This resource was imported before for another patient; correct it in "
                    "the hospital's system or remove the earlier row first."))
                continue
        if target is None:
            instance = model(**row.fields)
            if row.kind == PATIENT:
                instance.board = board
                new_patients[number] = instance
            else:
                instance.patient = patient or new_patients.get(number)
            status, changed = NEW, list(row.fields)
            changes = []
        else:
            instance = target
            changes, changed = [], []
            for name, value in row.fields.items():
                before = getattr(instance, name)
                if not _same(before, value):
                    model_field = model._meta.get_field(name)
                    changes.append(Change(str(model_field.verbose_name).capitalize(),
                                          shown(model_field, before), shown(model_field, value)))
                    changed.append(name)
                    setattr(instance, name, value)
            status = UPDATED if changed else UNCHANGED
        if status != UNCHANGED:
            _validate(plan, row, instance)
        plan.lines.append(PreviewLine(row.entry, row.label, row.kind, row.summary, status,
                                      changes))
        plan._work.append((row, instance, status, changed))
    plan.patient_ids = sorted(p.pk for p in by_number.values())
    return plan


#: What makes a recorded row the same one as an incoming resource that has no import link:
#: a lab result is one analyte at one time with the same value and unit (a different value
#: at the same time is kept as a row of its own, never written over what was recorded),
#: an imaging study one modality on one day.
NATURAL_KEYS = {LAB: ("analyte", "taken_at", "value", "unit"),
                IMAGING: ("modality", "performed_on")}


def _natural_key(kind: str, patient_id: int, fields: dict[str, Any]) -> tuple | None:
    names = NATURAL_KEYS.get(kind)
    if names is None or any(fields.get(name) is None for name in names):
        return None
    return (kind, patient_id, *(_key_value(fields[name]) for name in names))


def _key_value(value: Any) -> Any:
    # 1.1 and 1.100 are one result (the record keeps three decimals).
    return Decimal(str(value)) if isinstance(value, (int, float, Decimal)) else value


def _recorded_rows(rows: list[Incoming], by_number: dict[str, Patient],
                   links: dict[tuple[str, str], ImportedResource]) -> dict[tuple, Any]:
    """Rows already in the record that an unlinked incoming resource may be (one query per
    kind, the board's own patients only)."""
    patients = [p.pk for p in by_number.values()]
    found: dict[tuple, Any] = {}
    for kind, names in NATURAL_KEYS.items():
        wanted = [r for r in rows if r.kind == kind
                  and (r.resource_type, r.source_key) not in links]
        if not wanted or not patients:
            continue
        first = names[0]
        values = {r.fields.get(first) for r in wanted} - {None}
        for obj in KIND_MODELS[kind].objects.filter(
                patient_id__in=patients, **{f"{first}__in": values}).order_by("pk"):
            key = (kind, obj.patient_id, *(_key_value(getattr(obj, name)) for name in names))
            found.setdefault(key, obj)
    return found


def _refuse_duplicates(plan: Plan, rows: list[Incoming]) -> None:
    seen: dict[tuple[str, str], Incoming] = {}
    primary_of: dict[str, Incoming] = {}
    for row in rows:
        if row.kind == NOTED:
            continue
        key = (row.resource_type, row.source_key)
        if key in seen:
            plan.errors.append(EntryError(
                row.entry, row.label, "identifier",
                f"The same resource is already in {seen[key].entry}; a file gives each "
                "resource once."))
        seen[key] = row
        if row.kind == PRIMARY:
            if row.hospital_number in primary_of:
                plan.errors.append(EntryError(
                    row.entry, row.label, "code",
                    "A second primary cancer for one patient "
                    f"({primary_of[row.hospital_number].entry} is the first): the record "
                    "holds one per patient."))
            primary_of[row.hospital_number] = row


def _linked_rows(board: Board, rows: list[Incoming],
                 links: dict[tuple[str, str], ImportedResource]) -> dict[tuple[str, int], Any]:
    """The rows earlier imports made, one query per kind, scoped to the board."""
    wanted: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        link = links.get((row.resource_type, row.source_key))
        if link is not None and row.kind not in (PATIENT, PRIMARY, NOTED):
            wanted[row.kind].append(link.object_id)
    found: dict[tuple[str, int], Any] = {}
    for kind, ids in wanted.items():
        for obj in KIND_MODELS[kind].objects.filter(pk__in=ids, patient__board=board):
            found[(kind, obj.pk)] = obj
    return found


def _validate(plan: Plan, row: Incoming, instance: models.Model) -> None:
    # The patient link is set by the import itself from the board's own patients, and
    # checking it would cost a query per row; constraints are the database's, checked
    # at the INSERT (a query per row here too); the hospital number's uniqueness was
    # checked above for the whole file at once.
    exclude = ["patient", "board"]
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        model = type(instance)
        for name, messages in error.message_dict.items():
            if name == "__all__":
                where = ""
            else:
                label = str(model._meta.get_field(name).verbose_name)
                source = row.where.get(name)
                where = f"{label} ({source})" if source else label
            for message in messages:
                plan.errors.append(EntryError(row.entry, row.label, where, message))


# --- Writing ---------------------------------------------------------------------------

def apply_plan(plan: Plan, *, batch) -> dict[str, int]:
    """Write a plan without errors: per table one bulk INSERT and one bulk UPDATE. Runs
    inside the caller's transaction (all or nothing)."""
    if not plan.ok:
        raise ValueError("A plan with errors is never written.")
    by_kind: dict[str, list[tuple[Incoming, models.Model, str, list[str]]]] = defaultdict(list)
    for work in plan._work:
        by_kind[work[0].kind].append(work)
    for kind in WRITE_ORDER:
        model = KIND_MODELS[kind]
        works = by_kind.get(kind, [])
        # A new patient's rows were planned against the unsaved patient, which has its
        # ID now: bulk_create takes the ID from the related object itself.
        new = [instance for _r, instance, status, _c in works if status == NEW]
        if new:
            model.objects.bulk_create(new)
        updated = [(instance, changed) for _r, instance, status, changed in works
                   if status == UPDATED]
        if updated:
            names = sorted({name for _i, changed in updated for name in changed})
            if any(f.name == "updated_at" for f in model._meta.concrete_fields):
                now = timezone.now()
                for instance, _changed in updated:
                    instance.updated_at = now
                names.append("updated_at")
            model.objects.bulk_update([instance for instance, _c in updated], names)
    links = []
    for row, instance, _status, _changed in plan._work:
        link = plan._links.get((row.resource_type, row.source_key))
        if link is None or link.object_id != instance.pk:
            links.append(ImportedResource(
                board=plan.board, source=plan.source, resource_type=row.resource_type,
                source_key=row.source_key, model=row.kind, object_id=instance.pk, batch=batch,
            ))
    if links:
        ImportedResource.objects.bulk_create(
            links, update_conflicts=True,
            unique_fields=["board", "source", "resource_type", "source_key"],
            update_fields=["model", "object_id", "batch"],
        )
    plan.patient_ids = sorted({
        instance.pk if row.kind == PATIENT else instance.patient_id
        for row, instance, _s, _c in plan._work
    })
    return plan.counts()
