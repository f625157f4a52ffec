"""Models of the evaluation: each evaluator's marks and comments, and the moderated consensus."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models_base import UTCDateTime, utcnow


class EvaluatorScore(db.Model):
    """One evaluator's mark and comment for one bid's answer to one question."""

    __tablename__ = "evaluator_scores"

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluator_id: Mapped[int] = mapped_column(ForeignKey("competition_evaluators.id", ondelete="CASCADE"), index=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bids.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("competition_criteria.id", ondelete="CASCADE"))
    mark: Mapped[int]
    comment: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    evaluator = relationship("CompetitionEvaluator")

    __table_args__ = (
        UniqueConstraint("evaluator_id", "bid_id", "criterion_id"),
        CheckConstraint("mark >= 0", name="mark_non_negative"),
    )


class ConsensusScore(db.Model):
    """The moderated mark for one bid's answer to one question, with the rationale."""

    __tablename__ = "consensus_scores"

    id: Mapped[int] = mapped_column(primary_key=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bids.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("competition_criteria.id", ondelete="CASCADE"))
    mark: Mapped[int]
    rationale: Mapped[str] = mapped_column(Text)
    moderated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    moderated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (
        UniqueConstraint("bid_id", "criterion_id"),
        CheckConstraint("mark >= 0", name="mark_non_negative"),
    )
