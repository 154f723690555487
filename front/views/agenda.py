"""The agenda page: cases in running order with their readiness, the specialties the
agenda needs against confirmed attendance; adding, reordering, locking, circulating
and printing."""

from __future__ import annotations

from collections import OrderedDict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from cases import selectors, services
from cases.choices import Specialty
from cases.models import PatientAccess
from front.forms import AgendaItemAddForm
from front.views.common import audit, error_text, require_perm
from front.views.drafts import AgendaDraftView, DraftView, agenda_draft_view, draft_view
from recommendations.services import drafts_refresh_for_meeting, meeting_draft_summaries
from reminders import services as reminder_services


def _quorum(drafts: dict[int, AgendaDraftView | DraftView], items, attendances) -> list[dict]:
    """Specialties the agenda needs (engine, section 8) against confirmed attendance."""
    positions = {item.pk: index for index, item in enumerate(items, start=1)}
    needed: OrderedDict[str, dict] = OrderedDict()
    for item in items:
        view = drafts.get(item.pk)
        if view is None:
            continue
        for req in view.required_specialties:
            entry = needed.setdefault(req["specialty"], {
                "specialty": req["specialty"], "label": req["label"], "cases": [],
                "provisional": True,
            })
            entry["cases"].append(positions[item.pk])
            entry["provisional"] = entry["provisional"] and bool(req.get("provisional"))
    confirmed: dict[str, list] = {}
    for attendance in attendances:
        if attendance.confirmed:
            confirmed.setdefault(attendance.specialty, []).append(attendance.user)
    rows = []
    for entry in needed.values():
        entry["confirmed"] = confirmed.get(entry["specialty"], [])
        entry["covered"] = bool(entry["confirmed"])
        rows.append(entry)
    return rows


def _agenda_drafts(meeting) -> dict[int, AgendaDraftView]:
    """The agenda row of each case's refreshed draft, from the few keys of the snapshot
    it shows (decoding 40 whole snapshots was most of the page's time)."""
    return {pk: agenda_draft_view(summary, agenda_item_id=pk)
            for pk, summary in meeting_draft_summaries(meeting=meeting).items()}


def _print_drafts(meeting) -> dict[int, DraftView]:
    """The whole draft of each case: the printable agenda lists every item and flag."""
    return {pk: draft_view(d) for pk, d in drafts_refresh_for_meeting(meeting=meeting).items()}


def agenda_context(request, meeting, *, add_form=None, drafts_of=_agenda_drafts) -> dict:
    """Everything the agenda page (and its print version) shows; fixed query count."""
    drafts = drafts_of(meeting)
    # Read the items after the refresh: it may mark a case urgent or ready.
    items = selectors.agenda_items(meeting=meeting)
    attendances = selectors.attendances(meeting=meeting)
    can_manage = request.user.has_perm("cases.manage_meeting", meeting)
    members = selectors.board_members(board_id=meeting.board_id) if can_manage else []
    if can_manage and add_form is None and not meeting.is_locked:
        add_form = AgendaItemAddForm(user=request.user, meeting=meeting, members=members)
    rows = []
    for position, item in enumerate(items, start=1):
        rows.append({"item": item, "position": position, "draft": drafts.get(item.pk)})
    not_ready = [r for r in rows if r["draft"] is None or not r["draft"].is_ready]
    mine = next((a for a in attendances if a.user_id == request.user.pk), None)
    audit(request, [item.patient_id for item in items], action=PatientAccess.Action.LIST)
    return {
        "meeting": meeting,
        "rows": rows,
        "not_ready": not_ready,
        "quorum": _quorum(drafts, items, attendances),
        "attendances": attendances,
        "confirmed_count": sum(1 for a in attendances if a.confirmed),
        "my_attendance": mine,
        "can_manage": can_manage,
        "add_form": add_form,
        "can_circulate": can_manage,
        "specialties": Specialty,
    }


@login_required
def agenda(request, pk):
    meeting = selectors.meeting_for(user=request.user, pk=pk)
    return render(request, "cases/agenda.html", agenda_context(request, meeting))


@login_required
def agenda_print(request, pk):
    meeting = selectors.meeting_for(user=request.user, pk=pk)
    context = agenda_context(request, meeting, drafts_of=_print_drafts)
    return render(request, "cases/agenda_print.html", context)


