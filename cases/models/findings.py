"""What has been found: lesions (raw findings only), imaging studies and lab results.

Scores (SINS, Mirels) are never stored or typed in: the recommendation engine computes
them from these raw findings, so a corrected finding corrects the score.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from cases.choices import (
    ANALYTE_UNITS,
    LONG_BONES,
    VERTEBRAL_LEVELS,
    Alignment,
    Bone,
    CorticalInvolvement,
    EsccGrade,
    ImagingModality,
    LabAnalyte,
    LabUnit,
    Laterality,
    LesionType,
    LimbPain,
    LongBoneSegment,
    PosterolateralInvolvement,
    RadiotherapyTechnique,
    SpinalPain,
)
from cases.models._audit import audited
from cases.models._facts_version import bumps_facts_version
from cases.models.patient import Patient
from cases.plausibility import Verdict, lab_verdict
from cases.units import convert
from cases.validators import not_in_future, percentage, plausible_lab_value, viewer_link

_SPINAL_BONES = {Bone.VERTEBRA, Bone.SACRUM}


@audited()
class Lesion(models.Model):
    """One bone metastasis as the radiologist and clinician describe it.

    Spinal lesions carry the SINS findings (level, pain, lesion type, alignment,
    collapse, posterolateral involvement); long-bone lesions carry the Mirels findings
    (segment, pain, lesion type, cortical involvement). Unknown findings stay empty —
    the engine reports a range and names what is missing.
    """

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="lesions")
    bone = models.CharField(max_length=20, choices=Bone.choices)
    vertebral_level = models.CharField(max_length=3, choices=VERTEBRAL_LEVELS, blank=True)
    long_bone_segment = models.CharField(
        max_length=20, choices=LongBoneSegment.choices, blank=True
    )
    laterality = models.CharField(max_length=10, choices=Laterality.choices, blank=True)
    lesion_type = models.CharField(max_length=15, choices=LesionType.choices, blank=True)

    painful = models.BooleanField(null=True, blank=True)
    spinal_pain = models.CharField(
        "pain type (SINS)", max_length=12, choices=SpinalPain.choices, blank=True
    )
    alignment = models.CharField(max_length=20, choices=Alignment.choices, blank=True)
    collapse_percent = models.DecimalField(
        "vertebral body collapse (%)", max_digits=4, decimal_places=1, null=True, blank=True,
        validators=[percentage],
    )
    body_involvement_percent = models.DecimalField(
        "vertebral body involved (%)", max_digits=4, decimal_places=1, null=True, blank=True,
        validators=[percentage],
    )
    posterolateral = models.CharField(
        "posterolateral involvement", max_length=12,
        choices=PosterolateralInvolvement.choices, blank=True,
    )
    limb_pain = models.CharField(
        "pain severity (Mirels)", max_length=12, choices=LimbPain.choices, blank=True
    )
    cortical_involvement = models.CharField(
        "cortical involvement (Mirels)", max_length=12,
        choices=CorticalInvolvement.choices, blank=True,
    )
    soft_tissue_mass = models.BooleanField(null=True, blank=True)
    epidural_extension = models.BooleanField(null=True, blank=True)
    escc_grade = models.CharField(
        "epidural compression grade (Bilsky)", max_length=2, choices=EsccGrade.choices,
        blank=True,
    )
    neuropathic_pain = models.BooleanField(
        "neuropathic (radicular) pain", null=True, blank=True,
        help_text="Radiotherapy 20 Gy in 5 fractions rather than 8 Gy (TROG 96.05).",
    )
    pathological_fracture = models.BooleanField(null=True, blank=True)
    bone_scan_uptake = models.BooleanField(null=True, blank=True)

    prior_rt_dose_gy = models.DecimalField(
        "prior radiotherapy dose (Gy)", max_digits=5, decimal_places=2, null=True, blank=True,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("100"))],
    )
    prior_rt_fractions = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    prior_rt_on = models.DateField(null=True, blank=True, validators=[not_in_future])
    prior_rt_technique = models.CharField(
        max_length=15, choices=RadiotherapyTechnique.choices, blank=True
    )

    notes = models.TextField(blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        triggers = bumps_facts_version()
        ordering = ["patient_id", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(collapse_percent__isnull=True)
                | models.Q(collapse_percent__gte=0, collapse_percent__lte=100),
                name="lesion_collapse_is_a_percentage",
            ),
            models.CheckConstraint(
                condition=models.Q(body_involvement_percent__isnull=True)
                | models.Q(body_involvement_percent__gte=0, body_involvement_percent__lte=100),
                name="lesion_involvement_is_a_percentage",
            ),
        ]

    def __str__(self) -> str:
        return f"Lesion #{self.pk} ({self.site_label})"

    @property
    def is_spinal(self) -> bool:
        return self.bone in _SPINAL_BONES

    @property
    def is_long_bone(self) -> bool:
        return self.bone in LONG_BONES

    @property
    def site_label(self) -> str:
        if self.vertebral_level:
            return self.vertebral_level
        parts = [self.get_laterality_display() if self.laterality else "",
                 self.get_long_bone_segment_display() if self.long_bone_segment else "",
                 self.get_bone_display()]
        return " ".join(p for p in parts if p)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.vertebral_level and not self.is_spinal:
            errors["vertebral_level"] = "A vertebral level applies to spinal lesions only."
        if self.is_spinal and not self.vertebral_level:
            errors["vertebral_level"] = "Give the vertebral level (C1–S5) of a spinal lesion."
        if self.bone == Bone.SACRUM and self.vertebral_level and not (
            self.vertebral_level.startswith("S")
        ):
            errors["vertebral_level"] = "A sacral lesion is at S1–S5."
        if self.bone == Bone.VERTEBRA and self.vertebral_level.startswith("S"):
            errors["bone"] = "S1–S5 are sacral: choose the sacrum."
        if self.long_bone_segment and not self.is_long_bone:
            errors["long_bone_segment"] = "A segment applies to long bones only."
        if (
            self.long_bone_segment == LongBoneSegment.PERITROCHANTERIC
            and self.bone != Bone.FEMUR
        ):
            errors["long_bone_segment"] = "Peritrochanteric applies to the femur only."
        for field in ("spinal_pain", "alignment", "posterolateral", "escc_grade"):
            if getattr(self, field) and not self.is_spinal:
                errors[field] = "This SINS finding applies to spinal lesions only."
        for field in ("collapse_percent", "body_involvement_percent"):
            if getattr(self, field) is not None and not self.is_spinal:
                errors[field] = "This SINS finding applies to spinal lesions only."
        for field in ("limb_pain", "cortical_involvement"):
            if getattr(self, field) and not self.is_long_bone:
                errors[field] = "This Mirels finding applies to long bones only."
        rt = (self.prior_rt_dose_gy, self.prior_rt_fractions, self.prior_rt_on)
        if any(v is not None for v in rt) and not all(v is not None for v in rt):
            missing = [
                name for name, v in zip(
                    ("prior_rt_dose_gy", "prior_rt_fractions", "prior_rt_on"), rt, strict=True
                ) if v is None
            ]
            for name in missing:
                errors[name] = "Prior radiotherapy needs dose, fractions and date together."
        if errors:
            raise ValidationError(errors)


@audited()
class ImagingStudy(models.Model):
    """One imaging study (CT, MRI, bone scan, PET-CT, radiograph) and its report."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="imaging")
    modality = models.CharField(max_length=20, choices=ImagingModality.choices)
    region = models.CharField(max_length=120)
    performed_on = models.DateField(validators=[not_in_future])
    report = models.TextField(blank=True)
    suspected_flare = models.BooleanField(
        default=False,
        help_text="New or brighter lesions within ~12 weeks of starting treatment may be "
        "healing (flare), not progression (IMG-02).",
    )
    lesions = models.ManyToManyField(Lesion, blank=True, related_name="imaging_studies")
    viewer_url = models.URLField(
        "viewer (PACS) link", max_length=500, blank=True, validators=[viewer_link],
        help_text="Where the images open in the hospital's viewer; https only in production.",
    )

    class Meta:
        triggers = bumps_facts_version()
        ordering = ["-performed_on", "-id"]
        verbose_name_plural = "imaging studies"

    def __str__(self) -> str:
        return f"{self.get_modality_display()} {self.region} on {self.performed_on}"


