"""Links from an offer to its documents (app/documents keeps the files)."""
from __future__ import annotations

from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.documents.models import AttachmentMixin
from app.extensions import db
from app.models_base import check_in

#: kind → (label, one per offer?)
OFFER_DOCUMENT_KINDS: dict[str, tuple[str, bool]] = {
    "service_definition": ("Service definition", True),
    "pricing_document": ("Pricing document", True),
    "blueprint": ("Blueprint", False),
}


class OfferDocument(AttachmentMixin, db.Model):
    __tablename__ = "offer_documents"

    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))

    offer = relationship("Offer")

    __table_args__ = (
        UniqueConstraint("offer_id", "series", "version"),
        CheckConstraint(check_in("kind", OFFER_DOCUMENT_KINDS), name="kind_known"),
        CheckConstraint("version >= 1", name="version_positive"),
    )

    def same_owner(self) -> list:
        return [OfferDocument.offer_id == self.offer_id]

    @property
    def kind_label(self) -> str:
        return OFFER_DOCUMENT_KINDS[self.kind][0]
