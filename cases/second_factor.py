"""Second-factor devices of a user: authenticator apps (django-otp TOTP) and recovery
codes (django-otp static tokens). The sign-in steps are in `boardsite.second_factor`;
the API's token endpoint asks for a code here too."""

from __future__ import annotations

import secrets

from django.db import transaction
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODE_COUNT = 10
RECOVERY_DEVICE_NAME = "recovery codes"
TOTP_DEVICE_NAME = "authenticator app"


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


def confirm_totp(request, *, device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm the authenticator with its first code; marks the session verified and
    returns new recovery codes, or None when the code is wrong."""
    if not device.verify_token(code.replace(" ", "")):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    otp_login(request, device)
    return new_recovery_codes(user=device.user)


def new_recovery_codes(*, user) -> list[str]:
    """Ten single-use codes (django-otp static tokens) replacing any earlier ones;
    shown once, stored as given (django-otp keeps static tokens in plain text)."""
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(RECOVERY_CODE_COUNT)]
    with transaction.atomic():
        device, _ = StaticDevice.objects.get_or_create(
            user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True})
        device.token_set.all().delete()
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def check_code(user, code: str):
    """The device a code from the authenticator or a recovery code belongs to, or None.
    django-otp throttles each device after failures."""
    code = code.replace(" ", "").strip()
    if not code:
        return None
    for device in [*TOTPDevice.objects.filter(user=user, confirmed=True),
                   *StaticDevice.objects.filter(user=user, confirmed=True)]:
        if device.verify_is_allowed()[0] and device.verify_token(code):
            return device
    return None
