"""Periodic reviews of admitted exemplars, and followers' ratings of their partnerships."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models_base import UTCDateTime, check_in, utcnow

from ..vocab import REVIEW_DECISIONS


class ExemplarReview(db.Model):
    """A periodic review of an admitted (or suspended) exemplar: the figures looked at and the
    dated, reasoned decision."""

    __tablename__ = "exemplar_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    membership_id: Mapped[int] = mapped_column(ForeignKey("memberships.id"), index=True)
    reviewed_on: Mapped[date] = mapped_column(Date)
    decision: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)
    conditions: Mapped[str | None] = mapped_column(Text)
    status_before: Mapped[str] = mapped_column(String(20))
    status_after: Mapped[str] = mapped_column(String(20))
    # The evidence as it stood on the day (so the record does not change as partnerships do).
    partnerships_active: Mapped[int] = mapped_column(default=0)
    milestones_met: Mapped[int] = mapped_column(default=0)
    milestones_missed: Mapped[int] = mapped_column(default=0)
    feedback_count: Mapped[int] = mapped_column(default=0)
    feedback_average_tenths: Mapped[int | None]
    capacity_declared: Mapped[int | None]
    next_review_on: Mapped[date | None] = mapped_column(Date)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    membership = relationship("Membership", lazy="joined")
    decided_by = relationship("User")

    __table_args__ = (
        CheckConstraint(check_in("decision", REVIEW_DECISIONS), name="decision_known"),
        CheckConstraint("decision <> 'suspend' OR conditions IS NOT NULL", name="suspension_has_conditions"),
        CheckConstraint("partnerships_active >= 0 AND milestones_met >= 0 AND milestones_missed >= 0 "
                        "AND feedback_count >= 0", name="counts_non_negative"),
        CheckConstraint("feedback_average_tenths IS NULL OR feedback_average_tenths BETWEEN 10 AND 50",
                        name="feedback_average_range"),
        CheckConstraint("capacity_declared IS NULL OR capacity_declared >= 0", name="capacity_non_negative"),
        CheckConstraint("next_review_on IS NULL OR next_review_on > reviewed_on", name="next_after_this"),
    )

    @property
    def feedback_average(self) -> float | None:
        return None if self.feedback_average_tenths is None else self.feedback_average_tenths / 10


class PartnershipRating(db.Model):
    """A follower's rating (1 to 5, with a comment) of its partnership with an exemplar."""

    __tablename__ = "partnership_ratings"

    id: Mapped[int] = mapped_column(primary_key=True)
    partnership_id: Mapped[int] = mapped_column(ForeignKey("partnerships.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    rating: Mapped[int]
    comment: Mapped[str] = mapped_column(Text, default="")
    given_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    given_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    partnership = relationship("Partnership", lazy="joined")
    given_by = relationship("User")

    __table_args__ = (CheckConstraint("rating BETWEEN 1 AND 5", name="rating_range"),)
