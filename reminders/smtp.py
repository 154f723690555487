"""Django's SMTP backend, told to remember what happened to each message.

`EmailBackend.send_messages` returns only a count, drops the refused-recipients dict
that `smtplib.SMTP.sendmail` returns, and stops the batch at the first error. Delivery
needs, per message: accepted (and which envelope recipients were refused), refused
with a code, or cut off — and, when cut off, whether the message text had already
gone out (after DATA the server may have kept it: an ambiguous outcome that must not be
resent at once). This subclass changes only `_send` (and the smtplib class, to note
when DATA starts); MIME, addresses and the SMTP conversation stay Django's and
smtplib's.
"""

from __future__ import annotations

import contextlib
import functools
import smtplib
import time
from dataclasses import dataclass, field

from django.core.mail.backends.smtp import EmailBackend
from django.core.mail.message import sanitize_address


class _DataNoted:
    """Mixed into smtplib's client: notes that DATA began for the current message."""

    data_started = False

    def data(self, msg):
        self.data_started = True
        return super().data(msg)


class _SMTP(_DataNoted, smtplib.SMTP):
    pass


class _SMTPSSL(_DataNoted, smtplib.SMTP_SSL):
    pass


#: Django's own address check, remembered: the sender is the same on every message and
#: the recipients recur (it parses each address with the email package, ≈ 0.2 ms).
_sanitized = functools.lru_cache(maxsize=4096)(sanitize_address)

#: Errors that are the server's answer (a reply code): the conversation is still in step.
_ANSWERS = (smtplib.SMTPResponseException, smtplib.SMTPRecipientsRefused)


@dataclass
class Outcome:
    """What happened to one message. `error` is None when the server accepted it
    (`refused` then lists envelope recipients it turned down); `after_data` says that
    the connection failed once the message text was on its way."""

    refused: dict[str, tuple[int, bytes]] = field(default_factory=dict)
    error: BaseException | None = None
    after_data: bool = False
    attempted: bool = True

    @property
    def accepted(self) -> bool:
        return self.attempted and self.error is None


class DeliveryBackend(EmailBackend):
    """Sends a batch over one connection and records an `Outcome` on each message
    (`message.outcome`) instead of raising; a connection lost before a message's DATA
    is reopened for the next message. `deadline` (a `time.monotonic()` value) stops
    the batch: later messages are not attempted (their rows go back to pending)."""

    deadline: float | None = None

    @property
    def connection_class(self):
        return _SMTPSSL if self.use_ssl else _SMTP

    def _send(self, email_message):
        if self.deadline is not None and time.monotonic() > self.deadline:
            email_message.outcome = Outcome(attempted=False)
            return False
        if self.connection is None or getattr(self.connection, "sock", None) is None:
            # smtplib closed it after an error on an earlier message of the batch.
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self.close()
            self.connection = None
            try:
                self.open()
            except (smtplib.SMTPException, OSError) as exc:
                email_message.outcome = Outcome(error=exc)
                return False
        encoding = email_message.encoding or "utf-8"
        from_email = _sanitized(email_message.from_email, encoding)
        recipients = [_sanitized(a, encoding) for a in email_message.recipients()]
        raw = email_message.message().as_bytes(linesep="\r\n")
        self.connection.data_started = False
        try:
            refused = self.connection.sendmail(from_email, recipients, raw)
        except (smtplib.SMTPException, OSError) as exc:
            answered = isinstance(exc, _ANSWERS)
            email_message.outcome = Outcome(
                error=exc, after_data=self.connection.data_started and not answered)
            if not answered:  # the conversation is in an unknown state: start afresh
                with contextlib.suppress(smtplib.SMTPException, OSError):
                    self.close()
                self.connection = None
            return False
        email_message.outcome = Outcome(refused=dict(refused or {}))
        return not refused
