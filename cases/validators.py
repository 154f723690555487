"""Field validators shared by the clinical models, forms and serializers.

Each raises a `ValidationError` whose message names what is wrong in the clinic's
terms, so a form or the API can show it next to the field.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils import timezone

from cases.choices import LabAnalyte, LabUnit
from cases.plausibility import (
    MEASURE_BOUNDS,
    Verdict,
    lab_verdict,
    measure_problem,
    plausible_range_text,
)


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


def plausible_lab_value(analyte: str, unit: str, value) -> None:
    """Refuse a laboratory value outside the possible range of `cases.plausibility`
    (a typing or unit error). A merely implausible value passes: it is stored, flagged
    and left out of every computation."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return  # the field's own validation reports it
    if not analyte or not unit:
        return
    if lab_verdict(analyte, unit, number) is Verdict.IMPOSSIBLE:
        raise ValidationError(
            "%(analyte)s %(value)s %(unit)s is not possible (the possible range is "
            "%(range)s %(unit)s); check the number and the unit.",
            code="impossible_lab_value",
            params={
                "value": _plain_number(value),
                "unit": _label(LabUnit, unit),
                "analyte": _label(LabAnalyte, analyte),
                "range": plausible_range_text(analyte, unit, possible=True),
            },
        )


def plausible_node_size(value) -> None:
    """Refuse a nodal short axis outside `cases.plausibility.MEASURE_BOUNDS` (0–30 cm),
    the range the engine's input gate also applies."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return  # the field's own validation reports it
    lo, hi = MEASURE_BOUNDS["nodal_short_axis_cm"]
    if measure_problem("nodal_short_axis_cm", number) is not None:
        raise ValidationError(
            "A lymph node short axis of %(value)s cm is not possible here: it is between "
            "%(lo)s and %(hi)s cm (check that it was not typed in mm).",
            code="implausible_node_size",
            params={"value": _plain_number(value), "lo": f"{lo:g}", "hi": f"{hi:g}"},
        )


def _plain_number(value) -> str:
    """Decimal('99999.000') → '99999'; Decimal('0.150') → '0.15'."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def viewer_link(value: str) -> None:
    """A link to the hospital's image viewer (PACS). In production only https: the link
    carries a study identifier and opens patient images, so it must not travel in clear
    text; local development also accepts http (a viewer on localhost)."""
    if not value:
        return
    schemes = ["http", "https"] if settings.IS_DEVELOPMENT else ["https"]
    message = ("Give the viewer's full address, starting https://."
               if schemes == ["https"] else "Give the viewer's full address (https://…).")
    URLValidator(schemes=schemes, message=message, code="viewer_link")(value)
