"""The append-only audit log."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models_base import UTCDateTime


class AuditEvent(db.Model):
    """One change: who, what, when, before and after, chained to the previous entry by its hash."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    actor_label: Mapped[str] = mapped_column(String(300))
    action: Mapped[str] = mapped_column(String(80), index=True)
    object_type: Mapped[str] = mapped_column(String(60))
    object_id: Mapped[str | None] = mapped_column(String(60))
    summary: Mapped[str] = mapped_column(Text, default="")
    before: Mapped[str | None] = mapped_column(Text)  # canonical JSON
    after: Mapped[str | None] = mapped_column(Text)  # canonical JSON
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)

    actor = relationship("User")

    __table_args__ = (Index("ix_audit_events_object", "object_type", "object_id"),)


class SealedJournal(db.Model):
    """A sealed journal: the audit entries about objects that are secret for a while (a
    competition's bids before its deadline), kept out of the main chain so that the main log shows
    no gap, no break, no count and no time that would betray them. Its entries have their own hash
    chain; opening the journal joins them to the main chain in one audited step (app/audit/journal.py)."""

    __tablename__ = "sealed_journals"

    key: Mapped[str] = mapped_column(String(80), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # The main-chain entry that opened it; the journal's entries follow it, in order.
    opening_event_id: Mapped[int | None] = mapped_column(ForeignKey("audit_events.id"), unique=True)
    entries_at_opening: Mapped[int | None]
    head_hash_at_opening: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        CheckConstraint("(opened_at IS NULL) = (opening_event_id IS NULL)", name="opened_has_event"),
    )


class SealedEntry(db.Model):
    """One entry of a sealed journal: the same fields as an AuditEvent, chained within its journal."""

    __tablename__ = "sealed_audit_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    journal_key: Mapped[str] = mapped_column(ForeignKey("sealed_journals.key"))  # indexed by the unique key
    position: Mapped[int]
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    actor_label: Mapped[str] = mapped_column(String(300))
    action: Mapped[str] = mapped_column(String(80))
    object_type: Mapped[str] = mapped_column(String(60))
    object_id: Mapped[str | None] = mapped_column(String(60))
    summary: Mapped[str] = mapped_column(Text, default="")
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)

    __table_args__ = (
        UniqueConstraint("journal_key", "position"),
        CheckConstraint("position >= 1", name="position_positive"),
    )


@event.listens_for(AuditEvent, "before_update")
@event.listens_for(SealedEntry, "before_update")
def _refuse_update(mapper, connection, target):  # pragma: no cover - exercised in tests
    raise RuntimeError("audit events are append-only")


@event.listens_for(AuditEvent, "before_delete")
@event.listens_for(SealedEntry, "before_delete")
def _refuse_delete(mapper, connection, target):  # pragma: no cover - exercised in tests
    raise RuntimeError("audit events are append-only")
