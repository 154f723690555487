"""A draft plan as the pages show it.

Reads only the `DraftPlan.output` JSON (`recommendations.engine.io.plan_to_json`) and
reshapes it for templates: scores are the engine's, never recomputed here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from cases.choices import Specialty

_SUPPLIER_LABELS = {
    "radiology": "Radiology",
    "medical_oncology": "Medical oncology",
    "radiation_oncology": "Radiation oncology",
    "nursing": "Nursing",
    "laboratory": "Laboratory",
    "dentistry": "Dentistry",
    "surgery": "Surgery",
    "nuclear_medicine": "Nuclear medicine",
    "coordination": "MDT coordination",
}
_URGENCY_LABELS = {
    "emergency": "Urgent — do not wait for the next meeting",
    "before_next_meeting": "Before the next meeting",
    "routine": "Routine",
}
_SEVERITY_ORDER = {"contraindication": 0, "warning": 1, "caution": 2, "info": 3}
_SINS_CATEGORY_LABELS = {
    "stable": "Stable",
    "potentially_unstable": "Potentially unstable",
    "unstable": "Unstable",
}
_MIRELS_CATEGORY_LABELS = {"low": "Low risk", "borderline": "Borderline", "high": "High risk"}


def specialty_label(value: str) -> str:
    try:
        return Specialty(value).label
    except ValueError:
        return value.replace("_", " ").capitalize()


#: Plain words for the engine's fact paths a coordinator chases most often.
_FIELD_LABELS = {
    "ecog": "ECOG performance status",
    "pain.worst_nrs": "worst pain score (NRS 0–10)",
    "pain.uncontrolled": "whether pain is controlled",
    "baseline_creatinine": "creatinine before the first zoledronic acid dose",
    "primary.prior_mcrpc_lines": "number of prior mCRPC treatment lines",
    "primary.castration_status": "castration status",
    "primary.receptor_status": "receptor status",
    "bone_disease_extent": "extent of bone disease (oligometastatic or multiple)",
    "expected_survival": "expected survival",
    "patient.weight_kg": "current weight",
    "dental.last_exam_date": "date of the last dental examination",
    "neurology.deficit": "neurological examination",
}


def _humanise_field(path: str) -> str:
    """`lesions.0.collapse_percent` → "collapse percent" (the lesion is named apart);
    `labs.creatinine` → "creatinine (lab)"."""
    if path in _FIELD_LABELS:
        return _FIELD_LABELS[path]
    parts = path.split(".")
    if parts[0] == "lesions" and len(parts) >= 3:
        return " ".join(parts[2:]).replace("_", " ")
    if parts[0] == "labs" and len(parts) == 2:
        return f"{parts[1].replace('_', ' ')} (lab value)"
    return " — ".join(p.replace("_", " ") for p in parts)


@dataclass
class Score:
    """One lesion's SINS or Mirels as the engine computed it."""

    kind: str  # "sins" | "mirels"
    total_text: str
    total: int | None
    total_min: int
    total_max: int
    category: str  # CSS-safe: stable/potentially_unstable/unstable, low/borderline/high, or ""
    category_label: str
    components: list[dict[str, Any]]
    complete: bool


@dataclass
class DraftView:
    """A draft plan reshaped for templates."""

    draft: Any
    engine_version: str
    as_of: Any
    urgency: str
    urgency_label: str
    items: list[dict[str, Any]]
    flags: list[dict[str, Any]]
    notes: list[dict[str, Any]]
    missing: list[dict[str, Any]]
    required_specialties: list[dict[str, Any]]
    scores_by_lesion: dict[str, list[Score]] = field(default_factory=dict)
    clearance: dict[str, Any] | None = None
    zoledronic_dose: dict[str, Any] | None = None
    facts: dict[str, Any] = field(default_factory=dict)

    @property
    def lesion_scores(self) -> list[tuple[str, Score]]:
        """Every score with the lesion's label from the facts the engine read."""
        labels = _lesion_labels(self.facts)
        return [(labels.get(lesion_id, f"lesion {lesion_id}"), score)
                for lesion_id, scores in self.scores_by_lesion.items() for score in scores]

    @property
    def facts_json(self) -> str:
        return json.dumps(self.facts, indent=2, sort_keys=True, ensure_ascii=False)

    @property
    def is_urgent(self) -> bool:
        return self.urgency == "emergency"

    @property
    def is_ready(self) -> bool:
        return not self.missing


