"""Security headers on pages and error pages, and no inline script or style anywhere (strict CSP)."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from app import create_app
from app.accounts.services import user_by_email
from config import ProductionConfig
from tests.security.browser import new_browser

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"
DEMO = {role: f"{role}@demo.exemplar.nhs.uk" for role in ("buyer", "evaluator", "exemplar", "admin", "auditor")}


@pytest.fixture()
def browser(app, db_session):
    def make(email: str | None = None):
        return new_browser(app, user_by_email(email) if email else None)

    return make


def csp(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    out = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            out[words[0]] = words[1:]
    return out


def assert_secure_headers(response, *, hsts: bool = False):
    directives = csp(response)
    for name in ("default-src", "script-src", "style-src", "img-src", "font-src", "connect-src", "base-uri",
                 "form-action"):
        assert name in directives, name
        assert "'unsafe-inline'" not in directives[name] and "'unsafe-eval'" not in directives[name], name
        assert "*" not in directives[name] and not any(s.startswith(("http:", "https:")) for s in directives[name])
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"] and directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in ("strict-origin-when-cross-origin", "same-origin", "no-referrer")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "camera=()" in response.headers["Permissions-Policy"]
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert re.fullmatch(r"[A-Za-z0-9._\-]+", response.headers["X-Request-Id"])
    if hsts:
        value = response.headers["Strict-Transport-Security"]
        assert int(re.search(r"max-age=(\d+)", value).group(1)) >= 31536000 and "includeSubDomains" in value
    else:
        assert "Strict-Transport-Security" not in response.headers


PUBLIC_PAGES = ["/", "/organisations", "/frameworks", "/systems", "/sign-in", "/accessibility"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_send_every_security_header(browser, path):
    response = browser().get(path)
    assert response.status_code == 200
    assert_secure_headers(response)
    assert "Cache-Control" not in response.headers or "no-store" not in response.headers["Cache-Control"]


@pytest.mark.parametrize("who, path", [("buyer", "/dashboard"), ("admin", "/admin/users"), ("auditor", "/audit/"),
                                       ("evaluator", "/account")])
def test_signed_in_pages_send_every_header_and_are_never_cached(browser, who, path):
    response = browser(DEMO[who]).get(path)
    assert response.status_code == 200
    assert_secure_headers(response)
    assert "no-store" in response.headers["Cache-Control"] and "private" in response.headers["Cache-Control"]


def test_error_pages_send_every_security_header(app, browser):
    anonymous = browser()
    for response, status in [
        (anonymous.get("/no-such-page"), 404),
        (browser(DEMO["buyer"]).get("/admin/users"), 403),
        (anonymous.post("/frameworks"), 405),  # a page that takes no form
        (anonymous.get("/invite/not-a-real-link-at-all"), 404),
        (anonymous.get("/api/v1/no-such-thing"), 404),
    ]:
        assert response.status_code == status
        assert_secure_headers(response)


def test_the_csrf_error_page_sends_every_security_header(app, browser):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        response = browser().post("/sign-in", data={"email": "a@b.nhs.uk", "password": "x"})
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert response.status_code == 400
    assert_secure_headers(response)


def test_the_server_error_page_sends_every_security_header(app, browser):
    def broken():
        raise RuntimeError("boom")

    original = app.view_functions["main.accessibility"]
    app.view_functions["main.accessibility"] = broken
    propagate = app.config.get("PROPAGATE_EXCEPTIONS")
    app.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        response = browser().get("/accessibility")
    finally:
        app.view_functions["main.accessibility"] = original
        app.config["PROPAGATE_EXCEPTIONS"] = propagate
    assert response.status_code == 500
    assert_secure_headers(response)
    assert "boom" not in response.get_data(as_text=True)


def test_static_files_send_the_headers_too(browser):
    response = browser().get("/static/build/app.css")
    if response.status_code == 404:
        pytest.skip("assets not built (make assets)")
    assert_secure_headers(response)


def test_hsts_is_sent_only_in_the_production_configuration(app, tmp_path):
    class Production(ProductionConfig):
        SECRET_KEY = "a-real-secret-for-this-test-only"
        PUBLIC_BASE_URL = "https://localhost"
        SQLALCHEMY_DATABASE_URI = app.config["SQLALCHEMY_DATABASE_URI"]
        RATELIMIT_ENABLED = False

    prod = create_app(Production)
    for path in ("/", "/sign-in", "/no-such-page"):
        assert_secure_headers(prod.test_client().get(path), hsts=True)
    assert prod.config["SESSION_COOKIE_SECURE"] and prod.config["SESSION_COOKIE_HTTPONLY"]
    with prod.app_context():
        from app.extensions import db

        db.engine.dispose()


# --------------------------------------------------------------------------------- no inline code


class InlineFinder(HTMLParser):
    """Collects what a strict CSP would block: inline scripts, style attributes, event handlers,
    javascript: links and <style> elements."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_script_without_src = False

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "script" and not names.get("src"):
            self.problems.append(f"<script> without src at line {self.getpos()[0]}")
        if tag == "style":
            self.problems.append(f"<style> element at line {self.getpos()[0]}")
        for name, value in attrs:
            if name == "style":
                self.problems.append(f"style= on <{tag}> at line {self.getpos()[0]}")
            if name.startswith("on"):
                self.problems.append(f"{name}= on <{tag}> at line {self.getpos()[0]}")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"javascript: URL on <{tag}> at line {self.getpos()[0]}")


