"""Breast primaries: the one combined receptor phenotype becomes two facts, hormone-
receptor (ER/PR) status and HER2 status (issue #12). The combined value could record
neither HR-positive, HER2-positive disease nor the hormone-receptor status of a
HER2-positive cancer.

Each old value maps to the pair it stated, and nothing more: "HER2+" said nothing of the
hormone receptors, so they become "not known" (the engine then asks for them). The
history rows (the event table) are mapped the same way, so the record's past reads in
the new terms instead of losing the column. Backwards, a pair maps to the old value only
when that value states exactly it; a pair the old vocabulary cannot hold without
claiming a result nobody recorded (HR+ with HER2 not known, HR− with HER2 not known …)
becomes "unknown", and HR+/HER2+ becomes "HER2+" (which is what the old value could say
of it).
"""

import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations, models

from cases.audit_chain import reseal_around

# The history rows gain two columns, lose one and are mapped: without a re-seal every
# sealed PrimaryCancerEvent row would read as tampered with (audit_verify).
CHECK_INTACT, RESEAL = reseal_around(
    ["cases.PrimaryCancerEvent"],
    "cases 0027: receptor status split into hormone-receptor and HER2 status",
)

POSITIVE, NEGATIVE, UNKNOWN = "positive", "negative", "unknown"

#: Old combined value → (hormone-receptor status, HER2 status). "" stays "" (not recorded).
FORWARD = {
    "hr+/her2-": (POSITIVE, NEGATIVE),
    "her2+": (UNKNOWN, POSITIVE),
    "triple_negative": (NEGATIVE, NEGATIVE),
    "unknown": (UNKNOWN, UNKNOWN),
    "": ("", ""),
}


def combined_to_pair(receptor_status: str) -> tuple[str, str]:
    """The (hormone-receptor, HER2) status an old combined value states."""
    return FORWARD[receptor_status]


def pair_to_combined(hormone_receptor_status: str, her2_status: str) -> str:
    """The old combined value for a pair: the one that states no more than the pair."""
    if not hormone_receptor_status and not her2_status:
        return ""
    if her2_status == POSITIVE:
        return "her2+"
    if (hormone_receptor_status, her2_status) == (POSITIVE, NEGATIVE):
        return "hr+/her2-"
    if (hormone_receptor_status, her2_status) == (NEGATIVE, NEGATIVE):
        return "triple_negative"
    return "unknown"


#: Every pair a row can hold (either field may be blank on its own).
_PAIRS = [(hr, her2) for hr in ("", POSITIVE, NEGATIVE, UNKNOWN)
          for her2 in ("", POSITIVE, NEGATIVE, UNKNOWN)]


def split_receptor_status(apps, schema_editor):
    # One UPDATE per old value and table, not one per row.
    for name in ("PrimaryCancer", "PrimaryCancerEvent"):
        rows = apps.get_model("cases", name).objects
        for old, (hr, her2) in FORWARD.items():
            if old:
                rows.filter(receptor_status=old).update(
                    hormone_receptor_status=hr, her2_status=her2)


