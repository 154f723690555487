"""Partial (draft) decisions, the per-case timer, the standard-of-care mark in the signed
content, and pre-meeting opinions (cases.services)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from cases import services
from cases.choices import OpinionStance
from cases.models import CaseOpinion, Decision
from cases.tests.views.builders import meeting_with_cases


def _items(*verdicts):
    return [{"code": f"CODE-{n}", "rule_id": "RT-01", "title": f"Item {n}",
             "detail": "As drafted", "verdict": verdict,
             "reason": "Board's reason" if verdict in ("modified", "rejected") else ""}
            for n, verdict in enumerate(verdicts)]


@pytest.fixture
def item(board, chair):
    _meeting, items = meeting_with_cases(board, 1, days_ahead=0)
    return items[0]


def test_a_partial_decision_is_saved_as_a_draft_and_signing_refuses_it(item, chair):
    decision = services.decision_record(agenda_item=item, recorded_by=chair,
                                        items=_items("accepted", "", ""),
                                        discussion_seconds=95)
    assert list(decision.items.values_list("verdict", "action_kind")) == [
        ("accepted", "other"), ("", ""), ("", "")]
    assert decision.discussion_seconds == 95
    with pytest.raises(ValidationError) as error:
        services.decision_sign(decision=decision, chair=chair)
    assert error.value.message_dict == {"decision": [
        "2 items of the draft have no verdict yet: accept, modify or reject every item "
        "before signing."]}
    decision.refresh_from_db()
    assert not decision.is_signed


def test_an_added_item_still_needs_its_verdict(item, chair):
    items = _items("accepted") + [{"code": "", "title": "Physiotherapy", "verdict": ""}]
    with pytest.raises(ValidationError) as error:
        services.decision_record(agenda_item=item, recorded_by=chair, items=items)
    assert error.value.message_dict == {
        "items.1.verdict": ["Choose accept, modify, reject or add."]}
    assert Decision.objects.count() == 0


def test_the_timer_keeps_its_value_when_not_given_and_refuses_nonsense(item, chair):
    services.decision_record(agenda_item=item, recorded_by=chair, items=_items(""),
                             discussion_seconds=40)
    decision = services.decision_record(agenda_item=item, recorded_by=chair,
                                        items=_items("accepted"))
    assert decision.discussion_seconds == 40
    with pytest.raises(ValidationError) as error:
        services.decision_record(agenda_item=item, recorded_by=chair, items=_items(""),
                                 discussion_seconds=12 * 3600 + 1)
    assert list(error.value.message_dict) == ["discussion_seconds"]
    decision.refresh_from_db()
    assert decision.discussion_seconds == 40


def test_the_standard_of_care_mark_is_part_of_the_signed_content_only_when_set(item, chair):
    decision = services.decision_record(agenda_item=item, recorded_by=chair,
                                        items=_items("accepted"), standard_of_care=True)
    assert '"standard_of_care":true' in services.decision_canonical_content(decision)
    signed = services.decision_sign(decision=decision, chair=chair)
    assert signed.standard_of_care is True
    assert services.decision_verify(signed)
    plain = Decision.objects.create(agenda_item=item, version=9, recorded_by=chair)
    assert "standard_of_care" not in services.decision_canonical_content(plain)


def test_recording_again_outside_the_block_clears_the_mark(item, chair):
    services.decision_record(agenda_item=item, recorded_by=chair, items=_items("accepted"),
                             standard_of_care=True)
    decision = services.decision_record(agenda_item=item, recorded_by=chair,
                                        items=_items("accepted"))
    assert decision.standard_of_care is False


def test_a_specialist_records_and_replaces_an_opinion(item, spine_surgeon):
    services.case_opinion_record(agenda_item=item, author=spine_surgeon,
                                 stance=OpinionStance.DISCUSS, text="  Unstable at T8?  ")
    opinion = services.case_opinion_record(agenda_item=item, author=spine_surgeon,
                                           stance=OpinionStance.AGREES, text="Stable.")
    assert CaseOpinion.objects.count() == 1
    assert (opinion.specialty, opinion.stance, opinion.text) == (
        "spine_surgery", "agrees", "Stable.")
    # The audit trail keeps the first version.
    assert opinion.events.count() == 2


def test_an_opinion_is_refused_field_by_field_and_nothing_is_saved(item, outsider):
    with pytest.raises(ValidationError) as error:
        services.case_opinion_record(agenda_item=item, author=outsider, stance="maybe",
                                     text="x" * 1001)
    assert error.value.message_dict == {
        "author": ["Only members of this board give an opinion on its cases."],
        "stance": ["Say whether you agree with the draft or want it discussed."],
        "text": ["Keep the opinion to 1000 characters."],
    }
    assert CaseOpinion.objects.count() == 0


def test_no_opinion_once_the_decision_is_signed(item, chair, spine_surgeon):
    decision = services.decision_record(agenda_item=item, recorded_by=chair,
                                        items=_items("accepted"))
    services.decision_sign(decision=decision, chair=chair)
    with pytest.raises(ValidationError) as error:
        services.case_opinion_record(agenda_item=item, author=spine_surgeon,
                                     stance=OpinionStance.AGREES, text="Fine.")
    assert error.value.message_dict == {
        "agenda_item": ["The board's decision on this case is signed already."]}
