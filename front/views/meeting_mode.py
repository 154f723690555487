"""Meeting mode: the board's shared screen, one case per screen.

What the board needs to decide fits a 1400×900 screen without scrolling: the question,
key facts, lesions with the engine's scores, the labs that drive dosing, a link to the
images, the pre-meeting opinions, the draft condensed to one line per item (details on
demand), who is present and whether the specialties the case needs are at the table.
The decision is taken on the same screen (accept / modify / reject each item) and saved
as the board goes: a partial decision is a draft; signing needs every item decided.
Next / previous case and the verdicts have keyboard shortcuts (meeting-mode.js,
documented on the screen and in docs/ui.md), and a per-case timer is recorded with the
decision (CRUK found a mean of 3.2 minutes per case at MDTs).

Also here: the pre-meeting opinions page and the standard-of-care block (NHS England,
Streamlining MDT meetings, 2020), which the chair reviews and signs in one action
through the same signing service as a single decision.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from cases import actions as action_types
from cases import selectors, services
from cases.choices import LabAnalyte, LabUnit, OpinionStance
from front.forms import DecisionForm, DraftItemForm, OpinionForm, proposed_kind
from front.views.case_review import lesion_rows
from front.views.common import audit, error_text, require_perm
from front.views.decisions import (
    _attended_initial,
    _draft_by_ref,
    _rows_from_decision,
    _rows_from_draft,
)
from front.views.drafts import DraftView, draft_view
from recommendations.services import draft_refresh, drafts_refresh_for_meeting
from recommendations.triage import reasons_for_discussion
from reminders.services import decision_sign_and_schedule

#: The labs that drive dosing, in the order the board reads them: renal function for the
#: zoledronic acid dose (BTA-03/BTA-07), calcium and vitamin D before a bone-targeted
#: agent (hypocalcaemia), blood counts for radium-223 (first and later doses).
DOSING_LABS = (
    LabAnalyte.CREATININE, LabAnalyte.CALCIUM, LabAnalyte.VITAMIN_D,
    LabAnalyte.HAEMOGLOBIN, LabAnalyte.PLATELETS, LabAnalyte.ANC,
)
_UNIT_LABELS = dict(LabUnit.choices)
_ANALYTE_LABELS = dict(LabAnalyte.choices)
#: Below this the timer of a case just flicked past is not worth a saved draft.
_TIMER_SAVE_SECONDS = 10

STANDARD_OF_CARE_SUMMARY = ("Signed in the standard-of-care block: the draft plan "
                            "accepted as it stands, without a full discussion.")


# --- Meeting mode -----------------------------------------------------------------------

def _meeting_item(request, pk, item_pk):
    item = selectors.agenda_item_for(user=request.user, pk=item_pk)
    if item.meeting_id != pk:
        raise Http404("No such case at this meeting.")
    return item


def _dosing_labs(latest: dict) -> list[dict]:
    """The latest value of each dosing lab, in the unit it was recorded in."""
    rows = []
    for analyte in DOSING_LABS:
        lab = latest.get(analyte)
        rows.append({
            "label": _ANALYTE_LABELS[analyte],
            "lab": lab,
            "value": f"{lab.value.normalize():f}" if lab else "",
            "unit": _UNIT_LABELS.get(lab.unit, lab.unit) if lab else "",
            "taken_on": timezone.localdate(lab.taken_at) if lab else None,
        })
    return rows


def _present(attendances) -> list:
    """Who is at the table: marked as attended, or confirmed and not marked absent."""
    return [a for a in attendances if a.attended or (a.attended is None and a.confirmed)]


def _specialties_at_table(view: DraftView | None, present) -> list[dict]:
    """Each specialty the draft says the case needs, and whether someone of it is here."""
    here = {a.specialty for a in present}
    return [{**row, "present": row.get("specialty") in here}
            for row in (view.required_specialties if view else [])]


def _running_order(meeting) -> list[int]:
    return selectors.agenda_running_order(meeting=meeting)


def _decision_state(request, item, *, data=None):
    """The decision being taken on this case: versions, the draft it works from, and the
    form (None for a signed decision or someone who may not record)."""
    decisions = selectors.decisions_of(item=item)
    latest = decisions[-1] if decisions else None
    signed = latest is not None and latest.is_signed
    if latest is not None:
        draft = _draft_by_ref(item, latest.draft_plan_ref)
        if draft is None and not signed:
            draft = draft_refresh(agenda_item=item)
    elif data is not None:
        draft = _draft_by_ref(item, data.get("draft_ref")) or draft_refresh(agenda_item=item)
    else:
        draft = draft_refresh(agenda_item=item)
    view = draft_view(draft)
    attendances = selectors.attendances(meeting=item.meeting)
    form = None
    if not signed and request.user.has_perm("cases.record_decision", item):
        if latest is not None:
            rows, added = _rows_from_decision(latest, view)
            summary = latest.outcome_summary
        else:
            rows, added, summary = _rows_from_draft(view), [], ""
        form = DecisionForm(rows=rows, added=added, attendances=attendances,
                            initial_attended=_attended_initial(attendances),
                            outcome_summary=summary, data=data)
    return {"decisions": decisions, "latest": latest, "signed": signed, "draft": draft,
            "view": view, "attendances": attendances, "form": form}


def _action_fields_shown(form) -> bool:
    """Whether the page writes out this item's typed action fields. Only a re-shown
    submission whose fields were on the screen has them (with what was typed); otherwise
    they come when the item's details are first opened (`meeting_mode_action_fields`):
    they were half of the screen's template time, for details the board opens for the
    few items it modifies. Until then `action_not_shown` keeps the item's action
    (`front.forms.ActionFieldsMixin.posted_action`)."""
    return form.is_bound and not form.data.get(form.add_prefix("action_not_shown"))


def _light_fields(form, *, with_fields: bool = True) -> dict:
    """One draft item's inputs as plain values for hand-written HTML. Rendering Django's
    widget templates for 16 items × 8 fields cost most of the screen's time (about
    150 ms of CPU per case, bench/meeting_mode.py); the same names and values written
    out directly cost a few milliseconds. The kind of action is chosen from the decision
    page's choices (`cases.actions.KIND_LABELS`); picking another one swaps in its fields
    (`meeting_mode_action_fields`), and the form validates them as the decision page's.
    `with_fields=False` leaves the typed fields out (`_action_fields_shown`)."""
    def value(name):
        bound = form[name]
        current = bound.value()
        return "" if current is None else current

    fields = []
    for name in action_types.FIELDS[form.action_kind_shown] if with_fields else ():
        key = f"action_{name}"
        current = value(key)
        if name in action_types.FIELD_CHOICES:
            kind = "select"
        elif name in action_types.BOOL_FIELDS:
            kind = "checkbox"
        elif name in action_types.DATE_FIELDS:
            kind = "date"
        else:
            kind = "text"
        fields.append({
            "name": form.add_prefix(key), "id": f"id_{form.add_prefix(key)}",
            "label": action_types.FIELD_LABELS[name], "kind": kind,
            "value": current, "checked": current in (True, "on", "True", "true"),
            "choices": [(k, label, str(k) == str(current)) for k, label
                        in action_types.FIELD_CHOICES.get(name, {}).items()],
        })
    return _item_inputs(prefix=form.prefix, row=form.row, errors=form.errors,
                        action_summary=form.action_summary, value=value,
                        kind=form.action_kind_shown, proposed=form.proposed_kind,
                        fields=fields, shown=with_fields)


def _values_as_proposed(row: dict, prefix: str) -> dict:
    """What `_light_fields` gives for the unbound form of a draft item without its typed
    fields, read from the row itself (the decision page's rows,
    `front.views.decisions`): a screen that shows the decision as it stands builds no
    item forms (`DecisionForm.draft_forms`, 0.15–0.3 ms each)."""
    initial = row.get("initial") or {}
    action = dict(row.get("action") or {})
    proposed = proposed_kind(row)

    def value(name):
        current = initial.get(name)
        return "" if current is None else current

    return _item_inputs(prefix=prefix, row=row, errors={},
                        action_summary=action_types.action_summary(action), value=value,
                        kind=proposed if proposed in action_types.FIELDS else "other",
                        proposed=proposed, fields=[], shown=False)


def _item_inputs(*, prefix, row, errors, action_summary, value, kind, proposed, fields,
                 shown) -> dict:
    """The values meeting mode writes out for one draft item, whether they come from its
    form (`_light_fields`) or from its row (`_values_as_proposed`)."""
    return {
        "prefix": prefix, "row": row, "errors": errors, "action_summary": action_summary,
        "verdict": value("verdict"), "detail": value("detail"), "reason": value("reason"),
        "kind": kind,
        "kind_label": action_types.KIND_LABELS.get(kind, ""),
        "kind_field_label": action_types.FIELD_LABELS["kind"],
        "kinds": [(k, label, k == kind) for k, label in action_types.KIND_LABELS.items()],
        "proposed_kind": proposed,
        "proposed_kind_label": action_types.KIND_LABELS.get(proposed, ""),
        "action_fields": fields, "action_fields_shown": shown,
    }


def _item_rows(form, view: DraftView | None) -> list[tuple]:
    """(the item's inputs, the lesion it is about) per draft item: from the rows as they
    stand, or from the item forms of a submission shown again. The same item proposed
    for several lesions (radiotherapy to each) is told apart by the lesion's label; the
    n-th item with a code is the n-th draft item with that code."""
    if form is None:
        return []
    labels: dict[tuple[str, int], str] = {}
    seen: dict[str, int] = {}
    for entry in (view.items if view else []):
        code = entry.get("code", "")
        labels[(code, seen.get(code, 0))] = entry.get("lesion_label", "")
        seen[code] = seen.get(code, 0) + 1
    if form.is_bound:
        values = [_light_fields(f, with_fields=_action_fields_shown(f))
                  for f in form.draft_forms]
    else:
        values = [_values_as_proposed(row, form.draft_prefix(i))
                  for i, row in enumerate(form.rows)]
    rows, seen = [], {}
    for v in values:
        code = v["row"].get("code", "")
        rows.append((v, labels.get((code, seen.get(code, 0)), "")))
        seen[code] = seen.get(code, 0) + 1
    return rows


def _posted_seconds(data) -> int | None:
    try:
        seconds = int(data.get("discussion_seconds", ""))
    except (TypeError, ValueError):
        return None
    return seconds if seconds >= 0 else None


def _save(request, item, state) -> tuple[bool, str]:
    """Validate and save the posted decision (partial: a draft). (saved, message)."""
    form, draft = state["form"], state["draft"]
    if form is None:
        raise PermissionDenied
    if not form.is_valid():
        count = form.error_count
        return False, f"Not saved: {count} field{'s' if count != 1 else ''} need attention."
    try:
        with transaction.atomic():
            saved = services.decision_record(
                agenda_item=item, recorded_by=request.user, items=form.items(),
                outcome_summary=form.meta.cleaned_data["outcome_summary"].strip(),
                engine_version=draft.engine_version if draft else "",
                draft_plan_ref=draft.pk if draft else None,
                discussion_seconds=_posted_seconds(request.POST),
            )
            attended = set(form.meta.cleaned_data["attended"])
            for attendance in state["attendances"]:
                if attendance.attended != (attendance.user_id in attended):
                    services.attendance_set(meeting=item.meeting, user=attendance.user,
                                            attended=attendance.user_id in attended)
    except ValidationError as error:
        form.apply_service_errors(error)
        return False, f"Not saved: {error_text(error)}"
    undecided = form.undecided_count
    state["saved"] = saved
    if undecided:
        return True, (f"Draft saved at {timezone.localtime():%H:%M:%S}: {undecided} "
                      f"item{'s' if undecided != 1 else ''} still to decide.")
    return True, f"Saved at {timezone.localtime():%H:%M:%S}: every item decided, ready to sign."


def _page(request, item, state, *, status=200, save_message=""):
    meeting = item.meeting
    order, signed_ids = selectors.agenda_running_order_signed(meeting=meeting)
    index = order.index(item.pk)
    record = selectors.meeting_mode_record(item=item, analytes=DOSING_LABS)
    view = state["view"]
    present = _present(state["attendances"])
    opinions = selectors.opinions_by_item(item_ids=[item.pk])[item.pk]
    latest = state["latest"]
    context = {
        "item": item, "meeting": meeting, "patient": record.patient,
        "primary": getattr(record.patient, "primary", None),
        "age": record.patient.age_on(timezone.localdate()),
        "record": record, "draft": view, "lesions": lesion_rows(record.lesions, view),
        "dosing_labs": _dosing_labs(record.latest_labs),
        # Information notes fold away; everything above information is shown in full.
        "attention_flags": [f for f in (view.flags if view else []) if f["severity"] != "info"],
        "info_flags": [f for f in (view.flags if view else []) if f["severity"] == "info"],
        "opinions": opinions, "present": present,
        "specialties": _specialties_at_table(view, present),
        "position": index + 1, "case_count": len(order), "signed_count": len(signed_ids),
        "previous_url": reverse("cases:meeting_mode", args=[meeting.pk, order[index - 1]])
        if index > 0 else "",
        "next_url": reverse("cases:meeting_mode", args=[meeting.pk, order[index + 1]])
        if index + 1 < len(order) else "",
        "form": state["form"], "latest": latest, "signed": state["signed"],
        "rows": _item_rows(state["form"], view),
        "discussion_seconds": (latest.discussion_seconds or 0) if latest else 0,
        "can_sign": request.user.has_perm("cases.sign_decision", item),
        "save_message": save_message,
        "timer_save_seconds": _TIMER_SAVE_SECONDS,
    }
    audit(request, [item.patient_id])
    return render(request, "cases/meeting_mode.html", context, status=status)


@login_required
def meeting_mode_start(request, pk):
    """The first case not yet signed (or the first case, when all are)."""
    meeting = selectors.meeting_for(user=request.user, pk=pk)
    order, signed = selectors.agenda_running_order_signed(meeting=meeting)
    if not order:
        messages.error(request, "This agenda has no case yet.")
        return redirect("cases:agenda", pk=meeting.pk)
    first = next((pk for pk in order if pk not in signed), order[0])
    return redirect("cases:meeting_mode", pk=meeting.pk, item_pk=first)


@login_required
def meeting_mode(request, pk, item_pk):
    item = _meeting_item(request, pk, item_pk)
    return _page(request, item, _decision_state(request, item))


@login_required
@require_POST
def meeting_mode_save(request, pk, item_pk):
    """Save as the board goes (htmx posts the form on every change): answers with the
    save line only; without htmx, the whole page."""
    item = _meeting_item(request, pk, item_pk)
    require_perm(request, "cases.record_decision", item)
    state = _decision_state(request, item, data=request.POST)
    if state["signed"]:
        text = "This decision is signed; record an amendment to change it."
        if request.htmx:
            # 200 so htmx shows the line (it logs any other status as a script error).
            response = HttpResponse(text)
            response["X-Decision-Saved"] = "no"
            return response
        messages.error(request, text)
        return redirect("cases:meeting_mode", pk=pk, item_pk=item.pk)
    saved, text = _save(request, item, state)
    audit(request, [item.patient_id])
    if request.htmx:
        # 200 either way so htmx swaps the line in; the header tells the script.
        response = render(request, "cases/_meeting_mode_saved.html",
                          {"saved": saved, "text": text, "form": state["form"]})
        response["X-Decision-Saved"] = "yes" if saved else "no"
        return response
    if saved:
        messages.success(request, text)
        return redirect("cases:meeting_mode", pk=pk, item_pk=item.pk)
    return _page(request, item, state, status=422, save_message=text)


@login_required
def meeting_mode_action_fields(request, pk, item_pk, row):
    """The fields of one draft item's kind of action (htmx swaps them in when the item's
    details are first opened, and when the chair picks another kind): empty for another
    kind, the item's own values for the kind it started with. Nothing is saved here;
    the next save posts them."""
    item = _meeting_item(request, pk, item_pk)
    require_perm(request, "cases.record_decision", item)
    state = _decision_state(request, item)
    form = state["form"]
    if form is None or not 0 <= row < len(form.draft_forms):
        raise Http404("No such item in this decision.")
    shown = form.draft_forms[row]
    kind = request.GET.get(shown.add_prefix("action_kind"), "")
    if kind not in action_types.FIELDS:
        raise Http404("No such kind of action.")
    if kind != shown.proposed_kind:
        # A new kind starts blank; the proposal (and what the board decided) stays as it is.
        shown = DraftItemForm(None, prefix=shown.prefix, initial=shown.initial,
                              row={**shown.row, "action": {"kind": kind}})
        shown.row = form.draft_forms[row].row
    audit(request, [item.patient_id])
    return render(request, "cases/_meeting_mode_action_fields.html",
                  {"f": shown, "v": _light_fields(shown)})


@login_required
@require_POST
def meeting_mode_sign(request, pk, item_pk):
    """Save what is on the screen, then sign it as chair (after the screen's
    confirmation); moves on to the next case."""
    item = _meeting_item(request, pk, item_pk)
    require_perm(request, "cases.sign_decision", item)
    state = _decision_state(request, item, data=request.POST)
    if state["signed"]:
        messages.info(request, "This decision is signed already.")
        return _to_next_case(item)
    if request.POST.get("confirm") != "yes":
        messages.error(request, "Not signed: confirm the signature first.")
        return redirect("cases:meeting_mode", pk=pk, item_pk=item.pk)
    # Saving and signing hold the agenda item's lock together (decision_record takes it
    # first): a save the screen sent a moment earlier waits, then finds the decision
    # signed, instead of the two deadlocking over the decision and the item.
    with transaction.atomic():
        saved, text = _save(request, item, state)
        if saved:
            try:
                with transaction.atomic():
                    decision_sign_and_schedule(decision=state["saved"], chair=request.user)
            except (ValidationError, PermissionDenied) as error:
                reason = error_text(error) if isinstance(error, ValidationError) else str(error)
                signed_error = f"Saved, but not signed: {reason}"
            else:
                signed_error = ""
    if not saved:
        if selectors.signed_decision_item_ids(item_ids=[item.pk]):
            # The same signature sent twice (a double press): the first one signed it.
            messages.info(request, "This decision is signed already.")
            return _to_next_case(item)
        return _page(request, item, state, status=422, save_message=text)
    if signed_error:
        messages.error(request, signed_error)
        return redirect("cases:meeting_mode", pk=pk, item_pk=item.pk)
    order = _running_order(item.meeting)
    messages.success(request, f"Case {order.index(item.pk) + 1} signed. It is now read-only.")
    return _to_next_case(item, order)


def _to_next_case(item, order=None):
    order = order or _running_order(item.meeting)
    position = order.index(item.pk) + 1
    target = order[position] if position < len(order) else item.pk
    return redirect("cases:meeting_mode", pk=item.meeting_id, item_pk=target)


# --- Pre-meeting opinions ---------------------------------------------------------------

@login_required
def case_opinions(request, item_pk):
    """A specialist's short opinion on a case before the meeting, and everyone's."""
    item = selectors.agenda_item_for(user=request.user, pk=item_pk)
    can_record = request.user.has_perm("cases.record_opinion", item)
    opinions = selectors.opinions_by_item(item_ids=[item.pk])[item.pk]
    mine = next((o for o in opinions if o.author_id == request.user.pk), None)
    form = OpinionForm(request.POST or None, initial={
        "stance": mine.stance if mine else OpinionStance.AGREES,
        "text": mine.text if mine else ""}) if can_record else None
    if request.method == "POST":
        require_perm(request, "cases.record_opinion", item)
        if form.is_valid():
            try:
                services.case_opinion_record(agenda_item=item, author=request.user,
                                             stance=form.cleaned_data["stance"],
                                             text=form.cleaned_data["text"])
            except ValidationError as error:
                for field_name, errors in error.message_dict.items():
                    target = field_name if field_name in form.fields else None
                    for message in errors:
                        form.add_error(target, message)
            else:
                audit(request, [item.patient_id])
                messages.success(request, "Your opinion is recorded; the board sees it in "
                                          "meeting mode and on the case review.")
                return redirect("cases:case_opinions", item_pk=item.pk)
    audit(request, [item.patient_id])
    return render(request, "cases/case_opinions.html", {
        "item": item, "meeting": item.meeting, "patient": item.patient,
        "opinions": opinions, "form": form, "mine": mine,
    }, status=422 if form is not None and form.errors else 200)


# --- The standard-of-care block ---------------------------------------------------------

def _triage(meeting):
    """Every case of the meeting with its current draft and why it needs the full
    discussion ([] for the standard-of-care block). A fixed number of queries."""
    items = selectors.agenda_items(meeting=meeting)
    ids = [i.pk for i in items]
    drafts = drafts_refresh_for_meeting(meeting=meeting)
    opinions = selectors.opinions_by_item(item_ids=ids)
    latest = selectors.latest_decisions(item_ids=ids)
    rows = []
    for position, item in enumerate(items, start=1):
        draft = drafts.get(item.pk)
        open_opinions = sum(1 for o in opinions[item.pk] if o.is_open)
        reasons = reasons_for_discussion(
            output=draft.output if draft else None, urgent=item.urgent,
            opted_out=item.standard_of_care_opt_out, open_opinions=open_opinions,
            decision=latest.get(item.pk))
        rows.append({"item": item, "position": position, "draft": draft,
                     "view": draft_view(draft) if not reasons else None,
                     "reasons": reasons, "decision": latest.get(item.pk),
                     "opinions": opinions[item.pk]})
    return rows


def _sign_block(request, rows) -> int:
    """Record each case of the block as its draft, every item accepted, and sign it
    through the one signing service: all the cases or none."""
    with transaction.atomic():
        for row in rows:
            item, view = row["item"], row["view"]
            items = [{
                "code": r["code"], "rule_id": r["rule_id"], "title": r["title"],
                "detail": r["summary"], "draft_detail": r["draft_detail"],
                "verdict": "accepted", "reason": "", "action": r["action"],
            } for r in _rows_from_draft(view)]
            decision = services.decision_record(
                agenda_item=item, recorded_by=request.user, items=items,
                outcome_summary=STANDARD_OF_CARE_SUMMARY,
                engine_version=view.engine_version, draft_plan_ref=view.draft.pk,
                standard_of_care=True,
            )
            decision_sign_and_schedule(decision=decision, chair=request.user)
    return len(rows)


@login_required
def standard_of_care(request, pk):
    meeting = selectors.meeting_for(user=request.user, pk=pk)
    rows = _triage(meeting)
    block = [r for r in rows if not r["reasons"]]
    can_sign = request.user.has_perm("cases.sign_decision", meeting)
    can_record = request.user.has_perm("cases.record_decision", meeting)
    if request.method == "POST":
        action = request.POST.get("action", "")
        by_pk = {r["item"].pk: r for r in rows}
        if action in ("opt_out", "opt_in"):
            require_perm(request, "cases.record_decision", meeting)
            try:
                row = by_pk[int(request.POST.get("item", ""))]
            except (KeyError, ValueError):
                raise Http404("No such case at this meeting.") from None
            try:
                services.agenda_item_set_standard_of_care_opt_out(
                    item=row["item"], opted_out=action == "opt_out")
            except ValidationError as error:
                messages.error(request, error_text(error))
            else:
                messages.success(request, (
                    f"Case {row['position']} goes back to full discussion."
                    if action == "opt_out" else
                    f"Case {row['position']} is back in the standard-of-care block."))
            return redirect("cases:standard_of_care", pk=meeting.pk)
        if action == "sign":
            require_perm(request, "cases.sign_decision", meeting)
            posted = sorted(int(v) for v in request.POST.getlist("items") if v.isdigit())
            if sorted(r["item"].pk for r in block) != posted or not posted:
                messages.error(request, "Nothing was signed: the block changed since you "
                                        "reviewed it. Review it again.")
                return redirect("cases:standard_of_care", pk=meeting.pk)
            if request.POST.get("confirm") != "yes":
                messages.error(request, "Nothing was signed: tick the confirmation first.")
                return redirect("cases:standard_of_care", pk=meeting.pk)
            try:
                count = _sign_block(request, block)
            except (ValidationError, PermissionDenied) as error:
                reason = error_text(error) if isinstance(error, ValidationError) else str(error)
                messages.error(request, f"Nothing was signed: {reason}")
                return redirect("cases:standard_of_care", pk=meeting.pk)
            audit(request, [r["item"].patient_id for r in block])
            messages.success(request, f"{count} case{'s' if count != 1 else ''} signed as "
                                      "standard of care. Each decision says so.")
            return redirect("cases:standard_of_care", pk=meeting.pk)
        raise Http404("Unknown action.")
    audit(request, [r["item"].patient_id for r in rows])
    return render(request, "cases/standard_of_care.html", {
        "meeting": meeting, "block_rows": block,
        "discussion": [r for r in rows if r["reasons"] and not _is_signed(r)],
        "signed": [r for r in rows if _is_signed(r)],
        "can_sign": can_sign, "can_record": can_record,
    })


def _is_signed(row) -> bool:
    return row["decision"] is not None and row["decision"].is_signed
