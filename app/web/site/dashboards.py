"""The signed-in landing page, by role: "what needs my attention".

Each panel is a function(user) → {"title", "items": [{"text", "href", "hint"}], "empty"} (or None
when not for this user), registered with `app.web.dashboard_panel(order)`, shown by
templates/main/dashboard.html above the domains' own panels. Panels only read, through each
domain's public queries and services; deadlines are said in plain English ("closes midday,
Monday 7 December 2026 — in 4 working days"). They cross the domains (a buyer's competitions, the
commercial team's admissions, check-ins, tranches and deadlines), so they live in the web layer
above them; app.web.site imports this so the panels register when the app is built.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from flask import url_for
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app.accounts.permissions import can
from app.accounts.roles import COMMERCIAL_ADMIN, EVALUATOR, EXEMPLAR_MANAGER, FOLLOWER_BUYER
from app.audit import sealing
from app.competitions.calendar import deadline_phrase
from app.extensions import db
from app.web import dashboard_panel
from app.web.formatting import london_date, london_datetime

#: "This week": a deadline at most this many working days away is shown as coming up.
SOON_WORKING_DAYS = 5

#: Most items a panel lists (the rest are a click away).
MAX_ITEMS = 8


def _item(text: str, href: str | None = None, hint: str | None = None) -> dict:
    return {"text": text, "href": href, "hint": hint}


def _soon(deadline: datetime | None, now: datetime) -> bool:
    """Whether a deadline is still to come and falls within the next working week."""
    from app.competitions.calendar import working_days_left

    return deadline is not None and deadline > now and working_days_left(now, deadline) <= SOON_WORKING_DAYS


def _competitions(user) -> list:
    from app.competitions import queries as reading

    from sqlalchemy.orm import selectinload

    from app.competitions.models import Competition

    # Clarifications and evaluators in one query each, not one per competition (the evaluator's
    # and exemplar's items check evaluators' declarations and bids).
    return list(db.session.execute(reading.competitions_for(user).limit(200).options(
        selectinload(Competition.clarifications), selectinload(Competition.evaluators))).unique().scalars())


def _buyer_open_competitions(user, now: datetime) -> list[tuple]:
    """The buyer organisation's own unfinished competitions (newest 200), each with its status now
    and its number of unanswered clarification questions. A finished competition (awarded,
    cancelled, no award) never waits for the buyer, and at G-Cloud size most are finished: read
    only the others, and the questions and evaluators only of those whose status needs them (one
    query each, and none when no competition needs them)."""
    from sqlalchemy.orm import lazyload
    from sqlalchemy.orm.attributes import set_committed_value

    from app.competitions import rules
    from app.competitions.models import Clarification, Competition, CompetitionEvaluator
    from app.competitions import queries as reading

    stmt = (reading.competitions_for(user)
            .where(Competition.buyer_id == user.organisation_id, Competition.status.notin_(sorted(rules.TERMINAL)))
            .options(lazyload(Competition.buyer), lazyload(Competition.lot)).limit(200))
    rows = [(c, c.effective_status(now)) for c in db.session.execute(stmt).unique().scalars()]
    bidding = [c.id for c, status in rows if status in rules.BIDDING]
    waiting: dict[int, int] = {}
    if bidding:
        waiting = dict(db.session.execute(
            select(Clarification.competition_id, func.count()).where(Clarification.competition_id.in_(bidding),
                                                                      Clarification.published_at.is_(None))
            .group_by(Clarification.competition_id)).all())
    evaluating = [c for c, status in rows if status == "evaluation"]
    if evaluating:
        found: dict[int, list] = {c.id: [] for c in evaluating}
        for e in db.session.execute(select(CompetitionEvaluator).options(lazyload(CompetitionEvaluator.user))
                                    .where(CompetitionEvaluator.competition_id.in_(list(found)))
                                    .order_by(CompetitionEvaluator.id)).unique().scalars():
            found[e.competition_id].append(e)
        for c in evaluating:
            set_committed_value(c, "evaluators", found[c.id])
    return [(c, status, waiting.get(c.id, 0)) for c, status in rows]


# ---------------------------------------------------------------------------
# Follower buyer: their organisation's competitions and shortlists
# ---------------------------------------------------------------------------

def buyer_items(user, now: datetime) -> list[dict]:
    """The next step of each of the buyer organisation's competitions that waits for the buyer."""
    from app.competitions import rules
    from app.competitions.award import services as award_svc
    from app.competitions.evaluation import services as evaluation

    items = []
    for c, status, waiting in _buyer_open_competitions(user, now):
        href = url_for("competitions.overview", competition_id=c.id)
        name = f"{c.reference} {c.title}"
        if status == "draft":
            items.append(_item(f"Finish and publish {name}", href, "A draft: invitations are not sent yet."))
        elif status in rules.BIDDING:
            if waiting:
                items.append(_item(f"Answer {waiting} clarification question{'s' if waiting > 1 else ''} on {name}",
                                   url_for("competitions.clarifications", competition_id=c.id),
                                   "Questions " + deadline_phrase(c.clarification_deadline, now, "close")
                                   if status == "clarification" else None))
            if _soon(c.response_deadline, now):
                items.append(_item(f"Responses due on {name}", href,
                                   "Responses " + deadline_phrase(c.response_deadline, now, "close")))
        elif status == "closed":
            items.append(_item(f"Start the evaluation of {name}", href,
                               "Responses " + deadline_phrase(c.response_deadline, now, "close") + "."))
        elif status == "evaluation":
            if evaluation.moderation_ready(c):
                items.append(_item(f"Moderate the scores of {name}",
                                   url_for("competitions.evaluation_page", competition_id=c.id),
                                   "Every evaluator has submitted: record the consensus, then announce the "
                                   "intention to award."))
            else:
                items.append(_item(f"{name} is being evaluated", href, "Waiting for evaluators to submit scores."))
        elif status == "standstill":
            items.append(_item(f"Standstill on {name}", href,
                               "Standstill " + deadline_phrase(c.standstill_ends_at, now, "ends")))
        elif status == "standstill_ended" and award_svc.current_award(c) is not None:
            items.append(_item(f"Make the award on {name}", url_for("competitions.make_award", competition_id=c.id),
                               "The standstill " + deadline_phrase(c.standstill_ends_at, now, "ends") + "."))
    return items


