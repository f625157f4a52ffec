"""Admitting exemplars and deciding on memberships through the forms (reason required, who decided)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from app.web.formatting import title_case_org
from app.registry.models import Membership

from .helpers import entry_count, followed, last_entry, page


def test_admitting_an_exemplar(client, world, admin, db_session):
    candidate = world["candidate"]
    r = client.post("/frameworks/admin-fw/lots/1/admit",
                    data={"ods_code": f"  {candidate.ods_code.lower()} ", "reason": "Met the criteria",
                          "evidence": "Panel report"})
    assert r.headers["Location"] == "/frameworks/admin-fw/lots/1"
    assert f"{title_case_org(candidate.name)} admitted to Lot 1: Lot 1." in followed(client, r)
    m = db_session.execute(select(Membership).where(Membership.organisation_id == candidate.id)).scalar_one()
    assert m.status == "admitted"
    event = m.events[-1]
    assert (event.reason, event.evidence) == ("Met the criteria", "Panel report")
    assert event.decided_by_id == admin.id
    entry = last_entry(db_session)
    assert (entry.action, entry.actor_id) == ("membership.admit", admin.id)


@pytest.mark.parametrize("code,message", [
    ("ZZZ99", "No organisation has this ODS code"),
    ("Y62", "Only NHS trusts can be exemplars."),
    ("", "Enter the trust&#39;s ODS code"),
])
def test_admitting_something_that_is_not_a_known_trust_is_refused_on_the_form(client, world, admin, db_session,
                                                                           code, message):
    entries = entry_count(db_session)
    r = client.post("/frameworks/admin-fw/lots/1/admit", data={"ods_code": code, "reason": "Typed reason"})
    assert r.status_code == 200
    html = page(r)
    assert "There is a problem" in html and message in html
    assert "Typed reason" in html
    assert entry_count(db_session) == entries


def test_admitting_an_exemplar_already_admitted_is_refused_on_the_form(client, world, admin):
    r = client.post("/frameworks/admin-fw/lots/1/admit",
                    data={"ods_code": world["membership"].organisation.ods_code, "reason": "Again"})
    assert r.status_code == 200
    assert "You cannot admit an exemplar that is admitted." in page(r)


def test_admitting_needs_a_reason(client, world, admin):
    r = client.post("/frameworks/admin-fw/lots/1/admit", data={"ods_code": world["candidate"].ods_code, "reason": " "})
    assert r.status_code == 200 and ("Enter a reason" in page(r) or "Give a reason" in page(r))


def test_nobody_can_be_admitted_to_an_expired_framework(client, make, admin):
    make.framework(status="expired", lots=1, slug="closed-fw")
    r = client.post("/frameworks/closed-fw/lots/1/admit", data={"ods_code": make.org().ods_code, "reason": "Late"})
    assert r.status_code == 200 and "The framework has expired: no one can join it." in page(r)


@pytest.mark.parametrize("decision,status,action", [("suspended", "suspended", "membership.suspend"),
                                                    ("removed", "removed", "membership.remove")])
def test_suspending_or_removing_an_exemplar(client, world, admin, db_session, decision, status, action):
    m = world["membership"]
    r = client.post(f"/memberships/{m.id}/decide", data={"decision": decision, "reason": "Missed go-live",
                                                         "evidence": "Minutes"})
    assert r.headers["Location"] == "/frameworks/admin-fw/lots/1"
    assert f"Decision recorded: {title_case_org(m.organisation.name)} is now {status}." in followed(client, r)
    assert m.status == status
    event = m.events[-1]
    assert (event.from_status, event.to_status, event.reason) == ("admitted", status, "Missed go-live")
    assert event.decided_by_id == admin.id
    assert last_entry(db_session).action == action


def test_reinstating_a_suspended_exemplar(client, world, admin, db_session):
    m = world["membership"]
    m.status = "suspended"
    db_session.commit()
    html = page(client.get(f"/memberships/{m.id}/decide"))
    assert "Reinstate" in html and 'value="suspended"' not in html
    r = client.post(f"/memberships/{m.id}/decide", data={"decision": "admitted", "reason": "Back on track"})
    assert "is now admitted" in followed(client, r)
    assert last_entry(db_session).action == "membership.reinstate"


def test_deciding_on_an_application_offers_admit_or_reject(client, make, admin, db_session):
    lot = make.framework(status="open", lots=1, slug="applications").lots[0]
    m = make.membership(lot, make.org(), status="applied")
    html = page(client.get(f"/memberships/{m.id}/decide"))
    assert 'value="admitted"' in html and 'value="rejected"' in html
    assert "Reinstate" not in html  # an application is admitted, not reinstated
    r = client.post(f"/memberships/{m.id}/decide", data={"decision": "admitted", "reason": "Accepted"})
    assert "is now admitted" in followed(client, r)
    assert last_entry(db_session).action == "membership.admit"


def test_a_decision_the_lifecycle_does_not_allow_is_refused_on_the_form(client, world, admin, db_session):
    m = world["membership"]
    r = client.post(f"/memberships/{m.id}/decide", data={"decision": "rejected", "reason": "Typed reason"})
    assert r.status_code == 200
    assert "There is a problem" in page(r) and "Typed reason" in page(r)
    assert m.status == "admitted"


def test_a_removed_exemplar_offers_no_decision(client, world, admin, db_session):
    m = world["membership"]
    m.status = "removed"
    db_session.commit()
    r = client.post(f"/memberships/{m.id}/decide", data={"decision": "admitted", "reason": "Undo"})
    assert r.status_code == 200
    assert m.status == "removed"


def test_a_decision_needs_a_reason(client, world, admin):
    r = client.post(f"/memberships/{world['membership'].id}/decide", data={"decision": "suspended", "reason": ""})
    assert r.status_code == 200 and "Enter a reason" in page(r)
    assert world["membership"].status == "admitted"


def test_the_decision_page_shows_the_decisions_so_far(client, world, admin, db_session):
    from app.registry import services

    services.suspend_exemplar(world["membership"], reason="First pause")
    db_session.commit()
    assert "First pause" in page(client.get(f"/memberships/{world['membership'].id}/decide"))


def test_a_missing_membership_or_deployment_is_404(client, admin):
    assert client.get("/memberships/2147483000/decide").status_code == 404
    assert client.get("/deployments/2147483000/end").status_code == 404
    assert client.get("/organisations/ZZZ99/deployments/new").status_code == 404


