"""After the meeting: the outcome letters and the FHIR export of a signed decision
version, and the minutes of a held meeting (cases/documents.py, cases/fhir_export.py).

Every page is scoped (a signed decision or a meeting of the user's boards, else 404)
and recorded in the read audit: `view` for the HTML pages, `export` for the PDF and
FHIR downloads. Sending emails a board member the page's link, never the content.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from cases import documents, selectors
from cases.choices import LetterAudience
from cases.fhir_export import decision_bundle_json
from cases.models import PatientAccess
from front.views.common import audit, error_text, require_perm

EXPORT = PatientAccess.Action.EXPORT


def _letter(request, decision_pk, audience):
    if audience not in LetterAudience.values:
        raise Http404("No such letter.")
    decision = selectors.signed_decision_for(user=request.user, pk=decision_pk)
    letters = {letter.audience: letter
               for letter in documents.letters_for_decision(decision=decision)}
    return decision, letters[audience]


def _recipients(decision):
    return [seat.user for seat in selectors.board_members(
        board_id=decision.agenda_item.meeting.board_id) if seat.user.email
        and seat.user.is_active]


@login_required
def decision_letter(request, decision_pk, audience):
    decision, letter = _letter(request, decision_pk, audience)
    audit(request, [decision.agenda_item.patient_id])
    return render(request, "cases/document_page.html", {
        "title": letter.get_audience_display(), "body": letter.html, "decision": decision,
        "item": decision.agenda_item, "letter": letter,
        "pdf_url_args": [decision.pk, audience], "recipients": _recipients(decision),
    })


@login_required
def decision_letter_pdf(request, decision_pk, audience):
    decision, letter = _letter(request, decision_pk, audience)
    audit(request, [decision.agenda_item.patient_id], action=EXPORT)
    response = HttpResponse(bytes(letter.pdf), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="letter-{audience}-decision-{decision.pk}-v'
        f'{letter.decision_version}.pdf"')
    return response


@login_required
@require_POST
def decision_letter_send(request, decision_pk, audience):
    decision, letter = _letter(request, decision_pk, audience)
    by_id = {str(user.pk): user for user in _recipients(decision)}
    recipient = by_id.get(request.POST.get("recipient", ""))
    if recipient is None:
        messages.error(request, "Nothing was sent: choose a member of this board who has "
                                "an email address.")
    else:
        try:
            documents.letter_send(letter=letter, sent_by=request.user, recipient=recipient)
        except ValidationError as error:
            messages.error(request, f"Nothing was sent: {error_text(error)}")
        else:
            messages.success(request, f"A link to the letter was emailed to "
                                      f"{recipient.get_full_name() or recipient.username}.")
    return redirect("cases:decision_letter", decision_pk=decision.pk, audience=audience)


@login_required
def decision_fhir(request, decision_pk):
    decision = selectors.signed_decision_for(user=request.user, pk=decision_pk)
    body = decision_bundle_json(documents.signed_plan(decision=decision))
    audit(request, [decision.agenda_item.patient_id], action=EXPORT)
    response = HttpResponse(body, content_type="application/fhir+json")
    response["Content-Disposition"] = (
        f'attachment; filename="decision-{decision.pk}-v{decision.version}.fhir.json"')
    return response


def _minutes(request, pk):
    meeting = selectors.meeting_for(user=request.user, pk=pk)
    try:
        minutes = documents.minutes_of(meeting=meeting)
    except ValidationError:
        raise Http404("This meeting has not been held: it has no minutes yet.") from None
    return meeting, minutes


@login_required
def minutes(request, pk):
    meeting, minutes = _minutes(request, pk)
    audit(request, [c.item.patient_id for c in minutes.cases])
    return render(request, "cases/document_page.html", {
        "title": "Minutes of the meeting", "body": documents.minutes_body(minutes),
        "meeting": meeting, "minutes": minutes,
        "can_circulate": request.user.has_perm("cases.manage_meeting", meeting),
    })


@login_required
def minutes_pdf(request, pk):
    meeting, minutes = _minutes(request, pk)
    pdf, _pages = documents.render_pdf(documents.minutes_body(minutes),
                                       title="Minutes of the meeting")
    audit(request, [c.item.patient_id for c in minutes.cases], action=EXPORT)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="minutes-meeting-{meeting.pk}-'
        f'{meeting.starts_at:%Y-%m-%d}.pdf"')
    return response


@login_required
@require_POST
def minutes_circulate(request, pk):
    meeting, _minutes_doc = _minutes(request, pk)
    require_perm(request, "cases.manage_meeting", meeting)
    try:
        sent = documents.minutes_circulate(meeting=meeting, sent_by=request.user)
    except ValidationError as error:
        messages.error(request, f"Nothing was sent: {error_text(error)}")
    else:
        messages.success(request, f"A link to the minutes was emailed to {len(sent)} "
                                  f"member{'s' if len(sent) != 1 else ''}.")
    return redirect("cases:minutes", pk=meeting.pk)
