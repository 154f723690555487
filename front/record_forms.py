"""Forms that record the case in the browser. Each is a ModelForm so the model's own
validation (ranges, dates not in the future, the plausibility checks the model and its
`clean()` carry) is shown at the field; the write itself is a `cases.services` call."""

from __future__ import annotations

from django import forms

from cases.choices import ANALYTE_UNITS, LabAnalyte
from cases.models import (
    BoneTargetedAgentCourse,
    ImagingStudy,
    LabResult,
    Lesion,
    Patient,
    PrimaryCancer,
    RadioisotopeCourse,
    RadiotherapyCourse,
    SurgicalProcedure,
    SystemicTherapy,
)

#: The patient-level facts the engine asks for, grouped as the form shows them.
STATUS_SECTIONS: list[tuple[str, list[str]]] = [
    ("Performance status and survival", ["ecog", "ecog_assessed_on", "expected_survival"]),
    ("Pain", ["worst_pain_nrs", "pain_uncontrolled", "new_thigh_hip_groin_pain"]),
    ("Disease", ["bone_disease_extent", "visceral_metastases", "brain_metastases",
                 "nodal_metastases", "largest_node_short_axis_cm", "metastasis_count",
                 "all_metastases_treatable"]),
    ("Weight and kidneys", ["weight_kg", "weight_measured_on", "on_dialysis"]),
    ("Neurological status", ["neurological_deficit", "suspected_cord_compression",
                             "neurological_onset_on", "mri_contraindicated",
                             "cord_compression_on_imaging", "compression_levels",
                             "paraplegic", "paraplegic_since", "ambulatory",
                             "motor_deficit_days", "rades_ambulatory_score",
                             "spinal_instability_signs"]),
    ("Co-medication (with zoledronic acid)", ["on_aminoglycoside", "on_loop_diuretic",
                                              "on_other_nephrotoxic_drug",
                                              "other_nephrotoxic_drugs", "on_nsaid"]),
    ("Dental status", ["last_dental_exam_on", "pending_invasive_dental_work",
                       "unhealed_oral_lesions", "poor_oral_hygiene", "periodontal_disease",
                       "ill_fitting_dentures"]),
]
STATUS_FIELDS = [name for _title, names in STATUS_SECTIONS for name in names]

#: The engine's fact path (a "what to chase" item, `recommendations.vocabulary`) → the
#: form field that supplies it.
CHASE_FIELDS = {
    "ecog": "ecog",
    "ecog_date": "ecog_assessed_on",
    "expected_survival": "expected_survival",
    "pain.worst_nrs": "worst_pain_nrs",
    "pain.uncontrolled": "pain_uncontrolled",
    "pain.new_thigh_hip_groin_pain": "new_thigh_hip_groin_pain",
    "bone_disease_extent": "bone_disease_extent",
    "extraskeletal.visceral": "visceral_metastases",
    "extraskeletal.brain": "brain_metastases",
    "extraskeletal.nodal": "nodal_metastases",
    "extraskeletal.nodal_short_axis_cm": "largest_node_short_axis_cm",
    "extraskeletal.metastasis_count": "metastasis_count",
    "extraskeletal.all_sites_treatable": "all_metastases_treatable",
    "patient.weight_kg": "weight_kg",
    "patient.weight_date": "weight_measured_on",
    "patient.on_dialysis": "on_dialysis",
    "neurology.deficit": "neurological_deficit",
    "neurology.suspected_cord_compression": "suspected_cord_compression",
    "neurology.onset_date": "neurological_onset_on",
    "neurology.mri_contraindicated": "mri_contraindicated",
    "neurology.cord_compression_on_imaging": "cord_compression_on_imaging",
    "neurology.compression_levels": "compression_levels",
    "neurology.paraplegic": "paraplegic",
    "neurology.paraplegia_onset": "paraplegic_since",
    "neurology.paraplegia_duration_hours": "paraplegic_since",
    "neurology.ambulatory": "ambulatory",
    "neurology.motor_deficit_days": "motor_deficit_days",
    "neurology.rades_ambulatory_score": "rades_ambulatory_score",
    "neurology.instability_signs": "spinal_instability_signs",
    "co_medication.aminoglycoside": "on_aminoglycoside",
    "co_medication.loop_diuretic": "on_loop_diuretic",
    "co_medication.other_nephrotoxic": "on_other_nephrotoxic_drug",
    "co_medication.other_nephrotoxic_names": "other_nephrotoxic_drugs",
    "co_medication.nsaid": "on_nsaid",
    "dental.last_exam_date": "last_dental_exam_on",
    "dental.invasive_work_pending": "pending_invasive_dental_work",
    "dental.unhealed_oral_lesions": "unhealed_oral_lesions",
    "dental.poor_oral_hygiene": "poor_oral_hygiene",
    "dental.periodontal_disease": "periodontal_disease",
    "dental.ill_fitting_dentures": "ill_fitting_dentures",
}

