"""Recording the case in the browser: the status form, its rights, and the agenda's
"what to chase" links that lead to it and back."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Patient
from cases.services import agenda_item_add
from cases.tests.views.builders import add_patient, meeting_with_cases
from front.record_forms import CHASE_FIELDS, STATUS_FIELDS
from recommendations.models import DraftPlan
from recommendations.vocabulary import FIELD_LABELS


def _chase_setup(board):
    meeting, _ = meeting_with_cases(board, 1, complete=True)
    patient = add_patient(board, lesions=2, labs=8)
    item = agenda_item_add(meeting=meeting, question="Fixation?", patient=patient)
    return meeting, patient, item


def test_chase_item_links_to_the_exact_field_and_saving_returns_to_the_agenda(
    client, board, chair, verified_login
):
    meeting, patient, item = _chase_setup(board)
    verified_login(client, chair)
    html = client.get(reverse("cases:agenda", args=[meeting.pk])).content.decode()
    row = html.split(f'id="item-{item.pk}"')[1].split('<div class="agenda-side">')[0]
    status_url = reverse("cases:patient_status_edit", args=[patient.pk])
    link = f"{status_url}?item={item.pk}#id_worst_pain_nrs"
    assert ('<strong>Worst pain score (NRS 0–10)</strong> — ask <span class="who">Nursing'
            in row)
    assert f'href="{link}"' in row

    form_html = client.get(link).content.decode()
    assert 'id="id_worst_pain_nrs"' in form_html
    response = client.post(f"{status_url}?item={item.pk}", {
        "worst_pain_nrs": "7", "pain_uncontrolled": "false", "bone_disease_extent": "multiple",
        "ecog": "1", "ecog_assessed_on": timezone.localdate().isoformat(),
    })

    assert response.status_code == 302, response.context["form"].errors
    assert response["Location"] == reverse("cases:agenda", args=[meeting.pk]) + f"#item-{item.pk}"
    patient.refresh_from_db()
    assert (patient.worst_pain_nrs, patient.pain_uncontrolled, patient.ecog) == (7, False, 1)
    client.get(response["Location"])
    fields = {m["field"] for m in
              DraftPlan.objects.filter(agenda_item=item).latest("created_at").output["missing_data"]}
    assert "pain.worst_nrs" not in fields and "pain.uncontrolled" not in fields


def test_a_bad_value_is_shown_at_the_field_and_nothing_changes(client, board, chair,
                                                                verified_login):
    _, patient, item = _chase_setup(board)
    before = Patient.objects.values("worst_pain_nrs", "ecog").get(pk=patient.pk)
    verified_login(client, chair)
    url = reverse("cases:patient_status_edit", args=[patient.pk])

    response = client.post(url, {"worst_pain_nrs": "14", "ecog": "0"})

    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["form"].errors["worst_pain_nrs"] == [
        "Ensure this value is less than or equal to 10."]
    assert re.search(r'<input[^>]*name="worst_pain_nrs"[^>]*value="14"', html)
    assert Patient.objects.values("worst_pain_nrs", "ecog").get(pk=patient.pk) == before


def test_a_coordinator_records_status_the_clinicians_supply(client, board, coordinator,
                                                             verified_login):
    """cases/rules.py: coordinators record and correct clinical facts (not delete)."""
    _, patient, _ = _chase_setup(board)
    verified_login(client, coordinator)
    url = reverse("cases:patient_status_edit", args=[patient.pk])

    assert client.get(url).status_code == 200
    assert client.post(url, {"worst_pain_nrs": "5"}).status_code == 302
    assert Patient.objects.get(pk=patient.pk).worst_pain_nrs == 5


def test_an_outsider_gets_404(client, board, outsider, verified_login):
    _, patient, _ = _chase_setup(board)
    verified_login(client, outsider)

    assert client.get(reverse("cases:patient_status_edit", args=[patient.pk])).status_code == 404


pytestmark = pytest.mark.django_db


@pytest.mark.django_db(False)
def test_every_chase_field_is_on_the_form_and_known_to_the_engine():
    assert set(CHASE_FIELDS) - set(FIELD_LABELS) == set()
    assert set(CHASE_FIELDS.values()) - set(STATUS_FIELDS) == set()


def test_instability_and_co_medication_are_recorded_on_the_status_form(
    client, board, chair, verified_login
):
    _, patient, _ = _chase_setup(board)
    verified_login(client, chair)
    url = reverse("cases:patient_status_edit", args=[patient.pk])
    html = client.get(url).content.decode()
    assert "Co-medication (with zoledronic acid)" in html
    for name in ("spinal_instability_signs", "on_loop_diuretic", "other_nephrotoxic_drugs"):
        assert f'id="id_{name}"' in html

    response = client.post(url, {
        "worst_pain_nrs": "5", "bone_disease_extent": "multiple",
        "spinal_instability_signs": "true", "on_loop_diuretic": "true",
        "on_other_nephrotoxic_drug": "true", "other_nephrotoxic_drugs": "ciclosporin",
        "on_aminoglycoside": "false", "on_nsaid": "",
    })

    assert response.status_code == 302, response.context["form"].errors
    patient.refresh_from_db()
    assert (patient.spinal_instability_signs, patient.on_loop_diuretic,
            patient.on_aminoglycoside, patient.on_nsaid) == (True, True, False, None)
    assert patient.other_nephrotoxic_drugs == "ciclosporin"


def test_the_patient_page_offers_the_status_form_to_those_who_may_edit(
    client, board, chair, coordinator, verified_login
):
    _, patient, _ = _chase_setup(board)
    url = reverse("cases:patient_detail", args=[patient.pk])
    link = f'href="{reverse("cases:patient_status_edit", args=[patient.pk])}">Record status<'

    verified_login(client, chair)
    assert link in client.get(url).content.decode()
    verified_login(client, coordinator)
    assert link in client.get(url).content.decode()
