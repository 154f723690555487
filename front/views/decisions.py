"""Recording the board's decision on one case: accept, modify or reject each draft item
(with a reason for every deviation), add items, record attendance and the outcome; the
chair signs. A signed decision is read-only; an amendment is a new version."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases import selectors, services
from cases.choices import DecisionItemVerdict
from front.forms import AmendForm, DecisionForm
from front.views.common import audit, error_text, require_perm
from front.views.drafts import DraftView, draft_view
from recommendations.actions import action_for_item
from recommendations.selectors import draft_of_item
from recommendations.services import draft_refresh
from reminders.services import decision_sign_and_schedule


def _draft_by_ref(item, ref):
    try:
        draft_id = int(ref)
    except (TypeError, ValueError):
        return None
    return draft_of_item(agenda_item=item, draft_id=draft_id)


def _draft_action(item: dict, on) -> dict:
    """The typed action a draft item proposes (the one code → action mapping)."""
    return action_for_item(code=item.get("code", ""), detail=item.get("detail") or {},
                           title=item.get("title", ""), on=on)


def _rows_from_draft(view: DraftView | None) -> list[dict]:
    if view is None:
        return []
    today = timezone.localdate()
    return [{
        "action": _draft_action(i, today),
        "code": i.get("code", ""), "rule_id": i.get("rule_id", ""), "title": i.get("title", ""),
        "summary": i.get("summary", ""), "rationale": i.get("rationale", ""),
        "urgency": i.get("urgency", ""), "urgency_label": i.get("urgency_label", ""),
        "sources": i.get("sources", []), "draft_detail": i.get("detail") or {},
        "initial": {"detail": i.get("summary", "")},
    } for i in view.items]


def _rows_from_decision(decision, view: DraftView | None):
    """An unsigned decision (or amendment) already saved: its items are the rows."""
    by_code = {i.get("code"): i for i in (view.items if view else [])}
    rows, added = [], []
    for entry in decision.items.all():
        if entry.verdict == DecisionItemVerdict.ADDED:
            added.append({"title": entry.title, "detail": entry.detail,
                          "action": entry.action})
            continue
        draft_item = by_code.get(entry.code, {})
        rows.append({
            "code": entry.code, "rule_id": entry.rule_id, "title": entry.title,
            "summary": (entry.draft_detail or {}).get("text")
            or (entry.draft_detail or {}).get("summary") or draft_item.get("summary", ""),
            "rationale": draft_item.get("rationale", ""),
            "urgency": draft_item.get("urgency", ""),
            "urgency_label": draft_item.get("urgency_label", ""),
            "sources": draft_item.get("sources", []),
            "draft_detail": entry.draft_detail,
            "action": entry.action or _draft_action(draft_item or {
                "code": entry.code, "detail": entry.draft_detail, "title": entry.title},
                timezone.localdate()),
            "initial": {"verdict": entry.verdict, "detail": entry.detail,
                        "reason": entry.reason},
        })
    return rows, added


def _attended_initial(attendances) -> list[int]:
    return [a.user_id for a in attendances
            if a.attended or (a.attended is None and a.confirmed)]


def _render(request, item, decisions, *, form=None, draft_view=None, amend_form=None,
            status=200):
    latest = decisions[-1] if decisions else None
    attendances = selectors.attendances(meeting=item.meeting)
    context = {
        "item": item, "meeting": item.meeting, "patient": item.patient,
        "decisions": decisions, "latest": latest,
        "signed": latest is not None and latest.is_signed,
        "form": form, "draft": draft_view,
        "attendances": attendances,
        "attended": [a for a in attendances if a.attended],
        "amend_form": amend_form or AmendForm(),
        "can_record": request.user.has_perm("cases.record_decision", item),
        "can_sign": request.user.has_perm("cases.sign_decision", item),
        "signing_refusal": services.signing_refusal(meeting=item.meeting),
        "verdicts": DecisionItemVerdict,
    }
    audit(request, [item.patient_id])
    return render(request, "cases/decision.html", context, status=status)


@login_required
def decision(request, item_pk):
    item = selectors.agenda_item_for(user=request.user, pk=item_pk)
    decisions = selectors.decisions_of(item=item)
    latest = decisions[-1] if decisions else None
    if latest is not None and latest.is_signed:
        if request.method == "POST":
            messages.error(request, "This decision is signed; record an amendment to change it.")
            return redirect("cases:decision", item_pk=item.pk)
        return _render(request, item, decisions)
    can_record = request.user.has_perm("cases.record_decision", item)
    if request.method == "POST":
        require_perm(request, "cases.record_decision", item)
    # Which draft the rows come from: an existing unsigned version keeps its items; a
    # new decision works from the draft the page showed (its id travels with the form,
    # so a draft refreshed meanwhile cannot shuffle the rows under what was typed).
    if latest is not None:
        draft = _draft_by_ref(item, latest.draft_plan_ref)
    elif request.method == "POST":
        draft = _draft_by_ref(item, request.POST.get("draft_ref")) \
            or draft_refresh(agenda_item=item)
    else:
        draft = draft_refresh(agenda_item=item)
    view = draft_view(draft)
    if latest is not None:
        rows, added = _rows_from_decision(latest, view)
        summary = latest.outcome_summary
    else:
        rows, added, summary = _rows_from_draft(view), [], ""
    attendances = selectors.attendances(meeting=item.meeting)
    action = request.POST.get("action", "save")
    data = request.POST if request.method == "POST" else None
    if data is not None and action == "accept_rest":
        # "Accept every item not yet decided": fill the blanks, save nothing yet.
        data = data.copy()
        for index in range(len(rows)):
            if not data.get(f"d{index}-verdict"):
                data[f"d{index}-verdict"] = DecisionItemVerdict.ACCEPTED
    form = DecisionForm(
        rows=rows, added=added, attendances=attendances,
        initial_attended=_attended_initial(attendances), outcome_summary=summary, data=data,
    ) if can_record else None
    if request.method != "POST":
        return _render(request, item, decisions, form=form, draft_view=view)

    if action in ("more_rows", "accept_rest") or not form.is_valid():
        if action not in ("more_rows", "accept_rest"):
            messages.error(request, "Nothing was saved yet: correct the marked fields.")
        return _render(request, item, decisions, form=form, draft_view=view)
    if action == "sign":
        require_perm(request, "cases.sign_decision", item)
    try:
        with transaction.atomic():
            saved = services.decision_record(
                agenda_item=item, recorded_by=request.user, items=form.items(),
                outcome_summary=form.meta.cleaned_data["outcome_summary"].strip(),
                engine_version=draft.engine_version if draft else "",
                draft_plan_ref=draft.pk if draft else None,
            )
            attended = set(form.meta.cleaned_data["attended"])
            for attendance in attendances:
                if attendance.attended != (attendance.user_id in attended):
                    services.attendance_set(meeting=item.meeting, user=attendance.user,
                                            attended=attendance.user_id in attended)
    except ValidationError as error:
        form.apply_service_errors(error)
        messages.error(request, "Nothing was saved: correct the marked fields.")
        return _render(request, item, selectors.decisions_of(item=item), form=form,
                       draft_view=view)
    if action != "sign":
        undecided = form.undecided_count
        messages.success(request, f"Decision saved (version {saved.version}, not signed)" + (
            f": a draft, {undecided} item{'s' if undecided != 1 else ''} still to decide "
            "before it can be signed." if undecided else "."))
        return redirect("cases:decision", item_pk=item.pk)
    refusal = services.signing_refusal(meeting=item.meeting)
    if refusal:
        messages.error(request, f"Saved (version {saved.version}), but not signed: {refusal}")
        return redirect("cases:decision", item_pk=item.pk)
    # Saved; the chair now sees exactly what they sign and confirms it (decision_sign).
    return redirect("cases:decision_sign", item_pk=item.pk)


@login_required
def decision_sign(request, item_pk):
    """The confirmation step: the saved version as it will be signed (verdicts, what
    happens next, attendance), then the chair's "Sign". A POST names the version it
    confirms, so a version saved meanwhile by someone else is never signed unseen."""
    item = selectors.agenda_item_for(user=request.user, pk=item_pk)
    require_perm(request, "cases.sign_decision", item)
    decisions = selectors.decisions_of(item=item)
    latest = decisions[-1] if decisions else None
    if latest is None or latest.is_signed:
        messages.error(request, "There is no unsigned decision to sign: "
                                "save the board's decision first.")
        return redirect("cases:decision", item_pk=item.pk)
    refusal = services.signing_refusal(meeting=item.meeting)
    if request.method == "POST" and not refusal:
        if request.POST.get("version") != str(latest.version):
            messages.error(request, "The decision changed since this page was opened "
                                    "(another version was saved): check it again.")
            return redirect("cases:decision_sign", item_pk=item.pk)
        try:
            # Signing and scheduling the follow-up reminders are one transaction.
            decision_sign_and_schedule(decision=latest, chair=request.user)
        except (ValidationError, PermissionDenied) as error:
            text = error_text(error) if isinstance(error, ValidationError) else str(error)
            messages.error(request, f"Not signed: {text}")
            return redirect("cases:decision", item_pk=item.pk)
        messages.success(request, "Decision signed. It is now read-only.")
        return redirect("cases:decision", item_pk=item.pk)
    attendances = selectors.attendances(meeting=item.meeting)
    audit(request, [item.patient_id])
    return render(request, "cases/decision_sign.html", {
        "item": item, "meeting": item.meeting, "patient": item.patient,
        "decision": latest, "refusal": refusal,
        # A saved draft may leave items undecided; the service refuses to sign it.
        "undecided": sum(1 for d in latest.items.all() if not d.verdict),
        "attended": [a for a in attendances if a.attended],
    }, status=409 if request.method == "POST" else 200)


@login_required
@require_POST
def decision_amend(request, item_pk):
    item = selectors.agenda_item_for(user=request.user, pk=item_pk)
    require_perm(request, "cases.record_decision", item)
    decisions = selectors.decisions_of(item=item)
    latest = decisions[-1] if decisions else None
    form = AmendForm(request.POST)
    if latest is None or not latest.is_signed:
        messages.error(request, "Only a signed decision is amended.")
        return redirect("cases:decision", item_pk=item.pk)
    if not form.is_valid():
        return _render(request, item, decisions, amend_form=form)
    try:
        amendment = services.decision_amend(decision=latest, recorded_by=request.user,
                                            reason=form.cleaned_data["amendment_reason"])
    except ValidationError as error:
        form.add_error(None, error_text(error))
        return _render(request, item, decisions, amend_form=form)
    messages.success(request, f"Amendment started: version {amendment.version}, "
                              f"based on the signed version {latest.version}.")
    return redirect("cases:decision", item_pk=item.pk)
