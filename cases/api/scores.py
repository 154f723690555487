"""Adapter from a stored lesion to the recommendation engine's scores.

Scores are never stored: the API shows what `recommendations.engine.scores` computes
from the raw findings now, so a corrected finding corrects the score. The engine is
pure Python (no Django), so reading it from here creates no cycle between the apps;
it is imported lazily to keep `cases` importable on its own.
"""

from __future__ import annotations

from typing import Any

from cases.models import Lesion


def _opt(enum, value):
    return enum(value) if value not in (None, "") else None


def _float(value) -> float | None:
    return float(value) if value is not None else None


def engine_lesion(lesion: Lesion):
    """The engine's `Lesion` facts for one stored lesion (1:1 field mapping)."""
    from recommendations.engine import facts as f

    return f.Lesion(
        id=str(lesion.pk),
        bone=f.Bone(lesion.bone),
        label=lesion.site_label or None,
        vertebral_level=_opt(f.VertebralLevel, lesion.vertebral_level),
        long_bone_segment=_opt(f.LongBoneSegment, lesion.long_bone_segment),
        laterality=_opt(f.Laterality, lesion.laterality),
        lesion_type=_opt(f.LesionType, lesion.lesion_type),
        painful=lesion.painful,
        spinal_pain=_opt(f.SpinalPain, lesion.spinal_pain),
        alignment=_opt(f.Alignment, lesion.alignment),
        collapse_percent=_float(lesion.collapse_percent),
        body_involvement_percent=_float(lesion.body_involvement_percent),
        posterolateral=_opt(f.PosterolateralInvolvement, lesion.posterolateral),
        limb_pain=_opt(f.LimbPain, lesion.limb_pain),
        cortical_involvement=_opt(f.CorticalInvolvement, lesion.cortical_involvement),
        soft_tissue_mass=lesion.soft_tissue_mass,
        epidural_extension=lesion.epidural_extension,
        pathological_fracture=lesion.pathological_fracture,
        prior_rt_dose_gy=_float(lesion.prior_rt_dose_gy),
        prior_rt_fractions=lesion.prior_rt_fractions,
        prior_rt_date=lesion.prior_rt_on,
        bone_scan_uptake=lesion.bone_scan_uptake,
    )


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
