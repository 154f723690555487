"""The one vocabulary (`recommendations.vocabulary`) covers everything the engine can
write: every fact path, detail key and enum value, checked over the catalogue, the
facts dataclasses and every plan of the test vectors, so a new key without words
fails here before it reaches a page or an email."""

from __future__ import annotations

import re
import typing
from dataclasses import fields, is_dataclass
from enum import StrEnum

import pytest

from recommendations import vocabulary as V
from recommendations.engine import evaluate
from recommendations.engine import facts as F
from recommendations.engine.common import Section, Severity, Supplier, Urgency
from recommendations.engine.io import catalogue_to_json, plan_to_json
from recommendations.engine.rules.base import CodeKind
from recommendations.tests.engine.helpers import vector_facts
from recommendations.tests.engine.vectors import VECTORS

RAW = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b|\blesions\.\d+\.")


def _fact_paths(cls: type, prefix: str = "") -> list[str]:
    paths = []
    hints = typing.get_type_hints(cls)
    for f in fields(cls):
        hint = hints[f.name]
        args = [a for a in typing.get_args(hint) if a is not type(None) and a is not Ellipsis]
        if is_dataclass(hint):
            paths += _fact_paths(hint, f"{prefix}{f.name}.")
        elif args and is_dataclass(args[0]):
            inner = "." if typing.get_origin(hint) is not tuple else ".*."
            paths.append(f"{prefix}{f.name}") if inner == "." else None
            paths += _fact_paths(args[0], f"{prefix}{f.name}{inner}")
        else:
            paths.append(f"{prefix}{f.name}")
    return paths


def test_every_fact_path_has_words_and_no_label_is_left_over():
    assert sorted(V.FIELD_LABELS) == sorted(_fact_paths(F.CaseFacts))


def test_every_detail_key_of_the_catalogue_has_words():
    keys = {k for rule in catalogue_to_json() for code in rule["codes"]
            for k in code["detail_keys"]}
    assert keys - set(V.DETAIL_LABELS) == set()


@pytest.mark.parametrize("enum", [
    e for e in vars(F).values()
    if isinstance(e, type) and issubclass(e, StrEnum) and e is not StrEnum
])
def test_every_enum_value_of_the_facts_has_words(enum):
    if enum is F.VertebralLevel:  # C1 … S5 are their own words
        return
    unlabelled = [m.value for m in enum if m.value not in V.VALUE_LABELS]
    if enum is F.LabUnit:  # units are labelled by field ("unit"), e.g. umol/L → µmol/L
        unlabelled = [m.value for m in enum if V.value_label(m.value, field="unit") is None]
    assert unlabelled == []


def test_every_plan_word_list_covers_its_enum():
    assert set(V.SECTION_LABELS) == {s.value for s in Section}
    assert set(V.SEVERITY_LABELS) == {s.value for s in Severity}
    assert set(V.URGENCY_LABELS) == {u.value for u in Urgency}
    assert set(V.SUPPLIER_LABELS) == {s.value for s in Supplier}
    assert set(V.CODE_KIND_LABELS) == {k.value for k in CodeKind}


def _plans():
    for vec in VECTORS:
        facts, as_of = vector_facts(vec)
        yield vec["id"], plan_to_json(evaluate(facts, as_of=as_of))


def test_every_plan_of_every_vector_reads_in_words():
    ctx = V.Context(lesion_labels={}, code_titles={"BTA-ZOLEDRONIC-DOSE": "a dose"})
    raw: dict[str, set[str]] = {}
    for vid, plan in _plans():
        texts = []
        for item in plan["items"]:
            texts += [V.plain_text(item["title"]), V.plain_text(item["rationale"])]
            texts += [f"{label}: {words}" for label, words in V.detail_pairs(item["detail"], ctx)]
            assert all(label != "detail" for label, _ in V.detail_pairs(item["detail"], ctx))
        texts += [V.plain_text(f["message"]) for f in plan["flags"]]
        texts += [V.plain_text(n["message"]) for n in plan["notes"]]
        for m in plan["missing_data"]:
            label = V.field_label(m["field"])
            assert label != "a further detail of the record", m["field"]
            texts += [label, V.plain_text(m["why"])]
        found = {t for text in texts for t in RAW.findall(text)}
        if found:
            raw[vid] = found
    assert raw == {}


# --- Exact words ---------------------------------------------------------------------

