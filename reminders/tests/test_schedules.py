"""The schedule table (reminders/schedules.py): one test per trigger, with exact dates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from reminders.choices import ReminderKind
from reminders.schedules import FLARE_CAVEAT, TRIGGERS, item_view, specs_for_item

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
    ("bta.dental_exam", "BTA-08", "Dental examination before the first dose",
     {"agent": "denosumab"}),
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