@dashboard_panel(10)
def buyer_panel(user):
    """A follower buyer's competitions that wait for them, and where to find exemplars."""
    if not user.has_role(FOLLOWER_BUYER):
        return None
    from app.competitions import clock

    items = buyer_items(user, clock.now())[:MAX_ITEMS]
    return {"title": "Your competitions: what needs you", "items": items,
            "empty": "None of your competitions needs you now. Find exemplars in Offers, shortlist them in a "
                     "project, then start a competition from the project."}


# ---------------------------------------------------------------------------
# Evaluator: declarations and scores to do
# ---------------------------------------------------------------------------

def evaluator_items(user, now: datetime) -> list[dict]:
    """Evaluations the user has still to declare for or score, and ones about to start."""
    from app.competitions import rules
    from app.competitions.evaluation import services as evaluation

    items = []
    for c in _competitions(user):
        row = evaluation.evaluator_row(c, user)
        if row is None:
            continue
        status = c.effective_status(now)
        href = url_for("competitions.evaluate", competition_id=c.id)
        name = f"{c.reference} {c.title}"
        if row.declared_at is None and status not in rules.TERMINAL:
            items.append(_item(f"Declare your interests for {name}", href,
                               "The conflicts assessment needs your declaration before the evaluation starts"
                               + (": responses " + deadline_phrase(c.response_deadline, now, "close") + "."
                                  if c.response_deadline else ".")))
            continue
        if status == "evaluation":
            if row.has_conflict is None:
                items.append(_item(f"Your declared interest on {name} waits for the buyer's assessment", href,
                                   "You see the bids once it is assessed."))
            elif row.may_score and row.submitted_at is None:
                missing = evaluation.missing_scores(c, row)
                items.append(_item(f"Score the bids of {name}", href,
                                   f"{missing} answer{'s' if missing != 1 else ''} still to mark and comment on."
                                   if missing else "Every answer is marked: submit your scores."))
        elif status in ("open", "clarification", "published", "closed"):
            items.append(_item(f"{name}: evaluation to come",
                               url_for("competitions.overview", competition_id=c.id),
                               "Responses " + deadline_phrase(c.response_deadline, now, "close") + "."))
    return items


@dashboard_panel(12)
def evaluator_panel(user):
    """An evaluator's declarations and scoring still to do."""
    if not user.has_role(EVALUATOR):
        return None
    from app.competitions import clock

    return {"title": "Evaluations to do", "items": evaluator_items(user, clock.now())[:MAX_ITEMS],
            "empty": "You have no evaluation to do. You will be told when a competition you evaluate opens its bids."}


# ---------------------------------------------------------------------------
# Exemplar manager: invitations, bids, outcomes and offers
# ---------------------------------------------------------------------------

