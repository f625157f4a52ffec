"""The exclusion register's entries."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models_base import UTCDateTime, check_in, utcnow

from ..vocab import EXCLUSION_GROUNDS, EXCLUSION_KINDS


class ExclusionEntry(db.Model):
    """A supplier the commercial team has recorded as excluded (Procurement Act 2023 s57) or as on
    the debarment list (s62), with the ground and the dates it applies. Call-offs check the
    intended winner, and its parent organisation, against the entries in force."""

    __tablename__ = "exclusion_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    ground_kind: Mapped[str] = mapped_column(String(20))
    ground: Mapped[str] = mapped_column(Text)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    source_url: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    ended_reason: Mapped[str | None] = mapped_column(Text)

    organisation = relationship("Organisation", lazy="joined")

    __table_args__ = (
        CheckConstraint(check_in("kind", EXCLUSION_KINDS), name="kind_known"),
        CheckConstraint(check_in("ground_kind", EXCLUSION_GROUNDS), name="ground_kind_known"),
        CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="dates_ordered"),
    )

    @property
    def label(self) -> str:
        return EXCLUSION_KINDS.get(self.kind, self.kind)
