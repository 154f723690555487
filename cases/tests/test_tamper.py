"""Tampering as the app role: the credentials web, worker and beat hold.

A raw psycopg connection AS THE APP ROLE against the test database tries what an
attacker with the application's database credentials would: rewrite a signed decision,
skip the trigger with pgtrigger.ignore, disable the trigger, and change or delete audit
and access rows. Each must fail at PostgreSQL. The test database is created and
migrated as the owner (conftest.py), whose grants to the app role these tests check.
"""

from __future__ import annotations

import uuid

import pghistory
import psycopg
import pytest
from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from psycopg import errors

from cases.audit_chain import audit_chain_seal
from cases.dbroles import app_role_conninfo, append_only_tables, column_limited_tables
from cases.models import Decision, Patient, PatientAccess
from cases.services import (
    agenda_item_add,
    decision_record,
    decision_sign,
    decision_verify,
    meeting_create,
    record_patient_access,
)
from cases.tests.test_services import ITEMS

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not settings.DATABASE_APP_ROLE,
        reason="one database role only: set DATABASE_OWNER_URL (./bin/test and CI do)",
    ),
]


@pytest.fixture
def signed(board, coordinator, chair, patient):
    meeting = meeting_create(board=board, starts_at=timezone.now())
    item = agenda_item_add(meeting=meeting, patient=patient, question="Stable spine?")
    decision = decision_record(agenda_item=item, recorded_by=coordinator, items=ITEMS,
                               outcome_summary="Radiotherapy and denosumab.")
    return decision_sign(decision=decision, chair=chair)


@pytest.fixture
def app_db():
    with psycopg.connect(**app_role_conninfo()) as conn:
        assert conn.execute("SELECT current_user").fetchone() == (settings.DATABASE_APP_ROLE,)
        yield conn


def _attempt(conn, *statements) -> None:
    """Run statements as the app role in a transaction that is rolled back either way
    (a savepoint inside the fixture's open transaction); psycopg raises on refusal."""
    try:
        with conn.transaction():
            for statement, params in statements:
                conn.execute(statement, params)
    finally:
        conn.rollback()


def _decision_pgid() -> str:
    (trigger,) = [t for t in Decision._meta.triggers if t.name == "signed_decision_is_immutable"]
    return trigger.get_pgid(Decision)


def _summary(decision_id: int) -> str:
    return Decision.objects.get(pk=decision_id).outcome_summary


def test_app_role_cannot_update_a_signed_decision(app_db, signed):
    with pytest.raises(errors.RaiseException, match="Cannot update"):
        _attempt(app_db, ("UPDATE cases_decision SET outcome_summary = 'Rewritten' "
                          "WHERE id = %s", [signed.pk]))
    assert _summary(signed.pk) == "Radiotherapy and denosumab."


def test_app_role_cannot_skip_the_trigger_with_pgtrigger_ignore(app_db, signed):
    ignore = "{" + _decision_pgid() + "}"
    with pytest.raises(errors.RaiseException, match="Cannot update"):
        _attempt(app_db,
                 ("SELECT set_config('pgtrigger.ignore', %s, true)", [ignore]),
                 ("UPDATE cases_decision SET outcome_summary = 'Rewritten' WHERE id = %s",
                  [signed.pk]))
    assert _summary(signed.pk) == "Radiotherapy and denosumab."


def test_the_owner_still_can_skip_it_so_the_refusal_is_the_role(signed):
    # The control: the same statements as the owner go through (then roll back).
    ignore = "{" + _decision_pgid() + "}"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('pgtrigger.ignore', %s, true)", [ignore])
        cursor.execute("UPDATE cases_decision SET outcome_summary = 'Rewritten' WHERE id = %s",
                       [signed.pk])
        assert _summary(signed.pk) == "Rewritten"
        transaction.set_rollback(True)
    assert _summary(signed.pk) == "Radiotherapy and denosumab."


# One test per kind of attempt, each trying every variant: a transactional test
# costs a TRUNCATE of every table, so variants share one.
DEFUSE = [
    "ALTER TABLE cases_decision DISABLE TRIGGER USER",
    "ALTER TABLE cases_decision DISABLE TRIGGER ALL",
    "ALTER TABLE cases_decision DISABLE TRIGGER {pgid}",
    "DROP TRIGGER {pgid} ON cases_decision",
    "ALTER TABLE cases_decision OWNER TO CURRENT_USER",
    "CREATE OR REPLACE FUNCTION public._pgtrigger_should_ignore(trigger_name NAME) "
    "RETURNS BOOLEAN AS $$ BEGIN RETURN TRUE; END; $$ LANGUAGE plpgsql",
]


def test_app_role_cannot_disable_drop_or_defuse_the_trigger(app_db, signed):
    for statement in DEFUSE:
        with pytest.raises(errors.InsufficientPrivilege):
            _attempt(app_db, (statement.format(pgid=_decision_pgid()), None))
    with pytest.raises(errors.RaiseException):
        _attempt(app_db, ("DELETE FROM cases_decision WHERE id = %s", [signed.pk]))
    assert _summary(signed.pk) == "Radiotherapy and denosumab."


