"""Related-row fields whose choices are scoped to the requesting user's boards.

A client that names a patient, lesion, meeting or agenda item of another board gets
the same "does not exist" message as for an ID that was never used — the API never
confirms that another board's row exists.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Model, QuerySet
from rest_framework import serializers


class ScopedPrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """`queryset` is the model's (for the schema); choices come from `scope(user)`."""

    def __init__(self, *, model: type[Model], scope: Callable[[object], QuerySet], **kwargs):
        self.scope = scope
        super().__init__(queryset=model._default_manager.all(), **kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None:
            return self.queryset.none()
        return self.scope(user)
