"""Invariants the engine's performance shortcuts rely on (see recommendations/engine)."""

from __future__ import annotations

import dataclasses

import pytest

from recommendations.engine.catalogue import CODES
from recommendations.engine.fastinit import fast_init
from recommendations.engine.plan import PlanItem
from recommendations.engine.rules.base import CodeKind
from recommendations.engine.rules.systemic import LOCAL_TREATMENT_CODES


def test_local_treatment_codes_are_item_codes() -> None:
    # SYS-01 reads them with prior.has(), which would also match a flag or note code.
    for code in LOCAL_TREATMENT_CODES:
        assert CODES[code][0].kind is CodeKind.ITEM, code


def test_fast_init_keeps_defaults_factories_and_frozenness() -> None:
    @fast_init
    @dataclasses.dataclass(frozen=True, slots=True)
    class Sample:
        a: int
        b: str = "x"
        c: list[int] = dataclasses.field(default_factory=list)

    s = Sample(1)
    assert (s.a, s.b, s.c) == (1, "x", [])
    assert Sample(1).c is not s.c
    assert Sample(2, "y", [3]) == Sample(a=2, b="y", c=[3])
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.a = 2  # type: ignore[misc]
    with pytest.raises(TypeError):
        Sample()  # type: ignore[call-arg]


def test_fast_init_refuses_non_frozen_classes() -> None:
    @dataclasses.dataclass(slots=True)
    class Plain:
        a: int

    with pytest.raises(TypeError):
        fast_init(Plain)


def test_plan_item_is_still_frozen() -> None:
    fields = [f.name for f in dataclasses.fields(PlanItem)]
    item = PlanItem(*(None for _ in fields))  # type: ignore[arg-type]
    with pytest.raises(dataclasses.FrozenInstanceError):
        item.code = "x"  # type: ignore[misc]
