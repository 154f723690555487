"""Every plan the engine can be shown, byte for byte: the safety net for refactoring.

The vectors assert the codes, scores and details that matter; these digests also pin
every rationale, message, title, source and key order (``plan_to_json`` →
``json.dumps``) and the facts round trip, for every vector, every example and a fixed,
seeded sample of crossed vectors (each part of the facts from one of two vectors, the
date moved), which meets the rules in combinations no vector was written for.
``plan_digests.json`` holds one sha256 per case, so a failure names the cases that
changed. A deliberate behaviour change rewrites it (and usually bumps
``ENGINE_VERSION``): ``python -m recommendations.tests.engine.test_plan_digest --write``.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from recommendations.engine import evaluate
from recommendations.engine.facts import CaseFacts
from recommendations.engine.io import (
    FactsValidationError,
    facts_from_json,
    facts_to_json,
    plan_to_json,
)

from .helpers import merge, vector_facts
from .test_io import ENGINE_DIR, EXAMPLES
from .vectors import AS_OF, BASE, VECTORS

DIGESTS_PATH = Path(__file__).with_name("plan_digests.json")
#: Crossed vectors: enough to meet most rules in combinations no vector was written for.
GENERATED = 400
#: All cases together, as before the per-case file existed (vectors and examples).
EXPECTED = "a73e2b8620117e0eeb555965f6f7661fe35f7c8f646146bca5743f6d3f112b19"


def _payload(facts: CaseFacts, as_of: date) -> bytes:
    plan = plan_to_json(evaluate(facts, as_of=as_of))
    return json.dumps([facts_to_json(facts), plan], ensure_ascii=False).encode()


def generated_facts() -> list[tuple[CaseFacts, date]]:
    """Crossed vectors from a fixed seed: the same facts on every run and machine."""
    rng = random.Random(20261202)
    merged = [merge(BASE, v.get("facts", {})) for v in VECTORS]
    out: list[tuple[CaseFacts, date]] = []
    while len(out) < GENERATED:
        a, b = rng.sample(merged, 2)
        data = {
            k: b[k] if k in b and (k not in a or rng.random() < 0.4) else a[k]
            for k in sorted(a.keys() | b.keys())
        }
        as_of = date.fromisoformat(AS_OF) + timedelta(days=rng.randint(-200, 400))
        try:
            facts = facts_from_json(data, as_of=as_of)
        except FactsValidationError:
            continue  # e.g. a lab dated after the moved date
        out.append((facts, as_of))
    return out


def cases() -> Iterator[tuple[str, bytes]]:
    for vec in VECTORS:
        facts, as_of = vector_facts(vec)
        yield vec["id"], _payload(facts, as_of)
    for name, as_of in sorted(EXAMPLES.items()):
        data = json.loads((ENGINE_DIR / "examples" / name).read_text(encoding="utf-8"))
        yield name, _payload(facts_from_json(data, as_of=as_of), as_of)
    for n, (facts, as_of) in enumerate(generated_facts()):
        yield f"crossed-{n:03d}", _payload(facts, as_of)


def digests() -> dict[str, str]:
    return {name: hashlib.sha256(payload).hexdigest() for name, payload in cases()}


def combined_digest() -> str:
    """The single digest over vectors and examples this file started with."""
    h = hashlib.sha256()
    for name, payload in cases():
        if name.startswith("crossed-"):
            break
        h.update(name.encode())
        h.update(payload)
    return h.hexdigest()


def test_every_plan_is_byte_identical() -> None:
    expected: dict[str, Any] = json.loads(DIGESTS_PATH.read_text(encoding="utf-8"))
    actual = digests()
    changed = sorted(k for k in expected.keys() | actual.keys() if expected.get(k) != actual.get(k))
    assert changed == []
    assert len(actual) == len(VECTORS) + len(EXAMPLES) + GENERATED


def test_vectors_and_examples_match_the_original_digest() -> None:
    assert combined_digest() == EXPECTED


if __name__ == "__main__":
    if "--write" in sys.argv:
        DIGESTS_PATH.write_text(json.dumps(digests(), indent=1) + "\n", encoding="utf-8")
    print(combined_digest())
