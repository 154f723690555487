"""Writes of the reminders app: scheduling and acting on a reminder (dispatch and
delivery, the sending half, are `reminders.delivery`).

Every function is keyword-only and runs in a transaction. Pages, the API and the Celery
tasks validate input and call one of these.

- `decision_sign_and_schedule` — the chair signs; the follow-up is scheduled in the
  same transaction (the page and the API call this, never `decision_sign` alone).
- `schedule_for_decision` — idempotent; for an amendment it also cancels what no
  longer applies and revives what applies again.
- `meeting_preparation_schedule` / `meetings_prepare_upcoming` — agenda circulation
  and missing-data requests.
- `reminder_mark_done`, `reminder_snooze`, `reminder_cancel`.
- `reminder_retry` — a failed reminder (and its failed copies) back to pending.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cases import services as cases_services
from cases.actions import action_summary, fingerprint
from cases.choices import BoardRole, DecisionItemVerdict, MeetingStatus
from cases.models import AgendaItem, Decision, Meeting
from recommendations.selectors import current_drafts
from reminders import delivery
from reminders.choices import (
    LIVE_STATUSES,
    OPEN_STATUSES,
    ActionStatus,
    NotDoneReason,
    ReminderKind,
    ReminderStatus,
)
from reminders.models import ActionFollowUp, Reminder
from reminders.schedules import (
    MAX_REMINDERS_PER_DECISION,
    ActionView,
    ReminderLimitExceeded,
    specs_for_actions,
)

logger = logging.getLogger(__name__)

#: Reminders go out at 09:00 clinic time on their due date.
SEND_AT_LOCAL = time(9, 0)
#: The agenda goes out two days before the meeting (so always ≥ 24 h ahead) and the
#: second missing-data request the day before (rules-reference section 9).
AGENDA_DAYS_BEFORE = 2
MISSING_DATA_DAYS_BEFORE = 1
#: How far ahead the periodic sweep prepares meetings.
PREPARE_DAYS_AHEAD = 8


def clinic_zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def local_due_at(day: date) -> datetime:
    """09:00 clinic-local on `day`, as an aware datetime (stored as UTC). Computed from
    the local date every time, so a reminder stays at 09:00 across DST changes."""
    return datetime.combine(day, SEND_AT_LOCAL, tzinfo=clinic_zone())


def local_date(moment: datetime) -> date:
    return moment.astimezone(clinic_zone()).date()


# --- Scheduling from a signed decision --------------------------------------------------

@dataclass
class ScheduleResult:
    """What scheduling changed: new rows, rows revived, rows cancelled, rows kept."""

    created: list[Reminder] = field(default_factory=list)
    revived: list[Reminder] = field(default_factory=list)
    cancelled: list[Reminder] = field(default_factory=list)
    kept: list[Reminder] = field(default_factory=list)


def _decision_key(kind: str, agenda_item_id: int, due_on: date) -> str:
    # Source = the case on the agenda (stable across amendments, whose items are new
    # rows): the same reminder for the same case on the same day is one reminder.
    return f"{kind}:ai{agenda_item_id}:{due_on.isoformat()}"


def _responsible(agenda_item: AgendaItem) -> tuple[int | None, str]:
    """Who follows a decision up: the clinician who presented the case, else the
    board's coordinators."""
    if agenda_item.presenting_clinician_id:
        return agenda_item.presenting_clinician_id, ""
    return None, BoardRole.COORDINATOR


def _action_views(items) -> list[ActionView]:
    """The signed version's actions, in order; rejected items are no action."""
    return [
        ActionView(index=index, action=item.action,
                   by_board=item.verdict in (DecisionItemVerdict.MODIFIED,
                                             DecisionItemVerdict.ADDED))
        for index, item in enumerate(items)
    ]


def _own_date(action) -> date | None:
    for key in ("due_on", "recheck_on", "start_on", "first_dose_on"):
        if action.get(key):
            return date.fromisoformat(action[key])
    return None


