"""Documents written from the board's signed record: outcome letters and minutes.

Everything here reads the SIGNED decision version's typed actions
(`DecisionItem.action`, `cases.actions`), never a draft: a letter is written once per
signed version and stored (`cases.models.letters.OutcomeLetter`, immutable), so what
the GP and the patient read is what the chair signed. An amendment is a new version
and gets its own letters.

Two letters per version:
- to the GP: the board's question, its decision, each action in the clinic's words
  (`cases.actions.action_summary`) with its date, and who to contact;
- to the patient: the same plan in plain words (`patient_sentence` below: no codes, no
  doses in units, no abbreviations beyond "CT" and "MRI" scans), checked by a test
  for a Flesch reading ease of at least 60 and a Flesch–Kincaid grade of at most 8
  (`cases/tests/test_documents.py` says why those targets).

HTML comes from Django templates (`cases/templates/cases/documents/`), PDF from
WeasyPrint (it needs Pango: README, "System packages"). The PDF is rendered with the
one stylesheet `boardsite/static/boardsite/documents.css`, which the HTML pages link
too; WeasyPrint fetches nothing else (the templates carry no URL of their own).

Sending is a link: `document_link_send` emails a board member the URL of the letter's
or the minutes' page (behind the login) in fixed words, and records a
`DocumentDispatch` row. The content never goes by email.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse

from cases.actions import (
    AGENT_LIMITS,
    URGENCY_DAYS,
    action_summary,
)
from cases.choices import (
    AgendaItemStatus,
    BoardRole,
    DocumentKind,
    LetterAudience,
    MeetingStatus,
)
from cases.models import (
    AgendaItem,
    Attendance,
    BoardMembership,
    Decision,
    DecisionItem,
    DocumentDispatch,
    Meeting,
    OutcomeLetter,
)
from cases.scoping import has_board_role

STYLESHEET = "boardsite/documents.css"

#: The marker another part of the product may put on a decision signed in the
#: standard-of-care block (NHS England, "Streamlining MDT meetings", 2020). The minutes
#: show "Signed as standard of care" when the Decision model has one of these boolean
#: fields; until then every case is listed as discussed.
STANDARD_OF_CARE_FIELDS = ("signed_as_standard_of_care", "standard_of_care")
_DECISION_FIELDS = {f.name for f in Decision._meta.get_fields()}
STANDARD_OF_CARE_FIELD = next((n for n in STANDARD_OF_CARE_FIELDS if n in _DECISION_FIELDS),
                              None)


def long_date(day: date | str | None) -> str:
    """"Tuesday 8 December 2026": the date as a letter writes it."""
    if not day:
        return ""
    if isinstance(day, str):
        day = date.fromisoformat(day[:10])
    return f"{day:%A} {day.day} {day:%B %Y}"


# --- The actions in plain words (the patient's letter) -----------------------------------

#: Each medicine: what it is called, and what it does, in words a patient reads.
_MEDICINE_WORDS = {
    "zoledronic_acid": ("zoledronic acid", "This medicine helps to keep your bones strong."),
    "denosumab": ("denosumab", "This medicine helps to keep your bones strong."),
    "radium_223": ("radium-223", "This medicine gives a small dose of radiation to the "
                                 "cancer in your bones."),
    "sr89_sm153": ("a medicine called a radionuclide", "It gives a small dose of radiation "
                                                       "to your bones to ease the pain."),
    "dexamethasone": ("dexamethasone", "This medicine brings down swelling."),
    "analgesic": ("pain relief", "It should help with the pain."),
    "calcium_vitamin_d": ("calcium and vitamin D", "These help to keep your bones strong."),
    "other": ("a medicine", ""),
}
_ROUTE_WORDS = {"iv": "as a drip into a vein", "sc": "as an injection under the skin",
                "oral": "by mouth", "other": ""}
_PROCEDURE_WORDS = {
    "fixation": "an operation to make the weak bone stronger",
    "stabilisation": "an operation to make your spine more stable",
    "decompression": "an operation to take the pressure off the nerves in your spine",
    "vertebral_augmentation": "a small procedure to put bone cement into the weak bone "
                              "in your spine",
    "orthopaedic_opinion": "a visit to a bone surgeon",
    "spinal_opinion": "a visit to a spine surgeon",
    "dental_review": "a check-up with a dentist",
    "palliative_care": "a visit to the team who help with pain and other symptoms",
    "oncology_review": "a visit to your cancer doctor",
    "other": "one more appointment",
}
_WHEN_WORDS = {"emergency": "today", "urgent": "within a week",
               "routine": "in the next few weeks"}
_SCAN_WORDS = {"ct": "a CT scan", "mri": "an MRI scan", "xr": "an X-ray",
               "bone_scan": "a bone scan", "pet_ct": "a PET-CT scan",
               "xr_ct": "an X-ray and a CT scan", "other": "a scan"}


def patient_sentences(action: dict[str, Any]) -> list[str]:
    """What one signed action means for the patient, in short plain sentences."""
    kind = action.get("kind")
    if kind == "medication":
        name, purpose = _MEDICINE_WORDS.get(action.get("agent", "other"),
                                            _MEDICINE_WORDS["other"])
        verb = action.get("verb", "start")
        if verb == "withhold":
            test = AGENT_LIMITS[action["agent"]].recheck_test if action.get("agent") else ""
            text = [f"We will pause {name} for now."]
            if action.get("recheck_on"):
                what = "a blood test" if test else "a check-up"
                text.append(f"You will have {what} by {long_date(action['recheck_on'])}. "
                            "Then we will decide when to start it again.")
            return text
        if verb == "stop":
            return [f"You will stop {name}."]
        text = [f"You will {'keep taking' if verb == 'continue' else 'start'} {name}."]
        if purpose:
            text.append(purpose)
        how = _ROUTE_WORDS.get(action.get("route", ""), "")
        if action.get("interval_weeks"):
            text.append(f"You will have it {how + ' ' if how else ''}every "
                        f"{action['interval_weeks']} weeks.")
        elif how:
            text.append(f"You will have it {how}.")
        if action.get("first_dose_on"):
            text.append(f"The first dose is planned for {long_date(action['first_dose_on'])}.")
        return text
    if kind == "radiotherapy":
        sessions = action.get("fractions") or 1
        text = ["You will have radiotherapy. It uses X-rays to treat the bone and ease "
                "the pain."]
        if action.get("technique") == "sbrt":
            text.append("It is a very precise kind of radiotherapy.")
        text.append("You will have it in one visit." if sessions == 1
                    else f"You will have it in {sessions} visits.")
        if action.get("start_on"):
            text.append(f"It should start on {long_date(action['start_on'])}.")
        return text
    if kind == "procedure":
        what = _PROCEDURE_WORDS.get(action.get("procedure", "other"), _PROCEDURE_WORDS["other"])
        when = (f"by {long_date(action['due_on'])}" if action.get("due_on")
                else _WHEN_WORDS.get(action.get("urgency", "routine"), ""))
        return [f"We will arrange {what} {when}.".replace(" .", ".")]
    if kind == "investigation":
        what = action.get("investigation")
        if what == "imaging":
            test = _SCAN_WORDS.get(action.get("modality", "other"), "a scan")
        elif what == "lab":
            test = "a blood test"
        else:
            test = "a check-up with your team"
        if action.get("with_doses"):
            return [f"You will have {test} before each dose of your medicine."]
        when = f" by {long_date(action['due_on'])}" if action.get("due_on") else ""
        return [f"You will have {test}{when}."]
    # The board's own words may use terms a patient does not know: the letter says
    # there is more and who explains it, and the GP's letter carries the words.
    return ["Your team will also talk with you about one more part of the plan."]


def action_date(action: dict[str, Any]) -> str:
    """The one date an action is due, for the GP's table ("" when it has none)."""
    for name in ("first_dose_on", "start_on", "due_on", "recheck_on", "end_on"):
        if action.get(name):
            return long_date(action[name])
    if action.get("kind") == "procedure" and action.get("urgency"):
        days = URGENCY_DAYS[action["urgency"]]
        # URGENCY_DAYS count from the sign-off, as the reminders do.
        return "Today" if days == 0 else f"Within {days} days of the sign-off"
    if action.get("with_doses"):
        return "Before each dose"
    return ""


