"""One error format for the whole API.

Every error response — validation (400), authentication (401), permission (403),
not found (404), method (405), lockout or throttling (429) — has the same body::

    {"errors": {"<field>": ["message", ...], ...}}

Field errors are keyed by the field name (nested ones by a dotted path such as
``items.0.reason``, the same keys `cases.services` uses); errors that belong to no
field are keyed ``non_field_errors``; errors about the request as a whole (401, 403,
404, 405, 429) are keyed ``detail``. Django's `ValidationError` raised by a model's
`full_clean` or by a service is mapped to 400 with the same field keys, so a model
check and a serializer check look the same to a client.

Messages never carry submitted values: they go back to the client only, and the
request body is never logged (see `boardsite.logfilters`).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

#: What a row that conflicts with a database constraint gets: the constraint's own
#: message can carry the values (e.g. a hospital number), so it is not passed on.
CONFLICT_MESSAGE = "This change conflicts with the stored record; reload and try again."


def _flatten(data: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error structure as {dotted.field: [messages]}."""
    out: dict[str, list[str]] = {}
    if isinstance(data, dict):
        for key, value in data.items():
            name = api_settings.NON_FIELD_ERRORS_KEY if key == NON_FIELD_ERRORS else str(key)
            for k, v in _flatten(value, f"{prefix}.{name}" if prefix else name).items():
                out.setdefault(k, []).extend(v)
    elif isinstance(data, list | tuple):
        if all(not isinstance(v, dict | list | tuple) for v in data):
            out.setdefault(prefix or api_settings.NON_FIELD_ERRORS_KEY, []).extend(
                str(v) for v in data
            )
        else:
            for index, value in enumerate(data):
                if not value:
                    continue
                key = f"{prefix}.{index}" if prefix else str(index)
                for k, v in _flatten(value, key).items():
                    out.setdefault(k, []).extend(v)
    else:
        out.setdefault(prefix or "detail", []).append(str(data))
    return out


def _from_django(exc: DjangoValidationError) -> exceptions.ValidationError:
    if hasattr(exc, "error_dict"):
        detail = {
            (api_settings.NON_FIELD_ERRORS_KEY if field == NON_FIELD_ERRORS else field): [
                str(m) for m in messages
            ]
            for field, messages in exc.message_dict.items()
        }
    else:
        detail = {api_settings.NON_FIELD_ERRORS_KEY: [str(m) for m in exc.messages]}
    return exceptions.ValidationError(detail)


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """DRF's handler, plus Django validation and integrity errors, in one format."""
    if isinstance(exc, DjangoValidationError):
        exc = _from_django(exc)
    elif isinstance(exc, RequestDataTooBig):
        # Django's own limit, if something reads the body before the API's parser.
        exc = exceptions.ParseError("The request body is too large.")
    elif isinstance(exc, IntegrityError):
        exc = exceptions.ValidationError({api_settings.NON_FIELD_ERRORS_KEY: [CONFLICT_MESSAGE]})
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"errors": _flatten(response.data)}
    else:
        detail = response.data.get("detail") if isinstance(response.data, dict) else None
        message = str(detail) if detail is not None else str(exc)
        response.data = {"errors": {"detail": [message]}}
    return response


def error_body(**fields: list[str] | str) -> dict[str, dict[str, list[str]]]:
    """An error body in the API's format, for views that answer an error themselves."""
    return {"errors": {k: [v] if isinstance(v, str) else list(v) for k, v in fields.items()}}


class ErrorResponseSerializer(serializers.Serializer):
    """The body of every error response (schema only)."""

    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages by field name (dotted for nested fields); `non_field_errors` "
        "for the row as a whole; `detail` for the request as a whole.",
    )
