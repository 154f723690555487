"""Boundaries of the rules added from the rules additions (sections B, G, I, J).

The vectors show each rule firing; these tests pin the thresholds on both sides and
the JSON gate's ranges for the new facts.
"""

from __future__ import annotations

from typing import Any

import pytest

from cases.plausibility import MEASURE_BOUNDS, measure_problem
from recommendations.engine import evaluate
from recommendations.engine.io import FactsValidationError, facts_from_json
from recommendations.engine.plan import DraftPlan
from recommendations.engine.rules.mscc import rades_ambulatory_group

from .helpers import merge, vector_facts
from .vectors import BASE, spine


def _plan(facts: dict[str, Any]) -> DraftPlan:
    case, as_of = vector_facts({"id": "boundary", "facts": facts})
    return evaluate(case, as_of=as_of)


@pytest.mark.parametrize(
    ("score", "group", "walking", "advice"),
    [
        (21, "≤ 28", 6, "short-course radiotherapy or best supportive care"),
        (28, "≤ 28", 6, "short-course radiotherapy or best supportive care"),
        (29, "29–31", 44, "consider surgery in addition to radiotherapy"),
        (31, "29–31", 44, "consider surgery in addition to radiotherapy"),
        (32, "32–34", 70, "consider surgery in addition to radiotherapy"),
        (34, "32–34", 70, "consider surgery in addition to radiotherapy"),
        (35, "35–37", 86, "consider surgery in addition to radiotherapy"),
        (37, "35–37", 86, "consider surgery in addition to radiotherapy"),
        (38, "≥ 38", 99, "radiotherapy alone"),
        (44, "≥ 38", 99, "radiotherapy alone"),
    ],
)
def test_rades_ambulatory_groups_at_each_cut_off(
    score: int, group: str, walking: int, advice: str
) -> None:
    got = rades_ambulatory_group(score)
    assert (got[0], got[1], got[4]) == (group, walking, advice)


def _mscc(**neurology: Any) -> dict[str, Any]:
    return {
        "neurology": {"deficit": True, "suspected_cord_compression": True, **neurology},
        "lesions": [spine(level="T9", epidural_extension=True, escc_grade="3")],
    }


@pytest.mark.parametrize(
    ("path", "over"),
    [
        ("neurology.rades_ambulatory_score", _mscc(rades_ambulatory_score=20)),
        ("neurology.rades_ambulatory_score", _mscc(rades_ambulatory_score=45)),
        ("extraskeletal.metastasis_count", {"extraskeletal": {"metastasis_count": 0}}),
        ("lesions.0.escc_grade", {"lesions": [{"id": "F1", "bone": "femur", "escc_grade": "2"}]}),
        ("lesions.0.escc_grade", {"lesions": [spine(escc_grade="4")]}),
    ],
)
def test_new_facts_out_of_range_are_refused_field_by_field(path: str, over: Any) -> None:
    with pytest.raises(FactsValidationError) as exc:
        facts_from_json(merge(BASE, over))
    assert path in exc.value.errors


@pytest.mark.parametrize("score", [21, 44])
def test_rades_score_range_ends_are_accepted(score: int) -> None:
    plan = _plan(_mscc(rades_ambulatory_score=score))
    flag = next(f for f in plan.flags if f.code == "MSCC-RADES-AMBULATORY-PROGNOSIS")
    assert f"score {score} " in flag.message


def test_escc_high_grade_radiosensitive_tumour_may_have_rt_first() -> None:
    plan = _plan({**_mscc(), "primary": {"site": "myeloma"}})
    flag = next(f for f in plan.flags if f.code == "MSCC-ESCC-HIGH-GRADE")
    assert "radiosensitive" in flag.message and "decompression before" not in flag.message


@pytest.mark.parametrize(("count", "oligo"), [(1, True), (5, True), (6, False), (40, False)])
def test_oligometastatic_count_boundary(count: int, oligo: bool) -> None:
    extraskeletal = {"metastasis_count": count, "all_sites_treatable": True}
    codes = _plan({"extraskeletal": extraskeletal}).codes()
    assert ("OMD-DISCUSS-METASTASIS-DIRECTED" in codes) is oligo
    assert ("OMD-MORE-THAN-5" in codes) is not oligo


