"""API routes of the reminders app (mounted at /api/v1/reminders/)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from reminders.api.follow_through import ActionDoneView, ActionNotDoneView, FollowThroughView
from reminders.api.views import ReminderViewSet

router = SimpleRouter()
router.register("", ReminderViewSet, basename="reminder")

urlpatterns = [
    path("follow-through/<int:board_id>/", FollowThroughView.as_view(),
         name="follow-through"),
    path("actions/<int:pk>/done/", ActionDoneView.as_view(), name="action-done"),
    path("actions/<int:pk>/not-done/", ActionNotDoneView.as_view(), name="action-not-done"),
    *router.urls,
]
