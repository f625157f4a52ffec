"""Models of followers' projects: a saved search and a shortlist of offers, each entry keeping the
offer version the buyer saw."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models_base import UTCDateTime, utcnow

if TYPE_CHECKING:  # relationship targets: SQLAlchemy finds them by name
    from ..models import Offer, OfferVersion


class Project(db.Model):
    """A follower organisation's piece of buying work: a saved search and a shortlist of offers."""

    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    # The search page's query string (q=…&system=…), so the saved search opens as it was.
    search_query: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    organisation = relationship("Organisation", lazy="joined")
    created_by = relationship("User")
    entries: Mapped[list["ShortlistEntry"]] = relationship(
        back_populates="project", order_by="ShortlistEntry.id", cascade="all, delete-orphan"
    )

    __table_args__ = (UniqueConstraint("organisation_id", "name"),)

    def __repr__(self) -> str:
        return f"<Project {self.id} {self.name!r}>"


class ShortlistEntry(db.Model):
    """An offer on a project's shortlist, with the version the buyer saw and their reason."""

    __tablename__ = "shortlist_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id"), index=True)
    offer_version_id: Mapped[int] = mapped_column(ForeignKey("offer_versions.id"), index=True)
    reason: Mapped[str] = mapped_column(Text)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    project: Mapped[Project] = relationship(back_populates="entries")
    offer: Mapped[Offer] = relationship()
    offer_version: Mapped[OfferVersion] = relationship()
    added_by = relationship("User")

    __table_args__ = (UniqueConstraint("project_id", "offer_id"),)
