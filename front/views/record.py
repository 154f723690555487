"""Recording the case in the browser: registering a patient, the status form, and one
form per table of the clinical record (lesions with a live score preview, imaging,
labs, treatments). Each form validates, then calls a cases service, which checks the
role again (`cases/rules.py`) and writes through the audit triggers.

Where a form came from decides where saving goes back to: `?item=<agenda item>` (the
agenda's "what to chase" links) returns to that agenda row, where the case's readiness
is recomputed; `?next=<path on this site>` to that page; otherwise the patient's record.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from cases import selectors, services
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
from front import record_forms as rf
from front.views.common import audit, require_perm
from front.views.drafts import score_view
from recommendations import vocabulary
from recommendations.scores import lesion_scores
from recommendations.selectors import fact_rows

# --- Where saving returns to ------------------------------------------------------------

def safe_next(request) -> str:
    """The `next` path if it is a page of this site (same host, no scheme of its own),
    else "". Anything else — another site, `//host`, `javascript:` — is ignored."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not target.startswith("/") or target.startswith("//"):
        return ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        return ""
    return target


def _return_url(request, patient) -> str:
    """Back to the agenda row the chase link came from, else `next`, else the record."""
    item_pk = request.GET.get("item", "")
    if item_pk.isdigit():
        item = selectors.agenda_item_for(user=request.user, pk=int(item_pk))
        if item.patient_id == patient.pk:
            return reverse("cases:agenda", args=[item.meeting_id]) + f"#item-{item.pk}"
    return safe_next(request) or reverse("cases:patient_record", args=[patient.pk])


def _carry(request) -> str:
    """The query string that keeps `item` / `next` from page to page."""
    keep = {k: request.GET[k] for k in ("item", "next", "baseline") if request.GET.get(k)}
    return f"?{urlencode(keep)}" if keep else ""


def _posted(request):
    """The submitted data, or None for a GET: an empty POST is still a submit (and
    shows what is required), unlike `request.POST or None`."""
    return request.POST if request.method == "POST" else None


def _add_errors(form, error: ValidationError, *, prefix: str = "") -> None:
    """A service's field errors onto the form's fields (the rest above the form)."""
    if not hasattr(error, "message_dict"):
        form.add_error(None, error)
        return
    for field, field_messages in error.message_dict.items():
        name = field.removeprefix(prefix) if prefix and field.startswith(prefix) else field
        if prefix and not field.startswith(prefix):
            continue
        target = name if name in form.fields else None
        for message in field_messages:
            form.add_error(target, message)


# --- The patient ------------------------------------------------------------------------

@login_required
def patient_register(request):
    boards = selectors.boards_registering(user=request.user)
    if not boards:  # evaluates (and caches) the boards once
        raise PermissionDenied
    data = _posted(request)
    form = rf.PatientRegisterForm(data, boards=boards)
    primary_form = rf.RegisterPrimaryCancerForm(data)
    if request.method == "POST":
        # Validate both forms, then let the service decide (board-scoped uniqueness, the
        # role): every error shows at once, field by field; nothing is saved.
        valid = form.is_valid()
        has_primary = primary_form.has_primary()
        primary_valid = primary_form.is_valid() if has_primary else True
        if valid and primary_valid:
            form.instance.board = form.cleaned_data["board"]
            try:
                patient = services.patient_register(
                    patient=form.instance, by=request.user,
                    primary=primary_form.instance if has_primary else None)
            except ValidationError as error:
                _add_errors(form, error)
                _add_errors(primary_form, error, prefix="primary.")
            else:
                messages.success(request, "Patient registered.")
                return redirect("cases:patient_record", pk=patient.pk)
    return render(request, "cases/patient_register.html",
                  {"form": form, "primary_form": primary_form})


@login_required
def patient_details_edit(request, pk):
    patient = selectors.patient_for(user=request.user, pk=pk)
    require_perm(request, "cases.register_patient", patient)
    back = _return_url(request, patient)
    form = rf.PatientIdentityForm(_posted(request), instance=patient)
    if request.method == "POST" and form.is_valid():
        try:
            services.patient_details_change(patient=form.instance, by=request.user)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Patient details saved.")
            return redirect(back)
    audit(request, [patient.pk])
    return render(request, "cases/record_form.html", {
        "patient": patient, "form": form, "back": back, "title": "Patient details",
        "submit": "Save details",
    })


