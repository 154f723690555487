"""Meetings: the list per board (upcoming and past) and creating a meeting."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from cases import selectors, services
from front.forms import MeetingForm
from front.views.common import error_text


@login_required
def meeting_list(request):
    groups = selectors.meetings_by_board(user=request.user)
    can_create = selectors.boards_managed_by(user=request.user).exists()
    return render(request, "cases/meeting_list.html",
                  {"groups": groups, "can_create": can_create})


@login_required
def meeting_create(request):
    boards = selectors.boards_managed_by(user=request.user)
    if not boards.exists():
        messages.error(request, "Only a board's coordinator or chair creates its meetings.")
        return redirect("cases:meeting_list")
    initial = {}
    first = boards.first()
    if first is not None and first.default_location:
        initial["location"] = first.default_location
    form = MeetingForm(request.POST or None, boards=boards, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_create(
                board=data["board"], starts_at=data["starts_at"], location=data["location"],
                video_link=data["video_link"], duration_minutes=data["duration_minutes"],
            )
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, "Meeting created. Add the cases to its agenda.")
            return redirect("cases:agenda", pk=meeting.pk)
    return render(request, "cases/meeting_form.html", {"form": form})
