"""cases/migrations/0013: decisions signed before keyed signatures are sealed with the
current key when their content still matches its SHA-256, and left unsealed (so they do
not verify) when it does not."""

from __future__ import annotations

import hashlib

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from cases.models import Decision
from cases.services import decision_canonical_content, decision_verify
from cases.tests.factories import AgendaItemFactory, MeetingFactory

BEFORE = [("cases", "0012_decision_audit_covers_content_format"),
          ("reminders", "0006_decision_items_to_actions")]
AFTER = [("cases", "0013_seal_decisions_signed_before_keyed_signatures")]


@pytest.mark.django_db(transaction=True)
def test_legacy_signed_decisions_are_sealed_only_when_their_hash_still_matches(
        board, patient, chair, coordinator, capsys):
    items = [AgendaItemFactory(meeting=MeetingFactory(board=board), patient=patient)
             for _ in range(2)]
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    OldDecision = executor.loader.project_state(BEFORE).apps.get_model("cases", "Decision")
    legacy = []
    for agenda_item, summary in zip(items, ["Intact", "Rewritten"], strict=True):
        decision = OldDecision.objects.create(agenda_item_id=agenda_item.pk, version=1,
                                              recorded_by_id=coordinator.pk,
                                              outcome_summary=summary)
        decision.signed_by_id, decision.signed_at = chair.pk, timezone.now()
        content = decision_canonical_content(decision).encode("utf-8")
        # The second was rewritten after signing: its stored hash is of other words.
        decision.content_sha256 = hashlib.sha256(
            content if summary == "Intact" else b"what was signed").hexdigest()
        decision.save()
        legacy.append(decision.pk)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    assert ("decisions signed before keyed signatures: 1 sealed with the current key, "
            "1 left unsealed (content no longer matches its hash)") in capsys.readouterr().out
    call_command("migrate", verbosity=0)  # the rest of the chain, for the next tests

    intact, rewritten = (Decision.objects.get(pk=pk) for pk in legacy)
    assert intact.signature and intact.signature_key_id
    assert decision_verify(intact) is True
    assert rewritten.signature == "" and decision_verify(rewritten) is False