# --- Reading a signed decision ------------------------------------------------------------

@dataclass(frozen=True)
class Contact:
    name: str
    role: str
    email: str


@dataclass
class SignedPlan:
    """What a letter is written from: one signed version, its actions, the contacts."""

    decision: Decision
    actions: list[DecisionItem]
    contacts: list[Contact] = field(default_factory=list)


def _contacts(board_id: int) -> list[Contact]:
    seats = (BoardMembership.objects.filter(board_id=board_id, role=BoardRole.COORDINATOR)
             .select_related("user").order_by("user__last_name", "user__id"))
    return [Contact(name=s.user.get_full_name() or s.user.username,
                    role="MDT coordinator", email=s.user.email) for s in seats]


def signed_plan(*, decision: Decision) -> SignedPlan:
    """The signed version with its patient, meeting, board and actions (4 queries).
    Refuses an unsigned decision: letters and exports are of what the chair signed."""
    decision = (
        Decision.objects.select_related(
            "agenda_item__patient__primary", "agenda_item__meeting__board", "signed_by",
            "amends")
        .prefetch_related(Prefetch("items", queryset=DecisionItem.objects.order_by(
            "position", "id")))
        .get(pk=decision.pk)
    )
    if not decision.is_signed:
        raise ValidationError({"decision": "Only a signed decision has letters and "
                                           "exports; sign it first."})
    actions = [i for i in decision.items.all() if i.action_kind]
    return SignedPlan(decision=decision, actions=actions,
                      contacts=_contacts(decision.agenda_item.meeting.board_id))


