"""factory-boy factories for the clinical record. Defaults are a plausible, complete
case; tests override what they are about."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from cases import models
from cases.choices import (
    AgendaItemStatus,
    BoardRole,
    Bone,
    LabAnalyte,
    LabUnit,
    LesionType,
    PrimarySite,
    Sex,
    Specialty,
)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@hospital.example")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Clinician{n}")
    password = factory.django.Password("correct horse battery staple")


class BoardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Board
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Bone metastasis MDT {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.BoardMembership

    board = factory.SubFactory(BoardFactory)
    user = factory.SubFactory(UserFactory)
    role = BoardRole.SPECIALIST
    specialty = Specialty.MEDICAL_ONCOLOGY


class PatientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Patient

    board = factory.SubFactory(BoardFactory)
    hospital_number = factory.Sequence(lambda n: f"H{n:07d}")
    given_name = factory.Sequence(lambda n: f"Given{n}")
    family_name = factory.Sequence(lambda n: f"Family{n}")
    date_of_birth = dt.date(1955, 3, 14)
    sex = Sex.MALE
    weight_kg = Decimal("72.0")
    weight_measured_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=7))
    visceral_metastases = False
    brain_metastases = False
    nodal_metastases = False
    ecog = 1
    ecog_assessed_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=7))
    neurological_deficit = False
    suspected_cord_compression = False


class PrimaryCancerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.PrimaryCancer

    patient = factory.SubFactory(PatientFactory)
    site = PrimarySite.PROSTATE
    histology = "Acinar adenocarcinoma"
    diagnosed_on = dt.date(2022, 5, 1)
    castration_status = "resistant"


class SpinalLesionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Lesion

    patient = factory.SubFactory(PatientFactory)
    bone = Bone.VERTEBRA
    vertebral_level = "T8"
    lesion_type = LesionType.OSTEOBLASTIC
    painful = True
    spinal_pain = "occasional"
    alignment = "normal"
    collapse_percent = Decimal("0")
    body_involvement_percent = Decimal("30")
    posterolateral = "none"


class LongBoneLesionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Lesion

    patient = factory.SubFactory(PatientFactory)
    bone = Bone.FEMUR
    long_bone_segment = "diaphysis"
    laterality = "left"
    lesion_type = LesionType.MIXED
    painful = True
    limb_pain = "moderate"
    cortical_involvement = "1_3_to_2_3"


class LabResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.LabResult

    patient = factory.SubFactory(PatientFactory)
    analyte = LabAnalyte.CREATININE
    value = Decimal("1.0")
    unit = LabUnit.MG_DL
    taken_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=3))


class ImagingStudyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ImagingStudy

    patient = factory.SubFactory(PatientFactory)
    modality = "ct"
    region = "Thoracolumbar spine"
    performed_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=10))
    report = "Sclerotic lesions."


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Meeting

    board = factory.SubFactory(BoardFactory)
    # Today: the board signs a decision from its meeting's day on (decision_sign).
    starts_at = factory.LazyFunction(timezone.now)
    location = "Seminar room 2"


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    patient = factory.SubFactory(
        PatientFactory, board=factory.SelfAttribute("..meeting.board")
    )
    question = "Radiotherapy and bone-targeted agent?"
    position = factory.Sequence(lambda n: n + 1)
    status = AgendaItemStatus.REFERRED
