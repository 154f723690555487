"""The sending half of the reminders app: dispatch (claim due reminders, enqueue after
commit) and delivery (exactly once per recipient).

Keyword-only services, called by the Celery tasks (`reminders.tasks`):

- `dispatch_due` — claims due reminders with `SELECT … FOR UPDATE SKIP LOCKED`, batch
  by batch, and hands each batch's IDs to `enqueue` after its transaction commits.
- `reminders_deliver` — delivers a batch of claimed reminders: one `Delivery` row per
  (reminder, recipient), one message per row with the row's own Message-ID, all sent
  over the worker's one SMTP connection, each row's outcome recorded on its own.
- `reminders_reclaim_stale` — reminders a dead worker left claimed go back to pending;
  copies it left in flight wait for the normal retry.

A delivery runs in three steps, so that the database always knows what may have gone
out:

1. one transaction locks the batch's reminders, makes the missing delivery rows and
   marks each row still to send `sending` (attempts + 1), and commits;
2. the messages are built (fixed vocabulary, `reminders.emails`) and sent with
   Django's SMTP backend (`reminders.smtp.DeliveryBackend`: one connection, one
   outcome per message);
3. one transaction records every outcome and sets each reminder sent (all its rows
   sent), pending (a row to retry: `next_attempt_at` moves) or failed.

A worker killed during step 2 leaves rows `sending`: the reclaim treats them as maybe
delivered — retried after the normal delay with the same Message-ID, never at once. So
does a connection lost after DATA (a timeout waiting for the "250"). A refusal of one
recipient retries that recipient's row only.
"""

from __future__ import annotations

import logging
import smtplib
import socket
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from cases.models import AgendaItem, BoardMembership
from recommendations.selectors import current_drafts
from reminders import emails
from reminders.choices import DeliveryStatus, ReminderKind, ReminderStatus
from reminders.models import Delivery, Reminder
from reminders.smtp import DeliveryBackend, Outcome

logger = logging.getLogger(__name__)

#: Rows per claim. The claim's UPDATE costs ≈ 0.05 ms per row at 1M rows; 100 keeps
#: each claim (and the time its row locks are held) under 10 ms (bench/reminders_claim.py).
DISPATCH_BATCH_SIZE = 100
#: Reminders per delivery task: its two transactions and its SMTP connection are shared
#: by the batch. A worker killed mid-batch leaves at most this many rows "sending".
DELIVERY_BATCH_SIZE = 25

NO_RECIPIENT = "No recipient with an email address (set one, then retry)."
MAYBE_DELIVERED = ("No answer after the message was sent (it may have arrived): sending "
                   "again after the retry delay, with the same Message-ID.")
CLAIM_EXPIRED = "Claim expired: the delivery did not finish; sending again."


# --- Dispatch ----------------------------------------------------------------------------

def retry_delay(attempts: int) -> timedelta:
    base = settings.REMINDERS_RETRY_BASE_SECONDS
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 6 * 3600))


def reminders_reclaim_stale(*, now: datetime | None = None) -> int:
    """Reminders claimed longer ago than the claim timeout go back to pending: the
    worker that claimed them died or lost the message. Their rows still `sending` may
    have been delivered, so they wait for the normal retry (same Message-ID); a
    reminder with nothing in flight is due again at once. SKIP LOCKED: a delivery
    holding the row right now is left alone."""
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.REMINDERS_CLAIM_TIMEOUT_SECONDS)
    with transaction.atomic():
        ids = list(
            Reminder.objects.select_for_update(skip_locked=True)
            .filter(status=ReminderStatus.CLAIMED, claimed_at__lt=cutoff)
            .values_list("id", flat=True)
        )
        if not ids:
            return 0
        in_flight: dict[int, int] = {}
        for reminder_id, attempts in Delivery.objects.filter(
                reminder_id__in=ids, status=DeliveryStatus.SENDING
        ).values_list("reminder_id", "attempts"):
            in_flight[reminder_id] = max(attempts, in_flight.get(reminder_id, 0))
        Delivery.objects.filter(reminder_id__in=ids, status=DeliveryStatus.SENDING).update(
            status=DeliveryStatus.PENDING, sending_since=None, last_error=MAYBE_DELIVERED,
            updated_at=now)
        Reminder.objects.filter(pk__in=[i for i in ids if i not in in_flight]).update(
            status=ReminderStatus.PENDING, next_attempt_at=now, claimed_at=None,
            last_error=CLAIM_EXPIRED, updated_at=now)
        for reminder_id, attempts in in_flight.items():
            Reminder.objects.filter(pk=reminder_id).update(
                status=ReminderStatus.PENDING, next_attempt_at=now + retry_delay(attempts),
                claimed_at=None, last_error=MAYBE_DELIVERED, updated_at=now)
    logger.warning("reclaimed %d stale reminder claims (%d with copies in flight)",
                   len(ids), len(in_flight))
    return len(ids)


