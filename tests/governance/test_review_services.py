"""Periodic reviews of exemplars and follower feedback (services, on the database)."""
from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app import signals
from app.accounts.roles import EXEMPLAR_MANAGER, FOLLOWER_BUYER
from app.audit.models import AuditEvent
from app.errors import DomainError, NotAllowed
from app.governance import services
from app.governance.models import AdmissionApplication, PartnershipRating
from app.models_base import utcnow
from app.registry.models import Partnership, PartnershipMilestone

from .conftest import TODAY


def _partnership(session, lot, exemplar, follower, milestones=(), status="active"):
    p = Partnership(follower=follower, exemplar=exemplar, lot=lot, origin="call_off", status=status,
                    started_on=date(2025, 1, 1))
    for kind, planned, actual in milestones:
        p.milestones.append(PartnershipMilestone(kind=kind, name=kind, planned_on=planned, actual_on=actual))
    session.add(p)
    session.flush()
    return p


@pytest.fixture()
def exemplar(gov):
    lot = gov.open_lot(status="live")
    org = gov.trust()
    return gov.make.membership(lot, org, "admitted")


def test_the_review_gathers_partnerships_milestones_feedback_and_capacity(gov, db_session, exemplar):
    follower = gov.trust()
    p = _partnership(db_session, exemplar.lot, exemplar.organisation, follower, [
        ("kick_off", date(2025, 2, 1), date(2025, 2, 1)),
        ("go_live", date(2026, 1, 1), date(2026, 3, 1)),
        ("other", date(2026, 6, 1), None),
        ("go_live", date(2027, 6, 1), None)])
    _partnership(db_session, exemplar.lot, exemplar.organisation, gov.trust(), status="completed")
    _partnership(db_session, gov.open_lot(status="live"), exemplar.organisation, gov.trust())  # another lot
    buyer = gov.make.user(FOLLOWER_BUYER, org=follower)
    services.rate_partnership(p, rating=4, comment="Helpful", actor=buyer)
    services.rate_partnership(p, rating=3, comment="Slower lately", actor=buyer)
    db_session.add(AdmissionApplication(lot_id=exemplar.lot_id, organisation_id=exemplar.organisation_id,
                                        membership_id=exemplar.id, status="admitted", capacity_followers=4,
                                        decided_at=utcnow(),
                                        decision_reason="ok"))
    db_session.flush()
    e = services.review_evidence(exemplar, today=TODAY)
    assert len(e.partnerships) == 2 and e.active_partnerships == 1
    assert (e.milestones.met_on_time, e.milestones.met_late, e.milestones.missed, e.milestones.upcoming) == (1, 1, 1, 1)
    assert e.average_rating == 3.5 and len(e.ratings) == 2
    assert e.capacity_declared == 4 and e.capacity_used_percent == 25


def test_continuing_records_the_figures_and_changes_nothing_in_the_register(gov, db_session, exemplar):
    review = services.record_review(exemplar, decision="continue", reason="Doing well", reviewed_on=TODAY,
                                    next_review_on=date(2027, 11, 1), actor=gov.admin, today=TODAY)
    assert exemplar.status == "admitted"
    assert (review.status_before, review.status_after, review.decided_by_id) == ("admitted", "admitted", gov.admin.id)
    assert db_session.execute(select(AuditEvent).where(AuditEvent.action == "exemplar_review.continue")).first()


def test_suspending_needs_conditions_and_takes_effect_at_once_everywhere(gov, db_session, exemplar):
    with pytest.raises(DomainError) as e:
        services.record_review(exemplar, decision="suspend", reason="Missed go-lives", today=TODAY)
    assert e.value.field == "conditions"
    heard = []
    receiver = lambda sender, **kw: heard.append((kw["previous"], kw["membership"].status))  # noqa: E731
    signals.membership_changed.connect(receiver)
    try:
        review = services.record_review(exemplar, decision="suspend", reason="Missed go-lives",
                                        conditions="Recover the go-live plan by March", actor=gov.admin, today=TODAY)
    finally:
        signals.membership_changed.disconnect(receiver)
    assert exemplar.status == "suspended" and heard == [("admitted", "suspended")]
    assert review.conditions == "Recover the go-live plan by March"
    assert exemplar.events[-1].reason.startswith("Periodic review: Missed go-lives")


def test_a_suspended_exemplar_can_be_reinstated_by_a_later_review(gov, exemplar):
    services.record_review(exemplar, decision="suspend", reason="x", conditions="y", today=TODAY)
    services.record_review(exemplar, decision="reinstate", reason="Conditions met", today=TODAY)
    assert exemplar.status == "admitted"


def test_an_admitted_exemplar_cannot_be_reinstated(gov, exemplar):
    with pytest.raises(DomainError):
        services.record_review(exemplar, decision="reinstate", reason="x", today=TODAY)


def test_removal_is_final(gov, exemplar):
    services.record_review(exemplar, decision="remove", reason="Failed to prove its worth", today=TODAY)
    assert exemplar.status == "removed"
    with pytest.raises(DomainError):
        services.record_review(exemplar, decision="continue", reason="x", today=TODAY)


