"""A notice of a call-off: its content as generated from the record, its due date and publication."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models_base import UTCDateTime, check_in, utcnow

from .rules import KINDS, STATUSES


class Notice(db.Model):
    """One notice (UK6 contract award, UK7 contract details, UK9 contract performance, UK10
    contract change, UK11 contract termination). Made as a draft when the record calls for it;
    the buyer reviews it, regenerated from the record, and publishes it, which freezes its content.
    `subject` tells apart notices of one kind on one competition ("award-3", "round-1", "change-2")."""

    __tablename__ = "notices"

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id", ondelete="CASCADE"), index=True)
    award_id: Mapped[int | None] = mapped_column(ForeignKey("awards.id"))
    kind: Mapped[str] = mapped_column(String(5))
    subject: Mapped[str] = mapped_column(String(40), default="")
    status: Mapped[str] = mapped_column(String(10), default="draft")
    content: Mapped[str] = mapped_column(Text)  # canonical JSON, as generated (frozen once published)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    due_on: Mapped[date | None] = mapped_column(Date)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    competition = relationship("Competition")

    __table_args__ = (
        UniqueConstraint("competition_id", "kind", "subject"),
        CheckConstraint(check_in("kind", KINDS), name="kind_known"),
        CheckConstraint(check_in("status", STATUSES), name="status_known"),
        CheckConstraint("status <> 'published' OR published_at IS NOT NULL", name="published_is_dated"),
    )

    @property
    def title(self) -> str:
        return KINDS[self.kind]

    @property
    def reference(self) -> str:
        return f"{self.competition.reference}/{self.kind}" + (f"/{self.subject}" if self.subject else "")
