"""Everything that grants or changes access leaves an audit event: memberships, user
accounts (a password change as its own event, without the hash), role groups, API
tokens (never their key), attendance and reminders (people's actions, not the
dispatcher's bookkeeping). Each event table joins the audit chain."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone
from knox.models import AuthToken

from cases.audit_chain import audit_sources
from cases.choices import BoardRole
from cases.models import Attendance, BoardMembership
from cases.models.access_audit import TrackedToken, TrackedUser, TrackedUserGroup
from cases.services import attendance_set, board_member_add, meeting_create
from cases.tests.factories import UserFactory
from reminders.choices import ReminderKind
from reminders.models import Reminder

pytestmark = pytest.mark.django_db


def _labels(model, **filters):
    return list(model.pgh_event_model.objects.filter(**filters).order_by("pgh_id")
                .values_list("pgh_label", flat=True))


def test_a_membership_granted_changed_and_revoked_is_audited(board):
    user = UserFactory(username="newcomer")
    seat = board_member_add(board=board, user=user, role=BoardRole.SPECIALIST)
    board_member_add(board=board, user=user, role=BoardRole.CHAIR)
    BoardMembership.objects.filter(pk=seat.pk).delete()
    events = BoardMembership.pgh_event_model.objects.filter(pgh_obj_id=seat.pk).order_by("pgh_id")
    assert list(events.values_list("pgh_label", "role")) == [
        ("insert", "specialist"), ("update", "chair"), ("delete", "chair")]
    group_events = TrackedUserGroup.pgh_event_model.objects.filter(user_id=user.pk)
    assert sorted(group_events.values_list("pgh_label", "group__name")) == [
        ("group_add", "chair"), ("group_add", "specialist")]


def test_a_user_account_is_audited_and_the_password_hash_is_not_copied(db):
    user = UserFactory(username="clerk")
    user.is_staff = True
    user.save()
    user.set_password("a new long passphrase 42")
    user.save(update_fields=["password"])
    user.last_login = timezone.now()
    user.save(update_fields=["last_login"])  # a sign-in: axes logs it, no event here
    assert _labels(TrackedUser, pgh_obj_id=user.pk) == ["insert", "update", "password_change"]
    event_fields = {f.name for f in TrackedUser.pgh_event_model._meta.fields}
    assert "password" not in event_fields and "is_staff" in event_fields
    user.groups.add(Group.objects.get_or_create(name="administrator")[0])
    user.groups.clear()
    assert _labels(TrackedUserGroup, user_id=user.pk) == ["group_add", "group_remove"]


def test_an_api_token_issued_and_revoked_is_audited_without_its_key(db):
    user = UserFactory(username="api")
    token, key = AuthToken.objects.create(user=user)
    digest, prefix = token.digest, token.token_key
    token.delete()
    events = TrackedToken.pgh_event_model.objects.filter(user_id=user.pk).order_by("pgh_id")
    assert list(events.values_list("pgh_label", flat=True)) == ["issue", "revoke"]
    event_fields = {f.name for f in TrackedToken.pgh_event_model._meta.fields}
    assert not event_fields & {"digest", "token_key"}
    stored = str(list(events.values()))
    assert key not in stored and digest not in stored and prefix not in stored


def test_attendance_is_audited(board, chair, coordinator):
    meeting = meeting_create(board=board, starts_at=timezone.now() + dt.timedelta(days=2))
    attendance_set(meeting=meeting, user=chair, confirmed=True)
    attendance = Attendance.objects.get(meeting=meeting, user=chair)
    assert list(Attendance.pgh_event_model.objects.filter(pgh_obj_id=attendance.pk)
                .order_by("pgh_id").values_list("pgh_label", "confirmed")) == [
        ("insert", False), ("update", True)]


def test_reminders_audit_peoples_actions_not_the_dispatchers_bookkeeping(board, chair):
    now = timezone.now()
    reminder = Reminder.objects.create(
        kind=ReminderKind.values[0], board=board, responsible_role=BoardRole.CHAIR,
        title="Review the plan", due_on=now.date(), due_at=now, next_attempt_at=now,
        idempotency_key="test-reminder-1")
    Reminder.objects.filter(pk=reminder.pk).update(claimed_at=now, attempts=1)
    Reminder.objects.filter(pk=reminder.pk).update(responsible_user=chair, done_at=now,
                                                   done_by=chair)
    assert _labels(Reminder, pgh_obj_id=reminder.pk) == ["insert", "update"]


def test_every_access_event_table_is_in_the_audit_chain():
    labels = {model._meta.label for model in audit_sources()}
    assert {"cases.PatientAccess", "cases.BoardMembershipEvent", "cases.AttendanceEvent",
            "cases.UserEvent", "cases.UserGroupEvent", "cases.TokenEvent",
            "reminders.ReminderEvent", "cases.DecisionEvent", "cases.BoardEvent"} <= labels
