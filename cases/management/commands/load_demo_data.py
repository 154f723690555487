"""`python manage.py load_demo_data`: the fictional demo cohort, boards, users and
meetings. Safe to run again: what is already there is left as it is.

Demo users get a password generated at load time; each login is printed once, when the
user is created, and never stored anywhere but as the usual password hash.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from cases.demo.builders import load_demo_data


class Command(BaseCommand):
    help = "Load the fictional demo cohort (idempotent); print new demo logins once."

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        report = load_demo_data(progress=lambda message: self.stdout.write(message))

        if report.new_logins:
            self.stdout.write(self.style.WARNING(
                "Demo logins (shown only this once — note them now):"
            ))
            width = max(len(username) for username, _, _ in report.new_logins)
            for username, role, secret in report.new_logins:
                self.stdout.write(f"  {username:<{width}}  {secret}  {role}")
        if report.existing_users:
            self.stdout.write(
                f"Demo users already exist ({', '.join(report.existing_users)}); their "
                "passwords are not shown again. To reset one: "
                "python manage.py changepassword <username>"
            )
        self.stdout.write(self.style.SUCCESS(
            f"Demo data ready: {report.boards_created} boards, {report.patients_created} "
            f"patients, {report.meetings_created} meetings created "
            f"in {time.perf_counter() - started:.1f} s."
        ))
