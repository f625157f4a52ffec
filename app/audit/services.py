"""Writing and checking the audit log.

`record` adds an entry to the current transaction, so the change and its audit entry are committed
together or not at all. Entries are chained: each carries the hash of the one before it. An entry
about an object a domain has sealed (sealing.py) goes to that object's sealed journal instead of
the main chain, until the domain opens the journal (journal.py); the caller does nothing different.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import inspect, select

from app.extensions import db
from app.models_base import utcnow

from . import chain, journal, sealing
from .entries import SYSTEM_CLOCK, Fields, SystemActor, actor_fields, append_main, append_sealed
from .models import AuditEvent, SealedEntry

__all__ = ["SYSTEM_CLOCK", "SystemActor", "acting_user_id", "changed", "record", "snapshot", "verify_chain",
           "verify_journals"]


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
           summary: str = "", actor=None) -> AuditEvent | SealedEntry:
    """Append an audit entry for a change, in the caller's transaction.

    `obj` is flushed first so it has an id. `action` is a dotted verb such as "offer.publish".
    `actor` is a user, SYSTEM_CLOCK for what the clock does, or None for the signed-in user (the
    command line outside a request). The caller commits; if it rolls back, the entry goes too.
    Returns the main-chain entry, or the sealed journal's entry when the object is sealed now.
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
    key = sealing.journal_for(object_type, oid, obj)
    if key is not None and not journal.is_open(key):
        return append_sealed(key, fields)
    return append_main(fields)


def changed(before: dict, after: dict) -> dict[str, tuple[Any, Any]]:
    """The fields whose values differ between two snapshots."""
    return {k: (before.get(k), after.get(k)) for k in after if before.get(k) != after.get(k)}


def verify_chain(batch: int = 5000) -> chain.ChainReport:
    """Check the whole chain, reading it in batches so a large log does not fill memory."""

    def entries():
        last_id = 0
        while True:
            rows = db.session.execute(
                select(AuditEvent).where(AuditEvent.id > last_id).order_by(AuditEvent.id).limit(batch)
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
            last_id = rows[-1].id
            db.session.expunge_all()

    return chain.verify(entries())


def verify_journals() -> journal.JournalsReport:
    """Check every sealed journal's own chain, and that each opened one sits in the main chain."""
    return journal.verify_journals()