@login_required
def patient_status_edit(request, pk):
    patient = selectors.patient_for(user=request.user, pk=pk)
    require_perm(request, "cases.change_clinical_data", patient)
    back = _return_url(request, patient)
    form = rf.PatientStatusForm(_posted(request), instance=patient)
    if request.method == "POST" and form.is_valid():
        try:
            services.clinical_record_save(instance=form.instance, by=request.user)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, "Status saved.")
            return redirect(back)
    audit(request, [patient.pk])
    return render(request, "cases/patient_status_form.html",
                  {"patient": patient, "form": form, "back": back})


@login_required
def patient_record(request, pk):
    """Everything recorded about the patient, table by table, with add / edit / delete
    where the user's role allows. Fixed number of queries (`selectors.patient_record`)."""
    patient = selectors.patient_record(user=request.user, pk=pk)
    lesions = [{"lesion": lesion, "scores": _scores_of(lesion)}
               for lesion in patient.lesions.all()]
    audit(request, [patient.pk])
    return render(request, "cases/patient_record.html", {
        "patient": patient,
        "primary": getattr(patient, "primary", None),
        "lesions": lesions,
        "can_edit": request.user.has_perm("cases.change_clinical_data", patient),
        "can_delete": request.user.has_perm("cases.delete_clinical_data", patient),
        "can_edit_details": request.user.has_perm("cases.register_patient", patient),
    })


# --- One table of the record ------------------------------------------------------------

@dataclass(frozen=True)
class Kind:
    """One table of the clinical record as the pages show it."""

    model: type
    form: type
    title: str
    #: The record page's section (anchor) that lists these rows.
    section: str
    #: The form links the row to one of the patient's lesions (choices to load).
    lesion_choices: bool = False
    #: The list of the engine's facts these rows make (`FACT_ROW_ORDER`), if any.
    facts: str = ""


KINDS: dict[str, Kind] = {
    "primary": Kind(PrimaryCancer, rf.PrimaryCancerForm, "primary cancer", "primary"),
    "lesion": Kind(Lesion, rf.LesionForm, "lesion", "lesions"),
    "imaging": Kind(ImagingStudy, rf.ImagingStudyForm, "imaging study", "imaging",
                    lesion_choices=True, facts="imaging"),
    "lab": Kind(LabResult, rf.LabResultForm, "lab result", "labs"),
    "bone-agent": Kind(BoneTargetedAgentCourse, rf.BoneTargetedAgentCourseForm,
                       "bone-targeted agent course", "treatments",
                       facts="bone_targeted_agents"),
    "systemic": Kind(SystemicTherapy, rf.SystemicTherapyForm, "systemic therapy",
                     "treatments", facts="systemic_therapies"),
    "radiotherapy": Kind(RadiotherapyCourse, rf.RadiotherapyCourseForm,
                         "radiotherapy course", "treatments", lesion_choices=True,
                         facts="radiotherapy_courses"),
    "surgery": Kind(SurgicalProcedure, rf.SurgicalProcedureForm, "operation", "treatments",
                    lesion_choices=True, facts="surgeries"),
    "radioisotope": Kind(RadioisotopeCourse, rf.RadioisotopeCourseForm,
                         "radiopharmaceutical course", "treatments",
                         facts="radioisotope_courses"),
}


def _kind(slug: str) -> Kind:
    kind = KINDS.get(slug)
    if kind is None:
        raise Http404("No such part of the record.")
    return kind


def _form_for(kind: Kind, patient: Patient, data, instance, initial=None):
    kwargs = {"instance": instance, "initial": initial or {}}
    if kind.lesion_choices:
        kwargs["patient_lesions"] = selectors.patient_lesions(patient=patient)
    return kind.form(data, **kwargs)


def _initial_from_query(kind: Kind, request) -> dict:
    """A chase link may say which row to start (`?analyte=creatinine` for a missing
    creatinine): known model fields only, as choices the form validates again."""
    names = {f.name for f in kind.model._meta.concrete_fields}
    return {k: v for k, v in request.GET.items() if k in names and k != "patient"}


def _row_page(request, patient, kind_slug, kind, instance, *, initial=None):
    back = _return_url(request, patient)
    form = _form_for(kind, patient, _posted(request), instance, initial)
    if request.method == "POST" and form.is_valid():
        row = form.instance
        row.patient = patient
        m2m = form.m2m() if hasattr(form, "m2m") else {}
        try:
            services.clinical_record_save(instance=row, by=request.user, m2m=m2m)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, f"{kind.title.capitalize()} saved.")
            return redirect(back)
    audit(request, [patient.pk])
    context = {
        "patient": patient, "form": form, "back": back, "kind": kind, "kind_slug": kind_slug,
        "title": (f"Edit {kind.title}" if instance.pk else f"Add {kind.title}"),
        "submit": f"Save {kind.title}", "row": instance if instance.pk else None,
        "can_delete": instance.pk and request.user.has_perm("cases.delete_clinical_data",
                                                            patient),
        "carry": _carry(request),
    }
    if kind.model is LabResult and request.GET.get("baseline"):
        context["note"] = ("The creatinine before the first zoledronic acid dose (BTA-03, "
                           "BTA-04): give the result taken on or before the day the first "
                           "course started, with that date.")
    if kind.model is Lesion:
        context["preview"] = _preview_of(form)
        context["preview_url"] = reverse("cases:lesion_score_preview", args=[patient.pk])
    return render(request, "cases/record_form.html", context)


