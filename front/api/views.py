"""API endpoints that combine apps, served at the same URLs as the rest of /api/v1/:
the lesions with the engine's scores (cases + recommendations) and signing a decision,
which schedules its follow-up (cases + reminders)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from cases.api import serializers as s
from cases.api import views as cases_views
from front.api.serializers import LesionWithScoresSerializer
from reminders.services import decision_sign_and_schedule


class LesionViewSet(cases_views.LesionViewSet):
    serializer_class = LesionWithScoresSerializer


class DecisionViewSet(cases_views.DecisionViewSet):
    # The tag of cases' meeting endpoints, so signing is listed beside them.
    @extend_schema(tags=["meetings"], request=s.DecisionSignSerializer,
                   responses={200: s.DecisionSerializer})
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        """The chair signs, after confirming (`"confirm": true`), from the meeting's day on:
        the decision becomes immutable and its follow-up is scheduled."""
        decision = self.get_object()
        # The confirmation the pages ask for; the meeting-day rule is the service's
        # (cases.services.signing_refusal, checked by decision_sign), as for every caller.
        s.DecisionSignSerializer(data=request.data).is_valid(raise_exception=True)
        # Signing and scheduling the follow-up reminders are one transaction.
        signed = decision_sign_and_schedule(decision=decision, chair=request.user)
        return self._answer(signed)
