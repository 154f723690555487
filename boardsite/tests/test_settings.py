"""Settings read from the environment fail loudly on bad values.

Each case imports the settings in a fresh interpreter with a crafted environment, so the
test process's own (already configured) settings are not disturbed.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

import pytest

from boardsite.localservices import BASE_DIR

pytestmark = pytest.mark.integration

# Valid URLs that point nowhere: importing settings and `check --deploy` connect to nothing.
BASE_ENV = {
    "DATABASE_URL": "postgres://boardsite@db.invalid:5432/boardsite",
    "REDIS_URL": "redis://redis.invalid:6379/0",
    "BOARDSITE_ENV": "development",
    "DJANGO_SETTINGS_MODULE": "boardsite.settings",
}


def run_python(args: list[str], **overrides: str | None) -> subprocess.CompletedProcess[str]:
    # Only PATH/HOME from outside: no BOARDSITE_*, DJANGO_* or EMAIL_* may leak in.
    env = {"PATH": os.environ.get("PATH", ""), "HOME": os.environ.get("HOME", "/")}
    env.update(BASE_ENV)
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return subprocess.run(
        [sys.executable, *args], cwd=BASE_DIR, env=env, capture_output=True, text=True,
        timeout=60, check=False,
    )


def django_setup(**overrides: str | None) -> subprocess.CompletedProcess[str]:
    return run_python(["-c", "import django; django.setup()"], **overrides)


def test_valid_development_environment_sets_up():
    result = django_setup()

    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"BOARDSITE_TIME_ZONE": "Mars/Olympus_Mons"}, "BOARDSITE_TIME_ZONE 'Mars/Olympus_Mons'"),
        (
            {"BOARDSITE_ENV": "production", "DJANGO_SECRET_KEY": None},
            "DJANGO_SECRET_KEY is not set",
        ),
        ({"DJANGO_DEBUG": "maybe"}, "DJANGO_DEBUG must be true or false, not 'maybe'"),
        ({"EMAIL_USE_TLS": "sometimes"}, "EMAIL_USE_TLS must be true or false"),
        ({"BOARDSITE_ENV": "staging"}, "BOARDSITE_ENV must be 'development' or 'production'"),
        ({"DATABASE_URL": None}, "DATABASE_URL is not set"),
        ({"REDIS_URL": None}, "REDIS_URL is not set"),
    ],
    ids=["time-zone", "prod-secret-key", "debug-bool", "tls-bool", "env", "no-db", "no-redis"],
)
def test_bad_environment_fails_with_improperly_configured(overrides, message):
    result = django_setup(**overrides)

    assert result.returncode == 1
    assert "django.core.exceptions.ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def settings_value(name: str, **overrides: str | None) -> str:
    result = run_python(["-c", f"import django; django.setup(); from django.conf import "
                               f"settings; print(settings.{name})"], **overrides)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


PRODUCTION = {"BOARDSITE_ENV": "production", "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
              "BOARDSITE_SIGNING_KEYS": f"k1={secrets.token_urlsafe(48)}"}


@pytest.mark.parametrize(("overrides", "tls", "ssl"), [
    (PRODUCTION, "True", "False"),
    ({**PRODUCTION, "EMAIL_USE_TLS": "false"}, "False", "False"),
    ({**PRODUCTION, "EMAIL_USE_SSL": "true"}, "False", "True"),
    ({}, "False", "False"),  # development: the local mail catcher speaks plain SMTP
], ids=["production", "production-opt-out", "production-implicit-tls", "development"])
def test_smtp_uses_tls_by_default_in_production(overrides, tls, ssl):
    assert settings_value("EMAIL_USE_TLS", **overrides) == tls
    assert settings_value("EMAIL_USE_SSL", **overrides) == ssl


def test_starttls_and_implicit_tls_together_are_refused():
    result = django_setup(EMAIL_USE_TLS="true", EMAIL_USE_SSL="true")
    assert result.returncode == 1
    assert "EMAIL_USE_TLS (STARTTLS) and EMAIL_USE_SSL (implicit TLS) exclude" in result.stderr


def test_deploy_check_passes_with_production_settings():
    result = run_python(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        BOARDSITE_ENV="production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="boardsite.example.org",
        BOARDSITE_SIGNING_KEYS=f"k1={secrets.token_urlsafe(48)}",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_refuses_to_start_without_a_signing_key():
    result = run_python(
        ["manage.py", "check"],
        BOARDSITE_ENV="production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="boardsite.example.org",
        BOARDSITE_SIGNING_KEYS="",
        BOARDSITE_SIGNING_KEYS_FILE="",
    )
    assert result.returncode != 0
    assert ("ImproperlyConfigured: No signing key: set BOARDSITE_SIGNING_KEYS (id=secret) or "
            "BOARDSITE_SIGNING_KEYS_FILE.") in result.stderr


def test_signing_keys_come_from_a_file_and_the_first_one_signs(tmp_path):
    keys = tmp_path / "signing_keys"
    keys.write_text(f"new2027={'n' * 40}\n# retired, still verifies\nold2026={'o' * 40}\n")
    result = run_python(
        ["-c", "import django; django.setup(); from django.conf import settings; "
               "from cases.signing import current_key_id; "
               "print(list(settings.SIGNING_KEYS), current_key_id())"],
        BOARDSITE_SIGNING_KEYS_FILE=str(keys),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['new2027', 'old2026'] new2027"


def test_a_short_signing_key_is_refused():
    result = run_python(["manage.py", "check"], BOARDSITE_SIGNING_KEYS="k1=short")
    assert result.returncode != 0
    assert "Signing key 'k1' is shorter than 32 characters." in result.stderr
