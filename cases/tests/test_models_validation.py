"""Impossible clinical values are refused with a message on the field, and nothing is
saved — through the service (`clinical_row_save`) and, for the worst cases, by the
database itself."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone

from cases.choices import Bone, LabAnalyte, LabUnit, PrimarySite
from cases.models import (
    BoneTargetedAgentCourse,
    LabResult,
    Lesion,
    Patient,
    PrimaryCancer,
    RadiotherapyCourse,
    SystemicTherapy,
)
from cases.services import clinical_row_save
from cases.tests.factories import (
    LabResultFactory,
    LongBoneLesionFactory,
    PatientFactory,
    SpinalLesionFactory,
)

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 11)


def _refused(instance) -> dict[str, list[str]]:
    """Save through the service, expect a refusal, and return its field messages."""
    model = type(instance)
    before = model.objects.count()
    with pytest.raises(ValidationError) as caught:
        clinical_row_save(instance=instance)
    assert model.objects.count() == before
    return caught.value.message_dict


def _spinal(patient, **overrides) -> Lesion:
    values = {"patient": patient, "bone": Bone.VERTEBRA, "vertebral_level": "T8",
              "lesion_type": "lytic", "spinal_pain": "mechanical", "alignment": "normal",
              "collapse_percent": Decimal("10"), "posterolateral": "none"}
    values.update(overrides)
    return Lesion(**values)


def _femur(patient, **overrides) -> Lesion:
    values = {"patient": patient, "bone": Bone.FEMUR, "long_bone_segment": "diaphysis",
              "laterality": "left", "lesion_type": "lytic", "limb_pain": "moderate",
              "cortical_involvement": "lt_1_3"}
    values.update(overrides)
    return Lesion(**values)


# --- Lesions --------------------------------------------------------------------------

def test_collapse_of_140_percent_is_refused_on_the_field(patient):
    errors = _refused(_spinal(patient, collapse_percent=Decimal("140")))
    assert errors == {"collapse_percent": ["A percentage must be between 0 and 100 (got 140)."]}


def test_negative_body_involvement_is_refused(patient):
    errors = _refused(_spinal(patient, body_involvement_percent=Decimal("-5")))
    assert errors == {
        "body_involvement_percent": ["A percentage must be between 0 and 100 (got -5)."]
    }


def test_collapse_of_exactly_0_and_100_percent_is_accepted(patient):
    clinical_row_save(instance=_spinal(patient, collapse_percent=Decimal("0")))
    clinical_row_save(instance=_spinal(patient, vertebral_level="T9",
                                       collapse_percent=Decimal("100")))
    assert sorted(Lesion.objects.filter(patient=patient).values_list(
        "collapse_percent", flat=True)) == [Decimal("0.0"), Decimal("100.0")]


def test_the_database_refuses_a_collapse_over_100_even_from_a_bulk_update(patient):
    lesion = SpinalLesionFactory(patient=patient, collapse_percent=Decimal("20"))
    with pytest.raises(DatabaseError), transaction.atomic():
        Lesion.objects.filter(pk=lesion.pk).update(collapse_percent=Decimal("140"))
    lesion.refresh_from_db()
    assert lesion.collapse_percent == Decimal("20.0")


def test_a_vertebral_level_on_a_femur_is_refused(patient):
    errors = _refused(_femur(patient, vertebral_level="L2"))
    assert errors == {"vertebral_level": ["A vertebral level applies to spinal lesions only."]}


def test_a_spinal_lesion_needs_its_level(patient):
    errors = _refused(_spinal(patient, vertebral_level=""))
    assert errors == {
        "vertebral_level": ["Give the vertebral level (C1–S5) of a spinal lesion."]
    }


def test_a_sacral_level_on_a_vertebra_is_refused(patient):
    errors = _refused(_spinal(patient, vertebral_level="S1"))
    assert errors == {"bone": ["S1–S5 are sacral: choose the sacrum."]}


def test_a_lumbar_level_on_the_sacrum_is_refused(patient):
    errors = _refused(_spinal(patient, bone=Bone.SACRUM, vertebral_level="L5"))
    assert errors == {"vertebral_level": ["A sacral lesion is at S1–S5."]}


def test_an_unknown_vertebral_level_is_refused(patient):
    errors = _refused(_spinal(patient, vertebral_level="T13"))
    assert errors == {"vertebral_level": ["Value 'T13' is not a valid choice."]}


def test_peritrochanteric_on_a_humerus_is_refused(patient):
    errors = _refused(_femur(patient, bone=Bone.HUMERUS, long_bone_segment="peritrochanteric"))
    assert errors == {"long_bone_segment": ["Peritrochanteric applies to the femur only."]}


def test_peritrochanteric_on_a_femur_is_accepted(patient):
    lesion = clinical_row_save(instance=_femur(patient, long_bone_segment="peritrochanteric"))
    assert Lesion.objects.get(pk=lesion.pk).long_bone_segment == "peritrochanteric"


def test_a_segment_on_a_rib_is_refused(patient):
    errors = _refused(Lesion(patient=patient, bone=Bone.RIB, long_bone_segment="proximal"))
    assert errors == {"long_bone_segment": ["A segment applies to long bones only."]}


def test_sins_findings_on_a_long_bone_are_refused_field_by_field(patient):
    errors = _refused(_femur(patient, spinal_pain="mechanical", alignment="subluxation",
                             collapse_percent=Decimal("20"), posterolateral="bilateral"))
    message = ["This SINS finding applies to spinal lesions only."]
    assert errors == {"spinal_pain": message, "alignment": message,
                      "collapse_percent": message, "posterolateral": message}


def test_mirels_findings_on_a_vertebra_are_refused(patient):
    errors = _refused(_spinal(patient, limb_pain="functional", cortical_involvement="gt_2_3"))
    message = ["This Mirels finding applies to long bones only."]
    assert errors == {"limb_pain": message, "cortical_involvement": message}


def test_incomplete_prior_radiotherapy_names_each_missing_part(patient):
    errors = _refused(_spinal(patient, prior_rt_dose_gy=Decimal("8")))
    message = ["Prior radiotherapy needs dose, fractions and date together."]
    assert errors == {"prior_rt_fractions": message, "prior_rt_on": message}


def test_prior_radiotherapy_in_the_future_is_refused(patient):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    errors = _refused(_spinal(patient, prior_rt_dose_gy=Decimal("8"), prior_rt_fractions=1,
                              prior_rt_on=tomorrow))
    assert errors == {"prior_rt_on": ["This date is in the future."]}


def test_an_invalid_edit_of_a_saved_lesion_leaves_the_row_as_it_was(patient):
    lesion = SpinalLesionFactory(patient=patient, collapse_percent=Decimal("20"))
    lesion.collapse_percent = Decimal("140")
    with pytest.raises(ValidationError):
        clinical_row_save(instance=lesion)
    assert Lesion.objects.get(pk=lesion.pk).collapse_percent == Decimal("20.0")


# --- Labs -----------------------------------------------------------------------------

def _lab(patient, **overrides) -> LabResult:
    values = {"patient": patient, "analyte": LabAnalyte.CREATININE, "value": Decimal("1.1"),
              "unit": LabUnit.MG_DL, "taken_at": timezone.now() - dt.timedelta(days=1)}
    values.update(overrides)
    return LabResult(**values)


def test_a_negative_lab_value_is_refused(patient):
    errors = _refused(_lab(patient, value=Decimal("-1")))
    assert errors == {"value": ["Ensure this value is greater than or equal to 0."]}


def test_the_database_refuses_a_negative_lab_value_from_a_bulk_update(patient):
    result = LabResultFactory(patient=patient, value=Decimal("1.2"))
    with pytest.raises(DatabaseError), transaction.atomic():
        LabResult.objects.filter(pk=result.pk).update(value=Decimal("-1"))
    result.refresh_from_db()
    assert result.value == Decimal("1.200")


def test_creatinine_in_a_unit_not_allowed_is_refused(patient):
    errors = _refused(_lab(patient, unit=LabUnit.G_L))
    assert errors == {"unit": ["Creatinine is reported in mg/dL or umol/L, not g/L."]}


def test_creatinine_without_a_unit_is_refused(patient):
    errors = _refused(_lab(patient, unit=""))
    assert errors == {"unit": ["This field cannot be blank."]}


def test_platelets_in_mg_dl_are_refused(patient):
    errors = _refused(_lab(patient, analyte=LabAnalyte.PLATELETS, value=Decimal("150")))
    assert errors == {"unit": ["Platelets is reported in 10^9/L, not mg/dL."]}


def test_creatinine_in_umol_per_litre_is_accepted(patient):
    result = clinical_row_save(instance=_lab(patient, value=Decimal("97.2"),
                                             unit=LabUnit.UMOL_L))
    assert LabResult.objects.get(pk=result.pk).unit == "umol/L"


def test_ionised_calcium_as_a_total_calcium_is_refused_and_a_real_one_stored(patient):
    """HCM-04 inputs: an ionised calcium of 3.4 mmol/L (a total typed into the wrong row)
    is outside the possible range of `cases.plausibility`; 1.45 mmol/L is stored."""
    errors = _refused(_lab(patient, analyte=LabAnalyte.CALCIUM_IONISED, value=Decimal("3.4"),
                           unit=LabUnit.MMOL_L))
    assert list(errors) == ["value"]
    stored = clinical_row_save(instance=_lab(
        patient, analyte=LabAnalyte.CALCIUM_IONISED, value=Decimal("1.45"), unit=LabUnit.MMOL_L))
    assert (stored.analyte, stored.unit) == ("calcium_ionised", "mmol/L")


def test_total_calcium_in_g_per_litre_is_refused(patient):
    errors = _refused(_lab(patient, analyte=LabAnalyte.CALCIUM_TOTAL, value=Decimal("2.5"),
                           unit=LabUnit.G_L))
    assert list(errors) == ["unit"]


def test_nephrotoxic_drugs_named_while_answered_no_are_refused(patient):
    patient.on_other_nephrotoxic_drug = False
    patient.other_nephrotoxic_drugs = "ciclosporin"
    with pytest.raises(ValidationError) as caught:
        patient.full_clean()
    assert list(caught.value.message_dict) == ["other_nephrotoxic_drugs"]


def test_a_lab_taken_tomorrow_is_refused(patient):
    errors = _refused(_lab(patient, taken_at=timezone.now() + dt.timedelta(days=1)))
    assert errors == {"taken_at": ["This date is in the future."]}


# --- Patient --------------------------------------------------------------------------

def _patient(board, **overrides) -> Patient:
    values = {"board": board, "hospital_number": "VAL0001", "given_name": "Val",
              "family_name": "Idation", "date_of_birth": dt.date(1950, 1, 1), "sex": "female"}
    values.update(overrides)
    return Patient(**values)


def test_a_date_of_birth_in_the_future_is_refused(board):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    errors = _refused(_patient(board, date_of_birth=tomorrow))
    assert errors == {"date_of_birth": ["This date is in the future."]}


def test_a_weight_needs_its_date(board):
    errors = _refused(_patient(board, weight_kg=Decimal("70")))
    assert errors == {"weight_measured_on": ["Give the date the weight was measured."]}


def test_an_impossible_weight_is_refused(board):
    errors = _refused(_patient(board, weight_kg=Decimal("5"), weight_measured_on=TODAY))
    assert errors == {"weight_kg": ["Ensure this value is greater than or equal to 20."]}


def test_an_ecog_needs_its_date(board):
    errors = _refused(_patient(board, ecog=2))
    assert errors == {"ecog_assessed_on": ["Give the date the performance status was assessed."]}


def test_an_ecog_of_5_is_refused(board):
    errors = _refused(_patient(board, ecog=5, ecog_assessed_on=TODAY))
    assert errors == {"ecog": ["Value 5 is not a valid choice."]}


def test_a_duplicate_hospital_number_is_refused_within_the_board_whatever_its_case(
    board, other_board
):
    PatientFactory(board=board, hospital_number="val0001")
    errors = _refused(_patient(board))
    assert errors == {"hospital_number": [
        "This board already has a patient with this hospital number."]}
    # Another board may use the same number (another hospital's numbering).
    _patient(other_board).full_clean()


def test_castration_status_on_a_breast_cancer_is_refused(patient):
    other = PatientFactory(board=patient.board)
    errors = _refused(PrimaryCancer(patient=other, site=PrimarySite.BREAST,
                                    castration_status="resistant"))
    assert errors == {
        "castration_status": ["Castration status applies to prostate cancer only."]
    }


def test_receptor_statuses_on_a_prostate_cancer_are_refused_each_at_its_field(patient):
    other = PatientFactory(board=patient.board)
    errors = _refused(PrimaryCancer(patient=other, site=PrimarySite.PROSTATE,
                                    hormone_receptor_status="positive", her2_status="negative"))
    assert errors == {
        "hormone_receptor_status": ["Hormone-receptor status applies to breast cancer only."],
        "her2_status": ["HER2 status applies to breast cancer only."],
    }


@pytest.mark.parametrize(("hormone_receptors", "her2"), [
    ("positive", "positive"),  # triple positive: the combined value could not hold it
    ("negative", "positive"), ("positive", "negative"), ("negative", "negative"),
    ("unknown", "positive"), ("", "negative"), ("", ""),
])
def test_a_breast_cancer_takes_any_pair_of_receptor_statuses(patient, hormone_receptors, her2):
    other = PatientFactory(board=patient.board)
    PrimaryCancer(patient=other, site=PrimarySite.BREAST,
                  hormone_receptor_status=hormone_receptors, her2_status=her2).full_clean()


def test_a_receptor_status_outside_its_choices_is_refused(patient):
    other = PatientFactory(board=patient.board)
    errors = _refused(PrimaryCancer(patient=other, site=PrimarySite.BREAST,
                                    her2_status="equivocal"))
    assert list(errors) == ["her2_status"]


# --- Treatments -----------------------------------------------------------------------

def test_a_bone_agent_stopped_before_it_started_is_refused(patient):
    errors = _refused(BoneTargetedAgentCourse(
        patient=patient, agent="zoledronic_acid", dose_mg=Decimal("4"), interval_weeks=4,
        started_on=dt.date(2025, 6, 1), stopped_on=dt.date(2025, 5, 1)))
    assert errors == {"stopped_on": ["The end date is before the start date."]}


def test_a_systemic_therapy_stopped_before_it_started_is_refused(patient):
    errors = _refused(SystemicTherapy(patient=patient, kind="adt", drug="Leuprorelin",
                                      started_on=dt.date(2025, 6, 1),
                                      stopped_on=dt.date(2025, 1, 1)))
    assert errors == {"stopped_on": ["The end date is before the start date."]}


def test_radiotherapy_ending_before_it_started_is_refused(patient):
    errors = _refused(RadiotherapyCourse(patient=patient, site="T8", dose_gy=Decimal("20"),
                                         fractions=5, started_on=dt.date(2025, 6, 10),
                                         ended_on=dt.date(2025, 6, 3)))
    assert errors == {"ended_on": ["The end date is before the start date."]}


def test_radiotherapy_with_zero_fractions_is_refused(patient):
    errors = _refused(RadiotherapyCourse(patient=patient, site="T8", dose_gy=Decimal("8"),
                                         fractions=0, started_on=dt.date(2025, 6, 10)))
    assert errors == {"fractions": ["Ensure this value is greater than or equal to 1."]}


def test_a_long_bone_lesion_factory_row_is_valid(patient):
    # The factories produce valid rows: the refusals above are about the values tested.
    lesion = LongBoneLesionFactory(patient=patient)
    lesion.full_clean()
    assert lesion.is_long_bone is True
