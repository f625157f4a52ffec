"""Offers through the JSON API: search with facets, and an exemplar's offer lifecycle."""
from __future__ import annotations

from sqlalchemy import select

from app.audit.models import AuditEvent

from .conftest import bearer


def new_offer(**kw):
    return {"framework": "gde", "lot": 1, "title": "Cyber resilience reviews (test)",
            "summary": "A review of your cyber readiness by our team.", "category": "cyber-security",
            "pricing_model": "day_rate", "price_pence": 95000, "vat": "exclusive", "capacity_per_quarter": 3,
            "lead_time_weeks": 4, "contact_name": "Test Contact", "contact_email": "cyber@example.nhs.uk",
            "regions": ["Y62"], "evidence_links": ["https://example.org/evidence"], **kw}


def exemplar(make):
    return make.user("exemplar_manager", org=make.org("RBL"))


def test_offer_search_is_public_with_facets_and_pagination(client):
    r = client.get("/api/v1/offers?per_page=2")
    assert r.status_code == 200
    body = r.get_json()
    assert body["total"] >= 1 and len(body["items"]) <= 2
    assert set(body["facets"]) >= {"capability", "system", "region"}
    assert all(o["status"] == "published" for o in body["items"])
    first = body["items"][0]
    assert client.get(first["url"]).get_json()["id"] == first["id"]


def test_offer_search_uses_words_and_facets(client):
    everything = client.get("/api/v1/offers?per_page=100").get_json()
    capability = everything["facets"]["capability"][0]
    narrowed = client.get(f"/api/v1/offers?capability={capability['value']}&per_page=100").get_json()
    assert narrowed["total"] == capability["count"]
    assert all(o["category"] == capability["value"] for o in narrowed["items"])
    assert client.get('/api/v1/offers?q="(AND OR NOT 💥').status_code == 200


def test_offer_search_knows_former_names_and_typos_and_says_why(client):
    cerner = client.get("/api/v1/offers?q=Cerner&per_page=100").get_json()
    assert cerner["total"] > 0 and cerner["did_you_mean"] is None
    assert all("Oracle Health, formerly Cerner" in o["matched"] for o in cerner["items"])
    typo = client.get("/api/v1/offers?q=elctronic").get_json()
    assert typo["total"] > 0 and typo["did_you_mean"] == "electronic"
    assert "electronic, the nearest word to elctronic" in typo["items"][0]["matched"]


def test_offer_search_says_how_many_matches_the_facet_counts_are_of(client, monkeypatch):
    from app.offers.search import facets as search_facets

    whole = client.get("/api/v1/offers?per_page=1").get_json()
    assert whole["facets_counted"] == whole["total"]  # the demo is well under the cap: exact counts
    monkeypatch.setattr(search_facets, "FACET_COUNT_LIMIT", 2)
    capped = client.get("/api/v1/offers?per_page=1").get_json()
    assert capped["total"] == whole["total"] > 2 and capped["facets_counted"] == 2
    assert sum(f["count"] for f in capped["facets"]["capability"]) == 2


def test_an_exemplar_drafts_publishes_edits_and_withdraws_an_offer(client, make, token, db_session):
    user = exemplar(make)
    headers = bearer(token(user, "write"))
    r = client.post("/api/v1/offers", json=new_offer(), headers=headers)
    assert r.status_code == 201, r.get_json()
    offer = r.get_json()
    assert offer["status"] == "draft" and offer["organisation"] == "RBL" and offer["version"] == 1
    assert offer["price_pence"] == 95000 and offer["regions"] == ["Y62"]
    assert client.get(offer["url"]).status_code == 404  # a draft is private to its trust
    assert client.get(offer["url"], headers=headers).status_code == 200

    published = client.post(f"{offer['url']}/publish", headers=headers)
    assert published.status_code == 200 and published.get_json()["status"] == "published"
    assert client.get(offer["url"]).status_code == 200

    changed = client.patch(offer["url"], json={"price_pence": 99000}, headers=headers).get_json()
    assert changed["price_pence"] == 99000 and changed["version"] == 2 and changed["title"] == offer["title"]

    withdrawn = client.post(f"{offer['url']}/withdraw", json={"reason": "Team busy"}, headers=headers)
    assert withdrawn.get_json()["status"] == "withdrawn"
    actions = db_session.execute(select(AuditEvent.action).where(AuditEvent.object_type == "Offer",
                                                                 AuditEvent.object_id == str(offer["id"]))).scalars().all()
    assert actions == ["offer.create", "offer.publish", "offer.update", "offer.withdraw"]


def test_offer_writes_need_the_right_token_and_role(client, make, token):
    assert client.post("/api/v1/offers", json=new_offer()).status_code == 401
    assert client.post("/api/v1/offers", json=new_offer(), headers=bearer(token(exemplar(make), "read"))).status_code == 403
    buyer = make.user("follower_buyer", org=make.org("RJR"))
    assert client.post("/api/v1/offers", json=new_offer(), headers=bearer(token(buyer, "write"))).status_code == 403


def test_another_trusts_exemplar_cannot_touch_an_offer(client, make, token):
    r = client.post("/api/v1/offers", json=new_offer(), headers=bearer(token(exemplar(make), "write")))
    url = r.get_json()["url"]
    other = make.user("exemplar_manager", org=make.org("RRK"))
    headers = bearer(token(other, "write"))
    assert client.patch(url, json={"price_pence": 1}, headers=headers).status_code == 404  # a draft: hidden
    assert client.post(f"{url}/publish", headers=headers).status_code == 404


def test_bad_offer_values_are_422_naming_the_field(client, make, token):
    headers = bearer(token(exemplar(make), "write"))
    for body, field in [(new_offer(title=""), "title"), (new_offer(category="nope"), "category"),
                        (new_offer(price_pence=-1), "price_pence"), (new_offer(vat="maybe"), "vat"),
                        (new_offer(lot=9), "lot"), (new_offer(regions=["ZZZ"]), "regions"),
                        (new_offer(contact_email="nobody"), "contact_email"),
                        (new_offer(capacity_committed=9), "capacity_committed")]:
        r = client.post("/api/v1/offers", json=body, headers=headers)
        assert r.status_code == 422, (body, r.get_json())
        assert r.get_json()["error"]["field"] == field


def test_a_trust_not_admitted_cannot_publish(client, make, token, db_session):
    fw = make.framework(status="live", slug="fw-publish-test")
    trust = make.org()
    make.membership(fw.lots[0], trust, status="applied")
    user = make.user("exemplar_manager", org=trust)
    headers = bearer(token(user, "write"))
    r = client.post("/api/v1/offers", json=new_offer(framework="fw-publish-test", regions=[]), headers=headers)
    assert r.status_code == 201, r.get_json()
    refused = client.post(f"{r.get_json()['url']}/publish", headers=headers)
    assert refused.status_code == 409 and "admitted" in refused.get_json()["error"]["message"]


def test_concentration_figures_are_public(client):
    r = client.get("/api/v1/concentration?category=acute_epr&as_of=2026-01-01")
    assert r.status_code == 200
    body = r.get_json()
    assert body["category"] == "acute_epr" and body["figures"]["as_of"] == "2026-01-01"
    assert 0 <= body["figures"]["hhi"] <= 10000 and "with a known system" in body["figures"]["computed_over"]
    assert len(body["trend"]) >= 4
    assert client.get("/api/v1/concentration?category=toasters").status_code == 400
    assert client.get("/api/v1/concentration?as_of=1999-12-31").status_code == 400
