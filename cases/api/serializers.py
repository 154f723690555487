"""Serializers of the clinical record and the meeting.

Serializers validate the shape of the input; the model's own checks (`full_clean`,
run by `cases.services.clinical_row_save`) and the services decide the rest, and
their messages come back field by field in the same format (`cases.api.errors`).
Related rows are chosen among the user's boards only (`ScopedPrimaryKeyRelatedField`).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases import actions as action_vocab
from cases import scoping
from cases.api.bounded import validate_bounded_json
from cases.api.fields import ScopedPrimaryKeyRelatedField
from cases.choices import ANALYTE_UNITS, BoardRole, DecisionItemVerdict, Specialty
from cases.models import (
    AgendaItem,
    Attendance,
    Board,
    BoardMembership,
    BoneTargetedAgentCourse,
    Decision,
    DecisionItem,
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
from cases.services import clinical_row_save

User = get_user_model()


def _lesions_for(user):
    return Lesion.objects.filter(patient__in=scoping.patients_for(user))


def _members_for(user):
    return User.objects.filter(board_memberships__board__in=scoping.boards_for(user)).distinct()


# --- Clinical rows (saved through clinical_row_save) ----------------------------------

class ClinicalRowSerializer(serializers.ModelSerializer):
    """A row of the clinical record: saved with `clinical_row_save` (full_clean first)."""

    #: Fields of the row that belong to the patient it was recorded for; they cannot
    #: be moved to another patient or board by an update.
    fixed_on_update: tuple[str, ...] = ("patient",)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is not None:
            errors = {
                name: ["This cannot be changed once recorded; record a new row instead."]
                for name in self.fixed_on_update
                if name in attrs and attrs[name] != getattr(self.instance, name)
            }
            if errors:
                raise serializers.ValidationError(errors)
        return attrs

    def _split_m2m(self, validated_data):
        m2m = {}
        for name, field in self.fields.items():
            if isinstance(field, serializers.ManyRelatedField) and name in validated_data:
                m2m[name] = validated_data.pop(name)
        return m2m

    def create(self, validated_data):
        m2m = self._split_m2m(validated_data)
        instance = self.Meta.model(**validated_data)
        with transaction.atomic():
            clinical_row_save(instance=instance)
            for name, rows in m2m.items():
                getattr(instance, name).set(rows)
        return instance

    def update(self, instance, validated_data):
        m2m = self._split_m2m(validated_data)
        for name, value in validated_data.items():
            setattr(instance, name, value)
        with transaction.atomic():
            clinical_row_save(instance=instance)
            for name, rows in m2m.items():
                getattr(instance, name).set(rows)
        return instance


def _patient_field():
    return ScopedPrimaryKeyRelatedField(model=Patient, scope=scoping.patients_for)


PATIENT_LIST_FIELDS = ("id", "board", "hospital_number", "given_name", "family_name",
                       "date_of_birth", "sex", "ecog", "suspected_cord_compression",
                       "updated_at")


def _patient_row(row: dict, zone) -> dict:
    """One `.values()` row as DRF's fields would write it (see PatientListSerializer)."""
    out = dict(row)
    if out["date_of_birth"] is not None:
        out["date_of_birth"] = out["date_of_birth"].isoformat()
    stamp = out["updated_at"].astimezone(zone).isoformat()
    out["updated_at"] = stamp[:-6] + "Z" if stamp.endswith("+00:00") else stamp
    return out


class _PatientRowsSerializer(serializers.ListSerializer):
    """The list of a page: the site's time zone is looked up once, not once per row
    (`timezone.localtime` per row was a fifth of the serializer's time)."""

    def to_representation(self, data):
        rows = data.all() if isinstance(data, models.manager.BaseManager) else data
        zone = timezone.get_current_timezone()
        child = self.child
        return [_patient_row(row, zone) if isinstance(row, dict)
                else child.to_representation(row) for row in rows]


class PatientListSerializer(serializers.ModelSerializer):
    """A patient in a list: who, on which board, and the headline status.

    The busiest endpoint of the API (every list page of every client): rows come from
    `.values(*PATIENT_LIST_FIELDS)` and are written out directly, in exactly the format
    DRF's fields would give (dates ISO 8601, times in the site's zone, "Z" for UTC);
    the declared fields still describe the schema. `test_api_behaviour` checks the two
    agree field by field.
    """

    class Meta:
        model = Patient
        fields = list(PATIENT_LIST_FIELDS)
        read_only_fields = fields
        list_serializer_class = _PatientRowsSerializer

    def to_representation(self, row):
        if not isinstance(row, dict):
            return super().to_representation(row)
        return _patient_row(row, timezone.get_current_timezone())


