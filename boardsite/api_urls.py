"""The REST API (/api/v1/…) and its OpenAPI 3 schema with a locally served docs UI.

The docs page is drf-spectacular's "split" Swagger view: its initialisation script is
served from a URL of this site instead of inline, and the Swagger UI files come from
drf-spectacular-sidecar under /static/ — so it runs under the CSP (`'self'` only, no
inline script) and with no CDN.
"""

from django.http import JsonResponse
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

urlpatterns = [
    path("v1/", include("cases.api.urls")),
    # Lesions and decisions (cases' views extended with what needs a higher app).
    path("v1/", include("front.api.urls")),
    path("v1/recommendations/", include("recommendations.api.urls")),
    path("v1/reminders/", include("reminders.api.urls")),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", template_name="cases/api/swagger_ui.html"
        ),
        name="api-docs",
    ),
]


@csrf_exempt
def _not_found(request, *args, **kwargs):
    """Any other path under /api/: a 404 in the API's error format, not an HTML page.

    Exempt from CSRF: it changes nothing, and a POST to a mistyped API path must get
    this 404, not Django's HTML CSRF page (API clients send tokens, not CSRF cookies)."""
    return JsonResponse({"errors": {"detail": ["Not found."]}}, status=404)


urlpatterns.append(re_path(r"^.*$", _not_found))
