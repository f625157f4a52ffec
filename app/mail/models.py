"""Every email the app sends, as a row: what, to whom, and what became of it (sent, held for the
daily digest, failed with its error), so delivery failures are visible to the admins."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models_base import UTCDateTime, check_in, utcnow

#: queued → sent | failed; held (waiting for the daily digest) → digested (sent inside one).
DELIVERY_STATUSES = ("queued", "held", "sent", "failed", "digested")

#: What a message that carried a one-time link keeps of its body once sent: the link opens an
#: account, and only its hash is kept anywhere else.
REDACTED = "(This message held a one-time link. It is not kept once the message is sent.)"


class EmailDelivery(db.Model):
    __tablename__ = "email_deliveries"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    to_address: Mapped[str] = mapped_column(String(254))
    #: What the message is about (a kind of notification: "competition_invitation", "award" …).
    kind: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    #: Whether the body holds a secret (a one-time link): it is replaced by REDACTED once sent.
    secret: Mapped[bool] = mapped_column(default=False)
    status: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(Text)
    transport: Mapped[str | None] = mapped_column(String(10))
    #: The transport's own id of the message (Notify's notification id, the SMTP Message-ID).
    reference: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    #: For a message held for the digest: the digest message that carried it.
    digest_id: Mapped[int | None] = mapped_column(ForeignKey("email_deliveries.id", ondelete="SET NULL"))

    __table_args__ = (
        CheckConstraint(check_in("status", DELIVERY_STATUSES), name="status_known"),
        Index("ix_email_deliveries_status_user", "status", "user_id"),
    )
