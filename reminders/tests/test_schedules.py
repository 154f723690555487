"""The action → reminder table (`reminders.schedules.TABLE`), one test per row, the rows
that schedule nothing, how a decision's actions combine, the documented maximum, and a
property test: every reminder traces to an action that asks for it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cases.actions import AGENT_LABELS, AGENT_LIMITS, action_clean
from reminders.choices import ReminderKind
from reminders.schedules import (
    MAX_REMINDERS_PER_DECISION,
    TABLE,
    ActionView,
    ReminderLimitExceeded,
    rows_matching,
    specs_for_actions,
)

SIGNED = date(2025, 3, 3)  # a Monday


def zol(**fields):
    return {"kind": "medication", "verb": "start", "agent": "zoledronic_acid", "dose": "4",
            "unit": "mg", "route": "iv", **fields}


def specs(*actions, by_board=False):
    views = [ActionView(index=i, action=a, by_board=by_board) for i, a in enumerate(actions)]
    return [(i, s.kind, s.due_on.isoformat()) for i, s in
            specs_for_actions(views, signed_on=SIGNED)]


def test_every_row_is_tested_here():
    assert len(TABLE) == 10


# --- One test per row -----------------------------------------------------------------------

def test_zoledronic_started_creatinine_before_every_dose_and_dental_first():
    assert specs(zol(doses=3, interval_weeks=4, first_dose_on="2025-03-17")) == [
        (0, "renal_before_zoledronic", "2025-03-14"),
        (0, "renal_before_zoledronic", "2025-04-11"),
        (0, "renal_before_zoledronic", "2025-05-09"),
        (0, "dental_before_bta", "2025-03-03"),
    ]


def test_a_changed_interval_schedules_the_doses_at_the_new_interval():
    assert specs(zol(verb="continue", doses=2, interval_weeks=12,
                     first_dose_on="2025-03-17")) == [
        (0, "renal_before_zoledronic", "2025-03-14"),
        (0, "renal_before_zoledronic", "2025-06-06"),
    ]


def test_denosumab_calcium_before_each_dose_and_two_weeks_after_the_first():
    action = {"kind": "medication", "verb": "start", "agent": "denosumab", "doses": 2,
              "interval_weeks": 4, "first_dose_on": "2025-03-17"}
    assert specs(action) == [
        (0, "dental_before_bta", "2025-03-03"),
        (0, "calcium_denosumab", "2025-03-14"),
        (0, "calcium_denosumab", "2025-03-31"),
        (0, "calcium_denosumab", "2025-04-11"),
    ]


def test_radium_full_blood_count_before_each_of_at_most_six_doses():
    action = {"kind": "medication", "verb": "start", "agent": "radium_223",
              "first_dose_on": "2025-03-17"}
    result = specs(action)
    assert [k for _, k, _ in result] == ["fbc_before_radium"] * 6
    assert result[0][2] == "2025-03-14" and result[-1][2] == "2025-08-01"


def _sr_sm(**fields):
    return {"kind": "medication", "verb": "start", "agent": "sr89_sm153", "doses": 1,
            "first_dose_on": "2025-03-17", **fields}


def test_strontium_89_full_blood_count_every_two_weeks_to_week_26():
    # RAD-06: "at least once every other week"; nadir 12–16 weeks, recovery by ~6 months.
    result = specs(_sr_sm(isotope="sr89"))
    assert [k for _, k, _ in result] == ["lab_due"] * 13
    assert [d for _, _, d in result][:3] == ["2025-03-31", "2025-04-14", "2025-04-28"]
    assert result[-1][2] == "2025-09-15"  # 26 weeks after 2025-03-17


def test_samarium_153_full_blood_count_weekly_from_week_2_to_week_8():
    # RAD-07: weekly for at least 8 weeks, starting 2 weeks after the dose.
    assert [d for _, _, d in specs(_sr_sm(isotope="sm153"))] == [
        "2025-03-31", "2025-04-07", "2025-04-14", "2025-04-21", "2025-04-28",
        "2025-05-05", "2025-05-12"]


def test_radionuclide_not_recorded_gets_both_labels_checks():
    dates = [d for _, _, d in specs(_sr_sm())]
    assert len(dates) == 7 + 9  # weekly weeks 2–8, then fortnightly weeks 10–26
    assert dates[6:8] == ["2025-05-12", "2025-05-26"] and dates[-1] == "2025-09-15"


def test_each_radionuclide_dose_gets_its_own_counts():
    result = specs(_sr_sm(isotope="sm153", doses=2, interval_weeks=12))
    assert len(result) == 14
    assert result[7][2] == "2025-06-23"  # 2 weeks after the second dose on 2025-06-09


def test_long_term_bta_asks_the_thigh_question_every_12_weeks():
    result = specs(zol(verb="continue", doses=13, first_dose_on="2025-03-17"))
    aff = [d for _, k, d in result if k == ReminderKind.AFF_QUESTION]
    assert aff == ["2025-06-09", "2025-09-01", "2025-11-24", "2026-02-16"]
    assert not [k for _, k, _ in specs(zol(doses=3)) if k == ReminderKind.AFF_QUESTION]


def test_withhold_recheck_and_resume_review_and_no_dose_reminders():
    withhold = {"kind": "medication", "verb": "withhold", "agent": "zoledronic_acid",
                "recheck_on": "2025-03-24", "resume_criteria": "creatinine within 10 %"}
    # The engine's other zoledronic items, still accepted, are overruled by the withhold.
    assert specs(zol(doses=13), withhold, zol(interval_weeks=4)) == [
        (1, "withhold_recheck", "2025-03-24"),
        (1, "resume_review", "2025-03-31"),
    ]


def test_radiotherapy_pain_review_four_weeks_after_the_last_fraction():
    rt = {"kind": "radiotherapy", "dose_gy": "20", "fractions": 5, "start_on": "2025-03-06"}
    # Thu, Fri, Mon, Tue, Wed → last fraction 2025-03-12; review 28 days later.
    assert specs(rt) == [(0, "pain_review_after_rt", "2025-04-09")]


def test_procedure_due_on_its_date_or_by_urgency_and_dental_review_as_dental():
    assert specs({"kind": "procedure", "procedure": "fixation", "urgency": "urgent"}) == [
        (0, "procedure_due", "2025-03-10")]
    assert specs({"kind": "procedure", "procedure": "decompression",
                  "urgency": "emergency"}) == [(0, "procedure_due", "2025-03-03")]
    dental = {"kind": "procedure", "procedure": "dental_review", "due_on": "2025-03-20"}
    # The decision's own dental review replaces the medicine's default dental reminder.
    assert specs(zol(doses=1, first_dose_on="2025-04-07"), dental) == [
        (0, "renal_before_zoledronic", "2025-04-04"),
        (1, "dental_before_bta", "2025-03-20"),
    ]


def test_investigations_with_a_due_date():
    assert specs(
        {"kind": "investigation", "investigation": "imaging", "modality": "mri",
         "due_on": "2025-03-17"},
        {"kind": "investigation", "investigation": "lab", "test": "PSA",
         "due_on": "2025-04-01"},
        {"kind": "investigation", "investigation": "review", "test": "pain review",
         "due_on": "2025-04-02"},
    ) == [(0, "imaging_due", "2025-03-17"), (1, "lab_due", "2025-04-01"),
          (2, "review_due", "2025-04-02")]


# --- Nothing ---------------------------------------------------------------------------------

@pytest.mark.parametrize("action", [
    {"kind": "other", "text": "Discuss at the next meeting"},
    {"kind": "medication", "verb": "stop", "agent": "zoledronic_acid"},
    {"kind": "medication", "verb": "start", "agent": "dexamethasone", "dose": "16"},
    {"kind": "medication", "verb": "start", "agent": "calcium_vitamin_d"},
    {"kind": "medication", "verb": "start", "agent": "analgesic"},
    {"kind": "medication", "verb": "stop", "agent": "sr89_sm153", "isotope": "sr89"},
    {"kind": "investigation", "investigation": "lab", "test": "creatinine",
     "with_doses": True},
])
def test_actions_that_schedule_nothing(action):
    assert specs(action) == []
    assert rows_matching(action) == []


def test_board_values_win_when_items_of_one_course_are_merged():
    engine = ActionView(index=0, action=zol(interval_weeks=4, doses=2,
                                            first_dose_on="2025-03-17"))
    board = ActionView(index=1, action=zol(interval_weeks=12), by_board=True)
    result = specs_for_actions([engine, board], signed_on=SIGNED)
    assert [(i, s.due_on.isoformat()) for i, s in result
            if s.kind == ReminderKind.RENAL_BEFORE_ZOLEDRONIC] == [
        (0, "2025-03-14"), (0, "2025-06-06")]


def test_no_decision_exceeds_the_documented_maximum():
    many = [{"kind": "investigation", "investigation": "lab", "test": f"test {n}",
             "due_on": (SIGNED + timedelta(days=n)).isoformat()}
            for n in range(MAX_REMINDERS_PER_DECISION + 1)]
    with pytest.raises(ReminderLimitExceeded) as caught:
        specs(*many)
    assert caught.value.count == MAX_REMINDERS_PER_DECISION + 1
    assert len(specs(*many[:MAX_REMINDERS_PER_DECISION])) == MAX_REMINDERS_PER_DECISION


# --- Property: every reminder traces to an action that asks for it ----------------------

_dates = st.dates(min_value=SIGNED, max_value=SIGNED + timedelta(days=400)).map(
    date.isoformat)
_medication = st.fixed_dictionaries({
    "kind": st.just("medication"),
    "verb": st.sampled_from(["start", "continue", "withhold", "stop"]),
    "agent": st.sampled_from(sorted(AGENT_LABELS)),
}, optional={"doses": st.integers(1, 6), "first_dose_on": _dates,
             "interval_weeks": st.sampled_from([4, 12])})
_other = st.fixed_dictionaries({"kind": st.just("other"),
                                "text": st.text("abc", min_size=1, max_size=20)})
_rt = st.fixed_dictionaries({"kind": st.just("radiotherapy"), "dose_gy": st.just("8"),
                             "fractions": st.integers(1, 10)})
_imaging = st.fixed_dictionaries({"kind": st.just("investigation"),
                                  "investigation": st.just("imaging"),
                                  "modality": st.just("ct"), "due_on": _dates})
_raw_action = st.one_of(_medication, _other, _rt, _imaging)


def _valid(raw):
    if raw.get("verb") == "withhold":
        raw = {**raw, "recheck_on": "2025-03-20", "resume_criteria": "counts recovered"}
    if raw.get("agent") == "radium_223" and raw.get("interval_weeks"):
        raw = {**raw, "interval_weeks": 4}
    if raw.get("doses"):
        raw = {**raw, "doses": min(raw["doses"], AGENT_LIMITS[raw["agent"]].max_doses)}
    if raw.get("agent") == "sr89_sm153" and raw.get("interval_weeks") == 4:
        raw = {**raw, "interval_weeks": 12}
    return action_clean(raw, on=SIGNED)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(_raw_action, st.booleans()), min_size=1, max_size=8))
def test_every_reminder_traces_to_a_giving_or_dated_action(pairs):
    actions = [_valid(raw) for raw, _ in pairs]
    views = [ActionView(index=i, action=a, by_board=b) for i, (a, (_, b)) in
             enumerate(zip(actions, pairs, strict=True))]
    held = {a["agent"] for a in actions
            if a["kind"] == "medication" and a["verb"] in ("withhold", "stop")}
    for index, spec in specs_for_actions(views, signed_on=SIGNED):
        source = actions[index]
        assert source["kind"] != "other"
        assert spec.due_on >= SIGNED
        if source["kind"] == "medication":
            if source["verb"] == "withhold":
                assert spec.kind in (ReminderKind.WITHHOLD_RECHECK, ReminderKind.RESUME_REVIEW)
            else:
                # A dose reminder: never for a medicine withheld or stopped in this decision.
                assert source["verb"] in ("start", "continue")
                assert source["agent"] not in held
                assert source["agent"] in ("zoledronic_acid", "denosumab", "radium_223",
                                           "sr89_sm153")
        elif source["kind"] == "radiotherapy":
            assert spec.kind == ReminderKind.PAIN_REVIEW_AFTER_RT
        else:
            assert spec.kind == ReminderKind.IMAGING_DUE
            assert spec.due_on.isoformat() == source["due_on"]
