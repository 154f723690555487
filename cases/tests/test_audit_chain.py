"""audit_verify: an intact record verifies; a rewritten decision, a deleted or changed
audit row, a removed chain link or a row slipped in afterwards each break it; keys
rotate without breaking old signatures."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time

import pghistory
import pgtrigger
import psycopg
import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from pghistory.models import Context

from cases.audit_chain import audit_chain_seal, audit_verify, reseal_around
from cases.models import AuditChainLink, Decision, PatientAccess
from cases.services import (
    agenda_item_add,
    decision_canonical_content,
    decision_record,
    decision_sign,
    decision_verify,
    meeting_create,
    record_patient_access,
)
from cases.tests.test_services import ITEMS

pytestmark = pytest.mark.django_db

KEY_A = {"a2026": b"a" * 40}
KEY_B_THEN_A = {"b2027": b"b" * 40, "a2026": b"a" * 40}


@pytest.fixture
def signed(board, coordinator, chair, patient, spine_surgeon):
    meeting = meeting_create(board=board, starts_at=timezone.now())
    item = agenda_item_add(meeting=meeting, patient=patient, question="Stable spine?")
    decision = decision_record(agenda_item=item, recorded_by=coordinator, items=ITEMS,
                               outcome_summary="Radiotherapy and denosumab.")
    record_patient_access(user=spine_surgeon, patient_ids=[patient.pk],
                          action=PatientAccess.Action.VIEW, path=f"/patients/{patient.pk}/")
    with pghistory.context(user=chair.pk, url="/decisions/sign/"):
        return decision_sign(decision=decision, chair=chair)


def _verify() -> tuple[int, str]:
    """(exit status, what was printed) of `manage.py audit_verify`."""
    try:
        call_command("audit_verify")
    except CommandError as exc:
        return 1, str(exc)
    return 0, ""


def _as_owner_bypassing_triggers(sql: str, params: list) -> None:
    # What only the owner can do (the app role cannot: test_tamper.py): the change
    # audit_verify must still catch.
    with pgtrigger.ignore("cases.Decision:signed_decision_is_immutable"), \
            connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_an_intact_record_verifies(signed):
    sealed = audit_chain_seal(settle_seconds=0)
    assert sealed == AuditChainLink.objects.count() > 0
    report = audit_verify()
    assert (report.problems, report.links, report.decisions) == ([], sealed, 1)
    assert _verify() == (0, "")


def test_sealing_twice_seals_nothing_new_and_keeps_one_chain(signed):
    first = audit_chain_seal(settle_seconds=0)
    assert audit_chain_seal(settle_seconds=0) == 0
    links = list(AuditChainLink.objects.order_by("id").values_list("previous_mac", "mac"))
    assert len(links) == first
    assert links[0][0] == "" and all(links[i][0] == links[i - 1][1] for i in range(1, first))


def test_rows_newer_than_the_settle_time_wait_for_the_next_run(signed):
    assert audit_chain_seal(settle_seconds=3600) == 0
    assert audit_verify().problems == []


def test_a_rewritten_signed_decision_breaks_the_check(signed):
    audit_chain_seal(settle_seconds=0)
    _as_owner_bypassing_triggers(
        "UPDATE cases_decision SET outcome_summary = 'Surgery.' WHERE id = %s", [signed.pk])
    assert _verify() == (1, "Audit check failed: 1 problems in "
                            f"{AuditChainLink.objects.count()} audit links and 1 signed "
                            "decisions.")
    assert audit_verify().problems == [
        f"Signed decision #{signed.pk}: its content no longer matches its signature."]


def test_recomputing_the_unkeyed_hash_does_not_make_a_rewrite_verify(signed):
    fresh = Decision.objects.get(pk=signed.pk)
    fresh.outcome_summary = "Surgery."
    forged = hashlib.sha256(decision_canonical_content(fresh).encode()).hexdigest()
    _as_owner_bypassing_triggers(
        "UPDATE cases_decision SET outcome_summary = 'Surgery.', content_sha256 = %s "
        "WHERE id = %s", [forged, signed.pk])
    rewritten = Decision.objects.get(pk=signed.pk)
    assert rewritten.content_sha256 == forged
    assert decision_verify(rewritten) is False


def test_a_deleted_audit_row_breaks_the_chain(signed):
    audit_chain_seal(settle_seconds=0)
    access = PatientAccess.objects.get()
    link = AuditChainLink.objects.get(source="cases.PatientAccess", row_id=access.pk)
    PatientAccess.objects.filter(pk=access.pk).delete()
    assert audit_verify().problems == [
        f"audit link #{link.pk} (cases.PatientAccess row {access.pk}): the audit row was "
        "deleted."]
    assert _verify()[0] == 1


def test_a_changed_audit_row_breaks_the_chain(signed):
    audit_chain_seal(settle_seconds=0)
    event = Decision.pgh_event_model.objects.filter(pgh_obj_id=signed.pk).order_by("pgh_id")[0]
    link = AuditChainLink.objects.get(source="cases.DecisionEvent", row_id=event.pk)
    Decision.pgh_event_model.objects.filter(pk=event.pk).update(outcome_summary="Surgery.")
    assert audit_verify().problems == [
        f"audit link #{link.pk} (cases.DecisionEvent row {event.pk}): the audit row was "
        "changed after it was sealed."]


def test_a_changed_who_did_it_breaks_the_chain(signed):
    audit_chain_seal(settle_seconds=0)
    assert Context.objects.update(metadata={"user": None, "url": "/"}) == 1
    problems = audit_verify().problems
    assert problems and all("changed after it was sealed" in p for p in problems)


def test_a_removed_link_breaks_the_chain(signed):
    audit_chain_seal(settle_seconds=0)
    links = list(AuditChainLink.objects.order_by("id"))
    removed, following = links[1], links[2]
    AuditChainLink.objects.filter(pk=removed.pk).delete()
    problems = audit_verify().problems
    assert problems[0] == (
        f"audit link #{following.pk} ({following.source} row {following.row_id}): does not "
        "follow the link before it (a link was removed or changed).")
    assert problems[1].startswith(f"{removed.source} row {removed.row_id} is older than")


def test_a_forged_link_does_not_verify(signed):
    audit_chain_seal(settle_seconds=0)
    last = AuditChainLink.objects.order_by("-id")[0]
    AuditChainLink.objects.filter(pk=last.pk).update(row_sha256="0" * 64)
    problems = audit_verify().problems
    assert f"audit link #{last.pk} ({last.source} row {last.row_id}): its MAC does not " \
           "verify (the link was forged or its key is no longer configured)." in problems


def test_a_row_slipped_in_below_the_sealed_ones_is_reported(signed, spine_surgeon, patient):
    audit_chain_seal(settle_seconds=0)
    access = PatientAccess.objects.get()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM cases_auditchainlink WHERE source = 'cases.PatientAccess'")
    # Re-seal everything else; the access row now sits below nothing, so add one above.
    record_patient_access(user=spine_surgeon, patient_ids=[patient.pk],
                          action=PatientAccess.Action.VIEW, path="/later/")
    AuditChainLink.objects.all().delete()
    newer = PatientAccess.objects.order_by("-id")[0]
    PatientAccess.objects.filter(pk=access.pk).update(at=timezone.now() + dt.timedelta(hours=1))
    audit_chain_seal(settle_seconds=0)
    assert not AuditChainLink.objects.filter(source="cases.PatientAccess",
                                             row_id=access.pk).exists()
    assert AuditChainLink.objects.filter(source="cases.PatientAccess", row_id=newer.pk).exists()
    assert audit_verify().problems == [
        f"cases.PatientAccess row {access.pk} is older than the sealed rows but not in the "
        "chain (inserted afterwards)."]


def test_a_rotated_key_still_verifies_old_signatures(board, coordinator, chair, patient):
    meeting = meeting_create(board=board, starts_at=timezone.now())
    item = agenda_item_add(meeting=meeting, patient=patient, question="Stable spine?")
    with override_settings(SIGNING_KEYS=KEY_A):
        old = decision_sign(decision=decision_record(
            agenda_item=item, recorded_by=coordinator, items=ITEMS, outcome_summary="A."),
            chair=chair)
        audit_chain_seal(settle_seconds=0)
    assert (old.signature_key_id, len(old.signature)) == ("a2026", 64)
    with override_settings(SIGNING_KEYS=KEY_B_THEN_A):
        item2 = agenda_item_add(meeting=meeting, patient=_second_patient(board),
                                question="Fixation?")
        new = decision_sign(decision=decision_record(
            agenda_item=item2, recorded_by=coordinator, items=ITEMS, outcome_summary="B."),
            chair=chair)
        audit_chain_seal(settle_seconds=0)
        assert new.signature_key_id == "b2027"
        assert decision_verify(Decision.objects.get(pk=old.pk)) is True
        assert audit_verify().problems == []
        assert _verify() == (0, "")
    # A key that is no longer configured verifies nothing it signed.
    with override_settings(SIGNING_KEYS={"b2027": b"b" * 40}):
        assert decision_verify(Decision.objects.get(pk=old.pk)) is False
        assert decision_verify(Decision.objects.get(pk=new.pk)) is True
        assert _verify()[0] == 1


def _second_patient(board):
    from cases.tests.factories import PatientFactory, PrimaryCancerFactory

    patient = PatientFactory(board=board)
    PrimaryCancerFactory(patient=patient)
    return patient


def test_the_verify_endpoint_uses_the_mac(signed, chair):
    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(chair)
    url = f"/api/v1/decisions/{signed.pk}/verify/"
    assert api.get(url).json() == {"id": signed.pk, "content_sha256": signed.content_sha256,
                                   "verified": True}
    fresh = Decision.objects.get(pk=signed.pk)
    fresh.outcome_summary = "Surgery."
    forged = hashlib.sha256(decision_canonical_content(fresh).encode()).hexdigest()
    _as_owner_bypassing_triggers(
        "UPDATE cases_decision SET outcome_summary = 'Surgery.', content_sha256 = %s "
        "WHERE id = %s", [forged, signed.pk])
    assert api.get(url).json() == {"id": signed.pk, "content_sha256": forged,
                                   "verified": False}


# --- The anchor outside the database ---------------------------------------------------

def _anchor_lines(path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_each_seal_anchors_the_head_in_the_file_and_verify_checks_it(signed, settings,
                                                                     tmp_path):
    settings.AUDIT_ANCHOR_DIR = str(tmp_path)
    sealed = audit_chain_seal(settle_seconds=0)
    (path,) = tmp_path.iterdir()
    head = AuditChainLink.objects.order_by("-id").first()
    assert [(a["link"], a["mac"], a["sealed"]) for a in _anchor_lines(path)] == [
        (head.pk, head.mac, sealed)]
    assert audit_chain_seal(settle_seconds=0) == 0
    assert len(_anchor_lines(path)) == 1  # nothing sealed, nothing anchored
    report = audit_verify()
    assert (report.problems, report.anchors) == ([], 1)


def test_a_chain_cut_back_shows_against_the_anchor(signed, settings, tmp_path, spine_surgeon,
                                                   patient):
    settings.AUDIT_ANCHOR_DIR = str(tmp_path)
    audit_chain_seal(settle_seconds=0)
    record_patient_access(user=spine_surgeon, patient_ids=[patient.pk],
                          action=PatientAccess.Action.VIEW, path="/later/")
    audit_chain_seal(settle_seconds=0)
    head = AuditChainLink.objects.order_by("-id").first()
    # Whoever can delete the newest audit row and its link (the owner) leaves a
    # chain that verifies on its own; only the anchor shows what is gone.
    PatientAccess.objects.filter(path="/later/").delete()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM cases_auditchainlink WHERE id = %s", [head.pk])
    assert audit_verify().problems == [
        f"Anchor line 2: audit link #{head.pk} is gone from the chain (the chain was cut "
        "back)."]


def test_a_rebuilt_chain_shows_against_the_anchor(signed, settings, tmp_path):
    settings.AUDIT_ANCHOR_DIR = str(tmp_path)
    audit_chain_seal(settle_seconds=0)
    head = AuditChainLink.objects.order_by("-id").first()
    # Even with the key: the whole chain re-made from rewritten rows.
    AuditChainLink.objects.all().delete()
    Context.objects.update(metadata={"user": None})
    audit_chain_seal(settle_seconds=0)
    rebuilt = audit_verify().problems
    assert f"Anchor line 1: audit link #{head.pk} is gone from the chain (the chain was " \
        "cut back)." in rebuilt


def test_a_removed_anchor_file_is_reported(signed, settings, tmp_path):
    settings.AUDIT_ANCHOR_DIR = str(tmp_path)
    audit_chain_seal(settle_seconds=0)
    (path,) = tmp_path.iterdir()
    path.unlink()
    assert audit_verify().problems == [
        f"No anchor file at {path}, but the chain has links: its heads were never "
        "anchored, or the file was removed."]


def test_without_an_anchor_directory_the_head_goes_to_the_anchor_log(signed, settings,
                                                                     caplog):
    settings.AUDIT_ANCHOR_DIR = ""
    with caplog.at_level("INFO", logger="boardsite.audit_anchor"):
        audit_chain_seal(settle_seconds=0)
    head = AuditChainLink.objects.order_by("-id").first()
    (record,) = [r for r in caplog.records if r.name == "boardsite.audit_anchor"]
    assert f'"link":{head.pk},"mac":"{head.mac}"' in record.getMessage()


# --- The sealing window ------------------------------------------------------------------

def test_rows_written_after_a_transaction_still_open_began_wait_for_it(signed, spine_surgeon,
                                                                      patient):
    # A slow request holds a writing transaction open; rows other requests commit
    # meanwhile carry a later creation time, and its own rows could still commit
    # below them: the sealer leaves them until it has finished.
    settings_dict = connection.settings_dict
    conninfo = {k: v for k, v in {
        "dbname": settings_dict["NAME"], "user": settings_dict["USER"],
        "host": settings_dict["HOST"] or None, "port": settings_dict["PORT"] or None,
    }.items() if v is not None}
    with psycopg.connect(**conninfo) as slow, \
            psycopg.connect(**conninfo, autocommit=True) as quick:
        slow.execute("SELECT txid_current()")  # it holds a transaction ID: a writer
        time.sleep(0.01)
        (during,) = quick.execute(
            "INSERT INTO cases_patientaccess (user_id, patient_ids, action, path, at) "
            "VALUES (%s, %s, 'view', '/during/', now()) RETURNING id",
            [spine_surgeon.pk, [patient.pk]]).fetchone()
        audit_chain_seal(settle_seconds=0)
        assert not AuditChainLink.objects.filter(source="cases.PatientAccess",
                                                 row_id=during).exists()
        slow.rollback()
        audit_chain_seal(settle_seconds=0)
        assert AuditChainLink.objects.filter(source="cases.PatientAccess",
                                             row_id=during).exists()
        quick.execute("DELETE FROM cases_patientaccess WHERE id = %s", [during])


def _reseal_with_current_models(label: str, change) -> None:
    """reseal_around's two halves around ``change``, as a migration would run them."""
    check_intact, reseal = reseal_around([label], "cases 9999: a test rewrite")
    check_intact.code(apps, None)
    change()
    reseal.code(apps, None)


