"""Who looked at which patients: the read side of the audit trail."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import BrinIndex, GinIndex
from django.db import models


class PatientAccessQuerySet(models.QuerySet):
    def of_patient(self, patient_or_id) -> PatientAccessQuerySet:
        """The reads that showed this patient (served by the GIN index)."""
        pk = getattr(patient_or_id, "pk", patient_or_id)
        return self.filter(patient_ids__contains=[pk])


class PatientAccess(models.Model):
    """One read of patients' data by a user: a page view, an API read or an export,
    with every patient it showed (one row per request, not per patient).

    Writes are audited by database triggers (django-pghistory); reads cannot be, so
    every view and API endpoint that shows patient data records one of these through
    `cases.services.record_patient_access`.

    Why one row per request: a 50-row API page used to write 50 rows with three index
    entries each, ≈ 20 KiB of WAL per page, and under load the read audit then cost
    about 40 % of the API's throughput (bench/api_patients.py). One row with the IDs as
    an array writes ≈ 1.6 KiB, and the GIN index still finds every read of a patient.
    """

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        LIST = "list", "Listed"
        EXPORT = "export", "Exported"

    # No database-level foreign keys on this append-only log: with them, every audited
    # page takes a KEY SHARE lock on the user row (and a record of a read should outlive
    # any row it names anyway). Django's PROTECT still refuses to delete a user who has
    # access records. Patient IDs are plain numbers in an array, for the same reason.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="patient_accesses",
        db_constraint=False,
    )
    patient_ids = ArrayField(models.BigIntegerField(), help_text="Every patient shown.")
    action = models.CharField(max_length=10, choices=Action.choices)
    path = models.CharField(max_length=300)
    at = models.DateTimeField(auto_now_add=True)

    objects = PatientAccessQuerySet.as_manager()

    class Meta:
        # Rows are appended in time order, so the ID orders them as `at` does and the
        # primary key serves "newest first" without an index on `at`.
        ordering = ["-id"]
        indexes = [
            GinIndex(fields=["patient_ids"], name="cases_access_patient_ids_gin"),
            # Date ranges (the admin's date drill-down): a BRIN index costs next to
            # nothing to maintain on an append-only table.
            BrinIndex(fields=["at"], name="cases_access_at_brin", autosummarize=True),
        ]

    def __str__(self) -> str:
        return f"Access #{self.pk}"


class AuditChainLink(models.Model):
    """One audit row (a pghistory event or a `PatientAccess`) sealed into the chain.

    Each link carries the MAC of the link before it, so a deleted or rewritten audit
    row, or a deleted or rewritten link, breaks the chain where it happened
    (`manage.py audit_verify`). The MAC is keyed (cases/signing.py): whoever can write
    SQL cannot forge a link without the key, which is not in the database. Links are
    appended by `cases.audit_chain.audit_chain_seal` (every 5 s, from beat); the app
    role may only INSERT and SELECT here, like the audit tables themselves.
    """

    source = models.CharField(max_length=100, help_text="Model label of the audit row.")
    row_id = models.BigIntegerField()
    row_sha256 = models.CharField(max_length=64)
    previous_mac = models.CharField(max_length=64, blank=True)
    reseal_reason = models.CharField(
        max_length=200, blank=True,
        help_text="Empty for a row sealed as it was written. A re-seal link names the schema "
                  "migration that rewrote an intact sealed row (cases.audit_chain.reseal_around); "
                  "its MAC covers the reason.")
    key_id = models.CharField(max_length=32)
    mac = models.CharField(max_length=64)
    sealed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            # A row is sealed once as written; a schema migration may re-seal it later.
            models.UniqueConstraint(fields=["source", "row_id"],
                                    condition=models.Q(reseal_reason=""),
                                    name="audit_row_sealed_once"),
            # One successor per link: two sealers cannot fork the chain.
            models.UniqueConstraint(fields=["previous_mac"], name="audit_chain_has_no_forks"),
        ]

    def __str__(self) -> str:
        return f"Audit link #{self.pk}"
