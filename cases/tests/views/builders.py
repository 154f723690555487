"""Cases for the page tests: a meeting with N patients, each with lesions, labs,
imaging and treatments, built with the project's factories."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from cases import models
from cases.choices import LabAnalyte, LabUnit
from cases.services import agenda_item_add, meeting_create
from cases.tests.factories import (
    ImagingStudyFactory,
    LongBoneLesionFactory,
    PatientFactory,
    PrimaryCancerFactory,
    SpinalLesionFactory,
)

_LEVELS = ["T8", "T12", "L3", "C5", "T4", "L1", "T10", "L5", "C7", "T6"]
_ANALYTES = [
    (LabAnalyte.CREATININE, LabUnit.MG_DL, Decimal("0.9")),
    (LabAnalyte.CALCIUM, LabUnit.MMOL_L, Decimal("2.35")),
    (LabAnalyte.ALP, LabUnit.U_L, Decimal("180")),
    (LabAnalyte.HAEMOGLOBIN, LabUnit.G_DL, Decimal("12.1")),
    (LabAnalyte.PLATELETS, LabUnit.E9_L, Decimal("210")),
    (LabAnalyte.ANC, LabUnit.E9_L, Decimal("3.2")),
    (LabAnalyte.WBC, LabUnit.E9_L, Decimal("6.1")),
    (LabAnalyte.ALBUMIN, LabUnit.G_L, Decimal("38")),
]


def add_labs(patient, count: int) -> None:
    now = timezone.now()
    rows = []
    for index in range(count):
        analyte, unit, base = _ANALYTES[index % len(_ANALYTES)]
        round_ = index // len(_ANALYTES)
        rows.append(models.LabResult(
            patient=patient, analyte=analyte, unit=unit,
            value=base + Decimal(round_ % 5) * base / 50,
            taken_at=now - dt.timedelta(days=2 + 14 * round_, hours=index % len(_ANALYTES)),
        ))
    models.LabResult.objects.bulk_create(rows)


def add_patient(board, *, lesions: int = 2, labs: int = 8, complete: bool = False,
                **patient_fields):
    """A prostate (CRPC) patient with spinal and femoral lesions. `complete=True` also
    records what the engine otherwise lists as missing, so the case is ready."""
    if complete:
        patient_fields = {"worst_pain_nrs": 4, "pain_uncontrolled": False,
                          "bone_disease_extent": "multiple",
                          # BTA-11: the co-medication reviewed for zoledronic acid.
                          "on_aminoglycoside": False, "on_loop_diuretic": False,
                          "on_other_nephrotoxic_drug": False, **patient_fields}
    patient = PatientFactory(board=board, **patient_fields)
    PrimaryCancerFactory(patient=patient, prior_mcrpc_lines=2 if complete else None)
    known = {"pathological_fracture": False, "soft_tissue_mass": False,
             "epidural_extension": False, "neuropathic_pain": False} if complete else {}
    for index in range(lesions):
        if index % 2 == 0:
            SpinalLesionFactory(patient=patient, vertebral_level=_LEVELS[index % len(_LEVELS)],
                                **known)
        else:
            LongBoneLesionFactory(patient=patient, **known)
    add_labs(patient, labs)
    if complete:
        # The creatinine before the first zoledronic acid dose (BTA-03 baseline).
        models.LabResult.objects.create(
            patient=patient, analyte=LabAnalyte.CREATININE, unit=LabUnit.MG_DL,
            value=Decimal("0.9"), taken_at=timezone.now() - dt.timedelta(days=210))
    ImagingStudyFactory(patient=patient)
    today = timezone.localdate()
    models.BoneTargetedAgentCourse.objects.create(
        patient=patient, agent="zoledronic_acid", dose_mg=Decimal("4"), interval_weeks=4,
        started_on=today - dt.timedelta(days=200),
    )
    models.SystemicTherapy.objects.create(patient=patient, kind="adt", drug="Degarelix",
                                          started_on=today - dt.timedelta(days=400))
    models.RadiotherapyCourse.objects.create(
        patient=patient, site="T8", dose_gy=Decimal("8"), fractions=1,
        started_on=today - dt.timedelta(days=90), ended_on=today - dt.timedelta(days=90),
    )
    models.SurgicalProcedure.objects.create(patient=patient, kind="fixation",
                                            performed_on=today - dt.timedelta(days=150))
    return patient


def meeting_with_cases(board, cases: int, *, presenter=None, lesions: int = 2, labs: int = 8,
                       days_ahead: int = 3, complete: bool = False):
    meeting = meeting_create(board=board, starts_at=timezone.now() + dt.timedelta(days=days_ahead),
                             location="Seminar room 2")
    items = []
    for _ in range(cases):
        patient = add_patient(board, lesions=lesions, labs=labs, complete=complete)
        items.append(agenda_item_add(meeting=meeting, patient=patient,
                                     question="Radiotherapy and bone-targeted agent?",
                                     presenting_clinician=presenter))
    return meeting, items
