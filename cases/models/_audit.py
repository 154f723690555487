"""The audit trail of clinical rows.

`audited` puts a django-pghistory trigger on a model: every INSERT, UPDATE and DELETE
is copied into an event table by PostgreSQL itself, so bulk `update()`, raw SQL and
the admin are caught as well as the ORM. The request context (user, URL) is attached
by `pghistory.middleware.HistoryMiddleware`.
"""

from __future__ import annotations

import pghistory


def audited():
    return pghistory.track(
        pghistory.InsertEvent(),
        pghistory.UpdateEvent(),
        pghistory.DeleteEvent(),
    )
