"""Reads for the pages: each returns what one page needs in a fixed number of queries,
whatever the number of cases, lesions, labs or treatments.

Every function starts from `cases.scoping`, so a user outside the board gets nothing
(and the page a 404). Recording who read which patient is the caller's job
(`cases.services.record_patient_access`), because only the view knows the path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cases.choices import BoardRole
from cases.models import (
    AgendaItem,
    Attendance,
    Board,
    BoardMembership,
    CaseOpinion,
    Decision,
    DecisionItem,
    ImagingStudy,
    ImportBatch,
    LabResult,
    Lesion,
    Meeting,
    Patient,
)
from cases.scoping import (
    agenda_items_for,
    boards_for,
    decisions_for,
    meetings_for,
    patients_for,
)

#: Patient search never lists more than this many rows (refine the search instead).
SEARCH_LIMIT = 50


# --- Meetings -------------------------------------------------------------------------

@dataclass
class BoardMeetings:
    board: Board
    upcoming: list[Meeting] = field(default_factory=list)
    past: list[Meeting] = field(default_factory=list)


def meetings_by_board(*, user, now: datetime | None = None,
                      past_limit: int = 10) -> list[BoardMeetings]:
    """The user's boards, each with upcoming meetings (soonest first) and the most
    recent past ones. Two queries: boards, meetings with their case counts."""
    now = now or timezone.now()
    boards = list(boards_for(user).order_by("name"))
    by_board = {b.pk: BoardMeetings(board=b) for b in boards}
    meetings = (
        meetings_for(user)
        .annotate(case_count=Count("agenda_items", distinct=True))
        .order_by("starts_at", "id")
    )
    for meeting in meetings:
        group = by_board[meeting.board_id]
        meeting.board = group.board  # already loaded: no query per row for the name
        (group.upcoming if meeting.starts_at >= now else group.past).append(meeting)
    for group in by_board.values():
        group.past = list(reversed(group.past))[:past_limit]
    return list(by_board.values())


def boards_managed_by(*, user) -> QuerySet[Board]:
    """Boards where the user may create meetings (coordinator or chair)."""
    return boards_for(user).filter(
        memberships__user=user,
        memberships__role__in=[BoardRole.COORDINATOR, BoardRole.CHAIR],
    ).distinct()


def meeting_for(*, user, pk) -> Meeting:
    """One meeting of the user's boards, with its board; 404 otherwise."""
    try:
        return meetings_for(user).select_related("board").get(pk=pk)
    except (Meeting.DoesNotExist, ValueError, TypeError):
        raise Http404("No such meeting.") from None


#: The agenda's running order: urgent cases first, then as the coordinator placed them.
RUNNING_ORDER = ("-urgent", "position", "id")


def agenda_items(*, meeting: Meeting) -> list[AgendaItem]:
    """The agenda in running order (urgent first), with patient, primary cancer and the
    presenting clinician. One query."""
    return list(
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("patient", "patient__primary", "presenting_clinician")
        .order_by(*RUNNING_ORDER)
    )


def agenda_running_order(*, meeting: Meeting) -> list[int]:
    """The agenda items' IDs in running order (urgent first), for next / previous case.
    One query, IDs only."""
    return list(
        AgendaItem.objects.filter(meeting=meeting)
        .order_by(*RUNNING_ORDER).values_list("id", flat=True)
    )


def agenda_running_order_signed(*, meeting: Meeting) -> tuple[list[int], set[int]]:
    """The running order (`agenda_running_order`) and which of its items already have a
    signed decision (`signed_decision_item_ids`), in one query: meeting mode shows both
    on every case."""
    signed_decision = Decision.objects.filter(agenda_item=OuterRef("pk"),
                                              signed_at__isnull=False)
    order, signed = [], set()
    for item_id, is_signed in (AgendaItem.objects.filter(meeting=meeting)
                               .annotate(signed=Exists(signed_decision))
                               .order_by(*RUNNING_ORDER)
                               .values_list("id", "signed")):
        order.append(item_id)
        if is_signed:
            signed.add(item_id)
    return order, signed