class PatientSerializer(ClinicalRowSerializer):
    fixed_on_update = ("board",)
    board = ScopedPrimaryKeyRelatedField(model=Board, scope=scoping.boards_for)

    class Meta:
        model = Patient
        fields = "__all__"
        read_only_fields = ["created_at", "updated_at"]


class PrimaryCancerSerializer(ClinicalRowSerializer):
    patient = _patient_field()

    class Meta:
        model = PrimaryCancer
        fields = "__all__"

    def to_internal_value(self, data):
        # The combined field was split (migration 0027). A client still sending it
        # would otherwise have it dropped without a word, unknown keys being ignored.
        if hasattr(data, "keys") and "receptor_status" in data:
            raise serializers.ValidationError({"receptor_status": [
                "Receptor status is now recorded as two fields: hormone_receptor_status "
                "(ER/PR) and her2_status, each positive, negative or unknown."]})
        return super().to_internal_value(data)


# The API serves lesions with the engine's scores added (a comment, not a docstring: the
# schema would show it): `front.api.serializers.LesionWithScoresSerializer`.
class LesionSerializer(ClinicalRowSerializer):
    patient = _patient_field()

    class Meta:
        model = Lesion
        fields = "__all__"
        read_only_fields = ["recorded_at", "updated_at"]


class ImagingStudySerializer(ClinicalRowSerializer):
    patient = _patient_field()
    lesions = ScopedPrimaryKeyRelatedField(
        model=Lesion, scope=_lesions_for, many=True, required=False
    )

    class Meta:
        model = ImagingStudy
        fields = "__all__"

    def validate(self, attrs):
        attrs = super().validate(attrs)
        patient = attrs.get("patient") or getattr(self.instance, "patient", None)
        if any(lesion.patient_id != patient.pk for lesion in attrs.get("lesions", [])):
            raise serializers.ValidationError(
                {"lesions": ["Only this patient's lesions can be linked to the study."]}
            )
        return attrs


class LabResultSerializer(ClinicalRowSerializer):
    patient = _patient_field()
    unit = serializers.ChoiceField(
        choices=LabResult._meta.get_field("unit").choices,
        help_text="Required. Allowed units per analyte: "
        + "; ".join(f"{a}: {', '.join(u)}" for a, u in ANALYTE_UNITS.items()) + ".",
    )

    class Meta:
        model = LabResult
        fields = "__all__"


class _LesionOfPatientMixin:
    def validate(self, attrs):
        attrs = super().validate(attrs)
        patient = attrs.get("patient") or getattr(self.instance, "patient", None)
        lesion = attrs.get("lesion")
        if lesion is not None and lesion.patient_id != patient.pk:
            raise serializers.ValidationError({"lesion": ["This lesion is another patient's."]})
        return attrs


class BoneTargetedAgentCourseSerializer(ClinicalRowSerializer):
    patient = _patient_field()

    class Meta:
        model = BoneTargetedAgentCourse
        fields = "__all__"


class SystemicTherapySerializer(ClinicalRowSerializer):
    patient = _patient_field()

    class Meta:
        model = SystemicTherapy
        fields = "__all__"


class RadiotherapyCourseSerializer(_LesionOfPatientMixin, ClinicalRowSerializer):
    patient = _patient_field()
    lesion = ScopedPrimaryKeyRelatedField(
        model=Lesion, scope=_lesions_for, required=False, allow_null=True
    )

    class Meta:
        model = RadiotherapyCourse
        fields = "__all__"


class SurgicalProcedureSerializer(_LesionOfPatientMixin, ClinicalRowSerializer):
    patient = _patient_field()
    lesion = ScopedPrimaryKeyRelatedField(
        model=Lesion, scope=_lesions_for, required=False, allow_null=True
    )

    class Meta:
        model = SurgicalProcedure
        fields = "__all__"


# --- Boards and people ----------------------------------------------------------------

class BoardSerializer(serializers.ModelSerializer):
    class Meta:
        model = Board
        fields = ["id", "name", "description", "default_location", "analgesia_review_nrs"]
        read_only_fields = fields


class UserSerializer(serializers.ModelSerializer):
    """An account as the API shows it: never its password hash."""

    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "email", "is_active"]
        read_only_fields = fields