def test_a_migration_rewrite_is_resealed_with_its_reason_and_verifies(signed):
    audit_chain_seal(settle_seconds=0)
    events = Decision.pgh_event_model.objects.filter(pgh_obj_id=signed.pk)
    _reseal_with_current_models(
        "cases.DecisionEvent", lambda: events.update(outcome_summary="Radiotherapy."))
    resealed = AuditChainLink.objects.exclude(reseal_reason="")
    assert sorted(resealed.values_list("row_id", flat=True)) == sorted(
        events.values_list("pk", flat=True))
    assert set(resealed.values_list("reseal_reason", flat=True)) == {"cases 9999: a test rewrite"}
    assert audit_verify().problems == []
    # An unchanged table gets no re-seal links.
    _reseal_with_current_models("cases.PatientAccess", lambda: None)
    assert AuditChainLink.objects.exclude(reseal_reason="").count() == resealed.count()


def test_a_reseal_reason_changed_afterwards_does_not_verify(signed):
    audit_chain_seal(settle_seconds=0)
    events = Decision.pgh_event_model.objects.filter(pgh_obj_id=signed.pk)
    _reseal_with_current_models(
        "cases.DecisionEvent", lambda: events.update(outcome_summary="Radiotherapy."))
    link = AuditChainLink.objects.exclude(reseal_reason="").order_by("id").first()
    AuditChainLink.objects.filter(pk=link.pk).update(reseal_reason="cases 9998: another")
    assert audit_verify().problems == [
        f"audit link #{link.pk} (cases.DecisionEvent row {link.row_id}): its MAC does not "
        "verify (the link was forged or its key is no longer configured)."]


def test_a_row_rewritten_before_the_migration_is_not_resealed(signed):
    audit_chain_seal(settle_seconds=0)
    events = Decision.pgh_event_model.objects.filter(pgh_obj_id=signed.pk).order_by("pgh_id")
    tampered = events[0]
    events.filter(pk=tampered.pk).update(outcome_summary="Surgery.")
    _reseal_with_current_models(
        "cases.DecisionEvent", lambda: events.update(amendment_reason="Reworded."))
    link = AuditChainLink.objects.get(source="cases.DecisionEvent", row_id=tampered.pk)
    assert not AuditChainLink.objects.filter(row_id=tampered.pk).exclude(
        reseal_reason="").exists()
    assert audit_verify().problems == [
        f"audit link #{link.pk} (cases.DecisionEvent row {tampered.pk}): the audit row was "
        "changed after it was sealed."]
