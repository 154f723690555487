"""The admin: lists that show identifiers only, exact hospital-number search, reads
recorded, board scoping for staff, decisions read-only and signed only by the chair."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from boardsite.accounts_testing import verified_login
from cases.choices import DecisionItemVerdict
from cases.models import Decision, ImportBatch, Lesion, PatientAccess
from cases.services import (
    agenda_item_add,
    decision_record,
    decision_sign,
    meeting_create,
    record_patient_access,
)
from cases.tests.factories import PatientFactory, SpinalLesionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def decision(board, patient, coordinator, chair):
    meeting = meeting_create(board=board, starts_at=timezone.now())
    item = agenda_item_add(meeting=meeting, patient=patient, question="Radiotherapy?")
    return decision_record(agenda_item=item, recorded_by=coordinator,
                           outcome_summary="8 Gy single fraction.",
                           items=[{"title": "RT 8 Gy / 1", "verdict": DecisionItemVerdict.ADDED}])


def test_the_patient_list_shows_the_hospital_number_but_no_name(client, administrator, patient):
    verified_login(client, administrator)
    page = client.get("/admin/cases/patient/").content.decode()
    assert patient.hospital_number in page
    assert patient.family_name not in page
    assert patient.given_name not in page


def test_search_by_hospital_number_is_exact(client, administrator, board):
    wanted = PatientFactory(board=board, hospital_number="HN1234")
    other = PatientFactory(board=board, hospital_number="HN12345")
    verified_login(client, administrator)
    exact = client.get("/admin/cases/patient/", {"q": "HN1234"})
    assert list(exact.context["cl"].result_list) == [wanted]
    partial = client.get("/admin/cases/patient/", {"q": "HN123"})
    assert list(partial.context["cl"].result_list) == []
    assert other.pk != wanted.pk


def test_opening_a_patient_records_the_read(client, administrator, patient):
    verified_login(client, administrator)
    response = client.get(f"/admin/cases/patient/{patient.pk}/change/")
    assert response.status_code == 200
    assert list(PatientAccess.objects.values_list("user_id", "patient_ids", "action")) == [
        (administrator.pk, [patient.pk], "view")]


def test_staff_who_are_not_superusers_see_only_their_boards(client, chair, patient,
                                                            other_board):
    chair.is_staff = True
    chair.save()
    chair.user_permissions.add(Permission.objects.get(codename="view_patient"))
    stranger = PatientFactory(board=other_board)
    verified_login(client, chair)
    listed = list(client.get("/admin/cases/patient/").context["cl"].result_list)
    assert listed == [patient]
    assert client.get(f"/admin/cases/patient/{stranger.pk}/change/").status_code == 302
    assert PatientAccess.objects.of_patient(stranger).count() == 0


def test_the_read_audit_list_shows_staff_only_their_boards_patients(client, chair, patient,
                                                                    other_board, outsider):
    chair.is_staff = True
    chair.save()
    chair.user_permissions.add(Permission.objects.get(codename="view_patientaccess"))
    stranger = PatientFactory(board=other_board)
    record_patient_access(user=chair, patient_ids=[patient.pk, stranger.pk],
                          action="list", path="/patients/")
    record_patient_access(user=outsider, patient_ids=[stranger.pk], action="view",
                          path=f"/patients/{stranger.pk}/")
    verified_login(client, chair)
    page = client.get("/admin/cases/patientaccess/")
    listed = list(page.context["cl"].result_list)
    # The read that showed only another board's patient is not listed, and of the mixed
    # read only this board's patient is named.
    assert [(a.action, a.visible_patient_ids) for a in listed] == [("list", [patient.pk])]
    assert f"<td class=\"field-patients\">{patient.pk}</td>" in page.content.decode()
    # Searching by hospital number stays within the staff member's boards.
    found = client.get("/admin/cases/patientaccess/", {"q": patient.hospital_number})
    assert [a.action for a in found.context["cl"].result_list] == ["list"]
    other = client.get("/admin/cases/patientaccess/", {"q": stranger.hospital_number})
    assert list(other.context["cl"].result_list) == []


def test_the_read_audit_list_finds_the_reads_of_a_hospital_number(client, administrator,
                                                                  board, chair):
    wanted, other = PatientFactory(board=board), PatientFactory(board=board)
    record_patient_access(user=chair, patient_ids=[other.pk, wanted.pk], action="list",
                          path="/patients/")
    record_patient_access(user=chair, patient_ids=[other.pk], action="view", path="/x/")
    verified_login(client, administrator)
    page = client.get("/admin/cases/patientaccess/", {"q": wanted.hospital_number})
    assert [a.action for a in page.context["cl"].result_list] == ["list"]
    everyone = client.get("/admin/cases/patientaccess/").context["cl"].result_list
    assert [a.action for a in everyone] == ["view", "list"]


def test_a_signed_decision_cannot_be_changed_in_the_admin(client, administrator, decision,
                                                          chair):
    signed = decision_sign(decision=decision, chair=chair)
    verified_login(client, administrator)
    page = client.get(f"/admin/cases/decision/{signed.pk}/change/")
    assert page.status_code == 200
    assert 'name="outcome_summary"' not in page.content.decode()
    client.post(f"/admin/cases/decision/{signed.pk}/change/",
                {"outcome_summary": "tampered"})
    assert Decision.objects.get(pk=signed.pk).outcome_summary == "8 Gy single fraction."


def test_the_admin_offers_no_way_to_sign_a_decision(client, chair, decision):
    """Signing asks for confirmation, holds to the meeting's day and schedules the
    follow-up (reminders.services.decision_sign_and_schedule): the admin does none of
    that, so it cannot sign — even for the chair."""
    chair.is_staff = True
    chair.save()
    chair.user_permissions.add(Permission.objects.get(codename="view_decision"),
                               Permission.objects.get(codename="change_decision"))
    verified_login(client, chair)
    page = client.get("/admin/cases/decision/")
    assert [name for name, _label in page.context["action_form"].fields["action"].choices
            if name] == ["verify_decisions"]
    client.post("/admin/cases/decision/", {
        "action": "sign_decisions", "_selected_action": [decision.pk]}, follow=True)
    decision.refresh_from_db()
    assert (decision.signed_at, decision.content_sha256) == (None, "")


def test_the_verify_action_reports_a_matching_hash(client, administrator, decision, chair):
    decision_sign(decision=decision, chair=chair)
    verified_login(client, administrator)
    response = client.post("/admin/cases/decision/", {
        "action": "verify_decisions", "_selected_action": [decision.pk]}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        f"Decision #{decision.pk}: content matches its signature."]


class _FormValues(HTMLParser):
    """What a browser would submit from a page's forms, as it is rendered (the admin's
    change form with its inlines): text inputs, checked boxes, selected options,
    textareas; the inlines' empty templates (`__prefix__`) left out."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name") or ""
        if tag == "input" and name and "__prefix__" not in name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.data[name] = a.get("value") or "on"
            elif kind not in ("submit", "button", "file"):
                self.data[name] = a.get("value") or ""
        elif tag == "select" and name and "__prefix__" not in name:
            self._select = name
            self.data.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select] = a.get("value") or ""
        elif tag == "textarea" and name and "__prefix__" not in name:
            self._textarea = name
            self.data[name] = ""

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            if self._textarea:
                # The browser drops the newline right after <textarea>.
                self.data[self._textarea] = self.data[self._textarea].removeprefix("\n")
            self._textarea = None


