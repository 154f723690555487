"""Which follow-up a signed decision needs: rules-reference section 9 as ONE table.

Pure functions, no database: a signed decision's items (the engine's code, rule ID and
structured `detail` dict, as `DecisionItem.code` / `rule_id` / `draft_detail`) and the
clinic-local date of the sign-off go in; reminder specifications come out. The service
(`reminders.services.schedule_for_decision`) turns them into rows.

The engine's item codes were being defined while this was written, so items are
recognised defensively: by the agent named in `detail` first, then by rule-ID prefix
(BTA-, RAD-, RT-, IMG-, from the rules reference, which is stable) and by words in the
code. Numbers (interval, doses, fractions, dates) come from `detail` when the engine or
the board gave them, else from the defaults below, which follow the reference.

`TRIGGERS` at the bottom is the table: one row per trigger, each with a test in
`reminders/tests/test_schedules.py`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from reminders.choices import ReminderKind

# --- Defaults (each from rules-reference.md) --------------------------------------------

#: A bone-targeted agent or radium-223 usually starts a couple of weeks after the board,
#: which leaves time for the dental examination (BTA-08).
DEFAULT_START_AFTER_DAYS = 14
#: Radiotherapy usually starts within a week of the board.
DEFAULT_RT_START_AFTER_DAYS = 7
#: "A few days ahead of each infusion" (section 9): bloods three days before a dose.
DAYS_BEFORE_DOSE = 3
#: Dental examination two weeks before the first dose, so treatment can still start.
DENTAL_DAYS_BEFORE_FIRST_DOSE = 14
#: Zoledronic acid every 4 weeks unless the board chose 12 (BTA-02).
ZOLEDRONIC_DEFAULT_INTERVAL_WEEKS = 4
DENOSUMAB_INTERVAL_WEEKS = 4  # BTA-06
#: Denosumab: calcium "within 2 weeks after" the first dose (BTA-06).
DENOSUMAB_CALCIUM_AFTER_FIRST_DAYS = 14
RADIUM_INTERVAL_WEEKS = 4  # RAD-02
RADIUM_DOSES = 6  # RAD-02
#: How far ahead a continuing BTA is scheduled when the plan names no end: one year.
DEFAULT_BTA_HORIZON_WEEKS = 52
#: Pain response is assessed about 4 weeks after the last fraction (RT-06).
PAIN_REVIEW_AFTER_LAST_FRACTION_DAYS = 28
#: Imaging re-assessment "as the board sets (e.g. 3 months)".
DEFAULT_IMAGING_INTERVAL_WEEKS = 12
#: A BTA planned for at least this long is "long-term" for the AFF question (BTA-09),
#: asked at each review visit, every `AFF_REVIEW_EVERY_WEEKS` after the first dose.
LONG_TERM_BTA_WEEKS = 26
AFF_REVIEW_EVERY_WEEKS = 12

FLARE_CAVEAT = (
    "Flare caveat (IMG-02): new or brighter lesions on the first bone scan within about "
    "12 weeks of starting treatment may be healing, not progression; in prostate cancer "
    "count progression only if a confirmatory scan at least 6 weeks later shows two or "
    "more further new lesions."
)

BTA_AGENTS = frozenset({"zoledronic_acid", "denosumab", "pamidronate", "ibandronate"})

#: An item whose code says "do not give it", or whose title starts so, schedules nothing.
_NEGATIVE_CODE = re.compile(
    r"withhold|withheld|(^|[._-])hold|(^|[._-])stop|avoid|not[._-]?recommended|"
    r"contraindicat|(^|[._-])no[._-]|(^|[._-])defer",
    re.IGNORECASE,
)
_NEGATIVE_TITLE = re.compile(
    r"^\s*(withhold|hold|stop|avoid|do not|don't|not recommended|no |defer)", re.IGNORECASE
)


@dataclass(frozen=True)
class ItemView:
    """A decision item as the schedule reads it (no Django): normalised code, rule ID,
    title and structured detail."""

    code: str
    rule_id: str
    title: str
    detail: Mapping[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return f"{self.code} {self.title}".lower()

    @property
    def agent(self) -> str | None:
        raw = self.detail.get("agent") or self.detail.get("drug") or ""
        candidates = self.detail.get("candidate_agents")
        if not raw and isinstance(candidates, list) and len(candidates) == 1:
            raw = candidates[0]
        found = _agent_from_text(str(raw).lower()) if raw else None
        return found or _agent_from_text(self.code.lower()) or _agent_from_text(
            self.title.lower()
        )

    @property
    def continues(self) -> bool:
        """Continuing an agent already given: its first dose is behind the patient."""
        return "continue" in self.code.lower()

    @property
    def is_bta_plan(self) -> bool:
        """Starting or continuing a bone-targeted agent (chosen or not yet chosen)."""
        code = self.code.upper()
        return not self.negative and not _is_dental_item(self) and not _is_aff_item(self) and (
            self.agent in BTA_AGENTS or code.startswith(("BTA-START", "BTA-CONTINUE"))
        )

    @property
    def negative(self) -> bool:
        return bool(_NEGATIVE_CODE.search(self.code) or _NEGATIVE_TITLE.search(self.title))


def _agent_from_text(text: str) -> str | None:
    text = text.replace("-", "_").replace(" ", "_")
    if "zoledron" in text or "zometa" in text:
        return "zoledronic_acid"
    if "denosumab" in text or "xgeva" in text:
        return "denosumab"
    if "pamidron" in text:
        return "pamidronate"
    if "ibandron" in text:
        return "ibandronate"
    if "radium" in text or "ra_223" in text or "ra223" in text or "xofigo" in text:
        return "radium_223"
    return None


@dataclass(frozen=True)
class Spec:
    """One reminder a decision item needs: what, on which clinic-local date, before or
    after which event (dose, last fraction). Texts carry no patient identifier."""

    kind: str
    due_on: date
    title: str
    detail: str = ""
    event_on: date | None = None


# --- Reading numbers out of the engine's detail ----------------------------------------

def _int(detail: Mapping[str, Any], *keys: str) -> int | None:
    for key in keys:
        value = detail.get(key)
        if value is None or isinstance(value, bool):
            continue
        if isinstance(value, int | float) and value > 0:
            return int(value)
        if isinstance(value, str):
            # "3-4" weeks → the longer interval; "12" → 12
            numbers = [int(n) for n in re.findall(r"\d+", value)]
            if numbers and max(numbers) > 0:
                return max(numbers)
    return None


def _date(detail: Mapping[str, Any], *keys: str) -> date | None:
    for key in keys:
        value = detail.get(key)
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value[:10])
            except ValueError:
                continue
    return None


def _interval_weeks(item: ItemView, default: int) -> int:
    weeks = _int(item.detail, "interval_weeks", "every_weeks", "frequency_weeks", "interval")
    if weeks is None:
        months = _int(item.detail, "interval_months", "every_months")
        if months is not None:
            weeks = round(months * 52 / 12)
    return weeks or default


def _first_dose(item: ItemView, signed_on: date, default_days: int) -> date:
    start = _date(item.detail, "first_dose_on", "start_on", "starts_on", "start_date")
    if start is None:
        start = signed_on + timedelta(days=default_days)
    return start


def _dose_count(item: ItemView, interval_weeks: int, default_horizon_weeks: int) -> int:
    doses = _int(item.detail, "doses", "n_doses", "number_of_doses", "injections", "cycles")
    if doses:
        return doses
    horizon = _int(item.detail, "horizon_weeks", "duration_weeks") or default_horizon_weeks
    return max(1, math.ceil(horizon / interval_weeks))


def _not_before(day: date, signed_on: date) -> date:
    """A reminder that would fall before the sign-off is due at once (the same day)."""
    return max(day, signed_on)


def _dose_dates(first: date, interval_weeks: int, doses: int) -> list[date]:
    return [first + timedelta(weeks=interval_weeks * k) for k in range(doses)]


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate_day in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate_day)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover — day 28 exists in every month


# --- Matchers ----------------------------------------------------------------------------

def _is_dental_item(item: ItemView) -> bool:
    return item.rule_id.upper() == "BTA-08" or "dental" in item.text


def _is_aff_item(item: ItemView) -> bool:
    text = item.text
    return item.rule_id.upper() == "BTA-09" and ("thigh" in text or "question" in text)


def _needs_dental(item: ItemView) -> bool:
    """Any BTA started (agent chosen or not), or the engine's own dental item."""
    if item.negative:
        return False
    return _is_dental_item(item) or (item.is_bta_plan and not item.continues)


