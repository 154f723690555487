"""Boardsite recommendation engine: pure Python, no Django, no clock, no I/O.

``evaluate(facts, as_of=date)`` turns frozen case facts into a draft plan for the
bone-metastasis tumour board. The engine drafts; the board decides.
"""

from .catalogue import CODES, RULES, get_code, get_rule, list_codes, list_rules
from .engine import evaluate
from .facts import CaseFacts
from .plan import ENGINE_VERSION, DraftPlan

__all__ = [
    "CODES",
    "ENGINE_VERSION",
    "RULES",
    "CaseFacts",
    "DraftPlan",
    "evaluate",
    "get_code",
    "get_rule",
    "list_codes",
    "list_rules",
]
