"""The audit chain can record a re-seal: a link, naming a schema migration, for a sealed
row that the migration rewrote while it was intact (cases.audit_chain.reseal_around).
A row is still sealed once as written; re-seal links are the only second links."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('cases', '0025_board_audited'),
    ]

    operations = [
        migrations.AddField(
            model_name='auditchainlink',
            name='reseal_reason',
            field=models.CharField(blank=True, help_text='Empty for a row sealed as it was written. A re-seal link names the schema migration that rewrote an intact sealed row (cases.audit_chain.reseal_around); its MAC covers the reason.', max_length=200),
        ),
        migrations.RemoveConstraint(
            model_name='auditchainlink',
            name='audit_row_sealed_once',
        ),
        migrations.AddConstraint(
            model_name='auditchainlink',
            constraint=models.UniqueConstraint(condition=models.Q(('reseal_reason', '')), fields=('source', 'row_id'), name='audit_row_sealed_once'),
        ),
    ]
