"""CSRF, the sign-in rate limit, session cookies and security headers."""
from __future__ import annotations

import re

import pytest
from flask import g

from config import ProductionConfig

from .apps import other_app
from .fixtures import PASSWORD, cheap_password_hashing  # noqa: F401 (fixtures)

pytestmark = pytest.mark.usefixtures("cheap_password_hashing")


def csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'name="csrf_token"[^>]*value="([^"]+)"', html)
    assert match, "no CSRF token in the form"
    return match.group(1)


class ProductionForTests(ProductionConfig):
    SECRET_KEY = "a-production-secret-for-tests-only"
    PUBLIC_BASE_URL = "https://localhost"


# CSRF.

def test_with_csrf_on_a_sign_in_without_a_token_is_refused(db_session, make):
    user = make.user("auditor")
    with other_app(WTF_CSRF_ENABLED=True) as app:
        client = app.test_client()
        r = client.post("/sign-in", data={"email": user.email, "password": PASSWORD})
        assert r.status_code == 400
        assert "Your form expired or was sent from another site" in r.get_data(as_text=True)
    from app.accounts.throttle_store import throttle_store
    from app.accounts.throttling import account_keys
    from app.models_base import utcnow

    assert throttle_store().failures(account_keys(user.email)[0][0], utcnow()) == 0  # not even counted


def test_with_csrf_on_a_sign_in_with_a_forged_token_is_refused(db_session, make):
    user = make.user("auditor")
    with other_app(WTF_CSRF_ENABLED=True) as app:
        client = app.test_client()
        client.get("/sign-in")
        r = client.post("/sign-in", data={"email": user.email, "password": PASSWORD, "csrf_token": "forged"})
        assert r.status_code == 400


def test_with_csrf_on_a_sign_in_with_the_forms_token_works(db_session, make):
    user = make.user("auditor")
    with other_app(WTF_CSRF_ENABLED=True) as app:
        client = app.test_client()
        token = csrf_token(client.get("/sign-in").get_data(as_text=True))
        r = client.post("/sign-in", data={"email": user.email, "password": PASSWORD, "csrf_token": token})
        assert r.status_code == 302 and r.headers["Location"] == "/dashboard"


def test_with_csrf_on_signing_out_needs_the_token_too(db_session, make):
    user = make.user("auditor")
    with other_app(WTF_CSRF_ENABLED=True) as app:
        client = app.test_client()
        with client.session_transaction() as s:
            s["_user_id"] = user.get_id()
        assert client.post("/sign-out").status_code == 400
        assert client.get("/dashboard").status_code == 200
        token = csrf_token(client.get("/dashboard").get_data(as_text=True))
        assert client.post("/sign-out", data={"csrf_token": token}).status_code == 302


def test_with_csrf_on_an_admin_form_without_a_token_changes_nothing(db_session, make):
    from sqlalchemy import select

    from app.registry.models import Framework

    admin = make.user("commercial_admin")
    with other_app(WTF_CSRF_ENABLED=True) as app:
        client = app.test_client()
        with client.session_transaction() as s:
            s["_user_id"] = admin.get_id()
        r = client.post("/frameworks/new", data={
            "name": "Forged", "slug": "forged", "quality_weight_min": 40, "quality_weight_max": 80,
            "min_invitees": 3, "clarification_days": 5, "response_days": 10, "standstill_days": 8,
            "max_calloff_months": 24})
        assert r.status_code == 400
    assert db_session.execute(select(Framework).where(Framework.slug == "forged")).first() is None


POST_FORM = re.compile(r"<form\b[^>]*method=\"post\"[^>]*>(.*?)</form>", re.S | re.I)


def test_every_post_form_on_the_sign_in_page_carries_a_token(db_session):
    with other_app(WTF_CSRF_ENABLED=True) as app:
        forms = POST_FORM.findall(app.test_client().get("/sign-in").get_data(as_text=True))
        assert forms and all('name="csrf_token"' in f for f in forms)


@pytest.mark.parametrize("url", ["/dashboard", "/frameworks/new", "/frameworks/gde/edit", "/frameworks/gde/status",
                                 "/frameworks/gde/lots/new", "/frameworks/gde/lots/1/edit",
                                 "/organisations/RBL/deployments/new"])
def test_every_post_form_of_the_commercial_team_carries_a_token(db_session, make, url):
    admin = make.user("commercial_admin")
    with other_app(WTF_CSRF_ENABLED=True) as app:
        client = app.test_client()
        with client.session_transaction() as s:
            s["_user_id"] = admin.get_id()
        r = client.get(url)
        assert r.status_code == 200
        forms = POST_FORM.findall(r.get_data(as_text=True))
        assert forms, "no form on the page"
        assert all('name="csrf_token"' in f for f in forms)


