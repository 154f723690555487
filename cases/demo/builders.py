"""Write the demo cohort (`cases.demo.cohort`) through the services.

Idempotent by construction: a user is keyed on the username, a board on its name, a
patient (with all of its clinical rows) on the hospital number, a meeting (with its
agenda and decisions) on its video link. Anything already there is left untouched —
not even re-saved — so a second load writes nothing, and the audit trail stays quiet.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models, transaction
from django.utils import timezone

from cases import services
from cases.choices import AgendaItemStatus, DecisionItemVerdict, MeetingStatus, SurvivalBand
from cases.demo import cohort
from cases.demo.cohort import Ago
from cases.models import (
    AgendaItem,
    Board,
    BoardMembership,
    BoneTargetedAgentCourse,
    ImagingStudy,
    LabResult,
    Lesion,
    Meeting,
    Patient,
    PrimaryCancer,
    RadioisotopeCourse,
    RadiotherapyCourse,
    SurgicalProcedure,
    SystemicTherapy,
)

logger = logging.getLogger(__name__)

HOSPITAL_NUMBER_PREFIX = "DEMO"
VIDEO_LINK_PREFIX = "https://video.example.org/boardsite-demo/"
MEETING_HOUR = 8  # the board meets at 08:00 local time
MEETING_WEEKDAY = 2  # on Wednesdays

#: What every demo patient has unless the cohort says otherwise: a complete, current
#: record, so that what is missing in a case is missing on purpose.
#: What a radiologist's report says when it does not mention a complication: none. A
#: lesion spec that should be missing one sets it to None explicitly.
LESION_DEFAULTS: dict[str, Any] = {
    "pathological_fracture": False,
    "soft_tissue_mass": False,
    "epidural_extension": False,
    # RT-08: asked for when unknown beside a drafted 8 Gy/1; the demo records it.
    "neuropathic_pain": False,
}

PATIENT_DEFAULTS: dict[str, Any] = {
    "visceral_metastases": False,
    "brain_metastases": False,
    "nodal_metastases": False,
    "bone_disease_extent": "multiple",
    "on_dialysis": False,
    "worst_pain_nrs": 4,
    "pain_uncontrolled": False,
    "new_thigh_hip_groin_pain": False,
    "expected_survival": SurvivalBand.MORE_THAN_12_MONTHS,
    "neurological_deficit": False,
    "suspected_cord_compression": False,
    "last_dental_exam_on": Ago(120),
    "pending_invasive_dental_work": False,
    "unhealed_oral_lesions": False,
    "poor_oral_hygiene": False,
    "periodontal_disease": False,
    "ill_fitting_dentures": False,
    # Co-medication reviewed (BTA-11): none of the label's interacting drugs by default.
    "on_aminoglycoside": False,
    "on_loop_diuretic": False,
    "on_other_nephrotoxic_drug": False,
    "on_nsaid": False,
}


def hospital_number(n: int) -> str:
    return f"{HOSPITAL_NUMBER_PREFIX}{n:04d}"


@dataclass
class LoadReport:
    """What a load did: the logins it created (shown once) and what it added."""

    new_logins: list[tuple[str, str, str]] = field(default_factory=list)
    existing_users: list[str] = field(default_factory=list)
    boards_created: int = 0
    patients_created: int = 0
    meetings_created: int = 0
    decisions_signed: int = 0


class _Dates:
    """Resolves `Ago` markers against the load day, in the board's local time."""

    def __init__(self, today: dt.date) -> None:
        self.today = today

    def day(self, ago: Ago) -> dt.date:
        return self.today - dt.timedelta(days=ago.days)

    def moment(self, ago: Ago, hour: int = 8, minute: int = 30) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.day(ago), dt.time(hour, minute)))

    def resolve(self, model: type[models.Model], values: dict[str, Any]) -> dict[str, Any]:
        resolved = {}
        for name, value in values.items():
            if isinstance(value, Ago):
                is_datetime = isinstance(model._meta.get_field(name), models.DateTimeField)
                value = self.moment(value) if is_datetime else self.day(value)
            resolved[name] = value
        return resolved

    def date_of_birth(self, age: int) -> dt.date:
        # 45 days past the birthday: the age is `age` on the load day and for weeks after.
        return self.today - dt.timedelta(days=int(age * 365.25) + 45)

    def meeting_start(self, weeks_from_now: int) -> dt.datetime:
        """The board's weekday, `weeks_from_now` weeks from this week, 08:00 local."""
        monday = self.today - dt.timedelta(days=self.today.weekday())
        day = monday + dt.timedelta(weeks=weeks_from_now, days=MEETING_WEEKDAY)
        return timezone.make_aware(dt.datetime.combine(day, dt.time(MEETING_HOUR, 0)))


