"""Which reminders a signed decision needs: ONE table from typed actions to reminders.

Pure functions, no database, no clock. The signed version's actions (`cases.actions`:
kind, verb and typed fields, with whether the board modified or added them) and the
clinic-local date of the sign-off go in; reminder specifications come out, each with the
index of the action that asked for it. Nothing else is read: not the engine's draft, not
the item's code or title. The service (`reminders.services.schedule_for_decision`) turns
them into rows.

`TABLE` below is the table (one row per line, each with a test in
`reminders/tests/test_schedules.py`); docs/reminders.md prints it. Within one decision:

- several items about the same medicine (the engine drafts zoledronic acid as infusion,
  dose and creatinine check) are one course: their fields are merged, the board's
  modified or added items first, so a changed interval wins;
- withholding or stopping a medicine wins over any start or continue of the same
  medicine in the same decision: no dose reminders at all for it;
- no decision creates more than `MAX_REMINDERS_PER_DECISION` reminders
  (`ReminderLimitExceeded`; signing is refused, nothing is stored).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from cases.actions import (
    AGENT_LABELS,
    AGENT_LIMITS,
    ISOTOPE_LABELS,
    MODALITY_LABELS,
    PROCEDURE_LABELS,
    URGENCY_DAYS,
)
from recommendations.engine.facts import Radioisotope
from recommendations.engine.rules.radioisotopes import FBC_FOLLOW_UP
from reminders.choices import ReminderKind

# --- Defaults (each from rules-reference.md) --------------------------------------------

#: The most reminders one decision may create (the longest course, 26 doses with its
#: dental and long-term checks, is 35; a 25-action decision of mixed kinds stays far
#: below). More is refused at signing.
MAX_REMINDERS_PER_DECISION = 100
#: A bone-targeted agent or radium-223 usually starts a couple of weeks after the board,
#: which leaves time for the dental examination (BTA-08).
DEFAULT_START_AFTER_DAYS = 14
#: Radiotherapy usually starts within a week of the board.
DEFAULT_RT_START_AFTER_DAYS = 7
#: "A few days ahead of each infusion" (section 9): bloods three days before a dose.
DAYS_BEFORE_DOSE = 3
#: Dental examination two weeks before the first dose, so treatment can still start.
DENTAL_DAYS_BEFORE_FIRST_DOSE = 14
DEFAULT_INTERVAL_WEEKS = {"zoledronic_acid": 4, "denosumab": 4, "radium_223": 4}
#: Denosumab: calcium "within 2 weeks after" the first dose (BTA-06).
DENOSUMAB_CALCIUM_AFTER_FIRST_DAYS = 14
RADIUM_DOSES = 6  # RAD-02
#: Blood counts after a strontium-89 or samarium-153 dose: the engine's table (RAD-06,
#: Metastron label: fortnightly from week 2 to week 26; RAD-07, Quadramet label: weekly
#: from week 2 to week 8), so the reminders are exactly what the draft item said.
FBC_AFTER_RADIONUCLIDE_WEEKS = {
    action_isotope: list(range(start, until + 1, every))
    for action_isotope, (every, start, until) in (
        ("sr89", FBC_FOLLOW_UP[Radioisotope.STRONTIUM_89]),
        ("sm153", FBC_FOLLOW_UP[Radioisotope.SAMARIUM_153]),
    )
}
#: How far ahead a course is scheduled when the board names no number of doses or end.
DEFAULT_HORIZON_WEEKS = 52
#: Pain response is assessed about 4 weeks after the last fraction (RT-06).
PAIN_REVIEW_AFTER_LAST_FRACTION_DAYS = 28
#: A withheld medicine: the decision whether to resume is due a week after the recheck
#: (the result is back by then).
RESUME_REVIEW_AFTER_RECHECK_DAYS = 7
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
BTA_AGENTS = frozenset({"zoledronic_acid", "denosumab"})
GIVING = frozenset({"start", "continue"})


class ReminderLimitExceeded(ValueError):
    def __init__(self, count: int) -> None:
        super().__init__(count)
        self.count = count


@dataclass(frozen=True)
class ActionView:
    """One action of the signed version as the table reads it."""

    index: int
    action: Mapping[str, Any]
    #: The board modified or added it (its numbers win when items are merged).
    by_board: bool = False

    def get(self, key: str, default: Any = None) -> Any:
        return self.action.get(key, default)


@dataclass(frozen=True)
class Spec:
    """One reminder an action needs: what, on which clinic-local date, before or after
    which event. Texts carry no patient identifier."""

    kind: str
    due_on: date
    title: str
    detail: str = ""
    event_on: date | None = None


# --- Reading an action ---------------------------------------------------------------------

def _date(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def _not_before(day: date, signed_on: date) -> date:
    """A reminder that would fall before the sign-off is due at once (the same day)."""
    return max(day, signed_on)


def _interval(a: ActionView) -> int:
    return int(a.get("interval_weeks") or DEFAULT_INTERVAL_WEEKS.get(a.get("agent"), 4))


def _first_dose(a: ActionView, signed_on: date) -> date:
    return _date(a.get("first_dose_on")) or signed_on + timedelta(days=DEFAULT_START_AFTER_DAYS)


def dose_dates(a: ActionView, signed_on: date) -> list[date]:
    """Planned doses: the number given, else up to the last date, else a year's worth;
    never more than the agent's label maximum."""
    first, interval = _first_dose(a, signed_on), _interval(a)
    limit = AGENT_LIMITS[a.get("agent", "other")].max_doses
    if a.get("doses"):
        count = int(a.get("doses"))
    elif a.get("end_on"):
        count = (_date(a.get("end_on")) - first).days // (7 * interval) + 1
    elif a.get("agent") == "radium_223":
        count = RADIUM_DOSES
    else:
        count = math.ceil(DEFAULT_HORIZON_WEEKS / interval)
    count = max(1, min(count, limit))
    return [first + timedelta(weeks=interval * k) for k in range(count)]


