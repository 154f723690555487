"""Field validators shared by the clinical models, forms and serializers.

Each raises a `ValidationError` whose message names what is wrong in the clinic's
terms, so a form or the API can show it next to the field.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone


def not_in_future(value) -> None:
    today = timezone.localdate()
    day = value.date() if hasattr(value, "date") and callable(value.date) else value
    if day > today:
        raise ValidationError("This date is in the future.", code="future_date")


def percentage(value) -> None:
    if value is not None and not (0 <= value <= 100):
        raise ValidationError(
            "A percentage must be between 0 and 100 (got %(value)s).",
            code="percentage_range",
            params={"value": value},
        )
