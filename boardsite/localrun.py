"""The local runner behind ``./bin/run`` and ``./bin/test``.

    python -m boardsite.localrun run             # web + worker + beat on :8000
    python -m boardsite.localrun test [args…]    # pytest with the given arguments
    python -m boardsite.localrun manage <command> [args…]   # any manage.py command

Both start embedded PostgreSQL and Redis when DATABASE_URL / REDIS_URL are unset
(``boardsite.localservices``) and stop them again on the way out, Ctrl-C included.
``run`` migrates, collects static files into var/static, loads the demo data (which
prints the demo logins), then serves with honcho: gunicorn (2 sync workers), one Celery
worker (-c 2), one beat and, when EMAIL_HOST is not set, a local SMTP sink on
127.0.0.1:1025 that files every message under var/mail/.
"""

from __future__ import annotations

import os
import shlex
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence

from boardsite.localservices import (
    BASE_DIR,
    VAR_DIR,
    development_secret_key,
    development_signing_keys,
    local_services,
)

WEB_HOST, WEB_PORT = "127.0.0.1", 8000
MAIL_HOST, MAIL_PORT = "127.0.0.1", 1025
MAIL_DIR = VAR_DIR / "mail"
# The embedded Redis is shared by `run` and `test` when both are up: separate databases.
REDIS_DB_RUN, REDIS_DB_TEST = 0, 1
PYTEST_NO_TESTS_COLLECTED = 5


def _say(message: str) -> None:
    print(f"boardsite: {message}", file=sys.stderr, flush=True)


def prepare_environment(environ: dict[str, str] | os._Environ[str] = os.environ) -> None:
    """Local defaults: development mode and a secret key kept in var/secret_key."""
    environ.setdefault("BOARDSITE_ENV", "development")
    environ.setdefault("DJANGO_SETTINGS_MODULE", "boardsite.settings")
    environ.setdefault("PYTHONUNBUFFERED", "1")
    if not environ.get("DJANGO_SECRET_KEY"):
        environ["DJANGO_SECRET_KEY"] = development_secret_key(VAR_DIR)
    if not environ.get("BOARDSITE_SIGNING_KEYS") and not environ.get("BOARDSITE_SIGNING_KEYS_FILE"):
        environ["BOARDSITE_SIGNING_KEYS_FILE"] = str(development_signing_keys(VAR_DIR))


def run_child(command: Sequence[str]) -> int:
    """Run a child in the foreground and return its exit code.

    The child shares our process group, so Ctrl-C in the terminal reaches it directly
    (pytest then tears down cleanly and --pdb keeps its terminal); we wait for it
    instead of killing it. SIGTERM sent to us is passed on.
    """
    process = subprocess.Popen(command, cwd=BASE_DIR)  # noqa: S603 - our own commands

    def forward(signum: int, _frame: object) -> None:
        process.send_signal(signum)

    previous_term = signal.signal(signal.SIGTERM, forward)
    previous_int = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        return process.wait()
    finally:
        signal.signal(signal.SIGTERM, previous_term)
        signal.signal(signal.SIGINT, previous_int)


def _manage(*args: str) -> list[str]:
    return [sys.executable, str(BASE_DIR / "manage.py"), *args]


