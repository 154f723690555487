"""The meeting: agenda, attendance, and the board's signed decision."""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cases.actions import KIND_LABELS, action_summary
from cases.choices import (
    AgendaItemStatus,
    DecisionItemVerdict,
    MeetingStatus,
    OpinionStance,
    Specialty,
)
from cases.models._audit import audited
from cases.models.board import Board
from cases.models.patient import Patient


@audited()
class Meeting(models.Model):
    """One sitting of a board: when and where, and the state of its agenda."""

    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="meetings")
    starts_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=90)
    location = models.CharField(max_length=200, blank=True)
    video_link = models.URLField(blank=True)
    status = models.CharField(
        max_length=12, choices=MeetingStatus.choices, default=MeetingStatus.PLANNED
    )
    agenda_locked_at = models.DateTimeField(null=True, blank=True)
    agenda_circulated_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["board", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.board} — {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def is_locked(self) -> bool:
        return self.agenda_locked_at is not None

    @property
    def is_held(self) -> bool:
        """The meeting took place: its agenda is a record now, not a plan."""
        return self.status == MeetingStatus.HELD

    @property
    def day(self):
        """The meeting's date in the clinic's time zone: the board signs from this day
        on (`cases.services.decision_sign`)."""
        return timezone.localdate(self.starts_at)


@audited()
class Attendance(models.Model):
    """A board member invited to a meeting: whether they confirmed and attended."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="attendances"
    )
    specialty = models.CharField(max_length=40, choices=Specialty.choices, blank=True)
    confirmed = models.BooleanField(default=False)
    attended = models.BooleanField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="one_attendance_per_user"),
        ]

    def __str__(self) -> str:
        return f"Attendance #{self.pk} at meeting #{self.meeting_id}"


_AGENDA_ITEM_RULES = """
    IF (SELECT board_id FROM cases_patient WHERE id = NEW.patient_id)
       IS DISTINCT FROM (SELECT board_id FROM cases_meeting WHERE id = NEW.meeting_id) THEN
        RAISE EXCEPTION 'agenda item %: the patient is not under the meeting''s board', NEW.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'UPDATE' AND EXISTS (
        SELECT 1 FROM cases_decision d WHERE d.agenda_item_id = NEW.id AND d.signed_at IS NOT NULL
    ) AND (NEW.status <> 'decided' OR NEW.patient_id <> OLD.patient_id
           OR NEW.meeting_id <> OLD.meeting_id) THEN
        RAISE EXCEPTION 'agenda item % has a signed decision: it stays decided, with its '
            'patient and meeting', NEW.id
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
"""


@audited()
class AgendaItem(models.Model):
    """A patient on a meeting's agenda, with the question the board is asked."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="agenda_items")
    question = models.TextField()
    presenting_clinician = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="presented_items",
    )
    position = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(
        max_length=12, choices=AgendaItemStatus.choices, default=AgendaItemStatus.REFERRED
    )
    urgent = models.BooleanField(
        default=False,
        help_text="Suspected cord compression: first on the agenda, and do not wait for "
        "the meeting (MSCC-01).",
    )
    standard_of_care_opt_out = models.BooleanField(
        default=False,
        help_text="Taken out of the standard-of-care block: the board discusses this case "
        "in full even though its draft is all routine.",
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["meeting_id", "-urgent", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "patient"], name="patient_once_per_meeting"
            ),
        ]
        triggers = [
            # The same rules as clean(), for writes that skip it (raw SQL, bulk update).
            pgtrigger.Trigger(
                name="agenda_item_matches_board_and_decision",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update,
                func=_AGENDA_ITEM_RULES,
            ),
        ]

    def __str__(self) -> str:
        return f"Agenda item #{self.pk}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.meeting_id and self.patient_id and (
            Patient.objects.filter(pk=self.patient_id).values_list("board_id", flat=True)
            .first() != Meeting.objects.filter(pk=self.meeting_id)
            .values_list("board_id", flat=True).first()
        ):
            errors["patient"] = "This patient is not under this meeting's board."
        if self.pk and Decision.objects.filter(agenda_item_id=self.pk,
                                               signed_at__isnull=False).exists():
            before = AgendaItem.objects.filter(pk=self.pk).values(
                "patient_id", "meeting_id").first() or {}
            if self.status != AgendaItemStatus.DECIDED:
                errors["status"] = ("The board's decision on this case is signed, so it "
                                    "stays Decided. To change the decision, amend it.")
            if before.get("patient_id") not in (None, self.patient_id):
                errors["patient"] = ("The board's decision on this case is signed: the "
                                     "patient cannot change.")
            if before.get("meeting_id") not in (None, self.meeting_id):
                errors["meeting"] = ("The board's decision on this case is signed: the "
                                     "meeting cannot change.")
        if errors:
            raise ValidationError(errors)