_YES_NO_UNKNOWN = [("", "Not known"), ("true", "Yes"), ("false", "No")]


def _yes_no(value):
    return {"true": True, "false": False}.get(value)


def _date(**attrs):
    return forms.DateInput(attrs={"type": "date", **attrs}, format="%Y-%m-%d")


class RecordForm(forms.ModelForm):
    """A form of the clinical record: yes / no / not known as a plain choice ("not
    known" is what the engine chases), dates as date pickers."""

    #: (title, field names) of the form's fieldsets; None: one fieldset of every field.
    SECTIONS: list[tuple[str, list[str]]] | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in list(self.fields.items()):
            if isinstance(field, forms.NullBooleanField):
                self.fields[name] = forms.TypedChoiceField(
                    label=field.label, required=False, choices=_YES_NO_UNKNOWN,
                    coerce=_yes_no, empty_value=None, help_text=field.help_text)
                initial = self.initial.get(name, getattr(self.instance, name, None))
                self.initial[name] = "" if initial is None else str(initial).lower()
            elif isinstance(field, forms.DateField):
                field.widget = _date()

    def sections(self):
        groups = self.SECTIONS or [("", list(self.fields))]
        return [(title, [self[name] for name in names if name in self.fields])
                for title, names in groups]


class PatientStatusForm(RecordForm):
    SECTIONS = STATUS_SECTIONS

    class Meta:
        model = Patient
        fields = STATUS_FIELDS
        widgets = {"paraplegic_since": forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                           format="%Y-%m-%dT%H:%M")}


#: Who the patient is: set when registering, corrected by whoever may register.
IDENTITY_FIELDS = ["hospital_number", "family_name", "given_name", "date_of_birth", "sex"]


class PatientIdentityForm(RecordForm):
    class Meta:
        model = Patient
        fields = IDENTITY_FIELDS