def _letter_context(plan: SignedPlan) -> dict[str, Any]:
    decision = plan.decision
    item = decision.agenda_item
    return {
        "decision": decision, "item": item, "patient": item.patient,
        "meeting": item.meeting, "board": item.meeting.board,
        "meeting_day": long_date(item.meeting.starts_at.date()),
        "signed_day": long_date(decision.signed_at.date()),
        "signed_by": decision.signed_by.get_full_name() or decision.signed_by.username,
        "gp_actions": [{"text": action_summary(i.action), "when": action_date(i.action),
                        "changed": i.reason if i.verdict in ("modified", "added") else ""}
                       for i in plan.actions],
        "patient_actions": [" ".join(patient_sentences(i.action)) for i in plan.actions],
        "contacts": plan.contacts,
        "date_of_birth": long_date(item.patient.date_of_birth),
    }


def render_pdf(body_html: str, *, title: str) -> tuple[bytes, int]:
    """The PDF of one document body, and its page count."""
    stylesheet = finders.find(STYLESHEET)
    document = render_to_string("cases/documents/pdf.html", {"body": body_html,
                                                              "title": title})
    rendered = weasyprint.HTML(string=document).render(
        stylesheets=[weasyprint.CSS(filename=stylesheet)])
    return rendered.write_pdf(), len(rendered.pages)


_TEMPLATES = {LetterAudience.GP: "cases/documents/letter_gp.html",
              LetterAudience.PATIENT: "cases/documents/letter_patient.html"}


def letter_body(plan: SignedPlan, audience: str) -> str:
    return render_to_string(_TEMPLATES[audience], _letter_context(plan))


def letters_for_decision(*, decision: Decision) -> list[OutcomeLetter]:
    """The GP's and the patient's letters of a signed version, written (and stored)
    the first time they are asked for; afterwards always the stored ones."""
    existing = {letter.audience: letter
                for letter in OutcomeLetter.objects.filter(decision_id=decision.pk)}
    if len(existing) == len(LetterAudience):
        return [existing[a] for a in LetterAudience.values]
    plan = signed_plan(decision=decision)
    for audience in LetterAudience.values:
        if audience in existing:
            continue
        body = letter_body(plan, audience)
        pdf, pages = render_pdf(body, title=LetterAudience(audience).label)
        try:
            with transaction.atomic():
                existing[audience] = OutcomeLetter.objects.create(
                    decision=plan.decision, audience=audience,
                    decision_version=plan.decision.version,
                    signature_id=plan.decision.signature_id, html=body, pdf=pdf,
                    pdf_sha256=hashlib.sha256(pdf).hexdigest(), pages=pages)
        except IntegrityError:
            # Written by a request at the same moment: the first one stands.
            existing[audience] = OutcomeLetter.objects.get(decision_id=decision.pk,
                                                           audience=audience)
    return [existing[a] for a in LetterAudience.values]


def latest_signed_decision(decisions: list[Decision]) -> Decision | None:
    signed = [d for d in decisions if d.is_signed]
    return signed[-1] if signed else None


# --- Minutes of a held meeting ---------------------------------------------------------------

_NOT_DISCUSSED = {
    AgendaItemStatus.REFERRED: "Not discussed: the case was not reached at the meeting.",
    AgendaItemStatus.READY: "Not discussed: the case was not reached at the meeting.",
    AgendaItemStatus.DEFERRED: "Not discussed: deferred to a later meeting.",
    AgendaItemStatus.DISCUSSED: "Discussed, but the decision is not signed yet.",
}


@dataclass
class MinutesCase:
    item: AgendaItem
    decision: Decision | None
    actions: list[str]
    not_discussed: str
    standard_of_care: bool


@dataclass
class Minutes:
    meeting: Meeting
    cases: list[MinutesCase]
    present: list[Attendance]
    absent: list[Attendance]

    @property
    def standard_of_care(self) -> list[MinutesCase]:
        return [c for c in self.cases if c.standard_of_care]

    @property
    def discussed(self) -> list[MinutesCase]:
        return [c for c in self.cases if not c.standard_of_care]


