"""Board settings that are engine inputs: the analgesia-review trigger (PAIN-03).

The value is validated on the 0–10 pain scale in the admin and by the database, and it
reaches the engine as the case facts' ``pain.analgesia_review_nrs``."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from boardsite.accounts_testing import verified_login
from cases.models import Board
from cases.tests.factories import PatientFactory
from recommendations.selectors import case_facts_for_patients

pytestmark = pytest.mark.django_db

RANGE = "The pain score that triggers an analgesia review is on the 0–10 scale."


def test_a_new_board_has_the_published_trigger(board):
    assert Board.objects.get(pk=board.pk).analgesia_review_nrs == 5


@pytest.mark.parametrize(("value", "ok"), [(0, True), (4, True), (10, True), (11, False)])
def test_the_trigger_is_validated_on_the_0_10_scale(board, value, ok):
    board.analgesia_review_nrs = value
    if ok:
        board.full_clean()
    else:
        with pytest.raises(ValidationError) as exc:
            board.full_clean()
        assert exc.value.message_dict["analgesia_review_nrs"] == [RANGE]


@pytest.mark.parametrize("value", [-1, 11])
def test_the_database_refuses_a_trigger_off_the_scale(board, value):
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_board SET analgesia_review_nrs = %s WHERE id = %s", [value, board.pk]
        )


def test_the_admin_edits_it_and_refuses_11_with_a_clear_error(client, administrator, board):
    verified_login(client, administrator)
    url = f"/admin/cases/board/{board.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert b"triggers an analgesia review" in page.content
    form = {
        "name": board.name,
        "description": "",
        "default_location": "",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    refused = client.post(url, {**form, "analgesia_review_nrs": "11"})
    assert refused.status_code == 200
    assert RANGE in refused.content.decode()
    assert Board.objects.get(pk=board.pk).analgesia_review_nrs == 5
    saved = client.post(url, {**form, "analgesia_review_nrs": "4"})
    assert saved.status_code == 302
    assert Board.objects.get(pk=board.pk).analgesia_review_nrs == 4
    # The change is in the audit trail, with who made it and the value before and after
    # (a board setting changes what the engine drafts for all its patients).
    events = Board.pgh_event_model.objects.filter(pgh_obj_id=board.pk).order_by("pgh_id")
    assert [(e.pgh_label, e.analgesia_review_nrs) for e in events] == [
        ("insert", 5), ("update", 4)]
    assert events.last().pgh_context.metadata["user"] == administrator.pk


def test_the_boards_trigger_reaches_the_engine_as_a_fact(board):
    patient = PatientFactory(board=board)
    Board.objects.filter(pk=board.pk).update(analgesia_review_nrs=4)
    facts = case_facts_for_patients(patient_ids=[patient.pk], as_of=patient.created_at.date())
    assert facts[patient.pk].pain.analgesia_review_nrs == 4