def _lesion_labels(facts: dict[str, Any]) -> dict[str, str]:
    return {str(les.get("id")): les.get("label") or les.get("vertebral_level")
            or les.get("bone", "") for les in facts.get("lesions", []) or []}


def _score(kind: str, raw: dict[str, Any]) -> Score:
    lo, hi = int(raw.get("total_min", 0)), int(raw.get("total_max", 0))
    total = raw.get("total")
    if total is None and lo == hi:
        total = lo
    category = raw.get("category") or ""
    labels = _SINS_CATEGORY_LABELS if kind == "sins" else _MIRELS_CATEGORY_LABELS
    if category:
        category_label = labels.get(category, category)
    else:
        # A range that spans categories: say both ends, never pick one.
        ends = [raw.get("category_min"), raw.get("category_max")]
        category_label = " to ".join(labels.get(e, e) for e in ends if e) or "Incomplete"
    components = []
    for comp in raw.get("components", []):
        lo_c, hi_c = comp.get("min_points"), comp.get("max_points")
        components.append({
            "name": comp.get("name", ""),
            "finding": comp.get("finding", ""),
            "points": lo_c if lo_c == hi_c else f"{lo_c}–{hi_c}",
            "status": comp.get("status", "known"),
            "rule_id": comp.get("rule_id", ""),
            "note": comp.get("note"),
        })
    return Score(
        kind=kind,
        total_text=str(total) if total is not None else f"{lo}–{hi}",
        total=total, total_min=lo, total_max=hi,
        category=category, category_label=category_label,
        components=components, complete=total is not None,
    )


def draft_view(draft) -> DraftView | None:
    """Reshape a `DraftPlan` row (or None) for templates."""
    if draft is None:
        return None
    out: dict[str, Any] = draft.output or {}
    items = []
    for item in out.get("items", []):
        detail = item.get("detail") or {}
        items.append({
            **item,
            "summary": detail.get("summary") or detail.get("text") or "",
            "detail_pairs": [
                (k.replace("_", " "), v) for k, v in detail.items()
                if k not in ("text", "summary") and isinstance(v, str | int | float)
                and not isinstance(v, bool) and v != ""
            ],
            "urgency_label": _URGENCY_LABELS.get(item.get("urgency", ""), item.get("urgency")),
        })
    flags = sorted(out.get("flags", []),
                   key=lambda f: _SEVERITY_ORDER.get(f.get("severity", "info"), 9))
    facts = draft.facts or {}
    labels = _lesion_labels(facts)
    missing = []
    for m in out.get("missing_data", []):
        supplier = m.get("supplied_by") or m.get("who") or ""
        missing.append({
            **m,
            "what": _humanise_field(m.get("field", "")),
            "lesion_label": labels.get(str(m.get("lesion_id"))) if m.get("lesion_id") else "",
            "supplier_label": _SUPPLIER_LABELS.get(supplier, supplier.replace("_", " ")),
        })
    required = [
        {**r, "label": specialty_label(r.get("specialty", ""))}
        for r in out.get("required_specialties", [])
    ]
    computed = out.get("scores") or {}
    scores: dict[str, list[Score]] = {}
    for raw in computed.get("sins", []):
        scores.setdefault(str(raw.get("lesion_id")), []).append(_score("sins", raw))
    for raw in computed.get("mirels", []):
        scores.setdefault(str(raw.get("lesion_id")), []).append(_score("mirels", raw))
    urgency = out.get("urgency") or "routine"
    return DraftView(
        draft=draft,
        engine_version=draft.engine_version,
        as_of=draft.as_of,
        urgency=urgency,
        urgency_label=_URGENCY_LABELS.get(urgency, urgency),
        items=items,
        flags=flags,
        notes=out.get("notes", []),
        missing=missing,
        required_specialties=required,
        scores_by_lesion=scores,
        clearance=computed.get("creatinine_clearance"),
        zoledronic_dose=computed.get("zoledronic_dose"),
        facts=facts,
    )
