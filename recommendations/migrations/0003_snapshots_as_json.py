"""Draft-plan snapshots as `json` (text kept verbatim) instead of `jsonb`.

`SnapshotJSONField.db_type` changed; the autodetector compares field definitions, not
database types, so the column change is spelled out here.
"""

from django.db import migrations

TABLE = "recommendations_draftplan"


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0002_snapshot_json_insert")]

    operations = [
        migrations.RunSQL(
            sql=[
                f'ALTER TABLE {TABLE} ALTER COLUMN "facts" TYPE json USING "facts"::json',
                f'ALTER TABLE {TABLE} ALTER COLUMN "output" TYPE json USING "output"::json',
            ],
            reverse_sql=[
                f'ALTER TABLE {TABLE} ALTER COLUMN "facts" TYPE jsonb USING "facts"::jsonb',
                f'ALTER TABLE {TABLE} ALTER COLUMN "output" TYPE jsonb USING "output"::jsonb',
            ],
        ),
    ]
