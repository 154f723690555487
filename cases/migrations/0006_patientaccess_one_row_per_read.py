"""Read audit: one `PatientAccess` row per read (request) with the IDs of every patient
it showed, instead of one row per patient (see the model's docstring for the figures).

Existing rows are kept, each as a read of its one patient; the GIN index on the IDs
replaces the (patient, -at) index, and a BRIN index replaces the b-tree on `at`.
"""

import django.contrib.postgres.fields
import django.contrib.postgres.indexes
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0005_patientaccess_no_fk_locks'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='patientaccess',
            options={'ordering': ['-id']},
        ),
        migrations.AddField(
            model_name='patientaccess',
            name='patient_ids',
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.BigIntegerField(), default=list, size=None,
                help_text='Every patient shown.'),
            preserve_default=False,
        ),
        migrations.RunSQL(
            "UPDATE cases_patientaccess SET patient_ids = ARRAY[patient_id]",
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.RemoveIndex(
            model_name='patientaccess',
            name='cases_patie_patient_9af487_idx',
        ),
        migrations.RemoveField(
            model_name='patientaccess',
            name='patient',
        ),
        migrations.AlterField(
            model_name='patientaccess',
            name='at',
            field=models.DateTimeField(auto_now_add=True),
        ),
        migrations.AddIndex(
            model_name='patientaccess',
            index=django.contrib.postgres.indexes.GinIndex(
                fields=['patient_ids'], name='cases_access_patient_ids_gin'),
        ),
        migrations.AddIndex(
            model_name='patientaccess',
            index=django.contrib.postgres.indexes.BrinIndex(
                autosummarize=True, fields=['at'], name='cases_access_at_brin'),
        ),
    ]
