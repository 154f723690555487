"""The ASVS level-2 items of accounts (issue #13's closing note): recovery codes stored
hashed, no TOTP key in the admin, re-authentication before a factor changes, removing a
factor ends sessions and tokens, a role needing a factor applies at the next request,
and an email on every security event."""

from __future__ import annotations

import datetime as dt
import importlib
import smtplib

import pytest
from django.apps import apps as django_apps
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.mail import EmailMessage
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from boardsite.accounts_testing import totp_device, verified_login
from boardsite.tests.test_accounts import NEW_PASSWORD, PASSWORD, _code, _sign_in
from cases import security_notices, services
from cases.choices import BoardRole, SecurityEvent
from cases.models import SecurityNotice
from cases.models.security import TrackedAuthenticator
from cases.second_factor import check_code, new_recovery_codes, recovery_code_digests
from cases.sessions import user_sessions_end
from cases.tests.api.conftest import token_client
from cases.tests.factories import BoardFactory

pytestmark = pytest.mark.django_db


def _events(user) -> list[str]:
    return list(SecurityNotice.objects.filter(user=user).order_by("pk")
                .values_list("event", flat=True))


def _verified_with(client, user, device) -> None:
    """Signed in and past the second factor with `device` (what a right code does)."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def _fresh(device):
    device.refresh_from_db()
    device.throttle_reset()
    return device


# --- 1. Recovery codes are stored as a keyed hash -----------------------------------------

def test_recovery_codes_are_stored_as_a_keyed_hash_and_work_once(chair):
    codes = new_recovery_codes(user=chair)
    stored = set(StaticToken.objects.filter(device__user=chair).values_list("token", flat=True))
    assert len(stored) == 10 and not stored & set(codes)
    assert stored == {recovery_code_digests(code)[0] for code in codes}
    assert isinstance(check_code(chair, codes[3]), StaticDevice)
    assert check_code(chair, codes[3]) is None  # used up
    assert StaticToken.objects.filter(device__user=chair).count() == 9


def test_codes_made_under_an_older_key_still_work_after_a_rotation(chair, settings):
    settings.SIGNING_KEYS = {"a2026": b"a" * 40}
    codes = new_recovery_codes(user=chair)
    settings.SIGNING_KEYS = {"b2027": b"b" * 40, "a2026": b"a" * 40}
    assert check_code(chair, codes[0]) is not None
    settings.SIGNING_KEYS = {"b2027": b"b" * 40}
    assert check_code(chair, codes[1]) is None


def test_the_migration_hashes_codes_stored_in_plain_text(chair):
    device = StaticDevice.objects.create(user=chair, name="recovery codes", confirmed=True)
    StaticToken.objects.create(device=device, token="12345678")
    migration = importlib.import_module(
        "cases.migrations.0021_second_factor_audit_notices_hashed_recovery_codes")
    migration.hash_recovery_codes(django_apps, None)
    migration.hash_recovery_codes(django_apps, None)  # a second run changes nothing
    assert list(StaticToken.objects.filter(device=device).values_list("token", flat=True)) \
        == [recovery_code_digests("12345678")[0]]
    assert check_code(chair, "12345678") == device


# --- 2. The admin never shows or exports a TOTP key -------------------------------------

def test_the_admin_shows_no_totp_key_qr_code_or_recovery_code(client, administrator, chair):
    device = totp_device(chair)
    codes = new_recovery_codes(user=chair)
    verified_login(client, administrator)
    pages = [client.get("/admin/otp_totp/totpdevice/"),
             client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/")]
    for page in pages:
        assert page.status_code == 200
        body = page.content.decode()
        assert device.key not in body and "qrcode" not in body.lower()
        assert not any(code in body for code in codes)
    assert "test authenticator" in pages[0].content.decode()
    for url in (f"/admin/otp_totp/totpdevice/{device.pk}/config/",
                f"/admin/otp_totp/totpdevice/{device.pk}/qrcode/",
                "/admin/otp_static/staticdevice/",
                f"/admin/otp_static/staticdevice/{device.pk}/change/"):
        assert client.get(url).status_code in (302, 404), url
    assert client.get("/admin/otp_totp/totpdevice/add/").status_code == 403
    # Read-only: a posted key changes nothing.
    client.post(f"/admin/otp_totp/totpdevice/{device.pk}/change/",
                {"user": chair.pk, "name": "x", "key": "00" * 20})
    assert TOTPDevice.objects.get(pk=device.pk).key == device.key


# --- 3. Removing a factor ends sessions and tokens ---------------------------------------

def _chair_session(chair) -> Client:
    other = Client()
    verified_login(other, chair)
    assert other.get("/meetings/").status_code == 200
    return other


def test_removing_a_device_in_the_admin_ends_sessions_and_tokens_audited(
        client, administrator, chair, django_capture_on_commit_callbacks):
    device = totp_device(chair)
    new_recovery_codes(user=chair)
    chair_browser = _chair_session(chair)
    api = token_client(chair)
    verified_login(client, administrator)
    with django_capture_on_commit_callbacks():
        response = client.post(f"/admin/otp_totp/totpdevice/{device.pk}/delete/",
                               {"post": "yes"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=chair).exists()
    assert not StaticDevice.objects.filter(user=chair).exists()
    assert chair_browser.get("/meetings/")["Location"].startswith("/accounts/login/")
    assert api.get("/api/v1/patients/").status_code == 401
    assert not AuthToken.objects.filter(user=chair).exists()
    removal = TrackedAuthenticator.pgh_event_model.objects.get(pgh_obj_id=device.pk,
                                                               pgh_label="remove")
    assert "key" not in {f.name for f in removal._meta.fields}
    assert removal.pgh_context.metadata["user"] == administrator.pk
    assert SecurityEvent.SECOND_FACTOR_REMOVED in _events(chair)
    # The administrator's own session goes on.
    assert client.get("/admin/").status_code == 200


def test_self_service_removal_needs_password_and_code(client, spine_surgeon,
                                                      django_capture_on_commit_callbacks):
    device = totp_device(spine_surgeon)
    _verified_with(client, spine_surgeon, device)
    other = Client()
    _verified_with(other, spine_surgeon, device)
    assert other.get("/meetings/").status_code == 200
    api = token_client(spine_surgeon)
    wrong = client.post("/accounts/two-factor/remove/", {"password": "wrong",
                                                          "current_code": "000000"})
    assert wrong.status_code == 200
    assert wrong.context["form"].errors == {
        "password": ["Your password is not right."],
        "current_code": ["Enter the current code of your authenticator app, or an unused "
                         "recovery code."]}
    assert TOTPDevice.objects.filter(user=spine_surgeon).exists()
    assert api.get("/api/v1/patients/").status_code == 200
    _fresh(device)
    with django_capture_on_commit_callbacks():
        done = client.post("/accounts/two-factor/remove/",
                           {"password": PASSWORD, "current_code": _code(device)})
    assert done["Location"] == "/accounts/"
    assert not TOTPDevice.objects.filter(user=spine_surgeon).exists()
    assert other.get("/meetings/")["Location"].startswith("/accounts/login/")
    assert api.get("/api/v1/patients/").status_code == 401
    # This session goes on, now with the password only (a specialist needs no factor).
    assert client.get("/meetings/").status_code == 200


def test_a_chair_who_removes_the_factor_sets_up_a_new_one_at_once(client, chair):
    device = totp_device(chair)
    verified_login(client, chair)
    client.post("/accounts/two-factor/remove/", {"password": PASSWORD,
                                                  "current_code": _code(device)})
    assert client.get("/meetings/")["Location"].startswith("/accounts/two-factor/setup/")


# --- 4. A role that needs a factor applies at the next request ----------------------------

def test_a_chair_seat_given_mid_session_asks_for_the_factor_at_the_next_request(
        client, board, spine_surgeon):
    _sign_in(client, "spine_surgeon")
    assert client.get("/meetings/").status_code == 200
    api = token_client(spine_surgeon)
    assert api.get("/api/v1/patients/").status_code == 200
    services.board_member_add(board=board, user=spine_surgeon, role=BoardRole.CHAIR)
    assert client.get("/meetings/")["Location"].startswith("/accounts/login/")
    assert api.get("/api/v1/patients/").status_code == 401
    _sign_in(client, "spine_surgeon")
    assert client.get("/meetings/")["Location"].startswith("/accounts/two-factor/setup/")
    refused = token_client(None).post("/api/v1/auth/token/",
                                      {"username": "spine_surgeon", "password": PASSWORD},
                                      format="json")
    assert list(refused.json()["errors"]) == ["otp"]


def test_staff_status_given_in_the_admin_applies_at_the_next_request(
        client, administrator, spine_surgeon):
    other = Client()
    _sign_in(other, "spine_surgeon")
    assert other.get("/meetings/").status_code == 200
    verified_login(client, administrator)
    page = client.get(f"/admin/auth/user/{spine_surgeon.pk}/change/")
    form = page.context["adminform"].form
    data = {name: value for name, value in form.initial.items()
            if value is not None and name not in ("password", "groups", "user_permissions")}
    data.update({"is_staff": "on", "is_active": "on",
                 "date_joined_0": timezone.now().strftime("%Y-%m-%d"),
                 "date_joined_1": "09:00:00", "last_login_0": "", "last_login_1": ""})
    response = client.post(f"/admin/auth/user/{spine_surgeon.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert other.get("/meetings/")["Location"].startswith("/accounts/login/")


def test_a_session_verified_with_a_factor_survives_a_new_role(client, spine_surgeon):
    verified = Client()
    verified_login(verified, spine_surgeon)
    session = verified.session
    session[DEVICE_ID_SESSION_KEY] = totp_device(spine_surgeon).persistent_id
    session.save()
    services.board_member_add(board=BoardFactory(name="Second board"), user=spine_surgeon,
                              role=BoardRole.CHAIR)
    assert verified.get("/meetings/").status_code == 200


# --- 5. Security emails --------------------------------------------------------------------

@pytest.fixture
def enqueued(monkeypatch):
    sent: list[int] = []
    monkeypatch.setattr(security_notices.current_app, "send_task",
                        lambda name, args, **kw: sent.append((name, *args)))
    return sent


def test_a_password_change_is_emailed_after_commit_in_plain_words(
        client, spine_surgeon, enqueued, django_capture_on_commit_callbacks):
    verified_login(client, spine_surgeon)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/", {"old_password": PASSWORD,
                                            "new_password": NEW_PASSWORD,
                                            "new_password_again": NEW_PASSWORD})
    notice = SecurityNotice.objects.get(user=spine_surgeon)
    assert notice.event == SecurityEvent.PASSWORD_CHANGED
    assert enqueued == [("cases.security_notice_send", notice.pk)]
    assert security_notices.security_notice_send(notice_id=notice.pk) is True
    assert security_notices.security_notice_send(notice_id=notice.pk) is False  # once
    (message,) = mail.outbox
    assert message.to == ["spine_surgeon@hospital.example"]
    assert message.subject == "Your Boardsite password was changed"
    assert message.extra_headers["Message-ID"] == security_notices.message_id(notice)
    assert "The password of your Boardsite account was changed." in message.body
    assert "Account: spine_surgeon." in message.body
    assert type(message) is EmailMessage and message.attachments == []


def test_every_event_is_queued(client, chair, spine_surgeon, enqueued, settings):
    settings.AXES_FAILURE_LIMIT = 2
    device = totp_device(chair)
    codes = new_recovery_codes(user=chair)
    check_code(chair, codes[0])
    services.api_token_issue(user=chair)
    for _ in range(3):
        _sign_in(client, "chair", password="wrong password")
    assert _events(chair) == [SecurityEvent.RECOVERY_CODES_RENEWED,
                              SecurityEvent.RECOVERY_CODE_USED,
                              SecurityEvent.API_TOKEN_ISSUED,
                              SecurityEvent.LOCKED_OUT]  # once per cool-off period
    verified_login(client, chair)
    client.post("/accounts/two-factor/remove/", {"password": PASSWORD,
                                                  "current_code": _code(_fresh(device))})
    assert _events(chair)[-1] == SecurityEvent.SECOND_FACTOR_REMOVED
    client.get("/accounts/two-factor/setup/")
    new = TOTPDevice.objects.get(user=chair, confirmed=False)
    client.post("/accounts/two-factor/setup/", {"password": PASSWORD, "code": _code(new)})
    assert _events(chair)[-1] == SecurityEvent.SECOND_FACTOR_ADDED


def test_a_notice_whose_task_was_lost_is_sent_by_the_sweep(spine_surgeon, time_machine):
    # No task ever ran (a worker killed before it acknowledged, a broker message lost).
    notice = security_notices.security_notice_queue(user=spine_surgeon,
                                                    event=SecurityEvent.API_TOKEN_ISSUED)
    assert security_notices.security_notices_send_due() == 0  # the task's turn first
    time_machine.move_to(timezone.now() + dt.timedelta(minutes=2))
    assert security_notices.security_notices_send_due() == 1
    assert len(mail.outbox) == 1
    assert security_notices.security_notices_send_due() == 0
    notice.refresh_from_db()
    assert notice.sent_at is not None and notice.attempts == 1


def test_an_smtp_failure_is_retried_later_then_given_up(spine_surgeon, monkeypatch,
                                                        time_machine):
    notice = security_notices.security_notice_queue(user=spine_surgeon,
                                                    event=SecurityEvent.LOCKED_OUT)

    def refuse(self, fail_silently=False):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    for attempt in range(1, security_notices.MAX_ATTEMPTS + 1):
        assert security_notices.security_notice_send(notice_id=notice.pk) is False
        notice.refresh_from_db()
        assert notice.attempts == attempt
        time_machine.move_to(notice.next_attempt_at + dt.timedelta(seconds=1))
    assert notice.failed is True and notice.sent_at is None
    assert security_notices.security_notice_send(notice_id=notice.pk) is False


def test_no_email_for_an_account_without_an_address(spine_surgeon):
    spine_surgeon.email = ""
    assert security_notices.security_notice_queue(
        user=spine_surgeon, event=SecurityEvent.PASSWORD_CHANGED) is None


def test_every_email_uses_only_the_fixed_sentences(spine_surgeon, patient):
    for event in SecurityEvent:
        notice = SecurityNotice.objects.create(user=spine_surgeon, event=event)
        body = security_notices.build_message(notice).body
        for private in (patient.family_name, patient.given_name, patient.hospital_number):
            assert private not in body
        assert "\n" in body and "{" not in body


# --- 6. Re-authentication before factor changes ------------------------------------------

def test_setting_up_an_authenticator_needs_the_password(client, chair):
    _sign_in(client, "chair")
    client.get("/accounts/two-factor/setup/")
    device = TOTPDevice.objects.get(user=chair, confirmed=False)
    wrong = client.post("/accounts/two-factor/setup/", {"password": "wrong",
                                                         "code": _code(device)})
    assert wrong.context["form"].errors == {"password": ["Your password is not right."]}
    assert not TOTPDevice.objects.filter(user=chair, confirmed=True).exists()


def test_a_second_authenticator_cannot_be_added_over_the_first(client, chair):
    totp_device(chair)
    verified_login(client, chair)
    assert client.get("/accounts/two-factor/setup/")["Location"] == "/accounts/"
    assert TOTPDevice.objects.filter(user=chair).count() == 1


def test_new_recovery_codes_need_the_password_and_the_current_code(client, chair):
    device = totp_device(chair)
    old = new_recovery_codes(user=chair)
    verified_login(client, chair)
    refused = client.post("/accounts/two-factor/recovery-codes/",
                          {"password": PASSWORD, "current_code": ""})
    assert refused.status_code == 200 and "codes" not in refused.context
    assert set(refused.context["form"].errors) == {"current_code"}
    ok = client.post("/accounts/two-factor/recovery-codes/",
                     {"password": PASSWORD, "current_code": _code(_fresh(device))})
    assert len(ok.context["codes"]) == 10
    assert check_code(chair, old[1]) is None
    _fresh(StaticDevice.objects.get(user=chair))  # django-otp's pause after a wrong code
    assert check_code(chair, ok.context["codes"][0]) is not None


def test_only_unexpired_sessions_of_the_user_are_ended(spine_surgeon, coordinator):
    mine, theirs = Client(), Client()
    verified_login(mine, spine_surgeon)
    verified_login(theirs, coordinator)
    assert user_sessions_end(user=spine_surgeon) == 1
    assert theirs.get("/meetings/").status_code == 200
    verified_login(mine, spine_surgeon)
    Session.objects.filter(session_key=mine.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1))
    assert user_sessions_end(user=spine_surgeon) == 0
