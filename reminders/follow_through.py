"""Pages of the closed loop: a board's follow-through (signed actions by due date,
overdue, done, not done with reasons, implementation rate per month), recording what
happened to an action, and putting a case back on the agenda in one step."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases.choices import MeetingStatus
from cases.models import Meeting, PatientAccess
from cases.services import record_patient_access
from reminders import selectors, services
from reminders.forms import ActionDoneForm, ActionNotDoneForm


def _next_meeting(board_id: int, *, without_patient_id: int | None = None
                  ) -> Meeting | None:
    """The board's next meeting whose agenda is still open (and, for one case, that does
    not have the patient on it already)."""
    meetings = Meeting.objects.filter(board_id=board_id, status=MeetingStatus.PLANNED,
                                      agenda_locked_at__isnull=True,
                                      starts_at__gte=timezone.now())
    if without_patient_id is not None:
        meetings = meetings.exclude(agenda_items__patient_id=without_patient_id)
    return meetings.order_by("starts_at").first()


@login_required
def follow_through(request, board_id: int):
    view = selectors.follow_through_for_board(user=request.user, board_id=board_id)
    shown = view.overdue + view.open + view.done + view.not_done
    record_patient_access(user=request.user, patient_ids={r.patient_id for r in shown},
                          action=PatientAccess.Action.LIST, path=request.path)
    return render(request, "reminders/follow_through.html", {
        "view": view, "next_meeting": _next_meeting(view.board.pk),
        "rows_cap": selectors.FOLLOW_THROUGH_ROWS,
        # One reverse for all rows: ".../actions/<pk>/record/" is this prefix + pk.
        "record_base": reverse("reminders:action_record", args=[0]).removesuffix("0/record/"),
    })


@login_required
def action_record(request, pk: int):
    """The controls of one action (done / not done / back on the agenda): the fragment
    for htmx, a small page without JavaScript."""
    follow_up = selectors.follow_up_for(request.user, pk)
    back = request.GET.get("next", "")
    if not (back.startswith("/") and not back.startswith("//")):
        back = reverse("reminders:follow_through", args=[follow_up.board_id])
    context = {
        "r": follow_up, "today": timezone.localdate(), "next": back,
        "not_done_form": ActionNotDoneForm(),
        "next_meeting": _next_meeting(follow_up.board_id,
                                      without_patient_id=follow_up.patient_id),
    }
    template = ("reminders/_action_record.html" if request.htmx
                else "reminders/action_record.html")
    return render(request, template, context)


def _back(request, follow_up):
    next_url = request.POST.get("next", "")
    if next_url.startswith("/") and not next_url.startswith("//"):
        return redirect(next_url)
    return redirect("reminders:follow_through", board_id=follow_up.board_id)


@login_required
@require_POST
def action_done(request, pk: int):
    follow_up = selectors.follow_up_for(request.user, pk)
    form = ActionDoneForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("Give the date it was done.")
        services.action_mark_done(follow_up=follow_up, user=request.user,
                                  done_on=form.cleaned_data["done_on"])
        messages.success(request, f"Recorded as done: {follow_up.summary}")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(request, follow_up)


@login_required
@require_POST
def action_not_done(request, pk: int):
    follow_up = selectors.follow_up_for(request.user, pk)
    form = ActionNotDoneForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("Choose why it was not done.")
        services.action_mark_not_done(follow_up=follow_up, user=request.user,
                                      reason=form.cleaned_data["reason"],
                                      text=form.cleaned_data["text"])
        messages.success(request, f"Recorded as not done: {follow_up.summary}")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(request, follow_up)


@login_required
@require_POST
def back_on_agenda(request, pk: int):
    """One step: the case of this action goes on the board's next open meeting."""
    follow_up = selectors.follow_up_for(request.user, pk)
    meeting = _next_meeting(follow_up.board_id, without_patient_id=follow_up.patient_id)
    try:
        if meeting is None:
            raise ValidationError("No upcoming meeting with an open agenda: create one first.")
        services.case_back_on_agenda(agenda_item=follow_up.agenda_item, meeting=meeting,
                                     user=request.user)
        messages.success(request, "The case is on the agenda of the meeting of "
                                  f"{timezone.localtime(meeting.starts_at):%d %B %Y}.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return _back(request, follow_up)
