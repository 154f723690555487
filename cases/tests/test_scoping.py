"""A user sees only the patients (and their meetings, agenda items and decisions) of the
boards they belong to; anyone else gets an empty list and a 404, never a 403."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.utils import timezone

from cases import scoping
from cases.choices import BoardRole, DecisionItemVerdict, Specialty
from cases.models import BoardMembership
from cases.services import (
    agenda_item_add,
    board_member_add,
    decision_record,
    decision_sign,
    meeting_create,
)
from cases.tests.api.conftest import token_client
from cases.tests.factories import PatientFactory, PrimaryCancerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(board, patient, coordinator, chair):
    """The board's patient on a meeting's agenda, with a signed decision."""
    meeting = meeting_create(board=board, starts_at=timezone.now())
    item = agenda_item_add(meeting=meeting, patient=patient, question="Radiotherapy?")
    decision = decision_record(
        agenda_item=item, recorded_by=coordinator, outcome_summary="8 Gy single fraction.",
        items=[{"title": "Radiotherapy 8 Gy in 1 fraction", "verdict": DecisionItemVerdict.ADDED}],
    )
    decision = decision_sign(decision=decision, chair=chair)
    return {"patient": patient, "meeting": meeting, "item": item, "decision": decision}


def _ids(queryset) -> list[int]:
    return sorted(queryset.values_list("pk", flat=True))


def test_an_outsider_sees_none_of_the_boards_records(case, outsider):
    assert _ids(scoping.patients_for(outsider)) == []
    assert _ids(scoping.meetings_for(outsider)) == []
    assert _ids(scoping.agenda_items_for(outsider)) == []
    assert _ids(scoping.decisions_for(outsider)) == []


def test_an_outsider_gets_a_404_for_the_boards_patient(case, outsider):
    with pytest.raises(Http404):
        scoping.get_patient_for(outsider, case["patient"].pk)


def test_an_outsider_sees_their_own_boards_patient_only(case, outsider, other_board):
    theirs = PatientFactory(board=other_board)
    assert _ids(scoping.patients_for(outsider)) == [theirs.pk]
    assert scoping.get_patient_for(outsider, theirs.pk) == theirs
    assert _ids(scoping.boards_for(outsider)) == [other_board.pk]


def test_every_member_of_the_board_sees_the_case(case, coordinator, chair, spine_surgeon):
    for member in (coordinator, chair, spine_surgeon):
        assert _ids(scoping.patients_for(member)) == [case["patient"].pk]
        assert _ids(scoping.meetings_for(member)) == [case["meeting"].pk]
        assert _ids(scoping.agenda_items_for(member)) == [case["item"].pk]
        assert _ids(scoping.decisions_for(member)) == [case["decision"].pk]
        assert scoping.get_patient_for(member, case["patient"].pk) == case["patient"]


def test_a_member_of_two_boards_sees_both_without_duplicates(case, board, other_board):
    both = UserFactory(username="both_boards")
    board_member_add(board=board, user=both, role=BoardRole.SPECIALIST,
                     specialty=Specialty.RADIOLOGY)
    board_member_add(board=other_board, user=both, role=BoardRole.CHAIR,
                     specialty=Specialty.RADIOLOGY)
    theirs = PatientFactory(board=other_board)
    assert list(scoping.patients_for(both).order_by("pk").values_list("pk", flat=True)) == \
        sorted([case["patient"].pk, theirs.pk])


def test_an_anonymous_user_sees_nothing(case):
    anonymous = AnonymousUser()
    assert list(scoping.patients_for(anonymous)) == []
    assert list(scoping.meetings_for(anonymous)) == []
    assert list(scoping.agenda_items_for(anonymous)) == []
    assert list(scoping.decisions_for(anonymous)) == []
    assert list(scoping.boards_for(anonymous)) == []
    with pytest.raises(Http404):
        scoping.get_patient_for(anonymous, case["patient"].pk)


def test_a_user_on_no_board_sees_nothing(case):
    nobody = UserFactory(username="nobody")
    assert _ids(scoping.patients_for(nobody)) == []
    assert _ids(scoping.decisions_for(nobody)) == []


def test_a_superuser_on_no_board_does_not_see_patients_either(case, administrator):
    # Administrators manage accounts; clinical data is for the board's members.
    assert _ids(scoping.patients_for(administrator)) == []
    with pytest.raises(Http404):
        scoping.get_patient_for(administrator, case["patient"].pk)


@pytest.mark.parametrize("bad_pk", [999_999, "abc", None])
def test_a_missing_or_malformed_patient_id_is_a_404(case, chair, bad_pk):
    with pytest.raises(Http404):
        scoping.get_patient_for(chair, bad_pk)


def test_leaving_the_board_removes_access(case, spine_surgeon, board):
    spine_surgeon.board_memberships.filter(board=board).delete()
    assert _ids(scoping.patients_for(spine_surgeon)) == []


def test_object_permissions_follow_the_board_seat(case, chair, spine_surgeon, coordinator,
                                                  outsider):
    patient, decision, meeting = case["patient"], case["decision"], case["meeting"]
    assert chair.has_perm("cases.view_case", patient) is True
    assert outsider.has_perm("cases.view_case", patient) is False
    assert chair.has_perm("cases.sign_decision", decision) is True
    assert spine_surgeon.has_perm("cases.sign_decision", decision) is False
    assert coordinator.has_perm("cases.sign_decision", decision) is False
    assert coordinator.has_perm("cases.manage_meeting", meeting) is True
    assert spine_surgeon.has_perm("cases.manage_meeting", meeting) is False
    assert outsider.has_perm("cases.manage_meeting", meeting) is False
    assert spine_surgeon.has_perm("cases.change_clinical_data", patient) is True
    assert outsider.has_perm("cases.change_clinical_data", patient) is False


def test_a_second_patient_of_the_board_is_visible_to_members_only(board, chair, outsider):
    first = PatientFactory(board=board)
    second = PatientFactory(board=board)
    PrimaryCancerFactory(patient=second)
    assert _ids(scoping.patients_for(chair)) == sorted([first.pk, second.pk])
    assert _ids(scoping.patients_for(outsider)) == []


@pytest.mark.parametrize("boards", [[], ["board"], ["board", "other_board"]])
def test_board_ids_read_with_the_user_scope_exactly_as_the_membership_join(
        request, case, other_board, boards):
    """Token authentication reads the user's board IDs with the user
    (`member_board_ids`); every scoped queryset then filters on that list instead of
    joining the memberships, and must give the same rows."""
    user = UserFactory(username="member")
    for name in boards:
        board_member_add(board=request.getfixturevalue(name), user=user,
                         role=BoardRole.SPECIALIST, specialty=Specialty.RADIOLOGY)
    PatientFactory(board=other_board)
    fresh = type(user).objects.get(pk=user.pk)
    read = type(user).objects.get(pk=user.pk)
    read.member_board_ids = list(
        BoardMembership.objects.filter(user=read).values_list("board_id", flat=True))
    for scoped in (scoping.boards_for, scoping.patients_for, scoping.meetings_for,
                   scoping.agenda_items_for, scoping.decisions_for):
        assert _ids(scoped(read)) == _ids(scoped(fresh)), scoped.__name__
    assert bool(_ids(scoping.patients_for(read))) == ("board" in boards)


def test_token_requests_see_a_membership_change_at_once(board, patient, spine_surgeon):
    client = token_client(spine_surgeon)
    assert [p["id"] for p in client.get("/api/v1/patients/").json()["results"]] == [patient.pk]
    BoardMembership.objects.filter(user=spine_surgeon).delete()
    assert client.get("/api/v1/patients/").json()["results"] == []
    assert client.get(f"/api/v1/patients/{patient.pk}/").status_code == 404
