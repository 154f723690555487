"""What django-axes answers when a username is locked out after too many failures.

The sign-in page keeps its HTML page; the API's token endpoint answers 429 in the
API's error format (`cases.api.errors`), so integrations see the same shape as every
other error.
"""

from __future__ import annotations

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render

LOCKOUT_MESSAGE = (
    "Too many failed sign-in attempts: this account is locked for a while. "
    "Try again later or ask an administrator to unlock it."
)


def lockout_response(request, original_response=None, credentials=None):
    status = getattr(settings, "AXES_HTTP_RESPONSE_CODE", 429)
    if request.path.startswith("/api/"):
        return JsonResponse({"errors": {"detail": [LOCKOUT_MESSAGE]}}, status=status)
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, {}, status=status)
