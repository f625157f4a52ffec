"""The award: the intention (with its standstill) and the contract it becomes."""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models_base import UTCDateTime, check_in, utcnow

if TYPE_CHECKING:  # relationship target: SQLAlchemy finds it by name
    from ..bidding.models import Bid

AWARD_STATUSES = ("intended", "awarded", "withdrawn")


class Award(db.Model):
    """The intention to award a competition to a bid, and then the award and its contract.

    At most one award that is not withdrawn per competition (a partial unique index).
    """

    __tablename__ = "awards"

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id", ondelete="CASCADE"), index=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bids.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="intended")
    intended_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    intention_note: Mapped[str] = mapped_column(Text, default="")
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_reason: Mapped[str | None] = mapped_column(Text)
    awarded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    value_pence: Mapped[int | None] = mapped_column(BigInteger)
    contract_starts_on: Mapped[date | None] = mapped_column(Date)
    contract_ends_on: Mapped[date | None] = mapped_column(Date)

    competition = relationship("Competition")
    bid: Mapped[Bid] = relationship(lazy="joined")

    __table_args__ = (
        CheckConstraint(check_in("status", AWARD_STATUSES), name="status_known"),
        CheckConstraint("value_pence IS NULL OR value_pence >= 0", name="value_non_negative"),
        CheckConstraint("contract_ends_on IS NULL OR contract_starts_on IS NULL "
                        "OR contract_ends_on >= contract_starts_on", name="contract_dates_ordered"),
        CheckConstraint("status <> 'awarded' OR (value_pence IS NOT NULL AND contract_starts_on IS NOT NULL "
                        "AND contract_ends_on IS NOT NULL AND awarded_at IS NOT NULL)", name="awarded_has_contract"),
        Index("uq_awards_one_per_competition", "competition_id", unique=True,
              sqlite_where=db.text("status <> 'withdrawn'"), postgresql_where=db.text("status <> 'withdrawn'")),
    )