# --- Generators (one per table row) -----------------------------------------------------------

def _creatinine_before_doses(a: ActionView, signed_on: date) -> list[Spec]:
    dates = dose_dates(a, signed_on)
    return [Spec(
        kind=ReminderKind.RENAL_BEFORE_ZOLEDRONIC,
        due_on=_not_before(day - timedelta(days=DAYS_BEFORE_DOSE), signed_on), event_on=day,
        title=f"Serum creatinine and calcium before zoledronic acid dose {n} of {len(dates)}",
        detail=f"Dose planned on {day.isoformat()} (every {_interval(a)} weeks). Withhold if "
        "creatinine has risen 0.5 mg/dL or more from a normal baseline, or 1.0 mg/dL or "
        "more from an abnormal one (BTA-04).",
    ) for n, day in enumerate(dates, start=1)]


def _dental_before_first(a: ActionView, signed_on: date) -> list[Spec]:
    first = _first_dose(a, signed_on)
    return [Spec(
        kind=ReminderKind.DENTAL_BEFORE_BTA,
        due_on=_not_before(first - timedelta(days=DENTAL_DAYS_BEFORE_FIRST_DOSE), signed_on),
        event_on=first,
        title="Dental examination before the first dose of a bone-targeted agent",
        detail=f"First dose planned on {first.isoformat()}. Record the examination before "
        "the start; delay the start while oral lesions are unhealed (BTA-08).",
    )]


def _calcium_denosumab(a: ActionView, signed_on: date) -> list[Spec]:
    dates = dose_dates(a, signed_on)
    specs = [Spec(
        kind=ReminderKind.CALCIUM_DENOSUMAB,
        due_on=_not_before(day - timedelta(days=DAYS_BEFORE_DOSE), signed_on), event_on=day,
        title=f"Serum calcium before denosumab dose {n} of {len(dates)}",
        detail=f"Dose planned on {day.isoformat()} (every {_interval(a)} weeks). Correct "
        "hypocalcaemia before giving it (BTA-06).",
    ) for n, day in enumerate(dates, start=1)]
    if a.get("verb") == "start":
        specs.insert(1, Spec(
            kind=ReminderKind.CALCIUM_DENOSUMAB,
            due_on=dates[0] + timedelta(days=DENOSUMAB_CALCIUM_AFTER_FIRST_DAYS),
            event_on=dates[0], title="Serum calcium two weeks after the first denosumab dose",
            detail=f"First dose planned on {dates[0].isoformat()} (BTA-06).",
        ))
    return specs


