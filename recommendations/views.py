"""Pages of the recommendation side: the rules catalogue a clinician can audit."""

from __future__ import annotations

from collections import OrderedDict

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from recommendations import vocabulary
from recommendations.engine import ENGINE_VERSION
from recommendations.engine.io import catalogue_to_json


@login_required
def rules_catalogue(request):
    """Every rule the engine knows, by section: what it checks, its sources (primary
    and secondary marked), and the codes it can put in a draft plan."""
    sections: OrderedDict[tuple[str, str], list[dict]] = OrderedDict()
    for rule in catalogue_to_json():
        key = (rule["section"], vocabulary.SECTION_LABELS.get(rule["section"], "Other rules"))
        for code in rule["codes"]:
            code["kind_label"] = vocabulary.CODE_KIND_LABELS.get(code["kind"], "")
            code["severity_label"] = vocabulary.SEVERITY_LABELS.get(code["severity"] or "", "")
            code["detail_labels"] = [vocabulary.DETAIL_LABELS.get(k, "detail")
                                     for k in code["detail_keys"]]
            code["meaning"] = vocabulary.plain_text(code["meaning"])
        rule["checks"] = vocabulary.plain_text(rule["checks"])
        rule["references"], rule["statements"] = vocabulary.source_lines(rule["sources"])
        sections.setdefault(key, []).append(rule)
    return render(request, "recommendations/rules.html", {
        "sections": sections,
        "rule_total": sum(len(rules) for rules in sections.values()),
        "engine_version": ENGINE_VERSION,
    })
