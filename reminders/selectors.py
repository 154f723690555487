"""Reads of the reminders app, each scoped through `cases.scoping` and in a fixed
number of queries whatever the number of rows."""

from __future__ import annotations

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from cases import scoping
from cases.choices import BoardRole
from reminders.choices import OPEN_STATUSES, ReminderStatus
from reminders.models import Delivery, Reminder

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
