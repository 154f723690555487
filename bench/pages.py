"""Server time of the two heaviest pages: the agenda of a 40-case meeting and a case page
with 10 lesions and 200 lab values. Target: median under 150 ms each.

Runs the real views through Django's test client (no network, no browser) against a
PostgreSQL database of its own (`bench_pages`, created and dropped here), after one
warm-up request that evaluates the drafts. Prints the median, min and max of several runs.

    DATABASE_URL=postgres://… REDIS_URL=redis://… BOARDSITE_ENV=development \\
        python bench/pages.py [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "boardsite.settings")
os.environ.setdefault("BOARDSITE_ENV", "development")
# Another name when several benches share one server (BENCH_DATABASE_NAME).
os.environ["DATABASE_TEST_NAME"] = os.environ.get("BENCH_DATABASE_NAME", "bench_pages")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402


def _time(call, runs: int) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU milliseconds of `call` (CPU time is this process only: the
    figure that stays meaningful when other work shares the machine)."""
    call()  # warm-up: drafts evaluated and stored
    wall, cpu = [], []
    for _ in range(runs):
        start, start_cpu = time.perf_counter(), time.process_time()
        call()
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
    return wall, cpu


def _report(name: str, wall: list[float], cpu: list[float]) -> None:
    print(f"{name:40s} median {statistics.median(wall):6.1f} ms wall "
          f"(min {min(wall):6.1f}, max {max(wall):6.1f}); "
          f"median {statistics.median(cpu):6.1f} ms CPU  [{len(wall)} runs]")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        with override_settings(ALLOWED_HOSTS=["testserver"], STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        }):
            _run(args.runs)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def _run(runs: int) -> None:
    from boardsite.accounts_testing import verified_login
    from cases.choices import BoardRole, Specialty
    from cases.services import board_member_add
    from cases.tests.factories import BoardFactory, UserFactory
    from cases.tests.views.builders import meeting_with_cases

    board = BoardFactory(name="Bench board")
    user = UserFactory(username="bench_chair")
    board_member_add(board=board, user=user, role=BoardRole.CHAIR,
                     specialty=Specialty.MEDICAL_ONCOLOGY)
    meeting, _ = meeting_with_cases(board, 40, lesions=2, labs=16)
    _, (big_case,) = meeting_with_cases(board, 1, lesions=10, labs=200, days_ahead=4)
    client = Client()
    verified_login(client, user)
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    for name, url in (
        ("agenda page, 40 cases", reverse("cases:agenda", args=[meeting.pk])),
        ("case page, 10 lesions + 200 labs", reverse("cases:case_review", args=[big_case.pk])),
    ):
        def get(url=url):
            response = client.get(url)
            assert response.status_code == 200, response.status_code
        _report(name, *_time(get, runs))
    # The share of the agenda that is the draft refresh (recommendations app): the agenda
    # checks each draft is current and reads the few keys of it that it shows.
    from recommendations.services import draft_refresh, meeting_draft_summaries

    _report("  of which meeting_draft_summaries",
            *_time(lambda: meeting_draft_summaries(meeting=meeting), runs))
    _report("  of which draft_refresh (case page)",
            *_time(lambda: draft_refresh(agenda_item=big_case), runs))


if __name__ == "__main__":
    main()
