"""The Django side of the engine: facts from the record, snapshots, refresh, the API,
the rules page and the evaluate_case command."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from boardsite.accounts_testing import verified_login
from cases.choices import AgendaItemStatus
from cases.services import decision_record, decision_sign
from cases.tests.factories import (
    AgendaItemFactory,
    LabResultFactory,
    LongBoneLesionFactory,
    MeetingFactory,
    PatientFactory,
    PrimaryCancerFactory,
    SpinalLesionFactory,
)
from recommendations.engine import ENGINE_VERSION, evaluate
from recommendations.engine.io import facts_from_json, facts_to_json, plan_to_json
from recommendations.models import DraftPlan
from recommendations.selectors import (
    DraftSummary,
    case_facts_for_patients,
    current_drafts,
    draft_summaries,
)
from recommendations.services import (
    draft_refresh,
    drafts_refresh_for_meeting,
    meeting_draft_summaries,
)

EXAMPLES = Path(__file__).resolve().parents[1] / "engine" / "examples"


def _case(meeting, **patient_fields):
    patient = PatientFactory(board=meeting.board, **patient_fields)
    PrimaryCancerFactory(patient=patient)
    SpinalLesionFactory(
        patient=patient,
        vertebral_level="T12",
        spinal_pain="mechanical",
        lesion_type="lytic",
        alignment="normal",
        collapse_percent=Decimal("60"),
        posterolateral="unilateral",
    )
    LongBoneLesionFactory(patient=patient)
    for days in (40, 10):
        LabResultFactory(
            patient=patient,
            value=Decimal("97.2"),
            unit="umol/L",
            taken_at=timezone.now() - dt.timedelta(days=days),
        )
    return AgendaItemFactory(meeting=meeting, patient=patient)


@pytest.fixture
def meeting(board):
    return MeetingFactory(board=board)


def test_facts_map_the_record_and_round_trip_through_json(meeting):
    item = _case(meeting)
    as_of = timezone.localdate()
    facts = case_facts_for_patients(patient_ids=[item.patient_id], as_of=as_of)[item.patient_id]
    spine = next(lesion for lesion in facts.lesions if lesion.is_spinal)
    assert spine.vertebral_level == "T12"
    assert spine.collapse_percent == 60.0
    assert [lab.unit for lab in facts.labs] == ["umol/L", "umol/L"]
    # The stored facts are exactly what the stateless entry points accept.
    assert facts_from_json(facts_to_json(facts), as_of=as_of) == facts
    plan = evaluate(facts, as_of=as_of)
    sins = plan_to_json(plan)["scores"]["sins"][0]
    # T12 junctional 3 + mechanical 3 + lytic 2 + normal 0 + >50 % collapse 3 + unilateral 1
    assert (sins["total_min"], sins["total_max"]) == (12, 12)


def test_new_facts_map_the_record_with_their_units(meeting):
    """MSCC-04 instability signs, the BTA-11 co-medication and the HCM-04 calcium inputs
    reach the engine from the record, and the record's unknown stays unknown."""
    item = _case(
        meeting,
        spinal_instability_signs=True,
        on_loop_diuretic=True,
        on_other_nephrotoxic_drug=True,
        other_nephrotoxic_drugs="ciclosporin",
        on_nsaid=False,
    )
    taken = timezone.now() - dt.timedelta(days=2)
    LabResultFactory(patient=item.patient, analyte="calcium_total", value=Decimal("11.8"),
                     unit="mg/dL", taken_at=taken)
    LabResultFactory(patient=item.patient, analyte="albumin", value=Decimal("3.2"),
                     unit="g/dL", taken_at=taken)
    as_of = timezone.localdate()
    facts = case_facts_for_patients(patient_ids=[item.patient_id], as_of=as_of)[item.patient_id]
    assert facts.neurology.instability_signs is True
    cm = facts.co_medication
    assert (cm.aminoglycoside, cm.loop_diuretic, cm.other_nephrotoxic, cm.nsaid) == (
        None, True, True, False)
    assert cm.other_nephrotoxic_names == "ciclosporin"
    total = next(lab for lab in facts.labs if lab.analyte == "calcium_total")
    assert (total.value, total.unit) == (11.8, "mg/dL")
    assert facts_from_json(facts_to_json(facts), as_of=as_of) == facts
    # Payne 1973: 11.8 − 3.2 + 4.0 = 12.6 mg/dL ≥ 12.0 → hypercalcaemia of malignancy.
    hcm = next(i for i in evaluate(facts, as_of=as_of).items if i.code == "HCM-HYPERCALCAEMIA")
    assert (hcm.detail["corrected_calcium"], hcm.detail["unit"]) == (12.6, "mg/dL")


def test_case_facts_take_a_fixed_number_of_queries(meeting, django_assert_num_queries):
    items = [_case(meeting) for _ in range(3)]
    with django_assert_num_queries(9):
        case_facts_for_patients(
            patient_ids=[i.patient_id for i in items], as_of=timezone.localdate()
        )
    items += [_case(meeting) for _ in range(7)]
    with django_assert_num_queries(9):
        case_facts_for_patients(
            patient_ids=[i.patient_id for i in items], as_of=timezone.localdate()
        )


