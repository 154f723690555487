"""Typed decision actions: what each line of a signed decision asks to be done.

Every decision item the board accepted, modified or added carries one action of one
kind (medication, radiotherapy, procedure or referral, investigation, other) with typed
fields. This module is pure (no database, no clock): it defines the fields, their
bounds and the words people read, and `action_clean` turns submitted values into the
stored, normalised dict or a field-by-field error.

Bounds come from the drug labels and the rules reference (rules-reference.md §4–5):
zoledronic acid 3.0–4.0 mg every 3–12 weeks (BTA-02/03), denosumab 120 mg every 4–12
weeks (BTA-06), radium-223 55 kBq/kg every 4 weeks, at most 6 injections (RAD-02),
dexamethasone at most 16 mg a day (MSCC-02). No course is longer than `MAX_DOSES`, so a
decision can never ask for an unbounded number of reminders (the reminders layer also
refuses more than its documented maximum per decision).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

# --- Vocabulary --------------------------------------------------------------------------

KIND_LABELS = {
    "medication": "Medication",
    "radiotherapy": "Radiotherapy",
    "procedure": "Procedure or referral",
    "investigation": "Investigation",
    "other": "Other (free text — no reminders)",
}
VERB_LABELS = {
    "start": "Start", "continue": "Continue", "withhold": "Withhold", "stop": "Stop",
}
AGENT_LABELS = {
    "zoledronic_acid": "zoledronic acid",
    "denosumab": "denosumab",
    "radium_223": "radium-223",
    "sr89_sm153": "strontium-89 / samarium-153",
    "dexamethasone": "dexamethasone",
    "analgesic": "analgesic",
    "calcium_vitamin_d": "calcium and vitamin D",
    "other": "another medicine",
}
UNIT_LABELS = {"mg": "mg", "kbq_per_kg": "kBq/kg", "mbq": "MBq", "iu": "IU", "other": "other unit"}
ROUTE_LABELS = {"iv": "intravenous", "sc": "subcutaneous", "oral": "by mouth", "other": "other"}
#: Which radionuclide a "strontium-89 / samarium-153" course is: their blood-count
#: follow-up differs (rules-additions.md §C, RAD-06/07).
ISOTOPE_LABELS = {"sr89": "strontium-89", "sm153": "samarium-153"}
TECHNIQUE_LABELS = {"conventional": "conventional", "sbrt": "SBRT"}
PROCEDURE_LABELS = {
    "fixation": "fixation",
    "stabilisation": "spinal stabilisation",
    "decompression": "surgical decompression",
    "vertebral_augmentation": "vertebral augmentation",
    "orthopaedic_opinion": "orthopaedic opinion",
    "spinal_opinion": "spinal surgical opinion",
    "dental_review": "dental review",
    "palliative_care": "palliative care referral",
    "oncology_review": "medical oncology review",
    "other": "other procedure or referral",
}
URGENCY_LABELS = {"emergency": "today", "urgent": "within a week", "routine": "routine"}
#: When a procedure without a date of its own is due, after the sign-off.
URGENCY_DAYS = {"emergency": 0, "urgent": 7, "routine": 28}
INVESTIGATION_LABELS = {"imaging": "imaging", "lab": "blood test", "review": "clinical review"}
MODALITY_LABELS = {
    "ct": "CT", "mri": "MRI", "xr": "radiographs", "bone_scan": "bone scan",
    "pet_ct": "PET-CT", "xr_ct": "radiographs and CT", "other": "imaging",
}

#: The longest course any medication action may plan (26 four-weekly doses: two years).
MAX_DOSES = 26
#: Dates are accepted up to a year before and two years after the day the board decides.
DAYS_BEFORE_ALLOWED = 366
DAYS_AFTER_ALLOWED = 731


@dataclass(frozen=True)
class AgentLimits:
    units: tuple[str, ...]
    routes: tuple[str, ...]
    dose_min: Decimal | None = None
    dose_max: Decimal | None = None
    interval_min: int | None = None
    interval_max: int | None = None
    max_doses: int = MAX_DOSES
    #: The blood test a withheld course is rechecked with (BTA-04 for zoledronic acid).
    recheck_test: str = ""


AGENT_LIMITS: dict[str, AgentLimits] = {
    # BTA-02/03: 4 mg, renally reduced to 3.0 mg at the lowest band; every 3–4 weeks or 12.
    "zoledronic_acid": AgentLimits(("mg",), ("iv",), Decimal("3.0"), Decimal("4.0"), 3, 12,
                                   recheck_test="serum creatinine"),
    # BTA-06: 120 mg SC every 4 weeks (de-escalation to 12-weekly is practised).
    "denosumab": AgentLimits(("mg",), ("sc",), Decimal("120"), Decimal("120"), 4, 12,
                             recheck_test="serum calcium"),
    # RAD-02: 55 kBq/kg IV every 4 weeks × 6.
    "radium_223": AgentLimits(("kbq_per_kg",), ("iv",), Decimal("1"), Decimal("55"), 4, 4,
                              max_doses=6, recheck_test="full blood count"),
    # RAD-05 / additions: single injections, repeated no sooner than 12 weeks.
    "sr89_sm153": AgentLimits(("mbq", "other"), ("iv",), Decimal("1"), Decimal("4000"),
                              12, 52, max_doses=3, recheck_test="full blood count"),
    # MSCC-02: 16 mg a day.
    "dexamethasone": AgentLimits(("mg",), ("oral", "iv"), Decimal("0.5"), Decimal("16")),
    "analgesic": AgentLimits(tuple(UNIT_LABELS), tuple(ROUTE_LABELS)),
    "calcium_vitamin_d": AgentLimits(tuple(UNIT_LABELS), ("oral",)),
    "other": AgentLimits(tuple(UNIT_LABELS), tuple(ROUTE_LABELS)),
}

#: Every field an action may carry, per kind (order = order on the page).
FIELDS: dict[str, tuple[str, ...]] = {
    "medication": ("verb", "agent", "dose", "unit", "route", "interval_weeks", "doses",
                   "end_on", "first_dose_on", "recheck_on", "resume_criteria", "isotope"),
    "radiotherapy": ("lesion", "dose_gy", "fractions", "technique", "start_on"),
    "procedure": ("procedure", "lesion", "urgency", "due_on"),
    "investigation": ("investigation", "modality", "region", "test", "due_on", "with_doses"),
    "other": ("text",),
}
FIELD_LABELS = {
    "kind": "Kind of action", "verb": "What to do", "agent": "Medicine", "dose": "Dose",
    "unit": "Unit", "route": "Route", "interval_weeks": "Every (weeks)",
    "doses": "Number of doses", "end_on": "Last dose by", "first_dose_on": "First dose on",
    "recheck_on": "Recheck by", "resume_criteria": "Resume when",
    "isotope": "Radionuclide",
    "lesion": "Lesion(s)", "dose_gy": "Total dose (Gy)", "fractions": "Fractions",
    "technique": "Technique", "start_on": "Starts on", "procedure": "Procedure or referral",
    "urgency": "Urgency", "due_on": "Due by", "investigation": "Investigation",
    "modality": "Imaging", "region": "Region", "test": "Test",
    "with_doses": "Before each dose of the planned medicine", "text": "What the board decided",
}
FIELD_CHOICES: dict[str, dict[str, str]] = {
    "kind": KIND_LABELS, "verb": VERB_LABELS, "agent": AGENT_LABELS, "unit": UNIT_LABELS,
    "route": ROUTE_LABELS, "isotope": ISOTOPE_LABELS, "technique": TECHNIQUE_LABELS,
    "procedure": PROCEDURE_LABELS,
    "urgency": URGENCY_LABELS, "investigation": INVESTIGATION_LABELS,
    "modality": MODALITY_LABELS,
}
DATE_FIELDS = frozenset({"end_on", "first_dose_on", "recheck_on", "start_on", "due_on"})
TEXT_FIELDS = frozenset({"resume_criteria", "lesion", "region", "test", "text"})
INT_FIELDS = {"interval_weeks": (1, 52), "doses": (1, MAX_DOSES), "fractions": (1, 35)}
DECIMAL_FIELDS = {"dose": (Decimal("0.001"), Decimal("10000")),
                  "dose_gy": (Decimal("1"), Decimal("70"))}
BOOL_FIELDS = frozenset({"with_doses"})
TEXT_MAX = 500


class ActionError(ValueError):
    """Field errors of one action: {field: [message, ...]}."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        super().__init__(errors)
        self.errors = errors


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _parse(name: str, raw: Any, errors: dict[str, list[str]]) -> Any:
    if _blank(raw):
        return None
    label = FIELD_LABELS[name]
    if name in FIELD_CHOICES:
        value = str(raw).strip()
        if value not in FIELD_CHOICES[name]:
            errors[name] = [f"{label}: choose one of the listed options."]
            return None
        return value
    if name in DATE_FIELDS:
        if isinstance(raw, date):
            return raw.isoformat()
        try:
            return date.fromisoformat(str(raw).strip()[:10]).isoformat()
        except ValueError:
            errors[name] = [f"{label}: enter a date as YYYY-MM-DD."]
            return None
    if name in INT_FIELDS:
        low, high = INT_FIELDS[name]
        try:
            if isinstance(raw, bool):
                raise ValueError
            number = Decimal(str(raw).strip())
            if number != number.to_integral_value():
                raise ValueError
            value = int(number)
        except (ValueError, InvalidOperation):
            errors[name] = [f"{label}: enter a whole number."]
            return None
        if not low <= value <= high:
            errors[name] = [f"{label}: enter a number from {low} to {high}."]
            return None
        return value
    if name in DECIMAL_FIELDS:
        low, high = DECIMAL_FIELDS[name]
        try:
            if isinstance(raw, bool):
                raise InvalidOperation
            number = Decimal(str(raw).strip())
            if not number.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            errors[name] = [f"{label}: enter a number."]
            return None
        if not low <= number <= high:
            errors[name] = [f"{label}: enter a number from {low} to {high}."]
            return None
        return format(number.normalize(), "f")
    if name in BOOL_FIELDS:
        return raw in (True, "true", "True", "on", "1", 1)
    value = str(raw).strip()
    if len(value) > TEXT_MAX:
        errors[name] = [f"{label}: at most {TEXT_MAX} characters."]
        return None
    return value