def _fbc_before_radium(a: ActionView, signed_on: date) -> list[Spec]:
    dates = dose_dates(a, signed_on)
    return [Spec(
        kind=ReminderKind.FBC_BEFORE_RADIUM,
        due_on=_not_before(day - timedelta(days=DAYS_BEFORE_DOSE), signed_on), event_on=day,
        title=f"Full blood count before radium-223 dose {n} of {len(dates)}",
        # Plain ASCII: an all-ASCII email needs no quoted-printable encoding (CPU).
        detail=f"Dose planned on {day.isoformat()}. "
        + ("First dose: ANC >= 1.5, platelets >= 100 x10^9/L, haemoglobin >= 10 g/dL."
           if n == 1 else "Later doses: ANC >= 1.0, platelets >= 50 x10^9/L.") + " (RAD-03)",
    ) for n, day in enumerate(dates, start=1)]


def _weeks_after_doses(a: ActionView, signed_on: date) -> list[int]:
    """Weeks after each dose a blood count is due (RAD-06/07, rules-additions §C)."""
    weeks = FBC_AFTER_RADIONUCLIDE_WEEKS
    if a.get("isotope") in weeks:
        return weeks[a.get("isotope")]
    # Radionuclide not recorded: both labels' checks (weekly to week 8, then fortnightly).
    sm153, sr89 = weeks["sm153"], weeks["sr89"]
    return sorted(set(sm153) | {w for w in sr89 if w > max(sm153)})


def _fbc_after_radionuclide(a: ActionView, signed_on: date) -> list[Spec]:
    name = ISOTOPE_LABELS.get(a.get("isotope"), "strontium-89 / samarium-153")
    rule = {"sr89": "RAD-06", "sm153": "RAD-07"}.get(a.get("isotope"), "RAD-06, RAD-07")
    dates = dose_dates(a, signed_on)
    weeks = _weeks_after_doses(a, signed_on)
    return [Spec(
        kind=ReminderKind.LAB_DUE,
        due_on=_not_before(day + timedelta(weeks=week), signed_on), event_on=day,
        title=f"Full blood count {week} weeks after {name} dose {n} of {len(dates)}",
        detail=f"Dose planned on {day.isoformat()}. Marrow suppression is expected: "
        "check white cells and platelets; a steadily falling count matters even above "
        f"the thresholds ({rule}).",
    ) for n, day in enumerate(dates, start=1) for week in weeks]


def _aff_question(a: ActionView, signed_on: date) -> list[Spec]:
    dates = dose_dates(a, signed_on)
    horizon = (dates[-1] - dates[0]).days // 7 + _interval(a)
    if horizon < LONG_TERM_BTA_WEEKS:
        return []
    return [Spec(
        kind=ReminderKind.AFF_QUESTION,
        due_on=dates[0] + timedelta(weeks=weeks), event_on=dates[0] + timedelta(weeks=weeks),
        title="Ask about new thigh, hip or groin pain at the review visit",
        detail=f"Review {weeks} weeks after the first bone-targeted agent dose. New pain: "
        "image both femora for an atypical femoral fracture (BTA-09).",
    ) for weeks in range(AFF_REVIEW_EVERY_WEEKS, horizon + 1, AFF_REVIEW_EVERY_WEEKS)]


def _withhold(a: ActionView, signed_on: date) -> list[Spec]:
    agent = AGENT_LABELS[a.get("agent")]
    test = AGENT_LIMITS[a.get("agent")].recheck_test or "the patient's condition"
    recheck = _not_before(_date(a.get("recheck_on")), signed_on)
    resume = recheck + timedelta(days=RESUME_REVIEW_AFTER_RECHECK_DAYS)
    criteria = a.get("resume_criteria", "")
    return [Spec(
        kind=ReminderKind.WITHHOLD_RECHECK, due_on=recheck, event_on=recheck,
        title=f"Recheck {test}: {agent} is withheld",
        detail=f"The board withheld {agent}; recheck {test} by {recheck.isoformat()}. "
        f"Resume when: {criteria}",
    ), Spec(
        kind=ReminderKind.RESUME_REVIEW, due_on=resume, event_on=recheck,
        title=f"Decide whether to resume {agent}",
        detail=f"Recheck due {recheck.isoformat()}. Resume when: {criteria}. If not, put "
        "the case back on the board's agenda.",
    )]


