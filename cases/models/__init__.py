"""The clinical record and the meeting. One module per part of the clinic's world."""

from cases.models import access_audit  # noqa: F401 - event models of users and tokens
from cases.models.access import AuditChainLink, PatientAccess
from cases.models.board import Board, BoardMembership
from cases.models.findings import ImagingStudy, LabResult, Lesion
from cases.models.meeting import AgendaItem, Attendance, Decision, DecisionItem, Meeting
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
    "Decision",
    "DecisionItem",
    "ImagingStudy",
    "LabResult",
    "Lesion",
    "Meeting",
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
