"""Build case facts from a vector (JSON merged onto BASE) through the real JSON path."""

from __future__ import annotations

import copy
from datetime import date
from typing import Any

from recommendations.engine import io
from recommendations.engine.facts import CaseFacts

from .vectors import AS_OF, BASE


def merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


def vector_facts(vec: dict[str, Any]) -> tuple[CaseFacts, date]:
    as_of = date.fromisoformat(vec.get("as_of", AS_OF))
    data = merge(BASE, vec.get("facts", {}))
    if vec.get("raw"):
        # Facts the JSON gate refuses (e.g. a creatinine without unit) can still reach the
        # engine from other callers; the engine must then flag, not guess.
        return io._to_facts(io.CaseFactsIn.model_validate(data)), as_of
    check = as_of if vec.get("as_of_check", True) else None
    return io.facts_from_json(data, as_of=check), as_of