def combine_receptor_status(apps, schema_editor):
    for name in ("PrimaryCancer", "PrimaryCancerEvent"):
        rows = apps.get_model("cases", name).objects
        for hr, her2 in _PAIRS:
            old = pair_to_combined(hr, her2)
            if old:
                rows.filter(hormone_receptor_status=hr, her2_status=her2).update(
                    receptor_status=old)


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0026_audit_chain_reseal_links'),
    ]

    operations = [
        CHECK_INTACT,
        pgtrigger.migrations.RemoveTrigger(
            model_name='primarycancer',
            name='insert_insert',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='primarycancer',
            name='update_update',
        ),
        pgtrigger.migrations.RemoveTrigger(
            model_name='primarycancer',
            name='delete_delete',
        ),
        migrations.AddField(
            model_name='primarycancer',
            name='her2_status',
            field=models.CharField(blank=True, choices=[('positive', 'Positive'), ('negative', 'Negative'), ('unknown', 'Not known')], help_text='Breast only. An IHC 2+ awaiting ISH is not known yet.', max_length=8, verbose_name='HER2'),
        ),
        migrations.AddField(
            model_name='primarycancer',
            name='hormone_receptor_status',
            field=models.CharField(blank=True, choices=[('positive', 'Positive'), ('negative', 'Negative'), ('unknown', 'Not known')], help_text='Breast only. Positive if ER or PR is positive (1 % or more).', max_length=8, verbose_name='hormone receptors (ER/PR)'),
        ),
        migrations.AddField(
            model_name='primarycancerevent',
            name='her2_status',
            field=models.CharField(blank=True, choices=[('positive', 'Positive'), ('negative', 'Negative'), ('unknown', 'Not known')], help_text='Breast only. An IHC 2+ awaiting ISH is not known yet.', max_length=8, verbose_name='HER2'),
        ),
        migrations.AddField(
            model_name='primarycancerevent',
            name='hormone_receptor_status',
            field=models.CharField(blank=True, choices=[('positive', 'Positive'), ('negative', 'Negative'), ('unknown', 'Not known')], help_text='Breast only. Positive if ER or PR is positive (1 % or more).', max_length=8, verbose_name='hormone receptors (ER/PR)'),
        ),
        migrations.RunPython(split_receptor_status, combine_receptor_status),
        migrations.RemoveField(
            model_name='primarycancer',
            name='receptor_status',
        ),
        migrations.RemoveField(
            model_name='primarycancerevent',
            name='receptor_status',
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='primarycancer',
            trigger=pgtrigger.compiler.Trigger(name='insert_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "cases_primarycancerevent" ("castration_status", "diagnosed_on", "her2_status", "histology", "hormone_receptor_status", "id", "patient_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "prior_mcrpc_lines", "site") VALUES (NEW."castration_status", NEW."diagnosed_on", NEW."her2_status", NEW."histology", NEW."hormone_receptor_status", NEW."id", NEW."patient_id", _pgh_attach_context(), NOW(), \'insert\', NEW."id", NEW."prior_mcrpc_lines", NEW."site"); RETURN NULL;', hash='9b1a8b49e912df754ad9b8b5ea306beebcdce052', operation='INSERT', pgid='pgtrigger_insert_insert_cc2fe', table='cases_primarycancer', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='primarycancer',
            trigger=pgtrigger.compiler.Trigger(name='update_update', sql=pgtrigger.compiler.UpsertTriggerSql(condition='WHEN (OLD.* IS DISTINCT FROM NEW.*)', func='INSERT INTO "cases_primarycancerevent" ("castration_status", "diagnosed_on", "her2_status", "histology", "hormone_receptor_status", "id", "patient_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "prior_mcrpc_lines", "site") VALUES (NEW."castration_status", NEW."diagnosed_on", NEW."her2_status", NEW."histology", NEW."hormone_receptor_status", NEW."id", NEW."patient_id", _pgh_attach_context(), NOW(), \'update\', NEW."id", NEW."prior_mcrpc_lines", NEW."site"); RETURN NULL;', hash='fac23d62783a6ad40b6a45ec7af1da28023f65f4', operation='UPDATE', pgid='pgtrigger_update_update_1640e', table='cases_primarycancer', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='primarycancer',
            trigger=pgtrigger.compiler.Trigger(name='delete_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='INSERT INTO "cases_primarycancerevent" ("castration_status", "diagnosed_on", "her2_status", "histology", "hormone_receptor_status", "id", "patient_id", "pgh_context_id", "pgh_created_at", "pgh_label", "pgh_obj_id", "prior_mcrpc_lines", "site") VALUES (OLD."castration_status", OLD."diagnosed_on", OLD."her2_status", OLD."histology", OLD."hormone_receptor_status", OLD."id", OLD."patient_id", _pgh_attach_context(), NOW(), \'delete\', OLD."id", OLD."prior_mcrpc_lines", OLD."site"); RETURN NULL;', hash='9dbf86225bafcaebd1da4c37add28682d7fbb453', operation='DELETE', pgid='pgtrigger_delete_delete_2511e', table='cases_primarycancer', when='AFTER')),
        ),
        RESEAL,
    ]

