"""The record in the browser (issue 14, items 1 and 2): registering a patient, lesions
with the live score preview, imaging with a viewer link, labs with units, treatments,
edit and delete with the roles of cases/rules.py, and "what to chase" links that lead to
the exact form and field and back to the agenda."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from urllib.parse import urlencode

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from pghistory.models import Events

from cases import models, services
from cases.services import agenda_item_add
from cases.tests.factories import PatientFactory, PrimaryCancerFactory, SpinalLesionFactory
from cases.tests.views.builders import add_patient, meeting_with_cases
from front.record_forms import LesionForm
from front.views.drafts import _KIND_OF_LIST, _fix_url
from front.views.record import KINDS
from recommendations.models import DraftPlan
from recommendations.selectors import FACT_ROW_ORDER
from recommendations.vocabulary import FIELD_LABELS

pytestmark = pytest.mark.django_db


def _register_body(on_board, **changes):
    return {"board": on_board.pk, "hospital_number": "RX1234", "family_name": "Newcase",
            "given_name": "Ada", "date_of_birth": "1950-01-02", "sex": "female",
            "primary-site": "breast", "primary-hormone_receptor_status": "positive",
            "primary-her2_status": "positive", **changes}


# --- Registering ------------------------------------------------------------------------

def test_a_coordinator_registers_a_patient_with_the_primary_cancer(client, board, coordinator,
                                                                    verified_login):
    verified_login(client, coordinator)
    response = client.post(reverse("cases:patient_register"), _register_body(board))

    patient = models.Patient.objects.get(hospital_number="RX1234")
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:patient_record", args=[patient.pk])
    # Triple positive: two facts, which the one combined value could not record.
    assert (patient.board, patient.primary.site, patient.primary.hormone_receptor_status,
            patient.primary.her2_status) == (board, "breast", "positive", "positive")
    event = Events.objects.filter(pgh_obj_model="cases.Patient", pgh_obj_id=patient.pk).get()
    assert event.pgh_context["user"] == coordinator.pk


def test_the_hospital_number_is_unique_per_board_whatever_its_case(
    client, board, other_board, coordinator, verified_login
):
    PatientFactory(board=board, hospital_number="RX1234")
    PatientFactory(board=other_board, hospital_number="RX9999")
    verified_login(client, coordinator)

    response = client.post(reverse("cases:patient_register"),
                           _register_body(board, hospital_number="rx1234"))

    assert response.status_code == 200
    assert response.context["form"].errors["hospital_number"] == [
        "This board already has a patient with this hospital number."]
    assert models.Patient.objects.filter(hospital_number__iexact="rx1234").count() == 1
    # Another board's number is no obstacle (and its patient is not revealed).
    response = client.post(reverse("cases:patient_register"),
                           _register_body(board, hospital_number="RX9999"))
    assert response.status_code == 302


def test_registration_errors_are_shown_field_by_field_and_nothing_is_saved(
    client, board, coordinator, verified_login
):
    verified_login(client, coordinator)
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = client.post(reverse("cases:patient_register"), _register_body(
        board, date_of_birth=future, **{"primary-castration_status": "resistant"}))

    assert response.status_code == 200
    assert response.context["form"].errors["date_of_birth"] == ["This date is in the future."]
    assert response.context["primary_form"].errors["castration_status"] == [
        "Castration status applies to prostate cancer only."]
    assert set(response.context["primary_form"].errors) == {"castration_status"}
    html = response.content.decode()
    assert re.search(r'<input[^>]*name="hospital_number"[^>]*value="RX1234"', html)
    assert not models.Patient.objects.filter(hospital_number="RX1234").exists()


def test_a_board_member_cannot_register_on_another_board(client, board, other_board,
                                                         coordinator, verified_login):
    verified_login(client, coordinator)
    response = client.post(reverse("cases:patient_register"),
                           _register_body(board, board=other_board.pk))
    assert response.status_code == 200
    assert "board" in response.context["form"].errors
    assert not models.Patient.objects.filter(hospital_number="RX1234").exists()


# --- Lesions and the score preview ---------------------------------------------------------

def _preview(client, patient, **findings):
    response = client.post(reverse("cases:lesion_score_preview", args=[patient.pk]),
                           findings, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


def test_the_preview_gives_the_range_and_what_is_missing_then_the_total(
    client, board, coordinator, patient, verified_login
):
    verified_login(client, coordinator)

    html = _preview(client, patient, bone="vertebra", vertebral_level="T12")
    # T12 is junctional (3); every other SINS finding is missing: 3 + 0..15.
    assert "SINS 3–18" in html
    assert "Missing: type of spinal pain; lesion type (lytic, blastic or mixed); spinal " \
           "alignment; vertebral body collapse (%); posterolateral involvement." in html

    html = _preview(client, patient, bone="vertebra", vertebral_level="T12",
                    spinal_pain="mechanical", lesion_type="lytic", alignment="subluxation",
                    collapse_percent="60", posterolateral="bilateral")
    # Fisher 2010: 3 + 3 + 2 + 4 + 3 + 3 = 18, unstable.
    assert "SINS 18" in html and "Unstable" in html
    assert "Every finding of the score is recorded." in html

    html = _preview(client, patient, bone="femur", long_bone_segment="peritrochanteric",
                    limb_pain="functional", lesion_type="lytic", cortical_involvement="gt_2_3")
    assert "Mirels 12" in html


def test_a_lesion_is_recorded_corrected_and_deleted(client, board, coordinator,
                                                    spine_surgeon, patient, verified_login):
    verified_login(client, coordinator)
    url = reverse("cases:record_row_new", args=[patient.pk, "lesion"])
    page = client.get(url).content.decode()
    assert 'hx-post="' + reverse("cases:lesion_score_preview", args=[patient.pk]) in page

    response = client.post(url, {"bone": "vertebra", "vertebral_level": "L2",
                                 "spinal_pain": "occasional", "posterolateral": "none"})
    assert response.status_code == 302
    lesion = models.Lesion.objects.get(patient=patient)
    assert (lesion.vertebral_level, lesion.spinal_pain) == ("L2", "occasional")

    edit = reverse("cases:record_row_edit", args=[patient.pk, "lesion", lesion.pk])
    bad = client.post(edit, {"bone": "femur", "vertebral_level": "L2"})
    assert bad.status_code == 200
    assert bad.context["form"].errors["vertebral_level"] == [
        "A vertebral level applies to spinal lesions only."]
    assert models.Lesion.objects.get(pk=lesion.pk).bone == "vertebra"

    # Deleting is the specialists' and chairs' (cases/rules.py).
    delete = reverse("cases:record_row_delete", args=[patient.pk, "lesion", lesion.pk])
    assert client.post(delete).status_code == 403
    verified_login(client, spine_surgeon)
    assert client.post(delete).status_code == 302
    assert not models.Lesion.objects.filter(pk=lesion.pk).exists()
    deleted = Events.objects.filter(pgh_obj_model="cases.Lesion", pgh_obj_id=lesion.pk,
                                    pgh_label="delete").get()
    assert deleted.pgh_context["user"] == spine_surgeon.pk


def test_the_services_check_the_role_too(board, coordinator, outsider, patient):
    lesion = SpinalLesionFactory(patient=patient)
    with pytest.raises(PermissionDenied):
        services.clinical_record_save(instance=lesion, by=outsider)
    with pytest.raises(PermissionDenied):
        services.clinical_record_delete(instance=lesion, by=coordinator)
    with pytest.raises(PermissionDenied):
        services.patient_register(patient=models.Patient(board=board), by=outsider)
    assert models.Lesion.objects.filter(pk=lesion.pk).exists()


# --- Imaging, labs, treatments --------------------------------------------------------------

def _imaging_body(**changes):
    return {"modality": "mri", "region": "Whole spine",
            "performed_on": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
            **changes}


@pytest.mark.parametrize(("link", "development", "ok"), [
    ("https://pacs.example.org/viewer?study=1.2.3", False, True),
    ("http://pacs.example.org/viewer?study=1.2.3", False, False),
    ("http://localhost:8042/viewer", True, True),
    ("javascript:alert(1)", True, False),
    ("", False, True),
])
def test_the_viewer_link_is_a_validated_url_https_in_production(
    client, board, coordinator, patient, verified_login, settings, link, development, ok
):
    settings.IS_DEVELOPMENT = development
    verified_login(client, coordinator)
    url = reverse("cases:record_row_new", args=[patient.pk, "imaging"])

    response = client.post(url, _imaging_body(viewer_url=link))

    assert (response.status_code == 302) is ok
    assert models.ImagingStudy.objects.filter(patient=patient).exists() is ok
    if not ok:
        assert response.context["form"].errors["viewer_url"]


def test_imaging_links_only_the_patients_own_lesions(client, board, coordinator, patient,
                                                      verified_login):
    own = SpinalLesionFactory(patient=patient)
    other = SpinalLesionFactory(patient=PatientFactory(board=board))
    verified_login(client, coordinator)
    url = reverse("cases:record_row_new", args=[patient.pk, "imaging"])

    assert client.post(url, _imaging_body(lesions=[other.pk])).status_code == 200
    assert client.post(url, _imaging_body(lesions=[own.pk])).status_code == 302
    assert list(models.ImagingStudy.objects.get(patient=patient).lesions.all()) == [own]


def test_a_lab_keeps_its_unit_and_implausible_values_are_refused_at_the_field(
    client, board, coordinator, patient, verified_login
):
    verified_login(client, coordinator)
    url = reverse("cases:record_row_new", args=[patient.pk, "lab"])
    taken = (timezone.localtime() - dt.timedelta(hours=3)).strftime("%Y-%m-%dT%H:%M")

    wrong_unit = client.post(url, {"analyte": "creatinine", "value": "88", "unit": "g/L",
                                   "taken_at": taken})
    assert wrong_unit.context["form"].errors["unit"] == [
        "Creatinine is reported in mg/dL or umol/L, not g/L."]
    implausible = client.post(url, {"analyte": "creatinine", "value": "88", "unit": "mg/dL",
                                    "taken_at": taken})
    assert implausible.status_code == 200
    assert implausible.context["form"].errors["value"]
    assert not models.LabResult.objects.filter(patient=patient).exists()

    assert client.post(url, {"analyte": "creatinine", "value": "88", "unit": "umol/L",
                             "taken_at": taken}).status_code == 302
    lab = models.LabResult.objects.get(patient=patient)
    assert (lab.value, lab.unit) == (Decimal("88.000"), "umol/L")


def test_a_planned_bone_agent_course_without_a_start_date_is_recorded_and_the_case_shows(
    client, board, coordinator, verified_login
):
    meeting, items = meeting_with_cases(board, 1)
    patient = items[0].patient
    verified_login(client, coordinator)
    url = reverse("cases:record_row_new", args=[patient.pk, "bone-agent"])

    response = client.post(url, {"agent": "denosumab", "dose_mg": "120", "interval_weeks": "4"})

    assert response.status_code == 302
    assert models.BoneTargetedAgentCourse.objects.filter(
        patient=patient, agent="denosumab", started_on=None).exists()
    assert client.get(reverse("cases:case_review", args=[items[0].pk])).status_code == 200


@pytest.mark.parametrize("kind", ["systemic", "radiotherapy", "surgery", "radioisotope",
                                  "primary"])
def test_every_form_of_the_record_renders_and_refuses_an_empty_submit(
    client, board, coordinator, verified_login, kind
):
    patient = PatientFactory(board=board)
    verified_login(client, coordinator)
    url = reverse("cases:record_row_new", args=[patient.pk, kind])
    assert client.get(url).status_code == 200
    response = client.post(url, {})
    assert response.status_code == 200 and response.context["form"].errors
    assert not KINDS[kind].model.objects.filter(patient=patient).exists()


def test_the_record_page_lists_every_table_with_links_by_role(
    client, board, coordinator, spine_surgeon, verified_login
):
    patient = add_patient(board, lesions=2, labs=3)
    url = reverse("cases:patient_record", args=[patient.pk])
    verified_login(client, coordinator)
    html = client.get(url).content.decode()
    assert html.count(">Edit<") >= 5 and "Delete" not in html.split("Lesions (")[1]
    verified_login(client, spine_surgeon)
    assert "/delete/" in client.get(url).content.decode()


def test_an_outsider_gets_404_on_every_form(client, board, outsider, patient, verified_login):
    lesion = SpinalLesionFactory(patient=patient)
    verified_login(client, outsider)
    for url in (reverse("cases:patient_record", args=[patient.pk]),
                reverse("cases:record_row_new", args=[patient.pk, "lab"]),
                reverse("cases:record_row_edit", args=[patient.pk, "lesion", lesion.pk]),
                reverse("cases:record_row_delete", args=[patient.pk, "lesion", lesion.pk]),
                reverse("cases:patient_details_edit", args=[patient.pk])):
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("cases:lesion_score_preview", args=[patient.pk]),
                           {"bone": "vertebra"})
    assert response.status_code == 404


def test_a_row_of_another_patient_is_404_under_this_patient(client, board, coordinator,
                                                            patient, verified_login):
    other = SpinalLesionFactory(patient=PatientFactory(board=board))
    verified_login(client, coordinator)
    url = reverse("cases:record_row_edit", args=[patient.pk, "lesion", other.pk])
    assert client.get(url).status_code == 404


# --- Where saving returns to ------------------------------------------------------------------

@pytest.mark.parametrize(("next_url", "safe"), [
    ("/meetings/1/#item-2", True),
    ("//evil.example/", False),
    ("https://evil.example/", False),
    ("javascript:alert(1)", False),
    ("/\\evil.example", False),
])
def test_next_is_followed_only_to_a_page_of_this_site(client, board, coordinator, patient,
                                                     verified_login, next_url, safe):
    verified_login(client, coordinator)
    url = reverse("cases:patient_status_edit", args=[patient.pk])
    response = client.post(url + "?" + urlencode({"next": next_url}), {"worst_pain_nrs": "4"})
    assert response.status_code == 302
    expected = next_url if safe else reverse("cases:patient_record", args=[patient.pk])
    assert response["Location"] == expected


# --- "What to chase" links --------------------------------------------------------------------

_EXAMPLE_PATHS = sorted({re.sub(r"\*", "0", key) for key in FIELD_LABELS}
                        | {"labs.creatinine", "labs.platelets", "labs.creatinine.unit",
                           "lesions", "imaging", "primary", "primary_site",
                           "baseline_creatinine_date", "bone_targeted_agents"})


#: Facts with a default the engine never asks for (PAIN-04's NRS trigger is 5 unless a
#: board sets its own): nothing to chase, so no form.
_NEVER_ASKED = {"pain.analgesia_review_nrs"}


@pytest.mark.django_db(False)
def test_every_fact_the_engine_can_ask_for_links_to_a_form():
    unlinked = [path for path in _EXAMPLE_PATHS if path not in _NEVER_ASKED
                and not _fix_url(patient_id=1, agenda_item_id=2, path=path, lesion_id=3)]
    assert unlinked == []
    assert set(_KIND_OF_LIST) == set(FACT_ROW_ORDER) and set(_KIND_OF_LIST.values()) <= set(KINDS)


def test_a_missing_lab_links_to_a_lab_form_with_the_test_chosen_and_returns_to_the_agenda(
    client, board, coordinator, verified_login
):
    meeting, _ = meeting_with_cases(board, 1, complete=True)
    patient = add_patient(board, lesions=1, labs=0, complete=True)
    item = agenda_item_add(meeting=meeting, question="Zoledronic acid?", patient=patient)
    verified_login(client, coordinator)
    html = client.get(reverse("cases:agenda", args=[meeting.pk])).content.decode()
    row = html.split(f'id="item-{item.pk}"')[1].split('<div class="agenda-side">')[0]
    new_lab = reverse("cases:record_row_new", args=[patient.pk, "lab"])
    link = f"{new_lab}?item={item.pk}&amp;analyte=platelets#id_value"
    assert f'href="{link}"' in row

    form = client.get(link.replace("&amp;", "&"))
    assert form.context["form"]["analyte"].value() == "platelets"
    taken = (timezone.localtime() - dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(f"{new_lab}?item={item.pk}", {
        "analyte": "platelets", "value": "220", "unit": "10^9/L", "taken_at": taken})
    assert response["Location"] == reverse("cases:agenda", args=[meeting.pk]) + f"#item-{item.pk}"
    client.get(response["Location"])
    fields = {m["field"] for m in DraftPlan.objects.filter(agenda_item=item)
              .latest("created_at").output["missing_data"]}
    assert "labs.platelets" not in fields


def test_a_missing_lesion_finding_links_to_that_lesion_and_field(client, board, coordinator,
                                                                 verified_login):
    meeting, _ = meeting_with_cases(board, 1, complete=True)
    patient = add_patient(board, lesions=0, labs=8, complete=True)
    lesion = SpinalLesionFactory(patient=patient, vertebral_level="T10", alignment="")
    item = agenda_item_add(meeting=meeting, question="Stable?", patient=patient)
    verified_login(client, coordinator)
    html = client.get(reverse("cases:agenda", args=[meeting.pk])).content.decode()
    edit = reverse("cases:record_row_edit", args=[patient.pk, "lesion", lesion.pk])
    assert f'href="{edit}?item={item.pk}#id_alignment"' in html


def test_a_treatment_row_named_by_its_place_opens_that_rows_form(client, board, coordinator,
                                                                 verified_login):
    patient = PatientFactory(board=board)
    PrimaryCancerFactory(patient=patient)
    today = timezone.localdate()
    later = models.BoneTargetedAgentCourse.objects.create(
        patient=patient, agent="denosumab", dose_mg=120, interval_weeks=4,
        started_on=today - dt.timedelta(days=10))
    earlier = models.BoneTargetedAgentCourse.objects.create(
        patient=patient, agent="zoledronic_acid", dose_mg=4, interval_weeks=4,
        started_on=today - dt.timedelta(days=300))
    verified_login(client, coordinator)
    at = reverse("cases:record_row_at", args=[patient.pk, "bone-agent", 0])
    response = client.get(at + "?item=7")
    assert response["Location"] == reverse(
        "cases:record_row_edit", args=[patient.pk, "bone-agent", earlier.pk]) + "?item=7"
    response = client.get(reverse("cases:record_row_at", args=[patient.pk, "bone-agent", 1]))
    assert response["Location"].endswith(f"/{later.pk}/")
    assert client.get(reverse("cases:record_row_at",
                              args=[patient.pk, "bone-agent", 2])).status_code == 404


def test_a_missing_baseline_creatinine_says_which_value_is_wanted(client, board, coordinator,
                                                                  patient, verified_login):
    link = _fix_url(patient_id=patient.pk, agenda_item_id=None, path="baseline_creatinine")
    assert link == (reverse("cases:record_row_new", args=[patient.pk, "lab"])
                    + "?analyte=creatinine&baseline=1#id_value")
    verified_login(client, coordinator)
    html = client.get(link).content.decode()
    assert "The creatinine before the first zoledronic acid dose" in html


@pytest.mark.django_db(False)
def test_the_lesion_form_records_neuropathic_pain_as_yes_no_or_not_known():
    """RT-08 asks for it when unknown, so the lesion form must be able to say "not known"
    (stored as NULL) as well as yes and no."""
    field = LesionForm().fields["neuropathic_pain"]
    assert [value for value, _ in field.choices] == ["", "true", "false"]
    assert [field.clean(v) for v in ("", "true", "false")] == [None, True, False]


def test_the_lesion_form_records_the_bilsky_grade_that_mscc_12_asks_for(
    client, board, coordinator, verified_login
):
    """MSCC-12 reads the ESCC (Bilsky) grade: the chase link lands on the lesion form's
    field, which offers the grades in words and stores the one chosen."""
    patient = add_patient(board, lesions=0, labs=8, complete=True)
    lesion = SpinalLesionFactory(patient=patient, vertebral_level="T10", escc_grade="")
    verified_login(client, coordinator)
    edit = reverse("cases:record_row_edit", args=[patient.pk, "lesion", lesion.pk])
    page = client.get(edit).content.decode()
    assert 'id="id_escc_grade"' in page
    assert "Bilsky 2: cord compressed, CSF visible" in page
    data = {k: v for k, v in LesionForm(instance=lesion).initial.items() if v is not None}
    data.update({"escc_grade": "2", "bone": lesion.bone})
    data = {k: ("true" if v is True else "false" if v is False else v)
            for k, v in data.items() if k in LesionForm.Meta.fields}
    response = client.post(edit, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    lesion.refresh_from_db()
    assert lesion.escc_grade == "2"


def test_the_primary_form_records_hormone_receptor_and_her2_status_in_words(
    client, board, coordinator, verified_login
):
    """SYS-01 asks for each status on its own: its chase link lands on that field of the
    primary form, which offers positive / negative / not known in words; the record page
    then shows both."""
    patient = PatientFactory(board=board)
    verified_login(client, coordinator)
    link = _fix_url(patient_id=patient.pk, agenda_item_id=None, path="primary.her2_status")
    assert link.endswith("#id_her2_status")
    page = client.get(link).content.decode()
    assert 'id="id_hormone_receptor_status"' in page and 'id="id_her2_status"' in page
    assert "Hormone receptors (ER/PR)" in page
    assert page.count('<option value="unknown">Not known</option>') == 2
    response = client.post(link.partition("#")[0], {
        "site": "breast", "hormone_receptor_status": "negative", "her2_status": "positive"})
    assert response.status_code == 302
    patient.refresh_from_db()
    assert (patient.primary.hormone_receptor_status, patient.primary.her2_status) == (
        "negative", "positive")
    record = client.get(reverse("cases:patient_record", args=[patient.pk])).content.decode()
    assert re.search(r"<dt>Hormone receptors \(ER/PR\)</dt><dd>Negative</dd>", record)
    assert re.search(r"<dt>HER2</dt><dd>Positive</dd>", record)
    assert "her2_status" not in record and "positive" not in record


def test_receptor_statuses_on_a_prostate_primary_are_refused_at_each_field(
    client, board, coordinator, verified_login
):
    patient = PatientFactory(board=board)
    verified_login(client, coordinator)
    response = client.post(reverse("cases:record_row_new", args=[patient.pk, "primary"]), {
        "site": "prostate", "hormone_receptor_status": "positive", "her2_status": "negative"})
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "hormone_receptor_status": ["Hormone-receptor status applies to breast cancer only."],
        "her2_status": ["HER2 status applies to breast cancer only."]}
    assert not models.PrimaryCancer.objects.filter(patient=patient).exists()
