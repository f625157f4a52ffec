"""Quarterly check-ins on funding agreements: a RAG rating per condition, and progress."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.audit.words import register_label
from app.extensions import db
from app.models_base import UTCDateTime, check_in, utcnow

from ..calendar import Quarter
from ..vocab import CHECKIN_STATUSES, RAG

if TYPE_CHECKING:  # relationship targets: SQLAlchemy finds them by name
    from ..funding.models import AgreementCondition, FundingAgreement


class CheckIn(db.Model):
    """A quarterly check-in: a RAG rating per condition and progress against milestones."""

    __tablename__ = "funding_checkins"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("funding_agreements.id", ondelete="CASCADE"), index=True)
    financial_year: Mapped[int]
    quarter: Mapped[int]
    status: Mapped[str] = mapped_column(String(10), default="submitted")
    milestone_progress: Mapped[str] = mapped_column(Text)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    review_comment: Mapped[str | None] = mapped_column(Text)

    agreement: Mapped[FundingAgreement] = relationship(back_populates="checkins")
    submitted_by = relationship("User", foreign_keys=[submitted_by_id])
    reviewed_by = relationship("User", foreign_keys=[reviewed_by_id])
    ratings: Mapped[list["CheckInRating"]] = relationship(
        back_populates="checkin", order_by="CheckInRating.position", cascade="all, delete-orphan")

    __table_args__ = (
        UniqueConstraint("agreement_id", "financial_year", "quarter"),
        CheckConstraint("quarter BETWEEN 1 AND 4", name="quarter_range"),
        CheckConstraint(check_in("status", CHECKIN_STATUSES), name="status_known"),
        CheckConstraint("status = 'submitted' OR reviewed_at IS NOT NULL", name="review_dated"),
        CheckConstraint("status <> 'queried' OR review_comment IS NOT NULL", name="query_explained"),
    )

    @property
    def period(self) -> Quarter:
        return Quarter(self.financial_year, self.quarter)

    @property
    def reds(self) -> int:
        return sum(1 for r in self.ratings if r.rag == "red")


class CheckInRating(db.Model):
    """Red, amber or green for one condition in one check-in, with a comment."""

    __tablename__ = "funding_checkin_ratings"

    id: Mapped[int] = mapped_column(primary_key=True)
    checkin_id: Mapped[int] = mapped_column(ForeignKey("funding_checkins.id", ondelete="CASCADE"), index=True)
    condition_id: Mapped[int] = mapped_column(ForeignKey("agreement_conditions.id"), index=True)
    # The condition as it read when rated.
    condition_title: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(default=0)
    rag: Mapped[str] = mapped_column(String(5))
    comment: Mapped[str] = mapped_column(Text, default="")

    checkin: Mapped[CheckIn] = relationship(back_populates="ratings")
    condition: Mapped[AgreementCondition] = relationship()

    __table_args__ = (
        UniqueConstraint("checkin_id", "condition_id"),
        CheckConstraint(check_in("rag", RAG), name="rag_known"),
        CheckConstraint("rag = 'green' OR comment <> ''", name="red_amber_explained"),
    )

register_label("CheckIn", "Quarterly check-in")  # the audit log's words for this kind of object
