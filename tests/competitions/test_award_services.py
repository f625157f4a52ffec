"""Intention to award, standstill, award and contract, partnership; cancel and no award."""
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from app.competitions.models import Award
from app.competitions.award import services as award_svc
from app.competitions.evaluation import services as evaluation  # noqa: F401
from app.competitions.notices import services as notices
from app.competitions.setup import services as setup
from app.competitions import queries as reading
from app.competitions.state import tick
from app.errors import DomainError, IllegalTransition
from app.registry import services as registry
from app.registry.models import Partnership


def test_intention_to_award_picks_the_top_ranked_bid_and_the_award_notice_starts_the_standstill(world, clock):
    comp, bids, award = world.in_standstill(publish_notice=False)
    assert comp.status == "standstill" and award.bid_id == bids[0].id and award.status == "intended"
    assert comp.standstill_ends_at is None and comp.effective_status(clock.now + timedelta(days=60)) == "standstill"
    notice = notices.find(comp, "UK6", f"award-{award.id}")
    assert notice.status == "draft" and notice.due_on is None
    notices.publish(notice, actor=world.buyer)
    # Published on Tue 15 Dec 2026 (the day of the deadline, 12:00 GMT): the standstill of 8 working days
    # begins with that day (s51): 15, 16, 17, 18, 21, 22, 23, 24 Dec → ends at midnight 24/25 Dec.
    assert comp.standstill_ends_at == datetime(2026, 12, 25, 0, 0, tzinfo=timezone.utc)


def test_the_intention_to_award_needs_its_reason(world):
    comp, bids = world.evaluated()
    with pytest.raises(DomainError, match="reason for the award") as e:
        award_svc.intend_award(comp, actor=world.buyer, note="  ")
    assert e.value.field == "note" and comp.status == "evaluation"


def test_without_a_standstill_the_intention_goes_straight_to_contract(world, clock):
    comp = world.competition()
    world.framework.standstill_rule = "flexible"
    setup.set_timetable(comp, clarification_days=3, response_days=10, standstill_days=0, actor=world.buyer,
                        standstill_reason="The incumbent contract ends this month")
    setup.publish(comp, actor=world.buyer)
    bids = [world.bid(comp, 0, 5_000_000)]
    world.after_deadline(comp)
    world.start_evaluation(comp)
    world.score_and_moderate(comp, bids, ((3, 3),))
    award = award_svc.intend_award(comp, actor=world.buyer, note="The only bid, and a good one")
    assert comp.status == "standstill_ended" and notices.find(comp, "UK6", f"award-{award.id}") is None
    award_svc.make_award(comp, actor=world.buyer, value_pence=4_000_000, starts_on=date(2027, 1, 4),
                         ends_on=date(2027, 12, 31))
    assert comp.status == "awarded"


def test_intention_needs_every_answer_moderated(world):
    comp = world.published()
    world.bid(comp, 0)
    world.after_deadline(comp)
    world.start_evaluation(comp)
    with pytest.raises(DomainError, match="Moderate every answer"):
        award_svc.intend_award(comp, actor=world.buyer, note="Best")


def test_the_award_cannot_be_made_during_the_standstill(world, clock):
    comp, bids, award = world.in_standstill()
    clock.set(comp.standstill_ends_at - timedelta(seconds=1))
    with pytest.raises(IllegalTransition, match="standstill"):
        award_svc.make_award(comp, actor=world.buyer, value_pence=4_000_000, starts_on=date(2027, 1, 4),
                             ends_on=date(2027, 12, 31))


def test_the_standstill_ends_by_the_clock_on_read_and_by_tick(world, clock):
    comp, bids, award = world.in_standstill()
    clock.set(comp.standstill_ends_at)
    assert comp.effective_status() == "standstill_ended" and comp.status == "standstill"
    assert (comp.id, "standstill_ended") in tick()
    assert comp.status == "standstill_ended"


def test_the_award_makes_a_call_off_partnership_with_milestones(world, clock):
    from app import signals

    heard = []
    signals.data_changed.connect(heard.append, weak=False)
    try:
        comp, bids, award = world.in_standstill()
        clock.set(comp.standstill_ends_at)
        award_svc.make_award(comp, actor=world.buyer, value_pence=4_000_000, starts_on=date(2027, 1, 4),
                             ends_on=date(2027, 12, 31), go_live_on=date(2027, 9, 1))
    finally:
        signals.data_changed.disconnect(heard.append)
    assert comp.status == "awarded" and award.status == "awarded" and award.value_pence == 4_000_000
    p = reading.partnership_of(comp)
    assert (p.origin, p.follower_id, p.exemplar_id, p.competition_id) == (
        "call_off", world.buyer_org.id, bids[0].organisation_id, comp.id)
    assert [(m.kind, m.planned_on) for m in p.milestones] == [("kick_off", date(2027, 1, 4)), ("go_live", date(2027, 9, 1))]
    assert "partnership" in heard
    assert reading.award_of(comp).id == award.id


