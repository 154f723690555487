"""The example files shipped in docs/examples/ are valid and import as docs/import.md says."""

from __future__ import annotations

from pathlib import Path

import pytest
from fhir.resources.R4B.bundle import Bundle

from cases import services
from cases.models import ImportSource, LabResult

pytestmark = pytest.mark.django_db
EXAMPLES = Path(__file__).resolve().parents[3] / "docs" / "examples"


def test_the_example_bundle_and_message_import_then_change_nothing(board, coordinator):
    bundle = (EXAMPLES / "bundle.json").read_text()
    Bundle.model_validate_json(bundle)  # the library's own validation
    plan = services.records_import(board=board, user=coordinator, source=ImportSource.FHIR,
                                   content=bundle)
    assert plan.ok and plan.unknown == []
    assert plan.counts() == {"new": 13, "updated": 0, "unchanged": 0, "noted": 2,
                                  "errors": 0, "unknown_codes": 0}
    oru = (EXAMPLES / "oru_r01.hl7").read_text()
    plan = services.records_import(board=board, user=coordinator, source=ImportSource.HL7V2,
                                   content=oru)
    assert plan.counts()["new"] == 3 and LabResult.objects.count() == 11
    for source, content in ((ImportSource.FHIR, bundle), (ImportSource.HL7V2, oru)):
        again = services.records_import(board=board, user=coordinator, source=source,
                                        content=content)
        assert again.counts()["new"] == again.counts()["updated"] == 0
    assert LabResult.objects.count() == 11