# --- Users and boards -----------------------------------------------------------------

def _ensure_user(username: str, first: str, last: str, report: LoadReport,
                 role_label: str, **flags: Any):
    user_model = get_user_model()
    user = user_model.objects.filter(username=username).first()
    if user is not None:
        report.existing_users.append(username)
        return user
    # Generated now, shown once, stored only as a hash: nothing to leak from the repo.
    password = secrets.token_urlsafe(12)
    user = user_model(username=username, first_name=first, last_name=last,
                      email=f"{username}@boardsite-demo.example", **flags)
    user.set_password(password)
    user.save()
    report.new_logins.append((username, role_label, password))
    return user


def demo_logins_reset() -> list[tuple[str, str, str]]:
    """A fresh password for every demo user that exists: (username, role, password).

    Only the hash of a password is kept, so "showing the logins again" means issuing
    new ones; users that are not there (no demo loaded yet) are skipped."""
    labels = {username: f"{role} ({specialty.replace('_', ' ')}) — {board_name}"
              for username, _, _, board_name, role, specialty in cohort.USERS}
    labels[cohort.ADMIN_USERNAME] = "administrator (Django admin, no board)"
    users = {user.username: user
             for user in get_user_model().objects.filter(username__in=labels)}
    logins = []
    for username, label in labels.items():
        user = users.get(username)
        if user is None:
            continue
        password = secrets.token_urlsafe(12)
        user.set_password(password)
        user.save(update_fields=["password"])
        logins.append((username, label, password))
    return logins


def load_users_and_boards(report: LoadReport) -> tuple[dict[str, Board], dict[str, Any]]:
    boards: dict[str, Board] = {}
    for name, description in (
        (cohort.MAIN_BOARD, "Weekly bone-metastasis multidisciplinary team (demo)."),
        (cohort.SARCOMA_BOARD, "Sarcoma and primary bone tumour board (demo)."),
    ):
        board, created = Board.objects.get_or_create(
            name=name, defaults={"description": description,
                                 "default_location": "Seminar room 2, Oncology Centre"},
        )
        boards[name] = board
        report.boards_created += int(created)

    users: dict[str, Any] = {}
    for username, first, last, board_name, role, specialty in cohort.USERS:
        label = f"{role} ({specialty.replace('_', ' ')}) — {board_name}"
        user = _ensure_user(username, first, last, report, label)
        users[username] = user
        board = boards[board_name]
        if not BoardMembership.objects.filter(board=board, user=user).exists():
            services.board_member_add(board=board, user=user, role=role, specialty=specialty)

    admin = _ensure_user(cohort.ADMIN_USERNAME, "Ada", "Administrator", report,
                         "administrator (Django admin, no board)",
                         is_staff=True, is_superuser=True)
    group, _ = Group.objects.get_or_create(name="administrator")
    if not admin.groups.filter(pk=group.pk).exists():
        admin.groups.add(group)
    users[cohort.ADMIN_USERNAME] = admin
    return boards, users


# --- Patients -------------------------------------------------------------------------

def _save(model: type[models.Model], dates: _Dates, **values: Any) -> models.Model:
    values = dates.resolve(model, values)
    for name, value in values.items():
        # The cohort writes decimals as strings ("82.0") so no float ever creeps in.
        if isinstance(value, str) and isinstance(model._meta.get_field(name),
                                                 models.DecimalField):
            values[name] = Decimal(value)
    return services.clinical_row_save(instance=model(**values))


