"""`manage.py demo_logins`: new passwords for the demo users, printed once."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from cases.demo import cohort
from cases.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _run() -> list[str]:
    out = io.StringIO()
    call_command("demo_logins", stdout=out, no_color=True)
    return out.getvalue().splitlines()


def test_prints_a_working_new_password_for_each_demo_user(settings):
    settings.IS_DEVELOPMENT = True
    UserFactory(username="coordinator", password="old-password-1")
    UserFactory(username=cohort.ADMIN_USERNAME, password="old-password-2")
    UserFactory(username="someone-else", password="kept-password")

    lines = _run()

    assert lines[0].startswith("Demo logins (new passwords")
    rows = [line.split(None, 2) for line in lines[1:]]
    assert [row[0] for row in rows] == ["coordinator", cohort.ADMIN_USERNAME]
    assert rows[0][2] == "coordinator (coordination) — Bone metastasis MDT"
    assert rows[1][2] == "administrator (Django admin, no board)"
    users = get_user_model().objects
    coordinator = users.get(username="coordinator")
    assert coordinator.check_password(rows[0][1])
    assert not coordinator.check_password("old-password-1")
    assert users.get(username=cohort.ADMIN_USERNAME).check_password(rows[1][1])
    assert users.get(username="someone-else").check_password("kept-password")


def test_refuses_outside_development_and_changes_nothing(settings):
    settings.IS_DEVELOPMENT = False
    UserFactory(username="coordinator", password="old-password-1")

    with pytest.raises(CommandError, match="only with BOARDSITE_ENV=development"):
        _run()

    assert get_user_model().objects.get(username="coordinator").check_password("old-password-1")


def test_without_demo_users_says_how_to_load_them(settings):
    settings.IS_DEVELOPMENT = True

    with pytest.raises(CommandError, match="No demo users yet"):
        _run()
