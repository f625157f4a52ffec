"""The register through the JSON API: public reads, pagination, ETags, errors and permissions."""
from __future__ import annotations

from sqlalchemy import select

from app.audit.models import AuditEvent
from app.registry.models import Deployment

from .conftest import bearer


def test_organisations_are_public_and_paginated_with_links(client):
    r = client.get("/api/v1/organisations?kind=trust&per_page=5&page=2")
    assert r.status_code == 200
    body = r.get_json()
    assert body["page"] == 2 and body["per_page"] == 5 and body["total"] > 100
    assert len(body["items"]) == 5 and all(o["kind"] == "trust" for o in body["items"])
    assert body["links"]["self"] == "/api/v1/organisations?kind=trust&page=2&per_page=5"
    assert body["links"]["next"].endswith("page=3&per_page=5")
    assert body["links"]["prev"].endswith("page=1&per_page=5")


def test_the_last_page_has_no_next_link(client):
    body = client.get("/api/v1/suppliers?per_page=100").get_json()
    assert body["links"]["next"] is None and body["links"]["prev"] is None
    assert body["total"] == len(body["items"])


def test_per_page_above_100_is_a_400_naming_the_field(client):
    r = client.get("/api/v1/organisations?per_page=101")
    assert r.status_code == 400
    assert r.get_json() == {"error": {"status": 400, "message": "per_page must be at least 1 and at most 100.",
                                      "field": "per_page"}}
    assert client.get("/api/v1/organisations?page=zero").status_code == 400


def test_an_unknown_filter_value_is_refused(client):
    r = client.get("/api/v1/organisations?kind=planet")
    assert r.status_code == 400 and r.get_json()["error"]["field"] == "kind"


def test_filters_narrow_the_list(client):
    body = client.get("/api/v1/organisations?q=wirral university").get_json()
    assert [o["ods_code"] for o in body["items"]] == ["RBL"]
    body = client.get("/api/v1/deployments?organisation=RBL").get_json()
    assert body["total"] >= 1 and all(d["organisation"] == "RBL" for d in body["items"])


def test_an_organisation_shows_its_deployments_and_public_memberships(client):
    body = client.get("/api/v1/organisations/rbl").get_json()
    assert body["ods_code"] == "RBL" and body["kind"] == "trust"
    assert body["deployments"] and body["memberships"][0]["status"] == "admitted"
    assert body["html_url"] == "/organisations/RBL"


def test_an_unknown_object_is_a_404_in_the_error_shape(client):
    r = client.get("/api/v1/organisations/ZZZZZ")
    assert r.status_code == 404
    assert r.get_json()["error"]["status"] == 404
    assert client.get("/api/v1/no-such-thing").get_json() == {"error": {"status": 404, "message": "Not found."}}


