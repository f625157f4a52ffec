"""Who may open each governance page: every route × every role (and the anonymous).

Trust roles belong to the trust that owns the application, agreement and partnership; the
"stranger" is an exemplar manager of another trust, who must not learn those objects exist."""
from __future__ import annotations

from datetime import date

import pytest

from app.accounts.roles import EXEMPLAR_MANAGER
from app.governance import services
from app.governance.calendar import Quarter
from app.registry.models import Partnership

ROLES = ["anonymous", "follower_buyer", "evaluator", "exemplar_manager", "commercial_admin", "auditor", "stranger"]

OVERSEE = {"commercial_admin": 200, "auditor": 200}
MANAGE = {"commercial_admin": 200}
TRUST = {"follower_buyer": 200, "exemplar_manager": 200}
OWN_OR_OVERSEE = {**OVERSEE, **TRUST, "evaluator": 404, "stranger": 404}


@pytest.fixture()
def world(gov, people, db_session):
    """An application, an exemplar membership, a partnership and an agreement with a queried check-in,
    all belonging to people["org"]."""
    org = people["org"]
    gov.make.deployment(org, gov.make.system(), status="live")
    lot = gov.open_lot()
    application = gov.apply(lot, org)
    exemplar_lot = gov.open_lot(status="live")
    membership = gov.make.membership(exemplar_lot, gov.trust(), "admitted")
    partnership = Partnership(follower=org, exemplar=membership.organisation, lot=exemplar_lot, origin="call_off")
    db_session.add(partnership)
    agreement = gov.agreement(org=org)
    gov.checkin(agreement, Quarter(2025, 1))
    queried = gov.checkin(agreement, Quarter(2025, 2), accept=False)
    services.review_checkin(queried, decision="query", comment="Why?")
    db_session.flush()
    people["stranger"] = gov.make.user(EXEMPLAR_MANAGER, org=gov.trust())
    return {"application": application, "lot": lot, "membership": membership, "partnership": partnership,
            "agreement": agreement, "queried": queried, "criterion": services.active_criteria(lot.framework)[0]}


def _routes(w):
    a, ag = w["application"], w["agreement"]
    return [
        ("/governance/", OVERSEE),
        ("/governance/trust", {**TRUST, "stranger": 200}),
        ("/governance/applications", OVERSEE),
        ("/governance/applications?format=csv", OVERSEE),
        ("/governance/applications/mine", {**TRUST, "stranger": 200}),
        (f"/governance/applications/{a.id}", OWN_OR_OVERSEE),
        (f"/governance/applications/{a.id}/assess", MANAGE),
        (f"/governance/applications/{a.id}/decide", MANAGE),
        (f"/governance/lots/{w['lot'].id}/apply", {"follower_buyer": 200, "exemplar_manager": 200, "stranger": 200}),
        (f"/governance/frameworks/{w['lot'].framework.slug}/criteria", OVERSEE),
        (f"/governance/criteria/{w['criterion'].id}/edit", MANAGE),
        ("/governance/exemplars", OVERSEE),
        ("/governance/exemplars?format=csv", OVERSEE),
        (f"/governance/memberships/{w['membership'].id}/review", OVERSEE),
        ("/governance/partnerships/mine", {**TRUST, "stranger": 200}),
        (f"/governance/partnerships/{w['partnership'].id}/rate",
         {"follower_buyer": 200, "exemplar_manager": 404, "evaluator": 404, "commercial_admin": 404,
          "auditor": 404, "stranger": 404}),
        ("/governance/funding", OVERSEE),
        ("/governance/funding?table=region&format=csv", OVERSEE),
        ("/governance/funding/agreements", OVERSEE),
        ("/governance/funding/agreements?format=csv", OVERSEE),
        ("/governance/funding/mine", {**TRUST, "stranger": 200}),
        ("/governance/funding/programmes", OVERSEE),
        ("/governance/funding/agreements/new", MANAGE),
        (f"/governance/funding/agreements/{ag.id}", OWN_OR_OVERSEE),
        (f"/governance/funding/agreements/{ag.id}/edit", MANAGE),
        (f"/governance/funding/agreements/{ag.id}/close", MANAGE),
        (f"/governance/funding/agreements/{ag.id}/conditions", OWN_OR_OVERSEE),
        (f"/governance/funding/conditions/{ag.conditions[0].id}/edit", MANAGE),
        (f"/governance/funding/agreements/{ag.id}/checkins/new",
         {**TRUST, "evaluator": 404, "stranger": 404, "commercial_admin": 403, "auditor": 403}),
        (f"/governance/funding/checkins/{w['queried'].id}", OWN_OR_OVERSEE),
        (f"/governance/funding/checkins/{w['queried'].id}/edit",
         {**TRUST, "evaluator": 404, "stranger": 404, "commercial_admin": 403, "auditor": 403}),
        (f"/governance/funding/tranches/{ag.tranches[1].id}/release", MANAGE),
    ]


