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
CHECK_STAGES = {"intention": "At the intention to award", "award": "At the award"}
CHECK_RESULTS = ("clear", "excluded")
#: How a contract ended (Procurement Act 2023 s80: a termination notice is due however it ended).
END_GROUNDS = {
    "expired": "It ran to its end date",
    "completed_early": "Completed early, by agreement",
    "breach": "Terminated for the exemplar's breach or poor performance",
    "excluded": "Terminated: the exemplar became an excluded supplier (s78)",
    "buyer_convenience": "Terminated by the buyer for another reason",
}
#: The ends that count against the exemplar's track record.
FOR_CAUSE = frozenset({"breach", "excluded"})


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
    # Over £5m the contract is published (s94): where its published copy is.
    copy_url: Mapped[str | None] = mapped_column(Text)
    ended_on: Mapped[date | None] = mapped_column(Date)
    end_ground: Mapped[str | None] = mapped_column(String(30))
    end_reason: Mapped[str | None] = mapped_column(Text)

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
        CheckConstraint("end_ground IS NULL OR " + check_in("end_ground", END_GROUNDS), name="end_ground_known"),
        CheckConstraint("(ended_on IS NULL) = (end_ground IS NULL)", name="ended_has_ground"),
    )


class ExclusionCheck(db.Model):
    """A check of an intended winner (and its parent organisation, where recorded) against the
    exclusion register, at the intention to award or at the award, with its result."""

    __tablename__ = "exclusion_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id", ondelete="CASCADE"), index=True)
    bid_id: Mapped[int] = mapped_column(ForeignKey("bids.id"))
    stage: Mapped[str] = mapped_column(String(20))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    result: Mapped[str] = mapped_column(String(10))
    detail: Mapped[str] = mapped_column(Text, default="")
    checked_on: Mapped[date] = mapped_column(Date)
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    organisation = relationship("Organisation", foreign_keys=[organisation_id], lazy="joined")

    __table_args__ = (
        CheckConstraint(check_in("stage", CHECK_STAGES), name="stage_known"),
        CheckConstraint(check_in("result", CHECK_RESULTS), name="result_known"),
    )
