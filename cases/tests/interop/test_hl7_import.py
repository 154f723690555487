"""HL7 v2 ORU^R01 lab results: the same lab mapping as FHIR, the patient by hospital
number within the board, idempotent by order and code, all or nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from cases import services
from cases.interop import codes
from cases.models import ImportSource, LabResult
from cases.tests.factories import PatientFactory
from cases.tests.interop import bundles as b
from cases.tests.interop.test_fhir_import import LAB_ROWS, PLAUSIBLE

pytestmark = pytest.mark.django_db


@pytest.fixture
def patient(board):
    return PatientFactory(board=board, hospital_number="H0099001")


def run(board, user, message, *, commit=True):
    return services.records_import(board=board, user=user, source=ImportSource.HL7V2,
                                   content=message, commit=commit)


@pytest.mark.parametrize(("loinc", "ucum", "stored"), LAB_ROWS)
def test_every_lab_code_and_unit(board, coordinator, patient, loinc, ucum, stored):
    analyte = codes.LAB_CODES[loinc].analyte
    value = PLAUSIBLE[(analyte, stored)]
    plan = run(board, coordinator, b.oru(b.obx(1, loinc, value, ucum)))
    assert plan.ok, [str(e) for e in plan.errors]
    lab = LabResult.objects.get()
    assert (lab.patient, lab.analyte, lab.value, lab.unit, lab.taken_at) == (
        patient, analyte, Decimal(value), stored,
        dt.datetime(2026, 11, 30, 8, 15, tzinfo=dt.UTC))


def test_the_same_message_twice_creates_nothing_new_and_a_correction_updates(
        board, coordinator, patient):
    message = b.oru(b.obx(1, "718-7", "12.1", "g/dL"), b.obx(2, "2160-0", "1.1", "mg/dL"))
    assert run(board, coordinator, message).counts()["new"] == 2
    assert run(board, coordinator, message).counts()["unchanged"] == 2
    corrected = b.oru(b.obx(1, "718-7", "11.9", "g/dL", status="C"),
                      b.obx(2, "2160-0", "1.1", "mg/dL"))
    plan = run(board, coordinator, corrected)
    assert (plan.counts()["updated"], plan.counts()["unchanged"]) == (1, 1)
    assert sorted(LabResult.objects.values_list("value", flat=True)) == [
        Decimal("1.1"), Decimal("11.9")]


def test_a_patient_not_on_the_board_is_an_error(board, other_board, coordinator):
    # Another board's patient with the same hospital number is another person: the
    # message names only this board, and their record is not touched.
    PatientFactory(board=other_board, hospital_number="H0099001")
    plan = run(board, coordinator, b.oru(b.obx(1, "718-7", "12.1", "g/dL")))
    assert [e.message for e in plan.errors] == [
        "No patient with hospital number H0099001 on this board: register them first."]
    plan = run(board, coordinator, b.oru(b.obx(1, "718-7", "12.1", "g/dL"), number="H404"))
    assert [e.message for e in plan.errors] == [
        "No patient with hospital number H404 on this board: register them first."]
    assert not LabResult.objects.exists()


def test_errors_refuse_the_message_and_name_the_segment_and_field(board, coordinator,
                                                                   patient):
    plan = run(board, coordinator, b.oru(
        b.obx(1, "718-7", "12.1", "g/dL"),
        b.obx(2, "2160-0", "97", "umol/L"),
        b.obx(3, "6690-2", "6.1", "10*9/L", status="P"),
        b.obx(4, "777-3", "many", "10*9/L"),
        b.obx(5, "751-8", "3.1", "10*9/L", when=""),
    ))
    assert [str(e) for e in plan.errors] == [
        "segment 5 (OBX 2), OBX-6: Creatinine [Mass/volume] in Serum or Plasma (LOINC "
        "2160-0) is reported in mg/dL, not \"umol/L\".",
        "segment 6 (OBX 3), OBX-11: Only final or corrected results (F, C) are imported, "
        "not \"P\".",
        "segment 7 (OBX 4), OBX-5: \"many\" is not a number.",
    ]
    assert not LabResult.objects.exists()


def test_the_order_time_stands_in_for_a_missing_result_time(board, coordinator, patient):
    run(board, coordinator, b.oru(b.obx(1, "718-7", "12.1", "g/dL", when="")))
    assert LabResult.objects.get().taken_at == dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)


def test_unknown_codes_are_listed(board, coordinator, patient):
    plan = run(board, coordinator, b.oru(b.obx(1, "2951-2", "140", "mmol/L"),
                                         b.obx(2, "718-7", "12.1", "g/dL")))
    assert plan.ok
    assert [(u.label, u.system_name, u.code) for u in plan.unknown] == [
        ("OBX 1", "LOINC", "2951-2")]


def test_only_lab_results_are_read(board, coordinator, patient):
    plan = run(board, coordinator, b.oru(kind="ADT^A01"))
    assert [e.message for e in plan.errors] == [
        "Only lab results (ORU^R01) are imported, not ADT^A01."]
    plan = run(board, coordinator, "hello")
    assert plan.errors[0].message.startswith("This is not an HL7 v2 message")


def test_each_result_belongs_to_the_patient_before_it(board, coordinator, patient):
    second = PatientFactory(board=board, hospital_number="H0099002")
    message = "\r".join([
        b.oru(b.obx(1, "718-7", "12.1", "g/dL")),
        "PID|2||H0099002^^^HOSPITAL^MR||Other^Ann||19600101|F",
        "OBR|1|PLACER-2|FILL-2|24323-8^Metabolic panel^LN|||202611300800+0000",
        b.obx(1, "718-7", "9.4", "g/dL"),
    ])
    plan = run(board, coordinator, message)
    assert plan.ok and plan.counts()["new"] == 2
    assert patient.labs.get().value == Decimal("12.1")
    assert second.labs.get().value == Decimal("9.4")


def test_a_message_without_a_patient_is_refused(board, coordinator):
    message = b.oru(b.obx(1, "718-7", "12.1", "g/dL")).split("\r")
    del message[1]
    plan = run(board, coordinator, "\r".join(message))
    assert [e.message for e in plan.errors] == [
        "A result before any patient (PID) cannot be placed.",
        "The message names no patient (PID)."]
