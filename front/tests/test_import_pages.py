"""The import page: upload → preview → confirm, in house style (HTMX partials)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.models import ImportBatch, LabResult, Patient
from cases.tests.interop import bundles as b

pytestmark = pytest.mark.django_db


def _upload(client, board, data, source="fhir", **headers):
    upload = SimpleUploadedFile("bundle.json", b.as_text(data).encode(), "application/json")
    return client.post(reverse("cases:import_upload"),
                       {"board": board.pk, "source": source, "file": upload}, **headers)


def test_upload_preview_confirm(client, board, coordinator):
    client.force_login(coordinator)
    page = client.get(reverse("cases:import_upload"))
    assert page.status_code == 200 and "Bone metastasis MDT" in page.content.decode()
    data = b.bundle(b.patient(), b.observation("718-7", 12.1, "g/dL", id="hb"),
                    b.observation("2951-2", 140, "mmol/L", id="na"))
    preview = _upload(client, board, data, HTTP_HX_REQUEST="true")
    html = preview.content.decode()
    assert "<html" not in html  # the partial
    assert "2 new, 0 updated, 0 unchanged" in html
    assert "LOINC 2951-2" in html and "Not a code Boardsite imports" in html
    assert not Patient.objects.exists()
    batch = ImportBatch.objects.get()
    done = client.post(reverse("cases:import_confirm", args=[batch.pk]), HTTP_HX_REQUEST="true")
    assert "Imported into Bone metastasis MDT: 2 new" in done.content.decode()
    assert LabResult.objects.count() == 1
    again = client.post(reverse("cases:import_confirm", args=[batch.pk]))
    assert "already been imported" in again.content.decode()
    assert LabResult.objects.count() == 1


def test_errors_are_shown_and_there_is_nothing_to_confirm(client, board, coordinator):
    client.force_login(coordinator)
    data = b.bundle(b.patient(), b.observation("2160-0", 97, "umol/L", id="creat"))
    html = _upload(client, board, data).content.decode()
    assert "the file has 1 error" in html and "is reported in mg/dL" in html
    assert "Import into" not in html
    assert not Patient.objects.exists()


def test_outsiders_cannot_see_or_confirm_anothers_import(client, board, coordinator, outsider):
    client.force_login(coordinator)
    _upload(client, board, b.bundle(b.patient()))
    batch = ImportBatch.objects.get()
    client.force_login(outsider)
    assert client.post(reverse("cases:import_confirm", args=[batch.pk])).status_code == 404
    response = _upload(client, board, b.bundle(b.patient()))
    assert "Select a valid choice" in response.content.decode()
    assert not Patient.objects.exists()


def test_someone_on_no_board_is_told_why(client, administrator, verified_login):
    verified_login(client, administrator)
    response = client.get(reverse("cases:import_upload"))
    assert response.status_code == 403
    assert "you are not on one" in response.content.decode()