def exemplar_items(user, now: datetime) -> list[dict]:
    """Open invitations to bid (with the deadline), bids in, and outcomes to read."""
    from app.competitions import rules
    from app.competitions import queries as reading

    items = []
    # Not _competitions() (no questions or evaluators needed); invitations and bids in one query each.
    competitions = list(db.session.execute(reading.competitions_for(user).limit(200)).unique().scalars())
    ids = [c.id for c in competitions]
    invitations = reading.own_invitations(ids, user.organisation_id)
    bids = reading.own_bids(ids, user.organisation_id)
    for c in competitions:
        invitation = invitations.get(c.id)
        if invitation is None or invitation.status != "invited":
            continue
        status = c.effective_status(now)
        name = f"{c.reference} {c.title}"
        buyer = c.buyer.display_name
        if status in rules.BIDDING:
            bid = bids.get(c.id)
            when = "Responses " + deadline_phrase(c.response_deadline, now, "close")
            if bid is None or bid.status != "submitted":
                items.append(_item(f"Invitation to bid: {name}", url_for("competitions.overview", competition_id=c.id),
                                   f"From {buyer}. {when}."))
            else:
                items.append(_item(f"Your bid is in: {name}", url_for("competitions.bid", competition_id=c.id),
                                   f"Revision {bid.revision}. You can revise or withdraw it until the deadline. {when}."))
        elif status in ("standstill", "standstill_ended", "awarded", "no_award") and bids.get(c.id) is not None:
            items.append(_item(f"Outcome of {name}", url_for("competitions.outcome", competition_id=c.id),
                               f"{rules.status_text(status)}: see your scores next to the winner's."))
    return items


@dashboard_panel(14)
def exemplar_panel(user):
    """An exemplar manager's invitations to bid, bids in and outcomes."""
    if not user.has_role(EXEMPLAR_MANAGER):
        return None
    from app.competitions import clock

    return {"title": "Invitations and bids", "items": exemplar_items(user, clock.now())[:MAX_ITEMS],
            "empty": "No open invitation to bid. Followers find you through your published offers."}


def offer_items(user) -> list[dict]:
    """The exemplar's offers that need looking at: drafts, and published offers with no capacity left."""
    from app.offers.models import Offer

    offers = db.session.execute(select(Offer).where(Offer.organisation_id == user.organisation_id,
                                                    Offer.status.in_(("draft", "published")))
                                .order_by(Offer.updated_at.desc())).unique().scalars().all()
    items = []
    for o in offers:
        v = o.current_version
        if v is None:
            continue
        href = url_for("offers.offer", offer_id=o.id)
        if o.status == "draft":
            items.append(_item(f"Publish your draft offer “{v.title}”", href,
                               "Followers cannot find it until it is published."))
        elif v.capacity_committed >= v.capacity_per_quarter:
            items.append(_item(f"“{v.title}” has no capacity free this quarter", href,
                               f"{v.capacity_committed} of {v.capacity_per_quarter} places committed: followers "
                               "see it as full. Update the capacity when you can take more."))
    return items


@dashboard_panel(16)
def offers_panel(user):
    """An exemplar manager's offers that need attention."""
    if not user.has_role(EXEMPLAR_MANAGER):
        return None
    items = offer_items(user)[:MAX_ITEMS]
    items.append(_item("All your offers", url_for("offers.my_offers"), "Publish, update and withdraw offers."))
    return {"title": "Your offers", "items": items}


# ---------------------------------------------------------------------------
# Any trust: overdue funding check-ins
# ---------------------------------------------------------------------------

@dashboard_panel(20)
def checkins_panel(user):
    """Quarterly check-ins the user's trust has not filed though they were due (trust users only;
    the commercial team sees every overdue check-in in their panel)."""
    if user.has_role(COMMERCIAL_ADMIN) or not can(user, "governance.trust_pages"):
        return None
    from app.governance import queries
    from app.governance.services import london_today

    overdue = queries.overdue_checkins(london_today(), user.organisation_id)
    if not overdue:
        return None
    items = [_item(f"{o.quarter.label} check-in for {o.agreement.reference}",
                   url_for("governance.new_checkin", agreement_id=o.agreement.id, quarter=o.quarter.key)
                   if can(user, "governance.file_checkin", o.agreement)
                   else url_for("governance.agreement", agreement_id=o.agreement.id),
                   f"Was due {london_date(o.due_on)}. The next funding tranche waits for a satisfactory check-in.")
             for o in overdue[:MAX_ITEMS]]
    return {"title": "Overdue funding check-ins", "items": items}


# ---------------------------------------------------------------------------
# Commercial admin: decisions waiting, money to release, deadlines this week
# ---------------------------------------------------------------------------

