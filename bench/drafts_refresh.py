"""Bench: refreshing the draft plans of a 40-case meeting (read facts, evaluate, store).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/boardsite REDIS_URL=redis://127.0.0.1:6379/15 \
        BOARDSITE_ENV=development python bench/drafts_refresh.py [--cases 40] [--repeats 7]

Works in a throwaway database of its own (`bench_drafts`, created and dropped). Prints
the median and spread over several repeats of:
- a full refresh: every case's facts changed, so 40 evaluations and 40 snapshots stored;
- a no-change refresh: the facts versions compared, no facts read, nothing evaluated;
- a one-case-changed refresh: one lab value edited, so that case's facts read,
  evaluated and stored;
and the number of SQL queries of each, for 5 cases and for N cases (must be equal).
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
os.environ["DATABASE_TEST_NAME"] = os.environ.get("BENCH_DATABASE_NAME", "bench_drafts")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402


def build_meeting(n_cases: int):
    import datetime as dt
    from decimal import Decimal

    from django.utils import timezone

    from cases.tests.factories import (
        AgendaItemFactory,
        BoardFactory,
        ImagingStudyFactory,
        LabResultFactory,
        LongBoneLesionFactory,
        MeetingFactory,
        PatientFactory,
        PrimaryCancerFactory,
        SpinalLesionFactory,
    )

    board = BoardFactory(name=f"Bench board {n_cases}")
    meeting = MeetingFactory(board=board)
    now = timezone.now()
    for _ in range(n_cases):
        patient = PatientFactory(board=board)
        PrimaryCancerFactory(patient=patient)
        for level in ("T8", "T12", "L2"):
            SpinalLesionFactory(patient=patient, vertebral_level=level)
        LongBoneLesionFactory(patient=patient)
        LongBoneLesionFactory(patient=patient, long_bone_segment="peritrochanteric")
        ImagingStudyFactory(patient=patient)
        for days in range(0, 200, 20):
            LabResultFactory(patient=patient, value=Decimal("88"), unit="umol/L",
                             taken_at=now - dt.timedelta(days=days + 1))
        AgendaItemFactory(meeting=meeting, patient=patient)
    return meeting


def timed(fn, repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def spread(times: list[float]) -> str:
    return (f"median {statistics.median(times):.1f} ms  "
            f"min {min(times):.1f}  max {max(times):.1f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=40)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()

    from recommendations.models import DraftPlan
    from recommendations.services import drafts_refresh_for_meeting

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        small = build_meeting(5)
        meeting = build_meeting(args.cases)

        def unchanged():
            drafts_refresh_for_meeting(meeting=meeting)

        # Query counts (5 vs N cases), each after a warm-up.
        counts = {}
        for label, m in (("5", small), (str(args.cases), meeting)):
            DraftPlan.objects.filter(agenda_item__meeting=m).delete()
            with CaptureQueriesContext(connection) as q_full:
                drafts_refresh_for_meeting(meeting=m)
            with CaptureQueriesContext(connection) as q_same:
                drafts_refresh_for_meeting(meeting=m)
            counts[label] = (len(q_full), len(q_same))

        # Forgetting the drafts makes every case evaluated and stored again; the delete
        # is set-up, outside the timed part.
        full_times = []
        for _ in range(args.repeats):
            DraftPlan.objects.filter(agenda_item__meeting=meeting).delete()
            start = time.perf_counter()
            drafts_refresh_for_meeting(meeting=meeting)
            full_times.append((time.perf_counter() - start) * 1000)
        same_times = timed(unchanged, args.repeats)

        from cases.models import LabResult

        lab = LabResult.objects.filter(patient__agenda_items__meeting=meeting).first()
        one_times = []
        for repeat in range(args.repeats):
            LabResult.objects.filter(pk=lab.pk).update(value=90 + repeat)
            start = time.perf_counter()
            drafts_refresh_for_meeting(meeting=meeting)
            one_times.append((time.perf_counter() - start) * 1000)

        print(f"draft refresh of a {args.cases}-case meeting "
              f"(5 spinal/long-bone lesions and 10 labs per case), {args.repeats} repeats")
        print(f"  full refresh (evaluate + store all):  {spread(full_times)}")
        print(f"  no-change refresh (compare versions): {spread(same_times)}")
        print(f"  one case changed (read + evaluate 1): {spread(one_times)}")
        for label, (q_full, q_same) in counts.items():
            print(f"  queries with {label:>3} cases: full {q_full}, no-change {q_same}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
