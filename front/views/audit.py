"""The administrators' audit page: per patient, who viewed the record and who changed
what. Looking at the audit of a patient is itself recorded as a read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render

from cases.audit import AUDIT_PAGE_ROWS, audit_patient_find, audit_patient_get, patient_audit
from cases.models import PatientAccess
from cases.services import record_patient_access


def _require_auditor(request) -> None:
    if not request.user.has_perm("cases.view_audit"):
        raise PermissionDenied("Only administrators see the audit trail.")


@login_required
def audit_index(request):
    """Find a patient's audit trail by Boardsite ID or hospital number."""
    _require_auditor(request)
    query = request.GET.get("q", "").strip()
    not_found = False
    if query:
        patient = audit_patient_find(query=query)
        if patient is not None:
            return redirect("cases:audit_patient", pk=patient.pk)
        not_found = True
    return render(request, "cases/audit/index.html", {"not_found": not_found})


@login_required
def audit_patient(request, pk: int):
    _require_auditor(request)
    patient = audit_patient_get(pk=pk)
    if patient is None:
        raise Http404("No such patient.")
    audit = patient_audit(patient=patient)
    record_patient_access(user=request.user, patient_ids=[patient.pk],
                          action=PatientAccess.Action.VIEW, path=request.path)
    return render(request, "cases/audit/patient.html",
                  {"audit": audit, "limit": AUDIT_PAGE_ROWS})
