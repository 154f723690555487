"""Imports from the hospital's systems: each file previewed or imported, and which row of
the record each imported resource became (so that a second import recognises it)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cases.models._audit import audited
from cases.models.board import Board


class ImportSource(models.TextChoices):
    FHIR = "fhir", "FHIR R4 bundle"
    HL7V2 = "hl7v2", "HL7 v2 lab results (ORU^R01)"


@audited()
class ImportBatch(models.Model):
    """One file from the hospital's systems for one board: previewed, then (once someone
    confirms the preview) imported.

    The file's text is kept while it waits for confirmation, so that exactly the file
    that was previewed is imported; it is emptied once imported (the rows it made are
    in the record and its SHA-256 stays here)."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", "Previewed"
        IMPORTED = "imported", "Imported"

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="import_batches")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="import_batches", help_text="Empty for a management command.",
    )
    source = models.CharField(max_length=10, choices=ImportSource.choices)
    filename = models.CharField(max_length=200, blank=True)
    content = models.TextField(blank=True)
    sha256 = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices,
                              default=Status.PREVIEWED)
    #: How many resources were new, updated, unchanged or recognised with nothing to store.
    counts = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "import batches"

    def __str__(self) -> str:
        return f"Import #{self.pk} ({self.get_source_display()}, {self.get_status_display()})"


class ImportedResource(models.Model):
    """One resource of the hospital's systems and the row of the record it became: a
    FHIR resource by its identifier (or id), an HL7 v2 result by its order and code."""

    Source = ImportSource

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=10, choices=ImportSource.choices)
    resource_type = models.CharField(max_length=40)
    source_key = models.CharField(max_length=300)
    #: The kind of row (`cases.interop.plan.KIND_MODELS`) and its ID.
    model = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    batch = models.ForeignKey(ImportBatch, on_delete=models.SET_NULL, null=True, blank=True,
                              related_name="resources")
    imported_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["board", "source", "resource_type", "source_key"],
                                    name="imported_resource_once_per_board"),
        ]

    def __str__(self) -> str:
        return f"{self.resource_type} {self.source_key} → {self.model} #{self.object_id}"
