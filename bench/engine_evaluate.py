"""Benchmark: median CPU µs per case for ``evaluate``, ``facts_from_json`` and ``plan_to_json``.

Run: ``python bench/engine_evaluate.py``. Prints figures; it is not a test. Target:
``evaluate`` ≤ 300 µs per case (a 40-case meeting then spends ≤ 12 ms in the engine;
issue #10 retired the earlier ~100 µs target in favour of plain, readable code).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

# Run as a plain script from anywhere: the repository root holds the engine package.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from recommendations.engine import evaluate  # noqa: E402
from recommendations.engine.io import facts_from_json, plan_to_json  # noqa: E402

AS_OF = date(2025, 5, 10)
EXAMPLE = Path(__file__).resolve().parents[1] / "recommendations/engine/examples/crpc_t12_mscc.json"


def five_lesion_case() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["lesions"] = data["lesions"] + [
        {
            "id": "L4",
            "bone": "vertebra",
            "vertebral_level": "T8",
            "lesion_type": "mixed",
            "spinal_pain": "mechanical",
            "alignment": "normal",
            "collapse_percent": 20,
            "posterolateral": "none",
            "soft_tissue_mass": False,
            "epidural_extension": False,
            "pathological_fracture": True,
        },
        {
            "id": "L5",
            "bone": "humerus",
            "laterality": "right",
            "long_bone_segment": "diaphysis",
            "lesion_type": "lytic",
            "limb_pain": "functional",
            "cortical_involvement": "gt_2_3",
            "soft_tissue_mass": False,
            "pathological_fracture": False,
        },
    ]
    return data


def per_call_us(fn: Any, number: int, repeats: int) -> list[float]:
    # CPU time of this process: the machines are shared, and wall time would also count
    # the minutes other processes hold the cores.
    out = []
    for _ in range(repeats):
        t0 = time.process_time()
        for _ in range(number):
            fn()
        out.append((time.process_time() - t0) / number * 1e6)
    return out


def main() -> None:
    data = five_lesion_case()
    facts = facts_from_json(data, as_of=AS_OF)
    plan = evaluate(facts, as_of=AS_OF)
    assert len(facts.lesions) == 5
    for _ in range(200):  # warm-up
        evaluate(facts, as_of=AS_OF)
    ev = per_call_us(lambda: evaluate(facts, as_of=AS_OF), 2000, 7)
    fj = per_call_us(lambda: facts_from_json(data, as_of=AS_OF), 2000, 7)
    pj = per_call_us(lambda: plan_to_json(plan), 2000, 7)
    print(
        f"case: 5 lesions, {len(plan.items)} items, {len(plan.flags)} flags, "
        f"{len(plan.missing_data)} missing-data requests"
    )
    for name, runs in (("evaluate", ev), ("facts_from_json", fj), ("plan_to_json", pj)):
        print(
            f"{name:<15} median {statistics.median(runs):7.1f} µs/case  "
            f"(CPU time; runs: {', '.join(f'{x:.1f}' for x in runs)})"
        )


if __name__ == "__main__":
    main()
