"""One plausibility table (`cases.plausibility`) gates the record and the engine:
impossible values are refused field by field, implausible ones are stored, flagged and
never computed from, and dates of birth must give a human age."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.choices import ANALYTE_UNITS, LabAnalyte, LabUnit
from cases.models import LabResult
from cases.plausibility import LAB_BOUNDS, Verdict, date_of_birth_problem, lab_verdict
from cases.services import clinical_row_save
from cases.tests.factories import AgendaItemFactory, LabResultFactory, MeetingFactory
from cases.units import convert
from recommendations.engine import evaluate
from recommendations.engine.io import FactsValidationError, facts_from_json, plan_to_json
from recommendations.selectors import case_facts_for_patients


def test_every_analyte_and_unit_of_the_record_has_a_row_and_nothing_else_does():
    pairs = {(str(a), str(u)) for a, units in ANALYTE_UNITS.items() for u in units}
    assert set(LAB_BOUNDS) == pairs


@pytest.mark.parametrize("analyte", [a for a, units in ANALYTE_UNITS.items() if len(units) == 2])
def test_the_rows_of_one_analyte_agree_across_its_units(analyte):
    first, second = ANALYTE_UNITS[analyte]
    a, b = LAB_BOUNDS[(analyte, first)], LAB_BOUNDS[(analyte, second)]
    for name in ("possible_min", "plausible_min", "plausible_max", "possible_max"):
        converted = float(convert(analyte, Decimal(str(getattr(a, name))), first, second))
        # Within 3 %, or 0.01 of the unit at the bottom of the scale (the limits are rounded).
        assert converted == pytest.approx(getattr(b, name), rel=0.03, abs=0.01), name


@pytest.mark.parametrize(
    ("analyte", "unit", "value", "verdict"),
    [
        ("creatinine", "umol/L", 0, Verdict.IMPOSSIBLE),
        ("creatinine", "umol/L", 99_999, Verdict.IMPOSSIBLE),
        ("creatinine", "umol/L", 15, Verdict.IMPLAUSIBLE),
        ("creatinine", "umol/L", 20, Verdict.PLAUSIBLE),
        ("creatinine", "umol/L", 2500, Verdict.PLAUSIBLE),
        ("creatinine", "umol/L", 3000, Verdict.IMPLAUSIBLE),
        ("creatinine", "mg/dL", 0.15, Verdict.IMPLAUSIBLE),
        ("creatinine", "mg/dL", 1.4, Verdict.PLAUSIBLE),
        ("calcium", "mmol/L", 25, Verdict.IMPOSSIBLE),
        ("calcium", "mmol/L", 5, Verdict.IMPLAUSIBLE),
        ("calcium", "mmol/L", 2.35, Verdict.PLAUSIBLE),
        ("calcium", "mg/dL", 9.4, Verdict.PLAUSIBLE),
        ("anc", "10^9/L", 0, Verdict.PLAUSIBLE),
        ("psa", "ng/mL", 12_000, Verdict.PLAUSIBLE),
        ("creatinine", None, 99_999, Verdict.PLAUSIBLE),  # no unit: the unit check refuses it
    ],
)
def test_verdicts(analyte, unit, value, verdict):
    assert lab_verdict(analyte, unit, value) is verdict


def test_the_table_is_importable_without_django():
    # The engine imports it; `cases/__init__.py` must stay free of Django for that.
    code = (
        "import sys; import cases.plausibility, recommendations.engine.io; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"


# --- The record -----------------------------------------------------------------------

def _lab(patient, analyte, value, unit) -> LabResult:
    return LabResult(patient=patient, analyte=analyte, value=Decimal(value), unit=unit,
                     taken_at=timezone.now() - dt.timedelta(days=1))


@pytest.mark.parametrize(
    ("analyte", "value", "unit", "message"),
    [
        (LabAnalyte.CREATININE, "0", LabUnit.UMOL_L,
         "Creatinine 0 µmol/L is not possible (the possible range is 10–4500 µmol/L); "
         "check the number and the unit."),
        (LabAnalyte.CREATININE, "99999", LabUnit.UMOL_L,
         "Creatinine 99999 µmol/L is not possible (the possible range is 10–4500 µmol/L); "
         "check the number and the unit."),
        (LabAnalyte.CALCIUM, "25", LabUnit.MMOL_L,
         "Calcium (adjusted) 25 mmol/L is not possible (the possible range is 0.5–6 mmol/L); "
         "check the number and the unit."),
    ],
)
@pytest.mark.django_db
def test_an_impossible_lab_value_is_refused_on_its_field(patient, analyte, value, unit, message):
    with pytest.raises(ValidationError) as caught:
        clinical_row_save(instance=_lab(patient, analyte, value, unit))
    assert caught.value.message_dict == {"value": [message]}
    assert LabResult.objects.count() == 0


@pytest.mark.django_db
def test_an_implausible_lab_value_is_stored_and_flagged(patient):
    lab = clinical_row_save(instance=_lab(patient, LabAnalyte.CREATININE, "15", LabUnit.UMOL_L))
    stored = LabResult.objects.get(pk=lab.pk)
    assert (stored.value, stored.is_implausible) == (Decimal("15.000"), True)
    assert _lab(patient, LabAnalyte.CREATININE, "90", LabUnit.UMOL_L).is_implausible is False


@pytest.mark.django_db
def test_an_implausible_creatinine_is_kept_in_the_facts_for_the_engine_to_name(board):
    item = AgendaItemFactory(meeting=MeetingFactory(board=board))
    LabResultFactory(patient=item.patient, value=Decimal("15"), unit="umol/L",
                     taken_at=timezone.now() - dt.timedelta(days=1))
    LabResultFactory(patient=item.patient, analyte="calcium", value=Decimal("2.3"),
                     unit="mmol/L", taken_at=timezone.now() - dt.timedelta(days=1))
    as_of = timezone.localdate()
    facts = case_facts_for_patients(patient_ids=[item.patient_id], as_of=as_of)[item.patient_id]
    assert sorted((str(lab.analyte), lab.value) for lab in facts.labs) == [
        ("calcium", 2.3), ("creatinine", 15.0)]
    # What the engine then says of it: test_the_engine_asks_again_for_an_implausible_creat…


@pytest.mark.parametrize(
    ("born", "message"),
    [
        (dt.date(1, 1, 1), "This date of birth gives an age of 2025 years; above 120 it is "
                           "taken to be a typing error."),
        (dt.date(1905, 3, 11), "This date of birth gives an age of 121 years; above 120 it is "
                               "taken to be a typing error."),
        (dt.date(1906, 3, 11), None),
        (dt.date(2026, 3, 12), "The date of birth is in the future."),
    ],
)
def test_date_of_birth_bounds(born, message):
    assert date_of_birth_problem(born, today=dt.date(2026, 3, 11)) == message


# --- The engine's input gate ----------------------------------------------------------

AS_OF = dt.date(2025, 6, 1)
_BREAST = {"primary": {"site": "breast", "hormone_receptor_status": "positive",
                       "her2_status": "negative"},
           "patient": {"sex": "female", "age_years": 60, "weight_kg": 70,
                       "weight_date": "2025-05-20"},
           "expected_survival": "gt12m"}


def _labs(creatinine: float, unit: str = "umol/L") -> list[dict]:
    return [
        {"analyte": "creatinine", "value": creatinine, "unit": unit, "taken_at": "2025-05-28"},
        {"analyte": "calcium", "value": 2.35, "unit": "mmol/L", "taken_at": "2025-05-28"},
    ]


def test_the_engine_refuses_an_impossible_creatinine():
    with pytest.raises(FactsValidationError) as caught:
        facts_from_json({**_BREAST, "labs": _labs(99_999)}, as_of=AS_OF)
    assert caught.value.errors == {"labs.0.value": [
        "99999 umol/L is not a possible creatinine value (possible: 10–4500 umol/L)"]}


def test_the_engine_asks_again_for_an_implausible_creatinine_instead_of_dosing_from_it():
    plan = plan_to_json(evaluate(facts_from_json({**_BREAST, "labs": _labs(0.15, "mg/dL")},
                                                 as_of=AS_OF), as_of=AS_OF))
    assert "labs.creatinine" in [m["field"] for m in plan["missing_data"]]
    assert any("implausible: 0.15 mg/dL" in m["why"] for m in plan["missing_data"])
    assert plan["scores"]["creatinine_clearance"] is None
    assert plan["scores"]["zoledronic_dose"] is None
    assert "BTA-ZOLEDRONIC-DOSE" not in [i["code"] for i in plan["items"]]
    plausible = plan_to_json(evaluate(facts_from_json({**_BREAST, "labs": _labs(80)},
                                                      as_of=AS_OF), as_of=AS_OF))
    assert "labs.creatinine" not in [m["field"] for m in plausible["missing_data"]]
    assert plausible["scores"]["creatinine_clearance"]["value_ml_min"] == 73.1
    assert plausible["scores"]["zoledronic_dose"]["dose_mg"] == 4.0