def _port_free(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def _timed(label: str, command: Sequence[str]) -> None:
    started = time.monotonic()
    code = run_child(command)
    if code != 0:
        raise SystemExit(code)
    _say(f"{label} took {time.monotonic() - started:.1f}s")


def command_run() -> int:
    prepare_environment()
    # The audit chain's anchors (cases/audit_chain.py), outside the database. Not for
    # `test`: each test database starts a new chain.
    os.environ.setdefault("BOARDSITE_AUDIT_ANCHOR_DIR", str(VAR_DIR / "audit-anchors"))
    if not _port_free(WEB_HOST, WEB_PORT):
        _say(f"port {WEB_PORT} on {WEB_HOST} is in use; stop whatever runs there first.")
        return 1
    with local_services(redis_db=REDIS_DB_RUN):
        _timed("migrate", _manage("migrate", "--noinput"))
        # Manifest storage (DEBUG off) needs collected files for {% static %}.
        _timed("collectstatic", _manage("collectstatic", "--noinput", "--verbosity", "0"))
        _timed("load_demo_data", _manage("load_demo_data"))
        return _serve()


def _serve() -> int:
    from honcho.manager import Manager

    python = shlex.quote(sys.executable)
    processes = {
        "web": f"{python} -m gunicorn boardsite.wsgi --workers 2 --worker-class sync "
        f"--bind {WEB_HOST}:{WEB_PORT} --config python:boardsite.gunicorn_conf "
        "--graceful-timeout 5 --no-control-socket",
        "worker": f"{python} -m celery -A boardsite worker -c 2 --loglevel INFO",
        "beat": f"{python} -m celery -A boardsite beat --loglevel INFO "
        f"--schedule {shlex.quote(str(VAR_DIR / 'celerybeat-schedule'))}",
    }
    mail_note = f"email goes to {os.environ.get('EMAIL_HOST')}"
    if not os.environ.get("EMAIL_HOST"):
        if _port_free(MAIL_HOST, MAIL_PORT):
            processes["mail"] = f"{python} -m boardsite.localrun mailsink"
            mail_note = f"email is caught on {MAIL_HOST}:{MAIL_PORT} and filed in {MAIL_DIR}/"
        else:
            mail_note = f"something already listens on {MAIL_HOST}:{MAIL_PORT}; email goes there"
    manager = Manager()
    # Web, worker and beat connect as the app role only; the owner's URL is migrate's.
    serving_env = {k: v for k, v in os.environ.items() if k != "DATABASE_OWNER_URL"}
    for name, command in processes.items():
        manager.add_process(name, command, env=serving_env, cwd=str(BASE_DIR))
    _say(
        f"serving on http://{WEB_HOST}:{WEB_PORT}/ (demo logins are printed above); "
        f"{mail_note}. Ctrl-C stops everything."
    )
    manager.loop()
    # honcho returns 130/143 after Ctrl-C/SIGTERM: an intended stop, not a failure.
    return 0 if manager.returncode in (130, 143) else int(manager.returncode or 0)


def command_test(pytest_args: Sequence[str]) -> int:
    prepare_environment()
    with local_services(redis_db=REDIS_DB_TEST):
        code = run_child([sys.executable, "-m", "pytest", *pytest_args])
    if code == PYTEST_NO_TESTS_COLLECTED:
        _say("pytest collected no tests: that is a failure, not a pass.")
    return code


def command_manage(manage_args: Sequence[str]) -> int:
    """``manage.py <command>`` against the same embedded servers (and Redis database) as
    ``run``: ``changepassword``, ``demo_logins``, ``shell``… need the database that only
    exists while the runner holds it. When ``run`` is already up, its servers are reused
    and left running."""
    prepare_environment()
    with local_services(redis_db=REDIS_DB_RUN):
        return run_child(_manage(*manage_args))


def command_mailsink() -> int:
    """A development SMTP server that files each message as var/mail/<time>-<n>.eml."""
    import asyncio

    from aiosmtpd.controller import Controller

    MAIL_DIR.mkdir(parents=True, exist_ok=True)

    class FileSink:
        count = 0

        async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802
            FileSink.count += 1
            content: bytes = envelope.original_content or envelope.content  # type: ignore[attr-defined]
            path = MAIL_DIR / f"{time.strftime('%Y%m%d-%H%M%S')}-{FileSink.count:04d}.eml"
            path.write_bytes(content)
            recipients = ", ".join(envelope.rcpt_tos)  # type: ignore[attr-defined]
            print(f"mail for {recipients} filed as {path}", flush=True)
            return "250 Message accepted for delivery"

    controller = Controller(FileSink(), hostname=MAIL_HOST, port=MAIL_PORT)
    controller.start()
    print(f"SMTP sink on {MAIL_HOST}:{MAIL_PORT}, filing mail in {MAIL_DIR}/", flush=True)
    stop = asyncio.Event()

    async def wait() -> None:
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
        await stop.wait()

    try:
        asyncio.run(wait())
    finally:
        controller.stop()
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    # No argparse: everything after `test` belongs to pytest, options included.
    args = list(sys.argv[1:] if argv is None else argv)
    command = args.pop(0) if args else ""
    os.chdir(BASE_DIR)
    if command == "run" and not args:
        return command_run()
    if command == "test":
        return command_test(args)
    if command == "manage" and args:
        return command_manage(args)
    if command == "mailsink" and not args:
        return command_mailsink()
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
