"""Forms that record the case in the browser. Each is a ModelForm so the model's own
validation (ranges, dates not in the future, the plausibility checks the model and its
`clean()` carry) is shown at the field; the write itself is a `cases.services` call."""

from __future__ import annotations

from django import forms

from cases.models import Patient

#: The patient-level facts the engine asks for, grouped as the form shows them.
STATUS_SECTIONS: list[tuple[str, list[str]]] = [
    ("Performance status and survival", ["ecog", "ecog_assessed_on", "expected_survival"]),
    ("Pain", ["worst_pain_nrs", "pain_uncontrolled", "new_thigh_hip_groin_pain"]),
    ("Disease", ["bone_disease_extent", "visceral_metastases", "brain_metastases",
                 "nodal_metastases"]),
    ("Weight and kidneys", ["weight_kg", "weight_measured_on", "on_dialysis"]),
    ("Neurological status", ["neurological_deficit", "suspected_cord_compression",
                             "neurological_onset_on", "mri_contraindicated",
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
    "patient.weight_kg": "weight_kg",
    "patient.weight_date": "weight_measured_on",
    "patient.on_dialysis": "on_dialysis",
    "neurology.deficit": "neurological_deficit",
    "neurology.suspected_cord_compression": "suspected_cord_compression",
    "neurology.onset_date": "neurological_onset_on",
    "neurology.mri_contraindicated": "mri_contraindicated",
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


class PatientStatusForm(forms.ModelForm):
    class Meta:
        model = Patient
        fields = STATUS_FIELDS
        widgets = {name: forms.DateInput(attrs={"type": "date"})
                   for name in ("ecog_assessed_on", "weight_measured_on", "last_dental_exam_on",
                                "neurological_onset_on")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Yes / no / not known as a plain choice: "not known" is what the engine chases.
        for name, field in self.fields.items():
            if isinstance(field, forms.NullBooleanField):
                self.fields[name] = forms.TypedChoiceField(
                    label=field.label, required=False, choices=_YES_NO_UNKNOWN,
                    coerce=_yes_no, empty_value=None, help_text=field.help_text)
                initial = getattr(self.instance, name)
                self.initial[name] = "" if initial is None else str(initial).lower()

    def sections(self):
        return [(title, [self[name] for name in names]) for title, names in STATUS_SECTIONS]
