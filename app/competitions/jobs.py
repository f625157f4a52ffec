"""The competitions' scheduled work and jobs.

- `competitions.tick` (each minute): the clock-made changes, written with nobody asking: closing
  at the response deadline (state._closed tells the buyer how many bids arrived; the sealed bid
  box's "bids opened" belongs there), ending the standstill.
- `competitions.deadline_reminders` (daily, 07:00 London): each invitee with no bid in is told
  two working days before the response deadline, once per competition and deadline (a moved
  deadline is a new event).

- `competitions.notice_reminders` (daily, 07:00 London): the buyers of each draft notice that is
  due within NOTICE_REMIND_DAYS days are told once, and once more on the day it is overdue (a
  contract details notice within 30 days of the contract, a performance notice within 30 days of
  an assessment, a termination notice within 30 days of the end, a change notice before it takes
  effect: notices/rules.py).

Adding scheduled work is one registration here: `@jobs.every(name, ...)` on a function that
calls the domain's services. Each sends what it must through notify(), which puts it in the inbox
and queues the email.
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
from .notices.models import Notice
from .notices.rules import KINDS as NOTICE_KINDS, due_phrase, is_overdue
from .notifications.services import notify, org_users

#: How many working days before the response deadline invitees are reminded.
REMINDER_WORKING_DAYS = 2
#: How many calendar days before a notice is due its buyers are reminded (and again once overdue).
NOTICE_REMIND_DAYS = 7


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


@jobs.every("competitions.notice_reminders", days=1, at=time(7, 0))
def queue_notice_reminders() -> str:
    """Queue a reminder for each draft notice due within NOTICE_REMIND_DAYS days, and one more for
    each overdue: one per notice and stage, whoever ticks and however often."""
    today = calendar.to_london(clock.now()).date()
    due = db.session.execute(select(Notice.id, Notice.due_on).where(
        Notice.status == "draft", Notice.due_on.is_not(None),
        Notice.due_on <= today + timedelta(days=NOTICE_REMIND_DAYS))).all()
    for notice_id, due_on in due:
        stage = "overdue" if is_overdue(due_on, today) else "due"
        jobs.enqueue("competitions.notice_reminder", f"notice-{stage}:{notice_id}:{due_on.isoformat()}",
                     notice_id=notice_id)
    return f"{len(due)} notice(s) due or overdue"


@jobs.job("competitions.notice_reminder")
def send_notice_reminder(notice_id: int) -> str:
    """Tell the buyer organisation's buyers that a notice is due (or overdue), with a link to it."""
    notice = db.session.get(Notice, notice_id)
    if notice is None or notice.status != "draft" or notice.due_on is None:
        return "no longer due"
    c = notice.competition
    today = calendar.to_london(clock.now()).date()
    name = NOTICE_KINDS[notice.kind].lower()
    when = due_phrase(notice.due_on, today)
    told = notify(org_users(c.buyer_id, "follower_buyer"), f"{c.reference}: the {name} is {when}",
                  f"The {name} for {c.title} is {when} (publish it by {notice.due_on:%A %-d %B %Y}). "
                  "Review it and publish it: the Procurement Act 2023 sets the time allowed.",
                  link=f"/competitions/{c.id}/notices/{notice.id}", competition=c, kind="notice_due")
    return f"{len(told)} person(s) reminded"
