"""Decisions signed before keyed signatures existed get their MAC now (issue #13), so
they keep verifying (issue #11: no signed content changes).

Such a decision carries only the SHA-256 of its content, which anyone who rewrites the
row can recompute. At this upgrade the operator holds the signing key: each one whose
content still matches its hash is sealed with the current key, which attests "unchanged
since signing as far as the hash shows, and unchanged from this upgrade on". One whose
content no longer matches is left without a MAC, so it does not verify (`audit_verify`
and /verify/ say so). Both counts are printed.

Signed decisions are immutable (a PostgreSQL trigger): this migration, run by the owner
role, is let through with pgtrigger's ignore for these two columns of these rows only.
"""

import hashlib

import pgtrigger
from django.db import migrations

from cases import signing
from cases.services import decision_canonical_content


def _seal(apps, schema_editor):
    Decision = apps.get_model("cases", "Decision")
    sealed = mismatched = 0
    legacy = Decision.objects.filter(signed_at__isnull=False, signature="").select_related(
        "agenda_item")
    with pgtrigger.ignore("cases.Decision:signed_decision_is_immutable"):
        for decision in legacy.iterator():
            content = decision_canonical_content(decision).encode("utf-8")
            if hashlib.sha256(content).hexdigest() != decision.content_sha256:
                mismatched += 1
                continue
            decision.signature_key_id, decision.signature = signing.mac(content)
            decision.save(update_fields=["signature_key_id", "signature"])
            sealed += 1
    if sealed or mismatched:
        print(f"\n  decisions signed before keyed signatures: {sealed} sealed with the "
              f"current key, {mismatched} left unsealed (content no longer matches its hash)")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0012_decision_audit_covers_content_format"),
        ("reminders", "0006_decision_items_to_actions"),
    ]

    operations = [migrations.RunPython(_seal, migrations.RunPython.noop)]
