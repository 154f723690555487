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

app.conf.beat_schedule = {
    # Claims due reminders and enqueues one delivery per row; see reminders/tasks.py.
    "dispatch-due-reminders": {
        "task": "reminders.dispatch_due",
        "schedule": 60.0,
        "options": {"expires": 55},
    },
}
