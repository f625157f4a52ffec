"""Models of contract management: KPIs, their ratings by assessment round, and changes. The
contract itself is the award (its value, term, and how it ended)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models_base import UTCDateTime, check_in, utcnow

from .rules import RATINGS


class ContractKpi(db.Model):
    """A key performance indicator of a call-off contract (s52: at least three above £5m)."""

    __tablename__ = "contract_kpis"

    id: Mapped[int] = mapped_column(primary_key=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("awards.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    name: Mapped[str] = mapped_column(String(300))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    ratings: Mapped[list["KpiRating"]] = relationship(back_populates="kpi", order_by="KpiRating.round",
                                                      cascade="all, delete-orphan")

    __table_args__ = (UniqueConstraint("award_id", "position"),)


class KpiRating(db.Model):
    """A KPI's rating in one assessment round (at least one round in every 12 months, s71), with
    the evidence for it. A round's ratings make one contract performance notice."""

    __tablename__ = "kpi_ratings"

    id: Mapped[int] = mapped_column(primary_key=True)
    kpi_id: Mapped[int] = mapped_column(ForeignKey("contract_kpis.id", ondelete="CASCADE"), index=True)
    round: Mapped[int]
    assessed_on: Mapped[date] = mapped_column(Date)
    rating: Mapped[str] = mapped_column(String(30))
    evidence: Mapped[str] = mapped_column(Text)
    rated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    rated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    kpi: Mapped[ContractKpi] = relationship(back_populates="ratings")

    __table_args__ = (
        UniqueConstraint("kpi_id", "round"),
        CheckConstraint(check_in("rating", RATINGS), name="rating_known"),
        CheckConstraint("round >= 1", name="round_positive"),
    )


class ContractChange(db.Model):
    """A change to a call-off contract: what, why, and its value and end date before and after."""

    __tablename__ = "contract_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    award_id: Mapped[int] = mapped_column(ForeignKey("awards.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    description: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    value_before_pence: Mapped[int] = mapped_column(BigInteger)
    value_after_pence: Mapped[int] = mapped_column(BigInteger)
    ends_on_before: Mapped[date] = mapped_column(Date)
    ends_on_after: Mapped[date] = mapped_column(Date)
    effective_on: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (
        UniqueConstraint("award_id", "number"),
        CheckConstraint("value_before_pence >= 0 AND value_after_pence >= 0", name="values_non_negative"),
    )
