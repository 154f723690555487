"""What leaves the board after the meeting: outcome letters, and who was sent a link.

A letter is written once for one signed decision version and never changes, like the
decision itself: PostgreSQL refuses an UPDATE or DELETE (raw SQL included; the app role
cannot bypass the trigger, `cases/dbroles.py`) and refuses a letter for an unsigned
decision. An amendment is a new decision version, so it gets new letters.
"""

from __future__ import annotations

import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import Q

from cases.choices import DocumentKind, LetterAudience
from cases.models._audit import audited
from cases.models.meeting import Decision, Meeting

_LETTER_ONLY_FOR_SIGNED_DECISION = """
    IF NOT EXISTS (
        SELECT 1 FROM cases_decision d
        WHERE d.id = NEW.decision_id AND d.signed_at IS NOT NULL
          AND d.version = NEW.decision_version
    ) THEN
        RAISE EXCEPTION 'decision %: letters are written for a signed version only',
            NEW.decision_id USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
"""


class OutcomeLetter(models.Model):
    """One letter (to the GP or to the patient) about one signed decision version: the
    HTML body and the PDF as they were written, with the version and signature ID they
    carry. Append-only."""

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="letters")
    audience = models.CharField(max_length=10, choices=LetterAudience.choices)
    decision_version = models.PositiveSmallIntegerField()
    signature_id = models.CharField(max_length=80)
    html = models.TextField(help_text="The letter's body as written (HTML).")
    pdf = models.BinaryField()
    pdf_sha256 = models.CharField(max_length=64)
    pages = models.PositiveSmallIntegerField()
    written_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decision_id", "audience"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "audience"],
                                    name="one_letter_per_audience_and_version"),
        ]
        triggers = [
            pgtrigger.Protect(
                name="outcome_letter_is_immutable",
                operation=pgtrigger.Update | pgtrigger.Delete,
            ),
            pgtrigger.Trigger(
                name="outcome_letter_for_signed_decision",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert,
                func=_LETTER_ONLY_FOR_SIGNED_DECISION,
            ),
        ]

    def __str__(self) -> str:
        # No patient data: __str__ ends up in logs and admin messages.
        return f"Letter #{self.pk} ({self.audience}, decision #{self.decision_id})"


# Audited like access changes: each sending is also an event that joins the keyed
# audit chain (cases/audit_chain.py), so a deleted record of a sending is detected.
@audited()
class DocumentDispatch(models.Model):
    """A link to a letter or to a meeting's minutes, emailed to one board member: who
    sent it, to whom, when. The email carries the link only; this row is the audit of
    the sending (append-only for the app role)."""

    kind = models.CharField(max_length=10, choices=DocumentKind.choices)
    letter = models.ForeignKey(OutcomeLetter, on_delete=models.PROTECT, null=True,
                               blank=True, related_name="dispatches")
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="minutes_dispatches")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                related_name="documents_sent")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                  related_name="documents_received")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind=DocumentKind.LETTER) & Q(letter__isnull=False)
                           & Q(meeting__isnull=True))
                | (Q(kind=DocumentKind.MINUTES) & Q(meeting__isnull=False)
                   & Q(letter__isnull=True)),
                name="dispatch_names_one_document",
            ),
        ]
        triggers = [
            pgtrigger.Protect(
                name="document_dispatch_is_append_only",
                operation=pgtrigger.Update | pgtrigger.Delete,
            ),
        ]

    def __str__(self) -> str:
        return f"Dispatch #{self.pk} ({self.kind})"
