"""Site-wide response headers that are about patient data rather than transport."""

from __future__ import annotations

from django.utils.cache import patch_cache_control


class NoStoreMiddleware:
    """``Cache-Control: no-store`` on every page and API response.

    Nearly every response of this site carries patient data, and those that do not
    (sign-in, health) lose nothing by not being cached: a shared clinic workstation's
    browser cache, the Back button after sign-out and any proxy in between must not keep
    a copy (ASVS 8.2.1). Static files never get here: WhiteNoise, placed before this
    middleware, answers them with its own long-lived caching headers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        patch_cache_control(response, no_store=True, private=True)
        return response
