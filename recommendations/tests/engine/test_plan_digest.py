"""Every vector's and example's plan, byte for byte, as one digest.

Performance work on the engine must not change a single output byte. The vectors assert
the codes, scores and details that matter; this digest also pins every rationale, message,
title, source and key order (``plan_to_json`` → ``json.dumps``), and the facts round trip.
A deliberate behaviour change updates ``EXPECTED`` (and usually ``ENGINE_VERSION``):
``python -m recommendations.tests.engine.test_plan_digest`` prints the new value.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from recommendations.engine import evaluate
from recommendations.engine.io import facts_from_json, facts_to_json, plan_to_json

from .helpers import vector_facts
from .test_io import ENGINE_DIR, EXAMPLES
from .vectors import VECTORS

EXPECTED = "9d4b5e22dcef0a58e4a5af07b5e6cc29bdfc2103037641b3a78994c95c242ec1"


def digest() -> str:
    h = hashlib.sha256()

    def feed(name: str, payload: Any) -> None:
        h.update(name.encode())
        h.update(json.dumps(payload, ensure_ascii=False).encode())

    for vec in VECTORS:
        facts, as_of = vector_facts(vec)
        feed(vec["id"], [facts_to_json(facts), plan_to_json(evaluate(facts, as_of=as_of))])
    for name, as_of in sorted(EXAMPLES.items()):
        data = json.loads((ENGINE_DIR / "examples" / name).read_text(encoding="utf-8"))
        facts = facts_from_json(data, as_of=as_of)
        feed(name, [facts_to_json(facts), plan_to_json(evaluate(facts, as_of=as_of))])
    return h.hexdigest()


def test_every_plan_is_byte_identical() -> None:
    assert digest() == EXPECTED


if __name__ == "__main__":
    print(digest())