@pytest.fixture
def through_service(monkeypatch) -> list[int]:
    """The IDs of the rows deleted through `services.clinical_row_delete` (which still
    deletes them)."""
    from cases import services

    deleted: list[int] = []
    delete = services.clinical_row_delete
    monkeypatch.setattr(services, "clinical_row_delete",
                        lambda *, instance: deleted.append(instance.pk)
                        or delete(instance=instance))
    return deleted


def test_an_inline_row_deleted_in_the_admin_leaves_a_delete_event_naming_the_user(
    client, administrator, patient, through_service
):
    import pghistory.models

    kept, deleted = SpinalLesionFactory(patient=patient), SpinalLesionFactory(patient=patient)
    verified_login(client, administrator)
    url = f"/admin/cases/patient/{patient.pk}/change/"
    form = _FormValues()
    form.feed(client.get(url).content.decode())
    data = form.data
    index = next(k.split("-")[1] for k, v in data.items()
                 if k.startswith("lesions-") and k.endswith("-id") and v == str(deleted.pk))
    data[f"lesions-{index}-DELETE"] = "on"
    response = client.post(url, {**data, "_save": "Save"})
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    assert list(Lesion.objects.filter(patient=patient)) == [kept]
    assert through_service == [deleted.pk]
    event = pghistory.models.Events.objects.get(
        pgh_obj_model="cases.Lesion", pgh_obj_id=str(deleted.pk), pgh_label="delete")
    assert event.pgh_context["user"] == administrator.pk
    assert event.pgh_context["url"] == url
    assert event.pgh_data["vertebral_level"] == deleted.vertebral_level


