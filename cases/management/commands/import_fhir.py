"""`manage.py import_fhir FILE --board BOARD [--dry-run]`: import a FHIR R4 Bundle (JSON)
into a board's record, all or nothing (docs/import.md)."""

from cases.interop.command import ImportCommand
from cases.models import ImportSource


class Command(ImportCommand):
    help = "Import a FHIR R4 Bundle (JSON) into a board: all of it or, on any error, nothing."
    source = ImportSource.FHIR
