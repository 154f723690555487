"""The pages: meetings and agendas, case review, decisions, patients, the audit trail.

Views validate input and call one service of the app that owns the write; reads go
through the apps' selectors (fixed query counts), never another app's ORM, and every
patient shown is recorded with `record_patient_access`.
"""
