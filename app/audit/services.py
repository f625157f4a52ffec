"""Writing and checking the audit log.

`record` adds an entry to the current transaction, so the change and its audit entry are committed
together or not at all. Entries are chained: each carries the hash of the one before it. An entry
about an object a domain has sealed (sealing.py) goes to that object's sealed journal instead of
the main chain, until the domain opens the journal (journal.py); the caller does nothing different.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, inspect, select

from app.extensions import db
from app.models_base import utcnow

from . import chain, journal, sealing
from .entries import SYSTEM_CLOCK, Fields, SystemActor, actor_fields, append_main, append_main_many, append_sealed
from .models import AuditEvent, SealedEntry

__all__ = ["SYSTEM_CLOCK", "SystemActor", "acting_user_id", "changed", "entry_count", "record", "record_many",
           "snapshot", "verify_chain", "verify_journals", "verify_step"]


def snapshot(obj: Any, exclude: tuple[str, ...] = ("password_hash",)) -> dict[str, Any]:
    """The column values of a model object, for the before/after of an audit entry."""
    mapper = inspect(obj).mapper
    return {
        attr.key: getattr(obj, attr.key)
        for attr in mapper.column_attrs
        if attr.key not in exclude
    }


def acting_user_id(actor=None) -> int | None:
    """The id of the user making a change: `actor` if given, else the signed-in user; None for the
    command line and the clock. The same rule as the audit entry's actor, for records that name who decided."""
    return actor_fields(actor)[0]


def record(action: str, obj: Any = None, *, object_type: str | None = None,
           object_id: Any = None, before: dict | None = None, after: dict | None = None,
           summary: str = "", actor=None, sealed_as_of: datetime | None = None) -> AuditEvent | SealedEntry:
    """Append an audit entry for a change, in the caller's transaction.

    `obj` is flushed first so it has an id. `action` is a dotted verb such as "offer.publish".
    `actor` is a user, SYSTEM_CLOCK for what the clock does, or None for the signed-in user (the
    command line outside a request). The caller commits; if it rolls back, the entry goes too.
    Returns the main-chain entry, or the sealed journal's entry when the object is sealed now, or,
    with `sealed_as_of`, at that instant: a change decided at a time (a bid accepted a millisecond
    before the deadline) stays sealed with the change, even if the deadline passes before this line.
    """
    session = db.session
    if obj is not None:
        session.flush()
        object_type = object_type or type(obj).__name__
        object_id = object_id if object_id is not None else getattr(obj, "id", None)
    if object_type is None:
        raise ValueError("an audit entry needs an object or an object_type")
    oid = None if object_id is None else str(object_id)
    actor_id, actor_label = actor_fields(actor)
    fields = Fields(occurred_at=utcnow(), actor_id=actor_id, actor_label=actor_label, action=action,
                    object_type=object_type, object_id=oid, summary=summary,
                    before=chain.canonical_json(before), after=chain.canonical_json(after))
    key = sealing.journal_for(object_type, oid, obj, as_of=sealed_as_of)
    if key is not None and not journal.is_open(key):
        return append_sealed(key, fields)
    return append_main(fields)


def record_many(entries: list[dict], *, actor=None) -> int:
    """Append many entries at once, in the caller's transaction (a bulk import): one lock, one
    multi-row insert. Each entry is a dict of action, object_type, object_id, summary and optional
    before/after. Returns how many were written. The chain is the same as `record` one by one would
    have made. Bulk work never touches sealed objects: their entries go through `record`."""
    actor_id, actor_label = actor_fields(actor)
    occurred_at = utcnow()
    rows = [Fields(occurred_at=occurred_at, actor_id=actor_id, actor_label=actor_label, action=e["action"],
                   object_type=e["object_type"], object_id=None if e.get("object_id") is None else str(e["object_id"]),
                   summary=e.get("summary", ""), before=chain.canonical_json(e.get("before")),
                   after=chain.canonical_json(e.get("after")))
            for e in entries]
    return append_main_many(rows)


def changed(before: dict, after: dict) -> dict[str, tuple[Any, Any]]:
    """The fields whose values differ between two snapshots."""
    return {k: (before.get(k), after.get(k)) for k in after if before.get(k) != after.get(k)}


def _entries_after(after_id: int, limit: int, batch: int):
    """Up to `limit` entries after `after_id`, in id order, read `batch` at a time (memory stays flat)."""
    last_id, left = after_id, limit
    while left > 0:
        rows = db.session.execute(
            select(AuditEvent).where(AuditEvent.id > last_id).order_by(AuditEvent.id).limit(min(batch, left))
        ).scalars().all()
        if not rows:
            return
        for r in rows:
            yield chain.Entry(
                id=r.id, occurred_at=r.occurred_at.isoformat(), actor_label=r.actor_label,
                action=r.action, object_type=r.object_type, object_id=r.object_id,
                summary=r.summary, before=r.before, after=r.after, prev_hash=r.prev_hash,
                hash=r.hash,
            )
        last_id, left = rows[-1].id, left - len(rows)
        db.session.expunge_all()


def entry_count() -> int:
    """How many entries the chain has (every one, sealed or not: the walk checks them all)."""
    return db.session.scalar(select(func.count()).select_from(AuditEvent)) or 0


def verify_step(progress: chain.Progress, limit: int = 20_000, batch: int = 5000) -> tuple[chain.Progress, bool]:
    """Check up to `limit` more entries of the chain after `progress`. Returns the new progress and
    whether the walk is over (the end reached, or a broken entry found). A step is small enough for
    one web request; a command, a job or a page request by request walk the whole chain with it,
    so each reaches the same result as `flask audit verify`."""
    if progress.broken:
        return progress, True
    before = progress.checked
    progress = chain.verify_from(progress, _entries_after(progress.after_id, limit, batch))
    return progress, progress.broken or progress.checked - before < limit


def verify_chain(batch: int = 5000) -> chain.ChainReport:
    """Check the whole chain, reading it in batches so a large log does not fill memory."""
    progress, done = chain.Progress(), False
    while not done:
        progress, done = verify_step(progress, limit=10 * batch, batch=batch)
    return progress.report()


def verify_journals() -> journal.JournalsReport:
    """Check every sealed journal's own chain, and that each opened one sits in the main chain."""
    return journal.verify_journals()
