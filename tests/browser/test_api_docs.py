"""The API's Swagger UI (/api/docs/) renders in a real browser under the site's Content
Security Policy: its files and start-up script come from this site, nothing inline is
refused, nothing fails. The page and the schema are public (drf-spectacular's default
AllowAny), so no sign-in."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Registered before any of the page's own scripts: every CSP violation the page
# reports, whether or not it also reaches the console.
_RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
});
"""


def test_api_docs_render_the_operations_under_the_csp(open_session, live_server):
    session = open_session()
    page = session.page
    page.add_init_script(_RECORD_VIOLATIONS)
    failed_requests: list[str] = []
    page.on("requestfailed", lambda request: failed_requests.append(request.url))
    headers = {}
    page.on("response", lambda response: response.url.endswith("/api/docs/")
            and headers.update(response.headers))

    page.goto("/api/docs/")
    # Swagger UI has fetched /api/schema/ and rendered the operations, tag by tag.
    patients = page.locator('.opblock-summary-path[data-path="/api/v1/patients/"]')
    expect(patients.first).to_be_visible(timeout=30_000)
    expect(page.locator(".opblock-tag", has_text="clinical record")).to_be_visible()
    expect(page.locator('.opblock-summary-path[data-path="/api/v1/users/"]').first) \
        .to_be_visible()
    page.wait_for_load_state("networkidle")
    session.screenshot("api-docs", full_page=False)

    # The page was served under the policy being tested (no inline script allowed).
    policy = headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert page.evaluate("window.__cspViolations") == []
    assert failed_requests == []
    # Console errors (CSP refusals appear there too) are checked by `open_session`.
