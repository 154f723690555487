"""Explicit unit conversion of lab values: the factors are written down, and an unknown
conversion is an error, never a guess."""

from __future__ import annotations

from decimal import Decimal

import pytest

from cases.tests.factories import LabResultFactory
from cases.units import UnitError, convert


def test_88_4_umol_per_litre_of_creatinine_is_exactly_1_mg_per_dl():
    assert convert("creatinine", Decimal("88.4"), "umol/L", "mg/dL") == Decimal("1.000")


def test_1_mg_per_dl_of_creatinine_is_88_4_umol_per_litre():
    assert convert("creatinine", Decimal("1"), "mg/dL", "umol/L") == Decimal("88.400")


@pytest.mark.parametrize(
    ("umol", "mg_dl"),
    [("132.6", "1.500"), ("123.8", "1.400"), ("212.2", "2.400"), ("44.2", "0.500")],
)
def test_creatinine_from_umol_per_litre(umol, mg_dl):
    assert convert("creatinine", Decimal(umol), "umol/L", "mg/dL") == Decimal(mg_dl)


def test_calcium_mmol_per_litre_to_mg_per_dl():
    assert convert("calcium", Decimal("2.5"), "mmol/L", "mg/dL") == Decimal("10.020")


def test_calcium_mg_per_dl_to_mmol_per_litre():
    assert convert("calcium", Decimal("11.8"), "mg/dL", "mmol/L") == Decimal("2.944")


def test_haemoglobin_g_per_dl_to_g_per_litre_and_back():
    assert convert("haemoglobin", Decimal("12.5"), "g/dL", "g/L") == Decimal("125.000")
    assert convert("haemoglobin", Decimal("98"), "g/L", "g/dL") == Decimal("9.800")


def test_albumin_and_vitamin_d():
    assert convert("albumin", Decimal("3.5"), "g/dL", "g/L") == Decimal("35.000")
    assert convert("vitamin_d", Decimal("20"), "ng/mL", "nmol/L") == Decimal("49.920")


def test_the_same_unit_returns_the_value_untouched():
    assert convert("creatinine", Decimal("1.23"), "mg/dL", "mg/dL") == Decimal("1.23")


@pytest.mark.parametrize(
    ("analyte", "from_unit", "to_unit"),
    [
        ("creatinine", "mmol/L", "mg/dL"),   # a unit creatinine is not reported in
        ("alp", "U/L", "mg/dL"),             # an analyte with a single unit
        ("platelets", "10^9/L", "g/L"),
        ("calcium", "mmol/L", "umol/L"),     # a plausible unit with no factor written down
        ("unknown", "mg/dL", "umol/L"),
    ],
)
def test_an_unknown_conversion_raises(analyte, from_unit, to_unit):
    with pytest.raises(UnitError) as caught:
        convert(analyte, Decimal("1"), from_unit, to_unit)
    assert str(caught.value) == f"No conversion for {analyte} from {from_unit} to {to_unit}."


@pytest.mark.django_db
def test_a_lab_result_converts_its_own_value(patient):
    result = LabResultFactory(patient=patient, value=Decimal("97.2"), unit="umol/L")
    assert result.value_in("mg/dL") == Decimal("1.100")
    assert result.value_in("umol/L") == Decimal("97.2")
    with pytest.raises(UnitError):
        result.value_in("g/L")
