"""Who is signing in from where, and when to stop them (django-axes).

- **Client address**: behind the documented reverse proxy every request comes from the
  proxy's address, so a lock-out keyed on it would let anyone lock the chair out.
  `client_ip` takes the address from ``X-Forwarded-For`` only when the request comes
  from a proxy listed in ``BOARDSITE_TRUSTED_PROXIES``; it walks the header from the
  right (the entries a trusted proxy appended) and stops at the first address that is
  not a trusted proxy. A client's own ``X-Forwarded-For`` sent straight to the app is
  ignored.
- **Lock-out** is keyed on username AND address (``AXES_LOCKOUT_PARAMETERS``), so
  someone elsewhere guessing the chair's password does not lock the chair out.
- **Password spraying** (a few guesses at many usernames from one address) is stopped
  by a second, per-address limit over all usernames (`SigninLimitHandler`).
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from cases.security_notices import lockout_notice_queue


@lru_cache(maxsize=8)
def _networks(proxies: tuple[str, ...]):
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _is_trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in _networks(tuple(settings.BOARDSITE_TRUSTED_PROXIES)))


def client_ip(request) -> str:
    remote = request.META.get("REMOTE_ADDR", "")
    if not _is_trusted(remote):
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    for address in reversed([a for a in forwarded if a]):
        try:
            ipaddress.ip_address(address)
        except ValueError:
            # A malformed entry: nothing left of it can be trusted either.
            return remote
        if not _is_trusted(address):
            return address
    return remote


class SigninLimitHandler(AxesDatabaseHandler):
    """Axes' database handler plus the per-address limit against password spraying."""

    def is_locked(self, request, credentials=None) -> bool:
        if super().is_locked(request, credentials):
            return True
        return self.address_failures(request) >= settings.BOARDSITE_LOGIN_ADDRESS_FAILURE_LIMIT

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        account_locked = request is not None and getattr(request, "axes_locked_out", False)
        # Axes flags a lock-out for its own parameters only; the flag is what makes the
        # AxesMiddleware answer with the lock-out page (or the API's 429).
        if request is not None and (
                self.address_failures(request) >= settings.BOARDSITE_LOGIN_ADDRESS_FAILURE_LIMIT):
            request.axes_locked_out = True
        # The account's owner hears of a lock-out of their username (once per cool-off
        # period; cases.security_notices). A per-address lock-out names no one account.
        username = (credentials or {}).get("username")
        if account_locked and username:
            lockout_notice_queue(username=username)

    @staticmethod
    def address_failures(request) -> int:
        address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
        since = timezone.now() - settings.AXES_COOLOFF_TIME
        total = AccessAttempt.objects.filter(
            ip_address=address, attempt_time__gte=since
        ).aggregate(n=Sum("failures_since_start"))["n"]
        return total or 0