def minutes_of(*, meeting: Meeting) -> Minutes:
    """Each case's signed outcome (the latest signed version) or why it has none, and
    who attended. Three queries whatever the number of cases."""
    if meeting.status != MeetingStatus.HELD:
        raise ValidationError({"meeting": "Minutes are written for a held meeting only."})
    signed = Prefetch("decisions", queryset=Decision.objects.filter(
        signed_at__isnull=False).select_related("signed_by").prefetch_related(
        Prefetch("items", queryset=DecisionItem.objects.order_by("position", "id")))
        .order_by("version"), to_attr="signed_versions")
    items = list(AgendaItem.objects.filter(meeting=meeting).select_related("patient")
                 .prefetch_related(signed).order_by("-urgent", "position", "id"))
    cases = []
    for item in items:
        decision = item.signed_versions[-1] if item.signed_versions else None
        cases.append(MinutesCase(
            item=item, decision=decision,
            actions=[action_summary(i.action) for i in decision.items.all()
                     if i.action_kind] if decision else [],
            not_discussed="" if decision else _NOT_DISCUSSED.get(
                item.status, "Not discussed."),
            standard_of_care=bool(decision and STANDARD_OF_CARE_FIELD
                                  and getattr(decision, STANDARD_OF_CARE_FIELD)),
        ))
    attendances = list(Attendance.objects.filter(meeting=meeting).select_related("user")
                       .order_by("user__last_name", "user__id"))
    return Minutes(meeting=meeting, cases=cases,
                   present=[a for a in attendances if a.attended],
                   absent=[a for a in attendances if not a.attended])


def minutes_body(minutes: Minutes) -> str:
    meeting = minutes.meeting
    return render_to_string("cases/documents/minutes.html", {
        "minutes": minutes, "meeting": meeting, "board": meeting.board,
        "meeting_day": long_date(meeting.starts_at.date()),
        "standard_of_care_known": STANDARD_OF_CARE_FIELD is not None,
    })


# --- Sending a link -----------------------------------------------------------------------------

def _letter_path(letter: OutcomeLetter) -> str:
    return reverse("cases:decision_letter", args=[letter.decision_id, letter.audience])


def _minutes_path(meeting: Meeting) -> str:
    return reverse("cases:minutes", args=[meeting.pk])


def _send_link(*, recipient, subject: str, what: str, path: str) -> None:
    # Fixed words and the link only: no name, hospital number, diagnosis or plan.
    body = render_to_string("cases/documents/link_email.txt", {
        "what": what, "url": settings.SITE_URL + path, "recipient": recipient})
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL,
                                            [recipient.email]))


@transaction.atomic
def letter_send(*, letter: OutcomeLetter, sent_by, recipient) -> DocumentDispatch:
    """Email `recipient` (a member of the letter's board) the link to the letter's
    page, and record who sent it to whom."""
    board_id = letter.decision.agenda_item.meeting.board_id
    if not has_board_role(sent_by, board_id):
        raise ValidationError({"letter": "Only a member of this board sends its letters."})
    if not has_board_role(recipient, board_id):
        raise ValidationError({"recipient": "Choose a member of this board."})
    if not recipient.email:
        raise ValidationError({"recipient": "This member has no email address."})
    dispatch = DocumentDispatch.objects.create(kind=DocumentKind.LETTER, letter=letter,
                                               sent_by=sent_by, recipient=recipient)
    _send_link(recipient=recipient, subject="A letter from the tumour board is ready",
               what="an outcome letter of the tumour board", path=_letter_path(letter))
    return dispatch


@transaction.atomic
def minutes_circulate(*, meeting: Meeting, sent_by) -> list[DocumentDispatch]:
    """Email every member who attended (or was invited, if nobody is marked present)
    the link to the minutes, and record each dispatch. Coordinator or chair only."""
    if not has_board_role(sent_by, meeting.board_id, BoardRole.COORDINATOR, BoardRole.CHAIR):
        raise ValidationError({"meeting": "The coordinator or the chair circulates the "
                                          "minutes."})
    minutes = minutes_of(meeting=meeting)
    recipients = [a.user for a in (minutes.present or minutes.absent)
                  if a.user.email and a.user.is_active]
    if not recipients:
        raise ValidationError({"meeting": "Nobody who attended has an email address."})
    dispatches = DocumentDispatch.objects.bulk_create([
        DocumentDispatch(kind=DocumentKind.MINUTES, meeting=meeting, sent_by=sent_by,
                         recipient=user) for user in recipients])
    for user in recipients:
        _send_link(recipient=user, subject="The minutes of the tumour board meeting",
                   what="the minutes of a tumour board meeting", path=_minutes_path(meeting))
    return dispatches
