"""API routes of the recommendations app (mounted at /api/v1/recommendations/)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from recommendations.api import views

router = SimpleRouter()
router.register("draft-plans", views.DraftPlanViewSet, basename="draft-plan")

urlpatterns = [
    path("rules/", views.RulesCatalogueView.as_view(), name="recommendation-rules"),
    path("evaluate/", views.EvaluateView.as_view(), name="recommendation-evaluate"),
    path("refresh/", views.DraftRefreshView.as_view(), name="recommendation-refresh"),
    *router.urls,
]
