"""Second-factor devices in the audit trail, and the security emails' outbox.

Authenticator apps (django-otp TOTP) and recovery-code sets (django-otp static devices)
belong to django-otp, so, like users and tokens (`access_audit`), they are tracked
through proxy models: setting one up and removing one are pghistory events with the
request's user and URL, sealed into the audit chain like every other event. The
secret (a TOTP key) is never copied into an event.
"""

from __future__ import annotations

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.choices import SecurityEvent

_TOTP_SECRETS = ["key"]
_DEVICE_CHURN = ["last_used_at", "throttling_failure_timestamp", "throttling_failure_count",
                 "drift", "last_t"]


@pghistory.track(
    pghistory.InsertEvent("add"),
    pghistory.UpdateEvent("confirm", condition=pgtrigger.AnyChange("confirmed")),
    pghistory.DeleteEvent("remove"),
    exclude=[*_TOTP_SECRETS, *_DEVICE_CHURN],
    model_name="AuthenticatorEvent",
)
class TrackedAuthenticator(TOTPDevice):
    class Meta:
        proxy = True


@pghistory.track(
    pghistory.InsertEvent("add"),
    pghistory.DeleteEvent("remove"),
    exclude=["last_used_at", "throttling_failure_timestamp", "throttling_failure_count"],
    model_name="RecoveryCodeSetEvent",
)
class TrackedRecoveryCodeSet(StaticDevice):
    class Meta:
        proxy = True


class SecurityNotice(models.Model):
    """One email to a user about a security event on their account (password changed,
    second factor added or removed, recovery code used, lock-out, new API token).

    The row is the outbox: it is written in the transaction of the event, a Celery task
    sends it after commit, and beat sends any row still unsent a minute later (a worker
    that died, a broker message lost), so a notice survives a worker crash the way
    reminders do. The email says what happened and when, never anything about a
    patient (`cases.security_notices`). Rows are kept: they are also a record of what
    the user was told.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="security_notices")
    event = models.CharField(max_length=40, choices=SecurityEvent.choices)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    failed = models.BooleanField(default=False, help_text="Given up after the last attempt.")

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["next_attempt_at"], name="security_notice_unsent",
                         condition=models.Q(sent_at__isnull=True, failed=False)),
        ]

    def __str__(self) -> str:
        return f"Security notice #{self.pk}"