@audited()
class LabResult(models.Model):
    """One laboratory value, always with the unit it was reported in."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="labs")
    analyte = models.CharField(max_length=20, choices=LabAnalyte.choices)
    value = models.DecimalField(
        max_digits=9, decimal_places=3, validators=[MinValueValidator(Decimal("0"))]
    )
    unit = models.CharField(max_length=12, choices=LabUnit.choices)
    taken_at = models.DateTimeField(validators=[not_in_future])

    class Meta:
        triggers = bumps_facts_version()
        ordering = ["patient_id", "analyte", "-taken_at"]
        indexes = [models.Index(fields=["patient", "analyte", "-taken_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(value__gte=0), name="lab_value_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_analyte_display()} {self.value} {self.unit}"

    def clean(self) -> None:
        allowed = ANALYTE_UNITS.get(self.analyte, ())
        if self.analyte and self.unit and self.unit not in allowed:
            raise ValidationError({
                "unit": f"{self.get_analyte_display()} is reported in "
                f"{' or '.join(allowed)}, not {self.unit}."
            })
        if self.value is None or self.value < 0:
            return  # the field's own validators report it
        try:
            plausible_lab_value(self.analyte, self.unit, self.value)
        except ValidationError as exc:
            raise ValidationError({"value": exc.error_list}) from None

    @property
    def plausibility(self) -> Verdict:
        """PLAUSIBLE, or IMPLAUSIBLE: stored as recorded, flagged on the pages and left
        out of the engine's facts (`cases.plausibility`)."""
        return lab_verdict(self.analyte, self.unit, float(self.value))

    @property
    def is_implausible(self) -> bool:
        return self.plausibility is not Verdict.PLAUSIBLE

    def value_in(self, unit: str) -> Decimal:
        """This value converted to `unit` (raises `cases.units.UnitError` if impossible)."""
        return convert(self.analyte, self.value, self.unit, unit)
