"""What has been given: bone-targeted agents, systemic therapy, radiotherapy, surgery."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from cases.choices import (
    BoneTargetedAgent,
    Radioisotope,
    RadiotherapyTechnique,
    SurgeryKind,
    SystemicTherapyKind,
)
from cases.models._audit import audited
from cases.models._facts_version import bumps_facts_version
from cases.models.findings import Lesion
from cases.models.patient import Patient


def _check_dates(start, stop, stop_field: str) -> None:
    if start and stop and stop < start:
        raise ValidationError({stop_field: "The end date is before the start date."})


@audited()
class BoneTargetedAgentCourse(models.Model):
    """A course of a bone-targeted agent (zoledronic acid, denosumab…)."""

    patient = models.ForeignKey(
        Patient, on_delete=models.CASCADE, related_name="bone_agent_courses"
    )
    agent = models.CharField(max_length=20, choices=BoneTargetedAgent.choices)
    dose_mg = models.DecimalField(
        max_digits=6, decimal_places=2,
        validators=[MinValueValidator(Decimal("0.1")), MaxValueValidator(Decimal("500"))],
    )
    interval_weeks = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(52)]
    )
    started_on = models.DateField(null=True, blank=True, help_text="Empty while planned.")
    stopped_on = models.DateField(null=True, blank=True)
    withheld_since = models.DateField(
        null=True, blank=True,
        help_text="Zoledronic acid interrupted for renal deterioration (BTA-04) since.",
    )

    class Meta:
        triggers = bumps_facts_version()
        ordering = ["patient_id", "-started_on"]

    def __str__(self) -> str:
        return f"{self.get_agent_display()} {self.dose_mg} mg every {self.interval_weeks} wk"

    def clean(self) -> None:
        _check_dates(self.started_on, self.stopped_on, "stopped_on")


@audited()
class SystemicTherapy(models.Model):
    """A systemic anticancer treatment or a drug that matters to the bone plan
    (ADT, abiraterone + prednisone, chemotherapy, anti-angiogenics, corticosteroids…)."""

    patient = models.ForeignKey(
        Patient, on_delete=models.CASCADE, related_name="systemic_therapies"
    )
    kind = models.CharField(max_length=30, choices=SystemicTherapyKind.choices)
    drug = models.CharField(max_length=120, blank=True)
    started_on = models.DateField(null=True, blank=True, help_text="Empty while planned.")
    stopped_on = models.DateField(null=True, blank=True)
    planned = models.BooleanField(
        default=False, help_text="Planned or being considered (counts for RAD-04 and ONJ)."
    )

    class Meta:
        triggers = bumps_facts_version()
        ordering = ["patient_id", "-started_on"]
        verbose_name_plural = "systemic therapies"

    def __str__(self) -> str:
        return self.drug or self.get_kind_display()

    def clean(self) -> None:
        _check_dates(self.started_on, self.stopped_on, "stopped_on")


@audited()
class RadiotherapyCourse(models.Model):
    """A course of radiotherapy to one site (EBRT or SBRT)."""

    patient = models.ForeignKey(
        Patient, on_delete=models.CASCADE, related_name="radiotherapy_courses"
    )
    lesion = models.ForeignKey(
        Lesion, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="radiotherapy_courses",
    )
    site = models.CharField(max_length=120)
    dose_gy = models.DecimalField(
        max_digits=5, decimal_places=2,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("100"))],
    )
    fractions = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    technique = models.CharField(
        max_length=15, choices=RadiotherapyTechnique.choices,
        default=RadiotherapyTechnique.CONVENTIONAL,
    )
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)

    class Meta:
        triggers = bumps_facts_version()
        ordering = ["patient_id", "-started_on"]

    def __str__(self) -> str:
        return f"{self.site}: {self.dose_gy} Gy / {self.fractions}"

    def clean(self) -> None:
        _check_dates(self.started_on, self.ended_on, "ended_on")


@audited()
class SurgicalProcedure(models.Model):
    """An operation or vertebral augmentation on a bone metastasis."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="surgeries")
    lesion = models.ForeignKey(
        Lesion, on_delete=models.SET_NULL, null=True, blank=True, related_name="surgeries"
    )
    kind = models.CharField(max_length=20, choices=SurgeryKind.choices)
    performed_on = models.DateField()
    notes = models.TextField(blank=True)

    class Meta:
        triggers = bumps_facts_version()
        ordering = ["patient_id", "-performed_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.performed_on}"


@audited()
class RadioisotopeCourse(models.Model):
    """A course of a bone-seeking radiopharmaceutical (radium-223, Sr-89, Sm-153)."""

    patient = models.ForeignKey(
        Patient, on_delete=models.CASCADE, related_name="radioisotope_courses"
    )
    agent = models.CharField(max_length=20, choices=Radioisotope.choices)
    doses_given = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(6)]
    )
    first_dose_on = models.DateField(null=True, blank=True)
    last_dose_on = models.DateField(null=True, blank=True)
    planned = models.BooleanField(default=False)

    class Meta:
        triggers = bumps_facts_version()
        ordering = ["patient_id", "-first_dose_on"]

    def __str__(self) -> str:
        return f"{self.get_agent_display()} × {self.doses_given}"

    def clean(self) -> None:
        _check_dates(self.first_dose_on, self.last_dose_on, "last_dose_on")
        if self.doses_given and self.first_dose_on is None:
            raise ValidationError({"first_dose_on": "Give the date of the first dose."})