@login_required
@require_POST
def agenda_item_add(request, pk):
    meeting = selectors.meeting_for(user=request.user, pk=pk)
    require_perm(request, "cases.manage_meeting", meeting)
    members = selectors.board_members(board_id=meeting.board_id)
    form = AgendaItemAddForm(request.POST, user=request.user, meeting=meeting, members=members)
    if form.is_valid():
        data = form.cleaned_data
        try:
            item = services.agenda_item_add(
                meeting=meeting, patient=data["patient"], question=data["question"],
                presenting_clinician=data["presenting_clinician"], urgent=data["urgent"],
            )
        except ValidationError as error:
            for field, field_messages in error.message_dict.items():
                target = {"patient": "hospital_number"}.get(field, field)
                for message in field_messages:
                    form.add_error(target if target in form.fields else None, message)
        else:
            messages.success(request, f"Case {item.position} added to the agenda.")
            return redirect(reverse("cases:agenda", args=[meeting.pk]) + f"#item-{item.pk}")
    # Keep what was typed: re-render the page with the bound form and its errors.
    context = agenda_context(request, meeting, add_form=form)
    return render(request, "cases/agenda.html", context)


def _managed_item(request, pk, item_pk):
    meeting = selectors.meeting_for(user=request.user, pk=pk)
    require_perm(request, "cases.manage_meeting", meeting)
    item = next((i for i in selectors.agenda_items(meeting=meeting) if i.pk == int(item_pk)),
                None)
    if item is None:
        raise Http404("No such case on this agenda.")
    return meeting, item


@login_required
@require_POST
def agenda_item_remove(request, pk, item_pk):
    meeting, item = _managed_item(request, pk, item_pk)
    try:
        services.agenda_item_remove(item=item)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, "Case removed from the agenda.")
    return redirect("cases:agenda", pk=meeting.pk)


@login_required
@require_POST
def agenda_move(request, pk, item_pk):
    """Move one case up or down; urgent (cord-compression) cases stay first."""
    meeting, item = _managed_item(request, pk, item_pk)
    order = [i.pk for i in selectors.agenda_items(meeting=meeting)]
    index = order.index(item.pk)
    direction = request.POST.get("direction")
    target = index - 1 if direction == "up" else index + 1 if direction == "down" else index
    if 0 <= target < len(order) and target != index:
        order[index], order[target] = order[target], order[index]
        try:
            new_order = services.agenda_reorder(meeting=meeting, item_ids=order)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            if [i.pk for i in new_order] != order:
                messages.info(request, "Urgent cord-compression cases stay at the top.")
    return redirect(reverse("cases:agenda", args=[meeting.pk]) + f"#item-{item.pk}")


@login_required
@require_POST
def agenda_reorder(request, pk):
    """Set the whole order at once (`order` = agenda item ids, first to last)."""
    meeting = selectors.meeting_for(user=request.user, pk=pk)
    require_perm(request, "cases.manage_meeting", meeting)
    try:
        ids = [int(v) for v in request.POST.getlist("order")]
        services.agenda_reorder(meeting=meeting, item_ids=ids)
    except ValueError:
        messages.error(request, "The new order was not understood.")
    except ValidationError as error:
        messages.error(request, error_text(error))
    return redirect("cases:agenda", pk=meeting.pk)


@login_required
@require_POST
def agenda_lock(request, pk):
    meeting = selectors.meeting_for(user=request.user, pk=pk)
    require_perm(request, "cases.manage_meeting", meeting)
    try:
        with transaction.atomic():
            meeting = services.agenda_lock(meeting=meeting)
            # The agenda is built: presenting clinicians of not-ready cases are asked
            # for what is missing now, and the circulation is scheduled.
            reminder_services.meeting_preparation_schedule(meeting=meeting)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, "Agenda locked; missing-data requests sent to the "
                                  "presenting clinicians of cases that are not ready.")
    return redirect("cases:agenda", pk=meeting.pk)


@login_required
@require_POST
def agenda_unlock(request, pk):
    meeting = selectors.meeting_for(user=request.user, pk=pk)
    require_perm(request, "cases.manage_meeting", meeting)
    services.agenda_unlock(meeting=meeting)
    messages.success(request, "Agenda unlocked: cases can be added and reordered again.")
    return redirect("cases:agenda", pk=meeting.pk)


@login_required
@require_POST
def agenda_circulate(request, pk):
    meeting = selectors.meeting_for(user=request.user, pk=pk)
    require_perm(request, "cases.manage_meeting", meeting)
    try:
        reminder_services.agenda_circulate(meeting=meeting, by=request.user)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, "Agenda circulated to the attendees with a calendar invite.")
    return redirect("cases:agenda", pk=meeting.pk)


@login_required
@require_POST
def attendance_confirm(request, pk):
    """A member confirms (or withdraws) their own attendance."""
    meeting = selectors.meeting_for(user=request.user, pk=pk)
    require_perm(request, "cases.confirm_attendance", meeting)
    confirmed = request.POST.get("confirmed") == "1"
    try:
        services.attendance_set(meeting=meeting, user=request.user, confirmed=confirmed)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, "You are down as attending." if confirmed
                         else "You are no longer down as attending.")
    return redirect(reverse("cases:agenda", args=[meeting.pk]) + "#attendance")
