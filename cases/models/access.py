"""Who looked at which patient: the read side of the audit trail."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cases.models.patient import Patient


class PatientAccess(models.Model):
    """One read of a patient's data by a user (page view, API read, export).

    Writes are audited by database triggers (django-pghistory); reads cannot be, so
    every view and API endpoint that shows patient data records one of these through
    `cases.services.record_patient_access`.
    """

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        LIST = "list", "Listed"
        EXPORT = "export", "Exported"

    # No database-level foreign keys on this append-only log: with them, every audited
    # page takes a KEY SHARE lock on each patient row and the user row it shows (≈ 0.6 ms
    # of PostgreSQL CPU for a 50-row API page, bench/api_patients_cpu.py), and a read
    # record should outlive any row it names anyway. Django's PROTECT still refuses to
    # delete a patient or user who has access records.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="patient_accesses",
        db_constraint=False,
    )
    # No index of its own: the (patient, -at) index below serves every lookup by patient
    # (and the PROTECT check), and one index fewer is cheaper on every audited read.
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="accesses",
                                db_index=False, db_constraint=False)
    action = models.CharField(max_length=10, choices=Action.choices)
    path = models.CharField(max_length=300)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["patient", "-at"])]

    def __str__(self) -> str:
        return f"Access #{self.pk}"