def test_the_awarded_partnership_feeds_the_exemplars_track_record(world, clock):
    comp, bids, award = world.in_standstill()
    clock.set(comp.standstill_ends_at)
    award_svc.make_award(comp, actor=world.buyer, value_pence=1, starts_on=date(2027, 1, 4), ends_on=date(2027, 6, 30),
                         go_live_on=date(2027, 6, 1))
    go_live = reading.partnership_of(comp).milestones[1]
    clock.set(datetime(2027, 6, 2, 9, 0, tzinfo=timezone.utc))
    award_svc.record_milestone(go_live, actor=world.buyer, actual_on=date(2027, 5, 28))
    record = registry.track_records_for([bids[0].organisation_id])[bids[0].organisation_id]
    assert (record.followers_served, record.go_lives, record.go_lives_on_time) == (1, 1, 1)


def test_the_contract_term_is_limited_by_the_framework(world, clock):
    comp, bids, award = world.in_standstill()
    clock.set(comp.standstill_ends_at)
    with pytest.raises(DomainError, match="at most 24 months"):
        award_svc.make_award(comp, actor=world.buyer, value_pence=1, starts_on=date(2027, 1, 4), ends_on=date(2029, 1, 4))
    with pytest.raises(DomainError, match="end on or after"):
        award_svc.make_award(comp, actor=world.buyer, value_pence=1, starts_on=date(2027, 1, 4), ends_on=date(2027, 1, 3))
    with pytest.raises(DomainError, match="more than £0"):
        award_svc.make_award(comp, actor=world.buyer, value_pence=-1, starts_on=date(2027, 1, 4), ends_on=date(2027, 3, 1))
    award_svc.make_award(comp, actor=world.buyer, value_pence=1, starts_on=date(2027, 1, 4), ends_on=date(2029, 1, 3))


def test_one_award_per_competition_is_enforced_by_the_database(world, db_session):
    from sqlalchemy.exc import IntegrityError

    comp, bids, award = world.in_standstill()
    db_session.add(Award(competition_id=comp.id, bid_id=bids[1].id, status="intended"))
    with pytest.raises(IntegrityError):
        db_session.flush()


def test_withdrawing_the_intention_goes_back_to_evaluation_and_allows_a_new_one(world, db_session):
    comp, bids, award = world.in_standstill()
    award_svc.withdraw_intention(comp, actor=world.buyer, reason="Challenge upheld")
    assert comp.status == "evaluation" and award.status == "withdrawn" and comp.standstill_ends_at is None
    assert notices.find(comp, "UK6", f"award-{award.id}").status == "published"  # a published notice stays
    again = award_svc.intend_award(comp, actor=world.buyer, note="Still the best")
    assert again.id != award.id and again.status == "intended"


def test_a_suspended_winner_cannot_be_awarded(world, clock):
    comp, bids, award = world.in_standstill()
    registry.suspend_exemplar(registry.find_membership(world.lot, world.exemplars[0][0]), reason="r", actor=world.admin)
    clock.set(comp.standstill_ends_at)
    with pytest.raises(DomainError, match="no longer eligible"):
        award_svc.make_award(comp, actor=world.buyer, value_pence=1, starts_on=date(2027, 1, 4), ends_on=date(2027, 3, 1))


@pytest.mark.parametrize("stage", ["draft", "open", "evaluation", "standstill"])
def test_a_competition_can_be_cancelled_with_a_reason_before_the_award(world, stage):
    comp = {"draft": lambda: world.competition(), "open": lambda: world.published(),
            "evaluation": lambda: world.evaluated()[0], "standstill": lambda: world.in_standstill()[0]}[stage]()
    with pytest.raises(DomainError, match="reason"):
        award_svc.cancel(comp, actor=world.buyer, reason=" ")
    award_svc.cancel(comp, actor=world.buyer, reason="Budget withdrawn")
    assert comp.status == "cancelled" and comp.end_reason == "Budget withdrawn"
    assert award_svc.current_award(comp) is None


def test_an_awarded_competition_cannot_be_cancelled(world, clock):
    comp, bids, award = world.in_standstill()
    clock.set(comp.standstill_ends_at)
    award_svc.make_award(comp, actor=world.buyer, value_pence=1, starts_on=date(2027, 1, 4), ends_on=date(2027, 3, 1))
    with pytest.raises(IllegalTransition, match="finished"):
        award_svc.cancel(comp, actor=world.buyer, reason="Changed our mind")


def test_no_award_is_possible_only_after_the_deadline(world):
    comp = world.published()
    with pytest.raises(IllegalTransition):
        award_svc.no_award(comp, actor=world.buyer, reason="Nothing suitable")
    world.after_deadline(comp)
    award_svc.no_award(comp, actor=world.buyer, reason="Nothing suitable")
    assert comp.status == "no_award"


def test_every_bidder_is_told_of_the_intention_and_the_award(world, db_session, clock):
    from app.competitions.notifications.models import Notification

    comp, bids, award = world.in_standstill()
    for _, manager in world.exemplars[:2]:
        subjects = db_session.execute(select(Notification.subject).where(Notification.user_id == manager.id)).scalars().all()
        assert any("intention to award" in s for s in subjects)
    assert db_session.execute(select(Partnership).where(Partnership.competition_id == comp.id)).first() is None
