"""API tokens expire (issue 21: they never did): 90 days by default, chosen on creation within the
configured longest lifetime, refused with the API's 401 JSON error once expired, and shown with
their expiry and last use on the tokens page."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app.accounts.models import ApiToken
from app.api import services
from app.errors import DomainError
from app.models_base import utcnow

from .conftest import bearer


def stored(db_session, user) -> ApiToken:
    return db_session.execute(select(ApiToken).where(ApiToken.user_id == user.id)).scalar_one()


def test_a_token_works_for_ninety_days_unless_told_otherwise(make, db_session):
    user = make.user("auditor")
    token, _ = services.create_token(user, name="sync", scope="read")
    assert token.expires_at - token.created_at == timedelta(days=90)
    short, _ = services.create_token(user, name="one week", scope="read", days=7)
    assert short.expires_at - short.created_at == timedelta(days=7)


@pytest.mark.parametrize("days", [0, -1, 366, 10_000])
def test_a_lifetime_outside_one_day_to_the_longest_is_refused(make, days):
    with pytest.raises(DomainError, match="from 1 to 365 days") as e:
        services.create_token(make.user("auditor"), name="x", scope="read", days=days)
    assert e.value.field == "days"


def test_the_default_and_the_longest_lifetime_are_configurable(app, make):
    app.config.update(API_TOKEN_DEFAULT_DAYS=30, API_TOKEN_MAX_DAYS=60)
    try:
        token, _ = services.create_token(make.user("auditor"), name="x", scope="read")
        assert token.expires_at - token.created_at == timedelta(days=30)
        with pytest.raises(DomainError, match="from 1 to 60 days"):
            services.create_token(make.user("auditor"), name="y", scope="read", days=90)
    finally:
        app.config.update(API_TOKEN_DEFAULT_DAYS=90, API_TOKEN_MAX_DAYS=365)


def test_an_expired_token_gets_the_apis_401_json_error(client, make, token, db_session):
    user = make.user("exemplar_manager")
    secret = token(user)
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 200
    row = stored(db_session, user)
    row.created_at, row.expires_at = utcnow() - timedelta(days=91), utcnow() - timedelta(seconds=1)
    db_session.commit()
    r = client.get("/api/v1/me", headers=bearer(secret))
    assert r.status_code == 401 and r.is_json
    assert r.headers["WWW-Authenticate"].startswith("Bearer")
    assert "expired" in r.get_json()["error"]["message"]


def test_the_page_offers_lifetimes_up_to_the_longest_and_creates_with_the_chosen_one(client, make, login, db_session):
    user = login(make.user("evaluator"))
    page = client.get("/account/api-tokens").get_data(as_text=True)
    offered = re.findall(r'name="days" type="radio" value="(\d+)"', page)
    assert offered == ["7", "30", "90", "180", "365"]
    assert re.search(r'value="90"\s+checked', page)
    r = client.post("/account/api-tokens", data={"name": "Quarterly report", "scope": "read", "days": "30"})
    assert r.status_code == 200
    row = stored(db_session, user)
    assert row.expires_at - row.created_at == timedelta(days=30)


def test_a_lifetime_not_offered_is_refused_by_the_form(client, make, login, db_session):
    user = login(make.user("evaluator"))
    r = client.post("/account/api-tokens", data={"name": "Forever", "scope": "read", "days": "36500"})
    assert r.status_code == 200 and "There is a problem" in r.get_data(as_text=True)
    assert db_session.execute(select(ApiToken).where(ApiToken.user_id == user.id)).first() is None


def test_the_page_shows_each_tokens_expiry_and_last_use_and_which_have_expired(client, make, login, token, db_session):
    user = login(make.user("exemplar_manager"))
    secret = token(user)
    client.get("/api/v1/me", headers=bearer(secret))  # a use
    old, _ = services.create_token(user, name="old sync", scope="read", days=7)
    old.created_at -= timedelta(days=8)
    old.expires_at -= timedelta(days=8)
    db_session.commit()
    page = client.get("/account/api-tokens").get_data(as_text=True)
    assert '<th scope="col">Expires</th>' in page and '<th scope="col">Last used</th>' in page
    rows = re.findall(r'<tr class="nhsuk-table__row">(.*?)</tr>', page, re.S)
    live = next(r for r in rows if "test read" in r)
    expired = next(r for r in rows if "old sync" in r)
    assert "Never" not in live and "Active" in live
    assert "Expired" in expired and "Revoke" not in expired
