"""A draft plan as the pages show it.

Reads only the `DraftPlan.output` JSON (`recommendations.engine.io.plan_to_json`) and
reshapes it for templates: scores are the engine's, never recomputed here. Every word a
person reads comes from `recommendations.vocabulary` (no raw key, enum value or fact path).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from django.urls import reverse

from front.record_forms import CHASE_FIELDS
from recommendations import vocabulary
from recommendations.engine.catalogue import CODES
from recommendations.selectors import DraftSummary

_SEVERITY_ORDER = {"contraindication": 0, "warning": 1, "caution": 2, "info": 3}


def specialty_label(value: str) -> str:
    return vocabulary.specialty_label(value)


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
    #: The findings still missing, in words (the record forms' preview shows them).
    missing_labels: list[str] = field(default_factory=list)


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
    #: How the words were made (lesion labels, creatinine unit), for `facts_sections`.
    words: vocabulary.Context | None = field(default=None, repr=False)

    @cached_property
    def facts_sections(self) -> list[Any]:
        """The facts the engine read, in words (`vocabulary.facts_sections`). Only the
        case review shows them; meeting mode, which reshapes the draft on every save,
        never pays for them."""
        return vocabulary.facts_sections(self.facts, self.words) if self.words else []

    @property
    def lesion_scores(self) -> list[tuple[str, Score]]:
        """Every score with the lesion's label from the facts the engine read."""
        return _labelled_scores(self.scores_by_lesion, _lesion_labels(self.facts))

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


#: Plan codes → their catalogue titles, for details that name another item.
_CODE_TITLES = {code: info.title for code, (info, _rule) in CODES.items()}


def _creatinine_unit(facts: dict[str, Any]) -> str | None:
    """The unit the case's latest creatinine was recorded in (the board's unit)."""
    units = [lab.get("unit") for lab in facts.get("labs") or []
             if lab.get("analyte") == "creatinine" and lab.get("unit")]
    if units:
        return units[-1]
    base = facts.get("baseline_creatinine") or {}
    return base.get("unit")


def score_view(kind: str, raw: dict[str, Any]) -> Score:
    """A score as the engine computed it (a draft's, or `recommendations.scores` of one
    lesion, the record forms' live preview), shaped for `_score.html`."""
    lo, hi = int(raw.get("total_min", 0)), int(raw.get("total_max", 0))
    total = raw.get("total")
    if total is None and lo == hi:
        total = lo
    category = raw.get("category") or ""
    labels = (vocabulary.SINS_CATEGORY_LABELS if kind == "sins"
              else vocabulary.MIRELS_CATEGORY_LABELS)
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


_PATH_INDEX = re.compile(r"^(?P<list>[a-z_]+)\.(?P<index>\d+)(?:\.(?P<field>[a-z_]+))?$")
#: Facts of the patient's identity (the details form) and of the primary cancer.
_IDENTITY_FIELDS = {"patient.sex": "sex", "patient.date_of_birth": "date_of_birth",
                    "patient.age_years": "date_of_birth"}
#: The engine's field of a row → the form's field, where the names differ.
_ROW_FIELDS = {"start": "started_on", "stop": "stopped_on", "end": "ended_on",
               "name": "drug", "first_dose": "first_dose_on", "last_dose": "last_dose_on",
               "prior_rt_date": "prior_rt_on", "lesion_id": "lesion"}