def last_fraction(a: ActionView, signed_on: date) -> date:
    """One fraction per weekday from the start (SBRT too: a conservative end date)."""
    day = _date(a.get("start_on")) or signed_on + timedelta(days=DEFAULT_RT_START_AFTER_DAYS)
    remaining = int(a.get("fractions") or 1) - 1
    while remaining:
        day += timedelta(days=1)
        if day.weekday() < 5:
            remaining -= 1
    return day


def _pain_review_after_rt(a: ActionView, signed_on: date) -> list[Spec]:
    last = last_fraction(a, signed_on)
    return [Spec(
        kind=ReminderKind.PAIN_REVIEW_AFTER_RT,
        due_on=last + timedelta(days=PAIN_REVIEW_AFTER_LAST_FRACTION_DAYS), event_on=last,
        title="Pain-response review four weeks after radiotherapy",
        detail=f"Last fraction planned on {last.isoformat()}. Pain persisting or recurring "
        "more than 4 weeks after radiotherapy: consider re-irradiation (RT-05, RT-06).",
    )]


def _procedure_due(a: ActionView, signed_on: date) -> list[Spec]:
    due = _date(a.get("due_on")) or signed_on + timedelta(
        days=URGENCY_DAYS[a.get("urgency", "routine")])
    what = PROCEDURE_LABELS[a.get("procedure")]
    dental = a.get("procedure") == "dental_review"
    return [Spec(
        kind=ReminderKind.DENTAL_BEFORE_BTA if dental else ReminderKind.PROCEDURE_DUE,
        due_on=_not_before(due, signed_on), event_on=due,
        title=("Dental examination before the first dose of a bone-targeted agent" if dental
               else f"Check the {what} has happened or is booked"),
        detail=f"The board planned {what}, due by {due.isoformat()}."
        + (" Delay the start while oral lesions are unhealed (BTA-08)." if dental else ""),
    )]


def _investigation_due(a: ActionView, signed_on: date) -> list[Spec]:
    due = _not_before(_date(a.get("due_on")), signed_on)
    if a.get("investigation") == "imaging":
        what = MODALITY_LABELS[a.get("modality")]
        region = a.get("region", "")
        return [Spec(
            kind=ReminderKind.IMAGING_DUE, due_on=due, event_on=due,
            title=f"Imaging due: {what}" + (f" of {region}" if region else ""),
            detail=f"The board asked for {what} by {due.isoformat()}. {FLARE_CAVEAT}",
        )]
    return [Spec(
        kind=ReminderKind.LAB_DUE if a.get("investigation") == "lab" else ReminderKind.REVIEW_DUE,
        due_on=due, event_on=due, title=f"Due: {a.get('test')}",
        detail=f"The board asked for {a.get('test')} by {due.isoformat()}.",
    )]


# --- THE table -------------------------------------------------------------------------------

@dataclass(frozen=True)
class Row:
    """One row of the table: which actions it applies to and what they need."""

    name: str
    reference: str
    matches: Callable[[ActionView], bool]
    specs: Callable[[ActionView, date], list[Spec]]


def _giving(*agents: str) -> Callable[[ActionView], bool]:
    def check(a: ActionView) -> bool:
        return a.get("kind") == "medication" and a.get("verb") in GIVING \
            and a.get("agent") in agents
    return check


def _starting_bta(a: ActionView) -> bool:
    return a.get("kind") == "medication" and a.get("verb") == "start" \
        and a.get("agent") in BTA_AGENTS


def _is(kind: str, **fields: Any) -> Callable[[ActionView], bool]:
    def check(a: ActionView) -> bool:
        return a.get("kind") == kind and all(a.get(k) == v for k, v in fields.items())
    return check


def _investigation_with_date(a: ActionView) -> bool:
    return a.get("kind") == "investigation" and not a.get("with_doses")


