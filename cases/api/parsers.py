"""The API's JSON parser: DRF's, with limits, so no request body can make a 500.

- **Size**: a body over ``BOARDSITE_API_MAX_BODY_BYTES`` is refused before it is parsed
  (400 in the API's error format, not Django's HTML 400).
- **Depth**: Python's JSON decoder recurses once per bracket and dies with a
  `RecursionError` at about 1,000 levels (DRF catches only `ValueError`, so 100,000
  nested brackets were a 500, also unauthenticated on the token endpoint). Nothing
  the API accepts nests more than a handful of levels; deeper than `MAX_DEPTH` is a 400.
- **Non-finite numbers**: ``NaN``, ``Infinity`` and numbers too large for a float
  (``1e400`` parses as infinity) are not numbers a clinical value can take. They are
  parsed into `NonFinite`, which no field accepts as a number, so the client gets the
  field's own "A valid number is required." under the field's name rather than a 500
  further in (DRF's strict mode made ``NaN`` a body-wide parse error but let
  ``1e400`` through as ``inf``).
"""

from __future__ import annotations

import json
import math

from django.conf import settings
from rest_framework import renderers
from rest_framework.exceptions import ParseError
from rest_framework.parsers import BaseParser

#: Brackets deep: the deepest body the API documents is about 5 levels (case facts).
MAX_DEPTH = 64


class NonFinite:
    """A JSON number that is not a finite float. Not an int, float, str or Decimal, so
    every number and text field refuses it with its own field error; `str()` is not a
    number either (DRF's DecimalField parses ``str(value)``)."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def __str__(self) -> str:
        return "not a finite number"

    def __repr__(self) -> str:
        return f"NonFinite({self.text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NonFinite) and other.text == self.text

    def __hash__(self) -> int:
        return hash(self.text)


def _parse_float(text: str) -> float | NonFinite:
    value = float(text)
    return value if math.isfinite(value) else NonFinite(text)


def _too_deep(data: object, limit: int) -> bool:
    # Iterative: the check itself must not recurse on what it is guarding against.
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children)
    return False


def loads_bounded(raw: bytes, *, encoding: str = "utf-8") -> object:
    """Decode a JSON body under the limits above; `ParseError` (400) otherwise."""
    limit = settings.BOARDSITE_API_MAX_BODY_BYTES
    if len(raw) > limit:
        raise ParseError(f"The request body is larger than {limit:,} bytes.")
    try:
        text = raw.decode(encoding)
        data = json.loads(text, parse_float=_parse_float, parse_constant=NonFinite)
    except RecursionError:
        raise ParseError(f"JSON nested deeper than {MAX_DEPTH} levels.") from None
    except (ValueError, UnicodeError) as exc:
        raise ParseError(f"JSON parse error - {exc}") from None
    if _too_deep(data, MAX_DEPTH):
        raise ParseError(f"JSON nested deeper than {MAX_DEPTH} levels.")
    return data


class BoundedJSONParser(BaseParser):
    """Not a subclass of DRF's `JSONParser`: DRF reads `request.body` for those before
    parsing, and Django's `RequestDataTooBig` (an HTML 400) fires first."""

    media_type = "application/json"
    renderer_class = renderers.JSONRenderer

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        limit = settings.BOARDSITE_API_MAX_BODY_BYTES
        # One byte more than allowed: enough to know it is too big, never the whole body.
        raw = stream.read(limit + 1) if stream is not None else b""
        return loads_bounded(raw, encoding=encoding)
