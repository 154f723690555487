"""Recording the case through the pages alone (issue 14): a coordinator follows every
"what to chase" link of a not-ready case until the case is ready, and a lesion's score
preview follows the findings as they are chosen."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.services import agenda_item_add, meeting_create
from cases.tests.views.builders import add_patient

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: What the coordinator types for a number the chase list asks for (the clinician's
#: answer, as they would have been told it).
_NUMBERS = {"id_worst_pain_nrs": "5", "id_prior_mcrpc_lines": "1",
            "id_compression_levels": "1"}


_LABS = {"creatinine": ("80", "umol/L"), "platelets": ("210", "10^9/L"),
         "anc": ("3.1", "10^9/L"), "haemoglobin": ("12.4", "g/dL"),
         "calcium": ("2.3", "mmol/L"), "wbc": ("6.0", "10^9/L"), "albumin": ("38", "g/L"),
         "alp": ("120", "U/L")}


def _answer_the_focused_field(page) -> str:
    """Fill in the field the chase link put the cursor in, as the coordinator would."""
    field = page.locator(":focus")
    field_id = field.get_attribute("id") or ""
    tag = field.evaluate("element => element.tagName.toLowerCase()")
    if tag == "select":
        values = field.locator("option").evaluate_all(
            "options => options.map(o => o.value).filter(v => v !== '')")
        # Yes / no / not known: the clinician said no; otherwise the first answer.
        field.select_option("false" if "false" in values else values[0])
    elif page.locator("#id_analyte").count():
        # A lab result: the value, the unit it was reported in, and when it was taken
        # (the creatinine before the first zoledronic acid dose, for a missing baseline).
        analyte = page.locator("#id_analyte").input_value()
        value, unit = _LABS[analyte]
        field.fill(value)
        page.get_by_label("Unit").select_option(unit)
        before_bta = timezone.localtime() - dt.timedelta(days=230)
        page.get_by_label("Taken at").fill(before_bta.strftime("%Y-%m-%dT%H:%M"))
    else:
        field.fill(_NUMBERS.get(field_id, "1"))
    return field_id


def test_a_coordinator_takes_a_not_ready_case_to_ready_through_the_chase_links(
    open_session, board, coordinator, spine_surgeon
):
    patient = add_patient(board, lesions=2, labs=16, family_name="Chase")
    meeting = meeting_create(board=board, starts_at=timezone.now() + dt.timedelta(days=5),
                             location="Seminar room 2")
    item = agenda_item_add(meeting=meeting, patient=patient, question="Fixation?",
                           presenting_clinician=spine_surgeon)
    session = open_session("coordinator")
    page = session.page
    agenda = f"/meetings/{meeting.pk}/"
    page.goto(agenda)
    row = page.locator(f"#item-{item.pk}")
    expect(row).to_contain_text("Not ready")
    session.screenshot("chase-before")
    answered = []
    for _ in range(25):
        links = row.locator(".chase-list a", has_text="Record it")
        if links.count() == 0:
            break
        links.first.click()
        page.wait_for_load_state()
        expect(page.locator(":focus")).to_have_count(1)
        answered.append(_answer_the_focused_field(page))
        page.get_by_role("button", name=re.compile(r"^Save")).click()
        page.wait_for_load_state()
        # Saving returns to the agenda row, where the readiness is recomputed.
        assert page.url.endswith(f"{agenda}#item-{item.pk}"), page.url
    expect(row.locator(".badge-ready")).to_have_text("Ready")
    assert len(answered) >= 3, answered
    session.screenshot("chase-after")


def test_a_lesions_score_preview_follows_the_findings(open_session, board, coordinator):
    patient = add_patient(board, lesions=0, labs=0, family_name="Preview")
    session = open_session("coordinator")
    page = session.page
    page.goto(f"/patients/{patient.pk}/record/")
    page.get_by_role("button", name="Add a lesion").click()
    preview = page.locator("#score-preview")
    expect(preview).to_contain_text("Choose the bone")
    page.get_by_label("Bone:", exact=True).select_option("vertebra")
    page.get_by_label("Vertebral level").select_option("T12")
    expect(preview).to_contain_text("SINS 3–18")
    expect(preview).to_contain_text("Missing: type of spinal pain")
    page.get_by_label("Pain type (SINS)").select_option("mechanical")
    page.get_by_label("Lesion type").select_option("lytic")
    page.get_by_label("Alignment").select_option("subluxation")
    expect(preview).to_contain_text("SINS 12–18")
    page.get_by_label("Vertebral body collapse (%)").fill("60")
    page.get_by_label("Vertebral body collapse (%)").press("Tab")
    page.get_by_label("Posterolateral involvement").select_option("bilateral")
    expect(preview).to_contain_text("SINS 18")
    expect(preview).to_contain_text("Unstable")
    expect(preview).to_contain_text("Every finding of the score is recorded.")
    session.screenshot("lesion-score-preview")
    page.get_by_role("button", name="Save lesion").click()
    expect(page.locator("#lesions")).to_contain_text("T12")
    expect(page.locator("#lesions")).to_contain_text("SINS 18")
