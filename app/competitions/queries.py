"""Reading competitions, bids (sealed) and awards: the functions other domains (the API, OCDS
publication, dashboards) call. Nothing here writes; nothing here reveals a sealed bid.

Sealing: before the response deadline no bid content, and not even the number of bids, is given
to anyone but the bidder's own organisation. After it, `bids_for_publication` gives the bids.
What the audit log seals, and where, is in sealing.py.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import lazyload

from app.accounts.roles import AUDITOR, COMMERCIAL_ADMIN, EVALUATOR, EXEMPLAR_MANAGER, FOLLOWER_BUYER
from app.concentration import market
from app.extensions import db
from app.registry.models import Membership, Partnership

from .award.models import Award
from .bidding.models import Bid
from .models import Competition, CompetitionEvaluator, Invitation
from .sealing import sealed_bid_ids_clause  # noqa: F401  (importing it registers the sealed bid box)


def effective_status(competition: Competition, now: datetime | None = None) -> str:
    """The status the clock makes true now (see rules.effective_status); never writes."""
    return competition.effective_status(now)


def published_competitions() -> Select:
    """Every competition that has been published (all but drafts), newest first: the public,
    OCDS-publishable set. A statement; execute it and take .unique().scalars()."""
    return (select(Competition).where(Competition.status != "draft")
            .order_by(Competition.published_at.desc(), Competition.id.desc()))


def competitions_for(user) -> Select:
    """The competitions a signed-in user may see, newest first: the buyer organisation's own
    (buyers; evaluators where they evaluate), invitations of an exemplar manager's trust once
    published, and every published one for commercial admins and auditors."""
    stmt = select(Competition).order_by(Competition.created_at.desc(), Competition.id.desc())
    if user is None:
        return stmt.where(False)
    conditions = []
    if user.has_role(FOLLOWER_BUYER):
        conditions.append(Competition.buyer_id == user.organisation_id)
    if user.has_role(EVALUATOR):
        conditions.append(Competition.id.in_(select(CompetitionEvaluator.competition_id)
                                             .where(CompetitionEvaluator.user_id == user.id)))
    if user.has_role(EXEMPLAR_MANAGER):
        conditions.append(and_(Competition.status != "draft", Competition.id.in_(
            select(Invitation.competition_id).where(Invitation.organisation_id == user.organisation_id))))
    if user.has_role(COMMERCIAL_ADMIN, AUDITOR):
        conditions.append(Competition.status != "draft")
    return stmt.where(or_(*conditions)) if conditions else stmt.where(False)


def bid_count(competition: Competition, now: datetime | None = None) -> int | None:
    """How many valid bids there are — None while the bids are sealed."""
    if not competition.bids_unsealed(now):
        return None
    return db.session.execute(select(db.func.count(Bid.id)).where(
        Bid.competition_id == competition.id, Bid.status == "submitted")).scalar_one()


def own_bid(competition: Competition, organisation_id: int | None) -> Bid | None:
    """An organisation's own bid (always visible to that organisation)."""
    if organisation_id is None:
        return None
    return db.session.execute(select(Bid).where(Bid.competition_id == competition.id,
                                                Bid.organisation_id == organisation_id)).unique().scalar_one_or_none()


def own_bids(competition_ids: list[int], organisation_id: int | None) -> dict[int, Bid]:
    """An organisation's own bids in these competitions, by competition id (one query): the bids'
    own columns (status, revision …), not their answers or organisation."""
    if organisation_id is None or not competition_ids:
        return {}
    return {b.competition_id: b for b in db.session.execute(select(Bid).where(
        Bid.competition_id.in_(competition_ids), Bid.organisation_id == organisation_id)
        .options(lazyload("*"))).unique().scalars()}


def own_invitations(competition_ids: list[int], organisation_id: int | None) -> dict[int, Invitation]:
    """An organisation's invitations to these competitions, by competition id (one query)."""
    if organisation_id is None or not competition_ids:
        return {}
    return {i.competition_id: i for i in db.session.execute(select(Invitation).where(
        Invitation.competition_id.in_(competition_ids), Invitation.organisation_id == organisation_id))
        .unique().scalars()}


def bids_for_publication(competition: Competition, now: datetime | None = None) -> list[Bid] | None:
    """All bids (any status) once unsealed, in order of first submission; None while sealed."""
    if not competition.bids_unsealed(now):
        return None
    return list(db.session.execute(select(Bid).where(Bid.competition_id == competition.id)
                                   .order_by(Bid.first_submitted_at, Bid.id)).unique().scalars())


def award_of(competition: Competition) -> Award | None:
    """The award made (status "awarded"), with its contract value and dates; None before the award."""
    return db.session.execute(select(Award).where(Award.competition_id == competition.id,
                                                  Award.status == "awarded")).unique().scalar_one_or_none()


def partnership_of(competition: Competition) -> Partnership | None:
    """The call-off partnership an award made."""
    return db.session.execute(select(Partnership).where(Partnership.competition_id == competition.id)
                              ).unique().scalar_one_or_none()


__all__ = [
    "award_of", "bid_count", "bids_for_publication", "competitions_for",
    "effective_status", "is_admitted", "open_competitions", "own_bid", "partnership_of", "published_competitions",
    "sealed_bid_ids_clause",
]


def is_admitted(lot_id: int, organisation_id: int) -> bool:
    return db.session.execute(
        select(Membership.id).where(Membership.lot_id == lot_id, Membership.organisation_id == organisation_id,
                                    Membership.status == "admitted")
    ).first() is not None


def open_competitions() -> list[dict]:
    """Competitions not yet awarded or cancelled, with their buyer and invited exemplars (ids).
    Provided to the concentration what-if page."""
    comps = db.session.execute(
        select(Competition.id, Competition.title, Competition.buyer_id, Competition.status)
        .where(Competition.status.not_in(("awarded", "cancelled")))
        .order_by(Competition.id)
    ).all()
    invited: dict[int, list[int]] = {}
    for cid, oid in db.session.execute(
        select(Invitation.competition_id, Invitation.organisation_id)
        .where(Invitation.status == "invited", Invitation.competition_id.in_([c.id for c in comps]))
        .order_by(Invitation.id)
    ):
        invited.setdefault(cid, []).append(oid)
    return [{"id": c.id, "title": c.title, "buyer_id": c.buyer_id, "status": c.status,
             "invited": invited.get(c.id, [])} for c in comps]


market.provide("open_competitions", open_competitions)
