"""Pages of the cases app: meetings and agendas, case review, decisions, patients.

Views validate input and call one service; reads go through `cases.selectors` (fixed
query counts) and every patient shown is recorded with `record_patient_access`.
"""
