"""Import from the hospital's systems: FHIR R4 bundles and HL7 v2 lab results.

- `codes`: the ONE module of mapping tables (LOINC → lab test, UCUM → stored unit,
  condition, medication and imaging codes). docs/import.md prints it as tables.
- `fhir` and `hl7v2`: read a file with its library (fhir.resources, python-hl7) into
  `plan.Incoming` rows, one per resource or OBX, with errors in words.
- `plan`: compares the rows with the board's record (new / updated / unchanged) in a
  fixed number of queries, validates them with the models' own checks, and writes them
  in one transaction. `cases.services.records_import` is the entry point.
"""
