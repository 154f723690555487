"""Second-factor devices of a user: authenticator apps (django-otp TOTP) and recovery
codes (django-otp static tokens). The sign-in steps are in `boardsite.second_factor`;
the API's token endpoint asks for a code here too.

Recovery codes are stored as a keyed hash only (ASVS 2.6.2): the token column holds
the first 16 hex digits of HMAC-SHA256(signing key, code) (`cases.signing`), never the
code. A keyed hash rather than a password hash: a code is 8 digits (10⁸ values), which
an unkeyed or slow hash of a stolen table would still give up in hours, whereas without
the key, which is not in the database, the table gives up nothing; and checking one
code against ten slow hashes would cost a second per sign-in. The code is shown once,
when it is made. After a key rotation the codes made under an older key still work as
long as that key is configured (every configured key is tried).

Changing a factor needs the current password and, where one exists, the current code
(`reauthenticate`, ASVS 2.5.x / 3.7.1); removing one ends the user's other sessions and
revokes their API tokens (`second_factor_remove`). Each change is audited (pghistory
events on the devices, `cases.models.security`) and emailed to the user
(`cases.security_notices`).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.choices import SecurityEvent
from cases.security_notices import security_notice_queue
from cases.services import api_tokens_revoke
from cases.sessions import user_sessions_end

RECOVERY_CODE_COUNT = 10
RECOVERY_DEVICE_NAME = "recovery codes"
TOTP_DEVICE_NAME = "authenticator app"
#: Set once per session when the user neither has nor needs a second factor, so that
#: their requests do not ask the database again (`boardsite.second_factor`).
NOT_NEEDED_SESSION_KEY = "boardsite_second_factor_not_needed"
#: django-otp's static token column is 16 characters: 64 bits of the MAC.
_DIGEST_LENGTH = 16


def recovery_code_digests(code: str) -> list[str]:
    """The stored form of a recovery code under each configured signing key (the
    current key first): what the token column holds for it."""
    message = f"boardsite recovery code|{code}".encode()
    return [hmac.new(key, message, hashlib.sha256).hexdigest()[:_DIGEST_LENGTH]
            for key in settings.SIGNING_KEYS.values()]


def confirmed_totp(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def has_second_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def unconfirmed_totp(user) -> TOTPDevice:
    """The authenticator being set up: one per user, kept until confirmed with a code
    (a reload shows the same QR code)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=TOTP_DEVICE_NAME, confirmed=False)
    return device


def reauthenticate(*, user, password: str, code: str | None = None) -> None:
    """The current password, and the current code (authenticator or recovery code)
    when the user has a second factor: asked before any change to the factors.
    Raises a field-by-field `ValidationError`. A code is consumed (single use)."""
    errors: dict[str, list[str]] = {}
    if not user.check_password(password or ""):
        errors["password"] = ["Your password is not right."]
    if has_second_factor(user) and check_code(user, code or "") is None:
        errors["current_code"] = ["Enter the current code of your authenticator app, or an "
                              "unused recovery code."]
    if errors:
        raise ValidationError(errors)


def confirm_totp(request, *, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the authenticator with its first code; marks the session verified and
    returns new recovery codes, or None when the code is wrong."""
    if not device.verify_token(code.replace(" ", "")):
        return None
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
        codes = _replace_recovery_codes(user=device.user)
        security_notice_queue(user=device.user, event=SecurityEvent.SECOND_FACTOR_ADDED)
    otp_login(request, device)
    request.session.pop(NOT_NEEDED_SESSION_KEY, None)
    return codes


def _replace_recovery_codes(*, user) -> list[str]:
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(RECOVERY_CODE_COUNT)]
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True})
    device.token_set.all().delete()
    StaticToken.objects.bulk_create(
        StaticToken(device=device, token=recovery_code_digests(c)[0]) for c in codes)
    return codes


def new_recovery_codes(*, user) -> list[str]:
    """Ten single-use codes replacing any earlier ones; shown once (only their keyed
    hash is stored). The user is told by email."""
    with transaction.atomic():
        codes = _replace_recovery_codes(user=user)
        security_notice_queue(user=user, event=SecurityEvent.RECOVERY_CODES_RENEWED)
    return codes


def _use_recovery_code(device: StaticDevice, code: str) -> bool:
    """django-otp's `StaticDevice.verify_token`, matching the code's digests instead of
    the code: the same throttling, the code deleted once used."""
    if not device.verify_is_allowed()[0]:
        return False
    match = device.token_set.filter(token__in=recovery_code_digests(code)).first()
    if match is None:
        device.throttle_increment()
        return False
    match.delete()
    device.throttle_reset(commit=False)
    device.set_last_used_timestamp(commit=False)
    device.save()
    return True


def check_code(user, code: str):
    """The device a code from the authenticator or a recovery code belongs to, or None.
    django-otp throttles each device after failures. A recovery code used is emailed
    to the user."""
    code = code.replace(" ", "").strip()
    if not code:
        return None
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if device.verify_is_allowed()[0] and device.verify_token(code):
            return device
    for device in StaticDevice.objects.filter(user=user, confirmed=True):
        if _use_recovery_code(device, code):
            security_notice_queue(user=user, event=SecurityEvent.RECOVERY_CODE_USED)
            return device
    return None


def second_factor_remove(*, user, session=None) -> int:
    """Remove the user's authenticator apps and recovery codes (the user on the account
    page, or an administrator in the admin). Every session of the user ends but
    `session` (the one asking, which loses its verified mark), their API tokens are
    revoked, and they are told by email. Chairs and administrators then set up a new
    authenticator at their next request. Returns how many devices were removed."""
    with transaction.atomic():
        removed, _ = TOTPDevice.objects.filter(user=user).delete()
        static, _ = StaticDevice.objects.filter(user=user).delete()
        # Counted as devices, not their tokens (delete() also counts the cascade).
        removed += 1 if static else 0
        user_sessions_end(user=user, keep=session.session_key if session else None)
        api_tokens_revoke(user=user)
        if removed:
            security_notice_queue(user=user, event=SecurityEvent.SECOND_FACTOR_REMOVED)
    if session is not None:
        session.pop(DEVICE_ID_SESSION_KEY, None)
        session.pop(NOT_NEEDED_SESSION_KEY, None)
        session.cycle_key()
    return removed
