"""The embedded servers behind ./bin/run and ./bin/test: start, keep data, restart, stop.

Plain psycopg / redis / subprocess tests in temporary directories: they do not use the
Django test database, and they stop every server they start.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import psycopg
import pytest
import redis

from boardsite import localservices
from boardsite.localservices import (
    BASE_DIR,
    ensure_services,
    start_postgres,
    start_redis,
)

pytestmark = pytest.mark.integration


def child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in {"DATABASE_URL", "DATABASE_OWNER_URL", "REDIS_URL"}}
    env.update(extra)
    return env


def query_through_django(database_url: str, code: str) -> str:
    """Run ``code`` (with ``cursor`` bound) in a fresh Django process on ``database_url``."""
    program = textwrap.dedent(
        """
        import django
        django.setup()
        from django.db import connection
        with connection.cursor() as cursor:
        """
    ) + textwrap.indent(textwrap.dedent(code), "    ")
    result = subprocess.run(
        [sys.executable, "-c", program],
        cwd=BASE_DIR,
        env=child_env(
            DATABASE_URL=database_url,
            REDIS_URL="redis://127.0.0.1:1/0",
            BOARDSITE_ENV="development",
            DJANGO_SETTINGS_MODULE="boardsite.settings",
        ),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def postgres_accepts(server: localservices.EmbeddedPostgres) -> bool:
    info = server.server.get_postmaster_info()
    try:
        with psycopg.connect(host=str(info.socket_dir), port=info.port, user="postgres",
                             dbname="boardsite", connect_timeout=2):
            return True
    except psycopg.OperationalError:
        return False


def test_embedded_postgres_keeps_data_across_a_restart(tmp_path):
    data_dir = tmp_path / "postgres"

    first = start_postgres(data_dir)
    try:
        assert first.started_here is True
        # Two roles: the app role serves, the owner (which created this table) migrates.
        assert first.url.startswith("postgres://boardsite_app@:")
        assert first.owner_url.startswith("postgres://boardsite_owner@:")
        assert first.url.endswith(f"/boardsite?host={data_dir}")
        assert first.owner_url.endswith(f"/boardsite?host={data_dir}")
        # The URL works the way settings.py uses it: django-environ, Django, psycopg.
        query_through_django(
            first.owner_url,
            """
            cursor.execute("CREATE TABLE board_note (body text)")
            cursor.execute("INSERT INTO board_note VALUES ('spine MDT, week 12')")
            """,
        )
    finally:
        assert first.stop() is True
    assert not postgres_accepts(first)
    assert not (data_dir / "postmaster.pid").exists()

    second = start_postgres(data_dir)
    try:
        assert second.started_here is True
        assert (second.url, second.owner_url) == (first.url, first.owner_url)
        out = query_through_django(
            second.owner_url,
            """
            cursor.execute("SELECT body FROM board_note")
            print(cursor.fetchall())
            """,
        )
        assert out.strip() == "[('spine MDT, week 12',)]"
    finally:
        assert second.stop() is True


HOLDER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from boardsite.localservices import start_postgres
    server = start_postgres(Path(sys.argv[1]))
    print(server.url, flush=True)
    if sys.argv[2] == "hold":
        sys.stdin.read()          # until the test closes our stdin
        server.stop()
    # "leave": exit without stopping, like a runner killed with SIGKILL
    """
)


def start_holder(data_dir: Path, mode: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(data_dir), mode],
        cwd=BASE_DIR, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )


def test_postgres_shared_with_a_live_process_is_left_running_for_it(tmp_path):
    data_dir = tmp_path / "postgres"
    holder = start_holder(data_dir, "hold")
    try:
        url = holder.stdout.readline().strip()

        joined = start_postgres(data_dir)
        assert joined.started_here is False
        assert joined.url == url
        assert joined.stop() is False  # the holder still uses it
        assert postgres_accepts(joined)
    finally:
        holder.communicate("", timeout=30)  # closes stdin: the holder stops the server
    assert holder.returncode == 0
    assert not (data_dir / "postmaster.pid").exists()


