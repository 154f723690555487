"""Every migration that changes the columns of an audit table (a pghistory event model)
re-seals the rows it changes (cases.audit_chain.reseal_around): every audit row is hashed
over all its columns, so without it `audit_verify` would report each sealed row of that
table as changed after it was sealed."""

from __future__ import annotations

import pghistory.models
from django.apps import apps
from django.db.migrations import operations as ops
from django.db.migrations.loader import MigrationLoader

from cases.audit_chain import _Reseal

#: Migrations written before re-sealing existed (cases 0026). Those after the chain
#: began (cases 0008) break the check of rows sealed before they ran on a deployment
#: that upgrades across them: docs/security.md says what to do there. Only the AddField,
#: AlterField … of these are listed: a choices-only AlterField (0024) changes no row.
BEFORE_RESEALING = {
    ("cases", "0003_engine_facts"),
    ("cases", "0008_decision_mac_audit_chain_access_trackers"),
    ("cases", "0011_decision_actions"),
    ("cases", "0015_record_forms"),
    ("cases", "0017_meeting_mode_opinions_standard_of_care"),
    ("cases", "0018_mscc_omd_inputs"),
    ("cases", "0019_comedication_instability_calcium_analytes"),
    ("cases", "0021_second_factor_audit_notices_hashed_recovery_codes"),
    ("cases", "0023_patient_largest_node_short_axis"),
    ("cases", "0024_systemic_therapy_apalutamide_darolutamide"),
    ("cases", "0025_board_audited"),
    ("reminders", "0003_reminder_audit_trail"),
    ("reminders", "0007_reminder_event_kinds"),
}

COLUMN_CHANGES = (ops.AddField, ops.RemoveField, ops.AlterField, ops.RenameField)


def _event_model_names() -> set[tuple[str, str]]:
    return {
        (model._meta.app_label, model._meta.model_name) for model in apps.get_models()
        if issubclass(model, pghistory.models.Event)
    }


def test_every_migration_changing_an_audit_table_reseals_it():
    events = _event_model_names()
    loader = MigrationLoader(None, ignore_no_migrations=True)
    unsealed = []
    for (app_label, name), migration in sorted(loader.disk_migrations.items()):
        if (app_label, name) in BEFORE_RESEALING or app_label not in {"cases", "front",
                                                                         "recommendations",
                                                                         "reminders"}:
            continue
        touched = {
            op.model_name for op in migration.operations
            if isinstance(op, COLUMN_CHANGES) and (app_label, op.model_name) in events
        }
        resealed = any(
            isinstance(op, ops.RunPython) and isinstance(getattr(op.code, "__self__", None),
                                                         _Reseal)
            for op in migration.operations
        )
        if touched and not resealed:
            unsealed.append(f"{app_label}.{name}: {', '.join(sorted(touched))}")
    assert unsealed == [], unsealed
