"""What an agenda row shows of each draft, in a small column of its own, filled for the
drafts already stored from their snapshots (the same keys `DraftPlan.agenda_summary_of`
writes for new ones). The snapshots are `json`, so `->` returns `json`: cast to jsonb."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('recommendations', '0005_draftplan_facts_version'),
    ]

    operations = [
        migrations.AddField(
            model_name='draftplan',
            name='agenda_summary',
            field=models.JSONField(default=dict),
        ),
        migrations.RunSQL(
            """
            UPDATE recommendations_draftplan SET agenda_summary = jsonb_build_object(
                'urgency', COALESCE(output->>'urgency', 'routine'),
                'missing_data', COALESCE((output->'missing_data')::jsonb, '[]'::jsonb),
                'scores', COALESCE((output->'scores')::jsonb, '{}'::jsonb),
                'required_specialties',
                    COALESCE((output->'required_specialties')::jsonb, '[]'::jsonb),
                'lesions', COALESCE((facts->'lesions')::jsonb, '[]'::jsonb)
            )
            """,
            migrations.RunSQL.noop,
        ),
    ]