def _require(action: dict[str, Any], errors: dict[str, list[str]], *names: str) -> None:
    for name in names:
        if action.get(name) is None and name not in errors:
            errors[name] = [f"{FIELD_LABELS[name]}: required."]


def _date_window(action: dict[str, Any], errors: dict[str, list[str]], on: date) -> None:
    low, high = on - timedelta(days=DAYS_BEFORE_ALLOWED), on + timedelta(days=DAYS_AFTER_ALLOWED)
    for name in DATE_FIELDS:
        value = action.get(name)
        if value is not None and not low <= date.fromisoformat(value) <= high:
            errors[name] = [f"{FIELD_LABELS[name]}: enter a date between {low.isoformat()} "
                            f"and {high.isoformat()}."]


def _check_medication(a: dict[str, Any], errors: dict[str, list[str]]) -> None:
    _require(a, errors, "verb", "agent")
    agent = a.get("agent")
    if agent is None:
        return
    limits = AGENT_LIMITS[agent]
    name = AGENT_LABELS[agent]
    if a.get("unit") is not None and a["unit"] not in limits.units:
        errors["unit"] = [f"Unit: {name} is dosed in "
                          f"{' or '.join(UNIT_LABELS[u] for u in limits.units)}."]
    if a.get("route") is not None and a["route"] not in limits.routes:
        errors["route"] = [f"Route: {name} is given "
                           f"{' or '.join(ROUTE_LABELS[r] for r in limits.routes)}."]
    dose = a.get("dose")
    if dose is not None and "dose" not in errors:
        value = Decimal(dose)
        if limits.dose_max is not None and value > limits.dose_max:
            errors["dose"] = [f"Dose: at most {limits.dose_max} for {name} (label)."]
        elif limits.dose_min is not None and value < limits.dose_min:
            errors["dose"] = [f"Dose: at least {limits.dose_min} for {name} (label)."]
    interval = a.get("interval_weeks")
    if interval is not None and limits.interval_min is not None and "interval_weeks" not in errors:
        if not limits.interval_min <= interval <= (limits.interval_max or 52):
            span = (f"{limits.interval_min}" if limits.interval_min == limits.interval_max
                    else f"{limits.interval_min} to {limits.interval_max}")
            errors["interval_weeks"] = [f"Every (weeks): {name} is given every {span} weeks."]
    doses = a.get("doses")
    if doses is not None and doses > limits.max_doses and "doses" not in errors:
        errors["doses"] = [f"Number of doses: at most {limits.max_doses} for {name}."]
    if a.get("isotope") is not None and agent != "sr89_sm153":
        errors["isotope"] = ["Radionuclide: only for strontium-89 / samarium-153."]
    if a.get("verb") == "withhold":
        _require(a, errors, "recheck_on", "resume_criteria")
    if a.get("doses") is not None and a.get("end_on") is not None:
        errors["end_on"] = ["Last dose by: give the number of doses or the last date, not both."]
    first, end = a.get("first_dose_on"), a.get("end_on")
    if first and end and end < first:
        errors["end_on"] = ["Last dose by: on or after the first dose."]


