"""The pages of letters, the FHIR download and the minutes: linked from the decision,
patient and agenda pages, board-scoped (404 for an outsider), audited, sending by link."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from boardsite.accounts_testing import verified_login
from cases import services
from cases.models import DocumentDispatch, PatientAccess
from cases.tests.documents_builders import held_meeting_with_signed_decision
from cases.tests.views.builders import meeting_with_cases

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(board, chair, coordinator):
    return held_meeting_with_signed_decision(board, chair)


def test_the_decision_and_patient_pages_link_the_letters_and_the_export(
        client, signed, chair):
    meeting, decision = signed
    verified_login(client, chair)
    letter = reverse("cases:decision_letter", args=[decision.pk, "gp"])
    fhir = reverse("cases:decision_fhir", args=[decision.pk])
    for page in (reverse("cases:decision", args=[decision.agenda_item_id]),
                 reverse("cases:patient_detail", args=[decision.agenda_item.patient_id])):
        html = client.get(page).content.decode()
        assert letter in html and fhir in html, page
    assert reverse("cases:minutes", args=[meeting.pk]) in client.get(
        reverse("cases:agenda", args=[meeting.pk])).content.decode()


def test_the_letter_page_and_pdf_are_audited_and_scoped(client, signed, chair, outsider):
    _meeting, decision = signed
    patient_id = decision.agenda_item.patient_id
    page = reverse("cases:decision_letter", args=[decision.pk, "patient"])
    pdf = reverse("cases:decision_letter_pdf", args=[decision.pk, "patient"])
    client.force_login(outsider)
    assert [client.get(u).status_code for u in (page, pdf)] == [404, 404]
    verified_login(client, chair)
    response = client.get(page)
    assert response.status_code == 200
    assert "You will start zoledronic acid." in response.content.decode()
    response = client.get(pdf)
    assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
    assert response.content.startswith(b"%PDF-")
    actions = list(PatientAccess.objects.filter(user=chair).order_by("id")
                   .values_list("action", "patient_ids"))[-2:]
    assert actions == [("view", [patient_id]), ("export", [patient_id])]
    assert client.get(reverse("cases:decision_letter", args=[decision.pk, "nobody"])
                      ).status_code == 404


def test_sending_from_the_page_emails_the_link(client, signed, chair, coordinator,
                                               django_capture_on_commit_callbacks):
    _meeting, decision = signed
    verified_login(client, chair)
    url = reverse("cases:decision_letter_send", args=[decision.pk, "gp"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"recipient": coordinator.pk})
    assert response.status_code == 302
    [email] = mail.outbox
    assert reverse("cases:decision_letter", args=[decision.pk, "gp"]) in email.body
    assert decision.agenda_item.patient.family_name not in email.body
    assert DocumentDispatch.objects.get().recipient == coordinator
    # Someone who is not a board member is not a choice: nothing is sent.
    response = client.post(url, {"recipient": "999999"})
    assert response.status_code == 302 and len(mail.outbox) == 1
    assert DocumentDispatch.objects.count() == 1


def test_the_fhir_download_is_the_bundle(client, signed, chair, outsider):
    _meeting, decision = signed
    url = reverse("cases:decision_fhir", args=[decision.pk])
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    verified_login(client, chair)
    response = client.get(url)
    assert response["Content-Type"] == "application/fhir+json"
    assert b'"resourceType":"Bundle"' in response.content
    assert PatientAccess.objects.order_by("-id").values_list("action", flat=True)[0] == "export"


def test_unsigned_and_unheld_have_no_documents(client, board, chair):
    meeting, items = meeting_with_cases(board, 1)
    decision = services.decision_record(agenda_item=items[0], recorded_by=chair, items=[],
                                        outcome_summary="Draft")
    verified_login(client, chair)
    assert client.get(reverse("cases:decision_letter", args=[decision.pk, "gp"])
                      ).status_code == 404
    assert client.get(reverse("cases:decision_fhir", args=[decision.pk])).status_code == 404
    assert client.get(reverse("cases:minutes", args=[meeting.pk])).status_code == 404


@pytest.mark.parametrize("extra_cases", [0, 6])
def test_the_minutes_page_runs_in_a_fixed_number_of_queries(
        client, board, chair, coordinator, extra_cases, django_assert_max_num_queries):
    meeting, _decision = held_meeting_with_signed_decision(board, chair, others=extra_cases)
    verified_login(client, chair)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("cases:minutes", args=[meeting.pk]))
    assert response.status_code == 200
    assert response.content.decode().count("Not discussed:") == extra_cases


def test_circulating_the_minutes_from_the_page(client, signed, chair, coordinator,
                                               spine_surgeon,
                                               django_capture_on_commit_callbacks):
    meeting, _decision = signed
    services.attendance_set(meeting=meeting, user=coordinator, attended=True)
    url = reverse("cases:minutes_circulate", args=[meeting.pk])
    client.force_login(spine_surgeon)
    assert client.post(url).status_code == 403
    client.force_login(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    assert [m.to for m in mail.outbox] == [[coordinator.email]]
    assert DocumentDispatch.objects.filter(meeting=meeting).count() == 1
