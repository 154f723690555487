"""django-filter filter sets: what each list can be narrowed by (documented in the schema)."""

from __future__ import annotations

import django_filters as df
from django import forms

from cases.models import (
    AgendaItem,
    Attendance,
    BoardMembership,
    BoneTargetedAgentCourse,
    Decision,
    ImagingStudy,
    LabResult,
    Lesion,
    Meeting,
    Patient,
    PrimaryCancer,
    RadiotherapyCourse,
    SurgicalProcedure,
    SystemicTherapy,
)


class IdFilter(df.Filter):
    """A row ID: a whole number; IDs of other boards' rows simply match nothing."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class PatientFilter(df.FilterSet):
    board = IdFilter(field_name="board_id", help_text="Board ID.")
    hospital_number = df.CharFilter(help_text="Exact hospital number.")
    family_name = df.CharFilter(lookup_expr="istartswith",
                                help_text="Family name starts with (any case).")

    class Meta:
        model = Patient
        fields = ["board", "hospital_number", "family_name", "sex", "ecog",
                  "suspected_cord_compression"]


class _PatientRowFilter(df.FilterSet):
    patient = IdFilter(field_name="patient_id", help_text="Patient ID.")


class PrimaryCancerFilter(_PatientRowFilter):
    class Meta:
        model = PrimaryCancer
        fields = ["patient", "site"]


class LesionFilter(_PatientRowFilter):
    class Meta:
        model = Lesion
        fields = ["patient", "bone", "vertebral_level", "lesion_type"]


class ImagingStudyFilter(_PatientRowFilter):
    performed_after = df.DateFilter(field_name="performed_on", lookup_expr="gte")
    performed_before = df.DateFilter(field_name="performed_on", lookup_expr="lte")

    class Meta:
        model = ImagingStudy
        fields = ["patient", "modality"]


class LabResultFilter(_PatientRowFilter):
    taken_after = df.IsoDateTimeFilter(field_name="taken_at", lookup_expr="gte")
    taken_before = df.IsoDateTimeFilter(field_name="taken_at", lookup_expr="lte")

    class Meta:
        model = LabResult
        fields = ["patient", "analyte"]


class BoneTargetedAgentCourseFilter(_PatientRowFilter):
    class Meta:
        model = BoneTargetedAgentCourse
        fields = ["patient", "agent"]


class SystemicTherapyFilter(_PatientRowFilter):
    class Meta:
        model = SystemicTherapy
        fields = ["patient", "kind"]


class RadiotherapyCourseFilter(_PatientRowFilter):
    lesion = IdFilter(field_name="lesion_id")

    class Meta:
        model = RadiotherapyCourse
        fields = ["patient", "lesion", "technique"]


class SurgicalProcedureFilter(_PatientRowFilter):
    lesion = IdFilter(field_name="lesion_id")

    class Meta:
        model = SurgicalProcedure
        fields = ["patient", "lesion", "kind"]


class MeetingFilter(df.FilterSet):
    board = IdFilter(field_name="board_id")
    starts_after = df.IsoDateTimeFilter(field_name="starts_at", lookup_expr="gte")
    starts_before = df.IsoDateTimeFilter(field_name="starts_at", lookup_expr="lte")

    class Meta:
        model = Meeting
        fields = ["board", "status"]


class AttendanceFilter(df.FilterSet):
    meeting = IdFilter(field_name="meeting_id")
    user = IdFilter(field_name="user_id")

    class Meta:
        model = Attendance
        fields = ["meeting", "user", "confirmed"]


class AgendaItemFilter(_PatientRowFilter):
    meeting = IdFilter(field_name="meeting_id")

    class Meta:
        model = AgendaItem
        fields = ["meeting", "patient", "status", "urgent"]


class DecisionFilter(df.FilterSet):
    agenda_item = IdFilter(field_name="agenda_item_id")
    patient = IdFilter(field_name="agenda_item__patient_id")
    meeting = IdFilter(field_name="agenda_item__meeting_id")
    signed = df.BooleanFilter(field_name="signed_at", lookup_expr="isnull", exclude=True,
                              help_text="true: signed decisions only; false: unsigned only.")

    class Meta:
        model = Decision
        fields = ["agenda_item", "patient", "meeting", "signed"]


class MembershipFilter(df.FilterSet):
    board = IdFilter(field_name="board_id")
    user = IdFilter(field_name="user_id")

    class Meta:
        model = BoardMembership
        fields = ["board", "user", "role"]