def _follow_ups_for(decision: Decision, items, first_due: dict[int, date], signed_on: date
                    ) -> None:
    """One follow-up row per action of this signed version; an amendment carries the
    state of each unchanged action over and supersedes the earlier version's rows."""
    previous: dict[str, ActionFollowUp] = {}
    if decision.amends_id:
        earlier = list(ActionFollowUp.objects.select_for_update().filter(
            decision_id=decision.amends_id).select_related("decision_item"))
        for row in earlier:
            previous.setdefault(fingerprint(row.decision_item.action), row)
    rows = []
    for item in items:
        if item.pk in {r.decision_item_id for r in rows}:
            continue
        due = first_due.get(item.pk) or _own_date(item.action) or signed_on
        row = ActionFollowUp(
            decision_item=item, decision=decision, agenda_item_id=decision.agenda_item_id,
            board_id=decision.agenda_item.meeting.board_id,
            patient_id=decision.agenda_item.patient_id, kind=item.action_kind,
            summary=action_summary(item.action)[:600], due_on=due, signed_on=signed_on,
        )
        carried = previous.pop(fingerprint(item.action), None)
        if carried is not None and carried.status != ActionStatus.SUPERSEDED:
            row.status, row.done_on, row.done_by_id = (carried.status, carried.done_on,
                                                       carried.done_by_id)
            row.not_done_reason, row.not_done_text = (carried.not_done_reason,
                                                      carried.not_done_text)
        rows.append(row)
    if decision.amends_id:
        ActionFollowUp.objects.filter(decision_id=decision.amends_id).update(
            status=ActionStatus.SUPERSEDED)
    ActionFollowUp.objects.bulk_create(rows, ignore_conflicts=True)


@transaction.atomic
def schedule_for_decision(*, decision: Decision) -> ScheduleResult:
    """Create the reminders a signed decision's actions need (idempotent), through the
    one table of `reminders.schedules`, and the follow-up row of each action.

    For an amendment the reminders are rescheduled from the difference: live reminders
    of earlier versions of the same case that the new version no longer needs are
    cancelled with the amendment's reason, those it still needs (same kind, same day)
    are kept — sent ones too — and re-pointed at it, and ones an earlier amendment
    cancelled come back.
    """
    decision = Decision.objects.select_related(
        "agenda_item__meeting", "agenda_item__patient"
    ).get(pk=decision.pk)
    if not decision.is_signed:
        raise ValidationError({"decision": "Only a signed decision schedules follow-up."})
    agenda_item = decision.agenda_item
    signed_on = local_date(decision.signed_at)
    user_id, role = _responsible(agenda_item)

    items = [item for item in decision.items.order_by("position", "id") if item.action_kind]
    try:
        specs = specs_for_actions(_action_views(items), signed_on=signed_on)
    except ReminderLimitExceeded as error:
        raise ValidationError({"items": (
            f"This decision would create {error.count} reminders; at most "
            f"{MAX_REMINDERS_PER_DECISION} are allowed. Plan fewer doses or split the "
            "follow-up.")}) from error
    wanted: dict[str, tuple[int, object]] = {}
    first_due: dict[int, date] = {}
    for index, spec in specs:
        key = _decision_key(spec.kind, agenda_item.pk, spec.due_on)
        wanted.setdefault(key, (items[index].pk, spec))
        first_due[items[index].pk] = min(spec.due_on, first_due.get(items[index].pk,
                                                                     spec.due_on))
    if not ActionFollowUp.objects.filter(decision=decision).exists():
        _follow_ups_for(decision, items, first_due, signed_on)

    result = ScheduleResult()
    existing = {
        r.idempotency_key: r
        for r in Reminder.objects.select_for_update().filter(
            agenda_item=agenda_item, decision__isnull=False
        )
    }
    now = timezone.now()
    reason = (
        f"No longer in the plan after amendment (decision version {decision.version}): "
        f"{decision.amendment_reason}" if decision.amends_id else
        f"No longer in the plan of decision version {decision.version}."
    )
    for key, reminder in existing.items():
        if reminder.decision_id == decision.pk:
            continue
        if key in wanted:
            item_id, _spec = wanted[key]
            if reminder.status == ReminderStatus.CANCELLED and reminder.cancelled_by_id is None:
                # An earlier amendment dropped it; this version wants it again.
                reminder.status = ReminderStatus.PENDING
                reminder.cancel_reason = ""
                reminder.cancelled_at = None
                reminder.next_attempt_at = max(reminder.due_at, now)
                result.revived.append(reminder)
            else:
                result.kept.append(reminder)
            reminder.decision_id, reminder.decision_item_id = decision.pk, item_id
            reminder.save()
        elif reminder.status in LIVE_STATUSES:
            reminder.status = ReminderStatus.CANCELLED
            reminder.cancel_reason = reason
            reminder.cancelled_at = now
            reminder.cancelled_by = None
            reminder.save()
            result.cancelled.append(reminder)

    new_rows = []
    for key, (item_id, spec) in wanted.items():
        if key in existing:
            continue
        due_at = local_due_at(spec.due_on)
        new_rows.append(Reminder(
            kind=spec.kind, board_id=agenda_item.meeting.board_id,
            patient_id=agenda_item.patient_id, meeting_id=agenda_item.meeting_id,
            agenda_item=agenda_item, decision=decision, decision_item_id=item_id,
            responsible_user_id=user_id, responsible_role=role,
            title=spec.title, detail=spec.detail, event_on=spec.event_on,
            due_on=spec.due_on, due_at=due_at, next_attempt_at=due_at,
            idempotency_key=key,
        ))
    # ON CONFLICT DO NOTHING: a concurrent scheduling of the same decision adds nothing.
    Reminder.objects.bulk_create(new_rows, ignore_conflicts=True)
    result.created = list(
        Reminder.objects.filter(idempotency_key__in=[r.idempotency_key for r in new_rows],
                                decision=decision)
    )
    return result