CTX = V.Context(lesion_labels={"6": "T12 vertebra"}, code_titles={"RT-SINGLE-8GY": "8 Gy"},
                creatinine_unit="umol/L")


@pytest.mark.parametrize(("key", "value", "words"), [
    ("modality", "mri_whole_spine", "MRI whole spine"),
    ("lesion_id", "6", "T12 vertebra"),
    ("lesion_id", "99", "a recorded lesion"),
    ("agents", ["denosumab", "zoledronic_acid"], "denosumab, zoledronic acid"),
    ("latest_mg_dl", 1.1, "97 µmol/L"),
    ("resume_limit_mg_dl", 1.5, "133 µmol/L"),
    ("dose_gy", 8, "8 Gy"),
    ("dose_mg", 120.0, "120 mg"),
    ("crcl_ml_min", 66.1, "66 mL/min"),
    ("band", "50–60", "50–60 mL/min"),
    ("checks", ["before_first_dose", "2_weeks_after_first_dose"],
     "before the first dose, 2 weeks after the first dose"),
    ("pending", ["soft_tissue_mass"], "whether there is a soft-tissue mass"),
    ("counts_floor", {"platelets_above": 60.0, "wbc_above": 2.4},
     "platelets above 60 ×10⁹/L; white cells above 2.4 ×10⁹/L"),
    ("schedules", [{"dose_gy": 8, "fractions": 1}, {"dose_gy": 20, "fractions": 5}],
     "8 Gy in 1 fraction, 20 Gy in 5 fractions"),
    ("previous", {"dose_gy": 8.0, "fractions": 1, "end": "2025-01-03",
                  "technique": "conventional"},
     "8 Gy in 1 fraction (ended 3 Jan 2025, conventional EBRT)"),
    ("follow_up_weeks", [0, 2], "at weeks 0 and 2"),
    ("follow_up_weeks", 4, "4 weeks"),
    ("due_date", "2025-06-17", "17 Jun 2025"),
    ("local_treatment_codes", ["RT-SINGLE-8GY", "X-UNKNOWN"], "8 Gy, another item of this plan"),
    ("primary_site", "kidney", "Kidney (renal cell)"),
    ("technique", "sbrt", "SBRT / SABR"),
    ("current_therapies", ["abiraterone_prednisone"], "Abiraterone + prednisone"),
    ("optional", True, "yes"),
])
def test_detail_values_in_words(key, value, words):
    assert V.detail_value(key, value, CTX) == words


def test_creatinine_in_mg_dl_for_a_board_that_records_mg_dl():
    # A draft stored by engine 1.1 (mg/dL keys), shown in the board's unit.
    ctx = V.Context(creatinine_unit="mg/dL")
    assert V.detail_value("baseline_mg_dl", 1.0995, ctx) == "1.10 mg/dL"


@pytest.mark.parametrize(("value", "words"), [
    ({"analyte": "creatinine", "value": 97.0, "unit": "umol/L"}, "97 µmol/L"),
    ({"analyte": "creatinine", "value": 1.1, "unit": "mg/dL"}, "1.10 mg/dL"),
])
def test_engine_1_2_creatinine_is_shown_as_recorded_without_the_boards_unit(value, words):
    # No creatinine_unit in the context: the value carries its own unit.
    assert V.detail_value("latest_creatinine", value, V.Context()) == words


@pytest.mark.parametrize(("analyte", "value", "unit", "words"), [
    ("creatinine", 97.24, "umol/L", "97 µmol/L"),
    ("creatinine", 1.0407, "mg/dL", "1.04 mg/dL"),
    ("calcium", 2.4812, "mmol/L", "2.48 mmol/L"),
    ("haemoglobin", 12.63, "g/dL", "12.6 g/dL"),
    ("platelets", 230.4, "10^9/L", "230 ×10⁹/L"),
])
def test_lab_values_are_rounded_as_the_laboratory_reports_them(analyte, value, unit, words):
    assert V.lab_value_text(analyte, value, unit) == words


@pytest.mark.parametrize(("path", "words"), [
    ("lesions.0.bone_scan_uptake", "whether the bone scan shows uptake"),
    ("lesions.12.collapse_percent", "vertebral body collapse (%)"),
    ("labs.creatinine", "creatinine (recent result)"),
    ("labs.creatinine.unit", "unit of the creatinine result"),
    ("labs.anc", "neutrophils (ANC) (recent result)"),
    ("labs.psa", "PSA (recent result)"),
    ("pain.worst_nrs", "worst pain score (NRS 0–10)"),
    ("baseline_creatinine", "creatinine before the first zoledronic acid dose"),
])
def test_fact_paths_in_words(path, words):
    assert V.field_label(path) == words


