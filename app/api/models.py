"""Models of the api domain: the files uploaded for import into the register.

Personal API tokens are accounts.ApiToken. An ImportRun keeps the uploaded file itself between
the dry run and the confirmed import (so several app servers need share nothing but the
database), and afterwards as the record of exactly what was imported.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models_base import UTCDateTime, check_in, utcnow

__all__ = ["ImportRun"]

IMPORT_KINDS = ("organisations", "deployments")


class ImportRun(db.Model):
    """One uploaded file for import: checked (dry run) and, once confirmed, applied."""

    __tablename__ = "import_runs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    filename: Mapped[str] = mapped_column(String(200))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_count: Mapped[int] = mapped_column(default=0)
    updated_count: Mapped[int] = mapped_column(default=0)
    unchanged_count: Mapped[int] = mapped_column(default=0)
    skipped_count: Mapped[int] = mapped_column(default=0)
    error_count: Mapped[int] = mapped_column(default=0)

    uploaded_by = relationship("User")

    __table_args__ = (
        CheckConstraint(check_in("kind", IMPORT_KINDS), name="kind_known"),
        CheckConstraint("size >= 0 AND created_count >= 0 AND updated_count >= 0 AND unchanged_count >= 0 "
                        "AND skipped_count >= 0 AND error_count >= 0", name="counts_non_negative"),
    )

    def __repr__(self) -> str:
        return f"<ImportRun {self.id} {self.kind} {self.filename!r}>"
