"""Signing in for tests with every factor the site asks for.

`client.force_login` skips the sign-in page, so a chair's or administrator's session
would still be sent to the second-factor step. `verified_login` also gives such a user
a confirmed authenticator (if they have none) and marks the session verified with it,
as `django_otp.login` does after a right code. Browser tests go through the real pages
instead (`tests/browser/conftest.py` types the code of the user's authenticator).
"""

from __future__ import annotations

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from boardsite.second_factor import NOT_NEEDED_SESSION_KEY
from cases.selectors import second_factor_required


def totp_device(user) -> TOTPDevice:
    """The user's confirmed authenticator, made if missing."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="test authenticator",
                                               confirmed=True)


def verified_login(client, user) -> None:
    client.force_login(user)
    session = client.session
    if second_factor_required(user=user):
        session[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id
    else:
        # What the sign-in page notes for a user without a second factor.
        session[NOT_NEEDED_SESSION_KEY] = True
    session.save()
