"""The reminder outbox: one row per email the follow-up of a case or a meeting needs."""

from __future__ import annotations

import uuid

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q

from cases.choices import BoardRole
from cases.models import AgendaItem, Board, Decision, DecisionItem, Meeting, Patient
from reminders.choices import (
    OPEN_STATUSES,
    ActionStatus,
    DeliveryStatus,
    NotDoneReason,
    ReminderKind,
    ReminderStatus,
)


# Who is to be told, and what people did with it (snooze, done, cancel), is audited;
# the dispatcher's own bookkeeping (claims, attempts, sent) is not: it would add a row
# per delivery attempt (bench/reminders_delivery.py) and grants no one anything.
@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(condition=pgtrigger.AnyChange(
        "responsible_user", "responsible_role", "title", "detail", "due_on",
        "snoozed_until", "done_at", "done_by", "cancelled_at", "cancelled_by",
        "cancel_reason",
    )),
    pghistory.DeleteEvent(),
)
class Reminder(models.Model):
    """One follow-up reminder: what is due, for which case, for whom, and when — and
    where its delivery stands.

    The row *is* the outbox: it is written in the same transaction as the signed
    decision (or the meeting preparation) that needs it, and Celery only ever delivers
    rows it has claimed here, so nothing is lost when a worker or Redis dies.
    `idempotency_key` (kind + source + due date [+ recipient]) makes scheduling
    repeatable: scheduling the same decision twice writes nothing new.

    `due_at` is the clinical due time (09:00 clinic-local on `due_on`, stored as UTC);
    `next_attempt_at` is when the dispatcher may pick the row up next — equal to
    `due_at` at first, moved later by a snooze or a transient SMTP failure (no Celery
    ETA/countdown is ever used for that).
    """

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(max_length=40, choices=ReminderKind.choices)
    status = models.CharField(
        max_length=10, choices=ReminderStatus.choices, default=ReminderStatus.PENDING
    )
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="reminders",
                              db_index=False)
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, null=True, blank=True, related_name="reminders",
        db_index=False,
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="reminders",
        db_index=False,
    )
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.PROTECT, null=True, blank=True, related_name="reminders",
        db_index=False,
    )
    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="reminders",
        db_index=False,
    )
    decision_item = models.ForeignKey(
        DecisionItem, on_delete=models.PROTECT, null=True, blank=True, related_name="reminders",
        db_index=False,
    )
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="reminders", db_index=False,
    )
    responsible_role = models.CharField(
        max_length=20, choices=BoardRole.choices, blank=True,
        help_text="When no one person is responsible: every member of the board with "
        "this role receives it.",
    )
    # What is due, in words that carry no patient identifier (they go into the email).
    title = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    event_on = models.DateField(
        null=True, blank=True, help_text="The dose, visit or meeting this prepares for."
    )
    due_on = models.DateField(help_text="Clinic-local date the reminder is due.")
    due_at = models.DateTimeField()
    next_attempt_at = models.DateTimeField()
    idempotency_key = models.CharField(max_length=200, unique=True)

    attempts = models.PositiveSmallIntegerField(default=0)
    sent_count = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    snoozed_until = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", db_index=False,
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
        related_name="+", db_index=False,
        help_text="Blank when the system cancelled it (an amendment).",
    )
    cancel_reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_at", "id"]
        # Foreign keys get no index of their own (db_index=False): the indexes below
        # cover every lookup, and each extra index is written by every claim's UPDATE
        # (bench/reminders_claim.py).
        indexes = [
            # The dispatcher's claim: only pending rows, by when they may go out. Stays
            # small however many sent rows accumulate (performance-notes: ≈ 1 ms at 1M).
            models.Index(
                fields=["next_attempt_at"], name="reminder_pending_due",
                condition=Q(status=ReminderStatus.PENDING),
            ),
            # Reclaiming rows a dead worker left claimed.
            models.Index(
                fields=["claimed_at"], name="reminder_claimed_at",
                condition=Q(status=ReminderStatus.CLAIMED),
            ),
            models.Index(fields=["responsible_user", "due_at"], name="reminder_user_due"),
            models.Index(fields=["board", "status", "due_at"], name="reminder_board_status"),
            models.Index(fields=["patient", "due_at"], name="reminder_patient_due"),
            models.Index(fields=["agenda_item", "kind"], name="reminder_agenda_item"),
            models.Index(fields=["meeting", "kind"], name="reminder_meeting"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(responsible_user__isnull=False) | ~Q(responsible_role=""),
                name="reminder_has_someone_responsible",
            ),
            models.CheckConstraint(
                condition=~Q(status=ReminderStatus.CANCELLED) | ~Q(cancel_reason=""),
                name="cancelled_reminder_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"Reminder #{self.pk} ({self.kind}, {self.status})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class Delivery(models.Model):
    """One recipient's copy of one sending of a reminder: exactly once per recipient.

    A reminder addressed to a role has several recipients; each has a row of its own
    with its own status and attempts, so a refusal for one of them retries only that
    one. `round` is the reminder's `sent_count` when the row was made (a snoozed
    reminder that was already sent goes out again as a new round, with new rows).
    `public_id` is the message's Message-ID (`<public_id@host>`), the same on every
    attempt, so a receiving system can drop the copy a retry after an ambiguous
    failure may produce.
    """

    reminder = models.ForeignKey(Reminder, on_delete=models.PROTECT, related_name="deliveries",
                                 db_index=False)
    round = models.PositiveSmallIntegerField(default=0)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                             blank=True, related_name="+", db_index=False)
    address = models.EmailField()
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sending_since = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["reminder_id", "round", "address"]
        constraints = [
            models.UniqueConstraint(fields=["reminder", "round", "address"],
                                    name="delivery_once_per_recipient"),
        ]
        indexes = [
            # Finding copies a dead worker left in flight (the reclaim).
            models.Index(fields=["sending_since"], name="delivery_sending_since",
                         condition=Q(status=DeliveryStatus.SENDING)),
        ]

    def __str__(self) -> str:
        return f"Delivery #{self.pk} of reminder #{self.reminder_id} ({self.status})"


class ActionFollowUp(models.Model):
    """The closed loop of one signed action: planned → done (when, by whom) / not done
    (a structured reason) / superseded by an amendment.

    The signed decision item itself never changes (PostgreSQL refuses it); what happened
    to it is recorded here, one row per action of every signed version. An amendment
    carries the state of an unchanged action over to its new row and marks the old one
    superseded.
    """

    decision_item = models.OneToOneField(
        DecisionItem, on_delete=models.PROTECT, related_name="follow_up"
    )
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="+",
                                 db_index=False)
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="+",
                                    db_index=False)
    board = models.ForeignKey(Board, on_delete=models.PROTECT, related_name="+",
                              db_index=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="+",
                                db_index=False)
    kind = models.CharField(max_length=20)
    #: What the action asks, in words (cases.actions.action_summary), no identifier.
    summary = models.CharField(max_length=600)
    #: When it should have happened by: its first reminder, else its own date, else the
    #: sign-off day.
    due_on = models.DateField()
    signed_on = models.DateField()
    status = models.CharField(max_length=12, choices=ActionStatus.choices,
                              default=ActionStatus.PLANNED)
    done_on = models.DateField(null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                null=True, blank=True, related_name="+", db_index=False)
    not_done_reason = models.CharField(max_length=20, choices=NotDoneReason.choices,
                                       blank=True)
    not_done_text = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["board", "status", "due_on"], name="followup_board_status"),
            models.Index(fields=["patient", "due_on"], name="followup_patient"),
            models.Index(fields=["agenda_item"], name="followup_agenda_item"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=ActionStatus.DONE)
                | (Q(done_on__isnull=False) & Q(done_by__isnull=False)),
                name="done_action_has_date_and_person",
            ),
            models.CheckConstraint(
                condition=~Q(status=ActionStatus.NOT_DONE) | ~Q(not_done_reason=""),
                name="not_done_action_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(not_done_reason=NotDoneReason.OTHER) | ~Q(not_done_text=""),
                name="other_reason_has_text",
            ),
        ]

    def __str__(self) -> str:
        return f"Action follow-up #{self.pk} ({self.status})"
