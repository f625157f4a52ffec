"""Models of followers' projects: a saved search and a shortlist of offers, each entry keeping the
offer version the buyer saw."""
from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, backref, mapped_column, relationship

from app.extensions import db
from app.models_base import UTCDateTime, check_in, utcnow

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


#: What a project did once its search was ended: the outcome's code → its words.
OUTCOMES = {
    "competition": "Competition run",
    "direct_award": "Direct award",
    "no_suitable_offer": "No suitable offer",
    "cancelled": "Cancelled",
}


class LockedSearch(db.Model):
    """A project's ended search: the query and filters, when, by whom, and the exact offer versions
    it returned in their rank (LockedSearchRow: ids and version numbers, never copies of text), so
    the buyer can show later what the search returned on the day."""

    __tablename__ = "locked_searches"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), unique=True)
    #: The search page's query string (words, filters, sort), as app.offers.search.query writes it.
    query_string: Mapped[str] = mapped_column(Text, default="")
    #: How many offers matched (the rows keep the first MAX_EXPORT_ROWS of them).
    total: Mapped[int] = mapped_column(default=0)
    locked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    locked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    project: Mapped[Project] = relationship(backref=backref("locked_search", uselist=False))
    locked_by = relationship("User")
    rows: Mapped[list["LockedSearchRow"]] = relationship(
        back_populates="locked_search", order_by="LockedSearchRow.rank", cascade="all, delete-orphan")


class LockedSearchRow(db.Model):
    """One offer version a locked search returned, at its rank (1 = first)."""

    __tablename__ = "locked_search_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    locked_search_id: Mapped[int] = mapped_column(ForeignKey("locked_searches.id", ondelete="CASCADE"), index=True)
    rank: Mapped[int]
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id"), index=True)
    offer_version_id: Mapped[int] = mapped_column(ForeignKey("offer_versions.id"))
    version_number: Mapped[int]

    locked_search: Mapped[LockedSearch] = relationship(back_populates="rows")
    offer: Mapped[Offer] = relationship()
    offer_version: Mapped[OfferVersion] = relationship()

    __table_args__ = (UniqueConstraint("locked_search_id", "rank"), CheckConstraint("rank >= 1", name="rank_positive"))


class ProjectOutcome(db.Model):
    """What a project did after its search: a competition run from it (linked), a direct award of
    one offer of the locked search (where its framework allows direct award), no suitable offer,
    or cancelled; each with the buyer's reason."""

    __tablename__ = "project_outcomes"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), unique=True)
    outcome: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)
    competition_id: Mapped[int | None] = mapped_column(ForeignKey("competitions.id"), index=True)
    offer_id: Mapped[int | None] = mapped_column(ForeignKey("offers.id"), index=True)
    offer_version_id: Mapped[int | None] = mapped_column(ForeignKey("offer_versions.id"))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    project: Mapped[Project] = relationship(backref=backref("outcome", uselist=False))
    offer: Mapped["Offer | None"] = relationship()
    offer_version: Mapped["OfferVersion | None"] = relationship()
    recorded_by = relationship("User")

    __table_args__ = (
        CheckConstraint(check_in("outcome", OUTCOMES), name="outcome_known"),
        CheckConstraint("(outcome = 'competition') = (competition_id IS NOT NULL)", name="competition_linked"),
        CheckConstraint("(outcome = 'direct_award') = (offer_id IS NOT NULL)", name="award_names_offer"),
    )

    @property
    def label(self) -> str:
        return OUTCOMES[self.outcome]
