"""Drafts marked stale by the patient's facts version: a view re-evaluates only the
drafts whose patient was written since, or whose engine version or evaluation date
differs; one query decides which."""

from __future__ import annotations

import datetime as dt
import importlib
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from cases.models import Board, LabResult, Patient, PatientFactsVersion
from cases.tests.factories import (
    AgendaItemFactory,
    BoardFactory,
    LabResultFactory,
    LongBoneLesionFactory,
    MeetingFactory,
    PatientFactory,
    PrimaryCancerFactory,
)
from recommendations import services
from recommendations.engine import ENGINE_VERSION
from recommendations.models import DraftPlan
from recommendations.selectors import (
    DraftSummary,
    _patient_queryset,
    current_fingerprints,
    draft_summaries,
)
from recommendations.services import draft_refresh, drafts_refresh, drafts_refresh_for_meeting

#: The SAVEPOINT / RELEASE pair of `transaction.atomic` inside the test's transaction.
SAVEPOINTS = 2
#: signed items, fingerprints with the patients' versions, the current drafts in full
NOTHING_STALE = 3
#: one per table (`case_facts_for_patients`)
FACTS = 9


def _case(meeting):
    patient = PatientFactory(board=meeting.board)
    PrimaryCancerFactory(patient=patient)
    LongBoneLesionFactory(patient=patient)
    LabResultFactory(patient=patient, value=Decimal("97.2"), unit="umol/L",
                     taken_at=timezone.now() - dt.timedelta(days=10))
    return AgendaItemFactory(meeting=meeting, patient=patient)


def _version(patient_id: int) -> int:
    return PatientFactsVersion.objects.get(patient_id=patient_id).version


@pytest.fixture
def meeting(board):
    return MeetingFactory(board=board)


def test_a_draft_records_the_facts_version_it_was_read_at(meeting):
    item = _case(meeting)
    draft = draft_refresh(agenda_item=item)
    assert draft.facts_version == _version(item.patient_id) == 4  # patient + 3 rows


def _refuse(*args, **kwargs):
    raise AssertionError("the engine was called for a current draft")


def test_nothing_changed_nothing_read_or_evaluated(
    meeting, django_assert_num_queries, monkeypatch
):
    items = [_case(meeting) for _ in range(3)]
    first = drafts_refresh_for_meeting(meeting=meeting)
    monkeypatch.setattr(services, "evaluate", _refuse)
    with django_assert_num_queries(SAVEPOINTS + NOTHING_STALE):
        again = drafts_refresh(agenda_items=items, as_of=services.evaluation_date(meeting))
    assert {k: v.pk for k, v in again.items()} == {k: v.pk for k, v in first.items()}
    assert DraftPlan.objects.count() == 3


@pytest.mark.parametrize("how", ["orm", "queryset", "raw"])
def test_a_change_to_the_record_makes_the_draft_stale_and_the_next_view_refreshes_it(
    meeting, how
):
    item = _case(meeting)
    other = _case(meeting)
    first = drafts_refresh_for_meeting(meeting=meeting)
    lab = LabResult.objects.get(patient=item.patient)
    if how == "orm":
        lab.value = Decimal("250")
        lab.save()
    elif how == "queryset":
        LabResult.objects.filter(pk=lab.pk).update(value=Decimal("250"))
    else:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE cases_labresult SET value = 250 WHERE id = %s", [lab.pk])
    assert current_fingerprints(agenda_item_ids=[item.pk])[item.pk].is_current(
        engine_version=ENGINE_VERSION, as_of=first[item.pk].as_of) is False

    second = drafts_refresh_for_meeting(meeting=meeting)
    assert second[item.pk].pk != first[item.pk].pk
    assert second[item.pk].facts["labs"][0]["value"] == 250.0
    assert second[item.pk].facts_version == _version(item.patient_id) == 5
    assert second[other.pk].pk == first[other.pk].pk
    assert DraftPlan.objects.count() == 3