def _fix_url(*, patient_id: int | None, agenda_item_id: int | None, path: str,
             lesion_id: Any = None) -> str:
    """The form and field that supply a missing fact; saving returns to the agenda row
    (`?item=`). "" for a fact no form records (none today: `test_record_forms` checks
    every path the engine can ask for)."""
    if not patient_id or not path:
        return ""
    query = f"?item={agenda_item_id}" if agenda_item_id else ""

    def url(name: str, *args, field_name: str = "", extra: str = "") -> str:
        anchor = f"#id_{field_name}" if field_name else ""
        sep = "&" if query else "?"
        return reverse(name, args=[patient_id, *args]) + query + (
            f"{sep}{extra}" if extra else "") + anchor

    if path in CHASE_FIELDS:
        return url("cases:patient_status_edit", field_name=CHASE_FIELDS[path])
    if path in _IDENTITY_FIELDS:
        return url("cases:patient_details_edit", field_name=_IDENTITY_FIELDS[path])
    if path in ("primary", "primary_site") or path.startswith("primary."):
        field_name = path.partition(".")[2] or "site"
        return url("cases:record_row_new", "primary", field_name=field_name)
    head, _, rest = path.partition(".")
    if head in ("labs", "baseline_creatinine", "baseline_creatinine_date",
                "baseline_creatinine_clearance"):
        if head.startswith("baseline"):
            # The baseline is the creatinine taken on or before the first zoledronic
            # acid dose: the form says so (a fresh value does not answer it).
            return url("cases:record_row_new", "lab", field_name="value",
                       extra="analyte=creatinine&baseline=1")
        analyte = rest.partition(".")[0]
        if analyte and not analyte.isdigit():
            return url("cases:record_row_new", "lab", field_name="value",
                       extra=f"analyte={analyte}")
        return url("cases:record_row_new", "lab", field_name="analyte")
    match = _PATH_INDEX.match(path)
    if head == "lesions":
        field_name = _ROW_FIELDS.get(match["field"], match["field"]) if (
            match and match["field"]) else "bone"
        if lesion_id:
            return url("cases:record_row_edit", "lesion", lesion_id, field_name=field_name)
        return url("cases:record_row_new", "lesion", field_name="bone")
    kind = _KIND_OF_LIST.get(head)
    if kind is None:
        return ""
    if match:
        field_name = _ROW_FIELDS.get(match["field"] or "", match["field"] or "")
        return url("cases:record_row_at", kind, int(match["index"]), field_name=field_name)
    return url("cases:record_row_new", kind)


#: The engine's lists → the record form's kind (`front.views.record.KINDS`).
_KIND_OF_LIST = {"imaging": "imaging", "bone_targeted_agents": "bone-agent",
                 "systemic_therapies": "systemic", "radiotherapy_courses": "radiotherapy",
                 "surgeries": "surgery", "radioisotope_courses": "radioisotope"}


def _missing_rows(missing_data: list[dict[str, Any]], labels: dict[str, str], *,
                  patient_id: int | None, agenda_item_id: int | None) -> list[dict]:
    """The engine's missing-data list as what to chase, from whom, and the form and
    field that fix it."""
    rows = []
    for m in missing_data:
        supplier = m.get("supplied_by") or m.get("who") or ""
        rows.append({
            **m,
            "fix_url": _fix_url(patient_id=patient_id, agenda_item_id=agenda_item_id,
                                path=m.get("field", ""), lesion_id=m.get("lesion_id")),
            "what": vocabulary.field_label(m.get("field", "")),
            "why": vocabulary.plain_text(m.get("why", "")),
            "lesion_label": labels.get(str(m.get("lesion_id"))) if m.get("lesion_id") else "",
            "supplier_label": vocabulary.SUPPLIER_LABELS.get(supplier, "the team"),
        })
    return rows


def _required_rows(required: list[dict[str, Any]]) -> list[dict]:
    return [{**r, "label": specialty_label(r.get("specialty", ""))} for r in required]


def _scores_by_lesion(computed: dict[str, Any]) -> dict[str, list[Score]]:
    scores: dict[str, list[Score]] = {}
    for raw in computed.get("sins", []):
        scores.setdefault(str(raw.get("lesion_id")), []).append(score_view("sins", raw))
    for raw in computed.get("mirels", []):
        scores.setdefault(str(raw.get("lesion_id")), []).append(score_view("mirels", raw))
    return scores


def _labelled_scores(scores_by_lesion: dict[str, list[Score]],
                     labels: dict[str, str]) -> list[tuple[str, Score]]:
    return [(labels.get(lesion_id, "a recorded lesion"), score)
            for lesion_id, scores in scores_by_lesion.items() for score in scores]