def attendances(*, meeting: Meeting) -> list[Attendance]:
    """Who is invited, with the user. One query."""
    return list(
        Attendance.objects.filter(meeting=meeting)
        .select_related("user")
        .order_by("specialty", "user__last_name", "user__username")
    )


def board_members(*, board_id: int) -> list[BoardMembership]:
    """A board's seats with their users (presenting-clinician choices). One query."""
    return list(
        BoardMembership.objects.filter(board_id=board_id)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username")
    )


def signed_decision_item_ids(*, item_ids: list[int]) -> set[int]:
    """Agenda items that already have a signed decision. One query."""
    return set(
        Decision.objects.filter(agenda_item_id__in=item_ids, signed_at__isnull=False)
        .values_list("agenda_item_id", flat=True)
    )


# --- One case ---------------------------------------------------------------------------

@dataclass
class CaseRecord:
    """Everything the case-review page shows about one patient, loaded once."""

    item: AgendaItem
    patient: Patient
    lesions: list[Lesion]
    imaging: list[ImagingStudy]
    labs: list[LabResult]
    bone_agents: list
    systemic: list
    radiotherapy: list
    surgeries: list


def meeting_outcomes(*, meeting: Meeting) -> dict[int, Decision]:
    """The latest decision version of each case on the agenda (signed or not), by
    agenda item id: what a held meeting's agenda shows as its outcomes. One query."""
    latest: dict[int, Decision] = {}
    for decision in (Decision.objects.filter(agenda_item__meeting=meeting)
                     .only("id", "agenda_item_id", "version", "signed_at")
                     .order_by("agenda_item_id", "version")):
        latest[decision.agenda_item_id] = decision
    return latest


def agenda_item_for(*, user, pk) -> AgendaItem:
    """One agenda item of the user's boards with meeting, board, patient, primary and
    presenting clinician (one query); 404 for anyone outside the board."""
    try:
        return (
            agenda_items_for(user)
            .select_related("meeting", "meeting__board", "patient", "patient__primary",
                            "presenting_clinician")
            .get(pk=pk)
        )
    except (AgendaItem.DoesNotExist, ValueError, TypeError):
        raise Http404("No such case.") from None


def case_record(*, item: AgendaItem) -> CaseRecord:
    """The clinical record behind an agenda item: seven queries, one per table."""
    patient = item.patient
    return CaseRecord(
        item=item,
        patient=patient,
        lesions=list(Lesion.objects.filter(patient=patient).order_by("bone", "vertebral_level",
                                                                    "id")),
        imaging=list(ImagingStudy.objects.filter(patient=patient)
                     .order_by("-performed_on", "-id")),
        labs=list(LabResult.objects.filter(patient=patient).order_by("taken_at", "id")),
        bone_agents=list(patient.bone_agent_courses.order_by("started_on", "id")),
        systemic=list(patient.systemic_therapies.order_by("started_on", "id")),
        radiotherapy=list(patient.radiotherapy_courses.order_by("started_on", "id")),
        surgeries=list(patient.surgeries.order_by("performed_on", "id")),
    )


@dataclass
class MeetingModeRecord:
    """What meeting mode shows of the record: the lesions, the imaging, and only the
    latest result of each lab it lists (a patient with years of labs loads a handful)."""

    patient: Patient
    lesions: list[Lesion]
    imaging: list[ImagingStudy]
    latest_labs: dict[str, LabResult]


