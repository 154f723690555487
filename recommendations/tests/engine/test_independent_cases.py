"""Clinical cases written by an independent clinician-tester (issue #12), as the
standalone case-facts JSON that ``manage.py evaluate_case`` reads.

Each file in ``cases/independent`` holds ``title``, ``as_of``, ``facts`` (the whole case,
not merged onto the vectors' BASE) and ``expect``: what a demanding board member checks
in the draft. Beside the case's own expectations every plan must satisfy the coherence
invariants of ``test_invariants.check`` and read in words: no rule-catalogue code, no
enum value or unit code where the plan's sentences are read by a person.

``expect`` keys: ``present`` / ``absent`` (item, flag and note codes); ``missing`` /
``not_missing`` (fields asked for); ``sins`` / ``mirels`` ({lesion id: [min, max]});
``crcl`` (mL/min); ``dose_mg``; ``band``; ``renal_action``; ``urgency``; ``refused``
(the field paths the JSON gate refuses, all in one answer); ``text_has`` / ``text_lacks``
({code: [substrings]} over that finding's sentences); ``provisional`` (item codes that
must be marked provisional); ``lesion_present`` / ``lesion_absent`` ({lesion id: [item
codes]}, an item about the lesion by its ``lesion_id`` or its detail's ``lesion_ids``);
``quorum`` / ``not_quorum`` (specialties, firm or provisional).
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from recommendations.engine import evaluate
from recommendations.engine.catalogue import CODES
from recommendations.engine.io import FactsValidationError, facts_from_json
from recommendations.engine.plan import DraftPlan

from .test_invariants import check

CASES_DIR = Path(__file__).parent / "cases" / "independent"
CASES = sorted(CASES_DIR.glob("*.json"))

#: An enum value or fact key quoted in running text ("Continue zoledronic_acid").
RAW_KEY = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b")
#: Enum values and unit codes without an underscore.
RAW_BARE = re.compile(r"(?<![\w/])(lt3m|3to12m|gt12m|umol/L|10\^9/L)(?![\w])")
#: A catalogue code (RT-SINGLE-8GY) in a sentence: rule IDs (RT-01) are citations, codes
#: are not words.
CODE_TOKEN = re.compile(r"\b[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+\b")


def _load(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _sentences(plan: DraftPlan) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for i in plan.items:
        out.setdefault(i.code, []).extend([i.rationale, str(i.detail.get("summary", ""))])
        for alt in i.detail.get("alternatives") or []:
            if isinstance(alt, dict):
                out.setdefault(str(alt["code"]), []).extend(
                    str(alt.get(k, "")) for k in ("summary", "why", "rationale")
                )
    for f in plan.flags:
        out.setdefault(f.code, []).append(f.message)
    for n in plan.notes:
        out.setdefault(n.code, []).append(n.message)
    for m in plan.missing_data:
        out.setdefault(f"missing:{m.field}", []).append(m.why)
    return out


def _lesion_codes(plan: DraftPlan, lesion_id: str) -> set[str]:
    out = set()
    for i in plan.items:
        ids = i.detail.get("lesion_ids")
        if i.lesion_id == lesion_id or (isinstance(ids, list) and lesion_id in ids):
            out.add(i.code)
    return out


def _raw_words(text: str) -> list[str]:
    found = RAW_KEY.findall(text) + RAW_BARE.findall(text)
    return found + [t for t in CODE_TOKEN.findall(text) if t in CODES]


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_independent_case(path: Path) -> None:
    case = _load(path)
    expect = case["expect"]
    as_of = date.fromisoformat(case["as_of"])
    if "refused" in expect:
        with pytest.raises(FactsValidationError) as exc:
            facts_from_json(case["facts"], as_of=as_of)
        assert sorted(exc.value.errors) == sorted(expect["refused"]), exc.value.errors
        return
    facts = facts_from_json(case["facts"], as_of=as_of)
    check(facts, as_of)
    plan = evaluate(facts, as_of=as_of)
    codes = plan.codes()
    for code in expect.get("present", []):
        assert code in CODES, code
        assert code in codes, f"{code} missing; got {sorted(codes)}"
    for code in expect.get("absent", []):
        assert code in CODES, code
        assert code not in codes, f"{code} unexpectedly present"
    fields = {m.field for m in plan.missing_data}
    for f in expect.get("missing", []):
        assert f in fields, f"{f} not asked for; got {sorted(fields)}"
    for f in expect.get("not_missing", []):
        assert f not in fields, f"{f} asked for"
    sins = {s.lesion_id: [s.total_min, s.total_max] for s in plan.sins}
    for lid, rng in expect.get("sins", {}).items():
        assert sins[lid] == rng
    mirels = {m.lesion_id: [m.total_min, m.total_max] for m in plan.mirels}
    for lid, rng in expect.get("mirels", {}).items():
        assert mirels[lid] == rng
    if "crcl" in expect:
        assert plan.creatinine_clearance is not None
        assert plan.creatinine_clearance.value_ml_min == expect["crcl"]
    if "dose_mg" in expect:
        assert plan.zoledronic_dose is not None
        assert plan.zoledronic_dose.dose_mg == expect["dose_mg"]
        assert plan.zoledronic_dose.band == expect["band"]
    if "renal_action" in expect:
        assert plan.renal_check is not None
        assert str(plan.renal_check.action) == expect["renal_action"]
    if "urgency" in expect:
        assert str(plan.urgency) == expect["urgency"]
    for code in expect.get("provisional", []):
        item = next(i for i in plan.items if i.code == code)
        assert item.detail.get("provisional") is True or item.detail.get("provisional_if"), (
            code, item.detail)
    for lid, want in expect.get("lesion_present", {}).items():
        got = _lesion_codes(plan, lid)
        assert set(want) <= got, (lid, sorted(got))
    for lid, unwanted in expect.get("lesion_absent", {}).items():
        got = _lesion_codes(plan, lid)
        assert not set(unwanted) & got, (lid, sorted(got))
    table = {str(q.specialty) for q in plan.required_specialties}
    for s in expect.get("quorum", []):
        assert s in table, (s, sorted(table))
    for s in expect.get("not_quorum", []):
        assert s not in table, (s, sorted(table))
    sentences = _sentences(plan)
    for code, parts in expect.get("text_has", {}).items():
        joined = " | ".join(sentences.get(code, []))
        for part in parts:
            assert part in joined, f"{code}: {part!r} not in {joined!r}"
    for code, parts in expect.get("text_lacks", {}).items():
        joined = " | ".join(sentences.get(code, []))
        for part in parts:
            assert part not in joined, f"{code}: {part!r} in {joined!r}"
    for code, texts in sentences.items():
        for text in texts:
            assert not _raw_words(text), (code, _raw_words(text), text)


def test_there_are_at_least_twenty_cases() -> None:
    assert len(CASES) >= 20
