"""The facts version of every patient, bumped by triggers on the tables the engine reads
(cases.models._facts_version); existing patients start at version 1."""

import django.db.models.deletion
import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0006_patientaccess_one_row_per_read'),
    ]

    operations = [
        migrations.CreateModel(
            name='PatientFactsVersion',
            fields=[
                ('patient', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='facts_version', serialize=False, to='cases.patient')),
                ('version', models.BigIntegerField(default=1)),
            ],
            options={
                'db_table': 'cases_patientfactsversion',
            },
        ),
        migrations.RunSQL(
            "INSERT INTO cases_patientfactsversion (patient_id, version) "
            "SELECT id, 1 FROM cases_patient",
            reverse_sql=migrations.RunSQL.noop,
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='bonetargetedagentcourse',
            trigger=pgtrigger.compiler.Trigger(name='facts_version_on_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    UPDATE cases_patientfactsversion AS v SET version = v.version + 1\n    WHERE v.patient_id IN (SELECT patient_id FROM new_rows);\n    RETURN NULL;\n', hash='ad18a7d350f98311add379ed80d84f37b59f1696', level='STATEMENT', operation='INSERT', pgid='pgtrigger_facts_version_on_insert_f958c', referencing='REFERENCING NEW TABLE AS new_rows ', table='cases_bonetargetedagentcourse', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='bonetargetedagentcourse',
            trigger=pgtrigger.compiler.Trigger(name='facts_version_on_update', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    UPDATE cases_patientfactsversion AS v SET version = v.version + 1\n    WHERE v.patient_id IN (SELECT patient_id FROM new_rows UNION SELECT patient_id FROM old_rows);\n    RETURN NULL;\n', hash='04aaf69b682cdf2398dc845172a301ae833e12fb', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_facts_version_on_update_09fa9', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='cases_bonetargetedagentcourse', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='bonetargetedagentcourse',
            trigger=pgtrigger.compiler.Trigger(name='facts_version_on_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    UPDATE cases_patientfactsversion AS v SET version = v.version + 1\n    WHERE v.patient_id IN (SELECT patient_id FROM old_rows);\n    RETURN NULL;\n', hash='eca36f8041cc5bf88b8b28ec0dd455c8b3ac2db5', level='STATEMENT', operation='DELETE', pgid='pgtrigger_facts_version_on_delete_0e1f8', referencing='REFERENCING OLD TABLE AS old_rows ', table='cases_bonetargetedagentcourse', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='imagingstudy',
            trigger=pgtrigger.compiler.Trigger(name='facts_version_on_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    UPDATE cases_patientfactsversion AS v SET version = v.version + 1\n    WHERE v.patient_id IN (SELECT patient_id FROM new_rows);\n    RETURN NULL;\n', hash='8870aba412a67806d904987f87943c9bd89894fd', level='STATEMENT', operation='INSERT', pgid='pgtrigger_facts_version_on_insert_834a0', referencing='REFERENCING NEW TABLE AS new_rows ', table='cases_imagingstudy', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='imagingstudy',
            trigger=pgtrigger.compiler.Trigger(name='facts_version_on_update', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    UPDATE cases_patientfactsversion AS v SET version = v.version + 1\n    WHERE v.patient_id IN (SELECT patient_id FROM new_rows UNION SELECT patient_id FROM old_rows);\n    RETURN NULL;\n', hash='8ddd4a75a51613c13aa4d7f5a714f5e8e6b041e5', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_facts_version_on_update_73a4e', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='cases_imagingstudy', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='imagingstudy',
            trigger=pgtrigger.compiler.Trigger(name='facts_version_on_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    UPDATE cases_patientfactsversion AS v SET version = v.version + 1\n    WHERE v.patient_id IN (SELECT patient_id FROM old_rows);\n    RETURN NULL;\n', hash='e9e0c20cfb7ece37e757a33b73d46c8982066208', level='STATEMENT', operation='DELETE', pgid='pgtrigger_facts_version_on_delete_3c947', referencing='REFERENCING OLD TABLE AS old_rows ', table='cases_imagingstudy', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='labresult',
            trigger=pgtrigger.compiler.Trigger(name='facts_version_on_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    UPDATE cases_patientfactsversion AS v SET version = v.version + 1\n    WHERE v.patient_id IN (SELECT patient_id FROM new_rows);\n    RETURN NULL;\n', hash='30a505c900a69261717236e2967d858eec97f9fc', level='STATEMENT', operation='INSERT', pgid='pgtrigger_facts_version_on_insert_0a418', referencing='REFERENCING NEW TABLE AS new_rows ', table='cases_labresult', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='labresult',
            trigger=pgtrigger.compiler.Trigger(name='facts_version_on_update', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    UPDATE cases_patientfactsversion AS v SET version = v.version + 1\n    WHERE v.patient_id IN (SELECT patient_id FROM new_rows UNION SELECT patient_id FROM old_rows);\n    RETURN NULL;\n', hash='bc9bd7068f0a8192f36e0cc91f56da4f708319cb', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_facts_version_on_update_06675', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='cases_labresult', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='labresult',
            trigger=pgtrigger.compiler.Trigger(name='facts_version_on_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    UPDATE cases_patientfactsversion AS v SET version = v.version + 1\n    WHERE v.patient_id IN (SELECT patient_id FROM old_rows);\n    RETURN NULL;\n', hash='a4a688ee40d5da1b0cfe89b62326da49b9390d68', level='STATEMENT', operation='DELETE', pgid='pgtrigger_facts_version_on_delete_4d80e', referencing='REFERENCING OLD TABLE AS old_rows ', table='cases_labresult', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='lesion',
            trigger=pgtrigger.compiler.Trigger(name='facts_version_on_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    UPDATE cases_patientfactsversion AS v SET version = v.version + 1\n    WHERE v.patient_id IN (SELECT patient_id FROM new_rows);\n    RETURN NULL;\n', hash='691c70c1ef0babf5397d4e333ce5567aa324dacc', level='STATEMENT', operation='INSERT', pgid='pgtrigger_facts_version_on_insert_4f3a8', referencing='REFERENCING NEW TABLE AS new_rows ', table='cases_lesion', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='lesion',
            trigger=pgtrigger.compiler.Trigger(name='facts_version_on_update', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    UPDATE cases_patientfactsversion AS v SET version = v.version + 1\n    WHERE v.patient_id IN (SELECT patient_id FROM new_rows UNION SELECT patient_id FROM old_rows);\n    RETURN NULL;\n', hash='6411704c4f1d319a02e53e65795ad8a92c56f0fd', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_facts_version_on_update_e30d5', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='cases_lesion', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='lesion',
            trigger=pgtrigger.compiler.Trigger(name='facts_version_on_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    UPDATE cases_patientfactsversion AS v SET version = v.version + 1\n    WHERE v.patient_id IN (SELECT patient_id FROM old_rows);\n    RETURN NULL;\n', hash='cd016e4096aeaa679ab8ae4830d8b17698340ee4', level='STATEMENT', operation='DELETE', pgid='pgtrigger_facts_version_on_delete_cb753', referencing='REFERENCING OLD TABLE AS old_rows ', table='cases_lesion', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='patient',
            trigger=pgtrigger.compiler.Trigger(name='facts_version_start', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n                INSERT INTO cases_patientfactsversion (patient_id, version)\n                SELECT id, 1 FROM new_rows;\n                RETURN NULL;\n            ', hash='b1e421aca94b893c06a27ff85114b28dcfd025f5', level='STATEMENT', operation='INSERT', pgid='pgtrigger_facts_version_start_99481', referencing='REFERENCING NEW TABLE AS new_rows ', table='cases_patient', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='patient',
            trigger=pgtrigger.compiler.Trigger(name='facts_version_on_update', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    UPDATE cases_patientfactsversion AS v SET version = v.version + 1\n    WHERE v.patient_id IN (SELECT id FROM new_rows UNION SELECT id FROM old_rows);\n    RETURN NULL;\n', hash='342ac3c251e45eb2429976ba2fff72e29970b83d', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_facts_version_on_update_3e507', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='cases_patient', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='primarycancer',
            trigger=pgtrigger.compiler.Trigger(name='facts_version_on_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    UPDATE cases_patientfactsversion AS v SET version = v.version + 1\n    WHERE v.patient_id IN (SELECT patient_id FROM new_rows);\n    RETURN NULL;\n', hash='f66aa16baf43a270a4dc1ef3f2d43e01a5904813', level='STATEMENT', operation='INSERT', pgid='pgtrigger_facts_version_on_insert_e2f26', referencing='REFERENCING NEW TABLE AS new_rows ', table='cases_primarycancer', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='primarycancer',
            trigger=pgtrigger.compiler.Trigger(name='facts_version_on_update', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    UPDATE cases_patientfactsversion AS v SET version = v.version + 1\n    WHERE v.patient_id IN (SELECT patient_id FROM new_rows UNION SELECT patient_id FROM old_rows);\n    RETURN NULL;\n', hash='8b8837476be84d30f4b3d5209e353ae510666b6f', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_facts_version_on_update_709d1', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='cases_primarycancer', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='primarycancer',
            trigger=pgtrigger.compiler.Trigger(name='facts_version_on_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    UPDATE cases_patientfactsversion AS v SET version = v.version + 1\n    WHERE v.patient_id IN (SELECT patient_id FROM old_rows);\n    RETURN NULL;\n', hash='13d1a46923e79a8e1e24cdeaec4215678daa3a88', level='STATEMENT', operation='DELETE', pgid='pgtrigger_facts_version_on_delete_0b409', referencing='REFERENCING OLD TABLE AS old_rows ', table='cases_primarycancer', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='radioisotopecourse',
            trigger=pgtrigger.compiler.Trigger(name='facts_version_on_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    UPDATE cases_patientfactsversion AS v SET version = v.version + 1\n    WHERE v.patient_id IN (SELECT patient_id FROM new_rows);\n    RETURN NULL;\n', hash='47e291d09c394be4576c117a321fb01c29a5116c', level='STATEMENT', operation='INSERT', pgid='pgtrigger_facts_version_on_insert_06cc1', referencing='REFERENCING NEW TABLE AS new_rows ', table='cases_radioisotopecourse', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='radioisotopecourse',
            trigger=pgtrigger.compiler.Trigger(name='facts_version_on_update', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    UPDATE cases_patientfactsversion AS v SET version = v.version + 1\n    WHERE v.patient_id IN (SELECT patient_id FROM new_rows UNION SELECT patient_id FROM old_rows);\n    RETURN NULL;\n', hash='581aab073f3170a71a3617d177855e440eb06504', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_facts_version_on_update_cea86', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='cases_radioisotopecourse', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='radioisotopecourse',
            trigger=pgtrigger.compiler.Trigger(name='facts_version_on_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    UPDATE cases_patientfactsversion AS v SET version = v.version + 1\n    WHERE v.patient_id IN (SELECT patient_id FROM old_rows);\n    RETURN NULL;\n', hash='7e8b647fb6b0374a5ca77c413b29a83e35f17259', level='STATEMENT', operation='DELETE', pgid='pgtrigger_facts_version_on_delete_4c953', referencing='REFERENCING OLD TABLE AS old_rows ', table='cases_radioisotopecourse', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='radiotherapycourse',
            trigger=pgtrigger.compiler.Trigger(name='facts_version_on_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    UPDATE cases_patientfactsversion AS v SET version = v.version + 1\n    WHERE v.patient_id IN (SELECT patient_id FROM new_rows);\n    RETURN NULL;\n', hash='3cd98e2faefb4b42f93462e38a18ffa1a0ce6e56', level='STATEMENT', operation='INSERT', pgid='pgtrigger_facts_version_on_insert_fdd30', referencing='REFERENCING NEW TABLE AS new_rows ', table='cases_radiotherapycourse', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='radiotherapycourse',
            trigger=pgtrigger.compiler.Trigger(name='facts_version_on_update', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    UPDATE cases_patientfactsversion AS v SET version = v.version + 1\n    WHERE v.patient_id IN (SELECT patient_id FROM new_rows UNION SELECT patient_id FROM old_rows);\n    RETURN NULL;\n', hash='d1cafd18662e7b0d56f7d088f6093e27368f35cd', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_facts_version_on_update_98b8d', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='cases_radiotherapycourse', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='radiotherapycourse',
            trigger=pgtrigger.compiler.Trigger(name='facts_version_on_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    UPDATE cases_patientfactsversion AS v SET version = v.version + 1\n    WHERE v.patient_id IN (SELECT patient_id FROM old_rows);\n    RETURN NULL;\n', hash='2ad044ee18c170e0846f9fda6e12053057e83d8c', level='STATEMENT', operation='DELETE', pgid='pgtrigger_facts_version_on_delete_2d373', referencing='REFERENCING OLD TABLE AS old_rows ', table='cases_radiotherapycourse', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='surgicalprocedure',
            trigger=pgtrigger.compiler.Trigger(name='facts_version_on_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    UPDATE cases_patientfactsversion AS v SET version = v.version + 1\n    WHERE v.patient_id IN (SELECT patient_id FROM new_rows);\n    RETURN NULL;\n', hash='d402a52d880caffc6ede4eeb976dab2b5ba67567', level='STATEMENT', operation='INSERT', pgid='pgtrigger_facts_version_on_insert_17872', referencing='REFERENCING NEW TABLE AS new_rows ', table='cases_surgicalprocedure', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='surgicalprocedure',
            trigger=pgtrigger.compiler.Trigger(name='facts_version_on_update', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    UPDATE cases_patientfactsversion AS v SET version = v.version + 1\n    WHERE v.patient_id IN (SELECT patient_id FROM new_rows UNION SELECT patient_id FROM old_rows);\n    RETURN NULL;\n', hash='60acf9878ad24510622e9269802efa4e5613765f', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_facts_version_on_update_a6315', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='cases_surgicalprocedure', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='surgicalprocedure',
            trigger=pgtrigger.compiler.Trigger(name='facts_version_on_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    UPDATE cases_patientfactsversion AS v SET version = v.version + 1\n    WHERE v.patient_id IN (SELECT patient_id FROM old_rows);\n    RETURN NULL;\n', hash='1d244675bf6fc8635d6b751288a3c97d4a1f4159', level='STATEMENT', operation='DELETE', pgid='pgtrigger_facts_version_on_delete_01d26', referencing='REFERENCING OLD TABLE AS old_rows ', table='cases_surgicalprocedure', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='systemictherapy',
            trigger=pgtrigger.compiler.Trigger(name='facts_version_on_insert', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    UPDATE cases_patientfactsversion AS v SET version = v.version + 1\n    WHERE v.patient_id IN (SELECT patient_id FROM new_rows);\n    RETURN NULL;\n', hash='6a8efbe04974f2c1501655bb8b81fd1527af65e7', level='STATEMENT', operation='INSERT', pgid='pgtrigger_facts_version_on_insert_2fde3', referencing='REFERENCING NEW TABLE AS new_rows ', table='cases_systemictherapy', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='systemictherapy',
            trigger=pgtrigger.compiler.Trigger(name='facts_version_on_update', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    UPDATE cases_patientfactsversion AS v SET version = v.version + 1\n    WHERE v.patient_id IN (SELECT patient_id FROM new_rows UNION SELECT patient_id FROM old_rows);\n    RETURN NULL;\n', hash='c3003e9d7f97409a4f937ce2f9135c2b36d11ce8', level='STATEMENT', operation='UPDATE', pgid='pgtrigger_facts_version_on_update_581db', referencing='REFERENCING OLD TABLE AS old_rows  NEW TABLE AS new_rows ', table='cases_systemictherapy', when='AFTER')),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name='systemictherapy',
            trigger=pgtrigger.compiler.Trigger(name='facts_version_on_delete', sql=pgtrigger.compiler.UpsertTriggerSql(func='\n    UPDATE cases_patientfactsversion AS v SET version = v.version + 1\n    WHERE v.patient_id IN (SELECT patient_id FROM old_rows);\n    RETURN NULL;\n', hash='1e3931aaf8f2af6cf791b1c38f58a356f41d2f71', level='STATEMENT', operation='DELETE', pgid='pgtrigger_facts_version_on_delete_1a412', referencing='REFERENCING OLD TABLE AS old_rows ', table='cases_systemictherapy', when='AFTER')),
        ),
    ]