def meeting_mode_record(*, item: AgendaItem, analytes) -> MeetingModeRecord:
    """The part of the record meeting mode shows: three queries. The latest result of
    each of `analytes` is picked by PostgreSQL (DISTINCT ON over the lab index on
    patient, analyte and time taken), not by reading every result into Python."""
    patient = item.patient
    labs = (LabResult.objects.filter(patient=patient, analyte__in=list(analytes))
            .order_by("analyte", "-taken_at", "-id").distinct("analyte"))
    return MeetingModeRecord(
        patient=patient,
        lesions=list(patient_lesions(patient=patient)),
        imaging=list(ImagingStudy.objects.filter(patient=patient)
                     .order_by("-performed_on", "-id")),
        latest_labs={lab.analyte: lab for lab in labs},
    )


def decisions_of(*, item: AgendaItem) -> list[Decision]:
    """Every version of the item's decision, oldest first, with items, recorder and
    signer. Two queries."""
    return list(
        Decision.objects.filter(agenda_item=item)
        .select_related("recorded_by", "signed_by", "amends", "amends__signed_by")
        .prefetch_related(Prefetch("items", queryset=DecisionItem.objects.order_by(
            "position", "id")))
        .order_by("version")
    )


def signed_decision_for(*, user, pk) -> Decision:
    """One SIGNED decision version of the user's boards, with its case, meeting and
    board (one query); 404 for an unsigned version and for anyone outside the board:
    letters and exports exist only for what the chair signed."""
    try:
        return (
            decisions_for(user).filter(signed_at__isnull=False)
            .select_related("agenda_item__meeting__board", "agenda_item__patient")
            .get(pk=pk)
        )
    except (Decision.DoesNotExist, ValueError, TypeError):
        raise Http404("No such signed decision.") from None


def opinions_by_item(*, item_ids: list[int]) -> dict[int, list[CaseOpinion]]:
    """The pre-meeting opinions on these agenda items, by item, with their authors.
    One query."""
    by_item: dict[int, list[CaseOpinion]] = {pk: [] for pk in item_ids}
    for opinion in (CaseOpinion.objects.filter(agenda_item_id__in=item_ids)
                    .select_related("author").order_by("specialty", "recorded_at", "id")):
        by_item[opinion.agenda_item_id].append(opinion)
    return by_item


def latest_decisions(*, item_ids: list[int]) -> dict[int, Decision]:
    """The newest version of each item's decision (items without one are absent), with
    its items. Two queries."""
    latest: dict[int, Decision] = {}
    for decision in (Decision.objects.filter(agenda_item_id__in=item_ids)
                     .prefetch_related(Prefetch("items", queryset=DecisionItem.objects
                                                .order_by("position", "id")))
                     .order_by("agenda_item_id", "version")):
        latest[decision.agenda_item_id] = decision
    return latest


# --- Patients ---------------------------------------------------------------------------

def patient_search(*, user, query: str, limit: int = SEARCH_LIMIT) -> list[Patient]:
    """Patients of the user's boards whose name or hospital number matches. One query.

    Hospital numbers match from the start (they are typed from a label); names match
    anywhere in given or family name, every word of the query has to match."""
    query = " ".join(query.split())
    if not query:
        return []
    condition = Q(hospital_number__istartswith=query)
    words = Q()
    for word in query.split(" "):
        words &= Q(given_name__icontains=word) | Q(family_name__icontains=word)
    condition |= words
    return list(
        patients_for(user).filter(condition)
        .select_related("primary", "board")
        .order_by("family_name", "given_name", "id")[:limit]
    )


def patient_for(*, user, pk) -> Patient:
    """One patient of the user's boards with the primary cancer and board; 404 else."""
    try:
        return patients_for(user).select_related("primary", "board").get(pk=pk)
    except (Patient.DoesNotExist, ValueError, TypeError):
        raise Http404("No such patient.") from None


def patient_by_hospital_number(*, user, board_id: int, number: str) -> Patient | None:
    """The patient of this board (among the user's) with this hospital number, any case."""
    return (
        patients_for(user)
        .filter(board_id=board_id, hospital_number__iexact=number)
        .first()
    )


