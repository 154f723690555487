"""Draft-plan snapshots: what the engine proposed for a case, from which facts."""

from __future__ import annotations

from django.db import models

from cases.models import AgendaItem, Patient


class SnapshotJSONField(models.JSONField):
    """A JSONField that bulk-inserts as plain VALUES placeholders.

    Django 5.2 bulk-inserts on PostgreSQL through UNNEST(array parameters); psycopg
    then escapes every large JSON document as an array element in Python (≈ 20 ms per
    40-KB snapshot, measured in bench/drafts_refresh.py). Declaring a placeholder opts
    this field out of the UNNEST path, and libpq escapes the text in C.
    """

    def get_placeholder(self, value, compiler, connection):
        return "%s"


class DraftPlan(models.Model):
    """One evaluation of the engine for one agenda item: the facts it read (as JSON),
    the plan it produced, the engine version and the date it evaluated "as of".

    Snapshots are append-only: when the case's facts change a new one is stored, and
    the newest is the current draft. A signed decision references the snapshot it was
    made from (`Decision.draft_plan_ref`), so what the board saw is never lost.
    """

    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.CASCADE, related_name="draft_plans"
    )
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="draft_plans")
    engine_version = models.CharField(max_length=40)
    as_of = models.DateField()
    facts = SnapshotJSONField()
    facts_sha256 = models.CharField(
        max_length=64, help_text="Hash of the canonical facts JSON: unchanged facts, no new draft."
    )
    output = SnapshotJSONField()
    # Denormalised from `output` for the agenda page (readiness, ordering, quorum).
    is_urgent = models.BooleanField(default=False)
    missing_count = models.PositiveSmallIntegerField(default=0)
    flag_count = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agenda_item_id", "-created_at", "-id"]
        indexes = [models.Index(fields=["agenda_item", "-created_at", "-id"])]

    def __str__(self) -> str:
        return f"Draft plan #{self.pk} (engine {self.engine_version})"

    @property
    def is_ready(self) -> bool:
        """Ready for the board when the engine is missing nothing it needs."""
        return self.missing_count == 0
