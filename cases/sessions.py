"""The browser sessions of one user, to end them when their second factor changes.

Django keeps no index from a user to their sessions, and the site uses its database
sessions (the default engine), so a user's sessions are found by decoding the
unexpired ones: O(sessions signed in now), run only on the rare events that need it
(a second factor removed, a role that needs one granted). Sessions idle out after
``SESSION_COOKIE_AGE`` (30 minutes), so the table stays small.

Sessions are ended by deleting their rows rather than by editing them: a request of
that session still in flight cannot write it back (Django refuses to save a session
deleted under it), whereas an edited session could be overwritten by that request's
own save (``SESSION_SAVE_EVERY_REQUEST``).
"""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY

_CHUNK = 500


def _sessions_of(user) -> Iterator[tuple[str, dict]]:
    """(session key, decoded data) of every unexpired session signed in as `user`."""
    decoder = Session.get_session_store_class()()
    user_id = str(user.pk)
    rows = (Session.objects.filter(expire_date__gt=timezone.now())
            .values_list("session_key", "session_data"))
    for key, data in rows.iterator(chunk_size=_CHUNK):
        decoded = decoder.decode(data)
        if str(decoded.get(SESSION_KEY)) == user_id:
            yield key, decoded


def user_sessions_end(*, user, keep: str | None = None, unverified_only: bool = False) -> int:
    """End the user's sessions but `keep` (the session making the change); with
    `unverified_only`, only those that did not pass a second factor. Returns how many."""
    keys = [key for key, data in _sessions_of(user)
            if key != keep and not (unverified_only and data.get(DEVICE_ID_SESSION_KEY))]
    if not keys:
        return 0
    deleted, _ = Session.objects.filter(session_key__in=keys).delete()
    return deleted
