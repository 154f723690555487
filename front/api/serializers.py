"""Serializers of the endpoints that combine apps: a lesion with the engine's scores."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from cases.api.serializers import LesionSerializer
from cases.models import Lesion
from recommendations.scores import lesion_scores


class ScoreComponentSerializer(serializers.Serializer):
    name = serializers.CharField()
    rule_id = serializers.CharField()
    field = serializers.CharField(help_text="The lesion field the component reads.")
    finding = serializers.CharField()
    min_points = serializers.IntegerField()
    max_points = serializers.IntegerField()
    status = serializers.ChoiceField(choices=["known", "missing", "undefined"])


class ScoreSerializer(serializers.Serializer):
    total = serializers.IntegerField(
        allow_null=True, help_text="Null when a finding is missing: see the range."
    )
    total_min = serializers.IntegerField()
    total_max = serializers.IntegerField()
    category = serializers.CharField(
        allow_null=True, help_text="Null when the range spans categories."
    )
    category_min = serializers.CharField(required=False, help_text="SINS only.")
    category_max = serializers.CharField(required=False, help_text="SINS only.")
    missing = serializers.ListField(child=serializers.CharField())
    undefined = serializers.ListField(child=serializers.CharField())
    rule_ids = serializers.ListField(child=serializers.CharField())
    text = serializers.CharField()
    components = ScoreComponentSerializer(many=True)


class LesionScoresSerializer(serializers.Serializer):
    sins = ScoreSerializer(allow_null=True, help_text="Spinal lesions (vertebra, sacrum).")
    mirels = ScoreSerializer(allow_null=True, help_text="Long-bone lesions.")


# The schema keeps calling it "Lesion": it is the only lesion the API serves.
@extend_schema_serializer(component_name="Lesion")
class LesionWithScoresSerializer(LesionSerializer):
    scores = serializers.SerializerMethodField(
        help_text="Computed by the recommendation engine from the findings; read-only."
    )

    @extend_schema_field(LesionScoresSerializer)
    def get_scores(self, lesion: Lesion):
        return lesion_scores(lesion)
