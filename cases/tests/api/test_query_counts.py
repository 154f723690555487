"""Every list endpoint runs in the same number of queries for 5 rows and for 50."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from cases import services
from cases.models import (
    Attendance,
    BoneTargetedAgentCourse,
    RadiotherapyCourse,
    SurgicalProcedure,
    SystemicTherapy,
)
from cases.tests.api.conftest import token_client
from cases.tests.factories import (
    AgendaItemFactory,
    BoardFactory,
    ImagingStudyFactory,
    LabResultFactory,
    MeetingFactory,
    MembershipFactory,
    PatientFactory,
    PrimaryCancerFactory,
    SpinalLesionFactory,
    UserFactory,
)

TODAY = dt.date(2025, 1, 15)


def _patient(ctx):
    return PatientFactory(board=ctx["board"])


def _imaging(ctx):
    patient = _patient(ctx)
    study = ImagingStudyFactory(patient=patient)
    study.lesions.set([SpinalLesionFactory(patient=patient), SpinalLesionFactory(
        patient=patient, vertebral_level="L1")])


def _board(ctx):
    services.board_member_add(board=BoardFactory(), user=ctx["user"], role="specialist")


def _attendance(ctx):
    user = UserFactory()
    services.board_member_add(board=ctx["board"], user=user, role="specialist")
    Attendance.objects.create(meeting=ctx["meeting"], user=user)


def _decision(ctx):
    item = AgendaItemFactory(meeting=ctx["meeting"])
    services.decision_record(agenda_item=item, recorded_by=ctx["user"], items=[
        {"title": "One", "verdict": "accepted"}, {"title": "Two", "verdict": "added"}])


def _draft(ctx):
    from recommendations.services import draft_refresh

    draft_refresh(agenda_item=AgendaItemFactory(meeting=ctx["meeting"]))


def _reminders(ctx) -> int:
    from cases.tests.api.conftest import SIGNED_ITEMS
    from reminders.services import decision_sign_and_schedule

    item = AgendaItemFactory(meeting=ctx["meeting"])
    decision = services.decision_record(agenda_item=item, recorded_by=ctx["user"],
                                        items=SIGNED_ITEMS, outcome_summary="ZA")
    decision = decision_sign_and_schedule(decision=decision, chair=ctx["user"])
    return decision.reminders.count()


MAKERS = {
    "/api/v1/patients/": _patient,
    "/api/v1/primary-cancers/": lambda c: PrimaryCancerFactory(patient=_patient(c)),
    "/api/v1/lesions/": lambda c: SpinalLesionFactory(patient=_patient(c)),
    "/api/v1/imaging-studies/": _imaging,
    "/api/v1/labs/": lambda c: LabResultFactory(patient=_patient(c)),
    "/api/v1/bone-agent-courses/": lambda c: BoneTargetedAgentCourse.objects.create(
        patient=_patient(c), agent="denosumab", dose_mg=Decimal("120"), interval_weeks=4,
        started_on=TODAY),
    "/api/v1/systemic-therapies/": lambda c: SystemicTherapy.objects.create(
        patient=_patient(c), kind="adt", started_on=TODAY),
    "/api/v1/radiotherapy-courses/": lambda c: RadiotherapyCourse.objects.create(
        patient=_patient(c), site="T8", dose_gy=Decimal("8"), fractions=1, started_on=TODAY),
    "/api/v1/surgeries/": lambda c: SurgicalProcedure.objects.create(
        patient=_patient(c), kind="fixation", performed_on=TODAY),
    "/api/v1/boards/": _board,
    "/api/v1/users/": lambda c: UserFactory(),
    "/api/v1/memberships/": lambda c: MembershipFactory(board=c["board"]),
    "/api/v1/meetings/": lambda c: MeetingFactory(board=c["board"]),
    "/api/v1/attendances/": _attendance,
    "/api/v1/agenda-items/": lambda c: AgendaItemFactory(meeting=c["meeting"]),
    "/api/v1/decisions/": _decision,
    "/api/v1/recommendations/draft-plans/": _draft,
    "/api/v1/reminders/": _reminders,
}
#: Lists that read no rows of the database (the rules catalogue is code).
NOT_FROM_THE_DATABASE = {"/api/v1/recommendations/rules/"}
QUERY = {"/api/v1/reminders/": "?scope=board"}
ADMIN_LISTS = {"/api/v1/users/", "/api/v1/memberships/"}


def list_endpoints() -> set[str]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {path for path, item in schema["paths"].items()
            if path.startswith("/api/v1/") and "{" not in path and "get" in item}


def test_every_list_endpoint_is_covered():
    assert list_endpoints() == set(MAKERS) | NOT_FROM_THE_DATABASE


@pytest.mark.parametrize("path", sorted(NOT_FROM_THE_DATABASE))
def test_code_lists_do_not_grow_with_the_record(path, board, chair):
    client = token_client(chair)

    def measure() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured.captured_queries)

    PatientFactory.create_batch(5, board=board)
    few = measure()
    PatientFactory.create_batch(45, board=board)
    assert measure() == few


@pytest.mark.parametrize("path", sorted(MAKERS))
def test_list_runs_in_a_fixed_number_of_queries(path, board, chair, administrator):
    user = administrator if path in ADMIN_LISTS else chair
    ctx = {"board": board, "user": chair,
           "meeting": MeetingFactory(board=board, starts_at=timezone.now())}
    client = token_client(user)

    def measure(total: int) -> tuple[int, int]:
        while counts["rows"] < total:
            made = MAKERS[path](ctx)
            counts["rows"] += made if isinstance(made, int) else 1
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path + QUERY.get(path, ""))
        assert response.status_code == 200
        return len(captured.captured_queries), len(response.json()["results"])

    counts = {"rows": 0}
    queries_5, listed_5 = measure(5)
    queries_50, listed_50 = measure(50)
    assert listed_50 >= 50 > listed_5 >= 5
    assert queries_5 == queries_50
