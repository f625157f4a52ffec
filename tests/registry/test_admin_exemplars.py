"""Membership decisions from the register's lot page: they lead to the governance pages, where one
service takes every decision (tests/governance/test_membership_decisions.py)."""
from __future__ import annotations

from .helpers import page


def test_the_lot_page_offers_a_decision_on_every_member_still_in_play(client, world, admin, make, db_session):
    removed = make.membership(world["fw"].lots[0], make.org(), status="removed")
    html = page(client.get("/frameworks/admin-fw/lots/1"))
    assert f"/governance/memberships/{world['membership'].id}/decide" in html
    assert f"/governance/memberships/{removed.id}/decide" not in html
    assert "/frameworks/admin-fw/lots/1/admit" not in html  # no door that bypasses the criteria


def test_the_old_decision_address_leads_to_the_governance_page_and_decides_nothing(client, world, admin):
    m = world["membership"]
    r = client.post(f"/memberships/{m.id}/decide", data={"decision": "removed", "reason": "Old bookmark"})
    assert r.status_code == 303 and r.headers["Location"] == f"/governance/memberships/{m.id}/decide"
    assert m.status == "admitted"
    assert client.get(r.headers["Location"]).headers["Location"] == f"/governance/memberships/{m.id}/review"


def test_the_direct_admission_page_is_gone(client, world, admin):
    assert client.get("/frameworks/admin-fw/lots/1/admit").status_code == 404


def test_a_missing_membership_or_deployment_is_404(client, admin):
    assert client.get("/governance/memberships/2147483000/decide").status_code == 404
    assert client.get("/deployments/2147483000/end").status_code == 404
    assert client.get("/organisations/ZZZ99/deployments/new").status_code == 404


