"""Periodic reviews of exemplars and follower feedback on partnerships.

A review gathers the exemplar's partnerships, milestones met or missed, follower ratings and
capacity use, and records a dated, reasoned decision. Suspension, removal and reinstatement go
through the one door for membership decisions (admission.services.decide_membership), so they take
effect at once everywhere (search filters on the membership status; competitions listen to
app.signals.membership_changed)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import or_, select

from app.accounts.permissions import can
from app.audit.services import record, snapshot
from app.errors import DomainError, NotAllowed
from app.extensions import db
from app.models_base import utcnow
from app.registry.models import Membership, Partnership

from ..admission.models import AdmissionApplication
from ..admission.services import decide_membership
from ..clock import london_today
from .models import ExemplarReview, PartnershipRating
from .rules import MilestoneCounts, average_rating, count_milestones, review_problem

MAX_COMMENT = 5000


@dataclass
class ReviewEvidence:
    """What a reviewer looks at: the exemplar's partnerships and how they are going."""

    partnerships: list[Partnership]
    milestones: MilestoneCounts
    ratings: list[PartnershipRating]
    capacity_declared: int | None
    ratings_by_partnership: dict[int, list[PartnershipRating]] = field(default_factory=dict)

    @property
    def active_partnerships(self) -> int:
        return sum(1 for p in self.partnerships if p.status == "active")

    @property
    def average_rating(self) -> float | None:
        return average_rating([r.rating for r in self.ratings])

    @property
    def capacity_used_percent(self) -> int | None:
        """Active partnerships as a share of declared capacity (None when none was declared)."""
        if not self.capacity_declared:
            return None
        return round(100 * self.active_partnerships / self.capacity_declared)


def declared_capacity(membership: Membership) -> int | None:
    """The follower capacity last recorded for this exemplar on this lot: at its latest review if one
    recorded it, else in its latest admitted application (None when never declared)."""
    reviewed = db.session.execute(
        select(ExemplarReview.capacity_declared)
        .where(ExemplarReview.membership_id == membership.id, ExemplarReview.capacity_declared.is_not(None))
        .order_by(ExemplarReview.reviewed_on.desc(), ExemplarReview.id.desc()).limit(1)
    ).scalar_one_or_none()
    if reviewed is not None:
        return reviewed
    return db.session.execute(
        select(AdmissionApplication.capacity_followers)
        .where(AdmissionApplication.lot_id == membership.lot_id,
               AdmissionApplication.organisation_id == membership.organisation_id,
               AdmissionApplication.status == "admitted")
        .order_by(AdmissionApplication.decided_at.desc()).limit(1)
    ).scalar_one_or_none()


def review_evidence(membership: Membership, *, today: date | None = None) -> ReviewEvidence:
    """Gather an exemplar's partnerships on this lot (or with no lot), their milestones met or
    missed, follower ratings, and capacity use."""
    today = today or london_today()
    partnerships = list(db.session.execute(
        select(Partnership).where(Partnership.exemplar_id == membership.organisation_id,
                                  or_(Partnership.lot_id == membership.lot_id, Partnership.lot_id.is_(None)))
        .order_by(Partnership.started_on.desc().nullslast(), Partnership.id)
    ).unique().scalars())
    ids = [p.id for p in partnerships]
    ratings = list(db.session.execute(
        select(PartnershipRating).where(PartnershipRating.partnership_id.in_(ids))
        .order_by(PartnershipRating.given_at.desc())
    ).unique().scalars()) if ids else []
    by_partnership: dict[int, list[PartnershipRating]] = {}
    for r in ratings:
        by_partnership.setdefault(r.partnership_id, []).append(r)
    milestones = count_milestones(((m.planned_on, m.actual_on) for p in partnerships for m in p.milestones), today)
    return ReviewEvidence(partnerships, milestones, ratings, declared_capacity(membership), by_partnership)


def latest_review(membership: Membership) -> ExemplarReview | None:
    return db.session.execute(
        select(ExemplarReview).where(ExemplarReview.membership_id == membership.id)
        .order_by(ExemplarReview.reviewed_on.desc(), ExemplarReview.id.desc()).limit(1)
    ).unique().scalar_one_or_none()


def record_review(membership: Membership, *, decision: str, reason: str, conditions: str | None = None,
                  reviewed_on: date | None = None, next_review_on: date | None = None,
                  capacity_declared: int | None = None, actor=None, today: date | None = None) -> ExemplarReview:
    """Record a periodic review and act on its decision: continue, suspend with conditions,
    reinstate (from suspension) or remove. The figures reviewed are kept with the decision."""
    today = today or london_today()
    reviewed_on = reviewed_on or today
    problem = review_problem(membership.status, decision, reason, conditions, reviewed_on, next_review_on, today)
    if problem:
        field_name = ("conditions" if "conditions" in problem else "next_review_on" if "next review" in problem
                      else "reviewed_on" if "review date" in problem else "reason" if "reason" in problem
                      else "decision")
        raise DomainError(problem, field=field_name)
    if capacity_declared is not None and capacity_declared < 0:
        raise DomainError("Capacity must be 0 or more follower trusts.", field="capacity_declared")
    evidence = review_evidence(membership, today=today)
    capacity = capacity_declared if capacity_declared is not None else evidence.capacity_declared
    average = evidence.average_rating
    status_before = membership.status
    reason = reason.strip()
    conditions = (conditions or "").strip() or None
    if decision != "continue":  # the one door for membership decisions
        decide_membership(membership.lot, membership.organisation, decision, reason=f"Periodic review: {reason}",
                          conditions=conditions, actor=actor)
    review = ExemplarReview(
        membership=membership, reviewed_on=reviewed_on, decision=decision, reason=reason,
        conditions=conditions, status_before=status_before, status_after=membership.status,
        partnerships_active=evidence.active_partnerships, milestones_met=evidence.milestones.met,
        milestones_missed=evidence.milestones.missed, feedback_count=len(evidence.ratings),
        feedback_average_tenths=None if average is None else round(average * 10),
        capacity_declared=capacity, next_review_on=next_review_on,
        decided_by_id=getattr(actor, "id", None), decided_at=utcnow())
    db.session.add(review)
    record(f"exemplar_review.{decision}", review, after=snapshot(review),
           summary=(f"Review of {membership.organisation.ods_code} on {membership.lot.label}: "
                    f"{decision} ({status_before} → {membership.status}): {reason}"), actor=actor)
    return review


def rate_partnership(partnership: Partnership, *, rating: int, comment: str, actor=None) -> PartnershipRating:
    """A follower trust rates its partnership with an exemplar, 1 (poor) to 5 (excellent), with a comment."""
    if actor is not None and not can(actor, "governance.rate_partnership", partnership):
        raise NotAllowed("Only the follower trust's buyers can rate this partnership.")
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise DomainError("Choose a rating from 1 to 5.", field="rating")
    comment = (comment or "").strip()
    if not comment:
        raise DomainError("Say what the rating is based on.", field="comment")
    if len(comment) > MAX_COMMENT:
        raise DomainError(f"Keep the comment to {MAX_COMMENT:,} characters.", field="comment")
    entry = PartnershipRating(partnership_id=partnership.id, organisation_id=partnership.follower_id,
                              rating=rating, comment=comment, given_by_id=getattr(actor, "id", None),
                              given_at=utcnow())
    db.session.add(entry)
    record("partnership.rate", entry, after=snapshot(entry),
           summary=(f"{partnership.follower.ods_code} rated its partnership with "
                    f"{partnership.exemplar.ods_code} {rating} out of 5"), actor=actor)
    return entry
