"""The local runner's dispatch: which command runs where, with which servers.

The embedded servers and the child process are replaced by recorders, so these are unit
tests; the servers themselves are tested in test_localservices.py.
"""

from __future__ import annotations

import contextlib
import sys

import pytest

from boardsite import localrun
from boardsite.localservices import BASE_DIR


@pytest.fixture
def recorded(monkeypatch):
    calls: dict[str, list] = {"services": [], "children": []}

    @contextlib.contextmanager
    def fake_services(*, redis_db: int):
        calls["services"].append(redis_db)
        yield

    def fake_child(command):
        calls["children"].append(list(command))
        return 7

    monkeypatch.setattr(localrun, "local_services", fake_services)
    monkeypatch.setattr(localrun, "run_child", fake_child)
    monkeypatch.setenv("DJANGO_SECRET_KEY", "test-key-not-used")
    return calls


def test_manage_runs_the_command_against_the_run_servers(recorded):
    code = localrun.main(["manage", "changepassword", "coordinator"])

    assert code == 7  # the command's own exit code
    assert recorded["services"] == [localrun.REDIS_DB_RUN]
    assert recorded["children"] == [
        [sys.executable, str(BASE_DIR / "manage.py"), "changepassword", "coordinator"]
    ]


def test_manage_passes_options_through_untouched(recorded):
    localrun.main(["manage", "demo_logins", "--verbosity", "2", "--no-color"])

    assert recorded["children"][0][2:] == ["demo_logins", "--verbosity", "2", "--no-color"]


def test_manage_without_a_command_prints_usage_and_starts_nothing(recorded, capsys):
    code = localrun.main(["manage"])

    assert code == 2
    assert recorded == {"services": [], "children": []}
    assert "manage <command>" in capsys.readouterr().err


def test_test_command_uses_its_own_redis_database(recorded):
    localrun.main(["test", "-x", "-q"])

    assert recorded["services"] == [localrun.REDIS_DB_TEST]
    assert recorded["children"] == [[sys.executable, "-m", "pytest", "-x", "-q"]]