def test_engine_sentences_in_words():
    assert V.plain_text("Continue zoledronic_acid") == "Continue zoledronic acid"
    assert V.plain_text("expected survival 3to12m (met)") == (
        "expected survival 3–12 months (met)")
    assert V.plain_text("symptoms since 2026-12-01 (8 day(s))") == (
        "symptoms since 1 Dec 2026 (8 day(s))")
    assert V.plain_text("(72 × 1.0407 mg/dL); creatinine 92 umol/L") == (
        "(72 × 1.04 mg/dL); creatinine 92 µmol/L")
    assert V.plain_text("only 4 mg — conflict 7).") == (
        "only 4 mg — sources disagree — the source document has no renal dosing or "
        "withhold rule for zoledronic acid; the label's applies).")
    assert V.plain_text("latest 1.5 mg/dL (change +0.5995): rise ≥ 0.5 mg/dL") == (
        "latest 1.5 mg/dL (change +0.60): rise ≥ 0.5 mg/dL")
    assert V.plain_text("SC.24 trial, 2026.5") == "SC.24 trial, 2026.5"
    assert V.plain_text("Conflict 4: CT-first does not apply.") == (
        "Sources disagree — the source document puts CT first, while NICE uses whole-spine "
        "MRI for the spine and suspected cord compression: CT-first does not apply.")


def test_the_facts_the_engine_read_in_words():
    facts = {
        "patient": {"sex": "male", "weight_kg": 76.0, "on_dialysis": False, "age_years": None},
        "pain": {"uncontrolled": True},
        "ecog": 2,
        "lesions": [{"id": "6", "bone": "vertebra", "vertebral_level": "T12",
                     "spinal_pain": "none", "posterolateral": "none", "collapse_percent": 60.0,
                     "bone_scan_uptake": None}],
        "labs": [{"analyte": "creatinine", "value": 92.04, "unit": "umol/L",
                  "taken_at": "2026-12-01"}],
        "bone_targeted_agents": [{"agent": "zoledronic_acid", "dose_mg": 4.0,
                                  "interval_weeks": 4, "start": "2026-07-05", "stop": None}],
    }
    assert V.facts_sections(facts, CTX) == [
        ("Patient", [("Sex", "Male"), ("Current weight", "76 kg"),
                     ("Whether the patient is on dialysis", "no"),
                     ("ECOG performance status", "2")]),
        ("Pain", [("Whether pain is uncontrolled", "yes")]),
        ("Lesion: T12 vertebra", [("Bone", "Vertebra"), ("Vertebral level", "T12"),
                                  ("Type of spinal pain", "Pain-free"),
                                  ("Posterolateral involvement", "None"),
                                  ("Vertebral body collapse (%)", "60 %")]),
        ("Laboratory", [("Creatinine", "92 µmol/L (1 Dec 2026)")]),
        ("Bone-targeted agents", [("Zoledronic acid",
                                   "dose: 4 mg; interval: 4 weeks; "
                                   "start: 5 Jul 2026")]),
    ]


def test_each_citation_keeps_its_own_words_and_the_document_is_quoted_once():
    doc = "Initial evaluation should include CT scan as first-line investigation."
    refs, statements = V.source_lines([
        {"primary": "NICE QS56 (MSCC: whole-spine MRI within 24 h)", "document": doc,
         "evidence": "V", "secondary": False},
        {"primary": "NICE NG234 (spine: whole-spine MRI)", "document": doc,
         "evidence": "S", "secondary": True},
        {"primary": "Rules reference §7 IMG-01", "document": None, "evidence": "V",
         "secondary": False},
    ])
    assert refs == [
        {"reference": "NICE QS56 (MSCC: whole-spine MRI within 24 h)",
         "evidence": "verified in the primary text", "secondary": False},
        {"reference": "NICE NG234 (spine: whole-spine MRI)", "evidence": "secondary source",
         "secondary": True},
        {"reference": "Rules reference §7 IMG-01", "evidence": "verified in the primary text",
         "secondary": False},
    ]
    assert statements == [doc]
