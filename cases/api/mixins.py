"""Behaviour shared by every viewset: scoping, permissions, read audit, stable ordering."""

from __future__ import annotations

from operator import attrgetter

from django.core.exceptions import PermissionDenied
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework import mixins, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from cases import scoping
from cases.api.ordering import StableOrderingFilter
from cases.api.permissions import RulesObjectPermission, required_perm
from cases.models import PatientAccess
from cases.services import clinical_row_delete, record_patient_access


class BoardsiteViewSet(viewsets.GenericViewSet):
    """Scoped queryset (`cases.scoping`) + a `cases.rules` permission per action.

    `perms_by_action` names the permission of each write action; reads are allowed on
    whatever the scoped queryset contains (another board's row is a 404).
    """

    permission_classes = [IsAuthenticated, RulesObjectPermission]
    perms_by_action: dict[str, str] = {}
    ordering = ("id",)
    ordering_fields = ("id",)
    # Any path segment reaches the view, so a malformed ID is a 404 in the API's format.
    lookup_value_regex = "[^/]+"

    filter_backends = [DjangoFilterBackend, StableOrderingFilter]

    def filter_queryset(self, queryset):
        # Without filter parameters django-filter would still build and validate a form
        # on every page (≈ 1 ms of CPU on the busiest list); ordering still applies.
        params = set(self.request.query_params) - {"cursor", "ordering"}
        for backend in list(self.filter_backends):
            if backend is DjangoFilterBackend and not params:
                continue
            queryset = backend().filter_queryset(self.request, queryset, self)
        return queryset

    def check_create_permission(self, target) -> None:
        """Creating: the permission is checked against the row about to be created
        (its board is known from the validated input)."""
        perm = required_perm(self)
        if perm is None or not self.request.user.has_perm(perm, target):
            raise PermissionDenied(RulesObjectPermission.message)


class AuditedReadMixin:
    """Records every read of patient data (list and detail): one `PatientAccess` row
    per request with the IDs of the patients shown, written after the response data is
    built."""

    #: Where the patient ID is on a row of this viewset.
    audit_patient_attr = "patient_id"

    def _record(self, rows, action: str) -> None:
        get = attrgetter(self.audit_patient_attr)
        key = self.audit_patient_attr
        record_patient_access(
            user=self.request.user,
            patient_ids=[r[key] if isinstance(r, dict) else get(r) for r in rows],
            action=action,
            path=self.request.path,
        )

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        rows = list(page) if page is not None else list(queryset)
        data = self.get_serializer(rows, many=True).data
        self._record(rows, PatientAccess.Action.LIST)
        if page is not None:
            return self.get_paginated_response(data)
        return Response(data)

    def retrieve(self, request, *args, **kwargs):
        instance = self.get_object()
        data = self.get_serializer(instance).data
        self._record([instance], PatientAccess.Action.VIEW)
        return Response(data)


class ClinicalRowViewSet(AuditedReadMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin,
                         mixins.CreateModelMixin, mixins.UpdateModelMixin,
                         mixins.DestroyModelMixin, BoardsiteViewSet):
    """A table of the clinical record: rows of the patients on the user's boards;
    coordinators, specialists and chairs record and correct them
    (`cases.change_clinical_data`); specialists and chairs delete
    (`cases.delete_clinical_data`, `cases/rules.py` says why)."""

    perms_by_action = {
        "create": "cases.change_clinical_data",
        "update": "cases.change_clinical_data",
        "partial_update": "cases.change_clinical_data",
        "destroy": "cases.delete_clinical_data",
    }
    model = None

    def get_queryset(self):
        return self.model.objects.filter(
            patient__in=scoping.patients_for(self.request.user).values("pk")
        ).select_related("patient")

    def perform_create(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items()
                if not isinstance(v, list)}
        self.check_create_permission(self.model(**data))
        serializer.save()

    def perform_destroy(self, instance):
        # The delete itself is captured by the pghistory trigger (who, when, the row).
        clinical_row_delete(instance=instance)
