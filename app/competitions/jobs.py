"""The competitions' scheduled work and jobs.

- `competitions.tick` (each minute): the clock-made changes, written with nobody asking: closing
  at the response deadline (state._closed tells the buyer how many bids arrived; the sealed bid
  box's "bids opened" belongs there), ending the standstill.
- `competitions.deadline_reminders` (daily, 07:00 London): each invitee with no bid in is told
  two working days before the response deadline, once per competition and deadline (a moved
  deadline is a new event).

Adding scheduled work is one registration here: `@jobs.every(name, ...)` on a function that
calls the domain's services (for example contract notices due: `@jobs.every("competitions.
notice_reminders", days=1, at=time(7, 0))`). Each sends what it must through notify(), which puts
it in the inbox and queues the email.
"""
from __future__ import annotations

from datetime import time, timedelta

from sqlalchemy import select

from app import jobs
from app.accounts.roles import EXEMPLAR_MANAGER
from app.extensions import db

from . import calendar, clock, state
from .bidding.models import Bid
from .models import Competition, Invitation
from .notifications.services import notify, org_users

#: How many working days before the response deadline invitees are reminded.
REMINDER_WORKING_DAYS = 2


@jobs.every("competitions.tick", minutes=1)
def close_due_competitions() -> str:
    """Write every clock-made change that is due (closing, standstill ended), with its notices."""
    changed = state.tick()
    return f"{len(changed)} competition(s) changed" + "".join(f"; CO-{cid:05d} → {s}" for cid, s in changed)


def reminder_due(competition: Competition, now) -> bool:
    """Whether the response deadline is at most REMINDER_WORKING_DAYS working days away (and not past)."""
    deadline = competition.response_deadline
    return (deadline is not None and deadline > now
            and calendar.working_days_left(now, deadline) <= REMINDER_WORKING_DAYS)


@jobs.every("competitions.deadline_reminders", days=1, at=time(7, 0))
def queue_deadline_reminders() -> str:
    """Queue one reminder job per competition whose deadline is two working days away or less."""
    now = clock.now()
    open_ones = db.session.execute(
        select(Competition).where(Competition.status.in_(("published", "clarification", "open")),
                                  Competition.response_deadline > now,
                                  Competition.response_deadline < now + timedelta(days=7))
    ).unique().scalars().all()
    queued = 0
    for c in open_ones:
        if reminder_due(c, now):
            jobs.enqueue("competitions.deadline_reminder",
                         f"deadline-reminder:{c.id}:{c.response_deadline:%Y%m%dT%H%M}", competition_id=c.id)
            queued += 1
    return f"{queued} reminder(s) queued"


@jobs.job("competitions.deadline_reminder")
def send_deadline_reminder(competition_id: int) -> str:
    """Remind each invited exemplar that has no bid in that the response deadline is near. Whether
    an organisation has bid is its own business, so no one else learns anything from this."""
    c = db.session.get(Competition, competition_id)
    now = clock.now()
    if c is None or c.effective_status(now) not in ("published", "clarification", "open") or not reminder_due(c, now):
        return "no longer due"
    bidders = set(db.session.execute(select(Bid.organisation_id).where(
        Bid.competition_id == c.id, Bid.status == "submitted")).scalars())
    invited = db.session.execute(select(Invitation).where(
        Invitation.competition_id == c.id, Invitation.status == "invited")).unique().scalars().all()
    told = 0
    when = calendar.deadline_phrase(c.response_deadline, now)
    for inv in invited:
        if inv.organisation_id in bidders:
            continue
        told += len(notify(org_users(inv.organisation_id, EXEMPLAR_MANAGER),
                           f"{c.reference}: the response deadline is near",
                           f"Responses to {c.title} {when}. Bids after the deadline are refused.",
                           link=f"/competitions/{c.id}", competition=c, kind="deadline_approaching"))
    return f"{told} person(s) reminded"