def test_a_public_read_has_an_etag_and_answers_304_when_unchanged(client):
    r = client.get("/api/v1/systems")
    etag = r.headers["ETag"]
    assert r.headers["Cache-Control"] == "public, max-age=60"
    again = client.get("/api/v1/systems", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert client.get("/api/v1/systems", headers={"If-None-Match": '"other"'}).status_code == 200


def test_systems_suppliers_frameworks_and_lots_are_readable(client):
    system = client.get("/api/v1/systems?category=acute_epr").get_json()["items"][0]
    assert client.get(system["url"]).get_json()["slug"] == system["slug"]
    supplier = client.get(f"/api/v1/suppliers/{system['supplier']}").get_json()
    assert system["slug"] in [s["slug"] for s in supplier["systems"]]
    fw = client.get("/api/v1/frameworks/gde").get_json()
    assert fw["ocid"].endswith("-fw-gde") and fw["lots"][0]["admitted_exemplars"] == 16
    lot = client.get("/api/v1/frameworks/gde/lots/1").get_json()
    assert len(lot["memberships"]) == 16
    assert client.get("/api/v1/frameworks/gde/lots/99").status_code == 404
    assert client.get("/api/v1/frameworks/gde/lots").get_json()["total"] == 4


def test_a_draft_framework_is_hidden_from_the_public_but_not_from_the_commercial_team(client, make, admin, token):
    make.framework(status="draft", slug="secret-draft")
    assert client.get("/api/v1/frameworks/secret-draft").status_code == 404
    assert "secret-draft" not in [f["slug"] for f in client.get("/api/v1/frameworks").get_json()["items"]]
    r = client.get("/api/v1/frameworks/secret-draft", headers=bearer(token(admin)))
    assert r.status_code == 200 and r.headers["Cache-Control"] == "private, no-cache"


def test_applications_are_shown_only_to_the_commercial_team(client, make, admin, token):
    fw = make.framework(status="open")
    make.membership(fw.lots[0], make.org(), status="applied")
    assert client.get(f"/api/v1/memberships?framework={fw.slug}").get_json()["total"] == 0
    body = client.get(f"/api/v1/memberships?framework={fw.slug}", headers=bearer(token(admin))).get_json()
    assert [m["status"] for m in body["items"]] == ["applied"]


def new_deployment(system_slug="epic-ehr", **kw):
    return {"organisation": "RJR", "system": system_slug, "status": "planned", "since": "2027-04-01",
            "confidence": "medium", "source_url": "https://example.org/board-papers", **kw}


def test_recording_a_deployment_needs_a_token(client, admin):
    r = client.post("/api/v1/deployments", json=new_deployment())
    assert r.status_code == 401 and r.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_read_token_cannot_write(client, admin, token):
    r = client.post("/api/v1/deployments", json=new_deployment(), headers=bearer(token(admin, "read")))
    assert r.status_code == 403 and "only read" in r.get_json()["error"]["message"]


def test_a_follower_buyer_cannot_record_deployments(client, make, token):
    buyer = make.user("follower_buyer")
    r = client.post("/api/v1/deployments", json=new_deployment(), headers=bearer(token(buyer, "write")))
    assert r.status_code == 403


def test_a_commercial_admin_records_a_deployment_and_it_is_audited(client, admin, token, db_session):
    r = client.post("/api/v1/deployments", json=new_deployment(), headers=bearer(token(admin, "write")))
    assert r.status_code == 201, r.get_json()
    body = r.get_json()
    assert body["organisation"] == "RJR" and body["status"] == "planned" and body["since"] == "2027-04-01"
    assert r.headers["Location"] == body["url"]
    event = db_session.execute(select(AuditEvent).where(AuditEvent.action == "deployment.create")
                               .order_by(AuditEvent.id.desc())).scalars().first()
    assert event.object_id == str(body["id"]) and event.actor_id == admin.id


def test_bad_deployment_values_are_422_naming_the_field(client, admin, token):
    headers = bearer(token(admin, "write"))
    cases = [(new_deployment(status="maybe"), "status"), (new_deployment(system="nope"), "system"),
             (new_deployment(organisation="ZZZZ"), "organisation"), (new_deployment(since="April"), "since"),
             (new_deployment(source_url="board papers"), "source_url"),
             ({k: v for k, v in new_deployment().items() if k != "source_url"}, "source_url"),
             (new_deployment(status="live", until="2028-01-01"), "until")]
    for body, field in cases:
        r = client.post("/api/v1/deployments", json=body, headers=headers)
        assert r.status_code == 422, (body, r.get_json())
        assert r.get_json()["error"]["field"] == field
    assert client.post("/api/v1/deployments", data="not json", headers=headers).status_code == 400


def test_ending_a_deployment_through_the_api(client, admin, token, make, db_session):
    dep = make.deployment(make.org(), make.system())
    headers = bearer(token(admin, "write"))
    r = client.post(f"/api/v1/deployments/{dep.id}/end", json={"until": "2026-10-31", "reason": "Replaced"},
                    headers=headers)
    assert r.status_code == 200 and r.get_json()["status"] == "ended"
    again = client.post(f"/api/v1/deployments/{dep.id}/end", json={"until": "2026-10-31", "reason": "x"},
                        headers=headers)
    assert again.status_code == 409 and "already ended" in again.get_json()["error"]["message"]
    assert db_session.get(Deployment, dep.id).until.isoformat() == "2026-10-31"


def test_the_api_never_uses_the_session_cookie(client, admin, login):
    login(admin)
    assert client.get("/dashboard").status_code == 200  # the session works for pages
    r = client.post("/api/v1/deployments", json=new_deployment())
    assert r.status_code == 401
    assert client.get("/api/v1/me").status_code == 401


def test_a_revoked_or_malformed_token_is_refused(client, admin, token, db_session):
    from app.accounts.models import ApiToken
    from app.api.services import revoke_token

    secret = token(admin)
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 200
    revoke_token(db_session.execute(select(ApiToken).where(ApiToken.user_id == admin.id)).scalar_one())
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 401
    assert client.get("/api/v1/organisations", headers={"Authorization": "Basic abc"}).status_code == 401
    assert client.get("/api/v1/organisations", headers=bearer("exx_guess")).status_code == 401


def test_a_token_of_a_deactivated_user_stops_working(client, admin, token, db_session):
    secret = token(admin)
    admin.active = False
    db_session.flush()
    assert client.get("/api/v1/me", headers=bearer(secret)).status_code == 401


def test_me_says_whose_token_it_is_and_notes_its_use(client, admin, token, db_session):
    from app.accounts.models import ApiToken

    r = client.get("/api/v1/me", headers=bearer(token(admin, "write")))
    body = r.get_json()
    assert body["email"] == admin.email and body["roles"] == ["commercial_admin"]
    assert body["token"]["scope"] == "write" and body["token"]["prefix"].startswith("exx_")
    assert db_session.execute(select(ApiToken).where(ApiToken.user_id == admin.id)).scalar_one().last_used_at


def test_the_api_is_exempt_from_csrf_but_pages_are_not(app, client, admin, token, login):
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        r = client.post("/api/v1/deployments", json=new_deployment(), headers=bearer(token(admin, "write")))
        assert r.status_code == 201
        login(admin)
        assert client.post("/account/api-tokens", data={"name": "x", "scope": "read"}).status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
