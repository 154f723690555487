"""`GET /api/v1/patients/` (token-authenticated, scoped, audited, 50 per page) against a
plain Django view returning the same 50 rows from `.values()`, under load, in one run.

Targets (issue 6): the API sustains ≥ 50 % of the plain view's requests per second, and
its p99 latency is under 150 ms, at 16 concurrent connections.

What it does: creates a database of its own (`bench_api_patients`, dropped at the end)
on the PostgreSQL server of DATABASE_URL, migrates it, loads 100,000 patients on one
board with one member (and her API token), starts gunicorn with 2 sync workers on a free
loopback port (DJANGO_SETTINGS_MODULE=bench.api_patients_site, which adds the plain view
— it is never mounted in the product), and drives both URLs with `wrk -t2 -c16`
(Debian's `wrk`; `apt-get install wrk`) alternately, several rounds. Prints each round
and the medians.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/boardsite REDIS_URL=redis://127.0.0.1:6379/15 \\
        python bench/api_patients.py [--rounds 3] [--seconds 10] [--patients 100000]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

BASE_DIR = Path(__file__).resolve().parents[1]
DB_NAME = "bench_api_patients"

LOAD_SCRIPT = r"""
import datetime as dt, random
import django
django.setup()
# Bulk loading and TRUNCATE are the owner's (cases/dbroles.py), not the app role's.
from cases.dbroles import use_owner_connection  # noqa: E402

use_owner_connection()
from django.contrib.auth import get_user_model
from cases.models import Board, Patient
from cases.services import api_token_issue, board_member_add
import pgtrigger

n = int(__import__("os").environ["BENCH_PATIENTS"])
board = Board.objects.create(name="Bench bone MDT")
other = Board.objects.create(name="Bench other MDT")
user = get_user_model().objects.create_user("bench", password="bench-password-not-secret")
board_member_add(board=board, user=user, role="specialist", specialty="radiology")
rng = random.Random(6)
# The audit trigger would copy every row into the event table; the bench measures reads.
with pgtrigger.ignore("cases.Patient:insert_insert"):
    for start in range(0, n, 5000):
        Patient.objects.bulk_create([
            Patient(board=board if i % 10 else other, hospital_number=f"B{i:08d}",
                    given_name=f"Given{i}", family_name=f"Family{rng.randrange(5000):04d}",
                    date_of_birth=dt.date(1930, 1, 1) + dt.timedelta(days=rng.randrange(25000)),
                    sex=rng.choice(["female", "male"]), ecog=rng.choice([None, 0, 1, 2, 3]))
            for i in range(start, min(n, start + 5000))
        ])
print(api_token_issue(user=user)[1])
"""


def _db_url(name: str) -> str:
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{name}"))


def _admin_conn():
    parts = urlsplit(os.environ["DATABASE_URL"])
    conninfo = urlunsplit(parts._replace(path="/postgres"))
    return psycopg.connect(conninfo, autocommit=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wrk(url: str, seconds: int, token: str | None) -> tuple[float, float]:
    """Requests per second and p99 latency in ms."""
    cmd = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency"]
    if token:
        cmd += ["-H", f"Authorization: Token {token}"]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True).stdout
    if "Non-2xx" in out:
        raise SystemExit(f"non-2xx responses from {url}:\n{out}")
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()
    p99 = float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]
    return rps, p99


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--patients", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true",
                        help="keep the bench database afterwards (for profiling)")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed: apt-get install wrk")

    env = {**os.environ, "DATABASE_URL": _db_url(DB_NAME), "BOARDSITE_ENV": "development",
           "DJANGO_DEBUG": "false", "PYTHONPATH": str(BASE_DIR),
           "DJANGO_SETTINGS_MODULE": "bench.api_patients_site",
           "BENCH_PATIENTS": str(args.patients), "BOARDSITE_LOG_LEVEL": "WARNING"}
    with _admin_conn() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}"')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    server = None
    try:
        started = time.perf_counter()
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=BASE_DIR, env=env,
                       check=True)
        token = subprocess.run([sys.executable, "-c", LOAD_SCRIPT], cwd=BASE_DIR, env=env,
                               check=True, capture_output=True, text=True).stdout.split()[-1]
        with psycopg.connect(_db_url(DB_NAME), autocommit=True) as conn:
            conn.execute("VACUUM ANALYZE")
        print(f"{args.patients} patients loaded in {time.perf_counter() - started:.0f} s")

        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", "2", "--worker-class", "sync",
             "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "boardsite.wsgi"],
            cwd=BASE_DIR, env=env, start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=1).read()  # noqa: S310
                break
            except OSError:
                time.sleep(0.1)
        api, plain = f"{base}/api/v1/patients/", f"{base}/bench/plain-patients/"
        # Same rows on both sides.
        request = urllib.request.Request(  # noqa: S310 — our own loopback server
            api, headers={"Authorization": f"Token {token}"})
        api_ids = [r["id"] for r in json.load(urllib.request.urlopen(request))["results"]]  # noqa: S310
        plain_ids = [r["id"] for r in json.load(urllib.request.urlopen(plain))["results"]]  # noqa: S310
        print(f"API page: {len(api_ids)} rows; plain page: {len(plain_ids)} rows")

        _wrk(api, 2, token)
        _wrk(plain, 2, None)  # warm-up: connections, caches
        results = {"api": [], "plain": []}
        for round_ in range(1, args.rounds + 1):
            results["plain"].append(_wrk(plain, args.seconds, None))
            results["api"].append(_wrk(api, args.seconds, token))
            (prps, pp99), (arps, ap99) = results["plain"][-1], results["api"][-1]
            print(f"round {round_}: plain {prps:7.1f} req/s p99 {pp99:6.1f} ms | "
                  f"API {arps:7.1f} req/s p99 {ap99:6.1f} ms | ratio {arps / prps:5.1%}")
        med = {k: (statistics.median(r for r, _ in v), statistics.median(p for _, p in v))
               for k, v in results.items()}
        ratio = med["api"][0] / med["plain"][0]
        print(f"median plain view: {med['plain'][0]:.1f} req/s, p99 {med['plain'][1]:.1f} ms")
        print(f"median API list:   {med['api'][0]:.1f} req/s, p99 {med['api'][1]:.1f} ms")
        print(f"API / plain: {ratio:.1%} (target ≥ 50 %); API p99 {med['api'][1]:.1f} ms "
              f"(target < 150 ms) — {'met' if ratio >= 0.5 and med['api'][1] < 150 else 'NOT met'}")
        with psycopg.connect(_db_url(DB_NAME)) as conn:
            reads = conn.execute("SELECT count(*) FROM cases_patientaccess").fetchone()[0]
        print(f"read-audit rows (one per request) written during the run: {reads}")
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
        if not args.keep:
            with _admin_conn() as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')


if __name__ == "__main__":
    main()
