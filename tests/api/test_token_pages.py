"""The "API tokens" page: made and revoked by their owner, shown once, stored hashed."""
from __future__ import annotations

import hashlib
import re

from sqlalchemy import select

from app.accounts.models import ApiToken
from app.audit.models import AuditEvent

from .conftest import bearer


def test_signing_in_is_needed_for_the_tokens_page(client):
    r = client.get("/account/api-tokens")
    assert r.status_code == 302 and "/sign-in" in r.headers["Location"]


def test_the_dashboard_links_to_the_tokens_page(client, make, login):
    login(make.user("follower_buyer"))
    assert 'href="/account/api-tokens"' in client.get("/dashboard").get_data(as_text=True)


def test_a_new_token_is_shown_once_and_stored_only_as_a_hash(client, make, login, db_session):
    user = login(make.user("exemplar_manager"))
    r = client.post("/account/api-tokens", data={"name": "Nightly sync", "scope": "write"})
    assert r.status_code == 200
    page = r.get_data(as_text=True)
    secret = re.search(r'value="(exx_[A-Za-z0-9_-]+)"', page).group(1)
    stored = db_session.execute(select(ApiToken).where(ApiToken.user_id == user.id)).scalar_one()
    assert stored.token_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert stored.prefix == secret[:12] and stored.scope == "write" and secret not in (stored.name, stored.prefix)
    assert client.get("/api/v1/me", headers=bearer(secret)).get_json()["email"] == user.email
    later = client.get("/account/api-tokens").get_data(as_text=True)
    assert secret not in later and stored.prefix in later
    assert db_session.execute(select(AuditEvent).where(AuditEvent.action == "api_token.create",
                                                       AuditEvent.object_id == str(stored.id))).scalar_one()


def test_a_token_needs_a_name(client, make, login):
    login(make.user("evaluator"))
    r = client.post("/account/api-tokens", data={"name": "", "scope": "read"})
    assert r.status_code == 200 and "Enter a name for the token" in r.get_data(as_text=True)


def test_revoking_a_token_stops_it_working(client, make, login, token, db_session):
    user = login(make.user("exemplar_manager"))
    secret = token(user)
    stored = db_session.execute(select(ApiToken).where(ApiToken.user_id == user.id)).scalar_one()
    r = client.post(f"/account/api-tokens/{stored.id}/revoke")
    assert r.status_code == 302
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 401
    assert "Revoked" in client.get("/account/api-tokens").get_data(as_text=True)


def test_nobody_can_revoke_someone_elses_token(client, make, login, token, db_session):
    owner = make.user("exemplar_manager")
    secret = token(owner)
    stored = db_session.execute(select(ApiToken).where(ApiToken.user_id == owner.id)).scalar_one()
    login(make.user("commercial_admin"))
    assert client.post(f"/account/api-tokens/{stored.id}/revoke").status_code == 404
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 200
