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


def test_buyers_are_reminded_of_a_notice_due_within_a_week_and_again_once_it_is_overdue(world, db_session):
    """The contract details notice is due 30 days after the contract: its buyers hear a week before,
    once however often the scheduler ticks, and once more when it is overdue; a published notice
    is never chased."""
    from app.competitions.award import services as award_svc
    from app.competitions.notices import services as notices

    comp, _, _ = world.in_standstill()
    world.clock.set(comp.standstill_ends_at + timedelta(seconds=5))
    award_svc.make_award(comp, actor=world.buyer, value_pence=4_000_000,
                         starts_on=world.clock().date(), ends_on=world.clock().date() + timedelta(days=365))
    uk7 = notices.find(comp, "UK7")
    db_session.commit()

    def reminders():
        return [d for d in _deliveries(db_session, world.buyer, "notice_due") if "contract details notice" in d.subject]

    world.clock.advance(days=10)  # 20 days left: nothing yet
    scheduler_round()
    jobs.drain()
    assert reminders() == []
    world.clock.advance(days=14)  # 6 days left
    for _ in range(2):
        scheduler_round()
        jobs.drain()
        world.clock.advance(hours=1)
    sent = reminders()
    assert len(sent) == 1 and "is due in 6 days" in sent[0].subject
    assert f"/competitions/{comp.id}/notices/{uk7.id}" in sent[0].body
    world.clock.advance(days=8)  # two days overdue
    scheduler_round()
    jobs.drain()
    sent = reminders()
    assert len(sent) == 2 and "overdue by" in sent[-1].subject
    notices.publish(uk7, actor=world.buyer)
    db_session.commit()
    world.clock.advance(days=1)
    scheduler_round()
    jobs.drain()
    assert len(reminders()) == 2
