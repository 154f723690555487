"""Existing decisions' items become typed actions (issue #11), best effort.

Each accepted, modified or added item gets the action its engine code maps to
(`recommendations.actions.action_for_item`, dated from the decision's recording day);
unknown codes and board-added items become "other" actions in their own words, which
schedule nothing. Rejected items get no action. The decisions keep `content_format` 1,
so their signed hash covers exactly what was signed and still verifies. The latest
signed version of each case gets its follow-up rows (planned). The counts are printed.

Signed items are immutable (a PostgreSQL trigger): this one migration is let through
with pgtrigger's ignore, for these rows only.
"""

import pgtrigger
from django.db import migrations

from cases.actions import action_summary, other_action
from recommendations.actions import MAPPING, action_for_item


def _items_to_actions(apps, schema_editor):
    DecisionItem = apps.get_model("cases", "DecisionItem")
    Decision = apps.get_model("cases", "Decision")
    ActionFollowUp = apps.get_model("reminders", "ActionFollowUp")
    counts = {"mapped": 0, "other": 0, "rejected": 0, "follow_ups": 0}
    with pgtrigger.ignore("cases.DecisionItem:signed_decision_items_are_immutable"):
        for item in DecisionItem.objects.select_related("decision").iterator():
            if item.verdict == "rejected":
                counts["rejected"] += 1
                continue
            on = item.decision.recorded_at.date()
            if item.code in MAPPING:
                action = action_for_item(code=item.code, detail=item.draft_detail,
                                         title=item.title, on=on)
            else:
                action = other_action(item.detail or item.title)
            counts["other" if action["kind"] == "other" else "mapped"] += 1
            item.action, item.action_kind = action, action["kind"]
            item.save(update_fields=["action", "action_kind"])
    amended = set(Decision.objects.filter(amends__isnull=False, signed_at__isnull=False)
                  .values_list("amends_id", flat=True))
    for decision in Decision.objects.filter(signed_at__isnull=False).select_related(
            "agenda_item__meeting"):
        if decision.pk in amended:
            continue
        signed_on = decision.signed_at.date()
        for item in DecisionItem.objects.filter(decision=decision).exclude(action_kind=""):
            ActionFollowUp.objects.get_or_create(decision_item=item, defaults=dict(
                decision=decision, agenda_item_id=decision.agenda_item_id,
                board_id=decision.agenda_item.meeting.board_id,
                patient_id=decision.agenda_item.patient_id, kind=item.action_kind,
                summary=action_summary(item.action)[:600], due_on=signed_on,
                signed_on=signed_on,
            ))
            counts["follow_ups"] += 1
    if any(counts.values()):
        print(f"\n  decision items → actions: {counts['mapped']} mapped, {counts['other']} "
              f"as 'other', {counts['rejected']} rejected (no action); "
              f"{counts['follow_ups']} follow-up rows")


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0011_decision_actions"),
        ("reminders", "0005_action_follow_up"),
    ]

    operations = [migrations.RunPython(_items_to_actions, migrations.RunPython.noop)]