def _closing_soon(user, now: datetime) -> list:
    """Competitions the user may see closing within a fortnight, soonest first (issue 20)."""
    from app.competitions import queries as reading
    from app.competitions.models import Competition as C

    stmt = (reading.competitions_for(user).where(C.status.in_(("published", "clarification", "open")), C.response_deadline
            > now, C.response_deadline <= now + timedelta(days=14)).order_by(None).order_by(C.response_deadline, C.id))
    status_needs = (selectinload(C.clarifications), selectinload(C.evaluators))  # as in _competitions()
    return list(db.session.execute(stmt.limit(200).options(*status_needs)).unique().scalars())


def commercial_items(user, now: datetime) -> list[dict]:
    """Work waiting for the national commercial team, most pressing first."""
    from app.governance import queries
    from app.governance.models import FundingTranche
    from app.governance.services import london_today, release_problem
    from app.registry.models import Membership

    items = []
    today = london_today()
    overdue = queries.overdue_checkins(today)
    if overdue:
        oldest = overdue[0]
        items.append(_item(f"{len(overdue)} quarterly check-in{'s are' if len(overdue) > 1 else ' is'} overdue",
                           url_for("governance.funding") + "#overdue",
                           f"The oldest, {oldest.agreement.reference} {oldest.quarter.label}, was due "
                           f"{london_date(oldest.due_on)}."))
    to_review = queries.checkins_to_review()
    if to_review:
        items.append(_item(f"{len(to_review)} check-in{'s' if len(to_review) > 1 else ''} to review",
                           url_for("governance.funding") + "#to-review",
                           "Accept a check-in with no red condition to allow the next tranche."))
    tranches = db.session.execute(select(FundingTranche).where(FundingTranche.released_at.is_(None))
                                  .order_by(FundingTranche.planned_on)).unique().scalars().all()
    for t in tranches:
        if t.planned_on <= today and release_problem(t) is None:
            items.append(_item(f"Release tranche {t.number} of {t.agreement.reference}",
                               url_for("governance.release_tranche", tranche_id=t.id),
                               f"Planned for {london_date(t.planned_on)}; the latest check-in allows it."))
    from app.governance.models import AdmissionApplication

    pending = db.session.scalar(select(func.count()).select_from(AdmissionApplication)
                                .where(AdmissionApplication.status == "submitted"))
    if pending:
        items.append(_item(f"{pending} exemplar application{'s' if pending > 1 else ''} waiting for a decision",
                           url_for("governance.applications", status="submitted")))
    applied = db.session.scalar(select(func.count()).select_from(Membership).where(Membership.status == "applied"))
    if applied:
        items.append(_item(f"{applied} framework membership{'s' if applied > 1 else ''} applied for",
                           url_for("registry.exemplars"), "Admit or refuse each on its lot page."))
    closing = [c for c in _closing_soon(user, now) if c.effective_status(now) in ("published", "clarification", "open")
               and _soon(c.response_deadline, now)]
    for c in closing:
        items.append(_item(f"{c.reference} {c.title} closes soon", url_for("competitions.overview", competition_id=c.id),
                           f"{c.buyer.display_name}. Responses {deadline_phrase(c.response_deadline, now, 'close')}."))
    return items


@dashboard_panel(18)
def commercial_panel(user):
    """What waits for the national commercial team."""
    if not user.has_role(COMMERCIAL_ADMIN):
        return None
    from app.competitions import clock

    return {"title": "Waiting for the commercial team", "items": commercial_items(user, clock.now())[:MAX_ITEMS],
            "empty": "Nothing is waiting: no overdue check-in, no application and no tranche to release."}


# ---------------------------------------------------------------------------
# Auditor: the latest changes
# ---------------------------------------------------------------------------

@dashboard_panel(22)
def audit_panel(user):
    """The latest entries of the audit log, for those who may read it."""
    if not can(user, "audit.view"):
        return None
    from app.audit.models import AuditEvent

    # Sign-ins are not changes: leave them to the full log.
    stmt = select(AuditEvent).where(AuditEvent.action.notin_(("user.login", "user.logout", "user.login_failed")))
    stmt = stmt.where(sealing.visible()).order_by(AuditEvent.id.desc()).limit(5)
    events = db.session.execute(stmt).unique().scalars().all()
    items = [_item(e.summary or e.action, url_for("audit.entry", event_id=e.id),
                   f"{e.actor_label or 'System'}, {london_datetime(e.occurred_at)}") for e in events]
    items.append(_item("The whole audit log", url_for("audit.log"), "Search, filter and download every change."))
    return {"title": "Latest changes", "items": items}
