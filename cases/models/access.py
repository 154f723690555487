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

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="patient_accesses"
    )
    # No index of its own: the (patient, -at) index below serves every lookup by patient
    # (and the PROTECT check), and one index fewer is cheaper on every audited read.
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="accesses",
                                db_index=False)
    action = models.CharField(max_length=10, choices=Action.choices)
    path = models.CharField(max_length=300)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["patient", "-at"])]

    def __str__(self) -> str:
        return f"Access #{self.pk}"
