"""The patient and the disease: who is being discussed, and what they have."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Upper
from django.utils import timezone

from cases.choices import (
    ECOG,
    BoneDiseaseExtent,
    CastrationStatus,
    Her2Status,
    HormoneReceptorStatus,
    PrimarySite,
    Sex,
    SurvivalBand,
)
from cases.models._audit import audited
from cases.models._facts_version import (
    FACTS_VERSION_TABLE,
    bumps_facts_version,
    patient_facts_version,
)
from cases.models.board import Board
from cases.plausibility import MEASURE_BOUNDS, date_of_birth_problem
from cases.validators import not_in_future, plausible_node_size


class PatientQuerySet(models.QuerySet):
    def visible_to(self, user) -> PatientQuerySet:
        """The patients of the boards `user` belongs to — the one scoping rule that
        every page, API view and export goes through (see `cases.scoping`)."""
        if not user.is_authenticated:
            return self.none()
        board_ids = getattr(user, "member_board_ids", None)
        if board_ids is not None:
            # Read with the user by the API's token authentication, in the same query
            # (`cases.api.authentication`): a one-table query is cheaper to compile and
            # to plan than the join below (≈ 0.5 ms of CPU per API page).
            return self.filter(board_id__in=board_ids)
        return self.filter(board__memberships__user=user)


@audited()
class Patient(models.Model):
    """A person with bone metastases referred to a board.

    Identifiers (names, hospital number, date of birth) live only here; emails, logs and
    the recommendation engine use the opaque `id`.
    Clinical state that changes over time but is needed "as of now" by the engine
    (performance status, neurological and dental status, weight) is recorded with the
    date it was assessed.
    """

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="patients")
    #: Unique within the board (two hospitals' boards may use the same numbering);
    #: `cases.services.patient_register` also refuses the same number in another case.
    hospital_number = models.CharField(max_length=32)
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(validators=[not_in_future])
    sex = models.CharField(max_length=10, choices=Sex.choices)

    weight_kg = models.DecimalField(
        max_digits=5, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(Decimal("20")), MaxValueValidator(Decimal("350"))],
        help_text="Actual body weight, used for creatinine clearance (Cockcroft–Gault).",
    )
    weight_measured_on = models.DateField(null=True, blank=True, validators=[not_in_future])

    # Extra-skeletal disease: None means "not known yet" — the engine asks for it.
    visceral_metastases = models.BooleanField(null=True, blank=True)
    brain_metastases = models.BooleanField(null=True, blank=True)
    nodal_metastases = models.BooleanField(null=True, blank=True)
    largest_node_short_axis_cm = models.DecimalField(
        "largest nodal metastasis, short axis (cm)", max_digits=3, decimal_places=1,
        null=True, blank=True, validators=[plausible_node_size],
        help_text="The radiologist's measurement on the latest staging. Radium-223: "
        "ALSYMPCA enrolled men without lymph nodes of 3 cm or more.",
    )
    metastasis_count = models.PositiveSmallIntegerField(
        "number of metastases (bone and non-bone)", null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(500)],
        help_text="All metastatic lesions on the latest staging, bone and non-bone "
        "(oligometastatic: 1–5, ESTRO–ASTRO 2020).",
    )
    all_metastases_treatable = models.BooleanField(
        "every metastatic site safely treatable", null=True, blank=True,
        help_text="Part of the ESTRO–ASTRO oligometastatic definition.",
    )

    bone_disease_extent = models.CharField(
        max_length=20, choices=BoneDiseaseExtent.choices, blank=True
    )
    on_dialysis = models.BooleanField(null=True, blank=True)

    worst_pain_nrs = models.PositiveSmallIntegerField(
        "worst pain (0–10)", null=True, blank=True, validators=[MaxValueValidator(10)]
    )
    pain_uncontrolled = models.BooleanField(null=True, blank=True)
    new_thigh_hip_groin_pain = models.BooleanField(
        null=True, blank=True,
        help_text="New thigh, hip or groin pain on a bone-targeted agent (BTA-09: image "
        "both femora for an atypical fracture).",
    )

    ecog = models.PositiveSmallIntegerField(
        "ECOG performance status", choices=ECOG.choices, null=True, blank=True
    )
    ecog_assessed_on = models.DateField(null=True, blank=True, validators=[not_in_future])
    expected_survival = models.CharField(
        max_length=10, choices=SurvivalBand.choices, blank=True
    )

    neurological_deficit = models.BooleanField(null=True, blank=True)
    suspected_cord_compression = models.BooleanField(null=True, blank=True)
    neurological_onset_on = models.DateField(null=True, blank=True, validators=[not_in_future])
    cord_compression_on_imaging = models.BooleanField(null=True, blank=True)
    compression_levels = models.PositiveSmallIntegerField(
        "separate areas of compression", null=True, blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
    )
    mri_contraindicated = models.BooleanField(null=True, blank=True)
    ambulatory = models.BooleanField(
        "able to walk", null=True, blank=True,
        help_text="With or without aids, before treatment (MSCC: Patchell, Rades).",
    )
    motor_deficit_days = models.PositiveSmallIntegerField(
        "days over which the motor deficit developed", null=True, blank=True,
        validators=[MaxValueValidator(365)],
        help_text="Before radiotherapy; a factor of the Rades scores.",
    )
    rades_ambulatory_score = models.PositiveSmallIntegerField(
        "Rades score for walking after radiotherapy (21–44)", null=True, blank=True,
        validators=[MinValueValidator(21), MaxValueValidator(44)],
        help_text="Rades 2008, from its five factors; the engine reads the total with the "
        "paper's groups.",
    )
    spinal_instability_signs = models.BooleanField(
        "neurological symptoms or signs suggesting spinal instability", null=True, blank=True,
        help_text="With suspected cord compression: immobilise at once and get an expert "
        "spinal opinion within 24 hours (MSCC-04).",
    )
    paraplegic = models.BooleanField(null=True, blank=True)
    paraplegic_since = models.DateTimeField(
        null=True, blank=True,
        help_text="When complete paraplegia began; > 48 h argues against decompression "
        "(Patchell 2005).",
    )

    last_dental_exam_on = models.DateField(null=True, blank=True, validators=[not_in_future])
    pending_invasive_dental_work = models.BooleanField(null=True, blank=True)
    unhealed_oral_lesions = models.BooleanField(null=True, blank=True)
    poor_oral_hygiene = models.BooleanField(null=True, blank=True)
    periodontal_disease = models.BooleanField(null=True, blank=True)
    ill_fitting_dentures = models.BooleanField(null=True, blank=True)

    # Co-medication that matters with zoledronic acid (Zometa label §5.3, §7; BTA-11).
    # None: not yet reviewed — the engine asks for it while zoledronic acid is in play.
    on_aminoglycoside = models.BooleanField("on an aminoglycoside", null=True, blank=True)
    on_loop_diuretic = models.BooleanField("on a loop diuretic", null=True, blank=True)
    on_other_nephrotoxic_drug = models.BooleanField(
        "on another potentially nephrotoxic drug", null=True, blank=True
    )
    other_nephrotoxic_drugs = models.CharField(
        "which nephrotoxic drugs", max_length=200, blank=True,
        help_text="E.g. ciclosporin, cisplatin, vancomycin.",
    )
    on_nsaid = models.BooleanField(
        "on an NSAID", null=True, blank=True,
        help_text="Not named in the zoledronic acid label; shown as a potentially nephrotoxic "
        "drug.",
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PatientQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name", "id"]
        indexes = [
            models.Index(fields=["board", "family_name", "given_name", "id"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(largest_node_short_axis_cm__isnull=True)
                | models.Q(
                    largest_node_short_axis_cm__gte=MEASURE_BOUNDS["nodal_short_axis_cm"][0],
                    largest_node_short_axis_cm__lte=MEASURE_BOUNDS["nodal_short_axis_cm"][1],
                ),
                name="patient_node_short_axis_0_30_cm",
            ),
            models.UniqueConstraint(
                "board", Upper("hospital_number"), name="patient_hospital_number_per_board",
                violation_error_message="This board already has a patient with this "
                "hospital number.", violation_error_code="hospital_number_taken",
            ),
        ]
        triggers = patient_facts_version()

    def __str__(self) -> str:
        # Deliberately not the name: __str__ ends up in logs and admin messages.
        return f"Patient #{self.pk}"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    def age_on(self, day: date) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def validate_constraints(self, exclude=None) -> None:
        """The hospital number's uniqueness within the board is a constraint on an
        expression (any case of letters), which Django reports above the form; it is
        the hospital number's problem, so it is reported at that field."""
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as exc:
            errors = exc.update_error_dict({})
            general = errors.pop(NON_FIELD_ERRORS, [])
            taken = [e for e in general if getattr(e, "code", "") == "hospital_number_taken"]
            if taken:
                errors.setdefault("hospital_number", []).extend(taken)
            rest = [e for e in general if e not in taken]
            if rest:
                errors[NON_FIELD_ERRORS] = rest
            raise ValidationError(errors) from None

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.weight_kg is not None and self.weight_measured_on is None:
            errors["weight_measured_on"] = "Give the date the weight was measured."
        if self.ecog is not None and self.ecog_assessed_on is None:
            errors["ecog_assessed_on"] = "Give the date the performance status was assessed."
        if (
            self.weight_measured_on and self.date_of_birth
            and self.weight_measured_on < self.date_of_birth
        ):
            errors["weight_measured_on"] = "The weight cannot predate the date of birth."
        today = timezone.localdate()
        # A future date is the field validator's (not_in_future); this is the age bound.
        if self.date_of_birth is not None and self.date_of_birth <= today:
            problem = date_of_birth_problem(self.date_of_birth, today=today)
            if problem:
                errors["date_of_birth"] = problem
        if self.other_nephrotoxic_drugs and self.on_other_nephrotoxic_drug is False:
            errors["other_nephrotoxic_drugs"] = (
                "Nephrotoxic drugs are named but 'on another potentially nephrotoxic drug' is No."
            )
        if self.paraplegic_since is not None and self.paraplegic is False:
            errors["paraplegic_since"] = "A paraplegia onset is given but paraplegic is No."
        if errors:
            raise ValidationError(errors)


