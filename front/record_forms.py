"""Forms that record the case in the browser. Each is a ModelForm so the model's own
validation (ranges, dates not in the future, the plausibility checks the model and its
`clean()` carry) is shown at the field; the write itself is a `cases.services` call."""

from __future__ import annotations

from django import forms

from cases.models import Patient

#: The patient-level facts the engine asks for, grouped as the form shows them.
STATUS_SECTIONS: list[tuple[str, list[str]]] = [
    ("Performance status and survival", ["ecog", "ecog_assessed_on", "expected_survival"]),
    ("Pain", ["worst_pain_nrs", "pain_uncontrolled"]),
    ("Disease", ["bone_disease_extent"]),
    ("Weight", ["weight_kg", "weight_measured_on"]),
    ("Neurological status", ["neurological_deficit", "suspected_cord_compression"]),
    ("Dental status", ["last_dental_exam_on", "pending_invasive_dental_work"]),
]
STATUS_FIELDS = [name for _title, names in STATUS_SECTIONS for name in names]

#: The engine's fact path (a "what to chase" item) → the form field that supplies it.
CHASE_FIELDS = {
    "ecog": "ecog",
    "pain.worst_nrs": "worst_pain_nrs",
    "pain.uncontrolled": "pain_uncontrolled",
    "bone_disease_extent": "bone_disease_extent",
    "expected_survival": "expected_survival",
    "patient.weight_kg": "weight_kg",
    "dental.last_exam_date": "last_dental_exam_on",
    "neurology.deficit": "neurological_deficit",
}

_YES_NO_UNKNOWN = [("", "Not known"), ("true", "Yes"), ("false", "No")]


def _yes_no(value):
    return {"true": True, "false": False}.get(value)


class PatientStatusForm(forms.ModelForm):
    class Meta:
        model = Patient
        fields = STATUS_FIELDS
        widgets = {name: forms.DateInput(attrs={"type": "date"})
                   for name in ("ecog_assessed_on", "weight_measured_on", "last_dental_exam_on")}

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
