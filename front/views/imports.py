"""Importing from the hospital's systems in the browser: upload a FHIR bundle or an HL7 v2
message, read the preview (new / updated / unchanged per resource, errors, codes not
imported), then confirm. The upload and the confirmation are HTMX partials; without
JavaScript the same views answer with the whole page."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.http import require_POST

from cases import selectors, services
from cases.models import ImportSource
from front.views.common import audit, error_text

#: An upload larger than this is refused (a bundle of 1,000 results is ≈ 0.5 MB).
MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class ImportForm(forms.Form):
    board = forms.ChoiceField()
    source = forms.ChoiceField(label="Kind of file", choices=ImportSource.choices)
    file = forms.FileField(label="The file", help_text="A FHIR R4 Bundle (.json) or an HL7 "
                           "v2 ORU^R01 message (.hl7, .txt).")

    def __init__(self, *args, boards, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.boards = {str(b.pk): b for b in boards}
        self.fields["board"].choices = [(b.pk, b.name) for b in boards]

    def clean_board(self):
        return self.boards[self.cleaned_data["board"]]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError("The file is larger than 10 MB: split it.")
        try:
            return upload.name, upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError("The file is not text (UTF-8).") from None


def _template(request, page: str, partial: str) -> str:
    return partial if request.htmx else page


@login_required
def import_upload(request):
    boards = selectors.import_boards_for(user=request.user)
    if not boards:
        # Signed in but on no board (an administrator): say why, rather than a bare 403.
        return render(request, "cases/import.html", {"no_boards": True}, status=403)
    form = ImportForm(request.POST or None, request.FILES or None, boards=boards)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        filename, content = form.cleaned_data["file"]
        batch, plan = services.records_import_preview(
            board=form.cleaned_data["board"], user=request.user,
            source=form.cleaned_data["source"], content=content, filename=filename)
        audit(request, plan.patient_ids)
        context.update(batch=batch, plan=plan)
    elif request.method == "POST":
        context["form_errors"] = True
    return render(request, _template(request, "cases/import.html", "cases/_import_preview.html"),
                  context)


@login_required
@require_POST
def import_confirm(request, pk):
    batch = selectors.import_batch_for(user=request.user, pk=pk)
    context: dict = {"batch": batch}
    try:
        plan = services.records_import_confirm(batch=batch, user=request.user)
    except ValidationError as error:
        context["refused"] = error_text(error)
    else:
        audit(request, plan.patient_ids)
        context.update(plan=plan, imported=plan.ok)
    return render(request, _template(request, "cases/import.html", "cases/_import_preview.html"),
                  context)
