"""The Procurement Act services of a call-off: the conflicts assessment kept under review, the
exclusion check at intention to award and at award, notices drafted, due, reviewed and published,
contract management (KPIs, ratings, changes, its end) and the bid rules."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from app.accounts.roles import FOLLOWER_BUYER
from app.competitions.award import services as award_svc
from app.competitions.award.models import ExclusionCheck
from app.competitions.conflicts import services as conflicts
from app.competitions.contracts import services as contracts
from app.competitions.evaluation import services as evaluation
from app.competitions.notices import services as notices
from app.competitions.setup import services as setup
from app.errors import DomainError, NotAllowed
from app.registry import services as registry
from app.registry.exclusions import services as exclusions

START = date(2027, 1, 4)


def awarded(world, clock, value=4_000_000, kpis=None, **kw):
    comp, bids, award = world.in_standstill()
    clock.set(comp.standstill_ends_at)
    award_svc.make_award(comp, actor=world.buyer, value_pence=value, starts_on=START, ends_on=date(2027, 12, 31),
                         kpis=kpis, **kw)
    return comp, award


# --- the conflicts assessment, kept under review ------------------------------------------------

def test_a_confirmed_assessment_is_reopened_by_a_new_evaluator_or_a_changed_declaration(world, make):
    comp = world.published()
    world.assess_conflicts(comp)
    assert conflicts.is_complete(comp)
    new = make.user("evaluator", org=world.buyer_org)
    setup.set_evaluators(comp, user_ids=[u.id for u in world.evaluators] + [new.id], actor=world.buyer)
    assert not conflicts.is_complete(comp)
    assert any("1 person has not declared" in p for p in conflicts.assessment_problems(comp))
    evaluation.declare_conflict(comp, actor=new, has_conflict=False)
    conflicts.confirm(comp, actor=world.buyer)
    conflicts.declare(comp, world.evaluators[0], has_interest=True, interest="Now advising a bidder",
                      actor=world.evaluators[0])
    assert comp.conflicts_confirmed_at is None and "Assess 1 declared interest." in conflicts.assessment_problems(comp)


def test_only_a_buyer_assesses_records_declarations_on_behalf_and_confirms(world, make):
    comp = world.published()
    ev = world.evaluators[0]
    approver = make.user(FOLLOWER_BUYER, org=world.buyer_org)
    d = conflicts.add_participant(comp, approver, "approver", actor=world.buyer)
    with pytest.raises(NotAllowed):
        conflicts.declare(comp, approver, has_interest=False, actor=ev)  # not on someone else's behalf
    conflicts.declare(comp, approver, has_interest=True, interest="Sits on a bidder's board", actor=world.buyer)
    assert d.declared_by_id == world.buyer.id
    with pytest.raises(NotAllowed):
        conflicts.assess(d, conflict=True, mitigation="Steps back", actor=ev)
    with pytest.raises(DomainError, match="mitigated"):
        conflicts.assess(d, conflict=True, mitigation=" ", actor=world.buyer)
    conflicts.assess(d, conflict=True, mitigation="Steps back from the approval", actor=world.buyer)
    with pytest.raises(DomainError, match="not complete"):
        conflicts.confirm(comp, actor=world.buyer)
    world.assess_conflicts(comp)
    assert conflicts.is_complete(comp)
    with pytest.raises(DomainError, match="your organisation"):
        conflicts.add_participant(comp, world.exemplars[0][1], "adviser", actor=world.buyer)


# --- exclusion check at intention to award and at award -----------------------------------------

def _checks(db_session, comp):
    return [(c.stage, c.result) for c in db_session.execute(select(ExclusionCheck).where(
        ExclusionCheck.competition_id == comp.id).order_by(ExclusionCheck.id)).scalars()]


def test_the_winner_is_checked_at_intention_and_at_award_and_each_check_is_recorded(world, clock, db_session):
    comp, award = awarded(world, clock)
    assert _checks(db_session, comp) == [("intention", "clear"), ("award", "clear")]


def test_an_excluded_winner_is_disregarded_at_intention_and_the_next_bid_wins(world, db_session):
    comp, bids = world.evaluated()
    exclusions.add_entry(bids[0].organisation, kind="debarred", ground_kind="mandatory", ground="Debarment list",
                         starts_on=date(2026, 1, 1), actor=world.admin)
    with pytest.raises(award_svc.WinnerExcluded, match="exclusion register") as e:
        award_svc.intend_award(comp, actor=world.buyer, note="Top score")
    assert "Debarment list" in e.value.message
    assert bids[0].status == "invalid" and "exclusion register" in bids[0].invalid_reason
    assert _checks(db_session, comp) == [("intention", "excluded")]
    award = award_svc.intend_award(comp, actor=world.buyer, note="Top of the bids that remain")
    assert award.bid_id == bids[1].id and _checks(db_session, comp)[-1] == ("intention", "clear")


def test_a_winner_whose_parent_is_excluded_is_disregarded(world, make):
    comp, bids = world.evaluated()
    parent = make.org()
    exclusions.set_parent(bids[0].organisation, parent, actor=world.admin)
    exclusions.add_entry(parent, kind="excluded", ground_kind="discretionary", ground="Poor performance",
                         starts_on=date(2026, 1, 1), actor=world.admin)
    with pytest.raises(award_svc.WinnerExcluded, match=parent.display_name):
        award_svc.intend_award(comp, actor=world.buyer, note="Top score")


def test_a_winner_excluded_during_the_standstill_cannot_be_awarded(world, clock, db_session):
    comp, bids, award = world.in_standstill()
    exclusions.add_entry(bids[0].organisation, kind="excluded", ground_kind="mandatory", ground="Fraud",
                         starts_on=clock.now.date(), actor=world.admin)
    clock.set(comp.standstill_ends_at)
    with pytest.raises(award_svc.WinnerExcluded, match="cannot be awarded"):
        award_svc.make_award(comp, actor=world.buyer, value_pence=1, starts_on=START, ends_on=date(2027, 3, 1))
    assert _checks(db_session, comp)[-1] == ("award", "excluded") and comp.status != "awarded"


# --- notices -----------------------------------------------------------------------------------

def test_the_award_prepares_the_contract_details_notice_due_in_30_days(world, clock):
    comp, award = awarded(world, clock)
    uk7 = notices.find(comp, "UK7")
    assert uk7.status == "draft" and uk7.due_on == clock.now.date() + timedelta(days=30)
    preview = notices.preview(uk7)
    assert dict(preview["fields"])["How the supplier was selected"].startswith("Competitive selection")
    assert "Prepared and confirmed" in dict(preview["fields"])["Conflicts assessment"]
    notices.publish(uk7, actor=world.buyer)
    assert uk7.status == "published" and uk7.published_at == clock.now
    with pytest.raises(DomainError):
        notices.publish(uk7, actor=world.buyer)


def test_a_reopened_conflicts_assessment_holds_up_the_award_and_the_contract_details_notice(world, clock, make):
    comp, bids, award = world.in_standstill()
    clock.set(comp.standstill_ends_at)
    ev = world.evaluators[0]
    conflicts.declare(comp, ev, has_interest=True, interest="Offered a job by a bidder", actor=ev)
    with pytest.raises(DomainError, match="reopened"):
        award_svc.make_award(comp, actor=world.buyer, value_pence=1, starts_on=START, ends_on=date(2027, 3, 1))
    conflicts.assess(conflicts.declaration_of(comp, ev), conflict=True, mitigation="Scores reviewed by a second panel",
                     actor=world.buyer)
    conflicts.confirm(comp, actor=world.buyer)
    award_svc.make_award(comp, actor=world.buyer, value_pence=1, starts_on=START, ends_on=date(2027, 3, 1))
    conflicts.add_participant(comp, make.user(FOLLOWER_BUYER, org=world.buyer_org), "approver", actor=world.buyer)
    uk7 = notices.find(comp, "UK7")
    with pytest.raises(DomainError, match="conflicts assessment"):
        notices.publish(uk7, actor=world.buyer)
    world.assess_conflicts(comp)
    notices.publish(uk7, actor=world.buyer)
    with pytest.raises(DomainError, match="finished"):  # confirmed in the published notice: no longer changes
        conflicts.add_participant(comp, make.user(FOLLOWER_BUYER, org=world.buyer_org), "adviser", actor=world.buyer)


def test_above_5m_the_award_needs_three_kpis_and_the_notice_the_published_copy(world, clock):
    comp, bids, award = world.in_standstill()
    clock.set(comp.standstill_ends_at)
    with pytest.raises(DomainError, match="at least 3 key performance indicators") as e:
        award_svc.make_award(comp, actor=world.buyer, value_pence=600_000_000, starts_on=START,
                             ends_on=date(2027, 12, 31), kpis=["Uptime", "Training"])
    assert e.value.field == "kpis"
    award_svc.make_award(comp, actor=world.buyer, value_pence=600_000_000, starts_on=START, ends_on=date(2027, 12, 31),
                         kpis=["Uptime", "Training", "Go-live on time"])
    uk7 = notices.find(comp, "UK7")
    assert "published copy" in notices.publication_problem(uk7)
    contracts.set_copy_url(award, "https://example.nhs.uk/contracts/co-1.pdf", actor=world.buyer)
    notices.publish(uk7, actor=world.buyer)
    assert notices.preview(uk7)["data"]["kpis"] == ["Uptime", "Training", "Go-live on time"]


def test_a_published_notice_keeps_what_it_said_when_the_record_changes(world, clock):
    comp, award = awarded(world, clock)
    uk7 = notices.find(comp, "UK7")
    notices.publish(uk7, actor=world.buyer)
    contracts.record_change(award, description="Adds training", reason="Provided for in the contract",
                            value_after_pence=5_000_000, ends_on_after=date(2027, 12, 31),
                            effective_on=date(2027, 2, 1), actor=world.buyer)
    assert notices.preview(uk7)["data"]["value_pence"] == 4_000_000
    uk10 = notices.find(comp, "UK10", "change-1")
    assert uk10.due_on == date(2027, 2, 1) and notices.preview(uk10)["data"]["value_after_pence"] == 5_000_000


def test_only_the_buyer_publishes_notices(world, clock):
    comp, award = awarded(world, clock)
    with pytest.raises(NotAllowed):
        notices.publish(notices.find(comp, "UK7"), actor=world.exemplars[0][1])


# --- contract management -----------------------------------------------------------------------

def test_a_kpi_assessment_round_rates_every_kpi_with_evidence_and_prepares_the_performance_notice(world, clock):
    comp, award = awarded(world, clock, kpis=["Uptime", "Training"])
    kpis = notices.kpis_of(award)
    clock.set(clock.now + timedelta(days=200))
    assessed = clock.now.date() - timedelta(days=1)
    with pytest.raises(DomainError, match="Rate “Training”"):
        contracts.rate_kpis(award, assessed_on=assessed, ratings={kpis[0].id: ("good", "99.9%")}, actor=world.buyer)
    with pytest.raises(DomainError, match="evidence"):
        contracts.rate_kpis(award, assessed_on=assessed, ratings={k.id: ("good", " ") for k in kpis}, actor=world.buyer)
    n = contracts.rate_kpis(award, assessed_on=assessed, ratings={kpis[0].id: ("good", "99.9%"),
                                                                  kpis[1].id: ("inadequate", "Nobody trained")},
                            actor=world.buyer)
    assert n == 1 and contracts.next_assessment_due(award) == date(2029, 1, 4)
    uk9 = notices.find(comp, "UK9", "round-1")
    assert uk9.due_on == assessed + timedelta(days=30)
    record = registry.track_records_for([award.bid.organisation_id])[award.bid.organisation_id]
    assert record.ratings == {"good": 1, "inadequate": 1}


def test_a_change_that_takes_the_value_above_5m_needs_three_kpis(world, clock):
    comp, award = awarded(world, clock)
    with pytest.raises(DomainError, match="at least 3 key performance indicators"):
        contracts.record_change(award, description="Scale up", reason="Unforeseeable", value_after_pence=700_000_000,
                                ends_on_after=date(2027, 12, 31), effective_on=date(2027, 3, 1), actor=world.buyer)
    contracts.add_kpis(award, ["Uptime", "Training", "Go-lives"], actor=world.buyer)
    contracts.record_change(award, description="Scale up", reason="Unforeseeable", value_after_pence=700_000_000,
                            ends_on_after=date(2028, 6, 30), effective_on=date(2027, 3, 1), actor=world.buyer)
    assert (award.value_pence, award.contract_ends_on) == (700_000_000, date(2028, 6, 30))


def test_a_contract_terminated_for_breach_ends_the_partnership_and_counts_against_the_exemplar(world, clock):
    comp, award = awarded(world, clock)
    clock.set(clock.now + timedelta(days=60))
    ended = START + timedelta(days=20)
    contracts.end_contract(award, ground="breach", ended_on=ended, reason="Go-live missed twice", actor=world.buyer)
    assert notices.find(comp, "UK11").due_on == ended + timedelta(days=30)
    from app.competitions.queries import partnership_of

    p = partnership_of(comp)
    assert (p.status, p.ended_on, p.ended_for_cause) == ("ended", ended, True)
    assert registry.track_records_for([p.exemplar_id])[p.exemplar_id].ended_for_cause == 1
    with pytest.raises(DomainError, match="ended"):
        contracts.record_change(award, description="x", reason="y", value_after_pence=1, ends_on_after=date(2027, 6, 1),
                                effective_on=date(2027, 6, 1), actor=world.buyer)


# --- bid rules ---------------------------------------------------------------------------------

@pytest.mark.parametrize("price", [0, -100])
def test_a_price_of_zero_or_less_is_refused(world, price):
    comp = world.published()
    with pytest.raises(DomainError, match="more than £0") as e:
        world.bid(comp, 0, price)
    assert e.value.field == "price"


def test_a_price_above_the_budget_is_flagged_to_the_bidder_before_it_is_submitted(world):
    comp = world.published(budget_pence=5_000_000)
    with pytest.raises(DomainError, match="above the buyer's budget of £50,000\\..*may still win") as e:
        world.bid(comp, 0, 6_000_000)
    assert e.value.field == "over_budget"
    assert world.bid(comp, 0, 6_000_000, over_budget_confirmed=True).price_pence == 6_000_000