def _long_term_bta_or_aff_item(item: ItemView) -> bool:
    return not item.negative and (_is_aff_item(item) or item.is_bta_plan)


def _is_agent(agent: str) -> Callable[[ItemView], bool]:
    def check(item: ItemView) -> bool:
        return item.agent == agent and item.is_bta_plan

    return check


def _is_radium(item: ItemView) -> bool:
    # Eligibility alone is not a plan to give it.
    return item.agent == "radium_223" and not item.negative and "eligib" not in item.text


def _is_radiotherapy(item: ItemView) -> bool:
    if item.negative:
        return False
    rule = item.rule_id.upper()
    section = str(item.detail.get("section", "")).lower()
    code = item.code.lower()
    return (
        rule.startswith("RT-")
        or section == "radiotherapy"
        or code.startswith(("rt.", "rt_", "rt-", "radiotherapy", "sbrt", "ebrt"))
        or "radiotherapy" in item.text
        or any(k in item.detail for k in ("fractions", "dose_gy", "total_dose_gy"))
    )


_REASSESS_WORDS = ("reassess", "re-assess", "re_assess", "restag", "response", "follow")


def _is_imaging_reassessment(item: ItemView) -> bool:
    if item.negative:
        return False
    rule = item.rule_id.upper()
    has_interval = any(
        k in item.detail
        for k in ("interval_weeks", "follow_up_weeks", "reassess_weeks", "interval_months")
    )
    imaging_words = "imaging" in item.text or "scan" in item.text or rule.startswith("IMG-")
    return rule == "IMG-02" or (
        imaging_words and (has_interval or any(w in item.text for w in _REASSESS_WORDS))
    )


