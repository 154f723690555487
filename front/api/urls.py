"""API routes of the endpoints that combine apps (mounted at /api/v1/ beside cases')."""

from rest_framework.routers import SimpleRouter

from front.api import views

router = SimpleRouter()
router.register("lesions", views.LesionViewSet, basename="lesion")
router.register("decisions", views.DecisionViewSet, basename="decision")

urlpatterns = router.urls
