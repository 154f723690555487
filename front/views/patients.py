"""Patients: search by name or hospital number within the user's boards, and the patient
page with the history across meetings."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases import selectors, services
from cases.models import PatientAccess
from front.forms import AddToMeetingForm
from front.views.common import audit, require_perm
from reminders.selectors import follow_ups_for_patient, reminder_history_for_patient


@login_required
def patient_search(request):
    query = request.GET.get("q", "").strip()
    results = selectors.patient_search(user=request.user, query=query) if query else []
    audit(request, [p.pk for p in results], action=PatientAccess.Action.LIST)
    today = timezone.localdate()
    rows = [{"patient": p, "age": p.age_on(today)} for p in results]
    template = "cases/patient_search.html"
    if request.htmx and request.htmx.target == "results":
        template = "cases/_patient_results.html"
    return render(request, template, {
        "query": query, "rows": rows, "limit": selectors.SEARCH_LIMIT,
        "truncated": len(results) >= selectors.SEARCH_LIMIT,
    })


def _patient_context(request, patient, *, add_form=None) -> dict:
    history = selectors.patient_history(patient=patient)
    can_refer = request.user.has_perm("cases.register_patient", patient)
    meetings = selectors.upcoming_meetings_for_patient(user=request.user, patient=patient) \
        if can_refer else []
    if add_form is None and meetings:
        add_form = AddToMeetingForm(meetings=meetings)
    audit(request, [patient.pk])
    return {
        "patient": patient, "primary": getattr(patient, "primary", None),
        "age": patient.age_on(timezone.localdate()), "history": history,
        "add_form": add_form if meetings else None,
        "patient_reminders": reminder_history_for_patient(user=request.user, patient=patient),
        "patient_actions": follow_ups_for_patient(user=request.user, patient=patient),
        "can_edit_status": request.user.has_perm("cases.change_clinical_data", patient),
    }


@login_required
def patient_detail(request, pk):
    patient = selectors.patient_for(user=request.user, pk=pk)
    return render(request, "cases/patient_detail.html", _patient_context(request, patient))


@login_required
@require_POST
def patient_refer(request, pk):
    """Put the patient on one of the board's open meetings with a question."""
    patient = selectors.patient_for(user=request.user, pk=pk)
    require_perm(request, "cases.register_patient", patient)
    meetings = selectors.upcoming_meetings_for_patient(user=request.user, patient=patient)
    form = AddToMeetingForm(request.POST, meetings=meetings)
    if form.is_valid():
        meeting = form.cleaned_data["meeting"]
        try:
            item = services.agenda_item_add(meeting=meeting, patient=patient,
                                            question=form.cleaned_data["question"])
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, "Patient added to the agenda.")
            return redirect(reverse("cases:agenda", args=[meeting.pk]) + f"#item-{item.pk}")
    context = _patient_context(request, patient, add_form=form)
    return render(request, "cases/patient_detail.html", context)
