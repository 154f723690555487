"""`python manage.py demo_logins` (or `./bin/manage demo_logins`): the demo logins again.

Passwords are stored only as hashes, so they cannot be shown a second time: each demo
user gets a new password, printed here once. Development machines only — on a real
server the demo usernames may belong to people.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cases.demo.builders import demo_logins_reset


class Command(BaseCommand):
    help = "Give every demo user a new password and print the logins (development only)."

    def handle(self, *args, **options) -> None:
        if not settings.IS_DEVELOPMENT:
            raise CommandError(
                "demo_logins resets passwords, so it runs only with BOARDSITE_ENV=development."
            )
        logins = demo_logins_reset()
        if not logins:
            raise CommandError(
                "No demo users yet: load the demo first (./bin/run, or "
                "./bin/manage migrate then ./bin/manage load_demo_data)."
            )
        self.stdout.write(self.style.WARNING(
            "Demo logins (new passwords, shown only this once — the old ones no longer work):"
        ))
        width = max(len(username) for username, _, _ in logins)
        for username, role, secret in logins:
            self.stdout.write(f"  {username:<{width}}  {secret}  {role}")
