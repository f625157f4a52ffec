"""The API reference (Swagger UI on the served OpenAPI document) works in a real browser under the
app's own Content-Security-Policy, with every asset from the app itself."""
from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect


@pytest.fixture()
def strict_page(browser, live_server, request):
    """A page that keeps the app's CSP (the shared `page` fixture bypasses it to inject axe-core)."""
    context = browser.new_context(base_url=live_server["url"], viewport={"width": 1280, "height": 900})
    context.add_init_script("""window.__cspViolations = [];
        document.addEventListener('securitypolicyviolation',
            e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));""")
    pg = context.new_page()
    pg.set_default_timeout(10_000)
    yield pg
    context.close()


def test_the_api_reference_shows_every_operation_under_the_apps_csp(strict_page, live_server):
    requests, errors = [], []
    strict_page.on("request", lambda r: requests.append(r.url))
    strict_page.on("pageerror", lambda e: errors.append(str(e)))
    strict_page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    strict_page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    response = strict_page.goto("/api/docs")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(strict_page.locator(".opblock")).to_have_count(len(operations(strict_page)))
    assert strict_page.evaluate("window.__cspViolations") == []
    assert errors == []
    origin = urlsplit(live_server["url"]).netloc
    assert {urlsplit(u).netloc for u in requests if not u.startswith("data:")} == {origin}
    assert strict_page.get_by_role("heading", name="Exemplar Exchange API").first.is_visible()


def operations(page) -> list[str]:
    doc = page.request.get("/api/v1/openapi.json").json()
    assert len(doc["paths"]) >= 25
    return [f"{m} {p}" for p, item in doc["paths"].items() for m in item if m != "parameters"]