# --- Generators ----------------------------------------------------------------------------

def _days_before(item: ItemView) -> int:
    return _int(item.detail, "days_before") or DAYS_BEFORE_DOSE


def _renal_before_zoledronic(item: ItemView, signed_on: date) -> list[Spec]:
    interval = _interval_weeks(item, ZOLEDRONIC_DEFAULT_INTERVAL_WEEKS)
    before = _days_before(item)
    first = _first_dose(item, signed_on, DEFAULT_START_AFTER_DAYS)
    dates = _dose_dates(first, interval, _dose_count(item, interval, DEFAULT_BTA_HORIZON_WEEKS))
    return [
        Spec(
            kind=ReminderKind.RENAL_BEFORE_ZOLEDRONIC,
            due_on=_not_before(dose_on - timedelta(days=before), signed_on),
            event_on=dose_on,
            title=f"Serum creatinine and calcium before zoledronic acid dose {n} "
            f"of {len(dates)}",
            detail=f"Dose planned on {dose_on.isoformat()} (every {interval} weeks). "
            "Withhold if creatinine has risen 0.5 mg/dL or more from a normal baseline, or "
            "1.0 mg/dL or more from an abnormal one (BTA-04).",
        )
        for n, dose_on in enumerate(dates, start=1)
    ]


def _dental_before_bta(item: ItemView, signed_on: date) -> list[Spec]:
    first = _first_dose(item, signed_on, DEFAULT_START_AFTER_DAYS)
    return [Spec(
        kind=ReminderKind.DENTAL_BEFORE_BTA,
        due_on=_not_before(first - timedelta(days=DENTAL_DAYS_BEFORE_FIRST_DOSE), signed_on),
        event_on=first,
        title="Dental examination before the first dose of a bone-targeted agent",
        detail=f"First dose planned on {first.isoformat()}. Record the examination before "
        "the start; delay the start while oral lesions are unhealed (BTA-08).",
    )]


