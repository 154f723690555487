"""`manage.py import_hl7 FILE --board BOARD [--dry-run]`: import an HL7 v2 ORU^R01 message
(lab results) into a board's record, all or nothing (docs/import.md)."""

from cases.interop.command import ImportCommand
from cases.models import ImportSource


class Command(ImportCommand):
    help = "Import HL7 v2 ORU^R01 lab results into a board: all of them or, on any error, none."
    source = ImportSource.HL7V2
