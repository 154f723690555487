"""No page 500s on data the record accepts: every page for every demo patient, and for
a case whose every optional field is empty (issue 14, item 5)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import models as djmodels
from django.urls import reverse
from django.utils import timezone

from cases import models
from cases.choices import BoardRole
from cases.demo import cohort
from cases.services import agenda_item_add, meeting_create
from cases.tests.factories import (
    ImagingStudyFactory,
    LabResultFactory,
    LongBoneLesionFactory,
    PatientFactory,
    PrimaryCancerFactory,
    SpinalLesionFactory,
    UserFactory,
)
from front.views.record import KINDS

pytestmark = pytest.mark.django_db


def _pages_for(item=None, patient=None, meeting=None) -> list[str]:
    urls = []
    if meeting is not None:
        urls += [reverse("cases:agenda", args=[meeting.pk]),
                 reverse("cases:agenda_print", args=[meeting.pk])]
    if item is not None:
        urls += [reverse("cases:case_review", args=[item.pk]),
                 reverse("cases:decision", args=[item.pk])]
    if patient is not None:
        urls.append(reverse("cases:patient_detail", args=[patient.pk]))
    return urls


def _record_pages(patient) -> list[str]:
    """The record's pages and every form of it: new rows of each kind, and the edit and
    delete pages of every row the patient has."""
    pk = patient.pk
    urls = [reverse("cases:patient_record", args=[pk]),
            reverse("cases:patient_status_edit", args=[pk]),
            reverse("cases:patient_details_edit", args=[pk])]
    for slug, kind in KINDS.items():
        rows = kind.model.objects.filter(patient=patient)
        if slug != "primary" or not rows.exists():
            # (A recorded primary cancer's "new" page redirects to its edit page.)
            urls.append(reverse("cases:record_row_new", args=[pk, slug]))
        for row_pk in rows.values_list("pk", flat=True):
            urls += [reverse("cases:record_row_edit", args=[pk, slug, row_pk]),
                     reverse("cases:record_row_delete", args=[pk, slug, row_pk])]
    return urls


def _audit_pages(patients) -> list[str]:
    """Only administrators see the audit trail (cases.view_audit)."""
    return [reverse("cases:audit_index"),
            *(reverse("cases:audit_patient", args=[p.pk]) for p in patients)]


def _chair_of(board):
    return models.BoardMembership.objects.get(board=board, role=BoardRole.CHAIR).user


def _statuses(client, user, urls, login) -> dict[str, int]:
    login(client, user)
    return {url: client.get(url).status_code for url in urls}


def test_every_page_for_every_demo_patient(client, verified_login):
    call_command("load_demo_data", stdout=io.StringIO())
    patients = list(models.Patient.objects.select_related("board"))
    assert len(patients) > 10  # the cohort, not an empty database
    failures = {}
    for patient in patients:
        urls = _pages_for(patient=patient) + _record_pages(patient)
        for item in models.AgendaItem.objects.filter(patient=patient).select_related("meeting"):
            urls += _pages_for(item=item, meeting=item.meeting)
        statuses = _statuses(client, _chair_of(patient.board), urls, verified_login)
        failures.update({url: code for url, code in statuses.items() if code != 200})
    assert failures == {}
    list_pages = [reverse("cases:meeting_list"), reverse("cases:patient_search") + "?q=DEMO",
                  reverse("cases:patient_register")]
    main_board = patients[0].board
    chair = _chair_of(main_board)
    assert (_statuses(client, chair, list_pages, verified_login)
            == dict.fromkeys(list_pages, 200))
    audit = _audit_pages(patients)
    administrator = get_user_model().objects.get(username=cohort.ADMIN_USERNAME)
    assert (_statuses(client, administrator, audit, verified_login)
            == dict.fromkeys(audit, 200))


def _empty_optional(instance: djmodels.Model) -> djmodels.Model:
    """Every nullable field None and every blank-able text field "": the least the
    record accepts. Saved as is, because the API accepts exactly this."""
    for field in instance._meta.concrete_fields:
        if field.primary_key or field.is_relation:
            continue
        if field.null:
            setattr(instance, field.attname, None)
        elif field.blank and isinstance(field, (djmodels.CharField, djmodels.TextField)):
            setattr(instance, field.attname, "")
    instance.save()
    return instance


def test_every_page_for_a_case_with_every_optional_field_empty(client, board, chair,
                                                               verified_login):
    patient = _empty_optional(PatientFactory(board=board))
    _empty_optional(PrimaryCancerFactory(patient=patient))
    _empty_optional(SpinalLesionFactory(patient=patient))
    _empty_optional(LongBoneLesionFactory(patient=patient))
    _empty_optional(LabResultFactory(patient=patient))
    _empty_optional(ImagingStudyFactory(patient=patient))
    today = timezone.localdate()
    for row in (
        models.BoneTargetedAgentCourse(patient=patient, agent="denosumab",
                                       dose_mg=Decimal("120"), interval_weeks=4),
        models.SystemicTherapy(patient=patient, kind="adt"),
        models.RadiotherapyCourse(patient=patient, site="T8", dose_gy=Decimal("8"),
                                  fractions=1, started_on=today - dt.timedelta(days=9)),
        models.SurgicalProcedure(patient=patient, kind="fixation",
                                 performed_on=today - dt.timedelta(days=30)),
        models.RadioisotopeCourse(patient=patient, agent="radium_223"),
    ):
        _empty_optional(row)
    meeting = meeting_create(board=board, starts_at=timezone.now() + dt.timedelta(days=3),
                             location="Seminar room 2")
    item = agenda_item_add(meeting=meeting, patient=patient, question="Plan?")

    urls = _pages_for(item=item, patient=patient, meeting=meeting) + _record_pages(patient)
    assert _statuses(client, chair, urls, verified_login) == dict.fromkeys(urls, 200)
    audit = _audit_pages([patient])
    administrator = UserFactory(username="admin", is_staff=True, is_superuser=True)
    assert (_statuses(client, administrator, audit, verified_login)
            == dict.fromkeys(audit, 200))


def test_a_bone_agent_course_without_a_start_date_is_listed_as_planned(client, board, chair,
                                                                      verified_login):
    patient = PatientFactory(board=board)
    PrimaryCancerFactory(patient=patient)
    models.BoneTargetedAgentCourse.objects.create(
        patient=patient, agent="zoledronic_acid", dose_mg=Decimal("4"), interval_weeks=12)
    models.SystemicTherapy.objects.create(patient=patient, kind="adt", drug="Degarelix")
    meeting = meeting_create(board=board, starts_at=timezone.now() + dt.timedelta(days=3),
                             location="Seminar room 2")
    item = agenda_item_add(meeting=meeting, patient=patient, question="Plan?")
    verified_login(client, chair)

    response = client.get(reverse("cases:case_review", args=[item.pk]))

    assert response.status_code == 200
    assert ("Planned, no start date yet: Zoledronic acid (bone-targeted agent); "
            "Degarelix.") in response.content.decode()
