"""Who may do what: every permission of Boardsite, as `rules` predicates, in one place.

Pages, API views and services ask `user.has_perm("cases.<permission>", obj)` where
`obj` is a Board, Patient, Meeting, AgendaItem, Decision or any row with a `patient`.
Seeing is scoped separately by `cases.scoping` (a user outside the board gets a 404
before any permission is asked).
"""

from __future__ import annotations

import rules

from cases.choices import BoardRole
from cases.models import Board
from cases.scoping import membership


def board_id_of(obj) -> int | None:
    """The board a row belongs to, without extra queries when the usual relations are
    already loaded (select_related)."""
    if obj is None:
        return None
    if isinstance(obj, Board):
        return obj.pk
    for path in ("board_id", "meeting.board_id", "patient.board_id",
                 "agenda_item.meeting.board_id", "decision.agenda_item.meeting.board_id"):
        target = obj
        try:
            for part in path.split("."):
                target = getattr(target, part)
        except AttributeError:
            continue
        if target is not None:
            return target
    return None


def _role_predicate(*roles: str):
    def check(user, obj=None) -> bool:
        board_id = board_id_of(obj)
        if board_id is None:
            return False
        seat = membership(user, board_id)
        return seat is not None and (not roles or seat.role in roles)

    return check


is_board_member = rules.predicate(_role_predicate(), name="is_board_member")
is_coordinator = rules.predicate(_role_predicate(BoardRole.COORDINATOR), name="is_coordinator")
is_specialist = rules.predicate(_role_predicate(BoardRole.SPECIALIST), name="is_specialist")
is_chair = rules.predicate(_role_predicate(BoardRole.CHAIR), name="is_chair")


@rules.predicate
def is_administrator(user) -> bool:
    return bool(user.is_authenticated and (
        user.is_superuser or user.groups.filter(name="administrator").exists()
    ))


# Seeing a patient's record (also scoped by cases.scoping).
rules.add_perm("cases.view_case", is_board_member)
# Registering a patient and referring them to a meeting.
rules.add_perm("cases.register_patient", is_coordinator | is_specialist | is_chair)
# Clinical data: lesions, imaging, labs, treatments, status fields.
# Importing from the hospital's systems (FHIR bundles, HL7 v2 lab results) into a board:
# the coordinator's job (no re-keying) and the clinicians'; asked with the Board. An
# import may register patients and write clinical rows, which is what these roles do by
# hand between them (register_patient, change_clinical_data).
rules.add_perm("cases.import_records", is_coordinator | is_specialist | is_chair)
# Recording and correcting them is the coordinator's too. Why: on a tumour board the
# coordinator collates the facts the clinicians supply (clinic letters, radiology and
# lab reports, the ward's observations) — the agenda's "what to chase" list names who
# supplies each fact, and the coordinator is the one chasing it. Making the clinician
# re-key what they already wrote is the delay boards complain about, and a coordinator
# who may not type it in would only pass it on by email. What keeps it honest: every
# write is audited with the person who made it (pghistory, `cases.audit`), the facts
# shown are the record's (nothing is interpreted by the coordinator: scores are the
# engine's), and the board reviews the case before anything is signed.
rules.add_perm("cases.change_clinical_data", is_coordinator | is_specialist | is_chair)
# Deleting a row of the clinical record removes a fact the draft plan may rest on
# (a lesion, a course of treatment): a clinical judgement, kept to specialists and
# chairs. A coordinator corrects a mistyped row instead (the audit keeps both values).
rules.add_perm("cases.delete_clinical_data", is_specialist | is_chair)
# Meetings, agendas, attendance lists, circulation.
rules.add_perm("cases.manage_meeting", is_coordinator | is_chair)
# Confirming one's own attendance is any member's.
rules.add_perm("cases.confirm_attendance", is_board_member)
# Recording the board's decision at the meeting (minutes may be typed by anyone seated).
rules.add_perm("cases.record_decision", is_coordinator | is_specialist | is_chair)
# A pre-meeting opinion (radiology read, surgical view) is a specialist's or the chair's.
rules.add_perm("cases.record_opinion", is_specialist | is_chair)
# Only the chair signs.
rules.add_perm("cases.sign_decision", is_chair)
# Reminders: acting on them (done, snooze, cancel).
rules.add_perm("cases.act_on_reminder", is_board_member)
# User management and the audit view.
rules.add_perm("cases.manage_users", is_administrator)
rules.add_perm("cases.view_audit", is_administrator)