# A signed decision is the board's record: PostgreSQL itself refuses to change or
# delete it (raw SQL included). Corrections are amendments: new Decision rows.
@audited()
class Decision(models.Model):
    """The board's decision on one agenda item; immutable once the chair signs it."""

    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, related_name="decisions"
    )
    version = models.PositiveSmallIntegerField(default=1)
    amends = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="amended_by"
    )
    amendment_reason = models.TextField(blank=True)
    outcome_summary = models.TextField(blank=True)
    engine_version = models.CharField(max_length=40, blank=True)
    draft_plan_ref = models.PositiveBigIntegerField(
        null=True, blank=True,
        help_text="ID of the draft-plan snapshot the board worked from.",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="recorded_decisions"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="signed_decisions",
    )
    signed_at = models.DateTimeField(null=True, blank=True)
    content_sha256 = models.CharField(max_length=64, blank=True)
    # HMAC-SHA256 of the same canonical content, under a key kept outside the database
    # (cases/signing.py): the hash alone can be recomputed by whoever rewrites the row.
    signature_key_id = models.CharField(max_length=32, blank=True)
    signature = models.CharField(max_length=64, blank=True)
    #: What the signed hash covers: 1 = the items' words only (decisions signed before
    #: typed actions existed, kept verifying as signed), 2 = the words and each item's
    #: typed action.
    content_format = models.PositiveSmallIntegerField(default=2)
    #: Signed in the standard-of-care block (every draft item accepted without
    #: discussion, NHS England "Streamlining MDT meetings", 2020); part of the signed
    #: content when true.
    standard_of_care = models.BooleanField(default=False)
    #: How long the case was on the shared screen in meeting mode (seconds, summed over
    #: every visit); None when it was never shown there.
    discussion_seconds = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["agenda_item_id", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["agenda_item", "version"], name="one_decision_per_version"
            ),
            models.CheckConstraint(
                condition=(Q(signed_at__isnull=True) & Q(signed_by__isnull=True))
                | (
                    Q(signed_at__isnull=False) & Q(signed_by__isnull=False)
                    & ~Q(content_sha256="")
                ),
                name="signed_decision_has_signer_time_and_hash",
            ),
            models.CheckConstraint(
                condition=Q(amends__isnull=True) | ~Q(amendment_reason=""),
                name="amendment_has_reason",
            ),
        ]
        triggers = [
            pgtrigger.Protect(
                name="signed_decision_is_immutable",
                operation=pgtrigger.Update | pgtrigger.Delete,
                condition=pgtrigger.Q(old__signed_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Decision #{self.pk} v{self.version}"

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None

    @property
    def signature_id(self) -> str:
        """How letters and exports name the signature: the signing key's ID and the
        first 16 hex digits of the MAC (`GET decisions/{id}/verify/` checks the whole)."""
        if not self.is_signed:
            return ""
        if self.signature:
            return f"{self.signature_key_id}-{self.signature[:16]}"
        return f"sha256-{self.content_sha256[:16]}"


_REFUSE_ITEM_CHANGE_OF_SIGNED_DECISION = """
    IF EXISTS (
        SELECT 1 FROM cases_decision d
        WHERE d.id = COALESCE(NEW.decision_id, OLD.decision_id) AND d.signed_at IS NOT NULL
    ) OR (TG_OP = 'UPDATE' AND EXISTS (
        SELECT 1 FROM cases_decision d WHERE d.id = OLD.decision_id AND d.signed_at IS NOT NULL
    )) THEN
        RAISE EXCEPTION 'decision % is signed and cannot be changed; record an amendment',
            COALESCE(NEW.decision_id, OLD.decision_id)
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
"""


@audited()
class DecisionItem(models.Model):
    """One line of a decision: a draft-plan item accepted, modified or rejected, or an
    item the board added. Modifying or rejecting needs a reason. A draft item of an
    unsigned decision may have no verdict yet (blank: the board has not reached it);
    signing refuses a decision with such an item."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="items")
    position = models.PositiveSmallIntegerField(default=0)
    code = models.CharField(
        max_length=60, blank=True, help_text="The engine's plan-item code; blank if added."
    )
    rule_id = models.CharField(max_length=20, blank=True)
    title = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    draft_detail = models.JSONField(
        default=dict, blank=True,
        help_text="The draft item as the engine proposed it (structured detail).",
    )
    verdict = models.CharField(max_length=10, choices=DecisionItemVerdict.choices,
                               blank=True)
    reason = models.TextField(blank=True)
    action_kind = models.CharField(
        max_length=20, choices=[(k, v) for k, v in KIND_LABELS.items()], blank=True,
        help_text="Blank for a rejected item: it asks for nothing.",
    )
    action = models.JSONField(
        default=dict, blank=True,
        help_text="The typed action (cases.actions.action_clean's output); reminders "
        "are derived from this alone.",
    )

    class Meta:
        ordering = ["decision_id", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(verdict__in=[DecisionItemVerdict.MODIFIED,
                                          DecisionItemVerdict.REJECTED])
                | ~Q(reason=""),
                name="deviation_has_reason",
            ),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="signed_decision_items_are_immutable",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
                func=_REFUSE_ITEM_CHANGE_OF_SIGNED_DECISION,
            ),
        ]

    def __str__(self) -> str:
        return f"Decision item #{self.pk} ({self.verdict})"

    @property
    def action_text(self) -> str:
        """What the action asks, in words ("" for a rejected item)."""
        return action_summary(self.action) if self.action_kind else ""

    def clean(self) -> None:
        if self.verdict in (DecisionItemVerdict.MODIFIED, DecisionItemVerdict.REJECTED) and not (
            self.reason.strip()
        ):
            raise ValidationError({"reason": "Give the board's reason for this change."})


@audited()
class CaseOpinion(models.Model):
    """A specialist's short opinion on a case before the meeting (a radiology read, a
    surgical view), shown to the board in meeting mode and on the case review. One per
    specialist and case; recording again replaces the text (the audit trail keeps the
    earlier one)."""

    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE,
                                    related_name="opinions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                               related_name="case_opinions")
    specialty = models.CharField(max_length=40, choices=Specialty.choices)
    stance = models.CharField(max_length=10, choices=OpinionStance.choices)
    text = models.TextField(max_length=1000)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["agenda_item_id", "specialty", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agenda_item", "author"],
                                    name="one_opinion_per_specialist_and_case"),
        ]

    def __str__(self) -> str:
        return f"Opinion #{self.pk} on agenda item #{self.agenda_item_id}"

    @property
    def is_open(self) -> bool:
        """An opinion that asks the board to discuss the case."""
        return self.stance == OpinionStance.DISCUSS