@transaction.atomic
def decision_sign_and_schedule(*, decision: Decision, chair) -> Decision:
    """The chair signs the decision and its follow-up is scheduled, all or nothing."""
    signed = cases_services.decision_sign(decision=decision, chair=chair)
    schedule_for_decision(decision=signed)
    return signed


# --- Meeting preparation ----------------------------------------------------------------

def _missing_count(draft) -> int:
    if draft is None:
        return 0
    return int(draft.missing_count or len((draft.output or {}).get("missing_data") or []))


@transaction.atomic
def meeting_preparation_schedule(*, meeting: Meeting, now: datetime | None = None
                                 ) -> ScheduleResult:
    """The agenda to each invited member two days before the meeting (with an .ics),
    and to each presenting clinician of a not-ready case a missing-data request now
    (when the agenda is built) and the day before. Idempotent; call it whenever the
    agenda changes (the periodic sweep does). Rows for a date or a case that no longer
    applies are cancelled."""
    now = now or timezone.now()
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    result = ScheduleResult()
    wanted: dict[str, Reminder] = {}
    if meeting.status != MeetingStatus.CANCELLED and meeting.starts_at > now:
        meeting_day = local_date(meeting.starts_at)
        today = local_date(now)
        agenda_day = meeting_day - timedelta(days=AGENDA_DAYS_BEFORE)
        # Circulated by hand (`agenda_circulate`): sent at once and keyed by when, so
        # circulating again after a change sends the new agenda once more; it replaces
        # the automatic circulation two days before.
        sent = meeting.agenda_circulated_at
        for attendance in meeting.attendances.select_related("user"):
            if not attendance.user.email:
                continue
            if sent is None:
                key = f"agenda_circulation:m{meeting.pk}:u{attendance.user_id}:{agenda_day}"
                due_on, due_at = agenda_day, local_due_at(agenda_day)
            else:
                key = (f"agenda_circulation:m{meeting.pk}:u{attendance.user_id}:"
                       f"sent-{sent:%Y%m%dT%H%M%S}")
                due_on, due_at = local_date(sent), sent
            wanted[key] = Reminder(
                kind=ReminderKind.AGENDA_CIRCULATION, board_id=meeting.board_id,
                meeting=meeting, responsible_user_id=attendance.user_id,
                title="Agenda of the board meeting", event_on=meeting_day,
                due_on=due_on, due_at=due_at, idempotency_key=key,
            )
        items = list(meeting.agenda_items.filter(presenting_clinician__isnull=False))
        drafts = current_drafts(agenda_item_ids=[i.pk for i in items])
        day_before = meeting_day - timedelta(days=MISSING_DATA_DAYS_BEFORE)
        for item in items:
            if _missing_count(drafts.get(item.pk)) == 0:
                continue
            for when, due_on in (("built", today), (day_before.isoformat(), day_before)):
                key = f"missing_data_request:ai{item.pk}:u{item.presenting_clinician_id}:{when}"
                wanted[key] = Reminder(
                    kind=ReminderKind.MISSING_DATA_REQUEST, board_id=meeting.board_id,
                    meeting=meeting, agenda_item=item, patient_id=item.patient_id,
                    responsible_user_id=item.presenting_clinician_id,
                    title="Missing data for a case on the next board meeting",
                    event_on=meeting_day, due_on=due_on,
                    due_at=now if when == "built" else local_due_at(due_on),
                    idempotency_key=key,
                )
    for reminder in wanted.values():
        reminder.next_attempt_at = max(reminder.due_at, now)

    existing = Reminder.objects.select_for_update().filter(
        meeting=meeting, kind__in=[ReminderKind.AGENDA_CIRCULATION,
                                   ReminderKind.MISSING_DATA_REQUEST],
    )
    existing_keys = set()
    for reminder in existing:
        existing_keys.add(reminder.idempotency_key)
        if reminder.idempotency_key not in wanted and reminder.status == ReminderStatus.PENDING:
            reminder.status = ReminderStatus.CANCELLED
            reminder.cancel_reason = (
                "The meeting was cancelled or moved, or the case is no longer on the "
                "agenda, not missing data, or has no presenting clinician."
            )
            reminder.cancelled_at = now
            reminder.save()
            result.cancelled.append(reminder)
    new_rows = [r for k, r in wanted.items() if k not in existing_keys]
    Reminder.objects.bulk_create(new_rows, ignore_conflicts=True)
    result.created = new_rows
    return result