def test_app_role_cannot_change_or_delete_an_audit_row(app_db, signed):
    assert Decision.pgh_event_model._meta.db_table == "cases_decisionevent"
    count = "SELECT count(*) FROM cases_decisionevent WHERE pgh_obj_id = %s"
    before = app_db.execute(count, [signed.pk]).fetchone()
    for statement in ["UPDATE cases_decisionevent SET pgh_label = 'insert' WHERE pgh_obj_id = %s",
                      "DELETE FROM cases_decisionevent WHERE pgh_obj_id = %s"]:
        with pytest.raises(errors.InsufficientPrivilege):
            _attempt(app_db, (statement, [signed.pk]))
    with pytest.raises(errors.InsufficientPrivilege):
        _attempt(app_db, ("TRUNCATE cases_decisionevent", None))
    assert app_db.execute(count, [signed.pk]).fetchone() == before
    assert before[0] >= 2  # the insert and the signing update


def test_app_role_cannot_change_or_delete_an_access_row(app_db, patient, spine_surgeon):
    record_patient_access(user=spine_surgeon, patient_ids=[patient.pk],
                          action=PatientAccess.Action.VIEW, path=f"/patients/{patient.pk}/")
    access = PatientAccess.objects.get()
    for statement, params in [
        ("UPDATE cases_patientaccess SET patient_ids = '{}' WHERE id = %s", [access.pk]),
        ("DELETE FROM cases_patientaccess WHERE id = %s", [access.pk]),
        ("TRUNCATE cases_patientaccess", None),
    ]:
        with pytest.raises(errors.InsufficientPrivilege):
            _attempt(app_db, (statement, params))
    assert list(PatientAccess.objects.values_list("pk", "patient_ids")) == [
        (access.pk, [patient.pk])]


def test_app_role_cannot_rewrite_the_audit_chain(app_db, signed):
    assert audit_chain_seal(settle_seconds=0) > 0
    with pytest.raises(errors.InsufficientPrivilege):
        _attempt(app_db, ("UPDATE cases_auditchainlink SET mac = ''", None))
    with pytest.raises(errors.InsufficientPrivilege):
        _attempt(app_db, ("DELETE FROM cases_auditchainlink", None))


def test_app_role_cannot_write_an_untracked_change_with_pgtrigger_ignore(app_db, patient):
    (update_trigger,) = [t for t in Patient._meta.triggers if t.name == "update_update"]
    ignore = "{" + update_trigger.get_pgid(Patient) + "}"
    # Transaction-local, then for the whole session: both are ignored for this role.
    app_db.execute("SELECT set_config('pgtrigger.ignore', %s, true)", [ignore])
    app_db.execute("UPDATE cases_patient SET worst_pain_nrs = 9 WHERE id = %s", [patient.pk])
    app_db.commit()
    app_db.execute("SELECT set_config('pgtrigger.ignore', %s, false)", [ignore])
    app_db.execute("UPDATE cases_patient SET worst_pain_nrs = 8 WHERE id = %s", [patient.pk])
    app_db.commit()
    events = Patient.pgh_event_model.objects.filter(pgh_obj_id=patient.pk, pgh_label="update")
    assert list(events.order_by("pgh_id").values_list("worst_pain_nrs", flat=True)) == [9, 8]


def test_app_role_does_its_job_and_owns_nothing(app_db, signed, patient, spine_surgeon):
    # Reads, writes to the clinical record and appends to the audit: all granted.
    app_db.execute("UPDATE cases_patient SET worst_pain_nrs = 3 WHERE id = %s", [patient.pk])
    app_db.execute("INSERT INTO cases_patientaccess (user_id, patient_ids, action, path, at) "
                   "VALUES (%s, %s, 'view', '/x/', now())", [spine_surgeon.pk, [patient.pk]])
    app_db.commit()
    assert Patient.objects.get(pk=patient.pk).worst_pain_nrs == 3
    owned = app_db.execute(
        "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND pg_get_userbyid(c.relowner) = current_user"
    ).fetchone()
    assert owned == (0,)
    with pytest.raises(errors.InsufficientPrivilege):
        _attempt(app_db, ("CREATE TABLE boardsite_probe (id int)", None))
    assert decision_verify(Decision.objects.get(pk=signed.pk)) is True