def load_patient(spec: dict[str, Any], board: Board, dates: _Dates) -> Patient | None:
    """Create one patient with every clinical row, or nothing if the hospital number is
    already there."""
    number = hospital_number(spec["n"])
    if Patient.objects.filter(hospital_number=number).exists():
        return None
    fields = {**PATIENT_DEFAULTS, **spec.get("patient", {})}
    weight, ecog = spec.get("weight"), spec.get("ecog")
    patient = _save(
        Patient, dates, board=board, hospital_number=number, given_name=spec["given"],
        family_name=spec["family"], date_of_birth=dates.date_of_birth(spec["age"]),
        sex=spec["sex"],
        weight_kg=weight, weight_measured_on=Ago(10) if weight else None,
        ecog=ecog, ecog_assessed_on=Ago(10) if ecog is not None else None, **fields,
    )
    _save(PrimaryCancer, dates, patient=patient, **spec["primary"])

    lesions: dict[str, Lesion] = {}
    for lesion_spec in spec.get("lesions", []):
        values = {**LESION_DEFAULTS, **{k: v for k, v in lesion_spec.items() if k != "key"}}
        if "painful" not in values:
            pain = values.get("spinal_pain") or values.get("limb_pain")
            values["painful"] = None if not pain else pain != "none"
        lesions[lesion_spec["key"]] = _save(Lesion, dates, patient=patient, **values)

    for analyte, value, unit, ago in spec.get("labs", []):
        _save(LabResult, dates, patient=patient, analyte=analyte, value=Decimal(value),
              unit=unit, taken_at=ago)
    for course in spec.get("bta", []):
        _save(BoneTargetedAgentCourse, dates, patient=patient, **course)
    for therapy in spec.get("systemic", []):
        _save(SystemicTherapy, dates, patient=patient, **therapy)
    for course in spec.get("rt", []):
        values = {k: v for k, v in course.items() if k != "lesion"}
        _save(RadiotherapyCourse, dates, patient=patient,
              lesion=lesions.get(course.get("lesion") or ""), **values)
    for operation in spec.get("surgery", []):
        values = {k: v for k, v in operation.items() if k != "lesion"}
        _save(SurgicalProcedure, dates, patient=patient,
              lesion=lesions.get(operation.get("lesion") or ""), **values)
    for course in spec.get("isotopes", []):
        _save(RadioisotopeCourse, dates, patient=patient, **course)
    for study in spec.get("imaging", []):
        values = {k: v for k, v in study.items() if k != "lesions"}
        saved = _save(ImagingStudy, dates, patient=patient, **values)
        saved.lesions.set([lesions[key] for key in study["lesions"]])
    return patient


# --- Meetings -------------------------------------------------------------------------

def _patient(n: int) -> Patient:
    return Patient.objects.get(hospital_number=hospital_number(n))


def _meeting(board: Board, key: str, starts_at: dt.datetime) -> Meeting | None:
    link = VIDEO_LINK_PREFIX + key
    if Meeting.objects.filter(board=board, video_link=link).exists():
        return None
    return services.meeting_create(board=board, starts_at=starts_at, video_link=link,
                                   location=board.default_location)


