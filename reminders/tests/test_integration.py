"""End to end and under faults: a real Celery worker process (with an embedded beat that
dispatches every second), a Redis of the test's own, the test database, and a real SMTP
server. Each fault test asserts that nothing is lost and nothing is sent twice."""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
from collections import Counter

import pytest
import time_machine
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from boardsite.accounts_testing import verified_login
from cases.services import meeting_create
from reminders.choices import DeliveryStatus, ReminderKind, ReminderStatus
from reminders.delivery import dispatch_due, reminders_claim_due
from reminders.models import Delivery, Reminder
from reminders.selectors import overdue_and_failed_for_coordinator
from reminders.services import decision_sign_and_schedule
from reminders.tasks import enqueue_deliveries
from reminders.tests.conftest import broker, local, make_decision, wait_until, zoledronic_item
from reminders.tests.test_delivery import all_text, identifiers_of

pytestmark = [pytest.mark.integration, pytest.mark.slow,
              pytest.mark.django_db(transaction=True)]


@pytest.fixture
def smtp(smtp_server):
    return smtp_server.handler


def make_due(count, *, board, patient, user, prefix="due") -> list[Reminder]:
    now = timezone.now() - dt.timedelta(minutes=1)
    Reminder.objects.bulk_create([
        Reminder(kind=ReminderKind.IMAGING_REASSESSMENT, board=board, patient=patient,
                 responsible_user=user, title=f"Imaging re-assessment {n}",
                 due_on=now.date(), due_at=now, next_attempt_at=now,
                 idempotency_key=f"{prefix}:{n}")
        for n in range(count)
    ])
    return list(Reminder.objects.filter(idempotency_key__startswith=f"{prefix}:"))


def statuses() -> Counter:
    return Counter(Reminder.objects.values_list("status", flat=True))


def assert_each_sent_exactly_once(smtp, reminders, *, settle: float = 1.5) -> None:
    """All delivered, every one once — and still once after letting the worker and its
    beat run a little longer (a late duplicate would show up here)."""
    expected = sorted(str(r.public_id) for r in reminders)
    wait_until(lambda: len(smtp.reminder_ids()) >= len(expected), timeout=60,
               what=f"{len(expected)} messages")
    wait_until(lambda: statuses()[ReminderStatus.SENT] == len(expected), timeout=30,
               what="every row marked sent")
    time.sleep(settle)
    assert sorted(smtp.reminder_ids()) == expected
    assert statuses() == Counter({ReminderStatus.SENT: len(expected)})


def test_signed_decision_to_inbox_through_worker_and_beat(
        start_worker, own_redis, smtp_server, smtp, board, chair, coordinator, oncologist,
        patient):
    sign_day = timezone.localdate() - dt.timedelta(days=3)
    with time_machine.travel(local(sign_day, 12), tick=False):
        decision = make_decision(
            board=board, patient=patient, recorded_by=coordinator,
            presenting_clinician=oncologist,
            items=[zoledronic_item(doses=2, first_dose_on=(sign_day + dt.timedelta(days=3))
                                   .isoformat())],
        )
        decision_sign_and_schedule(decision=decision, chair=chair)
    meeting = meeting_create(board=board, starts_at=timezone.now() + dt.timedelta(days=1))
    from reminders.services import meeting_preparation_schedule

    meeting_preparation_schedule(meeting=meeting)
    due_now = list(Reminder.objects.filter(next_attempt_at__lte=timezone.now()))
    assert sorted(r.kind for r in due_now) == [
        "agenda_circulation", "agenda_circulation", "agenda_circulation",
        "dental_before_bta", "renal_before_zoledronic",
    ]
    start_worker(redis_url=own_redis.url, smtp_port=smtp_server.port)
    expected = sorted(str(r.public_id) for r in due_now)
    wait_until(lambda: len(smtp.reminder_ids()) >= len(expected), timeout=30,
               what="the due reminders")
    time.sleep(2)
    assert sorted(smtp.reminder_ids()) == expected
    assert Counter(Reminder.objects.values_list("status", flat=True)) == Counter(
        {"sent": 5, "pending": 1}  # the second dose's creatinine is four weeks away
    )
    subjects = sorted(str(m["Subject"]).strip() for m in smtp.messages)
    assert subjects[-2:] == [
        f"Boardsite: Dental examination before the first dose of a bone-targeted agent - due "
        f"{sign_day.isoformat()}",
        "Boardsite: Serum creatinine and calcium before the next zoledronic acid dose - due "
        f"{sign_day.isoformat()}",
    ]
    for message, raw in zip(smtp.messages, smtp.raw, strict=True):
        text = all_text(message, raw)
        for identifier in identifiers_of(patient):
            assert not re.search(re.escape(identifier), text, re.IGNORECASE), identifier
    invitations = [m for m in smtp.messages
                   if any(p.get_content_type() == "text/calendar" for p in m.walk())]
    assert sorted(m["To"] for m in invitations) == [
        "chair@hospital.example", "coordinator@hospital.example",
        "oncologist@hospital.example",
    ]