def test_grants_cover_every_table_the_migrations_created(app_db):
    rows = app_db.execute(
        "SELECT c.relname, "
        "has_table_privilege(current_user, c.oid, 'SELECT'), "
        "has_table_privilege(current_user, c.oid, 'INSERT'), "
        "has_table_privilege(current_user, c.oid, 'UPDATE'), "
        "has_table_privilege(current_user, c.oid, 'DELETE'), "
        "has_table_privilege(current_user, c.oid, 'TRUNCATE'), "
        "has_table_privilege(current_user, c.oid, 'TRIGGER') "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY c.relname"
    ).fetchall()
    append_only = set(append_only_tables()) | set(column_limited_tables())
    assert {"pghistory_context", "axes_accesslog", "axes_accessfailurelog"} <= append_only
    assert {"cases_patientaccess", "cases_auditchainlink", "cases_decisionevent",
            "cases_usergroupevent", "cases_tokenevent", "reminders_reminderevent"} <= append_only
    expected = []
    for name, *_ in rows:
        if name == "django_migrations":
            expected.append((name, True, False, False, False, False, False))
        elif name in append_only:
            expected.append((name, True, True, False, False, False, False))
        else:
            expected.append((name, True, True, True, True, False, False))
    assert rows == expected


def _context_metadata(conn, context_id):
    row = conn.execute("SELECT metadata FROM pghistory_context WHERE id = %s",
                       [context_id]).fetchone()
    return row[0] if row else None


def test_pghistory_still_upserts_its_context_as_the_app_role(app_db, patient):
    # What pghistory's trigger does on every tracked write of a request: insert the
    # context, then update its metadata when the request's next write carries more.
    context_id = str(uuid.uuid4())
    with app_db.transaction():
        for metadata in ['{"user": 1}', '{"user": 1, "url": "/patients/"}']:
            app_db.execute("SELECT set_config('pghistory.context_id', %s, true), "
                           "set_config('pghistory.context_metadata', %s, true)",
                           [context_id, metadata])
            app_db.execute("UPDATE cases_patient SET worst_pain_nrs = "
                           "coalesce(worst_pain_nrs, 0) + 1 WHERE id = %s", [patient.pk])
    app_db.commit()
    assert _context_metadata(app_db, context_id) == {"user": 1, "url": "/patients/"}
    events = Patient.pgh_event_model.objects.filter(pgh_obj_id=patient.pk,
                                                    pgh_context_id=context_id)
    assert events.count() == 2


def test_app_role_cannot_delete_a_history_context_or_rewrite_its_id_or_time(app_db, patient):
    with pghistory.context(user=1, url="/patients/"):
        Patient.objects.filter(pk=patient.pk).update(worst_pain_nrs=4)
    (context_id,) = Patient.pgh_event_model.objects.filter(
        pgh_obj_id=patient.pk, pgh_label="update").values_list("pgh_context_id", flat=True)
    for statement in [
        "DELETE FROM pghistory_context WHERE id = %s",
        "UPDATE pghistory_context SET created_at = now() - interval '1 day' WHERE id = %s",
        "UPDATE pghistory_context SET id = gen_random_uuid() WHERE id = %s",
        "TRUNCATE pghistory_context",
    ]:
        with pytest.raises(errors.InsufficientPrivilege):
            _attempt(app_db, (statement, None if "TRUNCATE" in statement else [context_id]))
    assert _context_metadata(app_db, context_id) == {"user": 1, "url": "/patients/"}


_ACCESS_LOG = ("INSERT INTO axes_accesslog (user_agent, ip_address, username, http_accept, "
               "path_info, attempt_time, session_hash) VALUES ('probe', '10.0.0.9', 'chair', "
               "'*/*', '/accounts/login/', now(), 'abc') RETURNING id")


def test_axes_keeps_working_but_its_sign_in_log_is_append_only(app_db):
    # axes' own writes: the sign-in row, the sign-out stamp, the failure counter's
    # reset (AXES_RESET_ON_SUCCESS), all as the app role.
    (log_id,) = app_db.execute(_ACCESS_LOG).fetchone()
    app_db.execute("UPDATE axes_accesslog SET logout_time = now() WHERE username = 'chair' "
                   "AND logout_time IS NULL AND session_hash = 'abc'")
    app_db.execute(
        "INSERT INTO axes_accessattempt (user_agent, ip_address, username, http_accept, "
        "path_info, attempt_time, get_data, post_data, failures_since_start) VALUES "
        "('probe', '10.0.0.9', 'chair', '*/*', '/accounts/login/', now(), '', '', 1)")
    app_db.execute("UPDATE axes_accessattempt SET failures_since_start = 2")
    app_db.execute("DELETE FROM axes_accessattempt WHERE username = 'chair'")
    app_db.commit()
    for statement in [
        "UPDATE axes_accesslog SET username = 'someone else' WHERE id = %s",
        "UPDATE axes_accesslog SET attempt_time = now() - interval '1 day' WHERE id = %s",
        "DELETE FROM axes_accesslog WHERE id = %s",
        "UPDATE axes_accessfailurelog SET username = 'x' WHERE id = %s",
        "DELETE FROM axes_accessfailurelog WHERE id = %s",
    ]:
        with pytest.raises(errors.InsufficientPrivilege):
            _attempt(app_db, (statement, [log_id]))
    assert app_db.execute("SELECT username, logout_time IS NOT NULL FROM axes_accesslog "
                          "WHERE id = %s", [log_id]).fetchone() == ("chair", True)
