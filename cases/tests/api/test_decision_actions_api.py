"""Typed decision actions through the API: accepted and returned as the web form does,
refused field by field by the same validator (cases.actions), nothing stored on error."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cases.models import Decision, DecisionItem
from cases.tests.api.conftest import token_client

WITHHOLD = {"kind": "medication", "verb": "withhold", "agent": "zoledronic_acid",
            "recheck_on": None, "resume_criteria": "creatinine clearance above 30 mL/min"}


def _body(world, action, verdict="modified"):
    return {"agenda_item": world.own.i1.pk, "items": [
        {"code": "bta_continue", "title": "Continue the bone-targeted agent",
         "verdict": verdict, "reason": "Renal function fell", "action": action}]}


def test_a_typed_action_is_stored_and_returned(world):
    recheck = (timezone.localdate() + dt.timedelta(days=14)).isoformat()
    response = token_client(world.users["chair"]).post(
        "/api/v1/decisions/", _body(world, {**WITHHOLD, "recheck_on": recheck}), format="json")
    assert response.status_code == 201, response.json()
    item = response.json()["items"][0]
    assert item["action"] == {"kind": "medication", "verb": "withhold",
                              "agent": "zoledronic_acid", "recheck_on": recheck,
                              "resume_criteria": "creatinine clearance above 30 mL/min"}
    assert item["action_kind"] == "medication"
    assert item["action_text"] == (
        f"Withhold zoledronic acid: recheck serum creatinine by {recheck}; "
        "resume when creatinine clearance above 30 mL/min")
    stored = DecisionItem.objects.get(decision_id=response.json()["id"])
    assert stored.action == item["action"]


def test_an_item_without_an_action_is_other_in_its_own_words(world):
    body = _body(world, None, verdict="added")
    body["items"][0].update(code="", title="Discuss at the next meeting", reason="")
    del body["items"][0]["action"]
    response = token_client(world.users["chair"]).post("/api/v1/decisions/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["items"][0]["action"] == {
        "kind": "other", "text": "Discuss at the next meeting"}


def test_a_3000_dose_course_is_refused_by_field_and_nothing_changes(world):
    before = list(DecisionItem.objects.filter(decision=world.own.unsigned)
                  .values_list("pk", "action"))
    decisions = Decision.objects.count()
    action = {"kind": "medication", "verb": "continue", "agent": "zoledronic_acid",
              "dose": "4", "unit": "mg", "route": "iv", "interval_weeks": 4, "doses": 3000}
    response = token_client(world.users["chair"]).post(
        "/api/v1/decisions/", _body(world, action), format="json")
    assert response.status_code == 400
    assert response.json() == {"errors": {
        "items.0.action_doses": ["Number of doses: enter a number from 1 to 26."]}}
    assert Decision.objects.count() == decisions
    assert list(DecisionItem.objects.filter(decision=world.own.unsigned)
                .values_list("pk", "action")) == before


def test_label_bounds_and_missing_withhold_criteria_are_reported_together(world):
    action = {"kind": "medication", "verb": "withhold", "agent": "zoledronic_acid",
              "dose": "8", "unit": "mg"}
    response = token_client(world.users["chair"]).post(
        "/api/v1/decisions/", _body(world, action), format="json")
    assert response.status_code == 400
    assert response.json() == {"errors": {
        "items.0.action_dose": ["Dose: at most 4.0 for zoledronic acid (label)."],
        "items.0.action_recheck_on": ["Recheck by: required."],
        "items.0.action_resume_criteria": ["Resume when: required."]}}


def test_an_action_that_is_not_an_object_is_refused(world):
    response = token_client(world.users["chair"]).post(
        "/api/v1/decisions/", _body(world, ["medication"]), format="json")
    assert response.status_code == 400
    assert response.json() == {"errors": {
        "items.0.action": ["Give the action as an object with a kind."]}}


def test_an_unknown_kind_is_refused(world):
    response = token_client(world.users["chair"]).post(
        "/api/v1/decisions/", _body(world, {"kind": "wish"}), format="json")
    assert response.status_code == 400
    assert response.json() == {"errors": {
        "items.0.action_kind": ["Kind of action: choose one of the listed options."]}}
