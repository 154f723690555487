"""The one catalogue of rules and output codes, in evaluation order.

The API and the rules page list it; ``evaluate`` runs it. A rule sees the findings of
the rules before it (e.g. RT-02 sees the fixation drafted by SURG-01), so the order
below is part of the engine's meaning.
"""

from __future__ import annotations

from collections import Counter

from .common import Section
from .rules import (
    assessment,
    bta,
    followup,
    hcm,
    mscc,
    oligometastatic,
    pain,
    pitfalls,
    quorum,
    radioisotopes,
    radiotherapy,
    scores,
    surgery,
    systemic,
)
from .rules.base import CodeInfo, Rule

RULES: tuple[Rule, ...] = (
    *scores.RULES,
    *assessment.RULES,
    *mscc.RULES,
    *surgery.RULES,
    *radiotherapy.RULES,
    *oligometastatic.RULES,
    *pain.RULES,
    *hcm.RULES,
    *bta.RULES,
    *radioisotopes.RULES,
    *systemic.RULES,
    *pitfalls.RULES,
    *followup.RULES,
    *quorum.RULES,
)

_BY_ID: dict[str, Rule] = {r.id: r for r in RULES}
if len(_BY_ID) != len(RULES):  # pragma: no cover - guarded by tests too
    raise RuntimeError("duplicate rule ID in the catalogue")

#: Every plan-item, flag and note code → (its definition, the rule that emits it).
CODES: dict[str, tuple[CodeInfo, Rule]] = {}
for _rule in RULES:
    for _info in _rule.codes:
        if _info.code in CODES:  # pragma: no cover
            raise RuntimeError(f"code {_info.code} declared twice")
        CODES[_info.code] = (_info, _rule)


def list_rules(section: Section | None = None) -> tuple[Rule, ...]:
    return RULES if section is None else tuple(r for r in RULES if r.section is section)


def get_rule(rule_id: str) -> Rule:
    """Raises ``KeyError`` for an unknown ID."""
    return _BY_ID[rule_id]


def list_codes() -> tuple[CodeInfo, ...]:
    return tuple(info for info, _ in CODES.values())


def get_code(code: str) -> tuple[CodeInfo, Rule]:
    """Raises ``KeyError`` for an unknown code."""
    return CODES[code]


def rule_counts_by_section() -> dict[str, int]:
    counts = Counter(str(r.section) for r in RULES)
    return {str(s): counts[str(s)] for s in Section if counts[str(s)]}
