"""Links from a competition to its documents (app/documents keeps the files themselves)."""
from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.documents.models import AttachmentMixin
from app.extensions import db
from app.models_base import check_in

#: The buyer's documents: kind → (label, one per competition?). A single kind's uploads are
#: versions of one document; the others are a series per file name.
PACK_KINDS: dict[str, tuple[str, bool]] = {
    "specification": ("Specification", True),
    "pricing_schedule": ("Pricing schedule", True),
    "terms": ("Terms and conditions", True),
    "clarification": ("Clarification answer", False),
    "contract": ("Contract document", False),
}
#: The kinds that make up the competition pack every invitee downloads.
PACK = ("specification", "pricing_schedule", "terms")


def series_of(kind: str, filename: str) -> str:
    """Which earlier upload a new one replaces: the kind, or the kind and the file's name."""
    single = PACK_KINDS.get(kind, ("", False))[1]
    return kind if single else f"{kind}:{filename.lower()}"[:200]


class CompetitionDocument(AttachmentMixin, db.Model):
    """A document the buyer attaches: the pack, a clarification answer's, or the contract's."""

    __tablename__ = "competition_documents"

    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    clarification_id: Mapped[int | None] = mapped_column(ForeignKey("clarifications.id", ondelete="CASCADE"),
                                                         index=True)

    competition = relationship("Competition")
    clarification = relationship("Clarification")

    __table_args__ = (
        UniqueConstraint("competition_id", "series", "version"),
        CheckConstraint(check_in("kind", PACK_KINDS), name="kind_known"),
        CheckConstraint("(kind = 'clarification') = (clarification_id IS NOT NULL)", name="clarification_kind"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    def same_owner(self) -> list:
        return [CompetitionDocument.competition_id == self.competition_id]

    @property
    def kind_label(self) -> str:
        return PACK_KINDS[self.kind][0]


class BidDocument(AttachmentMixin, db.Model):
    """A bidder's document: for one quality question, or general (criterion_id None).

    Sealed like the bid it belongs to: until the response deadline only the bidder's own
    organisation may know it exists (policy `competitions.view_bid_document`; its audit entries
    are hidden through audit/sealing.py, registered in competitions/queries.py).
    """

    __tablename__ = "bid_documents"

    competition_id: Mapped[int] = mapped_column(ForeignKey("competitions.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    criterion_id: Mapped[int | None] = mapped_column(ForeignKey("competition_criteria.id", ondelete="CASCADE"))

    competition = relationship("Competition")
    organisation = relationship("Organisation")
    criterion = relationship("CompetitionCriterion")

    __table_args__ = (
        UniqueConstraint("competition_id", "organisation_id", "series", "version"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    def same_owner(self) -> list:
        return [BidDocument.competition_id == self.competition_id, BidDocument.organisation_id == self.organisation_id]


def bid_series(criterion_id: int | None, filename: str) -> str:
    return f"{'q%d' % criterion_id if criterion_id else 'general'}:{filename.lower()}"[:200]
