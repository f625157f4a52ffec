"""Exemplar membership services: admit, apply, reject, suspend, reinstate, remove; reasons,
decision history, audit entries and the membership_changed signal."""
from __future__ import annotations

import json
from datetime import date

import pytest

from app import signals
from app.errors import DomainError, IllegalTransition
from app.registry import services

from .helpers import caught, last_entry, nothing_recorded


@pytest.fixture()
def lot(make):
    return make.framework(status="live", lots=1, name="Member framework").lots[0]


def test_admitting_a_trust_makes_a_membership_with_its_first_decision(db_session, make, lot):
    trust = make.org(name="ADMITTED NHS TRUST")
    admin = make.user("commercial_admin")
    with caught(signals.membership_changed) as changed, caught(signals.data_changed) as data:
        m = services.admit_exemplar(lot, trust, reason="  Met every criterion  ", evidence="https://example.org/x",
                                    actor=admin)
    assert m.status == "admitted" and m.is_active
    assert m.admitted_on == date.today()
    assert (m.name_at_admission, m.ods_code_at_admission) == ("ADMITTED NHS TRUST", trust.ods_code)
    [event] = m.events
    assert (event.from_status, event.to_status) == (None, "admitted")
    assert event.reason == "Met every criterion" and event.evidence == "https://example.org/x"
    assert event.decided_by_id == admin.id and event.decided_at is not None
    entry = last_entry(db_session)
    assert (entry.action, entry.object_type, entry.object_id) == ("membership.admit", "Membership", str(m.id))
    assert entry.actor_id == admin.id
    assert "Met every criterion" in entry.summary
    assert changed == [(m, {"membership": m, "previous": None, "actor": admin})]
    assert data == [("membership", {})]


def test_an_admission_can_keep_the_name_and_date_of_the_announcement(db_session, make, lot):
    trust = make.org()
    m = services.admit_exemplar(lot, trust, reason="Named in 2016", name_at_admission="Old Name Trust",
                                ods_code_at_admission="OLD", admitted_on=date(2016, 9, 1))
    assert (m.name_at_admission, m.ods_code_at_admission, m.admitted_on) == ("Old Name Trust", "OLD", date(2016, 9, 1))


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_every_decision_needs_a_reason(db_session, make, lot, reason):
    trust = make.org()
    with nothing_recorded(db_session), pytest.raises(DomainError, match="Give a reason") as e:
        services.admit_exemplar(lot, trust, reason=reason)
    assert e.value.field == "reason"
    assert services.find_membership(lot, trust) is None
    m = make.membership(lot, make.org())
    for decide in (services.suspend_exemplar, services.remove_exemplar):
        with pytest.raises(DomainError, match="Give a reason"):
            decide(m, reason=reason)
    assert m.status == "admitted"


def test_a_trust_already_admitted_cannot_be_admitted_again(db_session, make, lot):
    m = make.membership(lot, make.org())
    with nothing_recorded(db_session), pytest.raises(IllegalTransition, match="cannot admit an exemplar that is admitted"):
        services.admit_exemplar(lot, m.organisation, reason="Again")


def test_only_nhs_trusts_can_be_exemplars(db_session, make, lot):
    icb = make.org(kind="icb", trust_type=None)
    with nothing_recorded(db_session), pytest.raises(DomainError, match="Only NHS trusts"):
        services.admit_exemplar(lot, icb, reason="An ICB")


def test_nobody_joins_an_expired_framework(db_session, make):
    lot = make.framework(status="expired", lots=1).lots[0]
    with nothing_recorded(db_session), pytest.raises(DomainError, match="has expired"):
        services.admit_exemplar(lot, make.org(), reason="Too late")
    with pytest.raises(DomainError, match="has expired"):
        services.apply_to_lot(lot, make.org(), reason="Too late")


def test_a_suspended_exemplar_on_an_expired_framework_cannot_be_reinstated(db_session, make):
    fw = make.framework(status="expired", lots=1)
    m = make.membership(fw.lots[0], make.org(), status="suspended")
    with pytest.raises(DomainError, match="has expired"):
        services.reinstate_exemplar(m, reason="Back")


@pytest.mark.parametrize("status", ["draft", "live", "expired"])
def test_applications_are_taken_only_while_the_framework_is_open(db_session, make, status):
    lot = make.framework(status=status, lots=1).lots[0]
    with nothing_recorded(db_session), pytest.raises(DomainError):
        services.apply_to_lot(lot, make.org(), reason="Please")


