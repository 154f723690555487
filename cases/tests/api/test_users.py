"""Administrators open and change accounts through the API (`/api/v1/users/`): the
password is checked by the site's validators and stored hashed, the hash never comes
back, nobody else may do it, and accounts are closed, never deleted."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from knox.models import AuthToken
from rest_framework.test import APIClient

from boardsite.accounts_testing import verified_login
from cases.tests.api.conftest import token_client
from cases.tests.factories import UserFactory

User = get_user_model()

STRONG = "granite kettle orbit 2291"
NEW_USER = {"username": "registrar.noor", "password": STRONG, "first_name": "Noor",
            "last_name": "Haddad", "email": "noor.haddad@hospital.example"}
SHOWN_FIELDS = {"id", "username", "first_name", "last_name", "email", "is_active"}


def _snapshot():
    return list(User.objects.order_by("pk").values())


def test_administrator_opens_an_account_that_can_sign_in(administrator, settings):
    # The production hasher, not the API tests' fast one: the stored hash is Argon2.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    response = token_client(administrator).post("/api/v1/users/", NEW_USER, format="json")
    assert response.status_code == 201, response.content
    user = User.objects.get(username="registrar.noor")
    assert response.json() == {"id": user.pk, "username": "registrar.noor",
                               "first_name": "Noor", "last_name": "Haddad",
                               "email": "noor.haddad@hospital.example", "is_active": True}
    assert user.password.startswith("argon2$")
    assert user.check_password(STRONG)
    assert not user.is_staff and not user.is_superuser
    token = APIClient().post("/api/v1/auth/token/",
                             {"username": "registrar.noor", "password": STRONG}, format="json")
    assert token.status_code == 200


def test_privilege_flags_cannot_be_set_through_the_api(administrator):
    body = {**NEW_USER, "is_superuser": True, "is_staff": True, "groups": [1]}
    response = token_client(administrator).post("/api/v1/users/", body, format="json")
    assert response.status_code == 201
    user = User.objects.get(username="registrar.noor")
    assert (user.is_superuser, user.is_staff, user.groups.count()) == (False, False, 0)
    patched = token_client(administrator).patch(f"/api/v1/users/{user.pk}/",
                                                {"is_superuser": True}, format="json")
    assert patched.status_code == 200
    user.refresh_from_db()
    assert user.is_superuser is False


@pytest.mark.parametrize(("password", "message"), [
    ("Kx9!short", "This password is too short. It must contain at least 12 characters."),
    ("password1234", "This password is too common."),
    ("802736451902", "This password is entirely numeric."),
    ("registrar.noor1", "The password is too similar to the username."),
])
def test_weak_password_is_refused_with_a_field_message(administrator, password, message):
    before = _snapshot()
    response = token_client(administrator).post(
        "/api/v1/users/", {**NEW_USER, "password": password}, format="json")
    assert response.status_code == 400
    assert response.json() == {"errors": {"password": [message]}}
    assert _snapshot() == before


def test_every_problem_is_reported_at_once(administrator, coordinator):
    before = _snapshot()
    response = token_client(administrator).post(
        "/api/v1/users/", {**NEW_USER, "username": "coordinator", "password": "short"},
        format="json")
    assert response.status_code == 400
    assert response.json() == {"errors": {
        "username": ["A user with that username already exists."],
        "password": ["This password is too short. It must contain at least 12 characters."],
    }}
    assert _snapshot() == before


def test_duplicate_username_is_refused(administrator, coordinator):
    before = _snapshot()
    response = token_client(administrator).post(
        "/api/v1/users/", {**NEW_USER, "username": "coordinator"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"errors": {
        "username": ["A user with that username already exists."]}}
    assert _snapshot() == before


def test_malformed_username_and_missing_password_are_refused(administrator):
    before = _snapshot()
    response = token_client(administrator).post(
        "/api/v1/users/", {"username": "no spaces please"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"errors": {"password": ["This field is required."]}}
    response = token_client(administrator).post(
        "/api/v1/users/", {**NEW_USER, "username": "no spaces please"}, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["username"]
    assert _snapshot() == before


def test_administrator_changes_and_closes_an_account(administrator, spine_surgeon):
    surgeon_api = token_client(spine_surgeon)
    surgeon_session = APIClient()
    verified_login(surgeon_session, spine_surgeon)
    for client in (surgeon_api, surgeon_session):
        assert client.get("/api/v1/patients/").status_code == 200
    response = token_client(administrator).patch(
        f"/api/v1/users/{spine_surgeon.pk}/",
        {"first_name": "Sam", "last_name": "Okafor", "email": "s.okafor@hospital.example",
         "is_active": False}, format="json")
    assert response.status_code == 200
    assert response.json() == {"id": spine_surgeon.pk, "username": "spine_surgeon",
                               "first_name": "Sam", "last_name": "Okafor",
                               "email": "s.okafor@hospital.example", "is_active": False}
    spine_surgeon.refresh_from_db()
    assert (spine_surgeon.first_name, spine_surgeon.last_name, spine_surgeon.is_active) == (
        "Sam", "Okafor", False)
    # A closed account's token and session stop working at once.
    for client in (surgeon_api, surgeon_session):
        assert client.get("/api/v1/patients/").status_code == 401


def test_an_administrator_cannot_close_their_own_account(administrator):
    response = token_client(administrator).patch(
        f"/api/v1/users/{administrator.pk}/", {"is_active": False}, format="json")
    assert response.status_code == 400
    assert "own account" in response.json()["errors"]["is_active"][0]
    administrator.refresh_from_db()
    assert administrator.is_active


def test_username_and_password_are_not_changed_by_patch(administrator, spine_surgeon):
    hashed = spine_surgeon.password
    response = token_client(administrator).patch(
        f"/api/v1/users/{spine_surgeon.pk}/",
        {"username": "renamed", "password": "another long passphrase 77"}, format="json")
    assert response.status_code == 200
    spine_surgeon.refresh_from_db()
    assert (spine_surgeon.username, spine_surgeon.password) == ("spine_surgeon", hashed)


def test_invalid_email_is_refused_field_by_field(administrator, spine_surgeon):
    before = _snapshot()
    response = token_client(administrator).patch(
        f"/api/v1/users/{spine_surgeon.pk}/", {"email": "not-an-address"}, format="json")
    assert response.status_code == 400
    assert response.json() == {"errors": {"email": ["Enter a valid email address."]}}
    assert _snapshot() == before


@pytest.mark.parametrize("method", ["delete", "put"])
def test_accounts_are_never_deleted_or_replaced(administrator, spine_surgeon, method):
    before = _snapshot()
    response = getattr(token_client(administrator), method)(
        f"/api/v1/users/{spine_surgeon.pk}/", {**NEW_USER}, format="json")
    assert response.status_code == 405
    assert set(response.json()["errors"]) == {"detail"}
    assert _snapshot() == before


@pytest.mark.parametrize("role", ["coordinator", "spine_surgeon", "chair", "outsider"])
def test_nobody_but_an_administrator_opens_or_changes_accounts(request, role, oncologist):
    user = request.getfixturevalue(role)
    api = token_client(user)
    before = _snapshot()
    created = api.post("/api/v1/users/", NEW_USER, format="json")
    changed = api.patch(f"/api/v1/users/{oncologist.pk}/", {"is_active": False},
                        format="json")
    for response in (created, changed):
        assert response.status_code == 403
        assert response.json() == {"errors": {
            "detail": ["Only administrators manage users and board memberships."]}}
    assert _snapshot() == before


def test_anonymous_is_refused(oncologist):
    before = _snapshot()
    assert APIClient().post("/api/v1/users/", NEW_USER, format="json").status_code == 401
    assert APIClient().patch(f"/api/v1/users/{oncologist.pk}/", {"is_active": False},
                             format="json").status_code == 401
    assert _snapshot() == before


def test_the_password_hash_never_leaves_the_api(administrator):
    UserFactory(username="someone")
    api = token_client(administrator)
    created = api.post("/api/v1/users/", NEW_USER, format="json")
    user = User.objects.get(username="registrar.noor")
    responses = [
        created,
        api.get("/api/v1/users/"),
        api.get(f"/api/v1/users/{user.pk}/"),
        api.patch(f"/api/v1/users/{user.pk}/", {"first_name": "N."}, format="json"),
    ]
    hashes = [u.password for u in User.objects.all()]
    for response in responses:
        assert response.status_code in (200, 201)
        body = response.content.decode()
        assert "password" not in body
        assert STRONG not in body
        assert not any(h in body for h in hashes)
    rows = responses[1].json()["results"]
    assert {frozenset(row) for row in rows} == {frozenset(SHOWN_FIELDS)}
    assert "someone" in {row["username"] for row in rows}


def test_administrator_sets_a_new_password_and_the_old_credentials_stop(
        administrator, spine_surgeon, client):
    spine_surgeon.set_password(STRONG)
    spine_surgeon.save()
    old_token = token_client(spine_surgeon)
    assert old_token.get("/api/v1/patients/").status_code == 200
    verified_login(client, spine_surgeon)
    assert client.get("/reminders/").status_code == 200
    new = "basalt lantern meadow 7702"
    response = token_client(administrator).post(
        f"/api/v1/users/{spine_surgeon.pk}/password/", {"password": new}, format="json")
    assert response.status_code == 204
    spine_surgeon.refresh_from_db()
    assert spine_surgeon.check_password(new) and not spine_surgeon.check_password(STRONG)
    assert not AuthToken.objects.filter(user=spine_surgeon).exists()
    assert old_token.get("/api/v1/patients/").status_code == 401
    assert client.get("/reminders/").status_code == 302  # the session ended: to sign-in
    signed_in = APIClient().post("/api/v1/auth/token/",
                                 {"username": spine_surgeon.username, "password": new},
                                 format="json")
    assert signed_in.status_code == 200


@pytest.mark.parametrize(("password", "message"), [
    ("short", "too short"), ("123456789012345", "entirely numeric")])
def test_a_weak_new_password_is_refused_and_nothing_changes(administrator, spine_surgeon,
                                                            password, message):
    before = _snapshot()
    response = token_client(administrator).post(
        f"/api/v1/users/{spine_surgeon.pk}/password/", {"password": password}, format="json")
    assert response.status_code == 400
    assert message in " ".join(response.json()["errors"]["password"])
    assert _snapshot() == before


def test_only_an_administrator_sets_passwords(coordinator, spine_surgeon):
    before = _snapshot()
    response = token_client(coordinator).post(
        f"/api/v1/users/{spine_surgeon.pk}/password/", {"password": STRONG}, format="json")
    assert response.status_code == 403
    assert _snapshot() == before
