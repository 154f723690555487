"""The engine's draft items as typed decision actions: ONE mapping, item code → action.

The decision page pre-fills each draft item's action from here (the board then accepts
it as it is or modifies its fields), and the data migration maps the items of decisions
recorded before actions existed. It reads only the plan JSON (`code` and `detail` of an
item, as `recommendations.engine.io.plan_to_json` writes them): no engine import, no
database. Every item code of the engine's catalogue has a row in `MAPPING`
(`recommendations/tests/test_actions.py` enumerates the catalogue); an unknown code, or a
draft whose numbers fail the action's bounds, becomes an "other" action in the item's
own words, which schedules nothing and says so.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta
from typing import Any

from cases.actions import AGENT_LIMITS, ActionError, action_clean, other_action

#: Imaging asked for by the board's assessment rules is due within two weeks.
ASSESSMENT_IMAGING_DAYS = 14

Detail = Mapping[str, Any]
Builder = Callable[[Detail, date], dict[str, Any]]


def _lesion(d: Detail) -> str:
    ids = d.get("lesion_ids") or ([d["lesion_id"]] if d.get("lesion_id") else [])
    return ", ".join(f"lesion {i}" for i in ids)


def _first_schedule(d: Detail) -> tuple[Any, Any]:
    for key in ("schedules",):
        schedules = d.get(key)
        if isinstance(schedules, list) and schedules and isinstance(schedules[0], Mapping):
            return schedules[0].get("dose_gy"), schedules[0].get("fractions")
    ref = d.get("reference_schedule")
    if isinstance(ref, Mapping):
        return ref.get("dose_gy"), ref.get("fractions")
    return d.get("dose_gy"), d.get("fractions")


def _rt(technique: str = "conventional") -> Builder:
    def build(d: Detail, on: date) -> dict[str, Any]:
        dose, fractions = _first_schedule(d)
        return {"kind": "radiotherapy", "dose_gy": dose, "fractions": fractions,
                "technique": d.get("technique") if d.get("technique") in (
                    "conventional", "sbrt") else technique, "lesion": _lesion(d)}
    return build


def _imaging(modality: str, region: str = "", days: int = ASSESSMENT_IMAGING_DAYS) -> Builder:
    def build(d: Detail, on: date) -> dict[str, Any]:
        raw = str(d.get("modality") or "")
        chosen = "ct" if raw == "ct" else modality
        return {"kind": "investigation", "investigation": "imaging", "modality": chosen,
                "region": region or _lesion(d), "due_on": on + timedelta(days=days)}
    return build


def _procedure(kind: str, urgency: str) -> Builder:
    def build(d: Detail, on: date) -> dict[str, Any]:
        return {"kind": "procedure", "procedure": kind, "urgency": urgency,
                "lesion": _lesion(d)}
    return build


def _with_doses(test: str) -> Builder:
    def build(d: Detail, on: date) -> dict[str, Any]:
        return {"kind": "investigation", "investigation": "lab", "test": test,
                "with_doses": True}
    return build


def _medication(agent: str | None, verb: str, *, unit: str = "mg", route: str = "",
                dose: Any = None, interval: Any = None, doses_key: str = "doses") -> Builder:
    def build(d: Detail, on: date) -> dict[str, Any]:
        chosen = agent or str(d.get("agent") or "")
        if not chosen:
            candidates = d.get("candidate_agents")
            # "Start a BTA" names candidates; the first is the reference's default
            # (zoledronic acid), which the board changes by modifying the item.
            chosen = str(candidates[0]) if isinstance(candidates, list) and candidates else ""
        return {"kind": "medication", "verb": verb, "agent": chosen,
                "dose": d.get("dose_mg", dose) if unit == "mg" else dose, "unit": unit,
                "route": _route(chosen, d.get("route") or route),
                "interval_weeks": d.get("interval_weeks", interval),
                "doses": d.get(doses_key) if isinstance(d.get(doses_key), int) else None}
    return build


def _route(agent: str, proposed: str) -> str:
    """The draft's route if the agent is given that way, else the agent's only route."""
    routes = AGENT_LIMITS[agent].routes if agent in AGENT_LIMITS else ()
    if proposed in routes:
        return proposed
    return routes[0] if len(routes) == 1 else ""


def _fbc_follow_up(d: Detail, on: date, isotope: str) -> dict[str, Any]:
    """RAD-06/07: a dose already given → the next count, by its date; a planned dose →
    with the dose (the radionuclide's own reminder row schedules the series)."""
    every, until = d.get("interval_weeks"), d.get("until_week")
    test = f"full blood count after {isotope} (every {every} weeks to week {until})"
    if d.get("dose_date"):
        due = d.get("next_due_date")
        return {"kind": "investigation", "investigation": "lab", "test": test,
                "due_on": date.fromisoformat(due) if isinstance(due, str) else on}
    return {"kind": "investigation", "investigation": "lab", "test": test, "with_doses": True}


def _other(d: Detail, on: date) -> dict[str, Any]:
    return other_action(str(d.get("summary") or ""))


#: Item code → how its action is built. Checks the reference ties to each dose
#: (creatinine, calcium, blood counts) are "before each dose" investigations: the
#: medication's own reminder row schedules them, so withholding the medicine stops them.
MAPPING: dict[str, Builder] = {
    "IMG-CT-FIRST-LINE": _imaging("ct"),
    "IMG-MRI-WHOLE-SPINE": _imaging("mri", "whole spine"),
    "IMG-LONG-BONE-XR-CT": _imaging("xr_ct"),
    "MSCC-MRI-24H": _imaging("mri", "whole spine", days=0),
    "MSCC-DEXAMETHASONE-16MG": _medication("dexamethasone", "start", dose=16, route="oral"),
    "MSCC-DEXAMETHASONE-CONSIDER": _medication("dexamethasone", "start", dose=16,
                                               route="oral"),
    # The schedulable part of immobilisation: the expert spinal opinion within 24 hours.
    "MSCC-IMMOBILISE-NOW": _procedure("spinal_opinion", "emergency"),
    "MSCC-DECOMPRESSION-THEN-RT": _procedure("decompression", "emergency"),
    "MSCC-SURGICAL-DECISION-PENDING": _procedure("spinal_opinion", "emergency"),
    "SURG-FIXATION-FRACTURE": _procedure("fixation", "urgent"),
    "SURG-PROPHYLACTIC-FIXATION": _procedure("fixation", "urgent"),
    "SURG-ORTHO-OPINION-MIRELS-8": _procedure("orthopaedic_opinion", "routine"),
    "SURG-SPINE-STABILISATION": _procedure("stabilisation", "urgent"),
    # A question for the board (which metastasis-directed treatment, if any), not yet a
    # prescription: the board writes what it decides, as radiotherapy when it is one.
    "OMD-DISCUSS-METASTASIS-DIRECTED": _other,
    "SURG-SPINE-CONSULT": _procedure("spinal_opinion", "routine"),
    "SURG-MSCC-SPINE-SURGEON-NOW": _procedure("spinal_opinion", "emergency"),
    "IR-VERTEBRAL-AUGMENTATION": _procedure("vertebral_augmentation", "routine"),
    "RT-SINGLE-8GY": _rt(),
    "RT-POSTOP-MULTIFRACTION": _rt(),
    "RT-MULTIFRACTION-COMPLICATED": _rt(),
    "RT-MSCC": _rt(),
    "RT-SBRT-CONSIDER": _rt("sbrt"),
    "RT-REIRRADIATION": _rt(),
    "RT-NEUROPATHIC-20GY-5": _rt(),
    "RT-RESPONSE-REVIEW-4W": lambda d, on: {
        "kind": "investigation", "investigation": "review", "test": "pain-response review",
        "due_on": d.get("due_date") or on + timedelta(weeks=4)},
    "PAIN-ANALGESIA-REVIEW": lambda d, on: {
        "kind": "investigation", "investigation": "review",
        "test": "analgesia review and individualised pain assessment", "due_on": on},
    # Hypercalcaemia: the response is read by day 10 (HCM-01); the dose is HCM-02's item.
    "HCM-HYPERCALCAEMIA": lambda d, on: {
        "kind": "investigation", "investigation": "lab",
        "test": "corrected calcium (response to treatment)",
        "due_on": on + timedelta(days=int(d.get("response_by_day") or 10))},
    "HCM-ZOLEDRONIC-4MG": _medication("zoledronic_acid", "start", route="iv", dose=4),
    "BTA-START": _medication(None, "start"),
    "BTA-CONTINUE": _medication(None, "continue"),
    "BTA-ZOLEDRONIC-INFUSION": _medication("zoledronic_acid", "start", route="iv", dose=4),
    "BTA-ZOLEDRONIC-DOSE": _medication("zoledronic_acid", "start", route="iv"),
    "BTA-ZOLEDRONIC-CREATININE-CHECK": _with_doses("serum creatinine and calcium"),
    "BTA-ZOLEDRONIC-RESUME": _medication("zoledronic_acid", "continue", route="iv"),
    "BTA-ZOLEDRONIC-RENAL-REVIEW": lambda d, on: {
        "kind": "investigation", "investigation": "review",
        "test": "hydration and nephrotoxic co-medication review",
        "due_on": on + timedelta(days=7)},
    "BTA-CALCIUM-VITAMIN-D": lambda d, on: {
        "kind": "medication", "verb": "start", "agent": "calcium_vitamin_d",
        "dose": d.get("calcium_mg_daily"), "unit": "mg", "route": "oral"},
    "BTA-DENOSUMAB-120MG": _medication("denosumab", "start", route="sc", dose=120,
                                       interval=4),
    "BTA-DENOSUMAB-CALCIUM-CHECKS": _with_doses("serum calcium"),
    "BTA-DENTAL-EXAM-FIRST": _procedure("dental_review", "routine"),
    "BTA-AFF-THIGH-PAIN-QUESTION": _with_doses("thigh, hip or groin pain question"),
    "BTA-AFF-IMAGE-BOTH-FEMORA": _imaging("xr", "both femora"),
    # Eligibility is not a plan to give it: the schedule item (RA223-55KBQ-Q4W-X6) is.
    "RA223-ELIGIBLE": _other,
    "RA223-55KBQ-Q4W-X6": _medication("radium_223", "start", unit="kbq_per_kg", dose=55,
                                      route="iv", interval=4, doses_key="doses_remaining"),
    "RA223-FBC-BEFORE-EACH-DOSE": _with_doses("full blood count"),
    "RADIONUCLIDE-SR89-SM153": lambda d, on: {
        "kind": "medication", "verb": "start", "agent": "sr89_sm153", "route": "iv",
        "doses": 1},
    "SR89-FBC-EVERY-2-WEEKS": lambda d, on: _fbc_follow_up(d, on, "strontium-89"),
    "SM153-FBC-WEEKLY-TO-WEEK-8": lambda d, on: _fbc_follow_up(d, on, "samarium-153"),
    # Which agent is the board's choice (BTA-01/06 criteria): written by the board.
    "RA223-BONE-PROTECTION": _other,
    "SYS-INTEGRATE-WITH-LOCAL": _procedure("oncology_review", "routine"),
    # Optional markers: the board writes what it wants done.
    "FU-BONE-MARKERS-OPTIONAL": _other,
    "FU-IMAGING-REASSESSMENT": lambda d, on: {
        "kind": "investigation", "investigation": "imaging", "modality": "other",
        "region": "bone metastases (re-assessment)",
        "due_on": on + timedelta(weeks=int(d.get("follow_up_weeks") or 12))},
}


def action_for_item(*, code: str, detail: Detail | None, title: str = "", on: date
                    ) -> dict[str, Any]:
    """The validated action a draft item proposes; "other" in its own words when the code
    is unknown or the draft's numbers are outside the action's bounds."""
    detail = detail if isinstance(detail, Mapping) else {}
    build = MAPPING.get(code)
    words = str(detail.get("summary") or detail.get("text") or title)
    if build is None:
        return other_action(words)
    try:
        raw = build(detail, on)
        if raw.get("kind") == "other" and not raw.get("text"):
            raw = other_action(words)
        return action_clean({k: v for k, v in raw.items() if v not in (None, "")}, on=on)
    except (ActionError, KeyError, TypeError, ValueError):
        return other_action(words)
