"""The REST API (/api/v1/…) and its OpenAPI 3 schema with a locally served docs UI."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

urlpatterns = [
    path("v1/", include("cases.api.urls")),
    path("v1/recommendations/", include("recommendations.api.urls")),
    path("v1/reminders/", include("reminders.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]