def test_cord_limits_are_printed_never_applied() -> None:
    plan = _plan({"primary": {"site": "kidney"}, "ecog": 0,
                  "lesions": [spine(level="L2", spinal_pain="occasional")]})
    flag = next(f for f in plan.flags if f.code == "RT-SBRT-CORD-DOSE-LIMITS")
    for limit in ("12.4–14.0 Gy/1", "17.0 Gy/2", "20.3 Gy/3", "23.0 Gy/4", "25.3 Gy/5"):
        assert limit in flag.message
    assert "does not apply them" in flag.message


def test_denosumab_stop_in_the_past_is_not_a_proposed_stop() -> None:
    codes = _plan({"bone_targeted_agents": [
        {"agent": "denosumab", "start": "2024-01-10", "stop": "2025-05-01"}]}).codes()
    assert not codes & {"BTA-DENOSUMAB-STOP-VERTEBRAL-FRACTURES", "BTA-DENOSUMAB-NO-ABRUPT-STOP"}


# --- PAIN-03 / PAIN-04: the board's analgesia-review trigger


def _review(worst: int, trigger: int | None):
    plan = _plan({"pain": {"worst_nrs": worst, "analgesia_review_nrs": trigger}})
    return next((i for i in plan.items if i.code == "PAIN-ANALGESIA-REVIEW"), None)


@pytest.mark.parametrize("trigger", [None, 5, 4])
def test_analgesia_review_at_the_trigger_not_one_below(trigger: int | None) -> None:
    at = 5 if trigger is None else trigger
    assert _review(at - 1, trigger) is None
    item = _review(at, trigger)
    assert item is not None
    assert item.detail["trigger_nrs"] == at


@pytest.mark.parametrize("trigger", [None, 5])
def test_the_published_trigger_is_cited_not_called_local(trigger: int | None) -> None:
    item = _review(5, trigger)
    assert item.detail["local_threshold"] is False
    assert "NRS ≥ 5, moderate or worse (PAIN-03: Serlin 1995, Woo 2015)" in item.rationale
    assert "local choice" not in item.rationale


def test_a_board_trigger_of_4_is_labelled_its_local_choice() -> None:
    item = _review(4, 4)
    assert item.detail["local_threshold"] is True
    assert "NRS ≥ 4 is this board's local choice of trigger" in item.rationale
    assert "moderate pain at NRS ≥ 5 (PAIN-03: Serlin 1995, Woo 2015)" in item.rationale


@pytest.mark.parametrize(("trigger", "ok"), [(-1, False), (0, True), (10, True), (11, False)])
def test_the_trigger_is_on_the_0_10_scale(trigger: int, ok: bool) -> None:
    data = merge(BASE, {"pain": {"analgesia_review_nrs": trigger}})
    if ok:
        assert facts_from_json(data).pain.analgesia_review_nrs == trigger
    else:
        with pytest.raises(FactsValidationError, match="analgesia_review_nrs"):
            facts_from_json(data)


# --- RT-08: neuropathic pain unknown is asked for, never assumed absent


def test_unknown_neuropathic_pain_is_asked_in_plain_words_with_the_trial() -> None:
    plan = _plan({"lesions": [spine(spinal_pain="occasional", neuropathic_pain=None)]})
    [asked] = [m for m in plan.missing_data if m.field == "lesions.0.neuropathic_pain"]
    assert "RT-08" in asked.rule_ids
    assert "neuropathic (radicular) pain would call for 20 Gy in 5 fractions" in asked.why
    assert "TROG 96.05" in asked.why
    item = next(i for i in plan.items if i.code == "RT-SINGLE-8GY")
    assert item.rationale.endswith("Provisional until neuropathic pain is known.")


@pytest.mark.parametrize(("neuropathic", "code"), [(True, "RT-NEUROPATHIC-20GY-5"),
                                                    (False, "RT-SINGLE-8GY")])
def test_a_known_answer_settles_the_prescription_and_is_not_asked(
    neuropathic: bool, code: str
) -> None:
    plan = _plan({"lesions": [spine(spinal_pain="occasional", neuropathic_pain=neuropathic)]})
    assert code in {i.code for i in plan.items}
    assert "lesions.0.neuropathic_pain" not in {m.field for m in plan.missing_data}
    assert not next(i for i in plan.items if i.code == code).detail.get("provisional")


