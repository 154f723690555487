"""Boards and who belongs to them. Membership is what scopes every patient read."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from cases.choices import BoardRole, Specialty
from cases.models._audit import audited
from cases.models._facts_version import board_facts_version

#: PAIN-03: the published cut points put moderate pain at NRS 5 (Serlin 1995: 1–4 mild,
#: 5–6 moderate; Woo 2015: mild–moderate cut point 4 in 80 % of recommendations), so the
#: analgesia review (PAIN-04) is drafted from worst NRS ≥ 5, "moderate or worse". A board
#: may choose another trigger; the plan then calls it the board's local choice.
ANALGESIA_REVIEW_NRS_DEFAULT = 5
_NRS_RANGE = "The pain score that triggers an analgesia review is on the 0–10 scale."


@audited()
class Board(models.Model):
    """A multidisciplinary tumour board, e.g. "Bone metastasis MDT" at one hospital.

    Every patient belongs to one board; a user sees the patients of the boards they are
    a member of and no others. Audited: its settings change what the engine drafts for
    all its patients (the analgesia-review trigger).
    """

    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    default_location = models.CharField(max_length=200, blank=True)
    analgesia_review_nrs = models.PositiveSmallIntegerField(
        "worst pain score (0–10) that triggers an analgesia review",
        default=ANALGESIA_REVIEW_NRS_DEFAULT,
        validators=[
            MinValueValidator(0, message=_NRS_RANGE),
            MaxValueValidator(10, message=_NRS_RANGE),
        ],
        help_text="Default 5: moderate or worse pain (Serlin 1995; Woo 2015). Another "
        "value is shown in every plan of this board as the board's local choice. A change "
        "re-drafts the plans of all the board's patients.",
    )
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="BoardMembership", related_name="boards"
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(analgesia_review_nrs__lte=10),
                name="board_analgesia_review_nrs_0_10",
                violation_error_message=_NRS_RANGE,
            ),
        ]
        triggers = board_facts_version()

    def __str__(self) -> str:
        return self.name


@audited()
class BoardMembership(models.Model):
    """One user's seat on a board: their role there and the specialty they bring."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="board_memberships"
    )
    role = models.CharField(max_length=20, choices=BoardRole.choices)
    specialty = models.CharField(max_length=40, choices=Specialty.choices, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["board", "user"], name="one_membership_per_board"),
        ]
        indexes = [models.Index(fields=["user", "board"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} on {self.board}"