class UserCreateSerializer(serializers.ModelSerializer):
    """Opening an account: the shape of the input. The username's format and uniqueness
    and the password's strength are checked by `cases.services.user_create`."""

    password = serializers.CharField(
        write_only=True, max_length=4096, trim_whitespace=False,
        style={"input_type": "password"},
        help_text="Checked against the site's password rules (at least 12 characters, "
        "not common, not all digits, not like the username, names or email); stored "
        "hashed, never returned.",
    )

    class Meta:
        model = User
        fields = ["username", "password", "first_name", "last_name", "email", "is_active"]
        # The service reports a taken or malformed username (the model's own checks).
        extra_kwargs = {"username": {"validators": []}, "is_active": {"default": True}}


class UserPasswordSerializer(serializers.Serializer):
    """A new password for an account (checked by `cases.services.user_set_password`)."""

    password = serializers.CharField(
        write_only=True, max_length=4096, trim_whitespace=False,
        style={"input_type": "password"},
        help_text="Checked against the site's password rules; stored hashed. The "
        "account's sessions end and its API token is revoked.",
    )


class UserUpdateSerializer(serializers.ModelSerializer):
    """Changing an account (PATCH): names, email, active flag. Setting `is_active` to
    false closes the account; accounts are never deleted."""

    class Meta:
        model = User
        fields = ["first_name", "last_name", "email", "is_active"]


class MembershipSerializer(serializers.ModelSerializer):
    board = serializers.PrimaryKeyRelatedField(queryset=Board.objects.all())
    user = serializers.PrimaryKeyRelatedField(queryset=User.objects.all())
    role = serializers.ChoiceField(choices=BoardRole.choices)
    specialty = serializers.ChoiceField(choices=Specialty.choices, required=False,
                                        allow_blank=True)

    class Meta:
        model = BoardMembership
        fields = ["id", "board", "user", "role", "specialty"]
        validators: list = []  # one seat per board: board_member_add updates the seat


# --- Meetings -------------------------------------------------------------------------

class MeetingSerializer(serializers.ModelSerializer):
    board = ScopedPrimaryKeyRelatedField(model=Board, scope=scoping.boards_for)

    class Meta:
        model = Meeting
        fields = ["id", "board", "starts_at", "duration_minutes", "location", "video_link",
                  "status", "agenda_locked_at", "agenda_circulated_at", "created_at"]
        read_only_fields = ["status", "agenda_locked_at", "agenda_circulated_at", "created_at"]

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is not None and "board" in attrs and attrs["board"] != self.instance.board:
            raise serializers.ValidationError({"board": ["A meeting stays with its board."]})
        return attrs


class AgendaReorderSerializer(serializers.Serializer):
    item_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), allow_empty=False,
        help_text="Every agenda item of the meeting exactly once, in the new order "
        "(urgent cases are kept first).",
    )


class AttendanceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Attendance
        fields = ["id", "meeting", "user", "specialty", "confirmed", "attended"]
        read_only_fields = ["id", "meeting", "user", "specialty"]


class AgendaItemSerializer(serializers.ModelSerializer):
    meeting = ScopedPrimaryKeyRelatedField(model=Meeting, scope=scoping.meetings_for)
    patient = _patient_field()
    presenting_clinician = ScopedPrimaryKeyRelatedField(
        model=User, scope=_members_for, required=False, allow_null=True
    )

    class Meta:
        model = AgendaItem
        fields = ["id", "meeting", "patient", "question", "presenting_clinician", "position",
                  "status", "urgent", "added_at"]
        read_only_fields = ["position", "status", "added_at"]


class AgendaItemStatusSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgendaItem
        fields = ["status"]
        extra_kwargs = {"status": {"required": True}}


# --- Decisions ------------------------------------------------------------------------

def _action_property(name: str) -> dict:
    label = action_vocab.FIELD_LABELS[name]
    if name in action_vocab.FIELD_CHOICES:
        return {"type": "string", "enum": list(action_vocab.FIELD_CHOICES[name]),
                "description": label}
    if name in action_vocab.DATE_FIELDS:
        return {"type": "string", "format": "date", "description": label}
    if name in action_vocab.INT_FIELDS:
        low, high = action_vocab.INT_FIELDS[name]
        return {"type": "integer", "minimum": low, "maximum": high, "description": label}
    if name in action_vocab.DECIMAL_FIELDS:
        return {"type": "string", "format": "decimal", "description": label}
    if name in action_vocab.BOOL_FIELDS:
        return {"type": "boolean", "description": label}
    return {"type": "string", "maxLength": action_vocab.TEXT_MAX, "description": label}


