"""Reads of the reminders app, each scoped through `cases.scoping` and in a fixed
number of queries whatever the number of rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import TruncMonth
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cases import scoping
from cases.choices import BoardRole
from reminders.choices import OPEN_STATUSES, ActionStatus, ReminderKind, ReminderStatus
from reminders.models import ActionFollowUp, Delivery, Reminder

_RELATED = ("patient", "board", "meeting", "responsible_user", "agenda_item")


def reminders_visible_to(user) -> QuerySet[Reminder]:
    """Every reminder of the boards `user` is a member of (the API's board scope)."""
    return Reminder.objects.filter(
        board_id__in=scoping.boards_for(user).values("id")
    ).select_related(*_RELATED)


def _my_condition(user) -> Q:
    # Mine: addressed to me, or to a role I hold on that board.
    condition = Q(responsible_user=user)
    for seat in user.board_memberships.all():
        condition |= Q(board_id=seat.board_id, responsible_user__isnull=True,
                       responsible_role=seat.role)
    return condition


def reminders_for_user(user, *, open_only: bool = True) -> QuerySet[Reminder]:
    """The reminders `user` is responsible for, soonest first."""
    if not user.is_authenticated:
        return Reminder.objects.none()
    queryset = reminders_visible_to(user).filter(_my_condition(user))
    if open_only:
        queryset = queryset.filter(status__in=OPEN_STATUSES)
    return queryset.order_by("due_at", "id")


def overdue_and_failed_for_coordinator(user) -> QuerySet[Reminder]:
    """For the coordinators (and chairs) of a board: its failed reminders, and the open
    ones whose date has passed without anyone marking them done."""
    if not user.is_authenticated:
        return Reminder.objects.none()
    board_ids = [
        seat.board_id for seat in user.board_memberships.all()
        if seat.role in (BoardRole.COORDINATOR, BoardRole.CHAIR)
    ]
    today = timezone.localdate()
    overdue = Q(status__in=(ReminderStatus.PENDING, ReminderStatus.CLAIMED,
                            ReminderStatus.SENT)) & (
        Q(event_on__lt=today) | Q(event_on__isnull=True, due_on__lt=today)
    )
    return (
        Reminder.objects.filter(board_id__in=board_ids)
        .filter(Q(status=ReminderStatus.FAILED) | overdue)
        .select_related(*_RELATED)
        .annotate(failed_first=Case(When(status=ReminderStatus.FAILED, then=Value(0)),
                                    default=Value(1), output_field=IntegerField()))
        .order_by("failed_first", "due_at", "id")
    )


def reminder_history_for_patient(*, user, patient) -> list[Reminder]:
    """Every reminder about one patient, newest due first (for the patient page).
    The caller has already fetched `patient` through `cases.scoping` and recorded the
    access; an outsider gets an empty list here anyway."""
    return list(
        reminders_visible_to(user).filter(patient=patient).order_by("-due_at", "-id")
    )


def reminder_for(user, public_id) -> Reminder:
    """One reminder of the user's boards, or 404."""
    from django.http import Http404

    try:
        return reminders_visible_to(user).get(public_id=public_id)
    except (Reminder.DoesNotExist, ValueError, TypeError):
        raise Http404("No such reminder.") from None


def deliveries_of(reminder: Reminder) -> list[Delivery]:
    """Each recipient's copy of a reminder, newest sending first (the caller has fetched
    the reminder through `reminder_for`, so it is one of the user's boards)."""
    return list(Delivery.objects.filter(reminder=reminder).order_by("-round", "address"))


# --- Follow-through: what happened to the signed actions ---------------------------------

#: Rows shown per section of the follow-through page (the counts cover every row).
FOLLOW_THROUGH_ROWS = 100


@dataclass
class FollowThrough:
    """One board's signed actions by state, and its implementation rate.

    The rate is done ÷ (done + not done + overdue): of the actions that should have
    happened by now, the share that did. Superseded actions are left out (the
    amendment's own actions count instead)."""

    board: Any
    today: date
    counts: dict[str, int]
    overdue: list[ActionFollowUp]
    open: list[ActionFollowUp]
    done: list[ActionFollowUp]
    not_done: list[ActionFollowUp]
    months: list[dict[str, Any]]

    @property
    def rate(self) -> float | None:
        due = self.counts["done"] + self.counts["not_done"] + self.counts["overdue"]
        return self.counts["done"] / due if due else None


def _rate(done: int, due: int) -> float | None:
    return done / due if due else None


def follow_through_for_board(*, user, board_id: int, today: date | None = None
                             ) -> FollowThrough:
    """A board's follow-through in a fixed number of queries (6) however many actions:
    one count, four capped lists, one monthly breakdown. Another board's is a 404."""
    board = get_object_or_404(scoping.boards_for(user), pk=board_id)
    today = today or timezone.localdate()
    rows = ActionFollowUp.objects.filter(board_id=board.pk).exclude(
        status=ActionStatus.SUPERSEDED)
    overdue_q = Q(status=ActionStatus.PLANNED, due_on__lt=today)
    counts = rows.aggregate(
        overdue=Count("id", filter=overdue_q),
        open=Count("id", filter=Q(status=ActionStatus.PLANNED, due_on__gte=today)),
        done=Count("id", filter=Q(status=ActionStatus.DONE)),
        not_done=Count("id", filter=Q(status=ActionStatus.NOT_DONE)),
    )
    related = rows.select_related("patient", "done_by")
    limit = FOLLOW_THROUGH_ROWS
    months = [
        {**m, "rate": _rate(m["done"], m["done"] + m["not_done"] + m["overdue"])}
        for m in rows.annotate(month=TruncMonth("signed_on")).values("month").annotate(
            done=Count("id", filter=Q(status=ActionStatus.DONE)),
            not_done=Count("id", filter=Q(status=ActionStatus.NOT_DONE)),
            overdue=Count("id", filter=overdue_q),
            total=Count("id"),
        ).order_by("-month")[:24]
    ]
    return FollowThrough(
        board=board, today=today, counts=counts,
        overdue=list(related.filter(overdue_q).order_by("due_on", "id")[:limit]),
        open=list(related.filter(status=ActionStatus.PLANNED, due_on__gte=today)
                  .order_by("due_on", "id")[:limit]),
        done=list(related.filter(status=ActionStatus.DONE).order_by("-done_on", "-id")[:limit]),
        not_done=list(related.filter(status=ActionStatus.NOT_DONE)
                      .order_by("-updated_at", "-id")[:limit]),
        months=months,
    )


def follow_ups_for_patient(*, user, patient) -> list[ActionFollowUp]:
    """The patient's signed actions and their state (latest versions first)."""
    if not scoping.boards_for(user).filter(pk=patient.board_id).exists():
        return []
    return list(ActionFollowUp.objects.filter(patient=patient)
                .exclude(status=ActionStatus.SUPERSEDED)
                .select_related("done_by").order_by("-signed_on", "due_on", "id"))


def follow_up_for(user, pk: int) -> ActionFollowUp:
    return get_object_or_404(
        ActionFollowUp.objects.filter(board_id__in=scoping.boards_for(user).values("id"))
        .select_related("agenda_item__meeting", "patient"), pk=pk)


def agenda_recipients(*, meeting) -> list[Reminder]:
    """Who the agenda of this meeting was already sent to (or is being sent to): the
    agenda emails not cancelled, newest first, with the member. One query. The page
    asks before circulating again and names them."""
    return list(
        Reminder.objects.filter(meeting=meeting, kind=ReminderKind.AGENDA_CIRCULATION,
                                status__in=(ReminderStatus.SENT, ReminderStatus.CLAIMED))
        .select_related("responsible_user")
        .order_by("responsible_user__last_name", "responsible_user__username", "-due_at")
    )