@transaction.atomic
def agenda_circulate(*, meeting: Meeting, by, again: bool = False) -> ScheduleResult:
    """Send the agenda to every invited member now, with a link and an .ics invite, and
    ask each presenting clinician of a not-ready case for the missing data.

    Circulating again re-sends every invite, so a second circulation must be asked
    for (`again=True`, after the page named who already has it)."""
    if not by.has_perm("cases.manage_meeting", meeting):
        raise PermissionDenied("Only the board's coordinators and chair circulate the agenda.")
    if meeting.agenda_circulated_at is not None and not again:
        sent = timezone.localtime(meeting.agenda_circulated_at)
        raise ValidationError({"again": (
            f"The agenda was already circulated on {sent:%-d %B %Y at %H:%M}. Confirm to "
            "send it to every attendee again.")})
    meeting = cases_services.meeting_mark_circulated(meeting=meeting)
    return meeting_preparation_schedule(meeting=meeting)


def meetings_prepare_upcoming(*, now: datetime | None = None) -> int:
    """Prepare every meeting of the next `PREPARE_DAYS_AHEAD` days (the beat sweep)."""
    now = now or timezone.now()
    meetings = Meeting.objects.filter(
        starts_at__gt=now, starts_at__lte=now + timedelta(days=PREPARE_DAYS_AHEAD)
    ).exclude(status=MeetingStatus.CANCELLED)
    count = 0
    for meeting in meetings:
        meeting_preparation_schedule(meeting=meeting, now=now)
        count += 1
    return count