@login_required
def record_row_new(request, pk, kind):
    patient = selectors.patient_for(user=request.user, pk=pk)
    spec = _kind(kind)
    require_perm(request, "cases.change_clinical_data", patient)
    if spec.model is PrimaryCancer and getattr(patient, "primary", None) is not None:
        # One primary cancer per patient: correct the one recorded.
        return redirect(reverse("cases:record_row_edit",
                                args=[patient.pk, kind, patient.primary.pk]) + _carry(request))
    return _row_page(request, patient, kind, spec, spec.model(patient=patient),
                     initial=_initial_from_query(spec, request))


@login_required
def record_row_edit(request, pk, kind, row_pk):
    patient = selectors.patient_for(user=request.user, pk=pk)
    spec = _kind(kind)
    row = selectors.record_row_for(patient=patient, model=spec.model, pk=row_pk)
    require_perm(request, "cases.change_clinical_data", patient)
    return _row_page(request, patient, kind, spec, row)


@login_required
def record_row_at(request, pk, kind, index):
    """The row the engine means by ``<list>.<index>`` (a "what to chase" item): its edit
    form, found in the engine's own order (`recommendations.selectors.fact_rows`)."""
    patient = selectors.patient_for(user=request.user, pk=pk)
    spec = _kind(kind)
    if not spec.facts:
        raise Http404("No such part of the record.")
    rows = fact_rows(patient, spec.facts)
    if index >= len(rows):
        raise Http404("That row is no longer in the record.")
    url = reverse("cases:record_row_edit", args=[patient.pk, kind, rows[index].pk])
    # The field to focus travels in the fragment, which the browser keeps on a redirect.
    return redirect(url + _carry(request))


@login_required
def record_row_delete(request, pk, kind, row_pk):
    patient = selectors.patient_for(user=request.user, pk=pk)
    spec = _kind(kind)
    row = selectors.record_row_for(patient=patient, model=spec.model, pk=row_pk)
    require_perm(request, "cases.delete_clinical_data", patient)
    back = safe_next(request) or reverse("cases:patient_record", args=[patient.pk])
    error = ""
    if request.method == "POST":
        try:
            services.clinical_record_delete(instance=row, by=request.user)
        except ValidationError as exc:
            error = " ".join(exc.message_dict.get(NON_FIELD_ERRORS, exc.messages))
        else:
            messages.success(request, f"{spec.title.capitalize()} deleted.")
            return redirect(back + f"#{spec.section}" if "#" not in back else back)
    audit(request, [patient.pk])
    return render(request, "cases/record_delete.html", {
        "patient": patient, "row": row, "kind": spec, "back": back, "error": error,
    })


# --- The live score preview ---------------------------------------------------------------

def _scores_of(lesion: Lesion) -> list:
    """The engine's SINS and/or Mirels of a lesion, shaped for `_score.html`, with the
    missing findings in words."""
    if not lesion.bone:
        return []
    raw = lesion_scores(lesion)
    out = []
    for kind in ("sins", "mirels"):
        if raw[kind] is None:
            continue
        score = score_view(kind, raw[kind])
        score.missing_labels = [vocabulary.field_label(f"lesions.0.{name}")
                                for name in raw[kind]["missing"]]
        out.append(score)
    return out


def _preview_of(form) -> list:
    """Scores of the findings as typed so far: valid fields only (an invalid or empty
    one counts as missing — the engine gives the range)."""
    form.is_valid()
    return _scores_of(form.instance)


@login_required
@require_POST
def lesion_score_preview(request, pk):
    """The htmx fragment under the lesion form: the engine's score of the findings
    chosen so far. Nothing is saved."""
    patient = selectors.patient_for(user=request.user, pk=pk)
    require_perm(request, "cases.change_clinical_data", patient)
    form = rf.LesionForm(request.POST, instance=Lesion(patient=patient))
    return render(request, "cases/_score_preview.html", {"preview": _preview_of(form)})