def load_past_meeting(spec: dict[str, Any], board: Board, users: dict[str, Any],
                      dates: _Dates, report: LoadReport,
                      sign: Callable[..., Any] = services.decision_sign,
                      action_for: Callable[..., dict[str, Any]] | None = None
                      ) -> Meeting | None:
    meeting = _meeting(board, spec["key"], dates.meeting_start(-spec["weeks_ago"]))
    if meeting is None:
        return None
    report.meetings_created += 1
    items = []
    for n, presenter, question, summary, lines in spec["cases"]:
        item = services.agenda_item_add(meeting=meeting, patient=_patient(n), question=question,
                                        presenting_clinician=users[presenter])
        items.append((item, summary, lines))
    services.agenda_lock(meeting=meeting)
    on = timezone.localtime(meeting.starts_at).date()
    for item, summary, lines in items:
        if action_for is not None:
            # The board's items carry the typed action their engine code maps to, as
            # the decision page pre-fills them; rejected items get none.
            lines = [
                {**line, "action": action_for(code=line["code"], detail=None,
                                              title=line["title"], on=on)}
                if line.get("code") and line["verdict"] != DecisionItemVerdict.REJECTED
                else line
                for line in lines
            ]
        decision = services.decision_record(
            agenda_item=item, recorded_by=users["coordinator"], outcome_summary=summary,
            items=lines,
        )
        sign(decision=decision, chair=users["chair"])
        report.decisions_signed += 1
    for username, _first, _last, board_name, _role, _specialty in cohort.USERS:
        if board_name == board.name:
            # One member sent apologies to each past meeting.
            services.attendance_set(meeting=meeting, user=users[username], confirmed=True,
                                    attended=username != "nucmed")
    # No service marks a meeting as held yet; the demo sets the status the meeting page
    # would show after the chair closes it.
    Meeting.objects.filter(pk=meeting.pk).update(status=MeetingStatus.HELD)
    return meeting


def load_upcoming_meeting(board: Board, users: dict[str, Any], dates: _Dates,
                          report: LoadReport) -> Meeting | None:
    meeting = _meeting(board, cohort.UPCOMING_KEY, dates.meeting_start(1))
    if meeting is None:
        return None
    report.meetings_created += 1
    for n, presenter, question, urgent, ready in cohort.UPCOMING_CASES:
        item = services.agenda_item_add(meeting=meeting, patient=_patient(n), question=question,
                                        presenting_clinician=users[presenter], urgent=urgent)
        if ready:
            services.agenda_item_set_status(item=item, status=AgendaItemStatus.READY)
    services.agenda_reorder(
        meeting=meeting,
        item_ids=list(meeting.agenda_items.order_by("position").values_list("pk", flat=True)),
    )
    for username in ("coordinator", "chair", "medonc", "radonc", "spine", "radiology"):
        services.attendance_set(meeting=meeting, user=users[username], confirmed=True)
    return meeting


# --- Everything -----------------------------------------------------------------------

@transaction.atomic
def load_demo_data(*, today: dt.date | None = None,
                   progress: Callable[[str], None] | None = None,
                   sign: Callable[..., Any] = services.decision_sign,
                   action_for: Callable[..., dict[str, Any]] | None = None) -> LoadReport:
    """Load the demo boards, users, cohort and meetings; skip whatever is already there.

    `today` anchors every relative date (default: today in the board's time zone).
    `sign(decision=, chair=)` signs the past meetings' decisions: the management command
    passes the signing that also schedules the follow-up reminders (`cases` sits below
    `reminders` and never imports it). `action_for(code=, detail=, title=, on=)` gives
    each accepted or modified item its typed action (the command passes the engine
    mapping, `recommendations.actions.action_for_item`); without it they are "other".
    """
    dates = _Dates(today or timezone.localdate())
    report = LoadReport()
    say = progress or (lambda message: None)

    boards, users = load_users_and_boards(report)
    for spec in cohort.PATIENTS:
        board = boards[spec.get("board", cohort.MAIN_BOARD)]
        if load_patient(spec, board, dates) is not None:
            report.patients_created += 1
    say(f"Patients: {report.patients_created} created.")

    main = boards[cohort.MAIN_BOARD]
    for spec in cohort.PAST_MEETINGS:
        load_past_meeting(spec, main, users, dates, report, sign=sign, action_for=action_for)
    upcoming = load_upcoming_meeting(main, users, dates, report)
    say(f"Meetings: {report.meetings_created} created "
        f"({report.decisions_signed} decisions signed).")
    if upcoming is not None:
        logger.info("Demo data: upcoming meeting #%s with %s cases", upcoming.pk,
                    AgendaItem.objects.filter(meeting=upcoming).count())
    return report


def meetings_to_come() -> list[Meeting]:
    """The meetings still ahead, whose draft plans the loader's caller makes."""
    return list(Meeting.objects.filter(starts_at__gte=timezone.now()))
