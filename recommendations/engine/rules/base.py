"""How a rule is written: a pure function plus metadata, no rule language.

A rule function receives the evaluation ``Context`` and the findings of the rules
before it (catalogue order) and yields findings. The engine turns findings into plan
items, flags, notes, missing-data requests and quorum entries, filling in the title,
section, rule ID and sources from the metadata below — so a rule can only emit codes it
declared.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum

from ..common import Detail, Section, Severity, Source, Supplier, Urgency
from ..context import Context
from ..facts import Specialty
from ..fastinit import fast_init


class CodeKind(StrEnum):
    ITEM = "item"
    FLAG = "flag"
    NOTE = "note"


@fast_init
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


@fast_init
@dataclass(frozen=True, slots=True)
class Item:
    code: str
    rationale: str
    detail: Detail
    urgency: Urgency = Urgency.ROUTINE
    lesion_id: str | None = None


@fast_init
@dataclass(frozen=True, slots=True)
class Flagged:
    code: str
    message: str
    lesion_id: str | None = None


@fast_init
@dataclass(frozen=True, slots=True)
class Note:
    code: str
    message: str


@fast_init
@dataclass(frozen=True, slots=True)
class Missing:
    field: str
    why: str
    supplied_by: Supplier
    lesion_id: str | None = None


@fast_init
@dataclass(frozen=True, slots=True)
class Quorum:
    specialty: Specialty
    reason: str
    provisional: bool = False


Finding = Item | Flagged | Note | Missing | Quorum


@dataclass(slots=True)
class Prior:
    """Findings of the rules already run (read-only for rules)."""

    findings: list[Finding] = field(default_factory=list)
    _keys: set[tuple[str, str | None]] = field(default_factory=set)
    _asked_by: set[str] = field(default_factory=set)

    def add(self, finding: Finding, rule_id: str) -> None:
        self.findings.append(finding)
        # Exact-class dispatch (findings are final dataclasses): runs for every finding.
        kind = type(finding)
        if kind is Item or kind is Flagged:
            code = finding.code  # type: ignore[union-attr]
            self._keys.add((code, finding.lesion_id))  # type: ignore[union-attr]
            self._keys.add((code, "*"))
        elif kind is Missing:
            self._asked_by.add(rule_id)
        elif kind is Note:
            self._keys.add((finding.code, "*"))  # type: ignore[union-attr]

    def has(self, code: str, lesion_id: str | None = "*") -> bool:
        """Was ``code`` emitted (for this lesion; ``"*"``: for any lesion or the case)?"""
        return (code, lesion_id) in self._keys

    def asked(self, *rule_ids: str) -> bool:
        """Did any of these rules ask for missing data?"""
        asked_by = self._asked_by
        for r in rule_ids:  # a plain loop: any(<genexpr>) costs ~3× as much here
            if r in asked_by:
                return True
        return False

    def has_any(self, codes: Iterable[str], lesion_id: str | None = "*") -> bool:
        keys = self._keys
        for c in codes:  # a plain loop: any(<genexpr>) costs ~3× as much here
            if (c, lesion_id) in keys:
                return True
        return False

    def items(self) -> Iterator[Item]:
        for f in self.findings:
            if isinstance(f, Item):
                yield f

    def missing(self) -> Iterator[Missing]:
        for f in self.findings:
            if isinstance(f, Missing):
                yield f


RuleFn = Callable[[Context, Prior], Iterable[Finding]]


@fast_init
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
        for c in self.codes:
            if c.code == code:
                return c
        raise KeyError(f"rule {self.id} did not declare code {code}")


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
        return Rule(id, section, title, checks, sources, codes, fn)

    return wrap


def item_code(
    code: str,
    title: str,
    meaning: str,
    detail_keys: tuple[str, ...] = (),
    sources: tuple[Source, ...] = (),
) -> CodeInfo:
    return CodeInfo(code, CodeKind.ITEM, title, meaning, detail_keys, None, sources)


def flag_code(
    code: str,
    severity: Severity,
    title: str,
    meaning: str,
    sources: tuple[Source, ...] = (),
) -> CodeInfo:
    return CodeInfo(code, CodeKind.FLAG, title, meaning, (), severity, sources)


def note_code(code: str, title: str, meaning: str, sources: tuple[Source, ...] = ()) -> CodeInfo:
    return CodeInfo(code, CodeKind.NOTE, title, meaning, (), None, sources)
