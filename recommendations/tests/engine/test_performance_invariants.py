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


def test_fast_init_instances_have_their_own_class_and_stay_frozen() -> None:
    # fast_init fills the slots through a mutable twin class, then restores the class.
    item = PlanItem(*(str(i) for i in range(len(dataclasses.fields(PlanItem)))))  # type: ignore[arg-type]
    assert type(item) is PlanItem
    assert item.code == "0" and item.lesion_id == "8"
    with pytest.raises(dataclasses.FrozenInstanceError):
        item.title = "x"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        del item.title  # type: ignore[misc]
    assert dataclasses.replace(item, title="t").title == "t"


def test_fast_init_subclass_instances_keep_their_class() -> None:
    @fast_init
    @dataclasses.dataclass(frozen=True, slots=True)
    class Base:
        a: int
        b: int = 2

    class Sub(Base):
        __slots__ = ("extra",)

    s = Sub(1)
    assert type(s) is Sub and (s.a, s.b) == (1, 2)
    with pytest.raises(dataclasses.FrozenInstanceError):
        s.a = 3  # type: ignore[misc]


def test_fast_init_refuses_derived_classes() -> None:
    @dataclasses.dataclass(frozen=True, slots=True)
    class Base:
        a: int

    @dataclasses.dataclass(frozen=True, slots=True)
    class Derived(Base):
        b: int

    with pytest.raises(TypeError):
        fast_init(Derived)


def test_rt_status_inputs_are_final_before_radiotherapy() -> None:
    # rt_statuses() is computed once, by the first radiotherapy rule, from surgery and
    # MSCC findings: every code it reads must come from a rule that runs before RT-01.
    from recommendations.engine.catalogue import RULES
    from recommendations.engine.common import Section
    from recommendations.engine.rules.radiotherapy import NOT_ADVISED_FLAGS
    from recommendations.engine.rules.surgery import SURGICAL_ITEM_CODES

    first_rt = next(i for i, r in enumerate(RULES) if r.section is Section.RADIOTHERAPY)
    position = {r.id: i for i, r in enumerate(RULES)}
    for code in (*SURGICAL_ITEM_CODES, *NOT_ADVISED_FLAGS, "MSCC-DECOMPRESSION-THEN-RT"):
        assert position[CODES[code][1].id] < first_rt, code


def test_flat_fact_models_dict_equals_model_dump() -> None:
    # io._to_facts builds the list entries from the models' __dict__ (no nested models).
    from pydantic import BaseModel

    from recommendations.engine import io

    for model in (
        io.LesionIn,
        io.BtaCourseIn,
        io.SystemicIn,
        io.RadiotherapyIn,
        io.SurgeryIn,
        io.RadioisotopeIn,
        io.ImagingIn,
    ):
        for name, f in model.model_fields.items():
            ann = f.annotation
            assert not (isinstance(ann, type) and issubclass(ann, BaseModel)), (model, name)
    les = io.LesionIn.model_validate({"id": "L1", "bone": "femur", "collapse_percent": 10})
    assert les.__dict__ == les.model_dump()
    assert list(les.__dict__) == list(io.LesionIn.model_fields)


def test_missing_score_components_always_span_a_range() -> None:
    # SINS-08 / MIR-02 skip an exact total: that needs every missing component to span
    # a range (and "undefined" 50 % collapse is 2–3 too).
    from recommendations.engine.facts import Bone, Lesion
    from recommendations.engine.scores import ComponentStatus, mirels_score, sins_score

    for comps in (
        sins_score(Lesion("s", Bone.VERTEBRA)).components,
        sins_score(Lesion("s", Bone.VERTEBRA, collapse_percent=0)).components,
        sins_score(Lesion("s", Bone.VERTEBRA, collapse_percent=50)).components,
        mirels_score(Lesion("f", Bone.FEMUR)).components,
        mirels_score(Lesion("h", Bone.HUMERUS)).components,
    ):
        for c in comps:
            if c.status is not ComponentStatus.KNOWN:
                assert c.min_points < c.max_points, c
