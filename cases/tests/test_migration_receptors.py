"""cases/migrations/0027: a breast primary's combined receptor phenotype becomes the
hormone-receptor status and the HER2 status, in the record and in its history, and back.
"""

from __future__ import annotations

import importlib

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cases.audit_chain import _link_mac, _row_hashes, audit_verify
from cases.tests.factories import PatientFactory

NAME = "0027_primary_hormone_receptor_and_her2_status"
migration = importlib.import_module(f"cases.migrations.{NAME}")

BEFORE = [("cases", "0026_audit_chain_reseal_links")]
AFTER = [("cases", NAME)]


@pytest.mark.parametrize(("combined", "pair"), [
    ("hr+/her2-", ("positive", "negative")),
    # "HER2+" said nothing of the hormone receptors: not known, so the engine asks.
    ("her2+", ("unknown", "positive")),
    ("triple_negative", ("negative", "negative")),
    ("unknown", ("unknown", "unknown")),
    ("", ("", "")),
])
def test_each_combined_value_maps_to_the_pair_it_stated_and_back(combined, pair):
    assert migration.combined_to_pair(combined) == pair
    assert migration.pair_to_combined(*pair) == combined


@pytest.mark.parametrize(("pair", "combined"), [
    # The old vocabulary has no triple positive: "HER2+" is what it could say of it.
    (("positive", "positive"), "her2+"),
    (("negative", "positive"), "her2+"),
    (("", "positive"), "her2+"),
    # Half known: any old value but "unknown" would claim a result nobody recorded.
    (("positive", "unknown"), "unknown"),
    (("positive", ""), "unknown"),
    (("negative", "unknown"), "unknown"),
    (("", "negative"), "unknown"),
    (("unknown", "negative"), "unknown"),
])
def test_a_pair_the_old_vocabulary_cannot_hold_maps_back_without_claiming_more(pair, combined):
    assert migration.pair_to_combined(*pair) == combined


def _executor() -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    return executor


@pytest.mark.django_db(transaction=True)
def test_the_record_and_its_history_are_mapped_forwards_and_backwards(board):
    patients = [PatientFactory(board=board) for _ in range(5)]
    ids = [p.pk for p in patients]
    old_values = ["hr+/her2-", "her2+", "triple_negative", "unknown", ""]
    executor = _executor()
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    OldPrimary = old_apps.get_model("cases", "PrimaryCancer")
    OldEvent = old_apps.get_model("cases", "PrimaryCancerEvent")
    for patient, value in zip(patients, old_values, strict=True):
        # Recorded as not known first, then corrected: the history holds both.
        row = OldPrimary.objects.create(patient_id=patient.pk, site="breast",
                                        receptor_status="unknown")
        row.receptor_status = value
        row.save()

    executor = _executor()
    executor.migrate(AFTER)
    new_apps = executor.loader.project_state(AFTER).apps
    Primary = new_apps.get_model("cases", "PrimaryCancer")
    Event = new_apps.get_model("cases", "PrimaryCancerEvent")
    pairs = {p.patient_id: (p.hormone_receptor_status, p.her2_status)
             for p in Primary.objects.filter(patient_id__in=ids)}
    assert pairs == {patient.pk: migration.combined_to_pair(value)
                     for patient, value in zip(patients, old_values, strict=True)}
    first = Primary.objects.get(patient_id=ids[0]).pk
    assert sorted(Event.objects.filter(pgh_obj_id=first).values_list(
        "pgh_label", "hormone_receptor_status", "her2_status")) == [
        ("insert", "unknown", "unknown"), ("update", "positive", "negative")]
    assert "receptor_status" not in {f.name for f in Event._meta.get_fields()}

    # A triple positive recorded after the upgrade goes back as "HER2+".
    Primary.objects.filter(patient_id=ids[1]).update(hormone_receptor_status="positive")
    executor = _executor()
    executor.migrate(BEFORE)
    back = {p.patient_id: p.receptor_status
            for p in OldPrimary.objects.filter(patient_id__in=ids)}
    assert back == {patient.pk: value
                    for patient, value in zip(patients, old_values, strict=True)}
    assert sorted(OldEvent.objects.filter(pgh_obj_id=first)
                  .values_list("pgh_label", "receptor_status")) == [
        ("insert", "unknown"), ("update", "hr+/her2-")]
    call_command("migrate", verbosity=0)  # the rest of the chain, for the next tests


def _seal_as_the_code_before_did(old_apps) -> None:
    """What audit_chain_seal did before the upgrade: each history row sealed as written,
    hashed over the columns it had then."""
    Event = old_apps.get_model("cases", "PrimaryCancerEvent")
    Link = old_apps.get_model("cases", "AuditChainLink")
    previous = ""
    for row_id, row_sha256 in _row_hashes(Event, Event.objects.all()):
        key_id, mac = _link_mac(previous=previous, source="cases.PrimaryCancerEvent",
                                row_id=row_id, row_sha256=row_sha256)
        Link.objects.create(source="cases.PrimaryCancerEvent", row_id=row_id,
                            row_sha256=row_sha256, previous_mac=previous, key_id=key_id,
                            mac=mac)
        previous = mac


@pytest.mark.django_db(transaction=True)
def test_the_sealed_history_still_verifies_after_the_split_and_a_prior_rewrite_still_shows(board):
    patients = [PatientFactory(board=board) for _ in range(3)]
    executor = _executor()
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    OldPrimary = old_apps.get_model("cases", "PrimaryCancer")
    OldEvent = old_apps.get_model("cases", "PrimaryCancerEvent")
    for patient in patients:
        OldPrimary.objects.create(patient_id=patient.pk, site="breast",
                                  receptor_status="hr+/her2-")
    _seal_as_the_code_before_did(old_apps)
    # Rewritten behind the chain's back before the upgrade: the migration must not
    # launder it into a re-seal.
    tampered = OldEvent.objects.order_by("pgh_id").last()
    OldEvent.objects.filter(pk=tampered.pk).update(receptor_status="triple_negative")

    executor = _executor()
    executor.migrate(AFTER)
    Link = executor.loader.project_state(AFTER).apps.get_model("cases", "AuditChainLink")
    resealed = Link.objects.exclude(reseal_reason="")
    assert sorted(resealed.values_list("row_id", flat=True)) == sorted(
        OldEvent.objects.exclude(pk=tampered.pk).values_list("pk", flat=True))
    assert {link.reseal_reason for link in resealed} == {
        "cases 0027: receptor status split into hormone-receptor and HER2 status"}
    link = Link.objects.get(row_id=tampered.pk, reseal_reason="")
    call_command("migrate", verbosity=0)  # its post-migrate steps (the trigger guard)
    assert audit_verify().problems == [
        f"audit link #{link.pk} (cases.PrimaryCancerEvent row {tampered.pk}): the audit row "
        "was changed after it was sealed."]