def action_clean(raw: Mapping[str, Any], *, on: date) -> dict[str, Any]:
    """Validate one submitted action; return it normalised (only the kind's fields, blank
    ones left out) or raise `ActionError` with messages people can act on. `on` is the
    day the board decides (bounds dates; this module reads no clock)."""
    errors: dict[str, list[str]] = {}
    kind = str(raw.get("kind") or "").strip()
    if kind not in FIELDS:
        raise ActionError({"kind": ["Kind of action: choose one of the listed options."]})
    action: dict[str, Any] = {"kind": kind}
    for name in FIELDS[kind]:
        value = _parse(name, raw.get(name), errors)
        if value is not None:
            action[name] = value
    if kind == "medication":
        _check_medication(action, errors)
    elif kind == "radiotherapy":
        _require(action, errors, "dose_gy", "fractions")
        if action.get("technique") is None and "technique" not in errors:
            action["technique"] = "conventional"
        if "dose_gy" in action and "fractions" in action and (
                Decimal(action["dose_gy"]) / action["fractions"] > 24):
            errors["dose_gy"] = ["Total dose (Gy): more than 24 Gy a fraction."]
    elif kind == "procedure":
        _require(action, errors, "procedure")
        if "urgency" not in errors:
            action.setdefault("urgency", "routine")
    elif kind == "investigation":
        _require(action, errors, "investigation")
        if action.get("investigation") == "imaging":
            _require(action, errors, "modality")
        elif action.get("investigation") in ("lab", "review"):
            _require(action, errors, "test")
        if not action.get("with_doses"):
            action.pop("with_doses", None)
            _require(action, errors, "due_on")
    else:
        _require(action, errors, "text")
    _date_window(action, errors, on)
    if errors:
        raise ActionError(errors)
    return action


