"""CPU per request of `GET /api/v1/patients/` and of the plain view, in-process.

Steadier than the load test on a shared machine: it calls the WSGI application in a
loop (no HTTP, no other process competing) and counts the CPU time of this process
(`time.process_time`) and of its PostgreSQL backend (`/proc/<pid>/stat` of
`pg_backend_pid()`, so the server must be on this machine). Needs the database that
`bench/api_patients.py --keep` leaves behind (`bench_api_patients`).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_api_patients \\
    REDIS_URL=redis://127.0.0.1:6379/15 BOARDSITE_ENV=development \\
    DJANGO_SETTINGS_MODULE=bench.api_patients_site \\
        python bench/api_patients_cpu.py [--n 500] [--rounds 5] [--profile api|plain|session]

It empties the read-audit table first. `--profile` prints a CPU-time cProfile of that URL
instead (sorted by cumulative time; `--pyinstrument` for a wall-clock tree).
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.api_patients_site")
os.environ.setdefault("BOARDSITE_ENV", "development")
os.environ.setdefault("BOARDSITE_LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()
# Bulk loading and TRUNCATE are the owner's (cases/dbroles.py), not the app role's.
from cases.dbroles import use_owner_connection  # noqa: E402

use_owner_connection()

from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.db import connection  # noqa: E402

CLK = os.sysconf("SC_CLK_TCK")


def _environ(path: str, headers: dict[str, str]) -> dict:
    env = {
        "REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "SCRIPT_NAME": "",
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1", "HTTP_HOST": "127.0.0.1:8000",
        "wsgi.input": io.BytesIO(b""), "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr,
        "wsgi.multithread": False, "wsgi.multiprocess": True, "wsgi.run_once": False,
    }
    env.update(headers)
    return env


def _pg_cpu(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK


def _session_cookie(user) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--verbose", action="store_true")
    parser.add_argument("--lines", type=int, default=80, help="with --profile: rows shown")
    parser.add_argument("--profile", choices=["api", "plain", "session"])
    parser.add_argument("--pyinstrument", action="store_true",
                        help="with --profile: pyinstrument (if installed) instead of cProfile")
    args = parser.parse_args()

    from django.contrib.auth import get_user_model

    from cases.services import api_token_issue

    bench_user = get_user_model().objects.get(username="bench")
    _, key = api_token_issue(user=bench_user)
    app = WSGIHandler()
    urls = {
        "plain": ("/bench/plain-patients/", {}),
        "api": ("/api/v1/patients/", {"HTTP_AUTHORIZATION": f"Token {key}"}),
        "session": ("/api/v1/patients/", {"HTTP_COOKIE": _session_cookie(bench_user)}),
    }

    def call(name):
        path, headers = urls[name]
        out = []

        def start_response(status, _headers, exc_info=None):
            out.append(status)

        body = b"".join(app(_environ(path, headers), start_response))
        if not out[0].startswith("200"):
            raise SystemExit(f"{name}: {out[0]} {body[:300]!r}")
        return body

    for name in urls:  # warm up: connection, URL resolver, caches
        for _ in range(50):
            call(name)
    connection.ensure_connection()
    pid = connection.cursor().connection.info.backend_pid
    with connection.cursor() as cursor:  # start from an empty read audit, as the load test
        cursor.execute("TRUNCATE cases_patientaccess")

    if args.profile and args.pyinstrument:
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.0002)
        with profiler:
            for _ in range(args.n):
                call(args.profile)
        print(profiler.output_text(unicode=False, color=False, show_all=True))
        return
    if args.profile:
        import cProfile
        import pstats

        prof = cProfile.Profile(time.process_time)  # CPU time, not waits
        prof.enable()
        for _ in range(args.n):
            call(args.profile)
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(args.lines)
        return

    # Interleaved in blocks of 20 requests, so that the load of a shared machine weighs
    # on every URL alike; each round sums `n` requests per URL.
    results: dict[str, list[tuple[float, float]]] = {name: [] for name in urls}
    block = 20
    for rnd in range(args.rounds):
        spent = {name: [0.0, 0.0] for name in urls}
        for _ in range(max(1, args.n // block)):
            for name in urls:
                pg0, py0 = _pg_cpu(pid), time.process_time()
                for _ in range(block):
                    call(name)
                spent[name][0] += time.process_time() - py0
                spent[name][1] += _pg_cpu(pid) - pg0
        count = max(1, args.n // block) * block
        for name, (py, pg) in spent.items():
            results[name].append((py / count * 1000, pg / count * 1000))
            if args.verbose:
                print(f"round {rnd + 1} {name:8s} python {py / count * 1000:5.2f} ms + "
                      f"postgres {pg / count * 1000:5.2f} ms")
    print(f"CPU ms per request over {args.rounds} rounds of {args.n} (median; minimum):")
    for name, rows in results.items():
        py, pg = (statistics.median(r[i] for r in rows) for i in (0, 1))
        best = min(rows, key=sum)
        print(f"  {name:8s} python {py:5.2f} + postgres {pg:5.2f} = {py + pg:5.2f} "
              f"(min {sum(best):5.2f})")
    plain = statistics.median(sum(r) for r in results["plain"])
    api = statistics.median(sum(r) for r in results["api"])
    print(f"  api / plain CPU: {api / plain:.2f}x")


if __name__ == "__main__":
    main()