@audited()
class PrimaryCancer(models.Model):
    """The primary tumour behind the bone metastases (one per patient)."""

    patient = models.OneToOneField(Patient, on_delete=models.CASCADE, related_name="primary")
    site = models.CharField(max_length=20, choices=PrimarySite.choices)
    histology = models.CharField(max_length=200, blank=True)
    diagnosed_on = models.DateField(null=True, blank=True, validators=[not_in_future])
    castration_status = models.CharField(
        max_length=12, choices=CastrationStatus.choices, blank=True,
        help_text="Prostate only.",
    )
    # Two facts, not one phenotype: a combined value cannot say HR-positive, HER2-positive,
    # nor the hormone-receptor status of a HER2-positive cancer (issue #12).
    hormone_receptor_status = models.CharField(
        "hormone receptors (ER/PR)", max_length=8, choices=HormoneReceptorStatus.choices,
        blank=True, help_text="Breast only. Positive if ER or PR is positive (1 % or more).",
    )
    her2_status = models.CharField(
        "HER2", max_length=8, choices=Her2Status.choices, blank=True,
        help_text="Breast only. An IHC 2+ awaiting ISH is not known yet.",
    )
    prior_mcrpc_lines = models.PositiveSmallIntegerField(
        null=True, blank=True,
        validators=[MaxValueValidator(20)],
        help_text="Lines of systemic therapy for mCRPC so far (EU radium-223 label).",
    )

    class Meta:
        triggers = bumps_facts_version()

    def __str__(self) -> str:
        return f"Primary cancer of patient #{self.patient_id}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.castration_status and self.site != PrimarySite.PROSTATE:
            errors["castration_status"] = "Castration status applies to prostate cancer only."
        if self.hormone_receptor_status and self.site != PrimarySite.BREAST:
            errors["hormone_receptor_status"] = (
                "Hormone-receptor status applies to breast cancer only.")
        if self.her2_status and self.site != PrimarySite.BREAST:
            errors["her2_status"] = "HER2 status applies to breast cancer only."
        if self.prior_mcrpc_lines is not None and self.site != PrimarySite.PROSTATE:
            errors["prior_mcrpc_lines"] = "mCRPC lines apply to prostate cancer only."
        if errors:
            raise ValidationError(errors)


class PatientFactsVersion(models.Model):
    """How many times the part of a patient's record the engine reads has been written:
    bumped by PostgreSQL triggers (`cases.models._facts_version`), never by Django. A
    draft plan computed at an older version is stale."""

    patient = models.OneToOneField(
        Patient, on_delete=models.CASCADE, primary_key=True, related_name="facts_version"
    )
    version = models.BigIntegerField(default=1)

    class Meta:
        db_table = FACTS_VERSION_TABLE

    def __str__(self) -> str:
        return f"Facts version {self.version} of patient #{self.patient_id}"
