"""The engine's output: a draft plan for the board. The engine drafts; the board decides."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .common import Detail, Section, Severity, Source, Supplier, Urgency
from .facts import Specialty
from .scores import (
    CreatinineClearance,
    MirelsResult,
    RenalCheck,
    SinsResult,
    ZoledronicDoseBand,
)

#: Bump on any change that can alter a plan for the same facts and date; the Django
#: side stores it with every snapshot.
ENGINE_VERSION = "1.4.0"


@dataclass(frozen=True, slots=True)
class CodeMeta:
    """What an output code means in every plan: its catalogue entry."""

    section: Section
    title: str
    rule_id: str
    sources: tuple[Source, ...]
    #: Flags' severity (``INFO`` for items and notes).
    severity: Severity


#: Every declared item, flag and note code's entry, filled by ``rules.base.rule()``.
CODE_META: dict[str, CodeMeta] = {}


class _Coded:
    """A plan entry's section, rule ID and sources: its code's, read from the catalogue
    (one entry per code), so an entry stores only its code and what this case adds."""

    __slots__ = ()
    code: str

    @property
    def meta(self) -> CodeMeta:
        """The code's catalogue entry (one lookup for a reader that needs several parts)."""
        return CODE_META[self.code]

    @property
    def section(self) -> Section:
        return CODE_META[self.code].section

    @property
    def rule_id(self) -> str:
        return CODE_META[self.code].rule_id

    @property
    def sources(self) -> tuple[Source, ...]:
        return CODE_META[self.code].sources


@dataclass(frozen=True, slots=True)
class PlanItem(_Coded):
    """One recommendation for the board to accept, modify or reject.

    ``section``, ``title``, ``rule_id`` and ``sources`` are the code's (``CODE_META``).
    """

    #: Stable code, documented in the catalogue (``catalogue.CODES``).
    code: str
    #: Structured, JSON-safe; always has ``summary`` (a human sentence). Reminder
    #: scheduling reads ``agent``, ``interval_weeks``, ``doses``, ``follow_up_weeks`` …
    detail: Detail
    #: Built from this case's facts.
    rationale: str
    urgency: Urgency
    lesion_id: str | None = None

    @property
    def title(self) -> str:
        return CODE_META[self.code].title


@dataclass(frozen=True, slots=True)
class Flag(_Coded):
    """A contraindication, warning, caution or piece of information.

    ``section``, ``severity``, ``rule_id`` and ``sources`` are the code's (``CODE_META``).
    """

    code: str
    message: str
    lesion_id: str | None = None

    @property
    def severity(self) -> Severity:
        return CODE_META[self.code].severity


@dataclass(frozen=True, slots=True)
class BoardNote(_Coded):
    """An unverified ([U]) statement shown to the board, never acted on by the engine.

    ``section``, ``rule_id`` and ``sources`` are the code's (``CODE_META``).
    """

    code: str
    message: str


@dataclass(frozen=True, slots=True)
class MissingData:
    """A fact the coordinator should chase before the agenda is locked."""

    #: Path into the case-facts JSON, e.g. ``lesions.0.collapse_percent``,
    #: ``labs.creatinine``, ``patient.weight_kg``.
    field: str
    #: Why it matters (one reason per asking rule, joined).
    why: str
    #: Every rule that asked, first asker first.
    rule_ids: tuple[str, ...]
    supplied_by: Supplier
    lesion_id: str | None = None

    @property
    def rule_id(self) -> str:
        return self.rule_ids[0]


@dataclass(frozen=True, slots=True)
class RequiredSpecialty:
    """Section 8 quorum: who should be at the table for this case."""

    specialty: Specialty
    reasons: tuple[str, ...]
    rule_id: str
    #: Only a possible finding calls for them (e.g. a SINS range reaching 7).
    provisional: bool = False


@dataclass(frozen=True, slots=True)
class DraftPlan:
    engine_version: str
    as_of: date
    #: ``emergency`` for any (suspected) MSCC; else the most urgent item's urgency.
    urgency: Urgency
    sins: tuple[SinsResult, ...]
    mirels: tuple[MirelsResult, ...]
    #: Latest fresh creatinine → Cockcroft–Gault (``None`` if no usable creatinine).
    creatinine_clearance: CreatinineClearance | None
    #: Clearance from the zoledronic acid baseline creatinine (BTA-03), when relevant.
    baseline_creatinine_clearance: CreatinineClearance | None
    zoledronic_dose: ZoledronicDoseBand | None
    renal_check: RenalCheck | None
    items: tuple[PlanItem, ...]
    flags: tuple[Flag, ...]
    notes: tuple[BoardNote, ...]
    missing_data: tuple[MissingData, ...]
    required_specialties: tuple[RequiredSpecialty, ...]

    def codes(self) -> frozenset[str]:
        """Every item, flag and note code in the plan."""
        return frozenset(
            [i.code for i in self.items]
            + [f.code for f in self.flags]
            + [n.code for n in self.notes]
        )