def _calcium_denosumab(item: ItemView, signed_on: date) -> list[Spec]:
    interval = _interval_weeks(item, DENOSUMAB_INTERVAL_WEEKS)
    first = _first_dose(item, signed_on, DEFAULT_START_AFTER_DAYS)
    dates = _dose_dates(first, interval, _dose_count(item, interval, DEFAULT_BTA_HORIZON_WEEKS))
    specs = [Spec(
        kind=ReminderKind.CALCIUM_DENOSUMAB,
        due_on=_not_before(first - timedelta(days=DAYS_BEFORE_DOSE), signed_on),
        event_on=first,
        title=f"Serum calcium before denosumab dose 1 of {len(dates)}",
        detail=f"Dose planned on {first.isoformat()}. Correct hypocalcaemia before "
        "starting (BTA-06).",
    ), Spec(
        kind=ReminderKind.CALCIUM_DENOSUMAB,
        due_on=first + timedelta(days=DENOSUMAB_CALCIUM_AFTER_FIRST_DAYS),
        event_on=first,
        title="Serum calcium two weeks after the first denosumab dose",
        detail=f"First dose planned on {first.isoformat()} (BTA-06).",
    )]
    specs += [
        Spec(
            kind=ReminderKind.CALCIUM_DENOSUMAB,
            due_on=_not_before(dose_on - timedelta(days=DAYS_BEFORE_DOSE), signed_on),
            event_on=dose_on,
            title=f"Serum calcium before denosumab dose {n} of {len(dates)}",
            detail=f"Dose planned on {dose_on.isoformat()} (every {interval} weeks, BTA-06).",
        )
        for n, dose_on in enumerate(dates[1:], start=2)
    ]
    return specs


def _fbc_before_radium(item: ItemView, signed_on: date) -> list[Spec]:
    interval = _interval_weeks(item, RADIUM_INTERVAL_WEEKS)
    first = _first_dose(item, signed_on, DEFAULT_START_AFTER_DAYS)
    doses = _int(item.detail, "doses_remaining", "doses", "injections", "n_doses") or (
        RADIUM_DOSES
    )
    dates = _dose_dates(first, interval, doses)
    return [
        Spec(
            kind=ReminderKind.FBC_BEFORE_RADIUM,
            due_on=_not_before(dose_on - timedelta(days=DAYS_BEFORE_DOSE), signed_on),
            event_on=dose_on,
            title=f"Full blood count before radium-223 dose {n} of {len(dates)}",
            detail=f"Dose planned on {dose_on.isoformat()}. "
            # Plain ASCII: an all-ASCII email needs no quoted-printable encoding (CPU).
            + ("First dose: ANC >= 1.5, platelets >= 100 x10^9/L, haemoglobin >= 10 g/dL."
               if n == 1 else "Later doses: ANC >= 1.0, platelets >= 50 x10^9/L.")
            + " (RAD-03)",
        )
        for n, dose_on in enumerate(dates, start=1)
    ]


def _last_fraction(item: ItemView, signed_on: date) -> date:
    last = _date(item.detail, "last_fraction_on", "ends_on", "end_on")
    if last is not None:
        return last
    start = _date(item.detail, "start_on", "starts_on", "first_fraction_on") or (
        signed_on + timedelta(days=DEFAULT_RT_START_AFTER_DAYS)
    )
    fractions = _int(item.detail, "fractions", "n_fractions") or 1
    day, remaining = start, fractions - 1
    while remaining:  # one fraction per weekday
        day += timedelta(days=1)
        if day.weekday() < 5:
            remaining -= 1
    return day


