"""The agenda page: cases in running order with their readiness, the specialties the
agenda needs against confirmed attendance; adding, reordering, locking, circulating
and printing."""

from __future__ import annotations

from collections import OrderedDict

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases import selectors, services
from cases.choices import AgendaItemStatus, MeetingStatus, Specialty
from cases.models import PatientAccess
from front.forms import AgendaItemAddForm
from front.views.common import audit, error_text, require_perm
from front.views.drafts import AgendaDraftView, DraftView, agenda_draft_view, draft_view
from recommendations.services import drafts_refresh_for_meeting, meeting_draft_summaries
from reminders import selectors as reminder_selectors
from reminders import services as reminder_services
from reminders.tasks import dispatch_due_now


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
    # A held meeting shows what the board decided, not what was ready (one query more,
    # only then).
    outcomes = selectors.meeting_outcomes(meeting=meeting) if meeting.is_held else {}
    rows = []
    for position, item in enumerate(items, start=1):
        rows.append({"item": item, "position": position, "draft": drafts.get(item.pk),
                     "outcome": _outcome(item, outcomes.get(item.pk))})
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
        "can_circulate": can_manage and not meeting.is_held,
        "can_change_agenda": can_manage and not meeting.is_locked and not meeting.is_held,
        "can_mark_held": can_manage and not meeting.is_held
        and meeting.status != MeetingStatus.CANCELLED
        and timezone.localdate() >= meeting.day,
        "outcome_counts": _outcome_counts(rows) if meeting.is_held else None,
        "specialties": Specialty,
    }


#: What a held meeting's agenda says of each case (the key is a CSS token).
OUTCOME_LABELS = {
    "signed": "Decision signed",
    "saved": "Decision saved, not signed",
    "deferred": "Deferred",
    "none": "No decision recorded",
}


def _outcome(item, decision) -> dict[str, str]:
    if decision is not None and decision.is_signed:
        key = "signed"
    elif decision is not None:
        key = "saved"
    elif item.status == AgendaItemStatus.DEFERRED:
        key = "deferred"
    else:
        key = "none"
    return {"key": key, "label": OUTCOME_LABELS[key]}


def _outcome_counts(rows) -> list[dict]:
    counts = {key: 0 for key in OUTCOME_LABELS}
    for row in rows:
        counts[row["outcome"]["key"]] += 1
    return [{"key": key, "label": label, "count": counts[key]}
            for key, label in OUTCOME_LABELS.items() if counts[key]]


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
            target = reverse("cases:agenda", args=[meeting.pk]) + f"#item-{item.pk}"
            if request.htmx:
                # The new row changes the list, readiness and quorum: load the page. (The
                # query makes it a new URL: a change of #fragment alone does not reload.)
                return HttpResponse(headers={"HX-Redirect": reverse(
                    "cases:agenda", args=[meeting.pk]) + f"?added={item.pk}#item-{item.pk}"})
            return redirect(target)
    if request.htmx:
        # Only the form comes back, with the errors next to the fields where the
        # person is looking (site.js moves the focus to the first one).
        # (200: htmx swaps only successful answers.)
        return render(request, "cases/_agenda_add_form.html",
                      {"meeting": meeting, "add_form": form})
    # Without JavaScript: the whole page, which the form's action anchors at #add-case.
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
    """Move one case up, down, or to position N in one request; urgent
    (cord-compression) cases stay first."""
    meeting, item = _managed_item(request, pk, item_pk)
    return _move(request, meeting, item)


@login_required
@require_POST
def agenda_move_to(request, pk):
    """The agenda's "Move case … to position …" form: the case is a field."""
    try:
        item_pk = int(request.POST.get("item", ""))
    except ValueError:
        raise Http404("No such case on this agenda.") from None
    meeting, item = _managed_item(request, pk, item_pk)
    return _move(request, meeting, item)


