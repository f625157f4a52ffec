"""Ending a competition: intention to award and the standstill, the award and contract (which
makes a follower → exemplar partnership), cancellation and "no award"; and partnership milestones."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from app import signals
from app.accounts.roles import EXEMPLAR_MANAGER, FOLLOWER_BUYER
from app.audit.services import record, snapshot
from app.errors import DomainError
from app.extensions import db
from app.registry.exclusions import services as exclusions
from app.registry.models import Partnership, PartnershipMilestone

from .. import calendar, clock, rules
from ..bidding.models import Bid
from ..conflicts.services import assessment_problems
from ..contracts.models import ContractKpi
from ..contracts.rules import add_months, kpi_problem
from ..evaluation.services import results
from ..models import Competition
from ..notices import services as notices
from ..notifications.services import notify, org_users
from ..queries import is_admitted
from ..rules import clean_text
from ..state import lock, sync_status, transition
from .models import Award, ExclusionCheck


class WinnerExcluded(DomainError):
    """The intended winner is on the exclusion register. The check (and, at the intention, the
    bid's disregarding) is recorded before this is raised: the view commits, then tells the buyer."""


def current_award(competition: Competition) -> Award | None:
    """The award that is not withdrawn (intended or made), if any."""
    return db.session.execute(
        select(Award).where(Award.competition_id == competition.id, Award.status != "withdrawn")
    ).unique().scalar_one_or_none()


def standstill_end(start, working_days: int):
    """When a standstill starting at `start` ends (see calendar.standstill_end)."""
    return calendar.standstill_end(start, working_days)


def _tell_bidders(competition: Competition, subject: str, body: str, kind: str = "outcome") -> None:
    bidders = db.session.execute(select(Bid.organisation_id).where(Bid.competition_id == competition.id)).scalars()
    users = [u for org_id in bidders for u in org_users(org_id, EXEMPLAR_MANAGER)]
    notify(users, subject, body, link=f"/competitions/{competition.id}/outcome", competition=competition, kind=kind)


def check_exclusion(competition: Competition, bid: Bid, stage: str, *, actor=None) -> tuple[ExclusionCheck, str]:
    """Check the bidder (and its parent organisation, where recorded) against the exclusion
    register today, and record the check and its result. Returns the check and the entries found."""
    org = bid.organisation
    result, found = exclusions.check_supplier(org, calendar.london_date(clock.now()))
    detail = exclusions.describe(found)
    check = ExclusionCheck(competition_id=competition.id, bid_id=bid.id, stage=stage, organisation_id=org.id,
                           parent_id=org.parent_id, result="excluded" if result.excluded else "clear",
                           detail=detail or "No entry in force.", checked_on=calendar.london_date(clock.now()),
                           checked_at=clock.now(), checked_by_id=getattr(actor, "id", None))
    db.session.add(check)
    record("award.exclusion_check", check, after={"stage": stage, "result": check.result, "detail": check.detail},
           actor=actor, summary=f"Exclusion check of {org.display_name} on {competition.reference} "
                                f"({'at the award' if stage == 'award' else 'at the intention to award'}): {check.result}")
    return check, detail


def exclusion_checks(competition: Competition) -> list[ExclusionCheck]:
    return list(db.session.execute(select(ExclusionCheck).where(ExclusionCheck.competition_id == competition.id)
                                   .order_by(ExclusionCheck.id)).unique().scalars())


def intend_award(competition: Competition, *, actor=None, note: str = "") -> Award:
    """Announce the intention to award to the top-ranked bid, with its reason. The winner is first
    checked against the exclusion register: an excluded winner's bid is disregarded (WinnerExcluded).
    With a voluntary standstill, the contract award notice is prepared (publishing it starts the
    standstill); without one, the competition goes straight to contract. Every bidder then sees its
    own scores beside the winner's, with the moderated reasons."""
    note = clean_text(note, "note", "the reason for the award")
    lock(competition)
    sync_status(competition)
    table = results(competition)
    if competition.status == "evaluation":
        if not table.complete:
            raise DomainError(f"Moderate every answer first: {table.missing} consensus mark(s) still to record.")
        if table.winner is None:
            raise DomainError("No bid can win (none reached the quality threshold, or none is within what the "
                              "framework allows): close the competition with no suitable bid.")
        if not is_admitted(competition.lot_id, table.winner.bid.organisation_id):
            raise DomainError("The top-ranked exemplar is no longer admitted to the lot.")
    rules.next_status(competition.status, "intend_award")  # a clear message before anything is written
    now = clock.now()
    winner = table.winner.bid
    check, detail = check_exclusion(competition, winner, "intention", actor=actor)
    if check.result == "excluded":
        winner.status, winner.invalidated_at = "invalid", now
        winner.invalid_reason = f"The supplier is on the exclusion register: {detail}"
        record("bid.invalidate", winner, summary=f"Bid on {competition.reference} disregarded: excluded supplier",
               actor=actor)
        raise WinnerExcluded(f"{winner.organisation.display_name} is on the exclusion register ({detail}). Its bid is "
                             "disregarded and the results are recalculated: review them, then announce the "
                             "intention to award again.")
    days = competition.standstill_days
    transition(competition, "intend_award" if days > 0 else "intend_award_direct", actor=actor, now=now,
               standstill_ends_at=None,
               summary=f"Intention to award {competition.reference}; " + (
                   f"a voluntary standstill of {days} working days starts when the contract award notice is "
                   "published" if days > 0 else "no standstill: straight to contract"))
    award = Award(competition_id=competition.id, bid_id=winner.id, status="intended", intended_at=now,
                  intention_note=note)
    db.session.add(award)
    record("award.intend", award, after=snapshot(award), summary=f"Intention to award {competition.reference} to "
           f"{winner.organisation.display_name}: {note[:200]}", actor=actor)
    if days > 0:
        notices.draft(competition, "UK6", award=award, subject=f"award-{award.id}", actor=actor)
    _tell_bidders(competition, f"{competition.reference}: intention to award",
                  "The buyer intends to award this competition. See your scores beside the winning bid's, with the "
                  "reasons for each. " + ("The standstill starts when the contract award notice is published."
                                          if days > 0 else "There is no standstill."), kind="intention_to_award")
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
        notices.withdraw_draft(notices.find(competition, "UK6", f"award-{award.id}"), actor=actor)
    _tell_bidders(competition, f"{competition.reference}: intention to award withdrawn",
                  f"The buyer withdrew the intention to award: {reason}")
    return competition


def make_award(competition: Competition, *, actor=None, value_pence: int, starts_on: date, ends_on: date,
               go_live_on: date | None = None, kpis: list[str] | None = None, copy_url: str | None = None) -> Award:
    """Award after the standstill (or straight away without one) and record the contract: its
    value, term and KPIs (at least three above £5m, s52). The winner is checked against the
    exclusion register again (WinnerExcluded). The contract details notice is prepared (due within
    30 days); the award becomes a call-off partnership whose milestones feed the track record."""
    award = current_award(competition)
    lock(competition)
    rules.next_status(sync_status(competition), "award")  # a clear message before anything else
    kpis = list(kpis or [])
    if not isinstance(value_pence, int) or value_pence <= 0:
        raise DomainError("Enter the contract value: more than £0.", field="value")
    problem = kpi_problem(value_pence, len(kpis))
    if problem:
        raise DomainError(problem + " Enter one per line.", field="kpis")
    if ends_on < starts_on:
        raise DomainError("The contract must end on or after it starts.", field="ends_on")
    limit = competition.framework.max_calloff_months
    if ends_on >= add_months(starts_on, limit):
        raise DomainError(f"The framework allows a call-off term of at most {limit} months.", field="ends_on")
    if go_live_on is not None and not starts_on <= go_live_on <= ends_on:
        raise DomainError("The planned go-live must fall within the contract.", field="go_live_on")
    problems = assessment_problems(competition)
    if problems:
        raise DomainError("The conflicts assessment was reopened: complete it before the award. " + " ".join(problems))
    if competition.status == "standstill_ended":
        if award is None:
            raise DomainError("There is no intention to award to confirm.")
        if award.bid.status != "submitted" or not is_admitted(competition.lot_id, award.bid.organisation_id):
            raise DomainError("The intended winner is no longer eligible: withdraw the intention to award.")
        check, detail = check_exclusion(competition, award.bid, "award", actor=actor)
        if check.result == "excluded":
            raise WinnerExcluded(f"{award.bid.organisation.display_name} is now on the exclusion register ({detail}): "
                                 "it cannot be awarded. Withdraw the intention to award.")
    now = clock.now()
    transition(competition, "award", actor=actor, now=now, awarded_at=now,
               summary=f"Awarded {competition.reference}")
    before = snapshot(award)
    award.status, award.awarded_at, award.value_pence = "awarded", now, value_pence
    award.contract_starts_on, award.contract_ends_on = starts_on, ends_on
    award.copy_url = (copy_url or "").strip() or None
    record("award.make", award, before=before, after=snapshot(award),
           summary=f"Awarded {competition.reference} to {award.bid.organisation.display_name}", actor=actor)
    if kpis:
        db.session.add_all([ContractKpi(award_id=award.id, position=i, name=name, added_at=now)
                            for i, name in enumerate(kpis, start=1)])
        record("contract.kpis", award, after={"added": kpis}, actor=actor,
               summary=f"{len(kpis)} KPI(s) set for the contract of {competition.reference}")
    db.session.flush()
    notices.draft(competition, "UK7", award=award, event_on=calendar.london_date(now), actor=actor)
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
    """Close the competition after the deadline with no suitable bid (no award), with the reason,
    which is published with the outcome."""
    return _end(competition, "no_award", reason, actor, "closed with no suitable bid")


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
