"""Fuzz every operation of /api/schema/ with schemathesis, as an authenticated chair.

Runs in the normal suite: each operation gets a bounded number of generated requests
(`MAX_EXAMPLES`), positive and negative, against the in-process WSGI application (so
against the test database, inside the test's transaction). The checks: no 5xx, status
codes, content types and bodies that conform to the schema. The operations only an
administrator may use (user accounts) are fuzzed again as an administrator, since the
chair is refused before their input is read.
"""

from __future__ import annotations

from collections import Counter

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from cases.tests.api.conftest import api_token

MAX_EXAMPLES = 10
STATS: Counter = Counter()


def _load_schema():
    # The schema view reads no database (AllowAny, no credentials sent), so it can be
    # fetched while the tests are collected.
    # The coverage phase alone would try ~100 boundary cases per operation; generated
    # examples (valid and invalid, MAX_EXAMPLES each) keep the run to a few minutes.
    config = SchemathesisConfig.from_dict({
        "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
        "generation": {"max-examples": MAX_EXAMPLES, "mode": "all"},
    })
    return schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application(),
                                          config=config)


@pytest.fixture(autouse=True)
def keep_the_test_connection():
    """The WSGI handler closes "old" database connections around each request, which
    would close the test's own connection (and its transaction); Django's test client
    disconnects the same receivers for the same reason."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture(scope="module", autouse=True)
def summary():
    yield
    if STATS:
        print(f"\nschemathesis: {STATS['operations']} operations, {STATS['cases']} cases, "
              f"status codes {dict(sorted(STATS['codes'].items()))}")


schema = _load_schema()


def _call_as(case, user):
    if STATS.get("_last") != case.operation.label:
        STATS["operations"] += 1
        STATS["_last"] = case.operation.label
    STATS["cases"] += 1
    token = api_token(user)
    response = case.call_and_validate(
        headers={"Authorization": f"Token {token}"},
        checks=[content_type_conformance, response_schema_conformance, status_code_conformance],
    )
    STATS.setdefault("codes", Counter())
    STATS["codes"][response.status_code] += 1
    assert response.status_code < 500


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case, world):
    _call_as(case, world.users["chair"])


@schema.include(path_regex=r"^/api/v1/users/").parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, database=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
def test_user_administration_conforms_to_its_schema(case, world):
    _call_as(case, world.users["administrator"])
