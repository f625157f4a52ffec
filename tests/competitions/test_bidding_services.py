"""Bidding: only admitted, invited exemplars; before the deadline to the second; revisions with
idempotency keys; withdrawals; clarifications; suspension mid-competition."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.competitions.models import Bid, BidRevision
from app.competitions.models import Clarification
from app.competitions.notifications.models import Notification
from app.competitions.bidding import services as bidding
from app.errors import DomainError, NotAllowed
from app.registry import services as registry

SECOND = timedelta(seconds=1)


def test_an_invited_exemplar_can_submit_a_bid(world):
    comp = world.published()
    bid = world.bid(comp, 0, 4_500_000)
    assert (bid.status, bid.price_pence, bid.revision) == ("submitted", 4_500_000, 1)
    assert len(bid.answers) == len(comp.criteria)


def test_a_bid_one_second_before_the_deadline_is_accepted(world, clock):
    comp = world.published()
    clock.set(comp.response_deadline - SECOND)
    assert world.bid(comp, 0).status == "submitted"


@pytest.mark.parametrize("offset", [timedelta(0), SECOND, timedelta(days=3)])
def test_a_bid_at_or_after_the_deadline_is_refused(world, clock, offset, db_session):
    comp = world.published()
    clock.set(comp.response_deadline + offset)
    before = comp.status
    counts = _row_counts(db_session)
    with pytest.raises(DomainError, match="deadline for responses"):
        world.bid(comp, 0)
    # A refusal writes nothing (the request rolls back anyway): no bid, no audit entry, no
    # notification, and the stored status is left for the next write or the tick to move on.
    assert comp.status == before and comp.effective_status() == "closed"
    assert _row_counts(db_session) == counts


def _row_counts(db_session):
    from app.audit.models import AuditEvent

    db_session.flush()
    return [db_session.execute(select(func.count()).select_from(m)).scalar_one()
            for m in (Bid, BidRevision, AuditEvent, Notification)]


def test_a_revision_after_the_deadline_is_refused_and_the_earlier_bid_stands(world, clock):
    comp = world.published()
    world.bid(comp, 0, 5_000_000)
    clock.set(comp.response_deadline)
    with pytest.raises(DomainError):
        world.bid(comp, 0, 1)
    assert bidding.bid_of(comp, world.exemplars[0][0].id).price_pence == 5_000_000


def test_an_exemplar_that_is_not_invited_cannot_bid(world):
    comp = world.published()  # invites the first three
    with pytest.raises(NotAllowed, match="not invited"):
        world.bid(comp, 3)


def test_a_buyer_cannot_bid(world):
    comp = world.published()
    with pytest.raises(NotAllowed):
        bidding.submit_bid(comp, actor=world.buyer, price_pence=1, answers=world.answers(comp))


def test_nobody_can_bid_on_a_draft(world):
    comp = world.competition()
    with pytest.raises(NotAllowed):
        world.bid(comp, 0)


def test_every_question_must_be_answered_and_the_price_is_not_negative(world):
    comp = world.published()
    answers = world.answers(comp)
    answers[comp.criteria[1].id] = "  "
    with pytest.raises(DomainError) as e:
        world.bid(comp, 0, answers=answers)
    assert e.value.field == f"answer_{comp.criteria[1].id}"
    with pytest.raises(DomainError) as e:
        world.bid(comp, 0, price_pence=-1)
    assert e.value.field == "price"


def test_revising_keeps_one_bid_and_adds_a_revision(world, db_session):
    comp = world.published()
    world.bid(comp, 0, 5_000_000)
    bid = world.bid(comp, 0, 4_000_000, answers=world.answers(comp, "Better"))
    assert db_session.execute(select(func.count(Bid.id)).where(Bid.competition_id == comp.id)).scalar_one() == 1
    assert (bid.revision, bid.price_pence) == (2, 4_000_000)
    assert bid.answers[0].answer.startswith("Better")
    assert [r.number for r in bid.revisions] == [1, 2]


def test_a_retry_with_the_same_idempotency_key_never_creates_a_second_revision(world, db_session):
    comp = world.published()
    _, user = world.exemplars[0]
    first, created = bidding.submit_bid(comp, actor=user, price_pence=100, answers=world.answers(comp),
                                        idempotency_key="k-1")
    again, created_again = bidding.submit_bid(comp, actor=user, price_pence=999, answers=world.answers(comp),
                                              idempotency_key="k-1")
    assert created and not created_again and first.id == again.id
    assert again.price_pence == 100 and again.revision == 1
    assert db_session.execute(select(func.count(BidRevision.id)).where(BidRevision.bid_id == first.id)).scalar_one() == 1


def test_an_idempotency_key_cannot_be_replayed_by_another_exemplar(world):
    comp = world.published()
    bidding.submit_bid(comp, actor=world.exemplars[0][1], price_pence=1, answers=world.answers(comp), idempotency_key="k")
    with pytest.raises(DomainError, match="already used"):
        bidding.submit_bid(comp, actor=world.exemplars[1][1], price_pence=1, answers=world.answers(comp),
                           idempotency_key="k")


def test_the_database_allows_one_bid_per_exemplar_per_competition(world, db_session):
    from sqlalchemy.exc import IntegrityError

    comp = world.published()
    bid = world.bid(comp, 0)
    db_session.add(Bid(competition_id=comp.id, organisation_id=bid.organisation_id, price_pence=1, revision=1))
    with pytest.raises(IntegrityError):
        db_session.flush()


def test_the_database_refuses_a_negative_price(world, db_session):
    from sqlalchemy.exc import IntegrityError

    comp = world.published()
    bid = world.bid(comp, 0)
    bid.price_pence = -5
    with pytest.raises(IntegrityError):
        db_session.flush()


def test_a_bid_can_be_withdrawn_and_submitted_again_before_the_deadline(world, clock):
    comp = world.published()
    world.bid(comp, 0)
    bid = bidding.withdraw_bid(comp, actor=world.exemplars[0][1])
    assert bid.status == "withdrawn"
    with pytest.raises(DomainError, match="no submitted bid"):
        bidding.withdraw_bid(comp, actor=world.exemplars[0][1])
    assert world.bid(comp, 0).status == "submitted"
    clock.set(comp.response_deadline)
    with pytest.raises(DomainError, match="deadline"):
        bidding.withdraw_bid(comp, actor=world.exemplars[0][1])


def test_a_bid_may_name_one_of_the_bidders_own_published_offers(world, make):
    from tests.competitions.offer_helpers import make_offer

    comp = world.published()
    mine = make_offer(make, world.exemplars[0][0], world.lot)
    theirs = make_offer(make, world.exemplars[1][0], world.lot)
    bid = world.bid(comp, 0, offer_version_id=mine.current_version_id)
    assert bid.offer_version_id == mine.current_version_id
    with pytest.raises(DomainError, match="your organisation's offers"):
        world.bid(comp, 0, offer_version_id=theirs.current_version_id)


def test_the_bidder_gets_a_receipt_and_the_buyer_hears_nothing(world, db_session):
    comp = world.published()
    world.bid(comp, 0)
    subjects = db_session.execute(select(Notification.subject).where(Notification.user_id == world.buyer.id)).scalars().all()
    assert not any("bid" in s.lower() for s in subjects)
    mine = db_session.execute(select(Notification.subject).where(
        Notification.user_id == world.exemplars[0][1].id)).scalars().all()
    assert any("your bid was received" in s for s in mine)


def test_clarification_questions_are_asked_in_the_clarification_period(world, clock):
    comp = world.published()
    q = bidding.ask_question(comp, actor=world.exemplars[0][1], question="Is training in scope?")
    assert q.id and q.published_at is None
    clock.set(comp.clarification_deadline)
    with pytest.raises(DomainError, match="clarification period"):
        bidding.ask_question(comp, actor=world.exemplars[0][1], question="Late question")


def test_answers_are_published_to_every_invitee_anonymised(world, db_session):
    comp = world.published()
    q = bidding.ask_question(comp, actor=world.exemplars[0][1], question="We at Trust X ask: is training in scope?")
    bidding.answer_question(q, actor=world.buyer, published_question="Is training in scope?", answer="Yes.")
    assert q.published_question == "Is training in scope?" and q.published_at is not None
    for _, manager in world.exemplars[:3]:
        subjects = db_session.execute(select(Notification.subject).where(
            Notification.user_id == manager.id)).scalars().all()
        assert any("clarification was published" in s for s in subjects)
    with pytest.raises(DomainError, match="already published"):
        bidding.answer_question(q, actor=world.buyer, published_question="x", answer="y")


def test_an_exemplar_suspended_mid_competition_has_its_bid_made_invalid_and_the_buyer_is_told(world, db_session):
    comp = world.published()
    bid = world.bid(comp, 0)
    membership = registry.find_membership(world.lot, world.exemplars[0][0])
    registry.suspend_exemplar(membership, reason="Quality review", actor=world.admin)
    assert bid.status == "invalid" and "suspended" in bid.invalid_reason
    assert comp.invitations[0].status == "ineligible"
    told = db_session.execute(select(Notification).where(Notification.user_id == world.buyer.id,
                                                         Notification.subject.like("%no longer eligible%"))).scalars().all()
    assert len(told) == 1
    # Sealed: the message does not say whether it had bid.
    assert "Any bid from it" in told[0].body
    with pytest.raises(DomainError, match="not admitted"):
        world.bid(comp, 0)


def test_a_suspended_exemplar_that_never_bid_gives_the_buyer_the_same_message(world, db_session):
    comp = world.published()
    membership = registry.find_membership(world.lot, world.exemplars[1][0])
    registry.suspend_exemplar(membership, reason="Quality review", actor=world.admin)
    told = db_session.execute(select(Notification.body).where(Notification.user_id == world.buyer.id,
                                                              Notification.subject.like("%no longer eligible%"))).scalars().all()
    assert len(told) == 1 and "Any bid from it" in told[0]


def test_reinstatement_while_bids_are_open_restores_the_invitation(world):
    comp = world.published()
    world.bid(comp, 0)
    membership = registry.find_membership(world.lot, world.exemplars[0][0])
    registry.suspend_exemplar(membership, reason="Review", actor=world.admin)
    registry.reinstate_exemplar(membership, reason="Cleared", actor=world.admin)
    assert comp.invitations[0].status == "invited"
    assert world.bid(comp, 0).status == "submitted"


def test_questions_are_stored_with_the_asker_but_published_without(world, db_session):
    comp = world.published()
    q = bidding.ask_question(comp, actor=world.exemplars[0][1], question="Q?")
    assert db_session.get(Clarification, q.id).asked_by_org_id == world.exemplars[0][0].id


def test_after_the_deadline_a_suspension_invalidates_the_bid_and_the_buyer_is_told_plainly(world, db_session):
    comp, bids = world.evaluated()
    registry.suspend_exemplar(registry.find_membership(world.lot, world.exemplars[1][0]), reason="Review",
                              actor=world.admin)
    assert bids[1].status == "invalid"
    body = db_session.execute(select(Notification.body).where(
        Notification.user_id == world.buyer.id, Notification.subject.like("%no longer eligible%"))).scalar_one()
    assert "Its bid is invalid" in body


def test_a_suspended_intended_winner_is_flagged_to_the_buyer(world, db_session):
    comp, bids, award = world.in_standstill()
    registry.suspend_exemplar(registry.find_membership(world.lot, world.exemplars[0][0]), reason="Review",
                              actor=world.admin)
    body = db_session.execute(select(Notification.body).where(
        Notification.user_id == world.buyer.id, Notification.subject.like("%no longer eligible%"))).scalar_one()
    assert "withdraw the intention to award" in body


def test_a_revision_counts_one_a_colleague_committed_while_the_page_was_open(world, db_session):
    """Two people of one trust revise at once: the second, holding the bid as its page loaded it,
    must number its revision after the first's (read again under the competition's lock), not
    reuse the number or overwrite the bid with a stale count."""
    from sqlalchemy import text

    comp = world.published()
    org, user = world.exemplars[0]
    bid = world.bid(comp, 0, 5_000_000)
    assert bid.revision == 1  # this session now holds the bid as "revision 1"
    # The colleague's revision 2, written behind the session's back (as another connection would).
    db_session.execute(text("UPDATE bids SET revision = 2, price_pence = 4000000 WHERE id = :b"), {"b": bid.id})
    db_session.execute(text("INSERT INTO bid_revisions (bid_id, number, action, price_pence, content, created_at) "
                            "VALUES (:b, 2, 'submit', 4000000, '', :t)"), {"b": bid.id, "t": bid.submitted_at})
    again, created = bidding.submit_bid(comp, actor=user, price_pence=3_000_000, answers=world.answers(comp),
                                        idempotency_key="colleague-2")
    assert created and again.id == bid.id
    assert again.revision == 3 and again.price_pence == 3_000_000
    numbers = db_session.execute(select(BidRevision.number).where(BidRevision.bid_id == bid.id)
                                 .order_by(BidRevision.number)).scalars().all()
    assert numbers == [1, 2, 3]
