"""API routes of the cases app."""

from rest_framework.routers import SimpleRouter

router = SimpleRouter()

urlpatterns = router.urls
