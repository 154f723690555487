"""Boards and who belongs to them. Membership is what scopes every patient read."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from cases.choices import BoardRole, Specialty
from cases.models._audit import audited


class Board(models.Model):
    """A multidisciplinary tumour board, e.g. "Bone metastasis MDT" at one hospital.

    Every patient belongs to one board; a user sees the patients of the boards they are
    a member of and no others.
    """

    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    default_location = models.CharField(max_length=200, blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="BoardMembership", related_name="boards"
    )

    class Meta:
        ordering = ["name"]

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
