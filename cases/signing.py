"""Keyed MACs (HMAC-SHA256) for signed decisions and the audit chain.

An unkeyed hash stored next to the content proves nothing: whoever can rewrite the row
can recompute it. The keys live outside the database (settings.SIGNING_KEYS, from the
environment or a file), so rewriting a signed decision or an audit row in SQL leaves a
MAC that no longer verifies. Each MAC names its key ID: after a rotation the new key
signs and the old IDs still verify what they signed.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings


class UnknownKey(LookupError):
    """A MAC names a key ID that is not configured (any more)."""


def current_key_id() -> str:
    return next(iter(settings.SIGNING_KEYS))


def _key(key_id: str) -> bytes:
    try:
        return settings.SIGNING_KEYS[key_id]
    except KeyError:
        raise UnknownKey(key_id) from None


def mac(content: bytes, *, key_id: str | None = None) -> tuple[str, str]:
    """(key ID, hex HMAC-SHA256 of content) with the current key, or the one named."""
    key_id = key_id or current_key_id()
    return key_id, hmac.new(_key(key_id), content, hashlib.sha256).hexdigest()


def verify(content: bytes, *, key_id: str, expected: str) -> bool:
    """True if `expected` is the MAC of content under key `key_id`; False for an
    unknown key, an empty MAC or a mismatch (compared in constant time)."""
    if not expected or not key_id:
        return False
    try:
        _, actual = mac(content, key_id=key_id)
    except UnknownKey:
        return False
    return hmac.compare_digest(actual, expected)