def inline_problems(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    return finder.problems


_SCRIPT_TAG = re.compile(r"<script\b([^>]*)>", re.I)
_STYLE_ATTR = re.compile(r"<[a-zA-Z][^>]*\sstyle\s*=", re.S)
_HANDLER_ATTR = re.compile(r"<[a-zA-Z][^>]*\son[a-z]+\s*=", re.S)


def test_the_finder_spots_what_the_csp_would_block():
    assert len(inline_problems('<script>alert(1)</script><p style="color:red" onclick="x()">'
                               '<a href="javascript:alert(1)">x</a><style>p{}</style>')) == 5
    assert inline_problems('<script type="module" src="/static/x.js"></script><p class="a">') == []


def test_no_template_has_an_inline_script_or_a_style_attribute():
    problems = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        text = path.read_text(encoding="utf-8")
        for m in _SCRIPT_TAG.finditer(text):
            if "src=" not in m.group(1):
                problems.append(f"{path.relative_to(TEMPLATES)}: inline <script>")
        if _STYLE_ATTR.search(text):
            problems.append(f"{path.relative_to(TEMPLATES)}: style= attribute")
        if _HANDLER_ATTR.search(text):
            problems.append(f"{path.relative_to(TEMPLATES)}: on…= event handler")
        if re.search(r"<style\b", text, re.I):
            problems.append(f"{path.relative_to(TEMPLATES)}: <style> element")
    assert problems == []


RENDERED = [
    (None, "/"), (None, "/organisations"), (None, "/organisations/RBL"), (None, "/frameworks"), (None, "/systems"),
    (None, "/sign-in"), (None, "/no-such-page"),
    ("buyer", "/dashboard"), ("evaluator", "/account"), ("evaluator", "/account/password"),
    ("exemplar", "/dashboard"), ("auditor", "/audit/"), ("admin", "/dashboard"), ("admin", "/admin/users"),
    ("admin", "/admin/users/invite"),
]


@pytest.mark.parametrize("who, path", RENDERED)
def test_rendered_pages_have_no_inline_script_or_style(browser, who, path):
    response = browser(DEMO[who] if who else None).get(path)
    assert response.status_code in (200, 404)
    assert inline_problems(response.get_data(as_text=True)) == []


def test_rendered_account_pages_with_errors_have_no_inline_script_or_style(browser):
    admin = browser(DEMO["admin"])
    html = admin.post("/admin/users/invite", data={"email": "nope"}).get_data(as_text=True)
    assert "There is a problem" in html and inline_problems(html) == []
    user_id = user_by_email(DEMO["buyer"]).id
    for path in (f"/admin/users/{user_id}", f"/admin/users/{user_id}/roles", f"/admin/users/{user_id}/deactivate"):
        assert inline_problems(admin.get(path).get_data(as_text=True)) == []
