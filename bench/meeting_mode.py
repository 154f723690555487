"""Server time to move to the next case in meeting mode: the GET of the next case's
screen, and the save the screen posts before it moves (a partial draft decision with
the timer). Target: median under 50 ms for the move, in a fixed number of queries.

A 40-case meeting (2 lesions, 16 labs each) and one heavy case (10 lesions, 200 labs),
through Django's test client (no network, no browser) against a PostgreSQL database of
its own (`bench_meeting_mode`, created and dropped here). Every case is visited once
first (its draft evaluated), then the runs walk the agenda case after case. Prints the
median, min and max, and the query count of a light and of the heavy case.

    DATABASE_URL=postgres://… REDIS_URL=redis://… BOARDSITE_ENV=development \\
        python bench/meeting_mode.py [--runs 20]
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
os.environ["DATABASE_TEST_NAME"] = os.environ.get("BENCH_DATABASE_NAME", "bench_meeting_mode")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402


def _report(name: str, wall: list[float], cpu: list[float]) -> None:
    print(f"{name:44s} median {statistics.median(wall):6.1f} ms wall "
          f"(min {min(wall):6.1f}, max {max(wall):6.1f}); "
          f"median {statistics.median(cpu):6.1f} ms CPU  [{len(wall)} runs]")


def _timed(call) -> tuple[float, float]:
    start, start_cpu = time.perf_counter(), time.process_time()
    call()
    return (time.perf_counter() - start) * 1000, (time.process_time() - start_cpu) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
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
    from cases.services import agenda_item_add, board_member_add
    from cases.tests.factories import BoardFactory, UserFactory
    from cases.tests.views.builders import add_patient, meeting_with_cases
    from recommendations.models import DraftPlan

    board = BoardFactory(name="Bench board")
    user = UserFactory(username="bench_chair")
    board_member_add(board=board, user=user, role=BoardRole.CHAIR,
                     specialty=Specialty.MEDICAL_ONCOLOGY)
    meeting, items = meeting_with_cases(board, 40, lesions=2, labs=16)
    heavy = agenda_item_add(meeting=meeting, patient=add_patient(board, lesions=10, labs=200),
                            question="Fixation or radiotherapy?")
    items.append(heavy)
    client = Client()
    verified_login(client, user)

    def url(item):
        return reverse("cases:meeting_mode", args=[meeting.pk, item.pk])

    for item in items:  # first visits: drafts evaluated and stored
        assert client.get(url(item)).status_code == 200
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")

    for name, item in (("light case (2 lesions, 16 labs)", items[1]),
                       ("heavy case (10 lesions, 200 labs)", heavy)):
        with CaptureQueriesContext(connection) as queries:
            client.get(url(item))
        print(f"queries, {name}: {len(queries)}")

    wall, cpu = [], []
    for index in range(runs):
        item = items[(index % (len(items) - 1)) + 1]
        def get(item=item):
            response = client.get(url(item))
            assert response.status_code == 200, response.status_code
        w, c = _timed(get)
        wall.append(w)
        cpu.append(c)
    _report("next case: GET the case screen", wall, cpu)
    hw, hc = zip(*[_timed(lambda: client.get(url(heavy))) for _ in range(runs)], strict=True)
    _report("next case: GET the heavy case screen", list(hw), list(hc))

    # The save the screen posts before it moves: one item accepted, the rest undecided.
    wall, cpu = [], []
    for index in range(runs):
        item = items[(index % (len(items) - 1)) + 1]
        draft = DraftPlan.objects.filter(agenda_item=item).latest("id")
        data = {"draft_ref": draft.pk, "added_count": "1", "discussion_seconds": "120",
                "a0-title": "", "a0-detail": "", "outcome_summary": "",
                "d0-verdict": "accepted"}
        save = reverse("cases:meeting_mode_save", args=[meeting.pk, item.pk])
        def post(save=save, data=data):
            response = client.post(save, data, HTTP_HX_REQUEST="true")
            assert response["X-Decision-Saved"] == "yes", response.content
        w, c = _timed(post)
        wall.append(w)
        cpu.append(c)
    _report("before moving: POST the partial draft", wall, cpu)


if __name__ == "__main__":
    main()
