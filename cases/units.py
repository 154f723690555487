"""Explicit unit conversions for laboratory values.

A value is always stored with the unit it was reported in; conversions happen here and
only here, with the factor written down. An unknown unit is an error, never a guess.
"""

from __future__ import annotations

from decimal import Decimal

from cases.choices import LabAnalyte, LabUnit

#: 1 mg/dL of creatinine = 88.4 µmol/L (molar mass 113.12 g/mol).
CREATININE_UMOL_PER_MG_DL = Decimal("88.4")
#: 1 mmol/L of calcium = 4.008 mg/dL (molar mass 40.08 g/mol).
CALCIUM_MG_DL_PER_MMOL_L = Decimal("4.008")
#: 1 ng/mL of 25-OH vitamin D = 2.496 nmol/L.
VITAMIN_D_NMOL_PER_NG_ML = Decimal("2.496")

# (analyte, from unit, to unit) -> multiply by
_FACTORS: dict[tuple[str, str, str], Decimal] = {
    (LabAnalyte.CREATININE, LabUnit.UMOL_L, LabUnit.MG_DL): 1 / CREATININE_UMOL_PER_MG_DL,
    (LabAnalyte.CREATININE, LabUnit.MG_DL, LabUnit.UMOL_L): CREATININE_UMOL_PER_MG_DL,
    (LabAnalyte.CALCIUM, LabUnit.MG_DL, LabUnit.MMOL_L): 1 / CALCIUM_MG_DL_PER_MMOL_L,
    (LabAnalyte.CALCIUM, LabUnit.MMOL_L, LabUnit.MG_DL): CALCIUM_MG_DL_PER_MMOL_L,
    (LabAnalyte.CALCIUM_TOTAL, LabUnit.MG_DL, LabUnit.MMOL_L): 1 / CALCIUM_MG_DL_PER_MMOL_L,
    (LabAnalyte.CALCIUM_TOTAL, LabUnit.MMOL_L, LabUnit.MG_DL): CALCIUM_MG_DL_PER_MMOL_L,
    (LabAnalyte.CALCIUM_IONISED, LabUnit.MG_DL, LabUnit.MMOL_L): 1 / CALCIUM_MG_DL_PER_MMOL_L,
    (LabAnalyte.CALCIUM_IONISED, LabUnit.MMOL_L, LabUnit.MG_DL): CALCIUM_MG_DL_PER_MMOL_L,
    (LabAnalyte.ALBUMIN, LabUnit.G_DL, LabUnit.G_L): Decimal(10),
    (LabAnalyte.ALBUMIN, LabUnit.G_L, LabUnit.G_DL): Decimal("0.1"),
    (LabAnalyte.HAEMOGLOBIN, LabUnit.G_L, LabUnit.G_DL): Decimal("0.1"),
    (LabAnalyte.HAEMOGLOBIN, LabUnit.G_DL, LabUnit.G_L): Decimal(10),
    (LabAnalyte.VITAMIN_D, LabUnit.NG_ML, LabUnit.NMOL_L): VITAMIN_D_NMOL_PER_NG_ML,
    (LabAnalyte.VITAMIN_D, LabUnit.NMOL_L, LabUnit.NG_ML): 1 / VITAMIN_D_NMOL_PER_NG_ML,
}


class UnitError(ValueError):
    """A value cannot be converted: the unit is unknown for the analyte."""


def convert(analyte: str, value: Decimal, from_unit: str, to_unit: str) -> Decimal:
    """Convert `value` of `analyte` from `from_unit` to `to_unit`.

    >>> convert("creatinine", Decimal("88.4"), "umol/L", "mg/dL")
    Decimal('1.000')
    """
    if from_unit == to_unit:
        return value
    try:
        factor = _FACTORS[(analyte, from_unit, to_unit)]
    except KeyError:
        raise UnitError(f"No conversion for {analyte} from {from_unit} to {to_unit}.") from None
    return (value * factor).quantize(Decimal("0.001"))
