"""Bad bodies get a 400 in the API's error format, never a 500 or Django's HTML 400:
deep nesting (also unauthenticated, on the token endpoint), oversized bodies and
non-finite numbers (issue #13)."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.utils import timezone
from rest_framework.test import APIClient

from cases.models import LabResult
from cases.tests.api.conftest import token_client

DEPTH_MESSAGE = {"errors": {"detail": ["JSON nested deeper than 64 levels."]}}


def _post_raw(client, path, body: bytes):
    return client.generic("POST", path, body, content_type="application/json")


@pytest.mark.parametrize("depth", [65, 100_000])
def test_deep_json_on_the_token_endpoint_is_a_400_without_signing_in(db, depth):
    response = _post_raw(APIClient(), "/api/v1/auth/token/", b"[" * depth + b"]" * depth)
    assert response.status_code == 400
    assert response.json() == DEPTH_MESSAGE


def test_deep_objects_are_refused_as_well(api):
    body = b'{"a":' * 70 + b"1" + b"}" * 70
    response = _post_raw(api, "/api/v1/recommendations/evaluate/", body)
    assert response.status_code == 400
    assert response.json() == DEPTH_MESSAGE


def test_sixty_four_levels_still_parse(db):
    # 64 nested lists inside the body's object: the credentials are simply missing.
    body = b'{"username": ' + b"[" * 63 + b"]" * 63 + b"}"
    response = _post_raw(APIClient(), "/api/v1/auth/token/", body)
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"username", "password"}


@override_settings(BOARDSITE_API_MAX_BODY_BYTES=4096)
def test_a_body_over_the_limit_is_a_json_400(api):
    response = _post_raw(api, "/api/v1/labs/", b'{"note": "' + b"x" * 5000 + b'"}')
    assert response.status_code == 400
    assert response.json() == {
        "errors": {"detail": ["The request body is larger than 4,096 bytes."]}}


def test_ten_megabytes_is_a_json_400_not_an_html_one(db):
    body = b'{"username": "' + b"x" * (10 * 1024 * 1024) + b'", "password": "p"}'
    response = _post_raw(APIClient(), "/api/v1/auth/token/", body)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "errors": {"detail": ["The request body is larger than 1,048,576 bytes."]}}


@pytest.mark.parametrize("number", [b"NaN", b"Infinity", b"-Infinity", b"1e400"])
def test_non_finite_lab_values_are_a_field_error(api, patient, number):
    body = (b'{"patient": %d, "analyte": "calcium", "value": %s, "unit": "mmol/L", '
            b'"taken_at": "%s"}' % (patient.pk, number, timezone.now().isoformat().encode()))
    response = _post_raw(api, "/api/v1/labs/", body)
    assert response.status_code == 400
    assert response.json() == {"errors": {"value": ["A valid number is required."]}}
    assert not LabResult.objects.exists()


@pytest.mark.parametrize("number", [b"NaN", b"Infinity", b"1e400"])
def test_non_finite_numbers_in_case_facts_are_a_field_error(api, number):
    body = b'{"facts": {"patient": {"weight_kg": %s}}}' % number
    response = _post_raw(api, "/api/v1/recommendations/evaluate/", body)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "facts.patient.weight_kg" in errors, errors


@pytest.mark.parametrize(("detail", "message"), [
    ({"agent": "zoledronic_acid", "first_dose_on": "9999-12-31"},
     "Dates must lie between 1900 and 2100."),
    ({"agent": "zoledronic_acid", "schedule": [{"starts_on": "0001-01-01"}]},
     "Dates must lie between 1900 and 2100."),
    ({"agent": "zoledronic_acid", "interval_weeks": 10**18},
     "Numbers must lie between -1,000,000 and 1,000,000."),
    ({"agent": "zoledronic_acid", "first_dose_on": "2026-02-30"},
     "Give dates as real calendar dates (YYYY-MM-DD)."),
])
def test_decision_details_are_bounded_so_signing_cannot_overflow(world, detail, message):
    chair = token_client(world.users["chair"])
    body = {"agenda_item": world.own.i1.pk, "items": [
        {"code": "bta.zoledronic_acid", "rule_id": "BTA-02", "title": "Zoledronic acid",
         "draft_detail": detail, "verdict": "accepted", "reason": ""}]}
    response = chair.post("/api/v1/decisions/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {"errors": {"items.0.draft_detail": [message]}}


def test_a_first_dose_in_2100_still_signs(world):
    chair = token_client(world.users["chair"])
    body = {"agenda_item": world.own.i1.pk, "items": [
        {"code": "bta.zoledronic_acid", "rule_id": "BTA-02", "title": "Zoledronic acid",
         "draft_detail": {"agent": "zoledronic_acid", "first_dose_on": "2100-12-31",
                          "interval_weeks": 12},
         "verdict": "accepted", "reason": ""}]}
    recorded = chair.post("/api/v1/decisions/", body, format="json")
    assert recorded.status_code == 201, recorded.content
    signed = chair.post(f"/api/v1/decisions/{recorded.json()['id']}/sign/", {"confirm": True},
                        format="json")
    assert signed.status_code == 200, signed.content
