"""The facts version: a counter per patient that PostgreSQL bumps on every write to a
table the recommendation engine reads (`recommendations.selectors.case_facts_from_patient`).

A draft plan records the version it was computed from; a draft whose patient's version
moved on is stale. Triggers rather than `save()` or signals, so that the admin, bulk
`QuerySet.update()`, raw SQL and the API are all caught.

The triggers are per statement with transition tables: a bulk update of 1,000 lab rows
bumps each patient once, in one UPDATE. PostgreSQL allows transition tables on
single-event triggers only, hence one trigger per operation. Both the old and the new
rows are read on UPDATE, so moving a row to another patient makes both patients stale.

The bump is a plain UPDATE, never an upsert: while Django deletes a patient it deletes
the children and the version row in an order of its choosing, and a child's delete
trigger that re-created the version row of a patient being deleted would make the
patient's delete fail on the foreign key.
"""

from __future__ import annotations

import pgtrigger

FACTS_VERSION_TABLE = "cases_patientfactsversion"

_BUMP = f"""
    UPDATE {FACTS_VERSION_TABLE} AS v SET version = v.version + 1
    WHERE v.patient_id IN ({{patients}});
    RETURN NULL;
"""  # noqa: S608 — a constant table name; {patients} is fixed SQL


def _trigger(name: str, operation, referencing, patients: str) -> pgtrigger.Trigger:
    return pgtrigger.Trigger(
        name=name,
        level=pgtrigger.Statement,
        when=pgtrigger.After,
        operation=operation,
        referencing=referencing,
        func=_BUMP.format(patients=patients),
    )


def bumps_facts_version() -> list[pgtrigger.Trigger]:
    """The triggers of a table with a `patient_id` column that feeds the engine."""
    return [
        _trigger("facts_version_on_insert", pgtrigger.Insert,
                 pgtrigger.Referencing(new="new_rows"),
                 "SELECT patient_id FROM new_rows"),
        _trigger("facts_version_on_update", pgtrigger.Update,
                 pgtrigger.Referencing(old="old_rows", new="new_rows"),
                 "SELECT patient_id FROM new_rows UNION SELECT patient_id FROM old_rows"),
        _trigger("facts_version_on_delete", pgtrigger.Delete,
                 pgtrigger.Referencing(old="old_rows"),
                 "SELECT patient_id FROM old_rows"),
    ]


def patient_facts_version() -> list[pgtrigger.Trigger]:
    """The triggers of the patient table itself: a new patient starts at version 1 and
    any update of the row bumps it. The counter is a row of its own table, not a column
    of the patient, so a bump neither re-fires the patient's triggers nor adds an event
    to the patient's audit trail. A patient's delete takes its row with it (CASCADE)."""
    return [
        pgtrigger.Trigger(
            name="facts_version_start",
            level=pgtrigger.Statement,
            when=pgtrigger.After,
            operation=pgtrigger.Insert,
            referencing=pgtrigger.Referencing(new="new_rows"),
            func=f"""
                INSERT INTO {FACTS_VERSION_TABLE} (patient_id, version)
                SELECT id, 1 FROM new_rows;
                RETURN NULL;
            """,  # noqa: S608 — a constant table name
        ),
        _trigger("facts_version_on_update", pgtrigger.Update,
                 pgtrigger.Referencing(old="old_rows", new="new_rows"),
                 "SELECT id FROM new_rows UNION SELECT id FROM old_rows"),
    ]


#: The board's columns `case_facts_from_patient` reads (board settings that are engine
#: inputs). A change of one of them bumps every patient of the board; a change of
#: anything else (name, description, location) bumps no one.
BOARD_FACTS_COLUMNS = ("analgesia_review_nrs",)


def board_facts_version() -> list[pgtrigger.Trigger]:
    """The trigger of the board table: a board setting the engine reads is a fact of
    every patient of that board, so changing it bumps each of them once (one UPDATE of
    the counters per statement). A patient moved to another board is caught by the
    patient's own trigger."""
    changed = " OR ".join(f"n.{c} IS DISTINCT FROM o.{c}" for c in BOARD_FACTS_COLUMNS)
    # Constant column names, no input: not an injection vector.
    patients = (
        "SELECT p.id FROM cases_patient AS p JOIN new_rows AS n ON n.id = p.board_id"  # noqa: S608
        f" JOIN old_rows AS o ON o.id = n.id WHERE {changed}"
    )
    return [
        _trigger("facts_version_on_update", pgtrigger.Update,
                 pgtrigger.Referencing(old="old_rows", new="new_rows"), patients),
    ]
