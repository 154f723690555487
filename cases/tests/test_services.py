"""Agenda, lock, reorder and the board's decision: record, sign, immutability (down to
raw SQL), amendment and the SHA-256 of the signed content."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from cases.choices import AgendaItemStatus, BoardRole, DecisionItemVerdict, MeetingStatus
from cases.models import AgendaItem, Decision, DecisionItem, Lesion, Meeting, Patient
from cases.services import (
    agenda_item_add,
    agenda_item_remove,
    agenda_lock,
    agenda_reorder,
    agenda_unlock,
    board_member_add,
    clinical_row_delete,
    decision_amend,
    decision_canonical_content,
    decision_record,
    decision_sign,
    decision_verify,
    meeting_create,
)
from cases.tests.factories import PatientFactory, SpinalLesionFactory, UserFactory

pytestmark = pytest.mark.django_db

ITEMS = [
    {"code": "", "title": "Radiotherapy 8 Gy in 1 fraction to T8", "detail": "RT-01",
     "verdict": DecisionItemVerdict.ADDED},
    {"code": "", "title": "Denosumab 120 mg every 4 weeks", "detail": "",
     "verdict": DecisionItemVerdict.ADDED},
]


@pytest.fixture
def meeting(board, coordinator, chair, spine_surgeon):
    # Today: the board signs from the meeting's day on.
    return meeting_create(board=board, starts_at=timezone.now())


@pytest.fixture
def item(meeting, patient, spine_surgeon):
    return agenda_item_add(meeting=meeting, patient=patient, question="Stable spine?",
                           presenting_clinician=spine_surgeon)


@pytest.fixture
def decision(item, coordinator):
    return decision_record(agenda_item=item, recorded_by=coordinator, items=ITEMS,
                           outcome_summary="Radiotherapy and denosumab.")


@pytest.fixture
def signed(decision, chair):
    return decision_sign(decision=decision, chair=chair)


def _row(decision_id: int) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute("SELECT outcome_summary, signed_at, content_sha256 FROM cases_decision "
                       "WHERE id = %s", [decision_id])
        return cursor.fetchone()


def _item_rows(decision_id: int) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT position, title, verdict, reason FROM cases_decisionitem "
                       "WHERE decision_id = %s ORDER BY position", [decision_id])
        return cursor.fetchall()


# --- Meetings and agenda --------------------------------------------------------------

def test_meeting_create_invites_every_board_member(meeting, coordinator, chair, spine_surgeon):
    invited = sorted(meeting.attendances.values_list("user__username", flat=True))
    assert invited == ["chair", "coordinator", "spine_surgeon"]
    assert meeting.status == MeetingStatus.PLANNED


def test_agenda_add_puts_the_case_last(meeting, board):
    first = agenda_item_add(meeting=meeting, patient=PatientFactory(board=board), question="A?")
    second = agenda_item_add(meeting=meeting, patient=PatientFactory(board=board), question="B?")
    assert (first.position, second.position) == (1, 2)
    assert first.status == AgendaItemStatus.REFERRED


def test_agenda_add_refuses_a_patient_of_another_board(meeting, other_board):
    stranger = PatientFactory(board=other_board)
    with pytest.raises(ValidationError) as caught:
        agenda_item_add(meeting=meeting, patient=stranger, question="Radiotherapy?")
    assert caught.value.message_dict == {
        "patient": ["This patient is not under this meeting's board."]
    }
    assert AgendaItem.objects.count() == 0


def test_agenda_add_refuses_the_same_patient_twice(item, meeting, patient):
    with pytest.raises(ValidationError) as caught:
        agenda_item_add(meeting=meeting, patient=patient, question="Again?")
    assert caught.value.message_dict == {"patient": ["This patient is already on this agenda."]}
    assert list(AgendaItem.objects.values_list("pk", flat=True)) == [item.pk]


def test_agenda_add_refuses_an_empty_question_and_an_outside_presenter(meeting, patient,
                                                                       outsider):
    with pytest.raises(ValidationError) as caught:
        agenda_item_add(meeting=meeting, patient=patient, question="  ",
                        presenting_clinician=outsider)
    assert caught.value.message_dict == {
        "question": ["Say what the board is asked to decide."],
        "presenting_clinician": ["The presenting clinician is not on this board."],
    }
    assert AgendaItem.objects.count() == 0


def test_a_locked_agenda_refuses_new_cases_and_removals(item, meeting, board):
    agenda_lock(meeting=meeting)
    with pytest.raises(ValidationError) as caught:
        agenda_item_add(meeting=meeting, patient=PatientFactory(board=board), question="Late?")
    assert caught.value.message_dict == {
        "meeting": ["The agenda is locked; unlock it before changing the cases on it."]
    }
    with pytest.raises(ValidationError):
        agenda_item_remove(item=AgendaItem.objects.get(pk=item.pk))
    assert list(AgendaItem.objects.values_list("pk", flat=True)) == [item.pk]


def test_a_locked_agenda_refuses_reordering(item, meeting):
    agenda_lock(meeting=meeting)
    with pytest.raises(ValidationError):
        agenda_reorder(meeting=meeting, item_ids=[item.pk])


def test_lock_refuses_an_empty_agenda(meeting):
    with pytest.raises(ValidationError) as caught:
        agenda_lock(meeting=meeting)
    assert caught.value.message_dict == {"meeting": ["An empty agenda cannot be locked."]}
    meeting.refresh_from_db()
    assert (meeting.status, meeting.agenda_locked_at) == (MeetingStatus.PLANNED, None)


def test_lock_refuses_a_cancelled_meeting(item, meeting):
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.CANCELLED)
    with pytest.raises(ValidationError):
        agenda_lock(meeting=meeting)
    meeting.refresh_from_db()
    assert (meeting.status, meeting.agenda_locked_at) == (MeetingStatus.CANCELLED, None)


def test_lock_and_unlock(item, meeting):
    locked = agenda_lock(meeting=meeting)
    assert locked.status == MeetingStatus.LOCKED
    assert locked.agenda_locked_at is not None
    unlocked = agenda_unlock(meeting=meeting)
    assert (unlocked.status, unlocked.agenda_locked_at) == (MeetingStatus.PLANNED, None)


def test_reorder_puts_urgent_cases_first_and_keeps_the_given_order(meeting, board):
    a, b, c, d = (
        agenda_item_add(meeting=meeting, patient=PatientFactory(board=board), question="?",
                        urgent=urgent)
        for urgent in (False, True, False, True)
    )
    agenda_reorder(meeting=meeting, item_ids=[c.pk, a.pk, d.pk, b.pk])
    ordered = list(AgendaItem.objects.filter(meeting=meeting).order_by("position")
                   .values_list("pk", flat=True))
    assert ordered == [d.pk, b.pk, c.pk, a.pk]
    # The model's default ordering agrees with the positions.
    assert list(AgendaItem.objects.filter(meeting=meeting).values_list("pk", flat=True)) == \
        ordered


def test_reorder_needs_every_case_exactly_once(meeting, board):
    a = agenda_item_add(meeting=meeting, patient=PatientFactory(board=board), question="?")
    b = agenda_item_add(meeting=meeting, patient=PatientFactory(board=board), question="?")
    for ids in ([a.pk], [a.pk, a.pk], [a.pk, b.pk, 999_999]):
        with pytest.raises(ValidationError):
            agenda_reorder(meeting=meeting, item_ids=ids)
    assert list(AgendaItem.objects.order_by("position").values_list("pk", flat=True)) == \
        [a.pk, b.pk]


def test_a_case_with_a_decision_stays_on_the_agenda(decision, item):
    with pytest.raises(ValidationError):
        agenda_item_remove(item=item)
    assert AgendaItem.objects.filter(pk=item.pk).exists()


# --- Recording and signing ------------------------------------------------------------

def test_recording_a_decision_stores_its_items_in_order(decision, item):
    assert list(decision.items.values_list("position", "title", "verdict")) == [
        (1, "Radiotherapy 8 Gy in 1 fraction to T8", "added"),
        (2, "Denosumab 120 mg every 4 weeks", "added"),
    ]
    item.refresh_from_db()
    assert item.status == AgendaItemStatus.DISCUSSED


def test_recording_again_replaces_the_unsigned_decision(decision, item, coordinator):
    again = decision_record(agenda_item=item, recorded_by=coordinator,
                            items=[ITEMS[0]], outcome_summary="Radiotherapy only.")
    assert again.pk == decision.pk
    assert list(again.items.values_list("title", flat=True)) == [ITEMS[0]["title"]]


def test_a_deviation_needs_a_reason(item, coordinator):
    with pytest.raises(ValidationError) as caught:
        decision_record(agenda_item=item, recorded_by=coordinator, items=[
            {"code": "RT-01", "title": "8 Gy", "verdict": DecisionItemVerdict.REJECTED},
            {"title": "", "verdict": "maybe"},
        ])
    assert caught.value.message_dict == {
        "items.0.reason": ["Give the board's reason for this change."],
        "items.1.verdict": ["Choose accept, modify, reject or add."],
        "items.1.title": ["Every item needs a title."],
    }
    assert Decision.objects.count() == 0


@pytest.mark.parametrize("who", ["spine_surgeon", "coordinator", "outsider"])
def test_only_the_chair_signs_and_nothing_changes_otherwise(request, decision, item, who):
    someone = request.getfixturevalue(who)
    with pytest.raises(PermissionDenied):
        decision_sign(decision=decision, chair=someone)
    decision.refresh_from_db()
    assert (decision.signed_by_id, decision.signed_at, decision.content_sha256) == (None, None, "")
    item.refresh_from_db()
    assert item.status == AgendaItemStatus.DISCUSSED


def test_the_chair_of_another_board_cannot_sign(decision, other_board):
    other_chair = UserFactory(username="other_chair")
    board_member_add(board=other_board, user=other_chair, role=BoardRole.CHAIR)
    with pytest.raises(PermissionDenied):
        decision_sign(decision=decision, chair=other_chair)
    decision.refresh_from_db()
    assert decision.signed_at is None


def test_signing_records_signer_time_hash_and_decides_the_case(signed, chair, item):
    assert signed.signed_by_id == chair.pk
    assert signed.signed_at is not None
    expected = hashlib.sha256(decision_canonical_content(signed).encode("utf-8")).hexdigest()
    assert signed.content_sha256 == expected
    assert len(signed.content_sha256) == 64
    item.refresh_from_db()
    assert item.status == AgendaItemStatus.DECIDED


def test_the_canonical_content_is_sorted_compact_json_of_what_was_signed(signed, item, chair):
    content = json.loads(decision_canonical_content(signed))
    assert content["decision_id"] == signed.pk
    assert content["patient_id"] == item.patient_id
    assert content["signed_by_id"] == chair.pk
    assert [i["title"] for i in content["items"]] == [i["title"] for i in ITEMS]
    text = decision_canonical_content(signed)
    assert text == json.dumps(content, sort_keys=True, separators=(",", ":"),
                              ensure_ascii=False)


def test_signing_twice_is_refused(signed, chair):
    with pytest.raises(ValidationError):
        decision_sign(decision=signed, chair=chair)


def test_an_empty_decision_cannot_be_signed(item, coordinator, chair):
    empty = decision_record(agenda_item=item, recorded_by=coordinator, items=[])
    with pytest.raises(ValidationError) as caught:
        decision_sign(decision=empty, chair=chair)
    assert caught.value.message_dict == {
        "outcome_summary": ["A decision needs at least one item or an outcome summary."]
    }
    empty.refresh_from_db()
    assert empty.signed_at is None


def test_recording_over_a_signed_decision_is_refused(signed, item, coordinator):
    with pytest.raises(ValidationError):
        decision_record(agenda_item=item, recorded_by=coordinator, items=ITEMS)
    assert list(Decision.objects.values_list("pk", flat=True)) == [signed.pk]


# --- Immutability at the database -----------------------------------------------------

def test_the_orm_cannot_change_a_signed_decision(signed):
    before = _row(signed.pk)
    signed.outcome_summary = "Something else."
    with pytest.raises(DatabaseError), transaction.atomic():
        signed.save()
    assert _row(signed.pk) == before


def test_a_queryset_update_cannot_change_a_signed_decision(signed):
    before = _row(signed.pk)
    with pytest.raises(DatabaseError), transaction.atomic():
        Decision.objects.filter(pk=signed.pk).update(outcome_summary="Something else.")
    assert _row(signed.pk) == before


def test_raw_sql_cannot_update_or_delete_a_signed_decision(signed):
    before = _row(signed.pk)
    for statement in ("UPDATE cases_decision SET outcome_summary = 'tampered' WHERE id = %s",
                      "UPDATE cases_decision SET signed_at = NULL, signed_by_id = NULL, "
                      "content_sha256 = '' WHERE id = %s",
                      "DELETE FROM cases_decision WHERE id = %s"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [signed.pk])
    assert _row(signed.pk) == before
    assert decision_verify(Decision.objects.get(pk=signed.pk)) is True


def test_the_orm_cannot_delete_a_signed_decision(signed):
    with pytest.raises(DatabaseError), transaction.atomic():
        Decision.objects.filter(pk=signed.pk).delete()
    assert Decision.objects.filter(pk=signed.pk).exists()


def test_the_items_of_a_signed_decision_cannot_change(signed):
    before = _item_rows(signed.pk)
    first = signed.items.order_by("position").first()
    with pytest.raises(DatabaseError), transaction.atomic():
        DecisionItem.objects.filter(pk=first.pk).update(title="tampered")
    with pytest.raises(DatabaseError), transaction.atomic():
        first.verdict = DecisionItemVerdict.REJECTED
        first.reason = "changed our mind"
        first.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        DecisionItem.objects.filter(decision=signed).delete()
    with pytest.raises(DatabaseError), transaction.atomic():
        DecisionItem.objects.create(decision=signed, title="smuggled in",
                                    verdict=DecisionItemVerdict.ADDED)
    assert _item_rows(signed.pk) == before


def test_raw_sql_cannot_change_the_items_of_a_signed_decision(signed):
    before = _item_rows(signed.pk)
    for statement in (
        "UPDATE cases_decisionitem SET title = 'tampered' WHERE decision_id = %s",
        "DELETE FROM cases_decisionitem WHERE decision_id = %s",
        "INSERT INTO cases_decisionitem (decision_id, position, code, rule_id, title, detail, "
        "draft_detail, verdict, reason) VALUES (%s, 9, '', '', 'smuggled', '', '{}', "
        "'added', '')",
    ):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(statement, [signed.pk])
    assert _item_rows(signed.pk) == before


def test_an_unsigned_decision_can_still_be_edited(decision):
    Decision.objects.filter(pk=decision.pk).update(outcome_summary="Edited before signing.")
    decision.refresh_from_db()
    assert decision.outcome_summary == "Edited before signing."


# --- SHA-256 --------------------------------------------------------------------------

def test_the_hash_verifies_the_stored_decision(signed):
    assert decision_verify(Decision.objects.get(pk=signed.pk)) is True


def test_the_hash_no_longer_verifies_if_the_content_would_change(signed):
    fresh = Decision.objects.get(pk=signed.pk)
    original = decision_canonical_content(fresh)
    fresh.outcome_summary = "A different outcome."
    changed = decision_canonical_content(fresh)
    assert changed != original
    assert hashlib.sha256(changed.encode()).hexdigest() != signed.content_sha256
    assert decision_verify(fresh) is False


def test_an_unsigned_decision_does_not_verify(decision):
    assert decision_verify(decision) is False


# --- Amendments -----------------------------------------------------------------------

def test_an_amendment_needs_a_reason(signed, coordinator):
    with pytest.raises(ValidationError) as caught:
        decision_amend(decision=signed, recorded_by=coordinator, reason="   ")
    assert caught.value.message_dict == {
        "amendment_reason": ["Say why the decision is being amended."]
    }
    assert Decision.objects.count() == 1


def test_an_amendment_is_version_2_referencing_version_1(signed, coordinator, chair, item):
    before = _row(signed.pk)
    amendment = decision_amend(decision=signed, recorded_by=coordinator,
                               reason="Dose corrected after the meeting.")
    assert (amendment.version, amendment.amends_id) == (2, signed.pk)
    assert amendment.amendment_reason == "Dose corrected after the meeting."
    assert amendment.signed_at is None
    assert _item_rows(amendment.pk) == _item_rows(signed.pk)
    # Editing and signing the amendment leaves version 1 exactly as it was.
    decision_record(agenda_item=item, recorded_by=coordinator, items=[ITEMS[0]],
                    outcome_summary="Radiotherapy only.")
    signed_v2 = decision_sign(decision=amendment, chair=chair)
    assert decision_verify(signed_v2) is True
    assert _row(signed.pk) == before
    assert decision_verify(Decision.objects.get(pk=signed.pk)) is True
    assert Decision.objects.get(pk=signed.pk).amended_by == signed_v2


def test_an_unsigned_decision_is_not_amended(decision, coordinator):
    with pytest.raises(ValidationError):
        decision_amend(decision=decision, recorded_by=coordinator, reason="Typo.")
    assert Decision.objects.count() == 1


def test_a_version_is_amended_only_once(signed, coordinator):
    decision_amend(decision=signed, recorded_by=coordinator, reason="First correction.")
    with pytest.raises(ValidationError):
        decision_amend(decision=signed, recorded_by=coordinator, reason="Second correction.")
    assert Decision.objects.count() == 2


def test_the_database_refuses_an_amendment_without_a_reason(signed, coordinator):
    with pytest.raises(DatabaseError), transaction.atomic():
        Decision.objects.create(agenda_item_id=signed.agenda_item_id, version=2,
                                amends=signed, recorded_by=coordinator)
    assert Decision.objects.count() == 1


# --- Deleting rows --------------------------------------------------------------------

def test_clinical_row_delete_deletes_the_row(patient):
    lesion = SpinalLesionFactory(patient=patient)
    clinical_row_delete(instance=lesion)
    assert not Lesion.objects.filter(pk=lesion.pk).exists()


def test_clinical_row_delete_refuses_a_row_something_protected_refers_to(item, patient):
    # No clinical row is PROTECT-referenced today; a patient on an agenda is.
    lesion = SpinalLesionFactory(patient=patient)
    with pytest.raises(ValidationError) as refused:
        clinical_row_delete(instance=patient)
    assert refused.value.message_dict == {
        "__all__": ["This row cannot be deleted: agenda items still refer to it."]}
    assert Patient.objects.filter(pk=patient.pk).exists()
    assert Lesion.objects.filter(pk=lesion.pk).exists()
