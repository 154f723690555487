"""How a rule is written: a pure function plus metadata, no rule language.

A rule function receives the evaluation ``Context`` and the findings of the rules
before it (catalogue order) and yields findings. The engine turns findings into plan
items, flags, notes, missing-data requests and quorum entries, filling in the title,
section, rule ID and sources from the metadata below — so a rule can only emit codes it
declared.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, fields
from enum import StrEnum

from ..common import Detail, Section, Severity, Source, Supplier, Urgency
from ..context import Context
from ..facts import Specialty
from ..fastinit import fast_init, fast_new, mutable_twin
from ..plan import BoardNote, Flag, PlanItem


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
#
# A rule's plan items, flags and notes are built as the plan's own objects: ``Item``,
# ``Flagged`` and ``Note`` fill in the section, title, rule ID, severity and sources from
# the code's catalogue entry (registered by ``rule()`` below). Building a finding first
# and copying it into a second, plan-shaped object cost about a third of ``evaluate``.

#: Per declared code: (section, title, rule ID, sources, severity for flags).
_CODE_META: dict[str, tuple[Section, str, str, tuple[Source, ...], Severity]] = {}

# Findings are built many times per evaluation. Items and flags are filled in place on
# their classes' mutable twins (see fastinit): one call per finding rather than Item or
# Flagged plus a constructor function; notes (rarer) use a constructor function.
_PlanItemTwin = mutable_twin(PlanItem)
_FlagTwin = mutable_twin(Flag)
_new_note = fast_new(BoardNote)


def Item(  # noqa: N802 - reads as the finding it is; returns the plan's PlanItem
    code: str,
    rationale: str,
    detail: Detail,
    urgency: Urgency = Urgency.ROUTINE,
    lesion_id: str | None = None,
) -> PlanItem:
    """A plan item (``KeyError`` for a code no rule declared)."""
    section, title, rule_id, sources, _ = _CODE_META[code]
    # Every PlanItem field, in declaration order (checked at import, below Flagged).
    item = _PlanItemTwin()
    item.code = code
    item.section = section
    item.title = title
    item.detail = detail
    item.rationale = rationale
    item.urgency = urgency
    item.rule_id = rule_id
    item.sources = sources
    item.lesion_id = lesion_id
    item.__class__ = PlanItem
    made: PlanItem = item
    return made


def Flagged(code: str, message: str, lesion_id: str | None = None) -> Flag:  # noqa: N802
    """A flag with its declared severity (``KeyError`` for an undeclared code)."""
    section, _, rule_id, sources, severity = _CODE_META[code]
    flag = _FlagTwin()  # as in Item: every Flag field, in declaration order
    flag.code = code
    flag.section = section
    flag.severity = severity
    flag.message = message
    flag.rule_id = rule_id
    flag.sources = sources
    flag.lesion_id = lesion_id
    flag.__class__ = Flag
    made: Flag = flag
    return made


# Item() and Flagged() set their classes' fields one by one: fail at import if they change.
_ITEM_FIELDS = "code section title detail rationale urgency rule_id sources lesion_id"
_FLAG_FIELDS = "code section severity message rule_id sources lesion_id"
for _cls, _names in ((PlanItem, _ITEM_FIELDS), (Flag, _FLAG_FIELDS)):
    if [f.name for f in fields(_cls)] != _names.split():  # pragma: no cover
        raise RuntimeError(f"{_cls.__name__}'s fields changed: update Item() / Flagged()")


def Note(code: str, message: str) -> BoardNote:  # noqa: N802
    """A board note (``KeyError`` for an undeclared code)."""
    section, _, rule_id, sources, _ = _CODE_META[code]
    return _new_note(code, section, message, rule_id, sources)


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


Finding = PlanItem | Flag | BoardNote | Missing | Quorum


@dataclass(slots=True, init=False)
class Prior:
    """Findings of the rules already run, by kind (read-only for rules).

    ``evaluate`` builds the plan from these lists once every rule has run.
    """

    items: list[PlanItem]
    flags: list[Flag]
    notes: list[BoardNote]
    #: (request, asking rule ID) in the order asked.
    missing: list[tuple[Missing, str]]
    quorum: list[tuple[Quorum, str]]
    #: Item, flag and note codes emitted (for the case or any lesion); ``code in
    #: prior.codes`` is ``prior.has(code)`` without the call. Which lesion a code was
    #: emitted for is asked rarely (RT-01 only): ``lesions_with`` then scans the items
    #: and flags, rather than every finding keeping a (code, lesion) index.
    codes: set[str]
    _asked_by: set[str]

    def __init__(self) -> None:
        # Literals rather than the dataclass's default factories: one per evaluation.
        self.items = []
        self.flags = []
        self.notes = []
        self.missing = []
        self.quorum = []
        self.codes = set()
        self._asked_by = set()

    def add(self, finding: Finding, rule_id: str) -> None:
        # Exact-class dispatch (findings are final dataclasses): runs for every finding.
        kind = type(finding)
        if kind is PlanItem:
            self.items.append(finding)  # type: ignore[arg-type]
            self.codes.add(finding.code)  # type: ignore[union-attr]
        elif kind is Quorum:
            self.quorum.append((finding, rule_id))  # type: ignore[arg-type]
        elif kind is Flag:
            self.flags.append(finding)  # type: ignore[arg-type]
            self.codes.add(finding.code)  # type: ignore[union-attr]
        elif kind is Missing:
            self.missing.append((finding, rule_id))  # type: ignore[arg-type]
            self._asked_by.add(rule_id)
        elif kind is BoardNote:
            self.notes.append(finding)  # type: ignore[arg-type]
            self.codes.add(finding.code)  # type: ignore[union-attr]
        else:  # pragma: no cover - a rule yielded something that is not a finding
            raise TypeError(f"rule {rule_id} yielded {finding!r}")

    def run(self, rules: Iterable[Rule], ctx: Context) -> None:
        """Run ``rules`` in order, recording each finding as it is yielded (a rule sees
        the findings of the rules before it, and its own earlier ones)."""
        # ``add`` inlined: this loop runs for every finding of every rule.
        items, flags, notes, quorum = self.items, self.flags, self.notes, self.quorum
        codes = self.codes
        for rule in rules:
            for finding in rule.fn(ctx, self):
                kind = type(finding)
                if kind is PlanItem:
                    items.append(finding)  # type: ignore[arg-type]
                    codes.add(finding.code)  # type: ignore[union-attr]
                elif kind is Quorum:
                    quorum.append((finding, rule.id))  # type: ignore[arg-type]
                elif kind is Flag:
                    flags.append(finding)  # type: ignore[arg-type]
                    codes.add(finding.code)  # type: ignore[union-attr]
                elif kind is BoardNote:
                    notes.append(finding)  # type: ignore[arg-type]
                    codes.add(finding.code)  # type: ignore[union-attr]
                else:
                    self.add(finding, rule.id)

    def has(self, code: str, lesion_id: str | None = "*") -> bool:
        """Was ``code`` emitted (for this lesion; ``"*"``: for any lesion or the case)?"""
        if lesion_id == "*" or code not in self.codes:
            return code in self.codes
        return lesion_id in self.lesions_with(code)

    def lesions_with(self, code: str) -> set[str | None]:
        """The lesion IDs an item or flag ``code`` was emitted for (``None``: the case)."""
        if code not in self.codes:
            return set()
        # Plain loops: on Python 3.11 each comprehension also builds a function object.
        out: set[str | None] = set()
        for i in self.items:
            if i.code == code:
                out.add(i.lesion_id)
        for f in self.flags:
            if f.code == code:
                out.add(f.lesion_id)
        return out

    def asked(self, *rule_ids: str) -> bool:
        """Did any of these rules ask for missing data?"""
        return not self._asked_by.isdisjoint(rule_ids)

    def emitted(self, codes: Iterable[str]) -> set[str]:
        """Which of ``codes`` were emitted (for the case or any lesion)."""
        return self.codes.intersection(codes)

    def has_any(self, codes: Iterable[str], lesion_id: str | None = "*") -> bool:
        if lesion_id == "*":
            return not self.codes.isdisjoint(codes)  # the loop runs in C
        for c in codes:
            if self.has(c, lesion_id):
                return True
        return False


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
        for info in codes:
            if info.code in _CODE_META:
                raise RuntimeError(f"code {info.code} declared twice")
            _CODE_META[info.code] = (
                section,
                info.title,
                id,
                info.sources or sources,
                info.severity or Severity.INFO,
            )
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