#: The schema of a typed action: every field of every kind (which ones apply depends on
#: `kind`, see cases/actions.py `FIELDS`; the server refuses the rest field by field).
ACTION_SCHEMA = {
    "type": "object",
    "properties": {
        name: _action_property(name)
        for name in ("kind", *dict.fromkeys(n for names in action_vocab.FIELDS.values()
                                            for n in names))
    },
    "required": ["kind"],
    "nullable": True,
    "description": "What the item asks to be done (typed; cases.actions). Leave it out "
    "for an item described only in words: it is recorded as 'other' and schedules no "
    "reminders. Bounds come from the drug labels; errors are keyed "
    "items.<n>.action_<field>. Empty for a rejected item.",
}


@extend_schema_field(ACTION_SCHEMA)
class ActionField(serializers.JSONField):
    """An action as submitted: an object, validated by `cases.actions.action_clean` in
    the service (one validator for the web form and the API; its errors come back as
    ``items.<n>.action_<field>``)."""

    default_error_messages = {"not_an_object": "Give the action as an object with a kind."}

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.fail("not_an_object")
        return validate_bounded_json(value)


class DecisionItemSerializer(serializers.ModelSerializer):
    verdict = serializers.ChoiceField(choices=DecisionItemVerdict.choices)
    action = ActionField(required=False, allow_null=True, default=None)
    action_text = serializers.CharField(read_only=True,
                                        help_text="What the action asks, in words.")

    class Meta:
        model = DecisionItem
        fields = ["position", "code", "rule_id", "title", "detail", "draft_detail", "verdict",
                  "reason", "action", "action_kind", "action_text"]
        read_only_fields = ["position", "action_kind"]

    def validate_draft_detail(self, value):
        # Its dates and counts schedule the reminders at signing (cases/api/bounded.py).
        return validate_bounded_json(value)


class DecisionSerializer(serializers.ModelSerializer):
    items = DecisionItemSerializer(many=True, read_only=True)
    patient = serializers.IntegerField(source="agenda_item.patient_id", read_only=True)

    class Meta:
        model = Decision
        fields = ["id", "agenda_item", "patient", "version", "amends", "amendment_reason",
                  "outcome_summary", "engine_version", "draft_plan_ref", "recorded_by",
                  "recorded_at", "signed_by", "signed_at", "content_sha256", "items"]
        read_only_fields = fields


class DecisionRecordSerializer(serializers.Serializer):
    """Record (or replace) the unsigned decision on an agenda item."""

    agenda_item = ScopedPrimaryKeyRelatedField(model=AgendaItem, scope=scoping.agenda_items_for)
    outcome_summary = serializers.CharField(required=False, allow_blank=True, default="")
    engine_version = serializers.CharField(required=False, allow_blank=True, default="",
                                           max_length=40)
    draft_plan_ref = serializers.IntegerField(required=False, allow_null=True, default=None,
                                              min_value=1, max_value=2**63 - 1)
    items = DecisionItemSerializer(many=True, required=False, default=list)


class DecisionAmendSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="Why the signed decision is being amended.")


#: The API's counterpart of the screens' "Sign …?" confirmation (issue 15).
SIGN_CONFIRM_MESSAGE = ('Confirm the signature: send "confirm": true. Once signed the '
                        "decision is read-only and its follow-up is scheduled.")


class DecisionSignSerializer(serializers.Serializer):
    """The body of `POST decisions/{id}/sign/`: the chair confirms, as the pages ask."""

    confirm = serializers.BooleanField(
        help_text="Must be true: the chair confirms the signature (the pages ask the same). "
                  "Signing is possible from the meeting's day on.",
        error_messages={"required": SIGN_CONFIRM_MESSAGE, "invalid": SIGN_CONFIRM_MESSAGE,
                        "null": SIGN_CONFIRM_MESSAGE},
    )

    def validate_confirm(self, value: bool) -> bool:
        if value is not True:
            raise serializers.ValidationError(SIGN_CONFIRM_MESSAGE)
        return value


class DecisionVerifySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    content_sha256 = serializers.CharField(allow_blank=True)
    verified = serializers.BooleanField(
        help_text="True if the SHA-256 of the canonical content matches the stored hash."
    )
