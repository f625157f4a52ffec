"""The sealed bid box: what the competitions domain seals, and in which journal.

Before a competition's response deadline nothing may show that a bid exists, not even to an
auditor. The audit package offers the mechanism (app/audit/sealing.py, app/audit/journal.py);
this module says what is sealed and where its entries go:

* a **type is sealed** by `sealing.register(type name, sealed_ids)`, where `sealed_ids()` returns a
  SELECT of the ids (as strings) of its objects sealed now. Bids are registered below with
  `sealed_bid_ids_clause`; anything sealed exactly like a bid (a bid's documents) registers the
  same way, with a clause that selects its objects whose bid (or competition) is sealed;
* every audit entry about an object sealed now goes, with no change to the `record()` call, to
  its **competition's sealed journal**, keyed `journal_key(competition id)`. The competition is
  found by `competition_of`: from the object's `competition_id`, else its `bid_id` or `bid`
  (so a bid document that names its bid needs nothing more), else by loading the object by type
  name and id and asking the same;
* at the deadline, `app.competitions.state.open_sealed_bids(competition)` joins the journal to the
  main chain in one "competition.bids_opened" entry by the system clock (idempotent; also run by
  the status change to "closed", so any write after the deadline opens it first).

A competition cancelled before its deadline keeps its journal sealed for ever, like its bids.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String, and_, cast, or_, select

from app.audit import journal, sealing
from app.audit.models import AuditEvent
from app.audit.services import SYSTEM_CLOCK
from app.extensions import db

from . import clock
from .bidding.models import Bid
from .documents.models import BidDocument
from .models import Competition

JOURNAL_PREFIX = "competition-"


def journal_key(competition_id: int) -> str:
    """The key of a competition's sealed journal."""
    return f"{JOURNAL_PREFIX}{competition_id}"


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


def journal_of(object_type: str, object_id: str, obj: Any = None) -> str | None:
    """The resolver the audit log asks: a sealed object's competition's journal."""
    competition_id = competition_of(object_type, object_id, obj)
    return None if competition_id is None else journal_key(competition_id)


def open_journal_of(competition: Competition) -> AuditEvent | None:
    """Join the competition's sealed journal to the main chain, by the system clock (None if it
    was joined already). Callers hold the competition's lock and have checked the deadline."""
    return journal.open_journal(
        journal_key(competition.id), action="competition.bids_opened", object_type="Competition",
        object_id=competition.id, actor=SYSTEM_CLOCK,
        summary=f"Bids opened for {competition.reference} at the response deadline: the entries sealed "
                "until now join the log after this one")


# Bids are sealed until the deadline, and their entries kept in the competition's journal.
sealing.register("Bid", sealed_bid_ids_clause)
# A bid's documents (that they exist, their names and hashes) are sealed with it, in the same journal.
sealing.register("BidDocument", sealed_bid_document_ids_clause)
sealing.set_journal_resolver(journal_of)
