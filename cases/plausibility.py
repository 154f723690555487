"""Physiological plausibility of the record's values: ONE table for every gate.

Each laboratory analyte, in each unit it may be recorded in, has two ranges:

- the *possible* range: a value outside it is a typing or unit error (creatinine
  0 or 99,999 µmol/L, calcium 25 mmol/L). The record refuses it with a field error
  (`cases.validators.plausible_lab_value`, run by `LabResult.clean`, hence by the
  forms, the API and the admin), and the engine's input gate refuses it too
  (`recommendations.engine.io.facts_from_json`);
- the *plausible* range: a value outside it but still possible (creatinine 15 µmol/L
  in a frail patient, or a mistyped 0.15 mg/dL) is stored as recorded and flagged,
  but nothing is computed from it: the selector that builds the engine's facts and
  the engine's JSON gate leave it out, so the engine lists the analyte as missing
  (a recheck) instead of drafting a dose from "CrCl 1.1 mL/min".

Why the table lives here. The engine (`recommendations.engine`) is pure Python and sits
above `cases` in the layers, so `cases` cannot import it; this module imports nothing
but the standard library (and `cases/__init__.py` imports nothing at all), so both
`cases` (models, forms, serializers) and the engine's input gate import the same
table without the engine importing Django and without an upward import. Passing the
bounds into the engine with the facts would put the table in every stored draft and
let two copies drift.

The keys are the stored strings of `cases.choices.LabAnalyte` / `LabUnit` (equal to the
engine's `facts.LabAnalyte` / `facts.LabUnit` values), so either enum indexes the table.
Limits are written in the unit itself rather than converted, so each one reads as a
clinician would write it; a test checks that every (analyte, unit) pair of
`cases.choices.ANALYTE_UNITS` has a row and that the rows of one analyte agree across
units to within rounding.

The ranges are deliberately wide (the record must accept real extremes of renal
failure, neutropenia or PSA in castration-resistant disease); they catch typing and
unit errors, not abnormal results.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class Verdict(StrEnum):
    PLAUSIBLE = "plausible"
    #: Stored and shown, flagged; never used for a computation or a dose.
    IMPLAUSIBLE = "implausible"
    #: Refused at the record and at the engine's gate.
    IMPOSSIBLE = "impossible"


@dataclass(frozen=True, slots=True)
class Bounds:
    """Inclusive limits in one unit: possible ⊇ plausible."""

    possible_min: float
    plausible_min: float
    plausible_max: float
    possible_max: float

    def verdict(self, value: float) -> Verdict:
        if not self.possible_min <= value <= self.possible_max:
            return Verdict.IMPOSSIBLE
        if not self.plausible_min <= value <= self.plausible_max:
            return Verdict.IMPLAUSIBLE
        return Verdict.PLAUSIBLE


#: (analyte, unit) → bounds. Creatinine: 1 mg/dL = 88.4 µmol/L; calcium (adjusted):
#: 1 mmol/L = 4.008 mg/dL; albumin and haemoglobin: 1 g/dL = 10 g/L; vitamin D:
#: 1 ng/mL = 2.496 nmol/L (the factors of `cases.units`).
LAB_BOUNDS: dict[tuple[str, str], Bounds] = {
    # Below 20 µmol/L even cachexia does not go; above 2500 only untreated end-stage
    # renal failure, where the value must be confirmed before it decides anything.
    ("creatinine", "umol/L"): Bounds(10, 20, 2500, 4500),
    ("creatinine", "mg/dL"): Bounds(0.11, 0.23, 28.3, 50.9),
    # Adjusted calcium below 1.0 or above 4.5 mmol/L is met only in extremis (tetany,
    # coma); outside 0.5–6.0 it is a unit or typing error (mg/dL entered as mmol/L).
    ("calcium", "mmol/L"): Bounds(0.5, 1.0, 4.5, 6.0),
    ("calcium", "mg/dL"): Bounds(2.0, 4.0, 18.0, 24.0),
    # Total (unadjusted) calcium: the same limits as the adjusted value.
    ("calcium_total", "mmol/L"): Bounds(0.5, 1.0, 4.5, 6.0),
    ("calcium_total", "mg/dL"): Bounds(2.0, 4.0, 18.0, 24.0),
    # Ionised calcium (normal about 1.1–1.3 mmol/L): below 0.5 or above 2.5 mmol/L only
    # in extremis; outside 0.2–3.0 it is a unit or typing error (a total entered here).
    ("calcium_ionised", "mmol/L"): Bounds(0.2, 0.5, 2.5, 3.0),
    ("calcium_ionised", "mg/dL"): Bounds(0.8, 2.0, 10.0, 12.0),
    ("albumin", "g/L"): Bounds(5, 10, 60, 80),
    ("albumin", "g/dL"): Bounds(0.5, 1.0, 6.0, 8.0),
    # Alkaline phosphatase runs to several thousand U/L with osteoblastic metastases.
    ("alp", "U/L"): Bounds(1, 10, 10000, 30000),
    ("ntx", "nmol BCE/L"): Bounds(0.5, 2, 500, 2000),
    ("haemoglobin", "g/dL"): Bounds(1.0, 3.0, 22.0, 26.0),
    ("haemoglobin", "g/L"): Bounds(10, 30, 220, 260),
    # Counts of 0 are real (aplasia, neutropenia after chemotherapy).
    ("anc", "10^9/L"): Bounds(0, 0, 100, 300),
    ("platelets", "10^9/L"): Bounds(0, 0, 2000, 5000),
    ("wbc", "10^9/L"): Bounds(0, 0.1, 300, 1000),
    ("vitamin_d", "nmol/L"): Bounds(0, 5, 500, 1000),
    ("vitamin_d", "ng/mL"): Bounds(0, 2, 200, 400),
    # PSA exceeds 10,000 ng/mL in some castration-resistant disease.
    ("psa", "ng/mL"): Bounds(0, 0, 50000, 200000),
}

#: Measurements of the record other than labs → (min, max), inclusive, in the unit of the
#: name. Outside the range a value is refused by the record (model validators and a
#: check constraint) and by the engine's input gate alike.
MEASURE_BOUNDS: dict[str, tuple[float, float]] = {
    # The short axis of the largest nodal metastasis (RAD-08: ALSYMPCA enrolled men
    # without lymphadenopathy > 3 cm); beyond 30 cm it is a unit error (mm typed as cm).
    "nodal_short_axis_cm": (0.0, 30.0),
}


def measure_problem(name: str, value: float) -> str | None:
    """Why a measurement is off its range (a sentence for the field), or None."""
    lo, hi = MEASURE_BOUNDS[name]
    if lo <= value <= hi:
        return None
    return f"Must be between {_num(lo)} and {_num(hi)}."


#: Oldest plausible age at any date the record is read (the oldest verified human
#: reached 122); an older date of birth is a typing error (year 1, 1066 …).
MAX_AGE_YEARS = 120


def lab_verdict(analyte: str, unit: str | None, value: float) -> Verdict:
    """The verdict on one laboratory value; a pair without a row (no unit, a unit not
    allowed for the analyte) is PLAUSIBLE here: the unit checks refuse it elsewhere."""
    bounds = LAB_BOUNDS.get((analyte, unit)) if unit is not None else None
    return Verdict.PLAUSIBLE if bounds is None else bounds.verdict(value)


def lab_usable(analyte: str, unit: str | None, value: float) -> bool:
    """True when a computation may use the value (neither implausible nor impossible)."""
    bounds = LAB_BOUNDS.get((analyte, unit)) if unit is not None else None
    return bounds is None or bounds.plausible_min <= value <= bounds.plausible_max


def plausible_range_text(analyte: str, unit: str, *, possible: bool = False) -> str:
    """'20–2500' (the plausible range) or the possible range, for messages."""
    b = LAB_BOUNDS[(analyte, unit)]
    lo, hi = (b.possible_min, b.possible_max) if possible else (b.plausible_min, b.plausible_max)
    return f"{_num(lo)}–{_num(hi)}"


def _num(x: float) -> str:
    return f"{x:g}"


def date_of_birth_problem(born: date, *, today: date) -> str | None:
    """Why a date of birth cannot be right on `today`, or None when it can."""
    if born > today:
        return "The date of birth is in the future."
    age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    if age > MAX_AGE_YEARS:
        return (
            f"This date of birth gives an age of {age} years; above {MAX_AGE_YEARS} it is "
            "taken to be a typing error."
        )
    return None
