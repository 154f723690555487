"""Who may see what: the one place that scopes patient data to a user's boards.

Every page, API view, export and Celery task that reads patient data starts from one of
these querysets. A user who is not a member of the patient's board gets an empty list
and a 404 — never a 403 that confirms the patient exists.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from cases.choices import BoardRole
from cases.models import (
    AgendaItem,
    Board,
    BoardMembership,
    Decision,
    Meeting,
    Patient,
)


def _read_board_ids(user) -> list[int] | None:
    """The IDs of the user's boards when they were read with the user in this request
    (the API's token authentication does, in its one query: `member_board_ids`), else
    None — then each queryset below joins the memberships itself. A list filter is
    cheaper to compile and to plan than the join."""
    return getattr(user, "member_board_ids", None)


def boards_for(user) -> QuerySet[Board]:
    if not user.is_authenticated:
        return Board.objects.none()
    board_ids = _read_board_ids(user)
    if board_ids is not None:
        return Board.objects.filter(pk__in=board_ids)
    return Board.objects.filter(memberships__user=user)


def patients_for(user) -> QuerySet[Patient]:
    return Patient.objects.visible_to(user)


def meetings_for(user) -> QuerySet[Meeting]:
    if not user.is_authenticated:
        return Meeting.objects.none()
    board_ids = _read_board_ids(user)
    if board_ids is not None:
        return Meeting.objects.filter(board_id__in=board_ids)
    return Meeting.objects.filter(board__memberships__user=user)


def agenda_items_for(user) -> QuerySet[AgendaItem]:
    if not user.is_authenticated:
        return AgendaItem.objects.none()
    board_ids = _read_board_ids(user)
    if board_ids is not None:
        return AgendaItem.objects.filter(meeting__board_id__in=board_ids)
    return AgendaItem.objects.filter(meeting__board__memberships__user=user)


def decisions_for(user) -> QuerySet[Decision]:
    if not user.is_authenticated:
        return Decision.objects.none()
    board_ids = _read_board_ids(user)
    if board_ids is not None:
        return Decision.objects.filter(agenda_item__meeting__board_id__in=board_ids)
    return Decision.objects.filter(agenda_item__meeting__board__memberships__user=user)


def get_patient_for(user, pk) -> Patient:
    """The patient `pk` if `user` may see them; otherwise 404 (not 403)."""
    try:
        return patients_for(user).get(pk=pk)
    except (Patient.DoesNotExist, ValueError, TypeError):
        raise Http404("No such patient.") from None


def membership(user, board_id: int) -> BoardMembership | None:
    """The user's seat on a board, or None. Cached per request on the user object."""
    if not user.is_authenticated:
        return None
    cache = user.__dict__.setdefault("_board_memberships", None)
    if cache is None:
        cache = {m.board_id: m for m in BoardMembership.objects.filter(user=user)}
        user.__dict__["_board_memberships"] = cache
    return cache.get(board_id)


def has_board_role(user, board_id: int, *roles: str) -> bool:
    seat = membership(user, board_id)
    return seat is not None and (not roles or seat.role in roles)


def is_chair(user, board_id: int) -> bool:
    return has_board_role(user, board_id, BoardRole.CHAIR)


def is_coordinator(user, board_id: int) -> bool:
    return has_board_role(user, board_id, BoardRole.COORDINATOR)
