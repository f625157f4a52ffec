"""Admission: criteria, applying, assessing and deciding (services, on the database)."""
from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app import signals
from app.accounts.roles import COMMERCIAL_ADMIN, EVALUATOR, EXEMPLAR_MANAGER, FOLLOWER_BUYER
from app.audit.models import AuditEvent
from app.errors import DomainError, IllegalTransition, NotAllowed
from app.governance import services
from app.governance.models import AdmissionApplication
from app.registry import services as registry
from app.registry.models import MembershipEvent


def _actions(session, prefix):
    return [a for a in session.execute(select(AuditEvent.action).where(AuditEvent.action.like(prefix + "%"))).scalars()]


# --- criteria ---

def test_the_standard_criteria_are_added_once(gov, db_session):
    lot = gov.open_lot(criteria=False)
    added = services.add_default_criteria(lot.framework)
    assert [c.name for c in added][:2] == ["Digital maturity score", "Clinical modules live"]
    assert services.add_default_criteria(lot.framework) == []


def test_criteria_names_are_unique_per_framework_whatever_the_case(gov):
    lot = gov.open_lot()
    with pytest.raises(DomainError) as e:
        services.add_criterion(lot.framework, name="digital MATURITY score")
    assert e.value.field == "name"


def test_only_numeric_criteria_have_a_minimum(gov):
    lot = gov.open_lot()
    with pytest.raises(DomainError):
        services.add_criterion(lot.framework, name="Board support", kind="text", minimum=2)


def test_a_retired_criterion_is_no_longer_asked(gov):
    lot = gov.open_lot()
    first = services.active_criteria(lot.framework)[0]
    services.set_criterion_active(first, False)
    assert first not in services.active_criteria(lot.framework)
    with pytest.raises(DomainError):
        services.set_criterion_active(first, False)


def test_changing_a_criterion_keeps_the_wording_an_application_answered(gov):
    lot = gov.open_lot()
    application = gov.apply(lot, gov.trust())
    criterion = services.active_criteria(lot.framework)[0]
    services.update_criterion(criterion, name="Digital maturity (2027 assessment)", description="", kind="number",
                              minimum=3)
    assert application.answers[0].criterion_name == "Digital maturity score"


# --- applying ---

def test_a_trust_applies_with_answers_live_systems_and_links(gov, db_session):
    lot = gov.open_lot()
    org = gov.trust()
    user = gov.make.user(EXEMPLAR_MANAGER, org=org)
    received = []

    def on_change(sender, **kw):
        received.append(kw["membership"].status)

    signals.membership_changed.connect(on_change)
    try:
        application = gov.apply(lot, org, actor=user)
    finally:
        signals.membership_changed.disconnect(on_change)
    assert application.status == "submitted" and application.membership.status == "applied"
    assert len(application.answers) == 5 and application.systems[0].system_id is not None
    assert application.links[0].url == "https://example.nhs.uk/s.pdf"
    assert received == ["applied"]
    assert "admission.submit" in _actions(db_session, "admission.")
    assert application.membership.events[-1].to_status == "applied"


def test_a_follower_buyer_may_apply_for_its_own_trust(gov):
    lot = gov.open_lot()
    org = gov.trust()
    assert gov.apply(lot, org, actor=gov.make.user(FOLLOWER_BUYER, org=org)).status == "submitted"


@pytest.mark.parametrize("role", [EVALUATOR, COMMERCIAL_ADMIN])
def test_other_roles_may_not_apply_for_a_trust(gov, role):
    lot = gov.open_lot()
    org = gov.trust()
    with pytest.raises(NotAllowed):
        gov.apply(lot, org, actor=gov.make.user(role, org=org))


def test_no_one_applies_for_another_trust(gov):
    lot = gov.open_lot()
    with pytest.raises(NotAllowed):
        gov.apply(lot, gov.trust(), actor=gov.make.user(EXEMPLAR_MANAGER, org=gov.trust()))


@pytest.mark.parametrize("status", ["draft", "live", "expired"])
def test_applications_are_accepted_only_while_the_framework_is_open(gov, status):
    lot = gov.open_lot(status=status)
    with pytest.raises(DomainError) as e:
        gov.apply(lot, gov.trust())
    assert "open for applications" in e.value.message


def test_only_nhs_trusts_apply(gov):
    lot = gov.open_lot()
    icb = gov.make.org(kind="icb", trust_type=None)
    with pytest.raises(DomainError):
        gov.apply(lot, icb)


def test_a_framework_without_criteria_takes_no_applications(gov):
    lot = gov.open_lot(criteria=False)
    with pytest.raises(DomainError) as e:
        services.submit_application(lot, gov.trust(), answers={}, system_ids=[])
    assert "no admission criteria" in e.value.message


def test_every_criterion_must_be_answered_in_its_kind(gov):
    lot = gov.open_lot()
    with pytest.raises(DomainError) as e:
        gov.apply(lot, gov.trust(), **{"Digital maturity score": "very good"})
    assert e.value.field.startswith("answer_")
    with pytest.raises(DomainError):
        gov.apply(lot, gov.trust(), **{"Clinical safety officer in post": "perhaps"})


def test_a_trust_with_no_live_system_cannot_apply(gov):
    lot = gov.open_lot()
    org = gov.trust(live=False)
    gov.make.deployment(org, gov.make.system(), status="planned")
    with pytest.raises(DomainError) as e:
        gov.apply(lot, org)
    assert e.value.field == "systems"


