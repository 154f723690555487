"""Pages of the recommendation side: the rules catalogue a clinician can audit."""

from __future__ import annotations

from collections import OrderedDict

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from recommendations.engine import ENGINE_VERSION
from recommendations.engine.io import catalogue_to_json

#: The rules reference's section names, for headings.
SECTION_LABELS = {
    "scores": "Scores: SINS, Mirels, renal function",
    "assessment": "Assessment and imaging",
    "mscc": "Spinal cord compression (MSCC)",
    "surgery": "Surgery and interventional radiology",
    "radiotherapy": "Radiotherapy",
    "bta": "Bone-targeted agents",
    "radioisotopes": "Radioisotopes",
    "systemic": "Systemic therapy",
    "pitfalls": "Pitfalls",
    "follow_up": "Follow-up",
    "quorum": "Who should be at the table",
}


@login_required
def rules_catalogue(request):
    """Every rule the engine knows, by section: what it checks, its sources (primary
    and secondary marked), and the codes it can put in a draft plan."""
    sections: OrderedDict[tuple[str, str], list[dict]] = OrderedDict()
    for rule in catalogue_to_json():
        key = (rule["section"], SECTION_LABELS.get(rule["section"], rule["section"]))
        sections.setdefault(key, []).append(rule)
    return render(request, "recommendations/rules.html", {
        "sections": sections,
        "rule_total": sum(len(rules) for rules in sections.values()),
        "engine_version": ENGINE_VERSION,
    })
