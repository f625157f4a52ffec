"""Scheduled work with nobody asking: the scheduler closes a competition at its deadline and ends
the standstill, and reminds invitees two working days before the deadline, once."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from app import jobs
from app.audit.models import AuditEvent
from app.competitions.models import Competition
from app.competitions.notifications.models import Notification
from app.jobs.cli import scheduler_round
from app.mail.models import EmailDelivery


def _deliveries(db_session, user, kind):
    return db_session.execute(select(EmailDelivery).where(EmailDelivery.user_id == user.id,
                                                          EmailDelivery.kind == kind)).scalars().all()


def test_the_scheduler_closes_a_competition_at_its_deadline_with_no_user_request(world, db_session, app):
    comp = world.published()
    world.bid(comp, 0)
    db_session.commit()
    world.after_deadline(comp, seconds=-1)
    scheduler_round()
    jobs.drain()
    db_session.refresh(comp)
    assert comp.status == "open"  # a second before the deadline, nothing moves

    world.after_deadline(comp, seconds=30)
    scheduler_round()  # what `flask jobs scheduler` does each round: queue the due slots …
    jobs.drain()       # … and a worker runs them
    stored = db_session.execute(select(Competition.status).where(Competition.id == comp.id)).scalar_one()
    assert stored == "closed"
    entry = db_session.execute(select(AuditEvent).where(AuditEvent.action == "competition.clock",
                                                        AuditEvent.object_id == str(comp.id))).scalars().all()
    assert entry and "(by the clock" in entry[-1].summary and entry[-1].actor_id is None
    opened = db_session.execute(select(AuditEvent).where(AuditEvent.action == "competition.bids_opened",
                                                         AuditEvent.object_id == str(comp.id))).scalars().all()
    assert len(opened) == 1 and opened[0].actor_id is None  # the sealed journal joined the log, by the clock
    told = db_session.execute(select(Notification).where(Notification.user_id == world.buyer.id,
                                                         Notification.subject.like("%responses are closed%"))).scalars().all()
    assert len(told) == 1 and "1 valid bid received" in told[0].body
    mail = _deliveries(db_session, world.buyer, "bids_opened")
    assert len(mail) == 1 and mail[0].status == "sent" and "http://localhost/competitions/" in mail[0].body

    # Another round in the same minute, or a second scheduler: nothing happens twice.
    scheduler_round()
    jobs.drain()
    assert len(_deliveries(db_session, world.buyer, "bids_opened")) == 1


def test_the_scheduler_ends_the_standstill(world, db_session):
    comp, _, _ = world.in_standstill()
    db_session.commit()
    world.clock.set(comp.standstill_ends_at + timedelta(seconds=5))
    scheduler_round()
    jobs.drain()
    db_session.refresh(comp)
    assert comp.status == "standstill_ended"


def test_invitees_without_a_bid_are_reminded_two_working_days_before_the_deadline_once(world, db_session):
    comp = world.published()
    world.bid(comp, 0)  # the first exemplar has bid: it is not reminded
    db_session.commit()
    # Tuesday 1 December 09:00 + 10 working days: the deadline is Tuesday 15 December at midday.
    world.clock.set(comp.response_deadline - timedelta(days=4))  # Friday 11th: 2 working days left
    scheduler_round()
    jobs.drain()
    world.clock.advance(hours=1)
    scheduler_round()
    jobs.drain()
    reminded = {d.user_id for d in db_session.execute(select(EmailDelivery).where(
        EmailDelivery.kind == "deadline_approaching")).scalars()}
    managers = [u for _, u in world.exemplars[:3]]
    assert managers[0].id not in reminded
    assert {managers[1].id, managers[2].id} <= reminded
    assert len([d for d in db_session.execute(select(EmailDelivery).where(
        EmailDelivery.kind == "deadline_approaching", EmailDelivery.user_id == managers[1].id)).scalars()]) == 1