TABLE: tuple[Row, ...] = (
    Row("zoledronic acid started or continued → creatinine and calcium before every dose",
        "BTA-02, BTA-04", _giving("zoledronic_acid"), _creatinine_before_doses),
    Row("zoledronic acid or denosumab started → dental examination before the first dose "
        "(unless the decision has its own dental review)", "BTA-08", _starting_bta,
        _dental_before_first),
    Row("denosumab started or continued → calcium before every dose (and 2 weeks after "
        "the first)", "BTA-06", _giving("denosumab"), _calcium_denosumab),
    Row("radium-223 started or continued → full blood count before each dose (at most 6)",
        "RAD-02, RAD-03", _giving("radium_223"), _fbc_before_radium),
    Row("strontium-89 or samarium-153 given → full blood count after each dose: Sr-89 "
        "every 2 weeks from week 2 to week 26, Sm-153 weekly from week 2 to week 8 (both "
        "when the radionuclide is not recorded)", "RAD-06, RAD-07",
        _giving("sr89_sm153"), _fbc_after_radionuclide),
    Row("zoledronic acid or denosumab for 26 weeks or more → thigh/groin question every "
        "12 weeks", "BTA-09", _giving(*BTA_AGENTS), _aff_question),
    Row("any medicine withheld → recheck by the date set, then a resume review a week "
        "later; no dose reminders", "BTA-04", _is("medication", verb="withhold"), _withhold),
    Row("radiotherapy → pain-response review 4 weeks after the last fraction", "RT-06",
        _is("radiotherapy"), _pain_review_after_rt),
    Row("procedure or referral → a check on its due date (set, or by urgency: today, "
        "7 or 28 days)", "SURG, MSCC", _is("procedure"), _procedure_due),
    Row("imaging, blood test or review with a due date → a reminder on that date",
        "IMG-01, IMG-02, FU-01", _investigation_with_date, _investigation_due),
)
#: Actions no row matches, by design: medicine stopped; dexamethasone, analgesics,
#: calcium and vitamin D and other medicines given; checks "before each
#: dose" (the medicine's row schedules them); "other". Rejected items are no action.
NOTHING = ("medicine stopped", "dexamethasone, analgesic, calcium/vitamin D "
           "or another medicine given", "check before each dose (scheduled with the doses)",
           "other (free text)", "rejected item")


# --- Whole decision ------------------------------------------------------------------------------

def _merge_courses(actions: Sequence[ActionView]) -> list[ActionView]:
    """One view per medicine given; withholding or stopping a medicine removes its
    courses from this decision."""
    held = {a.get("agent") for a in actions
            if a.get("kind") == "medication" and a.get("verb") in ("withhold", "stop")}
    courses: dict[str, list[ActionView]] = {}
    out: list[ActionView] = []
    for a in actions:
        if a.get("kind") == "medication" and a.get("verb") in GIVING:
            if a.get("agent") in held:
                continue
            if a.get("agent") != "other":
                courses.setdefault(a.get("agent"), []).append(a)
                continue
        out.append(a)
    for members in courses.values():
        ordered = sorted(members, key=lambda m: (not m.by_board, m.index))
        merged: dict[str, Any] = {}
        for m in ordered:
            for key, value in m.action.items():
                merged.setdefault(key, value)
        # "Start" if any item starts it: the first dose (and its dental check) is ahead.
        if any(m.get("verb") == "start" for m in members):
            merged["verb"] = "start"
        out.append(ActionView(index=min(m.index for m in members), action=merged,
                              by_board=any(m.by_board for m in members)))
    return sorted(out, key=lambda a: a.index)


def specs_for_actions(actions: Sequence[ActionView], *, signed_on: date
                      ) -> list[tuple[int, Spec]]:
    """Every reminder a signed decision's actions need, once each (kind + day), with the
    index of the action that asked for it. Raises `ReminderLimitExceeded` past the
    documented maximum."""
    has_dental = any(a.get("kind") == "procedure" and a.get("procedure") == "dental_review"
                     for a in actions)
    seen: set[tuple[str, date]] = set()
    out: list[tuple[int, Spec]] = []
    for view in _merge_courses(actions):
        for row in TABLE:
            if not row.matches(view):
                continue
            if row.specs is _dental_before_first and has_dental:
                continue
            for spec in row.specs(view, signed_on):
                if (spec.kind, spec.due_on) not in seen:
                    seen.add((spec.kind, spec.due_on))
                    out.append((view.index, spec))
    if len(out) > MAX_REMINDERS_PER_DECISION:
        raise ReminderLimitExceeded(len(out))
    return out


def rows_matching(action: Mapping[str, Any]) -> list[str]:
    """Names of the table rows one action fires (the decision page says what follows)."""
    view = ActionView(index=0, action=action)
    return [row.name for row in TABLE if row.matches(view)]
