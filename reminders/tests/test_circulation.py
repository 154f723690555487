"""Circulating the agenda and preparing a meeting: who gets what, once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from boardsite.accounts_testing import verified_login
from cases.services import agenda_item_add, meeting_create
from cases.tests.factories import LabResultFactory, PatientFactory, PrimaryCancerFactory
from recommendations.services import drafts_refresh_for_meeting
from reminders.choices import ReminderKind, ReminderStatus
from reminders.models import Reminder
from reminders.services import agenda_circulate, meeting_preparation_schedule


@pytest.fixture
def meeting(board, coordinator, chair, oncologist, spine_surgeon):
    meeting = meeting_create(board=board, starts_at=timezone.now() + dt.timedelta(days=6))
    # Everything the engine asks of a castration-resistant prostate case is recorded.
    ready = PatientFactory(board=board, worst_pain_nrs=3, pending_invasive_dental_work=False,
                           unhealed_oral_lesions=False, on_aminoglycoside=False,
                           on_loop_diuretic=False, on_other_nephrotoxic_drug=False)
    PrimaryCancerFactory(patient=ready, prior_mcrpc_lines=1)
    for analyte, value, unit in (("creatinine", "1.0", "mg/dL"), ("calcium", "2.3", "mmol/L"),
                                 ("anc", "3.1", "10^9/L"), ("platelets", "220", "10^9/L"),
                                 ("haemoglobin", "12.5", "g/dL")):
        LabResultFactory(patient=ready, analyte=analyte, value=Decimal(value), unit=unit)
    agenda_item_add(meeting=meeting, patient=ready, question="Radiotherapy?",
                    presenting_clinician=oncologist)
    # No weight and no ECOG: the engine cannot draft everything, the case is not ready.
    not_ready = PatientFactory(board=board, weight_kg=None, weight_measured_on=None,
                               ecog=None, ecog_assessed_on=None)
    PrimaryCancerFactory(patient=not_ready)
    agenda_item_add(meeting=meeting, patient=not_ready, question="Bone agent?",
                    presenting_clinician=spine_surgeon)
    drafts = drafts_refresh_for_meeting(meeting=meeting)
    assert sorted(d.is_ready for d in drafts.values()) == [False, True]
    return meeting


def _kinds(meeting):
    return sorted(
        (r.kind, r.responsible_user.username, r.status)
        for r in Reminder.objects.filter(meeting=meeting).select_related("responsible_user")
    )


def test_preparing_a_meeting_schedules_the_agenda_and_asks_for_missing_data(meeting):
    meeting_preparation_schedule(meeting=meeting)
    agenda_day = timezone.localdate(meeting.starts_at) - dt.timedelta(days=2)
    circulation = Reminder.objects.filter(kind=ReminderKind.AGENDA_CIRCULATION)
    assert sorted(circulation.values_list("responsible_user__username", flat=True)) == [
        "chair", "coordinator", "oncologist", "spine_surgeon"]
    assert set(circulation.values_list("due_on", flat=True)) == {agenda_day}
    requests = Reminder.objects.filter(kind=ReminderKind.MISSING_DATA_REQUEST)
    # Only the presenter of the not-ready case: now, and again the day before.
    assert sorted(requests.values_list("responsible_user__username", flat=True)) == [
        "spine_surgeon", "spine_surgeon"]
    before = Reminder.objects.count()
    meeting_preparation_schedule(meeting=meeting)
    assert Reminder.objects.count() == before


def test_circulating_sends_the_agenda_now_instead_of_two_days_before(meeting, coordinator):
    meeting_preparation_schedule(meeting=meeting)
    agenda_circulate(meeting=meeting, by=coordinator)
    meeting.refresh_from_db()
    assert meeting.agenda_circulated_at is not None
    live = Reminder.objects.filter(kind=ReminderKind.AGENDA_CIRCULATION,
                                   status=ReminderStatus.PENDING)
    assert live.count() == 4
    assert {r.due_at for r in live} == {meeting.agenda_circulated_at}
    cancelled = Reminder.objects.filter(kind=ReminderKind.AGENDA_CIRCULATION,
                                        status=ReminderStatus.CANCELLED)
    assert cancelled.count() == 4
    assert all(r.cancel_reason for r in cancelled)
    # The beat sweep that follows changes nothing.
    before = _kinds(meeting)
    meeting_preparation_schedule(meeting=meeting)
    assert _kinds(meeting) == before


def test_only_the_coordinator_or_chair_circulates(meeting, oncologist):
    with pytest.raises(PermissionDenied):
        agenda_circulate(meeting=meeting, by=oncologist)
    meeting.refresh_from_db()
    assert meeting.agenda_circulated_at is None
    assert not Reminder.objects.filter(meeting=meeting).exists()


def test_agenda_page_lock_asks_for_missing_data_and_circulate_sends(client, meeting,
                                                                    coordinator):
    verified_login(client, coordinator)
    response = client.post(reverse("cases:agenda_lock", args=[meeting.pk]))
    assert response.status_code == 302
    assert list(Reminder.objects.filter(kind=ReminderKind.MISSING_DATA_REQUEST)
                .values_list("responsible_user__username", flat=True)) == [
        "spine_surgeon", "spine_surgeon"]
    response = client.post(reverse("cases:agenda_circulate", args=[meeting.pk]))
    assert response.status_code == 302
    assert Reminder.objects.filter(kind=ReminderKind.AGENDA_CIRCULATION,
                                   status=ReminderStatus.PENDING).count() == 4


def test_the_patient_page_shows_the_reminder_history(client, meeting, coordinator):
    meeting_preparation_schedule(meeting=meeting)
    request = Reminder.objects.filter(kind=ReminderKind.MISSING_DATA_REQUEST).first()
    verified_login(client, coordinator)
    response = client.get(reverse("cases:patient_detail", args=[request.patient_id]))
    assert response.status_code == 200
    assert response.content.decode().count(request.title) == 2