def test_a_write_that_leaves_the_facts_the_same_restamps_the_draft(
    meeting, monkeypatch
):
    item = _case(meeting)
    first = draft_refresh(agenda_item=item)
    # The name is not a fact the engine reads; the version moves all the same.
    Patient.objects.filter(pk=item.patient_id).update(given_name="Ada")
    monkeypatch.setattr(services, "evaluate", _refuse)
    again = draft_refresh(agenda_item=item)
    assert again.pk == first.pk
    assert again.facts_version == _version(item.patient_id) == 5
    assert DraftPlan.objects.get().facts_version == 5
    assert DraftPlan.objects.count() == 1


def test_a_draft_from_before_versions_existed_is_restamped_once(meeting, monkeypatch):
    item = _case(meeting)
    draft = draft_refresh(agenda_item=item)
    DraftPlan.objects.filter(pk=draft.pk).update(facts_version=None)
    monkeypatch.setattr(services, "evaluate", _refuse)
    assert draft_refresh(agenda_item=item).facts_version == 4
    assert DraftPlan.objects.count() == 1


def test_a_new_engine_version_or_evaluation_date_re_evaluates(meeting, monkeypatch):
    item = _case(meeting)
    as_of = services.evaluation_date(meeting)
    first = drafts_refresh(agenda_items=[item], as_of=as_of)[item.pk]
    later = drafts_refresh(agenda_items=[item], as_of=as_of + dt.timedelta(days=1))[item.pk]
    assert later.pk != first.pk
    assert later.as_of == as_of + dt.timedelta(days=1)
    monkeypatch.setattr(services, "ENGINE_VERSION", "next-engine")
    newer = drafts_refresh(agenda_items=[item], as_of=as_of)[item.pk]
    assert (newer.engine_version, newer.as_of) == ("next-engine", as_of)
    assert DraftPlan.objects.count() == 3


def test_query_counts_do_not_grow_with_the_number_of_cases(meeting, board):
    def counts(m):
        items = list(m.agenda_items.all())
        with CaptureQueriesContext(connection) as cold:
            drafts_refresh_for_meeting(meeting=m)
        with CaptureQueriesContext(connection) as warm:
            drafts_refresh_for_meeting(meeting=m)
        PatientFactsVersion.objects.filter(
            patient_id__in=[i.patient_id for i in items]).update(version=0)
        with CaptureQueriesContext(connection) as restamp:
            drafts_refresh_for_meeting(meeting=m)
        LabResult.objects.filter(patient_id__in=[i.patient_id for i in items]).update(
            value=Decimal("300"))
        with CaptureQueriesContext(connection) as stale:
            drafts_refresh_for_meeting(meeting=m)
        return len(cold), len(warm), len(restamp), len(stale)

    for _ in range(5):
        _case(meeting)
    big = MeetingFactory(board=board)
    for _ in range(20):
        _case(big)
    agenda = 1  # drafts_refresh_for_meeting reads the meeting's items
    signed_and_fingerprints = 2
    expected = (
        agenda + SAVEPOINTS + signed_and_fingerprints + FACTS + 1,  # cold: bulk INSERT
        agenda + SAVEPOINTS + NOTHING_STALE,
        agenda + SAVEPOINTS + signed_and_fingerprints + FACTS + 1 + 1,  # re-stamp, drafts
        agenda + SAVEPOINTS + signed_and_fingerprints + FACTS + 1,  # bulk INSERT
    )
    assert counts(meeting) == counts(big) == expected


def test_every_table_the_engine_reads_bumps_the_version():
    """A relation newly read by the facts selector needs the triggers of
    cases.models._facts_version too, or its changes would not make drafts stale."""
    qs = _patient_queryset([], dt.date(2025, 3, 1))
    names = [*qs.query.select_related] + [
        getattr(lookup, "prefetch_to", lookup) for lookup in qs._prefetch_related_lookups
    ]
    read = {Patient} | {Patient._meta.get_field(n).related_model for n in names}
    read.discard(PatientFactsVersion)
    without = sorted(
        model.__name__ for model in read
        if "facts_version_on_update" not in {t.name for t in model._meta.triggers}
    )
    assert without == []
    assert len(read) == 11  # the patient, its board and 9 related tables


