"""The facts version: every write to a table the engine reads bumps the patient's
counter, whichever way it is written (ORM, QuerySet, raw SQL)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection

from cases.models import (
    BoneTargetedAgentCourse,
    ImagingStudy,
    LabResult,
    Lesion,
    Patient,
    PatientFactsVersion,
    PrimaryCancer,
    RadioisotopeCourse,
    RadiotherapyCourse,
    SurgicalProcedure,
    SystemicTherapy,
)
from cases.tests.factories import PatientFactory

DAY = dt.date(2025, 3, 1)

#: Every table under CaseFacts: the model, what a new row needs, and a field to change.
FEEDING = [
    (PrimaryCancer, {"site": "prostate"}, ("histology", "adenocarcinoma")),
    (Lesion, {"bone": "femur", "long_bone_segment": "shaft"}, ("painful", True)),
    (LabResult, {"analyte": "creatinine", "value": Decimal("88"), "unit": "umol/L",
                 "taken_at": dt.datetime(2025, 3, 1, 9, tzinfo=dt.UTC)},
     ("value", Decimal("120"))),
    (ImagingStudy, {"modality": "mri", "region": "whole spine", "performed_on": DAY},
     ("region", "pelvis")),
    (BoneTargetedAgentCourse, {"agent": "denosumab", "dose_mg": Decimal("120"),
                               "interval_weeks": 4, "started_on": DAY},
     ("stopped_on", DAY + dt.timedelta(days=30))),
    (SystemicTherapy, {"kind": "adt", "started_on": DAY}, ("planned", True)),
    (RadiotherapyCourse, {"site": "T12", "dose_gy": Decimal("8"), "fractions": 1,
                          "started_on": DAY}, ("fractions", 5)),
    (SurgicalProcedure, {"kind": "fixation", "performed_on": DAY},
     ("performed_on", DAY + dt.timedelta(days=2))),
    (RadioisotopeCourse, {"agent": "radium_223", "doses_given": 1}, ("doses_given", 2)),
]
IDS = [model.__name__ for model, _, _ in FEEDING]


def version(patient) -> int:
    return PatientFactsVersion.objects.get(patient=patient).version


def _raw(sql: str, params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.fixture
def patient(board):
    return PatientFactory(board=board)


def test_a_new_patient_starts_at_version_1(patient):
    assert version(patient) == 1


def test_an_update_of_the_patient_bumps_once_whichever_way_it_is_written(patient):
    patient.ecog = 2
    patient.save()
    assert version(patient) == 2
    Patient.objects.filter(pk=patient.pk).update(on_dialysis=True)
    assert version(patient) == 3
    _raw("UPDATE cases_patient SET worst_pain_nrs = 7 WHERE id = %s", [patient.pk])
    assert version(patient) == 4


def test_a_statement_over_many_patients_bumps_each_once(board):
    patients = [PatientFactory(board=board) for _ in range(3)]
    other = PatientFactory(board=board)
    Patient.objects.filter(pk__in=[p.pk for p in patients]).update(paraplegic=False)
    assert [version(p) for p in patients] == [2, 2, 2]
    assert version(other) == 1


@pytest.mark.parametrize(("model", "fields", "change"), FEEDING, ids=IDS)
def test_orm_insert_update_delete_bump(patient, model, fields, change):
    row = model.objects.create(patient=patient, **fields)
    assert version(patient) == 2
    setattr(row, *change)
    row.save()
    assert version(patient) == 3
    row.delete()
    assert version(patient) == 4
    assert version(patient) == 4  # reading does not bump


@pytest.mark.parametrize(("model", "fields", "change"), FEEDING, ids=IDS)
def test_queryset_writes_bump(patient, model, fields, change):
    if model is PrimaryCancer:  # one per patient
        model.objects.bulk_create([model(patient=patient, **fields)])
        assert version(patient) == 2
    else:
        model.objects.bulk_create([model(patient=patient, **fields) for _ in range(3)])
        assert version(patient) == 2  # one statement, one bump
    field, value = change
    model.objects.filter(patient=patient).update(**{field: value})
    assert version(patient) == 3
    model.objects.filter(patient=patient).delete()
    assert version(patient) == 4
    assert not model.objects.filter(patient=patient).exists()


@pytest.mark.parametrize(("model", "fields", "change"), FEEDING, ids=IDS)
def test_raw_sql_writes_bump(board, patient, model, fields, change):
    table = model._meta.db_table
    row = model.objects.create(patient=PatientFactory(board=board), **fields)
    columns = [f.column for f in model._meta.concrete_fields if not f.primary_key]
    copied = ", ".join("%s" if c == "patient_id" else c for c in columns)
    # A copy of another patient's row, written for this patient by SQL alone.
    _raw(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {copied} FROM {table} "  # noqa: S608
         f"WHERE id = %s", [patient.pk, row.pk])
    assert version(patient) == 2
    column = model._meta.get_field(change[0]).column
    _raw(f"UPDATE {table} SET {column} = %s WHERE patient_id = %s",  # noqa: S608
         [change[1], patient.pk])
    assert version(patient) == 3
    _raw(f"DELETE FROM {table} WHERE patient_id = %s", [patient.pk])  # noqa: S608
    assert version(patient) == 4


@pytest.mark.parametrize(("model", "fields", "change"), FEEDING, ids=IDS)
def test_a_row_moved_to_another_patient_bumps_both(board, patient, model, fields, change):
    other = PatientFactory(board=board)
    row = model.objects.create(patient=patient, **fields)
    model.objects.filter(pk=row.pk).update(patient=other)
    assert (version(patient), version(other)) == (3, 2)


def test_deleting_a_patient_deletes_its_record_and_its_version(patient):
    for model, fields, _ in FEEDING:
        model.objects.create(patient=patient, **fields)
    assert version(patient) == 1 + len(FEEDING)
    pk = patient.pk
    patient.delete()
    assert not Patient.objects.filter(pk=pk).exists()
    assert not PatientFactsVersion.objects.filter(patient_id=pk).exists()
    assert not LabResult.objects.filter(patient_id=pk).exists()

