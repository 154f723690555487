"""Middleware details of the API."""

from __future__ import annotations

from pghistory.middleware import HistoryMiddleware as _PghistoryHistoryMiddleware

_READ_ONLY = frozenset({"GET", "HEAD", "OPTIONS"})


class HistoryMiddleware(_PghistoryHistoryMiddleware):
    """pghistory's middleware (who and which URL, attached to every audit-trail row of a
    write), except for read-only requests to the API.

    A GET under /api/ writes no row that pghistory tracks (reads are recorded as
    `PatientAccess` rows, which its triggers do not follow), yet pghistory's context
    wraps every query of the request and prefixes every INSERT (the read audit's
    included) with two `set_config` calls: ≈ 4 % of the CPU of a patient list page.
    Every other request — pages, and writes to the API — keeps the context as before.
    """

    def __call__(self, request):
        if request.method in _READ_ONLY and request.path_info.startswith("/api/"):
            return self.get_response(request)
        return super().__call__(request)
