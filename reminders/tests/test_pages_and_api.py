"""Pages (my reminders, the coordinators' list, one reminder, the patient-history partial)
and the API: scoping, permissions, actions, and a fixed number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from boardsite.accounts_testing import verified_login
from cases.models import PatientAccess
from cases.tests.factories import PatientFactory
from reminders.choices import DeliveryStatus, ReminderStatus
from reminders.models import Delivery, Reminder


def add(n, *, board, patient, user=None, role="", status=ReminderStatus.PENDING,
        days=-1, prefix="r"):
    due = timezone.now() + dt.timedelta(days=days)
    rows = Reminder.objects.bulk_create([
        Reminder(kind="imaging_reassessment", board=board, patient=patient,
                 responsible_user=user, responsible_role=role, status=status,
                 title=f"Imaging re-assessment {prefix}{i}", due_on=timezone.localdate(due),
                 due_at=due, next_attempt_at=due, idempotency_key=f"{prefix}:{i}",
                 last_error="SMTP 550: SMTPDataError" if status == "failed" else "")
        for i in range(n)
    ])
    return list(Reminder.objects.filter(pk__in=[r.pk for r in rows]))


@pytest.fixture
def logged_in(client):
    def login(user):
        verified_login(client, user)
        return client
    return login


def test_my_reminders_lists_mine_and_my_roles_in_a_fixed_number_of_queries(
        logged_in, board, coordinator, oncologist, patient, django_assert_num_queries):
    add(2, board=board, patient=patient, user=oncologist, prefix="mine")
    add(1, board=board, patient=patient, role="coordinator", prefix="role")
    add(1, board=board, patient=patient, user=coordinator, prefix="other")
    client = logged_in(oncologist)
    client.get(reverse("reminders:mine"))  # warm the session
    # session, user, memberships, reminders, access record, session save (+ savepoint)
    with django_assert_num_queries(9) as first:
        page = client.get(reverse("reminders:mine"))
    add(20, board=board, patient=patient, user=oncologist, prefix="more")
    with django_assert_num_queries(len(first.captured_queries)):
        assert client.get(reverse("reminders:mine")).status_code == 200
    html = page.content.decode()
    assert "Imaging re-assessment mine0" in html and "Imaging re-assessment mine1" in html
    assert "role0" not in html and "other0" not in html
    assert patient.full_name in html  # the member is entitled to see it here
    client = logged_in(coordinator)
    html = client.get(reverse("reminders:mine")).content.decode()
    assert "role0" in html and "other0" in html and "mine0" not in html


def test_my_reminders_records_the_patient_access(logged_in, board, oncologist, patient):
    add(2, board=board, patient=patient, user=oncologist)
    logged_in(oncologist).get(reverse("reminders:mine"))
    assert list(PatientAccess.objects.values_list("user__username", "patient_ids", "action")) \
        == [("oncologist", [patient.pk], "list")]


def test_coordinators_see_failed_and_overdue_specialists_do_not(
        logged_in, board, coordinator, oncologist, patient):
    add(1, board=board, patient=patient, user=oncologist, status="failed", prefix="failed")
    add(1, board=board, patient=patient, user=oncologist, status="sent", days=-3,
        prefix="overdue")
    add(1, board=board, patient=patient, user=oncologist, days=5, prefix="future")
    add(1, board=board, patient=patient, user=oncologist, status="done", days=-3,
        prefix="done")
    html = logged_in(coordinator).get(reverse("reminders:board")).content.decode()
    assert "failed0" in html and "overdue0" in html
    assert "future0" not in html and "done0" not in html
    assert html.index("failed0") < html.index("overdue0")  # failed first
    html = logged_in(oncologist).get(reverse("reminders:board")).content.decode()
    assert "failed0" not in html and "No reminder is overdue or failed." in html


def test_outsider_gets_404_and_cannot_act(logged_in, board, oncologist, outsider, patient):
    [reminder] = add(1, board=board, patient=patient, user=oncologist)
    client = logged_in(outsider)
    assert client.get(reverse("reminders:detail", args=[reminder.public_id])).status_code == 404
    response = client.post(reverse("reminders:act", args=[reminder.public_id, "done"]))
    assert response.status_code == 404
    assert client.get(reverse("reminders:patient_history", args=[patient.pk])).status_code \
        == 404
    assert "Imaging" not in client.get(reverse("reminders:mine")).content.decode()
    fresh = Reminder.objects.get(pk=reminder.pk)
    assert (fresh.status, fresh.done_at) == ("pending", None)


def test_done_snooze_and_cancel_from_the_page(logged_in, board, oncologist, patient):
    done, snoozed, cancelled = add(3, board=board, patient=patient, user=oncologist)
    client = logged_in(oncologist)
    mine = reverse("reminders:mine")
    assert client.post(reverse("reminders:act", args=[done.public_id, "done"]),
                       {"next": mine}).url == mine
    client.post(reverse("reminders:act", args=[snoozed.public_id, "snooze"]), {"days": "7"})
    client.post(reverse("reminders:act", args=[cancelled.public_id, "cancel"]),
                {"reason": ""})
    assert Reminder.objects.get(pk=cancelled.pk).status == "pending"  # no reason: refused
    client.post(reverse("reminders:act", args=[cancelled.public_id, "cancel"]),
                {"reason": "Done at the referring hospital."})
    done, snoozed, cancelled = (Reminder.objects.get(pk=r.pk)
                                for r in (done, snoozed, cancelled))
    assert done.status == "done" and done.done_by == oncologist
    assert snoozed.status == "pending"
    assert 6.9 < (snoozed.next_attempt_at - timezone.now()).total_seconds() / 86400 <= 7
    assert (cancelled.status, cancelled.cancel_reason) == (
        "cancelled", "Done at the referring hospital."
    )


def test_patient_history_partial(logged_in, board, oncologist, patient,
                                 django_assert_num_queries):
    add(2, board=board, patient=patient, user=oncologist, prefix="p")
    other = PatientFactory(board=board)
    add(1, board=board, patient=other, user=oncologist, prefix="other")
    client = logged_in(oncologist)
    url = reverse("reminders:patient_history", args=[patient.pk])
    client.get(url)
    with django_assert_num_queries(8):
        html = client.get(url).content.decode()
    assert "p0" in html and "p1" in html and "other0" not in html
    add(15, board=board, patient=patient, user=oncologist, prefix="more")
    with django_assert_num_queries(8):
        assert "more14" in client.get(url).content.decode()
    assert 'id="reminder-history"' in html


# --- API ------------------------------------------------------------------------------------

@pytest.fixture
def api():
    def login(user):
        client = APIClient()
        client.force_authenticate(user)
        return client
    return login


def test_api_lists_own_reminders_by_default_and_the_boards_on_request(
        api, board, coordinator, oncologist, outsider, patient, django_assert_num_queries):
    add(2, board=board, patient=patient, user=oncologist, prefix="mine")
    add(1, board=board, patient=patient, user=coordinator, prefix="other")
    client = api(oncologist)
    # memberships, reminders, access record
    with django_assert_num_queries(3):
        mine = client.get("/api/v1/reminders/").json()
    assert [r["title"] for r in mine["results"]] == [
        "Imaging re-assessment mine0", "Imaging re-assessment mine1"
    ]
    assert set(mine["results"][0]) >= {"id", "kind", "status", "due_at", "patient"}
    assert "hospital_number" not in str(mine)
    board_list = client.get("/api/v1/reminders/?scope=board").json()
    assert len(board_list["results"]) == 3
    assert api(outsider).get("/api/v1/reminders/?scope=board").json()["results"] == []
    add(10, board=board, patient=patient, user=oncologist, prefix="more")
    with django_assert_num_queries(3):
        assert len(client.get("/api/v1/reminders/").json()["results"]) == 12


def test_api_actions_and_outsider_404(api, board, oncologist, outsider, patient):
    done, snoozed, cancelled = add(3, board=board, patient=patient, user=oncologist)
    url = "/api/v1/reminders/{}/{}/"
    assert api(outsider).post(url.format(done.public_id, "done")).status_code == 404
    assert Reminder.objects.get(pk=done.pk).status == "pending"
    client = api(oncologist)
    assert client.post(url.format(done.public_id, "done")).json()["status"] == "done"
    response = client.post(url.format(snoozed.public_id, "snooze"), {"days": 3}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "pending"
    assert client.post(url.format(cancelled.public_id, "cancel"), {}, format="json") \
        .status_code == 400
    response = client.post(url.format(cancelled.public_id, "cancel"),
                           {"reason": "Patient moved."}, format="json")
    assert (response.json()["status"], response.json()["cancel_reason"]) == (
        "cancelled", "Patient moved."
    )
    assert client.post(url.format(done.public_id, "done")).status_code == 400


def test_send_a_failed_reminder_again_from_the_page_and_the_api(logged_in, api, board,
                                                                  oncologist, outsider,
                                                                  patient):
    by_page, by_api = add(2, board=board, patient=patient, user=oncologist,
                          status=ReminderStatus.FAILED)
    client = logged_in(oncologist)
    page = client.get(reverse("reminders:detail", args=[by_page.public_id])).content.decode()
    assert reverse("reminders:act", args=[by_page.public_id, "retry"]) in page
    client.post(reverse("reminders:act", args=[by_page.public_id, "retry"]))
    assert Reminder.objects.get(pk=by_page.pk).status == "pending"
    page = client.get(reverse("reminders:detail", args=[by_page.public_id])).content.decode()
    assert reverse("reminders:act", args=[by_page.public_id, "retry"]) not in page
    url = f"/api/v1/reminders/{by_api.public_id}/retry/"
    assert api(outsider).post(url).status_code == 404
    assert Reminder.objects.get(pk=by_api.pk).status == "failed"
    assert api(oncologist).post(url).json()["status"] == "pending"
    response = api(oncologist).post(url)
    assert response.status_code == 400 and "status" in str(response.json())


def test_the_reminder_page_shows_each_recipients_email(logged_in, board, coordinator, patient):
    [reminder] = add(1, board=board, patient=patient, role="coordinator",
                     status=ReminderStatus.PENDING)
    Delivery.objects.create(reminder=reminder, address="a@hospital.example",
                            status=DeliveryStatus.SENT, attempts=1,
                            sent_at=dt.datetime(2030, 1, 2, 9, tzinfo=dt.UTC))
    Delivery.objects.create(reminder=reminder, address="b@hospital.example",
                            status=DeliveryStatus.PENDING, attempts=1,
                            last_error="SMTP 450: SMTPRecipientsRefused")
    page = logged_in(coordinator).get(reverse("reminders:detail", args=[reminder.public_id]))
    html = page.content.decode()
    assert page.status_code == 200
    assert ("<tr><td>a@hospital.example</td><td>Sent</td><td>1</td><td>2030-01-02 09:00</td>"
            "<td></td></tr>") in html
    assert ("<tr><td>b@hospital.example</td><td>Waiting to be sent</td><td>1</td><td></td>"
            "<td>SMTP 450: SMTPRecipientsRefused</td></tr>") in html
