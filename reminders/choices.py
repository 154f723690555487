"""Controlled vocabularies of the reminder outbox."""

from django.db import models


class ReminderKind(models.TextChoices):
    """What the reminder asks for (rules-reference section 9)."""

    RENAL_BEFORE_ZOLEDRONIC = (
        "renal_before_zoledronic", "Creatinine and calcium before zoledronic acid"
    )
    DENTAL_BEFORE_BTA = "dental_before_bta", "Dental examination before the first BTA dose"
    CALCIUM_DENOSUMAB = "calcium_denosumab", "Serum calcium on denosumab"
    FBC_BEFORE_RADIUM = "fbc_before_radium", "Full blood count before radium-223"
    PAIN_REVIEW_AFTER_RT = "pain_review_after_rt", "Pain-response review after radiotherapy"
    IMAGING_REASSESSMENT = "imaging_reassessment", "Imaging re-assessment"
    IMAGING_DUE = "imaging_due", "Imaging due"
    LAB_DUE = "lab_due", "Blood test due"
    REVIEW_DUE = "review_due", "Clinical review due"
    PROCEDURE_DUE = "procedure_due", "Procedure or referral due"
    WITHHOLD_RECHECK = "withhold_recheck", "Recheck while a medicine is withheld"
    RESUME_REVIEW = "resume_review", "Decide whether to resume a withheld medicine"
    AFF_QUESTION = "aff_question", "Thigh / groin pain question (atypical femoral fracture)"
    AGENDA_CIRCULATION = "agenda_circulation", "Meeting agenda"
    MISSING_DATA_REQUEST = "missing_data_request", "Missing data for a case on the agenda"


#: Kinds that prepare a meeting rather than follow a signed decision.
MEETING_KINDS = frozenset({ReminderKind.AGENDA_CIRCULATION, ReminderKind.MISSING_DATA_REQUEST})


class ReminderStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    CLAIMED = "claimed", "Being sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"
    DONE = "done", "Done"


#: Statuses in which a reminder still asks for something.
OPEN_STATUSES = (
    ReminderStatus.PENDING, ReminderStatus.CLAIMED, ReminderStatus.SENT, ReminderStatus.FAILED,
)
#: Statuses a newer decision may still cancel (a sent or done reminder is history).
LIVE_STATUSES = (ReminderStatus.PENDING, ReminderStatus.CLAIMED, ReminderStatus.FAILED)


class DeliveryStatus(models.TextChoices):
    """Where one recipient's copy of a reminder stands."""

    PENDING = "pending", "Waiting to be sent"
    # Committed before the SMTP conversation starts: a row still "sending" after the
    # claim timeout may or may not have arrived, so it is retried after the normal
    # delay with the same Message-ID, never at once.
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed"


class ActionStatus(models.TextChoices):
    """Where a signed action stands (the closed loop)."""

    PLANNED = "planned", "Planned"
    DONE = "done", "Done"
    NOT_DONE = "not_done", "Not done"
    SUPERSEDED = "superseded", "Superseded by an amendment"


class NotDoneReason(models.TextChoices):
    PATIENT_DECLINED = "patient_declined", "Patient declined"
    CLINICAL_CHANGE = "clinical_change", "Clinical change"
    NOT_FIT = "not_fit", "Not fit for it"
    LOGISTICS = "logistics", "Logistics"
    OTHER = "other", "Other"


#: Statuses of an action that still count for the implementation rate (superseded
#: actions were replaced by the amendment's own).
RATED_STATUSES = (ActionStatus.DONE, ActionStatus.NOT_DONE)
