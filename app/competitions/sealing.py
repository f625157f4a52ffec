"""The sealed bid box: what the competitions domain seals, and in which journal.

Before a competition's response deadline nothing may show that a bid exists, not even to an
auditor. The audit package offers the mechanism (app/audit/sealing.py, app/audit/journal.py);
this module says what is sealed and where its entries go:

* a **type is sealed** by `sealing.register(type name, sealed_ids)`, where `sealed_ids()` returns a
  SELECT of the ids (as strings) of its objects sealed now. Bids are registered below with
  `sealed_bid_ids_clause`; anything sealed exactly like a bid (a bid's documents) registers the
  same way, with a clause that selects its objects whose bid (or competition) is sealed;
* every audit entry about an object sealed now goes, with no change to the `record()` call, to
  its **bidder's sealed journal** in its competition, keyed `journal_key(competition id,
  organisation id)` (one hash chain per bidder, so bidders never wait for each other's appends:
  see state.lock_for_bid), or to the competition's own journal, `journal_key(competition id)`,
  when the object names no bidder. The competition is found by `competition_of`: from the
  object's `competition_id`, else its `bid_id` or `bid` (so a bid document that names its bid
  needs nothing more), else by loading the object by type name and id and asking the same; the
  bidder by `bidder_of`, from its `organisation_id` or its bid's;
* at the deadline, `app.competitions.state.open_sealed_bids(competition)` joins the competition's
  journal to the main chain in one "competition.bids_opened" entry by the system clock, then each
  bidder's journal in turn, each after a "competition.bidder_journal_opened" entry (idempotent;
  also run by the status change to "closed", so any write after the deadline opens them first).
  The journals' keys name bidders, but nothing shows them before the deadline: `flask audit
  verify` and /audit/verify never say how many journals are sealed, nor their keys.

A competition cancelled before its deadline keeps its journal sealed for ever, like its bids.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String, and_, cast, or_, select

from app.audit import journal, sealing
from app.audit.models import AuditEvent, SealedJournal
from app.audit.services import SYSTEM_CLOCK
from app.extensions import db

from . import clock
from .bidding.models import Bid
from .documents.models import BidDocument
from .models import Competition

JOURNAL_PREFIX = "competition-"


def journal_key(competition_id: int, organisation_id: int | None = None) -> str:
    """The key of a competition's sealed journal, or of one bidder's journal in it."""
    base = f"{JOURNAL_PREFIX}{competition_id}"
    return base if organisation_id is None else f"{base}/bidder-{organisation_id}"


def bidder_journal_keys(competition_id: int) -> list[str]:
    """The keys of the competition's bidders' journals that exist, in order (the order they open in)."""
    base = journal_key(competition_id)
    keys = db.session.execute(select(SealedJournal.key).where(SealedJournal.key.startswith(f"{base}/bidder-"))
                              ).scalars().all()
    return sorted(keys, key=lambda k: int(k.rsplit("-", 1)[1]))


def sealed_competitions_clause(now: datetime | None = None):
    """SQL: whether a competition's bids are sealed now (no deadline yet, before it, or cancelled
    before it). The same rule as rules.bids_unsealed, for queries."""
    now = now or clock.now()
    return or_(Competition.response_deadline.is_(None), Competition.response_deadline > now,
               and_(Competition.status == "cancelled", Competition.ended_at < Competition.response_deadline))


def sealed_bid_ids_clause(now: datetime | None = None):
    """SQL: the ids (as strings) of bids still sealed."""
    return (select(cast(Bid.id, String)).join(Competition, Competition.id == Bid.competition_id)
            .where(sealed_competitions_clause(now)))


def sealed_bid_document_ids_clause(now: datetime | None = None):
    """SQL: the ids (as strings) of bid documents still sealed — sealed exactly as their bids."""
    return (select(cast(BidDocument.id, String)).join(Competition, Competition.id == BidDocument.competition_id)
            .where(sealed_competitions_clause(now)))


def _model_class(type_name: str):
    for mapper in db.Model.registry.mappers:
        if mapper.class_.__name__ == type_name:
            return mapper.class_
    return None


def competition_of(object_type: str, object_id: str, obj: Any = None) -> int | None:
    """The competition a sealed object belongs to: its `competition_id`, else its bid's."""
    if obj is None:
        cls = _model_class(object_type)
        if cls is None or not object_id.isdecimal():
            return None
        obj = db.session.get(cls, int(object_id))
        if obj is None:
            return None
    if getattr(obj, "competition_id", None) is not None:
        return obj.competition_id
    bid = getattr(obj, "bid", None)
    if bid is not None and getattr(bid, "competition_id", None) is not None:
        return bid.competition_id
    bid_id = getattr(obj, "bid_id", None)
    if bid_id is not None:
        return db.session.scalar(select(Bid.competition_id).where(Bid.id == bid_id))
    return None


def bidder_of(obj: Any) -> int | None:
    """The organisation whose bid a sealed object is, or belongs to (None if it names none)."""
    if getattr(obj, "organisation_id", None) is not None:
        return obj.organisation_id
    bid = getattr(obj, "bid", None)
    if bid is not None and getattr(bid, "organisation_id", None) is not None:
        return bid.organisation_id
    bid_id = getattr(obj, "bid_id", None)
    if bid_id is not None:
        return db.session.scalar(select(Bid.organisation_id).where(Bid.id == bid_id))
    return None


def journal_of(object_type: str, object_id: str, obj: Any = None) -> str | None:
    """The resolver the audit log asks: a sealed object's bidder's journal in its competition (the
    competition's own journal if it names no bidder)."""
    if obj is None:
        cls = _model_class(object_type)
        obj = db.session.get(cls, int(object_id)) if cls is not None and object_id.isdecimal() else None
    competition_id = competition_of(object_type, object_id, obj)
    return None if competition_id is None else journal_key(competition_id, bidder_of(obj))


def open_journal_of(competition: Competition) -> AuditEvent | None:
    """Join the competition's sealed journals to the main chain, by the system clock: its own
    journal (the "bids opened" entry, returned; None if it was joined already), then each bidder's
    in turn. Callers hold the competition's exclusive lock (no bid is being written) and have
    checked the deadline."""
    opening = journal.open_journal(
        journal_key(competition.id), action="competition.bids_opened", object_type="Competition",
        object_id=competition.id, actor=SYSTEM_CLOCK,
        summary=f"Bids opened for {competition.reference} at the response deadline: the entries sealed "
                "until now join the log after this one, each bidder's after its own opening entry")
    if opening is None:
        return None
    for key in bidder_journal_keys(competition.id):
        journal.open_journal(
            key, action="competition.bidder_journal_opened", object_type="Competition", object_id=competition.id,
            actor=SYSTEM_CLOCK, summary=f"One bidder's sealed entries for {competition.reference} join the log "
                                        "after this one")
    return opening


# Bids are sealed until the deadline, and their entries kept in the competition's journal.
sealing.register("Bid", sealed_bid_ids_clause)
# A bid's documents (that they exist, their names and hashes) are sealed with it, in the same journal.
sealing.register("BidDocument", sealed_bid_document_ids_clause)
sealing.set_journal_resolver(journal_of)
