"""One door for membership decisions: admission, rejection, suspension, reinstatement and removal
go through governance's decide_membership, which enforces the framework's admission criteria
whichever page starts the decision, and the application's status follows the decision."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

from app.errors import DomainError
from app.governance import services
from app.registry import services as registry

ROOT = Path(__file__).resolve().parents[2]


def test_the_lot_pages_decide_cannot_admit_an_application_with_no_criterion_assessed(client, login, people, gov,
                                                                                     db_session):
    lot = gov.open_lot()
    application = gov.apply(lot, gov.trust())
    membership = application.membership
    db_session.commit()
    login(people["commercial_admin"])
    fw = lot.framework
    lot_page = client.get(f"/frameworks/{fw.slug}/lots/{lot.number}").get_data(as_text=True)
    assert f"/governance/memberships/{membership.id}/decide" in lot_page
    # The old address of the lot page's "Decide" decides nothing any more: it leads to the one door.
    old = client.post(f"/memberships/{membership.id}/decide", data={"decision": "admitted", "reason": "Looks fine"})
    assert old.status_code in (301, 302, 303, 308)
    assert membership.status == "applied" and application.status == "submitted"
    decide = client.get(f"/governance/memberships/{membership.id}/decide")
    assert decide.headers["Location"] == f"/governance/applications/{application.id}/decide"
    refused = client.post(decide.headers["Location"], data={"decision": "admit", "reason": "Looks fine"})
    assert refused.status_code == 200
    assert "Assess every criterion before deciding" in refused.get_data(as_text=True)
    assert membership.status == "applied" and application.status == "submitted"


def test_no_trust_is_admitted_to_a_framework_with_criteria_without_an_assessed_application(gov):
    lot = gov.open_lot()
    trust = gov.trust()
    with pytest.raises(DomainError, match="only through an application assessed against its 5 admission criteria"):
        services.decide_membership(lot, trust, "admit", reason="Named by the minister", actor=gov.admin)
    assert registry.find_membership(lot, trust) is None


def test_a_framework_without_criteria_admits_on_a_written_reason(gov):
    lot = gov.open_lot(criteria=False)
    trust = gov.trust()
    m = services.decide_membership(lot, trust, "admit", reason="Named a GDE in 2016", actor=gov.admin)
    assert m.status == "admitted"
    with pytest.raises(DomainError, match="Give a reason"):
        services.decide_membership(lot, gov.trust(), "admit", reason=" ", actor=gov.admin)


@pytest.mark.parametrize("decision,status", [("admit", "admitted"), ("reject", "rejected")])
def test_the_applications_status_follows_the_decision_taken_from_the_lot_page(client, login, people, gov, db_session,
                                                                            decision, status):
    lot = gov.open_lot()
    application = gov.apply(lot, gov.trust())
    gov.assess_all(application)
    db_session.commit()
    login(people["commercial_admin"])
    target = client.get(f"/governance/memberships/{application.membership.id}/decide").headers["Location"]
    done = client.post(target, data={"decision": decision, "reason": "Decided on the evidence"})
    assert done.status_code == 302
    assert application.status == status and application.membership.status == status
    assert application.decision_reason == "Decided on the evidence"


def test_an_admission_with_a_criterion_not_met_is_refused_whichever_service_is_called(gov):
    lot = gov.open_lot()
    trust = gov.trust()
    application = gov.apply(lot, trust)
    services.assess(application, {a.id: ("met", None) for a in application.answers[1:]}
                    | {application.answers[0].id: ("not_met", "Score below 3")}, actor=gov.admin)
    with pytest.raises(DomainError, match="Not met: Digital maturity score"):
        services.decide_membership(lot, trust, "admit", reason="Close enough", actor=gov.admin)
    assert application.membership.status == "applied"


def test_a_suspension_sets_out_conditions_whichever_page_takes_it(gov):
    lot = gov.open_lot(status="live", criteria=False)
    trust = gov.trust()
    services.decide_membership(lot, trust, "admit", reason="Named", actor=gov.admin)
    with pytest.raises(DomainError, match="conditions"):
        services.decide_membership(lot, trust, "suspend", reason="Missed go-lives", actor=gov.admin)
    m = services.decide_membership(lot, trust, "suspend", reason="Missed go-lives", conditions="A recovery plan",
                                   actor=gov.admin)
    assert m.status == "suspended" and m.events[-1].evidence == "A recovery plan"


def test_the_lot_pages_decide_leads_an_exemplar_to_its_review(client, login, people, gov, db_session):
    membership = gov.make.membership(gov.open_lot(status="live"), gov.trust(), "admitted")
    removed = gov.make.membership(membership.lot, gov.trust(), "removed")
    db_session.commit()
    login(people["commercial_admin"])
    r = client.get(f"/governance/memberships/{membership.id}/decide")
    assert r.headers["Location"] == f"/governance/memberships/{membership.id}/review"
    nothing = client.get(f"/governance/memberships/{removed.id}/decide", follow_redirects=True)
    assert "There is nothing to decide" in nothing.get_data(as_text=True)


_MEMBERSHIP_VERBS = {"admit_exemplar", "reject_application", "suspend_exemplar", "reinstate_exemplar",
                     "remove_exemplar", "apply_to_lot", "_decide"}
_THE_DOOR = {"app/registry/services.py", "app/governance/admission/services.py"}


def test_only_the_one_door_changes_a_membership():
    """No page or other service calls the register's membership verbs directly: they go through
    decide_membership (or submit_application, for an application), which enforce the criteria."""
    callers = []
    for path in sorted((ROOT / "app").rglob("*.py")):
        rel = str(path.relative_to(ROOT))
        if rel in _THE_DOOR:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            name = getattr(node, "attr", None) or getattr(node, "id", None)
            if isinstance(node, (ast.Attribute, ast.Name)) and name in _MEMBERSHIP_VERBS:
                callers.append(f"{rel}:{node.lineno} {name}")
    assert callers == []
