"""The reminders API (/api/v1/reminders/): list one's own or one's boards' reminders,
read one, and mark it done, snooze it or cancel it with a reason.

Scoped through `cases.scoping` (another board's reminder is a 404, never a 403);
acting needs `cases.act_on_reminder` on the reminder's board."""

from __future__ import annotations

import django_filters
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response

from cases.models import PatientAccess
from cases.services import record_patient_access
from reminders import selectors, services
from reminders.api.serializers import CancelSerializer, ReminderSerializer, SnoozeSerializer
from reminders.choices import ReminderKind, ReminderStatus
from reminders.models import Reminder


class CanActOnReminder(BasePermission):
    message = "Only members of this board act on its reminders."

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return request.user.has_perm("cases.act_on_reminder", obj)


class ReminderFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=ReminderStatus.choices)
    kind = django_filters.MultipleChoiceFilter(choices=ReminderKind.choices)
    due_before = django_filters.DateFilter(field_name="due_on", lookup_expr="lte")
    due_after = django_filters.DateFilter(field_name="due_on", lookup_expr="gte")
    patient = django_filters.NumberFilter(field_name="patient_id")

    class Meta:
        model = Reminder
        fields = ["status", "kind", "patient"]


class DueOrder(CursorPagination):
    ordering = ("due_at", "id")
    page_size = 50


@extend_schema(parameters=[OpenApiParameter(
    "scope", str, enum=["mine", "board"],
    description="`mine` (default): reminders you are responsible for; `board`: every "
    "reminder of your boards.",
)])
class ReminderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin,
                      viewsets.GenericViewSet):
    serializer_class = ReminderSerializer
    permission_classes = [IsAuthenticated, CanActOnReminder]
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    filter_backends = [DjangoFilterBackend]
    filterset_class = ReminderFilter
    pagination_class = DueOrder

    def get_queryset(self):
        user = self.request.user
        if self.action == "list" and self.request.query_params.get("scope") != "board":
            return selectors.reminders_for_user(user, open_only=False)
        return selectors.reminders_visible_to(user)

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(page)
        record_patient_access(user=request.user,
                              patient_ids=[r.patient_id for r in rows if r.patient_id],
                              action=PatientAccess.Action.LIST, path=request.path)
        return self.get_paginated_response(self.get_serializer(rows, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        reminder = self.get_object()
        if reminder.patient_id:
            record_patient_access(user=request.user, patient_ids=[reminder.patient_id],
                                  action=PatientAccess.Action.VIEW, path=request.path)
        return Response(self.get_serializer(reminder).data)

    def _run(self, service, **kwargs):
        reminder = self.get_object()
        try:
            reminder = service(reminder=reminder, user=self.request.user, **kwargs)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from None
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict if hasattr(exc, "error_dict")
                                  else exc.messages) from None
        return Response(self.get_serializer(reminder).data)

    @extend_schema(request=None, responses=ReminderSerializer)
    @action(detail=True, methods=["post"])
    def done(self, request, id=None):  # noqa: A002 — the URL's name for the public ID
        return self._run(services.reminder_mark_done)

    @extend_schema(request=SnoozeSerializer, responses=ReminderSerializer)
    @action(detail=True, methods=["post"])
    def snooze(self, request, id=None):  # noqa: A002
        data = SnoozeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._run(services.reminder_snooze, until=data.validated_data["until"])

    @extend_schema(request=None, responses=ReminderSerializer,
                   summary="Send a failed reminder again",
                   description="Only a reminder whose delivery failed permanently (after "
                               "its cause was fixed); anything else is a 400.")
    @action(detail=True, methods=["post"])
    def retry(self, request, id=None):  # noqa: A002
        return self._run(services.reminder_retry)

    @extend_schema(request=CancelSerializer, responses=ReminderSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, id=None):  # noqa: A002
        data = CancelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return self._run(services.reminder_cancel, reason=data.validated_data["reason"])
