"""Recording the case in the browser: each form validates, then calls a cases service
(which writes through the audit triggers); who may edit follows cases/rules.py."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from cases import selectors, services
from front.record_forms import PatientStatusForm
from front.views.common import audit, require_perm


def _return_url(request, patient) -> str:
    """Back to the agenda row the chase link came from, else to the patient."""
    item_pk = request.GET.get("item", "")
    if item_pk.isdigit():
        item = selectors.agenda_item_for(user=request.user, pk=int(item_pk))
        if item.patient_id == patient.pk:
            return reverse("cases:agenda", args=[item.meeting_id]) + f"#item-{item.pk}"
    return reverse("cases:patient_detail", args=[patient.pk])


@login_required
def patient_status_edit(request, pk):
    patient = selectors.patient_for(user=request.user, pk=pk)
    require_perm(request, "cases.change_clinical_data", patient)
    back = _return_url(request, patient)
    form = PatientStatusForm(request.POST or None, instance=patient)
    if request.method == "POST" and form.is_valid():
        try:
            services.clinical_row_save(instance=form.instance)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Status saved.")
            return redirect(back)
    audit(request, [patient.pk])
    return render(request, "cases/patient_status_form.html",
                  {"patient": patient, "form": form, "back": back})
