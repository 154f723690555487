"""`?ordering=` for every list of the API (the default filter backend in settings).

Kept in its own module, importing only `rest_framework.filters`, because settings name
it and DRF imports it while its own viewsets module is still loading.
"""

from __future__ import annotations

from rest_framework import filters


class StableOrderingFilter(filters.OrderingFilter):
    """`?ordering=` with the row ID appended as a tie-breaker.

    Cursor pagination positions on the first ordering field; without a unique
    tie-breaker PostgreSQL may return equal rows in a different order on the next page.
    A view that declares no ordering is ordered by ID.
    """

    def get_ordering(self, request, queryset, view):
        ordering = list(super().get_ordering(request, queryset, view) or ["id"])
        if not any(o.lstrip("-") in ("id", "pk") for o in ordering):
            ordering.append("-id" if ordering[0].startswith("-") else "id")
        return tuple(ordering)