def test_only_systems_the_trust_runs_live_can_be_named(gov):
    lot = gov.open_lot()
    org = gov.trust()
    other = gov.make.system()
    with pytest.raises(DomainError):
        services.submit_application(lot, org, answers=gov.answers(lot), system_ids=[other.id])


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://x.nhs.uk/a", "not a link", "https://x y"])
def test_documents_are_web_links_only(gov, url):
    lot = gov.open_lot()
    org = gov.trust()
    with pytest.raises(DomainError) as e:
        services.submit_application(lot, org, answers=gov.answers(lot), links=[("Doc", url)],
                                    system_ids=[d.system_id for d in services.live_deployments(org)])
    assert e.value.field == "links"


def test_a_trust_cannot_have_two_applications_open_for_one_lot(gov):
    lot = gov.open_lot()
    org = gov.trust()
    gov.apply(lot, org)
    with pytest.raises(DomainError) as e:
        gov.apply(lot, org)
    assert "already applied" in e.value.message


def test_the_database_refuses_a_second_open_application(gov, db_session):
    lot = gov.open_lot()
    org = gov.trust()
    first = gov.apply(lot, org)
    with pytest.raises(IntegrityError):
        with db_session.begin_nested():
            db_session.add(AdmissionApplication(lot_id=lot.id, organisation_id=org.id, membership_id=first.membership_id,
                                                status="submitted"))
            db_session.flush()


def test_an_admitted_exemplar_cannot_apply_again(gov):
    lot = gov.open_lot()
    org = gov.trust()
    gov.make.membership(lot, org, "admitted")
    with pytest.raises(DomainError) as e:
        gov.apply(lot, org)
    assert "already an exemplar" in e.value.message


# --- assessing and deciding ---

def test_assessing_records_met_or_not_met_with_comments(gov, db_session):
    application = gov.apply(gov.open_lot(), gov.trust())
    first, second = application.answers[:2]
    services.assess(application, {first.id: ("met", None), second.id: ("not_met", "Only three modules live")},
                    actor=gov.admin)
    assert (first.assessment, second.assessment, second.assessment_comment) == ("met", "not_met", "Only three modules live")
    assert first.assessed_at is not None and first.assessed_by_id == gov.admin.id
    assert "admission.assess" in _actions(db_session, "admission.")


def test_a_criterion_not_met_needs_a_comment_for_the_trust(gov):
    application = gov.apply(gov.open_lot(), gov.trust())
    with pytest.raises(DomainError) as e:
        services.assess(application, {application.answers[0].id: ("not_met", " ")})
    assert e.value.field == f"comment_{application.answers[0].id}"


def test_an_assessment_names_only_this_applications_answers(gov):
    application = gov.apply(gov.open_lot(), gov.trust())
    with pytest.raises(DomainError):
        services.assess(application, {999999: ("met", None)})


def test_no_decision_until_every_criterion_is_assessed(gov):
    application = gov.apply(gov.open_lot(), gov.trust())
    services.assess(application, {application.answers[0].id: ("met", None)})
    with pytest.raises(DomainError) as e:
        services.decide(application, decision="reject", reason="Not ready")
    assert "Assess every criterion" in e.value.message
    assert application.membership.status == "applied"


def test_admission_needs_every_criterion_met(gov):
    application = gov.apply(gov.open_lot(), gov.trust())
    gov.assess_all(application)
    services.assess(application, {application.answers[0].id: ("not_met", "Score 2")})
    with pytest.raises(DomainError):
        services.decide(application, decision="admit", reason="Looks good")


def test_admitting_puts_the_trust_on_the_lot_through_the_register(gov, db_session):
    application = gov.apply(gov.open_lot(), gov.trust())
    gov.assess_all(application)
    services.decide(application, decision="admit", reason="Every criterion met", actor=gov.admin)
    assert application.status == "admitted" and application.membership.status == "admitted"
    assert application.decided_at is not None and application.decision_reason == "Every criterion met"
    event = application.membership.events[-1]
    assert (event.to_status, event.reason) == ("admitted", "Every criterion met")
    assert {"admission.admit"} <= set(_actions(db_session, "admission."))
    assert "membership.admit" in _actions(db_session, "membership.")


def test_rejecting_needs_a_reason_and_the_trust_may_apply_again(gov):
    lot = gov.open_lot()
    org = gov.trust()
    application = gov.apply(lot, org)
    gov.assess_all(application, "not_met")
    with pytest.raises(DomainError) as e:
        services.decide(application, decision="reject", reason="")
    assert e.value.field == "reason"
    services.decide(application, decision="reject", reason="Capacity not shown", actor=gov.admin)
    assert application.membership.status == "rejected"
    again = gov.apply(lot, org)
    assert again.id != application.id and again.membership_id == application.membership_id
    assert again.membership.status == "applied"


def test_a_decided_application_cannot_be_reassessed_or_decided_again(gov):
    application = gov.apply(gov.open_lot(), gov.trust())
    gov.assess_all(application)
    services.decide(application, decision="admit", reason="Fine")
    with pytest.raises(DomainError):
        gov.assess_all(application)
    with pytest.raises(DomainError):
        services.decide(application, decision="reject", reason="Changed our mind")


def test_a_decision_after_the_register_already_moved_on_is_refused(gov):
    application = gov.apply(gov.open_lot(), gov.trust())
    gov.assess_all(application)
    registry.reject_application(application.membership, reason="Withdrawn by the trust")
    with pytest.raises(IllegalTransition):
        services.decide(application, decision="admit", reason="Fine")


def test_every_step_leaves_a_membership_event(gov, db_session):
    application = gov.apply(gov.open_lot(), gov.trust())
    gov.assess_all(application)
    services.decide(application, decision="admit", reason="Fine")
    events = db_session.execute(select(MembershipEvent.to_status).where(
        MembershipEvent.membership_id == application.membership_id).order_by(MembershipEvent.id)).scalars().all()
    assert events == ["applied", "admitted"]