def patient_history(*, patient: Patient) -> list[AgendaItem]:
    """Every time the patient was on an agenda, newest meeting first, with the decision
    versions and their items. Three queries."""
    return list(
        AgendaItem.objects.filter(patient=patient)
        .select_related("meeting", "presenting_clinician")
        .prefetch_related(
            Prefetch(
                "decisions",
                queryset=Decision.objects.select_related("signed_by").prefetch_related(
                    Prefetch("items", queryset=DecisionItem.objects.order_by("position", "id"))
                ).order_by("version"),
            )
        )
        .order_by("-meeting__starts_at", "-id")
    )


def upcoming_meetings_for_patient(*, user, patient: Patient) -> list[Meeting]:
    """Open meetings of the patient's board the patient is not on yet. One query."""
    return list(
        meetings_for(user)
        .filter(board_id=patient.board_id, starts_at__gte=timezone.now(),
                agenda_locked_at__isnull=True)
        .exclude(agenda_items__patient=patient)
        .order_by("starts_at")[:10]
    )


def second_factor_required(*, user) -> bool:
    """Chairs (they sign decisions) and administrators (they manage accounts and read
    the audit trail) must sign in with a second factor; everyone else may. One query."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.is_staff:
        return True
    return get_user_model().objects.filter(pk=user.pk).filter(
        Q(groups__name="administrator") | Q(board_memberships__role=BoardRole.CHAIR)
    ).exists()


# --- Imports from the hospital's systems -----------------------------------------------

def import_boards_for(*, user) -> list[Board]:
    """The boards the user may import into (`cases.import_records`)."""
    return [b for b in boards_for(user).order_by("name")
            if user.has_perm("cases.import_records", b)]


def import_batch_for(*, user, pk: int) -> ImportBatch:
    """A previewed or imported file of one of the user's boards; 404 otherwise."""
    try:
        return ImportBatch.objects.select_related("board").get(
            pk=pk, board__in=boards_for(user))
    except ImportBatch.DoesNotExist:
        raise Http404("No such import.") from None
# --- The record, for its forms --------------------------------------------------------

def patient_record(*, user, pk) -> Patient:
    """One patient of the user's boards with every table of the clinical record
    prefetched (the record page): ten queries whatever the number of rows."""
    try:
        return (
            patients_for(user).select_related("primary", "board")
            .prefetch_related(
                Prefetch("lesions", queryset=Lesion.objects.order_by(
                    "bone", "vertebral_level", "id")),
                Prefetch("imaging", queryset=ImagingStudy.objects.order_by(
                    "-performed_on", "-id").prefetch_related("lesions")),
                Prefetch("labs", queryset=LabResult.objects.order_by("-taken_at", "-id")),
                "bone_agent_courses", "systemic_therapies", "radiotherapy_courses__lesion",
                "surgeries__lesion", "radioisotope_courses",
            )
            .get(pk=pk)
        )
    except (Patient.DoesNotExist, ValueError, TypeError):
        raise Http404("No such patient.") from None


def record_row_for(*, patient: Patient, model, pk):
    """One row of `model` recorded for this (already scoped) patient; 404 otherwise."""
    try:
        row = model.objects.select_related("patient", "patient__board").get(
            pk=pk, patient=patient)
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404("No such row of this patient's record.") from None
    return row


def patient_lesions(*, patient: Patient) -> QuerySet[Lesion]:
    """The patient's lesions, for the forms that link a row to one of them."""
    return Lesion.objects.filter(patient=patient).order_by("bone", "vertebral_level", "id")


def boards_registering(*, user) -> QuerySet[Board]:
    """Boards where the user may register patients (coordinator, specialist, chair)."""
    return boards_for(user).filter(
        memberships__user=user,
        memberships__role__in=[BoardRole.COORDINATOR, BoardRole.SPECIALIST, BoardRole.CHAIR],
    ).distinct().order_by("name")
