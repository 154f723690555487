"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live
server with the real PostgreSQL.

Playwright's sync API runs an event loop in the test thread, which makes Django's ORM
refuse to run there unless told the thread is safe (it is: one test, one thread).
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest
from django_otp.oath import totp

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
PASSWORD = "correct horse battery staple"  # the factories' password


def totp_code(base32_key: str) -> str:
    """What an authenticator app shows now for this key (RFC 6238, 30 s, 6 digits)."""
    key = base64.b32decode(base32_key + "=" * (-len(base32_key) % 8))
    return f"{totp(key):06d}"


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # The live server serves static files from the apps: no `collectstatic` needed.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(scope="session")
def _orm_beside_playwright():
    """Set for the browser tests only (they run last), never at import: a process-wide
    DJANGO_ALLOW_ASYNC_UNSAFE would leak into every other test and its subprocesses
    (`check --deploy` refuses it, rightly)."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def chromium(_orm_beside_playwright):
    # A missing browser is a failure, never a skip: CI installs it with apt.
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Session:
    """One signed-in browser tab that collects console errors (CSP violations show up
    there as "Refused to …")."""

    def __init__(self, browser, base_url: str, *, viewport=None):
        self.context = browser.new_context(
            viewport=viewport or {"width": 1280, "height": 800}, base_url=base_url
        )
        self.page = self.context.new_page()
        self.console_errors: list[str] = []
        self.page.on("console", lambda msg: msg.type == "error"
                     and self.console_errors.append(msg.text))
        self.page.on("pageerror", lambda exc: self.console_errors.append(str(exc)))

    def sign_in(self, username: str) -> None:
        self.page.goto("/accounts/login/")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(PASSWORD)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_load_state()
        if "/accounts/two-factor/setup/" in self.page.url:
            # Chairs and administrators enrol an authenticator at first sign-in, as a
            # person would: read the key off the page and type the app's code.
            key = self.page.get_by_test_id("totp-key").inner_text().replace(" ", "")
            self.page.get_by_label("Your password").fill(PASSWORD)
            self.page.get_by_label("Code").fill(totp_code(key))
            self.page.get_by_role("button", name="Confirm").click()
            self.page.wait_for_load_state()
            self.page.get_by_role("button", name="Continue").click()
            self.page.wait_for_load_state()

    def screenshot(self, name: str, *, full_page: bool = True) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def open_session(chromium, live_server):
    sessions: list[Session] = []

    def make(username: str | None = None, **kwargs) -> Session:
        session = Session(chromium, live_server.url, **kwargs)
        sessions.append(session)
        if username:
            session.sign_in(username)
        return session

    yield make
    errors = [e for s in sessions for e in s.console_errors]
    for session in sessions:
        session.close()
    # No CSP violation, no script error, on any page the test visited. (A 404 page
    # the test opened on purpose logs a resource error, which the test clears.)
    assert errors == []
