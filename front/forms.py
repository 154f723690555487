"""Forms of the pages. They validate what was typed and hand clean values to one service;
on error the page re-renders with everything the user typed."""

from __future__ import annotations

from functools import cached_property, partial
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases import actions as action_types
from cases.choices import DecisionItemVerdict, OpinionStance
from cases.models import Meeting, Patient
from cases.selectors import patient_by_hospital_number
from cases.services import OPINION_MAX_LENGTH


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")


class MeetingForm(forms.Form):
    # The queryset is the user's boards, set per request in __init__.
    board = forms.ModelChoiceField(queryset=None, empty_label=None)
    starts_at = forms.DateTimeField(
        label="Starts at", widget=DateTimeLocalInput(),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    duration_minutes = forms.IntegerField(label="Duration (minutes)", min_value=15,
                                          max_value=480, initial=90)
    location = forms.CharField(max_length=200, required=False)
    video_link = forms.URLField(label="Video link", required=False, assume_scheme="https")

    def __init__(self, *args, boards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board"].queryset = boards

    def clean_starts_at(self):
        starts_at = self.cleaned_data["starts_at"]
        if starts_at < timezone.now():
            raise ValidationError("A new meeting cannot start in the past.")
        return starts_at


class AgendaItemAddForm(forms.Form):
    """Put a patient on the agenda by hospital number (typed from the referral)."""

    hospital_number = forms.CharField(label="Hospital number", max_length=32)
    question = forms.CharField(label="Question for the board",
                               widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    presenting_clinician = forms.TypedChoiceField(
        label="Presenting clinician", required=False, coerce=int, empty_value=None,
    )
    urgent = forms.BooleanField(
        label="Suspected cord compression (urgent: first on the agenda)", required=False,
    )

    def __init__(self, *args, user, meeting: Meeting, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.meeting = user, meeting
        self.members = {seat.user_id: seat.user for seat in members}
        self.fields["presenting_clinician"].choices = [("", "— not yet known —")] + [
            (seat.user_id, f"{seat.user.get_full_name() or seat.user.username} "
                           f"({seat.get_specialty_display() or seat.get_role_display()})")
            for seat in members
        ]

    def clean_hospital_number(self) -> Patient:
        number = self.cleaned_data["hospital_number"].strip()
        patient = patient_by_hospital_number(user=self.user, board_id=self.meeting.board_id,
                                             number=number)
        if patient is None:
            raise ValidationError("No patient of this board has this hospital number.")
        self.cleaned_data["patient"] = patient
        return number

    def clean_presenting_clinician(self):
        user_id = self.cleaned_data.get("presenting_clinician")
        return self.members.get(user_id) if user_id else None


class AddToMeetingForm(forms.Form):
    """From the patient page: refer the patient to one of the board's open meetings."""

    meeting = forms.TypedChoiceField(label="Meeting", coerce=int)
    question = forms.CharField(label="Question for the board",
                               widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.meetings = {m.pk: m for m in meetings}
        self.fields["meeting"].choices = [
            (m.pk, f"{timezone.localtime(m.starts_at):%a %d %b %Y %H:%M}") for m in meetings
        ]

    def clean_meeting(self) -> Meeting:
        return self.meetings[self.cleaned_data["meeting"]]


class OpinionForm(forms.Form):
    """A specialist's short opinion on a case before the meeting."""

    stance = forms.ChoiceField(label="Your view of the draft plan",
                               choices=OpinionStance.choices, widget=forms.RadioSelect)
    text = forms.CharField(
        label="Your opinion (a radiology read, a surgical view: a few lines)",
        widget=forms.Textarea(attrs={"rows": 4}), max_length=OPINION_MAX_LENGTH)


class AmendForm(forms.Form):
    amendment_reason = forms.CharField(
        label="Why is the signed decision being amended?",
        widget=forms.Textarea(attrs={"rows": 2}), max_length=2000,
    )


# --- Recording the decision -----------------------------------------------------------------

_DRAFT_VERDICTS = [
    (DecisionItemVerdict.ACCEPTED, "Accept"),
    (DecisionItemVerdict.MODIFIED, "Modify"),
    (DecisionItemVerdict.REJECTED, "Reject"),
]
_NEEDS_REASON = (DecisionItemVerdict.MODIFIED, DecisionItemVerdict.REJECTED)


#: Typed-action text fields that hold a sentence rather than a word or two.
_SENTENCE_FIELDS = frozenset({"text", "resume_criteria"})


# Choices as callables: Django then lists them only when a widget renders or a value is
# validated. A decision of 16 items builds about 50 choice fields per request, and
# meeting mode renders none of their widgets (listing the choices eagerly was a tenth of
# its server time, bench/meeting_mode.py).
def _kind_choices() -> list[tuple[str, str]]:
    return list(action_types.KIND_LABELS.items())


def _field_choices(name: str) -> list[tuple[str, str]]:
    return [("", "—"), *action_types.FIELD_CHOICES[name].items()]


class ActionFieldsMixin:
    """The typed fields of a decision item's action (`cases.actions`), named
    ``action_<field>``: a kind selector plus the fields of the chosen kind (the posted
    kind when bound, so switching kind and submitting shows the new kind's fields)."""

    def add_action_fields(self, *, initial_action: dict[str, Any]) -> None:
        kind = initial_action.get("kind") or "other"
        if self.is_bound:
            kind = self.data.get(self.add_prefix("action_kind")) or kind
        if kind not in action_types.FIELDS:
            kind = "other"
        self.action_kind_shown = kind
        self.initial_action = initial_action
        self.fields["action_kind"] = forms.ChoiceField(
            label=action_types.FIELD_LABELS["kind"], required=False,
            choices=_kind_choices, initial=kind)
        for name in action_types.FIELDS[kind]:
            label = action_types.FIELD_LABELS[name]
            if name in action_types.FIELD_CHOICES:
                field = forms.ChoiceField(label=label, required=False,
                                          choices=partial(_field_choices, name))
            elif name in action_types.DATE_FIELDS:
                field = forms.CharField(label=label, required=False, max_length=10,
                                        widget=forms.DateInput(attrs={"type": "date"}))
            elif name in action_types.BOOL_FIELDS:
                field = forms.BooleanField(label=label, required=False)
            elif name in _SENTENCE_FIELDS:
                # A sentence wraps in a text area: a one-line box cuts it off on a phone.
                field = forms.CharField(label=label, required=False,
                                        max_length=action_types.TEXT_MAX,
                                        widget=forms.Textarea(attrs={"rows": 2}))
            elif name in action_types.TEXT_FIELDS:
                field = forms.CharField(label=label, required=False,
                                        max_length=action_types.TEXT_MAX)
            else:
                field = forms.CharField(label=label, required=False, max_length=12,
                                        widget=forms.TextInput(attrs={"inputmode": "decimal"}))
            field.initial = initial_action.get(name) if initial_action.get("kind") == kind \
                else None
            self.fields[f"action_{name}"] = field

    @property
    def action_fields(self):
        return [self[f"action_{name}"] for name in action_types.FIELDS[self.action_kind_shown]]

    @property
    def action_summary(self) -> str:
        return action_types.action_summary(self.initial_action)

    def posted_action(self) -> dict[str, Any]:
        data = self.cleaned_data
        if self.add_prefix("action_kind") not in self.data:
            # A client that posts words only (no typed fields): the board's words are
            # the action, which schedules nothing — never the draft's unmodified fields.
            return {"kind": "other",
                    "text": (data.get("detail") or data.get("title") or "").strip()}
        raw = {"kind": data.get("action_kind") or self.action_kind_shown}
        if (self.data.get(self.add_prefix("action_not_shown"))
                and raw["kind"] == self.initial_action.get("kind")):
            # Meeting mode loads an item's typed fields only when its details are opened
            # (`action_not_shown` stands in for them until then): fields nobody saw keep
            # the action the item started from, never blanks, nor free text.
            return dict(self.initial_action)
        for name in action_types.FIELDS.get(raw["kind"], ()):
            raw[name] = data.get(f"action_{name}")
        return raw

    def clean_posted_action(self) -> dict[str, Any] | None:
        """The validated action, or None with the field errors added to this form."""
        try:
            return action_types.action_clean(self.posted_action(), on=timezone.localdate())
        except action_types.ActionError as error:
            for name, messages in error.errors.items():
                key = f"action_{name}" if f"action_{name}" in self.fields else "action_kind"
                for message in messages:
                    self.add_error(key, message)
            return None


def proposed_kind(row: dict[str, Any]) -> str:
    """The kind of action the draft proposed for this item ("other" when none)."""
    return (row.get("action") or {}).get("kind") or "other"


class DraftItemForm(ActionFieldsMixin, forms.Form):
    """The board's verdict on one item the engine proposed, and — to modify it — the
    typed fields of what the board decided instead."""

    # Not required: a decision is saved as the board goes (a partial draft); signing
    # refuses it until every item has a verdict (`cases.services.decision_sign`).
    verdict = forms.ChoiceField(choices=_DRAFT_VERDICTS, widget=forms.RadioSelect,
                                label="Board's verdict", required=False)
    detail = forms.CharField(label="What the board decided", required=False,
                             widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)
    reason = forms.CharField(label="Reason (required to modify or reject)", required=False,
                             widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)

    def __init__(self, *args, row: dict[str, Any], **kwargs):
        super().__init__(*args, **kwargs)
        self.row = row
        self.action: dict[str, Any] = dict(row.get("action") or {})
        self.add_action_fields(initial_action=self.action)

    @property
    def proposed_kind(self) -> str:
        return proposed_kind(self.row)

    def clean(self):
        data = super().clean()
        verdict = data.get("verdict")
        if verdict in _NEEDS_REASON and not (data.get("reason") or "").strip():
            self.add_error("reason", "Give the board's reason for this change.")
        if verdict == DecisionItemVerdict.MODIFIED:
            action = self.clean_posted_action()
            if action is not None:
                if action == self.row.get("action") and not (data.get("detail") or "").strip():
                    self.add_error("action_kind", "Change what the board decided instead "
                                   "(the fields below), or accept the item.")
                self.action = action
        elif verdict == DecisionItemVerdict.ACCEPTED:
            posted_kind = self.data.get(self.add_prefix("action_kind"))
            if posted_kind and posted_kind != self.proposed_kind:
                # Accepting keeps the proposed action: another kind would be dropped unseen.
                self.add_error("action_kind", "To change the kind of action, choose "
                               "Modify and give the reason.")
            self.action = dict(self.row.get("action") or {})
        return data

    def as_item(self) -> dict[str, Any]:
        data, row = self.cleaned_data, self.row
        modified = data["verdict"] == DecisionItemVerdict.MODIFIED
        detail = (data.get("detail") or "").strip() or (
            action_types.action_summary(self.action) if modified and self.action
            else row.get("summary", ""))
        return {
            "code": row["code"], "rule_id": row.get("rule_id", ""), "title": row["title"],
            "detail": detail, "draft_detail": row.get("draft_detail") or {},
            "verdict": data["verdict"], "reason": (data.get("reason") or "").strip(),
            "action": self.action if data["verdict"] not in (
                DecisionItemVerdict.REJECTED, "") else {},
        }


class AddedItemForm(ActionFieldsMixin, forms.Form):
    """An item the board added that the engine did not propose, with its typed action
    ("other" — free text, no reminders — unless a kind is chosen). Empty rows are
    ignored."""

    title = forms.CharField(label="Added item", required=False, max_length=200)
    detail = forms.CharField(label="Details", required=False,
                             widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)

    def __init__(self, *args, action: dict[str, Any] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.action: dict[str, Any] = dict(action or {})
        self.add_action_fields(initial_action=self.action or {"kind": "other"})

    def clean(self):
        data = super().clean()
        if (data.get("detail") or "").strip() and not (data.get("title") or "").strip():
            self.add_error("title", "Give the added item a title.")
        if not self.is_blank:
            raw = self.posted_action()
            if raw["kind"] == "other" and not raw.get("text"):
                raw["text"] = (data.get("detail") or "").strip() or (data.get("title") or "")
                self.cleaned_data["action_text"] = raw["text"]
            action = self.clean_posted_action()
            if action is not None:
                self.action = action
        return data

    @property
    def is_blank(self) -> bool:
        data = getattr(self, "cleaned_data", None) or {}
        return not (data.get("title") or "").strip() and not (data.get("detail") or "").strip()

    def as_item(self) -> dict[str, Any]:
        return {"code": "", "rule_id": "", "title": self.cleaned_data["title"].strip(),
                "detail": (self.cleaned_data.get("detail") or "").strip(),
                "verdict": DecisionItemVerdict.ADDED, "reason": "", "action": self.action}


class DecisionMetaForm(forms.Form):
    attended = forms.TypedMultipleChoiceField(
        label="Who attended", required=False, coerce=int, widget=forms.CheckboxSelectMultiple,
    )
    outcome_summary = forms.CharField(label="Outcome summary", required=False,
                                      widget=forms.Textarea(attrs={"rows": 3}),
                                      max_length=8000)

    def __init__(self, *args, attendances, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attended"].choices = [
            (a.user_id, f"{a.user.get_full_name() or a.user.username}"
                        f"{' — ' + a.get_specialty_display() if a.specialty else ''}")
            for a in attendances
        ]


class DecisionForm:
    """The whole decision: one verdict per draft item, added items, attendance and the
    outcome summary. Bound on POST so a failed submit re-renders every typed value."""

    #: Blank "added item" rows shown below the ones already filled in.
    SPARE_ADDED_ROWS = 1

    def __init__(self, *, rows: list[dict[str, Any]], added: list[dict[str, Any]],
                 attendances, initial_attended: list[int], outcome_summary: str,
                 data=None):
        self.rows = rows
        self.data = data
        if data is not None:
            try:
                added_count = int(data.get("added_count", len(added) + self.SPARE_ADDED_ROWS))
            except ValueError:
                added_count = len(added) + self.SPARE_ADDED_ROWS
            if data.get("action") == "more_rows":
                added_count += 1
        else:
            added_count = len(added) + self.SPARE_ADDED_ROWS
        added_count = max(0, min(added_count, 30))
        self.added_forms = [
            AddedItemForm(data, prefix=f"a{i}", initial=added[i] if i < len(added) else None,
                          action=added[i].get("action") if i < len(added) else None)
            for i in range(added_count)
        ]
        self.meta = DecisionMetaForm(
            data, attendances=attendances,
            initial={"attended": initial_attended, "outcome_summary": outcome_summary},
        )
        self.added_count = added_count
        self.non_field_errors: list[str] = []

    @staticmethod
    def draft_prefix(index: int) -> str:
        """The field-name prefix of the index-th draft item (``d0-verdict``)."""
        return f"d{index}"

    @property
    def is_bound(self) -> bool:
        return self.data is not None

    @cached_property
    def draft_forms(self) -> list[DraftItemForm]:
        # Built when first used: meeting mode shows an unbound decision from its rows
        # (`front.views.meeting_mode._values_as_proposed`); 16 item forms with their
        # typed fields were a tenth of its server time.
        return [DraftItemForm(self.data, prefix=self.draft_prefix(i), row=row,
                              initial=row.get("initial"))
                for i, row in enumerate(self.rows)]

    def is_valid(self) -> bool:
        results = [f.is_valid() for f in self.draft_forms]
        results += [f.is_valid() for f in self.added_forms]
        results.append(self.meta.is_valid())
        return all(results) and not self.non_field_errors

    def items(self) -> list[dict[str, Any]]:
        items = [f.as_item() for f in self.draft_forms]
        items += [f.as_item() for f in self.added_forms if not f.is_blank]
        return items

    def apply_service_errors(self, error: ValidationError) -> None:
        """Put a service's field errors (``items.3.reason``) next to the right field."""
        mapping = getattr(error, "message_dict", {"__all__": error.messages})
        forms_in_order = self.draft_forms + [f for f in self.added_forms if not f.is_blank]
        for key, messages in mapping.items():
            parts = key.split(".")
            if len(parts) == 3 and parts[0] == "items" and parts[1].isdigit():
                index = int(parts[1])
                if index < len(forms_in_order):
                    target = forms_in_order[index]
                    field_name = parts[2] if parts[2] in target.fields else None
                    for message in messages:
                        target.add_error(field_name, message)
                    continue
            if key in self.meta.fields:
                for message in messages:
                    self.meta.add_error(key, message)
                continue
            self.non_field_errors.extend(messages)

    @property
    def undecided_count(self) -> int:
        """Draft items without a verdict yet (a partial decision is saved as a draft)."""
        return sum(1 for item in self.items() if not item["verdict"])

    @property
    def error_count(self) -> int:
        count = len(self.non_field_errors)
        for form in self.draft_forms + self.added_forms + [self.meta]:
            count += sum(len(v) for v in form.errors.values()) if form.is_bound else 0
        return count
