"""Adapter from a stored lesion to the recommendation engine's scores.

Scores are never stored: the API shows what `recommendations.engine.scores` computes
from the raw findings now, so a corrected finding corrects the score. The engine is
pure Python (no Django), so reading it from here creates no cycle between the apps;
it is imported lazily to keep `cases` importable on its own.
"""

from __future__ import annotations

from typing import Any

from cases.models import Lesion


def engine_lesion(lesion: Lesion):
    """The engine's `Lesion` facts for one stored lesion: the same mapping the draft
    plans use (`recommendations.selectors.lesion_facts`)."""
    from recommendations.selectors import lesion_facts

    return lesion_facts(lesion)


def _components(result) -> list[dict[str, Any]]:
    return [
        {"name": c.name, "rule_id": c.rule_id, "field": c.field, "finding": c.finding,
         "min_points": c.min_points, "max_points": c.max_points, "status": str(c.status)}
        for c in result.components
    ]


def lesion_scores(lesion: Lesion) -> dict[str, Any]:
    """{"sins": … or None, "mirels": … or None} for a stored lesion.

    A total is given only when every component is known; otherwise `total` is None
    and `total_min`/`total_max` give the range (SINS-08), with the missing fields named.
    """
    from recommendations.engine import scores as s

    facts = engine_lesion(lesion)
    sins = mirels = None
    if facts.is_spinal:
        r = s.sins_score(facts)
        sins = {
            "total": r.total, "total_min": r.total_min, "total_max": r.total_max,
            "category": str(r.category) if r.category else None,
            "category_min": str(r.category_min), "category_max": str(r.category_max),
            "missing": list(r.missing), "undefined": list(r.undefined),
            "rule_ids": list(r.rule_ids), "text": r.describe(),
            "components": _components(r),
        }
    if facts.is_long_bone:
        r = s.mirels_score(facts)
        mirels = {
            "total": r.total, "total_min": r.total_min, "total_max": r.total_max,
            "category": str(r.category) if r.category else None,
            "missing": list(r.missing), "undefined": [],
            "rule_ids": list(r.rule_ids), "text": r.describe(),
            "components": _components(r),
        }
    return {"sins": sins, "mirels": mirels}
