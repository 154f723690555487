"""Bench: what sealing the audit chain every few seconds costs (cases/audit_chain.py).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/boardsite REDIS_URL=redis://127.0.0.1:6379/15 \
        BOARDSITE_ENV=development python bench/audit_seal.py [--repeats 7]

Works in a throwaway database of its own (`bench_audit_seal`, created and dropped;
BENCH_DATABASE_NAME for another name). Prints the median and spread over several
repeats of one `audit_chain_seal` run:
- with nothing to seal: what the sealer costs every interval on a quiet site (one
  watermark query per audit table, the oldest-writer check, the advisory lock);
- with 10, 100 and 1,000 audit rows to seal (PatientAccess rows and pghistory events
  of patient writes, half each): what a busy interval costs.
At the default interval (5 s) the idle run's median, divided by 5 s, is the share of
one core the sealer takes on a quiet site.
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
os.environ["DATABASE_TEST_NAME"] = os.environ.get("BENCH_DATABASE_NAME", "bench_audit_seal")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402

_edits = iter(range(10**9))


def write_audit_rows(n: int, user, patients) -> None:
    from cases.models import PatientAccess
    from cases.services import record_patient_access

    for i in range(n // 2):
        record_patient_access(user=user, patient_ids=[patients[i % len(patients)].pk],
                              action=PatientAccess.Action.VIEW, path="/bench/")
    for i in range(n - n // 2):
        patient = patients[i % len(patients)]
        patient.given_name = f"Bench{next(_edits)}"  # a real change: an event
        patient.save(update_fields=["given_name"])  # one pghistory update event


def timed_seal() -> tuple[float, int]:
    from cases.audit_chain import audit_chain_seal

    started = time.perf_counter()
    sealed = audit_chain_seal(settle_seconds=0)
    return (time.perf_counter() - started) * 1000, sealed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        from cases.tests.factories import BoardFactory, PatientFactory, UserFactory

        board = BoardFactory(name="Bench board")
        patients = [PatientFactory(board=board) for _ in range(20)]
        user = UserFactory(username="bench")
        timed_seal()  # seal the set-up's own rows
        for rows in (0, 10, 100, 1000):
            times = []
            for _ in range(args.repeats):
                write_audit_rows(rows, user, patients)
                elapsed, sealed = timed_seal()
                if sealed != rows:
                    raise SystemExit(f"expected {rows} rows sealed, got {sealed}")
                times.append(elapsed)
            print(f"seal with {rows:>5} rows pending: median {statistics.median(times):7.1f} ms "
                  f"(min {min(times):.1f}, max {max(times):.1f}, {args.repeats} runs)")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
