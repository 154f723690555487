"""Draft-plan snapshots: what the engine proposed for a case, from which facts."""

from __future__ import annotations

import json

from django.db import models

from cases.models import AgendaItem, Patient


class SnapshotJSONField(models.JSONField):
    """A snapshot stored as PostgreSQL `json`: the text exactly as written, not `jsonb`.

    A snapshot is written once and read whole, never queried inside, so `jsonb`'s
    parsing and re-encoding buy nothing and cost most of a meeting refresh (40 plans
    of ≈ 40 KB: 31 ms of server time as jsonb, 12 ms as json; bench/drafts_refresh.py).
    The text is kept byte for byte as the engine's JSON was serialised.
    Django 5.2 also bulk-inserts through UNNEST(array parameters), where psycopg escapes
    every document as an array element in Python; declaring a placeholder opts this
    field out of that path.
    """

    def db_type(self, connection):
        return "json"

    def get_placeholder(self, value, compiler, connection):
        return "%s"

    def get_db_prep_value(self, value, connection, prepared=False):
        if value is None:
            return None
        return json.dumps(value, cls=self.encoder, ensure_ascii=False, separators=(",", ":"))

    def from_db_value(self, value, expression, connection):
        # psycopg decodes `json` itself (Django registers a text loader for jsonb only).
        if value is None or not isinstance(value, str):
            return value
        return json.loads(value, cls=self.decoder)


class DraftPlan(models.Model):
    """One evaluation of the engine for one agenda item: the facts it read (as JSON),
    the plan it produced, the engine version and the date it evaluated "as of".

    Snapshots are append-only: when the case's facts change a new one is stored, and
    the newest is the current draft. Only `facts_version` is ever updated, when the
    record was written but the facts the engine reads came out the same. A signed
    decision references the snapshot it was made from (`Decision.draft_plan_ref`), so
    what the board saw is never lost.
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
    facts_version = models.BigIntegerField(
        null=True, blank=True,
        help_text="The patient's facts version (cases.PatientFactsVersion) these facts were "
        "read at; a newer version makes the draft stale. None before versions existed.",
    )
    output = SnapshotJSONField()
    # Denormalised from `output` for the agenda page (readiness, ordering, quorum).
    is_urgent = models.BooleanField(default=False)
    missing_count = models.PositiveSmallIntegerField(default=0)
    flag_count = models.PositiveSmallIntegerField(default=0)
    #: What an agenda row shows of this draft (`selectors.DraftSummary`: urgency, missing
    #: data, scores, specialties needed, the lesions they name), written with the snapshot.
    #: Taking those keys out of the `json` snapshots made PostgreSQL parse 40 texts of
    #: ≈ 40 KB for every agenda view (18 ms of the page's 37 ms in the database).
    agenda_summary = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agenda_item_id", "-created_at", "-id"]
        indexes = [models.Index(fields=["agenda_item", "-created_at", "-id"])]

    def __str__(self) -> str:
        return f"Draft plan #{self.pk} (engine {self.engine_version})"

    @staticmethod
    def agenda_summary_of(output: dict, facts: dict) -> dict:
        """The keys of a snapshot that the agenda shows (`agenda_summary`)."""
        return {
            "urgency": output.get("urgency") or "routine",
            "missing_data": output.get("missing_data") or [],
            "scores": output.get("scores") or {},
            "required_specialties": output.get("required_specialties") or [],
            "lesions": facts.get("lesions") or [],
        }

    @property
    def is_ready(self) -> bool:
        """Ready for the board when the engine is missing nothing it needs."""
        return self.missing_count == 0
