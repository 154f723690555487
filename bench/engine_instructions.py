"""Benchmark: instructions per ``evaluate`` call, counted by valgrind's callgrind.

Run: ``python bench/engine_instructions.py`` (needs ``valgrind``). Prints figures; it is
not a test. CPU times on the shared 2-core machines move by a factor of two from one
minute to the next; instruction counts do not. The bench case of
``bench/engine_evaluate.py`` (5 lesions) is evaluated ``N = 0`` and ``N = --calls`` times
in two runs under callgrind, and the difference of the two totals divided by ``--calls``
is the cost of one call (imports, the facts and the warm-up call cancel out).
``--function plan_to_json`` (or ``facts_from_json``; repeatable) counts those instead.

``--tree DIR`` measures another checkout (e.g. ``git archive main | tar -x -C
/tmp/engine_before``), so a change is compared with the tree before it in one command.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: Run inside the measured tree: the bench case, one warm-up call, then N calls.
CHILD = """
import sys
sys.path.insert(0, {tree!r})
sys.path.insert(0, {tree!r} + "/bench")
from engine_evaluate import AS_OF, five_lesion_case
from recommendations.engine import evaluate
from recommendations.engine.io import facts_from_json, plan_to_json
data = five_lesion_case()
facts = facts_from_json(data, as_of=AS_OF)
plan = evaluate(facts, as_of=AS_OF)
call = {call}
call()
for _ in range({n}):
    call()
"""
CALLS = {
    "evaluate": "lambda: evaluate(facts, as_of=AS_OF)",
    "facts_from_json": "lambda: facts_from_json(data, as_of=AS_OF)",
    "plan_to_json": "lambda: plan_to_json(plan)",
}


def instructions(tree: Path, function: str, n: int) -> int:
    """Total instructions (callgrind's ``Ir``) of a process calling ``function`` ``n`` times."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "callgrind.out"
        subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={out}",
                sys.executable,
                "-c",
                CHILD.format(tree=str(tree), call=CALLS[function], n=n),
            ],
            check=True,
            capture_output=True,
            env={**os.environ, "PYTHONHASHSEED": "0"},
        )
        found = re.search(r"^(?:summary|totals): (\d+)", out.read_text(), re.MULTILINE)
        if found is None:
            raise RuntimeError("no instruction total in the callgrind output")
        return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=300, help="N for the second run")
    parser.add_argument("--tree", type=Path, default=ROOT, help="checkout to measure")
    parser.add_argument("--function", choices=sorted(CALLS), action="append")
    args = parser.parse_args()
    tree = args.tree.resolve()
    for function in args.function or ["evaluate"]:
        base = instructions(tree, function, 0)
        total = instructions(tree, function, args.calls)
        per_call = (total - base) / args.calls
        print(
            f"{tree}: {function} {per_call / 1000:,.0f}k instructions per call "
            f"(N=0: {base:,}; N={args.calls}: {total:,})"
        )


if __name__ == "__main__":
    main()
