"""Models of sealed bids: one per exemplar per competition, with its answers and revisions."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models_base import UTCDateTime, check_in, utcnow

BID_STATUSES = ("submitted", "withdrawn", "invalid")
REVISION_ACTIONS = ("submit", "withdraw")


class Bid(db.Model):
    """An exemplar's bid: one per exemplar per competition, revised in place (history in BidRevision).

    Sealed until the response deadline: only the bidder's organisation may read it before then.
    """

    __tablename__ = "bids"

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="submitted")
    price_pence: Mapped[int] = mapped_column(BigInteger)
    offer_version_id: Mapped[int | None] = mapped_column(ForeignKey("offer_versions.id"), index=True)
    documents: Mapped[str] = mapped_column(Text, default="")
    revision: Mapped[int] = mapped_column(default=1)
    first_submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    invalidated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    invalid_reason: Mapped[str | None] = mapped_column(Text)

    competition = relationship("Competition")
    organisation = relationship("Organisation", lazy="joined")
    offer_version = relationship("OfferVersion")
    answers: Mapped[list["BidAnswer"]] = relationship(
        back_populates="bid", cascade="all, delete-orphan", lazy="selectin", order_by="BidAnswer.criterion_id")
    revisions: Mapped[list["BidRevision"]] = relationship(
        back_populates="bid", cascade="all, delete-orphan", order_by="BidRevision.number")

    __table_args__ = (
        UniqueConstraint("competition_id", "organisation_id"),
        CheckConstraint(check_in("status", BID_STATUSES), name="status_known"),
        CheckConstraint("price_pence >= 0", name="price_non_negative"),  # submit_bid refuses £0 (new bids)
        CheckConstraint("revision >= 1", name="revision_positive"),
        CheckConstraint("status <> 'invalid' OR invalid_reason IS NOT NULL", name="invalid_has_reason"),
    )

    def answer_for(self, criterion_id: int) -> str:
        return next((a.answer for a in self.answers if a.criterion_id == criterion_id), "")


class BidAnswer(db.Model):
    """A bid's answer to one quality question."""

    __tablename__ = "bid_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bids.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("competition_criteria.id", ondelete="CASCADE"), index=True)
    answer: Mapped[str] = mapped_column(Text)

    bid: Mapped[Bid] = relationship(back_populates="answers")

    __table_args__ = (UniqueConstraint("bid_id", "criterion_id"),)


class BidRevision(db.Model):
    """Each submission or withdrawal of a bid, as it was. An idempotency key makes a retried
    submission land once."""

    __tablename__ = "bid_revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bids.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    action: Mapped[str] = mapped_column(String(20))
    idempotency_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    price_pence: Mapped[int | None] = mapped_column(BigInteger)
    content: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    bid: Mapped[Bid] = relationship(back_populates="revisions")

    __table_args__ = (
        UniqueConstraint("bid_id", "number"),
        CheckConstraint(check_in("action", REVISION_ACTIONS), name="action_known"),
        CheckConstraint("price_pence IS NULL OR price_pence >= 0", name="price_non_negative"),
    )
