"""Attaching documents to an offer (audited with their hashes; the view commits)."""
from __future__ import annotations

from app.documents import services as docs

from .models import OFFER_DOCUMENT_KINDS, OfferDocument


def offer_documents(offer) -> list[OfferDocument]:
    return docs.links_of(OfferDocument, OfferDocument.offer_id == offer.id)


def add_offer_document(offer, *, kind: str, upload: docs.Upload, actor) -> OfferDocument:
    """The exemplar attaches a document to its offer (a new version of its kind, or of its name)."""
    single = OFFER_DOCUMENT_KINDS[kind][1]
    link = OfferDocument(offer_id=offer.id, offer=offer, kind=kind,
                         series=kind if single else f"{kind}:{upload.judged.name.lower()}"[:200])
    return docs.attach(link, upload, actor=actor, summary=f"Added the {OFFER_DOCUMENT_KINDS[kind][0].lower()} "
                                                          f"{upload.judged.name} to offer {offer.id}")
