"""Models of the conflicts assessment: one declaration per person taking part."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models_base import UTCDateTime, check_in, utcnow

from .rules import ROLES


class ConflictDeclaration(db.Model):
    """A person taking part in a procurement (buyer, evaluator, approver, adviser), what they
    declared of their interests, and the buyer's assessment of it: whether it is a conflict of
    interest and how it is mitigated (s82), up to excluding the person."""

    __tablename__ = "conflict_declarations"

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The declaration: None until made; True with the interest described.
    has_interest: Mapped[bool | None]
    interest: Mapped[str | None] = mapped_column(Text)
    declared_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    declared_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    # The assessment of a declared interest.
    conflict: Mapped[bool | None]
    mitigation: Mapped[str | None] = mapped_column(Text)
    excluded: Mapped[bool] = mapped_column(default=False)
    assessed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    assessed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    user = relationship("User", foreign_keys=[user_id], lazy="joined")
    declared_by = relationship("User", foreign_keys=[declared_by_id])

    __table_args__ = (
        UniqueConstraint("competition_id", "user_id"),
        CheckConstraint(check_in("role", ROLES), name="role_known"),
        CheckConstraint("has_interest IS NULL OR declared_at IS NOT NULL", name="declared_is_dated"),
        CheckConstraint("conflict IS NULL OR conflict = false OR mitigation IS NOT NULL", name="conflict_mitigated"),
    )
