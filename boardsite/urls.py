"""Top-level URL map."""

from django.contrib import admin
from django.http import JsonResponse
from django.urls import path


def healthz(request):
    """Liveness for docker-compose and load balancers: no database, no patient data."""
    return JsonResponse({"status": "ok"})


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
]
