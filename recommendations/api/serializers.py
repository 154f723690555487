"""Serializers of the recommendations API."""

from __future__ import annotations

from rest_framework import serializers

from recommendations.models import DraftPlan


class DraftPlanSerializer(serializers.ModelSerializer):
    """A stored draft-plan snapshot: the engine's output for one agenda item, with the
    facts it read and the engine version (read-only: drafts are made by refreshing)."""

    is_ready = serializers.BooleanField(read_only=True)

    class Meta:
        model = DraftPlan
        fields = [
            "id", "agenda_item", "patient", "engine_version", "as_of", "created_at",
            "is_urgent", "is_ready", "missing_count", "flag_count", "facts_sha256",
            "facts_version", "facts", "output",
        ]
        read_only_fields = fields


class RefreshSerializer(serializers.Serializer):
    """Which drafts to refresh: one agenda item or a whole meeting."""

    agenda_item = serializers.IntegerField(required=False, min_value=1)
    meeting = serializers.IntegerField(required=False, min_value=1)

    def validate(self, attrs):
        if bool(attrs.get("agenda_item")) == bool(attrs.get("meeting")):
            raise serializers.ValidationError(
                {"non_field_errors": ["Give either an agenda item or a meeting, not both."]}
            )
        return attrs