def test_refresh_stores_a_snapshot_only_when_the_facts_change(meeting):
    item = _case(meeting)
    first = draft_refresh(agenda_item=item)
    assert first.engine_version == ENGINE_VERSION
    assert first.output == plan_to_json(evaluate(facts_from_json(first.facts), as_of=first.as_of))
    again = draft_refresh(agenda_item=item)
    assert again.pk == first.pk
    assert DraftPlan.objects.count() == 1

    LabResultFactory(
        patient=item.patient,
        value=Decimal("2.4"),
        unit="mg/dL",
        taken_at=timezone.now() - dt.timedelta(days=1),
    )
    changed = draft_refresh(agenda_item=item)
    assert changed.pk != first.pk
    assert DraftPlan.objects.count() == 2
    assert current_drafts(agenda_item_ids=[item.pk])[item.pk].pk == changed.pk


def test_missing_data_keeps_the_case_not_ready_and_mscc_makes_it_urgent(meeting):
    ready_item = _case(meeting)
    no_weight = _case(meeting, weight_kg=None, weight_measured_on=None)
    mscc = _case(meeting, suspected_cord_compression=True, neurological_deficit=True)
    drafts = drafts_refresh_for_meeting(meeting=meeting)
    for item in (ready_item, no_weight, mscc):
        item.refresh_from_db()
    weight_fields = [m["field"] for m in drafts[no_weight.pk].output["missing_data"]]
    assert any("weight" in field for field in weight_fields)
    assert no_weight.status == AgendaItemStatus.REFERRED
    assert drafts[mscc.pk].is_urgent is True
    assert mscc.urgent is True
    assert drafts[ready_item.pk].is_urgent is False


def test_refresh_of_a_meeting_is_a_fixed_number_of_queries(meeting):
    for _ in range(5):
        _case(meeting)
    drafts_refresh_for_meeting(meeting=meeting)  # first evaluation stores 5 drafts
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as five:
        drafts_refresh_for_meeting(meeting=meeting)
    for _ in range(15):
        _case(meeting)
    drafts_refresh_for_meeting(meeting=meeting)
    with CaptureQueriesContext(connection) as twenty:
        drafts_refresh_for_meeting(meeting=meeting)
    assert len(five.captured_queries) == len(twenty.captured_queries)


def test_a_signed_decision_keeps_the_draft_it_was_made_from(meeting, chair, coordinator):
    item = _case(meeting)
    draft = draft_refresh(agenda_item=item)
    decision = decision_record(
        agenda_item=item,
        recorded_by=coordinator,
        draft_plan_ref=draft.pk,
        engine_version=draft.engine_version,
        items=[{"title": "Radiotherapy 8 Gy single fraction", "verdict": "added"}],
    )
    decision_sign(decision=decision, chair=chair)
    LabResultFactory(
        patient=item.patient,
        value=Decimal("3.0"),
        unit="mg/dL",
        taken_at=timezone.now() - dt.timedelta(hours=2),
    )
    assert draft_refresh(agenda_item=item).pk == draft.pk
    assert DraftPlan.objects.filter(agenda_item=item).count() == 1


# --- API --------------------------------------------------------------------------


@pytest.fixture
def api(oncologist):
    client = APIClient()
    client.force_authenticate(oncologist)
    return client


def test_rules_catalogue_api_lists_every_rule(api):
    from recommendations.engine import RULES

    response = api.get("/api/v1/recommendations/rules/")
    assert response.status_code == 200
    assert [r["id"] for r in response.json()] == [r.id for r in RULES]


def test_evaluate_api_returns_the_plan_for_valid_facts(api):
    facts = json.loads((EXAMPLES / "crpc_t12_mscc.json").read_text())
    response = api.post(
        "/api/v1/recommendations/evaluate/", {"as_of": "2026-11-27", "facts": facts}, format="json"
    )
    assert response.status_code == 200
    expected = plan_to_json(evaluate(facts_from_json(facts), as_of=dt.date(2026, 11, 27)))
    assert response.json() == json.loads(json.dumps(expected))