# --- Acting on a reminder ---------------------------------------------------------------

def _locked_for(reminder: Reminder, user) -> Reminder:
    if not user.has_perm("cases.act_on_reminder", reminder):
        raise PermissionDenied("Only members of this board act on its reminders.")
    return Reminder.objects.select_for_update().get(pk=reminder.pk)


@transaction.atomic
def reminder_mark_done(*, reminder: Reminder, user) -> Reminder:
    reminder = _locked_for(reminder, user)
    if reminder.status in (ReminderStatus.CANCELLED, ReminderStatus.DONE):
        raise ValidationError({"status": f"This reminder is already {reminder.status}."})
    reminder.status = ReminderStatus.DONE
    reminder.done_at, reminder.done_by = timezone.now(), user
    reminder.save()
    _complete_action_if_last(reminder=reminder, user=user)
    return reminder


def _complete_action_if_last(*, reminder: Reminder, user) -> None:
    """The action's last open reminder done: the action is done (today, by this user)."""
    if reminder.decision_item_id is None:
        return
    still_open = Reminder.objects.filter(
        decision_item_id=reminder.decision_item_id, status__in=OPEN_STATUSES
    ).exclude(pk=reminder.pk).exists()
    if not still_open:
        ActionFollowUp.objects.filter(
            decision_item_id=reminder.decision_item_id, status=ActionStatus.PLANNED
        ).update(status=ActionStatus.DONE, done_on=local_date(timezone.now()),
                 done_by=user, updated_at=timezone.now())


@transaction.atomic
def reminder_snooze(*, reminder: Reminder, user, until: datetime) -> Reminder:
    """Send it (again) at `until`: back to pending, picked up by the dispatcher then."""
    reminder = _locked_for(reminder, user)
    now = timezone.now()
    if reminder.status in (ReminderStatus.CANCELLED, ReminderStatus.DONE):
        raise ValidationError({"status": f"A {reminder.status} reminder cannot be snoozed."})
    if until <= now:
        raise ValidationError({"until": "Snooze until a time in the future."})
    if until > now + timedelta(days=366):
        raise ValidationError({"until": "Snooze for at most a year."})
    reminder.status = ReminderStatus.PENDING
    reminder.snoozed_until = until
    reminder.next_attempt_at = until
    reminder.attempts = 0
    reminder.last_error = ""
    reminder.save()
    return reminder


@transaction.atomic
def reminder_cancel(*, reminder: Reminder, user, reason: str) -> Reminder:
    reminder = _locked_for(reminder, user)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the reminder is cancelled."})
    if reminder.status in (ReminderStatus.CANCELLED, ReminderStatus.DONE):
        raise ValidationError({"status": f"This reminder is already {reminder.status}."})
    reminder.status = ReminderStatus.CANCELLED
    reminder.cancel_reason = reason.strip()
    reminder.cancelled_at, reminder.cancelled_by = timezone.now(), user
    reminder.save()
    return reminder


# --- The closed loop: what happened to each signed action ------------------------------

def _follow_up_locked(follow_up: ActionFollowUp, user) -> ActionFollowUp:
    if not user.has_perm("cases.act_on_reminder", follow_up):
        raise PermissionDenied("Only members of this board record what was done.")
    row = ActionFollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if row.status == ActionStatus.SUPERSEDED:
        raise ValidationError({"status": "An amendment replaced this action; record it on "
                                         "the amended decision."})
    return row


