"""The engine's scores for stored rows: SINS / Mirels of a lesion, the creatinine
clearance of a lab value.

Scores are never stored: the API and the pages show what `recommendations.engine.scores`
computes from the raw findings now, so a corrected finding corrects the score.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from cases.choices import LabAnalyte
from cases.models import LabResult, Lesion, Patient
from recommendations.engine import facts as engine_facts
from recommendations.engine import scores as s
from recommendations.selectors import lesion_facts


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
    # The same mapping the draft plans use, so the API and the draft agree.
    facts = lesion_facts(lesion)
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


def creatinine_clearance(*, patient: Patient, lab: LabResult, day: date) -> float | None:
    """Cockcroft–Gault (CRCL-01) of one creatinine value in mL/min, with the patient's
    age on `day` and today's weight: the trend shows how renal function moved, the draft
    uses the dated values it needs. None without a weight or for another analyte."""
    if lab.analyte != LabAnalyte.CREATININE or not patient.weight_kg or lab.value <= 0:
        return None
    clearance = s.cockcroft_gault(
        age_years=patient.age_on(day), weight_kg=float(patient.weight_kg),
        sex=engine_facts.Sex(patient.sex),
        creatinine=engine_facts.LabResult(
            analyte=engine_facts.LabAnalyte.CREATININE, value=float(lab.value),
            unit=engine_facts.LabUnit(lab.unit), taken_at=day),
    )
    return clearance.value_ml_min