def _pain_review_after_rt(item: ItemView, signed_on: date) -> list[Spec]:
    last = _date(item.detail, "anchor_date") or _last_fraction(item, signed_on)
    weeks = _int(item.detail, "follow_up_weeks")
    due = _date(item.detail, "due_date") or last + (
        timedelta(weeks=weeks) if weeks else timedelta(days=PAIN_REVIEW_AFTER_LAST_FRACTION_DAYS)
    )
    return [Spec(
        kind=ReminderKind.PAIN_REVIEW_AFTER_RT,
        due_on=max(due, signed_on),
        event_on=last,
        title="Pain-response review four weeks after radiotherapy",
        detail=f"Last fraction planned on {last.isoformat()}. Pain persisting or recurring "
        "more than 4 weeks after radiotherapy: consider re-irradiation (RT-05, RT-06).",
    )]


def _imaging_reassessment(item: ItemView, signed_on: date) -> list[Spec]:
    months = _int(item.detail, "interval_months")
    if months:
        due = _add_months(signed_on, months)
        when = f"{months} months"
    else:
        weeks = _int(item.detail, "interval_weeks", "follow_up_weeks", "reassess_weeks") or (
            DEFAULT_IMAGING_INTERVAL_WEEKS
        )
        due = signed_on + timedelta(weeks=weeks)
        when = f"{weeks} weeks"
    return [Spec(
        kind=ReminderKind.IMAGING_REASSESSMENT,
        due_on=due,
        event_on=due,
        title="Imaging re-assessment",
        detail=f"Re-assessment {when} after the board's decision. {FLARE_CAVEAT}",
    )]


def _aff_question(item: ItemView, signed_on: date) -> list[Spec]:
    if _is_aff_item(item):
        horizon_weeks = DEFAULT_BTA_HORIZON_WEEKS  # "at each review" of a long-term agent
    else:
        agent_interval = (
            ZOLEDRONIC_DEFAULT_INTERVAL_WEEKS if item.agent == "zoledronic_acid"
            else DENOSUMAB_INTERVAL_WEEKS
        )
        interval = _interval_weeks(item, agent_interval)
        doses = _dose_count(item, interval, DEFAULT_BTA_HORIZON_WEEKS)
        horizon_weeks = _int(item.detail, "horizon_weeks", "duration_weeks") or interval * doses
    if horizon_weeks < LONG_TERM_BTA_WEEKS:
        return []
    first = _first_dose(item, signed_on, DEFAULT_START_AFTER_DAYS)
    reviews = range(AFF_REVIEW_EVERY_WEEKS, horizon_weeks + 1, AFF_REVIEW_EVERY_WEEKS)
    return [
        Spec(
            kind=ReminderKind.AFF_QUESTION,
            due_on=first + timedelta(weeks=weeks),
            event_on=first + timedelta(weeks=weeks),
            title="Ask about new thigh, hip or groin pain at the review visit",
            detail=f"Review {weeks} weeks after the first bone-targeted agent dose. New "
            "pain: image both femora for an atypical femoral fracture (BTA-09).",
        )
        for weeks in reviews
    ]


@dataclass(frozen=True)
class Trigger:
    """One row of the schedule table: which decision items it recognises and what
    reminders they need."""

    name: str
    reference: str
    matches: Callable[[ItemView], bool]
    specs: Callable[[ItemView, date], list[Spec]]


#: THE table (rules-reference section 9). Meeting preparation (agenda circulation and
#: missing-data requests) does not come from a decision: see
#: `reminders.services.meeting_preparation_schedule`.
TRIGGERS: tuple[Trigger, ...] = (
    Trigger("zoledronic acid → creatinine (+ calcium) before every dose", "BTA-02, BTA-04",
            _is_agent("zoledronic_acid"), _renal_before_zoledronic),
    Trigger("any bone-targeted agent → dental examination before the first dose", "BTA-08",
            _needs_dental, _dental_before_bta),
    Trigger("denosumab → calcium before dose 1, 2 weeks after it, before later doses",
            "BTA-06", _is_agent("denosumab"), _calcium_denosumab),
    Trigger("radium-223 → full blood count before each of the 6 doses", "RAD-02, RAD-03",
            _is_radium, _fbc_before_radium),
    Trigger("radiotherapy → pain-response review 4 weeks after the last fraction",
            "RT-06", _is_radiotherapy, _pain_review_after_rt),
    Trigger("imaging re-assessment at the board's interval, with the flare caveat",
            "IMG-02", _is_imaging_reassessment, _imaging_reassessment),
    Trigger("long-term bone-targeted agent → AFF thigh/groin question at reviews", "BTA-09",
            _long_term_bta_or_aff_item, _aff_question),
)