def test_worker_killed_mid_delivery_and_restarted(start_worker, own_redis, smtp_server, smtp,
                                                   board, oncologist, patient):
    reminders = make_due(5, board=board, patient=patient, user=oncologist)
    smtp.stall_rcpt.set()  # the first SMTP conversation hangs after MAIL FROM
    first = start_worker(redis_url=own_redis.url, smtp_port=smtp_server.port, concurrency=1)
    assert smtp.rcpt_stalled.wait(timeout=30)
    first.kill()  # SIGKILL, main process and pool child, mid-conversation
    smtp.release_rcpt.set()
    assert smtp.reminder_ids() == []
    assert statuses()[ReminderStatus.CLAIMED] >= 1
    start_worker(redis_url=own_redis.url, smtp_port=smtp_server.port)
    assert_each_sent_exactly_once(smtp, reminders)


def test_slow_250_and_the_worker_killed_resends_once_later_with_the_same_message_id(
        start_worker, own_redis, smtp_server, smtp, board, oncologist, patient):
    """The server has the message but its "250" is slow; the worker is SIGKILLed before
    it hears it. The copy stays "sending" (maybe delivered): no resend at once — the
    reclaim after the claim timeout schedules the normal retry, which carries the same
    Message-ID, so the recipient's system keeps one message."""
    [reminder] = make_due(1, board=board, patient=patient, user=oncologist)
    smtp.slow_reply_once = 5.0
    first = start_worker(redis_url=own_redis.url, smtp_port=smtp_server.port, concurrency=1)
    assert smtp.slow_reply_started.wait(timeout=30)
    first.kill()  # SIGKILL, main process and pool child, before the "250" arrives
    killed_at = time.monotonic()
    [copy] = Delivery.objects.filter(reminder=reminder)
    assert (copy.status, copy.attempts) == (DeliveryStatus.SENDING, 1)
    assert Reminder.objects.get(pk=reminder.pk).status == ReminderStatus.CLAIMED
    start_worker(redis_url=own_redis.url, smtp_port=smtp_server.port)
    wait_until(lambda: Reminder.objects.get(pk=reminder.pk).status == ReminderStatus.SENT,
               timeout=60, what="the retry")
    time.sleep(2)  # beat keeps dispatching: nothing more may go out
    expected = f"<{copy.public_id}@127.0.0.1>"
    assert smtp.message_ids_by_recipient() == {"oncologist@hospital.example": [expected] * 2}
    # Not at once: only after the claim timeout (3 s) and the retry delay (1 s).
    assert smtp.received_at[1] - killed_at >= 3
    copy.refresh_from_db()
    assert (copy.status, copy.attempts) == (DeliveryStatus.SENT, 2)


def test_redis_stopped_during_dispatch_and_restarted(start_worker, own_redis, smtp_server,
                                                      smtp, board, oncologist, patient):
    reminders = make_due(80, board=board, patient=patient, user=oncologist)
    smtp.delay = 0.03  # slow enough that Redis dies with deliveries queued and running
    start_worker(redis_url=own_redis.url, smtp_port=smtp_server.port)
    wait_until(lambda: len(smtp.reminder_ids()) >= 10, timeout=30, what="the first sends")
    own_redis.stop()  # the queue and every unacknowledged message are gone with it
    time.sleep(1.5)
    assert 0 < len(smtp.reminder_ids()) < 80
    own_redis.start()  # the same port, empty
    assert_each_sent_exactly_once(smtp, reminders, settle=2.0)


