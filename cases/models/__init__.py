"""The clinical record and the meeting. One module per part of the clinic's world."""

from cases.models import access_audit  # noqa: F401 - event models of users and tokens
from cases.models.access import AuditChainLink, PatientAccess
from cases.models.board import Board, BoardMembership
from cases.models.findings import ImagingStudy, LabResult, Lesion
from cases.models.imports import ImportBatch, ImportedResource, ImportSource
from cases.models.letters import DocumentDispatch, OutcomeLetter
from cases.models.meeting import (
    AgendaItem,
    Attendance,
    CaseOpinion,
    Decision,
    DecisionItem,
    Meeting,
)
from cases.models.patient import Patient, PatientFactsVersion, PrimaryCancer
from cases.models.security import SecurityNotice
from cases.models.treatments import (
    BoneTargetedAgentCourse,
    RadioisotopeCourse,
    RadiotherapyCourse,
    SurgicalProcedure,
    SystemicTherapy,
)

__all__ = [
    "AgendaItem",
    "AuditChainLink",
    "Attendance",
    "Board",
    "BoardMembership",
    "BoneTargetedAgentCourse",
    "CaseOpinion",
    "Decision",
    "DecisionItem",
    "DocumentDispatch",
    "ImagingStudy",
    "ImportBatch",
    "ImportSource",
    "ImportedResource",
    "LabResult",
    "Lesion",
    "Meeting",
    "OutcomeLetter",
    "Patient",
    "PatientAccess",
    "PatientFactsVersion",
    "PrimaryCancer",
    "RadioisotopeCourse",
    "RadiotherapyCourse",
    "SecurityNotice",
    "SurgicalProcedure",
    "SystemicTherapy",
]
