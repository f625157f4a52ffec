"""Models of the offers domain: the capability catalogue, service offers and their versions (the
followers' projects and shortlists are in projects/models.py, imported at the end).

An offer's content lives in OfferVersion rows; the Offer points at its current version. Anything
that refers to an offer (a shortlist entry, a competition) keeps the version it saw.

The full-text index is not described here: on SQLite it is an FTS5 virtual table
(`offer_versions_fts`, kept in sync by triggers), on PostgreSQL a GIN expression index
(`ix_offer_versions_fts`); both are made by the offers migration for one backend only. See
app/offers/search/.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models_base import UTCDateTime, check_in, utcnow

from .vocab import OFFER_STATUSES, PRICING_MODELS, VAT_TREATMENTS

__all__ = [
    "CapabilityCategory",
    "Offer",
    "OfferDocument",
    "OfferVersion",
    "Project",
    "ShortlistEntry",
    "offer_version_regions",
    "offer_version_systems",
]


class CapabilityCategory(db.Model):
    """A kind of help an exemplar can offer (the catalogue the commercial team keeps)."""

    __tablename__ = "capability_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    # EPR deployment or optimisation help is about one system: such offers must name one.
    system_specific: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)

    def __repr__(self) -> str:
        return f"<CapabilityCategory {self.slug}>"


offer_version_systems = Table(
    "offer_version_systems",
    db.Model.metadata,
    Column("offer_version_id", Integer, ForeignKey("offer_versions.id", ondelete="CASCADE"), primary_key=True),
    Column("system_id", Integer, ForeignKey("systems.id"), primary_key=True, index=True),
)

offer_version_regions = Table(
    "offer_version_regions",
    db.Model.metadata,
    Column("offer_version_id", Integer, ForeignKey("offer_versions.id", ondelete="CASCADE"), primary_key=True),
    Column("region_id", Integer, ForeignKey("organisations.id"), primary_key=True, index=True),
)


class Offer(db.Model):
    """A service offer of one exemplar trust on one lot. Its content is in its versions."""

    __tablename__ = "offers"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    lot_id: Mapped[int] = mapped_column(ForeignKey("lots.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="draft")
    # The two tables refer to each other: this key is added after both exist.
    current_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("offer_versions.id", use_alter=True), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    organisation = relationship("Organisation", lazy="joined")
    lot = relationship("Lot", lazy="joined")
    current_version: Mapped["OfferVersion | None"] = relationship(
        foreign_keys=[current_version_id], post_update=True, lazy="joined"
    )
    versions: Mapped[list["OfferVersion"]] = relationship(
        back_populates="offer", foreign_keys="OfferVersion.offer_id", order_by="OfferVersion.number"
    )

    __table_args__ = (
        CheckConstraint(check_in("status", OFFER_STATUSES), name="status_known"),
        Index("ix_offers_status", "status"),
    )

    @property
    def ever_published(self) -> bool:
        return self.published_at is not None

    def __repr__(self) -> str:
        return f"<Offer {self.id} {self.status}>"


class OfferVersion(db.Model):
    """The content of an offer as it was at one time. Never changed once the offer has been public."""

    __tablename__ = "offer_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id"), index=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")
    category_id: Mapped[int] = mapped_column(ForeignKey("capability_categories.id"), index=True)
    pricing_model: Mapped[str] = mapped_column(String(20))
    price_pence: Mapped[int] = mapped_column(BigInteger)
    vat: Mapped[str] = mapped_column(String(20))
    capacity_per_quarter: Mapped[int]
    capacity_committed: Mapped[int] = mapped_column(default=0)
    lead_time_weeks: Mapped[int]
    evidence_links: Mapped[str] = mapped_column(Text, default="")
    blueprint_links: Mapped[str] = mapped_column(Text, default="")
    contact_name: Mapped[str] = mapped_column(String(200))
    contact_email: Mapped[str] = mapped_column(String(254))
    # Words a searcher may use that are not in the text: category, systems, suppliers, exemplar,
    # regions. Kept by the service; indexed with the text for full-text search.
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))

    offer: Mapped[Offer] = relationship(back_populates="versions", foreign_keys=[offer_id])
    category: Mapped[CapabilityCategory] = relationship(lazy="joined")
    systems = relationship("System", secondary=offer_version_systems, lazy="selectin", order_by="System.name")
    regions = relationship("Organisation", secondary=offer_version_regions, lazy="selectin",
                           order_by="Organisation.name")
    created_by = relationship("User")

    __table_args__ = (
        UniqueConstraint("offer_id", "number"),
        CheckConstraint("number >= 1", name="number_positive"),
        CheckConstraint(check_in("pricing_model", PRICING_MODELS), name="pricing_model_known"),
        CheckConstraint(check_in("vat", VAT_TREATMENTS), name="vat_known"),
        CheckConstraint("price_pence >= 0", name="price_non_negative"),
        CheckConstraint("capacity_per_quarter >= 0", name="capacity_non_negative"),
        CheckConstraint("capacity_committed >= 0 AND capacity_committed <= capacity_per_quarter",
                        name="committed_within_capacity"),
        CheckConstraint("lead_time_weeks >= 0", name="lead_time_non_negative"),
    )

    @property
    def capacity_free(self) -> int:
        return max(0, self.capacity_per_quarter - self.capacity_committed)

    def __repr__(self) -> str:
        return f"<OfferVersion {self.offer_id} v{self.number}>"


class SearchTerm(db.Model):
    """A word of the published offers' text, and in how many published offers it is: the spelling
    vocabulary that typo matching and "Did you mean …?" draw on (app.offers.search.vocabulary
    keeps it). Trigram-indexed: an FTS5 trigram table search_terms_fts on SQLite, a pg_trgm GIN
    index on PostgreSQL (both made by migration 20261202_15)."""

    __tablename__ = "search_terms"

    id: Mapped[int] = mapped_column(primary_key=True)
    term: Mapped[str] = mapped_column(String(40), unique=True)
    offers: Mapped[int] = mapped_column(default=0)

    def __repr__(self) -> str:
        return f"<SearchTerm {self.term!r} {self.offers}>"


# The projects' models, so that every model of the domain is found here (app/models.py, the API).
from .documents.models import OfferDocument  # noqa: E402,F401
from .projects.models import LockedSearch, LockedSearchRow, Project, ProjectOutcome, ShortlistEntry  # noqa: E402,F401
