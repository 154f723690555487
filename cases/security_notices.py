"""Emails that tell a user about a security event on their own account.

ASVS 2.2.3 / 2.5.5 (level 2): the owner of an account hears about a password change,
a second factor set up or removed, new recovery codes, a recovery code used, a
lock-out and a new API token, so that someone who did not do it can raise the alarm.

The email is plain text built only from the fixed sentences below, the account's
username and first name, and the time: no patient, board or meeting is ever named (it
goes to whatever mailbox the account lists). It is sent with Django's email backend
(`get_connection`), like every other message of the site.

Delivery survives a worker crash: `security_notice_queue` writes a `SecurityNotice` row
in the event's own transaction and hands its ID to Celery after commit
(`cases.security_notice_send`, acks_late: a message whose worker died is delivered
again); beat's `cases.security_notices_send_due` sends every row still unsent a
minute later (a lost broker message, a worker killed before it acknowledged). The row
is locked while it is sent (`FOR UPDATE SKIP LOCKED`) and marked sent in the same
transaction, so the task and the sweep never send it twice at once. A worker killed
after the server's "250" but before that commit sends it once more at the next sweep,
with the same Message-ID: at least once, never silently lost (a duplicate warning is
the lesser harm for a security notice). SMTP errors are retried with a back-off
(1, 2, 4 … minutes) up to `MAX_ATTEMPTS`; then the row is marked failed and logged.
"""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from celery import current_app
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from cases.choices import SecurityEvent
from cases.models import SecurityNotice

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
#: The sweep leaves a just-written row to the task the commit enqueued.
SWEEP_GRACE = timedelta(minutes=1)
#: One lock-out email per cool-off period, however many more failures follow.
LOCKOUT_NOTICE_EVERY = settings.AXES_COOLOFF_TIME

#: What happened, in one sentence each; the subject is the event's label.
_WHAT_HAPPENED = {
    SecurityEvent.PASSWORD_CHANGED: "The password of your Boardsite account was changed.",
    SecurityEvent.SECOND_FACTOR_ADDED: (
        "An authenticator app was set up for two-factor sign-in to your account."),
    SecurityEvent.SECOND_FACTOR_REMOVED: (
        "Two-factor sign-in (your authenticator app and recovery codes) was removed from "
        "your account. Your sessions and API tokens were signed out."),
    SecurityEvent.RECOVERY_CODES_RENEWED: (
        "New recovery codes were made for your account; the earlier ones no longer work."),
    SecurityEvent.RECOVERY_CODE_USED: (
        "One of your recovery codes was used to sign in. Each code works once."),
    SecurityEvent.LOCKED_OUT: (
        "Sign-in to your account was locked for a while after several wrong passwords."),
    SecurityEvent.API_TOKEN_ISSUED: "A new API token was issued for your account.",
}
if set(_WHAT_HAPPENED) != set(SecurityEvent):
    raise RuntimeError("every security event needs its sentence")

_IF_NOT_YOU = ("If this was you, there is nothing to do. If it was not, tell your "
               "Boardsite administrator at once and change your password.")


def security_notice_queue(*, user, event: str) -> SecurityNotice | None:
    """Record that `user` must be told about `event`, and send it once the current
    transaction commits. None when the account has no email address."""
    if not user.email:
        return None
    notice = SecurityNotice.objects.create(user=user, event=event)
    # Never enqueue inside an open transaction: the task would not find the row.
    transaction.on_commit(lambda: _enqueue(notice.pk))
    return notice


def lockout_notice_queue(*, username: str) -> SecurityNotice | None:
    """A lock-out of the account named `username` (if there is one): told once per
    cool-off period, so that a guessing run does not flood the mailbox."""
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        return None
    recent = SecurityNotice.objects.filter(
        user=user, event=SecurityEvent.LOCKED_OUT,
        created_at__gte=timezone.now() - LOCKOUT_NOTICE_EVERY).exists()
    if recent:
        return None
    return security_notice_queue(user=user, event=SecurityEvent.LOCKED_OUT)


SEND_TASK = "cases.security_notice_send"


def _enqueue(notice_id: int) -> None:
    """Hand the notice to a worker (by task name: `cases.tasks` imports this module).
    A broker that is down loses nothing: beat's sweep sends the row a minute later."""
    try:
        current_app.send_task(SEND_TASK, args=[notice_id], ignore_result=True)
    except Exception:  # noqa: BLE001 - any broker failure; the sweep covers it
        logger.warning("security notice %s not enqueued; the sweep will send it", notice_id)


def message_id(notice: SecurityNotice) -> str:
    """One Message-ID per notice, the same on every attempt."""
    domain = urlsplit(settings.SITE_URL).hostname or "boardsite"
    return f"<security-notice-{notice.pk}.{int(notice.created_at.timestamp())}@{domain}>"


def build_message(notice: SecurityNotice) -> EmailMessage:
    user = notice.user
    when = notice.created_at.astimezone(ZoneInfo(settings.TIME_ZONE))
    body = "\n\n".join([
        f"Hello {user.first_name or user.username},",
        f"{_WHAT_HAPPENED[notice.event]} Account: {user.username}. "
        f"When: {when:%d %B %Y at %H:%M} ({settings.TIME_ZONE}).",
        _IF_NOT_YOU,
        f"Boardsite — {settings.SITE_URL}/accounts/",
    ]) + "\n"
    return EmailMessage(subject=SecurityEvent(notice.event).label, body=body,
                        to=[user.email], headers={"Message-ID": message_id(notice)})


def security_notice_send(*, notice_id: int, connection=None) -> bool:
    """Send one notice unless it is sent, failed, not due or being sent by someone
    else. True when it went out now."""
    with transaction.atomic():
        notice = (SecurityNotice.objects.select_for_update(skip_locked=True, of=("self",))
                  .select_related("user")
                  .filter(pk=notice_id, sent_at__isnull=True, failed=False,
                          next_attempt_at__lte=timezone.now())
                  .first())
        if notice is None:
            return False
        notice.attempts += 1
        message = build_message(notice)
        if connection is not None:
            message.connection = connection
        try:
            message.send(fail_silently=False)
        except (smtplib.SMTPException, OSError) as exc:
            if notice.attempts >= MAX_ATTEMPTS:
                notice.failed = True
                logger.error("security notice %s failed after %d attempts: %s", notice.pk,
                             notice.attempts, type(exc).__name__)
            else:
                notice.next_attempt_at = timezone.now() + timedelta(
                    minutes=2 ** (notice.attempts - 1))
            notice.save(update_fields=["attempts", "failed", "next_attempt_at"])
            return False
        notice.sent_at = timezone.now()
        notice.save(update_fields=["attempts", "sent_at"])
        return True


def security_notices_send_due(*, limit: int = 200) -> int:
    """Beat's sweep: every unsent notice that is due and older than the grace period,
    over one SMTP connection. Returns how many went out."""
    cutoff = timezone.now() - SWEEP_GRACE
    ids = list(SecurityNotice.objects.filter(
        sent_at__isnull=True, failed=False, next_attempt_at__lte=timezone.now(),
        created_at__lte=cutoff).order_by("pk").values_list("pk", flat=True)[:limit])
    if not ids:
        return 0
    sent = 0
    with get_connection() as connection:
        for notice_id in ids:
            sent += security_notice_send(notice_id=notice_id, connection=connection)
    return sent
