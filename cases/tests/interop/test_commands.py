"""manage.py import_fhir / import_hl7: a dry run writes nothing; errors fail the command."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from cases.models import ImportBatch, LabResult, Patient
from cases.tests.factories import PatientFactory
from cases.tests.interop import bundles as b

pytestmark = pytest.mark.django_db


def _bundle_file(tmp_path, *extra):
    path = tmp_path / "bundle.json"
    path.write_text(b.as_text(b.bundle(b.patient(), b.observation("718-7", 12, "g/dL",
                                                                   id="hb"), *extra)))
    return path


def test_import_fhir_dry_run_then_for_real(board, tmp_path, capsys):
    path = _bundle_file(tmp_path)
    call_command("import_fhir", str(path), "--board", board.name, "--dry-run")
    assert not Patient.objects.exists()
    assert "Would import: 2 new" in capsys.readouterr().out
    call_command("import_fhir", str(path), "--board", str(board.pk))
    out = capsys.readouterr().out
    assert "Imported: 2 new" in out and LabResult.objects.count() == 1
    assert ImportBatch.objects.get().uploaded_by is None
    call_command("import_fhir", str(path), "--board", str(board.pk))
    assert "Imported: 0 new, 0 updated, 2 unchanged" in capsys.readouterr().out


def test_import_fhir_with_errors_fails_and_stores_nothing(board, tmp_path, capsys):
    path = _bundle_file(tmp_path, b.observation("2160-0", 97, "umol/L", id="creat"))
    with pytest.raises(CommandError, match="Nothing was imported: 1 error"):
        call_command("import_fhir", str(path), "--board", board.name)
    assert "entry 3 (Observation creat)" in capsys.readouterr().err
    assert not Patient.objects.exists()


def test_import_hl7(board, tmp_path, capsys):
    PatientFactory(board=board, hospital_number="H0099001")
    path = tmp_path / "oru.hl7"
    path.write_text(b.oru(b.obx(1, "718-7", "12.1", "g/dL")).replace("\r", "\n"))
    call_command("import_hl7", str(path), "--board", board.name)
    assert LabResult.objects.count() == 1
    with pytest.raises(CommandError, match="No board"):
        call_command("import_hl7", str(path), "--board", "nope")
