"""Vocabulary shared by rules and the plan: sections, urgency, severity, sources."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TypeAlias, TypeVar, dataclass_transform

#: JSON-safe values used in ``PlanItem.detail``.
JSONValue: TypeAlias = (
    str | int | float | bool | None | Sequence["JSONValue"] | Mapping[str, "JSONValue"]
)
Detail = dict[str, JSONValue]

_T = TypeVar("_T")


@dataclass_transform(frozen_default=True)
def view(cls: type[_T]) -> type[_T]:
    """An evaluation's internal, derived object (the context, a lesion view, a rule's
    finding before the plan is built): a slotted dataclass that is read-only to the type
    checker — mypy (``.ci/run``) rejects an assignment to a field as for a frozen one —
    but not frozen at run time.

    A frozen dataclass sets each field through ``object.__setattr__``: ≈ 1.3k more
    instructions per field than a plain one, and the bench case builds ≈ 50 of these
    objects with ≈ 250 fields per evaluation (≈ 11 % of ``evaluate``). They never leave
    ``evaluate``; the facts going in and the plan coming out (``facts.py``, ``plan.py``,
    ``scores.py``) stay frozen at run time.
    """
    return dataclass(slots=True)(cls)


class Section(StrEnum):
    """Sections of the rules reference, in evaluation order."""

    SCORES = "scores"
    ASSESSMENT = "assessment"
    MSCC = "mscc"
    SURGERY = "surgery"
    RADIOTHERAPY = "radiotherapy"
    OLIGOMETASTATIC = "oligometastatic"
    PAIN = "pain"
    HYPERCALCAEMIA = "hypercalcaemia"
    BTA = "bta"
    RADIOISOTOPES = "radioisotopes"
    SYSTEMIC = "systemic"
    PITFALLS = "pitfalls"
    FOLLOW_UP = "follow_up"
    QUORUM = "quorum"


class Urgency(StrEnum):
    EMERGENCY = "emergency"
    BEFORE_NEXT_MEETING = "before_next_meeting"
    ROUTINE = "routine"


URGENCY_RANK = {Urgency.EMERGENCY: 0, Urgency.BEFORE_NEXT_MEETING: 1, Urgency.ROUTINE: 2}


class Severity(StrEnum):
    CONTRAINDICATION = "contraindication"
    WARNING = "warning"
    CAUTION = "caution"
    INFO = "info"


SEVERITY_RANK = {
    Severity.CONTRAINDICATION: 0,
    Severity.WARNING: 1,
    Severity.CAUTION: 2,
    Severity.INFO: 3,
}


class Evidence(StrEnum):
    """Tags of the rules reference."""

    VERIFIED = "V"  # checked in the primary text, label or abstract
    SECONDARY = "S"  # seen only in a secondary summary
    UNVERIFIED = "U"  # board note at most, never a hard rule


class Supplier(StrEnum):
    """Who typically supplies a missing fact (for the coordinator's chase list)."""

    RADIOLOGY = "radiology"
    MEDICAL_ONCOLOGY = "medical_oncology"
    RADIATION_ONCOLOGY = "radiation_oncology"
    NURSING = "nursing"
    LABORATORY = "laboratory"
    #: A tissue result not yet reported (e.g. a breast cancer's ER/PR or HER2, SYS-01).
    PATHOLOGY = "pathology"
    DENTISTRY = "dentistry"
    SURGERY = "surgery"
    NUCLEAR_MEDICINE = "nuclear_medicine"
    COORDINATION = "coordination"


@dataclass(frozen=True, slots=True)
class Source:
    """Where a rule comes from: the primary reference and the source document's words."""

    primary: str
    #: What the source document (seed 000_3e617de234f975d1) says; ``None`` if silent.
    document: str | None
    evidence: Evidence = Evidence.VERIFIED

    @property
    def secondary(self) -> bool:
        return self.evidence is Evidence.SECONDARY


def day_count(start: date, end: date) -> str:
    """A day count that names both dates it is the difference of ("9 days from 2025-05-01
    to 2025-05-10"), so a reader (and the invariant test) can check it."""
    n = (end - start).days
    return f"{n} day{'' if n == 1 else 's'} from {start.isoformat()} to {end.isoformat()}"