class PatientRegisterForm(PatientIdentityForm):
    """A new patient on one of the boards where the user may register patients.

    The board is a plain field, not a model one: the hospital number's uniqueness
    within the board is then the service's check (`patient_register`), reported at the
    field whatever the case of the letters, not the database constraint's message above
    the form."""

    board = forms.ModelChoiceField(queryset=None, empty_label=None)
    field_order = ["board", *IDENTITY_FIELDS]

    def __init__(self, *args, boards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["board"].queryset = boards
        if len(boards) == 1:
            self.fields["board"].widget = forms.HiddenInput()
            self.initial.setdefault("board", boards[0].pk)


class PrimaryCancerForm(RecordForm):
    class Meta:
        model = PrimaryCancer
        fields = ["site", "histology", "diagnosed_on", "castration_status",
                  "hormone_receptor_status", "her2_status", "prior_mcrpc_lines"]


class RegisterPrimaryCancerForm(PrimaryCancerForm):
    """The primary cancer on the registration page: optional as a whole (the site may
    not be known yet: the engine then asks for it), prefixed ``primary``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="primary", **kwargs)
        self.fields["site"].required = False

    def has_primary(self) -> bool:
        return bool(self.is_bound and self.data.get(self.add_prefix("site")))


#: The raw findings the engine scores, by score: SINS for the spine, Mirels for long
#: bones. Scores are never typed in (`docs/engine.md`).
SINS_FIELDS = ["vertebral_level", "spinal_pain", "lesion_type", "alignment",
               "collapse_percent", "body_involvement_percent", "posterolateral"]
MIRELS_FIELDS = ["long_bone_segment", "laterality", "limb_pain", "cortical_involvement"]
LESION_SECTIONS = [
    ("Where", ["bone"]),
    ("Spine: the SINS findings", SINS_FIELDS),
    ("Long bone: the Mirels findings (lesion type above counts for both)", MIRELS_FIELDS),
    ("Other findings", ["painful", "neuropathic_pain", "soft_tissue_mass", "epidural_extension",
                        "escc_grade", "pathological_fracture", "bone_scan_uptake"]),
    ("Radiotherapy to this site before", ["prior_rt_dose_gy", "prior_rt_fractions",
                                          "prior_rt_on", "prior_rt_technique"]),
    ("Notes", ["notes"]),
]


class LesionForm(RecordForm):
    SECTIONS = LESION_SECTIONS

    class Meta:
        model = Lesion
        fields = [name for _title, names in LESION_SECTIONS for name in names]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}
        labels = {"prior_rt_dose_gy": "Dose (Gy)", "prior_rt_fractions": "Fractions",
                  "prior_rt_on": "Date", "prior_rt_technique": "Technique",
                  "soft_tissue_mass": "Soft-tissue mass"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Mirels' lesion type is the same finding as SINS': one field, shown once.
        self.fields["lesion_type"].help_text = "Counts for SINS and for Mirels."


class ImagingStudyForm(RecordForm):
    lesions = forms.ModelMultipleChoiceField(
        queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
        label="Lesions this study shows")
    # https is assumed when the scheme is left out; the model's validator refuses
    # anything but https in production (`cases.validators.viewer_link`).
    viewer_url = forms.URLField(
        label="Viewer (PACS) link", required=False, max_length=500, assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
        help_text="Where the images open in the hospital's viewer; https only.")

    class Meta:
        model = ImagingStudy
        fields = ["modality", "region", "performed_on", "report", "suspected_flare",
                  "viewer_url", "lesions"]
        widgets = {"report": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, patient_lesions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lesions"].queryset = patient_lesions
        self.fields["lesions"].label_from_instance = lambda lesion: lesion.site_label

    def m2m(self) -> dict:
        return {"lesions": self.cleaned_data.get("lesions", [])}


class LabResultForm(RecordForm):
    """A result with the unit it was reported in: the unit is kept as recorded, never
    converted (the engine converts where a rule needs to)."""

    class Meta:
        model = LabResult
        fields = ["analyte", "value", "unit", "taken_at"]
        widgets = {"taken_at": forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                   format="%Y-%m-%dT%H:%M")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].help_text = "; ".join(
            f"{LabAnalyte(a).label}: {', '.join(_unit_label(u) for u in units)}"
            for a, units in ANALYTE_UNITS.items())


def _unit_label(unit: str) -> str:
    return dict(LabResult._meta.get_field("unit").choices).get(unit, unit)


class BoneTargetedAgentCourseForm(RecordForm):
    class Meta:
        model = BoneTargetedAgentCourse
        fields = ["agent", "dose_mg", "interval_weeks", "started_on", "stopped_on",
                  "withheld_since"]
        labels = {"started_on": "Started on (empty while planned)"}


class SystemicTherapyForm(RecordForm):
    class Meta:
        model = SystemicTherapy
        fields = ["kind", "drug", "started_on", "stopped_on", "planned"]
        labels = {"started_on": "Started on (empty while planned)"}


class _LesionChoiceForm(RecordForm):
    def __init__(self, *args, patient_lesions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lesion"].queryset = patient_lesions
        self.fields["lesion"].label_from_instance = lambda lesion: lesion.site_label
        self.fields["lesion"].empty_label = "Not a recorded lesion"

    def m2m(self) -> dict:
        return {}


class RadiotherapyCourseForm(_LesionChoiceForm):
    class Meta:
        model = RadiotherapyCourse
        fields = ["lesion", "site", "dose_gy", "fractions", "technique", "started_on",
                  "ended_on"]


class SurgicalProcedureForm(_LesionChoiceForm):
    class Meta:
        model = SurgicalProcedure
        fields = ["lesion", "kind", "performed_on", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}


class RadioisotopeCourseForm(RecordForm):
    class Meta:
        model = RadioisotopeCourse
        fields = ["agent", "doses_given", "first_dose_on", "last_dose_on", "planned"]