def reminders_claim_due(*, now: datetime, limit: int) -> list[int]:
    """Claim up to `limit` due rows (must run inside a transaction). Rows another
    dispatcher holds are skipped, never waited for or taken twice."""
    ids = list(
        Reminder.objects.select_for_update(skip_locked=True)
        .filter(status=ReminderStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at")
        .values_list("id", flat=True)[:limit]
    )
    if ids:
        Reminder.objects.filter(pk__in=ids).update(status=ReminderStatus.CLAIMED,
                                                   claimed_at=now)
    return ids


def dispatch_due(*, enqueue: Callable[[Sequence[int]], None], now: datetime | None = None,
                 batch_size: int = DISPATCH_BATCH_SIZE, max_rows: int = 100_000) -> int:
    """Claim every due row, batch by batch, and hand each batch's IDs to `enqueue`
    after that batch's transaction commits. Returns the number claimed."""
    reminders_reclaim_stale(now=now)
    total = 0
    while total < max_rows:
        moment = now or timezone.now()
        with transaction.atomic():
            ids = reminders_claim_due(now=moment, limit=batch_size)
            if ids:
                transaction.on_commit(lambda ids=ids: enqueue(ids))
        total += len(ids)
        if len(ids) < batch_size:
            break
    return total


# --- Delivery: step 1, in the database --------------------------------------------------

@dataclass
class _Work:
    reminder: Reminder
    deliveries: list[Delivery]  # this round's rows, all of them
    to_send: list[Delivery] = field(default_factory=list)
    missing: list[tuple[str, int]] | None = None
    agenda: emails.AgendaFacts | None = None


def _recipients(reminders: list[Reminder]) -> dict[int, list[tuple[int, str]]]:
    """(user ID, address) of everyone each reminder goes to: the responsible user, or
    every active member of the board with the responsible role — in one query."""
    found: dict[int, list[tuple[int, str]]] = {}
    by_role: dict[tuple[int, str], list[Reminder]] = defaultdict(list)
    for reminder in reminders:
        if reminder.responsible_user_id:
            user = reminder.responsible_user
            found[reminder.pk] = [(user.pk, user.email)] if user.email else []
        else:
            found[reminder.pk] = []
            by_role[(reminder.board_id, reminder.responsible_role)].append(reminder)
    if by_role:
        condition = Q()
        for board_id, role in by_role:
            condition |= Q(board_id=board_id, role=role)
        seats = (BoardMembership.objects.filter(condition, user__is_active=True)
                 .exclude(user__email="").order_by("user__email")
                 .values_list("board_id", "role", "user_id", "user__email"))
        for board_id, role, user_id, address in seats:
            for reminder in by_role[(board_id, role)]:
                found[reminder.pk].append((user_id, address))
    for reminder_id, people in found.items():
        seen: set[str] = set()
        found[reminder_id] = [(u, a) for u, a in people
                              if not (a.lower() in seen or seen.add(a.lower()))]
    return found


def agenda_facts(reminders) -> dict[int, emails.AgendaFacts]:
    """Per meeting reminder (agenda, missing-data request): the meeting's number of
    cases and urgent cases, and the case's number as the agenda page numbers it
    (urgent first, then the running order). One query for the whole batch."""
    meeting_kinds = (ReminderKind.AGENDA_CIRCULATION, ReminderKind.MISSING_DATA_REQUEST)
    wanted = [r for r in reminders if r.kind in meeting_kinds and r.meeting_id]
    if not wanted:
        return {}
    totals: Counter[int] = Counter()
    urgent: Counter[int] = Counter()
    numbers: dict[int, int] = {}
    for item_id, meeting_id, is_urgent in (
        AgendaItem.objects.filter(meeting_id__in={r.meeting_id for r in wanted})
        .order_by("meeting_id", "-urgent", "position", "id")
        .values_list("id", "meeting_id", "urgent")
    ):
        totals[meeting_id] += 1
        urgent[meeting_id] += bool(is_urgent)
        numbers[item_id] = totals[meeting_id]
    return {r.pk: emails.AgendaFacts(cases=totals[r.meeting_id], urgent=urgent[r.meeting_id],
                                     case_number=numbers.get(r.agenda_item_id))
            for r in wanted}


def _finish_reminder(reminder_id: int, now: datetime, **values) -> None:
    Reminder.objects.filter(pk=reminder_id).update(updated_at=now, **values)


def _start(reminder_ids: Sequence[int], now: datetime, outcomes: dict[int, str]
           ) -> list[_Work]:
    """Step 1: lock the reminders, make their delivery rows, mark what goes out now."""
    reminders = list(
        Reminder.objects.select_for_update(of=("self",))
        .select_related("responsible_user", "meeting")
        .filter(pk__in=reminder_ids).order_by("pk")
    )
    found = {reminder.pk for reminder in reminders}
    outcomes.update((i, "missing") for i in reminder_ids if i not in found)
    claimed = []
    for reminder in reminders:
        if reminder.status == ReminderStatus.CLAIMED:
            claimed.append(reminder)
        else:
            outcomes[reminder.pk] = f"skipped:{reminder.status}"
    missing: dict[int, list[tuple[str, int]]] = {}
    asking = [r for r in claimed if r.kind == ReminderKind.MISSING_DATA_REQUEST]
    drafts = current_drafts(agenda_item_ids=[r.agenda_item_id for r in asking])
    for reminder in asking:
        try:
            missing[reminder.pk] = emails.missing_by_supplier(drafts.get(reminder.agenda_item_id))
        except emails.NothingToSend as reason:
            _finish_reminder(reminder.pk, now, status=ReminderStatus.DONE, done_at=now,
                             last_error=str(reason))
            outcomes[reminder.pk] = "done:nothing-to-send"
    claimed = [r for r in claimed if r.pk not in outcomes]
    if not claimed:
        return []
    facts = agenda_facts(claimed)

    rows: dict[tuple[int, int], list[Delivery]] = defaultdict(list)
    for delivery in Delivery.objects.filter(reminder_id__in=[r.pk for r in claimed]):
        rows[(delivery.reminder_id, delivery.round)].append(delivery)
    people = None
    new_rows: list[Delivery] = []
    for reminder in claimed:
        if rows[(reminder.pk, reminder.sent_count)]:
            continue
        if people is None:
            people = _recipients(claimed)
        new_rows += [Delivery(reminder_id=reminder.pk, round=reminder.sent_count,
                              user_id=user_id, address=address)
                     for user_id, address in people[reminder.pk]]
    # The reminders are locked: no other transaction makes rows for them meanwhile.
    for delivery in Delivery.objects.bulk_create(new_rows):
        rows[(delivery.reminder_id, delivery.round)].append(delivery)

    work: list[_Work] = []
    for reminder in claimed:
        deliveries = rows[(reminder.pk, reminder.sent_count)]
        if not deliveries:
            _finish_reminder(reminder.pk, now, status=ReminderStatus.FAILED,
                             attempts=reminder.attempts + 1, last_error=NO_RECIPIENT)
            outcomes[reminder.pk] = "failed"
            continue
        item = _Work(reminder=reminder, deliveries=deliveries, missing=missing.get(reminder.pk),
                     agenda=facts.get(reminder.pk),
                     to_send=[d for d in deliveries if d.status == DeliveryStatus.PENDING])
        if not item.to_send and any(d.status == DeliveryStatus.SENDING for d in deliveries):
            outcomes[reminder.pk] = "skipped:in-flight"  # another task has them
            continue
        work.append(item)
    sending = [d for item in work for d in item.to_send]
    if sending:
        Delivery.objects.filter(pk__in=[d.pk for d in sending]).update(
            status=DeliveryStatus.SENDING, attempts=F("attempts") + 1, sending_since=now,
            updated_at=now)
        for delivery in sending:
            delivery.status, delivery.attempts = DeliveryStatus.SENDING, delivery.attempts + 1
        # A fresh lease: the reclaim leaves a reminder alone for the claim timeout.
        Reminder.objects.filter(pk__in=[item.reminder.pk for item in work]).update(
            claimed_at=now)
    return work


# --- Delivery: step 2, over SMTP ----------------------------------------------------------

_local = threading.local()

#: Django's SMTP backend is replaced by its subclass that records each message's
#: outcome; any other configured backend (locmem in tests, console) is used as it is.
_DJANGO_SMTP = "django.core.mail.backends.smtp.EmailBackend"


def _backend():
    backend = getattr(_local, "backend", None)
    if backend is None:
        path = settings.EMAIL_BACKEND
        backend = get_connection(
            "reminders.smtp.DeliveryBackend" if path == _DJANGO_SMTP else path,
            fail_silently=False)
        _local.backend = backend
    return backend


def close_connection() -> None:
    """Close this process's SMTP connection (tests; a changed configuration)."""
    backend = getattr(_local, "backend", None)
    _local.backend = None
    if backend is not None:
        try:
            backend.close()
        except Exception:  # noqa: BLE001, S110 — closing a broken connection may fail
            pass


def _send(messages: list) -> None:
    """Send over the process's connection (one, kept open across batches) and leave an
    `Outcome` on each message. A message cut off before its DATA (the server had closed
    the idle connection, say) cannot have arrived and is tried once more at once."""
    backend = _backend()
    if not isinstance(backend, DeliveryBackend):
        for message in messages:
            try:
                backend.send_messages([message])
                message.outcome = Outcome()
            except Exception as exc:  # noqa: BLE001 — classified in step 3
                message.outcome = Outcome(error=exc)
        return
    backend.deadline = time.monotonic() + _batch_seconds()
    for _pass in range(2):
        try:
            backend.open()
        except (smtplib.SMTPException, OSError) as exc:
            for message in messages:
                message.outcome = Outcome(error=exc)
            return
        backend.send_messages(messages)
        messages = [m for m in messages if _safe_to_resend(m.outcome)]
        if not messages:
            return


def _batch_seconds() -> float:
    """How long a batch may keep starting messages: half the claim timeout (so the
    reclaim never takes a live batch's reminders) and half the task's soft time limit
    (so the task ends and records its outcomes before Celery interrupts it)."""
    limits = [settings.REMINDERS_CLAIM_TIMEOUT_SECONDS,
              getattr(settings, "CELERY_TASK_SOFT_TIME_LIMIT", None)]
    return min(limit for limit in limits if limit) / 2


def _safe_to_resend(outcome: Outcome) -> bool:
    return (outcome.attempted and outcome.error is not None and not outcome.after_data
            and isinstance(outcome.error, smtplib.SMTPServerDisconnected))


# --- Delivery: step 3, in the database --------------------------------------------------

def _smtp_code(error: BaseException, address: str) -> int | None:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        for refused, (code, _text) in error.recipients.items():
            if refused.strip("<>").lower() == address.lower():
                return code
        codes = [code for code, _text in error.recipients.values()]
        return codes[0] if codes else None
    return getattr(error, "smtp_code", None)


def _classify(outcome: Outcome, address: str) -> tuple[str, str]:
    """("sent" | "retry" | "maybe" | "later" | "failed", error text without patient
    data) for one recipient's message."""
    if not outcome.attempted:
        return "later", ""
    if outcome.error is None:
        refused = {a.strip("<>").lower(): code for a, (code, _t) in outcome.refused.items()}
        code = refused.get(address.lower())
        if code is None:
            return "sent", ""
        return ("retry" if 400 <= code < 500 else "failed"), f"SMTP {code}: recipient refused"
    error = outcome.error
    if outcome.after_data:
        return "maybe", MAYBE_DELIVERED
    code = _smtp_code(error, address)
    if code is not None:
        return ("retry" if 400 <= code < 500 else "failed"), \
            f"SMTP {code}: {type(error).__name__}"
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return "retry", "SMTP server disconnected"
    if isinstance(error, ConnectionError | socket.timeout | TimeoutError | OSError):
        return "retry", f"Connection error: {type(error).__name__}"
    if isinstance(error, smtplib.SMTPException):
        return "retry", f"SMTP error: {type(error).__name__}"
    raise error  # a programming error: let the task fail loudly


def _record(work: list[_Work], sent_by_delivery: dict[int, Outcome], now: datetime,
            outcomes: dict[int, str]) -> None:
    sent_ids: list[int] = []
    sent_reminders: list[int] = []
    for item in work:
        retry_at: datetime | None = None
        errors: list[str] = []
        for delivery in item.to_send:
            verdict, text = _classify(sent_by_delivery[delivery.pk], delivery.address)
            out_of_attempts = delivery.attempts >= settings.REMINDERS_MAX_ATTEMPTS
            if verdict in ("retry", "maybe") and out_of_attempts:
                verdict = "failed"
            if verdict == "sent":
                delivery.status = DeliveryStatus.SENT
                sent_ids.append(delivery.pk)
                continue
            values = {"sending_since": None, "updated_at": now}
            if verdict == "later":  # the batch ran out of time before this one
                delivery.status = DeliveryStatus.PENDING
                values.update(status=delivery.status, attempts=delivery.attempts - 1)
                retry_at = min(retry_at or now, now)
            elif verdict == "failed":
                delivery.status = DeliveryStatus.FAILED
                values.update(status=delivery.status, last_error=text)
                errors.append(text)
            else:
                delivery.status = DeliveryStatus.PENDING
                values.update(status=delivery.status, last_error=text)
                at = now + retry_delay(delivery.attempts)
                retry_at = max(retry_at or at, at)
                errors.append(text)
            Delivery.objects.filter(pk=delivery.pk).update(**values)
        statuses = {d.status for d in item.deliveries}
        reminder = item.reminder
        summary = _summary(errors, len(item.deliveries))
        if statuses == {DeliveryStatus.SENT}:
            sent_reminders.append(reminder.pk)
            outcomes[reminder.pk] = "sent"
        elif DeliveryStatus.PENDING in statuses:
            _finish_reminder(reminder.pk, now, status=ReminderStatus.PENDING,
                             attempts=reminder.attempts + 1, claimed_at=None,
                             next_attempt_at=retry_at or now, last_error=summary)
            outcomes[reminder.pk] = "retry"
        elif DeliveryStatus.SENDING in statuses:
            outcomes[reminder.pk] = "skipped:in-flight"
        else:
            _finish_reminder(reminder.pk, now, status=ReminderStatus.FAILED,
                             attempts=reminder.attempts + 1, last_error=summary)
            outcomes[reminder.pk] = "failed"
        if errors:
            logger.warning("reminder %s: %s (%s)", reminder.pk, outcomes[reminder.pk], summary)
    if sent_ids:
        Delivery.objects.filter(pk__in=sent_ids).update(
            status=DeliveryStatus.SENT, sent_at=now, sending_since=None, last_error="",
            updated_at=now)
    if sent_reminders:
        Reminder.objects.filter(pk__in=sent_reminders).update(
            status=ReminderStatus.SENT, sent_at=now, sent_count=F("sent_count") + 1,
            attempts=F("attempts") + 1, last_error="", updated_at=now)


def _summary(errors: list[str], recipients: int) -> str:
    if not errors:
        return ""
    text = errors[0]
    return text if recipients == 1 else f"{len(errors)} of {recipients} recipients: {text}"


# --- Delivery --------------------------------------------------------------------------------

def reminders_deliver(*, reminder_ids: Sequence[int]) -> dict[int, str]:
    """Deliver a batch of claimed reminders, each recipient exactly once. Returns each
    reminder's outcome: sent, retry, failed, done:nothing-to-send, skipped:<status>
    (not claimed, or its copies are with another task) or missing."""
    outcomes: dict[int, str] = {}
    now = timezone.now()
    with transaction.atomic():
        work = _start(reminder_ids, now, outcomes)
    messages = []
    try:
        for item in work:
            if not item.to_send:
                continue
            body = emails.content(reminder=item.reminder, missing=item.missing,
                                  agenda=item.agenda)
            for delivery in item.to_send:
                message = emails.build_message(reminder=item.reminder, body=body,
                                               address=delivery.address,
                                               delivery_public_id=delivery.public_id)
                message.delivery_id = delivery.pk
                messages.append(message)
    except BaseException:
        # Nothing went out: the rows are not in doubt.
        Delivery.objects.filter(
            pk__in=[d.pk for item in work for d in item.to_send]
        ).update(status=DeliveryStatus.PENDING, attempts=F("attempts") - 1,
                 sending_since=None)
        raise
    if messages:
        _send(messages)
    with transaction.atomic():
        _record(work, {m.delivery_id: m.outcome for m in messages}, timezone.now(), outcomes)
    return outcomes


def reminder_deliver(*, reminder_id: int) -> str:
    """One claimed reminder (a batch of one)."""
    return reminders_deliver(reminder_ids=[reminder_id])[reminder_id]


def deliveries_reset_failed(*, reminder: Reminder) -> int:
    """A failed reminder is sent again (its cause was fixed): its failed copies of the
    current round go back to pending with their attempts reset. Runs inside the
    caller's transaction (`services.reminder_retry`)."""
    return Delivery.objects.filter(
        reminder=reminder, round=reminder.sent_count, status=DeliveryStatus.FAILED
    ).update(status=DeliveryStatus.PENDING, attempts=0, updated_at=timezone.now())


def delivery_warm_up() -> None:
    """What the worker loads before it forks its pool."""
    emails.warm_up()
