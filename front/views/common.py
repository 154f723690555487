"""Small helpers shared by the pages."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest

from cases.models import PatientAccess
from cases.services import record_patient_access


def audit(request: HttpRequest, patient_ids: Iterable[int], *,
          action: str = PatientAccess.Action.VIEW) -> None:
    """Record that the signed-in user read these patients' data on this page."""
    record_patient_access(user=request.user, patient_ids=list(patient_ids), action=action,
                          path=request.path)


def require_perm(request: HttpRequest, perm: str, obj) -> None:
    """Board members without the right role get 403 (they may see the case, so a 403
    reveals nothing); outsiders never get this far — scoping gives them a 404."""
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied


def error_text(error: ValidationError) -> str:
    """One line from a service's ValidationError, for a flash message."""
    if hasattr(error, "message_dict"):
        return " ".join(m for messages in error.message_dict.values() for m in messages)
    return " ".join(error.messages)
