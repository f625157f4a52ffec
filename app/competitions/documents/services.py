"""Attaching documents to a competition and to bids, and the zips of the pack and of the bids.

The buyer's pack may change until the response deadline (invitees are told); contract documents
come once the award is made; clarification documents go with an answer. A bidder's documents may
be added, replaced and removed while bids may be changed — the deadline checked under the
competition's lock, to the second, as for the bid itself — and are sealed with the bid.
"""
from __future__ import annotations

from datetime import datetime

from app.accounts.roles import EXEMPLAR_MANAGER
from app.documents import services as docs
from app.errors import DomainError, NotAllowed

from .. import clock, rules
from ..bidding.services import need_bidder
from ..models import Clarification, Competition
from ..notifications.services import notify, org_users
from ..queries import award_of, bids_for_publication
from ..state import lock_for_bid
from .models import PACK, PACK_KINDS, BidDocument, CompetitionDocument, bid_series, series_of


def pack_documents(competition: Competition) -> list[CompetitionDocument]:
    """Every link of the buyer's documents (all kinds, all versions)."""
    return docs.links_of(CompetitionDocument, CompetitionDocument.competition_id == competition.id)


def may_change_pack(status: str) -> bool:
    """The pack may change from the draft until the response deadline."""
    return status in ("draft", "published") or rules.may_bid(status)


def add_pack_document(competition: Competition, *, kind: str, upload: docs.Upload, actor) -> CompetitionDocument:
    """The buyer adds (or replaces) a document of the pack, or a contract document once awarded."""
    if kind not in PACK_KINDS or kind == "clarification":
        raise DomainError("Choose what the document is.", field="kind")
    status = competition.effective_status()
    if kind == "contract" and award_of(competition) is None:
        raise DomainError("Contract documents can be added once the award is made.", field="kind")
    if kind in PACK and not may_change_pack(status):
        raise DomainError("The competition pack cannot change after the response deadline.", field="file")
    link = CompetitionDocument(competition_id=competition.id, competition=competition, kind=kind,
                               series=series_of(kind, upload.judged.name))
    label = PACK_KINDS[kind][0].lower()
    docs.attach(link, upload, actor=actor, summary=f"Added the {label} {upload.judged.name} to {competition.reference}")
    if kind in PACK and status != "draft":
        _tell_invitees(competition, f"{competition.reference}: the competition pack has changed",
                       f"The {label} was updated: {upload.judged.name}. Read it before you bid.")
    return link


def add_clarification_document(item: Clarification, *, upload: docs.Upload, actor) -> CompetitionDocument:
    """A document published with a clarification answer (the answer's own checks apply first)."""
    link = CompetitionDocument(competition_id=item.competition_id, competition=item.competition, kind="clarification",
                               clarification_id=item.id, series=series_of("clarification", upload.judged.name))
    return docs.attach(link, upload, actor=actor, summary=f"Added {upload.judged.name} to a clarification answer "
                                                          f"of {item.competition.reference}")


def remove_pack_document(link: CompetitionDocument, *, actor) -> None:
    status = link.competition.effective_status()
    if link.kind in PACK and not may_change_pack(status):
        raise DomainError("The competition pack cannot change after the response deadline.")
    docs.remove(link, actor=actor, summary=f"Removed {link.name} from {link.competition.reference}")


def _tell_invitees(competition: Competition, subject: str, body: str) -> None:
    users = [u for i in competition.invitations if i.status == "invited"
             for u in org_users(i.organisation_id, EXEMPLAR_MANAGER)]
    notify(users, subject, body, link=f"/competitions/{competition.id}/documents", competition=competition)


# --- the bidders' documents -------------------------------------------------------------------

def own_bid_documents(competition: Competition, organisation_id: int) -> list[BidDocument]:
    """An organisation's own documents for a competition (its eyes only before the deadline)."""
    return docs.links_of(BidDocument, BidDocument.competition_id == competition.id,
                         BidDocument.organisation_id == organisation_id)


