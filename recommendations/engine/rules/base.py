"""How a rule is written: a pure function plus metadata, no rule language.

A rule function receives the evaluation ``Context`` and the findings of the rules
before it (catalogue order) and yields findings. The engine turns findings into plan
items, flags, notes, missing-data requests and quorum entries, filling in the title,
section, rule ID and sources from the metadata below — so a rule can only emit codes it
declared.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from enum import StrEnum
from functools import wraps
from typing import TypeVar, cast

from ..common import Detail, Section, Severity, Source, Supplier, Urgency, view
from ..context import Context
from ..facts import Specialty
from ..plan import CODE_META, BoardNote, CodeMeta, Flag, PlanItem

T = TypeVar("T")


class CodeKind(StrEnum):
    ITEM = "item"
    FLAG = "flag"
    NOTE = "note"


@dataclass(frozen=True, slots=True)
class CodeInfo:
    """One stable output code and what it means (the catalogue lists them all)."""

    code: str
    kind: CodeKind
    title: str
    meaning: str
    #: Structured ``detail`` keys an item carries (besides ``summary``).
    detail_keys: tuple[str, ...] = ()
    #: Flags only.
    severity: Severity | None = None
    #: Overrides the rule's sources when this code rests on a different reference.
    sources: tuple[Source, ...] = ()


# ------------------------------------------------------------------ findings
#
# A rule's plan items, flags and notes are the plan's own objects. Their section, title,
# rule ID, severity and sources are the code's catalogue entry (``plan.CODE_META``,
# registered by ``rule()`` below), so a rule names only the code and what this case adds.


def Item(  # noqa: N802 - reads as the finding it is; returns the plan's PlanItem
    code: str,
    rationale: str,
    detail: Detail,
    urgency: Urgency = Urgency.ROUTINE,
    lesion_id: str | None = None,
) -> PlanItem:
    """A plan item (``KeyError`` for a code no rule declared)."""
    _declared(code)
    return PlanItem(code, detail, rationale, urgency, lesion_id)


def Flagged(code: str, message: str, lesion_id: str | None = None) -> Flag:  # noqa: N802
    """A flag with its declared severity (``KeyError`` for an undeclared code)."""
    _declared(code)
    return Flag(code, message, lesion_id)


def Note(code: str, message: str) -> BoardNote:  # noqa: N802
    """A board note (``KeyError`` for an undeclared code)."""
    _declared(code)
    return BoardNote(code, message)


def _declared(code: str) -> None:
    if code not in CODE_META:
        raise KeyError(code)


@view
class Missing:
    """A fact to chase: ``field`` is its path in the case-facts JSON."""

    field: str
    why: str
    supplied_by: Supplier
    lesion_id: str | None = None


@view
class Quorum:
    """A specialty that should be at the table, and why (MDT-01)."""

    specialty: Specialty
    reason: str
    provisional: bool = False


Finding = PlanItem | Flag | BoardNote | Missing | Quorum


#: ``lesions_with`` for a code not emitted.
_NO_LESIONS: frozenset[str | None] = frozenset()


@dataclass(slots=True)
class Prior:
    """Findings of the rules already run, by kind (read-only for rules).

    ``evaluate`` builds the plan from these lists once every rule has run.
    """

    items: list[PlanItem] = field(default_factory=list)
    flags: list[Flag] = field(default_factory=list)
    notes: list[BoardNote] = field(default_factory=list)
    #: (request, asking rule ID) in the order asked.
    missing: list[tuple[Missing, str]] = field(default_factory=list)
    quorum: list[tuple[Quorum, str]] = field(default_factory=list)
    #: Item, flag and note codes emitted (for the case or any lesion).
    codes: set[str] = field(default_factory=set)
    #: Item and flag codes → the lesion IDs they were emitted for (``None``: the case),
    #: recorded as they are yielded so ``has(code, lesion_id)`` does not rescan the lists.
    lesion_ids: dict[str, set[str | None]] = field(default_factory=dict)
    #: Rules that asked for missing data.
    asked_by: set[str] = field(default_factory=set)
    #: Values of ``@per_evaluation`` functions, by function.
    shared: dict[Callable[..., object], object] = field(default_factory=dict)

    def run(self, rule: Rule, ctx: Context) -> None:
        """Run ``rule``, recording each finding as it is yielded (a rule sees the findings
        of the rules before it, and its own earlier ones)."""
        for finding in rule.fn(ctx, self):
            match finding:
                case PlanItem():
                    self.items.append(finding)
                    self.codes.add(finding.code)
                    self.lesion_ids.setdefault(finding.code, set()).add(finding.lesion_id)
                case Flag():
                    self.flags.append(finding)
                    self.codes.add(finding.code)
                    self.lesion_ids.setdefault(finding.code, set()).add(finding.lesion_id)
                case BoardNote():
                    self.notes.append(finding)
                    self.codes.add(finding.code)
                case Missing():
                    self.missing.append((finding, rule.id))
                    self.asked_by.add(rule.id)
                case Quorum():
                    self.quorum.append((finding, rule.id))
                case _:  # pragma: no cover - a rule yielded something that is not a finding
                    raise TypeError(f"rule {rule.id} yielded {finding!r}")

    def has(self, code: str, lesion_id: str | None = "*") -> bool:
        """Was ``code`` emitted (for this lesion; ``"*"``: for any lesion or the case)?"""
        if lesion_id == "*":
            return code in self.codes
        return lesion_id in self.lesions_with(code)

    def lesions_with(self, code: str) -> AbstractSet[str | None]:
        """The lesion IDs an item or flag ``code`` was emitted for (``None``: the case)."""
        return self.lesion_ids.get(code, _NO_LESIONS)

    def asked(self, *rule_ids: str) -> bool:
        """Did any of these rules ask for missing data?"""
        return not self.asked_by.isdisjoint(rule_ids)

    def emitted(self, codes: Iterable[str]) -> set[str]:
        """Which of ``codes`` were emitted (for the case or any lesion)."""
        return self.codes.intersection(codes)

    def has_any(self, codes: Iterable[str], lesion_id: str | None = "*") -> bool:
        if lesion_id == "*":
            return not self.codes.isdisjoint(codes)
        return any(self.has(c, lesion_id) for c in codes)


RuleFn = Callable[[Context, Prior], Iterable[Finding]]


def per_evaluation(fn: Callable[[Context, Prior], T]) -> Callable[[Context, Prior], T]:
    """For a value several rules read (e.g. RT-01..05's lesion statuses): computed by the
    first rule that asks, then shared for the rest of the evaluation. Everything it reads
    must be final by then (findings of earlier sections only)."""

    @wraps(fn)
    def shared(ctx: Context, prior: Prior) -> T:
        if fn not in prior.shared:
            prior.shared[fn] = fn(ctx, prior)
        return cast(T, prior.shared[fn])

    return shared


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    section: Section
    title: str
    #: What the rule checks, in one or two sentences (listed on the catalogue page).
    checks: str
    sources: tuple[Source, ...]
    codes: tuple[CodeInfo, ...]
    fn: RuleFn

    def code(self, code: str) -> CodeInfo:
        found = next((c for c in self.codes if c.code == code), None)
        if found is None:
            raise KeyError(f"rule {self.id} did not declare code {code}")
        return found


def rule(
    *,
    id: str,  # noqa: A002 - the rule ID is called "id" everywhere in the reference
    section: Section,
    title: str,
    checks: str,
    sources: tuple[Source, ...],
    codes: tuple[CodeInfo, ...] = (),
) -> Callable[[RuleFn], Rule]:
    """Wrap a rule function with its metadata."""

    def wrap(fn: RuleFn) -> Rule:
        for info in codes:
            if info.code in CODE_META:
                raise RuntimeError(f"code {info.code} declared twice")
            CODE_META[info.code] = CodeMeta(
                section=section,
                title=info.title,
                rule_id=id,
                sources=info.sources or sources,
                severity=info.severity or Severity.INFO,
            )
        return Rule(
            id=id, section=section, title=title, checks=checks, sources=sources, codes=codes, fn=fn
        )

    return wrap


def item_code(
    code: str,
    title: str,
    meaning: str,
    detail_keys: tuple[str, ...] = (),
    sources: tuple[Source, ...] = (),
) -> CodeInfo:
    return CodeInfo(code, CodeKind.ITEM, title, meaning, detail_keys=detail_keys, sources=sources)


def flag_code(
    code: str,
    severity: Severity,
    title: str,
    meaning: str,
    sources: tuple[Source, ...] = (),
) -> CodeInfo:
    return CodeInfo(code, CodeKind.FLAG, title, meaning, severity=severity, sources=sources)


def note_code(code: str, title: str, meaning: str, sources: tuple[Source, ...] = ()) -> CodeInfo:
    return CodeInfo(code, CodeKind.NOTE, title, meaning, sources=sources)
