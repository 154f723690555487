"""The data migration that turns existing decision items into actions
(reminders/migrations/0006_decision_items_to_actions.py): mapped codes, "other" for the
rest, nothing for rejected items, follow-up rows for the latest signed version, its
counts printed, and every signed decision's hash still verifying."""

from __future__ import annotations

import hashlib
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from cases.models import Decision
from cases.services import decision_verify
from cases.tests.factories import AgendaItemFactory, MeetingFactory
from reminders.models import ActionFollowUp

BEFORE = [("cases", "0010_knox_token_audit"), ("reminders", "0004_deliveries_per_recipient")]
AFTER = [("cases", "0011_decision_actions"), ("reminders", "0006_decision_items_to_actions")]


def _old_hash(decision, items) -> str:
    # Exactly the format-1 canonical content (items' words only).
    content = {
        "decision_id": decision.pk, "agenda_item_id": decision.agenda_item_id,
        "patient_id": decision.agenda_item.patient_id, "version": decision.version,
        "amends_id": decision.amends_id, "amendment_reason": decision.amendment_reason,
        "outcome_summary": decision.outcome_summary,
        "engine_version": decision.engine_version, "draft_plan_ref": decision.draft_plan_ref,
        "recorded_by_id": decision.recorded_by_id, "signed_by_id": decision.signed_by_id,
        "signed_at": decision.signed_at.isoformat(),
        "items": [{"position": i.position, "code": i.code, "rule_id": i.rule_id,
                   "title": i.title, "detail": i.detail, "verdict": i.verdict,
                   "reason": i.reason} for i in items],
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True, separators=(",", ":"),
                                     ensure_ascii=False).encode()).hexdigest()


@pytest.mark.django_db(transaction=True)
def test_existing_items_become_actions_and_signed_hashes_still_verify(
        board, patient, chair, coordinator, capsys):
    agenda_item = AgendaItemFactory(meeting=MeetingFactory(board=board), patient=patient)
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    OldDecision = apps.get_model("cases", "Decision")
    OldItem = apps.get_model("cases", "DecisionItem")
    decision = OldDecision.objects.create(agenda_item_id=agenda_item.pk, version=1,
                                          recorded_by_id=coordinator.pk,
                                          outcome_summary="Plan")
    rows = [
        OldItem(decision=decision, position=1, code="BTA-ZOLEDRONIC-DOSE", rule_id="BTA-03",
                title="Zoledronic acid", detail="4 mg", verdict="accepted",
                draft_detail={"agent": "zoledronic_acid", "dose_mg": 4.0,
                              "interval_weeks": 4}),
        OldItem(decision=decision, position=2, code="RT-SINGLE-8GY", rule_id="RT-01",
                title="8 Gy", detail="8 Gy single", verdict="modified", reason="20/5",
                draft_detail={"dose_gy": 8, "fractions": 1}),
        OldItem(decision=decision, position=3, code="bta.retired_code", title="Old code",
                detail="Something old", verdict="accepted"),
        OldItem(decision=decision, position=4, title="Physiotherapy", detail="Mobilise",
                verdict="added"),
        OldItem(decision=decision, position=5, code="BTA-START", title="Start a BTA",
                verdict="rejected", reason="Declined"),
    ]
    OldItem.objects.bulk_create(rows)
    decision.signed_by_id, decision.signed_at = chair.pk, timezone.now()
    decision.content_sha256 = _old_hash(decision, rows)
    decision.save()

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    printed = capsys.readouterr().out
    assert ("decision items → actions: 2 mapped, 2 as 'other', 1 rejected (no action); "
            "4 follow-up rows") in printed
    call_command("migrate", verbosity=0)  # the rest of the chain, for the next tests

    migrated = Decision.objects.get(pk=decision.pk)
    assert migrated.content_format == 1
    assert decision_verify(migrated)
    assert [(i.action_kind, i.action) for i in migrated.items.order_by("position")] == [
        ("medication", {"kind": "medication", "verb": "start", "agent": "zoledronic_acid",
                        "dose": "4", "unit": "mg", "route": "iv", "interval_weeks": 4}),
        ("radiotherapy", {"kind": "radiotherapy", "dose_gy": "8", "fractions": 1,
                          "technique": "conventional"}),
        ("other", {"kind": "other", "text": "Something old"}),
        ("other", {"kind": "other", "text": "Mobilise"}),
        ("", {}),
    ]
    assert ActionFollowUp.objects.filter(decision_id=decision.pk).count() == 4
