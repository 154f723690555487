"""Bounds on free-form JSON the API stores (a decision item's ``draft_detail``).

Structured detail is read later — reminders are scheduled from its dates and counts at
signing — so a date in year 9999 or a count of 10¹⁸ weeks would overflow Python's
date arithmetic there, long after the request that stored it. Every value is checked
here, once, whatever its key: a string that reads as an ISO date must lie in
`DATE_RANGE`, a number in `NUMBER_LIMIT`. Typed fields keep their own, tighter bounds.
"""

from __future__ import annotations

import re
from datetime import date

from rest_framework import serializers

from cases.api.parsers import NonFinite

DATE_RANGE = (date(1900, 1, 1), date(2100, 12, 31))
NUMBER_LIMIT = 10**6
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")

DATE_MESSAGE = "Dates must lie between 1900 and 2100."
NUMBER_MESSAGE = f"Numbers must lie between -{NUMBER_LIMIT:,} and {NUMBER_LIMIT:,}."


def _problem(value: object) -> str | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, NonFinite):
        return NUMBER_MESSAGE
    if isinstance(value, int | float):
        return NUMBER_MESSAGE if abs(value) > NUMBER_LIMIT else None
    if isinstance(value, str):
        match = _ISO_DATE.match(value)
        if match:
            try:
                day = date(*(int(g) for g in match.groups()))
            except ValueError:
                return "Give dates as real calendar dates (YYYY-MM-DD)."
            if not DATE_RANGE[0] <= day <= DATE_RANGE[1]:
                return DATE_MESSAGE
    return None


def validate_bounded_json(value: object) -> object:
    stack = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, dict):
            stack.extend(current.values())
        elif isinstance(current, list):
            stack.extend(current)
        elif (message := _problem(current)) is not None:
            raise serializers.ValidationError(message)
    return value
