"""Browser: a coordinator previews a FHIR bundle, imports it, and imports it again with
no duplicates (issue #14)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cases.models import LabResult, Patient, PrimaryCancer
from cases.tests.interop import bundles as b

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _bundle_file(tmp_path):
    data = b.bundle(
        b.patient(),
        b.condition("http://hl7.org/fhir/sid/icd-10", "C61", id="c1"),
        b.observation("718-7", "12.1", "g/dL", id="hb"),
        b.observation("2160-0", "1.1", "mg/dL", id="creat"),
        b.observation("2951-2", "140", "mmol/L", id="sodium"),
    )
    path = tmp_path / "bundle.json"
    path.write_text(b.as_text(data))
    return path


def test_a_fhir_bundle_is_previewed_imported_and_imported_again(open_session, board,
                                                                 coordinator, tmp_path):
    path = _bundle_file(tmp_path)
    session = open_session("coordinator")
    page = session.page
    page.get_by_role("link", name="Import").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Import from the hospital's systems")
    page.get_by_label("Kind of file").select_option("fhir")
    page.get_by_label("The file").set_input_files(str(path))
    page.get_by_role("button", name="Preview").click()
    preview = page.locator("#import-preview")
    expect(preview).to_contain_text("4 new, 0 updated, 0 unchanged")
    expect(preview).to_contain_text("LOINC 2951-2")
    assert not Patient.objects.exists()  # a preview stores nothing
    session.screenshot("import-preview")

    page.get_by_role("button", name="Import into Bone metastasis MDT").click()
    expect(page.locator("#import-preview")).to_contain_text(
        "Imported into Bone metastasis MDT: 4 new")
    assert (Patient.objects.count(), PrimaryCancer.objects.count(),
            LabResult.objects.count()) == (1, 1, 2)

    # The same file again: everything unchanged, nothing new stored.
    page.get_by_label("The file").set_input_files(str(path))
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#import-preview")).to_contain_text("0 new, 0 updated, 4 unchanged")
    page.get_by_role("button", name="Import into Bone metastasis MDT").click()
    expect(page.locator("#import-preview")).to_contain_text(
        "Imported into Bone metastasis MDT: 0 new, 0 updated, 4 unchanged")
    assert (Patient.objects.count(), PrimaryCancer.objects.count(),
            LabResult.objects.count()) == (1, 1, 2)
    session.screenshot("import-again")
