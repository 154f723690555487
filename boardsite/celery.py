"""The Celery application: one worker pool for reminder delivery, one beat.

The beat schedule lives in code (architecture: fixed), so there is exactly one place
that says what runs periodically.
"""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "boardsite.settings")

app = Celery("boardsite")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Every minute in production; tests and benches shorten it via the environment.
_dispatch_every = float(os.environ.get("REMINDERS_DISPATCH_INTERVAL_SECONDS", "60"))
# settings.AUDIT_SEAL_SECONDS, read here before Django settings are loaded.
_seal_every = float(os.environ.get("BOARDSITE_AUDIT_SEAL_SECONDS", "5"))

app.conf.beat_schedule = {
    # Claims due reminders and enqueues one delivery per row; see reminders/tasks.py.
    "dispatch-due-reminders": {
        "task": "reminders.dispatch_due",
        "schedule": _dispatch_every,
        "options": {"expires": max(_dispatch_every * 0.9, 1.0)},
    },
    # Seals the audit rows written since the last run into the audit chain every few
    # seconds (cases/audit_chain.py: the shorter the interval, the shorter the time an
    # audit row can be deleted unseen); the chain's head is anchored outside the
    # database.
    "seal-audit-chain": {
        "task": "cases.audit_chain_seal",
        "schedule": float(_seal_every),
        "options": {"expires": max(_seal_every * 0.9, 1.0)},
    },
    # Security emails a worker did not send (it died, the broker lost the message);
    # cases/security_notices.py.
    "send-due-security-notices": {
        "task": "cases.security_notices_send_due",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
    # Agenda circulation and missing-data requests for the coming week's meetings.
    "prepare-upcoming-meetings": {
        "task": "reminders.prepare_meetings",
        "schedule": 15 * 60.0,
        "options": {"expires": 14 * 60},
    },
}