def test_every_route_answers_each_role_as_the_policy_says(client, switch_to, world):
    failures = []
    for path, allowed in _routes(world):
        for role in ROLES:
            switch_to(role)
            response = client.get(path)
            status = response.status_code
            # The anonymous are sent to sign in, whatever the page.
            expected = 302 if role == "anonymous" else allowed.get(role, 403)
            if status == 302 and "/sign-in" not in response.headers.get("Location", ""):
                status = "302 elsewhere"
            if status != expected:
                failures.append(f"{role} GET {path}: {status}, expected {expected}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("path", [
    "/governance/applications/999999", "/governance/funding/agreements/999999", "/governance/funding/checkins/999999",
    "/governance/memberships/999999/review", "/governance/frameworks/no-such/criteria",
    "/governance/funding/tranches/999999/release", "/governance/partnerships/999999/rate",
])
def test_missing_objects_are_not_found(client, login, people, path):
    login(people["commercial_admin"])
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("role", ["auditor", "follower_buyer", "evaluator", "exemplar_manager"])
def test_only_the_commercial_team_changes_anything(client, login, people, world, role):
    login(people[role])
    a, ag = world["application"], world["agreement"]
    posts = [
        (f"/governance/applications/{a.id}/assess", {}),
        (f"/governance/applications/{a.id}/decide", {"decision": "admit", "reason": "x"}),
        (f"/governance/frameworks/{world['lot'].framework.slug}/criteria", {"name": "x", "kind": "text"}),
        (f"/governance/criteria/{world['criterion'].id}/toggle", {}),
        (f"/governance/memberships/{world['membership'].id}/review", {"decision": "remove", "reason": "x"}),
        ("/governance/funding/agreements/new", {}),
        (f"/governance/funding/agreements/{ag.id}/close", {"reason": "x"}),
        (f"/governance/funding/conditions/{ag.conditions[0].id}/toggle", {}),
        (f"/governance/funding/checkins/{world['queried'].id}/review", {"decision": "accept"}),
        (f"/governance/funding/tranches/{ag.tranches[1].id}/release", {}),
    ]
    for path, data in posts:
        status = client.post(path, data=data).status_code
        assert status in (403, 404), f"{role} POST {path}: {status}"
    assert world["membership"].status == "admitted" and ag.status == "active"


def test_the_governance_item_is_in_the_navigation_for_the_commercial_team_and_auditors_only(client, switch_to):
    for role, shown in [("commercial_admin", True), ("auditor", True), ("follower_buyer", False), ("evaluator", False)]:
        switch_to(role)
        html = client.get("/dashboard").get_data(as_text=True)
        assert ('href="/governance/"' in html) is shown, role


def test_trusts_reach_their_applications_and_funding_from_the_dashboard(client, login, people):
    login(people["exemplar_manager"])
    html = client.get("/dashboard").get_data(as_text=True)
    assert "/governance/applications/mine" in html and "/governance/funding/mine" in html
    assert 'href="/governance/trust"' in html  # and the navigation item


def test_the_dashboard_shows_the_commercial_team_what_waits_for_it(client, login, people, world):
    login(people["commercial_admin"])
    html = client.get("/dashboard").get_data(as_text=True)
    assert "Applications waiting for a decision" in html and "Overdue check-ins" in html
