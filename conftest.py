"""Personas shared by every test: one board with its people, and an outsider.

"The outsider should have no access to the board's patients" is tested for every page
and endpoint.
"""

from __future__ import annotations

import pytest

from boardsite import accounts_testing
from cases.choices import BoardRole, Specialty
from cases.dbroles import use_owner_connection
from cases.services import board_member_add
from cases.tests.factories import BoardFactory, PatientFactory, PrimaryCancerFactory, UserFactory


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """The test database is created, migrated and used as the owner role (when one is
    configured); tests that need the app role connect as it themselves
    (cases/tests/test_tamper.py)."""
    use_owner_connection()


@pytest.fixture
def board(db):
    return BoardFactory(name="Bone metastasis MDT")


@pytest.fixture
def other_board(db):
    return BoardFactory(name="Other hospital bone MDT")


def _member(board, username, role, specialty=""):
    user = UserFactory(username=username)
    board_member_add(board=board, user=user, role=role, specialty=specialty)
    return user


@pytest.fixture
def coordinator(board):
    return _member(board, "coordinator", BoardRole.COORDINATOR, Specialty.COORDINATION)


@pytest.fixture
def chair(board):
    return _member(board, "chair", BoardRole.CHAIR, Specialty.MEDICAL_ONCOLOGY)


@pytest.fixture
def spine_surgeon(board):
    return _member(board, "spine_surgeon", BoardRole.SPECIALIST, Specialty.SPINE_SURGERY)


@pytest.fixture
def oncologist(board):
    return _member(board, "oncologist", BoardRole.SPECIALIST, Specialty.MEDICAL_ONCOLOGY)


@pytest.fixture
def outsider(other_board):
    """A specialist of another board: must never see this board's patients."""
    return _member(other_board, "outsider", BoardRole.SPECIALIST, Specialty.RADIOLOGY)


@pytest.fixture
def administrator(db):
    user = UserFactory(username="admin", is_staff=True, is_superuser=True)
    return user


@pytest.fixture
def patient(board):
    patient = PatientFactory(board=board)
    PrimaryCancerFactory(patient=patient)
    return patient


@pytest.fixture
def verified_login():
    """Sign a test client in as a user who passed every factor of the sign-in: the
    session is logged in and, for chairs and administrators, marked verified by the
    second factor (`boardsite.accounts.testing.verified_login`). Use it instead of
    `client.force_login` for anyone the site asks for a second factor."""
    return accounts_testing.verified_login
