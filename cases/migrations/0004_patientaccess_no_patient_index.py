# The read audit's own index on patient_id duplicated the leading column of the
# (patient, -at) index; every audited read paid for maintaining both. Only the index is
# dropped: the foreign key constraint stays as it is (Django's AlterField would drop and
# re-add it, re-validating every row of the audit table under a lock).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0003_engine_facts'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='patientaccess',
                    name='patient',
                    field=models.ForeignKey(
                        db_index=False, on_delete=django.db.models.deletion.PROTECT,
                        related_name='accesses', to='cases.patient'),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    'DROP INDEX IF EXISTS "cases_patientaccess_patient_id_a63bf0e6"',
                    reverse_sql='CREATE INDEX IF NOT EXISTS '
                                '"cases_patientaccess_patient_id_a63bf0e6" '
                                'ON "cases_patientaccess" ("patient_id")',
                ),
            ],
        ),
    ]
