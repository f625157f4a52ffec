"""Request plumbing (app/web.py): error pages in NHS style, JSON errors for the API, domain errors
that no view caught, the request id."""
from __future__ import annotations

import re

import pytest
from flask import g
from sqlalchemy import select

from app.errors import DomainError
from app.registry import services
from app.registry.models import Framework

from tests.accounts.apps import other_app


def add_failing_routes(app):
    def boom():
        raise RuntimeError("a bug")

    def refused():
        services.create_framework(slug="half-done", name="Half done")  # changed, then refused
        raise DomainError("You cannot do that here.", field="name")

    for prefix in ("", "/api"):
        app.add_url_rule(f"{prefix}/test-boom", f"boom{prefix}", boom)
        app.add_url_rule(f"{prefix}/test-refused", f"refused{prefix}", refused, methods=["GET", "POST"])


@pytest.fixture()
def odd_app(db_session):
    """An app with routes that fail in each way, exceptions handled as in production."""
    with other_app(setup=add_failing_routes, PROPAGATE_EXCEPTIONS=False) as app:
        yield app


def is_nhs_page(html: str) -> bool:
    return "nhsuk-header" in html and "nhsuk-footer" in html and html.count("<h1") == 1


def test_an_unknown_page_is_a_404_in_nhs_style(client):
    r = client.get("/no-such-page")
    assert r.status_code == 404
    html = r.get_data(as_text=True)
    assert is_nhs_page(html)
    assert "Page not found" in html
    assert r.mimetype == "text/html"


def test_an_unknown_organisation_is_a_404_page(client):
    r = client.get("/organisations/ZZZ99")
    assert r.status_code == 404 and "Page not found" in r.get_data(as_text=True)


def test_a_wrong_method_is_a_405_in_nhs_style(client):
    r = client.post("/frameworks")  # a page that takes no form
    assert r.status_code == 405
    assert is_nhs_page(r.get_data(as_text=True))


def test_a_refusal_is_a_403_in_nhs_style(client, make, login):
    login(make.user("follower_buyer"))
    r = client.get("/frameworks/new")
    assert r.status_code == 403
    assert is_nhs_page(r.get_data(as_text=True))


def test_a_bug_is_a_500_in_nhs_style_without_details(odd_app):
    r = odd_app.test_client().get("/test-boom")
    assert r.status_code == 500
    html = r.get_data(as_text=True)
    assert is_nhs_page(html)
    assert "Sorry, there is a problem with the service" in html
    assert "a bug" not in html and "Traceback" not in html


def test_the_500_page_works_for_a_signed_in_user_too(odd_app, make):
    client = odd_app.test_client()
    with client.session_transaction() as s:
        s["_user_id"] = make.user("auditor").get_id()
    r = client.get("/test-boom")
    assert r.status_code == 500
    assert "Sorry, there is a problem with the service" in r.get_data(as_text=True)


@pytest.mark.parametrize("path,status", [("/api/no-such-thing", 404), ("/api/test-boom", 500)])
def test_api_paths_answer_errors_in_json(odd_app, path, status):
    r = odd_app.test_client().get(path)
    assert r.status_code == status
    assert r.is_json
    body = r.get_json()
    assert body["error"]["status"] == status
    assert body["error"]["message"]
    assert "a bug" not in body["error"]["message"]


def test_an_api_method_not_allowed_is_json(odd_app):
    r = odd_app.test_client().delete("/api/test-boom")
    assert r.status_code == 405 and r.is_json and r.get_json()["error"]["status"] == 405


def test_a_domain_error_no_view_caught_answers_409_with_its_message(odd_app):
    r = odd_app.test_client().post("/test-refused")
    assert r.status_code == 409
    html = r.get_data(as_text=True)
    assert "You cannot do that here." in html
    assert is_nhs_page(html)


def test_a_domain_error_no_view_caught_undoes_the_change(odd_app, db_session):
    odd_app.test_client().post("/test-refused")
    assert db_session.execute(select(Framework).where(Framework.slug == "half-done")).first() is None


def test_a_domain_error_on_an_api_path_is_json_409_with_the_field(odd_app):
    r = odd_app.test_client().post("/api/test-refused")
    assert r.status_code == 409
    assert r.get_json() == {"error": {"status": 409, "message": "You cannot do that here.", "field": "name"}}


def test_every_response_has_a_request_id(client):
    first, second = client.get("/").headers["X-Request-Id"], client.get("/").headers["X-Request-Id"]
    assert re.fullmatch(r"[0-9a-f]{16}", first)
    assert first != second


def test_a_request_id_from_the_load_balancer_is_kept(client):
    r = client.get("/", headers={"X-Request-Id": "lb-1234.abc_DEF"})
    assert r.headers["X-Request-Id"] == "lb-1234.abc_DEF"


@pytest.mark.parametrize("forged", ["x" * 500, "abc method=POST path=/admin status=200", "<script>", "a\"b"])
def test_a_request_id_that_is_not_a_plain_token_is_replaced(client, forged):
    """The id is written into the log line: it must not be able to forge log fields."""
    r = client.get("/", headers={"X-Request-Id": forged})
    assert r.headers["X-Request-Id"] != forged
    assert re.fullmatch(r"[0-9a-f]{16}", r.headers["X-Request-Id"])


def test_error_pages_have_a_request_id_too(client):
    assert client.get("/no-such-page").headers["X-Request-Id"]


def test_a_huge_number_in_a_link_is_a_404_not_an_overflow(client, make, login):
    login(make.user("commercial_admin"))
    assert client.get("/deployments/99999999999999999999999/end").status_code == 404
    assert client.get("/governance/memberships/2147483648/decide").status_code == 404
    assert client.get("/frameworks/gde/lots/99999999999999999999").status_code == 404


def test_the_navigation_marks_the_current_section(client):
    g.pop("_login_user", None)
    html = client.get("/frameworks").get_data(as_text=True)
    assert 'href="/frameworks"' in html
    assert 'aria-current' in html


@pytest.mark.parametrize("url", ["/organisations?q=%00", "/organisations?region=Y6%002", "/organisations/RB%00L",
                                 "/audit/?q=a%00b", "/frameworks/gde%00"])
def test_a_nul_character_in_a_link_is_refused_with_400(client, url):
    """PostgreSQL cannot store or compare text holding NUL: refused up front on both backends."""
    r = client.get(url)
    assert r.status_code == 400
    assert "Sorry, there is a problem with your request" in r.get_data(as_text=True)


def test_a_nul_character_in_a_form_is_refused_with_400(client):
    r = client.post("/sign-in", data={"email": "a\x00@b.nhs.uk", "password": "x"})
    assert r.status_code == 400


def test_a_nul_character_in_an_api_query_is_json_400(client):
    r = client.get("/api/anything?q=%00")
    assert r.status_code == 400 and r.is_json
