"""Ending a competition: intention to award and the standstill, the award and contract (which
makes a follower → exemplar partnership), cancellation and "no award"; and partnership milestones."""
from __future__ import annotations

from datetime import date, time, timedelta

from sqlalchemy import select

from app import signals
from app.accounts.roles import EXEMPLAR_MANAGER, FOLLOWER_BUYER
from app.audit.services import record, snapshot
from app.errors import DomainError
from app.extensions import db
from app.registry.models import Partnership, PartnershipMilestone

from .. import calendar, clock, rules
from ..bidding.models import Bid
from ..evaluation.services import results
from ..models import Competition
from ..notifications.services import notify, org_users
from ..queries import is_admitted
from ..rules import clean_text
from ..state import lock, sync_status, transition
from .models import Award


def current_award(competition: Competition) -> Award | None:
    """The award that is not withdrawn (intended or made), if any."""
    return db.session.execute(
        select(Award).where(Award.competition_id == competition.id, Award.status != "withdrawn")
    ).unique().scalar_one_or_none()


def standstill_end(start, working_days: int):
    """The standstill ends at midnight (London) at the end of the last of its working days."""
    if working_days == 0:
        return start
    last = calendar.add_working_days(calendar.london_date(start), working_days)
    return calendar.london_to_utc(last + timedelta(days=1), time(0, 0))


def _tell_bidders(competition: Competition, subject: str, body: str, kind: str = "outcome") -> None:
    bidders = db.session.execute(select(Bid.organisation_id).where(Bid.competition_id == competition.id)).scalars()
    users = [u for org_id in bidders for u in org_users(org_id, EXEMPLAR_MANAGER)]
    notify(users, subject, body, link=f"/competitions/{competition.id}/outcome", competition=competition, kind=kind)


def intend_award(competition: Competition, *, actor=None, note: str = "") -> Award:
    """Announce the intention to award to the top-ranked bid and start the standstill. Every bidder
    then sees its own scores beside the winner's."""
    lock(competition)
    sync_status(competition)
    table = results(competition)
    if competition.status == "evaluation":
        if not table.complete:
            raise DomainError(f"Moderate every answer first: {table.missing} consensus mark(s) still to record.")
        if table.winner is None:
            raise DomainError("No bid reached the quality threshold: close the competition without an award.")
        if not is_admitted(competition.lot_id, table.winner.bid.organisation_id):
            raise DomainError("The top-ranked exemplar is no longer admitted to the lot.")
    now = clock.now()
    transition(competition, "intend_award", actor=actor, now=now,
               standstill_ends_at=standstill_end(now, competition.standstill_days),
               summary=f"Intention to award {competition.reference}; standstill of {competition.standstill_days} "
                       "working days")
    award = Award(competition_id=competition.id, bid_id=table.winner.bid.id, status="intended", intended_at=now,
                  intention_note=(note or "").strip())
    db.session.add(award)
    record("award.intend", award, after=snapshot(award), summary=f"Intention to award {competition.reference} to "
           f"{table.winner.bid.organisation.display_name}", actor=actor)
    _tell_bidders(competition, f"{competition.reference}: intention to award",
                  "The buyer intends to award this competition. See your scores beside the winning bid's. "
                  "The standstill period runs before the award is made.", kind="intention_to_award")
    return award


def withdraw_intention(competition: Competition, *, actor=None, reason: str) -> Competition:
    """Withdraw the intention to award (a challenge, an error, a suspended winner) and go back to evaluation."""
    reason = clean_text(reason, "reason", "a reason")
    award = current_award(competition)
    transition(competition, "withdraw_intention", actor=actor, standstill_ends_at=None,
               summary=f"Withdrew the intention to award {competition.reference}: {reason}")
    if award is not None:
        award.status, award.withdrawn_at, award.withdrawn_reason = "withdrawn", clock.now(), reason
        record("award.withdraw", award, summary=f"Intention to award {competition.reference} withdrawn", actor=actor)
    _tell_bidders(competition, f"{competition.reference}: intention to award withdrawn",
                  f"The buyer withdrew the intention to award: {reason}")
    return competition