def test_csrf_is_on_by_default_outside_tests():
    from config import DevelopmentConfig

    assert getattr(ProductionConfig, "WTF_CSRF_ENABLED", True) is True
    assert getattr(DevelopmentConfig, "WTF_CSRF_ENABLED", True) is True


# Rate limit on signing in.

def test_too_many_sign_in_attempts_are_answered_with_429(db_session):
    with other_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="3 per minute") as app:
        client = app.test_client()
        codes = [client.post("/sign-in", data={"email": "nobody@nowhere.nhs.uk", "password": "x"}).status_code
                 for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        r = client.post("/sign-in", data={"email": "nobody@nowhere.nhs.uk", "password": "x"})
        assert r.status_code == 429
        assert "Too many requests" in r.get_data(as_text=True) or "too many" in r.get_data(as_text=True).lower()


def test_the_rate_limit_counts_only_posts(db_session):
    with other_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="2 per minute") as app:
        client = app.test_client()
        assert all(client.get("/sign-in").status_code == 200 for _ in range(5))
        assert client.post("/sign-in", data={"email": "a@b.nhs.uk", "password": "x"}).status_code == 200


def test_the_rate_limit_does_not_touch_public_pages(db_session):
    with other_app(RATELIMIT_ENABLED=True, LOGIN_RATE_LIMIT="1 per minute") as app:
        client = app.test_client()
        assert all(client.get("/frameworks").status_code == 200 for _ in range(5))


def test_the_test_app_has_the_rate_limit_back_off_after_a_rate_limited_app(client):
    # A new e-mail each time: five for one would make sign-ins to it wait (throttling, not the rate limit).
    for n in range(12):
        assert client.post("/sign-in", data={"email": f"nobody{n}@nowhere.nhs.uk", "password": "x"}).status_code == 200


def test_the_default_sign_in_limit_is_set():
    assert ProductionForTests.LOGIN_RATE_LIMIT


# Cookies in production.

def test_in_production_the_session_cookie_is_secure_httponly_and_samesite_lax(db_session, make):
    user = make.user("auditor")
    with other_app(ProductionForTests) as app:
        assert app.config["SESSION_COOKIE_SECURE"] is True
        client = app.test_client()
        https = {"base_url": "https://localhost", "headers": {"Referer": "https://localhost/sign-in"}}
        token = csrf_token(client.get("/sign-in", **https).get_data(as_text=True))
        r = client.post("/sign-in", data={"email": user.email, "password": PASSWORD, "csrf_token": token}, **https)
        assert r.status_code == 302
        cookie = next(v for v in r.headers.getlist("Set-Cookie") if v.startswith("session="))
        flags = {part.strip().split("=")[0].lower(): part.strip() for part in cookie.split(";")}
        assert "secure" in flags
        assert "httponly" in flags
        assert flags["samesite"].lower() == "samesite=lax"


def test_in_production_the_remember_cookie_settings_are_secure():
    config = ProductionForTests()
    assert config.REMEMBER_COOKIE_SECURE and config.REMEMBER_COOKIE_HTTPONLY
    assert config.REMEMBER_COOKIE_SAMESITE == "Lax"
    assert config.PERMANENT_SESSION_LIFETIME <= 12 * 3600


def test_production_refuses_to_start_with_the_development_secret(monkeypatch):
    class Unset(ProductionConfig):
        SECRET_KEY = "dev-only-not-secret"

    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        Unset()


def test_in_production_responses_carry_hsts(db_session):
    with other_app(ProductionForTests) as app:
        r = app.test_client().get("/")
        assert r.headers["Strict-Transport-Security"].startswith("max-age=31536000")


# Security headers.

@pytest.mark.parametrize("url", ["/", "/sign-in", "/organisations", "/organisations?format=csv", "/no-such-page",
                                 "/static/build/app.css"])
def test_every_response_carries_the_security_headers(client, url):
    r = client.get(url)
    csp = r.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert r.headers["X-Frame-Options"] == "DENY"
    assert "camera=()" in r.headers["Permissions-Policy"]
    assert r.headers["X-Request-Id"]


def test_the_csp_allows_scripts_and_styles_only_from_this_site(client):
    csp = dict(d.strip().split(" ", 1) for d in client.get("/").headers["Content-Security-Policy"].split(";"))
    assert csp["script-src"] == "'self'" and csp["style-src"] == "'self'"
    assert csp["form-action"] == "'self'" and csp["base-uri"] == "'self'"


def test_signed_in_pages_are_never_cached(client, make, login):
    login(make.user("auditor"))
    assert client.get("/dashboard").headers["Cache-Control"] == "private, no-store"


def test_public_pages_for_anonymous_visitors_are_not_marked_private(client):
    g.pop("_login_user", None)
    assert "no-store" not in client.get("/frameworks").headers.get("Cache-Control", "")


def test_outside_production_there_is_no_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/").headers
