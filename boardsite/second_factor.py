"""The second factor (TOTP, django-otp) at sign-in, and the recovery codes.

Chairs and administrators must pass it (`cases.selectors.second_factor_required`);
anyone else who has set up an authenticator app passes it too; others sign in with the
password alone. After the password, `SecondFactorMiddleware` sends the session to the
verification page, or to set-up when a chair or administrator has no authenticator yet
(enrolment at first sign-in: the page shows a QR code and the key as text).

A verified session carries django-otp's device ID (``django_otp.login``); the
middleware reads only the session, so a verified request costs no query. django-otp's
own `OTPMiddleware` would load the device on every request.
"""

from __future__ import annotations

import base64
from urllib.parse import urlencode

import segno
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.second_factor import NOT_NEEDED_SESSION_KEY, has_second_factor
from cases.selectors import second_factor_required

# NOT_NEEDED_SESSION_KEY is set once per session when the user neither has nor needs a
# second factor, so that their requests do not ask the database again. A role that
# needs one, given mid-session, still applies from the next request: granting it ends
# every unverified session of the user and revokes their API tokens
# (`cases.services.user_roles_changed`), so the next request signs in again and meets
# this gate.
__all__ = ["NOT_NEEDED_SESSION_KEY", "SecondFactorMiddleware", "is_verified", "note_sign_in"]
API_MESSAGE = "Finish signing in with your second factor (authenticator app) first."

#: Paths an unverified session may reach: the steps of signing in and out, static files.
_OPEN_PREFIXES = ("/accounts/", "/static/", "/healthz")


def note_sign_in(request, user) -> None:
    """At sign-in: remember in the session when the user neither has nor needs a second
    factor, so that the middleware asks the database only once per session."""
    if not has_second_factor(user) and not second_factor_required(user=user):
        request.session[NOT_NEEDED_SESSION_KEY] = True


def is_verified(request) -> bool:
    return bool(request.session.get(DEVICE_ID_SESSION_KEY))


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (user.is_authenticated and not is_verified(request)
                and not request.session.get(NOT_NEEDED_SESSION_KEY)
                and not request.path.startswith(_OPEN_PREFIXES)):
            if has_second_factor(user):
                target = "two_factor_verify"
            elif second_factor_required(user=user):
                target = "two_factor_setup"
            else:
                request.session[NOT_NEEDED_SESSION_KEY] = True
                return self.get_response(request)
            if request.path.startswith("/api/"):
                return JsonResponse({"errors": {"detail": [API_MESSAGE]}}, status=403)
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// URL as an inline SVG (no script, no style attribute: CSP-clean)."""
    return segno.make(device.config_url, error="m").svg_inline(
        scale=5, dark="#000", light="#fff", title="QR code for your authenticator app")


def base32_key(device: TOTPDevice) -> str:
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i:i + 4] for i in range(0, len(key), 4))

