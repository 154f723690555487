"""Every endpoint under /api/v1/ × every role × a row of one's own board / another board.

Endpoints are discovered from the OpenAPI schema, and each must have an explicit entry
in `OPERATIONS` (the test fails on an endpoint nobody wrote expectations for). For
each, the expected status is derived from who may do what (cases/rules.py):
members of the row's board get 2xx or 403 by role, everybody else 404 on a row (400
when they name another board's row in a body, as for an ID that does not exist), an
empty list where they see nothing, 401 without credentials. After every refused write
the database is exactly as before.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.apps import apps
from django.db import connection
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from cases.tests.api.conftest import DECISION_ITEMS, BoardWorld, World, token_client

ROLES = ["coordinator", "specialist", "chair", "administrator", "outsider", "anonymous"]
TARGETS = ["own", "other"]

# Recording and correcting the record is the coordinator's too; deleting is not
# (cases/rules.py says why).
CLINICAL = {"coordinator", "specialist", "chair"}
CLINICAL_DELETE = {"specialist", "chair"}
REGISTER = {"coordinator", "specialist", "chair"}
MANAGE = {"coordinator", "chair"}
RECORD = {"coordinator", "specialist", "chair"}
SIGN = {"chair"}
MEMBERS = {"coordinator", "specialist", "chair"}
EXAMPLE_FACTS = json.loads(
    (Path(__file__).resolve().parents[3] / "recommendations" / "engine" / "examples"
     / "crpc_t12_mscc.json").read_text())


def _today():
    return timezone.localdate()


@dataclass(frozen=True)
class Op:
    #: "list", "detail" (a row in the URL), "create" (a row named in the body),
    #: "admin" (administrators only), "public" (no authentication).
    #: "authenticated" (any signed-in user, no board data), "in-body" (a row of a
    #: board named in the body; non-members get 404).
    kind: str
    roles: frozenset[str] | str = frozenset()
    target: Callable[[BoardWorld], object] | None = None
    body: Callable[[BoardWorld], dict] | None = None
    success: int = 200
    #: For lists: the rows of the target board that must (or must not) be listed.
    rows: Callable[[BoardWorld], list] | None = None
    #: The attribute of the target that goes into the URL.
    lookup: str = "pk"
    query: str = ""


def _rows(attr):
    return lambda w: [getattr(w, attr).pk]


def _patient_body(w):
    return {"board": w.board.pk, "hospital_number": f"NEW{w.board.pk:05d}",
            "given_name": "Ada", "family_name": "Newcase", "date_of_birth": "1950-01-02",
            "sex": "female"}


def _lesion_body(w):
    return {"patient": w.p1.pk, "bone": "vertebra", "vertebral_level": "L2",
            "lesion_type": "lytic", "spinal_pain": "mechanical", "alignment": "normal",
            "collapse_percent": "10.0", "posterolateral": "none"}


def _imaging_body(w):
    return {"patient": w.p1.pk, "modality": "mri", "region": "Whole spine",
            "performed_on": str(_today() - dt.timedelta(days=2)), "lesions": [w.spinal_lesion.pk]}


def _lab_body(w):
    return {"patient": w.p1.pk, "analyte": "creatinine", "value": "90", "unit": "umol/L",
            "taken_at": (timezone.now() - dt.timedelta(hours=5)).isoformat()}


def _bta_body(w):
    return {"patient": w.p1.pk, "agent": "denosumab", "dose_mg": "120", "interval_weeks": 4,
            "started_on": str(_today() - dt.timedelta(days=3))}


def _systemic_body(w):
    return {"patient": w.p1.pk, "kind": "enzalutamide", "drug": "Enzalutamide",
            "started_on": str(_today() - dt.timedelta(days=3))}


def _rt_body(w):
    return {"patient": w.p1.pk, "lesion": w.spinal_lesion.pk, "site": "T8", "dose_gy": "20",
            "fractions": 5, "technique": "conventional",
            "started_on": str(_today() - dt.timedelta(days=3))}


def _surgery_body(w):
    return {"patient": w.p1.pk, "lesion": w.long_lesion.pk, "kind": "fixation",
            "performed_on": str(_today() - dt.timedelta(days=3)), "notes": ""}


def _import_body(w):
    """A FHIR bundle with one haemoglobin for the board's first patient, imported for real
    (the same body twice is unchanged the second time)."""
    taken = (timezone.now() - dt.timedelta(hours=5)).replace(microsecond=0).isoformat()
    observation = {
        "resourceType": "Observation", "id": f"hb-{w.board.pk}", "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "718-7"}]},
        "subject": {"identifier": {"value": w.p1.hospital_number}},
        "effectiveDateTime": taken,
        "valueQuantity": {"value": 12.1, "system": "http://unitsofmeasure.org",
                          "code": "g/dL"},
    }
    return {"board": w.board.pk, "source": "fhir", "commit": True,
            "content": {"resourceType": "Bundle", "type": "collection",
                        "entry": [{"resource": observation}]}}


def _clinical(name, attr, body, *, list_rows=None):
    target = lambda w: getattr(w, attr)  # noqa: E731
    return {
        ("get", f"/api/v1/{name}/"): Op("list", rows=list_rows or _rows(attr)),
        ("post", f"/api/v1/{name}/"): Op("create", CLINICAL, body=body, success=201),
        ("get", f"/api/v1/{name}/{{id}}/"): Op("detail", MEMBERS, target),
        ("put", f"/api/v1/{name}/{{id}}/"): Op(
            "detail", CLINICAL, target, body=lambda w: {**body(w), "patient": target(w).patient_id}
        ),
        ("patch", f"/api/v1/{name}/{{id}}/"): Op("detail", CLINICAL, target, body=lambda w: {}),
        ("delete", f"/api/v1/{name}/{{id}}/"): Op("detail", CLINICAL_DELETE, target,
                                                  success=204),
    }


OPERATIONS: dict[tuple[str, str], Op] = {
    ("post", "/api/v1/auth/token/"): Op("public"),
    ("post", "/api/v1/auth/logout/"): Op("authenticated", success=204),
    # Import from the hospital's systems: the board is named in the body.
    ("post", "/api/v1/imports/"): Op("create", REGISTER, body=_import_body),
    # Patients
    ("get", "/api/v1/patients/"): Op("list", rows=lambda w: [w.p1.pk, w.p2.pk, w.p3.pk, w.p4.pk]),
    ("post", "/api/v1/patients/"): Op("create", REGISTER, body=_patient_body, success=201),
    ("get", "/api/v1/patients/{id}/"): Op("detail", MEMBERS, lambda w: w.p1),
    ("put", "/api/v1/patients/{id}/"): Op(
        "detail", CLINICAL, lambda w: w.p3,
        body=lambda w: {**_patient_body(w), "hospital_number": w.p3.hospital_number}),
    ("patch", "/api/v1/patients/{id}/"): Op(
        "detail", CLINICAL, lambda w: w.p1,
        body=lambda w: {"ecog": 2, "ecog_assessed_on": str(_today())}),
    # Primary cancer (p3 has none yet)
    ("get", "/api/v1/primary-cancers/"): Op("list", rows=_rows("primary")),
    ("post", "/api/v1/primary-cancers/"): Op(
        "create", CLINICAL, body=lambda w: {"patient": w.p3.pk, "site": "breast",
                                            "hormone_receptor_status": "positive",
                                            "her2_status": "positive"}, success=201),
    ("get", "/api/v1/primary-cancers/{id}/"): Op("detail", MEMBERS, lambda w: w.primary),
    ("put", "/api/v1/primary-cancers/{id}/"): Op(
        "detail", CLINICAL, lambda w: w.primary,
        body=lambda w: {"patient": w.p1.pk, "site": "prostate", "castration_status": "sensitive"}),
    ("patch", "/api/v1/primary-cancers/{id}/"): Op(
        "detail", CLINICAL, lambda w: w.primary, body=lambda w: {"histology": "Ductal"}),
    ("delete", "/api/v1/primary-cancers/{id}/"): Op(
        "detail", CLINICAL_DELETE, lambda w: w.primary, success=204),
    **_clinical("lesions", "spinal_lesion", _lesion_body,
                list_rows=lambda w: [w.spinal_lesion.pk, w.long_lesion.pk]),
    **_clinical("imaging-studies", "imaging", _imaging_body),
    **_clinical("labs", "lab", _lab_body),
    **_clinical("bone-agent-courses", "bta", _bta_body),
    **_clinical("systemic-therapies", "systemic", _systemic_body),
    **_clinical("radiotherapy-courses", "rt", _rt_body),
    **_clinical("surgeries", "surgery", _surgery_body),
    # Boards, users, memberships
    ("get", "/api/v1/boards/"): Op("list", rows=lambda w: [w.board.pk]),
    ("get", "/api/v1/boards/{id}/"): Op("detail", MEMBERS, lambda w: w.board),
    ("get", "/api/v1/users/"): Op("admin"),
    ("post", "/api/v1/users/"): Op(
        "admin", body=lambda w: {"username": f"new-registrar-{w.board.pk}",
                                 "password": "granite kettle orbit 2291",
                                 "first_name": "Noor", "last_name": "Haddad"}, success=201),
    ("get", "/api/v1/users/{id}/"): Op("admin", target=lambda w: w.attendance.user),
    ("patch", "/api/v1/users/{id}/"): Op(
        "admin", target=lambda w: w.extra["newcomer"],
        body=lambda w: {"last_name": "Renamed", "is_active": False}),
    ("post", "/api/v1/users/{id}/password/"): Op(
        "admin", target=lambda w: w.extra["newcomer"],
        body=lambda w: {"password": "basalt lantern meadow 7702"}, success=204),
    ("get", "/api/v1/memberships/"): Op("admin"),
    ("post", "/api/v1/memberships/"): Op(
        "admin", body=lambda w: {"board": w.board.pk, "user": w.extra["newcomer"].pk,
                                 "role": "specialist", "specialty": "radiology"}, success=201),
    ("get", "/api/v1/memberships/{id}/"): Op("admin", target=lambda w: w.membership),
    ("put", "/api/v1/memberships/{id}/"): Op(
        "admin", target=lambda w: w.membership,
        body=lambda w: {"board": w.board.pk, "user": w.membership.user_id, "role": "chair",
                        "specialty": "medical_oncology"}),
    ("patch", "/api/v1/memberships/{id}/"): Op(
        "admin", target=lambda w: w.membership, body=lambda w: {"specialty": "radiology"}),
    # Meetings
    ("get", "/api/v1/meetings/"): Op("list", rows=_rows("meeting")),
    ("post", "/api/v1/meetings/"): Op(
        "create", MANAGE, body=lambda w: {"board": w.board.pk, "location": "Room 4",
                                          "starts_at": (timezone.now() + dt.timedelta(days=9))
                                          .isoformat()}, success=201),
    ("get", "/api/v1/meetings/{id}/"): Op("detail", MEMBERS, lambda w: w.meeting),
    ("put", "/api/v1/meetings/{id}/"): Op(
        "detail", MANAGE, lambda w: w.meeting,
        body=lambda w: {"board": w.board.pk, "starts_at": w.meeting.starts_at.isoformat(),
                        "location": "Room 5", "duration_minutes": 60}),
    ("patch", "/api/v1/meetings/{id}/"): Op(
        "detail", MANAGE, lambda w: w.meeting, body=lambda w: {"location": "Room 6"}),
    ("post", "/api/v1/meetings/{id}/lock/"): Op("detail", MANAGE, lambda w: w.meeting),
    ("post", "/api/v1/meetings/{id}/unlock/"): Op("detail", MANAGE, lambda w: w.meeting),
    ("post", "/api/v1/meetings/{id}/held/"): Op("detail", MANAGE, lambda w: w.meeting),
    ("post", "/api/v1/meetings/{id}/reorder/"): Op(
        "detail", MANAGE, lambda w: w.meeting,
        body=lambda w: {"item_ids": [w.i4.pk, w.i2.pk, w.i1.pk]}),
    # Attendance (the row of another member: recording attendance is the coordinator's)
    ("get", "/api/v1/attendances/"): Op("list", rows=_rows("attendance")),
    ("get", "/api/v1/attendances/{id}/"): Op("detail", MEMBERS, lambda w: w.attendance),
    ("put", "/api/v1/attendances/{id}/"): Op(
        "detail", MANAGE, lambda w: w.attendance,
        body=lambda w: {"confirmed": True, "attended": True}),
    ("patch", "/api/v1/attendances/{id}/"): Op(
        "detail", MANAGE, lambda w: w.attendance, body=lambda w: {"attended": True}),
    # Agenda
    ("get", "/api/v1/agenda-items/"): Op("list", rows=lambda w: [w.i1.pk, w.i2.pk, w.i4.pk]),
    ("post", "/api/v1/agenda-items/"): Op(
        "create", MANAGE, body=lambda w: {"meeting": w.meeting.pk, "patient": w.p3.pk,
                                          "question": "Fixation?"}, success=201),
    ("get", "/api/v1/agenda-items/{id}/"): Op("detail", MEMBERS, lambda w: w.i1),
    ("patch", "/api/v1/agenda-items/{id}/"): Op(
        "detail", MANAGE, lambda w: w.i4, body=lambda w: {"status": "ready"}),
    ("delete", "/api/v1/agenda-items/{id}/"): Op("detail", MANAGE, lambda w: w.i4, success=204),
    # Decisions
    ("get", "/api/v1/decisions/"): Op("list", rows=lambda w: [w.unsigned.pk, w.signed.pk]),
    ("post", "/api/v1/decisions/"): Op(
        "create", RECORD, body=lambda w: {"agenda_item": w.i1.pk, "items": DECISION_ITEMS,
                                          "outcome_summary": "SBRT"}, success=201),
    ("get", "/api/v1/decisions/{id}/"): Op("detail", MEMBERS, lambda w: w.signed),
    ("post", "/api/v1/decisions/{id}/amend/"): Op(
        "detail", RECORD, lambda w: w.signed, body=lambda w: {"reason": "Wrong level"},
        success=201),
    ("post", "/api/v1/decisions/{id}/sign/"): Op(
        "detail", SIGN, lambda w: w.unsigned, body=lambda w: {"confirm": True}),
    ("get", "/api/v1/decisions/{id}/verify/"): Op("detail", MEMBERS, lambda w: w.signed),
    ("get", "/api/v1/decisions/{id}/fhir/"): Op("detail", MEMBERS, lambda w: w.signed),
    # Recommendations (the lead's app): drafts are case data; the catalogue and the
    # stateless evaluator hold none.
    ("get", "/api/v1/recommendations/draft-plans/"): Op(
        "list", rows=lambda w: [w.extra["draft"].pk]),
    ("get", "/api/v1/recommendations/draft-plans/{id}/"): Op(
        "detail", MEMBERS, lambda w: w.extra["draft"]),
    ("get", "/api/v1/recommendations/rules/"): Op("authenticated"),
    ("post", "/api/v1/recommendations/evaluate/"): Op(
        "authenticated", body=lambda w: {"as_of": "2025-05-10", "facts": EXAMPLE_FACTS}),
    ("post", "/api/v1/recommendations/refresh/"): Op(
        "in-body", MEMBERS, body=lambda w: {"agenda_item": w.i1.pk}),
    # Reminders (any member of the board acts on them)
    ("get", "/api/v1/reminders/"): Op(
        "list", query="?scope=board", rows=lambda w: [str(w.extra["reminder"].public_id)]),
    ("get", "/api/v1/reminders/{id}/"): Op(
        "detail", MEMBERS, lambda w: w.extra["reminder"], lookup="public_id"),
    ("post", "/api/v1/reminders/{id}/done/"): Op(
        "detail", MEMBERS, lambda w: w.extra["reminder"], lookup="public_id"),
    ("post", "/api/v1/reminders/{id}/snooze/"): Op(
        "detail", MEMBERS, lambda w: w.extra["reminder"], lookup="public_id",
        body=lambda w: {"until": (timezone.now() + dt.timedelta(days=2)).isoformat()}),
    ("post", "/api/v1/reminders/{id}/retry/"): Op(
        "detail", MEMBERS, lambda w: w.extra["failed_reminder"], lookup="public_id"),
    ("post", "/api/v1/reminders/{id}/cancel/"): Op(
        "detail", MEMBERS, lambda w: w.extra["reminder"], lookup="public_id",
        body=lambda w: {"reason": "Given elsewhere"}),
    # The closed loop of the signed actions (any member of the board records it)
    ("get", "/api/v1/reminders/follow-through/{board_id}/"): Op(
        "detail", MEMBERS, lambda w: w.board),
    ("post", "/api/v1/reminders/actions/{id}/done/"): Op(
        "detail", MEMBERS, lambda w: w.extra["follow_up"],
        body=lambda w: {"done_on": _today().isoformat()}),
    ("post", "/api/v1/reminders/actions/{id}/not-done/"): Op(
        "detail", MEMBERS, lambda w: w.extra["follow_up"],
        body=lambda w: {"reason": "logistics"}),
}


def discovered_operations() -> set[tuple[str, str]]:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return {
        (method, path)
        for path, item in schema["paths"].items() if path.startswith("/api/v1/")
        for method in item if method in {"get", "post", "put", "patch", "delete"}
    }


def test_every_endpoint_has_expectations():
    assert discovered_operations() == set(OPERATIONS)


def _tables() -> list[str]:
    return sorted(
        model._meta.db_table for model in apps.get_models()
        if model._meta.app_label in {"cases", "pghistory", "knox", "auth"}
        and model._meta.managed and not model._meta.proxy
        and model._meta.db_table != "cases_patientaccess"
    )


def fingerprint() -> str:
    """A hash of every row of every table of the clinical record, its audit trail,
    users and tokens, in one query (reads — PatientAccess — are checked separately)."""
    # Table names come from the models, not from input.
    template = "SELECT '{t}', md5(coalesce(string_agg(r::text, '|' ORDER BY r::text), '')) " \
        'FROM "{t}" r'
    sql = " UNION ALL ".join(template.format(t=t) for t in _tables())
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return hashlib.sha256(repr(cursor.fetchall()).encode()).hexdigest()


def expected_status(op: Op, role: str, target: str) -> int:
    if op.kind == "public":
        return 400  # wrong password, whoever asks
    if role == "anonymous":
        return 401
    if op.kind == "admin":
        return op.success if role == "administrator" else 403
    if op.kind in ("list", "authenticated"):
        return op.success
    # Personas sit on the own board; the outsider is a specialist of the other board.
    if role == "outsider":
        board_role = "specialist" if target == "other" else None
    elif role == "administrator":
        board_role = None
    else:
        board_role = role if target == "own" else None
    if board_role is None:
        # Boards: administrators see every board (no patient data on a board).
        if role == "administrator" and op.target is not None and op.roles == MEMBERS \
                and op is OPERATIONS[("get", "/api/v1/boards/{id}/")]:
            return 200
        return 400 if op.kind == "create" else 404
    return op.success if board_role in op.roles else 403


CASES = [
    pytest.param(method, path, role, target, id=f"{method} {path} {role} {target}")
    for (method, path) in sorted(OPERATIONS) for role in ROLES for target in TARGETS
]


@pytest.mark.parametrize(("method", "path", "role", "target"), CASES)
def test_permission_matrix(shared_world: World, db, method, path, role, target):
    from cases.models import PatientAccess

    world = shared_world
    op = OPERATIONS[(method, path)]
    w = world.own if target == "own" else world.other
    user = None if role == "anonymous" else world.users[role]
    client = token_client(user)
    url = path
    if "{" in path:  # {id}, {board_id}: the one row the operation is about
        url = re.sub(r"\{\w+\}", str(getattr(op.target(w), op.lookup)), path)
    url += op.query
    body = op.body(w) if op.body else None
    if op.kind == "public":
        body = {"username": role, "password": "not the password"}

    before, reads_before = fingerprint(), PatientAccess.objects.count()
    response = getattr(client, method)(url, data=body, format="json")
    expected = expected_status(op, role, target)

    assert response.status_code == expected, response.content[:500]
    if response.status_code >= 400:
        assert set(response.json()) == {"errors"}
        assert fingerprint() == before, "a refused request changed the database"
        assert PatientAccess.objects.count() == reads_before
    if op.kind == "list" and response.status_code == 200:
        listed = {row["id"] for row in response.json()["results"]}
        member = (role in MEMBERS and target == "own") or (role == "outsider" and target == "other")
        if path == "/api/v1/boards/" and role == "administrator":
            member = True
        expected_rows = set(op.rows(w))
        if member:
            assert expected_rows <= listed
        else:
            assert not (expected_rows & listed)