def _need_open(competition: Competition) -> datetime:
    """The instant the deadline was checked at (its audit entry is sealed as of it), or refused."""
    now = clock.now()
    status = competition.effective_status(now)
    if not rules.may_bid(status):
        raise DomainError("The deadline for responses has passed: bid documents can no longer be added, replaced "
                          "or removed." if status in rules.AFTER_DEADLINE or status == "cancelled"
                          else "This competition is not open for bids.", field="file")
    return now


def add_bid_document(competition: Competition, *, criterion_id: int | None, upload: docs.Upload,
                     actor) -> BidDocument:
    """A bidder adds a document to its bid (for one question, or general) before the deadline."""
    need_bidder(competition, actor)
    if criterion_id is not None and criterion_id not in {c.id for c in competition.criteria}:
        raise DomainError("Choose one of the competition's questions.", field="question")
    _need_open(competition)
    document = docs.keep(upload, actor=actor)  # stored before the lock, so the lock is held briefly
    lock_for_bid(competition, actor.organisation_id)
    now = _need_open(competition)  # the deadline, to the second, under the lock
    link = BidDocument(competition_id=competition.id, competition=competition, organisation_id=actor.organisation_id,
                       criterion_id=criterion_id, series=bid_series(criterion_id, upload.judged.name))
    return docs.attach(link, document, actor=actor, sealed_as_of=now,
                       summary=f"{actor.organisation.display_name if actor.organisation else 'A bidder'} added "
                               f"{upload.judged.name} to its bid for {competition.reference}")


def remove_bid_document(link: BidDocument, *, actor) -> None:
    if actor is None or not actor.has_role(EXEMPLAR_MANAGER) or actor.organisation_id != link.organisation_id:
        raise NotAllowed("Only the bidder can remove its documents.")
    lock_for_bid(link.competition, link.organisation_id)
    now = _need_open(link.competition)
    docs.remove(link, actor=actor, sealed_as_of=now,
                summary=f"Removed {link.name} from a bid for {link.competition.reference}")


def bid_documents_for_publication(competition: Competition) -> dict[int, list[BidDocument]] | None:
    """The documents in force of every bid (any status), by organisation — None while sealed."""
    bids = bids_for_publication(competition)
    if bids is None:
        return None
    orgs = {b.organisation_id for b in bids}
    links = [x for x in docs.links_of(BidDocument, BidDocument.competition_id == competition.id)
             if x.organisation_id in orgs]
    out: dict[int, list[BidDocument]] = {o: [] for o in orgs}
    for link in docs.current(links):
        out[link.organisation_id].append(link)
    return out


def pack_zip_items(competition: Competition, *, contract: bool = False) -> list[docs.ZipItem]:
    """The pack in force (and, when asked, the contract documents), and published clarification
    documents, as zip entries."""
    links = docs.current(pack_documents(competition))
    out = []
    for x in links:
        if x.kind in PACK:
            out.append(docs.ZipItem("", x))
        elif x.kind == "clarification" and x.clarification.published_at is not None:
            out.append(docs.ZipItem("Clarifications", x))
        elif x.kind == "contract" and contract:
            out.append(docs.ZipItem("Contract", x))
    return out


def bids_zip_items(competition: Competition) -> list[docs.ZipItem] | None:
    """Every bid's documents in force, in a folder per bidder and per question; None while sealed."""
    by_org = bid_documents_for_publication(competition)
    if by_org is None:
        return None
    names = {c.id: f"Question {i} {c.name}" for i, c in enumerate(competition.criteria, start=1)}
    items = []
    for bid in bids_for_publication(competition) or []:
        for link in by_org.get(bid.organisation_id, []):
            sub = names.get(link.criterion_id, "General") if link.criterion_id else "General"
            items.append(docs.ZipItem(f"{bid.organisation.display_name}/{sub}", link))
    return items


__all__ = ["add_bid_document", "add_clarification_document", "add_pack_document",
           "bid_documents_for_publication", "bids_zip_items", "may_change_pack", "own_bid_documents",
           "pack_documents", "pack_zip_items", "remove_bid_document", "remove_pack_document"]