def test_the_api_shows_the_facts_version_a_draft_was_read_at(meeting, oncologist):
    item = _case(meeting)
    draft = draft_refresh(agenda_item=item)
    api = APIClient()
    api.force_authenticate(oncologist)
    body = api.get(f"/api/v1/recommendations/draft-plans/{draft.pk}/").json()
    assert body["facts_version"] == 4


# --- A board setting the engine reads (PAIN-03's analgesia-review trigger)


@pytest.mark.parametrize("how", ["orm", "queryset", "raw"])
def test_a_change_of_the_boards_pain_trigger_makes_every_draft_of_the_board_stale(
    meeting, how
):
    items = [_case(meeting) for _ in range(2)]
    elsewhere = _case(MeetingFactory(board=BoardFactory()))
    first = drafts_refresh(agenda_items=[*items, elsewhere],
                           as_of=services.evaluation_date(meeting))
    assert {d.facts["pain"]["analgesia_review_nrs"] for d in first.values()} == {5}
    before = {i.pk: _version(i.patient_id) for i in [*items, elsewhere]}
    board = meeting.board
    if how == "orm":
        board.analgesia_review_nrs = 4
        board.save()
    elif how == "queryset":
        Board.objects.filter(pk=board.pk).update(analgesia_review_nrs=4)
    else:
        with connection.cursor() as cursor:
            cursor.execute("UPDATE cases_board SET analgesia_review_nrs = 4 WHERE id = %s",
                           [board.pk])
    after = {i.pk: _version(i.patient_id) for i in [*items, elsewhere]}
    assert {k: after[k] - before[k] for k in after} == {
        items[0].pk: 1, items[1].pk: 1, elsewhere.pk: 0}

    second = drafts_refresh(agenda_items=[*items, elsewhere],
                            as_of=services.evaluation_date(meeting))
    for item in items:
        assert second[item.pk].pk != first[item.pk].pk
        assert second[item.pk].facts["pain"]["analgesia_review_nrs"] == 4
    assert second[elsewhere.pk].pk == first[elsewhere.pk].pk


def test_a_board_write_that_is_not_an_engine_input_bumps_no_one(meeting):
    item = _case(meeting)
    before = _version(item.patient_id)
    Board.objects.filter(pk=meeting.board_id).update(
        name="Renamed board", default_location="Room 4", analgesia_review_nrs=5)
    assert _version(item.patient_id) == before


def test_the_agenda_summary_is_the_snapshots_keys_and_the_migration_fills_it_alike(meeting):
    """The agenda reads `agenda_summary`, not the snapshot: what a refresh writes is the
    snapshot's keys, and the migration that filled it for older drafts (0006) computes
    the same from the snapshot in SQL."""
    item = _case(meeting)
    draft = draft_refresh(agenda_item=item)
    expected = DraftPlan.agenda_summary_of(draft.output, draft.facts)
    assert expected["missing_data"] and expected["lesions"]  # a summary with content
    assert DraftPlan.objects.get(pk=draft.pk).agenda_summary == expected
    from_column = draft_summaries(agenda_item_ids=[item.pk])[item.pk]
    assert from_column == DraftSummary.of(draft)

    DraftPlan.objects.filter(pk=draft.pk).update(agenda_summary={})
    migration = importlib.import_module(
        "recommendations.migrations.0006_draftplan_agenda_summary").Migration
    [backfill] = [op for op in migration.operations if hasattr(op, "sql")]
    with connection.cursor() as cursor:
        cursor.execute(backfill.sql)
    assert DraftPlan.objects.get(pk=draft.pk).agenda_summary == expected
