"""Security settings as they reach a client: CSP on API and docs, a docs page whose
assets all come from this site, no patient data in log lines, `check --deploy` clean."""

from __future__ import annotations

import io
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from rest_framework.test import APIClient

from cases.tests.api.conftest import token_client

BASE_DIR = Path(__file__).resolve().parents[3]


def test_api_responses_carry_the_self_only_csp(api):
    csp = api.get("/api/v1/patients/")["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp


def test_docs_page_loads_only_this_sites_assets_and_no_inline_code(db, settings):
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    client = APIClient()
    page = client.get("/api/docs/")
    assert page.status_code == 200
    assert "script-src 'self'" in page["Content-Security-Policy"]
    html = page.content.decode()
    assert "<style" not in html
    assert re.findall(r"<script>", html) == []  # no inline script
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert len(assets) == 5  # css, favicon, bundle, preset, init script
    for url in assets:
        url = url.replace("&amp;", "&")
        assert url.startswith(("/static/drf_spectacular_sidecar/", "/api/docs/?")), url
        response = client.get(url)
        assert response.status_code == 200, url
    script = client.get("/api/docs/?script=")
    assert script["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in script.content.decode()


@pytest.fixture
def log_output():
    """What the configured console handler writes (with its redaction filter)."""
    stream = io.StringIO()
    handler = next(h for h in logging.getLogger("django.request").handlers
                   if isinstance(h, logging.StreamHandler))
    old = handler.setStream(stream)
    yield stream
    handler.setStream(old)


def test_validation_error_log_line_has_no_patient_data(api, board, log_output):
    body = {"board": board.pk, "hospital_number": "HN-SECRET-77", "given_name": "Zebedee",
            "family_name": "Quixotic", "date_of_birth": "2999-01-01", "sex": "male"}
    response = api.post("/api/v1/patients/?hospital_number=HN-SECRET-77", body, format="json")
    assert response.status_code == 400
    logged = log_output.getvalue()
    assert "Bad Request: /api/v1/patients/" in logged
    for secret in ("HN-SECRET-77", "Zebedee", "Quixotic", "2999"):
        assert secret not in logged


def test_server_error_log_has_no_patient_data(spine_surgeon, patient, log_output, monkeypatch):
    from cases.api import serializers

    def broken(self, instance):
        raise RuntimeError(f"engine failed on patient #{instance.pk}")

    monkeypatch.setattr(serializers.PatientSerializer, "to_representation", broken)
    client = token_client(spine_surgeon)
    client.raise_request_exception = False
    response = client.get(f"/api/v1/patients/{patient.pk}/?family_name={patient.family_name}")
    assert response.status_code == 500
    logged = log_output.getvalue()
    assert f"Internal Server Error: /api/v1/patients/{patient.pk}/" in logged
    for secret in (patient.hospital_number, patient.family_name, patient.given_name):
        assert secret not in logged


def test_check_deploy_is_clean_with_production_settings():
    env = {**{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
           "BOARDSITE_ENV": "production", "DJANGO_DEBUG": "false",
           "DJANGO_SECRET_KEY": "k" * 20 + "-Zq8#vX2!pL9$wR4^tY7&uI1*oP3(aS6)dF0-gH5+jK8=lM2",
           "DJANGO_ALLOWED_HOSTS": "boardsite.hospital.example"}
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level",
                             "WARNING"], cwd=BASE_DIR, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