def test_evaluate_api_refuses_bad_input_field_by_field(api):
    facts = json.loads((EXAMPLES / "crpc_t12_mscc.json").read_text())
    facts["lesions"][0]["collapse_percent"] = 140
    response = api.post(
        "/api/v1/recommendations/evaluate/", {"as_of": "2026-11-27", "facts": facts}, format="json"
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == ["facts.lesions.0.collapse_percent"]
    bad_date = api.post(
        "/api/v1/recommendations/evaluate/", {"as_of": "27/11/2026", "facts": facts}, format="json"
    )
    assert bad_date.json()["errors"] == {"as_of": ["Give the date as YYYY-MM-DD."]}


def test_evaluate_api_needs_a_login():
    response = APIClient().post("/api/v1/recommendations/evaluate/", {}, format="json")
    assert response.status_code == 401


def test_draft_plans_are_scoped_to_the_users_boards(meeting, api, outsider):
    item = _case(meeting)
    draft = draft_refresh(agenda_item=item)
    assert api.get(f"/api/v1/recommendations/draft-plans/{draft.pk}/").status_code == 200
    other = APIClient()
    other.force_authenticate(outsider)
    assert other.get(f"/api/v1/recommendations/draft-plans/{draft.pk}/").status_code == 404
    assert other.get("/api/v1/recommendations/draft-plans/").json()["results"] == []
    refused = other.post(
        "/api/v1/recommendations/refresh/", {"agenda_item": item.pk}, format="json"
    )
    assert refused.status_code == 404


def test_refresh_api_for_a_meeting_needs_the_coordinator(meeting, api, coordinator):
    _case(meeting)
    assert (
        api.post(
            "/api/v1/recommendations/refresh/", {"meeting": meeting.pk}, format="json"
        ).status_code
        == 403
    )
    assert DraftPlan.objects.count() == 0
    client = APIClient()
    client.force_authenticate(coordinator)
    response = client.post(
        "/api/v1/recommendations/refresh/", {"meeting": meeting.pk}, format="json"
    )
    assert response.status_code == 200
    assert len(response.json()) == 1


def test_rules_page_lists_the_catalogue(client, oncologist):
    verified_login(client, oncologist)
    response = client.get("/recommendations/rules/")
    assert response.status_code == 200
    assert b"SINS-07" in response.content
    assert b"BTA-03" in response.content


# --- evaluate_case command --------------------------------------------------------


def test_evaluate_case_command_prints_the_plan(capsys):
    call_command("evaluate_case", str(EXAMPLES / "crpc_t12_mscc.json"), "--as-of", "2026-11-27")
    plan = json.loads(capsys.readouterr().out)
    assert plan["as_of"] == "2026-11-27"
    assert plan["urgency"] == "emergency"


def test_evaluate_case_command_exits_2_with_field_errors(tmp_path):
    bad = json.loads((EXAMPLES / "crpc_t12_mscc.json").read_text())
    bad["patient"]["weight_kg"] = -3
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad))
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "evaluate_case", "-", "--as-of", "2026-11-27"],
        input=path.read_text(),
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parents[2],
        check=False,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "patient.weight_kg" in json.loads(result.stderr)["errors"]


def test_evaluate_case_reads_a_held_back_case_with_the_legacy_receptor_status(tmp_path, capsys):
    """Clinical cases written before engine 1.4.0 carry the combined receptor status."""
    case = json.loads((EXAMPLES / "breast_femur_impending.json").read_text())
    del case["primary"]["hormone_receptor_status"], case["primary"]["her2_status"]
    case["primary"]["receptor_status"] = "hr+/her2-"
    path = tmp_path / "held_back.json"
    path.write_text(json.dumps(case))
    call_command("evaluate_case", str(path), "--as-of", "2025-06-03")
    legacy = json.loads(capsys.readouterr().out)
    call_command("evaluate_case", str(EXAMPLES / "breast_femur_impending.json"),
                 "--as-of", "2025-06-03")
    assert legacy == json.loads(capsys.readouterr().out)
    assert not [m for m in legacy["missing_data"] if m["field"].startswith("primary.")]


def test_the_openapi_document_with_the_case_facts_schema_is_valid_openapi_3_0(tmp_path):
    """The engine's schema is JSON Schema 2020-12; in the OpenAPI 3.0 document its
    2020-12 forms become 3.0 ones (`nullable`, `enum`), with the same meaning."""
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    from recommendations.api.schema import case_facts_components

    components = case_facts_components()
    text = json.dumps(components)
    assert '"type": "null"' not in text and '"const"' not in text
    patient = components["PatientIn"]["properties"]
    assert patient["weight_kg"]["nullable"] is True
    assert patient["weight_kg"]["type"] == "number"


def test_agenda_summaries_read_from_the_database_equal_the_stored_drafts(
    meeting, django_assert_num_queries
):
    """The agenda reads a few keys of each snapshot in SQL; they must be the very
    values of the snapshot (a just-stored draft is summarised in memory instead)."""
    items = [_case(meeting), _case(meeting, weight_kg=None, weight_measured_on=None),
             _case(meeting, suspected_cord_compression=True, neurological_deficit=True)]
    first = meeting_draft_summaries(meeting=meeting)  # evaluates: summaries of new rows
    drafts = current_drafts(agenda_item_ids=[item.pk for item in items])
    with django_assert_num_queries(1):
        read = draft_summaries(agenda_item_ids=[item.pk for item in items])
    expected = {pk: DraftSummary.of(draft) for pk, draft in drafts.items()}
    assert read == expected
    assert first == expected
    assert meeting_draft_summaries(meeting=meeting) == expected
    assert [read[item.pk].urgency for item in items] == ["routine", "routine", "emergency"]
    assert read[items[1].pk].missing_data == drafts[items[1].pk].output["missing_data"] != []
    assert [les["id"] for les in read[items[0].pk].lesions] == [
        str(pk) for pk in items[0].patient.lesions.order_by("pk").values_list("pk", flat=True)
    ]