@pytest.mark.parametrize("how", ["delete page", "delete selected"])
def test_a_row_deleted_from_its_admin_page_or_list_goes_through_the_service(
    client, administrator, patient, through_service, how
):
    import pghistory.models

    kept, deleted = SpinalLesionFactory(patient=patient), SpinalLesionFactory(patient=patient)
    verified_login(client, administrator)
    if how == "delete page":
        response = client.post(f"/admin/cases/lesion/{deleted.pk}/delete/", {"post": "yes"})
    else:
        response = client.post("/admin/cases/lesion/", {
            "action": "delete_selected", "_selected_action": [deleted.pk], "post": "yes"})
    assert response.status_code == 302
    assert list(Lesion.objects.filter(patient=patient)) == [kept]
    assert through_service == [deleted.pk]
    event = pghistory.models.Events.objects.get(
        pgh_obj_model="cases.Lesion", pgh_obj_id=str(deleted.pk), pgh_label="delete")
    assert event.pgh_context["user"] == administrator.pk


def test_the_import_list_shows_staff_their_boards_files_read_only_and_never_the_file(
    client, chair, board, other_board
):
    secret = '{"resourceType": "Bundle", "name": "Ada Lovelace"}'
    ours = ImportBatch.objects.create(board=board, uploaded_by=chair, source="fhir",
                                      filename="ward.json", content=secret, sha256="a" * 64,
                                      counts={"new": 3, "updated": 1, "noted": 2})
    theirs = ImportBatch.objects.create(board=other_board, source="hl7v2",
                                        filename="theirs.hl7", sha256="b" * 64)
    chair.is_staff = True
    chair.save()
    chair.user_permissions.add(Permission.objects.get(codename="view_importbatch"))
    verified_login(client, chair)
    listing = client.get("/admin/cases/importbatch/")
    assert list(listing.context["cl"].result_list) == [ours]
    page = client.get(f"/admin/cases/importbatch/{ours.pk}/change/").content.decode()
    assert "ward.json" in page
    assert "3 new, 1 updated, 2 recognised with nothing to store" in page
    assert "Ada Lovelace" not in page and "resourceType" not in page
    assert 'name="filename"' not in page  # read-only: no input to change it
    assert client.get(f"/admin/cases/importbatch/{theirs.pk}/change/").status_code == 302
    assert client.post(f"/admin/cases/importbatch/{ours.pk}/delete/", {"post": "yes"}
                       ).status_code == 403
    assert ImportBatch.objects.filter(pk=ours.pk).exists()
