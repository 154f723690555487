"""The follow-through API: a board's signed actions by state and its implementation
rate (GET /api/v1/reminders/follow-through/<board_id>/), and recording what happened to
one action (POST …/actions/<id>/done/ and …/not-done/). Scoped like the page: another
board's is a 404."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from cases.models import PatientAccess
from cases.services import record_patient_access
from reminders import selectors, services
from reminders.choices import NotDoneReason
from reminders.models import ActionFollowUp


class FollowUpSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display")
    not_done_reason_label = serializers.CharField(source="get_not_done_reason_display")

    class Meta:
        model = ActionFollowUp
        fields = ["id", "decision", "agenda_item", "patient", "kind", "summary", "due_on",
                  "signed_on", "status", "status_label", "done_on", "done_by",
                  "not_done_reason", "not_done_reason_label", "not_done_text"]


class DoneSerializer(serializers.Serializer):
    done_on = serializers.DateField()


class NotDoneSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=NotDoneReason.choices)
    text = serializers.CharField(required=False, allow_blank=True, max_length=2000)


def _month(m: dict) -> dict:
    return {"month": m["month"].strftime("%Y-%m"), "total": m["total"], "done": m["done"],
            "not_done": m["not_done"], "overdue": m["overdue"], "rate": m["rate"]}


class FollowThroughView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: dict}, summary="A board's follow-through")
    def get(self, request, board_id: int):
        view = selectors.follow_through_for_board(user=request.user, board_id=board_id)
        shown = view.overdue + view.open + view.done + view.not_done
        record_patient_access(user=request.user, patient_ids={r.patient_id for r in shown},
                              action=PatientAccess.Action.LIST, path=request.path)
        return Response({
            "board": view.board.pk, "today": view.today.isoformat(), "counts": view.counts,
            "rate": view.rate, "months": [_month(m) for m in view.months],
            "rows_per_section": selectors.FOLLOW_THROUGH_ROWS,
            **{name: FollowUpSerializer(getattr(view, name), many=True).data
               for name in ("overdue", "open", "done", "not_done")},
        })


def _act(request, pk, serializer_class, call):
    follow_up = selectors.follow_up_for(request.user, pk)
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    try:
        row = call(follow_up, serializer.validated_data)
    except DjangoPermissionDenied as error:
        raise PermissionDenied(str(error)) from error
    except DjangoValidationError as error:
        raise ValidationError(error.message_dict if hasattr(error, "error_dict")
                              else error.messages) from error
    return Response(FollowUpSerializer(row).data)


class ActionDoneView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=DoneSerializer, responses={200: FollowUpSerializer})
    def post(self, request, pk: int):
        return _act(request, pk, DoneSerializer, lambda f, data: services.action_mark_done(
            follow_up=f, user=request.user, done_on=data["done_on"]))


class ActionNotDoneView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=NotDoneSerializer, responses={200: FollowUpSerializer})
    def post(self, request, pk: int):
        return _act(request, pk, NotDoneSerializer, lambda f, data: services.action_mark_not_done(
            follow_up=f, user=request.user, reason=data["reason"], text=data.get("text", "")))
