"""Funding agreements: programmes, amounts and their yearly profile, tranches and conditions
(checkins/models.py keeps the quarterly check-ins). Money is integer pence (BIGINT: agreements run to tens of millions of pounds)."""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import BigInteger, CheckConstraint, Date, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models_base import UTCDateTime, check_in, utcnow

from ..calendar import financial_year_label
from ..vocab import AGREEMENT_STATUSES

if TYPE_CHECKING:  # relationship target: SQLAlchemy finds it by name
    from ..checkins.models import CheckIn


class FundingProgramme(db.Model):
    """A central funding programme (GDE, fast follower, Frontline Productivity), kept as data."""

    __tablename__ = "funding_programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    source_url: Mapped[str | None] = mapped_column(Text)
    max_years: Mapped[int] = mapped_column(default=4)
    # Local match asked for, as a percentage of the central amount (100: matched pound for pound).
    min_match_percent: Mapped[int] = mapped_column(default=100)
    # A quarterly check-in is due this many days after its quarter ends.
    checkin_due_days: Mapped[int] = mapped_column(default=30)

    conditions: Mapped[list["ProgrammeCondition"]] = relationship(
        back_populates="programme", order_by="ProgrammeCondition.position", cascade="all, delete-orphan")

    __table_args__ = (
        CheckConstraint("max_years BETWEEN 1 AND 4", name="max_years_range"),
        CheckConstraint("min_match_percent >= 0", name="match_non_negative"),
        CheckConstraint("checkin_due_days BETWEEN 0 AND 120", name="due_days_range"),
    )


class ProgrammeCondition(db.Model):
    """One of a programme's default conditions, copied onto each new agreement (then editable there)."""

    __tablename__ = "programme_conditions"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("funding_programmes.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")

    programme: Mapped[FundingProgramme] = relationship(back_populates="conditions")

    __table_args__ = (UniqueConstraint("programme_id", "title"),)


class FundingAgreement(db.Model):
    """Central money and its local match for one organisation under one programme."""

    __tablename__ = "funding_agreements"

    id: Mapped[int] = mapped_column(primary_key=True)
    reference: Mapped[str] = mapped_column(String(40), unique=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("funding_programmes.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    central_pence: Mapped[int] = mapped_column(BigInteger)
    local_pence: Mapped[int] = mapped_column(BigInteger)
    # The first funded financial year, named by the calendar year it starts in (2025 = 2025/26).
    first_year: Mapped[int]
    years: Mapped[int]
    status: Mapped[str] = mapped_column(String(10), default="active")
    source_url: Mapped[str | None] = mapped_column(Text)
    source_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    programme: Mapped[FundingProgramme] = relationship(lazy="joined")
    organisation = relationship("Organisation", lazy="joined")
    profile: Mapped[list["FundingYear"]] = relationship(
        back_populates="agreement", order_by="FundingYear.year_index", cascade="all, delete-orphan")
    tranches: Mapped[list["FundingTranche"]] = relationship(
        back_populates="agreement", order_by="FundingTranche.number", cascade="all, delete-orphan")
    conditions: Mapped[list["AgreementCondition"]] = relationship(
        back_populates="agreement", order_by="AgreementCondition.position", cascade="all, delete-orphan")
    checkins: Mapped[list["CheckIn"]] = relationship(
        back_populates="agreement", order_by="[CheckIn.financial_year, CheckIn.quarter]",
        cascade="all, delete-orphan")

    __table_args__ = (
        CheckConstraint("central_pence >= 0", name="central_non_negative"),
        CheckConstraint("local_pence >= 0", name="local_non_negative"),
        CheckConstraint("years BETWEEN 1 AND 4", name="years_range"),
        CheckConstraint("first_year BETWEEN 2000 AND 2100", name="first_year_range"),
        CheckConstraint(check_in("status", AGREEMENT_STATUSES), name="status_known"),
        CheckConstraint("(status = 'closed') = (closed_at IS NOT NULL)", name="closed_dated"),
    )

    @property
    def total_pence(self) -> int:
        return self.central_pence + self.local_pence

    @property
    def released_pence(self) -> int:
        return sum(t.amount_pence for t in self.tranches if t.released_at is not None)

    @property
    def period_label(self) -> str:
        last = self.first_year + self.years - 1
        return financial_year_label(self.first_year) + ("" if last == self.first_year
                                                        else f" to {financial_year_label(last)}")

    @property
    def active_conditions(self) -> list["AgreementCondition"]:
        return [c for c in self.conditions if c.active]


class FundingYear(db.Model):
    """One financial year of an agreement's profile: central and local money spent in it."""

    __tablename__ = "funding_profile_years"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("funding_agreements.id", ondelete="CASCADE"), index=True)
    # 0 for the agreement's first financial year, up to 3 (four years at most).
    year_index: Mapped[int]
    central_pence: Mapped[int] = mapped_column(BigInteger)
    local_pence: Mapped[int] = mapped_column(BigInteger)

    agreement: Mapped[FundingAgreement] = relationship(back_populates="profile")

    __table_args__ = (
        UniqueConstraint("agreement_id", "year_index"),
        CheckConstraint("year_index BETWEEN 0 AND 3", name="year_index_range"),
        CheckConstraint("central_pence >= 0 AND local_pence >= 0", name="amounts_non_negative"),
    )

    @property
    def financial_year(self) -> int:
        return self.agreement.first_year + self.year_index

    @property
    def total_pence(self) -> int:
        return self.central_pence + self.local_pence


class FundingTranche(db.Model):
    """A payment of central money, planned for a date and released after a good check-in."""

    __tablename__ = "funding_tranches"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("funding_agreements.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    planned_on: Mapped[date] = mapped_column(Date)
    amount_pence: Mapped[int] = mapped_column(BigInteger)
    released_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    released_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    released_checkin_id: Mapped[int | None] = mapped_column(ForeignKey("funding_checkins.id"))

    agreement: Mapped[FundingAgreement] = relationship(back_populates="tranches")
    released_by = relationship("User")
    released_checkin = relationship("CheckIn")

    __table_args__ = (
        UniqueConstraint("agreement_id", "number"),
        CheckConstraint("number >= 1", name="number_positive"),
        CheckConstraint("amount_pence > 0", name="amount_positive"),
        CheckConstraint("(released_at IS NULL AND released_checkin_id IS NULL) OR "
                        "(released_at IS NOT NULL AND released_checkin_id IS NOT NULL)",
                        name="release_has_checkin"),
        # Each accepted check-in justifies one release only.
        Index("ux_funding_tranches_checkin", "released_checkin_id", unique=True,
              sqlite_where="released_checkin_id IS NOT NULL",
              postgresql_where="released_checkin_id IS NOT NULL"),
    )

    @property
    def is_released(self) -> bool:
        return self.released_at is not None


class AgreementCondition(db.Model):
    """A condition of an agreement, rated red, amber or green at each check-in."""

    __tablename__ = "agreement_conditions"

    id: Mapped[int] = mapped_column(primary_key=True)
    agreement_id: Mapped[int] = mapped_column(ForeignKey("funding_agreements.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    # A dropped condition keeps its past ratings but is no longer asked about.
    active: Mapped[bool] = mapped_column(default=True)

    agreement: Mapped[FundingAgreement] = relationship(back_populates="conditions")

    __table_args__ = (UniqueConstraint("agreement_id", "title"),)
