"""JSON gate: refused values with field-level messages, schema freshness, examples, output."""

from __future__ import annotations

import json
import sys
from dataclasses import fields
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from recommendations.engine import evaluate, io
from recommendations.engine import facts as F
from recommendations.engine.io import (
    FactsValidationError,
    case_facts_json_schema,
    catalogue_to_json,
    facts_from_json,
    plan_to_json,
)

from .helpers import merge
from .vectors import AS_OF, BASE, lab, limb, spine

ENGINE_DIR = Path(__file__).resolve().parents[2] / "engine"
SCHEMA_PATH = ENGINE_DIR / "case_facts.schema.json"
EXAMPLES = {
    "crpc_t12_mscc.json": date(2025, 5, 10),
    "breast_femur_impending.json": date(2025, 6, 3),
    "renal_zoledronic_running.json": date(2025, 9, 4),
}


def schema_text() -> str:
    return json.dumps(case_facts_json_schema(), indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def test_committed_schema_is_up_to_date() -> None:
    # Regenerate with: python -m recommendations.tests.engine.test_io --write-schema
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text()


REFUSED: list[tuple[str, dict[str, Any], dict[str, list[str]]]] = [
    (
        "collapse 140 %",
        {"lesions": [spine(collapse_percent=140)]},
        {"lesions.0.collapse_percent": ["must be between 0 and 100"]},
    ),
    (
        "negative creatinine",
        {"labs": [lab("creatinine", -1.0, "mg/dL")]},
        {"labs.0.value": ["must not be negative"]},
    ),
    (
        "zero creatinine",
        {"labs": [lab("creatinine", 0, "mg/dL")]},
        {"labs.0.value": ["must be greater than 0"]},
    ),
    (
        "creatinine without unit",
        {"labs": [{"analyte": "creatinine", "value": 1.0, "taken_at": AS_OF}]},
        {
            "labs.0.unit": [
                "required: creatinine must state its unit (mg/dL or umol/L); it is never guessed"
            ]
        },
    ),
    (
        "creatinine in g/L",
        {"labs": [lab("creatinine", 1.0, "g/L")]},
        {"labs.0.unit": ["g/L is not a unit for creatinine (use mg/dL or umol/L)"]},
    ),
    (
        "unknown unit string",
        {"labs": [lab("creatinine", 1.0, "mg/100mL")]},
        {
            "labs.0.unit": [
                "Input should be 'mg/dL', 'umol/L', 'mmol/L', 'g/L', 'g/dL', 'U/L', "
                "'nmol BCE/L', '10^9/L', 'nmol/L' or 'ng/mL'"
            ]
        },
    ),
    (
        "future lab",
        {"labs": [lab("creatinine", 1.0, "mg/dL", "2025-06-03")]},
        {"labs.0.taken_at": ["must not be after 2025-06-02"]},
    ),
    (
        "vertebral level on a femur",
        {"lesions": [limb(vertebral_level="T12")]},
        {"lesions.0.vertebral_level": ["only for a vertebra or the sacrum, not femur"]},
    ),
    (
        "peritrochanteric humerus",
        {"lesions": [limb(bone="humerus", long_bone_segment="peritrochanteric")]},
        {"lesions.0.long_bone_segment": ["peritrochanteric applies to the femur only"]},
    ),
    (
        "SINS finding on a femur",
        {"lesions": [limb(alignment="normal")]},
        {"lesions.0.alignment": ["SINS/spinal finding not allowed on femur"]},
    ),
    (
        "Mirels finding on a vertebra",
        {"lesions": [spine(limb_pain="mild")]},
        {"lesions.0.limb_pain": ["long-bone (Mirels) finding not allowed on vertebra"]},
    ),
    (
        "sacrum at L5",
        {"lesions": [spine(bone="sacrum", level="L5")]},
        {"lesions.0.vertebral_level": ["the sacrum is S1–S5"]},
    ),
    ("ECOG 5", {"ecog": 5}, {"ecog": ["must be between 0 and 4"]}),
    ("pain 11", {"pain": {"worst_nrs": 11}}, {"pain.worst_nrs": ["must be between 0 and 10"]}),
    (
        "duplicate lesion ids",
        {"lesions": [spine(), spine()]},
        {"lesions.1.id": ["duplicate lesion id 'S1'"]},
    ),
    (
        "RT course for unknown lesion",
        {"radiotherapy_courses": [{"lesion_id": "X9", "dose_gy": 8, "fractions": 1}]},
        {"radiotherapy_courses.0.lesion_id": ["no lesion with id 'X9'"]},
    ),
    (
        "castration status on breast",
        {"primary": {"site": "breast", "castration_status": "resistant"}},
        {"primary.castration_status": ["only for prostate cancer"]},
    ),
    (
        "HER2 status on prostate",
        {"primary": {"site": "prostate", "her2_status": "positive"}},
        {"primary.her2_status": ["only for breast cancer"]},
    ),
    (
        "hormone-receptor status on lung",
        {"primary": {"site": "lung", "hormone_receptor_status": "negative"}},
        {"primary.hormone_receptor_status": ["only for breast cancer"]},
    ),
    (
        "legacy receptor status on lung",
        {"primary": {"site": "lung", "receptor_status": "her2+"}},
        {"primary.receptor_status": ["only for breast cancer"]},
    ),
    (
        "legacy receptor status with the HER2 status",
        {"primary": {"site": "breast", "receptor_status": "hr+/her2-",
                     "her2_status": "negative"}},
        {
            "primary.receptor_status": [
                "the legacy combined status cannot be given with her2_status: give "
                "hormone_receptor_status and her2_status only"
            ],
            "primary.her2_status": ["cannot be given with the legacy receptor_status"],
        },
    ),
    (
        "legacy receptor status with both new statuses",
        {"primary": {"site": "breast", "receptor_status": "unknown",
                     "hormone_receptor_status": "positive", "her2_status": "positive"}},
        {
            "primary.receptor_status": [
                "the legacy combined status cannot be given with hormone_receptor_status or "
                "her2_status: give hormone_receptor_status and her2_status only"
            ],
            "primary.hormone_receptor_status": [
                "cannot be given with the legacy receptor_status"
            ],
            "primary.her2_status": ["cannot be given with the legacy receptor_status"],
        },
    ),
    (
        "legacy receptor status not a legacy value",
        {"primary": {"site": "breast", "receptor_status": "positive"}},
        {
            "primary.receptor_status": [
                "Input should be 'hr+/her2-', 'her2+', 'triple_negative' or 'unknown'"
            ]
        },
    ),
    (
        "radium 7 doses",
        {"radioisotope_courses": [{"agent": "radium_223", "doses_given": 7}]},
        {"radioisotope_courses.0.doses_given": ["radium-223 is given as at most 6 injections"]},
    ),
    (
        "typo in a field",
        {"lesions": [spine(colapse_percent=20)]},
        {"lesions.0.colapse_percent": ["Extra inputs are not permitted"]},
    ),
    (
        "boolean as string",
        {"neurology": {"deficit": "yes"}},
        {"neurology.deficit": ["Input should be a valid boolean"]},
    ),
    (
        "stop before start",
        {
            "systemic_therapies": [
                {"kind": "chemotherapy", "start": "2025-05-01", "stop": "2025-04-01"}
            ]
        },
        {"systemic_therapies.0.stop": ["must not be before the start"]},
    ),
]


@pytest.mark.parametrize(("name", "over", "errors"), REFUSED, ids=[r[0] for r in REFUSED])
def test_refused(name: str, over: dict[str, Any], errors: dict[str, list[str]]) -> None:
    with pytest.raises(FactsValidationError) as exc:
        facts_from_json(merge(BASE, over), as_of=date.fromisoformat(AS_OF))
    assert exc.value.errors == errors


def test_future_dates_are_only_checked_with_as_of() -> None:
    data = merge(BASE, {"labs": [lab("creatinine", 1.0, "mg/dL", "2025-06-03")]})
    facts = facts_from_json(data)
    assert facts.labs[0].taken_at == date(2025, 6, 3)


def test_planned_course_may_start_after_as_of() -> None:
    data = merge(BASE, {"systemic_therapies": [{"kind": "chemotherapy", "start": "2025-07-01"}]})
    facts = facts_from_json(data, as_of=date.fromisoformat(AS_OF))
    assert facts.systemic_therapies[0].start == date(2025, 7, 1)


def test_empty_document_is_valid_and_all_unknown() -> None:
    facts = facts_from_json({})
    assert facts.patient.sex is None and facts.lesions == () and facts.ecog is None


@pytest.mark.parametrize(("name", "as_of"), sorted(EXAMPLES.items()))
def test_examples_validate_and_evaluate(name: str, as_of: date) -> None:
    data = json.loads((ENGINE_DIR / "examples" / name).read_text(encoding="utf-8"))
    plan = evaluate(facts_from_json(data, as_of=as_of), as_of=as_of)
    out = plan_to_json(plan)
    assert json.loads(json.dumps(out)) == out


def test_crpc_example_exact_plan_summary() -> None:
    data = json.loads((ENGINE_DIR / "examples" / "crpc_t12_mscc.json").read_text(encoding="utf-8"))
    as_of = EXAMPLES["crpc_t12_mscc.json"]
    plan = evaluate(facts_from_json(data, as_of=as_of), as_of=as_of)
    assert str(plan.urgency) == "emergency"
    assert [(s.lesion_id, s.total) for s in plan.sins] == [("L1", 11), ("L2", 3)]
    assert [(m.lesion_id, m.total) for m in plan.mirels] == [("L3", 7)]
    assert plan.creatinine_clearance is not None
    assert plan.creatinine_clearance.value_ml_min == 59.2
    assert plan.zoledronic_dose is not None and plan.zoledronic_dose.dose_mg == 3.5
    assert [i.code for i in plan.items][:4] == [
        "MSCC-MRI-24H",
        "MSCC-DEXAMETHASONE-16MG",
        "MSCC-DECOMPRESSION-THEN-RT",
        "SURG-MSCC-SPINE-SURGEON-NOW",
    ]
    rt = {(i.code, i.lesion_id) for i in plan.items if i.code.startswith("RT-")}
    assert rt == {
        ("RT-POSTOP-MULTIFRACTION", "L1"),
        ("RT-SINGLE-8GY", "L2"),
        ("RT-SINGLE-8GY", "L3"),
    }
    sins_text = plan_to_json(plan)["scores"]["sins"][0]["text"]
    assert sins_text == (
        "SINS 11 (T12 junctional 3, mechanical pain 3, lytic 2, normal alignment 0, "
        "collapse 30 % (< 50 %) 2, unilateral posterolateral 1)"
    )


def test_plan_json_is_byte_stable() -> None:
    data = json.loads((ENGINE_DIR / "examples" / "crpc_t12_mscc.json").read_text(encoding="utf-8"))
    as_of = EXAMPLES["crpc_t12_mscc.json"]
    a = json.dumps(plan_to_json(evaluate(facts_from_json(data), as_of=as_of)))
    b = json.dumps(plan_to_json(evaluate(facts_from_json(data), as_of=as_of)))
    assert a == b


def test_catalogue_json_lists_every_rule() -> None:
    cat = catalogue_to_json()
    assert len(cat) == len({r["id"] for r in cat})
    assert all(r["sources"] for r in cat)
    json.dumps(cat)


if __name__ == "__main__" and "--write-schema" in sys.argv:
    SCHEMA_PATH.write_text(schema_text(), encoding="utf-8")


def test_every_input_model_names_exactly_its_dataclass_fields() -> None:
    # _to_facts builds each facts dataclass from its model by field name: a field missing
    # on either side would silently become None.
    pairs = {
        io.PatientIn: F.Patient,
        io.PrimaryIn: F.PrimaryCancer,
        io.ExtraSkeletalIn: F.ExtraSkeletalDisease,
        io.PainIn: F.Pain,
        io.NeurologyIn: F.Neurology,
        io.DentalIn: F.DentalStatus,
        io.LesionIn: F.Lesion,
        io.LabIn: F.LabResult,
        io.BtaCourseIn: F.BoneTargetedAgentCourse,
        io.SystemicIn: F.SystemicTherapy,
        io.RadiotherapyIn: F.RadiotherapyCourse,
        io.SurgeryIn: F.Surgery,
        io.RadioisotopeIn: F.RadioisotopeCourse,
        io.ImagingIn: F.ImagingStudy,
    }
    # Read into other fields by name (io._primary), so not a field of its dataclass.
    legacy = {io.PrimaryIn: {"receptor_status"}}
    differ = [
        cls.__name__
        for model, cls in pairs.items()
        if set(model.model_fields) - legacy.get(model, set()) != {f.name for f in fields(cls)}
    ]
    assert differ == []
    case = set(io.CaseFactsIn.model_fields) - {"schema_version"}
    assert case == {f.name for f in fields(F.CaseFacts)}


@pytest.mark.parametrize(
    ("legacy", "hormone_receptors", "her2"),
    [
        ("hr+/her2-", F.HormoneReceptorStatus.POSITIVE, F.Her2Status.NEGATIVE),
        ("her2+", F.HormoneReceptorStatus.UNKNOWN, F.Her2Status.POSITIVE),
        ("triple_negative", F.HormoneReceptorStatus.NEGATIVE, F.Her2Status.NEGATIVE),
        ("unknown", F.HormoneReceptorStatus.UNKNOWN, F.Her2Status.UNKNOWN),
    ],
)
def test_legacy_receptor_status_is_read_as_the_two_statuses_it_stated(
    legacy: str, hormone_receptors: F.HormoneReceptorStatus, her2: F.Her2Status
) -> None:
    facts = facts_from_json({"primary": {"site": "breast", "receptor_status": legacy}})
    assert (facts.primary.hormone_receptor_status, facts.primary.her2_status) == (
        hormone_receptors, her2)
    # Written back out, the facts carry the two statuses and no legacy key.
    primary = io.facts_to_json(facts)["primary"]
    assert "receptor_status" not in primary
    assert (primary["hormone_receptor_status"], primary["her2_status"]) == (
        str(hormone_receptors), str(her2))


def test_legacy_receptor_status_is_marked_deprecated_in_the_schema() -> None:
    primary = case_facts_json_schema()["$defs"]["PrimaryIn"]["properties"]
    assert primary["receptor_status"]["deprecated"] is True
    assert "deprecated" not in primary["her2_status"]
