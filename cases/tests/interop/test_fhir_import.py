"""FHIR bundles into the record: every mapping row, unit errors, unknown codes, the
preview, idempotency, all-or-nothing, board scoping and the audit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from pghistory.models import Events

from cases import services
from cases.choices import ImagingModality, LabUnit
from cases.interop import codes
from cases.models import (
    BoneTargetedAgentCourse,
    ImagingStudy,
    ImportBatch,
    ImportedResource,
    ImportSource,
    LabResult,
    Patient,
    PrimaryCancer,
    SystemicTherapy,
)
from cases.tests.factories import PatientFactory
from cases.tests.interop import bundles as b

pytestmark = pytest.mark.django_db

FHIR = ImportSource.FHIR

#: A plausible value for every (test, unit) the import accepts.
PLAUSIBLE = {
    ("creatinine", "mg/dL"): "1.1", ("creatinine", "umol/L"): "97",
    ("calcium", "mmol/L"): "2.41", ("albumin", "g/L"): "38", ("albumin", "g/dL"): "3.8",
    ("alp", "U/L"): "120", ("haemoglobin", "g/dL"): "12.1", ("haemoglobin", "g/L"): "121",
    ("anc", "10^9/L"): "3.2", ("platelets", "10^9/L"): "210", ("wbc", "10^9/L"): "6.5",
}
LAB_ROWS = [(loinc, ucum, stored) for loinc, lab in codes.LAB_CODES.items()
            for ucum, stored in lab.units.items()]


def run(board, user, data, *, commit=True):
    return services.records_import(board=board, user=user, source=FHIR,
                                   content=b.as_text(data), commit=commit)


@pytest.mark.parametrize(("loinc", "ucum", "stored"), LAB_ROWS)
def test_every_lab_code_and_unit_is_stored_as_sent(board, coordinator, loinc, ucum, stored):
    analyte = codes.LAB_CODES[loinc].analyte
    value = PLAUSIBLE[(analyte, stored)]
    plan = run(board, coordinator, b.bundle(b.patient(), b.observation(loinc, value, ucum,
                                                                        id="lab-1")))
    assert plan.ok, [str(e) for e in plan.errors]
    lab = LabResult.objects.get()
    assert (lab.analyte, lab.value, lab.unit) == (analyte, Decimal(value), stored)
    assert lab.taken_at == dt.datetime(2026, 11, 30, 8, 15, tzinfo=dt.UTC)
    assert lab.patient.hospital_number == "H0099001"


def test_counts_per_microlitre_are_the_same_number_in_the_records_unit(board, coordinator):
    run(board, coordinator, b.bundle(b.patient(), b.observation("777-3", 185, "10*3/uL",
                                                                 id="plt")))
    lab = LabResult.objects.get()
    assert (lab.value, lab.unit) == (Decimal("185"), LabUnit.E9_L)


def test_a_unit_the_test_is_not_reported_in_refuses_the_file(board, coordinator):
    plan = run(board, coordinator, b.bundle(
        b.patient(), b.observation("2160-0", 97, "umol/L", id="creat"),
        b.observation("718-7", 12, "g/dL", id="hb")))
    assert not plan.ok
    assert [str(e) for e in plan.errors] == [
        "entry 2 (Observation creat), valueQuantity.code: Creatinine [Mass/volume] in Serum "
        "or Plasma (LOINC 2160-0) is reported in mg/dL, not \"umol/L\"."]
    assert not Patient.objects.exists() and not LabResult.objects.exists()


def test_a_unit_outside_ucum_is_refused(board, coordinator):
    data = b.bundle(b.patient(), b.observation("718-7", 12, "g/dL", id="hb"))
    data["entry"][1]["resource"]["valueQuantity"]["system"] = "http://example.org/units"
    plan = run(board, coordinator, data)
    assert [e.field for e in plan.errors] == ["valueQuantity.system"]
    assert not LabResult.objects.exists()


def test_an_impossible_value_is_refused_at_its_field(board, coordinator):
    plan = run(board, coordinator, b.bundle(b.patient(),
                                            b.observation("718-7", 95, "g/dL", id="hb")))
    assert [(e.entry, e.field) for e in plan.errors] == [
        ("entry 2", "value (valueQuantity.value)")]
    assert not Patient.objects.exists()


def test_a_result_without_a_time_zone_or_not_final_is_refused(board, coordinator):
    plan = run(board, coordinator, b.bundle(
        b.patient(), b.observation("718-7", 12, "g/dL", id="a", when="2026-11-30"),
        b.observation("718-7", 12, "g/dL", id="b", status="preliminary")))
    assert [(e.label, e.field) for e in plan.errors] == [
        ("Observation a", "effectiveDateTime"), ("Observation b", "status")]


def test_unknown_and_refused_codes_are_listed_and_the_rest_imported(board, coordinator):
    plan = run(board, coordinator, b.bundle(
        b.patient(), b.observation("2951-2", 140, "mmol/L", id="sodium"),
        b.observation("17861-6", 9.6, "mg/dL", id="total-ca"),
        b.observation("718-7", 12, "g/dL", id="hb")))
    assert plan.ok
    assert [(u.label, u.system_name, u.code, u.reason) for u in plan.unknown] == [
        ("Observation sodium", "LOINC", "2951-2", "not a code Boardsite imports"),
        ("Observation total-ca", "LOINC", "17861-6",
         "total calcium: the record holds the albumin-adjusted calcium (29265-6)"),
    ]
    assert LabResult.objects.get().analyte == "haemoglobin"


def test_a_resource_type_not_read_is_listed(board, coordinator):
    allergy = {"resourceType": "AllergyIntolerance", "id": "al-1",
               "patient": {"reference": "Patient/pat-1"}}
    plan = run(board, coordinator, b.bundle(b.patient(), allergy))
    assert plan.ok
    assert [(u.label, u.code) for u in plan.unknown] == [("AllergyIntolerance al-1",
                                                          "AllergyIntolerance")]


def test_the_librarys_structural_errors_name_the_entry_and_element(board, coordinator):
    data = b.bundle(b.patient())
    data["entry"].append({"resource": {"resourceType": "Observation", "id": "x",
                                       "status": "final", "code": {"text": "Hb"},
                                       "colour": "red"}})
    data["entry"].append({"resource": {"resourceType": "Observation", "id": "y",
                                       "code": {"text": "Hb"}}})
    plan = run(board, coordinator, data)
    assert [(e.entry, e.label, e.field, e.message) for e in plan.errors] == [
        ("entry 2", "Observation x", "colour", "Extra inputs are not permitted"),
        ("entry 3", "Observation y", "status", "Value for the field 'status' is required."),
    ]


def test_not_json_or_not_a_bundle(board, coordinator):
    for content, message in (("{nope", "This is not a JSON file"),
                             ('{"resourceType": "Patient"}', "A FHIR Bundle is expected")):
        plan = services.records_import(board=board, user=coordinator, source=FHIR,
                                       content=content)
        assert plan.errors[0].message.startswith(message)


@pytest.mark.parametrize(("system", "code", "site"), [
    *[(codes.ICD10, f"{category}.9", site) for category, site in codes.ICD10_PRIMARY.items()],
    *[(codes.SNOMED, code, site) for code, site in codes.SNOMED_PRIMARY.items()],
])
def test_every_primary_cancer_code(board, coordinator, system, code, site):
    plan = run(board, coordinator, b.bundle(b.patient(), b.condition(system, code, id="c1")))
    assert plan.ok, [str(e) for e in plan.errors]
    primary = PrimaryCancer.objects.get()
    assert (primary.site, primary.diagnosed_on) == (site, dt.date(2024, 5, 1))


def test_importing_the_breast_cancer_again_keeps_its_recorded_receptor_statuses(
        board, coordinator):
    """The import maps no receptor result (docs/import.md): a breast Condition sent again
    with a corrected onset changes the onset only, never the two statuses on record."""
    run(board, coordinator, b.bundle(b.patient(), b.condition(codes.ICD10, "C50.9", id="c1")))
    PrimaryCancer.objects.update(hormone_receptor_status="positive", her2_status="positive")
    # With a HER2 result (LOINC 48676-1) beside it, which is listed, not read.
    plan = run(board, coordinator, b.bundle(
        b.patient(), b.condition(codes.ICD10, "C50.9", id="c1", onset="2024-04-01"),
        b.observation("48676-1", "3", "{score}", id="her2-1")))
    assert plan.ok, [str(e) for e in plan.errors]
    assert [u.code for u in plan.unknown] == ["48676-1"]
    primary = PrimaryCancer.objects.get()
    assert (primary.site, primary.diagnosed_on, primary.hormone_receptor_status,
            primary.her2_status) == ("breast", dt.date(2024, 4, 1), "positive", "positive")


@pytest.mark.parametrize(("system", "code"), [(codes.ICD10, "C79.5"),
                                              (codes.SNOMED, "94222008")])
def test_secondary_bone_disease_is_recognised_and_stores_nothing(board, coordinator, system,
                                                                 code):
    plan = run(board, coordinator, b.bundle(b.patient(), b.condition(system, code, id="c2")))
    assert [line.status for line in plan.lines] == ["new", "noted"]
    assert not PrimaryCancer.objects.exists()


@pytest.mark.parametrize(("key", "medicine"), list(codes.MEDICINE_CODES.items()))
def test_every_medicine_code(board, coordinator, key, medicine):
    system, code = key
    plan = run(board, coordinator, b.bundle(
        b.patient(), b.medication_statement(system, code, id="m1", dose_mg=4, period=4)))
    assert plan.ok, [str(e) for e in plan.errors]
    if medicine.bone_agent:
        course = BoneTargetedAgentCourse.objects.get()
        assert (course.agent, course.dose_mg, course.interval_weeks, course.started_on) == (
            medicine.bone_agent, Decimal(4), 4, dt.date(2026, 9, 1))
    else:
        therapy = SystemicTherapy.objects.get()
        assert (therapy.kind, therapy.drug, therapy.started_on, therapy.planned) == (
            medicine.systemic_kind, medicine.name, dt.date(2026, 9, 1), False)


def test_a_bone_agent_needs_its_dose_in_mg_and_a_whole_number_of_weeks(board, coordinator):
    plan = run(board, coordinator, b.bundle(
        b.patient(),
        b.medication_statement(codes.ATC, "M05BX04", id="no-dose", dose_mg=None),
        b.medication_statement(codes.ATC, "M05BA08", id="ten-days", period=10, unit="d")))
    assert [(e.label, e.message) for e in plan.errors] == [
        ("MedicationStatement no-dose",
         "Give the dose in mg: a bone-targeted agent course is recorded with its dose."),
        ("MedicationStatement ten-days",
         "An interval of 10 days is not a whole number of weeks, as the record holds it."),
    ]
    assert not BoneTargetedAgentCourse.objects.exists()


def test_a_medication_request_and_a_month(board, coordinator):
    plan = run(board, coordinator, b.bundle(
        b.patient(), b.medication_request(codes.RXNORM, "3264", id="dex"),
        b.medication_statement(codes.RXNORM, "993449", id="dmab", dose_mg=120, period=1,
                               unit="mo")))
    assert plan.ok
    therapy = SystemicTherapy.objects.get()
    assert (therapy.drug, therapy.kind, therapy.started_on) == (
        "Dexamethasone", "corticosteroid", dt.date(2026, 10, 1))
    assert BoneTargetedAgentCourse.objects.get().interval_weeks == 4


def test_an_unknown_medicine_is_listed(board, coordinator):
    plan = run(board, coordinator, b.bundle(
        b.patient(), b.medication_statement(codes.ATC, "N02BE01", id="paracetamol")))
    assert plan.ok
    assert [(u.system_name, u.code) for u in plan.unknown] == [("ATC", "N02BE01")]


@pytest.mark.parametrize(("dicom", "description", "modality"), [
    ("CT", "CT chest", ImagingModality.CT),
    ("MR", "MRI thoracic spine", ImagingModality.MRI),
    ("MR", "MRI whole spine", ImagingModality.MRI_WHOLE_SPINE),
    ("NM", "Bone scan", ImagingModality.BONE_SCAN),
    ("PT", "PSMA PET-CT", ImagingModality.PET_CT_PSMA),
    ("PT", "FDG PET-CT", ImagingModality.PET_CT_FDG),
    ("CR", "Radiograph femur", ImagingModality.RADIOGRAPH),
    ("DX", "Radiograph humerus", ImagingModality.RADIOGRAPH),
])
def test_every_imaging_modality_with_its_report(board, coordinator, dicom, description,
                                                modality):
    plan = run(board, coordinator, b.bundle(
        b.patient(), b.diagnostic_report(),
        b.imaging_study(dicom, description=description)))
    assert plan.ok, [str(e) for e in plan.errors]
    study = ImagingStudy.objects.get()
    assert (study.modality, study.region, study.performed_on, study.report) == (
        modality, "Thoracic spine", dt.date(2026, 11, 20),
        "Lytic lesion T10, no cord compression.")


def test_a_pet_without_its_tracer_is_refused(board, coordinator):
    plan = run(board, coordinator, b.bundle(b.patient(),
                                            b.imaging_study("PT", description="PET-CT")))
    assert [e.message for e in plan.errors] == [
        "A PET study needs its tracer (PSMA or FDG) in its description."]


def _full_bundle(hb="12.1"):
    return b.bundle(
        b.patient(),
        b.condition(codes.ICD10, "C61", id="c1"),
        b.condition(codes.ICD10, "C79.5", id="c2"),
        b.observation("718-7", hb, "g/dL", id="hb", identifier="LAB-1"),
        b.observation("2160-0", "1.1", "mg/dL", id="creat"),
        b.medication_statement(codes.ATC, "M05BA08", id="zol"),
        b.imaging_study(), b.diagnostic_report(),
    )


def _record_size():
    return [m.objects.count() for m in (Patient, PrimaryCancer, LabResult, ImagingStudy,
                                        BoneTargetedAgentCourse, ImportedResource)]


def test_the_same_bundle_twice_creates_nothing_new(board, coordinator):
    first = run(board, coordinator, _full_bundle())
    assert first.counts() == {"new": 6, "updated": 0, "unchanged": 0, "noted": 2,
                              "errors": 0, "unknown_codes": 0}
    size = _record_size()
    assert size == [1, 1, 2, 1, 1, 6]
    second = run(board, coordinator, _full_bundle())
    assert second.counts()["new"] == 0 and second.counts()["unchanged"] == 6
    assert _record_size() == size


def test_a_changed_value_is_an_update_shown_in_words(board, coordinator):
    run(board, coordinator, _full_bundle())
    lab = LabResult.objects.get(analyte="haemoglobin")
    preview = run(board, coordinator, _full_bundle(hb="11.4"), commit=False)
    [line] = [line for line in preview.lines if line.status == "updated"]
    assert (line.label, [(c.field, c.before, c.after) for c in line.changes]) == (
        "Observation hb", [("Value", "12.1", "11.4")])
    lab.refresh_from_db()
    assert lab.value == Decimal("12.1")  # a preview writes nothing
    run(board, coordinator, _full_bundle(hb="11.4"))
    lab.refresh_from_db()
    assert lab.value == Decimal("11.4")
    assert LabResult.objects.count() == 2


def test_an_existing_patient_is_matched_by_hospital_number(board, coordinator):
    patient = PatientFactory(board=board, hospital_number="H0099001", family_name="Okafor",
                             given_name="Ada", date_of_birth=dt.date(1956, 4, 2), sex="female")
    plan = run(board, coordinator, b.bundle(b.patient(), b.observation("718-7", 12, "g/dL",
                                                                        id="hb")))
    assert [line.status for line in plan.lines] == ["unchanged", "new"]
    assert LabResult.objects.get().patient == patient and Patient.objects.count() == 1


def test_one_error_stores_nothing_at_all(board, coordinator):
    data = _full_bundle()
    data["entry"].append({"resource": b.observation("6768-6", 120, "ukat/L", id="alp")})
    plan = run(board, coordinator, data)
    assert len(plan.errors) == 1 and plan.errors[0].label == "Observation alp"
    assert _record_size() == [0, 0, 0, 0, 0, 0]
    assert not ImportBatch.objects.exists()


def test_another_boards_patient_cannot_be_touched(board, other_board, coordinator):
    # Hospital numbers are unique per board: the same number on another board is another
    # person, so the bundle registers this board's patient and leaves theirs alone.
    theirs = PatientFactory(board=other_board, hospital_number="H0099001", family_name="Else")
    plan = run(board, coordinator, b.bundle(b.patient(), b.observation("718-7", 12, "g/dL",
                                                                        id="hb")))
    assert plan.errors == []
    ours = Patient.objects.get(board=board)
    assert ours.hospital_number == "H0099001" and ours.labs.count() == 1
    theirs.refresh_from_db()
    assert theirs.family_name == "Else" and not theirs.labs.exists()


def test_hospital_numbers_match_whatever_the_case_of_the_letters(board, coordinator, patient):
    plan = run(board, coordinator, b.bundle(
        b.patient(number=patient.hospital_number.lower()),
        b.observation("718-7", 12, "g/dL", id="hb")))
    assert plan.errors == []
    assert Patient.objects.filter(board=board).count() == 1
    assert LabResult.objects.get().patient == patient


def test_a_user_outside_the_board_cannot_import(board, outsider):
    with pytest.raises(PermissionDenied):
        run(board, outsider, _full_bundle())
    assert _record_size() == [0, 0, 0, 0, 0, 0]


def test_every_write_is_audited_with_the_import(board, coordinator):
    run(board, coordinator, _full_bundle())
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.uploaded_by, batch.content) == ("imported", coordinator, "")
    assert batch.counts["new"] == 6
    patient = Patient.objects.get()
    events = Events.objects.references(patient).filter(pgh_label="insert")
    assert {e.pgh_model for e in events} >= {"cases.PatientEvent", "cases.LabResultEvent",
                                            "cases.PrimaryCancerEvent"}
    assert all(e.pgh_context["import_batch"] == batch.pk for e in events)


def test_the_preview_then_confirmation_imports_exactly_the_file_previewed(board, coordinator,
                                                                           oncologist):
    batch, plan = services.records_import_preview(
        board=board, user=coordinator, source=FHIR, content=b.as_text(_full_bundle()))
    assert plan.ok and _record_size() == [0, 0, 0, 0, 0, 0]
    done = services.records_import_confirm(batch=batch, user=oncologist)
    assert done.counts()["new"] == 6 and _record_size()[0] == 1
    batch.refresh_from_db()
    with pytest.raises(services.ValidationError):
        services.records_import_confirm(batch=batch, user=oncologist)


def test_the_plan_runs_in_a_fixed_number_of_queries(board, coordinator,
                                                    django_assert_max_num_queries):
    def observations(n):
        return [b.observation("718-7", "12.1", "g/dL", id=f"hb-{i}",
                              when=f"2026-11-{1 + i % 28:02d}T08:00:00+00:00")
                for i in range(n)]
    # bench/import_fhir.py: 10 queries for a first import, 9 for a re-import, at 10 or
    # 1,000 observations; a user's permission check adds its membership read.
    with django_assert_max_num_queries(12):
        run(board, coordinator, b.bundle(b.patient(), *observations(60)))
    assert LabResult.objects.count() == 60
    with django_assert_max_num_queries(12):
        plan = run(board, coordinator, b.bundle(b.patient(), *observations(60)))
    assert plan.counts()["unchanged"] == 61


def test_a_result_recorded_by_hand_is_found_not_duplicated(board, coordinator):
    # The same analyte at the same time with the same value is the row already recorded
    # (typed in from the lab report, or exported by Boardsite and sent back); a different
    # value at that time is kept beside it, never written over what was recorded.
    first = run(board, coordinator, b.bundle(b.patient()))
    assert first.errors == []
    ours = Patient.objects.get(board=board)
    LabResult.objects.create(
        patient=ours, analyte="haemoglobin", value=Decimal("12.000"), unit=LabUnit.G_DL,
        taken_at=dt.datetime(2026, 11, 30, 8, 15, tzinfo=dt.UTC))
    same = run(board, coordinator, b.bundle(b.patient(),
                                            b.observation("718-7", 12, "g/dL", id="hb")))
    assert [line.status for line in same.lines] == ["unchanged", "unchanged"]
    assert LabResult.objects.count() == 1
    other = run(board, coordinator, b.bundle(b.patient(),
                                             b.observation("718-7", 11.2, "g/dL", id="hb2")))
    assert [line.status for line in other.lines] == ["unchanged", "new"]
    assert sorted(LabResult.objects.values_list("value", flat=True)) == [
        Decimal("11.2"), Decimal("12")]