def other_action(text: str) -> dict[str, Any]:
    """The action of an item that names no structured plan: its words, no reminders."""
    return {"kind": "other", "text": (text or "").strip()[:TEXT_MAX] or "See the item."}


def fingerprint(action: Mapping[str, Any]) -> str:
    """Canonical JSON of an action: two versions plan the same thing iff equal."""
    return json.dumps(dict(action), sort_keys=True, separators=(",", ":"))


def _dose_words(a: Mapping[str, Any]) -> str:
    parts = []
    if a.get("dose"):
        parts.append(f"{a['dose']} {UNIT_LABELS.get(a.get('unit', ''), '')}".strip())
    if a.get("route"):
        parts.append(ROUTE_LABELS[a["route"]])
    if a.get("interval_weeks"):
        parts.append(f"every {a['interval_weeks']} weeks")
    if a.get("doses"):
        parts.append(f"{a['doses']} dose{'s' if a['doses'] != 1 else ''}")
    if a.get("end_on"):
        parts.append(f"until {a['end_on']}")
    if a.get("first_dose_on"):
        parts.append(f"first dose {a['first_dose_on']}")
    return ", ".join(parts)


def action_summary(action: Mapping[str, Any]) -> str:
    """What the action asks, in one sentence people read (no keys or codes)."""
    kind = action.get("kind")
    if kind == "medication":
        verb = action.get("verb", "start")
        agent = AGENT_LABELS.get(action.get("agent", ""), "the medicine")
        if action.get("isotope"):
            agent = ISOTOPE_LABELS[action["isotope"]]
        if verb == "withhold":
            test = AGENT_LIMITS[action["agent"]].recheck_test if action.get("agent") else ""
            text = f"Withhold {agent}"
            if action.get("recheck_on"):
                text += f": recheck {test or 'the patient'} by {action['recheck_on']}"
            if action.get("resume_criteria"):
                text += f"; resume when {action['resume_criteria']}"
            return text
        if verb == "stop":
            return f"Stop {agent}"
        words = _dose_words(action)
        return f"{VERB_LABELS[verb]} {agent}" + (f" ({words})" if words else "")
    if kind == "radiotherapy":
        technique = " SBRT" if action.get("technique") == "sbrt" else ""
        text = f"Radiotherapy{technique} {action.get('dose_gy')} Gy in " \
               f"{action.get('fractions')} fraction{'s' if action.get('fractions') != 1 else ''}"
        if action.get("lesion"):
            text += f" to {action['lesion']}"
        if action.get("start_on"):
            text += f", starting {action['start_on']}"
        return text
    if kind == "procedure":
        text = PROCEDURE_LABELS.get(action.get("procedure", ""), "Procedure").capitalize()
        if action.get("lesion"):
            text += f" ({action['lesion']})"
        if action.get("due_on"):
            text += f" by {action['due_on']}"
        elif action.get("urgency"):
            text += f", {URGENCY_LABELS[action['urgency']]}"
        return text
    if kind == "investigation":
        what = action.get("investigation")
        if what == "imaging":
            text = MODALITY_LABELS.get(action.get("modality", ""), "Imaging")
            text = text[0].upper() + text[1:]
            if action.get("region"):
                text += f" of {action['region']}"
        else:
            text = str(action.get("test") or INVESTIGATION_LABELS.get(what or "", "Check"))
            text = text[0].upper() + text[1:]
        if action.get("with_doses"):
            return text + " before each dose of the planned medicine"
        return text + (f" by {action['due_on']}" if action.get("due_on") else "")
    return str(action.get("text") or "")
