"""A password change ends the API tokens of the account and is emailed to its owner,
however it is made.

Passwords change in several places: an administrator's reset (API and admin), the
self-service page, ``manage.py changepassword`` and ``createsuperuser``. Rather than a
signal, this uses the one seam Django calls from all of them: after
``user.set_password()`` the next ``user.save()`` calls ``password_changed()`` on each
configured password validator (`django.contrib.auth.password_validation`). Sessions
need nothing: Django already ends every session whose stored password hash no longer
matches.

The email (`cases.security_notices`) is not sent for an account nobody has signed in to
yet: Django calls the same hook when an account is created with its first password,
which is news to no one.
"""

from __future__ import annotations

from django.db import transaction
from knox.models import AuthToken

from cases.choices import SecurityEvent
from cases.security_notices import security_notice_queue


class RevokeApiTokensOnChange:
    """Listed in ``AUTH_PASSWORD_VALIDATORS``; never refuses a password."""

    def validate(self, password, user=None) -> None:
        return None

    def password_changed(self, password, user=None) -> None:
        if user is not None and user.pk is not None:
            with transaction.atomic():
                AuthToken.objects.filter(user_id=user.pk).delete()
                if user.last_login is not None:
                    security_notice_queue(user=user, event=SecurityEvent.PASSWORD_CHANGED)

    def get_help_text(self) -> str:
        return "Changing your password also ends your API tokens."
