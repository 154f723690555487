"""The dispatcher's claim with 1,000,000 reminder rows (1 % due): time and query plan.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/boardsite BOARDSITE_ENV=development \\
        python bench/reminders_claim.py [--rows 1000000] [--runs 7]

Fills a scratch database (`bench_reminders_claim`, migrated once) with sent, pending and
due rows by SQL, then times `reminders_claim_due(limit=DISPATCH_BATCH_SIZE)` (SELECT …
FOR UPDATE SKIP LOCKED + UPDATE, the ORM code the dispatcher runs) inside a transaction
that is rolled back, so every run claims the same rows. Prints the EXPLAIN of the claim's SELECT and
the median. Target: < 10 ms.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
BENCH_DB = os.environ.get("BENCH_DATABASE_NAME", "bench_reminders_claim")


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--limit", type=int, default=None,
                        help="rows per claim (default: the dispatcher's batch size)")
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
    # Bulk loading and TRUNCATE are the owner's (cases/dbroles.py), not the app role's.
    from cases.dbroles import use_owner_connection  # noqa: E402

    use_owner_connection()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from reminders.delivery import DISPATCH_BATCH_SIZE, reminders_claim_due
    from reminders.models import Reminder

    args.limit = args.limit or DISPATCH_BATCH_SIZE

    call_command("migrate", verbosity=0)
    if Reminder.objects.count() != args.rows:
        fill(args.rows)
    now = timezone.now()
    timings = []
    for _ in range(args.runs):
        with transaction.atomic():
            started = time.perf_counter()
            claimed = reminders_claim_due(now=now, limit=args.limit)
            timings.append((time.perf_counter() - started) * 1000)
            transaction.set_rollback(True)
    assert len(claimed) == args.limit, len(claimed)
    queryset = (Reminder.objects.select_for_update(skip_locked=True)
                .filter(status="pending", next_attempt_at__lte=now)
                .order_by("next_attempt_at").values_list("id", flat=True)[:args.limit])
    with transaction.atomic(), connection.cursor() as cursor:
        sql, params = queryset.query.sql_with_params()
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    pending = Reminder.objects.filter(status="pending")
    due = pending.filter(next_attempt_at__lte=now).count()
    print(f"rows: {Reminder.objects.count():,} (pending: {pending.count():,}, due now: {due:,})")
    print("EXPLAIN of the claim's SELECT … FOR UPDATE SKIP LOCKED:")
    print(plan)
    print(f"claim of {args.limit} due rows (SELECT FOR UPDATE SKIP LOCKED + UPDATE), ms: "
          + ", ".join(f"{t:.2f}" for t in timings))
    print(f"median: {statistics.median(timings):.2f} ms (target: < 10 ms); "
          f"load average now: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    assert "reminder_pending_due" in plan, "the claim does not use the partial index"


def fill(rows: int) -> None:
    """Sent history (89 %), future pending (10 %) and due pending (1 %), by SQL."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE reminders_reminder")
        cursor.execute("INSERT INTO cases_board (name, description, default_location) "
                       "VALUES ('Claim bench', '', '') ON CONFLICT (name) DO NOTHING")
        cursor.execute("SELECT id FROM cases_board WHERE name = 'Claim bench'")
        board_id = cursor.fetchone()[0]
        cursor.execute(f"""
            INSERT INTO reminders_reminder (
                public_id, kind, status, board_id, responsible_role, title, detail, due_on,
                due_at, next_attempt_at, idempotency_key, attempts, sent_count, last_error,
                cancel_reason, created_at, updated_at, sent_at)
            SELECT gen_random_uuid(), 'imaging_reassessment', g.status, {board_id},
                   'coordinator', 'Imaging re-assessment', '', g.at::date, g.at, g.at,
                   'bench:' || g.n, 1, (g.status = 'sent')::int, '', '', now(), now(),
                   CASE WHEN g.status = 'sent' THEN now() END
            FROM (
                SELECT n,
                       CASE WHEN n % 100 < 89 THEN 'sent' ELSE 'pending' END AS status,
                       now() + CASE WHEN n % 100 BETWEEN 89 AND 98 THEN 1 ELSE -1 END
                             * ((n % 300) * interval '1 day' + interval '1 minute') AS at
                FROM generate_series(1, {rows}) AS n
            ) AS g
        """)  # noqa: S608 — integers formatted by this script, no input
        cursor.execute("VACUUM ANALYZE reminders_reminder")


if __name__ == "__main__":
    main()
