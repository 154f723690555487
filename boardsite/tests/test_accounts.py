"""Accounts (issue #13): hashed expiring API tokens revoked on sign-out and on every
password change, the self-service password change, the second factor for chairs and
administrators with recovery codes, and sign-in limits keyed on username and address
behind a trusted proxy."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.crypto import hash_token
from knox.models import AuthToken
from rest_framework.test import APIClient

from boardsite.accounts_testing import totp_device, verified_login
from boardsite.signin_limits import client_ip
from cases import services
from cases.second_factor import new_recovery_codes, recovery_code_digests
from cases.tests.api.conftest import token_client

PASSWORD = "correct horse battery staple"  # the factories' password
NEW_PASSWORD = "basalt lantern meadow 7702"


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def _sign_in(client, username, password=PASSWORD, **extra):
    return client.post("/accounts/login/", {"username": username, "password": password},
                       **extra)


# --- API tokens --------------------------------------------------------------------------

def test_a_token_is_stored_as_a_digest_and_expires(spine_surgeon, patient):
    response = APIClient().post("/api/v1/auth/token/", {
        "username": "spine_surgeon", "password": PASSWORD}, format="json")
    assert response.status_code == 200
    token = response.json()["token"]
    row = AuthToken.objects.get(user=spine_surgeon)
    assert row.digest == hash_token(token) and token not in (row.digest, row.token_key)
    assert abs(row.expiry - row.created - dt.timedelta(hours=10)) < dt.timedelta(seconds=1)
    assert response.json()["expiry"] == row.expiry.isoformat().replace("+00:00", "Z")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get(f"/api/v1/patients/{patient.pk}/").status_code == 200
    AuthToken.objects.filter(pk=row.pk).update(expiry=timezone.now() - dt.timedelta(seconds=1))
    response = client.get(f"/api/v1/patients/{patient.pk}/")
    assert response.status_code == 401
    assert response.json() == {"errors": {"detail": ["Invalid token."]}}
    assert not AuthToken.objects.filter(pk=row.pk).exists()


def test_a_token_with_the_right_prefix_and_a_wrong_rest_is_refused(spine_surgeon):
    _, token = services.api_token_issue(user=spine_surgeon)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token[:15]}{'0' * 49}")
    assert client.get("/api/v1/patients/").status_code == 401


def test_api_sign_out_revokes_only_the_token_it_was_sent_with(spine_surgeon):
    first, second = token_client(spine_surgeon), token_client(spine_surgeon)
    assert first.post("/api/v1/auth/logout/").status_code == 204
    assert first.get("/api/v1/patients/").status_code == 401
    assert second.get("/api/v1/patients/").status_code == 200


def test_signing_out_of_the_site_revokes_every_api_token(client, spine_surgeon):
    api = token_client(spine_surgeon)
    verified_login(client, spine_surgeon)
    assert client.post("/accounts/logout/").status_code == 302
    assert api.get("/api/v1/patients/").status_code == 401
    assert not AuthToken.objects.filter(user=spine_surgeon).exists()


def test_any_saved_password_change_revokes_the_tokens(spine_surgeon, coordinator):
    api, other = token_client(spine_surgeon), token_client(coordinator)
    spine_surgeon.set_password(NEW_PASSWORD)
    spine_surgeon.save()
    assert api.get("/api/v1/patients/").status_code == 401
    assert other.get("/api/v1/patients/").status_code == 200


def test_the_changepassword_command_revokes_the_tokens(spine_surgeon, monkeypatch):
    api = token_client(spine_surgeon)
    monkeypatch.setattr("django.contrib.auth.management.commands.changepassword.getpass.getpass",
                        lambda prompt="": NEW_PASSWORD)
    call_command("changepassword", "spine_surgeon", stdout=io.StringIO())
    assert api.get("/api/v1/patients/").status_code == 401


def test_an_admin_password_reset_in_the_admin_revokes_the_tokens(client, administrator,
                                                                  spine_surgeon):
    api = token_client(spine_surgeon)
    verified_login(client, administrator)
    response = client.post(f"/admin/auth/user/{spine_surgeon.pk}/password/", {
        "password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"})
    assert response.status_code == 302
    assert api.get("/api/v1/patients/").status_code == 401


# --- Self-service password change ------------------------------------------------------------

def test_password_change_needs_the_current_password_and_a_strong_new_one(client, spine_surgeon):
    verified_login(client, spine_surgeon)
    response = client.post("/accounts/password/", {
        "old_password": "wrong", "new_password": "1234", "new_password_again": "1234"})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["old_password"] == ["Your current password is not right."]
    assert "This password is too short. It must contain at least 12 characters." in \
        errors["new_password"]
    spine_surgeon.refresh_from_db()
    assert spine_surgeon.check_password(PASSWORD)


def test_password_change_keeps_this_session_and_ends_the_others(client, spine_surgeon):
    other = type(client)()
    verified_login(client, spine_surgeon)
    verified_login(other, spine_surgeon)
    api = token_client(spine_surgeon)
    response = client.post("/accounts/password/", {
        "old_password": PASSWORD, "new_password": NEW_PASSWORD,
        "new_password_again": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/accounts/"
    spine_surgeon.refresh_from_db()
    assert spine_surgeon.check_password(NEW_PASSWORD)
    assert client.get("/reminders/").status_code == 200
    assert other.get("/reminders/").status_code == 302
    assert api.get("/api/v1/patients/").status_code == 401


def test_the_two_new_passwords_must_match(client, spine_surgeon):
    verified_login(client, spine_surgeon)
    response = client.post("/accounts/password/", {
        "old_password": PASSWORD, "new_password": NEW_PASSWORD,
        "new_password_again": NEW_PASSWORD + "x"})
    assert response.context["form"].errors == {
        "new_password_again": ["The two new passwords differ."]}


# --- Second factor ------------------------------------------------------------------------

def test_a_chair_without_an_authenticator_is_sent_to_set_up_and_enrols(client, chair):
    assert _sign_in(client, "chair")["Location"] == "/"
    response = client.get("/meetings/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/two-factor/setup/?next=%2Fmeetings%2F"
    page = client.get(response["Location"])
    assert page.status_code == 200
    svg = re.search(r"<svg.*?</svg>", page.content.decode(), re.S).group(0)
    assert "<script" not in svg and "style=" not in svg
    device = TOTPDevice.objects.get(user=chair, confirmed=False)
    assert client.get("/api/v1/patients/").status_code == 403  # the session is not verified
    wrong = client.post("/accounts/two-factor/setup/", {"code": "000000", "next": "/meetings/",
                                                        "password": PASSWORD})
    assert "That code is not right." in wrong.content.decode()
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.save()
    done = client.post("/accounts/two-factor/setup/", {"code": _code(device),
                                                       "password": PASSWORD,
                                                       "next": "/meetings/"})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10 and all(re.fullmatch(r"\d{8}", c) for c in codes)
    # Only a keyed hash of each code is stored, never the code (ASVS 2.6.2).
    stored = set(StaticToken.objects.filter(device__user=chair).values_list("token", flat=True))
    assert stored == {recovery_code_digests(c)[0] for c in codes}
    assert not stored & set(codes)
    assert client.get("/meetings/").status_code == 200


def test_an_enrolled_chair_must_enter_a_code_and_a_recovery_code_works_once(client, chair):
    device = totp_device(chair)
    codes = new_recovery_codes(user=chair)
    _sign_in(client, "chair")
    assert client.get("/meetings/")["Location"] == \
        "/accounts/two-factor/verify/?next=%2Fmeetings%2F"
    ok = client.post("/accounts/two-factor/verify/", {"code": codes[0], "next": "/meetings/"})
    assert ok["Location"] == "/meetings/"
    assert client.get("/meetings/").status_code == 200
    client.post("/accounts/logout/")
    _sign_in(client, "chair")
    again = client.post("/accounts/two-factor/verify/", {"code": codes[0], "next": "/"})
    assert again.status_code == 200
    assert "That code is not right, or was already used." in again.content.decode()
    # django-otp throttles a device for a while after a wrong code; the test waits it out.
    device.refresh_from_db()
    device.throttle_reset()
    assert client.post("/accounts/two-factor/verify/",
                       {"code": _code(device), "next": "/"}).status_code == 302


def test_an_administrator_needs_the_second_factor_for_the_admin(client, administrator):
    _sign_in(client, "admin")
    assert client.get("/admin/")["Location"].startswith("/accounts/two-factor/setup/")


def test_a_specialist_signs_in_with_the_password_only(client, spine_surgeon):
    _sign_in(client, "spine_surgeon")
    assert client.get("/meetings/").status_code == 200
    assert not TOTPDevice.objects.filter(user=spine_surgeon).exists()


def test_a_specialist_who_set_up_an_authenticator_must_use_it(client, spine_surgeon):
    totp_device(spine_surgeon)
    _sign_in(client, "spine_surgeon")
    assert client.get("/meetings/")["Location"].startswith("/accounts/two-factor/verify/")


def test_the_token_endpoint_asks_chairs_for_their_code(chair):
    client = APIClient()
    body = {"username": "chair", "password": PASSWORD}
    refused = client.post("/api/v1/auth/token/", body, format="json")
    assert refused.status_code == 400
    assert list(refused.json()["errors"]) == ["otp"]
    device = totp_device(chair)
    wrong = client.post("/api/v1/auth/token/", {**body, "otp": "000000"}, format="json")
    assert wrong.json() == {"errors": {"otp": [
        "Enter the current code of your authenticator app, or an unused recovery code."]}}
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.save()
    ok = client.post("/api/v1/auth/token/", {**body, "otp": _code(device)}, format="json")
    assert ok.status_code == 200
    assert AuthToken.objects.filter(user=chair).count() == 1


# --- Sign-in limits ------------------------------------------------------------------------

class _Request:
    def __init__(self, remote, forwarded=None):
        self.META = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            self.META["HTTP_X_FORWARDED_FOR"] = forwarded


@override_settings(BOARDSITE_TRUSTED_PROXIES=["10.0.0.2", "10.1.0.0/16"])
@pytest.mark.parametrize(("remote", "forwarded", "expected"), [
    ("203.0.113.9", "198.51.100.1", "203.0.113.9"),  # not from a proxy: header ignored
    ("10.0.0.2", "198.51.100.1", "198.51.100.1"),
    ("10.0.0.2", "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # the client's own entry is skipped
    ("10.0.0.2", "198.51.100.1, 10.1.4.4", "198.51.100.1"),  # through two trusted proxies
    ("10.0.0.2", "not-an-ip", "10.0.0.2"),
    ("10.0.0.2", None, "10.0.0.2"),
])
def test_the_client_address_comes_from_trusted_proxies_only(remote, forwarded, expected):
    assert client_ip(_Request(remote, forwarded)) == expected


@override_settings(BOARDSITE_TRUSTED_PROXIES=["10.0.0.2"], AXES_FAILURE_LIMIT=3)
def test_someone_elsewhere_cannot_lock_the_chair_out(client, spine_surgeon):
    attacker = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "198.51.100.66"}
    statuses = [_sign_in(client, "spine_surgeon", "wrong", **attacker).status_code
                for _ in range(4)]
    assert statuses == [200, 200, 429, 429]
    owner = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    assert _sign_in(type(client)(), "spine_surgeon", **owner).status_code == 302


@override_settings(BOARDSITE_LOGIN_ADDRESS_FAILURE_LIMIT=6, AXES_FAILURE_LIMIT=5)
def test_password_spraying_from_one_address_is_stopped(client, spine_surgeon):
    statuses = [_sign_in(client, f"nobody{n}", "Winter2026!",
                         REMOTE_ADDR="198.51.100.9").status_code for n in range(6)]
    assert statuses == [200] * 5 + [429]
    assert sum(AccessAttempt.objects.values_list("failures_since_start", flat=True)) == 6
    locked = _sign_in(client, "spine_surgeon", REMOTE_ADDR="198.51.100.9")
    assert locked.status_code == 429
    assert _sign_in(type(client)(), "spine_surgeon",
                    REMOTE_ADDR="198.51.100.10").status_code == 302


