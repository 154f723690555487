"""OpenAPI generation: every operation documents the errors it can return.

Rather than repeating `extend_schema(responses=...)` on every view (and forgetting one),
the schema class adds the error responses every endpoint under /api/v1/ can give, in the
one error format of `cases.api.errors`. Views may still document more codes.
"""

from __future__ import annotations

from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse

from cases.api.errors import ErrorResponseSerializer

_ERRORS = {
    "400": "Invalid input: field-level messages (also an unknown filter value).",
    "401": "Not authenticated: send a session cookie or `Authorization: Token <key>`.",
    "403": "Authenticated, but your role on this board does not allow this action.",
    "404": "Not found, or not on one of your boards (another board's rows are never "
    "confirmed to exist); also an invalid pagination cursor.",
}


class BoardsiteAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for code, description in _ERRORS.items():
            if code in responses:
                continue
            if code == "401" and not self.view.get_authenticators():
                continue
            responses[code] = self._get_response_for_code(
                OpenApiResponse(response=ErrorResponseSerializer, description=description),
                code,
            )
        return responses


class TokenScheme(KnoxTokenScheme):
    """knox's scheme (``Authorization: Token <token>``) for its one-query subclass;
    drf-spectacular matches authentication extensions by exact class."""

    target_class = "cases.api.authentication.TokenAuthentication"
