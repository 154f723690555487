"""DRF glue for the permissions of `cases.rules` (the one place they are defined).

A view names, per action, the `rules` permission it needs (`perms_by_action`). Reading
is scoped by the view's queryset (`cases.scoping`): a row outside the user's boards is
a 404 before any permission is asked. Creating checks the permission against the row
being created (its board is known from the validated input) in the view.
"""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission


def required_perm(view, obj=None) -> str | None:
    """The permission `view.action` needs; a view may decide per row (`perm_for`)."""
    if obj is not None and hasattr(view, "perm_for"):
        return view.perm_for(obj)
    perms = getattr(view, "perms_by_action", {})
    return perms.get(view.action)


class RulesObjectPermission(BasePermission):
    """Object-level check: `user.has_perm(<perm for this action>, obj)`.

    Safe methods on a scoped queryset need nothing more; an action that names no
    permission and is not safe is refused (fail closed).
    """

    message = "Your role on this board does not allow this action."

    def has_object_permission(self, request, view, obj) -> bool:
        perm = required_perm(view, obj)
        if perm is None:
            return request.method in SAFE_METHODS
        return request.user.has_perm(perm, obj)


class IsAdministrator(BasePermission):
    """User and board-membership management: administrators only."""

    message = "Only administrators manage users and board memberships."

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.has_perm("cases.manage_users"))
