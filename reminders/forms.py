"""Forms for acting on a reminder: they validate, the services write."""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.utils import timezone

from reminders.choices import NotDoneReason

SNOOZE_CHOICES = [(1, "1 day"), (3, "3 days"), (7, "1 week"), (14, "2 weeks"), (28, "4 weeks")]


class SnoozeForm(forms.Form):
    days = forms.TypedChoiceField(label="Snooze for", choices=SNOOZE_CHOICES, coerce=int)

    def until(self):
        return timezone.now() + timedelta(days=self.cleaned_data["days"])


class CancelForm(forms.Form):
    reason = forms.CharField(label="Reason for cancelling", max_length=500,
                             widget=forms.TextInput)

    def clean_reason(self) -> str:
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Say why the reminder is cancelled.")
        return reason


class ActionDoneForm(forms.Form):
    done_on = forms.DateField(label="Done on", widget=forms.DateInput(attrs={"type": "date"}))


class ActionNotDoneForm(forms.Form):
    reason = forms.ChoiceField(label="Why not", choices=NotDoneReason.choices)
    text = forms.CharField(label="Details (needed for “Other”)", required=False,
                           max_length=2000)
