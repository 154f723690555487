"""Standard-of-care triage: which cases of a meeting the chair may sign as a block.

NHS England, *Streamlining multi-disciplinary team meetings* (2020): cases that follow
an agreed standard of care can be listed, reviewed by the chair and signed without a
full discussion, so the meeting's time goes to the cases that need it. Here a case is
standard of care when its draft plan is all routine items, no flag is above
"information", nothing is missing and no specialist's opinion asks for a discussion,
and nobody has taken it out of the block or started changing its decision.

`reasons_for_discussion` says, in words, why a case is NOT in the block; an empty list
means it is. It reads the draft's JSON (`DraftPlan.output`) only: the same snapshot the
board signs from.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cases.choices import DecisionItemVerdict

#: Flag severities that keep a case out of the block (everything above "info").
_BLOCKING_SEVERITIES = frozenset({"contraindication", "warning", "caution"})
#: Item verdicts a decision may already hold and stay in the block (not yet changed).
_UNCHANGED_VERDICTS = frozenset({"", DecisionItemVerdict.ACCEPTED})


def reasons_for_discussion(*, output: dict[str, Any] | None, urgent: bool, opted_out: bool,
                           open_opinions: int, decision=None) -> list[str]:
    """Why this case needs the full discussion ([] when it is standard of care).

    `output` is the current draft's output JSON (None: no draft), `urgent` the agenda
    item's cord-compression flag, `opted_out` its standard-of-care opt-out,
    `open_opinions` how many pre-meeting opinions ask for a discussion, and `decision`
    its newest decision, if any."""
    reasons: list[str] = []
    if opted_out:
        reasons.append("Taken out of the standard-of-care block for full discussion.")
    if decision is not None and decision.is_signed:
        reasons.append("The decision is signed already.")
        return reasons
    if urgent:
        reasons.append("Urgent: suspected cord compression (MSCC-01).")
    if output is None:
        reasons.append("There is no draft plan.")
        return reasons
    items = output.get("items") or []
    if not items:
        reasons.append("The draft proposes nothing to accept.")
    not_routine = sum(1 for i in items if (i.get("urgency") or "routine") != "routine")
    if not_routine:
        reasons.append(f"{not_routine} item{'s are' if not_routine != 1 else ' is'} "
                       "not routine.")
    flags = sum(1 for f in output.get("flags") or []
                if f.get("severity") in _BLOCKING_SEVERITIES)
    if flags:
        reasons.append(f"{flags} flag{'s' if flags != 1 else ''} above information.")
    missing = len(output.get("missing_data") or [])
    if missing:
        reasons.append(f"{missing} fact{'s are' if missing != 1 else ' is'} missing.")
    if open_opinions:
        asks = "s ask" if open_opinions != 1 else " asks"
        reasons.append(f"{open_opinions} specialist opinion{asks} for a discussion.")
    if decision is not None and _decision_changed(decision.items.all()):
        reasons.append("The board has started changing the draft (modified, rejected or "
                       "added items).")
    return reasons


def _decision_changed(items: Iterable) -> bool:
    return any(item.verdict not in _UNCHANGED_VERDICTS for item in items)
