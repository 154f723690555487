"""The recommendations API: the rules catalogue, the stateless evaluator, and the
stored draft plans of the user's boards (read, refresh)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from cases import scoping
from cases.api.mixins import AuditedReadMixin, BoardsiteViewSet
from cases.models import PatientAccess
from cases.services import record_patient_access
from recommendations.api.serializers import DraftPlanSerializer, RefreshSerializer
from recommendations.engine import evaluate
from recommendations.engine.io import (
    FactsValidationError,
    catalogue_to_json,
    facts_from_json,
    plan_to_json,
)
from recommendations.models import DraftPlan
from recommendations.services import draft_refresh, drafts_refresh_for_meeting

#: Components registered in the OpenAPI document by `recommendations.api.schema`.
CASE_FACTS_REF = {"$ref": "#/components/schemas/CaseFacts"}
DRAFT_PLAN_OUTPUT = {"type": "object", "description": "The engine's draft plan (plan_to_json)."}


class RulesCatalogueView(APIView):
    """Every rule of the recommendation engine: ID, section, what it checks, its sources
    (secondary ones marked), and the plan-item / flag / note codes it can emit."""

    @extend_schema(responses={200: {"type": "array", "items": {"type": "object"}}})
    def get(self, request):
        return Response(catalogue_to_json())


class EvaluateView(APIView):
    """Evaluate self-contained case facts and return the draft plan. Stateless: nothing
    is read from or written to the database, so no patient data is touched."""

    @extend_schema(
        request={"application/json": {
            "type": "object",
            "required": ["facts"],
            "properties": {
                "as_of": {"type": "string", "format": "date",
                          "description": "Evaluation date; default today (clinic time)."},
                "facts": CASE_FACTS_REF,
            },
        }},
        responses={200: DRAFT_PLAN_OUTPUT},
    )
    def post(self, request):
        body = request.data
        if not isinstance(body, dict):
            raise serializers.ValidationError({"non_field_errors": ["Send a JSON object."]})
        as_of = timezone.localdate()
        if body.get("as_of") is not None:
            try:
                as_of = date.fromisoformat(str(body["as_of"]))
            except ValueError:
                raise serializers.ValidationError(
                    {"as_of": ["Give the date as YYYY-MM-DD."]}
                ) from None
        facts_json = body.get("facts")
        if not isinstance(facts_json, dict):
            raise serializers.ValidationError({"facts": ["Send the case facts as an object."]})
        try:
            facts = facts_from_json(facts_json, as_of=as_of)
        except FactsValidationError as exc:
            raise serializers.ValidationError(
                {f"facts.{path}": messages for path, messages in exc.errors.items()}
            ) from None
        return Response(plan_to_json(evaluate(facts, as_of=as_of)))


class DraftPlanViewSet(AuditedReadMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                       BoardsiteViewSet):
    """Stored draft plans of the agenda items of the user's boards, newest first."""

    serializer_class = DraftPlanSerializer
    filterset_fields = ["agenda_item", "patient", "engine_version"]
    ordering = ("-created_at", "-id")
    ordering_fields = ("created_at", "id")

    def get_queryset(self):
        return DraftPlan.objects.filter(
            agenda_item__in=scoping.agenda_items_for(self.request.user).values("pk")
        )


class DraftRefreshView(APIView):
    """Re-read the case facts and store a new draft where they changed: for one agenda
    item or a whole meeting. A case with a signed decision keeps its draft."""

    @extend_schema(
        request=RefreshSerializer,
        responses={
            200: DraftPlanSerializer(many=True),
            404: OpenApiResponse(OpenApiTypes.OBJECT, description="Not on your boards."),
        },
    )
    def post(self, request):
        params = RefreshSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        user = request.user
        if params.validated_data.get("meeting"):
            meeting = get_object_or_404(
                scoping.meetings_for(user), pk=params.validated_data["meeting"]
            )
            if not user.has_perm("cases.manage_meeting", meeting):
                raise PermissionDenied("Only the board's coordinators and chair refresh a meeting.")
            drafts = list(drafts_refresh_for_meeting(meeting=meeting).values())
        else:
            # Any member of the board may refresh one case's draft: the scoped
            # queryset is the permission (another board's item is a 404).
            item = get_object_or_404(
                scoping.agenda_items_for(user).select_related("meeting"),
                pk=params.validated_data["agenda_item"],
            )
            draft = draft_refresh(agenda_item=item)
            drafts = [draft] if draft else []
        record_patient_access(user=user, patient_ids=[d.patient_id for d in drafts],
                              action=PatientAccess.Action.VIEW, path=request.path)
        return Response(DraftPlanSerializer(drafts, many=True).data, status=status.HTTP_200_OK)