def test_a_review_is_dated_no_later_than_today_and_the_next_comes_after(gov, exemplar):
    with pytest.raises(DomainError) as e:
        services.record_review(exemplar, decision="continue", reason="x", reviewed_on=date(2026, 12, 1), today=TODAY)
    assert e.value.field == "reviewed_on"
    with pytest.raises(DomainError) as e:
        services.record_review(exemplar, decision="continue", reason="x", next_review_on=TODAY, today=TODAY)
    assert e.value.field == "next_review_on"


def test_the_latest_review_is_the_most_recent_by_date(gov, exemplar):
    services.record_review(exemplar, decision="continue", reason="second", reviewed_on=date(2026, 6, 1), today=TODAY)
    services.record_review(exemplar, decision="continue", reason="first", reviewed_on=date(2025, 6, 1), today=TODAY)
    assert services.latest_review(exemplar).reason == "second"


# --- feedback ---

def test_a_follower_buyer_rates_its_own_partnership(gov, db_session, exemplar):
    follower = gov.trust()
    p = _partnership(db_session, exemplar.lot, exemplar.organisation, follower)
    r = services.rate_partnership(p, rating=5, comment="Excellent", actor=gov.make.user(FOLLOWER_BUYER, org=follower))
    assert (r.rating, r.organisation_id) == (5, follower.id)
    assert db_session.execute(select(AuditEvent).where(AuditEvent.action == "partnership.rate")).first()


def test_the_exemplar_cannot_rate_its_own_partnership(gov, db_session, exemplar):
    p = _partnership(db_session, exemplar.lot, exemplar.organisation, gov.trust())
    with pytest.raises(NotAllowed):
        services.rate_partnership(p, rating=5, comment="We are great",
                                  actor=gov.make.user(EXEMPLAR_MANAGER, org=exemplar.organisation))
    with pytest.raises(NotAllowed):
        services.rate_partnership(p, rating=5, comment="x", actor=gov.make.user(FOLLOWER_BUYER, org=gov.trust()))


@pytest.mark.parametrize("rating", [0, 6, -1, True, "5"])
def test_ratings_run_from_one_to_five(gov, db_session, exemplar, rating):
    p = _partnership(db_session, exemplar.lot, exemplar.organisation, gov.trust())
    with pytest.raises(DomainError):
        services.rate_partnership(p, rating=rating, comment="x")


def test_a_rating_needs_a_comment(gov, db_session, exemplar):
    p = _partnership(db_session, exemplar.lot, exemplar.organisation, gov.trust())
    with pytest.raises(DomainError) as e:
        services.rate_partnership(p, rating=3, comment="   ")
    assert e.value.field == "comment"


def test_the_database_refuses_a_rating_outside_one_to_five(gov, db_session, exemplar):
    p = _partnership(db_session, exemplar.lot, exemplar.organisation, gov.trust())
    with pytest.raises(IntegrityError):
        with db_session.begin_nested():
            db_session.add(PartnershipRating(partnership_id=p.id, organisation_id=p.follower_id, rating=9, comment=""))
            db_session.flush()


def test_capacity_declared_at_a_review_is_used_at_the_next(gov, exemplar):
    assert services.review_evidence(exemplar, today=TODAY).capacity_declared is None
    services.record_review(exemplar, decision="continue", reason="ok", capacity_declared=3,
                           reviewed_on=date(2026, 1, 1), today=TODAY)
    assert services.review_evidence(exemplar, today=TODAY).capacity_declared == 3


def test_the_count_of_reviews_due_is_the_list_of_exemplars_marked_due(gov, db_session):
    """The commercial team's dashboards count reviews due in one statement; the count must be what
    the review list marks due: never reviewed; the latest review's next date come (an earlier
    review's date does not count); a review with no next date is not due."""
    from datetime import timedelta

    from app.governance import queries

    lot = gov.open_lot(status="live")
    never, later, come, undated = (gov.make.membership(lot, gov.trust(), "admitted") for _ in range(4))
    gov.make.membership(lot, gov.trust(), "removed")  # not an exemplar any more: never due
    services.record_review(later, decision="continue", reason="old", reviewed_on=date(2025, 6, 1),
                           next_review_on=date(2025, 12, 1), today=TODAY)
    services.record_review(later, decision="continue", reason="new", reviewed_on=TODAY - timedelta(days=30),
                           next_review_on=TODAY + timedelta(days=300), today=TODAY)
    services.record_review(come, decision="continue", reason="due", reviewed_on=date(2025, 6, 1),
                           next_review_on=TODAY, today=TODAY)
    services.record_review(undated, decision="continue", reason="open", reviewed_on=date(2025, 6, 1), today=TODAY)
    db_session.flush()
    listed = {r.membership.id for r in queries.exemplars_for_review(TODAY) if r.due}
    assert {never.id, come.id} <= listed and not {later.id, undated.id} & listed
    assert queries.reviews_due_count(TODAY) == len(listed)
