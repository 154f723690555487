"""API routes of the reminders app (mounted at /api/v1/reminders/)."""

from rest_framework.routers import SimpleRouter

from reminders.api.views import ReminderViewSet

router = SimpleRouter()
router.register("", ReminderViewSet, basename="reminder")

urlpatterns = router.urls
