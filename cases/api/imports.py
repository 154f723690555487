"""POST /api/v1/imports/: a FHIR bundle or an HL7 v2 message from the hospital's systems,
previewed (the default) or imported, all or nothing (docs/import.md, docs/api.md)."""

from __future__ import annotations

import json

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import scoping, services
from cases.api.errors import ErrorResponseSerializer
from cases.interop.plan import Plan
from cases.models import ImportSource, PatientAccess


@extend_schema_field(OpenApiTypes.INT)
class _BoardField(serializers.PrimaryKeyRelatedField):
    def get_queryset(self):
        return scoping.boards_for(self.context["request"].user)


class ImportRequestSerializer(serializers.Serializer):
    board = _BoardField(help_text="The board to import into (one of yours).")
    source = serializers.ChoiceField(choices=ImportSource.choices,
                                     help_text="`fhir` (an R4 Bundle) or `hl7v2` (ORU^R01).")
    content = serializers.JSONField(
        help_text="The Bundle as a JSON object (or as text), or the HL7 v2 message as text "
        "(segments separated by \\r or new lines).")
    commit = serializers.BooleanField(
        default=False, help_text="false (the default): only preview. true: import, all or "
        "nothing.")

    def validate_content(self, value):
        if isinstance(value, dict):
            return json.dumps(value)
        if isinstance(value, str) and value.strip():
            return value
        raise serializers.ValidationError("Send the bundle as an object or the file as text.")


class ChangeSerializer(serializers.Serializer):
    field = serializers.CharField()
    before = serializers.CharField()
    after = serializers.CharField()


class ImportLineSerializer(serializers.Serializer):
    entry = serializers.CharField(help_text="Where in the file: \"entry 3\", \"segment 5\".")
    label = serializers.CharField(help_text="The resource: \"Observation creat-1\", \"OBX 2\".")
    summary = serializers.CharField()
    status = serializers.ChoiceField(choices=["new", "updated", "unchanged", "noted"])
    status_label = serializers.CharField()
    changes = ChangeSerializer(many=True)


class UnknownCodeSerializer(serializers.Serializer):
    entry = serializers.CharField()
    label = serializers.CharField()
    system = serializers.CharField()
    system_name = serializers.CharField()
    code = serializers.CharField()
    display = serializers.CharField()
    reason = serializers.CharField()


class ImportCountsSerializer(serializers.Serializer):
    new = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    noted = serializers.IntegerField()
    errors = serializers.IntegerField()
    unknown_codes = serializers.IntegerField()


class ImportResultSerializer(serializers.Serializer):
    committed = serializers.BooleanField(help_text="true when the file was imported.")
    counts = ImportCountsSerializer()
    resources = ImportLineSerializer(many=True, source="lines")
    unknown_codes = UnknownCodeSerializer(many=True, source="unknown")


class ImportView(APIView):
    """Preview or import a file from the hospital's systems into one board.

    Each resource is new, updated or unchanged (the same file twice creates nothing
    new); codes Boardsite does not import are listed. Any error (a unit a test is not
    reported in, a missing date, an unknown patient…) refuses the whole file: 400 with
    one message per resource and element, and nothing is stored."""

    @extend_schema(
        tags=["clinical record"], request=ImportRequestSerializer,
        responses={
            200: ImportResultSerializer,
            400: OpenApiResponse(ErrorResponseSerializer, description="The file has errors "
                                 "(keyed by entry, resource and element); nothing stored."),
            403: OpenApiResponse(ErrorResponseSerializer,
                                 description="Your role on this board does not import."),
        },
    )
    def post(self, request):
        form = ImportRequestSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        board = form.validated_data["board"]
        if not request.user.has_perm("cases.import_records", board):
            raise PermissionDenied("Only the board's coordinators and clinicians import records.")
        commit = form.validated_data["commit"]
        plan: Plan = services.records_import(
            board=board, user=request.user, source=form.validated_data["source"],
            content=form.validated_data["content"], commit=commit)
        services.record_patient_access(user=request.user, patient_ids=plan.patient_ids,
                                       action=PatientAccess.Action.VIEW, path=request.path)
        if not plan.ok:
            errors: dict[str, list[str]] = {}
            for error in plan.errors:
                key = f"{error.entry} ({error.label})" + (f" {error.field}" if error.field else "")
                errors.setdefault(key, []).append(error.message)
            return Response({"errors": errors}, status=status.HTTP_400_BAD_REQUEST)
        return Response(ImportResultSerializer({
            "committed": commit, "counts": plan.counts(), "lines": plan.lines,
            "unknown": plan.unknown,
        }).data)
