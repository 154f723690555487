"""A small clinic on two boards for the API tests: every kind of row exists on both.

`world` builds, for `board` (the personas' board) and `other_board` (the outsider's),
the same set of rows, so every endpoint can be tried against a row of one's own board
and a row of another board.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from cases import services
from cases.choices import BoardRole, Specialty
from cases.models import (
    Attendance,
    BoneTargetedAgentCourse,
    RadiotherapyCourse,
    SurgicalProcedure,
    SystemicTherapy,
)
from cases.tests.factories import (
    ImagingStudyFactory,
    LabResultFactory,
    LongBoneLesionFactory,
    PatientFactory,
    PrimaryCancerFactory,
    SpinalLesionFactory,
    UserFactory,
)


@dataclass
class BoardWorld:
    board: object
    p1: object
    p2: object
    p3: object
    p4: object
    primary: object
    spinal_lesion: object
    long_lesion: object
    imaging: object
    lab: object
    bta: object
    systemic: object
    rt: object
    surgery: object
    meeting: object
    i1: object
    i2: object
    i4: object
    unsigned: object
    signed: object
    attendance: object
    membership: object
    extra: dict = field(default_factory=dict)


DECISION_ITEMS = [
    {"code": "RT-01", "rule_id": "RT-01", "title": "8 Gy single fraction to T8",
     "detail": "", "verdict": "accepted", "reason": ""},
    {"code": "", "rule_id": "", "title": "Dental review", "detail": "",
     "verdict": "added", "reason": ""},
]


SIGNED_ITEMS = [
    {"code": "bta.zoledronic_acid", "rule_id": "BTA-02",
     "title": "Zoledronic acid 4 mg IV over at least 15 minutes",
     "draft_detail": {"agent": "zoledronic_acid", "dose_mg": 4.0}, "verdict": "accepted",
     "action": {"kind": "medication", "verb": "start", "agent": "zoledronic_acid",
                "dose": "4", "unit": "mg", "route": "iv"}},
    *DECISION_ITEMS,
]


def build_board_world(board, *, chair, recorder, attendee) -> BoardWorld:
    today = timezone.localdate()
    p1, p2, p3, p4 = (PatientFactory(board=board) for _ in range(4))
    primary = PrimaryCancerFactory(patient=p1)
    PrimaryCancerFactory(patient=p2)
    spinal = SpinalLesionFactory(patient=p1)
    long_lesion = LongBoneLesionFactory(patient=p1)
    imaging = ImagingStudyFactory(patient=p1)
    imaging.lesions.set([spinal])
    lab = LabResultFactory(patient=p1)
    bta = BoneTargetedAgentCourse.objects.create(
        patient=p1, agent="zoledronic_acid", dose_mg=Decimal("4"), interval_weeks=4,
        started_on=today - dt.timedelta(days=60))
    systemic = SystemicTherapy.objects.create(
        patient=p1, kind="adt", drug="Leuprorelin", started_on=today - dt.timedelta(days=400))
    rt = RadiotherapyCourse.objects.create(
        patient=p1, lesion=spinal, site="T8", dose_gy=Decimal("8"), fractions=1,
        started_on=today - dt.timedelta(days=30))
    surgery = SurgicalProcedure.objects.create(
        patient=p1, lesion=long_lesion, kind="fixation", performed_on=today - dt.timedelta(days=90))
    # Today: the board signs from the meeting's day on.
    meeting = services.meeting_create(board=board, starts_at=timezone.now())
    i1 = services.agenda_item_add(meeting=meeting, patient=p1, question="RT?")
    i2 = services.agenda_item_add(meeting=meeting, patient=p2, question="BTA?")
    i4 = services.agenda_item_add(meeting=meeting, patient=p4, question="Surgery?")
    unsigned = services.decision_record(agenda_item=i1, recorded_by=recorder, items=DECISION_ITEMS,
                                        outcome_summary="Radiotherapy")
    signed = services.decision_record(agenda_item=i2, recorded_by=recorder, items=SIGNED_ITEMS,
                                      outcome_summary="Zoledronic acid")
    from reminders.models import ActionFollowUp

    def _first_follow_up(decision):
        return ActionFollowUp.objects.filter(decision=decision).order_by("id").first()

    # The other apps' rows of the same case: its draft plan and the reminders the
    # signed decision schedules.
    from recommendations.services import draft_refresh
    from reminders.services import decision_sign_and_schedule

    signed = decision_sign_and_schedule(decision=signed, chair=chair)
    draft = draft_refresh(agenda_item=i1)
    reminder, failed_reminder = signed.reminders.order_by("due_at", "id")[:2]
    # One delivery failed permanently: members may send it again.
    failed_reminder.status = "failed"
    failed_reminder.save(update_fields=["status"])
    attendance = Attendance.objects.get(meeting=meeting, user=attendee)
    membership = attendee.board_memberships.get(board=board)
    return BoardWorld(board, p1, p2, p3, p4, primary, spinal, long_lesion, imaging, lab, bta,
                      systemic, rt, surgery, meeting, i1, i2, i4, unsigned, signed, attendance,
                      membership, extra={"draft": draft, "reminder": reminder,
                                             "failed_reminder": failed_reminder,
                                             "follow_up": _first_follow_up(signed)})


@dataclass
class World:
    own: BoardWorld
    other: BoardWorld
    users: dict


def build_world(board, other_board, *, coordinator, chair, spine_surgeon, oncologist,
                outsider, administrator) -> World:
    other_chair = UserFactory(username="other_chair")
    services.board_member_add(board=other_board, user=other_chair, role=BoardRole.CHAIR,
                              specialty=Specialty.MEDICAL_ONCOLOGY)
    other_attendee = UserFactory(username="other_oncologist")
    services.board_member_add(board=other_board, user=other_attendee, role=BoardRole.SPECIALIST,
                              specialty=Specialty.MEDICAL_ONCOLOGY)
    own = build_board_world(board, chair=chair, recorder=coordinator, attendee=oncologist)
    other = build_board_world(other_board, chair=other_chair, recorder=other_chair,
                              attendee=other_attendee)
    own.extra["newcomer"] = UserFactory(username="newcomer-own")
    other.extra["newcomer"] = UserFactory(username="newcomer-other")
    for w in (own, other):
        assert w.extra["draft"] is not None and w.extra["reminder"] is not None
    users = {"coordinator": coordinator, "specialist": spine_surgeon, "chair": chair,
             "administrator": administrator, "outsider": outsider}
    return World(own, other, users)


@pytest.fixture
def world(board, other_board, coordinator, chair, spine_surgeon, oncologist, outsider,
          administrator) -> World:
    return build_world(board, other_board, coordinator=coordinator, chair=chair,
                       spine_surgeon=spine_surgeon, oncologist=oncologist, outsider=outsider,
                       administrator=administrator)


@pytest.fixture(scope="module")
def shared_world(django_db_setup, django_db_blocker):
    """`world` built once per module inside a transaction that is rolled back at the
    end; each test runs in a savepoint of it (pytest-django's `db`), so a test's writes
    are undone before the next test, as with Django's `setUpTestData`."""
    from django.db import transaction

    from cases.tests.factories import BoardFactory

    with django_db_blocker.unblock(), transaction.atomic():
        board = BoardFactory(name="Bone metastasis MDT")
        other_board = BoardFactory(name="Other hospital bone MDT")

        def member(b, username, role, specialty=""):
            user = UserFactory(username=username)
            services.board_member_add(board=b, user=user, role=role, specialty=specialty)
            return user

        shared = build_world(
            board, other_board,
            coordinator=member(board, "coordinator", BoardRole.COORDINATOR,
                               Specialty.COORDINATION),
            chair=member(board, "chair", BoardRole.CHAIR, Specialty.MEDICAL_ONCOLOGY),
            spine_surgeon=member(board, "spine_surgeon", BoardRole.SPECIALIST,
                                 Specialty.SPINE_SURGERY),
            oncologist=member(board, "oncologist", BoardRole.SPECIALIST,
                              Specialty.MEDICAL_ONCOLOGY),
            outsider=member(other_board, "outsider", BoardRole.SPECIALIST, Specialty.RADIOLOGY),
            administrator=UserFactory(username="admin", is_staff=True, is_superuser=True),
        )
        yield shared
        transaction.set_rollback(True)


def api_token(user) -> str:
    """A new API token of the user (knox keeps only its digest, so one per call)."""
    return services.api_token_issue(user=user)[1]


def token_client(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {api_token(user)}")
    return client


@pytest.fixture
def api(spine_surgeon):
    """A token-authenticated client of a specialist of `board`."""
    return token_client(spine_surgeon)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Argon2 is deliberately slow; the API tests create many users and never test
    the hash itself (boardsite/tests checks the production hasher)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
