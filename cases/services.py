"""Writes to the clinical record and the meeting.

Views, API views, forms, admin actions and tasks validate input and call one of these;
each is keyword-only and runs in a transaction. Validation errors are raised as
`django.core.exceptions.ValidationError` with field-level messages and nothing is
saved.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from typing import Any

import pghistory
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import connection, models, transaction
from django.utils import timezone
from knox.models import AuthToken

from cases import signing
from cases.actions import ActionError, action_clean, other_action
from cases.choices import (
    AgendaItemStatus,
    DecisionItemVerdict,
    MeetingStatus,
    OpinionStance,
    SecurityEvent,
)
from cases.interop import fhir, hl7v2
from cases.interop.plan import Parsed, Plan, apply_plan, plan_import
from cases.models import (
    AgendaItem,
    Attendance,
    Board,
    BoardMembership,
    CaseOpinion,
    Decision,
    DecisionItem,
    ImportBatch,
    ImportSource,
    Meeting,
    Patient,
    PatientAccess,
)
from cases.scoping import has_board_role, is_chair
from cases.security_notices import security_notice_queue
from cases.selectors import second_factor_required
from cases.sessions import user_sessions_end

#: Role groups (the issue's "roles as groups"); a board seat also carries its role.
ROLE_GROUPS = ("coordinator", "specialist", "chair", "administrator")


# --- Generic clinical rows ------------------------------------------------------------

def clinical_row_save(*, instance: models.Model) -> models.Model:
    """Validate every field and the row as a whole, then save. Nothing is written when
    any check fails; the `ValidationError` carries one message per field."""
    instance.full_clean()
    with transaction.atomic():
        instance.save()
    return instance


def clinical_row_delete(*, instance: models.Model) -> None:
    """Delete a row of the clinical record. The pghistory trigger keeps a copy of the
    row with who deleted it (the request's user) and when.

    No clinical row is referenced by a PROTECT or RESTRICT relation today (a deleted
    lesion is unlinked from its imaging studies and its radiotherapy and surgery rows,
    SET_NULL); should one be, the refusal comes back as a `ValidationError` naming what
    still refers to the row, and nothing is deleted."""
    try:
        with transaction.atomic():
            instance.delete()
    except (models.ProtectedError, models.RestrictedError) as exc:
        referring = getattr(exc, "protected_objects", None) or exc.restricted_objects
        kinds = sorted({str(obj._meta.verbose_name_plural) for obj in referring})
        raise ValidationError(
            {NON_FIELD_ERRORS: [f"This row cannot be deleted: {', '.join(kinds)} still "
                                "refer to it."]}
        ) from exc


# --- The record as the pages write it (who may is checked here too) -------------------

def clinical_record_save(*, instance: models.Model, by,
                         m2m: dict[str, Iterable[models.Model]] | None = None) -> models.Model:
    """Record or correct one row of the clinical record for `by`: refused unless they may
    change this patient's clinical data (`cases/rules.py`), then validated and saved like
    `clinical_row_save`, with its many-to-many links (`m2m`, e.g. an imaging study's
    lesions) in the same transaction. The audit trigger keeps who wrote what."""
    if not by.has_perm("cases.change_clinical_data", instance):
        raise PermissionDenied("Your role on this board does not record clinical data.")
    with transaction.atomic():
        clinical_row_save(instance=instance)
        for name, rows in (m2m or {}).items():
            getattr(instance, name).set(rows)
    return instance


def clinical_record_delete(*, instance: models.Model, by) -> None:
    """Delete one row of the clinical record for `by` (specialists and chairs only,
    `cases.delete_clinical_data`); the audit keeps the deleted row."""
    if not by.has_perm("cases.delete_clinical_data", instance):
        raise PermissionDenied("Your role on this board does not delete clinical data.")
    clinical_row_delete(instance=instance)


def _hospital_number_taken(patient: Patient) -> bool:
    return (Patient.objects.filter(board_id=patient.board_id,
                                   hospital_number__iexact=patient.hospital_number)
            .exclude(pk=patient.pk).exists())


def patient_register(*, patient: Patient, by, primary: models.Model | None = None) -> Patient:
    """Register a patient on a board (and, when given, the primary cancer) for `by`.

    The hospital number is unique within the board, whatever its case. Every problem of
    the patient and of the primary cancer is reported at once, field by field (the
    primary cancer's as ``primary.<field>``), and nothing is saved."""
    if not by.has_perm("cases.register_patient", patient):
        raise PermissionDenied("Your role on this board does not register patients.")
    patient.hospital_number = patient.hospital_number.strip()
    errors: dict[str, list[str]] = {}
    try:
        patient.full_clean(validate_constraints=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if patient.hospital_number and _hospital_number_taken(patient):
        errors.setdefault("hospital_number", []).append(
            "This board already has a patient with this hospital number.")
    if primary is not None:
        try:
            primary.full_clean(exclude=["patient"])
        except ValidationError as exc:
            errors.update({f"primary.{k}": v for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        patient.save()
        if primary is not None:
            primary.patient = patient
            primary.save()
    return patient


def patient_details_change(*, patient: Patient, by) -> Patient:
    """Correct who the patient is (names, date of birth, sex, hospital number): whoever
    may register patients on the board. Same checks as `patient_register`."""
    if not by.has_perm("cases.register_patient", patient):
        raise PermissionDenied("Your role on this board does not register patients.")
    patient.hospital_number = patient.hospital_number.strip()
    errors: dict[str, list[str]] = {}
    try:
        patient.full_clean(validate_constraints=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if patient.hospital_number and _hospital_number_taken(patient):
        errors.setdefault("hospital_number", []).append(
            "This board already has a patient with this hospital number.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        patient.save()
    return patient


# --- Boards ---------------------------------------------------------------------------

@transaction.atomic
def board_member_add(*, board: Board, user, role: str, specialty: str = "") -> BoardMembership:
    needed_before = second_factor_required(user=user)
    seat, _ = BoardMembership.objects.update_or_create(
        board=board, user=user, defaults={"role": role, "specialty": specialty}
    )
    seat.full_clean()
    group, _ = Group.objects.get_or_create(name=role)
    user.groups.add(group)
    if not needed_before:
        user_roles_changed(user=user)
    return seat


def user_roles_changed(*, user) -> None:
    """Call after anything that may give the user a role needing a second factor (a
    chair's seat, the administrator group, staff status), with what was there before
    already known not to need one. If the user needs one now, it applies from their
    next request, not their next sign-in: every session of theirs that did not pass a
    second factor ends (they sign in again and are asked for it), and their API tokens,
    which may have been issued on the password alone, are revoked (the token endpoint
    then asks for the code). Both are audited: the token revocations as token events,
    the grant itself as the membership or group event."""
    if not second_factor_required(user=user):
        return
    user_sessions_end(user=user, unverified_only=True)
    api_tokens_revoke(user=user)


# --- User accounts --------------------------------------------------------------------

def user_create(*, username: str, password: str, email: str = "", first_name: str = "",
                last_name: str = "", is_active: bool = True):
    """Open an account. The password must pass the site's validators
    (`AUTH_PASSWORD_VALIDATORS`) and is stored hashed (`set_password`: Argon2); the
    account's fields are checked by the model (username format, unique username).
    Every problem is reported at once, field by field, and nothing is saved."""
    user = get_user_model()(username=username, email=email, first_name=first_name,
                            last_name=last_name, is_active=is_active)
    errors: dict[str, list[str]] = {}
    try:
        user.full_clean(exclude=["password"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        # The similarity check compares with the username, names and email given.
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        errors["password"] = exc.messages
    if errors:
        raise ValidationError(errors)
    user.set_password(password)
    with transaction.atomic():
        user.save()
    return user


def user_set_password(*, user, password: str) -> None:
    """An administrator sets a new password (a forgotten or compromised one). It must
    pass the site's validators, field by field; it is stored hashed. The old
    credentials stop working: the user's sessions (Django checks a hash of the password
    on every request) and their API token, which is revoked — they sign in again."""
    try:
        password_validation.validate_password(password, user)
    except ValidationError as exc:
        raise ValidationError({"password": exc.messages}) from None
    user.set_password(password)
    with transaction.atomic():
        # Saving the new password revokes the API tokens (cases.passwords).
        user.save(update_fields=["password"])


def user_change_own_password(*, user, old_password: str, new_password: str) -> None:
    """A signed-in user changes their own password: the current one must be right and
    the new one pass the site's validators, field by field. Like an administrator's
    reset, it revokes every API token of the user; the caller keeps the browser session
    it was made from (`update_session_auth_hash`) while every other session ends."""
    errors: dict[str, list[str]] = {}
    if not user.check_password(old_password):
        errors["old_password"] = ["Your current password is not right."]
    try:
        password_validation.validate_password(new_password, user)
    except ValidationError as exc:
        errors["new_password"] = exc.messages
    if errors:
        raise ValidationError(errors)
    user.set_password(new_password)
    with transaction.atomic():
        # Saving the new password revokes the API tokens (cases.passwords).
        user.save(update_fields=["password"])


def api_token_issue(*, user) -> tuple[AuthToken, str]:
    """A new API token for the user, valid for ``REST_KNOX['TOKEN_TTL']``. Returns the
    stored row (a digest only) and the token itself, which exists nowhere else: it is
    shown once. Expired tokens of the user are deleted on the way. The user is told by
    email (`cases.security_notices`)."""
    with transaction.atomic():
        AuthToken.objects.filter(user=user, expiry__lte=timezone.now()).delete()
        issued = AuthToken.objects.create(user=user)
        security_notice_queue(user=user, event=SecurityEvent.API_TOKEN_ISSUED)
        return issued


def api_tokens_revoke(*, user, token: AuthToken | None = None) -> int:
    """Revoke one API token of the user (signing out of the API), or all of them
    (signing out of the site, a password change). Returns how many were revoked."""
    tokens = AuthToken.objects.filter(user=user)
    if token is not None:
        tokens = tokens.filter(pk=token.pk)
    deleted, _ = tokens.delete()
    return deleted


def user_update(*, user, first_name: str | None = None, last_name: str | None = None,
                email: str | None = None, is_active: bool | None = None, by=None):
    """Change an account's names, email or active flag (None: unchanged).

    Accounts are never deleted (the audit trail, decisions and reminders reference
    them): deactivating closes one, and the sign-in page, sessions and API token of an
    inactive user are refused from the next request on. Nobody closes their own account
    (`by`, the administrator acting): the last administrator could lock everyone out."""
    if is_active is False and by is not None and by.pk == user.pk:
        raise ValidationError({"is_active": "You cannot close your own account; ask "
                                            "another administrator."})
    changes = {"first_name": first_name, "last_name": last_name, "email": email,
               "is_active": is_active}
    changed = [name for name, value in changes.items() if value is not None]
    for name in changed:
        setattr(user, name, changes[name])
    if not changed:
        return user
    user.full_clean(exclude=["password"])
    with transaction.atomic():
        user.save(update_fields=changed)
    return user


# --- Meetings and agenda --------------------------------------------------------------

@transaction.atomic
def meeting_create(*, board: Board, starts_at, location: str = "", video_link: str = "",
                   duration_minutes: int = 90) -> Meeting:
    meeting = Meeting(board=board, starts_at=starts_at, location=location,
                      video_link=video_link, duration_minutes=duration_minutes)
    meeting.full_clean()
    meeting.save()
    # Every board member is invited; they confirm attendance themselves.
    Attendance.objects.bulk_create(
        [Attendance(meeting=meeting, user_id=seat.user_id, specialty=seat.specialty)
         for seat in board.memberships.all()]
    )
    return meeting


def meeting_refuse_if_held(meeting: Meeting) -> None:
    """For callers that change a meeting's own fields (the API's PATCH): a held
    meeting's date, length and place are part of the record now."""
    _refuse_if_held(Meeting.objects.get(pk=meeting.pk))


def _refuse_if_held(meeting: Meeting) -> None:
    """A held meeting's agenda is the record of what the board discussed: nothing is
    added, removed, reordered, unlocked or circulated any more (pages, API, tasks)."""
    if meeting.is_held:
        raise ValidationError({"meeting": (
            "This meeting has been held: its agenda is now the record of what the board "
            "discussed and no longer changes. Put a case on a later meeting instead.")})


def _refuse_if_locked(meeting: Meeting) -> None:
    _refuse_if_held(meeting)
    if meeting.is_locked:
        raise ValidationError(
            {"meeting": "The agenda is locked; unlock it before changing the cases on it."}
        )


@transaction.atomic
def agenda_item_add(*, meeting: Meeting, patient: Patient, question: str,
                    presenting_clinician=None, urgent: bool = False) -> AgendaItem:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _refuse_if_locked(meeting)
    errors: dict[str, str] = {}
    if patient.board_id != meeting.board_id:
        errors["patient"] = "This patient is not under this meeting's board."
    if not question.strip():
        errors["question"] = "Say what the board is asked to decide."
    if presenting_clinician is not None and not has_board_role(
        presenting_clinician, meeting.board_id
    ):
        errors["presenting_clinician"] = "The presenting clinician is not on this board."
    if AgendaItem.objects.filter(meeting=meeting, patient=patient).exists():
        errors["patient"] = "This patient is already on this agenda."
    if errors:
        raise ValidationError(errors)
    last = meeting.agenda_items.aggregate(m=models.Max("position"))["m"]
    item = AgendaItem.objects.create(
        meeting=meeting, patient=patient, question=question.strip(),
        presenting_clinician=presenting_clinician, urgent=urgent,
        position=(last or 0) + 1,
    )
    return item


@transaction.atomic
def agenda_item_remove(*, item: AgendaItem) -> None:
    # The meeting as it is now, not as the caller loaded it with the item.
    _refuse_if_locked(Meeting.objects.select_for_update().get(pk=item.meeting_id))
    if item.decisions.exists():
        raise ValidationError({"item": "A case with a recorded decision stays on the agenda."})
    item.delete()


@transaction.atomic
def agenda_reorder(*, meeting: Meeting, item_ids: Sequence[int]) -> list[AgendaItem]:
    """Put the agenda in the given order; urgent (cord-compression) cases always go
    first, in the order given among themselves (MSCC-01)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _refuse_if_locked(meeting)
    items = {i.pk: i for i in meeting.agenda_items.all()}
    if sorted(items) != sorted(item_ids):
        raise ValidationError({"order": "Give every case on this agenda exactly once."})
    ordered = [items[i] for i in item_ids]
    ordered.sort(key=lambda i: not i.urgent)  # stable: keeps the given order otherwise
    for position, item in enumerate(ordered, start=1):
        item.position = position
    AgendaItem.objects.bulk_update(ordered, ["position"])
    return ordered


@transaction.atomic
def agenda_move_to(*, meeting: Meeting, item_id: int, position: int) -> list[AgendaItem]:
    """Move one case to position N (1 = first) in one step; the others keep their order.
    Urgent (cord-compression) cases still go first (MSCC-01), so an ordinary case asked
    to go above them lands just below them."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _refuse_if_locked(meeting)
    order = list(meeting.agenda_items.order_by("-urgent", "position", "id")
                 .values_list("pk", flat=True))
    if item_id not in order:
        raise ValidationError({"item": "This case is not on this agenda."})
    if not 1 <= position <= len(order):
        raise ValidationError({"position": f"Give a position from 1 to {len(order)}."})
    order.remove(item_id)
    order.insert(position - 1, item_id)
    return agenda_reorder(meeting=meeting, item_ids=order)


@transaction.atomic
def agenda_item_set_status(*, item: AgendaItem, status: str) -> AgendaItem:
    item.status = status
    item.full_clean()
    item.save(update_fields=["status"])
    return item


@transaction.atomic
def agenda_lock(*, meeting: Meeting) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _refuse_if_held(meeting)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError({"meeting": "A cancelled meeting cannot be locked."})
    if not meeting.agenda_items.exists():
        raise ValidationError({"meeting": "An empty agenda cannot be locked."})
    meeting.agenda_locked_at = timezone.now()
    meeting.status = MeetingStatus.LOCKED
    meeting.save(update_fields=["agenda_locked_at", "status"])
    return meeting


@transaction.atomic
def agenda_unlock(*, meeting: Meeting) -> Meeting:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _refuse_if_held(meeting)
    meeting.agenda_locked_at = None
    meeting.status = MeetingStatus.PLANNED
    meeting.save(update_fields=["agenda_locked_at", "status"])
    return meeting


@transaction.atomic
def meeting_mark_circulated(*, meeting: Meeting) -> Meeting:
    """Record that the agenda was sent to the attendees now (the reminders app sends
    it: `reminders.services.agenda_circulate`)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _refuse_if_held(meeting)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError({"meeting": "A cancelled meeting's agenda is not circulated."})
    if not meeting.agenda_items.exists():
        raise ValidationError({"meeting": "An empty agenda is not circulated."})
    meeting.agenda_circulated_at = timezone.now()
    meeting.save(update_fields=["agenda_circulated_at"])
    return meeting


@transaction.atomic
def meeting_mark_held(*, meeting: Meeting, now=None) -> Meeting:
    """Record that the meeting took place (from its day on). Its agenda becomes
    read-only (`_refuse_if_held`) and the agenda page shows outcomes, not readiness."""
    now = now or timezone.now()
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == MeetingStatus.CANCELLED:
        raise ValidationError({"meeting": "A cancelled meeting is not held."})
    if meeting.is_held:
        raise ValidationError({"meeting": "This meeting is already recorded as held."})
    if timezone.localdate(now) < meeting.day:
        raise ValidationError({"meeting": (
            f"A meeting is recorded as held from its day on ({meeting.day:%A %-d %B %Y}).")})
    meeting.status = MeetingStatus.HELD
    meeting.agenda_locked_at = meeting.agenda_locked_at or now
    meeting.save(update_fields=["status", "agenda_locked_at"])
    return meeting


def signing_refusal(*, meeting: Meeting, now=None) -> str:
    """Why a decision of this meeting cannot be signed now ("" when it can): the board
    signs from the meeting's day on, never before it has met (issue 15)."""
    today = timezone.localdate(now or timezone.now())
    if meeting.status == MeetingStatus.CANCELLED:
        return "This meeting was cancelled: its cases are not signed."
    if today < meeting.day:
        return (f"Signing opens on the day of the meeting, {meeting.day:%A %-d %B %Y}: "
                "the board signs what it decided at the meeting, not before.")
    return ""


@transaction.atomic
def attendance_set(*, meeting: Meeting, user, confirmed: bool | None = None,
                   attended: bool | None = None) -> Attendance:
    if not has_board_role(user, meeting.board_id):
        raise ValidationError({"user": "Only members of this board attend its meetings."})
    seat = BoardMembership.objects.get(board_id=meeting.board_id, user=user)
    attendance, _ = Attendance.objects.get_or_create(
        meeting=meeting, user=user, defaults={"specialty": seat.specialty}
    )
    if confirmed is not None:
        attendance.confirmed = confirmed
    if attended is not None:
        attendance.attended = attended
    attendance.save()
    return attendance


# --- Decisions ------------------------------------------------------------------------

#: Meeting mode's per-case timer is refused beyond this (a screen left open overnight).
MAX_DISCUSSION_SECONDS = 12 * 3600

def _validate_decision_items(items: Sequence[dict[str, Any]], *, on) -> list[dict[str, Any]]:
    """Check every item; return each one's validated action ({} for a rejected item).
    Errors are keyed ``items.<n>.<field>`` (an action's fields as ``action_<field>``)."""
    errors: dict[str, list[str]] = {}
    verdicts = set(DecisionItemVerdict.values)
    cleaned: list[dict[str, Any]] = []
    for index, item in enumerate(items):
        prefix = f"items.{index}"
        if not item.get("verdict") and item.get("code"):
            # A draft item the board has not reached yet: the decision is a draft and
            # signing refuses it until every item has a verdict (`decision_sign`).
            cleaned.append({})
            continue
        if item.get("verdict") not in verdicts:
            errors[f"{prefix}.verdict"] = ["Choose accept, modify, reject or add."]
        if item.get("verdict") in (DecisionItemVerdict.MODIFIED, DecisionItemVerdict.REJECTED) \
                and not str(item.get("reason", "")).strip():
            errors[f"{prefix}.reason"] = ["Give the board's reason for this change."]
        if not str(item.get("title", "")).strip():
            errors[f"{prefix}.title"] = ["Every item needs a title."]
        if item.get("verdict") == DecisionItemVerdict.ADDED and item.get("code"):
            errors[f"{prefix}.code"] = ["An item the board added has no engine code."]
        if item.get("verdict") == DecisionItemVerdict.REJECTED:
            cleaned.append({})
            continue
        raw = item.get("action")
        if not raw:
            cleaned.append(other_action(str(item.get("detail") or item.get("title") or "")))
            continue
        try:
            cleaned.append(action_clean(raw, on=on))
        except ActionError as error:
            for field_name, messages in error.errors.items():
                errors[f"{prefix}.action_{field_name}"] = messages
            cleaned.append({})
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def decision_record(*, agenda_item: AgendaItem, recorded_by, items: Sequence[dict[str, Any]],
                    outcome_summary: str = "", engine_version: str = "",
                    draft_plan_ref: int | None = None,
                    discussion_seconds: int | None = None,
                    standard_of_care: bool = False) -> Decision:
    """Create or replace the unsigned decision on an agenda item.

    `items` are dicts with code, rule_id, title, detail, draft_detail, verdict, reason
    and action (the typed fields, `cases.actions`; an item without one is an "other"
    action in its own words). A draft item (one with a code) may have no verdict yet:
    the decision is then a partial draft, saved as the board goes, which signing
    refuses until every item is decided. Bad input changes nothing (field errors
    ``items.<n>.<field>``). A signed decision is never touched here: change it with
    `decision_amend`.

    `discussion_seconds` is the time the case has been on the shared screen (meeting
    mode's timer; None keeps what was recorded). `standard_of_care` marks a decision
    taken in the standard-of-care block; any other recording clears the mark.
    """
    actions = _validate_decision_items(items, on=timezone.localdate())
    if discussion_seconds is not None and not 0 <= discussion_seconds <= MAX_DISCUSSION_SECONDS:
        raise ValidationError({"discussion_seconds": "The time on screen must be between 0 "
                                                     "and 12 hours."})
    agenda_item = AgendaItem.objects.select_for_update().get(pk=agenda_item.pk)
    decision = (
        agenda_item.decisions.filter(signed_at__isnull=True).order_by("-version").first()
    )
    if decision is None:
        if agenda_item.decisions.filter(signed_at__isnull=False).exists():
            raise ValidationError(
                {"decision": "This case already has a signed decision; record an amendment."}
            )
        decision = Decision(agenda_item=agenda_item, version=1, recorded_by=recorded_by)
    decision.outcome_summary = outcome_summary
    decision.engine_version = engine_version
    decision.draft_plan_ref = draft_plan_ref
    decision.recorded_by = recorded_by
    decision.standard_of_care = standard_of_care
    if discussion_seconds is not None:
        decision.discussion_seconds = discussion_seconds
    decision.full_clean()
    decision.save()
    decision.items.all().delete()
    DecisionItem.objects.bulk_create([
        DecisionItem(
            decision=decision, position=position,
            code=item.get("code", "") or "", rule_id=item.get("rule_id", "") or "",
            title=item["title"], detail=item.get("detail", "") or "",
            draft_detail=item.get("draft_detail") or {},
            verdict=item["verdict"], reason=item.get("reason", "") or "",
            action_kind=action.get("kind", ""), action=action,
        )
        for position, (item, action) in enumerate(zip(items, actions, strict=True), start=1)
    ])
    if agenda_item.status in (AgendaItemStatus.REFERRED, AgendaItemStatus.READY):
        agenda_item.status = AgendaItemStatus.DISCUSSED
        agenda_item.save(update_fields=["status"])
    return decision


def decision_canonical_content(decision: Decision) -> str:
    """The signed content as canonical JSON (sorted keys, no whitespace): what the
    SHA-256 covers. Anyone can recompute it to show the record was not altered.

    Format 2 (every decision recorded since typed actions exist) also covers each item's
    action; format 1 decisions were signed without one and hash as they were signed."""
    with_actions = decision.content_format >= 2
    items = [
        {"position": i.position, "code": i.code, "rule_id": i.rule_id, "title": i.title,
         "detail": i.detail, "verdict": i.verdict, "reason": i.reason,
         **({"action": i.action} if with_actions else {})}
        for i in decision.items.order_by("position", "id")
    ]
    content = {
        "decision_id": decision.pk,
        "agenda_item_id": decision.agenda_item_id,
        "patient_id": decision.agenda_item.patient_id,
        "version": decision.version,
        "amends_id": decision.amends_id,
        "amendment_reason": decision.amendment_reason,
        "outcome_summary": decision.outcome_summary,
        "engine_version": decision.engine_version,
        "draft_plan_ref": decision.draft_plan_ref,
        "recorded_by_id": decision.recorded_by_id,
        "signed_by_id": decision.signed_by_id,
        "signed_at": decision.signed_at.isoformat() if decision.signed_at else None,
        "items": items,
        **({"content_format": decision.content_format} if with_actions else {}),
        # Only when true, so every decision signed before the block existed hashes as
        # it was signed (and a migration's historical model, which has no such field,
        # hashes the same way).
        **({"standard_of_care": True} if getattr(decision, "standard_of_care", False)
           else {}),
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@transaction.atomic
def decision_sign(*, decision: Decision, chair) -> Decision:
    """The chair signs the decision: from now on PostgreSQL refuses any change to it.

    Callers that need the follow-up scheduled (the web page and the API) go through
    `reminders.services.decision_sign_and_schedule`, which calls this in the same
    transaction.
    """
    decision = Decision.objects.select_for_update().select_related(
        "agenda_item__meeting"
    ).get(pk=decision.pk)
    board_id = decision.agenda_item.meeting.board_id
    if not is_chair(chair, board_id):
        raise PermissionDenied("Only the chair of this board signs its decisions.")
    if decision.is_signed:
        raise ValidationError({"decision": "This decision is already signed."})
    refusal = signing_refusal(meeting=decision.agenda_item.meeting)
    if refusal:
        raise ValidationError({"decision": refusal})
    if not decision.items.exists() and not decision.outcome_summary.strip():
        raise ValidationError(
            {"outcome_summary": "A decision needs at least one item or an outcome summary."}
        )
    undecided = decision.items.filter(verdict="").count()
    if undecided:
        raise ValidationError({"decision": (
            f"{undecided} item{'s' if undecided != 1 else ''} of the draft "
            f"{'have' if undecided != 1 else 'has'} no verdict yet: accept, modify or "
            "reject every item before signing.")})
    decision.signed_by = chair
    decision.signed_at = timezone.now()
    content = decision_canonical_content(decision).encode("utf-8")
    decision.content_sha256 = hashlib.sha256(content).hexdigest()
    decision.signature_key_id, decision.signature = signing.mac(content)
    decision.save(update_fields=["signed_by", "signed_at", "content_sha256",
                                 "signature_key_id", "signature"])
    AgendaItem.objects.filter(pk=decision.agenda_item_id).update(
        status=AgendaItemStatus.DECIDED
    )
    return decision


def decision_verify(decision: Decision) -> bool:
    """True if the decision is signed and both its SHA-256 and its keyed MAC match the
    content now. The MAC is what proves it: the hash can be recomputed by anyone who
    rewrites the row, the MAC only with the signing key, which is not in the database.
    A decision signed under a key ID that is no longer configured does not verify."""
    if not decision.is_signed:
        return False
    content = decision_canonical_content(decision).encode("utf-8")
    return (
        hashlib.sha256(content).hexdigest() == decision.content_sha256
        and signing.verify(content, key_id=decision.signature_key_id,
                           expected=decision.signature)
    )


@transaction.atomic
def decision_amend(*, decision: Decision, recorded_by, reason: str) -> Decision:
    """Start an amendment of a signed decision: a new unsigned version that references
    it, with the same items to edit. The signed original stays as it was."""
    if not decision.is_signed:
        raise ValidationError({"decision": "Only a signed decision is amended; edit this one."})
    if not reason.strip():
        raise ValidationError({"amendment_reason": "Say why the decision is being amended."})
    if Decision.objects.filter(amends=decision).exists():
        raise ValidationError({"decision": "This version has already been amended."})
    latest = decision.agenda_item.decisions.order_by("-version").first()
    amendment = Decision.objects.create(
        agenda_item_id=decision.agenda_item_id, version=latest.version + 1, amends=decision,
        amendment_reason=reason.strip(), outcome_summary=decision.outcome_summary,
        engine_version=decision.engine_version, draft_plan_ref=decision.draft_plan_ref,
        recorded_by=recorded_by,
    )
    DecisionItem.objects.bulk_create([
        DecisionItem(decision=amendment, position=i.position, code=i.code, rule_id=i.rule_id,
                     title=i.title, detail=i.detail, draft_detail=i.draft_detail,
                     verdict=i.verdict, reason=i.reason, action_kind=i.action_kind,
                     action=i.action)
        for i in decision.items.all()
    ])
    return amendment


# --- Before the meeting: opinions and the standard-of-care block ------------------------

#: A pre-meeting opinion is short: the board reads it on the shared screen.
OPINION_MAX_LENGTH = 1000


@transaction.atomic
def case_opinion_record(*, agenda_item: AgendaItem, author, stance: str,
                        text: str) -> CaseOpinion:
    """Record (or replace) a specialist's opinion on a case before the board decides
    it. The specialty is the author's seat on the board. Refused, field by field, for
    an empty or long text, an unknown stance, someone without a seat, or a case whose
    decision is already signed."""
    text = text.strip()
    errors: dict[str, str] = {}
    seat = BoardMembership.objects.filter(board_id=agenda_item.meeting.board_id,
                                          user=author).first()
    if seat is None:
        errors["author"] = "Only members of this board give an opinion on its cases."
    elif not seat.specialty:
        errors["author"] = "Your seat on this board has no specialty; ask the coordinator."
    if stance not in OpinionStance.values:
        errors["stance"] = "Say whether you agree with the draft or want it discussed."
    if not text:
        errors["text"] = "Write the opinion (a few lines)."
    elif len(text) > OPINION_MAX_LENGTH:
        errors["text"] = f"Keep the opinion to {OPINION_MAX_LENGTH} characters."
    if Decision.objects.filter(agenda_item=agenda_item, signed_at__isnull=False).exists():
        errors["agenda_item"] = "The board's decision on this case is signed already."
    if errors:
        raise ValidationError(errors)
    opinion, _ = CaseOpinion.objects.update_or_create(
        agenda_item=agenda_item, author=author,
        defaults={"specialty": seat.specialty, "stance": stance, "text": text},
    )
    return opinion


@transaction.atomic
def agenda_item_set_standard_of_care_opt_out(*, item: AgendaItem,
                                             opted_out: bool) -> AgendaItem:
    """Take a case out of the standard-of-care block (back to full discussion), or put
    it back."""
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    if opted_out is False and item.decisions.filter(signed_at__isnull=False).exists():
        raise ValidationError({"item": "The board's decision on this case is signed already."})
    item.standard_of_care_opt_out = opted_out
    item.save(update_fields=["standard_of_care_opt_out"])
    return item


# --- Read audit -----------------------------------------------------------------------

def record_patient_access(*, user, patient_ids: Iterable[int], action: str, path: str) -> None:
    """Record that `user` read these patients' data: one `PatientAccess` row for the
    request, with every patient it showed."""
    ids = list(dict.fromkeys(patient_ids))
    if not ids:
        return
    # One hand-written INSERT: every API list pays this, and the ORM's insert compiler
    # (plus a RETURNING nobody reads) cost more CPU than the statement itself.
    # Durable: outside a transaction the statement commits on its own with the server's
    # synchronous_commit (on), so a read that was answered is on disk — an audit trail
    # of who saw what must not lose its last records in a crash.
    # The IDs travel as one array literal ("{1,2,3}"): psycopg adapting a list of 50
    # ints item by item cost a third of this function's CPU. int() keeps it a literal
    # of numbers whatever was passed.
    sql = (
        f"INSERT INTO {PatientAccess._meta.db_table} (user_id, patient_ids, action, path, at) "  # noqa: S608
        "VALUES (%s, %s::bigint[], %s, %s, now())"
    )
    array = "{" + ",".join([str(int(i)) for i in ids]) + "}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, array, action, path[:300]])


# --- Import from the hospital's systems ---------------------------------------------

_READERS = {ImportSource.FHIR: fhir.read_bundle, ImportSource.HL7V2: hl7v2.read_oru}


def _import_plan(*, board: Board, source: str, content: str) -> Plan:
    if source not in _READERS:
        raise ValidationError({"source": "Choose a FHIR bundle or an HL7 v2 message."})
    parsed: Parsed = _READERS[source](content)
    return plan_import(board=board, source=source, parsed=parsed)


def _may_import(user, board: Board) -> None:
    # `user` is None only for the management commands, run by whoever runs the server.
    if user is not None and not user.has_perm("cases.import_records", board):
        raise PermissionDenied("Only the board's coordinators and clinicians import records.")


def records_import_preview(*, board: Board, user, source: str, content: str,
                           filename: str = "") -> tuple[ImportBatch, Plan]:
    """Read a file and say what importing it would change, resource by resource, with
    every error and every code not imported. Nothing of the record is written; the file
    is kept as a previewed batch for `records_import_confirm`."""
    _may_import(user, board)
    plan = _import_plan(board=board, source=source, content=content)
    batch = ImportBatch.objects.create(
        board=board, uploaded_by=user, source=source, filename=filename[:200],
        content=content if plan.ok else "", counts=plan.counts(),
        sha256=hashlib.sha256(content.encode("utf-8")).hexdigest(),
    )
    return batch, plan


def records_import_confirm(*, batch: ImportBatch, user) -> Plan:
    """Import the file that was previewed. It is compared with the record again (the
    record may have changed since the preview) and written only if it still has no
    errors; the returned plan says what was done."""
    if batch.status != ImportBatch.Status.PREVIEWED or not batch.content:
        raise ValidationError({"batch": "This file has already been imported, or its "
                                        "preview had errors: upload it again."})
    return records_import(board=batch.board, user=user, source=batch.source,
                          content=batch.content, filename=batch.filename, batch=batch)


def records_import(*, board: Board, user, source: str, content: str, filename: str = "",
                   commit: bool = True, batch: ImportBatch | None = None) -> Plan:
    """Import a FHIR bundle or an HL7 v2 message into `board`: all of it, or nothing.

    The same file twice creates nothing new (each row is linked to its source). With
    errors, or with `commit=False` (a dry run), nothing is written and the plan lists
    what would change. Imports into one board run one at a time (the board row is
    locked), so two uploads of the same file cannot both create its rows."""
    _may_import(user, board)
    with transaction.atomic():
        Board.objects.select_for_update().filter(pk=board.pk).first()
        plan = _import_plan(board=board, source=source, content=content)
        if not plan.ok or not commit:
            return plan
        if batch is None:
            batch = ImportBatch(board=board, uploaded_by=user, source=source,
                                filename=filename[:200],
                                sha256=hashlib.sha256(content.encode("utf-8")).hexdigest())
        batch.save()
        with pghistory.context(import_batch=batch.pk, import_source=source):
            counts = apply_plan(plan, batch=batch)
            batch.status = ImportBatch.Status.IMPORTED
            batch.imported_at = timezone.now()
            batch.counts = counts
            batch.content = ""
            batch.save()
    return plan
