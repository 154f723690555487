"""Pages of the recommendation side: the rules catalogue a clinician can audit."""

from __future__ import annotations

from collections import OrderedDict

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from recommendations.engine import ENGINE_VERSION
from recommendations.engine.catalogue import rule_counts_by_section
from recommendations.engine.io import catalogue_to_json


@login_required
def rules_catalogue(request):
    """Every rule the engine knows, by section: what it checks, its sources (primary
    and secondary marked), and the codes it can put in a draft plan."""
    sections: OrderedDict[str, list[dict]] = OrderedDict()
    for rule in catalogue_to_json():
        sections.setdefault(rule["section"], []).append(rule)
    return render(request, "recommendations/rules.html", {
        "sections": sections,
        "counts": rule_counts_by_section(),
        "rule_total": sum(len(rules) for rules in sections.values()),
        "engine_version": ENGINE_VERSION,
    })