def test_postgres_left_running_by_a_dead_process_is_reused_then_stopped(tmp_path):
    data_dir = tmp_path / "postgres"
    leaver = start_holder(data_dir, "leave")
    url = leaver.stdout.readline().strip()
    assert leaver.wait(timeout=30) == 0
    assert (data_dir / "postmaster.pid").exists()  # still running, nobody holds it

    adopted = start_postgres(data_dir)
    try:
        assert adopted.started_here is False
        assert adopted.url == url
        assert postgres_accepts(adopted)
    finally:
        assert adopted.stop() is True
    assert not (data_dir / "postmaster.pid").exists()


def test_embedded_redis_keeps_data_across_a_restart(tmp_path):
    data_dir = tmp_path / "redis"

    first = start_redis(data_dir)
    try:
        assert first.started_here is True
        assert first.url == f"redis://127.0.0.1:{first.port}/0"
        client = redis.Redis.from_url(first.url)
        assert client.config_get("appendonly") == {"appendonly": "yes"}
        assert client.config_get("bind") == {"bind": "127.0.0.1"}
        client.set("boardsite:test", "zoledronic acid due")
        client.close()
    finally:
        assert first.stop() is True
    assert first.process is not None and first.process.returncode == 0
    assert (data_dir / "appendonly.aof").stat().st_size > 0

    second = start_redis(data_dir, db=3)
    try:
        assert second.started_here is True
        assert second.url.endswith("/3")
        client = redis.Redis(host="127.0.0.1", port=second.port, db=0)
        assert client.get("boardsite:test") == b"zoledronic acid due"
        client.close()
    finally:
        assert second.stop() is True


def test_redis_already_running_from_var_is_joined_not_restarted(tmp_path):
    data_dir = tmp_path / "redis"
    first = start_redis(data_dir)
    try:
        joined = start_redis(data_dir)
        assert joined.started_here is False
        assert (joined.pid, joined.port) == (first.pid, first.port)
        # Same process: no other live holder, so leaving stops it; the first handle then
        # finds nothing left to do.
        assert joined.stop() is True
        assert first.process is not None and first.process.wait(timeout=10) == 0
    finally:
        first.stop()


def test_with_both_urls_set_nothing_embedded_starts(tmp_path, monkeypatch):
    def must_not_start(*args, **kwargs):
        raise AssertionError("an embedded server was started although its URL is set")

    monkeypatch.setattr(localservices, "start_postgres", must_not_start)
    monkeypatch.setattr(localservices, "start_redis", must_not_start)
    environ = {
        "DATABASE_URL": "postgres://boardsite@db.example.org:5432/boardsite",
        "REDIS_URL": "redis://cache.example.org:6379/2",
    }

    services = ensure_services(environ, var_dir=tmp_path, log=False)
    services.stop()

    assert services.postgres is None
    assert services.redis is None
    assert environ == {
        "DATABASE_URL": "postgres://boardsite@db.example.org:5432/boardsite",
        "REDIS_URL": "redis://cache.example.org:6379/2",
    }
    assert list(tmp_path.iterdir()) == []


def test_with_only_database_url_set_only_redis_starts(tmp_path):
    environ = {"DATABASE_URL": "postgres://boardsite@db.example.org:5432/boardsite"}

    services = ensure_services(environ, var_dir=tmp_path, log=False)
    try:
        assert services.postgres is None
        assert services.redis is not None
        assert environ["REDIS_URL"] == services.redis.url
    finally:
        services.stop()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["redis"]


def test_development_secret_key_is_made_once_and_private(tmp_path):
    key = localservices.development_secret_key(tmp_path)

    assert len(key) >= 50
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600
    assert localservices.development_secret_key(tmp_path) == key


def test_runner_fails_when_pytest_collects_nothing(tmp_path):
    # The URLs of this test run are passed on, so nothing embedded starts.
    result = subprocess.run(
        [sys.executable, "-m", "boardsite.localrun", "test", "-p", "no:cacheprovider",
         str(tmp_path)],
        cwd=BASE_DIR, capture_output=True, text=True, timeout=120, check=False,
    )

    assert result.returncode == 5, result.stdout + result.stderr
    assert "pytest collected no tests: that is a failure" in result.stderr