def test_two_dispatchers_at_once_claim_disjoint_rows(start_worker, own_redis, smtp_server,
                                                     smtp, board, oncologist, patient):
    reminders = make_due(300, board=board, patient=patient, user=oncologist)
    a_holds_its_claim, b_finished = threading.Event(), threading.Event()
    claimed: dict[str, list[int]] = {"a": [], "b": []}
    errors: list[BaseException] = []

    def dispatcher_a():
        try:
            with transaction.atomic():
                claimed["a"] = reminders_claim_due(now=timezone.now(), limit=100)
                a_holds_its_claim.set()
                # Keep the row locks while B runs: B must skip these rows, not wait.
                assert b_finished.wait(timeout=30)
        except BaseException as exc:  # noqa: BLE001 — re-raised in the test thread
            errors.append(exc)
        finally:
            connection.close()

    def dispatcher_b():
        try:
            assert a_holds_its_claim.wait(timeout=30)
            dispatch_due(enqueue=claimed["b"].extend, batch_size=40)
            b_finished.set()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
            b_finished.set()
        finally:
            connection.close()

    threads = [threading.Thread(target=dispatcher_a), threading.Thread(target=dispatcher_b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert len(claimed["a"]) == 100 and len(claimed["b"]) == 200
    assert set(claimed["a"]).isdisjoint(claimed["b"])
    assert set(claimed["a"]) | set(claimed["b"]) == {r.pk for r in reminders}
    # Deliver through a real worker; then enqueue every ID a second time, as a broker
    # redelivery would: the duplicates find their rows sent and send nothing.
    with broker(own_redis.url):
        enqueue_deliveries(claimed["a"] + claimed["b"])
        start_worker(redis_url=own_redis.url, smtp_port=smtp_server.port, beat=False)
        assert_each_sent_exactly_once(smtp, reminders, settle=0)
        enqueue_deliveries(claimed["a"] + claimed["b"])
        time.sleep(3)
    assert sorted(smtp.reminder_ids()) == sorted(str(r.public_id) for r in reminders)


def test_smtp_451_is_retried_by_the_dispatcher_then_sent_once(
        start_worker, own_redis, smtp_server, smtp, board, oncologist, patient):
    [reminder] = make_due(1, board=board, patient=patient, user=oncologist)
    smtp.data_replies.append("451 4.3.0 Mailbox busy, try again later")
    start_worker(redis_url=own_redis.url, smtp_port=smtp_server.port)
    assert_each_sent_exactly_once(smtp, [reminder])
    fresh = Reminder.objects.get(pk=reminder.pk)
    assert (fresh.status, fresh.attempts, fresh.sent_count) == ("sent", 2, 1)


def test_smtp_550_fails_the_reminder_and_shows_it_to_coordinators(
        start_worker, own_redis, smtp_server, smtp, board, coordinator, oncologist, patient):
    [reminder] = make_due(1, board=board, patient=patient, user=oncologist)
    smtp.data_replies.append("550 5.1.1 Mailbox unavailable")
    start_worker(redis_url=own_redis.url, smtp_port=smtp_server.port)
    wait_until(lambda: Reminder.objects.get(pk=reminder.pk).status == ReminderStatus.FAILED,
               timeout=30, what="the reminder to fail")
    time.sleep(2.5)  # beat keeps dispatching: a failed row is never picked up again
    fresh = Reminder.objects.get(pk=reminder.pk)
    assert (fresh.status, fresh.attempts, fresh.last_error) == (
        "failed", 1, "SMTP 550: SMTPDataError"
    )
    assert smtp.reminder_ids() == []
    assert [r.pk for r in overdue_and_failed_for_coordinator(coordinator)] == [reminder.pk]
    client = Client()
    verified_login(client, coordinator)
    page = client.get(reverse("reminders:board")).content.decode()
    assert "Imaging re-assessment 0" in page and "SMTP 550: SMTPDataError" in page


def test_transaction_rolled_back_after_scheduling_sends_nothing(
        start_worker, own_redis, smtp_server, smtp, board, chair, coordinator, oncologist,
        patient):
    sign_day = timezone.localdate() - dt.timedelta(days=3)
    with time_machine.travel(local(sign_day, 12), tick=False):
        decision = make_decision(board=board, patient=patient, recorded_by=coordinator,
                                 presenting_clinician=oncologist,
                                 items=[zoledronic_item(doses=1)])
        with pytest.raises(RuntimeError), transaction.atomic():
            decision_sign_and_schedule(decision=decision, chair=chair)
            assert Reminder.objects.count() == 2
            raise RuntimeError("rolled back after scheduling")
    assert Reminder.objects.count() == 0
    [control] = make_due(1, board=board, patient=patient, user=oncologist, prefix="control")
    start_worker(redis_url=own_redis.url, smtp_port=smtp_server.port)
    assert_each_sent_exactly_once(smtp, [control], settle=2.0)