@transaction.atomic
def action_mark_done(*, follow_up: ActionFollowUp, user, done_on: date) -> ActionFollowUp:
    """The action was carried out on `done_on`, recorded by `user`. Its reminders still
    open are done with it."""
    row = _follow_up_locked(follow_up, user)
    today = local_date(timezone.now())
    if done_on > today:
        raise ValidationError({"done_on": "The date it was done cannot be in the future."})
    if done_on < row.signed_on - timedelta(days=366):
        raise ValidationError({"done_on": "Give a date after the board's decision."})
    row.status, row.done_on, row.done_by = ActionStatus.DONE, done_on, user
    row.not_done_reason, row.not_done_text = "", ""
    row.save()
    Reminder.objects.filter(decision_item_id=row.decision_item_id,
                            status__in=LIVE_STATUSES).update(
        status=ReminderStatus.DONE, done_at=timezone.now(), done_by=user,
        updated_at=timezone.now())
    return row


@transaction.atomic
def action_mark_not_done(*, follow_up: ActionFollowUp, user, reason: str, text: str = ""
                         ) -> ActionFollowUp:
    """The action will not be carried out, for a structured reason (and words for
    "other"). Its reminders still waiting are cancelled with that reason."""
    row = _follow_up_locked(follow_up, user)
    if reason not in NotDoneReason.values:
        raise ValidationError({"reason": "Choose why it was not done."})
    if reason == NotDoneReason.OTHER and not text.strip():
        raise ValidationError({"text": "Say why it was not done."})
    row.status, row.done_on, row.done_by = ActionStatus.NOT_DONE, None, None
    row.not_done_reason, row.not_done_text = reason, text.strip()[:2000]
    row.save()
    label = NotDoneReason(reason).label
    Reminder.objects.filter(decision_item_id=row.decision_item_id,
                            status__in=LIVE_STATUSES).update(
        status=ReminderStatus.CANCELLED, cancelled_at=timezone.now(), cancelled_by=user,
        cancel_reason=f"Action not done: {label}" + (f" ({row.not_done_text})"
                                                      if row.not_done_text else ""),
        updated_at=timezone.now())
    return row


@transaction.atomic
def case_back_on_agenda(*, agenda_item: AgendaItem, meeting: Meeting, user) -> AgendaItem:
    """Put a case whose signed actions are overdue or not done on a meeting's agenda, in
    one step, with the question saying which actions."""
    if not user.has_perm("cases.act_on_reminder", agenda_item):
        raise PermissionDenied("Only members of this board put its cases on an agenda.")
    if meeting.board_id != agenda_item.meeting.board_id:
        raise ValidationError({"meeting": "Choose a meeting of the same board."})
    today = local_date(timezone.now())
    rows = list(ActionFollowUp.objects.filter(agenda_item=agenda_item).filter(
        Q(status=ActionStatus.NOT_DONE) | Q(status=ActionStatus.PLANNED, due_on__lt=today)
    ).order_by("due_on", "id"))
    if not rows:
        raise ValidationError({"agenda_item": "This case has no overdue or not-done action."})
    lines = []
    for r in rows:
        state = (f"not done: {r.get_not_done_reason_display()}"
                 if r.status == ActionStatus.NOT_DONE else f"overdue since {r.due_on}")
        lines.append(f"- {r.summary} ({state})")
    question = "Review the signed plan: actions overdue or not done.\n" + "\n".join(lines)
    return cases_services.agenda_item_add(meeting=meeting, patient=agenda_item.patient,
                                          question=question[:4000],
                                          presenting_clinician=agenda_item.presenting_clinician)


@transaction.atomic
def reminder_retry(*, reminder: Reminder, user) -> Reminder:
    """Someone fixed the cause of a permanent failure (a clinician's address, say): send
    it again. Back to pending with its attempts reset; the dispatcher picks it up on its
    next run. The last error stays on the row until the next attempt replaces it."""
    reminder = _locked_for(reminder, user)
    if reminder.status != ReminderStatus.FAILED:
        raise ValidationError({"status": "Only a failed reminder can be sent again; this "
                                         f"one is {reminder.get_status_display().lower()}."})
    reminder.status = ReminderStatus.PENDING
    reminder.attempts = 0
    reminder.claimed_at = None
    reminder.next_attempt_at = timezone.now()
    reminder.save()
    delivery.deliveries_reset_failed(reminder=reminder)
    return reminder