# --- RAD-08: the largest node's short axis against ALSYMPCA's 3 cm


def _nodes(size: float | None) -> DraftPlan:
    from .vectors import crpc

    return _plan(crpc(extraskeletal={"nodal": True, "nodal_short_axis_cm": size}))


@pytest.mark.parametrize(("size", "caution"), [(0.0, False), (2.9, False), (3.0, True),
                                               (4.2, True), (30.0, True)])
def test_the_nodal_caution_starts_at_3_cm(size: float, caution: bool) -> None:
    plan = _nodes(size)
    flags = [f for f in plan.flags if f.code == "RA223-NODES-UNDER-3CM"]
    assert bool(flags) is caution
    if caution:
        assert f"Largest nodal metastasis {size:g} cm in short axis" in flags[0].message
    assert "extraskeletal.nodal_short_axis_cm" not in {m.field for m in plan.missing_data}


def test_an_unrecorded_node_size_keeps_the_note_and_is_asked_of_radiology() -> None:
    plan = _nodes(None)
    [flag] = [f for f in plan.flags if f.code == "RA223-NODES-UNDER-3CM"]
    assert "the radiologist confirms the nodal size" in flag.message
    [asked] = [m for m in plan.missing_data if m.field == "extraskeletal.nodal_short_axis_cm"]
    assert (asked.rule_ids, asked.supplied_by.value) == (("RAD-08",), "radiology")


@pytest.mark.parametrize(("size", "ok"), [(-0.1, False), (0, True), (30, True), (30.1, False)])
def test_the_gate_uses_the_records_node_size_range(size: float, ok: bool) -> None:
    assert MEASURE_BOUNDS["nodal_short_axis_cm"] == (0.0, 30.0)
    assert (measure_problem("nodal_short_axis_cm", size) is None) is ok
    data = merge(BASE, {"extraskeletal": {"nodal": True, "nodal_short_axis_cm": size}})
    if ok:
        assert facts_from_json(data).extraskeletal.nodal_short_axis_cm == size
    else:
        with pytest.raises(FactsValidationError) as exc:
            facts_from_json(data)
        assert "extraskeletal.nodal_short_axis_cm" in exc.value.errors


# --- RAD-10: apalutamide and darolutamide by kind, the name only for older "other" rows


def _arpi_note(*therapies: dict[str, Any]):
    from .vectors import crpc

    plan = _plan(crpc(systemic_therapies=list(therapies)))
    return next((n for n in plan.notes if n.code == "RA223-WITH-OTHER-ARPI"), None)


@pytest.mark.parametrize("kind", ["apalutamide", "darolutamide"])
def test_a_typed_arpi_is_read_by_its_kind_without_a_name(kind: str) -> None:
    note = _arpi_note({"kind": kind, "start": "2025-04-01"})
    assert note is not None
    assert note.message.startswith(f"{kind.capitalize()} recorded: no data")


def test_an_older_other_record_is_still_read_by_its_name() -> None:
    note = _arpi_note({"kind": "other", "name": "Apalutamide 240 mg", "start": "2025-04-01"})
    assert note is not None and note.message.startswith("Apalutamide recorded")


def test_the_name_is_read_only_for_other_rows_and_both_are_named_once() -> None:
    assert _arpi_note({"kind": "adt", "name": "darolutamide?", "start": "2025-04-01"}) is None
    note = _arpi_note({"kind": "darolutamide", "name": "Darolutamide", "start": "2025-04-01"},
                      {"kind": "other", "name": "apalutamide", "planned": True})
    assert note.message.startswith("Apalutamide and darolutamide recorded")
    assert "combining them" in note.message


def test_abiraterone_stays_rad04_not_rad10() -> None:
    from .vectors import crpc

    plan = _plan(crpc(systemic_therapies=[{"kind": "abiraterone_prednisone",
                                           "start": "2025-04-01"}]))
    assert "RA223-WITH-OTHER-ARPI" not in plan.codes()
    assert "RA223-EXCL-ABIRATERONE-PREDNISONE" in {f.code for f in plan.flags}
