"""API routes of the cases app (mounted at /api/v1/). Lesions and decisions are served
by `front.api.urls`: their API adds the engine's scores and the follow-up on signing."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from cases.api import imports, views

router = SimpleRouter()
router.register("patients", views.PatientViewSet, basename="patient")
router.register("primary-cancers", views.PrimaryCancerViewSet, basename="primarycancer")
router.register("imaging-studies", views.ImagingStudyViewSet, basename="imagingstudy")
router.register("labs", views.LabResultViewSet, basename="labresult")
router.register("bone-agent-courses", views.BoneTargetedAgentCourseViewSet,
                basename="boneagentcourse")
router.register("systemic-therapies", views.SystemicTherapyViewSet, basename="systemictherapy")
router.register("radiotherapy-courses", views.RadiotherapyCourseViewSet,
                basename="radiotherapycourse")
router.register("surgeries", views.SurgicalProcedureViewSet, basename="surgery")
router.register("boards", views.BoardViewSet, basename="board")
router.register("users", views.UserViewSet, basename="user")
router.register("memberships", views.MembershipViewSet, basename="membership")
router.register("meetings", views.MeetingViewSet, basename="meeting")
router.register("attendances", views.AttendanceViewSet, basename="attendance")
router.register("agenda-items", views.AgendaItemViewSet, basename="agendaitem")

urlpatterns = [
    path("auth/token/", views.TokenObtainView.as_view(), name="api-token"),
    path("auth/logout/", views.TokenRevokeView.as_view(), name="api-token-revoke"),
    path("imports/", imports.ImportView.as_view(), name="import"),
    *router.urls,
]
