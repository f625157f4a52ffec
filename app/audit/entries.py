"""Appending entries: to the main chain, or to one sealed journal; and who is named as acting.

The low level under `services.record` (which chooses where an entry goes) and
`journal.open_journal` (which moves a journal's entries into the main chain). Appends are
serialised so two transactions never chain to the same predecessor: on PostgreSQL with a
transaction-scoped advisory lock (one for the main chain, one per journal); on SQLite every
writing request already holds the database's write lock (BEGIN IMMEDIATE).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import has_request_context
from flask_login import current_user
from sqlalchemy import insert, select, text

from app.extensions import db
from app.models_base import utcnow

from . import chain
from .models import AuditEvent, SealedEntry, SealedJournal

# Any constant will do: it names the one lock that serialises appends to the chain on PostgreSQL.
_PG_CHAIN_LOCK = 7_310_415_001
# The first key of the two-key advisory locks of the sealed journals (hashtext(journal) the second).
_PG_JOURNAL_LOCKS = 7_310
_CLI_ACTOR = "system (command line)"
_VISITOR = "a visitor who was not signed in"


@dataclass(frozen=True)
class SystemActor:
    """Something other than a person that makes a change, named as such in the log."""

    label: str
    id: None = None


#: The clock: deadlines passing, standstills ending, sealed bids opening. Never the user whose
#: request happened to run the change.
SYSTEM_CLOCK = SystemActor("system (clock)")


def actor_fields(actor) -> tuple[int | None, str]:
    """(user id, label) of who acts: `actor`; else the signed-in user; else a visitor who is not
    signed in (a public download) within a request, or the command line outside one."""
    if isinstance(actor, SystemActor):
        return None, actor.label
    if actor is None and has_request_context() and current_user and current_user.is_authenticated:
        actor = current_user._get_current_object()
    if actor is None:
        return None, _VISITOR if has_request_context() else _CLI_ACTOR
    org = getattr(actor, "organisation", None)
    where = f" ({org.ods_code})" if org is not None else ""
    return actor.id, f"{actor.name} <{actor.email}>{where}"


@dataclass(frozen=True)
class Fields:
    """An entry's content, before it is chained."""

    occurred_at: datetime
    actor_id: int | None
    actor_label: str
    action: str
    object_type: str
    object_id: str | None
    summary: str
    before: str | None  # canonical JSON
    after: str | None

    def hash_after(self, prev_hash: str) -> str:
        return chain.entry_hash(prev_hash, self.occurred_at.isoformat(), self.actor_label, self.action,
                                self.object_type, self.object_id, self.summary, self.before, self.after)

    def columns(self) -> dict:
        return {"occurred_at": self.occurred_at, "actor_id": self.actor_id, "actor_label": self.actor_label,
                "action": self.action, "object_type": self.object_type, "object_id": self.object_id,
                "summary": self.summary, "before": self.before, "after": self.after}


def fields_of(row: AuditEvent | SealedEntry) -> Fields:
    return Fields(row.occurred_at, row.actor_id, row.actor_label, row.action, row.object_type, row.object_id,
                  row.summary, row.before, row.after)


def _postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def append_main(fields: Fields) -> AuditEvent:
    """Chain an entry to the main log, in the caller's transaction. Its id is the last one plus
    one, given under the chain's lock rather than by a sequence: a rolled-back transaction leaves
    no gap (PostgreSQL's sequences do not roll back), so a gap in the ids always means a deletion."""
    session = db.session
    if _postgresql():
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_CHAIN_LOCK})
    last = session.execute(select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)).first()
    last_id, prev = (last[0], last[1]) if last else (0, chain.GENESIS)
    entry = AuditEvent(id=last_id + 1, **fields.columns(), prev_hash=prev, hash=fields.hash_after(prev))
    session.add(entry)
    session.flush()
    return entry


def append_main_many(rows: list[Fields]) -> int:
    """Chain many entries to the main log at once (a bulk import): the lock taken and the last id
    and hash read once, the hashes chained here, one multi-row insert. The chain is the same as
    append_main one by one would have made."""
    if not rows:
        return 0
    session = db.session
    if _postgresql():
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_CHAIN_LOCK})
    last = session.execute(select(AuditEvent.id, AuditEvent.hash).order_by(AuditEvent.id.desc()).limit(1)).first()
    last_id, prev = (last[0], last[1]) if last else (0, chain.GENESIS)
    values = []
    for i, fields in enumerate(rows, start=1):
        digest = fields.hash_after(prev)
        values.append({"id": last_id + i, **fields.columns(), "prev_hash": prev, "hash": digest})
        prev = digest
    session.execute(insert(AuditEvent), values)
    return len(values)


def lock_journal(key: str) -> SealedJournal:
    """Take the journal's append lock and return it, made if it is new."""
    session = db.session
    if _postgresql():
        session.execute(text("SELECT pg_advisory_xact_lock(:ns, hashtext(:key))"),
                        {"ns": _PG_JOURNAL_LOCKS, "key": key})
    journal = session.get(SealedJournal, key)
    if journal is None:
        journal = SealedJournal(key=key, created_at=utcnow())
        session.add(journal)
        session.flush()
    return journal


def journal_head(key: str) -> tuple[int, str]:
    """(number of entries, hash of the last) of a journal; (0, its genesis) when empty."""
    row = db.session.execute(select(SealedEntry.position, SealedEntry.hash).where(SealedEntry.journal_key == key)
                             .order_by(SealedEntry.position.desc()).limit(1)).first()
    return (row[0], row[1]) if row else (0, chain.journal_genesis(key))


def append_sealed(key: str, fields: Fields) -> SealedEntry:
    """Chain an entry to a sealed journal, in the caller's transaction. Nothing of it reaches the
    main chain (not even a sequence number) until the journal is opened."""
    lock_journal(key)
    position, prev = journal_head(key)
    entry = SealedEntry(journal_key=key, position=position + 1, **fields.columns(), prev_hash=prev,
                        hash=fields.hash_after(prev))
    db.session.add(entry)
    db.session.flush()
    return entry
