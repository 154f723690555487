"""The meeting's life cycle in the services (issue 15, item 4): the board signs from
the meeting's day on, never before; a held meeting's agenda no longer changes; a case
moves to position N in one step."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ValidationError

from cases.choices import MeetingStatus
from cases.services import (
    agenda_item_add,
    agenda_item_remove,
    agenda_lock,
    agenda_move_to,
    agenda_reorder,
    agenda_unlock,
    decision_record,
    decision_sign,
    meeting_create,
    meeting_mark_circulated,
    meeting_mark_held,
    signing_refusal,
)
from cases.tests.factories import PatientFactory

MEETING_DAY = dt.date(2026, 3, 10)
ITEMS = [{"title": "Radiotherapy 8 Gy in 1 fraction to T8", "verdict": "added"}]


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=ZoneInfo(settings.TIME_ZONE))


@pytest.fixture
def meeting(board, coordinator, chair):
    with time_machine.travel(local(MEETING_DAY - dt.timedelta(days=7), 9), tick=False):
        return meeting_create(board=board, starts_at=local(MEETING_DAY, 16))


def _decision(meeting, coordinator, board):
    item = agenda_item_add(meeting=meeting, patient=PatientFactory(board=board),
                           question="Radiotherapy for T8?")
    return decision_record(agenda_item=item, recorded_by=coordinator, items=ITEMS,
                           outcome_summary="Radiotherapy")


def test_signing_is_refused_the_evening_before_the_meeting(meeting, coordinator, chair,
                                                            board):
    decision = _decision(meeting, coordinator, board)
    with time_machine.travel(local(MEETING_DAY - dt.timedelta(days=1), 23, 30), tick=False):
        with pytest.raises(ValidationError) as refused:
            decision_sign(decision=decision, chair=chair)
    assert refused.value.message_dict == {"decision": [
        "Signing opens on the day of the meeting, Tuesday 10 March 2026: the board signs "
        "what it decided at the meeting, not before."]}
    decision.refresh_from_db()
    assert not decision.is_signed


@pytest.mark.parametrize("when", [local(MEETING_DAY, 0, 5), local(MEETING_DAY, 17),
                                  local(MEETING_DAY + dt.timedelta(days=2), 9)],
                         ids=["day 0 before the start", "day 0 after", "day +2"])
def test_signing_is_allowed_from_the_meeting_day_on(meeting, coordinator, chair, board, when):
    decision = _decision(meeting, coordinator, board)
    with time_machine.travel(when, tick=False):
        assert signing_refusal(meeting=meeting) == ""
        assert decision_sign(decision=decision, chair=chair).is_signed


def test_a_cancelled_meetings_cases_are_not_signed(meeting, coordinator, chair, board):
    decision = _decision(meeting, coordinator, board)
    meeting.status = MeetingStatus.CANCELLED
    meeting.save(update_fields=["status"])
    with time_machine.travel(local(MEETING_DAY, 17), tick=False):
        with pytest.raises(ValidationError, match="cancelled"):
            decision_sign(decision=decision, chair=chair)


def test_a_meeting_is_held_from_its_day_on_and_then_locked(meeting, board):
    agenda_item_add(meeting=meeting, patient=PatientFactory(board=board), question="RT?")
    with time_machine.travel(local(MEETING_DAY - dt.timedelta(days=1), 12), tick=False):
        with pytest.raises(ValidationError, match="from its day on"):
            meeting_mark_held(meeting=meeting)
    with time_machine.travel(local(MEETING_DAY, 18), tick=False):
        held = meeting_mark_held(meeting=meeting)
    assert (held.status, held.is_held, held.is_locked) == (MeetingStatus.HELD, True, True)
    with pytest.raises(ValidationError, match="already"):
        meeting_mark_held(meeting=held)


def test_a_held_meetings_agenda_no_longer_changes(meeting, board):
    first = agenda_item_add(meeting=meeting, patient=PatientFactory(board=board), question="A?")
    second = agenda_item_add(meeting=meeting, patient=PatientFactory(board=board), question="B?")
    with time_machine.travel(local(MEETING_DAY, 18), tick=False):
        meeting_mark_held(meeting=meeting)
    meeting.refresh_from_db()
    refusals = [
        lambda: agenda_unlock(meeting=meeting),
        lambda: agenda_lock(meeting=meeting),
        lambda: meeting_mark_circulated(meeting=meeting),
        lambda: agenda_item_add(meeting=meeting, patient=PatientFactory(board=board),
                                question="C?"),
        lambda: agenda_item_remove(item=first),
        lambda: agenda_reorder(meeting=meeting, item_ids=[second.pk, first.pk]),
        lambda: agenda_move_to(meeting=meeting, item_id=second.pk, position=1),
    ]
    for refuse in refusals:
        with pytest.raises(ValidationError) as refused:
            refuse()
        assert "This meeting has been held" in refused.value.message_dict["meeting"][0]
    meeting.refresh_from_db()
    assert (meeting.status, meeting.agenda_items.count()) == (MeetingStatus.HELD, 2)
    assert list(meeting.agenda_items.order_by("position").values_list("pk", flat=True)) == [
        first.pk, second.pk]


def test_move_to_position_n_in_one_step_keeps_urgent_cases_first(meeting, board):
    items = [agenda_item_add(meeting=meeting, patient=PatientFactory(board=board),
                             question=f"Case {n}?") for n in range(1, 6)]
    urgent = agenda_item_add(meeting=meeting, patient=PatientFactory(board=board),
                             question="Cord compression?", urgent=True)
    order = agenda_move_to(meeting=meeting, item_id=items[4].pk, position=2)
    assert [i.pk for i in order] == [urgent.pk, items[4].pk, *[i.pk for i in items[:4]]]
    # Above the urgent case is not possible: it lands just below it.
    order = agenda_move_to(meeting=meeting, item_id=items[2].pk, position=1)
    assert [i.pk for i in order][:2] == [urgent.pk, items[2].pk]
    with pytest.raises(ValidationError) as refused:
        agenda_move_to(meeting=meeting, item_id=items[0].pk, position=7)
    assert refused.value.message_dict == {"position": ["Give a position from 1 to 6."]}
