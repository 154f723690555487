"""Pages: my reminders, the coordinators' overdue / failed list, one reminder with its
actions, and the reminder-history partial of a patient's page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_POST

from cases import scoping
from cases.models import PatientAccess
from cases.services import record_patient_access
from reminders import selectors, services
from reminders.forms import CancelForm, SnoozeForm


def patient_url(patient_id) -> str | None:
    """The case page, when the cases app provides one."""
    if patient_id is None:
        return None
    try:
        return reverse("cases:patient_detail", args=[patient_id])
    except NoReverseMatch:
        return None


def _record(request, reminders) -> None:
    record_patient_access(
        user=request.user, patient_ids=[r.patient_id for r in reminders if r.patient_id],
        action=PatientAccess.Action.LIST, path=request.path,
    )


@login_required
def mine(request):
    reminders = list(selectors.reminders_for_user(request.user))
    _record(request, reminders)
    return render(request, "reminders/mine.html", {
        "reminders": reminders,
        "is_coordinator": any(
            seat.role in ("coordinator", "chair")
            for seat in request.user.board_memberships.all()
        ),
        "snooze_form": SnoozeForm(), "cancel_form": CancelForm(),
    })


@login_required
def board_overview(request):
    reminders = list(selectors.overdue_and_failed_for_coordinator(request.user))
    _record(request, reminders)
    return render(request, "reminders/board.html", {"reminders": reminders})


@login_required
def detail(request, public_id):
    reminder = selectors.reminder_for(request.user, public_id)
    if reminder.patient_id:
        record_patient_access(user=request.user, patient_ids=[reminder.patient_id],
                              action=PatientAccess.Action.VIEW, path=request.path)
    return render(request, "reminders/detail.html", {
        "reminder": reminder, "patient_url": patient_url(reminder.patient_id),
        "deliveries": selectors.deliveries_of(reminder),
        "snooze_form": SnoozeForm(), "cancel_form": CancelForm(),
        "can_act": request.user.has_perm("cases.act_on_reminder", reminder),
    })


@login_required
@require_POST
def act(request, public_id, action):
    reminder = selectors.reminder_for(request.user, public_id)
    try:
        if action == "done":
            services.reminder_mark_done(reminder=reminder, user=request.user)
            messages.success(request, "Marked done.")
        elif action == "snooze":
            form = SnoozeForm(request.POST)
            if not form.is_valid():
                raise ValidationError(form.errors.as_text())
            services.reminder_snooze(reminder=reminder, user=request.user, until=form.until())
            messages.success(request, "Snoozed.")
        elif action == "retry":
            services.reminder_retry(reminder=reminder, user=request.user)
            messages.success(request, "It will be sent again within a minute.")
        elif action == "cancel":
            form = CancelForm(request.POST)
            if not form.is_valid():
                raise ValidationError("Say why the reminder is cancelled.")
            services.reminder_cancel(reminder=reminder, user=request.user,
                                     reason=form.cleaned_data["reason"])
            messages.success(request, "Cancelled.")
        else:
            return HttpResponseNotAllowed(["POST"])
    except PermissionDenied:
        raise
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    next_url = request.POST.get("next", "")
    if next_url.startswith("/") and not next_url.startswith("//"):
        return redirect(next_url)
    return redirect("reminders:detail", public_id=reminder.public_id)


@login_required
def patient_history(request, patient_id):
    """The partial alone (for `hx-get`); the patient page may also `{% include %}` it."""
    patient = scoping.get_patient_for(request.user, patient_id)
    record_patient_access(user=request.user, patient_ids=[patient.pk],
                          action=PatientAccess.Action.VIEW, path=request.path)
    return render(request, "reminders/_patient_history.html", {
        "patient_reminders": selectors.reminder_history_for_patient(
            user=request.user, patient=patient
        ),
    })
