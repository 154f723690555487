"""Bench: importing a FHIR bundle of 1,000 lab results (target: < 2 s).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/boardsite REDIS_URL=redis://127.0.0.1:6379/15 \
        BOARDSITE_ENV=development python bench/import_fhir.py [--observations 1000] [--repeats 5]

Works in a throwaway database of its own (`bench_import`, created and dropped). Prints
the median and spread over several repeats of:
- reading: JSON + fhir.resources validation + mapping (no database);
- a first import: one new patient and N new lab results (each repeat into a new board,
  so every row is new);
- the same bundle again: every row compared, nothing written;
and the number of SQL queries of a first import and of a re-import, for 10 and for N
observations (they must be equal: the import works in bulk).
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
os.environ["DATABASE_TEST_NAME"] = os.environ.get("BENCH_DATABASE_NAME", "bench_import")

import django  # noqa: E402

django.setup()

import datetime as dt  # noqa: E402

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from cases import services  # noqa: E402
from cases.interop.fhir import read_bundle  # noqa: E402
from cases.models import ImportSource  # noqa: E402
from cases.tests.factories import BoardFactory  # noqa: E402
from cases.tests.interop import bundles as b  # noqa: E402

#: (LOINC, value, UCUM) cycled through: the eight tests of the issue.
TESTS = [("2160-0", "1.1", "mg/dL"), ("29265-6", "2.41", "mmol/L"), ("1751-7", "38", "g/L"),
         ("6768-6", "120", "U/L"), ("718-7", "12.1", "g/dL"), ("751-8", "3.2", "10*3/uL"),
         ("777-3", "210", "10*9/L"), ("6690-2", "6.5", "10*9/L")]


def bundle_text(n: int, number: str) -> str:
    start = dt.datetime(2026, 1, 1, 8, 0, tzinfo=dt.UTC)
    observations = []
    for i in range(n):
        loinc, value, unit = TESTS[i % len(TESTS)]
        when = (start + dt.timedelta(hours=i)).isoformat()
        observations.append(b.observation(loinc, value, unit, id=f"obs-{i}", when=when,
                                          identifier=f"LAB-{i}"))
    return b.as_text(b.bundle(b.patient(number), *observations))


def spread(times: list[float]) -> str:
    return (f"median {statistics.median(times):.0f} ms  "
            f"min {min(times):.0f}  max {max(times):.0f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--observations", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    n = args.observations

    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        def run(board, text):
            plan = services.records_import(board=board, user=None, source=ImportSource.FHIR,
                                           content=text)
            assert plan.ok, [str(e) for e in plan.errors[:5]]
            return plan

        counts = {}
        for size in (10, n):
            board = BoardFactory(name=f"Queries {size}")
            text = bundle_text(size, f"Q{size:07d}")
            with CaptureQueriesContext(connection) as first:
                run(board, text)
            with CaptureQueriesContext(connection) as again:
                run(board, text)
            counts[size] = (len(first), len(again))

        read_times, first_times, again_times = [], [], []
        for repeat in range(args.repeats):
            text = bundle_text(n, f"B{repeat:07d}")
            board = BoardFactory(name=f"Bench {repeat}")
            start = time.perf_counter()
            read_bundle(text)
            read_times.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            plan = run(board, text)
            first_times.append((time.perf_counter() - start) * 1000)
            assert plan.counts()["new"] == n + 1
            start = time.perf_counter()
            plan = run(board, text)
            again_times.append((time.perf_counter() - start) * 1000)
            assert plan.counts()["unchanged"] == n + 1

        print(f"FHIR import of one patient and {n} observations, {args.repeats} repeats")
        print(f"  read + validate + map (no database): {spread(read_times)}")
        print(f"  first import (all new, written):     {spread(first_times)}")
        print(f"  same bundle again (all unchanged):   {spread(again_times)}")
        for size, (first, again) in counts.items():
            print(f"  queries with {size:>5} observations: first import {first}, "
                  f"again {again}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