def add_months(day: date, months: int) -> date:
    """The same day `months` later (clamped to the month's last day)."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month, d)
        except ValueError:
            continue
    raise ValueError("unreachable")


def make_award(competition: Competition, *, actor=None, value_pence: int, starts_on: date, ends_on: date,
               go_live_on: date | None = None) -> Award:
    """Award after the standstill and record the contract; the award becomes a call-off partnership
    with kick-off and go-live milestones, which feed the exemplar's track record."""
    award = current_award(competition)
    lock(competition)
    rules.next_status(sync_status(competition), "award")  # a clear message before anything else
    if not isinstance(value_pence, int) or value_pence < 0:
        raise DomainError("Enter a contract value of £0 or more.", field="value")
    if ends_on < starts_on:
        raise DomainError("The contract must end on or after it starts.", field="ends_on")
    limit = competition.framework.max_calloff_months
    if ends_on >= add_months(starts_on, limit):
        raise DomainError(f"The framework allows a call-off term of at most {limit} months.", field="ends_on")
    if go_live_on is not None and not starts_on <= go_live_on <= ends_on:
        raise DomainError("The planned go-live must fall within the contract.", field="go_live_on")
    if competition.status == "standstill_ended":
        if award is None:
            raise DomainError("There is no intention to award to confirm.")
        if award.bid.status != "submitted" or not is_admitted(competition.lot_id, award.bid.organisation_id):
            raise DomainError("The intended winner is no longer eligible: withdraw the intention to award.")
    now = clock.now()
    transition(competition, "award", actor=actor, now=now, awarded_at=now,
               summary=f"Awarded {competition.reference}")
    before = snapshot(award)
    award.status, award.awarded_at, award.value_pence = "awarded", now, value_pence
    award.contract_starts_on, award.contract_ends_on = starts_on, ends_on
    record("award.make", award, before=before, after=snapshot(award),
           summary=f"Awarded {competition.reference} to {award.bid.organisation.display_name}", actor=actor)
    partnership = Partnership(follower_id=competition.buyer_id, exemplar_id=award.bid.organisation_id,
                              lot_id=competition.lot_id, competition_id=competition.id, origin="call_off",
                              status="active", started_on=starts_on,
                              notes=f"Awarded through call-off competition {competition.reference}: {competition.title}")
    partnership.milestones = [
        PartnershipMilestone(kind="kick_off", name="Kick-off", planned_on=starts_on),
        PartnershipMilestone(kind="go_live", name="Go-live", planned_on=go_live_on or ends_on),
    ]
    db.session.add(partnership)
    record("partnership.create", partnership, after=snapshot(partnership),
           summary=f"Call-off partnership from {competition.reference}", actor=actor)
    signals.data_changed.send("partnership")
    _tell_bidders(competition, f"{competition.reference}: the contract has been awarded",
                  "The competition has been awarded. Your scores and the winning bid's are on the outcome page.",
                  kind="award")
    return award


def _end(competition: Competition, action: str, reason: str, actor, words: str) -> Competition:
    reason = clean_text(reason, "reason", "a reason")
    award = current_award(competition)
    was_published = competition.status != "draft"
    transition(competition, action, actor=actor, ended_at=clock.now(), end_reason=reason,
               summary=f"{competition.reference} {words}: {reason}")
    if award is not None:
        award.status, award.withdrawn_at, award.withdrawn_reason = "withdrawn", clock.now(), reason
        record("award.withdraw", award, summary=f"Intention to award {competition.reference} withdrawn", actor=actor)
    if was_published:
        users = [u for inv in competition.invitations for u in org_users(inv.organisation_id, EXEMPLAR_MANAGER)]
        notify(users, f"{competition.reference}: {words}", f"The buyer {words} this competition: {reason}",
               link=f"/competitions/{competition.id}", competition=competition, kind="outcome")
    return competition


def cancel(competition: Competition, *, actor=None, reason: str) -> Competition:
    """Cancel the competition, with a reason, at any point before the award."""
    return _end(competition, "cancel", reason, actor, "cancelled")


def no_award(competition: Competition, *, actor=None, reason: str) -> Competition:
    """Close the competition after the deadline without awarding, with a reason."""
    return _end(competition, "no_award", reason, actor, "closed without an award")


def record_milestone(milestone: PartnershipMilestone, *, actor=None, actual_on: date | None,
                     planned_on: date | None = None) -> PartnershipMilestone:
    """The buyer records when a milestone actually happened (and may re-plan it)."""
    if actual_on is not None and actual_on > clock.now().date() + timedelta(days=1):
        raise DomainError("An actual date cannot be in the future.", field="actual_on")
    before = snapshot(milestone)
    milestone.actual_on = actual_on
    if planned_on is not None:
        milestone.planned_on = planned_on
    record("partnership.milestone", milestone, before=before, after=snapshot(milestone),
           summary=f"{milestone.name} of partnership {milestone.partnership_id} recorded", actor=actor)
    signals.data_changed.send("partnership")
    if actual_on is not None:
        notify(org_users(milestone.partnership.exemplar_id, EXEMPLAR_MANAGER, FOLLOWER_BUYER),
               f"Partnership milestone recorded: {milestone.name}",
               f"{milestone.partnership.follower.display_name} recorded {milestone.name.lower()} on {actual_on.isoformat()}.",
               link=f"/competitions/partnerships/{milestone.partnership_id}")
    return milestone
