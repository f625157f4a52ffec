"""Moving a competition through its lifecycle in the database: the row lock, the clock-made
changes (written only here, in writes, and attributed to the system clock), opening the sealed
bids at the deadline, and the transitions people make."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import lazyload

from app.audit import journal
from app.audit.models import AuditEvent
from app.audit.services import SYSTEM_CLOCK, record
from app.extensions import db
from app.web.formatting import london_datetime

from . import clock, rules
from .models import Competition
from .notifications.services import notify, org_users
from .sealing import journal_key, open_journal_of


def lock(competition: Competition) -> Competition:
    """Take the competition's row lock and re-read it, so concurrent writers to one competition
    (a cancellation, closing, awarding) queue up, and wait for the bids being written (which hold
    the shared lock of lock_for_bid). PostgreSQL: SELECT … FOR UPDATE; SQLite
    writes already hold the database's write lock (BEGIN IMMEDIATE)."""
    db.session.execute(
        select(Competition).options(lazyload("*")).where(Competition.id == competition.id)
        .with_for_update(of=Competition).execution_options(populate_existing=True)
    ).scalar_one()
    return competition


def lock_for_bid(competition: Competition, organisation_id: int) -> Competition:
    """The locks a bidder's write takes (a bid, its withdrawal, its documents), so that bids from
    different bidders go in parallel while everything that changes the competition excludes them.
    PostgreSQL: a shared lock on the competition's row (SELECT … FOR SHARE: any number of bidders at
    once; `lock()`'s FOR UPDATE, taken by closing, the opening at the deadline, cancelling and
    awarding, waits for them all and they for it), re-reading it, then the bidder's own invitation
    row FOR UPDATE, so one bidder's forms (a double-click, two colleagues) still queue. A bid's audit
    entry goes to the bidder's own sealed journal (sealing.journal_of), whose append lock is the
    bidder's too. The bid transaction must never update the competition's row (two shared holders
    upgrading would deadlock). SQLite: writes already hold the database's write lock."""
    from .models import Invitation

    db.session.execute(
        select(Competition).options(lazyload("*")).where(Competition.id == competition.id)
        .with_for_update(read=True, of=Competition).execution_options(populate_existing=True)
    ).scalar_one()
    db.session.execute(select(Invitation.id).where(Invitation.competition_id == competition.id,
                                                   Invitation.organisation_id == organisation_id)
                       .with_for_update()).scalar_one_or_none()
    return competition


def sync_status(competition: Competition, now: datetime | None = None) -> str:
    """Write the status the clock has made true (closing at the deadline, ending the standstill),
    with an audit entry per change by the system clock, dated in its summary with the instant the
    clock made it (not the moment of the request that wrote it down). Closing opens the sealed
    bids. Only for writes (POST, tick, the scheduler): GETs use effective_status."""
    now = now or clock.now()
    steps = rules.time_steps(competition.status, competition.timetable, now)
    for before, after in steps:
        competition.status = after
        competition.updated_at = now
        at = rules.step_instant(before, after, competition.timetable, competition.published_at)
        record("competition.clock", competition, before={"status": before},
               after={"status": after, "at": _plain(at)}, actor=SYSTEM_CLOCK,
               summary=f"{competition.reference} moved from {rules.status_text(before).lower()} to "
                       f"{rules.status_text(after).lower()} (by the clock"
                       + (f" at {london_datetime(at)})" if at is not None else ")"))
        if after == "closed":
            open_journal_of(competition)
            _closed(competition)
        elif after == "standstill_ended":
            notify(org_users(competition.buyer_id, "follower_buyer"),
                   f"{competition.reference}: standstill has ended",
                   "The standstill period is over. You can now make the award and record the contract.",
                   link=f"/competitions/{competition.id}", competition=competition, kind="award")
    return competition.status


def _closed(competition: Competition) -> None:
    """After the deadline the buyer may learn how many bids arrived (never before)."""
    from .bidding.models import Bid

    count = db.session.execute(
        select(db.func.count(Bid.id)).where(Bid.competition_id == competition.id, Bid.status == "submitted")
    ).scalar_one()
    notify(org_users(competition.buyer_id, "follower_buyer"),
           f"{competition.reference}: responses are closed",
           f"The response deadline has passed. {count} valid bid{'s' if count != 1 else ''} received. "
           "Start the evaluation when your evaluators are ready.",
           link=f"/competitions/{competition.id}", competition=competition, kind="bids_opened")


def transition(competition: Competition, action: str, *, actor=None, summary: str = "",
               now: datetime | None = None, **fields) -> str:
    """Apply a person's action: lock, bring the clock up to date, check the move is legal
    (IllegalTransition otherwise), set the status and any fields, and audit it. Returns the new status."""
    now = now or clock.now()
    lock(competition)
    current = sync_status(competition, now)
    target = rules.next_status(current, action)
    before = {"status": current, **{k: _plain(getattr(competition, k)) for k in fields}}
    competition.status = target
    competition.updated_at = now
    for k, v in fields.items():
        setattr(competition, k, v)
    record(f"competition.{action}", competition, before=before,
           after={"status": target, **{k: _plain(v) for k, v in fields.items()}},
           summary=summary or f"{competition.reference} is now {rules.status_text(target).lower()}", actor=actor)
    return target


def _plain(value):
    return value.isoformat() if isinstance(value, datetime) else value


def open_sealed_bids(competition: Competition, now: datetime | None = None) -> AuditEvent | None:
    """The "bids opened" step: once the response deadline has passed, write the clock's changes
    (closed) and join the competition's sealed journal to the main audit chain, by the system
    clock, whoever's request or job runs it. Idempotent: None before the deadline, for a
    competition cancelled before it (its bids stay sealed), and once opened. The caller commits
    (a view, `flask competitions tick`, or the scheduler's job at the deadline)."""
    now = now or clock.now()
    lock(competition)
    key = journal_key(competition.id)
    if not competition.bids_unsealed(now) or journal.is_open(key):
        return None
    sync_status(competition, now)  # closing opens them, when the competition closes now
    return open_journal_of(competition) or journal.opening_of(key)


def tick(now: datetime | None = None) -> list[tuple[int, str]]:
    """Write every clock-made change that is due, for all competitions (the `flask competitions
    tick` command). Returns (competition id, new status) for each competition changed."""
    now = now or clock.now()
    changed = []
    ids = db.session.execute(
        select(Competition.id).where(Competition.status.in_(("published", "clarification", "open", "standstill")))
        .order_by(Competition.id)
    ).scalars().all()
    for cid in ids:
        competition = db.session.get(Competition, cid)
        if rules.time_steps(competition.status, competition.timetable, now):
            lock(competition)
            changed.append((cid, sync_status(competition, now)))
    return changed
