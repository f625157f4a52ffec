"""Uploaded files and the links that attach them, as versions, to what they belong to."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, CheckConstraint, ForeignKey, String, func, select
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from app.extensions import db
from app.models_base import UTCDateTime, check_in, utcnow

from .rules import TYPES


class Document(db.Model):
    """One uploaded file, as judged when it came: its SHA-256 (the key of its bytes in the
    store), size, real type and safe name. Never changed; a new upload is a new row."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    file_type: Mapped[str] = mapped_column(String(10))
    filename: Mapped[str] = mapped_column(String(120))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    uploaded_by = relationship("User")

    __table_args__ = (
        CheckConstraint("size_bytes > 0", name="size_positive"),
        CheckConstraint("length(sha256) = 64", name="sha256_length"),
        CheckConstraint(check_in("file_type", TYPES), name="file_type_known"),
    )

    @property
    def content_type(self) -> str:
        return TYPES[self.file_type].mime

    @property
    def type_label(self) -> str:
        return TYPES[self.file_type].label


class AttachmentMixin:
    """A link from an owner to one version of a document, for an owning domain's table.

    Links of one owner with the same `series` are versions of one another (a new specification
    replaces the last; a bid's "general" documents are a series per file name). Nothing is
    deleted: removing a series marks its links removed, and every version stays for the record.
    The table adds its owner columns, a unique (owner…, series, version) and `same_owner()`.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    series: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(default=1)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id"), index=True)
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    @declared_attr
    def document(cls) -> Mapped[Document]:
        return relationship(Document, lazy="joined")

    @declared_attr
    def added_by(cls):
        return relationship("User", foreign_keys=f"{cls.__name__}.added_by_id")

    def same_owner(self) -> list:
        """SQL conditions selecting the links of this link's owner (the table says how)."""
        raise NotImplementedError

    def siblings(self):
        """A SELECT of the links of the same owner and series: the versions of this document."""
        cls = type(self)
        return select(cls).where(*self.same_owner(), cls.series == self.series)

    def next_version(self) -> int:
        cls = type(self)
        latest = db.session.scalar(select(func.max(cls.version)).where(*self.same_owner(), cls.series == self.series))
        return (latest or 0) + 1

    @property
    def name(self) -> str:
        return self.document.filename