def _move(request, meeting, item):
    order = [i.pk for i in selectors.agenda_items(meeting=meeting)]
    index = order.index(item.pk)
    direction = request.POST.get("direction")
    if direction in ("up", "down"):
        # Clamped: "up" on the first case (or "down" on the last) changes nothing.
        position = min(max(index if direction == "up" else index + 2, 1), len(order))
    else:
        try:
            position = int(request.POST.get("position", ""))
        except ValueError:
            messages.error(request, f"Give a position from 1 to {len(order)}.")
            return redirect(reverse("cases:agenda", args=[meeting.pk]) + f"#item-{item.pk}")
    if position != index + 1:  # the service refuses a position off the agenda
        try:
            new_order = services.agenda_move_to(meeting=meeting, item_id=item.pk,
                                                position=position)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            final = next(i for i, moved in enumerate(new_order, start=1) if moved.pk == item.pk)
            if final != position:
                messages.info(request, "Urgent cord-compression cases stay at the top: "
                                       f"the case is now number {final}.")
            else:
                messages.success(request, f"The case is now number {final}.")
    return redirect(reverse("cases:agenda", args=[meeting.pk]) + f"#item-{item.pk}")


@login_required
@require_POST
def agenda_reorder(request, pk):
    """Set the whole order at once (`order` = agenda item ids, first to last)."""
    meeting = selectors.meeting_for(user=request.user, pk=pk)
    require_perm(request, "cases.manage_meeting", meeting)
    try:
        ids = [int(v) for v in request.POST.getlist("order")]
        new_order = services.agenda_reorder(meeting=meeting, item_ids=ids)
    except ValueError:
        messages.error(request, "The new order was not understood.")
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        if [i.pk for i in new_order] != ids:
            messages.info(request, "Agenda reordered; urgent cord-compression cases stay "
                                   "at the top.")
        else:
            messages.success(request, "Agenda reordered.")
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
    try:
        services.agenda_unlock(meeting=meeting)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, "Agenda unlocked: cases can be added and reordered again.")
    return redirect("cases:agenda", pk=meeting.pk)


@login_required
def agenda_circulate(request, pk):
    """Circulate the agenda now. Once it has been circulated, the page first says who
    already has it and asks before sending every invite again (GET shows that step)."""
    meeting = selectors.meeting_for(user=request.user, pk=pk)
    require_perm(request, "cases.manage_meeting", meeting)
    again = request.POST.get("again") == "1"
    if request.method != "POST" or (meeting.agenda_circulated_at and not again):
        if meeting.agenda_circulated_at is None:
            return redirect("cases:agenda", pk=meeting.pk)
        return render(request, "cases/agenda_circulate_again.html", {
            "meeting": meeting,
            "recipients": reminder_selectors.agenda_recipients(meeting=meeting),
            "attendee_count": sum(1 for a in selectors.attendances(meeting=meeting)
                                  if a.user.email),
        })
    try:
        reminder_services.agenda_circulate(meeting=meeting, by=request.user,
                                                    again=again)
    except ValidationError as error:
        messages.error(request, error_text(error))
        return redirect("cases:agenda", pk=meeting.pk)
    sent_now = dispatch_due_now()
    count = sum(1 for a in selectors.attendances(meeting=meeting) if a.user.email)
    if sent_now:
        messages.success(request, f"Agenda circulated: {count} email{pluralize(count)} with "
                                  "a calendar invite are being sent now. Each shows as sent "
                                  "under My reminders › the board's list once it has gone.")
    else:
        messages.warning(request, f"Agenda circulated: {count} email{pluralize(count)} are "
                                  "queued, not sent yet — the mail worker could not be "
                                  "reached. They go out with its next run (within "
                                  f"{settings.REMINDERS_DISPATCH_INTERVAL_SECONDS} seconds "
                                  "of it running again).")
    return redirect("cases:agenda", pk=meeting.pk)


@login_required
@require_POST
def meeting_held(request, pk):
    """Record that the meeting took place: its agenda becomes the record (read-only)."""
    meeting = selectors.meeting_for(user=request.user, pk=pk)
    require_perm(request, "cases.manage_meeting", meeting)
    try:
        services.meeting_mark_held(meeting=meeting)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, "Recorded as held: the agenda is now read-only and shows "
                                  "what the board decided on each case.")
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