def test_an_application_can_be_admitted(db_session, make):
    lot = make.framework(status="open", lots=1).lots[0]
    trust = make.org()
    m = services.apply_to_lot(lot, trust, reason="We would like to join")
    assert (m.status, m.admitted_on) == ("applied", None)
    assert last_entry(db_session).action == "membership.apply"
    same = services.admit_exemplar(lot, trust, reason="Assessed and accepted")
    assert same is m
    assert m.status == "admitted" and m.admitted_on == date.today()
    assert [(e.from_status, e.to_status) for e in m.events] == [(None, "applied"), ("applied", "admitted")]
    assert last_entry(db_session).action == "membership.admit"


def test_a_rejected_application_may_apply_again(db_session, make):
    lot = make.framework(status="open", lots=1).lots[0]
    trust = make.org()
    m = services.apply_to_lot(lot, trust, reason="First try")
    services.reject_application(m, reason="Evidence missing")
    assert m.status == "rejected"
    assert last_entry(db_session).action == "membership.reject"
    services.apply_to_lot(lot, trust, reason="Second try")
    assert m.status == "applied"
    with pytest.raises(IllegalTransition):
        services.reject_application(services.admit_exemplar(lot, trust, reason="Accepted"), reason="No")


def test_suspending_an_exemplar_records_the_decision_and_tells_other_domains(db_session, make, lot):
    m = make.membership(lot, make.org())
    with caught(signals.membership_changed) as changed, caught(signals.data_changed) as data:
        services.suspend_exemplar(m, reason="Go-live missed twice", evidence="Board minutes 2026-10")
    assert m.status == "suspended" and not m.is_active
    event = m.events[-1]
    assert (event.from_status, event.to_status, event.reason) == ("admitted", "suspended", "Go-live missed twice")
    entry = last_entry(db_session)
    assert entry.action == "membership.suspend"
    assert json.loads(entry.before)["status"] == "admitted" and json.loads(entry.after)["status"] == "suspended"
    assert [kw["previous"] for _, kw in changed] == ["admitted"]
    assert data == [("membership", {})]


def test_a_suspended_exemplar_can_be_reinstated_keeping_its_admission_date(db_session, make, lot):
    m = make.membership(lot, make.org())
    services.suspend_exemplar(m, reason="Paused")
    with caught(signals.membership_changed) as changed:
        services.reinstate_exemplar(m, reason="Fixed")
    assert m.status == "admitted" and m.admitted_on == date(2020, 1, 1)
    assert last_entry(db_session).action == "membership.reinstate"
    assert changed[0][1]["previous"] == "suspended"


@pytest.mark.parametrize("status", ["admitted", "applied", "rejected", "removed"])
def test_only_a_suspended_exemplar_can_be_reinstated(db_session, make, lot, status):
    m = make.membership(lot, make.org(), status=status)
    with nothing_recorded(db_session), pytest.raises(DomainError):
        services.reinstate_exemplar(m, reason="Back")
    assert m.status == status


@pytest.mark.parametrize("start", ["admitted", "suspended"])
def test_removal_is_final(db_session, make, lot, start):
    m = make.membership(lot, make.org(), status=start)
    services.remove_exemplar(m, reason="Left the programme")
    assert m.status == "removed"
    assert last_entry(db_session).action == "membership.remove"
    for decide in (services.suspend_exemplar, services.reinstate_exemplar, services.remove_exemplar):
        with pytest.raises(DomainError):
            decide(m, reason="Try")
    with pytest.raises(IllegalTransition):
        services.admit_exemplar(lot, m.organisation, reason="Try")
    assert m.status == "removed"


def test_a_decision_without_an_actor_outside_a_request_has_no_decider(db_session, make, lot):
    m = make.membership(lot, make.org())
    services.suspend_exemplar(m, reason="From the command line")
    assert m.events[-1].decided_by_id is None
    assert last_entry(db_session).actor_label == "system (command line)"


def test_a_refused_decision_sends_no_signal(db_session, make, lot):
    m = make.membership(lot, make.org(), status="removed")
    with caught(signals.membership_changed) as changed, pytest.raises(DomainError):
        services.suspend_exemplar(m, reason="Too late")
    assert changed == []