@dataclass
class AgendaDraftView:
    """What an agenda row shows of a draft (`recommendations.selectors.DraftSummary`):
    the same words as `DraftView` for the parts the agenda shows.

    The chase list (`missing`) is shaped only when the page renders it: a draft is an
    immutable snapshot, so the agenda keeps each draft's rendered chase list in the
    `fragments` cache by draft id (`cases/agenda.html`), and a row whose list is cached
    never builds it (shaping and rendering 40 chase lists was 40 % of the agenda)."""

    draft_id: int
    agenda_item_id: int
    urgency: str
    flag_count: int
    missing_count: int
    required_specialties: list[dict[str, Any]]
    lesion_scores: list[tuple[str, Score]]
    _summary: DraftSummary
    _labels: dict[str, str]

    @property
    def is_ready(self) -> bool:
        return not self.missing_count

    @cached_property
    def missing(self) -> list[dict[str, Any]]:
        return _missing_rows(self._summary.missing_data, self._labels,
                             patient_id=self._summary.patient_id,
                             agenda_item_id=self.agenda_item_id)


def agenda_draft_view(summary: DraftSummary, *, agenda_item_id: int) -> AgendaDraftView:
    labels = _lesion_labels({"lesions": summary.lesions})
    return AgendaDraftView(
        draft_id=summary.draft_id,
        agenda_item_id=agenda_item_id,
        urgency=summary.urgency,
        flag_count=summary.flag_count,
        missing_count=len(summary.missing_data),
        required_specialties=_required_rows(summary.required_specialties),
        lesion_scores=_labelled_scores(_scores_by_lesion(summary.scores), labels),
        _summary=summary,
        _labels=labels,
    )


def draft_view(draft) -> DraftView | None:
    """Reshape a `DraftPlan` row (or None) for templates."""
    if draft is None:
        return None
    out: dict[str, Any] = draft.output or {}
    facts = draft.facts or {}
    labels = _lesion_labels(facts)
    ctx = vocabulary.Context(lesion_labels=labels, code_titles=_CODE_TITLES,
                             creatinine_unit=_creatinine_unit(facts))
    items = []
    for item in out.get("items", []):
        detail = item.get("detail") or {}
        references, statements = vocabulary.source_lines(item.get("sources") or [])
        items.append({
            **item,
            "title": vocabulary.plain_text(item.get("title", "")),
            "rationale": vocabulary.plain_text(item.get("rationale", "")),
            "summary": vocabulary.plain_text(detail.get("summary") or detail.get("text") or ""),
            "detail_pairs": vocabulary.detail_pairs(detail, ctx),
            "urgency_label": vocabulary.URGENCY_LABELS.get(item.get("urgency", ""), ""),
            "section_label": vocabulary.SECTION_LABELS.get(item.get("section", ""), ""),
            "lesion_label": ctx.lesion(item["lesion_id"]) if item.get("lesion_id") else "",
            "references": references,
            "statements": statements,
        })
    flags = [
        {**f, "message": vocabulary.plain_text(f.get("message", "")),
         "severity_label": vocabulary.SEVERITY_LABELS.get(f.get("severity", ""), "Flag")}
        for f in sorted(out.get("flags", []),
                        key=lambda f: _SEVERITY_ORDER.get(f.get("severity", "info"), 9))
    ]
    computed = out.get("scores") or {}
    urgency = out.get("urgency") or "routine"
    return DraftView(
        draft=draft,
        engine_version=draft.engine_version,
        as_of=draft.as_of,
        urgency=urgency,
        urgency_label=vocabulary.URGENCY_LABELS.get(urgency, ""),
        items=items,
        flags=flags,
        notes=[{**n, "message": vocabulary.plain_text(n.get("message", ""))}
               for n in out.get("notes", [])],
        missing=_missing_rows(out.get("missing_data", []), labels,
                              patient_id=draft.patient_id, agenda_item_id=draft.agenda_item_id),
        required_specialties=_required_rows(out.get("required_specialties", [])),
        scores_by_lesion=_scores_by_lesion(computed),
        clearance=computed.get("creatinine_clearance"),
        zoledronic_dose=computed.get("zoledronic_dose"),
        facts=facts,
        words=ctx,
    )
