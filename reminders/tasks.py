"""Celery tasks of the reminders app: they take IDs and call one service each.

No task here is ever sent with an ETA or countdown (Redis would redeliver such a
message after the visibility timeout): retries and snoozes move the row's
`next_attempt_at`, and the dispatcher, run by beat every minute, picks it up again.
Delivery tasks are `acks_late` and rejected (so redelivered) when their worker dies:
the database, not the broker, knows what was sent (`reminders.delivery`).
"""

from __future__ import annotations

from collections.abc import Sequence

from celery import shared_task
from celery.signals import worker_init
from django.apps import apps
from kombu.exceptions import OperationalError
from kombu.utils.uuid import uuid

from reminders import delivery, services


def enqueue_deliveries(reminder_ids: Sequence[int]) -> None:
    """One delivery task per `DELIVERY_BATCH_SIZE` claimed rows, over one broker
    connection. Called only after the claiming transaction committed
    (`transaction.on_commit`).

    Each message is built and published with Celery's own `amqp.create_task_message`
    / `send_task_message` — what `deliver.apply_async(args=[ids])` ends in: task
    protocol 2, JSON, the task's route (looked up once per call), publish retry and
    the publish signals — without the option merging `apply_async` repeats per call.
    """
    app = deliver.app
    amqp = app.amqp
    name = deliver.name
    route = amqp.router.route({}, name, (), {})
    ids = [int(i) for i in reminder_ids]
    size = delivery.DELIVERY_BATCH_SIZE
    with app.producer_or_acquire() as producer:
        for start in range(0, len(ids), size):
            message = amqp.create_task_message(uuid(), name, (ids[start:start + size],), {},
                                               ignore_result=True)
            amqp.send_task_message(producer, name, message, **route)


@shared_task(name="reminders.dispatch_due", ignore_result=True)
def dispatch_due() -> int:
    return delivery.dispatch_due(enqueue=enqueue_deliveries)


def dispatch_due_now() -> bool:
    """After a "send now" (circulating the agenda): ask a worker to send what is due
    at once instead of at beat's next run. False when the broker cannot take the
    message; beat's next run (every REMINDERS_DISPATCH_INTERVAL_SECONDS) still sends
    it, and the page says so."""
    try:
        dispatch_due.apply_async(retry=False, expires=60)
    except OperationalError:  # broker down or unreachable: beat picks the rows up
        return False
    return True


@shared_task(name="reminders.deliver", ignore_result=True, acks_late=True,
             reject_on_worker_lost=True)
def deliver(reminder_ids: list[int] | int) -> dict[int, str]:
    ids = [reminder_ids] if isinstance(reminder_ids, int) else reminder_ids
    return delivery.reminders_deliver(reminder_ids=[int(i) for i in ids])


@shared_task(name="reminders.prepare_meetings", ignore_result=True)
def prepare_meetings() -> int:
    return services.meetings_prepare_upcoming()


@worker_init.connect
def warm_up_before_fork(**_kwargs) -> None:
    """In the worker's main process, before the prefork pool forks (Celery imports
    the task modules first): load what every delivery needs (URL map, compiled
    templates), so the pool processes inherit it instead of each paying for it on its
    first task. Touches no database or network connection (those must not cross a
    fork)."""
    if apps.ready:  # Celery's Django fixup sets Django up before this signal
        delivery.delivery_warm_up()
