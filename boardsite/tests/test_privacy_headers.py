"""Responses with patient data are never stored by a browser or proxy; access logs name
paths without query strings (issue #13, ASVS 8.2.1 and 7.1.1)."""

from __future__ import annotations

import logging

import pytest
from gunicorn.config import Config
from gunicorn.glogging import Logger

from boardsite import gunicorn_conf
from cases.tests.api.conftest import token_client


def _directives(response) -> set[str]:
    return {d.strip() for d in response["Cache-Control"].split(",")}


def test_a_patient_page_is_no_store(client, coordinator, patient, verified_login):
    verified_login(client, coordinator)
    response = client.get(f"/patients/{patient.pk}/")
    assert response.status_code == 200
    assert {"no-store", "private"} <= _directives(response)


def test_an_api_response_with_patient_data_is_no_store(spine_surgeon, patient):
    response = token_client(spine_surgeon).get(f"/api/v1/patients/{patient.pk}/")
    assert response.status_code == 200
    assert _directives(response) == {"no-store", "private"}


def test_an_api_error_is_no_store_too(db):
    response = token_client(None).get("/api/v1/patients/")
    assert response.status_code == 401
    assert _directives(response) == {"no-store", "private"}


def test_static_files_keep_their_own_caching(client, db):
    response = client.get("/static/boardsite/site.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


class _Request:
    method = "GET"
    path = "/patients/"
    query = "q=Smith+1234567"
    uri = "/patients/?q=Smith+1234567"
    version = (1, 1)
    headers = [("REFERER", "http://127.0.0.1:8000/patients/?q=Jones")]


class _Response:
    status = "200 OK"
    status_code = 200
    sent = 512
    headers = []


@pytest.fixture
def gunicorn_access_lines():
    cfg = Config()
    for name in ("accesslog", "access_log_format"):
        cfg.set(name, getattr(gunicorn_conf, name))
    log = Logger(cfg)
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            lines.append(record.getMessage())

    log.access_log.handlers = [Collect()]
    return log, lines


def test_the_gunicorn_access_log_has_no_query_string_and_no_referer(gunicorn_access_lines):
    import datetime as dt

    log, lines = gunicorn_access_lines
    environ = {"REMOTE_ADDR": "10.0.0.7", "RAW_URI": _Request.uri, "REQUEST_METHOD": "GET",
               "PATH_INFO": _Request.path, "SERVER_PROTOCOL": "HTTP/1.1",
               "QUERY_STRING": _Request.query, "HTTP_REFERER": _Request.headers[0][1]}
    log.access(_Response(), _Request(), environ, dt.timedelta(milliseconds=12))
    assert len(lines) == 1
    line = lines[0]
    assert '"GET /patients/ HTTP/1.1" 200 512 12ms' in line
    assert line.startswith("10.0.0.7 [")
    assert "Smith" not in line and "Jones" not in line and "?" not in line
