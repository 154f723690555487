"""The schedule table (reminders/schedules.py): one test per trigger, with exact dates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from reminders.choices import ReminderKind
from reminders.schedules import (
    FLARE_CAVEAT,
    TRIGGERS,
    item_view,
    specs_for_decision,
    specs_for_item,
)

SIGNED = date(2025, 3, 3)  # a Monday


def specs(code="", rule_id="", title="", **detail):
    return specs_for_item(item_view(code=code, rule_id=rule_id, title=title, detail=detail),
                          signed_on=SIGNED)


def by_kind(found, kind):
    return [(s.due_on, s.event_on) for s in found if s.kind == kind]


def test_the_table_has_one_row_per_trigger_of_section_9():
    assert [t.reference for t in TRIGGERS] == [
        "BTA-02, BTA-04", "BTA-08", "BTA-06", "RAD-02, RAD-03", "RT-06", "IMG-02", "BTA-09",
    ]


def test_zoledronic_acid_every_4_weeks_creatinine_3_days_before_every_dose_for_a_year():
    found = specs("bta.zoledronic_acid", "BTA-02", "Zoledronic acid 4 mg IV",
                  agent="zoledronic_acid", interval_weeks=4)
    first = date(2025, 3, 17)  # default start: two weeks after the board
    renal = by_kind(found, ReminderKind.RENAL_BEFORE_ZOLEDRONIC)
    assert renal == [(first + timedelta(weeks=4 * k) - timedelta(days=3),
                      first + timedelta(weeks=4 * k)) for k in range(13)]
    assert renal[-1] == (date(2026, 2, 13), date(2026, 2, 16))
    assert found[0].title == "Serum creatinine and calcium before zoledronic acid dose 1 of 13"


def test_zoledronic_acid_every_12_weeks_with_the_boards_start_and_dose_count():
    found = specs("bta.zoledronic_acid", "BTA-02", "Zoledronic acid",
                  agent="zoledronic_acid", interval_weeks=12, doses=4,
                  first_dose_on="2025-03-10")
    assert by_kind(found, ReminderKind.RENAL_BEFORE_ZOLEDRONIC) == [
        (date(2025, 3, 7), date(2025, 3, 10)),
        (date(2025, 5, 30), date(2025, 6, 2)),
        (date(2025, 8, 22), date(2025, 8, 25)),
        (date(2025, 11, 14), date(2025, 11, 17)),
    ]


def test_any_bone_targeted_agent_dental_examination_two_weeks_before_the_first_dose():
    for agent in ("zoledronic_acid", "denosumab", "pamidronate", "ibandronate"):
        found = specs(f"bta.{agent}", "BTA-01", agent, agent=agent, first_dose_on="2025-04-01")
        assert by_kind(found, ReminderKind.DENTAL_BEFORE_BTA) == [
            (date(2025, 3, 18), date(2025, 4, 1))
        ], agent


def test_dental_examination_is_due_at_once_when_the_first_dose_is_close():
    found = specs("bta.denosumab", "BTA-06", "Denosumab", agent="denosumab",
                  first_dose_on="2025-03-07")
    assert by_kind(found, ReminderKind.DENTAL_BEFORE_BTA) == [(SIGNED, date(2025, 3, 7))]


def test_denosumab_calcium_before_first_dose_two_weeks_after_and_before_later_doses():
    found = specs("bta.denosumab", "BTA-06", "Denosumab 120 mg SC every 4 weeks",
                  agent="denosumab", doses=3, first_dose_on="2025-03-17")
    assert by_kind(found, ReminderKind.CALCIUM_DENOSUMAB) == [
        (date(2025, 3, 14), date(2025, 3, 17)),
        (date(2025, 3, 31), date(2025, 3, 17)),
        (date(2025, 4, 11), date(2025, 4, 14)),
        (date(2025, 5, 9), date(2025, 5, 12)),
    ]
    assert by_kind(found, ReminderKind.RENAL_BEFORE_ZOLEDRONIC) == []


def test_radium_223_full_blood_count_before_each_of_six_doses():
    found = specs("radioisotope.radium_223", "RAD-02", "Radium-223 55 kBq/kg",
                  agent="radium_223", first_dose_on="2025-03-17")
    assert by_kind(found, ReminderKind.FBC_BEFORE_RADIUM) == [
        (date(2025, 3, 14), date(2025, 3, 17)),
        (date(2025, 4, 11), date(2025, 4, 14)),
        (date(2025, 5, 9), date(2025, 5, 12)),
        (date(2025, 6, 6), date(2025, 6, 9)),
        (date(2025, 7, 4), date(2025, 7, 7)),
        (date(2025, 8, 1), date(2025, 8, 4)),
    ]
    assert [s.kind for s in found] == [ReminderKind.FBC_BEFORE_RADIUM] * 6


@pytest.mark.parametrize(("detail", "last_fraction", "review"), [
    ({"dose_gy": 8, "fractions": 1, "start_on": "2025-03-10"}, date(2025, 3, 10),
     date(2025, 4, 7)),
    # 20 Gy in 5 from a Monday: Friday
    ({"dose_gy": 20, "fractions": 5, "start_on": "2025-03-10"}, date(2025, 3, 14),
     date(2025, 4, 11)),
    # 30 Gy in 10 from a Wednesday, weekdays only: Tuesday of the third week
    ({"dose_gy": 30, "fractions": 10, "start_on": "2025-03-12"}, date(2025, 3, 25),
     date(2025, 4, 22)),
    ({"dose_gy": 8, "fractions": 1}, date(2025, 3, 10), date(2025, 4, 7)),  # default start
])
def test_radiotherapy_pain_review_four_weeks_after_the_last_fraction(detail, last_fraction,
                                                                     review):
    found = specs("rt.single_fraction_8gy", "RT-01", "8 Gy in a single fraction", **detail)
    assert by_kind(found, ReminderKind.PAIN_REVIEW_AFTER_RT) == [(review, last_fraction)]
    assert len(found) == 1


@pytest.mark.parametrize(("detail", "due"), [
    ({"interval_weeks": 12}, date(2025, 5, 26)),
    ({"interval_months": 3}, date(2025, 6, 3)),
    ({}, date(2025, 5, 26)),  # "e.g. 3 months" when the board gave no interval
])
def test_imaging_reassessment_at_the_boards_interval_with_the_flare_caveat(detail, due):
    found = specs("follow_up.imaging_reassessment", "IMG-02", "Imaging re-assessment",
                  **detail)
    assert by_kind(found, ReminderKind.IMAGING_REASSESSMENT) == [(due, due)]
    assert FLARE_CAVEAT in found[0].detail


def test_long_term_bta_asks_the_aff_question_at_each_twelve_weekly_review():
    found = specs("bta.denosumab", "BTA-06", "Denosumab", agent="denosumab",
                  first_dose_on="2025-03-17")
    assert by_kind(found, ReminderKind.AFF_QUESTION) == [
        (date(2025, 6, 9), date(2025, 6, 9)), (date(2025, 9, 1), date(2025, 9, 1)),
        (date(2025, 11, 24), date(2025, 11, 24)), (date(2026, 2, 16), date(2026, 2, 16)),
    ]


def test_short_bta_course_is_not_long_term_and_asks_no_aff_question():
    found = specs("bta.zoledronic_acid", "BTA-02", "Zoledronic acid",
                  agent="zoledronic_acid", doses=3)
    assert by_kind(found, ReminderKind.AFF_QUESTION) == []
    assert len(by_kind(found, ReminderKind.RENAL_BEFORE_ZOLEDRONIC)) == 3


@pytest.mark.parametrize(("code", "rule_id", "title", "detail"), [
    ("bta.zoledronic_acid.withhold", "BTA-04", "Withhold zoledronic acid", {}),
    ("bta.zoledronic_acid_not_recommended", "BTA-07", "Zoledronic acid not recommended",
     {"agent": "zoledronic_acid"}),
    ("BTA-CALCIUM-VITAMIN-D", "BTA-05", "Calcium 500 mg + vitamin D 400 IU daily",
     {"agents": ["zoledronic_acid"]}),
    ("FU-BONE-MARKERS-OPTIONAL", "IMG-03", "Bone turnover markers (optional)",
     {"analytes": ["alp", "ntx"], "optional": True}),
    ("BTA-AFF-IMAGE-BOTH-FEMORA", "BTA-09", "Image both femora", {"bilateral": True}),
    ("img.ct_first_line", "IMG-01", "CT as first-line investigation", {}),
    ("mscc.mri_whole_spine_24h", "MSCC-01", "Whole-spine MRI within 24 hours", {}),
])
def test_items_that_plan_no_treatment_schedule_nothing(code, rule_id, title, detail):
    assert specs(code, rule_id, title, **detail) == []


def test_agent_is_recognised_from_the_code_when_detail_does_not_name_it():
    found = specs("bta.denosumab_120mg", "BTA-06", "Denosumab 120 mg", doses=1,
                  first_dose_on="2025-03-17")
    assert [s.kind for s in found] == [
        ReminderKind.DENTAL_BEFORE_BTA, ReminderKind.CALCIUM_DENOSUMAB,
        ReminderKind.CALCIUM_DENOSUMAB,
    ]


# --- A decision as the engine drafts it (codes of recommendations/engine/catalogue.py) ---

def view(code, rule_id, title, **detail):
    return item_view(code=code, rule_id=rule_id, title=title, detail=detail)


ENGINE_ZOLEDRONIC = [
    view("BTA-START", "BTA-01", "Start a bone-targeted agent",
         candidate_agents=["zoledronic_acid", "denosumab"], indication="breast"),
    view("BTA-ZOLEDRONIC-INFUSION", "BTA-02", "Zoledronic acid: infusion over ≥ 15 min",
         agent="zoledronic_acid", interval_weeks=4, alternative_interval_weeks=12),
    view("BTA-ZOLEDRONIC-DOSE", "BTA-03", "Zoledronic acid dose (renally adjusted)",
         agent="zoledronic_acid", dose_mg=3.5, interval_weeks=4, doses=3),
    view("BTA-ZOLEDRONIC-CREATININE-CHECK", "BTA-04", "Serum creatinine before every dose",
         agent="zoledronic_acid", analytes=["creatinine", "calcium"], days_before=3,
         interval_weeks=4),
    view("BTA-CALCIUM-VITAMIN-D", "BTA-05", "Calcium 500 mg + vitamin D 400 IU daily",
         agents=["zoledronic_acid"]),
    view("BTA-DENTAL-EXAM-FIRST", "BTA-08", "Dental examination before the first dose",
         before_first_dose=True, blocks_start=True),
    view("FU-IMAGING-REASSESSMENT", "FU-01", "Imaging re-assessment", follow_up_weeks=12,
         flare_caveat=True, set_by="board"),
    view("RT-SINGLE-8GY", "RT-01", "Radiotherapy 8 Gy single fraction", dose_gy=8,
         fractions=1, follow_up_weeks=4, lesion_id="L1"),
    view("RT-SINGLE-8GY", "RT-01", "Radiotherapy 8 Gy single fraction", dose_gy=8,
         fractions=1, follow_up_weeks=4, lesion_id="L2"),
]


def test_an_engine_drafted_plan_gives_each_reminder_once_from_the_merged_items():
    found = [(i, s.kind, s.due_on) for i, s in specs_for_decision(ENGINE_ZOLEDRONIC,
                                                                   signed_on=SIGNED)]
    assert found == [
        # three doses (BTA-03), every 4 weeks (BTA-02), 3 days before (BTA-04)
        (0, ReminderKind.RENAL_BEFORE_ZOLEDRONIC, date(2025, 3, 14)),
        (0, ReminderKind.RENAL_BEFORE_ZOLEDRONIC, date(2025, 4, 11)),
        (0, ReminderKind.RENAL_BEFORE_ZOLEDRONIC, date(2025, 5, 9)),
        # once, though both BTA-START and the dental item ask for it
        (0, ReminderKind.DENTAL_BEFORE_BTA, date(2025, 3, 3)),
        (6, ReminderKind.IMAGING_REASSESSMENT, date(2025, 5, 26)),
        # both lesions' single fractions on 10 March: one review four weeks later
        (7, ReminderKind.PAIN_REVIEW_AFTER_RT, date(2025, 4, 7)),
    ]


def test_engine_rt_response_review_uses_its_own_due_date():
    found = specs("RT-RESPONSE-REVIEW-4W", "RT-06", "Pain-response review 4 weeks after RT",
                  due_date="2025-04-02", anchor_date="2025-03-05", follow_up_weeks=4)
    assert by_kind(found, ReminderKind.PAIN_REVIEW_AFTER_RT) == [
        (date(2025, 4, 2), date(2025, 3, 5))
    ]


def test_engine_radium_schedule_counts_only_the_doses_remaining():
    found = specs_for_decision([
        view("RA223-ELIGIBLE", "RAD-01", "Radium-223 eligible", agent="radium_223"),
        view("RA223-55KBQ-Q4W-X6", "RAD-02", "Radium-223 55 kBq/kg every 4 weeks × 6",
             agent="radium_223", interval_weeks=4, doses=6, doses_given=2,
             doses_remaining=4),
        view("RA223-FBC-BEFORE-EACH-DOSE", "RAD-03", "Full blood count before each dose",
             agent="radium_223", interval_weeks=4, doses=6, doses_given=2),
    ], signed_on=SIGNED)
    assert [(i, s.due_on) for i, s in found] == [
        (1, date(2025, 3, 14)), (1, date(2025, 4, 11)), (1, date(2025, 5, 9)),
        (1, date(2025, 6, 6)),
    ]


def test_continuing_an_agent_needs_no_dental_examination_before_a_first_dose():
    found = specs_for_decision([
        view("BTA-CONTINUE", "BTA-01", "Continue the bone-targeted agent",
             agent="denosumab", interval_weeks=4),
    ], signed_on=SIGNED)
    kinds = {s.kind for _, s in found}
    assert ReminderKind.DENTAL_BEFORE_BTA not in kinds
    assert kinds == {ReminderKind.CALCIUM_DENOSUMAB, ReminderKind.AFF_QUESTION}


def test_the_engines_dental_item_alone_asks_for_the_examination():
    found = specs("BTA-DENTAL-EXAM-FIRST", "BTA-08", "Dental examination before the first dose",
                  before_first_dose=True)
    assert by_kind(found, ReminderKind.DENTAL_BEFORE_BTA) == [(SIGNED, date(2025, 3, 17))]
    assert len(found) == 1


def test_the_engines_aff_question_item_asks_at_each_review_of_the_year():
    found = specs("BTA-AFF-THIGH-PAIN-QUESTION", "BTA-09",
                  "Ask about thigh, hip or groin pain at each review", at="each review")
    assert by_kind(found, ReminderKind.AFF_QUESTION) == [
        (date(2025, 6, 9), date(2025, 6, 9)), (date(2025, 9, 1), date(2025, 9, 1)),
        (date(2025, 11, 24), date(2025, 11, 24)), (date(2026, 2, 16), date(2026, 2, 16)),
    ]