def specs_for_item(item: ItemView, *, signed_on: date) -> list[Spec]:
    """Every reminder one accepted or modified decision item needs."""
    specs: list[Spec] = []
    for trigger in TRIGGERS:
        if trigger.matches(item):
            specs.extend(trigger.specs(item, signed_on))
    return specs


def consolidate(items: Sequence[ItemView]) -> list[tuple[int, ItemView]]:
    """One view per planned agent, then every other item as it is.

    The engine describes one agent in several items (zoledronic acid: infusion, dose,
    creatinine check; radium-223: schedule, blood counts), each carrying part of the
    detail (the interval here, the number of doses there). Their details are merged —
    the first value of each key wins — so the agent's schedule is computed once, from
    everything the plan says. Returns (index of the source item, view) pairs.
    """
    merged: dict[str, tuple[int, ItemView, dict[str, Any]]] = {}
    generic: list[tuple[int, ItemView]] = []  # "start a BTA", agent not chosen yet
    out: list[tuple[int, ItemView]] = []
    for index, item in enumerate(items):
        agent = item.agent
        if agent is not None and (item.is_bta_plan or _is_radium(item)):
            if agent not in merged:
                merged[agent] = (index, item, {})
            detail = merged[agent][2]
            for key, value in item.detail.items():
                detail.setdefault(key, value)
        elif agent is None and item.is_bta_plan:
            generic.append((index, item))
        else:
            out.append((index, item))
    bta_agents = [agent for agent in merged if agent in BTA_AGENTS]
    if len(bta_agents) == 1 and generic:
        # "Start a BTA" and the one agent's items are the same plan: schedule it once.
        agent = bta_agents[0]
        index, first, detail = merged[agent]
        for generic_index, item in generic:
            for key, value in item.detail.items():
                detail.setdefault(key, value)
            if generic_index < index:
                index, first = generic_index, item
        merged[agent] = (index, first, detail)
        generic = []
    out += generic
    for agent, (index, first, detail) in merged.items():
        out.append((index, ItemView(code=first.code, rule_id=first.rule_id, title=first.title,
                                    detail={**detail, "agent": agent})))
    return sorted(out, key=lambda pair: pair[0])


def specs_for_decision(items: Sequence[ItemView], *, signed_on: date
                       ) -> list[tuple[int, Spec]]:
    """Every reminder a signed decision's accepted and modified items need, once each,
    with the index of the item that asked for it."""
    seen: set[tuple[str, date]] = set()
    out: list[tuple[int, Spec]] = []
    for index, view in consolidate(items):
        for spec in specs_for_item(view, signed_on=signed_on):
            if (spec.kind, spec.due_on) not in seen:
                seen.add((spec.kind, spec.due_on))
                out.append((index, spec))
    return out


def triggers_matching(item: ItemView) -> list[str]:
    """Names of the triggers an item fires (for the docs and the decision page)."""
    return [t.name for t in TRIGGERS if t.matches(item)]


def item_view(*, code: str, rule_id: str, title: str, detail: Any) -> ItemView:
    return ItemView(
        code=code or "", rule_id=rule_id or "", title=title or "",
        detail=detail if isinstance(detail, Mapping) else {},
    )


def unique_specs(specs: Iterable[Spec]) -> list[Spec]:
    """Drop repeats (two items asking for the same reminder on the same day)."""
    seen: set[tuple[str, date]] = set()
    out = []
    for spec in specs:
        if (spec.kind, spec.due_on) not in seen:
            seen.add((spec.kind, spec.due_on))
            out.append(spec)
    return out
