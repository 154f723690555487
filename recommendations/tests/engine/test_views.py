"""The evaluation's internal views (``common.view``) are read-only to the type checker.

They are plain slotted dataclasses at run time (a frozen one costs ≈ 1.3k instructions
per field), so what keeps a rule from changing the context under the rules after it is
mypy, as ``.ci/run`` runs it on the engine. This test type-checks rule-like code that
assigns to each kind of view and requires mypy to refuse every assignment.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from recommendations.engine.common import Urgency
from recommendations.engine.context import Context, LabStatus, LesionView, PriorRt
from recommendations.engine.plan import DraftPlan, PlanItem
from recommendations.engine.reconcile import Reconciled
from recommendations.engine.rules.base import Missing, Quorum
from recommendations.engine.rules.hcm import CalciumReading, CorrectedCalcium
from recommendations.engine.rules.mscc import Criterion
from recommendations.engine.rules.radiotherapy import RtStatus

REPO = Path(__file__).resolve().parents[3]

VIEWS = (
    Context,
    LabStatus,
    LesionView,
    PriorRt,
    Reconciled,
    Missing,
    Quorum,
    CalciumReading,
    CorrectedCalcium,
    Criterion,
    RtStatus,
)

ASSIGNMENTS = """
from recommendations.engine.common import Urgency
from recommendations.engine.context import Context
from recommendations.engine.rules.base import Missing, Prior, Quorum
from recommendations.engine.rules.radiotherapy import rt_statuses


def meddle(ctx: Context, prior: Prior, m: Missing, q: Quorum) -> None:
    ctx.mscc = True
    ctx.lesions[0].painful = False
    ctx.labs[next(iter(ctx.labs))].value = 1.0
    rt_statuses(ctx, prior)[0].candidate = False
    m.why = "changed"
    q.provisional = True
"""


def test_views_are_plain_slotted_dataclasses_at_run_time() -> None:
    for cls in VIEWS:
        params = cls.__dataclass_params__  # type: ignore[attr-defined]
        assert not params.frozen, cls
        assert "__slots__" in cls.__dict__, cls
    # The public plan stays frozen at run time.
    for cls in (PlanItem, DraftPlan):
        assert cls.__dataclass_params__.frozen  # type: ignore[attr-defined]
    item = PlanItem("RT-SINGLE-8GY", {"summary": "8 Gy"}, "why", Urgency.ROUTINE)
    with pytest.raises(dataclasses.FrozenInstanceError):
        item.code = "Y"  # type: ignore[misc]


def test_mypy_refuses_assignments_to_views(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mypy_api = pytest.importorskip("mypy.api")
    monkeypatch.chdir(REPO)  # mypy finds the engine from the repository root
    module = tmp_path / "meddling_rule.py"
    module.write_text(ASSIGNMENTS, encoding="utf-8")
    out, err, status = mypy_api.run(
        [
            "--config-file",
            str(REPO / "pyproject.toml"),
            "--cache-dir",
            str(tmp_path / "cache"),
            "--no-error-summary",
            str(module),
        ]
    )
    assert status == 1, out + err
    refused = [line for line in out.splitlines() if "is read-only" in line]
    assert len(refused) == 6, out
