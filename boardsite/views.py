"""Site-level pages: home, sign-in with a clear session-expiry message, health."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect

from boardsite import second_factor

#: Set at sign-in and kept after the session ends, so the sign-in page can tell
#: "your session timed out" apart from a first visit. It holds no data.
SEEN_COOKIE = "boardsite_signed_in_before"


def healthz(request):
    """Liveness for docker-compose and load balancers: no database, no patient data."""
    return JsonResponse({"status": "ok"})


@login_required
def home(request):
    return redirect("cases:meeting_list")


class LoginView(auth_views.LoginView):
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["session_expired"] = (
            self.request.method == "GET"
            and bool(self.request.GET.get("next"))
            and self.request.COOKIES.get(SEEN_COOKIE) == "1"
        )
        context["idle_minutes"] = settings.SESSION_COOKIE_AGE // 60
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        second_factor.note_sign_in(self.request, form.get_user())
        response.set_cookie(
            SEEN_COOKIE, "1", max_age=60 * 60 * 24 * 30, httponly=True, samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
        return response
