"""`python manage.py load_demo_data`: the fictional demo cohort, boards, users and
meetings. Safe to run again: what is already there is left as it is.

Demo users get a password generated at load time; each login is printed once, when the
user is created, and never stored anywhere but as the usual password hash.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from cases.demo.builders import load_demo_data, meetings_to_come
from recommendations.actions import action_for_item
from recommendations.services import drafts_refresh_for_meeting
from reminders.services import decision_sign_and_schedule


class Command(BaseCommand):
    help = "Load the fictional demo cohort (idempotent); print new demo logins once."

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        report = load_demo_data(
            progress=lambda message: self.stdout.write(message),
            # The past decisions schedule their follow-up, as a chair's signature does.
            sign=decision_sign_and_schedule,
            action_for=action_for_item,
        )
        # Draft plans (and with them readiness and urgency) for the meetings to come.
        for meeting in meetings_to_come():
            drafts = drafts_refresh_for_meeting(meeting=meeting)
            not_ready = sum(1 for draft in drafts.values() if not draft.is_ready)
            self.stdout.write(
                f"Draft plans for meeting #{meeting.pk}: {len(drafts)} cases, "
                f"{not_ready} not ready."
            )

        if report.new_logins:
            self.stdout.write(self.style.WARNING(
                "Demo logins (shown only this once — note them now):"
            ))
            width = max(len(username) for username, _, _ in report.new_logins)
            for username, role, secret in report.new_logins:
                self.stdout.write(f"  {username:<{width}}  {secret}  {role}")
            self.stdout.write(
                "Chairs and administrators set up an authenticator app (two-factor "
                "sign-in) the first time they sign in; the page shows how (README)."
            )
        if report.existing_users:
            self.stdout.write(
                f"Demo users already exist ({', '.join(report.existing_users)}); their "
                "passwords are not shown again. New ones for all: ./bin/manage demo_logins; "
                "for one: ./bin/manage changepassword <username>"
            )
        self.stdout.write(self.style.SUCCESS(
            f"Demo data ready: {report.boards_created} boards, {report.patients_created} "
            f"patients, {report.meetings_created} meetings created "
            f"in {time.perf_counter() - started:.1f} s."
        ))
