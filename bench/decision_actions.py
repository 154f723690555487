"""Typed decision actions (issue #11): signing a 25-action decision, and a board's
follow-through page with 10,000 open actions.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/boardsite BOARDSITE_ENV=development \\
        python bench/decision_actions.py [--runs 7] [--open 10000]

Uses a scratch database (`bench_decision_actions`, migrated once). Signing: each run
records a fresh 25-action decision (5 zoledronic/denosumab/radium courses, 5
radiotherapy, 5 procedures, 5 investigations, 5 other) and times
`decision_sign_and_schedule` (sign, one table, reminder rows, follow-up rows) inside a
transaction that is rolled back. Follow-through: fills 10,000 planned actions of one
board by bulk insert, then times the page's server side (Django test client: view,
selectors, template) and counts its queries. Targets: < 50 ms and < 100 ms.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
BENCH_DB = os.environ.get("BENCH_DATABASE_NAME", "bench_decision_actions")


def _profiled(call) -> None:
    import cProfile
    import pstats

    profile = cProfile.Profile()
    profile.runcall(call)
    pstats.Stats(profile).sort_stats(os.environ.get("BENCH_SORT", "cumulative")).print_stats(35)


def actions(today):
    courses = [
        {"kind": "medication", "verb": "start", "agent": "zoledronic_acid", "dose": "4",
         "unit": "mg", "route": "iv", "interval_weeks": 4, "doses": 13},
        {"kind": "medication", "verb": "start", "agent": "denosumab", "dose": "120",
         "unit": "mg", "route": "sc", "interval_weeks": 4, "doses": 13},
        {"kind": "medication", "verb": "start", "agent": "radium_223", "dose": "55",
         "unit": "kbq_per_kg", "route": "iv", "interval_weeks": 4, "doses": 6},
        {"kind": "medication", "verb": "start", "agent": "dexamethasone", "dose": "16",
         "unit": "mg", "route": "oral"},
        {"kind": "medication", "verb": "start", "agent": "calcium_vitamin_d"},
    ]
    rt = [{"kind": "radiotherapy", "dose_gy": "20", "fractions": 5, "lesion": f"lesion {n}",
           "start_on": (today + timedelta(days=n)).isoformat()} for n in range(5)]
    procedures = [{"kind": "procedure", "procedure": p, "urgency": "urgent",
                   "due_on": (today + timedelta(days=7 + n)).isoformat()}
                  for n, p in enumerate(["fixation", "stabilisation", "dental_review",
                                         "palliative_care", "oncology_review"])]
    investigations = [{"kind": "investigation", "investigation": "imaging",
                       "modality": "mri", "region": f"region {n}",
                       "due_on": (today + timedelta(days=14 + n)).isoformat()}
                      for n in range(5)]
    other = [{"kind": "other", "text": f"Discuss point {n}"} for n in range(5)]
    everything = courses + rt + procedures + investigations + other
    return [{"code": "", "title": f"Action {n}", "verdict": "added", "action": a}
            for n, a in enumerate(everything, start=1)]


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--open", type=int, default=10_000)
    parser.add_argument("--profile", choices=["sign", "page"],
                        help="print a cProfile of one more run of that part")
    args = parser.parse_args()
    base_url = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    os.environ.update(DATABASE_URL=f"{base_url}/{BENCH_DB}", BOARDSITE_ENV="development",
                      DJANGO_SETTINGS_MODULE="boardsite.settings")
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
    import psycopg

    with psycopg.connect(f"{base_url}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                            [BENCH_DB]).fetchone():
            conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.utils import timezone

    from boardsite.accounts_testing import verified_login
    from cases.choices import BoardRole, Specialty
    from cases.services import board_member_add, decision_record
    from cases.tests.factories import (
        AgendaItemFactory,
        BoardFactory,
        MeetingFactory,
        PatientFactory,
        UserFactory,
    )
    from reminders.models import ActionFollowUp, Reminder
    from reminders.services import decision_sign_and_schedule

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)
    with transaction.atomic():
        board = BoardFactory(name="Bench board")
        chair = UserFactory(username=f"bench-chair-{board.pk}")
        board_member_add(board=board, user=chair, role=BoardRole.CHAIR,
                         specialty=Specialty.MEDICAL_ONCOLOGY)
        # Unique across runs: the set-up stays in the scratch database.
        patient = PatientFactory(board=board,
                                 hospital_number=f"B{time.time_ns() // 1000 % 10**7:07d}")
        meeting = MeetingFactory(board=board)
    today = timezone.localdate()
    items = actions(today)

    # Wall time and this process's CPU time: on a loaded machine the CPU figure (the
    # Python side, without PostgreSQL's own work) is the steadier one.
    timings, cpu_timings, reminders = [], [], 0
    for _ in range(args.runs):
        with transaction.atomic():
            agenda_item = AgendaItemFactory(meeting=meeting, patient=patient,
                                            presenting_clinician=chair)
            decision = decision_record(agenda_item=agenda_item, recorded_by=chair,
                                       items=items, outcome_summary="Bench")
            started, cpu = time.perf_counter(), time.process_time()
            decision_sign_and_schedule(decision=decision, chair=chair)
            timings.append((time.perf_counter() - started) * 1000)
            cpu_timings.append((time.process_time() - cpu) * 1000)
            reminders = Reminder.objects.filter(decision=decision).count()
            transaction.set_rollback(True)
    if args.profile == "sign":
        with transaction.atomic():
            agenda_item = AgendaItemFactory(meeting=meeting, patient=patient,
                                            presenting_clinician=chair)
            decision = decision_record(agenda_item=agenda_item, recorded_by=chair,
                                       items=items, outcome_summary="Bench")
            with CaptureQueriesContext(connection) as queries:
                _profiled(lambda: decision_sign_and_schedule(decision=decision, chair=chair))
            print(f"queries: {len(queries)}")
            for q in queries.captured_queries:
                print(f"  {q['time']}  {q['sql'][:160]}")
            transaction.set_rollback(True)
    print(f"signing a {len(items)}-action decision ({reminders} reminders): median "
          f"{statistics.median(timings):.1f} ms (runs: "
          f"{', '.join(f'{t:.1f}' for t in timings)}); CPU in this process median "
          f"{statistics.median(cpu_timings):.1f} ms; target < 50 ms")

    with transaction.atomic():
        agenda_item = AgendaItemFactory(meeting=meeting, patient=patient)
        per_decision = 25
        decisions = -(-args.open // per_decision)
        rows = []
        for n in range(decisions):
            other = AgendaItemFactory(meeting=MeetingFactory(board=board),
                                      patient=patient) if n else agenda_item
            decision = decision_record(agenda_item=other, recorded_by=chair,
                                       items=items, outcome_summary="Bench")
            for k, item in enumerate(decision.items.all()):
                rows.append(ActionFollowUp(
                    decision_item=item, decision=decision, agenda_item=other, board=board,
                    patient=patient, kind=item.action_kind, summary=item.action_text[:600],
                    due_on=today + timedelta(days=(n * per_decision + k) % 365 - 100),
                    signed_on=today))
        ActionFollowUp.objects.bulk_create(rows[:args.open], batch_size=2000)
        client = Client()
        verified_login(client, chair)  # chairs sign in with a second factor
        url = f"/reminders/follow-through/{board.pk}/"
        page_timings, page_cpu, counts = [], [], set()
        client.get(url)  # warm templates
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as queries:
                started, cpu = time.perf_counter(), time.process_time()
                response = client.get(url)
                page_timings.append((time.perf_counter() - started) * 1000)
                page_cpu.append((time.process_time() - cpu) * 1000)
            assert response.status_code == 200, response.status_code
            counts.add(len(queries))
        if args.profile == "page":
            _profiled(lambda: client.get(url))
        print(f"follow-through page with {ActionFollowUp.objects.filter(board=board).count():,}"
              f" open actions: median {statistics.median(page_timings):.1f} ms server time "
              f"(runs: {', '.join(f'{t:.1f}' for t in page_timings)}), queries per request: "
              f"{sorted(counts)}; CPU in this process median "
              f"{statistics.median(page_cpu):.1f} ms; target < 100 ms")
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
