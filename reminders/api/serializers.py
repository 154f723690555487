"""Serializers of the reminders API: what a reminder is, and the inputs of its actions.

A reminder is shown by its opaque `id` (the public UUID) and names the patient only by
their opaque ID; identifiers are on the patient endpoint, behind the same scoping."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from rest_framework import serializers

from reminders.models import Reminder


class ReminderSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)

    class Meta:
        model = Reminder
        fields = [
            "id", "kind", "kind_label", "status", "title", "detail", "due_on", "due_at",
            "event_on", "board", "patient", "meeting", "agenda_item", "decision",
            "decision_item", "responsible_user", "responsible_role", "attempts",
            "last_error", "sent_at", "snoozed_until", "done_at", "cancelled_at",
            "cancel_reason",
        ]
        read_only_fields = fields


class SnoozeSerializer(serializers.Serializer):
    until = serializers.DateTimeField(required=False)
    days = serializers.IntegerField(required=False, min_value=1, max_value=366)

    def validate(self, attrs):
        if ("until" in attrs) == ("days" in attrs):
            raise serializers.ValidationError("Give either `until` or `days`.")
        if "days" in attrs:
            attrs["until"] = timezone.now() + timedelta(days=attrs.pop("days"))
        return attrs


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)
